//! From cell text to field values: the normalisation CONTRACT.md asks for,
//! and the words people use for the closed vocabularies.

use std::sync::LazyLock;

use ablework_domain::lang::Lang;
use ablework_domain::normalize::normalize_text;
use ablework_domain::person::{Education, EmploymentStatus, Hukou};

/// Characters that are invisible and never meant, but arrive with text
/// copied from web pages and chat messages.
const INVISIBLE: [char; 5] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];

/// Cleans any cell: removes invisible characters, converts full-width
/// forms, trims, and unwraps `="…"`, which Excel users write in CSV to keep
/// long numbers as text.
pub(crate) fn clean_cell(text: &str) -> String {
    let visible: String = text.chars().filter(|c| !INVISIBLE.contains(c)).collect();
    let text = normalize_text(&visible);
    match text
        .strip_prefix("=\"")
        .and_then(|inner| inner.strip_suffix('"'))
    {
        Some(inner) => inner.trim().to_owned(),
        None => text,
    }
}

/// A name of a person or a place: runs of whitespace (line breaks too)
/// become one space, and a space between two Chinese characters goes,
/// because forms pad two-character names (`张　三`) to line them up with
/// three-character ones. Names of people are not converted to simplified
/// characters: a name is written as its holder writes it, and converters
/// turn the surname 乾 into 干.
pub(crate) fn collapse_spaces(text: &str) -> String {
    let mut name = String::with_capacity(text.len());
    let mut space_pending = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space_pending = !name.is_empty();
            continue;
        }
        if space_pending {
            let previous_is_ascii = name.chars().next_back().is_some_and(|p| p.is_ascii());
            if previous_is_ascii || c.is_ascii() {
                name.push(' ');
            }
            space_pending = false;
        }
        name.push(c);
    }
    name
}

/// A place name or vocabulary word in simplified characters.
pub(crate) fn simplified(text: &str) -> String {
    fast2s::convert(text)
}

/// An identifier or phone number: a leading `'`, which spreadsheet users
/// type to keep digits as text, is dropped.
pub(crate) fn number_text(text: &str) -> String {
    text.strip_prefix('\'').unwrap_or(text).trim().to_owned()
}

/// Whether a number was written in scientific notation (`1.20101E+17`),
/// which is how a spreadsheet shows an ID typed into a number cell. Its
/// digits beyond the first 15 are gone, so it must not be read as an ID.
pub(crate) fn is_scientific(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    !whole.is_empty()
        && !exponent.is_empty()
        && [whole, fraction, exponent]
            .iter()
            .all(|part| part.bytes().all(|b| b.is_ascii_digit()))
}

/// A mobile number as people write it (`138 1234 1234`, `138-1234-1234`,
/// `+86 13812341234`), reduced to its 11 digits; `None` if it is not one.
pub(crate) fn mobile_number(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(&digits);
    (digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.to_owned())
}

/// Lower case, without spaces or punctuation, so that `Junior secondary`,
/// `junior_secondary` and `JUNIOR-SECONDARY` compare equal.
pub(crate) fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '/' | '\'' | '’'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded names of every value of a closed vocabulary: its code, its
/// labels in both languages, and `aliases`. Built once, since every cell
/// is compared with all of them.
pub(crate) fn vocabulary_keys<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    aliases: &[(&str, T)],
) -> Vec<(String, T)> {
    all.iter()
        .flat_map(|value| {
            [
                code(*value),
                label(*value, Lang::Zh),
                label(*value, Lang::En),
            ]
            .map(|name| (fold(name), *value))
        })
        .chain(aliases.iter().map(|(alias, value)| (fold(alias), *value)))
        .collect()
}

/// Finds the value `text` names in a vocabulary's keys, ignoring case,
/// spaces, punctuation and traditional characters.
pub(crate) fn lookup<T: Copy>(text: &str, keys: &[(String, T)]) -> Option<T> {
    let key = fold(&simplified(text));
    if key.is_empty() {
        return None;
    }
    keys.iter()
        .find(|(name, _)| *name == key)
        .map(|(_, value)| *value)
}

/// Words for a household type besides its code and labels.
const HUKOU_ALIASES: [(&str, Hukou); 4] = [
    ("城市", Hukou::Urban),
    ("非农业", Hukou::Urban),
    ("非农", Hukou::Urban),
    ("农业", Hukou::Rural),
];

/// 户籍类型: 城镇/农村, urban/rural, and the older 非农业/农业, with or
/// without 户口.
pub(crate) fn hukou(text: &str) -> Option<Hukou> {
    static KEYS: LazyLock<Vec<(String, Hukou)>> =
        LazyLock::new(|| vocabulary_keys(Hukou::ALL, Hukou::code, Hukou::label, &HUKOU_ALIASES));
    let text = text.trim();
    let text = ["户口", "户籍"]
        .iter()
        .find_map(|suffix| text.strip_suffix(suffix))
        .unwrap_or(text);
    lookup(text, &KEYS)
}

/// Words for a level of education besides its code and labels.
const EDUCATION_ALIASES: [(&str, Education); 26] = [
    ("文盲", Education::None),
    ("无学历", Education::None),
    ("初级中学", Education::JuniorSecondary),
    ("普通高中", Education::SeniorSecondary),
    ("中专", Education::Vocational),
    ("职高", Education::Vocational),
    ("中职", Education::Vocational),
    ("技校", Education::Vocational),
    ("中技", Education::Vocational),
    ("职业高中", Education::Vocational),
    ("中等专科", Education::Vocational),
    ("大专", Education::College),
    ("专科", Education::College),
    ("大学专科", Education::College),
    ("高职", Education::College),
    ("本科", Education::BachelorOrAbove),
    ("大学本科", Education::BachelorOrAbove),
    ("研究生", Education::BachelorOrAbove),
    ("硕士", Education::BachelorOrAbove),
    ("硕士研究生", Education::BachelorOrAbove),
    ("博士", Education::BachelorOrAbove),
    ("博士研究生", Education::BachelorOrAbove),
    ("bachelor", Education::BachelorOrAbove),
    ("master", Education::BachelorOrAbove),
    ("doctorate", Education::BachelorOrAbove),
    ("phd", Education::BachelorOrAbove),
];

/// 文化程度: a code, a label, or the usual names of each level.
pub(crate) fn education(text: &str) -> Option<Education> {
    static KEYS: LazyLock<Vec<(String, Education)>> = LazyLock::new(|| {
        vocabulary_keys(
            Education::ALL,
            Education::code,
            Education::label,
            &EDUCATION_ALIASES,
        )
    });
    lookup(text, &KEYS)
}

/// Words for an employment status besides its code and labels.
const EMPLOYMENT_STATUS_ALIASES: [(&str, EmploymentStatus); 6] = [
    ("待业", EmploymentStatus::Unemployed),
    ("失业", EmploymentStatus::Unemployed),
    ("无业", EmploymentStatus::Unemployed),
    ("就业", EmploymentStatus::Employed),
    ("在职", EmploymentStatus::Employed),
    ("在岗", EmploymentStatus::Employed),
];

/// 就业状态: 未就业/已就业, unemployed/employed, and common synonyms.
pub(crate) fn employment_status(text: &str) -> Option<EmploymentStatus> {
    static KEYS: LazyLock<Vec<(String, EmploymentStatus)>> = LazyLock::new(|| {
        vocabulary_keys(
            EmploymentStatus::ALL,
            EmploymentStatus::code,
            EmploymentStatus::label,
            &EMPLOYMENT_STATUS_ALIASES,
        )
    });
    lookup(text, &KEYS)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn cells_are_cleaned() {
        let cases = [
            ("", ""),
            ("  张三 ", "张三"),
            ("\u{3000}１２０１０１\u{3000}", "120101"),
            ("\u{200B}和平区\u{FEFF}", "和平区"),
            ("=\"120101199003071235\"", "120101199003071235"),
            ("＝＂１２０１＂", "1201"),
            ("=SUM(A1)", "=SUM(A1)"),
        ];
        for (input, expected) in cases {
            assert_eq!(clean_cell(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn names_lose_padding_between_chinese_characters() {
        let cases = [
            ("张三", "张三"),
            ("张 三", "张三"),
            ("张  三", "张三"),
            ("Zhang  San", "Zhang San"),
            ("Maria 张", "Maria 张"),
            ("阿依古丽·买买提", "阿依古丽·买买提"),
            ("新华路\n10号", "新华路 10号"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(collapse_spaces(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn places_become_simplified() {
        assert_eq!(simplified("濱海新區"), "滨海新区");
        assert_eq!(simplified("河東區"), "河东区");
        assert_eq!(simplified("新華街道"), "新华街道");
        assert_eq!(simplified("和平区"), "和平区");
    }

    #[test]
    fn scientific_notation_is_spotted() {
        for text in ["1.20101E+17", "1.20101e17", "1E+19", "1.2010119900307E+17"] {
            assert!(is_scientific(text), "{text}");
        }
        for text in [
            "120101199003071235",
            "E+17",
            "1.2E",
            "1.2E+x",
            "12010119900307123X",
            "",
        ] {
            assert!(!is_scientific(text), "{text}");
        }
    }

    #[test]
    fn mobile_numbers_are_reduced_to_digits() {
        let cases = [
            ("13812341234", Some("13812341234")),
            ("138 1234 1234", Some("13812341234")),
            ("138-1234-1234", Some("13812341234")),
            ("+86 138 1234 1234", Some("13812341234")),
            ("8613812341234", Some("13812341234")),
            ("022-23451234", None),
            ("23812341234", None),
            ("1381234123", None),
            ("138123412345", None),
            ("1381234123x", None),
        ];
        for (input, expected) in cases {
            assert_eq!(mobile_number(input).as_deref(), expected, "input {input:?}");
        }
        assert_eq!(number_text("'13812341234"), "13812341234");
    }

    #[test]
    fn household_types() {
        let cases = [
            ("城镇", Some(Hukou::Urban)),
            ("城镇户口", Some(Hukou::Urban)),
            ("非农业", Some(Hukou::Urban)),
            ("非农业户口", Some(Hukou::Urban)),
            ("Urban", Some(Hukou::Urban)),
            ("农村", Some(Hukou::Rural)),
            ("農村", Some(Hukou::Rural)),
            ("农业户口", Some(Hukou::Rural)),
            ("RURAL", Some(Hukou::Rural)),
            ("居民", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(hukou(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn education_levels() {
        let cases = [
            ("未上学", Some(Education::None)),
            ("none", Some(Education::None)),
            ("小学", Some(Education::Primary)),
            ("Primary school", Some(Education::Primary)),
            ("初中", Some(Education::JuniorSecondary)),
            ("junior_secondary", Some(Education::JuniorSecondary)),
            ("高中", Some(Education::SeniorSecondary)),
            ("中专", Some(Education::Vocational)),
            ("职高", Some(Education::Vocational)),
            ("中专/职高", Some(Education::Vocational)),
            ("技校", Some(Education::Vocational)),
            ("大专", Some(Education::College)),
            ("大專", Some(Education::College)),
            ("College", Some(Education::College)),
            ("本科", Some(Education::BachelorOrAbove)),
            ("本科及以上", Some(Education::BachelorOrAbove)),
            ("研究生", Some(Education::BachelorOrAbove)),
            ("Bachelor's or above", Some(Education::BachelorOrAbove)),
            ("bachelor_or_above", Some(Education::BachelorOrAbove)),
            ("幼儿园", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(education(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn employment_statuses() {
        let cases = [
            ("未就业", Some(EmploymentStatus::Unemployed)),
            ("待业", Some(EmploymentStatus::Unemployed)),
            ("unemployed", Some(EmploymentStatus::Unemployed)),
            ("已就业", Some(EmploymentStatus::Employed)),
            ("已就業", Some(EmploymentStatus::Employed)),
            ("Employed", Some(EmploymentStatus::Employed)),
            ("退休", None),
        ];
        for (input, expected) in cases {
            assert_eq!(employment_status(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn vocabulary_names_need_no_conversion() {
        let names =
            Hukou::ALL
                .iter()
                .flat_map(|value| [value.code(), value.label(Lang::Zh), value.label(Lang::En)])
                .chain(
                    Education::ALL.iter().flat_map(|value| {
                        [value.code(), value.label(Lang::Zh), value.label(Lang::En)]
                    }),
                )
                .chain(EmploymentStatus::ALL.iter().flat_map(|value| {
                    [value.code(), value.label(Lang::Zh), value.label(Lang::En)]
                }));
        let aliases = HUKOU_ALIASES
            .iter()
            .map(|(alias, _)| *alias)
            .chain(EDUCATION_ALIASES.iter().map(|(alias, _)| *alias))
            .chain(EMPLOYMENT_STATUS_ALIASES.iter().map(|(alias, _)| *alias));
        for name in names.chain(aliases) {
            assert_eq!(simplified(name), name);
        }
    }

    proptest! {
        #[test]
        fn cleaning_is_idempotent_and_never_panics(input in "\\PC{0,30}") {
            let once = clean_cell(&input);
            let _ = (collapse_spaces(&once), hukou(&once), education(&once), employment_status(&once));
            // A cell that unwraps to another `="…"` unwraps again, so only
            // check idempotence on the rest.
            if !once.starts_with("=\"") {
                prop_assert_eq!(clean_cell(&once), once);
            }
        }
    }
}
