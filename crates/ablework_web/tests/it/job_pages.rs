//! Job postings, by page and by API: posted, changed, closed and reopened
//! by each role that may; read by seekers and institutions only while open;
//! scope (an employer sees only its own, an officer only its district's
//! employers); field errors that save nothing; pages in both languages.

use ablework_app::auth::NewUserInput;
use ablework_app::employers::EmployerInput;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::harness::{PASSWORD, Response, TestApp, actor};
use crate::pages::{assert_well_formed, get_with, login, post_form};

crate::on_both_engines!(job_pages:
    an_employer_posts_changes_closes_and_reopens_by_form,
    officers_and_the_administrator_post_for_employers_in_scope,
    scope_keeps_other_employers_and_districts_out,
    bad_postings_get_field_errors_and_save_nothing,
    the_api_lists_creates_reads_and_patches,
    the_list_filters_sorts_and_says_how_many,
    job_pages_render_in_both_languages,
);

pub(crate) fn credit_code(first17: &str) -> String {
    let check = ablework_domain::ident::credit_code_check_char(first17).unwrap();
    format!("{first17}{check}")
}

/// Registers an employer as the administrator, with an HR account; its id.
pub(crate) async fn employer(
    app: &TestApp,
    first17: &str,
    name: &str,
    district: &str,
    hr: &str,
) -> i64 {
    let admin = actor(&app.app, "admin").await;
    let input = EmployerInput {
        credit_code: credit_code(first17),
        name: name.to_owned(),
        kind: "enterprise".to_owned(),
        is_school: false,
        staffing_quota: None,
        staff: "120".to_owned(),
        district: district.to_owned(),
        sector: "retail".to_owned(),
        state_owned: false,
    };
    let id = app.app.create_employer(&admin, &input).await.unwrap().id;
    let account = NewUserInput {
        username: hr.to_owned(),
        password: PASSWORD.to_owned(),
        role: "employer".to_owned(),
        district: None,
        organisation_id: Some(id),
        person_id: None,
    };
    app.app.create_user(None, account).await.unwrap();
    id
}

/// 天津甲商贸 in 和平区 (HR `hr-a`) and 天津乙物流 in 河东区 (HR `hr-b`).
async fn two_employers(app: &TestApp) -> (i64, i64) {
    let a = employer(
        app,
        "91120101MA05L3XK0",
        "天津甲商贸有限公司",
        "120101",
        "hr-a",
    )
    .await;
    let b = employer(
        app,
        "91120102MA06A1B2C",
        "天津乙物流有限公司",
        "120102",
        "hr-b",
    )
    .await;
    (a, b)
}

/// A good posting form.
fn form<'a>(csrf: &'a str, title: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", csrf),
        ("title", title),
        ("occupation", "41"),
        ("district", "120101"),
        ("address", "和平区南京路 100 号"),
        ("remote_possible", "on"),
        ("hours", "part_time"),
        ("monthly_wage", "4200"),
        ("education_required", "senior_secondary"),
        ("skills", "打字、Excel"),
        ("demand_fine_motor", "frequent"),
        ("demand_vision", "occasional"),
        ("demand_standing", ""),
        ("accommodations", "screen_reader"),
        ("accommodations", "flexible_hours"),
        ("reserved_for_disabled", "on"),
        ("posts", "2"),
    ]
}

/// The id in a `Location: /jobs/{id}…` header.
fn job_id(response: &Response) -> i64 {
    let location = response.headers[header::LOCATION].to_str().unwrap();
    location
        .trim_start_matches("/jobs/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("{location}"))
}

async fn send_json(app: &TestApp, method: &str, path: &str, token: &str, body: &Value) -> Response {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

fn good_body(employer_id: Option<i64>) -> Value {
    let mut body = json!({
        "title": "仓库理货员",
        "occupation": "43",
        "district": "河东区",
        "address": "河东区十一经路 8 号",
        "hours": "full_time",
        "monthly_wage": 4800,
        "skills": ["仓储管理系统"],
        "demands": [{"demand": "walking", "level": "frequent"}, {"demand": "lifting", "level": "occasional"}],
        "accommodations": ["step_free", "written_instructions"],
        "reserved_for_disabled": true,
        "posts": 3
    });
    if let Some(id) = employer_id {
        body["employer_id"] = json!(id);
    }
    body
}

#[expect(
    clippy::too_many_lines,
    reason = "one posting followed from the form to closed and reopened"
)]
async fn an_employer_posts_changes_closes_and_reopens_by_form(app: TestApp) {
    let (a, _) = two_employers(&app).await;
    let (hr, csrf) = login(&app, "hr-a").await;
    let home = get_with(&app, "/", &hr).await;
    assert!(home.text.contains("href=\"/jobs\""), "in the navigation");
    let list = get_with(&app, "/jobs", &hr).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.text.contains("目前还没有岗位"),
        "a helpful empty state"
    );
    assert!(list.text.contains("href=\"/jobs/new\""));
    let blank = get_with(&app, "/jobs/new", &hr).await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(
        !blank.text.contains("id=\"employer_id\""),
        "an employer posts for itself"
    );

    let posted = post_form(&app, "/jobs/new", &hr, &form(&csrf, "数据录入员")).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let id = job_id(&posted);
    let page = get_with(&app, &format!("/jobs/{id}"), &hr).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "数据录入员",
        "天津甲商贸有限公司",
        "41 通用办事员和键盘操作员",
        "和平区南京路 100 号",
        "4,200 元/月",
        "<dt>精细手部操作</dt><dd>经常</dd>",
        "<dt>精细视觉工作</dt><dd>偶尔</dd>",
        "<li>读屏或放大软件</li>",
        "<li>弹性工作时间</li>",
        "<li>打字</li>",
        "<li>Excel</li>",
        "招聘中",
    ] {
        assert!(page.text.contains(text), "{text} on the page");
    }
    assert!(
        !page.text.contains("长时间站立"),
        "a demand not required is not listed"
    );
    let record = app
        .app
        .posting(&actor(&app.app, "hr-a").await, id)
        .await
        .unwrap();
    assert_eq!(record.fields.employer_id, a);
    assert_eq!(record.to_job().demands.len(), 2);

    let edit = get_with(&app, &format!("/jobs/{id}/edit"), &hr).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(
        edit.text.contains("id=\"demand_fine_motor-frequent\" name=\"demand_fine_motor\" type=\"radio\" value=\"frequent\" checked"),
        "the form shows the stored level"
    );
    let mut changed = form(&csrf, "数据录入专员");
    changed.retain(|(k, _)| *k != "demand_vision" && *k != "monthly_wage");
    changed.push(("monthly_wage", "4500"));
    let edited = post_form(&app, &format!("/jobs/{id}/edit"), &hr, &changed).await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.text);
    let page = get_with(&app, &format!("/jobs/{id}?lang=en"), &hr).await;
    assert!(page.text.contains("数据录入专员"));
    assert!(page.text.contains("CNY 4,500 a month"));
    assert!(
        page.text
            .contains("<dt>Fine hand work</dt><dd>Frequent</dd>")
    );
    assert!(!page.text.contains("Fine visual work"));

    let closed = post_form(
        &app,
        &format!("/jobs/{id}/open"),
        &hr,
        &[("csrf_token", &csrf), ("open", "0")],
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    // The session remembers English from above; ask for Chinese again.
    let page = get_with(&app, &format!("/jobs/{id}?lang=zh"), &hr).await;
    assert!(page.text.contains("已停止招聘") && page.text.contains("重新开放招聘"));
    let (seeker, _) = login(&app, "seeker").await;
    assert_eq!(
        get_with(&app, &format!("/jobs/{id}"), &seeker).await.status,
        StatusCode::NOT_FOUND,
        "seekers see open postings only"
    );
    let reopened = post_form(
        &app,
        &format!("/jobs/{id}/open"),
        &hr,
        &[("csrf_token", &csrf), ("open", "1")],
    )
    .await;
    assert_eq!(reopened.status, StatusCode::SEE_OTHER);
    let seen = get_with(&app, &format!("/jobs/{id}"), &seeker).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.text.contains("/open\""), "a seeker cannot close it");
    let (institution, institution_csrf) = login(&app, "institution").await;
    assert_eq!(
        get_with(&app, &format!("/jobs/{id}"), &institution)
            .await
            .status,
        StatusCode::OK
    );
    let refused = post_form(
        &app,
        &format!("/jobs/{id}/open"),
        &institution,
        &[("csrf_token", &institution_csrf), ("open", "0")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let no_csrf = post_form(&app, &format!("/jobs/{id}/open"), &hr, &[("open", "0")]).await;
    assert!(no_csrf.status.is_client_error(), "CSRF is checked");

    assert_eq!(app.audit("job.create").await.len(), 1);
    assert_eq!(app.audit("job.update").await.len(), 1);
    assert_eq!(app.audit("job.close").await.len(), 1);
    assert_eq!(app.audit("job.reopen").await.len(), 1);
}

async fn officers_and_the_administrator_post_for_employers_in_scope(app: TestApp) {
    let (a, b) = two_employers(&app).await;
    let (officer, csrf) = login(&app, "officer").await;
    let blank = get_with(&app, &format!("/jobs/new?employer={a}"), &officer).await;
    assert!(
        blank.text.contains(&format!("name=\"employer_id\" type=\"text\" inputmode=\"numeric\" class=\"input--short\" value=\"{a}\"")),
        "the employer comes from the link"
    );
    let a_text = a.to_string();
    let mut own = form(&csrf, "收银员");
    own.push(("employer_id", &a_text));
    let posted = post_form(&app, "/jobs/new", &officer, &own).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let b_text = b.to_string();
    let mut other = form(&csrf, "收银员");
    other.push(("employer_id", &b_text));
    let refused = post_form(&app, "/jobs/new", &officer, &other).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("href=\"#employer_id\""));

    let (admin, admin_csrf) = login(&app, "admin").await;
    let mut any = form(&admin_csrf, "客服专员");
    any.push(("employer_id", &b_text));
    let posted = post_form(&app, "/jobs/new", &admin, &any).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let id = job_id(&posted);
    let closed = post_form(
        &app,
        &format!("/jobs/{id}/open"),
        &admin,
        &[("csrf_token", &admin_csrf), ("open", "0")],
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.audit("job.create").await.len(), 2);
}

#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
async fn scope_keeps_other_employers_and_districts_out(app: TestApp) {
    let (_, b) = two_employers(&app).await;
    let (hr_b, csrf_b) = login(&app, "hr-b").await;
    let posted = post_form(&app, "/jobs/new", &hr_b, &form(&csrf_b, "快递分拣员")).await;
    let id = job_id(&posted);
    let (hr_a, csrf_a) = login(&app, "hr-a").await;
    // An open posting is public: another employer reads it, and nothing
    // more (no changes, no candidates, no applications).
    let seen = get_with(&app, &format!("/jobs/{id}"), &hr_a).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(
        !seen.text.contains(&format!("/jobs/{id}/edit")),
        "no edit link"
    );
    assert!(!seen.text.contains("id=\"candidates"), "no candidates");
    assert_eq!(
        get_with(&app, &format!("/jobs/{id}/edit"), &hr_a)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let edit = post_form(
        &app,
        &format!("/jobs/{id}/edit"),
        &hr_a,
        &form(&csrf_a, "改名"),
    )
    .await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    let close = post_form(
        &app,
        &format!("/jobs/{id}/open"),
        &hr_a,
        &[("csrf_token", &csrf_a), ("open", "0")],
    )
    .await;
    assert_eq!(close.status, StatusCode::NOT_FOUND);
    assert!(
        !get_with(&app, "/jobs", &hr_a)
            .await
            .text
            .contains("快递分拣员")
    );

    // 和平区's officer reads 河东区's employer's open posting but cannot
    // change it, nor list it among their district's; 河东区's officer does.
    let (officer, officer_csrf) = login(&app, "officer").await;
    assert_eq!(
        get_with(&app, &format!("/jobs/{id}"), &officer)
            .await
            .status,
        StatusCode::OK
    );
    let close = post_form(
        &app,
        &format!("/jobs/{id}/open"),
        &officer,
        &[("csrf_token", &officer_csrf), ("open", "0")],
    )
    .await;
    assert_eq!(close.status, StatusCode::NOT_FOUND);
    let (officer2, _) = login(&app, "officer2").await;
    let list = get_with(&app, "/jobs", &officer2).await;
    assert!(list.text.contains("快递分拣员"));
    let token = app.token("officer").await;
    assert_eq!(
        app.get(&format!("/api/v1/jobs/{id}"), Some(&token))
            .await
            .status,
        StatusCode::OK
    );
    let patched = send_json(
        &app,
        "PATCH",
        &format!("/api/v1/jobs/{id}"),
        &token,
        &json!({"open": false}),
    )
    .await;
    assert_eq!(patched.status, StatusCode::NOT_FOUND);
    let record = app
        .app
        .posting(&actor(&app.app, "admin").await, id)
        .await
        .unwrap();
    assert!(
        record.open && record.fields.title == "快递分拣员",
        "untouched"
    );
    assert_eq!(record.fields.employer_id, b);
    assert!(app.audit("job.update").await.is_empty());
    assert!(app.audit("job.close").await.is_empty());
    // Closed, it is out of their reach again.
    let closed = post_form(
        &app,
        &format!("/jobs/{id}/open"),
        &hr_b,
        &[("csrf_token", &csrf_b), ("open", "0")],
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    for reader in [&hr_a, &officer] {
        assert_eq!(
            get_with(&app, &format!("/jobs/{id}"), reader).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "every kind of bad value, by form, by API and on a change"
)]
async fn bad_postings_get_field_errors_and_save_nothing(app: TestApp) {
    let (a, _) = two_employers(&app).await;
    let (hr, csrf) = login(&app, "hr-a").await;
    let mut bad = form(&csrf, "");
    bad.retain(|(k, _)| !matches!(*k, "monthly_wage" | "posts"));
    bad.extend([
        ("monthly_wage", "-100"),
        ("posts", "0"),
        ("accommodations", "jetpack"),
        ("demand_vision", "always"),
    ]);
    bad.retain(|(k, v)| !(*k == "demand_vision" && *v == "occasional"));
    let refused = post_form(&app, "/jobs/new", &hr, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for anchor in [
        "#title",
        "#monthly_wage",
        "#posts",
        "#accommodations",
        "#demand_vision",
    ] {
        assert!(
            refused.text.contains(&format!("href=\"{anchor}\"")),
            "the summary links to {anchor}"
        );
    }
    assert!(refused.text.contains("不能为负数"));
    assert!(refused.text.contains("“jetpack”不是目录中的便利措施"));
    assert!(
        refused.text.contains(
            "id=\"demand_vision\" tabindex=\"-1\" aria-describedby=\"demand_vision-error\""
        ),
        "the fieldset can take focus"
    );
    assert!(
        refused.text.contains("value=\"-100\""),
        "what was typed is kept"
    );
    assert_well_formed(&refused.text, "zh-CN");

    let token = app.token("hr-a").await;
    let mut body = good_body(None);
    body["demands"] = json!([{"demand": "juggling", "level": "frequent"}]);
    body["monthly_wage"] = json!(-1);
    body["posts"] = json!(0);
    let api = send_json(&app, "POST", "/api/v1/jobs", &token, &body).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.text);
    let fields: Vec<(String, String)> = api.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("demands", "unknown_demand"),
        ("monthly_wage", "negative"),
        ("posts", "out_of_range"),
    ] {
        assert!(
            fields.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {fields:?}"
        );
    }
    assert!(app.audit("job.create").await.is_empty(), "nothing saved");
    let admin = actor(&app.app, "admin").await;
    let all = ablework_app::postings::PostingQuery {
        status: "all".to_owned(),
        page: 1,
        per_page: 20,
        ..Default::default()
    };
    assert_eq!(
        app.app
            .list_postings(&admin, &all)
            .await
            .unwrap()
            .postings
            .total,
        0
    );

    // A change with a bad value saves nothing either.
    let good = send_json(&app, "POST", "/api/v1/jobs", &token, &good_body(None)).await;
    assert_eq!(good.status, StatusCode::CREATED, "{}", good.text);
    let id = good.json()["id"].as_i64().unwrap();
    assert_eq!(good.json()["employer_id"], a);
    let patched = send_json(
        &app,
        "PATCH",
        &format!("/api/v1/jobs/{id}"),
        &token,
        &json!({"monthly_wage": "-5", "accommodations": ["teleporter"], "open": false}),
    )
    .await;
    assert_eq!(patched.status, StatusCode::UNPROCESSABLE_ENTITY);
    let now = app
        .get(&format!("/api/v1/jobs/{id}"), Some(&token))
        .await
        .json();
    assert_eq!(now["monthly_wage"], 4800);
    assert_eq!(now["open"], true);
    assert!(app.audit("job.update").await.is_empty());
}

async fn the_api_lists_creates_reads_and_patches(app: TestApp) {
    let (_, b) = two_employers(&app).await;
    let officer2 = app.token("officer2").await;
    let created = send_json(&app, "POST", "/api/v1/jobs", &officer2, &good_body(Some(b))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let body = created.json();
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        created.headers[header::LOCATION],
        format!("/api/v1/jobs/{id}")
    );
    assert_eq!(body["occupation"], "43");
    assert_eq!(body["major_group"], "4");
    assert_eq!(body["district"], "120102");
    assert_eq!(
        body["demands"],
        json!([{"demand": "walking", "level": "frequent"}, {"demand": "lifting", "level": "occasional"}])
    );
    assert_eq!(
        body["accommodations"],
        json!(["step_free", "written_instructions"])
    );
    assert_eq!(body["posts"], 3);
    assert_eq!(body["open"], true);

    let patched = send_json(
        &app,
        "PATCH",
        &format!("/api/v1/jobs/{id}"),
        &officer2,
        &json!({"monthly_wage": 5000, "open": false}),
    )
    .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    assert_eq!(patched.json()["monthly_wage"], 5000);
    assert_eq!(patched.json()["open"], false);
    assert_eq!(patched.json()["title"], "仓库理货员", "the rest stays");

    let seeker = app.token("seeker").await;
    assert_eq!(
        app.get("/api/v1/jobs", Some(&seeker)).await.json()["total"],
        0,
        "closed: not listed for a seeker"
    );
    assert_eq!(
        app.get(&format!("/api/v1/jobs/{id}"), Some(&seeker))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let refused = send_json(&app, "POST", "/api/v1/jobs", &seeker, &good_body(Some(b))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let hr_b = app.token("hr-b").await;
    let listed = app.get("/api/v1/jobs?status=all", Some(&hr_b)).await.json();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], id);
    let reopened = send_json(
        &app,
        "PATCH",
        &format!("/api/v1/jobs/{id}"),
        &hr_b,
        &json!({"open": true}),
    )
    .await;
    assert_eq!(reopened.status, StatusCode::OK);
    let institution = app.token("institution").await;
    let open = app
        .get("/api/v1/jobs?lang=en", Some(&institution))
        .await
        .json();
    assert_eq!(open["total"], 1);
    assert_eq!(open["items"][0]["district_name"], "Hedong District");
    let bad = app
        .get(
            "/api/v1/jobs?accommodation=jetpack&sort=salary",
            Some(&institution),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = app.get("/api/v1/jobs?colour=red", Some(&institution)).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.json()["error"]["fields"][0]["field"], "colour");
    // Another employer reads an open posting (it is public), and no more.
    let hr_a = app.token("hr-a").await;
    assert_eq!(
        app.get(&format!("/api/v1/jobs/{id}"), Some(&hr_a))
            .await
            .status,
        StatusCode::OK
    );
    let document = app.get("/api/v1/openapi.json", None).await.json();
    for path in ["/api/v1/jobs", "/api/v1/jobs/{id}"] {
        assert!(document["paths"][path].is_object(), "{path} documented");
    }
    assert!(document["paths"]["/api/v1/jobs/{id}"]["patch"].is_object());
}

async fn the_list_filters_sorts_and_says_how_many(app: TestApp) {
    let (a, _) = two_employers(&app).await;
    let admin = actor(&app.app, "admin").await;
    for (title, occupation, wage, remote, accommodation) in [
        ("软件测试员", "25", "9000", true, "screen_reader"),
        ("保洁员", "91", "3200", false, "job_coach"),
        ("网店客服", "42", "3800", true, "flexible_hours"),
    ] {
        let input = ablework_app::postings::PostingInput {
            employer_id: a.to_string(),
            title: title.to_owned(),
            occupation: occupation.to_owned(),
            district: "120101".to_owned(),
            address: "南京路 1 号".to_owned(),
            remote_possible: remote,
            hours: "full_time".to_owned(),
            monthly_wage: wage.to_owned(),
            accommodations: vec![accommodation.to_owned()],
            posts: "1".to_owned(),
            ..Default::default()
        };
        app.app.create_posting(&admin, &input).await.unwrap();
    }
    let (seeker, _) = login(&app, "seeker").await;
    let all = get_with(&app, "/jobs", &seeker).await;
    assert!(
        all.text
            .contains("<p role=\"status\">共找到 3 个岗位。</p>"),
        "{}",
        all.text
    );
    let remote = get_with(&app, "/jobs?remote=1&sort=wage_low", &seeker).await;
    assert!(remote.text.contains("共找到 2 个岗位"));
    let first = remote.text.find("网店客服").unwrap();
    let second = remote.text.find("软件测试员").unwrap();
    assert!(first < second, "lowest wage first");
    let by_major = get_with(&app, "/jobs?major=9", &seeker).await;
    assert!(by_major.text.contains("共找到 1 个岗位") && by_major.text.contains("保洁员"));
    let by_accommodation = get_with(&app, "/jobs?accommodation=screen_reader", &seeker).await;
    assert!(
        by_accommodation.text.contains("软件测试员") && !by_accommodation.text.contains("保洁员")
    );
    let search = get_with(&app, "/jobs?q=%E5%AE%A2%E6%9C%8D", &seeker).await;
    assert!(search.text.contains("共找到 1 个岗位") && search.text.contains("网店客服"));
    let none = get_with(&app, "/jobs?q=%E5%8F%B8%E6%9C%BA", &seeker).await;
    assert!(
        none.text.contains("没有符合条件的岗位"),
        "a helpful empty state"
    );
    let bad = get_with(&app, "/jobs?district=999999", &seeker).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("href=\"#district\""));
}

async fn job_pages_render_in_both_languages(app: TestApp) {
    two_employers(&app).await;
    let (hr, csrf) = login(&app, "hr-a").await;
    let posted = post_form(&app, "/jobs/new", &hr, &form(&csrf, "数据录入员")).await;
    let id = job_id(&posted);
    for path in [
        "/jobs".to_owned(),
        "/jobs/new".to_owned(),
        format!("/jobs/{id}"),
        format!("/jobs/{id}/edit"),
        "/jobs?q=none-at-all".to_owned(),
    ] {
        for (lang, tag) in [("zh", "zh-CN"), ("en", "en")] {
            let separator = if path.contains('?') { '&' } else { '?' };
            let page = get_with(&app, &format!("{path}{separator}lang={lang}"), &hr).await;
            assert_eq!(page.status, StatusCode::OK, "{path} {lang}");
            assert_well_formed(&page.text, tag);
            assert!(
                !page.text.contains("jobs."),
                "{path} {lang}: a missing message key"
            );
        }
    }
    let english = get_with(&app, "/jobs/new?lang=en", &hr).await;
    assert!(
        english
            .text
            .contains("<legend>Lifting and carrying</legend>")
    );
    assert!(
        english
            .text
            .contains("<legend>Accommodations offered</legend>")
    );
    let (seeker, _) = login(&app, "seeker").await;
    assert_eq!(
        get_with(&app, "/jobs/new", &seeker).await.status,
        StatusCode::FORBIDDEN
    );
}
