//! The records of employers, their annual quota declarations and the
//! policy presets an administrator creates.

use ablework_domain::levy::EmployerKind;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// An employer's registry fields, as written on create and update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmployerFields {
    /// The unified social credit code, normalised; unique.
    pub credit_code: String,
    /// The registered name.
    pub name: String,
    /// Enterprise, agency, institution or social organisation.
    pub kind: EmployerKind,
    /// A primary or secondary school or a kindergarten (measure 1 excepts
    /// them).
    pub is_school: bool,
    /// The staffing quota (编制) of an agency or institution.
    pub staffing_quota: Option<i32>,
    /// The in-service staff today.
    pub staff: i32,
    /// The district (current GB/T 2260 code).
    pub district_code: String,
    /// The sector code.
    pub sector: String,
    /// A state-owned enterprise (国有企业): its hires count under the
    /// plan's measure 2, and it may take part in fairs for state-owned
    /// enterprises only.
    pub state_owned: bool,
}

/// A stored employer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmployerRecord {
    /// Surrogate id (the `organisation_id` of employer accounts).
    pub id: i64,
    /// The registry fields.
    pub fields: EmployerFields,
    /// Whether the employer is active.
    pub active: bool,
    /// Created here.
    pub created_at: DateTime<Utc>,
    /// Last changed here.
    pub updated_at: DateTime<Utc>,
}

/// Which employers an actor may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmployerScope {
    /// Every employer.
    All,
    /// Employers of one district.
    District(String),
    /// One employer (its own HR).
    Employer(i64),
    /// None.
    Nobody,
}

/// An employers list query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmployerFilter {
    /// The actor's scope.
    pub scope: EmployerScope,
    /// Text to find in the name, or the start of a credit code.
    pub search: Option<String>,
    /// One kind.
    pub kind: Option<EmployerKind>,
    /// One district (within the scope).
    pub district_code: Option<String>,
    /// Page number, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

impl EmployerFilter {
    /// A filter with nothing but a scope, first page of 20.
    pub fn new(scope: EmployerScope) -> Self {
        EmployerFilter {
            scope,
            search: None,
            kind: None,
            district_code: None,
            page: 1,
            per_page: 20,
        }
    }

    /// Rows to skip for the requested page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }
}

/// Where a declaration stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeclarationStatus {
    /// Filed and waiting for an officer.
    Submitted,
    /// Sent back to the employer with reasons.
    Returned,
    /// Accepted by an officer; final.
    Approved,
}

impl DeclarationStatus {
    /// Every status, in the order of the work.
    pub const ALL: [DeclarationStatus; 3] = [
        DeclarationStatus::Submitted,
        DeclarationStatus::Returned,
        DeclarationStatus::Approved,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            DeclarationStatus::Submitted => "submitted",
            DeclarationStatus::Returned => "returned",
            DeclarationStatus::Approved => "approved",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<DeclarationStatus> {
        DeclarationStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }
}

/// A disabled employee on a declaration: a registered person, the months
/// they worked and the eligibility conditions the employer attests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredEmployee {
    /// The person in the registry.
    pub person_id: i64,
    /// Their name (from the registry, for display).
    pub name: String,
    /// Their masked certificate number (for display).
    pub certificate_masked: String,
    /// Their disability level (1–4), from the certificate.
    pub level: u8,
    /// The first month worked in the data year (1–12).
    pub from_month: u8,
    /// The last month worked (1–12, not before `from_month`).
    pub to_month: u8,
    /// On a contract of a year or more, or in the permanent establishment.
    pub contract_ok: bool,
    /// Paid at least the local minimum wage.
    pub min_wage_ok: bool,
    /// Social insurance paid in full.
    pub insured_ok: bool,
}

/// The figures of a declaration and the assessment computed from them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclarationFigures {
    /// The day it was declared (decides the policy windows).
    pub declared_on: NaiveDate,
    /// In-service headcount of each month of the data year.
    pub monthly_headcount: Vec<Decimal>,
    /// Seasonal workers: (count, months).
    pub seasonal: Vec<(Decimal, u8)>,
    /// Total wages of the data year, CNY.
    pub total_wages: Decimal,
    /// The local social average wage of the data year, CNY.
    pub social_average_wage: Decimal,
    /// The disabled employees.
    pub employees: Vec<DeclaredEmployee>,
    /// The policy preset the assessment used.
    pub policy_id: String,
    /// Its version.
    pub policy_version: i32,
    /// N.
    pub headcount: Decimal,
    /// D.
    pub counted: Decimal,
    /// G.
    pub shortfall: Decimal,
    /// The levy due.
    pub levy: Decimal,
}

/// One step in a declaration's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclarationEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// The account that acted.
    pub user_id: Option<i64>,
    /// Its username (for display).
    pub username: Option<String>,
    /// `submitted`, `resubmitted`, `returned` or `approved`.
    pub action: String,
    /// The officer's reasons, for a return or an approval.
    pub note: Option<String>,
    /// The levy at that moment.
    pub levy: Decimal,
}

/// A stored declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclarationRecord {
    /// Surrogate id.
    pub id: i64,
    /// The employer.
    pub employer_id: i64,
    /// The employer's name.
    pub employer_name: String,
    /// The employer's district.
    pub district_code: String,
    /// The employer's kind.
    pub kind: EmployerKind,
    /// The data year (the year the figures describe).
    pub data_year: i32,
    /// Where it stands.
    pub status: DeclarationStatus,
    /// The figures and their assessment.
    pub figures: DeclarationFigures,
    /// Every step so far, oldest first (empty in lists).
    pub events: Vec<DeclarationEvent>,
}

/// A declaration list query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclarationFilter {
    /// The actor's scope.
    pub scope: EmployerScope,
    /// One data year.
    pub data_year: Option<i32>,
    /// One status.
    pub status: Option<DeclarationStatus>,
    /// One employer.
    pub employer_id: Option<i64>,
    /// Page number, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

impl DeclarationFilter {
    /// A filter with nothing but a scope, first page of 20.
    pub fn new(scope: EmployerScope) -> Self {
        DeclarationFilter {
            scope,
            data_year: None,
            status: None,
            employer_id: None,
            page: 1,
            per_page: 20,
        }
    }

    /// Rows to skip for the requested page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }
}

/// One person declared by two employers for overlapping months of a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclarationConflict {
    /// The person.
    pub person_id: i64,
    /// Their name.
    pub name: String,
    /// The months this declaration claims.
    pub months: (u8, u8),
    /// The other employer.
    pub other_employer_id: i64,
    /// Its name.
    pub other_employer_name: String,
    /// The months the other employer claims.
    pub other_months: (u8, u8),
}

/// A measure-1 employer (an agency or institution that must employ at
/// least one disabled person) and what its declaration says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeasureOneRow {
    /// The employer.
    pub employer: EmployerRecord,
    /// The status of its declaration for the year, if it filed one.
    pub status: Option<DeclarationStatus>,
    /// Disabled employees declared with every condition met.
    pub eligible_employees: u32,
}

/// One version of a setting kept as data: a policy preset
/// (`ablework_domain::policy::PolicyPreset`) or a plan's targets
/// (`ablework_domain::progress::PlanTarget`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionedRecord {
    /// The setting's identifier.
    pub id: String,
    /// Its version, from 1.
    pub version: i32,
    /// The setting as JSON.
    pub body: serde_json::Value,
    /// When this version was saved.
    pub created_at: DateTime<Utc>,
}
