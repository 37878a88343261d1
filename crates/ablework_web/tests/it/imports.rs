//! Imports on the web: an upload becomes a background job whose page
//! reloads itself (and can be told not to) until it ends; the job runs as
//! the uploader, in their scope; a job stopped mid-way (a server restart)
//! resumes after its checkpoint and ends with every row exactly once;
//! trainees are enrolled on courses and their progress recorded through
//! the programmes' rules, again without change.

use std::time::Duration;

use ablework_app::import::{ImportRow, ImportSummary};
use ablework_app::import_jobs::{ImportJobRecord, ImportJobState, Upload};
use ablework_app::persons::{NewPersonInput, PersonQuery};
use ablework_domain::programme::{ProgressInput, Status};
use ablework_domain::roles::Permission;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::Reader;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::api_programmes::{activity, college, course, unit};
use crate::harness::{TestApp, actor, id_number};
use crate::pages::{get_with, login};

crate::on_both_engines!(imports:
    an_upload_is_imported_in_the_background,
    employers_are_uploaded_with_the_kind_chosen,
    an_import_stopped_mid_way_resumes_after_its_checkpoint,
    trainees_are_enrolled_from_a_file_in_the_uploaders_scope,
    a_batch_refuses_an_id_number_twice_and_other_districts,
);

fn multipart(csrf: &str, file: &str) -> (String, Vec<u8>) {
    multipart_of(csrf, "persons", file)
}

fn multipart_of(csrf: &str, kind: &str, file: &str) -> (String, Vec<u8>) {
    let boundary = "ABLEWORKBOUNDARY";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"encoding\"\r\n\r\nauto\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n\
         --{boundary}--\r\n"
    );
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

/// Waits (up to a minute) until the job has ended.
async fn ended(app: &TestApp, id: i64) -> ImportJobRecord {
    for _ in 0..600 {
        let job = app.store.import_job(id).await.unwrap().unwrap();
        if job.state.is_over() {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("import {id} did not end within a minute");
}

/// Posts a multipart upload to `path` with the session's cookies.
async fn post_upload(
    app: &TestApp,
    path: &str,
    cookies: &str,
    (content_type, body): (String, Vec<u8>),
) -> crate::harness::Response {
    let request = Request::post(path)
        .header(header::COOKIE, cookies)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// Uploads a file of `kind` on the form as `username` and runs the
/// background worker until the job ends.
async fn upload_and_run(app: &TestApp, username: &str, kind: &str, file: &str) -> ImportJobRecord {
    let (cookies, csrf) = login(app, username).await;
    let response = post_upload(
        app,
        "/imports/new",
        &cookies,
        multipart_of(&csrf, kind, file),
    )
    .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text);
    let location = response.headers[header::LOCATION].to_str().unwrap();
    let id: i64 = location.strip_prefix("/imports/").unwrap().parse().unwrap();
    let worker = ablework_web::import_worker::spawn(app.app.clone());
    let job = ended(app, id).await;
    worker.abort();
    assert_eq!(job.kind, kind);
    assert_eq!(job.state, ImportJobState::Done, "{:?}", job.failure);
    job
}

/// A job's counts: read, inserted, updated, unchanged, rejected.
fn counts(job: &ImportJobRecord) -> (u64, u64, u64, u64, u64) {
    let c = job.counts;
    (c.read, c.inserted, c.updated, c.unchanged, c.rejected)
}

/// A job's rejected rows as its uploader sees them: row, field, code.
async fn row_errors(app: &TestApp, username: &str, job: i64) -> Vec<(u64, String, String)> {
    let uploader = actor(&app.app, username).await;
    let errors = app
        .app
        .import_job_errors(&uploader, job, 1, 50)
        .await
        .unwrap();
    errors
        .items
        .into_iter()
        .map(|e| (e.row, e.field, e.code))
        .collect()
}

async fn an_upload_is_imported_in_the_background(app: TestApp) {
    let (cookies, csrf) = login(&app, "officer").await;
    let first = id_number("120101", "19880808", "031");
    let second = id_number("120101", "19770707", "042");
    let file = format!(
        "姓名,身份证号,残疾证号,所属区\n孙丽,{first},{first}21,和平区\n周强,{second},{second}43,120101\n吴磊,340524198001010013,34052419800101001341,和平区\n"
    );
    let response = post_upload(
        &app,
        "/persons/import?lang=en",
        &cookies,
        multipart(&csrf, &file),
    )
    .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text);
    let location = response.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let id: i64 = location.strip_prefix("/imports/").unwrap().parse().unwrap();
    assert_eq!(app.audit("import.queue").await.len(), 1);

    // Queued: the page reloads itself, unless told not to.
    let queued = get_with(&app, &format!("{location}?lang=en"), &cookies).await;
    assert_eq!(queued.status, StatusCode::OK);
    assert!(queued.text.contains("Queued"), "{}", queued.text);
    assert_eq!(queued.headers[header::REFRESH], "3");
    assert!(queued.text.contains("Stop reloading"));
    let still = get_with(&app, &format!("{location}?lang=en&refresh=off"), &cookies).await;
    assert!(still.headers.get(header::REFRESH).is_none());
    assert!(still.text.contains("Reload automatically"));

    let worker = ablework_web::import_worker::spawn(app.app.clone());
    let job = ended(&app, id).await;
    worker.abort();
    assert_eq!(job.state, ImportJobState::Done);
    assert_eq!(
        (job.counts.read, job.counts.inserted, job.counts.rejected),
        (3, 2, 1)
    );
    assert!(job.has_report, "rejected rows make an error report");
    assert!(!job.has_content, "the upload is dropped at the end");

    let done = get_with(&app, &format!("{location}?lang=en"), &cookies).await;
    assert!(done.headers.get(header::REFRESH).is_none());
    assert!(done.text.contains("Rows not imported"), "{}", done.text);
    assert!(
        done.text.contains("<td class=\"numeric\">4</td>"),
        "row 4 is named"
    );
    let report_href = format!("/imports/{id}/report.xlsx");
    assert!(done.text.contains(&report_href));
    assert_eq!(app.audit("person.import").await.len(), 1);
    assert_eq!(app.audit("import.finish").await.len(), 1);

    // The report: the bad row as written, under the file's headers, with
    // its row number and reasons; reading it is audited.
    let request = Request::get(&report_href)
        .header(header::COOKIE, &cookies)
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][..4], ["姓名", "身份证号", "残疾证号", "所属区"]);
    assert_eq!(
        rows[1][..4],
        [
            "吴磊",
            "340524198001010013",
            "34052419800101001341",
            "和平区"
        ]
    );
    assert_eq!(rows[1][4], "4");
    assert!(
        rows[1][6].starts_with("id_number: The check character"),
        "{:?}",
        rows[1]
    );
    assert_eq!(app.audit("import.report").await.len(), 1);

    // The uploader's district sees it; another district is told it does not exist.
    let (other, _) = login(&app, "officer2").await;
    assert_eq!(
        get_with(&app, &location, &other).await.status,
        StatusCode::NOT_FOUND
    );
    let list = get_with(&app, "/imports?lang=en", &cookies).await;
    assert!(list.text.contains(&location), "{}", list.text);

    let forged = post_upload(
        &app,
        "/persons/import",
        &cookies,
        multipart("forged", &file),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit("import.queue").await.len(), 1);
}

async fn an_import_stopped_mid_way_resumes_after_its_checkpoint(app: TestApp) {
    const ROWS: usize = 3_500;
    let mut file = format!("{}\r\n", ablework_demo::PERSON_FILE_HEADER);
    for person in ablework_demo::persons(17, ROWS) {
        person.write_file_line(&mut file);
    }
    let admin = actor(&app.app, "admin").await;
    let job = app
        .app
        .queue_import(
            &admin,
            Upload {
                kind: "persons".to_owned(),
                permission: Permission::PersonWrite,
                file_name: "people.csv".to_owned(),
                encoding: "auto".to_owned(),
                dry_run: false,
                bytes: file.into_bytes(),
            },
        )
        .await
        .unwrap();

    // The first worker is stopped as soon as one batch is checkpointed,
    // wherever it is in the next: as a server stopped mid-job.
    let worker = ablework_web::import_worker::spawn(app.app.clone());
    let mut checkpoint = 0;
    for _ in 0..600 {
        checkpoint = app
            .store
            .import_job(job.id)
            .await
            .unwrap()
            .unwrap()
            .checkpoint_row;
        if checkpoint > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worker.abort();
    let _ = worker.await;
    assert!(checkpoint > 0, "a batch was checkpointed");
    let stopped = app.store.import_job(job.id).await.unwrap().unwrap();
    assert_eq!(
        stopped.state,
        ImportJobState::Running,
        "left running by the stop"
    );

    // The next start queues it again and finishes it.
    let worker = ablework_web::import_worker::spawn(app.app.clone());
    let done = ended(&app, job.id).await;
    worker.abort();
    assert_eq!(done.state, ImportJobState::Done, "{:?}", done.failure);
    assert_eq!(done.resumed, 1);
    assert_eq!(done.counts.read, ROWS as u64, "every row read once");
    assert_eq!(done.counts.rejected, 0);
    assert_eq!(
        done.counts.inserted + done.counts.unchanged,
        ROWS as u64,
        "rows of batches committed after the checkpoint count as unchanged"
    );
    let people = app
        .app
        .list_persons(&admin, PersonQuery::default())
        .await
        .unwrap();
    assert_eq!(
        people.total,
        ROWS as u64 + 3,
        "the file's people once each, and the three seeded"
    );
}

async fn employers_are_uploaded_with_the_kind_chosen(app: TestApp) {
    let (cookies, _) = login(&app, "admin").await;
    let form = get_with(&app, "/imports/new?kind=employers&lang=en", &cookies).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text.contains("<option value=\"employers\" selected>"),
        "{}",
        form.text
    );
    assert!(form.text.contains("/imports/templates/employers.xlsx"));
    let template = get_with(&app, "/imports/templates/employers.xlsx", &cookies).await;
    assert_eq!(template.status, StatusCode::OK);

    let first17 = "91120101MA05T8Q1X";
    let code = format!(
        "{first17}{}",
        ablework_domain::ident::credit_code_check_char(first17).unwrap()
    );
    let file = format!(
        "统一社会信用代码,单位名称,单位类型,所属区,行业,在职职工人数\n{code},天津测试制造有限公司,企业,和平区,制造业,120\n"
    );
    let job = upload_and_run(&app, "admin", "employers", &file).await;
    assert_eq!(counts(&job), (1, 1, 0, 0, 0));
    assert!(!job.has_report);
    assert_eq!(app.audit("employer.import").await.len(), 1);
    let page = get_with(&app, &format!("/imports/{}?lang=en", job.id), &cookies).await;
    assert!(page.text.contains("Employers"), "{}", page.text);

    // A seeker may import nothing.
    let (seeker, _) = login(&app, "seeker").await;
    assert_eq!(
        get_with(&app, "/imports/new", &seeker).await.status,
        StatusCode::FORBIDDEN
    );
}

/// A course's trainees as stored: person, status, end, sessions, certificate.
async fn trainees(
    app: &TestApp,
    course: i64,
) -> Vec<(i64, Status, Option<String>, Option<u32>, Option<String>)> {
    let admin = actor(&app.app, "admin").await;
    let view = app.app.activity_view(&admin, course).await.unwrap();
    view.participants
        .into_iter()
        .map(|p| {
            let r = p.record;
            let ended = r.ended_on.map(|day| day.to_string());
            (
                r.person_id,
                r.status,
                ended,
                r.sessions_attended,
                r.certificate,
            )
        })
        .collect()
}

const ENROLMENT_HEADER: &str =
    "课程编号,身份证号,姓名,入学日期,状态,结业或退出日期,出勤次数,证书编号";

#[expect(
    clippy::too_many_lines,
    reason = "one file imported three times and once more by an institution"
)]
async fn trainees_are_enrolled_from_a_file_in_the_uploaders_scope(app: TestApp) {
    let token = app.token("admin").await;
    // Unit 1, a college of 河东区, has a course of its own; unit 2, the
    // institution account's college, a course of two places.
    let other = unit(
        &app,
        &token,
        "training",
        &college("河东区职业培训学校", "120102"),
    )
    .await;
    let own = unit(
        &app,
        &token,
        "training",
        &college("和平区职业技能培训学校", "120101"),
    )
    .await;
    assert_eq!(own, 2, "the institution account's unit");
    let pastry = activity(&app, &token, own, &course("中式面点师（初级）", 2)).await;
    let massage = activity(&app, &token, other, &course("保健按摩", 5)).await;
    let zhang = id_number("120101", "19900307", "123");
    let wang = id_number("120101", "19851120", "244");
    let li = id_number("120102", "19780601", "322");
    let file = format!(
        "{ENROLMENT_HEADER}\n\
         {pastry},{zhang},张伟,2024-01-10,已结业,2024-03-31,24,TJ-2024-001\n\
         {pastry},{wang},王芳,2024/1/10,在册,,,\n\
         {pastry},{li},李娜,2024年1月10日,,,,\n\
         {massage},{zhang},张三,2024-01-10,,,,\n\
         999,{wang},王芳,2024-01-10,,,,\n\
         {massage},{wang},王芳,2024-01-10,在册,,,C-9\n"
    );
    let rejected = [
        (4, "id_number", "capacity_full"),
        (5, "id_number", "unknown_person"),
        (6, "course", "unknown_course"),
        (7, "certificate", "not_completed"),
    ]
    .map(|(row, field, code)| (row, field.to_owned(), code.to_owned()));

    // A dry run counts the same, places included, and writes nothing.
    let admin = actor(&app.app, "admin").await;
    let upload = Upload {
        kind: "enrolments".to_owned(),
        permission: Permission::ProgrammeWrite,
        file_name: "trainees.csv".to_owned(),
        encoding: "auto".to_owned(),
        dry_run: true,
        bytes: file.clone().into_bytes(),
    };
    let dry = app.app.queue_import(&admin, upload).await.unwrap();
    let worker = ablework_web::import_worker::spawn(app.app.clone());
    let dry = ended(&app, dry.id).await;
    worker.abort();
    assert_eq!(counts(&dry), (6, 2, 0, 0, 4), "{:?}", dry.failure);
    assert_eq!(row_errors(&app, "admin", dry.id).await, rejected);
    assert_eq!(trainees(&app, pastry).await, []);

    let job = upload_and_run(&app, "admin", "enrolments", &file).await;
    assert_eq!(counts(&job), (6, 2, 0, 0, 4), "two joined, four refused");
    assert_eq!(row_errors(&app, "admin", job.id).await, rejected);
    assert!(job.has_report);
    let enrolled = vec![
        (
            app.heping[0],
            Status::Completed,
            Some("2024-03-31".to_owned()),
            Some(24),
            Some("TJ-2024-001".to_owned()),
        ),
        (app.heping[1], Status::Active, None, None, None),
    ];
    assert_eq!(trainees(&app, pastry).await, enrolled);
    assert_eq!(
        trainees(&app, massage).await,
        [],
        "a refused row writes nothing"
    );
    let audits = || async {
        let mut counted = Vec::new();
        for action in ["programme.join", "programme.progress", "programme.import"] {
            counted.push(app.audit(action).await.len());
        }
        counted
    };
    assert_eq!(audits().await, [2, 1, 1]);

    // The same file again changes nothing.
    let again = upload_and_run(&app, "admin", "enrolments", &file).await;
    assert_eq!(counts(&again), (6, 0, 0, 2, 4));
    assert_eq!(row_errors(&app, "admin", again.id).await, rejected);
    assert_eq!(trainees(&app, pastry).await, enrolled);
    assert_eq!(audits().await, [2, 1, 1]);

    // A stop between 张伟's join and his progress left him active: the
    // file again records it.
    let view = app.app.activity_view(&admin, pastry).await.unwrap();
    let active = ProgressInput {
        status: "active".to_owned(),
        ..ProgressInput::default()
    };
    app.app
        .record_participant_progress(
            &admin,
            view.participants[0].record.id,
            &active,
            ablework_domain::programme::BlankIncome::Keeps,
        )
        .await
        .unwrap();
    let resumed = upload_and_run(&app, "admin", "enrolments", &file).await;
    assert_eq!(counts(&resumed), (6, 0, 1, 1, 4));
    assert_eq!(trainees(&app, pastry).await, enrolled);

    // The institution imports into its own unit's courses; another unit's
    // course is a row error, not a failure.
    let (cookies, _) = login(&app, "institution").await;
    let form = get_with(&app, "/imports/new?lang=en", &cookies).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text.contains("<option value=\"enrolments\""),
        "{}",
        form.text
    );
    assert!(!form.text.contains("<option value=\"persons\""));
    assert!(form.text.contains("/imports/templates/enrolments.xlsx"));
    let template = get_with(&app, "/imports/templates/enrolments.xlsx", &cookies).await;
    assert_eq!(template.status, StatusCode::OK);
    let file = format!(
        "{ENROLMENT_HEADER}\n\
         {pastry},{zhang},张伟,2024-01-10,已结业,2024-03-31,24,TJ-2024-001\n\
         {massage},{wang},王芳,2024-01-10,,,,\n"
    );
    let job = upload_and_run(&app, "institution", "enrolments", &file).await;
    assert_eq!(counts(&job), (2, 0, 0, 1, 1));
    assert_eq!(
        row_errors(&app, "institution", job.id).await,
        [(3, "course".to_owned(), "unknown_course".to_owned())]
    );
    assert_eq!(trainees(&app, massage).await, []);
}

/// A batch given to the application directly (not through the reader,
/// which refuses a repeated ID number first): the second row with the same
/// ID number is refused naming the first, a district officer's row of
/// another district is refused, and the rest is written once.
async fn a_batch_refuses_an_id_number_twice_and_other_districts(app: TestApp) {
    let officer = actor(&app.app, "officer").await;
    let row = |row: usize, id: &str, district: &str| ImportRow {
        row,
        input: NewPersonInput {
            name: "钱多多".to_owned(),
            id_number: id.to_owned(),
            certificate_number: format!("{id}42"),
            district: district.to_owned(),
            ..NewPersonInput::default()
        },
    };
    let first = id_number("120101", "19880412", "031");
    let other = id_number("120101", "19870101", "051");
    let rows = vec![
        row(2, &first, "120101"),
        row(3, &other, "120102"),
        row(4, &first, "120101"),
    ];
    let mut summary = ImportSummary::default();
    let prepared = app
        .app
        .prepare_persons_batch(&officer, rows, &mut summary)
        .unwrap();
    assert_eq!((summary.read, summary.rejected), (3, 2));
    let refused: Vec<_> = summary
        .errors
        .iter()
        .map(|e| (e.row, e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        refused,
        [
            (3, "district", "out_of_scope"),
            (4, "id_number", "duplicate_in_file")
        ]
    );
    assert_eq!(summary.errors[1].message.en, "The same ID number as row 2");
    app.app
        .import_prepared_persons(&officer, prepared, false, "test.csv", &mut summary)
        .await
        .unwrap();
    assert_eq!((summary.inserted, summary.updated), (1, 0));
}
