//! `ablework export persons|employers|postings|…`: a list, masked, written
//! to a file with the same writer and the same columns the pages use. Every
//! export is audited.

use std::path::{Path, PathBuf};

use ablework_app::{Actor, App};
use ablework_domain::lang::Lang;
use ablework_web::export::{CsvEncoding, Format, ListKind, list_kind_file, write_persons};

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

/// The file an export is written to, beside `output`: it takes `output`'s
/// name only when whole, so a failure half-way leaves no truncated file
/// under that name.
fn partial(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!(".{name}.partial"))
}

fn cannot(output: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure::Failed(format!("cannot write {}: {e}", output.display()))
}

fn write(output: &Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write as _;
    let partial = partial(output);
    let mut file = std::fs::File::create(&partial).map_err(cannot(output))?;
    file.write_all(bytes).map_err(cannot(output))?;
    file.sync_all().map_err(cannot(output))?;
    std::fs::rename(&partial, output).map_err(cannot(output))
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
    let purpose = format!("cli export to {}", output.display());
    // Written as read: a million people hold a few megabytes of memory.
    let partial = partial(output);
    let cannot = cannot(output);
    let file = std::fs::File::create(&partial).map_err(&cannot)?;
    let written = write_persons(
        app,
        actor,
        chosen(format, encoding),
        district,
        lang,
        &purpose,
        std::io::BufWriter::new(file),
    )
    .await;
    let rows = match written {
        Ok((out, rows)) => {
            out.into_inner()
                .map_err(|e| cannot(e.into_error()))?
                .sync_all()
                .map_err(&cannot)?;
            rows
        }
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(Failure::from_app(error));
        }
    };
    std::fs::rename(&partial, output).map_err(&cannot)?;
    Ok(rows)
}
