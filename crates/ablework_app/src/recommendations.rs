//! Where matching shows (issue 8): the jobs recommended to a person, the
//! reason a job is not ("why not"), and the consenting candidates for a
//! posting. The rule itself is the pure engine,
//! [`ablework_domain::matching`]; this module fills its `Seeker` from the
//! records ([`seeker_from`]), decides who may see what, and audits what
//! it shows.
//!
//! Who may see what: a person's recommendations and verdicts, whoever may
//! read the person (their own record for a seeker). The jobs considered
//! are every open posting city-wide. A posting's candidates, those who may
//! manage it (its employer's HR, the officers of its employer's district,
//! the city administrator), and only among active, unemployed people whose
//! current consent to matching ([`ConsentPurpose::Matching`]) is given,
//! masked. Reading candidates is audited with the people shown.

use std::collections::HashMap;
use std::sync::Arc;

use ablework_domain::application::{CounsellorDecision, HideReason};
use ablework_domain::four_ones::{Accommodation, ConsentPurpose, Hours};
use ablework_domain::matching::{self, Job, JobIndex, Match, Seeker, Verdict};
use ablework_domain::normalize::normalize_text;
use ablework_domain::occupation::SubMajorGroup;
use ablework_domain::roles::{Permission, Role};
use ablework_store::{
    AssessmentRecord, MarksOf, NeedRecord, PersonRecord, PersonScope, SeekerFile, SeekerFilter,
};
pub use ablework_store::{MarkEntry, RecommendationMark};
use chrono::NaiveDate;
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, invalid};
use crate::persons::PersonView;
use crate::postings::JobPostingRecord;

/// How many results a page or the API shows by default.
pub const DEFAULT_TOP: usize = 10;

/// The most results one request may ask for.
pub const MAX_TOP: usize = 50;

/// Most notes on a hidden job or a decision may hold, in characters.
pub const MAX_NOTE: usize = 500;

/// One recommended job.
#[derive(Clone, Debug)]
pub struct Recommended {
    /// The posting.
    pub posting: JobPostingRecord,
    /// Its match, every factor explained.
    pub matched: Match,
    /// A counsellor's decision on it, if any (a hidden job is not
    /// recommended).
    pub mark: Option<RecommendationMark>,
}

/// The jobs recommended to one person.
#[derive(Clone, Debug)]
pub struct Recommendations {
    /// The person (masked).
    pub person: PersonView,
    /// Whether an approved assessment was used. Without one the functional
    /// demands of jobs are not checked (the engine sees no limitation).
    pub assessed: bool,
    /// Whether a registered need was used.
    pub need_registered: bool,
    /// How many postings are open city-wide.
    pub open_postings: usize,
    /// The best jobs, best first, leaving out those the person hid or a
    /// counsellor found not suitable.
    pub jobs: Vec<Recommended>,
    /// The open jobs left out so, with their marks, by posting id.
    pub hidden: Vec<(JobPostingRecord, RecommendationMark)>,
}

/// The verdict on one person and one posting.
#[derive(Clone, Debug)]
pub struct WhyNot {
    /// The person (masked).
    pub person: PersonView,
    /// The posting.
    pub posting: JobPostingRecord,
    /// Matched with every factor, or the constraint that excludes it.
    pub verdict: Verdict,
    /// What the person and their counsellor said about it, if anything.
    pub mark: Option<RecommendationMark>,
    /// Whether the reader may hide the job or show it again (the person,
    /// or staff who may change the person's record).
    pub may_hide: bool,
    /// Whether the reader may record a counsellor's decision (staff who
    /// may change the person's record).
    pub may_decide: bool,
}

/// What a hide or decision form sends.
#[derive(Clone, Debug, Default)]
pub struct MarkInput {
    /// The reason's or the decision's code.
    pub value: String,
    /// Free text.
    pub note: String,
}

/// How many jobs the work list shows per person.
pub const WORK_LIST_JOBS: usize = 3;

/// One person on a work list with the jobs that fit them best.
#[derive(Clone, Debug)]
pub struct WorkListEntry {
    /// The person (masked).
    pub person: PersonView,
    /// The best open jobs, best first.
    pub jobs: Vec<(JobPostingRecord, Match)>,
}

/// A district's (or the city's) work list: people looking for work with
/// no application under way, for whom open jobs fit.
#[derive(Clone, Debug)]
pub struct WorkList {
    /// The district, or `None` for the city.
    pub district: Option<String>,
    /// How many active, unemployed people have no application under way.
    pub looking: usize,
    /// How many of them open jobs fit (all pages).
    pub total: usize,
    /// This page of them.
    pub people: Vec<WorkListEntry>,
}

/// The open postings, city-wide, with the matching index over them, as of
/// one revision of the postings ([`ablework_store::Store::job_postings_revision`])
/// and one day. The `App` keeps the newest and builds another only when a
/// posting or an employer changed or the day turned, so a person's
/// recommendations search the index instead of reading every posting.
pub struct OpenJobs {
    revision: i64,
    day: NaiveDate,
    /// The postings, in id order.
    pub postings: Vec<JobPostingRecord>,
    /// Each posting's place in `postings`, by id.
    by_id: HashMap<i64, usize>,
    /// The index over them.
    pub index: JobIndex,
}

impl OpenJobs {
    /// The open posting with `id`.
    pub fn posting(&self, id: i64) -> Option<&JobPostingRecord> {
        self.by_id.get(&id).map(|at| &self.postings[*at])
    }
}

/// The newest [`OpenJobs`] the `App` built, shared by its clones.
pub(crate) type OpenJobsCache = Arc<std::sync::Mutex<Option<Arc<OpenJobs>>>>;

/// Who may hide a person's recommended job: the person, or staff who may
/// change the person's record.
fn may_hide(actor: &Actor, person_id: i64) -> bool {
    if actor.role == Role::Seeker {
        actor.person_id == Some(person_id)
    } else {
        actor.role.permits(Permission::PersonWrite)
    }
}

/// Who may record a counsellor's decision: staff who may change the
/// person's record.
fn may_decide(actor: &Actor) -> bool {
    actor.role != Role::Seeker && actor.role.permits(Permission::PersonWrite)
}

/// Checks a mark's value against a vocabulary and its note's length; a
/// note is required with `note_required`.
fn mark_entry<T>(
    input: &MarkInput,
    field: &str,
    parse: fn(&str) -> Option<T>,
    note_required: impl Fn(&T) -> bool,
    recorded: ablework_store::Recorded,
) -> AppResult<MarkEntry<T>> {
    let mut errors = Vec::new();
    let value = parse(input.value.trim());
    if value.is_none() {
        errors.push(invalid(
            field,
            "required",
            "请选择一项。",
            "Choose one of the options.",
        ));
    }
    let note = normalize_text(&input.note);
    if note.chars().count() > MAX_NOTE {
        errors.push(invalid(
            "note",
            "too_long",
            format!("说明最多 {MAX_NOTE} 个字。"),
            format!("The note may be at most {MAX_NOTE} characters."),
        ));
    } else if note.is_empty() && value.as_ref().is_some_and(&note_required) {
        errors.push(invalid(
            "note",
            "required",
            "选择“其他原因”时请写明原因。",
            "Say what the other reason is.",
        ));
    }
    match value {
        Some(value) if errors.is_empty() => Ok(MarkEntry {
            value,
            note,
            recorded,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// One candidate for a posting.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The person, masked.
    pub person: PersonView,
    /// The match.
    pub matched: Match,
}

/// The candidates for a posting.
#[derive(Clone, Debug)]
pub struct Candidates {
    /// The posting.
    pub posting: JobPostingRecord,
    /// How many people consent to matching and are looking for work.
    pub consenting: usize,
    /// The best candidates, best first.
    pub candidates: Vec<Candidate>,
}

/// Splits free text into normalised tags, each once (ignoring ASCII case),
/// at commas, enumeration commas, semicolons and line breaks: the way
/// postings' skills are read.
fn tags(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for piece in text.split([',', '，', '、', ';', '；', '\n', '/', '／']) {
        let tag = normalize_text(piece);
        if !tag.is_empty() && !found.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            found.push(tag);
        }
    }
    found
}

/// Words people use for an occupation, with the ISCO-08 sub-major group
/// they belong to. Needs name occupations in their own words ("数据录入员");
/// this table covers the ones the service hears most, and a phrase may
/// also be an ISCO code or a group's name in either language.
const OCCUPATION_WORDS: &[(&str, SubMajorGroup)] = &[
    ("按摩", SubMajorGroup::HealthAssociates),
    ("推拿", SubMajorGroup::HealthAssociates),
    ("客服", SubMajorGroup::CustomerServicesClerks),
    ("接线", SubMajorGroup::CustomerServicesClerks),
    ("调律", SubMajorGroup::HandicraftPrinting),
    ("手工", SubMajorGroup::HandicraftPrinting),
    ("编织", SubMajorGroup::HandicraftPrinting),
    ("设计", SubMajorGroup::ScienceProfessionals),
    ("面点", SubMajorGroup::FoodWoodGarmentTrades),
    ("烘焙", SubMajorGroup::FoodWoodGarmentTrades),
    ("缝纫", SubMajorGroup::FoodWoodGarmentTrades),
    ("数据录入", SubMajorGroup::GeneralClerks),
    ("录入", SubMajorGroup::GeneralClerks),
    ("文员", SubMajorGroup::GeneralClerks),
    ("打字", SubMajorGroup::GeneralClerks),
    ("仓储", SubMajorGroup::RecordingClerks),
    ("分拣", SubMajorGroup::RecordingClerks),
    ("理货", SubMajorGroup::RecordingClerks),
    ("会计", SubMajorGroup::BusinessProfessionals),
    ("出纳", SubMajorGroup::RecordingClerks),
    ("网店", SubMajorGroup::Sales),
    ("销售", SubMajorGroup::Sales),
    ("收银", SubMajorGroup::Sales),
    ("保洁", SubMajorGroup::CleanersHelpers),
    ("清洁", SubMajorGroup::CleanersHelpers),
    ("洗车", SubMajorGroup::CleanersHelpers),
    ("包装", SubMajorGroup::MiningConstructionLabourers),
    ("装配", SubMajorGroup::Assemblers),
    ("绿化", SubMajorGroup::AgriculturalLabourers),
    ("园艺", SubMajorGroup::AgriculturalLabourers),
    ("图书", SubMajorGroup::OtherClericalSupport),
    ("保安", SubMajorGroup::ProtectiveServices),
    ("程序", SubMajorGroup::IctProfessionals),
    ("软件", SubMajorGroup::IctProfessionals),
];

/// The sub-major groups a need's occupations name: each phrase as an ISCO
/// code (`41`), a group's name in Chinese or English, or by the words of
/// [`OCCUPATION_WORDS`]. A phrase that names nothing known is left out
/// (the engine then sees no preference if none is known at all).
pub fn classify_occupations(text: &str) -> Vec<SubMajorGroup> {
    let mut found = Vec::new();
    let mut add = |group: SubMajorGroup| {
        if !found.contains(&group) {
            found.push(group);
        }
    };
    for phrase in tags(text) {
        if let Some(group) = SubMajorGroup::from_code(&phrase) {
            add(group);
            continue;
        }
        let named = SubMajorGroup::ALL.iter().copied().find(|group| {
            group.label(ablework_domain::lang::Lang::Zh) == phrase
                || group
                    .label(ablework_domain::lang::Lang::En)
                    .eq_ignore_ascii_case(&phrase)
        });
        if let Some(group) = named {
            add(group);
            continue;
        }
        for (word, group) in OCCUPATION_WORDS {
            if phrase.contains(word) {
                add(*group);
            }
        }
    }
    found
}

/// The engine's `Seeker` for a person, from their record, their newest
/// approved assessment and their newest registered need:
///
/// | `Seeker` field | from |
/// |---|---|
/// | `person_id`, `birth_date`, `retirement_group`, `education`, `home_district` | the record (`district_code` is home) |
/// | `functions` | the assessment's functions; `None` without an approved assessment, so no demand conflicts and the person is matched on the rest |
/// | `accommodations_needed` | the assessment's ∪ the need's, each once |
/// | `skills` | the assessment's skills, split into tags and normalised |
/// | `desired_occupations` | the need's occupations, classified ([`classify_occupations`]) |
/// | `districts`, `commute_limit_minutes`, `hours`, `wage_expectation` | the need; without a need: no districts and no limit (anywhere), flexible hours, no expectation |
/// | `remote_acceptable` | working from home (`remote_work`) is among the accommodations the assessment or the need names |
pub fn seeker_from(
    record: &PersonRecord,
    assessment: Option<&AssessmentRecord>,
    need: Option<&NeedRecord>,
) -> Seeker {
    let mut accommodations: Vec<Accommodation> = Vec::new();
    let listed = assessment
        .map(|a| a.fields.accommodations.as_slice())
        .unwrap_or_default()
        .iter()
        .chain(
            need.map(|n| n.fields.accommodations.as_slice())
                .unwrap_or_default(),
        );
    for accommodation in listed {
        if !accommodations.contains(accommodation) {
            accommodations.push(*accommodation);
        }
    }
    let need = need.map(|n| &n.fields);
    Seeker {
        person_id: record.id,
        birth_date: record.birth_date,
        retirement_group: record.retirement_group,
        functions: assessment.map(|a| a.fields.functions.clone()),
        remote_acceptable: accommodations.contains(&Accommodation::RemoteWork),
        accommodations_needed: accommodations,
        skills: assessment
            .map(|a| tags(&a.fields.skills))
            .unwrap_or_default(),
        education: record.education,
        desired_occupations: need
            .map(|n| classify_occupations(&n.occupations))
            .unwrap_or_default(),
        districts: need.map(|n| n.districts.clone()).unwrap_or_default(),
        commute_limit_minutes: need
            .and_then(|n| n.commute_minutes)
            .map(|m| u16::try_from(m.max(0)).unwrap_or(u16::MAX)),
        hours: need.map_or(Hours::Flexible, |n| n.hours),
        wage_expectation: need
            .and_then(|n| n.wage_expectation)
            .and_then(|w| u32::try_from(w).ok()),
        home_district: record.district_code.clone(),
    }
}

impl App {
    /// The `Seeker` for a person read in scope: their record with their
    /// newest approved assessment and newest registered need
    /// ([`seeker_from`] documents each field).
    pub async fn seeker_for(&self, person: &PersonRecord) -> AppResult<Seeker> {
        Ok(self.seeker_and_need(person).await?.0)
    }

    /// The `Seeker` and whether a need is registered.
    async fn seeker_and_need(&self, person: &PersonRecord) -> AppResult<(Seeker, bool)> {
        let file = self.store.case_file(person.id).await?;
        let assessment = crate::cases::newest_approved(&file.assessments);
        // Needs come newest first; the newest is current.
        let need = file.needs.first();
        Ok((seeker_from(person, assessment, need), need.is_some()))
    }

    /// Reads a person for matching: in the actor's scope (a seeker: their
    /// own record), audited as `action`.
    async fn matching_person(
        &self,
        actor: &Actor,
        person_id: i64,
        action: &str,
        detail: serde_json::Value,
    ) -> AppResult<PersonRecord> {
        actor.require(Permission::PersonRead)?;
        let audit = actor
            .audit(self.now(), action, "person")
            .with_entity_id(person_id)
            .with_detail(detail);
        self.store
            .read_person(person_id, &actor.person_scope(), audit)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The open postings with their index, current as of the postings'
    /// revision and today: the one kept if nothing changed since it was
    /// built, else a new one (two requests may both build one; the later
    /// is kept).
    pub async fn open_jobs(&self) -> AppResult<Arc<OpenJobs>> {
        let revision = self.store.job_postings_revision().await?;
        let day = self.today();
        let kept = self
            .open_jobs
            .lock()
            .map_err(|_| AppError::Internal("the open postings' lock is poisoned".to_owned()))?
            .clone();
        if let Some(kept) = kept
            && kept.revision == revision
            && kept.day == day
        {
            return Ok(kept);
        }
        // Read after the revision: a change in between leaves postings
        // newer than the revision they are kept under, and the next call
        // builds again.
        let postings = self.store.open_job_postings().await?;
        let jobs: Vec<Job> = postings.iter().map(JobPostingRecord::to_job).collect();
        let index = JobIndex::new(&jobs, day, &self.config.policy.working_age);
        let by_id = postings
            .iter()
            .enumerate()
            .map(|(at, posting)| (posting.id, at))
            .collect();
        let built = Arc::new(OpenJobs {
            revision,
            day,
            postings,
            by_id,
            index,
        });
        *self
            .open_jobs
            .lock()
            .map_err(|_| AppError::Internal("the open postings' lock is poisoned".to_owned()))? =
            Some(Arc::clone(&built));
        Ok(built)
    }

    /// The `n` best of `open` for `seeker`, leaving out the postings
    /// `marks` hide: exactly the best `n` of the rest.
    fn best_unhidden(
        open: &OpenJobs,
        seeker: &Seeker,
        n: usize,
        marks: &[RecommendationMark],
    ) -> Vec<Match> {
        let hidden = marks.iter().filter(|m| m.hides()).count();
        let mut found = open.index.top_jobs(seeker, n + hidden);
        found.retain(|m| {
            !marks
                .iter()
                .any(|mark| mark.posting_id == m.job_id && mark.hides())
        });
        found.truncate(n);
        found
    }

    /// The `n` best open postings, city-wide, for a person the actor may
    /// read, each with its match, leaving out the jobs the person hid or a
    /// counsellor found not suitable (listed apart); the read is audited.
    pub async fn recommended_jobs(
        &self,
        actor: &Actor,
        person_id: i64,
        n: usize,
    ) -> AppResult<Recommendations> {
        let record = self
            .matching_person(actor, person_id, "person.recommendations", json!({}))
            .await?;
        let (seeker, has_need) = self.seeker_and_need(&record).await?;
        let open = self.open_jobs().await?;
        let marks = self
            .store
            .recommendation_marks(&MarksOf::Person(person_id))
            .await?;
        let jobs = Self::best_unhidden(&open, &seeker, n.min(MAX_TOP), &marks)
            .into_iter()
            .filter_map(|matched| {
                let posting = open.posting(matched.job_id)?.clone();
                let mark = marks.iter().find(|m| m.posting_id == posting.id).cloned();
                Some(Recommended {
                    posting,
                    matched,
                    mark,
                })
            })
            .collect();
        let hidden = marks
            .into_iter()
            .filter(RecommendationMark::hides)
            .filter_map(|mark| Some((open.posting(mark.posting_id)?.clone(), mark)))
            .collect();
        Ok(Recommendations {
            person: self.person_view(&record),
            assessed: seeker.functions.is_some(),
            need_registered: has_need,
            open_postings: open.postings.len(),
            jobs,
            hidden,
        })
    }

    /// The verdict on a person the actor may read and a posting: matched
    /// with every factor ("why this job"), or the hard constraint that
    /// excludes it ("why not"), with what the person and their counsellor
    /// said about it. The posting is any open one, or one of the actor's
    /// posting scope (so a closed posting reads as closed).
    pub async fn why_not(
        &self,
        actor: &Actor,
        person_id: i64,
        posting_id: i64,
    ) -> AppResult<WhyNot> {
        actor.require(Permission::JobRead)?;
        let posting = self.posting(actor, posting_id).await?;
        let record = self
            .matching_person(
                actor,
                person_id,
                "person.why_not",
                json!({ "job_posting": posting_id }),
            )
            .await?;
        let seeker = self.seeker_for(&record).await?;
        let verdict = matching::explain(
            &seeker,
            &posting.to_job(),
            self.today(),
            &self.config.policy.working_age,
        );
        let mark = self
            .store
            .recommendation_marks(&MarksOf::Person(person_id))
            .await?
            .into_iter()
            .find(|m| m.posting_id == posting_id);
        Ok(WhyNot {
            person: self.person_view(&record),
            posting,
            verdict,
            mark,
            may_hide: may_hide(actor, person_id),
            may_decide: may_decide(actor),
        })
    }

    /// Changes one half of a person's mark on a posting, after checking
    /// the actor may read the person and see the posting; audited as
    /// `action`.
    async fn change_mark(
        &self,
        actor: &Actor,
        person_id: i64,
        posting_id: i64,
        action: &str,
        change: impl FnOnce(&mut RecommendationMark),
    ) -> AppResult<RecommendationMark> {
        actor.require(Permission::JobRead)?;
        self.posting(actor, posting_id).await?;
        self.matching_person(
            actor,
            person_id,
            "person.read",
            json!({ "for": action, "job_posting": posting_id }),
        )
        .await?;
        let mut mark = self
            .store
            .recommendation_marks(&MarksOf::Person(person_id))
            .await?
            .into_iter()
            .find(|m| m.posting_id == posting_id)
            .unwrap_or_else(|| RecommendationMark::empty(person_id, posting_id));
        change(&mut mark);
        let detail = json!({
            "job_posting": posting_id,
            "hidden": mark.hidden.as_ref().map(|h| h.value.code()),
            "decision": mark.decision.as_ref().map(|d| d.value.code()),
        });
        let audit = actor
            .audit(self.now(), action, "person")
            .with_entity_id(person_id)
            .with_detail(detail);
        self.store.set_recommendation_mark(&mark, audit).await?;
        Ok(mark)
    }

    /// Hides a job from a person's recommendations, with a reason (and a
    /// note, required for "another reason"): by the person themself, or
    /// staff who may change the person's record. Audited.
    pub async fn hide_recommendation(
        &self,
        actor: &Actor,
        person_id: i64,
        posting_id: i64,
        input: &MarkInput,
    ) -> AppResult<RecommendationMark> {
        if !may_hide(actor, person_id) {
            return Err(AppError::Forbidden);
        }
        let entry = mark_entry(
            input,
            "reason",
            HideReason::from_code,
            |reason| *reason == HideReason::Other,
            self.recorded_now(actor),
        )?;
        self.change_mark(
            actor,
            person_id,
            posting_id,
            "recommendation.hide",
            |mark| {
                mark.hidden = Some(entry);
            },
        )
        .await
    }

    /// Shows a hidden job again. Audited.
    pub async fn unhide_recommendation(
        &self,
        actor: &Actor,
        person_id: i64,
        posting_id: i64,
    ) -> AppResult<RecommendationMark> {
        if !may_hide(actor, person_id) {
            return Err(AppError::Forbidden);
        }
        self.change_mark(
            actor,
            person_id,
            posting_id,
            "recommendation.unhide",
            |mark| mark.hidden = None,
        )
        .await
    }

    /// Records a counsellor's decision on a job for a person (replacing
    /// an earlier one); "not suitable" takes it out of the person's
    /// recommendations. Staff who may change the person's record only.
    /// Audited.
    pub async fn decide_recommendation(
        &self,
        actor: &Actor,
        person_id: i64,
        posting_id: i64,
        input: &MarkInput,
    ) -> AppResult<RecommendationMark> {
        if !may_decide(actor) {
            return Err(AppError::Forbidden);
        }
        let entry = mark_entry(
            input,
            "decision",
            CounsellorDecision::from_code,
            |_| false,
            self.recorded_now(actor),
        )?;
        self.change_mark(
            actor,
            person_id,
            posting_id,
            "recommendation.decide",
            |mark| mark.decision = Some(entry),
        )
        .await
    }

    /// A district's work list: its active, unemployed people with no
    /// application under way and not hired through one, for whom open
    /// postings fit — each with the best [`WORK_LIST_JOBS`], leaving out
    /// jobs they hid — oldest registration first, one page of `per_page`
    /// from page `page` (1-based). A district officer sees their own
    /// district; the city administrator any one district, or the city
    /// with `None`. Audited with the people shown.
    pub async fn work_list(
        &self,
        actor: &Actor,
        district: Option<&str>,
        page: usize,
        per_page: usize,
    ) -> AppResult<WorkList> {
        actor.require(Permission::JobRead)?;
        if !may_decide(actor) {
            return Err(AppError::Forbidden);
        }
        let district = match actor.person_scope() {
            PersonScope::All => match district.map(str::trim).filter(|d| !d.is_empty()) {
                None => None,
                Some(code) => Some(
                    ablework_domain::district::resolve(code)
                        .map(|d| d.code.to_owned())
                        .ok_or_else(|| {
                            AppError::Invalid(vec![invalid(
                                "district",
                                "unknown_district",
                                "请选择天津市的一个区。",
                                "Choose a district of Tianjin.",
                            )])
                        })?,
                ),
            },
            PersonScope::District(own) => Some(own),
            PersonScope::Person(_) | PersonScope::Nobody => return Err(AppError::Forbidden),
        };
        let files = self
            .store
            .seeker_files(&SeekerFilter {
                consent: None,
                district: district.clone(),
                without_applications: true,
            })
            .await?;
        let mut marks: HashMap<i64, Vec<RecommendationMark>> = HashMap::new();
        for mark in self
            .store
            .recommendation_marks(&district.clone().map_or(MarksOf::All, MarksOf::District))
            .await?
        {
            marks.entry(mark.person_id).or_default().push(mark);
        }
        let open = self.open_jobs().await?;
        let mut people = Vec::new();
        for file in &files {
            let seeker = seeker_from(&file.person, file.assessment.as_ref(), file.need.as_ref());
            let own = marks.get(&file.person.id).map_or(&[][..], Vec::as_slice);
            let found = Self::best_unhidden(&open, &seeker, WORK_LIST_JOBS, own);
            if found.is_empty() {
                continue;
            }
            people.push((file, found));
        }
        let total = people.len();
        let per_page = per_page.clamp(1, 200);
        let start = page.max(1).saturating_sub(1).saturating_mul(per_page);
        let entries: Vec<WorkListEntry> = people
            .into_iter()
            .skip(start)
            .take(per_page)
            .map(|(file, found)| WorkListEntry {
                person: self.person_view(&file.person),
                jobs: found
                    .into_iter()
                    .filter_map(|matched| Some((open.posting(matched.job_id)?.clone(), matched)))
                    .collect(),
            })
            .collect();
        let shown: Vec<i64> = entries.iter().map(|e| e.person.id).collect();
        let audit = actor
            .audit(self.now(), "jobs.work_list", "person")
            .with_detail(json!({ "district": district, "persons": shown }));
        self.store.append_audit(audit).await?;
        Ok(WorkList {
            district,
            looking: files.len(),
            total,
            people: entries,
        })
    }

    /// Whether the actor may see a posting's candidates: those who manage
    /// postings (an employer's HR, district officers, the city
    /// administrator), never seekers or institutions.
    pub fn can_see_candidates(actor: &Actor) -> bool {
        Self::can_write_postings(actor)
    }

    /// The `n` best candidates for a posting of the actor's scope, among
    /// the active, unemployed people whose current consent to matching is
    /// given; masked. Audited: who saw which people for which posting.
    pub async fn candidates(
        &self,
        actor: &Actor,
        posting_id: i64,
        n: usize,
    ) -> AppResult<Candidates> {
        actor.require(Permission::JobRead)?;
        let posting = self
            .store
            .job_posting(posting_id, &Self::posting_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        if !Self::can_see_candidates(actor) {
            return Err(AppError::Forbidden);
        }
        let files: Vec<SeekerFile> = self
            .store
            .seeker_files(&SeekerFilter::consenting(ConsentPurpose::Matching))
            .await?;
        // People who hid the job, or were found not suitable for it, are
        // not offered to its employer.
        let hid: std::collections::HashSet<i64> = self
            .store
            .recommendation_marks(&MarksOf::Posting(posting_id))
            .await?
            .iter()
            .filter(|m| m.hides())
            .map(|m| m.person_id)
            .collect();
        let seekers: Vec<Seeker> = files
            .iter()
            .filter(|f| !hid.contains(&f.person.id))
            .map(|f| seeker_from(&f.person, f.assessment.as_ref(), f.need.as_ref()))
            .collect();
        let found = matching::top_candidates(
            &posting.to_job(),
            &seekers,
            n.min(MAX_TOP),
            self.today(),
            &self.config.policy.working_age,
        );
        let candidates: Vec<Candidate> = found
            .into_iter()
            .filter_map(|matched| {
                let file = files.iter().find(|f| f.person.id == matched.person_id)?;
                Some(Candidate {
                    person: self.person_view(&file.person),
                    matched,
                })
            })
            .collect();
        let shown: Vec<i64> = candidates.iter().map(|c| c.person.id).collect();
        let audit = actor
            .audit(self.now(), "job.candidates", "job_posting")
            .with_entity_id(posting_id)
            .with_detail(json!({ "persons": shown }));
        self.store.append_audit(audit).await?;
        Ok(Candidates {
            posting,
            consenting: files.len(),
            candidates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupations_are_classified_by_code_name_and_words() {
        assert_eq!(
            classify_occupations("41、Sales workers，数据录入员；保洁员"),
            [
                SubMajorGroup::GeneralClerks,
                SubMajorGroup::Sales,
                SubMajorGroup::CleanersHelpers
            ]
        );
        assert!(classify_occupations("辅助性岗位").is_empty());
        assert!(classify_occupations("").is_empty());
    }

    #[test]
    fn skills_are_split_into_normalised_tags() {
        assert_eq!(
            tags("Excel， 打字、excel; ＷＯＲＤ"),
            ["Excel", "打字", "WORD"]
        );
    }
}
