//! Employment outcomes.

use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
use ablework_domain::person::Hukou;
use ablework_store::{NewAuditEntry, StoreError, StoreResult};
use chrono::{NaiveDate, SubsecRound, Utc};

use crate::rows::Columns;
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

fn code<T>(row: &impl Columns, column: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    let value = row.text(column)?;
    parse(&value).ok_or_else(|| {
        StoreError::Internal(format!("column {column} holds an unknown value {value:?}"))
    })
}

fn outcome(row: &impl Columns) -> StoreResult<Outcome> {
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
