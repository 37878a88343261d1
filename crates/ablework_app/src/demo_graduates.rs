//! The demo's graduates' ledger (一人一策, MISSION.md measure 7): a few
//! hundred disabled students and graduates of the cohorts 2022–2026, drawn
//! from the demo's people who were 21–28 when they graduated and had
//! finished senior secondary school, each with a plan and a log of
//! contacts in realistic proportions — some with no plan yet, some not
//! contacted for more than 30 days, some out of work after graduating.
//! They go in through the store's bulk path; every choice is a mix of the
//! seed and the person's id, so a seed always gives the same ledger.

use ablework_domain::graduates::{ContactChannel, Degree, StudentStatus};
use ablework_domain::person::{Education, EmploymentStatus};
use ablework_store::{
    ContactRecord, NewAuditEntry, PersonFilter, PersonRecord, PersonScope, PlanStepRecord,
    Recorded, StudentFields, StudentFile, StudentRecord,
};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde_json::json;

use crate::App;
use crate::demo::DEMO_DISTRICT;
use crate::demo_employers::mix;
use crate::error::AppResult;
use crate::persons::age_on;

/// The cohorts of the demo: years of expected graduation.
const COHORTS: std::ops::RangeInclusive<i32> = 2022..=2026;

/// Ages at graduation.
const AGES: std::ops::RangeInclusive<u32> = 21..=28;

/// Students of the demo officer's district, and of the rest of the city.
const IN_DEMO_DISTRICT: usize = 120;
const ELSEWHERE: usize = 240;

/// Entries written in one transaction.
const BATCH: usize = 200;

/// People read from the store at a time.
const PAGE: u32 = 2_000;

/// Keeps these choices apart from the other demo data's, which mix the
/// same seed and person ids.
const SALT: u64 = 0x6772_6164_7561_7465;

/// Percent of entries without a plan yet.
const NO_PLAN: u64 = 15;

/// Percent of entries never contacted, and of the rest contacted in the
/// last 30 days.
const NEVER_CONTACTED: u64 = 5;
const CONTACTED_RECENTLY: u64 = 65;

/// Who a demo student can be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// The person's record id.
    pub id: i64,
    /// Their birthday.
    pub birth_date: NaiveDate,
    /// In work, by their record.
    pub employed: bool,
}

impl Candidate {
    /// The cohorts in which this person would graduate aged 21–28.
    fn cohorts(&self) -> Vec<i32> {
        COHORTS
            .filter(|year| {
                NaiveDate::from_ymd_opt(*year, 6, 30)
                    .is_some_and(|day| AGES.contains(&age_on(self.birth_date, day)))
            })
            .collect()
    }
}

/// Whether a person's schooling lets them be at university: senior
/// secondary or more (or not recorded).
fn schooled(person: &PersonRecord) -> bool {
    matches!(
        person.education,
        None | Some(
            Education::SeniorSecondary
                | Education::Vocational
                | Education::College
                | Education::BachelorOrAbove
        )
    )
}

impl App {
    /// Writes the demo's graduates' ledger and answers how many entries
    /// were written. The demo officer (if the account exists) follows the
    /// students of their district; the others have no counsellor yet.
    pub(crate) async fn seed_demo_graduates(&self, seed: u64) -> AppResult<u64> {
        let today = self.today();
        let officer = self
            .store
            .user_by_username("officer")
            .await?
            .filter(|u| u.district_code.as_deref() == Some(DEMO_DISTRICT))
            .map(|u| u.id);
        let filter = PersonFilter::new(PersonScope::All);
        let (mut near, mut far) = (Vec::new(), Vec::new());
        let mut after = 0;
        loop {
            let found = self.store.persons_after(&filter, after, PAGE).await?;
            let Some(tail) = found.last() else { break };
            after = tail.id;
            for person in found.iter().filter(|p| p.active && schooled(p)) {
                let candidate = Candidate {
                    id: person.id,
                    birth_date: person.birth_date,
                    employed: person.employment_status == EmploymentStatus::Employed,
                };
                if candidate.cohorts().is_empty() {
                    continue;
                }
                let order = mix(seed ^ SALT, person.id.unsigned_abs(), 0);
                if person.district_code == DEMO_DISTRICT {
                    near.push((order, candidate));
                } else {
                    far.push((order, candidate));
                }
            }
        }
        near.sort_by_key(|(order, c)| (*order, c.id));
        far.sort_by_key(|(order, c)| (*order, c.id));
        let chosen = near
            .into_iter()
            .take(IN_DEMO_DISTRICT)
            .map(|(_, c)| (c, officer))
            .chain(far.into_iter().take(ELSEWHERE).map(|(_, c)| (c, None)));
        let files: Vec<StudentFile> = chosen
            .filter_map(|(candidate, counsellor)| {
                demo_student(seed, &candidate, counsellor, today, self.now())
            })
            .collect();
        let mut written = 0;
        for chunk in files.chunks(BATCH) {
            let audit =
                NewAuditEntry::new(self.now(), None, "system", "graduate.import", "student")
                    .with_detail(json!({ "source": "demo", "seed": seed }));
            written += self.store.insert_students(chunk, audit).await?;
        }
        Ok(written)
    }
}

/// Deterministic choices for one person: each call mixes the seed, the
/// person's id and a counter.
struct Dice {
    seed: u64,
    person: u64,
    rolls: u64,
}

impl Dice {
    fn new(seed: u64, person_id: i64) -> Dice {
        Dice {
            seed: seed ^ SALT,
            person: person_id.unsigned_abs(),
            rolls: 0,
        }
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.rolls += 1;
        mix(self.seed, self.person, self.rolls) % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        let at = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items[at]
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut left = self.below(total);
        for (item, weight) in items {
            if left < *weight {
                return *item;
            }
            left -= weight;
        }
        items[0].0
    }

    /// A day from `first` to `last`, both included (`first` when they are
    /// the wrong way round).
    fn day_between(&mut self, first: NaiveDate, last: NaiveDate) -> NaiveDate {
        let span = u64::try_from((last - first).num_days()).unwrap_or(0);
        first
            .checked_add_days(Days::new(self.below(span + 1)))
            .unwrap_or(first)
    }

    /// A moment in office hours (09:00–17:00 China time) on a day.
    fn office_hours(&mut self, day: NaiveDate) -> DateTime<Utc> {
        let hour = u32::try_from(1 + self.below(8)).unwrap_or(1);
        let minute = u32::try_from(self.below(60)).unwrap_or(0);
        day.and_hms_opt(hour, minute, 0)
            .unwrap_or_default()
            .and_utc()
    }
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

fn days_before(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(days)).unwrap_or(day)
}

fn days_after(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days)).unwrap_or(day)
}

const UNIVERSITIES: &[&str] = &[
    "天津大学",
    "南开大学",
    "天津理工大学",
    "天津职业技术师范大学",
    "天津医科大学",
    "天津师范大学",
    "天津工业大学",
    "天津财经大学",
    "天津商业大学",
    "天津中医药大学",
    "天津城建大学",
    "天津科技大学",
    "天津外国语大学",
    "天津美术学院",
    "天津音乐学院",
    "天津市职业大学",
    "天津轻工职业技术学院",
    "天津电子信息职业技术学院",
    "北京联合大学特殊教育学院",
    "长春大学特殊教育学院",
];

const MAJORS: &[&str] = &[
    "计算机科学与技术",
    "软件工程",
    "会计学",
    "财务管理",
    "视觉传达设计",
    "动画",
    "针灸推拿学",
    "康复治疗学",
    "汉语言文学",
    "英语",
    "法学",
    "社会工作",
    "工商管理",
    "电子商务",
    "数据科学与大数据技术",
    "特殊教育",
    "音乐表演",
    "环境设计",
    "药学",
    "物流管理",
];

const STEPS: &[&str] = &[
    "完善求职简历并由辅导员审阅",
    "参加残疾人专场招聘会",
    "参加校园双选会",
    "推荐至按比例安排就业岗位",
    "联系无障碍实习岗位",
    "参加职业技能培训",
    "模拟面试辅导",
    "申请求职创业补贴",
    "了解公务员和事业单位招考中的残疾人岗位",
    "对接用人单位落实合理便利",
    "办理就业失业登记",
    "确认毕业去向并登记",
];

const SUMMARIES: &[&str] = &[
    "了解求职进展，推送了三个岗位信息。",
    "提醒参加下周的残疾人专场招聘会。",
    "告知求职创业补贴的申请条件和材料。",
    "了解实习情况，用人单位已调整工位。",
    "本人暂无求职意向，约定下月再联系。",
    "确认毕业去向，已签订劳动合同。",
    "与家长沟通就业意愿。",
    "协助修改简历，建议突出专业技能。",
    "了解考研准备情况。",
    "电话未接通，已发短信留言。",
];

/// One person's ledger entry, or `None` when they cannot graduate aged
/// 21–28 in a demo cohort.
pub(crate) fn demo_student(
    seed: u64,
    candidate: &Candidate,
    counsellor: Option<i64>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Option<StudentFile> {
    let cohorts = candidate.cohorts();
    if cohorts.is_empty() {
        return None;
    }
    let mut dice = Dice::new(seed, candidate.id);
    let year = dice.pick(&cohorts);
    let age = age_on(candidate.birth_date, day(year, 6, 30));
    let degree = match age {
        ..=22 => dice.weighted(&[(Degree::College, 40), (Degree::Bachelor, 60)]),
        23..=24 => dice.weighted(&[(Degree::Bachelor, 75), (Degree::Master, 25)]),
        25..=26 => dice.weighted(&[(Degree::Master, 70), (Degree::Bachelor, 30)]),
        _ => dice.weighted(&[(Degree::Doctor, 50), (Degree::Master, 50)]),
    };
    // Most graduate at the end of June or early in July; some doctorates
    // and master's degrees finish in December.
    let expected_graduation =
        if matches!(degree, Degree::Master | Degree::Doctor) && dice.chance(15) {
            dice.day_between(day(year, 12, 20), day(year, 12, 31))
        } else {
            dice.day_between(day(year, 6, 20), day(year, 7, 10))
        };
    let graduated = expected_graduation < today;
    let status = if !graduated {
        if (expected_graduation - today).num_days() < 180 && dice.chance(40) {
            StudentStatus::Seeking
        } else {
            StudentStatus::Studying
        }
    } else if candidate.employed {
        // The register says they work; the ledger may not have caught up.
        dice.weighted(&[
            (StudentStatus::Employed, 85),
            (StudentStatus::Seeking, 10),
            (StudentStatus::FurtherStudy, 5),
        ])
    } else {
        dice.weighted(&[
            (StudentStatus::Employed, 35),
            (StudentStatus::FurtherStudy, 12),
            (StudentStatus::Seeking, 40),
            (StudentStatus::NotSeeking, 13),
        ])
    };
    // The entry was made during the last years of study.
    let entered_on = dice.day_between(
        days_before(expected_graduation, 3 * 365).max(day(2021, 9, 1)),
        days_before(expected_graduation, 90).min(today),
    );
    let recorded = |dice: &mut Dice, on: NaiveDate| Recorded {
        user_id: counsellor,
        username: None,
        at: dice.office_hours(on).min(now),
    };
    let steps = if dice.chance(NO_PLAN) {
        Vec::new()
    } else {
        plan(
            &mut dice,
            entered_on,
            expected_graduation,
            today,
            counsellor,
            now,
        )
    };
    let contacts = contacts(&mut dice, entered_on, expected_graduation, today, status)
        .into_iter()
        .map(|(contacted_on, channel, summary)| ContactRecord {
            id: 0,
            student_id: 0,
            contacted_on,
            channel,
            summary: summary.to_owned(),
            recorded: recorded(&mut dice, contacted_on),
        })
        .collect();
    let created_at = dice.office_hours(entered_on).min(now);
    Some(StudentFile {
        student: StudentRecord {
            id: 0,
            person_id: candidate.id,
            fields: StudentFields {
                university: dice.pick(UNIVERSITIES).to_owned(),
                major: dice.pick(MAJORS).to_owned(),
                degree,
                expected_graduation,
                counsellor_user_id: counsellor,
                status,
            },
            counsellor: None,
            created_at,
            updated_at: created_at,
        },
        steps,
        contacts,
    })
}

/// Two to five steps from the entry to half a year after graduation, by
/// due date; most of those due are done.
fn plan(
    dice: &mut Dice,
    entered_on: NaiveDate,
    graduation: NaiveDate,
    today: NaiveDate,
    counsellor: Option<i64>,
    now: DateTime<Utc>,
) -> Vec<PlanStepRecord> {
    let count = 2 + dice.below(4);
    let last = days_after(graduation, 180);
    let mut dues: Vec<NaiveDate> = (0..count)
        .map(|_| dice.day_between(days_after(entered_on, 14), last))
        .collect();
    dues.sort();
    dues.into_iter()
        .map(|due_on| {
            let done_on = (due_on < today && dice.chance(75)).then(|| {
                dice.day_between(days_before(due_on, 20).max(entered_on), due_on)
                    .min(today)
            });
            let written_on = dice.day_between(entered_on, due_on.min(today));
            PlanStepRecord {
                id: 0,
                student_id: 0,
                due_on,
                description: dice.pick(STEPS).to_owned(),
                done_on,
                recorded: Recorded {
                    user_id: counsellor,
                    username: None,
                    at: dice.office_hours(written_on).min(now),
                },
            }
        })
        .collect()
}

/// The contacts with a student, oldest first: the newest in the last 30
/// days for about two in three, none at all for a few.
fn contacts(
    dice: &mut Dice,
    entered_on: NaiveDate,
    graduation: NaiveDate,
    today: NaiveDate,
    status: StudentStatus,
) -> Vec<(NaiveDate, ContactChannel, &'static str)> {
    if dice.chance(NEVER_CONTACTED) {
        return Vec::new();
    }
    let latest = if dice.chance(CONTACTED_RECENTLY) {
        dice.day_between(days_before(today, 29), today)
    } else {
        dice.day_between(days_before(today, 240), days_before(today, 31))
    }
    .max(entered_on);
    let earlier = dice.below(7);
    let mut days: Vec<NaiveDate> = (0..earlier)
        .map(|_| dice.day_between(entered_on, latest))
        .collect();
    days.push(latest);
    days.sort();
    days.into_iter()
        .map(|on| {
            let channel = if on <= graduation {
                dice.weighted(&[
                    (ContactChannel::Phone, 35),
                    (ContactChannel::Message, 25),
                    (ContactChannel::Online, 15),
                    (ContactChannel::Campus, 15),
                    (ContactChannel::Visit, 10),
                ])
            } else {
                dice.weighted(&[
                    (ContactChannel::Phone, 45),
                    (ContactChannel::Message, 30),
                    (ContactChannel::Online, 10),
                    (ContactChannel::Visit, 15),
                ])
            };
            let summary = if on > graduation && status == StudentStatus::Employed && dice.chance(50)
            {
                "确认毕业去向，已签订劳动合同。"
            } else {
                dice.pick(SUMMARIES)
            };
            (on, channel, summary)
        })
        .collect()
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests: a panic is the failure report")]
mod tests {
    use std::collections::HashMap;

    use ablework_domain::graduates::LedgerFlag;
    use chrono::{Datelike, TimeZone};

    use super::*;
    use crate::graduates::{LedgerQuery, row_flags};

    fn candidates(n: i64) -> Vec<Candidate> {
        (1..=n)
            .map(|id| Candidate {
                id,
                birth_date: day(1994, 1, 1)
                    + Days::new(u64::try_from(id).unwrap() * 37 % (12 * 365)),
                employed: id % 3 == 0,
            })
            .collect()
    }

    fn ledger(seed: u64, today: NaiveDate) -> Vec<StudentFile> {
        let now = today.and_hms_opt(12, 0, 0).unwrap().and_utc();
        candidates(3_000)
            .iter()
            .filter_map(|c| demo_student(seed, c, Some(7), today, now))
            .collect()
    }

    #[test]
    fn a_seed_always_gives_the_same_ledger_and_another_seed_another() {
        let today = day(2026, 11, 28);
        assert_eq!(ledger(3, today), ledger(3, today));
        assert_ne!(ledger(3, today), ledger(4, today));
    }

    #[test]
    fn entries_are_plausible_and_flags_come_in_realistic_proportions() {
        let today = day(2026, 11, 28);
        let now = today.and_hms_opt(12, 0, 0).unwrap().and_utc();
        let files = ledger(9, today);
        let mut flagged: HashMap<LedgerFlag, usize> = HashMap::new();
        let mut graduated = 0;
        for file in &files {
            let student = &file.student;
            let graduation = student.fields.expected_graduation;
            assert!(COHORTS.contains(&graduation.year()), "{graduation}");
            let candidate = candidates(3_000)
                .into_iter()
                .find(|c| c.id == student.person_id)
                .unwrap();
            assert!(AGES.contains(&age_on(candidate.birth_date, day(graduation.year(), 6, 30))));
            assert!(student.created_at <= now);
            assert!(student.created_at.date_naive() < graduation);
            for step in &file.steps {
                assert!(step.done_on.is_none_or(|d| d <= today && d <= step.due_on));
                assert!(step.recorded.at <= now);
            }
            for contact in &file.contacts {
                assert!(contact.contacted_on <= today);
                assert!(contact.contacted_on >= student.created_at.date_naive());
            }
            let row = ablework_store::LedgerRow {
                student: student.clone(),
                person_name: String::new(),
                district_code: String::new(),
                plan_steps: u32::try_from(file.steps.len()).unwrap(),
                steps_done: 0,
                contacts: 0,
                latest_contact: file.contacts.iter().map(|c| c.contacted_on).max(),
            };
            for flag in row_flags(&row, today) {
                *flagged.entry(flag).or_default() += 1;
            }
            graduated += usize::from(graduation < today);
        }
        let share = |n: usize| n as f64 * 100.0 / files.len() as f64;
        let no_plan = share(flagged[&LedgerFlag::NoPlan]);
        assert!((10.0..=20.0).contains(&no_plan), "no plan {no_plan:.1}%");
        let quiet = share(flagged[&LedgerFlag::NoRecentContact]);
        assert!((25.0..=45.0).contains(&quiet), "not contacted {quiet:.1}%");
        let jobless = flagged[&LedgerFlag::NoJobAfterGraduation] as f64 * 100.0 / graduated as f64;
        assert!((20.0..=50.0).contains(&jobless), "no job {jobless:.1}%");
    }

    /// The demo written to a real store: a few hundred students of the
    /// demo cohorts, the demo officer's district followed by the officer,
    /// and the ledger of each cohort shows every kind of flag.
    #[tokio::test]
    async fn the_demo_writes_a_ledger_with_every_kind_of_flag() {
        let today = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap();
        let Some((app, store, _guard)) = crate::demo::seeded_demo(today, 3_000, 0).await else {
            return;
        };
        let token = app.create_api_token(None, "admin").await.unwrap();
        let admin = app.authenticate_token(&token, None).await.unwrap();
        let officer = store.user_by_username("officer").await.unwrap().unwrap();
        let (mut students, mut counts) = (0, HashMap::new());
        for year in COHORTS {
            let query = LedgerQuery {
                cohort: year.to_string(),
                per_page: 200,
                ..LedgerQuery::default()
            };
            let ledger = app.graduates_ledger(&admin, &query).await.unwrap();
            students += ledger.cohort_size;
            for (flag, count) in ledger.flag_counts {
                *counts.entry(flag).or_insert(0) += count;
            }
            for entry in &ledger.entries.items {
                assert_eq!(
                    entry.student.fields.counsellor_user_id == Some(officer.id),
                    entry.district_code == DEMO_DISTRICT
                );
            }
        }
        assert!((50..=360).contains(&students), "{students}");
        for flag in LedgerFlag::ALL {
            assert!(counts[flag] > 0, "{flag:?}");
        }
        // Seeding again changes nothing.
        assert_eq!(app.seed_demo_graduates(5).await.unwrap(), 0);
    }
}
