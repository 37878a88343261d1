//! Why an identifier was refused, with stable codes for machines and plain
//! messages for people in both languages.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Which characters a position of an identifier accepts; part of
/// [`IdentError::InvalidCharacter`] so the message can say what to type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowedCharacters {
    /// The digits 0–9.
    Digit,
    /// The digits 0–9 or the letter X (the check character of an ID).
    DigitOrX,
    /// The 31 characters of a unified social credit code.
    CreditCode,
}

/// One reason an identifier was refused.
///
/// Parsers report every reason they can find at once, so a person fixes a
/// number in one go. [`IdentError::code`] is a stable `snake_case` code for
/// programs; [`IdentError::message`] is a sentence for people. Serialised,
/// the value carries the code in a `code` field beside its details.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum IdentError {
    /// Nothing was entered.
    Empty,
    /// The number has the wrong number of characters.
    Length {
        /// The accepted lengths, the usual one first.
        expected: Vec<usize>,
        /// The length found, in characters after normalisation.
        found: usize,
    },
    /// A character is not allowed at its position.
    InvalidCharacter {
        /// 1-based position of the character.
        position: usize,
        /// The character found.
        found: char,
        /// What the position accepts.
        allowed: AllowedCharacters,
    },
    /// The first two digits are not a province-level area code.
    Province {
        /// The two digits found.
        found: String,
    },
    /// The birth-date digits do not form a real date.
    BirthDate {
        /// The eight digits (`YYYYMMDD`) found.
        found: String,
    },
    /// The birth date lies after the day of the check.
    FutureBirthDate {
        /// The birth date found.
        found: NaiveDate,
    },
    /// The check character does not match the other characters.
    Checksum {
        /// The check character the other characters call for.
        expected: char,
        /// The check character found.
        found: char,
    },
    /// The disability category digit is not 1–7.
    Category {
        /// The character found.
        found: char,
    },
    /// The disability level digit is not 1–4.
    Level {
        /// The character found.
        found: char,
    },
    /// The reissue suffix is not `B1`–`B9`.
    Suffix {
        /// The suffix found.
        found: String,
    },
}

impl IdentError {
    /// The stable `snake_case` code of this kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            IdentError::Empty => "empty",
            IdentError::Length { .. } => "length",
            IdentError::InvalidCharacter { .. } => "invalid_character",
            IdentError::Province { .. } => "province",
            IdentError::BirthDate { .. } => "birth_date",
            IdentError::FutureBirthDate { .. } => "future_birth_date",
            IdentError::Checksum { .. } => "checksum",
            IdentError::Category { .. } => "category",
            IdentError::Level { .. } => "level",
            IdentError::Suffix { .. } => "suffix",
        }
    }

    /// A plain-language sentence saying what is wrong and what is expected.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.message_zh(),
            Lang::En => self.message_en(),
        }
    }

    fn message_zh(&self) -> String {
        match self {
            IdentError::Empty => "号码为空，请填写号码。".to_owned(),
            IdentError::Length { expected, found } => {
                let expected: Vec<String> = expected.iter().map(ToString::to_string).collect();
                format!("号码应为 {} 位，现为 {found} 位。", expected.join(" 位或 "))
            }
            IdentError::InvalidCharacter {
                position,
                found,
                allowed,
            } => {
                let allowed = match allowed {
                    AllowedCharacters::Digit => "只能是数字",
                    AllowedCharacters::DigitOrX => "只能是数字或 X",
                    AllowedCharacters::CreditCode => "只能是数字或大写字母（不含 I、O、S、V、Z）",
                };
                format!("第 {position} 位“{found}”无效：{allowed}。")
            }
            IdentError::Province { found } => {
                format!("前两位“{found}”不是有效的省级行政区划代码。")
            }
            IdentError::BirthDate { found } => {
                format!("出生日期“{found}”不是真实的日期，应为“年年年年月月日日”。")
            }
            IdentError::FutureBirthDate { found } => {
                format!("出生日期 {found} 晚于今天。")
            }
            IdentError::Checksum { expected, found } => {
                format!("校验位应为 {expected}，现为 {found}。请核对号码是否抄错。")
            }
            IdentError::Category { found } => format!(
                "第 19 位残疾类别“{found}”无效：应为 1–7（1 视力、2 听力、3 言语、4 肢体、5 智力、6 精神、7 多重）。"
            ),
            IdentError::Level { found } => {
                format!("第 20 位残疾等级“{found}”无效：应为 1–4。")
            }
            IdentError::Suffix { found } => {
                format!("补发标记“{found}”无效：应为 B1 至 B9，没有补发则不填。")
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            IdentError::Empty => "The number is empty. Enter the number.".to_owned(),
            IdentError::Length { expected, found } => {
                let expected: Vec<String> = expected.iter().map(ToString::to_string).collect();
                format!(
                    "The number should have {} characters; it has {found}.",
                    expected.join(" or ")
                )
            }
            IdentError::InvalidCharacter {
                position,
                found,
                allowed,
            } => {
                let allowed = match allowed {
                    AllowedCharacters::Digit => "only digits are allowed there",
                    AllowedCharacters::DigitOrX => "only digits or X are allowed there",
                    AllowedCharacters::CreditCode => {
                        "only digits and capital letters other than I, O, S, V and Z are allowed there"
                    }
                };
                format!("Character {position} (\"{found}\") is not valid: {allowed}.")
            }
            IdentError::Province { found } => {
                format!("The first two digits (\"{found}\") are not a valid province code.")
            }
            IdentError::BirthDate { found } => {
                format!("The birth date (\"{found}\") is not a real date; it should be YYYYMMDD.")
            }
            IdentError::FutureBirthDate { found } => {
                format!("The birth date {found} is in the future.")
            }
            IdentError::Checksum { expected, found } => format!(
                "The check character should be {expected}, not {found}. Check the number for typing mistakes."
            ),
            IdentError::Category { found } => format!(
                "The disability category (character 19, \"{found}\") is not valid: it should be 1 to 7 \
                 (1 vision, 2 hearing, 3 speech, 4 physical, 5 intellectual, 6 mental, 7 multiple)."
            ),
            IdentError::Level { found } => format!(
                "The disability level (character 20, \"{found}\") is not valid: it should be 1 to 4."
            ),
            IdentError::Suffix { found } => format!(
                "The reissue suffix (\"{found}\") is not valid: it should be B1 to B9, or left out."
            ),
        }
    }
}

/// Displays the English message, for logs and error chains; screens use
/// [`IdentError::message`] with the reader's language.
impl fmt::Display for IdentError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message_en())
    }
}

impl std::error::Error for IdentError {}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;

    fn all_kinds() -> Vec<IdentError> {
        vec![
            IdentError::Empty,
            IdentError::Length {
                expected: vec![18, 15],
                found: 17,
            },
            IdentError::InvalidCharacter {
                position: 5,
                found: 'A',
                allowed: AllowedCharacters::Digit,
            },
            IdentError::Province {
                found: "99".to_owned(),
            },
            IdentError::BirthDate {
                found: "19900230".to_owned(),
            },
            IdentError::FutureBirthDate {
                found: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
            },
            IdentError::Checksum {
                expected: 'X',
                found: '3',
            },
            IdentError::Category { found: '8' },
            IdentError::Level { found: '5' },
            IdentError::Suffix {
                found: "BX".to_owned(),
            },
        ]
    }

    #[test]
    fn codes_are_stable() {
        let codes: Vec<&str> = all_kinds().iter().map(IdentError::code).collect();
        assert_eq!(
            codes,
            [
                "empty",
                "length",
                "invalid_character",
                "province",
                "birth_date",
                "future_birth_date",
                "checksum",
                "category",
                "level",
                "suffix"
            ]
        );
    }

    #[test]
    fn serialised_code_matches_code() {
        for error in all_kinds() {
            let json = serde_json::to_value(&error).unwrap();
            assert_eq!(json["code"], error.code());
            let back: IdentError = serde_json::from_value(json).unwrap();
            assert_eq!(back, error);
        }
    }

    #[test]
    fn messages_say_what_is_expected() {
        let checksum = IdentError::Checksum {
            expected: 'X',
            found: '3',
        };
        assert_eq!(
            checksum.message(Lang::Zh),
            "校验位应为 X，现为 3。请核对号码是否抄错。"
        );
        assert!(
            checksum
                .message(Lang::En)
                .starts_with("The check character should be X, not 3.")
        );
        let length = IdentError::Length {
            expected: vec![18, 15],
            found: 17,
        };
        assert_eq!(
            length.message(Lang::Zh),
            "号码应为 18 位或 15 位，现为 17 位。"
        );
        assert_eq!(
            length.message(Lang::En),
            "The number should have 18 or 15 characters; it has 17."
        );
        assert_eq!(checksum.to_string(), checksum.message(Lang::En));
    }

    #[test]
    fn every_message_is_a_sentence_in_its_language() {
        for error in all_kinds() {
            let zh = error.message(Lang::Zh);
            let en = error.message(Lang::En);
            assert!(zh.ends_with('。'), "{zh}");
            assert!(en.ends_with('.'), "{en}");
            assert!(en.is_ascii(), "{en}");
        }
    }
}
