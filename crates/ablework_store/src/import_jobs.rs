//! Imports uploaded on the web, run in the background: the uploaded file
//! (sealed by the application), the job's state, a checkpoint of what its
//! committed batches did, the rejected rows' reasons and, at the end, the
//! error report. A server restart finds running jobs and queues them again;
//! they resume after their checkpoint.

use chrono::{DateTime, Utc};

/// Where a job is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportJobState {
    /// Waiting for the worker.
    Queued,
    /// Being read and imported.
    Running,
    /// Finished: every row read (some may have been rejected).
    Done,
    /// Stopped: the file was refused, or the import failed.
    Failed,
}

impl ImportJobState {
    /// Every state.
    pub const ALL: [ImportJobState; 4] = [
        ImportJobState::Queued,
        ImportJobState::Running,
        ImportJobState::Done,
        ImportJobState::Failed,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ImportJobState::Queued => "queued",
            ImportJobState::Running => "running",
            ImportJobState::Done => "done",
            ImportJobState::Failed => "failed",
        }
    }

    /// The state of a stored code.
    pub fn from_code(code: &str) -> Option<ImportJobState> {
        ImportJobState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the job has ended.
    pub fn is_over(self) -> bool {
        matches!(self, ImportJobState::Done | ImportJobState::Failed)
    }
}

/// A job to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewImportJob {
    /// What the file holds (`persons`, `employers`, …).
    pub kind: String,
    /// The file's name as uploaded.
    pub file_name: String,
    /// `auto`, `utf-8` or `gb18030`.
    pub encoding: String,
    /// Validate and count only.
    pub dry_run: bool,
    /// Who uploaded it; the job runs as this account.
    pub user_id: i64,
    /// The uploader's district (district officers), for listing by scope.
    pub district_code: Option<String>,
    /// The file, sealed by the application.
    pub content_enc: Vec<u8>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// What a job's batches did so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportTally {
    /// Rows read.
    pub read: u64,
    /// New records.
    pub inserted: u64,
    /// Changed records.
    pub updated: u64,
    /// Rows that matched the stored record.
    pub unchanged: u64,
    /// Rows rejected.
    pub rejected: u64,
}

/// One reason a row was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRowError {
    /// Row number in the file.
    pub row: u64,
    /// Field name, or `file`.
    pub field: String,
    /// Stable code.
    pub code: String,
    /// Reason in Chinese.
    pub message_zh: String,
    /// Reason in English.
    pub message_en: String,
}

/// A stored job (without its file and report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportJobRecord {
    /// Job id.
    pub id: i64,
    /// What the file holds.
    pub kind: String,
    /// The file's name as uploaded.
    pub file_name: String,
    /// The encoding asked for.
    pub encoding: String,
    /// Validate and count only.
    pub dry_run: bool,
    /// Who uploaded it.
    pub user_id: i64,
    /// Their username.
    pub username: String,
    /// Their district, if a district officer.
    pub district_code: Option<String>,
    /// Where the job is.
    pub state: ImportJobState,
    /// How many times a server restart interrupted it and it resumed.
    pub resumed: u32,
    /// The last row whose outcome is in `counts` and the stored errors.
    pub checkpoint_row: u64,
    /// What its batches did up to the checkpoint.
    pub counts: ImportTally,
    /// Why it failed: code, Chinese and English message.
    pub failure: Option<(String, String, String)>,
    /// Whether an error report is stored.
    pub has_report: bool,
    /// Whether the uploaded file is still stored (until the job ends).
    pub has_content: bool,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
    /// When the worker first took it.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Which jobs a list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportJobScope {
    /// Every job (city staff).
    All,
    /// Jobs uploaded by accounts of one district.
    District(String),
    /// One account's own jobs.
    User(i64),
}

/// How a job ended, for [`crate::Store::finish_import_job`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinishedImport {
    /// Done or failed.
    pub state: ImportJobState,
    /// The last row read.
    pub row: u64,
    /// What the job did in all.
    pub counts: ImportTally,
    /// The errors since the last checkpoint.
    pub errors: Vec<ImportRowError>,
    /// Why it failed: code, Chinese and English message.
    pub failure: Option<(String, String, String)>,
    /// The error report, sealed, when rows were rejected.
    pub report_enc: Option<Vec<u8>>,
    /// When.
    pub at: DateTime<Utc>,
}
