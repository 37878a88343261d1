//! The graduates' ledger JSON API (一人一策): entering a person, a plan
//! built step by step with contacts, the ledger with its flags, bad input
//! refused by field with nothing written, and scope.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use crate::harness::TestApp;

crate::on_both_engines!(api_graduates:
    a_student_is_enrolled_planned_and_listed,
    the_ledger_filters_by_flag_and_counts_the_cohort,
    bad_input_names_every_field_and_writes_nothing,
    only_staff_in_scope_reach_the_ledger,
    the_openapi_document_describes_the_ledger_api,
);

fn enrolment(person: i64) -> Value {
    json!({
        "person_id": person,
        "university": "天津理工大学",
        "major": "软件工程",
        "degree": "bachelor",
        "expected_graduation": "2025-06-30",
    })
}

/// The field names of an error body, in order.
fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no fields: {body}"))
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect()
}

async fn enrol(app: &TestApp, token: &str, body: &Value) -> i64 {
    let response = app
        .post_json("/api/v1/graduates", token, &body.to_string())
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.json()["id"].as_i64().unwrap()
}

async fn a_student_is_enrolled_planned_and_listed(app: TestApp) {
    let officer = app.token("officer").await;
    let person = app.heping[0];
    let response = app
        .post_json(
            "/api/v1/graduates",
            &officer,
            &enrolment(person).to_string(),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let body = response.json();
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        response.headers[header::LOCATION],
        format!("/api/v1/graduates/{id}")
    );
    assert_eq!(body["person_id"], person);
    assert_eq!(body["person"]["name_masked"], "张*");
    assert_eq!(body["degree"], "bachelor");
    assert_eq!(body["status"], "studying", "the default");
    assert_eq!(body["counsellor"], "officer", "the caller by default");
    assert_eq!(body["flags"], json!(["no_plan", "no_recent_contact"]));
    let twice = app
        .post_json(
            "/api/v1/graduates",
            &officer,
            &enrolment(person).to_string(),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.json()["error"]["code"], "student_enrolled");

    let path = format!("/api/v1/graduates/{id}");
    let step = app
        .post_json(
            &format!("{path}/steps"),
            &officer,
            &json!({"due_on": "2024-09-01", "description": "参加秋季残疾人专场招聘会"}).to_string(),
        )
        .await;
    assert_eq!(step.status, StatusCode::CREATED, "{}", step.text);
    assert_eq!(step.json()["student_id"], id);
    let step_id = step.json()["id"].as_i64().unwrap();
    let done_path = format!("{path}/steps/{step_id}/done");
    let done = app.post_json(&done_path, &officer, "").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.json()["done_on"], "2024-06-30");
    assert_eq!(done.json()["recorded_by"], "officer");
    let again = app.post_json(&done_path, &officer, "").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["error"]["code"], "plan_step_done");
    let missing = app
        .post_json(
            &format!("{path}/steps/{}/done", step_id + 100),
            &officer,
            "",
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let contact = app
        .post_json(
            &format!("{path}/contacts"),
            &officer,
            &json!({"contacted_on": "2024-06-28", "channel": "campus", "summary": "到校了解实习情况"})
                .to_string(),
        )
        .await;
    assert_eq!(contact.status, StatusCode::CREATED, "{}", contact.text);

    let read = app.get(&path, Some(&officer)).await;
    assert_eq!(read.status, StatusCode::OK);
    let body = read.json();
    assert_eq!(body["flags"], json!([]));
    assert_eq!(body["steps"][0]["description"], "参加秋季残疾人专场招聘会");
    assert_eq!(body["contacts"][0]["channel"], "campus");
    assert_eq!(body["contacts"][0]["recorded_by"], "officer");

    let list = app
        .get("/api/v1/graduates?cohort=2025", Some(&officer))
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let list = list.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["cohort"], 2025);
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["name_masked"], "张*");
    assert_eq!(list["items"][0]["plan_steps"], 1);
    assert_eq!(list["items"][0]["steps_done"], 1);
    assert_eq!(list["items"][0]["latest_contact"], "2024-06-28");
    assert_eq!(app.audit("graduate.enrol").await.len(), 1);
    assert_eq!(app.audit("graduate.step.done").await.len(), 1);
}

async fn the_ledger_filters_by_flag_and_counts_the_cohort(app: TestApp) {
    let officer = app.token("officer").await;
    // Graduated a week ago and still seeking work, with a plan and a
    // contact this week.
    let mut jobless = enrolment(app.heping[0]);
    jobless["expected_graduation"] = json!("2024-06-23");
    jobless["status"] = json!("seeking");
    let jobless = enrol(&app, &officer, &jobless).await;
    app.post_json(
        &format!("/api/v1/graduates/{jobless}/steps"),
        &officer,
        &json!({"due_on": "2024-07-15", "description": "推荐岗位"}).to_string(),
    )
    .await;
    app.post_json(
        &format!("/api/v1/graduates/{jobless}/contacts"),
        &officer,
        &json!({"contacted_on": "2024-06-27", "channel": "phone", "summary": "了解求职进展"})
            .to_string(),
    )
    .await;
    // Graduating later this year, nothing recorded yet.
    let mut later = enrolment(app.heping[1]);
    later["expected_graduation"] = json!("2024-12-31");
    let later = enrol(&app, &officer, &later).await;

    let all = app.get("/api/v1/graduates", Some(&officer)).await.json();
    assert_eq!(all["cohort"], 2024, "this year by default");
    assert_eq!(all["cohort_size"], 2);
    assert_eq!(
        all["flag_counts"],
        json!({"no_plan": 1, "no_recent_contact": 1, "no_job_after_graduation": 1})
    );
    assert_eq!(all["items"][0]["id"], jobless, "by expected graduation");
    assert_eq!(all["items"][0]["flags"], json!(["no_job_after_graduation"]));
    for (flag, expected) in [
        ("no_plan", later),
        ("no_recent_contact", later),
        ("no_job", jobless),
        ("no_job_after_graduation", jobless),
    ] {
        let found = app
            .get(
                &format!("/api/v1/graduates?cohort=2024&flag={flag}"),
                Some(&officer),
            )
            .await
            .json();
        assert_eq!(found["total"], 1, "{flag}");
        assert_eq!(found["items"][0]["id"], expected, "{flag}");
        assert_eq!(found["cohort_size"], 2, "{flag}");
    }
    let paged = app
        .get(
            "/api/v1/graduates?cohort=2024&per_page=1&page=2",
            Some(&officer),
        )
        .await
        .json();
    assert_eq!(paged["total"], 2);
    assert_eq!(paged["items"][0]["id"], later);
    let empty = app
        .get("/api/v1/graduates?cohort=2023", Some(&officer))
        .await
        .json();
    assert_eq!(empty["total"], 0);
}

async fn bad_input_names_every_field_and_writes_nothing(app: TestApp) {
    let officer = app.token("officer").await;
    let bad = app
        .post_json(
            "/api/v1/graduates",
            &officer,
            &json!({
                "person_id": app.heping[0],
                "university": "",
                "major": "很".repeat(101),
                "degree": "diploma",
                "expected_graduation": "1999-06-30",
                "status": "retired",
                "counsellor": "nobody",
            })
            .to_string(),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&bad.json()),
        [
            "university",
            "major",
            "degree",
            "expected_graduation",
            "status",
            "counsellor"
        ]
    );
    let unknown = app
        .post_json(
            "/api/v1/graduates",
            &officer,
            &json!({"person_id": app.heping[0], "university": "南开大学", "major": "法学",
                "degree": "master", "expected_graduation": "2025-06-30", "gpa": 4})
            .to_string(),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unknown.json()["error"]["fields"][0]["code"],
        "unknown_field"
    );
    let foreign = app
        .post_json(
            "/api/v1/graduates",
            &officer,
            &enrolment(app.hedong[0]).to_string(),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&foreign.json()), ["person_id"]);
    assert!(app.audit("graduate.enrol").await.is_empty());

    let id = enrol(&app, &officer, &enrolment(app.heping[0])).await;
    let step = app
        .post_json(
            &format!("/api/v1/graduates/{id}/steps"),
            &officer,
            &json!({"due_on": "soon", "description": "很".repeat(201)}).to_string(),
        )
        .await;
    assert_eq!(step.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&step.json()), ["due_on", "description"]);
    let contact = app
        .post_json(
            &format!("/api/v1/graduates/{id}/contacts"),
            &officer,
            &json!({"contacted_on": "2024-07-01", "channel": "pigeon", "summary": "很".repeat(501)})
                .to_string(),
        )
        .await;
    assert_eq!(contact.status, StatusCode::UNPROCESSABLE_ENTITY);
    let contact = contact.json();
    assert_eq!(fields(&contact), ["contacted_on", "channel", "summary"]);
    assert_eq!(contact["error"]["fields"][0]["code"], "in_future");
    let read = app
        .get(&format!("/api/v1/graduates/{id}"), Some(&officer))
        .await
        .json();
    assert_eq!(read["steps"], json!([]));
    assert_eq!(read["contacts"], json!([]));
    for query in ["cohort=1999", "cohort=next", "flag=sad", "per_page=0"] {
        let list = app
            .get(&format!("/api/v1/graduates?{query}"), Some(&officer))
            .await;
        assert_eq!(list.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
    }
}

async fn only_staff_in_scope_reach_the_ledger(app: TestApp) {
    let officer = app.token("officer").await;
    let id = enrol(&app, &officer, &enrolment(app.heping[0])).await;
    let path = format!("/api/v1/graduates/{id}");
    let other = app.token("officer2").await;
    assert_eq!(
        app.get(&path, Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    let step = app
        .post_json(
            &format!("{path}/steps"),
            &other,
            &json!({"due_on": "2024-08-01", "description": "越权"}).to_string(),
        )
        .await;
    assert_eq!(step.status, StatusCode::NOT_FOUND);
    let ledger = app
        .get("/api/v1/graduates?cohort=2025", Some(&other))
        .await
        .json();
    assert_eq!(ledger["total"], 0);
    let admin = app.token("admin").await;
    let city = app
        .get("/api/v1/graduates?cohort=2025", Some(&admin))
        .await
        .json();
    assert_eq!(city["total"], 1);
    for username in ["employer", "institution", "seeker"] {
        let token = app.token(username).await;
        assert_eq!(
            app.get(&path, Some(&token)).await.status,
            StatusCode::FORBIDDEN,
            "{username}"
        );
        assert_eq!(
            app.get("/api/v1/graduates", Some(&token)).await.status,
            StatusCode::FORBIDDEN,
            "{username}"
        );
        let enrol = app
            .post_json(
                "/api/v1/graduates",
                &token,
                &enrolment(app.heping[1]).to_string(),
            )
            .await;
        assert_eq!(enrol.status, StatusCode::FORBIDDEN, "{username}");
    }
    assert_eq!(
        app.get("/api/v1/graduates", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(app.audit("graduate.step").await.is_empty());
}

async fn the_openapi_document_describes_the_ledger_api(app: TestApp) {
    let document = app.get("/api/v1/openapi.json", None).await.json();
    for path in [
        "/api/v1/graduates",
        "/api/v1/graduates/{id}",
        "/api/v1/graduates/{id}/steps",
        "/api/v1/graduates/{id}/steps/{step}/done",
        "/api/v1/graduates/{id}/contacts",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is documented");
    }
    for schema in ["LedgerBody", "GraduateBody", "NewStudentBody", "StepBody"] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
}
