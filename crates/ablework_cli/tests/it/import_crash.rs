//! Issue 6: an import of 100,000 people killed (SIGKILL) at random points,
//! several times, loses no committed batch, leaves no half-written person,
//! and a re-run finishes it with exactly the file's people, once each.
//!
//! The kill points come from a seed that the test prints; set
//! `ABLEWORK_CRASH_SEED` to replay a failing run. The first kill lands on a
//! random instant of start-up (opening and migrating the database, reading
//! the first rows, the first batch); the others wait until a randomly chosen
//! number of batches is committed (early, about half-way, late) and then a
//! random part of a batch longer, so that they mostly land inside a batch's
//! transaction.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ablework_app::Vault;
use ablework_demo::SyntheticPerson;
use ablework_web::import::BULK_BATCH_ROWS as BATCH_ROWS;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use crate::{KEY, run, stdout_json};

/// People in the file.
const PEOPLE: usize = 100_000;
/// The demo generator's seed for them.
const PEOPLE_SEED: u64 = 6;
/// Runs killed before the one that is let finish.
const KILLS: usize = 4;
/// The longest a single run may take before the test gives up on it.
const RUN_LIMIT: Duration = Duration::from_mins(10);

/// `SplitMix64`: enough randomness for kill points, and replayable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `low..=high` (the bias of the modulo does not matter here).
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

fn seed() -> u64 {
    std::env::var("ABLEWORK_CRASH_SEED").map_or_else(
        |_| {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            now.as_secs() ^ u64::from(now.subsec_nanos())
        },
        |text| text.trim().parse().unwrap(),
    )
}

/// The people file, with the Chinese headers and words a district office
/// would use.
fn people_csv(people: &[SyntheticPerson]) -> String {
    let mut text = format!("{}\r\n", ablework_demo::PERSON_FILE_HEADER);
    for person in people {
        person.write_file_line(&mut text);
    }
    text
}

fn spawn_import(file: &Path, url: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_ablework"))
        .args(["import", "persons"])
        .arg(file)
        .arg("--json")
        .env("ABLEWORK_LOG", "warn")
        .env("DATABASE_URL", url)
        .env("ABLEWORK_SECRET_KEY", KEY)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Kills `child` with SIGKILL; panics if it had already ended on its own.
fn kill(mut child: Child, what: &str) {
    if let Some(status) = child.try_wait().unwrap() {
        let output = child.wait_with_output().unwrap();
        panic!(
            "{what}: the import ended ({status}) before it was killed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // `Child::kill` sends SIGKILL on Unix.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), None, "{what}: killed by a signal: {status}");
}

/// A connection to the database file the child writes, for watching and
/// checking it (never creating it).
async fn open(path: &Path) -> SqlitePool {
    let options = SqliteConnectOptions::from_str(&format!("sqlite:{}", path.display()))
        .unwrap()
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(10));
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap()
}

/// Batches committed: each has one audit entry (other commands add entries
/// of their own, so the head of the chain is not the count).
async fn committed_batches(pool: &SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'person.import'")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Lets an import run until `target` batches are committed in all, then
/// a random part of a batch more, and kills it.
async fn kill_after_batches(
    child: Child,
    pool: &SqlitePool,
    target: i64,
    rng: &mut Rng,
    batch_time: &mut Duration,
    what: &str,
) {
    let started = Instant::now();
    let mut child = child;
    let mut last = committed_batches(pool).await;
    let mut last_change: Option<Instant> = None;
    while last < target {
        if let Some(status) = child.try_wait().unwrap() {
            let output = child.wait_with_output().unwrap();
            panic!(
                "{what}: the import ended ({status}) at batch {last} of the {target} awaited: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert!(
            started.elapsed() < RUN_LIMIT,
            "{what}: stuck at batch {last}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
        let now = committed_batches(pool).await;
        if now != last {
            // Two commits in a row seen by this run: the time of one batch.
            if let Some(previous) = last_change
                && now == last + 1
            {
                *batch_time = previous.elapsed();
            }
            last = now;
            last_change = Some(Instant::now());
        }
    }
    let max_ms = u64::try_from(batch_time.as_millis()).unwrap().max(1);
    let extra = Duration::from_millis(rng.between(0, max_ms));
    eprintln!("import_crash: {what}: batch {last} committed, killing {extra:?} later");
    tokio::time::sleep(extra).await;
    kill(child, what);
}

/// What a crashed (or finished) import may leave, checked in full. Returns
/// how many people are stored.
async fn check_database(
    db_path: &Path,
    env: &[(&str, &str)],
    people: &[SyntheticPerson],
    hashes: &[String],
    at_least: usize,
    what: &str,
) -> usize {
    // The application opens it (and migrates what a kill during start-up
    // left unmigrated) and finds the audit chain intact.
    let began = Instant::now();
    let verified = run(&["audit", "verify", "--json"], None, env);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{what}: audit verify: {}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert_eq!(stdout_json(&verified)["intact"], true, "{what}");

    let pool = open(db_path).await;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok", "{what}");
    // The import set the people's indexes aside (a large file); the opening
    // above finished a load the kill interrupted: none is recorded, and
    // the indexes and the grams' trigger are back.
    let (loads, rebuilt): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM person_load), \
                (SELECT COUNT(*) FROM sqlite_master \
                 WHERE name IN ('persons_name', 'persons_phone_hash', 'persons_name_grams_insert'))",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((loads, rebuilt), (0, 3), "{what}: a load left unfinished");

    // The people stored are exactly the file's first whole batches, in the
    // file's order, each once.
    let stored: Vec<String> = sqlx::query_scalar("SELECT id_number_hash FROM persons ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let count = stored.len();
    assert!(
        count >= at_least,
        "{what}: {count} people, fewer than the {at_least} before"
    );
    assert_eq!(
        count % BATCH_ROWS,
        0,
        "{what}: {count} people is not a whole number of batches"
    );
    let distinct: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT id_number_hash) FROM persons")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        usize::try_from(distinct).unwrap(),
        count,
        "{what}: duplicates"
    );
    if let Some(at) = stored.iter().zip(hashes).position(|(s, h)| s != h) {
        panic!(
            "{what}: stored person {at} (0-based) is not row {} of the file",
            at + 2
        );
    }

    check_people_whole(&pool, people, count, what).await;

    // Every committed batch has its audit entry, and only committed ones.
    let (entries, inserted, head, last): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM audit_log WHERE action = 'person.import'), \
                (SELECT COALESCE(SUM(json_extract(detail, '$.inserted')), 0) FROM audit_log \
                 WHERE action = 'person.import'), \
                (SELECT seq FROM audit_head), \
                (SELECT COALESCE(MAX(seq), 0) FROM audit_log)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        usize::try_from(entries).unwrap(),
        count / BATCH_ROWS,
        "{what}"
    );
    assert_eq!(usize::try_from(inserted).unwrap(), count, "{what}");
    assert_eq!(head, last, "{what}: the audit head is the last entry");
    pool.close().await;
    eprintln!(
        "import_crash: {what}: {count} people, all checks pass ({:?})",
        began.elapsed()
    );
    count
}

/// No person is half written: identifiers sealed, a phone when the file
/// gave one, the name grams and the "four ones" counts that triggers write
/// in the same transaction.
async fn check_people_whole(
    pool: &SqlitePool,
    people: &[SyntheticPerson],
    count: usize,
    what: &str,
) {
    let incomplete: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM persons WHERE length(id_number_enc) <= 12 \
         OR length(certificate_enc) <= 12 OR length(id_number_masked) <> 18 \
         OR length(certificate_masked) < 20 \
         OR (phone_enc IS NULL) <> (phone_masked IS NULL)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(incomplete, 0, "{what}: people with missing identifiers");
    let with_phone: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM persons WHERE phone_enc IS NOT NULL")
            .fetch_one(pool)
            .await
            .unwrap();
    let expected_phones = people[..count].iter().filter(|p| p.phone.is_some()).count();
    assert_eq!(
        usize::try_from(with_phone).unwrap(),
        expected_phones,
        "{what}"
    );
    let without_grams: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM persons WHERE (id, district_code) NOT IN \
         (SELECT person_id, district_code FROM person_name_grams)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(without_grams, 0, "{what}: people without name grams");
    let stray_grams: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM person_name_grams g WHERE NOT EXISTS \
         (SELECT 1 FROM persons p WHERE p.id = g.person_id)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(stray_grams, 0, "{what}: name grams of nobody");
    let tally_off: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM ( \
           SELECT scope, SUM(n) AS n FROM ( \
             SELECT district_code AS scope, n FROM four_ones_tally \
             UNION ALL SELECT '', -1 FROM persons WHERE active AND employment_status = 'unemployed' \
             UNION ALL SELECT district_code, -1 FROM persons WHERE active AND employment_status = 'unemployed') \
           GROUP BY scope) WHERE n <> 0",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        tally_off, 0,
        "{what}: the four-ones tally disagrees with the people"
    );
}

/// After the last run: every stored person decrypts to the file's row.
async fn check_contents(db_path: &Path, people: &[SyntheticPerson], vault: &Vault) {
    let pool = open(db_path).await;
    let rows: Vec<(String, Vec<u8>, Vec<u8>, String)> = sqlx::query_as(
        "SELECT name, id_number_enc, certificate_enc, district_code FROM persons ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), people.len());
    for (at, ((name, id_enc, cert_enc, district_code), person)) in
        rows.iter().zip(people).enumerate()
    {
        let row = at + 2;
        assert_eq!(name, &person.name, "row {row}");
        assert_eq!(
            vault.decrypt(id_enc).unwrap(),
            person.id_number,
            "row {row}"
        );
        assert_eq!(
            vault.decrypt(cert_enc).unwrap(),
            person.certificate_number,
            "row {row}"
        );
        assert_eq!(district_code, person.district_code, "row {row}");
    }
    pool.close().await;
}

#[test]
fn import_crash_killed_imports_resume_to_exactly_the_files_people() {
    let seed = seed();
    eprintln!("import_crash: seed {seed} (replay with ABLEWORK_CRASH_SEED={seed})");
    let mut rng = Rng(seed);

    let people: Vec<SyntheticPerson> = ablework_demo::persons(PEOPLE_SEED, PEOPLE).collect();
    let key: [u8; 64] = hex::decode(KEY).unwrap().try_into().unwrap();
    let vault = Vault::new(&key);
    let hashes: Vec<String> = people
        .iter()
        .map(|p| vault.lookup_hash(&p.id_number))
        .collect();
    assert_eq!(
        hashes.iter().collect::<HashSet<_>>().len(),
        PEOPLE,
        "the generator's ID numbers are distinct"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("people.csv");
    std::fs::write(&file, people_csv(&people)).unwrap();
    let db_path = dir.path().join("a.db");
    let url = format!("sqlite:{}", db_path.display());
    let env = [("DATABASE_URL", url.as_str()), ("ABLEWORK_SECRET_KEY", KEY)];

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let started = Instant::now();
        let batches = i64::try_from(PEOPLE / BATCH_ROWS).unwrap();
        // A guess at one batch's time until a run measures it.
        let mut batch_time = Duration::from_millis(300);
        let mut stored = 0;
        let mut kills_at = Vec::new();
        for kill_no in 1..=KILLS {
            let what = format!("kill {kill_no}");
            let child = spawn_import(&file, &url);
            if kill_no == 1 {
                // Somewhere in start-up or the first batches.
                let delay = Duration::from_millis(rng.between(0, 1_500));
                eprintln!("import_crash: {what}: killing {delay:?} after the start");
                tokio::time::sleep(delay).await;
                kill(child, &what);
                if !db_path.exists() {
                    eprintln!("import_crash: {what}: killed before the database existed");
                }
            } else {
                // Early, about half-way, late: a share (per cent) of the
                // batches, and always at least one batch beyond what is
                // stored, leaving the last batches to the run let finish.
                let (low, high) = match kill_no {
                    2 => (10, 25),
                    3 => (35, 60),
                    _ => (70, 90),
                };
                let current = i64::try_from(stored / BATCH_ROWS).unwrap();
                let share = i64::try_from(rng.between(low, high)).unwrap();
                let target = (batches * share / 100)
                    .max(current + 1)
                    .min(batches - 2);
                let pool = open(&db_path).await;
                kill_after_batches(child, &pool, target, &mut rng, &mut batch_time, &what).await;
                pool.close().await;
            }
            stored = check_database(&db_path, &env, &people, &hashes, stored, &what).await;
            kills_at.push(stored);
        }
        eprintln!(
            "import_crash: {} people stored after {KILLS} kills (after each: {kills_at:?}), {:?} so far",
            stored,
            started.elapsed()
        );

        // The run that is let finish.
        let resumed = Instant::now();
        let output = spawn_import(&file, &url).wait_with_output().unwrap();
        eprintln!("import_crash: the last run took {:?}", resumed.elapsed());
        assert_eq!(
            output.status.code(),
            Some(0),
            "every row imported or up to date: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let summary = stdout_json(&output);
        let stored_u64 = u64::try_from(stored).unwrap();
        let people_u64 = u64::try_from(PEOPLE).unwrap();
        assert_eq!(summary["read"], people_u64, "{summary}");
        assert_eq!(summary["inserted"], people_u64 - stored_u64, "{summary}");
        assert_eq!(
            summary["unchanged"], stored_u64,
            "the rows already stored are unchanged: {summary}"
        );
        assert_eq!(summary["updated"], 0, "{summary}");
        assert_eq!(summary["rejected"], 0, "{summary}");
        assert_eq!(summary["errors"], serde_json::json!([]), "{summary}");

        let count = check_database(&db_path, &env, &people, &hashes, stored, "the last run").await;
        assert_eq!(count, PEOPLE);
        check_contents(&db_path, &people, &vault).await;
        eprintln!("import_crash: {:?} in all", started.elapsed());
    });
}
