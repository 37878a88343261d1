//! The employers' JSON API: the registry and its scope, annual declarations
//! and their review, double counting, measure 1, policy presets, what-if
//! runs and the levy under a stored preset.

use ablework_app::auth::NewUserInput;
use ablework_domain::ident::credit_code_check_char;
use ablework_domain::levy::{self, Declaration};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::harness::{PASSWORD, Response, TestApp, id_number};

crate::on_both_engines!(api_employers:
    employers_are_registered_read_listed_and_changed,
    employers_are_seen_only_within_scope,
    an_invalid_credit_code_is_a_field_error,
    a_declaration_is_filed_returned_refiled_and_approved,
    bad_declarations_name_their_fields_and_save_nothing,
    double_counting_shows_on_both_declarations,
    measure_one_lists_the_agencies_and_institutions_it_covers,
    presets_are_stored_by_the_city_administrator_and_used_everywhere,
    the_openapi_document_describes_the_employer_api,
);

/// The data year the tests declare (the harness's clock is 2024-06-30).
const YEAR: i32 = 2023;

/// A valid unified social credit code, different for each `serial`.
fn credit_code(serial: u32) -> String {
    let first17 = format!("91120101MA{serial:07}");
    format!("{first17}{}", credit_code_check_char(&first17).unwrap())
}

/// An employer's registry entry.
fn employer_body(serial: u32, name: &str, kind: &str, district: &str) -> Value {
    let sector = if kind == "enterprise" {
        "manufacturing"
    } else {
        "public_admin"
    };
    json!({
        "credit_code": credit_code(serial),
        "name": name,
        "kind": kind,
        "staff": 200,
        "district": district,
        "sector": sector,
    })
}

/// Registers an employer as `token` and answers its id.
async fn register(app: &TestApp, token: &str, body: &Value) -> i64 {
    let response = app
        .post_json("/api/v1/employers", token, &body.to_string())
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.json()["id"].as_i64().unwrap()
}

/// A token of a new account of an employer's HR, for the organisation
/// `employer_id`. (The harness's `employer` account belongs to organisation
/// 1, which the tests cannot count on being the employer they registered.)
async fn hr_token(app: &TestApp, employer_id: i64) -> String {
    let username = format!("hr{employer_id}");
    let input = NewUserInput {
        username: username.clone(),
        password: PASSWORD.to_owned(),
        role: "employer".to_owned(),
        district: None,
        organisation_id: Some(employer_id),
        person_id: None,
    };
    app.app.create_user(None, input).await.unwrap();
    app.token(&username).await
}

/// Registers a disabled person as `token` and answers the certificate
/// number: the ID number and `category_level` (`"13"`: vision, level 3).
async fn register_person(
    app: &TestApp,
    token: &str,
    name: &str,
    (area, birth, sequence): (&str, &str, &str),
    category_level: &str,
) -> String {
    let id = id_number(area, birth, sequence);
    let certificate = format!("{id}{category_level}");
    let body =
        json!({"name": name, "id_number": id, "certificate_number": certificate, "district": area});
    let response = app
        .post_json("/api/v1/persons", token, &body.to_string())
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    certificate
}

async fn patch_json(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    let request = Request::patch(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

/// An employee row of a declaration, every condition attested.
fn employee(certificate: &str, from_month: u8, to_month: u8) -> Value {
    json!({"certificate": certificate, "from_month": from_month, "to_month": to_month,
        "contract_ok": true, "min_wage_ok": true, "insured_ok": true})
}

/// A declaration of 200 staff all year and 16,000,000 CNY of wages (an
/// average of 80,000), social average wage 100,000.
fn declaration(employees: &[Value]) -> Value {
    json!({
        "data_year": YEAR,
        "monthly_headcount": vec![200; 12],
        "total_wages": "16000000",
        "social_average_wage": 100_000,
        "employees": employees,
    })
}

/// The levy CONTRACT.md's calculation gives the same declaration, with
/// each employee given by certificate number and months.
fn contract_levy(employees: &[(&str, i64)], policy: Option<&str>) -> Value {
    let mut body = json!({
        "declared_on": "2024-06-30",
        "employer_kind": "enterprise",
        "monthly_headcount": vec!["200"; 12],
        "total_wages": "16000000",
        "social_average_wage": "100000",
        "disabled_employees": employees.iter().map(|(certificate, months)| json!({"certificate": certificate, "months": months})).collect::<Vec<_>>(),
    });
    if let Some(policy) = policy {
        body["policy"] = json!(policy);
    }
    body
}

/// A change to a declaration that makes it invalid.
type Edit = fn(&mut Value);

/// Whether a JSON value holds a Chinese character.
fn has_chinese(value: &Value) -> bool {
    value
        .to_string()
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn field<'a>(body: &'a Value, name: &str) -> &'a Value {
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == name)
        .unwrap_or_else(|| panic!("no error for {name}: {body}"))
}

#[expect(
    clippy::too_many_lines,
    reason = "create, read, change, list and filter in one story"
)]
async fn employers_are_registered_read_listed_and_changed(app: TestApp) {
    let admin = app.token("admin").await;
    let created = app
        .post_json(
            "/api/v1/employers?lang=en",
            &admin,
            &employer_body(1, "津门精密机械有限公司", "enterprise", "120101").to_string(),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let body = created.json();
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        created.headers[header::LOCATION],
        format!("/api/v1/employers/{id}")
    );
    assert_eq!(body["credit_code"], credit_code(1));
    assert_eq!(body["kind"], "enterprise");
    assert_eq!(body["kind_label"], "Enterprise");
    assert_eq!(body["district_name"], "Heping District");
    assert_eq!(body["sector_label"], "Manufacturing");
    assert_eq!(body["staff"], 200);
    assert_eq!(body["staffing_quota"], Value::Null);

    let read = app
        .get(&format!("/api/v1/employers/{id}"), Some(&admin))
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    let read = read.json();
    assert_eq!(read["name"], "津门精密机械有限公司");
    assert_eq!(read["standing"]["measure_one"], false);
    assert_eq!(read["standing"]["shortfall"], Value::Null);
    assert_eq!(read["declarations"], json!([]));

    // Absent fields stay as they are; the change is merged and audited.
    let changed = patch_json(
        &app,
        &format!("/api/v1/employers/{id}"),
        &admin,
        &json!({"name": "津门精密机械股份有限公司", "staff": "260"}),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let changed = changed.json();
    assert_eq!(changed["name"], "津门精密机械股份有限公司");
    assert_eq!(changed["staff"], 260);
    assert_eq!(changed["credit_code"], credit_code(1));
    assert_eq!(changed["sector"], "manufacturing");
    assert!(!app.audit("employer.update").await.is_empty());
    let wrong = patch_json(
        &app,
        &format!("/api/v1/employers/{id}"),
        &admin,
        &json!({"staff": -3, "colour": "red"}),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&wrong.json(), "colour")["code"], "unknown_field");
    let wrong = patch_json(
        &app,
        &format!("/api/v1/employers/{id}"),
        &admin,
        &json!({"staff": -3, "staffing_quota": 80}),
    )
    .await
    .json();
    assert_eq!(field(&wrong, "staff")["code"], "negative");
    assert_eq!(field(&wrong, "staffing_quota")["code"], "not_applicable");

    let agency = register(
        &app,
        &admin,
        &json!({"credit_code": credit_code(2), "name": "河东区民政局", "kind": "agency", "staffing_quota": 60,
            "staff": 58, "district": "河东区", "sector": "public_admin"}),
    )
    .await;
    let list = app.get("/api/v1/employers", Some(&admin)).await.json();
    assert_eq!(list["total"], 2);
    assert_eq!(list["page"], 1);
    assert_eq!(list["per_page"], 20);
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"].is_i64())
    );
    let by_code = format!("q={}", credit_code(2));
    for (query, expected) in [
        ("kind=agency", Some(agency)),
        ("district=120102", Some(agency)),
        ("district=%E6%B2%B3%E4%B8%9C%E5%8C%BA", Some(agency)),
        ("q=%E7%B2%BE%E5%AF%86", Some(id)),
        (by_code.as_str(), Some(agency)),
        ("kind=agency&district=120101", None),
    ] {
        let found = app
            .get(&format!("/api/v1/employers?{query}"), Some(&admin))
            .await
            .json();
        match expected {
            Some(expected) => {
                assert_eq!(found["total"], 1, "{query}: {found}");
                assert_eq!(found["items"][0]["id"], expected, "{query}");
            }
            None => assert_eq!(found["total"], 0, "{query}"),
        }
    }
    let paged = app
        .get("/api/v1/employers?per_page=1&page=2", Some(&admin))
        .await
        .json();
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        (paged["page"].as_u64(), paged["per_page"].as_u64()),
        (Some(2), Some(1))
    );
    for (query, name) in [
        ("per_page=500", "per_page"),
        ("per_page=0", "per_page"),
        ("kind=company", "kind"),
        ("district=%E6%B5%A6%E4%B8%9C", "district"),
        ("page=abc", "page"),
        ("colour=red", "colour"),
    ] {
        let response = app
            .get(&format!("/api/v1/employers?{query}"), Some(&admin))
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            response.text
        );
        assert_eq!(response.json()["error"]["fields"][0]["field"], name);
    }
}

#[expect(clippy::too_many_lines, reason = "every role against two districts")]
async fn employers_are_seen_only_within_scope(app: TestApp) {
    let admin = app.token("admin").await;
    let heping = register(
        &app,
        &admin,
        &employer_body(11, "和平百货", "enterprise", "120101"),
    )
    .await;
    let hedong = register(
        &app,
        &admin,
        &employer_body(12, "河东物流", "enterprise", "120102"),
    )
    .await;
    let officer = app.token("officer").await;
    let officer2 = app.token("officer2").await;
    let hr = hr_token(&app, heping).await;

    // Out of scope reads exactly like absent.
    let other = app
        .get(&format!("/api/v1/employers/{hedong}"), Some(&officer))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(other.json()["error"]["code"], "not_found");
    let absent = app.get("/api/v1/employers/999999", Some(&officer)).await;
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
    assert_eq!(
        absent.text.replace("999999", ""),
        other.text.replace(&hedong.to_string(), "")
    );
    assert_eq!(
        app.get("/api/v1/employers/abc", Some(&officer))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // (user, total listed, heping employer, hedong employer)
    for (user, token, total, own, foreign) in [
        ("admin", &admin, 2, 200, 200),
        ("officer", &officer, 1, 200, 404),
        ("officer2", &officer2, 1, 404, 200),
        ("hr", &hr, 1, 200, 404),
    ] {
        let list = app.get("/api/v1/employers", Some(token)).await.json();
        assert_eq!(list["total"], total, "{user}: {list}");
        assert_eq!(
            app.get(&format!("/api/v1/employers/{heping}"), Some(token))
                .await
                .status
                .as_u16(),
            own,
            "{user}"
        );
        assert_eq!(
            app.get(&format!("/api/v1/employers/{hedong}"), Some(token))
                .await
                .status
                .as_u16(),
            foreign,
            "{user}"
        );
    }
    // Asking for another district does not widen an officer's scope.
    let widened = app
        .get("/api/v1/employers?district=120102", Some(&officer))
        .await
        .json();
    assert_eq!(widened["total"], 0);
    for user in ["institution", "seeker"] {
        let token = app.token(user).await;
        assert_eq!(
            app.get("/api/v1/employers", Some(&token)).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
    }
    assert_eq!(
        app.get("/api/v1/employers", None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // An employer's HR keeps its own entry, but not its credit code, and
    // registers no employers; it cannot touch another's.
    let own = patch_json(
        &app,
        &format!("/api/v1/employers/{heping}"),
        &hr,
        &json!({"name": "和平百货集团", "credit_code": credit_code(13)}),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    assert_eq!(own.json()["name"], "和平百货集团");
    assert_eq!(own.json()["credit_code"], credit_code(11));
    let foreign = patch_json(
        &app,
        &format!("/api/v1/employers/{hedong}"),
        &hr,
        &json!({"name": "x"}),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let create = app
        .post_json(
            "/api/v1/employers",
            &hr,
            &employer_body(14, "新公司", "enterprise", "120101").to_string(),
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    // Refused before the body is read.
    let seeker = app.token("seeker").await;
    assert_eq!(
        app.post_json("/api/v1/employers", &seeker, "{")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // An officer registers employers of their own district only.
    let elsewhere = app
        .post_json(
            "/api/v1/employers",
            &officer,
            &employer_body(15, "河东机械", "enterprise", "120102").to_string(),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&elsewhere.json(), "district")["code"], "out_of_scope");
}

async fn an_invalid_credit_code_is_a_field_error(app: TestApp) {
    let admin = app.token("admin").await;
    let mut body = employer_body(21, "滨海科技", "enterprise", "120116");
    let mut wrong = credit_code(21);
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    body["credit_code"] = json!(wrong);
    let before = app.get("/api/v1/employers", Some(&admin)).await.json()["total"].clone();
    let response = app
        .post_json("/api/v1/employers?lang=en", &admin, &body.to_string())
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text
    );
    let error = response.json();
    assert_eq!(error["error"]["code"], "invalid");
    assert_eq!(field(&error, "credit_code")["code"], "checksum");
    assert!(
        !field(&error, "credit_code")["message"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.get("/api/v1/employers", Some(&admin)).await.json()["total"],
        before,
        "nothing was saved"
    );
    // Every other problem is named in the same answer.
    let many = json!({"credit_code": "ABC", "name": "", "kind": "company", "staff": "many",
        "district": "上海", "sector": "mining", "is_school": true});
    let error = app
        .post_json("/api/v1/employers", &admin, &many.to_string())
        .await
        .json();
    for name in [
        "credit_code",
        "name",
        "kind",
        "staff",
        "district",
        "sector",
        "is_school",
    ] {
        field(&error, name);
    }
    // A registered credit code is a field error too.
    register(
        &app,
        &admin,
        &employer_body(22, "北辰制造", "enterprise", "120113"),
    )
    .await;
    let again = app
        .post_json(
            "/api/v1/employers",
            &admin,
            &employer_body(22, "北辰制造二厂", "enterprise", "120113").to_string(),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field(&again.json(), "credit_code")["code"],
        "already_registered"
    );
    let missing = app
        .post_json("/api/v1/employers", &admin, r#"{"name": "x"}"#)
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["error"]["fields"][0]["code"], "required");
    let typed = app
        .post_json(
            "/api/v1/employers",
            &admin,
            &json!({"credit_code": credit_code(23), "name": "x", "kind": "enterprise", "staff": true, "district": "120101", "sector": "it"}).to_string(),
        )
        .await;
    assert_eq!(typed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&typed.json(), "staff")["code"], "invalid_type");
    assert_eq!(
        app.post_json("/api/v1/employers", &admin, "{").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[expect(clippy::too_many_lines, reason = "one declaration's whole life")]
async fn a_declaration_is_filed_returned_refiled_and_approved(app: TestApp) {
    let officer = app.token("officer").await;
    let admin = app.token("admin").await;
    let vision_3 =
        register_person(&app, &officer, "赵明", ("120101", "19880515", "011"), "13").await;
    let hearing_2 =
        register_person(&app, &officer, "钱丽", ("120101", "19920820", "022"), "22").await;
    let employer = register(
        &app,
        &admin,
        &employer_body(31, "和平精工", "enterprise", "120101"),
    )
    .await;
    let hr = hr_token(&app, employer).await;

    // Level 3 all year counts 1; level 2 from October counts 2 × 3/12.
    let filed = app
        .post_json(
            &format!("/api/v1/employers/{employer}/declarations?lang=en"),
            &hr,
            &declaration(&[employee(&vision_3, 1, 12), employee(&hearing_2, 10, 12)]).to_string(),
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    let body = filed.json();
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        filed.headers[header::LOCATION],
        format!("/api/v1/declarations/{id}")
    );
    let expected = levy::assess(
        &Declaration::from_deserializer(contract_levy(&[(&vision_3, 12), (&hearing_2, 3)], None))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["levy"], expected.levy().to_string());
    assert_eq!(body["levy"], "108000.00");
    assert_eq!(body["assessment"]["levy"], "108000.00");
    assert_eq!(body["assessment"]["counted"], "1.5000");
    assert_eq!(body["headcount"], "200");
    assert_eq!(body["counted"], "1.5000");
    assert_eq!(body["shortfall"], "1.5000");
    assert_eq!(body["status"], "submitted");
    assert_eq!(body["data_year"], YEAR);
    assert_eq!(body["declared_on"], "2024-06-30");
    assert_eq!(body["policy"], "tianjin-2022-2024");
    assert_eq!(body["monthly_headcount"], json!(vec!["200"; 12]));
    assert_eq!(body["total_wages"], "16000000.00");
    assert!(
        !has_chinese(&body["assessment"]["explanation"]),
        "explained in English: {}",
        body["assessment"]["explanation"]
    );
    let employees = body["employees"].as_array().unwrap();
    assert_eq!(employees.len(), 2);
    assert_eq!(employees[0]["certificate_masked"], "1201****************");
    assert_eq!(employees[0]["name_masked"], "赵*");
    assert_eq!(employees[1]["level"], 2);
    assert_eq!(
        (
            employees[1]["from_month"].as_u64(),
            employees[1]["to_month"].as_u64()
        ),
        (Some(10), Some(12))
    );
    assert!(
        !filed.text.contains(&vision_3) && !filed.text.contains(&vision_3[..18]),
        "no identifier in clear"
    );
    assert_eq!(body["conflicts"], json!([]));
    assert_eq!(body["history"][0]["action"], "submitted");
    assert_eq!(body["can_review"], false);
    assert_eq!(body["can_refile"], true);
    // In Chinese by default.
    let chinese = app
        .get(&format!("/api/v1/declarations/{id}"), Some(&officer))
        .await
        .json();
    assert!(has_chinese(&chinese["assessment"]["explanation"]));
    assert_eq!(chinese["can_review"], true);

    // The employer's standing: what it lacks and what one more person saves.
    let standing = app
        .get(&format!("/api/v1/employers/{employer}"), Some(&hr))
        .await
        .json();
    let shortfall = &standing["standing"]["shortfall"];
    assert_eq!(shortfall["data_year"], YEAR);
    assert_eq!(shortfall["levy"], "108000.00");
    assert!(shortfall["people"].as_u64().unwrap() >= 1);
    assert!(
        shortfall["levy_with_one_more"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
            < 108_000.0
    );
    assert_eq!(standing["declarations"][0]["id"], id);

    // Only officers of the district and administrators review.
    let approve = format!("/api/v1/declarations/{id}/approve");
    let send_back = format!("/api/v1/declarations/{id}/return");
    assert_eq!(
        app.post_json(&approve, &hr, "{}").await.status,
        StatusCode::FORBIDDEN
    );
    let officer2 = app.token("officer2").await;
    assert_eq!(
        app.post_json(&approve, &officer2, "{}").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/v1/declarations/{id}"), Some(&officer2))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A return needs reasons.
    for note in ["{}", r#"{"note": "  "}"#] {
        let response = app.post_json(&send_back, &officer, note).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{note}: {}",
            response.text
        );
        assert_eq!(field(&response.json(), "note")["code"], "required");
    }
    let returned = app
        .post_json(
            &send_back,
            &officer,
            r#"{"note": "钱丽的入职月份请核对劳动合同"}"#,
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text);
    let returned = returned.json();
    assert_eq!(returned["status"], "returned");
    assert_eq!(returned["history"][1]["action"], "returned");
    assert_eq!(
        returned["history"][1]["note"],
        "钱丽的入职月份请核对劳动合同"
    );
    assert_eq!(returned["history"][1]["actor"], "officer");
    assert_eq!(
        app.post_json(&approve, &officer, "{}").await.status,
        StatusCode::CONFLICT,
        "a returned declaration is not waiting for review"
    );

    // Corrected and refiled: the level-2 employee started in July.
    let refiled = app
        .post_json(
            &format!("/api/v1/employers/{employer}/declarations"),
            &hr,
            &declaration(&[employee(&vision_3, 1, 12), employee(&hearing_2, 7, 12)]).to_string(),
        )
        .await;
    assert_eq!(refiled.status, StatusCode::OK, "{}", refiled.text);
    let refiled = refiled.json();
    assert_eq!(refiled["id"], id, "the year's declaration, replaced");
    assert_eq!(refiled["status"], "submitted");
    let expected = levy::assess(
        &Declaration::from_deserializer(contract_levy(&[(&vision_3, 12), (&hearing_2, 6)], None))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(refiled["levy"], expected.levy().to_string());
    assert_eq!(refiled["counted"], "2.0000");
    let actions: Vec<&str> = refiled["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["submitted", "returned", "resubmitted"]);

    let approved = app.post_json(&approve, &officer, "{}").await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);
    let approved = approved.json();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["levy"], expected.levy().to_string());
    assert_eq!(approved["can_review"], false);
    assert_eq!(approved["can_refile"], false);
    assert_eq!(
        app.post_json(&approve, &officer, "{}").await.status,
        StatusCode::CONFLICT
    );
    let too_late = app
        .post_json(
            &format!("/api/v1/employers/{employer}/declarations"),
            &hr,
            &declaration(&[employee(&vision_3, 1, 12)]).to_string(),
        )
        .await;
    assert_eq!(too_late.status, StatusCode::CONFLICT);
    assert_eq!(too_late.json()["error"]["code"], "declaration_approved");
    assert!(!app.audit("declaration.approve").await.is_empty());

    // The list, filtered.
    let of_the_year = format!("?year={YEAR}");
    for (query, total) in [
        ("", 1),
        ("?status=approved", 1),
        ("?status=submitted", 0),
        (of_the_year.as_str(), 1),
        ("?year=2022", 0),
    ] {
        let list = app
            .get(&format!("/api/v1/declarations{query}"), Some(&hr))
            .await
            .json();
        assert_eq!(list["total"], total, "{query}: {list}");
    }
    let list = app.get("/api/v1/declarations", Some(&officer)).await.json();
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["employer_id"], employer);
    assert_eq!(list["items"][0]["levy"], expected.levy().to_string());
    assert_eq!(
        app.get("/api/v1/declarations", Some(&officer2))
            .await
            .json()["total"],
        0
    );
    let bad = app.get("/api/v1/declarations?status=lost", Some(&hr)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["fields"][0]["field"], "status");
}

#[expect(clippy::too_many_lines, reason = "one case per field")]
async fn bad_declarations_name_their_fields_and_save_nothing(app: TestApp) {
    let officer = app.token("officer").await;
    let admin = app.token("admin").await;
    let working =
        register_person(&app, &officer, "孙强", ("120101", "19860304", "031"), "41").await;
    // A man born in 1958 was past the retirement age of 60 all through 2023.
    let retired =
        register_person(&app, &officer, "李老", ("120101", "19580510", "051"), "42").await;
    let employer = register(
        &app,
        &admin,
        &employer_body(41, "和平食品", "enterprise", "120101"),
    )
    .await;
    let hr = hr_token(&app, employer).await;
    let path = format!("/api/v1/employers/{employer}/declarations?lang=en");
    let mut bad_checksum = working.clone();
    let check = bad_checksum.remove(17);
    bad_checksum.insert(17, if check == '0' { '1' } else { '0' });

    let mut body = declaration(&[
        employee(&working, 1, 13),
        employee(&bad_checksum, 1, 12),
        employee(&retired, 1, 12),
    ]);
    body["monthly_headcount"][0] = json!(-5);
    let response = app.post_json(&path, &hr, &body.to_string()).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text
    );
    let error = response.json();
    assert_eq!(field(&error, "monthly_headcount[0]")["code"], "negative");
    assert_eq!(
        field(&error, "employees[0].to_month")["code"],
        "out_of_range"
    );
    assert_eq!(
        field(&error, "employees[1].certificate")["code"],
        "checksum"
    );
    assert_eq!(
        field(&error, "employees[2].certificate")["code"],
        "not_working_age"
    );

    // One problem at a time, each named.
    let cases: [(Edit, &str, &str); 8] = [
        (
            |v| v["monthly_headcount"] = json!(vec![200; 11]),
            "monthly_headcount",
            "length",
        ),
        (
            |v| v["employees"][0]["from_month"] = json!("七"),
            "employees[0].from_month",
            "not_a_number",
        ),
        (
            |v| v["employees"][0]["from_month"] = json!(9),
            "employees[0].to_month",
            "before_start",
        ),
        (
            |v| v["employees"][0]["contract_ok"] = json!("yes"),
            "employees[0].contract_ok",
            "invalid_type",
        ),
        (
            |v| v["employees"][0]["salary"] = json!(1),
            "employees[0].salary",
            "unknown_field",
        ),
        (
            |v| v["seasonal"] = json!([{"count": 10, "months": 13}]),
            "seasonal[0].months",
            "out_of_range",
        ),
        (
            |v| v["data_year"] = json!(2030),
            "data_year",
            "out_of_range",
        ),
        (
            |v| v["total_wages"] = json!("8,000,000.001"),
            "total_wages",
            "precision",
        ),
    ];
    for (edit, name, code) in cases {
        let mut body = declaration(&[employee(&working, 1, 6)]);
        edit(&mut body);
        let response = app.post_json(&path, &hr, &body.to_string()).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            response.text
        );
        assert_eq!(field(&response.json(), name)["code"], code, "{name}");
    }
    // A certificate nobody registered.
    let stranger = format!("{}11", id_number("120103", "19900101", "771"));
    let response = app
        .post_json(
            &path,
            &hr,
            &declaration(&[employee(&stranger, 1, 12)]).to_string(),
        )
        .await;
    assert_eq!(
        field(&response.json(), "employees[0].certificate")["code"],
        "not_registered"
    );

    for token in [&hr, &admin] {
        assert_eq!(
            app.get("/api/v1/declarations", Some(token)).await.json()["total"],
            0,
            "nothing was saved"
        );
    }
    // Another organisation's employer is absent; others may not file.
    let other = register(
        &app,
        &admin,
        &employer_body(42, "和平饮料", "enterprise", "120101"),
    )
    .await;
    let valid = declaration(&[employee(&working, 1, 12)]).to_string();
    assert_eq!(
        app.post_json(
            &format!("/api/v1/employers/{other}/declarations"),
            &hr,
            &valid
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let institution = app.token("institution").await;
    assert_eq!(
        app.post_json(
            &format!("/api/v1/employers/{employer}/declarations"),
            &institution,
            &valid
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_json(
            &format!("/api/v1/employers/{employer}/declarations"),
            &hr,
            &valid
        )
        .await
        .status,
        StatusCode::CREATED
    );
}

async fn double_counting_shows_on_both_declarations(app: TestApp) {
    let officer = app.token("officer").await;
    let admin = app.token("admin").await;
    let shared = register_person(&app, &officer, "周平", ("120101", "19900909", "091"), "42").await;
    let alone = register_person(&app, &officer, "吴敏", ("120101", "19930303", "092"), "31").await;
    let first = register(
        &app,
        &admin,
        &employer_body(51, "和平电子", "enterprise", "120101"),
    )
    .await;
    let second = register(
        &app,
        &admin,
        &employer_body(52, "河东电子", "enterprise", "120102"),
    )
    .await;
    let mut ids = Vec::new();
    for (employer, employees) in [
        (
            first,
            vec![employee(&shared, 1, 6), employee(&alone, 1, 12)],
        ),
        (second, vec![employee(&shared, 4, 12)]),
    ] {
        let response = app
            .post_json(
                &format!("/api/v1/employers/{employer}/declarations"),
                &admin,
                &declaration(&employees).to_string(),
            )
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        ids.push(response.json()["id"].as_i64().unwrap());
    }
    let one = app
        .get(&format!("/api/v1/declarations/{}", ids[0]), Some(&admin))
        .await
        .json();
    let conflicts = one["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{one}");
    assert_eq!(conflicts[0]["other_employer_id"], second);
    assert_eq!(conflicts[0]["other_employer_name"], "河东电子");
    assert_eq!(conflicts[0]["months"], json!({"from": 1, "to": 6}));
    assert_eq!(conflicts[0]["other_months"], json!({"from": 4, "to": 12}));
    assert_eq!(conflicts[0]["name_masked"], "周*");
    let person = conflicts[0]["person_id"].clone();
    let other = app
        .get(&format!("/api/v1/declarations/{}", ids[1]), Some(&admin))
        .await
        .json();
    let conflicts = other["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{other}");
    assert_eq!(conflicts[0]["other_employer_id"], first);
    assert_eq!(conflicts[0]["person_id"], person);
    assert_eq!(conflicts[0]["months"], json!({"from": 4, "to": 12}));
    // The district officer sees it on the declaration in their district.
    let seen = app
        .get(&format!("/api/v1/declarations/{}", ids[0]), Some(&officer))
        .await
        .json();
    assert_eq!(seen["conflicts"].as_array().unwrap().len(), 1);
}

async fn measure_one_lists_the_agencies_and_institutions_it_covers(app: TestApp) {
    let admin = app.token("admin").await;
    let agency = register(
        &app,
        &admin,
        &json!({"credit_code": credit_code(61), "name": "和平区人社局", "kind": "agency", "staffing_quota": 60,
            "staff": 58, "district": "120101", "sector": "public_admin"}),
    )
    .await;
    let school = register(
        &app,
        &admin,
        &json!({"credit_code": credit_code(62), "name": "和平区实验小学", "kind": "institution", "staffing_quota": 120,
            "staff": 118, "is_school": true, "district": "120101", "sector": "education"}),
    )
    .await;
    let hospital = register(
        &app,
        &admin,
        &json!({"credit_code": credit_code(63), "name": "河东区医院", "kind": "institution", "staffing_quota": 300,
            "staff": 290, "district": "120102", "sector": "health"}),
    )
    .await;
    let small = register(
        &app,
        &admin,
        &json!({"credit_code": credit_code(64), "name": "和平区档案馆", "kind": "agency", "staffing_quota": 20,
            "staff": 20, "district": "120101", "sector": "public_admin"}),
    )
    .await;
    let standing = app
        .get(&format!("/api/v1/employers/{agency}"), Some(&admin))
        .await
        .json();
    assert_eq!(standing["standing"]["measure_one"], true);
    let report = app
        .get(
            &format!("/api/v1/quota/measure-one?year={YEAR}&lang=en"),
            Some(&admin),
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text);
    let report = report.json();
    assert_eq!(report["data_year"], YEAR);
    let rows: Vec<i64> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(
        rows.contains(&agency) && rows.contains(&hospital),
        "{report}"
    );
    assert!(
        !rows.contains(&school) && !rows.contains(&small),
        "{report}"
    );
    assert!(
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["employs_none"] == true && r["declaration_status"].is_null())
    );
    assert_eq!(report["over_time"].as_array().unwrap().len(), 4);
    assert!(
        report["by_district"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["district"] == "120102"
                && d["district_name"] == "Hedong District"
                && d["employing_none"] == 1)
    );
    let officer = app.token("officer").await;
    let district = app
        .get(
            &format!("/api/v1/quota/measure-one?year={YEAR}"),
            Some(&officer),
        )
        .await
        .json();
    assert_eq!(district["rows"].as_array().unwrap().len(), 1);
    assert_eq!(district["rows"][0]["id"], agency);
    let hr = hr_token(&app, agency).await;
    assert_eq!(
        app.get("/api/v1/quota/measure-one", Some(&hr)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/quota/measure-one?year=last", Some(&admin))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[expect(clippy::too_many_lines, reason = "a preset from creation to every use")]
async fn presets_are_stored_by_the_city_administrator_and_used_everywhere(app: TestApp) {
    let admin = app.token("admin").await;
    let officer = app.token("officer").await;
    let listed = app.get("/api/v1/policies", Some(&officer)).await.json();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], "tianjin-2022-2024");
    assert_eq!(listed["items"][0]["built_in"], true);
    assert_eq!(listed["items"][0]["quota"]["rate"], "0.015");

    let mut preset = app
        .get("/api/v1/policies/tianjin-2022-2024", Some(&admin))
        .await
        .json();
    let object = preset.as_object_mut().unwrap();
    object.remove("built_in");
    object.remove("version");
    preset["id"] = json!("tianjin-2025-draft");
    preset["name_zh"] = json!("天津市 2025 年政策（征求意见稿）");
    preset["name_en"] = json!("Tianjin 2025 policy (draft)");
    preset["quota"]["rate"] = json!("0.017");

    let refused = app
        .post_json("/api/v1/policies", &officer, &preset.to_string())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut invalid = preset.clone();
    invalid["quota"]["rate"] = json!("1.5");
    invalid["levy"]["money_decimal_places"] = json!(9);
    let response = app
        .post_json("/api/v1/policies?lang=en", &admin, &invalid.to_string())
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text
    );
    let error = response.json();
    assert_eq!(field(&error, "quota.rate")["code"], "out_of_range");
    assert_eq!(
        field(&error, "levy.money_decimal_places")["code"],
        "out_of_range"
    );
    for (edit, name, code) in [
        (
            json!({"quota": {"rate": "lots"}}),
            "quota.rate",
            "invalid_type",
        ),
        (
            json!({"quota": {"colour": "blue"}}),
            "quota.colour",
            "unknown_field",
        ),
        (json!({"id": "tianjin-2022-2024"}), "id", "built_in"),
        (json!({"id": "Tianjin 2025"}), "id", "invalid_format"),
    ] {
        let mut body = preset.clone();
        for (key, value) in edit.as_object().unwrap() {
            match value {
                Value::Object(inner) => {
                    for (inner_key, inner_value) in inner {
                        body[key][inner_key] = inner_value.clone();
                    }
                }
                other => body[key] = other.clone(),
            }
        }
        let response = app
            .post_json("/api/v1/policies", &admin, &body.to_string())
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            response.text
        );
        assert_eq!(field(&response.json(), name)["code"], code, "{name}");
    }
    let mut missing = preset.clone();
    missing.as_object_mut().unwrap().remove("quota");
    let response = app
        .post_json("/api/v1/policies", &admin, &missing.to_string())
        .await;
    assert_eq!(field(&response.json(), "quota")["code"], "required");
    assert_eq!(
        app.get("/api/v1/policies", Some(&admin)).await.json()["total"],
        1,
        "nothing was saved"
    );

    let created = app
        .post_json("/api/v1/policies", &admin, &preset.to_string())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(
        created.headers[header::LOCATION],
        "/api/v1/policies/tianjin-2025-draft"
    );
    let body = created.json();
    assert_eq!(body["version"], 1);
    assert_eq!(body["built_in"], false);
    assert_eq!(body["quota"]["rate"], "0.017");
    // Saved again, it is a new version.
    let again = app
        .post_json("/api/v1/policies", &admin, &preset.to_string())
        .await
        .json();
    assert_eq!(again["version"], 2);
    let stored = app
        .get("/api/v1/policies/tianjin-2025-draft", Some(&officer))
        .await
        .json();
    assert_eq!(stored["version"], 2);
    assert_eq!(stored["name_en"], "Tianjin 2025 policy (draft)");
    assert_eq!(
        app.get("/api/v1/policies", Some(&admin)).await.json()["total"],
        2
    );
    assert_eq!(
        app.get("/api/v1/policies/nowhere", Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.audit("policy.create").await.len(), 1);
    assert_eq!(app.audit("policy.update").await.len(), 1);

    // The levy of CONTRACT.md's declaration under the stored preset:
    // R = 200 × 1.7% = 3.4, G = 1.9, 1.9 × 80,000 × 0.9.
    let contract = json!({
        "policy": "tianjin-2025-draft",
        "declared_on": "2024-06-30",
        "employer_kind": "enterprise",
        "average_headcount": "200",
        "average_wage": "80000",
        "social_average_wage": "100000",
        "disabled_employees": [
            {"certificate": "12010119900307123543", "months": 12},
            {"kind": "veteran", "level": 2, "months": 3}
        ]
    });
    let assessed = app
        .post_json("/api/v1/levy/assessments", &officer, &contract.to_string())
        .await;
    assert_eq!(assessed.status, StatusCode::OK, "{}", assessed.text);
    let assessed = assessed.json();
    assert_eq!(assessed["required"], "3.4000");
    assert_eq!(assessed["levy"], "136800.00");
    assert_eq!(assessed["policy"], "tianjin-2025-draft");
    assert_eq!(assessed["policy_version"], 2);

    // What-if: a year's declarations under the stored preset.
    let person = register_person(&app, &officer, "郑华", ("120101", "19870707", "071"), "13").await;
    let employer = register(
        &app,
        &admin,
        &employer_body(71, "和平纺织", "enterprise", "120101"),
    )
    .await;
    let filed = app
        .post_json(
            &format!("/api/v1/employers/{employer}/declarations"),
            &officer,
            &declaration(&[employee(&person, 1, 12)]).to_string(),
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    let current = filed.json()["levy"].clone();
    let alternative = app
        .post_json(
            "/api/v1/levy/assessments",
            &officer,
            &contract_levy(&[(&person, 12)], Some("tianjin-2025-draft")).to_string(),
        )
        .await
        .json()["levy"]
        .clone();
    let what_if = app
        .get(
            &format!("/api/v1/quota/what-if?year={YEAR}&policy=tianjin-2025-draft&lang=en"),
            Some(&officer),
        )
        .await;
    assert_eq!(what_if.status, StatusCode::OK, "{}", what_if.text);
    let what_if = what_if.json();
    assert_eq!(what_if["policy"], "tianjin-2025-draft");
    assert_eq!(what_if["policy_version"], 2);
    assert_eq!(what_if["total"]["employers"], 1);
    assert_eq!(what_if["total"]["levy_current"], current);
    assert_eq!(what_if["total"]["levy_alternative"], alternative);
    assert_eq!(what_if["total"]["short_alternative"], 1);
    assert_eq!(what_if["by_district"][0]["code"], "120101");
    assert_eq!(what_if["by_kind"][0]["code"], "enterprise");
    assert_eq!(what_if["by_kind"][0]["label"], "Enterprise");
    assert_eq!(what_if["skipped"], 0);
    for (query, name) in [
        ("year=2023", "policy"),
        ("year=2023&policy=nowhere", "policy"),
        ("year=soon&policy=tianjin-2025-draft", "year"),
    ] {
        let response = app
            .get(&format!("/api/v1/quota/what-if?{query}"), Some(&admin))
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            response.text
        );
        assert_eq!(response.json()["error"]["fields"][0]["field"], name);
    }
    let hr = hr_token(&app, employer).await;
    assert_eq!(
        app.get(
            "/api/v1/quota/what-if?year=2023&policy=tianjin-2025-draft",
            Some(&hr)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

async fn the_openapi_document_describes_the_employer_api(app: TestApp) {
    let document = app.get("/api/v1/openapi.json", None).await.json();
    for (path, method) in [
        ("/api/v1/employers", "get"),
        ("/api/v1/employers", "post"),
        ("/api/v1/employers/{id}", "get"),
        ("/api/v1/employers/{id}", "patch"),
        ("/api/v1/employers/{id}/declarations", "post"),
        ("/api/v1/declarations", "get"),
        ("/api/v1/declarations/{id}", "get"),
        ("/api/v1/declarations/{id}/approve", "post"),
        ("/api/v1/declarations/{id}/return", "post"),
        ("/api/v1/quota/measure-one", "get"),
        ("/api/v1/quota/what-if", "get"),
        ("/api/v1/policies", "get"),
        ("/api/v1/policies", "post"),
        ("/api/v1/policies/{id}", "get"),
    ] {
        assert!(
            document["paths"][path][method].is_object(),
            "{method} {path} is documented"
        );
    }
    for schema in [
        "EmployerBody",
        "EmployerDetailBody",
        "NewDeclarationBody",
        "DeclarationBody",
        "WhatIfBody",
        "PolicyBody",
    ] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
}
