//! Opening a database from a URL, migrating it, and throwaway PostgreSQL
//! schemas for tests.

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Executor, SqlSafeStr};

use crate::person_load::LoadLock;
use crate::{Engine, SqlStore};

/// Why a database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL names no engine AbleWork supports.
    #[error(
        "unsupported database URL scheme in {0:?}: use sqlite:PATH or postgres://USER@HOST:PORT/DB"
    )]
    UnknownScheme(String),
    /// The URL could not be parsed.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    /// The server or file could not be opened.
    #[error("cannot open the database: {0}")]
    Open(String),
    /// A migration failed; nothing of it was applied.
    #[error("migration failed: {0}")]
    Migrate(String),
}

fn migration(version: i64, description: &'static str, sql: &'static str) -> Migration {
    Migration::new(
        version,
        Cow::Borrowed(description),
        MigrationType::Simple,
        sql.into_sql_str(),
        false,
    )
}

#[expect(clippy::too_many_lines, reason = "one entry a migration, in order")]
fn sqlite_migrator() -> Migrator {
    Migrator::with_migrations(vec![
        migration(
            1,
            "foundation",
            include_str!("../migrations/sqlite/0001_foundation.sql"),
        ),
        migration(
            2,
            "outcomes",
            include_str!("../migrations/sqlite/0002_outcomes.sql"),
        ),
        migration(
            3,
            "employers",
            include_str!("../migrations/sqlite/0003_employers.sql"),
        ),
        migration(
            4,
            "cases",
            include_str!("../migrations/sqlite/0004_cases.sql"),
        ),
        migration(
            5,
            "outcome details",
            include_str!("../migrations/sqlite/0005_outcome_details.sql"),
        ),
        migration(
            6,
            "graduates",
            include_str!("../migrations/sqlite/0006_graduates.sql"),
        ),
        migration(
            7,
            "name search",
            include_str!("../migrations/sqlite/0007_name_search.sql"),
        ),
        migration(
            8,
            "assessment languages",
            include_str!("../migrations/sqlite/0008_assessment_languages.sql"),
        ),
        migration(
            9,
            "last-four order",
            include_str!("../migrations/sqlite/0009_last4_order.sql"),
        ),
        migration(
            10,
            "name grams by district",
            include_str!("../migrations/sqlite/0010_grams_by_district.sql"),
        ),
        migration(
            11,
            "plan targets",
            include_str!("../migrations/sqlite/0011_plan_targets.sql"),
        ),
        migration(
            12,
            "progress tally",
            include_str!("../migrations/sqlite/0012_progress_tally.sql"),
        ),
        migration(
            13,
            "job postings",
            include_str!("../migrations/sqlite/0013_job_postings.sql"),
        ),
        migration(
            14,
            "job applications",
            include_str!("../migrations/sqlite/0014_job_applications.sql"),
        ),
        migration(
            15,
            "job fairs",
            include_str!("../migrations/sqlite/0015_job_fairs.sql"),
        ),
        migration(
            16,
            "recommendation marks",
            include_str!("../migrations/sqlite/0016_recommendation_marks.sql"),
        ),
        migration(
            17,
            "duplicate review",
            include_str!("../migrations/sqlite/0017_duplicate_review.sql"),
        ),
        migration(
            18,
            "import jobs",
            include_str!("../migrations/sqlite/0018_import_jobs.sql"),
        ),
        migration(
            19,
            "programmes",
            include_str!("../migrations/sqlite/0019_programmes.sql"),
        ),
        migration(
            20,
            "person load",
            include_str!("../migrations/sqlite/0020_person_load.sql"),
        ),
    ])
}

fn postgres_migrator() -> Migrator {
    Migrator::with_migrations(vec![
        migration(
            1,
            "foundation",
            include_str!("../migrations/postgres/0001_foundation.sql"),
        ),
        migration(
            2,
            "outcomes",
            include_str!("../migrations/postgres/0002_outcomes.sql"),
        ),
        migration(
            3,
            "employers",
            include_str!("../migrations/postgres/0003_employers.sql"),
        ),
        migration(
            4,
            "cases",
            include_str!("../migrations/postgres/0004_cases.sql"),
        ),
        migration(
            5,
            "outcome details",
            include_str!("../migrations/postgres/0005_outcome_details.sql"),
        ),
        migration(
            6,
            "graduates",
            include_str!("../migrations/postgres/0006_graduates.sql"),
        ),
        migration(
            7,
            "name search",
            include_str!("../migrations/postgres/0007_name_search.sql"),
        ),
        migration(
            8,
            "assessment languages",
            include_str!("../migrations/postgres/0008_assessment_languages.sql"),
        ),
        migration(
            9,
            "last-four order",
            include_str!("../migrations/postgres/0009_last4_order.sql"),
        ),
        migration(
            10,
            "name grams by district",
            include_str!("../migrations/postgres/0010_grams_by_district.sql"),
        ),
        migration(
            11,
            "plan targets",
            include_str!("../migrations/postgres/0011_plan_targets.sql"),
        ),
        migration(
            12,
            "progress tally",
            include_str!("../migrations/postgres/0012_progress_tally.sql"),
        ),
        migration(
            13,
            "job postings",
            include_str!("../migrations/postgres/0013_job_postings.sql"),
        ),
        migration(
            14,
            "job applications",
            include_str!("../migrations/postgres/0014_job_applications.sql"),
        ),
        migration(
            15,
            "job fairs",
            include_str!("../migrations/postgres/0015_job_fairs.sql"),
        ),
        migration(
            16,
            "recommendation marks",
            include_str!("../migrations/postgres/0016_recommendation_marks.sql"),
        ),
        migration(
            17,
            "duplicate review",
            include_str!("../migrations/postgres/0017_duplicate_review.sql"),
        ),
        migration(
            18,
            "import jobs",
            include_str!("../migrations/postgres/0018_import_jobs.sql"),
        ),
        migration(
            19,
            "programmes",
            include_str!("../migrations/postgres/0019_programmes.sql"),
        ),
    ])
}

/// Hides a password in a URL before it is shown anywhere.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// What a process opens the database for, which sets how its SQLite
/// connections are tuned (PostgreSQL is tuned on the server).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Workload {
    /// Serving pages and commands: SQLite's default page cache (2 MiB a
    /// connection), so eight connections stay small.
    #[default]
    Serve,
    /// A bulk load by one process (`ablework import`): one connection with
    /// a 64 MiB page cache, so a batch's dirty pages and the indexes it
    /// touches stay in memory until the commit (docs/benchmarks.md measures
    /// it).
    Bulk,
}

/// The SQLite page cache of a bulk load, in KiB (`PRAGMA cache_size` takes
/// a negative number as KiB).
const BULK_CACHE_KIB: i64 = 64 * 1024;

impl SqlStore {
    /// Opens the database a URL names: `sqlite:PATH` (created if missing) or
    /// `postgres://…` / `postgresql://…`. Any other scheme is an error.
    pub async fn connect(url: &str) -> Result<SqlStore, ConnectError> {
        Self::connect_for(url, Workload::Serve).await
    }

    /// [`SqlStore::connect`] for a workload.
    pub async fn connect_for(url: &str, workload: Workload) -> Result<SqlStore, ConnectError> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            Self::open_sqlite_for(path, workload).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| ConnectError::InvalidUrl(format!("{}: {e}", redact(url))))?;
            Self::open_postgres(options).await
        } else {
            Err(ConnectError::UnknownScheme(redact(url)))
        }
    }

    /// Opens (creating if needed) a SQLite database file.
    pub async fn open_sqlite(path: &str) -> Result<SqlStore, ConnectError> {
        Self::open_sqlite_for(path, Workload::Serve).await
    }

    async fn open_sqlite_for(path: &str, workload: Workload) -> Result<SqlStore, ConnectError> {
        let mut options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if workload == Workload::Bulk {
            // A person load's rebuild takes seconds a statement by design
            // (`person_load`): information, not a warning on the terminal.
            options = options
                .pragma("cache_size", format!("-{BULK_CACHE_KIB}"))
                .log_slow_statements(log::LevelFilter::Info, Duration::from_secs(1));
        }
        // A bulk load is one process doing one thing at a time: one
        // connection reads the batch's people and writes them, so one page
        // cache holds the indexes both touch and the memory stays that
        // cache's size however long the file.
        let connections = match workload {
            Workload::Serve => 8,
            Workload::Bulk => 1,
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options)
            .await
            .map_err(|e| ConnectError::Open(format!("{path}: {e}")))?;
        Ok(SqlStore {
            engine: Engine::Sqlite(pool),
            load: Arc::new(LoadLock::beside(path)),
        })
    }

    async fn open_postgres(options: PgConnectOptions) -> Result<SqlStore, ConnectError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| ConnectError::Open(e.to_string()))?;
        Ok(SqlStore {
            engine: Engine::Postgres(pool),
            load: Arc::new(LoadLock::default()),
        })
    }

    /// Applies every pending migration of this engine, each in a transaction.
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        let outcome = match &self.engine {
            Engine::Sqlite(pool) => sqlite_migrator().run(pool).await,
            Engine::Postgres(pool) => postgres_migrator().run(pool).await,
        };
        outcome.map_err(|e| ConnectError::Migrate(e.to_string()))?;
        crate::tally::build_if_missing(self)
            .await
            .map_err(|e| ConnectError::Migrate(e.to_string()))?;
        crate::person_load::finish_abandoned(self)
            .await
            .map_err(|e| ConnectError::Migrate(e.to_string()))
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        match &self.engine {
            Engine::Sqlite(pool) => pool.close().await,
            Engine::Postgres(pool) => pool.close().await,
        }
    }

    /// Runs one SQL statement outside any port method. For tests and
    /// operator tools that must reach under the port (e.g. to show that
    /// tampering is detected); the application never uses it.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        let done = match &self.engine {
            Engine::Sqlite(pool) => pool.execute(sql).await?.rows_affected(),
            Engine::Postgres(pool) => pool.execute(sql).await?.rows_affected(),
        };
        Ok(done)
    }
}

/// A PostgreSQL schema made for one test and dropped when the guard drops.
#[derive(Debug)]
pub struct PostgresTestSchema {
    store: SqlStore,
    url: String,
    schema: String,
}

impl PostgresTestSchema {
    /// Creates a fresh schema on the server at `url`, opens a store whose
    /// connections use it, and migrates it. `None` when the server cannot be
    /// reached.
    pub async fn create(url: &str) -> Result<Option<PostgresTestSchema>, ConnectError> {
        let Ok(options) = PgConnectOptions::from_str(url) else {
            return Err(ConnectError::InvalidUrl(redact(url)));
        };
        let Ok(mut admin) = sqlx::PgConnection::connect_with(&options).await else {
            return Ok(None);
        };
        let schema = format!("abw_test_{}", uuid_like());
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .await
            .map_err(|e| ConnectError::Open(e.to_string()))?;
        let _ = admin.close().await;
        // The application name marks this test's connections, so the guard
        // can end them before dropping the schema.
        let scoped = options
            .options([("search_path", schema.as_str())])
            .application_name(&schema);
        let store = SqlStore::open_postgres(scoped).await?;
        store.migrate().await?;
        Ok(Some(PostgresTestSchema {
            store,
            url: url.to_owned(),
            schema,
        }))
    }

    /// The store on the schema.
    pub fn store(&self) -> &SqlStore {
        &self.store
    }
}

impl std::ops::Deref for PostgresTestSchema {
    type Target = SqlStore;
    fn deref(&self) -> &SqlStore {
        &self.store
    }
}

impl Drop for PostgresTestSchema {
    fn drop(&mut self) {
        // Dropping cannot be async, and the test's runtime is blocked while
        // this runs: a short-lived thread with its own runtime and its own
        // connection drops the schema. The pool is left alone; its
        // connections belong to the blocked runtime and close when it ends.
        let url = self.url.clone();
        let schema = self.schema.clone();
        let dropper = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(options) = PgConnectOptions::from_str(&url)
                    && let Ok(mut admin) = sqlx::PgConnection::connect_with(&options).await
                {
                    // A connection the blocked runtime could not roll back
                    // may still hold locks: end the test's connections first.
                    let _ = sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1")
                        .bind(&schema)
                        .execute(&mut admin)
                        .await;
                    let _ = admin
                        .execute(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")))
                        .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = dropper.join();
    }
}

/// A unique-enough lower-case name part for schemas: time and a counter.
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{nanos:x}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
