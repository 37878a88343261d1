//! The programmes (measures 3, 4, 5, 6, 8, 9 and 10; docs/programmes.md):
//! federation staff register the units taking part and hold the district's
//! pools (labour projects, support schemes) and allocate them; units run
//! their activities — an institution's account only its own unit's —,
//! people join them, and a placement in work records the person's
//! employment outcome credited to the programme's measure, once.
//!
//! People join by resident ID number and name: both must match a
//! registered person, so a number alone reveals nothing. Participants are
//! shown with masked names; a link to the person's record only where the
//! reader may read it. Every write is audited in the store's transaction.

use ablework_domain::ident::ResidentId;
use ablework_domain::normalize::normalize_text;
use ablework_domain::person::mask_name;
use ablework_domain::programme::{
    self, ActivityInput, ActivityKind, BlankIncome, Criterion, DrawInput, DrawTarget, DrawTo, Join,
    JoinInput, Placeable, PlacementInput, Programme, ProgressInput, Role, RuralCriteria,
    RuralFigures, Status, UnitInput, UnitKind,
};
use ablework_domain::roles::Permission;
use ablework_store::{
    ActivityFilter, NewDraw, NewParticipant, OutcomeDetails, Page, PersonRecord, PersonScope,
    Recorded, StoreError, UnitFilter, VersionedRecord,
};
use rust_decimal::Decimal;
use serde_json::json;

pub use ablework_store::{
    ActivityRecord, DrawRecord, ParticipantRecord, ProgrammeFigures, ProgrammeScope, UnitRecord,
};

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError, invalid};

/// The identifier of the rural bases' criteria.
pub const RURAL_CRITERIA_ID: &str = "tianjin-rural-base";

/// A units or activities list query as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgrammeQuery {
    /// A kind (code).
    pub kind: String,
    /// A district (code or name).
    pub district: String,
    /// Words of the name or title.
    pub search: String,
    /// Page, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// A participant as the reader may see them.
#[derive(Clone, Debug)]
pub struct ParticipantView {
    /// The participation.
    pub record: ParticipantRecord,
    /// The person's name, masked.
    pub name_masked: String,
    /// Whether the reader may open the person's record.
    pub linked: bool,
    /// The last day work may start and count for the course (completed
    /// trainees).
    pub placement_deadline: Option<chrono::NaiveDate>,
    /// Whether a placement can still be recorded through this
    /// participation.
    pub placeable: bool,
}

impl ParticipantView {
    /// A participation as `actor` may see it: the name masked, the link to
    /// the person's record only where the actor may read it, and whether
    /// (and until when: `placement_months` after a trainee's completion) a
    /// placement may be recorded. [`App::view_of_participant`] passes the
    /// policy preset's months.
    pub fn of(actor: &Actor, record: ParticipantRecord, placement_months: u32) -> ParticipantView {
        let placement_deadline = (record.role == Role::Trainee
            && record.status == Status::Completed)
            .then_some(record.ended_on)
            .flatten()
            .map(|completed_on| programme::placement_deadline(completed_on, placement_months));
        let placeable = record.outcome_id.is_none()
            && record.role.may_place()
            && (record.role != Role::Trainee || placement_deadline.is_some());
        ParticipantView {
            name_masked: mask_name(&record.person_name),
            linked: actor.may_read_person(record.person_id, &record.person_district_code),
            placement_deadline,
            placeable,
            record,
        }
    }
}

/// A draw as the reader may see it.
#[derive(Clone, Debug)]
pub struct DrawView {
    /// The draw.
    pub record: DrawRecord,
    /// The person's name, masked, when it went to a person.
    pub name_masked: Option<String>,
}

/// A course's results.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CourseResults {
    /// Enrolled, withdrawn ones aside.
    pub enrolled: u32,
    /// Completed.
    pub completed: u32,
    /// Completed with a certificate.
    pub certified: u32,
    /// Completed and in work within the placement window after completion
    /// (the policy preset's months, six by default), however the
    /// work was recorded (through the course, on the person's case, a hire).
    pub in_work: u32,
    /// Of those, placed through the course (credited to measure 10).
    pub placed: u32,
}

/// A unit with what it runs and who takes part.
#[derive(Clone, Debug)]
pub struct UnitView {
    /// The unit.
    pub record: UnitRecord,
    /// Its activities, latest first.
    pub activities: Vec<ActivityRecord>,
    /// The people in the unit itself, in the order they joined.
    pub participants: Vec<ParticipantView>,
    /// What it received from the district's pools.
    pub received: Vec<DrawView>,
    /// A rural base's standing against the latest criteria.
    pub criteria: Option<(RuralCriteria, Vec<Criterion>)>,
    /// Whether a base's annual review is overdue.
    pub review_due: bool,
    /// Whether the reader may change the unit (staff).
    pub can_manage: bool,
    /// Whether the reader may add activities and people.
    pub can_write: bool,
}

/// An activity with who takes part and what was drawn.
#[derive(Clone, Debug)]
pub struct ActivityView {
    /// The activity.
    pub record: ActivityRecord,
    /// The unit running it (`None`: the district's pool).
    pub unit: Option<UnitRecord>,
    /// The people taking part, in the order they joined.
    pub participants: Vec<ParticipantView>,
    /// Its draws, oldest first.
    pub draws: Vec<DrawView>,
    /// The units a pooled activity may be drawn to, by name (for readers
    /// who may draw; empty otherwise).
    pub targets: Vec<UnitRecord>,
    /// A course's results.
    pub results: Option<CourseResults>,
    /// Whether the reader may add people, progress, placements and draws.
    pub can_write: bool,
}

impl ActivityView {
    /// What is left of its limit.
    pub fn remaining(&self) -> Option<Decimal> {
        self.record.remaining()
    }
}

fn unknown_person(field: &str) -> FieldError {
    invalid(
        field,
        "unknown_person",
        "找不到身份证号码与姓名都相符的登记人员。",
        "No registered person has this ID number and name.",
    )
}

fn conflict(error: StoreError, remaining: Option<Decimal>, capacity: Option<u32>) -> AppError {
    match error {
        StoreError::Conflict(code) => AppError::Invalid(vec![match code.as_str() {
            "capacity_full" => programme::capacity_full(capacity.unwrap_or_default()).into(),
            "over_limit" => programme::over_limit(remaining.unwrap_or_default()).into(),
            "already_placed" => invalid(
                "started_on",
                "already_placed",
                "已经登记过这次就业，同一参与只计一次。",
                "This placement is already recorded; a participation counts once.",
            ),
            "participant_exists" => programme::already_joined().into(),
            other => return AppError::Internal(format!("unexpected conflict: {other}")),
        }]),
        other => other.into(),
    }
}

fn domain_errors(errors: Vec<ablework_domain::levy::FieldError>) -> AppError {
    AppError::Invalid(errors.into_iter().map(FieldError::from).collect())
}

impl App {
    /// Each programme's figures in the actor's scope.
    ///
    /// # Errors
    /// `Forbidden` without `programme_read`.
    pub async fn programme_figures(
        &self,
        actor: &Actor,
    ) -> AppResult<Vec<(Programme, ProgrammeFigures)>> {
        actor.require(Permission::ProgrammeRead)?;
        Ok(self
            .store
            .programme_figures(&actor.programme_scope())
            .await?)
    }

    fn unit_filter(actor: &Actor, programme: Programme, query: &ProgrammeQuery) -> UnitFilter {
        let mut filter = UnitFilter::new(actor.programme_scope());
        filter.programme = Some(programme);
        filter.kind = UnitKind::from_code(query.kind.trim());
        filter.district_code =
            ablework_domain::district::resolve(&query.district).map(|d| d.code.to_owned());
        filter.search = Some(normalize_text(&query.search)).filter(|s| !s.is_empty());
        filter.page = query.page.max(1);
        filter.per_page = if query.per_page == 0 {
            20
        } else {
            query.per_page.min(200)
        };
        filter
    }

    /// A programme's units in the actor's scope, by name, a page at a time.
    ///
    /// # Errors
    /// `Forbidden` without `programme_read`.
    pub async fn programme_units(
        &self,
        actor: &Actor,
        programme: Programme,
        query: &ProgrammeQuery,
    ) -> AppResult<(UnitFilter, Page<UnitRecord>)> {
        actor.require(Permission::ProgrammeRead)?;
        let filter = Self::unit_filter(actor, programme, query);
        let units = self.store.list_units(&filter).await?;
        Ok((filter, units))
    }

    /// A programme's activities in the actor's scope (pooled ones only with
    /// `pooled`), latest start first, a page at a time.
    ///
    /// # Errors
    /// `Forbidden` without `programme_read`.
    pub async fn programme_activities(
        &self,
        actor: &Actor,
        programme: Programme,
        pooled: bool,
        query: &ProgrammeQuery,
    ) -> AppResult<(ActivityFilter, Page<ActivityRecord>)> {
        actor.require(Permission::ProgrammeRead)?;
        let units = Self::unit_filter(actor, programme, query);
        let mut filter = ActivityFilter::new(units.scope);
        filter.programme = Some(programme);
        filter.kind = ActivityKind::from_code(query.kind.trim());
        filter.pooled = pooled;
        filter.district_code = units.district_code;
        filter.search = units.search;
        filter.page = units.page;
        filter.per_page = units.per_page;
        let activities = self.store.list_activities(&filter).await?;
        Ok((filter, activities))
    }

    /// A district officer works in their own district only: a unit or a
    /// pool elsewhere is an error on `district`.
    fn check_district(actor: &Actor, district_code: &str) -> AppResult<()> {
        match actor.programme_scope() {
            ProgrammeScope::All => Ok(()),
            ProgrammeScope::District(own) if own == district_code => Ok(()),
            ProgrammeScope::District(_) => Err(AppError::Invalid(vec![invalid(
                "district",
                "out_of_scope",
                "只能登记本区的机构和项目。",
                "You can only register units and projects of your own district.",
            )])),
            _ => Err(AppError::Forbidden),
        }
    }

    /// Registers a unit of a programme.
    ///
    /// # Errors
    /// `Forbidden` without `programme_manage`; `Invalid` with every field
    /// error, or a district outside the officer's.
    pub async fn create_unit(
        &self,
        actor: &Actor,
        programme: Programme,
        input: &UnitInput,
    ) -> AppResult<UnitRecord> {
        actor.require(Permission::ProgrammeManage)?;
        let unit = programme::validate_unit(programme, input).map_err(domain_errors)?;
        Self::check_district(actor, &unit.district_code)?;
        let audit = actor
            .audit(self.now(), "programme.unit.create", "programme_unit")
            .with_detail(json!({ "programme": programme.code(), "kind": unit.kind.code() }));
        Ok(self.store.create_unit(&unit, self.now(), audit).await?)
    }

    /// Changes a unit's registry entry.
    ///
    /// # Errors
    /// `Forbidden` without `programme_manage`; `NotFound` out of scope;
    /// `Invalid` as for [`App::create_unit`].
    pub async fn update_unit(
        &self,
        actor: &Actor,
        id: i64,
        input: &UnitInput,
    ) -> AppResult<UnitRecord> {
        actor.require(Permission::ProgrammeManage)?;
        let current = self.unit(actor, id).await?;
        let unit =
            programme::validate_unit(current.fields.programme(), input).map_err(domain_errors)?;
        Self::check_district(actor, &unit.district_code)?;
        let audit = actor
            .audit(self.now(), "programme.unit.update", "programme_unit")
            .with_entity_id(id);
        self.store
            .update_unit(id, &actor.programme_scope(), &unit, self.now(), audit)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// One unit in the actor's scope.
    ///
    /// # Errors
    /// `Forbidden` without `programme_read`; `NotFound` out of scope.
    pub async fn unit(&self, actor: &Actor, id: i64) -> AppResult<UnitRecord> {
        actor.require(Permission::ProgrammeRead)?;
        self.store
            .programme_unit(id, &actor.programme_scope())
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A participation as `actor` may see it, with the placement window of
    /// the policy preset ([`ParticipantView::of`]).
    pub fn view_of_participant(&self, actor: &Actor, record: ParticipantRecord) -> ParticipantView {
        ParticipantView::of(
            actor,
            record,
            self.config.policy.programmes.placement_months,
        )
    }

    fn participant_views(
        &self,
        actor: &Actor,
        records: Vec<ParticipantRecord>,
    ) -> Vec<ParticipantView> {
        records
            .into_iter()
            .map(|record| self.view_of_participant(actor, record))
            .collect()
    }

    /// Records that the actor was shown these people of a unit or an
    /// activity (`programme.participants`, as a fair's registrations are).
    async fn audit_people_shown(
        &self,
        actor: &Actor,
        entity: &str,
        id: i64,
        people: &[ParticipantView],
        draws: &[DrawView],
    ) -> AppResult<()> {
        let mut shown: Vec<i64> = people.iter().map(|p| p.record.person_id).collect();
        shown.extend(draws.iter().filter_map(|d| d.record.person_id));
        if shown.is_empty() {
            return Ok(());
        }
        let audit = actor
            .audit(self.now(), "programme.participants", entity)
            .with_entity_id(id)
            .with_detail(json!({ "persons": shown }));
        self.store.append_audit(audit).await?;
        Ok(())
    }

    fn draw_views(records: Vec<DrawRecord>) -> Vec<DrawView> {
        records
            .into_iter()
            .map(|record| DrawView {
                name_masked: record.person_name.as_deref().map(mask_name),
                record,
            })
            .collect()
    }

    /// A unit's page: its activities, its own people, what it received, a
    /// rural base's standing against the criteria.
    ///
    /// # Errors
    /// As [`App::unit`].
    pub async fn unit_view(&self, actor: &Actor, id: i64) -> AppResult<UnitView> {
        let record = self.unit(actor, id).await?;
        let mut filter = ActivityFilter::new(actor.programme_scope());
        filter.unit_id = Some(id);
        filter.per_page = 200;
        let activities = self.store.list_activities(&filter).await?.items;
        let participants = self.participant_views(actor, self.store.participants(id, None).await?);
        let received = Self::draw_views(self.store.draws_to_unit(id).await?);
        let criteria = if record.fields.kind == UnitKind::RuralBase {
            let criteria = self.latest_rural_criteria().await?;
            let figures = rural_figures(&participants);
            let assessed = criteria.assess(&figures);
            Some((criteria, assessed))
        } else {
            None
        };
        self.audit_people_shown(actor, "programme_unit", id, &participants, &[])
            .await?;
        let review_due = record.fields.review_due(self.today());
        let scope = actor.programme_scope();
        Ok(UnitView {
            can_manage: actor.role.permits(Permission::ProgrammeManage)
                && !matches!(scope, ProgrammeScope::Unit(_)),
            can_write: actor.role.permits(Permission::ProgrammeWrite),
            record,
            activities,
            participants,
            received,
            criteria,
            review_due,
        })
    }

    /// Enters an activity run by a unit (staff, or the unit's own account)
    /// or, with `unit_id` `None`, pooled by a district (staff).
    ///
    /// # Errors
    /// `Forbidden` without the permission; `NotFound` for a unit out of
    /// scope; `Invalid` with every field error.
    pub async fn create_activity(
        &self,
        actor: &Actor,
        programme: Programme,
        unit_id: Option<i64>,
        input: &ActivityInput,
    ) -> AppResult<ActivityRecord> {
        let activity = if let Some(id) = unit_id {
            actor.require(Permission::ProgrammeWrite)?;
            let unit = self.unit(actor, id).await?;
            programme::validate_activity(
                unit.fields.programme(),
                Some((unit.fields.kind, &unit.fields.district_code)),
                input,
            )
            .map_err(domain_errors)?
        } else {
            actor.require(Permission::ProgrammeManage)?;
            let activity =
                programme::validate_activity(programme, None, input).map_err(domain_errors)?;
            Self::check_district(actor, &activity.district_code)?;
            activity
        };
        let audit = actor
            .audit(
                self.now(),
                "programme.activity.create",
                "programme_activity",
            )
            .with_detail(json!({ "kind": activity.kind.code(), "unit": unit_id }));
        Ok(self
            .store
            .create_activity(unit_id, &activity, self.now(), audit)
            .await?)
    }

    /// One activity in the actor's scope.
    ///
    /// # Errors
    /// `Forbidden` without `programme_read`; `NotFound` out of scope.
    pub async fn activity(&self, actor: &Actor, id: i64) -> AppResult<ActivityRecord> {
        actor.require(Permission::ProgrammeRead)?;
        self.store
            .programme_activity(id, &actor.programme_scope())
            .await?
            .ok_or(AppError::NotFound)
    }

    /// An activity's page: its people, its draws, what is left, a course's
    /// results, the units a pooled activity may go to.
    ///
    /// # Errors
    /// As [`App::activity`].
    pub async fn activity_view(&self, actor: &Actor, id: i64) -> AppResult<ActivityView> {
        let record = self.activity(actor, id).await?;
        let kind = record.fields.kind;
        let programme = kind.programme();
        let unit = match record.unit_id {
            Some(unit_id) => {
                self.store
                    .programme_unit(unit_id, &ProgrammeScope::All)
                    .await?
            }
            None => None,
        };
        let participants = match record.unit_id {
            Some(unit_id) if kind.role().is_some() => {
                self.participant_views(actor, self.store.participants(unit_id, Some(id)).await?)
            }
            _ => Vec::new(),
        };
        let draws = Self::draw_views(self.store.draws(id).await?);
        let can_write = if record.unit_id.is_some() {
            actor.role.permits(Permission::ProgrammeWrite)
        } else {
            actor.role.permits(Permission::ProgrammeManage)
                && !matches!(actor.programme_scope(), ProgrammeScope::Unit(_))
        };
        // The units a draw may go to, for the form: only for those who
        // may draw.
        let targets = match kind.draws() {
            Some(DrawTarget::Unit(kinds)) if can_write => {
                let mut filter = UnitFilter::new(actor.programme_scope());
                filter.programme = Some(programme);
                filter.district_code = Some(record.fields.district_code.clone());
                filter.per_page = 500;
                self.store
                    .list_units(&filter)
                    .await?
                    .items
                    .into_iter()
                    .filter(|u| kinds.contains(&u.fields.kind))
                    .collect()
            }
            _ => Vec::new(),
        };
        let results = if kind == ActivityKind::Course {
            let completed: Vec<i64> = participants
                .iter()
                .filter(|p| p.placement_deadline.is_some())
                .map(|p| p.record.person_id)
                .collect();
            let started: Vec<(i64, chrono::NaiveDate)> = if completed.is_empty() {
                Vec::new()
            } else {
                self.store
                    .outcomes_of_persons(&completed)
                    .await?
                    .into_iter()
                    .map(|o| (o.outcome.person_id, o.outcome.started_on))
                    .collect()
            };
            Some(course_results(&participants, &started))
        } else {
            None
        };
        self.audit_people_shown(actor, "programme_activity", id, &participants, &draws)
            .await?;
        Ok(ActivityView {
            record,
            unit,
            participants,
            draws,
            targets,
            results,
            can_write,
        })
    }

    /// The registered person with this resident ID number and name, or an
    /// error on `field` that says only that none matches. A miss is
    /// recorded (`programme.lookup_missed`, by whom, no number), so that
    /// anyone trying numbers and names in turn shows in the audit log, and
    /// counted: after [`AppConfig::lookup_max_misses`] misses within the
    /// window the account's look-ups are refused (`lookups_throttled`,
    /// audited as `programme.lookup_throttled`) until the window passes;
    /// the operator at the command line is not throttled.
    ///
    /// [`AppConfig::lookup_max_misses`]: crate::AppConfig::lookup_max_misses
    async fn person_by_id_and_name(
        &self,
        actor: &Actor,
        field: &str,
        id_number: &str,
        name: &str,
    ) -> AppResult<PersonRecord> {
        let now = self.now();
        // The operator at the command line holds the key: not throttled.
        let key = (!actor.is_operator()).then(|| format!("lookup:{}", actor.user_id));
        let since = now - self.config.lookup_window;
        let misses = match &key {
            Some(key) => self.store.count_failed_attempts(key, since).await?,
            None => 0,
        };
        if misses >= self.config.lookup_max_misses {
            let audit = actor
                .audit(now, "programme.lookup_throttled", "person")
                .with_detail(json!({ "field": field }));
            self.store.append_audit(audit).await?;
            let minutes = self.config.lookup_window.num_minutes();
            return Err(AppError::Invalid(vec![invalid(
                field,
                "lookups_throttled",
                format!("{minutes} 分钟内未找到的人员过多，请稍后再试。"),
                format!("Too many people not found within {minutes} minutes: try again later."),
            )]));
        }
        let found = match ResidentId::parse(id_number, self.today()) {
            Ok(id) => {
                let hash = self.vault.lookup_hash(id.as_str());
                self.store
                    .persons_by_id_hashes(&[hash])
                    .await?
                    .into_iter()
                    .find(|p| p.active && normalize_text(&p.name) == normalize_text(name))
            }
            // Not a valid number: nothing was looked up.
            Err(_) => return Err(AppError::Invalid(vec![unknown_person(field)])),
        };
        if let Some(person) = found {
            return Ok(person);
        }
        if let Some(key) = &key {
            self.store.record_failed_attempt(key, now).await?;
        }
        let audit = actor
            .audit(now, "programme.lookup_missed", "person")
            .with_detail(json!({ "field": field }));
        self.store.append_audit(audit).await?;
        Err(AppError::Invalid(vec![unknown_person(field)]))
    }

    /// Checks a join as [`App::join_programme`] does before writing: the
    /// form, for a unit of `unit` kind or an activity of `activity` kind,
    /// and the person by ID number and name; every error at once.
    pub(crate) async fn check_join(
        &self,
        actor: &Actor,
        unit: UnitKind,
        activity: Option<ActivityKind>,
        input: &JoinInput,
    ) -> AppResult<(Join, PersonRecord)> {
        let join = programme::validate_join(unit, activity, input);
        let person = self
            .person_by_id_and_name(actor, "id_number", &input.id_number, &input.name)
            .await;
        match (join, person) {
            (Ok(join), Ok(person)) => Ok((join, person)),
            // A failure to look the person up is not the user's error.
            (_, Err(error)) if !matches!(error, AppError::Invalid(_)) => Err(error),
            (join, person) => {
                let mut errors: Vec<FieldError> = join
                    .err()
                    .unwrap_or_default()
                    .into_iter()
                    .map(FieldError::from)
                    .collect();
                if !errors.iter().any(|e| e.field == "id_number")
                    && let Err(AppError::Invalid(more)) = person
                {
                    errors.extend(more);
                }
                Err(AppError::Invalid(errors))
            }
        }
    }

    /// A person joins a unit, or one of its activities (`activity_id`).
    ///
    /// # Errors
    /// `Forbidden` without `programme_write`; `NotFound` out of scope;
    /// `Invalid`: every field error, no person with that number and name,
    /// the person already on the list, every place taken.
    pub async fn join_programme(
        &self,
        actor: &Actor,
        unit_id: i64,
        activity_id: Option<i64>,
        input: &JoinInput,
    ) -> AppResult<ParticipantRecord> {
        actor.require(Permission::ProgrammeWrite)?;
        let unit = self.unit(actor, unit_id).await?;
        let activity = match activity_id {
            Some(id) => {
                let activity = self.activity(actor, id).await?;
                if activity.unit_id != Some(unit_id) {
                    return Err(AppError::NotFound);
                }
                Some(activity)
            }
            None => None,
        };
        let (join, person) = self
            .check_join(
                actor,
                unit.fields.kind,
                activity.as_ref().map(|a| a.fields.kind),
                input,
            )
            .await?;
        if let Some(service_id) = join.service_id {
            let services = self.store.case_file(person.id).await?.services;
            if !services.iter().any(|s| s.id == service_id) {
                return Err(AppError::Invalid(vec![invalid(
                    "service_id",
                    "unknown_service",
                    "此人的“四个一”服务中没有这个编号。",
                    "The person's \"four ones\" case has no service with this number.",
                )]));
            }
        }
        if let Some(error) = late_join(join.joined_on, activity.as_ref(), self.today()) {
            return Err(AppError::Invalid(vec![error]));
        }
        let capacity = match &activity {
            Some(activity) => activity.fields.capacity,
            None if join.role == Role::Worker => unit.fields.capacity,
            None => None,
        };
        let participant = NewParticipant {
            unit_id,
            activity_id,
            person_id: person.id,
            role: join.role,
            joined_on: join.joined_on,
            monthly_income: join.monthly_income,
            income_before: join.income_before,
            service_id: join.service_id,
            at: self.now(),
        };
        let audit = actor
            .audit(self.now(), "programme.join", "programme_participant")
            .with_detail(json!({
                "person": person.id,
                "unit": unit_id,
                "activity": activity_id,
                "role": join.role.code(),
            }));
        self.store
            .join_programme(&participant, capacity, audit)
            .await
            .map_err(|e| conflict(e, None, capacity))
    }

    /// A participant in the actor's scope, with their unit.
    async fn participant(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<(ParticipantRecord, UnitRecord)> {
        let record = self
            .store
            .programme_participant(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let unit = self.unit(actor, record.unit_id).await?;
        Ok((record, unit))
    }

    /// A participant's page: the participation as the reader may see it,
    /// its unit and its activity.
    ///
    /// # Errors
    /// `Forbidden` without `programme_read`; `NotFound` out of scope.
    pub async fn participant_view(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<(ParticipantView, UnitRecord, Option<ActivityRecord>)> {
        actor.require(Permission::ProgrammeRead)?;
        let (record, unit) = self.participant(actor, id).await?;
        let activity = match record.activity_id {
            Some(activity_id) => Some(self.activity(actor, activity_id).await?),
            None => None,
        };
        let view = self.view_of_participant(actor, record);
        self.audit_people_shown(
            actor,
            "programme_participant",
            id,
            std::slice::from_ref(&view),
            &[],
        )
        .await?;
        Ok((view, unit, activity))
    }

    /// Records a participant's attendance, completion, income or leaving;
    /// `blank` says what an income left blank does (the participation's
    /// page clears it, a call without one keeps it).
    ///
    /// # Errors
    /// `Forbidden` without `programme_write`; `NotFound` out of scope;
    /// `Invalid` with every field error.
    pub async fn record_participant_progress(
        &self,
        actor: &Actor,
        id: i64,
        input: &ProgressInput,
        blank: BlankIncome,
    ) -> AppResult<ParticipantRecord> {
        actor.require(Permission::ProgrammeWrite)?;
        let (record, _) = self.participant(actor, id).await?;
        let progress = programme::validate_progress(record.role, record.joined_on, input, blank)
            .map_err(domain_errors)?;
        if record.outcome_id.is_some()
            && (progress.status != record.status || progress.ended_on != record.ended_on)
        {
            return Err(AppError::Invalid(vec![invalid(
                "status",
                "placed",
                "已登记就业的参与不能再改动状态和日期。",
                "This participation placed the person in work: its status and day stay as they are.",
            )]));
        }
        let audit = actor
            .audit(self.now(), "programme.progress", "programme_participant")
            .with_entity_id(id)
            .with_detail(json!({ "status": progress.status.code() }));
        Ok(self
            .store
            .record_participant_progress(id, &progress, self.now(), audit)
            .await?)
    }

    /// Places a participant in work: the person's employment outcome,
    /// credited to the programme's measure, recorded once.
    ///
    /// # Errors
    /// `Forbidden` without `programme_write`; `NotFound` out of scope;
    /// `Invalid`: every field error, a second placement, a trainee outside
    /// the policy preset's months after completion.
    pub async fn place_participant(
        &self,
        actor: &Actor,
        id: i64,
        input: &PlacementInput,
    ) -> AppResult<ParticipantRecord> {
        actor.require(Permission::ProgrammeWrite)?;
        let (record, unit) = self.participant(actor, id).await?;
        let programme = unit.fields.programme();
        let placement = programme::validate_placement(
            &Placeable {
                programme,
                role: record.role,
                status: record.status,
                joined_on: record.joined_on,
                ended_on: record.ended_on,
                placed: record.outcome_id.is_some(),
            },
            input,
            self.config.policy.programmes.placement_months,
        )
        .map_err(domain_errors)?;
        let read = actor
            .audit(self.now(), "person.read", "person")
            .with_entity_id(record.person_id)
            .with_detail(json!({ "for": "programme.place", "participant": id }));
        let person = self
            .store
            .read_person(record.person_id, &PersonScope::All, read)
            .await?
            .ok_or(AppError::NotFound)?;
        let outcome = crate::cases::outcome_of(
            &person,
            placement.started_on,
            placement.form,
            placement.measure,
        );
        let details = OutcomeDetails {
            employer_id: None,
            contract_months: None,
            monthly_wage: placement
                .monthly_wage
                .and_then(|w| i32::try_from(w.round().mantissa()).ok()),
            insured: None,
        };
        let recorded = Recorded {
            user_id: Some(actor.user_id).filter(|id| *id > 0),
            username: Some(actor.username.clone()),
            at: self.now(),
        };
        let audit = actor
            .audit(self.now(), "programme.place", "programme_participant")
            .with_entity_id(id)
            .with_detail(json!({
                "person": person.id,
                "measure": placement.measure.code(),
                "started_on": placement.started_on,
            }));
        self.store
            .place_participant(id, &outcome, &details, &recorded, audit)
            .await
            .map_err(|e| conflict(e, None, None))
    }

    /// Draws on an activity: a labour project allocated to a workshop or
    /// support granted to a rural unit (staff, on the district's pools), a
    /// disbursement or a fee waiver to a person, a payment against a
    /// deliverable (the unit's account or staff). Never beyond the limit.
    ///
    /// # Errors
    /// `Forbidden` without the permission; `NotFound` out of scope;
    /// `Invalid`: every field error, a unit that may not receive it, no
    /// person with that number and name, more than is left.
    pub async fn draw_on_activity(
        &self,
        actor: &Actor,
        activity_id: i64,
        input: &DrawInput,
    ) -> AppResult<DrawRecord> {
        let activity = self.activity(actor, activity_id).await?;
        if activity.unit_id.is_some() {
            actor.require(Permission::ProgrammeWrite)?;
        } else {
            actor.require(Permission::ProgrammeManage)?;
            if matches!(actor.programme_scope(), ProgrammeScope::Unit(_)) {
                return Err(AppError::Forbidden);
            }
        }
        let kind = activity.fields.kind;
        let remaining = activity.remaining();
        let draw = programme::validate_draw(kind, remaining, input).map_err(domain_errors)?;
        let (unit_id, person_id) = match &draw.to {
            DrawTo::Unit(id) => {
                let fits = match (
                    kind.draws(),
                    self.store
                        .programme_unit(*id, &actor.programme_scope())
                        .await?,
                ) {
                    (Some(DrawTarget::Unit(kinds)), Some(unit)) => {
                        kinds.contains(&unit.fields.kind)
                    }
                    _ => false,
                };
                if !fits {
                    return Err(AppError::Invalid(vec![invalid(
                        "unit_id",
                        "unknown_value",
                        "请从列表中选择接收单位。",
                        "Choose the receiving unit from the list.",
                    )]));
                }
                (Some(*id), None)
            }
            DrawTo::Person(id_number, name) => {
                let person = self
                    .person_by_id_and_name(actor, "id_number", id_number, name)
                    .await?;
                (None, Some(person.id))
            }
            DrawTo::Deliverable => (None, None),
        };
        let new = NewDraw {
            activity_id,
            amount: draw.amount,
            on_date: draw.on_date,
            until: draw.until,
            unit_id,
            person_id,
            purpose: draw.purpose,
            note: draw.note,
            at: self.now(),
        };
        let audit = actor
            .audit(self.now(), "programme.draw", "programme_draw")
            .with_detail(json!({
                "activity": activity_id,
                "amount": draw.amount.to_string(),
                "unit": unit_id,
                "person": person_id,
            }));
        self.store
            .draw_on_activity(&new, activity.fields.limit, audit)
            .await
            .map_err(|e| conflict(e, remaining, None))
    }

    /// The latest rural bases' criteria (the built-in first version when
    /// none is stored).
    ///
    /// # Errors
    /// The store's.
    pub async fn latest_rural_criteria(&self) -> AppResult<RuralCriteria> {
        let stored = self.store.rural_criteria().await?;
        match stored
            .into_iter()
            .filter(|r| r.id == RURAL_CRITERIA_ID)
            .max_by_key(|r| r.version)
        {
            Some(latest) => serde_json::from_value(latest.body).map_err(|e| {
                AppError::Internal(format!(
                    "rural criteria version {} unreadable: {e}",
                    latest.version
                ))
            }),
            None => Ok(RuralCriteria::default()),
        }
    }

    /// Saves a revision of the rural bases' criteria as a new version (the
    /// city only).
    ///
    /// # Errors
    /// `Forbidden` but for the city with `programme_manage`; `Invalid` for
    /// numbers out of range.
    pub async fn revise_rural_criteria(
        &self,
        actor: &Actor,
        revised: &RuralCriteria,
    ) -> AppResult<RuralCriteria> {
        actor.require(Permission::ProgrammeManage)?;
        if actor.programme_scope() != ProgrammeScope::All {
            return Err(AppError::Forbidden);
        }
        revised.validate().map_err(domain_errors)?;
        let current = self.latest_rural_criteria().await?;
        let next = RuralCriteria {
            id: RURAL_CRITERIA_ID.to_owned(),
            version: current.version + 1,
            ..revised.clone()
        };
        let body = serde_json::to_value(&next)
            .map_err(|e| AppError::Internal(format!("criteria as JSON: {e}")))?;
        let audit = actor
            .audit(self.now(), "programme.criteria.revise", "rural_criteria")
            .with_detail(json!({ "version": next.version }));
        self.store
            .save_rural_criteria(
                VersionedRecord {
                    id: next.id.clone(),
                    version: i32::try_from(next.version).unwrap_or(i32::MAX),
                    body,
                    created_at: self.now(),
                },
                audit,
            )
            .await?;
        Ok(next)
    }
}

/// The error on `joined_on` when the day is in the future or after the
/// activity's last day.
fn late_join(
    joined_on: chrono::NaiveDate,
    activity: Option<&ActivityRecord>,
    today: chrono::NaiveDate,
) -> Option<FieldError> {
    if joined_on > today {
        return Some(invalid(
            "joined_on",
            "in_future",
            "加入日期不能晚于今天。",
            "The day joined cannot be after today.",
        ));
    }
    let ends_on = activity.and_then(|a| a.fields.ends_on)?;
    (joined_on > ends_on).then(|| {
        invalid(
            "joined_on",
            "after_end",
            format!("活动已于 {ends_on} 结束，加入日期不能晚于这一天。"),
            format!("The activity ended on {ends_on}; the day joined cannot be later."),
        )
    })
}

/// A rural unit's figures from its own people.
fn rural_figures(participants: &[ParticipantView]) -> RuralFigures {
    let mut figures = RuralFigures::default();
    let mut gains = Vec::new();
    for p in participants.iter().map(|p| &p.record) {
        if p.status == Status::Withdrawn {
            continue;
        }
        match p.role {
            Role::Worker => {
                figures.employed += 1;
                if let (Some(now), Some(before)) = (p.monthly_income, p.income_before) {
                    gains.push(now - before);
                }
            }
            Role::Helped => figures.helped += 1,
            Role::Trained => figures.trained += 1,
            _ => {}
        }
    }
    if !gains.is_empty() {
        let sum: Decimal = gains.iter().sum();
        figures.income_gain = Some(sum / Decimal::from(gains.len()));
    }
    figures
}

/// A course's results from its trainees and the days their work started
/// (`(person, started_on)` of every outcome of the completed ones).
fn course_results(
    participants: &[ParticipantView],
    started: &[(i64, chrono::NaiveDate)],
) -> CourseResults {
    let mut results = CourseResults::default();
    for p in participants {
        let r = &p.record;
        if r.status == Status::Withdrawn {
            continue;
        }
        results.enrolled += 1;
        if r.status != Status::Completed {
            continue;
        }
        results.completed += 1;
        if r.certificate.is_some() {
            results.certified += 1;
        }
        let (Some(completed_on), Some(deadline)) = (r.ended_on, p.placement_deadline) else {
            continue;
        };
        let within = |day: chrono::NaiveDate| completed_on <= day && day <= deadline;
        if r.placed_on.is_some_and(within) {
            results.placed += 1;
        }
        if r.placed_on.is_some_and(within)
            || started
                .iter()
                .any(|(person, day)| *person == r.person_id && within(*day))
        {
            results.in_work += 1;
        }
    }
    results
}
