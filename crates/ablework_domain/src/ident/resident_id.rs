//! Resident ID numbers (公民身份号码, GB 11643-1999).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::checksum::resident_id_check_char;
use super::error::{AllowedCharacters, IdentError};
use crate::lang::Lang;
use crate::normalize::normalize_text;

/// Province-level area codes of GB/T 2260 (the first two digits of an area
/// code), including 71 Taiwan, 81 Hong Kong and 82 Macao.
///
/// 83 is not a GB/T 2260 code but begins the numbers on residence permits
/// for Taiwan residents (港澳台居民居住证, `830000`), which are issued in the
/// same 18-character format and used in the same places as ID cards; the
/// permits of Hong Kong and Macao residents begin `810000` and `820000`.
/// No province-level code has been withdrawn since IDs were first issued,
/// so this list also accepts every historical ID.
pub(super) const PROVINCE_CODES: [&str; 35] = [
    "11", "12", "13", "14", "15", // North China
    "21", "22", "23", // North-east
    "31", "32", "33", "34", "35", "36", "37", // East
    "41", "42", "43", "44", "45", "46", // Centre and south
    "50", "51", "52", "53", "54", // South-west
    "61", "62", "63", "64", "65", // North-west
    "71", "81", "82", "83", // Taiwan, Hong Kong, Macao, Taiwan residents' permits
];

/// The accepted lengths: the current 18 characters, then the legacy 15.
const LENGTHS: [usize; 2] = [18, 15];

/// A person's sex as recorded in the resident ID number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Male: the 17th character is odd.
    Male,
    /// Female: the 17th character is even.
    Female,
}

impl Sex {
    /// Both values, in display order.
    pub const ALL: [Sex; 2] = [Sex::Male, Sex::Female];

    /// The stable code used in the API and the database.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Sex> {
        Sex::ALL.into_iter().find(|sex| sex.code() == code)
    }

    /// The name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Sex::Male, Lang::Zh) => "男",
            (Sex::Female, Lang::Zh) => "女",
            (Sex::Male, Lang::En) => "Male",
            (Sex::Female, Lang::En) => "Female",
        }
    }
}

/// A valid 18-character resident ID number.
///
/// The only way to get one is [`ResidentId::parse`], so holding a value
/// proves the number passed every check. The number is personal data:
/// `Debug` shows it masked, there is no `Display`, and callers choose
/// between [`ResidentId::as_str`] and [`ResidentId::masked`] explicitly.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResidentId {
    number: String,
    birth_date: NaiveDate,
}

impl ResidentId {
    /// Parses a resident ID number as a person typed it.
    ///
    /// Full-width characters and surrounding spaces are normalised and a
    /// lower-case `x` is read as `X`. A legacy 15-digit number is converted
    /// to 18 characters by inserting `19` before the year and computing the
    /// check character. `today` is the day of the check: a birth date after
    /// it is refused. The domain never reads the clock, so the caller
    /// passes it.
    ///
    /// Area codes are checked only for a real province: an ID keeps the
    /// area code in force when it was issued, so historical codes such as
    /// 120107 (塘沽区) are valid.
    pub fn parse(input: &str, today: NaiveDate) -> Result<ResidentId, Vec<IdentError>> {
        let text = normalize_text(input).to_ascii_uppercase();
        let chars: Vec<char> = text.chars().collect();
        match chars.len() {
            0 => Err(vec![IdentError::Empty]),
            18 => {
                let birth_date = validate_eighteen(&chars, today)?;
                Ok(ResidentId {
                    number: text,
                    birth_date,
                })
            }
            15 => parse_legacy(&chars, today),
            found => Err(vec![IdentError::Length {
                expected: LENGTHS.to_vec(),
                found,
            }]),
        }
    }

    /// Wraps 18 characters that [`validate_eighteen`] has accepted.
    pub(crate) fn from_checked(number: String, birth_date: NaiveDate) -> ResidentId {
        ResidentId { number, birth_date }
    }

    /// The 18-character number, normalised.
    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The birth date encoded in characters 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The sex encoded by the parity of the 17th character.
    pub fn sex(&self) -> Sex {
        // A parsed number has an ASCII digit at index 16.
        let digit = self.number.as_bytes().get(16).copied().unwrap_or_default();
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The six-digit area code (GB/T 2260) in force when the ID was issued,
    /// which may be a historical one; see [`crate::district::current_for`].
    pub fn area_code(&self) -> &str {
        self.number.get(..6).unwrap_or_default()
    }

    /// The number for display: the first four and last four characters,
    /// the rest as `*` (`1201**********1235`).
    pub fn masked(&self) -> String {
        mask(&self.number, 4, 4)
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_tuple("ResidentId")
            .field(&self.masked())
            .finish()
    }
}

impl Serialize for ResidentId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.number)
    }
}

/// Reading a stored number checks everything except that the birth date is
/// not in the future: the domain has no clock, and a number stored earlier
/// was checked against the date it was stored.
impl<'de> Deserialize<'de> for ResidentId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ResidentId::parse(&text, NaiveDate::MAX).map_err(|errors| {
            let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
            serde::de::Error::custom(reasons.join(" "))
        })
    }
}

/// Keeps the first `head` and last `tail` characters and stars the rest.
pub(crate) fn mask(text: &str, head: usize, tail: usize) -> String {
    let length = text.chars().count();
    text.chars()
        .enumerate()
        .map(|(index, c)| {
            if index < head || index + tail >= length {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Checks the 18 normalised characters of an ID (also the start of a
/// certificate number) and returns its birth date.
///
/// Characters are checked first; only when all are acceptable are the
/// province, the birth date and the check character checked, each
/// independently, so every real problem is reported at once.
pub(crate) fn validate_eighteen(
    chars: &[char],
    today: NaiveDate,
) -> Result<NaiveDate, Vec<IdentError>> {
    let character_errors: Vec<IdentError> = chars
        .iter()
        .enumerate()
        .filter_map(|(index, &found)| {
            let (acceptable, allowed) = if index == 17 {
                (
                    found.is_ascii_digit() || found == 'X',
                    AllowedCharacters::DigitOrX,
                )
            } else {
                (found.is_ascii_digit(), AllowedCharacters::Digit)
            };
            (!acceptable).then_some(IdentError::InvalidCharacter {
                position: index + 1,
                found,
                allowed,
            })
        })
        .collect();
    if !character_errors.is_empty() {
        return Err(character_errors);
    }

    let text: String = chars.iter().collect();
    let mut errors = Vec::new();
    if let Some(error) = check_province(&text) {
        errors.push(error);
    }
    let birth_date = check_birth_date(text.get(6..14).unwrap_or_default(), today);
    if let Err(error) = &birth_date {
        errors.push(error.clone());
    }
    let first17 = text.get(..17).unwrap_or_default();
    if let (Some(expected), Some(&found)) = (resident_id_check_char(first17), chars.get(17))
        && expected != found
    {
        errors.push(IdentError::Checksum { expected, found });
    }
    match birth_date {
        Ok(date) if errors.is_empty() => Ok(date),
        _ => Err(errors),
    }
}

/// Converts and checks a legacy 15-digit number (area, `YYMMDD`, sequence).
fn parse_legacy(chars: &[char], today: NaiveDate) -> Result<ResidentId, Vec<IdentError>> {
    let character_errors: Vec<IdentError> = chars
        .iter()
        .enumerate()
        .filter(|(_, found)| !found.is_ascii_digit())
        .map(|(index, &found)| IdentError::InvalidCharacter {
            position: index + 1,
            found,
            allowed: AllowedCharacters::Digit,
        })
        .collect();
    if !character_errors.is_empty() {
        return Err(character_errors);
    }

    let text: String = chars.iter().collect();
    let (area, rest) = text.split_at(6);
    // Legacy numbers were issued to people born in the 1900s only.
    let first17 = format!("{area}19{rest}");
    let mut errors = Vec::new();
    if let Some(error) = check_province(&first17) {
        errors.push(error);
    }
    let birth_date = check_birth_date(first17.get(6..14).unwrap_or_default(), today);
    match (birth_date, resident_id_check_char(&first17)) {
        (Ok(birth_date), Some(check)) if errors.is_empty() => Ok(ResidentId {
            number: format!("{first17}{check}"),
            birth_date,
        }),
        (birth_date, _) => {
            errors.extend(birth_date.err());
            Err(errors)
        }
    }
}

fn check_province(text: &str) -> Option<IdentError> {
    let province = text.get(..2).unwrap_or_default();
    (!PROVINCE_CODES.contains(&province)).then(|| IdentError::Province {
        found: province.to_owned(),
    })
}

/// Reads eight ASCII digits `YYYYMMDD` as a real date not after `today`.
fn check_birth_date(digits: &str, today: NaiveDate) -> Result<NaiveDate, IdentError> {
    let field =
        |range: std::ops::Range<usize>| digits.get(range).and_then(|part| part.parse::<u32>().ok());
    let date = match (field(0..4), field(4..6), field(6..8)) {
        (Some(year), Some(month), Some(day)) => i32::try_from(year)
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(year, month, day)),
        _ => None,
    }
    .ok_or_else(|| IdentError::BirthDate {
        found: digits.to_owned(),
    })?;
    if date > today {
        return Err(IdentError::FutureBirthDate { found: date });
    }
    Ok(date)
}
