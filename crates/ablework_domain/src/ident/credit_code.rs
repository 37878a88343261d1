//! Unified social credit codes (统一社会信用代码, GB 32100-2015), which
//! identify employers.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::checksum::{credit_code_check_char, credit_code_value};
use super::error::{AllowedCharacters, IdentError};
use crate::normalize::normalize_text;

const LENGTH: usize = 18;

/// A valid unified social credit code. Codes identify organisations and
/// are public, so unlike personal identifiers they display in full.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

impl CreditCode {
    /// Parses a code as a person typed it, normalising full-width
    /// characters, spaces and lower case.
    pub fn parse(input: &str) -> Result<CreditCode, Vec<IdentError>> {
        let text = normalize_text(input).to_ascii_uppercase();
        let chars: Vec<char> = text.chars().collect();
        if chars.is_empty() {
            return Err(vec![IdentError::Empty]);
        }
        if chars.len() != LENGTH {
            return Err(vec![IdentError::Length {
                expected: vec![LENGTH],
                found: chars.len(),
            }]);
        }
        let character_errors: Vec<IdentError> = chars
            .iter()
            .enumerate()
            .filter(|(_, c)| credit_code_value(**c).is_none())
            .map(|(index, &found)| IdentError::InvalidCharacter {
                position: index + 1,
                found,
                allowed: AllowedCharacters::CreditCode,
            })
            .collect();
        if !character_errors.is_empty() {
            return Err(character_errors);
        }
        let (first17, found) = text.split_at(LENGTH - 1);
        match (credit_code_check_char(first17), found.chars().next()) {
            (Some(expected), Some(found)) if expected != found => {
                Err(vec![IdentError::Checksum { expected, found }])
            }
            _ => Ok(CreditCode(text)),
        }
    }

    /// The normalised 18-character code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit administrative division code of the registering
    /// authority (characters 3–8).
    pub fn area_code(&self) -> &str {
        self.0.get(2..8).unwrap_or_default()
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_tuple("CreditCode").field(&self.0).finish()
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CreditCode::parse(&text).map_err(|errors| {
            let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
            serde::de::Error::custom(reasons.join(" "))
        })
    }
}
