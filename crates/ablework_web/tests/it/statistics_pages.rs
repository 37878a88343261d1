//! The statistical reports (新增就业 by month and quarter): known outcomes
//! give known figures; the page, the workbook, the print view and the API
//! agree on every one; a district officer sees their district alone; other
//! roles are refused; a period that is not one gets a field error in the
//! page's language.

use std::io::Cursor;

use ablework_app::persons::NewPersonInput;
use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
use ablework_domain::person::Hukou;
use ablework_store::{NewAuditEntry, OutcomeDetails, Recorded};
use axum::http::{StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use chrono::{NaiveDate, Utc};
use serde_json::Value;

use crate::harness::{TestApp, actor, id_number};
use crate::pages::{assert_well_formed, get_with, login};

crate::on_both_engines!(statistics_pages:
    known_outcomes_give_the_page_figures,
    the_page_the_workbook_and_the_api_agree,
    a_district_officer_sees_only_their_district,
    seekers_and_employers_are_refused,
    a_bad_period_gives_a_field_error_in_both_languages,
    the_print_view_renders,
);

/// Records an outcome as it is stored, whatever the day: the use case
/// refuses days in the future, and the report must leave them out itself.
async fn record(
    app: &TestApp,
    person: i64,
    started: &str,
    district: &str,
    form: EmploymentForm,
    hukou: Hukou,
) {
    let outcome = Outcome {
        person_id: person,
        started_on: started.parse::<NaiveDate>().unwrap(),
        form,
        measure: Measure::EmploymentService,
        district_code: district.to_owned(),
        hukou,
        category: DisabilityCategory::Physical,
        level: 3,
        sex: Sex::Female,
        ended_on: None,
    };
    let details = OutcomeDetails {
        employer_id: None,
        contract_months: None,
        monthly_wage: None,
        insured: None,
    };
    let recorded = Recorded {
        user_id: None,
        username: None,
        at: Utc::now(),
    };
    let audit = NewAuditEntry::new(Utc::now(), None, "system", "outcome.record", "person");
    app.store
        .record_outcome(&outcome, &details, &recorded, audit)
        .await
        .unwrap();
}

/// Four more people (the harness has three), in 和平区.
async fn more_people(app: &TestApp) -> Vec<i64> {
    let admin = actor(&app.app, "admin").await;
    let mut ids = Vec::new();
    for (name, birth, sequence) in [
        ("赵敏", "19820202", "512"),
        ("钱进", "19830303", "613"),
        ("孙悦", "19840404", "714"),
        ("周航", "19850505", "815"),
    ] {
        let id = id_number("120101", birth, sequence);
        let input = NewPersonInput {
            name: name.to_owned(),
            certificate_number: format!("{id}42"),
            id_number: id,
            district: "120101".to_owned(),
            ..NewPersonInput::default()
        };
        ids.push(app.app.create_person(&admin, input).await.unwrap().id);
    }
    ids
}

/// The outcomes every case reads; the harness's day is 30 June 2024.
///
/// | person | started    | district | form           | household |
/// |--------|------------|----------|----------------|-----------|
/// | P1     | 2024-05-03 | 120101   | quota          | urban     |
/// | P1     | 2024-06-10 | 120101   | flexible       | urban     | second job: not counted
/// | P2     | 2024-05-20 | 120101   | flexible       | rural     |
/// | P3     | 2024-05-31 | 120102   | agriculture    | rural     |
/// | P4     | 2024-02-14 | 120101   | self_employed  | urban     |
/// | P5     | 2024-06-15 | 120116   | public_welfare | urban     |
/// | P6     | 2024-07-05 | 120101   | quota          | urban     | not started yet
/// | P7     | 2023-12-31 | 120101   | quota          | urban     | December 2023
async fn seed(app: &TestApp) {
    use EmploymentForm as F;
    use Hukou::{Rural, Urban};
    let more = more_people(app).await;
    let (p1, p2, p3) = (app.heping[0], app.heping[1], app.hedong[0]);
    let (p4, p5, p6, p7) = (more[0], more[1], more[2], more[3]);
    record(app, p1, "2024-05-03", "120101", F::Quota, Urban).await;
    record(app, p1, "2024-06-10", "120101", F::Flexible, Urban).await;
    record(app, p2, "2024-05-20", "120101", F::Flexible, Rural).await;
    record(app, p3, "2024-05-31", "120102", F::Agriculture, Rural).await;
    record(app, p4, "2024-02-14", "120101", F::SelfEmployed, Urban).await;
    record(app, p5, "2024-06-15", "120116", F::PublicWelfare, Urban).await;
    record(app, p6, "2024-07-05", "120101", F::Quota, Urban).await;
    record(app, p7, "2023-12-31", "120101", F::Quota, Urban).await;
}

/// The text of a cell, without tags and with the few entities askama writes.
fn cell_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

/// The `<th>`/`<td>` texts of each `<tr>` in a fragment.
fn rows_of(fragment: &str) -> Vec<Vec<String>> {
    fragment
        .split("</tr>")
        .filter(|row| row.contains("<t"))
        .map(|row| {
            let mut cells = Vec::new();
            let mut rest = row;
            while let Some(start) = rest.find("<t") {
                let cell = &rest[start..];
                if cell.starts_with("<tr")
                    || cell.starts_with("<tbody")
                    || cell.starts_with("<thead")
                {
                    rest = &cell[3..];
                    continue;
                }
                let close = cell.find("</t").unwrap();
                cells.push(cell_text(&cell[..close]));
                rest = &cell[close + 3..];
            }
            cells
        })
        .collect()
}

/// The report table of a page: its header row and its body rows.
fn table(html: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let table = html
        .split("<table class=\"statistics-table\">")
        .nth(1)
        .unwrap_or_else(|| panic!("no statistics table in {html}"))
        .split("</table>")
        .next()
        .unwrap();
    let head = table
        .split("<thead>")
        .nth(1)
        .unwrap()
        .split("</thead>")
        .next()
        .unwrap();
    let body = table
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    (rows_of(head).remove(0), rows_of(body))
}

fn row<'a>(rows: &'a [Vec<String>], name: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == name)
        .unwrap_or_else(|| panic!("no row {name} in {rows:?}"))
}

/// A row's figures as the page shows them: new, urban, rural, the seven
/// forms, year to date.
fn figures(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// An API row as the page's cells, under the name given.
fn api_cells(name: &str, row: &Value) -> Vec<String> {
    let mut cells = vec![
        name.to_owned(),
        row["new_employment"].to_string(),
        row["urban"].to_string(),
        row["rural"].to_string(),
    ];
    cells.extend(
        row["by_form"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["count"].to_string()),
    );
    cells.push(row["year_to_date"].to_string());
    cells
}

async fn bytes(
    app: &TestApp,
    path: &str,
    cookies: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::get(path)
        .header(header::COOKIE, cookies)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

/// The one sheet of a workbook, as text.
fn workbook_rows(body: Vec<u8>) -> (String, Vec<Vec<String>>) {
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(body)).unwrap();
    let names = workbook.sheet_names();
    assert_eq!(names.len(), 1, "one sheet: {names:?}");
    let range = workbook.worksheet_range(&names[0]).unwrap();
    let rows = range
        .rows()
        .map(|r| r.iter().map(Data::to_string).collect())
        .collect();
    (names[0].clone(), rows)
}

#[expect(
    clippy::too_many_lines,
    reason = "one set of outcomes read through every period that tells something about it"
)]
async fn known_outcomes_give_the_page_figures(app: TestApp) {
    seed(&app).await;
    let (cookies, _) = login(&app, "admin").await;
    let progress = get_with(&app, "/progress", &cookies).await;
    assert!(
        progress.text.contains("href=\"/progress/statistics\""),
        "the dashboard links to the reports"
    );

    let page = get_with(&app, "/progress/statistics?period=2024-05", &cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_well_formed(&page.text, "zh-CN");
    assert!(page.text.contains("<h2 id=\"report-title\">2024年5月</h2>"));
    let (headers, rows) = table(&page.text);
    assert_eq!(
        headers,
        [
            "区",
            "新增就业",
            "其中：城镇",
            "其中：农村",
            "按比例就业",
            "集中就业",
            "个体就业与自主创业",
            "公益性岗位",
            "辅助性就业",
            "灵活就业",
            "农村种养加",
            "本年累计"
        ]
    );
    assert_eq!(rows.len(), 17, "16 districts and the city total");
    assert_eq!(rows[0][0], "和平区");
    assert_eq!(rows[15][0], "蓟州区");
    // P1 (quota, urban) and P2 (flexible, rural) in May; P4 in February is
    // in the year to date.
    assert_eq!(
        row(&rows, "和平区")[1..],
        figures(&["2", "1", "1", "1", "0", "0", "0", "0", "1", "0", "3"])
    );
    assert_eq!(
        row(&rows, "河东区")[1..],
        figures(&["1", "0", "1", "0", "0", "0", "0", "0", "0", "1", "1"])
    );
    assert_eq!(
        row(&rows, "滨海新区")[1..],
        figures(&["0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"])
    );
    assert_eq!(
        row(&rows, "全市合计")[1..],
        figures(&["3", "1", "2", "1", "0", "0", "0", "0", "1", "1", "4"])
    );
    assert!(page.text.contains("<td class=\"numeric\">"));
    assert!(
        page.text
            .contains("<th scope=\"col\" class=\"numeric\">新增就业</th>")
    );
    assert!(page.text.contains("<th scope=\"row\">和平区</th>"));
    assert!(
        page.text
            .contains("<caption id=\"statistics-caption\">各区新增就业（2024年5月）</caption>")
    );
    assert!(
        page.text
            .contains("href=\"/progress/statistics?period=2024-04\"")
    );
    assert!(
        page.text
            .contains("href=\"/progress/statistics?period=2024-06\"")
    );
    assert!(
        page.text
            .contains("href=\"/progress/statistics.xlsx?period=2024-05\"")
    );
    assert!(
        page.text
            .contains("href=\"/progress/statistics/print?period=2024-05\"")
    );

    // No period: the last complete month before 30 June.
    let default = get_with(&app, "/progress/statistics", &cookies).await;
    assert_eq!(default.status, StatusCode::OK);
    assert!(default.text.contains("value=\"2024-05\""));
    assert_eq!(table(&default.text).1, rows);

    // The quarter: P1's June job does not count again; P5 does.
    let quarter = get_with(
        &app,
        "/progress/statistics?kind=quarter&period=2024-05",
        &cookies,
    )
    .await;
    assert_eq!(quarter.status, StatusCode::OK);
    assert!(quarter.text.contains("value=\"2024-Q2\""));
    let (_, q2) = table(&quarter.text);
    assert_eq!(
        row(&q2, "全市合计")[1..],
        figures(&["4", "2", "2", "1", "0", "0", "1", "0", "1", "1", "5"])
    );
    assert_eq!(row(&q2, "滨海新区")[1], "1");
    assert_eq!(row(&q2, "和平区")[1], "2", "P1 once, in May");
    let june = get_with(&app, "/progress/statistics?period=2024-06", &cookies).await;
    assert_eq!(row(&table(&june.text).1, "和平区")[1], "0");
    assert!(june.text.contains("本统计期尚未结束"), "June ends today");
    assert!(
        !june.text.contains("period=2024-07"),
        "no link to a month that has not begun"
    );

    // A job that has not started yet is in no figure, not even the year
    // to date (5 without P6).
    let q3 = get_with(&app, "/progress/statistics?period=2024-Q3", &cookies).await;
    assert_eq!(q3.status, StatusCode::OK);
    assert_eq!(
        row(&table(&q3.text).1, "全市合计")[1..],
        figures(&["0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "5"])
    );

    // A job started on 31 December counts in December, not in January.
    let december = get_with(&app, "/progress/statistics?period=2023-12", &cookies).await;
    assert_eq!(row(&table(&december.text).1, "和平区")[1], "1");
    let january = get_with(&app, "/progress/statistics?period=2024-01", &cookies).await;
    assert_eq!(
        row(&table(&january.text).1, "全市合计")[1..],
        figures(&["0"; 11])
    );
}

async fn the_page_the_workbook_and_the_api_agree(app: TestApp) {
    seed(&app).await;
    let (cookies, _) = login(&app, "admin").await;
    let token = app.token("admin").await;
    for period in ["2024-05", "2024-Q2", "2024-06", "2023-12"] {
        for lang in ["zh", "en"] {
            let page = get_with(
                &app,
                &format!("/progress/statistics?period={period}&lang={lang}"),
                &cookies,
            )
            .await;
            assert_eq!(page.status, StatusCode::OK);
            let (headers, rows) = table(&page.text);

            let (status, response_headers, body) = bytes(
                &app,
                &format!("/progress/statistics.xlsx?period={period}&lang={lang}"),
                &cookies,
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                response_headers[header::CONTENT_DISPOSITION],
                format!("attachment; filename=\"statistics-{period}.xlsx\"").as_str()
            );
            let (sheet, workbook) = workbook_rows(body);
            assert!(sheet.ends_with(period), "{sheet}");
            assert_eq!(workbook[0], headers, "{period} {lang}: the headers");
            assert_eq!(workbook[1..], rows, "{period} {lang}: every figure");

            let api = app
                .get(
                    &format!("/api/v1/progress/statistics?period={period}&lang={lang}"),
                    Some(&token),
                )
                .await;
            assert_eq!(api.status, StatusCode::OK, "{}", api.text);
            let json = api.json();
            assert_eq!(json["period"], period);
            assert_eq!(json["scope"], "city");
            assert_eq!(json["made_on"], "2024-06-30");
            let api_rows = json["rows"].as_array().unwrap();
            assert_eq!(api_rows.len() + 1, rows.len());
            for (api_row, page_row) in api_rows.iter().zip(&rows) {
                let name = api_row["district_name"].as_str().unwrap();
                assert_eq!(api_cells(name, api_row), *page_row, "{period} {lang}");
            }
            let total = rows.last().unwrap();
            assert_eq!(api_cells(&total[0], &json["total"]), *total);
            assert!(json["total"]["district_code"].is_null());
        }
    }
    let english = get_with(
        &app,
        "/progress/statistics?period=2024-Q2&lang=en",
        &cookies,
    )
    .await;
    assert_well_formed(&english.text, "en");
    assert!(
        english
            .text
            .contains("<h2 id=\"report-title\">Q2 2024</h2>")
    );
    let (headers, rows) = table(&english.text);
    assert_eq!(headers[0], "District");
    assert_eq!(headers[11], "Year to date");
    assert_eq!(rows[16][0], "City total");
    assert_eq!(rows[0][0], "Heping District");

    // The API answers the last complete month by default, and is documented.
    let default = app
        .get("/api/v1/progress/statistics", Some(&token))
        .await
        .json();
    assert_eq!(default["period"], "2024-05");
    assert_eq!(default["kind"], "month");
    assert_eq!(default["start"], "2024-05-01");
    assert_eq!(default["end"], "2024-05-31");
    assert_eq!(default["year_start"], "2024-01-01");
    assert_eq!(default["rows"][0]["district_code"], "120101");
    assert_eq!(default["rows"][0]["by_form"][0]["form"], "quota");
    assert_eq!(default["rows"].as_array().unwrap().len(), 16);
    let document = app.get("/api/v1/openapi.json", None).await.json();
    assert!(document["paths"]["/api/v1/progress/statistics"]["get"].is_object());
    assert!(document["components"]["schemas"]["StatisticsBody"].is_object());
}

async fn a_district_officer_sees_only_their_district(app: TestApp) {
    seed(&app).await;
    let (officer, _) = login(&app, "officer").await;
    let page = get_with(&app, "/progress/statistics?period=2024-05", &officer).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("<h1>新增就业统计报表（和平区）</h1>"));
    let (_, rows) = table(&page.text);
    assert_eq!(
        rows,
        [figures(&[
            "和平区",
            "2",
            "1",
            "1",
            "1",
            "0",
            "0",
            "0",
            "0",
            "1",
            "0",
            "3"
        ])]
    );
    assert!(!page.text.contains("河东区") && !page.text.contains("全市合计"));

    let (status, _, body) = bytes(&app, "/progress/statistics.xlsx?period=2024-05", &officer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(workbook_rows(body).1[1..], rows);

    let token = app.token("officer").await;
    let json = app
        .get("/api/v1/progress/statistics?period=2024-05", Some(&token))
        .await
        .json();
    assert_eq!(json["scope"], "120101");
    assert_eq!(json["rows"].as_array().unwrap().len(), 1);
    assert_eq!(json["rows"][0]["district_code"], "120101");
    assert_eq!(json["total"]["new_employment"], 2);
    assert_eq!(json["total"]["year_to_date"], 3);

    let (other, _) = login(&app, "officer2").await;
    let hedong = get_with(&app, "/progress/statistics?period=2024-05", &other).await;
    let (_, rows) = table(&hedong.text);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][..2], figures(&["河东区", "1"]));
    let print = get_with(&app, "/progress/statistics/print?period=2024-05", &other).await;
    assert_eq!(table(&print.text).1, rows);
    assert!(!print.text.contains("和平区"));
}

async fn seekers_and_employers_are_refused(app: TestApp) {
    for username in ["seeker", "employer", "institution"] {
        let (cookies, _) = login(&app, username).await;
        for path in [
            "/progress/statistics",
            "/progress/statistics?period=2024-13",
            "/progress/statistics.xlsx?period=2024-05",
            "/progress/statistics/print?period=2024-05",
        ] {
            let response = get_with(&app, path, &cookies).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{username} {path}");
        }
        let token = app.token(username).await;
        for path in [
            "/api/v1/progress/statistics",
            "/api/v1/progress/statistics?period=2024-13",
        ] {
            let response = app.get(path, Some(&token)).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{username} {path}");
        }
    }
    let anonymous = app.get("/progress/statistics?period=2024-05", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(
        anonymous.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );
    assert_eq!(
        app.get("/api/v1/progress/statistics", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn a_bad_period_gives_a_field_error_in_both_languages(app: TestApp) {
    let (cookies, _) = login(&app, "admin").await;
    let chinese = get_with(&app, "/progress/statistics?period=2024-13", &cookies).await;
    assert_eq!(chinese.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_well_formed(&chinese.text, "zh-CN");
    assert!(chinese.text.contains("class=\"error-summary\""));
    assert!(
        chinese
            .text
            .contains("<a href=\"#period\">月份 13 不在 01–12 之间。</a>")
    );
    assert!(chinese.text.contains("id=\"period-error\""));
    assert!(chinese.text.contains("aria-invalid=\"true\""));
    assert!(
        chinese.text.contains("value=\"2024-13\""),
        "what was typed stays"
    );
    assert!(
        !chinese.text.contains("statistics-table"),
        "no report for it"
    );

    let english = get_with(&app, "/progress/statistics?period=July&lang=en", &cookies).await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_well_formed(&english.text, "en");
    assert!(english.text.contains("There is a problem"));
    assert!(
        english
            .text
            .contains("is not a period: write a month like 2024-07")
    );

    let kind = get_with(
        &app,
        "/progress/statistics?kind=year&period=2024-05&lang=en",
        &cookies,
    )
    .await;
    assert_eq!(kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        kind.text
            .contains("<a href=\"#kind\">Choose monthly or quarterly.</a>")
    );

    let download = get_with(
        &app,
        "/progress/statistics.xlsx?period=2024-Q5&lang=zh",
        &cookies,
    )
    .await;
    assert_eq!(download.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(download.text.contains("季度 Q5 不在 Q1–Q4 之间。"));

    let token = app.token("admin").await;
    let api = app
        .get(
            "/api/v1/progress/statistics?period=2024-13&lang=en",
            Some(&token),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    let field = &api.json()["error"]["fields"][0];
    assert_eq!(field["field"], "period");
    assert_eq!(field["code"], "period_month");
    assert_eq!(field["message"], "The month 13 is not between 01 and 12.");
    let unknown = app
        .get("/api/v1/progress/statistics?month=2024-05", Some(&token))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_print_view_renders(app: TestApp) {
    seed(&app).await;
    let (cookies, _) = login(&app, "admin").await;
    let page = get_with(&app, "/progress/statistics?period=2024-05", &cookies).await;
    let print = get_with(&app, "/progress/statistics/print?period=2024-05", &cookies).await;
    assert_eq!(print.status, StatusCode::OK);
    assert_well_formed(&print.text, "zh-CN");
    assert!(print.text.contains("<h1>新增就业统计报表</h1>"));
    assert!(print.text.contains("2024年5月（2024-05-01 – 2024-05-31）"));
    assert!(print.text.contains("<dd>全市</dd>"), "the scope");
    assert!(
        print.text.contains("<dd>2024-06-30</dd>"),
        "the day it was made"
    );
    assert!(!print.text.contains("main-nav"), "no navigation");
    assert!(!print.text.contains("<form"), "no forms");
    assert_eq!(table(&print.text), table(&page.text), "the same table");
    assert!(
        print
            .text
            .contains("href=\"/progress/statistics?period=2024-05\"")
    );

    let english = get_with(
        &app,
        "/progress/statistics/print?period=2024-Q2&lang=en",
        &cookies,
    )
    .await;
    assert_eq!(english.status, StatusCode::OK);
    assert_well_formed(&english.text, "en");
    assert!(english.text.contains("<h1>New employment statistics</h1>"));
    assert!(english.text.contains("Q2 2024 (2024-04-01 – 2024-06-30)"));
    assert!(english.text.contains("<dd>Whole city</dd>"));
    assert_eq!(row(&table(&english.text).1, "City total")[1], "4");
}
