//! `ablework policy list|show|add`, and `ablework levy` under a preset
//! stored in the database.

use std::path::Path;

use ablework_domain::policy;
use serde_json::{Value, json};

use crate::{KEY, run, stdout_json};

/// The Tianjin preset under a new id with a quota rate of 1.7%, as an
/// administrator would write it: without a version, which is assigned.
fn draft_preset() -> Value {
    let mut preset = serde_json::to_value(policy::default_preset()).unwrap();
    let object = preset.as_object_mut().unwrap();
    object.remove("version");
    preset["id"] = json!("tianjin-2025-draft");
    preset["name_zh"] = json!("天津市 2025 年政策（征求意见稿）");
    preset["name_en"] = json!("Tianjin 2025 policy (draft)");
    preset["quota"]["rate"] = json!("0.017");
    preset
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).unwrap();
    path.to_string_lossy().into_owned()
}

/// CONTRACT.md's example declaration (without its seasonal workers) under
/// a preset.
fn contract_declaration(policy: &str) -> String {
    json!({
        "policy": policy,
        "declared_on": "2024-06-30",
        "employer_kind": "enterprise",
        "average_headcount": "200",
        "average_wage": "80000",
        "social_average_wage": "100000",
        "disabled_employees": [
            {"certificate": "12010119900307123543", "months": 12},
            {"kind": "veteran", "level": 2, "months": 3}
        ]
    })
    .to_string()
}

/// A change to a preset, in a table of cases.
type Edit = fn(&mut Value);

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_preset_added_from_a_file_is_listed_shown_and_used_by_levy() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("a.db").display());
    let env = [("DATABASE_URL", url.as_str()), ("ABLEWORK_SECRET_KEY", KEY)];
    let file = write(dir.path(), "preset.json", &draft_preset());

    let added = run(&["policy", "add", "--file", &file], None, &env);
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    assert_eq!(
        String::from_utf8_lossy(&added.stdout).trim(),
        "tianjin-2025-draft 1"
    );
    let again = run(&["policy", "add", "--file", &file, "--json"], None, &env);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(
        stdout_json(&again),
        json!({"id": "tianjin-2025-draft", "version": 2})
    );

    let listed = run(&["policy", "list", "--json"], None, &env);
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    let listed = stdout_json(&listed);
    let ids: Vec<(&str, bool)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["built_in"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [("tianjin-2022-2024", true), ("tianjin-2025-draft", false)]
    );
    let text = run(&["policy", "list", "--lang", "en"], None, &env);
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.contains("tianjin-2025-draft") && text.contains("Tianjin 2025 policy (draft)"),
        "{text}"
    );

    let shown = run(&["policy", "show", "tianjin-2025-draft"], None, &env);
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
    let shown = stdout_json(&shown);
    assert_eq!(shown["version"], 2);
    assert_eq!(shown["quota"]["rate"], "0.017");
    assert_eq!(shown["built_in"], false);
    let absent = run(&["policy", "show", "nowhere"], None, &env);
    assert_eq!(absent.status.code(), Some(1));

    // What `show` prints can be changed and added back.
    let mut edited = shown.clone();
    edited["quota"]["rate"] = json!("0.02");
    let file = write(dir.path(), "edited.json", &edited);
    let added = run(&["policy", "add", "--file", &file], None, &env);
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    assert_eq!(
        String::from_utf8_lossy(&added.stdout).trim(),
        "tianjin-2025-draft 3"
    );

    // R = 200 × 2% = 4, G = 4 − 1.5 = 2.5: 2.5 × 80,000 × 0.9.
    let assessed = run(
        &["levy", "--json"],
        Some(&contract_declaration("tianjin-2025-draft")),
        &env,
    );
    assert_eq!(assessed.status.code(), Some(0), "{}", stderr(&assessed));
    let assessed = stdout_json(&assessed);
    assert_eq!(assessed["required"], "4.0000");
    assert_eq!(assessed["levy"], "180000.00");
    assert_eq!(assessed["policy"], "tianjin-2025-draft");
    assert_eq!(assessed["policy_version"], 3);
    // The built-in preset is unchanged and needs no database.
    let built_in = run(
        &["levy", "--json"],
        Some(&contract_declaration("tianjin-2022-2024")),
        &env,
    );
    assert_eq!(stdout_json(&built_in)["levy"], "108000.00");

    let audit = run(&["audit", "verify", "--json"], None, &env);
    assert_eq!(stdout_json(&audit)["intact"], true);
}

#[test]
fn an_invalid_preset_is_rejected_with_its_fields_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("a.db").display());
    let env = [("DATABASE_URL", url.as_str()), ("ABLEWORK_SECRET_KEY", KEY)];

    let mut invalid = draft_preset();
    invalid["quota"]["rate"] = json!("1.5");
    invalid["levy"]["money_decimal_places"] = json!(9);
    let file = write(dir.path(), "invalid.json", &invalid);
    let output = run(
        &["policy", "add", "--file", &file, "--json", "--lang", "en"],
        None,
        &env,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let error = stdout_json(&output);
    assert_eq!(error["error"]["code"], "invalid");
    let fields: Vec<&str> = error["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["quota.rate", "levy.money_decimal_places"]);
    assert!(
        stderr(&output).contains("quota.rate"),
        "{}",
        stderr(&output)
    );

    // (edit, field, code)
    let cases: [(Edit, &str, &str); 4] = [
        (
            |p| p["quota"]["rate"] = json!("lots"),
            "quota.rate",
            "invalid_type",
        ),
        (
            |p| p["quota"]["colour"] = json!("blue"),
            "quota.colour",
            "unknown_field",
        ),
        (
            |p| {
                p.as_object_mut().unwrap().remove("levy");
            },
            "levy",
            "required",
        ),
        (|p| p["id"] = json!("tianjin-2022-2024"), "id", "built_in"),
    ];
    for (edit, field, code) in cases {
        let mut preset = draft_preset();
        edit(&mut preset);
        let file = write(dir.path(), "case.json", &preset);
        let output = run(&["policy", "add", "--file", &file, "--json"], None, &env);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{field}: {}",
            stderr(&output)
        );
        let error = stdout_json(&output);
        assert_eq!(error["error"]["fields"][0]["field"], field);
        assert_eq!(error["error"]["fields"][0]["code"], code, "{field}");
    }
    let malformed = dir.path().join("malformed.json");
    std::fs::write(&malformed, "{\"id\": ").unwrap();
    let output = run(
        &[
            "policy",
            "add",
            "--file",
            &malformed.to_string_lossy(),
            "--json",
        ],
        None,
        &env,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout_json(&output)["error"]["code"], "malformed_json");
    let missing = dir.path().join("missing.json");
    let output = run(
        &["policy", "add", "--file", &missing.to_string_lossy()],
        None,
        &env,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("missing.json"));
    assert_eq!(
        run(&["policy", "add"], None, &env).status.code(),
        Some(2),
        "--file is required"
    );

    let listed = stdout_json(&run(&["policy", "list", "--json"], None, &env));
    assert_eq!(listed.as_array().unwrap().len(), 1, "nothing was saved");
}

#[test]
fn levy_without_a_database_keeps_the_unknown_policy_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    let url = format!("sqlite:{}", path.display());
    let env = [("DATABASE_URL", url.as_str()), ("ABLEWORK_SECRET_KEY", KEY)];
    let output = run(
        &["levy", "--json"],
        Some(&contract_declaration("tianjin-2025-draft")),
        &env,
    );
    assert_eq!(output.status.code(), Some(1));
    let error = stdout_json(&output);
    assert_eq!(error["error"]["fields"][0]["field"], "policy");
    assert_eq!(error["error"]["fields"][0]["code"], "unknown_policy");
    assert!(!path.exists(), "no database is created to look a preset up");
    // A database that does not answer is no different.
    let unreachable = [
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none"),
        ("ABLEWORK_SECRET_KEY", KEY),
    ];
    let output = run(
        &["levy", "--json"],
        Some(&contract_declaration("tianjin-2025-draft")),
        &unreachable,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stdout_json(&output)["error"]["fields"][0]["code"],
        "unknown_policy"
    );
}
