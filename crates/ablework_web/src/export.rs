//! Spreadsheet files for people: the people list (masked) and the progress
//! report, as CSV (UTF-8 with a byte-order mark so spreadsheet programs read
//! the Chinese correctly, or GB18030 on request) or XLSX. Shared by the
//! pages and the command line, so both give the same file.

use ablework_app::persons::PersonView;
use ablework_app::{Actor, App, AppError, AppResult};
use ablework_domain::district;
use ablework_domain::ident::DisabilityLevel;
use ablework_domain::lang::Lang;
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
pub(crate) struct Table {
    /// The sheet's name (Excel allows 31 characters).
    pub(crate) name: String,
    /// The column headings.
    pub(crate) headers: Vec<String>,
    /// The rows; counts are written as numbers.
    pub(crate) rows: Vec<Vec<String>>,
}

/// Builds a CSV file from one table, or an XLSX workbook with a sheet a table.
pub(crate) fn file(format: Format, encoding: CsvEncoding, tables: &[Table]) -> AppResult<Vec<u8>> {
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

/// The progress report as a workbook: the headline figures, then a sheet
/// per breakdown, the very tables the dashboard shows.
pub fn progress_workbook(report: &ProgressReport, lang: Lang) -> AppResult<Vec<u8>> {
    let t = crate::i18n::Text(lang);
    let tables: Vec<Table> = std::iter::once(crate::report::summary_table(report, t))
        .chain(crate::report::progress_tables(
            report,
            t,
            &crate::report::Drill::default(),
        ))
        .map(|table| Table {
            name: table.sheet.to_owned(),
            headers: table.headers,
            rows: table.rows,
        })
        .collect();
    file(Format::Xlsx, CsvEncoding::Utf8, &tables)
}
