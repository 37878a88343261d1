//! The "four ones" service on a person's case (MISSION.md measure 9): the
//! check, the assessment a supervisor approves or returns, the registered
//! need and the services given, with the person's consents beside them,
//! and the work queues that list who still lacks a step.

use std::str::FromStr;

use ablework_domain::district;
use ablework_domain::four_ones::{
    Accommodation, AssessmentStatus, CheckSource, CheckedField, ConsentPurpose, Function, Hours,
    Limitation, Progress, ServiceKind, ServiceResult, Step, WorkCapacity,
};
use ablework_domain::outcome::EmploymentForm;
use ablework_domain::roles::{Permission, Role};
use ablework_domain::working_age::{self, RetirementGroup};
use chrono::{Datelike, NaiveDate};
use serde_json::json;

pub use ablework_store::{
    AssessmentFields, AssessmentRecord, CaseFile, CheckRecord, ConsentRecord, FollowUp, NeedFields,
    NeedRecord, OutcomeDetails, OutcomeRecord, Recorded, ServiceRecord,
};
use ablework_store::{Page, StoreError, WorkQueueFilter};

use crate::App;
use crate::actor::Actor;
use crate::employers::Review;
use crate::error::{AppError, AppResult, FieldError, Localized, invalid};
use crate::persons::PersonView;
use ablework_domain::progress::FourOnesCoverage;
use ablework_store::{PersonRecord, PersonScope};

/// The longest free text on a case record.
const MAX_TEXT: usize = 500;

/// How many days before its due date a follow-up may be made.
const FOLLOW_UP_EARLY_DAYS: u64 = 15;

/// A person's case as its pages and the API show it.
#[derive(Clone, Debug)]
pub struct CaseView {
    /// The person (masked).
    pub person: PersonView,
    /// Every record, newest first.
    pub file: CaseFile,
    /// Which steps are done.
    pub progress: Progress,
    /// The consent in force for each purpose (`None`: never asked).
    pub consents: Vec<(ConsentPurpose, Option<ConsentRecord>)>,
    /// Employment outcomes, newest first, with follow-ups.
    pub outcomes: Vec<OutcomeRecord>,
    /// Whether the actor may add records.
    pub can_write: bool,
    /// Whether the actor may give or withdraw consents here.
    pub can_consent: bool,
    /// Whether the actor may register a need (staff, or the person).
    pub can_state_need: bool,
}

/// A check as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckInput {
    /// `YYYY-MM-DD`.
    pub checked_on: String,
    /// Codes of the parts verified.
    pub fields: Vec<String>,
    /// Source code.
    pub source: String,
    /// Optional note.
    pub note: String,
}

/// An assessment as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssessmentInput {
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    /// `(function code, limitation code)` for every function assessed.
    pub functions: Vec<(String, String)>,
    /// Work capacity code.
    pub capacity: String,
    /// Skills.
    pub skills: String,
    /// Recommended employment form codes.
    pub forms: Vec<String>,
    /// Accommodation codes.
    pub accommodations: Vec<String>,
    /// Language codes (`sign_language`, `braille`, …).
    pub languages: Vec<String>,
}

/// A need as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NeedInput {
    /// `YYYY-MM-DD`.
    pub registered_on: String,
    /// Desired occupations.
    pub occupations: String,
    /// Employment form code (optional).
    pub form: String,
    /// District codes.
    pub districts: Vec<String>,
    /// Longest commute, minutes (optional).
    pub commute_minutes: String,
    /// Hours code.
    pub hours: String,
    /// Monthly wage expected (optional).
    pub wage_expectation: String,
    /// Accommodation codes.
    pub accommodations: Vec<String>,
    /// Willing to train.
    pub willing_to_train: bool,
}

/// An employment outcome as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutcomeInput {
    /// `YYYY-MM-DD`, the first day of work.
    pub started_on: String,
    /// Employment form code.
    pub form: String,
    /// The plan's measure credited (code).
    pub measure: String,
    /// The employer's unified social credit code, if registered (optional).
    pub employer: String,
    /// Contract length in months (optional; empty for open-ended).
    pub contract_months: String,
    /// Monthly wage, CNY (optional).
    pub monthly_wage: String,
    /// `yes`, `no` or empty (not known).
    pub insured: String,
}

/// A follow-up as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FollowUpInput {
    /// `3`, `6` or `12`.
    pub after_months: String,
    /// `YYYY-MM-DD`.
    pub checked_on: String,
    /// `yes` or `no`.
    pub still_employed: String,
    /// Optional note.
    pub note: String,
}

/// A service as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceInput {
    /// Service kind code.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub served_on: String,
    /// Result code.
    pub result: String,
    /// Optional note.
    pub note: String,
}

/// Reads a day that is not in the future and not before 2000.
fn day(
    field: &str,
    text: &str,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    match NaiveDate::from_str(text) {
        Ok(date) if date > today => {
            errors.push(invalid(
                field,
                "in_future",
                "日期不能晚于今天。",
                "The date cannot be later than today.",
            ));
            None
        }
        Ok(date) if date.year() < 2000 => {
            errors.push(invalid(
                field,
                "too_early",
                "日期不能早于 2000 年。",
                "The date cannot be before 2000.",
            ));
            None
        }
        Ok(date) => Some(date),
        Err(_) => {
            errors.push(invalid(
                field,
                "format",
                "请按 2024-06-30 的格式填写日期。",
                "Write the date as 2024-06-30.",
            ));
            None
        }
    }
}

/// Reads one code of a vocabulary.
fn one<T>(
    field: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    if text.trim().is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    let found = parse(text.trim());
    if found.is_none() {
        errors.push(invalid(
            field,
            "unknown_value",
            "请从列表中选择。",
            "Choose one of the listed values.",
        ));
    }
    found
}

/// Reads a list of codes, each from a vocabulary, without repeats.
fn many<T: PartialEq>(
    field: &str,
    texts: &[String],
    parse: fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Vec<T> {
    let mut found = Vec::new();
    for text in texts.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        match parse(text) {
            Some(value) if !found.contains(&value) => found.push(value),
            Some(_) => {}
            None => errors.push(invalid(
                field,
                "unknown_value",
                format!("“{text}”不是可选的值。"),
                format!("\"{text}\" is not one of the listed values."),
            )),
        }
    }
    found
}

/// Reads optional free text of bounded length.
fn text(field: &str, value: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = value.trim();
    if value.chars().count() > MAX_TEXT {
        errors.push(invalid(
            field,
            "too_long",
            format!("最多 {MAX_TEXT} 个字。"),
            format!("At most {MAX_TEXT} characters."),
        ));
        return None;
    }
    (!value.is_empty()).then(|| value.to_owned())
}

/// Reads an optional whole number in a range.
fn optional_number(
    field: &str,
    value: &str,
    range: std::ops::RangeInclusive<i32>,
    errors: &mut Vec<FieldError>,
) -> Option<i32> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i32>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.push(invalid(
                field,
                "out_of_range",
                format!("请填写 {} 到 {} 之间的整数。", range.start(), range.end()),
                format!(
                    "Enter a whole number from {} to {}.",
                    range.start(),
                    range.end()
                ),
            ));
            None
        }
    }
}

fn finish<T>(value: Option<T>, errors: Vec<FieldError>) -> AppResult<T> {
    match value {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// The assessment in force: the newest approved one (by day, then as
/// recorded); a submitted or returned one does not count.
pub(crate) fn newest_approved(assessments: &[AssessmentRecord]) -> Option<&AssessmentRecord> {
    assessments
        .iter()
        .filter(|a| a.status == AssessmentStatus::Approved)
        .max_by_key(|a| (a.assessed_on, a.id))
}

/// A person's employment outcome starting on `started_on`: the counted
/// facts of the person (district of service, household, disability) as
/// their record has them now. Every path that records an outcome builds it
/// here.
pub(crate) fn outcome_of(
    person: &ablework_store::PersonRecord,
    started_on: chrono::NaiveDate,
    form: ablework_domain::outcome::EmploymentForm,
    measure: ablework_domain::outcome::Measure,
) -> ablework_domain::outcome::Outcome {
    ablework_domain::outcome::Outcome {
        person_id: person.id,
        started_on,
        ended_on: None,
        form,
        measure,
        district_code: person.district_code.clone(),
        hukou: person
            .hukou
            .unwrap_or(ablework_domain::person::Hukou::Urban),
        category: person.category,
        level: person.level,
        sex: person.sex,
    }
}

impl App {
    /// The newest approved assessment of a person already read in scope:
    /// the skills, languages and accommodations the registry record shows.
    pub async fn approved_assessment(
        &self,
        person: &PersonView,
    ) -> AppResult<Option<AssessmentRecord>> {
        let file = self.store.case_file(person.id).await?;
        Ok(newest_approved(&file.assessments).cloned())
    }

    /// A person's case: the (audited) masked record, every case record and
    /// the consents in force.
    pub async fn case(&self, actor: &Actor, person_id: i64) -> AppResult<CaseView> {
        let person = self.get_person(actor, person_id).await?;
        let file = self.store.case_file(person_id).await?;
        let progress = Progress {
            checked: !file.checks.is_empty(),
            assessed: file
                .assessments
                .iter()
                .any(|a| a.status == AssessmentStatus::Approved),
            need_registered: !file.needs.is_empty(),
            served: !file.services.is_empty(),
        };
        let consents = ConsentPurpose::ALL
            .iter()
            .map(|purpose| {
                (
                    *purpose,
                    file.consents
                        .iter()
                        .find(|c| c.purpose == *purpose)
                        .cloned(),
                )
            })
            .collect();
        let outcomes = self.store.outcomes_of(person_id).await?;
        Ok(CaseView {
            person,
            file,
            progress,
            consents,
            outcomes,
            can_write: actor.role.permits(Permission::PersonWrite),
            can_consent: actor.role.permits(Permission::PersonWrite) || actor.role == Role::Seeker,
            can_state_need: actor.role.permits(Permission::PersonWrite)
                || actor.role == Role::Seeker,
        })
    }

    /// Reads the person within the actor's scope and permission to write.
    async fn writable_person(&self, actor: &Actor, person_id: i64) -> AppResult<()> {
        actor.require(Permission::PersonWrite)?;
        self.get_person(actor, person_id).await.map(|_| ())
    }

    /// Records a check of a person's basic information.
    pub async fn record_check(
        &self,
        actor: &Actor,
        person_id: i64,
        input: &CheckInput,
    ) -> AppResult<i64> {
        self.writable_person(actor, person_id).await?;
        let mut errors = Vec::new();
        let checked_on = day("checked_on", &input.checked_on, self.today(), &mut errors);
        let fields = many(
            "fields",
            &input.fields,
            CheckedField::from_code,
            &mut errors,
        );
        if fields.is_empty() && errors.iter().all(|e| e.field != "fields") {
            errors.push(invalid(
                "fields",
                "required",
                "请至少选择一项已核实的内容。",
                "Choose at least one part that was verified.",
            ));
        }
        let source = one("source", &input.source, CheckSource::from_code, &mut errors);
        let note = text("note", &input.note, &mut errors);
        let (checked_on, source) = finish(checked_on.zip(source), errors)?;
        let record = CheckRecord {
            id: 0,
            person_id,
            checked_on,
            fields,
            source,
            note,
            recorded: self.recorded_now(actor),
        };
        let audit = actor.audit(self.now(), "case.check", "person");
        Ok(self.store.add_check(&record, audit).await?)
    }

    /// Records an assessment; it waits for a supervisor.
    pub async fn submit_assessment(
        &self,
        actor: &Actor,
        person_id: i64,
        input: &AssessmentInput,
    ) -> AppResult<i64> {
        self.writable_person(actor, person_id).await?;
        let mut errors = Vec::new();
        let assessed_on = day("assessed_on", &input.assessed_on, self.today(), &mut errors);
        let mut functions = Vec::new();
        for function in Function::ALL {
            let field = format!("function_{}", function.code());
            let given = input
                .functions
                .iter()
                .find(|(f, _)| f == function.code())
                .map(|(_, l)| l.as_str())
                .unwrap_or_default();
            if let Some(limitation) = one(&field, given, Limitation::from_code, &mut errors) {
                functions.push((*function, limitation));
            }
        }
        let capacity = one(
            "capacity",
            &input.capacity,
            WorkCapacity::from_code,
            &mut errors,
        );
        let skills = text("skills", &input.skills, &mut errors).unwrap_or_default();
        let forms = many(
            "forms",
            &input.forms,
            EmploymentForm::from_code,
            &mut errors,
        );
        let languages = many(
            "languages",
            &input.languages,
            ablework_domain::four_ones::Language::from_code,
            &mut errors,
        );
        let accommodations = many(
            "accommodations",
            &input.accommodations,
            Accommodation::from_code,
            &mut errors,
        );
        let (assessed_on, capacity) = finish(assessed_on.zip(capacity), errors)?;
        let record = AssessmentRecord {
            id: 0,
            person_id,
            assessed_on,
            fields: AssessmentFields {
                functions,
                capacity,
                skills,
                forms,
                accommodations,
                languages,
            },
            status: AssessmentStatus::Submitted,
            recorded: self.recorded_now(actor),
            reviewed: None,
            review_note: None,
        };
        let audit = actor.audit(self.now(), "case.assessment", "person");
        Ok(self.store.add_assessment(&record, audit).await?)
    }

    /// A supervisor approves or returns an assessment. Nobody approves
    /// their own; a return needs reasons. Returns the person's id.
    pub async fn review_assessment(
        &self,
        actor: &Actor,
        id: i64,
        review: Review,
        note: &str,
    ) -> AppResult<i64> {
        actor.require(Permission::PersonWrite)?;
        let assessment = self.store.assessment(id).await?.ok_or(AppError::NotFound)?;
        // Out of the actor's scope reads as absent.
        self.get_person(actor, assessment.person_id).await?;
        if assessment.recorded.user_id == Some(actor.user_id) {
            return Err(AppError::field(
                "note",
                "own_assessment",
                Localized::new(
                    "不能审核自己做的评估，请由另一位工作人员审核。",
                    "You cannot approve your own assessment: another member of staff must review it.",
                ),
            ));
        }
        let mut errors = Vec::new();
        let note = text("note", note, &mut errors);
        if review == Review::Return && note.is_none() && errors.is_empty() {
            errors.push(invalid(
                "note",
                "required",
                "退回时请写明原因。",
                "Give the reasons for returning it.",
            ));
        }
        finish(Some(()), errors)?;
        let (status, action) = match review {
            Review::Approve => (AssessmentStatus::Approved, "case.assessment.approve"),
            Review::Return => (AssessmentStatus::Returned, "case.assessment.return"),
        };
        let audit = actor
            .audit(self.now(), action, "person")
            .with_entity_id(assessment.person_id)
            .with_detail(json!({ "assessment": id }));
        self.store
            .review_assessment(id, status, self.recorded_now(actor), note, audit)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::Conflict {
                    code: "assessment_not_submitted".to_owned(),
                    message: Localized::new(
                        "这份评估不在待审核状态。",
                        "This assessment is not waiting for approval.",
                    ),
                },
                other => other.into(),
            })?;
        Ok(assessment.person_id)
    }

    /// Assessments waiting for a supervisor in the actor's scope, 20 to a
    /// page, oldest first, each with the person's name.
    pub async fn assessments_waiting(
        &self,
        actor: &Actor,
        page: u32,
    ) -> AppResult<Page<(AssessmentRecord, String)>> {
        self.assessments_waiting_page(actor, page, 20).await
    }

    /// Assessments waiting for a supervisor in the actor's scope, a page of
    /// `per_page` (1–200) at a time, oldest first, each with the person's
    /// name.
    pub async fn assessments_waiting_page(
        &self,
        actor: &Actor,
        page: u32,
        per_page: u32,
    ) -> AppResult<Page<(AssessmentRecord, String)>> {
        actor.require(Permission::PersonWrite)?;
        Ok(self
            .store
            .assessments_waiting(&actor.person_scope(), page.max(1), per_page.clamp(1, 200))
            .await?)
    }

    /// Registers a person's employment need.
    pub async fn register_need(
        &self,
        actor: &Actor,
        person_id: i64,
        input: &NeedInput,
    ) -> AppResult<i64> {
        if actor.role == Role::Seeker {
            // A person states their own preferences; their scope is their
            // own record.
            self.get_person(actor, person_id).await?;
        } else {
            self.writable_person(actor, person_id).await?;
        }
        let mut errors = Vec::new();
        let registered_on = day(
            "registered_on",
            &input.registered_on,
            self.today(),
            &mut errors,
        );
        let occupations = text("occupations", &input.occupations, &mut errors);
        if occupations.is_none() && errors.iter().all(|e| e.field != "occupations") {
            errors.push(FieldError::required("occupations"));
        }
        let form = if input.form.trim().is_empty() {
            None
        } else {
            one("form", &input.form, EmploymentForm::from_code, &mut errors)
        };
        let mut districts = Vec::new();
        for code in input
            .districts
            .iter()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
        {
            match district::resolve(code) {
                Some(found) if !districts.contains(&found.code.to_owned()) => {
                    districts.push(found.code.to_owned());
                }
                Some(_) => {}
                None => errors.push(invalid(
                    "districts",
                    "unknown_district",
                    "请选择天津市的区。",
                    "Choose districts of Tianjin.",
                )),
            }
        }
        let commute_minutes = optional_number(
            "commute_minutes",
            &input.commute_minutes,
            5..=240,
            &mut errors,
        );
        let hours = one("hours", &input.hours, Hours::from_code, &mut errors);
        let wage_expectation = optional_number(
            "wage_expectation",
            &input.wage_expectation,
            0..=1_000_000,
            &mut errors,
        );
        let accommodations = many(
            "accommodations",
            &input.accommodations,
            Accommodation::from_code,
            &mut errors,
        );
        let (registered_on, hours) = finish(registered_on.zip(hours), errors)?;
        let record = NeedRecord {
            id: 0,
            person_id,
            registered_on,
            fields: NeedFields {
                occupations: occupations.unwrap_or_default(),
                form,
                districts,
                commute_minutes,
                hours,
                wage_expectation,
                accommodations,
                willing_to_train: input.willing_to_train,
            },
            recorded: self.recorded_now(actor),
        };
        let audit = actor.audit(self.now(), "case.need", "person");
        Ok(self.store.add_need(&record, audit).await?)
    }

    /// Records a service given.
    pub async fn record_service(
        &self,
        actor: &Actor,
        person_id: i64,
        input: &ServiceInput,
    ) -> AppResult<i64> {
        self.writable_person(actor, person_id).await?;
        let mut errors = Vec::new();
        let kind = one("kind", &input.kind, ServiceKind::from_code, &mut errors);
        let served_on = day("served_on", &input.served_on, self.today(), &mut errors);
        let result = one(
            "result",
            &input.result,
            ServiceResult::from_code,
            &mut errors,
        );
        let note = text("note", &input.note, &mut errors);
        let ((kind, served_on), result) = finish(kind.zip(served_on).zip(result), errors)?;
        let record = ServiceRecord {
            id: 0,
            person_id,
            kind,
            served_on,
            result,
            note,
            recorded: self.recorded_now(actor),
        };
        let audit = actor.audit(self.now(), "case.service", "person");
        Ok(self.store.add_service(&record, audit).await?)
    }

    /// Gives or withdraws a consent: the person themselves (a seeker on
    /// their own record) or an officer recording what the person said.
    pub async fn record_consent(
        &self,
        actor: &Actor,
        person_id: i64,
        purpose: &str,
        given: bool,
    ) -> AppResult<()> {
        self.save_consent(actor, person_id, purpose, given)
            .await
            .map(|_| ())
    }

    /// Gives or withdraws a consent as [`App::record_consent`] does, and
    /// returns the new consent record's id.
    pub async fn save_consent(
        &self,
        actor: &Actor,
        person_id: i64,
        purpose: &str,
        given: bool,
    ) -> AppResult<i64> {
        let by_person = actor.role == Role::Seeker;
        if !by_person {
            actor.require(Permission::PersonWrite)?;
        }
        // A seeker's scope is their own record only.
        self.get_person(actor, person_id).await?;
        let mut errors = Vec::new();
        let purpose = finish(
            one("purpose", purpose, ConsentPurpose::from_code, &mut errors),
            errors,
        )?;
        let record = ConsentRecord {
            id: 0,
            person_id,
            purpose,
            given,
            effective_on: self.today(),
            by_person,
            recorded: self.recorded_now(actor),
        };
        let audit = actor
            .audit(
                self.now(),
                if given {
                    "case.consent.give"
                } else {
                    "case.consent.withdraw"
                },
                "person",
            )
            .with_detail(json!({ "purpose": purpose.code() }));
        Ok(self.store.add_consent(&record, audit).await?)
    }

    /// The working-age unemployed people of the actor's scope who lack a
    /// step, oldest registration first.
    pub async fn work_queue(
        &self,
        actor: &Actor,
        step: Step,
        page: u32,
        per_page: u32,
    ) -> AppResult<Page<PersonView>> {
        actor.require(Permission::PersonWrite)?;
        let filter = self.queue_filter(actor, step, page.max(1), per_page.clamp(1, 200));
        let found = self.store.work_queue(&filter).await?;
        Ok(Page {
            items: found.items.iter().map(|p| self.person_view(p)).collect(),
            total: found.total,
        })
    }

    /// The work queue of a step in the actor's scope: the working-age
    /// people of each retirement group, today, under the active policy.
    fn queue_filter(&self, actor: &Actor, step: Step, page: u32, per_page: u32) -> WorkQueueFilter {
        self.queue_filter_in(actor.person_scope(), step, page, per_page)
    }

    fn queue_filter_in(
        &self,
        scope: PersonScope,
        step: Step,
        page: u32,
        per_page: u32,
    ) -> WorkQueueFilter {
        let today = self.today();
        let rule = &self.config.policy.working_age;
        let birth_ranges = [
            RetirementGroup::Male,
            RetirementGroup::Female50,
            RetirementGroup::Female55,
        ]
        .into_iter()
        .filter_map(|group| {
            working_age::birth_range(group, today, rule).map(|(a, b)| (group, a, b))
        })
        .collect();
        WorkQueueFilter {
            scope,
            step,
            birth_ranges,
            page,
            per_page,
        }
    }

    /// The "four ones" coverage of a scope today: of the working-age
    /// unemployed people, how many have each step done. The caller decides
    /// the scope (only counts leave here).
    pub(crate) async fn four_ones_coverage_in(
        &self,
        scope: PersonScope,
    ) -> AppResult<FourOnesCoverage> {
        let filter = self.queue_filter_in(scope, Step::Check, 1, 1);
        let (population, done) = self.store.four_ones_coverage(&filter).await?;
        Ok(FourOnesCoverage::new(population, done))
    }

    /// The credit code of an outcome's employer, parsed; `None` for an
    /// empty code (no employer) or an invalid one, which is reported on
    /// `employer`.
    pub(crate) fn outcome_employer_code(
        code: &str,
        errors: &mut Vec<FieldError>,
    ) -> Option<ablework_domain::ident::CreditCode> {
        if code.trim().is_empty() {
            return None;
        }
        match ablework_domain::ident::CreditCode::parse(code) {
            Ok(code) => Some(code),
            Err(found) => {
                errors.extend(
                    found
                        .iter()
                        .map(|error| FieldError::ident("employer", error)),
                );
                None
            }
        }
    }

    /// An outcome's credit code that no registered employer has.
    pub(crate) fn unregistered_outcome_employer() -> FieldError {
        invalid(
            "employer",
            "not_registered",
            "没有登记这个统一社会信用代码的用人单位；可以留空。",
            "No employer with this credit code is registered; leave it empty if it is not.",
        )
    }

    /// The registered employer a credit code names, for an outcome; an
    /// empty code is no employer.
    async fn employer_for_outcome(
        &self,
        code: &str,
        errors: &mut Vec<FieldError>,
    ) -> AppResult<Option<i64>> {
        let Some(code) = Self::outcome_employer_code(code, errors) else {
            return Ok(None);
        };
        let found = self.store.employer_by_credit_code(code.as_str()).await?;
        if found.is_none() {
            errors.push(Self::unregistered_outcome_employer());
        }
        Ok(found.map(|e| e.id))
    }

    /// Records that a person started work: the form, the measure of the
    /// plan it is credited to, and the details. The district credited is
    /// the person's district of service now; the person becomes employed.
    pub async fn record_outcome(
        &self,
        actor: &Actor,
        person_id: i64,
        input: &OutcomeInput,
    ) -> AppResult<i64> {
        actor.require(Permission::PersonWrite)?;
        let audit = actor
            .audit(self.now(), "person.read", "person")
            .with_entity_id(person_id);
        let person = self
            .store
            .read_person(person_id, &actor.person_scope(), audit)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut errors = Vec::new();
        let employer_id = self
            .employer_for_outcome(&input.employer, &mut errors)
            .await?;
        let (outcome, details) = self.prepare_outcome(Some(&person), input, employer_id, errors)?;
        let audit = actor.audit(self.now(), "outcome.record", "person");
        Ok(self
            .store
            .record_outcome(&outcome, &details, &self.recorded_now(actor), audit)
            .await?)
    }

    /// Checks an outcome as typed for a person, every problem at once. The
    /// caller has looked up the employer (`employer_id`) and the person,
    /// with what was wrong with either already in `errors`; a person not
    /// found (`None`) must be among them.
    pub(crate) fn prepare_outcome(
        &self,
        person: Option<&PersonRecord>,
        input: &OutcomeInput,
        employer_id: Option<i64>,
        mut errors: Vec<FieldError>,
    ) -> AppResult<(ablework_domain::outcome::Outcome, OutcomeDetails)> {
        let started_on = day("started_on", &input.started_on, self.today(), &mut errors);
        let form = one("form", &input.form, EmploymentForm::from_code, &mut errors);
        let measure = one(
            "measure",
            &input.measure,
            ablework_domain::outcome::Measure::from_code,
            &mut errors,
        );
        let contract_months = optional_number(
            "contract_months",
            &input.contract_months,
            1..=600,
            &mut errors,
        );
        let monthly_wage = optional_number(
            "monthly_wage",
            &input.monthly_wage,
            0..=1_000_000,
            &mut errors,
        );
        let insured = match input.insured.trim() {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.push(invalid(
                    "insured",
                    "unknown_value",
                    "请选择是、否或不清楚。",
                    "Choose yes, no or not known.",
                ));
                None
            }
        };
        if let (Some(started), Some(person)) = (started_on, person)
            && started < person.birth_date
        {
            errors.push(invalid(
                "started_on",
                "before_birth",
                "开始日期早于出生日期。",
                "The start is before the person's birth.",
            ));
        }
        let ((started_on, form), measure) = finish(started_on.zip(form).zip(measure), errors)?;
        let Some(person) = person else {
            return Err(AppError::Internal(
                "an outcome was checked without its person".to_owned(),
            ));
        };
        let outcome = outcome_of(person, started_on, form, measure);
        let details = OutcomeDetails {
            employer_id,
            contract_months,
            monthly_wage,
            insured,
        };
        Ok((outcome, details))
    }

    /// Records a follow-up of an outcome at 3, 6 or 12 months. Returns the
    /// person's id.
    pub async fn record_follow_up(
        &self,
        actor: &Actor,
        person_id: i64,
        outcome_id: i64,
        input: &FollowUpInput,
    ) -> AppResult<()> {
        self.writable_person(actor, person_id).await?;
        let outcomes = self.store.outcomes_of(person_id).await?;
        let outcome = outcomes
            .iter()
            .find(|o| o.id == outcome_id)
            .ok_or(AppError::NotFound)?;
        let mut errors = Vec::new();
        let after_months = match input.after_months.trim() {
            "3" => Some(3),
            "6" => Some(6),
            "12" => Some(12),
            _ => {
                errors.push(invalid(
                    "after_months",
                    "unknown_value",
                    "请选择 3、6 或 12 个月。",
                    "Choose 3, 6 or 12 months.",
                ));
                None
            }
        };
        let checked_on = day("checked_on", &input.checked_on, self.today(), &mut errors);
        if let (Some(checked), Some(months)) = (checked_on, after_months)
            && checked >= outcome.outcome.started_on
        {
            // A follow-up is made when its months have passed, give or take
            // a fortnight.
            let due = outcome
                .outcome
                .started_on
                .checked_add_months(chrono::Months::new(u32::from(months)))
                .and_then(|d| d.checked_sub_days(chrono::Days::new(FOLLOW_UP_EARLY_DAYS)))
                .unwrap_or(outcome.outcome.started_on);
            if checked < due {
                errors.push(invalid(
                    "checked_on",
                    "too_early",
                    format!("{months} 个月回访最早在 {due} 进行。"),
                    format!("The {months}-month follow-up is due from {due}."),
                ));
            }
        }
        if let Some(checked) = checked_on
            && checked < outcome.outcome.started_on
        {
            errors.push(invalid(
                "checked_on",
                "before_start",
                "回访日期早于就业开始日期。",
                "The follow-up is before the work started.",
            ));
        }
        let still_employed = match input.still_employed.trim() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.push(invalid(
                    "still_employed",
                    "required",
                    "请选择是否仍在就业。",
                    "Say whether the person is still in work.",
                ));
                None
            }
        };
        let note = text("note", &input.note, &mut errors);
        let ((after_months, checked_on), still_employed) =
            finish(after_months.zip(checked_on).zip(still_employed), errors)?;
        let follow_up = FollowUp {
            after_months,
            checked_on,
            still_employed,
            note,
            recorded: self.recorded_now(actor),
        };
        let audit = actor.audit(self.now(), "outcome.follow_up", "person");
        self.store
            .record_follow_up(outcome_id, &follow_up, audit)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::Invalid(vec![invalid(
                    "after_months",
                    "recorded",
                    "这次回访已经记录过了。",
                    "This follow-up is recorded already.",
                )]),
                other => other.into(),
            })
    }
}
