//! The "four ones" case of a person: checks, assessments, needs, services
//! and consents. Lists of codes are stored as JSON text on both engines.

use ablework_domain::application::ApplicationStatus;
use ablework_domain::four_ones::{
    AssessmentStatus, CheckSource, CheckedField, ConsentPurpose, Hours, ServiceKind, ServiceResult,
    Step, WorkCapacity,
};
use ablework_domain::outcome::EmploymentForm;
use ablework_store::{
    AssessmentFields, AssessmentRecord, CaseFile, CheckRecord, ConsentRecord, NeedFields,
    NeedRecord, NewAuditEntry, Page, PersonRecord, PersonScope, Recorded, SeekerFile, SeekerFilter,
    ServiceRecord, StoreError, StoreResult, WorkQueueFilter,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::persons::push_scope;
use crate::rows::{self, Columns, PERSON_COLUMNS, code, recorded, unreadable as corrupt};
use crate::tally::refresh_four_ones;
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

fn to_json(value: &impl Serialize) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Internal(e.to_string()))
}

fn from_json<T: DeserializeOwned>(row: &impl Columns, column: &str) -> StoreResult<T> {
    serde_json::from_str(&row.text(column)?).map_err(|_| corrupt(column))
}

fn check(row: &impl Columns) -> StoreResult<CheckRecord> {
    Ok(CheckRecord {
        id: row.i64("id")?,
        person_id: row.i64("person_id")?,
        checked_on: row.date("checked_on")?,
        fields: from_json::<Vec<CheckedField>>(row, "fields")?,
        source: code(row, "source", CheckSource::from_code)?,
        note: row.opt_text("note")?,
        recorded: recorded(row)?,
    })
}

fn assessment(row: &impl Columns) -> StoreResult<AssessmentRecord> {
    let reviewed = match row.opt_time("reviewed_at")? {
        Some(at) => Some(Recorded {
            user_id: row.opt_i64("reviewer_id")?,
            username: row.opt_text("reviewer")?,
            at,
        }),
        None => None,
    };
    Ok(AssessmentRecord {
        id: row.i64("id")?,
        person_id: row.i64("person_id")?,
        assessed_on: row.date("assessed_on")?,
        fields: AssessmentFields {
            functions: from_json(row, "functions")?,
            capacity: code(row, "capacity", WorkCapacity::from_code)?,
            skills: row.text("skills")?,
            forms: from_json::<Vec<EmploymentForm>>(row, "forms")?,
            accommodations: from_json(row, "accommodations")?,
            languages: from_json(row, "languages")?,
        },
        status: code(row, "status", AssessmentStatus::from_code)?,
        recorded: recorded(row)?,
        reviewed,
        review_note: row.opt_text("review_note")?,
    })
}

fn need(row: &impl Columns) -> StoreResult<NeedRecord> {
    Ok(NeedRecord {
        id: row.i64("id")?,
        person_id: row.i64("person_id")?,
        registered_on: row.date("registered_on")?,
        fields: NeedFields {
            occupations: row.text("occupations")?,
            form: row
                .opt_text("form")?
                .map(|f| EmploymentForm::from_code(&f).ok_or_else(|| corrupt("form")))
                .transpose()?,
            districts: from_json(row, "districts")?,
            commute_minutes: row.opt_i32("commute_minutes")?,
            hours: code(row, "hours", Hours::from_code)?,
            wage_expectation: row.opt_i32("wage_expectation")?,
            accommodations: from_json(row, "accommodations")?,
            willing_to_train: row.flag("willing_to_train")?,
        },
        recorded: recorded(row)?,
    })
}

fn service(row: &impl Columns) -> StoreResult<ServiceRecord> {
    Ok(ServiceRecord {
        id: row.i64("id")?,
        person_id: row.i64("person_id")?,
        kind: code(row, "kind", ServiceKind::from_code)?,
        served_on: row.date("served_on")?,
        result: code(row, "result", ServiceResult::from_code)?,
        note: row.opt_text("note")?,
        recorded: recorded(row)?,
    })
}

fn consent(row: &impl Columns) -> StoreResult<ConsentRecord> {
    Ok(ConsentRecord {
        id: row.i64("id")?,
        person_id: row.i64("person_id")?,
        purpose: code(row, "purpose", ConsentPurpose::from_code)?,
        given: row.flag("given")?,
        effective_on: row.date("effective_on")?,
        by_person: row.flag("by_person")?,
        recorded: recorded(row)?,
    })
}

const ASSESSMENT_SELECT: &str = "SELECT a.id, a.person_id, a.assessed_on, a.functions, a.capacity, a.skills, \
    a.forms, a.accommodations, a.languages, a.status, a.user_id, u.username, a.at, a.reviewer_id, r.username AS reviewer, \
    a.reviewed_at, a.review_note FROM assessments a LEFT JOIN users u ON u.id = a.user_id \
    LEFT JOIN users r ON r.id = a.reviewer_id";

pub(crate) async fn case_file(store: &SqlStore, person_id: i64) -> StoreResult<CaseFile> {
    with_pool!(store, pool => {
        let checks = sqlx::query(
            "SELECT c.id, c.person_id, c.checked_on, c.fields, c.source, c.note, c.user_id, u.username, c.at \
             FROM person_checks c LEFT JOIN users u ON u.id = c.user_id WHERE c.person_id = $1 ORDER BY c.id DESC",
        )
        .bind(person_id).fetch_all(pool).await.map_err(map_err)?;
        let assessments = sqlx::query(sqlx::AssertSqlSafe(format!("{ASSESSMENT_SELECT} WHERE a.person_id = $1 ORDER BY a.id DESC")))
            .bind(person_id).fetch_all(pool).await.map_err(map_err)?;
        let needs = sqlx::query(
            "SELECT n.id, n.person_id, n.registered_on, n.occupations, n.form, n.districts, n.commute_minutes, n.hours, \
             n.wage_expectation, n.accommodations, n.willing_to_train, n.user_id, u.username, n.at \
             FROM needs n LEFT JOIN users u ON u.id = n.user_id WHERE n.person_id = $1 ORDER BY n.id DESC",
        )
        .bind(person_id).fetch_all(pool).await.map_err(map_err)?;
        let services = sqlx::query(
            "SELECT s.id, s.person_id, s.kind, s.served_on, s.result, s.note, s.user_id, u.username, s.at \
             FROM services s LEFT JOIN users u ON u.id = s.user_id WHERE s.person_id = $1 ORDER BY s.served_on DESC, s.id DESC",
        )
        .bind(person_id).fetch_all(pool).await.map_err(map_err)?;
        let consents = sqlx::query(
            "SELECT c.id, c.person_id, c.purpose, c.given, c.effective_on, c.by_person, c.user_id, u.username, c.at \
             FROM consents c LEFT JOIN users u ON u.id = c.user_id WHERE c.person_id = $1 ORDER BY c.id DESC",
        )
        .bind(person_id).fetch_all(pool).await.map_err(map_err)?;
        Ok(CaseFile {
            checks: checks.iter().map(check).collect::<StoreResult<_>>()?,
            assessments: assessments.iter().map(assessment).collect::<StoreResult<_>>()?,
            needs: needs.iter().map(need).collect::<StoreResult<_>>()?,
            services: services.iter().map(service).collect::<StoreResult<_>>()?,
            consents: consents.iter().map(consent).collect::<StoreResult<_>>()?,
        })
    })
}

/// The ids of the active, unemployed people a [`SeekerFilter`] admits: a
/// sub-select shared by the three reads of [`seeker_files`]. `$1` is the
/// consent purpose's code ('' for any), `$2` true, `$3` the district ('' for
/// any).
const SEEKERS: &str = "SELECT p.id FROM persons p \
    WHERE p.active = $2 AND p.employment_status = 'unemployed' \
    AND ($3 = '' OR p.district_code = $3) \
    AND ($1 = '' OR EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.purpose = $1 \
        AND c.given = $2 AND c.id = (SELECT MAX(n.id) FROM consents n \
        WHERE n.person_id = c.person_id AND n.purpose = c.purpose)))";

/// Leaves out people with an application that engages them
/// (`ApplicationStatus::engages_person`: under way or hired).
fn without_applications() -> String {
    let codes: Vec<String> = ApplicationStatus::ALL
        .iter()
        .filter(|s| s.engages_person())
        .map(|s| format!("'{}'", s.code()))
        .collect();
    format!(
        " AND NOT EXISTS (SELECT 1 FROM job_applications a \
         WHERE a.person_id = p.id AND a.status IN ({}))",
        codes.join(", ")
    )
}

pub(crate) async fn seeker_files(
    store: &SqlStore,
    filter: &SeekerFilter,
) -> StoreResult<Vec<SeekerFile>> {
    let ids = if filter.without_applications {
        format!("{SEEKERS}{}", without_applications())
    } else {
        SEEKERS.to_owned()
    };
    let purpose = filter.consent.map_or("", ConsentPurpose::code);
    let district = filter.district.as_deref().unwrap_or("");
    let persons_sql =
        format!("SELECT {PERSON_COLUMNS} FROM persons WHERE id IN ({ids}) ORDER BY id");
    // Newest first within each person, so the first row seen is the one kept.
    let assessments_sql = format!(
        "{ASSESSMENT_SELECT} WHERE a.status = 'approved' AND a.person_id IN ({ids}) \
         ORDER BY a.person_id, a.assessed_on DESC, a.id DESC"
    );
    let needs_sql = format!(
        "SELECT n.id, n.person_id, n.registered_on, n.occupations, n.form, n.districts, n.commute_minutes, n.hours, \
         n.wage_expectation, n.accommodations, n.willing_to_train, n.user_id, u.username, n.at \
         FROM needs n LEFT JOIN users u ON u.id = n.user_id WHERE n.person_id IN ({ids}) \
         ORDER BY n.person_id, n.id DESC"
    );
    with_pool!(store, pool => {
        let persons = sqlx::query(sqlx::AssertSqlSafe(persons_sql))
            .bind(purpose).bind(true).bind(district).fetch_all(pool).await.map_err(map_err)?;
        let assessments = sqlx::query(sqlx::AssertSqlSafe(assessments_sql))
            .bind(purpose).bind(true).bind(district).fetch_all(pool).await.map_err(map_err)?;
        let needs = sqlx::query(sqlx::AssertSqlSafe(needs_sql))
            .bind(purpose).bind(true).bind(district).fetch_all(pool).await.map_err(map_err)?;
        let mut newest_assessment = std::collections::HashMap::new();
        for row in &assessments {
            let record = assessment(row)?;
            newest_assessment.entry(record.person_id).or_insert(record);
        }
        let mut newest_need = std::collections::HashMap::new();
        for row in &needs {
            let record = need(row)?;
            newest_need.entry(record.person_id).or_insert(record);
        }
        persons
            .iter()
            .map(|row| {
                let person = rows::person(row)?;
                Ok(SeekerFile {
                    assessment: newest_assessment.remove(&person.id),
                    need: newest_need.remove(&person.id),
                    person,
                })
            })
            .collect()
    })
}

/// Inserts one case record inside the transaction `$tx` and evaluates to
/// its id.
macro_rules! insert_check {
    ($tx:ident, $c:expr) => {{
        let c: &CheckRecord = $c;
        let row = sqlx::query(
            "INSERT INTO person_checks (person_id, checked_on, fields, source, note, user_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(c.person_id)
        .bind(c.checked_on)
        .bind(to_json(&c.fields)?)
        .bind(c.source.code())
        .bind(&c.note)
        .bind(c.recorded.user_id)
        .bind(c.recorded.at)
        .fetch_one(&mut *$tx)
        .await
        .map_err(map_err)?;
        row.i64("id")?
    }};
}

macro_rules! insert_assessment {
    ($tx:ident, $a:expr) => {{
        let a: &AssessmentRecord = $a;
        let f = &a.fields;
        let row = sqlx::query(
            "INSERT INTO assessments (person_id, assessed_on, functions, capacity, skills, forms, accommodations, \
             status, user_id, at, reviewer_id, reviewed_at, review_note, languages) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(a.person_id)
        .bind(a.assessed_on)
        .bind(to_json(&f.functions)?)
        .bind(f.capacity.code())
        .bind(&f.skills)
        .bind(to_json(&f.forms)?)
        .bind(to_json(&f.accommodations)?)
        .bind(a.status.code())
        .bind(a.recorded.user_id)
        .bind(a.recorded.at)
        .bind(a.reviewed.as_ref().and_then(|r| r.user_id))
        .bind(a.reviewed.as_ref().map(|r| r.at))
        .bind(&a.review_note)
        .bind(to_json(&f.languages)?)
        .fetch_one(&mut *$tx)
        .await
        .map_err(map_err)?;
        row.i64("id")?
    }};
}

macro_rules! insert_need {
    ($tx:ident, $n:expr) => {{
        let n: &NeedRecord = $n;
        let f = &n.fields;
        let row = sqlx::query(
            "INSERT INTO needs (person_id, registered_on, occupations, form, districts, commute_minutes, hours, \
             wage_expectation, accommodations, willing_to_train, user_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(n.person_id)
        .bind(n.registered_on)
        .bind(&f.occupations)
        .bind(f.form.map(|x| x.code()))
        .bind(to_json(&f.districts)?)
        .bind(f.commute_minutes)
        .bind(f.hours.code())
        .bind(f.wage_expectation)
        .bind(to_json(&f.accommodations)?)
        .bind(f.willing_to_train)
        .bind(n.recorded.user_id)
        .bind(n.recorded.at)
        .fetch_one(&mut *$tx)
        .await
        .map_err(map_err)?;
        row.i64("id")?
    }};
}

macro_rules! insert_service {
    ($tx:ident, $s:expr) => {{
        let s: &ServiceRecord = $s;
        let row = sqlx::query(
            "INSERT INTO services (person_id, kind, served_on, result, note, user_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(s.person_id)
        .bind(s.kind.code())
        .bind(s.served_on)
        .bind(s.result.code())
        .bind(&s.note)
        .bind(s.recorded.user_id)
        .bind(s.recorded.at)
        .fetch_one(&mut *$tx)
        .await
        .map_err(map_err)?;
        row.i64("id")?
    }};
}

macro_rules! insert_consent {
    ($tx:ident, $c:expr) => {{
        let c: &ConsentRecord = $c;
        let row = sqlx::query(
            "INSERT INTO consents (person_id, purpose, given, effective_on, by_person, user_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(c.person_id)
        .bind(c.purpose.code())
        .bind(c.given)
        .bind(c.effective_on)
        .bind(c.by_person)
        .bind(c.recorded.user_id)
        .bind(c.recorded.at)
        .fetch_one(&mut *$tx)
        .await
        .map_err(map_err)?;
        row.i64("id")?
    }};
}

pub(crate) async fn add_check(
    store: &SqlStore,
    c: &CheckRecord,
    audit: NewAuditEntry,
) -> StoreResult<i64> {
    with_tx!(store, tx => {
        let id = insert_check!(tx, c);
        refresh_four_ones!(tx, c.person_id);
        append_audit!(tx, audit.with_entity_id(c.person_id));
        Ok(id)
    })
}

pub(crate) async fn add_assessment(
    store: &SqlStore,
    a: &AssessmentRecord,
    audit: NewAuditEntry,
) -> StoreResult<i64> {
    with_tx!(store, tx => {
        let id = insert_assessment!(tx, a);
        refresh_four_ones!(tx, a.person_id);
        append_audit!(tx, audit.with_entity_id(a.person_id));
        Ok(id)
    })
}

pub(crate) async fn add_need(
    store: &SqlStore,
    n: &NeedRecord,
    audit: NewAuditEntry,
) -> StoreResult<i64> {
    with_tx!(store, tx => {
        let id = insert_need!(tx, n);
        refresh_four_ones!(tx, n.person_id);
        append_audit!(tx, audit.with_entity_id(n.person_id));
        Ok(id)
    })
}

pub(crate) async fn add_service(
    store: &SqlStore,
    s: &ServiceRecord,
    audit: NewAuditEntry,
) -> StoreResult<i64> {
    with_tx!(store, tx => {
        let id = insert_service!(tx, s);
        refresh_four_ones!(tx, s.person_id);
        append_audit!(tx, audit.with_entity_id(s.person_id));
        Ok(id)
    })
}

pub(crate) async fn add_consent(
    store: &SqlStore,
    c: &ConsentRecord,
    audit: NewAuditEntry,
) -> StoreResult<i64> {
    with_tx!(store, tx => {
        let id = insert_consent!(tx, c);
        append_audit!(tx, audit.with_entity_id(c.person_id));
        Ok(id)
    })
}

pub(crate) async fn insert_many(
    store: &SqlStore,
    file: &CaseFile,
    audit: NewAuditEntry,
) -> StoreResult<u64> {
    with_tx!(store, tx => {
        let mut written = 0_u64;
        for c in &file.checks {
            insert_check!(tx, c);
            written += 1;
        }
        for a in &file.assessments {
            insert_assessment!(tx, a);
            written += 1;
        }
        for n in &file.needs {
            insert_need!(tx, n);
            written += 1;
        }
        for s in &file.services {
            insert_service!(tx, s);
            written += 1;
        }
        for c in &file.consents {
            insert_consent!(tx, c);
            written += 1;
        }
        let people: std::collections::BTreeSet<i64> = file
            .checks
            .iter()
            .map(|c| c.person_id)
            .chain(file.assessments.iter().map(|a| a.person_id))
            .chain(file.needs.iter().map(|n| n.person_id))
            .chain(file.services.iter().map(|s| s.person_id))
            .collect();
        for person_id in people {
            refresh_four_ones!(tx, person_id);
        }
        append_audit!(tx, audit.with_detail(serde_json::json!({ "written": written })));
        Ok(written)
    })
}

pub(crate) async fn get_assessment(
    store: &SqlStore,
    id: i64,
) -> StoreResult<Option<AssessmentRecord>> {
    with_pool!(store, pool => {
        sqlx::query(sqlx::AssertSqlSafe(format!("{ASSESSMENT_SELECT} WHERE a.id = $1")))
            .bind(id)
            .fetch_optional(pool).await.map_err(map_err)?
            .as_ref().map(assessment).transpose()
    })
}

pub(crate) async fn review_assessment(
    store: &SqlStore,
    id: i64,
    status: AssessmentStatus,
    reviewed: Recorded,
    note: Option<String>,
    audit: NewAuditEntry,
) -> StoreResult<()> {
    with_tx!(store, tx => {
        let reviewed_row = sqlx::query(
            "UPDATE assessments SET status = $1, reviewer_id = $2, reviewed_at = $3, review_note = $4 \
             WHERE id = $5 AND status = 'submitted' RETURNING person_id",
        )
        .bind(status.code())
        .bind(reviewed.user_id)
        .bind(reviewed.at)
        .bind(&note)
        .bind(id)
        .fetch_optional(&mut *tx).await.map_err(map_err)?
        .ok_or_else(|| StoreError::Conflict("assessment_not_submitted".to_owned()))?;
        refresh_four_ones!(tx, reviewed_row.i64("person_id")?);
        append_audit!(tx, audit);
        Ok(())
    })
}

pub(crate) async fn waiting(
    store: &SqlStore,
    scope: &PersonScope,
    page: u32,
    per_page: u32,
) -> StoreResult<Page<(AssessmentRecord, String)>> {
    let limit = i64::from(per_page.clamp(1, 500));
    let offset = i64::from(page.saturating_sub(1)) * limit;
    let select = ASSESSMENT_SELECT.replace(
        " FROM assessments a",
        ", p.name AS person_name FROM assessments a",
    );
    with_pool!(store, pool => {
        let mut counting = sqlx::QueryBuilder::new(
            "SELECT COUNT(*) AS n FROM assessments a WHERE a.status = 'submitted' AND a.person_id IN (SELECT id FROM persons",
        );
        push_scope!(counting, scope);
        counting.push(")");
        let total = rows::count(&counting.build().fetch_one(pool).await.map_err(map_err)?)?;
        let mut query = sqlx::QueryBuilder::new(format!(
            "{select} JOIN persons p ON p.id = a.person_id WHERE a.status = 'submitted' \
             AND a.person_id IN (SELECT id FROM persons"
        ));
        push_scope!(query, scope);
        query.push(") ORDER BY a.id LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        let items = found
            .iter()
            .map(|row| Ok((assessment(row)?, row.text("person_name")?)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total })
    })
}

/// The condition that a person has a step done.
pub(crate) fn done(step: Step) -> &'static str {
    match step {
        Step::Check => "EXISTS (SELECT 1 FROM person_checks c WHERE c.person_id = persons.id)",
        Step::Assessment => {
            "EXISTS (SELECT 1 FROM assessments a WHERE a.person_id = persons.id AND a.status = 'approved')"
        }
        Step::Need => "EXISTS (SELECT 1 FROM needs n WHERE n.person_id = persons.id)",
        Step::Service => "EXISTS (SELECT 1 FROM services s WHERE s.person_id = persons.id)",
    }
}

/// Pushes the people a work queue is drawn from: in scope, active,
/// unemployed and of working age.
macro_rules! push_queue_population {
    ($builder:ident, $filter:expr) => {{
        let filter: &WorkQueueFilter = $filter;
        push_scope!($builder, &filter.scope);
        $builder.push(" AND active AND employment_status = 'unemployed' AND (1 = 0");
        for (group, earliest, latest) in &filter.birth_ranges {
            $builder
                .push(" OR (retirement_group = ")
                .push_bind(group.code())
                .push(" AND birth_date >= ")
                .push_bind(*earliest)
                .push(" AND birth_date <= ")
                .push_bind(*latest)
                .push(")");
        }
        $builder.push(")");
    }};
}

macro_rules! push_queue_conditions {
    ($builder:ident, $filter:expr) => {{
        let filter: &WorkQueueFilter = $filter;
        push_queue_population!($builder, filter);
        $builder.push(" AND NOT ").push(done(filter.step));
    }};
}

/// The "four ones" coverage of a work queue's people. The city and a
/// district are summed from the kept tally (`tally::four_ones_coverage`);
/// any other scope is counted from its people.
pub(crate) async fn four_ones_coverage(
    store: &SqlStore,
    filter: &WorkQueueFilter,
) -> StoreResult<(u64, [u64; 4])> {
    match &filter.scope {
        PersonScope::All => {
            return crate::tally::four_ones_coverage(store, None, &filter.birth_ranges).await;
        }
        PersonScope::District(code) => {
            return crate::tally::four_ones_coverage(store, Some(code), &filter.birth_ranges).await;
        }
        PersonScope::Person(_) | PersonScope::Nobody => {}
    }
    let sums: Vec<String> = Step::ALL
        .iter()
        .enumerate()
        .map(|(index, step)| {
            format!(
                "COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0) AS done{index}",
                done(*step)
            )
        })
        .collect();
    let select = format!("SELECT COUNT(*) AS n, {} FROM persons", sums.join(", "));
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(select.as_str());
        push_queue_population!(query, filter);
        let row = query.build().fetch_one(pool).await.map_err(map_err)?;
        let mut done = [0_u64; 4];
        for (index, slot) in done.iter_mut().enumerate() {
            let column = format!("done{index}");
            *slot = u64::try_from(row.i64(&column)?).map_err(|_| rows::unreadable(&column))?;
        }
        Ok((rows::count(&row)?, done))
    })
}

pub(crate) async fn work_queue(
    store: &SqlStore,
    filter: &WorkQueueFilter,
) -> StoreResult<Page<PersonRecord>> {
    let limit = i64::from(filter.per_page.clamp(1, 500));
    let offset = i64::from(filter.page.saturating_sub(1)) * limit;
    with_pool!(store, pool => {
        let mut counting = sqlx::QueryBuilder::new("SELECT COUNT(*) AS n FROM persons");
        push_queue_conditions!(counting, filter);
        let total = rows::count(&counting.build().fetch_one(pool).await.map_err(map_err)?)?;
        let mut listing = sqlx::QueryBuilder::new(format!("SELECT {PERSON_COLUMNS} FROM persons"));
        push_queue_conditions!(listing, filter);
        listing.push(" ORDER BY registered_on, id LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
        let found = listing.build().fetch_all(pool).await.map_err(map_err)?;
        let items = found.iter().map(rows::person).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total })
    })
}
