//! Where matching shows, with known answers: a wheelchair user is
//! recommended a step-free job without standing and not one that requires
//! standing all day, and "why not" names the conflict; a person past
//! working age gets nothing; candidates are only people who consented (not
//! those who never did or withdrew); an employer cannot see another's
//! candidates; every factor is explained; pages render.

use ablework_app::cases::{AssessmentInput, NeedInput};
use ablework_app::employers::Review;
use ablework_app::persons::NewPersonInput;
use ablework_app::postings::PostingInput;
use ablework_domain::lang::Lang;
use ablework_domain::matching::{Demand, Factor};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::harness::{TestApp, actor, id_number};
use crate::job_pages::employer;
use crate::pages::{assert_well_formed, get_with, login, post_form};

crate::on_both_engines!(matching:
    a_wheelchair_user_gets_the_step_free_job_and_why_not_the_standing_one,
    nobody_past_working_age_gets_recommendations,
    candidates_are_only_people_who_consented,
    an_employer_sees_only_its_own_postings_candidates,
    matching_pages_explain_every_factor,
    a_seeker_hides_a_job_and_a_counsellor_decides,
    the_work_list_shows_unmatched_people_of_the_district,
);

async fn posting(
    app: &TestApp,
    hr: &str,
    title: &str,
    district: &str,
    demands: &[(&str, &str)],
) -> i64 {
    let hr = actor(&app.app, hr).await;
    let input = PostingInput {
        title: title.to_owned(),
        occupation: "41".to_owned(),
        district: district.to_owned(),
        address: "一楼".to_owned(),
        hours: "full_time".to_owned(),
        monthly_wage: "4000".to_owned(),
        demands: demands
            .iter()
            .map(|(d, l)| ((*d).to_owned(), (*l).to_owned()))
            .collect(),
        accommodations: vec!["step_free".to_owned(), "accessible_toilet".to_owned()],
        posts: "1".to_owned(),
        ..PostingInput::default()
    };
    app.app.create_posting(&hr, &input).await.unwrap().id
}

/// Employers A (和平区, `hr-a`) and B (河东区, `hr-b`); A posts a
/// ground-floor data-entry job with step-free access and no demands, and a
/// shelf-stacking job that requires standing all day; B posts one job.
struct Jobs {
    ground_floor: i64,
    standing: i64,
    other_employer: i64,
}

async fn jobs(app: &TestApp) -> Jobs {
    employer(
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
    Jobs {
        ground_floor: posting(app, "hr-a", "档案数据录入员", "120101", &[]).await,
        standing: posting(
            app,
            "hr-a",
            "超市理货员",
            "120101",
            &[("standing", "frequent")],
        )
        .await,
        other_employer: posting(app, "hr-b", "仓库记录员", "120102", &[]).await,
    }
}

/// Gives `person` an approved assessment (severe mobility, moderate
/// stamina limitation; needs step-free access) and a need for data entry
/// in 和平区.
async fn wheelchair_user(app: &TestApp, person: i64) {
    let officer = actor(&app.app, "officer").await;
    let admin = actor(&app.app, "admin").await;
    let assessment = AssessmentInput {
        assessed_on: "2024-06-10".to_owned(),
        functions: vec![
            ("mobility".to_owned(), "severe".to_owned()),
            ("stamina".to_owned(), "moderate".to_owned()),
            ("vision".to_owned(), "none".to_owned()),
            ("hearing".to_owned(), "none".to_owned()),
            ("speech".to_owned(), "none".to_owned()),
            ("fine_motor".to_owned(), "none".to_owned()),
            ("cognition".to_owned(), "none".to_owned()),
        ],
        capacity: "full_time".to_owned(),
        skills: "数据录入、Excel".to_owned(),
        accommodations: vec!["step_free".to_owned()],
        ..AssessmentInput::default()
    };
    let id = app
        .app
        .submit_assessment(&officer, person, &assessment)
        .await
        .unwrap();
    app.app
        .review_assessment(&admin, id, Review::Approve, "")
        .await
        .unwrap();
    let need = NeedInput {
        registered_on: "2024-06-12".to_owned(),
        occupations: "数据录入员".to_owned(),
        districts: vec!["120101".to_owned()],
        hours: "full_time".to_owned(),
        ..NeedInput::default()
    };
    app.app
        .register_need(&officer, person, &need)
        .await
        .unwrap();
}

async fn consent(app: &TestApp, person: i64, given: bool) {
    let admin = actor(&app.app, "admin").await;
    app.app
        .save_consent(&admin, person, "matching", given)
        .await
        .unwrap();
}

fn item_ids(body: &Value, key: &str) -> Vec<i64> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_i64().unwrap())
        .collect()
}

/// Every factor, in the engine's order, each with a reason in words.
fn assert_every_factor(matched: &Value) {
    let factors = matched["factors"].as_array().unwrap();
    let codes: Vec<&str> = factors
        .iter()
        .map(|f| f["factor"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = Factor::ALL.iter().map(|f| f.code()).collect();
    assert_eq!(codes, expected);
    let total: u64 = factors.iter().map(|f| f["points"].as_u64().unwrap()).sum();
    assert_eq!(
        Some(total),
        matched["score"].as_u64(),
        "the score is the sum"
    );
    for factor in factors {
        assert!(!factor["reason"].as_str().unwrap().is_empty(), "{factor}");
        assert!(factor["points"].as_u64() <= factor["weight"].as_u64());
    }
}

async fn a_wheelchair_user_gets_the_step_free_job_and_why_not_the_standing_one(app: TestApp) {
    let jobs = jobs(&app).await;
    let person = app.heping[0];
    wheelchair_user(&app, person).await;
    let officer = app.token("officer").await;
    let response = app
        .get(
            &format!("/api/v1/persons/{person}/recommendations"),
            Some(&officer),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let body = response.json();
    assert_eq!(body["assessed"], true);
    assert_eq!(body["need_registered"], true);
    assert_eq!(body["open_postings"], 3);
    let found = item_ids(&body, "job_id");
    assert_eq!(
        found.first(),
        Some(&jobs.ground_floor),
        "the step-free ground-floor job comes first: {found:?}"
    );
    assert!(!found.contains(&jobs.standing), "{found:?}");
    assert_every_factor(&body["items"][0]["match"]);

    let why = app
        .get(
            &format!("/api/v1/persons/{person}/recommendations/{}", jobs.standing),
            Some(&officer),
        )
        .await;
    assert_eq!(why.status, StatusCode::OK, "{}", why.text);
    let why = why.json();
    assert_eq!(why["verdict"], "excluded");
    assert_eq!(why["exclusion"]["kind"], "conflict");
    let said = why["exclusion"]["description"].as_str().unwrap();
    assert!(said.contains(Demand::Standing.label(Lang::Zh)), "{said}");
    let fits = app
        .get(
            &format!(
                "/api/v1/persons/{person}/recommendations/{}",
                jobs.ground_floor
            ),
            Some(&officer),
        )
        .await
        .json();
    assert_eq!(fits["verdict"], "matched");
    assert_every_factor(&fits["match"]);
    // The reads are audited.
    assert!(!app.audit("person.recommendations").await.is_empty());
    assert!(!app.audit("person.why_not").await.is_empty());
    // Another district's officer cannot read this person's.
    let other = app.token("officer2").await;
    let outside = app
        .get(
            &format!("/api/v1/persons/{person}/recommendations"),
            Some(&other),
        )
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    // The seeker reads their own.
    let seeker = app.token("seeker").await;
    let own = app
        .get(
            &format!("/api/v1/persons/{person}/recommendations"),
            Some(&seeker),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    assert_eq!(item_ids(&own.json(), "job_id"), found);
}

async fn nobody_past_working_age_gets_recommendations(app: TestApp) {
    jobs(&app).await;
    let admin = actor(&app.app, "admin").await;
    let id = id_number("120101", "19550101", "135");
    let old = app
        .app
        .create_person(
            &admin,
            NewPersonInput {
                name: "赵老汉".to_owned(),
                certificate_number: format!("{id}42"),
                id_number: id,
                district: "120101".to_owned(),
                ..NewPersonInput::default()
            },
        )
        .await
        .unwrap()
        .id;
    let token = app.token("officer").await;
    let body = app
        .get(
            &format!("/api/v1/persons/{old}/recommendations"),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(body["working_age"], false);
    assert_eq!(body["items"].as_array().unwrap().len(), 0, "{body}");
    let why = app
        .get(
            &format!("/api/v1/persons/{old}/recommendations/1"),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(why["exclusion"]["kind"], "past_working_age", "{why}");
}

async fn candidates_are_only_people_who_consented(app: TestApp) {
    let jobs = jobs(&app).await;
    let (consenting, withdrawn) = (app.heping[0], app.heping[1]);
    let never = app.hedong[0];
    wheelchair_user(&app, consenting).await;
    consent(&app, consenting, true).await;
    consent(&app, withdrawn, true).await;
    consent(&app, withdrawn, false).await;
    let admin = actor(&app.app, "admin").await;
    app.app
        .save_consent(&admin, never, "job_fairs", true)
        .await
        .unwrap();
    for who in ["hr-a", "officer", "admin"] {
        let token = app.token(who).await;
        let response = app
            .get(
                &format!("/api/v1/jobs/{}/candidates", jobs.ground_floor),
                Some(&token),
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "{who}: {}", response.text);
        let body = response.json();
        assert_eq!(body["consenting"], 1, "{who}");
        assert_eq!(item_ids(&body, "person_id"), [consenting], "{who}");
        let name = body["items"][0]["name_masked"].as_str().unwrap();
        assert!(name.contains('*'), "masked: {name}");
        assert_every_factor(&body["items"][0]["match"]);
    }
    // The standing job excludes the only consenting person.
    let token = app.token("hr-a").await;
    let body = app
        .get(
            &format!("/api/v1/jobs/{}/candidates", jobs.standing),
            Some(&token),
        )
        .await
        .json();
    assert!(item_ids(&body, "person_id").is_empty(), "{body}");
    // Who saw whom for which posting is audited.
    let seen = app.audit("job.candidates").await;
    assert!(
        seen.iter().any(|entry| {
            entry.entry.entity_id == Some(jobs.ground_floor.to_string())
                && entry.entry.detail["persons"] == serde_json::json!([consenting])
        }),
        "{seen:?}"
    );
}

async fn an_employer_sees_only_its_own_postings_candidates(app: TestApp) {
    let jobs = jobs(&app).await;
    consent(&app, app.heping[0], true).await;
    let path = format!("/api/v1/jobs/{}/candidates", jobs.ground_floor);
    let other = app.token("hr-b").await;
    assert_eq!(
        app.get(&path, Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    // Another district's officer neither.
    let officer2 = app.token("officer2").await;
    assert_eq!(
        app.get(&path, Some(&officer2)).await.status,
        StatusCode::NOT_FOUND
    );
    // Seekers and institutions never see candidates.
    for who in ["seeker", "institution"] {
        let token = app.token(who).await;
        assert_eq!(
            app.get(&path, Some(&token)).await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    let own = app.token("hr-b").await;
    let mine = app
        .get(
            &format!("/api/v1/jobs/{}/candidates", jobs.other_employer),
            Some(&own),
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text);
}

async fn matching_pages_explain_every_factor(app: TestApp) {
    let jobs = jobs(&app).await;
    let person = app.heping[0];
    wheelchair_user(&app, person).await;
    consent(&app, person, true).await;
    let (officer, _) = login(&app, "officer").await;
    let page = get_with(&app, &format!("/persons/{person}"), &officer).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_well_formed(&page.text, "zh-CN");
    assert!(page.text.contains("推荐岗位"), "{}", page.text);
    assert!(page.text.contains("档案数据录入员"));
    assert!(!page.text.contains("超市理货员"));
    for factor in Factor::ALL {
        assert!(page.text.contains(factor.label(Lang::Zh)), "{factor:?}");
    }
    let verdict = get_with(
        &app,
        &format!("/persons/{person}/jobs/{}?lang=en", jobs.standing),
        &officer,
    )
    .await;
    assert_eq!(verdict.status, StatusCode::OK);
    assert_well_formed(&verdict.text, "en");
    assert!(verdict.text.contains("Not recommended"), "{}", verdict.text);
    assert!(verdict.text.contains("standing for long periods"));
    let why = get_with(
        &app,
        &format!("/jobs/{}/why?person={person}", jobs.standing),
        &officer,
    )
    .await;
    assert_eq!(why.status, StatusCode::SEE_OTHER);

    let (hr, _) = login(&app, "hr-a").await;
    let job = get_with(&app, &format!("/jobs/{}", jobs.ground_floor), &hr).await;
    assert_eq!(job.status, StatusCode::OK);
    assert_well_formed(&job.text, "zh-CN");
    assert!(job.text.contains("候选人"));
    assert!(job.text.contains("张*"), "the masked name");
    assert!(!job.text.contains("张伟"), "never the full name");
    // HR sees candidates, not their records: no link to one.
    assert!(
        !job.text.contains(&format!("/persons/{person}/")),
        "{}",
        job.text
    );
    let as_officer = get_with(&app, &format!("/jobs/{}", jobs.ground_floor), &officer).await;
    assert!(
        as_officer
            .text
            .contains(&format!("/persons/{person}/jobs/{}", jobs.ground_floor)),
        "the officer may open the person's verdict"
    );
    // Empty states say why.
    let (other, _) = login(&app, "hr-b").await;
    let empty = get_with(&app, &format!("/jobs/{}", jobs.other_employer), &other).await;
    assert!(empty.status == StatusCode::OK);
    let (seeker, _) = login(&app, "seeker").await;
    let own = get_with(&app, &format!("/persons/{person}"), &seeker).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.text.contains("档案数据录入员"));
}

/// Sends `body` as JSON with `method` and a bearer token.
async fn send_json(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> crate::harness::Response {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.send(request.body(body).unwrap()).await
}

/// A seeker hides a recommended job with a reason (another reason needs a
/// note): it leaves the recommendations and the employer's candidates,
/// is listed apart, and comes back when shown again. A counsellor's "not
/// suitable" takes a job out too; a seeker may not record decisions.
#[expect(
    clippy::too_many_lines,
    reason = "one person's marks, step by step, on pages and the API"
)]
async fn a_seeker_hides_a_job_and_a_counsellor_decides(app: TestApp) {
    let jobs = jobs(&app).await;
    let person = app.heping[0];
    wheelchair_user(&app, person).await;
    consent(&app, person, true).await;
    let (seeker, seeker_csrf) = login(&app, "seeker").await;
    let verdict = format!("/persons/{person}/jobs/{}", jobs.ground_floor);
    let page = get_with(&app, &verdict, &seeker).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_well_formed(&page.text, "zh-CN");
    assert!(page.text.contains("name=\"reason\""), "a hide form");
    assert!(!page.text.contains("name=\"decision\""), "no decision form");
    let own = get_with(&app, &format!("/persons/{person}"), &seeker).await;
    assert!(own.text.contains(&format!("href=\"{verdict}\"")), "linked");

    // Another reason without a note is a field error; nothing is saved.
    let bare = post_form(
        &app,
        &format!("{verdict}/hide"),
        &seeker,
        &[
            ("csrf_token", &seeker_csrf),
            ("reason", "other"),
            ("note", " "),
        ],
    )
    .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.text.contains("href=\"#note\""), "{}", bare.text);
    assert_well_formed(&bare.text, "zh-CN");
    let hidden = post_form(
        &app,
        &format!("{verdict}/hide"),
        &seeker,
        &[
            ("csrf_token", &seeker_csrf),
            ("reason", "too_far"),
            ("note", "要换两次车"),
        ],
    )
    .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER, "{}", hidden.text);
    assert_eq!(app.audit("recommendation.hide").await.len(), 1);

    let token = app.token("seeker").await;
    let path = format!("/api/v1/persons/{person}/recommendations");
    let body = app.get(&path, Some(&token)).await.json();
    assert!(!item_ids(&body, "job_id").contains(&jobs.ground_floor));
    assert_eq!(body["hidden"][0]["job_id"], jobs.ground_floor);
    assert_eq!(body["hidden"][0]["hidden"]["code"], "too_far");
    let own = get_with(&app, &format!("/persons/{person}"), &seeker).await;
    assert!(
        own.text.contains("要换两次车"),
        "listed apart with the note"
    );
    // The employer is not offered a person who hid its job.
    let hr = app.token("hr-a").await;
    let candidates = app
        .get(
            &format!("/api/v1/jobs/{}/candidates", jobs.ground_floor),
            Some(&hr),
        )
        .await
        .json();
    assert!(!item_ids(&candidates, "person_id").contains(&person));

    // Shown again through the API.
    let hidden_path = format!("{path}/{}/hidden", jobs.ground_floor);
    let shown = send_json(&app, "DELETE", &hidden_path, &token, None).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    assert!(shown.json()["hidden"].is_null());
    let body = app.get(&path, Some(&token)).await.json();
    assert_eq!(item_ids(&body, "job_id").first(), Some(&jobs.ground_floor));
    let bad = send_json(
        &app,
        "PUT",
        &hidden_path,
        &token,
        Some(&json!({ "reason": "bored" })),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);

    // A seeker records no decisions; the officer does.
    let decision_path = format!("{path}/{}/decision", jobs.ground_floor);
    let refused = send_json(
        &app,
        "PUT",
        &decision_path,
        &token,
        Some(&json!({ "decision": "encourage" })),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let (officer, officer_csrf) = login(&app, "officer").await;
    let decided = post_form(
        &app,
        &format!("{verdict}/decision"),
        &officer,
        &[
            ("csrf_token", &officer_csrf),
            ("decision", "encourage"),
            ("decision_note", "下周带去面试"),
        ],
    )
    .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.text);
    let body = app.get(&path, Some(&token)).await.json();
    assert_eq!(body["items"][0]["job_id"], jobs.ground_floor);
    assert_eq!(body["items"][0]["decision"]["code"], "encourage");
    let officer_token = app.token("officer").await;
    let unsuitable = send_json(
        &app,
        "PUT",
        &decision_path,
        &officer_token,
        Some(&json!({ "decision": "not_suitable", "note": "需先完成培训" })),
    )
    .await;
    assert_eq!(unsuitable.status, StatusCode::OK, "{}", unsuitable.text);
    let body = app.get(&path, Some(&token)).await.json();
    assert!(!item_ids(&body, "job_id").contains(&jobs.ground_floor));
    assert_eq!(body["hidden"][0]["decision"]["code"], "not_suitable");
    assert_eq!(app.audit("recommendation.decide").await.len(), 2);
    // Another district's officer cannot mark this person's jobs.
    let other = app.token("officer2").await;
    let outside = send_json(
        &app,
        "PUT",
        &decision_path,
        &other,
        Some(&json!({ "decision": "encourage" })),
    )
    .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
}

/// The work list: a district officer's district only, people with jobs
/// that fit and no application under way; the administrator chooses a
/// district; employers and seekers may not see it; the read is audited.
async fn the_work_list_shows_unmatched_people_of_the_district(app: TestApp) {
    let jobs = jobs(&app).await;
    let person = app.heping[0];
    wheelchair_user(&app, person).await;
    let (officer, _) = login(&app, "officer").await;
    let page = get_with(&app, "/work-list", &officer).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_well_formed(&page.text, "zh-CN");
    assert!(
        page.text
            .contains(&format!("/persons/{person}/jobs/{}", jobs.ground_floor)),
        "the person with the job that fits"
    );
    let token = app.token("officer").await;
    let list = app.get("/api/v1/work-list", Some(&token)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let list = list.json();
    assert_eq!(list["district"], "120101");
    let people = item_ids(&list, "person_id");
    assert!(people.contains(&person));
    assert!(
        people.iter().all(|p| app.heping.contains(p)),
        "only the officer's district: {people:?}"
    );
    assert!(!app.audit("jobs.work_list").await.is_empty());

    // Once the person applies, they are no longer on the list.
    let seeker = actor(&app.app, "seeker").await;
    app.app
        .apply(&seeker, person, jobs.ground_floor)
        .await
        .unwrap();
    let list = app.get("/api/v1/work-list", Some(&token)).await.json();
    assert!(!item_ids(&list, "person_id").contains(&person));

    // The administrator picks a district; others may not look.
    let admin = app.token("admin").await;
    let hedong = app
        .get("/api/v1/work-list?district=120102", Some(&admin))
        .await
        .json();
    assert_eq!(hedong["district"], "120102");
    assert!(
        item_ids(&hedong, "person_id")
            .iter()
            .all(|p| app.hedong.contains(p))
    );
    for who in ["hr-a", "seeker"] {
        let token = app.token(who).await;
        let refused = app.get("/api/v1/work-list", Some(&token)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{who}");
    }
}
