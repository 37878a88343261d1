//! People: bulk and single inserts, scoped lists and audited reads.

use ablework_store::{
    ImportCounts, NewAuditEntry, NewPerson, Page, PersonFilter, PersonRecord, PersonScope,
    PersonSort, StoreError, StoreResult,
};

use crate::rows::{self, PERSON_COLUMNS, like_literal};
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

/// The head of a person's insert, up to its values.
macro_rules! insert_person_columns {
    () => {
        "INSERT INTO persons (name, id_number_enc, id_number_hash, id_number_masked, certificate_enc, \
         certificate_masked, sex, birth_date, category, level, district_code, street, hukou, phone_enc, \
         phone_masked, education, employment_status, retirement_group, phone_hash, registered_on, active, \
         created_at, updated_at) "
    };
}

const INSERT_PERSON_COLUMNS: &str = insert_person_columns!();

const INSERT_PERSON: &str = concat!(
    insert_person_columns!(),
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
     $20, $21, $22, $23)"
);

/// People one statement of a batch inserts: 23 values each, within both
/// engines' limits of bound values a statement.
const INSERT_CHUNK: usize = 400;

/// Binds the 19 fields a person's insert and update share, in the order of
/// `INSERT_PERSON` and `UPDATE_PERSON`.
macro_rules! bind_fields {
    ($query:expr, $person:expr) => {
        bind_fields!($query, $person, bind)
    };
    ($query:expr, $person:expr, $method:ident) => {{
        let person: &NewPerson = $person;
        $query
            .$method(&person.name)
            .$method(&person.id_number_enc)
            .$method(&person.id_number_hash)
            .$method(&person.id_number_masked)
            .$method(&person.certificate_enc)
            .$method(&person.certificate_masked)
            .$method(person.sex.code())
            .$method(person.birth_date)
            .$method(person.category.code())
            .$method(i32::from(person.level))
            .$method(&person.district_code)
            .$method(&person.street)
            .$method(person.hukou.map(|h| h.code()))
            .$method(&person.phone_enc)
            .$method(&person.phone_masked)
            .$method(person.education.map(|e| e.code()))
            .$method(person.employment_status.code())
            .$method(person.retirement_group.code())
            .$method(&person.phone_hash)
    }};
}

/// Binds a person's 23 insert parameters in `INSERT_PERSON`'s order.
macro_rules! bind_person {
    ($query:expr, $person:expr) => {
        bind_person!($query, $person, bind)
    };
    ($query:expr, $person:expr, $method:ident) => {{
        let person: &NewPerson = $person;
        bind_fields!($query, person, $method)
            .$method(person.registered_on)
            .$method(true)
            .$method(person.created_at)
            .$method(person.created_at)
    }};
}

pub(crate) async fn insert_many(
    store: &SqlStore,
    persons: &[NewPerson],
    audit: NewAuditEntry,
) -> StoreResult<u64> {
    // A person already registered is skipped, not an error: bulk loads are
    // re-runnable. Both engines accept this conflict clause.
    let sql = format!("{INSERT_PERSON} ON CONFLICT (id_number_hash) DO NOTHING");
    with_tx!(store, tx => {
        let mut inserted = 0;
        for person in persons {
            let query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            let done = bind_person!(query, person).execute(&mut *tx).await.map_err(map_err)?;
            inserted += done.rows_affected();
        }
        append_audit!(tx, audit.with_detail(serde_json::json!({ "inserted": inserted, "offered": persons.len() })));
        Ok(inserted)
    })
}

pub(crate) async fn create(
    store: &SqlStore,
    person: NewPerson,
    audit: NewAuditEntry,
) -> StoreResult<PersonRecord> {
    let sql = format!("{INSERT_PERSON} RETURNING {PERSON_COLUMNS}");
    with_tx!(store, tx => {
        let query = sqlx::query(sqlx::AssertSqlSafe(sql));
        let row = bind_person!(query, &person).fetch_one(&mut *tx).await.map_err(map_err)?;
        let record = rows::person(&row)?;
        append_audit!(tx, audit.with_entity_id(record.id));
        Ok(record)
    })
}

/// Pushes the scope's condition; the scope always comes first so no other
/// filter can widen it.
macro_rules! push_scope {
    ($builder:ident, $scope:expr) => {
        match $scope {
            PersonScope::All => {
                $builder.push(" WHERE 1 = 1");
            }
            PersonScope::District(code) => {
                $builder
                    .push(" WHERE district_code = ")
                    .push_bind(code.clone());
            }
            PersonScope::Person(id) => {
                $builder.push(" WHERE id = ").push_bind(*id);
            }
            PersonScope::Nobody => {
                $builder.push(" WHERE 1 = 0");
            }
        }
    };
}

pub(crate) use push_scope;

/// The district a name search can be narrowed to: the one asked for, or
/// the officer's own. (Both may be given; the outer conditions still hold.)
fn searched_district(filter: &PersonFilter) -> Option<String> {
    match (&filter.district_code, &filter.scope) {
        (Some(code), _) | (None, PersonScope::District(code)) => Some(code.clone()),
        _ => None,
    }
}

/// The fragment of a name search that the grams count alone: one or two
/// characters (a whole gram), with no condition but districts and a scope
/// of the city or one district.
fn whole_gram(filter: &PersonFilter) -> Option<&str> {
    let text = name_fragment(filter)?;
    let plain = filter.id_last4.is_none()
        && filter.id_number_hash.is_none()
        && filter.category.is_none()
        && filter.employment_status.is_none()
        && matches!(filter.scope, PersonScope::All | PersonScope::District(_));
    (plain && text.chars().count() <= 2).then_some(text)
}

fn district_of_scope(scope: &PersonScope) -> Option<String> {
    match scope {
        PersonScope::District(code) => Some(code.clone()),
        _ => None,
    }
}

/// Pushes the candidates of a name search: the people whose name holds the
/// fragment's first pair of characters (or its only one), within the
/// searched district where there is one — one index range of the grams.
macro_rules! push_name_candidates {
    ($builder:ident, $filter:expr, $text:expr) => {{
        let gram: String = $text.chars().take(2).collect();
        $builder
            .push("SELECT person_id FROM person_name_grams WHERE gram = ")
            .push_bind(gram);
        if let Some(code) = searched_district($filter) {
            $builder.push(" AND district_code = ").push_bind(code);
        }
    }};
}

/// The name fragment of a filter, if it searches by name.
fn name_fragment(filter: &PersonFilter) -> Option<&str> {
    filter.name_contains.as_deref().filter(|t| !t.is_empty())
}

/// Pushes the `FROM` of a count of people: the people table, or, by name,
/// the name's candidates joined to it (`CROSS JOIN` keeps that order in
/// SQLite), so the count reads the candidates instead of walking the whole
/// district. The conditions are then pushed `joined`.
macro_rules! push_counted_source {
    ($builder:ident, $filter:expr) => {{
        match name_fragment($filter) {
            Some(text) => {
                $builder.push(" FROM (");
                push_name_candidates!($builder, $filter, text);
                $builder.push(") AS g CROSS JOIN persons");
            }
            None => {
                $builder.push(" FROM persons");
            }
        }
    }};
}

/// Pushes the conditions of a people query, scope first. `joined` says the
/// source was pushed joined to the name's candidates.
macro_rules! push_person_conditions {
    ($builder:ident, $filter:expr, $joined:expr) => {{
        let filter: &PersonFilter = $filter;
        push_scope!($builder, &filter.scope);
        if let Some(text) = name_fragment(filter) {
            // The candidates come by index; LIKE keeps the true matches.
            if $joined {
                $builder.push(" AND id = g.person_id");
            } else {
                $builder.push(" AND id IN (");
                push_name_candidates!($builder, filter, text);
                $builder.push(")");
            }
            $builder
                .push(" AND name LIKE ")
                .push_bind(format!("%{}%", like_literal(text)))
                .push(" ESCAPE '\\'");
        }
        if let Some(last4) = &filter.id_last4 {
            $builder
                .push(" AND substr(id_number_masked, 15, 4) = ")
                .push_bind(last4.clone());
        }
        if let Some(hash) = &filter.id_number_hash {
            $builder
                .push(" AND id_number_hash = ")
                .push_bind(hash.clone());
        }
        if let Some(code) = &filter.district_code {
            $builder
                .push(" AND district_code = ")
                .push_bind(code.clone());
        }
        if let Some(category) = filter.category {
            $builder.push(" AND category = ").push_bind(category.code());
        }
        if let Some(status) = filter.employment_status {
            $builder
                .push(" AND employment_status = ")
                .push_bind(status.code());
        }
    }};
}

fn order_by(sort: PersonSort) -> &'static str {
    match sort {
        PersonSort::RegisteredDesc => " ORDER BY registered_on DESC, id DESC",
        PersonSort::RegisteredAsc => " ORDER BY registered_on, id",
        PersonSort::NameAsc => " ORDER BY name, id",
        PersonSort::BirthDateDesc => " ORDER BY birth_date DESC, id",
        PersonSort::BirthDateAsc => " ORDER BY birth_date, id",
    }
}

pub(crate) async fn list(
    store: &SqlStore,
    filter: &PersonFilter,
) -> StoreResult<Page<PersonRecord>> {
    let per_page = i64::from(filter.per_page.clamp(1, 500));
    let offset =
        i64::try_from(filter.offset()).map_err(|_| StoreError::Internal("offset".to_owned()))?;
    with_pool!(store, pool => {
        let mut counting = sqlx::QueryBuilder::new("SELECT COUNT(*) AS n");
        if let Some(gram) = whole_gram(filter) {
            // Every gram row is one person whose name holds the fragment.
            counting.push(" FROM person_name_grams WHERE gram = ").push_bind(gram.to_owned());
            for code in [&filter.district_code, &district_of_scope(&filter.scope)].into_iter().flatten() {
                counting.push(" AND district_code = ").push_bind(code.clone());
            }
        } else {
            push_counted_source!(counting, filter);
            push_person_conditions!(counting, filter, true);
        }
        let total = rows::count(&counting.build().fetch_one(pool).await.map_err(map_err)?)?;
        let mut listing = sqlx::QueryBuilder::new(format!("SELECT {PERSON_COLUMNS} FROM persons"));
        push_person_conditions!(listing, filter, false);
        listing.push(order_by(filter.sort)).push(" LIMIT ").push_bind(per_page).push(" OFFSET ").push_bind(offset);
        let found = listing.build().fetch_all(pool).await.map_err(map_err)?;
        let items = found.iter().map(rows::person).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total })
    })
}

pub(crate) async fn read(
    store: &SqlStore,
    id: i64,
    scope: &PersonScope,
    audit: NewAuditEntry,
) -> StoreResult<Option<PersonRecord>> {
    with_tx!(store, tx => {
        let mut query = sqlx::QueryBuilder::new(format!("SELECT {PERSON_COLUMNS} FROM persons"));
        push_scope!(query, scope);
        query.push(" AND id = ").push_bind(id);
        let row = query.build().fetch_optional(&mut *tx).await.map_err(map_err)?;
        match row {
            Some(row) => {
                let record = rows::person(&row)?;
                append_audit!(tx, audit);
                Ok(Some(record))
            }
            None => Ok(None),
        }
    })
}

pub(crate) async fn count_by_district(
    store: &SqlStore,
    scope: &PersonScope,
) -> StoreResult<Vec<(String, u64)>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new("SELECT district_code, COUNT(*) AS n FROM persons");
        push_scope!(query, scope);
        query.push(" GROUP BY district_code ORDER BY district_code");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        found
            .iter()
            .map(|row| Ok((rows::Columns::text(row, "district_code")?, rows::count(row)?)))
            .collect()
    })
}

pub(crate) async fn by_id_hashes(
    store: &SqlStore,
    hashes: &[String],
) -> StoreResult<Vec<PersonRecord>> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(format!("SELECT {PERSON_COLUMNS} FROM persons WHERE id_number_hash IN ("));
        let mut separated = query.separated(", ");
        for hash in hashes {
            separated.push_bind(hash.clone());
        }
        query.push(")");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        found.iter().map(rows::person).collect()
    })
}

/// How many ids one statement binds (well under either engine's limit).
const IDS_PER_STATEMENT: usize = 1_000;

pub(crate) async fn by_ids(
    store: &SqlStore,
    ids: &[i64],
    scope: &PersonScope,
) -> StoreResult<Vec<PersonRecord>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let rows = with_pool!(store, pool => {
            let mut query = sqlx::QueryBuilder::new(format!("SELECT {PERSON_COLUMNS} FROM persons"));
            push_scope!(query, scope);
            query.push(" AND id IN (");
            let mut separated = query.separated(", ");
            for id in chunk {
                separated.push_bind(*id);
            }
            query.push(")");
            let rows = query.build().fetch_all(pool).await.map_err(map_err)?;
            rows.iter().map(rows::person).collect::<StoreResult<Vec<_>>>()
        })?;
        found.extend(rows);
    }
    Ok(found)
}

const UPDATE_PERSON: &str = "UPDATE persons SET name = $1, id_number_enc = $2, id_number_hash = $3, \
    id_number_masked = $4, certificate_enc = $5, certificate_masked = $6, sex = $7, birth_date = $8, \
    category = $9, level = $10, district_code = $11, street = $12, hukou = $13, phone_enc = $14, \
    phone_masked = $15, education = $16, employment_status = $17, retirement_group = $18, phone_hash = $19, \
    updated_at = $20 WHERE id = $21";

/// Binds an update's 21 parameters in `UPDATE_PERSON`'s order; the
/// prepared record's creation time is the moment of the change.
macro_rules! bind_update {
    ($query:expr, $person:expr, $id:expr) => {{
        let person: &NewPerson = $person;
        bind_fields!($query, person)
            .bind(person.created_at)
            .bind($id)
    }};
}

pub(crate) async fn apply_batch(
    store: &SqlStore,
    inserts: &[NewPerson],
    updates: &[(i64, NewPerson)],
    audit: NewAuditEntry,
) -> StoreResult<ImportCounts> {
    with_tx!(store, tx => {
        let mut counts = ImportCounts::default();
        // Many people a statement: one round trip to the database for each
        // chunk instead of each person.
        for chunk in inserts.chunks(INSERT_CHUNK) {
            let mut query = sqlx::QueryBuilder::new(INSERT_PERSON_COLUMNS);
            query.push_values(chunk, |mut row, person| {
                bind_person!(row, person, push_bind);
            });
            counts.inserted += query.build().execute(&mut *tx).await.map_err(map_err)?.rows_affected();
        }
        for (id, person) in updates {
            let query = sqlx::query(UPDATE_PERSON);
            let done = bind_update!(query, person, *id).execute(&mut *tx).await.map_err(map_err)?;
            counts.updated += done.rows_affected();
        }
        append_audit!(tx, crate::with_counts(audit, counts));
        Ok(counts)
    })
}

pub(crate) async fn after(
    store: &SqlStore,
    filter: &PersonFilter,
    after_id: i64,
    limit: u32,
) -> StoreResult<Vec<PersonRecord>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(format!("SELECT {PERSON_COLUMNS} FROM persons"));
        push_person_conditions!(query, filter, false);
        query.push(" AND id > ").push_bind(after_id).push(" ORDER BY id LIMIT ").push_bind(i64::from(limit.clamp(1, 10_000)));
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        found.iter().map(rows::person).collect()
    })
}

/// Reads one person inside a scope within a transaction, for a change.
macro_rules! scoped_row {
    ($tx:ident, $id:expr, $scope:expr) => {{
        let mut query = sqlx::QueryBuilder::new(format!("SELECT {PERSON_COLUMNS} FROM persons"));
        push_scope!(query, $scope);
        query.push(" AND id = ").push_bind($id);
        query
            .build()
            .fetch_optional(&mut *$tx)
            .await
            .map_err(map_err)?
    }};
}

pub(crate) async fn update(
    store: &SqlStore,
    id: i64,
    scope: &PersonScope,
    person: NewPerson,
    audit: NewAuditEntry,
) -> StoreResult<Option<PersonRecord>> {
    let sql = format!("{UPDATE_PERSON} RETURNING {PERSON_COLUMNS}");
    with_tx!(store, tx => {
        if scoped_row!(tx, id, scope).is_none() {
            return Ok(None);
        }
        let query = sqlx::query(sqlx::AssertSqlSafe(sql));
        let row = bind_update!(query, &person, id).fetch_one(&mut *tx).await.map_err(map_err)?;
        let record = rows::person(&row)?;
        append_audit!(tx, audit.with_entity_id(id));
        Ok(Some(record))
    })
}

pub(crate) async fn set_active(
    store: &SqlStore,
    id: i64,
    scope: &PersonScope,
    active: bool,
    audit: NewAuditEntry,
) -> StoreResult<Option<PersonRecord>> {
    let sql = format!(
        "UPDATE persons SET active = $1, updated_at = $2 WHERE id = $3 RETURNING {PERSON_COLUMNS}"
    );
    with_tx!(store, tx => {
        if scoped_row!(tx, id, scope).is_none() {
            return Ok(None);
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(active)
            .bind(audit.at)
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let record = rows::person(&row)?;
        append_audit!(tx, audit.with_entity_id(id));
        Ok(Some(record))
    })
}
