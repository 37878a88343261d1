//! The occupation classification jobs and job seekers are described in:
//! the major groups (one digit) and sub-major groups (two digits) of the
//! International Standard Classification of Occupations, ISCO-08.
//!
//! The codes are ISCO's own numbers (`"2"`, `"25"`), so they read the same
//! in every country's statistics; the Chinese names follow the ILO's
//! Chinese rendering of ISCO-08. A job is classified by its sub-major group;
//! a seeker names the sub-major groups they want.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Declares an ISCO vocabulary with the same methods as the other
/// vocabularies (`ALL`, `code`, `from_code`, `label`). It differs from
/// `vocabulary!` only in that serde writes the ISCO number (`"25"`) rather
/// than the variant's name, so the API and the database carry one code.
macro_rules! isco {
    (
        $(#[$meta:meta])* $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $code:literal $(in $major:ident)?, $zh:literal, $en:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// Every value, in ISCO order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The ISCO-08 code, used in the API, the database and exports.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Parses an ISCO-08 code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The name for people.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::Zh) => $zh, ($name::$variant, Lang::En) => $en,)+
                }
            }
        }

        isco!(@major $name { $($variant $(in $major)?;)+ });
    };
    (@major $name:ident { $($variant:ident;)+ }) => {};
    (@major $name:ident { $($variant:ident in $major:ident;)+ }) => {
        impl $name {
            /// The major group this sub-major group belongs to.
            pub fn major(self) -> MajorGroup {
                match self { $($name::$variant => MajorGroup::$major,)+ }
            }
        }
    };
}

isco! {
    /// An ISCO-08 major group (one digit; armed forces are `0`).
    MajorGroup {
        /// 1.
        Managers => "1", "管理者", "Managers";
        /// 2.
        Professionals => "2", "专业人员", "Professionals";
        /// 3.
        Technicians => "3", "技术员和专业辅助人员", "Technicians and associate professionals";
        /// 4.
        ClericalSupport => "4", "办事人员", "Clerical support workers";
        /// 5.
        ServiceAndSales => "5", "服务和销售人员", "Service and sales workers";
        /// 6.
        SkilledAgricultural => "6", "农业、林业和渔业技术工人", "Skilled agricultural, forestry and fishery workers";
        /// 7.
        CraftAndTrades => "7", "工艺及相关行业工人", "Craft and related trades workers";
        /// 8.
        PlantAndMachineOperators => "8", "工厂和机器操作员及装配工", "Plant and machine operators, and assemblers";
        /// 9.
        Elementary => "9", "初级职业", "Elementary occupations";
        /// 0.
        ArmedForces => "0", "武装部队职业", "Armed forces occupations";
    }
}

isco! {
    /// An ISCO-08 sub-major group (two digits), the level at which jobs are
    /// classified and occupations are wanted.
    SubMajorGroup {
        /// 11.
        ChiefExecutives => "11" in Managers, "首席执行官、高级官员和立法者", "Chief executives, senior officials and legislators";
        /// 12.
        AdministrativeManagers => "12" in Managers, "行政和商业管理人员", "Administrative and commercial managers";
        /// 13.
        ProductionManagers => "13" in Managers, "生产和专业服务管理人员", "Production and specialised services managers";
        /// 14.
        HospitalityManagers => "14" in Managers, "酒店、零售和其他服务管理人员", "Hospitality, retail and other services managers";
        /// 21.
        ScienceProfessionals => "21" in Professionals, "科学和工程专业人员", "Science and engineering professionals";
        /// 22.
        HealthProfessionals => "22" in Professionals, "卫生专业人员", "Health professionals";
        /// 23.
        TeachingProfessionals => "23" in Professionals, "教学专业人员", "Teaching professionals";
        /// 24.
        BusinessProfessionals => "24" in Professionals, "商业和行政专业人员", "Business and administration professionals";
        /// 25.
        IctProfessionals => "25" in Professionals, "信息和通信技术专业人员", "Information and communications technology professionals";
        /// 26.
        LegalSocialCulturalProfessionals => "26" in Professionals, "法律、社会和文化专业人员", "Legal, social and cultural professionals";
        /// 31.
        ScienceAssociates => "31" in Technicians, "科学和工程辅助专业人员", "Science and engineering associate professionals";
        /// 32.
        HealthAssociates => "32" in Technicians, "卫生辅助专业人员", "Health associate professionals";
        /// 33.
        BusinessAssociates => "33" in Technicians, "商业和行政辅助专业人员", "Business and administration associate professionals";
        /// 34.
        LegalSocialCulturalAssociates => "34" in Technicians, "法律、社会、文化及相关辅助专业人员", "Legal, social, cultural and related associate professionals";
        /// 35.
        IctTechnicians => "35" in Technicians, "信息和通信技术员", "Information and communications technicians";
        /// 41.
        GeneralClerks => "41" in ClericalSupport, "通用办事员和键盘操作员", "General and keyboard clerks";
        /// 42.
        CustomerServicesClerks => "42" in ClericalSupport, "客户服务办事员", "Customer services clerks";
        /// 43.
        RecordingClerks => "43" in ClericalSupport, "数字和材料记录办事员", "Numerical and material recording clerks";
        /// 44.
        OtherClericalSupport => "44" in ClericalSupport, "其他办事人员", "Other clerical support workers";
        /// 51.
        PersonalServices => "51" in ServiceAndSales, "个人服务人员", "Personal service workers";
        /// 52.
        Sales => "52" in ServiceAndSales, "销售人员", "Sales workers";
        /// 53.
        PersonalCare => "53" in ServiceAndSales, "个人护理人员", "Personal care workers";
        /// 54.
        ProtectiveServices => "54" in ServiceAndSales, "保安服务人员", "Protective services workers";
        /// 61.
        MarketAgricultural => "61" in SkilledAgricultural, "面向市场的农业技术工人", "Market-oriented skilled agricultural workers";
        /// 62.
        MarketForestryFishery => "62" in SkilledAgricultural, "面向市场的林业、渔业和狩猎技术工人", "Market-oriented skilled forestry, fishery and hunting workers";
        /// 63.
        Subsistence => "63" in SkilledAgricultural, "自给型农民、渔民、猎人和采集者", "Subsistence farmers, fishers, hunters and gatherers";
        /// 71.
        BuildingTrades => "71" in CraftAndTrades, "建筑及相关行业工人（电工除外）", "Building and related trades workers, excluding electricians";
        /// 72.
        MetalMachineryTrades => "72" in CraftAndTrades, "金属、机械及相关行业工人", "Metal, machinery and related trades workers";
        /// 73.
        HandicraftPrinting => "73" in CraftAndTrades, "手工艺和印刷工人", "Handicraft and printing workers";
        /// 74.
        ElectricalTrades => "74" in CraftAndTrades, "电气和电子行业工人", "Electrical and electronic trades workers";
        /// 75.
        FoodWoodGarmentTrades => "75" in CraftAndTrades, "食品加工、木工、服装及其他工艺和相关行业工人", "Food processing, wood working, garment and other craft and related trades workers";
        /// 81.
        StationaryPlantOperators => "81" in PlantAndMachineOperators, "固定设备和机器操作员", "Stationary plant and machine operators";
        /// 82.
        Assemblers => "82" in PlantAndMachineOperators, "装配工", "Assemblers";
        /// 83.
        Drivers => "83" in PlantAndMachineOperators, "驾驶员和移动设备操作员", "Drivers and mobile plant operators";
        /// 91.
        CleanersHelpers => "91" in Elementary, "清洁工和帮工", "Cleaners and helpers";
        /// 92.
        AgriculturalLabourers => "92" in Elementary, "农业、林业和渔业劳工", "Agricultural, forestry and fishery labourers";
        /// 93.
        MiningConstructionLabourers => "93" in Elementary, "采矿、建筑、制造和运输劳工", "Labourers in mining, construction, manufacturing and transport";
        /// 94.
        FoodPreparationAssistants => "94" in Elementary, "食品制作助理", "Food preparation assistants";
        /// 95.
        StreetSalesServices => "95" in Elementary, "街头及相关销售和服务人员", "Street and related sales and service workers";
        /// 96.
        RefuseOtherElementary => "96" in Elementary, "垃圾处理工和其他初级劳动者", "Refuse workers and other elementary workers";
        /// 01.
        CommissionedOfficers => "01" in ArmedForces, "军官", "Commissioned armed forces officers";
        /// 02.
        NonCommissionedOfficers => "02" in ArmedForces, "士官", "Non-commissioned armed forces officers";
        /// 03.
        OtherRanks => "03" in ArmedForces, "其他军衔武装部队人员", "Armed forces occupations, other ranks";
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn isco_08_has_ten_major_and_forty_three_sub_major_groups() {
        assert_eq!(MajorGroup::ALL.len(), 10);
        assert_eq!(SubMajorGroup::ALL.len(), 43);
    }

    #[test]
    fn a_sub_major_code_begins_with_its_major_group_code() {
        for group in SubMajorGroup::ALL {
            assert_eq!(group.code().len(), 2, "{group:?}");
            assert!(group.code().starts_with(group.major().code()), "{group:?}");
        }
        for major in MajorGroup::ALL {
            assert!(
                SubMajorGroup::ALL
                    .iter()
                    .any(|group| group.major() == *major),
                "{major:?} has sub-major groups"
            );
        }
    }

    #[test]
    fn codes_round_trip_and_serialise_as_isco_numbers() {
        for group in SubMajorGroup::ALL {
            assert_eq!(SubMajorGroup::from_code(group.code()), Some(*group));
            let json = serde_json::to_value(group).unwrap();
            assert_eq!(json, group.code());
            assert_eq!(
                serde_json::from_value::<SubMajorGroup>(json).unwrap(),
                *group
            );
            assert!(!group.label(Lang::Zh).is_empty());
            assert!(!group.label(Lang::En).is_empty());
        }
        for major in MajorGroup::ALL {
            assert_eq!(MajorGroup::from_code(major.code()), Some(*major));
        }
        assert_eq!(
            SubMajorGroup::from_code("25"),
            Some(SubMajorGroup::IctProfessionals)
        );
        assert_eq!(SubMajorGroup::from_code("10"), None);
        assert_eq!(MajorGroup::from_code("01"), None);
    }
}
