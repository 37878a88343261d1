//! The demo's programmes: for each of the seven, a few Tianjin units with
//! their activities, people of the unit's district taking part, progress,
//! placements in work and draws on the limits — all through the use cases
//! as the system account (people join by their ID number and name, as an
//! institution's staff would type them), so every figure is one a user
//! could have entered and everything is audited.

use ablework_domain::person::EmploymentStatus;
use ablework_domain::programme::{
    ActivityInput, BlankIncome, DrawInput, JoinInput, PlacementInput, Programme, ProgressInput,
    UnitInput,
};
use ablework_store::{ActivityRecord, PersonFilter, PersonScope, UnitRecord};

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};

/// A demo unit: programme, kind, name, district, capacity, and the
/// kind's own fields as `(field, value)` pairs.
struct DemoUnit {
    programme: Programme,
    kind: &'static str,
    name: &'static str,
    district: &'static str,
    capacity: &'static str,
    extra: &'static [(&'static str, &'static str)],
}

const UNITS: &[DemoUnit] = &[
    DemoUnit {
        programme: Programme::Training,
        kind: "university",
        name: "天津理工大学聋人工学院",
        district: "120111",
        capacity: "",
        extra: &[
            ("accreditation", "accredited"),
            ("accredited_on", "2021-09-01"),
        ],
    },
    // The demo institution account's own unit (the second one entered).
    DemoUnit {
        programme: Programme::Training,
        kind: "vocational_college",
        name: "天津市残疾人职业技能培训学校",
        district: "120101",
        capacity: "",
        extra: &[
            ("accreditation", "accredited"),
            ("accredited_on", "2022-03-15"),
        ],
    },
    DemoUnit {
        programme: Programme::Training,
        kind: "training_base",
        name: "河西区残疾人职业培训基地",
        district: "120103",
        capacity: "60",
        extra: &[("compliant", "on"), ("reviewed_on", "2024-03-20")],
    },
    DemoUnit {
        programme: Programme::Auxiliary,
        kind: "workshop",
        name: "和平区温馨工场",
        district: "120101",
        capacity: "30",
        extra: &[("brands", "温馨手作、布艺香囊")],
    },
    DemoUnit {
        programme: Programme::Auxiliary,
        kind: "workshop",
        name: "河东区阳光家园辅助性就业中心",
        district: "120102",
        capacity: "25",
        extra: &[("brands", "阳光洗车")],
    },
    DemoUnit {
        programme: Programme::Rural,
        kind: "rural_base",
        name: "蓟州区残疾人扶贫基地（食用菌种植）",
        district: "120119",
        capacity: "",
        extra: &[("brands", "盘山菌菇")],
    },
    DemoUnit {
        programme: Programme::Rural,
        kind: "sunshine_workshop",
        name: "武清区大王古庄镇阳光工场",
        district: "120114",
        capacity: "20",
        extra: &[("pilot", "on")],
    },
    DemoUnit {
        programme: Programme::Rural,
        kind: "leading_enterprise",
        name: "宝坻区黄板泥鳅养殖专业合作社",
        district: "120115",
        capacity: "",
        extra: &[("sector", "breeding")],
    },
    DemoUnit {
        programme: Programme::Massage,
        kind: "medical_massage",
        name: "天津市盲人按摩医院",
        district: "120101",
        capacity: "",
        extra: &[],
    },
    DemoUnit {
        programme: Programme::Massage,
        kind: "demonstration_centre",
        name: "天津市盲人按摩区域示范中心",
        district: "120104",
        capacity: "",
        extra: &[],
    },
    DemoUnit {
        programme: Programme::Organisations,
        kind: "welfare_foundation",
        name: "天津市残疾人福利基金会",
        district: "120101",
        capacity: "",
        extra: &[],
    },
    DemoUnit {
        programme: Programme::Organisations,
        kind: "special_association",
        name: "天津市盲人协会",
        district: "120101",
        capacity: "",
        extra: &[],
    },
    DemoUnit {
        programme: Programme::Platforms,
        kind: "platform_partner",
        name: "津门优选网络服务平台",
        district: "120116",
        capacity: "",
        extra: &[],
    },
    DemoUnit {
        programme: Programme::Platforms,
        kind: "sign_language_cafe",
        name: "手语咖啡（滨江道店）",
        district: "120101",
        capacity: "",
        extra: &[("brands", "无声咖啡")],
    },
    DemoUnit {
        programme: Programme::Platforms,
        kind: "health_hut",
        name: "河西区友谊路爱心健康小屋",
        district: "120103",
        capacity: "",
        extra: &[],
    },
    DemoUnit {
        programme: Programme::Procurement,
        kind: "service_provider",
        name: "天津启航社会工作服务中心",
        district: "120101",
        capacity: "",
        extra: &[],
    },
];

/// A demo activity of a unit (by its index in [`UNITS`]) or pooled
/// (`None`), as `(field, value)` pairs.
struct DemoActivity {
    unit: Option<usize>,
    programme: Programme,
    fields: &'static [(&'static str, &'static str)],
    provisions: &'static [&'static str],
}

const ACTIVITIES: &[DemoActivity] = &[
    DemoActivity {
        unit: Some(1),
        programme: Programme::Training,
        fields: &[
            ("kind", "course"),
            ("title", "中式面点师（初级）点单式培训"),
            ("starts_on", "2024-03-04"),
            ("ends_on", "2024-04-26"),
            ("capacity", "12"),
            ("occupation", "51"),
            ("mode", "on_order"),
            ("schedule", "每周一、三、五上午，共 24 次"),
        ],
        provisions: &["sign_language", "large_print"],
    },
    DemoActivity {
        unit: Some(1),
        programme: Programme::Training,
        fields: &[
            ("kind", "course"),
            ("title", "电商客服实习式培训"),
            ("starts_on", "2024-06-03"),
            ("ends_on", "2024-07-31"),
            ("capacity", "10"),
            ("occupation", "42"),
            ("mode", "internship"),
            ("schedule", "在合作企业实习，每周四天"),
        ],
        provisions: &["large_print", "braille"],
    },
    DemoActivity {
        unit: Some(0),
        programme: Programme::Training,
        fields: &[
            ("kind", "course"),
            ("title", "计算机辅助设计（聋人班）"),
            ("starts_on", "2023-09-11"),
            ("ends_on", "2023-12-29"),
            ("capacity", "20"),
            ("occupation", "35"),
            ("mode", "on_order"),
        ],
        provisions: &["sign_language", "captioning"],
    },
    DemoActivity {
        unit: None,
        programme: Programme::Auxiliary,
        fields: &[
            ("kind", "labour_project"),
            ("title", "医院被服折叠包装"),
            ("district", "120101"),
            ("starts_on", "2024-01-01"),
            ("ends_on", "2024-12-31"),
            ("limit", "20000"),
            ("unit_price", "0.35"),
            ("source_kind", "hospital"),
            ("source_name", "天津市第一中心医院"),
            ("scope", "病号服与床单的折叠、装袋"),
        ],
        provisions: &[],
    },
    DemoActivity {
        unit: None,
        programme: Programme::Rural,
        fields: &[
            ("kind", "support_scheme"),
            ("title", "2024年农村残疾人扶贫基地扶持资金"),
            ("district", "120119"),
            ("starts_on", "2024-01-01"),
            ("ends_on", "2024-12-31"),
            ("limit", "300000"),
            ("scope", "对安置、带动、培训残疾人的基地给予扶持"),
        ],
        provisions: &[],
    },
    DemoActivity {
        unit: Some(10),
        programme: Programme::Organisations,
        fields: &[
            ("kind", "fund"),
            ("title", "残疾人就业创业扶持专项基金"),
            ("starts_on", "2023-01-01"),
            ("limit", "500000"),
            ("scope", "残疾人自主创业启动资助"),
        ],
        provisions: &[],
    },
    DemoActivity {
        unit: Some(12),
        programme: Programme::Platforms,
        fields: &[
            ("kind", "waiver_scheme"),
            ("title", "残疾人网店服务费减免"),
            ("starts_on", "2023-06-01"),
            ("limit", "50000"),
            ("scope", "残疾人开设网店，减免平台服务费与保证金"),
        ],
        provisions: &[],
    },
    DemoActivity {
        unit: Some(15),
        programme: Programme::Procurement,
        fields: &[
            ("kind", "contract"),
            ("title", "2024年和平区残疾人就业服务购买合同"),
            ("starts_on", "2024-01-01"),
            ("ends_on", "2024-12-31"),
            ("limit", "240000"),
            ("scope", "就业状况核查、职业能力评估与岗位推荐"),
        ],
        provisions: &[],
    },
];

fn pairs_to_unit(demo: &DemoUnit) -> UnitInput {
    let mut input = UnitInput {
        kind: demo.kind.to_owned(),
        name: demo.name.to_owned(),
        district: demo.district.to_owned(),
        capacity: demo.capacity.to_owned(),
        ..UnitInput::default()
    };
    for (field, value) in demo.extra {
        let value = (*value).to_owned();
        match *field {
            "accreditation" => input.accreditation = value,
            "accredited_on" => input.accredited_on = value,
            "compliant" => input.compliant = true,
            "reviewed_on" => input.reviewed_on = value,
            "pilot" => input.pilot = true,
            "sector" => input.sector = value,
            _ => input.brands = value,
        }
    }
    input
}

fn pairs_to_activity(demo: &DemoActivity) -> ActivityInput {
    let mut input = ActivityInput {
        provisions: demo.provisions.iter().map(|p| (*p).to_owned()).collect(),
        ..ActivityInput::default()
    };
    for (field, value) in demo.fields {
        let value = (*value).to_owned();
        match *field {
            "kind" => input.kind = value,
            "title" => input.title = value,
            "district" => input.district = value,
            "starts_on" => input.starts_on = value,
            "ends_on" => input.ends_on = value,
            "capacity" => input.capacity = value,
            "limit" => input.limit = value,
            "unit_price" => input.unit_price = value,
            "occupation" => input.occupation = value,
            "mode" => input.mode = value,
            "schedule" => input.schedule = value,
            "source_kind" => input.source_kind = value,
            "source_name" => input.source_name = value,
            _ => input.scope = value,
        }
    }
    input
}

/// Whether a use case refused the input (the demo then skips it).
fn refused<T>(result: AppResult<T>) -> AppResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(AppError::Invalid(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

impl App {
    /// People of a district looking for work, as their ID numbers and names
    /// would be typed (skipping the first `skip`).
    async fn demo_people(
        &self,
        district: &str,
        skip: usize,
        count: usize,
    ) -> AppResult<Vec<(String, String)>> {
        let mut filter = PersonFilter::new(PersonScope::All);
        filter.district_code = Some(district.to_owned());
        filter.employment_status = Some(EmploymentStatus::Unemployed);
        filter.per_page = u32::try_from(skip + count).unwrap_or(u32::MAX);
        let people = self.store.list_persons(&filter).await?.items;
        people
            .iter()
            .skip(skip)
            .take(count)
            .map(|p| Ok((self.vault.decrypt(&p.id_number_enc)?, p.name.clone())))
            .collect()
    }

    /// Whether the demo places this person in work: only people without a
    /// "four ones" case, so that every case in the demo stays one the work
    /// queues show (a placement ends the person's unemployment).
    async fn demo_may_place(&self, person_id: i64) -> AppResult<bool> {
        Ok(self.store.case_file(person_id).await? == ablework_store::CaseFile::default())
    }

    /// Enters the demo's programmes (after the people). Returns the unit
    /// of the demo institution account.
    pub(crate) async fn seed_demo_programmes(&self) -> AppResult<Option<i64>> {
        let system = Actor::operator(None);
        let mut units: Vec<UnitRecord> = Vec::new();
        for demo in UNITS {
            units.push(
                self.create_unit(&system, demo.programme, &pairs_to_unit(demo))
                    .await?,
            );
        }
        let mut activities = Vec::new();
        for demo in ACTIVITIES {
            let unit_id = demo.unit.map(|i| units[i].id);
            activities.push(
                self.create_activity(&system, demo.programme, unit_id, &pairs_to_activity(demo))
                    .await?,
            );
        }
        self.seed_demo_courses(&units, &activities).await?;
        self.seed_demo_members(&units).await?;
        self.seed_demo_draws(&units, &activities).await?;
        Ok(Some(units[1].id))
    }

    async fn seed_demo_courses(
        &self,
        units: &[UnitRecord],
        activities: &[ActivityRecord],
    ) -> AppResult<()> {
        let system = Actor::operator(None);
        // Courses: people enrol, most complete, some find work within six
        // months of completing.
        for (course, skip) in activities.iter().take(3).zip([0, 8, 16]) {
            let unit = units
                .iter()
                .find(|u| Some(u.id) == course.unit_id)
                .ok_or(AppError::NotFound)?;
            let starts = course.fields.starts_on;
            let ends = course.fields.ends_on.unwrap_or(starts);
            let people = self
                .demo_people(&unit.fields.district_code, skip, 8)
                .await?;
            for (n, (id_number, name)) in people.iter().enumerate() {
                let join = JoinInput {
                    id_number: id_number.clone(),
                    name: name.clone(),
                    joined_on: starts.to_string(),
                    ..JoinInput::default()
                };
                let Some(trainee) = refused(
                    self.join_programme(&system, unit.id, Some(course.id), &join)
                        .await,
                )?
                else {
                    continue;
                };
                let progress = if n == 7 {
                    ProgressInput {
                        status: "withdrawn".to_owned(),
                        ended_on: starts.to_string(),
                        ..ProgressInput::default()
                    }
                } else {
                    ProgressInput {
                        status: "completed".to_owned(),
                        ended_on: ends.to_string(),
                        sessions_attended: (20 + n).to_string(),
                        certificate: if n % 3 == 2 {
                            String::new()
                        } else {
                            format!("JN{}-{:04}", ends.format("%Y"), trainee.id)
                        },
                        ..ProgressInput::default()
                    }
                };
                self.record_participant_progress(
                    &system,
                    trainee.id,
                    &progress,
                    BlankIncome::Keeps,
                )
                .await?;
                if n < 3 && self.demo_may_place(trainee.person_id).await? {
                    let placed_on = ends
                        .checked_add_days(chrono::Days::new(20 + 25 * n as u64))
                        .unwrap_or(ends);
                    refused(
                        self.place_participant(
                            &system,
                            trainee.id,
                            &PlacementInput {
                                started_on: placed_on.to_string(),
                                monthly_wage: "3200".to_owned(),
                                ..PlacementInput::default()
                            },
                        )
                        .await,
                    )?;
                }
            }
        }
        Ok(())
    }

    async fn seed_demo_members(&self, units: &[UnitRecord]) -> AppResult<()> {
        let system = Actor::operator(None);
        // Units' own people: workers with their incomes, practitioners,
        // people helped and trained, online workers; some placed.
        let own: [(usize, &str, usize, &str, &str); 10] = [
            (3, "worker", 6, "1200", ""),
            (4, "worker", 5, "1000", ""),
            (5, "worker", 6, "2600", "1900"),
            (5, "helped", 8, "", ""),
            (5, "trained", 5, "", ""),
            (6, "worker", 4, "1800", "1300"),
            (8, "practitioner", 4, "4200", ""),
            (9, "practitioner", 3, "3900", ""),
            (12, "online_worker", 4, "2300", ""),
            (13, "worker", 3, "2800", ""),
        ];
        for (n, (index, role, count, income, before)) in own.iter().enumerate() {
            let unit = &units[*index];
            let people = self
                .demo_people(&unit.fields.district_code, 24 + n, *count)
                .await?;
            for (k, (id_number, name)) in people.iter().enumerate() {
                let join = JoinInput {
                    id_number: id_number.clone(),
                    name: name.clone(),
                    role: (*role).to_owned(),
                    joined_on: "2024-02-01".to_owned(),
                    monthly_income: (*income).to_owned(),
                    income_before: (*before).to_owned(),
                    ..JoinInput::default()
                };
                let Some(joined) =
                    refused(self.join_programme(&system, unit.id, None, &join).await)?
                else {
                    continue;
                };
                if k < 2
                    && *role != "helped"
                    && *role != "trained"
                    && self.demo_may_place(joined.person_id).await?
                {
                    refused(
                        self.place_participant(
                            &system,
                            joined.id,
                            &PlacementInput {
                                started_on: "2024-02-01".to_owned(),
                                ..PlacementInput::default()
                            },
                        )
                        .await,
                    )?;
                }
            }
        }
        Ok(())
    }

    async fn seed_demo_draws(
        &self,
        units: &[UnitRecord],
        activities: &[ActivityRecord],
    ) -> AppResult<()> {
        let system = Actor::operator(None);
        // Draws: the labour project allocated to both workshops, support
        // to the rural units, fund disbursements and fee waivers to people,
        // payments against the contract's deliverables.
        let draws: [(usize, &str, Option<usize>, &str, &str); 6] = [
            (3, "12000", Some(3), "", "第一、二季度"),
            (3, "6000", Some(4), "", "第三季度"),
            (4, "120000", Some(5), "placing", "安置 6 人"),
            (4, "50000", Some(7), "training", "培训 20 人"),
            (7, "80000", None, "", "核查与评估（上半年）"),
            (7, "60000", None, "", "岗位推荐（第三季度）"),
        ];
        for (activity, amount, to, purpose, note) in draws {
            let input = DrawInput {
                amount: amount.to_owned(),
                on_date: "2024-06-30".to_owned(),
                unit_id: to.map(|i| units[i].id.to_string()).unwrap_or_default(),
                purpose: purpose.to_owned(),
                note: note.to_owned(),
                ..DrawInput::default()
            };
            refused(
                self.draw_on_activity(&system, activities[activity].id, &input)
                    .await,
            )?;
        }
        for (activity, district, amount, purpose) in [
            (5, "120101", "20000", ""),
            (6, "120116", "1200", "service_fee"),
        ] {
            for (id_number, name) in self.demo_people(district, 0, 3).await? {
                let input = DrawInput {
                    amount: amount.to_owned(),
                    on_date: "2024-04-15".to_owned(),
                    until: if purpose.is_empty() {
                        String::new()
                    } else {
                        "2024-12-31".to_owned()
                    },
                    id_number,
                    name,
                    purpose: purpose.to_owned(),
                    ..DrawInput::default()
                };
                refused(
                    self.draw_on_activity(&system, activities[activity].id, &input)
                        .await,
                )?;
            }
        }
        Ok(())
    }
}
