//! Job applications, and the loop from a quota gap to a hire (issue 8):
//! a person applies (or the employment service recommends them) to an open
//! posting; the application moves recommended → applied → interview →
//! offer → hired, or ends declined or withdrawn, each step with its day
//! ([`ApplicationStatus::can_move_to`] is the rule). A hire records the
//! person's employment outcome in the same store transaction as the step
//! ([`Store::move_application`](ablework_store::Store::move_application)),
//! so progress counts it, and closes the posting once its posts are filled.
//!
//! Who may do what: a seeker applies for themself and may withdraw their
//! own application; staff who may change a person's record (district
//! officers in their district, the city administrator) apply for a person
//! of their scope, which starts the application as `recommended`. Those who
//! manage a posting (its employer's HR, the officers of its employer's
//! district, the city administrator) see its applications and move them
//! along. Anyone else reads an application as absent.
//!
//! The quota itself is assessed only from an employer's annual
//! declaration; hires made here are shown beside it
//! ([`EmployerStanding::hires`](crate::employers::EmployerStanding)) until
//! the employer declares them.

use std::str::FromStr;

use ablework_domain::application::ApplicationStatus;
use ablework_domain::lang::Lang;
use ablework_domain::levy::EmployerKind;
use ablework_domain::outcome::{EmploymentForm, Measure};
use ablework_domain::person::mask_name;
use ablework_domain::roles::{Permission, Role};
use ablework_store::{
    EmployerFields, EmployerScope, Hire, NewApplication, OutcomeDetails, PersonScope, PostingScope,
    Recorded, StoreError,
};
use chrono::NaiveDate;
use serde_json::json;

pub use ablework_store::{ApplicationRecord, ApplicationStep, Moved};

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError, invalid};
use crate::persons::PersonView;

/// An application as a page or the API shows it.
#[derive(Clone, Debug)]
pub struct ApplicationView {
    /// The record with its steps.
    pub record: ApplicationRecord,
    /// The person's name, masked.
    pub person_name_masked: String,
    /// The steps the reader may move it to now (empty: none).
    pub next_steps: Vec<ApplicationStatus>,
}

/// A step as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepInput {
    /// The status code to move to.
    pub status: String,
    /// `YYYY-MM-DD`: the day it happened; for `hired`, the first day of
    /// work.
    pub on: String,
}

/// The measure of the plan a hire is credited to, from the employer's
/// registry entry: agencies and public institutions lead (measure 1); a
/// state-owned enterprise counts under measure 2; the others under private
/// enterprises (measure 3).
pub fn measure_for(employer: &EmployerFields) -> Measure {
    match employer.kind {
        EmployerKind::Agency | EmployerKind::Institution => Measure::AgenciesLead,
        EmployerKind::Enterprise if employer.state_owned => Measure::StateEnterprises,
        EmployerKind::Enterprise | EmployerKind::SocialOrg => Measure::PrivateEnterprises,
    }
}

fn closed() -> FieldError {
    invalid(
        "posting",
        "closed",
        "这个岗位已停止招聘，不能再申请。",
        "This job is closed and takes no more applications.",
    )
}

impl App {
    pub(crate) fn recorded_now(&self, actor: &Actor) -> Recorded {
        Recorded {
            user_id: Some(actor.user_id).filter(|id| *id > 0),
            username: None,
            at: self.now(),
        }
    }

    /// Whether the actor manages a posting: may change postings and sees
    /// this one in its posting scope.
    async fn manages_posting(&self, actor: &Actor, posting_id: i64) -> AppResult<bool> {
        if !Self::can_write_postings(actor) {
            return Ok(false);
        }
        Ok(self
            .store
            .job_posting(posting_id, &Self::posting_scope(actor))
            .await?
            .is_some())
    }

    /// The first step of an application the actor makes for a person: a
    /// seeker for themself (`applied`), staff who may change the record
    /// (`recommended`); `None` if the actor may not apply for them.
    fn applies_as(actor: &Actor, person_id: i64) -> Option<ApplicationStatus> {
        if actor.role == Role::Seeker {
            (actor.person_id == Some(person_id)).then_some(ApplicationStatus::Applied)
        } else {
            actor
                .role
                .permits(Permission::PersonWrite)
                .then_some(ApplicationStatus::Recommended)
        }
    }

    /// What keeps a person from applying: an inactive record, or being
    /// outside working age.
    fn applicant_problems(person: &PersonView) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !person.active {
            errors.push(invalid(
                "person",
                "inactive",
                "这个人的记录已停用，不能申请岗位。",
                "This person's record is inactive, so they cannot apply.",
            ));
        }
        if !person.working_age {
            errors.push(invalid(
                "person",
                "not_working_age",
                "这个人不在劳动年龄内，不能申请岗位。",
                "This person is not of working age, so they cannot apply.",
            ));
        }
        errors
    }

    /// Whether the actor may apply `person` (read in scope) to open jobs:
    /// [`App::apply`]'s rule, for deciding whether to offer the button.
    pub fn may_apply(actor: &Actor, person: &PersonView) -> bool {
        Self::applies_as(actor, person.id).is_some() && Self::applicant_problems(person).is_empty()
    }

    /// The job seeker's own record, when the actor is a seeker who may
    /// apply for jobs now (the read is audited as the seeker's own).
    pub async fn seeker_applicant(&self, actor: &Actor) -> AppResult<Option<i64>> {
        let Some(person_id) = actor.person_id.filter(|_| actor.role == Role::Seeker) else {
            return Ok(None);
        };
        let person = self.get_person(actor, person_id).await?;
        Ok(Self::may_apply(actor, &person).then_some(person_id))
    }

    /// Applies a person to a posting: a seeker for themself (`applied`),
    /// staff for a person of their scope (`recommended`), dated today.
    /// The posting must be open and the person active and of working age;
    /// every problem is a field error and nothing is written.
    pub async fn apply(
        &self,
        actor: &Actor,
        person_id: i64,
        posting_id: i64,
    ) -> AppResult<ApplicationView> {
        self.apply_with(actor, person_id, posting_id, None).await
    }

    /// [`App::apply`], made at a job fair when `at_fair` names the fair and
    /// its day: the application is linked to the fair and its first step is
    /// dated the fair's day (the caller checked the fair).
    pub(crate) async fn apply_with(
        &self,
        actor: &Actor,
        person_id: i64,
        posting_id: i64,
        at_fair: Option<(i64, NaiveDate)>,
    ) -> AppResult<ApplicationView> {
        let first_status = match Self::applies_as(actor, person_id) {
            Some(status) => status,
            None if actor.role == Role::Seeker => return Err(AppError::NotFound),
            None => return Err(AppError::Forbidden),
        };
        let audit = actor
            .audit(self.now(), "person.read", "person")
            .with_entity_id(person_id)
            .with_detail(json!({ "for": "application.create", "job_posting": posting_id }));
        let person = self
            .store
            .read_person(person_id, &actor.person_scope(), audit)
            .await?
            .ok_or(AppError::NotFound)?;
        // A posting, once posted, was public while open: saying it is
        // closed tells nobody anything new.
        let posting = self
            .store
            .job_posting(posting_id, &PostingScope::All)
            .await?
            .ok_or(AppError::NotFound)?;
        let view = self.person_view(&person);
        let mut errors = Vec::new();
        if !posting.open {
            errors.push(closed());
        }
        errors.extend(Self::applicant_problems(&view));
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let new = NewApplication {
            person_id,
            posting_id,
            fair_id: at_fair.map(|(fair, _)| fair),
            first: ApplicationStep {
                status: first_status,
                on: at_fair.map_or_else(|| self.today(), |(_, day)| day),
                recorded: self.recorded_now(actor),
            },
        };
        let audit = actor
            .audit(self.now(), "application.create", "job_application")
            .with_detail(json!({
                "person": person_id,
                "job_posting": posting_id,
                "status": first_status.code(),
                "fair": new.fair_id,
            }));
        let record =
            self.store
                .create_application(&new, audit)
                .await
                .map_err(|error| match error {
                    StoreError::Conflict(rule) if rule == "posting_closed" => {
                        AppError::Invalid(vec![closed()])
                    }
                    StoreError::Conflict(_) => AppError::Invalid(vec![invalid(
                        "posting",
                        "applied_already",
                        "已经申请过这个岗位。",
                        "An application to this job exists already.",
                    )]),
                    other => other.into(),
                })?;
        let manages = self.manages_posting(actor, posting_id).await?;
        Ok(Self::application_view(actor, record, manages))
    }

    fn application_view(
        actor: &Actor,
        record: ApplicationRecord,
        manages: bool,
    ) -> ApplicationView {
        let own = actor.role == Role::Seeker && actor.person_id == Some(record.person_id);
        let next_steps = if manages {
            record.status.next_steps()
        } else if own && record.status.can_move_to(ApplicationStatus::Withdrawn) {
            vec![ApplicationStatus::Withdrawn]
        } else {
            Vec::new()
        };
        ApplicationView {
            person_name_masked: mask_name(&record.person_name),
            record,
            next_steps,
        }
    }

    /// One application, for its person (a seeker's own) or those who
    /// manage its posting; anyone else reads it as absent.
    pub async fn application(&self, actor: &Actor, id: i64) -> AppResult<ApplicationView> {
        let record = self
            .store
            .application(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let manages = self.manages_posting(actor, record.posting_id).await?;
        let own = actor.role == Role::Seeker && actor.person_id == Some(record.person_id);
        if !(manages || own) {
            return Err(AppError::NotFound);
        }
        Ok(Self::application_view(actor, record, manages))
    }

    /// A posting's applications, for those who manage it (`None` for
    /// anyone else); the people shown are audited, as candidates are.
    pub async fn posting_applications(
        &self,
        actor: &Actor,
        posting_id: i64,
    ) -> AppResult<Option<Vec<ApplicationView>>> {
        if !self.manages_posting(actor, posting_id).await? {
            return Ok(None);
        }
        let records = self.store.applications_of_posting(posting_id).await?;
        if !records.is_empty() {
            let shown: Vec<i64> = records.iter().map(|r| r.person_id).collect();
            let audit = actor
                .audit(self.now(), "job.applications", "job_posting")
                .with_entity_id(posting_id)
                .with_detail(json!({ "persons": shown }));
            self.store.append_audit(audit).await?;
        }
        Ok(Some(
            records
                .into_iter()
                .map(|r| Self::application_view(actor, r, true))
                .collect(),
        ))
    }

    /// A person's applications; the caller read the person in the actor's
    /// scope first (as the person's page does).
    pub async fn person_applications(
        &self,
        actor: &Actor,
        person: &PersonView,
    ) -> AppResult<Vec<ApplicationView>> {
        let records = self.store.applications_of_person(person.id).await?;
        let mut views = Vec::with_capacity(records.len());
        for record in records {
            let manages = self.manages_posting(actor, record.posting_id).await?;
            views.push(Self::application_view(actor, record, manages));
        }
        Ok(views)
    }

    /// Moves an application one step along: those who manage its posting
    /// to any allowed step, its person (a seeker) only to `withdrawn`.
    /// `hired` records the person's employment outcome (quota employment,
    /// the measure from the employer's kind, [`measure_for`]) and closes
    /// the posting when its posts are filled, in one transaction.
    pub async fn move_application(
        &self,
        actor: &Actor,
        id: i64,
        input: &StepInput,
    ) -> AppResult<Moved> {
        let current = self
            .store
            .application(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let manages = self.manages_posting(actor, current.posting_id).await?;
        let own = actor.role == Role::Seeker && actor.person_id == Some(current.person_id);
        if !manages && !own {
            return Err(AppError::NotFound);
        }
        let mut errors = Vec::new();
        let next = match input.status.trim() {
            "" => {
                errors.push(FieldError::required("status"));
                None
            }
            code => match ApplicationStatus::from_code(code) {
                None => {
                    errors.push(invalid(
                        "status",
                        "unknown_value",
                        "请从列表中选择。",
                        "Choose one of the listed values.",
                    ));
                    None
                }
                Some(next) if !current.status.can_move_to(next) => {
                    errors.push(invalid(
                        "status",
                        "not_allowed",
                        format!(
                            "申请不能从“{}”改为“{}”。",
                            current.status.label(Lang::Zh),
                            next.label(Lang::Zh)
                        ),
                        format!(
                            "An application cannot move from “{}” to “{}”.",
                            current.status.label(Lang::En),
                            next.label(Lang::En)
                        ),
                    ));
                    None
                }
                Some(next) => Some(next),
            },
        };
        if let Some(next) = next
            && !manages
            && next != ApplicationStatus::Withdrawn
        {
            return Err(AppError::Forbidden);
        }
        let on = self.step_day(&current, input, &mut errors);
        let (Some(next), Some(on)) = (next, on) else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let hire = if next == ApplicationStatus::Hired {
            Some(self.hire(actor, &current, on).await?)
        } else {
            None
        };
        let step = ApplicationStep {
            status: next,
            on,
            recorded: self.recorded_now(actor),
        };
        let audit = actor.audit(self.now(), "application.move", "job_application");
        self.store
            .move_application(id, current.status, &step, hire.as_ref(), audit)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::Conflict {
                    code: "application_moved".to_owned(),
                    message: crate::Localized::new(
                        "这份申请刚被别人更新过，请刷新后再试。",
                        "Someone else has just moved this application; reload and try again.",
                    ),
                },
                other => other.into(),
            })
    }

    /// Reads the step's day: required, not in the future, not before the
    /// application's last step.
    fn step_day(
        &self,
        current: &ApplicationRecord,
        input: &StepInput,
        errors: &mut Vec<FieldError>,
    ) -> Option<NaiveDate> {
        let text = input.on.trim();
        if text.is_empty() {
            errors.push(FieldError::required("on"));
            return None;
        }
        let Ok(on) = NaiveDate::from_str(text) else {
            errors.push(invalid(
                "on",
                "invalid_date",
                "请按 年-月-日 填写日期，例如 2024-06-30。",
                "Write the date as year-month-day, such as 2024-06-30.",
            ));
            return None;
        };
        if on > self.today() {
            errors.push(invalid(
                "on",
                "in_future",
                "日期不能晚于今天。",
                "The date cannot be later than today.",
            ));
            return None;
        }
        if let Some(last) = current.steps.last()
            && on < last.on
        {
            errors.push(invalid(
                "on",
                "before_last_step",
                format!("日期不能早于上一步（{}）。", last.on),
                format!("The date cannot be before the last step ({}).", last.on),
            ));
            return None;
        }
        Some(on)
    }

    /// The outcome a hire records: the person as registered now (read for
    /// the hire and audited so), quota employment at the posting's
    /// employer with the posting's wage.
    async fn hire(
        &self,
        actor: &Actor,
        current: &ApplicationRecord,
        started_on: NaiveDate,
    ) -> AppResult<Hire> {
        // Those who manage a posting need not see the person's record; the
        // hire reads it, and the audit log says so.
        let audit = actor
            .audit(self.now(), "person.read", "person")
            .with_entity_id(current.person_id)
            .with_detail(json!({ "for": "application.hire", "application": current.id }));
        let person = self
            .store
            .read_person(current.person_id, &PersonScope::All, audit)
            .await?
            .ok_or(AppError::NotFound)?;
        let employer = self
            .store
            .employer(current.employer_id, &EmployerScope::All)
            .await?
            .ok_or(AppError::NotFound)?;
        let posting = self
            .store
            .job_posting(current.posting_id, &PostingScope::All)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Hire {
            outcome: crate::cases::outcome_of(
                &person,
                started_on,
                EmploymentForm::Quota,
                measure_for(&employer.fields),
            ),
            details: OutcomeDetails {
                employer_id: Some(employer.id),
                contract_months: None,
                monthly_wage: i32::try_from(posting.fields.monthly_wage).ok(),
                insured: None,
            },
            audit: actor.audit(self.now(), "outcome.record", "person"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_measure_follows_the_employers_kind_and_ownership() {
        let employer = |kind: EmployerKind, state_owned: bool| EmployerFields {
            credit_code: "91120101MA0000001".to_owned(),
            name: "天津某单位".to_owned(),
            kind,
            is_school: false,
            staffing_quota: None,
            staff: 100,
            district_code: "120101".to_owned(),
            sector: "retail".to_owned(),
            state_owned,
        };
        let cases = [
            (EmployerKind::Agency, false, Measure::AgenciesLead),
            (EmployerKind::Institution, false, Measure::AgenciesLead),
            (EmployerKind::Enterprise, false, Measure::PrivateEnterprises),
            (EmployerKind::Enterprise, true, Measure::StateEnterprises),
            (EmployerKind::SocialOrg, false, Measure::PrivateEnterprises),
            (EmployerKind::SocialOrg, true, Measure::PrivateEnterprises),
        ];
        for (kind, state_owned, measure) in cases {
            assert_eq!(
                measure_for(&employer(kind, state_owned)),
                measure,
                "{kind:?} state-owned {state_owned}"
            );
        }
    }
}
