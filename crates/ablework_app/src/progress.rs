//! Progress against the plan's target: the dashboard, the reports and the API
//! all read the same report, so their figures agree.

use ablework_domain::progress::{PlanTarget, ProgressReport, apportion, progress};
use ablework_domain::roles::{Permission, Scope};

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};

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

impl App {
    /// The active plan.
    pub fn plan(&self) -> PlanTarget {
        PlanTarget::tianjin_2022_2024()
    }

    /// Progress in the actor's scope: the whole city for a city
    /// administrator, their district (against its share of the target) for
    /// a district officer.
    pub async fn progress_report(&self, actor: &Actor) -> AppResult<ProgressReport> {
        actor.require(Permission::ProgressRead)?;
        let plan = self.plan();
        let district = match actor.scope() {
            Scope::City => None,
            Scope::District(code) => Some(code),
            Scope::Organisation(_) | Scope::Person(_) => return Err(AppError::Forbidden),
        };
        let outcomes = self
            .store
            .outcomes_between(plan.start, plan.end, district.as_deref())
            .await?;
        let plan = match &district {
            Some(code) => plan_for_district(&plan, code),
            None => plan,
        };
        Ok(progress(&outcomes, &plan, self.today()))
    }
}
