//! Downloads of every list page: CSV in UTF-8 with a byte-order mark (the
//! default), CSV in GB18030 and XLSX, each named, with the page's columns
//! in the reader's language; masked as the page is; within the reader's
//! scope; each download one audit entry with the filter and the rows.

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::harness::{TestApp, actor, id_number};
use crate::job_pages::employer;
use crate::pages::{get_with, login};

crate::on_both_engines!(exports:
    every_list_downloads_in_three_formats_and_is_audited,
    a_district_officer_gets_their_district_masked,
    lists_about_people_need_the_export_permission,
);

/// A download: status, headers and the bytes.
struct Download {
    status: StatusCode,
    content_type: String,
    disposition: String,
    bytes: Vec<u8>,
}

async fn download(app: &TestApp, path: &str, cookies: &str) -> Download {
    let request = Request::get(path)
        .header(header::COOKIE, cookies)
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let text = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (status, content_type, disposition) = (
        response.status(),
        text(header::CONTENT_TYPE),
        text(header::CONTENT_DISPOSITION),
    );
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Download {
        status,
        content_type,
        disposition,
        bytes,
    }
}

/// `path` with `format=…` (and more) added.
fn with(path: &str, more: &str) -> String {
    let join = if path.contains('?') { '&' } else { '?' };
    format!("{path}{join}{more}")
}

/// The rows of the first sheet of a workbook, as text.
fn sheet_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let name = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Every list's download in the three formats: what it is called, that it
/// reads, that its first row is the expected headings, and how many audit
/// entries it left.
async fn three_formats(
    app: &TestApp,
    cookies: &str,
    path: &str,
    stem: &str,
    headings: &[&str],
    action: &str,
) -> Vec<Vec<String>> {
    let before = app.audit(action).await.len();
    let csv = download(app, path, cookies).await;
    assert_eq!(csv.status, StatusCode::OK, "{path}");
    assert_eq!(csv.content_type, "text/csv; charset=utf-8", "{path}");
    assert!(
        csv.disposition
            .starts_with(&format!("attachment; filename=\"{stem}-"))
            && csv.disposition.ends_with(".csv\""),
        "{path}: {}",
        csv.disposition
    );
    assert!(csv.bytes.starts_with(b"\xEF\xBB\xBF"), "{path}: a BOM");
    let text = String::from_utf8(csv.bytes[3..].to_vec()).unwrap();
    let first: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    assert_eq!(first, headings, "{path}");

    let gb = download(app, &with(path, "format=csv&encoding=gb18030"), cookies).await;
    assert_eq!(gb.status, StatusCode::OK, "{path}");
    assert_eq!(gb.content_type, "text/csv; charset=gb18030");
    assert!(!gb.bytes.starts_with(b"\xEF\xBB\xBF"), "{path}: no BOM");
    let (decoded, _, bad) = encoding_rs::GB18030.decode(&gb.bytes);
    assert!(!bad, "{path}");
    assert_eq!(decoded, text, "{path}: the same text in GB18030");

    let xlsx = download(app, &with(path, "format=xlsx"), cookies).await;
    assert_eq!(xlsx.status, StatusCode::OK, "{path}");
    assert_eq!(
        xlsx.content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(xlsx.disposition.ends_with(".xlsx\""), "{path}");
    let rows = sheet_rows(&xlsx.bytes);
    assert_eq!(rows[0], headings, "{path}");
    assert_eq!(
        rows.len(),
        text.lines().count(),
        "{path}: the workbook has the CSV's rows"
    );

    let after = app.audit(action).await;
    assert_eq!(
        after.len(),
        before + 3,
        "{path}: one audit entry a download"
    );
    assert_eq!(
        after[0].entry.detail["rows"].as_u64(),
        Some(rows.len() as u64 - 1),
        "{path}"
    );
    rows
}

/// Two employers in two districts, a posting, a fair with the seeker
/// registered, an application, a duplicate of the first person and a
/// queue of people; (fair, job).
async fn setting(app: &TestApp) -> (i64, i64) {
    let (fair, _, job) = crate::fairs::busy_fair(app).await;
    employer(
        app,
        "91120102MA06A1B2C",
        "天津乙物流有限公司",
        "120102",
        "hr-b",
    )
    .await;
    let admin = actor(&app.app, "admin").await;
    app.app.apply(&admin, app.hedong[0], job).await.unwrap();
    // A second record of 张伟 with another ID number: a likely duplicate.
    let twin = ablework_app::persons::NewPersonInput {
        name: "张伟".to_owned(),
        id_number: id_number("120101", "19900307", "145"),
        certificate_number: format!("{}42", id_number("120101", "19900307", "145")),
        district: "120101".to_owned(),
        ..Default::default()
    };
    app.app.create_person(&admin, twin).await.unwrap();
    (fair, job)
}

#[expect(
    clippy::too_many_lines,
    reason = "one table of every list's download, each checked the same way"
)]
async fn every_list_downloads_in_three_formats_and_is_audited(app: TestApp) {
    let (fair, job) = setting(&app).await;
    let (cookies, _) = login(&app, "admin").await;
    let registrations = format!("/fairs/{fair}/registrations/export");
    let applications = format!("/jobs/{job}/applications/export");
    let registrations_stem = format!("fair-registrations-{fair}");
    let applications_stem = format!("applications-{job}");
    let cases: Vec<(&str, &str, Vec<&str>, &str)> = vec![
        (
            "/persons/export",
            "persons",
            vec![
                "编号",
                "姓名",
                "身份证号",
                "残疾证号",
                "性别",
                "年龄",
                "残疾类别",
                "残疾等级",
                "所属区",
                "街道",
                "户籍类型",
                "联系电话",
                "文化程度",
                "就业状态",
                "登记日期",
            ],
            "person.export",
        ),
        (
            "/employers/export",
            "employers",
            vec![
                "单位名称",
                "统一社会信用代码",
                "单位类型",
                "所在区",
                "在职职工人数",
            ],
            "employer.export",
        ),
        (
            "/jobs/export?status=all",
            "postings",
            vec![],
            "posting.export",
        ),
        ("/fairs/export", "fairs", vec![], "fair.export"),
        (
            &registrations,
            &registrations_stem,
            vec![],
            "fair_registration.export",
        ),
        (
            &applications,
            &applications_stem,
            vec![],
            "application.export",
        ),
        (
            "/declarations/export?status=all",
            "declarations",
            vec![],
            "declaration.export",
        ),
        ("/graduates/export", "graduates", vec![], "graduate.export"),
        (
            "/assessments/export",
            "assessments",
            vec![],
            "assessment.export",
        ),
        ("/queues/export?step=check", "queue", vec![], "queue.export"),
        ("/work-list/export", "work-list", vec![], "work_list.export"),
        (
            "/persons/duplicates/export",
            "duplicates",
            vec![],
            "duplicate.export",
        ),
        ("/policies/export", "policies", vec![], "policy.export"),
        ("/plans/export", "plans", vec![], "plan.export"),
        (
            "/audit/export?action=person.",
            "audit",
            vec![],
            "audit.export",
        ),
        (
            "/progress/people/export",
            "progress-people",
            vec![],
            "progress_people.export",
        ),
    ];
    for (path, stem, headings, action) in &cases {
        // Headings not written out above are the list page's own.
        let headings: Vec<String> = if headings.is_empty() {
            let page_path = path.replace("/export", "").replace("/registrations", "");
            let page_path = if page_path.starts_with("/jobs/") {
                page_path.replace("/applications", "")
            } else {
                page_path
            };
            let page = get_with(&app, &page_path, &cookies).await;
            assert_eq!(page.status, StatusCode::OK, "{page_path}");
            assert!(
                page.text
                    .contains(&format!("{}?format=xlsx", path.split('?').next().unwrap())),
                "{page_path} offers its download"
            );
            let first = download(&app, path, &cookies).await;
            let text = String::from_utf8(first.bytes[3..].to_vec()).unwrap();
            let names: Vec<String> = text
                .lines()
                .next()
                .unwrap()
                .split(',')
                .map(str::to_owned)
                .collect();
            // A posting's applications are a list of cards, not a table;
            // an empty list has no table.
            let table = !path.contains("/applications/") && page.text.contains("<thead");
            for name in names.iter().filter(|_| table) {
                assert!(
                    page.text.contains(name.as_str()),
                    "{path}: the heading {name} is the page's"
                );
            }
            names
        } else {
            headings.iter().map(|h| (*h).to_owned()).collect()
        };
        let headings: Vec<&str> = headings.iter().map(String::as_str).collect();
        let rows = three_formats(&app, &cookies, path, stem, &headings, action).await;
        let bytes: String = rows.iter().flatten().cloned().collect::<Vec<_>>().join(",");
        assert!(
            !bytes.contains(&id_number("120101", "19900307", "123")),
            "{path}: no full ID number"
        );
        assert!(!bytes.contains("13812341234"), "{path}: no full phone");
        assert!(!bytes.contains("张伟"), "{path}: no full name");
    }

    // What each holds, in a few cases.
    let employers = three_formats(
        &app,
        &cookies,
        "/employers/export?q=物流",
        "employers",
        &[
            "单位名称",
            "统一社会信用代码",
            "单位类型",
            "所在区",
            "在职职工人数",
        ],
        "employer.export",
    )
    .await;
    assert_eq!(employers.len(), 2, "the search holds: {employers:?}");
    assert_eq!(employers[1][0], "天津乙物流有限公司");
    assert_eq!(employers[1][3], "河东区");
    assert_eq!(employers[1][4], "120", "counts are numbers");
    let filter = &app.audit("employer.export").await[0].entry.detail;
    assert_eq!(filter["filter"]["q"], "物流", "{filter}");

    let registered = download(&app, &registrations, &cookies).await;
    let text = String::from_utf8(registered.bytes).unwrap();
    assert!(text.contains("张*"), "the seeker, masked: {text}");
    let audit = &app.audit("fair_registration.export").await[0].entry;
    assert_eq!(audit.entity, "fair");
    assert_eq!(audit.detail["record"], fair);

    let applied = download(&app, &applications, &cookies).await;
    let text = String::from_utf8(applied.bytes).unwrap();
    assert!(text.contains("李*"), "the applicant, masked: {text}");

    let duplicates = download(&app, "/persons/duplicates/export", &cookies).await;
    let text = String::from_utf8(duplicates.bytes).unwrap();
    assert!(
        text.contains("张* 1201**********1235,张* 1201**********1454,和平区"),
        "the two records of 张伟, masked: {text}"
    );
    assert!(text.contains("1201**********"), "masked ID numbers: {text}");

    // English headings and values.
    let english = download(&app, "/employers/export?format=xlsx&lang=en", &cookies).await;
    let rows = sheet_rows(&english.bytes);
    assert_eq!(rows[0][0], "Name");
    assert!(rows.iter().any(|r| r[3].contains("Hedong")), "{rows:?}");

    // A filter the list refuses is an error page, not a file.
    let bad = download(&app, "/jobs/export?district=浦东新区", &cookies).await;
    assert_ne!(bad.status, StatusCode::OK);
}

async fn a_district_officer_gets_their_district_masked(app: TestApp) {
    setting(&app).await;
    let (cookies, _) = login(&app, "officer").await;
    let page = get_with(&app, "/employers", &cookies).await;
    let at = page.text.find("/employers/export").unwrap();
    assert!(
        page.text[at..].starts_with("/employers/export?format=csv\""),
        "{}",
        &page.text[at..at + 200]
    );
    let gb = download(&app, "/employers/export?encoding=gb18030", &cookies).await;
    let (text, _, bad) = encoding_rs::GB18030.decode(&gb.bytes);
    assert!(!bad);
    assert!(
        text.contains("天津甲商贸有限公司") && text.contains("和平区"),
        "{text}"
    );
    assert!(
        !text.contains("天津乙物流有限公司"),
        "another district's employer: {text}"
    );

    let people = download(
        &app,
        "/persons/export?format=csv&category=physical",
        &cookies,
    )
    .await;
    let text = String::from_utf8(people.bytes[3..].to_vec()).unwrap();
    assert!(!text.contains("河东区"), "{text}");
    assert!(!text.contains(&id_number("120101", "19900307", "123")));
    assert!(!text.contains("13812341234") && text.contains("138****1234"));
    let people = download(&app, "/persons/export?format=xlsx", &cookies).await;
    let rows = sheet_rows(&people.bytes);
    assert_eq!(rows.len(), 4, "a header and the district's three people");
    assert!(rows.iter().skip(1).all(|r| r[8] == "和平区"), "{rows:?}");

    let queue = download(&app, "/queues/export?step=check", &cookies).await;
    let text = String::from_utf8(queue.bytes[3..].to_vec()).unwrap();
    assert!(!text.contains("李*"), "another district's person: {text}");
    let work = download(&app, "/work-list/export?district=120102", &cookies).await;
    let text = String::from_utf8(work.bytes[3..].to_vec()).unwrap();
    assert!(
        !text.contains("河东区"),
        "the officer's district whatever asked: {text}"
    );

    let search = download(&app, "/persons/export?q=120101199003071235", &cookies).await;
    assert_eq!(search.status, StatusCode::OK);
    let audit = &app.audit("person.export").await[0].entry;
    assert_eq!(audit.actor, "officer");
    assert!(
        !audit.detail.to_string().contains("120101199003071235"),
        "a searched ID number is not logged: {}",
        audit.detail
    );
}

async fn lists_about_people_need_the_export_permission(app: TestApp) {
    setting(&app).await;
    let (hr, _) = login(&app, "hr-a").await;
    for path in [
        "/persons/export",
        "/persons/duplicates/export",
        "/queues/export",
        "/audit/export",
        "/declarations/export",
    ] {
        let refused = download(&app, path, &hr).await;
        assert_ne!(refused.status, StatusCode::OK, "{path}");
    }
    let jobs = get_with(&app, "/jobs", &hr).await;
    assert!(jobs.text.contains("/jobs/export?format=xlsx"));
    let own = download(&app, "/jobs/export?format=xlsx", &hr).await;
    assert_eq!(own.status, StatusCode::OK);
    let (seeker, _) = login(&app, "seeker").await;
    let refused = download(&app, "/persons/export", &seeker).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let none = download(&app, "/employers/export", "").await;
    assert_eq!(none.status, StatusCode::SEE_OTHER, "log in first");
}
