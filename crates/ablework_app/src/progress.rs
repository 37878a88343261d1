//! Progress against the plan's target: the dashboard, the reports and the API
//! all read the same report, so their figures agree.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use ablework_domain::district;
use ablework_domain::lang::Lang;
use ablework_domain::outcome::{Measure, Outcome};
use ablework_domain::progress::{
    CountRow, CountedOutcome, PlanTarget, ProgressReport, TIANJIN_2022_2024, Tally, apportion,
    count_new_employment_between, progress, progress_from,
};
use ablework_domain::roles::{Permission, Scope};
use ablework_store::{Page, PersonScope, VersionedRecord};
use chrono::{DateTime, Utc};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError, Localized};
use crate::persons::PersonView;

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

    /// The district a progress query asks for, within the actor's scope: a
    /// city administrator may name any current district (or none: the
    /// city); a district officer sees their own, and another district
    /// reads as absent.
    fn progress_district(actor: &Actor, asked: Option<&str>) -> AppResult<Option<String>> {
        actor.require(Permission::ProgressRead)?;
        match (actor.scope(), asked) {
            (Scope::City, None) => Ok(None),
            (Scope::City, Some(code)) => district::by_code(code)
                .map(|d| Some(d.code.to_owned()))
                .ok_or(AppError::NotFound),
            (Scope::District(own), None) => Ok(Some(own)),
            (Scope::District(own), Some(code)) if own == code => Ok(Some(own)),
            (Scope::District(_), Some(_)) => Err(AppError::NotFound),
            (Scope::Organisation(_) | Scope::Person(_), _) => Err(AppError::Forbidden),
        }
    }

    /// The plan and the new employment a progress query counts: the whole
    /// city's outcomes of the plan's period, narrowed to the district's
    /// credited ones when there is a district.
    async fn counted_for(
        &self,
        actor: &Actor,
        query: &ProgressQuery,
    ) -> AppResult<(PlanTarget, Option<String>, Vec<Outcome>)> {
        let district = Self::progress_district(actor, query.district.as_deref())?;
        let plan = self.plan(actor, query.plan.as_deref()).await?.plan;
        let outcomes = self
            .store
            .outcomes_between(plan.start, plan.end, None)
            .await?;
        Ok(match &district {
            Some(code) => {
                let credited = credited_to(&outcomes, plan.start, plan.end, code);
                (plan_for_district(&plan, code), district, credited)
            }
            None => (plan, district, outcomes),
        })
    }

    /// Progress against a plan ([`DEFAULT_PLAN`] unless the query names
    /// one) in the actor's scope: the whole city or one district for a city
    /// administrator, their district for a district officer, a district
    /// against its share of the target. A district's report adds its
    /// streets (of the people counted, as registered today).
    pub async fn progress_report(
        &self,
        actor: &Actor,
        query: &ProgressQuery,
    ) -> AppResult<ProgressReport> {
        let today = self.today();
        let district = Self::progress_district(actor, query.district.as_deref())?;
        let plan = self.plan(actor, query.plan.as_deref()).await?.plan;
        let mut report = if counts_whole_years(&plan) {
            let scoped = match &district {
                Some(code) => plan_for_district(&plan, code),
                None => plan.clone(),
            };
            let to = plan.end.min(today);
            let tally = if plan.start <= to {
                self.store
                    .progress_tally(district.as_deref(), plan.start, to)
                    .await?
            } else {
                Tally::default()
            };
            let mut report = progress_from(&tally, &scoped, today);
            if let Some(code) = &district
                && plan.start <= to
            {
                let streets = self.store.counted_streets(code, plan.start, to).await?;
                report.by_street = most_first(streets);
            }
            report
        } else {
            let (plan, district, outcomes) = self.counted_for(actor, query).await?;
            let mut report = progress(&outcomes, &plan, today);
            if let Some(code) = &district {
                report.by_street = self.street_rows(&outcomes, &plan, code).await?;
            }
            report
        };
        let scope = match &district {
            Some(code) => PersonScope::District(code.clone()),
            None => PersonScope::All,
        };
        report.four_ones = Some(self.four_ones_coverage_in(scope).await?);
        Ok(report)
    }

    /// New employment per street of a district counted from `outcomes`:
    /// each counted person's street as registered today (`""` when none is
    /// recorded or the person has since moved to another district), most
    /// first. For plans the store's kept counts do not serve.
    async fn street_rows(
        &self,
        outcomes: &[Outcome],
        plan: &PlanTarget,
        district: &str,
    ) -> AppResult<Vec<CountRow>> {
        let counted =
            count_new_employment_between(outcomes, plan.start, plan.end.min(self.today()));
        let ids: Vec<i64> = counted
            .iter()
            .map(|c| c.outcome.person_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let streets: HashMap<i64, String> = self
            .store
            .persons_by_ids(&ids, &PersonScope::District(district.to_owned()))
            .await?
            .into_iter()
            .map(|p| (p.id, p.street.unwrap_or_default()))
            .collect();
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for c in &counted {
            let street = streets
                .get(&c.outcome.person_id)
                .cloned()
                .unwrap_or_default();
            *counts.entry(street).or_default() += 1;
        }
        Ok(most_first(counts))
    }

    /// The people behind a figure of the progress report: those counted as
    /// new employment, narrowed by district, street, measure and year, in
    /// the actor's scope, masked, newest start first, a page at a time.
    pub async fn counted_people(
        &self,
        actor: &Actor,
        query: &CountedPeopleQuery,
    ) -> AppResult<Page<CountedPerson>> {
        actor.require(Permission::PersonRead)?;
        let (plan, district, outcomes) = self.counted_for(actor, &query.progress).await?;
        let today = self.today();
        let mut counted: Vec<CountedOutcome> =
            count_new_employment_between(&outcomes, plan.start, plan.end.min(today))
                .into_iter()
                .filter(|c| query.measure.is_none_or(|m| c.outcome.measure == m))
                .filter(|c| query.year.is_none_or(|y| c.year == y))
                .collect();
        counted.sort_by(|a, b| {
            (b.outcome.started_on, b.outcome.person_id)
                .cmp(&(a.outcome.started_on, a.outcome.person_id))
        });
        let scope = actor.person_scope();
        let ids: Vec<i64> = counted.iter().map(|c| c.outcome.person_id).collect();
        let people: HashMap<i64, ablework_store::PersonRecord> = self
            .store
            .persons_by_ids(&ids, &scope)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        // A street is a district's: it narrows only a district's figures.
        let street = query.street.as_deref().filter(|_| district.is_some());
        let matching: Vec<CountedPerson> = counted
            .into_iter()
            .filter_map(|c| {
                let person = people.get(&c.outcome.person_id)?;
                let registered = person.street.as_deref().unwrap_or_default();
                let here = district
                    .as_deref()
                    .is_none_or(|d| person.district_code == d);
                if street.is_some_and(|s| !here || s != registered) {
                    return None;
                }
                Some(CountedPerson {
                    person: self.person_view(person),
                    year: c.year,
                    outcome: c.outcome,
                })
            })
            .collect();
        let total = u64::try_from(matching.len()).unwrap_or(u64::MAX);
        let per_page = usize::try_from(query.per_page.clamp(1, 200)).unwrap_or(20);
        let skip = usize::try_from(query.page.max(1) - 1).unwrap_or(0) * per_page;
        Ok(Page {
            items: matching.into_iter().skip(skip).take(per_page).collect(),
            total,
        })
    }
}

/// Whether the store's kept counts serve a plan: they count whole calendar
/// years, so a period must begin on 1 January (any end will do). Another
/// plan is counted from its outcomes.
fn counts_whole_years(plan: &PlanTarget) -> bool {
    plan.start.month() == 1 && plan.start.day() == 1
}

/// Count rows, most first, then by code.
fn most_first(counts: impl IntoIterator<Item = (String, u32)>) -> Vec<CountRow> {
    let mut rows: Vec<CountRow> = counts
        .into_iter()
        .map(|(code, achieved)| CountRow { code, achieved })
        .collect();
    rows.sort_by(|a, b| {
        b.achieved
            .cmp(&a.achieved)
            .then_with(|| a.code.cmp(&b.code))
    });
    rows
}

/// What a progress report is of: a plan (the default when `None`) and a
/// district (the actor's own, or the city, when `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgressQuery {
    /// The plan's id.
    pub plan: Option<String>,
    /// A district's code.
    pub district: Option<String>,
}

/// Which counted people to list (`App::counted_people`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountedPeopleQuery {
    /// The plan and district.
    pub progress: ProgressQuery,
    /// A street of the district (`""`: none recorded).
    pub street: Option<String>,
    /// One measure.
    pub measure: Option<Measure>,
    /// One calendar year.
    pub year: Option<i32>,
    /// Page, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// A person counted as new employment, with the outcome credited.
#[derive(Clone, Debug)]
pub struct CountedPerson {
    /// The masked person.
    pub person: PersonView,
    /// The year the outcome counts in.
    pub year: i32,
    /// The outcome credited.
    pub outcome: Outcome,
}
