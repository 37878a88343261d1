//! The synthetic postings of the matching benchmarks, shared by
//! `benches/matching.rs` (the engine on its own and SQL) and
//! `benches/http_match.rs` (one person's recommendations over HTTP): a
//! deterministic Tianjin mix of districts, occupations, skills, functional
//! demands, accommodations offered, education, hours and wages. Only those
//! two benchmarks include it (`mod synthetic_jobs;`); it is not in
//! `benches/common`, whose every item each benchmark would have to use.
//!
//! The people of `matching.rs` are generated there; they share
//! [`Random`], [`OCCUPATIONS`], [`skill_pool`] and [`some_of`] with the
//! postings.

use ablework_domain::district;
use ablework_domain::four_ones::{Accommodation, Hours};
use ablework_domain::matching::{Demand, DemandLevel, Job};
use ablework_domain::occupation::{MajorGroup, SubMajorGroup};
use ablework_domain::person::Education;

/// `SplitMix64`: small, fast and the same everywhere.
pub struct Random(pub u64);

impl Random {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(bound.max(1)).expect("bound"))
            .expect("below the bound")
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn between(&mut self, low: u32, high: u32) -> u32 {
        low + u32::try_from(self.below(usize::try_from(high - low + 1).expect("span")))
            .expect("span")
    }

    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, weight)| weight).sum();
        let mut at = self.between(0, total - 1);
        for (item, weight) in items {
            if at < *weight {
                return *item;
            }
            at -= weight;
        }
        items[items.len() - 1].0
    }
}

/// Postings by district: the centre and Binhai hold more of the jobs.
const POSTINGS: [u32; 16] = [
    60, 60, 80, 90, 55, 35, 70, 110, 60, 75, 80, 35, 260, 25, 45, 30,
];

/// Occupations with their weight among postings and among the occupations
/// people ask for: clerical, service, sales, elementary and assembly work
/// lead in a programme employing persons with disabilities.
pub const OCCUPATIONS: [(SubMajorGroup, u32, u32); 30] = {
    use SubMajorGroup as S;
    [
        (S::AdministrativeManagers, 2, 1),
        (S::HospitalityManagers, 2, 1),
        (S::ScienceProfessionals, 2, 2),
        (S::BusinessProfessionals, 3, 2),
        (S::IctProfessionals, 3, 4),
        (S::LegalSocialCulturalProfessionals, 2, 2),
        (S::HealthAssociates, 3, 5),
        (S::BusinessAssociates, 4, 3),
        (S::LegalSocialCulturalAssociates, 2, 3),
        (S::IctTechnicians, 3, 4),
        (S::GeneralClerks, 9, 12),
        (S::CustomerServicesClerks, 8, 8),
        (S::RecordingClerks, 5, 5),
        (S::OtherClericalSupport, 3, 3),
        (S::PersonalServices, 6, 5),
        (S::Sales, 9, 6),
        (S::PersonalCare, 3, 3),
        (S::ProtectiveServices, 3, 2),
        (S::MarketAgricultural, 1, 1),
        (S::HandicraftPrinting, 3, 4),
        (S::ElectricalTrades, 2, 2),
        (S::FoodWoodGarmentTrades, 4, 4),
        (S::MetalMachineryTrades, 2, 1),
        (S::StationaryPlantOperators, 3, 2),
        (S::Assemblers, 6, 5),
        (S::Drivers, 2, 1),
        (S::CleanersHelpers, 8, 6),
        (S::FoodPreparationAssistants, 3, 3),
        (S::RefuseOtherElementary, 3, 2),
        (S::StreetSalesServices, 1, 1),
    ]
};

/// Skill tags by major group, as employers and people write them.
pub fn skill_pool(major: MajorGroup) -> &'static [&'static str] {
    match major {
        MajorGroup::Managers => &["管理", "Excel", "谈判", "人力资源", "财务", "计划"],
        MajorGroup::Professionals => &[
            "Python",
            "Java",
            "SQL",
            "会计",
            "统计",
            "平面设计",
            "法律",
            "教学",
        ],
        MajorGroup::Technicians => &[
            "CAD",
            "网络维护",
            "记账",
            "检验",
            "摄影",
            "视频剪辑",
            "SQL",
            "推拿",
        ],
        MajorGroup::ClericalSupport => &[
            "Excel",
            "打字",
            "数据录入",
            "档案管理",
            "WPS",
            "客服",
            "记账",
            "接待",
        ],
        MajorGroup::ServiceAndSales => &[
            "收银",
            "销售",
            "客服",
            "食品卫生",
            "按摩",
            "美发",
            "养老护理",
            "安保",
        ],
        MajorGroup::SkilledAgricultural => &["园艺", "养殖", "温室种植", "渔业"],
        MajorGroup::CraftAndTrades => &[
            "焊接", "缝纫", "木工", "电工", "烘焙", "印刷", "刺绣", "剪纸",
        ],
        MajorGroup::PlantAndMachineOperators => &[
            "叉车",
            "机床操作",
            "装配",
            "质检",
            "包装",
            "C1驾照",
            "焊锡",
            "数控",
        ],
        MajorGroup::Elementary | MajorGroup::ArmedForces => &[
            "保洁", "包装", "分拣", "洗碗", "绿化", "配送", "帮厨", "洗车",
        ],
    }
}

/// Each demand a posting of a major group makes, with the percent chance of
/// it being occasional and of it being frequent.
fn demand_pool(major: MajorGroup) -> &'static [(Demand, usize, usize)] {
    use Demand as D;
    match major {
        MajorGroup::ClericalSupport => &[
            (D::Reading, 25, 65),
            (D::Vision, 35, 10),
            (D::PhoneUse, 30, 25),
            (D::Interpersonal, 35, 25),
            (D::FineMotor, 40, 20),
            (D::TimePressure, 30, 10),
            (D::Hearing, 30, 10),
        ],
        MajorGroup::ServiceAndSales => &[
            (D::Standing, 30, 55),
            (D::Walking, 45, 25),
            (D::Interpersonal, 20, 70),
            (D::Speech, 30, 50),
            (D::Hearing, 45, 30),
            (D::TimePressure, 30, 15),
            (D::Lifting, 25, 5),
        ],
        MajorGroup::Elementary | MajorGroup::SkilledAgricultural | MajorGroup::ArmedForces => &[
            (D::Standing, 30, 50),
            (D::Walking, 35, 40),
            (D::Lifting, 45, 20),
            (D::TimePressure, 30, 10),
            (D::FineMotor, 20, 5),
        ],
        MajorGroup::CraftAndTrades => &[
            (D::FineMotor, 30, 60),
            (D::Vision, 40, 40),
            (D::Standing, 45, 20),
            (D::Lifting, 30, 5),
            (D::TimePressure, 30, 15),
        ],
        MajorGroup::PlantAndMachineOperators => &[
            (D::Standing, 35, 40),
            (D::FineMotor, 35, 40),
            (D::Vision, 50, 30),
            (D::Lifting, 30, 10),
            (D::Hearing, 30, 10),
            (D::TimePressure, 35, 25),
        ],
        MajorGroup::Professionals | MajorGroup::Technicians | MajorGroup::Managers => &[
            (D::Reading, 15, 80),
            (D::Vision, 45, 15),
            (D::Speech, 40, 25),
            (D::Interpersonal, 35, 25),
            (D::PhoneUse, 35, 15),
            (D::TimePressure, 40, 25),
        ],
    }
}

/// Base monthly wage of a full-time post in yuan, by major group.
fn base_wage(major: MajorGroup) -> u32 {
    match major {
        MajorGroup::Managers => 7_500,
        MajorGroup::Professionals => 7_000,
        MajorGroup::Technicians => 5_500,
        MajorGroup::ClericalSupport => 4_300,
        MajorGroup::ServiceAndSales => 3_900,
        MajorGroup::SkilledAgricultural => 3_300,
        MajorGroup::CraftAndTrades => 4_500,
        MajorGroup::PlantAndMachineOperators => 4_800,
        MajorGroup::Elementary | MajorGroup::ArmedForces => 3_100,
    }
}

/// Tianjin's monthly minimum wage from 2024, yuan.
const MINIMUM_WAGE: u32 = 2_320;

fn required_education(random: &mut Random, major: MajorGroup) -> Option<Education> {
    use Education as E;
    let choices: &[(Option<Education>, u32)] = match major {
        MajorGroup::Managers | MajorGroup::Professionals => &[
            (None, 10),
            (Some(E::College), 40),
            (Some(E::BachelorOrAbove), 50),
        ],
        MajorGroup::Technicians => &[
            (None, 15),
            (Some(E::Vocational), 35),
            (Some(E::College), 40),
            (Some(E::BachelorOrAbove), 10),
        ],
        MajorGroup::ClericalSupport => &[
            (None, 25),
            (Some(E::JuniorSecondary), 15),
            (Some(E::SeniorSecondary), 35),
            (Some(E::Vocational), 10),
            (Some(E::College), 15),
        ],
        MajorGroup::ServiceAndSales | MajorGroup::CraftAndTrades => &[
            (None, 50),
            (Some(E::Primary), 5),
            (Some(E::JuniorSecondary), 35),
            (Some(E::Vocational), 10),
        ],
        MajorGroup::PlantAndMachineOperators => &[
            (None, 40),
            (Some(E::JuniorSecondary), 45),
            (Some(E::Vocational), 15),
        ],
        MajorGroup::Elementary | MajorGroup::SkilledAgricultural | MajorGroup::ArmedForces => &[
            (None, 75),
            (Some(E::Primary), 10),
            (Some(E::JuniorSecondary), 15),
        ],
    };
    random.weighted(choices)
}

pub fn some_of<T: Copy>(random: &mut Random, pool: &[T], count: usize) -> Vec<T> {
    let mut chosen: Vec<T> = Vec::with_capacity(count);
    let mut taken = vec![false; pool.len()];
    for _ in 0..count.min(pool.len()) {
        let mut at = random.below(pool.len());
        while taken[at] {
            at = (at + 1) % pool.len();
        }
        taken[at] = true;
        chosen.push(pool[at]);
    }
    chosen
}

/// `count` postings, deterministic for a given state of `random`; about
/// 95% open. Their ids run from 100,000 and do not follow their order.
pub fn generate_jobs(random: &mut Random, count: usize) -> Vec<Job> {
    let districts = district::all();
    let district_weights: Vec<(usize, u32)> = POSTINGS.iter().copied().enumerate().collect();
    let occupation_weights: Vec<(SubMajorGroup, u32)> = OCCUPATIONS
        .iter()
        .map(|(occupation, postings, _)| (*occupation, *postings))
        .collect();
    let accommodation_chances: [(Accommodation, usize); 10] = {
        use Accommodation as A;
        [
            (A::StepFree, 45),
            (A::AccessibleToilet, 30),
            (A::ScreenReader, 10),
            (A::SignLanguage, 6),
            (A::WrittenInstructions, 25),
            (A::FlexibleHours, 30),
            (A::AdjustedWorkstation, 25),
            (A::QuietSpace, 15),
            (A::JobCoach, 10),
            (A::Transport, 15),
        ]
    };
    (0..count)
        .map(|position| {
            let occupation = random.weighted(&occupation_weights);
            let major = occupation.major();
            let remote_possible = match major {
                MajorGroup::ClericalSupport => random.chance(25),
                MajorGroup::Professionals | MajorGroup::Technicians => random.chance(35),
                _ => random.chance(3),
            };
            let hours = random.weighted(&[
                (Hours::FullTime, 65),
                (Hours::PartTime, 25),
                (Hours::Flexible, 10),
            ]);
            let mut wage = base_wage(major) * random.between(70, 150) / 100;
            if hours == Hours::PartTime {
                wage = wage * 55 / 100;
            }
            let monthly_wage = (wage.max(MINIMUM_WAGE) / 100) * 100;
            let skill_count = random.weighted(&[(0, 30), (1, 25), (2, 25), (3, 15), (4, 5)]);
            let skills_required = some_of(random, skill_pool(major), skill_count)
                .into_iter()
                .map(str::to_owned)
                .collect();
            let mut demands = Vec::new();
            for (demand, occasional, frequent) in demand_pool(major) {
                let roll = random.below(100);
                if roll < *frequent {
                    demands.push((*demand, DemandLevel::Frequent));
                } else if roll < frequent + occasional {
                    demands.push((*demand, DemandLevel::Occasional));
                }
            }
            let mut accommodations: Vec<Accommodation> = accommodation_chances
                .iter()
                .filter(|(_, percent)| random.chance(*percent))
                .map(|(accommodation, _)| *accommodation)
                .collect();
            if remote_possible {
                accommodations.push(Accommodation::RemoteWork);
            }
            let district = districts[random.weighted(&district_weights)]
                .code
                .to_owned();
            let education_required = required_education(random, major);
            // Ids do not follow the order of the input.
            let id = 100_000 + i64::try_from((position * 7_919) % count).expect("an id");
            Job {
                id,
                occupation,
                district,
                remote_possible,
                hours,
                monthly_wage,
                education_required,
                skills_required,
                demands,
                accommodations,
                reserved_for_disabled: random.chance(30),
                open: random.chance(95),
            }
        })
        .collect()
}
