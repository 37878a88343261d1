//! Training enrolments read from files the tests write: GB18030 text with
//! full-width numbers, English headers below a title row, dates as people
//! write them and as date cells, and bad rows among good ones.

use ablework_import::{Encoding, EnrolmentRow, FileError, ImportKind, read_enrolments, read_raw};

use super::Files;
use super::records::{full_width, id, options, split, summary};

const HEADER: &str = "课程编号,身份证号,姓名,入学日期,状态,结业或退出日期,出勤次数,证书编号";

fn read(path: &std::path::Path) -> (Vec<EnrolmentRow>, Vec<ablework_import::RowError>) {
    split(
        read_enrolments(path, &options(Encoding::Auto)).unwrap(),
        |row: &EnrolmentRow| &row.issues,
    )
}

#[test]
fn enrolments_in_gb18030_with_full_width_numbers_and_dates_as_people_write_them() {
    let zhang = id("12010119900307123");
    let wang = id("12010119851120244");
    let li = id("12010219780601322");
    let text = format!(
        "{HEADER}\r\n\
         １２,{},张伟,2024年3月1日,已结業,2024/4/30,１６,tj-2024-001\r\n\
         12,{wang},王  芳,2024.3.1,在册,,,\r\n\
         12,{li},李娜,20240301,,,,\r\n\
         13,{zhang},张伟,2024-03-01 00:00:00,已退出,2024-03-20,3,\r\n",
        full_width(&zhang),
    );
    let files = Files::new();
    let path = files.write("enrolments.csv", &encoding_rs::GB18030.encode(&text).0);
    let reader = read_enrolments(&path, &options(Encoding::Auto)).unwrap();
    assert_eq!(reader.encoding(), Some(Encoding::Gb18030));
    let (rows, errors) = read(&path);
    assert_eq!(errors, []);
    assert_eq!(
        rows.iter().map(|row| row.row).collect::<Vec<_>>(),
        [2, 3, 4, 5]
    );
    let first = &rows[0];
    assert_eq!(first.course, "12");
    assert_eq!(first.id_number, zhang);
    assert_eq!(first.name, "张伟");
    assert_eq!(first.joined_on, "2024-03-01");
    assert_eq!(first.status, "completed");
    assert_eq!(first.ended_on, "2024-04-30");
    assert_eq!(first.sessions_attended, "16");
    assert_eq!(first.certificate, "TJ-2024-001");
    assert_eq!(
        rows[1].name, "王芳",
        "padding between Chinese characters goes"
    );
    assert_eq!(rows[1].joined_on, "2024-03-01");
    assert_eq!(rows[1].status, "active");
    assert_eq!(rows[1].ended_on, "");
    assert_eq!(rows[2].joined_on, "2024-03-01");
    assert_eq!(rows[2].status, "", "blank only enrols");
    // The same person on another course is another record.
    assert_eq!(rows[3].course, "13");
    assert_eq!(rows[3].joined_on, "2024-03-01");
    assert_eq!(rows[3].status, "withdrawn");
    assert_eq!(rows[3].ended_on, "2024-03-20");
}

#[test]
fn enrolments_xlsx_with_english_headers_date_cells_and_bad_rows() {
    let files = Files::new();
    let path = files.dir.path().join("enrolments.xlsx");
    let zhang = id("12010119900307123");
    let wang = id("12010119851120244");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "2024 trainees").unwrap();
    let header = [
        "Course",
        "ID Number",
        "Name",
        "Joined On",
        "status",
        "ended_on",
        "Sessions Attended",
        "certificate",
    ];
    for (column, text) in (0_u16..).zip(header) {
        sheet.write_string(1, column, text).unwrap();
    }
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let day = |d| rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, d).unwrap();
    // Row 3: a course number and attendance stored as numbers, dates as cells.
    sheet.write_number(2, 0, 12.0).unwrap();
    sheet.write_string(2, 1, &zhang).unwrap();
    sheet.write_string(2, 2, "Zhang Wei").unwrap();
    sheet
        .write_datetime_with_format(2, 3, day(1), &date_format)
        .unwrap();
    sheet.write_string(2, 4, "Completed").unwrap();
    sheet
        .write_datetime_with_format(2, 5, day(30), &date_format)
        .unwrap();
    sheet.write_number(2, 6, 16.0).unwrap();
    sheet.write_string(2, 7, "C-1").unwrap();
    // Row 4: an unknown status, a day that is not a date, one that does not exist.
    for (column, text) in (0_u16..).zip([
        "12",
        wang.as_str(),
        "王芳",
        "三月一日",
        "毕业",
        "2024-02-30",
    ]) {
        sheet.write_string(3, column, text).unwrap();
    }
    // Row 5: the same course and person as row 3.
    for (column, text) in (0_u16..).zip(["12", zhang.as_str(), "张伟", "2024/3/2"]) {
        sheet.write_string(4, column, text).unwrap();
    }
    workbook.save(&path).unwrap();

    let (rows, errors) = read(&path);
    assert_eq!(
        rows.iter().map(|row| row.row).collect::<Vec<_>>(),
        [3, 4, 5]
    );
    assert_eq!(rows[0].course, "12");
    assert_eq!(rows[0].joined_on, "2024-03-01");
    assert_eq!(rows[0].status, "completed");
    assert_eq!(rows[0].ended_on, "2024-03-30");
    assert_eq!(rows[0].sessions_attended, "16");
    assert_eq!(
        summary(&errors),
        [
            (4, "joined_on", "format"),
            (4, "status", "unknown"),
            (4, "ended_on", "format"),
            (5, "id_number", "duplicate"),
        ]
    );
    assert_eq!(
        errors[1].message_zh,
        "状态“毕业”无法识别：应为在册、已结业或已退出。"
    );
    assert!(errors[3].message_en.contains("Row 3"));
    assert_eq!(rows[1].status, "毕业", "kept as written");
}

#[test]
fn an_enrolment_file_without_its_course_is_refused_and_raw_rows_match() {
    let files = Files::new();
    let person = id("12010119900307123");
    let path = files.write(
        "trainees.csv",
        format!("身份证号,姓名,入学日期\n{person},张伟,2024-03-01\n").as_bytes(),
    );
    let error = read_enrolments(&path, &options(Encoding::Auto))
        .err()
        .unwrap();
    assert_eq!(error.code(), "missing_headers");
    assert!(matches!(&error, FileError::MissingColumns { missing } if missing.len() == 1));
    assert!(
        error
            .message(ablework_domain::lang::Lang::Zh)
            .starts_with("表头缺少必填列：课程编号（course）")
    );

    let path = files.write(
        "with-title.csv",
        format!("培训学员名册\n{HEADER},备注\n12,{person},张伟,2024-03-01,,,,,说明\n").as_bytes(),
    );
    let raw = read_raw(&path, ImportKind::Enrolments, Encoding::Auto).unwrap();
    assert_eq!(raw.header_row(), 2);
    assert_eq!(raw.map(|row| row.unwrap().row).collect::<Vec<_>>(), [3]);
    let (rows, errors) = read(&path);
    assert_eq!(errors, []);
    assert_eq!(rows[0].row, 3);
}
