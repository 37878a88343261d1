//! The JSON API of the programmes (measures 3, 4, 5, 6, 8, 9 and 10): each
//! programme's figures, the units taking part and their activities, the
//! district's pools, people joining them, their progress and placement in
//! work, the draws on an activity's limit, and the rural bases' criteria.
//!
//! The conventions are [`crate::api`]'s: bearer tokens, bodies with every
//! field known, the list envelope, the error body (422 names every field
//! that is wrong, and nothing is saved), 404 outside the caller's scope
//! and for a programme code that does not exist. Numbers in request bodies
//! are accepted as JSON numbers or strings; decimals are always answered
//! as strings. People are shown by masked name, never by ID number. The
//! application layer decides who may do what; the handlers only translate.

use ablework_app::programmes::{
    ActivityRecord, ActivityView, CourseResults, DrawRecord, DrawView, ParticipantRecord,
    ParticipantView, ProgrammeFigures, ProgrammeQuery, RURAL_CRITERIA_ID, UnitRecord, UnitView,
};
use ablework_app::{App, AppError, Localized};
use ablework_domain::district;
use ablework_domain::lang::Lang;
use ablework_domain::person::mask_name;
use ablework_domain::programme::{
    ActivityInput, ActivityKind, BlankIncome, Criterion, DrawInput, JoinInput, PlacementInput,
    Programme, ProgressInput, RuralCriteria, UnitInput, UnitKind,
};
use ablework_domain::roles::Permission;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiActor, ApiJson, ApiQuery, ListBody, path_id};
use crate::api_employers::{NumberText, paging};
use crate::error::{ApiError, ErrorBody};

/// The routes of this module, merged into [`crate::api::routes`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programmes", get(list_programmes))
        .route(
            "/programmes/rural/criteria",
            get(rural_criteria).post(revise_rural_criteria),
        )
        .route(
            "/programmes/{programme}/units",
            get(list_units).post(create_unit),
        )
        .route("/programmes/{programme}/activities", get(list_activities))
        .route("/programmes/{programme}/pool", post(create_pooled))
        .route("/programme-units/{id}", get(get_unit).put(update_unit))
        .route("/programme-units/{id}/activities", post(create_activity))
        .route("/programme-units/{id}/participants", post(join_unit))
        .route("/programme-activities/{id}", get(get_activity))
        .route(
            "/programme-activities/{id}/participants",
            post(join_activity),
        )
        .route("/programme-activities/{id}/draws", post(draw))
        .route(
            "/programme-participants/{id}/progress",
            post(record_progress),
        )
        .route("/programme-participants/{id}/placement", post(place))
}

// ---- helpers ------------------------------------------------------------------

/// A programme's code from the path; an unknown one is absent (404).
fn programme_of(raw: &str, caller: &ApiActor) -> Result<Programme, ApiError> {
    Programme::from_code(raw.trim()).ok_or_else(|| caller.error(AppError::NotFound))
}

/// A decimal as text, without trailing zeros (`"50000"`, `"0.01"`).
fn decimal(value: Decimal) -> String {
    value.normalize().to_string()
}

fn district_name(code: &str, lang: Lang) -> String {
    crate::pages::district_name(code, lang)
}

/// A number as sent, as text; left out, empty.
fn text(value: Option<NumberText>) -> String {
    value.map(NumberText::into_string).unwrap_or_default()
}

// ---- bodies ---------------------------------------------------------------------

/// A programme's figures in the caller's scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeFiguresBody {
    /// Units taking part.
    pub units: u32,
    /// Activities (run by units or pooled by districts).
    pub activities: u32,
    /// People taking part, withdrawn ones aside (a person in two units
    /// counts twice).
    pub participants: u32,
    /// Participations that placed someone in work.
    pub placed: u32,
    /// The money drawn (budgets, support, waivers, payments), yuan, as a
    /// decimal string.
    pub money_drawn: String,
}

impl From<&ProgrammeFigures> for ProgrammeFiguresBody {
    fn from(figures: &ProgrammeFigures) -> ProgrammeFiguresBody {
        ProgrammeFiguresBody {
            units: figures.units,
            activities: figures.activities,
            participants: figures.participants,
            placed: figures.placed,
            money_drawn: decimal(figures.money_drawn),
        }
    }
}

/// A programme of the plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeBody {
    /// `platforms`, `organisations`, `auxiliary`, `rural`, `massage`,
    /// `procurement` or `training`.
    pub code: String,
    /// Its name in the request's language.
    pub name: String,
    /// The plan's measure it delivers (`m10_training`, …).
    pub measure: String,
    /// The measure's name in the request's language.
    pub measure_name: String,
    /// The kinds of unit taking part (codes).
    pub unit_kinds: Vec<String>,
    /// The activities the district pools (codes).
    pub pooled_kinds: Vec<String>,
    /// Its figures in your scope.
    pub figures: ProgrammeFiguresBody,
}

/// A unit taking part in a programme.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeUnitBody {
    /// Record id (an institution account's organisation).
    pub id: i64,
    /// The programme's code.
    pub programme: String,
    /// The unit's kind (code).
    pub kind: String,
    /// The kind's name in the request's language.
    pub kind_name: String,
    /// Its name.
    pub name: String,
    /// Its district (GB/T 2260 code).
    pub district: String,
    /// The district's name in the request's language.
    pub district_name: String,
    /// Places (bases, workshops), else `null`.
    pub capacity: Option<u32>,
    /// A training institution's accreditation (`accredited`, `pending`,
    /// `lapsed`), else `null`.
    pub accreditation: Option<String>,
    /// The day it was accredited.
    pub accredited_on: Option<String>,
    /// A training base keeps the management rules.
    pub compliant: bool,
    /// A base's last annual review.
    pub reviewed_on: Option<String>,
    /// A sunshine workshop is a pilot.
    pub pilot: bool,
    /// A leading enterprise's sector (code).
    pub sector: Option<String>,
    /// Product and service brands.
    pub brands: Vec<String>,
    /// Address or contact.
    pub note: Option<String>,
    /// Activities it runs.
    pub activities: u32,
    /// People taking part in it or its activities, withdrawn ones aside.
    pub participants: u32,
    /// When it was entered (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

impl ProgrammeUnitBody {
    fn from_record(record: &UnitRecord, lang: Lang) -> ProgrammeUnitBody {
        let fields = &record.fields;
        ProgrammeUnitBody {
            id: record.id,
            programme: fields.programme().code().to_owned(),
            kind: fields.kind.code().to_owned(),
            kind_name: fields.kind.label(lang).to_owned(),
            name: fields.name.clone(),
            district: fields.district_code.clone(),
            district_name: district_name(&fields.district_code, lang),
            capacity: fields.capacity,
            accreditation: fields.accreditation.map(|(a, _)| a.code().to_owned()),
            accredited_on: fields
                .accreditation
                .and_then(|(_, on)| on)
                .map(|d| d.to_string()),
            compliant: fields.compliant,
            reviewed_on: fields.reviewed_on.map(|d| d.to_string()),
            pilot: fields.pilot,
            sector: fields.sector.map(|s| s.code().to_owned()),
            brands: fields.brands.clone(),
            note: fields.note.clone(),
            activities: record.activities,
            participants: record.participants,
            created_at: record.created_at.to_rfc3339(),
            updated_at: record.updated_at.to_rfc3339(),
        }
    }
}

/// An activity run by a unit or pooled by a district.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeActivityBody {
    /// Record id.
    pub id: i64,
    /// The programme's code.
    pub programme: String,
    /// The unit running it; `null` for a district's pool.
    pub unit_id: Option<i64>,
    /// That unit's name.
    pub unit_name: Option<String>,
    /// Held in the district's pool.
    pub pooled: bool,
    /// `course`, `labour_project`, `support_scheme`, `fund`,
    /// `charity_project`, `waiver_scheme` or `contract`.
    pub kind: String,
    /// The kind's name in the request's language.
    pub kind_name: String,
    /// Its title.
    pub title: String,
    /// Its district (GB/T 2260 code).
    pub district: String,
    /// The district's name in the request's language.
    pub district_name: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: Option<String>,
    /// A course's places.
    pub capacity: Option<u32>,
    /// A labour project's volume, or a budget or contract amount (yuan),
    /// as a decimal string.
    pub limit: Option<String>,
    /// A labour project's unit price, yuan.
    pub unit_price: Option<String>,
    /// A course's occupation (ISCO-08 sub-major group code).
    pub occupation: Option<String>,
    /// A course's mode: `on_order`, `at_home` or `internship`.
    pub mode: Option<String>,
    /// A course's schedule.
    pub schedule: Option<String>,
    /// A course's access provisions (codes).
    pub provisions: Vec<String>,
    /// A labour project's source: `agency`, `hospital`, `school`,
    /// `enterprise`.
    pub source_kind: Option<String>,
    /// The source's name.
    pub source_name: Option<String>,
    /// The kind of work, a contract's scope or a fund's purpose.
    pub scope: Option<String>,
    /// People taking part, withdrawn ones aside.
    pub participants: u32,
    /// The sum of its draws, as a decimal string.
    pub drawn: String,
    /// What is left of its limit; `null` without a limit.
    pub remaining: Option<String>,
    /// When it was entered (RFC 3339).
    pub created_at: String,
}

impl ProgrammeActivityBody {
    fn from_record(record: &ActivityRecord, lang: Lang) -> ProgrammeActivityBody {
        let fields = &record.fields;
        ProgrammeActivityBody {
            id: record.id,
            programme: fields.kind.programme().code().to_owned(),
            unit_id: record.unit_id,
            unit_name: record.unit_name.clone(),
            pooled: record.unit_id.is_none(),
            kind: fields.kind.code().to_owned(),
            kind_name: fields.kind.label(lang).to_owned(),
            title: fields.title.clone(),
            district: fields.district_code.clone(),
            district_name: district_name(&fields.district_code, lang),
            starts_on: fields.starts_on.to_string(),
            ends_on: fields.ends_on.map(|d| d.to_string()),
            capacity: fields.capacity,
            limit: fields.limit.map(decimal),
            unit_price: fields.unit_price.map(decimal),
            occupation: fields.occupation.map(|o| o.code().to_owned()),
            mode: fields.mode.map(|m| m.code().to_owned()),
            schedule: fields.schedule.clone(),
            provisions: fields
                .provisions
                .iter()
                .map(|p| p.code().to_owned())
                .collect(),
            source_kind: fields.source.as_ref().map(|(k, _)| k.code().to_owned()),
            source_name: fields.source.as_ref().map(|(_, n)| n.clone()),
            scope: fields.scope.clone(),
            participants: record.participants,
            drawn: decimal(record.drawn),
            remaining: record.remaining().map(decimal),
            created_at: record.created_at.to_rfc3339(),
        }
    }
}

/// A person taking part in a unit or an activity. Their name is masked;
/// their ID number is never shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeParticipantBody {
    /// Record id of the participation.
    pub id: i64,
    /// The unit.
    pub unit_id: i64,
    /// The activity, if they joined one.
    pub activity_id: Option<i64>,
    /// The person's record id, only where you may open the person's
    /// record (`GET /api/v1/persons/{id}`); else `null`.
    pub person_id: Option<i64>,
    /// The person's name, masked (`张*`).
    pub person_name: String,
    /// `trainee`, `worker`, `helped`, `trained`, `practitioner`,
    /// `online_worker` or `served`.
    pub role: String,
    /// The role's name in the request's language.
    pub role_name: String,
    /// `active`, `completed` or `withdrawn`.
    pub status: String,
    /// The status's name in the request's language.
    pub status_name: String,
    /// The day they joined.
    pub joined_on: String,
    /// The day they completed or left.
    pub ended_on: Option<String>,
    /// Sessions attended.
    pub sessions_attended: Option<u32>,
    /// The certificate's number.
    pub certificate: Option<String>,
    /// Monthly income, yuan.
    pub monthly_income: Option<String>,
    /// Monthly income before, yuan.
    pub income_before: Option<String>,
    /// The four-ones service record it delivers.
    pub service_id: Option<i64>,
    /// The employment outcome this participation placed them in.
    pub outcome_id: Option<i64>,
    /// That outcome's first day.
    pub placed_on: Option<String>,
    /// A completed trainee's last day for work to start and count for the
    /// course.
    pub placement_deadline: Option<String>,
    /// Whether a placement can still be recorded through this
    /// participation.
    pub placeable: bool,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

impl ProgrammeParticipantBody {
    fn from_view(view: &ParticipantView, lang: Lang) -> ProgrammeParticipantBody {
        let record = &view.record;
        ProgrammeParticipantBody {
            id: record.id,
            unit_id: record.unit_id,
            activity_id: record.activity_id,
            person_id: view.linked.then_some(record.person_id),
            person_name: view.name_masked.clone(),
            role: record.role.code().to_owned(),
            role_name: record.role.label(lang).to_owned(),
            status: record.status.code().to_owned(),
            status_name: record.status.label(lang).to_owned(),
            joined_on: record.joined_on.to_string(),
            ended_on: record.ended_on.map(|d| d.to_string()),
            sessions_attended: record.sessions_attended,
            certificate: record.certificate.clone(),
            monthly_income: record.monthly_income.map(decimal),
            income_before: record.income_before.map(decimal),
            service_id: record.service_id,
            outcome_id: record.outcome_id,
            placed_on: record.placed_on.map(|d| d.to_string()),
            placement_deadline: view.placement_deadline.map(|d| d.to_string()),
            placeable: view.placeable,
            updated_at: record.updated_at.to_rfc3339(),
        }
    }
}

/// A draw on an activity's limit: an allocation or support to a unit, a
/// disbursement or fee waiver to a person, a payment for a deliverable.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeDrawBody {
    /// Record id.
    pub id: i64,
    /// The activity drawn on.
    pub activity_id: i64,
    /// Its title.
    pub activity_title: String,
    /// How much (a quantity of work or yuan), as a decimal string.
    pub amount: String,
    /// The day.
    pub on_date: String,
    /// The last day it covers.
    pub until: Option<String>,
    /// The unit it goes to.
    pub unit_id: Option<i64>,
    /// That unit's name.
    pub unit_name: Option<String>,
    /// The person it goes to, masked.
    pub person_name: Option<String>,
    /// A support's purpose or a waiver's kind (code).
    pub purpose: Option<String>,
    /// The deliverable or a note.
    pub note: Option<String>,
    /// When it was written (RFC 3339).
    pub created_at: String,
}

impl ProgrammeDrawBody {
    fn from_view(view: &DrawView) -> ProgrammeDrawBody {
        let record = &view.record;
        ProgrammeDrawBody {
            id: record.id,
            activity_id: record.activity_id,
            activity_title: record.activity_title.clone(),
            amount: decimal(record.amount),
            on_date: record.on_date.to_string(),
            until: record.until.map(|d| d.to_string()),
            unit_id: record.unit_id,
            unit_name: record.unit_name.clone(),
            person_name: view.name_masked.clone(),
            purpose: record.purpose.clone(),
            note: record.note.clone(),
            created_at: record.created_at.to_rfc3339(),
        }
    }

    fn from_record(record: DrawRecord) -> ProgrammeDrawBody {
        ProgrammeDrawBody::from_view(&DrawView {
            name_masked: record.person_name.as_deref().map(mask_name),
            record,
        })
    }
}

/// The rural bases' qualification criteria.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuralCriteriaBody {
    /// `tianjin-rural-base`.
    pub id: String,
    /// Its version, from 1.
    pub version: u32,
    /// The least number of disabled people employed.
    pub min_employed: u32,
    /// The least number of disabled people (households) helped.
    pub min_helped: u32,
    /// The least number of disabled people trained a year.
    pub min_trained: u32,
    /// The least monthly income gain of those employed, yuan, as a decimal
    /// string.
    pub min_income_gain: String,
}

impl From<&RuralCriteria> for RuralCriteriaBody {
    fn from(criteria: &RuralCriteria) -> RuralCriteriaBody {
        RuralCriteriaBody {
            id: criteria.id.clone(),
            version: criteria.version,
            min_employed: criteria.min_employed,
            min_helped: criteria.min_helped,
            min_trained: criteria.min_trained,
            min_income_gain: decimal(criteria.min_income_gain),
        }
    }
}

/// One criterion, met or not.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuralCriterionBody {
    /// `employed`, `helped`, `trained` or `income_gain`.
    pub code: String,
    /// The least the criteria ask, as a decimal string.
    pub required: String,
    /// What the unit has, as a decimal string.
    pub actual: String,
    /// Met.
    pub met: bool,
}

impl From<&Criterion> for RuralCriterionBody {
    fn from(criterion: &Criterion) -> RuralCriterionBody {
        RuralCriterionBody {
            code: criterion.code.to_owned(),
            required: decimal(criterion.required),
            actual: decimal(criterion.actual),
            met: criterion.met,
        }
    }
}

/// A rural base's standing against the latest criteria.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuralAssessmentBody {
    /// The criteria measured against.
    pub criteria: RuralCriteriaBody,
    /// Each criterion, met or not.
    pub assessed: Vec<RuralCriterionBody>,
    /// Every criterion met.
    pub qualified: bool,
}

/// A unit with what it runs and who takes part.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeUnitDetailBody {
    /// The unit.
    #[serde(flatten)]
    pub unit: ProgrammeUnitBody,
    /// A training base's annual review is overdue.
    pub review_due: bool,
    /// You may change the unit's registry entry.
    pub can_manage: bool,
    /// You may add activities and people.
    pub can_write: bool,
    /// Its activities, latest first.
    pub activity_list: Vec<ProgrammeActivityBody>,
    /// The people in the unit itself, in the order they joined.
    pub participant_list: Vec<ProgrammeParticipantBody>,
    /// What it received from the district's pools, oldest first.
    pub received: Vec<ProgrammeDrawBody>,
    /// A rural base's standing against the latest criteria; else `null`.
    pub criteria: Option<RuralAssessmentBody>,
}

fn unit_detail(view: &UnitView, lang: Lang) -> ProgrammeUnitDetailBody {
    ProgrammeUnitDetailBody {
        unit: ProgrammeUnitBody::from_record(&view.record, lang),
        review_due: view.review_due,
        can_manage: view.can_manage,
        can_write: view.can_write,
        activity_list: view
            .activities
            .iter()
            .map(|a| ProgrammeActivityBody::from_record(a, lang))
            .collect(),
        participant_list: view
            .participants
            .iter()
            .map(|p| ProgrammeParticipantBody::from_view(p, lang))
            .collect(),
        received: view
            .received
            .iter()
            .map(ProgrammeDrawBody::from_view)
            .collect(),
        criteria: view
            .criteria
            .as_ref()
            .map(|(criteria, assessed)| RuralAssessmentBody {
                criteria: criteria.into(),
                qualified: assessed.iter().all(|c| c.met),
                assessed: assessed.iter().map(Into::into).collect(),
            }),
    }
}

/// A unit a pooled activity may be drawn to.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeUnitRefBody {
    /// The unit's record id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its kind (code).
    pub kind: String,
    /// Its district (GB/T 2260 code).
    pub district: String,
}

/// A course's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseResultsBody {
    /// Enrolled, withdrawn ones aside.
    pub enrolled: u32,
    /// Completed.
    pub completed: u32,
    /// Completed with a certificate.
    pub certified: u32,
    /// Completed and in work within six months of completion, however the
    /// work was recorded.
    pub in_work: u32,
    /// Of those, placed through the course (counted under measure 10).
    pub placed: u32,
}

impl From<&CourseResults> for CourseResultsBody {
    fn from(results: &CourseResults) -> CourseResultsBody {
        CourseResultsBody {
            enrolled: results.enrolled,
            completed: results.completed,
            certified: results.certified,
            in_work: results.in_work,
            placed: results.placed,
        }
    }
}

/// An activity with who takes part and what was drawn.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeActivityDetailBody {
    /// The activity.
    #[serde(flatten)]
    pub activity: ProgrammeActivityBody,
    /// You may add people, progress, placements and draws.
    pub can_write: bool,
    /// The people taking part, in the order they joined.
    pub participant_list: Vec<ProgrammeParticipantBody>,
    /// Its draws, oldest first.
    pub draws: Vec<ProgrammeDrawBody>,
    /// The units a pooled activity may be drawn to, by name.
    pub targets: Vec<ProgrammeUnitRefBody>,
    /// A course's results; else `null`.
    pub results: Option<CourseResultsBody>,
}

fn activity_detail(view: &ActivityView, lang: Lang) -> ProgrammeActivityDetailBody {
    ProgrammeActivityDetailBody {
        activity: ProgrammeActivityBody::from_record(&view.record, lang),
        can_write: view.can_write,
        participant_list: view
            .participants
            .iter()
            .map(|p| ProgrammeParticipantBody::from_view(p, lang))
            .collect(),
        draws: view
            .draws
            .iter()
            .map(ProgrammeDrawBody::from_view)
            .collect(),
        targets: view
            .targets
            .iter()
            .map(|u| ProgrammeUnitRefBody {
                id: u.id,
                name: u.fields.name.clone(),
                kind: u.fields.kind.code().to_owned(),
                district: u.fields.district_code.clone(),
            })
            .collect(),
        results: view.results.as_ref().map(Into::into),
    }
}

// ---- request bodies -----------------------------------------------------------------

/// A unit to register, or its new fields (the whole unit). Every field may
/// be left out; what a kind needs and is missing is named in the 422.
/// Fields a kind does not use are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "vocational_college", "name": "天津市职业技术学院", "district": "120101",
    "accreditation": "accredited", "accredited_on": "2023-03-01"}))]
pub struct NewProgrammeUnitBody {
    /// The unit's kind (code), one of the programme's.
    pub kind: Option<String>,
    /// Its name (at most 100 characters).
    pub name: Option<String>,
    /// Its district (code or name); a district officer's own.
    pub district: Option<String>,
    /// Places, a whole number from 1 (training bases, workshops, sunshine
    /// workshops need it); a JSON number or a string.
    #[schema(value_type = Option<String>)]
    pub capacity: Option<NumberText>,
    /// A training institution's accreditation: `accredited`, `pending` or
    /// `lapsed`.
    pub accreditation: Option<String>,
    /// The day it was accredited (`YYYY-MM-DD`); required when accredited.
    pub accredited_on: Option<String>,
    /// A training base keeps the management rules.
    #[serde(default)]
    pub compliant: bool,
    /// A training base's last annual review (`YYYY-MM-DD`).
    pub reviewed_on: Option<String>,
    /// A sunshine workshop is a pilot.
    #[serde(default)]
    pub pilot: bool,
    /// A leading enterprise's sector: `farming`, `breeding`, `processing`,
    /// `rural_tourism`.
    pub sector: Option<String>,
    /// Product and service brands.
    #[serde(default)]
    pub brands: Vec<String>,
    /// Address or contact (at most 500 characters).
    pub note: Option<String>,
}

impl NewProgrammeUnitBody {
    fn input(self) -> UnitInput {
        UnitInput {
            kind: self.kind.unwrap_or_default(),
            name: self.name.unwrap_or_default(),
            district: self.district.unwrap_or_default(),
            capacity: text(self.capacity),
            accreditation: self.accreditation.unwrap_or_default(),
            accredited_on: self.accredited_on.unwrap_or_default(),
            compliant: self.compliant,
            reviewed_on: self.reviewed_on.unwrap_or_default(),
            pilot: self.pilot,
            sector: self.sector.unwrap_or_default(),
            brands: self.brands.join("\n"),
            note: self.note.unwrap_or_default(),
        }
    }
}

/// An activity to enter: run by a unit, or pooled by a district. Every
/// field may be left out; what the kind needs and is missing is named in
/// the 422. Fields a kind does not use are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "course", "title": "面点制作培训班", "starts_on": "2024-03-01",
    "ends_on": "2024-04-30", "capacity": 30, "occupation": "51", "mode": "on_order", "provisions": ["sign_language"]}))]
pub struct NewProgrammeActivityBody {
    /// `course` (training institutions), `fund` or `charity_project`
    /// (organisations), `waiver_scheme` (platforms), `contract` (service
    /// providers); pooled: `labour_project` (auxiliary), `support_scheme`
    /// (rural).
    pub kind: Option<String>,
    /// Its title (at most 100 characters).
    pub title: Option<String>,
    /// A pooled activity's district (code or name); a unit's activities
    /// take the unit's.
    pub district: Option<String>,
    /// First day (`YYYY-MM-DD`).
    pub starts_on: Option<String>,
    /// Last day (`YYYY-MM-DD`).
    pub ends_on: Option<String>,
    /// A course's places, a whole number; a JSON number or a string.
    #[schema(value_type = Option<String>)]
    pub capacity: Option<NumberText>,
    /// A labour project's volume, or a budget or contract amount (yuan); a
    /// JSON number or a string, at most two decimals.
    #[schema(value_type = Option<String>)]
    pub limit: Option<NumberText>,
    /// A labour project's unit price, yuan; a JSON number or a string.
    #[schema(value_type = Option<String>)]
    pub unit_price: Option<NumberText>,
    /// A course's occupation (ISCO-08 sub-major group, two digits).
    pub occupation: Option<String>,
    /// A course's mode: `on_order`, `at_home` or `internship`.
    pub mode: Option<String>,
    /// A course's schedule.
    pub schedule: Option<String>,
    /// A course's access provisions: `sign_language`, `step_free`,
    /// `large_print`, `braille`, `captioning`, `companion`.
    #[serde(default)]
    pub provisions: Vec<String>,
    /// A labour project's source: `agency`, `hospital`, `school`,
    /// `enterprise`.
    pub source_kind: Option<String>,
    /// The source's name.
    pub source_name: Option<String>,
    /// The kind of work (labour projects), a contract's scope, a fund's
    /// purpose.
    pub scope: Option<String>,
}

impl NewProgrammeActivityBody {
    fn input(self) -> ActivityInput {
        ActivityInput {
            kind: self.kind.unwrap_or_default(),
            title: self.title.unwrap_or_default(),
            district: self.district.unwrap_or_default(),
            starts_on: self.starts_on.unwrap_or_default(),
            ends_on: self.ends_on.unwrap_or_default(),
            capacity: text(self.capacity),
            limit: text(self.limit),
            unit_price: text(self.unit_price),
            occupation: self.occupation.unwrap_or_default(),
            mode: self.mode.unwrap_or_default(),
            schedule: self.schedule.unwrap_or_default(),
            provisions: self.provisions,
            source_kind: self.source_kind.unwrap_or_default(),
            source_name: self.source_name.unwrap_or_default(),
            scope: self.scope.unwrap_or_default(),
        }
    }
}

/// A person joining a unit or an activity, found by resident ID number
/// and name: both must match a registered person.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"id_number": "120101199003071234", "name": "张伟", "joined_on": "2024-03-01"}))]
pub struct ProgrammeJoinBody {
    /// The person's resident ID number.
    pub id_number: Option<String>,
    /// The person's name, as a check that the number is theirs.
    pub name: Option<String>,
    /// The role in a unit itself: `worker`, `helped`, `trained`,
    /// `practitioner`, `online_worker`, as the unit's kind takes; an
    /// activity's people take its own role (`trainee`, `served`).
    pub role: Option<String>,
    /// The day they joined (`YYYY-MM-DD`).
    pub joined_on: Option<String>,
    /// Their monthly income from it, yuan; a JSON number or a string.
    #[schema(value_type = Option<String>)]
    pub monthly_income: Option<NumberText>,
    /// Their monthly income before (a rural base's income gain).
    #[schema(value_type = Option<String>)]
    pub income_before: Option<NumberText>,
    /// The four-ones service record it delivers (a contract's).
    #[schema(value_type = Option<String>)]
    pub service_id: Option<NumberText>,
}

impl ProgrammeJoinBody {
    fn input(self) -> JoinInput {
        JoinInput {
            id_number: self.id_number.unwrap_or_default(),
            name: self.name.unwrap_or_default(),
            role: self.role.unwrap_or_default(),
            joined_on: self.joined_on.unwrap_or_default(),
            monthly_income: text(self.monthly_income),
            income_before: text(self.income_before),
            service_id: text(self.service_id),
        }
    }
}

/// A participant's progress: a course's attendance and completion,
/// anyone's income or leaving.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "completed", "ended_on": "2024-04-30", "sessions_attended": 40, "certificate": "TJ2024-0001"}))]
pub struct ProgrammeProgressBody {
    /// `active`, `completed` (trainees only) or `withdrawn`.
    pub status: Option<String>,
    /// The day they completed or left (`YYYY-MM-DD`); required then.
    pub ended_on: Option<String>,
    /// Sessions attended; a JSON number or a string.
    #[schema(value_type = Option<String>)]
    pub sessions_attended: Option<NumberText>,
    /// The certificate's number (on completion).
    pub certificate: Option<String>,
    /// Monthly income now, yuan; a JSON number or a string. Without it
    /// the income recorded stays.
    #[schema(value_type = Option<String>)]
    pub monthly_income: Option<NumberText>,
}

impl ProgrammeProgressBody {
    fn input(self) -> ProgressInput {
        ProgressInput {
            status: self.status.unwrap_or_default(),
            ended_on: self.ended_on.unwrap_or_default(),
            sessions_attended: text(self.sessions_attended),
            certificate: self.certificate.unwrap_or_default(),
            monthly_income: text(self.monthly_income),
        }
    }
}

/// A placement in work through a participation.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"started_on": "2024-06-01", "monthly_wage": 3200}))]
pub struct ProgrammePlacementBody {
    /// The day the work started (`YYYY-MM-DD`); a trainee's within six
    /// months of completing the course.
    pub started_on: Option<String>,
    /// The employment form (code); the programme's usual one when left out.
    pub form: Option<String>,
    /// Monthly wage, yuan; a JSON number or a string.
    #[schema(value_type = Option<String>)]
    pub monthly_wage: Option<NumberText>,
}

impl ProgrammePlacementBody {
    fn input(self) -> PlacementInput {
        PlacementInput {
            started_on: self.started_on.unwrap_or_default(),
            form: self.form.unwrap_or_default(),
            monthly_wage: text(self.monthly_wage),
        }
    }
}

/// A draw on an activity's limit. What it goes to depends on the
/// activity: a unit (`unit_id`: labour projects to workshops, support to
/// rural units), a person (`id_number` and `name`: funds, charity
/// projects, fee waivers), a deliverable (`note`: contracts).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"amount": 60, "on_date": "2024-06-01", "unit_id": 7}))]
pub struct NewProgrammeDrawBody {
    /// How much: a quantity of work or yuan, above zero, at most two
    /// decimals, never beyond what is left; a JSON number or a string.
    #[schema(value_type = Option<String>)]
    pub amount: Option<NumberText>,
    /// The day (`YYYY-MM-DD`).
    pub on_date: Option<String>,
    /// The last day it covers (a fee waiver's period).
    pub until: Option<String>,
    /// The receiving unit's record id; a JSON number or a string.
    #[schema(value_type = Option<String>)]
    pub unit_id: Option<NumberText>,
    /// The receiving person's resident ID number.
    pub id_number: Option<String>,
    /// That person's name.
    pub name: Option<String>,
    /// A support's purpose (`placing`, `helping`, `training`) or a waiver's
    /// kind (`service_fee`, `deposit`, `promotion`).
    pub purpose: Option<String>,
    /// The deliverable paid for (contracts), or a note.
    pub note: Option<String>,
}

impl NewProgrammeDrawBody {
    fn input(self) -> DrawInput {
        DrawInput {
            amount: text(self.amount),
            on_date: self.on_date.unwrap_or_default(),
            until: self.until.unwrap_or_default(),
            unit_id: text(self.unit_id),
            id_number: self.id_number.unwrap_or_default(),
            name: self.name.unwrap_or_default(),
            purpose: self.purpose.unwrap_or_default(),
            note: self.note.unwrap_or_default(),
        }
    }
}

/// A revision of the rural bases' criteria; it becomes the next version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"min_employed": 12, "min_helped": 30, "min_trained": 20, "min_income_gain": "350"}))]
pub struct RuralCriteriaRevisionBody {
    /// The least number of disabled people employed.
    pub min_employed: u32,
    /// The least number of disabled people (households) helped.
    pub min_helped: u32,
    /// The least number of disabled people trained a year.
    pub min_trained: u32,
    /// The least monthly income gain of those employed, yuan; a JSON
    /// number or a string.
    #[schema(value_type = String)]
    pub min_income_gain: NumberText,
}

/// List parameters of units and activities.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeListParams {
    /// A kind (code): a unit kind for units, an activity kind for
    /// activities.
    pub kind: Option<String>,
    /// A district (code or name).
    pub district: Option<String>,
    /// Words of the name or title.
    pub q: Option<String>,
    /// Activities only: `true` the district pools' activities, `false`
    /// (default) those run by units.
    pub pooled: Option<bool>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages and names (`zh` or `en`).
    pub lang: Option<String>,
}

impl ProgrammeListParams {
    /// The query, with a kind or district that names nothing refused by
    /// name (rather than silently listing everything).
    fn query(
        self,
        caller: &ApiActor,
        kind_known: impl Fn(&str) -> bool,
    ) -> Result<ProgrammeQuery, ApiError> {
        let (page, per_page) = paging(self.page, self.per_page, caller)?;
        let kind = self.kind.unwrap_or_default();
        if !kind.trim().is_empty() && !kind_known(kind.trim()) {
            return Err(caller.error(AppError::field(
                "kind",
                "unknown_value",
                Localized::new("没有这个类型", "No such kind"),
            )));
        }
        let district = self.district.unwrap_or_default();
        if !district.trim().is_empty() && district::resolve(&district).is_none() {
            return Err(caller.error(AppError::field(
                "district",
                "unknown_district",
                Localized::new("请选择天津市的一个区", "Choose a district of Tianjin"),
            )));
        }
        Ok(ProgrammeQuery {
            kind,
            district,
            search: self.q.unwrap_or_default(),
            page,
            per_page,
        })
    }
}

// ---- handlers: programmes -------------------------------------------------------------

/// Every programme with its figures in your scope (a district officer:
/// the district's; an institution: its own unit's).
#[utoipa::path(get, path = "/api/v1/programmes", tag = "programmes", security(("bearer" = [])),
    params(("lang" = Option<String>, Query, description = "Interface language of messages and names (`zh` or `en`)")),
    responses((status = 200, body = ListBody<ProgrammeBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_programmes(
    State(state): State<AppState>,
    caller: ApiActor,
) -> Result<Json<ListBody<ProgrammeBody>>, ApiError> {
    let figures = state
        .app
        .programme_figures(&caller.actor)
        .await
        .map_err(|e| caller.error(e))?;
    let lang = caller.lang;
    let items: Vec<ProgrammeBody> = figures
        .iter()
        .map(|(programme, figures)| {
            let measure = programme.measure();
            ProgrammeBody {
                code: programme.code().to_owned(),
                name: programme.label(lang).to_owned(),
                measure: measure.code().to_owned(),
                measure_name: measure.label(lang).to_owned(),
                unit_kinds: programme
                    .unit_kinds()
                    .iter()
                    .map(|k| k.code().to_owned())
                    .collect(),
                pooled_kinds: programme
                    .pooled_activities()
                    .iter()
                    .map(|k| k.code().to_owned())
                    .collect(),
                figures: figures.into(),
            }
        })
        .collect();
    Ok(Json(ListBody {
        total: items.len() as u64,
        per_page: u32::try_from(items.len()).unwrap_or(u32::MAX).max(1),
        page: 1,
        items,
    }))
}

// ---- handlers: units ------------------------------------------------------------------

/// A programme's units in your scope that match, by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/units", tag = "programmes", security(("bearer" = [])),
    params(("programme" = String, Path, description = "The programme's code (`training`, `auxiliary`, …)"), ProgrammeListParams),
    responses((status = 200, body = ListBody<ProgrammeUnitBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_units(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(programme): Path<String>,
    ApiQuery(params): ApiQuery<ProgrammeListParams>,
) -> Result<Json<ListBody<ProgrammeUnitBody>>, ApiError> {
    let programme = programme_of(&programme, &caller)?;
    let query = params.query(&caller, |kind| {
        UnitKind::from_code(kind).is_some_and(|k| k.programme() == programme)
    })?;
    let (filter, units) = state
        .app
        .programme_units(&caller.actor, programme, &query)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ListBody {
        items: units
            .items
            .iter()
            .map(|u| ProgrammeUnitBody::from_record(u, caller.lang))
            .collect(),
        total: units.total,
        page: filter.page,
        per_page: filter.per_page,
    }))
}

/// Registers a unit of a programme (city administrators; district
/// officers in their district — another district is 422 on `district`,
/// `out_of_scope`). Every field that is wrong is named in one 422 and
/// nothing is saved.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/units", tag = "programmes", security(("bearer" = [])),
    params(("programme" = String, Path, description = "The programme's code")), request_body = NewProgrammeUnitBody,
    responses((status = 201, body = ProgrammeUnitBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_unit(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(programme): Path<String>,
    body: Result<ApiJson<NewProgrammeUnitBody>, ApiError>,
) -> Result<Response, ApiError> {
    let programme = programme_of(&programme, &caller)?;
    let ApiJson(body) = body?;
    let record = state
        .app
        .create_unit(&caller.actor, programme, &body.input())
        .await
        .map_err(|e| caller.error(e))?;
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/programme-units/{}", record.id),
        )],
        Json(ProgrammeUnitBody::from_record(&record, caller.lang)),
    )
        .into_response())
}

/// One unit in your scope: its activities, the people in the unit itself
/// (masked), what it received from the district's pools and a rural base's
/// standing against the latest criteria.
#[utoipa::path(get, path = "/api/v1/programme-units/{id}", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = ProgrammeUnitDetailBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_unit(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<ProgrammeUnitDetailBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let view = state
        .app
        .unit_view(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(unit_detail(&view, caller.lang)))
}

/// Replaces a unit's registry entry (the whole unit, as when registering
/// it; the kind stays within its programme). Staff only.
#[utoipa::path(put, path = "/api/v1/programme-units/{id}", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = NewProgrammeUnitBody,
    responses((status = 200, body = ProgrammeUnitBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_unit(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewProgrammeUnitBody>, ApiError>,
) -> Result<Json<ProgrammeUnitBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let record = state
        .app
        .update_unit(&caller.actor, id, &body.input())
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ProgrammeUnitBody::from_record(&record, caller.lang)))
}

// ---- handlers: activities ---------------------------------------------------------------

fn created_activity(record: &ActivityRecord, lang: Lang) -> Response {
    (
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/programme-activities/{}", record.id),
        )],
        Json(ProgrammeActivityBody::from_record(record, lang)),
    )
        .into_response()
}

/// Enters an activity run by a unit: a course, a fund or charity project,
/// a platform's fee waivers, a service contract (staff, or the unit's own
/// institution account).
#[utoipa::path(post, path = "/api/v1/programme-units/{id}/activities", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The unit's record id")), request_body = NewProgrammeActivityBody,
    responses((status = 201, body = ProgrammeActivityBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_activity(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewProgrammeActivityBody>, ApiError>,
) -> Result<Response, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let unit = state
        .app
        .unit(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    let record = state
        .app
        .create_activity(
            &caller.actor,
            unit.fields.programme(),
            Some(id),
            &body.input(),
        )
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created_activity(&record, caller.lang))
}

/// Enters an activity into a district's pool: a labour project
/// (`auxiliary`) or a support scheme (`rural`). City administrators;
/// district officers in their district.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/pool", tag = "programmes", security(("bearer" = [])),
    params(("programme" = String, Path, description = "The programme's code")), request_body = NewProgrammeActivityBody,
    responses((status = 201, body = ProgrammeActivityBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_pooled(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(programme): Path<String>,
    body: Result<ApiJson<NewProgrammeActivityBody>, ApiError>,
) -> Result<Response, ApiError> {
    let programme = programme_of(&programme, &caller)?;
    let ApiJson(body) = body?;
    let record = state
        .app
        .create_activity(&caller.actor, programme, None, &body.input())
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created_activity(&record, caller.lang))
}

/// A programme's activities in your scope — run by units, or with
/// `pooled=true` the district pools' — latest start first, a page at a
/// time.
#[utoipa::path(get, path = "/api/v1/programmes/{programme}/activities", tag = "programmes", security(("bearer" = [])),
    params(("programme" = String, Path, description = "The programme's code"), ProgrammeListParams),
    responses((status = 200, body = ListBody<ProgrammeActivityBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_activities(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(programme): Path<String>,
    ApiQuery(params): ApiQuery<ProgrammeListParams>,
) -> Result<Json<ListBody<ProgrammeActivityBody>>, ApiError> {
    let programme = programme_of(&programme, &caller)?;
    let pooled = params.pooled.unwrap_or(false);
    let query = params.query(&caller, |kind| {
        ActivityKind::from_code(kind).is_some_and(|k| k.programme() == programme)
    })?;
    let (filter, activities) = state
        .app
        .programme_activities(&caller.actor, programme, pooled, &query)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ListBody {
        items: activities
            .items
            .iter()
            .map(|a| ProgrammeActivityBody::from_record(a, caller.lang))
            .collect(),
        total: activities.total,
        page: filter.page,
        per_page: filter.per_page,
    }))
}

/// One activity in your scope: its people (masked), its draws, what is
/// left of its limit, a course's results, the units a pooled activity may
/// be drawn to.
#[utoipa::path(get, path = "/api/v1/programme-activities/{id}", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = ProgrammeActivityDetailBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_activity(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<ProgrammeActivityDetailBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let view = state
        .app
        .activity_view(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(activity_detail(&view, caller.lang)))
}

// ---- handlers: participants ---------------------------------------------------------------

fn joined(app: &App, record: ParticipantRecord, caller: &ApiActor) -> Response {
    let view = app.view_of_participant(&caller.actor, record);
    (
        StatusCode::CREATED,
        Json(ProgrammeParticipantBody::from_view(&view, caller.lang)),
    )
        .into_response()
}

/// A person joins a unit itself in one of the roles its kind takes (a
/// workshop's worker, a rural base's people, a massage practitioner, …).
/// The person is found by ID number and name; a person already on the
/// list is 422 on `id_number` (`already_joined`), a full unit
/// `capacity_full`, and nothing is saved.
#[utoipa::path(post, path = "/api/v1/programme-units/{id}/participants", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The unit's record id")), request_body = ProgrammeJoinBody,
    responses((status = 201, body = ProgrammeParticipantBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn join_unit(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<ProgrammeJoinBody>, ApiError>,
) -> Result<Response, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let record = state
        .app
        .join_programme(&caller.actor, id, None, &body.input())
        .await
        .map_err(|e| caller.error(e))?;
    Ok(joined(&state.app, record, &caller))
}

/// A person joins an activity run by a unit: enrols on a course
/// (`trainee`) or is served under a contract (`served`). A pooled activity
/// takes no people (422 on `role`, `no_participants`). A person already
/// on the list is 422 on `id_number` (`already_joined`), a full course
/// `capacity_full`, and nothing is saved.
#[utoipa::path(post, path = "/api/v1/programme-activities/{id}/participants", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The activity's record id")), request_body = ProgrammeJoinBody,
    responses((status = 201, body = ProgrammeParticipantBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn join_activity(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<ProgrammeJoinBody>, ApiError>,
) -> Result<Response, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let activity = state
        .app
        .activity(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    let Some(unit_id) = activity.unit_id else {
        return Err(caller.error(AppError::field(
            "role",
            "no_participants",
            Localized::new(
                "这项活动没有参加人员。",
                "People do not take part in this activity.",
            ),
        )));
    };
    let record = state
        .app
        .join_programme(&caller.actor, unit_id, Some(id), &body.input())
        .await
        .map_err(|e| caller.error(e))?;
    Ok(joined(&state.app, record, &caller))
}

/// Records a participant's attendance, completion (trainees), income or
/// leaving.
#[utoipa::path(post, path = "/api/v1/programme-participants/{id}/progress", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The participation's record id")), request_body = ProgrammeProgressBody,
    responses((status = 200, body = ProgrammeParticipantBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_progress(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<ProgrammeProgressBody>, ApiError>,
) -> Result<Json<ProgrammeParticipantBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let record = state
        .app
        .record_participant_progress(&caller.actor, id, &body.input(), BlankIncome::Keeps)
        .await
        .map_err(|e| caller.error(e))?;
    let view = state.app.view_of_participant(&caller.actor, record);
    Ok(Json(ProgrammeParticipantBody::from_view(
        &view,
        caller.lang,
    )))
}

/// Places a participant in work: records the person's employment outcome,
/// credited to the programme's measure, once (`outcome_id` in the answer).
/// A second placement is 422 on `started_on` (`already_placed`); a trainee
/// must have completed the course (`not_completed`) and start within the
/// policy preset's months of it, six by default (`outside_window`).
#[utoipa::path(post, path = "/api/v1/programme-participants/{id}/placement", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The participation's record id")), request_body = ProgrammePlacementBody,
    responses((status = 200, body = ProgrammeParticipantBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn place(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<ProgrammePlacementBody>, ApiError>,
) -> Result<Json<ProgrammeParticipantBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let record = state
        .app
        .place_participant(&caller.actor, id, &body.input())
        .await
        .map_err(|e| caller.error(e))?;
    let view = state.app.view_of_participant(&caller.actor, record);
    Ok(Json(ProgrammeParticipantBody::from_view(
        &view,
        caller.lang,
    )))
}

// ---- handlers: draws ----------------------------------------------------------------------

/// Draws on an activity's limit: a labour project allocated to a workshop
/// or support granted to a rural unit (staff, on the district's pools), a
/// disbursement or fee waiver to a person, a payment for a deliverable.
/// More than is left is 422 on `amount` (`over_limit`) and nothing is
/// saved.
#[utoipa::path(post, path = "/api/v1/programme-activities/{id}/draws", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The activity's record id")), request_body = NewProgrammeDrawBody,
    responses((status = 201, body = ProgrammeDrawBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn draw(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewProgrammeDrawBody>, ApiError>,
) -> Result<Response, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let record = state
        .app
        .draw_on_activity(&caller.actor, id, &body.input())
        .await
        .map_err(|e| caller.error(e))?;
    Ok((
        StatusCode::CREATED,
        Json(ProgrammeDrawBody::from_record(record)),
    )
        .into_response())
}

// ---- handlers: rural criteria -------------------------------------------------------------

/// The latest rural bases' criteria (the built-in first version when none
/// was revised).
#[utoipa::path(get, path = "/api/v1/programmes/rural/criteria", tag = "programmes", security(("bearer" = [])),
    responses((status = 200, body = RuralCriteriaBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn rural_criteria(
    State(state): State<AppState>,
    caller: ApiActor,
) -> Result<Json<RuralCriteriaBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::ProgrammeRead)
        .map_err(|e| caller.error(e))?;
    let criteria = state
        .app
        .latest_rural_criteria()
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json((&criteria).into()))
}

/// Revises the rural bases' criteria: a new version, against which every
/// base is measured from now on (city administrators only).
#[utoipa::path(post, path = "/api/v1/programmes/rural/criteria", tag = "programmes", security(("bearer" = [])),
    request_body = RuralCriteriaRevisionBody,
    responses((status = 201, body = RuralCriteriaBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn revise_rural_criteria(
    State(state): State<AppState>,
    caller: ApiActor,
    body: Result<ApiJson<RuralCriteriaRevisionBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::ProgrammeManage)
        .map_err(|e| caller.error(e))?;
    let ApiJson(body) = body?;
    let gain = body.min_income_gain.into_string();
    let Ok(min_income_gain) = gain.trim().parse::<Decimal>() else {
        return Err(caller.error(AppError::field(
            "min_income_gain",
            "invalid_amount",
            Localized::new(
                "请填写不小于 0 的数，最多两位小数。",
                "Give a number of at least 0, with at most two decimals.",
            ),
        )));
    };
    let revised = RuralCriteria {
        id: RURAL_CRITERIA_ID.to_owned(),
        version: 0,
        min_employed: body.min_employed,
        min_helped: body.min_helped,
        min_trained: body.min_trained,
        min_income_gain,
    };
    let saved = state
        .app
        .revise_rural_criteria(&caller.actor, &revised)
        .await
        .map_err(|e| caller.error(e))?;
    Ok((StatusCode::CREATED, Json(RuralCriteriaBody::from(&saved))).into_response())
}
