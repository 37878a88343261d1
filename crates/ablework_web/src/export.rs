//! Spreadsheet files for people: the people list (masked) and the progress
//! report, as CSV (UTF-8 with a byte-order mark so spreadsheet programs read
//! the Chinese correctly, or GB18030 on request) or XLSX. Shared by the
//! pages and the command line, so both give the same file.

use ablework_app::persons::PersonView;
use ablework_app::{Actor, App, AppError, AppResult};
use ablework_domain::district;
use ablework_domain::ident::DisabilityLevel;
use ablework_domain::lang::Lang;
use ablework_domain::outcome::{EmploymentForm, Measure};
use ablework_domain::progress::ProgressReport;

/// The file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// The text encodings of a CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark.
    Utf8,
    /// GB18030 (a superset of GBK), for older spreadsheet software.
    Gb18030,
}

const PERSON_HEADERS: [(&str, &str); 15] = [
    ("编号", "id"),
    ("姓名", "name"),
    ("身份证号", "id_number"),
    ("残疾证号", "certificate_number"),
    ("性别", "sex"),
    ("年龄", "age"),
    ("残疾类别", "category"),
    ("残疾等级", "level"),
    ("所属区", "district"),
    ("街道", "street"),
    ("户籍类型", "hukou"),
    ("联系电话", "phone"),
    ("文化程度", "education"),
    ("就业状态", "employment_status"),
    ("登记日期", "registered_on"),
];

fn person_cells(person: &PersonView, lang: Lang) -> Vec<String> {
    let or_empty = |value: Option<&str>| value.unwrap_or_default().to_owned();
    vec![
        person.id.to_string(),
        person.name_masked.clone(),
        person.id_number_masked.clone(),
        person.certificate_masked.clone(),
        person.sex.label(lang).to_owned(),
        person.age.to_string(),
        person.category.label(lang).to_owned(),
        DisabilityLevel::new(person.level)
            .map(|l| l.label(lang).to_owned())
            .unwrap_or_default(),
        district::by_code(&person.district_code)
            .map_or_else(|| person.district_code.clone(), |d| d.name(lang).to_owned()),
        or_empty(person.street.as_deref()),
        or_empty(person.hukou.map(|h| h.label(lang))),
        or_empty(person.phone_masked.as_deref()),
        or_empty(person.education.map(|e| e.label(lang))),
        person.employment_status.label(lang).to_owned(),
        person.registered_on.to_string(),
    ]
}

fn failure(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("cannot write the file: {error}"))
}

/// One table of a file: a sheet name, headers and rows of text.
struct Table {
    name: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Builds a CSV file from one table, or an XLSX workbook with a sheet a table.
fn file(format: Format, encoding: CsvEncoding, tables: &[Table]) -> AppResult<Vec<u8>> {
    match format {
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            for table in tables {
                writer.write_record(&table.headers).map_err(failure)?;
                for row in &table.rows {
                    writer.write_record(row).map_err(failure)?;
                }
            }
            let bytes = writer.into_inner().map_err(failure)?;
            Ok(match encoding {
                CsvEncoding::Utf8 => {
                    let mut out = "\u{feff}".as_bytes().to_vec();
                    out.extend_from_slice(&bytes);
                    out
                }
                CsvEncoding::Gb18030 => {
                    let text = String::from_utf8(bytes).map_err(failure)?;
                    encoding_rs::GB18030.encode(&text).0.into_owned()
                }
            })
        }
        Format::Xlsx => {
            let mut workbook = rust_xlsxwriter::Workbook::new();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            for table in tables {
                let sheet = workbook.add_worksheet();
                sheet.set_name(&table.name).map_err(failure)?;
                for (column, header) in (0_u16..).zip(&table.headers) {
                    sheet
                        .write_string_with_format(0, column, header, &bold)
                        .map_err(failure)?;
                }
                for (row, cells) in (1_u32..).zip(&table.rows) {
                    for (column, value) in (0_u16..).zip(cells) {
                        // Counts are numbers in the workbook, so they can be summed.
                        match value.parse::<f64>() {
                            Ok(number) if !value.starts_with('0') || value == "0" => {
                                sheet.write_number(row, column, number).map_err(failure)?
                            }
                            _ => sheet.write_string(row, column, value).map_err(failure)?,
                        };
                    }
                }
                sheet.set_freeze_panes(1, 0).map_err(failure)?;
            }
            workbook.save_to_buffer().map_err(failure)
        }
    }
}

/// The people in the actor's scope (and an optional district), masked, as a
/// file; the export is audited. Returns the file and how many people it holds.
pub async fn persons_file(
    app: &App,
    actor: &Actor,
    format: Format,
    encoding: CsvEncoding,
    district: Option<&str>,
    lang: Lang,
    purpose: &str,
) -> AppResult<(Vec<u8>, u64)> {
    let mut rows = Vec::new();
    let mut sink = |person: &PersonView| -> AppResult<()> {
        rows.push(person_cells(person, lang));
        Ok(())
    };
    let count = app
        .export_persons(actor, district, purpose, &mut sink)
        .await?;
    let headers = PERSON_HEADERS
        .iter()
        .map(|(zh, en)| if lang == Lang::Zh { *zh } else { *en }.to_owned())
        .collect();
    let name = if lang == Lang::Zh { "人员" } else { "people" }.to_owned();
    Ok((
        file(
            format,
            encoding,
            &[Table {
                name,
                headers,
                rows,
            }],
        )?,
        count,
    ))
}

/// The progress report as a workbook: a sheet per breakdown, the same
/// figures as the dashboard, the API and `ablework report progress`.
#[expect(
    clippy::too_many_lines,
    reason = "one sheet after another, in the dashboard's order"
)]
pub fn progress_workbook(report: &ProgressReport, lang: Lang) -> AppResult<Vec<u8>> {
    let zh = lang == Lang::Zh;
    let words = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(z, e)| if zh { *z } else { *e }.to_owned())
            .collect::<Vec<_>>()
    };
    let target_headers = words(&[
        ("项目", "item"),
        ("目标", "target"),
        ("已实现", "achieved"),
        ("应完成", "expected_to_date"),
        ("进度", "status"),
    ]);
    let status = |s: ablework_domain::progress::PaceStatus| match (s, zh) {
        (ablework_domain::progress::PaceStatus::OnTrack, true) => "符合进度".to_owned(),
        (ablework_domain::progress::PaceStatus::Behind, true) => "落后于进度".to_owned(),
        (ablework_domain::progress::PaceStatus::OnTrack, false) => "on track".to_owned(),
        (ablework_domain::progress::PaceStatus::Behind, false) => "behind".to_owned(),
    };
    let tables = vec![
        Table {
            name: if zh { "总体" } else { "summary" }.to_owned(),
            headers: words(&[
                ("计划", "plan"),
                ("开始", "start"),
                ("结束", "end"),
                ("统计日", "today"),
                ("目标", "target"),
                ("已实现", "achieved"),
                ("应完成", "expected_to_date"),
            ]),
            rows: vec![vec![
                if zh {
                    report.plan_name_zh.clone()
                } else {
                    report.plan_name_en.clone()
                },
                report.start.to_string(),
                report.end.to_string(),
                report.today.to_string(),
                report.target.to_string(),
                report.achieved.to_string(),
                report.expected_to_date.to_string(),
            ]],
        },
        Table {
            name: if zh { "按年度" } else { "by year" }.to_owned(),
            headers: target_headers.clone(),
            rows: report
                .by_year
                .iter()
                .map(|r| {
                    vec![
                        r.year.to_string(),
                        r.target.to_string(),
                        r.achieved.to_string(),
                        r.expected_to_date.to_string(),
                        status(r.status),
                    ]
                })
                .collect(),
        },
        Table {
            name: if zh { "按季度" } else { "by quarter" }.to_owned(),
            headers: words(&[
                ("季度", "quarter"),
                ("新增", "achieved"),
                ("累计", "cumulative"),
            ]),
            rows: report
                .by_quarter
                .iter()
                .map(|r| {
                    vec![
                        r.period.clone(),
                        r.achieved.to_string(),
                        r.cumulative.to_string(),
                    ]
                })
                .collect(),
        },
        Table {
            name: if zh { "按月" } else { "by month" }.to_owned(),
            headers: words(&[
                ("月份", "month"),
                ("新增", "achieved"),
                ("累计", "cumulative"),
            ]),
            rows: report
                .by_month
                .iter()
                .map(|r| {
                    vec![
                        r.period.clone(),
                        r.achieved.to_string(),
                        r.cumulative.to_string(),
                    ]
                })
                .collect(),
        },
        Table {
            name: if zh { "按区" } else { "by district" }.to_owned(),
            headers: target_headers.clone(),
            rows: report
                .by_district
                .iter()
                .map(|r| {
                    vec![
                        district::by_code(&r.code)
                            .map_or_else(|| r.code.clone(), |d| d.name(lang).to_owned()),
                        r.target.to_string(),
                        r.achieved.to_string(),
                        r.expected_to_date.to_string(),
                        status(r.status),
                    ]
                })
                .collect(),
        },
        Table {
            name: if zh { "按措施" } else { "by measure" }.to_owned(),
            headers: target_headers,
            rows: report
                .by_measure
                .iter()
                .map(|r| {
                    vec![
                        Measure::from_code(&r.code)
                            .map_or_else(|| r.code.clone(), |m| m.label(lang).to_owned()),
                        r.target.to_string(),
                        r.achieved.to_string(),
                        r.expected_to_date.to_string(),
                        status(r.status),
                    ]
                })
                .collect(),
        },
        Table {
            name: if zh { "按就业形式" } else { "by form" }.to_owned(),
            headers: words(&[("就业形式", "form"), ("已实现", "achieved")]),
            rows: report
                .by_form
                .iter()
                .map(|r| {
                    vec![
                        EmploymentForm::from_code(&r.code)
                            .map_or_else(|| r.code.clone(), |f| f.label(lang).to_owned()),
                        r.achieved.to_string(),
                    ]
                })
                .collect(),
        },
    ];
    file(Format::Xlsx, CsvEncoding::Utf8, &tables)
}
