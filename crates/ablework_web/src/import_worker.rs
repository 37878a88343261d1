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

use crate::import::{ImportFailure, ImportProgress, import_file};

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
        Ok((summary, row)) => {
            app.finish_import_job(job, Some(actor), &summary, row, None, None)
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

/// Imports the job's file, storing a checkpoint after each batch. Returns
/// the whole job's summary (with the errors not yet stored) and the last
/// row read.
async fn run_file(
    app: &App,
    job: &ImportJobRecord,
    actor: &Actor,
    bytes: &[u8],
) -> Result<(ImportSummary, u64), Failed> {
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
            batch_done: &mut batch_done,
        };
        import_file(
            app,
            actor,
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
        Ok(summary) => Ok((add(base, &summary), last_row)),
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
