//! Job fairs, the employers taking part and the people registered. A
//! fair's district decides a district officer's scope; the scope is pushed
//! first in every `WHERE`. Provisions, access needs and the postings an
//! employer brings are JSON text, as postings keep their lists.

use ablework_domain::fair::{AccessNeed, Fair, FairMode, Organiser, RegistrationStatus};
use ablework_store::{
    FairEmployerRecord, FairFilter, FairRecord, FairRegistrationRecord, FairScope, FairWhen,
    NewAuditEntry, NewFairRegistration, Page, StoreError, StoreResult,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use crate::rows::{self, Columns, code, from_json, like_literal, to_json};
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

const FAIR_SELECT: &str = "SELECT f.id, f.title, f.mode, f.organiser, f.soe_only, f.held_on, \
    f.district_code, f.venue, f.online_url, f.provisions, f.created_at, f.updated_at, \
    (SELECT COUNT(*) FROM fair_employers x WHERE x.fair_id = f.id) AS employer_count, \
    (SELECT COUNT(*) FROM fair_registrations r WHERE r.fair_id = f.id) AS registration_count \
    FROM fairs f";

const EMPLOYER_SELECT: &str = "SELECT x.fair_id, x.employer_id, e.name AS employer_name, \
    e.state_owned, x.posting_ids, x.joined_at FROM fair_employers x \
    JOIN employers e ON e.id = x.employer_id";

const REGISTRATION_SELECT: &str = "SELECT r.id, r.fair_id, r.person_id, p.name AS person_name, \
    p.district_code AS person_district_code, r.access_needs, r.status, r.registered_on, \
    r.marked_on, r.updated_at FROM fair_registrations r JOIN persons p ON p.id = r.person_id";

fn small(row: &impl Columns, column: &str) -> StoreResult<u32> {
    u32::try_from(row.i64(column)?).map_err(|_| rows::unreadable(column))
}

fn fair(row: &impl Columns) -> StoreResult<FairRecord> {
    Ok(FairRecord {
        id: row.i64("id")?,
        fields: Fair {
            title: row.text("title")?,
            mode: code(row, "mode", FairMode::from_code)?,
            organiser: code(row, "organiser", Organiser::from_code)?,
            soe_only: row.flag("soe_only")?,
            held_on: row.date("held_on")?,
            district_code: row.text("district_code")?,
            venue: row.opt_text("venue")?,
            online_url: row.opt_text("online_url")?,
            provisions: from_json::<Vec<AccessNeed>>(row, "provisions")?,
        },
        employers: small(row, "employer_count")?,
        registrations: small(row, "registration_count")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn participant(row: &impl Columns) -> StoreResult<FairEmployerRecord> {
    Ok(FairEmployerRecord {
        fair_id: row.i64("fair_id")?,
        employer_id: row.i64("employer_id")?,
        employer_name: row.text("employer_name")?,
        state_owned: row.flag("state_owned")?,
        posting_ids: from_json(row, "posting_ids")?,
        joined_at: row.time("joined_at")?,
    })
}

fn registration(row: &impl Columns) -> StoreResult<FairRegistrationRecord> {
    Ok(FairRegistrationRecord {
        id: row.i64("id")?,
        fair_id: row.i64("fair_id")?,
        person_id: row.i64("person_id")?,
        person_name: row.text("person_name")?,
        person_district_code: row.text("person_district_code")?,
        access_needs: from_json(row, "access_needs")?,
        status: code(row, "status", RegistrationStatus::from_code)?,
        registered_on: row.date("registered_on")?,
        marked_on: row.opt_date("marked_on")?,
        updated_at: row.time("updated_at")?,
    })
}

/// Pushes the scope's condition; it always comes first so no other filter
/// can widen it.
macro_rules! push_scope {
    ($builder:ident, $scope:expr) => {
        match $scope {
            FairScope::All => {
                $builder.push(" WHERE 1 = 1");
            }
            FairScope::District(code) => {
                $builder
                    .push(" WHERE f.district_code = ")
                    .push_bind(code.clone());
            }
            FairScope::Nobody => {
                $builder.push(" WHERE 1 = 0");
            }
        }
    };
}

macro_rules! push_conditions {
    ($builder:ident, $filter:expr) => {{
        let filter: &FairFilter = $filter;
        push_scope!($builder, &filter.scope);
        if let Some(text) = filter.search.as_deref().filter(|t| !t.is_empty()) {
            $builder
                .push(" AND f.title LIKE ")
                .push_bind(format!("%{}%", like_literal(text)))
                .push(" ESCAPE '\\'");
        }
        if let Some(code) = &filter.district_code {
            $builder
                .push(" AND f.district_code = ")
                .push_bind(code.clone());
        }
        if let Some(mode) = filter.mode {
            $builder.push(" AND f.mode = ").push_bind(mode.code());
        }
        if filter.soe_only {
            $builder.push(" AND f.soe_only = ").push_bind(true);
        }
        match filter.when {
            FairWhen::All => {}
            FairWhen::Upcoming(day) => {
                $builder.push(" AND f.held_on >= ").push_bind(day);
            }
            FairWhen::Past(day) => {
                $builder.push(" AND f.held_on < ").push_bind(day);
            }
        }
    }};
}

/// Reads one fair inside the transaction `$tx`.
macro_rules! read_fair {
    ($tx:ident, $id:expr) => {{
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{FAIR_SELECT} WHERE f.id = $1"
        )))
        .bind($id)
        .fetch_one(&mut *$tx)
        .await
        .map_err(map_err)?;
        fair(&row)?
    }};
}

/// The columns a fair's fields fill, bound by `bind_fair!` in this order
/// as `$1`–`$10`.
const FIELD_COLUMNS: &str = "title, mode, organiser, soe_only, held_on, district_code, venue, \
    online_url, provisions, updated_at";

macro_rules! bind_fair {
    ($query:expr, $fields:expr, $provisions:expr, $at:expr) => {{
        let fields: &Fair = $fields;
        $query
            .bind(&fields.title)
            .bind(fields.mode.code())
            .bind(fields.organiser.code())
            .bind(fields.soe_only)
            .bind(fields.held_on)
            .bind(&fields.district_code)
            .bind(&fields.venue)
            .bind(&fields.online_url)
            .bind($provisions)
            .bind($at)
    }};
}

pub(crate) async fn create(
    store: &SqlStore,
    fields: &Fair,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<FairRecord> {
    let provisions = to_json(&fields.provisions)?;
    let sql = format!(
        "INSERT INTO fairs ({FIELD_COLUMNS}, created_at) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id"
    );
    with_tx!(store, tx => {
        let query = sqlx::query(sqlx::AssertSqlSafe(sql));
        let row = bind_fair!(query, fields, &provisions, at)
            .bind(at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let id = row.i64("id")?;
        let record = read_fair!(tx, id);
        append_audit!(tx, audit.with_entity_id(id));
        Ok(record)
    })
}

pub(crate) async fn update(
    store: &SqlStore,
    id: i64,
    scope: &FairScope,
    fields: &Fair,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<Option<FairRecord>> {
    let provisions = to_json(&fields.provisions)?;
    let assignments: Vec<String> = FIELD_COLUMNS
        .split(", ")
        .enumerate()
        .map(|(i, column)| format!("{} = ${}", column.trim(), i + 1))
        .collect();
    let sql = format!("UPDATE fairs SET {} WHERE id = $11", assignments.join(", "));
    with_tx!(store, tx => {
        let mut query = sqlx::QueryBuilder::new("SELECT f.id FROM fairs f");
        push_scope!(query, scope);
        query.push(" AND f.id = ").push_bind(id);
        if query.build().fetch_optional(&mut *tx).await.map_err(map_err)?.is_none() {
            return Ok(None);
        }
        let update = sqlx::query(sqlx::AssertSqlSafe(sql));
        bind_fair!(update, fields, &provisions, at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let record = read_fair!(tx, id);
        append_audit!(tx, audit.with_entity_id(id));
        Ok(Some(record))
    })
}

pub(crate) async fn get(
    store: &SqlStore,
    id: i64,
    scope: &FairScope,
) -> StoreResult<Option<FairRecord>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(FAIR_SELECT);
        push_scope!(query, scope);
        query.push(" AND f.id = ").push_bind(id);
        query
            .build()
            .fetch_optional(pool)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(fair)
            .transpose()
    })
}

pub(crate) async fn list(store: &SqlStore, filter: &FairFilter) -> StoreResult<Page<FairRecord>> {
    let per_page = i64::from(filter.per_page.clamp(1, 500));
    let offset =
        i64::try_from(filter.offset()).map_err(|_| StoreError::Internal("offset".to_owned()))?;
    let order = match filter.when {
        FairWhen::Upcoming(_) => " ORDER BY f.held_on, f.id",
        FairWhen::All | FairWhen::Past(_) => " ORDER BY f.held_on DESC, f.id DESC",
    };
    with_pool!(store, pool => {
        let mut counting = sqlx::QueryBuilder::new("SELECT COUNT(*) AS n FROM fairs f");
        push_conditions!(counting, filter);
        let total = rows::count(&counting.build().fetch_one(pool).await.map_err(map_err)?)?;
        let mut listing = sqlx::QueryBuilder::new(FAIR_SELECT);
        push_conditions!(listing, filter);
        listing
            .push(order)
            .push(" LIMIT ")
            .push_bind(per_page)
            .push(" OFFSET ")
            .push_bind(offset);
        let found = listing.build().fetch_all(pool).await.map_err(map_err)?;
        let items = found.iter().map(fair).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total })
    })
}

pub(crate) async fn join(
    store: &SqlStore,
    fair_id: i64,
    employer_id: i64,
    posting_ids: &[i64],
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<FairEmployerRecord> {
    let mut sorted = posting_ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let postings = to_json(&sorted)?;
    with_tx!(store, tx => {
        sqlx::query("DELETE FROM fair_employers WHERE fair_id = $1 AND employer_id = $2")
            .bind(fair_id)
            .bind(employer_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO fair_employers (fair_id, employer_id, posting_ids, joined_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(fair_id)
        .bind(employer_id)
        .bind(&postings)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{EMPLOYER_SELECT} WHERE x.fair_id = $1 AND x.employer_id = $2"
        )))
        .bind(fair_id)
        .bind(employer_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let record = participant(&row)?;
        append_audit!(
            tx,
            audit
                .with_entity_id(fair_id)
                .with_detail(json!({ "employer": employer_id, "job_postings": sorted }))
        );
        Ok(record)
    })
}

pub(crate) async fn employers(
    store: &SqlStore,
    fair_id: i64,
) -> StoreResult<Vec<FairEmployerRecord>> {
    with_pool!(store, pool => {
        let found = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{EMPLOYER_SELECT} WHERE x.fair_id = $1 ORDER BY e.name, x.employer_id"
        )))
        .bind(fair_id)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        found.iter().map(participant).collect()
    })
}

pub(crate) async fn register(
    store: &SqlStore,
    new: &NewFairRegistration,
    audit: NewAuditEntry,
) -> StoreResult<FairRegistrationRecord> {
    let needs = to_json(&new.access_needs)?;
    with_tx!(store, tx => {
        let row = sqlx::query(
            "INSERT INTO fair_registrations (fair_id, person_id, access_needs, status, registered_on, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(new.fair_id)
        .bind(new.person_id)
        .bind(&needs)
        .bind(RegistrationStatus::Registered.code())
        .bind(new.registered_on)
        .bind(new.at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match map_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict("fair_registration_exists".to_owned()),
            other => other,
        })?;
        let id = row.i64("id")?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{REGISTRATION_SELECT} WHERE r.id = $1")))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let record = registration(&row)?;
        append_audit!(
            tx,
            audit.with_entity_id(id).with_detail(json!({
                "fair": new.fair_id,
                "person": new.person_id,
                "access_needs": new.access_needs,
            }))
        );
        Ok(record)
    })
}

pub(crate) async fn registrations(
    store: &SqlStore,
    fair_id: i64,
) -> StoreResult<Vec<FairRegistrationRecord>> {
    with_pool!(store, pool => {
        let found = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{REGISTRATION_SELECT} WHERE r.fair_id = $1 ORDER BY r.id"
        )))
        .bind(fair_id)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        found.iter().map(registration).collect()
    })
}

pub(crate) async fn mark(
    store: &SqlStore,
    fair_id: i64,
    marks: &[(i64, RegistrationStatus)],
    on: NaiveDate,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<u64> {
    with_tx!(store, tx => {
        let mut changed = 0_u64;
        let mut written = Vec::new();
        for (id, status) in marks {
            let marked_on = (*status != RegistrationStatus::Registered).then_some(on);
            let done = sqlx::query(
                "UPDATE fair_registrations SET status = $1, marked_on = $2, updated_at = $3 \
                 WHERE id = $4 AND fair_id = $5 AND status <> $1",
            )
            .bind(status.code())
            .bind(marked_on)
            .bind(at)
            .bind(*id)
            .bind(fair_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?
            .rows_affected();
            if done > 0 {
                written.push(json!([id, status.code()]));
            }
            changed += done;
        }
        append_audit!(
            tx,
            audit
                .with_entity_id(fair_id)
                .with_detail(json!({ "on": on, "marks": written }))
        );
        Ok(changed)
    })
}
