//! Job postings: what an employer offers, with the functional demands of
//! the work (each with its level) and the accommodations it provides from
//! the catalogue, in the shape the matching engine reads
//! ([`JobPostingRecord::to_job`]).
//!
//! Who may do what: an employer's HR posts and changes its own
//! organisation's postings; a district officer those of the employers of
//! their district; the city administrator all. Job seekers and
//! institutions read open postings only. Scope is decided here, once
//! ([`App::posting_scope`]); out of scope reads exactly like absent.

use ablework_domain::district;
use ablework_domain::four_ones::{Accommodation, Hours};
use ablework_domain::matching::{Demand, DemandLevel};
use ablework_domain::normalize::normalize_text;
use ablework_domain::occupation::{MajorGroup, SubMajorGroup};
use ablework_domain::person::Education;
use ablework_domain::roles::{Permission, Role};
use serde_json::json;

pub use ablework_store::{
    JobPostingFields, JobPostingRecord, Page, PostingFilter, PostingScope, PostingSort,
};

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError, invalid};

/// The longest title.
pub const MAX_TITLE: usize = 100;
/// The longest address.
pub const MAX_ADDRESS: usize = 200;
/// The most skills a posting may require.
pub const MAX_SKILLS: usize = 20;
/// The longest skill tag.
pub const MAX_SKILL: usize = 30;
/// The highest monthly wage accepted, yuan: a typing slip guard.
pub const MAX_WAGE: i64 = 1_000_000;
/// The most posts one posting may offer.
pub const MAX_POSTS: i64 = 9_999;

/// The form field of one demand's level (`demand_lifting`).
pub fn demand_field(demand: Demand) -> String {
    format!("demand_{}", demand.code())
}

/// A posting as typed: every value as text, so every problem can be
/// reported at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostingInput {
    /// The employer's record id; ignored for an employer's own HR, whose
    /// organisation it always is, and on a change.
    pub employer_id: String,
    /// The job's title.
    pub title: String,
    /// ISCO-08 sub-major group code (`41`).
    pub occupation: String,
    /// The workplace's district (code or name).
    pub district: String,
    /// The workplace's address.
    pub address: String,
    /// Whether the work can be done from home.
    pub remote_possible: bool,
    /// Hours code.
    pub hours: String,
    /// Monthly wage in whole yuan.
    pub monthly_wage: String,
    /// Education code, or empty for none.
    pub education_required: String,
    /// Skills, separated by commas (`,`, `，`, `、`) or semicolons.
    pub skills: String,
    /// `(demand code, level code)` pairs.
    pub demands: Vec<(String, String)>,
    /// Accommodation codes.
    pub accommodations: Vec<String>,
    /// Reserved for persons with disabilities.
    pub reserved_for_disabled: bool,
    /// How many posts.
    pub posts: String,
}

impl PostingInput {
    /// The input that would write a record's fields again.
    pub fn from_record(record: &JobPostingRecord) -> PostingInput {
        let fields = &record.fields;
        PostingInput {
            employer_id: fields.employer_id.to_string(),
            title: fields.title.clone(),
            occupation: fields.occupation.code().to_owned(),
            district: fields.district_code.clone(),
            address: fields.address.clone(),
            remote_possible: fields.remote_possible,
            hours: fields.hours.code().to_owned(),
            monthly_wage: fields.monthly_wage.to_string(),
            education_required: fields
                .education_required
                .map(|e| e.code().to_owned())
                .unwrap_or_default(),
            skills: fields.skills_required.join(", "),
            demands: fields
                .demands
                .iter()
                .map(|(d, l)| (d.code().to_owned(), l.code().to_owned()))
                .collect(),
            accommodations: fields
                .accommodations
                .iter()
                .map(|a| a.code().to_owned())
                .collect(),
            reserved_for_disabled: fields.reserved_for_disabled,
            posts: fields.posts.to_string(),
        }
    }
}

/// A postings list as a caller asks for it; every value as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostingQuery {
    /// Text to find in the title.
    pub search: String,
    /// The workplace's district (code), or empty.
    pub district: String,
    /// An ISCO-08 major group code (`4`), or empty.
    pub major_group: String,
    /// Remote work possible only.
    pub remote_only: bool,
    /// Reserved posts only.
    pub reserved_only: bool,
    /// An accommodation code, or empty.
    pub accommodation: String,
    /// `open` (or empty), `closed` or `all`.
    pub status: String,
    /// A sort code (`newest` by default).
    pub sort: String,
    /// Page, from 1.
    pub page: u32,
    /// Page size, 1–200.
    pub per_page: u32,
}

/// A page of postings with the terms it was read with.
#[derive(Clone, Debug)]
pub struct PostingList {
    /// The postings on this page, with how many match in all.
    pub postings: Page<JobPostingRecord>,
    /// The filter as applied (scope included).
    pub filter: PostingFilter,
}

fn text(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::required(field));
        None
    } else if value.chars().count() > max {
        errors.push(invalid(
            field,
            "too_long",
            format!("最多 {max} 个字。"),
            format!("At most {max} characters."),
        ));
        None
    } else {
        Some(value.to_owned())
    }
}

fn choice<T>(
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    let found = parse(value);
    if found.is_none() {
        errors.push(invalid(
            field,
            "unknown_value",
            "请从列表中选择。",
            "Choose one of the listed values.",
        ));
    }
    found
}

fn number(
    field: &str,
    value: &str,
    range: std::ops::RangeInclusive<i64>,
    errors: &mut Vec<FieldError>,
) -> Option<u32> {
    let value = normalize_text(value).replace([',', '，'], "");
    if value.is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    match value.parse::<i64>() {
        Ok(n) if range.contains(&n) => u32::try_from(n).ok(),
        Ok(n) if n < 0 => {
            errors.push(invalid(
                field,
                "negative",
                "不能为负数。",
                "This cannot be negative.",
            ));
            None
        }
        Ok(_) => {
            let (low, high) = (range.start(), range.end());
            errors.push(invalid(
                field,
                "out_of_range",
                format!("应在 {low} 至 {high} 之间。"),
                format!("This must be from {low} to {high}."),
            ));
            None
        }
        Err(_) => {
            errors.push(invalid(
                field,
                "not_a_number",
                "请填写整数，例如 4500。",
                "Write a whole number, such as 4500.",
            ));
            None
        }
    }
}

/// Splits and normalises skill tags; each once, in the order typed.
fn skills(value: &str, errors: &mut Vec<FieldError>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for piece in value.split([',', '，', '、', ';', '；', '\n']) {
        let tag = normalize_text(piece);
        if !tag.is_empty() && !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_SKILLS {
        errors.push(invalid(
            "skills",
            "too_many",
            format!("最多填写 {MAX_SKILLS} 项技能。"),
            format!("List at most {MAX_SKILLS} skills."),
        ));
    } else if tags.iter().any(|t| t.chars().count() > MAX_SKILL) {
        errors.push(invalid(
            "skills",
            "too_long",
            format!("每项技能最多 {MAX_SKILL} 个字，请用逗号分隔。"),
            format!("Each skill is at most {MAX_SKILL} characters; separate them with commas."),
        ));
    }
    tags
}

/// Reads the demands: each a demand of the catalogue, once, with a level.
fn demands(pairs: &[(String, String)], errors: &mut Vec<FieldError>) -> Vec<(Demand, DemandLevel)> {
    let mut found: Vec<(Demand, DemandLevel)> = Vec::new();
    for (code, level) in pairs {
        let Some(demand) = Demand::from_code(code.trim()) else {
            errors.push(invalid(
                "demands",
                "unknown_demand",
                format!("“{}”不是目录中的功能要求。", code.trim()),
                format!(
                    "“{}” is not a functional demand of the catalogue.",
                    code.trim()
                ),
            ));
            continue;
        };
        let Some(level) = DemandLevel::from_code(level.trim()) else {
            errors.push(invalid(
                &demand_field(demand),
                "unknown_value",
                format!(
                    "请为“{}”选择偶尔或经常。",
                    demand.label(ablework_domain::lang::Lang::Zh)
                ),
                format!(
                    "Choose occasional or frequent for “{}”.",
                    demand.label(ablework_domain::lang::Lang::En)
                ),
            ));
            continue;
        };
        if found.iter().any(|(d, _)| *d == demand) {
            errors.push(invalid(
                "demands",
                "duplicate",
                format!(
                    "“{}”只能填写一次。",
                    demand.label(ablework_domain::lang::Lang::Zh)
                ),
                format!(
                    "“{}” is given more than once.",
                    demand.label(ablework_domain::lang::Lang::En)
                ),
            ));
            continue;
        }
        found.push((demand, level));
    }
    // In the catalogue's order, so a posting reads the same however typed.
    found.sort_by_key(|(d, _)| Demand::ALL.iter().position(|x| x == d));
    found
}

/// Reads the accommodations offered: each of the catalogue, once.
fn accommodations(codes: &[String], errors: &mut Vec<FieldError>) -> Vec<Accommodation> {
    let mut found = Vec::new();
    for code in codes {
        match Accommodation::from_code(code.trim()) {
            Some(a) if !found.contains(&a) => found.push(a),
            Some(_) => {}
            None => errors.push(invalid(
                "accommodations",
                "unknown_accommodation",
                format!("“{}”不是目录中的便利措施。", code.trim()),
                format!(
                    "“{}” is not an accommodation of the catalogue.",
                    code.trim()
                ),
            )),
        }
    }
    found.sort_by_key(|a| Accommodation::ALL.iter().position(|x| x == a));
    found
}

impl App {
    /// The postings an actor may see. Job seekers and institutions see
    /// open postings only; an account missing the district or
    /// organisation its role needs sees none.
    pub fn posting_scope(actor: &Actor) -> PostingScope {
        match actor.role {
            Role::CityAdmin => PostingScope::All,
            Role::DistrictOfficer => actor
                .district_code
                .clone()
                .map_or(PostingScope::Nobody, PostingScope::District),
            Role::Employer => actor
                .organisation_id
                .map_or(PostingScope::Nobody, PostingScope::Employer),
            Role::Institution | Role::Seeker => PostingScope::Open,
        }
    }

    /// Whether the actor may change postings it can see.
    pub fn can_write_postings(actor: &Actor) -> bool {
        actor.role.permits(Permission::JobWrite)
            && !matches!(
                Self::posting_scope(actor),
                PostingScope::Open | PostingScope::Nobody
            )
    }

    /// Checks a posting's fields, every problem at once. `employer_id` is
    /// the employer already decided.
    pub(crate) fn posting_fields(
        employer_id: i64,
        input: &PostingInput,
    ) -> AppResult<JobPostingFields> {
        let mut errors = Vec::new();
        let title = text("title", &input.title, MAX_TITLE, &mut errors);
        let occupation = choice(
            "occupation",
            &input.occupation,
            SubMajorGroup::from_code,
            &mut errors,
        );
        let district_code = if input.district.trim().is_empty() {
            errors.push(FieldError::required("district"));
            None
        } else {
            let found = district::resolve(&input.district).map(|d| d.code.to_owned());
            if found.is_none() {
                errors.push(invalid(
                    "district",
                    "unknown_district",
                    "请选择天津市的一个区。",
                    "Choose a district of Tianjin.",
                ));
            }
            found
        };
        let address = text("address", &input.address, MAX_ADDRESS, &mut errors);
        let hours = choice("hours", &input.hours, Hours::from_code, &mut errors);
        let monthly_wage = number(
            "monthly_wage",
            &input.monthly_wage,
            0..=MAX_WAGE,
            &mut errors,
        );
        let education_required = match input.education_required.trim() {
            "" | "none_required" => Some(None),
            code => choice(
                "education_required",
                code,
                Education::from_code,
                &mut errors,
            )
            .map(Some),
        };
        let skills_required = skills(&input.skills, &mut errors);
        let demands = demands(&input.demands, &mut errors);
        let accommodations = accommodations(&input.accommodations, &mut errors);
        let posts = number("posts", &input.posts, 1..=MAX_POSTS, &mut errors);
        match (
            title,
            occupation,
            district_code,
            address,
            hours,
            monthly_wage,
            education_required,
            posts,
        ) {
            (
                Some(title),
                Some(occupation),
                Some(district_code),
                Some(address),
                Some(hours),
                Some(monthly_wage),
                Some(education_required),
                Some(posts),
            ) if errors.is_empty() => Ok(JobPostingFields {
                employer_id,
                title,
                occupation,
                district_code,
                address,
                remote_possible: input.remote_possible,
                hours,
                monthly_wage,
                education_required,
                skills_required,
                demands,
                accommodations,
                reserved_for_disabled: input.reserved_for_disabled,
                posts,
            }),
            _ => Err(AppError::Invalid(errors)),
        }
    }

    /// The employer a new posting is for: an employer's HR always posts
    /// for its own organisation; staff name an employer of their scope.
    async fn posting_employer(
        &self,
        actor: &Actor,
        input: &PostingInput,
    ) -> AppResult<Result<i64, FieldError>> {
        if actor.role == Role::Employer {
            return actor.organisation_id.map(Ok).ok_or(AppError::Forbidden);
        }
        let text = normalize_text(&input.employer_id);
        if text.is_empty() {
            return Ok(Err(FieldError::required("employer_id")));
        }
        let found = match text.parse::<i64>() {
            Ok(id) => self
                .store
                .employer(id, &Self::employer_scope(actor))
                .await?
                .map(|e| e.id),
            Err(_) => None,
        };
        Ok(found.ok_or_else(|| {
            invalid(
                "employer_id",
                "unknown_employer",
                "您的范围内没有这个编号的用人单位。",
                "No employer with this number is within your access.",
            )
        }))
    }

    /// Posts a job for an employer of the actor's scope. Every field
    /// error is reported at once and nothing is written.
    pub async fn create_posting(
        &self,
        actor: &Actor,
        input: &PostingInput,
    ) -> AppResult<JobPostingRecord> {
        actor.require(Permission::JobWrite)?;
        if !Self::can_write_postings(actor) {
            return Err(AppError::Forbidden);
        }
        let employer = self.posting_employer(actor, input).await?;
        let fields = match (employer, Self::posting_fields(0, input)) {
            (Ok(employer_id), Ok(fields)) => JobPostingFields {
                employer_id,
                ..fields
            },
            (employer, fields) => {
                let mut errors: Vec<FieldError> = employer.err().into_iter().collect();
                if let Err(AppError::Invalid(more)) = fields {
                    errors.extend(more);
                }
                return Err(AppError::Invalid(errors));
            }
        };
        let audit = actor
            .audit(self.now(), "job.create", "job_posting")
            .with_detail(json!({ "employer": fields.employer_id }));
        Ok(self
            .store
            .create_job_posting(&fields, self.now(), audit)
            .await?)
    }

    /// Changes a posting of the actor's scope; its employer stays.
    pub async fn update_posting(
        &self,
        actor: &Actor,
        id: i64,
        input: &PostingInput,
    ) -> AppResult<JobPostingRecord> {
        let current = self.managed_posting(actor, id).await?;
        let scope = Self::posting_scope(actor);
        let fields = Self::posting_fields(current.fields.employer_id, input)?;
        let audit = actor
            .audit(self.now(), "job.update", "job_posting")
            .with_detail(json!({ "employer": fields.employer_id }));
        self.store
            .update_job_posting(id, &scope, &fields, self.now(), audit)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Closes (no more applications) or reopens a posting of the actor's
    /// scope. Asking for what is already so writes nothing.
    pub async fn set_posting_open(
        &self,
        actor: &Actor,
        id: i64,
        open: bool,
    ) -> AppResult<JobPostingRecord> {
        let current = self.managed_posting(actor, id).await?;
        let scope = Self::posting_scope(actor);
        if current.open == open {
            return Ok(current);
        }
        let action = if open { "job.reopen" } else { "job.close" };
        let audit = actor
            .audit(self.now(), action, "job_posting")
            .with_detail(json!({ "employer": current.fields.employer_id }));
        self.store
            .set_job_posting_open(id, &scope, open, self.now(), audit)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// One posting: any open one, or one of the actor's scope (seekers
    /// and institutions: open postings only).
    pub async fn posting(&self, actor: &Actor, id: i64) -> AppResult<JobPostingRecord> {
        actor.require(Permission::JobRead)?;
        if let Some(posting) = self
            .store
            .job_posting(id, &Self::posting_scope(actor))
            .await?
        {
            return Ok(posting);
        }
        // An open posting is public: anyone who may read postings reads it.
        self.store
            .job_posting(id, &PostingScope::Open)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// One posting of the actor's scope, to change it: another employer's
    /// (or district's) open posting reads as absent; a reader who may not
    /// change postings is refused.
    pub async fn managed_posting(&self, actor: &Actor, id: i64) -> AppResult<JobPostingRecord> {
        actor.require(Permission::JobWrite)?;
        let current = self
            .store
            .job_posting(id, &Self::posting_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        if !Self::can_write_postings(actor) {
            return Err(AppError::Forbidden);
        }
        Ok(current)
    }

    /// Whether the actor may open a posting already read: any open one,
    /// or one of the actor's scope.
    pub fn may_open_posting(actor: &Actor, posting: &JobPostingRecord) -> bool {
        actor.role.permits(Permission::JobRead)
            && (posting.open || Self::posting_scope(actor).admits(posting))
    }

    /// Reads a list query, every problem at once.
    fn posting_filter(actor: &Actor, query: &PostingQuery) -> AppResult<PostingFilter> {
        let mut errors = Vec::new();
        let mut filter = PostingFilter::new(Self::posting_scope(actor));
        let search = normalize_text(&query.search);
        filter.search = Some(search).filter(|s| !s.is_empty());
        filter.district_code = match query.district.trim() {
            "" => None,
            code => {
                let found = district::resolve(code).map(|d| d.code.to_owned());
                if found.is_none() {
                    errors.push(invalid(
                        "district",
                        "unknown_district",
                        "请选择天津市的一个区。",
                        "Choose a district of Tianjin.",
                    ));
                }
                found
            }
        };
        filter.major_group = match query.major_group.trim() {
            "" => None,
            code => choice("major_group", code, MajorGroup::from_code, &mut errors),
        };
        filter.remote_only = query.remote_only;
        filter.reserved_only = query.reserved_only;
        filter.accommodation = match query.accommodation.trim() {
            "" => None,
            code => choice("accommodation", code, Accommodation::from_code, &mut errors),
        };
        filter.open = match query.status.trim() {
            "" | "open" => Some(true),
            "closed" => Some(false),
            "all" => None,
            _ => {
                errors.push(invalid(
                    "status",
                    "unknown_value",
                    "请选择 open、closed 或 all。",
                    "Choose open, closed or all.",
                ));
                Some(true)
            }
        };
        filter.sort = match query.sort.trim() {
            "" => PostingSort::Newest,
            code => PostingSort::from_code(code).unwrap_or_else(|| {
                errors.push(invalid(
                    "sort",
                    "unknown_value",
                    "请选择 newest、wage_high、wage_low 或 title。",
                    "Choose newest, wage_high, wage_low or title.",
                ));
                PostingSort::Newest
            }),
        };
        filter.page = query.page.max(1);
        filter.per_page = query.per_page.clamp(1, 200);
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(AppError::Invalid(errors))
        }
    }

    /// One page of the postings of the actor's scope matching a query
    /// (open ones unless asked otherwise), with the total.
    pub async fn list_postings(
        &self,
        actor: &Actor,
        query: &PostingQuery,
    ) -> AppResult<PostingList> {
        actor.require(Permission::JobRead)?;
        let filter = Self::posting_filter(actor, query)?;
        let postings = self.store.list_job_postings(&filter).await?;
        Ok(PostingList { postings, filter })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PostingInput {
        PostingInput {
            employer_id: "1".to_owned(),
            title: "仓库理货员".to_owned(),
            occupation: "43".to_owned(),
            district: "120101".to_owned(),
            address: "南京路 1 号".to_owned(),
            hours: "full_time".to_owned(),
            monthly_wage: "4,800".to_owned(),
            skills: "叉车， Excel、excel".to_owned(),
            demands: vec![
                ("walking".to_owned(), "frequent".to_owned()),
                ("lifting".to_owned(), "occasional".to_owned()),
            ],
            accommodations: vec!["step_free".to_owned(), "step_free".to_owned()],
            posts: "2".to_owned(),
            ..PostingInput::default()
        }
    }

    fn codes(error: AppError) -> Vec<(String, String)> {
        match error {
            AppError::Invalid(fields) => fields.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_good_posting_is_read_in_the_catalogues_order() {
        let Ok(fields) = App::posting_fields(5, &input()) else {
            panic!("valid")
        };
        assert_eq!(fields.employer_id, 5);
        assert_eq!(fields.monthly_wage, 4_800);
        assert_eq!(fields.skills_required, ["叉车", "Excel"]);
        assert_eq!(
            fields.demands,
            [
                (Demand::Walking, DemandLevel::Frequent),
                (Demand::Lifting, DemandLevel::Occasional)
            ]
        );
        assert_eq!(fields.accommodations, [Accommodation::StepFree]);
        assert_eq!(fields.education_required, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = PostingInput {
            title: String::new(),
            occupation: "99".to_owned(),
            district: "北京".to_owned(),
            monthly_wage: "-1".to_owned(),
            demands: vec![
                ("juggling".to_owned(), "frequent".to_owned()),
                ("vision".to_owned(), "always".to_owned()),
            ],
            accommodations: vec!["jetpack".to_owned()],
            posts: "0".to_owned(),
            ..input()
        };
        let Err(error) = App::posting_fields(1, &bad) else {
            panic!("invalid")
        };
        let found = codes(error);
        for expected in [
            ("title", "required"),
            ("occupation", "unknown_value"),
            ("district", "unknown_district"),
            ("monthly_wage", "negative"),
            ("demands", "unknown_demand"),
            ("demand_vision", "unknown_value"),
            ("accommodations", "unknown_accommodation"),
            ("posts", "out_of_range"),
        ] {
            assert!(
                found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "{expected:?} in {found:?}"
            );
        }
    }

    #[test]
    fn a_demand_given_twice_is_refused() {
        let twice = PostingInput {
            demands: vec![
                ("speech".to_owned(), "frequent".to_owned()),
                ("speech".to_owned(), "occasional".to_owned()),
            ],
            ..input()
        };
        let Err(error) = App::posting_fields(1, &twice) else {
            panic!("invalid")
        };
        assert_eq!(
            codes(error),
            [("demands".to_owned(), "duplicate".to_owned())]
        );
    }

    #[test]
    fn a_record_reads_back_as_its_input() {
        let Ok(fields) = App::posting_fields(5, &input()) else {
            panic!("valid")
        };
        let record = JobPostingRecord {
            id: 1,
            fields: fields.clone(),
            employer_name: String::new(),
            employer_district_code: "120101".to_owned(),
            open: true,
            created_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
            updated_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
        };
        let again = App::posting_fields(5, &PostingInput::from_record(&record));
        assert_eq!(again.ok(), Some(fields));
    }

    #[test]
    fn scope_follows_the_role() {
        let actor = |role, district: Option<&str>, organisation| Actor {
            user_id: 1,
            username: "u".to_owned(),
            role,
            district_code: district.map(str::to_owned),
            organisation_id: organisation,
            person_id: None,
            request_id: None,
        };
        assert_eq!(
            App::posting_scope(&actor(Role::CityAdmin, None, None)),
            PostingScope::All
        );
        assert_eq!(
            App::posting_scope(&actor(Role::DistrictOfficer, Some("120101"), None)),
            PostingScope::District("120101".to_owned())
        );
        assert_eq!(
            App::posting_scope(&actor(Role::Employer, None, Some(4))),
            PostingScope::Employer(4)
        );
        assert_eq!(
            App::posting_scope(&actor(Role::Employer, None, None)),
            PostingScope::Nobody
        );
        assert_eq!(
            App::posting_scope(&actor(Role::Institution, None, Some(2))),
            PostingScope::Open
        );
        assert_eq!(
            App::posting_scope(&actor(Role::Seeker, None, None)),
            PostingScope::Open
        );
        assert!(!App::can_write_postings(&actor(Role::Seeker, None, None)));
        assert!(App::can_write_postings(&actor(
            Role::Employer,
            None,
            Some(4)
        )));
    }
}
