//! Chinese personal names: a surname drawn by its frequency in northern
//! China, then a one- or two-character given name whose characters follow
//! the fashions of the person's sex and birth cohort.

use crate::draw::Draw;

/// Surnames with relative weights (roughly per 10,000 people). The national
/// ranking (王 李 张 刘 陈 …) is adjusted towards Tianjin, where 张, 刘, 赵,
/// 孙, 马, 高, 于 and 郭 are more common and southern names such as 黄, 林,
/// 何 and 罗 are rarer than nationally. 欧阳 and 司马 are included so that
/// consumers meet compound surnames in the demo.
#[rustfmt::skip]
static SURNAMES: &[(&str, u32)] = &[
    ("王", 800), ("李", 760), ("张", 750), ("刘", 620), ("陈", 330), ("杨", 330),
    ("赵", 300), ("孙", 230), ("马", 220), ("高", 190), ("周", 170), ("郭", 160),
    ("于", 160), ("吴", 150), ("徐", 150), ("黄", 130), ("朱", 130), ("韩", 130),
    ("宋", 120), ("董", 120), ("胡", 110), ("田", 110), ("郑", 100), ("崔", 100),
    ("梁", 90), ("冯", 90), ("曹", 90), ("许", 80), ("杜", 80), ("魏", 80),
    ("姜", 80), ("唐", 70), ("吕", 70), ("丁", 70), ("任", 70), ("贾", 70),
    ("孟", 70), ("闫", 70), ("何", 60), ("林", 60), ("谢", 60), ("肖", 60),
    ("程", 60), ("苏", 60), ("范", 60), ("石", 60), ("付", 60), ("白", 60),
    ("侯", 60), ("郝", 60), ("武", 60), ("罗", 50), ("邓", 50), ("彭", 50),
    ("袁", 50), ("潘", 50), ("蒋", 50), ("姚", 50), ("卢", 50), ("金", 50),
    ("薛", 50), ("史", 50), ("常", 50), ("邢", 50), ("齐", 50), ("蔡", 40),
    ("沈", 40), ("方", 40), ("秦", 40), ("尹", 40), ("段", 40), ("邵", 40),
    ("康", 40), ("牛", 40), ("安", 40), ("乔", 40), ("翟", 40), ("耿", 40),
    ("曾", 30), ("陆", 30), ("汪", 30), ("夏", 30), ("江", 30), ("雷", 30),
    ("贺", 30), ("孔", 30), ("温", 30), ("樊", 30), ("葛", 30), ("庞", 30),
    ("鲁", 30), ("岳", 30), ("申", 30), ("关", 30), ("焦", 30), ("尚", 30),
    ("纪", 30), ("毕", 30), ("霍", 30), ("苗", 30), ("谷", 30), ("曲", 30),
    ("路", 30), ("辛", 30), ("靳", 30), ("穆", 30), ("佟", 20), ("苑", 20),
    ("冀", 20), ("栾", 20), ("钟", 20), ("谭", 20), ("余", 20), ("叶", 20),
    ("邹", 20), ("邱", 20), ("陶", 20), ("顾", 20), ("毛", 20), ("万", 20),
    ("钱", 20), ("严", 20), ("戴", 20), ("汤", 20), ("文", 20), ("颜", 20),
    ("倪", 20), ("庄", 20), ("聂", 20), ("殷", 20), ("左", 20), ("柳", 20),
    ("祝", 20), ("包", 20), ("宁", 20), ("单", 20), ("季", 20), ("裴", 20),
    ("成", 20), ("管", 20), ("柴", 20), ("祁", 20), ("房", 20), ("滕", 20),
    ("解", 20), ("时", 20), ("车", 20), ("芦", 20), ("窦", 20), ("景", 20),
    ("宫", 20), ("卫", 20), ("边", 20), ("臧", 20), ("欧阳", 5), ("司马", 2),
];

/// Given-name characters in fashion for boys born before about 1970.
static MALE_OLD: &[&str] = &[
    "建", "国", "志", "德", "文", "永", "福", "宝", "玉", "春", "庆", "长", "树", "金", "振", "学",
    "俊", "明", "华", "军", "民", "强", "林", "生", "平", "山", "成", "忠", "祥", "才", "发", "亮",
    "海", "江", "全", "荣", "东", "利", "英", "胜",
];

/// Given-name characters in fashion for boys born since about 1970.
static MALE_NEW: &[&str] = &[
    "浩", "子", "俊", "宇", "嘉", "博", "天", "晓", "家", "鹏", "杰", "涛", "磊", "辉", "超", "伟",
    "斌", "然", "航", "阳", "晨", "凯", "鑫", "龙", "勇", "刚", "峰", "波", "亮", "鹤", "帅", "宁",
    "健", "旭", "飞", "雷", "明", "强", "毅", "铭",
];

/// Given-name characters in fashion for girls born before about 1970.
static FEMALE_OLD: &[&str] = &[
    "秀", "桂", "淑", "玉", "凤", "春", "素", "美", "金", "月", "兰", "丽", "翠", "英", "珍", "芳",
    "华", "梅", "琴", "云", "霞", "荣", "芝", "花", "莲", "清", "香", "娥", "敏", "红",
];

/// Given-name characters in fashion for girls born since about 1970.
static FEMALE_NEW: &[&str] = &[
    "晓", "丽", "雅", "欣", "佳", "思", "雨", "婷", "静", "梦", "文", "敏", "娜", "琳", "燕", "洁",
    "颖", "慧", "雪", "倩", "萍", "妍", "怡", "涵", "玲", "红", "艳", "丹", "璐", "蕾", "晶", "露",
    "媛", "楠", "洋", "琪", "爽", "莹", "菲", "薇",
];

/// Builds a full name for a person of the given sex born in `birth_year`.
///
/// About a quarter of given names are a single character, a fashion that
/// peaked among people born in the 1980s and 1990s; the rest have two.
pub(crate) fn full_name(draw: &mut Draw, male: bool, birth_year: i32) -> String {
    let surname = draw.pick(SURNAMES);
    // People born in the 1960s and 1970s carry either fashion, so the
    // cohort decides the odds of the newer pool rather than a hard cut.
    let new_per_mille = match birth_year {
        ..1955 => 50,
        1955..1965 => 250,
        1965..1975 => 550,
        1975..1985 => 850,
        _ => 970,
    };
    let pool = match (male, draw.chance(new_per_mille)) {
        (true, false) => MALE_OLD,
        (true, true) => MALE_NEW,
        (false, false) => FEMALE_OLD,
        (false, true) => FEMALE_NEW,
    };
    let single_per_mille = if (1975..2000).contains(&birth_year) {
        350
    } else {
        180
    };
    let mut name = String::with_capacity(surname.len() + 6);
    name.push_str(surname);
    let first = draw.one_of(pool);
    name.push_str(first);
    if !draw.chance(single_per_mille) {
        // Chinese names rarely repeat a character (叠字 names such as 婷婷
        // exist but are uncommon), so a repeat is redrawn once.
        let mut second = draw.one_of(pool);
        if second == first {
            second = draw.one_of(pool);
        }
        name.push_str(second);
    }
    name
}

/// First characters of an enterprise's trade name (字号): the auspicious
/// characters Chinese firms favour.
static TRADE_FIRST: &[&str] = &[
    "华", "鑫", "宏", "津", "泰", "海", "恒", "瑞", "盛", "德", "嘉", "金", "中", "天", "博", "东",
    "润", "远", "永", "新", "万", "大", "信", "荣", "富", "聚", "汇", "隆", "佳", "源", "兴", "安",
    "长", "诚", "通", "凯", "明", "正", "宝", "祥", "腾", "联", "汉", "立", "合", "睿", "卓", "创",
    "优", "晟",
];

/// Second characters of a trade name.
static TRADE_SECOND: &[&str] = &[
    "泰", "达", "源", "通", "盛", "兴", "海", "宇", "丰", "信", "诚", "远", "华", "鑫", "瑞", "阳",
    "成", "星", "辉", "昌", "润", "恒", "安", "利", "创", "邦", "宏", "科", "业", "隆", "越", "和",
    "峰", "博", "晟", "德", "嘉", "泽", "锦", "顺",
];

/// Whole trade names taken from Tianjin's geography and history, which
/// local firms often use.
static TRADE_LOCAL: &[&str] = &[
    "渤海",
    "海河",
    "津门",
    "滨海",
    "北方",
    "环渤海",
    "津沽",
    "卫津",
    "津港",
    "泰达",
    "蓟运",
    "津滨",
    "盘山",
    "七里海",
];

/// A trade name (字号) of two characters, or now and then a local one.
pub(crate) fn trade_name(draw: &mut Draw) -> String {
    if draw.chance(80) {
        return draw.one_of(TRADE_LOCAL).to_owned();
    }
    let first = draw.one_of(TRADE_FIRST);
    let mut second = draw.one_of(TRADE_SECOND);
    // 华华 or 盛盛 is not a trade name anyone would register.
    while second == first {
        second = draw.one_of(TRADE_SECOND);
    }
    let mut name = String::with_capacity(first.len() + second.len());
    name.push_str(first);
    name.push_str(second);
    name
}

/// `number` (1–99) in Chinese numerals as used in institution names:
/// 一, 十, 十一, 二十, 四十一.
pub(crate) fn chinese_numeral(number: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let tens = (number / 10) % 10;
    let units = (number % 10) as usize;
    let mut out = String::with_capacity(9);
    match tens {
        0 => {}
        1 => out.push('十'),
        _ => {
            out.push_str(DIGITS[tens as usize]);
            out.push('十');
        }
    }
    if units > 0 || tens == 0 {
        out.push_str(DIGITS[units]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_two_to_four_characters_and_a_known_surname() {
        let mut draw = Draw::new(3);
        for index in 0..2000 {
            let name = full_name(&mut draw, index % 2 == 0, 1940 + index % 70);
            let chars = name.chars().count();
            assert!((2..=4).contains(&chars), "{name}");
            assert!(SURNAMES.iter().any(|(s, _)| name.starts_with(s)), "{name}");
        }
    }

    #[test]
    fn the_commonest_surnames_lead() {
        let mut draw = Draw::new(4);
        let mut wang = 0;
        let mut rare = 0;
        for _ in 0..10_000 {
            let name = full_name(&mut draw, true, 1980);
            if name.starts_with('王') {
                wang += 1;
            }
            if name.starts_with('臧') {
                rare += 1;
            }
        }
        assert!(wang > 500, "{wang}");
        assert!(rare < wang / 10, "{rare}");
    }

    #[test]
    fn chinese_numerals_read_as_in_names() {
        let cases = [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (41, "四十一"),
            (99, "九十九"),
        ];
        for (number, expected) in cases {
            assert_eq!(chinese_numeral(number), expected);
        }
    }

    #[test]
    fn trade_names_have_two_or_three_distinct_characters() {
        let mut draw = Draw::new(5);
        for _ in 0..2000 {
            let name = trade_name(&mut draw);
            let chars: Vec<char> = name.chars().collect();
            assert!((2..=3).contains(&chars.len()), "{name}");
            assert_ne!(chars[0], chars[1], "{name}");
        }
    }
}
