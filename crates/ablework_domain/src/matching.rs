//! Matching jobs to job seekers: which jobs a person can take, how well
//! each fits, and why.
//!
//! A [`Seeker`] is what an approved assessment and a registered need say of
//! a person; a [`Job`] is a posting with its functional [`Demand`]s and the
//! [`Accommodation`]s the employer offers. [`explain`] decides one pair:
//! either the job is excluded by a hard constraint ([`Exclusion`], "why
//! not"), or it is a [`Match`] with a score out of 100 made of seven
//! factors, each with its points and its reason ("why this job").
//! [`top_jobs`] and [`top_candidates`] return the best N matches for a
//! person or for a posting, exactly as a full scan sorted by score (highest
//! first) and then by id (lowest first) would. [`JobIndex`] gives the same
//! answer as [`top_jobs`] for one person after another over one set of
//! jobs, scoring only the jobs that could be among the best (exact
//! pruning by upper bounds; `docs/matching.md`, "The job index").
//!
//! The hard constraints, checked in this order (the first that fails is
//! the one reported):
//!
//! 1. the job is open;
//! 2. the person is of working age on the day given ([`crate::working_age`],
//!    under the rule passed in);
//! 3. location: remote work is possible and accepted, or the job's district
//!    is one the person accepts, or it lies within their commute limit by
//!    [`TRAVEL_MINUTES`] (a person who named neither accepts everywhere);
//! 4. access: working on site, every workplace feature in
//!    [`WORKPLACE_ACCESS`] the person needs is offered;
//! 5. conflicts: every demand that conflicts with an assessed limitation
//!    ([`DEMAND_LOADS`]) is covered by an accommodation the job offers
//!    ([`COVERS`]). A person not yet assessed has no conflicts.
//!
//! Every number is data in this module's tables (ARCHITECTURE.md,
//! invariant 6) and the arithmetic is integer only, so a score is the same
//! on every machine. `docs/matching.md` explains the rules with worked
//! examples.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::district::{self, District};
use crate::four_ones::{Accommodation, Function, Hours, Limitation};
use crate::lang::Lang;
use crate::occupation::{MajorGroup, SubMajorGroup};
use crate::person::{Education, vocabulary};
use crate::working_age::{RetirementGroup, WorkingAgeRule, retirement_date, working_age_start};

mod index;

pub use index::{JobIndex, SearchWork};

vocabulary! {
    /// A functional demand a job makes of the person doing it.
    Demand {
        /// Standing for long periods.
        Standing => "standing", "长时间站立", "Standing for long periods";
        /// Walking about.
        Walking => "walking", "行走", "Walking";
        /// Lifting and carrying.
        Lifting => "lifting", "搬运重物", "Lifting and carrying";
        /// Fine hand work.
        FineMotor => "fine_motor", "精细手部操作", "Fine hand work";
        /// Fine visual work (inspection, small print, detail on screens).
        Vision => "vision", "精细视觉工作", "Fine visual work";
        /// Listening (instructions, signals, conversation).
        Hearing => "hearing", "听辨", "Listening";
        /// Speaking.
        Speech => "speech", "口头表达", "Speaking";
        /// Reading.
        Reading => "reading", "阅读", "Reading";
        /// Using the telephone.
        PhoneUse => "phone_use", "使用电话", "Using the telephone";
        /// Contact with the public.
        Interpersonal => "interpersonal", "接待公众", "Contact with the public";
        /// Working under time pressure.
        TimePressure => "time_pressure", "时间压力", "Working under time pressure";
    }
}

vocabulary! {
    /// How much of the working day a demand takes.
    DemandLevel {
        /// Now and then; a small part of the day.
        Occasional => "occasional", "偶尔", "Occasional";
        /// Much or all of the day.
        Frequent => "frequent", "经常", "Frequent";
    }
}

vocabulary! {
    /// A factor of the soft score.
    Factor {
        /// The job's occupation against the occupations wanted.
        Occupation => "occupation", "职业意向", "Occupation";
        /// The skills the job requires that the person has.
        Skills => "skills", "技能", "Skills";
        /// The person's education against the job's requirement.
        Education => "education", "文化程度", "Education";
        /// The hours offered against the hours wanted.
        Hours => "hours", "工作时间", "Hours";
        /// The wage against the person's expectation.
        Wage => "wage", "薪酬", "Wage";
        /// The travel time from home.
        Travel => "travel", "通勤", "Travel";
        /// A post reserved for persons with disabilities.
        Reserved => "reserved", "残疾人专岗", "Reserved post";
    }
}

vocabulary! {
    /// Where the person would work.
    Arrangement {
        /// At the job's workplace.
        OnSite => "on_site", "到岗工作", "On site";
        /// From home.
        Remote => "remote", "居家办公", "From home";
    }
}

// ---------------------------------------------------------------------------
// The tables.
// ---------------------------------------------------------------------------

/// Which assessed functions a demand loads, and from which limitation on
/// one of them a person conflicts with it, at each level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DemandLoad {
    /// The demand.
    pub demand: Demand,
    /// The functions it loads.
    pub functions: &'static [Function],
    /// The least limitation that conflicts with the demand when occasional.
    pub occasional_from: Limitation,
    /// The least limitation that conflicts with the demand when frequent.
    pub frequent_from: Limitation,
}

impl DemandLoad {
    /// The least limitation that conflicts with the demand at `level`.
    pub fn conflicts_from(&self, level: DemandLevel) -> Limitation {
        match level {
            DemandLevel::Occasional => self.occasional_from,
            DemandLevel::Frequent => self.frequent_from,
        }
    }
}

const fn load(
    demand: Demand,
    functions: &'static [Function],
    occasional_from: Limitation,
    frequent_from: Limitation,
) -> DemandLoad {
    DemandLoad {
        demand,
        functions,
        occasional_from,
        frequent_from,
    }
}

/// What each demand asks of a person, in the order of [`Demand::ALL`]. A
/// mild limitation never conflicts; a moderate one conflicts with a
/// frequent demand (and with any lifting); a severe one with any demand on
/// that function.
#[rustfmt::skip]
pub const DEMAND_LOADS: [DemandLoad; 11] = {
    use Function as F;
    use Limitation::{Moderate, Severe};
    [
        //    demand                 functions loaded                           occasional  frequent
        load(Demand::Standing,      &[F::Mobility, F::Stamina],                 Severe,     Moderate),
        load(Demand::Walking,       &[F::Mobility, F::Stamina],                 Severe,     Moderate),
        load(Demand::Lifting,       &[F::Mobility, F::Stamina],                 Moderate,   Moderate),
        load(Demand::FineMotor,     &[F::FineMotor],                            Severe,     Moderate),
        load(Demand::Vision,        &[F::Vision],                               Severe,     Moderate),
        load(Demand::Hearing,       &[F::Hearing],                              Severe,     Moderate),
        load(Demand::Speech,        &[F::Speech],                               Severe,     Moderate),
        load(Demand::Reading,       &[F::Vision, F::Cognition],                 Severe,     Moderate),
        load(Demand::PhoneUse,      &[F::Hearing, F::Speech],                   Severe,     Moderate),
        load(Demand::Interpersonal, &[F::Hearing, F::Speech, F::Cognition],     Severe,     Moderate),
        load(Demand::TimePressure,  &[F::Cognition, F::Stamina],                Severe,     Moderate),
    ]
};

/// One way a conflict can be covered: a conflict between `demand` and a
/// limitation of `function` is covered by any of `by`, if the demand is at
/// most `up_to_level` and the limitation at most `up_to_limitation`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Cover {
    /// The demand.
    pub demand: Demand,
    /// The limited function.
    pub function: Function,
    /// The highest level of the demand this covers.
    pub up_to_level: DemandLevel,
    /// The most severe limitation this covers.
    pub up_to_limitation: Limitation,
    /// The accommodations, any one of which covers the conflict.
    pub by: &'static [Accommodation],
}

const fn cover(
    demand: Demand,
    function: Function,
    up_to_level: DemandLevel,
    up_to_limitation: Limitation,
    by: &'static [Accommodation],
) -> Cover {
    Cover {
        demand,
        function,
        up_to_level,
        up_to_limitation,
        by,
    }
}

/// Which offered accommodations cover which conflicts. A conflict with no
/// row here cannot be accommodated: frequent standing, walking or lifting
/// against a limited mobility or stamina, for instance, is never covered.
/// `written_instructions` is read as written instead of spoken
/// communication; a day on the telephone needs interpreting or a relay
/// service, and frequent listening is covered by captions too.
#[rustfmt::skip]
pub const COVERS: [Cover; 32] = {
    use Accommodation as A;
    use Demand as D;
    use DemandLevel::{Frequent, Occasional};
    use Function as F;
    use Limitation::{Moderate, Severe};
    [
        //     demand            function      up to level  up to limitation  covered by any of
        cover(D::Standing,      F::Mobility,  Occasional,  Severe,   &[A::AdjustedWorkstation]),
        cover(D::Standing,      F::Stamina,   Occasional,  Severe,   &[A::AdjustedWorkstation, A::FlexibleHours]),
        cover(D::Walking,       F::Mobility,  Occasional,  Severe,   &[A::StepFree]),
        cover(D::Walking,       F::Stamina,   Occasional,  Severe,   &[A::FlexibleHours]),
        cover(D::Lifting,       F::Mobility,  Occasional,  Moderate, &[A::AdjustedWorkstation]),
        cover(D::Lifting,       F::Stamina,   Occasional,  Moderate, &[A::AdjustedWorkstation]),
        cover(D::FineMotor,     F::FineMotor, Occasional,  Severe,   &[A::AdjustedWorkstation]),
        cover(D::FineMotor,     F::FineMotor, Frequent,    Moderate, &[A::AdjustedWorkstation]),
        cover(D::Vision,        F::Vision,    Occasional,  Severe,   &[A::ScreenReader]),
        cover(D::Vision,        F::Vision,    Frequent,    Moderate, &[A::ScreenReader]),
        cover(D::Hearing,       F::Hearing,   Frequent,    Severe,   &[A::SignLanguage, A::CaptionedMeetings]),
        cover(D::Hearing,       F::Hearing,   Occasional,  Severe,   &[A::WrittenInstructions]),
        cover(D::Hearing,       F::Hearing,   Frequent,    Moderate, &[A::WrittenInstructions]),
        cover(D::Speech,        F::Speech,    Frequent,    Severe,   &[A::SignLanguage]),
        cover(D::Speech,        F::Speech,    Occasional,  Severe,   &[A::WrittenInstructions]),
        cover(D::Reading,       F::Vision,    Frequent,    Severe,   &[A::ScreenReader]),
        cover(D::Reading,       F::Cognition, Occasional,  Severe,   &[A::JobCoach]),
        cover(D::Reading,       F::Cognition, Frequent,    Moderate, &[A::JobCoach]),
        cover(D::PhoneUse,      F::Hearing,   Frequent,    Severe,   &[A::SignLanguage, A::RelayService]),
        cover(D::PhoneUse,      F::Hearing,   Occasional,  Severe,   &[A::WrittenInstructions]),
        cover(D::PhoneUse,      F::Speech,    Frequent,    Severe,   &[A::SignLanguage, A::RelayService]),
        cover(D::PhoneUse,      F::Speech,    Occasional,  Severe,   &[A::WrittenInstructions]),
        cover(D::Interpersonal, F::Hearing,   Frequent,    Severe,   &[A::SignLanguage, A::CaptionedMeetings]),
        cover(D::Interpersonal, F::Hearing,   Occasional,  Severe,   &[A::WrittenInstructions]),
        cover(D::Interpersonal, F::Speech,    Frequent,    Severe,   &[A::SignLanguage]),
        cover(D::Interpersonal, F::Speech,    Occasional,  Severe,   &[A::WrittenInstructions]),
        cover(D::Interpersonal, F::Cognition, Occasional,  Severe,   &[A::JobCoach]),
        cover(D::Interpersonal, F::Cognition, Frequent,    Moderate, &[A::JobCoach]),
        cover(D::TimePressure,  F::Cognition, Occasional,  Severe,   &[A::JobCoach, A::QuietSpace]),
        cover(D::TimePressure,  F::Cognition, Frequent,    Moderate, &[A::JobCoach, A::QuietSpace]),
        cover(D::TimePressure,  F::Stamina,   Occasional,  Severe,   &[A::FlexibleHours]),
        cover(D::TimePressure,  F::Stamina,   Frequent,    Moderate, &[A::FlexibleHours]),
    ]
};

/// Features of the workplace itself. A person whose assessment or need
/// lists one of them cannot work on site where it is not offered; nothing
/// else can stand in for it. Working from home, they do not apply.
pub const WORKPLACE_ACCESS: [Accommodation; 2] =
    [Accommodation::StepFree, Accommodation::AccessibleToilet];

/// The weight of each factor: the most points it can give. They sum to
/// 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Weights {
    /// [`Factor::Occupation`].
    pub occupation: u32,
    /// [`Factor::Skills`].
    pub skills: u32,
    /// [`Factor::Education`].
    pub education: u32,
    /// [`Factor::Hours`].
    pub hours: u32,
    /// [`Factor::Wage`].
    pub wage: u32,
    /// [`Factor::Travel`].
    pub travel: u32,
    /// [`Factor::Reserved`].
    pub reserved: u32,
}

impl Weights {
    /// The weight of `factor`.
    pub fn of(&self, factor: Factor) -> u32 {
        match factor {
            Factor::Occupation => self.occupation,
            Factor::Skills => self.skills,
            Factor::Education => self.education,
            Factor::Hours => self.hours,
            Factor::Wage => self.wage,
            Factor::Travel => self.travel,
            Factor::Reserved => self.reserved,
        }
    }

    /// The sum of the weights: the highest possible score.
    pub fn total(&self) -> u32 {
        Factor::ALL.iter().map(|factor| self.of(*factor)).sum()
    }
}

/// The weights of the soft score.
pub const WEIGHTS: Weights = Weights {
    occupation: 25,
    skills: 20,
    education: 10,
    hours: 10,
    wage: 10,
    travel: 15,
    reserved: 10,
};

/// Share of the occupation weight for a job in the same ISCO major group as
/// an occupation wanted, but not in a wanted sub-major group, in percent.
pub const RELATED_OCCUPATION_PERCENT: u32 = 50;

/// Share of the occupation weight when the person named no occupation, in
/// percent: every job is equally acceptable, so neither full nor nothing.
pub const NO_OCCUPATION_PREFERENCE_PERCENT: u32 = 50;

/// Share of the education weight when the person's education is one rank
/// below the requirement, in percent.
pub const EDUCATION_ONE_RANK_BELOW_PERCENT: u32 = 50;

/// Share of the education weight when the job requires an education and
/// the person's is not recorded, in percent.
pub const EDUCATION_UNKNOWN_PERCENT: u32 = 50;

/// The rank of each education for comparison with a requirement: senior
/// secondary and vocational secondary are parallel and rank the same.
pub const EDUCATION_RANKS: [(Education, u32); 7] = [
    (Education::None, 0),
    (Education::Primary, 1),
    (Education::JuniorSecondary, 2),
    (Education::SeniorSecondary, 3),
    (Education::Vocational, 3),
    (Education::College, 4),
    (Education::BachelorOrAbove, 5),
];

/// Share of the hours weight for each pair (hours wanted, hours offered),
/// in percent.
pub const HOURS_FIT: [(Hours, Hours, u32); 9] = {
    use Hours::{Flexible, FullTime, PartTime};
    [
        (FullTime, FullTime, 100),
        (FullTime, PartTime, 0),
        (FullTime, Flexible, 50),
        (PartTime, FullTime, 0),
        (PartTime, PartTime, 100),
        (PartTime, Flexible, 50),
        (Flexible, FullTime, 50),
        (Flexible, PartTime, 50),
        (Flexible, Flexible, 100),
    ]
};

/// Share of the travel weight by travel time: `(up to minutes, percent)`,
/// the first band that holds the time applies; longer journeys give
/// nothing. Working from home gives the full weight.
pub const TRAVEL_BANDS: [(u16, u32); 4] = [(30, 100), (45, 75), (60, 50), (90, 25)];

/// Approximate travel time in minutes by public transport between the
/// centres (the district governments' seats) of Tianjin's 16 districts, in
/// the order of [`district::all`]: the straight-line distance d in km,
/// 15 + 2.5·d minutes up to 10 km and 40 + 1.2·(d − 10) beyond, rounded to
/// 5 minutes. Symmetric, 0 on the diagonal. An estimate to be replaced by
/// measured times; see `docs/matching.md`.
#[rustfmt::skip]
pub const TRAVEL_MINUTES: [[u16; 16]; 16] = [
    //  HP   HD   HX   NK   HB   HQ   DL   XQ   JN   BC   WQ   BD   BH   NH   JH   JZ
    [  0,  25,  20,  30,  25,  35,  40,  50,  50,  45,  70, 110,  80,  95,  60, 155], // 和平 Heping
    [ 25,   0,  25,  35,  30,  40,  35,  55,  50,  45,  70, 105,  80,  95,  65, 150], // 河东 Hedong
    [ 20,  25,   0,  35,  30,  40,  30,  50,  45,  45,  70, 110,  80,  95,  60, 155], // 河西 Hexi
    [ 30,  35,  35,   0,  25,  25,  45,  45,  55,  40,  65, 105,  90, 100,  60, 150], // 南开 Nankai
    [ 25,  30,  30,  25,   0,  25,  45,  50,  55,  40,  65, 105,  85,  95,  65, 150], // 河北 Hebei
    [ 35,  40,  40,  25,  25,   0,  50,  45,  60,  30,  60, 105,  90, 100,  65, 150], // 红桥 Hongqiao
    [ 40,  35,  30,  45,  45,  50,   0,  60,  40,  55,  75, 110,  70,  90,  70, 155], // 东丽 Dongli
    [ 50,  55,  50,  45,  50,  45,  60,   0,  70,  45,  60, 110, 105, 115,  55, 155], // 西青 Xiqing
    [ 50,  50,  45,  55,  55,  60,  40,  70,   0,  65,  90, 125,  65,  95,  70, 170], // 津南 Jinnan
    [ 45,  45,  45,  40,  40,  30,  55,  45,  65,   0,  50,  95,  95, 100,  70, 140], // 北辰 Beichen
    [ 70,  70,  70,  65,  65,  60,  75,  60,  90,  50,   0,  80, 115, 110,  85, 125], // 武清 Wuqing
    [110, 105, 110, 105, 105, 105, 110, 110, 125,  95,  80,   0, 130, 100, 135,  75], // 宝坻 Baodi
    [ 80,  80,  80,  90,  85,  90,  70, 105,  65,  95, 115, 130,   0,  75, 105, 170], // 滨海 Binhai
    [ 95,  95,  95, 100,  95, 100,  90, 115,  95, 100, 110, 100,  75,   0, 130, 130], // 宁河 Ninghe
    [ 60,  65,  60,  60,  65,  65,  70,  55,  70,  70,  85, 135, 105, 130,   0, 180], // 静海 Jinghai
    [155, 150, 155, 150, 150, 150, 155, 155, 170, 140, 125,  75, 170, 130, 180,   0], // 蓟州 Jizhou
];

/// The approximate travel time in minutes between two districts, given by
/// their codes (current or withdrawn); `None` if either is not a district.
pub fn travel_minutes(from: &str, to: &str) -> Option<u16> {
    minutes_between(district_index(from)?, district_index(to)?)
}

// ---------------------------------------------------------------------------
// Inputs.
// ---------------------------------------------------------------------------

/// A person looking for work, as their record, approved assessment and
/// registered need describe them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seeker {
    /// The person's record id.
    pub person_id: i64,
    /// Date of birth.
    pub birth_date: NaiveDate,
    /// Which retirement rule applies.
    pub retirement_group: RetirementGroup,
    /// Each assessed function and how much it limits work, from the
    /// approved assessment; `None` if the person has not been assessed.
    /// A function not listed is not limited.
    pub functions: Option<Vec<(Function, Limitation)>>,
    /// Accommodations the person needs at work (assessment and need).
    pub accommodations_needed: Vec<Accommodation>,
    /// Skills, as tags.
    pub skills: Vec<String>,
    /// Highest education, if recorded.
    pub education: Option<Education>,
    /// Occupations wanted; empty if the person named none.
    pub desired_occupations: Vec<SubMajorGroup>,
    /// Districts where they would work (codes); may be empty.
    pub districts: Vec<String>,
    /// The longest journey they accept, in minutes.
    pub commute_limit_minutes: Option<u16>,
    /// Whether they would work from home.
    pub remote_acceptable: bool,
    /// Working hours wanted.
    pub hours: Hours,
    /// Monthly wage expected, yuan.
    pub wage_expectation: Option<u32>,
    /// The district they live in (code).
    pub home_district: String,
}

/// A job posting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The posting's id.
    pub id: i64,
    /// Its occupation.
    pub occupation: SubMajorGroup,
    /// The district of the workplace (code).
    pub district: String,
    /// Whether it can be done from home.
    pub remote_possible: bool,
    /// Working hours.
    pub hours: Hours,
    /// Monthly wage, yuan.
    pub monthly_wage: u32,
    /// The least education required, if any.
    pub education_required: Option<Education>,
    /// Skills required, as tags.
    pub skills_required: Vec<String>,
    /// Its functional demands, each with its level.
    pub demands: Vec<(Demand, DemandLevel)>,
    /// The accommodations the employer offers.
    pub accommodations: Vec<Accommodation>,
    /// Reserved for persons with disabilities.
    pub reserved_for_disabled: bool,
    /// Still taking applications.
    pub open: bool,
}

// ---------------------------------------------------------------------------
// Outputs.
// ---------------------------------------------------------------------------

/// Why a factor gave the points it gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The job's occupation is one the person wants.
    DesiredOccupation {
        /// The job's occupation.
        occupation: SubMajorGroup,
    },
    /// The job's occupation shares its major group with one wanted.
    RelatedOccupation {
        /// The job's occupation.
        occupation: SubMajorGroup,
        /// The shared major group.
        major: MajorGroup,
    },
    /// The person named no occupation.
    NoOccupationPreference {
        /// The job's occupation.
        occupation: SubMajorGroup,
    },
    /// The job's occupation is not among those wanted.
    OtherOccupation {
        /// The job's occupation.
        occupation: SubMajorGroup,
    },
    /// How many of the required skills the person has (`required` 0: none
    /// required).
    Skills {
        /// Required skills the person has.
        matched: u32,
        /// Skills required.
        required: u32,
    },
    /// The job requires no education.
    NoEducationRequired,
    /// The person's education meets the requirement.
    EducationMet {
        /// The requirement.
        required: Education,
    },
    /// The person's education is one rank below the requirement.
    EducationOneRankBelow {
        /// The requirement.
        required: Education,
        /// The person's education.
        held: Education,
    },
    /// The person's education is more than one rank below the requirement.
    EducationBelow {
        /// The requirement.
        required: Education,
        /// The person's education.
        held: Education,
    },
    /// The person's education is not recorded.
    EducationUnknown {
        /// The requirement.
        required: Education,
    },
    /// Hours wanted and offered.
    Hours {
        /// Wanted.
        wanted: Hours,
        /// Offered.
        offered: Hours,
    },
    /// The person stated no wage expectation.
    NoWageExpectation {
        /// The job's monthly wage.
        wage: u32,
    },
    /// The wage against the expectation.
    Wage {
        /// The job's monthly wage.
        wage: u32,
        /// The person's expectation.
        expectation: u32,
    },
    /// The person would work from home.
    Remote,
    /// The travel time from home.
    Travel {
        /// Minutes, by [`TRAVEL_MINUTES`].
        minutes: u16,
    },
    /// The travel time cannot be told (a district not known).
    TravelUnknown,
    /// Whether the post is reserved for persons with disabilities.
    Reserved {
        /// Reserved or not.
        reserved: bool,
    },
}

impl Reason {
    /// A short sentence for people.
    pub fn describe(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.describe_zh(),
            Lang::En => self.describe_en(),
        }
    }

    fn describe_zh(&self) -> String {
        let lang = Lang::Zh;
        match *self {
            Reason::DesiredOccupation { occupation } => {
                format!("意向职业：{}", occupation.label(lang))
            }
            Reason::RelatedOccupation { occupation, major } => format!(
                "{}，与意向职业同属“{}”大类",
                occupation.label(lang),
                major.label(lang)
            ),
            Reason::NoOccupationPreference { occupation } => {
                format!("{}；未登记意向职业", occupation.label(lang))
            }
            Reason::OtherOccupation { occupation } => {
                format!("{}，不在意向职业内", occupation.label(lang))
            }
            Reason::Skills { required: 0, .. } => "岗位无技能要求".to_owned(),
            Reason::Skills { matched, required } => {
                format!("具备所需技能 {required} 项中的 {matched} 项")
            }
            Reason::NoEducationRequired => "岗位无学历要求".to_owned(),
            Reason::EducationMet { required } => {
                format!("达到学历要求（{}）", required.label(lang))
            }
            Reason::EducationOneRankBelow { required, held }
            | Reason::EducationBelow { required, held } => format!(
                "学历为{}，岗位要求{}",
                held.label(lang),
                required.label(lang)
            ),
            Reason::EducationUnknown { required } => {
                format!("未登记文化程度；岗位要求{}", required.label(lang))
            }
            Reason::Hours { wanted, offered } => {
                format!("希望{}，岗位为{}", wanted.label(lang), offered.label(lang))
            }
            Reason::NoWageExpectation { wage } => {
                format!("月薪 {wage} 元；未登记期望薪酬")
            }
            Reason::Wage { wage, expectation } => {
                format!("月薪 {wage} 元，期望 {expectation} 元")
            }
            Reason::Remote => "居家办公，无需通勤".to_owned(),
            Reason::Travel { minutes } => format!("通勤约 {minutes} 分钟"),
            Reason::TravelUnknown => "通勤时间不详".to_owned(),
            Reason::Reserved { reserved: true } => "残疾人专门岗位".to_owned(),
            Reason::Reserved { reserved: false } => "非残疾人专门岗位".to_owned(),
        }
    }

    fn describe_en(&self) -> String {
        let lang = Lang::En;
        match *self {
            Reason::DesiredOccupation { occupation } => {
                format!("A wanted occupation: {}", occupation.label(lang))
            }
            Reason::RelatedOccupation { occupation, major } => format!(
                "{}: in the same major group as a wanted occupation ({})",
                occupation.label(lang),
                major.label(lang)
            ),
            Reason::NoOccupationPreference { occupation } => {
                format!("{}; no occupation wanted on record", occupation.label(lang))
            }
            Reason::OtherOccupation { occupation } => format!(
                "{}: not among the occupations wanted",
                occupation.label(lang)
            ),
            Reason::Skills { required: 0, .. } => "No skills required".to_owned(),
            Reason::Skills { matched, required } => {
                format!("Has {matched} of the {required} skills required")
            }
            Reason::NoEducationRequired => "No education required".to_owned(),
            Reason::EducationMet { required } => {
                format!("Meets the education required ({})", required.label(lang))
            }
            Reason::EducationOneRankBelow { required, held }
            | Reason::EducationBelow { required, held } => format!(
                "Education {}; the job requires {}",
                held.label(lang),
                required.label(lang)
            ),
            Reason::EducationUnknown { required } => format!(
                "Education not on record; the job requires {}",
                required.label(lang)
            ),
            Reason::Hours { wanted, offered } => format!(
                "Wants {}; the job is {}",
                wanted.label(lang).to_lowercase(),
                offered.label(lang).to_lowercase()
            ),
            Reason::NoWageExpectation { wage } => {
                format!("Pays {wage} yuan a month; no expectation on record")
            }
            Reason::Wage { wage, expectation } => {
                format!("Pays {wage} yuan a month; {expectation} expected")
            }
            Reason::Remote => "Works from home; no journey".to_owned(),
            Reason::Travel { minutes } => format!("About {minutes} minutes' travel"),
            Reason::TravelUnknown => "Travel time not known".to_owned(),
            Reason::Reserved { reserved: true } => {
                "Reserved for persons with disabilities".to_owned()
            }
            Reason::Reserved { reserved: false } => "Not a reserved post".to_owned(),
        }
    }
}

/// One factor of a match: its points out of its weight, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FactorScore {
    /// The factor.
    pub factor: Factor,
    /// Points given, at most `weight`.
    pub points: u32,
    /// The factor's weight ([`WEIGHTS`]).
    pub weight: u32,
    /// Why.
    pub reason: Reason,
}

/// A conflict between a demand and a limitation that an offered
/// accommodation covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Accommodated {
    /// The demand.
    pub demand: Demand,
    /// Its level.
    pub level: DemandLevel,
    /// The limited function.
    pub function: Function,
    /// The limitation.
    pub limitation: Limitation,
    /// The offered accommodation that covers it.
    pub by: Accommodation,
}

impl Accommodated {
    /// A short sentence for people.
    pub fn describe(&self, lang: Lang) -> String {
        if lang == Lang::Zh {
            format!(
                "{}{}，岗位要求“{}”（{}），由{}解决",
                self.function.label(lang),
                self.limitation.label(lang),
                self.demand.label(lang),
                self.level.label(lang),
                self.by.label(lang)
            )
        } else {
            format!(
                "{}: {}; the job's {} ({}) is covered by {}",
                self.function.label(lang),
                self.limitation.label(lang).to_lowercase(),
                self.demand.label(lang).to_lowercase(),
                self.level.label(lang).to_lowercase(),
                self.by.label(lang).to_lowercase()
            )
        }
    }
}

/// The number of factors.
const FACTOR_COUNT: usize = 7;

/// A job a person can take, with its score and the reasons for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The job.
    pub job_id: i64,
    /// The person.
    pub person_id: i64,
    /// The score, 0–100: the sum of the factors' points.
    pub score: u32,
    /// Where the person would work.
    pub arrangement: Arrangement,
    /// Every factor, in the order of [`Factor::ALL`].
    pub factors: [FactorScore; FACTOR_COUNT],
    /// Conflicts the job's accommodations cover.
    pub accommodated: Vec<Accommodated>,
}

impl Match {
    /// The entry of one factor.
    pub fn factor(&self, factor: Factor) -> Option<&FactorScore> {
        self.factors.iter().find(|entry| entry.factor == factor)
    }
}

/// The hard constraint that excludes a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Exclusion {
    /// The job is closed.
    Closed,
    /// The person is not yet of working age.
    BelowWorkingAge {
        /// The day working age begins.
        from: NaiveDate,
    },
    /// The person has reached the statutory retirement age.
    PastWorkingAge {
        /// The day they reached it.
        since: NaiveDate,
    },
    /// The job is outside the districts and the commute the person
    /// accepts, and not done from home.
    OutsideArea {
        /// The job's district, if it is one.
        district: Option<&'static District>,
        /// The travel time from home, if known.
        minutes: Option<u16>,
        /// The person's commute limit.
        limit: Option<u16>,
    },
    /// The person needs a workplace feature the job does not offer.
    NoAccess {
        /// The feature.
        needed: Accommodation,
    },
    /// A demand conflicts with a limitation and no offered accommodation
    /// covers it.
    Conflict {
        /// The demand.
        demand: Demand,
        /// Its level.
        level: DemandLevel,
        /// The limited function.
        function: Function,
        /// The limitation.
        limitation: Limitation,
    },
}

impl Exclusion {
    /// A short sentence for people.
    pub fn describe(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match *self {
            Exclusion::Closed => text(lang, "岗位已停止招聘", "The job is closed"),
            Exclusion::BelowWorkingAge { from } => {
                if zh {
                    format!("未到劳动年龄（{from} 起）")
                } else {
                    format!("Below working age (until {from})")
                }
            }
            Exclusion::PastWorkingAge { since } => {
                if zh {
                    format!("已达到法定退休年龄（{since} 起）")
                } else {
                    format!("Past the retirement age (since {since})")
                }
            }
            Exclusion::OutsideArea {
                district,
                minutes,
                limit,
            } => {
                let name = district.map_or(
                    if zh {
                        "未知区域"
                    } else {
                        "an unknown district"
                    },
                    |district| district.name(lang),
                );
                let journey = match (minutes, limit) {
                    (Some(minutes), Some(limit)) if zh => {
                        format!("，通勤约 {minutes} 分钟，超过可接受的 {limit} 分钟")
                    }
                    (Some(minutes), Some(limit)) => {
                        format!("; about {minutes} minutes' travel, more than the {limit} accepted")
                    }
                    _ => String::new(),
                };
                if zh {
                    format!("岗位位于{name}，不在意向工作区域内{journey}")
                } else {
                    format!("The job is in {name}, outside the districts wanted{journey}")
                }
            }
            Exclusion::NoAccess { needed } => {
                if zh {
                    format!("需要{}，岗位未提供", needed.label(lang))
                } else {
                    format!(
                        "Needs {}, which the job does not offer",
                        needed.label(lang).to_lowercase()
                    )
                }
            }
            Exclusion::Conflict {
                demand,
                level,
                function,
                limitation,
            } => {
                if zh {
                    format!(
                        "{}{}，与岗位要求“{}”（{}）冲突，岗位提供的便利无法解决",
                        function.label(lang),
                        limitation.label(lang),
                        demand.label(lang),
                        level.label(lang)
                    )
                } else {
                    format!(
                        "{}: {}; conflicts with the job's {} ({}), and no accommodation offered covers it",
                        function.label(lang),
                        limitation.label(lang).to_lowercase(),
                        demand.label(lang).to_lowercase(),
                        level.label(lang).to_lowercase()
                    )
                }
            }
        }
    }
}

/// A job excluded for a person, with the constraint that excluded it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Excluded {
    /// The job.
    pub job_id: i64,
    /// The person.
    pub person_id: i64,
    /// Why not.
    pub exclusion: Exclusion,
}

/// The decision on one person and one job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// The person can take the job.
    Matched(Match),
    /// A hard constraint excludes it.
    Excluded(Excluded),
}

// ---------------------------------------------------------------------------
// The rules.
// ---------------------------------------------------------------------------

/// Decides one person and one job: the match with every factor, or the
/// first hard constraint that fails, in the order given in the module's
/// documentation.
pub fn explain(seeker: &Seeker, job: &Job, day: NaiveDate, rule: &WorkingAgeRule) -> Verdict {
    let excluded = |exclusion| {
        Verdict::Excluded(Excluded {
            job_id: job.id,
            person_id: seeker.person_id,
            exclusion,
        })
    };
    if !job.open {
        return excluded(Exclusion::Closed);
    }
    if let Some(exclusion) = working_age_exclusion(seeker, day, rule) {
        return excluded(exclusion);
    }
    let person = SeekerView::new(seeker);
    let posting = JobView::new(job);
    match evaluate(&person, &posting) {
        Ok(scored) => Verdict::Matched(scored.into_match(&person, &posting)),
        Err(exclusion) => excluded(exclusion),
    }
}

/// The `n` best jobs for a person on `day`, best first: by score, highest
/// first, then by job id, lowest first (then by position in `jobs`).
/// Exactly the first `n` of every match sorted that way; empty if the
/// person is not of working age.
pub fn top_jobs(
    seeker: &Seeker,
    jobs: &[Job],
    n: usize,
    day: NaiveDate,
    rule: &WorkingAgeRule,
) -> Vec<Match> {
    if n == 0 || working_age_exclusion(seeker, day, rule).is_some() {
        return Vec::new();
    }
    let person = SeekerView::new(seeker);
    // The heap holds the best `n` so far with the worst on top; it is the
    // only allocation, made once before the loop.
    let mut best = BinaryHeap::with_capacity(n.min(jobs.len()));
    for (index, job) in jobs.iter().enumerate() {
        if !job.open {
            continue;
        }
        let posting = JobView::new(job);
        if let Ok(scored) = evaluate(&person, &posting) {
            keep_best(&mut best, n, Ranked::new(scored, job.id, index));
        }
    }
    best.into_sorted_vec()
        .into_iter()
        .filter_map(|ranked| {
            let job = jobs.get(ranked.index)?;
            Some(ranked.scored.into_match(&person, &JobView::new(job)))
        })
        .collect()
}

/// The `n` best people for a posting on `day`, best first: by score,
/// highest first, then by person id, lowest first (then by position in
/// `seekers`). Exactly the first `n` of every match sorted that way; empty
/// if the job is closed.
pub fn top_candidates(
    job: &Job,
    seekers: &[Seeker],
    n: usize,
    day: NaiveDate,
    rule: &WorkingAgeRule,
) -> Vec<Match> {
    if n == 0 || !job.open {
        return Vec::new();
    }
    let posting = JobView::new(job);
    let mut best = BinaryHeap::with_capacity(n.min(seekers.len()));
    for (index, seeker) in seekers.iter().enumerate() {
        if working_age_exclusion(seeker, day, rule).is_some() {
            continue;
        }
        if let Ok(scored) = evaluate(&SeekerView::new(seeker), &posting) {
            keep_best(&mut best, n, Ranked::new(scored, seeker.person_id, index));
        }
    }
    best.into_sorted_vec()
        .into_iter()
        .filter_map(|ranked| {
            let seeker = seekers.get(ranked.index)?;
            Some(ranked.scored.into_match(&SeekerView::new(seeker), &posting))
        })
        .collect()
}

/// Why a person is not of working age on `day`, if they are not.
fn working_age_exclusion(
    seeker: &Seeker,
    day: NaiveDate,
    rule: &WorkingAgeRule,
) -> Option<Exclusion> {
    let from = working_age_start(seeker.birth_date, rule);
    if day < from {
        return Some(Exclusion::BelowWorkingAge { from });
    }
    let since = retirement_date(seeker.birth_date, seeker.retirement_group, rule);
    (day >= since).then_some(Exclusion::PastWorkingAge { since })
}

const FUNCTION_COUNT: usize = Function::ALL.len();

// Accommodations are kept as bits of a `u64`.
const _: () = assert!(Accommodation::ALL.len() <= 64);

fn accommodation_bit(accommodation: Accommodation) -> u64 {
    1 << (accommodation as u32)
}

/// A seeker with what every job is compared against worked out once.
struct SeekerView<'a> {
    seeker: &'a Seeker,
    /// The worst limitation of each function, by `Function as usize`;
    /// `None` if not assessed.
    limitations: Option<[Limitation; FUNCTION_COUNT]>,
    /// The districts accepted, as bits by position in [`district::all`].
    districts: u32,
    /// Neither districts nor a commute limit given: anywhere will do.
    anywhere: bool,
    /// The home district's position in [`district::all`].
    home: Option<usize>,
    /// The workplace features needed, as accommodation bits.
    access_needed: u64,
}

impl<'a> SeekerView<'a> {
    fn new(seeker: &'a Seeker) -> SeekerView<'a> {
        let limitations = seeker.functions.as_ref().map(|pairs| {
            let mut worst = [Limitation::None; FUNCTION_COUNT];
            for (function, limitation) in pairs {
                let slot = &mut worst[*function as usize];
                *slot = (*slot).max(*limitation);
            }
            worst
        });
        let districts = seeker
            .districts
            .iter()
            .filter_map(|code| district_index(code))
            .fold(0, |bits, index| bits | 1 << index);
        let access_needed = seeker
            .accommodations_needed
            .iter()
            .filter(|needed| WORKPLACE_ACCESS.contains(needed))
            .fold(0, |bits, needed| bits | accommodation_bit(*needed));
        SeekerView {
            seeker,
            limitations,
            districts,
            anywhere: seeker.districts.is_empty() && seeker.commute_limit_minutes.is_none(),
            home: district_index(&seeker.home_district),
            access_needed,
        }
    }
}

/// A job with its district and offered accommodations worked out once.
struct JobView<'a> {
    job: &'a Job,
    /// The district's position in [`district::all`].
    district: Option<usize>,
    /// The accommodations offered, as bits.
    offered: u64,
}

impl<'a> JobView<'a> {
    fn new(job: &'a Job) -> JobView<'a> {
        JobView {
            job,
            district: district_index(&job.district),
            offered: job
                .accommodations
                .iter()
                .fold(0, |bits, offered| bits | accommodation_bit(*offered)),
        }
    }
}

/// A match before its covered conflicts are listed: plain data, so the
/// search keeps it without allocating.
#[derive(Clone, Copy)]
struct Scored {
    score: u32,
    arrangement: Arrangement,
    factors: [FactorScore; FACTOR_COUNT],
}

impl Scored {
    fn into_match(self, person: &SeekerView<'_>, posting: &JobView<'_>) -> Match {
        self.into_match_with(person, posting.job.id, accommodated(person, posting))
    }

    fn into_match_with(
        self,
        person: &SeekerView<'_>,
        job_id: i64,
        accommodated: Vec<Accommodated>,
    ) -> Match {
        Match {
            job_id,
            person_id: person.seeker.person_id,
            score: self.score,
            arrangement: self.arrangement,
            factors: self.factors,
            accommodated,
        }
    }
}

/// A scored match in the search, ordered so that the greater is the worse:
/// lower score, then higher id, then later position.
struct Ranked {
    scored: Scored,
    id: i64,
    index: usize,
}

impl Ranked {
    fn new(scored: Scored, id: i64, index: usize) -> Ranked {
        Ranked { scored, id, index }
    }

    fn key(&self) -> (Reverse<u32>, i64, usize) {
        (Reverse(self.scored.score), self.id, self.index)
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// Keeps the best `n` in `heap`, whose top is the worst kept (the greatest
/// is the worst).
fn keep_best<T: Ord>(heap: &mut BinaryHeap<T>, n: usize, candidate: T) {
    if heap.len() < n {
        heap.push(candidate);
    } else if let Some(mut worst) = heap.peek_mut()
        && candidate < *worst
    {
        *worst = candidate;
    }
}

/// The hard constraints after the job's being open and the person's age
/// (location, access, conflicts), then the score.
fn evaluate(person: &SeekerView<'_>, posting: &JobView<'_>) -> Result<Scored, Exclusion> {
    let (arrangement, minutes) = place(person, posting)?;
    if arrangement == Arrangement::OnSite {
        check_access(person, posting)?;
    }
    if let Some(limitations) = &person.limitations
        && let Some(conflict) = conflicts(limitations, posting.job)
            .find(|conflict| cover_for(conflict, posting.offered).is_none())
    {
        return Err(Exclusion::Conflict {
            demand: conflict.demand,
            level: conflict.level,
            function: conflict.function,
            limitation: conflict.limitation,
        });
    }
    Ok(score(person, posting, arrangement, minutes))
}

/// Where the person would work and the travel time from home, or why the
/// job is out of reach.
fn place(
    person: &SeekerView<'_>,
    posting: &JobView<'_>,
) -> Result<(Arrangement, Option<u16>), Exclusion> {
    place_at(person, posting.district, posting.job.remote_possible)
}

/// [`place`] for a job in the district at position `district` of
/// [`district::all`] (`None`: not a district) that can or cannot be done
/// from home: all the location constraint reads of a job.
fn place_at(
    person: &SeekerView<'_>,
    district: Option<usize>,
    remote_possible: bool,
) -> Result<(Arrangement, Option<u16>), Exclusion> {
    let seeker = person.seeker;
    let minutes = person
        .home
        .zip(district)
        .and_then(|(home, work)| minutes_between(home, work));
    if remote_possible && seeker.remote_acceptable {
        return Ok((Arrangement::Remote, minutes));
    }
    let in_districts = district.is_some_and(|index| person.districts & (1 << index) != 0);
    let within_limit = minutes
        .zip(seeker.commute_limit_minutes)
        .is_some_and(|(minutes, limit)| minutes <= limit);
    if person.anywhere || in_districts || within_limit {
        Ok((Arrangement::OnSite, minutes))
    } else {
        Err(Exclusion::OutsideArea {
            district: district.and_then(|index| district::all().get(index)),
            minutes,
            limit: seeker.commute_limit_minutes,
        })
    }
}

/// Every workplace feature the person needs is offered.
fn check_access(person: &SeekerView<'_>, posting: &JobView<'_>) -> Result<(), Exclusion> {
    let missing = missing_access(person.access_needed, posting.offered);
    if missing == 0 {
        return Ok(());
    }
    match WORKPLACE_ACCESS
        .iter()
        .find(|feature| missing & accommodation_bit(**feature) != 0)
    {
        Some(needed) => Err(Exclusion::NoAccess { needed: *needed }),
        None => Ok(()),
    }
}

/// The workplace features needed (accommodation bits) that are not
/// offered; none missing is 0.
fn missing_access(needed: u64, offered: u64) -> u64 {
    needed & !offered
}

/// A demand of the job that meets a limitation at or above its threshold.
struct Conflict {
    demand: Demand,
    level: DemandLevel,
    function: Function,
    limitation: Limitation,
}

/// Every conflict between the job's demands and the limitations, in the
/// order of [`DEMAND_LOADS`] and of each demand's functions. A demand listed
/// more than once counts at its highest level.
fn conflicts<'a>(
    limitations: &'a [Limitation; FUNCTION_COUNT],
    job: &'a Job,
) -> impl Iterator<Item = Conflict> + 'a {
    conflicts_by(limitations, |demand| demand_level(job, demand))
}

/// [`conflicts`] for a job given by the level of each of its demands.
fn conflicts_by<'a>(
    limitations: &'a [Limitation; FUNCTION_COUNT],
    levels: impl Fn(Demand) -> Option<DemandLevel> + 'a,
) -> impl Iterator<Item = Conflict> + 'a {
    DEMAND_LOADS
        .iter()
        .filter_map(move |load| Some((load, levels(load.demand)?)))
        .flat_map(move |(load, level)| load_conflicts(load, level, limitations))
}

/// The level at which a job makes a demand: its highest, if the demand is
/// listed more than once; `None` if not listed.
fn demand_level(job: &Job, demand: Demand) -> Option<DemandLevel> {
    job.demands
        .iter()
        .filter(|(listed, _)| *listed == demand)
        .map(|(_, level)| *level)
        .max()
}

/// The conflicts of one demand made at `level` with the limitations, in the
/// order of the demand's functions.
fn load_conflicts<'a>(
    load: &'a DemandLoad,
    level: DemandLevel,
    limitations: &'a [Limitation; FUNCTION_COUNT],
) -> impl Iterator<Item = Conflict> + 'a {
    load.functions.iter().filter_map(move |function| {
        let limitation = limitations[*function as usize];
        (limitation >= load.conflicts_from(level)).then_some(Conflict {
            demand: load.demand,
            level,
            function: *function,
            limitation,
        })
    })
}

/// Every accommodation that covers a conflict, in the order of [`COVERS`];
/// the job must offer one of them.
fn covering(conflict: &Conflict) -> impl Iterator<Item = Accommodation> + '_ {
    COVERS
        .iter()
        .filter(|row| {
            row.demand == conflict.demand
                && row.function == conflict.function
                && conflict.level <= row.up_to_level
                && conflict.limitation <= row.up_to_limitation
        })
        .flat_map(|row| row.by.iter().copied())
}

/// The first offered accommodation, in the order of [`COVERS`], that
/// covers a conflict.
fn cover_for(conflict: &Conflict, offered: u64) -> Option<Accommodation> {
    covering(conflict).find(|accommodation| offered & accommodation_bit(*accommodation) != 0)
}

/// The conflicts of a match and the accommodations that cover them.
fn accommodated(person: &SeekerView<'_>, posting: &JobView<'_>) -> Vec<Accommodated> {
    accommodated_by(
        person,
        |demand| demand_level(posting.job, demand),
        posting.offered,
    )
}

/// [`accommodated`] for a job given by the level of each of its demands
/// and the accommodations it offers (as bits).
fn accommodated_by(
    person: &SeekerView<'_>,
    levels: impl Fn(Demand) -> Option<DemandLevel>,
    offered: u64,
) -> Vec<Accommodated> {
    let Some(limitations) = &person.limitations else {
        return Vec::new();
    };
    conflicts_by(limitations, levels)
        .filter_map(|conflict| {
            let by = cover_for(&conflict, offered)?;
            Some(Accommodated {
                demand: conflict.demand,
                level: conflict.level,
                function: conflict.function,
                limitation: conflict.limitation,
                by,
            })
        })
        .collect()
}

/// A share of a factor's weight, `numerator / denominator`, at most 1.
#[derive(Clone, Copy)]
struct Share {
    numerator: u64,
    denominator: u64,
}

impl Share {
    const FULL: Share = Share::percent(100);
    const NOTHING: Share = Share::percent(0);

    const fn percent(percent: u32) -> Share {
        Share {
            numerator: percent as u64,
            denominator: 100,
        }
    }

    fn of(numerator: u32, denominator: u32) -> Share {
        Share {
            numerator: u64::from(numerator),
            denominator: u64::from(denominator),
        }
    }
}

/// A factor's points: its weight times the share, rounded down.
fn factor_score(factor: Factor, (share, reason): (Share, Reason)) -> FactorScore {
    let weight = WEIGHTS.of(factor);
    // A zero denominator (the rules never make one) counts as the full share.
    let points = (u64::from(weight) * share.numerator.min(share.denominator))
        .checked_div(share.denominator)
        .map_or(weight, |points| u32::try_from(points).unwrap_or(weight));
    FactorScore {
        factor,
        points,
        weight,
        reason,
    }
}

fn score(
    person: &SeekerView<'_>,
    posting: &JobView<'_>,
    arrangement: Arrangement,
    minutes: Option<u16>,
) -> Scored {
    let job = posting.job;
    let facts = JobFacts {
        occupation: job.occupation,
        skills_required: skill_count(&job.skills_required),
        skills_matched: matched_skills(&person.seeker.skills, &job.skills_required),
        education_required: job.education_required,
        hours: job.hours,
        monthly_wage: job.monthly_wage,
        reserved: job.reserved_for_disabled,
    };
    score_facts(person.seeker, &facts, arrangement, minutes)
}

/// What the score reads of a job, with the required skills the person has
/// counted (the job index counts them by tag number).
#[derive(Clone, Copy)]
struct JobFacts {
    occupation: SubMajorGroup,
    skills_required: u32,
    skills_matched: u32,
    education_required: Option<Education>,
    hours: Hours,
    monthly_wage: u32,
    reserved: bool,
}

fn score_facts(
    seeker: &Seeker,
    job: &JobFacts,
    arrangement: Arrangement,
    minutes: Option<u16>,
) -> Scored {
    let factors = [
        factor_score(
            Factor::Occupation,
            occupation_share(&seeker.desired_occupations, job.occupation),
        ),
        factor_score(
            Factor::Skills,
            skills_share(job.skills_matched, job.skills_required),
        ),
        factor_score(
            Factor::Education,
            education_share(seeker.education, job.education_required),
        ),
        factor_score(Factor::Hours, hours_share(seeker.hours, job.hours)),
        factor_score(
            Factor::Wage,
            wage_share(seeker.wage_expectation, job.monthly_wage),
        ),
        factor_score(Factor::Travel, travel_share(arrangement, minutes)),
        factor_score(Factor::Reserved, reserved_share(job.reserved)),
    ];
    Scored {
        score: factors.iter().map(|entry| entry.points).sum(),
        arrangement,
        factors,
    }
}

// Each factor's share is a function of the few fields it reads, so the
// job index (`index.rs`) builds its tables from these same functions.

fn occupation_share(wanted: &[SubMajorGroup], occupation: SubMajorGroup) -> (Share, Reason) {
    if wanted.is_empty() {
        (
            Share::percent(NO_OCCUPATION_PREFERENCE_PERCENT),
            Reason::NoOccupationPreference { occupation },
        )
    } else if wanted.contains(&occupation) {
        (Share::FULL, Reason::DesiredOccupation { occupation })
    } else if wanted.iter().any(|want| want.major() == occupation.major()) {
        (
            Share::percent(RELATED_OCCUPATION_PERCENT),
            Reason::RelatedOccupation {
                occupation,
                major: occupation.major(),
            },
        )
    } else {
        (Share::NOTHING, Reason::OtherOccupation { occupation })
    }
}

/// Skill tags match ignoring surrounding space and ASCII case; the app
/// normalises full-width forms before.
fn same_tag(first: &str, second: &str) -> bool {
    first.trim().eq_ignore_ascii_case(second.trim())
}

/// How many skills a job requires (a tag listed twice counts twice).
fn skill_count(required: &[String]) -> u32 {
    u32::try_from(required.len()).unwrap_or(u32::MAX)
}

/// How many of the required skills the person has.
fn matched_skills(held: &[String], required: &[String]) -> u32 {
    required
        .iter()
        .filter(|wanted| held.iter().any(|tag| same_tag(tag, wanted)))
        .fold(0u32, |count, _| count.saturating_add(1))
}

fn skills_share(matched: u32, required: u32) -> (Share, Reason) {
    let share = if required == 0 {
        Share::FULL
    } else {
        Share::of(matched, required)
    };
    (share, Reason::Skills { matched, required })
}

fn education_rank(education: Education) -> u32 {
    EDUCATION_RANKS
        .iter()
        .find(|(listed, _)| *listed == education)
        .map_or(0, |(_, rank)| *rank)
}

fn education_share(held: Option<Education>, required: Option<Education>) -> (Share, Reason) {
    let Some(required) = required else {
        return (Share::FULL, Reason::NoEducationRequired);
    };
    let Some(held) = held else {
        return (
            Share::percent(EDUCATION_UNKNOWN_PERCENT),
            Reason::EducationUnknown { required },
        );
    };
    let (needed, has) = (education_rank(required), education_rank(held));
    if has >= needed {
        (Share::FULL, Reason::EducationMet { required })
    } else if has + 1 == needed {
        (
            Share::percent(EDUCATION_ONE_RANK_BELOW_PERCENT),
            Reason::EducationOneRankBelow { required, held },
        )
    } else {
        (Share::NOTHING, Reason::EducationBelow { required, held })
    }
}

fn hours_share(wanted: Hours, offered: Hours) -> (Share, Reason) {
    let percent = HOURS_FIT
        .iter()
        .find(|(row_wanted, row_offered, _)| *row_wanted == wanted && *row_offered == offered)
        .map_or(0, |(_, _, percent)| *percent);
    (Share::percent(percent), Reason::Hours { wanted, offered })
}

/// Full at or above the expectation, falling linearly to nothing at half of
/// it: (2·wage − expectation) / expectation.
fn wage_share(expectation: Option<u32>, wage: u32) -> (Share, Reason) {
    let Some(expectation) = expectation else {
        return (Share::FULL, Reason::NoWageExpectation { wage });
    };
    let share = if wage >= expectation {
        Share::FULL
    } else {
        Share {
            numerator: (2 * u64::from(wage)).saturating_sub(u64::from(expectation)),
            denominator: u64::from(expectation),
        }
    };
    (share, Reason::Wage { wage, expectation })
}

fn reserved_share(reserved: bool) -> (Share, Reason) {
    let share = if reserved {
        Share::FULL
    } else {
        Share::NOTHING
    };
    (share, Reason::Reserved { reserved })
}

fn travel_share(arrangement: Arrangement, minutes: Option<u16>) -> (Share, Reason) {
    match (arrangement, minutes) {
        (Arrangement::Remote, _) => (Share::FULL, Reason::Remote),
        (Arrangement::OnSite, None) => (Share::NOTHING, Reason::TravelUnknown),
        (Arrangement::OnSite, Some(minutes)) => {
            let percent = TRAVEL_BANDS
                .iter()
                .find(|(up_to, _)| minutes <= *up_to)
                .map_or(0, |(_, percent)| *percent);
            (Share::percent(percent), Reason::Travel { minutes })
        }
    }
}

fn text(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// The position of a district in [`district::all`] (and so in
/// [`TRAVEL_MINUTES`]), from a current or withdrawn code.
fn district_index(code: &str) -> Option<usize> {
    let position = |code: &str| {
        district::all()
            .iter()
            .position(|district| district.code == code)
    };
    // Current codes are the usual case; withdrawn ones take a second look.
    position(code).or_else(|| position(district::current_for(code)?.code))
}

fn minutes_between(from: usize, to: usize) -> Option<u16> {
    TRAVEL_MINUTES.get(from)?.get(to).copied()
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use std::slice;

    use proptest::prelude::*;

    use super::*;

    const HEPING: &str = "120101";
    const HEDONG: &str = "120102";
    const HEXI: &str = "120103";
    const BINHAI: &str = "120116";
    const JIZHOU: &str = "120119";

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 3, 1)
    }

    fn rule() -> WorkingAgeRule {
        WorkingAgeRule::gradual_2025()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| (*item).to_owned()).collect()
    }

    /// A man of 35 living in Heping, assessed with no limitation, who wants
    /// full-time clerical work in Heping: every factor but the reserved
    /// post is full against [`job`], which scores 90.
    fn seeker() -> Seeker {
        Seeker {
            person_id: 1,
            birth_date: date(1990, 6, 15),
            retirement_group: RetirementGroup::Male,
            functions: Some(Vec::new()),
            accommodations_needed: Vec::new(),
            skills: strings(&["office"]),
            education: Some(Education::SeniorSecondary),
            desired_occupations: vec![SubMajorGroup::GeneralClerks],
            districts: strings(&[HEPING]),
            commute_limit_minutes: None,
            remote_acceptable: false,
            hours: Hours::FullTime,
            wage_expectation: Some(4000),
            home_district: HEPING.to_owned(),
        }
    }

    fn job(id: i64) -> Job {
        Job {
            id,
            occupation: SubMajorGroup::GeneralClerks,
            district: HEPING.to_owned(),
            remote_possible: false,
            hours: Hours::FullTime,
            monthly_wage: 4000,
            education_required: None,
            skills_required: strings(&["office"]),
            demands: Vec::new(),
            accommodations: Vec::new(),
            reserved_for_disabled: false,
            open: true,
        }
    }

    fn with_limitations(pairs: &[(Function, Limitation)]) -> Seeker {
        Seeker {
            functions: Some(pairs.to_vec()),
            ..seeker()
        }
    }

    fn verdict(seeker: &Seeker, job: &Job) -> Verdict {
        explain(seeker, job, today(), &rule())
    }

    fn matched(seeker: &Seeker, job: &Job) -> Match {
        match verdict(seeker, job) {
            Verdict::Matched(found) => {
                assert_explained(&found);
                found
            }
            Verdict::Excluded(excluded) => {
                panic!("excluded: {}", excluded.exclusion.describe(Lang::En))
            }
        }
    }

    fn exclusion(seeker: &Seeker, job: &Job) -> Exclusion {
        match verdict(seeker, job) {
            Verdict::Matched(found) => panic!("matched with score {}", found.score),
            Verdict::Excluded(excluded) => {
                assert_eq!(excluded.job_id, job.id);
                assert_eq!(excluded.person_id, seeker.person_id);
                excluded.exclusion
            }
        }
    }

    fn points(found: &Match, factor: Factor) -> u32 {
        found.factor(factor).unwrap().points
    }

    fn job_ids(matches: &[Match]) -> Vec<i64> {
        matches.iter().map(|found| found.job_id).collect()
    }

    /// Every factor is present once, in order, with its weight; no factor
    /// exceeds its weight; the points add up to the score; every reason
    /// reads in both languages.
    fn assert_explained(found: &Match) {
        assert_eq!(found.factors.len(), Factor::ALL.len());
        for (entry, factor) in found.factors.iter().zip(Factor::ALL) {
            assert_eq!(entry.factor, *factor);
            assert_eq!(entry.weight, WEIGHTS.of(*factor));
            assert!(entry.points <= entry.weight, "{entry:?}");
            for lang in Lang::ALL {
                assert!(!entry.reason.describe(lang).is_empty());
            }
        }
        let sum: u32 = found.factors.iter().map(|entry| entry.points).sum();
        assert_eq!(sum, found.score);
        assert!(found.score <= 100);
        for accommodated in &found.accommodated {
            assert!(!accommodated.describe(Lang::Zh).is_empty());
        }
    }

    #[test]
    fn a_deaf_seeker_is_matched_to_frequent_phone_use_only_with_an_interpreter_or_relay() {
        let deaf = with_limitations(&[(Function::Hearing, Limitation::Severe)]);
        let mut phone_job = job(10);
        phone_job.demands = vec![(Demand::PhoneUse, DemandLevel::Frequent)];
        let conflict = Exclusion::Conflict {
            demand: Demand::PhoneUse,
            level: DemandLevel::Frequent,
            function: Function::Hearing,
            limitation: Limitation::Severe,
        };
        assert_eq!(exclusion(&deaf, &phone_job), conflict);
        // Written instructions do not make a day on the telephone possible.
        phone_job.accommodations = vec![Accommodation::WrittenInstructions];
        assert_eq!(exclusion(&deaf, &phone_job), conflict);
        assert!(top_jobs(&deaf, slice::from_ref(&phone_job), 5, today(), &rule()).is_empty());

        // A relay service puts the calls through as text or video.
        let mut relayed = phone_job.clone();
        relayed.accommodations.push(Accommodation::RelayService);
        assert_eq!(
            matched(&deaf, &relayed).accommodated[0].by,
            Accommodation::RelayService
        );
        // Captions help in meetings, not on the telephone.
        let mut captioned = phone_job.clone();
        captioned
            .accommodations
            .push(Accommodation::CaptionedMeetings);
        assert_eq!(exclusion(&deaf, &captioned), conflict);

        phone_job.accommodations.push(Accommodation::SignLanguage);
        let found = matched(&deaf, &phone_job);
        assert_eq!(
            found.accommodated,
            vec![Accommodated {
                demand: Demand::PhoneUse,
                level: DemandLevel::Frequent,
                function: Function::Hearing,
                limitation: Limitation::Severe,
                by: Accommodation::SignLanguage,
            }]
        );
        assert_eq!(
            job_ids(&top_jobs(
                &deaf,
                slice::from_ref(&phone_job),
                5,
                today(),
                &rule()
            )),
            vec![10]
        );

        // Occasional calls can be replaced by written messages.
        let mut occasional = job(11);
        occasional.demands = vec![(Demand::PhoneUse, DemandLevel::Occasional)];
        assert!(matches!(
            exclusion(&deaf, &occasional),
            Exclusion::Conflict { .. }
        ));
        occasional.accommodations = vec![Accommodation::WrittenInstructions];
        assert_eq!(
            matched(&deaf, &occasional).accommodated[0].by,
            Accommodation::WrittenInstructions
        );

        // A person who hears needs nothing.
        phone_job.accommodations.clear();
        assert!(matched(&seeker(), &phone_job).accommodated.is_empty());
    }

    #[test]
    fn a_wheelchair_user_gets_step_free_work_but_never_frequent_standing() {
        let mut wheelchair = with_limitations(&[(Function::Mobility, Limitation::Severe)]);
        wheelchair.accommodations_needed = vec![Accommodation::StepFree];

        let mut ground_floor = job(20);
        ground_floor.demands = vec![
            (Demand::FineMotor, DemandLevel::Occasional),
            (Demand::Reading, DemandLevel::Frequent),
            (Demand::Walking, DemandLevel::Occasional),
        ];
        ground_floor.accommodations =
            vec![Accommodation::StepFree, Accommodation::AccessibleToilet];
        let found = matched(&wheelchair, &ground_floor);
        assert_eq!(found.arrangement, Arrangement::OnSite);
        assert_eq!(
            found.accommodated,
            vec![Accommodated {
                demand: Demand::Walking,
                level: DemandLevel::Occasional,
                function: Function::Mobility,
                limitation: Limitation::Severe,
                by: Accommodation::StepFree,
            }]
        );

        // Standing all day, whatever the employer offers.
        let mut counter = job(21);
        counter.demands = vec![(Demand::Standing, DemandLevel::Frequent)];
        counter.accommodations = Accommodation::ALL.to_vec();
        assert_eq!(
            exclusion(&wheelchair, &counter),
            Exclusion::Conflict {
                demand: Demand::Standing,
                level: DemandLevel::Frequent,
                function: Function::Mobility,
                limitation: Limitation::Severe,
            }
        );

        // Standing now and then is covered by an adjusted workstation.
        let mut occasional = job(22);
        occasional.demands = vec![(Demand::Standing, DemandLevel::Occasional)];
        occasional.accommodations = vec![Accommodation::StepFree];
        assert!(matches!(
            exclusion(&wheelchair, &occasional),
            Exclusion::Conflict { .. }
        ));
        occasional
            .accommodations
            .push(Accommodation::AdjustedWorkstation);
        assert_eq!(
            matched(&wheelchair, &occasional).accommodated[0].by,
            Accommodation::AdjustedWorkstation
        );

        // Without step-free access the workplace is closed to them…
        let mut upstairs = job(23);
        assert_eq!(
            exclusion(&wheelchair, &upstairs),
            Exclusion::NoAccess {
                needed: Accommodation::StepFree
            }
        );
        // …unless the work is done from home.
        upstairs.remote_possible = true;
        let mut at_home = wheelchair.clone();
        at_home.remote_acceptable = true;
        assert_eq!(
            matched(&at_home, &upstairs).arrangement,
            Arrangement::Remote
        );

        let jobs = [ground_floor, counter, occasional, upstairs];
        assert_eq!(
            job_ids(&top_jobs(&wheelchair, &jobs, 10, today(), &rule())),
            vec![20, 22]
        );
        assert_eq!(
            job_ids(&top_jobs(&at_home, &jobs, 10, today(), &rule())),
            vec![20, 22, 23]
        );
    }

    #[test]
    fn a_person_past_working_age_gets_no_recommendations() {
        let jobs = [job(1), job(2)];
        let mut retired = seeker();
        retired.birth_date = date(1960, 1, 10);
        assert!(top_jobs(&retired, &jobs, 10, today(), &rule()).is_empty());
        assert_eq!(
            exclusion(&retired, &jobs[0]),
            Exclusion::PastWorkingAge {
                since: date(2020, 1, 10)
            }
        );
        assert!(
            top_candidates(&jobs[0], slice::from_ref(&retired), 10, today(), &rule()).is_empty()
        );

        let mut young = seeker();
        young.birth_date = date(2011, 5, 2);
        assert!(top_jobs(&young, &jobs, 10, today(), &rule()).is_empty());
        assert_eq!(
            exclusion(&young, &jobs[0]),
            Exclusion::BelowWorkingAge {
                from: date(2027, 5, 2)
            }
        );

        // The last day before retirement still counts; the day itself not.
        let mut leaving = seeker();
        leaving.birth_date = date(1966, 3, 2);
        let last_day = retirement_date(leaving.birth_date, leaving.retirement_group, &rule());
        let day_before = last_day.pred_opt().unwrap();
        assert_eq!(top_jobs(&leaving, &jobs, 10, day_before, &rule()).len(), 2);
        assert!(top_jobs(&leaving, &jobs, 10, last_day, &rule()).is_empty());

        // The rule is data: under the fixed bands of 2022, a woman of 56 is
        // past working age, under the gradual reform not yet.
        let mut woman = seeker();
        woman.retirement_group = RetirementGroup::Female55;
        woman.birth_date = date(1971, 1, 5);
        assert!(
            top_jobs(
                &woman,
                &jobs,
                10,
                today(),
                &WorkingAgeRule::fixed_bands_2022()
            )
            .is_empty()
        );
        assert_eq!(top_jobs(&woman, &jobs, 10, today(), &rule()).len(), 2);
    }

    #[test]
    fn every_factor_is_explained_and_the_contributions_add_up_to_the_score() {
        assert_eq!(matched(&seeker(), &job(1)).score, 90);
        let mut best = job(1);
        best.reserved_for_disabled = true;
        let found = matched(&seeker(), &best);
        assert_eq!(found.score, 100);
        assert!(
            found
                .factors
                .iter()
                .all(|entry| entry.points == entry.weight)
        );

        let mut partial = job(2);
        partial.occupation = SubMajorGroup::CustomerServicesClerks;
        partial.skills_required = strings(&["office", "Excel", "typing"]);
        partial.education_required = Some(Education::College);
        partial.hours = Hours::Flexible;
        partial.monthly_wage = 3000;
        partial.district = HEDONG.to_owned();
        let mut person = seeker();
        person.skills = strings(&["OFFICE", " excel "]);
        person.districts.push(HEDONG.to_owned());
        let found = matched(&person, &partial);
        // 25 × 50 % = 12; 20 × 2/3 = 13; one rank below: 10 × 50 % = 5;
        // flexible for full-time: 10 × 50 % = 5; 3,000 against 4,000:
        // 10 × (6,000 − 4,000) / 4,000 = 5; 25 minutes: 15; not reserved: 0.
        let expected = [
            (Factor::Occupation, 12),
            (Factor::Skills, 13),
            (Factor::Education, 5),
            (Factor::Hours, 5),
            (Factor::Wage, 5),
            (Factor::Travel, 15),
            (Factor::Reserved, 0),
        ];
        for (factor, value) in expected {
            assert_eq!(points(&found, factor), value, "{factor:?}");
        }
        assert_eq!(found.score, 55);
        assert_eq!(
            found.factor(Factor::Occupation).unwrap().reason,
            Reason::RelatedOccupation {
                occupation: SubMajorGroup::CustomerServicesClerks,
                major: MajorGroup::ClericalSupport,
            }
        );
    }

    #[test]
    fn each_factor_follows_its_table() {
        let person = seeker();
        // Occupation: wanted, related, other, no preference.
        let mut other = job(1);
        other.occupation = SubMajorGroup::CleanersHelpers;
        assert_eq!(points(&matched(&person, &other), Factor::Occupation), 0);
        let mut open_minded = seeker();
        open_minded.desired_occupations.clear();
        assert_eq!(
            points(&matched(&open_minded, &other), Factor::Occupation),
            12
        );
        // Skills: none required gives the full weight.
        let mut no_skills = job(2);
        no_skills.skills_required.clear();
        assert_eq!(points(&matched(&person, &no_skills), Factor::Skills), 20);
        // Education: met, one rank below, further below, not recorded.
        let mut educated = job(3);
        for (required, expected) in [
            (Education::Vocational, 10),
            (Education::College, 5),
            (Education::BachelorOrAbove, 0),
        ] {
            educated.education_required = Some(required);
            assert_eq!(
                points(&matched(&person, &educated), Factor::Education),
                expected
            );
        }
        let mut unrecorded = seeker();
        unrecorded.education = None;
        assert_eq!(
            points(&matched(&unrecorded, &educated), Factor::Education),
            5
        );
        // Hours: part-time offered to a person wanting full-time.
        let mut part_time = job(4);
        part_time.hours = Hours::PartTime;
        assert_eq!(points(&matched(&person, &part_time), Factor::Hours), 0);
        // Wage: at or above the expectation full; half of it nothing.
        let mut wage_job = job(5);
        for (wage, expected) in [(5000, 10), (4000, 10), (3500, 7), (2000, 0), (0, 0)] {
            wage_job.monthly_wage = wage;
            assert_eq!(
                points(&matched(&person, &wage_job), Factor::Wage),
                expected,
                "{wage}"
            );
        }
        let mut no_expectation = seeker();
        no_expectation.wage_expectation = None;
        assert_eq!(
            points(&matched(&no_expectation, &wage_job), Factor::Wage),
            10
        );
        // Travel: the bands.
        let mut anywhere = seeker();
        anywhere.districts.clear();
        let mut far = job(6);
        for (district, minutes, expected) in [
            (HEPING, 0, 15),
            (HEXI, 20, 15),
            ("120104", 30, 15),
            ("120113", 45, 11),
            ("120118", 60, 7),
            ("120116", 80, 3),
            ("120114", 70, 3),
            ("120117", 95, 0),
        ] {
            far.district = district.to_owned();
            let found = matched(&anywhere, &far);
            assert_eq!(
                found.factor(Factor::Travel).unwrap().reason,
                Reason::Travel { minutes },
                "{district}"
            );
            assert_eq!(points(&found, Factor::Travel), expected, "{district}");
        }
    }

    #[test]
    fn the_commute_limit_is_read_from_the_travel_time_table() {
        let mut commuter = seeker();
        commuter.districts.clear();
        commuter.commute_limit_minutes = Some(30);
        let mut hexi = job(1);
        hexi.district = HEXI.to_owned();
        let mut binhai = job(2);
        binhai.district = BINHAI.to_owned();

        let found = matched(&commuter, &hexi);
        assert_eq!(
            found.factor(Factor::Travel).unwrap().reason,
            Reason::Travel { minutes: 20 }
        );
        assert_eq!(
            exclusion(&commuter, &binhai),
            Exclusion::OutsideArea {
                district: district::by_code(BINHAI),
                minutes: Some(80),
                limit: Some(30),
            }
        );
        assert_eq!(
            job_ids(&top_jobs(
                &commuter,
                &[binhai.clone(), hexi.clone()],
                5,
                today(),
                &rule()
            )),
            vec![1]
        );

        // The limit itself is within it.
        commuter.commute_limit_minutes = Some(20);
        matched(&commuter, &hexi);
        commuter.commute_limit_minutes = Some(19);
        assert!(matches!(
            exclusion(&commuter, &hexi),
            Exclusion::OutsideArea { .. }
        ));

        // A district named is acceptable however far.
        commuter.districts.push(BINHAI.to_owned());
        assert_eq!(points(&matched(&commuter, &binhai), Factor::Travel), 3);

        // Naming neither districts nor a limit accepts everywhere.
        commuter.districts.clear();
        commuter.commute_limit_minutes = None;
        matched(&commuter, &binhai);

        // A home district that is not a district: only districts named help.
        commuter.home_district = "110101".to_owned();
        commuter.commute_limit_minutes = Some(200);
        assert_eq!(
            exclusion(&commuter, &hexi),
            Exclusion::OutsideArea {
                district: district::by_code(HEXI),
                minutes: None,
                limit: Some(200),
            }
        );
        commuter.districts.push(HEXI.to_owned());
        assert_eq!(
            matched(&commuter, &hexi)
                .factor(Factor::Travel)
                .unwrap()
                .reason,
            Reason::TravelUnknown
        );
    }

    #[test]
    fn the_travel_time_table_is_symmetric_with_zero_on_the_diagonal() {
        assert_eq!(TRAVEL_MINUTES.len(), district::all().len());
        for (from, row) in TRAVEL_MINUTES.iter().enumerate() {
            assert_eq!(row.len(), district::all().len());
            for (to, minutes) in row.iter().enumerate() {
                assert_eq!(*minutes, TRAVEL_MINUTES[to][from], "{from} {to}");
                assert_eq!(*minutes == 0, from == to, "{from} {to}");
            }
        }
        assert_eq!(travel_minutes(HEPING, HEXI), Some(20));
        assert_eq!(travel_minutes(HEXI, HEPING), Some(20));
        assert_eq!(travel_minutes(JIZHOU, JIZHOU), Some(0));
        // A withdrawn code counts as the district that took it over.
        assert_eq!(travel_minutes("120107", HEPING), Some(80));
        assert_eq!(travel_minutes("110101", HEPING), None);
    }

    #[test]
    fn remote_work_that_is_possible_and_accepted_needs_no_journey() {
        let mut homeworker = seeker();
        homeworker.remote_acceptable = true;
        let mut jizhou = job(1);
        jizhou.district = JIZHOU.to_owned();
        jizhou.remote_possible = true;
        let found = matched(&homeworker, &jizhou);
        assert_eq!(found.arrangement, Arrangement::Remote);
        assert_eq!(
            found.factor(Factor::Travel),
            Some(&FactorScore {
                factor: Factor::Travel,
                points: 15,
                weight: 15,
                reason: Reason::Remote,
            })
        );

        homeworker.remote_acceptable = false;
        assert!(matches!(
            exclusion(&homeworker, &jizhou),
            Exclusion::OutsideArea { .. }
        ));
        homeworker.remote_acceptable = true;
        jizhou.remote_possible = false;
        assert!(matches!(
            exclusion(&homeworker, &jizhou),
            Exclusion::OutsideArea { .. }
        ));
    }

    #[test]
    fn closed_jobs_are_excluded() {
        let mut closed = job(1);
        closed.open = false;
        assert_eq!(exclusion(&seeker(), &closed), Exclusion::Closed);
        assert_eq!(
            job_ids(&top_jobs(
                &seeker(),
                &[closed.clone(), job(2)],
                5,
                today(),
                &rule()
            )),
            vec![2]
        );
        assert!(top_candidates(&closed, &[seeker()], 5, today(), &rule()).is_empty());
    }

    #[test]
    fn ties_are_broken_by_id_whatever_the_order_of_input() {
        let mut jobs: Vec<Job> = [5, 3, 9, 7].into_iter().map(job).collect();
        assert_eq!(
            job_ids(&top_jobs(&seeker(), &jobs, 3, today(), &rule())),
            vec![3, 5, 7]
        );
        jobs.reverse();
        assert_eq!(
            job_ids(&top_jobs(&seeker(), &jobs, 3, today(), &rule())),
            vec![3, 5, 7]
        );
        jobs[0].reserved_for_disabled = true;
        assert_eq!(jobs[0].id, 7);
        assert_eq!(
            job_ids(&top_jobs(&seeker(), &jobs, 3, today(), &rule())),
            vec![7, 3, 5]
        );
        assert!(top_jobs(&seeker(), &jobs, 0, today(), &rule()).is_empty());

        let seekers: Vec<Seeker> = [4, 2, 8]
            .into_iter()
            .map(|person_id| Seeker {
                person_id,
                ..seeker()
            })
            .collect();
        let found = top_candidates(&job(1), &seekers, 5, today(), &rule());
        let people: Vec<i64> = found.iter().map(|found| found.person_id).collect();
        assert_eq!(people, vec![2, 4, 8]);
        assert!(found.iter().all(|found| found.job_id == 1));
    }

    #[test]
    fn an_unassessed_person_is_matched_on_everything_but_conflicts() {
        let mut unassessed = seeker();
        unassessed.functions = None;
        let mut demanding = job(1);
        demanding.demands = Demand::ALL
            .iter()
            .map(|demand| (*demand, DemandLevel::Frequent))
            .collect();
        let found = matched(&unassessed, &demanding);
        assert!(found.accommodated.is_empty());
        assert_eq!(found.score, 90);

        // An assessed person with a severe limitation is not.
        let assessed = with_limitations(&[(Function::Vision, Limitation::Severe)]);
        assert!(matches!(
            exclusion(&assessed, &demanding),
            Exclusion::Conflict {
                function: Function::Vision,
                ..
            }
        ));

        // Every other constraint still applies.
        let mut closed = demanding.clone();
        closed.open = false;
        assert_eq!(exclusion(&unassessed, &closed), Exclusion::Closed);
        let mut far = demanding.clone();
        far.district = BINHAI.to_owned();
        assert!(matches!(
            exclusion(&unassessed, &far),
            Exclusion::OutsideArea { .. }
        ));
        let mut no_access = demanding;
        unassessed.accommodations_needed = vec![Accommodation::AccessibleToilet];
        no_access.accommodations = vec![Accommodation::StepFree];
        assert_eq!(
            exclusion(&unassessed, &no_access),
            Exclusion::NoAccess {
                needed: Accommodation::AccessibleToilet
            }
        );
    }

    #[test]
    fn mild_limitations_never_conflict_and_moderate_ones_only_with_frequent_demands() {
        let mut every_occasional = job(1);
        every_occasional.demands = Demand::ALL
            .iter()
            .filter(|demand| **demand != Demand::Lifting)
            .map(|demand| (*demand, DemandLevel::Occasional))
            .collect();
        let mut every_frequent = job(2);
        every_frequent.demands = Demand::ALL
            .iter()
            .map(|demand| (*demand, DemandLevel::Frequent))
            .collect();
        for function in Function::ALL {
            let mild = with_limitations(&[(*function, Limitation::Mild)]);
            matched(&mild, &every_frequent);
            let moderate = with_limitations(&[(*function, Limitation::Moderate)]);
            matched(&moderate, &every_occasional);
        }
        // The worst of a function listed twice counts.
        let twice = with_limitations(&[
            (Function::Stamina, Limitation::Severe),
            (Function::Stamina, Limitation::Mild),
        ]);
        assert!(matches!(
            exclusion(&twice, &every_occasional),
            Exclusion::Conflict {
                function: Function::Stamina,
                ..
            }
        ));
        // A demand listed twice counts at its higher level.
        let moderate = with_limitations(&[(Function::Speech, Limitation::Moderate)]);
        let mut repeated = job(3);
        repeated.demands = vec![
            (Demand::Speech, DemandLevel::Frequent),
            (Demand::Speech, DemandLevel::Occasional),
        ];
        assert_eq!(
            exclusion(&moderate, &repeated),
            Exclusion::Conflict {
                demand: Demand::Speech,
                level: DemandLevel::Frequent,
                function: Function::Speech,
                limitation: Limitation::Moderate,
            }
        );
    }

    /// Ms Li of the worked example in docs/matching.md: Deaf, with some
    /// speech limitation, living in Hedong.
    fn li() -> Seeker {
        Seeker {
            person_id: 7,
            birth_date: date(1988, 4, 20),
            retirement_group: RetirementGroup::Female55,
            functions: Some(vec![
                (Function::Hearing, Limitation::Severe),
                (Function::Speech, Limitation::Moderate),
            ]),
            accommodations_needed: Vec::new(),
            skills: strings(&["excel", "typing", "data entry"]),
            education: Some(Education::Vocational),
            desired_occupations: vec![SubMajorGroup::RecordingClerks],
            districts: strings(&[HEDONG, HEPING]),
            commute_limit_minutes: Some(45),
            remote_acceptable: false,
            hours: Hours::PartTime,
            wage_expectation: Some(3000),
            home_district: HEDONG.to_owned(),
        }
    }

    /// Job 101 of the worked example: a records clerk in Hexi.
    fn records_clerk() -> Job {
        Job {
            id: 101,
            occupation: SubMajorGroup::RecordingClerks,
            district: HEXI.to_owned(),
            remote_possible: false,
            hours: Hours::FullTime,
            monthly_wage: 3600,
            education_required: Some(Education::SeniorSecondary),
            skills_required: strings(&["excel", "typing", "accounting"]),
            demands: vec![
                (Demand::Reading, DemandLevel::Frequent),
                (Demand::PhoneUse, DemandLevel::Occasional),
            ],
            accommodations: vec![Accommodation::WrittenInstructions],
            reserved_for_disabled: true,
            open: true,
        }
    }

    /// Job 102 of the worked example: a part-time hotline in Hedong.
    fn hotline() -> Job {
        Job {
            id: 102,
            occupation: SubMajorGroup::CustomerServicesClerks,
            district: HEDONG.to_owned(),
            remote_possible: false,
            hours: Hours::PartTime,
            monthly_wage: 2700,
            education_required: None,
            skills_required: Vec::new(),
            demands: vec![(Demand::PhoneUse, DemandLevel::Frequent)],
            accommodations: vec![Accommodation::WrittenInstructions],
            reserved_for_disabled: false,
            open: true,
        }
    }

    /// The example worked through in docs/matching.md.
    #[test]
    fn the_worked_example_of_the_document() {
        let li = li();
        let records = records_clerk();
        let mut hotline = hotline();
        let binhai = Job {
            id: 103,
            district: BINHAI.to_owned(),
            ..records.clone()
        };

        let first = matched(&li, &records);
        let contributions: Vec<u32> = first.factors.iter().map(|entry| entry.points).collect();
        assert_eq!(contributions, vec![25, 13, 10, 0, 10, 15, 10]);
        assert_eq!(first.score, 83);
        assert_eq!(first.arrangement, Arrangement::OnSite);
        assert_eq!(
            first.accommodated,
            vec![Accommodated {
                demand: Demand::PhoneUse,
                level: DemandLevel::Occasional,
                function: Function::Hearing,
                limitation: Limitation::Severe,
                by: Accommodation::WrittenInstructions,
            }]
        );

        let why_not = exclusion(&li, &hotline);
        assert_eq!(
            why_not,
            Exclusion::Conflict {
                demand: Demand::PhoneUse,
                level: DemandLevel::Frequent,
                function: Function::Hearing,
                limitation: Limitation::Severe,
            }
        );
        assert_eq!(
            why_not.describe(Lang::Zh),
            "听力重度受限，与岗位要求“使用电话”（经常）冲突，岗位提供的便利无法解决"
        );
        assert_eq!(
            why_not.describe(Lang::En),
            "Hearing: severely limited; conflicts with the job's using the telephone (frequent), and no accommodation offered covers it"
        );

        hotline.accommodations.push(Accommodation::SignLanguage);
        let second = matched(&li, &hotline);
        let contributions: Vec<u32> = second.factors.iter().map(|entry| entry.points).collect();
        assert_eq!(contributions, vec![12, 20, 10, 10, 8, 15, 0]);
        assert_eq!(second.score, 75);
        assert_eq!(second.accommodated.len(), 2);
        assert!(
            second
                .accommodated
                .iter()
                .all(|accommodated| accommodated.by == Accommodation::SignLanguage)
        );

        assert_eq!(
            exclusion(&li, &binhai),
            Exclusion::OutsideArea {
                district: district::by_code(BINHAI),
                minutes: Some(80),
                limit: Some(45),
            }
        );
        assert_eq!(
            exclusion(&li, &binhai).describe(Lang::Zh),
            "岗位位于滨海新区，不在意向工作区域内，通勤约 80 分钟，超过可接受的 45 分钟"
        );

        let top = top_jobs(&li, &[binhai, hotline, records], 5, today(), &rule());
        assert_eq!(top, vec![first, second]);
        assert_eq!(
            top[0].factors[1].reason.describe(Lang::En),
            "Has 2 of the 3 skills required"
        );
    }

    #[test]
    fn the_tables_are_complete_and_consistent() {
        assert_eq!(WEIGHTS.total(), 100);
        assert_eq!(DEMAND_LOADS.len(), Demand::ALL.len());
        for (load, demand) in DEMAND_LOADS.iter().zip(Demand::ALL) {
            assert_eq!(load.demand, *demand);
            assert!(!load.functions.is_empty());
            assert!(load.frequent_from <= load.occasional_from);
            assert!(load.frequent_from > Limitation::Mild);
        }
        for row in &COVERS {
            let load = DEMAND_LOADS
                .iter()
                .find(|load| load.demand == row.demand)
                .unwrap();
            assert!(load.functions.contains(&row.function), "{row:?}");
            // Every row covers at least one conflict.
            assert!(
                load.conflicts_from(row.up_to_level) <= row.up_to_limitation,
                "{row:?}"
            );
            assert!(!row.by.is_empty(), "{row:?}");
        }
        // Frequent standing, walking and lifting against limited mobility
        // are never covered.
        for demand in [Demand::Standing, Demand::Walking, Demand::Lifting] {
            assert!(!COVERS.iter().any(|row| row.demand == demand
                && row.function == Function::Mobility
                && row.up_to_level == DemandLevel::Frequent));
        }
        for wanted in Hours::ALL {
            for offered in Hours::ALL {
                let rows = HOURS_FIT
                    .iter()
                    .filter(|(w, o, _)| w == wanted && o == offered)
                    .count();
                assert_eq!(rows, 1, "{wanted:?} {offered:?}");
            }
        }
        assert!(HOURS_FIT.iter().all(|(_, _, percent)| *percent <= 100));
        for education in Education::ALL {
            let rows = EDUCATION_RANKS
                .iter()
                .filter(|(e, _)| e == education)
                .count();
            assert_eq!(rows, 1, "{education:?}");
        }
        assert!(
            TRAVEL_BANDS
                .windows(2)
                .all(|pair| pair[0].0 < pair[1].0 && pair[0].1 > pair[1].1)
        );
        assert!(TRAVEL_BANDS.iter().all(|(_, percent)| *percent <= 100));
        // The conflict rule relies on limitations being ordered by severity.
        assert!(Limitation::None < Limitation::Mild);
        assert!(Limitation::Mild < Limitation::Moderate);
        assert!(Limitation::Moderate < Limitation::Severe);
        assert!(DemandLevel::Occasional < DemandLevel::Frequent);
    }

    #[test]
    fn codes_round_trip() {
        for demand in Demand::ALL {
            assert_eq!(Demand::from_code(demand.code()), Some(*demand));
        }
        for level in DemandLevel::ALL {
            assert_eq!(DemandLevel::from_code(level.code()), Some(*level));
        }
        for factor in Factor::ALL {
            assert_eq!(Factor::from_code(factor.code()), Some(*factor));
        }
        for arrangement in Arrangement::ALL {
            assert_eq!(
                Arrangement::from_code(arrangement.code()),
                Some(*arrangement)
            );
        }
        assert_eq!(Demand::from_code("phone_use"), Some(Demand::PhoneUse));
        assert_eq!(Demand::from_code("juggling"), None);
    }

    #[test]
    fn a_match_serialises_for_the_api() {
        let mut hotline = job(3);
        hotline.demands = vec![(Demand::PhoneUse, DemandLevel::Frequent)];
        let json = serde_json::to_value(verdict(&seeker(), &hotline)).unwrap();
        assert_eq!(json["verdict"], "matched");
        assert_eq!(json["score"], 90);
        assert_eq!(json["factors"][0]["factor"], "occupation");
        assert_eq!(json["factors"][0]["reason"]["kind"], "desired_occupation");
        assert_eq!(json["factors"][0]["reason"]["occupation"], "41");
        let deaf = with_limitations(&[(Function::Hearing, Limitation::Severe)]);
        let json = serde_json::to_value(verdict(&deaf, &hotline)).unwrap();
        assert_eq!(json["verdict"], "excluded");
        assert_eq!(json["exclusion"]["kind"], "conflict");
        assert_eq!(json["exclusion"]["demand"], "phone_use");
    }

    const DISTRICT_POOL: [&str; 5] = [HEPING, HEDONG, HEXI, BINHAI, JIZHOU];
    const SKILL_POOL: [&str; 4] = ["excel", "typing", "welding", "sign"];
    const OCCUPATION_POOL: [SubMajorGroup; 4] = [
        SubMajorGroup::GeneralClerks,
        SubMajorGroup::CustomerServicesClerks,
        SubMajorGroup::IctProfessionals,
        SubMajorGroup::CleanersHelpers,
    ];

    fn pick<T: Clone + std::fmt::Debug + 'static>(
        items: &[T],
    ) -> impl Strategy<Value = T> + use<T> {
        proptest::sample::select(items.to_vec())
    }

    fn some_of<T: Clone + std::fmt::Debug + 'static>(
        items: &[T],
    ) -> impl Strategy<Value = Vec<T>> + use<T> {
        proptest::sample::subsequence(items.to_vec(), 0..=items.len())
    }

    fn some_strings(items: &[&'static str]) -> impl Strategy<Value = Vec<String>> + use<> {
        proptest::sample::subsequence(items.to_vec(), 0..=items.len())
            .prop_map(|chosen| strings(&chosen))
    }

    fn any_seeker() -> impl Strategy<Value = Seeker> {
        let who = (
            0..12i64,
            (1950..2014i32, 1..13u32, 1..29u32),
            pick(RetirementGroup::ALL.as_slice()),
            proptest::option::of(proptest::collection::vec(
                (pick(Function::ALL), pick(Limitation::ALL)),
                0..4,
            )),
            some_of(&WORKPLACE_ACCESS),
        );
        let wants = (
            some_strings(&SKILL_POOL),
            proptest::option::of(pick(Education::ALL)),
            some_of(&OCCUPATION_POOL),
            some_strings(&DISTRICT_POOL),
            proptest::option::of(0..120u16),
            any::<bool>(),
            pick(Hours::ALL),
            proptest::option::of(0..6000u32),
            pick(&DISTRICT_POOL),
        );
        (who, wants).prop_map(
            |(
                (person_id, (year, month, day), retirement_group, functions, accommodations_needed),
                (
                    skills,
                    education,
                    desired_occupations,
                    districts,
                    commute_limit_minutes,
                    remote_acceptable,
                    hours,
                    wage_expectation,
                    home,
                ),
            )| Seeker {
                person_id,
                birth_date: date(year, month, day),
                retirement_group,
                functions,
                accommodations_needed,
                skills,
                education,
                desired_occupations,
                districts,
                commute_limit_minutes,
                remote_acceptable,
                hours,
                wage_expectation,
                home_district: home.to_owned(),
            },
        )
    }

    fn any_job() -> impl Strategy<Value = Job> {
        let what = (
            0..12i64,
            pick(&OCCUPATION_POOL),
            pick(&DISTRICT_POOL),
            any::<bool>(),
            pick(Hours::ALL),
            0..6000u32,
        );
        let needs = (
            proptest::option::of(pick(Education::ALL)),
            some_strings(&SKILL_POOL),
            proptest::collection::vec((pick(Demand::ALL), pick(DemandLevel::ALL)), 0..4),
            some_of(Accommodation::ALL),
            any::<bool>(),
            proptest::bool::weighted(0.9),
        );
        (what, needs).prop_map(
            |(
                (id, occupation, district, remote_possible, hours, monthly_wage),
                (education_required, skills_required, demands, accommodations, reserved, open),
            )| Job {
                id,
                occupation,
                district: district.to_owned(),
                remote_possible,
                hours,
                monthly_wage,
                education_required,
                skills_required,
                demands,
                accommodations,
                reserved_for_disabled: reserved,
                open,
            },
        )
    }

    /// Every match, sorted by score (highest first) and id (lowest first);
    /// the sort is stable, so equal keys keep the order of the input.
    fn every_match_sorted(pairs: impl Iterator<Item = Verdict>, by_person: bool) -> Vec<Match> {
        let mut all: Vec<Match> = pairs
            .filter_map(|verdict| match verdict {
                Verdict::Matched(found) => Some(found),
                Verdict::Excluded(_) => None,
            })
            .collect();
        all.sort_by(|a, b| {
            let (a_id, b_id) = if by_person {
                (a.person_id, b.person_id)
            } else {
                (a.job_id, b.job_id)
            };
            b.score.cmp(&a.score).then(a_id.cmp(&b_id))
        });
        all
    }

    proptest! {
        #[test]
        fn top_jobs_equals_sorting_every_match(
            seeker in any_seeker(),
            jobs in proptest::collection::vec(any_job(), 0..40),
            n in 0..12usize,
        ) {
            let rule = rule();
            let mut expected = every_match_sorted(
                jobs.iter().map(|job| explain(&seeker, job, today(), &rule)),
                false,
            );
            for found in &expected {
                assert_explained(found);
            }
            expected.truncate(n);
            prop_assert_eq!(top_jobs(&seeker, &jobs, n, today(), &rule), expected);
        }

        #[test]
        fn top_candidates_equals_sorting_every_match(
            job in any_job(),
            seekers in proptest::collection::vec(any_seeker(), 0..40),
            n in 0..12usize,
        ) {
            let rule = rule();
            let mut expected = every_match_sorted(
                seekers.iter().map(|seeker| explain(seeker, &job, today(), &rule)),
                true,
            );
            expected.truncate(n);
            prop_assert_eq!(top_candidates(&job, &seekers, n, today(), &rule), expected);
        }

        #[test]
        fn exclusions_read_in_both_languages_and_agree_with_working_age(
            seeker in any_seeker(),
            job in any_job(),
        ) {
            let verdict = explain(&seeker, &job, today(), &rule());
            let of_working_age = crate::working_age::is_working_age(
                seeker.birth_date,
                seeker.retirement_group,
                today(),
                &rule(),
            );
            let excluded_by_age = matches!(
                verdict,
                Verdict::Excluded(Excluded {
                    exclusion: Exclusion::BelowWorkingAge { .. } | Exclusion::PastWorkingAge { .. },
                    ..
                })
            );
            prop_assert_eq!(excluded_by_age, job.open && !of_working_age);
            if let Verdict::Excluded(excluded) = verdict {
                prop_assert!(!excluded.exclusion.describe(Lang::Zh).is_empty());
                prop_assert!(!excluded.exclusion.describe(Lang::En).is_empty());
            }
        }
    }

    // ---- The job index ---------------------------------------------------

    /// A skill tag as people type it: in another case or with spaces.
    fn retyped(tags: Vec<String>) -> impl Strategy<Value = Vec<String>> {
        let variants: Vec<_> = tags
            .into_iter()
            .map(|tag| {
                prop_oneof![
                    Just(tag.clone()),
                    Just(tag.to_ascii_uppercase()),
                    Just(format!(" {tag}  ")),
                ]
            })
            .collect();
        variants
    }

    fn any_retyped_seeker() -> impl Strategy<Value = Seeker> {
        any_seeker().prop_flat_map(|seeker| {
            retyped(seeker.skills.clone()).prop_map(move |skills| Seeker {
                skills,
                ..seeker.clone()
            })
        })
    }

    /// Jobs with ids from a small pool (many ties on id as well as score),
    /// or, with `unique`, distinct ids falling along the input.
    fn any_jobs(most: usize) -> impl Strategy<Value = Vec<Job>> {
        (proptest::collection::vec(any_job(), 0..most), any::<bool>()).prop_map(
            |(mut jobs, unique)| {
                if unique {
                    let count = jobs.len();
                    for (position, job) in jobs.iter_mut().enumerate() {
                        job.id = i64::try_from(count - position).unwrap();
                    }
                }
                jobs
            },
        )
    }

    fn index_agrees(seekers: &[Seeker], jobs: &[Job], n: usize) -> Result<(), TestCaseError> {
        let rule = rule();
        let index = JobIndex::new(jobs, today(), &rule);
        prop_assert_eq!(index.len(), jobs.iter().filter(|job| job.open).count());
        for seeker in seekers {
            let expected = top_jobs(seeker, jobs, n, today(), &rule);
            prop_assert_eq!(index.top_jobs(seeker, n), expected);
        }
        let batch = index.top_jobs_batch(seekers, n, 2, |_, found| found);
        let expected: Vec<Vec<Match>> = seekers
            .iter()
            .map(|seeker| top_jobs(seeker, jobs, n, today(), &rule))
            .collect();
        prop_assert_eq!(batch, expected);
        Ok(())
    }

    proptest! {
        #[test]
        fn the_index_gives_the_exhaustive_top_jobs(
            seekers in proptest::collection::vec(any_retyped_seeker(), 1..4),
            jobs in any_jobs(60),
            n in 0..14usize,
        ) {
            index_agrees(&seekers, &jobs, n)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Enough jobs that buckets have several blocks and the pruning
        /// skips most of them.
        #[test]
        fn the_index_gives_the_exhaustive_top_jobs_over_many_jobs(
            seekers in proptest::collection::vec(any_retyped_seeker(), 1..6),
            jobs in any_jobs(600),
            n in 1..25usize,
        ) {
            index_agrees(&seekers, &jobs, n)?;
        }
    }

    #[test]
    fn the_index_breaks_ties_like_the_exhaustive_search() {
        // 300 jobs of the same score, ids shuffled and repeated.
        let jobs: Vec<Job> = (0..300i64).map(|at| job((at * 37) % 101)).collect();
        let index = JobIndex::new(&jobs, today(), &rule());
        for n in [1, 5, 10, 100, 400] {
            let found = index.top_jobs(&seeker(), n);
            assert_eq!(found, top_jobs(&seeker(), &jobs, n, today(), &rule()));
            assert!(
                found
                    .windows(2)
                    .all(|pair| pair[0].job_id <= pair[1].job_id)
            );
        }
        let (found, work) = index.top_jobs_with_work(&seeker(), 3);
        assert_eq!(job_ids(&found), vec![0, 0, 0]);
        // The three jobs with id 0 lie in the first blocks; every later
        // block is skipped on its lowest id.
        assert!(work.jobs < jobs.len(), "{work:?}");
    }

    #[test]
    fn the_index_is_empty_for_a_person_not_of_working_age_or_n_zero() {
        let jobs = [job(1), job(2)];
        let index = JobIndex::new(&jobs, today(), &rule());
        let mut retired = seeker();
        retired.birth_date = date(1960, 1, 10);
        assert!(index.top_jobs(&retired, 10).is_empty());
        assert!(index.top_jobs(&seeker(), 0).is_empty());
        assert_eq!(job_ids(&index.top_jobs(&seeker(), 10)), vec![1, 2]);
        let mut closed = job(3);
        closed.open = false;
        assert!(JobIndex::new(&[closed], today(), &rule()).is_empty());
    }

    /// The index bounds a block's wage points by those of its best-paid
    /// job, which holds only while more pay never gives fewer points.
    #[test]
    fn more_pay_never_gives_fewer_wage_points() {
        for expectation in [
            None,
            Some(0),
            Some(1),
            Some(3),
            Some(2320),
            Some(3001),
            Some(9999),
        ] {
            let mut last = 0;
            for wage in (0..=20_000).step_by(7) {
                let points = factor_score(Factor::Wage, wage_share(expectation, wage)).points;
                assert!(points >= last, "{expectation:?} {wage}");
                last = points;
            }
        }
    }

    proptest! {
        /// The index numbers skill tags by a key; two tags have the same
        /// key exactly when `same_tag` holds.
        #[test]
        fn skill_tags_have_the_same_key_exactly_when_they_match(
            first in "[ aAbB\\u{3000}é]{0,4}",
            second in "[ aAbB\\u{3000}é]{0,4}",
        ) {
            prop_assert_eq!(
                index::tag_key(&first) == index::tag_key(&second),
                same_tag(&first, &second)
            );
        }
    }
}
