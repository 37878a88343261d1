//! Loading many people at once into SQLite (`ablework import persons` of a
//! large file).
//!
//! Kept row by row, each person costs a seek into every secondary index of
//! `persons` — two of them on keyed hashes, so at random — and a dozen rows
//! of name grams; once the indexes outgrow the page cache, most of a load's
//! time goes to reading back pages it evicted. So a load sets the secondary
//! indexes and the grams' insert trigger aside and rebuilds them once, each
//! by one sort, when it ends. The unique index on the ID number's hash
//! stays (it is what makes a re-run update instead of duplicate), every
//! batch still commits on its own, and what was set aside is recorded in
//! the same transaction (migration 0020), so a load killed half-way is
//! finished by whichever process next opens the database.
//!
//! One load at a time: a load holds an exclusive lock on the file
//! `PATH-load` beside the database, which the operating system releases
//! when the process ends however it ends. A process that opens the database
//! and finds a load recorded finishes it only if it can take that lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use ablework_store::StoreResult;
use sqlx::{Connection, SqliteConnection, SqlitePool};

use crate::{Engine, SqlStore, map_err};

/// The trigger that writes a new person's name grams, set aside with the
/// indexes; the grams of the people loaded are written in one statement at
/// the end instead.
const GRAMS_TRIGGER: &str = "persons_name_grams_insert";

/// Below this many people expected, a load goes in as usual: rebuilding
/// costs more than it saves.
const MIN_ROWS: u64 = 20_000;

/// The name grams of the people after the first parameter's id, as the
/// grams' triggers write them (migration 0010), sorted in the grams' key
/// order so that they are appended rather than scattered (a name holding a
/// gram twice gives it twice; the second is ignored).
const GRAMS_AFTER: &str = "INSERT OR IGNORE INTO person_name_grams (gram, district_code, person_id) \
     SELECT substr(p.name, n.n, 1), p.district_code, p.id \
     FROM persons p JOIN name_positions n ON n.n <= length(p.name) WHERE p.id > $1 \
     UNION ALL \
     SELECT substr(p.name, n.n, 2), p.district_code, p.id \
     FROM persons p JOIN name_positions n ON n.n < length(p.name) WHERE p.id > $1 \
     ORDER BY 1, 2, 3";

/// The lock file of a SQLite database's person loads, and this process's
/// hold on it.
#[derive(Debug, Default)]
pub(crate) struct LoadLock {
    /// `PATH-load` beside the database; `None` in memory and on PostgreSQL.
    path: Option<PathBuf>,
    /// The open, locked file while this process holds the lock.
    held: Mutex<Option<File>>,
}

impl LoadLock {
    /// The lock of the SQLite database at `database` (a path, or `:memory:`).
    pub(crate) fn beside(database: &str) -> LoadLock {
        let on_disk =
            !database.is_empty() && !database.starts_with(':') && !database.contains("mode=memory");
        LoadLock {
            path: on_disk.then(|| PathBuf::from(format!("{database}-load"))),
            held: Mutex::default(),
        }
    }

    fn held(&self) -> MutexGuard<'_, Option<File>> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the lock unless another process (or another store in this one)
    /// holds it: `false` then, for a database in memory, and when the lock
    /// file cannot be made or locked (said in the log: the people then go
    /// in as usual, and nothing is set aside without the lock).
    fn take(&self) -> bool {
        let Some(path) = &self.path else {
            return false;
        };
        let mut held = self.held();
        if held.is_some() {
            return true;
        }
        let locked = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(path)
            .map_err(TryLockError::Error)
            .and_then(|file| file.try_lock().map(|()| file));
        match locked {
            Ok(file) => {
                *held = Some(file);
                true
            }
            Err(TryLockError::WouldBlock) => false,
            Err(TryLockError::Error(e)) => {
                tracing::warn!(lock = %path.display(), error = %e, "the load lock cannot be taken");
                false
            }
        }
    }

    fn is_held(&self) -> bool {
        self.held().is_some()
    }

    /// Lets the lock go (closing the file unlocks it).
    fn release(&self) {
        self.held().take();
    }
}

/// [`ablework_store::Store::begin_person_load`] on SQLite.
pub(crate) async fn begin(store: &SqlStore, expected: u64) -> StoreResult<bool> {
    let Engine::Sqlite(pool) = &store.engine else {
        return Ok(false);
    };
    if expected < MIN_ROWS || !store.load.take() {
        return Ok(false);
    }
    let began = set_aside(pool, expected).await;
    if !matches!(began, Ok(true)) {
        store.load.release();
    }
    began
}

/// Drops the secondary indexes and the grams trigger, recording them, when
/// the load is large beside the people stored. A load recorded already (one
/// whose process ended without finishing it) is carried on.
async fn set_aside(pool: &SqlitePool, expected: u64) -> StoreResult<bool> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err(map_err)?;
    let recorded: Option<i64> = sqlx::query_scalar("SELECT after_id FROM person_load")
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
    if recorded.is_none() {
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons")
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        // Rebuilding reads every person, the stored too.
        if expected < u64::try_from(stored).unwrap_or(0) / 2 {
            return Ok(false);
        }
        let deferred: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT type, name, sql FROM sqlite_master \
             WHERE tbl_name = 'persons' AND sql IS NOT NULL \
               AND (type = 'index' OR (type = 'trigger' AND name = $1)) \
             ORDER BY name",
        )
        .bind(GRAMS_TRIGGER)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO person_load (id, after_id) SELECT 1, COALESCE(MAX(id), 0) FROM persons",
        )
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        for (kind, name, sql) in deferred {
            sqlx::query("INSERT INTO person_load_deferred (name, sql) VALUES ($1, $2)")
                .bind(&name)
                .bind(&sql)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            let drop = format!("DROP {} \"{name}\"", kind.to_uppercase());
            sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
    }
    tx.commit().await.map_err(map_err)?;
    Ok(true)
}

/// [`ablework_store::Store::finish_person_load`] on SQLite.
pub(crate) async fn finish(store: &SqlStore) -> StoreResult<()> {
    let Engine::Sqlite(pool) = &store.engine else {
        return Ok(());
    };
    if !store.load.is_held() {
        return Ok(());
    }
    rebuild_and_release(store, pool).await
}

/// Finishes a load whose process ended without finishing it, if no process
/// is loading now; run when the database is opened.
pub(crate) async fn finish_abandoned(store: &SqlStore) -> StoreResult<()> {
    let Engine::Sqlite(pool) = &store.engine else {
        return Ok(());
    };
    let recorded: Option<i64> = sqlx::query_scalar("SELECT after_id FROM person_load")
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    if recorded.is_none() {
        return Ok(());
    }
    if !store.load.take() {
        tracing::warn!(
            "people are being loaded by another process: their indexes and name grams are rebuilt when it ends"
        );
        return Ok(());
    }
    tracing::warn!("a load of people ended without rebuilding their indexes; rebuilding them now");
    rebuild_and_release(store, pool).await
}

/// [`rebuild`] with the lock held, letting it go whatever the outcome.
async fn rebuild_and_release(store: &SqlStore, pool: &SqlitePool) -> StoreResult<()> {
    let rebuilt = rebuild(pool).await;
    store.load.release();
    rebuilt
}

/// Recreates what the load set aside and writes the grams of the people it
/// added, in one transaction, and clears the record of the load.
///
/// On one connection with a smaller page cache (SQLite sizes its sorter by
/// it: measured on a million people, 16 MiB rebuilt faster than 64 MiB and
/// in a quarter of the memory) and without foreign-key checks: the grams
/// are read from the people in the same transaction, so their key holds,
/// and checking it would look each person up again, at random, four and a
/// half million times at a million people (12 of a rebuild's 28 seconds).
/// Both settings are put back before the connection returns to the pool;
/// one that cannot be is closed instead.
async fn rebuild(pool: &SqlitePool) -> StoreResult<()> {
    let started = Instant::now();
    let mut conn = pool.acquire().await.map_err(map_err)?;
    let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;
    let rebuilt = match set_for_rebuild(&mut conn, REBUILD_SETTINGS).await {
        Ok(()) => rebuild_on(&mut conn).await,
        Err(e) => Err(e),
    };
    let usual = format!("PRAGMA foreign_keys = ON; PRAGMA cache_size = {cache}");
    if set_for_rebuild(&mut conn, &usual).await.is_err() {
        drop(conn.detach());
    } else {
        drop(conn);
    }
    let Some((indexes, grams)) = rebuilt? else {
        return Ok(());
    };
    // The rebuild went through the write-ahead log, hundreds of megabytes
    // at a million people: copied into the database now and the log cut
    // back, instead of left that size beside it. (A reader in another
    // process may keep it from finishing; the next checkpoint does.)
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await
        .map_err(map_err)?;
    tracing::info!(
        rebuilt = indexes,
        grams,
        seconds = started.elapsed().as_secs_f64(),
        "the people's indexes and name grams are rebuilt"
    );
    Ok(())
}

/// The connection's settings during a rebuild; `shrink_memory` hands the
/// bulk page cache's pages back before the sorter asks for its own.
const REBUILD_SETTINGS: &str =
    "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -16384; PRAGMA shrink_memory";

async fn set_for_rebuild(conn: &mut SqliteConnection, pragmas: &str) -> StoreResult<()> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(pragmas.to_owned()))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

/// The rebuild's transaction: how many indexes and triggers it recreated
/// and how many grams it wrote, or `None` when no load is recorded.
async fn rebuild_on(conn: &mut SqliteConnection) -> StoreResult<Option<(usize, u64)>> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.map_err(map_err)?;
    let Some(after_id) = sqlx::query_scalar::<_, i64>("SELECT after_id FROM person_load")
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
    else {
        return Ok(None);
    };
    let deferred: Vec<String> =
        sqlx::query_scalar("SELECT sql FROM person_load_deferred ORDER BY name")
            .fetch_all(&mut *tx)
            .await
            .map_err(map_err)?;
    for sql in &deferred {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
    }
    let grams = sqlx::query(GRAMS_AFTER)
        .bind(after_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
    for clear in [
        "DELETE FROM person_load_deferred",
        "DELETE FROM person_load",
    ] {
        sqlx::query(clear)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
    }
    tx.commit().await.map_err(map_err)?;
    Ok(Some((deferred.len(), grams)))
}
