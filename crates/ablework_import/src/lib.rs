//! Reading spreadsheets for `ablework import
//! persons|employers|postings|outcomes|enrolments FILE [--encoding
//! auto|utf-8|gb18030]` (CONTRACT.md, `import persons`): each row becomes a
//! validated [`PersonRow`] (or an [`EmployerRow`], [`PostingRow`],
//! [`OutcomeRow`], [`EnrolmentRow`] with the problems found in its cells) or
//! the full list of what is wrong with it, and a bad row never stops the
//! others.
//!
//! Every kind ([`ImportKind`]) is described by a table of its columns
//! ([`Column`]: field name, Chinese and English header, other names
//! accepted, required or not, how its cells are normalised); the sources,
//! encodings, header search and normalisation serve them all.
//! [`read_raw`] gives a file's rows as written, with the same row numbers,
//! for reports of rejected rows.
//!
//! The crate reads the one file it is given and nothing else: no database,
//! no async, no clock (the caller passes `today`). CSV is streamed record
//! by record, so memory stays bounded however long the file is; workbooks
//! are read a sheet at a time, whole, because that is how calamine reads.
//!
//! For each row:
//! 1. a source (CSV text or a worksheet) gives its cells and the row number
//!    a spreadsheet shows;
//! 2. the header row, found below any title rows, says which cell is which
//!    [`Field`];
//! 3. the cells are normalised into a [`RawPersonRow`] (full-width to
//!    half-width, trimmed, place names in simplified characters);
//! 4. [`validate_row`] checks it against the domain rules.
//!
//! ```no_run
//! use ablework_import::{ImportOptions, read_persons};
//! # fn main() -> Result<(), ablework_import::FileError> {
//! let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default();
//! let reader = read_persons("people.csv".as_ref(), &ImportOptions::new(today))?;
//! for item in reader {
//!     match item {
//!         Ok(person) => println!("row {}: {}", person.row, person.district_code),
//!         Err(errors) => {
//!             for error in errors {
//!                 eprintln!("row {} {} {}: {}", error.row, error.field, error.code, error.message_en);
//!             }
//!         }
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod encoding;
mod error;
mod field;
mod kind;
mod reader;
mod records;
mod row;
mod schema;
mod source;
mod table;
mod values;

pub use encoding::Encoding;
pub use error::{FileError, RowError};
pub use field::Field;
pub use kind::ImportKind;
pub use reader::{ImportOptions, PersonReader, read_persons};
pub use records::{
    EmployerReader, EmployerRow, EnrolmentReader, EnrolmentRow, OutcomeReader, OutcomeRow,
    PostingReader, PostingRow, RecordReader, read_employers, read_enrolments, read_outcomes,
    read_postings,
};
pub use row::{CellDefect, PersonRow, RawPersonRow, validate_row};
pub use schema::{Column, Value, column_for_header};
pub use table::{Format, RawRow, RawTable, read_raw};
