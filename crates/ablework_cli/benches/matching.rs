//! Matching at Tianjin scale (the matching issue's acceptance):
//! `cargo bench -p ablework_cli --bench matching`. The numbers are in
//! docs/benchmarks.md, section "Matching".
//!
//! 200,000 job seekers and 20,000 job postings are generated
//! deterministically (a Tianjin mix of districts, disabilities and their
//! limitations, accommodations needed and offered, occupations, skills,
//! demands, education, hours and wages; the postings by
//! `benches/synthetic_jobs`, shared with `benches/http_match.rs`). Then, on
//! 1 March 2026 under the gradual retirement rule of 2025:
//!
//! 1. `JobIndex::new` over the postings, timed;
//! 2. the batch: `JobIndex::top_jobs_batch`, the best 10 jobs for every one
//!    of the 200,000 people on 2 threads (and on 1 for comparison), each
//!    result a list of full `Match`es reduced to (job id, score);
//! 3. one person: `JobIndex::top_jobs(seeker, 10)` timed one call at a time
//!    for every 10th person of working age, p50 / p95 / p99 / max;
//! 4. the exhaustive check: for every 200th person, the index's answer is
//!    compared, match for match, with the exhaustive `top_jobs` (which is
//!    timed too) — the run stops on any difference;
//! 5. the same filters and score in SQL on PostgreSQL: the data loaded with
//!    `COPY` into a schema of its own on `ABLEWORK_TEST_POSTGRES_URL`
//!    (default `postgres://postgres@127.0.0.1:5432/test`), and the best 10
//!    for a sample of 200 people by several formulations — every pair
//!    scored over a covering index and ranked by a window; LATERAL top-k
//!    (`ORDER BY … LIMIT 10` per person over index-only scans); a
//!    set-based form without CTE scans or correlated subqueries, so that it
//!    gets a parallel plan; the window form under the same parallel
//!    settings; one LATERAL query a person — each with and without the
//!    JIT, each checked against the engine's answer for the sample (the
//!    table says "identical" or "DIFFERS") and timed; the schema is dropped
//!    at the end. Without a server this part prints "skipped";
//!    `ABLEWORK_BENCH_MATCHING_SQL=0` leaves it out.
//!
//! A table of the results, with the ratio of the best SQL to the engine,
//! goes to standard output; progress and query plans to standard error.

#![expect(
    clippy::expect_used,
    reason = "benchmark set-up: failing loudly is the point"
)]

mod common;
mod synthetic_jobs;

use common::{load_average, percentile};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};
use synthetic_jobs::{OCCUPATIONS, Random, generate_jobs, skill_pool, some_of};

use ablework_domain::district;
use ablework_domain::four_ones::{Accommodation, Function, Hours, Limitation};
use ablework_domain::matching::{
    COVERS, DEMAND_LOADS, Demand, DemandLevel, EDUCATION_ONE_RANK_BELOW_PERCENT, EDUCATION_RANKS,
    EDUCATION_UNKNOWN_PERCENT, HOURS_FIT, Job, JobIndex, Match, NO_OCCUPATION_PREFERENCE_PERCENT,
    RELATED_OCCUPATION_PERCENT, Seeker, TRAVEL_BANDS, TRAVEL_MINUTES, WEIGHTS, WORKPLACE_ACCESS,
    top_jobs,
};
use ablework_domain::occupation::{MajorGroup, SubMajorGroup};
use ablework_domain::person::Education;
use ablework_domain::working_age::{
    RetirementGroup, WorkingAgeRule, is_working_age, retirement_date, working_age_start,
};
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::postgres::PgPoolCopyExt;

const SEEKERS: usize = 200_000;
const JOBS: usize = 20_000;
const N: usize = 10;
const THREADS: usize = 2;
/// Timed runs of the batch; the best and the median are reported.
const BATCH_RUNS: usize = 5;
/// One person timed at a time: every `SINGLE_STEP`th, if of working age.
const SINGLE_STEP: usize = 10;
/// Checked against the exhaustive scan: every `CHECK_STEP`th.
const CHECK_STEP: usize = 200;
/// People of the SQL sample: every `SQL_STEP`th (200 people).
const SQL_STEP: usize = 1_000;
/// Timed runs of each SQL formulation after the checked one.
const SQL_RUNS: usize = 1;
const SEED: u64 = 0x7121_2026;

fn main() {
    let day = NaiveDate::from_ymd_opt(2026, 3, 1).expect("a day");
    let rule = WorkingAgeRule::gradual_2025();
    eprintln!(
        "machine: {} logical CPUs; load average at start {}",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        load_average()
    );
    let started = Instant::now();
    let jobs = generate_jobs(&mut Random(SEED), JOBS);
    let seekers = generate_seekers(&mut Random(SEED ^ 0x5EE4), day);
    eprintln!(
        "generated {} jobs ({} open) and {} seekers in {:.1?}",
        jobs.len(),
        jobs.iter().filter(|job| job.open).count(),
        seekers.len(),
        started.elapsed()
    );

    let started = Instant::now();
    let index = JobIndex::new(&jobs, day, &rule);
    let build = started.elapsed();
    eprintln!("index of {} open jobs built in {build:.1?}", index.len());

    let compact = |_: &Seeker, found: Vec<Match>| -> Vec<(i64, u32)> {
        found
            .iter()
            .map(|found| (found.job_id, found.score))
            .collect()
    };
    // The batch, on 2 threads and on 1.
    let mut batch_times = Vec::new();
    let mut engine_results = Vec::new();
    for run in 0..BATCH_RUNS {
        let started = Instant::now();
        let results = index.top_jobs_batch(&seekers, N, THREADS, compact);
        let elapsed = started.elapsed();
        eprintln!("batch run {run}: {elapsed:.1?} on {THREADS} threads");
        batch_times.push(elapsed);
        engine_results = results;
    }
    let started = Instant::now();
    let single_thread = index.top_jobs_batch(&seekers, N, 1, compact);
    let one_thread = started.elapsed();
    assert_eq!(single_thread, engine_results, "1 and 2 threads agree");
    eprintln!("batch on 1 thread: {one_thread:.1?}");
    let matched_people = engine_results
        .iter()
        .filter(|found| !found.is_empty())
        .count();
    let full_lists = engine_results
        .iter()
        .filter(|found| found.len() == N)
        .count();
    let tenth_scores: Vec<u32> = engine_results
        .iter()
        .filter_map(|found| found.get(N - 1).map(|(_, score)| *score))
        .collect();
    eprintln!(
        "{matched_people} people have a match, {full_lists} have {N}; median score of the 10th: {}",
        median_u32(&tenth_scores)
    );

    // One person at a time: people of working age only, since the others
    // are answered before any search.
    let mut single = Vec::new();
    for seeker in seekers
        .iter()
        .step_by(SINGLE_STEP)
        .filter(|seeker| is_working_age(seeker.birth_date, seeker.retirement_group, day, &rule))
    {
        let started = Instant::now();
        let found = index.top_jobs(seeker, N);
        single.push(started.elapsed());
        std::hint::black_box(found);
    }
    single.sort_unstable();

    let check = exhaustive_check(&index, &jobs, &seekers, day, &rule);

    let sample: Vec<&Seeker> = seekers.iter().step_by(SQL_STEP).collect();
    // `ABLEWORK_BENCH_MATCHING_SQL=0` leaves PostgreSQL out.
    let sql = if std::env::var("ABLEWORK_BENCH_MATCHING_SQL").is_ok_and(|value| value == "0") {
        None
    } else {
        sql_part(&jobs, &seekers, &sample, &engine_results, day, &rule)
    };

    report(&Report {
        build,
        batch_times,
        one_thread,
        single,
        check,
        sql,
    });
    eprintln!("load average at the end {}", load_average());
}

/// The exhaustive check: how many people, the exhaustive scan's time a
/// person, and the jobs the index scored a person.
struct Check {
    checked: u32,
    exhaustive_per: Duration,
    jobs_scored_per: f64,
}

/// Compares the index with the exhaustive `top_jobs` for every
/// `CHECK_STEP`th person, match for match, and stops the run on a
/// difference; reports what the pruning saved.
fn exhaustive_check(
    index: &JobIndex,
    jobs: &[Job],
    seekers: &[Seeker],
    day: NaiveDate,
    rule: &WorkingAgeRule,
) -> Check {
    let mut exhaustive = Duration::ZERO;
    let mut checked = 0;
    let (mut jobs_scored, mut blocks, mut buckets) = (0, 0, 0);
    for seeker in seekers.iter().step_by(CHECK_STEP) {
        let started = Instant::now();
        let expected = top_jobs(seeker, jobs, N, day, rule);
        exhaustive += started.elapsed();
        let (found, work) = index.top_jobs_with_work(seeker, N);
        assert_eq!(
            found, expected,
            "the index differs from the exhaustive scan for person {}",
            seeker.person_id
        );
        jobs_scored += work.jobs;
        blocks += work.blocks;
        buckets += work.buckets;
        checked += 1;
    }
    let per = |total: usize| total as f64 / f64::from(checked);
    eprintln!(
        "exhaustive check: {checked} people, identical; the index scored {:.0} jobs a person \
         (of {}), bounded {:.0} blocks and {:.0} buckets",
        per(jobs_scored),
        index.len(),
        per(blocks),
        per(buckets)
    );
    Check {
        checked,
        exhaustive_per: exhaustive / checked,
        jobs_scored_per: per(jobs_scored),
    }
}

struct Report {
    build: Duration,
    batch_times: Vec<Duration>,
    one_thread: Duration,
    single: Vec<Duration>,
    check: Check,
    sql: Option<Vec<SqlResult>>,
}

fn report(report: &Report) {
    let mut batch = report.batch_times.clone();
    batch.sort_unstable();
    let best = batch[0];
    let median = batch[batch.len() / 2];
    let per_seeker = best / u32::try_from(SEEKERS).expect("count");
    let single = &report.single;
    let p95 = percentile(single, 95);
    println!();
    println!(
        "matching: top {N} of {JOBS} jobs for each of {SEEKERS} seekers (release build, {THREADS} threads)"
    );
    println!("{:<44} {:>12}  target / note", "engine", "time");
    println!(
        "{:<44} {:>12}",
        "JobIndex::new (20,000 jobs)",
        fmt(report.build)
    );
    println!(
        "{:<44} {:>12}  <= 1 s: {} (median of {BATCH_RUNS}: {})",
        "batch, 200,000 seekers, 2 threads (best)",
        fmt(best),
        verdict(best <= Duration::from_secs(1)),
        fmt(median)
    );
    println!(
        "{:<44} {:>12}",
        "batch, 200,000 seekers, 1 thread",
        fmt(report.one_thread)
    );
    println!("{:<44} {:>12}", "  per seeker (2 threads)", fmt(per_seeker));
    println!(
        "{:<44} {:>12}  p95 <= 100 us: {}",
        "one seeker, p95 (in-process, 1 thread)",
        fmt(p95),
        verdict(p95 <= Duration::from_micros(100))
    );
    println!(
        "{:<44} {:>12}  p99 {}, max {} ({} seekers)",
        "one seeker, p50",
        fmt(percentile(single, 50)),
        fmt(percentile(single, 99)),
        fmt(single[single.len() - 1]),
        single.len()
    );
    println!(
        "{:<44} {:>12}  {} seekers, identical to the index; the index scores {:.0} jobs a seeker",
        "exhaustive top_jobs, per seeker",
        fmt(report.check.exhaustive_per),
        report.check.checked,
        report.check.jobs_scored_per
    );
    let Some(sql) = &report.sql else {
        println!("PostgreSQL: skipped (no server)");
        return;
    };
    println!();
    println!(
        "{:<52} {:>10} {:>12} {:>14} {:>10}  checked",
        "SQL on PostgreSQL (200 seekers)", "sample", "per seeker", "200,000 (est.)", "÷ engine"
    );
    let sample = u32::try_from(sql.first().map_or(1, |result| result.sample)).expect("count");
    let mut best_sql: Option<(Duration, &str)> = None;
    for result in sql {
        let per = result.time / sample;
        let estimate = per * u32::try_from(SEEKERS).expect("count");
        let ratio = estimate.as_secs_f64() / best.as_secs_f64();
        println!(
            "{:<52} {:>10} {:>12} {:>14} {:>9.0}×  {}",
            result.name,
            fmt(result.time),
            fmt(per),
            fmt(estimate),
            ratio,
            if result.identical {
                "identical"
            } else {
                "DIFFERS"
            }
        );
        if best_sql.is_none_or(|(time, _)| result.time < time) {
            best_sql = Some((result.time, &result.name));
        }
        if let Some(latency) = &result.latency {
            println!(
                "{:<52} {:>10} {:>12}  p95 / engine p95: {:.0}×",
                "  one query a seeker: p50, p95",
                fmt(percentile(latency, 50)),
                fmt(percentile(latency, 95)),
                percentile(latency, 95).as_secs_f64() / p95.as_secs_f64()
            );
        }
    }
    if let Some((time, name)) = best_sql {
        let estimate = time / sample * u32::try_from(SEEKERS).expect("count");
        let ratio = estimate.as_secs_f64() / best.as_secs_f64();
        println!(
            "best SQL: {name}; engine batch / best SQL (extrapolated): {ratio:.0}× — target >= 100×: {}",
            verdict(ratio >= 100.0)
        );
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "MET" } else { "NOT MET" }
}

fn fmt(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

fn median_u32(values: &[u32]) -> u32 {
    let mut values = values.to_vec();
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

// ---------------------------------------------------------------------------
// The data: a deterministic Tianjin mix. The postings' generator is in
// synthetic_jobs/mod.rs, shared with http_match.rs; the people's is here.
// ---------------------------------------------------------------------------

/// People by district (2020 census, 10,000s), in the order of
/// `district::all()`.
const POPULATION: [u32; 16] = [
    36, 86, 82, 89, 65, 48, 86, 120, 93, 91, 115, 72, 207, 40, 79, 80,
];

/// The kinds of disability of the people registered for work (the seven
/// categories of the disability certificate) and their share, percent.
#[derive(Clone, Copy)]
enum Kind {
    Physical,
    Hearing,
    Visual,
    Intellectual,
    Mental,
    Speech,
    Multiple,
}

const KINDS: [(Kind, u32); 7] = [
    (Kind::Physical, 45),
    (Kind::Hearing, 15),
    (Kind::Visual, 10),
    (Kind::Intellectual, 12),
    (Kind::Mental, 8),
    (Kind::Speech, 2),
    (Kind::Multiple, 8),
];

fn limitation(random: &mut Random, mild: u32, moderate: u32, severe: u32) -> Limitation {
    random.weighted(&[
        (Limitation::Mild, mild),
        (Limitation::Moderate, moderate),
        (Limitation::Severe, severe),
    ])
}

/// The limitations and the accommodations needed of one kind of
/// disability.
fn disability(
    random: &mut Random,
    kind: Kind,
    functions: &mut Vec<(Function, Limitation)>,
    needed: &mut Vec<Accommodation>,
) {
    use Accommodation as A;
    match kind {
        Kind::Physical => {
            let mobility = limitation(random, 30, 40, 30);
            functions.push((Function::Mobility, mobility));
            if random.chance(30) {
                functions.push((Function::Stamina, limitation(random, 50, 40, 10)));
            }
            if random.chance(15) {
                functions.push((Function::FineMotor, limitation(random, 20, 50, 30)));
            }
            if mobility == Limitation::Severe {
                if random.chance(90) {
                    needed.push(A::StepFree);
                }
                if random.chance(60) {
                    needed.push(A::AccessibleToilet);
                }
                if random.chance(50) {
                    needed.push(A::AdjustedWorkstation);
                }
            } else if mobility == Limitation::Moderate && random.chance(40) {
                needed.push(A::StepFree);
            }
        }
        Kind::Hearing => {
            let hearing = limitation(random, 10, 35, 55);
            functions.push((Function::Hearing, hearing));
            if hearing == Limitation::Severe && random.chance(40) {
                functions.push((Function::Speech, limitation(random, 30, 50, 20)));
            }
            needed.push(if random.chance(40) {
                A::SignLanguage
            } else {
                A::WrittenInstructions
            });
        }
        Kind::Visual => {
            functions.push((Function::Vision, limitation(random, 10, 45, 45)));
            if random.chance(80) {
                needed.push(A::ScreenReader);
            }
        }
        Kind::Intellectual => {
            functions.push((Function::Cognition, limitation(random, 30, 50, 20)));
            if random.chance(60) {
                needed.push(A::JobCoach);
            }
        }
        Kind::Mental => {
            functions.push((Function::Cognition, limitation(random, 50, 40, 10)));
            functions.push((Function::Stamina, limitation(random, 50, 40, 10)));
            if random.chance(50) {
                needed.push(A::QuietSpace);
            }
            if random.chance(50) {
                needed.push(A::FlexibleHours);
            }
        }
        Kind::Speech => {
            functions.push((Function::Speech, limitation(random, 20, 50, 30)));
            if random.chance(50) {
                needed.push(A::WrittenInstructions);
            }
        }
        Kind::Multiple => {
            let simple = [
                (Kind::Physical, 45),
                (Kind::Hearing, 15),
                (Kind::Visual, 10),
                (Kind::Intellectual, 12),
                (Kind::Mental, 8),
                (Kind::Speech, 2),
            ];
            let first = random.weighted(&simple);
            let second = random.weighted(&simple);
            disability(random, first, functions, needed);
            disability(random, second, functions, needed);
        }
    }
}

fn generate_seekers(random: &mut Random, day: NaiveDate) -> Vec<Seeker> {
    let districts = district::all();
    let district_weights: Vec<(usize, u32)> = POPULATION.iter().copied().enumerate().collect();
    (0..SEEKERS)
        .map(|position| {
            let retirement_group = random.weighted(&[
                (RetirementGroup::Male, 56),
                (RetirementGroup::Female50, 24),
                (RetirementGroup::Female55, 20),
            ]);
            // Ages 16 to 64; a few are past working age on the day.
            let age_days = i64::from(random.between(16 * 365 + 30, 64 * 365));
            let birth_date = day - chrono::Duration::days(age_days);
            let kind = random.weighted(&KINDS);
            let mut functions = Vec::new();
            let mut accommodations_needed = Vec::new();
            disability(random, kind, &mut functions, &mut accommodations_needed);
            let assessed = random.chance(85);
            let home = random.weighted(&district_weights);
            let desired_occupations = wishes(random);
            let skills = seeker_skills(random, &desired_occupations);
            let education = random.weighted(&[
                (Some(Education::None), 4),
                (Some(Education::Primary), 11),
                (Some(Education::JuniorSecondary), 36),
                (Some(Education::SeniorSecondary), 15),
                (Some(Education::Vocational), 14),
                (Some(Education::College), 10),
                (Some(Education::BachelorOrAbove), 5),
                (None, 5),
            ]);
            let (named, commute_limit_minutes) = area(random, home);
            let wage_expectation = random.chance(90).then(|| {
                let rank = education.map_or(2, rank);
                ((2_600 + 450 * rank) * random.between(75, 140) / 100 / 100) * 100
            });
            Seeker {
                person_id: i64::try_from(position).expect("an id") + 1,
                birth_date,
                retirement_group,
                functions: assessed.then_some(functions),
                accommodations_needed,
                skills,
                education,
                desired_occupations,
                districts: named
                    .iter()
                    .map(|at| districts[*at].code.to_owned())
                    .collect(),
                commute_limit_minutes,
                remote_acceptable: random.chance(35),
                hours: random.weighted(&[
                    (Hours::FullTime, 55),
                    (Hours::PartTime, 30),
                    (Hours::Flexible, 15),
                ]),
                wage_expectation,
                home_district: districts[home].code.to_owned(),
            }
        })
        .collect()
}

/// The occupations a person asks for: none to three, a second one often in
/// the major group of the first.
fn wishes(random: &mut Random) -> Vec<SubMajorGroup> {
    let wanted_weights: Vec<(SubMajorGroup, u32)> = OCCUPATIONS
        .iter()
        .map(|(occupation, _, wanted)| (*occupation, *wanted))
        .collect();
    let count = random.weighted(&[(0, 8), (1, 45), (2, 35), (3, 12)]);
    let mut desired: Vec<SubMajorGroup> = Vec::new();
    for _ in 0..count {
        let next = match desired.first() {
            Some(first) if random.chance(50) => {
                let related: Vec<(SubMajorGroup, u32)> = wanted_weights
                    .iter()
                    .copied()
                    .filter(|(other, _)| other.major() == first.major())
                    .collect();
                random.weighted(&related)
            }
            _ => random.weighted(&wanted_weights),
        };
        if !desired.contains(&next) {
            desired.push(next);
        }
    }
    desired
}

/// A person's skills, from the pools of the major groups they ask for (or
/// of one, if they ask for none), written their own way ("excel" for
/// "Excel").
fn seeker_skills(random: &mut Random, desired: &[SubMajorGroup]) -> Vec<String> {
    let mut majors: Vec<MajorGroup> = desired
        .iter()
        .map(|occupation| occupation.major())
        .collect();
    if majors.is_empty() {
        let any: Vec<(MajorGroup, u32)> = OCCUPATIONS
            .iter()
            .map(|(occupation, _, wanted)| (occupation.major(), *wanted))
            .collect();
        majors.push(random.weighted(&any));
    }
    let mut skills: Vec<String> = Vec::new();
    for major in &majors {
        let count = random.weighted(&[(0, 20), (1, 30), (2, 30), (3, 15), (4, 5)]);
        for tag in some_of(random, skill_pool(*major), count) {
            let tag = if random.chance(30) {
                tag.to_lowercase()
            } else {
                tag.to_owned()
            };
            if !skills.contains(&tag) {
                skills.push(tag);
            }
        }
    }
    skills
}

/// Where a person living in `home` would work: the districts named (home
/// and up to two within 45 minutes) and a commute limit, either, both or
/// neither.
fn area(random: &mut Random, home: usize) -> (Vec<usize>, Option<u16>) {
    let near: Vec<usize> = (0..district::all().len())
        .filter(|other| *other != home && TRAVEL_MINUTES[home][*other] <= 45)
        .collect();
    let mut named = vec![home];
    let extra = random.weighted(&[(0, 50), (1, 30), (2, 20)]);
    named.extend(some_of(random, &near, extra));
    let limits = [(30, 25), (45, 35), (60, 30), (90, 10)];
    match random.weighted(&[(0, 25), (1, 50), (2, 20), (3, 5)]) {
        0 => (named, None),
        1 => (named, Some(random.weighted(&limits))),
        2 => (Vec::new(), Some(random.weighted(&limits))),
        _ => (Vec::new(), None),
    }
}

// ---------------------------------------------------------------------------
// PostgreSQL.
// ---------------------------------------------------------------------------

struct SqlResult {
    name: String,
    sample: usize,
    /// The best timed run over the whole sample.
    time: Duration,
    identical: bool,
    /// One query a person: each person's time.
    latency: Option<Vec<Duration>>,
}

fn sql_part(
    jobs: &[Job],
    seekers: &[Seeker],
    sample: &[&Seeker],
    engine: &[Vec<(i64, u32)>],
    day: NaiveDate,
    rule: &WorkingAgeRule,
) -> Option<Vec<SqlResult>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let url = std::env::var("ABLEWORK_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let Ok(admin) = runtime.block_on(sqlx::PgPool::connect(&url)) else {
        eprintln!("postgres: skipped: no server answers at {url}");
        return None;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|since| since.as_nanos())
        .unwrap_or_default();
    let schema = format!("abw_match_{}_{nanos:x}", std::process::id());
    runtime
        .block_on(
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).execute(&admin),
        )
        .expect("create the benchmark schema");
    // The schema is dropped however the run ends.
    let _drop = DropSchema {
        runtime: &runtime,
        admin: admin.clone(),
        schema: schema.clone(),
    };
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options[search_path]={schema}&application_name={schema}");
    let results = runtime.block_on(async {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect(&scoped)
            .await
            .expect("connect to the schema");
        let started = Instant::now();
        load(&pool, jobs, seekers, rule).await;
        eprintln!(
            "postgres: loaded, indexed and analysed in {:.1?}",
            started.elapsed()
        );
        let expected: BTreeMap<i64, Vec<(i64, u32)>> = sample
            .iter()
            .map(|seeker| {
                let at = usize::try_from(seeker.person_id - 1).expect("a position");
                (seeker.person_id, engine[at].clone())
            })
            .filter(|(_, found)| !found.is_empty())
            .collect();
        let ids: Vec<i64> = sample.iter().map(|seeker| seeker.person_id).collect();
        let results = formulations(&pool, &ids, &expected, day).await;
        pool.close().await;
        results
    });
    Some(results)
}

struct DropSchema<'r> {
    runtime: &'r tokio::runtime::Runtime,
    admin: sqlx::PgPool,
    schema: String,
}

impl Drop for DropSchema<'_> {
    fn drop(&mut self) {
        let dropped = self.runtime.block_on(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {} CASCADE",
                self.schema
            )))
            .execute(&self.admin),
        );
        if let Err(error) = dropped {
            eprintln!("postgres: could not drop schema {}: {error}", self.schema);
        }
        self.runtime.block_on(self.admin.close());
    }
}

fn position<T: PartialEq>(all: &[T], item: &T) -> usize {
    all.iter().position(|other| other == item).expect("listed")
}

/// A demand's number: its position in `DEMAND_LOADS`.
fn demand_number(demand: Demand) -> usize {
    DEMAND_LOADS
        .iter()
        .position(|load| load.demand == demand)
        .expect("every demand has a load")
}

fn district_position(code: &str) -> usize {
    district::all()
        .iter()
        .position(|district| district.code == code)
        .unwrap_or(district::all().len())
}

fn rank(education: Education) -> u32 {
    EDUCATION_RANKS
        .iter()
        .find(|(listed, _)| *listed == education)
        .map_or(0, |(_, rank)| *rank)
}

fn accommodation_bits(accommodations: &[Accommodation]) -> u64 {
    accommodations.iter().fold(0, |bits, accommodation| {
        bits | 1 << position(Accommodation::ALL, accommodation)
    })
}

/// The skill tags as numbers, compared as the domain compares them
/// (surrounding space trimmed, ASCII case folded).
struct Tags(BTreeMap<String, usize>);

impl Tags {
    fn number(&mut self, tag: &str) -> usize {
        let next = self.0.len();
        *self
            .0
            .entry(tag.trim().to_ascii_lowercase())
            .or_insert(next)
    }

    fn array(&mut self, tags: &[String]) -> String {
        let numbers: Vec<String> = tags
            .iter()
            .map(|tag| self.number(tag).to_string())
            .collect();
        format!("{{{}}}", numbers.join(","))
    }
}

fn copy_null<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "\\N".to_owned(), |value| value.to_string())
}

const SCHEMA_SQL: &str = r"
CREATE TABLE jobs (
    id bigint PRIMARY KEY,
    occupation smallint NOT NULL,   -- position in SubMajorGroup::ALL
    major smallint NOT NULL,        -- position in MajorGroup::ALL
    district smallint NOT NULL,     -- position in district::all(); 16: not a district
    remote boolean NOT NULL,
    hours smallint NOT NULL,        -- position in Hours::ALL
    wage integer NOT NULL,
    education smallint,             -- rank required (EDUCATION_RANKS); NULL: none
    skills integer[] NOT NULL,      -- tag numbers
    demands integer NOT NULL,       -- bit 2 × demand + level, at the demand's highest level
    offered bigint NOT NULL,        -- accommodation bits
    reserved boolean NOT NULL,
    open boolean NOT NULL
);
CREATE TABLE seekers (
    id bigint PRIMARY KEY,
    working_from date NOT NULL,     -- from the working-age rule
    retires_on date NOT NULL,
    limits smallint[],              -- worst limitation by function + 1; NULL: not assessed
    access bigint NOT NULL,         -- workplace features needed, as accommodation bits
    skills integer[] NOT NULL,
    education smallint,             -- rank; NULL: not recorded
    occupations smallint[] NOT NULL,
    majors smallint[] NOT NULL,
    districts smallint[] NOT NULL,
    commute_limit smallint,
    remote_ok boolean NOT NULL,
    hours smallint NOT NULL,
    wage_expectation integer,
    home smallint                   -- NULL: not a district
);
CREATE TABLE travel (from_d smallint, to_d smallint, minutes smallint, PRIMARY KEY (from_d, to_d));
CREATE TABLE demand_loads (demand smallint, function smallint, occasional_from smallint, frequent_from smallint);
CREATE TABLE covers (demand smallint, function smallint, up_to_level smallint, up_to_limitation smallint, by_mask bigint);
";

/// Creates the tables and loads them with `COPY`, then the indexes and the
/// statistics.
async fn load(pool: &sqlx::PgPool, jobs: &[Job], seekers: &[Seeker], rule: &WorkingAgeRule) {
    sqlx::raw_sql(SCHEMA_SQL)
        .execute(pool)
        .await
        .expect("create the tables");
    let mut tags = Tags(BTreeMap::new());
    copy(pool, "COPY jobs FROM STDIN", &jobs_text(jobs, &mut tags)).await;
    copy(
        pool,
        "COPY seekers FROM STDIN",
        &seekers_text(seekers, &mut tags, rule),
    )
    .await;
    let mut text = String::new();
    for (from, row) in TRAVEL_MINUTES.iter().enumerate() {
        for (to, minutes) in row.iter().enumerate() {
            writeln!(text, "{from}\t{to}\t{minutes}").expect("write");
        }
    }
    copy(pool, "COPY travel FROM STDIN", &text).await;
    text.clear();
    for (at, load) in DEMAND_LOADS.iter().enumerate() {
        for function in load.functions {
            writeln!(
                text,
                "{at}\t{}\t{}\t{}",
                position(Function::ALL, function),
                position(Limitation::ALL, &load.occasional_from),
                position(Limitation::ALL, &load.frequent_from)
            )
            .expect("write");
        }
    }
    copy(pool, "COPY demand_loads FROM STDIN", &text).await;
    text.clear();
    for row in &COVERS {
        writeln!(
            text,
            "{}\t{}\t{}\t{}\t{}",
            demand_number(row.demand),
            position(Function::ALL, &row.function),
            position(DemandLevel::ALL, &row.up_to_level),
            position(Limitation::ALL, &row.up_to_limitation),
            accommodation_bits(row.by)
        )
        .expect("write");
    }
    copy(pool, "COPY covers FROM STDIN", &text).await;
    // The covering index: every column the score reads, for index-only
    // scans by location; VACUUM sets the visibility map they need (and
    // runs outside a transaction, so one statement at a time).
    for statement in [
        "CREATE INDEX jobs_by_location ON jobs (district, remote) \
         INCLUDE (id, occupation, major, hours, wage, education, skills, demands, offered, reserved) \
         WHERE open",
        "CREATE TABLE job_skills AS SELECT id AS job, unnest(skills) AS tag FROM jobs WHERE open",
        "CREATE INDEX job_skills_by_tag ON job_skills (tag) INCLUDE (job)",
        "VACUUM ANALYZE job_skills",
        "VACUUM ANALYZE jobs",
        "VACUUM ANALYZE seekers",
        "ANALYZE travel",
        "ANALYZE demand_loads",
        "ANALYZE covers",
    ] {
        sqlx::query(statement)
            .execute(pool)
            .await
            .expect("index and analyse");
    }
}

fn jobs_text(jobs: &[Job], tags: &mut Tags) -> String {
    let mut text = String::new();
    for job in jobs {
        let demands = DEMAND_LOADS
            .iter()
            .enumerate()
            .filter_map(|(at, load)| {
                let level = job
                    .demands
                    .iter()
                    .filter(|(demand, _)| *demand == load.demand)
                    .map(|(_, level)| *level)
                    .max()?;
                Some(1u32 << (at * 2 + position(DemandLevel::ALL, &level)))
            })
            .fold(0, |bits, bit| bits | bit);
        writeln!(
            text,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            job.id,
            position(SubMajorGroup::ALL, &job.occupation),
            position(MajorGroup::ALL, &job.occupation.major()),
            district_position(&job.district),
            job.remote_possible,
            position(Hours::ALL, &job.hours),
            job.monthly_wage,
            copy_null(job.education_required.map(rank)),
            tags.array(&job.skills_required),
            demands,
            accommodation_bits(&job.accommodations),
            job.reserved_for_disabled,
            job.open
        )
        .expect("write");
    }
    text
}

fn list(items: impl Iterator<Item = usize>) -> String {
    let items: Vec<String> = items.map(|item| item.to_string()).collect();
    format!("{{{}}}", items.join(","))
}

fn seekers_text(seekers: &[Seeker], tags: &mut Tags, rule: &WorkingAgeRule) -> String {
    let districts = district::all().len();
    let mut text = String::new();
    for seeker in seekers {
        let limits = seeker.functions.as_ref().map(|pairs| {
            let mut worst = vec![0; Function::ALL.len()];
            for (function, limitation) in pairs {
                let slot = &mut worst[position(Function::ALL, function)];
                *slot = (*slot).max(position(Limitation::ALL, limitation));
            }
            list(worst.into_iter())
        });
        let access: Vec<Accommodation> = seeker
            .accommodations_needed
            .iter()
            .copied()
            .filter(|needed| WORKPLACE_ACCESS.contains(needed))
            .collect();
        let home = district_position(&seeker.home_district);
        let wanted = &seeker.desired_occupations;
        writeln!(
            text,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            seeker.person_id,
            working_age_start(seeker.birth_date, rule),
            retirement_date(seeker.birth_date, seeker.retirement_group, rule),
            copy_null(limits),
            accommodation_bits(&access),
            tags.array(&seeker.skills),
            copy_null(seeker.education.map(rank)),
            list(wanted.iter().map(|wish| position(SubMajorGroup::ALL, wish))),
            list(
                wanted
                    .iter()
                    .map(|wish| position(MajorGroup::ALL, &wish.major()))
            ),
            list(
                seeker
                    .districts
                    .iter()
                    .map(|code| district_position(code))
                    .filter(|at| *at < districts)
            ),
            copy_null(seeker.commute_limit_minutes),
            seeker.remote_acceptable,
            position(Hours::ALL, &seeker.hours),
            copy_null(seeker.wage_expectation),
            copy_null((home < districts).then_some(home))
        )
        .expect("write");
    }
    text
}

async fn copy(pool: &sqlx::PgPool, statement: &str, text: &str) {
    let mut copy = pool.copy_in_raw(statement).await.expect("begin COPY");
    copy.send(text.as_bytes()).await.expect("send COPY data");
    let rows = copy.finish().await.expect("finish COPY");
    eprintln!("postgres: {statement}: {rows} rows");
}

/// The seekers asked for (`$1`, ids) who are of working age on `$2`, with
/// the locations each can work at (`loc`: district × remote, with the
/// travel points and whether from home), and what each conflicting demand
/// needs covered (`needs`: the demand bits with a conflict, and for each
/// conflict the accommodations any of which covers it; 0 when none does).
fn prelude() -> String {
    format!(
        r"
WITH s AS (
    SELECT p.*, (cardinality(p.districts) = 0 AND p.commute_limit IS NULL) AS anywhere
    FROM seekers p
    WHERE p.id = ANY($1) AND $2::date >= p.working_from AND $2::date < p.retires_on
),
loc AS ({locations}),
need AS (
    SELECT s.id AS seeker, dl.demand * 2 + lv.level AS bit,
        COALESCE((SELECT bit_or(c.by_mask) FROM covers c
                  WHERE c.demand = dl.demand AND c.function = dl.function
                    AND lv.level <= c.up_to_level
                    AND s.limits[dl.function + 1] <= c.up_to_limitation), 0) AS mask
    FROM s
    CROSS JOIN demand_loads dl
    CROSS JOIN (VALUES (0), (1)) AS lv(level)
    WHERE s.limits IS NOT NULL
      AND s.limits[dl.function + 1] >= CASE lv.level WHEN 0 THEN dl.occasional_from ELSE dl.frequent_from END
),
needs AS (
    SELECT seeker, bit_or(1 << bit) AS conflicting, array_agg(bit) AS bits, array_agg(mask) AS masks
    FROM need GROUP BY seeker
)",
        locations = locations()
    )
}

/// The locations each person of `s` can work at: district × remote, with
/// the travel points and whether from home.
fn locations() -> String {
    let travel_full = WEIGHTS.travel;
    let mut bands = String::new();
    for (up_to, percent) in TRAVEL_BANDS {
        write!(
            bands,
            " WHEN t.minutes <= {up_to} THEN {}",
            WEIGHTS.travel * percent / 100
        )
        .expect("write");
    }
    let districts = district::all().len();
    format!(
        r"
    SELECT s.id AS seeker, d.district::smallint AS district, r.remote,
        (r.remote AND s.remote_ok) AS at_home,
        CASE WHEN r.remote AND s.remote_ok THEN {travel_full}{bands} ELSE 0 END AS travel
    FROM s
    CROSS JOIN generate_series(0, {districts}) AS d(district)
    CROSS JOIN (VALUES (false), (true)) AS r(remote)
    LEFT JOIN travel t ON t.from_d = s.home AND t.to_d = d.district
    WHERE (r.remote AND s.remote_ok) OR s.anywhere OR d.district = ANY(s.districts)
        OR t.minutes <= s.commute_limit
"
    )
}

/// The hard constraints after location (which `loc` holds): access on
/// site, and every conflict covered. Aliases `s`, `loc`, `n`, `j`.
const CONSTRAINTS: &str = r"
    (loc.at_home OR (j.offered & s.access) = s.access)
    AND (n.conflicting IS NULL OR (j.demands & n.conflicting) = 0
         OR NOT EXISTS (SELECT 1 FROM unnest(n.bits, n.masks) AS c(bit, mask)
                        WHERE (j.demands >> c.bit) & 1 = 1 AND (j.offered & c.mask) = 0))";

/// The score, from the domain's weights and tables, with `matched` the SQL
/// for the number of required skills the person has. Aliases `s`, `loc`,
/// `j`.
fn score_with(matched: &str) -> String {
    let w = WEIGHTS;
    let mut hours = String::new();
    for (wanted, offered, percent) in HOURS_FIT {
        write!(
            hours,
            " WHEN {} THEN {}",
            position(Hours::ALL, &wanted) * Hours::ALL.len() + position(Hours::ALL, &offered),
            w.hours * percent / 100
        )
        .expect("write");
    }
    format!(
        r"(
    CASE WHEN cardinality(s.occupations) = 0 THEN {no_preference}
         WHEN j.occupation = ANY(s.occupations) THEN {occupation}
         WHEN j.major = ANY(s.majors) THEN {related} ELSE 0 END
  + CASE WHEN cardinality(j.skills) = 0 THEN {skills}
         ELSE {skills} * ({matched}) / cardinality(j.skills) END
  + CASE WHEN j.education IS NULL THEN {education}
         WHEN s.education IS NULL THEN {education_unknown}
         WHEN s.education >= j.education THEN {education}
         WHEN s.education + 1 = j.education THEN {education_below} ELSE 0 END
  + CASE s.hours * {hour_kinds} + j.hours{hours} ELSE 0 END
  + CASE WHEN s.wage_expectation IS NULL OR j.wage >= s.wage_expectation THEN {wage}
         ELSE {wage} * GREATEST(2 * j.wage - s.wage_expectation, 0) / s.wage_expectation END
  + loc.travel
  + CASE WHEN j.reserved THEN {reserved} ELSE 0 END
)::integer",
        no_preference = w.occupation * NO_OCCUPATION_PREFERENCE_PERCENT / 100,
        occupation = w.occupation,
        related = w.occupation * RELATED_OCCUPATION_PERCENT / 100,
        skills = w.skills,
        education = w.education,
        education_unknown = w.education * EDUCATION_UNKNOWN_PERCENT / 100,
        education_below = w.education * EDUCATION_ONE_RANK_BELOW_PERCENT / 100,
        hour_kinds = Hours::ALL.len(),
        wage = w.wage,
        reserved = w.reserved,
    )
}

/// The score with the skills counted by a subquery per pair.
fn score() -> String {
    score_with("SELECT count(*) FROM unnest(j.skills) AS r(tag) WHERE r.tag = ANY(s.skills)")
}

/// The same query set-based, for a parallel plan: the common table
/// expressions are inlined (a CTE scan cannot run in a parallel worker),
/// and the two per-pair subqueries (skills held, conflicts) become joins
/// (a correlated subplan cannot either): the skills held are counted by
/// joining the person's skills to `job_skills`, and the uncovered
/// conflicts are an anti-join.
fn parallel_sql() -> String {
    format!(
        r"
WITH s AS NOT MATERIALIZED (
    SELECT p.*, (cardinality(p.districts) = 0 AND p.commute_limit IS NULL) AS anywhere
    FROM seekers p
    WHERE p.id = ANY($1) AND $2::date >= p.working_from AND $2::date < p.retires_on
),
loc AS NOT MATERIALIZED ({locations}),
need AS NOT MATERIALIZED (
    SELECT s.id AS seeker, dl.demand * 2 + lv.level AS bit, COALESCE(bit_or(c.by_mask), 0) AS mask
    FROM s
    CROSS JOIN demand_loads dl
    CROSS JOIN (VALUES (0), (1)) AS lv(level)
    LEFT JOIN covers c ON c.demand = dl.demand AND c.function = dl.function
        AND lv.level <= c.up_to_level AND s.limits[dl.function + 1] <= c.up_to_limitation
    WHERE s.limits IS NOT NULL
      AND s.limits[dl.function + 1] >= CASE lv.level WHEN 0 THEN dl.occasional_from ELSE dl.frequent_from END
    GROUP BY s.id, dl.demand, lv.level, dl.function
),
held AS NOT MATERIALIZED (
    SELECT h.seeker, js.job, count(*) AS matched
    FROM (SELECT DISTINCT s.id AS seeker, unnest(s.skills) AS tag FROM s) h
    JOIN job_skills js ON js.tag = h.tag
    GROUP BY h.seeker, js.job
),
scored AS (
    SELECT loc.seeker, j.id AS job, {score} AS score
    FROM loc
    JOIN s ON s.id = loc.seeker
    JOIN jobs j ON j.district = loc.district AND j.remote = loc.remote AND j.open
    LEFT JOIN held ON held.seeker = loc.seeker AND held.job = j.id
    WHERE (loc.at_home OR (j.offered & s.access) = s.access)
      AND NOT EXISTS (SELECT 1 FROM need n
                      WHERE n.seeker = loc.seeker AND (j.demands >> n.bit) & 1 = 1
                        AND (j.offered & n.mask) = 0)
)
SELECT seeker, job, score FROM (
    SELECT seeker, job, score,
        row_number() OVER (PARTITION BY seeker ORDER BY score DESC, job) AS place
    FROM scored
) ranked
WHERE place <= {N}
ORDER BY seeker, place",
        locations = locations(),
        score = score_with("COALESCE(held.matched, 0)")
    )
}

/// Every pair scored, then the best 10 of each person by a window.
fn window_sql() -> String {
    format!(
        r"{prelude},
scored AS (
    SELECT loc.seeker, j.id AS job, {score} AS score
    FROM loc
    JOIN s ON s.id = loc.seeker
    LEFT JOIN needs n ON n.seeker = loc.seeker
    JOIN jobs j ON j.district = loc.district AND j.remote = loc.remote AND j.open
    WHERE {CONSTRAINTS}
)
SELECT seeker, job, score FROM (
    SELECT seeker, job, score,
        row_number() OVER (PARTITION BY seeker ORDER BY score DESC, job) AS place
    FROM scored
) ranked
WHERE place <= {N}
ORDER BY seeker, place",
        prelude = prelude(),
        score = score()
    )
}

/// For each person, their best 10 by `ORDER BY … LIMIT` over their
/// locations (index-only scans of the covering index).
fn lateral_sql() -> String {
    format!(
        r"{prelude}
SELECT s.id AS seeker, top.job, top.score
FROM s
LEFT JOIN needs n ON n.seeker = s.id
CROSS JOIN LATERAL (
    SELECT j.id AS job, {score} AS score
    FROM loc
    JOIN jobs j ON j.district = loc.district AND j.remote = loc.remote AND j.open
    WHERE loc.seeker = s.id AND {CONSTRAINTS}
    ORDER BY score DESC, j.id
    LIMIT {N}
) top
ORDER BY s.id, top.score DESC, top.job",
        prelude = prelude(),
        score = score()
    )
}

/// Session settings of a formulation, set for its transaction only.
const JIT_OFF: &str = "SET LOCAL jit = off";
const PARALLEL: [&str; 7] = [
    "SET LOCAL max_parallel_workers_per_gather = 2",
    "SET LOCAL parallel_setup_cost = 0",
    "SET LOCAL parallel_tuple_cost = 0",
    "SET LOCAL min_parallel_table_scan_size = 0",
    "SET LOCAL min_parallel_index_scan_size = 0",
    // Hash joins, so the jobs are scanned in parallel and every worker
    // scores its share of the pairs.
    "SET LOCAL enable_nestloop = off",
    "SET LOCAL enable_mergejoin = off",
];
const NO_PARALLEL: &str = "SET LOCAL max_parallel_workers_per_gather = 0";

async fn formulations(
    pool: &sqlx::PgPool,
    ids: &[i64],
    expected: &BTreeMap<i64, Vec<(i64, u32)>>,
    day: NaiveDate,
) -> Vec<SqlResult> {
    let window = window_sql();
    let lateral = lateral_sql();
    let serial = [NO_PARALLEL];
    let serial_no_jit = [NO_PARALLEL, JIT_OFF];
    let parallel_no_jit: Vec<&str> = PARALLEL.iter().copied().chain([JIT_OFF]).collect();
    let parallel = parallel_sql();
    let cases: [(&str, &str, &[&str]); 8] = [
        ("covering index + window", window.as_str(), &serial[..]),
        (
            "covering index + window, JIT off",
            window.as_str(),
            &serial_no_jit[..],
        ),
        ("LATERAL top-k", lateral.as_str(), &serial[..]),
        (
            "LATERAL top-k, JIT off",
            lateral.as_str(),
            &serial_no_jit[..],
        ),
        ("set-based, parallel plan", parallel.as_str(), &PARALLEL[..]),
        (
            "set-based, parallel plan, JIT off",
            parallel.as_str(),
            &parallel_no_jit[..],
        ),
        (
            "covering index + window, parallel settings",
            window.as_str(),
            &PARALLEL[..],
        ),
        (
            "covering index + window, parallel settings, JIT off",
            window.as_str(),
            &parallel_no_jit[..],
        ),
    ];
    let mut results = Vec::new();
    for (name, sql, settings) in cases {
        explain(pool, name, sql, settings, ids, day).await;
        let (found, first) = run_sql(pool, sql, settings, ids, day).await;
        let identical = &found == expected;
        if !identical {
            report_difference(name, &found, expected);
        }
        let mut best = first;
        for _ in 0..SQL_RUNS {
            best = best.min(run_sql(pool, sql, settings, ids, day).await.1);
        }
        eprintln!(
            "postgres: {name}: {best:.2?} for {} seekers (first run {first:.2?})",
            ids.len()
        );
        results.push(SqlResult {
            name: name.to_owned(),
            sample: ids.len(),
            time: best,
            identical,
            latency: None,
        });
    }
    // One query a person, as an application would ask for one person.
    let mut latency = Vec::new();
    let mut found = BTreeMap::new();
    let mut total = Duration::ZERO;
    for id in ids {
        let (one, time) = run_sql(pool, &lateral, &serial_no_jit, &[*id], day).await;
        latency.push(time);
        total += time;
        found.extend(one);
    }
    let identical = &found == expected;
    if !identical {
        report_difference("one query a seeker", &found, expected);
    }
    eprintln!(
        "postgres: one query a seeker: {total:.2?} for {} seekers",
        ids.len()
    );
    results.push(SqlResult {
        name: "LATERAL top-k, one query a seeker".to_owned(),
        sample: ids.len(),
        time: total,
        identical,
        latency: Some(latency),
    });
    results
}

fn report_difference(
    name: &str,
    found: &BTreeMap<i64, Vec<(i64, u32)>>,
    expected: &BTreeMap<i64, Vec<(i64, u32)>>,
) {
    let differing: Vec<_> = expected
        .keys()
        .chain(found.keys())
        .filter(|id| found.get(id) != expected.get(id))
        .take(3)
        .collect();
    eprintln!(
        "postgres: {name}: DIFFERS from the engine for {} seekers; first: {differing:?}",
        expected
            .keys()
            .chain(found.keys())
            .filter(|id| found.get(id) != expected.get(id))
            .count()
    );
    for id in differing {
        eprintln!(
            "  {id}: SQL {:?}\n  {id}: engine {:?}",
            found.get(id),
            expected.get(id)
        );
    }
}

async fn explain(
    pool: &sqlx::PgPool,
    name: &str,
    sql: &str,
    settings: &[&str],
    ids: &[i64],
    day: NaiveDate,
) {
    let mut tx = pool.begin().await.expect("begin");
    for setting in settings {
        sqlx::query(sqlx::AssertSqlSafe(*setting))
            .execute(&mut *tx)
            .await
            .expect("setting");
    }
    let plan: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}")))
        .bind(ids)
        .bind(day)
        .fetch_all(&mut *tx)
        .await
        .expect("explain")
        .iter()
        .map(|row| row.get::<String, _>(0))
        .collect();
    tx.rollback().await.expect("rollback");
    // The plan's main nodes, without the CTEs' details.
    let shape: Vec<String> = plan
        .iter()
        .filter(|line| line.contains("->") || !line.starts_with(' '))
        .map(|line| line.chars().take(110).collect())
        .take(40)
        .collect();
    eprintln!("postgres: plan of {name}:\n{}", shape.join("\n"));
}

async fn run_sql(
    pool: &sqlx::PgPool,
    sql: &str,
    settings: &[&str],
    ids: &[i64],
    day: NaiveDate,
) -> (BTreeMap<i64, Vec<(i64, u32)>>, Duration) {
    let mut tx = pool.begin().await.expect("begin");
    for setting in settings {
        sqlx::query(sqlx::AssertSqlSafe(*setting))
            .execute(&mut *tx)
            .await
            .expect("setting");
    }
    let started = Instant::now();
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ids)
        .bind(day)
        .fetch_all(&mut *tx)
        .await
        .expect("the matching query");
    let elapsed = started.elapsed();
    tx.rollback().await.expect("rollback");
    let mut found: BTreeMap<i64, Vec<(i64, u32)>> = BTreeMap::new();
    for row in &rows {
        let seeker: i64 = row.get("seeker");
        let job: i64 = row.get("job");
        let score: i32 = row.get("score");
        found
            .entry(seeker)
            .or_default()
            .push((job, u32::try_from(score).expect("a score")));
    }
    (found, elapsed)
}
