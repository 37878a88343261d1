//! The progress dashboard at national scale on PostgreSQL (the dashboard
//! issue's acceptance): `cargo bench -p ablework_cli --bench dashboard`.
//! The numbers are in docs/benchmarks.md; the design is
//! docs/adr/0002-progress-tally.md.
//!
//! A schema of its own on the PostgreSQL server of the tests
//! (`ABLEWORK_TEST_POSTGRES_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`) is migrated and given the demo
//! accounts, then bulk-loaded outside the timed part with [`PERSONS`]
//! people and [`OUTCOMES`] employment outcomes of 2022–2024, by
//! `INSERT … SELECT` from `generate_series` (the application's own write
//! path would take hours at this size). The kept counts are then built the
//! way a database from before them is: `rebuild_progress_tally` counts
//! every outcome again. The people's "four ones" steps are loaded as the
//! step bits the store keeps (`persons.four_ones_done`), done in order
//! (none, the check, then the assessment, the need, the service; 45% of
//! people have none, 11% all four); the triggers on `persons` keep the
//! coverage tally as they are inserted. Then `VACUUM ANALYZE`, as
//! autovacuum would on a server that has held the data a while. The name-search
//! trigger is disabled during the load (it is not measured here and would
//! write some twenty million name grams) and enabled again after it.
//!
//! Each kind of dashboard request runs `App::progress_report` end to end
//! (plan, kept counts, streets, coverage), [`WARM_UP`] times untimed and
//! [`RUNS`] times timed, and reports p50, p95, p99 and the maximum against
//! the target of 200 ms at p95:
//!
//! 1. `city_admin`: the city administrator's dashboard, the whole city;
//! 2. `district_officer`: the district officer of 120101, their district;
//! 3. `largest_district_admin`: the city administrator asking for 120116,
//!    the largest district.
//!
//! Before timing, the city report from the kept counts is compared with the
//! report counted in memory from all the outcomes (`progress`), which must
//! be identical; that in-memory path is timed too, a few runs, for scale.
//!
//! `ABLEWORK_BENCH_DASHBOARD_KEEP=1` keeps the loaded schema
//! (`abw_bench_dashboard`) and reuses it on the next run.

#![expect(
    clippy::expect_used,
    reason = "benchmark set-up: failing loudly is the point"
)]

mod common;

use common::{actor, load_average, ms, percentile};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ablework_app::progress::ProgressQuery;
use ablework_app::{Actor, App, AppConfig, SystemClock};
use ablework_domain::ident::DisabilityCategory;
use ablework_domain::outcome::{EmploymentForm, Measure};
use ablework_domain::progress::progress;
use ablework_store::Store;
use ablework_store_sql::SqlStore;

/// People loaded.
const PERSONS: i64 = 4_000_000;
/// Employment outcomes loaded.
const OUTCOMES: i64 = 1_000_000;
/// People inserted by one statement while loading.
const CHUNK: i64 = 500_000;
/// Timed requests of each kind.
const RUNS: usize = 200;
/// Untimed requests of each kind before the timed ones.
const WARM_UP: usize = 20;
/// The acceptance target for p95.
const TARGET: Duration = Duration::from_millis(200);
/// The schema kept between runs with `ABLEWORK_BENCH_DASHBOARD_KEEP=1`.
const KEPT_SCHEMA: &str = "abw_bench_dashboard";

/// Tianjin's districts with their resident population in ten thousands
/// (2020 census, rounded): where the synthetic people live.
const POPULATION: [(&str, u32); 16] = [
    ("120101", 36),
    ("120102", 86),
    ("120103", 82),
    ("120104", 89),
    ("120105", 65),
    ("120106", 48),
    ("120110", 86),
    ("120111", 125),
    ("120112", 93),
    ("120113", 91),
    ("120114", 115),
    ("120115", 72),
    ("120116", 206),
    ("120117", 40),
    ("120118", 79),
    ("120119", 80),
];

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let url = std::env::var("ABLEWORK_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| ablework_store_sql::testing::DEFAULT_TEST_POSTGRES_URL.to_owned());
    let keep = std::env::var_os("ABLEWORK_BENCH_DASHBOARD_KEEP").is_some();
    let Some((app, store, schema, scoped)) = runtime.block_on(open(&url, keep)) else {
        eprintln!("dashboard: skipped: no PostgreSQL server answers at {url}");
        return;
    };
    eprintln!(
        "machine: {} logical CPUs; load average at start {}",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        load_average()
    );
    let admin = runtime.block_on(actor(&app, "admin"));
    let officer = runtime.block_on(actor(&app, "officer"));

    runtime.block_on(check_against_memory(&app, &store, &admin));

    let kinds: [(&str, &Actor, Option<&str>); 3] = [
        ("city_admin", &admin, None),
        ("district_officer", &officer, None),
        ("largest_district_admin", &admin, Some("120116")),
    ];
    let mut rows = Vec::new();
    for (name, actor, district) in kinds {
        let query = ProgressQuery {
            plan: None,
            district: district.map(str::to_owned),
        };
        let mut times = Vec::with_capacity(RUNS);
        let mut achieved = 0;
        for run in 0..WARM_UP + RUNS {
            let started = Instant::now();
            let report = runtime
                .block_on(app.progress_report(actor, &query))
                .expect("progress report");
            let took = started.elapsed();
            assert!(report.achieved > 0 && report.four_ones.is_some());
            achieved = report.achieved;
            if run >= WARM_UP {
                times.push(took);
            }
        }
        times.sort();
        rows.push((name, achieved, times));
    }

    println!();
    println!(
        "progress dashboard over {PERSONS} people and {OUTCOMES} outcomes on PostgreSQL, \
         {RUNS} timed requests a kind after {WARM_UP} untimed; target p95 <= {} ms",
        TARGET.as_millis()
    );
    println!(
        "{:<24} {:>10} {:>10} {:>10} {:>10} {:>10}  verdict",
        "kind", "achieved", "p50", "p95", "p99", "max"
    );
    for (name, achieved, times) in &rows {
        let p95 = percentile(times, 95);
        println!(
            "{name:<24} {achieved:>10} {:>10} {:>10} {:>10} {:>10}  {}",
            ms(percentile(times, 50)),
            ms(p95),
            ms(percentile(times, 99)),
            ms(times[times.len() - 1]),
            if p95 <= TARGET { "MET" } else { "NOT MET" }
        );
    }
    eprintln!("load average at the end {}", load_average());
    runtime.block_on(explain(&scoped));
    runtime.block_on(store.close());
    if !keep {
        runtime.block_on(drop_schema(&url, &schema));
    }
}

/// Opens (and, unless it is kept from an earlier run, loads) the schema.
async fn open(url: &str, keep: bool) -> Option<(App, SqlStore, String, String)> {
    let admin = sqlx::PgPool::connect(url).await.ok()?;
    let schema = if keep {
        KEPT_SCHEMA.to_owned()
    } else {
        format!("abw_bench_dashboard_{}", std::process::id())
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE SCHEMA IF NOT EXISTS {schema}"
    )))
    .execute(&admin)
    .await
    .expect("create the benchmark schema");
    admin.close().await;
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options[search_path]={schema}&application_name={schema}");
    let store = SqlStore::connect(&scoped).await.expect("open postgres");
    store.migrate().await.expect("migrate postgres");
    let app = App::new(
        Arc::new(store.clone()),
        AppConfig::with_secret([7; 64]),
        Arc::new(SystemClock),
    );
    let pool = sqlx::PgPool::connect(&scoped).await.expect("a second pool");
    let (people,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM persons")
        .fetch_one(&pool)
        .await
        .expect("count people");
    if people == PERSONS {
        eprintln!("reusing schema {schema} with {people} people");
    } else {
        assert_eq!(people, 0, "schema {schema} holds other data");
        app.seed_demo(0, 0, 2022, &|_| {})
            .await
            .expect("the demo accounts");
        load(&store, &pool).await;
    }
    pool.close().await;
    Some((app, store, schema, scoped))
}

/// `ARRAY['a', 'b', …]` of codes.
fn array(codes: impl IntoIterator<Item = String>) -> String {
    let quoted: Vec<String> = codes.into_iter().map(|c| format!("'{c}'")).collect();
    format!("ARRAY[{}]", quoted.join(", "))
}

/// A pseudo-random integer in `0..bound` from the row number `g` and a
/// salt, as SQL.
fn pick(salt: &str, bound: u32) -> String {
    format!("(abs(hashtext('{salt}' || g)) % {bound})")
}

async fn load(store: &SqlStore, pool: &sqlx::PgPool) {
    let started = Instant::now();
    let total: u32 = POPULATION.iter().map(|(_, p)| p).sum();
    // One slot per ten thousand residents.
    let districts = array(
        POPULATION
            .iter()
            .flat_map(|(code, p)| std::iter::repeat_n((*code).to_owned(), *p as usize)),
    );
    let categories = array(DisabilityCategory::ALL.iter().map(|c| c.code().to_owned()));
    sqlx::query("ALTER TABLE persons DISABLE TRIGGER persons_name_grams")
        .execute(pool)
        .await
        .expect("pause the name grams");
    let mut from = 1;
    while from <= PERSONS {
        let to = (from + CHUNK - 1).min(PERSONS);
        let sql = format!(
            "INSERT INTO persons (name, id_number_enc, id_number_hash, id_number_masked, certificate_enc, \
             certificate_masked, sex, birth_date, category, level, district_code, street, hukou, employment_status, \
             retirement_group, registered_on, active, created_at, updated_at, four_ones_done) \
             SELECT '王' || g, decode(md5('id' || g), 'hex'), md5('hash' || g), \
             '1201**********' || lpad((g % 10000)::text, 4, '0'), decode(md5('cert' || g), 'hex'), '1201****************', \
             CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END, \
             date '1950-01-01' + {birth}, \
             ({categories})[1 + {category}], 1 + {level}, \
             ({districts})[1 + {district}], '街道' || {street}, \
             CASE WHEN {rural} = 0 THEN 'rural' ELSE 'urban' END, \
             CASE WHEN {status} < 40 THEN 'unemployed' ELSE 'employed' END, \
             CASE WHEN g % 2 = 1 THEN 'male' WHEN {group} = 0 THEN 'female_55' ELSE 'female_50' END, \
             date '2010-01-01' + (g % 5000)::int, {active} >= 2, now(), now(), \
             (ARRAY[0, 1, 3, 7, 15])[1 + (({steps} * {steps}) / 10000)] \
             FROM generate_series({from}::bigint, {to}::bigint) AS g",
            birth = pick("birth", 23_000),
            category = pick("category", 7),
            level = pick("level", 4),
            district = pick("district", total),
            street = pick("street", 20),
            rural = pick("rural", 3),
            status = pick("status", 100),
            group = pick("group", 3),
            active = pick("active", 100),
            steps = pick("steps", 224),
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await
            .expect("load people");
        eprintln!("  loaded {to} people ({:.0?})", started.elapsed());
        from = to + 1;
    }
    sqlx::query("ALTER TABLE persons ENABLE TRIGGER persons_name_grams")
        .execute(pool)
        .await
        .expect("resume the name grams");
    let forms = array(EmploymentForm::ALL.iter().map(|f| f.code().to_owned()));
    let measures = array(Measure::ALL.iter().map(|m| m.code().to_owned()));
    let sql = format!(
        "INSERT INTO employment_outcomes (person_id, started_on, ended_on, form, measure, district_code, hukou, \
         category, level, sex, created_at) \
         SELECT p.id, s.started_on, \
         CASE WHEN {ends} = 0 THEN s.started_on + (30 + {length})::int END, \
         ({forms})[1 + {form}], ({measures})[1 + {measure}], p.district_code, COALESCE(p.hukou, 'urban'), \
         p.category, p.level, p.sex, now() \
         FROM generate_series(1::bigint, {OUTCOMES}::bigint) AS g \
         CROSS JOIN LATERAL (SELECT date '2022-01-01' + {day}::int AS started_on) AS s \
         JOIN persons p ON p.id = 1 + {person}",
        ends = pick("ends", 5),
        length = pick("length", 600),
        form = pick(
            "form",
            u32::try_from(EmploymentForm::ALL.len()).unwrap_or(1)
        ),
        measure = pick("measure", 10),
        day = pick("day", 1_096),
        person = pick("person", u32::try_from(PERSONS).unwrap_or(u32::MAX)),
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(pool)
        .await
        .expect("load outcomes");
    eprintln!("  loaded {OUTCOMES} outcomes ({:.0?})", started.elapsed());
    ablework_store_sql::rebuild_progress_tally(store)
        .await
        .expect("count the outcomes");
    eprintln!("  counted them ({:.0?})", started.elapsed());
    sqlx::query("ANALYZE").execute(pool).await.expect("analyze");
    eprintln!(
        "loaded {PERSONS} people and {OUTCOMES} outcomes in {:.1?} (not timed)",
        started.elapsed()
    );
}

/// The city report from the kept counts must be the report counted in
/// memory from every outcome (apart from the coverage, which only the
/// application adds); the in-memory path is timed for scale.
async fn check_against_memory(app: &App, store: &SqlStore, admin: &Actor) {
    let kept = app
        .progress_report(admin, &ProgressQuery::default())
        .await
        .expect("report");
    let plan = app.plan(admin, None).await.expect("plan").plan;
    let mut times = Vec::new();
    let mut counted = None;
    for _ in 0..3 {
        let started = Instant::now();
        let outcomes = store
            .outcomes_between(plan.start, plan.end, None)
            .await
            .expect("outcomes");
        let report = progress(&outcomes, &plan, kept.today);
        times.push(started.elapsed());
        counted = Some(report);
    }
    let mut counted = counted.expect("a report");
    counted.four_ones.clone_from(&kept.four_ones);
    assert_eq!(kept, counted, "the kept counts and the outcomes disagree");
    times.sort();
    eprintln!(
        "the city report from the kept counts equals the one counted in memory from all outcomes \
         ({} new employment); counted in memory it took {} (median of 3)",
        kept.achieved,
        ms(times[1])
    );
}

/// The statements' plans, for the record.
async fn explain(scoped: &str) {
    let Ok(pool) = sqlx::PgPool::connect(scoped).await else {
        return;
    };
    let statements = [
        "SELECT started_on, dimension, code, n FROM progress_tally WHERE scope = '' \
         AND started_on >= '2022-01-01' AND started_on <= '2024-12-31' AND dimension IN ('counted', 'retained')",
        "SELECT dimension, code, CAST(SUM(n) AS BIGINT) AS n FROM (SELECT dimension, code, n \
         FROM progress_tally_by_month WHERE scope = '' AND dimension NOT IN ('counted', 'retained', 'street') \
         AND month >= '2022-01-01' AND month <= '2024-12-01') AS kept GROUP BY dimension, code",
        "SELECT dimension, code, CAST(SUM(n) AS BIGINT) AS n FROM (SELECT dimension, code, n \
         FROM progress_tally_by_month WHERE scope = '120116' AND dimension = 'street' \
         AND month >= '2022-01-01' AND month <= '2024-12-01') AS kept GROUP BY dimension, code",
    ];
    for sql in statements {
        let plan: Result<Vec<(String,)>, _> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "EXPLAIN (ANALYZE, BUFFERS) {sql}"
        )))
        .fetch_all(&pool)
        .await;
        match plan {
            Ok(lines) => {
                eprintln!("{sql}");
                for (line,) in lines {
                    eprintln!("  {line}");
                }
            }
            Err(e) => eprintln!("explain failed: {e}"),
        }
    }
    pool.close().await;
}

async fn drop_schema(url: &str, schema: &str) {
    if let Ok(admin) = sqlx::PgPool::connect(url).await {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE"
        )))
        .execute(&admin)
        .await;
        admin.close().await;
    }
}
