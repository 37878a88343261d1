//! Job fairs: the pages render in both languages for every role; a
//! district officer neither sees nor changes another district's fair; an
//! employer joins a fair for state-owned enterprises only once it is
//! state-owned (a field error before, nothing saved); bad input names the
//! fields and saves nothing; the API goes from a fair to its report, a
//! hire at a state-owned enterprise counting under measure 2, every write
//! audited.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::applications::{patch_json, posting};
use crate::harness::{TestApp, actor};
use crate::job_pages::employer;
use crate::pages::{assert_well_formed, get_with, login, post_form};

crate::on_both_engines!(fairs:
    fair_pages_render_in_both_languages,
    a_district_officer_cannot_see_or_change_another_districts_fair,
    an_employer_joins_a_state_owned_only_fair_only_when_state_owned,
    bad_input_names_the_fields_and_saves_nothing,
    the_api_goes_from_a_fair_to_its_report,
);

fn fair_body(title: &str, district: &str, held_on: &str, soe_only: bool) -> Value {
    json!({
        "title": title,
        "mode": "on_site",
        "organiser": if soe_only { "state_assets" } else { "public_service" },
        "soe_only": soe_only,
        "held_on": held_on,
        "district": district,
        "venue": "人才市场一楼",
        "provisions": ["sign_language", "step_free"],
    })
}

/// Enters a fair through the API as `username`; its id.
async fn fair(app: &TestApp, username: &str, body: &Value) -> i64 {
    let token = app.token(username).await;
    let response = app
        .post_json("/api/v1/fairs", &token, &body.to_string())
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.json()["id"].as_i64().unwrap()
}

async fn fair_count(app: &TestApp) -> u64 {
    let admin = actor(&app.app, "admin").await;
    app.app
        .list_fairs(&admin, &ablework_app::fairs::FairQuery::default())
        .await
        .unwrap()
        .fairs
        .total
}

/// `username`'s employer takes part in a fair with a job, through the API.
async fn join(app: &TestApp, username: &str, fair: i64, job: i64) -> crate::harness::Response {
    let token = app.token(username).await;
    app.post_json(
        &format!("/api/v1/fairs/{fair}/employers"),
        &token,
        &json!({ "job_ids": [job] }).to_string(),
    )
    .await
}

/// A fair of 和平区 on the test clock's day with employer A (`hr-a`)
/// bringing a job, and the seeker registered; (fair, employer, job).
pub(crate) async fn busy_fair(app: &TestApp) -> (i64, i64, i64) {
    let employer_id = employer(
        app,
        "91120101MA05L3XK0",
        "天津甲商贸有限公司",
        "120101",
        "hr-a",
    )
    .await;
    let job = posting(app, "hr-a", "档案数据录入员", "120101").await;
    let id = fair(
        app,
        "admin",
        &fair_body("和平区助残招聘会", "120101", "2024-06-30", false),
    )
    .await;
    let joined = join(app, "hr-a", id, job).await;
    assert_eq!(joined.status, StatusCode::CREATED, "{}", joined.text);
    let seeker = app.token("seeker").await;
    let registered = app
        .post_json(
            &format!("/api/v1/fairs/{id}/registrations"),
            &seeker,
            &json!({ "access_needs": ["sign_language", "braille"] }).to_string(),
        )
        .await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.text
    );
    (id, employer_id, job)
}

async fn fair_pages_render_in_both_languages(app: TestApp) {
    let (id, _, _) = busy_fair(&app).await;
    for username in ["admin", "officer", "hr-a", "seeker", "institution"] {
        let (cookies, _) = login(&app, username).await;
        for (query, lang) in [("", "zh-CN"), ("?lang=en", "en")] {
            for path in ["/fairs".to_owned(), format!("/fairs/{id}")] {
                let page = get_with(&app, &format!("{path}{query}"), &cookies).await;
                assert_eq!(
                    page.status,
                    StatusCode::OK,
                    "{username} {path}: {}",
                    page.text
                );
                assert_well_formed(&page.text, lang);
                assert!(
                    page.text.contains("href=\"/fairs\""),
                    "the nav links to fairs"
                );
            }
            let print = get_with(&app, &format!("/fairs/{id}/report{query}"), &cookies).await;
            assert_eq!(print.status, StatusCode::OK);
            assert_well_formed(&print.text, lang);
            assert!(print.text.contains("<caption>"));
        }
    }
    let (cookies, _) = login(&app, "admin").await;
    let page = get_with(&app, &format!("/fairs/{id}"), &cookies).await;
    assert!(page.text.contains("天津甲商贸有限公司"));
    assert!(page.text.contains("张*"), "names are masked");
    assert!(!page.text.contains("张伟"));
    assert!(page.text.contains("th scope=\"row\""));
    assert!(
        page.text.contains("action=\"/fairs/"),
        "staff get the forms"
    );
    for path in ["/fairs/new".to_owned(), format!("/fairs/{id}/edit")] {
        let form = get_with(&app, &path, &cookies).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_well_formed(&form.text, "zh-CN");
        assert!(form.text.contains("<legend>"));
    }
    // The employer's HR sees no one's registration.
    let (cookies, _) = login(&app, "hr-a").await;
    let page = get_with(&app, &format!("/fairs/{id}"), &cookies).await;
    assert!(!page.text.contains("张*"), "{}", page.text);
    let form = get_with(&app, "/fairs/new", &cookies).await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    // An empty list says so.
    let (cookies, _) = login(&app, "officer2").await;
    let list = get_with(&app, "/fairs", &cookies).await;
    assert!(list.text.contains("class=\"panel\""), "{}", list.text);
}

async fn a_district_officer_cannot_see_or_change_another_districts_fair(app: TestApp) {
    let hedong = fair(
        &app,
        "officer2",
        &fair_body("河东区招聘会", "120102", "2024-09-01", false),
    )
    .await;
    let (cookies, csrf) = login(&app, "officer").await;
    let page = get_with(&app, &format!("/fairs/{hedong}"), &cookies).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let edit = get_with(&app, &format!("/fairs/{hedong}/edit"), &cookies).await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    let changed = post_form(
        &app,
        &format!("/fairs/{hedong}/edit"),
        &cookies,
        &[
            ("csrf_token", &csrf),
            ("title", "改名"),
            ("mode", "on_site"),
            ("organiser", "public_service"),
            ("held_on", "2024-09-01"),
            ("district", "120101"),
            ("venue", "别处"),
        ],
    )
    .await;
    assert_eq!(changed.status, StatusCode::NOT_FOUND);
    let list = get_with(&app, "/fairs", &cookies).await;
    assert!(!list.text.contains("河东区招聘会"));
    let token = app.token("officer").await;
    let api = app
        .get(&format!("/api/v1/fairs/{hedong}"), Some(&token))
        .await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    let report = app
        .get(&format!("/api/v1/fairs/{hedong}/report"), Some(&token))
        .await;
    assert_eq!(report.status, StatusCode::NOT_FOUND);
    let patched = patch_json(
        &app,
        &format!("/api/v1/fairs/{hedong}"),
        &token,
        &fair_body("改名", "120101", "2024-09-01", false),
    )
    .await;
    assert_eq!(patched.status, StatusCode::NOT_FOUND);
    // An officer cannot enter a fair of another district either.
    let elsewhere = app
        .post_json(
            "/api/v1/fairs",
            &token,
            &fair_body("越区", "120102", "2024-09-01", false).to_string(),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(elsewhere.json()["error"]["fields"][0]["field"], "district");
    let admin = actor(&app.app, "admin").await;
    let unchanged = app.app.fair(&admin, hedong).await.unwrap();
    assert_eq!(unchanged.fields.title, "河东区招聘会");
    assert!(app.audit("fair.update").await.is_empty());
    // Its own officer sees it.
    let (own, _) = login(&app, "officer2").await;
    let page = get_with(&app, &format!("/fairs/{hedong}"), &own).await;
    assert_eq!(page.status, StatusCode::OK);
}

async fn an_employer_joins_a_state_owned_only_fair_only_when_state_owned(app: TestApp) {
    let employer_id = employer(
        &app,
        "91120101MA05L3XK0",
        "天津甲商贸有限公司",
        "120101",
        "hr-a",
    )
    .await;
    let job = posting(&app, "hr-a", "档案数据录入员", "120101").await;
    let id = fair(
        &app,
        "admin",
        &fair_body("国企专场", "120101", "2024-09-20", true),
    )
    .await;
    let (cookies, csrf) = login(&app, "hr-a").await;
    let page = get_with(&app, &format!("/fairs/{id}"), &cookies).await;
    assert!(
        page.text.contains(&format!("value=\"{job}\"")),
        "{}",
        page.text
    );
    let job_text = job.to_string();
    let refused = post_form(
        &app,
        &format!("/fairs/{id}/employers"),
        &cookies,
        &[("csrf_token", &csrf), ("postings", &job_text)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("href=\"#join\""), "{}", refused.text);
    assert!(refused.text.contains("只有国有企业可以参加"));
    assert_well_formed(&refused.text, "zh-CN");
    assert!(app.store.fair_employers(id).await.unwrap().is_empty());
    assert!(app.audit("fair.join").await.is_empty());
    let api = join(&app, "hr-a", id, job).await;
    let hr = app.token("hr-a").await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.json()["error"]["fields"][0]["field"], "employer_id");
    assert_eq!(api.json()["error"]["fields"][0]["code"], "not_state_owned");

    // The employer cannot make itself state-owned; the registry can.
    let own = patch_json(
        &app,
        &format!("/api/v1/employers/{employer_id}"),
        &hr,
        &json!({ "state_owned": true }),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    assert_eq!(own.json()["state_owned"], false);
    let admin = app.token("admin").await;
    let registry = patch_json(
        &app,
        &format!("/api/v1/employers/{employer_id}"),
        &admin,
        &json!({ "state_owned": true }),
    )
    .await;
    assert_eq!(registry.json()["state_owned"], true, "{}", registry.text);
    let joined = post_form(
        &app,
        &format!("/fairs/{id}/employers"),
        &cookies,
        &[("csrf_token", &csrf), ("postings", &job_text)],
    )
    .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.text);
    let taking_part = app.store.fair_employers(id).await.unwrap();
    assert_eq!(taking_part.len(), 1);
    assert_eq!(taking_part[0].posting_ids, [job]);
    assert_eq!(app.audit("fair.join").await.len(), 1);
}

async fn bad_input_names_the_fields_and_saves_nothing(app: TestApp) {
    let (cookies, csrf) = login(&app, "admin").await;
    let response = post_form(
        &app,
        "/fairs/new",
        &cookies,
        &[
            ("csrf_token", &csrf),
            ("title", ""),
            ("mode", "online"),
            ("organiser", "nobody"),
            ("held_on", "2024-13-01"),
            ("district", "120101"),
            ("online_url", ""),
            ("provisions", "teleport"),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_well_formed(&response.text, "zh-CN");
    for field in ["title", "organiser", "held_on", "online_url", "provisions"] {
        assert!(
            response.text.contains(&format!("href=\"#{field}\"")),
            "{field}: {}",
            response.text
        );
        assert!(
            response.text.contains(&format!("id=\"{field}\"")),
            "{field}"
        );
    }
    assert_eq!(fair_count(&app).await, 0);
    let token = app.token("admin").await;
    let api = app
        .post_json(
            "/api/v1/fairs",
            &token,
            &json!({"title": "x", "mode": "on_site", "organiser": "state_assets",
                "held_on": "soon", "district": "nowhere"})
            .to_string(),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = api.json();
    let named: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(named, ["held_on", "district", "venue"]);
    assert_eq!(fair_count(&app).await, 0);
    assert!(app.audit("fair.create").await.is_empty());
    // A registration for a person outside the officer's district is a
    // field error and saves nothing.
    let id = fair(
        &app,
        "officer",
        &fair_body("和平区招聘会", "120101", "2024-06-30", false),
    )
    .await;
    let officer = app.token("officer").await;
    let outside = app
        .post_json(
            &format!("/api/v1/fairs/{id}/registrations"),
            &officer,
            &json!({ "person_id": app.hedong[0], "access_needs": ["sign_language"] }).to_string(),
        )
        .await;
    assert_eq!(
        outside.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        outside.text
    );
    assert_eq!(outside.json()["error"]["fields"][0]["field"], "person_id");
    assert!(app.store.fair_registrations(id).await.unwrap().is_empty());
}

#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
async fn the_api_goes_from_a_fair_to_its_report(app: TestApp) {
    let (id, employer_id, job) = busy_fair(&app).await;
    let admin = app.token("admin").await;
    let registry = patch_json(
        &app,
        &format!("/api/v1/employers/{employer_id}"),
        &admin,
        &json!({ "state_owned": true }),
    )
    .await;
    assert_eq!(registry.status, StatusCode::OK);
    let officer = app.token("officer").await;
    let read = app
        .get(&format!("/api/v1/fairs/{id}"), Some(&officer))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let body = read.json();
    assert_eq!(body["title"], "和平区助残招聘会");
    assert_eq!(body["participants"][0]["postings"][0]["job_id"], job);
    let changed = patch_json(
        &app,
        &format!("/api/v1/fairs/{id}"),
        &officer,
        &fair_body("和平区助残专场招聘会", "120101", "2024-06-30", false),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(changed.json()["title"], "和平区助残专场招聘会");

    // The officer registers a second person; the list is masked.
    let second = app
        .post_json(
            &format!("/api/v1/fairs/{id}/registrations"),
            &officer,
            &json!({ "person_id": app.heping[1], "access_needs": ["step_free"] }).to_string(),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text);
    let again = app
        .post_json(
            &format!("/api/v1/fairs/{id}/registrations"),
            &officer,
            &json!({ "person_id": app.heping[1] }).to_string(),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        again.json()["error"]["fields"][0]["code"],
        "registered_already"
    );
    let list = app
        .get(&format!("/api/v1/fairs/{id}/registrations"), Some(&officer))
        .await;
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["person_name"], "张*");
    let seeker = app.token("seeker").await;
    let own = app
        .get(&format!("/api/v1/fairs/{id}/registrations"), Some(&seeker))
        .await;
    assert_eq!(
        own.json()["total"],
        1,
        "a seeker sees their own registration only"
    );

    let marks: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(n, r)| {
            json!({ "registration_id": r["id"], "status": if n == 0 { "attended" } else { "no_show" } })
        })
        .collect();
    let marked = app
        .post_json(
            &format!("/api/v1/fairs/{id}/attendance"),
            &officer,
            &json!({ "marks": marks }).to_string(),
        )
        .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text);
    assert_eq!(marked.json()["changed"], 2);

    let applied = app
        .post_json(
            &format!("/api/v1/fairs/{id}/applications"),
            &officer,
            &json!({ "person_id": app.heping[0], "job_id": job }).to_string(),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.text);
    let application = applied.json();
    assert_eq!(application["fair_id"], id);
    let application_id = application["id"].as_i64().unwrap();
    let stranger = app
        .post_json(
            &format!("/api/v1/fairs/{id}/applications"),
            &officer,
            &json!({ "person_id": app.hedong[0], "job_id": job }).to_string(),
        )
        .await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    let hr = app.token("hr-a").await;
    for status in ["interview", "offer", "hired"] {
        let moved = patch_json(
            &app,
            &format!("/api/v1/applications/{application_id}"),
            &hr,
            &json!({ "status": status, "on": "2024-06-30" }),
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{status}: {}", moved.text);
    }
    let outcomes = app.store.outcomes_of(app.heping[0]).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(
        outcomes[0].outcome.measure,
        ablework_domain::outcome::Measure::StateEnterprises,
        "a hire at a state-owned enterprise counts under measure 2"
    );

    let report = app
        .get(&format!("/api/v1/fairs/{id}/report"), Some(&officer))
        .await;
    assert_eq!(report.status, StatusCode::OK);
    let report = report.json();
    assert_eq!(report["registered"], 2);
    assert_eq!(report["attended"], 1);
    assert_eq!(report["no_show"], 1);
    assert_eq!(report["unmet"], 1, "braille was not offered");
    assert_eq!(report["employers"], 1);
    assert_eq!(report["posts_offered"], 1);
    assert_eq!(report["applications"], 1);
    assert_eq!(report["interview"], 1);
    assert_eq!(report["hired"], 1);

    let listed = app
        .get("/api/v1/fairs?soe_only=false&when=upcoming", Some(&seeker))
        .await;
    assert_eq!(listed.json()["total"], 1);
    let bad = app.get("/api/v1/fairs?mode=hybrid", Some(&seeker)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let document = app.get("/api/v1/openapi.json", None).await.json();
    for path in [
        "/api/v1/fairs",
        "/api/v1/fairs/{id}",
        "/api/v1/fairs/{id}/registrations",
        "/api/v1/fairs/{id}/report",
    ] {
        assert!(document["paths"][path].is_object(), "{path}");
    }
    for action in [
        "fair.create",
        "fair.update",
        "fair.join",
        "fair.register",
        "fair.attendance",
        "fair.registrations",
    ] {
        assert!(!app.audit(action).await.is_empty(), "{action} is audited");
    }
    let created = app.audit("application.create").await;
    assert_eq!(created[0].entry.detail["fair"], id);
}
