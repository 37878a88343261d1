//! The statistical reports of new employment (新增就业) for a month or a
//! quarter, in the CDPF indicator set: the page, its workbook, its print
//! view and the API all read this one report, so their figures agree.

use ablework_domain::roles::{Permission, Scope};
use ablework_domain::statistics::{ReportPeriod, StatisticalReport, new_employment_statistics};
use chrono::NaiveDate;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::progress::credited_to;

/// A statistical report made for an actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statistics {
    /// The figures.
    pub report: StatisticalReport,
    /// The district reported on for a district officer; `None` for the
    /// whole city.
    pub district_code: Option<String>,
    /// The day the report was made: outcomes that start later are not in
    /// it yet.
    pub made_on: NaiveDate,
}

impl App {
    /// New employment in `period` in the actor's scope: every district and
    /// the city total for a city administrator, their own district for a
    /// district officer. Only outcomes that started by today count, so a
    /// period still running shows what is achieved so far.
    pub async fn statistical_report(
        &self,
        actor: &Actor,
        period: ReportPeriod,
    ) -> AppResult<Statistics> {
        actor.require(Permission::ProgressRead)?;
        let district = match actor.scope() {
            Scope::City => None,
            Scope::District(code) => Some(code),
            Scope::Organisation(_) | Scope::Person(_) => return Err(AppError::Forbidden),
        };
        let today = self.today();
        let mut outcomes = self
            .store
            .outcomes_between(period.year_start(), period.last_day(), None)
            .await?;
        outcomes.retain(|outcome| outcome.started_on <= today);
        if let Some(code) = &district {
            outcomes = credited_to(&outcomes, period.year_start(), period.last_day(), code);
        }
        Ok(Statistics {
            report: new_employment_statistics(&outcomes, period, district.as_deref()),
            district_code: district,
            made_on: today,
        })
    }
}
