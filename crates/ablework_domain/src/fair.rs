//! Job fairs for persons with disabilities (measure 2, issue 8): the
//! state-asset regulator, the disability employment service and the public
//! employment service hold fairs, on site or online, some for state-owned
//! enterprises only. A fair says which access provisions it offers; a job
//! seeker registering says which they need; staff mark who attended. The
//! fair's report ([`report`]) counts registrations, attendance, needs met
//! and unmet, employers, posts offered, and how far the applications made
//! at the fair went.
//!
//! ```text
//! registered ──> attended
//!            └─> no_show
//! ```

use chrono::NaiveDate;

use crate::application::ApplicationStatus;
use crate::district;
use crate::levy::FieldError;
use crate::normalize::normalize_text;
use crate::person::vocabulary;

/// The longest title, in characters.
pub const MAX_TITLE: usize = 100;
/// The longest venue or online address, in characters.
pub const MAX_PLACE: usize = 200;

vocabulary! {
    /// Where a fair takes place.
    FairMode {
        /// At a venue (现场招聘会).
        OnSite => "on_site", "现场", "On site";
        /// Online (线上招聘会).
        Online => "online", "线上", "Online";
    }
}

vocabulary! {
    /// Who holds a fair (the plan's measure 2 names the three).
    Organiser {
        /// The state-owned assets supervision and administration commission.
        StateAssets => "state_assets", "国资委", "State-owned assets regulator";
        /// The disability employment service agency.
        DisabilityService => "disability_service", "残疾人就业服务机构", "Disability employment service";
        /// The public employment service agency.
        PublicService => "public_service", "公共就业服务机构", "Public employment service";
    }
}

vocabulary! {
    /// What a person needs to take part in a fair, and what a fair offers.
    AccessNeed {
        /// A sign-language interpreter.
        SignLanguage => "sign_language", "手语翻译", "Sign-language interpreter";
        /// A step-free route to and through the venue.
        StepFree => "step_free", "无障碍通道", "Step-free route";
        /// Printed material in large print.
        LargePrint => "large_print", "大字版材料", "Large print";
        /// Printed material in braille.
        Braille => "braille", "盲文材料", "Braille";
        /// Live captions (on screen or on site).
        Captioning => "captioning", "实时字幕", "Live captions";
        /// A companion or escort may come along.
        Companion => "companion", "允许陪同人员", "Companion or escort allowed";
    }
}

vocabulary! {
    /// Where a person's registration for a fair stands.
    RegistrationStatus {
        /// Registered; the fair has not been marked yet.
        Registered => "registered", "已报名", "Registered";
        /// Came to the fair (or joined it online).
        Attended => "attended", "已到场", "Attended";
        /// Did not come.
        NoShow => "no_show", "未到场", "Did not attend";
    }
}

/// A fair as typed into a form or sent to the API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FairInput {
    /// The fair's title.
    pub title: String,
    /// `on_site` or `online`.
    pub mode: String,
    /// `state_assets`, `disability_service` or `public_service`.
    pub organiser: String,
    /// For state-owned enterprises only.
    pub soe_only: bool,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// The district holding it (code or name).
    pub district: String,
    /// The venue (required on site).
    pub venue: String,
    /// The online address (required online).
    pub online_url: String,
    /// Access provision codes.
    pub provisions: Vec<String>,
}

/// A valid fair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fair {
    /// The fair's title.
    pub title: String,
    /// On site or online.
    pub mode: FairMode,
    /// Who holds it.
    pub organiser: Organiser,
    /// For state-owned enterprises only.
    pub soe_only: bool,
    /// The day it is held.
    pub held_on: NaiveDate,
    /// The district holding it (current GB/T 2260 code); decides a
    /// district officer's scope.
    pub district_code: String,
    /// The venue (on site).
    pub venue: Option<String>,
    /// The online address (online).
    pub online_url: Option<String>,
    /// The access provisions offered, each once, in the catalogue's order.
    pub provisions: Vec<AccessNeed>,
}

impl Fair {
    /// The input that reproduces this fair (for edit forms).
    pub fn to_input(&self) -> FairInput {
        FairInput {
            title: self.title.clone(),
            mode: self.mode.code().to_owned(),
            organiser: self.organiser.code().to_owned(),
            soe_only: self.soe_only,
            held_on: self.held_on.to_string(),
            district: self.district_code.clone(),
            venue: self.venue.clone().unwrap_or_default(),
            online_url: self.online_url.clone().unwrap_or_default(),
            provisions: self
                .provisions
                .iter()
                .map(|p| p.code().to_owned())
                .collect(),
        }
    }

    /// Whether the fair offers what a person needs.
    pub fn offers(&self, need: AccessNeed) -> bool {
        self.provisions.contains(&need)
    }
}

pub(crate) fn choose(field: &str) -> FieldError {
    FieldError::new(
        field,
        "unknown_value",
        "请从列表中选择。",
        "Choose one of the listed values.",
    )
}

pub(crate) fn required(field: &str) -> FieldError {
    FieldError::new(field, "required", "此项必填。", "This field is required.")
}

pub(crate) fn too_long(field: &str, max: usize) -> FieldError {
    FieldError::new(
        field,
        "too_long",
        format!("最多 {max} 个字。"),
        format!("Use at most {max} characters."),
    )
}

/// A trimmed, normalised text of at most `max` characters; empty is `None`.
pub(crate) fn text(
    field: &str,
    value: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = normalize_text(value);
    if value.is_empty() {
        return None;
    }
    if value.chars().count() > max {
        errors.push(too_long(field, max));
        return None;
    }
    Some(value)
}

/// Reads access-need codes (each once, in the catalogue's order); an
/// unknown code is an error on `field`.
pub fn access_needs(
    field: &str,
    codes: &[String],
    errors: &mut Vec<FieldError>,
) -> Vec<AccessNeed> {
    let mut found = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let Some(need) = AccessNeed::from_code(code) else {
            errors.push(choose(field));
            return Vec::new();
        };
        found.push(need);
    }
    AccessNeed::ALL
        .iter()
        .copied()
        .filter(|need| found.contains(need))
        .collect()
}

/// A required choice from a vocabulary.
pub(crate) fn code<T>(
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let value = value.trim();
    if value.is_empty() {
        errors.push(required(field));
        return None;
    }
    let found = parse(value);
    if found.is_none() {
        errors.push(choose(field));
    }
    found
}

/// The venue and the online address, each checked; the one the mode
/// needs is required, and an address must be a web address.
fn place(
    mode: Option<FairMode>,
    input: &FairInput,
    errors: &mut Vec<FieldError>,
) -> (Option<String>, Option<String>) {
    let venue = text("venue", &input.venue, MAX_PLACE, errors);
    let online_url = text("online_url", &input.online_url, MAX_PLACE, errors);
    match mode {
        Some(FairMode::OnSite) if venue.is_none() && input.venue.trim().is_empty() => {
            errors.push(FieldError::new(
                "venue",
                "required",
                "现场招聘会请填写举办地点。",
                "Give the venue of a fair held on site.",
            ));
        }
        Some(FairMode::Online) if online_url.is_none() && input.online_url.trim().is_empty() => {
            errors.push(FieldError::new(
                "online_url",
                "required",
                "线上招聘会请填写网址。",
                "Give the web address of an online fair.",
            ));
        }
        _ => {}
    }
    if let Some(url) = &online_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        errors.push(FieldError::new(
            "online_url",
            "invalid_url",
            "网址应以 https:// 开头。",
            "The web address should start with https://.",
        ));
    }
    (venue, online_url)
}

/// Checks a fair, naming every field that is wrong at once.
///
/// # Errors
/// Every field error found: a missing or too long title, an unknown mode,
/// organiser, district or provision, a date that is not a real date, a
/// missing venue on site or a missing or non-web address online.
pub fn validate(input: &FairInput) -> Result<Fair, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = text("title", &input.title, MAX_TITLE, &mut errors);
    if title.is_none() && normalize_text(&input.title).is_empty() {
        errors.push(required("title"));
    }
    let mode = code("mode", &input.mode, FairMode::from_code, &mut errors);
    let organiser = code(
        "organiser",
        &input.organiser,
        Organiser::from_code,
        &mut errors,
    );
    let held_on = match input.held_on.trim() {
        "" => {
            errors.push(required("held_on"));
            None
        }
        day => NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().or_else(|| {
            errors.push(FieldError::new(
                "held_on",
                "invalid_date",
                "请按 年-月-日 填写日期，例如 2024-06-30。",
                "Write the date as year-month-day, such as 2024-06-30.",
            ));
            None
        }),
    };
    let district_code = match input.district.trim() {
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
    };
    let (venue, online_url) = place(mode, input, &mut errors);
    let provisions = access_needs("provisions", &input.provisions, &mut errors);
    match (title, mode, organiser, held_on, district_code) {
        (Some(title), Some(mode), Some(organiser), Some(held_on), Some(district_code))
            if errors.is_empty() =>
        {
            // Only the place of the fair's own mode is kept.
            let (venue, online_url) = match mode {
                FairMode::OnSite => (venue, None),
                FairMode::Online => (None, online_url),
            };
            Ok(Fair {
                title,
                mode,
                organiser,
                soe_only: input.soe_only,
                held_on,
                district_code,
                venue,
                online_url,
                provisions,
            })
        }
        _ => Err(errors),
    }
}

/// One access need in a fair's report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NeedRow {
    /// The need.
    pub need: AccessNeed,
    /// Whether the fair offered it.
    pub offered: bool,
    /// Registrations that asked for it.
    pub registered: u32,
    /// Of those, how many attended.
    pub attended: u32,
}

/// What a fair's report is made from.
#[derive(Clone, Copy, Debug)]
pub struct ReportInput<'a> {
    /// The provisions the fair offered.
    pub provisions: &'a [AccessNeed],
    /// Each registration's needs and status.
    pub registrations: &'a [(&'a [AccessNeed], RegistrationStatus)],
    /// How many employers took part.
    pub employers: u32,
    /// How many postings they brought.
    pub postings: u32,
    /// How many posts those postings offer.
    pub posts_offered: u32,
    /// Each application made at the fair: the statuses of its steps.
    pub applications: &'a [&'a [ApplicationStatus]],
}

/// A fair's report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FairReport {
    /// Registrations.
    pub registered: u32,
    /// Registrations marked attended.
    pub attended: u32,
    /// Registrations marked as not attended.
    pub no_show: u32,
    /// Registrations not marked yet.
    pub unmarked: u32,
    /// Registrations with a need the fair did not offer.
    pub unmet: u32,
    /// Each need asked for or offered, in the catalogue's order.
    pub needs: Vec<NeedRow>,
    /// Employers taking part.
    pub employers: u32,
    /// Postings they brought.
    pub postings: u32,
    /// Posts offered.
    pub posts_offered: u32,
    /// Applications made at the fair.
    pub applications: u32,
    /// Of those, how many reached an interview (or went further).
    pub interview: u32,
    /// … an offer (or a hire).
    pub offer: u32,
    /// … a hire.
    pub hired: u32,
}

/// How far along the way to a hire a step is (0: not past applying).
fn stage(status: ApplicationStatus) -> u8 {
    match status {
        ApplicationStatus::Interview => 1,
        ApplicationStatus::Offer => 2,
        ApplicationStatus::Hired => 3,
        _ => 0,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The report of a fair: pure counting over what the store holds.
pub fn report(input: &ReportInput<'_>) -> FairReport {
    let registrations = input.registrations;
    let with = |status: RegistrationStatus| {
        count(registrations.iter().filter(|(_, s)| *s == status).count())
    };
    let needs = AccessNeed::ALL
        .iter()
        .copied()
        .map(|need| {
            let asking = registrations
                .iter()
                .filter(|(needs, _)| needs.contains(&need));
            NeedRow {
                need,
                offered: input.provisions.contains(&need),
                registered: count(asking.clone().count()),
                attended: count(
                    asking
                        .filter(|(_, s)| *s == RegistrationStatus::Attended)
                        .count(),
                ),
            }
        })
        .filter(|row| row.offered || row.registered > 0)
        .collect();
    let furthest: Vec<u8> = input
        .applications
        .iter()
        .map(|steps| steps.iter().copied().map(stage).max().unwrap_or(0))
        .collect();
    let reached = |at: u8| count(furthest.iter().filter(|s| **s >= at).count());
    FairReport {
        registered: count(registrations.len()),
        attended: with(RegistrationStatus::Attended),
        no_show: with(RegistrationStatus::NoShow),
        unmarked: with(RegistrationStatus::Registered),
        unmet: count(
            registrations
                .iter()
                .filter(|(needs, _)| needs.iter().any(|n| !input.provisions.contains(n)))
                .count(),
        ),
        needs,
        employers: input.employers,
        postings: input.postings,
        posts_offered: input.posts_offered,
        applications: count(input.applications.len()),
        interview: reached(1),
        offer: reached(2),
        hired: reached(3),
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

    use super::*;

    fn input() -> FairInput {
        FairInput {
            title: "2024年国有企业助残专场招聘会".to_owned(),
            mode: "on_site".to_owned(),
            organiser: "state_assets".to_owned(),
            soe_only: true,
            held_on: "2024-05-16".to_owned(),
            district: "120101".to_owned(),
            venue: "天津市人才市场三楼".to_owned(),
            online_url: "https://ignored.example".to_owned(),
            provisions: vec!["sign_language".to_owned(), "step_free".to_owned()],
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn a_good_fair_is_read_and_keeps_only_its_modes_place() {
        let fair = validate(&input()).unwrap();
        assert_eq!(fair.mode, FairMode::OnSite);
        assert_eq!(fair.organiser, Organiser::StateAssets);
        assert_eq!(fair.held_on, NaiveDate::from_ymd_opt(2024, 5, 16).unwrap());
        assert_eq!(fair.venue.as_deref(), Some("天津市人才市场三楼"));
        assert_eq!(fair.online_url, None);
        assert_eq!(
            fair.provisions,
            [AccessNeed::SignLanguage, AccessNeed::StepFree]
        );
        assert_eq!(validate(&fair.to_input()).unwrap(), fair);
        let by_name = FairInput {
            district: "和平区".to_owned(),
            ..input()
        };
        assert_eq!(validate(&by_name).unwrap().district_code, "120101");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = FairInput {
            title: String::new(),
            mode: "hybrid".to_owned(),
            organiser: String::new(),
            soe_only: false,
            held_on: "2024-02-30".to_owned(),
            district: "999999".to_owned(),
            venue: String::new(),
            online_url: String::new(),
            provisions: vec!["teleport".to_owned()],
        };
        let errors = validate(&bad).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                ("title", "required"),
                ("mode", "unknown_value"),
                ("organiser", "required"),
                ("held_on", "invalid_date"),
                ("district", "unknown_district"),
                ("provisions", "unknown_value"),
            ]
        );
        assert!(
            errors
                .iter()
                .all(|e| !e.message_zh.is_empty() && !e.message_en.is_empty())
        );
    }

    #[test]
    fn each_mode_needs_its_own_place() {
        let cases = [
            ("on_site", "", "", vec![("venue", "required")]),
            ("online", "会场", "", vec![("online_url", "required")]),
            ("online", "", "ftp://x", vec![("online_url", "invalid_url")]),
            ("online", "", "https://fair.example/live", vec![]),
        ];
        for (mode, venue, url, expected) in cases {
            let candidate = FairInput {
                mode: mode.to_owned(),
                venue: venue.to_owned(),
                online_url: url.to_owned(),
                ..input()
            };
            match validate(&candidate) {
                Ok(fair) => {
                    assert!(expected.is_empty(), "{mode} {venue} {url}");
                    assert_eq!(fair.venue, None, "an online fair keeps no venue");
                }
                Err(errors) => assert_eq!(fields(&errors), expected, "{mode} {venue} {url}"),
            }
        }
        let long = FairInput {
            title: "字".repeat(MAX_TITLE + 1),
            ..input()
        };
        assert_eq!(
            fields(&validate(&long).unwrap_err()),
            [("title", "too_long")]
        );
    }

    #[test]
    fn needs_are_read_once_in_the_catalogues_order() {
        let mut errors = Vec::new();
        let codes = ["companion", "braille", "companion", " "].map(str::to_owned);
        assert_eq!(
            access_needs("needs", &codes, &mut errors),
            [AccessNeed::Braille, AccessNeed::Companion]
        );
        assert!(errors.is_empty());
    }

    #[test]
    fn the_report_counts_attendance_needs_and_how_far_applications_went() {
        use AccessNeed as N;
        use ApplicationStatus as A;
        use RegistrationStatus as R;
        let sign = [N::SignLanguage];
        let both = [N::SignLanguage, N::Braille];
        let none: [N; 0] = [];
        let registrations: [(&[N], R); 4] = [
            (&sign, R::Attended),
            (&both, R::NoShow),
            (&none, R::Attended),
            (&sign, R::Registered),
        ];
        let hired = [A::Applied, A::Interview, A::Offer, A::Hired];
        let offered_without_interview = [A::Applied, A::Offer, A::Declined];
        let interviewed = [A::Recommended, A::Interview, A::Withdrawn];
        let applied = [A::Applied];
        let applications: [&[A]; 4] = [&hired, &offered_without_interview, &interviewed, &applied];
        let report = report(&ReportInput {
            provisions: &[N::SignLanguage, N::StepFree],
            registrations: &registrations,
            employers: 3,
            postings: 5,
            posts_offered: 9,
            applications: &applications,
        });
        assert_eq!(
            (
                report.registered,
                report.attended,
                report.no_show,
                report.unmarked
            ),
            (4, 2, 1, 1)
        );
        assert_eq!(report.unmet, 1, "braille was not offered");
        assert_eq!(
            report.needs,
            [
                NeedRow {
                    need: N::SignLanguage,
                    offered: true,
                    registered: 3,
                    attended: 1
                },
                NeedRow {
                    need: N::StepFree,
                    offered: true,
                    registered: 0,
                    attended: 0
                },
                NeedRow {
                    need: N::Braille,
                    offered: false,
                    registered: 1,
                    attended: 0
                },
            ]
        );
        assert_eq!(
            (report.employers, report.postings, report.posts_offered),
            (3, 5, 9)
        );
        assert_eq!(
            (
                report.applications,
                report.interview,
                report.offer,
                report.hired
            ),
            (4, 3, 2, 1)
        );
    }

    #[test]
    fn an_empty_fair_reports_zeros() {
        let report = report(&ReportInput {
            provisions: &[],
            registrations: &[],
            employers: 0,
            postings: 0,
            posts_offered: 0,
            applications: &[],
        });
        assert_eq!(report.registered, 0);
        assert!(report.needs.is_empty());
        assert_eq!(report.hired, 0);
    }
}
