//! Reading people spreadsheets for `ablework import persons FILE
//! [--encoding auto|utf-8|gb18030]` (CONTRACT.md, `import persons`): each
//! row becomes a validated [`PersonRow`] or the full list of what is wrong
//! with it, and a bad row never stops the others.
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
mod reader;
mod row;
mod source;
mod values;

pub use encoding::Encoding;
pub use error::{FileError, RowError};
pub use field::Field;
pub use reader::{Format, ImportOptions, PersonReader, read_persons};
pub use row::{CellDefect, PersonRow, RawPersonRow, validate_row};
