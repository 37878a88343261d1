//! Fresh, migrated databases for tests, on either engine.
//!
//! PostgreSQL tests use the server named by `ABLEWORK_TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`), one new schema per
//! test, dropped afterwards. When no server answers they are skipped with a
//! message on stderr — unless `ABLEWORK_REQUIRE_POSTGRES=1` (CI sets it),
//! which turns the skip into a failure.

use std::ops::Deref;

use crate::{PostgresTestSchema, SqlStore};

/// The default test server.
pub const DEFAULT_TEST_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A SQLite store in a temporary directory, removed when dropped.
#[derive(Debug)]
pub struct SqliteTestStore {
    store: SqlStore,
    _dir: tempfile::TempDir,
}

impl Deref for SqliteTestStore {
    type Target = SqlStore;
    fn deref(&self) -> &SqlStore {
        &self.store
    }
}

/// A fresh migrated SQLite store. Always available.
///
/// # Panics
/// When the temporary directory or the database cannot be created: the
/// test cannot run at all then.
#[expect(
    clippy::expect_used,
    reason = "test set-up: failing loudly is the point"
)]
pub async fn fresh_sqlite() -> Option<SqliteTestStore> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("test.db");
    let store = SqlStore::open_sqlite(&path.to_string_lossy())
        .await
        .expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    Some(SqliteTestStore { store, _dir: dir })
}

/// A fresh migrated PostgreSQL schema, or `None` (skipped) when no server
/// answers and PostgreSQL is not required.
///
/// # Panics
/// When PostgreSQL is required but unavailable, or the schema cannot be made.
#[expect(
    clippy::expect_used,
    clippy::panic,
    reason = "test set-up: failing loudly is the point"
)]
pub async fn fresh_postgres() -> Option<PostgresTestSchema> {
    let url = std::env::var("ABLEWORK_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| DEFAULT_TEST_POSTGRES_URL.to_owned());
    let required = std::env::var("ABLEWORK_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    match PostgresTestSchema::create(&url)
        .await
        .expect("create a PostgreSQL test schema")
    {
        Some(schema) => Some(schema),
        None if required => {
            panic!("PostgreSQL is required (ABLEWORK_REQUIRE_POSTGRES=1) but {url} does not answer")
        }
        None => {
            eprintln!(
                "SKIPPED: PostgreSQL at {url} does not answer; set ABLEWORK_TEST_POSTGRES_URL to run the PostgreSQL tests"
            );
            None
        }
    }
}
