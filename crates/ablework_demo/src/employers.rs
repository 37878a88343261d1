//! Synthetic Tianjin employers under the quota and the figures of their
//! annual quota declarations (DOMAIN.md §3, §4 and §6).
//!
//! Like the persons, every employer is a pure function of the seed and its
//! index: [`employer`] builds the `index`-th employer of a seed on its own,
//! so the first `n` employers never depend on how many follow, and
//! [`declaration_for`] builds one employer's declaration for one data year
//! without looking at any other employer.
//!
//! The employers look like real register entries: valid unified social
//! credit codes (GB 32100-2015) whose registration authority, type and area
//! code agree with the employer, Chinese names of the kind each sort of
//! employer carries (companies, district bureaus, schools, hospitals,
//! associations), and a log-normal spread of staff with a median of about
//! 60 and a tail past 10,000. None of them is a real organisation.
//!
//! ```
//! use ablework_demo::employers::{declaration_for, employer, employers};
//!
//! assert_eq!(employers(2024, 3).count(), 3);
//! let employer = employer(2024, 0);
//! assert_eq!(employer.credit_code.len(), 18);
//! assert_eq!(&employer.credit_code[2..8], employer.district_code);
//! let declaration = declaration_for(2024, 0, &employer, 2023);
//! assert!(declaration.monthly_headcount.iter().all(|&count| count > 0));
//! ```

use ablework_domain::district::{self, District};
use ablework_domain::ident::{CREDIT_CODE_ALPHABET, credit_code_check_char};
use ablework_domain::lang::Lang;
use ablework_domain::levy::EmployerKind;

use crate::draw::{self, Draw, round_clamped};
use crate::names::{chinese_numeral, trade_name};
use crate::places::{self, Street};

// ---- sectors ----------------------------------------------------------------

/// 农林牧渔业.
const AGRICULTURE: &str = "agriculture";
/// 制造业.
const MANUFACTURING: &str = "manufacturing";
/// 电力、热力、燃气及水.
const UTILITIES: &str = "utilities";
/// 建筑业.
const CONSTRUCTION: &str = "construction";
/// 批发和零售业.
const RETAIL: &str = "retail";
/// 交通运输、仓储和邮政业.
const LOGISTICS: &str = "logistics";
/// 住宿和餐饮业.
const HOSPITALITY: &str = "hospitality";
/// 信息传输、软件和信息技术服务业.
const IT: &str = "it";
/// 金融业.
const FINANCE: &str = "finance";
/// 房地产业, including property management.
const REAL_ESTATE: &str = "real_estate";
/// 租赁和商务服务业: staffing, security, consulting, advertising.
const BUSINESS_SERVICES: &str = "business_services";
/// 科学研究和技术服务业.
const RESEARCH: &str = "research";
/// 教育.
const EDUCATION: &str = "education";
/// 医疗卫生.
const HEALTH: &str = "health";
/// 文化、体育和娱乐业.
const CULTURE: &str = "culture";
/// 社会服务: care, welfare and community services, and social
/// organisations.
const SOCIAL_SERVICES: &str = "social_services";
/// 公共管理: government agencies.
const PUBLIC_ADMIN: &str = "public_admin";

/// Every sector code, in the order of the national industry classification
/// (GB/T 4754) as far as it goes.
static SECTORS: [&str; 17] = [
    AGRICULTURE,
    MANUFACTURING,
    UTILITIES,
    CONSTRUCTION,
    RETAIL,
    LOGISTICS,
    HOSPITALITY,
    IT,
    FINANCE,
    REAL_ESTATE,
    BUSINESS_SERVICES,
    RESEARCH,
    EDUCATION,
    HEALTH,
    CULTURE,
    SOCIAL_SERVICES,
    PUBLIC_ADMIN,
];

/// The sector codes an employer's [`SyntheticEmployer::sector`] is drawn
/// from: short, stable snake-case codes such as `manufacturing`, `it` or
/// `public_admin`.
pub fn sectors() -> &'static [&'static str] {
    &SECTORS
}

/// The name of a sector for people, or `None` for a code not in
/// [`sectors`].
///
/// ```
/// use ablework_demo::employers::sector_label;
/// use ablework_domain::lang::Lang;
///
/// assert_eq!(sector_label("hospitality", Lang::Zh), Some("住宿和餐饮业"));
/// assert_eq!(sector_label("hospitality", Lang::En), Some("Accommodation and catering"));
/// assert_eq!(sector_label("mining", Lang::En), None);
/// ```
pub fn sector_label(code: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match code {
        AGRICULTURE => ("农林牧渔业", "Agriculture, forestry and fishing"),
        MANUFACTURING => ("制造业", "Manufacturing"),
        UTILITIES => ("电力、热力、燃气及水", "Electricity, heat, gas and water"),
        CONSTRUCTION => ("建筑业", "Construction"),
        RETAIL => ("批发和零售业", "Wholesale and retail"),
        LOGISTICS => ("交通运输、仓储和邮政业", "Transport, storage and post"),
        HOSPITALITY => ("住宿和餐饮业", "Accommodation and catering"),
        IT => ("信息技术服务业", "Information technology"),
        FINANCE => ("金融业", "Finance"),
        REAL_ESTATE => ("房地产业", "Real estate"),
        BUSINESS_SERVICES => ("租赁和商务服务业", "Leasing and business services"),
        RESEARCH => ("科学研究和技术服务业", "Research and technical services"),
        EDUCATION => ("教育", "Education"),
        HEALTH => ("医疗卫生", "Health care"),
        CULTURE => ("文化、体育和娱乐业", "Culture, sport and entertainment"),
        SOCIAL_SERVICES => ("社会服务", "Social services"),
        PUBLIC_ADMIN => ("公共管理", "Public administration"),
        _ => return None,
    };
    Some(match lang {
        Lang::Zh => zh,
        Lang::En => en,
    })
}

// ---- the employer -----------------------------------------------------------

/// One synthetic employer under the quota.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntheticEmployer {
    /// A valid 18-character unified social credit code (GB 32100-2015),
    /// unique within one generated set. Characters 1–2 are the
    /// registration authority and type (`91` enterprise, `11` agency, `12`
    /// institution, `51` social organisation), characters 3–8 are
    /// [`Self::district_code`], characters 9–17 are an organisation code
    /// with its own GB 11714 check character, and character 18 is the check
    /// character of the whole code.
    pub credit_code: String,
    /// A plausible Chinese name for the kind: `天津鑫达物流有限公司`,
    /// `天津市河西区民政局`, `天津市南开区第四十一中学`,
    /// `天津市和平区书法家协会`. Names may repeat within a set; credit codes
    /// never do.
    pub name: String,
    /// Enterprise (about 86%), public institution (8%), government agency
    /// (4%) or social organisation (2%).
    pub kind: EmployerKind,
    /// Whether the employer is a primary or secondary school or a
    /// kindergarten, which the plan's measure 1 leaves out. Only
    /// institutions are schools (about 40% of them).
    pub is_school: bool,
    /// The staffing quota (编制) of an agency or institution: close to its
    /// staff, sometimes a little above. `None` for enterprises and social
    /// organisations.
    pub staffing_quota: Option<u32>,
    /// In-service staff: log-normal with a median of about 60, at least 3
    /// and at most 60,000.
    pub staff: u32,
    /// GB/T 2260 code of one of the sixteen current districts, weighted
    /// toward the central districts and Binhai New Area for businesses,
    /// by population for institutions and evenly for agencies.
    pub district_code: &'static str,
    /// One of [`sectors`], consistent with the kind and the name:
    /// `public_admin` for agencies, `social_services` for social
    /// organisations, `education` for schools.
    pub sector: &'static str,
}

/// The figures of one employer's quota declaration for one data year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntheticDeclaration {
    /// In-service headcount of each month, January first: around the
    /// employer's staff, drifting a little from month to month, always
    /// positive.
    pub monthly_headcount: [u32; 12],
    /// Seasonal workers as `(count, months)`, months in `1..=12`. Empty for
    /// most employers; farms, building firms and hotels often have some.
    pub seasonal: Vec<(u32, u8)>,
    /// Total wages of the year in whole yuan. The average per head lies
    /// between about 60,000 and 180,000 depending on the sector; a few
    /// employers pay more than twice 120,000, above the levy's wage cap.
    pub total_wages: u64,
    /// How many disabled employees to declare. Counted once each for the
    /// whole year, about 30% of employers meet the 1.5% quota, about 25%
    /// employ some but too few, and the rest none. Agencies and
    /// institutions under the plan's measure 1 employ at least one in
    /// about 85% of cases.
    pub disabled_employees: usize,
}

/// The first `count` employers of `seed`.
pub fn employers(seed: u64, count: usize) -> impl Iterator<Item = SyntheticEmployer> {
    (0..count).map(move |index| employer(seed, index))
}

/// The `index`-th employer of `seed`, the same as the `index`-th item of
/// [`employers`]. Credit codes are unique among the first 2,770,563
/// employers of a seed.
pub fn employer(seed: u64, index: usize) -> SyntheticEmployer {
    let mut draw = Draw::new(draw::item_seed(seed, EMPLOYER_STREAM, index as u64));
    let kind = draw.pick(KINDS);
    let profile = match kind {
        EmployerKind::Enterprise => enterprise(&mut draw),
        EmployerKind::Agency => agency(&mut draw),
        EmployerKind::Institution => institution(&mut draw),
        EmployerKind::SocialOrg => social_org(&mut draw),
    };
    let staffing_quota = matches!(kind, EmployerKind::Agency | EmployerKind::Institution)
        .then(|| staffing_quota(&mut draw, profile.staff));
    let credit_code = credit_code(
        &mut draw,
        kind,
        profile.district.code,
        profile.staff,
        serial(seed, index),
    );
    SyntheticEmployer {
        credit_code,
        name: profile.name,
        kind,
        is_school: profile.is_school,
        staffing_quota,
        staff: profile.staff,
        district_code: profile.district.code,
        sector: profile.sector,
    }
}

/// The stream of the employers themselves.
const EMPLOYER_STREAM: u64 = 0x656d_706c_6f79_6572;

/// The stream of an employer's lasting habits: its wage level and how it
/// treats the quota, the same in every year.
const HABITS_STREAM: u64 = 0x6861_6269_7473_0000;

/// The stream of declarations, mixed with the data year.
const DECLARATION_STREAM: u64 = 0x6465_636c_6172_6500;

/// The kinds, per mille.
static KINDS: &[(EmployerKind, u32)] = &[
    (EmployerKind::Enterprise, 860),
    (EmployerKind::Institution, 80),
    (EmployerKind::Agency, 40),
    (EmployerKind::SocialOrg, 20),
];

/// No employer has fewer in-service staff than this.
const MIN_STAFF: u32 = 3;

/// Nor more than this: the largest employers in Tianjin (a port group, a
/// steel works, a carmaker) have some tens of thousands.
const MAX_STAFF: u32 = 60_000;

/// What the kind-specific builders decide.
struct Profile {
    name: String,
    sector: &'static str,
    staff: u32,
    is_school: bool,
    district: &'static District,
}

/// Staff drawn log-normally around `median`, within the bounds.
fn staff(draw: &mut Draw, median: f64, sigma: f64) -> u32 {
    round_clamped(draw.log_normal(median, sigma), MIN_STAFF, MAX_STAFF)
}

/// A district weighted by where businesses are: Binhai New Area (the port
/// and the development zones) carries about a quarter, the six central
/// districts about two fifths, the outer districts the rest.
fn business_district(draw: &mut Draw) -> &'static District {
    draw.pick_by(district::all(), |district| business_weight(district.code))
}

/// The weight of a district in [`business_district`], per mille.
fn business_weight(code: &str) -> u32 {
    match code {
        "120116" => 260,
        "120103" => 95,
        "120104" => 90,
        "120101" => 75,
        "120102" | "120105" | "120111" => 55,
        "120110" | "120114" => 50,
        "120113" => 45,
        "120112" => 40,
        "120106" => 35,
        "120118" => 30,
        "120115" | "120119" => 25,
        "120117" => 15,
        _ => 0,
    }
}

/// A district weighted by population, where schools and hospitals are.
fn populous_district(draw: &mut Draw) -> &'static District {
    draw.pick_by(district::all(), |district| {
        places::profile(district.code).map_or(0, |profile| profile.population_k)
    })
}

/// A street or town of `district`, if the generator knows any.
fn street_of(draw: &mut Draw, district: &District) -> Option<&'static Street> {
    let streets = places::profile(district.code)?.streets;
    (!streets.is_empty())
        .then(|| &streets[draw.below(u32::try_from(streets.len()).unwrap_or(1)) as usize])
}

/// The district's name without 区 or 新区, as firms put it in their names
/// (`滨海`, `武清`).
fn district_short_name(district: &District) -> &'static str {
    let name = district.name_zh;
    name.strip_suffix("新区")
        .or_else(|| name.strip_suffix('区'))
        .unwrap_or(name)
}

// ---- enterprises ------------------------------------------------------------

/// Sectors of enterprises, per mille: manufacturing and trade lead, as in
/// Tianjin's register of quota-paying firms.
static ENTERPRISE_SECTORS: &[(&str, u32)] = &[
    (MANUFACTURING, 230),
    (RETAIL, 160),
    (BUSINESS_SERVICES, 100),
    (CONSTRUCTION, 90),
    (IT, 80),
    (LOGISTICS, 70),
    (HOSPITALITY, 70),
    (REAL_ESTATE, 45),
    (AGRICULTURE, 30),
    (RESEARCH, 30),
    (FINANCE, 30),
    (HEALTH, 20),
    (CULTURE, 20),
    (UTILITIES, 15),
    (SOCIAL_SERVICES, 10),
];

/// What a firm of the sector calls its business in its name.
fn business_words(sector: &str) -> &'static [&'static str] {
    match sector {
        AGRICULTURE => &["农业科技", "农业发展", "农产品", "种植", "养殖", "水产养殖"],
        MANUFACTURING => &[
            "机械制造",
            "精密机械",
            "汽车零部件",
            "电子",
            "化工",
            "食品",
            "服装",
            "包装材料",
            "金属制品",
            "塑料制品",
            "新材料",
            "电气设备",
            "自行车",
            "钢管",
        ],
        UTILITIES => &["燃气", "热力", "水务", "新能源", "电力"],
        CONSTRUCTION => &[
            "建筑工程",
            "建设工程",
            "市政工程",
            "装饰工程",
            "建筑安装工程",
            "路桥工程",
        ],
        LOGISTICS => &[
            "物流",
            "供应链管理",
            "国际货运代理",
            "运输",
            "仓储服务",
            "港口服务",
        ],
        HOSPITALITY => &["酒店管理", "餐饮管理", "餐饮", "宾馆", "快餐"],
        IT => &[
            "信息技术",
            "软件技术",
            "网络科技",
            "数据科技",
            "智能科技",
            "电子商务",
        ],
        FINANCE => &["融资租赁", "投资管理", "商业保理", "保险代理", "小额贷款"],
        REAL_ESTATE => &["房地产开发", "置业", "物业服务", "物业管理", "房地产经纪"],
        BUSINESS_SERVICES => &[
            "人力资源服务",
            "保安服务",
            "企业管理咨询",
            "广告",
            "劳务服务",
            "会展服务",
        ],
        RESEARCH => &["检测技术", "工程设计", "生物技术", "环保科技", "技术服务"],
        HEALTH => &["医药", "生物医药", "医疗器械", "健康管理", "医院管理"],
        CULTURE => &["文化传媒", "文化传播", "体育发展", "影视", "文化发展"],
        SOCIAL_SERVICES => &["家政服务", "养老服务", "保洁服务", "社区服务"],
        // Retail, and a safe answer for any other sector.
        _ => &["商贸", "商业", "百货", "超市", "贸易", "国际贸易"],
    }
}

/// An enterprise: a company named `天津<字号><行业><组织形式>` or one of its
/// common variants.
fn enterprise(draw: &mut Draw) -> Profile {
    let district = business_district(draw);
    let sector = draw.pick(ENTERPRISE_SECTORS);
    // Median 55 for enterprises; with the other kinds the overall median is
    // about 60. A shape of 1.45 puts one or two enterprises in 10,000 past
    // 10,000 staff.
    let staff = staff(draw, 55.0, 1.45);
    let trade = trade_name(draw);
    let business = draw.one_of(business_words(sector));
    // Large firms are more often groups or joint-stock companies.
    let legal_form = if staff >= 1_000 {
        draw.pick(&[("有限公司", 4), ("集团有限公司", 3), ("股份有限公司", 3)])
    } else {
        draw.pick(&[("有限公司", 85), ("有限责任公司", 10), ("股份有限公司", 5)])
    };
    let short = district_short_name(district);
    // Most names take the plain form 天津<字号><行业><组织形式>; the rest
    // put 天津市, the district or （天津） in, except where that would read
    // oddly: 天津滨海滨海… for a trade name that already is the district's,
    // or （天津） after a trade name with 津 in it.
    let name = match draw.below(100) {
        60..78 => format!("天津市{trade}{business}{legal_form}"),
        78..90 if !trade.starts_with(short) => {
            format!("天津{short}{trade}{business}{legal_form}")
        }
        90.. if !trade.contains('津') => format!("{trade}（天津）{business}{legal_form}"),
        _ => format!("天津{trade}{business}{legal_form}"),
    };
    Profile {
        name,
        sector,
        staff,
        is_school: false,
        district,
    }
}

// ---- agencies ---------------------------------------------------------------

/// Bureaus and other agencies of a district government.
static BUREAUS: &[&str] = &[
    "人民政府办公室",
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "生态环境局",
    "住房和城乡建设委员会",
    "城市管理委员会",
    "水务局",
    "农业农村委员会",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "人民法院",
    "人民检察院",
];

/// A government agency of a district: a bureau (`天津市河西区民政局`), or the
/// office of a subdistrict or the government of a town.
fn agency(draw: &mut Draw) -> Profile {
    // Every district has the same set of bureaus, so agencies spread evenly.
    let district = draw.pick_by(district::all(), |_| 1);
    let district_name = district.name_zh;
    let street = if draw.chance(300) {
        street_of(draw, district)
    } else {
        None
    };
    let name = match street {
        Some(street) if street.town => format!("天津市{district_name}{}人民政府", street.name),
        Some(street) => format!("天津市{district_name}人民政府{}办事处", street.name),
        None => format!("天津市{district_name}{}", draw.one_of(BUREAUS)),
    };
    Profile {
        name,
        sector: PUBLIC_ADMIN,
        staff: staff(draw, 65.0, 0.6),
        is_school: false,
        district,
    }
}

// ---- institutions -----------------------------------------------------------

/// The sorts of public institution, per mille of institutions.
#[derive(Clone, Copy)]
enum InstitutionSort {
    PrimarySchool,
    SecondarySchool,
    Kindergarten,
    Hospital,
    Research,
    Culture,
    Welfare,
}

/// Schools are 40% of institutions, as the plan's exemption for them
/// matters; hospitals and clinics a quarter.
static INSTITUTION_SORTS: &[(InstitutionSort, u32)] = &[
    (InstitutionSort::PrimarySchool, 160),
    (InstitutionSort::SecondarySchool, 140),
    (InstitutionSort::Kindergarten, 100),
    (InstitutionSort::Hospital, 250),
    (InstitutionSort::Research, 100),
    (InstitutionSort::Culture, 120),
    (InstitutionSort::Welfare, 130),
];

/// City research institutes (`天津市…`).
static RESEARCH_INSTITUTES: &[&str] = &[
    "农业科学研究院",
    "水产研究所",
    "环境保护科学研究院",
    "建筑设计研究院",
    "市政工程设计研究院",
    "化工研究院",
    "轻工业研究所",
    "计量监督检测科学研究院",
    "气象科学研究所",
    "地质调查研究院",
    "教育科学研究院",
    "医学科学技术信息研究所",
];

/// District research and extension centres (`天津市<区>…`).
static DISTRICT_RESEARCH: &[&str] = &["农业技术推广中心", "科技创新服务中心", "畜牧兽医技术中心"];

/// District cultural institutions.
static CULTURE_INSTITUTIONS: &[&str] = &[
    "图书馆",
    "文化馆",
    "融媒体中心",
    "青少年活动中心",
    "体育中心",
    "档案馆",
    "博物馆",
];

/// District welfare institutions.
static WELFARE_INSTITUTIONS: &[&str] = &[
    "社会福利院",
    "救助管理站",
    "残疾人康复服务中心",
    "残疾人就业服务中心",
    "就业服务中心",
    "老年公寓",
    "殡仪馆",
];

/// A public institution: a school or kindergarten, a hospital or clinic, a
/// research institute, a cultural or a welfare institution.
fn institution(draw: &mut Draw) -> Profile {
    let district = populous_district(draw);
    let sort = draw.pick(INSTITUTION_SORTS);
    let prefix = format!("天津市{}", district.name_zh);
    let (name, sector, staff) = match sort {
        InstitutionSort::PrimarySchool => {
            let name = match street_of(draw, district) {
                Some(street) if street.town && draw.chance(500) => {
                    format!("{prefix}{}中心小学", street.stem())
                }
                Some(street) if draw.chance(650) => format!("{prefix}{}小学", street.stem()),
                _ if draw.chance(150) => format!("{prefix}实验小学"),
                _ => format!("{prefix}第{}小学", chinese_numeral(1 + draw.below(40))),
            };
            (name, EDUCATION, staff(draw, 90.0, 0.45))
        }
        InstitutionSort::SecondarySchool => {
            let name = match street_of(draw, district) {
                Some(street) if draw.chance(250) => format!("{prefix}{}中学", street.stem()),
                _ if draw.chance(100) => format!("{prefix}实验中学"),
                _ => format!("{prefix}第{}中学", chinese_numeral(1 + draw.below(100))),
            };
            (name, EDUCATION, staff(draw, 130.0, 0.45))
        }
        InstitutionSort::Kindergarten => {
            let name = match street_of(draw, district) {
                Some(street) if street.town && draw.chance(600) => {
                    format!("{prefix}{}中心幼儿园", street.stem())
                }
                Some(street) if draw.chance(450) => format!("{prefix}{}幼儿园", street.stem()),
                _ if draw.chance(150) => format!("{prefix}实验幼儿园"),
                _ => format!("{prefix}第{}幼儿园", chinese_numeral(1 + draw.below(30))),
            };
            (name, EDUCATION, staff(draw, 40.0, 0.4))
        }
        InstitutionSort::Hospital => hospital(draw, district, &prefix),
        InstitutionSort::Research => {
            let name = if draw.chance(600) {
                format!("天津市{}", draw.one_of(RESEARCH_INSTITUTES))
            } else {
                format!("{prefix}{}", draw.one_of(DISTRICT_RESEARCH))
            };
            (name, RESEARCH, staff(draw, 90.0, 0.7))
        }
        InstitutionSort::Culture => {
            let name = format!("{prefix}{}", draw.one_of(CULTURE_INSTITUTIONS));
            (name, CULTURE, staff(draw, 40.0, 0.5))
        }
        InstitutionSort::Welfare => {
            let name = format!("{prefix}{}", draw.one_of(WELFARE_INSTITUTIONS));
            (name, SOCIAL_SERVICES, staff(draw, 45.0, 0.5))
        }
    };
    Profile {
        name,
        sector,
        staff,
        is_school: matches!(
            sort,
            InstitutionSort::PrimarySchool
                | InstitutionSort::SecondarySchool
                | InstitutionSort::Kindergarten
        ),
        district,
    }
}

/// A hospital, clinic or public-health centre, with staff to match: a
/// district hospital has hundreds, a community health centre dozens, a
/// city central hospital thousands.
fn hospital(draw: &mut Draw, district: &District, prefix: &str) -> (String, &'static str, u32) {
    let (name, median, sigma) = match draw.below(100) {
        0..15 => (format!("{prefix}人民医院"), 900.0, 0.6),
        15..25 => (format!("{prefix}中医医院"), 400.0, 0.5),
        25..32 => (format!("{prefix}妇幼保健计划生育服务中心"), 150.0, 0.4),
        32..40 => (format!("{prefix}疾病预防控制中心"), 120.0, 0.4),
        40..45 => (
            format!("天津市第{}中心医院", chinese_numeral(1 + draw.below(5))),
            2_500.0,
            0.5,
        ),
        45..50 => (format!("{prefix}口腔医院"), 150.0, 0.5),
        50..55 => (format!("{prefix}精神卫生中心"), 200.0, 0.5),
        _ => match street_of(draw, district) {
            Some(street) if street.town => (format!("{prefix}{}卫生院", street.stem()), 60.0, 0.5),
            Some(street) => (
                format!("{prefix}{}街社区卫生服务中心", street.stem()),
                80.0,
                0.5,
            ),
            None => (format!("{prefix}人民医院"), 900.0, 0.6),
        },
    };
    (name, HEALTH, staff(draw, median, sigma))
}

// ---- social organisations ---------------------------------------------------

/// Trades and interests that associations (协会) form around.
static ASSOCIATION_TOPICS: &[&str] = &[
    "个体劳动者",
    "餐饮行业",
    "物流行业",
    "软件行业",
    "建筑业",
    "家庭服务业",
    "老年人体育",
    "书法家",
    "摄影家",
    "志愿服务",
    "养老服务",
    "盲人按摩",
    "企业家",
    "物业管理",
    "烹饪",
    "青年企业家",
    "残疾人体育",
    "民营企业",
];

/// Provinces and cities whose business people in Tianjin have a chamber of
/// commerce (商会).
static CHAMBER_ORIGINS: &[&str] = &[
    "浙江", "福建", "温州", "河北", "山东", "江苏", "河南", "湖南", "四川", "广东", "山西", "安徽",
];

/// Learned societies (学会).
static SOCIETY_TOPICS: &[&str] = &["心理卫生", "营养", "康复医学", "教育", "地方志", "老年学"];

/// A social organisation: an association, chamber of commerce or learned
/// society, mostly small.
fn social_org(draw: &mut Draw) -> Profile {
    let district = business_district(draw);
    let name = match draw.below(100) {
        0..55 => format!(
            "天津市{}{}协会",
            district.name_zh,
            draw.one_of(ASSOCIATION_TOPICS)
        ),
        55..80 => format!("天津市{}协会", draw.one_of(ASSOCIATION_TOPICS)),
        80..90 => format!("天津市{}商会", draw.one_of(CHAMBER_ORIGINS)),
        _ => format!("天津市{}学会", draw.one_of(SOCIETY_TOPICS)),
    };
    Profile {
        name,
        sector: SOCIAL_SERVICES,
        staff: staff(draw, 8.0, 0.8),
        is_school: false,
        district,
    }
}

/// A staffing quota near `staff`: mostly within 3% of it, a quarter of the
/// time some posts unfilled (up to 15% above staff), now and then fewer
/// posts than people (contract staff on top of the establishment).
fn staffing_quota(draw: &mut Draw, staff: u32) -> u32 {
    let factor = match draw.below(100) {
        0..70 => 0.97 + 0.06 * draw.unit(),
        70..95 => 1.03 + 0.12 * draw.unit(),
        _ => 0.90 + 0.07 * draw.unit(),
    };
    round_clamped(f64::from(staff) * factor, 1, u32::MAX)
}

// ---- credit codes -----------------------------------------------------------

/// The number of distinct serials: every body format below can write each
/// of them, so serials (and hence codes) are unique up to this many
/// employers per seed. It is 3 × 31⁴, so that new-style enterprise codes
/// run `MA05…` to `MA07…` as Tianjin's do.
const SERIAL_SPACE: u32 = 3 * 31 * 31 * 31 * 31;

/// Bits of the Feistel network that permutes serials: the smallest even
/// number of bits whose range covers [`SERIAL_SPACE`].
const SERIAL_BITS: u32 = 22;

/// The serial of employer `index`: a pseudo-random permutation of
/// `0..SERIAL_SPACE` keyed by the seed, so consecutive employers get
/// unrelated codes and no two of the first [`SERIAL_SPACE`] share one.
///
/// A four-round Feistel network permutes `0..2^22`; walking the cycle until
/// the value falls inside the space (about 1.5 steps on average) restricts
/// that permutation to a permutation of the space.
fn serial(seed: u64, index: usize) -> u32 {
    let start = u32::try_from(index % SERIAL_SPACE as usize).unwrap_or(0);
    let mut value = start;
    loop {
        value = feistel(seed, value);
        if value < SERIAL_SPACE {
            return value;
        }
    }
}

/// One pass of the keyed Feistel permutation of `0..2^SERIAL_BITS`.
fn feistel(seed: u64, value: u32) -> u32 {
    const HALF: u32 = SERIAL_BITS / 2;
    const MASK: u32 = (1 << HALF) - 1;
    let mut left = value >> HALF;
    let mut right = value & MASK;
    for round in 0..4_u64 {
        let key = draw::mix64(seed ^ SERIAL_STREAM ^ (round << 32) ^ u64::from(right));
        #[expect(
            clippy::cast_possible_truncation,
            reason = "the mask keeps the low 11 bits, which always fit"
        )]
        let mixed = (key as u32) & MASK;
        (left, right) = (right, left ^ mixed);
    }
    (left << HALF) | right
}

/// The key stream of the serial permutation.
const SERIAL_STREAM: u64 = 0x7365_7269_616c_0000;

/// The full credit code: registration authority and type for the kind, the
/// district, an organisation code built on `serial`, and the check
/// character.
fn credit_code(
    draw: &mut Draw,
    kind: EmployerKind,
    district_code: &str,
    staff: u32,
    serial: u32,
) -> String {
    // Registration authority (9 market regulation, 1 establishment
    // offices, 5 civil affairs) and type within it.
    let (authority, sort) = match kind {
        EmployerKind::Enterprise => ('9', '1'),
        EmployerKind::Agency => ('1', '1'),
        EmployerKind::Institution => ('1', '2'),
        EmployerKind::SocialOrg => ('5', '1'),
    };
    // Organisations registered since the 2015 reform carry a new-style
    // code (`MA…` for firms, `MB…` for institutions, `MJ…` for social
    // organisations); older ones keep their old numeric organisation code.
    // Older firms are more often large; agencies all predate the reform.
    let body = match kind {
        EmployerKind::Enterprise => {
            let legacy_per_mille = if staff >= 300 { 600 } else { 200 };
            if draw.chance(legacy_per_mille) {
                legacy_body(draw.one_of(&['1', '2', '6', '7']), serial)
            } else {
                new_style_body("MA0", 5, serial)
            }
        }
        EmployerKind::Agency => legacy_body('0', serial),
        EmployerKind::Institution => {
            if draw.chance(700) {
                legacy_body('4', serial)
            } else {
                new_style_body("MB1", 0, serial)
            }
        }
        EmployerKind::SocialOrg => {
            if draw.chance(500) {
                legacy_body('5', serial)
            } else {
                new_style_body("MJ0", 0, serial)
            }
        }
    };
    let mut code = String::with_capacity(18);
    code.push(authority);
    code.push(sort);
    code.push_str(district_code);
    code.push_str(&body);
    code.push(organization_check_char(&body));
    #[expect(
        clippy::expect_used,
        reason = "the first 17 characters are built from the code's alphabet only, which always have a check character"
    )]
    let check = credit_code_check_char(&code).expect("17 characters of the code alphabet");
    code.push(check);
    code
}

/// An old numeric organisation code body: a leading digit and the serial in
/// seven digits (the serial space is below 10⁷).
fn legacy_body(leading: char, serial: u32) -> String {
    format!("{leading}{serial:07}")
}

/// A new-style body: a three-character prefix and five characters of the
/// credit code alphabet writing `offset × 31⁴ + serial` in base 31.
fn new_style_body(prefix: &str, offset: u32, serial: u32) -> String {
    let alphabet = CREDIT_CODE_ALPHABET.as_bytes();
    let mut value = offset * 31 * 31 * 31 * 31 + serial;
    let mut digits = [b'0'; 5];
    for digit in digits.iter_mut().rev() {
        *digit = alphabet[(value % 31) as usize];
        value /= 31;
    }
    let mut body = String::with_capacity(8);
    body.push_str(prefix);
    body.extend(digits.iter().map(|&byte| char::from(byte)));
    body
}

/// The check character of an eight-character organisation code body
/// (GB 11714-1997): weights 3 7 9 10 5 8 4 2 on the base-36 values,
/// `11 − (Σ mod 11)`, with 10 written `X` and 11 written `0`.
fn organization_check_char(body: &str) -> char {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, weight)| c.to_digit(36).unwrap_or(0) * weight)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        digit => char::from_digit(digit, 10).unwrap_or('0'),
    }
}

// ---- declarations -----------------------------------------------------------

/// The quota rate the compliance mix aims at, per mille: Tianjin's 1.5%
/// (the default policy preset; a test keeps the two in step). The demo
/// only aims at it; assessments read the rate from the preset.
const QUOTA_PER_MILLE: u64 = 15;

/// Agencies with a staffing quota of at least this must employ at least one
/// disabled person (the plan's measure 1, as in the default preset).
const AGENCY_MIN_STAFFING: u32 = 50;

/// Institutions other than schools with a staffing quota of at least this
/// must employ at least one (measure 1, as in the default preset).
const INSTITUTION_MIN_STAFFING: u32 = 67;

/// Per mille of employers whose quota is a single person (fewer than 67
/// staff) that employ one disabled person; the rest employ none.
const SMALL_MEET: u32 = 265;

/// Per mille of larger employers that meet the quota, and that employ some
/// disabled people but too few. With the small ones this gives about 30%
/// meeting, 25% short and 45% with none.
const LARGE_MEET: u32 = 345;
/// See [`LARGE_MEET`].
const LARGE_SHORT: u32 = 540;

/// Per mille of agencies and institutions under measure 1 that meet the
/// quota, and that employ at least one but fall short; the other 15% break
/// the rule.
const MEASURE_ONE_MEET: u32 = 425;
/// See [`MEASURE_ONE_MEET`].
const MEASURE_ONE_SHORT: u32 = 425;

/// Average wage per head in 2023, in yuan, by sector: from about 60,000 in
/// farming and catering to 180,000 in finance.
fn average_wage_2023(sector: &str) -> f64 {
    match sector {
        AGRICULTURE => 60_000.0,
        HOSPITALITY => 62_000.0,
        SOCIAL_SERVICES => 68_000.0,
        RETAIL => 72_000.0,
        BUSINESS_SERVICES => 75_000.0,
        CONSTRUCTION => 82_000.0,
        MANUFACTURING => 88_000.0,
        LOGISTICS => 92_000.0,
        REAL_ESTATE => 100_000.0,
        CULTURE => 105_000.0,
        EDUCATION => 125_000.0,
        PUBLIC_ADMIN => 130_000.0,
        HEALTH => 135_000.0,
        UTILITIES => 140_000.0,
        RESEARCH => 150_000.0,
        IT => 165_000.0,
        FINANCE => 180_000.0,
        _ => 90_000.0,
    }
}

/// Per mille of employers whose seasonal workers are declared in a year.
fn seasonal_per_mille(sector: &str) -> u32 {
    match sector {
        AGRICULTURE => 600,
        CONSTRUCTION => 300,
        HOSPITALITY => 250,
        RETAIL | LOGISTICS => 40,
        _ => 0,
    }
}

/// Whether the plan's measure 1 requires this employer to employ at least
/// one disabled person.
fn under_measure_one(employer: &SyntheticEmployer) -> bool {
    let staffing = employer.staffing_quota.unwrap_or(0);
    match employer.kind {
        EmployerKind::Agency => staffing >= AGENCY_MIN_STAFFING,
        EmployerKind::Institution => !employer.is_school && staffing >= INSTITUTION_MIN_STAFFING,
        EmployerKind::Enterprise | EmployerKind::SocialOrg => false,
    }
}

/// The quota in whole people for `person_months` of in-service staff
/// (monthly headcounts plus seasonal count × months): `N × rate` rounded
/// up, at least one for any staff at all.
fn quota_in_people(person_months: u64) -> u64 {
    (person_months * QUOTA_PER_MILLE).div_ceil(12 * 1000)
}

/// The declaration of employer `index` of `seed` for `data_year`.
///
/// Deterministic in its arguments and independent of every other employer.
/// The employer's wage level and its way with the quota (meets it, falls
/// short, ignores it) are its own and the same in every year; the monthly
/// headcounts, seasonal workers and the exact figures change from year to
/// year. Wages grow by about 5% a year from their 2023 level.
pub fn declaration_for(
    seed: u64,
    index: usize,
    employer: &SyntheticEmployer,
    data_year: i32,
) -> SyntheticDeclaration {
    let mut habits = Draw::new(draw::item_seed(seed, HABITS_STREAM, index as u64));
    let mut wage_factor = habits.log_normal(1.0, 0.22);
    // A few firms (foreign-invested, headquarters) pay far above their
    // sector, so that the levy's wage cap has something to cap.
    if employer.kind == EmployerKind::Enterprise && habits.chance(15) {
        wage_factor *= 2.0;
    }
    let compliance_ticket = habits.below(1000);
    let shortfall_share = habits.unit();
    let extra = habits.pick(&[(0_u64, 80), (1, 15), (2, 5)]);

    let year_stream = DECLARATION_STREAM ^ draw::mix64(u64::from(data_year.cast_unsigned()));
    let mut year = Draw::new(draw::item_seed(seed, year_stream, index as u64));

    // Headcount: the year starts near the employer's staff and moves along
    // a gentle trend, with a little noise each month.
    let staff = f64::from(employer.staff);
    let level = 1.0 + 0.02 * year.normal();
    let trend = (0.04 * year.normal()).clamp(-0.2, 0.2);
    let mut monthly_headcount = [0_u32; 12];
    for (headcount, month) in monthly_headcount.iter_mut().zip(0_u32..) {
        let position = (f64::from(month) - 5.5) / 12.0;
        let noise = 1.0 + 0.008 * year.normal();
        *headcount = round_clamped(
            staff * level * (1.0 + trend * position) * noise,
            1,
            u32::MAX,
        );
    }

    let mut seasonal = Vec::new();
    if employer.kind == EmployerKind::Enterprise && year.chance(seasonal_per_mille(employer.sector))
    {
        let entries = if year.chance(250) { 2 } else { 1 };
        for _ in 0..entries {
            let count = round_clamped(staff * (0.05 + 0.35 * year.unit()), 1, u32::MAX);
            let months = u8::try_from(2 + year.below(5)).unwrap_or(2);
            seasonal.push((count, months));
        }
    }

    let regular_months: u64 = monthly_headcount.iter().copied().map(u64::from).sum();
    let seasonal_months: u64 = seasonal
        .iter()
        .map(|&(count, months)| u64::from(count) * u64::from(months))
        .sum();

    // Wages: the sector's level, the employer's own factor, growth by year
    // and a little noise. Seasonal workers earn 55% of the regular wage.
    let growth = (1.0 + 0.05 * (f64::from(data_year) - 2023.0)).clamp(0.5, 2.0);
    let noise = 1.0 + 0.03 * year.normal();
    let per_head = u64::from(round_clamped(
        average_wage_2023(employer.sector) * wage_factor * growth * noise,
        1_000,
        u32::MAX,
    ));
    let total_wages =
        (per_head * regular_months + per_head * 55 / 100 * seasonal_months).div_ceil(12);

    let quota = quota_in_people(regular_months + seasonal_months);
    let (meet, short) = if under_measure_one(employer) {
        (MEASURE_ONE_MEET, MEASURE_ONE_SHORT)
    } else if quota <= 1 {
        (SMALL_MEET, 0)
    } else {
        (LARGE_MEET, LARGE_SHORT)
    };
    let disabled = if compliance_ticket < meet || (compliance_ticket < meet + short && quota <= 1) {
        // Now and then an employer has a person or two more than it needs,
        // but a very small one rarely has more than one.
        quota + if employer.staff >= 20 { extra } else { 0 }
    } else if compliance_ticket < meet + short {
        // Between one and one short of the quota, at the same point of that
        // range every year.
        let room = quota - 1;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "the product lies in 0..room, far below u64::MAX"
        )]
        let below = (shortfall_share * room as f64) as u64;
        1 + below.min(room - 1)
    } else {
        0
    };
    let fewest = monthly_headcount.iter().copied().min().unwrap_or(1);
    let disabled = disabled.min(u64::from(fewest));

    SyntheticDeclaration {
        monthly_headcount,
        seasonal,
        total_wages,
        disabled_employees: usize::try_from(disabled).unwrap_or(usize::MAX),
    }
}

#[cfg(test)]
mod tests;
