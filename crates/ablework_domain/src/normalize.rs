//! Text normalisation shared by every identifier parser.
//!
//! People type identifiers with Chinese input methods, which often produce
//! full-width characters (`１２０１`, `ｘ`) and the ideographic space. These
//! are the same characters to a person, so they must be the same to us.

/// First and last code points of the full-width forms of printable ASCII.
const FULL_WIDTH_FIRST: u32 = 0xFF01;
const FULL_WIDTH_LAST: u32 = 0xFF5E;
/// Distance from a full-width form down to its ASCII character.
const FULL_WIDTH_OFFSET: u32 = 0xFEE0;
const IDEOGRAPHIC_SPACE: char = '\u{3000}';

/// Converts full-width ASCII forms (U+FF01..=U+FF5E) to ASCII, the
/// ideographic space (U+3000) to a plain space, and trims surrounding
/// whitespace. Case is kept; parsers decide whether case matters.
///
/// The result is stable: normalising it again changes nothing.
///
/// ```
/// use ablework_domain::normalize::normalize_text;
/// assert_eq!(normalize_text("\u{3000}１２０１ｘ "), "1201x");
/// ```
pub fn normalize_text(input: &str) -> String {
    input
        .chars()
        .map(to_half_width)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Maps one character to its half-width form, leaving every other
/// character untouched.
fn to_half_width(c: char) -> char {
    let code = u32::from(c);
    if (FULL_WIDTH_FIRST..=FULL_WIDTH_LAST).contains(&code) {
        // Every code point in the range minus the offset is printable ASCII.
        char::from_u32(code - FULL_WIDTH_OFFSET).unwrap_or(c)
    } else if c == IDEOGRAPHIC_SPACE {
        ' '
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn normalises_full_width_and_spaces() {
        let cases = [
            ("", ""),
            ("   ", ""),
            ("１２０１０１１９９００３０７１２３５", "120101199003071235"),
            ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002x"),
            ("\u{3000}ＡＢＣ\u{3000}", "ABC"),
            ("！～", "!~"),
            ("a\u{3000}b", "a b"),
            ("\t12 34\n", "12 34"),
            ("和平区", "和平区"),
            // U+FF5F and U+FF00 lie outside the full-width ASCII block.
            ("\u{FF5F}\u{FF00}", "\u{FF5F}\u{FF00}"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_text(input), expected, "input {input:?}");
        }
    }

    proptest! {
        #[test]
        fn normalising_is_idempotent(input in "\\PC*") {
            let once = normalize_text(&input);
            prop_assert_eq!(normalize_text(&once), once);
        }

        #[test]
        fn full_width_inputs_become_ascii(input in "[\u{FF01}-\u{FF5E}\u{3000} ]{0,30}") {
            let output = normalize_text(&input);
            prop_assert!(output.is_ascii());
            prop_assert_eq!(output.chars().count(), output.len());
        }
    }
}
