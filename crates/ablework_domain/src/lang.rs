//! The languages in which the application speaks to people: Chinese (the
//! default) and English.

use serde::{Deserialize, Serialize};

/// A language for messages and labels. Chinese is the default because the
/// programme's users are in Tianjin; English serves visitors and reviewers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Simplified Chinese.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Every supported language, in the order a language switch shows them.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// Reads a BCP 47 language tag such as `zh`, `zh-CN`, `zh-Hans`, `en` or
    /// `en-US`, ignoring case and surrounding whitespace. Only the primary
    /// subtag decides; regions and scripts are accepted and ignored.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Some(Lang::Zh)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The short tag used in URLs (`?lang=`) and in the HTML `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Chooses a language from an HTTP `Accept-Language` header.
    ///
    /// Entries are ranked by their quality value (`q`, default 1); among equal
    /// qualities the earlier entry wins. The first supported language in that
    /// ranking is returned. Entries with `q=0` are refused and the wildcard
    /// `*` is skipped, so the caller's own default applies when nothing
    /// supported is named.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranked: Vec<(u16, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, entry)| {
                let mut parts = entry.split(';');
                let lang = Lang::from_tag(parts.next()?)?;
                let quality = parts
                    .find_map(|parameter| {
                        let (name, value) = parameter.split_once('=')?;
                        name.trim()
                            .eq_ignore_ascii_case("q")
                            .then(|| parse_quality(value))
                    })
                    .unwrap_or(Some(1000))?;
                (quality > 0).then_some((quality, position, lang))
            })
            .collect();
        // Highest quality first; the stable sort keeps header order for ties.
        ranked.sort_by_key(|&(quality, _, _)| std::cmp::Reverse(quality));
        ranked.first().map(|&(_, _, lang)| lang)
    }
}

/// Parses an HTTP quality value (`0`..`1` with at most three decimals) into
/// thousandths, so that ranking needs no floating point. A malformed value
/// gives `None`, which refuses the entry rather than guessing.
fn parse_quality(value: &str) -> Option<u16> {
    let value = value.trim();
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u16 = match whole {
        "0" => 0,
        "1" => 1,
        _ => return None,
    };
    let mut thousandths = 0u16;
    for (index, digit) in fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .enumerate()
    {
        let place = [100, 10, 1][index];
        thousandths += u16::from(digit - b'0') * place;
    }
    let quality = whole * 1000 + thousandths;
    (quality <= 1000).then_some(quality)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_tag_accepts_common_tags() {
        let cases = [
            ("zh", Some(Lang::Zh)),
            ("zh-CN", Some(Lang::Zh)),
            ("ZH-cn", Some(Lang::Zh)),
            ("zh-Hans", Some(Lang::Zh)),
            ("zh_CN", Some(Lang::Zh)),
            (" en ", Some(Lang::En)),
            ("en-US", Some(Lang::En)),
            ("EN-gb", Some(Lang::En)),
            ("fr", None),
            ("", None),
            ("zhx", None),
            ("*", None),
        ];
        for (tag, expected) in cases {
            assert_eq!(Lang::from_tag(tag), expected, "tag {tag:?}");
        }
    }

    #[test]
    fn tag_round_trips() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::default(), Lang::Zh);
    }

    #[test]
    fn accept_language_honours_quality() {
        let cases = [
            ("zh-CN,zh;q=0.9,en;q=0.8", Some(Lang::Zh)),
            ("en-US,en;q=0.9", Some(Lang::En)),
            ("fr-FR,fr;q=0.9,en;q=0.8,zh;q=0.7", Some(Lang::En)),
            ("zh;q=0.5, en;q=0.8", Some(Lang::En)),
            ("en;q=0.5, zh;q=0.5", Some(Lang::En)),
            ("en;q=0, zh;q=0.1", Some(Lang::Zh)),
            ("en;q=0", None),
            ("de, *;q=0.1", None),
            ("", None),
            ("en;q=abc, zh", Some(Lang::Zh)),
            ("en;q=1.0", Some(Lang::En)),
            ("en;q=1.5, zh;q=0.2", Some(Lang::Zh)),
            ("EN-us ; Q=0.3 , fr", Some(Lang::En)),
        ];
        for (header, expected) in cases {
            assert_eq!(
                Lang::from_accept_language(header),
                expected,
                "header {header:?}"
            );
        }
    }

    #[test]
    fn serde_uses_short_tags() {
        assert_eq!(
            serde_json::to_string(&Lang::En).ok().as_deref(),
            Some("\"en\"")
        );
    }
}
