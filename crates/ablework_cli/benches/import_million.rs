//! A million people from a GB18030 file into SQLite (the bulk-data issue's
//! acceptance): `cargo bench -p ablework_cli --bench import_million`. The
//! numbers are in docs/benchmarks.md.
//!
//! The file is made first, outside the timings: the demo generator's
//! people (seed 11), one line each under the Chinese headers a district
//! office uses, written once as UTF-8 and once as GB18030. Then, in the same
//! run, on the same disk:
//!
//! 1. **`sqlite3` shell**: `.import --csv` of the UTF-8 file into a new
//!    database, a table made from the header row: no validation, no
//!    encryption, no index, one transaction;
//! 2. **`ablework import persons`**: the release binary on the GB18030
//!    file into a new database: the encoding detected, every row read,
//!    normalised and validated (ID and certificate check digits, dates,
//!    working age, district, vocabularies), identifiers encrypted and
//!    hashed, name grams for search, the registry's tallies, committed in
//!    batches of 10,000 each with its audit entry (a 64 MiB page cache),
//!    the people's secondary indexes and name grams set aside and rebuilt
//!    once at the end (a "person load", docs/imports.md).
//!
//! Each is timed as a whole process, start to exit, and its peak resident
//! memory read from `/proc` as it runs. The import also runs on a tenth of
//! the file, so that its peak memory at 100,000 and at 1,000,000 rows can
//! be compared: a streaming import holds the same memory at both.
//!
//! `ABLEWORK_BENCH_IMPORT_ROWS=N` changes the number of rows (default
//! 1,000,000); `ABLEWORK_BENCH_IMPORT_DIR=path` keeps the files there.

#![expect(
    clippy::expect_used,
    reason = "benchmark set-up: failing loudly is the point"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The demo generator's seed for the people in the file.
const SEED: u64 = 11;
/// Rows in the file unless `ABLEWORK_BENCH_IMPORT_ROWS` says otherwise.
const DEFAULT_ROWS: usize = 1_000_000;
/// The secret key of the databases the benchmark makes: 64 bytes as 128
/// hex digits.
fn key() -> String {
    "0123456789abcdef".repeat(8)
}

/// One process run: how long it took and its peak resident memory.
struct Run {
    took: Duration,
    peak_rss_kib: u64,
    stdout: String,
}

fn rows() -> usize {
    std::env::var("ABLEWORK_BENCH_IMPORT_ROWS")
        .ok()
        .and_then(|text| text.replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_ROWS)
}

/// The peak resident set (`VmHWM`) of a running process, in KiB.
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs `command` to its end, reading its peak memory every 20 ms.
fn run(command: &mut Command, what: &str) -> Run {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let mut peak = 0;
    while child
        .try_wait()
        .expect("the child can be waited for")
        .is_none()
    {
        if let Some(kib) = peak_rss(child.id()) {
            peak = peak.max(kib);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("the output is read");
    let took = started.elapsed();
    assert!(
        output.status.success(),
        "{what} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Run {
        took,
        peak_rss_kib: peak,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    }
}

/// Writes the people file as UTF-8 and as GB18030; returns both paths.
fn write_files(dir: &Path, count: usize, stem: &str) -> (PathBuf, PathBuf) {
    let utf8 = dir.join(format!("{stem}.utf8.csv"));
    let gb18030 = dir.join(format!("{stem}.gb18030.csv"));
    if utf8.exists() && gb18030.exists() {
        return (utf8, gb18030);
    }
    let mut text = String::with_capacity(count * 110);
    writeln!(text, "{}\r", ablework_demo::PERSON_FILE_HEADER).expect("a String takes text");
    for person in ablework_demo::persons(SEED, count) {
        person.write_file_line(&mut text);
    }
    std::fs::write(&utf8, text.as_bytes()).expect("the UTF-8 file is written");
    let (encoded, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable, "GB18030 encodes every character");
    std::fs::write(&gb18030, &encoded).expect("the GB18030 file is written");
    (utf8, gb18030)
}

fn sqlite_shell(file: &Path, dir: &Path) -> Run {
    let db = dir.join("shell.sqlite");
    let _ = std::fs::remove_file(&db);
    run(
        Command::new("sqlite3").arg(&db).args([
            ".import --csv".to_owned() + " " + &file.display().to_string() + " persons",
            "SELECT count(*) FROM persons".to_owned(),
        ]),
        "sqlite3 .import",
    )
}

fn ablework_import(file: &Path, dir: &Path, name: &str) -> Run {
    let db = dir.join(format!("{name}.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    run(
        Command::new(env!("CARGO_BIN_EXE_ablework"))
            .args(["import", "persons"])
            .arg(file)
            .args(["--encoding", "auto", "--json"])
            .env("ABLEWORK_LOG", "warn")
            .env("DATABASE_URL", format!("sqlite:{}", db.display()))
            .env("ABLEWORK_SECRET_KEY", key()),
        "ablework import persons",
    )
}

fn per_second(rows: usize, took: Duration) -> f64 {
    rows as f64 / took.as_secs_f64()
}

fn main() {
    // `cargo bench` passes `--bench`; a plain `cargo test` run of benches
    // passes nothing and should not spend minutes here.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let count = rows();
    let kept = std::env::var_os("ABLEWORK_BENCH_IMPORT_DIR").map(PathBuf::from);
    let temp = tempfile::tempdir().expect("a temporary directory");
    let dir = kept.unwrap_or_else(|| temp.path().to_owned());
    std::fs::create_dir_all(&dir).expect("the directory exists");

    let made = Instant::now();
    let (utf8, gb18030) = write_files(&dir, count, &format!("people-{count}"));
    let (_, small_gb18030) = write_files(&dir, count / 10, &format!("people-{}", count / 10));
    println!(
        "files: {count} rows, {:.1} MB GB18030, made in {:.1} s",
        std::fs::metadata(&gb18030).map_or(0, |m| m.len()) as f64 / 1e6,
        made.elapsed().as_secs_f64()
    );

    let shell = sqlite_shell(&utf8, &dir);
    assert_eq!(
        shell.stdout.trim(),
        count.to_string(),
        "sqlite3 imported every row"
    );
    let small = ablework_import(&small_gb18030, &dir, "ablework-small");
    let full = ablework_import(&gb18030, &dir, "ablework");
    let summary: serde_json::Value =
        serde_json::from_str(&full.stdout).expect("the import prints its JSON summary");
    assert_eq!(summary["read"], count, "every row was read: {summary}");
    assert_eq!(summary["rejected"], 0, "no row was rejected: {summary}");

    let shell_rate = per_second(count, shell.took);
    let import_rate = per_second(count, full.took);
    println!();
    println!("| run | rows | time | rows/s | peak memory |");
    println!("|---|---:|---:|---:|---:|");
    for (name, rows, run) in [
        ("sqlite3 `.import` (UTF-8, no validation)", count, &shell),
        ("`ablework import persons` (GB18030)", count / 10, &small),
        ("`ablework import persons` (GB18030)", count, &full),
    ] {
        println!(
            "| {name} | {rows} | {:.2} s | {:.0} | {:.0} MiB |",
            run.took.as_secs_f64(),
            per_second(rows, run.took),
            run.peak_rss_kib as f64 / 1024.0
        );
    }
    println!();
    println!(
        "ablework / sqlite3 rows per second: {:.2} (target at least 0.50): {}",
        import_rate / shell_rate,
        if import_rate * 2.0 >= shell_rate {
            "met"
        } else {
            "MISSED"
        }
    );
    println!("summary: {summary}");
}
