//! Concurrent writers on the programmes' checks: joins racing for the last
//! places, draws racing for the rest of a limit, placements of one
//! participation and joins of one person race, and on both engines exactly
//! as many win as the rules allow.

#![expect(clippy::unwrap_used, reason = "a test: a panic is the failure report")]

use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
use ablework_domain::person::Hukou;
use ablework_domain::programme::{Activity, ActivityKind, Role, Unit, UnitKind};
use ablework_store::conformance::person;
use ablework_store::{
    NewAuditEntry, NewDraw, NewParticipant, OutcomeDetails, PersonFilter, PersonScope, Recorded,
    Store, StoreError, StoreResult,
};
use ablework_store_sql::SqlStore;
use ablework_store_sql::testing::{fresh_postgres, fresh_sqlite};
use chrono::{NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use tokio::task::JoinSet;

const RACERS: u32 = 8;

fn audit(action: &str) -> NewAuditEntry {
    let at = Utc.with_ymd_and_hms(2024, 6, 30, 8, 0, 0).unwrap();
    NewAuditEntry::new(at, None, "race", action, "test")
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, d).unwrap()
}

fn unit(kind: UnitKind, name: &str) -> Unit {
    Unit {
        kind,
        name: name.to_owned(),
        district_code: "120101".to_owned(),
        capacity: None,
        accreditation: None,
        compliant: false,
        reviewed_on: None,
        pilot: false,
        sector: None,
        brands: Vec::new(),
        note: None,
    }
}

fn activity(kind: ActivityKind, title: &str, limit: Option<Decimal>) -> Activity {
    Activity {
        kind,
        title: title.to_owned(),
        district_code: "120101".to_owned(),
        starts_on: day(1),
        ends_on: None,
        capacity: None,
        limit,
        unit_price: None,
        occupation: None,
        mode: None,
        schedule: None,
        provisions: Vec::new(),
        source: None,
        scope: None,
    }
}

fn joining(unit_id: i64, activity_id: i64, person_id: i64) -> NewParticipant {
    NewParticipant {
        unit_id,
        activity_id: Some(activity_id),
        person_id,
        role: Role::Trainee,
        joined_on: day(2),
        monthly_income: None,
        income_before: None,
        service_id: None,
        at: Utc::now(),
    }
}

/// Runs `RACERS` copies of `race` at once, each with its number, and sorts
/// the outcomes into wins and the conflicts' rules.
async fn race<F, Fut, T>(store: &SqlStore, runner: F) -> (usize, Vec<String>)
where
    F: Fn(SqlStore, u32) -> Fut,
    Fut: Future<Output = StoreResult<T>> + Send + 'static,
    T: Send + 'static,
{
    let mut tasks = JoinSet::new();
    for n in 0..RACERS {
        tasks.spawn(runner(store.clone(), n));
    }
    let mut wins = 0;
    let mut refusals = Vec::new();
    while let Some(done) = tasks.join_next().await {
        match done.unwrap() {
            Ok(_) => wins += 1,
            Err(StoreError::Conflict(rule)) => refusals.push(rule),
            Err(other) => refusals.push(format!("unexpected: {other:?}")),
        }
    }
    (wins, refusals)
}

fn all(rule: &str, count: usize) -> Vec<String> {
    vec![rule.to_owned(); count]
}

#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
async fn racing_writers_keep_every_limit(store: &SqlStore) {
    let people: Vec<_> = (0..RACERS)
        .map(|n| person(n + 1, "张三", "120101"))
        .collect();
    store
        .insert_persons(&people, audit("person.import"))
        .await
        .unwrap();
    let mut filter = PersonFilter::new(PersonScope::All);
    filter.per_page = 100;
    let ids: Vec<i64> = store
        .list_persons(&filter)
        .await
        .unwrap()
        .items
        .iter()
        .map(|p| p.id)
        .collect();
    let at = Utc::now();
    let base = store
        .create_unit(&unit(UnitKind::TrainingBase, "培训基地"), at, audit("unit"))
        .await
        .unwrap();
    let course = store
        .create_activity(
            Some(base.id),
            &activity(ActivityKind::Course, "课程", None),
            at,
            audit("activity"),
        )
        .await
        .unwrap();

    // Eight people race for three places.
    let (unit_id, course_id) = (base.id, course.id);
    let people = ids.clone();
    let (wins, refusals) = race(store, move |store, n| {
        let new = joining(unit_id, course_id, people[n as usize]);
        async move { store.join_programme(&new, Some(3), audit("join")).await }
    })
    .await;
    assert_eq!((wins, refusals), (3, all("capacity_full", 5)));
    assert_eq!(
        store
            .participants(base.id, Some(course.id))
            .await
            .unwrap()
            .len(),
        3
    );

    // One person joins another course eight times at once.
    let other = store
        .create_activity(
            Some(base.id),
            &activity(ActivityKind::Course, "另一课程", None),
            at,
            audit("activity"),
        )
        .await
        .unwrap();
    let (other_id, someone) = (other.id, ids[0]);
    let (wins, refusals) = race(store, move |store, _| {
        let new = joining(unit_id, other_id, someone);
        async move { store.join_programme(&new, None, audit("join")).await }
    })
    .await;
    assert_eq!((wins, refusals), (1, all("participant_exists", 7)));

    // Eight draws of 30 race for a limit of 100.
    let foundation = store
        .create_unit(
            &unit(UnitKind::WelfareFoundation, "基金会"),
            at,
            audit("unit"),
        )
        .await
        .unwrap();
    let limit = Decimal::from(100);
    let fund = store
        .create_activity(
            Some(foundation.id),
            &activity(ActivityKind::Fund, "基金", Some(limit)),
            at,
            audit("activity"),
        )
        .await
        .unwrap();
    let (fund_id, people) = (fund.id, ids.clone());
    let (wins, refusals) = race(store, move |store, n| {
        let new = NewDraw {
            activity_id: fund_id,
            amount: Decimal::from(30),
            on_date: day(3),
            until: None,
            unit_id: None,
            person_id: Some(people[n as usize]),
            purpose: None,
            note: None,
            at: Utc::now(),
        };
        async move {
            store
                .draw_on_activity(&new, Some(limit), audit("draw"))
                .await
        }
    })
    .await;
    assert_eq!((wins, refusals), (3, all("over_limit", 5)));
    let drawn: Decimal = store
        .draws(fund.id)
        .await
        .unwrap()
        .iter()
        .map(|d| d.amount)
        .sum();
    assert_eq!(drawn, Decimal::from(90));

    // One participation placed eight times at once.
    let joined = store.participants(base.id, Some(course.id)).await.unwrap();
    let (participant_id, person_id) = (joined[0].id, joined[0].person_id);
    let (wins, refusals) = race(store, move |store, n| {
        let outcome = Outcome {
            person_id,
            started_on: day(10 + n),
            ended_on: None,
            form: EmploymentForm::Quota,
            measure: Measure::Training,
            district_code: "120101".to_owned(),
            hukou: Hukou::Urban,
            category: DisabilityCategory::Physical,
            level: 3,
            sex: Sex::Male,
        };
        let recorded = Recorded {
            user_id: None,
            username: None,
            at: Utc::now(),
        };
        async move {
            store
                .place_participant(
                    participant_id,
                    &outcome,
                    &OutcomeDetails::default(),
                    &recorded,
                    audit("place"),
                )
                .await
        }
    })
    .await;
    assert_eq!((wins, refusals), (1, all("already_placed", 7)));
    assert_eq!(store.outcomes_of(person_id).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_writers_keep_every_limit_on_sqlite() {
    let Some(store) = fresh_sqlite().await else {
        return;
    };
    racing_writers_keep_every_limit(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_writers_keep_every_limit_on_postgres() {
    let Some(store) = fresh_postgres().await else {
        return;
    };
    racing_writers_keep_every_limit(&store).await;
}
