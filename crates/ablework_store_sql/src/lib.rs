//! AbleWork's storage adapter for SQLite and PostgreSQL.
//!
//! One codebase serves both engines (docs/adr/0001-storage.md): each query is
//! written once in portable SQL (`$1` placeholders work on both), and the
//! [`with_pool!`] and [`with_tx!`] macros expand the same statement code for
//! each engine's concrete sqlx types, so nothing goes through sqlx's `Any`
//! driver and each engine keeps its native types (dates, timestamps, bytes).
//! Each engine has its own migrations, because DDL is where they differ.
//!
//! SQLite runs in WAL mode with foreign keys on, a busy timeout, and
//! `BEGIN IMMEDIATE` for every write transaction, so two writers queue
//! instead of failing half-way.

mod applications;
mod cases;
mod connect;
mod duplicates;
mod employers;
mod fairs;
mod graduates;
mod import_jobs;
mod outcomes;
mod person_load;
mod persons;
mod postings;
mod programmes;
mod rows;
mod settings;
mod tally;
pub mod testing;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{PgPool, SqlitePool};

use settings::Setting;

use ablework_store::{
    ActivityFilter, ActivityRecord, DrawRecord, NewDraw, NewParticipant, ParticipantRecord,
    ProgrammeFigures, ProgrammeScope, UnitFilter, UnitRecord,
};
use ablework_store::{
    ApiTokenRecord, AuditFilter, AuditRecord, ImportCounts, NewApiToken, NewAuditEntry, NewPerson,
    NewSession, NewUser, Page, PersonFilter, PersonRecord, PersonScope, SessionRecord, Store,
    StoreError, StoreResult, UserRecord,
};
use ablework_store::{
    ApplicationRecord, ApplicationStep, EmployerHire, Hire, MarksOf, Moved, NewApplication,
    RecommendationMark, SeekerFilter,
};
use ablework_store::{
    AssessmentRecord, CaseFile, CheckRecord, ConsentRecord, FollowUp, NeedRecord, OutcomeDetails,
    OutcomeRecord, Recorded, SeekerFile, ServiceRecord, WorkQueueFilter,
};
use ablework_store::{
    CohortFilter, ContactRecord, LedgerRow, PlanStepRecord, StudentFields, StudentFile,
    StudentRecord,
};
use ablework_store::{
    DeclarationConflict, DeclarationEvent, DeclarationFigures, DeclarationFilter,
    DeclarationRecord, DeclarationStatus, EmployerFields, EmployerFilter, EmployerRecord,
    EmployerScope, MeasureOneRow, VersionedRecord,
};
use ablework_store::{
    FinishedImport, ImportJobRecord, ImportJobScope, ImportRowError, ImportTally, NewImportJob,
};
use ablework_store::{JobPostingFields, JobPostingRecord, PostingFilter, PostingScope};

pub use connect::{ConnectError, PostgresTestSchema, Workload};
pub use tally::rebuild as rebuild_progress_tally;

/// The connection pool of one engine.
#[derive(Clone, Debug)]
enum Engine {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A [`Store`] on SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct SqlStore {
    engine: Engine,
    /// The lock a SQLite person load holds (`person_load`), shared by the
    /// store's clones.
    load: std::sync::Arc<person_load::LoadLock>,
}

/// Runs `$body` with `$pool` bound to the engine's pool; the body is compiled
/// once per engine.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.engine {
            $crate::Engine::Sqlite($pool) => $body,
            $crate::Engine::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` inside a write transaction bound to `$tx`, committing when the
/// body finishes and rolling back when it returns early with `?`.
macro_rules! with_tx {
    ($store:expr, $tx:ident => $body:expr) => {
        match &$store.engine {
            $crate::Engine::Sqlite(pool) => {
                let mut $tx = pool
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err($crate::map_err)?;
                let out = $body;
                $tx.commit().await.map_err($crate::map_err)?;
                out
            }
            $crate::Engine::Postgres(pool) => {
                let mut $tx = pool.begin().await.map_err($crate::map_err)?;
                let out = $body;
                $tx.commit().await.map_err($crate::map_err)?;
                out
            }
        }
    };
}

/// An import batch's audit entry with what the batch changed added to the
/// caller's facts (the file, the job).
pub(crate) fn with_counts(
    mut audit: ablework_store::NewAuditEntry,
    counts: ablework_store::ImportCounts,
) -> ablework_store::NewAuditEntry {
    if let Some(detail) = audit.detail.as_object_mut() {
        detail.insert("inserted".to_owned(), counts.inserted.into());
        detail.insert("updated".to_owned(), counts.updated.into());
    } else {
        audit = audit.with_detail(
            serde_json::json!({ "inserted": counts.inserted, "updated": counts.updated }),
        );
    }
    audit
}

/// Appends an audit entry inside the transaction `$tx`, chaining its hash to
/// the head. The head row is updated first so that concurrent appenders
/// queue on its lock (SQLite already serialises writers).
macro_rules! append_audit {
    ($tx:ident, $entry:expr) => {{
        let entry: ::ablework_store::NewAuditEntry = $entry;
        ::sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1")
            .execute(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
        let head = ::sqlx::query("SELECT seq, last_hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
        let seq: i64 = ::sqlx::Row::try_get(&head, "seq").map_err($crate::map_err)?;
        let prev_hash: String = ::sqlx::Row::try_get(&head, "last_hash").map_err($crate::map_err)?;
        let hash = ::ablework_store::audit::chain_hash(&prev_hash, seq, &entry);
        ::sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_user_id, actor, action, entity, entity_id, \
             request_id, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(seq)
        .bind(entry.at)
        .bind(entry.actor_user_id)
        .bind(&entry.actor)
        .bind(&entry.action)
        .bind(&entry.entity)
        .bind(&entry.entity_id)
        .bind(&entry.request_id)
        .bind(entry.detail.to_string())
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *$tx)
        .await
        .map_err($crate::map_err)?;
        ::sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
            .bind(&hash)
            .execute(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
        ::ablework_store::AuditRecord { seq, entry, prev_hash, hash }
    }};
}

pub(crate) use {append_audit, with_pool, with_tx};

/// Maps an engine error to the neutral [`StoreError`].
#[expect(
    clippy::needless_pass_by_value,
    reason = "used as `map_err(map_err)`, which passes by value"
)]
pub(crate) fn map_err(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.constraint().unwrap_or("unique").to_owned())
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(error.to_string())
        }
        sqlx::Error::Database(db) if db.message().contains("database is locked") => {
            StoreError::Unavailable(error.to_string())
        }
        _ => StoreError::Internal(error.to_string()),
    }
}

const USER_COLUMNS: &str = "id, username, password_hash, role, district_code, organisation_id, person_id, active, created_at";

#[async_trait]
impl Store for SqlStore {
    fn engine(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite(_) => "sqlite",
            Engine::Postgres(_) => "postgres",
        }
    }

    async fn ping(&self) -> StoreResult<()> {
        with_pool!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await.map_err(map_err)?;
        });
        Ok(())
    }

    async fn create_user(&self, user: NewUser, audit: NewAuditEntry) -> StoreResult<UserRecord> {
        let sql = format!(
            "INSERT INTO users (username, password_hash, role, district_code, organisation_id, person_id, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {USER_COLUMNS}"
        );
        with_tx!(self, tx => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(&user.username)
                .bind(&user.password_hash)
                .bind(user.role.as_str())
                .bind(&user.district_code)
                .bind(user.organisation_id)
                .bind(user.person_id)
                .bind(true)
                .bind(user.created_at)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
            let record = rows::user(&row)?;
            append_audit!(tx, audit.with_entity_id(record.id));
            Ok(record)
        })
    }

    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
        with_pool!(self, pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(pool).await.map_err(map_err)?;
            row.as_ref().map(rows::user).transpose()
        })
    }

    async fn user_by_id(&self, id: i64) -> StoreResult<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        with_pool!(self, pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await.map_err(map_err)?;
            row.as_ref().map(rows::user).transpose()
        })
    }

    async fn list_users(&self) -> StoreResult<Vec<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
        with_pool!(self, pool => {
            let found = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.map_err(map_err)?;
            found.iter().map(rows::user).collect()
        })
    }

    async fn create_session(&self, session: NewSession, audit: NewAuditEntry) -> StoreResult<()> {
        with_tx!(self, tx => {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, lang, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&session.token_hash)
            .bind(session.user_id)
            .bind(&session.csrf_token)
            .bind(&session.lang)
            .bind(session.created_at)
            .bind(session.expires_at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            append_audit!(tx, audit);
            Ok(())
        })
    }

    async fn session_by_hash(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(SessionRecord, UserRecord)>> {
        let sql = format!(
            "SELECT s.token_hash, s.user_id, s.csrf_token, s.lang, s.created_at, s.expires_at, \
             {} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = $3",
            USER_COLUMNS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        with_pool!(self, pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(token_hash)
                .bind(now)
                .bind(true)
                .fetch_optional(pool)
                .await
                .map_err(map_err)?;
            match row {
                Some(row) => Ok(Some((rows::session(&row)?, rows::user(&row)?))),
                None => Ok(None),
            }
        })
    }

    async fn delete_session(&self, token_hash: &str, audit: NewAuditEntry) -> StoreResult<()> {
        with_tx!(self, tx => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            append_audit!(tx, audit);
            Ok(())
        })
    }

    async fn set_session_lang(&self, token_hash: &str, lang: &str) -> StoreResult<()> {
        with_pool!(self, pool => {
            sqlx::query("UPDATE sessions SET lang = $1 WHERE token_hash = $2")
                .bind(lang)
                .bind(token_hash)
                .execute(pool)
                .await
                .map_err(map_err)?;
        });
        Ok(())
    }

    async fn create_api_token(
        &self,
        token: NewApiToken,
        audit: NewAuditEntry,
    ) -> StoreResult<ApiTokenRecord> {
        with_tx!(self, tx => {
            let row = sqlx::query(
                "INSERT INTO api_tokens (user_id, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4) \
                 RETURNING id, user_id, prefix, created_at, revoked_at",
            )
            .bind(token.user_id)
            .bind(&token.token_hash)
            .bind(&token.prefix)
            .bind(token.created_at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
            let record = rows::api_token(&row)?;
            append_audit!(tx, audit.with_entity_id(record.id));
            Ok(record)
        })
    }

    async fn user_by_api_token(&self, token_hash: &str) -> StoreResult<Option<UserRecord>> {
        let sql = format!(
            "SELECT {} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = $2",
            USER_COLUMNS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        with_pool!(self, pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_hash).bind(true).fetch_optional(pool).await.map_err(map_err)?;
            row.as_ref().map(rows::user).transpose()
        })
    }

    async fn list_api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenRecord>> {
        with_pool!(self, pool => {
            let found = sqlx::query(
                "SELECT id, user_id, prefix, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
            found.iter().map(rows::api_token).collect()
        })
    }

    async fn revoke_api_token(
        &self,
        token_id: i64,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        with_tx!(self, tx => {
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(at)
                .bind(token_id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            append_audit!(tx, audit.with_entity_id(token_id));
            Ok(())
        })
    }

    async fn record_failed_attempt(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
        with_pool!(self, pool => {
            sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
                .bind(key)
                .bind(at)
                .execute(pool)
                .await
                .map_err(map_err)?;
        });
        Ok(())
    }

    async fn count_failed_attempts(&self, key: &str, since: DateTime<Utc>) -> StoreResult<u64> {
        with_pool!(self, pool => {
            let row = sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE key = $1 AND at >= $2")
                .bind(key)
                .bind(since)
                .fetch_one(pool)
                .await
                .map_err(map_err)?;
            rows::count(&row)
        })
    }

    async fn clear_failed_attempts(&self, key: &str) -> StoreResult<()> {
        with_pool!(self, pool => {
            sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(pool).await.map_err(map_err)?;
        });
        Ok(())
    }

    async fn insert_persons(
        &self,
        persons: &[NewPerson],
        audit: NewAuditEntry,
    ) -> StoreResult<u64> {
        persons::insert_many(self, persons, audit).await
    }

    async fn create_person(
        &self,
        person: NewPerson,
        audit: NewAuditEntry,
    ) -> StoreResult<PersonRecord> {
        persons::create(self, person, audit).await
    }

    async fn list_persons(&self, filter: &PersonFilter) -> StoreResult<Page<PersonRecord>> {
        persons::list(self, filter).await
    }

    async fn read_person(
        &self,
        id: i64,
        scope: &PersonScope,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<PersonRecord>> {
        persons::read(self, id, scope, audit).await
    }

    async fn update_person(
        &self,
        id: i64,
        scope: &PersonScope,
        person: NewPerson,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<PersonRecord>> {
        persons::update(self, id, scope, person, audit).await
    }

    async fn set_person_active(
        &self,
        id: i64,
        scope: &PersonScope,
        active: bool,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<PersonRecord>> {
        persons::set_active(self, id, scope, active, audit).await
    }

    async fn duplicate_candidates(
        &self,
        scope: &PersonScope,
        limit: u32,
    ) -> StoreResult<Vec<(PersonRecord, PersonRecord)>> {
        duplicates::candidates(self, scope, limit).await
    }

    async fn dismiss_pair(
        &self,
        a: i64,
        b: i64,
        scope: &PersonScope,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        duplicates::dismiss(self, a, b, scope, audit).await
    }

    async fn merge_persons(
        &self,
        kept_id: i64,
        merged_id: i64,
        scope: &PersonScope,
        audit: NewAuditEntry,
    ) -> StoreResult<ablework_store::MergeRecord> {
        duplicates::merge_persons(self, kept_id, merged_id, scope, audit).await
    }

    async fn undo_merge(
        &self,
        merge_id: i64,
        scope: &PersonScope,
        audit: NewAuditEntry,
    ) -> StoreResult<ablework_store::MergeRecord> {
        duplicates::undo_merge(self, merge_id, scope, audit).await
    }

    async fn create_import_job(
        &self,
        job: NewImportJob,
        audit: NewAuditEntry,
    ) -> StoreResult<ImportJobRecord> {
        import_jobs::create(self, job, audit).await
    }

    async fn import_job(&self, id: i64) -> StoreResult<Option<ImportJobRecord>> {
        import_jobs::read(self, id).await
    }

    async fn list_import_jobs(
        &self,
        scope: &ImportJobScope,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Page<ImportJobRecord>> {
        import_jobs::list(self, scope, offset, limit).await
    }

    async fn next_queued_import_job(&self) -> StoreResult<Option<i64>> {
        import_jobs::next_queued(self).await
    }

    async fn start_import_job(&self, id: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        import_jobs::start(self, id, at).await
    }

    async fn requeue_running_import_jobs(&self) -> StoreResult<Vec<i64>> {
        import_jobs::requeue_running(self).await
    }

    async fn import_job_content(&self, id: i64) -> StoreResult<Option<Vec<u8>>> {
        import_jobs::content(self, id).await
    }

    async fn checkpoint_import_job(
        &self,
        id: i64,
        row: u64,
        counts: ImportTally,
        errors: &[ImportRowError],
    ) -> StoreResult<()> {
        import_jobs::checkpoint(self, id, row, counts, errors).await
    }

    async fn finish_import_job(
        &self,
        id: i64,
        outcome: FinishedImport,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        import_jobs::finish(self, id, outcome, audit).await
    }

    async fn import_job_errors(
        &self,
        id: i64,
        offset: u64,
        limit: u32,
    ) -> StoreResult<Page<ImportRowError>> {
        import_jobs::errors(self, id, offset, limit).await
    }

    async fn import_job_report(&self, id: i64) -> StoreResult<Option<Vec<u8>>> {
        import_jobs::report(self, id).await
    }

    async fn persons_with_unhashed_phones(&self, limit: u32) -> StoreResult<Vec<(i64, Vec<u8>)>> {
        duplicates::unhashed_phones(self, limit).await
    }

    async fn set_phone_hashes(
        &self,
        hashes: &[(i64, String)],
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        duplicates::set_phone_hashes(self, hashes, audit).await
    }

    async fn person_merges(
        &self,
        scope: &PersonScope,
        open_only: bool,
    ) -> StoreResult<Vec<ablework_store::MergeRecord>> {
        duplicates::merges(self, scope, open_only).await
    }

    async fn insert_outcomes(
        &self,
        outcomes: &[ablework_domain::outcome::Outcome],
        audit: NewAuditEntry,
    ) -> StoreResult<u64> {
        outcomes::insert(self, outcomes, audit).await
    }

    async fn outcomes_between(
        &self,
        start: chrono::NaiveDate,
        end: chrono::NaiveDate,
        district_code: Option<&str>,
    ) -> StoreResult<Vec<ablework_domain::outcome::Outcome>> {
        outcomes::between(self, start, end, district_code).await
    }

    async fn persons_by_id_hashes(&self, hashes: &[String]) -> StoreResult<Vec<PersonRecord>> {
        persons::by_id_hashes(self, hashes).await
    }

    async fn persons_by_ids(
        &self,
        ids: &[i64],
        scope: &PersonScope,
    ) -> StoreResult<Vec<PersonRecord>> {
        persons::by_ids(self, ids, scope).await
    }

    async fn apply_person_batch(
        &self,
        inserts: &[NewPerson],
        updates: &[(i64, NewPerson)],
        audit: NewAuditEntry,
    ) -> StoreResult<ImportCounts> {
        persons::apply_batch(self, inserts, updates, audit).await
    }

    async fn begin_person_load(&self, expected: u64) -> StoreResult<bool> {
        person_load::begin(self, expected).await
    }

    async fn finish_person_load(&self) -> StoreResult<()> {
        person_load::finish(self).await
    }

    async fn employers_by_credit_codes(
        &self,
        codes: &[String],
    ) -> StoreResult<Vec<EmployerRecord>> {
        employers::by_credit_codes(self, codes).await
    }

    async fn apply_employer_batch(
        &self,
        inserts: &[EmployerFields],
        updates: &[(i64, EmployerFields)],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<ImportCounts> {
        employers::apply_batch(self, inserts, updates, at, audit).await
    }

    async fn job_postings_of_employers(
        &self,
        employer_ids: &[i64],
    ) -> StoreResult<Vec<JobPostingRecord>> {
        postings::of_employers(self, employer_ids).await
    }

    async fn apply_posting_batch(
        &self,
        inserts: &[JobPostingFields],
        updates: &[(i64, JobPostingFields)],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<ImportCounts> {
        postings::apply_batch(self, inserts, updates, at, audit).await
    }

    async fn outcomes_of_persons(&self, person_ids: &[i64]) -> StoreResult<Vec<OutcomeRecord>> {
        outcomes::of_persons(self, person_ids).await
    }

    async fn apply_outcome_batch(
        &self,
        inserts: &[(ablework_domain::outcome::Outcome, OutcomeDetails)],
        updates: &[(i64, ablework_domain::outcome::Outcome, OutcomeDetails)],
        recorded: &Recorded,
        audit: NewAuditEntry,
    ) -> StoreResult<ImportCounts> {
        outcomes::apply_batch(self, inserts, updates, recorded, audit).await
    }

    async fn persons_after(
        &self,
        filter: &PersonFilter,
        after_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<PersonRecord>> {
        persons::after(self, filter, after_id, limit).await
    }

    async fn count_persons_by_district(
        &self,
        scope: &PersonScope,
    ) -> StoreResult<Vec<(String, u64)>> {
        persons::count_by_district(self, scope).await
    }

    async fn case_file(&self, person_id: i64) -> StoreResult<CaseFile> {
        cases::case_file(self, person_id).await
    }

    async fn seeker_files(&self, filter: &SeekerFilter) -> StoreResult<Vec<SeekerFile>> {
        cases::seeker_files(self, filter).await
    }

    async fn add_check(&self, check: &CheckRecord, audit: NewAuditEntry) -> StoreResult<i64> {
        cases::add_check(self, check, audit).await
    }

    async fn add_assessment(
        &self,
        assessment: &AssessmentRecord,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        cases::add_assessment(self, assessment, audit).await
    }

    async fn assessment(&self, id: i64) -> StoreResult<Option<AssessmentRecord>> {
        cases::get_assessment(self, id).await
    }

    async fn review_assessment(
        &self,
        id: i64,
        status: ablework_domain::four_ones::AssessmentStatus,
        reviewed: Recorded,
        note: Option<String>,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        cases::review_assessment(self, id, status, reviewed, note, audit).await
    }

    async fn assessments_waiting(
        &self,
        scope: &PersonScope,
        page: u32,
        per_page: u32,
    ) -> StoreResult<Page<(AssessmentRecord, String)>> {
        cases::waiting(self, scope, page, per_page).await
    }

    async fn add_need(&self, need: &NeedRecord, audit: NewAuditEntry) -> StoreResult<i64> {
        cases::add_need(self, need, audit).await
    }

    async fn add_service(&self, service: &ServiceRecord, audit: NewAuditEntry) -> StoreResult<i64> {
        cases::add_service(self, service, audit).await
    }

    async fn add_consent(&self, consent: &ConsentRecord, audit: NewAuditEntry) -> StoreResult<i64> {
        cases::add_consent(self, consent, audit).await
    }

    async fn work_queue(&self, filter: &WorkQueueFilter) -> StoreResult<Page<PersonRecord>> {
        cases::work_queue(self, filter).await
    }

    async fn progress_tally(
        &self,
        district: Option<&str>,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<ablework_domain::progress::Tally> {
        tally::progress_tally(self, district, from, to).await
    }

    async fn counted_streets(
        &self,
        district: &str,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<Vec<(String, u32)>> {
        tally::counted_streets(self, district, from, to).await
    }

    async fn four_ones_coverage(&self, filter: &WorkQueueFilter) -> StoreResult<(u64, [u64; 4])> {
        cases::four_ones_coverage(self, filter).await
    }

    async fn insert_case_records(&self, file: &CaseFile, audit: NewAuditEntry) -> StoreResult<u64> {
        cases::insert_many(self, file, audit).await
    }

    async fn record_outcome(
        &self,
        outcome: &ablework_domain::outcome::Outcome,
        details: &OutcomeDetails,
        recorded: &Recorded,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        outcomes::record(self, outcome, details, recorded, audit).await
    }

    async fn outcomes_of(&self, person_id: i64) -> StoreResult<Vec<OutcomeRecord>> {
        outcomes::of_person(self, person_id).await
    }

    async fn record_follow_up(
        &self,
        outcome_id: i64,
        follow_up: &FollowUp,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        outcomes::record_follow_up(self, outcome_id, follow_up, audit).await
    }

    async fn create_student(
        &self,
        person_id: i64,
        fields: &StudentFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<StudentRecord> {
        graduates::create(self, person_id, fields, at, audit).await
    }

    async fn update_student(
        &self,
        id: i64,
        fields: &StudentFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<StudentRecord> {
        graduates::update(self, id, fields, at, audit).await
    }

    async fn student(&self, id: i64) -> StoreResult<Option<StudentFile>> {
        graduates::read(self, id).await
    }

    async fn student_of_person(&self, person_id: i64) -> StoreResult<Option<StudentRecord>> {
        graduates::of_person(self, person_id).await
    }

    async fn cohort(&self, filter: &CohortFilter) -> StoreResult<Vec<LedgerRow>> {
        graduates::cohort(self, filter).await
    }

    async fn add_plan_step(&self, step: &PlanStepRecord, audit: NewAuditEntry) -> StoreResult<i64> {
        graduates::add_step(self, step, audit).await
    }

    async fn mark_plan_step_done(
        &self,
        student_id: i64,
        step_id: i64,
        done_on: chrono::NaiveDate,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        graduates::mark_done(self, student_id, step_id, done_on, audit).await
    }

    async fn add_student_contact(
        &self,
        contact: &ContactRecord,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        graduates::add_contact(self, contact, audit).await
    }

    async fn insert_students(
        &self,
        files: &[StudentFile],
        audit: NewAuditEntry,
    ) -> StoreResult<u64> {
        graduates::insert_many(self, files, audit).await
    }

    async fn create_job_posting(
        &self,
        fields: &JobPostingFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<JobPostingRecord> {
        postings::create(self, fields, at, audit).await
    }

    async fn insert_job_postings(
        &self,
        list: &[JobPostingFields],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<u64> {
        postings::insert_many(self, list, at, audit).await
    }

    async fn update_job_posting(
        &self,
        id: i64,
        scope: &PostingScope,
        fields: &JobPostingFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<JobPostingRecord>> {
        postings::update(self, id, scope, fields, at, audit).await
    }

    async fn set_job_posting_open(
        &self,
        id: i64,
        scope: &PostingScope,
        open: bool,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<JobPostingRecord>> {
        postings::set_open(self, id, scope, open, at, audit).await
    }

    async fn job_posting(
        &self,
        id: i64,
        scope: &PostingScope,
    ) -> StoreResult<Option<JobPostingRecord>> {
        postings::get(self, id, scope).await
    }

    async fn open_job_postings(&self) -> StoreResult<Vec<JobPostingRecord>> {
        postings::open(self).await
    }

    async fn list_job_postings(
        &self,
        filter: &PostingFilter,
    ) -> StoreResult<Page<JobPostingRecord>> {
        postings::list(self, filter).await
    }

    async fn create_application(
        &self,
        application: &NewApplication,
        audit: NewAuditEntry,
    ) -> StoreResult<ApplicationRecord> {
        applications::create(self, application, audit).await
    }

    async fn application(&self, id: i64) -> StoreResult<Option<ApplicationRecord>> {
        applications::get(self, id).await
    }

    async fn applications_of_posting(
        &self,
        posting_id: i64,
    ) -> StoreResult<Vec<ApplicationRecord>> {
        applications::of_posting(self, posting_id).await
    }

    async fn applications_of_person(&self, person_id: i64) -> StoreResult<Vec<ApplicationRecord>> {
        applications::of_person(self, person_id).await
    }

    async fn move_application(
        &self,
        id: i64,
        from: ablework_domain::application::ApplicationStatus,
        step: &ApplicationStep,
        hire: Option<&Hire>,
        audit: NewAuditEntry,
    ) -> StoreResult<Moved> {
        applications::advance(self, id, from, step, hire, audit).await
    }

    async fn hires_of_employer(
        &self,
        employer_id: i64,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<Vec<EmployerHire>> {
        applications::hires_of_employer(self, employer_id, from, to).await
    }

    async fn recommendation_marks(&self, of: &MarksOf) -> StoreResult<Vec<RecommendationMark>> {
        applications::marks(self, of).await
    }

    async fn set_recommendation_mark(
        &self,
        mark: &RecommendationMark,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        applications::set_mark(self, mark, audit).await
    }

    async fn job_postings_revision(&self) -> StoreResult<i64> {
        applications::postings_revision(self).await
    }

    async fn applications_of_fair(&self, fair_id: i64) -> StoreResult<Vec<ApplicationRecord>> {
        applications::of_fair(self, fair_id).await
    }

    async fn create_fair(
        &self,
        fair: &ablework_domain::fair::Fair,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<ablework_store::FairRecord> {
        fairs::create(self, fair, at, audit).await
    }

    async fn update_fair(
        &self,
        id: i64,
        scope: &ablework_store::FairScope,
        fair: &ablework_domain::fair::Fair,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<ablework_store::FairRecord>> {
        fairs::update(self, id, scope, fair, at, audit).await
    }

    async fn fair(
        &self,
        id: i64,
        scope: &ablework_store::FairScope,
    ) -> StoreResult<Option<ablework_store::FairRecord>> {
        fairs::get(self, id, scope).await
    }

    async fn list_fairs(
        &self,
        filter: &ablework_store::FairFilter,
    ) -> StoreResult<Page<ablework_store::FairRecord>> {
        fairs::list(self, filter).await
    }

    async fn join_fair(
        &self,
        fair_id: i64,
        employer_id: i64,
        posting_ids: &[i64],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<ablework_store::FairEmployerRecord> {
        fairs::join(self, fair_id, employer_id, posting_ids, at, audit).await
    }

    async fn fair_employers(
        &self,
        fair_id: i64,
    ) -> StoreResult<Vec<ablework_store::FairEmployerRecord>> {
        fairs::employers(self, fair_id).await
    }

    async fn register_for_fair(
        &self,
        registration: &ablework_store::NewFairRegistration,
        audit: NewAuditEntry,
    ) -> StoreResult<ablework_store::FairRegistrationRecord> {
        fairs::register(self, registration, audit).await
    }

    async fn fair_registrations(
        &self,
        fair_id: i64,
    ) -> StoreResult<Vec<ablework_store::FairRegistrationRecord>> {
        fairs::registrations(self, fair_id).await
    }

    async fn mark_attendance(
        &self,
        fair_id: i64,
        marks: &[(i64, ablework_domain::fair::RegistrationStatus)],
        on: chrono::NaiveDate,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<u64> {
        fairs::mark(self, fair_id, marks, on, at, audit).await
    }

    async fn create_employer(
        &self,
        employer: EmployerFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<EmployerRecord> {
        employers::create(self, employer, at, audit).await
    }

    async fn insert_employers(
        &self,
        list: &[EmployerFields],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<u64> {
        employers::insert_many(self, list, at, audit).await
    }

    async fn update_employer(
        &self,
        id: i64,
        scope: &EmployerScope,
        employer: EmployerFields,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<EmployerRecord>> {
        employers::update(self, id, scope, employer, at, audit).await
    }

    async fn employer(
        &self,
        id: i64,
        scope: &EmployerScope,
    ) -> StoreResult<Option<EmployerRecord>> {
        employers::get(self, id, scope).await
    }

    async fn employer_by_credit_code(&self, code: &str) -> StoreResult<Option<EmployerRecord>> {
        employers::by_credit_code(self, code).await
    }

    async fn list_employers(&self, filter: &EmployerFilter) -> StoreResult<Page<EmployerRecord>> {
        employers::list(self, filter).await
    }

    async fn save_declaration(
        &self,
        employer_id: i64,
        data_year: i32,
        figures: &DeclarationFigures,
        event: DeclarationEvent,
        audit: NewAuditEntry,
    ) -> StoreResult<DeclarationRecord> {
        employers::save_declaration(self, employer_id, data_year, figures, event, audit).await
    }

    async fn insert_declarations(
        &self,
        items: &[(i64, i32, DeclarationStatus, DeclarationFigures)],
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<u64> {
        employers::insert_declarations(self, items, at, audit).await
    }

    async fn review_declaration(
        &self,
        id: i64,
        scope: &EmployerScope,
        status: DeclarationStatus,
        event: DeclarationEvent,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<DeclarationRecord>> {
        employers::review(self, id, scope, status, event, audit).await
    }

    async fn declaration(
        &self,
        id: i64,
        scope: &EmployerScope,
    ) -> StoreResult<Option<DeclarationRecord>> {
        employers::read(self, id, scope).await
    }

    async fn list_declarations(
        &self,
        filter: &DeclarationFilter,
    ) -> StoreResult<Page<DeclarationRecord>> {
        employers::list_declarations(self, filter).await
    }

    async fn declarations_of_year(
        &self,
        data_year: i32,
        scope: &EmployerScope,
    ) -> StoreResult<Vec<DeclarationRecord>> {
        employers::of_year(self, data_year, scope).await
    }

    async fn declaration_conflicts(
        &self,
        declaration_id: i64,
    ) -> StoreResult<Vec<DeclarationConflict>> {
        employers::conflicts(self, declaration_id).await
    }

    async fn measure_one(
        &self,
        data_year: i32,
        scope: &EmployerScope,
        agency_min: u32,
        institution_min: u32,
    ) -> StoreResult<Vec<MeasureOneRow>> {
        employers::measure_one(self, data_year, scope, agency_min, institution_min).await
    }

    async fn save_preset(&self, preset: VersionedRecord, audit: NewAuditEntry) -> StoreResult<()> {
        settings::save(self, Setting::Preset, preset, audit).await
    }

    async fn presets(&self) -> StoreResult<Vec<VersionedRecord>> {
        settings::all(self, Setting::Preset).await
    }

    async fn save_plan(&self, plan: VersionedRecord, audit: NewAuditEntry) -> StoreResult<()> {
        settings::save(self, Setting::Plan, plan, audit).await
    }

    async fn plans(&self) -> StoreResult<Vec<VersionedRecord>> {
        settings::all(self, Setting::Plan).await
    }

    async fn create_unit(
        &self,
        unit: &ablework_domain::programme::Unit,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<UnitRecord> {
        programmes::create_unit(self, unit, at, audit).await
    }

    async fn update_unit(
        &self,
        id: i64,
        scope: &ProgrammeScope,
        unit: &ablework_domain::programme::Unit,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<UnitRecord>> {
        programmes::update_unit(self, id, scope, unit, at, audit).await
    }

    async fn programme_unit(
        &self,
        id: i64,
        scope: &ProgrammeScope,
    ) -> StoreResult<Option<UnitRecord>> {
        programmes::get_unit(self, id, scope).await
    }

    async fn list_units(&self, filter: &UnitFilter) -> StoreResult<Page<UnitRecord>> {
        programmes::list_units(self, filter).await
    }

    async fn create_activity(
        &self,
        unit_id: Option<i64>,
        activity: &ablework_domain::programme::Activity,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<ActivityRecord> {
        programmes::create_activity(self, unit_id, activity, at, audit).await
    }

    async fn programme_activity(
        &self,
        id: i64,
        scope: &ProgrammeScope,
    ) -> StoreResult<Option<ActivityRecord>> {
        programmes::get_activity(self, id, scope).await
    }

    async fn list_activities(&self, filter: &ActivityFilter) -> StoreResult<Page<ActivityRecord>> {
        programmes::list_activities(self, filter).await
    }

    async fn join_programme(
        &self,
        participant: &NewParticipant,
        capacity: Option<u32>,
        audit: NewAuditEntry,
    ) -> StoreResult<ParticipantRecord> {
        programmes::join(self, participant, capacity, audit).await
    }

    async fn participants(
        &self,
        unit_id: i64,
        activity_id: Option<i64>,
    ) -> StoreResult<Vec<ParticipantRecord>> {
        programmes::participants(self, unit_id, activity_id).await
    }

    async fn programme_participant(&self, id: i64) -> StoreResult<Option<ParticipantRecord>> {
        programmes::get_participant(self, id).await
    }

    async fn record_participant_progress(
        &self,
        id: i64,
        progress: &ablework_domain::programme::Progress,
        at: DateTime<Utc>,
        audit: NewAuditEntry,
    ) -> StoreResult<ParticipantRecord> {
        programmes::progress(self, id, progress, at, audit).await
    }

    async fn place_participant(
        &self,
        id: i64,
        outcome: &ablework_domain::outcome::Outcome,
        details: &OutcomeDetails,
        recorded: &Recorded,
        audit: NewAuditEntry,
    ) -> StoreResult<ParticipantRecord> {
        programmes::place(self, id, outcome, details, recorded, audit).await
    }

    async fn draw_on_activity(
        &self,
        draw: &NewDraw,
        limit: Option<rust_decimal::Decimal>,
        audit: NewAuditEntry,
    ) -> StoreResult<DrawRecord> {
        programmes::draw_on(self, draw, limit, audit).await
    }

    async fn draws(&self, activity_id: i64) -> StoreResult<Vec<DrawRecord>> {
        programmes::draws(self, activity_id).await
    }

    async fn draws_to_unit(&self, unit_id: i64) -> StoreResult<Vec<DrawRecord>> {
        programmes::draws_to_unit(self, unit_id).await
    }

    async fn programme_figures(
        &self,
        scope: &ProgrammeScope,
    ) -> StoreResult<Vec<(ablework_domain::programme::Programme, ProgrammeFigures)>> {
        programmes::figures(self, scope).await
    }

    async fn save_rural_criteria(
        &self,
        criteria: VersionedRecord,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        settings::save(self, Setting::RuralCriteria, criteria, audit).await
    }

    async fn rural_criteria(&self) -> StoreResult<Vec<VersionedRecord>> {
        settings::all(self, Setting::RuralCriteria).await
    }

    async fn append_audit(&self, entry: NewAuditEntry) -> StoreResult<AuditRecord> {
        with_tx!(self, tx => {
            let record = append_audit!(tx, entry);
            Ok(record)
        })
    }

    async fn search_audit(&self, filter: &AuditFilter) -> StoreResult<Page<AuditRecord>> {
        rows::search_audit(self, filter).await
    }

    async fn audit_chain(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        with_pool!(self, pool => {
            let found = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                rows::AUDIT_COLUMNS
            )))
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
            found.iter().map(rows::audit).collect()
        })
    }
}
