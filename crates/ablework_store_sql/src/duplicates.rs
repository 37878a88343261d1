//! Duplicate review of people: candidate pairs, dismissals, merges that
//! record exactly which rows moved, and their undo.

use std::collections::{BTreeMap, BTreeSet};

use ablework_store::{
    MERGED_TABLES, MergeRecord, NewAuditEntry, PersonRecord, PersonScope, StoreError, StoreResult,
};
use chrono::Datelike;

use crate::rows::{self, Columns, PERSON_COLUMNS};
use crate::tally::{refresh_four_ones, retally};
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

const MERGE_COLUMNS: &str =
    "id, kept_id, merged_id, moved, merged_active, merged_by, merged_at, undone_by, undone_at";

/// Pushes ` AND <alias>.<scope condition>`.
macro_rules! push_scope_on {
    ($builder:ident, $alias:literal, $scope:expr) => {
        match $scope {
            PersonScope::All => {}
            PersonScope::District(code) => {
                $builder
                    .push(concat!(" AND ", $alias, ".district_code = "))
                    .push_bind(code.clone());
            }
            PersonScope::Person(id) => {
                $builder
                    .push(concat!(" AND ", $alias, ".id = "))
                    .push_bind(*id);
            }
            PersonScope::Nobody => {
                $builder.push(" AND 1 = 0");
            }
        }
    };
}

/// Reads one person inside a scope within a transaction.
macro_rules! scoped_person {
    ($tx:ident, $id:expr, $scope:expr) => {{
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {PERSON_COLUMNS} FROM persons AS p WHERE p.id = "
        ));
        query.push_bind($id);
        push_scope_on!(query, "p", $scope);
        match query
            .build()
            .fetch_optional(&mut *$tx)
            .await
            .map_err(map_err)?
        {
            Some(row) => Some(rows::person(&row)?),
            None => None,
        }
    }};
}

/// The statement that finds a merged record's rows of `table` that can
/// move to the kept record (`$1` merged, `$2` kept): all of them, or those
/// that do not clash with a row the kept record has (see `MERGED_TABLES`).
fn movable_sql(table: &str, key: &str, clash: Option<&str>) -> String {
    let clash_test = match clash {
        None => String::new(),
        Some("") => {
            format!(" AND NOT EXISTS (SELECT 1 FROM {table} AS o WHERE o.person_id = $2)")
        }
        Some(column) => format!(
            " AND NOT EXISTS (SELECT 1 FROM {table} AS o WHERE o.person_id = $2 AND o.{column} = t.{column})"
        ),
    };
    format!(
        "SELECT t.{key} AS k FROM {table} AS t WHERE t.person_id = $1{clash_test} ORDER BY t.{key}"
    )
}

/// Adds the calendar years of the outcomes `$ids` to `$years`, inside `$tx`.
macro_rules! outcome_years {
    ($tx:ident, $ids:expr, $years:ident) => {{
        let ids: &[i64] = $ids;
        let mut query =
            sqlx::QueryBuilder::new("SELECT started_on FROM employment_outcomes WHERE id IN (");
        let mut separated = query.separated(", ");
        for id in ids {
            separated.push_bind(*id);
        }
        query.push(")");
        for row in query.build().fetch_all(&mut *$tx).await.map_err(map_err)? {
            $years.insert(row.date("started_on")?.year());
        }
    }};
}

fn merge(row: &impl Columns) -> StoreResult<MergeRecord> {
    Ok(MergeRecord {
        id: row.i64("id")?,
        kept_id: row.i64("kept_id")?,
        merged_id: row.i64("merged_id")?,
        moved: rows::from_json(row, "moved")?,
        merged_active: row.flag("merged_active")?,
        merged_by: row.text("merged_by")?,
        merged_at: row.time("merged_at")?,
        undone_by: row.opt_text("undone_by")?,
        undone_at: row.opt_time("undone_at")?,
    })
}

/// The key and clash columns of a merged table.
fn merged_table(table: &str) -> StoreResult<(&'static str, &'static str)> {
    MERGED_TABLES
        .iter()
        .find(|(name, _, _)| *name == table)
        .map(|(name, key, _)| (*name, *key))
        .ok_or_else(|| StoreError::Internal(format!("unknown merged table {table}")))
}

fn ordered(a: i64, b: i64) -> (i64, i64) {
    (a.min(b), a.max(b))
}

pub(crate) async fn candidates(
    store: &SqlStore,
    scope: &PersonScope,
    limit: u32,
) -> StoreResult<Vec<(PersonRecord, PersonRecord)>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT c.a_id, c.b_id FROM (SELECT a.id AS a_id, b.id AS b_id FROM persons AS a \
             JOIN persons AS b ON b.district_code = a.district_code AND b.birth_date = a.birth_date AND b.id > a.id \
             WHERE length(a.name) = length(b.name) AND a.active = ",
        );
        query.push_bind(true).push(" AND b.active = ").push_bind(true);
        push_scope_on!(query, "a", scope);
        push_scope_on!(query, "b", scope);
        query.push(
            " UNION SELECT a.id AS a_id, b.id AS b_id FROM persons AS a \
             JOIN persons AS b ON b.phone_hash = a.phone_hash AND b.id > a.id \
             WHERE a.active = ",
        );
        query.push_bind(true).push(" AND b.active = ").push_bind(true);
        push_scope_on!(query, "a", scope);
        push_scope_on!(query, "b", scope);
        query.push(
            ") AS c WHERE NOT EXISTS (SELECT 1 FROM person_pair_reviews AS r \
             WHERE r.person_a = c.a_id AND r.person_b = c.b_id) ORDER BY c.a_id, c.b_id LIMIT ",
        );
        query.push_bind(i64::from(limit));
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        let pairs = found
            .iter()
            .map(|row| Ok((row.i64("a_id")?, row.i64("b_id")?)))
            .collect::<StoreResult<Vec<_>>>()?;
        let ids: BTreeSet<i64> = pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
        let ids: Vec<i64> = ids.into_iter().collect();
        let people = crate::persons::by_ids(store, &ids, scope).await?;
        let people: BTreeMap<i64, PersonRecord> = people.into_iter().map(|p| (p.id, p)).collect();
        Ok(pairs
            .into_iter()
            .filter_map(|(a, b)| Some((people.get(&a)?.clone(), people.get(&b)?.clone())))
            .collect())
    })
}

pub(crate) async fn dismiss(
    store: &SqlStore,
    a: i64,
    b: i64,
    scope: &PersonScope,
    audit: NewAuditEntry,
) -> StoreResult<()> {
    let (a, b) = ordered(a, b);
    if a == b {
        return Err(StoreError::Conflict("same_person".to_owned()));
    }
    with_tx!(store, tx => {
        if scoped_person!(tx, a, scope).is_none() || scoped_person!(tx, b, scope).is_none() {
            return Err(StoreError::NotFound);
        }
        let done = sqlx::query(
            "INSERT INTO person_pair_reviews (person_a, person_b, decision, decided_by, decided_at) \
             VALUES ($1, $2, 'dismissed', $3, $4) ON CONFLICT (person_a, person_b) DO NOTHING",
        )
        .bind(a)
        .bind(b)
        .bind(audit.actor.clone())
        .bind(audit.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("pair_reviewed".to_owned()));
        }
        append_audit!(tx, audit.with_detail(serde_json::json!({ "a": a, "b": b })));
        Ok(())
    })
}

pub(crate) async fn merge_persons(
    store: &SqlStore,
    kept_id: i64,
    merged_id: i64,
    scope: &PersonScope,
    audit: NewAuditEntry,
) -> StoreResult<MergeRecord> {
    if kept_id == merged_id {
        return Err(StoreError::Conflict("same_person".to_owned()));
    }
    with_tx!(store, tx => {
        let kept = scoped_person!(tx, kept_id, scope).ok_or(StoreError::NotFound)?;
        let merged = scoped_person!(tx, merged_id, scope).ok_or(StoreError::NotFound)?;
        if !kept.active || !merged.active {
            return Err(StoreError::Conflict("person_inactive".to_owned()));
        }
        let mut moved: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        let mut years = BTreeSet::new();
        for (table, key, clash) in MERGED_TABLES {
            let found = sqlx::query(sqlx::AssertSqlSafe(movable_sql(table, key, *clash)))
            .bind(merged_id)
            .bind(kept_id)
            .fetch_all(&mut *tx)
            .await
            .map_err(map_err)?;
            let keys = found.iter().map(|row| row.i64("k")).collect::<StoreResult<Vec<_>>>()?;
            if keys.is_empty() {
                continue;
            }
            if *table == "employment_outcomes" {
                outcome_years!(tx, &keys, years);
            }
            let mut update = sqlx::QueryBuilder::new(format!("UPDATE {table} SET person_id = "));
            update.push_bind(kept_id).push(" WHERE person_id = ").push_bind(merged_id);
            update.push(format!(" AND {key} IN ("));
            let mut separated = update.separated(", ");
            for id in &keys {
                separated.push_bind(*id);
            }
            update.push(")");
            update.build().execute(&mut *tx).await.map_err(map_err)?;
            moved.insert((*table).to_owned(), keys);
        }
        let pairs: BTreeSet<(i64, i32)> = years
            .iter()
            .flat_map(|year| [(kept_id, *year), (merged_id, *year)])
            .collect();
        retally!(tx, &pairs);
        refresh_four_ones!(tx, kept_id);
        refresh_four_ones!(tx, merged_id);
        sqlx::query("UPDATE persons SET active = $1 WHERE id = $2")
            .bind(false)
            .bind(merged_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let (a, b) = ordered(kept_id, merged_id);
        sqlx::query(
            "INSERT INTO person_pair_reviews (person_a, person_b, decision, decided_by, decided_at) \
             VALUES ($1, $2, 'merged', $3, $4) ON CONFLICT (person_a, person_b) \
             DO UPDATE SET decision = 'merged', decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        )
        .bind(a)
        .bind(b)
        .bind(audit.actor.clone())
        .bind(audit.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO person_merges (kept_id, merged_id, moved, merged_active, merged_by, merged_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {MERGE_COLUMNS}"
        )))
        .bind(kept_id)
        .bind(merged_id)
        .bind(rows::to_json(&moved)?)
        .bind(merged.active)
        .bind(audit.actor.clone())
        .bind(audit.at)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let record = merge(&row)?;
        append_audit!(
            tx,
            audit
                .with_entity_id(record.id)
                .with_detail(serde_json::json!({ "kept": kept_id, "merged": merged_id, "moved": moved }))
        );
        Ok(record)
    })
}

pub(crate) async fn undo_merge(
    store: &SqlStore,
    merge_id: i64,
    scope: &PersonScope,
    audit: NewAuditEntry,
) -> StoreResult<MergeRecord> {
    with_tx!(store, tx => {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MERGE_COLUMNS} FROM person_merges WHERE id = $1"
        )))
        .bind(merge_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        let record = merge(&row)?;
        if scoped_person!(tx, record.kept_id, scope).is_none()
            || scoped_person!(tx, record.merged_id, scope).is_none()
        {
            return Err(StoreError::NotFound);
        }
        if record.undone_at.is_some() {
            return Err(StoreError::Conflict("merge_undone".to_owned()));
        }
        let mut years = BTreeSet::new();
        for (table, keys) in &record.moved {
            let (table, key) = merged_table(table)?;
            if keys.is_empty() {
                continue;
            }
            let mut update = sqlx::QueryBuilder::new(format!("UPDATE {table} SET person_id = "));
            update.push_bind(record.merged_id).push(" WHERE person_id = ").push_bind(record.kept_id);
            update.push(format!(" AND {key} IN ("));
            let mut separated = update.separated(", ");
            for id in keys {
                separated.push_bind(*id);
            }
            update.push(")");
            let done = update.build().execute(&mut *tx).await.map_err(map_err)?;
            if usize::try_from(done.rows_affected()).ok() != Some(keys.len()) {
                return Err(StoreError::Conflict("merge_changed".to_owned()));
            }
            if table == "employment_outcomes" {
                outcome_years!(tx, keys, years);
            }
        }
        let pairs: BTreeSet<(i64, i32)> = years
            .iter()
            .flat_map(|year| [(record.kept_id, *year), (record.merged_id, *year)])
            .collect();
        retally!(tx, &pairs);
        refresh_four_ones!(tx, record.kept_id);
        refresh_four_ones!(tx, record.merged_id);
        sqlx::query("UPDATE persons SET active = $1 WHERE id = $2")
            .bind(record.merged_active)
            .bind(record.merged_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let (a, b) = ordered(record.kept_id, record.merged_id);
        sqlx::query("DELETE FROM person_pair_reviews WHERE person_a = $1 AND person_b = $2")
            .bind(a)
            .bind(b)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE person_merges SET undone_by = $1, undone_at = $2 WHERE id = $3 RETURNING {MERGE_COLUMNS}"
        )))
        .bind(audit.actor.clone())
        .bind(audit.at)
        .bind(merge_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let undone = merge(&row)?;
        append_audit!(
            tx,
            audit.with_entity_id(merge_id).with_detail(serde_json::json!({
                "kept": undone.kept_id,
                "merged": undone.merged_id,
                "moved": undone.moved,
            }))
        );
        Ok(undone)
    })
}

pub(crate) async fn merges(
    store: &SqlStore,
    scope: &PersonScope,
    open_only: bool,
) -> StoreResult<Vec<MergeRecord>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT m.id, m.kept_id, m.merged_id, m.moved, m.merged_active, m.merged_by, m.merged_at, \
             m.undone_by, m.undone_at FROM person_merges AS m \
             JOIN persons AS a ON a.id = m.kept_id JOIN persons AS b ON b.id = m.merged_id WHERE 1 = 1",
        );
        push_scope_on!(query, "a", scope);
        push_scope_on!(query, "b", scope);
        if open_only {
            query.push(" AND m.undone_at IS NULL");
        }
        query.push(" ORDER BY m.id DESC");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        found.iter().map(merge).collect()
    })
}

pub(crate) async fn unhashed_phones(
    store: &SqlStore,
    limit: u32,
) -> StoreResult<Vec<(i64, Vec<u8>)>> {
    with_pool!(store, pool => {
        let found = sqlx::query(
            "SELECT id, phone_enc FROM persons WHERE phone_hash IS NULL AND phone_enc IS NOT NULL ORDER BY id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        found
            .iter()
            .map(|row| Ok((row.i64("id")?, row.bytes("phone_enc")?)))
            .collect()
    })
}

pub(crate) async fn set_phone_hashes(
    store: &SqlStore,
    hashes: &[(i64, String)],
    audit: NewAuditEntry,
) -> StoreResult<()> {
    with_tx!(store, tx => {
        for (id, hash) in hashes {
            sqlx::query("UPDATE persons SET phone_hash = $1 WHERE id = $2 AND phone_hash IS NULL")
                .bind(hash)
                .bind(*id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        append_audit!(tx, audit.with_detail(serde_json::json!({ "hashed": hashes.len() })));
        Ok(())
    })
}
