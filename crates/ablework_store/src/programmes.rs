//! The records of the programmes (docs/programmes.md): units taking part,
//! the activities they run or the district pools, the people taking part
//! and the draws on each activity's limit. The fields of each are the
//! domain's valid [`Unit`], [`Activity`], [`Join`] and [`Progress`].

use ablework_domain::programme::{Activity, ActivityKind, Programme, Role, Status, Unit, UnitKind};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// A stored unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRecord {
    /// Surrogate id; an institution account's organisation.
    pub id: i64,
    /// The unit's fields.
    pub fields: Unit,
    /// How many activities it runs (filled in on reads).
    pub activities: u32,
    /// How many people take part in it or its activities, withdrawn ones
    /// aside (filled in on reads).
    pub participants: u32,
    /// When it was entered.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A stored activity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityRecord {
    /// Surrogate id.
    pub id: i64,
    /// The unit running it; `None` for the district's pool.
    pub unit_id: Option<i64>,
    /// That unit's name (filled in on reads).
    pub unit_name: Option<String>,
    /// The activity's fields.
    pub fields: Activity,
    /// How many people take part, withdrawn ones aside (filled in on reads).
    pub participants: u32,
    /// The sum of its draws (filled in on reads).
    pub drawn: Decimal,
    /// When it was entered.
    pub created_at: DateTime<Utc>,
}

impl ActivityRecord {
    /// What is left of its limit, if it has one.
    pub fn remaining(&self) -> Option<Decimal> {
        self.fields.limit.map(|limit| limit - self.drawn)
    }
}

/// A person joining a unit or one of its activities.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewParticipant {
    /// The unit.
    pub unit_id: i64,
    /// The activity, if they join one.
    pub activity_id: Option<i64>,
    /// The person.
    pub person_id: i64,
    /// The role.
    pub role: Role,
    /// The day they joined.
    pub joined_on: NaiveDate,
    /// Monthly income.
    pub monthly_income: Option<Decimal>,
    /// Monthly income before.
    pub income_before: Option<Decimal>,
    /// The four-ones service delivered (a contract's).
    pub service_id: Option<i64>,
    /// When it was written.
    pub at: DateTime<Utc>,
}

/// A stored participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParticipantRecord {
    /// Surrogate id.
    pub id: i64,
    /// The unit.
    pub unit_id: i64,
    /// The activity, if they joined one.
    pub activity_id: Option<i64>,
    /// The person.
    pub person_id: i64,
    /// The person's name (filled in on reads; callers mask it).
    pub person_name: String,
    /// The person's district of service (filled in on reads).
    pub person_district_code: String,
    /// The role.
    pub role: Role,
    /// Where they stand.
    pub status: Status,
    /// The day they joined.
    pub joined_on: NaiveDate,
    /// The day they completed or left.
    pub ended_on: Option<NaiveDate>,
    /// Sessions attended.
    pub sessions_attended: Option<u32>,
    /// The certificate's number.
    pub certificate: Option<String>,
    /// Monthly income.
    pub monthly_income: Option<Decimal>,
    /// Monthly income before.
    pub income_before: Option<Decimal>,
    /// The four-ones service delivered.
    pub service_id: Option<i64>,
    /// The employment outcome this participation placed them in.
    pub outcome_id: Option<i64>,
    /// That outcome's first day (filled in on reads).
    pub placed_on: Option<NaiveDate>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A draw on an activity's limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDraw {
    /// The activity.
    pub activity_id: i64,
    /// How much.
    pub amount: Decimal,
    /// The day.
    pub on_date: NaiveDate,
    /// The last day it covers.
    pub until: Option<NaiveDate>,
    /// The unit it goes to.
    pub unit_id: Option<i64>,
    /// The person it goes to.
    pub person_id: Option<i64>,
    /// A support's purpose or a waiver's kind (code).
    pub purpose: Option<String>,
    /// The deliverable or a note.
    pub note: Option<String>,
    /// When it was written.
    pub at: DateTime<Utc>,
}

/// A stored draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawRecord {
    /// Surrogate id.
    pub id: i64,
    /// The activity.
    pub activity_id: i64,
    /// The activity's title (filled in on reads).
    pub activity_title: String,
    /// How much.
    pub amount: Decimal,
    /// The day.
    pub on_date: NaiveDate,
    /// The last day it covers.
    pub until: Option<NaiveDate>,
    /// The unit it goes to.
    pub unit_id: Option<i64>,
    /// That unit's name (filled in on reads).
    pub unit_name: Option<String>,
    /// The person it goes to.
    pub person_id: Option<i64>,
    /// That person's name (filled in on reads; callers mask it).
    pub person_name: Option<String>,
    /// A support's purpose or a waiver's kind (code).
    pub purpose: Option<String>,
    /// The deliverable or a note.
    pub note: Option<String>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

/// Which units, activities and people an actor may see and change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgrammeScope {
    /// Everything.
    All,
    /// The units in one district and the activities held there (pooled or
    /// run by those units).
    District(String),
    /// One unit (an institution's account) and the activities it runs.
    Unit(i64),
    /// Nothing.
    Nobody,
}

/// A units list query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitFilter {
    /// The actor's scope, applied first.
    pub scope: ProgrammeScope,
    /// The programme.
    pub programme: Option<Programme>,
    /// The kind.
    pub kind: Option<UnitKind>,
    /// The district.
    pub district_code: Option<String>,
    /// Text to find in the name.
    pub search: Option<String>,
    /// Page number, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// An activities list query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityFilter {
    /// The actor's scope, applied first.
    pub scope: ProgrammeScope,
    /// The programme.
    pub programme: Option<Programme>,
    /// The kind.
    pub kind: Option<ActivityKind>,
    /// The unit running them; pooled activities have none.
    pub unit_id: Option<i64>,
    /// Only the district pools' activities (no unit).
    pub pooled: bool,
    /// The district.
    pub district_code: Option<String>,
    /// Text to find in the title.
    pub search: Option<String>,
    /// Page number, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

macro_rules! paged_filter {
    ($name:ident { $($field:ident: $value:expr),* }) => {
        impl $name {
            /// A filter with nothing but a scope, first page of 20.
            pub fn new(scope: ProgrammeScope) -> Self {
                $name {
                    scope,
                    programme: None,
                    kind: None,
                    district_code: None,
                    search: None,
                    page: 1,
                    per_page: 20,
                    $($field: $value),*
                }
            }

            /// Rows to skip for the requested page.
            pub fn offset(&self) -> u64 {
                u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
            }
        }
    };
}

paged_filter!(UnitFilter {});
paged_filter!(ActivityFilter {
    unit_id: None,
    pooled: false
});

/// A programme's figures inside a scope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgrammeFigures {
    /// Units.
    pub units: u32,
    /// Activities.
    pub activities: u32,
    /// People taking part, withdrawn ones aside (a person in two units
    /// counts twice).
    pub participants: u32,
    /// Participations that placed someone in work.
    pub placed: u32,
    /// The sum of the money drawn (budgets, support, waivers, payments).
    pub money_drawn: Decimal,
}
