//! `ablework levy` as scripts use it: a declaration on stdin, the
//! assessment on stdout, and CONTRACT.md's exit statuses.

use serde_json::{Value, json};

use crate::{run, stdout_json};

/// CONTRACT.md's example declaration.
fn contract_declaration() -> Value {
    json!({
        "policy": "tianjin-2022-2024",
        "declared_on": "2024-06-30",
        "employer_kind": "enterprise",
        "average_headcount": "200",
        "seasonal": [{"count": 40, "months": 6}],
        "average_wage": "80000",
        "social_average_wage": "100000",
        "disabled_employees": [
            {"certificate": "12010119900307123543", "months": 12},
            {"kind": "veteran", "level": 2, "months": 3}
        ]
    })
}

/// The contract's example without its seasonal workers, which is the
/// declaration CONTRACT.md's example assessment answers.
fn contract_declaration_without_seasonal() -> Value {
    let mut declaration = contract_declaration();
    declaration.as_object_mut().unwrap().remove("seasonal");
    declaration
}

fn levy(args: &[&str], declaration: &str) -> std::process::Output {
    run(&[&["levy"], args].concat(), Some(declaration), &[])
}

/// The assessment without its explanation, which other tests pin.
fn figures(output: &std::process::Output) -> Value {
    let mut value = stdout_json(output);
    value.as_object_mut().unwrap().remove("explanation");
    value
}

#[test]
fn levy_prints_the_contract_assessment() {
    let output = levy(
        &["--json", "--lang", "en"],
        &contract_declaration_without_seasonal().to_string(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "one JSON document: {text}");
    assert!(
        text.starts_with(
            r#"{"headcount":"200","required":"3.0000","counted":"1.5000","shortfall":"1.5000","ratio":"0.0075","wage_used":"80000.00","factor":"0.9","exempt":false,"levy":"108000.00","explanation":["#
        ),
        "{text}"
    );
    let value = stdout_json(&output);
    assert_eq!(value["policy"], "tianjin-2022-2024");
    assert_eq!(value["policy_version"], 1);
    let lines = value["explanation"].as_array().unwrap();
    assert_eq!(
        lines.last().unwrap(),
        "Levy = G × Wc × factor = 1.5000 × 80000.00 × 0.9 = 108000.00 CNY."
    );
}

#[test]
fn levy_counts_the_contract_examples_seasonal_workers() {
    // The contract's declaration also lists 40 seasonal workers for six
    // months: N = 200 + 40 × 6 ÷ 12 = 220 (DOMAIN.md §3).
    let output = levy(&["--json"], &contract_declaration().to_string());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        figures(&output),
        json!({"headcount":"220","required":"3.3000","counted":"1.5000","shortfall":"1.8000",
               "ratio":"0.0068","wage_used":"80000.00","factor":"0.9","exempt":false,
               "levy":"129600.00","policy":"tianjin-2022-2024","policy_version":1})
    );
}

#[test]
fn levy_gives_the_domain_rules_worked_examples() {
    // (employer kind, headcount, average wage, employees, seasonal, levy)
    let cases = [
        (
            "institution",
            "28",
            "90000",
            json!([]),
            json!([]),
            "34020.00",
        ),
        ("enterprise", "28", "90000", json!([]), json!([]), "0.00"),
        (
            "enterprise",
            "31",
            "70000",
            json!([]),
            json!([]),
            "29295.00",
        ),
        (
            "enterprise",
            "150",
            "60000",
            json!([]),
            json!([{"count": 40, "months": 6}]),
            "137700.00",
        ),
        (
            "enterprise",
            "400",
            "250000",
            json!([
                {"kind": "disability", "level": 1, "months": 12},
                {"kind": "disability", "level": 1, "months": 12},
                {"kind": "disability", "level": 4, "months": 6}
            ]),
            json!([]),
            "150000.00",
        ),
    ];
    for (kind, headcount, wage, employees, seasonal, expected) in cases {
        let declaration = json!({
            "declared_on": "2024-06-30",
            "employer_kind": kind,
            "average_headcount": headcount,
            "seasonal": seasonal,
            "average_wage": wage,
            "social_average_wage": 100_000,
            "disabled_employees": employees,
        });
        let output = levy(&["--json"], &declaration.to_string());
        assert_eq!(output.status.code(), Some(0), "{declaration}");
        assert_eq!(stdout_json(&output)["levy"], expected, "{declaration}");
    }
}

#[test]
fn levy_explains_in_chinese_by_default_and_summarises_without_json() {
    let declaration = contract_declaration_without_seasonal().to_string();
    let chinese = stdout_json(&levy(&["--json"], &declaration));
    assert_eq!(
        chinese["explanation"][2],
        "应安排残疾人就业人数 R = N × 1.5% = 3.0000。"
    );
    let summary = levy(&["--lang", "en"], &declaration);
    assert_eq!(summary.status.code(), Some(0));
    let text = String::from_utf8(summary.stdout).unwrap();
    assert!(text.contains("Levy (CNY): 108000.00"), "{text}");
    assert!(text.contains("Ratio D ÷ N = 0.0075 (0.75%)."), "{text}");
}

#[test]
fn an_invalid_declaration_exits_1_naming_the_fields() {
    let mut declaration = contract_declaration();
    declaration["disabled_employees"][1]["months"] = json!(13);
    declaration["policy"] = json!("nowhere");
    let output = levy(&["--json", "--lang", "en"], &declaration.to_string());
    assert_eq!(output.status.code(), Some(1));
    let body = stdout_json(&output);
    assert_eq!(body["error"]["code"], "invalid");
    let fields: Vec<(&str, &str)> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| {
            (
                field["field"].as_str().unwrap(),
                field["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("policy", "unknown_policy"),
            ("disabled_employees[1].months", "out_of_range")
        ]
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("disabled_employees[1].months"), "{stderr}");
    // Without --json, nothing goes to stdout; the reasons go to stderr.
    let quiet = levy(&[], &declaration.to_string());
    assert_eq!(quiet.status.code(), Some(1));
    assert!(quiet.stdout.is_empty());
    assert!(String::from_utf8_lossy(&quiet.stderr).contains("unknown_policy"));
}

#[test]
fn a_bad_certificate_and_unknown_fields_are_field_errors() {
    let mut declaration = contract_declaration();
    declaration["disabled_employees"][0]["certificate"] = json!("12010119900307123443");
    let body = stdout_json(&levy(&["--json"], &declaration.to_string()));
    assert_eq!(
        body["error"]["fields"][0]["field"],
        "disabled_employees[0].certificate"
    );
    assert_eq!(body["error"]["fields"][0]["code"], "checksum");
    let mut declaration = contract_declaration();
    declaration["employer_kind"] = json!("company");
    let output = levy(&["--json"], &declaration.to_string());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout_json(&output)["error"]["fields"][0],
        json!({"field": "employer_kind", "code": "unknown_value",
               "message": stdout_json(&output)["error"]["fields"][0]["message"]})
    );
}

#[test]
fn malformed_json_exits_1() {
    for input in ["", "{", "{\"declared_on\": }", "[1, 2] trailing"] {
        let output = levy(&["--json"], input);
        assert_eq!(output.status.code(), Some(1), "{input:?}");
        let body = stdout_json(&output);
        assert_eq!(body["error"]["code"], "malformed_json", "{input:?}");
        assert!(body["error"].get("fields").is_none());
    }
}

#[test]
fn levy_usage_errors_exit_2() {
    let declaration = contract_declaration().to_string();
    assert_eq!(levy(&["--lang", "fr"], &declaration).status.code(), Some(2));
    assert_eq!(levy(&["--jsn"], &declaration).status.code(), Some(2));
}
