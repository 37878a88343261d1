//! Conformance checks of the programmes: units and activities round trip
//! and are read, listed and changed only within scope (a district's, a
//! unit's); a person joins a list once and within its places; progress
//! keeps what it does not change; a participation places someone in work
//! once, the way every outcome is recorded; draws never pass an activity's
//! limit; the figures count each programme within scope; a merge of two
//! records of a person moves their participations and draws, and its undo
//! moves them back; the rural bases' criteria are versioned.

use ablework_domain::fair::AccessNeed;
use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::occupation::SubMajorGroup;
use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
use ablework_domain::person::{EmploymentStatus, Hukou};
use ablework_domain::programme::{
    Accreditation, Activity, ActivityKind, IncomeChange, Programme, Progress, Role, Sector,
    SourceKind, Status, TrainingMode, Unit, UnitKind,
};
use ablework_domain::progress::{Tally, count_new_employment_between};
use rust_decimal::Decimal;

use super::applications::{day, logged};
use super::{at, audit, person, recorded, stored_people};
use crate::{
    ActivityFilter, ActivityRecord, AuditFilter, NewDraw, NewParticipant, OutcomeDetails,
    PersonFilter, PersonScope, ProgrammeFigures, ProgrammeScope, Store, StoreError, UnitFilter,
    UnitRecord, VersionedRecord,
};

const HEPING: &str = "120101";
const HEDONG: &str = "120102";
const WUQING: &str = "120114";

fn money(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn a_unit(kind: UnitKind, name: &str, district: &str, capacity: Option<u32>) -> Unit {
    Unit {
        kind,
        name: name.to_owned(),
        district_code: district.to_owned(),
        capacity,
        accreditation: None,
        compliant: false,
        reviewed_on: None,
        pilot: false,
        sector: None,
        brands: Vec::new(),
        note: None,
    }
}

fn an_activity(
    kind: ActivityKind,
    title: &str,
    district: &str,
    starts_on: (i32, u32, u32),
) -> Activity {
    Activity {
        kind,
        title: title.to_owned(),
        district_code: district.to_owned(),
        starts_on: day(starts_on.0, starts_on.1, starts_on.2),
        ends_on: None,
        capacity: None,
        limit: None,
        unit_price: None,
        occupation: None,
        mode: None,
        schedule: None,
        provisions: Vec::new(),
        source: None,
        scope: None,
    }
}

/// A course with every field a course has.
fn a_course(title: &str, district: &str, capacity: u32, starts_on: (i32, u32, u32)) -> Activity {
    Activity {
        ends_on: Some(day(starts_on.0, starts_on.1, starts_on.2) + chrono::Duration::days(60)),
        capacity: Some(capacity),
        occupation: Some(SubMajorGroup::ChiefExecutives),
        mode: Some(TrainingMode::OnOrder),
        schedule: Some("每周二、四下午".to_owned()),
        provisions: vec![AccessNeed::SignLanguage, AccessNeed::StepFree],
        ..an_activity(ActivityKind::Course, title, district, starts_on)
    }
}

/// A fund or other money activity with a limit.
fn a_budget(kind: ActivityKind, title: &str, district: &str, limit: Option<&str>) -> Activity {
    Activity {
        limit: limit.map(money),
        scope: Some("就业帮扶".to_owned()),
        ..an_activity(kind, title, district, (2024, 1, 1))
    }
}

fn a_labour_project(title: &str, district: &str, volume: &str) -> Activity {
    Activity {
        limit: Some(money(volume)),
        unit_price: Some(money("2.50")),
        source: Some((SourceKind::Hospital, "区医院".to_owned())),
        scope: Some("被服清洗".to_owned()),
        ..an_activity(ActivityKind::LabourProject, title, district, (2024, 2, 1))
    }
}

fn joining(
    unit_id: i64,
    activity_id: Option<i64>,
    person_id: i64,
    role: Role,
    minutes: i64,
) -> NewParticipant {
    NewParticipant {
        unit_id,
        activity_id,
        person_id,
        role,
        joined_on: day(2024, 3, 1) + chrono::Duration::days(minutes),
        monthly_income: None,
        income_before: None,
        service_id: None,
        at: at(minutes),
    }
}

fn drawing(
    activity_id: i64,
    amount: &str,
    unit_id: Option<i64>,
    person_id: Option<i64>,
) -> NewDraw {
    NewDraw {
        activity_id,
        amount: money(amount),
        on_date: day(2024, 4, 1),
        until: None,
        unit_id,
        person_id,
        purpose: None,
        note: None,
        at: at(5),
    }
}

fn placement(person_id: i64, started_on: chrono::NaiveDate) -> Outcome {
    Outcome {
        person_id,
        started_on,
        ended_on: None,
        form: EmploymentForm::Quota,
        measure: Measure::Training,
        district_code: HEPING.to_owned(),
        hukou: Hukou::Urban,
        category: DisabilityCategory::Physical,
        level: 3,
        sex: Sex::Male,
    }
}

async fn unit(store: &dyn Store, fields: &Unit) -> UnitRecord {
    store
        .create_unit(fields, at(0), audit("programme.unit_create"))
        .await
        .unwrap()
}

async fn activity(store: &dyn Store, unit_id: Option<i64>, fields: &Activity) -> ActivityRecord {
    store
        .create_activity(unit_id, fields, at(1), audit("programme.activity_create"))
        .await
        .unwrap()
}

fn district(code: &str) -> ProgrammeScope {
    ProgrammeScope::District(code.to_owned())
}

fn unit_names(page: &crate::Page<UnitRecord>) -> Vec<&str> {
    page.items.iter().map(|u| u.fields.name.as_str()).collect()
}

fn titles(page: &crate::Page<ActivityRecord>) -> Vec<&str> {
    page.items.iter().map(|a| a.fields.title.as_str()).collect()
}

/// Units round trip with every field, are read and changed only within a
/// district's or a unit's scope, and list by name with every filter
/// inside the scope; each write is audited.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn programme_units_round_trip_within_scope(store: &dyn Store) {
    // Names led by a letter, so that their order is the same in every
    // collation.
    let mut base = a_unit(
        UnitKind::TrainingBase,
        "A 和平区职业培训基地",
        HEPING,
        Some(40),
    );
    base.compliant = true;
    base.reviewed_on = Some(day(2024, 1, 10));
    base.note = Some("南京路 1 号".to_owned());
    let mut college = a_unit(UnitKind::VocationalCollege, "B 天津职业学院", HEPING, None);
    college.accreditation = Some((Accreditation::Accredited, Some(day(2023, 9, 1))));
    let mut farm = a_unit(UnitKind::LeadingEnterprise, "C 武清蔬菜公司", WUQING, None);
    farm.sector = Some(Sector::Farming);
    farm.brands = vec!["武清青菜".to_owned(), "绿野".to_owned()];
    let workshop = a_unit(UnitKind::Workshop, "D 河东区工疗站", HEDONG, Some(20));

    let base_record = unit(store, &base).await;
    assert_eq!(base_record.fields, base);
    assert_eq!((base_record.activities, base_record.participants), (0, 0));
    assert_eq!(
        (base_record.created_at, base_record.updated_at),
        (at(0), at(0))
    );
    let college_record = unit(store, &college).await;
    assert_eq!(college_record.fields, college);
    let farm_record = unit(store, &farm).await;
    assert_eq!(farm_record.fields, farm);
    let workshop_record = unit(store, &workshop).await;
    assert_eq!(logged(store, "programme.unit_create").await, 4);

    // Reads within scope.
    let read = |id: i64, scope: ProgrammeScope| async move {
        store.programme_unit(id, &scope).await.unwrap()
    };
    assert_eq!(
        read(base_record.id, ProgrammeScope::All).await.unwrap(),
        base_record
    );
    assert!(read(base_record.id, district(HEPING)).await.is_some());
    assert!(read(base_record.id, district(HEDONG)).await.is_none());
    assert!(
        read(base_record.id, ProgrammeScope::Unit(base_record.id))
            .await
            .is_some()
    );
    assert!(
        read(base_record.id, ProgrammeScope::Unit(workshop_record.id))
            .await
            .is_none()
    );
    assert!(read(base_record.id, ProgrammeScope::Nobody).await.is_none());
    assert!(
        read(base_record.id + 1000, ProgrammeScope::All)
            .await
            .is_none()
    );

    // Lists: by name, filtered, never wider than the scope, paged.
    let list = |filter: UnitFilter| async move { store.list_units(&filter).await.unwrap() };
    let all = list(UnitFilter::new(ProgrammeScope::All)).await;
    assert_eq!(all.total, 4);
    let by_name = [
        base.name.as_str(),
        college.name.as_str(),
        farm.name.as_str(),
        workshop.name.as_str(),
    ];
    assert_eq!(unit_names(&all), by_name);
    let mut filter = UnitFilter::new(ProgrammeScope::All);
    filter.programme = Some(Programme::Training);
    assert_eq!(list(filter.clone()).await.total, 2);
    filter.kind = Some(UnitKind::VocationalCollege);
    assert_eq!(unit_names(&list(filter).await), [college.name.as_str()]);
    let mut filter = UnitFilter::new(ProgrammeScope::All);
    filter.district_code = Some(WUQING.to_owned());
    assert_eq!(unit_names(&list(filter).await), [farm.name.as_str()]);
    let mut filter = UnitFilter::new(ProgrammeScope::All);
    filter.search = Some("培训".to_owned());
    assert_eq!(unit_names(&list(filter).await), [base.name.as_str()]);
    let mut filter = UnitFilter::new(ProgrammeScope::All);
    filter.search = Some("%".to_owned());
    assert_eq!(list(filter).await.total, 0, "search text is literal");
    let heping = list(UnitFilter::new(district(HEPING))).await;
    assert_eq!(heping.total, 2);
    let mut filter = UnitFilter::new(district(HEPING));
    filter.district_code = Some(HEDONG.to_owned());
    assert_eq!(
        list(filter).await.total,
        0,
        "a filter never widens the scope"
    );
    let own = list(UnitFilter::new(ProgrammeScope::Unit(workshop_record.id))).await;
    assert_eq!(unit_names(&own), [workshop.name.as_str()]);
    assert_eq!(list(UnitFilter::new(ProgrammeScope::Nobody)).await.total, 0);
    let mut paged = UnitFilter::new(ProgrammeScope::All);
    paged.per_page = 3;
    paged.page = 2;
    let second = list(paged).await;
    assert_eq!((second.total, unit_names(&second)), (4, vec![by_name[3]]));

    // Changes within scope only.
    let mut changed = base.clone();
    "A 和平区残疾人职业培训基地".clone_into(&mut changed.name);
    changed.capacity = Some(60);
    changed.compliant = false;
    changed.note = None;
    let refused = store
        .update_unit(
            base_record.id,
            &district(HEDONG),
            &changed,
            at(3),
            audit("programme.unit_update"),
        )
        .await
        .unwrap();
    assert!(refused.is_none(), "another district's unit is not changed");
    let refused = store
        .update_unit(
            base_record.id,
            &ProgrammeScope::Unit(workshop_record.id),
            &changed,
            at(3),
            audit("programme.unit_update"),
        )
        .await
        .unwrap();
    assert!(refused.is_none(), "another unit is not changed");
    assert_eq!(logged(store, "programme.unit_update").await, 0);
    let updated = store
        .update_unit(
            base_record.id,
            &ProgrammeScope::Unit(base_record.id),
            &changed,
            at(3),
            audit("programme.unit_update"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.fields, changed);
    assert_eq!((updated.created_at, updated.updated_at), (at(0), at(3)));
    assert_eq!(logged(store, "programme.unit_update").await, 1);
    let absent = store
        .update_unit(
            base_record.id + 1000,
            &ProgrammeScope::All,
            &changed,
            at(3),
            audit("programme.unit_update"),
        )
        .await
        .unwrap();
    assert!(absent.is_none());
}

/// Activities, run by a unit or pooled by a district, round trip with their
/// counts; a district sees the ones held there, a unit the ones it runs;
/// lists put the latest start first and filter within the scope. A unit
/// moved to another district takes its activities with it.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn programme_activities_are_read_within_scope(store: &dyn Store) {
    let base = unit(
        store,
        &a_unit(
            UnitKind::TrainingBase,
            "和平区职业培训基地",
            HEPING,
            Some(40),
        ),
    )
    .await;
    let foundation = unit(
        store,
        &a_unit(
            UnitKind::WelfareFoundation,
            "河东区残疾人福利基金会",
            HEDONG,
            None,
        ),
    )
    .await;
    let course = a_course("电商客服培训班", HEPING, 30, (2024, 3, 1));
    let fund = a_budget(ActivityKind::Fund, "就业专项基金", HEDONG, Some("50000.50"));
    let pool = a_labour_project("医院被服清洗", HEDONG, "1200");
    let support = a_budget(
        ActivityKind::SupportScheme,
        "武清区扶持资金",
        WUQING,
        Some("80000"),
    );

    let course_record = activity(store, Some(base.id), &course).await;
    assert_eq!(course_record.fields, course);
    assert_eq!(course_record.unit_id, Some(base.id));
    assert_eq!(
        course_record.unit_name.as_deref(),
        Some("和平区职业培训基地")
    );
    assert_eq!(
        (course_record.participants, course_record.drawn),
        (0, Decimal::ZERO)
    );
    assert_eq!(course_record.created_at, at(1));
    let fund_record = activity(store, Some(foundation.id), &fund).await;
    assert_eq!(fund_record.fields.limit, Some(money("50000.50")));
    assert_eq!(fund_record.remaining(), Some(money("50000.50")));
    let pool_record = activity(store, None, &pool).await;
    assert_eq!(pool_record.fields, pool);
    assert_eq!(
        (pool_record.unit_id, pool_record.unit_name.as_deref()),
        (None, None)
    );
    let support_record = activity(store, None, &support).await;
    assert_eq!(logged(store, "programme.activity_create").await, 4);
    let counted = store
        .programme_unit(base.id, &ProgrammeScope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(counted.activities, 1);

    let read = |id: i64, scope: ProgrammeScope| async move {
        store.programme_activity(id, &scope).await.unwrap()
    };
    assert_eq!(
        read(course_record.id, ProgrammeScope::All).await.unwrap(),
        course_record
    );
    assert!(read(course_record.id, district(HEPING)).await.is_some());
    assert!(read(course_record.id, district(HEDONG)).await.is_none());
    assert!(
        read(course_record.id, ProgrammeScope::Unit(base.id))
            .await
            .is_some()
    );
    assert!(
        read(course_record.id, ProgrammeScope::Unit(foundation.id))
            .await
            .is_none()
    );
    assert!(
        read(course_record.id, ProgrammeScope::Nobody)
            .await
            .is_none()
    );
    assert!(
        read(pool_record.id, district(HEDONG)).await.is_some(),
        "a district sees its pool"
    );
    assert!(
        read(pool_record.id, ProgrammeScope::Unit(foundation.id))
            .await
            .is_none(),
        "a unit does not see the district's pool"
    );
    assert!(
        read(pool_record.id + 1000, ProgrammeScope::All)
            .await
            .is_none()
    );

    let list =
        |filter: ActivityFilter| async move { store.list_activities(&filter).await.unwrap() };
    let all = list(ActivityFilter::new(ProgrammeScope::All)).await;
    assert_eq!(all.total, 4);
    assert_eq!(
        titles(&all),
        [
            "电商客服培训班",
            "医院被服清洗",
            "武清区扶持资金",
            "就业专项基金"
        ],
        "latest start first, then latest entered"
    );
    let mut pooled = ActivityFilter::new(ProgrammeScope::All);
    pooled.pooled = true;
    assert_eq!(
        titles(&list(pooled).await),
        ["医院被服清洗", "武清区扶持资金"]
    );
    let mut filter = ActivityFilter::new(ProgrammeScope::All);
    filter.unit_id = Some(foundation.id);
    assert_eq!(titles(&list(filter).await), ["就业专项基金"]);
    let mut filter = ActivityFilter::new(ProgrammeScope::All);
    filter.programme = Some(Programme::Rural);
    assert_eq!(titles(&list(filter).await), ["武清区扶持资金"]);
    let mut filter = ActivityFilter::new(ProgrammeScope::All);
    filter.kind = Some(ActivityKind::LabourProject);
    assert_eq!(titles(&list(filter).await), ["医院被服清洗"]);
    let mut filter = ActivityFilter::new(ProgrammeScope::All);
    filter.search = Some("培训".to_owned());
    assert_eq!(titles(&list(filter).await), ["电商客服培训班"]);
    let mut filter = ActivityFilter::new(ProgrammeScope::All);
    filter.district_code = Some(HEDONG.to_owned());
    assert_eq!(
        titles(&list(filter).await),
        ["医院被服清洗", "就业专项基金"]
    );
    let hedong = list(ActivityFilter::new(district(HEDONG))).await;
    assert_eq!(titles(&hedong), ["医院被服清洗", "就业专项基金"]);
    let mut filter = ActivityFilter::new(district(HEDONG));
    filter.district_code = Some(HEPING.to_owned());
    assert_eq!(
        list(filter).await.total,
        0,
        "a filter never widens the scope"
    );
    let own = list(ActivityFilter::new(ProgrammeScope::Unit(base.id))).await;
    assert_eq!(titles(&own), ["电商客服培训班"]);
    assert_eq!(
        list(ActivityFilter::new(ProgrammeScope::Nobody))
            .await
            .total,
        0
    );
    let mut paged = ActivityFilter::new(ProgrammeScope::All);
    paged.per_page = 3;
    paged.page = 2;
    assert_eq!(titles(&list(paged).await), ["就业专项基金"]);

    // The unit moves to 河东区 and its course with it.
    let mut moved = base.fields.clone();
    HEDONG.clone_into(&mut moved.district_code);
    store
        .update_unit(
            base.id,
            &ProgrammeScope::All,
            &moved,
            at(4),
            audit("programme.unit_update"),
        )
        .await
        .unwrap()
        .unwrap();
    assert!(read(course_record.id, district(HEPING)).await.is_none());
    let followed = read(course_record.id, district(HEDONG)).await.unwrap();
    assert_eq!(followed.fields.district_code, HEDONG);
    assert_eq!(support_record.fields, support);
}

/// A person is on a list once, withdrawn or not; a full list takes nobody
/// more until someone withdraws; the unit's own lists are one per role and
/// apart from its activities'; the counts follow. A refused join writes
/// nothing.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn people_join_a_list_once_within_its_places(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[
            person(1, "张三", HEPING),
            person(2, "李四", HEPING),
            person(3, "王五", HEDONG),
        ],
    )
    .await;
    let base = unit(
        store,
        &a_unit(
            UnitKind::TrainingBase,
            "和平区职业培训基地",
            HEPING,
            Some(40),
        ),
    )
    .await;
    let course = activity(
        store,
        Some(base.id),
        &a_course("电商客服培训班", HEPING, 2, (2024, 3, 1)),
    )
    .await;
    let rural = unit(
        store,
        &a_unit(UnitKind::RuralBase, "武清扶贫基地", WUQING, None),
    )
    .await;

    let mut first = joining(base.id, Some(course.id), ids[0], Role::Trainee, 0);
    first.monthly_income = Some(money("1500.5"));
    first.income_before = Some(money("0"));
    first.service_id = Some(7);
    let joined = store
        .join_programme(&first, Some(2), audit("programme.join"))
        .await
        .unwrap();
    assert_eq!(
        (joined.unit_id, joined.activity_id, joined.person_id),
        (base.id, Some(course.id), ids[0])
    );
    assert_eq!(
        (
            joined.person_name.as_str(),
            joined.person_district_code.as_str()
        ),
        ("张三", HEPING)
    );
    assert_eq!(
        (joined.role, joined.status),
        (Role::Trainee, Status::Active)
    );
    assert_eq!(joined.joined_on, first.joined_on);
    assert_eq!(
        (joined.monthly_income, joined.income_before),
        (Some(money("1500.50")), Some(Decimal::ZERO))
    );
    assert_eq!(
        (joined.service_id, joined.outcome_id, joined.placed_on),
        (Some(7), None, None)
    );
    assert_eq!(
        (
            joined.ended_on,
            joined.sessions_attended,
            joined.certificate.as_deref()
        ),
        (None, None, None)
    );
    assert_eq!(joined.updated_at, at(0));
    assert_eq!(
        store.programme_participant(joined.id).await.unwrap(),
        Some(joined.clone())
    );
    assert!(
        store
            .programme_participant(joined.id + 1000)
            .await
            .unwrap()
            .is_none()
    );
    let entries = store
        .search_audit(&AuditFilter {
            action: Some("programme.join".to_owned()),
            page: 1,
            per_page: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        entries.items[0].entry.entity_id,
        Some(joined.id.to_string())
    );

    let second = store
        .join_programme(
            &joining(base.id, Some(course.id), ids[1], Role::Trainee, 1),
            Some(2),
            audit("programme.join"),
        )
        .await
        .unwrap();
    let again = store
        .join_programme(
            &joining(base.id, Some(course.id), ids[0], Role::Trainee, 2),
            Some(3),
            audit("programme.join"),
        )
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref rule)) if rule == "participant_exists"),
        "{again:?}"
    );
    let full = store
        .join_programme(
            &joining(base.id, Some(course.id), ids[2], Role::Trainee, 2),
            Some(2),
            audit("programme.join"),
        )
        .await;
    assert!(
        matches!(full, Err(StoreError::Conflict(ref rule)) if rule == "capacity_full"),
        "{full:?}"
    );
    let listed = store.participants(base.id, Some(course.id)).await.unwrap();
    assert_eq!(
        listed.iter().map(|p| p.person_id).collect::<Vec<_>>(),
        [ids[0], ids[1]]
    );
    assert_eq!(
        logged(store, "programme.join").await,
        2,
        "a refused join writes nothing"
    );

    // One withdraws: the place is free again, but they are still on the list.
    let withdrawn = Progress {
        status: Status::Withdrawn,
        ended_on: Some(day(2024, 3, 20)),
        sessions_attended: None,
        certificate: None,
        monthly_income: IncomeChange::Keep,
    };
    store
        .record_participant_progress(second.id, &withdrawn, at(3), audit("programme.progress"))
        .await
        .unwrap();
    let rejoin = store
        .join_programme(
            &joining(base.id, Some(course.id), ids[1], Role::Trainee, 4),
            None,
            audit("programme.join"),
        )
        .await;
    assert!(
        matches!(rejoin, Err(StoreError::Conflict(ref rule)) if rule == "participant_exists"),
        "{rejoin:?}"
    );
    let third = store
        .join_programme(
            &joining(base.id, Some(course.id), ids[2], Role::Trainee, 4),
            Some(2),
            audit("programme.join"),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            third.person_name.as_str(),
            third.person_district_code.as_str()
        ),
        ("王五", HEDONG)
    );
    let course_now = store
        .programme_activity(course.id, &ProgrammeScope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(course_now.participants, 2, "the withdrawn aside");

    // The unit's own lists: one per role, apart from its course's.
    let on_base = store
        .join_programme(
            &joining(base.id, None, ids[0], Role::Worker, 5),
            Some(1),
            audit("programme.join"),
        )
        .await
        .unwrap();
    assert_eq!(on_base.activity_id, None);
    let base_full = store
        .join_programme(
            &joining(base.id, None, ids[1], Role::Worker, 5),
            Some(1),
            audit("programme.join"),
        )
        .await;
    assert!(
        matches!(base_full, Err(StoreError::Conflict(ref rule)) if rule == "capacity_full"),
        "{base_full:?}"
    );
    for role in [Role::Worker, Role::Helped] {
        store
            .join_programme(
                &joining(rural.id, None, ids[0], role, 6),
                Some(1),
                audit("programme.join"),
            )
            .await
            .unwrap();
    }
    let twice = store
        .join_programme(
            &joining(rural.id, None, ids[0], Role::Helped, 7),
            None,
            audit("programme.join"),
        )
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict(ref rule)) if rule == "participant_exists"),
        "{twice:?}"
    );
    let missing = store
        .join_programme(
            &joining(base.id, Some(course.id + 1000), ids[0], Role::Trainee, 7),
            None,
            audit("programme.join"),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");

    assert_eq!(
        store
            .participants(base.id, None)
            .await
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        [on_base.id]
    );
    assert_eq!(store.participants(rural.id, None).await.unwrap().len(), 2);
    assert_eq!(
        store
            .participants(base.id, Some(course.id))
            .await
            .unwrap()
            .len(),
        3
    );
    let base_now = store
        .programme_unit(base.id, &ProgrammeScope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (base_now.activities, base_now.participants),
        (1, 3),
        "its own list and its course's, the withdrawn aside"
    );
    assert_eq!(logged(store, "programme.join").await, 6);
}

/// Progress changes the status, days, sessions and certificate, and the
/// income only when one is given or it is cleared; an absent participant is
/// not found.
#[expect(
    clippy::too_many_lines,
    reason = "one participation's story: kept, set, kept, cleared"
)]
pub async fn participant_progress_keeps_the_income_it_is_not_given(store: &dyn Store) {
    let ids = stored_people(store, &[person(1, "张三", HEPING)]).await;
    let base = unit(
        store,
        &a_unit(
            UnitKind::TrainingBase,
            "和平区职业培训基地",
            HEPING,
            Some(40),
        ),
    )
    .await;
    let course = activity(
        store,
        Some(base.id),
        &a_course("电商客服培训班", HEPING, 30, (2024, 3, 1)),
    )
    .await;
    let mut new = joining(base.id, Some(course.id), ids[0], Role::Trainee, 0);
    new.monthly_income = Some(money("1500"));
    let joined = store
        .join_programme(&new, None, audit("programme.join"))
        .await
        .unwrap();

    let completed = Progress {
        status: Status::Completed,
        ended_on: Some(day(2024, 5, 1)),
        sessions_attended: Some(24),
        certificate: Some("TJ-2024-0001".to_owned()),
        monthly_income: IncomeChange::Keep,
    };
    let done = store
        .record_participant_progress(joined.id, &completed, at(10), audit("programme.progress"))
        .await
        .unwrap();
    assert_eq!(
        (done.status, done.ended_on),
        (Status::Completed, Some(day(2024, 5, 1)))
    );
    assert_eq!(
        (done.sessions_attended, done.certificate.as_deref()),
        (Some(24), Some("TJ-2024-0001"))
    );
    assert_eq!(
        done.monthly_income,
        Some(money("1500")),
        "kept when none is given"
    );
    assert_eq!(
        (done.joined_on, done.updated_at),
        (joined.joined_on, at(10))
    );
    assert_eq!(
        store.programme_participant(joined.id).await.unwrap(),
        Some(done)
    );

    let earning = Progress {
        monthly_income: IncomeChange::Set(money("3200.75")),
        ..completed
    };
    let now = store
        .record_participant_progress(joined.id, &earning, at(11), audit("programme.progress"))
        .await
        .unwrap();
    assert_eq!(now.monthly_income, Some(money("3200.75")));
    let back = Progress {
        status: Status::Active,
        ended_on: None,
        sessions_attended: None,
        certificate: None,
        monthly_income: IncomeChange::Keep,
    };
    let reset = store
        .record_participant_progress(joined.id, &back, at(12), audit("programme.progress"))
        .await
        .unwrap();
    assert_eq!(
        (
            reset.status,
            reset.ended_on,
            reset.sessions_attended,
            reset.certificate
        ),
        (Status::Active, None, None, None)
    );
    assert_eq!(reset.monthly_income, Some(money("3200.75")));
    let emptied = Progress {
        monthly_income: IncomeChange::Clear,
        ..back.clone()
    };
    let cleared = store
        .record_participant_progress(joined.id, &emptied, at(13), audit("programme.progress"))
        .await
        .unwrap();
    assert_eq!(
        cleared.monthly_income, None,
        "removed when a form emptied it"
    );
    let missing = store
        .record_participant_progress(joined.id + 1000, &back, at(14), audit("programme.progress"))
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    assert_eq!(logged(store, "programme.progress").await, 4);
}

/// A participation places someone in work once: the outcome is recorded as
/// every outcome is (the person employed, the kept counts following) and
/// linked, with its first day read back; placing it again is a conflict
/// that records nothing.
pub async fn a_participation_places_someone_in_work_once(store: &dyn Store) {
    let ids = stored_people(store, &[person(1, "张三", HEPING)]).await;
    let base = unit(
        store,
        &a_unit(
            UnitKind::TrainingBase,
            "和平区职业培训基地",
            HEPING,
            Some(40),
        ),
    )
    .await;
    let course = activity(
        store,
        Some(base.id),
        &a_course("电商客服培训班", HEPING, 30, (2024, 3, 1)),
    )
    .await;
    let joined = store
        .join_programme(
            &joining(base.id, Some(course.id), ids[0], Role::Trainee, 0),
            None,
            audit("programme.join"),
        )
        .await
        .unwrap();
    let outcome = placement(ids[0], day(2024, 6, 3));
    let details = OutcomeDetails {
        monthly_wage: Some(3800),
        ..OutcomeDetails::default()
    };
    let placed = store
        .place_participant(
            joined.id,
            &outcome,
            &details,
            &recorded(20),
            audit("programme.place"),
        )
        .await
        .unwrap();
    let outcomes = store.outcomes_of(ids[0]).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].outcome, outcome);
    assert_eq!(outcomes[0].details, details);
    assert_eq!(placed.outcome_id, Some(outcomes[0].id));
    assert_eq!(placed.placed_on, Some(day(2024, 6, 3)));
    assert_eq!(placed.updated_at, at(20));
    assert_eq!(
        store.programme_participant(joined.id).await.unwrap(),
        Some(placed.clone())
    );
    let person = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap()
        .items
        .remove(0);
    assert_eq!(person.employment_status, EmploymentStatus::Employed);
    let year = (day(2024, 1, 1), day(2024, 12, 31));
    let all = store.outcomes_between(year.0, year.1, None).await.unwrap();
    let expected = Tally::of(&count_new_employment_between(&all, year.0, year.1));
    assert_eq!(expected.days.len(), 1, "the placement counts");
    let kept = store.progress_tally(None, year.0, year.1).await.unwrap();
    assert_eq!(kept, expected, "the kept counts follow the placement");

    let again = store
        .place_participant(
            joined.id,
            &placement(ids[0], day(2024, 7, 1)),
            &details,
            &recorded(21),
            audit("programme.place"),
        )
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref rule)) if rule == "already_placed"),
        "{again:?}"
    );
    assert_eq!(
        store.outcomes_of(ids[0]).await.unwrap().len(),
        1,
        "nothing recorded"
    );
    assert_eq!(
        store.progress_tally(None, year.0, year.1).await.unwrap(),
        kept
    );
    let missing = store
        .place_participant(
            joined.id + 1000,
            &outcome,
            &details,
            &recorded(22),
            audit("programme.place"),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    assert_eq!(store.outcomes_of(ids[0]).await.unwrap().len(), 1);
    assert_eq!(logged(store, "programme.place").await, 1);
}

/// Draws may take an activity's limit exactly and not a cent more; one
/// beyond writes nothing. Draws read back by activity and by the unit they
/// go to, with the names filled in; the activity's drawn sum follows.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn draws_never_pass_the_limit(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", HEDONG), person(2, "李四", HEDONG)],
    )
    .await;
    let foundation = unit(
        store,
        &a_unit(
            UnitKind::WelfareFoundation,
            "河东区残疾人福利基金会",
            HEDONG,
            None,
        ),
    )
    .await;
    let fund = activity(
        store,
        Some(foundation.id),
        &a_budget(ActivityKind::Fund, "就业专项基金", HEDONG, Some("1000.00")),
    )
    .await;
    let workshop = unit(
        store,
        &a_unit(UnitKind::Workshop, "河东区工疗站", HEDONG, Some(20)),
    )
    .await;
    let other = unit(
        store,
        &a_unit(UnitKind::Workshop, "河东区第二工疗站", HEDONG, Some(20)),
    )
    .await;
    let pool = activity(
        store,
        None,
        &a_labour_project("医院被服清洗", HEDONG, "100"),
    )
    .await;

    let mut first = drawing(fund.id, "600.10", None, Some(ids[0]));
    first.note = Some("创业补助".to_owned());
    let drawn = store
        .draw_on_activity(&first, fund.fields.limit, audit("programme.draw"))
        .await
        .unwrap();
    assert_eq!(
        (drawn.activity_id, drawn.activity_title.as_str()),
        (fund.id, "就业专项基金")
    );
    assert_eq!(
        (drawn.amount, drawn.on_date, drawn.until),
        (money("600.10"), day(2024, 4, 1), None)
    );
    assert_eq!(
        (drawn.person_id, drawn.person_name.as_deref()),
        (Some(ids[0]), Some("张三"))
    );
    assert_eq!((drawn.unit_id, drawn.unit_name.as_deref()), (None, None));
    assert_eq!(
        (drawn.purpose.as_deref(), drawn.note.as_deref()),
        (None, Some("创业补助"))
    );
    assert_eq!(drawn.created_at, at(5));
    let rest = store
        .draw_on_activity(
            &drawing(fund.id, "399.90", None, Some(ids[1])),
            fund.fields.limit,
            audit("programme.draw"),
        )
        .await
        .unwrap();
    assert_eq!(rest.amount, money("399.9"));
    let beyond = store
        .draw_on_activity(
            &drawing(fund.id, "0.01", None, Some(ids[1])),
            fund.fields.limit,
            audit("programme.draw"),
        )
        .await;
    assert!(
        matches!(beyond, Err(StoreError::Conflict(ref rule)) if rule == "over_limit"),
        "{beyond:?}"
    );
    assert_eq!(
        store.draws(fund.id).await.unwrap(),
        [drawn.clone(), rest.clone()],
        "nothing written"
    );
    assert_eq!(logged(store, "programme.draw").await, 2);
    let fund_now = store
        .programme_activity(fund.id, &ProgrammeScope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (fund_now.drawn, fund_now.remaining()),
        (money("1000"), Some(Decimal::ZERO))
    );

    // Without a limit, nothing is refused.
    let charity = activity(
        store,
        Some(foundation.id),
        &a_budget(ActivityKind::CharityProject, "公益项目", HEDONG, None),
    )
    .await;
    store
        .draw_on_activity(
            &drawing(charity.id, "123456.78", None, Some(ids[0])),
            None,
            audit("programme.draw"),
        )
        .await
        .unwrap();
    let missing = store
        .draw_on_activity(
            &drawing(fund.id + 1000, "1", None, None),
            None,
            audit("programme.draw"),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");

    // A labour project's volume, allocated to workshops.
    let mut allocation = drawing(pool.id, "60", Some(workshop.id), None);
    allocation.on_date = day(2024, 2, 10);
    allocation.until = Some(day(2024, 12, 31));
    let allocated = store
        .draw_on_activity(&allocation, pool.fields.limit, audit("programme.draw"))
        .await
        .unwrap();
    assert_eq!(
        (allocated.unit_id, allocated.unit_name.as_deref()),
        (Some(workshop.id), Some("河东区工疗站"))
    );
    assert_eq!(allocated.until, Some(day(2024, 12, 31)));
    let too_much = store
        .draw_on_activity(
            &drawing(pool.id, "40.5", Some(other.id), None),
            pool.fields.limit,
            audit("programme.draw"),
        )
        .await;
    assert!(
        matches!(too_much, Err(StoreError::Conflict(ref rule)) if rule == "over_limit"),
        "{too_much:?}"
    );
    let second = store
        .draw_on_activity(
            &drawing(pool.id, "30", Some(other.id), None),
            pool.fields.limit,
            audit("programme.draw"),
        )
        .await
        .unwrap();
    let later = store
        .draw_on_activity(
            &drawing(pool.id, "10", Some(workshop.id), None),
            pool.fields.limit,
            audit("programme.draw"),
        )
        .await
        .unwrap();
    assert_eq!(
        store.draws_to_unit(workshop.id).await.unwrap(),
        [allocated.clone(), later.clone()],
        "oldest first"
    );
    assert_eq!(
        store.draws_to_unit(other.id).await.unwrap(),
        std::slice::from_ref(&second)
    );
    assert!(store.draws_to_unit(foundation.id).await.unwrap().is_empty());
    assert_eq!(
        store.draws(pool.id).await.unwrap(),
        [allocated, second, later]
    );
    let listed = store
        .list_activities(&ActivityFilter::new(district(HEDONG)))
        .await
        .unwrap();
    let drawn_of = |id: i64| listed.items.iter().find(|a| a.id == id).unwrap().drawn;
    assert_eq!(
        (drawn_of(fund.id), drawn_of(pool.id), drawn_of(charity.id)),
        (money("1000"), money("100"), money("123456.78"))
    );
}

/// Each programme's figures, in the programmes' order, within the whole
/// city, a district, a unit and nobody: units, activities, people taking
/// part (the withdrawn aside), placements and the money drawn (a labour
/// project's volume is not money).
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn programme_figures_count_each_programme_within_scope(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[
            person(1, "张三", HEPING),
            person(2, "李四", HEPING),
            person(3, "王五", HEDONG),
        ],
    )
    .await;
    let base = unit(
        store,
        &a_unit(
            UnitKind::TrainingBase,
            "和平区职业培训基地",
            HEPING,
            Some(40),
        ),
    )
    .await;
    let course = activity(
        store,
        Some(base.id),
        &a_course("电商客服培训班", HEPING, 30, (2024, 3, 1)),
    )
    .await;
    let workshop = unit(
        store,
        &a_unit(UnitKind::Workshop, "河东区工疗站", HEDONG, Some(20)),
    )
    .await;
    let pool = activity(
        store,
        None,
        &a_labour_project("医院被服清洗", HEDONG, "100"),
    )
    .await;
    let foundation = unit(
        store,
        &a_unit(
            UnitKind::WelfareFoundation,
            "河东区残疾人福利基金会",
            HEDONG,
            None,
        ),
    )
    .await;
    let fund = activity(
        store,
        Some(foundation.id),
        &a_budget(ActivityKind::Fund, "就业专项基金", HEDONG, Some("5000")),
    )
    .await;
    let support = activity(
        store,
        None,
        &a_budget(
            ActivityKind::SupportScheme,
            "和平区扶持资金",
            HEPING,
            Some("9000"),
        ),
    )
    .await;
    let rural = unit(
        store,
        &a_unit(UnitKind::RuralBase, "和平区扶贫基地", HEPING, None),
    )
    .await;

    let mut trainees = Vec::new();
    for (n, person_id) in ids.iter().enumerate() {
        let minutes = i64::try_from(n).unwrap();
        trainees.push(
            store
                .join_programme(
                    &joining(base.id, Some(course.id), *person_id, Role::Trainee, minutes),
                    None,
                    audit("programme.join"),
                )
                .await
                .unwrap(),
        );
    }
    let withdrawn = Progress {
        status: Status::Withdrawn,
        ended_on: Some(day(2024, 4, 1)),
        sessions_attended: None,
        certificate: None,
        monthly_income: IncomeChange::Keep,
    };
    store
        .record_participant_progress(
            trainees[2].id,
            &withdrawn,
            at(5),
            audit("programme.progress"),
        )
        .await
        .unwrap();
    store
        .place_participant(
            trainees[0].id,
            &placement(ids[0], day(2024, 6, 1)),
            &OutcomeDetails::default(),
            &recorded(6),
            audit("programme.place"),
        )
        .await
        .unwrap();
    store
        .join_programme(
            &joining(workshop.id, None, ids[2], Role::Worker, 7),
            None,
            audit("programme.join"),
        )
        .await
        .unwrap();
    for (activity_id, amount, unit_id, person_id) in [
        (pool.id, "70", Some(workshop.id), None),
        (fund.id, "1200.25", None, Some(ids[2])),
        (fund.id, "0.75", None, Some(ids[1])),
        (support.id, "3000", Some(rural.id), None),
    ] {
        store
            .draw_on_activity(
                &drawing(activity_id, amount, unit_id, person_id),
                None,
                audit("programme.draw"),
            )
            .await
            .unwrap();
    }

    let figures =
        |units: u32, activities: u32, participants: u32, placed: u32, money_drawn: &str| {
            ProgrammeFigures {
                units,
                activities,
                participants,
                placed,
                money_drawn: money(money_drawn),
            }
        };
    let zero = ProgrammeFigures::default();
    let expect = |pairs: &[(Programme, ProgrammeFigures)]| -> Vec<(Programme, ProgrammeFigures)> {
        Programme::ALL
            .iter()
            .map(|programme| {
                let given = pairs
                    .iter()
                    .find(|(p, _)| p == programme)
                    .map(|(_, f)| f.clone());
                (*programme, given.unwrap_or_default())
            })
            .collect()
    };
    let read =
        |scope: ProgrammeScope| async move { store.programme_figures(&scope).await.unwrap() };

    let all = read(ProgrammeScope::All).await;
    assert_eq!(
        all.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        Programme::ALL,
        "every programme, in order"
    );
    assert_eq!(
        all,
        expect(&[
            (Programme::Training, figures(1, 1, 2, 1, "0")),
            (Programme::Auxiliary, figures(1, 1, 1, 0, "0")),
            (Programme::Organisations, figures(1, 1, 0, 0, "1201")),
            (Programme::Rural, figures(1, 1, 0, 0, "3000")),
        ])
    );
    assert_eq!(
        read(district(HEPING)).await,
        expect(&[
            (Programme::Training, figures(1, 1, 2, 1, "0")),
            (Programme::Rural, figures(1, 1, 0, 0, "3000")),
        ])
    );
    assert_eq!(
        read(district(HEDONG)).await,
        expect(&[
            (Programme::Auxiliary, figures(1, 1, 1, 0, "0")),
            (Programme::Organisations, figures(1, 1, 0, 0, "1201")),
        ])
    );
    assert_eq!(
        read(ProgrammeScope::Unit(foundation.id)).await,
        expect(&[(Programme::Organisations, figures(1, 1, 0, 0, "1201"))])
    );
    assert_eq!(
        read(ProgrammeScope::Unit(workshop.id)).await,
        expect(&[(Programme::Auxiliary, figures(1, 0, 1, 0, "0"))]),
        "the district's pool is not the workshop's"
    );
    let nobody = read(ProgrammeScope::Nobody).await;
    assert_eq!(nobody.len(), Programme::ALL.len());
    assert!(nobody.iter().all(|(_, f)| *f == zero));
}

/// A merge of two records of one person moves the participations and draws
/// of the one merged (a list the kept record is already on stays behind;
/// draws to nobody never move), and its undo moves exactly those back.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn a_merge_moves_participations_and_draws_and_its_undo_restores_them(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[
            person(1, "张三", HEPING),
            person(21, "张三", HEPING),
            person(3, "李四", HEPING),
        ],
    )
    .await;
    let (kept, merged, other) = (ids[0], ids[1], ids[2]);
    let base = unit(
        store,
        &a_unit(
            UnitKind::TrainingBase,
            "和平区职业培训基地",
            HEPING,
            Some(40),
        ),
    )
    .await;
    let shared = activity(
        store,
        Some(base.id),
        &a_course("电商客服培训班", HEPING, 30, (2024, 3, 1)),
    )
    .await;
    let own = activity(
        store,
        Some(base.id),
        &a_course("面点培训班", HEPING, 30, (2024, 4, 1)),
    )
    .await;
    let workshop = unit(
        store,
        &a_unit(UnitKind::Workshop, "和平区工疗站", HEPING, Some(20)),
    )
    .await;
    let foundation = unit(
        store,
        &a_unit(
            UnitKind::WelfareFoundation,
            "和平区残疾人福利基金会",
            HEPING,
            None,
        ),
    )
    .await;
    let fund = activity(
        store,
        Some(foundation.id),
        &a_budget(ActivityKind::Fund, "就业专项基金", HEPING, Some("5000")),
    )
    .await;
    let pool = activity(
        store,
        None,
        &a_labour_project("医院被服清洗", HEPING, "100"),
    )
    .await;

    let join = |unit_id: i64, activity_id: Option<i64>, person_id: i64, role: Role| async move {
        store
            .join_programme(
                &joining(unit_id, activity_id, person_id, role, 0),
                None,
                audit("programme.join"),
            )
            .await
            .unwrap()
    };
    let kept_shared = join(base.id, Some(shared.id), kept, Role::Trainee).await;
    let merged_shared = join(base.id, Some(shared.id), merged, Role::Trainee).await;
    let merged_own = join(base.id, Some(own.id), merged, Role::Trainee).await;
    let merged_worker = join(workshop.id, None, merged, Role::Worker).await;
    let bystander = join(workshop.id, None, other, Role::Worker).await;
    let draw = |activity_id: i64, unit_id: Option<i64>, person_id: Option<i64>| async move {
        store
            .draw_on_activity(
                &drawing(activity_id, "100", unit_id, person_id),
                None,
                audit("programme.draw"),
            )
            .await
            .unwrap()
    };
    let to_merged = draw(fund.id, None, Some(merged)).await;
    let to_kept = draw(fund.id, None, Some(kept)).await;
    let to_unit = draw(pool.id, Some(workshop.id), None).await;

    let lists = [
        (base.id, Some(shared.id)),
        (base.id, Some(own.id)),
        (workshop.id, None),
    ];
    let (fund_id, pool_id) = (fund.id, pool.id);
    let everything = || async move {
        let mut people = Vec::new();
        for (unit_id, activity_id) in lists {
            people.extend(store.participants(unit_id, activity_id).await.unwrap());
        }
        let mut draws = store.draws(fund_id).await.unwrap();
        draws.extend(store.draws(pool_id).await.unwrap());
        (people, draws)
    };
    let before = everything().await;

    let merge = store
        .merge_persons(
            kept,
            merged,
            &PersonScope::District(HEPING.to_owned()),
            audit("person.merge"),
        )
        .await
        .unwrap();
    assert_eq!(
        merge.moved.get("programme_participants"),
        Some(&vec![merged_own.id, merged_worker.id]),
        "the shared course's row stays behind"
    );
    assert_eq!(
        merge.moved.get("programme_draws"),
        Some(&vec![to_merged.id])
    );
    let person_of = |id: i64, people: &[crate::ParticipantRecord]| {
        people.iter().find(|p| p.id == id).unwrap().person_id
    };
    let (people, draws) = everything().await;
    assert_eq!(person_of(kept_shared.id, &people), kept);
    assert_eq!(person_of(merged_shared.id, &people), merged);
    assert_eq!(person_of(merged_own.id, &people), kept);
    assert_eq!(person_of(merged_worker.id, &people), kept);
    assert_eq!(person_of(bystander.id, &people), other);
    let draw_of = |id: i64| draws.iter().find(|d| d.id == id).unwrap().person_id;
    assert_eq!(
        (
            draw_of(to_merged.id),
            draw_of(to_kept.id),
            draw_of(to_unit.id)
        ),
        (Some(kept), Some(kept), None)
    );

    store
        .undo_merge(merge.id, &PersonScope::All, audit("person.merge_undo"))
        .await
        .unwrap();
    assert_eq!(
        everything().await,
        before,
        "the undo restores both records exactly"
    );
}

/// The rural bases' criteria are versioned like presets, in their own table.
pub async fn rural_criteria_are_versioned(store: &dyn Store) {
    let record = |version: i32| VersionedRecord {
        id: "tianjin-rural-base".to_owned(),
        version,
        body: serde_json::json!({ "min_employed": 10 + version, "min_income_gain": "300" }),
        created_at: at(i64::from(version)),
    };
    store
        .save_rural_criteria(record(1), audit("programme.criteria"))
        .await
        .unwrap();
    store
        .save_rural_criteria(record(2), audit("programme.criteria"))
        .await
        .unwrap();
    let again = store
        .save_rural_criteria(record(2), audit("programme.criteria"))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let all = store.rural_criteria().await.unwrap();
    assert_eq!(all, [record(1), record(2)]);
    assert_eq!(logged(store, "programme.criteria").await, 2);
    assert!(
        store.presets().await.unwrap().is_empty(),
        "criteria are not presets"
    );
    assert!(
        store.plans().await.unwrap().is_empty(),
        "criteria are not plans"
    );
}
