//! Plans' targets as data: a city administrator adds a plan beside the
//! default one and edits the default's targets, by form and by the API;
//! the dashboard, its workbook and the progress API follow the chosen plan;
//! a plan whose breakdowns do not add up is refused field by field and
//! nothing is saved; only a city administrator sets targets.

use axum::http::StatusCode;

use crate::harness::TestApp;
use crate::pages::{assert_well_formed, get_with, login, post_form};

crate::on_both_engines!(plan_pages:
    a_plan_is_added_beside_the_default_and_shown_on_the_dashboard,
    the_default_plans_targets_are_edited_as_a_new_version,
    a_plan_that_does_not_add_up_is_refused_and_nothing_is_saved,
    only_a_city_administrator_sets_targets,
    plans_are_read_and_saved_through_the_api,
);

/// A 2025–2027 plan of 1,600 by form: 16 districts of 100, measures of
/// 160, years 500 / 500 / 600.
fn new_plan_form(csrf: &str) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("csrf_token", csrf),
        ("id", "tianjin-2025-2027"),
        ("name_zh", "天津市残疾人就业三年行动（2025—2027年）"),
        ("name_en", "Tianjin 2025–2027"),
        ("start", "2025-01-01"),
        ("end", "2027-12-31"),
        ("total", "1600"),
        ("on_track_ratio", "0.9"),
        ("year_2025", "500"),
        ("year_2026", "500"),
        ("year_2027", "600"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for district in ablework_domain::district::all() {
        form.push((format!("district_{}", district.code), "100".to_owned()));
    }
    for measure in ablework_domain::outcome::Measure::ALL {
        form.push((format!("measure_{}", measure.code()), "160".to_owned()));
    }
    form
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn a_plan_is_added_beside_the_default_and_shown_on_the_dashboard(app: TestApp) {
    let (admin, csrf) = login(&app, "admin").await;
    let form = get_with(&app, "/plans/new", &admin).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_well_formed(&form.text, "zh-CN");
    assert!(
        form.text.contains("value=\"2025-01-01\""),
        "a new plan starts after the default one"
    );
    let saved = post_form(&app, "/plans/new", &admin, &pairs(&new_plan_form(&csrf))).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let list = get_with(&app, "/plans?lang=en", &admin).await;
    assert!(list.text.contains("<code>tianjin-2025-2027</code>"));
    assert!(list.text.contains("<code>tianjin-2022-2024</code>"));
    assert!(list.text.contains("Built in (unchanged)"));

    let dashboard = get_with(&app, "/progress?plan=tianjin-2025-2027", &admin).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard.text.contains("<dd>1600</dd>"),
        "{}",
        dashboard.text
    );
    assert!(
        dashboard
            .text
            .contains("href=\"/progress/report.xlsx?plan=tianjin-2025-2027\"")
    );
    assert!(
        dashboard
            .text
            .contains("<option value=\"tianjin-2025-2027\" selected>"),
        "the chosen plan is selected"
    );
    let default = get_with(&app, "/progress", &admin).await;
    assert!(
        default.text.contains("<dd>15000</dd>"),
        "the default is unchanged"
    );

    let token = app.token("admin").await;
    let api = app
        .get("/api/v1/progress?plan=tianjin-2025-2027", Some(&token))
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text);
    let report = api.json();
    assert_eq!(report["target"], 1600);
    assert_eq!(report["on_track_ratio"], "0.9");
    assert_eq!(report["by_year"][2]["target"], 600);
    let missing = app
        .get("/api/v1/progress?plan=no-such-plan", Some(&token))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // A district officer's dashboard shows their district's share.
    let (officer, _) = login(&app, "officer").await;
    let district = get_with(&app, "/progress?plan=tianjin-2025-2027", &officer).await;
    assert!(district.text.contains("<dd>100</dd>"), "{}", district.text);

    let created = app.audit("plan.create").await;
    assert_eq!(created.len(), 1);
    assert_eq!(
        created[0].entry.entity_id.as_deref(),
        Some("tianjin-2025-2027")
    );
    let again = post_form(&app, "/plans/new", &admin, &pairs(&new_plan_form(&csrf))).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text.contains("href=\"#id\""), "the id is taken");
}

async fn the_default_plans_targets_are_edited_as_a_new_version(app: TestApp) {
    let (admin, csrf) = login(&app, "admin").await;
    let form = get_with(&app, "/plans/tianjin-2022-2024/edit", &admin).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("name=\"district_120116\""));
    // Move 100 of 和平区's target to 滨海新区: the total stays 15,000.
    let mut values: Vec<(String, String)> = Vec::new();
    for name in form
        .text
        .split("name=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
    {
        if name == "csrf_token" {
            continue;
        }
        let marker = format!("name=\"{name}\" type=\"text\" value=\"");
        let value = form
            .text
            .split(&marker)
            .nth(1)
            .map(|rest| rest.split('"').next().unwrap().to_owned())
            .unwrap_or_default();
        values.push((name, value));
    }
    let shift = |values: &mut Vec<(String, String)>, name: &str, by: i64| {
        let entry = values.iter_mut().find(|(k, _)| k == name).unwrap();
        entry.1 = (entry.1.parse::<i64>().unwrap() + by).to_string();
    };
    shift(&mut values, "district_120101", -100);
    shift(&mut values, "district_120116", 100);
    values.push(("csrf_token".to_owned(), csrf.clone()));
    let saved = post_form(
        &app,
        "/plans/tianjin-2022-2024/edit",
        &admin,
        &pairs(&values),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let token = app.token("admin").await;
    let plan = app
        .get("/api/v1/plans/tianjin-2022-2024", Some(&token))
        .await
        .json();
    assert_eq!(plan["version"], 1);
    let built_in = ablework_domain::progress::PlanTarget::tianjin_2022_2024();
    let heping = built_in
        .by_district
        .iter()
        .find(|(c, _)| c == "120101")
        .unwrap()
        .1;
    assert_eq!(plan["plan"]["by_district"][0][1], heping - 100);
    assert_eq!(plan["plan"]["total"], 15_000);
    let (officer, _) = login(&app, "officer").await;
    let district = get_with(&app, "/progress", &officer).await;
    assert!(
        district
            .text
            .contains(&format!("<dd>{}</dd>", heping - 100)),
        "the officer's dashboard follows the new version"
    );
    assert_eq!(app.audit("plan.update").await.len(), 1);
}

async fn a_plan_that_does_not_add_up_is_refused_and_nothing_is_saved(app: TestApp) {
    let (admin, csrf) = login(&app, "admin").await;
    let mut form = new_plan_form(&csrf);
    for (name, value) in &mut form {
        match name.as_str() {
            "year_2027" => "599".clone_into(value),
            "district_120101" => "ten".clone_into(value),
            "name_en" => value.clear(),
            _ => {}
        }
    }
    let refused = post_form(&app, "/plans/new", &admin, &pairs(&form)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains("href=\"#district_120101\""),
        "{}",
        refused.text
    );
    // The number fixed, the app's rules speak: the years and the name.
    for (name, value) in &mut form {
        if name == "district_120101" {
            "100".clone_into(value);
        }
    }
    let refused = post_form(&app, "/plans/new?lang=en", &admin, &pairs(&form)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains("href=\"#by_year\""),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("href=\"#name_en\""));
    assert!(
        refused
            .text
            .contains("The year targets add up to 1599, not to the total 1600.")
    );
    assert_well_formed(&refused.text, "en");
    let token = app.token("admin").await;
    let plans = app.get("/api/v1/plans", Some(&token)).await.json();
    assert_eq!(plans.as_array().unwrap().len(), 1, "nothing was saved");
    assert!(app.audit("plan.create").await.is_empty());
}

async fn only_a_city_administrator_sets_targets(app: TestApp) {
    let (officer, csrf) = login(&app, "officer").await;
    assert_eq!(
        get_with(&app, "/plans/new", &officer).await.status,
        StatusCode::FORBIDDEN
    );
    let list = get_with(&app, "/plans", &officer).await;
    assert_eq!(list.status, StatusCode::OK, "officers read the plans");
    assert!(!list.text.contains("/plans/new"));
    let posted = post_form(&app, "/plans/new", &officer, &pairs(&new_plan_form(&csrf))).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    let token = app.token("officer").await;
    let body =
        serde_json::to_string(&ablework_domain::progress::PlanTarget::tianjin_2022_2024()).unwrap();
    let api = app.post_json("/api/v1/plans", &token, &body).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    let employer = app.token("employer").await;
    assert_eq!(
        app.get("/api/v1/plans", Some(&employer)).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn plans_are_read_and_saved_through_the_api(app: TestApp) {
    let token = app.token("admin").await;
    let mut plan = ablework_domain::progress::PlanTarget::tianjin_2022_2024();
    "pilot-2024".clone_into(&mut plan.id);
    plan.start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    plan.by_year = vec![(2024, 15_000)];
    let saved = app
        .post_json(
            "/api/v1/plans",
            &token,
            &serde_json::to_string(&plan).unwrap(),
        )
        .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.text);
    assert_eq!(saved.json()["version"], 1);
    let saved = app
        .post_json(
            "/api/v1/plans",
            &token,
            &serde_json::to_string(&plan).unwrap(),
        )
        .await;
    assert_eq!(saved.json()["version"], 2, "a save is a new version");
    plan.by_measure[0].1 += 1;
    plan.by_year = vec![(2023, 15_000)];
    let refused = app
        .post_json(
            "/api/v1/plans",
            &token,
            &serde_json::to_string(&plan).unwrap(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = refused.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["by_year", "by_measure"]);
    let listed = app.get("/api/v1/plans", Some(&token)).await.json();
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["plan"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["pilot-2024", "tianjin-2022-2024"]);
    assert_eq!(listed[0]["version"], 2);
    let progress = app
        .get("/api/v1/progress?plan=pilot-2024", Some(&token))
        .await
        .json();
    assert_eq!(progress["start"], "2024-01-01");
    let openapi = app.get("/api/v1/openapi.json", None).await.json();
    assert!(openapi["paths"]["/api/v1/plans"]["post"].is_object());
}
