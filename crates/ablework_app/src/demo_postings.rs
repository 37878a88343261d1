//! The demo's job postings: two for each of the first few hundred
//! employers (and always the demo employer), drawn from templates that fit
//! the employer's sector, each with the functional demands of the work and
//! accommodations that make sense for it. Written in one bulk transaction.

use ablework_domain::district;
use ablework_domain::four_ones::{Accommodation, Hours};
use ablework_domain::matching::{Demand, DemandLevel};
use ablework_domain::occupation::SubMajorGroup;
use ablework_domain::person::Education;
use ablework_store::{
    EmployerFilter, EmployerRecord, EmployerScope, JobPostingFields, NewAuditEntry,
};
use serde_json::json;

use crate::App;
use crate::demo_employers::mix;
use crate::error::AppResult;

/// How many employers post jobs in the demo (two postings each).
const POSTING_EMPLOYERS: u32 = 300;

/// A kind of job: what it is, what it asks of a person and what is offered.
struct Template {
    title: &'static str,
    occupation: SubMajorGroup,
    hours: Hours,
    wage: u32,
    education: Option<Education>,
    skills: &'static [&'static str],
    demands: &'static [(Demand, DemandLevel)],
    accommodations: &'static [Accommodation],
    remote: bool,
}

use Accommodation as A;
use Demand as D;
use DemandLevel::{Frequent as F, Occasional as O};
use SubMajorGroup as S;

#[rustfmt::skip]
const GENERAL: [Template; 6] = [
    Template { title: "行政助理", occupation: S::GeneralClerks, hours: Hours::FullTime, wage: 4_500, education: Some(Education::Vocational),
        skills: &["办公软件", "公文写作"], demands: &[(D::Reading, F), (D::FineMotor, O)],
        accommodations: &[A::StepFree, A::AccessibleToilet, A::ScreenReader, A::FlexibleHours], remote: false },
    Template { title: "数据录入员", occupation: S::GeneralClerks, hours: Hours::PartTime, wage: 3_600, education: Some(Education::SeniorSecondary),
        skills: &["打字", "Excel"], demands: &[(D::FineMotor, F), (D::Vision, F)],
        accommodations: &[A::ScreenReader, A::RemoteWork, A::AdjustedWorkstation], remote: true },
    Template { title: "客服专员", occupation: S::CustomerServicesClerks, hours: Hours::FullTime, wage: 4_800, education: Some(Education::SeniorSecondary),
        skills: &["普通话", "客户沟通"], demands: &[(D::Hearing, F), (D::Speech, F), (D::PhoneUse, F)],
        accommodations: &[A::QuietSpace, A::FlexibleHours, A::JobCoach], remote: true },
    Template { title: "保洁员", occupation: S::CleanersHelpers, hours: Hours::FullTime, wage: 3_200, education: None,
        skills: &[], demands: &[(D::Standing, F), (D::Walking, F), (D::Lifting, O)],
        accommodations: &[A::WrittenInstructions, A::JobCoach, A::FlexibleHours], remote: false },
    Template { title: "门卫", occupation: S::ProtectiveServices, hours: Hours::FullTime, wage: 3_500, education: Some(Education::JuniorSecondary),
        skills: &[], demands: &[(D::Standing, O), (D::Vision, O), (D::Interpersonal, F)],
        accommodations: &[A::AdjustedWorkstation, A::AccessibleToilet], remote: false },
    Template { title: "档案管理员", occupation: S::RecordingClerks, hours: Hours::FullTime, wage: 4_200, education: Some(Education::Vocational),
        skills: &["档案整理"], demands: &[(D::FineMotor, O), (D::Reading, F)],
        accommodations: &[A::StepFree, A::AccessibleToilet, A::WrittenInstructions, A::QuietSpace], remote: false },
];

/// Jobs typical of a sector; sectors not listed use [`GENERAL`] only.
#[rustfmt::skip]
const BY_SECTOR: [(&str, Template); 14] = [
    ("manufacturing", Template { title: "装配工", occupation: S::Assemblers, hours: Hours::FullTime, wage: 4_600, education: Some(Education::JuniorSecondary),
        skills: &["零件装配"], demands: &[(D::Standing, O), (D::FineMotor, F), (D::Vision, F), (D::TimePressure, O)],
        accommodations: &[A::StepFree, A::WrittenInstructions, A::SignLanguage, A::AdjustedWorkstation], remote: false }),
    ("manufacturing", Template { title: "包装工", occupation: S::MiningConstructionLabourers, hours: Hours::FullTime, wage: 3_800, education: None,
        skills: &[], demands: &[(D::Standing, O), (D::FineMotor, F), (D::TimePressure, O)],
        accommodations: &[A::WrittenInstructions, A::AdjustedWorkstation, A::JobCoach], remote: false }),
    ("retail", Template { title: "收银员", occupation: S::Sales, hours: Hours::FullTime, wage: 4_000, education: Some(Education::SeniorSecondary),
        skills: &["收银系统"], demands: &[(D::Standing, O), (D::FineMotor, F), (D::Interpersonal, F)],
        accommodations: &[A::StepFree, A::WrittenInstructions, A::AdjustedWorkstation], remote: false }),
    ("retail", Template { title: "网店客服", occupation: S::CustomerServicesClerks, hours: Hours::PartTime, wage: 3_800, education: Some(Education::SeniorSecondary),
        skills: &["网店后台", "打字"], demands: &[(D::FineMotor, F), (D::Reading, F)],
        accommodations: &[A::ScreenReader, A::FlexibleHours, A::RemoteWork], remote: true }),
    ("logistics", Template { title: "仓库理货员", occupation: S::RecordingClerks, hours: Hours::FullTime, wage: 4_500, education: Some(Education::JuniorSecondary),
        skills: &["仓储管理系统"], demands: &[(D::Walking, F), (D::Lifting, O), (D::Reading, O)],
        accommodations: &[A::StepFree, A::WrittenInstructions, A::JobCoach], remote: false }),
    ("hospitality", Template { title: "面点师助理", occupation: S::FoodPreparationAssistants, hours: Hours::FullTime, wage: 4_000, education: None,
        skills: &["面点制作"], demands: &[(D::Standing, F), (D::FineMotor, F), (D::TimePressure, O)],
        accommodations: &[A::WrittenInstructions, A::SignLanguage, A::JobCoach], remote: false }),
    ("it", Template { title: "软件测试员", occupation: S::IctProfessionals, hours: Hours::FullTime, wage: 9_000, education: Some(Education::College),
        skills: &["测试用例", "Python"], demands: &[(D::Vision, F), (D::Reading, F), (D::TimePressure, O)],
        accommodations: &[A::StepFree, A::AccessibleToilet, A::ScreenReader, A::FlexibleHours, A::RemoteWork, A::QuietSpace], remote: true }),
    ("it", Template { title: "网站维护员", occupation: S::IctTechnicians, hours: Hours::Flexible, wage: 6_500, education: Some(Education::College),
        skills: &["HTML", "网站运维"], demands: &[(D::Vision, F), (D::Reading, F)],
        accommodations: &[A::ScreenReader, A::RemoteWork, A::AdjustedWorkstation], remote: true }),
    ("finance", Template { title: "财务助理", occupation: S::BusinessAssociates, hours: Hours::FullTime, wage: 5_500, education: Some(Education::College),
        skills: &["会计", "Excel"], demands: &[(D::FineMotor, O), (D::Reading, F), (D::TimePressure, O)],
        accommodations: &[A::StepFree, A::AccessibleToilet, A::ScreenReader, A::QuietSpace], remote: false }),
    ("health", Template { title: "保健按摩师", occupation: S::HealthAssociates, hours: Hours::FullTime, wage: 5_000, education: Some(Education::Vocational),
        skills: &["推拿"], demands: &[(D::Standing, O), (D::FineMotor, F), (D::Interpersonal, O)],
        accommodations: &[A::StepFree, A::AccessibleToilet, A::ScreenReader, A::AdjustedWorkstation], remote: false }),
    ("health", Template { title: "康复护理员", occupation: S::PersonalCare, hours: Hours::FullTime, wage: 4_600, education: Some(Education::Vocational),
        skills: &["护理"], demands: &[(D::Standing, F), (D::Lifting, O), (D::Interpersonal, F)],
        accommodations: &[A::FlexibleHours, A::JobCoach], remote: false }),
    ("education", Template { title: "图书管理员", occupation: S::OtherClericalSupport, hours: Hours::FullTime, wage: 4_200, education: Some(Education::SeniorSecondary),
        skills: &["图书编目"], demands: &[(D::Walking, O), (D::Reading, F)],
        accommodations: &[A::StepFree, A::AccessibleToilet, A::QuietSpace], remote: false }),
    ("culture", Template { title: "手工艺制作员", occupation: S::HandicraftPrinting, hours: Hours::PartTime, wage: 3_800, education: None,
        skills: &["剪纸", "编织"], demands: &[(D::FineMotor, F), (D::Vision, O)],
        accommodations: &[A::WrittenInstructions, A::SignLanguage, A::FlexibleHours, A::AdjustedWorkstation], remote: false }),
    ("social_services", Template { title: "社区服务专员", occupation: S::LegalSocialCulturalAssociates, hours: Hours::FullTime, wage: 4_800, education: Some(Education::College),
        skills: &["社会工作"], demands: &[(D::Speech, F), (D::Reading, O), (D::Interpersonal, F)],
        accommodations: &[A::StepFree, A::AccessibleToilet, A::SignLanguage, A::WrittenInstructions, A::JobCoach], remote: false }),
];

const ROADS: [&str; 8] = [
    "解放路",
    "友谊路",
    "南京路",
    "黄河道",
    "卫津路",
    "中山路",
    "建设路",
    "新华路",
];

/// The `slot`-th posting (0 or 1) of an employer: first a job of its
/// sector where there is one, then a general one.
fn posting_for(seed: u64, employer: &EmployerRecord, slot: u64) -> JobPostingFields {
    let roll = mix(seed, employer.id.unsigned_abs(), slot);
    let own: Vec<&Template> = BY_SECTOR
        .iter()
        .filter(|(sector, _)| *sector == employer.fields.sector)
        .map(|(_, t)| t)
        .collect();
    let general = &GENERAL[usize::try_from(roll % 6).unwrap_or(0)];
    let template = match (slot, own.len()) {
        (0, n) if n > 0 => own[usize::try_from(roll % n as u64).unwrap_or(0)],
        _ => general,
    };
    let district_name = district::by_code(&employer.fields.district_code).map_or("", |d| d.name_zh);
    let road = ROADS[usize::try_from((roll >> 8) % 8).unwrap_or(0)];
    // Wages vary by a few hundred yuan either way, in steps of 100.
    let wage = template.wage + u32::try_from((roll >> 16) % 9).unwrap_or(0) * 100;
    JobPostingFields {
        employer_id: employer.id,
        title: template.title.to_owned(),
        occupation: template.occupation,
        district_code: employer.fields.district_code.clone(),
        address: format!("{district_name}{road}{}号", 1 + (roll >> 24) % 300),
        remote_possible: template.remote,
        hours: template.hours,
        monthly_wage: wage.saturating_sub(400),
        education_required: template.education,
        skills_required: template.skills.iter().map(|s| (*s).to_owned()).collect(),
        demands: template.demands.to_vec(),
        accommodations: template.accommodations.to_vec(),
        reserved_for_disabled: (roll >> 32).is_multiple_of(3),
        posts: 1 + u32::try_from((roll >> 40) % 5).unwrap_or(0),
    }
}

impl App {
    /// Posts two jobs for each of the first employers by name and for the
    /// demo employer, in one transaction.
    pub(crate) async fn seed_demo_postings(
        &self,
        demo_employer: Option<i64>,
        seed: u64,
    ) -> AppResult<u64> {
        let mut filter = EmployerFilter::new(EmployerScope::All);
        filter.per_page = POSTING_EMPLOYERS;
        let mut employers = self.store.list_employers(&filter).await?.items;
        if let Some(id) = demo_employer
            && !employers.iter().any(|e| e.id == id)
            && let Some(record) = self.store.employer(id, &EmployerScope::All).await?
        {
            employers.push(record);
        }
        let postings: Vec<JobPostingFields> = employers
            .iter()
            .flat_map(|employer| (0..2).map(move |slot| posting_for(seed, employer, slot)))
            .collect();
        if postings.is_empty() {
            return Ok(0);
        }
        let audit = NewAuditEntry::new(self.now(), None, "system", "job.import", "job_posting")
            .with_detail(json!({ "source": "demo", "seed": seed }));
        Ok(self
            .store
            .insert_job_postings(&postings, self.now(), audit)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use ablework_domain::levy::EmployerKind;
    use chrono::DateTime;

    use super::*;

    fn employer(id: i64, sector: &str) -> EmployerRecord {
        EmployerRecord {
            id,
            fields: ablework_store::EmployerFields {
                credit_code: String::new(),
                name: "天津甲有限公司".to_owned(),
                kind: EmployerKind::Enterprise,
                is_school: false,
                staffing_quota: None,
                staff: 100,
                district_code: "120101".to_owned(),
                sector: sector.to_owned(),
                state_owned: false,
            },
            active: true,
            created_at: DateTime::<chrono::Utc>::MIN_UTC,
            updated_at: DateTime::<chrono::Utc>::MIN_UTC,
        }
    }

    #[test]
    fn demo_postings_are_valid_and_fit_the_sector() {
        for id in 1..200 {
            let it = employer(id, "it");
            let first = posting_for(2022, &it, 0);
            assert!(["软件测试员", "网站维护员"].contains(&first.title.as_str()));
            for slot in 0..2 {
                let posting = posting_for(2022, &employer(id, "manufacturing"), slot);
                assert!((1..=5).contains(&posting.posts));
                assert!(posting.monthly_wage >= 2_800);
                assert!(posting.address.starts_with("和平区"));
                assert!(!posting.demands.is_empty());
                assert!(!posting.accommodations.is_empty());
                let job = ablework_store::JobPostingRecord {
                    id,
                    fields: posting,
                    employer_name: String::new(),
                    employer_district_code: "120101".to_owned(),
                    open: true,
                    created_at: DateTime::<chrono::Utc>::MIN_UTC,
                    updated_at: DateTime::<chrono::Utc>::MIN_UTC,
                }
                .to_job();
                assert!(job.open);
            }
        }
    }
}
