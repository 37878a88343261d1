//! `ablework export persons`: the people in scope, masked, as CSV (UTF-8
//! with a byte-order mark so spreadsheet programs read the Chinese
//! correctly, or GB18030 on request) or XLSX. The export is audited.

use std::io::Write;
use std::path::Path;

use ablework_app::persons::PersonView;
use ablework_app::{Actor, App, AppError};
use ablework_domain::district;
use ablework_domain::ident::DisabilityLevel;
use ablework_domain::lang::Lang;

use crate::config::Failure;

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// The text encodings of a CSV export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark.
    Utf8,
    /// GB18030 (a superset of GBK), for older spreadsheet software.
    Gb18030,
}

const HEADERS: [(&str, &str); 15] = [
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

fn cells(person: &PersonView, lang: Lang) -> [String; 15] {
    let or_empty = |value: Option<&str>| value.unwrap_or_default().to_owned();
    [
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

fn headers(lang: Lang) -> [&'static str; 15] {
    HEADERS.map(|(zh, en)| if lang == Lang::Zh { zh } else { en })
}

fn io_failure(path: &Path, error: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("cannot write {}: {error}", path.display()))
}

/// Writes the export and returns how many people it holds.
pub async fn export_persons(
    app: &App,
    actor: &Actor,
    format: Format,
    encoding: CsvEncoding,
    output: &Path,
    district: Option<&str>,
    lang: Lang,
) -> Result<u64, Failure> {
    let purpose = format!("cli export to {}", output.display());
    let rows = match format {
        Format::Csv => {
            let file = std::fs::File::create(output)
                .map_err(|e| Failure::Failed(format!("cannot create {}: {e}", output.display())))?;
            let mut out = std::io::BufWriter::new(file);
            // Each record is quoted by the csv crate into UTF-8, then encoded
            // whole, so a character is never split between encodings.
            let write_record = |out: &mut std::io::BufWriter<std::fs::File>,
                                record: &[String]|
             -> Result<(), AppError> {
                let mut line = csv::Writer::from_writer(Vec::new());
                line.write_record(record)
                    .map_err(|e| io_failure(output, e))?;
                let bytes = line.into_inner().map_err(|e| io_failure(output, e))?;
                let bytes = match encoding {
                    CsvEncoding::Utf8 => bytes,
                    CsvEncoding::Gb18030 => {
                        let text = String::from_utf8(bytes).map_err(|e| io_failure(output, e))?;
                        encoding_rs::GB18030.encode(&text).0.into_owned()
                    }
                };
                out.write_all(&bytes).map_err(|e| io_failure(output, e))
            };
            if encoding == CsvEncoding::Utf8 {
                out.write_all("\u{feff}".as_bytes())
                    .map_err(|e| Failure::Failed(e.to_string()))?;
            }
            let header: Vec<String> = headers(lang).iter().map(|h| (*h).to_owned()).collect();
            write_record(&mut out, &header).map_err(Failure::from_app)?;
            let mut sink = |person: &PersonView| write_record(&mut out, &cells(person, lang));
            let rows = app
                .export_persons(actor, district, &purpose, &mut sink)
                .await
                .map_err(Failure::from_app)?;
            out.flush().map_err(|e| Failure::Failed(e.to_string()))?;
            rows
        }
        Format::Xlsx => {
            let mut workbook = rust_xlsxwriter::Workbook::new();
            let sheet = workbook.add_worksheet();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            for (column, header) in (0_u16..).zip(headers(lang)) {
                sheet
                    .write_string_with_format(0, column, header, &bold)
                    .map_err(|e| Failure::Failed(e.to_string()))?;
            }
            let mut next_row = 1_u32;
            let mut sink = |person: &PersonView| -> Result<(), AppError> {
                for (column, value) in (0_u16..).zip(cells(person, lang)) {
                    sheet
                        .write_string(next_row, column, value)
                        .map_err(|e| io_failure(output, e))?;
                }
                next_row += 1;
                Ok(())
            };
            let rows = app
                .export_persons(actor, district, &purpose, &mut sink)
                .await
                .map_err(Failure::from_app)?;
            sheet
                .set_freeze_panes(1, 0)
                .map_err(|e| Failure::Failed(e.to_string()))?;
            workbook
                .save(output)
                .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", output.display())))?;
            rows
        }
    };
    Ok(rows)
}
