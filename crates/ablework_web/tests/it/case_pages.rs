//! The "four ones" pages: a case recorded step by step by form, a
//! supervisor's approval, field errors that write nothing, consents given
//! and withdrawn by the person, and the work queues.

use axum::http::StatusCode;

use crate::harness::TestApp;
use crate::pages::{assert_well_formed, get_with, login, post_form};

crate::on_both_engines!(case_pages:
    the_four_steps_are_recorded_by_form_and_approved_by_another_officer,
    bad_case_input_gets_field_errors_and_writes_nothing,
    a_seeker_gives_and_withdraws_consent_on_their_own_case_only,
    case_pages_render_in_both_languages,
    an_outcome_counts_as_new_employment_once_and_is_followed_up,
    a_record_is_deactivated_and_restored_with_a_reason,
    people_are_found_by_name_fragment_certificate_and_last_four,
    a_seeker_keeps_their_contact_details_and_preferences_up_to_date,
);

fn queue_lists(text: &str, person: i64) -> bool {
    text.contains(&format!("/persons/{person}/case#"))
}

#[expect(
    clippy::too_many_lines,
    reason = "the whole service for one person, step by step"
)]
async fn the_four_steps_are_recorded_by_form_and_approved_by_another_officer(app: TestApp) {
    let (officer, csrf) = login(&app, "officer").await;
    let person = app.heping[0];
    let other = app.heping[1];
    let base = format!("/persons/{person}/case");
    let queue = get_with(&app, "/queues?step=check", &officer).await;
    assert!(queue_lists(&queue.text, person) && queue_lists(&queue.text, other));
    assert!(
        !queue_lists(&queue.text, app.hedong[0]),
        "another district's person"
    );

    let check = post_form(
        &app,
        &format!("{base}/check"),
        &officer,
        &[
            ("csrf_token", &csrf),
            ("checked_on", "2024-06-01"),
            ("fields", "identity"),
            ("fields", "address"),
            ("source", "in_person"),
            ("note", "核对户籍"),
        ],
    )
    .await;
    assert_eq!(check.status, StatusCode::SEE_OTHER, "{}", check.text);
    let mut assessment = vec![
        ("csrf_token", csrf.as_str()),
        ("assessed_on", "2024-06-02"),
        ("capacity", "full_time"),
        ("skills", "会计"),
        ("forms", "quota"),
        ("accommodations", "step_free"),
        ("languages", "sign_language"),
    ];
    for function in [
        "mobility",
        "vision",
        "hearing",
        "speech",
        "fine_motor",
        "cognition",
        "stamina",
    ] {
        assessment.push((
            match function {
                "mobility" => "function_mobility",
                "vision" => "function_vision",
                "hearing" => "function_hearing",
                "speech" => "function_speech",
                "fine_motor" => "function_fine_motor",
                "cognition" => "function_cognition",
                _ => "function_stamina",
            },
            if function == "mobility" {
                "severe"
            } else {
                "none"
            },
        ));
    }
    let assessed = post_form(&app, &format!("{base}/assessment"), &officer, &assessment).await;
    assert_eq!(assessed.status, StatusCode::SEE_OTHER, "{}", assessed.text);
    let need = post_form(
        &app,
        &format!("{base}/need"),
        &officer,
        &[
            ("csrf_token", &csrf),
            ("registered_on", "2024-06-03"),
            ("occupations", "会计"),
            ("form", "quota"),
            ("hours", "full_time"),
            ("districts", "120101"),
            ("districts", "120103"),
            ("commute_minutes", "45"),
            ("wage_expectation", "4500"),
            ("accommodations", "step_free"),
            ("willing_to_train", "on"),
        ],
    )
    .await;
    assert_eq!(need.status, StatusCode::SEE_OTHER, "{}", need.text);
    let service = post_form(
        &app,
        &format!("{base}/service"),
        &officer,
        &[
            ("csrf_token", &csrf),
            ("kind", "job_recommendation"),
            ("served_on", "2024-06-04"),
            ("result", "pending"),
            ("note", ""),
        ],
    )
    .await;
    assert_eq!(service.status, StatusCode::SEE_OTHER, "{}", service.text);

    // The assessment waits; its author cannot approve it.
    let case = get_with(&app, &base, &officer).await;
    assert!(case.text.contains("待审核"), "waiting for approval");
    let id: String = case
        .text
        .split("/assessments/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let review = format!("/assessments/{id}/review");
    let own = post_form(
        &app,
        &review,
        &officer,
        &[
            ("csrf_token", &csrf),
            ("decision", "approve"),
            ("note", ""),
            ("person", &person.to_string()),
        ],
    )
    .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.text.contains("href=\"#note\""));
    let queue = get_with(&app, "/queues?step=assessment", &officer).await;
    assert!(
        queue_lists(&queue.text, person),
        "not approved yet, so still lacking"
    );

    let record = get_with(&app, &format!("/persons/{person}"), &officer).await;
    assert!(
        record.text.contains("尚无已批准的职业能力评估"),
        "a waiting assessment is not yet the record's profile"
    );

    let (admin, admin_csrf) = login(&app, "admin").await;
    let waiting = get_with(&app, "/assessments", &admin).await;
    assert!(
        waiting
            .text
            .contains(&format!("/persons/{person}/case#assessment"))
    );
    let approved = post_form(
        &app,
        &review,
        &admin,
        &[
            ("csrf_token", &admin_csrf),
            ("decision", "approve"),
            ("note", "同意"),
            ("person", &person.to_string()),
        ],
    )
    .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.text);

    let record = get_with(&app, &format!("/persons/{person}?lang=en"), &officer).await;
    assert!(
        record.text.contains("<dd>会计</dd>")
            && record.text.contains("<dd>Chinese Sign Language</dd>")
            && record.text.contains("<dd>Step-free access</dd>")
            && record.text.contains("<dd>2024-06-02</dd>"),
        "the approved assessment's skills, languages and accommodations show on the record: {}",
        record.text
    );
    let case = get_with(&app, &format!("{base}?lang=en"), &officer).await;
    assert!(case.text.contains("Done: 4 / 4"), "{}", case.text);
    assert!(case.text.contains("Reviewed by admin"));
    for step in ["check", "assessment", "need", "service"] {
        let queue = get_with(&app, &format!("/queues?step={step}"), &officer).await;
        assert!(!queue_lists(&queue.text, person), "{step} is done");
        assert!(
            queue_lists(&queue.text, other),
            "{step} still lacking for the other person"
        );
    }
    assert_eq!(app.audit("case.assessment.approve").await.len(), 1);
}

async fn bad_case_input_gets_field_errors_and_writes_nothing(app: TestApp) {
    let (officer, csrf) = login(&app, "officer").await;
    let base = format!("/persons/{}/case", app.heping[0]);
    let check = post_form(
        &app,
        &format!("{base}/check"),
        &officer,
        &[
            ("csrf_token", &csrf),
            ("checked_on", "2030-01-01"),
            ("source", "telepathy"),
        ],
    )
    .await;
    assert_eq!(check.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["checked_on", "fields", "source"] {
        assert!(
            check.text.contains(&format!("href=\"#{field}\"")),
            "{field}"
        );
    }
    let assessment = post_form(
        &app,
        &format!("{base}/assessment"),
        &officer,
        &[("csrf_token", &csrf), ("assessed_on", "2024-06-02")],
    )
    .await;
    assert_eq!(assessment.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        assessment.text.contains("href=\"#function_mobility\"")
            && assessment.text.contains("href=\"#capacity\"")
    );
    let need = post_form(
        &app,
        &format!("{base}/need"),
        &officer,
        &[
            ("csrf_token", &csrf),
            ("registered_on", "2024-06-03"),
            ("occupations", ""),
            ("hours", "full_time"),
            ("commute_minutes", "9999"),
        ],
    )
    .await;
    assert_eq!(need.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        need.text.contains("href=\"#occupations\"")
            && need.text.contains("href=\"#commute_minutes\"")
    );
    let case = get_with(&app, &base, &officer).await;
    assert_eq!(
        case.text.matches("尚无记录").count(),
        5,
        "nothing was written: four steps and the outcomes"
    );
    // Another district's person is out of reach.
    let (officer2, csrf2) = login(&app, "officer2").await;
    let foreign = post_form(
        &app,
        &format!("{base}/service"),
        &officer2,
        &[
            ("csrf_token", &csrf2),
            ("kind", "policy_advice"),
            ("served_on", "2024-06-04"),
            ("result", "completed"),
        ],
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}

async fn a_seeker_gives_and_withdraws_consent_on_their_own_case_only(app: TestApp) {
    let (seeker, csrf) = login(&app, "seeker").await;
    let own = format!("/persons/{}/case", app.heping[0]);
    let page = get_with(&app, &own, &seeker).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.text.contains("/case/check\""),
        "a seeker adds no case records"
    );
    let given = post_form(
        &app,
        &format!("{own}/consent"),
        &seeker,
        &[
            ("csrf_token", &csrf),
            ("purpose", "matching"),
            ("given", "yes"),
        ],
    )
    .await;
    assert_eq!(given.status, StatusCode::SEE_OTHER, "{}", given.text);
    let page = get_with(&app, &format!("{own}?lang=en"), &seeker).await;
    assert!(page.text.contains("Given on") && page.text.contains("by the person"));
    let withdrawn = post_form(
        &app,
        &format!("{own}/consent"),
        &seeker,
        &[
            ("csrf_token", &csrf),
            ("purpose", "matching"),
            ("given", "no"),
        ],
    )
    .await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    let page = get_with(&app, &format!("{own}?lang=en"), &seeker).await;
    assert!(page.text.contains("Withdrawn on"));
    let other = format!("/persons/{}/case", app.heping[1]);
    assert_eq!(
        get_with(&app, &other, &seeker).await.status,
        StatusCode::NOT_FOUND
    );
    let foreign = post_form(
        &app,
        &format!("{other}/consent"),
        &seeker,
        &[
            ("csrf_token", &csrf),
            ("purpose", "matching"),
            ("given", "yes"),
        ],
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit("case.consent.give").await.len(), 1);
    assert_eq!(app.audit("case.consent.withdraw").await.len(), 1);
}

async fn case_pages_render_in_both_languages(app: TestApp) {
    let (officer, _) = login(&app, "officer").await;
    let person = app.heping[0];
    for lang in ["zh", "en"] {
        for path in [
            format!("/persons/{person}/case"),
            format!("/persons/{person}/case/check"),
            format!("/persons/{person}/case/assessment"),
            format!("/persons/{person}/case/need"),
            format!("/persons/{person}/case/service"),
            "/queues".to_owned(),
            "/queues?step=service".to_owned(),
            "/assessments".to_owned(),
        ] {
            let separator = if path.contains('?') { '&' } else { '?' };
            let page = get_with(&app, &format!("{path}{separator}lang={lang}"), &officer).await;
            assert_eq!(page.status, StatusCode::OK, "{path} {lang}");
            assert_well_formed(&page.text, if lang == "zh" { "zh-CN" } else { "en" });
        }
    }
    let (seeker, _) = login(&app, "seeker").await;
    assert_eq!(
        get_with(&app, "/queues", &seeker).await.status,
        StatusCode::FORBIDDEN
    );
}

#[expect(
    clippy::too_many_lines,
    reason = "an outcome from the form to the dashboard and its follow-up"
)]
async fn an_outcome_counts_as_new_employment_once_and_is_followed_up(app: TestApp) {
    let (officer, csrf) = login(&app, "officer").await;
    let person = app.heping[0];
    let path = format!("/persons/{person}/case/outcome");
    let bad = post_form(
        &app,
        &path,
        &officer,
        &[
            ("csrf_token", &csrf),
            ("started_on", "2024-13-01"),
            ("form", "quota"),
            ("measure", "m99"),
            ("employer", "91120101MA05L3XK0Z"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["started_on", "measure", "employer"] {
        assert!(bad.text.contains(&format!("href=\"#{field}\"")), "{field}");
    }
    let token = app.token("officer").await;
    let before = app.get("/api/v1/progress", Some(&token)).await.json();
    assert_eq!(before["achieved"], 0);
    for started_on in ["2024-02-01", "2024-03-01"] {
        let saved = post_form(
            &app,
            &path,
            &officer,
            &[
                ("csrf_token", &csrf),
                ("started_on", started_on),
                ("form", "quota"),
                ("measure", "m09_service"),
                ("contract_months", "24"),
                ("monthly_wage", "4200"),
                ("insured", "yes"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    }
    let after = app.get("/api/v1/progress", Some(&token)).await.json();
    assert_eq!(after["achieved"], 1, "twice in one year counts once");
    let year = after["by_year"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2024)
        .unwrap()
        .clone();
    assert_eq!(year["achieved"], 1);
    let measure = after["by_measure"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == "m09_service")
        .unwrap()
        .clone();
    assert_eq!(measure["achieved"], 1);
    let district = after["by_district"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "120101")
        .unwrap()
        .clone();
    assert_eq!(district["achieved"], 1);

    let case = get_with(&app, &format!("/persons/{person}/case?lang=en"), &officer).await;
    assert!(case.text.contains("Started work") && case.text.contains("Contract (months): 24"));
    let outcome: String = case
        .text
        .split("/case/outcomes/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let follow = format!("/persons/{person}/case/outcomes/{outcome}/follow-up");
    let early = post_form(
        &app,
        &follow,
        &officer,
        &[
            ("csrf_token", &csrf),
            ("fu_after_months", "3"),
            ("fu_checked_on", "2024-01-01"),
            ("fu_still_employed", "yes"),
        ],
    )
    .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early.text.contains("href=\"#fu_checked_on\""),
        "a follow-up before the start"
    );
    let done = post_form(
        &app,
        &follow,
        &officer,
        &[
            ("csrf_token", &csrf),
            ("fu_after_months", "3"),
            ("fu_checked_on", "2024-06-29"),
            ("fu_still_employed", "no"),
            ("fu_note", "合同提前解除"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let case = get_with(&app, &format!("/persons/{person}/case?lang=en"), &officer).await;
    assert!(case.text.contains("still employed: No"));
    assert!(case.text.contains("Ended on: 2024-06-29"));
    assert_eq!(app.audit("outcome.record").await.len(), 2);
}

async fn a_record_is_deactivated_and_restored_with_a_reason(app: TestApp) {
    let (officer, csrf) = login(&app, "officer").await;
    let path = format!("/persons/{}/active", app.heping[1]);
    let bare = post_form(
        &app,
        &path,
        &officer,
        &[
            ("csrf_token", &csrf),
            ("active", "no"),
            ("status_reason", ""),
        ],
    )
    .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.text.contains("href=\"#status_reason\""));
    let done = post_form(
        &app,
        &path,
        &officer,
        &[
            ("csrf_token", &csrf),
            ("active", "no"),
            ("status_reason", "已迁出本市"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let page = get_with(
        &app,
        &format!("/persons/{}?lang=en", app.heping[1]),
        &officer,
    )
    .await;
    assert!(page.text.contains("Restore this record"));
    assert!(
        page.text.contains("History of this record") && page.text.contains("Deactivated"),
        "the change is in the record's history"
    );
    let queue = get_with(&app, "/queues?step=check", &officer).await;
    assert!(
        !queue_lists(&queue.text, app.heping[1]),
        "inactive records leave the queues"
    );
    let back = post_form(
        &app,
        &path,
        &officer,
        &[
            ("csrf_token", &csrf),
            ("active", "yes"),
            ("status_reason", "登记有误，恢复"),
        ],
    )
    .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(app.audit("person.deactivate").await.len(), 1);
}

async fn people_are_found_by_name_fragment_certificate_and_last_four(app: TestApp) {
    let token = app.token("officer").await;
    let names = |answer: serde_json::Value| -> Vec<String> {
        answer["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name_masked"].as_str().unwrap().to_owned())
            .collect()
    };
    let find = |q: &str| {
        format!(
            "/api/v1/persons?q={}",
            form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        )
    };
    assert_eq!(
        names(app.get(&find("伟"), Some(&token)).await.json()),
        ["张*"]
    );
    assert_eq!(
        names(app.get(&find("张伟"), Some(&token)).await.json()),
        ["张*"]
    );
    assert!(names(app.get(&find("伟张"), Some(&token)).await.json()).is_empty());
    let id = crate::harness::id_number("120101", "19851120", "244");
    assert_eq!(
        names(app.get(&find(&id[14..]), Some(&token)).await.json()),
        ["王*"],
        "last four"
    );
    assert_eq!(
        names(
            app.get(&find(&format!("{id}42")), Some(&token))
                .await
                .json()
        ),
        ["王*"],
        "certificate"
    );
    let hedong = crate::harness::id_number("120102", "19780601", "322");
    assert!(
        names(app.get(&find(&hedong[14..]), Some(&token)).await.json()).is_empty(),
        "another district"
    );
    // A changed name is found by its new name only.
    let admin = app.token("admin").await;
    let patched = app
        .send(
            axum::http::Request::patch(format!("/api/v1/persons/{}", app.heping[0]))
                .header("authorization", format!("Bearer {admin}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(r#"{"name":"欧阳伟明"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    assert_eq!(
        names(app.get(&find("欧阳"), Some(&token)).await.json()),
        ["欧***"]
    );
    assert!(names(app.get(&find("张伟"), Some(&token)).await.json()).is_empty());
}

async fn a_seeker_keeps_their_contact_details_and_preferences_up_to_date(app: TestApp) {
    let (seeker, csrf) = login(&app, "seeker").await;
    let own = app.heping[0];
    let form = get_with(&app, &format!("/persons/{own}/contact"), &seeker).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_well_formed(&form.text, "zh-CN");
    let bad = post_form(
        &app,
        &format!("/persons/{own}/contact"),
        &seeker,
        &[
            ("csrf_token", &csrf),
            ("phone", "12345"),
            ("street", "劝业场街道"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("href=\"#phone\""));
    let saved = post_form(
        &app,
        &format!("/persons/{own}/contact"),
        &seeker,
        &[
            ("csrf_token", &csrf),
            ("phone", "13998765432"),
            ("street", "小白楼街道"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let page = get_with(&app, &format!("/persons/{own}"), &seeker).await;
    assert!(
        page.text.contains("小白楼街道") && page.text.contains("5432"),
        "the new street and the phone's last digits"
    );
    assert!(!page.text.contains("13998765432"), "the phone is masked");
    let other = post_form(
        &app,
        &format!("/persons/{}/contact", app.heping[1]),
        &seeker,
        &[("csrf_token", &csrf), ("phone", "13998765432")],
    )
    .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    let need = post_form(
        &app,
        &format!("/persons/{own}/case/need"),
        &seeker,
        &[
            ("csrf_token", &csrf),
            ("registered_on", "2024-06-20"),
            ("occupations", "数据录入"),
            ("hours", "part_time"),
            ("accommodations", "remote_work"),
        ],
    )
    .await;
    assert_eq!(need.status, StatusCode::SEE_OTHER, "{}", need.text);
    let case = get_with(&app, &format!("/persons/{own}/case?lang=en"), &seeker).await;
    assert!(case.text.contains("数据录入") && case.text.contains("Working from home"));
    assert_eq!(
        get_with(&app, &format!("/persons/{own}/case/check"), &seeker)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
