//! Where rows come from: a CSV file, streamed one record at a time, or a
//! worksheet read whole. Both give the cells of one spreadsheet row with
//! the row number a spreadsheet would show.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use calamine::{Data, Range};

use crate::encoding::Charset;
use crate::row::CellDefect;

/// Whole numbers from this size up may have lost digits in a spreadsheet,
/// which keeps 15 significant digits.
const EXACT_LIMIT: f64 = 1e15;

/// The text of one cell, and whether it can be trusted.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Cell {
    pub(crate) text: String,
    pub(crate) defect: Option<CellDefect>,
}

impl Cell {
    fn text(text: String) -> Cell {
        Cell { text, defect: None }
    }

    /// Whether the cell shows nothing.
    pub(crate) fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// The cells of one spreadsheet row.
#[derive(Debug)]
pub(crate) struct Record {
    /// The row number a spreadsheet shows (1-based).
    pub(crate) row: usize,
    pub(crate) cells: Vec<Cell>,
}

impl Record {
    /// Whether every cell is blank.
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// The file could not be read past `row`.
#[derive(Debug)]
pub(crate) struct ReadFailure {
    pub(crate) row: usize,
    pub(crate) detail: String,
}

/// A source of rows.
pub(crate) enum Source {
    Csv(Box<CsvSource<File>>),
    Sheet(SheetSource),
}

impl Source {
    /// The next row, or `None` at the end.
    pub(crate) fn next_record(&mut self) -> Option<Result<Record, ReadFailure>> {
        match self {
            Source::Csv(source) => source.next_record(),
            Source::Sheet(source) => source.next_record(),
        }
    }
}

/// The longest record accepted. A quote left open would otherwise make the
/// rest of the file one record and load it all into memory.
const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// A CSV file, parsed one record at a time so that memory stays bounded.
///
/// This drives `csv-core` (the parser inside the `csv` crate) directly
/// because it shows exactly which bytes each record consumed, and the row
/// numbers people see need that: the parser skips blank lines, which a
/// spreadsheet shows as rows, while a record with line breaks inside quotes
/// is one row however many lines it spans.
pub(crate) struct CsvSource<R> {
    input: BufReader<R>,
    parser: csv_core::Reader,
    charset: Charset,
    /// The bytes of the current record's fields, one after another.
    fields: Vec<u8>,
    /// Where each field of the current record ends in `fields`.
    ends: Vec<usize>,
    /// Line breaks in all the bytes consumed so far.
    line_breaks: LineBreaks,
    /// Line breaks inside the fields of the records read so far.
    breaks_inside_fields: usize,
    finished: bool,
}

impl<R: Read> CsvSource<R> {
    pub(crate) fn new(input: R, charset: Charset) -> CsvSource<R> {
        CsvSource {
            input: BufReader::with_capacity(64 * 1024, input),
            // Comma-separated, `"` quotes with `""` inside, and any of CR,
            // LF or CRLF ending a record.
            parser: csv_core::Reader::new(),
            charset,
            fields: vec![0; 4096],
            ends: vec![0; 32],
            line_breaks: LineBreaks::default(),
            breaks_inside_fields: 0,
            finished: false,
        }
    }

    fn next_record(&mut self) -> Option<Result<Record, ReadFailure>> {
        if self.finished {
            return None;
        }
        let (mut field_bytes, mut field_count) = (0, 0);
        // Line breaks before the record's first byte: the end of the
        // previous record and any blank lines.
        let mut breaks_before = None;
        loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                Err(error) => {
                    self.finished = true;
                    return Some(Err(self.failure(error.to_string())));
                }
            };
            let (result, read, written, ended) = self.parser.read_record(
                input,
                &mut self.fields[field_bytes..],
                &mut self.ends[field_count..],
            );
            for &byte in &input[..read] {
                if breaks_before.is_none() && byte != b'\r' && byte != b'\n' {
                    breaks_before = Some(self.line_breaks.count);
                }
                self.line_breaks.push(byte);
            }
            self.input.consume(read);
            field_bytes += written;
            field_count += ended;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    if self.fields.len() >= MAX_RECORD_BYTES {
                        self.finished = true;
                        return Some(Err(self.failure(format!(
                            "a record is longer than {} KiB; is a quote left open?",
                            MAX_RECORD_BYTES / 1024
                        ))));
                    }
                    let larger = self.fields.len() * 2;
                    self.fields.resize(larger, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let larger = self.ends.len() * 2;
                    self.ends.resize(larger, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    let row = 1 + breaks_before.unwrap_or(self.line_breaks.count)
                        - self.breaks_inside_fields;
                    return Some(Ok(self.record(row, field_count)));
                }
                csv_core::ReadRecordResult::End => {
                    self.finished = true;
                    return None;
                }
            }
        }
    }

    /// Decodes the fields of the record just parsed.
    fn record(&mut self, row: usize, field_count: usize) -> Record {
        let mut start = 0;
        let mut cells = Vec::with_capacity(field_count);
        for &end in &self.ends[..field_count] {
            let bytes = &self.fields[start..end];
            let mut inside = LineBreaks::default();
            for &byte in bytes {
                inside.push(byte);
            }
            self.breaks_inside_fields += inside.count;
            let (text, damaged) = self.charset.decode(bytes);
            cells.push(Cell {
                text,
                defect: damaged.then_some(CellDefect::Undecodable),
            });
            start = end;
        }
        Record { row, cells }
    }

    /// A failure to read on from the row after the last one read.
    fn failure(&self, detail: String) -> ReadFailure {
        ReadFailure {
            row: 1 + self.line_breaks.count - self.breaks_inside_fields,
            detail,
        }
    }
}

/// Counts line breaks as a spreadsheet does: LF, CR LF, or a lone CR.
#[derive(Clone, Copy, Debug, Default)]
struct LineBreaks {
    count: usize,
    after_cr: bool,
}

impl LineBreaks {
    fn push(&mut self, byte: u8) {
        // A CR counts at once; the LF of a CR LF then does not count again.
        if byte == b'\r' || (byte == b'\n' && !self.after_cr) {
            self.count += 1;
        }
        self.after_cr = byte == b'\r';
    }
}

/// A worksheet, read whole by calamine.
pub(crate) struct SheetSource {
    range: Range<Data>,
    /// The spreadsheet row number of the range's first row, less one.
    first_row: usize,
    next_index: usize,
}

impl SheetSource {
    pub(crate) fn new(range: Range<Data>) -> SheetSource {
        // calamine leaves out empty rows above the first used one; the
        // range's start says where it begins on the sheet.
        let first_row = range
            .start()
            .and_then(|(row, _)| usize::try_from(row).ok())
            .unwrap_or(0);
        SheetSource {
            range,
            first_row,
            next_index: 0,
        }
    }

    fn next_record(&mut self) -> Option<Result<Record, ReadFailure>> {
        let index = self.next_index;
        if index >= self.range.height() {
            return None;
        }
        self.next_index += 1;
        let cells = (0..self.range.width())
            .map(|column| {
                self.range
                    .get((index, column))
                    .map_or_else(Cell::default, sheet_cell)
            })
            .collect();
        Some(Ok(Record {
            row: self.first_row + index + 1,
            cells,
        }))
    }
}

/// The text of a worksheet cell as the spreadsheet shows it.
fn sheet_cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::default(),
        Data::String(text) | Data::DateTimeIso(text) => Cell::text(text.clone()),
        Data::Float(value) => number_cell(*value),
        // A date cell reads as the day it shows, not as Excel's serial number.
        Data::DateTime(value) if !value.is_duration() => {
            let (year, month, day, hour, minute, second, _) = value.to_ymd_hms_milli();
            if (hour, minute, second) == (0, 0, 0) {
                Cell::text(format!("{year:04}-{month:02}-{day:02}"))
            } else {
                Cell::text(format!(
                    "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"
                ))
            }
        }
        other => Cell::text(other.to_string()),
    }
}

/// A number cell. Whole numbers are written without a decimal point, so a
/// phone number stored as a number reads as its digits; a whole number of
/// 16 or more digits cannot be what was typed and is marked so.
fn number_cell(value: f64) -> Cell {
    let whole = value.is_finite() && value.fract() == 0.0;
    if !whole {
        return Cell::text(value.to_string());
    }
    Cell {
        text: format!("{value:.0}"),
        defect: (value.abs() >= EXACT_LIMIT).then_some(CellDefect::InexactNumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_see_them() {
        let cases = [
            (13_812_341_234.0, "13812341234", None),
            (120_101.0, "120101", None),
            (2.5, "2.5", None),
            (-3.0, "-3", None),
            (
                120_101_199_003_071_000.0,
                "120101199003071008",
                Some(CellDefect::InexactNumber),
            ),
        ];
        for (value, text, defect) in cases {
            let cell = number_cell(value);
            assert_eq!((cell.text.as_str(), cell.defect), (text, defect), "{value}");
        }
    }

    /// The row numbers and first cells of the records in `text`.
    fn csv_rows(text: &[u8]) -> Vec<(usize, String)> {
        let mut source = CsvSource::new(text, Charset::Utf8);
        let mut rows = Vec::new();
        while let Some(Ok(record)) = source.next_record() {
            let first = record.cells.first().map(|cell| cell.text.clone());
            rows.push((record.row, first.unwrap_or_default()));
        }
        rows
    }

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
        type Case<'a> = (&'a [u8], &'a [(usize, &'a str)]);
        let cases: [Case; 9] = [
            (b"", &[]),
            (b"a\nb\nc", &[(1, "a"), (2, "b"), (3, "c")]),
            (b"a\r\nb\r\n", &[(1, "a"), (2, "b")]),
            (b"a\rb\r", &[(1, "a"), (2, "b")]),
            (b"\xEF\xBB\xBFa\nb", &[(1, "a"), (2, "b")]),
            (b"\n\na\n\nb\n\n", &[(3, "a"), (5, "b")]),
            (b"a\r\n\r\n\r\nb", &[(1, "a"), (4, "b")]),
            (
                b"\"x\ny\",1\n\"p\r\n\r\nq\"\n\nz\n",
                &[(1, "x\ny"), (2, "p\r\n\r\nq"), (4, "z")],
            ),
            (b" \n,\nc", &[(1, " "), (2, ""), (3, "c")]),
        ];
        for (text, expected) in cases {
            let expected: Vec<(usize, String)> = expected
                .iter()
                .map(|(row, first)| (*row, (*first).to_owned()))
                .collect();
            assert_eq!(
                csv_rows(text),
                expected,
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn a_quote_left_open_stops_reading_instead_of_loading_the_file() {
        let mut text = b"a\n\"open,".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 10));
        let mut source = CsvSource::new(text.as_slice(), Charset::Utf8);
        assert_eq!(
            source.next_record().and_then(Result::ok).map(|r| r.row),
            Some(1)
        );
        let failure = source.next_record().and_then(Result::err);
        assert_eq!(failure.map(|failure| failure.row), Some(2));
        assert!(source.next_record().is_none());
    }

    #[test]
    fn other_cells_use_their_display() {
        assert_eq!(sheet_cell(&Data::Int(42)).text, "42");
        assert_eq!(
            sheet_cell(&Data::String("和平区".to_owned())).text,
            "和平区"
        );
        assert_eq!(sheet_cell(&Data::Bool(true)).text, "true");
        assert!(sheet_cell(&Data::Empty).is_blank());
    }
}
