//! Conformance checks of job fairs: a fair round trips and is changed
//! only within scope, lists filter by district, mode, state-owned-only and
//! date; employers join with their postings (joining again replaces them),
//! people register once with their access needs and attendance is marked
//! in one transaction; an application made at a fair is linked to it;
//! every write is audited.

use ablework_domain::application::ApplicationStatus;
use ablework_domain::fair::{AccessNeed, Fair, FairMode, Organiser, RegistrationStatus};

use super::applications::{day, logged, posting, step};
use super::{at, audit, person, stored_people};
use crate::{
    FairFilter, FairScope, FairWhen, NewApplication, NewFairRegistration, Store, StoreError,
};

fn a_fair(title: &str, district: &str, mode: FairMode, held_on: (i32, u32, u32)) -> Fair {
    Fair {
        title: title.to_owned(),
        mode,
        organiser: Organiser::DisabilityService,
        soe_only: false,
        held_on: day(held_on.0, held_on.1, held_on.2),
        district_code: district.to_owned(),
        venue: (mode == FairMode::OnSite).then(|| "人才市场一楼".to_owned()),
        online_url: (mode == FairMode::Online).then(|| "https://fair.example/live".to_owned()),
        provisions: vec![AccessNeed::SignLanguage, AccessNeed::StepFree],
    }
}

pub async fn fairs_round_trip_within_scope_and_are_audited(store: &dyn Store) {
    let fields = a_fair(
        "和平区助残招聘会",
        "120101",
        FairMode::OnSite,
        (2024, 5, 16),
    );
    let created = store
        .create_fair(&fields, at(0), audit("fair.create"))
        .await
        .unwrap();
    assert_eq!(created.fields, fields);
    assert_eq!((created.employers, created.registrations), (0, 0));
    assert_eq!(logged(store, "fair.create").await, 1);

    let heping = FairScope::District("120101".to_owned());
    let hedong = FairScope::District("120102".to_owned());
    assert!(store.fair(created.id, &heping).await.unwrap().is_some());
    assert!(store.fair(created.id, &hedong).await.unwrap().is_none());
    assert!(
        store
            .fair(created.id, &FairScope::Nobody)
            .await
            .unwrap()
            .is_none()
    );

    let mut changed = fields.clone();
    changed.mode = FairMode::Online;
    changed.venue = None;
    changed.online_url = Some("https://fair.example/2024".to_owned());
    changed.soe_only = true;
    changed.provisions = vec![AccessNeed::Captioning];
    let refused = store
        .update_fair(created.id, &hedong, &changed, at(1), audit("fair.update"))
        .await
        .unwrap();
    assert!(refused.is_none(), "another district's fair is not changed");
    assert_eq!(logged(store, "fair.update").await, 0);
    let updated = store
        .update_fair(created.id, &heping, &changed, at(1), audit("fair.update"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.fields, changed);
    assert_eq!(updated.created_at, created.created_at);
    assert_eq!(updated.updated_at, at(1));
    assert_eq!(logged(store, "fair.update").await, 1);
}

pub async fn fair_lists_filter_by_district_mode_and_date(store: &dyn Store) {
    let mut soe = a_fair("国企专场", "120101", FairMode::OnSite, (2023, 9, 1));
    soe.soe_only = true;
    soe.organiser = Organiser::StateAssets;
    for fields in [
        soe,
        a_fair("线上招聘会", "120101", FairMode::Online, (2024, 3, 1)),
        a_fair("河东区招聘会", "120102", FairMode::OnSite, (2024, 8, 1)),
    ] {
        store
            .create_fair(&fields, at(0), audit("fair.create"))
            .await
            .unwrap();
    }
    let titles = |page: crate::Page<crate::FairRecord>| -> Vec<String> {
        page.items.into_iter().map(|f| f.fields.title).collect()
    };
    let all = store
        .list_fairs(&FairFilter::new(FairScope::All))
        .await
        .unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(
        titles(all),
        ["河东区招聘会", "线上招聘会", "国企专场"],
        "latest first"
    );

    let mut filter = FairFilter::new(FairScope::District("120101".to_owned()));
    filter.district_code = Some("120102".to_owned());
    assert_eq!(
        store.list_fairs(&filter).await.unwrap().total,
        0,
        "a filter never widens the scope"
    );

    let mut filter = FairFilter::new(FairScope::All);
    filter.mode = Some(FairMode::Online);
    assert_eq!(
        titles(store.list_fairs(&filter).await.unwrap()),
        ["线上招聘会"]
    );
    let mut filter = FairFilter::new(FairScope::All);
    filter.soe_only = true;
    assert_eq!(
        titles(store.list_fairs(&filter).await.unwrap()),
        ["国企专场"]
    );
    let mut filter = FairFilter::new(FairScope::All);
    filter.when = FairWhen::Upcoming(day(2024, 3, 1));
    assert_eq!(
        titles(store.list_fairs(&filter).await.unwrap()),
        ["线上招聘会", "河东区招聘会"],
        "upcoming: soonest first, the day itself included"
    );
    filter.when = FairWhen::Past(day(2024, 3, 1));
    assert_eq!(
        titles(store.list_fairs(&filter).await.unwrap()),
        ["国企专场"]
    );
    let mut filter = FairFilter::new(FairScope::All);
    filter.search = Some("招聘".to_owned());
    filter.per_page = 2;
    filter.page = 2;
    let page = store.list_fairs(&filter).await.unwrap();
    assert_eq!((page.total, page.items.len()), (2, 0));
    filter.page = 1;
    assert_eq!(store.list_fairs(&filter).await.unwrap().items.len(), 2);
}

#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn employers_join_fairs_and_people_register_and_attend(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(2, "李四", "120102")],
    )
    .await;
    let (posting_id, employer_id) = posting(store, 2).await;
    let fair = store
        .create_fair(
            &a_fair("助残招聘会", "120101", FairMode::OnSite, (2024, 5, 16)),
            at(0),
            audit("fair.create"),
        )
        .await
        .unwrap();

    let joined = store
        .join_fair(
            fair.id,
            employer_id,
            &[posting_id, posting_id],
            at(1),
            audit("fair.join"),
        )
        .await
        .unwrap();
    assert_eq!(joined.posting_ids, [posting_id]);
    assert_eq!(joined.employer_name, "天津丙物流有限公司");
    assert!(!joined.state_owned);
    let again = store
        .join_fair(fair.id, employer_id, &[], at(2), audit("fair.join"))
        .await
        .unwrap();
    assert!(
        again.posting_ids.is_empty(),
        "joining again replaces the postings"
    );
    assert_eq!(store.fair_employers(fair.id).await.unwrap(), [again]);
    assert_eq!(logged(store, "fair.join").await, 2);

    let registration = NewFairRegistration {
        fair_id: fair.id,
        person_id: ids[0],
        access_needs: vec![AccessNeed::SignLanguage, AccessNeed::Braille],
        registered_on: day(2024, 5, 1),
        at: at(3),
    };
    let first = store
        .register_for_fair(&registration, audit("fair.register"))
        .await
        .unwrap();
    assert_eq!(first.person_name, "张三");
    assert_eq!(first.person_district_code, "120101");
    assert_eq!(first.access_needs, registration.access_needs);
    assert_eq!(first.status, RegistrationStatus::Registered);
    assert_eq!(first.marked_on, None);
    let twice = store
        .register_for_fair(&registration, audit("fair.register"))
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict(ref rule)) if rule == "fair_registration_exists"),
        "{twice:?}"
    );
    let second = store
        .register_for_fair(
            &NewFairRegistration {
                person_id: ids[1],
                access_needs: Vec::new(),
                ..registration.clone()
            },
            audit("fair.register"),
        )
        .await
        .unwrap();
    assert_eq!(logged(store, "fair.register").await, 2);
    let read = store.fair(fair.id, &FairScope::All).await.unwrap().unwrap();
    assert_eq!((read.employers, read.registrations), (1, 2));

    let changed = store
        .mark_attendance(
            fair.id,
            &[
                (first.id, RegistrationStatus::Attended),
                (second.id, RegistrationStatus::NoShow),
                (second.id + 1_000, RegistrationStatus::Attended),
            ],
            day(2024, 5, 16),
            at(4),
            audit("fair.attendance"),
        )
        .await
        .unwrap();
    assert_eq!(changed, 2, "an unknown registration is left alone");
    let marked = store.fair_registrations(fair.id).await.unwrap();
    assert_eq!(
        marked
            .iter()
            .map(|r| (r.person_id, r.status, r.marked_on))
            .collect::<Vec<_>>(),
        [
            (ids[0], RegistrationStatus::Attended, Some(day(2024, 5, 16))),
            (ids[1], RegistrationStatus::NoShow, Some(day(2024, 5, 16))),
        ]
    );
    assert_eq!(logged(store, "fair.attendance").await, 1);

    let application = store
        .create_application(
            &NewApplication {
                person_id: ids[0],
                posting_id,
                fair_id: Some(fair.id),
                first: step(ApplicationStatus::Applied, day(2024, 5, 16), 5),
            },
            audit("application.create"),
        )
        .await
        .unwrap();
    assert_eq!(application.fair_id, Some(fair.id));
    let at_fair = store.applications_of_fair(fair.id).await.unwrap();
    assert_eq!(at_fair.len(), 1);
    assert_eq!(at_fair[0].id, application.id);
    assert!(
        store
            .applications_of_fair(fair.id + 1)
            .await
            .unwrap()
            .is_empty()
    );
}
