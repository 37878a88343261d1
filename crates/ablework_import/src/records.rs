//! Reading employers, job postings, employment outcomes and training
//! enrolments. These readers normalise each row and turn the words people
//! write (`事业单位`, `是`, `灵活就业`, `已结业`, `2024年3月1日`) into the
//! codes AbleWork stores; the rules of each record (a valid credit code, a
//! staffing quota only for agencies, a wage in range, a course with places
//! left) are the application's, which checks every row exactly
//! as when the record is entered by hand. A word the reader cannot place
//! is reported on the row ([`EmployerRow::issues`] and the like), so that
//! the application lists it with its own findings.

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use ablework_domain::four_ones::{Accommodation, Hours};
use ablework_domain::lang::Lang;
use ablework_domain::levy::EmployerKind;
use ablework_domain::matching::{Demand, DemandLevel};
use ablework_domain::occupation::SubMajorGroup;
use ablework_domain::outcome::{EmploymentForm, Measure};
use ablework_domain::programme::Status;
use chrono::NaiveDate;

use crate::error::{FileError, RowError};
use crate::reader::ImportOptions;
use crate::schema::{
    Column, EMPLOYER_COLUMNS, ENROLMENT_COLUMNS, OUTCOME_COLUMNS, POSTING_COLUMNS,
};
use crate::table::{Cells, Table, open_table};
use crate::values::{self, lookup, vocabulary_keys};

/// One employer as read, its words turned into codes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmployerRow {
    /// The row number a spreadsheet shows.
    pub row: usize,
    /// 统一社会信用代码, in upper case.
    pub credit_code: String,
    /// 单位名称.
    pub name: String,
    /// 单位类型 as a code (`institution`), or as written if unknown.
    pub kind: String,
    /// 所属区, in simplified characters (a name or code).
    pub district: String,
    /// 行业 as a sector code, or as written if unknown.
    pub sector: String,
    /// 在职职工人数, as written.
    pub staff: String,
    /// 编制数, as written.
    pub staffing_quota: Option<String>,
    /// 中小学或幼儿园.
    pub is_school: bool,
    /// 国有企业.
    pub state_owned: bool,
    /// What the reader found wrong with the row's cells.
    pub issues: Vec<RowError>,
}

/// One job posting as read, its words turned into codes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostingRow {
    /// The row number a spreadsheet shows.
    pub row: usize,
    /// The employer's credit code, in upper case.
    pub employer_credit_code: String,
    /// 岗位名称: with the employer, what identifies the posting.
    pub title: String,
    /// ISCO-08 sub-major group code, or as written if unknown.
    pub occupation: String,
    /// The workplace's district, in simplified characters.
    pub district: String,
    /// The workplace's address.
    pub address: String,
    /// Hours code, or as written if unknown.
    pub hours: String,
    /// Monthly wage, as written (thousands separators allowed).
    pub monthly_wage: String,
    /// How many posts, as written.
    pub posts: String,
    /// Education code, empty for none required.
    pub education_required: String,
    /// Skills, as written.
    pub skills: String,
    /// `(demand code, level code)` pairs.
    pub demands: Vec<(String, String)>,
    /// Accommodation codes.
    pub accommodations: Vec<String>,
    /// 可居家办公.
    pub remote_possible: bool,
    /// 残疾人专岗.
    pub reserved_for_disabled: bool,
    /// What the reader found wrong with the row's cells.
    pub issues: Vec<RowError>,
}

/// One employment outcome as read, its words turned into codes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutcomeRow {
    /// The row number a spreadsheet shows.
    pub row: usize,
    /// The person's ID number, as written (normalised).
    pub id_number: String,
    /// The first day of work as `YYYY-MM-DD`, or as written if unreadable.
    pub started_on: String,
    /// Employment form code, or as written if unknown.
    pub form: String,
    /// The employer's credit code, in upper case; empty for none.
    pub employer_credit_code: String,
    /// Measure code, empty when not given, or as written if unknown.
    pub measure: String,
    /// Contract months, as written.
    pub contract_months: String,
    /// Monthly wage, as written.
    pub monthly_wage: String,
    /// `yes`, `no`, or empty when not known.
    pub insured: String,
    /// What the reader found wrong with the row's cells.
    pub issues: Vec<RowError>,
}

/// One trainee of a skills-training course as read, with their progress.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnrolmentRow {
    /// The row number a spreadsheet shows.
    pub row: usize,
    /// 课程编号: the course's record number, as written.
    pub course: String,
    /// The trainee's ID number, as written (normalised).
    pub id_number: String,
    /// 姓名, which checks the ID number.
    pub name: String,
    /// 入学日期 as `YYYY-MM-DD`, or as written if unreadable.
    pub joined_on: String,
    /// 状态 as a code (`completed`), empty when not given, or as written
    /// if unknown.
    pub status: String,
    /// 结业或退出日期 as `YYYY-MM-DD`, empty, or as written if unreadable.
    pub ended_on: String,
    /// 出勤次数, as written.
    pub sessions_attended: String,
    /// 证书编号, in upper case.
    pub certificate: String,
    /// What the reader found wrong with the row's cells.
    pub issues: Vec<RowError>,
}

/// Reads one kind of record, one row at a time.
///
/// Each item is a row, with the problems the reader found in its cells
/// (`issues`), or, as the last item, the read failure that stopped the
/// file (field `file`, code `read_failed`). A row whose key (see
/// [`ImportKind`]) an earlier row has is reported as `duplicate`. Rows
/// above the header row and rows with nothing in any recognised column are
/// skipped. The reader is `Send`.
pub struct RecordReader<R> {
    table: Table,
    build: fn(Cells, &mut Vec<RowError>) -> R,
    key: fn(&R) -> Option<(String, &'static str)>,
    issues: fn(&mut R) -> &mut Vec<RowError>,
    first_rows: HashMap<String, usize>,
}

/// Reads employers.
pub type EmployerReader = RecordReader<EmployerRow>;
/// Reads job postings.
pub type PostingReader = RecordReader<PostingRow>;
/// Reads employment outcomes.
pub type OutcomeReader = RecordReader<OutcomeRow>;
/// Reads training enrolments.
pub type EnrolmentReader = RecordReader<EnrolmentRow>;

impl<R> RecordReader<R> {
    /// The spreadsheet row number of the header row.
    pub fn header_row(&self) -> usize {
        self.table.header_row
    }

    /// Headers of columns that are not read.
    pub fn ignored_headers(&self) -> &[String] {
        &self.table.ignored
    }

    /// For CSV, the encoding the text is read in; `None` for workbooks.
    pub fn encoding(&self) -> Option<crate::Encoding> {
        self.table.charset.map(crate::encoding::Charset::encoding)
    }
}

impl<R> Iterator for RecordReader<R> {
    type Item = Result<R, Vec<RowError>>;

    fn next(&mut self) -> Option<Self::Item> {
        let cells = match self.table.next_cells()? {
            Ok(cells) => cells,
            Err(failure) => return Some(Err(vec![failure])),
        };
        let row = cells.row;
        let mut issues = Vec::new();
        let mut record = (self.build)(cells, &mut issues);
        if let Some((key, field)) = (self.key)(&record) {
            let first = *self.first_rows.entry(key).or_insert(row);
            if first != row {
                issues.push(RowError::at(
                    row,
                    field,
                    "duplicate",
                    format!("第 {first} 行已有同一条记录；每条只能列一次。"),
                    format!("Row {first} has the same record already; list each once."),
                ));
            }
        }
        (self.issues)(&mut record).extend(issues);
        Some(Ok(record))
    }
}

impl<R> std::iter::FusedIterator for RecordReader<R> {}

fn open(
    path: &Path,
    options: ImportOptions,
    columns: &'static [Column],
) -> Result<Table, FileError> {
    open_table(path, options.encoding, columns).map_err(|refusal| refusal.into_file_error(columns))
}

/// A key of two cells, when both are given; a row repeating it is reported
/// on `field`.
fn pair_key(first: &str, second: &str, field: &'static str) -> Option<(String, &'static str)> {
    (!first.is_empty() && !second.is_empty()).then(|| (format!("{first}\u{1f}{second}"), field))
}

/// Opens an employers file (CSV or a workbook, as [`crate::read_persons`]
/// reads them).
pub fn read_employers(path: &Path, options: &ImportOptions) -> Result<EmployerReader, FileError> {
    Ok(RecordReader {
        table: open(path, *options, &EMPLOYER_COLUMNS)?,
        build: employer_row,
        key: |row| (!row.credit_code.is_empty()).then(|| (row.credit_code.clone(), "credit_code")),
        issues: |row| &mut row.issues,
        first_rows: HashMap::new(),
    })
}

/// Opens a job postings file.
pub fn read_postings(path: &Path, options: &ImportOptions) -> Result<PostingReader, FileError> {
    Ok(RecordReader {
        table: open(path, *options, &POSTING_COLUMNS)?,
        build: posting_row,
        key: |row| pair_key(&row.employer_credit_code, &row.title, "title"),
        issues: |row| &mut row.issues,
        first_rows: HashMap::new(),
    })
}

/// Opens an employment outcomes file.
pub fn read_outcomes(path: &Path, options: &ImportOptions) -> Result<OutcomeReader, FileError> {
    Ok(RecordReader {
        table: open(path, *options, &OUTCOME_COLUMNS)?,
        build: outcome_row,
        key: |row| pair_key(&row.id_number, &row.started_on, "started_on"),
        issues: |row| &mut row.issues,
        first_rows: HashMap::new(),
    })
}

/// Opens a training enrolments file.
pub fn read_enrolments(path: &Path, options: &ImportOptions) -> Result<EnrolmentReader, FileError> {
    Ok(RecordReader {
        table: open(path, *options, &ENROLMENT_COLUMNS)?,
        build: enrolment_row,
        key: |row| pair_key(&row.course, &row.id_number, "id_number"),
        issues: |row| &mut row.issues,
        first_rows: HashMap::new(),
    })
}

/// The cells of one row with the kind's columns, reporting damaged cells
/// and unknown words into `issues`.
struct RowCells<'issues> {
    cells: Cells,
    columns: &'static [Column],
    issues: &'issues mut Vec<RowError>,
}

impl RowCells<'_> {
    fn index(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|column| column.name == name)
            .unwrap_or(usize::MAX)
    }

    /// The value of a column; a damaged cell is reported and read as
    /// blank, so it is not reported again as whatever its text fails.
    fn text(&mut self, name: &'static str) -> String {
        let index = self.index(name);
        if let Some(defect) = self.cells.defect(index) {
            self.issues
                .push(RowError::defect(self.cells.row, name, defect));
            return String::new();
        }
        self.cells.take(index)
    }

    /// An identifier: as [`RowCells::text`], in upper case.
    fn code(&mut self, name: &'static str) -> String {
        self.text(name).to_uppercase()
    }

    fn unknown(&mut self, name: &'static str, text: &str, expected: (&str, &str)) {
        let zh = self.columns[self.index(name)].zh;
        self.issues.push(RowError::at(
            self.cells.row,
            name,
            "unknown",
            format!("{zh}“{text}”无法识别：应为{}。", expected.0),
            format!("\"{text}\" is not a recognised {name}: use {}.", expected.1),
        ));
    }

    /// A word of a vocabulary, as its code; blank stays blank, and an
    /// unknown word is reported and kept as written.
    fn word(
        &mut self,
        name: &'static str,
        parse: fn(&str) -> Option<&'static str>,
        expected: (&str, &str),
    ) -> String {
        let text = self.text(name);
        if text.is_empty() {
            return text;
        }
        if let Some(code) = parse(&text) {
            code.to_owned()
        } else {
            self.unknown(name, &text, expected);
            text
        }
    }

    /// A date as `YYYY-MM-DD`; blank stays blank, and a date the reader
    /// cannot read is reported and kept as written.
    fn date(&mut self, name: &'static str) -> String {
        let text = self.text(name);
        if text.is_empty() {
            return text;
        }
        if let Some(day) = date(&text) {
            day.format("%Y-%m-%d").to_string()
        } else {
            self.issues.push(RowError::at(
                self.cells.row,
                name,
                "format",
                format!("日期“{text}”无法识别：请写成 2024-03-01 这样的形式。"),
                format!("\"{text}\" is not a date: write it as 2024-03-01."),
            ));
            text
        }
    }

    /// Yes or no; blank is `None`, an unknown word is reported.
    fn yes_no(&mut self, name: &'static str) -> Option<bool> {
        let text = self.text(name);
        if text.is_empty() {
            return None;
        }
        let answer = yes_no(&text);
        if answer.is_none() {
            self.unknown(name, &text, ("是或否", "yes or no"));
        }
        answer
    }
}

fn employer_row(cells: Cells, issues: &mut Vec<RowError>) -> EmployerRow {
    let row = cells.row;
    let mut cells = RowCells {
        cells,
        columns: &EMPLOYER_COLUMNS,
        issues,
    };
    EmployerRow {
        row,
        credit_code: cells.code("credit_code"),
        name: cells.text("name"),
        kind: cells.word(
            "kind",
            employer_kind,
            (
                "企业、机关、事业单位或社会团体",
                "enterprise, agency, institution or social_org",
            ),
        ),
        district: cells.text("district"),
        sector: cells.word(
            "sector",
            sector,
            (
                "行业分类中的一项，如 制造业",
                "a sector such as manufacturing",
            ),
        ),
        staff: cells.text("staff"),
        staffing_quota: Some(cells.text("staffing_quota")).filter(|text| !text.is_empty()),
        is_school: cells.yes_no("is_school").unwrap_or(false),
        state_owned: cells.yes_no("state_owned").unwrap_or(false),
        issues: Vec::new(),
    }
}

fn posting_row(cells: Cells, issues: &mut Vec<RowError>) -> PostingRow {
    let row = cells.row;
    let mut cells = RowCells {
        cells,
        columns: &POSTING_COLUMNS,
        issues,
    };
    let employer_credit_code = cells.code("employer_credit_code");
    let title = cells.text("title");
    let occupation = cells.word(
        "occupation",
        occupation,
        (
            "ISCO-08 中类代码（如 41）或名称",
            "an ISCO-08 sub-major group code (41) or name",
        ),
    );
    let district = cells.text("district");
    let address = cells.text("address");
    let hours = cells.word(
        "hours",
        hours,
        ("全日制、非全日制或灵活", "full_time, part_time or flexible"),
    );
    let monthly_wage = cells.text("monthly_wage");
    let posts = cells.text("posts");
    let education_required = cells.word(
        "education_required",
        education_required,
        (
            "小学、初中、高中、中专、大专、本科或不限",
            "an education level or none",
        ),
    );
    let skills = cells.text("skills");
    let demands_text = cells.text("demands");
    let demands = split_list(&demands_text)
        .filter_map(|item| {
            let found = demand(item);
            if found.is_none() {
                cells.unknown(
                    "demands",
                    item,
                    (
                        "“要求：程度”，如 久站：经常",
                        "demand:level, such as standing:frequent",
                    ),
                );
            }
            found
        })
        .collect();
    let accommodations_text = cells.text("accommodations");
    let accommodations = split_list(&accommodations_text)
        .filter_map(|item| {
            let found = accommodation(item).map(str::to_owned);
            if found.is_none() {
                cells.unknown(
                    "accommodations",
                    item,
                    (
                        "便利措施目录中的一项，如 无障碍通道",
                        "an accommodation such as step_free",
                    ),
                );
            }
            found
        })
        .collect();
    PostingRow {
        row,
        employer_credit_code,
        title,
        occupation,
        district,
        address,
        hours,
        monthly_wage,
        posts,
        education_required,
        skills,
        demands,
        accommodations,
        remote_possible: cells.yes_no("remote_possible").unwrap_or(false),
        reserved_for_disabled: cells.yes_no("reserved_for_disabled").unwrap_or(false),
        issues: Vec::new(),
    }
}

fn outcome_row(cells: Cells, issues: &mut Vec<RowError>) -> OutcomeRow {
    let row = cells.row;
    let mut cells = RowCells {
        cells,
        columns: &OUTCOME_COLUMNS,
        issues,
    };
    let id_number = cells.code("id_number");
    let started_on = cells.date("started_on");
    let form = cells.word(
        "form",
        employment_form,
        (
            "就业形式之一，如 按比例就业、灵活就业",
            "an employment form such as quota or flexible",
        ),
    );
    let employer_credit_code = cells.code("employer_credit_code");
    let measure = cells.word(
        "measure",
        measure,
        (
            "十项措施之一（代码、名称或 1–10）",
            "one of the ten measures (code, name or 1–10)",
        ),
    );
    let contract_months = cells.text("contract_months");
    let monthly_wage = cells.text("monthly_wage");
    let insured = match cells.yes_no("insured") {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    OutcomeRow {
        row,
        id_number,
        started_on,
        form,
        employer_credit_code,
        measure,
        contract_months,
        monthly_wage,
        insured: insured.to_owned(),
        issues: Vec::new(),
    }
}

fn enrolment_row(cells: Cells, issues: &mut Vec<RowError>) -> EnrolmentRow {
    let row = cells.row;
    let mut cells = RowCells {
        cells,
        columns: &ENROLMENT_COLUMNS,
        issues,
    };
    EnrolmentRow {
        row,
        course: cells.code("course"),
        id_number: cells.code("id_number"),
        name: cells.text("name"),
        joined_on: cells.date("joined_on"),
        status: cells.word(
            "status",
            status,
            ("在册、已结业或已退出", "active, completed or withdrawn"),
        ),
        ended_on: cells.date("ended_on"),
        sessions_attended: cells.text("sessions_attended"),
        certificate: cells.code("certificate"),
        issues: Vec::new(),
    }
}

/// The items of a list cell, separated by commas, 顿号 or semicolons.
fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '，', '、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// Yes or no, in the words people use.
fn yes_no(text: &str) -> Option<bool> {
    const YES: [&str; 9] = ["是", "有", "y", "yes", "true", "1", "√", "✓", "对"];
    const NO: [&str; 9] = ["否", "无", "n", "no", "false", "0", "×", "✗", "不是"];
    let folded = text.trim().to_lowercase();
    if YES.contains(&folded.as_str()) {
        Some(true)
    } else if NO.contains(&folded.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// A date as people write it: `2024-03-01`, `2024/3/1`, `2024.3.1`,
/// `2024年3月1日`, `20240301`, or with a time after it.
pub(crate) fn date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let day_part = text.split([' ', 'T']).next().unwrap_or(text);
    let numbers: Vec<&str> = day_part
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|part| !part.is_empty())
        .collect();
    let parse = |part: &str| part.parse::<u32>().ok();
    match numbers.as_slice() {
        [year, month, day] => NaiveDate::from_ymd_opt(
            i32::try_from(parse(year)?).ok()?,
            parse(month)?,
            parse(day)?,
        ),
        [compact] if compact.len() == 8 && compact.bytes().all(|b| b.is_ascii_digit()) => {
            NaiveDate::parse_from_str(compact, "%Y%m%d").ok()
        }
        _ => None,
    }
}

/// A vocabulary's keys, as codes.
fn code_keys<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    aliases: &[(&str, T)],
) -> Vec<(String, &'static str)> {
    vocabulary_keys(all, code, label, aliases)
        .into_iter()
        .map(|(key, value)| (key, code(value)))
        .collect()
}

fn employer_kind(text: &str) -> Option<&'static str> {
    static KEYS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        code_keys(
            &EmployerKind::ALL,
            EmployerKind::code,
            EmployerKind::label,
            &[
                ("公司", EmployerKind::Enterprise),
                ("企业单位", EmployerKind::Enterprise),
                ("国有企业", EmployerKind::Enterprise),
                ("民营企业", EmployerKind::Enterprise),
                ("机关单位", EmployerKind::Agency),
                ("国家机关", EmployerKind::Agency),
                ("党政机关", EmployerKind::Agency),
                ("行政机关", EmployerKind::Agency),
                ("agency", EmployerKind::Agency),
                ("institution", EmployerKind::Institution),
                ("社会组织", EmployerKind::SocialOrg),
                ("民办非企业单位", EmployerKind::SocialOrg),
                ("socialorganisation", EmployerKind::SocialOrg),
            ],
        )
    });
    lookup(text, &KEYS)
}

fn sector(text: &str) -> Option<&'static str> {
    static KEYS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        ablework_demo::employers::sectors()
            .iter()
            .flat_map(|&code| {
                let label =
                    |lang| ablework_demo::employers::sector_label(code, lang).unwrap_or(code);
                [code, label(Lang::Zh), label(Lang::En)].map(|name| (values::fold(name), code))
            })
            .collect()
    });
    lookup(text, &KEYS)
}

fn occupation(text: &str) -> Option<&'static str> {
    static KEYS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        code_keys(
            SubMajorGroup::ALL,
            SubMajorGroup::code,
            SubMajorGroup::label,
            &[],
        )
    });
    lookup(text, &KEYS)
}

fn hours(text: &str) -> Option<&'static str> {
    static KEYS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        code_keys(
            Hours::ALL,
            Hours::code,
            Hours::label,
            &[
                ("全职", Hours::FullTime),
                ("兼职", Hours::PartTime),
                ("非全职", Hours::PartTime),
                ("灵活工时", Hours::Flexible),
                ("弹性", Hours::Flexible),
            ],
        )
    });
    lookup(text, &KEYS)
}

fn education_required(text: &str) -> Option<&'static str> {
    if matches!(
        values::fold(&values::simplified(text)).as_str(),
        "不限" | "无" | "无要求" | "none" | "nonerequired" | "any"
    ) {
        return Some("none_required");
    }
    values::education(text).map(ablework_domain::person::Education::code)
}

fn demand(item: &str) -> Option<(String, String)> {
    static DEMANDS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        code_keys(
            Demand::ALL,
            Demand::code,
            Demand::label,
            &[("久站", Demand::Standing), ("搬举", Demand::Lifting)],
        )
    });
    static LEVELS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        code_keys(
            DemandLevel::ALL,
            DemandLevel::code,
            DemandLevel::label,
            &[
                ("有时", DemandLevel::Occasional),
                ("频繁", DemandLevel::Frequent),
            ],
        )
    });
    let (name, level) = item.split_once([':', '：', '='])?;
    Some((
        lookup(name, &DEMANDS)?.to_owned(),
        lookup(level, &LEVELS)?.to_owned(),
    ))
}

fn accommodation(text: &str) -> Option<&'static str> {
    static KEYS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        code_keys(
            Accommodation::ALL,
            Accommodation::code,
            Accommodation::label,
            &[],
        )
    });
    lookup(text, &KEYS)
}

fn employment_form(text: &str) -> Option<&'static str> {
    static KEYS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        code_keys(
            EmploymentForm::ALL,
            EmploymentForm::code,
            EmploymentForm::label,
            &[
                ("按比例", EmploymentForm::Quota),
                ("按比例安排就业", EmploymentForm::Quota),
                ("个体就业", EmploymentForm::SelfEmployed),
                ("自主创业", EmploymentForm::SelfEmployed),
                ("个体", EmploymentForm::SelfEmployed),
                ("公益岗", EmploymentForm::PublicWelfare),
                ("公益岗位", EmploymentForm::PublicWelfare),
                ("辅助就业", EmploymentForm::Auxiliary),
                ("灵活", EmploymentForm::Flexible),
                ("种养加", EmploymentForm::Agriculture),
            ],
        )
    });
    lookup(text, &KEYS)
}

fn measure(text: &str) -> Option<&'static str> {
    static KEYS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        let mut keys = code_keys(Measure::ALL, Measure::code, Measure::label, &[]);
        for (number, measure) in (1..).zip(Measure::ALL) {
            keys.push((number.to_string(), measure.code()));
            keys.push((format!("措施{number}"), measure.code()));
            keys.push((format!("m{number:02}"), measure.code()));
        }
        keys
    });
    lookup(text, &KEYS)
}

fn status(text: &str) -> Option<&'static str> {
    static KEYS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        code_keys(
            Status::ALL,
            Status::code,
            Status::label,
            &[
                ("在读", Status::Active),
                ("在训", Status::Active),
                ("培训中", Status::Active),
                ("enrolled", Status::Active),
                ("结业", Status::Completed),
                ("已完成", Status::Completed),
                ("complete", Status::Completed),
                ("退出", Status::Withdrawn),
                ("中途退出", Status::Withdrawn),
                ("退学", Status::Withdrawn),
                ("withdrew", Status::Withdrawn),
            ],
        )
    });
    lookup(text, &KEYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_people_write_them() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 1);
        for text in [
            "2024-03-01",
            "2024/3/1",
            "2024.3.1",
            "2024年3月1日",
            "20240301",
            "2024-03-01 00:00:00",
            "2024-03-01T00:00:00",
        ] {
            assert_eq!(date(text), day, "{text}");
        }
        for text in ["2024-02-30", "3/1/2024x", "yesterday", "2024-03"] {
            assert_eq!(date(text), None, "{text}");
        }
    }

    #[test]
    fn words_become_codes() {
        assert_eq!(employer_kind("事业单位"), Some("institution"));
        assert_eq!(employer_kind("事業單位"), Some("institution"));
        assert_eq!(employer_kind("Enterprise"), Some("enterprise"));
        assert_eq!(employer_kind("公司"), Some("enterprise"));
        assert_eq!(employer_kind("工厂"), None);
        assert_eq!(sector("制造业"), Some("manufacturing"));
        assert_eq!(sector("Manufacturing"), Some("manufacturing"));
        assert_eq!(yes_no("是"), Some(true));
        assert_eq!(yes_no("N"), Some(false));
        assert_eq!(yes_no("也许"), None);
        assert_eq!(hours("全日制"), Some("full_time"));
        assert_eq!(employment_form("灵活就业"), Some("flexible"));
        assert_eq!(employment_form("按比例就业"), Some("quota"));
        assert_eq!(measure("3"), Some("m03_private"));
        assert_eq!(measure("m09_service"), Some("m09_service"));
        assert_eq!(
            demand("长时间站立：经常"),
            Some(("standing".to_owned(), "frequent".to_owned()))
        );
        assert_eq!(
            demand("lifting:occasional"),
            Some(("lifting".to_owned(), "occasional".to_owned()))
        );
        assert_eq!(demand("standing"), None);
        assert_eq!(accommodation("无障碍通道"), Some("step_free"));
        assert_eq!(education_required("不限"), Some("none_required"));
        assert_eq!(education_required("大专"), Some("college"));
        assert_eq!(occupation("41"), Some("41"));
        assert_eq!(status("已结业"), Some("completed"));
        assert_eq!(status("已結業"), Some("completed"));
        assert_eq!(status("Withdrawn"), Some("withdrawn"));
        assert_eq!(status("在册"), Some("active"));
        assert_eq!(status("毕业"), None);
    }
}
