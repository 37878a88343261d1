//! The character encoding of a CSV file: the `--encoding` choice, detecting
//! it, and decoding fields.
//!
//! Fields are decoded one at a time after the CSV parser has split the raw
//! bytes. That is sound for both encodings we read: in UTF-8 and in GB18030
//! (and so GBK) every byte of a multi-byte character is `0x30` or above,
//! while the bytes that structure CSV — comma `0x2C`, quote `0x22`, CR
//! `0x0D` and LF `0x0A` — are below it, so they can never be part of a
//! character. Decoding per field needs no streaming decoder and keeps the
//! memory to one record.

use std::io::{self, Read};

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};

/// How to read the bytes of a CSV file (`--encoding auto|utf-8|gb18030`).
/// Workbooks (XLSX and the like) carry their own encoding and ignore it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// Detect: UTF-8 if the file has a UTF-8 byte-order mark or is valid
    /// UTF-8, otherwise GB18030.
    #[default]
    Auto,
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// GB18030, which includes GBK and GB2312 and also covers characters
    /// outside GBK such as 𠮷.
    Gb18030,
}

impl Encoding {
    /// Every choice, in the order the command line lists them.
    pub const ALL: [Encoding; 3] = [Encoding::Auto, Encoding::Utf8, Encoding::Gb18030];

    /// The command-line word: `auto`, `utf-8` or `gb18030`.
    pub fn code(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
        }
    }

    /// Reads a command-line word, ignoring case. `utf8` is accepted, and so
    /// are `gbk` and `gb2312`, because GB18030 decodes what they encode.
    pub fn from_code(code: &str) -> Option<Encoding> {
        match code.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(Encoding::Auto),
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" => Some(Encoding::Gb18030),
            _ => None,
        }
    }
}

/// The encoding a CSV file is decoded with, once `auto` has been decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charset {
    Utf8,
    Gb18030,
}

impl Charset {
    /// The public name of this encoding.
    pub(crate) fn encoding(self) -> Encoding {
        match self {
            Charset::Utf8 => Encoding::Utf8,
            Charset::Gb18030 => Encoding::Gb18030,
        }
    }

    /// The encoding's name for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Gb18030 => "GB18030",
        }
    }

    /// Decodes one field. Bytes that are not valid in the encoding become
    /// U+FFFD and the second value is `true`, so the row can report the cell
    /// rather than import a damaged value.
    pub(crate) fn decode(self, bytes: &[u8]) -> (String, bool) {
        match self {
            Charset::Utf8 => match std::str::from_utf8(bytes) {
                Ok(text) => (text.to_owned(), false),
                Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
            },
            Charset::Gb18030 => {
                let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
                (text.into_owned(), had_errors)
            }
        }
    }
}

/// The UTF-8 byte-order mark, which Excel writes at the start of "CSV UTF-8".
pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Size of the reads while detecting; memory use does not grow with the file.
const CHUNK_SIZE: usize = 64 * 1024;

/// How much of the start of a file chardetng judges.
const DETECTOR_WINDOW: usize = 1024 * 1024;

/// Decides between UTF-8 and GB18030 for a file without a byte-order mark,
/// reading it once in bounded chunks.
///
/// A file that is valid UTF-8 throughout is UTF-8: GBK text is almost never
/// valid UTF-8 beyond a few characters, and ASCII is the same in both. A
/// file that is not is normally GB18030 — what Chinese Excel writes — but
/// chardetng breaks the tie for a file whose first mebibyte is clean UTF-8
/// Chinese and which is damaged further on: it stays UTF-8, so only the
/// damaged cells are reported instead of every name turning into mojibake.
pub(crate) fn detect(input: impl Read) -> io::Result<Charset> {
    detect_in_chunks(input, CHUNK_SIZE)
}

fn detect_in_chunks(mut input: impl Read, chunk_size: usize) -> io::Result<Charset> {
    // Room for one chunk plus the up to three bytes of a character cut off
    // at the end of the previous chunk.
    let mut buffer = vec![0u8; chunk_size + 3];
    let mut pending = 0usize;
    let mut valid_utf8 = true;
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let mut fed = 0usize;
    // Whether bytes were left out of chardetng's window, so that it did not
    // see the end of the file.
    let mut window_cut = false;
    let mut non_ascii_seen = false;
    loop {
        let read = read_retrying(&mut input, &mut buffer[pending..pending + chunk_size])?;
        let end = pending + read;
        if fed < DETECTOR_WINDOW {
            let fresh = &buffer[pending..end];
            let take = fresh.len().min(DETECTOR_WINDOW - fed);
            non_ascii_seen |= detector.feed(&fresh[..take], false);
            fed += take;
            window_cut |= take < fresh.len();
        } else {
            window_cut |= read > 0;
        }
        if read == 0 {
            // A character still pending at the end was cut off by it, which
            // chardetng also needs to be told.
            valid_utf8 &= pending == 0;
            if !window_cut {
                detector.feed(&[], true);
            }
            break;
        }
        if valid_utf8 {
            match std::str::from_utf8(&buffer[..end]) {
                Ok(_) => pending = 0,
                Err(error) if error.error_len().is_none() => {
                    // The chunk ends inside a character: keep its bytes for
                    // the next round.
                    let start = error.valid_up_to();
                    buffer.copy_within(start..end, 0);
                    pending = end - start;
                }
                Err(_) => {
                    valid_utf8 = false;
                    pending = 0;
                }
            }
        } else {
            pending = 0;
        }
        if !valid_utf8 && fed >= DETECTOR_WINDOW {
            break;
        }
    }
    if valid_utf8 {
        return Ok(Charset::Utf8);
    }
    let guess = detector.guess(Some(b"cn"), Utf8Detection::Allow);
    Ok(if non_ascii_seen && guess == encoding_rs::UTF_8 {
        Charset::Utf8
    } else {
        Charset::Gb18030
    })
}

/// Reads into `buffer`, retrying reads that a signal interrupted.
fn read_retrying(input: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    loop {
        match input.read(buffer) {
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn gb18030(text: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(text).0.into_owned()
    }

    fn detect_bytes(bytes: &[u8], chunk_size: usize) -> Option<Charset> {
        detect_in_chunks(bytes, chunk_size).ok()
    }

    #[test]
    fn codes_round_trip() {
        for encoding in Encoding::ALL {
            assert_eq!(Encoding::from_code(encoding.code()), Some(encoding));
        }
        assert_eq!(Encoding::from_code(" UTF8 "), Some(Encoding::Utf8));
        assert_eq!(Encoding::from_code("GBK"), Some(Encoding::Gb18030));
        assert_eq!(Encoding::from_code("big5"), None);
        assert_eq!(Encoding::default(), Encoding::Auto);
    }

    #[test]
    fn detects_utf8_and_gb18030() {
        let text = "姓名,身份证号\n𠮷祥,120101199003071235\n";
        let cases: [(&[u8], Charset); 5] = [
            (b"", Charset::Utf8),
            (b"name,id\n", Charset::Utf8),
            (text.as_bytes(), Charset::Utf8),
            (&gb18030(text), Charset::Gb18030),
            // A lone Latin-1 byte in ASCII is not UTF-8.
            (b"name\xA0,id\n", Charset::Gb18030),
        ];
        for (bytes, expected) in cases {
            for chunk_size in [1, 2, 3, 5, 64] {
                assert_eq!(
                    detect_bytes(bytes, chunk_size),
                    Some(expected),
                    "{bytes:?} in chunks of {chunk_size}"
                );
            }
        }
    }

    #[test]
    fn a_character_cut_off_at_the_end_is_not_utf8() {
        let mut bytes = "和平区".as_bytes().to_vec();
        bytes.pop();
        assert_eq!(detect_bytes(&bytes, 4), Some(Charset::Gb18030));
    }

    #[test]
    fn utf8_damaged_after_a_clean_start_stays_utf8() {
        let mut bytes = "张三,和平区\n".repeat(DETECTOR_WINDOW / 10).into_bytes();
        bytes.extend_from_slice(b"\xFF\xFE,\n");
        assert!(bytes.len() > DETECTOR_WINDOW);
        assert_eq!(detect_bytes(&bytes, CHUNK_SIZE), Some(Charset::Utf8));
        // Damage inside the window, or a window with no Chinese, is GB18030.
        let mut early = b"\xFF\xFE,\n".to_vec();
        early.extend_from_slice(&bytes);
        assert_eq!(detect_bytes(&early, CHUNK_SIZE), Some(Charset::Gb18030));
        let mut ascii = "a,b\n".repeat(DETECTOR_WINDOW / 3).into_bytes();
        ascii.extend_from_slice(b"\xFF\n");
        assert_eq!(detect_bytes(&ascii, CHUNK_SIZE), Some(Charset::Gb18030));
    }

    #[test]
    fn decodes_fields_and_flags_damage() {
        assert_eq!(
            Charset::Utf8.decode("𠮷".as_bytes()),
            ("𠮷".to_owned(), false)
        );
        assert_eq!(
            Charset::Gb18030.decode(&gb18030("𠮷")),
            ("𠮷".to_owned(), false)
        );
        assert_eq!(
            Charset::Utf8.decode(b"a\xFFb"),
            ("a\u{FFFD}b".to_owned(), true)
        );
        assert!(Charset::Gb18030.decode(b"\x81").1);
    }

    proptest! {
        #[test]
        fn detection_agrees_with_utf8_validity(
            bytes in proptest::collection::vec(any::<u8>(), 0..200),
            chunk_size in 1usize..16,
        ) {
            let expected = std::str::from_utf8(&bytes).is_ok();
            let detected = detect_bytes(&bytes, chunk_size);
            // Short damaged input is never judged UTF-8, because the damage
            // lies inside chardetng's window.
            prop_assert_eq!(detected == Some(Charset::Utf8), expected);
        }

        #[test]
        fn gb18030_round_trips_any_text(text in "\\PC{0,40}") {
            prop_assert_eq!(Charset::Gb18030.decode(&gb18030(&text)), (text, false));
        }
    }
}
