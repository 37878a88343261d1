//! `ablework import persons FILE`: reads a CSV or XLSX file of people,
//! validates every row, and imports the good rows in batches, each batch
//! committed on its own; prints a summary (`--json`: CONTRACT.md's shape).
//!
//! Exit status: 0 when every row was imported or already up to date; 1 when
//! the file was refused or any row was rejected (the good rows are still
//! imported); 3 on other failures.

use std::io::IsTerminal;
use std::path::Path;

use ablework_app::import::{ImportRow, ImportSummary, RowIssue};
use ablework_app::persons::NewPersonInput;
use ablework_app::{Actor, App, Localized};
use ablework_domain::lang::Lang;
use ablework_import::{Encoding, ImportOptions, PersonRow, RowError, read_persons};
use serde_json::json;

use crate::config::Failure;

/// How many rows go into one transaction.
pub const BATCH_ROWS: usize = 1_000;

fn to_input(row: PersonRow) -> ImportRow {
    ImportRow {
        row: row.row,
        input: NewPersonInput {
            name: row.name,
            id_number: row.id_number.as_str().to_owned(),
            certificate_number: row.certificate.as_str().to_owned(),
            district: row.district_code.to_owned(),
            street: row.street,
            hukou: row.hukou.map(|h| h.code().to_owned()),
            phone: row.phone,
            education: row.education.map(|e| e.code().to_owned()),
            employment_status: row.employment_status.map(|s| s.code().to_owned()),
            retirement_group: None,
        },
    }
}

fn to_issue(error: RowError) -> RowIssue {
    RowIssue {
        row: error.row,
        field: error.field,
        code: error.code,
        message: Localized::new(error.message_zh, error.message_en),
    }
}

/// Runs the import and prints its summary.
pub async fn run(
    app: &App,
    file: &Path,
    encoding: &str,
    dry_run: bool,
    json_output: bool,
    lang: Lang,
) -> Result<u8, Failure> {
    let Some(encoding) = Encoding::from_code(encoding) else {
        return Err(Failure::Rejected(format!(
            "--encoding is auto, utf-8 or gb18030, not {encoding:?}"
        )));
    };
    let options = ImportOptions {
        encoding,
        today: app.today(),
    };
    let reader = match read_persons(file, &options) {
        Ok(reader) => reader,
        Err(error) => {
            if json_output {
                let body =
                    json!({ "error": { "code": error.code(), "message": error.message(lang) } });
                println!("{body}");
            }
            return Err(Failure::Rejected(error.message(lang)));
        }
    };
    let actor = Actor::operator(None);
    let source = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let progress = if std::io::stderr().is_terminal() && !json_output {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} rows read ({per_sec})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Some(bar)
    } else {
        None
    };
    let mut summary = ImportSummary::default();
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    for item in reader {
        match item {
            Ok(row) => batch.push(to_input(row)),
            Err(errors) => summary.reject(errors.into_iter().map(to_issue).collect()),
        }
        if batch.len() == BATCH_ROWS {
            app.import_persons_batch(
                &actor,
                std::mem::take(&mut batch),
                dry_run,
                &source,
                &mut summary,
            )
            .await
            .map_err(Failure::from_app)?;
        }
        if let Some(bar) = &progress {
            bar.set_position(summary.read + batch.len() as u64);
        }
    }
    if !batch.is_empty() {
        app.import_persons_batch(&actor, batch, dry_run, &source, &mut summary)
            .await
            .map_err(Failure::from_app)?;
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    summary.errors.sort_by_key(|issue| issue.row);
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
