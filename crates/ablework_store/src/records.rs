//! The records that cross the storage port.

use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::person::{Education, EmploymentStatus, Hukou};
use ablework_domain::roles::Role;
use ablework_domain::working_age::RetirementGroup;
use chrono::{DateTime, NaiveDate, Utc};

/// An account to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Login name, unique.
    pub username: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// What the account is for.
    pub role: Role,
    /// The district of a district officer (current GB/T 2260 code).
    pub district_code: Option<String>,
    /// The organisation of an employer or institution.
    pub organisation_id: Option<i64>,
    /// The person record of a job seeker.
    pub person_id: Option<i64>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A stored account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    /// Surrogate id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// What the account is for.
    pub role: Role,
    /// District of a district officer.
    pub district_code: Option<String>,
    /// Organisation of an employer or institution.
    pub organisation_id: Option<i64>,
    /// Person record of a job seeker.
    pub person_id: Option<i64>,
    /// Whether the account may log in.
    pub active: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A browser session to start.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// SHA-256 of the cookie value (the value itself is never stored).
    pub token_hash: String,
    /// The account.
    pub user_id: i64,
    /// The CSRF token every form of this session must carry.
    pub csrf_token: String,
    /// Remembered interface language (`zh` or `en`).
    pub lang: String,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// When it stops being valid.
    pub expires_at: DateTime<Utc>,
}

/// A stored session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie value.
    pub token_hash: String,
    /// The account.
    pub user_id: i64,
    /// The CSRF token.
    pub csrf_token: String,
    /// Remembered interface language.
    pub lang: String,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// When it stops being valid.
    pub expires_at: DateTime<Utc>,
}

/// An API token to issue.
#[derive(Clone, Debug)]
pub struct NewApiToken {
    /// The account it acts as.
    pub user_id: i64,
    /// SHA-256 of the token.
    pub token_hash: String,
    /// The first characters of the token, to tell tokens apart in lists.
    pub prefix: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
}

/// A stored API token (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenRecord {
    /// Surrogate id.
    pub id: i64,
    /// The account it acts as.
    pub user_id: i64,
    /// The first characters of the token.
    pub prefix: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A person to register. Identifiers arrive encrypted and hashed: the store
/// never sees them in clear.
#[derive(Clone, Debug)]
pub struct NewPerson {
    /// Full name.
    pub name: String,
    /// Resident ID number, encrypted (AES-GCM, nonce first).
    pub id_number_enc: Vec<u8>,
    /// Keyed hash of the normalised ID number, for look-ups and uniqueness.
    pub id_number_hash: String,
    /// Display form of the ID number (`1201**********1235`).
    pub id_number_masked: String,
    /// Disability certificate number, encrypted.
    pub certificate_enc: Vec<u8>,
    /// Display form of the certificate number.
    pub certificate_masked: String,
    /// From the ID number.
    pub sex: Sex,
    /// From the ID number.
    pub birth_date: NaiveDate,
    /// From the certificate number.
    pub category: DisabilityCategory,
    /// From the certificate number (1 most severe … 4).
    pub level: u8,
    /// District of service (current code), a field of its own.
    pub district_code: String,
    /// Street or township of service.
    pub street: Option<String>,
    /// Household type.
    pub hukou: Option<Hukou>,
    /// Mobile number, encrypted.
    pub phone_enc: Option<Vec<u8>>,
    /// Display form of the mobile number.
    pub phone_masked: Option<String>,
    /// Keyed look-up hash of the mobile number, to find people who share one.
    pub phone_hash: Option<String>,
    /// Highest education.
    pub education: Option<Education>,
    /// Employed or not.
    pub employment_status: EmploymentStatus,
    /// Retirement group (men: `Male`; women: the stored 50 or 55 group).
    pub retirement_group: RetirementGroup,
    /// When the person was registered with the federation.
    pub registered_on: NaiveDate,
    /// When the record was created here.
    pub created_at: DateTime<Utc>,
}

/// A stored person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRecord {
    /// Surrogate id.
    pub id: i64,
    /// Full name.
    pub name: String,
    /// Resident ID number, encrypted.
    pub id_number_enc: Vec<u8>,
    /// Keyed hash of the normalised ID number.
    pub id_number_hash: String,
    /// Display form of the ID number.
    pub id_number_masked: String,
    /// Certificate number, encrypted.
    pub certificate_enc: Vec<u8>,
    /// Display form of the certificate number.
    pub certificate_masked: String,
    /// Sex.
    pub sex: Sex,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Disability category.
    pub category: DisabilityCategory,
    /// Disability level.
    pub level: u8,
    /// District of service.
    pub district_code: String,
    /// Street or township.
    pub street: Option<String>,
    /// Household type.
    pub hukou: Option<Hukou>,
    /// Mobile number, encrypted.
    pub phone_enc: Option<Vec<u8>>,
    /// Display form of the mobile number.
    pub phone_masked: Option<String>,
    /// Highest education.
    pub education: Option<Education>,
    /// Employed or not.
    pub employment_status: EmploymentStatus,
    /// Retirement group.
    pub retirement_group: RetirementGroup,
    /// Registration date.
    pub registered_on: NaiveDate,
    /// Whether the record is active.
    pub active: bool,
    /// Created here.
    pub created_at: DateTime<Utc>,
    /// Last changed here.
    pub updated_at: DateTime<Utc>,
}

/// Which people an actor may see; computed by the application layer from
/// the account, applied by the store as a `WHERE` clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonScope {
    /// Everyone.
    All,
    /// People served by one district.
    District(String),
    /// One person (a seeker's own record).
    Person(i64),
    /// No one.
    Nobody,
}

impl PersonScope {
    /// Whether a person, by id and current district, is inside the scope:
    /// the rule the adapters apply in SQL, for people already read.
    pub fn admits(&self, person_id: i64, district_code: &str) -> bool {
        match self {
            PersonScope::All => true,
            PersonScope::District(code) => code == district_code,
            PersonScope::Person(id) => *id == person_id,
            PersonScope::Nobody => false,
        }
    }
}

/// The sort orders of the people list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PersonSort {
    /// Most recently registered first.
    #[default]
    RegisteredDesc,
    /// Oldest registration first.
    RegisteredAsc,
    /// By name.
    NameAsc,
    /// Youngest first.
    BirthDateDesc,
    /// Oldest first.
    BirthDateAsc,
}

/// A people list query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonFilter {
    /// The actor's scope.
    pub scope: PersonScope,
    /// Text to find in names, or an exact ID-number hash.
    pub name_contains: Option<String>,
    /// Exact keyed hash of an ID number, for search by ID.
    pub id_number_hash: Option<String>,
    /// The last four characters of the ID number (as its masked form
    /// shows them), for a search within a district.
    pub id_last4: Option<String>,
    /// One district (within the scope).
    pub district_code: Option<String>,
    /// One disability category.
    pub category: Option<DisabilityCategory>,
    /// Employed or not.
    pub employment_status: Option<EmploymentStatus>,
    /// Sort order.
    pub sort: PersonSort,
    /// Page number, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

impl PersonFilter {
    /// A filter with nothing but a scope, first page of 20.
    pub fn new(scope: PersonScope) -> Self {
        PersonFilter {
            scope,
            name_contains: None,
            id_number_hash: None,
            id_last4: None,
            district_code: None,
            category: None,
            employment_status: None,
            sort: PersonSort::default(),
            page: 1,
            per_page: 20,
        }
    }

    /// Rows to skip for the requested page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }
}

/// What one import batch changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// New records.
    pub inserted: u64,
    /// Records that changed.
    pub updated: u64,
}

#[cfg(test)]
mod tests {
    use super::PersonScope;

    #[test]
    fn a_scope_admits_its_own_people_only() {
        assert!(PersonScope::All.admits(1, "120101"));
        assert!(PersonScope::District("120101".to_owned()).admits(1, "120101"));
        assert!(!PersonScope::District("120101".to_owned()).admits(1, "120102"));
        assert!(PersonScope::Person(7).admits(7, "120102"));
        assert!(!PersonScope::Person(7).admits(8, "120102"));
        assert!(!PersonScope::Nobody.admits(1, "120101"));
    }
}
