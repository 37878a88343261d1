//! People: scoped lists, audited reads and unmasking, registration.

use ablework_domain::district;
use ablework_domain::ident::{CertificateNumber, DisabilityCategory, IdentError, ResidentId, Sex};
use ablework_domain::person::{Education, EmploymentStatus, Hukou, mask_name, mask_phone};
use ablework_domain::roles::{Permission, Role};
use ablework_domain::working_age::{self, RetirementGroup};
use ablework_store::{
    NewPerson, Page, PersonFilter, PersonRecord, PersonScope, PersonSort, StoreError,
};
use chrono::{Datelike, NaiveDate};
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError, Localized};

/// The largest page a list returns.
pub const MAX_PER_PAGE: u32 = 200;

/// A person as shown to people: identifiers and name masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonView {
    /// Record id.
    pub id: i64,
    /// `张*`.
    pub name_masked: String,
    /// `1201**********1235`.
    pub id_number_masked: String,
    /// `1201****************`.
    pub certificate_masked: String,
    /// Sex.
    pub sex: Sex,
    /// Age in whole years today.
    pub age: u32,
    /// Whether of working age today under the active preset.
    pub working_age: bool,
    /// Disability category.
    pub category: DisabilityCategory,
    /// Disability level, 1–4.
    pub level: u8,
    /// District of service (current code).
    pub district_code: String,
    /// Street or township.
    pub street: Option<String>,
    /// Household type.
    pub hukou: Option<Hukou>,
    /// `138****1234`.
    pub phone_masked: Option<String>,
    /// Education.
    pub education: Option<Education>,
    /// Employment status.
    pub employment_status: EmploymentStatus,
    /// Retirement group (women: 50 or 55).
    pub retirement_group: RetirementGroup,
    /// Registration date.
    pub registered_on: NaiveDate,
    /// Whether the record is active (deactivated records stay for history).
    pub active: bool,
}

/// Changes to a person's record; `None` leaves a field as it is, an empty
/// string clears an optional field. The ID number cannot change: it is who
/// the person is.
#[derive(Clone, Debug, Default)]
pub struct PersonChanges {
    /// Full name.
    pub name: Option<String>,
    /// A new certificate number (reissue, or a new assessment of category or level).
    pub certificate_number: Option<String>,
    /// District of service.
    pub district: Option<String>,
    /// Street or township.
    pub street: Option<String>,
    /// `urban` / `rural`.
    pub hukou: Option<String>,
    /// Mobile number.
    pub phone: Option<String>,
    /// Education code.
    pub education: Option<String>,
    /// `employed` / `unemployed`.
    pub employment_status: Option<String>,
    /// `female_50` / `female_55` for women.
    pub retirement_group: Option<String>,
    /// Activate or deactivate the record.
    pub active: Option<bool>,
    /// Why: required to deactivate or reactivate, recorded in the audit log.
    pub reason: Option<String>,
}

/// A person's identifiers in clear, after an audited unmask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmasked {
    /// Full name.
    pub name: String,
    /// Resident ID number.
    pub id_number: String,
    /// Certificate number.
    pub certificate_number: String,
    /// Mobile number.
    pub phone: Option<String>,
    /// The rest of the record, masked as usual: the page that shows the
    /// identifiers needs it, and reading it again would be a second read.
    pub view: PersonView,
}

/// A people list query as a caller states it.
#[derive(Clone, Debug, Default)]
pub struct PersonQuery {
    /// Name fragment or a full ID number.
    pub q: Option<String>,
    /// District code (or name) within the caller's scope.
    pub district: Option<String>,
    /// Category code.
    pub category: Option<String>,
    /// `employed` / `unemployed`.
    pub employment_status: Option<String>,
    /// `registered_desc` (default), `registered_asc`, `name`, `age_asc`, `age_desc`.
    pub sort: Option<String>,
    /// From 1.
    pub page: Option<u32>,
    /// Default 20, at most [`MAX_PER_PAGE`].
    pub per_page: Option<u32>,
}

/// A person to register, as entered.
#[derive(Clone, Debug, Default)]
pub struct NewPersonInput {
    /// Full name.
    pub name: String,
    /// Resident ID number (18 or legacy 15 characters).
    pub id_number: String,
    /// Disability certificate number (20 characters, optional `B1`–`B9`).
    pub certificate_number: String,
    /// District code or name.
    pub district: String,
    /// Street or township.
    pub street: Option<String>,
    /// `urban` / `rural`.
    pub hukou: Option<String>,
    /// Mobile number.
    pub phone: Option<String>,
    /// Education code.
    pub education: Option<String>,
    /// `employed` / `unemployed` (default unemployed).
    pub employment_status: Option<String>,
    /// For women: `female_50` or `female_55` (default `female_50`).
    pub retirement_group: Option<String>,
}

fn ident_errors(field: &str, errors: &[IdentError]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|error| FieldError::ident(field, error))
        .collect()
}

fn unknown_code(field: &str) -> FieldError {
    FieldError::new(
        field,
        "unknown",
        Localized::new("不是可选的值", "Not one of the allowed values"),
    )
}

fn parse_code<T>(
    field: &str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    let parsed = parse(value);
    if parsed.is_none() {
        errors.push(unknown_code(field));
    }
    parsed
}

/// The ID and certificate numbers, each validated, and checked to belong together.
fn parse_identifiers(
    input: &NewPersonInput,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> (Option<ResidentId>, Option<CertificateNumber>) {
    let id = if input.id_number.trim().is_empty() {
        errors.push(FieldError::required("id_number"));
        None
    } else {
        ResidentId::parse(&input.id_number, today)
            .map_err(|e| errors.extend(ident_errors("id_number", &e)))
            .ok()
    };
    let certificate = if input.certificate_number.trim().is_empty() {
        errors.push(FieldError::required("certificate_number"));
        None
    } else {
        CertificateNumber::parse(&input.certificate_number, today)
            .map_err(|e| errors.extend(ident_errors("certificate_number", &e)))
            .ok()
    };
    if let (Some(id), Some(certificate)) = (&id, &certificate)
        && certificate.resident_id().as_str() != id.as_str()
    {
        errors.push(FieldError::new(
            "certificate_number",
            "id_mismatch",
            Localized::new(
                "残疾证号的前 18 位应与身份证号一致",
                "The certificate number's first 18 characters must be the ID number",
            ),
        ));
    }
    (id, certificate)
}

/// The free-text fields: a name is required, and both it and the street are
/// bounded, so no unbounded text reaches the database.
fn check_lengths(input: &NewPersonInput, errors: &mut Vec<FieldError>) {
    let name = input.name.trim();
    if name.is_empty() {
        errors.push(FieldError::required("name"));
    } else if name.chars().count() > 50 {
        errors.push(FieldError::new(
            "name",
            "too_long",
            Localized::new("姓名不超过 50 个字", "A name is at most 50 characters"),
        ));
    }
    if input
        .street
        .as_deref()
        .is_some_and(|street| street.trim().chars().count() > 50)
    {
        errors.push(FieldError::new(
            "street",
            "too_long",
            Localized::new(
                "街道/乡镇不超过 50 个字",
                "A street or township is at most 50 characters",
            ),
        ));
    }
}

/// A district code or name, resolved to today's district.
fn parse_district(value: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match district::resolve(value.trim()) {
        Some(found) => Some(found.code.to_owned()),
        None if value.trim().is_empty() => {
            errors.push(FieldError::required("district"));
            None
        }
        None => {
            errors.push(FieldError::new(
                "district",
                "unknown",
                Localized::new("不是天津市的区", "Not a Tianjin district"),
            ));
            None
        }
    }
}

fn sort_from(code: Option<&str>) -> PersonSort {
    match code {
        Some("registered_asc") => PersonSort::RegisteredAsc,
        Some("name") => PersonSort::NameAsc,
        Some("age_asc") => PersonSort::BirthDateDesc,
        Some("age_desc") => PersonSort::BirthDateAsc,
        _ => PersonSort::RegisteredDesc,
    }
}

/// Whole years between a birth date and a day.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    u32::try_from(age).unwrap_or(0)
}

impl App {
    pub(crate) fn person_view(&self, record: &PersonRecord) -> PersonView {
        let today = self.today();
        PersonView {
            id: record.id,
            name_masked: mask_name(&record.name),
            id_number_masked: record.id_number_masked.clone(),
            certificate_masked: record.certificate_masked.clone(),
            sex: record.sex,
            age: age_on(record.birth_date, today),
            working_age: working_age::is_working_age(
                record.birth_date,
                record.retirement_group,
                today,
                &self.config.policy.working_age,
            ),
            category: record.category,
            level: record.level,
            district_code: record.district_code.clone(),
            street: record.street.clone(),
            hukou: record.hukou,
            phone_masked: record.phone_masked.clone(),
            education: record.education,
            employment_status: record.employment_status,
            retirement_group: record.retirement_group,
            registered_on: record.registered_on,
            active: record.active,
        }
    }

    /// Lists people in the actor's scope. Validation errors name the field.
    pub async fn list_persons(
        &self,
        actor: &Actor,
        query: PersonQuery,
    ) -> AppResult<Page<PersonView>> {
        actor.require(Permission::PersonRead)?;
        let mut errors = Vec::new();
        let mut filter = PersonFilter::new(actor.person_scope());
        filter.page = query.page.unwrap_or(1).max(1);
        filter.per_page = query.per_page.unwrap_or(20);
        if filter.per_page == 0 || filter.per_page > MAX_PER_PAGE {
            errors.push(FieldError::new(
                "per_page",
                "out_of_range",
                Localized::new("每页条数应为 1–200", "per_page is 1–200"),
            ));
        }
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            // A whole ID number is looked up by its keyed hash; anything
            // else is a name fragment.
            // A certificate number names its holder's ID number; the last
            // four characters of an ID number (as masked forms show them)
            // are searched within the scope and district.
            let last4 = q.len() == 4
                && q.chars()
                    .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x');
            if let Ok(id) = ResidentId::parse(q, self.today()) {
                filter.id_number_hash = Some(self.vault.lookup_hash(id.as_str()));
            } else if let Ok(certificate) = CertificateNumber::parse(q, self.today()) {
                filter.id_number_hash =
                    Some(self.vault.lookup_hash(certificate.resident_id().as_str()));
            } else if last4 {
                filter.id_last4 = Some(q.to_ascii_uppercase());
            } else {
                filter.name_contains = Some(q.to_owned());
            }
        }
        if let Some(value) = query
            .district
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            match district::resolve(value) {
                Some(found) => filter.district_code = Some(found.code.to_owned()),
                None => errors.push(FieldError::new(
                    "district",
                    "unknown",
                    Localized::new("不是天津市的区", "Not a Tianjin district"),
                )),
            }
        }
        filter.category = parse_code(
            "category",
            query.category.as_deref(),
            DisabilityCategory::from_code,
            &mut errors,
        );
        filter.employment_status = parse_code(
            "employment_status",
            query.employment_status.as_deref(),
            EmploymentStatus::from_code,
            &mut errors,
        );
        filter.sort = sort_from(query.sort.as_deref());
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let page = self.store.list_persons(&filter).await?;
        Ok(Page {
            items: page.items.iter().map(|p| self.person_view(p)).collect(),
            total: page.total,
        })
    }

    /// How many people each district serves, within the actor's scope.
    pub async fn person_counts_by_district(&self, actor: &Actor) -> AppResult<Vec<(String, u64)>> {
        actor.require(Permission::PersonRead)?;
        Ok(self
            .store
            .count_persons_by_district(&actor.person_scope())
            .await?)
    }

    /// Reads one person in scope; the read is audited in the same transaction.
    pub async fn get_person(&self, actor: &Actor, id: i64) -> AppResult<PersonView> {
        actor.require(Permission::PersonRead)?;
        let audit = actor
            .audit(self.now(), "person.read", "person")
            .with_entity_id(id);
        let record = self
            .store
            .read_person(id, &actor.person_scope(), audit)
            .await?;
        record
            .map(|r| self.person_view(&r))
            .ok_or(AppError::NotFound)
    }

    /// Reveals a person's identifiers for a stated reason; audited with it.
    pub async fn unmask_person(&self, actor: &Actor, id: i64, reason: &str) -> AppResult<Unmasked> {
        actor.require(Permission::PersonUnmask)?;
        let reason = reason.trim();
        if reason.chars().count() < 4 {
            return Err(AppError::field(
                "reason",
                "required",
                Localized::new(
                    "请说明查看完整信息的原因（至少 4 个字）",
                    "Say why you need the full details (at least 4 characters)",
                ),
            ));
        }
        let audit = actor
            .audit(self.now(), "person.unmask", "person")
            .with_entity_id(id)
            .with_detail(json!({ "reason": reason }));
        let record = self
            .store
            .read_person(id, &actor.person_scope(), audit)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Unmasked {
            view: self.person_view(&record),
            name: record.name.clone(),
            id_number: self.vault.decrypt(&record.id_number_enc)?,
            certificate_number: self.vault.decrypt(&record.certificate_enc)?,
            phone: record
                .phone_enc
                .as_deref()
                .map(|p| self.vault.decrypt(p))
                .transpose()?,
        })
    }

    /// Validates a new person's fields and prepares the record with its
    /// identifiers encrypted. Every problem is reported, not just the first.
    pub fn prepare_person(&self, input: &NewPersonInput) -> AppResult<NewPerson> {
        let today = self.today();
        let mut errors = Vec::new();
        let name = input.name.trim();
        check_lengths(input, &mut errors);
        let (id, certificate) = parse_identifiers(input, today, &mut errors);
        let district = parse_district(&input.district, &mut errors);
        let hukou = parse_code(
            "hukou",
            input.hukou.as_deref(),
            Hukou::from_code,
            &mut errors,
        );
        let education = parse_code(
            "education",
            input.education.as_deref(),
            Education::from_code,
            &mut errors,
        );
        let status = parse_code(
            "employment_status",
            input.employment_status.as_deref(),
            EmploymentStatus::from_code,
            &mut errors,
        );
        let group = parse_code(
            "retirement_group",
            input.retirement_group.as_deref(),
            RetirementGroup::from_code,
            &mut errors,
        );
        let phone = input
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        if let Some(phone) = &phone
            && !(phone.len() == 11
                && phone.starts_with('1')
                && phone.chars().all(|c| c.is_ascii_digit()))
        {
            errors.push(FieldError::new(
                "phone",
                "format",
                Localized::new(
                    "手机号应为 1 开头的 11 位数字",
                    "A mobile number is 11 digits starting with 1",
                ),
            ));
        }
        let (Some(id), Some(certificate), Some(district_code), true) =
            (id, certificate, district, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        let sex = id.sex();
        let retirement_group = match (sex, group) {
            (Sex::Male, _) => RetirementGroup::Male,
            (Sex::Female, Some(RetirementGroup::Female55)) => RetirementGroup::Female55,
            (Sex::Female, _) => RetirementGroup::Female50,
        };
        let now = self.now();
        Ok(NewPerson {
            name: name.to_owned(),
            id_number_enc: self.vault.encrypt(id.as_str())?,
            id_number_hash: self.vault.lookup_hash(id.as_str()),
            id_number_masked: id.masked(),
            certificate_enc: self.vault.encrypt(certificate.as_str())?,
            certificate_masked: certificate.masked(),
            sex,
            birth_date: id.birth_date(),
            category: certificate.category(),
            level: certificate.level().get(),
            district_code,
            street: input
                .street
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            hukou,
            phone_masked: phone.as_deref().map(mask_phone),
            phone_hash: phone.as_deref().map(|p| self.phone_hash(p)),
            phone_enc: phone
                .as_deref()
                .map(|p| self.vault.encrypt(p))
                .transpose()?,
            education,
            employment_status: status.unwrap_or(EmploymentStatus::Unemployed),
            retirement_group,
            registered_on: self.today(),
            created_at: now,
        })
    }

    /// Registers a person. A district officer registers only in their own
    /// district. A registered ID number is a conflict; the message names the
    /// existing record only when it is in the actor's scope.
    pub async fn create_person(
        &self,
        actor: &Actor,
        input: NewPersonInput,
    ) -> AppResult<PersonView> {
        actor.require(Permission::PersonWrite)?;
        let person = self.prepare_person(&input)?;
        if let ablework_store::PersonScope::District(code) = actor.person_scope()
            && person.district_code != code
        {
            return Err(AppError::field(
                "district",
                "out_of_scope",
                Localized::new(
                    "只能登记本区的人员",
                    "You can register people of your own district only",
                ),
            ));
        }
        let hash = person.id_number_hash.clone();
        let audit = actor
            .audit(self.now(), "person.create", "person")
            .with_detail(json!({ "district": person.district_code }));
        match self.store.create_person(person, audit).await {
            Ok(record) => Ok(self.person_view(&record)),
            Err(StoreError::Conflict(_)) => {
                let mut existing = PersonFilter::new(actor.person_scope());
                existing.id_number_hash = Some(hash);
                let visible = self
                    .store
                    .list_persons(&existing)
                    .await?
                    .items
                    .first()
                    .map(|p| p.id);
                Err(AppError::Conflict {
                    code: "already_registered".to_owned(),
                    message: match visible {
                        Some(id) => Localized::new(
                            format!("此身份证号已登记（记录 {id}）"),
                            format!("This ID number is already registered (record {id})"),
                        ),
                        None => Localized::new(
                            "此身份证号已登记",
                            "This ID number is already registered",
                        ),
                    },
                })
            }
            Err(other) => Err(other.into()),
        }
    }
}

/// How many people an export reads from the store at once.
const EXPORT_BATCH: u32 = 1_000;

impl App {
    /// Streams the people in the actor's scope (and an optional district)
    /// to `sink`, masked, in id order, then records the export in the audit
    /// log with how many rows left and why. Returns that count.
    pub async fn export_persons(
        &self,
        actor: &Actor,
        district: Option<&str>,
        purpose: &str,
        sink: &mut (dyn FnMut(&PersonView) -> AppResult<()> + Send),
    ) -> AppResult<u64> {
        actor.require(Permission::PersonExport)?;
        let mut filter = PersonFilter::new(actor.person_scope());
        if let Some(value) = district.map(str::trim).filter(|v| !v.is_empty()) {
            let found = district::resolve(value).ok_or_else(|| {
                AppError::field(
                    "district",
                    "unknown",
                    Localized::new("不是天津市的区", "Not a Tianjin district"),
                )
            })?;
            filter.district_code = Some(found.code.to_owned());
        }
        let mut after = 0;
        let mut rows = 0_u64;
        loop {
            let batch = self
                .store
                .persons_after(&filter, after, EXPORT_BATCH)
                .await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for record in &batch {
                sink(&self.person_view(record))?;
                rows += 1;
            }
        }
        self.record_export(
            actor,
            "person",
            "person",
            json!({ "rows": rows, "district": filter.district_code, "purpose": purpose }),
        )
        .await?;
        Ok(rows)
    }
}

impl App {
    /// Changes a person's record within the actor's scope. Every problem is
    /// reported by field; the change and its audit record (naming the
    /// fields changed, not their values) commit together.
    pub async fn update_person(
        &self,
        actor: &Actor,
        id: i64,
        changes: PersonChanges,
    ) -> AppResult<PersonView> {
        if actor.role == Role::Seeker {
            // A person keeps their own contact details up to date (their
            // scope is their own record); everything else is for staff.
            let only_contact = changes.name.is_none()
                && changes.certificate_number.is_none()
                && changes.district.is_none()
                && changes.hukou.is_none()
                && changes.education.is_none()
                && changes.employment_status.is_none()
                && changes.retirement_group.is_none()
                && changes.active.is_none();
            if !only_contact {
                return Err(AppError::Forbidden);
            }
        } else {
            actor.require(Permission::PersonWrite)?;
        }
        let scope = actor.person_scope();
        let read = actor
            .audit(self.now(), "person.read", "person")
            .with_entity_id(id)
            .with_detail(json!({ "purpose": "update" }));
        let current = self
            .store
            .read_person(id, &scope, read)
            .await?
            .ok_or(AppError::NotFound)?;
        let reason = changes
            .reason
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_owned();
        if changes
            .active
            .is_some_and(|active| active != current.active)
            && reason.chars().count() < 4
        {
            return Err(AppError::field(
                "reason",
                "required",
                Localized::new(
                    "停用或恢复记录须说明原因（至少 4 个字）",
                    "Say why the record is deactivated or restored (at least 4 characters)",
                ),
            ));
        }
        let fields_set = changed_fields(&changes);
        let active_change = changes.active;
        let input = self.merged_input(&current, changes)?;
        let person = self.prepare_person(&input)?;
        if let PersonScope::District(code) = &scope
            && person.district_code != *code
        {
            return Err(AppError::field(
                "district",
                "out_of_scope",
                Localized::new(
                    "不能把人员转到其他区；请联系市残联",
                    "You cannot move a person to another district: ask the city federation",
                ),
            ));
        }
        let mut record = current.clone();
        if !fields_set.is_empty() {
            let audit = actor
                .audit(self.now(), "person.update", "person")
                .with_detail(json!({ "fields": fields_set }));
            record = self
                .store
                .update_person(id, &scope, person, audit)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        if let Some(active) = active_change.filter(|active| *active != current.active) {
            let action = if active {
                "person.activate"
            } else {
                "person.deactivate"
            };
            let audit = actor
                .audit(self.now(), action, "person")
                .with_detail(json!({ "reason": reason }));
            record = self
                .store
                .set_person_active(id, &scope, active, audit)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        Ok(self.person_view(&record))
    }
}

/// The names of the fields a change sets, for the audit record.
fn changed_fields(changes: &PersonChanges) -> Vec<&'static str> {
    [
        ("name", changes.name.is_some()),
        ("certificate_number", changes.certificate_number.is_some()),
        ("district", changes.district.is_some()),
        ("street", changes.street.is_some()),
        ("hukou", changes.hukou.is_some()),
        ("phone", changes.phone.is_some()),
        ("education", changes.education.is_some()),
        ("employment_status", changes.employment_status.is_some()),
        ("retirement_group", changes.retirement_group.is_some()),
    ]
    .into_iter()
    .filter_map(|(field, present)| present.then_some(field))
    .collect()
}

impl App {
    /// The current record with the changes applied, as input to validate.
    fn merged_input(
        &self,
        current: &PersonRecord,
        changes: PersonChanges,
    ) -> AppResult<NewPersonInput> {
        let decrypt_opt = |sealed: Option<&[u8]>| sealed.map(|s| self.vault.decrypt(s)).transpose();
        let keep = |change: Option<String>, current: Option<String>| match change {
            Some(value) if value.trim().is_empty() => None,
            Some(value) => Some(value),
            None => current,
        };
        Ok(NewPersonInput {
            name: changes.name.unwrap_or(current.name.clone()),
            id_number: self.vault.decrypt(&current.id_number_enc)?,
            certificate_number: match changes.certificate_number {
                Some(value) => value,
                None => self.vault.decrypt(&current.certificate_enc)?,
            },
            district: changes.district.unwrap_or(current.district_code.clone()),
            street: keep(changes.street, current.street.clone()),
            hukou: keep(changes.hukou, current.hukou.map(|h| h.code().to_owned())),
            phone: keep(changes.phone, decrypt_opt(current.phone_enc.as_deref())?),
            education: keep(
                changes.education,
                current.education.map(|e| e.code().to_owned()),
            ),
            employment_status: Some(
                changes
                    .employment_status
                    .unwrap_or_else(|| current.employment_status.code().to_owned()),
            ),
            retirement_group: Some(
                changes
                    .retirement_group
                    .unwrap_or_else(|| current.retirement_group.code().to_owned()),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_count_whole_years() {
        let birth = NaiveDate::from_ymd_opt(1990, 3, 7).unwrap_or_default();
        let on = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(age_on(birth, on(2026, 3, 6)), 35);
        assert_eq!(age_on(birth, on(2026, 3, 7)), 36);
        assert_eq!(age_on(birth, on(1980, 1, 1)), 0);
    }
}
