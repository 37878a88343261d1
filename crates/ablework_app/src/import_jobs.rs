//! Imports uploaded on the web, run in the background by a worker: the
//! upload is sealed with the vault and kept until the job ends; the worker
//! runs it as the account that uploaded it, records a checkpoint after each
//! committed batch, and at the end stores the error report (sealed) and
//! drops the file. After a server restart, jobs left running are queued
//! again and resume after their checkpoint: batches committed after it are
//! imported again, which changes nothing (imports are idempotent).
//!
//! Who sees a job: the account that uploaded it, city staff, and district
//! officers for jobs uploaded from their district. Anyone else is told it
//! does not exist.

use ablework_domain::roles::{Permission, Role};
use ablework_store::{FinishedImport, ImportJobScope, NewImportJob, Page};
pub use ablework_store::{ImportJobRecord, ImportJobState, ImportRowError, ImportTally};
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, Localized};
use crate::import::{ImportSummary, RowIssue};

/// A file to import in the background.
#[derive(Clone, Debug)]
pub struct Upload {
    /// What the file holds (`persons`, `employers`, …).
    pub kind: String,
    /// The permission importing this kind needs.
    pub permission: Permission,
    /// The file's name as uploaded.
    pub file_name: String,
    /// `auto`, `utf-8` or `gb18030`.
    pub encoding: String,
    /// Validate and count only.
    pub dry_run: bool,
    /// The file.
    pub bytes: Vec<u8>,
}

/// The tally of a summary.
pub fn tally(summary: &ImportSummary) -> ImportTally {
    ImportTally {
        read: summary.read,
        inserted: summary.inserted,
        updated: summary.updated,
        unchanged: summary.unchanged,
        rejected: summary.rejected,
    }
}

/// A row issue as stored.
pub fn stored_issue(issue: &RowIssue) -> ImportRowError {
    ImportRowError {
        row: issue.row as u64,
        field: issue.field.clone(),
        code: issue.code.clone(),
        message_zh: issue.message.zh.clone(),
        message_en: issue.message.en.clone(),
    }
}

fn job_scope(actor: &Actor) -> ImportJobScope {
    match (actor.role, &actor.district_code) {
        (Role::CityAdmin, _) => ImportJobScope::All,
        (Role::DistrictOfficer, Some(code)) => ImportJobScope::District(code.clone()),
        _ => ImportJobScope::User(actor.user_id),
    }
}

fn in_scope(scope: &ImportJobScope, job: &ImportJobRecord) -> bool {
    match scope {
        ImportJobScope::All => true,
        ImportJobScope::District(code) => job.district_code.as_deref() == Some(code.as_str()),
        ImportJobScope::User(id) => job.user_id == *id,
    }
}

impl App {
    /// Queues a file for import as `actor`; the worker takes it within a
    /// second or so.
    pub async fn queue_import(&self, actor: &Actor, upload: Upload) -> AppResult<ImportJobRecord> {
        actor.require(upload.permission)?;
        if upload.bytes.is_empty() {
            return Err(AppError::field(
                "file",
                "required",
                Localized::new("请选择要导入的文件", "Choose a file to import"),
            ));
        }
        let audit = actor
            .audit(self.now(), "import.queue", "import_job")
            .with_detail(json!({
                "kind": upload.kind,
                "file": upload.file_name,
                "bytes": upload.bytes.len(),
                "dry_run": upload.dry_run,
            }));
        let job = NewImportJob {
            kind: upload.kind,
            file_name: upload.file_name,
            encoding: upload.encoding,
            dry_run: upload.dry_run,
            user_id: actor.user_id,
            district_code: actor.district_code.clone(),
            content_enc: self.vault.seal(&upload.bytes)?,
            created_at: self.now(),
        };
        Ok(self.store.create_import_job(job, audit).await?)
    }

    /// One job the actor may see.
    pub async fn import_job(&self, actor: &Actor, id: i64) -> AppResult<ImportJobRecord> {
        match self.store.import_job(id).await? {
            Some(job) if in_scope(&job_scope(actor), &job) => Ok(job),
            _ => Err(AppError::NotFound),
        }
    }

    /// The jobs the actor may see, newest first.
    pub async fn import_jobs(
        &self,
        actor: &Actor,
        page: u32,
        per_page: u32,
    ) -> AppResult<Page<ImportJobRecord>> {
        let offset = u64::from(page.saturating_sub(1)) * u64::from(per_page);
        Ok(self
            .store
            .list_import_jobs(&job_scope(actor), offset, per_page)
            .await?)
    }

    /// One page of a job's rejected rows, by row.
    pub async fn import_job_errors(
        &self,
        actor: &Actor,
        id: i64,
        page: u32,
        per_page: u32,
    ) -> AppResult<Page<ImportRowError>> {
        self.import_job(actor, id).await?;
        let offset = u64::from(page.saturating_sub(1)) * u64::from(per_page);
        Ok(self.store.import_job_errors(id, offset, per_page).await?)
    }

    /// A job's error report (the rejected rows as uploaded, with their
    /// reasons); reading it is audited, since it holds personal data.
    pub async fn import_job_report(&self, actor: &Actor, id: i64) -> AppResult<Vec<u8>> {
        let job = self.import_job(actor, id).await?;
        let sealed = self
            .store
            .import_job_report(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let report = self.vault.open(&sealed)?;
        self.store
            .append_audit(
                actor
                    .audit(self.now(), "import.report", "import_job")
                    .with_entity_id(id)
                    .with_detail(json!({ "rejected": job.counts.rejected })),
            )
            .await?;
        Ok(report)
    }
}

/// What the worker needs of the application.
impl App {
    /// At start-up: jobs a stopped server left running are queued again.
    pub async fn requeue_interrupted_imports(&self) -> AppResult<Vec<i64>> {
        Ok(self.store.requeue_running_import_jobs().await?)
    }

    /// Takes the oldest queued job: the job, the account it runs as and
    /// its file. `None` when nothing waits.
    pub async fn take_import_job(&self) -> AppResult<Option<(ImportJobRecord, Actor, Vec<u8>)>> {
        let Some(id) = self.store.next_queued_import_job().await? else {
            return Ok(None);
        };
        if !self.store.start_import_job(id, self.now()).await? {
            return Ok(None);
        }
        let job = self.store.import_job(id).await?.ok_or(AppError::NotFound)?;
        let user = self.store.user_by_id(job.user_id).await?;
        let content = self.store.import_job_content(id).await?;
        if let (Some(user), Some(sealed)) = (user.filter(|u| u.active), content) {
            return Ok(Some((
                job,
                Actor::from_user(&user, Some(format!("import-{id}"))),
                self.vault.open(&sealed)?,
            )));
        }
        let failure = Localized::new(
            "上传的文件已不在，或上传账号已停用",
            "The uploaded file is gone, or the account that uploaded it is disabled",
        );
        let summary = ImportSummary::default();
        self.finish_import_job(&job, None, &summary, 0, Some(("gone", failure)), None)
            .await?;
        Ok(None)
    }

    /// Records what a running job's committed batches did up to `row`.
    pub async fn checkpoint_import_job(
        &self,
        id: i64,
        row: u64,
        summary: &ImportSummary,
        new_errors: &[RowIssue],
    ) -> AppResult<()> {
        let errors: Vec<ImportRowError> = new_errors.iter().map(stored_issue).collect();
        Ok(self
            .store
            .checkpoint_import_job(id, row, tally(summary), &errors)
            .await?)
    }

    /// Ends a job: done (with its report, if rows were rejected) or failed
    /// (with its reason); the uploaded file is dropped. Audited as the
    /// account the job ran as (`actor`), or the system when there is none.
    pub async fn finish_import_job(
        &self,
        job: &ImportJobRecord,
        actor: Option<&Actor>,
        summary: &ImportSummary,
        row: u64,
        failure: Option<(&str, Localized)>,
        report: Option<&[u8]>,
    ) -> AppResult<()> {
        let state = if failure.is_some() {
            ImportJobState::Failed
        } else {
            ImportJobState::Done
        };
        let report_enc = report.map(|bytes| self.vault.seal(bytes)).transpose()?;
        let system = Actor::operator(Some(format!("import-{}", job.id)));
        let audit = actor
            .unwrap_or(&system)
            .audit(self.now(), "import.finish", "import_job")
            .with_detail(json!({
                "kind": job.kind,
                "state": state.code(),
                "read": summary.read,
                "inserted": summary.inserted,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "rejected": summary.rejected,
            }));
        let outcome = FinishedImport {
            state,
            row,
            counts: tally(summary),
            errors: summary.errors.iter().map(stored_issue).collect(),
            failure: failure.map(|(code, message)| (code.to_owned(), message.zh, message.en)),
            report_enc,
            at: self.now(),
        };
        Ok(self.store.finish_import_job(job.id, outcome, audit).await?)
    }
}
