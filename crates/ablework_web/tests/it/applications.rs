//! Applications and the loop from a quota gap to a hire: a seeker applies,
//! the employer moves the application through interview and offer to
//! hired, which records exactly one employment outcome (progress counts it
//! once) and closes the filled posting, and the employer's page shows the
//! hire; an application to a closed posting is a field error and saves
//! nothing; an employer cannot move another employer's application; a
//! step the rule does not allow is refused.

use ablework_app::employers::DeclarationInput;
use ablework_app::postings::PostingInput;
use ablework_app::progress::ProgressQuery;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::harness::{Response, TestApp, actor};
use crate::job_pages::employer;
use crate::pages::{assert_well_formed, get_with, login, post_form};

crate::on_both_engines!(applications:
    a_hire_records_one_outcome_and_closes_the_full_posting,
    an_application_to_a_closed_posting_is_a_field_error_and_saves_nothing,
    an_employer_cannot_move_another_employers_application,
    a_step_the_rule_does_not_allow_is_refused,
);

/// A one-post job of `hr`'s employer; its id.
pub(crate) async fn posting(app: &TestApp, hr: &str, title: &str, district: &str) -> i64 {
    let hr = actor(&app.app, hr).await;
    let input = PostingInput {
        title: title.to_owned(),
        occupation: "41".to_owned(),
        district: district.to_owned(),
        address: "一楼".to_owned(),
        hours: "full_time".to_owned(),
        monthly_wage: "4000".to_owned(),
        accommodations: vec!["step_free".to_owned()],
        reserved_for_disabled: true,
        posts: "1".to_owned(),
        ..PostingInput::default()
    };
    app.app.create_posting(&hr, &input).await.unwrap().id
}

/// Employer A (和平区, `hr-a`) with a one-post job, and employer B (河东区,
/// `hr-b`); (A's id, the job's id).
async fn setting(app: &TestApp) -> (i64, i64) {
    let a = employer(
        app,
        "91120101MA05L3XK0",
        "天津甲商贸有限公司",
        "120101",
        "hr-a",
    )
    .await;
    employer(
        app,
        "91120102MA06A1B2C",
        "天津乙物流有限公司",
        "120102",
        "hr-b",
    )
    .await;
    (a, posting(app, "hr-a", "档案数据录入员", "120101").await)
}

pub(crate) async fn patch_json(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    let request = Request::patch(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

async fn achieved(app: &TestApp) -> u32 {
    let admin = actor(&app.app, "admin").await;
    app.app
        .progress_report(&admin, &ProgressQuery::default())
        .await
        .unwrap()
        .achieved
}

/// The id of a person's only application.
async fn only_application(app: &TestApp, person: i64) -> i64 {
    let found = app.store.applications_of_person(person).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].id
}

/// The posting's own page offers the job seeker the same apply form.
async fn posting_page_offers_apply(app: &TestApp, job: i64, person: i64, seeker: &str) {
    let page = get_with(app, &format!("/jobs/{job}"), seeker).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_well_formed(&page.text, "zh-CN");
    assert!(
        page.text
            .contains(&format!("action=\"/persons/{person}/applications\"")),
        "{}",
        page.text
    );
}

/// Files last year's declaration for `employer` (100 staff, nobody
/// disabled: short of two people) and checks its page shows the shortfall
/// with nothing to recount yet.
async fn declared_short_last_year(app: &TestApp, employer_a: i64) {
    // Last year's declaration: 100 staff, nobody disabled, so short.
    let hr_actor = actor(&app.app, "hr-a").await;
    app.app
        .file_declaration(
            &hr_actor,
            employer_a,
            &DeclarationInput {
                data_year: "2023".to_owned(),
                monthly_headcount: vec!["100".to_owned(); 12],
                total_wages: "6000000".to_owned(),
                social_average_wage: "100000".to_owned(),
                ..DeclarationInput::default()
            },
        )
        .await
        .unwrap();
    let (hr_cookie, _) = login(app, "hr-a").await;
    let employer_page = get_with(app, &format!("/employers/{employer_a}"), &hr_cookie).await;
    assert!(
        employer_page
            .text
            .contains("还差 <strong id=\"declared-shortfall\">2</strong>"),
        "{}",
        employer_page.text
    );
    assert!(
        !employer_page.text.contains("projected-shortfall"),
        "no hires yet, nothing to recount"
    );
}

#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
async fn a_hire_records_one_outcome_and_closes_the_full_posting(app: TestApp) {
    let (employer_a, job) = setting(&app).await;
    let person = app.heping[0];
    let before = achieved(&app).await;
    declared_short_last_year(&app, employer_a).await;

    // The seeker applies from their own page, where the job is recommended.
    let (seeker, seeker_csrf) = login(&app, "seeker").await;
    let page = get_with(&app, &format!("/persons/{person}"), &seeker).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("申请这个岗位"), "an apply button");
    posting_page_offers_apply(&app, job, person, &seeker).await;
    let applied = post_form(
        &app,
        &format!("/persons/{person}/applications"),
        &seeker,
        &[
            ("csrf_token", &seeker_csrf),
            ("posting_id", &job.to_string()),
        ],
    )
    .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.text);
    let id = only_application(&app, person).await;
    let page = get_with(&app, &format!("/persons/{person}"), &seeker).await;
    assert_well_formed(&page.text, "zh-CN");
    assert!(page.text.contains("已申请"), "the application is listed");

    // The employer moves it along on the posting's page.
    let (hr, hr_csrf) = login(&app, "hr-a").await;
    let job_page = get_with(&app, &format!("/jobs/{job}"), &hr).await;
    assert_eq!(job_page.status, StatusCode::OK);
    assert!(
        !job_page.text.contains("/applications\" class=\"no-print\""),
        "HR applies nobody from the posting's page"
    );
    assert_well_formed(&job_page.text, "zh-CN");
    assert!(job_page.text.contains(&format!("id=\"status-{id}\"")));
    for (status, on) in [("interview", "2024-06-30"), ("offer", "2024-06-30")] {
        let moved = post_form(
            &app,
            &format!("/applications/{id}/step"),
            &hr,
            &[
                ("csrf_token", &hr_csrf),
                ("back", "job"),
                ("status", status),
                ("on", on),
            ],
        )
        .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.text);
    }
    assert!(app.store.outcomes_of(person).await.unwrap().is_empty());
    assert_eq!(
        achieved(&app).await,
        before,
        "nothing counted before the hire"
    );

    // Hired, through the API.
    let token = app.token("hr-a").await;
    let hired = patch_json(
        &app,
        &format!("/api/v1/applications/{id}"),
        &token,
        &json!({ "status": "hired", "on": "2024-06-30" }),
    )
    .await;
    assert_eq!(hired.status, StatusCode::OK, "{}", hired.text);
    let body = hired.json();
    assert_eq!(body["status"], "hired");
    assert_eq!(body["posting_closed"], true);
    assert_eq!(body["steps"].as_array().unwrap().len(), 4);

    let outcomes = app.store.outcomes_of(person).await.unwrap();
    assert_eq!(outcomes.len(), 1, "exactly one outcome");
    let outcome = &outcomes[0];
    assert_eq!(body["outcome_id"], outcome.id);
    assert_eq!(outcome.outcome.started_on.to_string(), "2024-06-30");
    assert_eq!(outcome.outcome.form.code(), "quota");
    assert_eq!(outcome.outcome.measure.code(), "m03_private");
    assert_eq!(outcome.details.employer_id, Some(employer_a));
    assert_eq!(achieved(&app).await, before + 1, "counted once");
    let admin = actor(&app.app, "admin").await;
    assert!(!app.app.posting(&admin, job).await.unwrap().open, "filled");

    // A hire is final: a second one is refused and records nothing more.
    let again = patch_json(
        &app,
        &format!("/api/v1/applications/{id}"),
        &token,
        &json!({ "status": "hired", "on": "2024-06-30" }),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.outcomes_of(person).await.unwrap().len(), 1);
    assert_eq!(achieved(&app).await, before + 1);

    // The employer's page shows the hire beside the declared figures.
    let employer_page = get_with(&app, &format!("/employers/{employer_a}"), &hr).await;
    assert_eq!(employer_page.status, StatusCode::OK);
    assert!(
        employer_page
            .text
            .contains("2024 年 <strong id=\"hires-count\">1</strong>"),
        "one hire this year"
    );
    // Employed now, the person counts for a whole year, twice at their
    // level: the 1.5 people required are met. This year's levy counts
    // them from June only, so some is still due.
    assert!(
        employer_page
            .text
            .contains("<strong id=\"projected-shortfall\">0</strong>"),
        "{}",
        employer_page.text
    );
    assert!(!app.audit("application.move").await.is_empty());
    assert_eq!(app.audit("outcome.record").await.len(), 1);
}

async fn an_application_to_a_closed_posting_is_a_field_error_and_saves_nothing(app: TestApp) {
    let (_, job) = setting(&app).await;
    let officer = actor(&app.app, "officer").await;
    app.app
        .set_posting_open(&officer, job, false)
        .await
        .unwrap();
    let person = app.heping[1];

    let token = app.token("officer").await;
    let refused = app
        .post_json(
            &format!("/api/v1/jobs/{job}/applications"),
            &token,
            &json!({ "person_id": person }).to_string(),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    let field = &refused.json()["error"]["fields"][0];
    assert_eq!(field["field"], "posting");
    assert_eq!(field["code"], "closed");

    let (cookies, csrf) = login(&app, "officer").await;
    let page = post_form(
        &app,
        &format!("/persons/{person}/applications"),
        &cookies,
        &[("csrf_token", &csrf), ("posting_id", &job.to_string())],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_well_formed(&page.text, "zh-CN");
    assert!(page.text.contains("error-summary"), "the error summary");
    assert!(page.text.contains("href=\"#applications\""), "linked");
    assert!(page.text.contains("已停止招聘"));

    assert!(
        app.store
            .applications_of_person(person)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(app.audit("application.create").await.is_empty());

    // Open again, the officer's application starts as recommended.
    app.app.set_posting_open(&officer, job, true).await.unwrap();
    let created = app
        .post_json(
            &format!("/api/v1/jobs/{job}/applications"),
            &token,
            &json!({ "person_id": person }).to_string(),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.json()["status"], "recommended");
    // Its Location reads it back.
    let location = created.headers["location"].to_str().unwrap().to_owned();
    let read = app.get(&location, Some(&token)).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert_eq!(read.json()["id"], created.json()["id"]);
    let twice = app
        .post_json(
            &format!("/api/v1/jobs/{job}/applications"),
            &token,
            &json!({ "person_id": person }).to_string(),
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        twice.json()["error"]["fields"][0]["code"],
        "applied_already"
    );
}

async fn an_employer_cannot_move_another_employers_application(app: TestApp) {
    let (_, job) = setting(&app).await;
    let person = app.heping[0];
    let seeker = actor(&app.app, "seeker").await;
    let view = app.app.apply(&seeker, person, job).await.unwrap();
    let id = view.record.id;

    let other = app.token("hr-b").await;
    let refused = patch_json(
        &app,
        &format!("/api/v1/applications/{id}"),
        &other,
        &json!({ "status": "interview", "on": "2024-06-30" }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.text);
    let (cookies, csrf) = login(&app, "hr-b").await;
    let form = post_form(
        &app,
        &format!("/applications/{id}/step"),
        &cookies,
        &[
            ("csrf_token", &csrf),
            ("back", "job"),
            ("status", "interview"),
            ("on", "2024-06-30"),
        ],
    )
    .await;
    assert_eq!(form.status, StatusCode::NOT_FOUND);
    let read = app.store.application(id).await.unwrap().unwrap();
    assert_eq!(read.status.code(), "applied");
    assert_eq!(read.steps.len(), 1);
    assert!(app.audit("application.move").await.is_empty());

    // Nor may an officer of another district; the posting's district may.
    let officer2 = app.token("officer2").await;
    let refused = patch_json(
        &app,
        &format!("/api/v1/applications/{id}"),
        &officer2,
        &json!({ "status": "interview", "on": "2024-06-30" }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let officer = app.token("officer").await;
    let moved = patch_json(
        &app,
        &format!("/api/v1/applications/{id}"),
        &officer,
        &json!({ "status": "interview", "on": "2024-06-30" }),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
}

async fn a_step_the_rule_does_not_allow_is_refused(app: TestApp) {
    let (_, job) = setting(&app).await;
    let person = app.heping[0];
    let seeker = actor(&app.app, "seeker").await;
    let id = app.app.apply(&seeker, person, job).await.unwrap().record.id;
    let hr = app.token("hr-a").await;

    // Straight from applied to hired skips the offer.
    let refused = patch_json(
        &app,
        &format!("/api/v1/applications/{id}"),
        &hr,
        &json!({ "status": "hired", "on": "2024-06-30" }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let field = &refused.json()["error"]["fields"][0];
    assert_eq!(field["field"], "status");
    assert_eq!(field["code"], "not_allowed");
    assert!(app.store.outcomes_of(person).await.unwrap().is_empty());

    // A future day and a day before the last step are refused too.
    for on in ["2024-07-01", "2024-01-01"] {
        let refused = patch_json(
            &app,
            &format!("/api/v1/applications/{id}"),
            &hr,
            &json!({ "status": "interview", "on": on }),
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{on}");
        assert_eq!(refused.json()["error"]["fields"][0]["field"], "on");
    }

    // On the page, the error comes back in the summary, linked to the field.
    let (cookies, csrf) = login(&app, "hr-a").await;
    let page = post_form(
        &app,
        &format!("/applications/{id}/step"),
        &cookies,
        &[
            ("csrf_token", &csrf),
            ("back", "job"),
            ("status", "hired"),
            ("on", "2024-06-30"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_well_formed(&page.text, "zh-CN");
    assert!(page.text.contains(&format!("href=\"#status-{id}\"")));

    // The seeker may withdraw, and nothing else.
    let seeker_token = app.token("seeker").await;
    let refused = patch_json(
        &app,
        &format!("/api/v1/applications/{id}"),
        &seeker_token,
        &json!({ "status": "interview", "on": "2024-06-30" }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let withdrawn = patch_json(
        &app,
        &format!("/api/v1/applications/{id}"),
        &seeker_token,
        &json!({ "status": "withdrawn", "on": "2024-06-30" }),
    )
    .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.text);
    assert_eq!(withdrawn.json()["next"], json!([]));
}
