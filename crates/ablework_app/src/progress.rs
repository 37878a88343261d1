//! Progress against the plan's target: the dashboard, the reports and the API
//! all read the same report, so their figures agree.

use ablework_domain::lang::Lang;
use ablework_domain::outcome::Outcome;
use ablework_domain::progress::{
    PlanTarget, ProgressReport, TIANJIN_2022_2024, apportion, count_new_employment_between,
    progress,
};
use ablework_domain::roles::{Permission, Scope};
use ablework_store::VersionedRecord;
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError, Localized};

/// The plan the dashboard shows unless another is chosen.
pub const DEFAULT_PLAN: &str = TIANJIN_2022_2024;

/// A plan as stored: its newest targets and where they come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanEntry {
    /// The targets.
    pub plan: PlanTarget,
    /// The stored version, or `None` for a built-in plan never changed.
    pub version: Option<i32>,
    /// When that version was saved.
    pub saved_at: Option<DateTime<Utc>>,
}

/// The plan narrowed to one district: its share of every breakdown.
pub fn plan_for_district(plan: &PlanTarget, code: &str) -> PlanTarget {
    let target = plan
        .by_district
        .iter()
        .find(|(c, _)| c == code)
        .map_or(0, |(_, t)| *t);
    let year_weights: Vec<u32> = plan.by_year.iter().map(|(_, t)| *t).collect();
    let measure_weights: Vec<u32> = plan.by_measure.iter().map(|(_, t)| *t).collect();
    PlanTarget {
        total: target,
        by_year: plan
            .by_year
            .iter()
            .map(|(y, _)| *y)
            .zip(apportion(target, &year_weights))
            .collect(),
        by_district: vec![(code.to_owned(), target)],
        by_measure: plan
            .by_measure
            .iter()
            .map(|(m, _)| *m)
            .zip(apportion(target, &measure_weights))
            .collect(),
        ..plan.clone()
    }
}

/// The outcomes of `start`–`end` that a district is credited with: each
/// person's year counts once, city-wide, in the district of its first
/// outcome, so a person who moves on to a job in another district later in
/// the year is not counted twice. The caller reads the whole city's
/// outcomes; only the district's credited ones leave here.
pub(crate) fn credited_to(
    outcomes: &[Outcome],
    start: NaiveDate,
    end: NaiveDate,
    district: &str,
) -> Vec<Outcome> {
    count_new_employment_between(outcomes, start, end)
        .into_iter()
        .filter(|counted| counted.district_code == district)
        .map(|counted| counted.outcome)
        .collect()
}

/// The built-in plans, used until a version of them is stored.
fn built_in_plans() -> Vec<PlanTarget> {
    vec![PlanTarget::tianjin_2022_2024()]
}

/// Whether a plan id is usable in addresses and files: 3 to 64 lower-case
/// letters, digits and hyphens, starting with a letter or digit.
fn plan_id_ok(id: &str) -> bool {
    (3..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

/// Every field error of a plan an administrator wrote.
fn plan_errors(plan: &PlanTarget) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !plan_id_ok(&plan.id) {
        errors.push(FieldError::new(
            "id",
            "format",
            Localized::new(
                "编号须为 3 至 64 个小写字母、数字或连字符，例如 tianjin-2025-2027。",
                "Use 3 to 64 lower-case letters, digits or hyphens, for example tianjin-2025-2027.",
            ),
        ));
    }
    for (field, name) in [("name_zh", &plan.name_zh), ("name_en", &plan.name_en)] {
        if name.trim().is_empty() || name.chars().count() > 200 {
            errors.push(FieldError::new(
                field,
                "required",
                Localized::new(
                    "请填写名称（不超过 200 字）。",
                    "Enter a name (at most 200 characters).",
                ),
            ));
        }
    }
    if plan.total == 0 {
        errors.push(FieldError::new(
            "total",
            "range",
            Localized::new("总目标须大于 0。", "The total target must be more than 0."),
        ));
    }
    let ratio = plan.pacing.on_track_ratio;
    if ratio <= Decimal::ZERO || ratio > Decimal::ONE {
        errors.push(FieldError::new(
            "on_track_ratio",
            "range",
            Localized::new(
                "进度容差须大于 0 且不超过 1，例如 0.95。",
                "The on-track share must be more than 0 and at most 1, for example 0.95.",
            ),
        ));
    }
    errors.extend(plan.problems().into_iter().map(|problem| {
        FieldError::new(
            problem.field(),
            problem.code(),
            Localized::new(problem.message(Lang::Zh), problem.message(Lang::En)),
        )
    }));
    errors
}

impl App {
    /// Every plan, by id: the built-in ones and those an administrator
    /// added, each at its newest version.
    pub async fn plans(&self, actor: &Actor) -> AppResult<Vec<PlanEntry>> {
        actor.require(Permission::ProgressRead)?;
        self.all_plans().await
    }

    async fn all_plans(&self) -> AppResult<Vec<PlanEntry>> {
        let stored = self.store.plans().await?;
        let mut entries: Vec<PlanEntry> = built_in_plans()
            .into_iter()
            .map(|plan| PlanEntry {
                plan,
                version: None,
                saved_at: None,
            })
            .collect();
        // Stored versions come by id and version: the last of each id wins.
        for record in &stored {
            let plan: PlanTarget = serde_json::from_value(record.body.clone())
                .map_err(|e| AppError::Internal(format!("stored plan {}: {e}", record.id)))?;
            let entry = PlanEntry {
                plan,
                version: Some(record.version),
                saved_at: Some(record.created_at),
            };
            match entries.iter_mut().find(|e| e.plan.id == record.id) {
                Some(existing) => *existing = entry,
                None => entries.push(entry),
            }
        }
        entries.sort_by(|a, b| a.plan.id.cmp(&b.plan.id));
        Ok(entries)
    }

    /// One plan at its newest version; [`DEFAULT_PLAN`] when `id` is `None`.
    pub async fn plan(&self, actor: &Actor, id: Option<&str>) -> AppResult<PlanEntry> {
        actor.require(Permission::ProgressRead)?;
        let id = id.unwrap_or(DEFAULT_PLAN);
        self.all_plans()
            .await?
            .into_iter()
            .find(|entry| entry.plan.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Saves a plan's targets as its next version (a new plan starts at 1),
    /// validated and audited. Only a city administrator sets targets.
    pub async fn save_plan(&self, actor: &Actor, plan: PlanTarget) -> AppResult<PlanEntry> {
        actor.require(Permission::PolicyManage)?;
        let errors = plan_errors(&plan);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let latest = self
            .store
            .plans()
            .await?
            .iter()
            .filter(|r| r.id == plan.id)
            .map(|r| r.version)
            .max();
        let version = latest.unwrap_or(0) + 1;
        let body = serde_json::to_value(&plan).map_err(|e| AppError::Internal(e.to_string()))?;
        let is_new = latest.is_none() && !built_in_plans().iter().any(|p| p.id == plan.id);
        let audit = actor
            .audit(
                self.now(),
                if is_new { "plan.create" } else { "plan.update" },
                "plan",
            )
            .with_entity_id(&plan.id)
            .with_detail(json!({ "version": version, "total": plan.total }));
        let saved_at = self.now();
        self.store
            .save_plan(
                VersionedRecord {
                    id: plan.id.clone(),
                    version,
                    body,
                    created_at: saved_at,
                },
                audit,
            )
            .await?;
        Ok(PlanEntry {
            plan,
            version: Some(version),
            saved_at: Some(saved_at),
        })
    }

    /// Progress against a plan ([`DEFAULT_PLAN`] when `plan_id` is `None`)
    /// in the actor's scope: the whole city for a city administrator, their
    /// district (against its share of the target) for a district officer.
    pub async fn progress_report(
        &self,
        actor: &Actor,
        plan_id: Option<&str>,
    ) -> AppResult<ProgressReport> {
        let plan = self.plan(actor, plan_id).await?.plan;
        let district = match actor.scope() {
            Scope::City => None,
            Scope::District(code) => Some(code),
            Scope::Organisation(_) | Scope::Person(_) => return Err(AppError::Forbidden),
        };
        let outcomes = self
            .store
            .outcomes_between(plan.start, plan.end, None)
            .await?;
        let (outcomes, plan) = match &district {
            Some(code) => (
                credited_to(&outcomes, plan.start, plan.end, code),
                plan_for_district(&plan, code),
            ),
            None => (outcomes, plan),
        };
        let mut report = progress(&outcomes, &plan, self.today());
        report.four_ones = Some(self.four_ones_coverage(actor).await?);
        Ok(report)
    }
}
