//! The records of the "four ones" service on a person's case: checks,
//! assessments, registered needs, services and consents.

use ablework_domain::four_ones::{
    Accommodation, AssessmentStatus, CheckSource, CheckedField, ConsentPurpose, Function, Hours,
    Language, Limitation, ServiceKind, ServiceResult, Step, WorkCapacity,
};
use ablework_domain::outcome::EmploymentForm;
use ablework_domain::working_age::RetirementGroup;
use chrono::{DateTime, NaiveDate, Utc};

use crate::PersonScope;

/// Who wrote a case record and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The account, if any.
    pub user_id: Option<i64>,
    /// Its username (filled in on reads).
    pub username: Option<String>,
    /// When it was written.
    pub at: DateTime<Utc>,
}

/// A verification of a person's basic information.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRecord {
    /// Surrogate id (0 before it is stored).
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The day it was verified.
    pub checked_on: NaiveDate,
    /// What was verified.
    pub fields: Vec<CheckedField>,
    /// Where the information came from.
    pub source: CheckSource,
    /// Anything worth noting.
    pub note: Option<String>,
    /// Who and when.
    pub recorded: Recorded,
}

/// What a vocational assessment found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssessmentFields {
    /// Each function and how much it limits work.
    pub functions: Vec<(Function, Limitation)>,
    /// The work the person can take on now.
    pub capacity: WorkCapacity,
    /// Skills, in the assessor's words.
    pub skills: String,
    /// Recommended forms of employment.
    pub forms: Vec<EmploymentForm>,
    /// Accommodations the person needs at work.
    pub accommodations: Vec<Accommodation>,
    /// Languages and ways of communicating (sign language, braille, …).
    pub languages: Vec<Language>,
}

/// A vocational assessment and its supervisor's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssessmentRecord {
    /// Surrogate id (0 before it is stored).
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The day it was made.
    pub assessed_on: NaiveDate,
    /// What it found.
    pub fields: AssessmentFields,
    /// Where it stands.
    pub status: AssessmentStatus,
    /// The assessor, and when it was written.
    pub recorded: Recorded,
    /// The supervisor who decided, and when.
    pub reviewed: Option<Recorded>,
    /// The supervisor's reasons.
    pub review_note: Option<String>,
}

/// A registered employment need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedFields {
    /// Desired occupations, in the person's words.
    pub occupations: String,
    /// The form of employment wanted.
    pub form: Option<EmploymentForm>,
    /// Districts where they would work (current codes).
    pub districts: Vec<String>,
    /// The longest commute they accept, in minutes.
    pub commute_minutes: Option<i32>,
    /// Working hours wanted.
    pub hours: Hours,
    /// Monthly wage expected, CNY.
    pub wage_expectation: Option<i32>,
    /// Accommodations needed.
    pub accommodations: Vec<Accommodation>,
    /// Willing to train first.
    pub willing_to_train: bool,
}

/// A need registration (the newest one is current).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedRecord {
    /// Surrogate id (0 before it is stored).
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The day it was registered.
    pub registered_on: NaiveDate,
    /// The need.
    pub fields: NeedFields,
    /// Who and when.
    pub recorded: Recorded,
}

/// A service given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRecord {
    /// Surrogate id (0 before it is stored).
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// What was given.
    pub kind: ServiceKind,
    /// The day it was given.
    pub served_on: NaiveDate,
    /// What came of it.
    pub result: ServiceResult,
    /// Details.
    pub note: Option<String>,
    /// Who and when.
    pub recorded: Recorded,
}

/// A consent given or withdrawn (the newest per purpose is current).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentRecord {
    /// Surrogate id (0 before it is stored).
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// What for.
    pub purpose: ConsentPurpose,
    /// Given (`true`) or withdrawn (`false`).
    pub given: bool,
    /// The day it took effect.
    pub effective_on: NaiveDate,
    /// Given by the person themselves (`true`) or recorded by an officer.
    pub by_person: bool,
    /// Who and when.
    pub recorded: Recorded,
}

/// What matching reads of one person: the record, the newest approved
/// assessment and the newest registered need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeekerFile {
    /// The person's record.
    pub person: crate::PersonRecord,
    /// The newest approved assessment (by day assessed, then id), if any.
    pub assessment: Option<AssessmentRecord>,
    /// The newest registered need, if any.
    pub need: Option<NeedRecord>,
}

/// Which active, unemployed people [`crate::Store::seeker_files`] reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeekerFilter {
    /// Only those whose current (newest) consent for this purpose is given.
    pub consent: Option<ablework_domain::four_ones::ConsentPurpose>,
    /// Only those registered in this district.
    pub district: Option<String>,
    /// Leave out those with an application under way (applied, at
    /// interview or offered) or hired.
    pub without_applications: bool,
}

impl SeekerFilter {
    /// Those whose current consent for `purpose` is given.
    pub fn consenting(purpose: ablework_domain::four_ones::ConsentPurpose) -> SeekerFilter {
        SeekerFilter {
            consent: Some(purpose),
            ..SeekerFilter::default()
        }
    }
}

/// Everything on a person's case, newest first in each list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFile {
    /// Checks.
    pub checks: Vec<CheckRecord>,
    /// Assessments.
    pub assessments: Vec<AssessmentRecord>,
    /// Need registrations.
    pub needs: Vec<NeedRecord>,
    /// Services.
    pub services: Vec<ServiceRecord>,
    /// Consents.
    pub consents: Vec<ConsentRecord>,
}

/// A work-queue query: the working-age unemployed people in a scope who
/// lack a step, oldest registration first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkQueueFilter {
    /// The actor's scope.
    pub scope: PersonScope,
    /// The step they lack.
    pub step: Step,
    /// Working age as birth-date ranges per retirement group (inclusive),
    /// worked out by the caller from the policy.
    pub birth_ranges: Vec<(RetirementGroup, NaiveDate, NaiveDate)>,
    /// Page number, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// What an employment outcome says beyond the counted facts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutcomeDetails {
    /// The employer, where it is registered.
    pub employer_id: Option<i64>,
    /// The contract's length in months (`None`: open-ended or not known).
    pub contract_months: Option<i32>,
    /// Monthly wage, CNY.
    pub monthly_wage: Option<i32>,
    /// Social insurance paid (`None`: not known).
    pub insured: Option<bool>,
}

/// A follow-up of an outcome: is the person still in work?
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    /// 3, 6 or 12 months after the start.
    pub after_months: u8,
    /// The day it was checked.
    pub checked_on: NaiveDate,
    /// Still employed.
    pub still_employed: bool,
    /// Details.
    pub note: Option<String>,
    /// Who and when.
    pub recorded: Recorded,
}

/// A stored employment outcome with its details and follow-ups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeRecord {
    /// Surrogate id.
    pub id: i64,
    /// The counted facts.
    pub outcome: ablework_domain::outcome::Outcome,
    /// The details.
    pub details: OutcomeDetails,
    /// The employer's name, when linked.
    pub employer_name: Option<String>,
    /// Who recorded it and when (`None` for bulk loads without an account).
    pub recorded: Option<Recorded>,
    /// Follow-ups, in order of months.
    pub follow_ups: Vec<FollowUp>,
}
