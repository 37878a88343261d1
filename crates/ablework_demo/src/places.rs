//! Tianjin's sixteen districts as the generator sees them: how many people
//! live there, how rural they are, which area codes their older residents'
//! ID numbers carry, and the names of some of their streets and towns.

/// A 街道 (urban subdistrict) or a 镇 (town) of a district.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Street {
    /// The official name, e.g. `劝业场街道`.
    pub(crate) name: &'static str,
    /// True for a town (镇), where rural households mostly live.
    pub(crate) town: bool,
    /// The code of the former district this street belonged to, where the
    /// district was formed by merging several (only 滨海新区), so that an
    /// older resident's ID agrees with the street they live on.
    pub(crate) legacy_code: Option<&'static str>,
}

impl Street {
    /// The name without 街道 for a subdistrict (`劝业场街道` gives
    /// `劝业场`), the full name for a town (`杨柳青镇`): the form that
    /// schools and clinics named after the place use.
    pub(crate) fn stem(&self) -> &'static str {
        self.name.strip_suffix("街道").unwrap_or(self.name)
    }
}

/// Area codes a district's residents may carry from before the district
/// took its present form (GB/T 2260 revisions).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Legacy {
    /// The former codes and their relative weights.
    pub(crate) codes: &'static [(&'static str, u32)],
    /// People born before this year were registered while a former code
    /// was in force.
    pub(crate) born_before: i32,
}

/// What the generator knows of one district.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DistrictProfile {
    /// The current GB/T 2260 code.
    pub(crate) code: &'static str,
    /// Resident population in thousands (2020 census), the weight with
    /// which people are drawn into the district.
    pub(crate) population_k: u32,
    /// Share of residents with a rural household registration, per mille.
    pub(crate) rural_per_mille: u32,
    /// Former area codes, if the district was renamed or merged.
    pub(crate) legacy: Option<Legacy>,
    /// Some of the district's streets and towns.
    pub(crate) streets: &'static [Street],
}

/// An urban subdistrict.
const fn sub(name: &'static str) -> Street {
    Street {
        name,
        town: false,
        legacy_code: None,
    }
}

/// A town.
const fn town(name: &'static str) -> Street {
    Street {
        name,
        town: true,
        legacy_code: None,
    }
}

/// A street of 滨海新区 with the code of the former district it lay in.
const fn binhai(name: &'static str, is_town: bool, legacy_code: &'static str) -> Street {
    Street {
        name,
        town: is_town,
        legacy_code: Some(legacy_code),
    }
}

/// Rural share of the six central districts: almost everyone there holds an
/// urban registration.
const CENTRAL_RURAL: u32 = 30;

/// The sixteen districts. Rural shares are chosen so that the
/// population-weighted mean is about 42% rural (58% urban, DOMAIN.md §6):
/// rare in the centre, common in the near suburbs, dominant in the five
/// outer agricultural districts.
pub(crate) static DISTRICTS: [DistrictProfile; 16] = [
    DistrictProfile {
        // 和平区.
        code: "120101",
        population_k: 355,
        rural_per_mille: CENTRAL_RURAL,
        legacy: None,
        streets: &[
            sub("劝业场街道"),
            sub("小白楼街道"),
            sub("五大道街道"),
            sub("新兴街道"),
            sub("南营门街道"),
            sub("南市街道"),
        ],
    },
    DistrictProfile {
        // 河东区.
        code: "120102",
        population_k: 859,
        rural_per_mille: CENTRAL_RURAL,
        legacy: None,
        streets: &[
            sub("大王庄街道"),
            sub("大直沽街道"),
            sub("中山门街道"),
            sub("富民路街道"),
            sub("二号桥街道"),
            sub("春华街道"),
            sub("唐家口街道"),
            sub("向阳楼街道"),
            sub("常州道街道"),
            sub("鲁山道街道"),
        ],
    },
    DistrictProfile {
        // 河西区.
        code: "120103",
        population_k: 822,
        rural_per_mille: CENTRAL_RURAL,
        legacy: None,
        streets: &[
            sub("大营门街道"),
            sub("下瓦房街道"),
            sub("桃园街道"),
            sub("挂甲寺街道"),
            sub("马场街道"),
            sub("越秀路街道"),
            sub("友谊路街道"),
            sub("天塔街道"),
            sub("尖山街道"),
            sub("梅江街道"),
        ],
    },
    DistrictProfile {
        // 南开区.
        code: "120104",
        population_k: 890,
        rural_per_mille: CENTRAL_RURAL,
        legacy: None,
        streets: &[
            sub("长虹街道"),
            sub("鼓楼街道"),
            sub("兴南街道"),
            sub("广开街道"),
            sub("万兴街道"),
            sub("学府街道"),
            sub("向阳路街道"),
            sub("嘉陵道街道"),
            sub("王顶堤街道"),
            sub("华苑街道"),
        ],
    },
    DistrictProfile {
        // 河北区.
        code: "120105",
        population_k: 648,
        rural_per_mille: CENTRAL_RURAL,
        legacy: None,
        streets: &[
            sub("光复道街道"),
            sub("望海楼街道"),
            sub("鸿顺里街道"),
            sub("新开河街道"),
            sub("铁东路街道"),
            sub("建昌道街道"),
            sub("宁园街道"),
            sub("王串场街道"),
            sub("江都路街道"),
            sub("月牙河街道"),
        ],
    },
    DistrictProfile {
        // 红桥区.
        code: "120106",
        population_k: 483,
        rural_per_mille: CENTRAL_RURAL,
        legacy: None,
        streets: &[
            sub("西于庄街道"),
            sub("咸阳北路街道"),
            sub("丁字沽街道"),
            sub("西沽街道"),
            sub("三条石街道"),
            sub("邵公庄街道"),
            sub("芥园道街道"),
            sub("铃铛阁街道"),
            sub("大胡同街道"),
        ],
    },
    DistrictProfile {
        // 东丽区.
        code: "120110",
        population_k: 857,
        rural_per_mille: 400,
        legacy: None,
        streets: &[
            sub("张贵庄街道"),
            sub("丰年村街道"),
            sub("万新街道"),
            sub("无瑕街道"),
            sub("新立街道"),
            sub("华明街道"),
            sub("金钟街道"),
            sub("军粮城街道"),
            sub("东丽湖街道"),
        ],
    },
    DistrictProfile {
        // 西青区.
        code: "120111",
        population_k: 1195,
        rural_per_mille: 450,
        legacy: None,
        streets: &[
            sub("西营门街道"),
            sub("李七庄街道"),
            sub("赤龙南街道"),
            town("杨柳青镇"),
            town("大寺镇"),
            town("中北镇"),
            town("精武镇"),
            town("辛口镇"),
            town("张家窝镇"),
            town("王稳庄镇"),
        ],
    },
    DistrictProfile {
        // 津南区.
        code: "120112",
        population_k: 928,
        rural_per_mille: 520,
        legacy: None,
        streets: &[
            town("咸水沽镇"),
            town("葛沽镇"),
            town("小站镇"),
            town("双港镇"),
            town("辛庄镇"),
            town("双桥河镇"),
            town("八里台镇"),
            town("北闸口镇"),
        ],
    },
    DistrictProfile {
        // 北辰区.
        code: "120113",
        population_k: 909,
        rural_per_mille: 450,
        legacy: None,
        streets: &[
            sub("果园新村街道"),
            sub("集贤里街道"),
            sub("普东街道"),
            sub("瑞景街道"),
            town("天穆镇"),
            town("北仓镇"),
            town("双街镇"),
            town("青光镇"),
            town("宜兴埠镇"),
            town("大张庄镇"),
        ],
    },
    DistrictProfile {
        // 武清区.
        code: "120114",
        population_k: 1151,
        rural_per_mille: 800,
        legacy: Some(Legacy {
            codes: &[("120222", 1)],
            born_before: 2000,
        }),
        streets: &[
            sub("杨村街道"),
            sub("下朱庄街道"),
            sub("东蒲洼街道"),
            sub("徐官屯街道"),
            town("崔黄口镇"),
            town("大良镇"),
            town("南蔡村镇"),
            town("河西务镇"),
            town("王庆坨镇"),
            town("梅厂镇"),
        ],
    },
    DistrictProfile {
        // 宝坻区.
        code: "120115",
        population_k: 722,
        rural_per_mille: 880,
        legacy: Some(Legacy {
            codes: &[("120224", 1)],
            born_before: 2001,
        }),
        streets: &[
            sub("宝平街道"),
            sub("钰华街道"),
            sub("海滨街道"),
            town("大口屯镇"),
            town("林亭口镇"),
            town("八门城镇"),
            town("大钟庄镇"),
            town("新开口镇"),
            town("方家庄镇"),
            town("牛道口镇"),
        ],
    },
    DistrictProfile {
        // 滨海新区.
        code: "120116",
        population_k: 2067,
        rural_per_mille: 320,
        legacy: Some(Legacy {
            // 塘沽区, 汉沽区 and 大港区, merged in 2009, weighted by their
            // former populations.
            codes: &[("120107", 55), ("120108", 15), ("120109", 30)],
            born_before: 2010,
        }),
        streets: &[
            binhai("塘沽街道", false, "120107"),
            binhai("新港街道", false, "120107"),
            binhai("杭州道街道", false, "120107"),
            binhai("胡家园街道", false, "120107"),
            binhai("新城镇", true, "120107"),
            binhai("汉沽街道", false, "120108"),
            binhai("寨上街道", false, "120108"),
            binhai("大港街道", false, "120109"),
            binhai("古林街道", false, "120109"),
            binhai("中塘镇", true, "120109"),
        ],
    },
    DistrictProfile {
        // 宁河区.
        code: "120117",
        population_k: 395,
        rural_per_mille: 850,
        legacy: Some(Legacy {
            codes: &[("120221", 1)],
            born_before: 2015,
        }),
        streets: &[
            sub("芦台街道"),
            sub("桥北街道"),
            town("宁河镇"),
            town("苗庄镇"),
            town("丰台镇"),
            town("岳龙镇"),
            town("板桥镇"),
            town("潘庄镇"),
            town("七里海镇"),
            town("东棘坨镇"),
        ],
    },
    DistrictProfile {
        // 静海区.
        code: "120118",
        population_k: 787,
        rural_per_mille: 820,
        legacy: Some(Legacy {
            codes: &[("120223", 1)],
            born_before: 2015,
        }),
        streets: &[
            sub("华康街道"),
            sub("朝阳街道"),
            town("静海镇"),
            town("唐官屯镇"),
            town("独流镇"),
            town("王口镇"),
            town("台头镇"),
            town("子牙镇"),
            town("大邱庄镇"),
            town("团泊镇"),
        ],
    },
    DistrictProfile {
        // 蓟州区.
        code: "120119",
        population_k: 796,
        rural_per_mille: 900,
        legacy: Some(Legacy {
            codes: &[("120225", 1)],
            born_before: 2016,
        }),
        streets: &[
            sub("文昌街道"),
            town("渔阳镇"),
            town("洇溜镇"),
            town("官庄镇"),
            town("马伸桥镇"),
            town("下营镇"),
            town("邦均镇"),
            town("别山镇"),
            town("上仓镇"),
            town("白涧镇"),
        ],
    },
];

/// What the generator knows of the district with this current code.
pub(crate) fn profile(code: &str) -> Option<&'static DistrictProfile> {
    DISTRICTS.iter().find(|district| district.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_covers_exactly_the_domains_districts() {
        let domain = ablework_domain::district::all();
        assert_eq!(domain.len(), DISTRICTS.len());
        for district in domain {
            assert!(profile(district.code).is_some(), "{}", district.name_zh);
        }
    }

    #[test]
    fn former_codes_are_the_domains_former_codes_of_the_district() {
        for district in &DISTRICTS {
            for &(code, _) in district.legacy.map(|l| l.codes).unwrap_or_default() {
                let current = ablework_domain::district::current_for(code);
                assert_eq!(current.map(|d| d.code), Some(district.code), "{code}");
            }
        }
    }

    #[test]
    fn every_district_has_five_to_ten_distinct_streets() {
        for district in &DISTRICTS {
            let count = district.streets.len();
            assert!((5..=10).contains(&count), "{}: {count}", district.code);
            let mut names: Vec<&str> = district.streets.iter().map(|s| s.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), count, "{} repeats a street", district.code);
            for street in district.streets {
                let suffix = if street.town { "镇" } else { "街道" };
                assert!(street.name.ends_with(suffix), "{}", street.name);
            }
        }
    }

    #[test]
    fn the_weighted_rural_share_is_about_42_percent() {
        let population: u32 = DISTRICTS.iter().map(|d| d.population_k).sum();
        let rural: u32 = DISTRICTS
            .iter()
            .map(|d| d.population_k * d.rural_per_mille)
            .sum();
        let per_mille = rural / population;
        assert!((410..=430).contains(&per_mille), "{per_mille}");
    }

    #[test]
    fn binhai_is_largest_and_heping_smallest_of_the_centre() {
        let largest = DISTRICTS.iter().max_by_key(|d| d.population_k);
        assert_eq!(largest.map(|d| d.code), Some("120116"));
        let central_smallest = DISTRICTS[..6].iter().min_by_key(|d| d.population_k);
        assert_eq!(central_smallest.map(|d| d.code), Some("120101"));
    }

    #[test]
    fn stems_drop_only_the_subdistrict_suffix() {
        assert_eq!(sub("劝业场街道").stem(), "劝业场");
        assert_eq!(town("杨柳青镇").stem(), "杨柳青镇");
        for district in &DISTRICTS {
            for street in district.streets {
                assert!(!street.stem().is_empty(), "{}", street.name);
            }
        }
    }

    #[test]
    fn legacy_codes_of_streets_are_codes_of_their_district() {
        for district in &DISTRICTS {
            for street in district.streets {
                if let Some(code) = street.legacy_code {
                    let legacy = district.legacy.map(|l| l.codes).unwrap_or_default();
                    assert!(legacy.iter().any(|&(c, _)| c == code), "{}", street.name);
                }
            }
        }
    }
}
