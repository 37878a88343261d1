//! The counts kept beside the records for the progress dashboard
//! (docs/adr/0002-progress-tally.md): the outcome credited for each person
//! and calendar year with the tally of those per day and characteristic,
//! kept in the same transaction as every change to an outcome; and the
//! "four ones" coverage summed from `four_ones_tally`, which triggers on
//! `persons` keep.

use std::collections::{BTreeSet, HashMap};

use ablework_domain::four_ones::Step;
use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
use ablework_domain::person::Hukou;
use ablework_domain::progress::{CountedOutcome, Tally, TallyKey, count_new_employment_between};
use ablework_domain::working_age::RetirementGroup;
use ablework_store::{StoreError, StoreResult};
use chrono::{Datelike, Months, NaiveDate};

use crate::rows::{self, Columns, code};
use crate::{SqlStore, map_err, with_pool, with_tx};

/// The columns of `counted_outcomes`.
pub(crate) const COUNTED_COLUMNS: &str = "person_id, year, started_on, ended_on, district_code, measure, form, hukou, category, level, sex";

/// How many counted rows one statement inserts while the tally is built.
const BATCH: usize = 1_000;

/// How many people's outcomes are read at a time while the tally is built.
const PEOPLE_PER_READ: i64 = 20_000;

/// The first and last day of a calendar year.
pub(crate) fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
    )
}

/// A row of `counted_outcomes`. Its outcome carries the credited (current)
/// district, which is all the row keeps.
pub(crate) fn counted(row: &impl Columns) -> StoreResult<CountedOutcome> {
    let district_code = row.text("district_code")?;
    Ok(CountedOutcome {
        year: row.i32("year")?,
        outcome: Outcome {
            person_id: row.i64("person_id")?,
            started_on: row.date("started_on")?,
            ended_on: row.opt_date("ended_on")?,
            form: code(row, "form", EmploymentForm::from_code)?,
            measure: code(row, "measure", Measure::from_code)?,
            district_code: district_code.clone(),
            hukou: code(row, "hukou", Hukou::from_code)?,
            category: code(row, "category", DisabilityCategory::from_code)?,
            level: u8::try_from(row.i32("level")?).map_err(|_| rows::unreadable("level"))?,
            sex: code(row, "sex", Sex::from_code)?,
        },
        district_code,
    })
}

/// A counted outcome as `counted_outcomes` keeps it: with the credited
/// district in place of the outcome's own.
pub(crate) fn as_kept(mut counted: CountedOutcome) -> CountedOutcome {
    counted
        .outcome
        .district_code
        .clone_from(&counted.district_code);
    counted
}

/// The years an outcome's changes touch: the calendar year it started in.
pub(crate) fn person_years<'a>(
    outcomes: impl IntoIterator<Item = &'a Outcome>,
) -> BTreeSet<(i64, i32)> {
    outcomes
        .into_iter()
        .map(|o| (o.person_id, o.started_on.year()))
        .collect()
}

/// The first day of a day's month.
pub(crate) fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Whether a dimension is kept per month too (all but the per-day counts
/// of people counted and retained, which the report reads by day).
pub(crate) fn by_month(dimension: &str) -> bool {
    !matches!(dimension, "counted" | "retained")
}

/// The dimension under which a district's tally keeps its counted people's
/// streets (a trigger on `persons` moves them when a street changes).
pub(crate) const STREET: &str = "street";

/// The street a counted outcome is kept under: the person's as registered
/// today, or `""` when none is recorded or they live in another district
/// than the one credited.
pub(crate) fn street_of(counted: &CountedOutcome, district: &str, street: Option<&str>) -> String {
    if counted.district_code == district {
        street.unwrap_or_default().to_owned()
    } else {
        String::new()
    }
}

/// What a counted outcome adds to the tally: `(scope, dimension, code)`
/// for its keys in the city's scope (`""`) and in its district's, where its
/// street is kept too.
pub(crate) fn entries(
    counted: &CountedOutcome,
    street: &str,
) -> Vec<(String, &'static str, String)> {
    let keys = TallyKey::of(counted);
    let mut entries = Vec::with_capacity(2 * keys.len() + 1);
    for scope in [String::new(), counted.district_code.clone()] {
        for key in &keys {
            let (dimension, code) = key.codes();
            entries.push((scope.clone(), dimension, code));
        }
    }
    entries.push((counted.district_code.clone(), STREET, street.to_owned()));
    entries
}

/// Adds `$delta` (1 or -1) for the counted outcome `$counted`, whose
/// person lives on `$street`, to the tally, in the city's scope and its
/// district's, inside `$tx`.
macro_rules! tally_apply {
    ($tx:ident, $counted:expr, $street:expr, $delta:expr) => {{
        let counted: &::ablework_domain::progress::CountedOutcome = $counted;
        let delta: i64 = $delta;
        let entries = $crate::tally::entries(counted, $street);
        let mut query = ::sqlx::QueryBuilder::new(
            "INSERT INTO progress_tally (scope, started_on, dimension, code, n) ",
        );
        query.push_values(&entries, |mut row, (scope, dimension, code)| {
            row.push_bind(scope.clone())
                .push_bind(counted.outcome.started_on)
                .push_bind(*dimension)
                .push_bind(code.clone())
                .push_bind(delta);
        });
        query.push(
            " ON CONFLICT (scope, started_on, dimension, code) DO UPDATE SET n = progress_tally.n + excluded.n",
        );
        query.build().execute(&mut *$tx).await.map_err($crate::map_err)?;
        let month = $crate::tally::month_of(counted.outcome.started_on);
        let mut query = ::sqlx::QueryBuilder::new(
            "INSERT INTO progress_tally_by_month (scope, month, dimension, code, n) ",
        );
        query.push_values(
            entries.iter().filter(|(_, dimension, _)| $crate::tally::by_month(dimension)),
            |mut row, (scope, dimension, code)| {
                row.push_bind(scope.clone())
                    .push_bind(month)
                    .push_bind(*dimension)
                    .push_bind(code.clone())
                    .push_bind(delta);
            },
        );
        query.push(
            " ON CONFLICT (scope, dimension, month, code) DO UPDATE SET n = progress_tally_by_month.n + excluded.n",
        );
        query.build().execute(&mut *$tx).await.map_err($crate::map_err)?;
        if delta < 0 {
            // Counts that fall to nothing go, as if never kept.
            ::sqlx::query(
                "DELETE FROM progress_tally WHERE scope IN ('', $1) AND started_on = $2 AND n = 0",
            )
            .bind(counted.district_code.clone())
            .bind(counted.outcome.started_on)
            .execute(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
            ::sqlx::query(
                "DELETE FROM progress_tally_by_month WHERE scope IN ('', $1) AND month = $2 AND n = 0",
            )
            .bind(counted.district_code.clone())
            .bind(month)
            .execute(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
        }
    }};
}

/// Brings `counted_outcomes` and `progress_tally` in step with the
/// outcomes of each `(person, year)` of `$pairs`, inside `$tx`: the year's
/// credited outcome is counted again, and where it changed, the old one's
/// counts are taken off the tally and the new one's added.
macro_rules! retally {
    ($tx:ident, $pairs:expr) => {{
        let pairs: &::std::collections::BTreeSet<(i64, i32)> = $pairs;
        for (person_id, year) in pairs {
            let (first, last) = $crate::tally::year_bounds(*year);
            let home = ::sqlx::query("SELECT district_code, street FROM persons WHERE id = $1")
                .bind(*person_id)
                .fetch_one(&mut *$tx)
                .await
                .map_err($crate::map_err)?;
            let home_district = home.text("district_code")?;
            let home_street = home.opt_text("street")?;
            let found = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM employment_outcomes WHERE person_id = $1 AND started_on >= $2 AND started_on <= $3",
                $crate::outcomes::OUTCOME_COLUMNS
            )))
            .bind(*person_id)
            .bind(first)
            .bind(last)
            .fetch_all(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
            let outcomes = found
                .iter()
                .map($crate::outcomes::outcome)
                .collect::<::ablework_store::StoreResult<Vec<_>>>()?;
            let new = ::ablework_domain::progress::count_new_employment_between(&outcomes, first, last)
                .into_iter()
                .next()
                .map($crate::tally::as_kept);
            let old = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM counted_outcomes WHERE person_id = $1 AND year = $2",
                $crate::tally::COUNTED_COLUMNS
            )))
            .bind(*person_id)
            .bind(*year)
            .fetch_optional(&mut *$tx)
            .await
            .map_err($crate::map_err)?
            .map(|row| $crate::tally::counted(&row))
            .transpose()?;
            if old != new {
                if let Some(old) = &old {
                    let street = $crate::tally::street_of(old, &home_district, home_street.as_deref());
                    $crate::tally::tally_apply!($tx, old, &street, -1);
                    ::sqlx::query("DELETE FROM counted_outcomes WHERE person_id = $1 AND year = $2")
                        .bind(*person_id)
                        .bind(*year)
                        .execute(&mut *$tx)
                        .await
                        .map_err($crate::map_err)?;
                }
                if let Some(new) = &new {
                    let street = $crate::tally::street_of(new, &home_district, home_street.as_deref());
                    $crate::tally::tally_apply!($tx, new, &street, 1);
                    $crate::tally::insert_counted!($tx, ::std::slice::from_ref(new));
                }
            }
        }
    }};
}

/// Inserts counted outcomes into `counted_outcomes`, inside `$tx`.
macro_rules! insert_counted {
    ($tx:ident, $counted:expr) => {{
        let counted: &[::ablework_domain::progress::CountedOutcome] = $counted;
        let mut query = ::sqlx::QueryBuilder::new(format!(
            "INSERT INTO counted_outcomes ({}) ",
            $crate::tally::COUNTED_COLUMNS
        ));
        query.push_values(counted, |mut row, c| {
            let o = &c.outcome;
            row.push_bind(o.person_id)
                .push_bind(c.year)
                .push_bind(o.started_on)
                .push_bind(o.ended_on)
                .push_bind(c.district_code.clone())
                .push_bind(o.measure.code())
                .push_bind(o.form.code())
                .push_bind(o.hukou.code())
                .push_bind(o.category.code())
                .push_bind(i32::from(o.level))
                .push_bind(o.sex.code());
        });
        query
            .build()
            .execute(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
    }};
}

pub(crate) use {insert_counted, retally, tally_apply};

/// Fills `counted_outcomes` and `progress_tally` from the outcomes recorded
/// when they are not built yet (a database from before they existed).
pub(crate) async fn build_if_missing(store: &SqlStore) -> StoreResult<()> {
    let built = with_pool!(store, pool => {
        let row = sqlx::query("SELECT built FROM progress_tally_state WHERE id = 1")
            .fetch_one(pool)
            .await
            .map_err(map_err)?;
        row.flag("built")?
    });
    if built { Ok(()) } else { rebuild(store).await }
}

/// Counts every outcome again and replaces `counted_outcomes` and
/// `progress_tally` with the result, in one transaction. For a database
/// whose outcomes were written without the store (a bulk load), and for
/// the first opening after the tables were added.
pub async fn rebuild(store: &SqlStore) -> StoreResult<()> {
    with_tx!(store, tx => {
        sqlx::query("DELETE FROM counted_outcomes").execute(&mut *tx).await.map_err(map_err)?;
        sqlx::query("DELETE FROM progress_tally").execute(&mut *tx).await.map_err(map_err)?;
        sqlx::query("DELETE FROM progress_tally_by_month").execute(&mut *tx).await.map_err(map_err)?;
        let bounds = sqlx::query("SELECT MIN(person_id) AS low, MAX(person_id) AS high FROM employment_outcomes")
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let mut tally: HashMap<(String, NaiveDate, &'static str, String), i64> = HashMap::new();
        let mut monthly: HashMap<(String, NaiveDate, &'static str, String), i64> = HashMap::new();
        if let (Some(low), Some(high)) = (bounds.opt_i64("low")?, bounds.opt_i64("high")?) {
            let mut from = low;
            while from <= high {
                let to = from.saturating_add(PEOPLE_PER_READ - 1);
                let found = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {} FROM employment_outcomes WHERE person_id >= $1 AND person_id <= $2",
                    crate::outcomes::OUTCOME_COLUMNS
                )))
                .bind(from)
                .bind(to)
                .fetch_all(&mut *tx)
                .await
                .map_err(map_err)?;
                let outcomes = found.iter().map(crate::outcomes::outcome).collect::<StoreResult<Vec<_>>>()?;
                let homes = sqlx::query("SELECT id, district_code, street FROM persons WHERE id >= $1 AND id <= $2")
                    .bind(from)
                    .bind(to)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .iter()
                    .map(|row| Ok((row.i64("id")?, (row.text("district_code")?, row.opt_text("street")?))))
                    .collect::<StoreResult<HashMap<i64, (String, Option<String>)>>>()?;
                let counted: Vec<CountedOutcome> =
                    count_new_employment_between(&outcomes, NaiveDate::MIN, NaiveDate::MAX)
                        .into_iter()
                        .map(as_kept)
                        .collect();
                for c in &counted {
                    let street = homes.get(&c.outcome.person_id).map_or_else(String::new, |(district, street)| {
                        street_of(c, district, street.as_deref())
                    });
                    for (scope, dimension, code) in entries(c, &street) {
                        if by_month(dimension) {
                            *monthly
                                .entry((scope.clone(), month_of(c.outcome.started_on), dimension, code.clone()))
                                .or_default() += 1;
                        }
                        *tally.entry((scope, c.outcome.started_on, dimension, code)).or_default() += 1;
                    }
                }
                for chunk in counted.chunks(BATCH) {
                    insert_counted!(tx, chunk);
                }
                from = to.saturating_add(1);
            }
        }
        for (table, counts) in [("progress_tally (scope, started_on", tally), ("progress_tally_by_month (scope, month", monthly)] {
          let rows: Vec<_> = counts.into_iter().collect();
          for chunk in rows.chunks(BATCH) {
            let mut query = sqlx::QueryBuilder::new(format!(
                "INSERT INTO {table}, dimension, code, n) "
            ));
            query.push_values(chunk, |mut row, ((scope, day, dimension, code), n)| {
                row.push_bind(scope.clone())
                    .push_bind(*day)
                    .push_bind(*dimension)
                    .push_bind(code.clone())
                    .push_bind(*n);
            });
            query.build().execute(&mut *tx).await.map_err(map_err)?;
          }
        }
        sqlx::query("UPDATE progress_tally_state SET built = $1 WHERE id = 1")
            .bind(true)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        Ok(())
    })
}

/// The tally of new employment counted from `from` to `to` (both included),
/// for the city (`None`) or one current district: per day, the people
/// counted and retained; per characteristic, over all those days.
pub(crate) async fn progress_tally(
    store: &SqlStore,
    district: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Tally> {
    let scope = district.unwrap_or_default().to_owned();
    let mut tally = Tally::default();
    with_pool!(store, pool => {
        let days = sqlx::query(
            "SELECT started_on, dimension, code, n FROM progress_tally \
             WHERE scope = $1 AND started_on >= $2 AND started_on <= $3 AND dimension IN ('counted', 'retained')",
        )
        .bind(&scope)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
        for row in &days {
            add_row(&mut tally, Some(row.date("started_on")?), row)?;
        }
        let grouped = grouped_query(&scope, from, to, GroupedKeys::Characteristics)
            .build()
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
        for row in &grouped {
            add_row(&mut tally, None, row)?;
        }
    });
    Ok(tally)
}

/// Which keys [`grouped_query`] sums.
#[derive(Clone, Copy)]
enum GroupedKeys {
    /// Every characteristic but the street.
    Characteristics,
    /// The streets.
    Streets,
}

/// The statement that sums keys of the scope's tally from `from` (the
/// first day of a month: periods the kept counts serve begin on 1 January)
/// to `to`, grouped by dimension and code: whole months from
/// `progress_tally_by_month`, and the days of a month `to` ends inside
/// from `progress_tally`, so a report reads a few thousand rows however
/// long the period.
fn grouped_query<DB: sqlx::Database>(
    scope: &str,
    from: NaiveDate,
    to: NaiveDate,
    keys: GroupedKeys,
) -> sqlx::QueryBuilder<DB>
where
    <DB as sqlx::Database>::Arguments: Default,
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> NaiveDate: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    let after_to = to.succ_opt().unwrap_or(to);
    // The months wholly inside the period, and the days after them.
    let (last_month, days_from) = if after_to.day() == 1 {
        (month_of(to), None)
    } else {
        let first_of_to = month_of(to);
        (
            first_of_to.pred_opt().map_or(first_of_to, month_of),
            Some(first_of_to.max(from)),
        )
    };
    let condition = match keys {
        GroupedKeys::Characteristics => " AND dimension NOT IN ('counted', 'retained', 'street')",
        GroupedKeys::Streets => " AND dimension = 'street'",
    };
    let mut query = sqlx::QueryBuilder::new(
        "SELECT dimension, code, CAST(SUM(n) AS BIGINT) AS n FROM (SELECT dimension, code, n FROM progress_tally_by_month WHERE scope = ",
    );
    query
        .push_bind(scope.to_owned())
        .push(condition)
        .push(" AND month >= ")
        .push_bind(month_of(from))
        .push(" AND month <= ")
        .push_bind(last_month);
    if month_of(from) > last_month {
        query.push(" AND 1 = 0");
    }
    if let Some(days_from) = days_from {
        query
            .push(" UNION ALL SELECT dimension, code, n FROM progress_tally WHERE scope = ")
            .push_bind(scope.to_owned())
            .push(condition)
            .push(" AND started_on >= ")
            .push_bind(days_from)
            .push(" AND started_on <= ")
            .push_bind(to);
    }
    query.push(") AS kept GROUP BY dimension, code");
    query
}

fn add_row(tally: &mut Tally, day: Option<NaiveDate>, row: &impl Columns) -> StoreResult<()> {
    let dimension = row.text("dimension")?;
    let code = row.text("code")?;
    let key = TallyKey::from_codes(&dimension, &code)
        .ok_or_else(|| StoreError::Internal(format!("unknown tally key {dimension}/{code}")))?;
    let n = u32::try_from(row.i64("n")?).map_err(|_| rows::unreadable("n"))?;
    tally.add(day.unwrap_or(NaiveDate::MIN), &key, n);
    Ok(())
}

/// New employment per street of a district, counted from `from` to `to`:
/// each counted person's street as registered today (`""` when none is
/// recorded or the person has since moved to another district).
pub(crate) async fn counted_streets(
    store: &SqlStore,
    district: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<(String, u32)>> {
    with_pool!(store, pool => {
        let found = grouped_query(district, from, to, GroupedKeys::Streets)
            .build()
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
        found
            .iter()
            .map(|row| {
                Ok((
                    row.text("code")?,
                    u32::try_from(row.i64("n")?).map_err(|_| rows::unreadable("n"))?,
                ))
            })
            .collect()
    })
}

/// The bit of `persons.four_ones_done` for a step.
fn step_bit(step: Step) -> i32 {
    match step {
        Step::Check => 1,
        Step::Assessment => 2,
        Step::Need => 4,
        Step::Service => 8,
    }
}

/// Sets `persons.four_ones_done` of the person `$person_id` from their case
/// records, inside `$tx` (the triggers on `persons` then move them in the
/// coverage tally).
macro_rules! refresh_four_ones {
    ($tx:ident, $person_id:expr) => {{
        ::sqlx::query(::sqlx::AssertSqlSafe($crate::tally::refresh_four_ones_sql()))
            .bind($person_id)
            .execute(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
    }};
}

pub(crate) use refresh_four_ones;

/// The statement behind [`refresh_four_ones!`]: each step's bit where the
/// step's record exists, by the work queues' own test of it.
pub(crate) fn refresh_four_ones_sql() -> String {
    let bits: Vec<String> = Step::ALL
        .iter()
        .map(|step| {
            format!(
                "(CASE WHEN {} THEN {} ELSE 0 END)",
                crate::cases::done(*step),
                step_bit(*step)
            )
        })
        .collect();
    format!(
        "UPDATE persons SET four_ones_done = {} WHERE id = $1",
        bits.join(" + ")
    )
}

/// Working age as a range of birth dates for one retirement group, split
/// into the whole months of birth the tally sums and the days at its edges
/// that are read from people.
struct BirthSplit {
    group: RetirementGroup,
    /// First and last month of birth wholly inside the range (first days).
    months: Option<(NaiveDate, NaiveDate)>,
    /// Ranges of birth dates (inclusive) not covered by `months`.
    days: Vec<(NaiveDate, NaiveDate)>,
}

fn split(group: RetirementGroup, earliest: NaiveDate, latest: NaiveDate) -> BirthSplit {
    if earliest > latest {
        return BirthSplit {
            group,
            months: None,
            days: Vec::new(),
        };
    }
    let first_whole = if earliest.day() == 1 {
        earliest
    } else {
        month_of(earliest)
            .checked_add_months(Months::new(1))
            .unwrap_or(NaiveDate::MAX)
    };
    let after_latest = latest.succ_opt().unwrap_or(NaiveDate::MAX);
    let last_whole = if after_latest.day() == 1 {
        month_of(latest)
    } else {
        month_of(latest)
            .checked_sub_months(Months::new(1))
            .unwrap_or(NaiveDate::MIN)
    };
    if first_whole > last_whole {
        return BirthSplit {
            group,
            months: None,
            days: vec![(earliest, latest)],
        };
    }
    let mut days = Vec::new();
    if earliest < first_whole {
        days.push((earliest, first_whole.pred_opt().unwrap_or(first_whole)));
    }
    let after_whole = last_whole
        .checked_add_months(Months::new(1))
        .unwrap_or(NaiveDate::MAX);
    if after_whole <= latest {
        days.push((after_whole, latest));
    }
    BirthSplit {
        group,
        months: Some((first_whole, last_whole)),
        days,
    }
}

/// The "four ones" coverage of the active unemployed people of working age
/// (`birth_ranges`, per retirement group) in the city (`None`) or one
/// district: how many there are, and how many have done each step. Whole
/// months of birth come from `four_ones_tally` (the city's under the
/// district code `""`); the days at the edges of
/// each range from people, through the `persons_four_ones` index.
pub(crate) async fn four_ones_coverage(
    store: &SqlStore,
    district: Option<&str>,
    birth_ranges: &[(RetirementGroup, NaiveDate, NaiveDate)],
) -> StoreResult<(u64, [u64; 4])> {
    let splits: Vec<BirthSplit> = birth_ranges
        .iter()
        .map(|(group, earliest, latest)| split(*group, *earliest, *latest))
        .collect();
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT done_mask AS mask, CAST(SUM(n) AS BIGINT) AS n FROM four_ones_tally WHERE (1 = 0",
        );
        for s in &splits {
            if let Some((first, last)) = s.months {
                query
                    .push(" OR (retirement_group = ")
                    .push_bind(s.group.code())
                    .push(" AND birth_month >= ")
                    .push_bind(first)
                    .push(" AND birth_month <= ")
                    .push_bind(last)
                    .push(")");
            }
        }
        query
            .push(") AND district_code = ")
            .push_bind(district.unwrap_or_default().to_owned());
        query.push(
            " GROUP BY done_mask UNION ALL SELECT four_ones_done AS mask, COUNT(*) AS n FROM persons \
             WHERE active AND employment_status = 'unemployed' AND (1 = 0",
        );
        for s in &splits {
            for (first, last) in &s.days {
                query
                    .push(" OR (retirement_group = ")
                    .push_bind(s.group.code())
                    .push(" AND birth_date >= ")
                    .push_bind(*first)
                    .push(" AND birth_date <= ")
                    .push_bind(*last)
                    .push(")");
            }
        }
        query.push(")");
        if let Some(code) = district {
            query.push(" AND district_code = ").push_bind(code.to_owned());
        }
        query.push(" GROUP BY four_ones_done");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        let mut total = 0_u64;
        let mut done = [0_u64; 4];
        for row in &found {
            let mask = row.i32("mask")?;
            let n = u64::try_from(row.i64("n")?).map_err(|_| rows::unreadable("n"))?;
            total += n;
            for (slot, step) in Step::ALL.iter().enumerate() {
                if mask & step_bit(*step) != 0 {
                    done[slot] += n;
                }
            }
        }
        Ok((total, done))
    })
}
