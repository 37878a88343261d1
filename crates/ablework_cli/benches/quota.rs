//! The quota of a Tianjin year on a real database (issue 4's acceptance):
//! `cargo bench -p ablework_cli --bench quota`. The numbers are in
//! docs/benchmarks.md.
//!
//! Each engine is seeded once, outside the timed part, through the demo's
//! own path (`App::seed_demo`): 20,000 people and 40,000 employers, each
//! with a declaration for 2023 and 2024, so a data year holds 40,000
//! declarations. Then:
//!
//! - `*_what_if_40k`: `App::what_if` end to end: the year read from the
//!   store and every declaration assessed under its own preset and under a
//!   stored alternative (the default preset with a quota rate of 1.7%).
//! - `*_assess_year_rust`: the year read from the store and each
//!   declaration assessed once, under its recorded preset.
//! - `postgres_assess_year_sql`: the same assessment as one SQL query on
//!   PostgreSQL, returning each declaration's levy. Before it is timed its
//!   levies are compared with the Rust ones, declaration by declaration.
//!
//! SQLite lives in a temporary directory and PostgreSQL in a schema of its
//! own on `ABLEWORK_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); both are removed at the end.
//! When PostgreSQL does not answer, its benchmarks say so and are skipped.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark set-up: failing loudly is the point"
)]

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};
use std::time::Instant;

use ablework_app::employers::to_levy;
use ablework_app::{Actor, App, AppConfig, SystemClock};
use ablework_domain::levy;
use ablework_domain::policy::{PolicyPreset, default_preset};
use ablework_store::{EmployerScope, Store};
use ablework_store_sql::SqlStore;
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::Row;

/// Synthetic people, for the employers to declare.
const PERSONS: usize = 20_000;
/// Synthetic employers: one declaration each per data year.
const EMPLOYERS: usize = 40_000;
/// The demo's default seed.
const SEED: u64 = 2022;
/// The data year assessed.
const YEAR: i32 = 2024;
/// The stored alternative preset of the what-if.
const ALTERNATIVE: &str = "bench-rate-1-7";

/// The runtime every database call runs on (the pools belong to it).
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
});

static SQLITE: OnceLock<Fixture> = OnceLock::new();
static POSTGRES: OnceLock<Option<Fixture>> = OnceLock::new();
/// The SQLite directory, removed after the run.
static SQLITE_DIR: Mutex<Option<tempfile::TempDir>> = Mutex::new(None);
/// The PostgreSQL server and schema, dropped after the run.
static PG_SCHEMA: Mutex<Option<(String, String)>> = Mutex::new(None);

/// One seeded engine.
struct Fixture {
    app: App,
    store: SqlStore,
    /// A pool of our own on the same schema, for the SQL path (PostgreSQL).
    pg: Option<sqlx::PgPool>,
}

fn main() {
    // Removes the databases when the run ends, also when it fails.
    let _cleanup = Cleanup;
    divan::main();
}

struct Cleanup;

impl Drop for Cleanup {
    fn drop(&mut self) {
        cleanup();
    }
}

fn cleanup() {
    if let Some(fixture) = SQLITE.get() {
        RUNTIME.block_on(fixture.store.close());
    }
    if let Some(Some(fixture)) = POSTGRES.get() {
        RUNTIME.block_on(async {
            fixture.store.close().await;
            if let Some(pool) = &fixture.pg {
                pool.close().await;
            }
        });
    }
    drop(SQLITE_DIR.lock().ok().and_then(|mut dir| dir.take()));
    if let Some((url, schema)) = PG_SCHEMA.lock().ok().and_then(|mut schema| schema.take()) {
        RUNTIME.block_on(async {
            let admin = sqlx::PgPool::connect(&url)
                .await
                .expect("connect to drop the schema");
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE"
            )))
            .execute(&admin)
            .await
            .expect("drop the benchmark schema");
            admin.close().await;
        });
    }
}

/// The default preset with a quota rate of 1.7%, stored under its own id.
fn alternative_preset() -> PolicyPreset {
    let mut preset = default_preset();
    ALTERNATIVE.clone_into(&mut preset.id);
    "基准测试：比例 1.7%".clone_into(&mut preset.name_zh);
    "Benchmark: rate 1.7%".clone_into(&mut preset.name_en);
    preset.quota.rate = Decimal::new(17, 3);
    preset
}

/// Seeds a migrated, empty store and stores the alternative preset.
async fn seed(engine: &str, store: SqlStore, pg: Option<sqlx::PgPool>) -> Fixture {
    let app = App::new(
        Arc::new(store.clone()),
        AppConfig::with_secret([7; 64]),
        Arc::new(SystemClock),
    );
    let started = Instant::now();
    app.seed_demo(PERSONS, EMPLOYERS, SEED, &|_| {})
        .await
        .expect("seed the demo data");
    app.save_preset(&Actor::operator(None), alternative_preset())
        .await
        .expect("store the alternative preset");
    let seeded = started.elapsed();
    let year = store
        .declarations_of_year(YEAR, &EmployerScope::All)
        .await
        .expect("read the year");
    let employees: usize = year.iter().map(|d| d.figures.employees.len()).sum();
    eprintln!(
        "{engine}: seeded {PERSONS} people and {EMPLOYERS} employers (two data years) in {seeded:.1?}; \
         data year {YEAR}: {} declarations, {employees} declared disabled employees",
        year.len()
    );
    Fixture { app, store, pg }
}

fn sqlite() -> &'static Fixture {
    SQLITE.get_or_init(|| {
        RUNTIME.block_on(async {
            let dir = tempfile::tempdir().expect("temporary directory");
            let path = dir.path().join("bench.db");
            let store = SqlStore::open_sqlite(&path.to_string_lossy())
                .await
                .expect("open sqlite");
            store.migrate().await.expect("migrate sqlite");
            *SQLITE_DIR.lock().unwrap() = Some(dir);
            seed("sqlite", store, None).await
        })
    })
}

fn postgres() -> Option<&'static Fixture> {
    POSTGRES
        .get_or_init(|| RUNTIME.block_on(open_postgres()))
        .as_ref()
}

async fn open_postgres() -> Option<Fixture> {
    let url = std::env::var("ABLEWORK_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| ablework_store_sql::testing::DEFAULT_TEST_POSTGRES_URL.to_owned());
    let Ok(admin) = sqlx::PgPool::connect(&url).await else {
        eprintln!("postgres: skipped: no server answers at {url}");
        return None;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let schema = format!("abw_bench_{}_{nanos:x}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .expect("create the benchmark schema");
    admin.close().await;
    *PG_SCHEMA.lock().unwrap() = Some((url.clone(), schema.clone()));
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options[search_path]={schema}&application_name={schema}");
    let store = SqlStore::connect(&scoped).await.expect("open postgres");
    store.migrate().await.expect("migrate postgres");
    let pool = sqlx::PgPool::connect(&scoped).await.expect("second pool");
    let fixture = seed("postgres", store, Some(pool.clone())).await;
    // Planner statistics, as autovacuum would gather them on a server that
    // has held the data a while; without them the plans depend on when
    // autovacuum happens to run.
    sqlx::query("ANALYZE employers, declarations, declaration_employees, persons")
        .execute(&pool)
        .await
        .expect("analyze");
    verify_sql(&fixture).await;
    Some(fixture)
}

/// Each declaration of the year assessed once under its recorded preset,
/// in Rust: `(declaration id, levy)`.
async fn assess_year_rust(fixture: &Fixture) -> Vec<(i64, Decimal)> {
    let records = fixture
        .store
        .declarations_of_year(YEAR, &EmployerScope::All)
        .await
        .expect("read the year");
    let presets = fixture.app.presets().await.expect("presets");
    let fallback = default_preset();
    records
        .iter()
        .filter_map(|record| {
            let preset = presets
                .iter()
                .find(|p| p.id == record.figures.policy_id)
                .unwrap_or(&fallback);
            let calculation = levy::assess_with(&to_levy(record), preset).ok()?;
            Some((record.id, calculation.levy()))
        })
        .collect()
}

/// The numbers of every preset, for the SQL query to join by id.
fn presets_json(presets: &[PolicyPreset]) -> String {
    let rows: Vec<_> = presets
        .iter()
        .map(|p| {
            json!({
                "id": p.id,
                "rate": p.quota.rate.to_string(),
                "double_weight": p.quota.double_weight.to_string(),
                "double_max_level": p.quota.double_count_max_disability_level,
                "cap_multiple": p.levy.wage_cap_multiple.to_string(),
                "small_max": p.levy.small_enterprise_max_headcount.to_string(),
                "exempt_from": p.levy.exemption_window.from,
                "exempt_to": p.levy.exemption_window.to,
                "tier_from": p.levy.tier_window.from,
                "tier_to": p.levy.tier_window.to,
                "threshold": p.levy.tier_threshold_ratio.to_string(),
                "factor_at_or_above": p.levy.tier_factor_at_or_above.to_string(),
                "factor_below": p.levy.tier_factor_below.to_string(),
                "places": p.levy.money_decimal_places,
            })
        })
        .collect();
    serde_json::Value::Array(rows).to_string()
}

/// DOMAIN.md §3–4 as one query, exact like `ablework_domain::levy`: N and D
/// are carried in twelfths (`n12`, `d12`), nothing is divided until the
/// levy, and the levy `num / den` is rounded half-up to the preset's places
/// with integer division, `div(2·num·10^p + den, 2·den) / 10^p`, so no
/// inexact quotient can land on the wrong side of a midpoint. `$1` is the
/// presets (JSON, joined on the declaration's recorded `policy_id`), `$2`
/// the data year.
const ASSESS_YEAR_SQL: &str = r"
WITH p AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(
        id text, rate numeric, double_weight numeric, double_max_level integer,
        cap_multiple numeric, small_max numeric, exempt_from date, exempt_to date,
        tier_from date, tier_to date, threshold numeric, factor_at_or_above numeric,
        factor_below numeric, places integer)
),
figures AS (
    -- The sums are in FROM (LATERAL), so each is computed once a row.
    SELECT d.id, d.declared_on, e.kind, p.rate, p.cap_multiple, p.small_max,
        p.exempt_from, p.exempt_to, p.tier_from, p.tier_to, p.threshold,
        p.factor_at_or_above, p.factor_below, p.places,
        d.total_wages::numeric AS total_wages,
        d.social_average_wage::numeric AS social,
        staff.twelfths + seasonal.twelfths AS n12,
        counted.twelfths AS d12
    FROM declarations d
    JOIN employers e ON e.id = d.employer_id
    JOIN p ON p.id = d.policy_id
    CROSS JOIN LATERAL (
        SELECT COALESCE(SUM(m::numeric), 0) AS twelfths
        FROM jsonb_array_elements_text(d.monthly_headcount::jsonb) AS m
    ) AS staff
    CROSS JOIN LATERAL (
        SELECT COALESCE(SUM((s ->> 0)::numeric * (s ->> 1)::numeric), 0) AS twelfths
        FROM jsonb_array_elements(d.seasonal::jsonb) AS s
    ) AS seasonal
    CROSS JOIN LATERAL (
        -- An employee counts only when all three conditions hold.
        SELECT COALESCE(SUM(
                   CASE WHEN x.level <= p.double_max_level THEN p.double_weight ELSE 1 END
                   * (x.to_month - x.from_month + 1)), 0) AS twelfths
        FROM declaration_employees x
        WHERE x.declaration_id = d.id
          AND x.contract_ok AND x.min_wage_ok AND x.insured_ok
    ) AS counted
    WHERE d.data_year = $2
),
shortfall AS (
    SELECT f.*, GREATEST(f.n12 * f.rate - f.d12, 0) AS g12,
        f.cap_multiple * f.social AS cap
    FROM figures f
),
factored AS (
    SELECT s.*,
        CASE
            WHEN s.kind = 'enterprise' AND s.n12 <= s.small_max * 12
                 AND s.declared_on BETWEEN s.exempt_from AND s.exempt_to THEN 0
            WHEN s.g12 = 0 THEN 0
            WHEN s.declared_on BETWEEN s.tier_from AND s.tier_to THEN
                CASE WHEN s.d12 >= s.threshold * s.n12
                     THEN s.factor_at_or_above ELSE s.factor_below END
            ELSE 1
        END AS factor
    FROM shortfall s
),
fraction AS (
    -- levy = G × Wc × factor with G = g12 / 12 and Wc = min(W, cap),
    -- W = total_wages / N = total_wages × 12 / n12.
    SELECT f.id, f.places, power(10::numeric, f.places) AS scale,
        CASE WHEN f.total_wages * 12 > f.cap * f.n12
             THEN f.g12 * f.cap * f.factor
             ELSE f.g12 * f.total_wages * f.factor END AS num,
        CASE WHEN f.total_wages * 12 > f.cap * f.n12 THEN 12::numeric ELSE f.n12 END AS den
    FROM factored f
)
SELECT id, ROUND(div(2 * num * scale + den, 2 * den) / scale, places)::text AS levy
FROM fraction
ORDER BY id
";

/// The year's levies from the one SQL query: `(declaration id, levy)`.
/// With `jit` false the query runs in a transaction with `SET LOCAL jit =
/// off`; otherwise under the server's settings.
async fn assess_year_sql(pool: &sqlx::PgPool, presets: &str, jit: bool) -> Vec<(i64, Decimal)> {
    let mut tx = pool.begin().await.expect("begin");
    if !jit {
        sqlx::query("SET LOCAL jit = off")
            .execute(&mut *tx)
            .await
            .expect("jit off");
    }
    let rows = sqlx::query(ASSESS_YEAR_SQL)
        .bind(presets)
        .bind(YEAR)
        .fetch_all(&mut *tx)
        .await
        .expect("the assessment query")
        .iter()
        .map(|row| {
            let id: i64 = row.get("id");
            let levy: String = row.get("levy");
            (id, Decimal::from_str(&levy).expect("a decimal levy"))
        })
        .collect();
    tx.commit().await.expect("commit");
    rows
}

/// Compares the SQL levies with the Rust ones, declaration by declaration,
/// and stops the run if any differs.
async fn verify_sql(fixture: &Fixture) {
    let pool = fixture.pg.as_ref().expect("postgres pool");
    let presets = presets_json(&fixture.app.presets().await.expect("presets"));
    let rust: HashMap<i64, Decimal> = assess_year_rust(fixture).await.into_iter().collect();
    let sql: HashMap<i64, Decimal> = assess_year_sql(pool, &presets, true)
        .await
        .into_iter()
        .collect();
    let mut mismatches: Vec<_> = rust
        .iter()
        .filter(|(id, levy)| sql.get(id) != Some(levy))
        .map(|(id, levy)| (*id, Some(*levy), sql.get(id).copied()))
        .chain(
            sql.iter()
                .filter(|(id, _)| !rust.contains_key(id))
                .map(|(id, levy)| (*id, None, Some(*levy))),
        )
        .collect();
    mismatches.sort_unstable();
    let total: Decimal = rust.values().sum();
    eprintln!(
        "postgres: SQL levies checked against the Rust assessment: {} declarations (Rust), {} (SQL), \
         {} mismatches; levy of the year {total}",
        rust.len(),
        sql.len(),
        mismatches.len()
    );
    for (id, rust, sql) in mismatches.iter().take(10) {
        eprintln!("  declaration {id}: Rust {rust:?}, SQL {sql:?}");
    }
    assert!(
        mismatches.is_empty(),
        "the SQL assessment differs from the Rust one"
    );
}

// ---- SQLite ---------------------------------------------------------------

/// `App::what_if` over a year of 40,000 declarations on SQLite.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn sqlite_what_if_40k(bencher: divan::Bencher) {
    let fixture = sqlite();
    let actor = Actor::operator(None);
    bencher.bench_local(|| {
        RUNTIME
            .block_on(fixture.app.what_if(&actor, YEAR, ALTERNATIVE))
            .expect("what-if")
    });
}

/// The year's 40,000 declarations read from SQLite and assessed once.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn sqlite_assess_year_40k(bencher: divan::Bencher) {
    let fixture = sqlite();
    bencher.bench_local(|| RUNTIME.block_on(assess_year_rust(fixture)));
}

// ---- PostgreSQL -------------------------------------------------------------

/// `App::what_if` over the same year on PostgreSQL.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn postgres_what_if_40k(bencher: divan::Bencher) {
    let Some(fixture) = postgres() else {
        eprintln!("postgres_what_if_40k: skipped (no PostgreSQL)");
        return;
    };
    let actor = Actor::operator(None);
    bencher.bench_local(|| {
        RUNTIME
            .block_on(fixture.app.what_if(&actor, YEAR, ALTERNATIVE))
            .expect("what-if")
    });
}

/// The Rust path on PostgreSQL: the year read through the store and each
/// declaration assessed once.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn postgres_assess_year_rust(bencher: divan::Bencher) {
    let Some(fixture) = postgres() else {
        eprintln!("postgres_assess_year_rust: skipped (no PostgreSQL)");
        return;
    };
    bencher.bench_local(|| RUNTIME.block_on(assess_year_rust(fixture)));
}

/// The same assessment as one SQL query, each declaration's levy returned,
/// under the server's settings (its JIT compiles this query).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn postgres_assess_year_sql(bencher: divan::Bencher) {
    bench_sql(bencher, "postgres_assess_year_sql", true);
}

/// The same query with the JIT off for its transaction.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn postgres_assess_year_sql_no_jit(bencher: divan::Bencher) {
    bench_sql(bencher, "postgres_assess_year_sql_no_jit", false);
}

fn bench_sql(bencher: divan::Bencher, name: &str, jit: bool) {
    let Some(fixture) = postgres() else {
        eprintln!("{name}: skipped (no PostgreSQL)");
        return;
    };
    let pool = fixture.pg.as_ref().expect("postgres pool");
    let presets = presets_json(&RUNTIME.block_on(fixture.app.presets()).expect("presets"));
    bencher.bench_local(|| RUNTIME.block_on(assess_year_sql(pool, &presets, jit)));
}
