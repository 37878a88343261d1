//! AbleWork's storage port.
//!
//! The application layer talks to storage only through [`Store`]. Each
//! adapter (`ablework_store_sql` for SQLite and PostgreSQL) implements it and
//! runs the shared [`conformance`] suite, so both engines behave the same.
//!
//! Every method that changes data, and every read of one person's record,
//! takes the [`NewAuditEntry`] that describes it: the adapter appends that
//! entry to the hash-chained audit log in the same transaction as the change,
//! so a change without its audit record cannot be committed (ARCHITECTURE.md,
//! invariant 3).
//!
//! Which error to use where: adapters map every engine error to
//! [`StoreError`]; nothing engine-specific crosses this boundary.

mod applications;
pub mod audit;
mod cases;
pub mod conformance;
mod duplicates;
mod employers;
mod fairs;
mod graduates;
mod import_jobs;
mod postings;
mod programmes;
mod records;

pub use applications::*;
pub use audit::{AuditFilter, AuditRecord, GENESIS_HASH, NewAuditEntry};
pub use cases::*;
pub use duplicates::*;
pub use employers::*;
pub use fairs::*;
pub use graduates::*;
pub use import_jobs::*;
pub use postings::*;
pub use programmes::*;
pub use records::*;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Backend-neutral storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the string names the rule.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database could not be reached or gave up (locked, closed, timed out).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bug or corrupted data. The message is for logs only.
    #[error("storage failure: {0}")]
    Internal(String),
}

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;

/// One page of a list, with the total number of matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The records on this page.
    pub items: Vec<T>,
    /// How many records match in all.
    pub total: u64,
}

/// The storage port.
#[async_trait]
pub trait Store: Send + Sync {
    /// Which engine this is (`sqlite` or `postgres`), for logs and health.
    fn engine(&self) -> &'static str;

    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;

    // ---- accounts -------------------------------------------------------

    /// Creates an account. A taken username is [`StoreError::Conflict`].
    async fn create_user(&self, user: NewUser, audit: NewAuditEntry) -> StoreResult<UserRecord>;

    /// Finds an account by its username.
    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>>;

    /// Finds an account by its id.
    async fn user_by_id(&self, id: i64) -> StoreResult<Option<UserRecord>>;

    /// Lists every account, by username.
    async fn list_users(&self) -> StoreResult<Vec<UserRecord>>;

    // ---- sessions and tokens --------------------------------------------

    /// Starts a browser session (a login), audited.
    async fn create_session(&self, session: NewSession, audit: NewAuditEntry) -> StoreResult<()>;

    /// Finds a live session by the hash of its cookie value, with its account.
    async fn session_by_hash(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(SessionRecord, UserRecord)>>;

    /// Ends a session (a logout), audited. Ending an unknown session is not an error.
    async fn delete_session(&self, token_hash: &str, audit: NewAuditEntry) -> StoreResult<()>;

    /// Changes a session's remembered language.
    async fn set_session_lang(&self, token_hash: &str, lang: &str) -> StoreResult<()>;

    /// Issues an API token (only its hash is stored), audited.
    async fn create_api_token(
        &self,
        token: NewApiToken,
        audit: NewAuditEntry,
    ) -> StoreResult<ApiTokenRecord>;

    /// Finds the account of a live (not revoked) API token by the token's hash.
    async fn user_by_api_token(&self, token_hash: &str) -> StoreResult<Option<UserRecord>>;

    /// Lists an account's tokens, newest first.
    async fn list_api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenRecord>>;

    /// Revokes a token, audited. Revoking twice keeps the first time.
    async fn revoke_api_token(
        &self,
        token_id: i64,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    // ---- throttling -----------------------------------------------------

    /// Records a failed attempt under a throttling key: a login under
    /// `user:NAME`, a look-up of a person that found no one under
    /// `lookup:ACCOUNT`.
    async fn record_failed_attempt(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()>;

    /// Counts a key's failed attempts since a moment.
    async fn count_failed_attempts(&self, key: &str, since: DateTime<Utc>) -> StoreResult<u64>;

    /// Forgets a key's failures (after a successful login).
    async fn clear_failed_attempts(&self, key: &str) -> StoreResult<()>;

    // ---- people ---------------------------------------------------------

    /// Inserts many people in one transaction with one audit entry (demo
    /// generation and bulk loads). Returns how many rows were inserted; a
    /// person whose ID hash exists already is skipped.
    async fn insert_persons(&self, persons: &[NewPerson], audit: NewAuditEntry)
    -> StoreResult<u64>;

    /// Creates one person, audited. A registered ID number is a conflict.
    async fn create_person(
        &self,
        person: NewPerson,
        audit: NewAuditEntry,
    ) -> StoreResult<PersonRecord>;

    /// Lists people matching a filter, one page at a time. Lists are not
    /// audited per row: they show masked data only.
    async fn list_persons(&self, filter: &PersonFilter) -> StoreResult<Page<PersonRecord>>;

    /// Reads one person inside a scope, writing the audit entry for the read
    /// in the same transaction. Out of scope reads as `None`, like absent,
    /// and writes no audit entry.
    async fn read_person(
        &self,
        id: i64,
        scope: &PersonScope,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<PersonRecord>>;

    /// Replaces a person's fields (keeping registration and creation dates)
    /// inside a scope, audited in the same transaction. Out of scope or
    /// absent is `None` and writes nothing. Changing the ID number to one
    /// registered to someone else is a conflict.
    async fn update_person(
        &self,
        id: i64,
        scope: &PersonScope,
        person: NewPerson,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<PersonRecord>>;

    /// Activates or deactivates a person inside a scope, audited.
    async fn set_person_active(
        &self,
        id: i64,
        scope: &PersonScope,
        active: bool,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<PersonRecord>>;

    /// Finds people by the keyed hashes of their ID numbers (at most a few
    /// thousand at once), in no particular order. Not scoped: the caller
    /// decides what the actor may learn from the answer.
    async fn persons_by_id_hashes(&self, hashes: &[String]) -> StoreResult<Vec<PersonRecord>>;

    /// The people of `ids` inside a scope, in no particular order; ids out
    /// of scope or unknown are left out. Not audited: for lists and
    /// drill-downs that show masked records, as `list_persons` does.
    async fn persons_by_ids(
        &self,
        ids: &[i64],
        scope: &PersonScope,
    ) -> StoreResult<Vec<PersonRecord>>;

    /// Applies one import batch in one transaction with one audit entry:
    /// inserts new people and replaces the fields of existing ones (by id,
    /// keeping their registration and creation dates). Either all of the
    /// batch is committed or none of it.
    async fn apply_person_batch(
        &self,
        inserts: &[NewPerson],
        updates: &[(i64, NewPerson)],
        audit: NewAuditEntry,
    ) -> StoreResult<ImportCounts>;

    /// Readies the store for one process loading about `expected` people in
    /// many batches (`ablework import persons` of a large file): what costs
    /// a random seek a person while it is kept row by row — the people's
    /// secondary indexes, their name grams — may be set aside and rebuilt
    /// once, sorted, by [`Store::finish_person_load`]. Meanwhile ID numbers
    /// stay unique, every batch still commits on its own, and a load that
    /// ends without its finish (a killed process) is finished when the
    /// store is next opened. Returns whether anything was set aside: not on
    /// an engine that gains nothing from it (PostgreSQL), for a load small
    /// beside the people already stored, or while another load runs.
    async fn begin_person_load(&self, expected: u64) -> StoreResult<bool> {
        let _ = expected;
        Ok(false)
    }

    /// Rebuilds, in one transaction, what [`Store::begin_person_load`] set
    /// aside; nothing when it set nothing aside.
    async fn finish_person_load(&self) -> StoreResult<()> {
        Ok(())
    }

    /// Reads people in id order after `after_id`, within a filter's scope and
    /// filters (page fields ignored), at most `limit`: for exports that must
    /// not skip or repeat rows while the data changes.
    async fn persons_after(
        &self,
        filter: &PersonFilter,
        after_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<PersonRecord>>;

    // ---- background imports ----------------------------------------------

    /// Queues an import job, audited.
    async fn create_import_job(
        &self,
        job: NewImportJob,
        audit: NewAuditEntry,
    ) -> StoreResult<ImportJobRecord>;

    /// A job, without its file and report.
    async fn import_job(&self, id: i64) -> StoreResult<Option<ImportJobRecord>>;

    /// Jobs in a scope, newest first, one page.
    async fn list_import_jobs(
        &self,
        scope: &ImportJobScope,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Page<ImportJobRecord>>;

    /// The oldest queued job's id.
    async fn next_queued_import_job(&self) -> StoreResult<Option<i64>>;

    /// Takes a queued job: it becomes running (its first start is kept).
    /// False when it was not queued (another worker took it, or it ended).
    async fn start_import_job(&self, id: i64, at: DateTime<Utc>) -> StoreResult<bool>;

    /// At start-up: jobs left running by a stopped server are queued again,
    /// each counted as resumed once more; returns their ids.
    async fn requeue_running_import_jobs(&self) -> StoreResult<Vec<i64>>;

    /// A job's sealed file, while it is kept (until the job ends).
    async fn import_job_content(&self, id: i64) -> StoreResult<Option<Vec<u8>>>;

    /// Records in one transaction what a running job's batches did up to
    /// `row`: the new counts and the errors of the rows since the last
    /// checkpoint.
    async fn checkpoint_import_job(
        &self,
        id: i64,
        row: u64,
        counts: ImportTally,
        errors: &[ImportRowError],
    ) -> StoreResult<()>;

    /// Ends a job as done or failed, with its last counts and errors (as in
    /// a checkpoint), the failure, and the sealed error report; the
    /// uploaded file is dropped. Audited.
    async fn finish_import_job(
        &self,
        id: i64,
        outcome: FinishedImport,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    /// One page of a job's row errors, by row.
    async fn import_job_errors(
        &self,
        id: i64,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Page<ImportRowError>>;

    /// A job's sealed error report, if one is stored.
    async fn import_job_report(&self, id: i64) -> StoreResult<Option<Vec<u8>>>;

    // ---- duplicate review -------------------------------------------------

    /// Pairs of active people, both inside the scope, that may be the same
    /// person: the same district, birth date and name length (the caller
    /// compares the names), or the same phone look-up hash. Pairs reviewed already are left out. The
    /// lower id comes first; at most `limit` pairs, by ids.
    async fn duplicate_candidates(
        &self,
        scope: &PersonScope,
        limit: u32,
    ) -> StoreResult<Vec<(PersonRecord, PersonRecord)>>;

    /// Records that two people inside the scope are not the same person,
    /// audited. Either out of scope or absent is `NotFound`; a pair reviewed
    /// already is a conflict (`pair_reviewed`).
    async fn dismiss_pair(
        &self,
        a: i64,
        b: i64,
        scope: &PersonScope,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    /// Merges `merged_id` into `kept_id` in one transaction with its audit
    /// entry: every row of [`MERGED_TABLES`] that can move goes to the kept
    /// record (progress counts and "four ones" steps recounted for both),
    /// the merged record is made inactive, the pair is marked merged, and
    /// the merge records what moved. Either person out of scope or absent
    /// is `NotFound`; an inactive one a conflict (`person_inactive`).
    async fn merge_persons(
        &self,
        kept_id: i64,
        merged_id: i64,
        scope: &PersonScope,
        audit: NewAuditEntry,
    ) -> StoreResult<MergeRecord>;

    /// Undoes a merge in one transaction with its audit entry: exactly the
    /// rows it moved go back, the merged record's active flag is restored
    /// and the pair is no longer marked reviewed. A merge out of scope or
    /// absent is `NotFound`; one undone already a conflict (`merge_undone`),
    /// and one whose rows have moved since a conflict (`merge_changed`).
    async fn undo_merge(
        &self,
        merge_id: i64,
        scope: &PersonScope,
        audit: NewAuditEntry,
    ) -> StoreResult<MergeRecord>;

    /// People whose mobile number is stored without its look-up hash
    /// (registered before the hash was kept), in id order, at most `limit`:
    /// their ids and encrypted numbers, for the application to hash.
    async fn persons_with_unhashed_phones(&self, limit: u32) -> StoreResult<Vec<(i64, Vec<u8>)>>;

    /// Stores the look-up hashes of people's mobile numbers where none is
    /// kept yet, in one transaction with its audit entry.
    async fn set_phone_hashes(
        &self,
        hashes: &[(i64, String)],
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    /// The merges whose two people are inside the scope, newest first;
    /// with `open_only`, those not undone.
    async fn person_merges(
        &self,
        scope: &PersonScope,
        open_only: bool,
    ) -> StoreResult<Vec<MergeRecord>>;

    /// Records employment outcomes in one transaction with one audit entry.
    async fn insert_outcomes(
        &self,
        outcomes: &[ablework_domain::outcome::Outcome],
        audit: NewAuditEntry,
    ) -> StoreResult<u64>;

    /// Outcomes whose work started between two days (inclusive), in one
    /// district or all, ordered by person and start.
    async fn outcomes_between(
        &self,
        start: chrono::NaiveDate,
        end: chrono::NaiveDate,
        district_code: Option<&str>,
    ) -> StoreResult<Vec<ablework_domain::outcome::Outcome>>;

    /// The new employment counted from `from` to `to` (both included), as
    /// the store keeps it counted (one outcome per person and calendar year,
    /// `ablework_domain::progress::count_new_employment`), for the city
    /// (`None`) or one current district. Exact for periods that begin on
    /// 1 January, since the kept count is of whole calendar years.
    async fn progress_tally(
        &self,
        district: Option<&str>,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<ablework_domain::progress::Tally>;

    /// New employment per street of a district, counted from `from` to
    /// `to` as [`Store::progress_tally`] counts it: each counted person's
    /// street as registered today (`""` when none is recorded or the person
    /// has since moved to another district).
    async fn counted_streets(
        &self,
        district: &str,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<Vec<(String, u32)>>;

    /// Counts people per current district code (for the home pages).
    async fn count_persons_by_district(
        &self,
        scope: &PersonScope,
    ) -> StoreResult<Vec<(String, u64)>>;

    // ---- the "four ones" case ---------------------------------------------

    /// Everything on a person's case, newest first. Not scoped: the caller
    /// reads the person within the actor's scope first.
    async fn case_file(&self, person_id: i64) -> StoreResult<CaseFile>;

    /// Records a check, audited; returns its id.
    async fn add_check(&self, check: &CheckRecord, audit: NewAuditEntry) -> StoreResult<i64>;

    /// Records an assessment waiting for a supervisor, audited.
    async fn add_assessment(
        &self,
        assessment: &AssessmentRecord,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;

    /// Reads one assessment.
    async fn assessment(&self, id: i64) -> StoreResult<Option<AssessmentRecord>>;

    /// A supervisor approves or returns a submitted assessment, audited; an
    /// assessment that is not waiting is a conflict
    /// (`assessment_not_submitted`).
    async fn review_assessment(
        &self,
        id: i64,
        status: ablework_domain::four_ones::AssessmentStatus,
        reviewed: Recorded,
        note: Option<String>,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    /// Assessments waiting for a supervisor in a scope, oldest first, with
    /// the person's name.
    async fn assessments_waiting(
        &self,
        scope: &PersonScope,
        page: u32,
        per_page: u32,
    ) -> StoreResult<Page<(AssessmentRecord, String)>>;

    /// Registers a need, audited.
    async fn add_need(&self, need: &NeedRecord, audit: NewAuditEntry) -> StoreResult<i64>;

    /// Records a service, audited.
    async fn add_service(&self, service: &ServiceRecord, audit: NewAuditEntry) -> StoreResult<i64>;

    /// Records a consent given or withdrawn, audited.
    async fn add_consent(&self, consent: &ConsentRecord, audit: NewAuditEntry) -> StoreResult<i64>;

    /// The active, unemployed people a [`SeekerFilter`] admits, in id
    /// order, each with their newest approved assessment and newest
    /// registered need. Not scoped and not audited: the caller decides what
    /// the actor may see and audits what it shows.
    async fn seeker_files(&self, filter: &SeekerFilter) -> StoreResult<Vec<SeekerFile>>;

    /// The working-age unemployed active people in a scope who lack a
    /// step, oldest registration first.
    async fn work_queue(&self, filter: &WorkQueueFilter) -> StoreResult<Page<PersonRecord>>;

    /// Of the people a work queue is drawn from (the filter's scope and
    /// birth ranges; its step and page are ignored), how many there are and
    /// how many have each step done, in `Step::ALL`'s order.
    async fn four_ones_coverage(&self, filter: &WorkQueueFilter) -> StoreResult<(u64, [u64; 4])>;

    /// Writes many case records at once (demo data, bulk loads) in one
    /// transaction with one audit entry.
    async fn insert_case_records(&self, file: &CaseFile, audit: NewAuditEntry) -> StoreResult<u64>;

    /// The outcomes of many people (at most a few thousand at once), each
    /// person's newest start first, with their follow-ups. Not scoped: the
    /// caller has decided which people the actor may see.
    async fn outcomes_of_persons(&self, person_ids: &[i64]) -> StoreResult<Vec<OutcomeRecord>>;

    /// Applies one import batch of outcomes in one transaction with one
    /// audit entry: records new outcomes as [`Store::record_outcome`] does
    /// (the person marked employed, the progress counts kept), and replaces
    /// the form, measure and details of existing ones (by id), recounting
    /// the year of each. Either all of the batch is committed or none of it.
    async fn apply_outcome_batch(
        &self,
        inserts: &[(ablework_domain::outcome::Outcome, OutcomeDetails)],
        updates: &[(i64, ablework_domain::outcome::Outcome, OutcomeDetails)],
        recorded: &Recorded,
        audit: NewAuditEntry,
    ) -> StoreResult<ImportCounts>;

    /// Records one person's employment outcome with its details, audited,
    /// and marks the person as employed in the same transaction.
    async fn record_outcome(
        &self,
        outcome: &ablework_domain::outcome::Outcome,
        details: &OutcomeDetails,
        recorded: &Recorded,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;

    /// A person's outcomes, newest start first, with follow-ups.
    async fn outcomes_of(&self, person_id: i64) -> StoreResult<Vec<OutcomeRecord>>;

    /// Records a follow-up, audited. A follow-up that finds the person out
    /// of work ends the outcome that day and marks the person unemployed.
    /// A second follow-up for the same months is a conflict
    /// (`follow_up_recorded`).
    async fn record_follow_up(
        &self,
        outcome_id: i64,
        follow_up: &FollowUp,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    // ---- the graduates' ledger -------------------------------------------

    /// Enters a person in the graduates' ledger, audited. A person in it
    /// already is a conflict (`student_enrolled`).
    async fn create_student(
        &self,
        person_id: i64,
        fields: &StudentFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<StudentRecord>;

    /// Replaces a ledger entry's fields, audited. Not scoped: the caller
    /// reads the person within the actor's scope first. Absent is
    /// [`StoreError::NotFound`].
    async fn update_student(
        &self,
        id: i64,
        fields: &StudentFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<StudentRecord>;

    /// One ledger entry with its plan (by due date) and contacts (newest
    /// first). Not scoped: the caller reads the person within the actor's
    /// scope first.
    async fn student(&self, id: i64) -> StoreResult<Option<StudentFile>>;

    /// The ledger entry of a person, if they have one. Not scoped.
    async fn student_of_person(&self, person_id: i64) -> StoreResult<Option<StudentRecord>>;

    /// The students of a scope expected to graduate in a year, by expected
    /// graduation and id, each with the counts and the latest contact its
    /// flags need.
    async fn cohort(&self, filter: &CohortFilter) -> StoreResult<Vec<LedgerRow>>;

    /// Adds a step to a plan, audited; returns its id.
    async fn add_plan_step(&self, step: &PlanStepRecord, audit: NewAuditEntry) -> StoreResult<i64>;

    /// Marks a step of a student's plan done on a day, audited. A step that
    /// is not the student's is [`StoreError::NotFound`]; one done already
    /// is a conflict (`plan_step_done`).
    async fn mark_plan_step_done(
        &self,
        student_id: i64,
        step_id: i64,
        done_on: chrono::NaiveDate,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    /// Records a contact with a student, audited; returns its id.
    async fn add_student_contact(
        &self,
        contact: &ContactRecord,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;

    /// Writes many ledger entries with their steps and contacts (demo data,
    /// bulk loads) in one transaction with one audit entry; a person in the
    /// ledger already is skipped with their steps and contacts. Returns how
    /// many entries were written.
    async fn insert_students(
        &self,
        files: &[StudentFile],
        audit: NewAuditEntry,
    ) -> StoreResult<u64>;

    // ---- job postings -------------------------------------------------------

    /// Posts a job, audited. The employer must exist (the caller checks it
    /// is in the actor's scope).
    async fn create_job_posting(
        &self,
        fields: &JobPostingFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<JobPostingRecord>;

    /// Posts many jobs in one transaction with one audit entry (demo data,
    /// bulk loads). Returns how many were written.
    async fn insert_job_postings(
        &self,
        postings: &[JobPostingFields],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<u64>;

    /// Every posting of these employers, open or closed, in id order. Not
    /// scoped: the caller has decided which employers the actor may see.
    async fn job_postings_of_employers(
        &self,
        employer_ids: &[i64],
    ) -> StoreResult<Vec<JobPostingRecord>>;

    /// Applies one import batch of postings in one transaction with one
    /// audit entry: posts new ones (open) and replaces the fields of
    /// existing ones (by id, keeping whether they are open and when they
    /// were posted). Either all of the batch is committed or none of it.
    async fn apply_posting_batch(
        &self,
        inserts: &[JobPostingFields],
        updates: &[(i64, JobPostingFields)],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<ImportCounts>;

    /// Replaces a posting's fields (keeping its employer, whether it is
    /// open and when it was posted) inside a scope, audited. Out of scope or
    /// absent is `None` and writes nothing.
    async fn update_job_posting(
        &self,
        id: i64,
        scope: &PostingScope,
        fields: &JobPostingFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<JobPostingRecord>>;

    /// Opens or closes a posting inside a scope, audited. Out of scope or
    /// absent is `None` and writes nothing.
    async fn set_job_posting_open(
        &self,
        id: i64,
        scope: &PostingScope,
        open: bool,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<JobPostingRecord>>;

    /// Reads one posting inside a scope.
    async fn job_posting(
        &self,
        id: i64,
        scope: &PostingScope,
    ) -> StoreResult<Option<JobPostingRecord>>;

    /// Every open posting, in id order: the jobs matching ranks against.
    async fn open_job_postings(&self) -> StoreResult<Vec<JobPostingRecord>>;

    /// Lists postings matching a filter, one page at a time, with the
    /// total.
    async fn list_job_postings(
        &self,
        filter: &PostingFilter,
    ) -> StoreResult<Page<JobPostingRecord>>;

    // ---- job applications --------------------------------------------------

    /// Records an application with its first step, audited. The posting
    /// must be open when the transaction runs, else a conflict
    /// (`posting_closed`); a second application of a person to a posting is
    /// a conflict (`application_exists`). Not scoped: the caller decides
    /// who may apply for whom.
    async fn create_application(
        &self,
        application: &NewApplication,
        audit: NewAuditEntry,
    ) -> StoreResult<ApplicationRecord>;

    /// One application with its steps. Not scoped: the caller checks the
    /// actor may see its person or manage its posting.
    async fn application(&self, id: i64) -> StoreResult<Option<ApplicationRecord>>;

    /// A posting's applications, newest first, with their steps.
    async fn applications_of_posting(&self, posting_id: i64)
    -> StoreResult<Vec<ApplicationRecord>>;

    /// A person's applications, newest first, with their steps.
    async fn applications_of_person(&self, person_id: i64) -> StoreResult<Vec<ApplicationRecord>>;

    /// Moves an application one step, audited, in one transaction. The
    /// application must still stand at `from` (else a conflict,
    /// `application_moved`). With a [`Hire`], the same transaction records
    /// the outcome as [`Store::record_outcome`] does (progress counts
    /// included, with its own audit entry), links it to the application,
    /// and closes the posting once its hires fill its posts.
    async fn move_application(
        &self,
        id: i64,
        from: ablework_domain::application::ApplicationStatus,
        step: &ApplicationStep,
        hire: Option<&Hire>,
        audit: NewAuditEntry,
    ) -> StoreResult<Moved>;

    /// The people an employer hired through applications with a first day
    /// of work from `from` to `to`, earliest first.
    async fn hires_of_employer(
        &self,
        employer_id: i64,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<Vec<EmployerHire>>;

    // ---- recommendation marks ----------------------------------------------

    /// The marks on recommended jobs of a person, a district's people or
    /// everyone, by person and posting.
    async fn recommendation_marks(&self, of: &MarksOf) -> StoreResult<Vec<RecommendationMark>>;

    /// Writes a person's mark on one posting, audited: replaced whole; a
    /// mark with neither half is removed.
    async fn set_recommendation_mark(
        &self,
        mark: &RecommendationMark,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    /// A number that moves on with every change to a posting or an
    /// employer: an index of open postings built at one revision is
    /// current while the revision is unchanged.
    async fn job_postings_revision(&self) -> StoreResult<i64>;

    /// The applications made at a fair, newest first, with their steps.
    async fn applications_of_fair(&self, fair_id: i64) -> StoreResult<Vec<ApplicationRecord>>;

    // ---- job fairs -------------------------------------------------------------

    /// Enters a fair, audited.
    async fn create_fair(
        &self,
        fair: &ablework_domain::fair::Fair,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<FairRecord>;

    /// Replaces a fair's fields inside a scope, audited. Out of scope or
    /// absent is `None` and writes nothing.
    async fn update_fair(
        &self,
        id: i64,
        scope: &FairScope,
        fair: &ablework_domain::fair::Fair,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<FairRecord>>;

    /// Reads one fair inside a scope.
    async fn fair(&self, id: i64, scope: &FairScope) -> StoreResult<Option<FairRecord>>;

    /// Lists fairs matching a filter, one page at a time, with the total.
    async fn list_fairs(&self, filter: &FairFilter) -> StoreResult<Page<FairRecord>>;

    /// An employer takes part in a fair with some of its postings, audited;
    /// taking part again replaces the postings it brings. Not scoped: the
    /// caller checks the fair, the employer and its postings.
    async fn join_fair(
        &self,
        fair_id: i64,
        employer_id: i64,
        posting_ids: &[i64],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<FairEmployerRecord>;

    /// The employers taking part in a fair, by name.
    async fn fair_employers(&self, fair_id: i64) -> StoreResult<Vec<FairEmployerRecord>>;

    /// Registers a person for a fair, audited. A second registration of
    /// the person is a conflict (`fair_registration_exists`).
    async fn register_for_fair(
        &self,
        registration: &NewFairRegistration,
        audit: NewAuditEntry,
    ) -> StoreResult<FairRegistrationRecord>;

    /// A fair's registrations, in the order they were made.
    async fn fair_registrations(&self, fair_id: i64) -> StoreResult<Vec<FairRegistrationRecord>>;

    /// Marks attendance of some of a fair's registrations on a day, in one
    /// transaction with one audit entry; registrations of another fair are
    /// left alone. Returns how many changed.
    async fn mark_attendance(
        &self,
        fair_id: i64,
        marks: &[(i64, ablework_domain::fair::RegistrationStatus)],
        on: chrono::NaiveDate,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<u64>;

    // ---- employers and declarations ---------------------------------------

    /// Registers an employer, audited. A registered credit code is a
    /// conflict.
    async fn create_employer(
        &self,
        employer: EmployerFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<EmployerRecord>;

    /// Registers many employers in one transaction with one audit entry
    /// (demo data, bulk loads); codes registered already are skipped.
    async fn insert_employers(
        &self,
        employers: &[EmployerFields],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<u64>;

    /// Replaces an employer's registry fields inside a scope, audited.
    /// Out of scope or absent is `None` and writes nothing.
    async fn update_employer(
        &self,
        id: i64,
        scope: &EmployerScope,
        employer: EmployerFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<EmployerRecord>>;

    /// Reads one employer inside a scope.
    async fn employer(&self, id: i64, scope: &EmployerScope)
    -> StoreResult<Option<EmployerRecord>>;

    /// Finds an employer by its credit code (not scoped).
    async fn employer_by_credit_code(&self, code: &str) -> StoreResult<Option<EmployerRecord>>;

    /// Finds employers by their credit codes (at most a few thousand at
    /// once), in no particular order. Not scoped: the caller decides what
    /// the actor may learn from the answer.
    async fn employers_by_credit_codes(&self, codes: &[String])
    -> StoreResult<Vec<EmployerRecord>>;

    /// Applies one import batch of employers in one transaction with one
    /// audit entry: registers new ones and replaces the registry fields of
    /// existing ones (by id). A credit code registered meanwhile is a
    /// conflict, and then none of the batch is committed.
    async fn apply_employer_batch(
        &self,
        inserts: &[EmployerFields],
        updates: &[(i64, EmployerFields)],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<ImportCounts>;

    /// Lists employers, by name, one page at a time.
    async fn list_employers(&self, filter: &EmployerFilter) -> StoreResult<Page<EmployerRecord>>;

    /// Files an employer's declaration for a data year, or replaces the
    /// figures of one that is submitted or returned, with the event and
    /// audit entry in the same transaction; the status becomes
    /// `submitted`. An approved declaration is a conflict
    /// (`declaration_approved`).
    async fn save_declaration(
        &self,
        employer_id: i64,
        data_year: i32,
        figures: &DeclarationFigures,
        event: DeclarationEvent,
        audit: NewAuditEntry,
    ) -> StoreResult<DeclarationRecord>;

    /// Records many declarations in one transaction with one audit entry
    /// (demo data, bulk loads), each with its status and an `imported` (or
    /// `submitted`) event. An employer's year declared already is skipped.
    async fn insert_declarations(
        &self,
        items: &[(i64, i32, DeclarationStatus, DeclarationFigures)],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<u64>;

    /// Approves or returns a submitted declaration inside a scope, with
    /// the event and the audit entry. Out of scope or absent is `None`; a
    /// declaration that is not `submitted` is a conflict
    /// (`declaration_not_submitted`).
    async fn review_declaration(
        &self,
        id: i64,
        scope: &EmployerScope,
        status: DeclarationStatus,
        event: DeclarationEvent,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<DeclarationRecord>>;

    /// Reads one declaration with its employees and history, inside a
    /// scope.
    async fn declaration(
        &self,
        id: i64,
        scope: &EmployerScope,
    ) -> StoreResult<Option<DeclarationRecord>>;

    /// Lists declarations (newest year first, then by employer name),
    /// without employees or history.
    async fn list_declarations(
        &self,
        filter: &DeclarationFilter,
    ) -> StoreResult<Page<DeclarationRecord>>;

    /// Every declaration of a data year inside a scope, with its
    /// employees and without history, by id: the input of what-if runs.
    async fn declarations_of_year(
        &self,
        data_year: i32,
        scope: &EmployerScope,
    ) -> StoreResult<Vec<DeclarationRecord>>;

    /// The people of a declaration whom another employer declares for
    /// overlapping months of the same year.
    async fn declaration_conflicts(
        &self,
        declaration_id: i64,
    ) -> StoreResult<Vec<DeclarationConflict>>;

    /// The agencies with a staffing quota of at least `agency_min` and the
    /// institutions (schools excepted) with at least `institution_min`,
    /// inside a scope, each with its declaration for the year, by
    /// district and name.
    async fn measure_one(
        &self,
        data_year: i32,
        scope: &EmployerScope,
        agency_min: u32,
        institution_min: u32,
    ) -> StoreResult<Vec<MeasureOneRow>>;

    /// Saves a new version of a policy preset, audited; an existing
    /// `(id, version)` is a conflict.
    async fn save_preset(&self, preset: VersionedRecord, audit: NewAuditEntry) -> StoreResult<()>;

    /// Every stored preset version, by id and version.
    async fn presets(&self) -> StoreResult<Vec<VersionedRecord>>;

    // ---- plans ------------------------------------------------------------

    /// Saves a new version of a plan's targets, audited; an existing
    /// `(id, version)` is a conflict.
    async fn save_plan(&self, plan: VersionedRecord, audit: NewAuditEntry) -> StoreResult<()>;

    /// Every stored plan version, by id and version.
    async fn plans(&self) -> StoreResult<Vec<VersionedRecord>>;

    // ---- programmes ---------------------------------------------------------

    /// Enters a unit, audited.
    async fn create_unit(
        &self,
        unit: &ablework_domain::programme::Unit,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<UnitRecord>;

    /// Replaces a unit's fields inside a scope, audited. Out of scope or
    /// absent is `None`.
    async fn update_unit(
        &self,
        id: i64,
        scope: &ProgrammeScope,
        unit: &ablework_domain::programme::Unit,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<UnitRecord>>;

    /// Reads one unit inside a scope.
    async fn programme_unit(
        &self,
        id: i64,
        scope: &ProgrammeScope,
    ) -> StoreResult<Option<UnitRecord>>;

    /// Lists units matching a filter, by name, one page at a time.
    async fn list_units(&self, filter: &UnitFilter) -> StoreResult<Page<UnitRecord>>;

    /// Enters an activity run by a unit (or, with `None`, pooled by its
    /// district), audited. The caller checks the unit.
    async fn create_activity(
        &self,
        unit_id: Option<i64>,
        activity: &ablework_domain::programme::Activity,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<ActivityRecord>;

    /// Reads one activity inside a scope.
    async fn programme_activity(
        &self,
        id: i64,
        scope: &ProgrammeScope,
    ) -> StoreResult<Option<ActivityRecord>>;

    /// Lists activities matching a filter, latest start first.
    async fn list_activities(&self, filter: &ActivityFilter) -> StoreResult<Page<ActivityRecord>>;

    /// A person joins a unit or an activity, audited. In the same
    /// transaction: a person already on the list (same activity; or, in
    /// the unit itself, same role), withdrawn or not, is a conflict
    /// `participant_exists`; with `capacity`, as many people already in
    /// the same list and role who have not withdrawn is `capacity_full`.
    async fn join_programme(
        &self,
        participant: &NewParticipant,
        capacity: Option<u32>,
        audit: NewAuditEntry,
    ) -> StoreResult<ParticipantRecord>;

    /// The people in a unit itself (`activity_id` `None`) or in one of its
    /// activities, in the order they joined.
    async fn participants(
        &self,
        unit_id: i64,
        activity_id: Option<i64>,
    ) -> StoreResult<Vec<ParticipantRecord>>;

    /// One participant.
    async fn programme_participant(&self, id: i64) -> StoreResult<Option<ParticipantRecord>>;

    /// Records a participant's progress, audited.
    async fn record_participant_progress(
        &self,
        id: i64,
        progress: &ablework_domain::programme::Progress,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<ParticipantRecord>;

    /// Places a participant in work: records the outcome the way every
    /// outcome is recorded (with its progress counts) and links it, in one
    /// transaction with the audit entry. A participation already placed is
    /// a conflict `already_placed`.
    async fn place_participant(
        &self,
        id: i64,
        outcome: &ablework_domain::outcome::Outcome,
        details: &OutcomeDetails,
        recorded: &Recorded,
        audit: NewAuditEntry,
    ) -> StoreResult<ParticipantRecord>;

    /// Draws on an activity, audited. With `limit`, draws that would sum
    /// above it are a conflict `over_limit`, checked in the transaction.
    async fn draw_on_activity(
        &self,
        draw: &NewDraw,
        limit: Option<rust_decimal::Decimal>,
        audit: NewAuditEntry,
    ) -> StoreResult<DrawRecord>;

    /// An activity's draws, oldest first.
    async fn draws(&self, activity_id: i64) -> StoreResult<Vec<DrawRecord>>;

    /// The draws going to a unit (allocations, support), oldest first.
    async fn draws_to_unit(&self, unit_id: i64) -> StoreResult<Vec<DrawRecord>>;

    /// Each programme's figures inside a scope, in the programmes' order
    /// (every programme, zero where nothing is recorded).
    async fn programme_figures(
        &self,
        scope: &ProgrammeScope,
    ) -> StoreResult<Vec<(ablework_domain::programme::Programme, ProgrammeFigures)>>;

    /// Saves a new version of the rural bases' criteria, audited; an
    /// existing `(id, version)` is a conflict.
    async fn save_rural_criteria(
        &self,
        criteria: VersionedRecord,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    /// Every stored version of the rural bases' criteria, by id and version.
    async fn rural_criteria(&self) -> StoreResult<Vec<VersionedRecord>>;

    // ---- audit ----------------------------------------------------------

    /// Appends an audit entry on its own (failed logins, exports).
    async fn append_audit(&self, entry: NewAuditEntry) -> StoreResult<AuditRecord>;

    /// Searches the audit log, newest first.
    async fn search_audit(&self, filter: &AuditFilter) -> StoreResult<Page<AuditRecord>>;

    /// Reads the audit chain in order, starting after `after_seq`, at most
    /// `limit` entries (for verification in bounded memory).
    async fn audit_chain(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<AuditRecord>>;
}
