//! The records of job applications: a person and a posting, where the
//! application stands, and every step it took with its date and who
//! recorded it.

use ablework_domain::application::{ApplicationStatus, CounsellorDecision, HideReason};
use ablework_domain::outcome::Outcome;
use chrono::{DateTime, NaiveDate, Utc};

use crate::{NewAuditEntry, OutcomeDetails, Recorded};

/// One step of an application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationStep {
    /// The status it reached.
    pub status: ApplicationStatus,
    /// The day it happened (for `hired`, the first day of work).
    pub on: NaiveDate,
    /// Who recorded it, and when.
    pub recorded: Recorded,
}

/// A new application: its first step is `status` on `on`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApplication {
    /// The person applying (or recommended).
    pub person_id: i64,
    /// The posting.
    pub posting_id: i64,
    /// The job fair it was made at, if any.
    pub fair_id: Option<i64>,
    /// The first step.
    pub first: ApplicationStep,
}

/// A stored application with its steps, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationRecord {
    /// Surrogate id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The person's name (filled in on reads; callers mask it).
    pub person_name: String,
    /// The posting.
    pub posting_id: i64,
    /// The posting's title (filled in on reads).
    pub posting_title: String,
    /// The posting's employer.
    pub employer_id: i64,
    /// The employer's name (filled in on reads).
    pub employer_name: String,
    /// Where it stands now (the last step's status).
    pub status: ApplicationStatus,
    /// The employment outcome a hire recorded.
    pub outcome_id: Option<i64>,
    /// The job fair it was made at, if any.
    pub fair_id: Option<i64>,
    /// Every step, oldest first.
    pub steps: Vec<ApplicationStep>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last moved.
    pub updated_at: DateTime<Utc>,
}

/// What a hire writes beside the step: the person's employment outcome,
/// through the same code as [`crate::Store::record_outcome`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hire {
    /// The outcome (its `started_on` is the hire's day).
    pub outcome: Outcome,
    /// Its details (the employer, the wage).
    pub details: OutcomeDetails,
    /// The outcome's own audit entry (`outcome.record`, as when an officer
    /// records it on the case).
    pub audit: NewAuditEntry,
}

/// What moving an application did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    /// The application after the step.
    pub application: ApplicationRecord,
    /// Whether the hire filled the posting's last post and closed it.
    pub posting_closed: bool,
}

/// What a job seeker and their counsellor said about one job recommended
/// to the person: the seeker hid it, with a reason; a counsellor recorded a
/// decision. Either half may be absent; with both absent there is no mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecommendationMark {
    /// The person.
    pub person_id: i64,
    /// The posting.
    pub posting_id: i64,
    /// Hidden by the seeker (or on their behalf), why, and a note.
    pub hidden: Option<MarkEntry<HideReason>>,
    /// A counsellor's decision and its note.
    pub decision: Option<MarkEntry<CounsellorDecision>>,
}

impl RecommendationMark {
    /// A mark with neither half, for `person_id` and `posting_id`.
    pub fn empty(person_id: i64, posting_id: i64) -> RecommendationMark {
        RecommendationMark {
            person_id,
            posting_id,
            hidden: None,
            decision: None,
        }
    }

    /// Whether the job leaves the person's recommendations: hidden by the
    /// seeker, or judged not suitable by a counsellor.
    pub fn hides(&self) -> bool {
        self.hidden.is_some() || self.decision.as_ref().is_some_and(|d| d.value.hides())
    }
}

/// One half of a [`RecommendationMark`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkEntry<T> {
    /// The reason or decision.
    pub value: T,
    /// Free text (may be empty).
    pub note: String,
    /// Who recorded it, and when.
    pub recorded: Recorded,
}

/// One person an employer hired through an application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmployerHire {
    /// The person.
    pub person_id: i64,
    /// Their first day of work.
    pub started_on: NaiveDate,
    /// Their disability level (1–4), for the quota's double counting.
    pub level: u8,
}

/// Whose recommendation marks to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarksOf {
    /// One person's.
    Person(i64),
    /// Everyone's on one posting.
    Posting(i64),
    /// Those of the people registered in a district.
    District(String),
    /// Everyone's.
    All,
}
