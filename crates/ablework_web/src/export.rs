//! Spreadsheet files: the people list (masked), every other list page (as
//! the page shows it, masked, with its filters) and the progress report, as
//! CSV (UTF-8 with a byte-order mark so spreadsheet programs read the
//! Chinese correctly, or GB18030 on request) or XLSX. Shared by the pages
//! and the command line, so both give the same file.
//!
//! A list page's file is a [`ListFile`]: how the page's query becomes the
//! app's [`Listing`], and the columns. One handler, [`download`], serves
//! them all; [`Downloads`] are the links each list page offers.

use std::io::{Seek, Write};

use ablework_app::export::Listing;
use ablework_app::persons::PersonView;
use ablework_app::{Actor, App, AppError, AppResult};
use ablework_domain::district;
use ablework_domain::ident::DisabilityLevel;
use ablework_domain::lang::Lang;
use ablework_domain::progress::ProgressReport;
use axum::extract::{Query, RawPathParams, State};
use axum::response::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::context::Ctx;
use crate::i18n::Text;
use crate::pages::{app_error_page, attachment};

/// The file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Comma-separated values.
    #[default]
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// The text encodings of a CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark.
    #[default]
    Utf8,
    /// GB18030 (a superset of GBK), for older spreadsheet software.
    Gb18030,
}

pub(crate) const PERSON_HEADERS: [(&str, &str); 15] = [
    ("编号", "id"),
    ("姓名", "name"),
    ("身份证号", "id_number"),
    ("残疾证号", "certificate_number"),
    ("性别", "sex"),
    ("年龄", "age"),
    ("残疾类别", "category"),
    ("残疾等级", "level"),
    ("所属区", "district"),
    ("街道", "street"),
    ("户籍类型", "hukou"),
    ("联系电话", "phone"),
    ("文化程度", "education"),
    ("就业状态", "employment_status"),
    ("登记日期", "registered_on"),
];

pub(crate) fn person_cells(person: &PersonView, lang: Lang) -> Vec<String> {
    let or_empty = |value: Option<&str>| value.unwrap_or_default().to_owned();
    vec![
        person.id.to_string(),
        person.name_masked.clone(),
        person.id_number_masked.clone(),
        person.certificate_masked.clone(),
        person.sex.label(lang).to_owned(),
        person.age.to_string(),
        person.category.label(lang).to_owned(),
        DisabilityLevel::new(person.level)
            .map(|l| l.label(lang).to_owned())
            .unwrap_or_default(),
        district::by_code(&person.district_code)
            .map_or_else(|| person.district_code.clone(), |d| d.name(lang).to_owned()),
        or_empty(person.street.as_deref()),
        or_empty(person.hukou.map(|h| h.label(lang))),
        or_empty(person.phone_masked.as_deref()),
        or_empty(person.education.map(|e| e.label(lang))),
        person.employment_status.label(lang).to_owned(),
        person.registered_on.to_string(),
    ]
}

fn failure(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("cannot write the file: {error}"))
}

/// A cell a spreadsheet program would read as a formula (`=…`, `+…`, `@…`,
/// `-…` not a number) gets a leading apostrophe, so text typed into
/// AbleWork never runs in the reader's spreadsheet.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = match cell.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => as_number(cell).is_none(),
        _ => false,
    };
    if formula {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A count or an amount written as a number: plain digits (a point and a
/// sign allowed), no leading zero, short enough to stay exact. Codes such
/// as an all-digit credit code stay text.
fn as_number(value: &str) -> Option<f64> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let plain = !digits.is_empty()
        && digits.len() <= 15
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && (!digits.starts_with('0') || digits == "0" || digits.starts_with("0."));
    if plain { value.parse().ok() } else { None }
}

/// One table of a file: a sheet name, headers and rows of text.
pub(crate) struct Table {
    /// The sheet's name (Excel allows 31 characters).
    pub(crate) name: String,
    /// The column headings.
    pub(crate) headers: Vec<String>,
    /// The rows; counts are written as numbers.
    pub(crate) rows: Vec<Vec<String>>,
}

/// Builds a CSV file from one table, or an XLSX workbook with a sheet a table.
pub(crate) fn file(format: Format, encoding: CsvEncoding, tables: &[Table]) -> AppResult<Vec<u8>> {
    let mut writer = TableWriter::new(format, encoding, std::io::Cursor::new(Vec::new()))?;
    for table in tables {
        writer.table(&table.name, &table.headers)?;
        for row in &table.rows {
            writer.row(row)?;
        }
    }
    Ok(writer.finish()?.into_inner())
}

/// Writes tables to a CSV file or an XLSX workbook row by row as they come,
/// holding none of them: CSV text goes straight to `W` (encoded as it
/// goes), a workbook's sheets are kept in constant-memory mode (each row on
/// a temporary file as soon as it is written) and zipped into `W` at the
/// end.
pub(crate) struct TableWriter<W: Write + Seek + Send> {
    sheet: Sheet<W>,
}

#[expect(
    clippy::large_enum_variant,
    reason = "one writer an export, made once and never copied"
)]
enum Sheet<W: Write + Seek + Send> {
    Csv(csv::Writer<Encoded<W>>),
    Xlsx {
        workbook: rust_xlsxwriter::Workbook,
        out: W,
        /// The sheet being written and its next row.
        at: Option<(usize, u32)>,
    },
}

impl<W: Write + Seek + Send> TableWriter<W> {
    pub(crate) fn new(format: Format, encoding: CsvEncoding, mut out: W) -> AppResult<Self> {
        let sheet = match format {
            Format::Csv => {
                if encoding == CsvEncoding::Utf8 {
                    out.write_all("\u{feff}".as_bytes()).map_err(failure)?;
                }
                Sheet::Csv(csv::Writer::from_writer(Encoded {
                    out,
                    gb18030: encoding == CsvEncoding::Gb18030,
                    pending: Vec::new(),
                }))
            }
            Format::Xlsx => Sheet::Xlsx {
                workbook: rust_xlsxwriter::Workbook::new(),
                out,
                at: None,
            },
        };
        Ok(TableWriter { sheet })
    }

    /// Starts a table: a CSV file's next lines, a workbook's next sheet.
    pub(crate) fn table(&mut self, name: &str, headers: &[String]) -> AppResult<()> {
        match &mut self.sheet {
            Sheet::Csv(writer) => writer.write_record(headers).map_err(failure),
            Sheet::Xlsx { workbook, at, .. } => {
                let index = at.map_or(0, |(index, _)| index + 1);
                let bold = rust_xlsxwriter::Format::new().set_bold();
                let sheet = workbook
                    .add_worksheet_with_constant_memory()
                    .map_err(failure)?;
                sheet.set_name(name).map_err(failure)?;
                sheet.set_freeze_panes(1, 0).map_err(failure)?;
                for (column, header) in (0_u16..).zip(headers) {
                    sheet
                        .write_string_with_format(0, column, header, &bold)
                        .map_err(failure)?;
                }
                *at = Some((index, 1));
                Ok(())
            }
        }
    }

    /// Writes a row of the current table; counts become numbers in a
    /// workbook, and nothing is left to read as a formula.
    pub(crate) fn row(&mut self, cells: &[String]) -> AppResult<()> {
        match &mut self.sheet {
            Sheet::Csv(writer) => {
                for cell in cells {
                    writer
                        .write_field(inert(cell).as_bytes())
                        .map_err(failure)?;
                }
                writer
                    .write_record(std::iter::empty::<&[u8]>())
                    .map_err(failure)
            }
            Sheet::Xlsx { workbook, at, .. } => {
                let Some((index, row)) = at.as_mut() else {
                    return Err(failure("a row before its table"));
                };
                let sheet = workbook.worksheet_from_index(*index).map_err(failure)?;
                for (column, value) in (0_u16..).zip(cells) {
                    // Counts are numbers in the workbook, so they can be summed.
                    match as_number(value) {
                        Some(number) => {
                            sheet.write_number(*row, column, number).map_err(failure)?
                        }
                        None => sheet.write_string(*row, column, value).map_err(failure)?,
                    };
                }
                *row += 1;
                Ok(())
            }
        }
    }

    /// Ends the file and gives its output back.
    pub(crate) fn finish(self) -> AppResult<W> {
        match self.sheet {
            Sheet::Csv(writer) => {
                let mut encoded = writer.into_inner().map_err(failure)?;
                encoded.out.flush().map_err(failure)?;
                Ok(encoded.out)
            }
            Sheet::Xlsx {
                mut workbook,
                mut out,
                ..
            } => {
                workbook.save_to_writer(&mut out).map_err(failure)?;
                Ok(out)
            }
        }
    }
}

/// CSV text on its way out: UTF-8 as written, or re-encoded as GB18030 a
/// whole character at a time (a write may end inside one; its first bytes
/// wait for the rest).
struct Encoded<W: Write> {
    out: W,
    gb18030: bool,
    pending: Vec<u8>,
}

impl<W: Write> Write for Encoded<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.gb18030 {
            return self.out.write(buf);
        }
        self.pending.extend_from_slice(buf);
        let whole = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            Err(error) => error.valid_up_to(),
        };
        if let Ok(text) = std::str::from_utf8(&self.pending[..whole]) {
            self.out.write_all(&encoding_rs::GB18030.encode(text).0)?;
        }
        self.pending.drain(..whole);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The people in the actor's scope (and an optional district), masked,
/// written to `out` as they are read; the export is audited. Returns the
/// output and how many people it holds.
pub async fn write_persons<W: Write + Seek + Send>(
    app: &App,
    actor: &Actor,
    (format, encoding): (Format, CsvEncoding),
    district: Option<&str>,
    lang: Lang,
    purpose: &str,
    out: W,
) -> AppResult<(W, u64)> {
    let mut writer = TableWriter::new(format, encoding, out)?;
    let headers: Vec<String> = PERSON_HEADERS
        .iter()
        .map(|(zh, en)| if lang == Lang::Zh { *zh } else { *en }.to_owned())
        .collect();
    writer.table(if lang == Lang::Zh { "人员" } else { "people" }, &headers)?;
    let mut sink = |person: &PersonView| writer.row(&person_cells(person, lang));
    let count = app
        .export_persons(actor, district, purpose, &mut sink)
        .await?;
    Ok((writer.finish()?, count))
}

/// The progress report as a workbook: the headline figures, then a sheet
/// per breakdown, the very tables the dashboard shows.
pub fn progress_workbook(report: &ProgressReport, lang: Lang) -> AppResult<Vec<u8>> {
    let t = crate::i18n::Text(lang);
    let tables: Vec<Table> = std::iter::once(crate::report::summary_table(report, t))
        .chain(crate::report::progress_tables(
            report,
            t,
            &crate::report::Drill::default(),
        ))
        .map(|table| Table {
            name: table.sheet.to_owned(),
            headers: table.headers,
            rows: table.rows,
        })
        .collect();
    file(Format::Xlsx, CsvEncoding::Utf8, &tables)
}

// ---- list pages --------------------------------------------------------------------

/// A list page's file: how the page's query becomes the app's listing, and
/// the columns, which are the page's table's.
pub(crate) trait ListFile: 'static {
    /// The page's query parameters (the default: no filter).
    type Params: DeserializeOwned + Default + Send;
    /// What the app reads.
    type Listing: Listing + Send;
    /// The file's name, before the day and the extension.
    const STEM: &'static str;
    /// The message key of the sheet's name.
    const TITLE: &'static str;
    /// The message keys of the columns' headings.
    const COLUMNS: &'static [&'static str];
    /// The listing of a query (`record`: the record whose page holds the
    /// list, such as a fair's registrations).
    fn listing(params: Self::Params, record: Option<i64>) -> Self::Listing;
    /// One row's cells, as the page shows them.
    fn cells(item: &<Self::Listing as Listing>::Item, t: Text) -> Vec<String>;
    /// The columns' headings.
    fn headers(t: Text) -> Vec<String> {
        Self::COLUMNS
            .iter()
            .map(|key| t.get(key).to_owned())
            .collect()
    }
}

/// The query of a list page without filters.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoParams {}

/// A sheet's name: at most 31 characters, none of those Excel refuses.
fn sheet_name(title: &str) -> String {
    title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect()
}

/// A whole list as a file, read through the app (scoped, masked, audited).
/// Returns the file and how many rows it holds.
pub(crate) async fn list_file<F: ListFile>(
    app: &App,
    actor: &Actor,
    listing: &F::Listing,
    (format, encoding): (Format, CsvEncoding),
    lang: Lang,
    purpose: &str,
) -> AppResult<(Vec<u8>, u64)> {
    let t = Text(lang);
    // Each row goes into the file as the list is read: only the file's
    // bytes are held, not its rows as well.
    let mut writer = TableWriter::new(format, encoding, std::io::Cursor::new(Vec::new()))?;
    writer.table(&sheet_name(t.get(F::TITLE)), &F::headers(t))?;
    let mut sink =
        |item: &<F::Listing as Listing>::Item| -> AppResult<()> { writer.row(&F::cells(item, t)) };
    let count = app.export_list(actor, listing, purpose, &mut sink).await?;
    Ok((writer.finish()?.into_inner(), count))
}

/// The query of a download: `format=csv|xlsx` and, for CSV,
/// `encoding=utf-8|gb18030`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FileParams {
    format: Option<String>,
    encoding: Option<String>,
}

impl FileParams {
    /// The format and encoding asked for: CSV in UTF-8 unless told.
    pub(crate) fn chosen(&self) -> (Format, CsvEncoding) {
        let format = match self.format.as_deref() {
            Some("xlsx") => Format::Xlsx,
            _ => Format::Csv,
        };
        let encoding = match self.encoding.as_deref() {
            Some("gb18030" | "gbk") => CsvEncoding::Gb18030,
            _ => CsvEncoding::Utf8,
        };
        (format, encoding)
    }
}

/// The response carrying a file, named `<stem>-<day>.csv|xlsx`.
pub(crate) fn send_file(
    bytes: Vec<u8>,
    (format, encoding): (Format, CsvEncoding),
    stem: &str,
    day: chrono::NaiveDate,
) -> Response {
    let day = day.format("%Y%m%d");
    match (format, encoding) {
        (Format::Xlsx, _) => attachment(bytes, XLSX, &format!("{stem}-{day}.xlsx")),
        (Format::Csv, CsvEncoding::Utf8) => attachment(
            bytes,
            "text/csv; charset=utf-8",
            &format!("{stem}-{day}.csv"),
        ),
        (Format::Csv, CsvEncoding::Gb18030) => attachment(
            bytes,
            "text/csv; charset=gb18030",
            &format!("{stem}-{day}.csv"),
        ),
    }
}

/// The media type of an Excel workbook.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The download of any list page: the page's query read into its listing,
/// the whole list written in the format asked for, in the reader's
/// language. Routed once per list (`get(download::<EmployersFile>)`).
pub(crate) async fn download<F: ListFile>(
    State(state): State<AppState>,
    ctx: Ctx,
    path: RawPathParams,
    Query(params): Query<F::Params>,
    Query(chosen): Query<FileParams>,
) -> Response {
    let session = match ctx.require_session() {
        Ok(session) => session,
        Err(redirect) => return redirect,
    };
    let record = match path.iter().next() {
        None => None,
        Some((_, raw)) => match raw.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => return app_error_page(&ctx, AppError::NotFound),
        },
    };
    let stem = record.map_or_else(|| F::STEM.to_owned(), |id| format!("{}-{id}", F::STEM));
    let listing = F::listing(params, record);
    let purpose = format!("download from {}", ctx.path);
    let chosen = chosen.chosen();
    match list_file::<F>(
        &state.app,
        &session.actor,
        &listing,
        chosen,
        ctx.lang,
        &purpose,
    )
    .await
    {
        Ok((bytes, _)) => send_file(bytes, chosen, &stem, state.app.today()),
        Err(error) => app_error_page(&ctx, error),
    }
}

/// The three downloads a list page offers, each with the page's filters.
#[derive(Clone, Debug)]
pub(crate) struct Downloads {
    /// CSV in UTF-8 with a byte-order mark.
    pub csv: String,
    /// CSV in GB18030.
    pub gb18030: String,
    /// An Excel workbook.
    pub xlsx: String,
}

impl Downloads {
    /// The links to `action` with the filters that have a value (the page
    /// number is not one: a download is the whole list).
    pub(crate) fn new(action: &str, params: &[(&str, String)]) -> Downloads {
        let kept: Vec<(&str, &str)> = params
            .iter()
            .filter(|(name, value)| !value.is_empty() && *name != "page")
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        let link = |chosen: &[(&str, &str)]| {
            let pairs: Vec<(&str, &str)> = chosen.iter().chain(&kept).copied().collect();
            format!(
                "{action}?{}",
                serde_urlencoded::to_string(pairs).unwrap_or_default()
            )
        };
        Downloads {
            csv: link(&[("format", "csv")]),
            gb18030: link(&[("format", "csv"), ("encoding", "gb18030")]),
            xlsx: link(&[("format", "xlsx")]),
        }
    }

    /// The links when the actor may have the list's file: lists about
    /// people need `person_export`.
    pub(crate) fn offered<L: Listing>(
        actor: &Actor,
        action: &str,
        params: &[(&str, String)],
    ) -> Option<Downloads> {
        let allowed = !L::PERSONAL
            || actor
                .role
                .permits(ablework_domain::roles::Permission::PersonExport);
        allowed.then(|| Downloads::new(action, params))
    }
}

/// The lists the command line exports whole (besides the people, whose
/// export has options of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// The employers' registry.
    Employers,
    /// The job postings (the open ones, as the list opens).
    Postings,
    /// The job fairs.
    Fairs,
    /// The annual declarations waiting for review.
    Declarations,
    /// This year's graduates' ledger.
    Graduates,
    /// Assessments waiting for approval.
    Assessments,
    /// The "four ones" work queue of the check.
    Queue,
    /// The city's work list.
    WorkList,
    /// The likely duplicate people.
    Duplicates,
    /// The policy presets.
    Policies,
    /// The plans and their targets.
    Plans,
    /// The audit log.
    Audit,
    /// The people counted as new employment under the current plan.
    ProgressPeople,
}

/// A whole list, unfiltered, as a file, read through the app as the list
/// page reads it (scoped, masked) and audited like a download. Returns the
/// file and how many rows it holds.
pub async fn list_kind_file(
    kind: ListKind,
    app: &App,
    actor: &Actor,
    chosen: (Format, CsvEncoding),
    lang: Lang,
    purpose: &str,
) -> AppResult<(Vec<u8>, u64)> {
    async fn whole<F: ListFile>(
        app: &App,
        actor: &Actor,
        chosen: (Format, CsvEncoding),
        lang: Lang,
        purpose: &str,
    ) -> AppResult<(Vec<u8>, u64)> {
        let listing = F::listing(F::Params::default(), None);
        list_file::<F>(app, actor, &listing, chosen, lang, purpose).await
    }
    use crate::{case_pages, drill_pages, duplicate_pages, employer_pages, fair_pages};
    use crate::{graduate_pages, job_pages, match_pages, pages, plan_pages};
    macro_rules! whole {
        ($file:ty) => {
            whole::<$file>(app, actor, chosen, lang, purpose).await
        };
    }
    match kind {
        ListKind::Employers => whole!(employer_pages::EmployersFile),
        ListKind::Postings => whole!(job_pages::PostingsFile),
        ListKind::Fairs => whole!(fair_pages::FairsFile),
        ListKind::Declarations => whole!(employer_pages::DeclarationsFile),
        ListKind::Graduates => whole!(graduate_pages::GraduatesFile),
        ListKind::Assessments => whole!(case_pages::AssessmentsFile),
        ListKind::Queue => whole!(case_pages::QueueFile),
        ListKind::WorkList => whole!(match_pages::WorkListFile),
        ListKind::Duplicates => whole!(duplicate_pages::DuplicatesFile),
        ListKind::Policies => whole!(employer_pages::PoliciesFile),
        ListKind::Plans => whole!(plan_pages::PlansFile),
        ListKind::Audit => whole!(pages::AuditFile),
        ListKind::ProgressPeople => whole!(drill_pages::PeopleFile),
    }
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    reason = "a test: a failure should stop it, loudly"
)]
mod tests {
    use std::io::Write as _;

    use super::Encoded;

    #[test]
    fn gb18030_text_written_a_byte_at_a_time_comes_out_whole() {
        // 𠮷 is outside GBK: four bytes in UTF-8 and in GB18030.
        let text = "姓名,𠮷祥\r\n王芳,和平区\r\n";
        let mut encoded = Encoded {
            out: Vec::new(),
            gb18030: true,
            pending: Vec::new(),
        };
        for byte in text.as_bytes() {
            encoded.write_all(std::slice::from_ref(byte)).unwrap();
        }
        assert!(encoded.pending.is_empty());
        assert_eq!(
            encoded.out,
            encoding_rs::GB18030.encode(text).0.into_owned()
        );
        let (back, _, errors) = encoding_rs::GB18030.decode(&encoded.out);
        assert!(!errors);
        assert_eq!(back, text);
    }
}
