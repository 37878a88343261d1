//! The programmes' pages: they render for every role that may see them, in
//! both languages, well formed; each account sees only its scope (an
//! institution its own unit, an officer its district's), others are
//! refused; the forms on the pages refuse bad input with the error summary
//! linking the field, and save nothing.

use axum::http::StatusCode;
use serde_json::json;

use crate::harness::{TestApp, actor};
use crate::pages::{assert_well_formed, get_with, login, post_form};

crate::on_both_engines!(programme_pages:
    the_pages_render_for_each_role_in_both_languages,
    the_pages_keep_each_account_to_its_scope,
    a_full_course_refuses_on_the_page_and_saves_nothing,
    a_person_served_names_a_service_of_their_own_case,
    work_recorded_on_the_case_counts_for_the_course_but_not_its_measure,
    the_lists_download_in_scope_masked_and_audited,
    joins_keep_to_the_course_and_a_placement_keeps_its_completion,
    look_ups_that_find_no_one_are_throttled_per_account,
    an_income_emptied_on_the_page_is_removed_and_a_call_without_one_keeps_it,
);

/// Enters through the API as the administrator; the new record's id.
async fn post(app: &TestApp, path: &str, body: &serde_json::Value) -> i64 {
    let token = app.token("admin").await;
    let response = app.post_json(path, &token, &body.to_string()).await;
    assert_eq!(
        response.status,
        StatusCode::CREATED,
        "{path}: {}",
        response.text
    );
    response.json()["id"].as_i64().unwrap()
}

/// A workshop of 河东区 (unit 1) and a college of 和平区 (unit 2, the test
/// institution account's own) with a course of one place; (college, course).
async fn setup(app: &TestApp) -> (i64, i64) {
    post(
        app,
        "/api/v1/programmes/auxiliary/units",
        &json!({ "kind": "workshop", "name": "河东区阳光家园", "district": "120102", "capacity": 20 }),
    )
    .await;
    let college = post(
        app,
        "/api/v1/programmes/training/units",
        &json!({
            "kind": "vocational_college", "name": "和平区职业技能培训学校", "district": "120101",
            "accreditation": "accredited", "accredited_on": "2022-03-15",
        }),
    )
    .await;
    assert_eq!(college, 2, "the institution account's unit");
    let course = post(
        app,
        &format!("/api/v1/programme-units/{college}/activities"),
        &json!({
            "kind": "course", "title": "中式面点师（初级）", "starts_on": "2024-03-01",
            "ends_on": "2024-04-30", "capacity": 1, "occupation": "51", "mode": "on_order",
        }),
    )
    .await;
    (college, course)
}

async fn the_pages_render_for_each_role_in_both_languages(app: TestApp) {
    let (college, course) = setup(&app).await;
    for username in ["admin", "officer", "institution"] {
        let (cookies, _) = login(&app, username).await;
        for (query, lang) in [("", "zh-CN"), ("?lang=en", "en")] {
            for path in [
                "/programmes".to_owned(),
                "/programmes/training".to_owned(),
                "/programmes/training?view=activities".to_owned(),
                format!("/programme-units/{college}"),
                format!("/programme-activities/{course}"),
            ] {
                let page = get_with(&app, &format!("{path}{query}"), &cookies).await;
                assert_eq!(
                    page.status,
                    StatusCode::OK,
                    "{username} {path}: {}",
                    page.text
                );
                assert_well_formed(&page.text, lang);
                assert!(
                    page.text.contains("href=\"/programmes\""),
                    "the nav links to the programmes"
                );
            }
        }
    }
    let (cookies, _) = login(&app, "admin").await;
    for path in [
        "/programmes/training/units/new",
        "/programmes/training/units/new?kind=vocational_college",
        "/programmes/auxiliary/pool/new",
        "/programmes/rural/criteria",
        "/programme-units/2/activities/new",
        "/programme-units/2/edit",
    ] {
        let form = get_with(&app, path, &cookies).await;
        assert_eq!(form.status, StatusCode::OK, "{path}");
        assert_well_formed(&form.text, "zh-CN");
        assert!(
            form.text.contains("<label for=") || form.text.contains("<legend>"),
            "{path}"
        );
    }
    // Only those who may see the progress figures are sent there.
    let (institution, _) = login(&app, "institution").await;
    let overview = get_with(&app, "/programmes", &institution).await;
    assert!(!overview.text.contains("href=\"/progress\""));
    let overview = get_with(&app, "/programmes", &cookies).await;
    assert!(overview.text.contains("href=\"/progress\""));
    let unknown = get_with(&app, "/programmes/nothing", &cookies).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn the_pages_keep_each_account_to_its_scope(app: TestApp) {
    let (college, course) = setup(&app).await;
    // (user, the college, its course, the 河东 workshop, the overview)
    let expected = [
        ("admin", 200, 200, 200, 200),
        ("officer", 200, 200, 404, 200),
        ("officer2", 404, 404, 200, 200),
        ("institution", 200, 200, 404, 200),
        ("employer", 403, 403, 403, 403),
        ("seeker", 403, 403, 403, 403),
    ];
    for (user, own, own_course, other, overview) in expected {
        let (cookies, _) = login(&app, user).await;
        for (path, want) in [
            (format!("/programme-units/{college}"), own),
            (format!("/programme-activities/{course}"), own_course),
            ("/programme-units/1".to_owned(), other),
            ("/programmes".to_owned(), overview),
        ] {
            let page = get_with(&app, &path, &cookies).await;
            assert_eq!(page.status.as_u16(), want, "{user} {path}");
        }
    }
    // The institution runs its own unit's courses, but registers no unit.
    let (cookies, csrf) = login(&app, "institution").await;
    let response = post_form(
        &app,
        "/programmes/training/units",
        &cookies,
        &[
            ("csrf_token", &csrf),
            ("kind", "private_provider"),
            ("name", "某培训机构"),
            ("district", "120101"),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let institution = actor(&app.app, "institution").await;
    let listed = app
        .app
        .programme_units(
            &institution,
            ablework_domain::programme::Programme::Training,
            &ablework_app::programmes::ProgrammeQuery::default(),
        )
        .await
        .unwrap()
        .1;
    assert_eq!(listed.total, 1, "the institution lists its own unit only");
}

async fn a_full_course_refuses_on_the_page_and_saves_nothing(app: TestApp) {
    let (_, course) = setup(&app).await;
    let (cookies, csrf) = login(&app, "institution").await;
    let path = format!("/programme-activities/{course}/participants");
    let first = post_form(
        &app,
        &path,
        &cookies,
        &[
            ("csrf_token", &csrf),
            (
                "id_number",
                &crate::harness::id_number("120101", "19900307", "123"),
            ),
            ("name", "张伟"),
            ("joined_on", "2024-03-01"),
        ],
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.text);
    let second = post_form(
        &app,
        &path,
        &cookies,
        &[
            ("csrf_token", &csrf),
            (
                "id_number",
                &crate::harness::id_number("120101", "19851120", "244"),
            ),
            ("name", "王芳"),
            ("joined_on", "2024-03-01"),
        ],
    )
    .await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(second.text.contains("class=\"error-summary\""));
    assert!(second.text.contains("href=\"#id_number\""));
    assert!(second.text.contains("名额已满"), "{}", second.text);
    let wrong_name = post_form(
        &app,
        &path,
        &cookies,
        &[
            ("csrf_token", &csrf),
            (
                "id_number",
                &crate::harness::id_number("120101", "19851120", "244"),
            ),
            ("name", "王小芳"),
            ("joined_on", ""),
        ],
    )
    .await;
    assert_eq!(wrong_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_name.text.contains("href=\"#joined_on\""));
    assert!(wrong_name.text.contains("身份证号码与姓名都相符"));
    // The miss is on record, by whom, without the number.
    let missed = app.audit("programme.lookup_missed").await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].entry.actor, "institution");
    assert!(!missed[0].entry.detail.to_string().contains("19851120"));
    let admin = actor(&app.app, "admin").await;
    let view = app.app.activity_view(&admin, course).await.unwrap();
    assert_eq!(view.participants.len(), 1, "nothing saved");
    assert_eq!(view.participants[0].name_masked, "张*");
    // Whoever is shown the people of a course is on record.
    let shown = app.audit("programme.participants").await;
    assert!(
        shown.iter().any(|a| a.entry.entity == "programme_activity"
            && a.entry.entity_id == Some(course.to_string())),
        "{shown:?}"
    );
}

async fn a_person_served_names_a_service_of_their_own_case(app: TestApp) {
    let provider = post(
        &app,
        "/api/v1/programmes/procurement/units",
        &json!({ "kind": "service_provider", "name": "天津启航社会工作服务中心", "district": "120101" }),
    )
    .await;
    let contract = post(
        &app,
        &format!("/api/v1/programme-units/{provider}/activities"),
        &json!({
            "kind": "contract", "title": "就业服务购买合同", "starts_on": "2024-01-01",
            "limit": 50000, "scope": "就业状况核查",
        }),
    )
    .await;
    let (cookies, csrf) = login(&app, "admin").await;
    let response = post_form(
        &app,
        &format!("/programme-activities/{contract}/participants"),
        &cookies,
        &[
            ("csrf_token", &csrf),
            (
                "id_number",
                &crate::harness::id_number("120101", "19900307", "123"),
            ),
            ("name", "张伟"),
            ("joined_on", "2024-03-01"),
            ("service_id", "999"),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text.contains("href=\"#service_id\""));
    let admin = actor(&app.app, "admin").await;
    let view = app.app.activity_view(&admin, contract).await.unwrap();
    assert!(view.participants.is_empty(), "nothing saved");
}

async fn work_recorded_on_the_case_counts_for_the_course_but_not_its_measure(app: TestApp) {
    let (college, course) = setup(&app).await;
    let admin = actor(&app.app, "admin").await;
    let join = ablework_domain::programme::JoinInput {
        id_number: crate::harness::id_number("120101", "19900307", "123"),
        name: "张伟".to_owned(),
        joined_on: "2024-03-01".to_owned(),
        ..Default::default()
    };
    let trainee = app
        .app
        .join_programme(&admin, college, Some(course), &join)
        .await
        .unwrap();
    let done = ablework_domain::programme::ProgressInput {
        status: "completed".to_owned(),
        ended_on: "2024-04-30".to_owned(),
        ..Default::default()
    };
    app.app
        .record_participant_progress(
            &admin,
            trainee.id,
            &done,
            ablework_domain::programme::BlankIncome::Keeps,
        )
        .await
        .unwrap();
    // An officer records the job on the person's case, under measure 9.
    let outcome = ablework_app::cases::OutcomeInput {
        started_on: "2024-06-01".to_owned(),
        form: "quota".to_owned(),
        measure: "m09_service".to_owned(),
        ..Default::default()
    };
    app.app
        .record_outcome(&admin, trainee.person_id, &outcome)
        .await
        .unwrap();
    let results = app
        .app
        .activity_view(&admin, course)
        .await
        .unwrap()
        .results
        .unwrap();
    assert_eq!(
        (results.completed, results.in_work, results.placed),
        (1, 1, 0)
    );
    let (cookies, _) = login(&app, "admin").await;
    let page = get_with(&app, &format!("/programme-activities/{course}"), &cookies).await;
    assert!(page.text.contains("结业后 6 个月内就业"));
}

async fn the_lists_download_in_scope_masked_and_audited(app: TestApp) {
    let (college, course) = setup(&app).await;
    let admin = actor(&app.app, "admin").await;
    let join = ablework_domain::programme::JoinInput {
        id_number: crate::harness::id_number("120101", "19900307", "123"),
        name: "张伟".to_owned(),
        joined_on: "2024-03-01".to_owned(),
        ..Default::default()
    };
    app.app
        .join_programme(&admin, college, Some(course), &join)
        .await
        .unwrap();
    let (cookies, _) = login(&app, "admin").await;
    let page = get_with(&app, "/programmes/training", &cookies).await;
    assert!(
        page.text
            .contains("href=\"/programme-units/export?format=csv&#38;programme=training"),
        "the list offers its download: {}",
        page.text
    );
    let units = get_with(
        &app,
        "/programme-units/export?programme=training&view=units",
        &cookies,
    )
    .await;
    assert_eq!(units.status, StatusCode::OK);
    assert!(
        units.text.contains("和平区职业技能培训学校"),
        "{}",
        units.text
    );
    assert!(
        !units.text.contains("河东区阳光家园"),
        "another programme's unit"
    );
    let activities = get_with(
        &app,
        "/programme-activities/export?programme=training&view=activities",
        &cookies,
    )
    .await;
    assert!(
        activities.text.contains("中式面点师"),
        "{}",
        activities.text
    );
    let people = get_with(
        &app,
        &format!("/programme-activities/{course}/people/export"),
        &cookies,
    )
    .await;
    assert_eq!(people.status, StatusCode::OK);
    assert!(
        people.text.contains("张*") && !people.text.contains("张伟"),
        "{}",
        people.text
    );
    assert_eq!(app.audit("programme_participant.export").await.len(), 1);
    assert_eq!(app.audit("programme.export").await.len(), 2);
    // Another district's officer cannot reach the course; an institution
    // sees its people but may not export people.
    let (cookies, _) = login(&app, "officer2").await;
    let other = get_with(
        &app,
        &format!("/programme-activities/{course}/people/export"),
        &cookies,
    )
    .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let (cookies, _) = login(&app, "institution").await;
    let refused = get_with(
        &app,
        &format!("/programme-activities/{course}/people/export"),
        &cookies,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn joins_keep_to_the_course_and_a_placement_keeps_its_completion(app: TestApp) {
    let (college, course) = setup(&app).await;
    let admin = actor(&app.app, "admin").await;
    let join = |joined_on: &str| ablework_domain::programme::JoinInput {
        id_number: crate::harness::id_number("120101", "19900307", "123"),
        name: "张伟".to_owned(),
        joined_on: joined_on.to_owned(),
        ..Default::default()
    };
    // The course ended on 2024-04-30; the test clock reads 2024-06-30.
    for (day, code) in [("2024-05-01", "after_end"), ("2024-07-01", "in_future")] {
        let refused = app
            .app
            .join_programme(&admin, college, Some(course), &join(day))
            .await;
        let Err(ablework_app::AppError::Invalid(errors)) = refused else {
            panic!("{day}: {refused:?}");
        };
        assert_eq!(errors[0].field, "joined_on", "{day}");
        assert_eq!(errors[0].code, code, "{day}");
    }
    let trainee = app
        .app
        .join_programme(&admin, college, Some(course), &join("2024-03-01"))
        .await
        .unwrap();
    let progress =
        |status: &str, ended_on: &str, sessions: &str| ablework_domain::programme::ProgressInput {
            status: status.to_owned(),
            ended_on: ended_on.to_owned(),
            sessions_attended: sessions.to_owned(),
            ..Default::default()
        };
    app.app
        .record_participant_progress(
            &admin,
            trainee.id,
            &progress("completed", "2024-04-30", "0"),
            ablework_domain::programme::BlankIncome::Keeps,
        )
        .await
        .unwrap();
    let placement = ablework_domain::programme::PlacementInput {
        started_on: "2024-05-20".to_owned(),
        ..Default::default()
    };
    app.app
        .place_participant(&admin, trainee.id, &placement)
        .await
        .unwrap();
    let undone = app
        .app
        .record_participant_progress(
            &admin,
            trainee.id,
            &progress("active", "", ""),
            ablework_domain::programme::BlankIncome::Keeps,
        )
        .await;
    let Err(ablework_app::AppError::Invalid(errors)) = undone else {
        panic!("{undone:?}");
    };
    assert_eq!(
        (errors[0].field.as_str(), errors[0].code.as_str()),
        ("status", "placed")
    );
    // The rest of the record may still change.
    let kept = app
        .app
        .record_participant_progress(
            &admin,
            trainee.id,
            &progress("completed", "2024-04-30", "18"),
            ablework_domain::programme::BlankIncome::Keeps,
        )
        .await
        .unwrap();
    assert_eq!(kept.sessions_attended, Some(18));
    assert!(kept.outcome_id.is_some());
}

/// Trying ID numbers and names in turn is stopped: after the configured
/// number of look-ups that found no one within the hour, the account's
/// look-ups are refused on the field, even a right one, and audited; an
/// hour later, and for another account meanwhile, they work again.
async fn look_ups_that_find_no_one_are_throttled_per_account(app: TestApp) {
    use ablework_domain::programme::JoinInput;
    use chrono::TimeZone as _;
    let (college, course) = setup(&app).await;
    let clock = std::sync::Arc::new(ablework_app::FixedClock::new(
        chrono::Utc.with_ymd_and_hms(2024, 6, 30, 2, 0, 0).unwrap(),
    ));
    let mut config = ablework_app::AppConfig::with_secret([42; 64]);
    config.lookup_max_misses = 2;
    let throttled = ablework_app::App::new(app.store.clone(), config, clock.clone());
    let join = |id_number: String, name: &str| JoinInput {
        id_number,
        name: name.to_owned(),
        joined_on: "2024-03-01".to_owned(),
        ..JoinInput::default()
    };
    let right = || {
        join(
            crate::harness::id_number("120101", "19900307", "123"),
            "张伟",
        )
    };
    let wrong = |n: u32| {
        join(
            crate::harness::id_number("120101", "19900307", &format!("{n:03}")),
            "张伟",
        )
    };
    let institution = actor(&throttled, "institution").await;
    let codes = |result: Result<_, ablework_app::AppError>| match result {
        Err(ablework_app::AppError::Invalid(fields)) => {
            fields.into_iter().map(|f| f.code).collect::<Vec<_>>()
        }
        other => panic!("expected a refusal, got {other:?}"),
    };
    for n in [1, 2] {
        let missed = throttled
            .join_programme(&institution, college, Some(course), &wrong(n))
            .await;
        assert_eq!(codes(missed), ["unknown_person"]);
    }
    let refused = throttled
        .join_programme(&institution, college, Some(course), &right())
        .await;
    let Err(ablework_app::AppError::Invalid(fields)) = &refused else {
        panic!("expected a refusal, got {refused:?}");
    };
    assert!(
        fields[0].message.en.contains("within 60 minutes"),
        "{fields:?}"
    );
    assert_eq!(codes(refused), ["lookups_throttled"]);
    assert_eq!(app.audit("programme.lookup_missed").await.len(), 2);
    let audited = app.audit("programme.lookup_throttled").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].entry.actor, "institution");
    // Another account is not held back by this one's misses.
    let admin = actor(&throttled, "admin").await;
    throttled
        .join_programme(&admin, college, Some(course), &right())
        .await
        .unwrap();
    // An hour later the account may look people up again.
    clock.advance(chrono::Duration::minutes(61));
    let again = throttled
        .join_programme(&institution, college, Some(course), &right())
        .await;
    assert_eq!(
        codes(again),
        ["already_joined"],
        "found, and already on the course"
    );
}

async fn an_income_emptied_on_the_page_is_removed_and_a_call_without_one_keeps_it(app: TestApp) {
    let (_, course) = setup(&app).await;
    // A worker of the 河东区 workshop (unit 1) and a trainee of the course,
    // each with an income.
    let worker = post(
        &app,
        "/api/v1/programme-units/1/participants",
        &json!({ "id_number": crate::harness::id_number("120102", "19780601", "322"),
            "name": "李娜", "role": "worker", "joined_on": "2024-06-03", "monthly_income": 1800 }),
    )
    .await;
    let trainee = post(
        &app,
        &format!("/api/v1/programme-activities/{course}/participants"),
        &json!({ "id_number": crate::harness::id_number("120101", "19900307", "123"),
            "name": "张伟", "joined_on": "2024-03-01", "monthly_income": 900 }),
    )
    .await;
    let admin = actor(&app.app, "admin").await;
    let income = async |id: i64| {
        let (view, _, _) = app.app.participant_view(&admin, id).await.unwrap();
        view.record.monthly_income.map(|i| i.to_string())
    };
    assert_eq!(income(worker).await.as_deref(), Some("1800"));

    // A call that gives no income keeps it.
    let token = app.token("admin").await;
    let called = app
        .post_json(
            &format!("/api/v1/programme-participants/{worker}/progress"),
            &token,
            &json!({ "status": "active" }).to_string(),
        )
        .await;
    assert_eq!(called.status, StatusCode::OK, "{}", called.text);
    assert_eq!(income(worker).await.as_deref(), Some("1800"));

    // The worker's page shows it in the form; sent back emptied, it goes.
    let (cookies, csrf) = login(&app, "admin").await;
    let page = get_with(&app, &format!("/programme-participants/{worker}"), &cookies).await;
    assert!(
        page.text.contains("name=\"monthly_income\"") && page.text.contains("value=\"1800\""),
        "{}",
        page.text
    );
    let emptied = post_form(
        &app,
        &format!("/programme-participants/{worker}/progress"),
        &cookies,
        &[
            ("csrf_token", &csrf),
            ("status", "active"),
            ("ended_on", ""),
            ("monthly_income", ""),
        ],
    )
    .await;
    assert_eq!(emptied.status, StatusCode::SEE_OTHER, "{}", emptied.text);
    assert_eq!(income(worker).await, None);

    // A trainee's form has no income field: saving it keeps theirs.
    let page = get_with(
        &app,
        &format!("/programme-participants/{trainee}"),
        &cookies,
    )
    .await;
    assert!(!page.text.contains("name=\"monthly_income\""));
    let saved = post_form(
        &app,
        &format!("/programme-participants/{trainee}/progress"),
        &cookies,
        &[
            ("csrf_token", &csrf),
            ("status", "active"),
            ("ended_on", ""),
            ("sessions_attended", "4"),
            ("certificate", ""),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    assert_eq!(income(trainee).await.as_deref(), Some("900"));
}
