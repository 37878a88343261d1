//! Importing a file of people, employers, job postings, employment
//! outcomes or training enrolments, shared by the upload page and the command line: read and
//! validate every row, then import the good rows in batches of
//! [`BATCH_ROWS`] (the background job) or [`BULK_BATCH_ROWS`] (the command
//! line), each committed on its own. Also the Excel template of
//! each kind ([`template_workbook`]).

use std::path::Path;

use ablework_app::cases::OutcomeInput;
use ablework_app::employers::EmployerInput;
use ablework_app::import::{ImportRow, ImportSummary, RowIssue};
use ablework_app::import_enrolments::EnrolmentImport;
use ablework_app::import_records::{OutcomeImport, PostingImport, RecordRow};
use ablework_app::persons::NewPersonInput;
use ablework_app::postings::PostingInput;
use ablework_app::{Actor, App, AppError, Localized};
use ablework_domain::lang::Lang;
use ablework_domain::programme::{JoinInput, ProgressInput};
use ablework_import::{
    EmployerRow, Encoding, EnrolmentRow, FileError, ImportOptions, OutcomeRow, PersonRow,
    PostingRow, RowError, read_employers, read_enrolments, read_outcomes, read_persons,
    read_postings,
};

pub use ablework_import::ImportKind;

/// How many rows go into one transaction of an upload run by the
/// background job: each batch is a checkpoint and a step of the progress
/// the job's page shows.
pub const BATCH_ROWS: usize = 1_000;

/// How many rows go into one transaction of `ablework import`, a bulk load
/// with a large page cache: large enough that the commits' writes are a
/// small part of the time (docs/benchmarks.md), small enough that a batch
/// is a few megabytes and a killed import redoes little.
pub const BULK_BATCH_ROWS: usize = 10_000;

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

fn to_issues(errors: Vec<RowError>) -> Vec<RowIssue> {
    errors.into_iter().map(to_issue).collect()
}

fn to_employer(row: EmployerRow) -> RecordRow<EmployerInput> {
    RecordRow {
        row: row.row,
        input: EmployerInput {
            credit_code: row.credit_code,
            name: row.name,
            kind: row.kind,
            is_school: row.is_school,
            staffing_quota: row.staffing_quota,
            staff: row.staff,
            district: row.district,
            sector: row.sector,
            state_owned: row.state_owned,
        },
        issues: to_issues(row.issues),
    }
}

fn to_posting(row: PostingRow) -> RecordRow<PostingImport> {
    RecordRow {
        row: row.row,
        input: PostingImport {
            employer_credit_code: row.employer_credit_code,
            posting: PostingInput {
                employer_id: String::new(),
                title: row.title,
                occupation: row.occupation,
                district: row.district,
                address: row.address,
                remote_possible: row.remote_possible,
                hours: row.hours,
                monthly_wage: row.monthly_wage,
                education_required: row.education_required,
                skills: row.skills,
                demands: row.demands,
                accommodations: row.accommodations,
                reserved_for_disabled: row.reserved_for_disabled,
                posts: row.posts,
            },
        },
        issues: to_issues(row.issues),
    }
}

fn to_outcome(row: OutcomeRow) -> RecordRow<OutcomeImport> {
    RecordRow {
        row: row.row,
        input: OutcomeImport {
            id_number: row.id_number,
            outcome: OutcomeInput {
                started_on: row.started_on,
                form: row.form,
                measure: row.measure,
                employer: row.employer_credit_code,
                contract_months: row.contract_months,
                monthly_wage: row.monthly_wage,
                insured: row.insured,
            },
        },
        issues: to_issues(row.issues),
    }
}

fn to_enrolment(row: EnrolmentRow) -> RecordRow<EnrolmentImport> {
    RecordRow {
        row: row.row,
        input: EnrolmentImport {
            course: row.course,
            join: JoinInput {
                id_number: row.id_number,
                name: row.name,
                joined_on: row.joined_on,
                ..JoinInput::default()
            },
            progress: ProgressInput {
                status: row.status,
                ended_on: row.ended_on,
                sessions_attended: row.sessions_attended,
                certificate: row.certificate,
                monthly_income: String::new(),
            },
        },
        issues: to_issues(row.issues),
    }
}

/// A row as it goes to the application, with its row number.
trait Numbered {
    fn row(&self) -> usize;
}

impl Numbered for ImportRow {
    fn row(&self) -> usize {
        self.row
    }
}

impl<T> Numbered for RecordRow<T> {
    fn row(&self) -> usize {
        self.row
    }
}

/// One batch from the reading thread: the rows ready to be written, what
/// the reader and the preparation refused among them, and the last row
/// read (the checkpoint once the batch is written).
struct Batch<U> {
    /// `None` when no row of the batch is left to write.
    items: Result<Option<U>, AppError>,
    refused: ImportSummary,
    last_row: usize,
}

/// How many prepared batches may wait for the writer: the reading thread
/// works one batch ahead and no more, so memory stays a few batches.
const BATCHES_AHEAD: usize = 1;

/// Reads `rows` on a thread of their own: skips rows up to `resume_after`,
/// converts each row, gathers `size` rows a batch (the last may be short
/// or empty) and runs `prepare` on each (the validation and encryption
/// that need no database), while the caller writes the batch before. A
/// batch is never prepared further ahead than [`BATCHES_AHEAD`]; if the
/// caller stops listening, the thread stops reading. The thread's handle
/// comes back too: when the batches end, the caller awaits it, so that a
/// thread that failed is not taken for the end of the file.
fn read_batches<I, R, T, U>(
    rows: I,
    resume_after: usize,
    size: usize,
    convert: fn(R) -> T,
    mut prepare: impl FnMut(Vec<T>, &mut ImportSummary) -> Result<U, AppError> + Send + 'static,
) -> (
    tokio::sync::mpsc::Receiver<Batch<U>>,
    tokio::task::JoinHandle<()>,
)
where
    I: Iterator<Item = Result<R, Vec<RowError>>> + Send + 'static,
    R: Send + 'static,
    T: Numbered + Send + 'static,
    U: Send + 'static,
{
    let size = size.max(1);
    let (sender, receiver) = tokio::sync::mpsc::channel(BATCHES_AHEAD);
    let reading = tokio::task::spawn_blocking(move || {
        let mut rows = rows.peekable();
        let mut last_row = 0;
        loop {
            let mut refused = ImportSummary::default();
            let mut batch = Vec::with_capacity(size);
            while batch.len() < size {
                let Some(item) = rows.next() else { break };
                let (row, item) = match item {
                    Ok(read) => {
                        let read = convert(read);
                        (read.row(), Ok(read))
                    }
                    Err(errors) => (errors.first().map_or(last_row, |e| e.row), Err(errors)),
                };
                if row <= resume_after {
                    continue;
                }
                last_row = last_row.max(row);
                match item {
                    Ok(read) => batch.push(read),
                    Err(errors) => refused.reject(to_issues(errors)),
                }
            }
            let last = rows.peek().is_none();
            let items = if batch.is_empty() {
                Ok(None)
            } else {
                prepare(batch, &mut refused).map(Some)
            };
            let batch = Batch {
                items,
                refused,
                last_row,
            };
            if sender.blocking_send(batch).is_err() || last {
                return;
            }
        }
    });
    (receiver, reading)
}

/// What every batch of an import is imported with.
struct Batching<'a, 'p> {
    app: &'a App,
    actor: &'a Actor,
    dry_run: bool,
    source: &'a str,
    progress: ImportProgress<'p>,
}

/// Where an import starts and whom it tells of its batches.
pub struct ImportProgress<'a> {
    /// Rows up to this row number were imported by an earlier, interrupted
    /// run of the same file and are skipped (0: none).
    pub resume_after: usize,
    /// Rows a transaction ([`BATCH_ROWS`] or [`BULK_BATCH_ROWS`]).
    pub batch_rows: usize,
    /// Told after each batch is committed: the summary so far and the last
    /// row read. It may take the errors out of the summary (to store them);
    /// the ones it leaves come back at the end.
    pub batch_done: &'a mut (dyn FnMut(&mut ImportSummary, usize) + Send),
}

/// Opens the file with `$open` and reads it on a thread of its own (rows
/// converted by `$convert`, batches prepared by `$prepare`, see
/// [`read_batches`]) while each prepared batch is written with the `App`
/// method `$import`, telling the run's progress after each; evaluates to
/// the summary.
macro_rules! import_in_batches {
    ($run:expr, $open:expr, $convert:expr, $prepare:expr, $import:ident) => {{
        let run: &mut Batching<'_, '_> = $run;
        let rows = $open.map_err(ImportFailure::File)?;
        let (mut batches, reading) = read_batches(
            rows,
            run.progress.resume_after,
            run.progress.batch_rows,
            $convert,
            $prepare,
        );
        let mut summary = ImportSummary::default();
        while let Some(batch) = batches.recv().await {
            summary.merge(batch.refused);
            if let Some(items) = batch.items.map_err(ImportFailure::App)? {
                run.app
                    .$import(run.actor, items, run.dry_run, run.source, &mut summary)
                    .await
                    .map_err(ImportFailure::App)?;
            }
            (run.progress.batch_done)(&mut summary, batch.last_row);
        }
        reading.await.map_err(|failure| {
            ImportFailure::App(AppError::Internal(format!(
                "reading the file failed: {failure}"
            )))
        })?;
        summary
    }};
}

/// A kind whose rows go to the application as read.
#[expect(
    clippy::unnecessary_wraps,
    reason = "the shape of every kind's preparation, which may refuse"
)]
fn as_read<T>(rows: Vec<T>, _: &mut ImportSummary) -> Result<Vec<T>, AppError> {
    Ok(rows)
}

/// Imports a file of `kind` as `actor`, telling `progress` of each batch.
/// The errors left in the summary come back sorted by row, a row's own in
/// the order of the kind's columns.
#[expect(
    clippy::too_many_arguments,
    reason = "the import's inputs, shared by the command line, the page and the background job"
)]
pub async fn import_file(
    app: &App,
    actor: &Actor,
    kind: ImportKind,
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
    let mut run = Batching {
        app,
        actor,
        dry_run,
        source,
        progress,
    };
    let mut summary = match kind {
        ImportKind::Persons => {
            let (app, actor) = (app.clone(), actor.clone());
            import_in_batches!(
                &mut run,
                read_persons(path, &options),
                to_input,
                move |rows, refused: &mut ImportSummary| {
                    app.prepare_persons_batch(&actor, rows, refused)
                },
                import_prepared_persons
            )
        }
        ImportKind::Employers => import_in_batches!(
            &mut run,
            read_employers(path, &options),
            to_employer,
            as_read,
            import_employers_batch
        ),
        ImportKind::Postings => import_in_batches!(
            &mut run,
            read_postings(path, &options),
            to_posting,
            as_read,
            import_postings_batch
        ),
        ImportKind::Outcomes => import_in_batches!(
            &mut run,
            read_outcomes(path, &options),
            to_outcome,
            as_read,
            import_outcomes_batch
        ),
        ImportKind::Enrolments => import_in_batches!(
            &mut run,
            read_enrolments(path, &options),
            to_enrolment,
            as_read,
            import_enrolments_batch
        ),
    };
    // By row, and a row's errors in the file's column order.
    let columns = kind.columns();
    summary.errors.sort_by_key(|issue| {
        let column = columns.iter().position(|column| column.name == issue.field);
        (issue.row, column.unwrap_or(usize::MAX))
    });
    Ok(summary)
}

/// An empty workbook for a kind of import: a sheet with the recognised
/// headers in `lang` (text columns, so that spreadsheets keep ID numbers
/// and credit codes as typed) and a sheet of notes: each column, whether
/// it is required, what to write, and what makes a row the same record.
pub fn template_workbook(
    kind: ImportKind,
    lang: Lang,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let text = rust_xlsxwriter::Format::new().set_num_format("@");
    let sheet = workbook.add_worksheet();
    sheet.set_name(kind.label(lang))?;
    for (column, spec) in (0_u16..).zip(kind.columns()) {
        sheet.write_string_with_format(0, column, spec.header(lang), &bold)?;
        sheet.set_column_format(column, &text)?;
        sheet.set_column_width(column, 20)?;
    }
    let notes = workbook.add_worksheet();
    notes.set_name(if lang == Lang::Zh { "说明" } else { "notes" })?;
    let (column_title, required_title, hint_title) = match lang {
        Lang::Zh => ("列", "必填", "填写说明"),
        Lang::En => ("column", "required", "what to write"),
    };
    for (column, title) in (0_u16..).zip([column_title, required_title, hint_title]) {
        notes.write_string_with_format(0, column, title, &bold)?;
    }
    let (yes, no) = match lang {
        Lang::Zh => ("是", "否"),
        Lang::En => ("yes", "no"),
    };
    for (row, spec) in (1_u32..).zip(kind.columns()) {
        notes.write_string(row, 0, spec.header(lang))?;
        notes.write_string(row, 1, if spec.required { yes } else { no })?;
        notes.write_string(row, 2, spec.hint(lang))?;
    }
    let last = u32::try_from(kind.columns().len()).unwrap_or(u32::MAX - 2) + 2;
    let key = match lang {
        Lang::Zh => format!(
            "按{}识别同一条记录：再次导入同一文件不会重复登记，已有记录按文件更新。表头可放在标题行之下；列名可用中文或英文。",
            kind.key_description(lang)
        ),
        Lang::En => format!(
            "A row is the same record as a stored one with {}: importing a file again registers nothing twice and updates what changed. Title rows may stand above the header row; headers may be Chinese or English.",
            kind.key_description(lang)
        ),
    };
    notes.write_string(last, 0, &key)?;
    notes.set_column_width(0, 24)?;
    notes.set_column_width(2, 60)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn every_template_reads_back_with_its_headers() {
        for kind in ImportKind::ALL {
            for lang in [Lang::Zh, Lang::En] {
                let bytes = template_workbook(kind, lang).unwrap();
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("template.xlsx");
                std::fs::write(&path, bytes).unwrap();
                let raw = ablework_import::read_raw(&path, kind, Encoding::Auto).unwrap();
                assert_eq!(raw.header_row(), 1, "{kind:?} {lang:?}");
                let headers: Vec<&str> = kind.columns().iter().map(|c| c.header(lang)).collect();
                assert_eq!(raw.header(), headers.as_slice());
            }
        }
    }
}
