//! `ablework import persons|employers|postings|outcomes|enrolments FILE`:
//! reads a CSV or XLSX file, validates every row, and imports the good rows
//! in batches, each batch committed on its own (enrolments row by row,
//! through the programmes' use cases); prints a summary (`--json`:
//! CONTRACT.md's shape, the same for every kind).
//!
//! Exit status: 0 when every row was imported or already up to date; 1 when
//! the file was refused or any row was rejected (the good rows are still
//! imported); 3 on other failures.

use std::io::IsTerminal;
use std::path::Path;

use ablework_app::import::ImportSummary;
use ablework_app::{Actor, App};
use ablework_domain::lang::Lang;
use ablework_import::Encoding;
use ablework_web::import::{
    BULK_BATCH_ROWS, ImportFailure, ImportKind, ImportProgress, import_file,
};
use serde_json::json;

use crate::config::Failure;

/// About how many bytes a person takes in a file (92 a row in the
/// benchmark's GB18030 file, more in UTF-8; a row of XLSX, compressed,
/// fewer), to guess from a file's size how many people it holds.
const BYTES_A_PERSON: u64 = 80;

/// How to run an import, from the command line.
pub struct Options<'a> {
    /// `--encoding`.
    pub encoding: &'a str,
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--json`.
    pub json: bool,
    /// `--lang`.
    pub lang: Lang,
}

/// Runs the import of a file of `kind` and prints its summary.
pub async fn run(
    app: &App,
    kind: ImportKind,
    file: &Path,
    options: &Options<'_>,
) -> Result<u8, Failure> {
    let &Options {
        encoding,
        dry_run,
        json: json_output,
        lang,
    } = options;
    let Some(encoding) = Encoding::from_code(encoding) else {
        return Err(Failure::Rejected(format!(
            "--encoding is auto, utf-8 or gb18030, not {encoding:?}"
        )));
    };
    let actor = Actor::operator(None);
    let source = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let progress = if std::io::stderr().is_terminal() && !json_output {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} rows read ({per_sec}) {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Some(bar)
    } else {
        None
    };
    let mut report = |summary: &mut ImportSummary, _row: usize| {
        if let Some(bar) = &progress {
            bar.set_position(summary.read);
        }
    };
    let steps = ImportProgress {
        resume_after: 0,
        batch_rows: BULK_BATCH_ROWS,
        batch_done: &mut report,
    };
    // A large file of people goes in with the store's indexes set aside,
    // rebuilt once at the end, whatever the end (docs/imports.md).
    let set_aside = if kind == ImportKind::Persons && !dry_run {
        let bytes = std::fs::metadata(file).map_or(0, |m| m.len());
        app.begin_person_load(bytes / BYTES_A_PERSON)
            .await
            .map_err(Failure::from_app)?
    } else {
        false
    };
    let imported = import_file(app, &actor, kind, file, encoding, dry_run, &source, steps).await;
    if set_aside {
        if let Some(bar) = &progress {
            bar.set_message(match lang {
                Lang::Zh => "正在重建索引……",
                Lang::En => "rebuilding the indexes…",
            });
        }
        app.finish_person_load().await.map_err(Failure::from_app)?;
    }
    let summary = match imported {
        Ok(summary) => summary,
        Err(ImportFailure::File(error)) => {
            if json_output {
                let body =
                    json!({ "error": { "code": error.code(), "message": error.message(lang) } });
                println!("{body}");
            }
            return Err(Failure::Rejected(error.message(lang)));
        }
        Err(ImportFailure::App(error)) => return Err(Failure::from_app(error)),
    };
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    print_summary(&summary, dry_run, json_output, lang);
    Ok(u8::from(summary.rejected > 0))
}

fn print_summary(summary: &ImportSummary, dry_run: bool, json_output: bool, lang: Lang) {
    if json_output {
        let errors: Vec<_> = summary
            .errors
            .iter()
            .map(|e| json!({ "row": e.row, "field": e.field, "code": e.code, "message": e.message.get(lang) }))
            .collect();
        let body = json!({
            "read": summary.read,
            "inserted": summary.inserted,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "rejected": summary.rejected,
            "errors": errors,
        });
        println!("{body}");
    }
    for error in &summary.errors {
        eprintln!(
            "row {}: {}: {} ({})",
            error.row,
            error.field,
            error.message.get(lang),
            error.code
        );
    }
    let note = if dry_run {
        " (dry run: nothing was written)"
    } else {
        ""
    };
    eprintln!(
        "ablework: {} rows read, {} inserted, {} updated, {} unchanged, {} rejected{note}",
        summary.read, summary.inserted, summary.updated, summary.unchanged, summary.rejected
    );
}
