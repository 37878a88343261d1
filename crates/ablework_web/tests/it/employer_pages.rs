//! The employer and quota pages: the registry, a declaration filed,
//! returned, corrected and approved by form, field errors that save
//! nothing, double claims, the measure-1 list, what-if and presets.

use ablework_app::auth::NewUserInput;
use ablework_app::employers::EmployerInput;
use ablework_domain::levy::{self, Declaration};
use axum::http::StatusCode;

use crate::harness::{PASSWORD, TestApp, actor, id_number};
use crate::pages::{assert_well_formed, get_with, login, post_form};

crate::on_both_engines!(employer_pages:
    a_declaration_is_filed_returned_corrected_and_approved_by_form,
    bad_declarations_get_field_errors_and_save_nothing,
    double_claims_show_on_both_declarations,
    employers_see_only_their_own_organisation,
    quota_reports_and_presets_render_in_both_languages,
    the_employer_registry_validates_and_saves,
);

/// Registers an employer as the city administrator and an HR account for
/// it; returns the employer's id.
async fn employer_with_account(
    app: &TestApp,
    code: &str,
    name: &str,
    district: &str,
    username: &str,
) -> i64 {
    let admin = actor(&app.app, "admin").await;
    let input = EmployerInput {
        credit_code: code.to_owned(),
        name: name.to_owned(),
        kind: "enterprise".to_owned(),
        is_school: false,
        staffing_quota: None,
        staff: "200".to_owned(),
        district: district.to_owned(),
        sector: "retail".to_owned(),
        state_owned: false,
    };
    let record = app.app.create_employer(&admin, &input).await.unwrap();
    let account = NewUserInput {
        username: username.to_owned(),
        password: PASSWORD.to_owned(),
        role: "employer".to_owned(),
        district: None,
        organisation_id: Some(record.id),
        person_id: None,
    };
    app.app.create_user(None, account).await.unwrap();
    record.id
}

/// Valid unified social credit codes (GB 32100-2015) of Heping (120101).
fn code_a() -> String {
    credit_code("91120101MA05L3XK0")
}

fn code_b() -> String {
    credit_code("91120101MA06A1B2C")
}

fn credit_code(first17: &str) -> String {
    let check = ablework_domain::ident::credit_code_check_char(first17).unwrap();
    format!("{first17}{check}")
}

/// The certificate numbers of the harness's two people in 和平区.
fn heping_certificates() -> [String; 2] {
    [
        format!("{}42", id_number("120101", "19900307", "123")),
        format!("{}42", id_number("120101", "19851120", "244")),
    ]
}

fn declaration_form<'a>(
    csrf: &'a str,
    rows: &'a [(String, &'a str, &'a str, bool)],
) -> Vec<(String, String)> {
    let mut form = vec![
        ("csrf_token".to_owned(), csrf.to_owned()),
        ("rows".to_owned(), rows.len().max(1).to_string()),
        ("data_year".to_owned(), "2023".to_owned()),
        ("total_wages".to_owned(), "16000000".to_owned()),
        ("social_average_wage".to_owned(), "100000".to_owned()),
        ("seasonal_0_count".to_owned(), "40".to_owned()),
        ("seasonal_0_months".to_owned(), "6".to_owned()),
    ];
    for month in 0..12 {
        form.push((format!("monthly_headcount_{month}"), "180".to_owned()));
    }
    for (index, (certificate, from, to, insured)) in rows.iter().enumerate() {
        form.push((
            format!("employees_{index}_certificate"),
            certificate.clone(),
        ));
        form.push((format!("employees_{index}_from_month"), (*from).to_owned()));
        form.push((format!("employees_{index}_to_month"), (*to).to_owned()));
        form.push((format!("employees_{index}_contract_ok"), "on".to_owned()));
        form.push((format!("employees_{index}_min_wage_ok"), "on".to_owned()));
        if *insured {
            form.push((format!("employees_{index}_insured_ok"), "on".to_owned()));
        }
    }
    form
}

async fn post_pairs(
    app: &TestApp,
    path: &str,
    cookies: &str,
    pairs: &[(String, String)],
) -> crate::harness::Response {
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_form(app, path, cookies, &borrowed).await
}

fn declaration_id(location: &str) -> i64 {
    location
        .trim_start_matches("/declarations/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The levy `ablework levy` computes for the same figures.
fn contract_levy(certificates: &[(&str, i64, bool)]) -> String {
    let employees: Vec<serde_json::Value> = certificates
        .iter()
        .map(|(c, months, eligible)| serde_json::json!({"certificate": c, "months": months, "eligible": eligible}))
        .collect();
    let json = serde_json::json!({
        "declared_on": "2024-06-30",
        "employer_kind": "enterprise",
        "monthly_headcount": vec!["180"; 12],
        "seasonal": [{"count": 40, "months": 6}],
        "total_wages": "16000000",
        "social_average_wage": "100000",
        "disabled_employees": employees,
    });
    let declaration = Declaration::from_deserializer(json).unwrap();
    levy::assess(&declaration).unwrap().levy().to_string()
}

fn money(text: &str) -> String {
    let value: rust_decimal::Decimal = text.parse().unwrap();
    let whole = value.trunc().to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!(
        "{grouped}.{:02}",
        (value.fract() * rust_decimal::Decimal::ONE_HUNDRED).trunc()
    )
}

#[expect(
    clippy::too_many_lines,
    reason = "one declaration's whole life, step by step"
)]
async fn a_declaration_is_filed_returned_corrected_and_approved_by_form(app: TestApp) {
    let id = employer_with_account(&app, &code_a(), "天津甲商贸有限公司", "120101", "hr-one").await;
    let (hr, hr_csrf) = login(&app, "hr-one").await;
    let [first, second] = heping_certificates();

    let page = get_with(&app, &format!("/employers/{id}"), &hr).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_well_formed(&page.text, "zh-CN");
    let form = get_with(
        &app,
        &format!("/employers/{id}/declarations/new?year=2023"),
        &hr,
    )
    .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    assert!(
        form.text.contains("id=\"employees_2_certificate\""),
        "three blank rows"
    );

    // Filed with the second person's insurance not ticked: counted as not eligible.
    let rows = [
        (first.clone(), "1", "12", true),
        (second.clone(), "10", "12", false),
    ];
    let filed = post_pairs(
        &app,
        &format!("/employers/{id}/declarations/new"),
        &hr,
        &declaration_form(&hr_csrf, &rows),
    )
    .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.text);
    let location = filed.headers["location"].to_str().unwrap().to_owned();
    let declaration = declaration_id(&location);
    let shown = get_with(&app, &location, &hr).await;
    let expected = contract_levy(&[(&first, 12, true), (&second, 3, false)]);
    assert!(
        shown.text.contains(&money(&expected)),
        "levy {expected} in {}",
        shown.text
    );
    assert!(!shown.text.contains(&first), "certificates are masked");
    assert!(
        !shown.text.contains("name=\"decision\""),
        "an employer cannot review"
    );

    // The officer returns it; a return needs reasons.
    let (officer, officer_csrf) = login(&app, "officer").await;
    let queue = get_with(&app, "/declarations", &officer).await;
    assert!(
        queue
            .text
            .contains(&format!("/declarations/{declaration}\"")),
        "{}",
        queue.text
    );
    let review = format!("/declarations/{declaration}/review");
    let no_reason = post_form(
        &app,
        &review,
        &officer,
        &[
            ("csrf_token", &officer_csrf),
            ("decision", "return"),
            ("note", " "),
        ],
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason.text.contains("href=\"#note\""),
        "the summary links to the note"
    );
    let returned = post_form(
        &app,
        &review,
        &officer,
        &[
            ("csrf_token", &officer_csrf),
            ("decision", "return"),
            ("note", "请补充第二人的社保缴纳证明"),
        ],
    )
    .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER);

    // The employer sees why and corrects it.
    let seen = get_with(&app, &location, &hr).await;
    assert!(seen.text.contains("请补充第二人的社保缴纳证明"));
    assert!(seen.text.contains("已退回"));
    let rows = [
        (first.clone(), "1", "12", true),
        (second.clone(), "10", "12", true),
    ];
    let refiled = post_pairs(
        &app,
        &format!("/employers/{id}/declarations/new"),
        &hr,
        &declaration_form(&hr_csrf, &rows),
    )
    .await;
    assert_eq!(refiled.status, StatusCode::SEE_OTHER, "{}", refiled.text);
    assert_eq!(
        declaration_id(refiled.headers["location"].to_str().unwrap()),
        declaration
    );

    let approved = post_form(
        &app,
        &review,
        &officer,
        &[
            ("csrf_token", &officer_csrf),
            ("decision", "approve"),
            ("note", ""),
        ],
    )
    .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    let final_page = get_with(&app, &format!("{location}&lang=en"), &hr).await;
    let expected = contract_levy(&[(&first, 12, true), (&second, 3, true)]);
    assert!(
        final_page.text.contains(&money(&expected)),
        "levy {expected}"
    );
    assert!(final_page.text.contains("Approved"));
    for step in ["Submitted", "Returned", "Corrected and resubmitted"] {
        assert!(final_page.text.contains(step), "history shows {step}");
    }
    // Approved is final.
    let late = post_pairs(
        &app,
        &format!("/employers/{id}/declarations/new"),
        &hr,
        &declaration_form(&hr_csrf, &rows),
    )
    .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.audit("declaration.approve").await.len(), 1);
}

async fn bad_declarations_get_field_errors_and_save_nothing(app: TestApp) {
    let id = employer_with_account(&app, &code_a(), "天津甲商贸有限公司", "120101", "hr-one").await;
    let (hr, csrf) = login(&app, "hr-one").await;
    let [first, _] = heping_certificates();
    let path = format!("/employers/{id}/declarations/new");

    let mut form = declaration_form(&csrf, &[(first.clone(), "1", "13", true)]);
    form.retain(|(k, _)| k != "monthly_headcount_3");
    form.push(("monthly_headcount_3".to_owned(), "-5".to_owned()));
    let answer = post_pairs(&app, &path, &hr, &form).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.text.contains("href=\"#monthly_headcount_3\""),
        "negative headcount"
    );
    assert!(
        answer.text.contains("href=\"#employees_0_to_month\""),
        "13 months"
    );

    // A checksum error, and a person past retirement age (born 1950).
    let mut wrong = first.clone();
    wrong.replace_range(17..18, if &first[17..18] == "1" { "2" } else { "1" });
    let retired_id = id_number("120101", "19500101", "135");
    let admin = actor(&app.app, "admin").await;
    app.app
        .create_person(
            &admin,
            ablework_app::persons::NewPersonInput {
                name: "赵老".to_owned(),
                certificate_number: format!("{retired_id}43"),
                id_number: retired_id.clone(),
                district: "120101".to_owned(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let rows = [
        (wrong, "1", "12", true),
        (format!("{retired_id}43"), "1", "12", true),
    ];
    let answer = post_pairs(&app, &path, &hr, &declaration_form(&csrf, &rows)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.text.contains("href=\"#employees_0_certificate\""),
        "checksum"
    );
    assert!(
        answer.text.contains("href=\"#employees_1_certificate\""),
        "retirement age"
    );

    let none = app
        .app
        .list_declarations(&admin, None, None, 1, 20)
        .await
        .unwrap();
    assert_eq!(none.total, 0, "nothing was saved");
}

async fn double_claims_show_on_both_declarations(app: TestApp) {
    let first_id =
        employer_with_account(&app, &code_a(), "天津甲商贸有限公司", "120101", "hr-one").await;
    let second_id =
        employer_with_account(&app, &code_b(), "天津乙物流有限公司", "120101", "hr-two").await;
    let [first, _] = heping_certificates();
    let (hr, csrf) = login(&app, "hr-one").await;
    let (hr2, csrf2) = login(&app, "hr-two").await;
    let a = post_pairs(
        &app,
        &format!("/employers/{first_id}/declarations/new"),
        &hr,
        &declaration_form(&csrf, &[(first.clone(), "1", "6", true)]),
    )
    .await;
    let b = post_pairs(
        &app,
        &format!("/employers/{second_id}/declarations/new"),
        &hr2,
        &declaration_form(&csrf2, &[(first.clone(), "5", "12", true)]),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    assert_eq!(b.status, StatusCode::SEE_OTHER, "{}", b.text);
    let seen_a = get_with(&app, a.headers["location"].to_str().unwrap(), &hr).await;
    assert!(
        seen_a.text.contains("天津乙物流有限公司"),
        "the first employer sees the second"
    );
    let seen_b = get_with(&app, b.headers["location"].to_str().unwrap(), &hr2).await;
    assert!(
        seen_b.text.contains("天津甲商贸有限公司"),
        "and the other way round"
    );
    assert!(seen_b.text.contains("重复计算"));
}

async fn employers_see_only_their_own_organisation(app: TestApp) {
    let own =
        employer_with_account(&app, &code_a(), "天津甲商贸有限公司", "120101", "hr-one").await;
    let other =
        employer_with_account(&app, &code_b(), "天津乙物流有限公司", "120101", "hr-two").await;
    let (hr, _) = login(&app, "hr-one").await;
    let list = get_with(&app, "/employers", &hr).await;
    assert_eq!(
        list.status,
        StatusCode::SEE_OTHER,
        "an employer goes to its own page"
    );
    assert_eq!(
        list.headers["location"],
        format!("/employers/{own}").as_str()
    );
    assert_eq!(
        get_with(&app, &format!("/employers/{other}"), &hr)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_with(&app, "/declarations", &hr).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get_with(&app, "/quota/what-if", &hr).await.status,
        StatusCode::FORBIDDEN
    );
    let (officer2, _) = login(&app, "officer2").await;
    assert_eq!(
        get_with(&app, &format!("/employers/{own}"), &officer2)
            .await
            .status,
        StatusCode::NOT_FOUND,
        "another district's officer"
    );
}

async fn quota_reports_and_presets_render_in_both_languages(app: TestApp) {
    let (admin, csrf) = login(&app, "admin").await;
    for lang in ["zh", "en"] {
        for path in [
            "/employers",
            "/declarations",
            "/quota",
            "/quota/measure-one?year=2023",
            "/quota/what-if?year=2023&policy=tianjin-2022-2024",
            "/policies",
            "/policies/new",
            "/employers/new",
        ] {
            let separator = if path.contains('?') { '&' } else { '?' };
            let page = get_with(&app, &format!("{path}{separator}lang={lang}"), &admin).await;
            assert_eq!(page.status, StatusCode::OK, "{path} {lang}: {}", page.text);
            assert_well_formed(&page.text, if lang == "zh" { "zh-CN" } else { "en" });
        }
    }
    // A new preset from the form, based on the built-in one, with a higher rate.
    let form = get_with(&app, "/policies/new", &admin).await;
    let mut fields: Vec<(String, String)> = Vec::new();
    for piece in form.text.split("<input id=\"").skip(1) {
        let name = piece
            .split("name=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let value = piece
            .split("value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        fields.push((name, value));
    }
    assert!(
        fields.contains(&("programmes.placement_months".to_owned(), "6".to_owned())),
        "the training placement window is a field, six months in the built-in preset"
    );
    fields.retain(|(k, _)| {
        ![
            "id",
            "quota.rate",
            "csrf_token",
            "programmes.placement_months",
        ]
        .contains(&k.as_str())
    });
    fields.push(("csrf_token".to_owned(), csrf.clone()));
    fields.push(("base".to_owned(), "tianjin-2022-2024".to_owned()));
    fields.push(("id".to_owned(), "tianjin-rate-1-7".to_owned()));
    fields.push(("quota.rate".to_owned(), "2".to_owned()));
    fields.push(("programmes.placement_months".to_owned(), "0".to_owned()));
    let refused = post_pairs(&app, "/policies/new", &admin, &fields).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert!(refused.text.contains("href=\"#quota-rate\""));
    assert!(
        refused
            .text
            .contains("href=\"#programmes-placement_months\"")
    );
    fields.retain(|(k, _)| k != "quota.rate" && k != "programmes.placement_months");
    fields.push(("quota.rate".to_owned(), "0.017".to_owned()));
    fields.push(("programmes.placement_months".to_owned(), "9".to_owned()));
    let saved = post_pairs(&app, "/policies/new", &admin, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let stored = app.store.presets().await.unwrap();
    let stored = stored.iter().find(|p| p.id == "tianjin-rate-1-7").unwrap();
    assert_eq!(stored.body["programmes"]["placement_months"], 9);
    let list = get_with(&app, "/policies", &admin).await;
    assert!(list.text.contains("tianjin-rate-1-7") && list.text.contains("1.7%"));
    let what_if = get_with(
        &app,
        "/quota/what-if?year=2023&policy=tianjin-rate-1-7",
        &admin,
    )
    .await;
    assert_eq!(what_if.status, StatusCode::OK);
    assert!(what_if.text.contains("<svg"), "a chart");
    assert!(what_if.text.contains("<table"), "and its table");
    let (officer, _) = login(&app, "officer").await;
    assert_eq!(
        get_with(&app, "/policies/new", &officer).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn the_employer_registry_validates_and_saves(app: TestApp) {
    let (officer, csrf) = login(&app, "officer").await;
    let mut wrong = code_a();
    let last = if wrong.ends_with('1') { "2" } else { "1" };
    wrong.replace_range(17..18, last);
    let bad = post_form(
        &app,
        "/employers/new",
        &officer,
        &[
            ("csrf_token", &csrf),
            ("credit_code", &wrong),
            ("name", ""),
            ("kind", "enterprise"),
            ("staff", "-3"),
            ("staffing_quota", "40"),
            ("district", "120102"),
            ("sector", "retail"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["credit_code", "name", "staff", "staffing_quota", "district"] {
        assert!(
            bad.text.contains(&format!("href=\"#{field}\"")),
            "{field}: {}",
            bad.text
        );
    }
    let code = credit_code("91120101MA07C8D9E");
    let good = post_form(
        &app,
        "/employers/new",
        &officer,
        &[
            ("csrf_token", &csrf),
            ("credit_code", &code.to_lowercase()),
            ("name", "天津丙科技有限公司"),
            ("kind", "enterprise"),
            ("staff", "75"),
            ("staffing_quota", ""),
            ("district", "120101"),
            ("sector", "it"),
        ],
    )
    .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.text);
    let page = get_with(&app, good.headers["location"].to_str().unwrap(), &officer).await;
    assert!(
        page.text.contains(&code),
        "the code is normalised to upper case"
    );
    let again = post_form(
        &app,
        "/employers/new",
        &officer,
        &[
            ("csrf_token", &csrf),
            ("credit_code", &code),
            ("name", "重复"),
            ("kind", "enterprise"),
            ("staff", "5"),
            ("district", "120101"),
            ("sector", "it"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text.contains("href=\"#credit_code\""));
}
