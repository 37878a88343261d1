//! The background import worker: one task beside the web server that takes
//! queued import jobs one at a time, oldest first, and runs each through
//! [`import_file`] as the account that uploaded it.
//!
//! After every committed batch the job's checkpoint is stored: the last
//! row read, the counts so far and the rejected rows' reasons. A server
//! stopped mid-job (a restart, a crash, a kill) leaves the job running; the
//! next start queues it again ([`App::requeue_interrupted_imports`]) and
//! the worker resumes it after its checkpoint. Batches committed after the
//! last checkpoint are read again and change nothing, so they count as
//! unchanged; nothing is imported twice.

use std::io::Write as _;
use std::time::Duration;

use ablework_app::import::ImportSummary;
use ablework_app::import_jobs::{ImportJobRecord, ImportTally};
use ablework_app::{Actor, App, AppError, Localized};
use ablework_domain::lang::Lang;
use ablework_import::Encoding;

use crate::import::{ImportFailure, ImportKind, ImportProgress, import_file};

/// How long the worker waits before looking for queued jobs again.
const POLL: Duration = Duration::from_millis(500);

/// Starts the worker on the current Tokio runtime. It first queues again
/// the jobs a stopped server left running.
pub fn spawn(app: App) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match app.requeue_interrupted_imports().await {
            Ok(ids) if !ids.is_empty() => {
                tracing::warn!(?ids, "imports interrupted by a stop are queued to resume");
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "cannot queue interrupted imports again"),
        }
        loop {
            match app.take_import_job().await {
                Ok(Some((job, actor, bytes))) => run(&app, &job, &actor, &bytes).await,
                Ok(None) => tokio::time::sleep(POLL).await,
                Err(error) => {
                    tracing::error!(%error, "cannot take an import job");
                    tokio::time::sleep(POLL * 10).await;
                }
            }
        }
    })
}

/// A checkpoint on its way to the database.
struct Checkpoint {
    row: usize,
    summary: ImportSummary,
}

/// The counts stored before this run, added to this run's.
fn add(base: ImportTally, summary: &ImportSummary) -> ImportSummary {
    ImportSummary {
        read: base.read + summary.read,
        inserted: base.inserted + summary.inserted,
        updated: base.updated + summary.updated,
        unchanged: base.unchanged + summary.unchanged,
        rejected: base.rejected + summary.rejected,
        errors: Vec::new(),
    }
}

/// Runs one job to its end; every failure ends the job, with its reason.
async fn run(app: &App, job: &ImportJobRecord, actor: &Actor, bytes: &[u8]) {
    tracing::info!(job = job.id, kind = %job.kind, resume_after = job.checkpoint_row, "import starts");
    let outcome = run_file(app, job, actor, bytes).await;
    let ended = match outcome {
        Ok((summary, row, report)) => {
            app.finish_import_job(job, Some(actor), &summary, row, None, report.as_deref())
                .await
        }
        Err((summary, row, code, message)) => {
            app.finish_import_job(
                job,
                Some(actor),
                &summary,
                row,
                Some((&code, message)),
                None,
            )
            .await
        }
    };
    match ended {
        Ok(()) => tracing::info!(job = job.id, "import ends"),
        Err(error) => tracing::error!(job = job.id, %error, "cannot record the end of an import"),
    }
}

type Failed = (ImportSummary, u64, String, Localized);

fn report_failed(error: &dyn std::fmt::Display) -> Localized {
    Localized::new(
        format!("行已导入，但错误报告未能生成：{error}"),
        format!("The rows were imported, but the error report could not be made: {error}"),
    )
}

/// Imports the job's file, storing a checkpoint after each batch. Returns
/// the whole job's summary (with the errors not yet stored), the last row
/// read and, when rows were rejected, the error report.
async fn run_file(
    app: &App,
    job: &ImportJobRecord,
    actor: &Actor,
    bytes: &[u8],
) -> Result<(ImportSummary, u64, Option<Vec<u8>>), Failed> {
    let base = job.counts;
    let resume_after = usize::try_from(job.checkpoint_row).unwrap_or(usize::MAX);
    let at_start = || add(base, &ImportSummary::default());
    let internal = |error: &dyn std::fmt::Display| {
        (
            at_start(),
            job.checkpoint_row,
            "internal".to_owned(),
            Localized::new(
                format!("导入中断：{error}"),
                format!("The import stopped: {error}"),
            ),
        )
    };
    let mut file = tempfile::NamedTempFile::new().map_err(|e| internal(&e))?;
    file.write_all(bytes).map_err(|e| internal(&e))?;
    let encoding = Encoding::from_code(&job.encoding).unwrap_or(Encoding::Auto);
    let Some(kind) = ImportKind::from_code(&job.kind) else {
        return Err(internal(&format!("unknown kind of import {:?}", job.kind)));
    };
    let source = format!("upload {} (import {})", job.file_name, job.id);

    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<Checkpoint>();
    let import = async {
        let mut batch_done = move |summary: &mut ImportSummary, row: usize| {
            let checkpoint = Checkpoint {
                row,
                summary: ImportSummary {
                    errors: std::mem::take(&mut summary.errors),
                    ..summary.clone()
                },
            };
            // The receiver lives as long as the import.
            let _ = sender.send(checkpoint);
        };
        let progress = ImportProgress {
            resume_after,
            batch_rows: crate::import::BATCH_ROWS,
            batch_done: &mut batch_done,
        };
        import_file(
            app,
            actor,
            kind,
            file.path(),
            encoding,
            job.dry_run,
            &source,
            progress,
        )
        .await
    };
    let store_checkpoints = async {
        let mut last = (job.checkpoint_row, at_start());
        while let Some(checkpoint) = receiver.recv().await {
            let whole = add(base, &checkpoint.summary);
            let row = checkpoint.row as u64;
            app.checkpoint_import_job(job.id, row, &whole, &checkpoint.summary.errors)
                .await?;
            last = (row, whole);
        }
        Ok::<_, AppError>(last)
    };
    let (imported, stored) = tokio::join!(import, store_checkpoints);
    let (last_row, last_summary) = stored.map_err(|e| internal(&e))?;
    let failed = |code: &str, message: Localized| {
        Err((last_summary.clone(), last_row, code.to_owned(), message))
    };
    match imported {
        // Every batch's errors went out with its checkpoint.
        Ok(summary) => {
            let whole = add(base, &summary);
            let report = if whole.rejected > 0 {
                let report = error_report(app, job, actor, kind, file.path(), encoding).await;
                Some(report.map_err(|e| {
                    (
                        whole.clone(),
                        last_row,
                        "internal".to_owned(),
                        report_failed(&e),
                    )
                })?)
            } else {
                None
            };
            Ok((whole, last_row, report))
        }
        Err(ImportFailure::File(error)) => failed(
            error.code(),
            Localized::new(error.message(Lang::Zh), error.message(Lang::En)),
        ),
        Err(ImportFailure::App(error)) => failed(
            error.code(),
            Localized::new(
                format!("导入中断：{error}"),
                format!("The import stopped: {error}"),
            ),
        ),
    }
}

/// How many stored errors are read at a time for the report.
const ERRORS_AT_A_TIME: u32 = 10_000;

/// The error report: the rejected rows as they are in the file, under the
/// file's own header row, each with its row number and reasons in two
/// columns at the end (Chinese, English), so that it can be corrected and
/// uploaded again (the reader ignores the extra columns). Cells are text,
/// so ID numbers stay as typed.
async fn error_report(
    app: &App,
    job: &ImportJobRecord,
    actor: &Actor,
    kind: ImportKind,
    path: &std::path::Path,
    encoding: Encoding,
) -> Result<Vec<u8>, String> {
    let mut reasons: std::collections::BTreeMap<u64, (Vec<String>, Vec<String>)> =
        std::collections::BTreeMap::new();
    let mut page = 1;
    loop {
        let errors = app
            .import_job_errors(actor, job.id, page, ERRORS_AT_A_TIME)
            .await
            .map_err(|e| e.to_string())?;
        for error in &errors.items {
            let entry = reasons.entry(error.row).or_default();
            entry
                .0
                .push(format!("{}：{}", error.field, error.message_zh));
            entry
                .1
                .push(format!("{}: {}", error.field, error.message_en));
        }
        if errors.items.len() < ERRORS_AT_A_TIME as usize {
            break;
        }
        page += 1;
    }
    let raw = ablework_import::read_raw(path, kind, encoding).map_err(|e| e.message(Lang::En))?;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(|e| e.to_string())?;
    sheet
        .set_name(if kind == ImportKind::Persons {
            "rejected"
        } else {
            kind.code()
        })
        .map_err(|e| e.to_string())?;
    let header: Vec<String> = raw.header().to_vec();
    let width = u16::try_from(header.len()).map_err(|e| e.to_string())?;
    let extra = ["原行号 / Row", "错误原因", "Reason"];
    for (column, text) in (0_u16..).zip(header.iter().map(String::as_str).chain(extra)) {
        sheet
            .write_string_with_format(0, column, text, &bold)
            .map_err(|e| e.to_string())?;
    }
    let mut out_row = 1_u32;
    for item in raw {
        let (row, cells) = match item {
            Ok(raw_row) => (raw_row.row as u64, raw_row.cells),
            // A row the file could not give: named, with no cells.
            Err(error) => (error.row as u64, Vec::new()),
        };
        let Some((zh, en)) = reasons.remove(&row) else {
            continue;
        };
        for (column, cell) in (0_u16..).zip(&cells) {
            sheet
                .write_string(out_row, column, cell)
                .map_err(|e| e.to_string())?;
        }
        sheet
            .write_number(out_row, width, row as f64)
            .map_err(|e| e.to_string())?;
        sheet
            .write_string(out_row, width + 1, zh.join("；"))
            .map_err(|e| e.to_string())?;
        sheet
            .write_string(out_row, width + 2, en.join("; "))
            .map_err(|e| e.to_string())?;
        out_row += 1;
    }
    workbook.save_to_buffer().map_err(|e| e.to_string())
}
