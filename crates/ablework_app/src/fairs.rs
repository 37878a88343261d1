//! Job fairs (measure 2, issue 8): federation staff organise them (a
//! district officer its own district's, the city administrator any); an
//! employer's HR takes part with its own postings — on a fair for
//! state-owned enterprises only if the employer is state-owned; staff
//! register job seekers of their scope with their access needs (a job
//! seeker registers themself for a fair still to come) and mark who
//! attended; applications made at a fair go through
//! [`App::apply`](crate::App::apply)'s rules with the fair recorded. Every
//! write is audited in the store's transaction.
//!
//! Fairs are public to every role that reads them, except that a district
//! officer works in its own district's fairs only. The people registered
//! are shown masked, and only those the reader may read
//! ([`Actor::may_read_person`]); the report counts everyone, naming no
//! one.

use std::collections::HashMap;

use ablework_domain::fair::{
    self, AccessNeed, FairInput, FairMode, FairReport, RegistrationStatus, ReportInput,
};
use ablework_domain::normalize::normalize_text;
use ablework_domain::person::mask_name;
use ablework_domain::roles::{Permission, Role, Scope};
use ablework_store::{
    FairFilter, FairWhen, JobPostingRecord, NewFairRegistration, Page, PostingScope, StoreError,
};
use serde_json::json;

pub use ablework_store::{FairEmployerRecord, FairRecord, FairRegistrationRecord, FairScope};

use crate::App;
use crate::actor::Actor;
use crate::applications::ApplicationView;
use crate::error::{AppError, AppResult, FieldError, invalid};

/// A fairs list query as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FairQuery {
    /// Words of the title.
    pub search: String,
    /// A district (code or name).
    pub district: String,
    /// `on_site` or `online`.
    pub mode: String,
    /// Fairs for state-owned enterprises only.
    pub soe_only: bool,
    /// `upcoming`, `past` or `all` (default).
    pub when: String,
    /// Page, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// A page of fairs with the filter it was read with.
#[derive(Clone, Debug)]
pub struct FairList {
    /// The filter used.
    pub filter: FairFilter,
    /// The fairs found.
    pub fairs: Page<FairRecord>,
}

/// An employer taking part, with the postings it brings.
#[derive(Clone, Debug)]
pub struct ParticipantView {
    /// The participation.
    pub record: FairEmployerRecord,
    /// Its postings, in id order.
    pub postings: Vec<JobPostingRecord>,
}

/// A registration as the reader may see it.
#[derive(Clone, Debug)]
pub struct RegistrationView {
    /// The registration.
    pub record: FairRegistrationRecord,
    /// The person's name, masked.
    pub name_masked: String,
}

/// A fair with what takes part in it and its report.
#[derive(Clone, Debug)]
pub struct FairView {
    /// The fair.
    pub record: FairRecord,
    /// The employers taking part, by name.
    pub participants: Vec<ParticipantView>,
    /// The registrations the reader may see, in the order they were made.
    pub registrations: Vec<RegistrationView>,
    /// The report (counts over every registration).
    pub report: FairReport,
    /// Whether the reader may change the fair, register people and mark
    /// attendance.
    pub can_organise: bool,
    /// Whether the fair has been held (its day is today or past).
    pub held: bool,
}

/// An employer's participation as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JoinInput {
    /// The employer (staff; an employer's HR is always its own).
    pub employer_id: String,
    /// Posting ids it brings.
    pub postings: Vec<String>,
}

/// A registration as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistrationInput {
    /// The person (staff; a job seeker is always themself).
    pub person_id: String,
    /// Access need codes.
    pub access_needs: Vec<String>,
}

fn number(field: &str, value: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    match value.trim() {
        "" => {
            errors.push(FieldError::required(field));
            None
        }
        text => text.parse::<i64>().ok().filter(|n| *n > 0).or_else(|| {
            errors.push(invalid(
                field,
                "invalid_number",
                "请填写记录编号（正整数）。",
                "Give the record number (a whole number above zero).",
            ));
            None
        }),
    }
}

fn not_held() -> FieldError {
    invalid(
        "fair",
        "not_held_yet",
        "招聘会还没有举办。",
        "The fair has not been held yet.",
    )
}

impl App {
    /// The fairs an actor works in: a district officer its district's,
    /// everyone else who may read fairs all of them.
    pub fn fair_scope(actor: &Actor) -> FairScope {
        if !actor.role.permits(Permission::FairRead) {
            return FairScope::Nobody;
        }
        match actor.scope() {
            Scope::District(code) => FairScope::District(code),
            _ => FairScope::All,
        }
    }

    /// Whether the actor may organise fairs (and register people, mark
    /// attendance).
    pub fn can_organise_fairs(actor: &Actor) -> bool {
        actor.role.permits(Permission::FairWrite)
    }

    /// A valid fair of the actor's district (an officer's) from the input;
    /// every field error at once.
    fn fair_fields(actor: &Actor, input: &FairInput) -> AppResult<fair::Fair> {
        let mut errors: Vec<FieldError> = Vec::new();
        let valid = fair::validate(input).map_err(|found| {
            errors.extend(found.into_iter().map(FieldError::from));
        });
        if let (Ok(fields), Scope::District(own)) = (&valid, actor.scope())
            && fields.district_code != own
        {
            errors.push(invalid(
                "district",
                "out_of_scope",
                "只能组织本区的招聘会。",
                "You can organise fairs of your own district only.",
            ));
        }
        match valid {
            Ok(fields) if errors.is_empty() => Ok(fields),
            _ => Err(AppError::Invalid(errors)),
        }
    }

    /// Enters a fair.
    pub async fn create_fair(&self, actor: &Actor, input: &FairInput) -> AppResult<FairRecord> {
        actor.require(Permission::FairWrite)?;
        let fields = Self::fair_fields(actor, input)?;
        let audit = actor
            .audit(self.now(), "fair.create", "fair")
            .with_detail(json!({ "title": fields.title, "held_on": fields.held_on }));
        Ok(self.store.create_fair(&fields, self.now(), audit).await?)
    }

    /// Changes a fair in the actor's scope.
    pub async fn update_fair(
        &self,
        actor: &Actor,
        id: i64,
        input: &FairInput,
    ) -> AppResult<FairRecord> {
        actor.require(Permission::FairWrite)?;
        let scope = Self::fair_scope(actor);
        self.store
            .fair(id, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        let fields = Self::fair_fields(actor, input)?;
        let audit = actor.audit(self.now(), "fair.update", "fair");
        self.store
            .update_fair(id, &scope, &fields, self.now(), audit)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// One fair in the actor's scope.
    pub async fn fair(&self, actor: &Actor, id: i64) -> AppResult<FairRecord> {
        actor.require(Permission::FairRead)?;
        self.store
            .fair(id, &Self::fair_scope(actor))
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Reads a list query; an unknown value is a field error.
    fn fair_filter(&self, actor: &Actor, query: &FairQuery) -> AppResult<FairFilter> {
        let mut errors = Vec::new();
        let mut filter = FairFilter::new(Self::fair_scope(actor));
        let search = normalize_text(&query.search);
        filter.search = Some(search).filter(|s| !s.is_empty());
        filter.district_code = match query.district.trim() {
            "" => None,
            text => ablework_domain::district::resolve(text)
                .map(|d| d.code.to_owned())
                .or_else(|| {
                    errors.push(invalid(
                        "district",
                        "unknown_district",
                        "请选择天津市的一个区。",
                        "Choose a district of Tianjin.",
                    ));
                    None
                }),
        };
        let choose = |field: &str| {
            invalid(
                field,
                "unknown_value",
                "请从列表中选择。",
                "Choose one of the listed values.",
            )
        };
        filter.mode = match query.mode.trim() {
            "" => None,
            code => FairMode::from_code(code).or_else(|| {
                errors.push(choose("mode"));
                None
            }),
        };
        filter.soe_only = query.soe_only;
        filter.when = match query.when.trim() {
            "" | "all" => FairWhen::All,
            "upcoming" => FairWhen::Upcoming(self.today()),
            "past" => FairWhen::Past(self.today()),
            _ => {
                errors.push(choose("when"));
                FairWhen::All
            }
        };
        filter.page = query.page.max(1);
        filter.per_page = if query.per_page == 0 {
            20
        } else {
            query.per_page
        };
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(AppError::Invalid(errors))
        }
    }

    /// Fairs in the actor's scope matching a query.
    pub async fn list_fairs(&self, actor: &Actor, query: &FairQuery) -> AppResult<FairList> {
        actor.require(Permission::FairRead)?;
        let filter = self.fair_filter(actor, query)?;
        let fairs = self.store.list_fairs(&filter).await?;
        Ok(FairList { filter, fairs })
    }

    /// A fair with its employers and their postings, the registrations the
    /// actor may see (their showing audited) and the report.
    pub async fn fair_view(&self, actor: &Actor, id: i64) -> AppResult<FairView> {
        self.fair_view_with(actor, id, true).await
    }

    /// A fair with its employers, their postings and the report, but no
    /// one's registration (nothing of a person is shown, so nothing is
    /// audited).
    pub async fn fair_summary(&self, actor: &Actor, id: i64) -> AppResult<FairView> {
        self.fair_view_with(actor, id, false).await
    }

    async fn fair_view_with(&self, actor: &Actor, id: i64, people: bool) -> AppResult<FairView> {
        let record = self.fair(actor, id).await?;
        let mut participants = Vec::new();
        let mut postings_count = 0_u32;
        let mut posts_offered = 0_u32;
        let employers = self.store.fair_employers(id).await?;
        // Every posting of the fair's employers in one read, then each
        // employer's own as the fair lists them.
        let employer_ids: Vec<i64> = employers.iter().map(|p| p.employer_id).collect();
        let mut by_id: HashMap<i64, JobPostingRecord> = self
            .store
            .job_postings_of_employers(&employer_ids)
            .await?
            .into_iter()
            .map(|posting| (posting.id, posting))
            .collect();
        for participant in employers {
            let mut postings = Vec::new();
            for posting_id in &participant.posting_ids {
                if let Some(posting) = by_id.remove(posting_id) {
                    postings_count += 1;
                    posts_offered = posts_offered.saturating_add(posting.fields.posts);
                    postings.push(posting);
                }
            }
            participants.push(ParticipantView {
                record: participant,
                postings,
            });
        }
        let all = self.store.fair_registrations(id).await?;
        let applications = self.store.applications_of_fair(id).await?;
        let steps: Vec<Vec<_>> = applications
            .iter()
            .map(|a| a.steps.iter().map(|s| s.status).collect())
            .collect();
        let step_slices: Vec<&[_]> = steps.iter().map(Vec::as_slice).collect();
        let marks: Vec<(&[AccessNeed], RegistrationStatus)> = all
            .iter()
            .map(|r| (r.access_needs.as_slice(), r.status))
            .collect();
        let report = fair::report(&ReportInput {
            provisions: &record.fields.provisions,
            registrations: &marks,
            employers: u32::try_from(participants.len()).unwrap_or(u32::MAX),
            postings: postings_count,
            posts_offered,
            applications: &step_slices,
        });
        let registrations: Vec<RegistrationView> = all
            .into_iter()
            .filter(|r| people && actor.may_read_person(r.person_id, &r.person_district_code))
            .map(|record| RegistrationView {
                name_masked: mask_name(&record.person_name),
                record,
            })
            .collect();
        if !registrations.is_empty() {
            let shown: Vec<i64> = registrations.iter().map(|r| r.record.person_id).collect();
            let audit = actor
                .audit(self.now(), "fair.registrations", "fair")
                .with_entity_id(id)
                .with_detail(json!({ "persons": shown }));
            self.store.append_audit(audit).await?;
        }
        let held = record.fields.held_on <= self.today();
        Ok(FairView {
            record,
            participants,
            registrations,
            report,
            can_organise: Self::can_organise_fairs(actor),
            held,
        })
    }

    /// An employer takes part in a fair with some of its open postings (an
    /// employer's HR for its own organisation; staff for an employer of
    /// their scope). Joining again replaces the postings. A fair for
    /// state-owned enterprises only refuses any other employer; every
    /// problem is a field error and nothing is written.
    pub async fn join_fair(
        &self,
        actor: &Actor,
        fair_id: i64,
        input: &JoinInput,
    ) -> AppResult<FairEmployerRecord> {
        let mut errors = Vec::new();
        let employer_id = if actor.role == Role::Employer {
            actor.require(Permission::JobWrite)?;
            actor.organisation_id.ok_or(AppError::Forbidden)?
        } else {
            actor.require(Permission::FairWrite)?;
            match number("employer_id", &input.employer_id, &mut errors) {
                Some(id) => id,
                None => return Err(AppError::Invalid(errors)),
            }
        };
        let fair = self.fair(actor, fair_id).await?;
        let employer = self
            .store
            .employer(employer_id, &Self::employer_scope(actor))
            .await?;
        let Some(employer) = employer else {
            return Err(AppError::Invalid(vec![invalid(
                "employer_id",
                "unknown_employer",
                "找不到这个用人单位，或它不在您的管辖范围内。",
                "No such employer in your area.",
            )]));
        };
        if fair.fields.soe_only && !employer.fields.state_owned {
            errors.push(invalid(
                "employer_id",
                "not_state_owned",
                "这是国有企业专场招聘会，只有国有企业可以参加。",
                "This fair is for state-owned enterprises only.",
            ));
        }
        let mut posting_ids = Vec::new();
        for text in input.postings.iter().filter(|p| !p.trim().is_empty()) {
            let found = match text.trim().parse::<i64>() {
                Ok(id) => {
                    self.store
                        .job_posting(id, &PostingScope::Employer(employer_id))
                        .await?
                }
                Err(_) => None,
            };
            match found {
                Some(posting) if posting.open => posting_ids.push(posting.id),
                _ => {
                    errors.push(invalid(
                        "postings",
                        "unknown_posting",
                        "请选择本单位正在招聘的岗位。",
                        "Choose open jobs of this employer.",
                    ));
                    break;
                }
            }
        }
        if posting_ids.is_empty() && !errors.iter().any(|e| e.field == "postings") {
            errors.push(invalid(
                "postings",
                "required",
                "请至少选择一个带到招聘会的岗位。",
                "Choose at least one job to bring to the fair.",
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let audit = actor.audit(self.now(), "fair.join", "fair");
        Ok(self
            .store
            .join_fair(fair_id, employer_id, &posting_ids, self.now(), audit)
            .await?)
    }

    /// Registers a person for a fair with their access needs: a job
    /// seeker themself for a fair still to come, staff a person of their
    /// scope. A second registration is a field error.
    pub async fn register_for_fair(
        &self,
        actor: &Actor,
        fair_id: i64,
        input: &RegistrationInput,
    ) -> AppResult<FairRegistrationRecord> {
        let mut errors = Vec::new();
        let fair = self.fair(actor, fair_id).await?;
        let person_id = if actor.role == Role::Seeker {
            let own = actor.person_id.ok_or(AppError::Forbidden)?;
            if fair.fields.held_on < self.today() {
                errors.push(invalid(
                    "fair",
                    "past",
                    "这场招聘会已经结束，不能再报名。",
                    "This fair is over; registration has closed.",
                ));
            }
            own
        } else {
            actor.require(Permission::FairWrite)?;
            number("person_id", &input.person_id, &mut errors).unwrap_or_default()
        };
        let mut need_errors = Vec::new();
        let access_needs =
            fair::access_needs("access_needs", &input.access_needs, &mut need_errors);
        errors.extend(need_errors.into_iter().map(FieldError::from));
        if person_id > 0 {
            let audit = actor
                .audit(self.now(), "person.read", "person")
                .with_entity_id(person_id)
                .with_detail(json!({ "for": "fair.register", "fair": fair_id }));
            let person = self
                .store
                .read_person(person_id, &actor.person_scope(), audit)
                .await?;
            if person.is_none() {
                errors.push(invalid(
                    "person_id",
                    "unknown_person",
                    "找不到这个人，或此人不在您的管辖范围内。",
                    "No such person in your area.",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let registration = NewFairRegistration {
            fair_id,
            person_id,
            access_needs,
            registered_on: self.today().min(fair.fields.held_on),
            at: self.now(),
        };
        let audit = actor.audit(self.now(), "fair.register", "fair_registration");
        self.store
            .register_for_fair(&registration, audit)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::Invalid(vec![invalid(
                    "person_id",
                    "registered_already",
                    "此人已经报名这场招聘会。",
                    "This person has registered for this fair already.",
                )]),
                other => other.into(),
            })
    }

    /// Marks who attended a fair that has been held: `(registration id,
    /// status code)` pairs, for the registrations the actor may see.
    /// Returns how many changed.
    pub async fn mark_attendance(
        &self,
        actor: &Actor,
        fair_id: i64,
        marks: &[(String, String)],
    ) -> AppResult<u64> {
        actor.require(Permission::FairWrite)?;
        let fair = self.fair(actor, fair_id).await?;
        if fair.fields.held_on > self.today() {
            return Err(AppError::Invalid(vec![not_held()]));
        }
        let visible: Vec<i64> = self
            .store
            .fair_registrations(fair_id)
            .await?
            .into_iter()
            .filter(|r| actor.may_read_person(r.person_id, &r.person_district_code))
            .map(|r| r.id)
            .collect();
        let mut parsed = Vec::new();
        for (id, status) in marks {
            let id = id
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| visible.contains(id));
            let status = RegistrationStatus::from_code(status.trim());
            match (id, status) {
                (Some(id), Some(status)) => parsed.push((id, status)),
                _ => {
                    return Err(AppError::Invalid(vec![invalid(
                        "attendance",
                        "unknown_value",
                        "请为每个报名者选择是否到场。",
                        "Choose whether each registered person attended.",
                    )]));
                }
            }
        }
        let audit = actor.audit(self.now(), "fair.attendance", "fair");
        Ok(self
            .store
            .mark_attendance(fair_id, &parsed, fair.fields.held_on, self.now(), audit)
            .await?)
    }

    /// An application made at a fair that has been held, for a person
    /// registered at it, to a posting an employer brought: the rules of
    /// [`App::apply`], dated the fair's day and linked to the fair.
    pub async fn apply_at_fair(
        &self,
        actor: &Actor,
        fair_id: i64,
        person_id: i64,
        posting_id: i64,
    ) -> AppResult<ApplicationView> {
        let fair = self.fair(actor, fair_id).await?;
        let mut errors = Vec::new();
        if fair.fields.held_on > self.today() {
            errors.push(not_held());
        }
        let brought = self
            .store
            .fair_employers(fair_id)
            .await?
            .iter()
            .any(|p| p.posting_ids.contains(&posting_id));
        if !brought {
            errors.push(invalid(
                "posting_id",
                "not_at_fair",
                "这个岗位没有带到这场招聘会。",
                "This job was not offered at this fair.",
            ));
        }
        let registered = self
            .store
            .fair_registrations(fair_id)
            .await?
            .iter()
            .any(|r| r.person_id == person_id);
        if !registered {
            errors.push(invalid(
                "person_id",
                "not_registered",
                "此人没有报名这场招聘会。",
                "This person did not register for this fair.",
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        self.apply_with(
            actor,
            person_id,
            posting_id,
            Some((fair_id, fair.fields.held_on)),
        )
        .await
    }
}
