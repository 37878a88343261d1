//! Identifiers: resident ID numbers, disability certificate numbers and
//! unified social credit codes.
//!
//! Each identifier is a newtype that can only be built by parsing, so a
//! value in hand has passed every check ("parse, don't validate"). Parsers
//! normalise what people type (full-width characters, lower case, spaces)
//! and report every problem they find as an [`IdentError`].

mod certificate;
mod checksum;
mod credit_code;
mod error;
mod resident_id;

pub use certificate::{CertificateNumber, DisabilityCategory, DisabilityLevel};
pub use checksum::{CREDIT_CODE_ALPHABET, credit_code_check_char, resident_id_check_char};
pub use credit_code::CreditCode;
pub use error::{AllowedCharacters, IdentError};
pub use resident_id::{ResidentId, Sex};

#[cfg(test)]
mod tests;
