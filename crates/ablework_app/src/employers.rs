//! Employers and their quota: the registry, annual declarations with an
//! officer's review, the measure-1 list, policy presets and what-if runs
//! (DOMAIN.md §3–§4, MISSION.md measure 1).

use std::str::FromStr;

use ablework_domain::district;
use ablework_domain::ident::{CertificateNumber, CreditCode, IdentError};
use ablework_domain::lang::Lang;
use ablework_domain::levy::{self, Assessment, Calculation, Declaration, EmployerKind};
use ablework_domain::policy::{self, PolicyPreset};
use ablework_domain::quota::{self, MonthSpan, WhatIfItem, WhatIfReport};
use ablework_domain::roles::{Permission, Role};
use ablework_domain::working_age;
use ablework_store::{
    DeclarationFigures, DeclarationFilter, EmployerFields, EmployerFilter, EmployerHire,
    EmployerScope, Page, StoreError, VersionedRecord,
};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde_json::json;

pub use ablework_store::{
    DeclarationConflict, DeclarationEvent, DeclarationRecord, DeclarationStatus, DeclaredEmployee,
    EmployerRecord, MeasureOneRow,
};

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError, Localized, invalid};

/// The longest employer name accepted.
const MAX_NAME: usize = 100;
/// The largest staff or staffing number accepted.
const MAX_STAFF: i64 = 10_000_000;
/// The most disabled employees on one declaration filed through a form or
/// the API.
const MAX_EMPLOYEES: usize = 5_000;
/// The most seasonal-worker lines on one declaration.
const MAX_SEASONAL: usize = 50;

/// The sector codes an employer can be registered under.
pub fn sectors() -> &'static [&'static str] {
    ablework_demo::employers::sectors()
}

/// The label of a sector code in `lang` (the code itself if unknown).
pub fn sector_label(code: &str, lang: Lang) -> &str {
    ablework_demo::employers::sector_label(code, lang).unwrap_or(code)
}

/// An employer's registry entry as typed into a form or sent to the API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmployerInput {
    /// Unified social credit code.
    pub credit_code: String,
    /// Registered name.
    pub name: String,
    /// `enterprise`, `agency`, `institution` or `social_org`.
    pub kind: String,
    /// A school or kindergarten.
    pub is_school: bool,
    /// Staffing quota (编制), for agencies and institutions.
    pub staffing_quota: Option<String>,
    /// In-service staff.
    pub staff: String,
    /// District code.
    pub district: String,
    /// Sector code.
    pub sector: String,
    /// A state-owned enterprise (国有企业).
    pub state_owned: bool,
}

impl EmployerInput {
    /// The input that reproduces a stored record (for edit forms).
    pub fn from_record(record: &EmployerRecord) -> EmployerInput {
        let fields = &record.fields;
        EmployerInput {
            credit_code: fields.credit_code.clone(),
            name: fields.name.clone(),
            kind: fields.kind.code().to_owned(),
            is_school: fields.is_school,
            staffing_quota: fields.staffing_quota.map(|s| s.to_string()),
            staff: fields.staff.to_string(),
            district: fields.district_code.clone(),
            sector: fields.sector.clone(),
            state_owned: fields.state_owned,
        }
    }
}

/// One disabled employee as typed into a declaration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmployeeInput {
    /// The disability certificate number.
    pub certificate: String,
    /// First month worked (1–12).
    pub from_month: String,
    /// Last month worked (1–12).
    pub to_month: String,
    /// Contract of a year or more, or permanent post.
    pub contract_ok: bool,
    /// Paid at least the minimum wage.
    pub min_wage_ok: bool,
    /// Social insurance paid in full.
    pub insured_ok: bool,
}

impl EmployeeInput {
    /// Whether nothing was typed (a blank form row).
    pub fn is_blank(&self) -> bool {
        self.certificate.trim().is_empty()
            && self.from_month.trim().is_empty()
            && self.to_month.trim().is_empty()
    }
}

/// An annual declaration as typed into the form or sent to the API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclarationInput {
    /// The data year the figures describe.
    pub data_year: String,
    /// In-service headcount of each month, January first.
    pub monthly_headcount: Vec<String>,
    /// Seasonal workers: (count, months).
    pub seasonal: Vec<(String, String)>,
    /// Total wages of the year, CNY.
    pub total_wages: String,
    /// The local social average wage of the year, CNY.
    pub social_average_wage: String,
    /// The disabled employees (blank rows are ignored).
    pub employees: Vec<EmployeeInput>,
}

impl DeclarationInput {
    /// The input that reproduces a stored declaration (to correct it).
    /// Certificate numbers are not kept in clear, so the employees' rows
    /// come back with their masked numbers for the person to retype.
    pub fn from_record(record: &DeclarationRecord) -> DeclarationInput {
        let figures = &record.figures;
        DeclarationInput {
            data_year: record.data_year.to_string(),
            monthly_headcount: figures
                .monthly_headcount
                .iter()
                .map(ToString::to_string)
                .collect(),
            seasonal: figures
                .seasonal
                .iter()
                .map(|(count, months)| (count.to_string(), months.to_string()))
                .collect(),
            total_wages: figures.total_wages.to_string(),
            social_average_wage: figures.social_average_wage.to_string(),
            employees: Vec::new(),
        }
    }
}

/// An officer's decision on a submitted declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Review {
    /// Accept it.
    Approve,
    /// Send it back with reasons.
    Return,
}

/// A declaration with what its reader needs beside it.
#[derive(Clone, Debug)]
pub struct DeclarationView {
    /// The stored declaration.
    pub record: DeclarationRecord,
    /// The assessment recomputed from the stored figures under the preset
    /// version it recorded, explained in the reader's language.
    pub assessment: Assessment,
    /// People another employer declares for overlapping months.
    pub conflicts: Vec<DeclarationConflict>,
    /// Whether the actor may approve or return it now.
    pub can_review: bool,
    /// Whether the actor may correct and refile it now.
    pub can_refile: bool,
}

/// An employer's standing: its latest declaration and the way to reduce
/// its levy.
#[derive(Clone, Debug)]
pub struct EmployerStanding {
    /// The employer.
    pub employer: EmployerRecord,
    /// Its declarations, newest year first.
    pub declarations: Vec<DeclarationRecord>,
    /// For the newest declaration that falls short: people still needed
    /// (full-year, single weight) and the levy if one more such person had
    /// worked the whole year.
    pub shortfall: Option<Shortfall>,
    /// Whether it must employ at least one disabled person (measure 1).
    pub measure_one: bool,
    /// People hired through AbleWork's applications this calendar year:
    /// `(year, count)`. Not part of any assessment: the quota is assessed
    /// only from the annual declaration, where the employer declares them.
    pub hires: (i32, u64),
}

/// What an employer still lacks under the quota.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortfall {
    /// The data year.
    pub data_year: i32,
    /// People still needed.
    pub people: u32,
    /// The levy due now.
    pub levy: Decimal,
    /// The levy had one more person worked the whole year.
    pub levy_with_one_more: Decimal,
    /// The same figures with this year's hires through AbleWork added, if
    /// the declaration is of an earlier year and anyone was hired.
    pub with_hires: Option<WithHires>,
}

/// A shortfall recounted with the people hired through AbleWork this year
/// at their disability level (so double counting applies as the preset
/// says), the rest of the figures as last declared: the people still
/// needed with the hired counted as employed all year (they are employed
/// now), and this year's levy with each counted from their first month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithHires {
    /// People still needed with them counted for a whole year.
    pub people: u32,
    /// This year's levy with them counted from their first month.
    pub levy: Decimal,
}

/// The measure-1 list of one year, with counts by district.
#[derive(Clone, Debug)]
pub struct MeasureOneReport {
    /// The data year.
    pub data_year: i32,
    /// Every agency and institution the rule covers.
    pub rows: Vec<MeasureOneRow>,
    /// Per district: (code, covered, employing none).
    pub by_district: Vec<(String, u32, u32)>,
    /// For the years before it, the number employing none: (year, covered,
    /// employing none).
    pub over_time: Vec<(i32, u32, u32)>,
}

impl MeasureOneReport {
    /// The rows employing no disabled person.
    pub fn failing(&self) -> impl Iterator<Item = &MeasureOneRow> {
        self.rows.iter().filter(|row| row.eligible_employees == 0)
    }
}

fn ident_errors(field: &str, errors: &[IdentError], out: &mut Vec<FieldError>) {
    out.extend(errors.iter().map(|error| FieldError::ident(field, error)));
}

/// Reads a whole number in a range, or says which field and why.
fn whole(
    field: &str,
    text: &str,
    range: std::ops::RangeInclusive<i64>,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    match text.parse::<i64>() {
        Ok(value) if range.contains(&value) => Some(value),
        Ok(value) if value < 0 && *range.start() >= 0 => {
            errors.push(invalid(
                field,
                "negative",
                "不能为负数。",
                "This cannot be negative.",
            ));
            None
        }
        Ok(_) => {
            errors.push(invalid(
                field,
                "out_of_range",
                format!("应在 {} 到 {} 之间。", range.start(), range.end()),
                format!(
                    "This must be between {} and {}.",
                    range.start(),
                    range.end()
                ),
            ));
            None
        }
        Err(_) => {
            errors.push(invalid(
                field,
                "not_a_number",
                "请填写整数。",
                "Enter a whole number.",
            ));
            None
        }
    }
}

/// Reads a non-negative amount (up to two decimal places).
fn amount(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<Decimal> {
    let text = text.trim().replace([',', '，'], "");
    if text.is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    match Decimal::from_str(&text) {
        Ok(value) if value.is_sign_negative() && !value.is_zero() => {
            errors.push(invalid(
                field,
                "negative",
                "不能为负数。",
                "This cannot be negative.",
            ));
            None
        }
        Ok(value) if value.scale() > 2 => {
            errors.push(invalid(
                field,
                "precision",
                "最多两位小数。",
                "Use at most two decimal places.",
            ));
            None
        }
        Ok(value) => Some(value),
        Err(_) => {
            errors.push(invalid(
                field,
                "not_a_number",
                "请填写数字，例如 80000 或 80000.50。",
                "Enter a number, such as 80000 or 80000.50.",
            ));
            None
        }
    }
}

/// The form field a levy error path names: `monthly_headcount[3]` is
/// `monthly_headcount_3`, `disabled_employees[1].months` is
/// `employees_1_months`.
fn form_field(path: &str) -> String {
    if path == "monthly_headcount" {
        // A problem with the year as a whole is shown at its first month.
        return "monthly_headcount_0".to_owned();
    }
    path.replace("disabled_employees", "employees")
        .replace("].", "_")
        .replace('[', "_")
        .replace(']', "")
        .replace('.', "_")
}

impl App {
    /// The employers this actor may see.
    pub(crate) fn employer_scope(actor: &Actor) -> EmployerScope {
        match actor.scope() {
            ablework_domain::roles::Scope::City => EmployerScope::All,
            ablework_domain::roles::Scope::District(code) => EmployerScope::District(code),
            ablework_domain::roles::Scope::Organisation(id) if actor.role == Role::Employer => {
                EmployerScope::Employer(id)
            }
            _ => EmployerScope::Nobody,
        }
    }

    /// Every policy preset: the built-in ones and the newest version of
    /// each one an administrator created, by id.
    pub async fn presets(&self) -> AppResult<Vec<PolicyPreset>> {
        let mut all = policy::presets();
        let stored = self.store.presets().await?;
        for record in stored.iter().rev() {
            if all.iter().any(|p| p.id == record.id) {
                continue;
            }
            let preset: PolicyPreset = serde_json::from_value(record.body.clone())
                .map_err(|e| AppError::Internal(format!("stored preset {}: {e}", record.id)))?;
            all.push(preset);
        }
        all.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(all)
    }

    /// One preset by id (its newest version), if it exists.
    pub async fn preset(&self, id: &str) -> AppResult<Option<PolicyPreset>> {
        Ok(self.presets().await?.into_iter().find(|p| p.id == id))
    }

    /// Saves a preset an administrator created or changed: validated,
    /// audited, stored as a new version. The built-in presets are fixed.
    pub async fn save_preset(
        &self,
        actor: &Actor,
        mut preset: PolicyPreset,
    ) -> AppResult<PolicyPreset> {
        actor.require(Permission::PolicyManage)?;
        let errors: Vec<FieldError> = preset
            .validate()
            .into_iter()
            .map(FieldError::from)
            .collect();
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        if policy::by_id(&preset.id).is_some() {
            return Err(AppError::field(
                "id",
                "built_in",
                Localized::new(
                    "内置的政策预设不能修改；请用新的编号另建一个。",
                    "A built-in preset cannot be changed; create one under a new id.",
                ),
            ));
        }
        let latest = self
            .store
            .presets()
            .await?
            .iter()
            .filter(|r| r.id == preset.id)
            .map(|r| r.version)
            .max()
            .unwrap_or(0);
        let version = latest + 1;
        preset.version = u32::try_from(version).unwrap_or(u32::MAX);
        let body = serde_json::to_value(&preset).map_err(|e| AppError::Internal(e.to_string()))?;
        let audit = actor
            .audit(
                self.now(),
                if latest == 0 {
                    "policy.create"
                } else {
                    "policy.update"
                },
                "policy_preset",
            )
            .with_entity_id(&preset.id)
            .with_detail(json!({ "version": version }));
        self.store
            .save_preset(
                VersionedRecord {
                    id: preset.id.clone(),
                    version,
                    body,
                    created_at: self.now(),
                },
                audit,
            )
            .await?;
        Ok(preset)
    }

    /// Assesses a levy declaration under the preset it names, built-in or
    /// stored (CONTRACT.md `levy`, `POST /api/v1/levy/assessments`).
    pub async fn assess_levy(
        &self,
        declaration: &Declaration,
    ) -> AppResult<Result<Calculation, Vec<levy::FieldError>>> {
        let Some(id) = declaration.policy.as_deref() else {
            return Ok(levy::assess(declaration));
        };
        if policy::by_id(id).is_some() {
            return Ok(levy::assess(declaration));
        }
        Ok(match self.preset(id).await? {
            Some(preset) => levy::assess_with(declaration, &preset),
            None => levy::assess(declaration),
        })
    }

    // ---- the registry ---------------------------------------------------

    /// Lists employers in the actor's scope.
    pub async fn list_employers(
        &self,
        actor: &Actor,
        search: Option<String>,
        kind: Option<EmployerKind>,
        district: Option<String>,
        page: u32,
        per_page: u32,
    ) -> AppResult<Page<EmployerRecord>> {
        actor.require(Permission::EmployerRead)?;
        let mut filter = EmployerFilter::new(Self::employer_scope(actor));
        filter.search = search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        filter.kind = kind;
        filter.district_code = district.filter(|d| !d.is_empty());
        filter.page = page.max(1);
        filter.per_page = per_page.clamp(1, 200);
        Ok(self.store.list_employers(&filter).await?)
    }

    /// Reads one employer in the actor's scope.
    pub async fn employer(&self, actor: &Actor, id: i64) -> AppResult<EmployerRecord> {
        actor.require(Permission::EmployerRead)?;
        self.store
            .employer(id, &Self::employer_scope(actor))
            .await?
            .ok_or(AppError::NotFound)
    }

    #[expect(
        clippy::too_many_lines,
        reason = "every registry field checked in form order"
    )]
    pub(crate) fn prepare_employer(
        actor: &Actor,
        input: &EmployerInput,
    ) -> AppResult<EmployerFields> {
        let mut errors = Vec::new();
        let credit_code = match CreditCode::parse(&input.credit_code) {
            Ok(code) => Some(code),
            Err(found) => {
                ident_errors("credit_code", &found, &mut errors);
                None
            }
        };
        let name = input.name.trim();
        if name.is_empty() {
            errors.push(FieldError::required("name"));
        } else if name.chars().count() > MAX_NAME {
            errors.push(invalid(
                "name",
                "too_long",
                format!("名称最多 {MAX_NAME} 个字。"),
                format!("A name is at most {MAX_NAME} characters."),
            ));
        }
        let kind = EmployerKind::ALL
            .into_iter()
            .find(|k| k.code() == input.kind);
        if kind.is_none() {
            errors.push(invalid(
                "kind",
                "unknown_value",
                "请选择单位类型。",
                "Choose the kind of employer.",
            ));
        }
        let staff = whole("staff", &input.staff, 0..=MAX_STAFF, &mut errors);
        let staffing = match input
            .staffing_quota
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(text) => whole("staffing_quota", text, 0..=MAX_STAFF, &mut errors),
            None => None,
        };
        if staffing.is_some()
            && matches!(
                kind,
                Some(EmployerKind::Enterprise | EmployerKind::SocialOrg)
            )
        {
            errors.push(invalid(
                "staffing_quota",
                "not_applicable",
                "只有机关和事业单位有编制数；企业和社会团体请留空。",
                "Only agencies and institutions have a staffing quota; leave it empty for others.",
            ));
        }
        if input.is_school && kind != Some(EmployerKind::Institution) {
            errors.push(invalid(
                "is_school",
                "not_applicable",
                "只有事业单位可以标为中小学或幼儿园。",
                "Only a public institution can be marked as a school or kindergarten.",
            ));
        }
        if input.state_owned && kind != Some(EmployerKind::Enterprise) {
            errors.push(invalid(
                "state_owned",
                "not_applicable",
                "只有企业可以标为国有企业。",
                "Only an enterprise can be marked as state-owned.",
            ));
        }
        let district_code = district::resolve(input.district.trim()).map(|d| d.code.to_owned());
        if district_code.is_none() {
            errors.push(invalid(
                "district",
                "unknown_district",
                "请选择天津市的一个区。",
                "Choose a district of Tianjin.",
            ));
        }
        if let (Some(code), ablework_domain::roles::Scope::District(own)) =
            (&district_code, actor.scope())
            && *code != own
        {
            errors.push(invalid(
                "district",
                "out_of_scope",
                "只能登记本区的用人单位。",
                "You can register employers of your own district only.",
            ));
        }
        if !sectors().contains(&input.sector.as_str()) {
            errors.push(invalid(
                "sector",
                "unknown_value",
                "请选择行业。",
                "Choose a sector.",
            ));
        }
        match (credit_code, kind, staff, district_code, errors.is_empty()) {
            (Some(code), Some(kind), Some(staff), Some(district_code), true) => {
                Ok(EmployerFields {
                    credit_code: code.as_str().to_owned(),
                    name: name.to_owned(),
                    kind,
                    is_school: input.is_school,
                    staffing_quota: staffing.map(|s| i32::try_from(s).unwrap_or(i32::MAX)),
                    staff: i32::try_from(staff).unwrap_or(i32::MAX),
                    district_code,
                    sector: input.sector.clone(),
                    state_owned: input.state_owned,
                })
            }
            _ => Err(AppError::Invalid(errors)),
        }
    }

    fn credit_code_taken(error: StoreError) -> AppError {
        match error {
            StoreError::Conflict(_) => AppError::Invalid(vec![invalid(
                "credit_code",
                "already_registered",
                "这个统一社会信用代码已经登记过了。",
                "An employer with this credit code is registered already.",
            )]),
            other => other.into(),
        }
    }

    /// Registers an employer (officers and administrators).
    pub async fn create_employer(
        &self,
        actor: &Actor,
        input: &EmployerInput,
    ) -> AppResult<EmployerRecord> {
        actor.require(Permission::EmployerWrite)?;
        if actor.role == Role::Employer {
            return Err(AppError::Forbidden);
        }
        let fields = Self::prepare_employer(actor, input)?;
        let audit = actor
            .audit(self.now(), "employer.create", "employer")
            .with_detail(json!({ "credit_code": fields.credit_code }));
        self.store
            .create_employer(fields, self.now(), audit)
            .await
            .map_err(Self::credit_code_taken)
    }

    /// Changes an employer's registry entry. An employer's own HR cannot
    /// change its credit code, kind, district or state ownership.
    pub async fn update_employer(
        &self,
        actor: &Actor,
        id: i64,
        input: &EmployerInput,
    ) -> AppResult<EmployerRecord> {
        actor.require(Permission::EmployerWrite)?;
        let scope = Self::employer_scope(actor);
        let current = self
            .store
            .employer(id, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut input = input.clone();
        if actor.role == Role::Employer {
            input.credit_code.clone_from(&current.fields.credit_code);
            current.fields.kind.code().clone_into(&mut input.kind);
            input.district.clone_from(&current.fields.district_code);
            // Ownership decides measure-2 credit and state-owned-only fairs:
            // the registry's staff set it, not the employer.
            input.state_owned = current.fields.state_owned;
        }
        let fields = Self::prepare_employer(actor, &input)?;
        let audit = actor
            .audit(self.now(), "employer.update", "employer")
            .with_entity_id(id);
        self.store
            .update_employer(id, &scope, fields, self.now(), audit)
            .await
            .map_err(Self::credit_code_taken)?
            .ok_or(AppError::NotFound)
    }

    /// An employer with its declarations and what it still lacks.
    pub async fn employer_standing(&self, actor: &Actor, id: i64) -> AppResult<EmployerStanding> {
        let employer = self.employer(actor, id).await?;
        let mut filter = DeclarationFilter::new(Self::employer_scope(actor));
        filter.employer_id = Some(id);
        filter.per_page = 50;
        let declarations = self.store.list_declarations(&filter).await?.items;
        let year = self.today().year();
        let hired = match (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) {
            (Some(first), Some(last)) => self.store.hires_of_employer(id, first, last).await?,
            _ => Vec::new(),
        };
        let shortfall = match declarations.first() {
            Some(latest) => self.shortfall(latest, year, &hired).await?,
            None => None,
        };
        let fields = &employer.fields;
        let measure_one = quota::must_employ_one(
            fields.kind,
            fields.is_school,
            fields.staffing_quota.and_then(|s| u32::try_from(s).ok()),
            &self.config.policy.measure_one,
        );
        Ok(EmployerStanding {
            employer,
            declarations,
            shortfall,
            measure_one,
            hires: (year, hired.len() as u64),
        })
    }

    /// What the newest declaration still lacks, and, when it is of a year
    /// before `year`, the same recounted with `hired` (this year's hires).
    async fn shortfall(
        &self,
        record: &DeclarationRecord,
        year: i32,
        hired: &[EmployerHire],
    ) -> AppResult<Option<Shortfall>> {
        let full = self
            .store
            .declaration(record.id, &EmployerScope::All)
            .await?
            .ok_or(AppError::NotFound)?;
        let preset = self.preset_for(&full).await?;
        let mut declaration = to_levy(&full);
        let Ok(now) = levy::assess_with(&declaration, &preset) else {
            return Ok(None);
        };
        if now.meets_quota() {
            return Ok(None);
        }
        let with_hires = if full.data_year < year && !hired.is_empty() {
            // People still needed: the hired are employed now, so each
            // counts for a whole year; the levy: for the months each works
            // this year.
            let recount = |months: &dyn Fn(&EmployerHire) -> i64| {
                let mut recounted = declaration.clone();
                recounted
                    .disabled_employees
                    .extend(hired.iter().map(|hire| levy::DisabledEmployee {
                        certificate: None,
                        kind: Some(levy::EmployeeKind::Disability),
                        level: Some(i64::from(hire.level)),
                        months: months(hire),
                        eligible: true,
                    }));
                levy::assess_with(&recounted, &preset).map_err(|_| {
                    AppError::Internal("a valid declaration became invalid".to_owned())
                })
            };
            let whole_year = recount(&|_| 12)?;
            let this_year = recount(&|hire| 13 - i64::from(hire.started_on.month()))?;
            Some(WithHires {
                people: whole_year.shortfall_people(),
                levy: this_year.levy(),
            })
        } else {
            None
        };
        declaration.disabled_employees.push(levy::DisabledEmployee {
            certificate: None,
            kind: Some(levy::EmployeeKind::Disability),
            level: Some(4),
            months: 12,
            eligible: true,
        });
        let with_one_more = levy::assess_with(&declaration, &preset)
            .map_err(|_| AppError::Internal("a valid declaration became invalid".to_owned()))?;
        Ok(Some(Shortfall {
            data_year: full.data_year,
            people: now.shortfall_people(),
            levy: now.levy(),
            levy_with_one_more: with_one_more.levy(),
            with_hires,
        }))
    }

    // ---- declarations ---------------------------------------------------

    /// The preset a stored declaration was assessed under (its recorded
    /// id; the configured preset if that id is gone).
    async fn preset_for(&self, record: &DeclarationRecord) -> AppResult<PolicyPreset> {
        if record.figures.policy_id == self.config.policy.id {
            return Ok(self.config.policy.clone());
        }
        Ok(self
            .preset(&record.figures.policy_id)
            .await?
            .unwrap_or_else(|| self.config.policy.clone()))
    }

    /// Checks a declaration, looks its employees up in the registry and
    /// assesses it. Every problem is reported at once.
    #[expect(
        clippy::too_many_lines,
        reason = "every figure checked in form order, then assessed"
    )]
    async fn prepare_declaration(
        &self,
        employer: &EmployerRecord,
        input: &DeclarationInput,
    ) -> AppResult<(i32, DeclarationFigures, Calculation)> {
        let today = self.today();
        let preset = self.config.policy.clone();
        let mut errors = Vec::new();
        let year = whole(
            "data_year",
            &input.data_year,
            2000..=i64::from(today.year()),
            &mut errors,
        )
        .and_then(|y| i32::try_from(y).ok());
        let mut monthly = Vec::with_capacity(12);
        if input.monthly_headcount.len() == 12 {
            for (index, text) in input.monthly_headcount.iter().enumerate() {
                let field = format!("monthly_headcount_{index}");
                if let Some(value) = whole(&field, text, 0..=MAX_STAFF, &mut errors) {
                    monthly.push(Decimal::from(value));
                }
            }
        } else {
            errors.push(invalid(
                "monthly_headcount_0",
                "length",
                format!(
                    "应有 12 个月的人数，现有 {} 个。",
                    input.monthly_headcount.len()
                ),
                format!(
                    "Give the headcount of each of the 12 months; there are {}.",
                    input.monthly_headcount.len()
                ),
            ));
        }
        if input.seasonal.len() > MAX_SEASONAL {
            errors.push(invalid(
                "seasonal_0_count",
                "too_many",
                format!("季节性用工最多 {MAX_SEASONAL} 行。"),
                format!("At most {MAX_SEASONAL} lines of seasonal workers."),
            ));
        }
        let mut seasonal = Vec::new();
        for (index, (count, months)) in input.seasonal.iter().enumerate() {
            if count.trim().is_empty() && months.trim().is_empty() {
                continue;
            }
            let count = whole(
                &format!("seasonal_{index}_count"),
                count,
                0..=MAX_STAFF,
                &mut errors,
            );
            let months = whole(
                &format!("seasonal_{index}_months"),
                months,
                1..=12,
                &mut errors,
            );
            if let (Some(count), Some(months)) = (count, months) {
                seasonal.push((Decimal::from(count), u8::try_from(months).unwrap_or(12)));
            }
        }
        let total_wages = amount("total_wages", &input.total_wages, &mut errors);
        let social = amount(
            "social_average_wage",
            &input.social_average_wage,
            &mut errors,
        );
        let employees = self
            .declared_employees(input, year, &preset, &mut errors)
            .await?;
        let (Some(year), Some(total_wages), Some(social), true) =
            (year, total_wages, social, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        let mut figures = DeclarationFigures {
            declared_on: today,
            monthly_headcount: monthly,
            seasonal,
            total_wages,
            social_average_wage: social,
            employees,
            policy_id: preset.id.clone(),
            policy_version: i32::try_from(preset.version).unwrap_or(i32::MAX),
            headcount: Decimal::ZERO,
            counted: Decimal::ZERO,
            shortfall: Decimal::ZERO,
            levy: Decimal::ZERO,
        };
        let record = DeclarationRecord {
            id: 0,
            employer_id: employer.id,
            employer_name: employer.fields.name.clone(),
            district_code: employer.fields.district_code.clone(),
            kind: employer.fields.kind,
            data_year: year,
            status: DeclarationStatus::Submitted,
            figures: figures.clone(),
            events: Vec::new(),
        };
        let calculation = levy::assess_with(&to_levy(&record), &preset).map_err(|found| {
            AppError::Invalid(
                found
                    .into_iter()
                    .map(|e| {
                        FieldError::new(
                            &form_field(&e.field),
                            e.code,
                            Localized::new(e.message(Lang::Zh), e.message(Lang::En)),
                        )
                    })
                    .collect(),
            )
        })?;
        figures.headcount = calculation.headcount();
        figures.counted = calculation.counted();
        figures.shortfall = calculation.shortfall();
        figures.levy = calculation.levy();
        Ok((year, figures, calculation))
    }

    /// Finds each declared employee in the registry: a valid certificate
    /// of a registered person, of working age in the months declared,
    /// declared once.
    #[expect(
        clippy::too_many_lines,
        reason = "each employee checked against the register in order"
    )]
    async fn declared_employees(
        &self,
        input: &DeclarationInput,
        year: Option<i32>,
        preset: &PolicyPreset,
        errors: &mut Vec<FieldError>,
    ) -> AppResult<Vec<DeclaredEmployee>> {
        let today = self.today();
        let rows: Vec<(usize, &EmployeeInput)> = input
            .employees
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.is_blank())
            .collect();
        if rows.len() > MAX_EMPLOYEES {
            errors.push(invalid(
                "employees_0_certificate",
                "too_many",
                format!("一次最多申报 {MAX_EMPLOYEES} 名残疾职工。"),
                format!("At most {MAX_EMPLOYEES} disabled employees per declaration."),
            ));
            return Ok(Vec::new());
        }
        let mut parsed = Vec::new();
        for (index, row) in rows {
            let at = |name: &str| format!("employees_{index}_{name}");
            let certificate = match CertificateNumber::parse(&row.certificate, today) {
                Ok(c) => Some(c),
                Err(found) => {
                    ident_errors(&at("certificate"), &found, errors);
                    None
                }
            };
            let from = whole(&at("from_month"), &row.from_month, 1..=12, errors);
            let to = whole(&at("to_month"), &row.to_month, 1..=12, errors);
            let span = match (from, to) {
                (Some(from), Some(to)) => {
                    let span = MonthSpan::new(
                        u8::try_from(from).unwrap_or(1),
                        u8::try_from(to).unwrap_or(12),
                    );
                    if span.is_none() {
                        errors.push(invalid(
                            &at("to_month"),
                            "before_start",
                            "截止月份不能早于起始月份。",
                            "The last month cannot be before the first.",
                        ));
                    }
                    span
                }
                _ => None,
            };
            if let (Some(certificate), Some(span)) = (certificate, span) {
                parsed.push((index, certificate, span, row));
            }
        }
        let hashes: Vec<String> = parsed
            .iter()
            .map(|(_, c, _, _)| self.vault.lookup_hash(c.resident_id().as_str()))
            .collect();
        let found = if hashes.is_empty() {
            Vec::new()
        } else {
            self.store.persons_by_id_hashes(&hashes).await?
        };
        let mut employees = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for ((index, certificate, span, row), hash) in parsed.into_iter().zip(hashes) {
            let field = format!("employees_{index}_certificate");
            let Some(person) = found.iter().find(|p| p.id_number_hash == hash) else {
                errors.push(invalid(&field, "not_registered", "持证人不在残疾人登记库中；请先由区残联登记。", "The holder is not in the disability register; the district federation must register them first."));
                continue;
            };
            if person.category != certificate.category()
                || person.level != certificate.level().get()
            {
                errors.push(invalid(&field, "certificate_mismatch", "证号的残疾类别或等级与登记库不一致；请核对证件。", "The category or level in this number differs from the register; check the certificate."));
                continue;
            }
            if !person.active {
                errors.push(invalid(
                    &field,
                    "inactive",
                    "该登记记录已停用。",
                    "This register entry is deactivated.",
                ));
                continue;
            }
            if !seen.insert(person.id) {
                errors.push(invalid(
                    &field,
                    "duplicate",
                    "同一人在本申报中只能出现一次。",
                    "The same person can appear only once on a declaration.",
                ));
                continue;
            }
            if let Some(year) = year {
                let last_day = last_day_of(year, span.to());
                let first_day =
                    NaiveDate::from_ymd_opt(year, u32::from(span.from()), 1).unwrap_or(last_day);
                let rule = &preset.working_age;
                if !working_age::is_working_age(
                    person.birth_date,
                    person.retirement_group,
                    last_day,
                    rule,
                ) || !working_age::is_working_age(
                    person.birth_date,
                    person.retirement_group,
                    first_day,
                    rule,
                ) {
                    errors.push(invalid(&field, "not_working_age", format!("持证人在 {year} 年申报的月份里不在法定劳动年龄内（已到退休年龄或未满最低年龄），不能计入。"), format!("The holder was not of working age in the months declared for {year} (past retirement age or under the minimum age) and cannot be counted.")));
                    continue;
                }
            }
            employees.push(DeclaredEmployee {
                person_id: person.id,
                name: person.name.clone(),
                certificate_masked: person.certificate_masked.clone(),
                level: person.level,
                from_month: span.from(),
                to_month: span.to(),
                contract_ok: row.contract_ok,
                min_wage_ok: row.min_wage_ok,
                insured_ok: row.insured_ok,
            });
        }
        Ok(employees)
    }

    /// Files (or corrects and refiles) an employer's declaration. The
    /// levy is assessed under the configured preset; an approved
    /// declaration cannot be changed.
    pub async fn file_declaration(
        &self,
        actor: &Actor,
        employer_id: i64,
        input: &DeclarationInput,
    ) -> AppResult<DeclarationRecord> {
        actor.require(Permission::DeclarationFile)?;
        let employer = self
            .store
            .employer(employer_id, &Self::employer_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        let (year, figures, _) = self.prepare_declaration(&employer, input).await?;
        let mut filter = DeclarationFilter::new(EmployerScope::Employer(employer_id));
        filter.data_year = Some(year);
        let existing = self
            .store
            .list_declarations(&filter)
            .await?
            .items
            .into_iter()
            .next();
        let action = if existing.is_some() {
            "resubmitted"
        } else {
            "submitted"
        };
        let event = DeclarationEvent {
            at: self.now(),
            user_id: Some(actor.user_id).filter(|id| *id > 0),
            username: None,
            action: action.to_owned(),
            note: None,
            levy: figures.levy,
        };
        let audit = actor
            .audit(self.now(), "declaration.submit", "declaration")
            .with_detail(json!({ "employer_id": employer_id, "data_year": year, "employees": figures.employees.len(), "levy": figures.levy.to_string() }));
        self.store
            .save_declaration(employer_id, year, &figures, event, audit)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::Conflict {
                    code: "declaration_approved".to_owned(),
                    message: Localized::new(
                        "这一年的申报已经审核通过，不能再修改。",
                        "The declaration of this year is approved and can no longer be changed.",
                    ),
                },
                other => other.into(),
            })
    }

    /// Approves or returns a submitted declaration. A return needs
    /// reasons.
    pub async fn review_declaration(
        &self,
        actor: &Actor,
        id: i64,
        review: Review,
        note: &str,
    ) -> AppResult<DeclarationRecord> {
        actor.require(Permission::DeclarationReview)?;
        let note = note.trim();
        if review == Review::Return && note.is_empty() {
            return Err(AppError::field(
                "note",
                "required",
                Localized::new(
                    "退回时请写明原因，单位才能改正。",
                    "Give the reasons for returning it, so the employer can correct it.",
                ),
            ));
        }
        if note.chars().count() > 1_000 {
            return Err(AppError::field(
                "note",
                "too_long",
                Localized::new(
                    "意见最多 1000 字。",
                    "The note is at most 1,000 characters.",
                ),
            ));
        }
        let scope = Self::employer_scope(actor);
        let current = self
            .store
            .declaration(id, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        let (status, action) = match review {
            Review::Approve => (DeclarationStatus::Approved, "approved"),
            Review::Return => (DeclarationStatus::Returned, "returned"),
        };
        let event = DeclarationEvent {
            at: self.now(),
            user_id: Some(actor.user_id).filter(|id| *id > 0),
            username: None,
            action: action.to_owned(),
            note: Some(note.to_owned()).filter(|n| !n.is_empty()),
            levy: current.figures.levy,
        };
        let audit = actor.audit(
            self.now(),
            &format!(
                "declaration.{}",
                if review == Review::Approve {
                    "approve"
                } else {
                    "return"
                }
            ),
            "declaration",
        );
        self.store
            .review_declaration(id, &scope, status, event, audit)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::Conflict {
                    code: "declaration_not_submitted".to_owned(),
                    message: Localized::new(
                        "这份申报不在待审核状态。",
                        "This declaration is not waiting for review.",
                    ),
                },
                other => other.into(),
            })?
            .ok_or(AppError::NotFound)
    }

    /// One declaration with its assessment explained and its conflicts.
    pub async fn declaration(
        &self,
        actor: &Actor,
        id: i64,
        lang: Lang,
    ) -> AppResult<DeclarationView> {
        actor.require(Permission::EmployerRead)?;
        let record = self
            .store
            .declaration(id, &Self::employer_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        let preset = self.preset_for(&record).await?;
        let assessment = levy::assess_with(&to_levy(&record), &preset)
            .map_err(|_| AppError::Internal(format!("stored declaration {id} no longer assesses")))?
            .assessment(lang);
        let conflicts = self.store.declaration_conflicts(id).await?;
        let can_review = actor.role.permits(Permission::DeclarationReview)
            && record.status == DeclarationStatus::Submitted;
        let can_refile = actor.role.permits(Permission::DeclarationFile)
            && record.status != DeclarationStatus::Approved;
        Ok(DeclarationView {
            record,
            assessment,
            conflicts,
            can_review,
            can_refile,
        })
    }

    /// Lists declarations in the actor's scope.
    pub async fn list_declarations(
        &self,
        actor: &Actor,
        data_year: Option<i32>,
        status: Option<DeclarationStatus>,
        page: u32,
        per_page: u32,
    ) -> AppResult<Page<DeclarationRecord>> {
        actor.require(Permission::EmployerRead)?;
        let mut filter = DeclarationFilter::new(Self::employer_scope(actor));
        filter.data_year = data_year;
        filter.status = status;
        filter.page = page.max(1);
        filter.per_page = per_page.clamp(1, 200);
        Ok(self.store.list_declarations(&filter).await?)
    }

    // ---- reports --------------------------------------------------------

    /// The measure-1 list of a data year and the years before it.
    pub async fn measure_one(&self, actor: &Actor, data_year: i32) -> AppResult<MeasureOneReport> {
        actor.require(Permission::DeclarationReview)?;
        let scope = Self::employer_scope(actor);
        let rules = &self.config.policy.measure_one;
        let rows = self
            .store
            .measure_one(
                data_year,
                &scope,
                rules.agency_min_staffing,
                rules.institution_min_staffing,
            )
            .await?;
        let mut by_district: Vec<(String, u32, u32)> = Vec::new();
        for row in &rows {
            let code = &row.employer.fields.district_code;
            let none = u32::from(row.eligible_employees == 0);
            match by_district.iter_mut().find(|(c, _, _)| c == code) {
                Some(entry) => {
                    entry.1 += 1;
                    entry.2 += none;
                }
                None => by_district.push((code.clone(), 1, none)),
            }
        }
        by_district.sort();
        let mut over_time = Vec::new();
        for year in (data_year - 3)..=data_year {
            let found = if year == data_year {
                rows.clone()
            } else {
                self.store
                    .measure_one(
                        year,
                        &scope,
                        rules.agency_min_staffing,
                        rules.institution_min_staffing,
                    )
                    .await?
            };
            let covered = u32::try_from(found.len()).unwrap_or(u32::MAX);
            let none = u32::try_from(found.iter().filter(|r| r.eligible_employees == 0).count())
                .unwrap_or(u32::MAX);
            over_time.push((year, covered, none));
        }
        Ok(MeasureOneReport {
            data_year,
            rows,
            by_district,
            over_time,
        })
    }

    /// Every declaration of a year assessed under its own preset and under
    /// `alternative`, side by side.
    pub async fn what_if(
        &self,
        actor: &Actor,
        data_year: i32,
        alternative: &str,
    ) -> AppResult<(PolicyPreset, WhatIfReport)> {
        actor.require(Permission::DeclarationReview)?;
        // One read of the presets serves the alternative and every
        // declaration's own preset.
        let presets = self.presets().await?;
        let Some(alternative) = presets.iter().find(|p| p.id == alternative).cloned() else {
            return Err(AppError::field(
                "policy",
                "unknown_policy",
                Localized::new("没有这个政策预设。", "There is no such policy preset."),
            ));
        };
        let records = self
            .store
            .declarations_of_year(data_year, &Self::employer_scope(actor))
            .await?;
        let declarations: Vec<Declaration> = records.iter().map(to_levy).collect();
        let current = |record: &DeclarationRecord| {
            presets
                .iter()
                .find(|p| p.id == record.figures.policy_id)
                .unwrap_or(&self.config.policy)
        };
        let report = quota::what_if(
            records
                .iter()
                .zip(&declarations)
                .map(|(record, declaration)| WhatIfItem {
                    district_code: &record.district_code,
                    kind: record.kind,
                    declaration,
                    current: current(record),
                }),
            &alternative,
        );
        Ok((alternative, report))
    }
}

fn last_day_of(year: i32, month: u8) -> NaiveDate {
    let (next_year, next_month) = if month >= 12 {
        (year + 1, 1)
    } else {
        (year, u32::from(month) + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// A stored declaration as the levy calculation reads it.
pub fn to_levy(record: &DeclarationRecord) -> Declaration {
    let figures = &record.figures;
    Declaration {
        policy: Some(figures.policy_id.clone()),
        declared_on: figures.declared_on,
        employer_kind: record.kind,
        average_headcount: None,
        monthly_headcount: Some(figures.monthly_headcount.clone()),
        seasonal: figures
            .seasonal
            .iter()
            .map(|(count, months)| levy::SeasonalWorkers {
                count: *count,
                months: i64::from(*months),
            })
            .collect(),
        average_wage: None,
        total_wages: Some(figures.total_wages),
        social_average_wage: figures.social_average_wage,
        disabled_employees: figures
            .employees
            .iter()
            .map(|e| levy::DisabledEmployee {
                certificate: None,
                kind: Some(levy::EmployeeKind::Disability),
                level: Some(i64::from(e.level)),
                months: i64::from(e.to_month) - i64::from(e.from_month) + 1,
                eligible: e.contract_ok && e.min_wage_ok && e.insured_ok,
            })
            .collect(),
    }
}
