//! Importing a people file, shared by the upload page and the command line:
//! read and validate every row, then import the good rows in batches of
//! [`BATCH_ROWS`], each committed on its own.

use std::path::Path;

use ablework_app::import::{ImportRow, ImportSummary, RowIssue};
use ablework_app::persons::NewPersonInput;
use ablework_app::{Actor, App, AppError, Localized};
use ablework_import::{Encoding, FileError, ImportOptions, PersonRow, RowError, read_persons};

/// How many rows go into one transaction.
pub const BATCH_ROWS: usize = 1_000;

/// Why an import stopped.
#[derive(Debug)]
pub enum ImportFailure {
    /// The file itself was refused (format, encoding, headers).
    File(FileError),
    /// The application refused or failed.
    App(AppError),
}

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

/// Where an import starts and whom it tells of its batches.
pub struct ImportProgress<'a> {
    /// Rows up to this row number were imported by an earlier, interrupted
    /// run of the same file and are skipped (0: none).
    pub resume_after: usize,
    /// Told after each batch is committed: the summary so far and the last
    /// row read. It may take the errors out of the summary (to store them);
    /// the ones it leaves come back at the end.
    pub batch_done: &'a mut (dyn FnMut(&mut ImportSummary, usize) + Send),
}

/// Imports a file as `actor`. Errors come back sorted by row.
pub async fn import_file(
    app: &App,
    actor: &Actor,
    path: &Path,
    encoding: Encoding,
    dry_run: bool,
    source: &str,
    progress: ImportProgress<'_>,
) -> Result<ImportSummary, ImportFailure> {
    let options = ImportOptions {
        encoding,
        today: app.today(),
    };
    let reader = read_persons(path, &options).map_err(ImportFailure::File)?;
    let mut summary = ImportSummary::default();
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut last_row = 0;
    for item in reader {
        let row = match &item {
            Ok(row) => row.row,
            Err(errors) => errors.first().map_or(last_row, |e| e.row),
        };
        if row <= progress.resume_after {
            continue;
        }
        last_row = last_row.max(row);
        match item {
            Ok(row) => batch.push(to_input(row)),
            Err(errors) => summary.reject(errors.into_iter().map(to_issue).collect()),
        }
        if batch.len() == BATCH_ROWS {
            app.import_persons_batch(
                actor,
                std::mem::take(&mut batch),
                dry_run,
                source,
                &mut summary,
            )
            .await
            .map_err(ImportFailure::App)?;
            (progress.batch_done)(&mut summary, last_row);
        }
    }
    if !batch.is_empty() {
        app.import_persons_batch(actor, batch, dry_run, source, &mut summary)
            .await
            .map_err(ImportFailure::App)?;
    }
    (progress.batch_done)(&mut summary, last_row);
    summary.errors.sort_by_key(|issue| issue.row);
    Ok(summary)
}
