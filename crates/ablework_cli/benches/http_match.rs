//! One job seeker's recommended jobs over HTTP (issue 8's acceptance: the
//! top 10 of 20,000 open postings in at most 5 ms at p95):
//! `cargo bench -p ablework_cli --bench http_match`. The numbers are in
//! docs/benchmarks.md, section "Matching", "One person over HTTP".
//!
//! A fresh SQLite database in a temporary directory, opened and migrated
//! as the binary opens a `sqlite:` URL (`SqlStore::connect`, `migrate`), is
//! seeded outside the timed part with the demo (`App::seed_demo`:
//! [`PERSONS`] people with their assessments, needs and consents,
//! [`EMPLOYERS`] employers and the demo's own postings), then [`JOBS`] more
//! open postings from the matching benchmark's generator
//! (`benches/synthetic_jobs`), each given to one of the demo's employers in
//! turn and written with `Store::insert_job_postings` in chunks of
//! [`CHUNK`] (a generated posting marked closed is written open all the
//! same: every one of them is open).
//!
//! `ablework_web::router` is served with `axum::serve` on 127.0.0.1 (a port
//! the system chooses) in the benchmark's tokio runtime, multi-threaded
//! with 2 workers, as the binary serves it. The caller is the demo's city
//! administrator, `admin`, with an API token. The people: about
//! [`SAMPLE`], evenly spread, of those looking for work
//! (`Store::seeker_files`) with an approved assessment and a registered
//! need, of working age today. Then:
//!
//! 1. the first `GET /api/v1/persons/{id}/recommendations` builds the open
//!    postings' matching index (`App::open_jobs`): timed on its own, as
//!    "index build on first request";
//! 2. [`WARM_UP`] more requests, and as many in-process calls, for other
//!    people, untimed;
//! 3. for each person of the sample, their recommendations (default
//!    n = 10) over one keep-alive HTTP/1.1 connection, one request at a
//!    time, timed from writing the request to reading the last byte of the
//!    body; and in-process, `App::recommended_jobs(&admin, id, 10)`, the
//!    same work without HTTP (no routing, token check, JSON or socket),
//!    timed the same. Which of the two goes first alternates from person
//!    to person, so neither always finds the other's pages in the cache.
//!
//! Every response must be 200 with the jobs of the in-process answer, in
//! its order, and with 10 of them unless fewer fit, and must count every
//! open posting; the run stops otherwise.
//!
//! The client is a few lines over `tokio::net::TcpStream` (request line,
//! `Host`, `Authorization`; headers to the blank line, then a
//! `Content-Length` body): no HTTP client crate is in `ablework_cli`'s
//! dependency tree (hyper is there with its server side only), and a
//! client crate (reqwest) would add dozens of crates for one benchmark.
//!
//! A table goes to standard output; progress to standard error.

#![expect(
    clippy::expect_used,
    reason = "benchmark set-up: failing loudly is the point"
)]

mod common;
mod synthetic_jobs;

use common::{actor, load_average, ms, percentile};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ablework_app::{App, AppConfig, SystemClock};
use ablework_domain::district;
use ablework_domain::lang::Lang;
use ablework_domain::matching::{Job, JobIndex};
use ablework_domain::working_age::is_working_age;
use ablework_store::{
    EmployerFilter, EmployerScope, JobPostingFields, JobPostingRecord, NewAuditEntry, SeekerFilter,
    Store,
};
use ablework_store_sql::SqlStore;
use synthetic_jobs::{Random, generate_jobs};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// People of the demo.
const PERSONS: usize = 20_000;
/// Employers of the demo.
const EMPLOYERS: usize = 2_000;
/// The demo's default seed.
const SEED: u64 = 2022;
/// Synthetic open postings added to the demo's.
const JOBS: usize = 20_000;
/// The seed of the postings (the matching benchmark's).
const JOBS_SEED: u64 = 0x7121_2026;
/// Postings written by one `insert_job_postings`.
const CHUNK: usize = 2_000;
/// People timed (about).
const SAMPLE: usize = 1_000;
/// Untimed requests after the first.
const WARM_UP: usize = 50;
/// Jobs asked for (the API's default).
const N: usize = 10;
/// The acceptance target for p95 over HTTP.
const TARGET: Duration = Duration::from_millis(5);
/// Threads of the runtime that serves the requests.
const WORKERS: usize = 2;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let load_at_start = load_average();
    eprintln!(
        "machine: {} logical CPUs; load average at start {load_at_start}",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
    );
    // Removed at the end.
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("http_match.db");
    let (app, store) = runtime.block_on(open(&path));
    let open_postings = runtime
        .block_on(store.open_job_postings())
        .expect("open postings")
        .len();
    let database_bytes = database_size(&path);
    let (sample, warm_up, looking) = runtime.block_on(people(&app, &store));
    eprintln!(
        "{looking} people looking for work with an assessment and a need, of working age; \
         {} sampled, {} for the warm-up",
        sample.len(),
        warm_up.len()
    );

    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("listen on 127.0.0.1");
    let address = listener.local_addr().expect("the local address");
    let router = ablework_web::router(app.clone());
    runtime.spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    let token = runtime
        .block_on(app.create_api_token(None, "admin"))
        .expect("a token for admin");
    let admin = runtime.block_on(actor(&app, "admin"));
    let mut client = runtime.block_on(Client::connect(address, token));
    eprintln!("serving on http://{address}/");

    // The first request builds the index.
    let first = warm_up[0];
    let (status, body, first_request) = runtime.block_on(client.recommendations(first));
    let first_items = check(status, &body, first, None, open_postings).len();
    eprintln!(
        "first request (person {first}, {first_items} jobs; builds the index): {}",
        ms(first_request)
    );
    for id in &warm_up[1..] {
        let (status, body, _) = runtime.block_on(client.recommendations(*id));
        let expected = runtime.block_on(in_process(&app, &admin, *id)).0;
        check(status, &body, *id, Some(&expected), open_postings);
    }

    let timed = time_sample(&runtime, &app, &admin, &mut client, &sample, open_postings);
    let load_at_end = load_average();
    eprintln!("load average at the end {load_at_end}");
    let build_parts = build_parts(&runtime, &app, &store);

    report(&Report {
        open_postings,
        looking,
        database_bytes,
        first_request,
        build_parts,
        timed,
        load_at_start,
        load_at_end,
    });
    drop(client);
    runtime.block_on(store.close());
    drop(runtime);
    drop(dir);
}

/// Opens and migrates a fresh database at `path` the way the binary does,
/// seeds the demo and adds the synthetic postings; returns the
/// application on it.
async fn open(path: &std::path::Path) -> (App, SqlStore) {
    let store = SqlStore::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    let app = App::new(
        Arc::new(store.clone()),
        AppConfig::with_secret([7; 64]),
        Arc::new(SystemClock),
    );
    let started = Instant::now();
    app.seed_demo(PERSONS, EMPLOYERS, SEED, &|written| {
        if written % 5_000 == 0 {
            eprintln!("  seeded {written} people ({:.0?})", started.elapsed());
        }
    })
    .await
    .expect("seed the demo data");
    eprintln!(
        "seeded the demo ({PERSONS} people, {EMPLOYERS} employers) in {:.1?} (not timed)",
        started.elapsed()
    );

    let started = Instant::now();
    let employers = employer_ids(&store).await;
    let jobs = generate_jobs(&mut Random(JOBS_SEED), JOBS);
    let postings: Vec<JobPostingFields> = jobs
        .iter()
        .enumerate()
        .map(|(at, job)| posting(job, employers[at % employers.len()]))
        .collect();
    for chunk in postings.chunks(CHUNK) {
        let audit = NewAuditEntry::new(app.now(), None, "system", "job.import", "job_posting");
        let written = store
            .insert_job_postings(chunk, app.now(), audit)
            .await
            .expect("insert postings");
        assert_eq!(written, chunk.len() as u64, "every posting written");
    }
    eprintln!(
        "wrote {JOBS} synthetic postings for {} employers in {:.1?} (not timed)",
        employers.len(),
        started.elapsed()
    );
    (app, store)
}

/// Every employer's id, in the store's order (by name).
async fn employer_ids(store: &SqlStore) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut filter = EmployerFilter::new(EmployerScope::All);
    filter.per_page = 500;
    loop {
        let page = store.list_employers(&filter).await.expect("employers");
        if page.items.is_empty() {
            break;
        }
        ids.extend(page.items.iter().map(|employer| employer.id));
        filter.page += 1;
    }
    assert!(!ids.is_empty(), "the demo has employers");
    ids
}

/// A generated job as a posting of `employer_id`.
fn posting(job: &Job, employer_id: i64) -> JobPostingFields {
    let district_name = district::by_code(&job.district).map_or("", |d| d.name_zh);
    JobPostingFields {
        employer_id,
        title: job.occupation.label(Lang::Zh).to_owned(),
        occupation: job.occupation,
        district_code: job.district.clone(),
        address: format!("{district_name}测试路{}号", 1 + job.id % 500),
        remote_possible: job.remote_possible,
        hours: job.hours,
        monthly_wage: job.monthly_wage,
        education_required: job.education_required,
        skills_required: job.skills_required.clone(),
        demands: job.demands.clone(),
        accommodations: job.accommodations.clone(),
        reserved_for_disabled: job.reserved_for_disabled,
        posts: 1 + u32::try_from(job.id % 3).expect("a count"),
    }
}

/// The people timed (about [`SAMPLE`], evenly spread) and those of the
/// warm-up (others, as many as [`WARM_UP`] + 1) among the people looking
/// for work with an assessment and a need, of working age; and how many
/// of those there are.
async fn people(app: &App, store: &SqlStore) -> (Vec<i64>, Vec<i64>, usize) {
    let today = app.today();
    let rule = &app.config().policy.working_age;
    let looking: Vec<i64> = store
        .seeker_files(&SeekerFilter::default())
        .await
        .expect("seeker files")
        .into_iter()
        .filter(|file| file.assessment.is_some() && file.need.is_some())
        .filter(|file| {
            is_working_age(
                file.person.birth_date,
                file.person.retirement_group,
                today,
                rule,
            )
        })
        .map(|file| file.person.id)
        .collect();
    let step = (looking.len() / SAMPLE).max(2);
    let sample: Vec<i64> = looking.iter().copied().step_by(step).collect();
    let warm_up: Vec<i64> = looking
        .iter()
        .copied()
        .skip(step / 2)
        .step_by(step)
        .take(WARM_UP + 1)
        .collect();
    assert!(
        sample.len() >= SAMPLE / 2 && warm_up.len() == WARM_UP + 1,
        "too few people looking for work: {}",
        looking.len()
    );
    (sample, warm_up, looking.len())
}

/// The person's recommended jobs in-process, by id, and the time taken.
async fn in_process(app: &App, admin: &ablework_app::Actor, id: i64) -> (Vec<i64>, Duration) {
    let started = Instant::now();
    let found = app
        .recommended_jobs(admin, id, N)
        .await
        .expect("recommended jobs in-process");
    let elapsed = started.elapsed();
    let jobs = found.jobs.iter().map(|job| job.posting.id).collect();
    (jobs, elapsed)
}

/// Checks a response: 200, the person's, every open posting counted, at
/// most [`N`] jobs, and the jobs (and order) of the in-process answer when
/// given. Returns the jobs' ids; stops the run on anything else.
fn check(
    status: u16,
    body: &[u8],
    id: i64,
    expected: Option<&Vec<i64>>,
    open_postings: usize,
) -> Vec<i64> {
    assert_eq!(
        status,
        200,
        "person {id}: status {status}: {}",
        String::from_utf8_lossy(body)
    );
    let value: serde_json::Value = serde_json::from_slice(body).expect("a JSON body");
    assert_eq!(
        value["person_id"].as_i64(),
        Some(id),
        "the person asked for"
    );
    assert_eq!(
        value["open_postings"].as_u64(),
        Some(open_postings as u64),
        "person {id}: every open posting considered"
    );
    let found: Vec<i64> = value["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["job_id"].as_i64().expect("a job id"))
        .collect();
    assert!(found.len() <= N, "person {id}: {} jobs", found.len());
    if let Some(expected) = expected {
        assert_eq!(
            &found, expected,
            "person {id}: the jobs over HTTP differ from those in-process"
        );
        // Fewer than 10 only when fewer fit: the in-process answer, asked
        // for 10 of every open posting, has the same.
    }
    found
}

/// The times of the sample, over HTTP and in-process, and what came back.
struct Timed {
    http: Vec<Duration>,
    direct: Vec<Duration>,
    /// People given a full list of [`N`] jobs.
    full_lists: usize,
    /// The median size of a response's body, bytes.
    body_median: usize,
}

/// Times each person of the sample over HTTP and in-process, the order
/// alternating, and checks every answer.
fn time_sample(
    runtime: &tokio::runtime::Runtime,
    app: &App,
    admin: &ablework_app::Actor,
    client: &mut Client,
    sample: &[i64],
    open_postings: usize,
) -> Timed {
    let mut http = Vec::with_capacity(sample.len());
    let mut direct = Vec::with_capacity(sample.len());
    let mut body_sizes = Vec::with_capacity(sample.len());
    let mut full_lists = 0;
    for (at, id) in sample.iter().enumerate() {
        let (expected, in_process_time, (status, body, http_time)) = if at % 2 == 0 {
            let (expected, time) = runtime.block_on(in_process(app, admin, *id));
            (
                expected,
                time,
                runtime.block_on(client.recommendations(*id)),
            )
        } else {
            let answer = runtime.block_on(client.recommendations(*id));
            let (expected, time) = runtime.block_on(in_process(app, admin, *id));
            (expected, time, answer)
        };
        let found = check(status, &body, *id, Some(&expected), open_postings);
        if found.len() == N {
            full_lists += 1;
        }
        http.push(http_time);
        direct.push(in_process_time);
        body_sizes.push(body.len());
        if (at + 1) % 250 == 0 {
            eprintln!(
                "  {} people: HTTP p95 so far {}",
                at + 1,
                ms(percentile(&http, 95))
            );
        }
    }
    Timed {
        http,
        direct,
        full_lists,
        body_median: percentile(&body_sizes, 50),
    }
}

/// What the first request's build is made of, measured again after the
/// run (warm): reading the open postings, and `JobIndex::new` over them.
fn build_parts(
    runtime: &tokio::runtime::Runtime,
    app: &App,
    store: &SqlStore,
) -> (Duration, Duration) {
    let started = Instant::now();
    let postings = runtime
        .block_on(store.open_job_postings())
        .expect("open postings");
    let reading = started.elapsed();
    let jobs: Vec<Job> = postings.iter().map(JobPostingRecord::to_job).collect();
    let started = Instant::now();
    let index = JobIndex::new(&jobs, app.today(), &app.config().policy.working_age);
    let indexing = started.elapsed();
    assert_eq!(index.len(), postings.len(), "every open posting indexed");
    (reading, indexing)
}

/// The size of the database file and its write-ahead log.
fn database_size(path: &std::path::Path) -> u64 {
    let wal = path.with_extension("db-wal");
    [path, wal.as_path()]
        .iter()
        .filter_map(|file| std::fs::metadata(file).ok())
        .map(|metadata| metadata.len())
        .sum()
}

/// One keep-alive HTTP/1.1 connection, one request at a time.
struct Client {
    stream: TcpStream,
    host: String,
    authorization: String,
    /// Bytes read past the last response (none expected).
    buffer: Vec<u8>,
}

impl Client {
    async fn connect(address: std::net::SocketAddr, token: String) -> Client {
        let stream = TcpStream::connect(address).await.expect("connect");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        Client {
            stream,
            host: address.to_string(),
            authorization: format!("Bearer {token}"),
            buffer: Vec::with_capacity(64 * 1024),
        }
    }

    /// `GET /api/v1/persons/{id}/recommendations`: the status, the body
    /// and the time from writing the request to reading the body's last
    /// byte.
    async fn recommendations(&mut self, id: i64) -> (u16, Vec<u8>, Duration) {
        let request = format!(
            "GET /api/v1/persons/{id}/recommendations HTTP/1.1\r\nHost: {}\r\n\
             Authorization: {}\r\nAccept: application/json\r\n\r\n",
            self.host, self.authorization
        );
        let started = Instant::now();
        self.stream
            .write_all(request.as_bytes())
            .await
            .expect("write the request");
        let (status, body) = self.response().await;
        (status, body, started.elapsed())
    }

    /// Reads one response: headers to the blank line, then a body of
    /// `Content-Length` bytes. Anything else (chunked, closed) fails.
    async fn response(&mut self) -> (u16, Vec<u8>) {
        let end = loop {
            if let Some(at) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at;
            }
            self.fill().await;
        };
        let head = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status: u16 = status_line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("a status line: {status_line:?}"));
        let mut length = None;
        for line in lines {
            let (name, value) = line.split_once(':').expect("a header");
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.parse::<usize>().expect("a length"));
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                panic!("transfer-encoding {value} is not read by this client");
            } else if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close")
            {
                panic!("the server closes the connection");
            }
        }
        let length = length.expect("a Content-Length");
        let start = end + 4;
        while self.buffer.len() < start + length {
            self.fill().await;
        }
        let body = self.buffer[start..start + length].to_vec();
        self.buffer.drain(..start + length);
        assert!(self.buffer.is_empty(), "bytes after the response");
        (status, body)
    }

    async fn fill(&mut self) {
        self.buffer.reserve(16 * 1024);
        let read = self.stream.read_buf(&mut self.buffer).await.expect("read");
        assert!(read > 0, "the server closed the connection");
    }
}

struct Report {
    open_postings: usize,
    looking: usize,
    database_bytes: u64,
    first_request: Duration,
    /// Reading the open postings and indexing them, again, warm.
    build_parts: (Duration, Duration),
    timed: Timed,
    load_at_start: String,
    load_at_end: String,
}

fn report(report: &Report) {
    let http = &report.timed.http;
    let direct = &report.timed.direct;
    let p95 = percentile(http, 95);
    println!();
    println!(
        "http_match: top {N} of {} open postings for one person, GET over one keep-alive \
         HTTP/1.1 connection (SQLite, release build, {WORKERS} server workers)",
        report.open_postings
    );
    println!(
        "data: {PERSONS} people, {EMPLOYERS} employers, {} open postings ({JOBS} synthetic + {} \
         of the demo); {} people looking for work with an assessment and a need, of working \
         age; {} timed; database {:.0} MB; median body {} bytes",
        report.open_postings,
        report.open_postings.saturating_sub(JOBS),
        report.looking,
        http.len(),
        report.database_bytes as f64 / 1e6,
        report.timed.body_median
    );
    println!(
        "{:<40} {:>10}",
        "index build on first request",
        ms(report.first_request)
    );
    println!(
        "{:<40} {:>10}  JobIndex::new {}",
        "  again, warm: reading the postings",
        ms(report.build_parts.0),
        ms(report.build_parts.1)
    );
    println!(
        "{:<40} {:>10} {:>10} {:>10} {:>10}",
        "", "p50", "p95", "p99", "max"
    );
    for (name, times) in [
        ("HTTP GET .../recommendations", http),
        ("in-process App::recommended_jobs", direct),
    ] {
        println!(
            "{name:<40} {:>10} {:>10} {:>10} {:>10}",
            ms(percentile(times, 50)),
            ms(percentile(times, 95)),
            ms(percentile(times, 99)),
            ms(percentile(times, 100))
        );
    }
    println!(
        "{:<40} {:>10} {:>10}",
        "HTTP adds (difference of percentiles)",
        ms(percentile(http, 50).saturating_sub(percentile(direct, 50))),
        ms(p95.saturating_sub(percentile(direct, 95)))
    );
    println!(
        "{} of {} people got {N} jobs, the rest as many as fit; every answer identical over \
         HTTP and in-process",
        report.timed.full_lists,
        http.len()
    );
    println!(
        "goal: p95 <= {} over HTTP: {} (p95 {})",
        ms(TARGET),
        if p95 <= TARGET { "MET" } else { "NOT MET" },
        ms(p95)
    );
    println!(
        "load average (1, 5, 15 min): {} at start, {} at the end",
        report.load_at_start, report.load_at_end
    );
}
