//! The pages: login, logout, CSRF, throttling, languages and scope.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::harness::{PASSWORD, Response, TestApp};

crate::on_both_engines!(pages:
    the_landing_page_is_bilingual_and_well_formed,
    logging_in_and_out_works_with_csrf,
    a_login_without_the_csrf_cookie_is_refused,
    wrong_passwords_are_throttled,
    forms_without_the_session_csrf_token_are_refused,
    the_language_choice_is_remembered,
    pages_need_a_login_and_respect_scope,
    unmasking_on_a_page_is_audited_with_the_reason,
    every_role_home_page_renders,
    unknown_pages_are_404_pages,
);

/// The value of a `Set-Cookie` for a name.
pub(crate) fn cookie(response: &Response, name: &str) -> Option<String> {
    response
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let (pair, _) = v.split_once(';').unwrap_or((v, ""));
            let (key, value) = pair.split_once('=')?;
            (key == name && !value.is_empty()).then(|| value.to_owned())
        })
}

pub(crate) fn hidden(text: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in page"))
        + marker.len();
    text[start..].split('"').next().unwrap().to_owned()
}

pub(crate) async fn get_with(app: &TestApp, path: &str, cookies: &str) -> Response {
    let request = Request::get(path)
        .header(header::COOKIE, cookies)
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

pub(crate) async fn post_form(
    app: &TestApp,
    path: &str,
    cookies: &str,
    form: &[(&str, &str)],
) -> Response {
    let body = serde_urlencoded::to_string(form).unwrap();
    let request = Request::post(path)
        .header(header::COOKIE, cookies)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// Logs in through the form; returns the cookie header and the session's CSRF token.
pub(crate) async fn login(app: &TestApp, username: &str) -> (String, String) {
    let form = app.get("/login", None).await;
    let pre = cookie(&form, "abw_csrf").unwrap();
    let csrf = hidden(&form.text, "csrf_token");
    let cookies = format!("abw_csrf={pre}");
    let response = post_form(
        app,
        "/login",
        &cookies,
        &[
            ("username", username),
            ("password", PASSWORD),
            ("csrf_token", &csrf),
            ("next", "/"),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text);
    let session = cookie(&response, "abw_session").unwrap();
    let set_cookie: Vec<_> = response
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session_cookie = set_cookie
        .iter()
        .find(|c| c.starts_with("abw_session="))
        .unwrap();
    assert!(session_cookie.contains("HttpOnly"), "{session_cookie}");
    assert!(session_cookie.contains("SameSite=Lax"), "{session_cookie}");
    let cookies = format!("abw_session={session}");
    let home = get_with(app, "/", &cookies).await;
    let token = hidden(&home.text, "csrf_token");
    (cookies, token)
}

pub(crate) fn assert_well_formed(text: &str, lang: &str) {
    assert!(
        text.contains(&format!("<html lang=\"{lang}\">")),
        "html lang {lang}"
    );
    assert_eq!(text.matches("<h1").count(), 1, "exactly one h1");
    assert!(text.contains("class=\"skip-link\" href=\"#main\""));
    assert!(text.contains("<main id=\"main\""));
}

async fn the_landing_page_is_bilingual_and_well_formed(app: TestApp) {
    let chinese = app.get("/", None).await;
    assert_eq!(chinese.status, StatusCode::OK);
    assert_well_formed(&chinese.text, "zh-CN");
    assert!(chinese.text.contains("登录"));
    let english = app.get("/?lang=en", None).await;
    assert_well_formed(&english.text, "en");
    assert!(english.text.contains("Log in"));
    assert!(
        english.text.contains("href=\"/?lang=zh\""),
        "a visible switch back"
    );
}

async fn logging_in_and_out_works_with_csrf(app: TestApp) {
    let (cookies, csrf) = login(&app, "officer").await;
    let home = get_with(&app, "/", &cookies).await;
    assert!(home.text.contains("officer"));
    assert_well_formed(&home.text, "zh-CN");
    assert_eq!(app.audit("session.login").await.len(), 1);
    let out = post_form(&app, "/logout", &cookies, &[("csrf_token", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(app.audit("session.logout").await.len(), 1);
    let after = get_with(&app, "/persons", &cookies).await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "the session no longer works"
    );
    assert!(
        after.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );
}

async fn a_login_without_the_csrf_cookie_is_refused(app: TestApp) {
    let form = app.get("/login", None).await;
    let csrf = hidden(&form.text, "csrf_token");
    let response = post_form(
        &app,
        "/login",
        "",
        &[
            ("username", "admin"),
            ("password", PASSWORD),
            ("csrf_token", &csrf),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(cookie(&response, "abw_session").is_none());
}

async fn wrong_passwords_are_throttled(app: TestApp) {
    let form = app.get("/login?lang=en", None).await;
    let pre = cookie(&form, "abw_csrf").unwrap();
    let csrf = hidden(&form.text, "csrf_token");
    let cookies = format!("abw_csrf={pre}; abw_lang=en");
    for _ in 0..3 {
        let response = post_form(
            &app,
            "/login",
            &cookies,
            &[
                ("username", "admin"),
                ("password", "wrong"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert!(
            response
                .text
                .contains("The username or password is not right")
        );
        assert!(
            response.text.contains("href=\"#username\""),
            "the error summary links to the field"
        );
    }
    let response = post_form(
        &app,
        "/login",
        &cookies,
        &[
            ("username", "admin"),
            ("password", PASSWORD),
            ("csrf_token", &csrf),
        ],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert_eq!(app.audit("session.login_failed").await.len(), 3);
    assert_eq!(app.audit("session.login_throttled").await.len(), 1);
}

async fn forms_without_the_session_csrf_token_are_refused(app: TestApp) {
    let (cookies, _) = login(&app, "officer").await;
    let response = post_form(&app, "/logout", &cookies, &[("csrf_token", "forged")]).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let path = format!("/persons/{}/unmask", app.heping[0]);
    let response = post_form(
        &app,
        &path,
        &cookies,
        &[("reason", "核对信息"), ("csrf_token", "forged")],
    )
    .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(app.audit("person.unmask").await.is_empty());
}

async fn the_language_choice_is_remembered(app: TestApp) {
    let response = app.get("/login?lang=en", None).await;
    assert_eq!(cookie(&response, "abw_lang").as_deref(), Some("en"));
    let again = get_with(&app, "/login", "abw_lang=en").await;
    assert_well_formed(&again.text, "en");
    let request = Request::get("/login")
        .header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.8")
        .body(Body::empty())
        .unwrap();
    assert_well_formed(&app.send(request).await.text, "en");
    let request = Request::get("/login")
        .header(header::ACCEPT_LANGUAGE, "en-US")
        .header(header::COOKIE, "abw_lang=zh")
        .body(Body::empty())
        .unwrap();
    assert_well_formed(&app.send(request).await.text, "zh-CN");
}

async fn pages_need_a_login_and_respect_scope(app: TestApp) {
    for path in [
        "/persons",
        "/audit",
        "/account",
        &format!("/persons/{}", app.heping[0]),
    ] {
        let response = app.get(path, None).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
    }
    let (cookies, _) = login(&app, "officer").await;
    let list = get_with(&app, "/persons", &cookies).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains("张*"));
    assert!(
        !list.text.contains("李*"),
        "another district's person is not listed"
    );
    assert!(!list.text.contains("张伟"), "names are masked");
    assert_eq!(
        get_with(&app, &format!("/persons/{}", app.hedong[0]), &cookies)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_with(&app, "/audit", &cookies).await.status,
        StatusCode::FORBIDDEN
    );
    let (admin, _) = login(&app, "admin").await;
    let audit = get_with(&app, "/audit?action=session.", &admin).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.text.contains("session.login"));
    let bad = get_with(&app, "/audit?from=yesterday", &admin).await;
    assert!(
        bad.text.contains("href=\"#from\""),
        "a bad date is named in the error summary"
    );
}

async fn unmasking_on_a_page_is_audited_with_the_reason(app: TestApp) {
    let (cookies, csrf) = login(&app, "officer").await;
    let path = format!("/persons/{}/unmask", app.heping[0]);
    let refused = post_form(
        &app,
        &path,
        &cookies,
        &[("reason", ""), ("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("href=\"#reason\""));
    let reads_before = app.audit("person.read").await.len();
    let shown = post_form(
        &app,
        &path,
        &cookies,
        &[("reason", "办理就业登记"), ("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(
        app.audit("person.read").await.len(),
        reads_before,
        "one unmask is one audited read, not two"
    );
    assert!(shown.text.contains("120101199003071235"));
    assert_eq!(shown.headers[header::CACHE_CONTROL], "no-store");
    let audit = app.audit("person.unmask").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].entry.detail["reason"], "办理就业登记");
}

async fn every_role_home_page_renders(app: TestApp) {
    for user in ["admin", "officer", "employer", "institution", "seeker"] {
        let (cookies, _) = login(&app, user).await;
        for lang in ["zh", "en"] {
            let home = get_with(&app, &format!("/?lang={lang}"), &cookies).await;
            assert_eq!(home.status, StatusCode::OK, "{user}");
            assert_well_formed(&home.text, if lang == "zh" { "zh-CN" } else { "en" });
            for path in ["/account", "/api/docs"] {
                let page = get_with(&app, path, &cookies).await;
                assert_eq!(page.status, StatusCode::OK, "{user} {path}");
            }
        }
    }
}

async fn unknown_pages_are_404_pages(app: TestApp) {
    let response = app.get("/no-such-page?lang=en", None).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_well_formed(&response.text, "en");
    assert!(response.text.contains("Page not found"));
}

mod forms {
    use axum::http::{StatusCode, header};

    use super::{get_with, login, post_form};
    use crate::harness::{TestApp, id_number};

    crate::on_both_engines!(forms:
        an_officer_registers_and_changes_a_person_through_the_forms,
        seekers_cannot_open_the_forms,
    );

    async fn an_officer_registers_and_changes_a_person_through_the_forms(app: TestApp) {
        let (cookies, csrf) = login(&app, "officer").await;
        let form = get_with(&app, "/persons/new", &cookies).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.text.contains("<label for=\"id_number\">"));
        let id = id_number("120101", "19950505", "021");
        let bad = post_form(
            &app,
            "/persons/new",
            &cookies,
            &[
                ("csrf_token", &csrf),
                ("name", "刘洋"),
                ("id_number", "120101199505050210"),
                ("certificate_number", ""),
                ("district", "120101"),
            ],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.text.contains("href=\"#certificate_number\""),
            "the summary links to the field"
        );
        assert!(
            bad.text.contains("value=\"刘洋\""),
            "what was typed is kept"
        );
        let certificate = format!("{id}21");
        let created = post_form(
            &app,
            "/persons/new",
            &cookies,
            &[
                ("csrf_token", &csrf),
                ("name", "刘洋"),
                ("id_number", &id),
                ("certificate_number", &certificate),
                ("district", "120101"),
                ("employment_status", "unemployed"),
            ],
        )
        .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
        let location = created.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned();
        let detail = get_with(&app, &location, &cookies).await;
        assert!(detail.text.contains("刘*"));
        let record = location
            .trim_start_matches("/persons/")
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let edit_path = format!("/persons/{record}/edit");
        let edit = get_with(&app, &edit_path, &cookies).await;
        assert_eq!(edit.status, StatusCode::OK);
        assert!(
            !edit.text.contains(&id),
            "the edit form does not reveal the ID number"
        );
        let saved = post_form(
            &app,
            &edit_path,
            &cookies,
            &[
                ("csrf_token", &csrf),
                ("district", "120101"),
                ("street", "五大道街道"),
                ("employment_status", "employed"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
        let detail = get_with(&app, &format!("/persons/{record}?lang=en"), &cookies).await;
        assert!(detail.text.contains("五大道街道"));
        assert!(detail.text.contains("Employed"));
        assert_eq!(app.audit("person.update").await.len(), 1);
    }

    async fn seekers_cannot_open_the_forms(app: TestApp) {
        let (cookies, _) = login(&app, "seeker").await;
        assert_eq!(
            get_with(&app, "/persons/new", &cookies).await.status,
            StatusCode::FORBIDDEN
        );
        let edit = format!("/persons/{}/edit", app.heping[0]);
        assert_eq!(
            get_with(&app, &edit, &cookies).await.status,
            StatusCode::FORBIDDEN
        );
    }
}

mod dashboard {
    use axum::http::StatusCode;

    use super::{get_with, login};
    use crate::harness::TestApp;

    crate::on_both_engines!(dashboard: the_dashboard_shows_charts_with_their_tables);

    async fn the_dashboard_shows_charts_with_their_tables(app: TestApp) {
        let (cookies, _) = login(&app, "admin").await;
        for lang in ["zh", "en"] {
            let page = get_with(&app, &format!("/progress?lang={lang}"), &cookies).await;
            assert_eq!(page.status, StatusCode::OK);
            assert_eq!(page.text.matches("<h1").count(), 1);
            let charts = page.text.matches("<svg").count();
            assert!(charts >= 4, "{charts} charts");
            assert!(
                page.text.matches("role=\"img\"").count() >= charts,
                "every chart is an image with a name"
            );
            assert!(
                page.text.matches("<table").count() >= charts,
                "every chart has its table"
            );
        }
        let (officer, _) = login(&app, "officer").await;
        assert_eq!(
            get_with(&app, "/progress", &officer).await.status,
            StatusCode::OK
        );
        let (seeker, _) = login(&app, "seeker").await;
        assert_eq!(
            get_with(&app, "/progress", &seeker).await.status,
            StatusCode::FORBIDDEN
        );
    }
}

mod downloads {
    use std::io::Cursor;

    use axum::http::{StatusCode, header};
    use calamine::{Data, Reader, Xlsx};

    use super::{get_with, login};
    use crate::harness::TestApp;

    crate::on_both_engines!(downloads:
        people_download_masked_and_audited,
        the_progress_workbook_has_the_api_figures,
    );

    async fn people_download_masked_and_audited(app: TestApp) {
        let (cookies, _) = login(&app, "officer").await;
        let list = get_with(&app, "/persons", &cookies).await;
        assert!(list.text.contains("/persons/export?format=xlsx"));
        let csv = get_with(&app, "/persons/export?format=csv", &cookies).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert!(csv.text.starts_with('\u{feff}'));
        assert_eq!(
            csv.text.lines().count(),
            3,
            "a header and the two people of the officer's district"
        );
        assert!(
            !csv.text.contains("120101199003071235"),
            "identifiers stay masked"
        );
        assert!(
            !csv.text.contains("李*"),
            "another district's people are not exported"
        );
        let exports = app.audit("person.export").await;
        assert_eq!(exports.len(), 1);
        assert_eq!(exports[0].entry.detail["rows"], 2);
        let (seeker, _) = login(&app, "seeker").await;
        assert_eq!(
            get_with(&app, "/persons/export?format=csv", &seeker)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }

    async fn the_progress_workbook_has_the_api_figures(app: TestApp) {
        let (cookies, _) = login(&app, "admin").await;
        let admin = app.token("admin").await;
        let report = app.get("/api/v1/progress", Some(&admin)).await.json();
        let request = axum::http::Request::get("/progress/report.xlsx?lang=en")
            .header(header::COOKIE, &cookies)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = app.router.clone().oneshot_bytes(request).await;
        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(response)).unwrap();
        let sheet = workbook.worksheet_range("by year").unwrap();
        let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
        for (row, year) in rows
            .iter()
            .skip(1)
            .zip(report["by_year"].as_array().unwrap())
        {
            assert_eq!(row[0].to_string(), year["year"].to_string());
            assert_eq!(row[1].to_string(), year["target"].to_string());
            assert_eq!(row[2].to_string(), year["achieved"].to_string());
        }
        let summary = workbook.worksheet_range("summary").unwrap();
        assert_eq!(
            summary.get((1, 4)).map(ToString::to_string),
            Some(report["target"].to_string())
        );
    }

    /// Reads a response body whole.
    trait OneshotBytes {
        async fn oneshot_bytes(self, request: axum::http::Request<axum::body::Body>) -> Vec<u8>;
    }

    impl OneshotBytes for axum::Router {
        async fn oneshot_bytes(self, request: axum::http::Request<axum::body::Body>) -> Vec<u8> {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let response = self.oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response
                .into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec()
        }
    }
}
