//! Disabled university students and graduates (MISSION.md measure 7): the
//! "one person, one plan" (一人一策) ledger keeps current data on each
//! student, the steps of their employment plan and every contact with
//! them. This module holds the ledger's vocabularies and the rule that
//! flags an entry needing attention.

use chrono::{Days, NaiveDate};

use crate::person::vocabulary;

vocabulary! {
    /// The degree a student is studying for.
    Degree {
        /// 大专 (a three-year college diploma).
        College => "college", "大专", "College diploma";
        /// 本科.
        Bachelor => "bachelor", "本科", "Bachelor's";
        /// 硕士.
        Master => "master", "硕士", "Master's";
        /// 博士.
        Doctor => "doctor", "博士", "Doctorate";
    }
}

vocabulary! {
    /// Where a student or graduate stands.
    StudentStatus {
        /// Still at university.
        Studying => "studying", "在读", "Studying";
        /// Looking for work.
        Seeking => "seeking", "求职中", "Seeking work";
        /// In work.
        Employed => "employed", "已就业", "Employed";
        /// Gone on to further study.
        FurtherStudy => "further_study", "升学", "Further study";
        /// Not looking for work for now.
        NotSeeking => "not_seeking", "暂不求职", "Not seeking work for now";
    }
}

vocabulary! {
    /// How a student was contacted.
    ContactChannel {
        /// By telephone.
        Phone => "phone", "电话", "Phone";
        /// A visit at home or at work.
        Visit => "visit", "走访", "Visit";
        /// A video call or an online meeting.
        Online => "online", "线上", "Online";
        /// A text or chat message.
        Message => "message", "短信或微信", "Text message";
        /// At the university.
        Campus => "campus", "到校", "On campus";
    }
}

vocabulary! {
    /// Why a ledger entry needs attention.
    LedgerFlag {
        /// The plan has no steps.
        NoPlan => "no_plan", "未制定帮扶计划", "No plan";
        /// Nobody has contacted the student in the last 30 days.
        NoRecentContact => "no_recent_contact", "30天内未联系", "Not contacted in 30 days";
        /// Past the expected graduation and neither employed nor studying further.
        NoJobAfterGraduation => "no_job_after_graduation", "毕业未就业", "No job after graduation";
    }
}

/// A contact on or after this many days before today is recent.
pub const RECENT_CONTACT_DAYS: u64 = 30;

/// What the flags of one ledger entry depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LedgerFacts {
    /// How many steps the plan has (done or not).
    pub plan_steps: u32,
    /// The day of the newest contact, if any.
    pub latest_contact: Option<NaiveDate>,
    /// The day the student is expected to graduate.
    pub expected_graduation: NaiveDate,
    /// Where the student stands.
    pub status: StudentStatus,
}

/// The flags of a ledger entry on `today`, in the order of [`LedgerFlag::ALL`]:
///
/// - `no_plan`: the plan has no steps;
/// - `no_recent_contact`: no contact from `today` − 30 days onwards (a
///   contact exactly 30 days ago still counts);
/// - `no_job_after_graduation`: the expected graduation is before `today`
///   (graduating today is not yet past) and the student is neither employed
///   nor in further study.
pub fn flags(facts: &LedgerFacts, today: NaiveDate) -> Vec<LedgerFlag> {
    let mut found = Vec::new();
    if facts.plan_steps == 0 {
        found.push(LedgerFlag::NoPlan);
    }
    let recent_from = today
        .checked_sub_days(Days::new(RECENT_CONTACT_DAYS))
        .unwrap_or(NaiveDate::MIN);
    if facts.latest_contact.is_none_or(|day| day < recent_from) {
        found.push(LedgerFlag::NoRecentContact);
    }
    if facts.expected_graduation < today
        && !matches!(
            facts.status,
            StudentStatus::Employed | StudentStatus::FurtherStudy
        )
    {
        found.push(LedgerFlag::NoJobAfterGraduation);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    fn facts() -> LedgerFacts {
        LedgerFacts {
            plan_steps: 2,
            latest_contact: Some(day(2024, 6, 20)),
            expected_graduation: day(2025, 6, 30),
            status: StudentStatus::Studying,
        }
    }

    fn today() -> NaiveDate {
        day(2024, 6, 30)
    }

    #[test]
    fn a_planned_recently_contacted_student_has_no_flags() {
        assert_eq!(flags(&facts(), today()), []);
    }

    #[test]
    fn a_plan_without_steps_is_flagged() {
        let entry = LedgerFacts {
            plan_steps: 0,
            ..facts()
        };
        assert_eq!(flags(&entry, today()), [LedgerFlag::NoPlan]);
    }

    #[test]
    fn a_contact_exactly_thirty_days_ago_is_recent_and_thirty_one_is_not() {
        for (contact, flagged) in [
            (Some(day(2024, 5, 31)), false),
            (Some(day(2024, 5, 30)), true),
            (Some(today()), false),
            (None, true),
        ] {
            let entry = LedgerFacts {
                latest_contact: contact,
                ..facts()
            };
            assert_eq!(
                flags(&entry, today()).contains(&LedgerFlag::NoRecentContact),
                flagged,
                "{contact:?}"
            );
        }
    }

    #[test]
    fn graduating_today_is_not_yet_past() {
        for (graduation, status, flagged) in [
            (today(), StudentStatus::Seeking, false),
            (day(2024, 6, 29), StudentStatus::Seeking, true),
            (day(2024, 6, 29), StudentStatus::NotSeeking, true),
            (day(2024, 6, 29), StudentStatus::Studying, true),
            (day(2024, 6, 29), StudentStatus::Employed, false),
            (day(2024, 6, 29), StudentStatus::FurtherStudy, false),
            (day(2024, 7, 1), StudentStatus::Seeking, false),
        ] {
            let entry = LedgerFacts {
                expected_graduation: graduation,
                status,
                ..facts()
            };
            assert_eq!(
                flags(&entry, today()).contains(&LedgerFlag::NoJobAfterGraduation),
                flagged,
                "{graduation} {status:?}"
            );
        }
    }

    #[test]
    fn flags_come_in_a_fixed_order() {
        let entry = LedgerFacts {
            plan_steps: 0,
            latest_contact: None,
            expected_graduation: day(2023, 6, 30),
            status: StudentStatus::Seeking,
        };
        assert_eq!(flags(&entry, today()), LedgerFlag::ALL);
    }

    #[test]
    fn codes_round_trip() {
        for degree in Degree::ALL {
            assert_eq!(Degree::from_code(degree.code()), Some(*degree));
        }
        for status in StudentStatus::ALL {
            assert_eq!(StudentStatus::from_code(status.code()), Some(*status));
        }
        for channel in ContactChannel::ALL {
            assert_eq!(ContactChannel::from_code(channel.code()), Some(*channel));
        }
        assert_eq!(Degree::from_code("diploma"), None);
    }
}
