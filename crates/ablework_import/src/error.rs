//! What can go wrong: with the whole file ([`FileError`], nothing is
//! imported) or with one row ([`RowError`], the other rows still are).

use std::fmt;
use std::io;
use std::path::PathBuf;

use ablework_domain::ident::IdentError;
use ablework_domain::lang::Lang;
use serde::Serialize;

use crate::field::Field;
use crate::row::CellDefect;
use crate::schema::Column;

/// Why a file cannot be imported at all. Each has a stable code and a
/// message for people in both languages; `Display` gives the English one.
#[derive(Debug)]
pub enum FileError {
    /// The file could not be opened or read.
    Open {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The file is neither CSV text nor a workbook we read.
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The file is a workbook, but a damaged or unsupported one.
    Unreadable {
        /// What the workbook reader said (English).
        detail: String,
    },
    /// The text is in an encoding we do not read, or the header row is not
    /// valid in the encoding chosen.
    Undecodable {
        /// The encoding found or chosen, e.g. `UTF-16` or `UTF-8`.
        encoding: &'static str,
    },
    /// The file has no rows at all.
    Empty,
    /// No row among the first ones names every required column.
    MissingHeaders {
        /// The required fields the best candidate header row lacks, in
        /// [`Field::ALL`] order.
        missing: Vec<Field>,
    },
    /// As [`FileError::MissingHeaders`], for the other kinds of file.
    MissingColumns {
        /// The required columns the best candidate header row lacks, in
        /// the kind's column order.
        missing: Vec<Column>,
    },
}

impl FileError {
    /// The stable `snake_case` code.
    pub fn code(&self) -> &'static str {
        match self {
            FileError::Open { .. } => "cannot_open",
            FileError::UnknownFormat { .. } => "unknown_format",
            FileError::Unreadable { .. } => "unreadable",
            FileError::Undecodable { .. } => "undecodable",
            FileError::Empty => "empty",
            FileError::MissingHeaders { .. } | FileError::MissingColumns { .. } => {
                "missing_headers"
            }
        }
    }

    /// A sentence for people saying what is wrong and what to do.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FileError::Open { path, source }, Lang::Zh) => {
                format!("无法打开文件 {}：{source}。", path.display())
            }
            (FileError::Open { path, source }, Lang::En) => {
                format!("Cannot open {}: {source}.", path.display())
            }
            (FileError::UnknownFormat { path }, Lang::Zh) => format!(
                "{} 不是 CSV 或 Excel 文件。请另存为 CSV（UTF-8 或 GB18030 编码）或 xlsx 文件。",
                path.display()
            ),
            (FileError::UnknownFormat { path }, Lang::En) => format!(
                "{} is neither a CSV nor an Excel file. Save it as CSV (UTF-8 or GB18030) or as xlsx.",
                path.display()
            ),
            (FileError::Unreadable { detail }, Lang::Zh) => {
                format!("无法读取表格文件（{detail}）。请用 Excel 打开后另存为 xlsx 文件再试。")
            }
            (FileError::Unreadable { detail }, Lang::En) => format!(
                "The workbook cannot be read ({detail}). Open it in Excel, save it as xlsx and try again."
            ),
            (FileError::Undecodable { encoding }, Lang::Zh) => format!(
                "无法按 {encoding} 编码读取表头。请用 --encoding auto 或 gb18030 重试，或把文件另存为 UTF-8 编码的 CSV 或 xlsx 文件。"
            ),
            (FileError::Undecodable { encoding }, Lang::En) => format!(
                "The header row cannot be read as {encoding}. Try --encoding auto or gb18030, or save the file as UTF-8 CSV or as xlsx."
            ),
            (FileError::Empty, Lang::Zh) => "文件中没有任何内容。".to_owned(),
            (FileError::Empty, Lang::En) => "The file is empty.".to_owned(),
            (FileError::MissingHeaders { missing }, _) => {
                let columns: Vec<&Column> = missing.iter().map(|field| field.column()).collect();
                missing_message(&columns, lang)
            }
            (FileError::MissingColumns { missing }, _) => {
                missing_message(&missing.iter().collect::<Vec<_>>(), lang)
            }
        }
    }
}

/// Names the required columns a header row lacks.
fn missing_message(missing: &[&Column], lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            let names: Vec<String> = missing
                .iter()
                .map(|column| format!("{}（{}）", column.zh, column.name))
                .collect();
            format!(
                "表头缺少必填列：{}。请在表头行写上这些列名；表头须在前 {HEADER_SEARCH_ROWS} 行内。",
                names.join("、")
            )
        }
        Lang::En => {
            let names: Vec<String> = missing
                .iter()
                .map(|column| format!("{} ({})", column.name, column.zh))
                .collect();
            format!(
                "The header row lacks required columns: {}. Name them in the header row, \
                 which must be within the first {HEADER_SEARCH_ROWS} rows.",
                names.join(", ")
            )
        }
    }
}

/// How many non-blank rows are searched for the header row, so that title
/// rows above it are skipped but a file without headers is refused quickly.
pub(crate) const HEADER_SEARCH_ROWS: usize = 20;

impl fmt::Display for FileError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FileError::Open { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// One reason a row was rejected. A rejected row lists all its reasons.
///
/// Serialised as `{"row", "field", "code", "message_zh", "message_en"}`;
/// the command's `--json` summary picks one message for its `message`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row number a spreadsheet shows (1-based; title and header rows
    /// count).
    pub row: usize,
    /// The contract field name (`id_number`, …), or `file` when the file
    /// could not be read further.
    pub field: String,
    /// Stable `snake_case` code: an [`IdentError`] code, or `required`,
    /// `too_long`, `unknown`, `format`, `id_mismatch`, `duplicate`,
    /// `stored_as_number`, `undecodable`, `read_failed`.
    pub code: String,
    /// What is wrong, in Chinese.
    pub message_zh: String,
    /// What is wrong, in English.
    pub message_en: String,
}

impl RowError {
    /// An error in one field of a row.
    pub fn new(
        row: usize,
        field: Field,
        code: &str,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
    ) -> RowError {
        RowError {
            row,
            field: field.name().to_owned(),
            code: code.to_owned(),
            message_zh: message_zh.into(),
            message_en: message_en.into(),
        }
    }

    /// An error in the column named `field` (a [`Column::name`]) of a
    /// row of any kind.
    pub fn at(
        row: usize,
        field: &str,
        code: &str,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
    ) -> RowError {
        RowError {
            row,
            field: field.to_owned(),
            code: code.to_owned(),
            message_zh: message_zh.into(),
            message_en: message_en.into(),
        }
    }

    /// An identifier error from the domain's parser.
    pub fn ident(row: usize, field: Field, error: &IdentError) -> RowError {
        RowError::ident_at(row, field.name(), error)
    }

    /// An identifier error from the domain's parser, in the column `field`.
    pub fn ident_at(row: usize, field: &str, error: &IdentError) -> RowError {
        RowError::at(
            row,
            field,
            error.code(),
            error.message(Lang::Zh),
            error.message(Lang::En),
        )
    }

    /// A cell whose text cannot be trusted, reported once as such rather
    /// than as whatever its damaged text fails.
    pub(crate) fn defect(row: usize, field: &str, defect: CellDefect) -> RowError {
        let (code, message_zh, message_en) = match defect {
            CellDefect::Undecodable => (
                "undecodable",
                "此格含有无法识别的字符，文件编码可能不对（可用 --encoding 指定）。",
                "This cell has bytes that are not valid text; the file's encoding may be wrong (see --encoding).",
            ),
            CellDefect::InexactNumber => (
                "stored_as_number",
                "表格把这个号码存成了数字（如 1.20101E+17），后几位已丢失。请把该列设为文本格式后重新填写。",
                "The spreadsheet stored this number as a number (as in 1.20101E+17) and lost its last \
                 digits. Format the column as text and enter the number again.",
            ),
        };
        RowError::at(row, field, code, message_zh, message_en)
    }

    /// The file could not be read past this row; nothing after it is read.
    pub(crate) fn read_failed(row: usize, detail: &str) -> RowError {
        RowError {
            row,
            field: "file".to_owned(),
            code: "read_failed".to_owned(),
            message_zh: format!("读取文件时出错（{detail}），其后的行未读取。"),
            message_en: format!(
                "Reading the file failed ({detail}); the rows after it were not read."
            ),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message_zh,
            Lang::En => &self.message_en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_headers_are_named_in_both_languages() {
        let error = FileError::MissingHeaders {
            missing: vec![Field::IdNumber, Field::District],
        };
        assert_eq!(error.code(), "missing_headers");
        assert_eq!(
            error.message(Lang::Zh),
            "表头缺少必填列：身份证号（id_number）、所属区（district）。请在表头行写上这些列名；表头须在前 20 行内。"
        );
        assert_eq!(
            error.to_string(),
            "The header row lacks required columns: id_number (身份证号), district (所属区). \
             Name them in the header row, which must be within the first 20 rows."
        );
    }

    #[test]
    fn every_file_error_is_a_sentence() {
        let errors = [
            FileError::Open {
                path: "a.csv".into(),
                source: io::Error::new(io::ErrorKind::NotFound, "not found"),
            },
            FileError::UnknownFormat {
                path: "a.pdf".into(),
            },
            FileError::Unreadable {
                detail: "bad zip".to_owned(),
            },
            FileError::Undecodable { encoding: "UTF-16" },
            FileError::Empty,
            FileError::MissingHeaders {
                missing: vec![Field::Name],
            },
        ];
        let mut codes: Vec<&str> = errors.iter().map(FileError::code).collect();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
        for error in errors {
            assert!(error.message(Lang::Zh).ends_with('。'), "{error:?}");
            assert!(error.message(Lang::En).ends_with('.'), "{error:?}");
        }
    }
}
