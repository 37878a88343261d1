//! A load of many people into SQLite with the people's indexes set aside:
//! rebuilt exactly as the schema has them when it ends, with the name grams
//! of everyone loaded, or by the next opening when its process died.

#![expect(
    clippy::unwrap_used,
    reason = "a test: a failure should stop it, loudly"
)]

use std::path::Path;

use ablework_store::conformance::person;
use ablework_store::{NewAuditEntry, NewPerson, Store};
use ablework_store_sql::SqlStore;
use chrono::Utc;
use sqlx::SqlitePool;

fn audit() -> NewAuditEntry {
    NewAuditEntry::new(Utc::now(), None, "test", "person.import", "person")
}

async fn open(path: &Path) -> SqlStore {
    let store = SqlStore::open_sqlite(&path.to_string_lossy())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store
}

/// A connection beside the store's, to read the schema.
async fn watch(path: &Path) -> SqlitePool {
    SqlitePool::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap()
}

/// Every index and trigger of the database, with its SQL.
async fn schema(pool: &SqlitePool) -> Vec<(String, Option<String>)> {
    sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Name grams missing from the table, and grams there that no name has:
/// both empty when the grams are exactly those of the people's names.
async fn stray_grams(pool: &SqlitePool) -> (i64, i64) {
    const ALL: &str = "SELECT * FROM (SELECT substr(p.name, n.n, 1), p.district_code, p.id \
         FROM persons p JOIN name_positions n ON n.n <= length(p.name) \
         UNION SELECT substr(p.name, n.n, 2), p.district_code, p.id \
         FROM persons p JOIN name_positions n ON n.n < length(p.name))";
    let missing = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM ({ALL} EXCEPT SELECT gram, district_code, person_id FROM person_name_grams)"
    )))
    .fetch_one(pool)
    .await
    .unwrap();
    let stray = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM (SELECT gram, district_code, person_id FROM person_name_grams EXCEPT {ALL})"
    )))
    .fetch_one(pool)
    .await
    .unwrap();
    (missing, stray)
}

async fn id_of(pool: &SqlitePool, hash: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM persons WHERE id_number_hash = $1")
        .bind(hash)
        .fetch_one(pool)
        .await
        .unwrap()
}

fn people(from: u32, to: u32) -> Vec<NewPerson> {
    const NAMES: [&str; 4] = ["张伟", "王秀英", "李娜", "欧阳明月"];
    const DISTRICTS: [&str; 3] = ["120101", "120102", "120116"];
    (from..to)
        .map(|n| person(n, NAMES[n as usize % 4], DISTRICTS[n as usize % 3]))
        .collect()
}

#[tokio::test]
async fn a_load_sets_the_indexes_aside_and_rebuilds_them_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("load.db");
    let store = open(&path).await;
    let pool = watch(&path).await;
    let migrated = schema(&pool).await;
    store
        .apply_person_batch(&people(0, 10), &[], audit())
        .await
        .unwrap();

    // A few people go in as usual; many are a load.
    assert!(!store.begin_person_load(100).await.unwrap());
    assert_eq!(schema(&pool).await, migrated);
    assert!(store.begin_person_load(30_000).await.unwrap());
    let during = schema(&pool).await;
    let names: Vec<&str> = during.iter().map(|(name, _)| name.as_str()).collect();
    assert!(!names.contains(&"persons_name"), "{names:?}");
    assert!(!names.contains(&"persons_phone_hash"), "{names:?}");
    assert!(!names.contains(&"persons_name_grams_insert"), "{names:?}");
    // The ID numbers stay unique, and the other tables keep their indexes.
    assert!(names.contains(&"sqlite_autoindex_persons_1"), "{names:?}");
    assert!(names.contains(&"persons_name_grams_update"), "{names:?}");
    assert!(names.contains(&"audit_log_at"), "{names:?}");

    // Another process (here another store) neither loads nor rebuilds
    // meanwhile.
    let other = open(&path).await;
    assert!(!other.begin_person_load(30_000).await.unwrap());
    assert_eq!(schema(&pool).await, during);

    // New people, a renamed one and a duplicate ID number.
    let mut renamed = person(3, "赵丽", "120101");
    renamed.street = None;
    let renamed_id = id_of(&pool, "hash-3").await;
    store
        .apply_person_batch(&people(10, 60), &[(renamed_id, renamed)], audit())
        .await
        .unwrap();
    assert!(
        store
            .apply_person_batch(&people(5, 6), &[], audit())
            .await
            .is_err(),
        "an ID number stored already is refused during a load"
    );

    store.finish_person_load().await.unwrap();
    assert_eq!(schema(&pool).await, migrated);
    assert_eq!(stray_grams(&pool).await, (0, 0));
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");

    // Finished, the lock is free for the next load.
    assert!(other.begin_person_load(30_000).await.unwrap());
    other.finish_person_load().await.unwrap();
    assert_eq!(schema(&pool).await, migrated);
}

#[tokio::test]
async fn a_load_whose_process_died_is_finished_when_the_database_is_next_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("load.db");
    let store = open(&path).await;
    let pool = watch(&path).await;
    {
        assert!(store.begin_person_load(50_000).await.unwrap());
        store
            .apply_person_batch(&people(0, 40), &[], audit())
            .await
            .unwrap();
        // Closing without finishing lets the lock go, as the end of a
        // killed process does.
        store.close().await;
        drop(store);
    }
    let left: Vec<String> = sqlx::query_scalar("SELECT name FROM person_load_deferred")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(left.contains(&"persons_name".to_owned()), "{left:?}");

    let reopened = open(&path).await;
    let fresh = open(&dir.path().join("fresh.db")).await;
    let fresh_pool = watch(&dir.path().join("fresh.db")).await;
    assert_eq!(schema(&pool).await, schema(&fresh_pool).await);
    assert_eq!(stray_grams(&pool).await, (0, 0));
    let grams: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person_name_grams")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(grams >= 40 * 3, "{grams}");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person_load")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    drop((reopened, fresh));
}

#[tokio::test]
async fn postgres_keeps_its_indexes_through_a_load() {
    let Some(store) = ablework_store_sql::testing::fresh_postgres().await else {
        return;
    };
    assert!(!store.begin_person_load(1_000_000).await.unwrap());
    store.finish_person_load().await.unwrap();
}
