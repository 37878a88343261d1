//! Opening a spreadsheet of any kind and reading it row by row: format
//! detection, the encoding of CSV text, the header row found below any
//! title rows, and the cells of each row normalised for their column.
//! Every kind's reader, and [`read_raw`], sit on this.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{Ods, Reader, Sheets, Xls, Xlsb, Xlsx};

use crate::encoding::{self, Charset, Encoding, UTF8_BOM};
use crate::error::{FileError, HEADER_SEARCH_ROWS, RowError};
use crate::kind::ImportKind;
use crate::row::CellDefect;
use crate::schema::{Column, Value, column_for_header};
use crate::source::{CsvSource, Record, SheetSource, Source};
use crate::values;

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

/// Why a table could not be opened: the file, or the header row lacking
/// required columns (their positions in the kind's columns).
#[derive(Debug)]
pub(crate) enum Refusal {
    File(FileError),
    Missing(Vec<usize>),
}

impl From<FileError> for Refusal {
    fn from(error: FileError) -> Refusal {
        Refusal::File(error)
    }
}

impl Refusal {
    /// The file error, naming missing columns by their schema entries.
    pub(crate) fn into_file_error(self, columns: &'static [Column]) -> FileError {
        match self {
            Refusal::File(error) => error,
            Refusal::Missing(missing) => FileError::MissingColumns {
                missing: missing.into_iter().map(|index| columns[index]).collect(),
            },
        }
    }
}

/// One data row with its cells picked out per column and normalised.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cells {
    /// The row number a spreadsheet shows.
    pub(crate) row: usize,
    /// One value per column of the kind; empty when blank or absent.
    pub(crate) values: Vec<String>,
    /// Cells whose text cannot be trusted: column position and why.
    pub(crate) defects: Vec<(usize, CellDefect)>,
}

impl Cells {
    /// The value of column `index`, moved out.
    pub(crate) fn take(&mut self, index: usize) -> String {
        self.values
            .get_mut(index)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The defect of column `index`, if any.
    pub(crate) fn defect(&self, index: usize) -> Option<CellDefect> {
        self.defects
            .iter()
            .find(|(column, _)| *column == index)
            .map(|(_, defect)| *defect)
    }
}

/// An open spreadsheet positioned after its header row.
pub(crate) struct Table {
    source: Source,
    columns: &'static [Column],
    /// For each column of the kind, the cell that holds it.
    positions: Vec<Option<usize>>,
    pub(crate) format: Format,
    pub(crate) charset: Option<Charset>,
    pub(crate) header_row: usize,
    pub(crate) header_cells: Vec<String>,
    pub(crate) ignored: Vec<String>,
    finished: bool,
}

/// Opens a file and finds the header row naming every required column of
/// `columns`: CSV (UTF-8 with or without byte-order mark, or GB18030/GBK)
/// or a workbook (XLSX, and also XLS, XLSB and ODS), recognised from the
/// contents, not the name. A CSV file with a UTF-8 byte-order mark is read
/// as UTF-8 whatever `encoding` says.
pub(crate) fn open_table(
    path: &Path,
    encoding: Encoding,
    columns: &'static [Column],
) -> Result<Table, Refusal> {
    let head = read_head(open_file(path)?).map_err(cannot_read(path))?;
    match sniff(&head) {
        Kind::Text => {
            let charset = if head.starts_with(UTF8_BOM) {
                Charset::Utf8
            } else {
                match encoding {
                    Encoding::Utf8 => Charset::Utf8,
                    Encoding::Gb18030 => Charset::Gb18030,
                    Encoding::Auto => {
                        encoding::detect(open_file(path)?).map_err(cannot_read(path))?
                    }
                }
            };
            let mut source = Source::Csv(Box::new(CsvSource::new(open_file(path)?, charset)));
            let header = find_header(&mut source, columns)
                .map_err(|problem| problem.into_refusal(charset))?;
            Ok(Table::new(
                source,
                columns,
                header,
                Format::Csv,
                Some(charset),
            ))
        }
        kind @ (Kind::Zip | Kind::Compound) => {
            let (format, workbook) = open_workbook(path, kind)?;
            let (source, header) = first_sheet_with_header(workbook, columns)?;
            Ok(Table::new(source, columns, header, format, None))
        }
        Kind::Utf16 => Err(FileError::Undecodable { encoding: "UTF-16" }.into()),
        Kind::Binary => Err(FileError::UnknownFormat {
            path: path.to_owned(),
        }
        .into()),
    }
}

fn open_file(path: &Path) -> Result<File, FileError> {
    File::open(path).map_err(cannot_read(path))
}

fn cannot_read(path: &Path) -> impl FnOnce(std::io::Error) -> FileError {
    let path = path.to_owned();
    move |source| FileError::Open { path, source }
}

impl Table {
    fn new(
        source: Source,
        columns: &'static [Column],
        header: Header,
        format: Format,
        charset: Option<Charset>,
    ) -> Table {
        Table {
            source,
            columns,
            positions: header.positions,
            format,
            charset,
            header_row: header.row,
            header_cells: header.cells,
            ignored: header.ignored,
            finished: false,
        }
    }

    /// The next row as in the file, blank rows included; a read failure
    /// ends the table.
    fn next_record(&mut self) -> Option<Result<Record, RowError>> {
        if self.finished {
            return None;
        }
        match self.source.next_record() {
            None => {
                self.finished = true;
                None
            }
            Some(Err(failure)) => {
                self.finished = true;
                Some(Err(RowError::read_failed(failure.row, &failure.detail)))
            }
            Some(Ok(record)) => Some(Ok(record)),
        }
    }

    /// The next row with something in a recognised column, its cells
    /// normalised for their columns. Blank rows, and notes or totals
    /// outside the kind's columns, are skipped.
    pub(crate) fn next_cells(&mut self) -> Option<Result<Cells, RowError>> {
        loop {
            let record = match self.next_record()? {
                Ok(record) => record,
                Err(error) => return Some(Err(error)),
            };
            if let Some(cells) = self.pick(record) {
                return Some(Ok(cells));
            }
        }
    }

    /// Picks each column's cell out of a row and normalises it; `None`
    /// when every one is blank.
    fn pick(&self, record: Record) -> Option<Cells> {
        let mut cells = record.cells;
        let mut defects = Vec::new();
        let values: Vec<String> = self
            .columns
            .iter()
            .zip(&self.positions)
            .enumerate()
            .map(|(index, (column, position))| {
                let Some(cell) = position.and_then(|position| cells.get_mut(position)) else {
                    return String::new();
                };
                let value = column
                    .value
                    .normalise(&values::clean_cell(&std::mem::take(&mut cell.text)));
                if let Some(defect) = cell.defect {
                    defects.push((index, defect));
                } else if column.value == Value::Code && values::is_scientific(&value) {
                    defects.push((index, CellDefect::InexactNumber));
                }
                value
            })
            .collect();
        if values.iter().all(String::is_empty) {
            return None;
        }
        Some(Cells {
            row: record.row,
            values,
            defects,
        })
    }
}

/// The header row that was found.
#[derive(Debug)]
struct Header {
    positions: Vec<Option<usize>>,
    row: usize,
    cells: Vec<String>,
    ignored: Vec<String>,
}

/// Why no header row was found.
#[derive(Debug)]
enum NoHeader {
    /// No row has anything in it.
    Empty,
    /// The best candidate row lacks these required columns.
    Missing(Vec<usize>),
    /// No header, and some cells could not be decoded: the encoding is
    /// likely wrong.
    Undecodable,
    /// The file could not be read.
    Unreadable(String),
}

impl NoHeader {
    /// The refusal for a file read with `charset`; only text files have
    /// undecodable cells.
    fn into_refusal(self, charset: Charset) -> Refusal {
        match self {
            NoHeader::Empty => FileError::Empty.into(),
            NoHeader::Missing(missing) => Refusal::Missing(missing),
            NoHeader::Undecodable => FileError::Undecodable {
                encoding: charset.name(),
            }
            .into(),
            NoHeader::Unreadable(detail) => FileError::Unreadable { detail }.into(),
        }
    }
}

/// Maps the cells of a candidate header row to columns. The first cell
/// naming a column wins. Returns the positions, the headers not
/// recognised, and the required columns missing.
fn match_header(
    record: &Record,
    columns: &[Column],
) -> (Vec<Option<usize>>, Vec<String>, Vec<usize>) {
    let mut positions = vec![None; columns.len()];
    let mut ignored = Vec::new();
    for (index, cell) in record.cells.iter().enumerate() {
        match column_for_header(columns, &cell.text) {
            Some(column) if positions[column].is_none() => positions[column] = Some(index),
            Some(_) => ignored.push(values::clean_cell(&cell.text)),
            None if !cell.is_blank() => ignored.push(values::clean_cell(&cell.text)),
            None => {}
        }
    }
    let missing = columns
        .iter()
        .enumerate()
        .filter(|(index, column)| column.required && positions[*index].is_none())
        .map(|(index, _)| index)
        .collect();
    (positions, ignored, missing)
}

/// Reads rows until one names every required column, looking at no more
/// than [`HEADER_SEARCH_ROWS`] non-blank rows.
fn find_header(source: &mut Source, columns: &[Column]) -> Result<Header, NoHeader> {
    let mut rows_seen = 0;
    let mut best_missing: Vec<usize> = columns
        .iter()
        .enumerate()
        .filter(|(_, column)| column.required)
        .map(|(index, _)| index)
        .collect();
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
        let (positions, ignored, missing) = match_header(&record, columns);
        if missing.is_empty() {
            return Ok(Header {
                positions,
                row: record.row,
                cells: record.cells.into_iter().map(|cell| cell.text).collect(),
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

/// A spreadsheet's rows as they are in the file, decoded but otherwise
/// untouched: the header row's cells, then each data row below it with
/// its spreadsheet row number. Made for reports that show rejected rows
/// as they were written; the row numbers are those of [`RowError::row`].
///
/// Blank rows are left out. If the file cannot be read further, one last
/// item says so and the iteration ends.
pub struct RawTable {
    table: Table,
}

/// One data row of a [`RawTable`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    /// The row number a spreadsheet shows (1-based; title and header rows
    /// count).
    pub row: usize,
    /// The text of each cell, as decoded, in the file's column order.
    pub cells: Vec<String>,
}

impl RawTable {
    /// The header row's cells, as in the file.
    pub fn header(&self) -> &[String] {
        &self.table.header_cells
    }

    /// The spreadsheet row number of the header row.
    pub fn header_row(&self) -> usize {
        self.table.header_row
    }

    /// The kind of file.
    pub fn format(&self) -> Format {
        self.table.format
    }

    /// For CSV, the encoding the text is read in; `None` for workbooks.
    pub fn encoding(&self) -> Option<Encoding> {
        self.table.charset.map(Charset::encoding)
    }
}

impl Iterator for RawTable {
    type Item = Result<RawRow, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.table.next_record()? {
                Err(error) => return Some(Err(error)),
                Ok(record) if record.is_blank() => {}
                Ok(record) => {
                    return Some(Ok(RawRow {
                        row: record.row,
                        cells: record.cells.into_iter().map(|cell| cell.text).collect(),
                    }));
                }
            }
        }
    }
}

impl std::iter::FusedIterator for RawTable {}

/// Opens a file as the reader of `kind` does — the same format, encoding
/// and header row — and gives its rows as written, whatever their
/// validity. The header row is found by `kind`'s columns, so the rows and
/// their numbers are exactly those that kind's reader reads.
pub fn read_raw(path: &Path, kind: ImportKind, encoding: Encoding) -> Result<RawTable, FileError> {
    let columns = kind.columns();
    let table = open_table(path, encoding, columns).map_err(|refusal| match (kind, refusal) {
        (ImportKind::Persons, Refusal::Missing(missing)) => FileError::MissingHeaders {
            missing: missing
                .into_iter()
                .map(|index| crate::Field::ALL[index])
                .collect(),
        },
        (_, refusal) => refusal.into_file_error(columns),
    })?;
    Ok(RawTable { table })
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
fn first_sheet_with_header(
    mut workbook: Workbook,
    columns: &[Column],
) -> Result<(Source, Header), Refusal> {
    let mut best: Option<NoHeader> = None;
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|error| FileError::Unreadable {
                detail: error.to_string(),
            })?;
        let mut source = Source::Sheet(SheetSource::new(range));
        match find_header(&mut source, columns) {
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
            Err(other) => return Err(other.into_refusal(Charset::Utf8)),
        }
    }
    Err(best.unwrap_or(NoHeader::Empty).into_refusal(Charset::Utf8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::PERSON_COLUMNS;
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
    fn the_tables_can_move_to_another_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<Table>();
        assert_send::<RawTable>();
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
    fn header_cells_map_to_columns() {
        let (positions, ignored, missing) = match_header(
            &record(
                2,
                &["序号", "姓名", "身份证号", "手机", "联系电话", "", "备注"],
            ),
            &PERSON_COLUMNS,
        );
        assert_eq!(positions[0], Some(1));
        assert_eq!(positions[1], Some(2));
        assert_eq!(positions[6], Some(3));
        assert_eq!(ignored, ["序号", "联系电话", "备注"]);
        assert_eq!(missing, [2, 3]);
    }
}
