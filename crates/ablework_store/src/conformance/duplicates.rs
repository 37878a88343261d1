//! Conformance checks of the duplicate review: candidate pairs within
//! scope, dismissals, and a merge whose undo restores both records exactly.

use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
use ablework_domain::person::Hukou;
use ablework_domain::progress::{Tally, count_new_employment_between};

use super::applications::{day, logged, posting, step};
use super::graduates::fields;
use super::{
    a_check, a_consent, a_need, a_service, an_assessment, at, audit, person, stored_people,
};
use crate::{
    ApplicationRecord, CaseFile, NewApplication, OutcomeDetails, OutcomeRecord, PersonRecord,
    PersonScope, Store, StoreError, StudentRecord,
};

fn pair_ids(pairs: &[(PersonRecord, PersonRecord)]) -> Vec<(i64, i64)> {
    pairs.iter().map(|(a, b)| (a.id, b.id)).collect()
}

/// Same name and birth date in one district, and the same phone number
/// across districts, are candidates; a district sees only pairs wholly
/// inside it; a dismissed pair is not listed again.
pub async fn duplicates_are_found_within_scope_and_dismissed(store: &dyn Store) {
    let mut with_phone = person(2, "王五", "120101");
    with_phone.phone_masked = Some("138****1234".to_owned());
    with_phone.phone_hash = Some("phone-hash-1".to_owned());
    let mut same_phone = person(5, "赵六", "120102");
    same_phone.phone_masked = Some("138****1234".to_owned());
    same_phone.phone_hash = Some("phone-hash-1".to_owned());
    let ids = stored_people(
        store,
        &[
            person(1, "张三", "120101"),
            with_phone,
            same_phone,
            // Same name, district and birth date (1981-01-01) as the first.
            person(21, "张三", "120101"),
            // Same birth date, another district.
            person(41, "张三", "120102"),
        ],
    )
    .await;
    let all = store
        .duplicate_candidates(&PersonScope::All, 100)
        .await
        .unwrap();
    assert_eq!(pair_ids(&all), [(ids[0], ids[3]), (ids[1], ids[2])]);
    let district = PersonScope::District("120101".to_owned());
    let local = store.duplicate_candidates(&district, 100).await.unwrap();
    assert_eq!(pair_ids(&local), [(ids[0], ids[3])]);
    let other = PersonScope::District("120103".to_owned());
    assert!(
        store
            .duplicate_candidates(&other, 100)
            .await
            .unwrap()
            .is_empty()
    );

    let outside = store
        .dismiss_pair(ids[1], ids[2], &district, audit("person.duplicate_dismiss"))
        .await;
    assert!(matches!(outside, Err(StoreError::NotFound)), "{outside:?}");
    store
        .dismiss_pair(ids[3], ids[0], &district, audit("person.duplicate_dismiss"))
        .await
        .unwrap();
    let again = store
        .dismiss_pair(ids[0], ids[3], &district, audit("person.duplicate_dismiss"))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref rule)) if rule == "pair_reviewed"),
        "{again:?}"
    );
    assert_eq!(logged(store, "person.duplicate_dismiss").await, 1);
    let all = store
        .duplicate_candidates(&PersonScope::All, 100)
        .await
        .unwrap();
    assert_eq!(pair_ids(&all), [(ids[1], ids[2])]);
}

/// Phone numbers stored without their look-up hash are found, and once
/// hashed (audited) they are not found again.
pub async fn older_phones_are_found_and_hashed(store: &dyn Store) {
    let mut unhashed = person(1, "张三", "120101");
    unhashed.phone_enc = Some(vec![9, 9]);
    unhashed.phone_masked = Some("138****1234".to_owned());
    let mut hashed = person(2, "李四", "120101");
    hashed.phone_enc = Some(vec![8, 8]);
    hashed.phone_hash = Some("phone-hash-2".to_owned());
    let ids = stored_people(store, &[unhashed, hashed, person(3, "王五", "120101")]).await;
    let found = store.persons_with_unhashed_phones(10).await.unwrap();
    assert_eq!(found, [(ids[0], vec![9, 9])]);
    store
        .set_phone_hashes(
            &[(ids[0], "phone-hash-2".to_owned())],
            audit("person.phone_hash_backfill"),
        )
        .await
        .unwrap();
    assert!(
        store
            .persons_with_unhashed_phones(10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(logged(store, "person.phone_hash_backfill").await, 1);
    let pairs = store
        .duplicate_candidates(&PersonScope::All, 10)
        .await
        .unwrap();
    assert_eq!(pair_ids(&pairs), [(ids[0], ids[1])]);
}

/// Everything the store holds about one person.
#[derive(Debug, PartialEq, Eq)]
struct Whole {
    person: PersonRecord,
    case: CaseFile,
    outcomes: Vec<OutcomeRecord>,
    applications: Vec<ApplicationRecord>,
    student: Option<StudentRecord>,
}

async fn whole(store: &dyn Store, id: i64) -> Whole {
    Whole {
        person: store
            .persons_by_ids(&[id], &PersonScope::All)
            .await
            .unwrap()
            .remove(0),
        case: store.case_file(id).await.unwrap(),
        outcomes: store.outcomes_of(id).await.unwrap(),
        applications: store.applications_of_person(id).await.unwrap(),
        student: store.student_of_person(id).await.unwrap(),
    }
}

fn outcome(person_id: i64, started_on: chrono::NaiveDate, measure: Measure) -> Outcome {
    Outcome {
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
    }
}

async fn kept_tally(store: &dyn Store) -> (Tally, Tally) {
    let from = day(2022, 1, 1);
    let to = day(2024, 12, 31);
    let all = store.outcomes_between(from, to, None).await.unwrap();
    let counted = Tally::of(&count_new_employment_between(&all, from, to));
    (store.progress_tally(None, from, to).await.unwrap(), counted)
}

/// Two records of one person, each with its own histories; their ids.
async fn two_histories(store: &dyn Store) -> (i64, i64) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(21, "张三", "120101")],
    )
    .await;
    let (kept, merged) = (ids[0], ids[1]);
    // The kept record: a check and an outcome in 2023.
    store
        .add_check(&a_check(kept, 3), audit("case.check"))
        .await
        .unwrap();
    store
        .record_outcome(
            &outcome(kept, day(2023, 6, 1), Measure::EmploymentService),
            &OutcomeDetails::default(),
            &super::recorded(1),
            audit("outcome.record"),
        )
        .await
        .unwrap();
    // The merged record: a whole case, an earlier outcome in 2023 (which
    // becomes the one counted) and one in 2024, an application, a student.
    store
        .add_check(&a_check(merged, 4), audit("case.check"))
        .await
        .unwrap();
    store
        .add_assessment(&an_assessment(merged), audit("case.assess"))
        .await
        .unwrap();
    store
        .add_need(&a_need(merged), audit("case.need"))
        .await
        .unwrap();
    store
        .add_service(&a_service(merged), audit("case.service"))
        .await
        .unwrap();
    store
        .add_consent(&a_consent(merged, true), audit("case.consent"))
        .await
        .unwrap();
    store
        .insert_outcomes(
            &[
                outcome(merged, day(2023, 2, 1), Measure::Training),
                outcome(merged, day(2024, 3, 1), Measure::EmploymentService),
            ],
            audit("outcome.import"),
        )
        .await
        .unwrap();
    let (posting_id, _) = posting(store, 1).await;
    store
        .create_application(
            &NewApplication {
                person_id: merged,
                posting_id,
                fair_id: None,
                first: step(
                    ablework_domain::application::ApplicationStatus::Applied,
                    day(2024, 6, 1),
                    1,
                ),
            },
            audit("application.create"),
        )
        .await
        .unwrap();
    store
        .create_student(
            merged,
            &fields(day(2025, 6, 30)),
            at(1),
            audit("graduate.enrol"),
        )
        .await
        .unwrap();

    (kept, merged)
}

/// A merge out of scope, or of a person with themself, changes nothing.
async fn refusals_change_nothing(
    store: &dyn Store,
    kept: i64,
    merged: i64,
    before: &(Whole, Whole),
) {
    let district = PersonScope::District("120101".to_owned());
    let outside = store
        .merge_persons(
            kept,
            merged,
            &PersonScope::District("120102".to_owned()),
            audit("person.merge"),
        )
        .await;
    assert!(matches!(outside, Err(StoreError::NotFound)), "{outside:?}");
    let itself = store
        .merge_persons(kept, kept, &district, audit("person.merge"))
        .await;
    assert!(matches!(itself, Err(StoreError::Conflict(_))), "{itself:?}");
    assert_eq!(
        (whole(store, kept).await, whole(store, merged).await),
        *before
    );
}

/// Merge then undo restores both records exactly: the survivor holds both
/// histories while merged (the progress counts still right), the other is
/// inactive; the undo moves exactly those rows back.
pub async fn merge_then_undo_restores_both_records_exactly(store: &dyn Store) {
    let (kept, merged) = two_histories(store).await;
    let before = (whole(store, kept).await, whole(store, merged).await);
    let (tally_before, counted) = kept_tally(store).await;
    assert_eq!(tally_before, counted);

    let district = PersonScope::District("120101".to_owned());
    refusals_change_nothing(store, kept, merged, &before).await;
    let merge = store
        .merge_persons(kept, merged, &district, audit("person.merge"))
        .await
        .unwrap();
    assert_eq!((merge.kept_id, merge.merged_id), (kept, merged));
    assert!(merge.merged_active);
    assert_eq!(merge.moved["employment_outcomes"].len(), 2);
    assert_eq!(merge.moved["students"].len(), 1);
    let survivor = whole(store, kept).await;
    let gone = whole(store, merged).await;
    assert_eq!(survivor.outcomes.len(), 3);
    assert_eq!(survivor.case.checks.len(), 2);
    assert_eq!(survivor.case.assessments.len(), 1);
    assert_eq!(survivor.case.needs.len(), 1);
    assert_eq!(survivor.case.services.len(), 1);
    assert_eq!(survivor.case.consents.len(), 1);
    assert_eq!(survivor.applications.len(), 1);
    assert!(survivor.student.is_some());
    assert!(survivor.person.active);
    assert!(!gone.person.active);
    assert_eq!(gone.case, CaseFile::default());
    assert!(gone.outcomes.is_empty() && gone.applications.is_empty() && gone.student.is_none());
    let (tally, counted) = kept_tally(store).await;
    assert_eq!(tally, counted, "the kept counts follow the moved outcomes");
    assert!(
        store
            .duplicate_candidates(&PersonScope::All, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.person_merges(&district, true).await.unwrap(),
        std::slice::from_ref(&merge)
    );
    let again = store
        .merge_persons(kept, merged, &district, audit("person.merge"))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref rule)) if rule == "person_inactive"),
        "{again:?}"
    );

    let outside = store
        .undo_merge(
            merge.id,
            &PersonScope::District("120102".to_owned()),
            audit("person.merge_undo"),
        )
        .await;
    assert!(matches!(outside, Err(StoreError::NotFound)), "{outside:?}");
    let undone = store
        .undo_merge(merge.id, &district, audit("person.merge_undo"))
        .await
        .unwrap();
    assert_eq!(undone.moved, merge.moved);
    assert!(undone.undone_at.is_some());
    assert_eq!(
        (whole(store, kept).await, whole(store, merged).await),
        before
    );
    assert_eq!(kept_tally(store).await.0, tally_before);
    let twice = store
        .undo_merge(merge.id, &district, audit("person.merge_undo"))
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict(ref rule)) if rule == "merge_undone"),
        "{twice:?}"
    );
    assert!(
        store
            .person_merges(&district, true)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        pair_ids(
            &store
                .duplicate_candidates(&PersonScope::All, 100)
                .await
                .unwrap()
        ),
        [(kept, merged)]
    );
    assert_eq!(logged(store, "person.merge").await, 1);
    assert_eq!(logged(store, "person.merge_undo").await, 1);
}
