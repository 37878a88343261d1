//! Employment outcomes.

use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
use ablework_domain::person::Hukou;
use ablework_store::{
    FollowUp, ImportCounts, NewAuditEntry, OutcomeDetails, OutcomeRecord, Recorded, StoreError,
    StoreResult,
};
use chrono::{Datelike, NaiveDate, SubsecRound, Utc};

use crate::rows::{Columns, code};
use crate::tally::{person_years, retally};
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

/// The columns [`outcome`] reads.
pub(crate) const OUTCOME_COLUMNS: &str =
    "person_id, started_on, ended_on, form, measure, district_code, hukou, category, level, sex";

pub(crate) fn outcome(row: &impl Columns) -> StoreResult<Outcome> {
    Ok(Outcome {
        person_id: row.i64("person_id")?,
        started_on: row.date("started_on")?,
        ended_on: row.opt_date("ended_on")?,
        form: code(row, "form", EmploymentForm::from_code)?,
        measure: code(row, "measure", Measure::from_code)?,
        district_code: row.text("district_code")?,
        hukou: code(row, "hukou", Hukou::from_code)?,
        category: code(row, "category", DisabilityCategory::from_code)?,
        level: u8::try_from(row.i32("level")?)
            .map_err(|_| StoreError::Internal("level out of range".to_owned()))?,
        sex: code(row, "sex", Sex::from_code)?,
    })
}

pub(crate) async fn insert(
    store: &SqlStore,
    outcomes: &[Outcome],
    audit: NewAuditEntry,
) -> StoreResult<u64> {
    let now = Utc::now().trunc_subsecs(6);
    with_tx!(store, tx => {
        let mut inserted = 0;
        for item in outcomes {
            inserted += sqlx::query(
                "INSERT INTO employment_outcomes (person_id, started_on, ended_on, form, measure, district_code, hukou, \
                 category, level, sex, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(item.person_id)
            .bind(item.started_on)
            .bind(item.ended_on)
            .bind(item.form.code())
            .bind(item.measure.code())
            .bind(&item.district_code)
            .bind(item.hukou.code())
            .bind(item.category.code())
            .bind(i32::from(item.level))
            .bind(item.sex.code())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?
            .rows_affected();
        }
        retally!(tx, &person_years(outcomes));
        let mut audit = audit;
        if let Some(detail) = audit.detail.as_object_mut() {
            detail.insert("inserted".to_owned(), inserted.into());
        }
        append_audit!(tx, audit);
        Ok(inserted)
    })
}

pub(crate) async fn between(
    store: &SqlStore,
    start: NaiveDate,
    end: NaiveDate,
    district_code: Option<&str>,
) -> StoreResult<Vec<Outcome>> {
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT person_id, started_on, ended_on, form, measure, district_code, hukou, category, level, sex \
             FROM employment_outcomes WHERE started_on >= ",
        );
        query.push_bind(start).push(" AND started_on <= ").push_bind(end);
        if let Some(code) = district_code {
            query.push(" AND district_code = ").push_bind(code.to_owned());
        }
        query.push(" ORDER BY person_id, started_on, id");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        found.iter().map(outcome).collect()
    })
}

fn follow_up(row: &impl Columns) -> StoreResult<(i64, FollowUp)> {
    Ok((
        row.i64("outcome_id")?,
        FollowUp {
            after_months: u8::try_from(row.i32("after_months")?)
                .map_err(|_| StoreError::Internal("after_months out of range".to_owned()))?,
            checked_on: row.date("checked_on")?,
            still_employed: row.flag("still_employed")?,
            note: row.opt_text("note")?,
            recorded: Recorded {
                user_id: row.opt_i64("user_id")?,
                username: row.opt_text("username")?,
                at: row.time("at")?,
            },
        },
    ))
}

/// Records one outcome inside the transaction `$tx` and evaluates to its
/// id: the row, the progress counts kept beside it (ADR 0002) and the
/// person marked employed. Every path that records an outcome — an
/// officer on the case ([`record`]) and a hire on an application — runs
/// this, so the counts cannot drift from the rows.
macro_rules! record_outcome_in {
    ($tx:ident, $item:expr, $details:expr, $recorded:expr) => {{
        let item: &::ablework_domain::outcome::Outcome = $item;
        let details: &::ablework_store::OutcomeDetails = $details;
        let recorded: &::ablework_store::Recorded = $recorded;
        let row = sqlx::query(
            "INSERT INTO employment_outcomes (person_id, started_on, ended_on, form, measure, district_code, hukou, \
             category, level, sex, created_at, employer_id, contract_months, monthly_wage, insured, user_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(item.person_id)
        .bind(item.started_on)
        .bind(item.ended_on)
        .bind(item.form.code())
        .bind(item.measure.code())
        .bind(&item.district_code)
        .bind(item.hukou.code())
        .bind(item.category.code())
        .bind(i32::from(item.level))
        .bind(item.sex.code())
        .bind(recorded.at)
        .bind(details.employer_id)
        .bind(details.contract_months)
        .bind(details.monthly_wage)
        .bind(details.insured)
        .bind(recorded.user_id)
        .fetch_one(&mut *$tx)
        .await
        .map_err($crate::map_err)?;
        let id = $crate::rows::Columns::i64(&row, "id")?;
        $crate::tally::retally!($tx, &$crate::tally::person_years([item]));
        sqlx::query("UPDATE persons SET employment_status = 'employed', updated_at = $1 WHERE id = $2")
            .bind(recorded.at)
            .bind(item.person_id)
            .execute(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
        id
    }};
}

pub(crate) use record_outcome_in;

pub(crate) async fn record(
    store: &SqlStore,
    item: &Outcome,
    details: &OutcomeDetails,
    recorded: &Recorded,
    audit: NewAuditEntry,
) -> StoreResult<i64> {
    with_tx!(store, tx => {
        let id = record_outcome_in!(tx, item, details, recorded);
        append_audit!(tx, audit.with_entity_id(item.person_id).with_detail(serde_json::json!({ "outcome": id })));
        Ok(id)
    })
}

pub(crate) async fn of_person(store: &SqlStore, person_id: i64) -> StoreResult<Vec<OutcomeRecord>> {
    of_persons(store, &[person_id]).await
}

/// Binds a list of ids, comma-separated, for an `IN (…)`.
fn push_ids<DB: sqlx::Database>(query: &mut sqlx::QueryBuilder<DB>, ids: &[i64])
where
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let mut separated = query.separated(", ");
    for id in ids {
        separated.push_bind(*id);
    }
}

pub(crate) async fn of_persons(
    store: &SqlStore,
    person_ids: &[i64],
) -> StoreResult<Vec<OutcomeRecord>> {
    if person_ids.is_empty() {
        return Ok(Vec::new());
    }
    with_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT o.id, o.person_id, o.started_on, o.ended_on, o.form, o.measure, o.district_code, o.hukou, \
             o.category, o.level, o.sex, o.employer_id, e.name AS employer_name, o.contract_months, o.monthly_wage, \
             o.insured, o.user_id, u.username, o.created_at AS at \
             FROM employment_outcomes o LEFT JOIN employers e ON e.id = o.employer_id \
             LEFT JOIN users u ON u.id = o.user_id WHERE o.person_id IN (",
        );
        push_ids(&mut query, person_ids);
        query.push(") ORDER BY o.person_id, o.started_on DESC, o.id DESC");
        let found = query.build().fetch_all(pool).await.map_err(map_err)?;
        let mut query = sqlx::QueryBuilder::new(
            "SELECT f.outcome_id, f.after_months, f.checked_on, f.still_employed, f.note, f.user_id, u.username, f.at \
             FROM outcome_follow_ups f JOIN employment_outcomes o ON o.id = f.outcome_id \
             LEFT JOIN users u ON u.id = f.user_id WHERE o.person_id IN (",
        );
        push_ids(&mut query, person_ids);
        query.push(") ORDER BY f.after_months");
        let follow_ups = query.build().fetch_all(pool).await.map_err(map_err)?;
        let follow_ups = follow_ups.iter().map(follow_up).collect::<StoreResult<Vec<_>>>()?;
        found
            .iter()
            .map(|row| {
                let id = row.i64("id")?;
                let user_id = row.opt_i64("user_id")?;
                Ok(OutcomeRecord {
                    id,
                    outcome: outcome(row)?,
                    details: OutcomeDetails {
                        employer_id: row.opt_i64("employer_id")?,
                        contract_months: row.opt_i32("contract_months")?,
                        monthly_wage: row.opt_i32("monthly_wage")?,
                        insured: row.opt_flag("insured")?,
                    },
                    employer_name: row.opt_text("employer_name")?,
                    recorded: user_id.map(|_| -> StoreResult<Recorded> {
                        Ok(Recorded { user_id, username: row.opt_text("username")?, at: row.time("at")? })
                    }).transpose()?,
                    follow_ups: follow_ups.iter().filter(|(o, _)| *o == id).map(|(_, f)| f.clone()).collect(),
                })
            })
            .collect()
    })
}

pub(crate) async fn record_follow_up(
    store: &SqlStore,
    outcome_id: i64,
    item: &FollowUp,
    audit: NewAuditEntry,
) -> StoreResult<()> {
    with_tx!(store, tx => {
        let owner = sqlx::query("SELECT person_id, started_on FROM employment_outcomes WHERE id = $1")
            .bind(outcome_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        let person_id = owner.i64("person_id")?;
        sqlx::query(
            "INSERT INTO outcome_follow_ups (outcome_id, after_months, checked_on, still_employed, note, user_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(outcome_id)
        .bind(i32::from(item.after_months))
        .bind(item.checked_on)
        .bind(item.still_employed)
        .bind(&item.note)
        .bind(item.recorded.user_id)
        .bind(item.recorded.at)
        .execute(&mut *tx)
        .await
        .map_err(|e| match map_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict("follow_up_recorded".to_owned()),
            other => other,
        })?;
        if !item.still_employed {
            sqlx::query("UPDATE employment_outcomes SET ended_on = $1 WHERE id = $2 AND ended_on IS NULL")
                .bind(item.checked_on)
                .bind(outcome_id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            let started_on = owner.date("started_on")?;
            retally!(tx, &[(person_id, started_on.year())].into_iter().collect());
            sqlx::query("UPDATE persons SET employment_status = 'unemployed', updated_at = $1 WHERE id = $2")
                .bind(item.recorded.at)
                .bind(person_id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        append_audit!(tx, audit.with_entity_id(person_id).with_detail(serde_json::json!({ "outcome": outcome_id, "after_months": item.after_months })));
        Ok(())
    })
}

pub(crate) async fn apply_batch(
    store: &SqlStore,
    inserts: &[(Outcome, OutcomeDetails)],
    updates: &[(i64, Outcome, OutcomeDetails)],
    recorded: &Recorded,
    audit: NewAuditEntry,
) -> StoreResult<ImportCounts> {
    with_tx!(store, tx => {
        let mut counts = ImportCounts::default();
        for (item, details) in inserts {
            record_outcome_in!(tx, item, details, recorded);
            counts.inserted += 1;
        }
        for (id, item, details) in updates {
            counts.updated += sqlx::query(
                "UPDATE employment_outcomes SET form = $1, measure = $2, employer_id = $3, contract_months = $4, \
                 monthly_wage = $5, insured = $6 WHERE id = $7",
            )
            .bind(item.form.code())
            .bind(item.measure.code())
            .bind(details.employer_id)
            .bind(details.contract_months)
            .bind(details.monthly_wage)
            .bind(details.insured)
            .bind(*id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?
            .rows_affected();
        }
        // The form and measure credited may have changed: recount each
        // person's year.
        retally!(tx, &person_years(updates.iter().map(|(_, item, _)| item)));
        append_audit!(tx, crate::with_counts(audit, counts));
        Ok(counts)
    })
}
