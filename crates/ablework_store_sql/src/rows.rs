//! Decoding rows into records, once for both engines.
//!
//! [`Columns`] reads one typed column from a row; it is implemented for
//! SQLite's and PostgreSQL's row types by the same macro, so the record
//! decoders below are plain generic functions.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::person::{Education, EmploymentStatus, Hukou};
use ablework_domain::roles::Role;
use ablework_domain::working_age::RetirementGroup;
use ablework_store::{
    ApiTokenRecord, AuditFilter, AuditRecord, NewAuditEntry, Page, PersonRecord, SessionRecord,
    StoreError, StoreResult, UserRecord,
};

use crate::{SqlStore, map_err, with_pool};

/// Typed column access shared by both engines' rows.
pub(crate) trait Columns {
    fn i64(&self, column: &str) -> StoreResult<i64>;
    fn opt_i64(&self, column: &str) -> StoreResult<Option<i64>>;
    fn i32(&self, column: &str) -> StoreResult<i32>;
    fn opt_i32(&self, column: &str) -> StoreResult<Option<i32>>;
    fn text(&self, column: &str) -> StoreResult<String>;
    fn opt_text(&self, column: &str) -> StoreResult<Option<String>>;
    fn flag(&self, column: &str) -> StoreResult<bool>;
    fn opt_flag(&self, column: &str) -> StoreResult<Option<bool>>;
    fn bytes(&self, column: &str) -> StoreResult<Vec<u8>>;
    fn opt_bytes(&self, column: &str) -> StoreResult<Option<Vec<u8>>>;
    fn date(&self, column: &str) -> StoreResult<NaiveDate>;
    fn opt_date(&self, column: &str) -> StoreResult<Option<NaiveDate>>;
    fn time(&self, column: &str) -> StoreResult<DateTime<Utc>>;
    fn opt_time(&self, column: &str) -> StoreResult<Option<DateTime<Utc>>>;
}

macro_rules! impl_columns {
    ($row:ty) => {
        impl Columns for $row {
            fn i64(&self, column: &str) -> StoreResult<i64> {
                self.try_get(column).map_err(map_err)
            }
            fn opt_i64(&self, column: &str) -> StoreResult<Option<i64>> {
                self.try_get(column).map_err(map_err)
            }
            fn i32(&self, column: &str) -> StoreResult<i32> {
                self.try_get(column).map_err(map_err)
            }
            fn opt_i32(&self, column: &str) -> StoreResult<Option<i32>> {
                self.try_get(column).map_err(map_err)
            }
            fn text(&self, column: &str) -> StoreResult<String> {
                self.try_get(column).map_err(map_err)
            }
            fn opt_text(&self, column: &str) -> StoreResult<Option<String>> {
                self.try_get(column).map_err(map_err)
            }
            fn flag(&self, column: &str) -> StoreResult<bool> {
                self.try_get(column).map_err(map_err)
            }
            fn opt_flag(&self, column: &str) -> StoreResult<Option<bool>> {
                self.try_get(column).map_err(map_err)
            }
            fn bytes(&self, column: &str) -> StoreResult<Vec<u8>> {
                self.try_get(column).map_err(map_err)
            }
            fn opt_bytes(&self, column: &str) -> StoreResult<Option<Vec<u8>>> {
                self.try_get(column).map_err(map_err)
            }
            fn date(&self, column: &str) -> StoreResult<NaiveDate> {
                self.try_get(column).map_err(map_err)
            }
            fn opt_date(&self, column: &str) -> StoreResult<Option<NaiveDate>> {
                self.try_get(column).map_err(map_err)
            }
            fn time(&self, column: &str) -> StoreResult<DateTime<Utc>> {
                self.try_get(column).map_err(map_err)
            }
            fn opt_time(&self, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
                self.try_get(column).map_err(map_err)
            }
        }
    };
}

impl_columns!(sqlx::sqlite::SqliteRow);
impl_columns!(sqlx::postgres::PgRow);

fn corrupt(column: &str, value: &str) -> StoreError {
    StoreError::Internal(format!("column {column} holds an unknown value {value:?}"))
}

/// A column whose value cannot be read back (a bug or a damaged row).
pub(crate) fn unreadable(column: &str) -> StoreError {
    StoreError::Internal(format!("column {column} holds a value that cannot be read"))
}

/// Who wrote a record and when, from `user_id`, `username` and `at`.
pub(crate) fn recorded(row: &impl Columns) -> StoreResult<ablework_store::Recorded> {
    Ok(ablework_store::Recorded {
        user_id: row.opt_i64("user_id")?,
        username: row.opt_text("username")?,
        at: row.time("at")?,
    })
}

/// Decodes a closed vocabulary from its stored code.
pub(crate) fn code<T>(
    row: &impl Columns,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> StoreResult<T> {
    let value = row.text(column)?;
    parse(&value).ok_or_else(|| corrupt(column, &value))
}

pub(crate) fn opt_code<T>(
    row: &impl Columns,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> StoreResult<Option<T>> {
    match row.opt_text(column)? {
        Some(value) => parse(&value)
            .map(Some)
            .ok_or_else(|| corrupt(column, &value)),
        None => Ok(None),
    }
}

/// A value as the JSON text a list column stores.
pub(crate) fn to_json(value: &impl serde::Serialize) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Internal(e.to_string()))
}

/// A list column's JSON text, decoded.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    row: &impl Columns,
    column: &str,
) -> StoreResult<T> {
    serde_json::from_str(&row.text(column)?).map_err(|_| unreadable(column))
}

/// `COUNT(*) AS n` as an unsigned number.
pub(crate) fn count(row: &impl Columns) -> StoreResult<u64> {
    u64::try_from(row.i64("n")?).map_err(|_| StoreError::Internal("negative count".to_owned()))
}

pub(crate) fn user(row: &impl Columns) -> StoreResult<UserRecord> {
    Ok(UserRecord {
        id: row.i64("id")?,
        username: row.text("username")?,
        password_hash: row.text("password_hash")?,
        role: code(row, "role", Role::parse)?,
        district_code: row.opt_text("district_code")?,
        organisation_id: row.opt_i64("organisation_id")?,
        person_id: row.opt_i64("person_id")?,
        active: row.flag("active")?,
        created_at: row.time("created_at")?,
    })
}

pub(crate) fn session(row: &impl Columns) -> StoreResult<SessionRecord> {
    Ok(SessionRecord {
        token_hash: row.text("token_hash")?,
        user_id: row.i64("user_id")?,
        csrf_token: row.text("csrf_token")?,
        lang: row.text("lang")?,
        created_at: row.time("created_at")?,
        expires_at: row.time("expires_at")?,
    })
}

pub(crate) fn api_token(row: &impl Columns) -> StoreResult<ApiTokenRecord> {
    Ok(ApiTokenRecord {
        id: row.i64("id")?,
        user_id: row.i64("user_id")?,
        prefix: row.text("prefix")?,
        created_at: row.time("created_at")?,
        revoked_at: row.opt_time("revoked_at")?,
    })
}

pub(crate) const PERSON_COLUMNS: &str = "id, name, id_number_enc, id_number_hash, id_number_masked, certificate_enc, \
    certificate_masked, sex, birth_date, category, level, district_code, street, hukou, phone_enc, \
    phone_masked, education, employment_status, retirement_group, registered_on, active, created_at, updated_at";

pub(crate) fn person(row: &impl Columns) -> StoreResult<PersonRecord> {
    Ok(PersonRecord {
        id: row.i64("id")?,
        name: row.text("name")?,
        id_number_enc: row.bytes("id_number_enc")?,
        id_number_hash: row.text("id_number_hash")?,
        id_number_masked: row.text("id_number_masked")?,
        certificate_enc: row.bytes("certificate_enc")?,
        certificate_masked: row.text("certificate_masked")?,
        sex: code(row, "sex", Sex::from_code)?,
        birth_date: row.date("birth_date")?,
        category: code(row, "category", DisabilityCategory::from_code)?,
        level: u8::try_from(row.i32("level")?).map_err(|_| corrupt("level", "out of range"))?,
        district_code: row.text("district_code")?,
        street: row.opt_text("street")?,
        hukou: opt_code(row, "hukou", Hukou::from_code)?,
        phone_enc: row.opt_bytes("phone_enc")?,
        phone_masked: row.opt_text("phone_masked")?,
        education: opt_code(row, "education", Education::from_code)?,
        employment_status: code(row, "employment_status", EmploymentStatus::from_code)?,
        retirement_group: code(row, "retirement_group", RetirementGroup::from_code)?,
        registered_on: row.date("registered_on")?,
        active: row.flag("active")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

pub(crate) const AUDIT_COLUMNS: &str =
    "seq, at, actor_user_id, actor, action, entity, entity_id, request_id, detail, prev_hash, hash";

pub(crate) fn audit(row: &impl Columns) -> StoreResult<AuditRecord> {
    let detail = row.text("detail")?;
    let detail = serde_json::from_str(&detail).map_err(|_| corrupt("detail", &detail))?;
    Ok(AuditRecord {
        seq: row.i64("seq")?,
        entry: NewAuditEntry {
            at: row.time("at")?,
            actor_user_id: row.opt_i64("actor_user_id")?,
            actor: row.text("actor")?,
            action: row.text("action")?,
            entity: row.text("entity")?,
            entity_id: row.opt_text("entity_id")?,
            request_id: row.opt_text("request_id")?,
            detail,
        },
        prev_hash: row.text("prev_hash")?,
        hash: row.text("hash")?,
    })
}

/// Escapes `%`, `_` and `\` so user text is matched literally by `LIKE … ESCAPE '\'`.
pub(crate) fn like_literal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Pushes the audit search's conditions onto a query builder of either engine.
macro_rules! push_audit_conditions {
    ($builder:ident, $filter:expr) => {{
        let filter: &AuditFilter = $filter;
        $builder.push(" WHERE 1 = 1");
        if let Some(actor) = &filter.actor {
            $builder.push(" AND actor = ").push_bind(actor.clone());
        }
        if let Some(action) = &filter.action {
            if action.ends_with('.') {
                $builder
                    .push(" AND action LIKE ")
                    .push_bind(format!("{}%", like_literal(action)))
                    .push(" ESCAPE '\\'");
            } else {
                $builder.push(" AND action = ").push_bind(action.clone());
            }
        }
        if let Some(entity) = &filter.entity {
            $builder.push(" AND entity = ").push_bind(entity.clone());
        }
        if let Some(entity_id) = &filter.entity_id {
            $builder
                .push(" AND entity_id = ")
                .push_bind(entity_id.clone());
        }
        if let Some(from) = filter.from {
            $builder.push(" AND at >= ").push_bind(from);
        }
        if let Some(until) = filter.until {
            $builder.push(" AND at < ").push_bind(until);
        }
    }};
}

pub(crate) async fn search_audit(
    store: &SqlStore,
    filter: &AuditFilter,
) -> StoreResult<Page<AuditRecord>> {
    let per_page = filter.per_page.clamp(1, 500);
    let offset = i64::from(filter.page.max(1) - 1) * i64::from(per_page);
    with_pool!(store, pool => {
        let mut counting = sqlx::QueryBuilder::new("SELECT COUNT(*) AS n FROM audit_log");
        push_audit_conditions!(counting, filter);
        let total = count(&counting.build().fetch_one(pool).await.map_err(map_err)?)?;
        let mut listing = sqlx::QueryBuilder::new(format!("SELECT {AUDIT_COLUMNS} FROM audit_log"));
        push_audit_conditions!(listing, filter);
        listing
            .push(" ORDER BY seq DESC LIMIT ")
            .push_bind(i64::from(per_page))
            .push(" OFFSET ")
            .push_bind(offset);
        let found = listing.build().fetch_all(pool).await.map_err(map_err)?;
        let items = found.iter().map(audit).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total })
    })
}
