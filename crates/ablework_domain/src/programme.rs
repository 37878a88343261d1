//! The plan's programmes (measures 3, 4, 5, 6, 8, 9 and 10, MISSION.md):
//! skills training, auxiliary employment, rural bases and sunshine
//! workshops, blind massage, organisations and funds, platforms and brand
//! projects, and the procurement of employment services.
//!
//! Every programme is told in the same four nouns (docs/programmes.md):
//!
//! ```text
//! unit ──< activity ──< participant ──> employment outcome (the programme's measure, once)
//!   │          └──────< draw (allocation, support, disbursement, fee waiver, payment)
//!   └─────────────────< participant (a workshop's workers, a base's people, …)
//! ```
//!
//! - a **unit** is an organisation or site taking part: a training
//!   institution or base, a workshop, a rural base, a massage institution,
//!   an association or foundation, a platform or brand project, a service
//!   provider;
//! - an **activity** is what it runs or receives, with a limit: a course
//!   (its capacity), a labour project of the district's pool (its volume),
//!   a support scheme, a fund or charity project (its budget), a fee-waiver
//!   scheme, a service contract (its amount);
//! - a **participant** is a person in a unit or an activity, in a role
//!   (trainee, worker, helped, practitioner, …);
//! - a **draw** takes part of an activity's limit: a labour project
//!   allocated to a workshop, support granted to a base, a disbursement or
//!   a fee waiver to a person, a payment against a deliverable. The draws
//!   never exceed the limit.
//!
//! Which kinds belong to which programme, which roles each takes and what
//! each draw goes to are the tables below; the validation of every form is
//! here, pure.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::district;
use crate::fair::{AccessNeed, access_needs, choose, code, required, text};
use crate::levy::FieldError;
use crate::occupation::SubMajorGroup;
use crate::outcome::{EmploymentForm, Measure};
use crate::person::vocabulary;

/// The longest name or title, in characters.
pub const MAX_NAME: usize = 100;
/// The longest free text (a schedule, a scope, a deliverable), in characters.
pub const MAX_NOTE: usize = 500;
/// The largest capacity of a unit or course.
pub const MAX_CAPACITY: u32 = 100_000;

vocabulary! {
    /// The programmes, in the order of their measures.
    Programme {
        /// Measure 3.
        Platforms => "platforms", "民营企业、平台与品牌项目", "Private enterprises, platforms and brands";
        /// Measure 4.
        Organisations => "organisations", "助残社会组织与基金", "Organisations and funds";
        /// Measure 5.
        Auxiliary => "auxiliary", "辅助性就业", "Auxiliary employment";
        /// Measure 6.
        Rural => "rural", "农村助残基地与阳光工场", "Rural bases and sunshine workshops";
        /// Measure 8.
        Massage => "massage", "盲人按摩", "Blind massage";
        /// Measure 9: the services bought for the "four ones".
        Procurement => "procurement", "政府购买就业服务", "Service procurement";
        /// Measure 10.
        Training => "training", "职业技能培训", "Skills training";
    }
}

vocabulary! {
    /// What a unit is.
    UnitKind {
        /// 高等院校.
        University => "university", "高等院校", "University";
        /// 职业院校.
        VocationalCollege => "vocational_college", "职业院校", "Vocational college";
        /// 特殊教育学校.
        SpecialSchool => "special_school", "特殊教育学校", "Special-education school";
        /// 民办培训机构.
        PrivateProvider => "private_provider", "民办培训机构", "Private training provider";
        /// 残疾人职业培训基地.
        TrainingBase => "training_base", "职业培训基地", "Training base";
        /// 辅助性就业机构.
        Workshop => "workshop", "辅助性就业机构", "Auxiliary-employment workshop";
        /// 农村残疾人扶贫基地.
        RuralBase => "rural_base", "农村残疾人扶贫基地", "Rural poverty-alleviation base";
        /// 阳光工场.
        SunshineWorkshop => "sunshine_workshop", "阳光工场", "Sunshine workshop";
        /// 农业龙头企业.
        LeadingEnterprise => "leading_enterprise", "农业产业化龙头企业", "Leading agricultural enterprise";
        /// 医疗按摩机构.
        MedicalMassage => "medical_massage", "医疗按摩机构", "Medical massage institution";
        /// 保健按摩机构.
        HealthMassage => "health_massage", "保健按摩机构", "Health-care massage institution";
        /// 区域示范中心.
        DemonstrationCentre => "demonstration_centre", "盲人按摩区域示范中心", "Regional demonstration centre";
        /// 残疾人专门协会.
        SpecialAssociation => "special_association", "残疾人专门协会", "Special association";
        /// 残疾人福利基金会.
        WelfareFoundation => "welfare_foundation", "残疾人福利基金会", "Welfare foundation";
        /// 助残社会组织.
        SocialOrganisation => "social_organisation", "助残社会组织", "Social organisation";
        /// 互联网平台.
        PlatformPartner => "platform_partner", "合作互联网平台", "Online platform partner";
        /// 手语咖啡.
        SignLanguageCafe => "sign_language_cafe", "手语咖啡", "Sign-language café";
        /// 津门美食品牌.
        FoodBrand => "food_brand", "津门美食品牌", "Tianjin food brand";
        /// 爱心健康小屋.
        HealthHut => "health_hut", "爱心健康小屋", "Caring health hut";
        /// 就业服务机构.
        ServiceProvider => "service_provider", "就业服务承接机构", "Service provider";
    }
}

vocabulary! {
    /// What an activity is.
    ActivityKind {
        /// A training course.
        Course => "course", "培训课程", "Course";
        /// Work collected into the district's labour-project pool.
        LabourProject => "labour_project", "劳务项目", "Labour project";
        /// Support the district grants to rural bases and enterprises.
        SupportScheme => "support_scheme", "扶持资金", "Support scheme";
        /// A special fund.
        Fund => "fund", "专项基金", "Special fund";
        /// A charity project on employment.
        CharityProject => "charity_project", "公益项目", "Charity project";
        /// A platform's fee waivers.
        WaiverScheme => "waiver_scheme", "费用减免", "Fee waivers";
        /// A contract for employment services.
        Contract => "contract", "服务合同", "Service contract";
    }
}

vocabulary! {
    /// How a course is delivered.
    TrainingMode {
        /// 点单式: trained on an employer's order.
        OnOrder => "on_order", "点单式", "On order";
        /// 上门式: the trainer comes to the person.
        AtHome => "at_home", "上门式", "At home";
        /// 实习式: trained on the job.
        Internship => "internship", "实习式", "Internship";
    }
}

vocabulary! {
    /// A training institution's accreditation.
    Accreditation {
        /// Accredited.
        Accredited => "accredited", "已认定", "Accredited";
        /// Applied for, not yet decided.
        Pending => "pending", "认定中", "Pending";
        /// Withdrawn or expired.
        Lapsed => "lapsed", "已失效", "Lapsed";
    }
}

vocabulary! {
    /// Where a labour project's work comes from.
    SourceKind {
        /// 机关.
        Agency => "agency", "机关", "Government agency";
        /// 医院.
        Hospital => "hospital", "医院", "Hospital";
        /// 学校.
        School => "school", "学校", "School";
        /// 企业.
        Enterprise => "enterprise", "企业", "Enterprise";
    }
}

vocabulary! {
    /// A leading enterprise's line of business.
    Sector {
        /// 种植.
        Farming => "farming", "种植", "Farming";
        /// 养殖.
        Breeding => "breeding", "养殖", "Breeding";
        /// 加工.
        Processing => "processing", "加工", "Processing";
        /// 乡村旅游.
        RuralTourism => "rural_tourism", "乡村旅游", "Rural tourism";
    }
}

vocabulary! {
    /// What a person does in a unit or activity.
    Role {
        /// Enrolled on a course.
        Trainee => "trainee", "学员", "Trainee";
        /// Works there (a workshop's participant, a base's or brand
        /// project's employee).
        Worker => "worker", "就业人员", "Worker";
        /// Helped by a rural base or enterprise (带动).
        Helped => "helped", "帮扶对象", "Helped";
        /// Trained by a rural base or enterprise (培训).
        Trained => "trained", "培训对象", "Trained";
        /// A massage practitioner.
        Practitioner => "practitioner", "按摩从业人员", "Practitioner";
        /// Works online or flexibly through a platform.
        OnlineWorker => "online_worker", "网络与灵活就业人员", "Online or flexible worker";
        /// Served under a service contract.
        Served => "served", "服务对象", "Served";
    }
}

vocabulary! {
    /// Where a participant stands.
    Status {
        /// Taking part.
        Active => "active", "在册", "Active";
        /// Finished the course.
        Completed => "completed", "已结业", "Completed";
        /// Left before the end.
        Withdrawn => "withdrawn", "已退出", "Withdrawn";
    }
}

vocabulary! {
    /// What support to a rural base or enterprise is for.
    SupportPurpose {
        /// Placing people in work (安置).
        Placing => "placing", "安置就业", "Placing in work";
        /// Helping households (带动).
        Helping => "helping", "带动增收", "Helping households";
        /// Training (培训).
        Training => "training", "技能培训", "Training";
    }
}

vocabulary! {
    /// The fee a platform waives.
    WaiverKind {
        /// Service or commission fees.
        ServiceFee => "service_fee", "平台服务费", "Service fee";
        /// A shop's deposit.
        Deposit => "deposit", "保证金", "Deposit";
        /// Advertising and promotion.
        Promotion => "promotion", "推广费", "Promotion";
    }
}

/// What an activity's draws go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DrawTarget {
    /// Units of these kinds (allocations, support).
    Unit(&'static [UnitKind]),
    /// A person (disbursements, fee waivers).
    Person,
    /// A deliverable, named in the note (payments).
    Deliverable,
}

/// What an activity's limit counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// People: a course's capacity.
    People,
    /// Units of work: a labour project's volume.
    Quantity,
    /// Yuan: a budget or a contract's amount.
    Money,
}

const RURAL_UNITS: &[UnitKind] = &[
    UnitKind::RuralBase,
    UnitKind::SunshineWorkshop,
    UnitKind::LeadingEnterprise,
];
const WORKSHOPS: &[UnitKind] = &[UnitKind::Workshop];

impl Programme {
    /// The measure of the plan the programme delivers.
    pub fn measure(self) -> Measure {
        match self {
            Programme::Platforms => Measure::PrivateEnterprises,
            Programme::Organisations => Measure::Organisations,
            Programme::Auxiliary => Measure::Auxiliary,
            Programme::Rural => Measure::Rural,
            Programme::Massage => Measure::BlindMassage,
            Programme::Procurement => Measure::EmploymentService,
            Programme::Training => Measure::Training,
        }
    }

    /// The employment form a placement takes unless the user says another.
    pub fn default_form(self) -> EmploymentForm {
        match self {
            Programme::Platforms => EmploymentForm::Flexible,
            Programme::Organisations => EmploymentForm::PublicWelfare,
            Programme::Auxiliary => EmploymentForm::Auxiliary,
            Programme::Rural => EmploymentForm::Agriculture,
            Programme::Massage => EmploymentForm::SelfEmployed,
            Programme::Procurement | Programme::Training => EmploymentForm::Quota,
        }
    }

    /// The kinds of unit taking part.
    pub fn unit_kinds(self) -> Vec<UnitKind> {
        UnitKind::ALL
            .iter()
            .copied()
            .filter(|kind| kind.programme() == self)
            .collect()
    }

    /// The activities the district holds itself, in a pool that is drawn on
    /// by the programme's units.
    pub fn pooled_activities(self) -> Vec<ActivityKind> {
        ActivityKind::ALL
            .iter()
            .copied()
            .filter(|kind| kind.programme() == self && kind.pooled())
            .collect()
    }
}

impl UnitKind {
    /// The programme the unit takes part in.
    pub fn programme(self) -> Programme {
        use UnitKind as K;
        match self {
            K::University
            | K::VocationalCollege
            | K::SpecialSchool
            | K::PrivateProvider
            | K::TrainingBase => Programme::Training,
            K::Workshop => Programme::Auxiliary,
            K::RuralBase | K::SunshineWorkshop | K::LeadingEnterprise => Programme::Rural,
            K::MedicalMassage | K::HealthMassage | K::DemonstrationCentre => Programme::Massage,
            K::SpecialAssociation | K::WelfareFoundation | K::SocialOrganisation => {
                Programme::Organisations
            }
            K::PlatformPartner | K::SignLanguageCafe | K::FoodBrand | K::HealthHut => {
                Programme::Platforms
            }
            K::ServiceProvider => Programme::Procurement,
        }
    }

    /// The activities a unit of this kind runs.
    pub fn activities(self) -> &'static [ActivityKind] {
        use UnitKind as K;
        match self {
            K::University
            | K::VocationalCollege
            | K::SpecialSchool
            | K::PrivateProvider
            | K::TrainingBase => &[ActivityKind::Course],
            K::WelfareFoundation | K::SpecialAssociation | K::SocialOrganisation => {
                &[ActivityKind::Fund, ActivityKind::CharityProject]
            }
            K::PlatformPartner => &[ActivityKind::WaiverScheme],
            K::ServiceProvider => &[ActivityKind::Contract],
            _ => &[],
        }
    }

    /// The roles people take in the unit itself (not in its activities).
    pub fn roles(self) -> &'static [Role] {
        use UnitKind as K;
        match self {
            K::Workshop
            | K::SignLanguageCafe
            | K::FoodBrand
            | K::HealthHut
            | K::SocialOrganisation
            | K::SpecialAssociation => &[Role::Worker],
            K::RuralBase | K::SunshineWorkshop | K::LeadingEnterprise => {
                &[Role::Worker, Role::Helped, Role::Trained]
            }
            K::MedicalMassage | K::HealthMassage | K::DemonstrationCentre => &[Role::Practitioner],
            K::PlatformPartner => &[Role::OnlineWorker],
            _ => &[],
        }
    }

    /// Whether the unit's capacity (places) must be given.
    pub fn needs_capacity(self) -> bool {
        matches!(
            self,
            UnitKind::TrainingBase | UnitKind::Workshop | UnitKind::SunshineWorkshop
        )
    }

    /// A training institution (not a base): it holds an accreditation.
    pub fn is_institution(self) -> bool {
        matches!(
            self,
            UnitKind::University
                | UnitKind::VocationalCollege
                | UnitKind::SpecialSchool
                | UnitKind::PrivateProvider
        )
    }
}

impl ActivityKind {
    /// The programme the activity belongs to.
    pub fn programme(self) -> Programme {
        match self {
            ActivityKind::Course => Programme::Training,
            ActivityKind::LabourProject => Programme::Auxiliary,
            ActivityKind::SupportScheme => Programme::Rural,
            ActivityKind::Fund | ActivityKind::CharityProject => Programme::Organisations,
            ActivityKind::WaiverScheme => Programme::Platforms,
            ActivityKind::Contract => Programme::Procurement,
        }
    }

    /// Held by the district in a pool rather than by a unit.
    pub fn pooled(self) -> bool {
        matches!(
            self,
            ActivityKind::LabourProject | ActivityKind::SupportScheme
        )
    }

    /// What its limit counts.
    pub fn limit(self) -> Limit {
        match self {
            ActivityKind::Course => Limit::People,
            ActivityKind::LabourProject => Limit::Quantity,
            _ => Limit::Money,
        }
    }

    /// Where its draws go; a course has none.
    pub fn draws(self) -> Option<DrawTarget> {
        match self {
            ActivityKind::Course => None,
            ActivityKind::LabourProject => Some(DrawTarget::Unit(WORKSHOPS)),
            ActivityKind::SupportScheme => Some(DrawTarget::Unit(RURAL_UNITS)),
            ActivityKind::Fund | ActivityKind::CharityProject | ActivityKind::WaiverScheme => {
                Some(DrawTarget::Person)
            }
            ActivityKind::Contract => Some(DrawTarget::Deliverable),
        }
    }

    /// The role people take in it, if people take part in it.
    pub fn role(self) -> Option<Role> {
        match self {
            ActivityKind::Course => Some(Role::Trainee),
            ActivityKind::Contract => Some(Role::Served),
            _ => None,
        }
    }
}

impl Role {
    /// Whether taking this role can be work that counts as new employment.
    pub fn may_place(self) -> bool {
        !matches!(self, Role::Helped | Role::Trained)
    }
}

// ---- fields -------------------------------------------------------------------

fn invalid_date(field: &str) -> FieldError {
    FieldError::new(
        field,
        "invalid_date",
        "请按 年-月-日 填写日期，例如 2024-06-30。",
        "Write the date as year-month-day, such as 2024-06-30.",
    )
}

/// A date, `YYYY-MM-DD`; empty is `None` (and an error when `needed`).
fn date(field: &str, value: &str, needed: bool, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    match value.trim() {
        "" => {
            if needed {
                errors.push(required(field));
            }
            None
        }
        day => NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().or_else(|| {
            errors.push(invalid_date(field));
            None
        }),
    }
}

/// A whole number from 1 to `max`; empty is `None` (and an error when
/// `needed`).
fn count(
    field: &str,
    value: &str,
    max: u32,
    needed: bool,
    errors: &mut Vec<FieldError>,
) -> Option<u32> {
    let value = crate::normalize::normalize_text(value);
    if value.is_empty() {
        if needed {
            errors.push(required(field));
        }
        return None;
    }
    match value.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        _ => {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                format!("请填写 1 到 {max} 之间的整数。"),
                format!("Give a whole number from 1 to {max}."),
            ));
            None
        }
    }
}

/// An amount of at most two decimals above zero (or zero, when `zero_ok`);
/// empty is `None` (and an error when `needed`).
fn amount(
    field: &str,
    value: &str,
    needed: bool,
    zero_ok: bool,
    errors: &mut Vec<FieldError>,
) -> Option<Decimal> {
    let value = crate::normalize::normalize_text(value).replace([',', '，'], "");
    if value.is_empty() {
        if needed {
            errors.push(required(field));
        }
        return None;
    }
    match value.parse::<Decimal>() {
        Ok(n)
            if n.scale() <= 2
                && (n > Decimal::ZERO || (zero_ok && n.is_zero()))
                && n < Decimal::from(1_000_000_000_000_i64) =>
        {
            Some(n.normalize())
        }
        _ => {
            errors.push(FieldError::new(
                field,
                "invalid_amount",
                if zero_ok {
                    "请填写不小于 0 的数，最多两位小数。"
                } else {
                    "请填写大于 0 的数，最多两位小数。"
                },
                if zero_ok {
                    "Give a number of at least 0, with at most two decimals."
                } else {
                    "Give a number above 0, with at most two decimals."
                },
            ));
            None
        }
    }
}

fn district_of(value: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match value.trim() {
        "" => {
            errors.push(required("district"));
            None
        }
        value => district::resolve(value)
            .map(|d| d.code.to_owned())
            .or_else(|| {
                errors.push(FieldError::new(
                    "district",
                    "unknown_district",
                    "请选择天津市的一个区。",
                    "Choose a district of Tianjin.",
                ));
                None
            }),
    }
}

fn name(field: &str, value: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let found = text(field, value, MAX_NAME, errors);
    if found.is_none() && crate::normalize::normalize_text(value).is_empty() {
        errors.push(required(field));
    }
    found
}

fn period(
    starts: &str,
    ends: &str,
    needed: bool,
    errors: &mut Vec<FieldError>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let starts_on = date("starts_on", starts, needed, errors);
    let ends_on = date("ends_on", ends, needed, errors);
    if let (Some(from), Some(to)) = (starts_on, ends_on)
        && to < from
    {
        errors.push(FieldError::new(
            "ends_on",
            "before_start",
            "结束日期不能早于开始日期。",
            "The end cannot be before the start.",
        ));
    }
    (starts_on, ends_on)
}

fn finish<T>(errors: Vec<FieldError>, value: Option<T>) -> Result<T, Vec<FieldError>> {
    match value {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(errors),
    }
}

// ---- units --------------------------------------------------------------------

/// A unit as typed into a form or sent to the API. Fields a kind does not
/// use are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitInput {
    /// The unit's kind (code).
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Its district (code or name).
    pub district: String,
    /// Places: a base's, a workshop's.
    pub capacity: String,
    /// A training institution's accreditation (code).
    pub accreditation: String,
    /// The day it was accredited.
    pub accredited_on: String,
    /// A training base keeps the management rules.
    pub compliant: bool,
    /// The day of a base's last annual review.
    pub reviewed_on: String,
    /// A sunshine workshop is a pilot.
    pub pilot: bool,
    /// A leading enterprise's sector (code).
    pub sector: String,
    /// Product and service brands, one per line or separated by commas.
    pub brands: String,
    /// Address or contact, free text.
    pub note: String,
}

/// A valid unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// What it is.
    pub kind: UnitKind,
    /// Its name.
    pub name: String,
    /// Its district; decides a district officer's scope.
    pub district_code: String,
    /// Places, where the kind has them.
    pub capacity: Option<u32>,
    /// A training institution's accreditation and its day.
    pub accreditation: Option<(Accreditation, Option<NaiveDate>)>,
    /// A training base keeps the management rules.
    pub compliant: bool,
    /// A base's last annual review.
    pub reviewed_on: Option<NaiveDate>,
    /// A sunshine workshop is a pilot.
    pub pilot: bool,
    /// A leading enterprise's sector.
    pub sector: Option<Sector>,
    /// Product and service brands.
    pub brands: Vec<String>,
    /// Address or contact.
    pub note: Option<String>,
}

impl Unit {
    /// The programme it takes part in.
    pub fn programme(&self) -> Programme {
        self.kind.programme()
    }

    /// The input that reproduces this unit (for edit forms).
    pub fn to_input(&self) -> UnitInput {
        UnitInput {
            kind: self.kind.code().to_owned(),
            name: self.name.clone(),
            district: self.district_code.clone(),
            capacity: self.capacity.map(|c| c.to_string()).unwrap_or_default(),
            accreditation: self
                .accreditation
                .map(|(a, _)| a.code().to_owned())
                .unwrap_or_default(),
            accredited_on: self
                .accreditation
                .and_then(|(_, on)| on)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            compliant: self.compliant,
            reviewed_on: self.reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
            pilot: self.pilot,
            sector: self.sector.map(|s| s.code().to_owned()).unwrap_or_default(),
            brands: self.brands.join("\n"),
            note: self.note.clone().unwrap_or_default(),
        }
    }

    /// Whether a base's annual review is more than a year old on `today`.
    pub fn review_due(&self, today: NaiveDate) -> bool {
        self.kind == UnitKind::TrainingBase
            && self.reviewed_on.is_none_or(|on| {
                on.checked_add_months(Months::new(12))
                    .is_none_or(|due| due < today)
            })
    }
}

/// Checks a unit of `programme`, naming every field that is wrong at once.
///
/// # Errors
/// Every field error: a kind of another programme, a missing name or
/// district, a capacity a kind needs, an accreditation without its day, a
/// sunshine workshop outside the agricultural districts, a leading
/// enterprise without its sector.
pub fn validate_unit(programme: Programme, input: &UnitInput) -> Result<Unit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = code("kind", &input.kind, UnitKind::from_code, &mut errors).filter(|kind| {
        let ours = kind.programme() == programme;
        if !ours {
            errors.push(choose("kind"));
        }
        ours
    });
    let unit_name = name("name", &input.name, &mut errors);
    let district_code = district_of(&input.district, &mut errors);
    let needs_capacity = kind.is_some_and(UnitKind::needs_capacity);
    let capacity = count(
        "capacity",
        &input.capacity,
        MAX_CAPACITY,
        needs_capacity,
        &mut errors,
    );
    let accreditation = if kind.is_some_and(UnitKind::is_institution) {
        let status = code(
            "accreditation",
            &input.accreditation,
            Accreditation::from_code,
            &mut errors,
        );
        let on = date(
            "accredited_on",
            &input.accredited_on,
            status == Some(Accreditation::Accredited),
            &mut errors,
        );
        status.map(|status| (status, on))
    } else {
        None
    };
    let is_base = kind == Some(UnitKind::TrainingBase);
    let reviewed_on = if is_base {
        date("reviewed_on", &input.reviewed_on, false, &mut errors)
    } else {
        None
    };
    let sunshine = kind == Some(UnitKind::SunshineWorkshop);
    if sunshine
        && district_code
            .as_deref()
            .is_some_and(|code| !district::is_agricultural(code))
    {
        errors.push(FieldError::new(
            "district",
            "not_agricultural",
            "阳光工场设在涉农区，请选择中心城区以外的区。",
            "Sunshine workshops are set up in the agricultural districts: choose one outside the six central districts.",
        ));
    }
    let sector = if kind == Some(UnitKind::LeadingEnterprise) {
        code("sector", &input.sector, Sector::from_code, &mut errors)
    } else {
        None
    };
    let mut brands = Vec::new();
    for brand in input.brands.split(['\n', ',', '，', '、']) {
        if let Some(brand) = text("brands", brand, MAX_NAME, &mut errors)
            && !brands.contains(&brand)
        {
            brands.push(brand);
        }
    }
    let note = text("note", &input.note, MAX_NOTE, &mut errors);
    let unit = match (kind, unit_name, district_code) {
        (Some(kind), Some(name), Some(district_code)) => Some(Unit {
            kind,
            name,
            district_code,
            capacity,
            accreditation,
            compliant: is_base && input.compliant,
            reviewed_on,
            pilot: sunshine && input.pilot,
            sector,
            brands,
            note,
        }),
        _ => None,
    };
    finish(errors, unit)
}

// ---- activities ---------------------------------------------------------------

/// An activity as typed into a form or sent to the API. Fields a kind does
/// not use are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityInput {
    /// The activity's kind (code).
    pub kind: String,
    /// Its title.
    pub title: String,
    /// The district of a pooled activity (a unit's activities take the
    /// unit's).
    pub district: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// A course's places.
    pub capacity: String,
    /// A labour project's volume, or a budget or contract amount.
    pub limit: String,
    /// A labour project's unit price, yuan.
    pub unit_price: String,
    /// A course's occupation (ISCO-08 sub-major group).
    pub occupation: String,
    /// A course's mode (code).
    pub mode: String,
    /// A course's schedule, free text.
    pub schedule: String,
    /// A course's access provisions (codes).
    pub provisions: Vec<String>,
    /// A labour project's source (code).
    pub source_kind: String,
    /// A labour project's source, by name.
    pub source_name: String,
    /// The kind of work, a contract's scope, or a fund's purpose.
    pub scope: String,
}

/// A valid activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// What it is.
    pub kind: ActivityKind,
    /// Its title.
    pub title: String,
    /// Its district (a pooled one's own; otherwise the unit's).
    pub district_code: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: Option<NaiveDate>,
    /// A course's places.
    pub capacity: Option<u32>,
    /// The volume, budget or amount its draws take from.
    pub limit: Option<Decimal>,
    /// A labour project's unit price.
    pub unit_price: Option<Decimal>,
    /// A course's occupation.
    pub occupation: Option<SubMajorGroup>,
    /// A course's mode.
    pub mode: Option<TrainingMode>,
    /// A course's schedule.
    pub schedule: Option<String>,
    /// A course's access provisions.
    pub provisions: Vec<AccessNeed>,
    /// A labour project's source.
    pub source: Option<(SourceKind, String)>,
    /// The kind of work, scope or purpose.
    pub scope: Option<String>,
}

impl Activity {
    /// The input that reproduces this activity.
    pub fn to_input(&self) -> ActivityInput {
        ActivityInput {
            kind: self.kind.code().to_owned(),
            title: self.title.clone(),
            district: self.district_code.clone(),
            starts_on: self.starts_on.to_string(),
            ends_on: self.ends_on.map(|d| d.to_string()).unwrap_or_default(),
            capacity: self.capacity.map(|c| c.to_string()).unwrap_or_default(),
            limit: self.limit.map(|l| l.to_string()).unwrap_or_default(),
            unit_price: self.unit_price.map(|p| p.to_string()).unwrap_or_default(),
            occupation: self
                .occupation
                .map(|o| o.code().to_owned())
                .unwrap_or_default(),
            mode: self.mode.map(|m| m.code().to_owned()).unwrap_or_default(),
            schedule: self.schedule.clone().unwrap_or_default(),
            provisions: self
                .provisions
                .iter()
                .map(|p| p.code().to_owned())
                .collect(),
            source_kind: self
                .source
                .as_ref()
                .map(|(k, _)| k.code().to_owned())
                .unwrap_or_default(),
            source_name: self
                .source
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            scope: self.scope.clone().unwrap_or_default(),
        }
    }
}

/// Checks an activity run by a unit of `unit` kind in `unit_district`, or
/// pooled in `programme` (`unit` `None`).
///
/// # Errors
/// Every field error: a kind the unit (or the pool) does not run, a missing
/// title or start, an end before the start, a course without its
/// occupation, mode or places, a labour project without its source or
/// volume, a budget or contract without its amount.
#[expect(
    clippy::too_many_lines,
    reason = "one field after another, each read only for the kinds that use it"
)]
pub fn validate_activity(
    programme: Programme,
    unit: Option<(UnitKind, &str)>,
    input: &ActivityInput,
) -> Result<Activity, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = code("kind", &input.kind, ActivityKind::from_code, &mut errors).filter(|kind| {
        let allowed = match unit {
            Some((unit_kind, _)) => unit_kind.activities().contains(kind),
            None => kind.programme() == programme && kind.pooled(),
        };
        if !allowed {
            errors.push(choose("kind"));
        }
        allowed
    });
    let title = name("title", &input.title, &mut errors);
    let district_code = match unit {
        Some((_, district)) => Some(district.to_owned()),
        None => district_of(&input.district, &mut errors),
    };
    let (starts_on, ends_on) = period(&input.starts_on, &input.ends_on, false, &mut errors);
    if starts_on.is_none() && input.starts_on.trim().is_empty() {
        errors.push(required("starts_on"));
    }
    let is = |k: ActivityKind| kind == Some(k);
    let course = is(ActivityKind::Course);
    let capacity = if course {
        count("capacity", &input.capacity, MAX_CAPACITY, true, &mut errors)
    } else {
        None
    };
    let limit = match kind.map(ActivityKind::limit) {
        Some(Limit::Quantity | Limit::Money) => amount(
            "limit",
            &input.limit,
            !is(ActivityKind::WaiverScheme),
            false,
            &mut errors,
        ),
        _ => None,
    };
    let unit_price = if is(ActivityKind::LabourProject) {
        amount("unit_price", &input.unit_price, true, false, &mut errors)
    } else {
        None
    };
    let occupation = if course {
        code(
            "occupation",
            &input.occupation,
            SubMajorGroup::from_code,
            &mut errors,
        )
    } else {
        None
    };
    let mode = if course {
        code("mode", &input.mode, TrainingMode::from_code, &mut errors)
    } else {
        None
    };
    let schedule = if course {
        text("schedule", &input.schedule, MAX_NOTE, &mut errors)
    } else {
        None
    };
    let provisions = if course {
        access_needs("provisions", &input.provisions, &mut errors)
    } else {
        Vec::new()
    };
    let source = if is(ActivityKind::LabourProject) {
        let source_kind = code(
            "source_kind",
            &input.source_kind,
            SourceKind::from_code,
            &mut errors,
        );
        let source_name = name("source_name", &input.source_name, &mut errors);
        source_kind.zip(source_name)
    } else {
        None
    };
    let scope = text("scope", &input.scope, MAX_NOTE, &mut errors);
    if scope.is_none()
        && (is(ActivityKind::LabourProject) || is(ActivityKind::Contract))
        && crate::normalize::normalize_text(&input.scope).is_empty()
    {
        errors.push(required("scope"));
    }
    let activity = match (kind, title, district_code, starts_on) {
        (Some(kind), Some(title), Some(district_code), Some(starts_on)) => Some(Activity {
            kind,
            title,
            district_code,
            starts_on,
            ends_on,
            capacity,
            limit,
            unit_price,
            occupation,
            mode,
            schedule,
            provisions,
            source,
            scope,
        }),
        _ => None,
    };
    finish(errors, activity)
}

// ---- participants -------------------------------------------------------------

/// A person joining a unit or an activity, as typed. The person is found
/// by their resident ID number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JoinInput {
    /// The person's resident ID number.
    pub id_number: String,
    /// The person's name, as a check that the number is theirs.
    pub name: String,
    /// Their role (code); an activity's own role when empty.
    pub role: String,
    /// The day they joined.
    pub joined_on: String,
    /// Their monthly income from it, yuan.
    pub monthly_income: String,
    /// Their monthly income before (a rural base's income gain).
    pub income_before: String,
    /// The four-ones service record it delivers (a contract's).
    pub service_id: String,
}

/// A valid join, the person aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Join {
    /// The role.
    pub role: Role,
    /// The day they joined.
    pub joined_on: NaiveDate,
    /// Monthly income.
    pub monthly_income: Option<Decimal>,
    /// Monthly income before.
    pub income_before: Option<Decimal>,
    /// The service delivered.
    pub service_id: Option<i64>,
}

/// Checks a join to a unit of `unit` kind or to an activity of `activity`
/// kind (which decides the role).
///
/// # Errors
/// A missing ID number, a role the unit does not take, a missing or
/// unreal day, an income that is not an amount.
pub fn validate_join(
    unit: UnitKind,
    activity: Option<ActivityKind>,
    input: &JoinInput,
) -> Result<Join, Vec<FieldError>> {
    let mut errors = Vec::new();
    if input.id_number.trim().is_empty() {
        errors.push(required("id_number"));
    }
    if input.name.trim().is_empty() {
        errors.push(required("name"));
    }
    let role = match activity.and_then(ActivityKind::role) {
        Some(role) => Some(role),
        None if activity.is_some() => {
            errors.push(FieldError::new(
                "role",
                "no_participants",
                "这项活动没有参加人员。",
                "People do not take part in this activity.",
            ));
            None
        }
        None => code("role", &input.role, Role::from_code, &mut errors).filter(|role| {
            let allowed = unit.roles().contains(role);
            if !allowed {
                errors.push(choose("role"));
            }
            allowed
        }),
    };
    let joined_on = date("joined_on", &input.joined_on, true, &mut errors);
    let monthly_income = amount(
        "monthly_income",
        &input.monthly_income,
        false,
        true,
        &mut errors,
    );
    let income_before = amount(
        "income_before",
        &input.income_before,
        false,
        true,
        &mut errors,
    );
    let service_id = match input.service_id.trim() {
        "" => None,
        value => value.parse::<i64>().ok().filter(|id| *id > 0).or_else(|| {
            errors.push(FieldError::new(
                "service_id",
                "invalid_number",
                "请填写服务记录编号（正整数）。",
                "Give the service record's number (a whole number above zero).",
            ));
            None
        }),
    };
    let join = match (role, joined_on) {
        (Some(role), Some(joined_on)) => Some(Join {
            role,
            joined_on,
            monthly_income,
            income_before,
            service_id,
        }),
        _ => None,
    };
    finish(errors, join)
}

/// A participant's progress as typed: a course's attendance and completion,
/// anyone's income or leaving.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgressInput {
    /// `active`, `completed` or `withdrawn`.
    pub status: String,
    /// The day they completed or left.
    pub ended_on: String,
    /// Sessions attended.
    pub sessions_attended: String,
    /// The certificate's number.
    pub certificate: String,
    /// Monthly income now, yuan.
    pub monthly_income: String,
}

/// What a progress does to the monthly income recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncomeChange {
    /// Leaves it as it is: no income given (a file's blank cell, a call
    /// without one).
    Keep,
    /// Records this income.
    Set(Decimal),
    /// Removes it: a form that showed it was sent back with it emptied.
    Clear,
}

impl IncomeChange {
    /// The income recorded after this change, from the one before.
    pub fn applied_to(self, before: Option<Decimal>) -> Option<Decimal> {
        match self {
            IncomeChange::Keep => before,
            IncomeChange::Set(income) => Some(income),
            IncomeChange::Clear => None,
        }
    }
}

/// What a blank income in a progress means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlankIncome {
    /// Nothing given: the income recorded stays (files, the API).
    Keeps,
    /// The field was shown with the income recorded and emptied: it goes
    /// (the participation's page, whose form states the whole progress).
    Clears,
}

/// A valid progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Where they stand.
    pub status: Status,
    /// The day they completed or left.
    pub ended_on: Option<NaiveDate>,
    /// Sessions attended.
    pub sessions_attended: Option<u32>,
    /// The certificate's number.
    pub certificate: Option<String>,
    /// The monthly income's change.
    pub monthly_income: IncomeChange,
}

/// Checks a participant's progress. Only trainees complete; completing or
/// leaving needs its day, on or after the day they joined. `blank` says
/// what an income left blank does.
///
/// # Errors
/// An unknown status, completion by someone not on a course, a missing or
/// early day, a certificate without completion.
pub fn validate_progress(
    role: Role,
    joined_on: NaiveDate,
    input: &ProgressInput,
    blank: BlankIncome,
) -> Result<Progress, Vec<FieldError>> {
    let mut errors = Vec::new();
    let status = code("status", &input.status, Status::from_code, &mut errors);
    if status == Some(Status::Completed) && role != Role::Trainee {
        errors.push(choose("status"));
    }
    let ended = status.is_some_and(|s| s != Status::Active);
    let ended_on = date("ended_on", &input.ended_on, ended, &mut errors).filter(|_| ended);
    if ended_on.is_some_and(|on| on < joined_on) {
        errors.push(FieldError::new(
            "ended_on",
            "before_joining",
            "结束日期不能早于加入日期。",
            "This day cannot be before the day they joined.",
        ));
    }
    // Zero is a real answer: withdrawn before the first session.
    let sessions_attended =
        match crate::normalize::normalize_text(&input.sessions_attended).as_str() {
            "0" => Some(0),
            _ => count(
                "sessions_attended",
                &input.sessions_attended,
                10_000,
                false,
                &mut errors,
            ),
        };
    let certificate = text("certificate", &input.certificate, MAX_NAME, &mut errors);
    if certificate.is_some() && status != Some(Status::Completed) {
        errors.push(FieldError::new(
            "certificate",
            "not_completed",
            "结业后才能登记证书。",
            "A certificate is recorded on completion.",
        ));
    }
    let given = crate::normalize::normalize_text(&input.monthly_income);
    let monthly_income = match amount(
        "monthly_income",
        &input.monthly_income,
        false,
        true,
        &mut errors,
    ) {
        Some(income) => IncomeChange::Set(income),
        None if given.is_empty() && blank == BlankIncome::Clears => IncomeChange::Clear,
        None => IncomeChange::Keep,
    };
    finish(
        errors,
        status.map(|status| Progress {
            status,
            ended_on,
            sessions_attended,
            certificate,
            monthly_income,
        }),
    )
}

/// A placement in work as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlacementInput {
    /// The day the work started.
    pub started_on: String,
    /// The employment form (code); the programme's usual one when empty.
    pub form: String,
    /// Monthly wage, yuan.
    pub monthly_wage: String,
}

/// A valid placement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// The day the work started.
    pub started_on: NaiveDate,
    /// The employment form.
    pub form: EmploymentForm,
    /// The measure credited: the programme's.
    pub measure: Measure,
    /// Monthly wage.
    pub monthly_wage: Option<Decimal>,
}

/// Where a participant stands for a placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placeable {
    /// The programme.
    pub programme: Programme,
    /// The role.
    pub role: Role,
    /// Where they stand.
    pub status: Status,
    /// The day they joined.
    pub joined_on: NaiveDate,
    /// The day they completed or left.
    pub ended_on: Option<NaiveDate>,
    /// Already placed through this participation.
    pub placed: bool,
}

/// The last day work may start and still count for a course completed on
/// `completed_on`: `months` later (the policy preset's
/// `programmes.placement_months`).
pub fn placement_deadline(completed_on: NaiveDate, months: u32) -> NaiveDate {
    completed_on
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Checks a placement in work through a participation: once only; not for
/// people helped or trained by a rural base; a trainee only after
/// completing the course and starting within `months` of it (the policy
/// preset's `programmes.placement_months`); anyone else on or after joining.
///
/// # Errors
/// A second placement, a role that does not place, a trainee not yet
/// completed or starting outside the months, a missing or unreal day,
/// an unknown form.
pub fn validate_placement(
    who: &Placeable,
    input: &PlacementInput,
    months: u32,
) -> Result<Placement, Vec<FieldError>> {
    let mut errors = Vec::new();
    if who.placed {
        errors.push(FieldError::new(
            "started_on",
            "already_placed",
            "已经登记过这次就业，同一参与只计一次。",
            "This placement is already recorded; a participation counts once.",
        ));
    }
    if !who.role.may_place() {
        errors.push(FieldError::new(
            "started_on",
            "role_not_placed",
            "帮扶和培训对象的就业请在其本人的个案中登记。",
            "People helped or trained are placed on their own case, not here.",
        ));
    }
    let started_on = date("started_on", &input.started_on, true, &mut errors);
    if let Some(started_on) = started_on {
        if who.role == Role::Trainee {
            match (who.status, who.ended_on) {
                (Status::Completed, Some(completed_on)) => {
                    let deadline = placement_deadline(completed_on, months);
                    if started_on < completed_on || started_on > deadline {
                        errors.push(FieldError::new(
                            "started_on",
                            "outside_window",
                            format!(
                                "结业后 {months} 个月内（{completed_on} 至 {deadline}）开始的工作才计入培训。",
                            ),
                            format!(
                                "Only work starting within {months} months of completion ({completed_on} to {deadline}) counts for the course.",
                            ),
                        ));
                    }
                }
                _ => errors.push(FieldError::new(
                    "started_on",
                    "not_completed",
                    "学员结业后才能登记就业。",
                    "Record the trainee's completion first.",
                )),
            }
        } else if started_on < who.joined_on {
            errors.push(FieldError::new(
                "started_on",
                "before_joining",
                "就业日期不能早于加入日期。",
                "Work cannot start before the day they joined.",
            ));
        }
    }
    let form = match input.form.trim() {
        "" => Some(who.programme.default_form()),
        value => code("form", value, EmploymentForm::from_code, &mut errors),
    };
    let monthly_wage = amount(
        "monthly_wage",
        &input.monthly_wage,
        false,
        false,
        &mut errors,
    );
    finish(
        errors,
        started_on.zip(form).map(|(started_on, form)| Placement {
            started_on,
            form,
            measure: who.programme.measure(),
            monthly_wage,
        }),
    )
}

// ---- draws --------------------------------------------------------------------

/// A draw on an activity as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DrawInput {
    /// How much: a quantity of work or yuan.
    pub amount: String,
    /// The day.
    pub on_date: String,
    /// The last day it covers (a fee waiver's period).
    pub until: String,
    /// The unit it goes to (its record number).
    pub unit_id: String,
    /// The person it goes to (their resident ID number).
    pub id_number: String,
    /// That person's name, as a check that the number is theirs.
    pub name: String,
    /// A support's purpose or a waiver's kind (code).
    pub purpose: String,
    /// The deliverable paid for, or a note.
    pub note: String,
}

/// What a valid draw goes to, the person still to be found by ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DrawTo {
    /// A unit, by record number.
    Unit(i64),
    /// A person, by the resident ID number and the name typed.
    Person(String, String),
    /// A deliverable, named in the note.
    Deliverable,
}

/// A valid draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draw {
    /// How much.
    pub amount: Decimal,
    /// The day.
    pub on_date: NaiveDate,
    /// The last day it covers.
    pub until: Option<NaiveDate>,
    /// Where it goes.
    pub to: DrawTo,
    /// A support's purpose or a waiver's kind (code).
    pub purpose: Option<String>,
    /// The deliverable or a note.
    pub note: Option<String>,
}

/// Checks a draw on an activity of `kind` that has `remaining` of its limit
/// left (`None`: no limit).
///
/// # Errors
/// A missing or non-positive amount, one beyond what remains, a missing
/// day or target, an unknown purpose, a payment without its deliverable.
pub fn validate_draw(
    kind: ActivityKind,
    remaining: Option<Decimal>,
    input: &DrawInput,
) -> Result<Draw, Vec<FieldError>> {
    let mut errors = Vec::new();
    let Some(target) = kind.draws() else {
        return Err(vec![FieldError::new(
            "amount",
            "no_draws",
            "这项活动不能登记拨付。",
            "Nothing is drawn on this activity.",
        )]);
    };
    let value = amount("amount", &input.amount, true, false, &mut errors);
    if let Some(value) = value {
        check_within(remaining, value, &mut errors);
    }
    let on_date = date("on_date", &input.on_date, true, &mut errors);
    let until = date("until", &input.until, false, &mut errors);
    if let (Some(from), Some(to)) = (on_date, until)
        && to < from
    {
        errors.push(FieldError::new(
            "until",
            "before_start",
            "结束日期不能早于开始日期。",
            "The end cannot be before the start.",
        ));
    }
    let to = match target {
        DrawTarget::Unit(_) => match input.unit_id.trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(DrawTo::Unit(id)),
            _ => {
                errors.push(if input.unit_id.trim().is_empty() {
                    required("unit_id")
                } else {
                    choose("unit_id")
                });
                None
            }
        },
        DrawTarget::Person => match (input.id_number.trim(), input.name.trim()) {
            ("", _) => {
                errors.push(required("id_number"));
                None
            }
            (_, "") => {
                errors.push(required("name"));
                None
            }
            (id, name) => Some(DrawTo::Person(id.to_owned(), name.to_owned())),
        },
        DrawTarget::Deliverable => Some(DrawTo::Deliverable),
    };
    let purpose = match kind {
        ActivityKind::SupportScheme => code(
            "purpose",
            &input.purpose,
            SupportPurpose::from_code,
            &mut errors,
        )
        .map(|p| p.code().to_owned()),
        ActivityKind::WaiverScheme => code(
            "purpose",
            &input.purpose,
            WaiverKind::from_code,
            &mut errors,
        )
        .map(|p| p.code().to_owned()),
        _ => None,
    };
    let note = text("note", &input.note, MAX_NOTE, &mut errors);
    if target == DrawTarget::Deliverable && note.is_none() && input.note.trim().is_empty() {
        errors.push(FieldError::new(
            "note",
            "required",
            "请写明这笔付款对应的交付成果。",
            "Name the deliverable this payment is for.",
        ));
    }
    let draw = match (value, on_date, to) {
        (Some(amount), Some(on_date), Some(to)) => Some(Draw {
            amount,
            on_date,
            until,
            to,
            purpose,
            note,
        }),
        _ => None,
    };
    finish(errors, draw)
}

/// Adds an error on `amount` when `value` is more than what `remaining`
/// leaves of an activity's limit. The store checks the same inside its
/// transaction; this is the message the user reads.
pub fn check_within(remaining: Option<Decimal>, value: Decimal, errors: &mut Vec<FieldError>) {
    if let Some(remaining) = remaining
        && value > remaining
    {
        errors.push(over_limit(remaining));
    }
}

/// The error for a draw beyond what is left.
pub fn over_limit(remaining: Decimal) -> FieldError {
    let left = remaining.max(Decimal::ZERO).normalize();
    FieldError::new(
        "amount",
        "over_limit",
        format!("超出剩余额度：只剩 {left}。"),
        format!("More than what is left: only {left} remains."),
    )
}

/// The error for a course or unit with every place taken.
pub fn capacity_full(capacity: u32) -> FieldError {
    FieldError::new(
        "id_number",
        "capacity_full",
        format!("名额已满（共 {capacity} 个）。"),
        format!("Every place is taken ({capacity} in all)."),
    )
}

/// The error for a person already taking part.
pub fn already_joined() -> FieldError {
    FieldError::new(
        "id_number",
        "already_joined",
        "此人已经在名单上，不能重复登记。",
        "This person is already on the list.",
    )
}

// ---- rural bases' qualification ----------------------------------------------------

/// The qualification criteria of a rural poverty-alleviation base, held as
/// data: a revision of the rules is a new version, and a base is measured
/// against the latest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuralCriteria {
    /// Its identifier, `tianjin-rural-base`.
    pub id: String,
    /// Its version, from 1.
    pub version: u32,
    /// The least number of disabled people employed.
    pub min_employed: u32,
    /// The least number of disabled people (households) helped.
    pub min_helped: u32,
    /// The least number of disabled people trained a year.
    pub min_trained: u32,
    /// The least monthly income gain of those employed, yuan.
    pub min_income_gain: Decimal,
}

impl Default for RuralCriteria {
    /// The criteria AbleWork starts with: a base employs at least 10
    /// disabled people, helps 30, trains 20 and raises incomes by 300 yuan
    /// a month.
    fn default() -> Self {
        RuralCriteria {
            id: "tianjin-rural-base".to_owned(),
            version: 1,
            min_employed: 10,
            min_helped: 30,
            min_trained: 20,
            min_income_gain: Decimal::from(300),
        }
    }
}

/// A rural unit's figures, as the criteria read them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuralFigures {
    /// Active workers.
    pub employed: u32,
    /// People helped.
    pub helped: u32,
    /// People trained.
    pub trained: u32,
    /// The mean monthly income gain of the workers whose incomes before
    /// and now are known.
    pub income_gain: Option<Decimal>,
}

/// One criterion, met or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Criterion {
    /// `employed`, `helped`, `trained` or `income_gain`.
    pub code: &'static str,
    /// The least the criteria ask.
    pub required: Decimal,
    /// What the unit has.
    pub actual: Decimal,
    /// Met.
    pub met: bool,
}

impl RuralCriteria {
    /// Checks the criteria's own numbers.
    ///
    /// # Errors
    /// A gain below zero.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        if self.min_income_gain < Decimal::ZERO {
            return Err(vec![FieldError::new(
                "min_income_gain",
                "out_of_range",
                "增收标准不能小于 0。",
                "The income gain cannot be below 0.",
            )]);
        }
        Ok(())
    }

    /// Each criterion against a unit's figures.
    pub fn assess(&self, figures: &RuralFigures) -> Vec<Criterion> {
        let people = |code, required: u32, actual: u32| Criterion {
            code,
            required: Decimal::from(required),
            actual: Decimal::from(actual),
            met: actual >= required,
        };
        let gain = figures.income_gain.unwrap_or(Decimal::ZERO);
        vec![
            people("employed", self.min_employed, figures.employed),
            people("helped", self.min_helped, figures.helped),
            people("trained", self.min_trained, figures.trained),
            Criterion {
                code: "income_gain",
                required: self.min_income_gain,
                actual: gain.round_dp(2),
                met: gain >= self.min_income_gain,
            },
        ]
    }
}

#[cfg(test)]
mod tests;
