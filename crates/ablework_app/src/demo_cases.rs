//! The demo's "four ones" case records (MISSION.md measure 9): for the
//! working-age unemployed people already written, checks, assessments
//! (most approved, some waiting, a few returned), registered needs,
//! services and consents, dated across 2022–2024 with each step after the
//! one before. They go in through the store's bulk path, one transaction
//! per batch, and every choice is a mix of the seed and the person's id,
//! so a seed always gives the same case records.

use ablework_domain::district;
use ablework_domain::four_ones::{
    Accommodation, AssessmentStatus, CheckSource, CheckedField, ConsentPurpose, Function, Hours,
    Limitation, ServiceKind, ServiceResult, WorkCapacity,
};
use ablework_domain::ident::DisabilityCategory;
use ablework_domain::outcome::EmploymentForm;
use ablework_domain::person::{EmploymentStatus, Hukou};
use ablework_domain::working_age;
use ablework_store::{
    AssessmentFields, AssessmentRecord, CaseFile, CheckRecord, ConsentRecord, NeedFields,
    NeedRecord, NewAuditEntry, PersonFilter, PersonRecord, PersonScope, Recorded, ServiceRecord,
};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde_json::json;

use crate::App;
use crate::demo_employers::mix;
use crate::error::AppResult;

/// People whose case records go into one transaction.
const BATCH: usize = 1_000;

/// People read from the store at a time.
const PAGE: u32 = 2_000;

/// The first day a demo case record may carry.
const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2022, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// The last day a demo case record may carry.
const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2024, 12, 31) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// Percentages of the people served (out of 100), nested: whoever has a
/// later step has the earlier ones.
const CHECKED: u64 = 85;
const ASSESSED: u64 = 65;
const NEED_REGISTERED: u64 = 60;
const SERVED: u64 = 50;

/// Of the people checked, the share (out of 1,000) who consent to
/// matching: 470 of 850 is about 40% of everyone.
const MATCHING_PER_MILLE_OF_CHECKED: u64 = 470;

impl App {
    /// Writes case records for the working-age unemployed active people in
    /// the store (today, as the work queues count them) and answers how
    /// many records were written.
    pub(crate) async fn seed_demo_cases(&self, seed: u64) -> AppResult<u64> {
        let today = self.today();
        let last_day = LAST_DAY.min(today);
        let rule = &self.config.policy.working_age;
        let filter = PersonFilter::new(PersonScope::All);
        let mut file = CaseFile::default();
        let mut people = 0;
        let mut written = 0;
        let mut after = 0;
        loop {
            let found = self.store.persons_after(&filter, after, PAGE).await?;
            let Some(tail) = found.last() else { break };
            after = tail.id;
            for person in found.iter().filter(|p| {
                p.active
                    && p.employment_status == EmploymentStatus::Unemployed
                    && working_age::is_working_age(p.birth_date, p.retirement_group, today, rule)
            }) {
                demo_case(seed, person, last_day, &mut file);
                people += 1;
                if people % BATCH == 0 {
                    written += self.write_demo_cases(&file, seed).await?;
                    file = CaseFile::default();
                }
            }
        }
        written += self.write_demo_cases(&file, seed).await?;
        Ok(written)
    }

    async fn write_demo_cases(&self, file: &CaseFile, seed: u64) -> AppResult<u64> {
        if file.checks.is_empty() && file.consents.is_empty() {
            return Ok(0);
        }
        let audit = NewAuditEntry::new(self.now(), None, "system", "case.import", "person")
            .with_detail(json!({ "source": "demo", "seed": seed }));
        Ok(self.store.insert_case_records(file, audit).await?)
    }
}

/// Deterministic choices for one person: each call mixes the seed, the
/// person's id and a counter.
struct Dice {
    seed: u64,
    person: u64,
    rolls: u64,
}

impl Dice {
    fn new(seed: u64, person_id: i64) -> Dice {
        Dice {
            seed,
            person: person_id.unsigned_abs(),
            rolls: 0,
        }
    }

    fn roll(&mut self) -> u64 {
        self.rolls += 1;
        mix(self.seed, self.person, self.rolls)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.roll() % n.max(1)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        let at = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items[at]
    }

    /// One item, each as likely as its weight.
    fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut left = self.below(total);
        for (item, weight) in items {
            if left < *weight {
                return *item;
            }
            left -= weight;
        }
        items[0].0
    }

    /// A day from `first` to `last`, both included (`first` when they are
    /// the wrong way round).
    fn day_between(&mut self, first: NaiveDate, last: NaiveDate) -> NaiveDate {
        let span = u64::try_from((last - first).num_days()).unwrap_or(0);
        first
            .checked_add_days(Days::new(self.below(span + 1)))
            .unwrap_or(first)
    }

    /// A moment in office hours (09:00–17:00 China time) on a day.
    fn office_hours(&mut self, day: NaiveDate) -> DateTime<Utc> {
        let hour = u32::try_from(1 + self.below(8)).unwrap_or(1);
        let minute = u32::try_from(self.below(60)).unwrap_or(0);
        day.and_hms_opt(hour, minute, 0)
            .unwrap_or_default()
            .and_utc()
    }

    /// Written by no account (the records show "system") on `day`.
    fn recorded(&mut self, day: NaiveDate) -> Recorded {
        Recorded {
            user_id: None,
            username: None,
            at: self.office_hours(day),
        }
    }
}

/// The day `days` after `day`, but not after `last`.
fn after(day: NaiveDate, days: u64, last: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(days))
        .unwrap_or(day)
        .min(last)
        .max(day)
}

/// Adds one person's case records to `file`.
fn demo_case(seed: u64, person: &PersonRecord, last_day: NaiveDate, file: &mut CaseFile) {
    let first_day = person.registered_on.max(FIRST_DAY);
    if first_day > last_day {
        return;
    }
    let mut dice = Dice::new(seed, person.id);
    let depth = dice.below(100);
    if depth >= CHECKED {
        return;
    }
    // Checks happen in the first part of the period, so that later steps
    // have room to follow.
    let window = u64::try_from((last_day - first_day).num_days()).unwrap_or(0);
    let checked_on = dice.day_between(first_day, after(first_day, window * 3 / 5, last_day));
    file.checks.push(check(&mut dice, person, checked_on));
    consents(&mut dice, person, checked_on, last_day, file);
    if depth >= ASSESSED {
        return;
    }
    let status = dice.weighted(&[
        (AssessmentStatus::Approved, 89),
        (AssessmentStatus::Submitted, 8),
        (AssessmentStatus::Returned, 3),
    ]);
    let assessed_on = if status == AssessmentStatus::Approved {
        let room = u64::try_from((last_day - checked_on).num_days()).unwrap_or(0);
        dice.day_between(checked_on, after(checked_on, room / 2, last_day))
    } else {
        // Waiting or just sent back: among the newest work.
        dice.day_between(checked_on.max(last_day - Days::new(75)), last_day)
    };
    let assessment = assessment(&mut dice, person, assessed_on, status, last_day);
    let capacity = assessment.fields.capacity;
    let accommodations = assessment.fields.accommodations.clone();
    let forms = assessment.fields.forms.clone();
    file.assessments.push(assessment);
    if depth >= NEED_REGISTERED {
        return;
    }
    let room = u64::try_from((last_day - assessed_on).num_days()).unwrap_or(0);
    let registered_on = dice.day_between(assessed_on, after(assessed_on, room / 2, last_day));
    let occupations = occupations(&mut dice, person.category);
    file.needs.push(NeedRecord {
        id: 0,
        person_id: person.id,
        registered_on,
        fields: NeedFields {
            occupations: occupations.clone(),
            form: forms.first().copied(),
            districts: districts(&mut dice, &person.district_code),
            commute_minutes: dice.chance(80).then(|| dice.pick(&[30, 45, 60, 90])),
            hours: hours(&mut dice, capacity),
            wage_expectation: dice
                .chance(85)
                .then(|| 2_400 + 100 * i32::try_from(dice.below(36)).unwrap_or(0)),
            accommodations,
            willing_to_train: dice.chance(70),
        },
        recorded: dice.recorded(registered_on),
    });
    if depth >= SERVED {
        return;
    }
    let count = 1 + dice.below(3);
    let mut served_on = registered_on;
    for _ in 0..count {
        let room = u64::try_from((last_day - served_on).num_days()).unwrap_or(0);
        served_on = dice.day_between(served_on, after(served_on, room.div_ceil(2), last_day));
        let kind = service_kind(&mut dice, capacity);
        file.services.push(ServiceRecord {
            id: 0,
            person_id: person.id,
            kind,
            served_on,
            result: service_result(&mut dice, kind),
            note: dice.chance(35).then(|| service_note(kind, &occupations)),
            recorded: dice.recorded(served_on),
        });
    }
}

fn check(dice: &mut Dice, person: &PersonRecord, checked_on: NaiveDate) -> CheckRecord {
    let fields = if dice.chance(70) {
        CheckedField::ALL.to_vec()
    } else {
        let mut fields = vec![CheckedField::Identity, CheckedField::Disability];
        for extra in [
            CheckedField::Address,
            CheckedField::Contact,
            CheckedField::Education,
            CheckedField::Employment,
        ] {
            if dice.chance(60) {
                fields.push(extra);
            }
        }
        fields
    };
    let source = dice.weighted(&[
        (CheckSource::InPerson, 40),
        (CheckSource::Certificate, 20),
        (CheckSource::HomeVisit, 15),
        (CheckSource::Phone, 15),
        (CheckSource::HouseholdRegister, 10),
    ]);
    let note = match source {
        CheckSource::HomeVisit if dice.chance(50) => Some("入户走访，与家属共同核实。".to_owned()),
        CheckSource::Phone if dice.chance(50) => {
            Some("电话核实，待下次到场时核验证件。".to_owned())
        }
        _ if dice.chance(5) => Some("联系电话已更新。".to_owned()),
        _ => None,
    };
    CheckRecord {
        id: 0,
        person_id: person.id,
        checked_on,
        fields,
        source,
        note,
        recorded: dice.recorded(checked_on),
    }
}

/// The consents a person gave once checked: matching for about 40% of
/// everyone (a few withdrawn later), job fairs for about a quarter.
fn consents(
    dice: &mut Dice,
    person: &PersonRecord,
    checked_on: NaiveDate,
    last_day: NaiveDate,
    file: &mut CaseFile,
) {
    let consent = |dice: &mut Dice, purpose, given, effective_on| ConsentRecord {
        id: 0,
        person_id: person.id,
        purpose,
        given,
        effective_on,
        by_person: dice.chance(30),
        recorded: dice.recorded(effective_on),
    };
    if dice.below(1_000) < MATCHING_PER_MILLE_OF_CHECKED {
        let given_on = dice.day_between(checked_on, after(checked_on, 120, last_day));
        file.consents
            .push(consent(dice, ConsentPurpose::Matching, true, given_on));
        if dice.chance(6) && given_on < last_day {
            let withdrawn_on = dice.day_between(after(given_on, 1, last_day), last_day);
            file.consents
                .push(consent(dice, ConsentPurpose::Matching, false, withdrawn_on));
        }
    }
    if dice.chance(30) {
        let given_on = dice.day_between(checked_on, after(checked_on, 180, last_day));
        file.consents
            .push(consent(dice, ConsentPurpose::JobFairs, true, given_on));
    }
}

/// How much a level of disability limits its main function.
fn limitation_for(dice: &mut Dice, level: u8) -> Limitation {
    match level {
        1 => Limitation::Severe,
        2 => dice.pick(&[Limitation::Severe, Limitation::Moderate]),
        3 => dice.pick(&[Limitation::Moderate, Limitation::Mild]),
        _ => Limitation::Mild,
    }
}

/// One step less limited.
fn lighter(limitation: Limitation) -> Limitation {
    match limitation {
        Limitation::Severe => Limitation::Moderate,
        Limitation::Moderate => Limitation::Mild,
        Limitation::Mild | Limitation::None => Limitation::None,
    }
}

/// The functions a category mainly limits, and whether each is one step
/// lighter than the main one.
fn functions_of(category: DisabilityCategory) -> &'static [(Function, bool)] {
    match category {
        DisabilityCategory::Vision => &[(Function::Vision, false)],
        DisabilityCategory::Hearing => &[(Function::Hearing, false), (Function::Speech, true)],
        DisabilityCategory::Speech => &[(Function::Speech, false)],
        DisabilityCategory::Physical => &[(Function::Mobility, false), (Function::FineMotor, true)],
        DisabilityCategory::Intellectual => &[(Function::Cognition, false)],
        DisabilityCategory::Mental => &[(Function::Cognition, true), (Function::Stamina, false)],
        DisabilityCategory::Multiple => &[
            (Function::Mobility, false),
            (Function::Speech, true),
            (Function::Cognition, true),
        ],
    }
}

/// The languages a category usually works in: sign language for deaf
/// people, braille for blind people, spoken Mandarin for others.
fn languages_of(category: DisabilityCategory) -> Vec<ablework_domain::four_ones::Language> {
    use ablework_domain::four_ones::Language;
    match category {
        DisabilityCategory::Hearing => vec![Language::SignLanguage, Language::WrittenChinese],
        DisabilityCategory::Vision => vec![Language::Mandarin, Language::Braille],
        DisabilityCategory::Speech => vec![Language::WrittenChinese, Language::Aac],
        _ => vec![Language::Mandarin],
    }
}

/// The accommodations a category usually needs.
fn accommodations_of(category: DisabilityCategory) -> &'static [Accommodation] {
    match category {
        DisabilityCategory::Vision => &[Accommodation::ScreenReader, Accommodation::Transport],
        DisabilityCategory::Hearing => &[
            Accommodation::WrittenInstructions,
            Accommodation::SignLanguage,
        ],
        DisabilityCategory::Speech => &[Accommodation::WrittenInstructions],
        DisabilityCategory::Physical => &[
            Accommodation::StepFree,
            Accommodation::AccessibleToilet,
            Accommodation::AdjustedWorkstation,
        ],
        DisabilityCategory::Intellectual => {
            &[Accommodation::JobCoach, Accommodation::WrittenInstructions]
        }
        DisabilityCategory::Mental => &[Accommodation::QuietSpace, Accommodation::FlexibleHours],
        DisabilityCategory::Multiple => &[
            Accommodation::StepFree,
            Accommodation::JobCoach,
            Accommodation::FlexibleHours,
        ],
    }
}

fn assessment(
    dice: &mut Dice,
    person: &PersonRecord,
    assessed_on: NaiveDate,
    status: AssessmentStatus,
    last_day: NaiveDate,
) -> AssessmentRecord {
    let main = limitation_for(dice, person.level);
    let limited = functions_of(person.category);
    let functions = Function::ALL
        .iter()
        .map(|function| {
            let limitation = match limited.iter().find(|(f, _)| f == function) {
                Some((_, true)) => lighter(main),
                Some((_, false)) => main,
                None if *function == Function::Stamina && dice.chance(15) => Limitation::Mild,
                None => Limitation::None,
            };
            (*function, limitation)
        })
        .collect();
    let capacity = match person.level {
        1 => dice.weighted(&[(WorkCapacity::Supported, 60), (WorkCapacity::NotNow, 40)]),
        2 => dice.weighted(&[
            (WorkCapacity::PartTime, 50),
            (WorkCapacity::Supported, 40),
            (WorkCapacity::NotNow, 10),
        ]),
        3 => dice.weighted(&[(WorkCapacity::FullTime, 60), (WorkCapacity::PartTime, 40)]),
        _ => dice.weighted(&[(WorkCapacity::FullTime, 85), (WorkCapacity::PartTime, 15)]),
    };
    let mut forms = match capacity {
        WorkCapacity::FullTime => vec![EmploymentForm::Quota],
        WorkCapacity::PartTime => vec![EmploymentForm::Flexible],
        WorkCapacity::Supported => vec![EmploymentForm::Auxiliary],
        WorkCapacity::NotNow => Vec::new(),
    };
    if capacity == WorkCapacity::FullTime && dice.chance(30) {
        forms.push(EmploymentForm::Flexible);
    }
    if capacity == WorkCapacity::PartTime && dice.chance(30) {
        forms.push(EmploymentForm::PublicWelfare);
    }
    if person.hukou == Some(Hukou::Rural) && capacity != WorkCapacity::NotNow && dice.chance(50) {
        forms.push(EmploymentForm::Agriculture);
    }
    let accommodations = accommodations_of(person.category)
        .iter()
        .copied()
        .enumerate()
        .filter(|(at, _)| *at == 0 || dice.chance(50))
        .map(|(_, a)| a)
        .collect();
    let (reviewed, review_note) = match status {
        AssessmentStatus::Submitted => (None, None),
        AssessmentStatus::Approved => {
            let day = after(assessed_on, 1 + dice.below(10), last_day);
            (Some(dice.recorded(day)), None)
        }
        AssessmentStatus::Returned => {
            let day = after(assessed_on, 1 + dice.below(5), last_day);
            let note = dice.pick(&[
                "功能评估缺少听力项的说明，请补充后重新提交。",
                "工作能力结论与功能评估不一致，请复核。",
                "请补充技能特长的具体描述。",
            ]);
            (Some(dice.recorded(day)), Some(note.to_owned()))
        }
    };
    AssessmentRecord {
        id: 0,
        person_id: person.id,
        assessed_on,
        fields: AssessmentFields {
            functions,
            capacity,
            skills: skills(dice, person.category),
            forms,
            accommodations,
            languages: languages_of(person.category),
        },
        status,
        recorded: dice.recorded(assessed_on),
        reviewed,
        review_note,
    }
}

/// One or two of `items`, joined with 、.
fn one_or_two(dice: &mut Dice, items: &[&str]) -> String {
    let first = dice.pick(items);
    let second = dice.pick(items);
    if second == first || dice.chance(50) {
        first.to_owned()
    } else {
        format!("{first}、{second}")
    }
}

fn skills(dice: &mut Dice, category: DisabilityCategory) -> String {
    let items: &[&str] = match category {
        DisabilityCategory::Vision => &["按摩推拿", "盲文读写", "电话沟通", "钢琴调律"],
        DisabilityCategory::Hearing => &["平面设计", "手工制作", "数据录入", "烘焙", "服装缝纫"],
        DisabilityCategory::Speech => &["数据录入", "仓储分拣", "文字客服"],
        DisabilityCategory::Physical => {
            &["计算机操作", "会计记账", "电商运营", "手工编织", "电话沟通"]
        }
        DisabilityCategory::Intellectual => &["清洁保洁", "简单包装", "洗车", "园艺养护"],
        DisabilityCategory::Mental => &["图书整理", "包装装配", "园艺养护", "数据录入"],
        DisabilityCategory::Multiple => &["手工编织", "简单包装", "清洁保洁"],
    };
    one_or_two(dice, items)
}

fn occupations(dice: &mut Dice, category: DisabilityCategory) -> String {
    let items: &[&str] = match category {
        DisabilityCategory::Vision => &["保健按摩师", "电话客服", "钢琴调律师"],
        DisabilityCategory::Hearing => &["平面设计员", "面点师", "缝纫工", "数据录入员"],
        DisabilityCategory::Speech => &["数据录入员", "仓储分拣员", "网店客服"],
        DisabilityCategory::Physical => &["办公室文员", "会计", "网店运营", "电话客服"],
        DisabilityCategory::Intellectual => &["保洁员", "包装工", "洗车工", "绿化工"],
        DisabilityCategory::Mental => &["图书管理员", "包装装配工", "绿化工"],
        DisabilityCategory::Multiple => &["手工艺品制作", "包装工", "辅助性岗位"],
    };
    one_or_two(dice, items)
}

/// The person's own district, and sometimes one more.
fn districts(dice: &mut Dice, own: &str) -> Vec<String> {
    let mut districts = vec![own.to_owned()];
    if dice.chance(30) {
        let other = dice.pick(district::all()).code;
        if other != own {
            districts.push(other.to_owned());
        }
    }
    districts
}

fn hours(dice: &mut Dice, capacity: WorkCapacity) -> Hours {
    match capacity {
        WorkCapacity::FullTime => dice.weighted(&[(Hours::FullTime, 85), (Hours::Flexible, 15)]),
        WorkCapacity::PartTime => dice.weighted(&[(Hours::PartTime, 70), (Hours::Flexible, 30)]),
        WorkCapacity::Supported => dice.pick(&[Hours::PartTime, Hours::Flexible]),
        WorkCapacity::NotNow => Hours::Flexible,
    }
}

fn service_kind(dice: &mut Dice, capacity: WorkCapacity) -> ServiceKind {
    match capacity {
        WorkCapacity::Supported => dice.weighted(&[
            (ServiceKind::AuxiliaryPlacement, 35),
            (ServiceKind::PolicyAdvice, 25),
            (ServiceKind::TrainingReferral, 20),
            (ServiceKind::JobFairInvitation, 10),
            (ServiceKind::RehabilitationReferral, 10),
        ]),
        WorkCapacity::NotNow => dice.weighted(&[
            (ServiceKind::RehabilitationReferral, 50),
            (ServiceKind::PolicyAdvice, 40),
            (ServiceKind::TrainingReferral, 10),
        ]),
        WorkCapacity::FullTime | WorkCapacity::PartTime => dice.weighted(&[
            (ServiceKind::JobRecommendation, 40),
            (ServiceKind::PolicyAdvice, 20),
            (ServiceKind::JobFairInvitation, 15),
            (ServiceKind::TrainingReferral, 15),
            (ServiceKind::EntrepreneurshipSupport, 5),
            (ServiceKind::RehabilitationReferral, 5),
        ]),
    }
}

/// What came of a service. None of the demo's services led to a job: the
/// people served are still registered as unemployed.
fn service_result(dice: &mut Dice, kind: ServiceKind) -> ServiceResult {
    match kind {
        ServiceKind::PolicyAdvice => ServiceResult::Completed,
        ServiceKind::JobRecommendation => dice.weighted(&[
            (ServiceResult::Declined, 40),
            (ServiceResult::Accepted, 35),
            (ServiceResult::Pending, 25),
        ]),
        ServiceKind::TrainingReferral => dice.weighted(&[
            (ServiceResult::Accepted, 40),
            (ServiceResult::Completed, 35),
            (ServiceResult::Declined, 25),
        ]),
        ServiceKind::JobFairInvitation => dice.weighted(&[
            (ServiceResult::Accepted, 50),
            (ServiceResult::Declined, 30),
            (ServiceResult::Completed, 20),
        ]),
        ServiceKind::EntrepreneurshipSupport => dice.weighted(&[
            (ServiceResult::Accepted, 50),
            (ServiceResult::Completed, 30),
            (ServiceResult::Pending, 20),
        ]),
        ServiceKind::AuxiliaryPlacement => {
            dice.weighted(&[(ServiceResult::Accepted, 70), (ServiceResult::Pending, 30)])
        }
        ServiceKind::RehabilitationReferral => dice.weighted(&[
            (ServiceResult::Accepted, 60),
            (ServiceResult::Completed, 40),
        ]),
    }
}

fn service_note(kind: ServiceKind, occupations: &str) -> String {
    match kind {
        ServiceKind::JobRecommendation => {
            format!("推荐{occupations}岗位，已将求职意向转给用人单位。")
        }
        ServiceKind::TrainingReferral => "转介至区残联职业技能培训班。".to_owned(),
        ServiceKind::PolicyAdvice => "讲解按比例就业、社会保险补贴和灵活就业政策。".to_owned(),
        ServiceKind::JobFairInvitation => "邀请参加残疾人专场招聘会。".to_owned(),
        ServiceKind::EntrepreneurshipSupport => "介绍创业补贴和场地租金补助的申请办法。".to_owned(),
        ServiceKind::AuxiliaryPlacement => "安排到街道温馨家园辅助性就业机构试岗。".to_owned(),
        ServiceKind::RehabilitationReferral => "转介至区残疾人康复中心。".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use std::collections::HashSet;

    use super::*;

    fn person(
        id: i64,
        registered_on: NaiveDate,
        category: DisabilityCategory,
        level: u8,
    ) -> PersonRecord {
        PersonRecord {
            id,
            name: "张伟".to_owned(),
            id_number_enc: Vec::new(),
            id_number_hash: String::new(),
            id_number_masked: String::new(),
            certificate_enc: Vec::new(),
            certificate_masked: String::new(),
            sex: ablework_domain::ident::Sex::Male,
            birth_date: NaiveDate::from_ymd_opt(1985, 5, 5).unwrap(),
            category,
            level,
            district_code: "120101".to_owned(),
            street: None,
            hukou: Some(if id % 3 == 0 {
                Hukou::Rural
            } else {
                Hukou::Urban
            }),
            phone_enc: None,
            phone_masked: None,
            education: None,
            employment_status: EmploymentStatus::Unemployed,
            retirement_group: ablework_domain::working_age::RetirementGroup::Male,
            registered_on,
            active: true,
            created_at: DateTime::default(),
            updated_at: DateTime::default(),
        }
    }

    /// Case records for `n` people, registered over 2010–2024.
    fn cases(seed: u64, n: i64) -> CaseFile {
        let mut file = CaseFile::default();
        for id in 1..=n {
            let registered_on = FIRST_DAY
                .checked_sub_days(Days::new(u64::try_from(id % 4_000).unwrap()))
                .unwrap()
                .checked_add_days(Days::new(u64::try_from(id % 1_000).unwrap()))
                .unwrap();
            let category = DisabilityCategory::ALL[usize::try_from(id % 7).unwrap()];
            let level = u8::try_from(id % 4 + 1).unwrap();
            demo_case(
                seed,
                &person(id, registered_on, category, level),
                LAST_DAY,
                &mut file,
            );
        }
        file
    }

    fn share(part: usize, whole: i64) -> f64 {
        #[expect(clippy::cast_precision_loss, reason = "a test's rough share")]
        let share = part as f64 / whole as f64;
        share * 100.0
    }

    #[test]
    fn the_steps_come_in_realistic_proportions() {
        let n = 10_000;
        let file = cases(7, n);
        let people = |ids: Vec<i64>| ids.into_iter().collect::<HashSet<_>>().len();
        let checked = people(file.checks.iter().map(|c| c.person_id).collect());
        let assessed = file.assessments.len();
        let needs = file.needs.len();
        let served = people(file.services.iter().map(|s| s.person_id).collect());
        let matching = people(
            file.consents
                .iter()
                .filter(|c| c.purpose == ConsentPurpose::Matching && c.given)
                .map(|c| c.person_id)
                .collect(),
        );
        for (what, found, expected) in [
            ("checked", checked, 85.0),
            ("assessed", assessed, 65.0),
            ("need", needs, 60.0),
            ("served", served, 50.0),
            ("matching", matching, 40.0),
        ] {
            let found = share(found, n);
            assert!((found - expected).abs() < 2.0, "{what}: {found:.1}%");
        }
        let waiting = file
            .assessments
            .iter()
            .filter(|a| a.status == AssessmentStatus::Submitted)
            .count();
        let returned = file
            .assessments
            .iter()
            .filter(|a| a.status == AssessmentStatus::Returned)
            .count();
        let waiting = share(waiting, i64::try_from(assessed).unwrap());
        let returned = share(returned, i64::try_from(assessed).unwrap());
        assert!((waiting - 8.0).abs() < 1.5, "waiting {waiting:.1}%");
        assert!((returned - 3.0).abs() < 1.0, "returned {returned:.1}%");
        assert!(file.consents.iter().any(|c| !c.given), "some withdrawn");
        let per_person = share(file.services.len(), i64::try_from(served).unwrap()) / 100.0;
        assert!((1.5..=2.5).contains(&per_person), "{per_person}");
        let kinds: HashSet<_> = file.services.iter().map(|s| s.kind).collect();
        assert!(kinds.len() >= 6, "{kinds:?}");
        let results: HashSet<_> = file.services.iter().map(|s| s.result).collect();
        assert_eq!(results.len(), 4, "{results:?}");
    }

    #[test]
    fn each_step_follows_the_one_before_within_2022_to_2024() {
        let file = cases(11, 3_000);
        let first = |list: Vec<(i64, NaiveDate)>| {
            let mut days = std::collections::HashMap::new();
            for (person, day) in list {
                let entry = days.entry(person).or_insert(day);
                *entry = (*entry).min(day);
            }
            days
        };
        let checked = first(
            file.checks
                .iter()
                .map(|c| (c.person_id, c.checked_on))
                .collect(),
        );
        let assessed = first(
            file.assessments
                .iter()
                .map(|a| (a.person_id, a.assessed_on))
                .collect(),
        );
        let needs = first(
            file.needs
                .iter()
                .map(|n| (n.person_id, n.registered_on))
                .collect(),
        );
        for (person, day) in &assessed {
            assert!(checked[person] <= *day, "{person}");
        }
        for (person, day) in &needs {
            assert!(assessed[person] <= *day, "{person}");
        }
        for service in &file.services {
            assert!(needs[&service.person_id] <= service.served_on);
        }
        for consent in &file.consents {
            assert!(checked[&consent.person_id] <= consent.effective_on);
        }
        for assessment in &file.assessments {
            if let Some(reviewed) = &assessment.reviewed {
                assert!(reviewed.at.date_naive() >= assessment.assessed_on);
                assert!(reviewed.user_id.is_none());
            }
            assert_eq!(
                assessment.reviewed.is_some(),
                assessment.status != AssessmentStatus::Submitted
            );
            assert_eq!(
                assessment.review_note.is_some(),
                assessment.status == AssessmentStatus::Returned
            );
            assert_eq!(assessment.fields.functions.len(), Function::ALL.len());
        }
        let days = file
            .checks
            .iter()
            .map(|c| c.checked_on)
            .chain(file.services.iter().map(|s| s.served_on))
            .chain(file.consents.iter().map(|c| c.effective_on));
        for day in days {
            assert!((FIRST_DAY..=LAST_DAY).contains(&day), "{day}");
        }
    }

    /// The demo written to a real store: every working-age unemployed
    /// person's case agrees with the work queues, and nobody else has one.
    #[tokio::test]
    async fn the_demo_writes_cases_the_work_queues_agree_with() {
        use ablework_domain::four_ones::Step;
        use chrono::TimeZone;

        let today = Utc.with_ymd_and_hms(2025, 3, 1, 2, 0, 0).unwrap();
        let Some((app, store, _guard)) = crate::demo::seeded_demo(today, 800, 0).await else {
            return;
        };
        let token = app.create_api_token(None, "admin").await.unwrap();
        let admin = app.authenticate_token(&token, None).await.unwrap();
        let mut queues = Vec::new();
        for step in Step::ALL {
            let found = app.work_queue(&admin, *step, 1, 200).await.unwrap();
            let mut ids: HashSet<i64> = found.items.iter().map(|p| p.id).collect();
            let mut page = 1;
            while u64::try_from(ids.len()).unwrap() < found.total {
                page += 1;
                let more = app.work_queue(&admin, *step, page, 200).await.unwrap();
                ids.extend(more.items.iter().map(|p| p.id));
            }
            queues.push((*step, ids));
        }
        let today = app.today();
        let rule = &app.config.policy.working_age;
        let everyone = store
            .persons_after(&PersonFilter::new(PersonScope::All), 0, 10_000)
            .await
            .unwrap();
        let (mut eligible, mut checked) = (0, 0);
        for person in &everyone {
            let file = store.case_file(person.id).await.unwrap();
            let in_queues = person.active
                && person.employment_status == EmploymentStatus::Unemployed
                && working_age::is_working_age(
                    person.birth_date,
                    person.retirement_group,
                    today,
                    rule,
                );
            if !in_queues {
                assert_eq!(file, CaseFile::default(), "{}", person.id);
                continue;
            }
            eligible += 1;
            checked += usize::from(!file.checks.is_empty());
            let done = [
                !file.checks.is_empty(),
                file.assessments
                    .iter()
                    .any(|a| a.status == AssessmentStatus::Approved),
                !file.needs.is_empty(),
                !file.services.is_empty(),
            ];
            for ((step, queue), done) in queues.iter().zip(done) {
                assert_eq!(queue.contains(&person.id), !done, "{step:?} {}", person.id);
            }
        }
        assert!(eligible > 100, "{eligible}");
        let checked = share(checked, eligible);
        assert!((70.0..=95.0).contains(&checked), "{checked:.1}%");
    }

    #[test]
    fn a_seed_always_gives_the_same_records_and_another_seed_others() {
        assert_eq!(cases(3, 500), cases(3, 500));
        assert_ne!(cases(3, 500), cases(4, 500));
    }
}
