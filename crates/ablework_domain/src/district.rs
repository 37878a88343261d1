//! Tianjin's 16 districts (GB/T 2260) and the older names and codes that
//! people, forms and ID numbers still use.

use serde::Serialize;

use crate::lang::Lang;
use crate::normalize::normalize_text;

/// A current district of Tianjin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct District {
    /// Six-digit GB/T 2260 code, e.g. `120101`.
    pub code: &'static str,
    /// Chinese name, e.g. `和平区`.
    pub name_zh: &'static str,
    /// English name, e.g. `Heping District`.
    pub name_en: &'static str,
}

impl District {
    /// The name in the reader's language.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.name_zh,
            Lang::En => self.name_en,
        }
    }
}

const fn district(code: &'static str, name_zh: &'static str, name_en: &'static str) -> District {
    District {
        code,
        name_zh,
        name_en,
    }
}

/// The current districts, in code order.
static DISTRICTS: [District; 16] = [
    district("120101", "和平区", "Heping District"),
    district("120102", "河东区", "Hedong District"),
    district("120103", "河西区", "Hexi District"),
    district("120104", "南开区", "Nankai District"),
    district("120105", "河北区", "Hebei District"),
    district("120106", "红桥区", "Hongqiao District"),
    district("120110", "东丽区", "Dongli District"),
    district("120111", "西青区", "Xiqing District"),
    district("120112", "津南区", "Jinnan District"),
    district("120113", "北辰区", "Beichen District"),
    district("120114", "武清区", "Wuqing District"),
    district("120115", "宝坻区", "Baodi District"),
    district("120116", "滨海新区", "Binhai New Area"),
    district("120117", "宁河区", "Ninghe District"),
    district("120118", "静海区", "Jinghai District"),
    district("120119", "蓟州区", "Jizhou District"),
];

/// Withdrawn codes and the current district that took over their area:
/// 塘沽区, 汉沽区 and 大港区 merged into 滨海新区 (2009); the former counties
/// became districts (2000–2016).
const HISTORICAL_CODES: [(&str, &str); 8] = [
    ("120107", "120116"), // 塘沽区
    ("120108", "120116"), // 汉沽区
    ("120109", "120116"), // 大港区
    ("120221", "120117"), // 宁河县
    ("120222", "120114"), // 武清县
    ("120223", "120118"), // 静海县
    ("120224", "120115"), // 宝坻县
    ("120225", "120119"), // 蓟县
];

/// Short names that [`resolve`] accepts for each current district, besides
/// its own names: what remains of a Chinese or English name once the
/// "Tianjin" prefix and the 区/县/新区/district/county/new area suffix are
/// removed. Former names of merged areas and counties are included.
const NAME_STEMS: [(&str, &[&str]); 16] = [
    ("120101", &["和平", "heping"]),
    ("120102", &["河东", "hedong"]),
    ("120103", &["河西", "hexi"]),
    ("120104", &["南开", "nankai"]),
    ("120105", &["河北", "hebei"]),
    ("120106", &["红桥", "hongqiao"]),
    ("120110", &["东丽", "dongli"]),
    ("120111", &["西青", "xiqing"]),
    ("120112", &["津南", "jinnan"]),
    ("120113", &["北辰", "beichen"]),
    ("120114", &["武清", "wuqing"]),
    ("120115", &["宝坻", "baodi"]),
    (
        "120116",
        &[
            "滨海", "binhai", "塘沽", "tanggu", "汉沽", "hangu", "大港", "dagang",
        ],
    ),
    ("120117", &["宁河", "ninghe"]),
    ("120118", &["静海", "jinghai"]),
    ("120119", &["蓟州", "jizhou", "蓟", "ji", "jixian"]),
];

/// Traditional characters that occur in the districts' names, with their
/// simplified forms, so names written in traditional characters resolve.
const TRADITIONAL_TO_SIMPLIFIED: [(char, char); 13] = [
    ('區', '区'),
    ('縣', '县'),
    ('東', '东'),
    ('開', '开'),
    ('紅', '红'),
    ('橋', '桥'),
    ('麗', '丽'),
    ('寶', '宝'),
    ('濱', '滨'),
    ('寧', '宁'),
    ('靜', '静'),
    ('薊', '蓟'),
    ('漢', '汉'),
];

/// Prefixes naming the city, removed before matching (longest first).
const CITY_PREFIXES: [&str; 3] = ["天津市", "天津", "tianjin"];

/// Suffixes naming the kind of area, removed before matching (longest first,
/// so that 滨海新区 loses 新区 rather than only 区).
const AREA_SUFFIXES: [&str; 6] = ["新区", "区", "县", "newarea", "district", "county"];

/// Every current district, in code order.
pub fn all() -> &'static [District] {
    &DISTRICTS
}

/// The six central urban districts (市内六区); the other ten are the
/// agricultural districts (涉农区) where the rural measures work.
const CENTRAL: [&str; 6] = ["120101", "120102", "120103", "120104", "120105", "120106"];

/// Whether a current district is one of the agricultural ones (outside the
/// six central districts).
pub fn is_agricultural(code: &str) -> bool {
    by_code(code).is_some_and(|d| !CENTRAL.contains(&d.code))
}

/// The current district with this code; withdrawn codes give `None` (see
/// [`current_for`]).
pub fn by_code(code: &str) -> Option<&'static District> {
    DISTRICTS.iter().find(|district| district.code == code)
}

/// The current district covering the area of `code`, which may be current
/// or withdrawn (e.g. `120107` 塘沽区 gives 滨海新区). Use it to report by
/// today's districts from the area code in an ID number.
pub fn current_for(code: &str) -> Option<&'static District> {
    by_code(code).or_else(|| {
        HISTORICAL_CODES
            .iter()
            .find(|(historical, _)| *historical == code)
            .and_then(|(_, current)| by_code(current))
    })
}

/// Finds the current district a person means: a code (current or
/// withdrawn), a Chinese name in simplified or traditional characters with
/// or without 区 (`和平区`, `和平`, `和平區`), a former name (`塘沽区`,
/// `蓟县`), or an English name in any case (`Heping District`, `heping`).
/// A leading 天津市 or "Tianjin" is ignored.
pub fn resolve(input: &str) -> Option<&'static District> {
    let text = normalize_text(input);
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return current_for(&text);
    }
    let key = name_key(&text);
    if key.is_empty() {
        return None;
    }
    NAME_STEMS
        .iter()
        .find(|(_, stems)| stems.contains(&key.as_str()))
        .and_then(|(code, _)| by_code(code))
}

/// Reduces a name to the stem used for matching: simplified characters,
/// lower case, no whitespace, and no city prefix or area-kind suffix.
fn name_key(text: &str) -> String {
    let key: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            TRADITIONAL_TO_SIMPLIFIED
                .iter()
                .find(|(traditional, _)| *traditional == c)
                .map_or(c, |(_, simplified)| *simplified)
        })
        .flat_map(char::to_lowercase)
        .collect();
    let key = CITY_PREFIXES
        .iter()
        .find_map(|prefix| key.strip_prefix(prefix))
        .unwrap_or(&key);
    let key = AREA_SUFFIXES
        .iter()
        .find_map(|suffix| key.strip_suffix(suffix))
        .unwrap_or(key);
    key.to_owned()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn code_of(district: Option<&District>) -> Option<&'static str> {
        district.map(|district| district.code)
    }

    #[test]
    fn there_are_sixteen_districts_with_unique_codes() {
        assert_eq!(all().len(), 16);
        for (index, district) in all().iter().enumerate() {
            assert!(
                all()[index + 1..]
                    .iter()
                    .all(|other| other.code != district.code)
            );
            assert_eq!(by_code(district.code), Some(district));
            assert_eq!(current_for(district.code), Some(district));
            assert!(NAME_STEMS.iter().any(|(code, _)| *code == district.code));
        }
    }

    #[test]
    fn names_by_language() {
        let heping = by_code("120101");
        assert_eq!(
            heping.map(|district| district.name(Lang::Zh)),
            Some("和平区")
        );
        assert_eq!(
            heping.map(|district| district.name(Lang::En)),
            Some("Heping District")
        );
        assert_eq!(
            by_code("120116").map(|district| district.name(Lang::En)),
            Some("Binhai New Area")
        );
    }

    #[test]
    fn historical_codes_map_to_current_districts() {
        let cases = [
            ("120107", Some("120116")),
            ("120108", Some("120116")),
            ("120109", Some("120116")),
            ("120221", Some("120117")),
            ("120222", Some("120114")),
            ("120223", Some("120118")),
            ("120224", Some("120115")),
            ("120225", Some("120119")),
            ("120101", Some("120101")),
            ("120100", None),
            ("110101", None),
            ("", None),
        ];
        for (code, expected) in cases {
            assert_eq!(code_of(current_for(code)), expected, "code {code}");
        }
        assert_eq!(by_code("120107"), None);
    }

    #[test]
    fn resolves_what_people_write() {
        let cases = [
            ("120101", Some("120101")),
            ("１２０１０１", Some("120101")),
            (" 120225 ", Some("120119")),
            ("120199", None),
            ("和平区", Some("120101")),
            ("和平", Some("120101")),
            ("天津市和平区", Some("120101")),
            ("滨海新区", Some("120116")),
            ("滨海", Some("120116")),
            ("蓟州区", Some("120119")),
            // Traditional characters.
            ("濱海新區", Some("120116")),
            ("薊州區", Some("120119")),
            ("河東區", Some("120102")),
            ("紅橋區", Some("120106")),
            ("寧河區", Some("120117")),
            ("靜海區", Some("120118")),
            ("寶坻區", Some("120115")),
            ("東麗區", Some("120110")),
            ("西青區", Some("120111")),
            ("津南區", Some("120112")),
            ("北辰區", Some("120113")),
            ("武清區", Some("120114")),
            ("南開區", Some("120104")),
            ("河北區", Some("120105")),
            ("河西區", Some("120103")),
            ("和平區", Some("120101")),
            // Former names.
            ("塘沽区", Some("120116")),
            ("汉沽区", Some("120116")),
            ("漢沽區", Some("120116")),
            ("大港区", Some("120116")),
            ("蓟县", Some("120119")),
            ("薊縣", Some("120119")),
            ("宁河县", Some("120117")),
            ("武清县", Some("120114")),
            ("静海县", Some("120118")),
            ("宝坻县", Some("120115")),
            // English.
            ("Heping District", Some("120101")),
            ("heping district", Some("120101")),
            ("HEPING", Some("120101")),
            ("Binhai New Area", Some("120116")),
            ("binhai", Some("120116")),
            ("Tanggu District", Some("120116")),
            ("Ji County", Some("120119")),
            ("Jizhou  District", Some("120119")),
            ("Tianjin Hexi District", Some("120103")),
            // Not districts.
            ("", None),
            ("区", None),
            ("district", None),
            ("北京", None),
            ("朝阳区", None),
            ("Springfield", None),
        ];
        for (input, expected) in cases {
            assert_eq!(code_of(resolve(input)), expected, "input {input:?}");
        }
    }

    #[test]
    fn every_district_resolves_by_its_own_names() {
        for district in all() {
            for name in [district.code, district.name_zh, district.name_en] {
                assert_eq!(resolve(name), Some(district), "name {name}");
            }
            let upper = district.name_en.to_uppercase();
            assert_eq!(resolve(&upper), Some(district), "name {upper}");
        }
    }

    proptest! {
        #[test]
        fn resolve_never_panics(input in "\\PC{0,20}") {
            let _ = resolve(&input);
        }
    }
}
