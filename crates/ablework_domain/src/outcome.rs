//! Employment outcomes: a person starting work, in which form, under which
//! measure of the plan. New employment (新增就业) is counted from these.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ident::{DisabilityCategory, Sex};
use crate::person::{Hukou, vocabulary};

vocabulary! {
    /// Employment forms of the CDPF statistics (DOMAIN.md §5).
    EmploymentForm {
        /// 按比例就业.
        Quota => "quota", "按比例就业", "Quota employment";
        /// 集中就业.
        Concentrated => "concentrated", "集中就业", "Concentrated employment";
        /// 个体就业 / 自主创业.
        SelfEmployed => "self_employed", "个体就业与自主创业", "Self-employment";
        /// 公益性岗位.
        PublicWelfare => "public_welfare", "公益性岗位", "Public-welfare posts";
        /// 辅助性就业.
        Auxiliary => "auxiliary", "辅助性就业", "Auxiliary employment";
        /// 灵活就业.
        Flexible => "flexible", "灵活就业", "Flexible employment";
        /// 农村种养加.
        Agriculture => "agriculture", "农村种养加", "Rural farming and processing";
    }
}

vocabulary! {
    /// The ten measures of the Tianjin plan (MISSION.md).
    Measure {
        /// 1. Agencies and public institutions lead.
        AgenciesLead => "m01_agencies", "机关事业单位带头安排", "Agencies and institutions lead";
        /// 2. State-owned enterprises.
        StateEnterprises => "m02_soe", "国有企业安排就业", "State-owned enterprises";
        /// 3. Private enterprises, platforms and flexible work.
        PrivateEnterprises => "m03_private", "民营企业与灵活就业", "Private enterprises and platforms";
        /// 4. Disabled persons' organisations and funds.
        Organisations => "m04_organisations", "助残社会组织", "Disabled persons' organisations";
        /// 5. Auxiliary employment for people with particular difficulty.
        Auxiliary => "m05_auxiliary", "辅助性就业", "Auxiliary employment";
        /// 6. Rural bases and sunshine workshops.
        Rural => "m06_rural", "农村助残基地与阳光工场", "Rural bases and sunshine workshops";
        /// 7. Disabled university graduates.
        Graduates => "m07_graduates", "残疾人高校毕业生", "Disabled graduates";
        /// 8. Blind massage.
        BlindMassage => "m08_blind_massage", "盲人按摩", "Blind massage";
        /// 9. The "four ones" employment service.
        EmploymentService => "m09_service", "就业服务“四个一”", "The \"four ones\" employment service";
        /// 10. Vocational skills training.
        Training => "m10_training", "职业技能培训", "Vocational skills training";
    }
}

/// One person starting work: the record new-employment counts are made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The person's record id.
    pub person_id: i64,
    /// The day the work started.
    pub started_on: NaiveDate,
    /// The employment form.
    pub form: EmploymentForm,
    /// The measure of the plan credited with it.
    pub measure: Measure,
    /// The district credited (the person's district of service at the time).
    pub district_code: String,
    /// Urban or rural household.
    pub hukou: Hukou,
    /// The person's disability category.
    pub category: DisabilityCategory,
    /// The person's disability level, 1–4.
    pub level: u8,
    /// The person's sex.
    pub sex: Sex,
    /// When the work ended, if it has.
    pub ended_on: Option<NaiveDate>,
}
