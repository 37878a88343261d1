//! `ablework export persons|employers|postings|…`: a list, masked, written
//! to a file with the same writer and the same columns the pages use. Every
//! export is audited.

use std::path::Path;

use ablework_app::{Actor, App};
use ablework_domain::lang::Lang;
use ablework_web::export::{CsvEncoding, Format, ListKind, list_kind_file, persons_file};

use crate::config::Failure;

/// The file formats, as the command line names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Comma-separated values.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// The CSV encodings, as the command line names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EncodingArg {
    /// UTF-8 with a byte-order mark.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030 (a superset of GBK).
    Gb18030,
}

fn chosen(format: FormatArg, encoding: EncodingArg) -> (Format, CsvEncoding) {
    let format = match format {
        FormatArg::Csv => Format::Csv,
        FormatArg::Xlsx => Format::Xlsx,
    };
    let encoding = match encoding {
        EncodingArg::Utf8 => CsvEncoding::Utf8,
        EncodingArg::Gb18030 => CsvEncoding::Gb18030,
    };
    (format, encoding)
}

fn write(output: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(output, bytes)
        .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", output.display())))
}

/// Writes a whole list and returns how many rows it holds.
pub async fn export_list(
    app: &App,
    actor: &Actor,
    kind: ListKind,
    (format, encoding): (FormatArg, EncodingArg),
    output: &Path,
    lang: Lang,
) -> Result<u64, Failure> {
    let purpose = format!("cli export to {}", output.display());
    let (bytes, rows) = list_kind_file(kind, app, actor, chosen(format, encoding), lang, &purpose)
        .await
        .map_err(Failure::from_app)?;
    write(output, &bytes)?;
    Ok(rows)
}

/// Writes the export and returns how many people it holds.
pub async fn export_persons(
    app: &App,
    actor: &Actor,
    format: FormatArg,
    encoding: EncodingArg,
    output: &Path,
    district: Option<&str>,
    lang: Lang,
) -> Result<u64, Failure> {
    let (format, encoding) = chosen(format, encoding);
    let purpose = format!("cli export to {}", output.display());
    let (bytes, rows) = persons_file(app, actor, format, encoding, district, lang, &purpose)
        .await
        .map_err(Failure::from_app)?;
    write(output, &bytes)?;
    Ok(rows)
}
