//! Reading a people file row by row, and the checks that span rows.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::encoding::{Charset, Encoding};
use crate::error::{FileError, RowError};
use crate::field::Field;
use crate::row::{self, PersonRow, RawPersonRow};
use crate::schema::PERSON_COLUMNS;
use crate::table::{Cells, Format, Refusal, Table, open_table};

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
    table: Table,
    today: NaiveDate,
    /// The first row of every ID number read, keyed by its first 17
    /// digits, which determine the 18th.
    first_rows: HashMap<u64, usize>,
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
    let table =
        open_table(path, options.encoding, &PERSON_COLUMNS).map_err(|refusal| match refusal {
            Refusal::File(error) => error,
            Refusal::Missing(missing) => FileError::MissingHeaders {
                missing: missing.into_iter().map(|index| Field::ALL[index]).collect(),
            },
        })?;
    Ok(PersonReader {
        table,
        today: options.today,
        first_rows: HashMap::new(),
    })
}

impl PersonReader {
    /// The kind of file.
    pub fn format(&self) -> Format {
        self.table.format
    }

    /// For CSV, the encoding the text is read in (`auto` decided);
    /// `None` for workbooks.
    pub fn encoding(&self) -> Option<Encoding> {
        self.table.charset.map(Charset::encoding)
    }

    /// The spreadsheet row number of the header row.
    pub fn header_row(&self) -> usize {
        self.table.header_row
    }

    /// Headers of columns that are not read (e.g. `序号`, `备注`), so the
    /// command can say what it ignored.
    pub fn ignored_headers(&self) -> &[String] {
        &self.table.ignored
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
        let raw = match self.table.next_cells()? {
            Ok(cells) => raw_row(cells),
            Err(failure) => return Some(Err(vec![failure])),
        };
        let row = raw.row;
        let (id, result) = row::check_row(raw, self.today);
        Some(self.reject_duplicate(row, id.as_ref(), result))
    }
}

impl std::iter::FusedIterator for PersonReader {}

/// A people row from its normalised cells.
fn raw_row(mut cells: Cells) -> RawPersonRow {
    let defects = Field::ALL
        .into_iter()
        .filter_map(|field| cells.defect(field.index()).map(|defect| (field, defect)))
        .collect();
    let row = cells.row;
    let mut take = |field: Field| cells.take(field.index());
    RawPersonRow {
        row,
        name: take(Field::Name),
        id_number: take(Field::IdNumber),
        certificate_number: take(Field::CertificateNumber),
        district: take(Field::District),
        street: optional(take(Field::Street)),
        hukou: optional(take(Field::Hukou)),
        phone: optional(take(Field::Phone)),
        education: optional(take(Field::Education)),
        employment_status: optional(take(Field::EmploymentStatus)),
        defects,
    }
}

fn optional(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_can_move_to_another_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<PersonReader>();
    }

    #[test]
    fn cells_become_a_raw_row() {
        let cells = Cells {
            row: 7,
            values: vec![
                "张三".to_owned(),
                String::new(),
                String::new(),
                "滨海新区".to_owned(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
            defects: Vec::new(),
        };
        assert_eq!(
            raw_row(cells),
            RawPersonRow {
                row: 7,
                name: "张三".to_owned(),
                district: "滨海新区".to_owned(),
                ..RawPersonRow::default()
            }
        );
    }
}
