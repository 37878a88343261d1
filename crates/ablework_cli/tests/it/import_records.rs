//! `import employers`, `import postings`, `import outcomes` and `import
//! enrolments` through the binary: counts, every error of a bad row, a dry
//! run that writes nothing, and a second run that finds everything
//! unchanged.

use std::fmt::Write as _;

use ablework_domain::ident::{credit_code_check_char, resident_id_check_char};
use serde_json::Value;

use crate::{KEY, run, stdout_json};

fn uscc(n: u32) -> String {
    let first17 = format!("91120101MA{n:07}");
    format!("{first17}{}", credit_code_check_char(&first17).unwrap())
}

fn id_number(n: u32) -> String {
    let first17 = format!("1201011985061500{n}");
    format!("{first17}{}", resident_id_check_char(&first17).unwrap())
}

/// A credit code with its check character changed.
fn wrong_check(code: &str) -> String {
    let wrong = if code.ends_with('0') { '1' } else { '0' };
    format!("{}{wrong}", &code[..17])
}

/// Full-width forms of ASCII digits and letters.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()
            } else {
                c
            }
        })
        .collect()
}

struct Database {
    dir: tempfile::TempDir,
    url: String,
}

impl Database {
    fn new() -> Database {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("a.db").display());
        Database { dir, url }
    }

    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    }

    /// Runs `ablework import KIND FILE --json --lang en` with `extra`;
    /// the exit status and the summary.
    fn import(&self, kind: &str, file: &str, extra: &[&str]) -> (Option<i32>, Value) {
        let mut args = vec!["import", kind, file, "--json", "--lang", "en"];
        args.extend(extra);
        let output = run(
            &args,
            None,
            &[
                ("DATABASE_URL", self.url.as_str()),
                ("ABLEWORK_SECRET_KEY", KEY),
            ],
        );
        (output.status.code(), stdout_json(&output))
    }
}

fn counts(summary: &Value) -> [u64; 5] {
    ["read", "inserted", "updated", "unchanged", "rejected"].map(|name| {
        summary[name]
            .as_u64()
            .unwrap_or_else(|| panic!("{name} in {summary}"))
    })
}

fn errors(summary: &Value) -> Vec<(u64, String, String)> {
    summary["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| {
            (
                error["row"].as_u64().unwrap(),
                error["field"].as_str().unwrap().to_owned(),
                error["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn owned(expected: &[(u64, &str, &str)]) -> Vec<(u64, String, String)> {
    expected
        .iter()
        .map(|(row, field, code)| (*row, (*field).to_owned(), (*code).to_owned()))
        .collect()
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one scenario: employers, then their postings, then outcomes at them"
)]
fn employers_postings_and_outcomes_import_once_and_then_change_nothing() {
    let db = Database::new();

    // Employers, GB18030, with full-width digits and a traditional district.
    let mut text = String::from(
        "天津市用人单位名录（2024）\r\n统一社会信用代码,单位名称,单位类型,所属区,行业,在职职工人数,编制数,国有企业\r\n",
    );
    write!(
        text,
        "{},天津甲制造有限公司,企业,和平区,制造业,１２０,,否\r\n\
         {},天津乙中学,事业单位,河東區,教育,80,70,\r\n\
         {},丙,工厂,浦东新区,制造业,-5,,\r\n",
        full_width(&uscc(1)),
        uscc(2),
        wrong_check(&uscc(3)),
    )
    .unwrap();
    let employers = db.file("employers.csv", &encoding_rs::GB18030.encode(&text).0);
    for _ in 0..2 {
        let (status, dry) = db.import("employers", &employers, &["--dry-run"]);
        assert_eq!(status, Some(1), "{dry}");
        assert_eq!(
            counts(&dry),
            [3, 2, 0, 0, 1],
            "a dry run writes nothing: {dry}"
        );
    }
    let (status, first) = db.import("employers", &employers, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(counts(&first), [3, 2, 0, 0, 1], "{first}");
    assert_eq!(
        errors(&first),
        owned(&[
            (5, "credit_code", "checksum"),
            (5, "kind", "unknown"),
            (5, "district", "unknown_district"),
            (5, "staff", "negative"),
        ]),
        "{first}"
    );
    let (_, again) = db.import("employers", &employers, &[]);
    assert_eq!(counts(&again), [3, 0, 0, 2, 1], "{again}");

    // Postings of the first employer; one names an employer not registered.
    let postings = db.file(
        "postings.csv",
        format!(
            "单位统一社会信用代码,岗位名称,职业类别,工作地点所属区,工作地址,工作时间,月工资,招聘人数,功能要求\n\
             {code},仓库管理员,43,和平区,南京路 1 号,全日制,5000,1,\n\
             {code},客服专员,42,和平区,南京路 1 号,非全日制,\"4,200\",2,接待公众：经常\n\
             {other},文员,41,和平区,南京路 2 号,全日制,4000,0,\n",
            code = uscc(1),
            other = uscc(9),
        )
        .as_bytes(),
    );
    let (_, dry) = db.import("postings", &postings, &["--dry-run"]);
    assert_eq!(counts(&dry), [3, 2, 0, 0, 1], "{dry}");
    let (status, first) = db.import("postings", &postings, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(counts(&first), [3, 2, 0, 0, 1], "{first}");
    assert_eq!(
        errors(&first),
        owned(&[
            (4, "employer_credit_code", "unknown_employer"),
            (4, "posts", "out_of_range"),
        ])
    );
    let (_, again) = db.import("postings", &postings, &[]);
    assert_eq!(counts(&again), [3, 0, 0, 2, 1], "{again}");
    // A changed wage updates the posting of that title.
    let changed = db.file(
        "postings2.csv",
        format!(
            "employer_credit_code,title,occupation,district,address,hours,monthly_wage,posts\n\
             {},仓库管理员,43,120101,南京路 1 号,full_time,5500,1\n",
            uscc(1)
        )
        .as_bytes(),
    );
    let (status, updated) = db.import("postings", &changed, &[]);
    assert_eq!(status, Some(0), "{updated}");
    assert_eq!(counts(&updated), [1, 0, 1, 0, 0], "{updated}");

    // People, then their outcomes.
    let people = db.file(
        "people.csv",
        format!(
            "姓名,身份证号,残疾证号,所属区\n张三,{a},{a}41,和平区\n李四,{b},{b}23,和平区\n",
            a = id_number(1),
            b = id_number(2)
        )
        .as_bytes(),
    );
    let (status, imported) = db.import("persons", &people, &[]);
    assert_eq!((status, counts(&imported)), (Some(0), [2, 2, 0, 0, 0]));
    let outcomes = db.file(
        "outcomes.csv",
        format!(
            "身份证号,就业日期,就业形式,单位统一社会信用代码,计入措施,合同期限（月）,月工资,缴纳社会保险\n\
             {a},2024年3月1日,按比例就业,{employer},,12,4500,是\n\
             {b},2024/5/6,灵活就业,,9,,,\n\
             {stranger},2024-05-06,灵活就业,,,,,\n\
             {b},2024-07-01,按比例就业,{employer},机关事业单位带头安排,,,\n",
            a = id_number(1),
            b = id_number(2),
            stranger = id_number(3),
            employer = full_width(&uscc(1)),
        )
        .as_bytes(),
    );
    let (_, dry) = db.import("outcomes", &outcomes, &["--dry-run"]);
    assert_eq!(counts(&dry), [4, 2, 0, 0, 2], "{dry}");
    let (status, first) = db.import("outcomes", &outcomes, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(counts(&first), [4, 2, 0, 0, 2], "{first}");
    assert_eq!(
        errors(&first),
        owned(&[
            (4, "id_number", "not_registered"),
            (4, "measure", "required"),
            (5, "measure", "measure_mismatch"),
        ]),
        "{first}"
    );
    let (_, again) = db.import("outcomes", &outcomes, &[]);
    assert_eq!(counts(&again), [4, 0, 0, 2, 2], "{again}");

    // The hire at a private enterprise is credited to measure 3.
    let report = run(
        &["report", "progress", "--json"],
        None,
        &[
            ("DATABASE_URL", db.url.as_str()),
            ("ABLEWORK_SECRET_KEY", KEY),
        ],
    );
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(text.contains("m03_private"), "{text}");
    assert!(text.contains("m09_service"), "{text}");
}

#[test]
fn a_file_of_another_kind_is_refused_with_the_missing_columns() {
    let db = Database::new();
    let people = db.file("people.csv", "姓名,身份证号,残疾证号,所属区\n".as_bytes());
    let (status, body) = db.import("employers", &people, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(body["error"]["code"], "missing_headers", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("credit_code (统一社会信用代码)")
    );
}

#[test]
fn enrolments_name_their_course_and_person_on_each_row() {
    let db = Database::new();
    let header = "课程编号,身份证号,姓名,入学日期,状态,结业或退出日期,出勤次数,证书编号";
    let file = db.file(
        "trainees.csv",
        format!(
            "{header}\n\
             {},{},张三,2024-01-10,已结业,2024-03-31,24,TJ-1\n\
             abc,{},李四,2024/1/10,毕业,,,\n",
            full_width("12"),
            full_width(&id_number(1)),
            id_number(2),
        )
        .as_bytes(),
    );
    let (status, dry) = db.import("enrolments", &file, &["--dry-run"]);
    assert_eq!(status, Some(1), "{dry}");
    let (status, summary) = db.import("enrolments", &file, &[]);
    assert_eq!(status, Some(1), "{summary}");
    assert_eq!(summary, dry, "a dry run counts the same");
    assert_eq!(counts(&summary), [2, 0, 0, 0, 2], "{summary}");
    assert_eq!(
        errors(&summary),
        owned(&[
            (2, "course", "unknown_course"),
            (2, "id_number", "unknown_person"),
            (3, "course", "unknown_course"),
            (3, "id_number", "unknown_person"),
            (3, "status", "unknown"),
        ])
    );

    let people = db.file("people.csv", "姓名,身份证号,残疾证号,所属区\n".as_bytes());
    let (status, body) = db.import("enrolments", &people, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(body["error"]["code"], "missing_headers", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("course (课程编号)"),
        "{body}"
    );
}
