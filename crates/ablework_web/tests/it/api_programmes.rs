//! The programmes' API: a course fills to its capacity and places a
//! trainee in work once, credited to measure 10; each account sees and
//! changes only its scope (an institution its own unit, a district officer
//! its district); a labour project and a contract are drawn on up to their
//! limit and not a cent more; bad input names every field and saves
//! nothing; the rural criteria are revised by the city only.

use ablework_app::auth::NewUserInput;
use ablework_app::persons::NewPersonInput;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::harness::{PASSWORD, Response, TestApp, actor, id_number};

crate::on_both_engines!(api_programmes:
    a_course_fills_to_capacity_and_places_a_trainee_once,
    each_account_sees_and_changes_only_its_scope,
    a_labour_project_is_allocated_up_to_its_volume,
    a_contract_is_paid_up_to_its_amount,
    bad_input_names_every_field_and_saves_nothing,
    the_rural_criteria_are_revised_by_the_city_only,
);

/// The seeded people by name, with their ID numbers (see the harness).
const ZHANG: (&str, &str, &str, &str) = ("张伟", "120101", "19900307", "123");
const WANG: (&str, &str, &str, &str) = ("王芳", "120101", "19851120", "244");
const LI: (&str, &str, &str, &str) = ("李娜", "120102", "19780601", "322");

fn id_of(person: (&str, &str, &str, &str)) -> String {
    id_number(person.1, person.2, person.3)
}

async fn put_json(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    let request = Request::put(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

async fn post(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    app.post_json(path, token, &body.to_string()).await
}

/// Posts and expects `status`; the answer's JSON.
async fn post_ok(
    app: &TestApp,
    path: &str,
    token: &str,
    body: &Value,
    status: StatusCode,
) -> Value {
    let response = post(app, path, token, body).await;
    assert_eq!(response.status, status, "{path}: {}", response.text);
    response.json()
}

/// The one field error of a 422.
fn field_error(response: &Response) -> (String, String) {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text
    );
    let body = response.json();
    let fields = body["error"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 1, "{}", response.text);
    (
        fields[0]["field"].as_str().unwrap().to_owned(),
        fields[0]["code"].as_str().unwrap().to_owned(),
    )
}

/// Every field error of a 422, sorted.
fn fields_of(response: &Response) -> Vec<(String, String)> {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text
    );
    let mut fields: Vec<(String, String)> = response.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    fields.sort();
    fields
}

pub(crate) fn college(name: &str, district: &str) -> Value {
    json!({
        "kind": "vocational_college",
        "name": name,
        "district": district,
        "accreditation": "accredited",
        "accredited_on": "2023-03-01",
    })
}

pub(crate) fn course(title: &str, capacity: u32) -> Value {
    json!({
        "kind": "course",
        "title": title,
        "starts_on": "2024-01-10",
        "ends_on": "2024-03-31",
        "capacity": capacity,
        "occupation": "51",
        "mode": "on_order",
        "schedule": "每周二、四下午",
        "provisions": ["sign_language"],
    })
}

fn labour_project(district: &str, volume: &str) -> Value {
    json!({
        "kind": "labour_project",
        "title": "医院被服折叠",
        "district": district,
        "starts_on": "2024-06-01",
        "limit": volume,
        "unit_price": "2.50",
        "source_kind": "hospital",
        "source_name": "天津市第一中心医院",
        "scope": "被服折叠与包装",
    })
}

fn enrolment(person: (&str, &str, &str, &str)) -> Value {
    json!({ "id_number": id_of(person), "name": person.0, "joined_on": "2024-01-10" })
}

/// Creates a unit as `token`; its id.
pub(crate) async fn unit(app: &TestApp, token: &str, programme: &str, body: &Value) -> i64 {
    let path = format!("/api/v1/programmes/{programme}/units");
    let response = post(app, &path, token, body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let id = response.json()["id"].as_i64().unwrap();
    assert_eq!(
        response.headers[header::LOCATION],
        format!("/api/v1/programme-units/{id}")
    );
    id
}

/// Creates an activity of a unit as `token`; its id.
pub(crate) async fn activity(app: &TestApp, token: &str, unit: i64, body: &Value) -> i64 {
    let path = format!("/api/v1/programme-units/{unit}/activities");
    post_ok(app, &path, token, body, StatusCode::CREATED).await["id"]
        .as_i64()
        .unwrap()
}

/// Pools an activity in a district as `token`; its id.
async fn pooled(app: &TestApp, token: &str, programme: &str, body: &Value) -> i64 {
    let path = format!("/api/v1/programmes/{programme}/pool");
    post_ok(app, &path, token, body, StatusCode::CREATED).await["id"]
        .as_i64()
        .unwrap()
}

/// Enrols a person on a course; the participation's id.
async fn enrol(app: &TestApp, token: &str, course: i64, person: (&str, &str, &str, &str)) -> i64 {
    let path = format!("/api/v1/programme-activities/{course}/participants");
    let body = post_ok(app, &path, token, &enrolment(person), StatusCode::CREATED).await;
    body["id"].as_i64().unwrap()
}

/// An institution account whose organisation is the unit.
async fn institution(app: &TestApp, username: &str, unit: i64) -> String {
    let input = NewUserInput {
        username: username.to_owned(),
        password: PASSWORD.to_owned(),
        role: "institution".to_owned(),
        district: None,
        organisation_id: Some(unit),
        person_id: None,
    };
    app.app.create_user(None, input).await.unwrap();
    app.token(username).await
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

fn figures<'a>(list: &'a Value, programme: &str) -> &'a Value {
    &list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == programme)
        .unwrap()["figures"]
}

#[expect(
    clippy::too_many_lines,
    reason = "a course's whole life, from the unit to the placement"
)]
async fn a_course_fills_to_capacity_and_places_a_trainee_once(app: TestApp) {
    let admin = app.token("admin").await;
    let college = unit(
        &app,
        &admin,
        "training",
        &college("天津市第一职业技术学院", "120101"),
    )
    .await;
    let course = activity(&app, &admin, college, &course("面点制作培训班", 3)).await;

    let mut trainees = Vec::new();
    for person in [ZHANG, WANG, LI] {
        let path = format!("/api/v1/programme-activities/{course}/participants");
        let response = post(&app, &path, &admin, &enrolment(person)).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        assert!(
            !response.text.contains(&id_of(person)) && !response.text.contains(person.0),
            "neither the ID number nor the name is shown: {}",
            response.text
        );
        let body = response.json();
        assert_eq!(body["role"], "trainee");
        assert_eq!(body["activity_id"], course);
        assert_eq!(body["unit_id"], college);
        assert!(body["person_name"].as_str().unwrap().ends_with('*'));
        trainees.push(body["id"].as_i64().unwrap());
    }

    // A fourth person: every place is taken, and nothing is saved.
    let admin_actor = actor(&app.app, "admin").await;
    let zhao = id_number("120103", "19920815", "456");
    app.app
        .create_person(
            &admin_actor,
            NewPersonInput {
                name: "赵敏".to_owned(),
                certificate_number: format!("{zhao}42"),
                id_number: zhao.clone(),
                district: "120103".to_owned(),
                ..NewPersonInput::default()
            },
        )
        .await
        .unwrap();
    let path = format!("/api/v1/programme-activities/{course}/participants");
    let full = post(
        &app,
        &path,
        &admin,
        &json!({ "id_number": zhao, "name": "赵敏", "joined_on": "2024-01-10" }),
    )
    .await;
    assert_eq!(
        field_error(&full),
        ("id_number".to_owned(), "capacity_full".to_owned())
    );
    // Enrolling one of the three again.
    let again = post(&app, &path, &admin, &enrolment(WANG)).await;
    assert_eq!(
        field_error(&again),
        ("id_number".to_owned(), "already_joined".to_owned())
    );
    // A number with someone else's name finds no one.
    let wrong = post(
        &app,
        &path,
        &admin,
        &json!({ "id_number": id_of(ZHANG), "name": "王芳", "joined_on": "2024-01-10" }),
    )
    .await;
    assert_eq!(
        field_error(&wrong),
        ("id_number".to_owned(), "unknown_person".to_owned())
    );
    let view = app
        .get(
            &format!("/api/v1/programme-activities/{course}"),
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(view["participants"], 3, "{view}");
    assert_eq!(view["participant_list"].as_array().unwrap().len(), 3);

    // Two complete the course; the third has not.
    for trainee in &trainees[..2] {
        let done = post_ok(
            &app,
            &format!("/api/v1/programme-participants/{trainee}/progress"),
            &admin,
            &json!({ "status": "completed", "ended_on": "2024-03-31", "sessions_attended": 40,
                "certificate": format!("TJ2024-{trainee}") }),
            StatusCode::OK,
        )
        .await;
        assert_eq!(done["status"], "completed");
        assert_eq!(done["placement_deadline"], "2024-09-30");
        assert_eq!(done["placeable"], true);
    }
    let not_completed = post(
        &app,
        &format!("/api/v1/programme-participants/{}/placement", trainees[2]),
        &admin,
        &json!({ "started_on": "2024-05-06" }),
    )
    .await;
    assert_eq!(
        field_error(&not_completed),
        ("started_on".to_owned(), "not_completed".to_owned())
    );

    // 张伟 starts work five weeks after completing: placed, once.
    let placement = format!("/api/v1/programme-participants/{}/placement", trainees[0]);
    let placed = post_ok(
        &app,
        &placement,
        &admin,
        &json!({ "started_on": "2024-05-06", "monthly_wage": 3200 }),
        StatusCode::OK,
    )
    .await;
    assert!(placed["outcome_id"].as_i64().is_some(), "{placed}");
    assert_eq!(placed["placed_on"], "2024-05-06");
    assert_eq!(placed["placeable"], false);
    assert_eq!(
        placed["person_id"], app.heping[0],
        "staff may open the record"
    );
    let outcomes = app.store.outcomes_of(app.heping[0]).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(
        outcomes[0].outcome.measure,
        ablework_domain::outcome::Measure::Training
    );
    let report = app.get("/api/v1/progress", Some(&admin)).await.json();
    let training = report["by_measure"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == "m10_training")
        .unwrap()
        .clone();
    assert_eq!(training["achieved"], 1);
    let twice = post(
        &app,
        &placement,
        &admin,
        &json!({ "started_on": "2024-05-07" }),
    )
    .await;
    assert_eq!(
        field_error(&twice),
        ("started_on".to_owned(), "already_placed".to_owned())
    );
    assert_eq!(app.store.outcomes_of(app.heping[0]).await.unwrap().len(), 1);

    let view = app
        .get(
            &format!("/api/v1/programme-activities/{course}?lang=en"),
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(
        view["results"],
        json!({ "enrolled": 3, "completed": 2, "certified": 2, "in_work": 1, "placed": 1 })
    );
    assert_eq!(view["kind_name"], "Course");
    assert_eq!(
        view["remaining"],
        Value::Null,
        "a course has no money limit"
    );
    let list = app.get("/api/v1/programmes", Some(&admin)).await.json();
    assert_eq!(list["total"], 7);
    let training = figures(&list, "training");
    assert_eq!(training["units"], 1);
    assert_eq!(training["activities"], 1);
    assert_eq!(training["participants"], 3);
    assert_eq!(training["placed"], 1);
    assert_eq!(
        list["items"][6]["measure"], "m10_training",
        "{}",
        list["items"]
    );
    for action in [
        "programme.unit.create",
        "programme.activity.create",
        "programme.join",
        "programme.progress",
        "programme.place",
    ] {
        assert!(!app.audit(action).await.is_empty(), "{action} is audited");
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "every kind of account against two units and two districts"
)]
async fn each_account_sees_and_changes_only_its_scope(app: TestApp) {
    let admin = app.token("admin").await;
    let a = unit(&app, &admin, "training", &college("和平职业学院", "120101")).await;
    let b = unit(
        &app,
        &admin,
        "training",
        &json!({ "kind": "special_school", "name": "河东特殊教育学校", "district": "120102",
            "accreditation": "pending" }),
    )
    .await;
    let course_a = activity(&app, &admin, a, &course("电商客服", 20)).await;
    let course_b = activity(&app, &admin, b, &course("盲人按摩", 20)).await;
    let trainee_b = enrol(&app, &admin, course_b, LI).await;
    let pool_heping = pooled(&app, &admin, "auxiliary", &labour_project("120101", "100")).await;
    let pool_hedong = pooled(&app, &admin, "auxiliary", &labour_project("120102", "100")).await;

    // The institution of unit A: its unit and its course, nothing else.
    let college_a = institution(&app, "college-a", a).await;
    let units = app
        .get("/api/v1/programmes/training/units", Some(&college_a))
        .await;
    assert_eq!(units.status, StatusCode::OK, "{}", units.text);
    assert_eq!(ids(&units.json()), [a]);
    let activities = app
        .get("/api/v1/programmes/training/activities", Some(&college_a))
        .await
        .json();
    assert_eq!(ids(&activities), [course_a]);
    for (path, status) in [
        (format!("/api/v1/programme-units/{a}"), StatusCode::OK),
        (
            format!("/api/v1/programme-activities/{course_a}"),
            StatusCode::OK,
        ),
        (
            format!("/api/v1/programme-units/{b}"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/v1/programme-activities/{course_b}"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/v1/programme-activities/{pool_heping}"),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let response = app.get(&path, Some(&college_a)).await;
        assert_eq!(response.status, status, "{path}: {}", response.text);
    }
    let own = app
        .get(&format!("/api/v1/programme-units/{a}"), Some(&college_a))
        .await
        .json();
    assert_eq!(own["can_manage"], false);
    assert_eq!(own["can_write"], true);
    for (path, body) in [
        (
            format!("/api/v1/programme-participants/{trainee_b}/progress"),
            json!({ "status": "withdrawn", "ended_on": "2024-02-01" }),
        ),
        (
            format!("/api/v1/programme-participants/{trainee_b}/placement"),
            json!({ "started_on": "2024-05-01" }),
        ),
        (
            format!("/api/v1/programme-activities/{course_b}/participants"),
            enrolment(ZHANG),
        ),
        (
            format!("/api/v1/programme-units/{b}/activities"),
            course("越权课程", 5),
        ),
    ] {
        let response = post(&app, &path, &college_a, &body).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            response.text
        );
    }
    let created = post(
        &app,
        &format!("/api/v1/programme-units/{a}/activities"),
        &college_a,
        &course("西式面点", 10),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.json()["district"], "120101", "the unit's district");
    let registered = post(
        &app,
        "/api/v1/programmes/training/units",
        &college_a,
        &college("自己登记的学校", "120101"),
    )
    .await;
    assert_eq!(
        registered.status,
        StatusCode::FORBIDDEN,
        "{}",
        registered.text
    );
    let renamed = put_json(
        &app,
        &format!("/api/v1/programme-units/{a}"),
        &college_a,
        &college("改名", "120101"),
    )
    .await;
    assert_eq!(renamed.status, StatusCode::FORBIDDEN);

    // A district officer of 和平区: its units and pools only.
    let officer = app.token("officer").await;
    let units = app
        .get("/api/v1/programmes/training/units", Some(&officer))
        .await
        .json();
    assert_eq!(ids(&units), [a]);
    let pools = app
        .get(
            "/api/v1/programmes/auxiliary/activities?pooled=true",
            Some(&officer),
        )
        .await
        .json();
    assert_eq!(ids(&pools), [pool_heping]);
    assert_eq!(pools["items"][0]["pooled"], true);
    let everything = app
        .get(
            "/api/v1/programmes/auxiliary/activities?pooled=true",
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(everything["total"], 2);
    for (path, status) in [
        (format!("/api/v1/programme-units/{a}"), StatusCode::OK),
        (
            format!("/api/v1/programme-activities/{pool_heping}"),
            StatusCode::OK,
        ),
        (
            format!("/api/v1/programme-units/{b}"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/v1/programme-activities/{course_b}"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/v1/programme-activities/{pool_hedong}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/programmes/nonsense/units".to_owned(),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/programmes/training/units?kind=workshop".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let response = app.get(&path, Some(&officer)).await;
        assert_eq!(response.status, status, "{path}: {}", response.text);
    }
    let elsewhere = post(
        &app,
        "/api/v1/programmes/training/units",
        &officer,
        &college("河东的学校", "120102"),
    )
    .await;
    assert_eq!(
        field_error(&elsewhere),
        ("district".to_owned(), "out_of_scope".to_owned())
    );
    let renamed = put_json(
        &app,
        &format!("/api/v1/programme-units/{a}"),
        &officer,
        &college("和平职业技术学院", "120101"),
    )
    .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.json()["name"], "和平职业技术学院");
    let other = put_json(
        &app,
        &format!("/api/v1/programme-units/{b}"),
        &officer,
        &college("改名", "120101"),
    )
    .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let figures_list = app.get("/api/v1/programmes", Some(&officer)).await.json();
    assert_eq!(figures(&figures_list, "training")["units"], 1);

    // Employers and job seekers have no part in the programmes.
    for username in ["employer", "seeker"] {
        let token = app.token(username).await;
        for path in [
            "/api/v1/programmes",
            "/api/v1/programmes/training/units",
            "/api/v1/programmes/rural/criteria",
        ] {
            let response = app.get(path, Some(&token)).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{username} {path}: {}",
                response.text
            );
        }
    }
}

async fn a_labour_project_is_allocated_up_to_its_volume(app: TestApp) {
    let officer = app.token("officer").await;
    let workshop = unit(
        &app,
        &officer,
        "auxiliary",
        &json!({ "kind": "workshop", "name": "和平区阳光家园", "district": "和平区", "capacity": "20" }),
    )
    .await;
    let project = pooled(
        &app,
        &officer,
        "auxiliary",
        &labour_project("120101", "100"),
    )
    .await;
    let draws = format!("/api/v1/programme-activities/{project}/draws");
    let first = post_ok(
        &app,
        &draws,
        &officer,
        &json!({ "amount": 60, "on_date": "2024-06-03", "unit_id": workshop }),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(first["amount"], "60");
    assert_eq!(first["unit_name"], "和平区阳光家园");
    post_ok(
        &app,
        &draws,
        &officer,
        &json!({ "amount": "40", "on_date": "2024-06-10", "unit_id": workshop.to_string() }),
        StatusCode::CREATED,
    )
    .await;
    let over = post(
        &app,
        &draws,
        &officer,
        &json!({ "amount": 0.01, "on_date": "2024-06-11", "unit_id": workshop }),
    )
    .await;
    assert_eq!(
        field_error(&over),
        ("amount".to_owned(), "over_limit".to_owned())
    );
    let view = app
        .get(
            &format!("/api/v1/programme-activities/{project}"),
            Some(&officer),
        )
        .await
        .json();
    assert_eq!(view["draws"].as_array().unwrap().len(), 2, "nothing saved");
    assert_eq!(view["drawn"], "100");
    assert_eq!(view["remaining"], "0");
    assert_eq!(view["pooled"], true);
    assert_eq!(ids(&json!({ "items": view["targets"] })), [workshop]);
    let received = app
        .get(
            &format!("/api/v1/programme-units/{workshop}"),
            Some(&officer),
        )
        .await
        .json();
    assert_eq!(received["received"].as_array().unwrap().len(), 2);
    // A pooled project takes no people.
    let joined = post(
        &app,
        &format!("/api/v1/programme-activities/{project}/participants"),
        &officer,
        &enrolment(ZHANG),
    )
    .await;
    assert_eq!(
        field_error(&joined),
        ("role".to_owned(), "no_participants".to_owned())
    );
    // The workshop's own workers join the unit itself.
    let worker = post_ok(
        &app,
        &format!("/api/v1/programme-units/{workshop}/participants"),
        &officer,
        &json!({ "id_number": id_of(WANG), "name": "王芳", "role": "worker",
            "joined_on": "2024-06-03", "monthly_income": 1500 }),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(worker["monthly_income"], "1500");
    assert_eq!(app.audit("programme.draw").await.len(), 2);
}

async fn a_contract_is_paid_up_to_its_amount(app: TestApp) {
    let admin = app.token("admin").await;
    let provider = unit(
        &app,
        &admin,
        "procurement",
        &json!({ "kind": "service_provider", "name": "天津市助残就业服务中心", "district": "120102" }),
    )
    .await;
    let contract = activity(
        &app,
        &admin,
        provider,
        &json!({ "kind": "contract", "title": "2024年“四个一”就业服务", "starts_on": "2024-01-01",
            "ends_on": "2024-12-31", "limit": 50000, "scope": "就业能力评估与岗位推荐" }),
    )
    .await;
    let payments = format!("/api/v1/programme-activities/{contract}/draws");
    post_ok(
        &app,
        &payments,
        &admin,
        &json!({ "amount": 30000, "on_date": "2024-04-01", "note": "第一季度服务报告" }),
        StatusCode::CREATED,
    )
    .await;
    let over = post(
        &app,
        &payments,
        &admin,
        &json!({ "amount": "20000.01", "on_date": "2024-06-01", "note": "第二季度服务报告" }),
    )
    .await;
    assert_eq!(
        field_error(&over),
        ("amount".to_owned(), "over_limit".to_owned())
    );
    assert!(
        over.text.contains("20000"),
        "says what is left: {}",
        over.text
    );
    let unnamed = post(
        &app,
        &payments,
        &admin,
        &json!({ "amount": 100, "on_date": "2024-06-01" }),
    )
    .await;
    assert_eq!(
        field_error(&unnamed),
        ("note".to_owned(), "required".to_owned())
    );
    let view = app
        .get(
            &format!("/api/v1/programme-activities/{contract}"),
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(view["draws"].as_array().unwrap().len(), 1);
    assert_eq!(view["remaining"], "20000");
    post_ok(
        &app,
        &payments,
        &admin,
        &json!({ "amount": 20000, "on_date": "2024-06-01", "note": "第二季度服务报告" }),
        StatusCode::CREATED,
    )
    .await;
    let list = app.get("/api/v1/programmes", Some(&admin)).await.json();
    assert_eq!(figures(&list, "procurement")["money_drawn"], "50000");
    let officer = app.token("officer").await;
    let hidden = app.get("/api/v1/programmes", Some(&officer)).await.json();
    assert_eq!(
        figures(&hidden, "procurement")["money_drawn"],
        "0",
        "another district's payments"
    );
}

#[expect(clippy::too_many_lines, reason = "one case per kind of bad input")]
async fn bad_input_names_every_field_and_saves_nothing(app: TestApp) {
    let admin = app.token("admin").await;
    let empty = post(
        &app,
        "/api/v1/programmes/training/units?lang=en",
        &admin,
        &json!({}),
    )
    .await;
    assert_eq!(
        fields_of(&empty),
        [
            ("district".to_owned(), "required".to_owned()),
            ("kind".to_owned(), "required".to_owned()),
            ("name".to_owned(), "required".to_owned()),
        ]
    );
    let body = empty.json();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not valid"),
        "in the request's language: {body}"
    );
    let chinese = post(
        &app,
        "/api/v1/programmes/training/units",
        &admin,
        &json!({}),
    )
    .await;
    assert!(
        chinese.json()["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| c > '\u{2e80}'),
        "{}",
        chinese.text
    );
    // A kind of another programme, a capacity that is not a number, a
    // sunshine workshop in a central district.
    let wrong = post(
        &app,
        "/api/v1/programmes/training/units",
        &admin,
        &json!({ "kind": "workshop", "name": "某机构", "district": "120101", "capacity": "many" }),
    )
    .await;
    assert_eq!(
        fields_of(&wrong),
        [
            ("capacity".to_owned(), "out_of_range".to_owned()),
            ("kind".to_owned(), "unknown_value".to_owned()),
        ]
    );
    let unknown = post(
        &app,
        "/api/v1/programmes/training/units",
        &admin,
        &json!({ "kind": "university", "nmae": "typo" }),
    )
    .await;
    assert_eq!(
        field_error(&unknown),
        ("nmae".to_owned(), "unknown_field".to_owned())
    );
    let sunshine = post(
        &app,
        "/api/v1/programmes/rural/units",
        &admin,
        &json!({ "kind": "sunshine_workshop", "name": "阳光工场", "district": "120101", "capacity": 0 }),
    )
    .await;
    assert_eq!(
        fields_of(&sunshine),
        [
            ("capacity".to_owned(), "out_of_range".to_owned()),
            ("district".to_owned(), "not_agricultural".to_owned()),
        ]
    );
    let college = unit(&app, &admin, "training", &college("某职业学院", "120101")).await;
    let course = post(
        &app,
        &format!("/api/v1/programme-units/{college}/activities"),
        &admin,
        &json!({}),
    )
    .await;
    assert_eq!(course.status, StatusCode::UNPROCESSABLE_ENTITY);
    let course_fields: Vec<String> = course.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    for field in ["kind", "title", "starts_on"] {
        assert!(
            course_fields.iter().any(|f| f == field),
            "{field}: {course_fields:?}"
        );
    }
    let list = app.get("/api/v1/programmes", Some(&admin)).await.json();
    assert_eq!(figures(&list, "training")["units"], 1, "only the good one");
    assert_eq!(figures(&list, "training")["activities"], 0);
    assert_eq!(figures(&list, "rural")["units"], 0);
    let malformed = app
        .post_json("/api/v1/programmes/training/units", &admin, "{")
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let missing = app
        .get("/api/v1/programme-units/999999", Some(&admin))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let garbage = app.get("/api/v1/programme-units/abc", Some(&admin)).await;
    assert_eq!(garbage.status, StatusCode::NOT_FOUND);
}

#[expect(
    clippy::too_many_lines,
    reason = "the criteria, a base measured against them, and the documentation"
)]
async fn the_rural_criteria_are_revised_by_the_city_only(app: TestApp) {
    let officer = app.token("officer").await;
    let first = app
        .get("/api/v1/programmes/rural/criteria", Some(&officer))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(
        first.json(),
        json!({ "id": "tianjin-rural-base", "version": 1, "min_employed": 10, "min_helped": 30,
            "min_trained": 20, "min_income_gain": "300" })
    );
    let revision =
        json!({ "min_employed": 1, "min_helped": 30, "min_trained": 20, "min_income_gain": 350 });
    let refused = post(
        &app,
        "/api/v1/programmes/rural/criteria",
        &officer,
        &revision,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let admin = app.token("admin").await;
    let negative = post(
        &app,
        "/api/v1/programmes/rural/criteria",
        &admin,
        &json!({ "min_employed": 1, "min_helped": 30, "min_trained": 20, "min_income_gain": "-1" }),
    )
    .await;
    assert_eq!(
        field_error(&negative),
        ("min_income_gain".to_owned(), "out_of_range".to_owned())
    );
    let revised = post_ok(
        &app,
        "/api/v1/programmes/rural/criteria",
        &admin,
        &revision,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(revised["version"], 2);
    let latest = app
        .get("/api/v1/programmes/rural/criteria", Some(&officer))
        .await
        .json();
    assert_eq!(latest["version"], 2);
    assert_eq!(latest["min_income_gain"], "350");

    // A rural base is measured against the latest version.
    let base = unit(
        &app,
        &officer,
        "rural",
        &json!({ "kind": "rural_base", "name": "和平区助残基地", "district": "120101" }),
    )
    .await;
    post_ok(
        &app,
        &format!("/api/v1/programme-units/{base}/participants"),
        &officer,
        &json!({ "id_number": id_of(ZHANG), "name": "张伟", "role": "worker", "joined_on": "2024-03-01",
            "monthly_income": 2400, "income_before": 1800 }),
        StatusCode::CREATED,
    )
    .await;
    let view = app
        .get(&format!("/api/v1/programme-units/{base}"), Some(&officer))
        .await
        .json();
    let assessment = &view["criteria"];
    assert_eq!(assessment["criteria"]["version"], 2, "{view}");
    let employed = assessment["assessed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "employed")
        .unwrap();
    assert_eq!(employed["met"], true);
    assert_eq!(
        assessment["qualified"], false,
        "helped and trained are short"
    );
    assert_eq!(view["participant_list"][0]["person_name"], "张*");
    assert!(!view.to_string().contains(&id_of(ZHANG)));

    let document = app.get("/api/v1/openapi.json", None).await.json();
    for (path, method) in [
        ("/api/v1/programmes", "get"),
        ("/api/v1/programmes/{programme}/units", "get"),
        ("/api/v1/programmes/{programme}/units", "post"),
        ("/api/v1/programmes/{programme}/activities", "get"),
        ("/api/v1/programmes/{programme}/pool", "post"),
        ("/api/v1/programme-units/{id}", "get"),
        ("/api/v1/programme-units/{id}", "put"),
        ("/api/v1/programme-units/{id}/activities", "post"),
        ("/api/v1/programme-units/{id}/participants", "post"),
        ("/api/v1/programme-activities/{id}", "get"),
        ("/api/v1/programme-activities/{id}/participants", "post"),
        ("/api/v1/programme-activities/{id}/draws", "post"),
        ("/api/v1/programme-participants/{id}/progress", "post"),
        ("/api/v1/programme-participants/{id}/placement", "post"),
        ("/api/v1/programmes/rural/criteria", "get"),
        ("/api/v1/programmes/rural/criteria", "post"),
    ] {
        assert_eq!(
            document["paths"][path][method]["tags"][0], "programmes",
            "{method} {path} is documented"
        );
    }
    assert!(
        document["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "programmes")
    );
    for schema in [
        "ProgrammeUnitDetailBody",
        "NewProgrammeDrawBody",
        "RuralCriteriaBody",
    ] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
    assert!(!app.audit("programme.criteria.revise").await.is_empty());
}
