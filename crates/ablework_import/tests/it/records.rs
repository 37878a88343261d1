//! Employers, job postings and employment outcomes, read from files the
//! tests write: GB18030 text, workbooks with a title row, full-width
//! digits, traditional place names, and bad rows among good ones.

use std::path::Path;

use ablework_domain::ident::{credit_code_check_char, resident_id_check_char};
use ablework_import::{
    EmployerRow, Encoding, FileError, ImportKind, ImportOptions, OutcomeRow, PostingRow, RowError,
    read_employers, read_outcomes, read_postings, read_raw,
};
use chrono::NaiveDate;

use super::Files;

pub(super) fn options(encoding: Encoding) -> ImportOptions {
    ImportOptions {
        encoding,
        today: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
    }
}

/// A valid credit code: Tianjin Heping, serial `n`.
fn uscc(n: u32) -> String {
    let first17 = format!("91120101MA{n:07}");
    format!("{first17}{}", credit_code_check_char(&first17).unwrap())
}

pub(super) fn id(first17: &str) -> String {
    format!("{first17}{}", resident_id_check_char(first17).unwrap())
}

/// Full-width forms of ASCII digits and letters.
pub(super) fn full_width(text: &str) -> String {
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

/// The rows and all their issues (reader errors included).
pub(super) fn split<R>(
    items: impl Iterator<Item = Result<R, Vec<RowError>>>,
    issues: fn(&R) -> &[RowError],
) -> (Vec<R>, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for item in items {
        let row = item.unwrap();
        errors.extend(issues(&row).iter().cloned());
        rows.push(row);
    }
    (rows, errors)
}

pub(super) fn summary(errors: &[RowError]) -> Vec<(usize, &str, &str)> {
    errors
        .iter()
        .map(|error| (error.row, error.field.as_str(), error.code.as_str()))
        .collect()
}

fn xlsx(path: &Path, title: &str, rows: &[Vec<&str>]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, title).unwrap();
    for (row, cells) in (2_u32..).zip(rows) {
        for (column, text) in (0_u16..).zip(cells) {
            sheet.write_string(row, column, *text).unwrap();
        }
    }
    workbook.save(path).unwrap();
}

const EMPLOYER_HEADER: &str =
    "统一社会信用代码,单位名称,单位类型,所属区,行业,在职职工人数,编制数,中小学或幼儿园,国有企业";

#[test]
fn employers_in_gb18030_with_full_width_codes_and_traditional_districts() {
    let text = format!(
        "{EMPLOYER_HEADER}\r\n\
         {},天津示范制造有限公司,企業,濱海新區,製造業,１２０,,否,是\r\n\
         {},和平区第一中学,事业单位,和平区,教育,80,75,是,\r\n",
        full_width(&uscc(1)),
        uscc(2).to_lowercase(),
    );
    let files = Files::new();
    let path = files.write("employers.csv", &encoding_rs::GB18030.encode(&text).0);
    let reader = read_employers(&path, &options(Encoding::Auto)).unwrap();
    assert_eq!(reader.encoding(), Some(Encoding::Gb18030));
    let (rows, errors) = split(reader, |row: &EmployerRow| &row.issues);
    assert_eq!(errors, []);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].row, 2);
    assert_eq!(rows[0].credit_code, uscc(1));
    assert_eq!(rows[0].kind, "enterprise");
    assert_eq!(rows[0].district, "滨海新区");
    assert_eq!(rows[0].sector, "manufacturing");
    assert_eq!(rows[0].staff, "120");
    assert_eq!(rows[0].staffing_quota, None);
    assert!(rows[0].state_owned && !rows[0].is_school);
    assert_eq!(rows[1].credit_code, uscc(2));
    assert_eq!(rows[1].kind, "institution");
    assert_eq!(rows[1].sector, "education");
    assert_eq!(rows[1].staffing_quota.as_deref(), Some("75"));
    assert!(rows[1].is_school && !rows[1].state_owned);
}

#[test]
fn employers_xlsx_with_a_title_row_and_english_headers() {
    let files = Files::new();
    let path = files.dir.path().join("employers.xlsx");
    let code = uscc(3);
    xlsx(
        &path,
        "2024 employers",
        &[
            vec!["credit_code", "Name", "kind", "district", "sector", "staff"],
            vec![
                code.as_str(),
                "Heping Retail Ltd",
                "enterprise",
                "120101",
                "retail",
                "45",
            ],
        ],
    );
    let (rows, errors) = split(
        read_employers(&path, &options(Encoding::Auto)).unwrap(),
        |row: &EmployerRow| &row.issues,
    );
    assert_eq!(errors, []);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].row, 4);
    assert_eq!(rows[0].name, "Heping Retail Ltd");
    assert_eq!(rows[0].sector, "retail");
}

#[test]
fn a_bad_employer_row_lists_every_problem_and_the_others_still_read() {
    let text = format!(
        "{EMPLOYER_HEADER}\n\
         {},甲公司,企业,和平区,制造业,10,,,\n\
         {},乙,工厂,和平区,挖矿,10,,也许,不知道\n\
         {},丙公司,企业,河西区,批发和零售业,20,,,\n\
         {},甲公司又一行,企业,和平区,制造业,10,,,\n",
        uscc(4),
        uscc(5),
        uscc(6),
        uscc(4),
    );
    let files = Files::new();
    let path = files.write("bad.csv", text.as_bytes());
    let (rows, errors) = split(
        read_employers(&path, &options(Encoding::Auto)).unwrap(),
        |row: &EmployerRow| &row.issues,
    );
    assert_eq!(rows.len(), 4);
    assert_eq!(
        summary(&errors),
        [
            (3, "kind", "unknown"),
            (3, "sector", "unknown"),
            (3, "is_school", "unknown"),
            (3, "state_owned", "unknown"),
            (5, "credit_code", "duplicate"),
        ]
    );
    assert_eq!(
        errors[0].message_zh,
        "单位类型“工厂”无法识别：应为企业、机关、事业单位或社会团体。"
    );
    assert!(errors[4].message_en.contains("Row 2"));
}

const POSTING_HEADER: &str = "单位统一社会信用代码,岗位名称,职业类别,工作地点所属区,工作地址,工作时间,月工资,招聘人数,学历要求,技能要求,功能要求,便利措施,可居家办公,残疾人专岗";

#[test]
fn postings_in_gb18030_with_lists_and_traditional_districts() {
    let text = format!(
        "{POSTING_HEADER}\r\n\
         {},客服专员,42,河東區,\"十一经路 1 号\",全日制,\"4,500\",２,高中,\"普通话，电脑\",\"接待公众：经常、使用电话：偶尔\",\"无障碍通道、弹性工作时间\",是,是\r\n",
        full_width(&uscc(7)),
    );
    let files = Files::new();
    let path = files.write("postings.csv", &encoding_rs::GB18030.encode(&text).0);
    let (rows, errors) = split(
        read_postings(&path, &options(Encoding::Gb18030)).unwrap(),
        |row: &PostingRow| &row.issues,
    );
    assert_eq!(errors, []);
    let row = &rows[0];
    assert_eq!(row.employer_credit_code, uscc(7));
    assert_eq!(row.title, "客服专员");
    assert_eq!(row.occupation, "42");
    assert_eq!(row.district, "河东区");
    assert_eq!(row.hours, "full_time");
    assert_eq!(row.monthly_wage, "4,500");
    assert_eq!(row.posts, "2");
    assert_eq!(row.education_required, "senior_secondary");
    assert_eq!(
        row.demands,
        [
            ("interpersonal".to_owned(), "frequent".to_owned()),
            ("phone_use".to_owned(), "occasional".to_owned())
        ]
    );
    assert_eq!(row.accommodations, ["step_free", "flexible_hours"]);
    assert!(row.remote_possible && row.reserved_for_disabled);
}

#[test]
fn postings_xlsx_with_a_title_row_and_a_bad_row() {
    let files = Files::new();
    let path = files.dir.path().join("postings.xlsx");
    let code = uscc(8);
    xlsx(
        &path,
        "2024年招聘岗位",
        &[
            vec![
                "单位统一社会信用代码",
                "岗位名称",
                "职业类别",
                "所属区",
                "工作地址",
                "工作时间",
                "月工资",
                "招聘人数",
                "功能要求",
                "便利措施",
            ],
            vec![
                code.as_str(),
                "仓库管理员",
                "43",
                "北辰区",
                "北辰道 2 号",
                "全日制",
                "5000",
                "1",
                "",
                "",
            ],
            vec![
                code.as_str(),
                "包装工",
                "93",
                "北辰区",
                "北辰道 2 号",
                "三班倒",
                "4000",
                "3",
                "飞行：经常",
                "免费午餐",
            ],
            vec![
                code.as_str(),
                "仓库管理员",
                "43",
                "北辰区",
                "北辰道 2 号",
                "全日制",
                "5000",
                "1",
                "",
                "",
            ],
        ],
    );
    let (rows, errors) = split(
        read_postings(&path, &options(Encoding::Auto)).unwrap(),
        |row: &PostingRow| &row.issues,
    );
    assert_eq!(
        rows.iter().map(|row| row.row).collect::<Vec<_>>(),
        [4, 5, 6]
    );
    assert_eq!(
        summary(&errors),
        [
            (5, "hours", "unknown"),
            (5, "demands", "unknown"),
            (5, "accommodations", "unknown"),
            (6, "title", "duplicate"),
        ]
    );
}

const OUTCOME_HEADER: &str =
    "身份证号,就业日期,就业形式,单位统一社会信用代码,计入措施,合同期限（月）,月工资,缴纳社会保险";

#[test]
fn outcomes_in_gb18030_with_dates_as_people_write_them() {
    let person = id("12010119900307123");
    let text = format!(
        "{OUTCOME_HEADER}\r\n\
         {},2024年3月1日,按比例就业,{},,12,4500,是\r\n\
         {},2024/5/6,灵活就业,,3,,,\r\n",
        full_width(&person),
        full_width(&uscc(9)),
        person,
    );
    let files = Files::new();
    let path = files.write("outcomes.csv", &encoding_rs::GB18030.encode(&text).0);
    let (rows, errors) = split(
        read_outcomes(&path, &options(Encoding::Auto)).unwrap(),
        |row: &OutcomeRow| &row.issues,
    );
    assert_eq!(errors, []);
    assert_eq!(rows[0].id_number, person);
    assert_eq!(rows[0].started_on, "2024-03-01");
    assert_eq!(rows[0].form, "quota");
    assert_eq!(rows[0].employer_credit_code, uscc(9));
    assert_eq!(rows[0].measure, "");
    assert_eq!(rows[0].insured, "yes");
    assert_eq!(rows[1].started_on, "2024-05-06");
    assert_eq!(rows[1].form, "flexible");
    assert_eq!(rows[1].measure, "m03_private");
    assert_eq!(rows[1].insured, "");
}

#[test]
fn outcomes_xlsx_with_a_title_row_date_cells_and_a_bad_row() {
    let files = Files::new();
    let path = files.dir.path().join("outcomes.xlsx");
    let person = id("12010119900307123");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "就业登记").unwrap();
    for (column, header) in (0_u16..).zip(["身份证号", "就业日期", "就业形式", "缴纳社会保险"])
    {
        sheet.write_string(1, column, header).unwrap();
    }
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 7, 1).unwrap();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(2, 0, &person).unwrap();
    sheet
        .write_datetime_with_format(2, 1, &day, &date_format)
        .unwrap();
    sheet.write_string(2, 2, "灵活就业").unwrap();
    sheet.write_string(3, 0, &person).unwrap();
    sheet.write_string(3, 1, "七月一日").unwrap();
    sheet.write_string(3, 2, "打零工").unwrap();
    sheet.write_string(3, 3, "可能").unwrap();
    workbook.save(&path).unwrap();
    let (rows, errors) = split(
        read_outcomes(&path, &options(Encoding::Auto)).unwrap(),
        |row: &OutcomeRow| &row.issues,
    );
    assert_eq!(rows[0].row, 3);
    assert_eq!(rows[0].started_on, "2024-07-01");
    assert_eq!(
        summary(&errors),
        [
            (4, "started_on", "format"),
            (4, "form", "unknown"),
            (4, "insured", "unknown"),
        ]
    );
}

#[test]
fn missing_columns_of_a_kind_are_named() {
    let files = Files::new();
    let path = files.write("postings.csv", "岗位名称,月工资\n客服,4000\n".as_bytes());
    let error = read_postings(&path, &options(Encoding::Auto))
        .err()
        .unwrap();
    assert_eq!(error.code(), "missing_headers");
    assert!(matches!(&error, FileError::MissingColumns { missing } if missing.len() == 6));
    assert!(error.message(ablework_domain::lang::Lang::Zh).starts_with(
        "表头缺少必填列：单位统一社会信用代码（employer_credit_code）、职业类别（occupation）"
    ));
}

#[test]
fn raw_rows_keep_the_text_and_the_row_numbers_of_the_readers() {
    let text = format!(
        "天津市用人单位名录\n\n{EMPLOYER_HEADER},备注\n{},甲,企业,和平区,制造业,10,,,,说明\n\n{},乙,工厂,和平区,制造业,10,,,,\n",
        uscc(10),
        full_width(&uscc(11)),
    );
    let files = Files::new();
    let path = files.write("raw.csv", text.as_bytes());
    let raw = read_raw(&path, ImportKind::Employers, Encoding::Auto).unwrap();
    assert_eq!(raw.header_row(), 3);
    assert_eq!(raw.header().len(), 10);
    assert_eq!(raw.header()[9], "备注");
    let raw_rows: Vec<_> = raw.map(Result::unwrap).collect();
    assert_eq!(
        raw_rows.iter().map(|row| row.row).collect::<Vec<_>>(),
        [4, 6]
    );
    assert_eq!(
        raw_rows[1].cells[0],
        full_width(&uscc(11)),
        "the text as written"
    );
    assert_eq!(raw_rows[1].cells[2], "工厂");
    let (rows, errors) = split(
        read_employers(&path, &options(Encoding::Auto)).unwrap(),
        |row: &EmployerRow| &row.issues,
    );
    assert_eq!(rows.iter().map(|row| row.row).collect::<Vec<_>>(), [4, 6]);
    assert_eq!(summary(&errors), [(6, "kind", "unknown")]);
    // People too.
    let people = files.write(
        "people.csv",
        "标题\n姓名,身份证号,残疾证号,所属区\n张三,1,2,和平区\n".as_bytes(),
    );
    let raw = read_raw(&people, ImportKind::Persons, Encoding::Auto).unwrap();
    assert_eq!(raw.header_row(), 2);
    assert_eq!(raw.map(|row| row.unwrap().row).collect::<Vec<_>>(), [3]);
    let refused = read_raw(&people, ImportKind::Outcomes, Encoding::Auto)
        .err()
        .unwrap();
    assert_eq!(refused.code(), "missing_headers");
}
