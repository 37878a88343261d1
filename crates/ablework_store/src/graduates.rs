//! The records of the graduates' ledger (一人一策, MISSION.md measure 7): a
//! disabled student's entry, the steps of their plan and the contacts
//! with them.

use ablework_domain::graduates::{ContactChannel, Degree, StudentStatus};
use chrono::{DateTime, NaiveDate, Utc};

use crate::{PersonScope, Recorded};

/// What an officer keeps about a student.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudentFields {
    /// The university or college.
    pub university: String,
    /// The subject studied.
    pub major: String,
    /// The degree studied for.
    pub degree: Degree,
    /// The day the student is expected to graduate.
    pub expected_graduation: NaiveDate,
    /// The officer who follows the student (an account), if any.
    pub counsellor_user_id: Option<i64>,
    /// Where the student stands.
    pub status: StudentStatus,
}

/// A student in the ledger. A person is in it at most once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudentRecord {
    /// Surrogate id (0 before it is stored).
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The fields.
    pub fields: StudentFields,
    /// The counsellor's username (filled in on reads).
    pub counsellor: Option<String>,
    /// When the entry was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// One step of a student's plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanStepRecord {
    /// Surrogate id (0 before it is stored).
    pub id: i64,
    /// The student's ledger entry.
    pub student_id: i64,
    /// When it should be done.
    pub due_on: NaiveDate,
    /// What is to be done.
    pub description: String,
    /// The day it was done, once it is.
    pub done_on: Option<NaiveDate>,
    /// Who wrote it and when.
    pub recorded: Recorded,
}

/// A contact with a student.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRecord {
    /// Surrogate id (0 before it is stored).
    pub id: i64,
    /// The student's ledger entry.
    pub student_id: i64,
    /// The day of the contact.
    pub contacted_on: NaiveDate,
    /// How.
    pub channel: ContactChannel,
    /// What was said or agreed.
    pub summary: String,
    /// Who wrote it and when.
    pub recorded: Recorded,
}

/// A student's ledger entry with the plan (by due date) and the contacts
/// (newest first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudentFile {
    /// The entry.
    pub student: StudentRecord,
    /// The plan's steps, by due date.
    pub steps: Vec<PlanStepRecord>,
    /// The contacts, newest first.
    pub contacts: Vec<ContactRecord>,
}

/// A cohort query: the students of a scope expected to graduate in a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CohortFilter {
    /// The actor's scope, applied through the person's district.
    pub scope: PersonScope,
    /// The year of the expected graduation.
    pub year: i32,
}

/// One line of the ledger: the entry with what its flags need, read in
/// one query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow {
    /// The entry.
    pub student: StudentRecord,
    /// The person's name (mask it before showing it).
    pub person_name: String,
    /// The person's district of service.
    pub district_code: String,
    /// How many steps the plan has.
    pub plan_steps: u32,
    /// How many of them are done.
    pub steps_done: u32,
    /// How many contacts are recorded.
    pub contacts: u32,
    /// The day of the newest contact.
    pub latest_contact: Option<NaiveDate>,
}
