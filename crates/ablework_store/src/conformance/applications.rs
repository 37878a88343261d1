//! Conformance checks of job applications: round trip with the history of
//! steps, one per person and posting, the closed-posting refusal, and a
//! hire that records the outcome, keeps the progress counts and closes a
//! filled posting, all in one transaction.

use ablework_domain::application::{ApplicationStatus, CounsellorDecision, HideReason};
use ablework_domain::four_ones::Hours;
use ablework_domain::levy::EmployerKind;
use ablework_domain::occupation::SubMajorGroup;
use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
use ablework_domain::person::Hukou;
use ablework_domain::progress::{Tally, count_new_employment_between};
use chrono::NaiveDate;

use super::{at, audit, employer, person, recorded, stored_people};
use crate::{
    ApplicationStep, AuditFilter, EmployerHire, Hire, JobPostingFields, MarkEntry, MarksOf,
    NewApplication, OutcomeDetails, PostingScope, RecommendationMark, SeekerFilter, Store,
    StoreError,
};

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(super) fn step(status: ApplicationStatus, on: NaiveDate, minutes: i64) -> ApplicationStep {
    ApplicationStep {
        status,
        on,
        recorded: recorded(minutes),
    }
}

/// A posting of one post at a new employer; its id and its employer's.
pub(super) async fn posting(store: &dyn Store, posts: u32) -> (i64, i64) {
    let employer = store
        .create_employer(
            employer(7, "天津丙物流有限公司", EmployerKind::Enterprise, "120101"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    let fields = JobPostingFields {
        employer_id: employer.id,
        title: "仓库理货员".to_owned(),
        occupation: SubMajorGroup::RecordingClerks,
        district_code: "120101".to_owned(),
        address: "南京路 1 号".to_owned(),
        remote_possible: false,
        hours: Hours::FullTime,
        monthly_wage: 4_500,
        education_required: None,
        skills_required: Vec::new(),
        demands: Vec::new(),
        accommodations: Vec::new(),
        reserved_for_disabled: true,
        posts,
    };
    let posting = store
        .create_job_posting(&fields, at(0), audit("job.create"))
        .await
        .unwrap();
    (posting.id, employer.id)
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

/// An application reads back with its steps in order; a second one of the
/// same person to the same posting is a conflict; a closed posting takes
/// none; moving from a status it no longer has is a conflict and writes
/// nothing.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn applications_round_trip_once_per_person_and_posting(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(2, "李四", "120101")],
    )
    .await;
    let (posting_id, employer_id) = posting(store, 2).await;
    let new = NewApplication {
        person_id: ids[0],
        posting_id,
        fair_id: None,
        first: step(ApplicationStatus::Applied, day(2024, 6, 1), 1),
    };
    let created = store
        .create_application(&new, audit("application.create"))
        .await
        .unwrap();
    assert_eq!(created.person_id, ids[0]);
    assert_eq!(created.person_name, "张三");
    assert_eq!(created.posting_id, posting_id);
    assert_eq!(created.posting_title, "仓库理货员");
    assert_eq!(created.employer_id, employer_id);
    assert_eq!(created.status, ApplicationStatus::Applied);
    assert_eq!(created.steps, std::slice::from_ref(&new.first));
    assert_eq!(created.outcome_id, None);
    assert_eq!(logged(store, "application.create").await, 1);

    let again = store
        .create_application(&new, audit("application.create"))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref rule)) if rule == "application_exists"),
        "{again:?}"
    );

    let interview = step(ApplicationStatus::Interview, day(2024, 6, 5), 2);
    let moved = store
        .move_application(
            created.id,
            ApplicationStatus::Applied,
            &interview,
            None,
            audit("application.move"),
        )
        .await
        .unwrap();
    assert!(!moved.posting_closed);
    assert_eq!(moved.application.status, ApplicationStatus::Interview);
    assert_eq!(
        moved.application.steps,
        [new.first.clone(), interview.clone()]
    );
    let stale = store
        .move_application(
            created.id,
            ApplicationStatus::Applied,
            &step(ApplicationStatus::Offer, day(2024, 6, 6), 3),
            None,
            audit("application.move"),
        )
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict(ref rule)) if rule == "application_moved"),
        "{stale:?}"
    );
    assert_eq!(logged(store, "application.move").await, 1);

    let read = store.application(created.id).await.unwrap().unwrap();
    assert_eq!(read, moved.application);
    assert_eq!(store.application(created.id + 100).await.unwrap(), None);
    assert_eq!(
        store.applications_of_posting(posting_id).await.unwrap(),
        std::slice::from_ref(&read)
    );
    assert_eq!(
        store.applications_of_person(ids[0]).await.unwrap(),
        std::slice::from_ref(&read)
    );
    assert!(
        store
            .applications_of_person(ids[1])
            .await
            .unwrap()
            .is_empty()
    );

    store
        .set_job_posting_open(
            posting_id,
            &PostingScope::All,
            false,
            at(4),
            audit("job.close"),
        )
        .await
        .unwrap();
    let closed = store
        .create_application(
            &NewApplication {
                person_id: ids[1],
                posting_id,
                fair_id: None,
                first: step(ApplicationStatus::Recommended, day(2024, 6, 7), 5),
            },
            audit("application.create"),
        )
        .await;
    assert!(
        matches!(closed, Err(StoreError::Conflict(ref rule)) if rule == "posting_closed"),
        "{closed:?}"
    );
    assert!(
        store
            .applications_of_person(ids[1])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(logged(store, "application.create").await, 1);
}

/// A hire records the person's outcome (employed, counted in progress)
/// with its own audit entry, links it, counts for the employer's hires,
/// and closes the posting when its hires fill its posts.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn a_hire_records_the_outcome_and_fills_the_posting(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(2, "李四", "120101")],
    )
    .await;
    let (posting_id, employer_id) = posting(store, 2).await;
    let mut applications = Vec::new();
    for person_id in &ids {
        let created = store
            .create_application(
                &NewApplication {
                    person_id: *person_id,
                    posting_id,
                    fair_id: None,
                    first: step(ApplicationStatus::Offer, day(2024, 6, 1), 1),
                },
                audit("application.create"),
            )
            .await
            .unwrap();
        applications.push(created.id);
    }
    let year = (day(2024, 1, 1), day(2024, 12, 31));
    let hire = |person_id: i64| Hire {
        outcome: Outcome {
            person_id,
            started_on: day(2024, 6, 10),
            ended_on: None,
            form: EmploymentForm::Quota,
            measure: Measure::PrivateEnterprises,
            district_code: "120101".to_owned(),
            hukou: Hukou::Urban,
            category: ablework_domain::ident::DisabilityCategory::Physical,
            level: 3,
            sex: ablework_domain::ident::Sex::Male,
        },
        details: OutcomeDetails {
            employer_id: Some(employer_id),
            monthly_wage: Some(4_500),
            ..OutcomeDetails::default()
        },
        audit: audit("outcome.record"),
    };
    let first = store
        .move_application(
            applications[0],
            ApplicationStatus::Offer,
            &step(ApplicationStatus::Hired, day(2024, 6, 10), 2),
            Some(&hire(ids[0])),
            audit("application.move"),
        )
        .await
        .unwrap();
    assert!(!first.posting_closed, "one of two posts filled");
    let outcomes = store.outcomes_of(ids[0]).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(first.application.outcome_id, Some(outcomes[0].id));
    assert_eq!(outcomes[0].details.employer_id, Some(employer_id));
    assert_eq!(logged(store, "outcome.record").await, 1);
    let person = store
        .read_person(ids[0], &crate::PersonScope::All, audit("person.read"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        person.employment_status,
        ablework_domain::person::EmploymentStatus::Employed
    );
    let hires = store
        .hires_of_employer(employer_id, year.0, year.1)
        .await
        .unwrap();
    assert_eq!(
        hires,
        vec![EmployerHire {
            person_id: ids[0],
            started_on: day(2024, 6, 10),
            level: person.level,
        }]
    );

    let second = store
        .move_application(
            applications[1],
            ApplicationStatus::Offer,
            &step(ApplicationStatus::Hired, day(2024, 6, 10), 3),
            Some(&hire(ids[1])),
            audit("application.move"),
        )
        .await
        .unwrap();
    assert!(second.posting_closed, "both posts filled");
    let posting = store
        .job_posting(posting_id, &PostingScope::All)
        .await
        .unwrap()
        .unwrap();
    assert!(!posting.open);
    let hires = store
        .hires_of_employer(employer_id, year.0, year.1)
        .await
        .unwrap();
    assert_eq!(
        hires.iter().map(|h| h.person_id).collect::<Vec<_>>(),
        vec![ids[0], ids[1]]
    );
    assert!(
        store
            .hires_of_employer(employer_id, day(2025, 1, 1), day(2025, 12, 31))
            .await
            .unwrap()
            .is_empty()
    );

    // The progress counts kept beside the outcomes moved with them.
    let outcomes = store.outcomes_between(year.0, year.1, None).await.unwrap();
    assert_eq!(outcomes.len(), 2);
    let expected = Tally::of(&count_new_employment_between(&outcomes, year.0, year.1));
    assert_eq!(
        store.progress_tally(None, year.0, year.1).await.unwrap(),
        expected
    );
}

/// A person's marks on recommended jobs read back by person, district and
/// all; a mark is replaced whole, and removed when it has neither half;
/// each write is audited. The postings' revision moves on with every
/// change to a posting.
pub async fn recommendation_marks_are_kept_per_person_and_posting(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(2, "李四", "120102")],
    )
    .await;
    let before = store.job_postings_revision().await.unwrap();
    let (posting_id, _) = posting(store, 1).await;
    let after = store.job_postings_revision().await.unwrap();
    assert!(after > before, "a new posting moves the revision on");

    let mut mark = RecommendationMark::empty(ids[0], posting_id);
    mark.hidden = Some(MarkEntry {
        value: HideReason::TooFar,
        note: "单程一个半小时".to_owned(),
        recorded: recorded(1),
    });
    store
        .set_recommendation_mark(&mark, audit("recommendation.hide"))
        .await
        .unwrap();
    let mut other = RecommendationMark::empty(ids[1], posting_id);
    other.decision = Some(MarkEntry {
        value: CounsellorDecision::Encourage,
        note: String::new(),
        recorded: recorded(2),
    });
    store
        .set_recommendation_mark(&other, audit("recommendation.decide"))
        .await
        .unwrap();

    let of_person = store
        .recommendation_marks(&MarksOf::Person(ids[0]))
        .await
        .unwrap();
    assert_eq!(of_person, vec![mark.clone()]);
    assert!(of_person[0].hides());
    let of_district = store
        .recommendation_marks(&MarksOf::District("120102".to_owned()))
        .await
        .unwrap();
    assert_eq!(of_district, vec![other.clone()]);
    assert!(!of_district[0].hides());
    assert_eq!(
        store.recommendation_marks(&MarksOf::All).await.unwrap(),
        vec![mark.clone(), other.clone()]
    );
    assert_eq!(
        store
            .recommendation_marks(&MarksOf::Posting(posting_id))
            .await
            .unwrap(),
        vec![mark.clone(), other.clone()]
    );

    // Replaced whole: the decision joins, the hiding goes.
    mark.hidden = None;
    mark.decision = Some(MarkEntry {
        value: CounsellorDecision::NotSuitable,
        note: "需要先完成培训".to_owned(),
        recorded: recorded(3),
    });
    store
        .set_recommendation_mark(&mark, audit("recommendation.decide"))
        .await
        .unwrap();
    let of_person = store
        .recommendation_marks(&MarksOf::Person(ids[0]))
        .await
        .unwrap();
    assert_eq!(of_person, vec![mark.clone()]);
    assert!(of_person[0].hides(), "not suitable takes the job out");

    // Neither half: no mark.
    store
        .set_recommendation_mark(
            &RecommendationMark::empty(ids[0], posting_id),
            audit("recommendation.unhide"),
        )
        .await
        .unwrap();
    assert!(
        store
            .recommendation_marks(&MarksOf::Person(ids[0]))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(logged(store, "recommendation.hide").await, 1);
    assert_eq!(logged(store, "recommendation.decide").await, 2);
    assert_eq!(logged(store, "recommendation.unhide").await, 1);
}

/// The seekers a filter admits: by district, and without those whose
/// application is under way or who were hired (a declined one does not
/// count).
pub async fn seeker_files_filter_by_district_and_applications(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[
            person(1, "张三", "120101"),
            person(2, "李四", "120101"),
            person(3, "王五", "120102"),
        ],
    )
    .await;
    let (posting_id, _) = posting(store, 2).await;
    let listed = |filter: SeekerFilter| async move {
        store
            .seeker_files(&filter)
            .await
            .unwrap()
            .iter()
            .map(|f| f.person.id)
            .collect::<Vec<_>>()
    };
    let in_district = SeekerFilter {
        district: Some("120101".to_owned()),
        ..SeekerFilter::default()
    };
    assert_eq!(listed(in_district.clone()).await, vec![ids[0], ids[1]]);
    assert_eq!(listed(SeekerFilter::default()).await, ids);

    for (person_id, status) in [
        (ids[0], ApplicationStatus::Applied),
        (ids[1], ApplicationStatus::Recommended),
    ] {
        store
            .create_application(
                &NewApplication {
                    person_id,
                    posting_id,
                    fair_id: None,
                    first: step(status, day(2024, 6, 1), 1),
                },
                audit("application.create"),
            )
            .await
            .unwrap();
    }
    let unmatched = SeekerFilter {
        without_applications: true,
        ..in_district
    };
    assert_eq!(
        listed(unmatched).await,
        vec![ids[1]],
        "applied is under way; recommended is not yet"
    );
}
