//! Conformance checks of the import batches of employers, job postings and
//! employment outcomes: look-ups by natural key, inserts and updates in one
//! transaction with one audit entry, all or nothing.

use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::levy::EmployerKind;
use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
use ablework_domain::person::{EmploymentStatus, Hukou};
use ablework_domain::progress::{Tally, count_new_employment_between};
use chrono::NaiveDate;

use super::postings::{fields as posting, logged};
use super::{at, audit, employer, person, recorded, stored_people};
use crate::{ImportCounts, OutcomeDetails, PersonFilter, PersonScope, Store, StoreError};

fn counts(inserted: u64, updated: u64) -> ImportCounts {
    ImportCounts { inserted, updated }
}

pub async fn employer_batches_insert_update_and_are_all_or_nothing(store: &dyn Store) {
    let first = employer(1, "甲公司", EmployerKind::Enterprise, "120101");
    let second = employer(2, "乙中学", EmployerKind::Institution, "120102");
    let done = store
        .apply_employer_batch(
            &[first.clone(), second.clone()],
            &[],
            at(1),
            audit("employer.import"),
        )
        .await
        .unwrap();
    assert_eq!(done, counts(2, 0));
    let codes = vec![
        first.credit_code.clone(),
        second.credit_code.clone(),
        "91120101MA9999999X".to_owned(),
    ];
    let mut found = store.employers_by_credit_codes(&codes).await.unwrap();
    found.sort_by(|a, b| a.fields.credit_code.cmp(&b.fields.credit_code));
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].fields, first);
    assert_eq!(found[1].fields, second);
    assert!(
        store
            .employers_by_credit_codes(&[])
            .await
            .unwrap()
            .is_empty()
    );

    let mut renamed = first.clone();
    "甲公司（新）".clone_into(&mut renamed.name);
    renamed.staff = 120;
    let third = employer(3, "丙公司", EmployerKind::Enterprise, "120103");
    let done = store
        .apply_employer_batch(
            std::slice::from_ref(&third),
            &[(found[0].id, renamed.clone())],
            at(2),
            audit("employer.import"),
        )
        .await
        .unwrap();
    assert_eq!(done, counts(1, 1));
    let changed = store
        .employer_by_credit_code(&first.credit_code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed.fields, renamed);
    assert_eq!(changed.created_at, found[0].created_at);

    // A credit code registered already fails the batch, and none of it is
    // written.
    let fourth = employer(4, "丁公司", EmployerKind::Enterprise, "120101");
    let refused = store
        .apply_employer_batch(
            &[fourth.clone(), third],
            &[],
            at(3),
            audit("employer.import"),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    assert!(
        store
            .employer_by_credit_code(&fourth.credit_code)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        logged(store, "employer.import").await,
        2,
        "one entry per committed batch"
    );
}

pub async fn posting_batches_insert_and_update_by_id(store: &dyn Store) {
    let company = store
        .create_employer(
            employer(1, "甲公司", EmployerKind::Enterprise, "120101"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    let other = store
        .create_employer(
            employer(2, "乙公司", EmployerKind::Enterprise, "120102"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    let clerk = posting(company.id, "文员", "120101", 4000);
    let packer = posting(company.id, "包装工", "120101", 3800);
    let elsewhere = posting(other.id, "文员", "120102", 4100);
    let done = store
        .apply_posting_batch(
            &[clerk.clone(), packer.clone(), elsewhere],
            &[],
            at(1),
            audit("job.import"),
        )
        .await
        .unwrap();
    assert_eq!(done, counts(3, 0));
    let found = store
        .job_postings_of_employers(&[company.id])
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].fields, clerk);
    assert_eq!(found[1].fields, packer);
    assert!(found.iter().all(|posting| posting.open));
    assert_eq!(
        store
            .job_postings_of_employers(&[company.id, other.id])
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(
        store
            .job_postings_of_employers(&[])
            .await
            .unwrap()
            .is_empty()
    );

    let mut paid_more = clerk.clone();
    paid_more.monthly_wage = 4500;
    paid_more.posts = 2;
    let done = store
        .apply_posting_batch(
            &[],
            &[(found[0].id, paid_more.clone())],
            at(2),
            audit("job.import"),
        )
        .await
        .unwrap();
    assert_eq!(done, counts(0, 1));
    let changed = store
        .job_postings_of_employers(&[company.id])
        .await
        .unwrap()
        .remove(0);
    assert_eq!(changed.fields, paid_more);
    assert!(changed.open);
    assert_eq!(changed.created_at, found[0].created_at);
    assert_eq!(logged(store, "job.import").await, 2);
}

pub async fn outcome_batches_record_update_and_keep_the_tally(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(2, "李四", "120102")],
    )
    .await;
    let company = store
        .create_employer(
            employer(1, "甲公司", EmployerKind::Enterprise, "120101"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let outcome = |person_id: i64, started_on: NaiveDate, measure: Measure| Outcome {
        person_id,
        started_on,
        ended_on: None,
        form: EmploymentForm::Quota,
        measure,
        district_code: "120101".to_owned(),
        hukou: Hukou::Urban,
        category: DisabilityCategory::Physical,
        level: 3,
        sex: Sex::Male,
    };
    let with_employer = OutcomeDetails {
        employer_id: Some(company.id),
        contract_months: Some(12),
        monthly_wage: Some(4000),
        insured: Some(true),
    };
    let first = outcome(ids[0], day(2024, 3, 1), Measure::PrivateEnterprises);
    let second = outcome(ids[1], day(2024, 5, 1), Measure::EmploymentService);
    let done = store
        .apply_outcome_batch(
            &[
                (first.clone(), with_employer.clone()),
                (second.clone(), OutcomeDetails::default()),
            ],
            &[],
            &recorded(1),
            audit("outcome.import"),
        )
        .await
        .unwrap();
    assert_eq!(done, counts(2, 0));
    let people = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap()
        .items;
    assert!(
        people
            .iter()
            .all(|p| p.employment_status == EmploymentStatus::Employed)
    );
    let found = store.outcomes_of_persons(&ids).await.unwrap();
    assert_eq!(found.len(), 2);
    let stored_first = found.iter().find(|o| o.outcome == first).unwrap();
    assert_eq!(stored_first.details, with_employer);
    assert_eq!(stored_first.employer_name.as_deref(), Some("甲公司"));
    assert!(store.outcomes_of_persons(&[]).await.unwrap().is_empty());

    // Crediting another measure moves the kept counts with it.
    let mut changed = first.clone();
    changed.measure = Measure::StateEnterprises;
    changed.form = EmploymentForm::Flexible;
    let fewer = OutcomeDetails {
        insured: Some(false),
        ..with_employer
    };
    let done = store
        .apply_outcome_batch(
            &[],
            &[(stored_first.id, changed.clone(), fewer.clone())],
            &recorded(2),
            audit("outcome.import"),
        )
        .await
        .unwrap();
    assert_eq!(done, counts(0, 1));
    let again = store.outcomes_of_persons(&ids[..1]).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].outcome, changed);
    assert_eq!(again[0].details, fewer);
    let (from, to) = (day(2024, 1, 1), day(2024, 12, 31));
    let all = store.outcomes_between(from, to, None).await.unwrap();
    assert_eq!(
        store.progress_tally(None, from, to).await.unwrap(),
        Tally::of(&count_new_employment_between(&all, from, to))
    );
    assert_eq!(logged(store, "outcome.import").await, 2);
}
