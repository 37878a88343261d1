//! Opening a people file and reading it row by row: format detection, the
//! header row, and the checks that span rows.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{Ods, Reader, Sheets, Xls, Xlsb, Xlsx};
use chrono::NaiveDate;

use crate::encoding::{self, Charset, Encoding, UTF8_BOM};
use crate::error::{FileError, HEADER_SEARCH_ROWS, RowError};
use crate::field::Field;
use crate::row::{self, CellDefect, PersonRow, RawPersonRow};
use crate::source::{CsvSource, Record, SheetSource, Source};
use crate::values;

/// How to read a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportOptions {
    /// The encoding of a CSV file; workbooks ignore it.
    pub encoding: Encoding,
    /// The day of the import: a birth date after it is refused. The caller
    /// passes it because this crate reads no clock.
    pub today: NaiveDate,
}

impl ImportOptions {
    /// Options that detect the encoding.
    pub fn new(today: NaiveDate) -> ImportOptions {
        ImportOptions {
            encoding: Encoding::Auto,
            today,
        }
    }
}

/// The kind of file being read, found from its contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Comma-separated text.
    Csv,
    /// Excel 2007 and later (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97–2003 (`.xls`).
    Xls,
    /// An ODF spreadsheet (`.ods`).
    Ods,
}

/// Reads the people in a file, one validated row at a time.
///
/// Each item is a [`PersonRow`] or every [`RowError`] of one rejected row;
/// the other rows are read regardless. Rows above the header row and rows
/// with nothing in any recognised column are skipped without an item. If
/// the file cannot be read further, one last item reports it (field
/// `file`, code `read_failed`) and the iteration ends.
///
/// A person listed twice (the same ID number) is rejected on the later
/// rows (code `duplicate`): otherwise one row would silently overwrite the
/// other, and importing the file again would change the record back and
/// forth. For this the reader remembers each ID as a number, some 20 to 40
/// bytes per row (about 40 MB for a million rows); everything else it
/// holds is one record at a time.
///
/// The reader is `Send`, so it can run on a blocking thread.
pub struct PersonReader {
    source: Source,
    columns: Columns,
    today: NaiveDate,
    format: Format,
    charset: Option<Charset>,
    header_row: usize,
    ignored_headers: Vec<String>,
    /// The first row of every ID number read, keyed by its first 17
    /// digits, which determine the 18th.
    first_rows: HashMap<u64, usize>,
    finished: bool,
}

/// Opens a people file: CSV (UTF-8 with or without byte-order mark, or
/// GB18030/GBK) or a workbook (XLSX, and also XLS, XLSB and ODS). The format
/// is recognised from the contents, not the file name, so a CSV file named
/// `.xls` still reads.
///
/// The header row is the first row, among the first 20 that are not blank,
/// that names every required column; title rows above it are skipped. In a
/// workbook the first sheet with such a row is read.
///
/// A CSV file with a UTF-8 byte-order mark is read as UTF-8 whatever
/// `options.encoding` says, since the mark says so.
pub fn read_persons(path: &Path, options: &ImportOptions) -> Result<PersonReader, FileError> {
    let head = read_head(open_file(path)?).map_err(cannot_read(path))?;
    match sniff(&head) {
        Kind::Text => {
            let charset = if head.starts_with(UTF8_BOM) {
                Charset::Utf8
            } else {
                match options.encoding {
                    Encoding::Utf8 => Charset::Utf8,
                    Encoding::Gb18030 => Charset::Gb18030,
                    Encoding::Auto => {
                        encoding::detect(open_file(path)?).map_err(cannot_read(path))?
                    }
                }
            };
            let mut source = Source::Csv(Box::new(CsvSource::new(open_file(path)?, charset)));
            let header =
                find_header(&mut source).map_err(|problem| problem.into_file_error(charset))?;
            Ok(PersonReader::new(
                source,
                header,
                *options,
                Format::Csv,
                Some(charset),
            ))
        }
        kind @ (Kind::Zip | Kind::Compound) => {
            let (format, workbook) = open_workbook(path, kind)?;
            let (source, header) = first_sheet_with_header(workbook)?;
            Ok(PersonReader::new(source, header, *options, format, None))
        }
        Kind::Utf16 => Err(FileError::Undecodable { encoding: "UTF-16" }),
        Kind::Binary => Err(FileError::UnknownFormat {
            path: path.to_owned(),
        }),
    }
}

fn open_file(path: &Path) -> Result<File, FileError> {
    File::open(path).map_err(cannot_read(path))
}

fn cannot_read(path: &Path) -> impl FnOnce(std::io::Error) -> FileError {
    let path = path.to_owned();
    move |source| FileError::Open { path, source }
}

impl PersonReader {
    fn new(
        source: Source,
        header: Header,
        options: ImportOptions,
        format: Format,
        charset: Option<Charset>,
    ) -> PersonReader {
        PersonReader {
            source,
            columns: header.columns,
            today: options.today,
            format,
            charset,
            header_row: header.row,
            ignored_headers: header.ignored,
            first_rows: HashMap::new(),
            finished: false,
        }
    }

    /// The kind of file.
    pub fn format(&self) -> Format {
        self.format
    }

    /// For CSV, the encoding the text is read in (`auto` decided);
    /// `None` for workbooks.
    pub fn encoding(&self) -> Option<Encoding> {
        self.charset.map(Charset::encoding)
    }

    /// The spreadsheet row number of the header row.
    pub fn header_row(&self) -> usize {
        self.header_row
    }

    /// Headers of columns that are not read (e.g. `序号`, `备注`), so the
    /// command can say what it ignored.
    pub fn ignored_headers(&self) -> &[String] {
        &self.ignored_headers
    }

    /// Rejects a later row with an ID number already read, remembering the
    /// first row of each.
    fn reject_duplicate(
        &mut self,
        row: usize,
        id: Option<&ablework_domain::ident::ResidentId>,
        result: Result<PersonRow, Vec<RowError>>,
    ) -> Result<PersonRow, Vec<RowError>> {
        // A valid ID is 17 digits and a check character they determine.
        let Some(key) = id.and_then(|id| id.as_str().get(..17)?.parse::<u64>().ok()) else {
            return result;
        };
        let first = *self.first_rows.entry(key).or_insert(row);
        if first == row {
            return result;
        }
        let duplicate = RowError::new(
            row,
            Field::IdNumber,
            "duplicate",
            format!("该身份证号已在第 {first} 行出现；每人只能列一次。"),
            format!("This ID number is already on row {first}; list each person once."),
        );
        let mut errors = result.err().unwrap_or_default();
        errors.push(duplicate);
        // Keep the errors in field order, as the rest of the row reports them.
        errors.sort_by_key(|error| Field::from_name(&error.field).map_or(usize::MAX, Field::index));
        Err(errors)
    }
}

impl Iterator for PersonReader {
    type Item = Result<PersonRow, Vec<RowError>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        loop {
            let record = match self.source.next_record() {
                None => {
                    self.finished = true;
                    return None;
                }
                Some(Err(failure)) => {
                    self.finished = true;
                    return Some(Err(vec![RowError::read_failed(
                        failure.row,
                        &failure.detail,
                    )]));
                }
                Some(Ok(record)) => record,
            };
            let Some(raw) = raw_row(record, &self.columns) else {
                continue;
            };
            let row = raw.row;
            let (id, result) = row::check_row(raw, self.today);
            return Some(self.reject_duplicate(row, id.as_ref(), result));
        }
    }
}

impl std::iter::FusedIterator for PersonReader {}

/// Which cell of a row holds each field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Columns([Option<usize>; Field::ALL.len()]);

impl Columns {
    fn get(&self, field: Field) -> Option<usize> {
        self.0[field.index()]
    }
}

/// The header row that was found.
#[derive(Debug)]
struct Header {
    columns: Columns,
    row: usize,
    ignored: Vec<String>,
}

/// Why no header row was found.
#[derive(Debug)]
enum NoHeader {
    /// No row has anything in it.
    Empty,
    /// The best candidate row lacks these required fields.
    Missing(Vec<Field>),
    /// No header, and some cells could not be decoded: the encoding is
    /// likely wrong.
    Undecodable,
    /// The file could not be read.
    Unreadable(String),
}

impl NoHeader {
    /// The file error for a file read with `charset`; only text files
    /// have undecodable cells.
    fn into_file_error(self, charset: Charset) -> FileError {
        match self {
            NoHeader::Empty => FileError::Empty,
            NoHeader::Missing(missing) => FileError::MissingHeaders { missing },
            NoHeader::Undecodable => FileError::Undecodable {
                encoding: charset.name(),
            },
            NoHeader::Unreadable(detail) => FileError::Unreadable { detail },
        }
    }
}

/// Maps the cells of a candidate header row to fields. The first column
/// naming a field wins. Returns the columns, the headers not recognised,
/// and the required fields missing.
fn match_header(record: &Record) -> (Columns, Vec<String>, Vec<Field>) {
    let mut columns = Columns::default();
    let mut ignored = Vec::new();
    for (index, cell) in record.cells.iter().enumerate() {
        match Field::from_header(&cell.text) {
            Some(field) if columns.get(field).is_none() => columns.0[field.index()] = Some(index),
            Some(_) => ignored.push(values::clean_cell(&cell.text)),
            None if !cell.is_blank() => ignored.push(values::clean_cell(&cell.text)),
            None => {}
        }
    }
    let missing = Field::REQUIRED
        .into_iter()
        .filter(|field| columns.get(*field).is_none())
        .collect();
    (columns, ignored, missing)
}

/// Reads rows until one names every required field, looking at no more
/// than [`HEADER_SEARCH_ROWS`] non-blank rows.
fn find_header(source: &mut Source) -> Result<Header, NoHeader> {
    let mut rows_seen = 0;
    let mut best_missing = Field::REQUIRED.to_vec();
    let mut undecodable = false;
    while rows_seen < HEADER_SEARCH_ROWS {
        let record = match source.next_record() {
            None => break,
            Some(Err(failure)) => return Err(NoHeader::Unreadable(failure.detail)),
            Some(Ok(record)) => record,
        };
        if record.is_blank() {
            continue;
        }
        rows_seen += 1;
        undecodable |= record
            .cells
            .iter()
            .any(|cell| cell.defect == Some(CellDefect::Undecodable));
        let (columns, ignored, missing) = match_header(&record);
        if missing.is_empty() {
            return Ok(Header {
                columns,
                row: record.row,
                ignored,
            });
        }
        if missing.len() < best_missing.len() {
            best_missing = missing;
        }
    }
    Err(if rows_seen == 0 {
        NoHeader::Empty
    } else if undecodable {
        NoHeader::Undecodable
    } else {
        NoHeader::Missing(best_missing)
    })
}

/// Picks the cells of each field out of a row and normalises them;
/// `None` for a row with nothing in any recognised column (blank rows,
/// and notes or totals outside the person's columns).
fn raw_row(record: Record, columns: &Columns) -> Option<RawPersonRow> {
    let mut cells = record.cells;
    let mut defects = Vec::new();
    let mut take = |field: Field| -> String {
        let Some(cell) = columns.get(field).and_then(|index| cells.get_mut(index)) else {
            return String::new();
        };
        if let Some(defect) = cell.defect {
            defects.push((field, defect));
        }
        values::clean_cell(&std::mem::take(&mut cell.text))
    };
    let name = values::collapse_spaces(&take(Field::Name));
    let id_number = values::number_text(&take(Field::IdNumber));
    let certificate_number = values::number_text(&take(Field::CertificateNumber));
    let district = values::simplified(&take(Field::District));
    let street = optional(values::collapse_spaces(&values::simplified(&take(
        Field::Street,
    ))));
    let hukou = optional(values::simplified(&take(Field::Hukou)));
    let phone = optional(values::number_text(&take(Field::Phone)));
    let education = optional(values::simplified(&take(Field::Education)));
    let employment_status = optional(values::simplified(&take(Field::EmploymentStatus)));
    for (field, text) in [
        (Field::IdNumber, &id_number),
        (Field::CertificateNumber, &certificate_number),
    ] {
        if values::is_scientific(text) && !defects.iter().any(|(damaged, _)| *damaged == field) {
            defects.push((field, CellDefect::InexactNumber));
        }
    }
    let raw = RawPersonRow {
        row: record.row,
        name,
        id_number,
        certificate_number,
        district,
        street,
        hukou,
        phone,
        education,
        employment_status,
        defects,
    };
    let blank = raw.name.is_empty()
        && raw.id_number.is_empty()
        && raw.certificate_number.is_empty()
        && raw.district.is_empty()
        && [
            &raw.street,
            &raw.hukou,
            &raw.phone,
            &raw.education,
            &raw.employment_status,
        ]
        .iter()
        .all(|value| value.is_none());
    (!blank).then_some(raw)
}

fn optional(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// What the first bytes of a file say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Text, read as CSV.
    Text,
    /// A ZIP archive: XLSX, XLSB or ODS.
    Zip,
    /// An OLE compound file: XLS.
    Compound,
    /// Text in UTF-16 (Excel's "Unicode text"), which we do not read.
    Utf16,
    /// Something else.
    Binary,
}

/// How many bytes are looked at to recognise a file.
const HEAD_SIZE: usize = 8 * 1024;

fn read_head(file: File) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_SIZE);
    file.take(HEAD_SIZE as u64).read_to_end(&mut head)?;
    Ok(head)
}

fn sniff(head: &[u8]) -> Kind {
    const BINARY_MAGIC: [&[u8]; 6] = [
        b"%PDF",
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"\x1F\x8B",
        b"Rar!",
        b"7z\xBC\xAF",
    ];
    if head.starts_with(b"PK\x03\x04") {
        Kind::Zip
    } else if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Kind::Compound
    } else if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        Kind::Utf16
    } else if BINARY_MAGIC.iter().any(|magic| head.starts_with(magic)) || head.contains(&0) {
        // Text never contains NUL; UTF-16 without a mark does, and is
        // refused with the rest.
        Kind::Binary
    } else {
        Kind::Text
    }
}

type Workbook = Sheets<BufReader<File>>;

/// Opens a workbook with the reader its contents call for. ZIP files may
/// be XLSX, XLSB or ODS; the name's extension decides which is tried first.
fn open_workbook(path: &Path, kind: Kind) -> Result<(Format, Workbook), FileError> {
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let order: &[Format] = match (kind, extension.as_str()) {
        (Kind::Compound, _) => &[Format::Xls],
        (_, "ods") => &[Format::Ods, Format::Xlsx, Format::Xlsb],
        (_, "xlsb") => &[Format::Xlsb, Format::Xlsx, Format::Ods],
        _ => &[Format::Xlsx, Format::Xlsb, Format::Ods],
    };
    let mut first_error = None;
    for format in order {
        let reader = BufReader::new(open_file(path)?);
        let opened = match format {
            Format::Xlsx => Xlsx::new(reader)
                .map(Sheets::Xlsx)
                .map_err(|error| error.to_string()),
            Format::Xlsb => Xlsb::new(reader)
                .map(Sheets::Xlsb)
                .map_err(|error| error.to_string()),
            Format::Ods => Ods::new(reader)
                .map(Sheets::Ods)
                .map_err(|error| error.to_string()),
            Format::Xls => Xls::new(reader)
                .map(Sheets::Xls)
                .map_err(|error| error.to_string()),
            Format::Csv => continue,
        };
        match opened {
            Ok(workbook) => return Ok((*format, workbook)),
            Err(detail) => {
                first_error.get_or_insert(detail);
            }
        }
    }
    Err(FileError::Unreadable {
        detail: first_error.unwrap_or_default(),
    })
}

/// Finds the first sheet with a header row. If none has one, the error
/// describes the sheet that came closest.
fn first_sheet_with_header(mut workbook: Workbook) -> Result<(Source, Header), FileError> {
    let mut best: Option<NoHeader> = None;
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|error| FileError::Unreadable {
                detail: error.to_string(),
            })?;
        let mut source = Source::Sheet(SheetSource::new(range));
        match find_header(&mut source) {
            Ok(header) => return Ok((source, header)),
            Err(NoHeader::Empty) => {}
            Err(NoHeader::Missing(missing)) => {
                let closer = match &best {
                    Some(NoHeader::Missing(best_missing)) => missing.len() < best_missing.len(),
                    _ => true,
                };
                if closer {
                    best = Some(NoHeader::Missing(missing));
                }
            }
            // Workbook cells are never undecodable; their text is Unicode.
            Err(other) => return Err(other.into_file_error(Charset::Utf8)),
        }
    }
    Err(best
        .unwrap_or(NoHeader::Empty)
        .into_file_error(Charset::Utf8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Cell;

    fn record(row: usize, cells: &[&str]) -> Record {
        Record {
            row,
            cells: cells
                .iter()
                .map(|text| Cell {
                    text: (*text).to_owned(),
                    defect: None,
                })
                .collect(),
        }
    }

    #[test]
    fn the_reader_can_move_to_another_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<PersonReader>();
    }

    #[test]
    fn files_are_recognised_by_content() {
        let cases: [(&[u8], Kind); 9] = [
            (b"name,id\n", Kind::Text),
            (b"\xEF\xBB\xBFname\n", Kind::Text),
            (b"", Kind::Text),
            (b"PK\x03\x04rest", Kind::Zip),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", Kind::Compound),
            (b"\xFF\xFEn\x00", Kind::Utf16),
            (b"%PDF-1.7", Kind::Binary),
            (b"n\x00a\x00", Kind::Binary),
            (b"\x89PNG", Kind::Binary),
        ];
        for (head, expected) in cases {
            assert_eq!(sniff(head), expected, "{head:?}");
        }
    }

    #[test]
    fn header_cells_map_to_fields() {
        let (columns, ignored, missing) = match_header(&record(
            2,
            &["序号", "姓名", "身份证号", "手机", "联系电话", "", "备注"],
        ));
        assert_eq!(columns.get(Field::Name), Some(1));
        assert_eq!(columns.get(Field::IdNumber), Some(2));
        assert_eq!(columns.get(Field::Phone), Some(3));
        assert_eq!(ignored, ["序号", "联系电话", "备注"]);
        assert_eq!(missing, [Field::CertificateNumber, Field::District]);
    }

    #[test]
    fn rows_without_recognised_values_are_blank() {
        let (columns, _, _) = match_header(&record(1, &["序号", "姓名", "所属区"]));
        assert_eq!(raw_row(record(5, &["12", " ", "\u{3000}"]), &columns), None);
        assert_eq!(raw_row(record(6, &[]), &columns), None);
        let raw = raw_row(record(7, &["13", "张　三", "濱海新區"]), &columns);
        assert_eq!(
            raw,
            Some(RawPersonRow {
                row: 7,
                name: "张三".to_owned(),
                district: "滨海新区".to_owned(),
                ..RawPersonRow::default()
            })
        );
    }
}
