//! The graduates' ledger pages (一人一策): a person entered by form from
//! their case, a plan built step by step with contacts, the ledger that
//! shows exactly who needs attention, field errors that write nothing, and
//! scope.

use ablework_app::Actor;
use ablework_app::graduates::{ContactInput, PlanStepInput, StudentInput};
use ablework_app::persons::NewPersonInput;
use axum::http::{StatusCode, header};

use crate::harness::{TestApp, actor, id_number};
use crate::pages::{assert_well_formed, get_with, login, post_form};

crate::on_both_engines!(graduate_pages:
    a_student_is_enrolled_from_their_case_and_followed_by_form,
    the_ledger_shows_exactly_who_has_each_flag,
    bad_graduate_input_gets_field_errors_and_writes_nothing,
    another_districts_officer_finds_no_student,
    graduate_pages_render_in_both_languages,
);

/// The id in a `Location: /graduates/{id}…` header.
fn plan_id(response: &crate::harness::Response) -> i64 {
    let location = response.headers[header::LOCATION].to_str().unwrap();
    location
        .trim_start_matches("/graduates/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("{location}"))
}

fn enrol_form<'a>(csrf: &'a str, person: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", csrf),
        ("person", person),
        ("university", "天津理工大学"),
        ("major", "软件工程"),
        ("degree", "bachelor"),
        ("expected_graduation", "2025-06-30"),
        ("status", "studying"),
        ("counsellor", ""),
    ]
}

#[expect(
    clippy::too_many_lines,
    reason = "one student followed from enrolment to a new status"
)]
async fn a_student_is_enrolled_from_their_case_and_followed_by_form(app: TestApp) {
    let (officer, csrf) = login(&app, "officer").await;
    let person = app.heping[0];
    let case = get_with(&app, &format!("/persons/{person}/case"), &officer).await;
    let enrol_link = format!("/graduates/new?person={person}");
    assert!(case.text.contains(&enrol_link), "a link on the case page");
    let home = get_with(&app, "/", &officer).await;
    assert!(
        home.text.contains("href=\"/graduates\""),
        "in the navigation"
    );
    let form = get_with(&app, &enrol_link, &officer).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("张*"), "the masked name");
    assert!(!form.text.contains("张伟"));

    let person_text = person.to_string();
    let enrolled = post_form(
        &app,
        "/graduates/new",
        &officer,
        &enrol_form(&csrf, &person_text),
    )
    .await;
    assert_eq!(enrolled.status, StatusCode::SEE_OTHER, "{}", enrolled.text);
    let id = plan_id(&enrolled);
    let base = format!("/graduates/{id}");
    let plan = get_with(&app, &base, &officer).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert!(plan.text.contains("天津理工大学") && plan.text.contains("软件工程"));
    assert!(plan.text.contains("尚未制定帮扶计划"));
    assert!(
        plan.text.contains("<dt>帮扶责任人</dt><dd>officer</dd>"),
        "the officer is the counsellor"
    );
    assert!(
        plan.text.contains("<li>未制定帮扶计划</li>")
            && plan.text.contains("<li>30天内未联系</li>"),
        "flagged: no plan and no contact"
    );

    let step = post_form(
        &app,
        &format!("{base}/steps"),
        &officer,
        &[
            ("csrf_token", &csrf),
            ("due_on", "2024-09-01"),
            ("description", "参加秋季残疾人专场招聘会"),
        ],
    )
    .await;
    assert_eq!(step.status, StatusCode::SEE_OTHER, "{}", step.text);
    let plan = get_with(&app, &base, &officer).await;
    assert!(plan.text.contains("参加秋季残疾人专场招聘会"));
    let step_id: String = plan
        .text
        .split(&format!("{base}/steps/"))
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let done = post_form(
        &app,
        &format!("{base}/steps/{step_id}/done"),
        &officer,
        &[("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let again = post_form(
        &app,
        &format!("{base}/steps/{step_id}/done"),
        &officer,
        &[("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(
        again.status,
        StatusCode::SEE_OTHER,
        "pressing twice is harmless"
    );
    let contact = post_form(
        &app,
        &format!("{base}/contacts"),
        &officer,
        &[
            ("csrf_token", &csrf),
            ("contacted_on", "2024-06-28"),
            ("channel", "campus"),
            ("summary", "到校了解实习情况"),
        ],
    )
    .await;
    assert_eq!(contact.status, StatusCode::SEE_OTHER, "{}", contact.text);
    let status = post_form(
        &app,
        &format!("{base}/status"),
        &officer,
        &[("csrf_token", &csrf), ("status", "seeking")],
    )
    .await;
    assert_eq!(status.status, StatusCode::SEE_OTHER, "{}", status.text);

    let plan = get_with(&app, &format!("{base}?lang=en"), &officer).await;
    assert!(plan.text.contains("Done on 2024-06-30"), "done today");
    assert!(plan.text.contains("到校了解实习情况") && plan.text.contains("On campus"));
    assert!(plan.text.contains("<dd>Seeking work</dd>"));
    assert!(plan.text.contains("Nothing needs attention now."));
    assert!(!plan.text.contains("Mark done"), "no step left to do");

    // Entering the person again leads to their plan.
    let again = get_with(&app, &enrol_link, &officer).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(plan_id(&again), id);
    let twice = post_form(
        &app,
        "/graduates/new",
        &officer,
        &enrol_form(&csrf, &person_text),
    )
    .await;
    assert_eq!(twice.status, StatusCode::SEE_OTHER);
    assert_eq!(plan_id(&twice), id);

    let edit = get_with(&app, &format!("{base}/edit"), &officer).await;
    assert_eq!(edit.status, StatusCode::OK);
    let mut changed = enrol_form(&csrf, "");
    changed.retain(|(k, _)| *k != "person");
    changed.push(("major", "计算机科学与技术"));
    changed.retain(|(k, v)| !(*k == "major" && *v == "软件工程"));
    let edited = post_form(&app, &format!("{base}/edit"), &officer, &changed).await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.text);
    assert!(
        get_with(&app, &base, &officer)
            .await
            .text
            .contains("计算机科学与技术")
    );

    assert_eq!(app.audit("graduate.enrol").await.len(), 1);
    assert_eq!(app.audit("graduate.step").await.len(), 1);
    assert_eq!(app.audit("graduate.step.done").await.len(), 1);
    assert_eq!(app.audit("graduate.contact").await.len(), 1);
    assert_eq!(app.audit("graduate.update").await.len(), 2);
}

/// Registers a person of a district as the administrator; returns the id.
async fn person(app: &TestApp, admin: &Actor, name: &str, birth: &str, district: &str) -> i64 {
    let id = id_number(district, birth, "517");
    let input = NewPersonInput {
        name: name.to_owned(),
        certificate_number: format!("{id}42"),
        id_number: id,
        district: district.to_owned(),
        ..NewPersonInput::default()
    };
    app.app.create_person(admin, input).await.unwrap().id
}

/// Enters a person with a plan of `steps` steps and contacts on `contacts`.
async fn student(
    app: &TestApp,
    by: &Actor,
    person: i64,
    graduation: &str,
    status: &str,
    steps: usize,
    contacts: &[&str],
) -> i64 {
    let input = StudentInput {
        university: "南开大学".to_owned(),
        major: "会计学".to_owned(),
        degree: "bachelor".to_owned(),
        expected_graduation: graduation.to_owned(),
        counsellor: String::new(),
        status: status.to_owned(),
    };
    let id = app.app.enrol_student(by, person, &input).await.unwrap().id;
    for n in 0..steps {
        let step = PlanStepInput {
            due_on: "2024-08-01".to_owned(),
            description: format!("步骤 {n}"),
        };
        app.app.add_plan_step(by, id, &step).await.unwrap();
    }
    for day in contacts {
        let contact = ContactInput {
            contacted_on: (*day).to_owned(),
            channel: "phone".to_owned(),
            summary: "电话联系".to_owned(),
        };
        app.app
            .record_student_contact(by, id, &contact)
            .await
            .unwrap();
    }
    id
}

/// Which of the students link from a ledger page, in the order given.
fn listed(text: &str, students: &[i64]) -> Vec<i64> {
    students
        .iter()
        .copied()
        .filter(|id| text.contains(&format!("href=\"/graduates/{id}\"")))
        .collect()
}

#[expect(
    clippy::too_many_lines,
    reason = "one known cohort, read through every flag, scope and the download"
)]
async fn the_ledger_shows_exactly_who_has_each_flag(app: TestApp) {
    // Today is 2024-06-30 for the test application.
    let admin = actor(&app.app, "admin").await;
    let officer = actor(&app.app, "officer").await;
    let third = person(&app, &admin, "赵敏", "20010915", "120101").await;
    let fourth = person(&app, &admin, "钱进", "20000412", "120101").await;
    let fifth = person(&app, &admin, "孙莉", "20020101", "120101").await;
    // Graduated, still seeking work; planned and contacted.
    let jobless = student(
        &app,
        &officer,
        app.heping[0],
        "2024-06-20",
        "seeking",
        1,
        &["2024-06-25"],
    )
    .await;
    // No plan; contacted exactly 30 days ago, which is recent.
    let unplanned = student(
        &app,
        &officer,
        app.heping[1],
        "2024-07-05",
        "studying",
        0,
        &["2024-05-31"],
    )
    .await;
    // Graduating today, so not yet jobless; last contacted 31 days ago.
    let quiet = student(
        &app,
        &officer,
        third,
        "2024-06-30",
        "seeking",
        2,
        &["2024-05-30", "2024-04-01"],
    )
    .await;
    // Graduated into work; nothing to flag.
    let settled = student(
        &app,
        &officer,
        fourth,
        "2024-06-01",
        "employed",
        1,
        &["2024-06-29"],
    )
    .await;
    // Next year's cohort.
    let next_year = student(&app, &officer, fifth, "2025-06-30", "studying", 0, &[]).await;
    // Another district: every flag, but not the officer's.
    let foreign = student(&app, &admin, app.hedong[0], "2024-06-01", "seeking", 0, &[]).await;
    let everyone = [jobless, unplanned, quiet, settled, next_year, foreign];

    let (cookies, _) = login(&app, "officer").await;
    for (flag, expected) in [
        ("all", vec![jobless, unplanned, quiet, settled]),
        ("no_plan", vec![unplanned]),
        ("no_recent_contact", vec![quiet]),
        ("no_job", vec![jobless]),
    ] {
        let page = get_with(
            &app,
            &format!("/graduates?cohort=2024&flag={flag}"),
            &cookies,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{flag}");
        assert_eq!(listed(&page.text, &everyone), expected, "{flag}");
        assert!(page.text.contains("<dt>学生人数</dt><dd>4</dd>"), "{flag}");
    }
    let default = get_with(&app, "/graduates", &cookies).await;
    assert_eq!(
        listed(&default.text, &everyone),
        [jobless, unplanned, quiet, settled],
        "this year's cohort by default"
    );
    assert!(default.text.contains("毕业未就业"), "flags as text");
    assert!(
        default.text.contains("赵*") && !default.text.contains("赵敏"),
        "masked"
    );
    let next = get_with(&app, "/graduates?cohort=2025", &cookies).await;
    assert_eq!(listed(&next.text, &everyone), [next_year]);

    let (admin_cookies, _) = login(&app, "admin").await;
    let city = get_with(&app, "/graduates?cohort=2024&flag=no_plan", &admin_cookies).await;
    assert_eq!(listed(&city.text, &everyone), [unplanned, foreign]);

    let csv = get_with(
        &app,
        "/graduates/ledger.csv?cohort=2024&flag=no_job",
        &cookies,
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert_eq!(
        csv.text.lines().count(),
        2,
        "a header and one student: {}",
        csv.text
    );
    assert!(csv.text.contains("张*") && !csv.text.contains("张伟"));
    let exports = app.audit("graduate.export").await;
    assert_eq!(exports.len(), 1);
    assert_eq!(exports[0].entry.detail["rows"], 1);
}

async fn bad_graduate_input_gets_field_errors_and_writes_nothing(app: TestApp) {
    let (officer, csrf) = login(&app, "officer").await;
    let person = app.heping[0].to_string();
    let bad = post_form(
        &app,
        "/graduates/new",
        &officer,
        &[
            ("csrf_token", &csrf),
            ("person", &person),
            ("university", ""),
            ("major", "软件工程"),
            ("degree", "diploma"),
            ("expected_graduation", "2031-01-01"),
            ("status", "studying"),
            ("counsellor", "nobody"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["university", "degree", "expected_graduation", "counsellor"] {
        assert!(bad.text.contains(&format!("href=\"#{field}\"")), "{field}");
        assert!(
            bad.text.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
    }
    assert!(
        bad.text.contains("value=\"软件工程\""),
        "what was typed is kept"
    );
    assert!(app.audit("graduate.enrol").await.is_empty());
    let ledger = get_with(&app, "/graduates?cohort=2025", &officer).await;
    assert!(!ledger.text.contains("href=\"/graduates/1\""));

    let enrolled = post_form(
        &app,
        "/graduates/new",
        &officer,
        &enrol_form(&csrf, &person),
    )
    .await;
    let base = format!("/graduates/{}", plan_id(&enrolled));
    let long = "很".repeat(201);
    let step = post_form(
        &app,
        &format!("{base}/steps"),
        &officer,
        &[
            ("csrf_token", &csrf),
            ("due_on", "2024-13-01"),
            ("description", &long),
        ],
    )
    .await;
    assert_eq!(step.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(step.text.contains("href=\"#due_on\"") && step.text.contains("href=\"#description\""));
    let contact = post_form(
        &app,
        &format!("{base}/contacts"),
        &officer,
        &[
            ("csrf_token", &csrf),
            ("contacted_on", "2024-07-01"),
            ("channel", "pigeon"),
            ("summary", " "),
        ],
    )
    .await;
    assert_eq!(contact.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["contacted_on", "channel", "summary"] {
        assert!(
            contact.text.contains(&format!("href=\"#{field}\"")),
            "{field}"
        );
    }
    let status = post_form(
        &app,
        &format!("{base}/status"),
        &officer,
        &[("csrf_token", &csrf), ("status", "retired")],
    )
    .await;
    assert_eq!(status.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(status.text.contains("href=\"#status\""));
    let plan = get_with(&app, &base, &officer).await;
    assert!(plan.text.contains("尚未制定帮扶计划") && plan.text.contains("尚无联系记录"));
    assert!(app.audit("graduate.step").await.is_empty());
    assert!(app.audit("graduate.contact").await.is_empty());
    assert!(app.audit("graduate.update").await.is_empty());
}

async fn another_districts_officer_finds_no_student(app: TestApp) {
    let (officer, csrf) = login(&app, "officer").await;
    let person = app.heping[0].to_string();
    let enrolled = post_form(
        &app,
        "/graduates/new",
        &officer,
        &enrol_form(&csrf, &person),
    )
    .await;
    let id = plan_id(&enrolled);
    let base = format!("/graduates/{id}");
    let (other, other_csrf) = login(&app, "officer2").await;
    for path in [
        base.clone(),
        format!("{base}/edit"),
        format!("/graduates/new?person={person}"),
    ] {
        assert_eq!(
            get_with(&app, &path, &other).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let step = post_form(
        &app,
        &format!("{base}/steps"),
        &other,
        &[
            ("csrf_token", &other_csrf),
            ("due_on", "2024-08-01"),
            ("description", "越权"),
        ],
    )
    .await;
    assert_eq!(step.status, StatusCode::NOT_FOUND);
    let enrol = post_form(
        &app,
        "/graduates/new",
        &other,
        &enrol_form(&other_csrf, &person),
    )
    .await;
    assert_eq!(enrol.status, StatusCode::NOT_FOUND);
    let ledger = get_with(&app, "/graduates?cohort=2025", &other).await;
    assert!(!ledger.text.contains(&format!("href=\"{base}\"")));
    assert!(app.audit("graduate.step").await.is_empty());

    let (employer, _) = login(&app, "employer").await;
    assert_eq!(
        get_with(&app, "/graduates", &employer).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        !get_with(&app, "/", &employer)
            .await
            .text
            .contains("href=\"/graduates\"")
    );
    assert_eq!(
        get_with(&app, &base, &employer).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn graduate_pages_render_in_both_languages(app: TestApp) {
    let (officer, csrf) = login(&app, "officer").await;
    let person = app.heping[0].to_string();
    let enrolled = post_form(
        &app,
        "/graduates/new",
        &officer,
        &enrol_form(&csrf, &person),
    )
    .await;
    let id = plan_id(&enrolled);
    let new_person = app.heping[1];
    for (lang, tag, title) in [("zh", "zh-CN", "毕业生台账"), ("en", "en", "Graduates")] {
        for path in [
            format!("/graduates?cohort=2025&lang={lang}"),
            format!("/graduates/{id}?lang={lang}"),
            format!("/graduates/{id}/edit?lang={lang}"),
            format!("/graduates/new?person={new_person}&lang={lang}"),
        ] {
            let page = get_with(&app, &path, &officer).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert_well_formed(&page.text, tag);
        }
        let ledger = get_with(
            &app,
            &format!("/graduates?cohort=2025&lang={lang}"),
            &officer,
        )
        .await;
        assert!(ledger.text.contains(title), "{lang}");
        assert!(
            ledger.text.contains("<caption>"),
            "{lang}: a table with a caption"
        );
        assert!(
            ledger.text.contains("<label for=\"cohort\">"),
            "{lang}: labelled filters"
        );
    }
}
