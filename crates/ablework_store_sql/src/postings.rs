//! Job postings. Every read joins the employer, whose district decides a
//! district officer's scope; the scope is pushed first in every `WHERE`.
//! Skills, demands and accommodations are JSON text, so the accommodation
//! filter looks for the quoted code in it (codes are never part of one
//! another once quoted).

use ablework_domain::four_ones::{Accommodation, Hours};
use ablework_domain::matching::{Demand, DemandLevel};
use ablework_domain::occupation::SubMajorGroup;
use ablework_domain::person::Education;
use ablework_store::{
    ImportCounts, JobPostingFields, JobPostingRecord, NewAuditEntry, Page, PostingFilter,
    PostingScope, PostingSort, StoreError, StoreResult,
};
use chrono::{DateTime, Utc};

use crate::rows::{self, Columns, code, from_json, like_literal, to_json, unreadable as corrupt};
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

const POSTING_SELECT: &str = "SELECT j.id, j.employer_id, e.name AS employer_name, \
    e.district_code AS employer_district_code, j.title, j.occupation, j.district_code, j.address, \
    j.remote_possible, j.hours, j.monthly_wage, j.education_required, j.skills_required, j.demands, \
    j.accommodations, j.reserved_for_disabled, j.posts, j.is_open, j.created_at, j.updated_at \
    FROM job_postings j JOIN employers e ON e.id = j.employer_id";

fn posting(row: &impl Columns) -> StoreResult<JobPostingRecord> {
    let education = match row.opt_text("education_required")? {
        Some(text) => Some(Education::from_code(&text).ok_or_else(|| corrupt("education"))?),
        None => None,
    };
    Ok(JobPostingRecord {
        id: row.i64("id")?,
        fields: JobPostingFields {
            employer_id: row.i64("employer_id")?,
            title: row.text("title")?,
            occupation: code(row, "occupation", SubMajorGroup::from_code)?,
            district_code: row.text("district_code")?,
            address: row.text("address")?,
            remote_possible: row.flag("remote_possible")?,
            hours: code(row, "hours", Hours::from_code)?,
            monthly_wage: u32::try_from(row.i64("monthly_wage")?)
                .map_err(|_| corrupt("monthly_wage"))?,
            education_required: education,
            skills_required: from_json(row, "skills_required")?,
            demands: from_json::<Vec<(Demand, DemandLevel)>>(row, "demands")?,
            accommodations: from_json::<Vec<Accommodation>>(row, "accommodations")?,
            reserved_for_disabled: row.flag("reserved_for_disabled")?,
            posts: u32::try_from(row.i32("posts")?).map_err(|_| corrupt("posts"))?,
        },
        employer_name: row.text("employer_name")?,
        employer_district_code: row.text("employer_district_code")?,
        open: row.flag("is_open")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

/// The stored form of a posting's lists and numbers.
struct Encoded {
    skills: String,
    demands: String,
    accommodations: String,
    wage: i64,
    posts: i32,
}

fn encode(fields: &JobPostingFields) -> StoreResult<Encoded> {
    Ok(Encoded {
        skills: to_json(&fields.skills_required)?,
        demands: to_json(&fields.demands)?,
        accommodations: to_json(&fields.accommodations)?,
        wage: i64::from(fields.monthly_wage),
        posts: i32::try_from(fields.posts)
            .map_err(|_| StoreError::Internal("posts out of range".to_owned()))?,
    })
}

/// The columns a posting's fields fill, bound by `bind_posting!` in this
/// order as `$1`–`$14`.
const FIELD_COLUMNS: &str = "title, occupation, district_code, address, remote_possible, hours, \
    monthly_wage, education_required, skills_required, demands, accommodations, \
    reserved_for_disabled, posts, updated_at";

macro_rules! bind_posting {
    ($query:expr, $fields:expr, $encoded:expr, $at:expr) => {{
        let fields: &JobPostingFields = $fields;
        let encoded: &Encoded = $encoded;
        $query
            .bind(&fields.title)
            .bind(fields.occupation.code())
            .bind(&fields.district_code)
            .bind(&fields.address)
            .bind(fields.remote_possible)
            .bind(fields.hours.code())
            .bind(encoded.wage)
            .bind(fields.education_required.map(Education::code))
            .bind(&encoded.skills)
            .bind(&encoded.demands)
            .bind(&encoded.accommodations)
            .bind(fields.reserved_for_disabled)
            .bind(encoded.posts)
            .bind($at)
    }};
}

/// Pushes the scope's condition; it always comes first so no other filter
/// can widen it.
macro_rules! push_scope {
    ($builder:ident, $scope:expr) => {
        match $scope {
            PostingScope::All => {
                $builder.push(" WHERE 1 = 1");
            }
            PostingScope::District(code) => {
                $builder
                    .push(" WHERE e.district_code = ")
                    .push_bind(code.clone());
            }
            PostingScope::Employer(id) => {
                $builder.push(" WHERE j.employer_id = ").push_bind(*id);
            }
            PostingScope::Open => {
                $builder.push(" WHERE j.is_open = ").push_bind(true);
            }
            PostingScope::Nobody => {
                $builder.push(" WHERE 1 = 0");
            }
        }
    };
}

macro_rules! push_conditions {
    ($builder:ident, $filter:expr) => {{
        let filter: &PostingFilter = $filter;
        push_scope!($builder, &filter.scope);
        if let Some(text) = filter.search.as_deref().filter(|t| !t.is_empty()) {
            $builder
                .push(" AND j.title LIKE ")
                .push_bind(format!("%{}%", like_literal(text)))
                .push(" ESCAPE '\\'");
        }
        if let Some(code) = &filter.district_code {
            $builder
                .push(" AND j.district_code = ")
                .push_bind(code.clone());
        }
        if let Some(major) = filter.major_group {
            $builder
                .push(" AND j.occupation LIKE ")
                .push_bind(format!("{}%", major.code()));
        }
        if filter.remote_only {
            $builder.push(" AND j.remote_possible = ").push_bind(true);
        }
        if filter.reserved_only {
            $builder
                .push(" AND j.reserved_for_disabled = ")
                .push_bind(true);
        }
        if let Some(accommodation) = filter.accommodation {
            $builder
                .push(" AND j.accommodations LIKE ")
                .push_bind(format!("%\"{}\"%", accommodation.code()));
        }
        if let Some(open) = filter.open {
            $builder.push(" AND j.is_open = ").push_bind(open);
        }
        if let Some(id) = filter.employer_id {
            $builder.push(" AND j.employer_id = ").push_bind(id);
        }
    }};
}

/// Reads one posting inside the transaction `$tx`.
macro_rules! read_posting {
    ($tx:ident, $id:expr) => {{
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{POSTING_SELECT} WHERE j.id = $1"
        )))
        .bind($id)
        .fetch_one(&mut *$tx)
        .await
        .map_err(map_err)?;
        posting(&row)?
    }};
}

/// Whether a posting is in a scope, inside the transaction `$tx`.
macro_rules! in_scope {
    ($tx:ident, $id:expr, $scope:expr) => {{
        let mut query = sqlx::QueryBuilder::new(
            "SELECT j.id FROM job_postings j JOIN employers e ON e.id = j.employer_id",
        );
        push_scope!(query, $scope);
        query.push(" AND j.id = ").push_bind($id);
        query
            .build()
            .fetch_optional(&mut *$tx)
            .await
            .map_err(map_err)?
            .is_some()
    }};
}

fn insert_sql() -> String {
    format!(
        "INSERT INTO job_postings ({FIELD_COLUMNS}, employer_id, is_open, created_at) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id"
    )
}

/// Replaces a posting's fields; the id is the last parameter.
fn update_sql() -> String {
    let assignments: Vec<String> = FIELD_COLUMNS
        .split(", ")
        .enumerate()
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect();
    format!(
        "UPDATE job_postings SET {} WHERE id = $15",
        assignments.join(", ")
    )
}

pub(crate) async fn create(
    store: &SqlStore,
    fields: &JobPostingFields,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<JobPostingRecord> {
    let encoded = encode(fields)?;
    let sql = insert_sql();
    with_tx!(store, tx => {
        let query = sqlx::query(sqlx::AssertSqlSafe(sql));
        let row = bind_posting!(query, fields, &encoded, at)
            .bind(fields.employer_id)
            .bind(true)
            .bind(at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let id = row.i64("id")?;
        let record = read_posting!(tx, id);
        append_audit!(tx, audit.with_entity_id(id));
        Ok(record)
    })
}

pub(crate) async fn insert_many(
    store: &SqlStore,
    postings: &[JobPostingFields],
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<u64> {
    Ok(apply_batch(store, postings, &[], at, audit).await?.inserted)
}

pub(crate) async fn update(
    store: &SqlStore,
    id: i64,
    scope: &PostingScope,
    fields: &JobPostingFields,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<Option<JobPostingRecord>> {
    let encoded = encode(fields)?;
    let sql = update_sql();
    with_tx!(store, tx => {
        if !in_scope!(tx, id, scope) {
            return Ok(None);
        }
        let query = sqlx::query(sqlx::AssertSqlSafe(sql));
        bind_posting!(query, fields, &encoded, at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let record = read_posting!(tx, id);
        append_audit!(tx, audit.with_entity_id(id));
        Ok(Some(record))
    })
}

pub(crate) async fn of_employers(
    store: &SqlStore,
    employer_ids: &[i64],
) -> StoreResult<Vec<JobPostingRecord>> {
    if employer_ids.is_empty() {
        return Ok(Vec::new());
    }
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(format!("{POSTING_SELECT} WHERE j.employer_id IN ("));
        let mut separated = query.separated(", ");
        for id in employer_ids {
            separated.push_bind(*id);
        }
        query.push(") ORDER BY j.id");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        found.iter().map(posting).collect()
    })
}

pub(crate) async fn apply_batch(
    store: &SqlStore,
    inserts: &[JobPostingFields],
    updates: &[(i64, JobPostingFields)],
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<ImportCounts> {
    let insert = insert_sql();
    let update = update_sql();
    let encoded_inserts = inserts
        .iter()
        .map(encode)
        .collect::<StoreResult<Vec<_>>>()?;
    let encoded_updates = updates
        .iter()
        .map(|(_, fields)| encode(fields))
        .collect::<StoreResult<Vec<_>>>()?;
    with_tx!(store, tx => {
        let mut counts = ImportCounts::default();
        for (fields, encoded) in inserts.iter().zip(&encoded_inserts) {
            let query = sqlx::query(sqlx::AssertSqlSafe(insert.as_str()));
            bind_posting!(query, fields, encoded, at)
                .bind(fields.employer_id)
                .bind(true)
                .bind(at)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
            counts.inserted += 1;
        }
        for ((id, fields), encoded) in updates.iter().zip(&encoded_updates) {
            let query = sqlx::query(sqlx::AssertSqlSafe(update.as_str()));
            counts.updated += bind_posting!(query, fields, encoded, at)
                .bind(*id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
        }
        append_audit!(tx, crate::with_counts(audit, counts));
        Ok(counts)
    })
}

pub(crate) async fn set_open(
    store: &SqlStore,
    id: i64,
    scope: &PostingScope,
    open: bool,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<Option<JobPostingRecord>> {
    with_tx!(store, tx => {
        if !in_scope!(tx, id, scope) {
            return Ok(None);
        }
        sqlx::query("UPDATE job_postings SET is_open = $1, updated_at = $2 WHERE id = $3")
            .bind(open)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let record = read_posting!(tx, id);
        append_audit!(tx, audit.with_entity_id(id));
        Ok(Some(record))
    })
}

pub(crate) async fn get(
    store: &SqlStore,
    id: i64,
    scope: &PostingScope,
) -> StoreResult<Option<JobPostingRecord>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(POSTING_SELECT);
        push_scope!(query, scope);
        query.push(" AND j.id = ").push_bind(id);
        query
            .build()
            .fetch_optional(pool)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(posting)
            .transpose()
    })
}

pub(crate) async fn list(
    store: &SqlStore,
    filter: &PostingFilter,
) -> StoreResult<Page<JobPostingRecord>> {
    let per_page = i64::from(filter.per_page.clamp(1, 500));
    let offset =
        i64::try_from(filter.offset()).map_err(|_| StoreError::Internal("offset".to_owned()))?;
    let order = match filter.sort {
        PostingSort::Newest => " ORDER BY j.created_at DESC, j.id DESC",
        PostingSort::WageHigh => " ORDER BY j.monthly_wage DESC, j.id DESC",
        PostingSort::WageLow => " ORDER BY j.monthly_wage, j.id",
        PostingSort::Title => " ORDER BY j.title, j.id",
    };
    with_pool!(store, pool => {
        let mut counting = sqlx::QueryBuilder::new(
            "SELECT COUNT(*) AS n FROM job_postings j JOIN employers e ON e.id = j.employer_id",
        );
        push_conditions!(counting, filter);
        let total = rows::count(&counting.build().fetch_one(pool).await.map_err(map_err)?)?;
        let mut listing = sqlx::QueryBuilder::new(POSTING_SELECT);
        push_conditions!(listing, filter);
        listing
            .push(order)
            .push(" LIMIT ")
            .push_bind(per_page)
            .push(" OFFSET ")
            .push_bind(offset);
        let found = listing.build().fetch_all(pool).await.map_err(map_err)?;
        let items = found.iter().map(posting).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total })
    })
}

pub(crate) async fn open(store: &SqlStore) -> StoreResult<Vec<JobPostingRecord>> {
    with_pool!(store, pool => {
        let found = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{POSTING_SELECT} WHERE j.is_open = $1 ORDER BY j.id"
        )))
        .bind(true)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        found.iter().map(posting).collect()
    })
}
