//! The records of job fairs: the fair itself (its fields are the domain's
//! valid [`Fair`]), the employers taking part with the postings they
//! bring, and the people registered with their access needs and whether
//! they came.

use ablework_domain::fair::{AccessNeed, Fair, FairMode, RegistrationStatus};
use chrono::{DateTime, NaiveDate, Utc};

/// A stored fair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FairRecord {
    /// Surrogate id.
    pub id: i64,
    /// The fair's fields.
    pub fields: Fair,
    /// How many employers take part (filled in on reads).
    pub employers: u32,
    /// How many people registered (filled in on reads).
    pub registrations: u32,
    /// When it was entered.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// An employer taking part in a fair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FairEmployerRecord {
    /// The fair.
    pub fair_id: i64,
    /// The employer.
    pub employer_id: i64,
    /// Its registered name (filled in on reads).
    pub employer_name: String,
    /// Whether it is state-owned (filled in on reads).
    pub state_owned: bool,
    /// The postings it brings, in id order.
    pub posting_ids: Vec<i64>,
    /// When it joined (or last changed what it brings).
    pub joined_at: DateTime<Utc>,
}

/// A person's registration for a fair, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFairRegistration {
    /// The fair.
    pub fair_id: i64,
    /// The person.
    pub person_id: i64,
    /// What they need to take part, in the catalogue's order.
    pub access_needs: Vec<AccessNeed>,
    /// The day they registered.
    pub registered_on: NaiveDate,
    /// When it was written.
    pub at: DateTime<Utc>,
}

/// A stored registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FairRegistrationRecord {
    /// Surrogate id.
    pub id: i64,
    /// The fair.
    pub fair_id: i64,
    /// The person.
    pub person_id: i64,
    /// The person's name (filled in on reads; callers mask it).
    pub person_name: String,
    /// The person's district of service (filled in on reads), which
    /// decides who may read them.
    pub person_district_code: String,
    /// What they need to take part.
    pub access_needs: Vec<AccessNeed>,
    /// Registered, attended or did not attend.
    pub status: RegistrationStatus,
    /// The day they registered.
    pub registered_on: NaiveDate,
    /// The day attendance was marked.
    pub marked_on: Option<NaiveDate>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// Which fairs an actor may see and change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FairScope {
    /// Every fair.
    All,
    /// The fairs held by one district.
    District(String),
    /// None.
    Nobody,
}

/// Fairs by date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FairWhen {
    /// Every fair, latest first.
    #[default]
    All,
    /// Held on or after a day, soonest first.
    Upcoming(NaiveDate),
    /// Held before a day, latest first.
    Past(NaiveDate),
}

/// A fairs list query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FairFilter {
    /// The actor's scope, applied first.
    pub scope: FairScope,
    /// Text to find in the title.
    pub search: Option<String>,
    /// The holding district.
    pub district_code: Option<String>,
    /// On site or online.
    pub mode: Option<FairMode>,
    /// For state-owned enterprises only.
    pub soe_only: bool,
    /// Upcoming, past or all.
    pub when: FairWhen,
    /// Page number, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

impl FairFilter {
    /// A filter with nothing but a scope, first page of 20.
    pub fn new(scope: FairScope) -> Self {
        FairFilter {
            scope,
            search: None,
            district_code: None,
            mode: None,
            soe_only: false,
            when: FairWhen::All,
            page: 1,
            per_page: 20,
        }
    }

    /// Rows to skip for the requested page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }
}
