//! The "four ones" JSON API: a person's case, its four steps, the
//! supervisor's approval, consents given by the person, the work queues,
//! and bad input refused by field with nothing written.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::harness::TestApp;

crate::on_both_engines!(api_cases:
    the_four_steps_are_recorded_and_shown_on_the_case,
    an_assessment_is_approved_by_another_account_only,
    work_queues_list_exactly_who_lacks_each_step,
    a_seeker_gives_and_withdraws_consent_on_their_own_record_only,
    bad_input_names_the_field_and_writes_nothing,
    only_staff_in_scope_write_to_a_case,
    the_openapi_document_describes_the_case_api,
    outcomes_are_recorded_followed_up_and_counted,
);

/// The harness's clock says 2024-06-30.
const TODAY: &str = "2024-06-30";

fn check() -> Value {
    json!({"checked_on": "2024-06-03", "fields": ["identity", "disability", "address"], "source": "in_person", "note": "本人持证到场"})
}

fn assessment() -> Value {
    json!({
        "assessed_on": "2024-06-10",
        "functions": {"mobility": "moderate", "vision": "none", "hearing": "none", "speech": "none",
            "fine_motor": "mild", "cognition": "none", "stamina": "mild"},
        "capacity": "part_time",
        "skills": "数据录入、客服接线",
        "forms": ["flexible", "quota"],
        "accommodations": ["step_free", "accessible_toilet"],
    })
}

fn need() -> Value {
    json!({
        "registered_on": "2024-06-12",
        "occupations": "数据录入",
        "form": "flexible",
        "districts": ["120101", "河东区"],
        "commute_minutes": 45,
        "hours": "part_time",
        "wage_expectation": "3500",
        "accommodations": ["step_free"],
        "willing_to_train": true,
    })
}

fn service() -> Value {
    json!({"kind": "job_recommendation", "served_on": TODAY, "result": "pending", "note": "推荐至仓储分拣岗位"})
}

/// Posts `body` to a person's `what` (`checks`, `assessments`, …) and
/// answers the response.
async fn post(
    app: &TestApp,
    token: &str,
    person: i64,
    what: &str,
    body: &Value,
) -> crate::harness::Response {
    app.post_json(
        &format!("/api/v1/persons/{person}/{what}"),
        token,
        &body.to_string(),
    )
    .await
}

/// Posts and expects 201; answers the new record's id.
async fn created(app: &TestApp, token: &str, person: i64, what: &str, body: &Value) -> i64 {
    let response = post(app, token, person, what, body).await;
    assert_eq!(
        response.status,
        StatusCode::CREATED,
        "{what}: {}",
        response.text
    );
    let body = response.json();
    assert_eq!(body["person_id"], person);
    body["id"].as_i64().unwrap()
}

async fn case(app: &TestApp, token: &str, person: i64) -> Value {
    let response = app
        .get(&format!("/api/v1/persons/{person}/case"), Some(token))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json()
}

/// The ids of a list body's items.
fn ids(body: &Value) -> Vec<i64> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

async fn the_four_steps_are_recorded_and_shown_on_the_case(app: TestApp) {
    let officer = app.token("officer").await;
    let admin = app.token("admin").await;
    let person = app.heping[0];
    let empty = case(&app, &officer, person).await;
    assert_eq!(empty["person"]["id"], person);
    assert_eq!(empty["person"]["name_masked"], "张*");
    assert!(empty["person"].get("id_number").is_none(), "masked only");
    assert_eq!(empty["progress"]["steps_done"], 0);
    assert_eq!(empty["progress"]["next_step"], "check");
    assert_eq!(empty["consents"].as_array().unwrap().len(), 3);
    assert_eq!(empty["consents"][0]["given"], false);
    assert!(empty["consents"][0]["latest"].is_null());
    assert_eq!(empty["can_write"], true);

    let check_id = created(&app, &officer, person, "checks", &check()).await;
    let assessment_id = created(&app, &officer, person, "assessments", &assessment()).await;
    let need_id = created(&app, &officer, person, "needs", &need()).await;
    let service_id = created(&app, &officer, person, "services", &service()).await;

    let body = case(&app, &officer, person).await;
    let progress = &body["progress"];
    assert_eq!(progress["checked"], true);
    assert_eq!(progress["assessed"], false, "not approved yet");
    assert_eq!(progress["need_registered"], true);
    assert_eq!(progress["served"], true);
    assert_eq!(progress["steps_done"], 3);
    assert_eq!(progress["next_step"], "assessment");

    let check = &body["checks"][0];
    assert_eq!(check["id"], check_id);
    assert_eq!(check["checked_on"], "2024-06-03");
    assert_eq!(
        check["fields"],
        json!(["identity", "disability", "address"])
    );
    assert_eq!(check["source"], "in_person");
    assert_eq!(check["note"], "本人持证到场");
    assert_eq!(check["recorded_by"], "officer");

    let assessment = &body["assessments"][0];
    assert_eq!(assessment["id"], assessment_id);
    assert_eq!(assessment["person_id"], person);
    assert_eq!(assessment["status"], "submitted");
    assert_eq!(assessment["functions"]["mobility"], "moderate");
    assert_eq!(assessment["functions"]["fine_motor"], "mild");
    assert_eq!(assessment["capacity"], "part_time");
    assert_eq!(assessment["forms"], json!(["flexible", "quota"]));
    assert_eq!(assessment["recorded_by"], "officer");
    assert!(assessment["reviewer"].is_null());

    let need = &body["needs"][0];
    assert_eq!(need["id"], need_id);
    assert_eq!(need["districts"], json!(["120101", "120102"]));
    assert_eq!(need["commute_minutes"], 45);
    assert_eq!(need["wage_expectation"], 3500);
    assert_eq!(need["hours"], "part_time");
    assert_eq!(need["willing_to_train"], true);

    let service = &body["services"][0];
    assert_eq!(service["id"], service_id);
    assert_eq!(service["kind"], "job_recommendation");
    assert_eq!(service["served_on"], TODAY);
    assert_eq!(service["result"], "pending");

    let approved = app
        .post_json(
            &format!("/api/v1/assessments/{assessment_id}/approve"),
            &admin,
            "{}",
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);
    let body = case(&app, &officer, person).await;
    assert_eq!(body["progress"]["assessed"], true);
    assert_eq!(body["progress"]["steps_done"], 4);
    assert!(body["progress"]["next_step"].is_null());

    for action in [
        "case.check",
        "case.assessment",
        "case.need",
        "case.service",
        "case.assessment.approve",
    ] {
        let entries = app.audit(action).await;
        assert_eq!(entries.len(), 1, "{action}");
        assert_eq!(entries[0].entry.entity_id, Some(person.to_string()));
    }
}

async fn an_assessment_is_approved_by_another_account_only(app: TestApp) {
    let officer = app.token("officer").await;
    let officer2 = app.token("officer2").await;
    let admin = app.token("admin").await;
    let person = app.heping[1];
    let id = created(&app, &officer, person, "assessments", &assessment()).await;

    let waiting = app.get("/api/v1/assessments", Some(&officer)).await;
    assert_eq!(waiting.status, StatusCode::OK, "{}", waiting.text);
    let waiting = waiting.json();
    assert_eq!(waiting["total"], 1);
    assert_eq!(waiting["per_page"], 20);
    assert_eq!(ids(&waiting), [id]);
    assert_eq!(waiting["items"][0]["person_id"], person);
    assert_eq!(waiting["items"][0]["name_masked"], "王*");
    // Another district's officer does not see it, nor can approve it.
    let other = app.get("/api/v1/assessments", Some(&officer2)).await.json();
    assert_eq!(other["total"], 0);
    let approve = format!("/api/v1/assessments/{id}/approve");
    let give_back = format!("/api/v1/assessments/{id}/return");
    assert_eq!(
        app.post_json(&approve, &officer2, "{}").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post_json("/api/v1/assessments/999999/approve", &admin, "{}")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Nobody approves their own.
    let own = app.post_json(&approve, &officer, "{}").await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", own.text);
    let field = &own.json()["error"]["fields"][0];
    assert_eq!(field["field"], "note");
    assert_eq!(field["code"], "own_assessment");

    // A return needs reasons.
    for body in ["{}", r#"{"note": "  "}"#] {
        let bare = app.post_json(&give_back, &admin, body).await;
        assert_eq!(
            bare.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            bare.text
        );
        let field = &bare.json()["error"]["fields"][0];
        assert_eq!(field["field"], "note");
        assert_eq!(field["code"], "required");
    }
    let body = case(&app, &officer, person).await;
    assert_eq!(body["assessments"][0]["status"], "submitted");

    let approved = app
        .post_json(&approve, &admin, r#"{"note": "评估完整"}"#)
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);
    let approved = approved.json();
    assert_eq!(approved["id"], id);
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["reviewer"], "admin");
    assert_eq!(approved["review_note"], "评估完整");
    assert!(approved["reviewed_at"].is_string());
    assert_eq!(
        app.get("/api/v1/assessments", Some(&officer)).await.json()["total"],
        0
    );

    // Decided once: a second decision is a conflict.
    let again = app
        .post_json(&give_back, &admin, r#"{"note": "重新评估"}"#)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert_eq!(again.json()["error"]["code"], "assessment_not_submitted");

    // A returned one shows the reasons and leaves the step undone.
    let second = created(&app, &officer, app.heping[0], "assessments", &assessment()).await;
    let returned = app
        .post_json(
            &format!("/api/v1/assessments/{second}/return"),
            &admin,
            r#"{"note": "缺少听力项说明"}"#,
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text);
    let body = case(&app, &officer, app.heping[0]).await;
    assert_eq!(body["assessments"][0]["status"], "returned");
    assert_eq!(body["assessments"][0]["review_note"], "缺少听力项说明");
    assert_eq!(body["progress"]["assessed"], false);
}

async fn work_queues_list_exactly_who_lacks_each_step(app: TestApp) {
    let officer = app.token("officer").await;
    let officer2 = app.token("officer2").await;
    let admin = app.token("admin").await;
    let queue = |token: String, step: &'static str| {
        let app = &app;
        async move {
            let response = app
                .get(&format!("/api/v1/queues/{step}"), Some(&token))
                .await;
            assert_eq!(response.status, StatusCode::OK, "{step}: {}", response.text);
            let body = response.json();
            let mut found = ids(&body);
            found.sort_unstable();
            assert_eq!(body["total"], found.len(), "{step}");
            found
        }
    };
    let mut everyone: Vec<i64> = app.heping.iter().chain(&app.hedong).copied().collect();
    everyone.sort_unstable();
    let mut heping = app.heping.clone();
    heping.sort_unstable();
    for step in ["check", "assessment", "need", "service"] {
        assert_eq!(queue(admin.clone(), step).await, everyone, "{step}");
        assert_eq!(queue(officer.clone(), step).await, heping, "{step}");
        assert_eq!(queue(officer2.clone(), step).await, app.hedong, "{step}");
    }
    let body = app.get("/api/v1/queues/check", Some(&officer)).await.json();
    assert_eq!(body["page"], 1);
    assert_eq!(body["per_page"], 20);
    for item in body["items"].as_array().unwrap() {
        assert_eq!(item["district"], "120101");
        assert!(item["id_number_masked"].as_str().unwrap().contains('*'));
    }

    // Each step taken for one person takes them off that queue only.
    let first = app.heping[0];
    let second = app.heping[1];
    created(&app, &officer, first, "checks", &check()).await;
    created(&app, &officer, second, "needs", &need()).await;
    let assessed = created(&app, &officer, second, "assessments", &assessment()).await;
    assert_eq!(queue(officer.clone(), "check").await, [second]);
    assert_eq!(queue(officer.clone(), "need").await, [first]);
    assert_eq!(
        queue(officer.clone(), "assessment").await,
        heping,
        "an assessment counts once approved"
    );
    let approved = app
        .post_json(
            &format!("/api/v1/assessments/{assessed}/approve"),
            &admin,
            "{}",
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);
    assert_eq!(queue(officer.clone(), "assessment").await, [first]);
    created(&app, &admin, app.hedong[0], "services", &service()).await;
    assert_eq!(queue(officer.clone(), "service").await, heping);
    assert!(queue(officer2.clone(), "service").await.is_empty());
    assert_eq!(queue(admin.clone(), "service").await, heping);

    // Paging and the envelope's parameters.
    let paged = app
        .get("/api/v1/queues/need?per_page=1&page=2", Some(&admin))
        .await
        .json();
    assert_eq!(paged["total"], 2);
    assert_eq!(paged["page"], 2);
    assert_eq!(paged["per_page"], 1);
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);
    let bad = app
        .get("/api/v1/queues/need?per_page=0", Some(&admin))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["fields"][0]["field"], "per_page");

    // An unknown step is absent; a role without the queues is refused.
    let unknown = app.get("/api/v1/queues/payment", Some(&admin)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["error"]["code"], "not_found");
    for user in ["employer", "institution", "seeker"] {
        let token = app.token(user).await;
        assert_eq!(
            app.get("/api/v1/queues/check", Some(&token)).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
        assert_eq!(
            app.get("/api/v1/assessments", Some(&token)).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
    }
}

async fn a_seeker_gives_and_withdraws_consent_on_their_own_record_only(app: TestApp) {
    let seeker = app.token("seeker").await;
    let own = app.heping[0];
    let body = case(&app, &seeker, own).await;
    assert_eq!(body["can_write"], false);
    assert_eq!(body["can_consent"], true);

    let given = created(
        &app,
        &seeker,
        own,
        "consents",
        &json!({"purpose": "matching", "given": true}),
    )
    .await;
    let body = case(&app, &seeker, own).await;
    let matching = body["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["purpose"] == "matching")
        .unwrap()
        .clone();
    assert_eq!(matching["given"], true);
    assert_eq!(matching["latest"]["id"], given);
    assert_eq!(matching["latest"]["by_person"], true);
    assert_eq!(matching["latest"]["effective_on"], TODAY);
    assert_eq!(matching["latest"]["recorded_by"], "seeker");

    let withdrawn = created(
        &app,
        &seeker,
        own,
        "consents",
        &json!({"purpose": "matching", "given": false}),
    )
    .await;
    let body = case(&app, &seeker, own).await;
    assert_eq!(body["consents"][0]["purpose"], "matching");
    assert_eq!(body["consents"][0]["given"], false);
    assert_eq!(body["consents"][0]["latest"]["id"], withdrawn);
    assert_eq!(body["consent_history"].as_array().unwrap().len(), 2);
    assert_eq!(app.audit("case.consent.give").await.len(), 1);
    assert_eq!(app.audit("case.consent.withdraw").await.len(), 1);

    // Another person's record is absent to a seeker, to read or to write.
    for other in [app.heping[1], app.hedong[0]] {
        let response = post(
            &app,
            &seeker,
            other,
            "consents",
            &json!({"purpose": "matching", "given": true}),
        )
        .await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{}", response.text);
        assert_eq!(
            app.get(&format!("/api/v1/persons/{other}/case"), Some(&seeker))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
    // A seeker records no service steps, even on their own record.
    for (what, body) in [
        ("checks", check()),
        ("assessments", assessment()),
        ("needs", need()),
        ("services", service()),
    ] {
        assert_eq!(
            post(&app, &seeker, own, what, &body).await.status,
            StatusCode::FORBIDDEN,
            "{what}"
        );
    }
    // An officer may record a consent the person gave in person.
    let officer = app.token("officer").await;
    created(
        &app,
        &officer,
        app.heping[1],
        "consents",
        &json!({"purpose": "job_fairs", "given": true}),
    )
    .await;
    let body = case(&app, &officer, app.heping[1]).await;
    assert_eq!(body["consents"][1]["purpose"], "job_fairs");
    assert_eq!(body["consents"][1]["given"], true);
    assert_eq!(body["consents"][1]["latest"]["by_person"], false);
}

/// Bad input, one field at a time: what is posted, the field changed (a
/// dotted path), its new value or `None` to leave it out, and the code of
/// the error, which names that field.
#[rustfmt::skip]
fn bad_fields() -> Vec<(&'static str, &'static str, Option<Value>, &'static str)> {
    vec![
        ("checks", "checked_on", Some(json!("2024-07-01")), "in_future"),
        ("checks", "checked_on", Some(json!("30/06/2024")), "format"),
        ("checks", "checked_on", Some(json!("")), "required"),
        ("checks", "fields", Some(json!(["identity", "horoscope"])), "unknown_value"),
        ("checks", "fields", Some(json!([])), "required"),
        ("checks", "fields", Some(json!("identity")), "invalid_type"),
        ("checks", "source", Some(json!("rumour")), "unknown_value"),
        ("checks", "source", None, "required"),
        ("checks", "note", Some(json!("很".repeat(501))), "too_long"),
        ("checks", "colour", Some(json!("red")), "unknown_field"),
        ("assessments", "assessed_on", Some(json!("2030-01-01")), "in_future"),
        ("assessments", "functions.mobility", Some(json!("terrible")), "unknown_value"),
        ("assessments", "functions.stamina", None, "required"),
        ("assessments", "functions.wings", Some(json!("none")), "unknown_field"),
        ("assessments", "functions", None, "required"),
        ("assessments", "capacity", Some(json!("any")), "unknown_value"),
        ("assessments", "forms", Some(json!(["quota", "lottery"])), "unknown_value"),
        ("assessments", "accommodations", Some(json!(["jetpack"])), "unknown_value"),
        ("needs", "hours", None, "required"),
        ("needs", "hours", Some(json!("nights")), "unknown_value"),
        ("needs", "occupations", Some(json!(" ")), "required"),
        ("needs", "districts", Some(json!(["310101"])), "unknown_district"),
        ("needs", "commute_minutes", Some(json!(1000)), "out_of_range"),
        ("needs", "wage_expectation", Some(json!("lots")), "out_of_range"),
        ("needs", "wage_expectation", Some(json!(true)), "invalid_type"),
        ("needs", "form", Some(json!("piracy")), "unknown_value"),
        ("needs", "registered_on", Some(json!("1999-12-31")), "too_early"),
        ("services", "kind", Some(json!("bribe")), "unknown_value"),
        ("services", "served_on", Some(json!("2024-13-01")), "format"),
        ("services", "result", Some(json!("")), "required"),
        ("services", "served_on", None, "required"),
        ("consents", "purpose", Some(json!("sell_data")), "unknown_value"),
        ("consents", "given", Some(json!("yes")), "invalid_type"),
        ("consents", "given", None, "required"),
    ]
}

/// A good body for `what` with one field (a dotted path) changed, or left
/// out when `value` is `None`.
fn altered(what: &str, field: &str, value: Option<Value>) -> Value {
    let mut body = match what {
        "checks" => check(),
        "assessments" => assessment(),
        "needs" => need(),
        "services" => service(),
        _ => json!({"purpose": "matching", "given": true}),
    };
    let (parent, key) = match field.rsplit_once('.') {
        Some((parent, key)) => (&mut body[parent], key),
        None => (&mut body, field),
    };
    match value {
        Some(value) => parent[key] = value,
        None => {
            parent.as_object_mut().unwrap().remove(key);
        }
    }
    body
}

async fn bad_input_names_the_field_and_writes_nothing(app: TestApp) {
    let officer = app.token("officer").await;
    let person = app.heping[0];
    let before = case(&app, &officer, person).await;
    for (what, field, value, code) in bad_fields() {
        let body = altered(what, field, value);
        let response = post(&app, &officer, person, what, &body).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what} {field}: {}",
            response.text
        );
        let error = response.json()["error"].clone();
        assert_eq!(error["code"], "invalid");
        let fields = error["fields"].as_array().unwrap();
        assert!(
            fields.iter().all(|f| f["field"] == field),
            "{what} {field}: {error}"
        );
        assert_eq!(fields[0]["code"], code, "{what} {field}: {error}");
        assert!(!fields[0]["message"].as_str().unwrap().is_empty());
    }
    // Malformed JSON is 400; a missing content type 415.
    let malformed = app
        .post_json(&format!("/api/v1/persons/{person}/checks"), &officer, "{")
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["error"]["code"], "malformed_json");

    // Every problem of one body is reported at once.
    let many = post(
        &app,
        &officer,
        person,
        "services",
        &json!({"kind": "bribe", "served_on": "2024-07-01", "result": "maybe"}),
    )
    .await
    .json();
    let mut named: Vec<&str> = many["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    named.sort_unstable();
    assert_eq!(named, ["kind", "result", "served_on"]);

    // Messages follow the language.
    let english = app
        .post_json(
            &format!("/api/v1/persons/{person}/checks?lang=en"),
            &officer,
            &altered("checks", "checked_on", Some(json!("2024-07-01"))).to_string(),
        )
        .await
        .json();
    assert_eq!(
        english["error"]["fields"][0]["message"],
        "The date cannot be later than today."
    );

    let after = case(&app, &officer, person).await;
    assert_eq!(before, after, "nothing was written");
    for action in ["case.check", "case.assessment", "case.need", "case.service"] {
        assert!(app.audit(action).await.is_empty(), "{action}");
    }
    assert!(app.audit("case.consent.give").await.is_empty());
}

async fn only_staff_in_scope_write_to_a_case(app: TestApp) {
    let officer = app.token("officer").await;
    let other = app.hedong[0];
    // Another district's person is absent, to read or to write.
    assert_eq!(
        app.get(&format!("/api/v1/persons/{other}/case"), Some(&officer))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    for (what, body) in [
        ("checks", check()),
        ("assessments", assessment()),
        ("needs", need()),
        ("services", service()),
        ("consents", json!({"purpose": "matching", "given": true})),
    ] {
        let response = post(&app, &officer, other, what, &body).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{what}");
        assert_eq!(response.json()["error"]["code"], "not_found");
        let absent = post(&app, &officer, 999_999, what, &body).await;
        assert_eq!(absent.status, StatusCode::NOT_FOUND, "{what}");
        assert_eq!(
            post(&app, &officer, 0, what, &body).await.status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        app.get("/api/v1/persons/not-a-number/case", Some(&officer))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Employers and institutions see no cases and write none; who may is
    // decided before the body is read.
    for user in ["employer", "institution"] {
        let token = app.token(user).await;
        assert_eq!(
            app.get(
                &format!("/api/v1/persons/{}/case", app.heping[0]),
                Some(&token)
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
        for what in ["checks", "assessments", "needs", "services", "consents"] {
            assert_eq!(
                post(&app, &token, app.heping[0], what, &json!({}))
                    .await
                    .status,
                StatusCode::FORBIDDEN,
                "{user} {what}"
            );
        }
    }
    // No token, no case.
    let response = app
        .get(&format!("/api/v1/persons/{}/case", app.heping[0]), None)
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    // The administrator reaches every district.
    let admin = app.token("admin").await;
    created(&app, &admin, other, "checks", &check()).await;
    assert_eq!(
        case(&app, &admin, other).await["checks"][0]["recorded_by"],
        "admin"
    );
}

async fn the_openapi_document_describes_the_case_api(app: TestApp) {
    let document = app.get("/api/v1/openapi.json", None).await.json();
    for path in [
        "/api/v1/persons/{id}/case",
        "/api/v1/persons/{id}/checks",
        "/api/v1/persons/{id}/assessments",
        "/api/v1/persons/{id}/needs",
        "/api/v1/persons/{id}/services",
        "/api/v1/persons/{id}/consents",
        "/api/v1/assessments",
        "/api/v1/assessments/{id}/approve",
        "/api/v1/assessments/{id}/return",
        "/api/v1/queues/{step}",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is documented");
    }
    for schema in [
        "CaseBody",
        "AssessmentBody",
        "NewAssessmentBody",
        "FunctionsBody",
        "WaitingAssessmentBody",
    ] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
}

async fn outcomes_are_recorded_followed_up_and_counted(app: TestApp) {
    let officer = app.token("officer").await;
    let person = app.heping[0];
    let path = format!("/api/v1/persons/{person}/outcomes");
    let bad = app
        .post_json(
            &path,
            &officer,
            &json!({"started_on": "2030-01-01", "form": "quota", "measure": "m99"}).to_string(),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    let fields: Vec<String> = bad.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        fields.contains(&"started_on".to_owned()) && fields.contains(&"measure".to_owned()),
        "{fields:?}"
    );
    let body = json!({"started_on": "2024-03-01", "form": "quota", "measure": "m09_service", "contract_months": 24, "monthly_wage": "4200", "insured": true});
    let created = app.post_json(&path, &officer, &body.to_string()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let outcome = created.json()["id"].as_i64().unwrap();
    let follow = format!("/api/v1/persons/{person}/outcomes/{outcome}/follow-ups");
    let ok = app
        .post_json(
            &follow,
            &officer,
            &json!({"after_months": 3, "checked_on": "2024-06-30", "still_employed": true})
                .to_string(),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    let twice = app
        .post_json(
            &follow,
            &officer,
            &json!({"after_months": "3", "checked_on": "2024-06-30", "still_employed": true})
                .to_string(),
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    let case = app
        .get(&format!("/api/v1/persons/{person}/case"), Some(&officer))
        .await
        .json();
    let outcomes = case["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0]["measure"], "m09_service");
    assert_eq!(outcomes[0]["contract_months"], 24);
    assert_eq!(outcomes[0]["follow_ups"][0]["after_months"], 3);
    let progress = app.get("/api/v1/progress", Some(&officer)).await.json();
    assert_eq!(progress["achieved"], 1);
    let foreign = app.token("officer2").await;
    let refused = app.post_json(&path, &foreign, &body.to_string()).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}
