//! The `ablework` binary as scripts use it: CONTRACT.md's commands, output
//! and exit statuses.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests: a panic is the failure report"
)]

mod import_crash;
mod import_records;
mod levy;
mod policy;

mod transfer;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const KEY: &str = "0101010101010101010101010101010101010101010101010101010101010101\
                   0202020202020202020202020202020202020202020202020202020202020202";

fn ablework(args: &[&str]) -> Output {
    run(args, None, &[])
}

fn run(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ablework"));
    command
        .args(args)
        .env("ABLEWORK_LOG", "warn")
        .env_remove("DATABASE_URL")
        .env_remove("ABLEWORK_SECRET_KEY");
    for (key, value) in env {
        command.env(key, value);
    }
    command.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    if let Some(text) = stdin {
        // A command that refuses its arguments may exit before it reads its
        // input; the broken pipe that leaves is not the test's concern.
        let _ = child.stdin.take().unwrap().write_all(text.as_bytes());
    }
    child.wait_with_output().unwrap()
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn check_id_prints_the_contract_json() {
    let output = ablework(&["check", "id", "120101199003071235", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        r#"{"kind":"id","valid":true,"normalized":"120101199003071235","birth_date":"1990-03-07","sex":"male","area_code":"120101","errors":[]}"#
    );
}

#[test]
fn check_gives_the_right_answer_for_every_example_in_the_domain_rules() {
    // (kind, value, valid, normalized)
    let cases = [
        ("id", "120101199003071235", true, Some("120101199003071235")),
        ("id", "11010519491231002X", true, Some("11010519491231002X")),
        ("id", "11010519491231002x", true, Some("11010519491231002X")),
        ("id", "120116198506150023", true, Some("120116198506150023")),
        (
            "id",
            "１２０１０１１９９００３０７１２３５",
            true,
            Some("120101199003071235"),
        ),
        ("id", "340524198001010013", false, None),
        ("id", "120107198001010010", true, Some("120107198001010010")),
        (
            "cert",
            "12010119900307123522",
            true,
            Some("12010119900307123522"),
        ),
        (
            "cert",
            "12010119900307123522B1",
            true,
            Some("12010119900307123522B1"),
        ),
        (
            "uscc",
            "91350100M000100Y43",
            true,
            Some("91350100M000100Y43"),
        ),
        ("uscc", "91350100M000100Y44", false, None),
    ];
    for (kind, value, valid, normalized) in cases {
        let output = ablework(&["check", kind, value, "--json"]);
        let report = stdout_json(&output);
        assert_eq!(report["valid"], valid, "{kind} {value}: {report}");
        assert_eq!(
            output.status.code(),
            Some(i32::from(!valid)),
            "{kind} {value}"
        );
        if let Some(normalized) = normalized {
            assert_eq!(report["normalized"], normalized, "{kind} {value}");
        }
    }
    let legacy = stdout_json(&ablework(&["check", "id", "120101900307123", "--json"]));
    assert_eq!(legacy["valid"], true);
    assert_eq!(legacy["normalized"].as_str().unwrap().len(), 18);
}

#[test]
fn check_cert_adds_category_and_level() {
    let report = stdout_json(&ablework(&[
        "check",
        "cert",
        "12010119900307123522",
        "--json",
    ]));
    assert_eq!(report["kind"], "cert");
    assert_eq!(report["category"], "hearing");
    assert_eq!(report["level"], 2);
    assert_eq!(report["sex"], "male");
}

#[test]
fn an_invalid_identifier_exits_1_with_coded_errors() {
    let output = ablework(&["check", "id", "340524198001010013", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout_json(&output);
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"][0]["code"], "checksum");
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains('X')
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        ablework(&["check", "passport", "x", "--json"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(ablework(&["no-such-command"]).status.code(), Some(2));
    assert_eq!(ablework(&["check", "id"]).status.code(), Some(2));
}

#[test]
fn an_unknown_database_scheme_is_a_clear_error() {
    let output = ablework(&["migrate", "--database-url", "mysql://root@localhost/x"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("sqlite:PATH"));
    let from_env = run(&["migrate"], None, &[("DATABASE_URL", "redis://localhost")]);
    assert_eq!(from_env.status.code(), Some(1));
}

#[test]
fn accounts_tokens_and_audit_verification_work_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("a.db").display());
    let env = [("DATABASE_URL", url.as_str()), ("ABLEWORK_SECRET_KEY", KEY)];
    assert!(run(&["migrate"], None, &env).status.success());
    let added = run(
        &[
            "user",
            "add",
            "--username",
            "chen",
            "--role",
            "district_officer",
            "--district",
            "120104",
            "--password-stdin",
            "--json",
        ],
        Some("a long password\n"),
        &env,
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert_eq!(
        stdout_json(&added),
        json!({"id": 1, "username": "chen", "role": "district_officer", "district": "120104", "org": null})
    );
    let twice = run(
        &[
            "user",
            "add",
            "--username",
            "chen",
            "--role",
            "city_admin",
            "--password-stdin",
        ],
        Some("a long password\n"),
        &env,
    );
    assert_eq!(twice.status.code(), Some(1));
    let no_district = run(
        &[
            "user",
            "add",
            "--username",
            "li",
            "--role",
            "district_officer",
            "--password-stdin",
        ],
        Some("a long password\n"),
        &env,
    );
    assert_eq!(no_district.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_district.stderr).contains("district"));
    let token = run(&["token", "create", "--username", "chen"], None, &env);
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap();
    assert!(
        token.starts_with("abw_") && token.trim().len() > 20 && token.lines().count() == 1,
        "only the token: {token:?}"
    );
    assert_eq!(
        run(&["token", "create", "--username", "nobody"], None, &env)
            .status
            .code(),
        Some(1)
    );
    let verified = run(&["audit", "verify", "--json"], None, &env);
    assert!(verified.status.success());
    assert_eq!(stdout_json(&verified)["intact"], true);
}

#[test]
fn audit_verify_detects_an_edited_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let url = format!("sqlite:{}", path.display());
    let env = [("DATABASE_URL", url.as_str()), ("ABLEWORK_SECRET_KEY", KEY)];
    for name in ["wang", "zhao", "sun"] {
        let added = run(
            &[
                "user",
                "add",
                "--username",
                name,
                "--role",
                "city_admin",
                "--password-stdin",
            ],
            Some("a long password\n"),
            &env,
        );
        assert!(added.status.success());
    }
    assert!(run(&["audit", "verify"], None, &env).status.success());
    // Someone with direct access to the file removes the guard and edits a row.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = ablework_store_sql::SqlStore::connect(&url).await.unwrap();
        store
            .execute_raw("DROP TRIGGER audit_log_no_update")
            .await
            .unwrap();
        store
            .execute_raw("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
            .await
            .unwrap();
        store.close().await;
    });
    let output = run(&["audit", "verify", "--json"], None, &env);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout_json(&output);
    assert_eq!(report["intact"], false);
    assert_eq!(report["first_bad_seq"], 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("TAMPERED"));
}

#[test]
fn a_missing_key_is_explained() {
    let output = run(
        &[
            "token",
            "create",
            "--username",
            "x",
            "--database-url",
            "postgres://postgres@127.0.0.1:1/none",
        ],
        None,
        &[],
    );
    assert_ne!(output.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("a.db").display());
    let output = run(
        &["token", "create", "--username", "x", "--database-url", &url],
        None,
        &[],
    );
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ABLEWORK_SECRET_KEY"));
}

#[test]
fn report_progress_prints_the_plan_and_its_breakdowns() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("a.db").display());
    let env = [("DATABASE_URL", url.as_str()), ("ABLEWORK_SECRET_KEY", KEY)];
    let output = run(&["report", "progress", "--json"], None, &env);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = stdout_json(&output);
    assert_eq!(report["plan_id"], "tianjin-2022-2024");
    assert_eq!(report["target"], 15000);
    assert_eq!(report["achieved"], 0);
    assert_eq!(report["by_district"].as_array().unwrap().len(), 16);
    assert_eq!(report["by_measure"].as_array().unwrap().len(), 10);
    let text = run(&["report", "progress", "--lang", "en"], None, &env);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Target 15000"));
    let district = run(
        &["report", "progress", "--district", "120116", "--json"],
        None,
        &env,
    );
    let report = stdout_json(&district);
    assert_eq!(report["by_district"].as_array().unwrap().len(), 1);
    assert_eq!(report["by_district"][0]["code"], "120116");
    let unknown = run(
        &["report", "progress", "--plan", "no-such-plan"],
        None,
        &env,
    );
    assert_ne!(
        unknown.status.code(),
        Some(0),
        "an unknown plan is an error"
    );
}
