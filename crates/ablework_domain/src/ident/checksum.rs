//! Check characters of the identifiers, kept apart from parsing so that
//! generators of synthetic data can compute them without building a value.

/// Weights of ISO 7064 MOD 11-2 for positions 1..=17 of a resident ID
/// (GB 11643-1999). They are `2^(18 - i) mod 11`.
const RESIDENT_ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check characters indexed by the weighted sum modulo 11.
const RESIDENT_ID_CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Computes the 18th character of a resident ID number from its first 17
/// characters (ISO 7064 MOD 11-2, GB 11643-1999).
///
/// Returns `None` unless `first17` is exactly 17 ASCII digits. The input is
/// not normalised: callers that accept full-width digits normalise first.
///
/// ```
/// use ablework_domain::ident::resident_id_check_char;
/// assert_eq!(resident_id_check_char("12010119900307123"), Some('5'));
/// ```
pub fn resident_id_check_char(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(RESIDENT_ID_WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    // The remainder is below 11, so the index is always in range.
    RESIDENT_ID_CHECK_CHARS.get((sum % 11) as usize).copied()
}

/// The 31 characters of a unified social credit code (GB 32100-2015), in
/// the order that gives each its numeric value 0..=30. I, O, Z, S and V are
/// left out because they are easily confused with digits and other letters.
pub const CREDIT_CODE_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights for positions 1..=17 of a unified social credit code. They are
/// `3^(i - 1) mod 31`.
const CREDIT_CODE_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The number of characters in [`CREDIT_CODE_ALPHABET`], which is also the
/// modulus of the check.
const CREDIT_CODE_MODULUS: u32 = 31;

/// The numeric value (0..=30) of a character of a unified social credit
/// code, or `None` if the character is not in the code's alphabet.
/// Only upper-case ASCII is accepted; callers normalise first.
pub(crate) fn credit_code_value(c: char) -> Option<u32> {
    let index = CREDIT_CODE_ALPHABET.find(c)?;
    // The alphabet is ASCII, so byte positions equal character positions
    // and are below 31.
    u32::try_from(index).ok()
}

/// Computes the 18th character of a unified social credit code from its
/// first 17 characters (GB 32100-2015).
///
/// Returns `None` unless `first17` is exactly 17 characters of
/// [`CREDIT_CODE_ALPHABET`] (upper case; callers normalise first).
///
/// ```
/// use ablework_domain::ident::credit_code_check_char;
/// assert_eq!(credit_code_check_char("91350100M000100Y4"), Some('3'));
/// ```
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, weight) in first17.chars().zip(CREDIT_CODE_WEIGHTS) {
        sum += credit_code_value(c)? * weight;
    }
    // `31 - r` lies in 1..=31; the value 31 is written as `0`.
    let check = (CREDIT_CODE_MODULUS - sum % CREDIT_CODE_MODULUS) % CREDIT_CODE_MODULUS;
    CREDIT_CODE_ALPHABET.chars().nth(check as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_id_check_chars() {
        let cases = [
            ("12010119900307123", Some('5')),
            ("11010519491231002", Some('X')),
            ("12011619850615002", Some('3')),
            ("34052419800101001", Some('X')),
            ("1201011990030712", None),
            ("120101199003071235", None),
            ("1201011990030712X", None),
            ("１2010119900307123", None),
            ("", None),
        ];
        for (first17, expected) in cases {
            assert_eq!(
                resident_id_check_char(first17),
                expected,
                "input {first17:?}"
            );
        }
    }

    #[test]
    fn resident_id_worked_example_sum_is_183() {
        // DOMAIN.md works this example by hand: Σ = 183, r = 7, check 5.
        let sum: u32 = "12010119900307123"
            .bytes()
            .zip(RESIDENT_ID_WEIGHTS)
            .map(|(digit, weight)| u32::from(digit - b'0') * weight)
            .sum();
        assert_eq!(sum, 183);
        assert_eq!(sum % 11, 7);
    }

    #[test]
    fn weights_follow_their_formulas() {
        for (index, weight) in RESIDENT_ID_WEIGHTS.iter().enumerate() {
            let power = u32::try_from(17 - index).unwrap_or_default();
            assert_eq!(
                *weight,
                2u32.pow(power) % 11,
                "resident ID position {}",
                index + 1
            );
        }
        let mut power_of_three = 1;
        for (index, weight) in CREDIT_CODE_WEIGHTS.iter().enumerate() {
            assert_eq!(
                *weight,
                power_of_three,
                "credit code position {}",
                index + 1
            );
            power_of_three = power_of_three * 3 % 31;
        }
        assert_eq!(CREDIT_CODE_ALPHABET.len(), 31);
    }

    #[test]
    fn credit_code_check_chars() {
        let cases = [
            ("91350100M000100Y4", Some('3')),
            ("91350100m000100Y4", None),
            ("91350100I000100Y4", None),
            ("91350100M000100Y", None),
            ("", None),
        ];
        for (first17, expected) in cases {
            assert_eq!(
                credit_code_check_char(first17),
                expected,
                "input {first17:?}"
            );
        }
    }
}
