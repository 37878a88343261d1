//! Job applications and their steps. Moving an application to `hired`
//! records the employment outcome in the same transaction, with the code
//! every outcome goes through ([`crate::outcomes::record_outcome_in`]), so
//! the progress counts are kept with it; and closes the posting when its
//! hires fill its posts.

use ablework_domain::application::{ApplicationStatus, CounsellorDecision, HideReason};
use ablework_store::{
    ApplicationRecord, ApplicationStep, EmployerHire, Hire, MarkEntry, MarksOf, Moved,
    NewApplication, NewAuditEntry, RecommendationMark, Recorded, StoreError, StoreResult,
};
use chrono::NaiveDate;
use serde_json::json;

use crate::outcomes::record_outcome_in;
use crate::rows::{self, Columns, code};
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

const APPLICATION_SELECT: &str = "SELECT a.id, a.person_id, p.name AS person_name, a.posting_id, \
    j.title AS posting_title, j.employer_id, e.name AS employer_name, a.status, a.outcome_id, \
    a.fair_id, a.created_at, a.updated_at \
    FROM job_applications a JOIN persons p ON p.id = a.person_id \
    JOIN job_postings j ON j.id = a.posting_id JOIN employers e ON e.id = j.employer_id";

const STEP_SELECT: &str = "SELECT s.application_id, s.status, s.happened_on, s.user_id, \
    u.username, s.at FROM job_application_steps s LEFT JOIN users u ON u.id = s.user_id";

fn application(row: &impl Columns) -> StoreResult<ApplicationRecord> {
    Ok(ApplicationRecord {
        id: row.i64("id")?,
        person_id: row.i64("person_id")?,
        person_name: row.text("person_name")?,
        posting_id: row.i64("posting_id")?,
        posting_title: row.text("posting_title")?,
        employer_id: row.i64("employer_id")?,
        employer_name: row.text("employer_name")?,
        status: code(row, "status", ApplicationStatus::from_code)?,
        outcome_id: row.opt_i64("outcome_id")?,
        fair_id: row.opt_i64("fair_id")?,
        steps: Vec::new(),
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn step(row: &impl Columns) -> StoreResult<(i64, ApplicationStep)> {
    Ok((
        row.i64("application_id")?,
        ApplicationStep {
            status: code(row, "status", ApplicationStatus::from_code)?,
            on: row.date("happened_on")?,
            recorded: rows::recorded(row)?,
        },
    ))
}

/// Gives each application its steps, oldest first.
fn attach(
    mut applications: Vec<ApplicationRecord>,
    steps: Vec<(i64, ApplicationStep)>,
) -> Vec<ApplicationRecord> {
    for (application_id, step) in steps {
        if let Some(found) = applications.iter_mut().find(|a| a.id == application_id) {
            found.steps.push(step);
        }
    }
    applications
}

/// Reads applications matching `$condition` (on `a.`, binding `$1`) with
/// their steps, newest first, from `$executor`.
macro_rules! read_applications {
    ($executor:expr, $condition:literal, $value:expr) => {{
        let found = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE {} ORDER BY a.created_at DESC, a.id DESC",
            $condition
        )))
        .bind($value)
        .fetch_all($executor)
        .await
        .map_err(map_err)?;
        let applications = found
            .iter()
            .map(application)
            .collect::<StoreResult<Vec<_>>>()?;
        let steps = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{STEP_SELECT} JOIN job_applications a ON a.id = s.application_id WHERE {} ORDER BY s.id",
            $condition
        )))
        .bind($value)
        .fetch_all($executor)
        .await
        .map_err(map_err)?
        .iter()
        .map(step)
        .collect::<StoreResult<Vec<_>>>()?;
        attach(applications, steps)
    }};
}

/// Appends a step inside the transaction `$tx`.
macro_rules! insert_step {
    ($tx:ident, $application_id:expr, $step:expr) => {{
        let step: &ApplicationStep = $step;
        sqlx::query(
            "INSERT INTO job_application_steps (application_id, status, happened_on, user_id, at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($application_id)
        .bind(step.status.code())
        .bind(step.on)
        .bind(step.recorded.user_id)
        .bind(step.recorded.at)
        .execute(&mut *$tx)
        .await
        .map_err(map_err)?;
    }};
}

pub(crate) async fn create(
    store: &SqlStore,
    new: &NewApplication,
    audit: NewAuditEntry,
) -> StoreResult<ApplicationRecord> {
    with_tx!(store, tx => {
        // Checked inside the transaction, so a posting closed meanwhile
        // takes no application.
        let open = sqlx::query("SELECT is_open FROM job_postings WHERE id = $1")
            .bind(new.posting_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        if !open.flag("is_open")? {
            return Err(StoreError::Conflict("posting_closed".to_owned()));
        }
        let row = sqlx::query(
            "INSERT INTO job_applications (person_id, posting_id, status, created_at, updated_at, fair_id) \
             VALUES ($1, $2, $3, $4, $4, $5) RETURNING id",
        )
        .bind(new.person_id)
        .bind(new.posting_id)
        .bind(new.first.status.code())
        .bind(new.first.recorded.at)
        .bind(new.fair_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match map_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict("application_exists".to_owned()),
            other => other,
        })?;
        let id = row.i64("id")?;
        insert_step!(tx, id, &new.first);
        let mut found = read_applications!(&mut *tx, "a.id = $1", id);
        let record = found.pop().ok_or(StoreError::NotFound)?;
        append_audit!(tx, audit.with_entity_id(id));
        Ok(record)
    })
}

pub(crate) async fn get(store: &SqlStore, id: i64) -> StoreResult<Option<ApplicationRecord>> {
    with_pool!(store, pool => {
        let mut found = read_applications!(pool, "a.id = $1", id);
        Ok(found.pop())
    })
}

pub(crate) async fn of_posting(
    store: &SqlStore,
    posting_id: i64,
) -> StoreResult<Vec<ApplicationRecord>> {
    with_pool!(store, pool => {
        Ok(read_applications!(pool, "a.posting_id = $1", posting_id))
    })
}

pub(crate) async fn of_fair(store: &SqlStore, fair_id: i64) -> StoreResult<Vec<ApplicationRecord>> {
    with_pool!(store, pool => {
        Ok(read_applications!(pool, "a.fair_id = $1", fair_id))
    })
}

pub(crate) async fn of_person(
    store: &SqlStore,
    person_id: i64,
) -> StoreResult<Vec<ApplicationRecord>> {
    with_pool!(store, pool => {
        Ok(read_applications!(pool, "a.person_id = $1", person_id))
    })
}

pub(crate) async fn advance(
    store: &SqlStore,
    id: i64,
    from: ApplicationStatus,
    next: &ApplicationStep,
    hire: Option<&Hire>,
    audit: NewAuditEntry,
) -> StoreResult<Moved> {
    with_tx!(store, tx => {
        let current = sqlx::query("SELECT status, posting_id FROM job_applications WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        let status = code(&current, "status", ApplicationStatus::from_code)?;
        let posting_id = current.i64("posting_id")?;
        // Only the status the caller saw may move: a step taken meanwhile
        // by someone else is not overwritten.
        if status != from {
            return Err(StoreError::Conflict("application_moved".to_owned()));
        }
        let mut posting_closed = false;
        let mut outcome_id: Option<i64> = None;
        if let Some(hire) = hire {
            let recorded = &next.recorded;
            let recorded_id = record_outcome_in!(tx, &hire.outcome, &hire.details, recorded);
            append_audit!(
                tx,
                hire.audit
                    .clone()
                    .with_entity_id(hire.outcome.person_id)
                    .with_detail(json!({ "outcome": recorded_id, "application": id }))
            );
            outcome_id = Some(recorded_id);
        }
        sqlx::query(
            "UPDATE job_applications SET status = $1, updated_at = $2, \
             outcome_id = COALESCE($3, outcome_id) WHERE id = $4",
        )
        .bind(next.status.code())
        .bind(next.recorded.at)
        .bind(outcome_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        insert_step!(tx, id, next);
        if next.status == ApplicationStatus::Hired {
            let posting = sqlx::query(
                "SELECT j.posts, j.is_open, (SELECT COUNT(*) FROM job_applications h \
                 WHERE h.posting_id = j.id AND h.status = $1) AS n FROM job_postings j WHERE j.id = $2",
            )
            .bind(ApplicationStatus::Hired.code())
            .bind(posting_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
            let hired = rows::count(&posting)?;
            let posts = u64::try_from(posting.i32("posts")?).unwrap_or(u64::MAX);
            if posting.flag("is_open")? && hired >= posts {
                sqlx::query("UPDATE job_postings SET is_open = $1, updated_at = $2 WHERE id = $3")
                    .bind(false)
                    .bind(next.recorded.at)
                    .bind(posting_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                posting_closed = true;
            }
        }
        let mut audit = audit.with_entity_id(id);
        let detail = json!({
            "from": from.code(),
            "to": next.status.code(),
            "on": next.on,
            "job_posting": posting_id,
            "outcome": outcome_id,
            "posting_closed": posting_closed,
        });
        match audit.detail.as_object_mut() {
            Some(existing) => {
                if let Some(more) = detail.as_object() {
                    existing.extend(more.clone());
                }
            }
            None => audit = audit.with_detail(detail),
        }
        append_audit!(tx, audit);
        let mut found = read_applications!(&mut *tx, "a.id = $1", id);
        let application = found.pop().ok_or(StoreError::NotFound)?;
        Ok(Moved { application, posting_closed })
    })
}

pub(crate) async fn hires_of_employer(
    store: &SqlStore,
    employer_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<EmployerHire>> {
    with_pool!(store, pool => {
        sqlx::query(
            "SELECT a.person_id, s.happened_on, p.level FROM job_application_steps s \
             JOIN job_applications a ON a.id = s.application_id \
             JOIN job_postings j ON j.id = a.posting_id \
             JOIN persons p ON p.id = a.person_id \
             WHERE j.employer_id = $1 AND s.status = $2 AND s.happened_on >= $3 AND s.happened_on <= $4 \
             ORDER BY s.happened_on, s.id",
        )
        .bind(employer_id)
        .bind(ApplicationStatus::Hired.code())
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await
        .map_err(map_err)?
        .iter()
        .map(|row| {
            Ok(EmployerHire {
                person_id: row.i64("person_id")?,
                started_on: row.date("happened_on")?,
                level: u8::try_from(row.i32("level")?).map_err(|_| rows::unreadable("level"))?,
            })
        })
        .collect()
    })
}

const MARK_SELECT: &str = "SELECT m.person_id, m.posting_id, m.hidden_reason, m.hidden_note, \
    m.hidden_by, hu.username AS hidden_username, m.hidden_at, m.decision, m.decision_note, \
    m.decided_by, du.username AS decided_username, m.decided_at \
    FROM recommendation_marks m LEFT JOIN users hu ON hu.id = m.hidden_by \
    LEFT JOIN users du ON du.id = m.decided_by";

/// One half of a mark from its columns: `value` (a code), `note`, `by`,
/// `username` and `at`; absent when the code is NULL.
fn mark_entry<T>(
    row: &impl Columns,
    [value, note, by, username, at]: [&str; 5],
    decode: fn(&str) -> Option<T>,
) -> StoreResult<Option<MarkEntry<T>>> {
    let Some(text) = row.opt_text(value)? else {
        return Ok(None);
    };
    Ok(Some(MarkEntry {
        value: decode(&text).ok_or_else(|| rows::unreadable(value))?,
        note: row.text(note)?,
        recorded: Recorded {
            user_id: row.opt_i64(by)?,
            username: row.opt_text(username)?,
            at: row.time(at)?,
        },
    }))
}

fn mark(row: &impl Columns) -> StoreResult<RecommendationMark> {
    Ok(RecommendationMark {
        person_id: row.i64("person_id")?,
        posting_id: row.i64("posting_id")?,
        hidden: mark_entry(
            row,
            [
                "hidden_reason",
                "hidden_note",
                "hidden_by",
                "hidden_username",
                "hidden_at",
            ],
            HideReason::from_code,
        )?,
        decision: mark_entry(
            row,
            [
                "decision",
                "decision_note",
                "decided_by",
                "decided_username",
                "decided_at",
            ],
            CounsellorDecision::from_code,
        )?,
    })
}

pub(crate) async fn marks(store: &SqlStore, of: &MarksOf) -> StoreResult<Vec<RecommendationMark>> {
    // Every condition names both parameters, `$1` an id and `$2` a
    // district code, so one query binds both whichever is used.
    let (condition, person, district) = match of {
        MarksOf::Person(id) => ("m.person_id = $1 AND $2 = $2", *id, ""),
        MarksOf::Posting(id) => ("m.posting_id = $1 AND $2 = $2", *id, ""),
        MarksOf::District(code) => (
            "m.person_id IN (SELECT id FROM persons WHERE district_code = $2 AND $1 = $1)",
            0,
            code.as_str(),
        ),
        MarksOf::All => ("$1 = $1 AND $2 = $2", 0, ""),
    };
    let sql = format!("{MARK_SELECT} WHERE {condition} ORDER BY m.person_id, m.posting_id");
    with_pool!(store, pool => {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(person)
            .bind(district)
            .fetch_all(pool)
            .await
            .map_err(map_err)?
            .iter()
            .map(mark)
            .collect()
    })
}

pub(crate) async fn set_mark(
    store: &SqlStore,
    mark: &RecommendationMark,
    audit: NewAuditEntry,
) -> StoreResult<()> {
    let hidden = mark.hidden.as_ref();
    let decision = mark.decision.as_ref();
    with_tx!(store, tx => {
        if hidden.is_none() && decision.is_none() {
            sqlx::query("DELETE FROM recommendation_marks WHERE person_id = $1 AND posting_id = $2")
                .bind(mark.person_id)
                .bind(mark.posting_id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        } else {
            sqlx::query(
                "INSERT INTO recommendation_marks (person_id, posting_id, hidden_reason, hidden_note, \
                 hidden_by, hidden_at, decision, decision_note, decided_by, decided_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (person_id, posting_id) DO UPDATE SET \
                 hidden_reason = excluded.hidden_reason, hidden_note = excluded.hidden_note, \
                 hidden_by = excluded.hidden_by, hidden_at = excluded.hidden_at, \
                 decision = excluded.decision, decision_note = excluded.decision_note, \
                 decided_by = excluded.decided_by, decided_at = excluded.decided_at",
            )
            .bind(mark.person_id)
            .bind(mark.posting_id)
            .bind(hidden.map(|h| h.value.code()))
            .bind(hidden.map_or("", |h| h.note.as_str()))
            .bind(hidden.and_then(|h| h.recorded.user_id))
            .bind(hidden.map(|h| h.recorded.at))
            .bind(decision.map(|d| d.value.code()))
            .bind(decision.map_or("", |d| d.note.as_str()))
            .bind(decision.and_then(|d| d.recorded.user_id))
            .bind(decision.map(|d| d.recorded.at))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        append_audit!(tx, audit);
        Ok(())
    })
}

pub(crate) async fn postings_revision(store: &SqlStore) -> StoreResult<i64> {
    with_pool!(store, pool => {
        sqlx::query("SELECT revision FROM job_postings_revision WHERE id = 1")
            .fetch_one(pool)
            .await
            .map_err(map_err)?
            .i64("revision")
    })
}
