//! Who is acting, and the one place scope is decided.

use ablework_domain::roles::{Permission, Role, Scope};
use ablework_store::{NewAuditEntry, PersonScope, ProgrammeScope, UserRecord};
use chrono::{DateTime, Utc};

use crate::error::{AppError, AppResult};

/// An authenticated account making a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// Account id.
    pub user_id: i64,
    /// Username.
    pub username: String,
    /// Role.
    pub role: Role,
    /// District of a district officer.
    pub district_code: Option<String>,
    /// Organisation of an employer or institution.
    pub organisation_id: Option<i64>,
    /// Own person record of a seeker.
    pub person_id: Option<i64>,
    /// The request, for the audit log.
    pub request_id: Option<String>,
}

impl Actor {
    /// The actor for an account.
    pub fn from_user(user: &UserRecord, request_id: Option<String>) -> Actor {
        Actor {
            user_id: user.id,
            username: user.username.clone(),
            role: user.role,
            district_code: user.district_code.clone(),
            organisation_id: user.organisation_id,
            person_id: user.person_id,
            request_id,
        }
    }

    /// The operator at the command line: whoever holds the database URL and
    /// the secret key can read everything anyway, so the command line acts
    /// with city scope. Its audit records name `system` and no account.
    pub fn operator(request_id: Option<String>) -> Actor {
        Actor {
            user_id: 0,
            username: "system".to_owned(),
            role: Role::CityAdmin,
            district_code: None,
            organisation_id: None,
            person_id: None,
            request_id,
        }
    }

    /// Whether this is [`Actor::operator`], the command line (no account
    /// has id 0).
    pub fn is_operator(&self) -> bool {
        self.user_id == 0
    }

    /// Fails with `Forbidden` unless the role has the permission.
    pub fn require(&self, permission: Permission) -> AppResult<()> {
        if self.role.permits(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The part of the data this actor works in. An account missing the
    /// district or organisation its role needs gets a scope that matches
    /// nothing rather than everything.
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::CityAdmin => Scope::City,
            Role::DistrictOfficer => match &self.district_code {
                Some(code) => Scope::District(code.clone()),
                None => Scope::Person(None),
            },
            Role::Employer | Role::Institution => match self.organisation_id {
                Some(id) => Scope::Organisation(id),
                None => Scope::Person(None),
            },
            Role::Seeker => Scope::Person(self.person_id),
        }
    }

    /// The scope as a filter on people.
    pub fn person_scope(&self) -> PersonScope {
        match self.scope() {
            Scope::City => PersonScope::All,
            Scope::District(code) => PersonScope::District(code),
            Scope::Person(Some(id)) => PersonScope::Person(id),
            // Organisations see people only through consent, which comes later.
            Scope::Organisation(_) | Scope::Person(None) => PersonScope::Nobody,
        }
    }

    /// The scope as a filter on the programmes: the city, a district's
    /// units and pools, or an institution's own unit.
    pub fn programme_scope(&self) -> ProgrammeScope {
        match (self.role, self.scope()) {
            (_, Scope::City) => ProgrammeScope::All,
            (_, Scope::District(code)) => ProgrammeScope::District(code),
            (Role::Institution, Scope::Organisation(id)) => ProgrammeScope::Unit(id),
            _ => ProgrammeScope::Nobody,
        }
    }

    /// Whether this actor may open a person's record: the permission, and
    /// the person (by id and current district) inside the actor's scope.
    pub fn may_read_person(&self, person_id: i64, district_code: &str) -> bool {
        self.role.permits(Permission::PersonRead)
            && self.person_scope().admits(person_id, district_code)
    }

    /// An audit entry by this actor.
    pub fn audit(&self, at: DateTime<Utc>, action: &str, entity: &str) -> NewAuditEntry {
        NewAuditEntry::new(
            at,
            Some(self.user_id),
            self.username.clone(),
            action,
            entity,
        )
        .with_request_id(self.request_id.clone())
    }
}
