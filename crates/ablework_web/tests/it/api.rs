//! The JSON API: authentication, scope, audit, validation and the error body.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::harness::{TestApp, id_number};

crate::on_both_engines!(api:
    no_token_is_401_with_the_error_body,
    a_revoked_or_unknown_token_is_401,
    people_are_listed_within_the_callers_district,
    another_districts_person_is_404,
    the_role_endpoint_district_matrix_holds,
    every_read_of_a_person_is_audited,
    every_mutation_is_audited,
    malformed_json_is_400,
    wrong_types_name_the_field,
    unknown_fields_are_rejected_by_name,
    oversized_bodies_are_413,
    a_missing_content_type_is_415,
    bad_identifiers_name_the_field_and_why,
    a_registered_id_number_is_409_without_leaking_other_districts,
    created_people_are_masked_and_unmasking_needs_a_reason,
    lists_paginate_and_validate_their_parameters,
    the_openapi_document_describes_the_api,
    unknown_api_paths_are_json_404,
    messages_follow_the_language,
);

async fn no_token_is_401_with_the_error_body(app: TestApp) {
    for path in [
        "/api/v1/persons",
        "/api/v1/persons/1",
        "/api/v1/me",
        "/api/v1/audit",
    ] {
        let response = app.get(path, None).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(response.json()["error"]["code"], "unauthenticated");
        assert_eq!(response.headers[header::WWW_AUTHENTICATE], "Bearer");
    }
}

async fn a_revoked_or_unknown_token_is_401(app: TestApp) {
    assert_eq!(
        app.get("/api/v1/me", Some("abw_not-a-token")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/me", Some("garbage")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let token = app.token("officer").await;
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.json()["username"],
        "officer"
    );
    let actor = crate::harness::actor(&app.app, "officer").await;
    let tokens = app.app.my_api_tokens(&actor).await.unwrap();
    for listed in tokens {
        app.app
            .revoke_api_token(None, "officer", listed.id)
            .await
            .unwrap();
    }
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn people_are_listed_within_the_callers_district(app: TestApp) {
    let officer = app.token("officer").await;
    let body = app.get("/api/v1/persons", Some(&officer)).await.json();
    assert_eq!(body["total"], 2);
    assert_eq!(body["page"], 1);
    assert_eq!(body["per_page"], 20);
    for item in body["items"].as_array().unwrap() {
        assert_eq!(item["district"], "120101");
        assert!(item["id"].is_i64());
    }
    // Asking for another district does not widen the scope.
    let body = app
        .get("/api/v1/persons?district=120102", Some(&officer))
        .await
        .json();
    assert_eq!(body["total"], 0);
    let admin = app.token("admin").await;
    assert_eq!(
        app.get("/api/v1/persons", Some(&admin)).await.json()["total"],
        3
    );
    assert_eq!(
        app.get("/api/v1/persons?district=120102", Some(&admin))
            .await
            .json()["total"],
        1
    );
    assert_eq!(
        app.get(
            "/api/v1/persons?district=%E6%B2%B3%E4%B8%9C%E5%8C%BA",
            Some(&admin)
        )
        .await
        .json()["total"],
        1
    );
}

async fn another_districts_person_is_404(app: TestApp) {
    let officer = app.token("officer").await;
    let response = app
        .get(
            &format!("/api/v1/persons/{}", app.hedong[0]),
            Some(&officer),
        )
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.json()["error"]["code"], "not_found");
    let absent = app.get("/api/v1/persons/999999", Some(&officer)).await;
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
    assert_eq!(
        absent.text.replace("999999", ""),
        response.text.replace(&app.hedong[0].to_string(), ""),
        "out of scope looks like absent"
    );
    assert_eq!(
        app.get("/api/v1/persons/not-a-number", Some(&officer))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn the_role_endpoint_district_matrix_holds(app: TestApp) {
    let heping = app.heping[0];
    let hedong = app.hedong[0];
    // (user, list status, total in list, heping person, hedong person, audit search)
    let expected = [
        ("admin", 200, Some(3), 200, 200, 200),
        ("officer", 200, Some(2), 200, 404, 403),
        ("officer2", 200, Some(1), 404, 200, 403),
        ("employer", 403, None, 403, 403, 403),
        ("institution", 403, None, 403, 403, 403),
        ("seeker", 200, Some(1), 200, 404, 403),
    ];
    for (user, list, total, own, other, audit) in expected {
        let token = app.token(user).await;
        let listed = app.get("/api/v1/persons", Some(&token)).await;
        assert_eq!(listed.status.as_u16(), list, "{user} list");
        if let Some(total) = total {
            assert_eq!(listed.json()["total"], total, "{user} total");
        }
        assert_eq!(
            app.get(&format!("/api/v1/persons/{heping}"), Some(&token))
                .await
                .status
                .as_u16(),
            own,
            "{user} heping"
        );
        assert_eq!(
            app.get(&format!("/api/v1/persons/{hedong}"), Some(&token))
                .await
                .status
                .as_u16(),
            other,
            "{user} hedong"
        );
        assert_eq!(
            app.get("/api/v1/audit", Some(&token)).await.status.as_u16(),
            audit,
            "{user} audit"
        );
        let create = app
            .post_json("/api/v1/persons", &token, "{}")
            .await
            .status
            .as_u16();
        let may_write = matches!(user, "admin" | "officer" | "officer2");
        assert_eq!(create, if may_write { 422 } else { 403 }, "{user} create");
    }
}

async fn every_read_of_a_person_is_audited(app: TestApp) {
    let officer = app.token("officer").await;
    let id = app.heping[1];
    let before = app.audit("person.read").await.len();
    assert_eq!(
        app.get(&format!("/api/v1/persons/{id}"), Some(&officer))
            .await
            .status,
        StatusCode::OK
    );
    let reads = app.audit("person.read").await;
    assert_eq!(reads.len(), before + 1);
    let entry = &reads[0].entry;
    assert_eq!(entry.actor, "officer");
    assert_eq!(entry.entity, "person");
    assert_eq!(entry.entity_id, Some(id.to_string()));
    assert!(entry.request_id.is_some(), "the request id is recorded");
    // A refused read (out of scope) writes nothing.
    app.get(
        &format!("/api/v1/persons/{}", app.hedong[0]),
        Some(&officer),
    )
    .await;
    assert_eq!(app.audit("person.read").await.len(), before + 1);
}

async fn every_mutation_is_audited(app: TestApp) {
    // The harness created five accounts, three people and one seeker.
    assert_eq!(app.audit("user.create").await.len(), 6);
    assert_eq!(app.audit("person.create").await.len(), 3);
    let officer = app.token("officer").await;
    assert!(!app.audit("api_token.create").await.is_empty());
    let body = json!({"name": "赵强", "id_number": id_number("120101", "19920202", "015"), "certificate_number": format!("{}41", id_number("120101", "19920202", "015")), "district": "120101"});
    let created = app
        .post_json("/api/v1/persons", &officer, &body.to_string())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.json()["id"].as_i64().unwrap();
    let person_creates = app.audit("person.create").await;
    assert_eq!(person_creates.len(), 4);
    assert_eq!(person_creates[0].entry.entity_id, Some(id.to_string()));
    assert_eq!(person_creates[0].entry.actor, "officer");
    let unmask = app
        .post_json(
            &format!("/api/v1/persons/{id}/unmask"),
            &officer,
            r#"{"reason":"核对就业登记"}"#,
        )
        .await;
    assert_eq!(unmask.status, StatusCode::OK);
    let unmasks = app.audit("person.unmask").await;
    assert_eq!(unmasks[0].entry.detail["reason"], "核对就业登记");
    let report = app.app.verify_audit(None).await.unwrap();
    assert!(
        matches!(report, ablework_app::audit::ChainReport::Intact { .. }),
        "{report:?}"
    );
}

async fn malformed_json_is_400(app: TestApp) {
    let admin = app.token("admin").await;
    for body in ["{", "{\"name\": }", "not json", "{} trailing", ""] {
        let response = app.post_json("/api/v1/persons", &admin, body).await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{body:?}: {}",
            response.text
        );
        assert_eq!(response.json()["error"]["code"], "malformed_json");
    }
}

async fn wrong_types_name_the_field(app: TestApp) {
    let admin = app.token("admin").await;
    let response = app
        .post_json(
            "/api/v1/persons",
            &admin,
            r#"{"name": 12, "id_number": "x", "certificate_number": "x", "district": "x"}"#,
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.json();
    assert_eq!(body["error"]["fields"][0]["field"], "name");
    assert_eq!(body["error"]["fields"][0]["code"], "invalid_type");
    let missing = app
        .post_json("/api/v1/persons", &admin, r#"{"name": "张三"}"#)
        .await
        .json();
    assert_eq!(missing["error"]["fields"][0]["code"], "required");
    assert_eq!(missing["error"]["fields"][0]["field"], "id_number");
    let query = app.get("/api/v1/persons?page=abc", Some(&admin)).await;
    assert_eq!(query.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(query.json()["error"]["fields"][0]["field"], "page");
}

async fn unknown_fields_are_rejected_by_name(app: TestApp) {
    let admin = app.token("admin").await;
    let body = r#"{"name": "张三", "id_number": "x", "certificate_number": "x", "district": "x", "salary": 1}"#;
    let response = app.post_json("/api/v1/persons", &admin, body).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let field = &response.json()["error"]["fields"][0];
    assert_eq!(field["field"], "salary");
    assert_eq!(field["code"], "unknown_field");
    let query = app.get("/api/v1/persons?colour=red", Some(&admin)).await;
    assert_eq!(query.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(query.json()["error"]["fields"][0]["field"], "colour");
}

async fn oversized_bodies_are_413(app: TestApp) {
    let admin = app.token("admin").await;
    let big = format!(r#"{{"name": "{}"}}"#, "张".repeat(40_000));
    let response = app.post_json("/api/v1/persons", &admin, &big).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.json()["error"]["code"], "body_too_large");
}

async fn a_missing_content_type_is_415(app: TestApp) {
    let admin = app.token("admin").await;
    let request = Request::post("/api/v1/persons")
        .header(header::AUTHORIZATION, format!("Bearer {admin}"))
        .body(Body::from("{}"))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(response.json()["error"]["code"], "unsupported_media_type");
}

async fn bad_identifiers_name_the_field_and_why(app: TestApp) {
    let admin = app.token("admin").await;
    let body = json!({
        "name": "",
        "id_number": "340524198001010013",
        "certificate_number": "12010119900307123592",
        "district": "上海",
        "phone": "12345",
        "hukou": "city",
        "street": "街".repeat(51),
    });
    let response = app
        .post_json("/api/v1/persons?lang=en", &admin, &body.to_string())
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text
    );
    let fields = response.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .clone();
    let find = |name: &str| {
        fields
            .iter()
            .find(|f| f["field"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no error for {name}: {fields:?}"))
    };
    assert_eq!(find("name")["code"], "required");
    assert_eq!(find("id_number")["code"], "checksum");
    assert!(
        find("id_number")["message"].as_str().unwrap().contains('X'),
        "says what the check character should be"
    );
    assert_eq!(find("certificate_number")["code"], "category");
    assert_eq!(find("district")["code"], "unknown");
    assert_eq!(find("phone")["code"], "format");
    assert_eq!(find("hukou")["code"], "unknown");
    assert_eq!(find("street")["code"], "too_long");
    // The certificate must belong to the same person.
    let mismatch = json!({"name": "张三", "id_number": "120101199003071235", "certificate_number": "11010519491231002X11", "district": "120101"});
    let fields = app
        .post_json("/api/v1/persons", &admin, &mismatch.to_string())
        .await
        .json();
    assert_eq!(fields["error"]["fields"][0]["code"], "id_mismatch");
}

async fn a_registered_id_number_is_409_without_leaking_other_districts(app: TestApp) {
    let id = id_number("120102", "19780601", "322");
    let body = json!({"name": "李娜", "id_number": id, "certificate_number": format!("{id}42"), "district": "120101"}).to_string();
    let officer = app.token("officer").await;
    let response = app.post_json("/api/v1/persons", &officer, &body).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    let error = response.json()["error"].clone();
    assert_eq!(error["code"], "already_registered");
    assert!(
        !error["message"]
            .as_str()
            .unwrap()
            .contains(&app.hedong[0].to_string()),
        "the record id is not revealed out of scope"
    );
    let admin = app.token("admin").await;
    let response = app.post_json("/api/v1/persons", &admin, &body).await;
    assert!(
        response.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&app.hedong[0].to_string()),
        "in scope, the message names the record"
    );
    // An officer cannot register into another district.
    let other = json!({"name": "周杰", "id_number": id_number("120102", "19880808", "111"), "certificate_number": format!("{}11", id_number("120102", "19880808", "111")), "district": "120102"});
    let response = app
        .post_json("/api/v1/persons", &officer, &other.to_string())
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        response.json()["error"]["fields"][0]["code"],
        "out_of_scope"
    );
}

async fn created_people_are_masked_and_unmasking_needs_a_reason(app: TestApp) {
    let officer = app.token("officer").await;
    let person = app
        .get(
            &format!("/api/v1/persons/{}", app.heping[0]),
            Some(&officer),
        )
        .await
        .json();
    assert_eq!(person["name_masked"], "张*");
    assert_eq!(person["id_number_masked"], "1201**********1235");
    assert_eq!(person["certificate_number_masked"], "1201****************");
    assert_eq!(person["phone_masked"], "138****1234");
    assert_eq!(person["sex"], "male");
    assert_eq!(person["category"], "physical");
    assert_eq!(person["level"], 2);
    assert_eq!(person["age"], 34);
    assert_eq!(person["working_age"], true);
    assert!(
        !app.get("/api/v1/persons", Some(&officer))
            .await
            .text
            .contains("120101199003071235"),
        "lists never show identifiers in clear"
    );
    let path = format!("/api/v1/persons/{}/unmask", app.heping[0]);
    let refused = app.post_json(&path, &officer, r#"{"reason": ""}"#).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["fields"][0]["field"], "reason");
    let clear = app
        .post_json(&path, &officer, r#"{"reason": "核对残疾证信息"}"#)
        .await;
    assert_eq!(clear.headers[header::CACHE_CONTROL], "no-store");
    let clear = clear.json();
    assert_eq!(clear["id_number"], "120101199003071235");
    assert_eq!(clear["certificate_number"], "12010119900307123542");
    assert_eq!(clear["name"], "张伟");
    let seeker = app.token("seeker").await;
    assert_eq!(
        app.post_json(&path, &seeker, r#"{"reason": "想看看"}"#)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn lists_paginate_and_validate_their_parameters(app: TestApp) {
    let admin = app.token("admin").await;
    let page = app
        .get("/api/v1/persons?per_page=2&page=2&sort=name", Some(&admin))
        .await
        .json();
    assert_eq!(page["total"], 3);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["page"], 2);
    assert_eq!(page["per_page"], 2);
    let too_many = app.get("/api/v1/persons?per_page=500", Some(&admin)).await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_many.json()["error"]["fields"][0]["field"], "per_page");
    let by_id = app
        .get("/api/v1/persons?q=120101199003071235", Some(&admin))
        .await
        .json();
    assert_eq!(by_id["total"], 1);
    let by_name = app
        .get("/api/v1/persons?q=%E7%8E%8B", Some(&admin))
        .await
        .json();
    assert_eq!(by_name["items"][0]["name_masked"], "王*");
    let bad_category = app
        .get("/api/v1/persons?category=cosmic", Some(&admin))
        .await;
    assert_eq!(
        bad_category.json()["error"]["fields"][0]["field"],
        "category"
    );
}

async fn the_openapi_document_describes_the_api(app: TestApp) {
    let response = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(response.status, StatusCode::OK);
    let document = response.json();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/persons",
        "/api/v1/persons/{id}",
        "/api/v1/me",
        "/api/v1/audit",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is documented");
    }
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
}

async fn unknown_api_paths_are_json_404(app: TestApp) {
    let response = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.json()["error"]["code"], "not_found");
}

async fn messages_follow_the_language(app: TestApp) {
    let english = app.get("/api/v1/persons?lang=en", None).await.json();
    assert!(
        english["error"]["message"]
            .as_str()
            .unwrap()
            .contains("token")
    );
    let request = Request::get("/api/v1/persons")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .body(Body::empty())
        .unwrap();
    assert!(
        app.send(request).await.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("token")
    );
    let chinese = app.get("/api/v1/persons", None).await.json();
    assert!(
        chinese["error"]["message"]
            .as_str()
            .unwrap()
            .contains("令牌")
    );
}

mod patch {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};

    use crate::harness::TestApp;

    crate::on_both_engines!(patch:
        a_person_is_changed_in_scope_and_audited,
        deactivating_needs_a_reason,
        patching_out_of_scope_is_404,
    );

    async fn patch(app: &TestApp, path: &str, token: &str, body: &str) -> crate::harness::Response {
        let request = Request::patch(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        app.send(request).await
    }

    async fn a_person_is_changed_in_scope_and_audited(app: TestApp) {
        let officer = app.token("officer").await;
        let path = format!("/api/v1/persons/{}", app.heping[0]);
        let response = patch(
            &app,
            &path,
            &officer,
            r#"{"street": "小白楼街道", "employment_status": "employed", "phone": ""}"#,
        )
        .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        let body = response.json();
        assert_eq!(body["street"], "小白楼街道");
        assert_eq!(body["employment_status"], "employed");
        assert!(
            body["phone_masked"].is_null(),
            "an empty string clears the phone"
        );
        assert_eq!(
            body["id_number_masked"], "1201**********1235",
            "the ID number stays"
        );
        let updates = app.audit("person.update").await;
        assert_eq!(updates.len(), 1);
        assert_eq!(
            updates[0].entry.detail["fields"],
            serde_json::json!(["street", "phone", "employment_status"])
        );
        let moved = patch(&app, &path, &officer, r#"{"district": "120102"}"#).await;
        assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(moved.json()["error"]["fields"][0]["code"], "out_of_scope");
        let bad = patch(
            &app,
            &path,
            &officer,
            r#"{"certificate_number": "11010519491231002X11"}"#,
        )
        .await;
        assert_eq!(bad.json()["error"]["fields"][0]["code"], "id_mismatch");
        let unknown = patch(
            &app,
            &path,
            &officer,
            r#"{"id_number": "120101199003071235"}"#,
        )
        .await;
        assert_eq!(unknown.json()["error"]["fields"][0]["field"], "id_number");
        assert_eq!(
            unknown.json()["error"]["fields"][0]["code"],
            "unknown_field"
        );
    }

    async fn deactivating_needs_a_reason(app: TestApp) {
        let admin = app.token("admin").await;
        let path = format!("/api/v1/persons/{}", app.heping[1]);
        let refused = patch(&app, &path, &admin, r#"{"active": false}"#).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.json()["error"]["fields"][0]["field"], "reason");
        let done = patch(
            &app,
            &path,
            &admin,
            r#"{"active": false, "reason": "迁出本市"}"#,
        )
        .await;
        assert_eq!(done.json()["active"], false);
        let audit = app.audit("person.deactivate").await;
        assert_eq!(audit[0].entry.detail["reason"], "迁出本市");
    }

    async fn patching_out_of_scope_is_404(app: TestApp) {
        let officer = app.token("officer").await;
        let path = format!("/api/v1/persons/{}", app.hedong[0]);
        assert_eq!(
            patch(&app, &path, &officer, r#"{"street": "x"}"#)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let seeker = app.token("seeker").await;
        let own = format!("/api/v1/persons/{}", app.heping[0]);
        assert_eq!(
            patch(&app, &own, &seeker, r#"{"street": "x"}"#)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
}

pub(crate) mod progress {
    use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
    use ablework_domain::person::Hukou;
    use axum::http::StatusCode;
    use chrono::NaiveDate;

    use crate::harness::TestApp;

    crate::on_both_engines!(progress:
        the_api_and_the_page_report_the_same_figures,
        progress_is_scoped_and_permitted,
    );

    pub(crate) async fn seed_outcomes(app: &TestApp) {
        let people = app
            .store
            .list_persons(&ablework_store::PersonFilter::new(
                ablework_store::PersonScope::All,
            ))
            .await
            .unwrap()
            .items;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let outcome = |person: &ablework_store::PersonRecord, started_on| Outcome {
            person_id: person.id,
            started_on,
            ended_on: None,
            form: EmploymentForm::Flexible,
            measure: Measure::Training,
            district_code: person.district_code.clone(),
            hukou: Hukou::Urban,
            category: person.category,
            level: person.level,
            sex: person.sex,
        };
        let mut outcomes = Vec::new();
        for person in &people {
            // Twice in 2023 (counts once), once on the last day of 2022.
            outcomes.push(outcome(person, day(2023, 3, 1)));
            outcomes.push(outcome(person, day(2023, 9, 1)));
            outcomes.push(outcome(person, day(2022, 12, 31)));
        }
        import_outcomes(app, &outcomes).await;
    }

    async fn import_outcomes(app: &TestApp, outcomes: &[Outcome]) {
        let audit = ablework_store::NewAuditEntry::new(
            chrono::Utc::now(),
            None,
            "test",
            "outcome.import",
            "employment_outcome",
        );
        app.store.insert_outcomes(outcomes, audit).await.unwrap();
    }

    async fn the_api_and_the_page_report_the_same_figures(app: TestApp) {
        seed_outcomes(&app).await;
        let admin = app.token("admin").await;
        let report = app.get("/api/v1/progress", Some(&admin)).await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.text);
        let report = report.json();
        assert_eq!(report["target"], 15000);
        assert_eq!(
            report["achieved"], 6,
            "three people, counted in 2022 and 2023"
        );
        let years: Vec<_> = report["by_year"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| (y["year"].as_i64().unwrap(), y["achieved"].as_u64().unwrap()))
            .collect();
        assert_eq!(years, [(2022, 3), (2023, 3), (2024, 0)]);
        let training = report["by_measure"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == "m10_training")
            .unwrap()
            .clone();
        assert_eq!(training["achieved"], 6);
        let page = app
            .app
            .progress_report(
                &crate::harness::actor(&app.app, "admin").await,
                &ablework_app::progress::ProgressQuery::default(),
            )
            .await
            .unwrap();
        assert_eq!(
            serde_json::to_value(&page).unwrap(),
            report,
            "the page's report is the API's"
        );
    }

    async fn progress_is_scoped_and_permitted(app: TestApp) {
        seed_outcomes(&app).await;
        // 李娜 of 河东区, already counted there for 2023, takes a second
        // job in 和平区 that year: it is credited nowhere a second time.
        let mut later = app
            .store
            .outcomes_between(
                NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2023, 12, 31).unwrap(),
                Some("120102"),
            )
            .await
            .unwrap()
            .remove(0);
        later.started_on = NaiveDate::from_ymd_opt(2023, 10, 1).unwrap();
        "120101".clone_into(&mut later.district_code);
        import_outcomes(&app, &[later]).await;
        let officer = app.token("officer").await;
        let report = app.get("/api/v1/progress", Some(&officer)).await.json();
        assert_eq!(report["achieved"], 4, "two people of 和平区");
        let hedong = app.token("officer2").await;
        let report = app.get("/api/v1/progress", Some(&hedong)).await.json();
        assert_eq!(report["achieved"], 2, "李娜 in 2022 and 2023, in 河东区");
        let admin = app.token("admin").await;
        let report = app.get("/api/v1/progress", Some(&admin)).await.json();
        assert_eq!(report["achieved"], 6);
        let officer = app.token("officer").await;
        let report = app.get("/api/v1/progress", Some(&officer)).await.json();
        assert_eq!(report["by_district"].as_array().unwrap().len(), 1);
        assert!(
            report["target"].as_u64().unwrap() < 15000,
            "the district's share of the target"
        );
        for user in ["employer", "institution", "seeker"] {
            let token = app.token(user).await;
            assert_eq!(
                app.get("/api/v1/progress", Some(&token)).await.status,
                StatusCode::FORBIDDEN,
                "{user}"
            );
        }
    }
}
