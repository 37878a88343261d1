//! The plan's programmes (docs/programmes.md): units taking part, the
//! activities they run or their district pools, the people taking part and
//! the draws on each activity's limit.
//!
//! A unit's district decides a district officer's scope, its id an
//! institution account's; an activity carries its district (a unit's
//! activities take the unit's) so that one condition scopes it. The scope
//! is pushed first in every `WHERE`.
//!
//! Amounts are their exact decimal text on both engines, as declarations
//! keep theirs, and are summed here rather than by the engine, so a sum is
//! exact on SQLite too. Lists (brands, provisions) are JSON text.
//!
//! A person is on a list once: `list_key` is `a:<activity id>` for an
//! activity's list and `u:<unit id>:<role>` for the unit's own list in one
//! role, unique with the person. Joining, placing and drawing take the
//! list's, the participation's or the activity's row lock first (a no-op
//! update, as the audit head is taken), so concurrent writers on
//! PostgreSQL queue as SQLite's `BEGIN IMMEDIATE` makes them.

use std::collections::HashMap;
use std::str::FromStr;

use ablework_domain::fair::AccessNeed;
use ablework_domain::occupation::SubMajorGroup;
use ablework_domain::outcome::Outcome;
use ablework_domain::programme::{
    Accreditation, Activity, ActivityKind, IncomeChange, Limit, Programme, Progress, Role, Sector,
    SourceKind, Status, TrainingMode, Unit, UnitKind,
};
use ablework_store::{
    ActivityFilter, ActivityRecord, DrawRecord, NewAuditEntry, NewDraw, NewParticipant,
    OutcomeDetails, Page, ParticipantRecord, ProgrammeFigures, ProgrammeScope, Recorded,
    StoreError, StoreResult, UnitFilter, UnitRecord,
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::json;

use crate::outcomes::record_outcome_in;
use crate::rows::{self, Columns, code, from_json, like_literal, opt_code, to_json};
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

const UNIT_SELECT: &str = "SELECT u.id, u.kind, u.name, u.district_code, u.capacity, \
    u.accreditation, u.accredited_on, u.compliant, u.reviewed_on, u.pilot, u.sector, u.brands, \
    u.note, u.created_at, u.updated_at, \
    (SELECT COUNT(*) FROM programme_activities c WHERE c.unit_id = u.id) AS activity_count, \
    (SELECT COUNT(*) FROM programme_participants x WHERE x.unit_id = u.id \
     AND x.status <> 'withdrawn') AS participant_count \
    FROM programme_units u";

const ACTIVITY_SELECT: &str = "SELECT a.id, a.unit_id, un.name AS unit_name, a.kind, a.title, \
    a.district_code, a.starts_on, a.ends_on, a.capacity, a.limit_amount, a.unit_price, \
    a.occupation, a.mode, a.schedule, a.provisions, a.source_kind, a.source_name, a.scope, \
    a.created_at, \
    (SELECT COUNT(*) FROM programme_participants x WHERE x.activity_id = a.id \
     AND x.status <> 'withdrawn') AS participant_count \
    FROM programme_activities a LEFT JOIN programme_units un ON un.id = a.unit_id";

const PARTICIPANT_SELECT: &str = "SELECT x.id, x.unit_id, x.activity_id, x.person_id, \
    p.name AS person_name, p.district_code AS person_district_code, x.role, x.status, \
    x.joined_on, x.ended_on, x.sessions_attended, x.certificate, x.monthly_income, \
    x.income_before, x.service_id, x.outcome_id, o.started_on AS placed_on, x.updated_at \
    FROM programme_participants x JOIN persons p ON p.id = x.person_id \
    LEFT JOIN employment_outcomes o ON o.id = x.outcome_id";

const DRAW_SELECT: &str = "SELECT d.id, d.activity_id, a.title AS activity_title, d.amount, \
    d.on_date, d.until, d.unit_id, un.name AS unit_name, d.person_id, p.name AS person_name, \
    d.purpose, d.note, d.created_at \
    FROM programme_draws d JOIN programme_activities a ON a.id = d.activity_id \
    LEFT JOIN programme_units un ON un.id = d.unit_id LEFT JOIN persons p ON p.id = d.person_id";

/// The columns a unit's fields fill, bound by `bind_unit!` in this order as
/// `$1`–`$14`.
const UNIT_COLUMNS: &str = "programme, kind, name, district_code, capacity, accreditation, \
    accredited_on, compliant, reviewed_on, pilot, sector, brands, note, updated_at";

/// The columns an activity's fields fill, bound by `bind_activity!` in this
/// order as `$1`–`$19`.
const ACTIVITY_COLUMNS: &str = "unit_id, programme, kind, title, district_code, starts_on, \
    ends_on, capacity, limit_amount, unit_price, occupation, mode, schedule, provisions, \
    source_kind, source_name, scope, created_at, updated_at";

// ---- decoding -------------------------------------------------------------------

fn decimal(row: &impl Columns, column: &str) -> StoreResult<Decimal> {
    Decimal::from_str(&row.text(column)?).map_err(|_| rows::unreadable(column))
}

fn opt_decimal(row: &impl Columns, column: &str) -> StoreResult<Option<Decimal>> {
    row.opt_text(column)?
        .map(|text| Decimal::from_str(&text).map_err(|_| rows::unreadable(column)))
        .transpose()
}

/// A `COUNT(*)` column as a small count.
fn counted(row: &impl Columns, column: &str) -> StoreResult<u32> {
    u32::try_from(row.i64(column)?).map_err(|_| rows::unreadable(column))
}

fn opt_small(row: &impl Columns, column: &str) -> StoreResult<Option<u32>> {
    row.opt_i32(column)?
        .map(|n| u32::try_from(n).map_err(|_| rows::unreadable(column)))
        .transpose()
}

/// A count to bind into an `INTEGER` column.
fn small(value: Option<u32>, column: &str) -> StoreResult<Option<i32>> {
    value
        .map(|n| {
            i32::try_from(n).map_err(|_| StoreError::Internal(format!("{column} out of range")))
        })
        .transpose()
}

fn unit(row: &impl Columns) -> StoreResult<UnitRecord> {
    let accreditation = match opt_code(row, "accreditation", Accreditation::from_code)? {
        Some(status) => Some((status, row.opt_date("accredited_on")?)),
        None => None,
    };
    Ok(UnitRecord {
        id: row.i64("id")?,
        fields: Unit {
            kind: code(row, "kind", UnitKind::from_code)?,
            name: row.text("name")?,
            district_code: row.text("district_code")?,
            capacity: opt_small(row, "capacity")?,
            accreditation,
            compliant: row.flag("compliant")?,
            reviewed_on: row.opt_date("reviewed_on")?,
            pilot: row.flag("pilot")?,
            sector: opt_code(row, "sector", Sector::from_code)?,
            brands: from_json(row, "brands")?,
            note: row.opt_text("note")?,
        },
        activities: counted(row, "activity_count")?,
        participants: counted(row, "participant_count")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

/// An activity with `drawn` zero; [`fill_drawn!`] adds its draws.
fn activity(row: &impl Columns) -> StoreResult<ActivityRecord> {
    let source = match (
        opt_code(row, "source_kind", SourceKind::from_code)?,
        row.opt_text("source_name")?,
    ) {
        (Some(kind), Some(name)) => Some((kind, name)),
        _ => None,
    };
    Ok(ActivityRecord {
        id: row.i64("id")?,
        unit_id: row.opt_i64("unit_id")?,
        unit_name: row.opt_text("unit_name")?,
        fields: Activity {
            kind: code(row, "kind", ActivityKind::from_code)?,
            title: row.text("title")?,
            district_code: row.text("district_code")?,
            starts_on: row.date("starts_on")?,
            ends_on: row.opt_date("ends_on")?,
            capacity: opt_small(row, "capacity")?,
            limit: opt_decimal(row, "limit_amount")?,
            unit_price: opt_decimal(row, "unit_price")?,
            occupation: opt_code(row, "occupation", SubMajorGroup::from_code)?,
            mode: opt_code(row, "mode", TrainingMode::from_code)?,
            schedule: row.opt_text("schedule")?,
            provisions: from_json::<Vec<AccessNeed>>(row, "provisions")?,
            source,
            scope: row.opt_text("scope")?,
        },
        participants: counted(row, "participant_count")?,
        drawn: Decimal::ZERO,
        created_at: row.time("created_at")?,
    })
}

fn participant(row: &impl Columns) -> StoreResult<ParticipantRecord> {
    Ok(ParticipantRecord {
        id: row.i64("id")?,
        unit_id: row.i64("unit_id")?,
        activity_id: row.opt_i64("activity_id")?,
        person_id: row.i64("person_id")?,
        person_name: row.text("person_name")?,
        person_district_code: row.text("person_district_code")?,
        role: code(row, "role", Role::from_code)?,
        status: code(row, "status", Status::from_code)?,
        joined_on: row.date("joined_on")?,
        ended_on: row.opt_date("ended_on")?,
        sessions_attended: opt_small(row, "sessions_attended")?,
        certificate: row.opt_text("certificate")?,
        monthly_income: opt_decimal(row, "monthly_income")?,
        income_before: opt_decimal(row, "income_before")?,
        service_id: row.opt_i64("service_id")?,
        outcome_id: row.opt_i64("outcome_id")?,
        placed_on: row.opt_date("placed_on")?,
        updated_at: row.time("updated_at")?,
    })
}

fn draw(row: &impl Columns) -> StoreResult<DrawRecord> {
    Ok(DrawRecord {
        id: row.i64("id")?,
        activity_id: row.i64("activity_id")?,
        activity_title: row.text("activity_title")?,
        amount: decimal(row, "amount")?,
        on_date: row.date("on_date")?,
        until: row.opt_date("until")?,
        unit_id: row.opt_i64("unit_id")?,
        unit_name: row.opt_text("unit_name")?,
        person_id: row.opt_i64("person_id")?,
        person_name: row.opt_text("person_name")?,
        purpose: row.opt_text("purpose")?,
        note: row.opt_text("note")?,
        created_at: row.time("created_at")?,
    })
}

/// The list a person joins: an activity's, or the unit's own in a role.
fn list_key(unit_id: i64, activity_id: Option<i64>, role: Role) -> String {
    match activity_id {
        Some(activity_id) => format!("a:{activity_id}"),
        None => format!("u:{unit_id}:{}", role.code()),
    }
}

/// The caller's audit entry with `facts` added to its detail (or as its
/// detail, when it has none that is an object).
fn with_facts(audit: NewAuditEntry, facts: serde_json::Value) -> NewAuditEntry {
    let mut audit = audit;
    match (audit.detail.as_object_mut(), facts) {
        (Some(detail), serde_json::Value::Object(facts)) => {
            detail.extend(facts);
            audit
        }
        (_, facts) => audit.with_detail(facts),
    }
}

/// The kinds of activity whose limit is money.
fn money_kinds() -> Vec<&'static str> {
    ActivityKind::ALL
        .iter()
        .filter(|kind| kind.limit() == Limit::Money)
        .map(|kind| kind.code())
        .collect()
}

// ---- query building -------------------------------------------------------------

/// Pushes ` WHERE` and the scope's condition on `$district` (a district
/// code column) and `$unit` (a unit id column). It always comes first so
/// no other filter can widen it.
macro_rules! push_scope {
    ($builder:ident, $scope:expr, $district:literal, $unit:literal) => {
        match $scope {
            ProgrammeScope::All => {
                $builder.push(" WHERE 1 = 1");
            }
            ProgrammeScope::District(code) => {
                $builder
                    .push(concat!(" WHERE ", $district, " = "))
                    .push_bind(code.clone());
            }
            ProgrammeScope::Unit(id) => {
                $builder
                    .push(concat!(" WHERE ", $unit, " = "))
                    .push_bind(*id);
            }
            ProgrammeScope::Nobody => {
                $builder.push(" WHERE 1 = 0");
            }
        }
    };
}

/// Pushes ` AND <column> LIKE '%text%'` for a non-empty search.
macro_rules! push_search {
    ($builder:ident, $column:literal, $search:expr) => {
        if let Some(text) = $search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            $builder
                .push(concat!(" AND ", $column, " LIKE "))
                .push_bind(format!("%{}%", like_literal(text)))
                .push(" ESCAPE '\\'");
        }
    };
}

macro_rules! push_unit_conditions {
    ($builder:ident, $filter:expr) => {{
        let filter: &UnitFilter = $filter;
        push_scope!($builder, &filter.scope, "u.district_code", "u.id");
        if let Some(programme) = filter.programme {
            $builder
                .push(" AND u.programme = ")
                .push_bind(programme.code());
        }
        if let Some(kind) = filter.kind {
            $builder.push(" AND u.kind = ").push_bind(kind.code());
        }
        if let Some(code) = &filter.district_code {
            $builder
                .push(" AND u.district_code = ")
                .push_bind(code.clone());
        }
        push_search!($builder, "u.name", filter.search);
    }};
}

macro_rules! push_activity_conditions {
    ($builder:ident, $filter:expr) => {{
        let filter: &ActivityFilter = $filter;
        push_scope!($builder, &filter.scope, "a.district_code", "a.unit_id");
        if let Some(programme) = filter.programme {
            $builder
                .push(" AND a.programme = ")
                .push_bind(programme.code());
        }
        if let Some(kind) = filter.kind {
            $builder.push(" AND a.kind = ").push_bind(kind.code());
        }
        if let Some(unit_id) = filter.unit_id {
            $builder.push(" AND a.unit_id = ").push_bind(unit_id);
        }
        if filter.pooled {
            $builder.push(" AND a.unit_id IS NULL");
        }
        if let Some(code) = &filter.district_code {
            $builder
                .push(" AND a.district_code = ")
                .push_bind(code.clone());
        }
        push_search!($builder, "a.title", filter.search);
    }};
}

/// Adds to each activity of `$records` the sum of its draws, read through
/// `$executor`.
macro_rules! fill_drawn {
    ($executor:expr, $records:expr) => {{
        let records: &mut [ActivityRecord] = $records;
        if !records.is_empty() {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT activity_id, amount FROM programme_draws WHERE activity_id IN (",
            );
            let mut separated = query.separated(", ");
            for record in records.iter() {
                separated.push_bind(record.id);
            }
            query.push(")");
            let found = query.build().fetch_all($executor).await.map_err(map_err)?;
            let mut drawn: HashMap<i64, Decimal> = HashMap::new();
            for row in &found {
                *drawn.entry(row.i64("activity_id")?).or_default() += decimal(row, "amount")?;
            }
            for record in records.iter_mut() {
                record.drawn = drawn.get(&record.id).copied().unwrap_or_default();
            }
        }
    }};
}

/// Reads one row by id with `$select` through `$executor`, decoded by `$decode`.
macro_rules! read_one {
    ($executor:expr, $select:expr, $alias:literal, $id:expr, $decode:path) => {{
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{} WHERE {}.id = $1",
            $select, $alias
        )))
        .bind($id)
        .fetch_one($executor)
        .await
        .map_err(map_err)?;
        $decode(&row)?
    }};
}

/// Takes the row lock of `$table`'s row `$id` inside `$tx` with a no-op
/// update; an absent row is `NotFound`.
macro_rules! lock_row {
    ($tx:ident, $table:literal, $id:expr) => {{
        let done = sqlx::query(concat!(
            "UPDATE ",
            $table,
            " SET updated_at = updated_at WHERE id = $1"
        ))
        .bind($id)
        .execute(&mut *$tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
    }};
}

macro_rules! bind_unit {
    ($query:expr, $fields:expr, $brands:expr, $at:expr) => {{
        let fields: &Unit = $fields;
        $query
            .bind(fields.kind.programme().code())
            .bind(fields.kind.code())
            .bind(&fields.name)
            .bind(&fields.district_code)
            .bind(small(fields.capacity, "capacity")?)
            .bind(fields.accreditation.map(|(status, _)| status.code()))
            .bind(fields.accreditation.and_then(|(_, on)| on))
            .bind(fields.compliant)
            .bind(fields.reviewed_on)
            .bind(fields.pilot)
            .bind(fields.sector.map(Sector::code))
            .bind($brands)
            .bind(&fields.note)
            .bind($at)
    }};
}

// ---- units ----------------------------------------------------------------------

pub(crate) async fn create_unit(
    store: &SqlStore,
    fields: &Unit,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<UnitRecord> {
    let brands = to_json(&fields.brands)?;
    let sql = format!(
        "INSERT INTO programme_units ({UNIT_COLUMNS}, created_at) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"
    );
    with_tx!(store, tx => {
        let query = sqlx::query(sqlx::AssertSqlSafe(sql));
        let row = bind_unit!(query, fields, &brands, at)
            .bind(at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let id = row.i64("id")?;
        let record = read_one!(&mut *tx, UNIT_SELECT, "u", id, unit);
        append_audit!(tx, audit.with_entity_id(id));
        Ok(record)
    })
}

pub(crate) async fn update_unit(
    store: &SqlStore,
    id: i64,
    scope: &ProgrammeScope,
    fields: &Unit,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<Option<UnitRecord>> {
    let brands = to_json(&fields.brands)?;
    let assignments: Vec<String> = UNIT_COLUMNS
        .split(", ")
        .enumerate()
        .map(|(i, column)| format!("{} = ${}", column.trim(), i + 1))
        .collect();
    let sql = format!(
        "UPDATE programme_units SET {} WHERE id = $15",
        assignments.join(", ")
    );
    with_tx!(store, tx => {
        let mut query = sqlx::QueryBuilder::new("SELECT u.id FROM programme_units u");
        push_scope!(query, scope, "u.district_code", "u.id");
        query.push(" AND u.id = ").push_bind(id);
        if query.build().fetch_optional(&mut *tx).await.map_err(map_err)?.is_none() {
            return Ok(None);
        }
        let update = sqlx::query(sqlx::AssertSqlSafe(sql));
        bind_unit!(update, fields, &brands, at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        // A unit's activities are held in its district: they follow it.
        sqlx::query(
            "UPDATE programme_activities SET district_code = $1, updated_at = $2 \
             WHERE unit_id = $3 AND district_code <> $1",
        )
        .bind(&fields.district_code)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let record = read_one!(&mut *tx, UNIT_SELECT, "u", id, unit);
        append_audit!(tx, audit.with_entity_id(id));
        Ok(Some(record))
    })
}

pub(crate) async fn get_unit(
    store: &SqlStore,
    id: i64,
    scope: &ProgrammeScope,
) -> StoreResult<Option<UnitRecord>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(UNIT_SELECT);
        push_scope!(query, scope, "u.district_code", "u.id");
        query.push(" AND u.id = ").push_bind(id);
        query
            .build()
            .fetch_optional(pool)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(unit)
            .transpose()
    })
}

fn paging(per_page: u32, offset: u64) -> StoreResult<(i64, i64)> {
    let offset = i64::try_from(offset).map_err(|_| StoreError::Internal("offset".to_owned()))?;
    Ok((i64::from(per_page.clamp(1, 500)), offset))
}

pub(crate) async fn list_units(
    store: &SqlStore,
    filter: &UnitFilter,
) -> StoreResult<Page<UnitRecord>> {
    let (per_page, offset) = paging(filter.per_page, filter.offset())?;
    with_pool!(store, pool => {
        let mut counting = sqlx::QueryBuilder::new("SELECT COUNT(*) AS n FROM programme_units u");
        push_unit_conditions!(counting, filter);
        let total = rows::count(&counting.build().fetch_one(pool).await.map_err(map_err)?)?;
        let mut listing = sqlx::QueryBuilder::new(UNIT_SELECT);
        push_unit_conditions!(listing, filter);
        listing
            .push(" ORDER BY u.name, u.id LIMIT ")
            .push_bind(per_page)
            .push(" OFFSET ")
            .push_bind(offset);
        let found = listing.build().fetch_all(pool).await.map_err(map_err)?;
        let items = found.iter().map(unit).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total })
    })
}

// ---- activities -----------------------------------------------------------------

pub(crate) async fn create_activity(
    store: &SqlStore,
    unit_id: Option<i64>,
    fields: &Activity,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<ActivityRecord> {
    let provisions = to_json(&fields.provisions)?;
    let sql = format!(
        "INSERT INTO programme_activities ({ACTIVITY_COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
         RETURNING id"
    );
    with_tx!(store, tx => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(unit_id)
            .bind(fields.kind.programme().code())
            .bind(fields.kind.code())
            .bind(&fields.title)
            .bind(&fields.district_code)
            .bind(fields.starts_on)
            .bind(fields.ends_on)
            .bind(small(fields.capacity, "capacity")?)
            .bind(fields.limit.map(|n| n.to_string()))
            .bind(fields.unit_price.map(|n| n.to_string()))
            .bind(fields.occupation.map(SubMajorGroup::code))
            .bind(fields.mode.map(TrainingMode::code))
            .bind(&fields.schedule)
            .bind(&provisions)
            .bind(fields.source.as_ref().map(|(kind, _)| kind.code()))
            .bind(fields.source.as_ref().map(|(_, name)| name.clone()))
            .bind(&fields.scope)
            .bind(at)
            .bind(at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let id = row.i64("id")?;
        let record = read_one!(&mut *tx, ACTIVITY_SELECT, "a", id, activity);
        append_audit!(
            tx,
            with_facts(audit.with_entity_id(id), json!({ "unit": unit_id }))
        );
        Ok(record)
    })
}

pub(crate) async fn get_activity(
    store: &SqlStore,
    id: i64,
    scope: &ProgrammeScope,
) -> StoreResult<Option<ActivityRecord>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(ACTIVITY_SELECT);
        push_scope!(query, scope, "a.district_code", "a.unit_id");
        query.push(" AND a.id = ").push_bind(id);
        let found = query.build().fetch_optional(pool).await.map_err(map_err)?;
        let mut records = found.as_ref().map(activity).transpose()?.into_iter().collect::<Vec<_>>();
        fill_drawn!(pool, &mut records);
        Ok(records.pop())
    })
}

pub(crate) async fn list_activities(
    store: &SqlStore,
    filter: &ActivityFilter,
) -> StoreResult<Page<ActivityRecord>> {
    let (per_page, offset) = paging(filter.per_page, filter.offset())?;
    with_pool!(store, pool => {
        let mut counting =
            sqlx::QueryBuilder::new("SELECT COUNT(*) AS n FROM programme_activities a");
        push_activity_conditions!(counting, filter);
        let total = rows::count(&counting.build().fetch_one(pool).await.map_err(map_err)?)?;
        let mut listing = sqlx::QueryBuilder::new(ACTIVITY_SELECT);
        push_activity_conditions!(listing, filter);
        listing
            .push(" ORDER BY a.starts_on DESC, a.id DESC LIMIT ")
            .push_bind(per_page)
            .push(" OFFSET ")
            .push_bind(offset);
        let found = listing.build().fetch_all(pool).await.map_err(map_err)?;
        let mut items = found.iter().map(activity).collect::<StoreResult<Vec<_>>>()?;
        fill_drawn!(pool, &mut items);
        Ok(Page { items, total })
    })
}

// ---- participants ---------------------------------------------------------------

pub(crate) async fn join(
    store: &SqlStore,
    new: &NewParticipant,
    capacity: Option<u32>,
    audit: NewAuditEntry,
) -> StoreResult<ParticipantRecord> {
    let key = list_key(new.unit_id, new.activity_id, new.role);
    let exists = || StoreError::Conflict("participant_exists".to_owned());
    with_tx!(store, tx => {
        // The list's own row first: joiners of one list queue here.
        if let Some(activity_id) = new.activity_id {
            lock_row!(tx, "programme_activities", activity_id);
        } else {
            lock_row!(tx, "programme_units", new.unit_id);
        }
        let already = sqlx::query(
            "SELECT id FROM programme_participants WHERE list_key = $1 AND person_id = $2",
        )
        .bind(&key)
        .bind(new.person_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        if already.is_some() {
            return Err(exists());
        }
        if let Some(capacity) = capacity {
            let taken = sqlx::query(
                "SELECT COUNT(*) AS n FROM programme_participants \
                 WHERE list_key = $1 AND role = $2 AND status <> $3",
            )
            .bind(&key)
            .bind(new.role.code())
            .bind(Status::Withdrawn.code())
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
            if rows::count(&taken)? >= u64::from(capacity) {
                return Err(StoreError::Conflict("capacity_full".to_owned()));
            }
        }
        let row = sqlx::query(
            "INSERT INTO programme_participants (unit_id, activity_id, person_id, list_key, role, \
             status, joined_on, monthly_income, income_before, service_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(new.unit_id)
        .bind(new.activity_id)
        .bind(new.person_id)
        .bind(&key)
        .bind(new.role.code())
        .bind(Status::Active.code())
        .bind(new.joined_on)
        .bind(new.monthly_income.map(|n| n.to_string()))
        .bind(new.income_before.map(|n| n.to_string()))
        .bind(new.service_id)
        .bind(new.at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match map_err(e) {
            StoreError::Conflict(_) => exists(),
            other => other,
        })?;
        let id = row.i64("id")?;
        let record = read_one!(&mut *tx, PARTICIPANT_SELECT, "x", id, participant);
        append_audit!(
            tx,
            with_facts(
                audit.with_entity_id(id),
                json!({
                    "unit": new.unit_id,
                    "activity": new.activity_id,
                    "person": new.person_id,
                    "role": new.role.code(),
                })
            )
        );
        Ok(record)
    })
}

pub(crate) async fn participants(
    store: &SqlStore,
    unit_id: i64,
    activity_id: Option<i64>,
) -> StoreResult<Vec<ParticipantRecord>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(PARTICIPANT_SELECT);
        query.push(" WHERE x.unit_id = ").push_bind(unit_id);
        match activity_id {
            Some(activity_id) => {
                query.push(" AND x.activity_id = ").push_bind(activity_id);
            }
            None => {
                query.push(" AND x.activity_id IS NULL");
            }
        }
        query.push(" ORDER BY x.joined_on, x.id");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        found.iter().map(participant).collect()
    })
}

pub(crate) async fn get_participant(
    store: &SqlStore,
    id: i64,
) -> StoreResult<Option<ParticipantRecord>> {
    with_pool!(store, pool => {
        sqlx::query(sqlx::AssertSqlSafe(format!("{PARTICIPANT_SELECT} WHERE x.id = $1")))
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(map_err)?
            .as_ref()
            .map(participant)
            .transpose()
    })
}

pub(crate) async fn progress(
    store: &SqlStore,
    id: i64,
    progress: &Progress,
    at: DateTime<Utc>,
    audit: NewAuditEntry,
) -> StoreResult<ParticipantRecord> {
    with_tx!(store, tx => {
        let done = sqlx::query(
            "UPDATE programme_participants SET status = $1, ended_on = $2, sessions_attended = $3, \
             certificate = $4, monthly_income = CASE WHEN $8 THEN NULL ELSE COALESCE($5, monthly_income) END, \
             updated_at = $6 WHERE id = $7",
        )
        .bind(progress.status.code())
        .bind(progress.ended_on)
        .bind(small(progress.sessions_attended, "sessions_attended")?)
        .bind(&progress.certificate)
        .bind(match progress.monthly_income {
            IncomeChange::Set(income) => Some(income.to_string()),
            IncomeChange::Keep | IncomeChange::Clear => None,
        })
        .bind(at)
        .bind(id)
        .bind(progress.monthly_income == IncomeChange::Clear)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let record = read_one!(&mut *tx, PARTICIPANT_SELECT, "x", id, participant);
        append_audit!(
            tx,
            with_facts(
                audit.with_entity_id(id),
                json!({ "status": progress.status.code(), "ended_on": progress.ended_on })
            )
        );
        Ok(record)
    })
}

pub(crate) async fn place(
    store: &SqlStore,
    id: i64,
    outcome: &Outcome,
    details: &OutcomeDetails,
    recorded: &Recorded,
    audit: NewAuditEntry,
) -> StoreResult<ParticipantRecord> {
    with_tx!(store, tx => {
        lock_row!(tx, "programme_participants", id);
        let current = sqlx::query("SELECT outcome_id FROM programme_participants WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        if current.opt_i64("outcome_id")?.is_some() {
            return Err(StoreError::Conflict("already_placed".to_owned()));
        }
        let outcome_id = record_outcome_in!(tx, outcome, details, recorded);
        sqlx::query(
            "UPDATE programme_participants SET outcome_id = $1, updated_at = $2 WHERE id = $3",
        )
        .bind(outcome_id)
        .bind(recorded.at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let record = read_one!(&mut *tx, PARTICIPANT_SELECT, "x", id, participant);
        append_audit!(
            tx,
            with_facts(
                audit.with_entity_id(id),
                json!({ "outcome": outcome_id, "person": outcome.person_id })
            )
        );
        Ok(record)
    })
}

// ---- draws ----------------------------------------------------------------------

pub(crate) async fn draw_on(
    store: &SqlStore,
    new: &NewDraw,
    limit: Option<Decimal>,
    audit: NewAuditEntry,
) -> StoreResult<DrawRecord> {
    with_tx!(store, tx => {
        // The activity's row first: draws on one activity queue here.
        lock_row!(tx, "programme_activities", new.activity_id);
        if let Some(limit) = limit {
            let found = sqlx::query("SELECT amount FROM programme_draws WHERE activity_id = $1")
                .bind(new.activity_id)
                .fetch_all(&mut *tx)
                .await
                .map_err(map_err)?;
            let mut drawn = Decimal::ZERO;
            for row in &found {
                drawn += decimal(row, "amount")?;
            }
            if drawn + new.amount > limit {
                return Err(StoreError::Conflict("over_limit".to_owned()));
            }
        }
        let row = sqlx::query(
            "INSERT INTO programme_draws (activity_id, amount, on_date, until, unit_id, person_id, \
             purpose, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.activity_id)
        .bind(new.amount.to_string())
        .bind(new.on_date)
        .bind(new.until)
        .bind(new.unit_id)
        .bind(new.person_id)
        .bind(&new.purpose)
        .bind(&new.note)
        .bind(new.at)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let id = row.i64("id")?;
        let record = read_one!(&mut *tx, DRAW_SELECT, "d", id, draw);
        append_audit!(
            tx,
            with_facts(
                audit.with_entity_id(id),
                json!({
                    "activity": new.activity_id,
                    "amount": new.amount.to_string(),
                    "unit": new.unit_id,
                    "person": new.person_id,
                })
            )
        );
        Ok(record)
    })
}

pub(crate) async fn draws(store: &SqlStore, activity_id: i64) -> StoreResult<Vec<DrawRecord>> {
    with_pool!(store, pool => {
        let found = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{DRAW_SELECT} WHERE d.activity_id = $1 ORDER BY d.on_date, d.id"
        )))
        .bind(activity_id)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        found.iter().map(draw).collect()
    })
}

pub(crate) async fn draws_to_unit(store: &SqlStore, unit_id: i64) -> StoreResult<Vec<DrawRecord>> {
    with_pool!(store, pool => {
        let found = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{DRAW_SELECT} WHERE d.unit_id = $1 ORDER BY d.on_date, d.id"
        )))
        .bind(unit_id)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        found.iter().map(draw).collect()
    })
}

// ---- figures --------------------------------------------------------------------

/// The figures of the programme named in `row`'s `programme` column.
fn slot<'a>(
    figures: &'a mut [(Programme, ProgrammeFigures)],
    row: &impl Columns,
) -> StoreResult<&'a mut ProgrammeFigures> {
    let found = row.text("programme")?;
    figures
        .iter_mut()
        .find(|(programme, _)| programme.code() == found)
        .map(|(_, figures)| figures)
        .ok_or_else(|| rows::unreadable("programme"))
}

pub(crate) async fn figures(
    store: &SqlStore,
    scope: &ProgrammeScope,
) -> StoreResult<Vec<(Programme, ProgrammeFigures)>> {
    let mut figures: Vec<(Programme, ProgrammeFigures)> = Programme::ALL
        .iter()
        .map(|programme| (*programme, ProgrammeFigures::default()))
        .collect();
    with_pool!(store, pool => {
        let mut units = sqlx::QueryBuilder::new(
            "SELECT u.programme, COUNT(*) AS n FROM programme_units u",
        );
        push_scope!(units, scope, "u.district_code", "u.id");
        units.push(" GROUP BY u.programme");
        for row in units.build().fetch_all(pool).await.map_err(map_err)? {
            slot(&mut figures, &row)?.units = counted(&row, "n")?;
        }
        let mut activities = sqlx::QueryBuilder::new(
            "SELECT a.programme, COUNT(*) AS n FROM programme_activities a",
        );
        push_scope!(activities, scope, "a.district_code", "a.unit_id");
        activities.push(" GROUP BY a.programme");
        for row in activities.build().fetch_all(pool).await.map_err(map_err)? {
            slot(&mut figures, &row)?.activities = counted(&row, "n")?;
        }
        let mut people = sqlx::QueryBuilder::new(
            "SELECT u.programme, \
             COUNT(CASE WHEN x.status <> 'withdrawn' THEN 1 END) AS n, \
             COUNT(x.outcome_id) AS placed \
             FROM programme_participants x JOIN programme_units u ON u.id = x.unit_id",
        );
        push_scope!(people, scope, "u.district_code", "u.id");
        people.push(" GROUP BY u.programme");
        for row in people.build().fetch_all(pool).await.map_err(map_err)? {
            let entry = slot(&mut figures, &row)?;
            entry.participants = counted(&row, "n")?;
            entry.placed = counted(&row, "placed")?;
        }
        let mut money = sqlx::QueryBuilder::new(
            "SELECT a.programme, d.amount FROM programme_draws d \
             JOIN programme_activities a ON a.id = d.activity_id",
        );
        push_scope!(money, scope, "a.district_code", "a.unit_id");
        money.push(" AND a.kind IN (");
        let mut separated = money.separated(", ");
        for kind in money_kinds() {
            separated.push_bind(kind);
        }
        money.push(")");
        for row in money.build().fetch_all(pool).await.map_err(map_err)? {
            slot(&mut figures, &row)?.money_drawn += decimal(&row, "amount")?;
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(figures)
}
