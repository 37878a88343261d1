//! Reads files the tests write into a temporary directory, as people would
//! save them from Excel, WPS or other systems, and checks every row and
//! error that comes out.

#![expect(clippy::unwrap_used, reason = "tests")]

mod enrolments;
mod records;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use ablework_domain::ident::resident_id_check_char;
use ablework_domain::person::{Education, EmploymentStatus, Hukou};
use ablework_import::{
    Encoding, Field, FileError, Format, ImportOptions, PersonReader, PersonRow, RowError,
    read_persons,
};
use chrono::NaiveDate;
use tempfile::TempDir;

const HEADER: &str = "姓名,身份证号,残疾证号,所属区,街道,户籍类型,联系电话,文化程度,就业状态";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
}

/// A valid ID number from its first 17 digits.
fn id(first17: &str) -> String {
    format!("{first17}{}", resident_id_check_char(first17).unwrap())
}

/// A valid ID for person `n`: born in Heping on a day that varies with `n`.
fn nth_id(n: usize) -> String {
    let birth = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap() + chrono::Days::new((n / 1000) as u64);
    id(&format!("120101{}{:03}", birth.format("%Y%m%d"), n % 1000))
}

/// A certificate for `id_number`: hearing, level 2.
fn cert(id_number: &str) -> String {
    format!("{id_number}22")
}

/// A data line with every field filled in.
fn line(name: &str, id_number: &str, district: &str) -> String {
    format!(
        "{name},{id_number},{},{district},小白楼街道,城镇,13812341234,大专,未就业",
        cert(id_number)
    )
}

struct Files {
    dir: TempDir,
}

impl Files {
    fn new() -> Files {
        Files {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

fn open(path: &Path, encoding: Encoding) -> Result<PersonReader, FileError> {
    read_persons(
        path,
        &ImportOptions {
            encoding,
            today: today(),
        },
    )
}

/// Reads a file, splitting the good rows from the errors.
fn read(path: &Path, encoding: Encoding) -> (Vec<PersonRow>, Vec<RowError>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for item in open(path, encoding).unwrap() {
        match item {
            Ok(person) => good.push(person),
            Err(errors) => {
                assert!(!errors.is_empty());
                bad.extend(errors);
            }
        }
    }
    (good, bad)
}

fn rows(people: &[PersonRow]) -> Vec<usize> {
    people.iter().map(|person| person.row).collect()
}

fn summary(errors: &[RowError]) -> Vec<(usize, &str, &str)> {
    errors
        .iter()
        .map(|error| (error.row, error.field.as_str(), error.code.as_str()))
        .collect()
}

#[test]
fn gb18030_csv_keeps_a_name_outside_gbk() {
    // 𠮷 is not in GBK, so only a GB18030 decoder reads it.
    assert!(encoding_rs::GBK.encode("𠮷").2);
    let text = format!(
        "{HEADER}\r\n{}\r\n{}\r\n",
        line("𠮷祥", &nth_id(1), "和平区"),
        line("王芳", &nth_id(2), "河西区")
    );
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let files = Files::new();
    let path = files.write("gb18030.csv", &bytes);
    for encoding in [Encoding::Auto, Encoding::Gb18030] {
        let reader = open(&path, encoding).unwrap();
        assert_eq!(reader.encoding(), Some(Encoding::Gb18030));
        let (good, bad) = read(&path, encoding);
        assert_eq!(bad, []);
        assert_eq!(rows(&good), [2, 3]);
        assert_eq!(good[0].name, "𠮷祥");
        assert_eq!(good[0].district_code, "120101");
        assert_eq!(good[1].name, "王芳");
        assert_eq!(good[1].district_code, "120103");
    }
}

#[test]
fn gb18030_file_read_as_utf8_is_refused_at_the_header() {
    let text = format!("{HEADER}\n{}\n", line("王芳", &nth_id(2), "河西区"));
    let files = Files::new();
    let path = files.write("gbk.csv", &encoding_rs::GB18030.encode(&text).0);
    let error = open(&path, Encoding::Utf8).err().unwrap();
    assert!(matches!(
        error,
        FileError::Undecodable { encoding: "UTF-8" }
    ));
    assert_eq!(error.code(), "undecodable");
}

#[test]
fn utf8_with_and_without_bom_read_the_same() {
    let text = format!(
        "{HEADER}\n{}\n{}\n",
        line("张三", &nth_id(1), "和平区"),
        line("李四", &nth_id(2), "南开区")
    );
    let files = Files::new();
    let plain = files.write("plain.csv", text.as_bytes());
    let with_bom = files.write("bom.csv", &[b"\xEF\xBB\xBF", text.as_bytes()].concat());
    // A byte-order mark says UTF-8 even when GB18030 is asked for.
    for (path, encoding) in [
        (&plain, Encoding::Auto),
        (&plain, Encoding::Utf8),
        (&with_bom, Encoding::Auto),
        (&with_bom, Encoding::Utf8),
        (&with_bom, Encoding::Gb18030),
    ] {
        assert_eq!(
            open(path, encoding).unwrap().encoding(),
            Some(Encoding::Utf8)
        );
        let (good, bad) = read(path, encoding);
        assert_eq!(bad, [], "{path:?} {encoding:?}");
        assert_eq!(rows(&good), [2, 3]);
        assert_eq!(good[0].name, "张三");
        assert_eq!(good[1].district_code, "120104");
    }
}

#[test]
fn crlf_line_ends_and_blank_lines_keep_row_numbers() {
    let text = format!(
        "{HEADER}\r\n{}\r\n\r\n{}\r\n{}",
        line("张三", &nth_id(1), "和平区"),
        line("李四", &nth_id(2), "和平区"),
        // The last line has no line end at all.
        line("王五", &nth_id(3), "和平区")
    );
    let files = Files::new();
    let path = files.write("crlf.csv", text.as_bytes());
    let (good, bad) = read(&path, Encoding::Auto);
    assert_eq!(bad, []);
    assert_eq!(rows(&good), [2, 4, 5]);
    assert_eq!(good[2].name, "王五");
    assert_eq!(
        good[2].employment_status,
        Some(EmploymentStatus::Unemployed)
    );
}

#[test]
fn quoted_commas_and_line_breaks_stay_in_their_field() {
    let first = nth_id(1);
    let second = nth_id(2);
    let text = format!(
        "{HEADER}\n\
         \"张\n三\",{first},{},和平区,\"新华路, 10号\",城镇,,,\n\
         李四,{second},{},和平区,\"小白楼\r\n街道\",\"农村\",,\"本科\",\n\
         {}\n",
        cert(&first),
        cert(&second),
        line("王五", &nth_id(3), "和平区"),
    );
    let files = Files::new();
    let path = files.write("quoted.csv", text.as_bytes());
    let (good, bad) = read(&path, Encoding::Auto);
    assert_eq!(bad, []);
    // A record spanning lines is one spreadsheet row.
    assert_eq!(rows(&good), [2, 3, 4]);
    assert_eq!(good[0].name, "张三");
    assert_eq!(good[0].street.as_deref(), Some("新华路, 10号"));
    // Line breaks are spaces, and spaces between Chinese characters go.
    assert_eq!(good[1].street.as_deref(), Some("小白楼街道"));
    assert_eq!(good[1].hukou, Some(Hukou::Rural));
    assert_eq!(good[1].education, Some(Education::BachelorOrAbove));
    assert_eq!(good[1].phone, None);
}

#[test]
fn full_width_digits_are_read_as_digits() {
    let id_number = nth_id(7);
    let full_width = |text: &str| -> String {
        text.chars()
            .map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap())
            .collect()
    };
    let text = format!(
        "{HEADER}\n　张三　,{},{},１２０１０１,,,{},,\n",
        full_width(&id_number),
        full_width(&cert(&id_number)),
        full_width("13812341234"),
    );
    let files = Files::new();
    let path = files.write("full-width.csv", text.as_bytes());
    let (good, bad) = read(&path, Encoding::Auto);
    assert_eq!(bad, []);
    assert_eq!(good.len(), 1);
    assert_eq!(good[0].name, "张三");
    assert_eq!(good[0].id_number.as_str(), id_number);
    assert_eq!(good[0].certificate.as_str(), cert(&id_number));
    assert_eq!(good[0].district_code, "120101");
    assert_eq!(good[0].phone.as_deref(), Some("13812341234"));
}

#[test]
fn traditional_place_names_become_simplified() {
    let text = format!(
        "{HEADER}\n{}\n{}\n{}\n",
        line("张三", &nth_id(1), "濱海新區").replace("小白楼街道", "新港街道"),
        line("李四", &nth_id(2), "河東區").replace("小白楼街道", "東新街道"),
        line("王五", &nth_id(3), "薊縣").replace("小白楼街道", "漁陽鎮"),
    );
    let files = Files::new();
    let path = files.write("traditional.csv", text.as_bytes());
    let (good, bad) = read(&path, Encoding::Auto);
    assert_eq!(bad, []);
    let places: Vec<(&str, Option<&str>)> = good
        .iter()
        .map(|person| (person.district_code, person.street.as_deref()))
        .collect();
    assert_eq!(
        places,
        [
            ("120116", Some("新港街道")),
            ("120102", Some("东新街道")),
            ("120119", Some("渔阳镇")),
        ]
    );
}

#[test]
fn blank_rows_and_trailing_rows_are_skipped() {
    let text = format!(
        "{HEADER}\n{}\n,,,,,,,,\n{}\n,,,\n\n  ,\t,\n\n",
        line("张三", &nth_id(1), "和平区"),
        line("李四", &nth_id(2), "和平区"),
    );
    let files = Files::new();
    let path = files.write("trailing.csv", text.as_bytes());
    let (good, bad) = read(&path, Encoding::Auto);
    assert_eq!(bad, []);
    assert_eq!(rows(&good), [2, 4]);
}

#[test]
fn english_headers_in_any_case() {
    let id_number = nth_id(5);
    let text = format!(
        "Name, ID_Number ,Certificate Number,DISTRICT,street,Hukou,phone,Education,employment_status\n\
         Zhang  San,{id_number},{},Heping District,Xiaobailou,urban,138-1234-1234,college,employed\n",
        cert(&id_number)
    );
    let files = Files::new();
    let path = files.write("english.csv", text.as_bytes());
    let (good, bad) = read(&path, Encoding::Auto);
    assert_eq!(bad, []);
    assert_eq!(good.len(), 1);
    let person = &good[0];
    assert_eq!(person.row, 2);
    assert_eq!(person.name, "Zhang San");
    assert_eq!(person.district_code, "120101");
    assert_eq!(person.street.as_deref(), Some("Xiaobailou"));
    assert_eq!(person.hukou, Some(Hukou::Urban));
    assert_eq!(person.phone.as_deref(), Some("13812341234"));
    assert_eq!(person.education, Some(Education::College));
    assert_eq!(person.employment_status, Some(EmploymentStatus::Employed));
}

#[test]
fn missing_required_headers_are_named() {
    let files = Files::new();
    let path = files.write(
        "missing.csv",
        "2023年和平区残疾人就业登记表\n姓名,身份证号码,街道,手机号\n张三,120101199003071235,小白楼街道,13812341234\n"
            .as_bytes(),
    );
    let error = open(&path, Encoding::Auto).err().unwrap();
    match &error {
        FileError::MissingHeaders { missing } => {
            assert_eq!(missing, &[Field::CertificateNumber, Field::District]);
        }
        other => panic!("expected missing headers, got {other:?}"),
    }
    assert_eq!(error.code(), "missing_headers");
    assert!(error.to_string().starts_with(
        "The header row lacks required columns: certificate_number (残疾证号), district (所属区)."
    ));
}

#[test]
fn files_that_cannot_be_read_say_why() {
    let files = Files::new();
    let empty = files.write("empty.csv", b"");
    let blank = files.write("blank.csv", b"\n,,,\n\n");
    let pdf = files.write("people.pdf", b"%PDF-1.7\n...");
    let utf16 = files.write("unicode.txt", b"\xFF\xFEn\x00a\x00");
    let broken = files.write("broken.xlsx", b"PK\x03\x04 not really a zip");
    let absent = files.dir.path().join("absent.csv");
    let cases = [
        (&empty, "empty"),
        (&blank, "empty"),
        (&pdf, "unknown_format"),
        (&utf16, "undecodable"),
        (&broken, "unreadable"),
        (&absent, "cannot_open"),
    ];
    for (path, code) in cases {
        let error = open(path, Encoding::Auto).err().unwrap();
        assert_eq!(error.code(), code, "{path:?}: {error}");
        assert!(!error.message(ablework_domain::lang::Lang::Zh).is_empty());
    }
}

#[test]
fn ten_rows_of_which_three_are_bad() {
    let mut text = format!("{HEADER}\n");
    for n in 1..=10 {
        // Spreadsheet row n + 1, since the header is row 1.
        let id_number = nth_id(n);
        let data = match n + 1 {
            4 => {
                let mut wrong = id_number.clone();
                let check = wrong.pop().unwrap();
                wrong.push(if check == '0' { '1' } else { '0' });
                format!("赵四,{wrong},{},和平区,,,,,", cert(&id_number))
            }
            7 => format!("钱七,{id_number},{},朝阳区,,,12345,,", cert(&id_number)),
            10 => format!(",{id_number},{},和平区,,,,,", cert(&nth_id(99))),
            _ => line(&format!("孙{n}"), &id_number, "和平区"),
        };
        writeln!(text, "{data}").unwrap();
    }
    let files = Files::new();
    let path = files.write("ten.csv", text.as_bytes());
    let (good, bad) = read(&path, Encoding::Auto);
    assert_eq!(rows(&good), [2, 3, 5, 6, 8, 9, 11]);
    assert_eq!(
        summary(&bad),
        [
            (4, "id_number", "checksum"),
            (7, "district", "unknown"),
            (7, "phone", "format"),
            (10, "name", "required"),
            (10, "certificate_number", "id_mismatch"),
        ]
    );
    assert_eq!(bad[0].message_zh.chars().last(), Some('。'));
    assert!(bad[1].message_en.contains("朝阳区"));
}

#[test]
fn a_person_listed_twice_is_rejected_on_the_later_row() {
    let twice = nth_id(1);
    let text = format!(
        "{HEADER}\n{}\n{}\n{}\n",
        line("张三", &twice, "和平区"),
        line("李四", &nth_id(2), "和平区"),
        line("张三", &twice, "河西区").replace("13812341234", "999"),
    );
    let files = Files::new();
    let path = files.write("twice.csv", text.as_bytes());
    let (good, bad) = read(&path, Encoding::Auto);
    assert_eq!(rows(&good), [2, 3]);
    assert_eq!(
        summary(&bad),
        [(4, "id_number", "duplicate"), (4, "phone", "format")]
    );
    assert_eq!(
        bad[0].message_zh,
        "该身份证号已在第 2 行出现；每人只能列一次。"
    );
}

#[test]
fn numbers_a_spreadsheet_mangled_are_refused() {
    let id_number = nth_id(1);
    let text = format!(
        "{HEADER}\n\
         张三,=\"{id_number}\",'{},和平区,,,,,\n\
         李四,1.20101E+17,{},和平区,,,,,\n",
        cert(&id_number),
        cert(&nth_id(2)),
    );
    let files = Files::new();
    let path = files.write("excel.csv", text.as_bytes());
    let (good, bad) = read(&path, Encoding::Auto);
    assert_eq!(rows(&good), [2]);
    assert_eq!(good[0].id_number.as_str(), id_number);
    assert_eq!(summary(&bad), [(3, "id_number", "stored_as_number")]);
}

#[test]
fn a_csv_named_like_a_workbook_is_read_as_csv() {
    let text = format!("{HEADER}\n{}\n", line("张三", &nth_id(1), "和平区"));
    let files = Files::new();
    let path = files.write("export.xls", text.as_bytes());
    let reader = open(&path, Encoding::Auto).unwrap();
    assert_eq!(reader.format(), Format::Csv);
    assert_eq!(reader.count(), 1);
}

#[test]
fn damaged_bytes_are_reported_on_their_cell() {
    let mut bytes = format!("{HEADER}\n").into_bytes();
    bytes.extend_from_slice(line("张三", &nth_id(1), "和平区").as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(
        line("李\u{0}", &nth_id(2), "和平区")
            .replace('\u{0}', "\u{1}")
            .as_bytes(),
    );
    // Replace the control character by a byte that is never valid UTF-8.
    let position = bytes.iter().position(|b| *b == 1).unwrap();
    bytes[position] = 0xFF;
    bytes.push(b'\n');
    let files = Files::new();
    let path = files.write("damaged.csv", &bytes);
    let (good, bad) = read(&path, Encoding::Utf8);
    assert_eq!(rows(&good), [2]);
    assert_eq!(summary(&bad), [(3, "name", "undecodable")]);
}

#[test]
fn xlsx_with_a_title_row_above_the_headers() {
    let files = Files::new();
    let path = files.dir.path().join("heping.xlsx");
    let first = nth_id(1);
    let second = nth_id(2);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    // A first sheet of instructions, without headers, is passed over.
    let notes = workbook.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes.write_string(0, 0, "身份证号请设为文本格式").unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("登记表").unwrap();
    let title_format = rust_xlsxwriter::Format::new();
    sheet
        .merge_range(0, 0, 0, 9, "2023年和平区残疾人就业登记表", &title_format)
        .unwrap();
    // Row 2 stays blank; the header is row 3, with a 序号 column first.
    let header = [
        "序号",
        "姓名",
        "身份证号",
        "残疾证号",
        "所属区",
        "街道",
        "户口类型",
        "手机",
        "文化程度",
        "就业状态",
    ];
    for (column, text) in (0u16..).zip(header) {
        sheet.write_string(2, column, text).unwrap();
    }
    let people: [(&str, &str, String, &str); 3] = [
        ("张三", first.as_str(), cert(&first), "120101"),
        ("李四", second.as_str(), cert(&second), "河東區"),
        // An ID typed into a number cell keeps only 15 significant digits.
        ("王五", "", cert(&nth_id(3)), "和平区"),
    ];
    for (row, (name, id_number, certificate, district)) in (3u32..).zip(&people) {
        sheet.write_number(row, 0, f64::from(row - 2)).unwrap();
        sheet.write_string(row, 1, *name).unwrap();
        if id_number.is_empty() {
            sheet
                .write_number(row, 2, 120_101_196_001_010_010.0)
                .unwrap();
        } else {
            sheet.write_string(row, 2, *id_number).unwrap();
        }
        sheet.write_string(row, 3, certificate).unwrap();
        sheet.write_string(row, 4, *district).unwrap();
        sheet.write_string(row, 6, "非农业").unwrap();
        // Phone numbers are often stored as numbers, which is harmless.
        sheet.write_number(row, 7, 13_812_341_234.0).unwrap();
        sheet.write_string(row, 9, "已就业").unwrap();
    }
    // Numbered but empty template rows at the end are skipped.
    for row in 6u32..10 {
        sheet.write_number(row, 0, f64::from(row - 2)).unwrap();
    }
    workbook.save(&path).unwrap();

    let reader = open(&path, Encoding::Gb18030).unwrap();
    assert_eq!(reader.format(), Format::Xlsx);
    assert_eq!(reader.encoding(), None);
    assert_eq!(reader.header_row(), 3);
    assert_eq!(reader.ignored_headers(), ["序号"]);
    let (good, bad) = read(&path, Encoding::Auto);
    assert_eq!(rows(&good), [4, 5]);
    assert_eq!(good[0].name, "张三");
    assert_eq!(good[0].id_number.as_str(), first);
    assert_eq!(good[0].phone.as_deref(), Some("13812341234"));
    assert_eq!(good[0].hukou, Some(Hukou::Urban));
    assert_eq!(good[0].employment_status, Some(EmploymentStatus::Employed));
    assert_eq!(good[1].district_code, "120102");
    assert_eq!(summary(&bad), [(6, "id_number", "stored_as_number")]);
}

#[test]
fn xlsx_without_required_headers_is_refused() {
    let files = Files::new();
    let path = files.dir.path().join("partial.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, text) in (0u16..).zip(["姓名", "身份证号", "残疾证号"]) {
        sheet.write_string(0, column, text).unwrap();
    }
    workbook.save(&path).unwrap();
    let error = open(&path, Encoding::Auto).err().unwrap();
    assert!(
        matches!(&error, FileError::MissingHeaders { missing } if missing == &[Field::District]),
        "{error:?}"
    );
}

#[test]
fn a_hundred_thousand_rows_stream_through() {
    // A sanity check that a large file reads row by row in reasonable time
    // (no timing is asserted; benchmarks measure speed). Every 1000th row
    // has a bad phone number.
    const ROWS: usize = 100_000;
    let files = Files::new();
    let path = files.dir.path().join("large.csv");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(out, "{HEADER}").unwrap();
        for n in 0..ROWS {
            let id_number = nth_id(n);
            let phone = if n % 1000 == 999 { "12" } else { "13812341234" };
            writeln!(
                out,
                "姓名{n},{id_number},{},和平区,小白楼街道,城镇,{phone},大专,未就业",
                cert(&id_number)
            )
            .unwrap();
        }
        out.flush().unwrap();
    }
    let mut good = 0usize;
    let mut bad = Vec::new();
    let mut last_row = 0;
    for item in open(&path, Encoding::Auto).unwrap() {
        match item {
            Ok(person) => {
                good += 1;
                last_row = person.row;
            }
            Err(errors) => bad.extend(errors),
        }
    }
    assert_eq!(good, ROWS - ROWS / 1000);
    assert_eq!(bad.len(), ROWS / 1000);
    assert!(
        bad.iter()
            .all(|error| error.field == "phone" && error.code == "format")
    );
    assert_eq!(bad[0].row, 1001);
    assert_eq!(last_row, ROWS);
}
