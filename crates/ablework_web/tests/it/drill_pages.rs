//! The dashboard's drill-down: city → district → street → people, and
//! measure → people, masked and within scope; the district's report in the
//! API has the same streets.

use axum::http::StatusCode;

use crate::api::progress::seed_outcomes;
use crate::harness::TestApp;
use crate::pages::{assert_well_formed, get_with, login};

crate::on_both_engines!(drill_pages:
    the_city_leads_to_a_district_its_streets_and_their_people,
    a_measure_leads_to_the_people_it_counted,
    the_drill_down_stays_in_scope,
);

/// 张伟 (和平区) lives on 小白楼街道; 王芳 has no street recorded.
async fn with_a_street(app: &TestApp) {
    seed_outcomes(app).await;
    let token = app.token("admin").await;
    let request = axum::http::Request::patch(format!("/api/v1/persons/{}", app.heping[0]))
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(r#"{"street":"小白楼街道"}"#))
        .unwrap();
    let patched = app.send(request).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
}

async fn the_city_leads_to_a_district_its_streets_and_their_people(app: TestApp) {
    with_a_street(&app).await;
    let (admin, _) = login(&app, "admin").await;
    let city = get_with(&app, "/progress", &admin).await;
    assert!(city.text.contains("href=\"/progress?district=120101\""));
    let district = get_with(&app, "/progress?district=120101", &admin).await;
    assert_eq!(district.status, StatusCode::OK);
    assert_well_formed(&district.text, "zh-CN");
    assert!(
        district.text.contains("href=\"/progress\""),
        "back to the city"
    );
    assert!(
        district.text.contains("id=\"by-street\""),
        "{}",
        district.text
    );
    let street_link =
        "/progress/people?district=120101&#38;street=%E5%B0%8F%E7%99%BD%E6%A5%BC%E8%A1%97%E9%81%93";
    assert!(district.text.contains(street_link), "{}", district.text);
    assert!(
        district
            .text
            .contains("/progress/people?district=120101&#38;street=-")
    );

    let people = get_with(&app, &street_link.replace("&#38;", "&"), &admin).await;
    assert_eq!(people.status, StatusCode::OK);
    assert_well_formed(&people.text, "zh-CN");
    assert_eq!(
        people
            .text
            .matches(&format!("href=\"/persons/{}/case\"", app.heping[0]))
            .count(),
        2,
        "张伟, counted in 2022 and 2023"
    );
    assert!(
        !people
            .text
            .contains(&format!("/persons/{}/case", app.heping[1]))
    );
    assert!(!people.text.contains("张伟"), "names are masked");
    let unrecorded = get_with(&app, "/progress/people?district=120101&street=-", &admin).await;
    assert!(
        unrecorded
            .text
            .contains(&format!("/persons/{}/case", app.heping[1]))
    );

    let token = app.token("admin").await;
    let report = app
        .get("/api/v1/progress?district=120101", Some(&token))
        .await
        .json();
    assert_eq!(report["achieved"], 4);
    let streets: Vec<(String, u64)> = report["by_street"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_owned(),
                r["achieved"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(streets, [(String::new(), 2), ("小白楼街道".to_owned(), 2)]);
    let city = app.get("/api/v1/progress", Some(&token)).await.json();
    assert_eq!(
        city["by_street"].as_array().unwrap().len(),
        0,
        "streets are a district's"
    );
    let unknown = app
        .get("/api/v1/progress?district=999999", Some(&token))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn a_measure_leads_to_the_people_it_counted(app: TestApp) {
    seed_outcomes(&app).await;
    let (admin, _) = login(&app, "admin").await;
    let city = get_with(&app, "/progress", &admin).await;
    assert!(
        city.text
            .contains("href=\"/progress/people?measure=m10_training\"")
    );
    let people = get_with(
        &app,
        "/progress/people?measure=m10_training&lang=en",
        &admin,
    )
    .await;
    assert_eq!(people.status, StatusCode::OK);
    assert_well_formed(&people.text, "en");
    assert!(
        people.text.contains(": 6</caption>"),
        "three people, two years: {}",
        people.text
    );
    let one_year = get_with(
        &app,
        "/progress/people?measure=m10_training&year=2023",
        &admin,
    )
    .await;
    assert!(one_year.text.contains(": 3</caption>"));
    let none = get_with(&app, "/progress/people?measure=m08_blind_massage", &admin).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.text.contains("No one matches."), "{}", none.text);
}

async fn the_drill_down_stays_in_scope(app: TestApp) {
    seed_outcomes(&app).await;
    let (officer, _) = login(&app, "officer").await;
    let own = get_with(&app, "/progress?district=120101", &officer).await;
    assert_eq!(own.status, StatusCode::OK);
    let other = get_with(&app, "/progress?district=120102", &officer).await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "another district reads as absent"
    );
    let people = get_with(&app, "/progress/people?measure=m10_training", &officer).await;
    assert!(
        people.text.contains(": 4</caption>"),
        "their district's two people: {}",
        people.text
    );
    assert!(
        !people
            .text
            .contains(&format!("/persons/{}/case", app.hedong[0]))
    );
    let other = get_with(&app, "/progress/people?district=120102", &officer).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let (seeker, _) = login(&app, "seeker").await;
    let refused = get_with(&app, "/progress/people?measure=m10_training", &seeker).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
