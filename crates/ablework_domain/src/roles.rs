//! Roles, permissions and the scope each role works in.
//!
//! This is the one permission matrix of AbleWork. The application layer asks
//! [`Role::permits`] before every use case and narrows every query with the
//! actor's [`Scope`]; no handler decides either on its own. `docs/security.md`
//! renders the same table for people.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// What an account is for. The string forms are the public `--role` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// City federation staff: every district, policy, audit.
    CityAdmin,
    /// District federation staff: the people of one district.
    DistrictOfficer,
    /// An employer's HR: its own organisation.
    Employer,
    /// A training institution, workshop or rural base: its own organisation.
    Institution,
    /// A disabled job seeker: their own record.
    Seeker,
}

/// Every role, in the order the documentation lists them.
pub const ALL_ROLES: [Role; 5] = [
    Role::CityAdmin,
    Role::DistrictOfficer,
    Role::Employer,
    Role::Institution,
    Role::Seeker,
];

/// Something an actor may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// List people and read a person's (masked) record.
    PersonRead,
    /// Create or change a person's record.
    PersonWrite,
    /// Reveal a person's full identifiers, with a stated reason.
    PersonUnmask,
    /// Export lists of people (masked).
    PersonExport,
    /// Search the audit log and verify its chain.
    AuditRead,
    /// Create accounts and API tokens for others.
    UserManage,
    /// See progress against the plan's targets (the dashboard and reports).
    ProgressRead,
    /// See employers in scope (an employer: its own organisation).
    EmployerRead,
    /// Register employers and change their registry entries.
    EmployerWrite,
    /// File an employer's annual quota declaration.
    DeclarationFile,
    /// Approve or return declarations; see the measure-1 list and what-if
    /// runs.
    DeclarationReview,
    /// Create and change policy presets.
    PolicyManage,
    /// See job postings in scope (job seekers and institutions: open
    /// postings only).
    JobRead,
    /// Post jobs and change, close or reopen postings in scope.
    JobWrite,
    /// See job fairs (district officers: their district's); a fair's
    /// registrations only as far as the person scope admits.
    FairRead,
    /// Organise job fairs in scope, register job seekers for them and mark
    /// attendance.
    FairWrite,
    /// See the programmes' units, activities and participants in scope (an
    /// institution: its own unit).
    ProgrammeRead,
    /// Run activities in scope: enrol and place people, record progress
    /// and draws (an institution: its own unit's courses and people).
    ProgrammeWrite,
    /// Register units, hold the district's pools (labour projects, support
    /// schemes) and allocate them; revise the rural bases' criteria (city).
    ProgrammeManage,
}

/// Every permission, in the order the documentation lists them.
pub const ALL_PERMISSIONS: [Permission; 19] = [
    Permission::PersonRead,
    Permission::PersonWrite,
    Permission::PersonUnmask,
    Permission::PersonExport,
    Permission::AuditRead,
    Permission::UserManage,
    Permission::ProgressRead,
    Permission::EmployerRead,
    Permission::EmployerWrite,
    Permission::DeclarationFile,
    Permission::DeclarationReview,
    Permission::PolicyManage,
    Permission::JobRead,
    Permission::JobWrite,
    Permission::FairRead,
    Permission::FairWrite,
    Permission::ProgrammeRead,
    Permission::ProgrammeWrite,
    Permission::ProgrammeManage,
];

impl Role {
    /// The public string form (`city_admin`, `district_officer`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::CityAdmin => "city_admin",
            Role::DistrictOfficer => "district_officer",
            Role::Employer => "employer",
            Role::Institution => "institution",
            Role::Seeker => "seeker",
        }
    }

    /// Parses the public string form.
    pub fn parse(value: &str) -> Option<Role> {
        ALL_ROLES.into_iter().find(|role| role.as_str() == value)
    }

    /// The role's name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::CityAdmin, Lang::Zh) => "市残联管理员",
            (Role::CityAdmin, Lang::En) => "City administrator",
            (Role::DistrictOfficer, Lang::Zh) => "区残联工作人员",
            (Role::DistrictOfficer, Lang::En) => "District officer",
            (Role::Employer, Lang::Zh) => "用人单位",
            (Role::Employer, Lang::En) => "Employer",
            (Role::Institution, Lang::Zh) => "培训与就业服务机构",
            (Role::Institution, Lang::En) => "Institution",
            (Role::Seeker, Lang::Zh) => "求职者",
            (Role::Seeker, Lang::En) => "Job seeker",
        }
    }

    /// Whether the role needs a district (`--district`).
    pub fn needs_district(self) -> bool {
        matches!(self, Role::DistrictOfficer)
    }

    /// Whether the role needs an organisation (`--org`).
    pub fn needs_organisation(self) -> bool {
        matches!(self, Role::Employer | Role::Institution)
    }

    /// The permission matrix.
    ///
    /// Employers and institutions see no person records yet: they will see
    /// the people who consented to share their profile with them, which the
    /// consent work adds. A seeker reads only their own record, which the
    /// scope enforces.
    pub fn permits(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Role::CityAdmin => true,
            Role::DistrictOfficer => matches!(
                permission,
                P::PersonRead
                    | P::PersonWrite
                    | P::PersonUnmask
                    | P::PersonExport
                    | P::ProgressRead
                    | P::EmployerRead
                    | P::EmployerWrite
                    | P::DeclarationFile
                    | P::DeclarationReview
                    | P::JobRead
                    | P::JobWrite
                    | P::FairRead
                    | P::FairWrite
                    | P::ProgrammeRead
                    | P::ProgrammeWrite
                    | P::ProgrammeManage
            ),
            // An employer's HR keeps its own registry entry and files its
            // own declarations; the scope limits both to its organisation.
            // It also posts its own jobs and takes part in job fairs with
            // them (its participation is its own; organising is staff's).
            Role::Employer => matches!(
                permission,
                P::EmployerRead
                    | P::EmployerWrite
                    | P::DeclarationFile
                    | P::JobRead
                    | P::JobWrite
                    | P::FairRead
            ),
            // Institutions and seekers read open postings only; the scope
            // keeps closed ones from them. Fairs are public; a seeker
            // registers themself. An institution runs its own unit's
            // activities; the scope keeps it to them.
            Role::Institution => matches!(
                permission,
                P::JobRead | P::FairRead | P::ProgrammeRead | P::ProgrammeWrite
            ),
            Role::Seeker => matches!(permission, P::PersonRead | P::JobRead | P::FairRead),
        }
    }
}

impl Permission {
    /// The stable string form.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::PersonRead => "person_read",
            Permission::PersonWrite => "person_write",
            Permission::PersonUnmask => "person_unmask",
            Permission::PersonExport => "person_export",
            Permission::AuditRead => "audit_read",
            Permission::UserManage => "user_manage",
            Permission::ProgressRead => "progress_read",
            Permission::EmployerRead => "employer_read",
            Permission::EmployerWrite => "employer_write",
            Permission::DeclarationFile => "declaration_file",
            Permission::DeclarationReview => "declaration_review",
            Permission::PolicyManage => "policy_manage",
            Permission::JobRead => "job_read",
            Permission::JobWrite => "job_write",
            Permission::FairRead => "fair_read",
            Permission::FairWrite => "fair_write",
            Permission::ProgrammeRead => "programme_read",
            Permission::ProgrammeWrite => "programme_write",
            Permission::ProgrammeManage => "programme_manage",
        }
    }
}

/// The part of the data an actor works in. Derived from the account, never
/// from the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The whole city.
    City,
    /// One district, by its current GB/T 2260 code.
    District(String),
    /// One organisation (employer or institution).
    Organisation(i64),
    /// One person's own record; `None` when the account is not linked to a
    /// person record yet, which matches nothing.
    Person(Option<i64>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_strings_round_trip() {
        for role in ALL_ROLES {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn matrix_matches_the_documented_table() {
        let table = [
            (Role::CityAdmin, [true; 19]),
            (
                Role::DistrictOfficer,
                [
                    true, true, true, true, false, false, true, true, true, true, true, false,
                    true, true, true, true, true, true, true,
                ],
            ),
            (
                Role::Employer,
                [
                    false, false, false, false, false, false, false, true, true, true, false,
                    false, true, true, true, false, false, false, false,
                ],
            ),
            (
                Role::Institution,
                [
                    false, false, false, false, false, false, false, false, false, false, false,
                    false, true, false, true, false, true, true, false,
                ],
            ),
            (
                Role::Seeker,
                [
                    true, false, false, false, false, false, false, false, false, false, false,
                    false, true, false, true, false, false, false, false,
                ],
            ),
        ];
        for (role, expected) in table {
            for (permission, allowed) in ALL_PERMISSIONS.into_iter().zip(expected) {
                assert_eq!(role.permits(permission), allowed, "{role:?} {permission:?}");
            }
        }
    }
}
