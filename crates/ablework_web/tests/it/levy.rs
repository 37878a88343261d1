//! `POST /api/v1/levy/assessments`: the contract's example, field errors
//! by path, and authentication.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::harness::TestApp;

crate::on_both_engines!(levy:
    the_contract_example_returns_the_contract_json,
    every_role_may_assess,
    bad_input_names_the_field,
    malformed_json_is_400,
    no_token_is_401,
    explanations_follow_the_language,
    the_openapi_document_describes_the_levy,
);

const PATH: &str = "/api/v1/levy/assessments";

/// A change to a declaration that makes it invalid.
type Edit = fn(&mut Value);

/// CONTRACT.md's example declaration without its seasonal workers: the
/// declaration that the contract's example assessment answers.
fn contract_declaration() -> Value {
    json!({
        "policy": "tianjin-2022-2024",
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
}

async fn the_contract_example_returns_the_contract_json(app: TestApp) {
    let token = app.token("employer").await;
    let response = app
        .post_json(PATH, &token, &contract_declaration().to_string())
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert!(
        response.text.starts_with(
            r#"{"headcount":"200","required":"3.0000","counted":"1.5000","shortfall":"1.5000","ratio":"0.0075","wage_used":"80000.00","factor":"0.9","exempt":false,"levy":"108000.00","explanation":["#
        ),
        "{}",
        response.text
    );
    let body = response.json();
    assert_eq!(body["policy"], "tianjin-2022-2024");
    assert_eq!(body["policy_version"], 1);
    assert_eq!(body["explanation"].as_array().unwrap().len(), 9);

    // The contract's declaration as written also has 40 seasonal workers
    // for six months, which add 20 to the headcount.
    let mut with_seasonal = contract_declaration();
    with_seasonal["seasonal"] = json!([{"count": 40, "months": 6}]);
    let body = app
        .post_json(PATH, &token, &with_seasonal.to_string())
        .await
        .json();
    assert_eq!(body["headcount"], "220");
    assert_eq!(body["levy"], "129600.00");
}

async fn every_role_may_assess(app: TestApp) {
    for user in [
        "admin",
        "officer",
        "officer2",
        "employer",
        "institution",
        "seeker",
    ] {
        let token = app.token(user).await;
        let response = app
            .post_json(PATH, &token, &contract_declaration().to_string())
            .await;
        assert_eq!(response.status, StatusCode::OK, "{user}");
        assert_eq!(response.json()["levy"], "108000.00", "{user}");
    }
}

async fn bad_input_names_the_field(app: TestApp) {
    let token = app.token("employer").await;
    // (edit, field, code)
    let cases: [(Edit, &str, &str); 6] = [
        (
            |v| v["disabled_employees"][1]["months"] = json!(13),
            "disabled_employees[1].months",
            "out_of_range",
        ),
        (
            |v| v["disabled_employees"][0]["certificate"] = json!("12010119900307123443"),
            "disabled_employees[0].certificate",
            "checksum",
        ),
        (
            |v| v["monthly_headcount"] = Value::from(vec![200; 12]),
            "monthly_headcount",
            "exactly_one",
        ),
        (
            |v| v["employer_kind"] = json!("company"),
            "employer_kind",
            "unknown_value",
        ),
        (
            |v| v["disabled_employees"][1]["colour"] = json!("blue"),
            "disabled_employees[1].colour",
            "unknown_field",
        ),
        (
            |v| v["policy"] = json!("nowhere"),
            "policy",
            "unknown_policy",
        ),
    ];
    for (edit, field, code) in cases {
        let mut declaration = contract_declaration();
        edit(&mut declaration);
        let response = app.post_json(PATH, &token, &declaration.to_string()).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            response.text
        );
        let body = response.json();
        assert_eq!(body["error"]["code"], "invalid", "{field}");
        assert_eq!(body["error"]["fields"][0]["field"], field);
        assert_eq!(body["error"]["fields"][0]["code"], code, "{field}");
        assert!(
            !body["error"]["fields"][0]["message"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
}

async fn malformed_json_is_400(app: TestApp) {
    let token = app.token("employer").await;
    let response = app.post_json(PATH, &token, "{\"declared_on\": ").await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(response.json()["error"]["code"], "malformed_json");
}

async fn no_token_is_401(app: TestApp) {
    let request = Request::post(PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(contract_declaration().to_string()))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.json()["error"]["code"], "unauthenticated");
    assert_eq!(response.headers[header::WWW_AUTHENTICATE], "Bearer");
    let response = app
        .post_json(PATH, "abw_not-a-token", &contract_declaration().to_string())
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
}

async fn explanations_follow_the_language(app: TestApp) {
    let token = app.token("employer").await;
    let chinese = app
        .post_json(PATH, &token, &contract_declaration().to_string())
        .await
        .json();
    assert_eq!(
        chinese["explanation"][8],
        "保障金 = G × Wc × 系数 = 1.5000 × 80000.00 × 0.9 = 108000.00 元。"
    );
    let english = app
        .post_json(
            &format!("{PATH}?lang=en"),
            &token,
            &contract_declaration().to_string(),
        )
        .await
        .json();
    assert_eq!(
        english["explanation"][8],
        "Levy = G × Wc × factor = 1.5000 × 80000.00 × 0.9 = 108000.00 CNY."
    );
    let mut bad = contract_declaration();
    bad["disabled_employees"][1]["months"] = json!(0);
    let body = app
        .post_json(&format!("{PATH}?lang=en"), &token, &bad.to_string())
        .await
        .json();
    assert_eq!(
        body["error"]["fields"][0]["message"],
        "The number of months must be 1 to 12; it is 0."
    );
}

async fn the_openapi_document_describes_the_levy(app: TestApp) {
    let document = app.get("/api/v1/openapi.json", None).await.json();
    let operation = &document["paths"][PATH]["post"];
    assert!(operation.is_object(), "{PATH} is documented");
    assert!(operation["responses"]["422"].is_object());
    for schema in [
        "LevyDeclarationBody",
        "LevyAssessmentBody",
        "DisabledEmployeeBody",
        "SeasonalWorkersBody",
    ] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
}
