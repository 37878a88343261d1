//! Background imports: the job, its checkpoints and row errors, its file
//! until it ends and its error report after.

use ablework_store::{
    FinishedImport, ImportJobRecord, ImportJobScope, ImportJobState, ImportRowError, ImportTally,
    NewAuditEntry, NewImportJob, Page, StoreError, StoreResult,
};
use chrono::{DateTime, Utc};

use crate::rows::Columns;
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

const JOB_SELECT: &str = "SELECT j.id, j.kind, j.file_name, j.encoding, j.dry_run, j.user_id, \
     u.username, j.district_code, j.state, j.resumed, j.checkpoint_row, j.read_rows, j.inserted, \
     j.updated, j.unchanged, j.rejected, j.failure_code, j.failure_zh, j.failure_en, \
     j.report_enc IS NOT NULL AS has_report, j.content_enc IS NOT NULL AS has_content, \
     j.created_at, j.started_at, j.finished_at \
     FROM import_jobs j JOIN users u ON u.id = j.user_id";

fn count(row: &impl Columns, column: &str) -> StoreResult<u64> {
    u64::try_from(row.i64(column)?)
        .map_err(|_| StoreError::Internal(format!("negative {column} in an import job")))
}

fn stored(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn job(row: &impl Columns) -> StoreResult<ImportJobRecord> {
    let state = row.text("state")?;
    let failure = match (
        row.opt_text("failure_code")?,
        row.opt_text("failure_zh")?,
        row.opt_text("failure_en")?,
    ) {
        (Some(code), Some(zh), Some(en)) => Some((code, zh, en)),
        _ => None,
    };
    Ok(ImportJobRecord {
        id: row.i64("id")?,
        kind: row.text("kind")?,
        file_name: row.text("file_name")?,
        encoding: row.text("encoding")?,
        dry_run: row.flag("dry_run")?,
        user_id: row.i64("user_id")?,
        username: row.text("username")?,
        district_code: row.opt_text("district_code")?,
        state: ImportJobState::from_code(&state)
            .ok_or_else(|| StoreError::Internal(format!("unknown import job state {state}")))?,
        resumed: u32::try_from(row.i32("resumed")?).unwrap_or_default(),
        checkpoint_row: count(row, "checkpoint_row")?,
        counts: ImportTally {
            read: count(row, "read_rows")?,
            inserted: count(row, "inserted")?,
            updated: count(row, "updated")?,
            unchanged: count(row, "unchanged")?,
            rejected: count(row, "rejected")?,
        },
        failure,
        has_report: row.flag("has_report")?,
        has_content: row.flag("has_content")?,
        created_at: row.time("created_at")?,
        started_at: row.opt_time("started_at")?,
        finished_at: row.opt_time("finished_at")?,
    })
}

/// Appends `$errors` to job `$id` after the ones it has, inside `$tx`.
macro_rules! append_errors {
    ($tx:ident, $id:expr, $errors:expr) => {{
        let errors: &[ImportRowError] = $errors;
        if !errors.is_empty() {
            let next: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM import_job_errors WHERE job_id = $1",
            )
            .bind($id)
            .fetch_one(&mut *$tx)
            .await
            .map_err(map_err)?;
            // A few thousand errors a statement keeps within every engine's
            // limit of bound values.
            for (chunk_index, chunk) in (0_i64..).zip(errors.chunks(2_000)) {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO import_job_errors \
                     (job_id, seq, row_number, field, code, message_zh, message_en) ",
                );
                query.push_values((0_i64..).zip(chunk), |mut values, (i, error)| {
                    values
                        .push_bind($id)
                        .push_bind(next + chunk_index * 2_000 + i)
                        .push_bind(stored(error.row))
                        .push_bind(error.field.clone())
                        .push_bind(error.code.clone())
                        .push_bind(error.message_zh.clone())
                        .push_bind(error.message_en.clone());
                });
                query.build().execute(&mut *$tx).await.map_err(map_err)?;
            }
        }
    }};
}

pub(crate) async fn create(
    store: &SqlStore,
    job_in: NewImportJob,
    audit: NewAuditEntry,
) -> StoreResult<ImportJobRecord> {
    with_tx!(store, tx => {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO import_jobs (kind, file_name, encoding, dry_run, user_id, district_code, \
             state, content_enc, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8) \
             RETURNING id",
        )
        .bind(&job_in.kind)
        .bind(&job_in.file_name)
        .bind(&job_in.encoding)
        .bind(job_in.dry_run)
        .bind(job_in.user_id)
        .bind(&job_in.district_code)
        .bind(&job_in.content_enc)
        .bind(job_in.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{JOB_SELECT} WHERE j.id = $1")))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let record = job(&row)?;
        append_audit!(tx, audit.with_entity_id(id));
        Ok(record)
    })
}

pub(crate) async fn read(store: &SqlStore, id: i64) -> StoreResult<Option<ImportJobRecord>> {
    with_pool!(store, pool => {
        sqlx::query(sqlx::AssertSqlSafe(format!("{JOB_SELECT} WHERE j.id = $1")))
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(map_err)?
            .map(|row| job(&row))
            .transpose()
    })
}

pub(crate) async fn list(
    store: &SqlStore,
    scope: &ImportJobScope,
    offset: u64,
    limit: u32,
) -> StoreResult<Page<ImportJobRecord>> {
    let (condition, user, district) = match scope {
        ImportJobScope::All => ("$1 = $1 AND $2 = $2", 0, String::new()),
        ImportJobScope::District(code) => ("$1 = $1 AND j.district_code = $2", 0, code.clone()),
        ImportJobScope::User(id) => ("j.user_id = $1 AND $2 = $2", *id, String::new()),
    };
    with_pool!(store, pool => {
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM import_jobs j WHERE {condition}"
        )))
        .bind(user)
        .bind(&district)
        .fetch_one(pool)
        .await
        .map_err(map_err)?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{JOB_SELECT} WHERE {condition} ORDER BY j.id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(user)
        .bind(&district)
        .bind(i64::from(limit))
        .bind(stored(offset))
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        Ok(Page {
            items: rows.iter().map(job).collect::<StoreResult<_>>()?,
            total: u64::try_from(total).unwrap_or_default(),
        })
    })
}

pub(crate) async fn next_queued(store: &SqlStore) -> StoreResult<Option<i64>> {
    with_pool!(store, pool => {
        sqlx::query_scalar(
            "SELECT id FROM import_jobs WHERE state = 'queued' ORDER BY id LIMIT 1",
        )
        .fetch_optional(pool)
        .await
        .map_err(map_err)
    })
}

pub(crate) async fn start(store: &SqlStore, id: i64, at: DateTime<Utc>) -> StoreResult<bool> {
    with_pool!(store, pool => {
        let done = sqlx::query(
            "UPDATE import_jobs SET state = 'running', started_at = COALESCE(started_at, $1) \
             WHERE id = $2 AND state = 'queued'",
        )
        .bind(at)
        .bind(id)
        .execute(pool)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    })
}

pub(crate) async fn requeue_running(store: &SqlStore) -> StoreResult<Vec<i64>> {
    with_tx!(store, tx => {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM import_jobs WHERE state = 'running' ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query(
            "UPDATE import_jobs SET state = 'queued', resumed = resumed + 1 WHERE state = 'running'",
        )
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        Ok(ids)
    })
}

/// One of a job's sealed files: `content_enc` or `report_enc`.
async fn sealed(store: &SqlStore, id: i64, column: &str) -> StoreResult<Option<Vec<u8>>> {
    let sql = format!("SELECT {column} FROM import_jobs WHERE id = $1");
    with_pool!(store, pool => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(map_err)?;
        match row {
            Some(row) => row.opt_bytes(column),
            None => Ok(None),
        }
    })
}

pub(crate) async fn content(store: &SqlStore, id: i64) -> StoreResult<Option<Vec<u8>>> {
    sealed(store, id, "content_enc").await
}

pub(crate) async fn report(store: &SqlStore, id: i64) -> StoreResult<Option<Vec<u8>>> {
    sealed(store, id, "report_enc").await
}

/// Sets the checkpoint and counts of job `$id` inside `$tx`; fails with
/// `NotFound` when the job is not running.
macro_rules! set_counts {
    ($tx:ident, $id:expr, $row:expr, $counts:expr) => {{
        let counts: ImportTally = $counts;
        let done = sqlx::query(
            "UPDATE import_jobs SET checkpoint_row = $1, read_rows = $2, inserted = $3, \
             updated = $4, unchanged = $5, rejected = $6 WHERE id = $7 AND state = 'running'",
        )
        .bind(stored($row))
        .bind(stored(counts.read))
        .bind(stored(counts.inserted))
        .bind(stored(counts.updated))
        .bind(stored(counts.unchanged))
        .bind(stored(counts.rejected))
        .bind($id)
        .execute(&mut *$tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
    }};
}

pub(crate) async fn checkpoint(
    store: &SqlStore,
    id: i64,
    row: u64,
    counts: ImportTally,
    errors: &[ImportRowError],
) -> StoreResult<()> {
    with_tx!(store, tx => {
        set_counts!(tx, id, row, counts);
        append_errors!(tx, id, errors);
        Ok(())
    })
}

pub(crate) async fn finish(
    store: &SqlStore,
    id: i64,
    outcome: FinishedImport,
    audit: NewAuditEntry,
) -> StoreResult<()> {
    if !outcome.state.is_over() {
        return Err(StoreError::Internal(
            "an import job ends as done or failed".to_owned(),
        ));
    }
    let (code, zh, en) = outcome
        .failure
        .clone()
        .map_or((None, None, None), |(c, z, e)| (Some(c), Some(z), Some(e)));
    with_tx!(store, tx => {
        set_counts!(tx, id, outcome.row, outcome.counts);
        append_errors!(tx, id, &outcome.errors);
        sqlx::query(
            "UPDATE import_jobs SET state = $1, failure_code = $2, failure_zh = $3, \
             failure_en = $4, report_enc = $5, content_enc = NULL, finished_at = $6 WHERE id = $7",
        )
        .bind(outcome.state.code())
        .bind(code)
        .bind(zh)
        .bind(en)
        .bind(&outcome.report_enc)
        .bind(outcome.at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_audit!(tx, audit.with_entity_id(id));
        Ok(())
    })
}

pub(crate) async fn errors(
    store: &SqlStore,
    id: i64,
    offset: u64,
    limit: u32,
) -> StoreResult<Page<ImportRowError>> {
    with_pool!(store, pool => {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM import_job_errors WHERE job_id = $1")
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(map_err)?;
        let rows = sqlx::query(
            "SELECT row_number, field, code, message_zh, message_en FROM import_job_errors \
             WHERE job_id = $1 ORDER BY row_number, seq LIMIT $2 OFFSET $3",
        )
        .bind(id)
        .bind(i64::from(limit))
        .bind(stored(offset))
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        let items = rows
            .iter()
            .map(|row| {
                Ok(ImportRowError {
                    row: count(row, "row_number")?,
                    field: row.text("field")?,
                    code: row.text("code")?,
                    message_zh: row.text("message_zh")?,
                    message_en: row.text("message_en")?,
                })
            })
            .collect::<StoreResult<_>>()?;
        Ok(Page {
            items,
            total: u64::try_from(total).unwrap_or_default(),
        })
    })
}
