//! The graduates' ledger (一人一策): students, their plans' steps and the
//! contacts with them. The cohort is read in one query with the counts
//! each line's flags need, so a ledger page costs one round trip.

use ablework_domain::graduates::{ContactChannel, Degree, StudentStatus};
use ablework_store::{
    CohortFilter, ContactRecord, LedgerRow, NewAuditEntry, PersonScope, PlanStepRecord, StoreError,
    StoreResult, StudentFields, StudentFile, StudentRecord,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::persons::push_scope;
use crate::rows::{Columns, code, recorded, unreadable as corrupt};
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

fn count(row: &impl Columns, column: &str) -> StoreResult<u32> {
    u32::try_from(row.i64(column)?).map_err(|_| corrupt(column))
}

const STUDENT_SELECT: &str = "SELECT s.id, s.person_id, s.university, s.major, s.degree, s.expected_graduation, \
    s.counsellor_user_id, cu.username AS counsellor, s.status, s.created_at, s.updated_at \
    FROM students s LEFT JOIN users cu ON cu.id = s.counsellor_user_id";

fn student(row: &impl Columns) -> StoreResult<StudentRecord> {
    Ok(StudentRecord {
        id: row.i64("id")?,
        person_id: row.i64("person_id")?,
        fields: StudentFields {
            university: row.text("university")?,
            major: row.text("major")?,
            degree: code(row, "degree", Degree::from_code)?,
            expected_graduation: row.date("expected_graduation")?,
            counsellor_user_id: row.opt_i64("counsellor_user_id")?,
            status: code(row, "status", StudentStatus::from_code)?,
        },
        counsellor: row.opt_text("counsellor")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn step(row: &impl Columns) -> StoreResult<PlanStepRecord> {
    Ok(PlanStepRecord {
        id: row.i64("id")?,
        student_id: row.i64("student_id")?,
        due_on: row.date("due_on")?,
        description: row.text("description")?,
        done_on: row.opt_date("done_on")?,
        recorded: recorded(row)?,
    })
}

fn contact(row: &impl Columns) -> StoreResult<ContactRecord> {
    Ok(ContactRecord {
        id: row.i64("id")?,
        student_id: row.i64("student_id")?,
        contacted_on: row.date("contacted_on")?,
        channel: code(row, "channel", ContactChannel::from_code)?,
        summary: row.text("summary")?,
        recorded: recorded(row)?,
    })
}

/// A second entry for one person breaks the unique rule on `person_id`.
fn enrolled(error: sqlx::Error) -> StoreError {
    match map_err(error) {
        StoreError::Conflict(_) => StoreError::Conflict("student_enrolled".to_owned()),
        other => other,
    }
}

const INSERT_STUDENT: &str = "INSERT INTO students (person_id, university, major, degree, expected_graduation, \
    counsellor_user_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Binds a student's columns, in the order of [`INSERT_STUDENT`].
macro_rules! bind_student {
    ($query:expr, $person_id:expr, $fields:expr, $created:expr, $updated:expr) => {{
        let fields: &StudentFields = $fields;
        $query
            .bind($person_id)
            .bind(&fields.university)
            .bind(&fields.major)
            .bind(fields.degree.code())
            .bind(fields.expected_graduation)
            .bind(fields.counsellor_user_id)
            .bind(fields.status.code())
            .bind($created)
            .bind($updated)
    }};
}

/// Inserts one step inside the transaction `$tx` and evaluates to its id.
macro_rules! insert_step {
    ($tx:ident, $student_id:expr, $s:expr) => {{
        let s: &PlanStepRecord = $s;
        let row = sqlx::query(
            "INSERT INTO student_plan_steps (student_id, due_on, description, done_on, user_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind($student_id)
        .bind(s.due_on)
        .bind(&s.description)
        .bind(s.done_on)
        .bind(s.recorded.user_id)
        .bind(s.recorded.at)
        .fetch_one(&mut *$tx)
        .await
        .map_err(map_err)?;
        row.i64("id")?
    }};
}

/// Inserts one contact inside the transaction `$tx` and evaluates to its id.
macro_rules! insert_contact {
    ($tx:ident, $student_id:expr, $c:expr) => {{
        let c: &ContactRecord = $c;
        let row = sqlx::query(
            "INSERT INTO student_contacts (student_id, contacted_on, channel, summary, user_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind($student_id)
        .bind(c.contacted_on)
        .bind(c.channel.code())
        .bind(&c.summary)
        .bind(c.recorded.user_id)
        .bind(c.recorded.at)
        .fetch_one(&mut *$tx)
        .await
        .map_err(map_err)?;
        row.i64("id")?
    }};
}

/// Reads one student inside the transaction `$tx`.
macro_rules! read_student {
    ($tx:ident, $id:expr) => {{
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{STUDENT_SELECT} WHERE s.id = $1"
        )))
        .bind($id)
        .fetch_one(&mut *$tx)
        .await
        .map_err(map_err)?;
        student(&row)?
    }};
}

pub(crate) async fn create(
    store: &SqlStore,
    person_id: i64,
    fields: &StudentFields,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<StudentRecord> {
    let sql = format!("{INSERT_STUDENT} RETURNING id");
    with_tx!(store, tx => {
        let query = sqlx::query(sqlx::AssertSqlSafe(sql));
        let row = bind_student!(query, person_id, fields, at, at)
            .fetch_one(&mut *tx)
            .await
            .map_err(enrolled)?;
        let id = row.i64("id")?;
        let record = read_student!(tx, id);
        append_audit!(tx, audit.with_entity_id(id));
        Ok(record)
    })
}

pub(crate) async fn update(
    store: &SqlStore,
    id: i64,
    fields: &StudentFields,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<StudentRecord> {
    with_tx!(store, tx => {
        let done = sqlx::query(
            "UPDATE students SET university = $1, major = $2, degree = $3, expected_graduation = $4, \
             counsellor_user_id = $5, status = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(&fields.university)
        .bind(&fields.major)
        .bind(fields.degree.code())
        .bind(fields.expected_graduation)
        .bind(fields.counsellor_user_id)
        .bind(fields.status.code())
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let record = read_student!(tx, id);
        append_audit!(tx, audit.with_entity_id(id));
        Ok(record)
    })
}

pub(crate) async fn read(store: &SqlStore, id: i64) -> StoreResult<Option<StudentFile>> {
    with_pool!(store, pool => {
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(format!("{STUDENT_SELECT} WHERE s.id = $1")))
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(map_err)?
        else {
            return Ok(None);
        };
        let steps = sqlx::query(
            "SELECT t.id, t.student_id, t.due_on, t.description, t.done_on, t.user_id, u.username, t.at \
             FROM student_plan_steps t LEFT JOIN users u ON u.id = t.user_id \
             WHERE t.student_id = $1 ORDER BY t.due_on, t.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        let contacts = sqlx::query(
            "SELECT c.id, c.student_id, c.contacted_on, c.channel, c.summary, c.user_id, u.username, c.at \
             FROM student_contacts c LEFT JOIN users u ON u.id = c.user_id \
             WHERE c.student_id = $1 ORDER BY c.contacted_on DESC, c.id DESC",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        Ok(Some(StudentFile {
            student: student(&row)?,
            steps: steps.iter().map(step).collect::<StoreResult<_>>()?,
            contacts: contacts.iter().map(contact).collect::<StoreResult<_>>()?,
        }))
    })
}

pub(crate) async fn of_person(
    store: &SqlStore,
    person_id: i64,
) -> StoreResult<Option<StudentRecord>> {
    with_pool!(store, pool => {
        sqlx::query(sqlx::AssertSqlSafe(format!("{STUDENT_SELECT} WHERE s.person_id = $1")))
            .bind(person_id)
            .fetch_optional(pool)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(student)
            .transpose()
    })
}

pub(crate) async fn cohort(store: &SqlStore, filter: &CohortFilter) -> StoreResult<Vec<LedgerRow>> {
    let first = NaiveDate::from_ymd_opt(filter.year, 1, 1)
        .ok_or_else(|| StoreError::Internal(format!("no year {}", filter.year)))?;
    let next = NaiveDate::from_ymd_opt(filter.year + 1, 1, 1)
        .ok_or_else(|| StoreError::Internal(format!("no year {}", filter.year + 1)))?;
    let select = STUDENT_SELECT.replace(
        " FROM students s",
        ", p.name AS person_name, p.district_code, COALESCE(t.steps, 0) AS plan_steps, \
         COALESCE(t.done, 0) AS steps_done, COALESCE(c.contacts, 0) AS contacts, c.latest AS latest_contact \
         FROM students s",
    );
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(format!(
            "{select} JOIN persons p ON p.id = s.person_id \
             LEFT JOIN (SELECT student_id, COUNT(*) AS steps, COUNT(done_on) AS done \
                 FROM student_plan_steps GROUP BY student_id) t ON t.student_id = s.id \
             LEFT JOIN (SELECT student_id, COUNT(*) AS contacts, MAX(contacted_on) AS latest \
                 FROM student_contacts GROUP BY student_id) c ON c.student_id = s.id \
             WHERE s.person_id IN (SELECT id FROM persons"
        ));
        // The scope comes first, inside the person sub-query, so nothing
        // after it can widen it.
        push_scope!(query, &filter.scope);
        query
            .push(") AND s.expected_graduation >= ")
            .push_bind(first)
            .push(" AND s.expected_graduation < ")
            .push_bind(next)
            .push(" ORDER BY s.expected_graduation, s.id");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        found
            .iter()
            .map(|row| {
                Ok(LedgerRow {
                    student: student(row)?,
                    person_name: row.text("person_name")?,
                    district_code: row.text("district_code")?,
                    plan_steps: count(row, "plan_steps")?,
                    steps_done: count(row, "steps_done")?,
                    contacts: count(row, "contacts")?,
                    latest_contact: row.opt_date("latest_contact")?,
                })
            })
            .collect()
    })
}

pub(crate) async fn add_step(
    store: &SqlStore,
    s: &PlanStepRecord,
    audit: NewAuditEntry,
) -> StoreResult<i64> {
    with_tx!(store, tx => {
        let id = insert_step!(tx, s.student_id, s);
        append_audit!(tx, audit.with_entity_id(s.student_id));
        Ok(id)
    })
}

pub(crate) async fn mark_done(
    store: &SqlStore,
    student_id: i64,
    step_id: i64,
    done_on: NaiveDate,
    audit: NewAuditEntry,
) -> StoreResult<()> {
    with_tx!(store, tx => {
        let done = sqlx::query(
            "UPDATE student_plan_steps SET done_on = $1 WHERE id = $2 AND student_id = $3 AND done_on IS NULL",
        )
        .bind(done_on)
        .bind(step_id)
        .bind(student_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            let exists = sqlx::query("SELECT id FROM student_plan_steps WHERE id = $1 AND student_id = $2")
                .bind(step_id)
                .bind(student_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
            return Err(match exists {
                Some(_) => StoreError::Conflict("plan_step_done".to_owned()),
                None => StoreError::NotFound,
            });
        }
        append_audit!(tx, audit.with_entity_id(student_id));
        Ok(())
    })
}

pub(crate) async fn add_contact(
    store: &SqlStore,
    c: &ContactRecord,
    audit: NewAuditEntry,
) -> StoreResult<i64> {
    with_tx!(store, tx => {
        let id = insert_contact!(tx, c.student_id, c);
        append_audit!(tx, audit.with_entity_id(c.student_id));
        Ok(id)
    })
}

pub(crate) async fn insert_many(
    store: &SqlStore,
    files: &[StudentFile],
    audit: NewAuditEntry,
) -> StoreResult<u64> {
    // A person in the ledger already is skipped, not an error: bulk loads
    // are re-runnable. Both engines accept this conflict clause.
    let sql = format!("{INSERT_STUDENT} ON CONFLICT (person_id) DO NOTHING RETURNING id");
    with_tx!(store, tx => {
        let mut written = 0_u64;
        let (mut steps, mut contacts) = (0_u64, 0_u64);
        for file in files {
            let record = &file.student;
            let query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            let Some(row) = bind_student!(query, record.person_id, &record.fields, record.created_at, record.updated_at)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
            else {
                continue;
            };
            let id = row.i64("id")?;
            written += 1;
            for s in &file.steps {
                insert_step!(tx, id, s);
                steps += 1;
            }
            for c in &file.contacts {
                insert_contact!(tx, id, c);
                contacts += 1;
            }
        }
        // The caller's detail (the source, a seed) is kept; the counts join it.
        let mut audit = audit;
        if let Some(detail) = audit.detail.as_object_mut() {
            detail.insert("written".to_owned(), written.into());
            detail.insert("offered".to_owned(), files.len().into());
            detail.insert("steps".to_owned(), steps.into());
            detail.insert("contacts".to_owned(), contacts.into());
        }
        append_audit!(tx, audit);
        Ok(written)
    })
}
