//! Conformance checks of job postings: round trip, scope, filters,
//! pagination, and the audit entry of every change.

use ablework_domain::four_ones::{Accommodation, Hours};
use ablework_domain::levy::EmployerKind;
use ablework_domain::matching::{Demand, DemandLevel};
use ablework_domain::occupation::{MajorGroup, SubMajorGroup};
use ablework_domain::person::Education;

use super::{at, audit, employer};
use crate::{AuditFilter, JobPostingFields, PostingFilter, PostingScope, PostingSort, Store};

pub(super) fn fields(employer_id: i64, title: &str, district: &str, wage: u32) -> JobPostingFields {
    JobPostingFields {
        employer_id,
        title: title.to_owned(),
        occupation: SubMajorGroup::GeneralClerks,
        district_code: district.to_owned(),
        address: "南京路 100 号".to_owned(),
        remote_possible: false,
        hours: Hours::FullTime,
        monthly_wage: wage,
        education_required: None,
        skills_required: Vec::new(),
        demands: Vec::new(),
        accommodations: Vec::new(),
        reserved_for_disabled: false,
        posts: 1,
    }
}

pub(super) async fn logged(store: &dyn Store, action: &str) -> usize {
    store
        .search_audit(&AuditFilter {
            action: Some(action.to_owned()),
            page: 1,
            per_page: 50,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .items
        .len()
}

/// Two employers, in 和平区 (120101) and 河东区 (120102); their ids.
async fn two_employers(store: &dyn Store) -> (i64, i64) {
    let heping = store
        .create_employer(
            employer(1, "天津甲商贸有限公司", EmployerKind::Enterprise, "120101"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    let hedong = store
        .create_employer(
            employer(2, "天津乙科技有限公司", EmployerKind::Enterprise, "120102"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    (heping.id, hedong.id)
}

/// A posting reads back exactly as written, lists and all; a change keeps
/// its employer and the day it was posted; closing and reopening are
/// audited; an unknown employer is refused.
pub async fn job_postings_round_trip_and_are_audited(store: &dyn Store) {
    let (heping, _) = two_employers(store).await;
    let mut written = fields(heping, "数据录入员", "120101", 4_500);
    written.occupation = SubMajorGroup::IctTechnicians;
    written.remote_possible = true;
    written.hours = Hours::PartTime;
    written.education_required = Some(Education::SeniorSecondary);
    written.skills_required = vec!["excel".to_owned(), "打字".to_owned()];
    written.demands = vec![
        (Demand::FineMotor, DemandLevel::Frequent),
        (Demand::Vision, DemandLevel::Occasional),
    ];
    written.accommodations = vec![Accommodation::ScreenReader, Accommodation::FlexibleHours];
    written.reserved_for_disabled = true;
    written.posts = 3;
    let created = store
        .create_job_posting(&written, at(1), audit("job.create"))
        .await
        .unwrap();
    assert!(created.id > 0);
    assert_eq!(created.fields, written);
    assert!(created.open, "a new posting is open");
    assert_eq!(created.employer_name, "天津甲商贸有限公司");
    assert_eq!(created.employer_district_code, "120101");
    assert_eq!(created.created_at, at(1));
    let read = store
        .job_posting(created.id, &PostingScope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read, created);
    assert_eq!(read.to_job().demands, written.demands);

    let mut changed = written.clone();
    "数据录入专员".clone_into(&mut changed.title);
    changed.monthly_wage = 0;
    changed.education_required = None;
    changed.demands.clear();
    let updated = store
        .update_job_posting(
            created.id,
            &PostingScope::All,
            &changed,
            at(2),
            audit("job.update"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.fields, changed);
    assert_eq!(updated.created_at, at(1));
    assert_eq!(updated.updated_at, at(2));

    let closed = store
        .set_job_posting_open(
            created.id,
            &PostingScope::All,
            false,
            at(3),
            audit("job.close"),
        )
        .await
        .unwrap()
        .unwrap();
    assert!(!closed.open);
    assert!(!closed.to_job().open);
    let reopened = store
        .set_job_posting_open(
            created.id,
            &PostingScope::All,
            true,
            at(4),
            audit("job.reopen"),
        )
        .await
        .unwrap()
        .unwrap();
    assert!(reopened.open);
    for action in ["job.create", "job.update", "job.close", "job.reopen"] {
        assert_eq!(logged(store, action).await, 1, "{action}");
    }

    let orphan = store
        .create_job_posting(
            &fields(9_999, "无主岗位", "120101", 1),
            at(5),
            audit("job.create"),
        )
        .await;
    assert!(orphan.is_err(), "{orphan:?}");
    assert_eq!(logged(store, "job.create").await, 1, "nothing logged");
    assert!(
        store
            .job_posting(created.id + 100, &PostingScope::All)
            .await
            .unwrap()
            .is_none()
    );
}

/// Scope decides what is seen and changed: an employer its own postings, a
/// district officer those of its district's employers (wherever the
/// workplace is), seekers open postings only; out of scope changes write
/// nothing.
pub async fn job_postings_are_read_and_changed_within_scope(store: &dyn Store) {
    let (heping, hedong) = two_employers(store).await;
    // The 和平区 employer's workplace is in 河东区: scope follows the employer.
    let own = store
        .create_job_posting(
            &fields(heping, "收银员", "120102", 4_000),
            at(1),
            audit("job.create"),
        )
        .await
        .unwrap();
    let other = store
        .create_job_posting(
            &fields(hedong, "客服专员", "120102", 5_000),
            at(2),
            audit("job.create"),
        )
        .await
        .unwrap();
    store
        .set_job_posting_open(
            other.id,
            &PostingScope::All,
            false,
            at(3),
            audit("job.close"),
        )
        .await
        .unwrap();

    let ids = |scope: PostingScope| async move {
        let page = store
            .list_job_postings(&PostingFilter::new(scope))
            .await
            .unwrap();
        let mut ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        (ids, page.total)
    };
    assert_eq!(ids(PostingScope::All).await, (vec![own.id, other.id], 2));
    assert_eq!(ids(PostingScope::Employer(heping)).await, (vec![own.id], 1));
    assert_eq!(
        ids(PostingScope::District("120101".to_owned())).await,
        (vec![own.id], 1)
    );
    assert_eq!(ids(PostingScope::Open).await, (vec![own.id], 1));
    assert_eq!(ids(PostingScope::Nobody).await, (vec![], 0));

    let foreign = PostingScope::Employer(hedong);
    assert!(store.job_posting(own.id, &foreign).await.unwrap().is_none());
    assert!(
        store
            .job_posting(other.id, &PostingScope::Open)
            .await
            .unwrap()
            .is_none(),
        "a closed posting is not open to seekers"
    );
    let mut changed = own.fields.clone();
    "不该改".clone_into(&mut changed.title);
    assert!(
        store
            .update_job_posting(own.id, &foreign, &changed, at(4), audit("job.update"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .set_job_posting_open(
                own.id,
                &PostingScope::District("120102".to_owned()),
                false,
                at(4),
                audit("job.close")
            )
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(logged(store, "job.update").await, 0, "nothing written");
    assert_eq!(logged(store, "job.close").await, 1);
    let unchanged = store
        .job_posting(own.id, &PostingScope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.fields.title, "收银员");
    assert!(unchanged.open);
}

/// Filters narrow within the scope, sorts order, and pages cover every
/// match exactly once with the total; many postings go in one bulk write.
pub async fn job_posting_lists_filter_sort_and_paginate(store: &dyn Store) {
    let (heping, hedong) = two_employers(store).await;
    let mut many = Vec::new();
    for n in 0..25_u32 {
        let employer_id = if n % 5 == 0 { hedong } else { heping };
        let district = if n % 2 == 0 { "120101" } else { "120103" };
        let mut posting = fields(
            employer_id,
            &format!("岗位{n:02}"),
            district,
            3_000 + n * 100,
        );
        if n % 3 == 0 {
            posting.occupation = SubMajorGroup::Sales;
            posting.remote_possible = true;
        }
        if n % 4 == 0 {
            posting.reserved_for_disabled = true;
            posting.accommodations = vec![Accommodation::StepFree, Accommodation::QuietSpace];
        }
        many.push(posting);
    }
    let written = store
        .insert_job_postings(&many, at(1), audit("job.import"))
        .await
        .unwrap();
    assert_eq!(written, 25);
    assert_eq!(logged(store, "job.import").await, 1, "one audit entry");

    let mut filter = PostingFilter::new(PostingScope::All);
    filter.per_page = 10;
    filter.sort = PostingSort::WageHigh;
    let mut seen = Vec::new();
    for page in 1..=3 {
        filter.page = page;
        let found = store.list_job_postings(&filter).await.unwrap();
        assert_eq!(found.total, 25);
        seen.extend(found.items.iter().map(|p| p.fields.monthly_wage));
    }
    assert_eq!(seen.len(), 25, "every posting once");
    assert!(seen.windows(2).all(|w| w[0] >= w[1]), "highest wage first");
    filter.page = 4;
    assert!(
        store
            .list_job_postings(&filter)
            .await
            .unwrap()
            .items
            .is_empty()
    );

    let count = |filter: PostingFilter| async move {
        store.list_job_postings(&filter).await.unwrap().total
    };
    let base = || {
        let mut f = PostingFilter::new(PostingScope::All);
        f.per_page = 100;
        f
    };
    let mut search = base();
    search.search = Some("岗位1".to_owned());
    assert_eq!(count(search).await, 10);
    let mut district = base();
    district.district_code = Some("120103".to_owned());
    assert_eq!(count(district).await, 12);
    let mut major = base();
    major.major_group = Some(MajorGroup::ServiceAndSales);
    assert_eq!(count(major).await, 9);
    let mut remote = base();
    remote.remote_only = true;
    assert_eq!(count(remote).await, 9);
    let mut reserved = base();
    reserved.reserved_only = true;
    assert_eq!(count(reserved).await, 7);
    let mut offered = base();
    offered.accommodation = Some(Accommodation::QuietSpace);
    assert_eq!(count(offered.clone()).await, 7);
    offered.accommodation = Some(Accommodation::SignLanguage);
    assert_eq!(count(offered).await, 0);
    let mut scoped = PostingFilter::new(PostingScope::Employer(hedong));
    scoped.reserved_only = true;
    // n in {0, 20}: hedong's postings (multiples of 5) that are multiples of 4.
    assert_eq!(count(scoped).await, 2);
    let mut wider = PostingFilter::new(PostingScope::Employer(hedong));
    wider.employer_id = Some(heping);
    assert_eq!(count(wider).await, 0, "a filter cannot widen the scope");
    let mut by_title = base();
    by_title.sort = PostingSort::Title;
    let titles: Vec<String> = store
        .list_job_postings(&by_title)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.fields.title)
        .collect();
    assert_eq!(titles.first().map(String::as_str), Some("岗位00"));
    assert_eq!(titles.last().map(String::as_str), Some("岗位24"));
}

/// The open postings matching reads are all of them, of every employer, in
/// id order; a closed one is left out.
pub async fn open_job_postings_are_all_listed_in_id_order(store: &dyn Store) {
    let (heping, hedong) = two_employers(store).await;
    let mut ids = Vec::new();
    for (employer, title) in [(heping, "甲"), (hedong, "乙"), (heping, "丙")] {
        let created = store
            .create_job_posting(
                &fields(employer, title, "120101", 4_000),
                at(1),
                audit("job.create"),
            )
            .await
            .unwrap();
        ids.push(created.id);
    }
    store
        .set_job_posting_open(ids[1], &PostingScope::All, false, at(2), audit("job.close"))
        .await
        .unwrap();
    let open: Vec<i64> = store
        .open_job_postings()
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(open, [ids[0], ids[2]]);
}
