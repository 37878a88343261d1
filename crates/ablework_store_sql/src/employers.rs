//! Employers and their annual quota declarations.
//!
//! Decimals are stored as their exact text on both engines; a declaration's
//! monthly headcounts and seasonal workers as small JSON arrays.

use std::collections::HashMap;
use std::str::FromStr;

use ablework_domain::levy::EmployerKind;
use ablework_store::{
    DeclarationConflict, DeclarationEvent, DeclarationFigures, DeclarationFilter,
    DeclarationRecord, DeclarationStatus, DeclaredEmployee, EmployerFields, EmployerFilter,
    EmployerRecord, EmployerScope, ImportCounts, MeasureOneRow, NewAuditEntry, Page, StoreError,
    StoreResult,
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::json;

use crate::rows::{self, Columns, like_literal, unreadable as corrupt};
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

const EMPLOYER_COLUMNS: &str = "e.id, e.credit_code, e.name, e.kind, e.is_school, e.staffing_quota, e.staff, \
    e.district_code, e.sector, e.state_owned, e.active, e.created_at, e.updated_at";

const DECLARATION_COLUMNS: &str = "d.id, d.employer_id, e.name AS employer_name, e.district_code, e.kind, \
    d.data_year, d.status, d.declared_on, d.monthly_headcount, d.seasonal, d.total_wages, \
    d.social_average_wage, d.policy_id, d.policy_version, d.headcount, d.counted, d.shortfall, d.levy";

const EMPLOYEE_COLUMNS: &str = "x.declaration_id, x.person_id, p.name, p.certificate_masked, x.level, \
    x.from_month, x.to_month, x.contract_ok, x.min_wage_ok, x.insured_ok";

fn kind_of(code: &str) -> Option<EmployerKind> {
    EmployerKind::ALL
        .into_iter()
        .find(|kind| kind.code() == code)
}

fn decimal(row: &impl Columns, column: &str) -> StoreResult<Decimal> {
    Decimal::from_str(&row.text(column)?).map_err(|_| corrupt(column))
}

fn small(row: &impl Columns, column: &str) -> StoreResult<u8> {
    u8::try_from(row.i32(column)?).map_err(|_| corrupt(column))
}

fn employer(row: &impl Columns) -> StoreResult<EmployerRecord> {
    Ok(EmployerRecord {
        id: row.i64("id")?,
        fields: EmployerFields {
            credit_code: row.text("credit_code")?,
            name: row.text("name")?,
            kind: kind_of(&row.text("kind")?).ok_or_else(|| corrupt("kind"))?,
            is_school: row.flag("is_school")?,
            staffing_quota: row.opt_i32("staffing_quota")?,
            staff: row.i32("staff")?,
            district_code: row.text("district_code")?,
            sector: row.text("sector")?,
            state_owned: row.flag("state_owned")?,
        },
        active: row.flag("active")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn declaration(row: &impl Columns) -> StoreResult<DeclarationRecord> {
    let monthly: Vec<String> =
        serde_json::from_str(&row.text("monthly_headcount")?).map_err(|_| corrupt("monthly"))?;
    let seasonal: Vec<(String, u8)> =
        serde_json::from_str(&row.text("seasonal")?).map_err(|_| corrupt("seasonal"))?;
    Ok(DeclarationRecord {
        id: row.i64("id")?,
        employer_id: row.i64("employer_id")?,
        employer_name: row.text("employer_name")?,
        district_code: row.text("district_code")?,
        kind: kind_of(&row.text("kind")?).ok_or_else(|| corrupt("kind"))?,
        data_year: row.i32("data_year")?,
        status: DeclarationStatus::from_code(&row.text("status")?)
            .ok_or_else(|| corrupt("status"))?,
        figures: DeclarationFigures {
            declared_on: row.date("declared_on")?,
            monthly_headcount: monthly
                .iter()
                .map(|v| Decimal::from_str(v).map_err(|_| corrupt("monthly_headcount")))
                .collect::<StoreResult<_>>()?,
            seasonal: seasonal
                .iter()
                .map(|(count, months)| {
                    Decimal::from_str(count)
                        .map(|count| (count, *months))
                        .map_err(|_| corrupt("seasonal"))
                })
                .collect::<StoreResult<_>>()?,
            total_wages: decimal(row, "total_wages")?,
            social_average_wage: decimal(row, "social_average_wage")?,
            employees: Vec::new(),
            policy_id: row.text("policy_id")?,
            policy_version: row.i32("policy_version")?,
            headcount: decimal(row, "headcount")?,
            counted: decimal(row, "counted")?,
            shortfall: decimal(row, "shortfall")?,
            levy: decimal(row, "levy")?,
        },
        events: Vec::new(),
    })
}

fn employee(row: &impl Columns) -> StoreResult<(i64, DeclaredEmployee)> {
    Ok((
        row.i64("declaration_id")?,
        DeclaredEmployee {
            person_id: row.i64("person_id")?,
            name: row.text("name")?,
            certificate_masked: row.text("certificate_masked")?,
            level: small(row, "level")?,
            from_month: small(row, "from_month")?,
            to_month: small(row, "to_month")?,
            contract_ok: row.flag("contract_ok")?,
            min_wage_ok: row.flag("min_wage_ok")?,
            insured_ok: row.flag("insured_ok")?,
        },
    ))
}

fn event(row: &impl Columns) -> StoreResult<DeclarationEvent> {
    Ok(DeclarationEvent {
        at: row.time("at")?,
        user_id: row.opt_i64("user_id")?,
        username: row.opt_text("username")?,
        action: row.text("action")?,
        note: row.opt_text("note")?,
        levy: decimal(row, "levy")?,
    })
}

/// The monthly headcounts and seasonal workers as stored (JSON text).
fn encode_lists(figures: &DeclarationFigures) -> StoreResult<(String, String)> {
    let monthly: Vec<String> = figures
        .monthly_headcount
        .iter()
        .map(ToString::to_string)
        .collect();
    let seasonal: Vec<(String, u8)> = figures
        .seasonal
        .iter()
        .map(|(c, m)| (c.to_string(), *m))
        .collect();
    let encode = |e: serde_json::Error| StoreError::Internal(e.to_string());
    Ok((
        serde_json::to_string(&monthly).map_err(encode)?,
        serde_json::to_string(&seasonal).map_err(encode)?,
    ))
}

fn months_mask(from: u8, to: u8) -> i32 {
    (from..=to).fold(0, |mask, month| mask | (1 << (month - 1)))
}

/// Pushes the scope's condition on the employer `e`; the scope always comes
/// first so no other filter can widen it.
macro_rules! push_scope {
    ($builder:ident, $scope:expr) => {
        match $scope {
            EmployerScope::All => {
                $builder.push(" WHERE 1 = 1");
            }
            EmployerScope::District(code) => {
                $builder
                    .push(" WHERE e.district_code = ")
                    .push_bind(code.clone());
            }
            EmployerScope::Employer(id) => {
                $builder.push(" WHERE e.id = ").push_bind(*id);
            }
            EmployerScope::Nobody => {
                $builder.push(" WHERE 1 = 0");
            }
        }
    };
}

macro_rules! push_employer_conditions {
    ($builder:ident, $filter:expr) => {{
        let filter: &EmployerFilter = $filter;
        push_scope!($builder, &filter.scope);
        if let Some(text) = filter.search.as_deref().filter(|t| !t.is_empty()) {
            let literal = like_literal(text);
            $builder
                .push(" AND (e.name LIKE ")
                .push_bind(format!("%{literal}%"))
                .push(" ESCAPE '\\' OR e.credit_code LIKE ")
                .push_bind(format!("{}%", literal.to_uppercase()))
                .push(" ESCAPE '\\')");
        }
        if let Some(kind) = filter.kind {
            $builder.push(" AND e.kind = ").push_bind(kind.code());
        }
        if let Some(code) = &filter.district_code {
            $builder
                .push(" AND e.district_code = ")
                .push_bind(code.clone());
        }
    }};
}

macro_rules! push_declaration_conditions {
    ($builder:ident, $filter:expr) => {{
        let filter: &DeclarationFilter = $filter;
        push_scope!($builder, &filter.scope);
        if let Some(year) = filter.data_year {
            $builder.push(" AND d.data_year = ").push_bind(year);
        }
        if let Some(status) = filter.status {
            $builder.push(" AND d.status = ").push_bind(status.code());
        }
        if let Some(id) = filter.employer_id {
            $builder.push(" AND d.employer_id = ").push_bind(id);
        }
    }};
}

/// The columns of a declaration's figures, bound by `bind_figures!` in
/// this order as `$1`–`$13`.
const FIGURE_COLUMNS: &str = "status, declared_on, monthly_headcount, seasonal, total_wages, \
    social_average_wage, policy_id, policy_version, headcount, counted, shortfall, levy, updated_at";

macro_rules! insert_event {
    ($tx:ident, $id:expr, $event:expr) => {{
        let event: DeclarationEvent = $event;
        sqlx::query(
            "INSERT INTO declaration_events (declaration_id, at, user_id, action, note, levy) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($id)
        .bind(event.at)
        .bind(event.user_id)
        .bind(&event.action)
        .bind(&event.note)
        .bind(event.levy.to_string())
        .execute(&mut *$tx)
        .await
        .map_err(map_err)?;
    }};
}

/// Replaces a declaration's employees inside the transaction `$tx`.
macro_rules! replace_employees {
    ($tx:ident, $id:expr, $employer_id:expr, $data_year:expr, $figures:expr) => {{
        let (id, employer_id, data_year): (i64, i64, i32) = ($id, $employer_id, $data_year);
        let figures: &DeclarationFigures = $figures;
        let tx = &mut $tx;
        sqlx::query("DELETE FROM declaration_employees WHERE declaration_id = $1")
            .bind(id).execute(&mut **tx).await.map_err(map_err)?;
        for (position, person) in figures.employees.iter().enumerate() {
            sqlx::query(
                "INSERT INTO declaration_employees (declaration_id, position, employer_id, data_year, person_id, \
                 level, from_month, to_month, months_mask, contract_ok, min_wage_ok, insured_ok) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(id)
            .bind(i32::try_from(position).map_err(|_| StoreError::Internal("position".to_owned()))?)
            .bind(employer_id)
            .bind(data_year)
            .bind(person.person_id)
            .bind(i32::from(person.level))
            .bind(i32::from(person.from_month))
            .bind(i32::from(person.to_month))
            .bind(months_mask(person.from_month, person.to_month))
            .bind(person.contract_ok)
            .bind(person.min_wage_ok)
            .bind(person.insured_ok)
            .execute(&mut **tx).await.map_err(map_err)?;
        }
    }};
}

const INSERT_EMPLOYER: &str = "INSERT INTO employers (credit_code, name, kind, is_school, staffing_quota, staff, \
    district_code, sector, state_owned, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

const UPDATE_EMPLOYER: &str = "UPDATE employers SET credit_code = $1, name = $2, kind = $3, is_school = $4, \
    staffing_quota = $5, staff = $6, district_code = $7, sector = $8, state_owned = $9, updated_at = $10 WHERE id = $11";

macro_rules! bind_employer {
    ($query:expr, $fields:expr) => {{
        let fields: &EmployerFields = $fields;
        $query
            .bind(&fields.credit_code)
            .bind(&fields.name)
            .bind(fields.kind.code())
            .bind(fields.is_school)
            .bind(fields.staffing_quota)
            .bind(fields.staff)
            .bind(&fields.district_code)
            .bind(&fields.sector)
            .bind(fields.state_owned)
    }};
}

pub(crate) async fn create(
    store: &SqlStore,
    fields: EmployerFields,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<EmployerRecord> {
    with_tx!(store, tx => {
        let query = sqlx::query(INSERT_EMPLOYER);
        bind_employer!(query, &fields).bind(true).bind(at).bind(at)
            .execute(&mut *tx).await.map_err(map_err)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {EMPLOYER_COLUMNS} FROM employers e WHERE e.credit_code = $1")))
            .bind(&fields.credit_code)
            .fetch_one(&mut *tx).await.map_err(map_err)?;
        let record = employer(&row)?;
        append_audit!(tx, audit.with_entity_id(record.id));
        Ok(record)
    })
}

pub(crate) async fn insert_many(
    store: &SqlStore,
    employers: &[EmployerFields],
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<u64> {
    let sql = format!("{INSERT_EMPLOYER} ON CONFLICT (credit_code) DO NOTHING");
    with_tx!(store, tx => {
        let mut inserted = 0;
        for fields in employers {
            let query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            inserted += bind_employer!(query, fields).bind(true).bind(at).bind(at)
                .execute(&mut *tx).await.map_err(map_err)?.rows_affected();
        }
        append_audit!(tx, audit.with_detail(json!({ "inserted": inserted, "offered": employers.len() })));
        Ok(inserted)
    })
}

pub(crate) async fn update(
    store: &SqlStore,
    id: i64,
    scope: &EmployerScope,
    fields: EmployerFields,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<Option<EmployerRecord>> {
    with_tx!(store, tx => {
        let mut query = sqlx::QueryBuilder::new("SELECT e.id FROM employers e");
        push_scope!(query, scope);
        query.push(" AND e.id = ").push_bind(id);
        if query.build().fetch_optional(&mut *tx).await.map_err(map_err)?.is_none() {
            return Ok(None);
        }
        let update = sqlx::query(UPDATE_EMPLOYER);
        bind_employer!(update, &fields).bind(at).bind(id)
            .execute(&mut *tx).await.map_err(map_err)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {EMPLOYER_COLUMNS} FROM employers e WHERE e.id = $1")))
            .bind(id)
            .fetch_one(&mut *tx).await.map_err(map_err)?;
        let record = employer(&row)?;
        append_audit!(tx, audit);
        Ok(Some(record))
    })
}

pub(crate) async fn get(
    store: &SqlStore,
    id: i64,
    scope: &EmployerScope,
) -> StoreResult<Option<EmployerRecord>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(format!("SELECT {EMPLOYER_COLUMNS} FROM employers e"));
        push_scope!(query, scope);
        query.push(" AND e.id = ").push_bind(id);
        query.build().fetch_optional(pool).await.map_err(map_err)?.as_ref().map(employer).transpose()
    })
}

pub(crate) async fn by_credit_code(
    store: &SqlStore,
    code: &str,
) -> StoreResult<Option<EmployerRecord>> {
    with_pool!(store, pool => {
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {EMPLOYER_COLUMNS} FROM employers e WHERE e.credit_code = $1")))
            .bind(code)
            .fetch_optional(pool).await.map_err(map_err)?.as_ref().map(employer).transpose()
    })
}

pub(crate) async fn by_credit_codes(
    store: &SqlStore,
    codes: &[String],
) -> StoreResult<Vec<EmployerRecord>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(format!("SELECT {EMPLOYER_COLUMNS} FROM employers e WHERE e.credit_code IN ("));
        let mut separated = query.separated(", ");
        for code in codes {
            separated.push_bind(code.clone());
        }
        query.push(")");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        found.iter().map(employer).collect()
    })
}

pub(crate) async fn apply_batch(
    store: &SqlStore,
    inserts: &[EmployerFields],
    updates: &[(i64, EmployerFields)],
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<ImportCounts> {
    with_tx!(store, tx => {
        let mut counts = ImportCounts::default();
        for fields in inserts {
            let query = sqlx::query(INSERT_EMPLOYER);
            counts.inserted += bind_employer!(query, fields).bind(true).bind(at).bind(at)
                .execute(&mut *tx).await.map_err(map_err)?.rows_affected();
        }
        for (id, fields) in updates {
            let query = sqlx::query(UPDATE_EMPLOYER);
            counts.updated += bind_employer!(query, fields).bind(at).bind(*id)
                .execute(&mut *tx).await.map_err(map_err)?.rows_affected();
        }
        append_audit!(tx, crate::with_counts(audit, counts));
        Ok(counts)
    })
}

fn limits(page: u64, per_page: u32) -> StoreResult<(i64, i64)> {
    let per_page = i64::from(per_page.clamp(1, 500));
    let offset = i64::try_from(page).map_err(|_| StoreError::Internal("offset".to_owned()))?;
    Ok((per_page, offset))
}

pub(crate) async fn list(
    store: &SqlStore,
    filter: &EmployerFilter,
) -> StoreResult<Page<EmployerRecord>> {
    let (per_page, offset) = limits(filter.offset(), filter.per_page)?;
    with_pool!(store, pool => {
        let mut counting = sqlx::QueryBuilder::new("SELECT COUNT(*) AS n FROM employers e");
        push_employer_conditions!(counting, filter);
        let total = rows::count(&counting.build().fetch_one(pool).await.map_err(map_err)?)?;
        let mut listing = sqlx::QueryBuilder::new(format!("SELECT {EMPLOYER_COLUMNS} FROM employers e"));
        push_employer_conditions!(listing, filter);
        listing.push(" ORDER BY e.name, e.id LIMIT ").push_bind(per_page).push(" OFFSET ").push_bind(offset);
        let found = listing.build().fetch_all(pool).await.map_err(map_err)?;
        let items = found.iter().map(employer).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total })
    })
}

pub(crate) async fn save_declaration(
    store: &SqlStore,
    employer_id: i64,
    data_year: i32,
    figures: &DeclarationFigures,
    event: DeclarationEvent,
    audit: NewAuditEntry,
) -> StoreResult<DeclarationRecord> {
    let monthly: Vec<String> = figures
        .monthly_headcount
        .iter()
        .map(ToString::to_string)
        .collect();
    let monthly =
        serde_json::to_string(&monthly).map_err(|e| StoreError::Internal(e.to_string()))?;
    let seasonal: Vec<(String, u8)> = figures
        .seasonal
        .iter()
        .map(|(c, m)| (c.to_string(), *m))
        .collect();
    let seasonal =
        serde_json::to_string(&seasonal).map_err(|e| StoreError::Internal(e.to_string()))?;
    let id = with_tx!(store, tx => {
        let existing = sqlx::query("SELECT id, status FROM declarations WHERE employer_id = $1 AND data_year = $2")
            .bind(employer_id).bind(data_year)
            .fetch_optional(&mut *tx).await.map_err(map_err)?;
        let existing = match existing {
            Some(row) => {
                if row.text("status")? == DeclarationStatus::Approved.code() {
                    return Err(StoreError::Conflict("declaration_approved".to_owned()));
                }
                Some(row.i64("id")?)
            }
            None => None,
        };
        let sql = match existing {
            Some(_) => {
                let values: Vec<String> = FIGURE_COLUMNS
                    .split(", ")
                    .enumerate()
                    .map(|(i, column)| format!("{column} = ${}", i + 1))
                    .collect();
                format!("UPDATE declarations SET {} WHERE id = $14 AND data_year = $15 RETURNING id", values.join(", "))
            }
            None => format!(
                "INSERT INTO declarations ({FIGURE_COLUMNS}, employer_id, data_year) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"
            ),
        };
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(DeclarationStatus::Submitted.code())
            .bind(figures.declared_on)
            .bind(&monthly)
            .bind(&seasonal)
            .bind(figures.total_wages.to_string())
            .bind(figures.social_average_wage.to_string())
            .bind(&figures.policy_id)
            .bind(figures.policy_version)
            .bind(figures.headcount.to_string())
            .bind(figures.counted.to_string())
            .bind(figures.shortfall.to_string())
            .bind(figures.levy.to_string())
            .bind(event.at)
            .bind(existing.unwrap_or(employer_id))
            .bind(data_year)
            .fetch_one(&mut *tx).await.map_err(map_err)?;
        let id = row.i64("id")?;
        replace_employees!(tx, id, employer_id, data_year, figures);
        insert_event!(tx, id, event);
        append_audit!(tx, audit.with_entity_id(id));
        Ok::<i64, StoreError>(id)
    })?;
    read(store, id, &EmployerScope::All)
        .await?
        .ok_or(StoreError::NotFound)
}

pub(crate) async fn review(
    store: &SqlStore,
    id: i64,
    scope: &EmployerScope,
    status: DeclarationStatus,
    event: DeclarationEvent,
    audit: NewAuditEntry,
) -> StoreResult<Option<DeclarationRecord>> {
    let found = with_tx!(store, tx => {
        let mut query = sqlx::QueryBuilder::new("SELECT d.status FROM declarations d JOIN employers e ON e.id = d.employer_id");
        push_scope!(query, scope);
        query.push(" AND d.id = ").push_bind(id);
        match query.build().fetch_optional(&mut *tx).await.map_err(map_err)? {
            None => Ok::<bool, StoreError>(false),
            Some(row) => {
                if row.text("status")? != DeclarationStatus::Submitted.code() {
                    return Err(StoreError::Conflict("declaration_not_submitted".to_owned()));
                }
                sqlx::query("UPDATE declarations SET status = $1, updated_at = $2 WHERE id = $3")
                    .bind(status.code()).bind(event.at).bind(id)
                    .execute(&mut *tx).await.map_err(map_err)?;
                insert_event!(tx, id, event);
                append_audit!(tx, audit.with_entity_id(id));
                Ok(true)
            }
        }
    })?;
    if found {
        read(store, id, scope).await
    } else {
        Ok(None)
    }
}

pub(crate) async fn read(
    store: &SqlStore,
    id: i64,
    scope: &EmployerScope,
) -> StoreResult<Option<DeclarationRecord>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {DECLARATION_COLUMNS} FROM declarations d JOIN employers e ON e.id = d.employer_id"
        ));
        push_scope!(query, scope);
        query.push(" AND d.id = ").push_bind(id);
        let Some(row) = query.build().fetch_optional(pool).await.map_err(map_err)? else {
            return Ok(None);
        };
        let mut record = declaration(&row)?;
        let employees = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {EMPLOYEE_COLUMNS} FROM declaration_employees x JOIN persons p ON p.id = x.person_id \
             WHERE x.declaration_id = $1 ORDER BY x.position"
        )))
        .bind(id)
        .fetch_all(pool).await.map_err(map_err)?;
        record.figures.employees = employees.iter().map(|row| employee(row).map(|(_, e)| e)).collect::<StoreResult<_>>()?;
        let events = sqlx::query(
            "SELECT v.at, v.user_id, u.username, v.action, v.note, v.levy FROM declaration_events v \
             LEFT JOIN users u ON u.id = v.user_id WHERE v.declaration_id = $1 ORDER BY v.id",
        )
        .bind(id)
        .fetch_all(pool).await.map_err(map_err)?;
        record.events = events.iter().map(event).collect::<StoreResult<_>>()?;
        Ok(Some(record))
    })
}

pub(crate) async fn list_declarations(
    store: &SqlStore,
    filter: &DeclarationFilter,
) -> StoreResult<Page<DeclarationRecord>> {
    let (per_page, offset) = limits(filter.offset(), filter.per_page)?;
    with_pool!(store, pool => {
        let mut counting = sqlx::QueryBuilder::new(
            "SELECT COUNT(*) AS n FROM declarations d JOIN employers e ON e.id = d.employer_id",
        );
        push_declaration_conditions!(counting, filter);
        let total = rows::count(&counting.build().fetch_one(pool).await.map_err(map_err)?)?;
        let mut listing = sqlx::QueryBuilder::new(format!(
            "SELECT {DECLARATION_COLUMNS} FROM declarations d JOIN employers e ON e.id = d.employer_id"
        ));
        push_declaration_conditions!(listing, filter);
        listing.push(" ORDER BY d.data_year DESC, e.name, d.id LIMIT ").push_bind(per_page)
            .push(" OFFSET ").push_bind(offset);
        let found = listing.build().fetch_all(pool).await.map_err(map_err)?;
        let items = found.iter().map(declaration).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total })
    })
}

pub(crate) async fn of_year(
    store: &SqlStore,
    data_year: i32,
    scope: &EmployerScope,
) -> StoreResult<Vec<DeclarationRecord>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {DECLARATION_COLUMNS} FROM declarations d JOIN employers e ON e.id = d.employer_id"
        ));
        push_scope!(query, scope);
        query.push(" AND d.data_year = ").push_bind(data_year).push(" ORDER BY d.id");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        let mut records = found.iter().map(declaration).collect::<StoreResult<Vec<_>>>()?;
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {EMPLOYEE_COLUMNS} FROM declaration_employees x JOIN persons p ON p.id = x.person_id \
             JOIN employers e ON e.id = x.employer_id"
        ));
        push_scope!(query, scope);
        query.push(" AND x.data_year = ").push_bind(data_year).push(" ORDER BY x.declaration_id, x.position");
        let index: HashMap<i64, usize> = records.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        for row in query.build().fetch_all(pool).await.map_err(map_err)? {
            let (declaration_id, person) = employee(&row)?;
            if let Some(&at) = index.get(&declaration_id) {
                records[at].figures.employees.push(person);
            }
        }
        Ok(records)
    })
}

pub(crate) async fn conflicts(
    store: &SqlStore,
    declaration_id: i64,
) -> StoreResult<Vec<DeclarationConflict>> {
    with_pool!(store, pool => {
        let found = sqlx::query(
            "SELECT a.person_id, p.name, a.from_month, a.to_month, b.employer_id AS other_id, \
             e.name AS other_name, b.from_month AS other_from, b.to_month AS other_to \
             FROM declaration_employees a \
             JOIN declaration_employees b ON b.person_id = a.person_id AND b.data_year = a.data_year \
                  AND b.employer_id <> a.employer_id AND (a.months_mask & b.months_mask) <> 0 \
             JOIN employers e ON e.id = b.employer_id \
             JOIN persons p ON p.id = a.person_id \
             WHERE a.declaration_id = $1 ORDER BY a.position, e.name",
        )
        .bind(declaration_id)
        .fetch_all(pool).await.map_err(map_err)?;
        found.iter().map(|row| Ok(DeclarationConflict {
            person_id: row.i64("person_id")?,
            name: row.text("name")?,
            months: (small(row, "from_month")?, small(row, "to_month")?),
            other_employer_id: row.i64("other_id")?,
            other_employer_name: row.text("other_name")?,
            other_months: (small(row, "other_from")?, small(row, "other_to")?),
        })).collect()
    })
}

pub(crate) async fn measure_one(
    store: &SqlStore,
    data_year: i32,
    scope: &EmployerScope,
    agency_min: u32,
    institution_min: u32,
) -> StoreResult<Vec<MeasureOneRow>> {
    let agency_min = i32::try_from(agency_min).unwrap_or(i32::MAX);
    let institution_min = i32::try_from(institution_min).unwrap_or(i32::MAX);
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {EMPLOYER_COLUMNS}, d.status AS declaration_status, \
             (SELECT COUNT(*) FROM declaration_employees x WHERE x.declaration_id = d.id \
              AND x.contract_ok AND x.min_wage_ok AND x.insured_ok) AS eligible \
             FROM employers e LEFT JOIN declarations d ON d.employer_id = e.id AND d.data_year = "
        ));
        query.push_bind(data_year);
        push_scope!(query, scope);
        query
            .push(" AND e.active AND ((e.kind = 'agency' AND e.staffing_quota >= ")
            .push_bind(agency_min)
            .push(") OR (e.kind = 'institution' AND NOT e.is_school AND e.staffing_quota >= ")
            .push_bind(institution_min)
            .push(")) ORDER BY e.district_code, e.name, e.id");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        found.iter().map(|row| Ok(MeasureOneRow {
            employer: employer(row)?,
            status: row.opt_text("declaration_status")?.as_deref().and_then(DeclarationStatus::from_code),
            eligible_employees: u32::try_from(row.i64("eligible")?).map_err(|_| corrupt("eligible"))?,
        })).collect()
    })
}

pub(crate) async fn insert_declarations(
    store: &SqlStore,
    items: &[(i64, i32, DeclarationStatus, DeclarationFigures)],
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<u64> {
    let sql = format!(
        "INSERT INTO declarations ({FIGURE_COLUMNS}, employer_id, data_year) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (employer_id, data_year) DO NOTHING RETURNING id"
    );
    with_tx!(store, tx => {
        let mut inserted = 0;
        for (employer_id, data_year, status, figures) in items {
            let (monthly, seasonal) = encode_lists(figures)?;
            let row = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(status.code())
                .bind(figures.declared_on)
                .bind(&monthly)
                .bind(&seasonal)
                .bind(figures.total_wages.to_string())
                .bind(figures.social_average_wage.to_string())
                .bind(&figures.policy_id)
                .bind(figures.policy_version)
                .bind(figures.headcount.to_string())
                .bind(figures.counted.to_string())
                .bind(figures.shortfall.to_string())
                .bind(figures.levy.to_string())
                .bind(at)
                .bind(*employer_id)
                .bind(*data_year)
                .fetch_optional(&mut *tx).await.map_err(map_err)?;
            let Some(row) = row else { continue };
            let id = row.i64("id")?;
            replace_employees!(tx, id, *employer_id, *data_year, figures);
            let action = if *status == DeclarationStatus::Submitted { "submitted" } else { "imported" };
            let event = DeclarationEvent { at, user_id: None, username: None, action: action.to_owned(), note: None, levy: figures.levy };
            insert_event!(tx, id, event);
            inserted += 1;
        }
        append_audit!(tx, audit.with_detail(json!({ "inserted": inserted, "offered": items.len() })));
        Ok(inserted)
    })
}
