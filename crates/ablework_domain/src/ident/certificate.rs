//! Disability certificate numbers (第二代残疾人证号).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::IdentError;
use super::resident_id::{ResidentId, validate_eighteen};
use crate::lang::Lang;
use crate::normalize::normalize_text;

/// The accepted lengths: without, then with, a reissue suffix.
const LENGTHS: [usize; 2] = [20, 22];

/// Characters of a certificate number that stay visible when it is masked.
/// Only the first four show: the last two digits of the number itself
/// reveal the category and level, which are health data.
const MASK_VISIBLE_HEAD: usize = 4;
/// A masked certificate number always has 20 characters, so the mask does
/// not tell whether the certificate was reissued.
const MASKED_LENGTH: usize = 20;

/// The category of disability (残疾类别), the 19th character of a
/// certificate number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisabilityCategory {
    /// 视力残疾.
    Vision = 1,
    /// 听力残疾.
    Hearing = 2,
    /// 言语残疾.
    Speech = 3,
    /// 肢体残疾.
    Physical = 4,
    /// 智力残疾.
    Intellectual = 5,
    /// 精神残疾.
    Mental = 6,
    /// 多重残疾.
    Multiple = 7,
}

impl DisabilityCategory {
    /// Every category, in the order of their digits.
    pub const ALL: [DisabilityCategory; 7] = [
        DisabilityCategory::Vision,
        DisabilityCategory::Hearing,
        DisabilityCategory::Speech,
        DisabilityCategory::Physical,
        DisabilityCategory::Intellectual,
        DisabilityCategory::Mental,
        DisabilityCategory::Multiple,
    ];

    /// The category written as `digit` in a certificate number.
    pub fn from_digit(digit: u8) -> Option<DisabilityCategory> {
        DisabilityCategory::ALL
            .into_iter()
            .find(|category| category.digit() == digit)
    }

    /// The digit of this category in a certificate number (1–7).
    pub fn digit(self) -> u8 {
        self as u8
    }

    /// The stable code used in the API and the database (`vision`, …).
    pub fn code(self) -> &'static str {
        match self {
            DisabilityCategory::Vision => "vision",
            DisabilityCategory::Hearing => "hearing",
            DisabilityCategory::Speech => "speech",
            DisabilityCategory::Physical => "physical",
            DisabilityCategory::Intellectual => "intellectual",
            DisabilityCategory::Mental => "mental",
            DisabilityCategory::Multiple => "multiple",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<DisabilityCategory> {
        DisabilityCategory::ALL
            .into_iter()
            .find(|category| category.code() == code)
    }

    /// The name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DisabilityCategory::Vision, Lang::Zh) => "视力",
            (DisabilityCategory::Hearing, Lang::Zh) => "听力",
            (DisabilityCategory::Speech, Lang::Zh) => "言语",
            (DisabilityCategory::Physical, Lang::Zh) => "肢体",
            (DisabilityCategory::Intellectual, Lang::Zh) => "智力",
            (DisabilityCategory::Mental, Lang::Zh) => "精神",
            (DisabilityCategory::Multiple, Lang::Zh) => "多重",
            (DisabilityCategory::Vision, Lang::En) => "Vision",
            (DisabilityCategory::Hearing, Lang::En) => "Hearing",
            (DisabilityCategory::Speech, Lang::En) => "Speech",
            (DisabilityCategory::Physical, Lang::En) => "Physical",
            (DisabilityCategory::Intellectual, Lang::En) => "Intellectual",
            (DisabilityCategory::Mental, Lang::En) => "Mental",
            (DisabilityCategory::Multiple, Lang::En) => "Multiple",
        }
    }
}

/// The level of disability (残疾等级), the 20th character of a certificate
/// number: 1 is the most severe, 4 the least. Levels compare by their
/// number, so `level <= DisabilityLevel::new(2)?` selects levels 1 and 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct DisabilityLevel(u8);

impl DisabilityLevel {
    /// Every level, most severe first.
    pub const ALL: [DisabilityLevel; 4] = [
        DisabilityLevel(1),
        DisabilityLevel(2),
        DisabilityLevel(3),
        DisabilityLevel(4),
    ];

    /// The level with this number, if it is 1–4.
    pub fn new(level: u8) -> Option<DisabilityLevel> {
        (1..=4).contains(&level).then_some(DisabilityLevel(level))
    }

    /// The level's number, 1–4.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The name for people: 一级 … 四级, or Level 1 … Level 4.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self.0, lang) {
            (1, Lang::Zh) => "一级",
            (2, Lang::Zh) => "二级",
            (3, Lang::Zh) => "三级",
            (_, Lang::Zh) => "四级",
            (1, Lang::En) => "Level 1",
            (2, Lang::En) => "Level 2",
            (3, Lang::En) => "Level 3",
            (_, Lang::En) => "Level 4",
        }
    }
}

impl TryFrom<u8> for DisabilityLevel {
    type Error = String;

    fn try_from(level: u8) -> Result<Self, Self::Error> {
        DisabilityLevel::new(level).ok_or_else(|| format!("disability level {level} is not 1 to 4"))
    }
}

impl From<DisabilityLevel> for u8 {
    fn from(level: DisabilityLevel) -> u8 {
        level.0
    }
}

/// A valid second-generation disability certificate number: an 18-character
/// resident ID, a category digit, a level digit and, on a reissued
/// certificate, a suffix `B1`–`B9`.
///
/// Like [`ResidentId`] it is personal data (and reveals health data):
/// `Debug` shows it masked and there is no `Display`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CertificateNumber {
    number: String,
    resident_id: ResidentId,
    category: DisabilityCategory,
    level: DisabilityLevel,
    reissue: Option<u8>,
}

impl CertificateNumber {
    /// Parses a certificate number as a person typed it, normalising
    /// full-width characters, spaces and lower case (`x`, `b`). The ID part
    /// is checked as [`ResidentId::parse`] does, against `today`, except
    /// that it must have 18 characters: certificates never carry the legacy
    /// 15-digit form.
    pub fn parse(input: &str, today: NaiveDate) -> Result<CertificateNumber, Vec<IdentError>> {
        let text = normalize_text(input).to_ascii_uppercase();
        let chars: Vec<char> = text.chars().collect();
        if chars.is_empty() {
            return Err(vec![IdentError::Empty]);
        }
        if !LENGTHS.contains(&chars.len()) {
            return Err(vec![IdentError::Length {
                expected: LENGTHS.to_vec(),
                found: chars.len(),
            }]);
        }
        let (id_chars, rest) = chars.split_at(18);
        let [category_char, level_char, suffix @ ..] = rest else {
            // The length check above leaves at least two characters here.
            return Err(vec![IdentError::Length {
                expected: LENGTHS.to_vec(),
                found: chars.len(),
            }]);
        };

        let mut errors = Vec::new();
        let birth_date =
            validate_eighteen(id_chars, today).map_err(|id_errors| errors.extend(id_errors));
        let category = digit_value(*category_char).and_then(DisabilityCategory::from_digit);
        if category.is_none() {
            errors.push(IdentError::Category {
                found: *category_char,
            });
        }
        let level = digit_value(*level_char).and_then(DisabilityLevel::new);
        if level.is_none() {
            errors.push(IdentError::Level { found: *level_char });
        }
        let reissue = match suffix {
            [] => None,
            ['B', digit @ '1'..='9'] => digit_value(*digit),
            _ => {
                errors.push(IdentError::Suffix {
                    found: suffix.iter().collect(),
                });
                None
            }
        };

        match (birth_date, category, level) {
            (Ok(birth_date), Some(category), Some(level)) if errors.is_empty() => {
                Ok(CertificateNumber {
                    resident_id: ResidentId::from_checked(id_chars.iter().collect(), birth_date),
                    number: text,
                    category,
                    level,
                    reissue,
                })
            }
            _ => Err(errors),
        }
    }

    /// The normalised number, with its suffix if it has one.
    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The holder's resident ID (the first 18 characters).
    pub fn resident_id(&self) -> &ResidentId {
        &self.resident_id
    }

    /// The category of disability (19th character).
    pub fn category(&self) -> DisabilityCategory {
        self.category
    }

    /// The level of disability (20th character).
    pub fn level(&self) -> DisabilityLevel {
        self.level
    }

    /// The reissue count from a `B1`–`B9` suffix, if the certificate has one.
    pub fn reissue(&self) -> Option<u8> {
        self.reissue
    }

    /// The number for display: the first four characters and 16 stars
    /// (`1201****************`), whether or not there is a suffix.
    pub fn masked(&self) -> String {
        let head: String = self.number.chars().take(MASK_VISIBLE_HEAD).collect();
        format!("{head}{}", "*".repeat(MASKED_LENGTH - MASK_VISIBLE_HEAD))
    }
}

fn digit_value(c: char) -> Option<u8> {
    c.to_digit(10).and_then(|digit| u8::try_from(digit).ok())
}

impl fmt::Debug for CertificateNumber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_tuple("CertificateNumber")
            .field(&self.masked())
            .finish()
    }
}

impl Serialize for CertificateNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.number)
    }
}

/// Like [`ResidentId`], reading a stored number checks everything except
/// that the birth date is not in the future.
impl<'de> Deserialize<'de> for CertificateNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CertificateNumber::parse(&text, NaiveDate::MAX).map_err(|errors| {
            let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
            serde::de::Error::custom(reasons.join(" "))
        })
    }
}
