//! Where matching shows (issue 8): the jobs recommended to a person, the
//! reason a job is not ("why not"), and the consenting candidates for a
//! posting. The rule itself is the pure engine,
//! [`ablework_domain::matching`]; this module fills its `Seeker` from the
//! records ([`seeker_from`]), decides who may see what, and audits what
//! it shows.
//!
//! Who may see what: a person's recommendations and verdicts, whoever may
//! read the person (their own record for a seeker). The jobs considered
//! are every open posting city-wide. A posting's candidates, those who may
//! manage it (its employer's HR, the officers of its employer's district,
//! the city administrator), and only among active, unemployed people whose
//! current consent to matching ([`ConsentPurpose::Matching`]) is given,
//! masked. Reading candidates is audited with the people shown.

use ablework_domain::four_ones::{Accommodation, ConsentPurpose, Hours};
use ablework_domain::matching::{self, Job, Match, Seeker, Verdict};
use ablework_domain::normalize::normalize_text;
use ablework_domain::occupation::SubMajorGroup;
use ablework_domain::roles::Permission;
use ablework_store::{AssessmentRecord, NeedRecord, PersonRecord, PostingScope, SeekerFile};
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::persons::PersonView;
use crate::postings::JobPostingRecord;

/// How many results a page or the API shows by default.
pub const DEFAULT_TOP: usize = 10;

/// The most results one request may ask for.
pub const MAX_TOP: usize = 50;

/// The jobs recommended to one person.
#[derive(Clone, Debug)]
pub struct Recommendations {
    /// The person (masked).
    pub person: PersonView,
    /// Whether an approved assessment was used. Without one the functional
    /// demands of jobs are not checked (the engine sees no limitation).
    pub assessed: bool,
    /// Whether a registered need was used.
    pub need_registered: bool,
    /// How many postings are open city-wide.
    pub open_postings: usize,
    /// The best jobs, best first, each with its match.
    pub jobs: Vec<(JobPostingRecord, Match)>,
}

/// The verdict on one person and one posting.
#[derive(Clone, Debug)]
pub struct WhyNot {
    /// The person (masked).
    pub person: PersonView,
    /// The posting.
    pub posting: JobPostingRecord,
    /// Matched with every factor, or the constraint that excludes it.
    pub verdict: Verdict,
}

/// One candidate for a posting.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The person, masked.
    pub person: PersonView,
    /// The match.
    pub matched: Match,
}

/// The candidates for a posting.
#[derive(Clone, Debug)]
pub struct Candidates {
    /// The posting.
    pub posting: JobPostingRecord,
    /// How many people consent to matching and are looking for work.
    pub consenting: usize,
    /// The best candidates, best first.
    pub candidates: Vec<Candidate>,
}

/// Splits free text into normalised tags, each once (ignoring ASCII case),
/// at commas, enumeration commas, semicolons and line breaks: the way
/// postings' skills are read.
fn tags(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for piece in text.split([',', '，', '、', ';', '；', '\n', '/', '／']) {
        let tag = normalize_text(piece);
        if !tag.is_empty() && !found.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            found.push(tag);
        }
    }
    found
}

/// Words people use for an occupation, with the ISCO-08 sub-major group
/// they belong to. Needs name occupations in their own words ("数据录入员");
/// this table covers the ones the service hears most, and a phrase may
/// also be an ISCO code or a group's name in either language.
const OCCUPATION_WORDS: &[(&str, SubMajorGroup)] = &[
    ("按摩", SubMajorGroup::HealthAssociates),
    ("推拿", SubMajorGroup::HealthAssociates),
    ("客服", SubMajorGroup::CustomerServicesClerks),
    ("接线", SubMajorGroup::CustomerServicesClerks),
    ("调律", SubMajorGroup::HandicraftPrinting),
    ("手工", SubMajorGroup::HandicraftPrinting),
    ("编织", SubMajorGroup::HandicraftPrinting),
    ("设计", SubMajorGroup::ScienceProfessionals),
    ("面点", SubMajorGroup::FoodWoodGarmentTrades),
    ("烘焙", SubMajorGroup::FoodWoodGarmentTrades),
    ("缝纫", SubMajorGroup::FoodWoodGarmentTrades),
    ("数据录入", SubMajorGroup::GeneralClerks),
    ("录入", SubMajorGroup::GeneralClerks),
    ("文员", SubMajorGroup::GeneralClerks),
    ("打字", SubMajorGroup::GeneralClerks),
    ("仓储", SubMajorGroup::RecordingClerks),
    ("分拣", SubMajorGroup::RecordingClerks),
    ("理货", SubMajorGroup::RecordingClerks),
    ("会计", SubMajorGroup::BusinessProfessionals),
    ("出纳", SubMajorGroup::RecordingClerks),
    ("网店", SubMajorGroup::Sales),
    ("销售", SubMajorGroup::Sales),
    ("收银", SubMajorGroup::Sales),
    ("保洁", SubMajorGroup::CleanersHelpers),
    ("清洁", SubMajorGroup::CleanersHelpers),
    ("洗车", SubMajorGroup::CleanersHelpers),
    ("包装", SubMajorGroup::MiningConstructionLabourers),
    ("装配", SubMajorGroup::Assemblers),
    ("绿化", SubMajorGroup::AgriculturalLabourers),
    ("园艺", SubMajorGroup::AgriculturalLabourers),
    ("图书", SubMajorGroup::OtherClericalSupport),
    ("保安", SubMajorGroup::ProtectiveServices),
    ("程序", SubMajorGroup::IctProfessionals),
    ("软件", SubMajorGroup::IctProfessionals),
];

/// The sub-major groups a need's occupations name: each phrase as an ISCO
/// code (`41`), a group's name in Chinese or English, or by the words of
/// [`OCCUPATION_WORDS`]. A phrase that names nothing known is left out
/// (the engine then sees no preference if none is known at all).
pub fn classify_occupations(text: &str) -> Vec<SubMajorGroup> {
    let mut found = Vec::new();
    let mut add = |group: SubMajorGroup| {
        if !found.contains(&group) {
            found.push(group);
        }
    };
    for phrase in tags(text) {
        if let Some(group) = SubMajorGroup::from_code(&phrase) {
            add(group);
            continue;
        }
        let named = SubMajorGroup::ALL.iter().copied().find(|group| {
            group.label(ablework_domain::lang::Lang::Zh) == phrase
                || group
                    .label(ablework_domain::lang::Lang::En)
                    .eq_ignore_ascii_case(&phrase)
        });
        if let Some(group) = named {
            add(group);
            continue;
        }
        for (word, group) in OCCUPATION_WORDS {
            if phrase.contains(word) {
                add(*group);
            }
        }
    }
    found
}

/// The engine's `Seeker` for a person, from their record, their newest
/// approved assessment and their newest registered need:
///
/// | `Seeker` field | from |
/// |---|---|
/// | `person_id`, `birth_date`, `retirement_group`, `education`, `home_district` | the record (`district_code` is home) |
/// | `functions` | the assessment's functions; `None` without an approved assessment, so no demand conflicts and the person is matched on the rest |
/// | `accommodations_needed` | the assessment's ∪ the need's, each once |
/// | `skills` | the assessment's skills, split into tags and normalised |
/// | `desired_occupations` | the need's occupations, classified ([`classify_occupations`]) |
/// | `districts`, `commute_limit_minutes`, `hours`, `wage_expectation` | the need; without a need: no districts and no limit (anywhere), flexible hours, no expectation |
/// | `remote_acceptable` | working from home (`remote_work`) is among the accommodations the assessment or the need names |
pub fn seeker_from(
    record: &PersonRecord,
    assessment: Option<&AssessmentRecord>,
    need: Option<&NeedRecord>,
) -> Seeker {
    let mut accommodations: Vec<Accommodation> = Vec::new();
    let listed = assessment
        .map(|a| a.fields.accommodations.as_slice())
        .unwrap_or_default()
        .iter()
        .chain(
            need.map(|n| n.fields.accommodations.as_slice())
                .unwrap_or_default(),
        );
    for accommodation in listed {
        if !accommodations.contains(accommodation) {
            accommodations.push(*accommodation);
        }
    }
    let need = need.map(|n| &n.fields);
    Seeker {
        person_id: record.id,
        birth_date: record.birth_date,
        retirement_group: record.retirement_group,
        functions: assessment.map(|a| a.fields.functions.clone()),
        remote_acceptable: accommodations.contains(&Accommodation::RemoteWork),
        accommodations_needed: accommodations,
        skills: assessment
            .map(|a| tags(&a.fields.skills))
            .unwrap_or_default(),
        education: record.education,
        desired_occupations: need
            .map(|n| classify_occupations(&n.occupations))
            .unwrap_or_default(),
        districts: need.map(|n| n.districts.clone()).unwrap_or_default(),
        commute_limit_minutes: need
            .and_then(|n| n.commute_minutes)
            .map(|m| u16::try_from(m.max(0)).unwrap_or(u16::MAX)),
        hours: need.map_or(Hours::Flexible, |n| n.hours),
        wage_expectation: need
            .and_then(|n| n.wage_expectation)
            .and_then(|w| u32::try_from(w).ok()),
        home_district: record.district_code.clone(),
    }
}

impl App {
    /// The `Seeker` for a person read in scope: their record with their
    /// newest approved assessment and newest registered need
    /// ([`seeker_from`] documents each field).
    pub async fn seeker_for(&self, person: &PersonRecord) -> AppResult<Seeker> {
        Ok(self.seeker_and_need(person).await?.0)
    }

    /// The `Seeker` and whether a need is registered.
    async fn seeker_and_need(&self, person: &PersonRecord) -> AppResult<(Seeker, bool)> {
        let file = self.store.case_file(person.id).await?;
        let assessment = crate::cases::newest_approved(&file.assessments);
        // Needs come newest first; the newest is current.
        let need = file.needs.first();
        Ok((seeker_from(person, assessment, need), need.is_some()))
    }

    /// Reads a person for matching: in the actor's scope (a seeker: their
    /// own record), audited as `action`.
    async fn matching_person(
        &self,
        actor: &Actor,
        person_id: i64,
        action: &str,
        detail: serde_json::Value,
    ) -> AppResult<PersonRecord> {
        actor.require(Permission::PersonRead)?;
        let audit = actor
            .audit(self.now(), action, "person")
            .with_entity_id(person_id)
            .with_detail(detail);
        self.store
            .read_person(person_id, &actor.person_scope(), audit)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The `n` best open postings, city-wide, for a person the actor may
    /// read, each with its match; the read is audited.
    pub async fn recommended_jobs(
        &self,
        actor: &Actor,
        person_id: i64,
        n: usize,
    ) -> AppResult<Recommendations> {
        let record = self
            .matching_person(actor, person_id, "person.recommendations", json!({}))
            .await?;
        let (seeker, has_need) = self.seeker_and_need(&record).await?;
        let postings = self.store.open_job_postings().await?;
        let jobs: Vec<Job> = postings.iter().map(JobPostingRecord::to_job).collect();
        let found = matching::top_jobs(
            &seeker,
            &jobs,
            n.min(MAX_TOP),
            self.today(),
            &self.config.policy.working_age,
        );
        let jobs = found
            .into_iter()
            .filter_map(|matched| {
                let posting = postings.iter().find(|p| p.id == matched.job_id)?;
                Some((posting.clone(), matched))
            })
            .collect();
        Ok(Recommendations {
            person: self.person_view(&record),
            assessed: seeker.functions.is_some(),
            need_registered: has_need,
            open_postings: postings.len(),
            jobs,
        })
    }

    /// The verdict on a person the actor may read and a posting: matched
    /// with every factor ("why this job"), or the hard constraint that
    /// excludes it ("why not"). The posting is any open one, or one of the
    /// actor's posting scope (so a closed posting reads as closed).
    pub async fn why_not(
        &self,
        actor: &Actor,
        person_id: i64,
        posting_id: i64,
    ) -> AppResult<WhyNot> {
        actor.require(Permission::JobRead)?;
        let posting = match self
            .store
            .job_posting(posting_id, &PostingScope::Open)
            .await?
        {
            Some(posting) => posting,
            None => self
                .store
                .job_posting(posting_id, &Self::posting_scope(actor))
                .await?
                .ok_or(AppError::NotFound)?,
        };
        let record = self
            .matching_person(
                actor,
                person_id,
                "person.why_not",
                json!({ "job_posting": posting_id }),
            )
            .await?;
        let seeker = self.seeker_for(&record).await?;
        let verdict = matching::explain(
            &seeker,
            &posting.to_job(),
            self.today(),
            &self.config.policy.working_age,
        );
        Ok(WhyNot {
            person: self.person_view(&record),
            posting,
            verdict,
        })
    }

    /// Whether the actor may see a posting's candidates: those who manage
    /// postings (an employer's HR, district officers, the city
    /// administrator), never seekers or institutions.
    pub fn can_see_candidates(actor: &Actor) -> bool {
        Self::can_write_postings(actor)
    }

    /// The `n` best candidates for a posting of the actor's scope, among
    /// the active, unemployed people whose current consent to matching is
    /// given; masked. Audited: who saw which people for which posting.
    pub async fn candidates(
        &self,
        actor: &Actor,
        posting_id: i64,
        n: usize,
    ) -> AppResult<Candidates> {
        actor.require(Permission::JobRead)?;
        let posting = self
            .store
            .job_posting(posting_id, &Self::posting_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        if !Self::can_see_candidates(actor) {
            return Err(AppError::Forbidden);
        }
        let files: Vec<SeekerFile> = self
            .store
            .consenting_seekers(ConsentPurpose::Matching)
            .await?;
        let seekers: Vec<Seeker> = files
            .iter()
            .map(|f| seeker_from(&f.person, f.assessment.as_ref(), f.need.as_ref()))
            .collect();
        let found = matching::top_candidates(
            &posting.to_job(),
            &seekers,
            n.min(MAX_TOP),
            self.today(),
            &self.config.policy.working_age,
        );
        let candidates: Vec<Candidate> = found
            .into_iter()
            .filter_map(|matched| {
                let file = files.iter().find(|f| f.person.id == matched.person_id)?;
                Some(Candidate {
                    person: self.person_view(&file.person),
                    matched,
                })
            })
            .collect();
        let shown: Vec<i64> = candidates.iter().map(|c| c.person.id).collect();
        let audit = actor
            .audit(self.now(), "job.candidates", "job_posting")
            .with_entity_id(posting_id)
            .with_detail(json!({ "persons": shown }));
        self.store.append_audit(audit).await?;
        Ok(Candidates {
            posting,
            consenting: files.len(),
            candidates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupations_are_classified_by_code_name_and_words() {
        assert_eq!(
            classify_occupations("41、Sales workers，数据录入员；保洁员"),
            [
                SubMajorGroup::GeneralClerks,
                SubMajorGroup::Sales,
                SubMajorGroup::CleanersHelpers
            ]
        );
        assert!(classify_occupations("辅助性岗位").is_empty());
        assert!(classify_occupations("").is_empty());
    }

    #[test]
    fn skills_are_split_into_normalised_tags() {
        assert_eq!(
            tags("Excel， 打字、excel; ＷＯＲＤ"),
            ["Excel", "打字", "WORD"]
        );
    }
}
