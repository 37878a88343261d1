//! The conformance suite every storage adapter runs.
//!
//! Each check takes a fresh, migrated, empty store and panics on the first
//! difference from the port's documented behaviour. Adapters run all of them
//! against every engine with [`conformance_suite!`](crate::conformance_suite):
//!
//! ```ignore
//! ablework_store::conformance_suite!(sqlite, crate::fresh_sqlite_store);
//! ```
//!
//! The factory is an async function returning `Option<G>` where `G` derefs
//! to a `Store`; `None` means the engine is not available here and the test
//! says it was skipped.

#![expect(
    clippy::unwrap_used,
    clippy::missing_panics_doc,
    reason = "a test suite: a panic is the failure report"
)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::person::{EmploymentStatus, Hukou};
use ablework_domain::roles::Role;
use ablework_domain::working_age::RetirementGroup;

use ablework_domain::levy::EmployerKind;
use rust_decimal::Decimal;

use crate::{
    AuditFilter, GENESIS_HASH, NewApiToken, NewAuditEntry, NewPerson, NewSession, NewUser,
    PersonFilter, PersonScope, PersonSort, SeekerFilter, Store, StoreError, audit::verify_records,
};
use ablework_domain::four_ones::{
    Accommodation, AssessmentStatus, CheckSource, CheckedField, ConsentPurpose, Function, Hours,
    Limitation, ServiceKind, ServiceResult, Step, WorkCapacity,
};
use ablework_domain::outcome::EmploymentForm;

use crate::{
    AssessmentFields, AssessmentRecord, CaseFile, CheckRecord, ConsentRecord, NeedFields,
    NeedRecord, Recorded, ServiceRecord, WorkQueueFilter,
};
use crate::{
    DeclarationEvent, DeclarationFigures, DeclarationFilter, DeclarationStatus, DeclaredEmployee,
    EmployerFields, EmployerFilter, EmployerScope, VersionedRecord,
};
use crate::{FollowUp, OutcomeDetails};

mod applications;
mod duplicates;
mod fairs;
mod graduates;
mod import_jobs;
mod imports;
mod postings;
mod programmes;
pub use applications::*;
pub use duplicates::*;
pub use fairs::*;
pub use graduates::*;
pub use import_jobs::*;
pub use imports::*;
pub use postings::*;
pub use programmes::*;

/// Generates one `#[tokio::test]` per conformance check, in a module named
/// after the engine.
#[macro_export]
macro_rules! conformance_suite {
    ($engine:ident, $factory:path) => {
        $crate::conformance_suite!(@tests $engine, $factory;
            users_are_unique_by_username,
            sessions_are_found_until_they_expire,
            api_tokens_stop_working_when_revoked,
            login_failures_are_counted_per_key,
            people_are_listed_within_scope,
            people_lists_paginate_filter_and_sort,
            reading_a_person_is_audited_in_scope_only,
            a_registered_id_number_is_a_conflict,
            bulk_insert_skips_registered_people,
            the_audit_chain_verifies,
            audit_search_filters,
            import_batches_are_all_or_nothing,
            exports_read_in_id_order_within_scope,
            people_are_updated_and_deactivated_within_scope,
            name_search_follows_renames_and_moves,
            outcomes_are_read_back_by_period_and_district,
            employers_are_unique_and_scoped,
            declarations_are_filed_reviewed_and_kept,
            double_counting_is_found_across_employers,
            measure_one_lists_agencies_and_institutions,
            presets_are_versioned,
            plans_are_versioned_apart_from_presets,
            case_records_round_trip_newest_first,
            assessments_are_approved_once_and_queued_in_scope,
            work_queues_list_who_lacks_each_step,
            outcomes_are_recorded_and_followed_up,
            the_kept_tally_follows_every_outcome_change,
            students_are_enrolled_once_and_changed,
            plans_and_contacts_read_back_in_order,
            cohorts_are_read_within_scope_with_counts,
            students_are_written_in_bulk_skipping_those_enrolled,
            job_postings_round_trip_and_are_audited,
            job_postings_are_read_and_changed_within_scope,
            job_posting_lists_filter_sort_and_paginate,
            open_job_postings_are_all_listed_in_id_order,
            consenting_seekers_follow_the_newest_consent,
            applications_round_trip_once_per_person_and_posting,
            a_hire_records_the_outcome_and_fills_the_posting,
            recommendation_marks_are_kept_per_person_and_posting,
            seeker_files_filter_by_district_and_applications,
            fairs_round_trip_within_scope_and_are_audited,
            fair_lists_filter_by_district_mode_and_date,
            employers_join_fairs_and_people_register_and_attend,
            duplicates_are_found_within_scope_and_dismissed,
            older_phones_are_found_and_hashed,
            merge_then_undo_restores_both_records_exactly,
            import_jobs_run_checkpoint_resume_and_finish,
            employer_batches_insert_update_and_are_all_or_nothing,
            posting_batches_insert_and_update_by_id,
            outcome_batches_record_update_and_keep_the_tally,
            programme_units_round_trip_within_scope,
            programme_activities_are_read_within_scope,
            people_join_a_list_once_within_its_places,
            participant_progress_keeps_the_income_it_is_not_given,
            a_participation_places_someone_in_work_once,
            draws_never_pass_the_limit,
            programme_figures_count_each_programme_within_scope,
            a_merge_moves_participations_and_draws_and_its_undo_restores_them,
            rural_criteria_are_versioned
        );
    };
    (@tests $engine:ident, $factory:path; $($check:ident),+) => {
        mod $engine {
            $(
                #[tokio::test]
                async fn $check() {
                    match $factory().await {
                        Some(store) => $crate::conformance::$check(&*store).await,
                        None => eprintln!(
                            "SKIPPED {}::{}: the {} engine is not available here",
                            module_path!(), stringify!($check), stringify!($engine)
                        ),
                    }
                }
            )+
        }
    };
}

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 30, 8, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn audit(action: &str) -> NewAuditEntry {
    NewAuditEntry::new(at(0), None, "conformance", action, "test")
}

fn user(username: &str, role: Role) -> NewUser {
    NewUser {
        username: username.to_owned(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        role,
        district_code: (role == Role::DistrictOfficer).then(|| "120101".to_owned()),
        organisation_id: None,
        person_id: None,
        created_at: at(0),
    }
}

/// A person fixture; `n` makes the identifiers unique.
pub fn person(n: u32, name: &str, district: &str) -> NewPerson {
    NewPerson {
        name: name.to_owned(),
        id_number_enc: vec![1, 2, 3, u8::try_from(n % 256).unwrap()],
        id_number_hash: format!("hash-{n}"),
        id_number_masked: "1201**********1235".to_owned(),
        certificate_enc: vec![4, 5, 6],
        certificate_masked: "1201****************".to_owned(),
        sex: if n.is_multiple_of(2) {
            Sex::Female
        } else {
            Sex::Male
        },
        birth_date: NaiveDate::from_ymd_opt(1980 + i32::try_from(n % 20).unwrap(), 1, 1).unwrap(),
        category: DisabilityCategory::Physical,
        level: 3,
        district_code: district.to_owned(),
        street: Some("劝业场街道".to_owned()),
        hukou: Some(Hukou::Urban),
        phone_enc: None,
        phone_masked: None,
        phone_hash: None,
        education: None,
        employment_status: EmploymentStatus::Unemployed,
        retirement_group: if n.is_multiple_of(2) {
            RetirementGroup::Female50
        } else {
            RetirementGroup::Male
        },
        registered_on: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Duration::days(i64::from(n)),
        created_at: at(0),
    }
}

/// Usernames are unique; look-ups by name and id agree.
pub async fn users_are_unique_by_username(store: &dyn Store) {
    let created = store
        .create_user(user("officer", Role::DistrictOfficer), audit("user.create"))
        .await
        .unwrap();
    assert_eq!(created.username, "officer");
    assert_eq!(created.role, Role::DistrictOfficer);
    assert_eq!(created.district_code.as_deref(), Some("120101"));
    assert!(created.active);
    let again = store
        .create_user(user("officer", Role::Seeker), audit("user.create"))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let by_name = store.user_by_username("officer").await.unwrap().unwrap();
    let by_id = store.user_by_id(created.id).await.unwrap().unwrap();
    assert_eq!(by_name, by_id);
    assert_eq!(by_id.created_at, at(0));
    assert!(store.user_by_username("nobody").await.unwrap().is_none());
    store
        .create_user(user("admin", Role::CityAdmin), audit("user.create"))
        .await
        .unwrap();
    let names: Vec<String> = store
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(names, ["admin", "officer"]);
}

/// Sessions are found by hash until they expire or are deleted.
pub async fn sessions_are_found_until_they_expire(store: &dyn Store) {
    let account = store
        .create_user(user("admin", Role::CityAdmin), audit("user.create"))
        .await
        .unwrap();
    let session = NewSession {
        token_hash: "session-hash".to_owned(),
        user_id: account.id,
        csrf_token: "csrf".to_owned(),
        lang: "zh".to_owned(),
        created_at: at(0),
        expires_at: at(60),
    };
    store
        .create_session(session, audit("session.login"))
        .await
        .unwrap();
    let (found, found_user) = store
        .session_by_hash("session-hash", at(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.csrf_token, "csrf");
    assert_eq!(found.expires_at, at(60));
    assert_eq!(found_user.username, "admin");
    store.set_session_lang("session-hash", "en").await.unwrap();
    let (found, _) = store
        .session_by_hash("session-hash", at(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.lang, "en");
    assert!(
        store
            .session_by_hash("session-hash", at(61))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session_by_hash("other", at(30))
            .await
            .unwrap()
            .is_none()
    );
    store
        .delete_session("session-hash", audit("session.logout"))
        .await
        .unwrap();
    assert!(
        store
            .session_by_hash("session-hash", at(30))
            .await
            .unwrap()
            .is_none()
    );
    store
        .delete_session("session-hash", audit("session.logout"))
        .await
        .unwrap();
}

/// Tokens authenticate until revoked.
pub async fn api_tokens_stop_working_when_revoked(store: &dyn Store) {
    let account = store
        .create_user(user("admin", Role::CityAdmin), audit("user.create"))
        .await
        .unwrap();
    let token = NewApiToken {
        user_id: account.id,
        token_hash: "token-hash".to_owned(),
        prefix: "abw_1234".to_owned(),
        created_at: at(0),
    };
    let issued = store
        .create_api_token(token, audit("api_token.create"))
        .await
        .unwrap();
    assert_eq!(issued.prefix, "abw_1234");
    assert!(issued.revoked_at.is_none());
    assert_eq!(
        store
            .user_by_api_token("token-hash")
            .await
            .unwrap()
            .unwrap()
            .id,
        account.id
    );
    store
        .revoke_api_token(issued.id, at(5), audit("api_token.revoke"))
        .await
        .unwrap();
    assert!(
        store
            .user_by_api_token("token-hash")
            .await
            .unwrap()
            .is_none()
    );
    store
        .revoke_api_token(issued.id, at(9), audit("api_token.revoke"))
        .await
        .unwrap();
    let tokens = store.list_api_tokens(account.id).await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].revoked_at, Some(at(5)));
}

/// Failed logins are counted per key within a window and cleared.
pub async fn login_failures_are_counted_per_key(store: &dyn Store) {
    for minute in [0, 1, 2] {
        store
            .record_failed_attempt("user:admin", at(minute))
            .await
            .unwrap();
    }
    store
        .record_failed_attempt("user:other", at(2))
        .await
        .unwrap();
    assert_eq!(
        store
            .count_failed_attempts("user:admin", at(0))
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        store
            .count_failed_attempts("user:admin", at(1))
            .await
            .unwrap(),
        2
    );
    store.clear_failed_attempts("user:admin").await.unwrap();
    assert_eq!(
        store
            .count_failed_attempts("user:admin", at(0))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .count_failed_attempts("user:other", at(0))
            .await
            .unwrap(),
        1
    );
}

async fn seed_people(store: &dyn Store) {
    let people = vec![
        person(1, "张伟", "120101"),
        person(2, "王芳", "120101"),
        person(3, "李娜", "120102"),
        person(4, "张敏", "120116"),
    ];
    assert_eq!(
        store
            .insert_persons(&people, audit("person.import"))
            .await
            .unwrap(),
        4
    );
}

/// Scopes narrow lists; counts by district follow the scope.
pub async fn people_are_listed_within_scope(store: &dyn Store) {
    seed_people(store).await;
    let all = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap();
    assert_eq!(all.total, 4);
    let district = store
        .list_persons(&PersonFilter::new(PersonScope::District(
            "120101".to_owned(),
        )))
        .await
        .unwrap();
    assert_eq!(district.total, 2);
    assert!(district.items.iter().all(|p| p.district_code == "120101"));
    let one = all.items[0].id;
    let own = store
        .list_persons(&PersonFilter::new(PersonScope::Person(one)))
        .await
        .unwrap();
    assert_eq!(own.items.iter().map(|p| p.id).collect::<Vec<_>>(), [one]);
    assert_eq!(
        store
            .list_persons(&PersonFilter::new(PersonScope::Nobody))
            .await
            .unwrap()
            .total,
        0
    );
    // A district filter cannot widen a district scope.
    let mut escape = PersonFilter::new(PersonScope::District("120101".to_owned()));
    escape.district_code = Some("120102".to_owned());
    assert_eq!(store.list_persons(&escape).await.unwrap().total, 0);
    let counts = store
        .count_persons_by_district(&PersonScope::All)
        .await
        .unwrap();
    assert_eq!(
        counts,
        [
            ("120101".to_owned(), 2),
            ("120102".to_owned(), 1),
            ("120116".to_owned(), 1)
        ]
    );
}

/// Pages, name search, filters and sorts.
pub async fn people_lists_paginate_filter_and_sort(store: &dyn Store) {
    let people: Vec<NewPerson> = (1..=45)
        .map(|n| person(n, &format!("测试{n:02}"), "120104"))
        .collect();
    store
        .insert_persons(&people, audit("person.import"))
        .await
        .unwrap();
    let mut filter = PersonFilter::new(PersonScope::All);
    filter.per_page = 20;
    filter.page = 3;
    filter.sort = PersonSort::NameAsc;
    let page = store.list_persons(&filter).await.unwrap();
    assert_eq!(page.total, 45);
    assert_eq!(
        page.items
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["测试41", "测试42", "测试43", "测试44", "测试45"]
    );
    filter.page = 1;
    filter.sort = PersonSort::RegisteredDesc;
    assert_eq!(
        store.list_persons(&filter).await.unwrap().items[0].name,
        "测试45"
    );
    filter.sort = PersonSort::RegisteredAsc;
    assert_eq!(
        store.list_persons(&filter).await.unwrap().items[0].name,
        "测试01"
    );
    let mut search = PersonFilter::new(PersonScope::All);
    search.name_contains = Some("试1".to_owned());
    assert_eq!(store.list_persons(&search).await.unwrap().total, 10);
    // Wildcards typed by a user are matched literally.
    search.name_contains = Some("%".to_owned());
    assert_eq!(store.list_persons(&search).await.unwrap().total, 0);
    let mut by_hash = PersonFilter::new(PersonScope::All);
    by_hash.id_number_hash = Some("hash-7".to_owned());
    assert_eq!(
        store.list_persons(&by_hash).await.unwrap().items[0].name,
        "测试07"
    );
    let mut by_status = PersonFilter::new(PersonScope::All);
    by_status.employment_status = Some(EmploymentStatus::Employed);
    assert_eq!(store.list_persons(&by_status).await.unwrap().total, 0);
    by_status.employment_status = None;
    by_status.category = Some(DisabilityCategory::Physical);
    assert_eq!(store.list_persons(&by_status).await.unwrap().total, 45);
}

/// A read in scope returns the record and appends its audit entry; out of
/// scope reads as absent and appends nothing.
pub async fn reading_a_person_is_audited_in_scope_only(store: &dyn Store) {
    seed_people(store).await;
    let all = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap();
    let heping = all
        .items
        .iter()
        .find(|p| p.district_code == "120101")
        .unwrap();
    let before = store
        .search_audit(&AuditFilter {
            page: 1,
            per_page: 50,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .total;
    let read = |scope| {
        let entry = NewAuditEntry::new(at(1), Some(9), "officer", "person.read", "person")
            .with_entity_id(heping.id);
        store.read_person(heping.id, scope, entry)
    };
    let heping_scope = PersonScope::District("120101".to_owned());
    let hedong_scope = PersonScope::District("120102".to_owned());
    let found = read(&heping_scope).await.unwrap().unwrap();
    assert_eq!(&found, heping);
    assert_eq!(found.birth_date, heping.birth_date);
    assert!(read(&hedong_scope).await.unwrap().is_none());
    assert!(read(&PersonScope::Nobody).await.unwrap().is_none());
    let log = store
        .search_audit(&AuditFilter {
            action: Some("person.read".to_owned()),
            page: 1,
            per_page: 50,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.total, 1);
    assert_eq!(log.items[0].entry.entity_id, Some(heping.id.to_string()));
    assert_eq!(log.items[0].entry.actor_user_id, Some(9));
    let after = store
        .search_audit(&AuditFilter {
            page: 1,
            per_page: 50,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .total;
    assert_eq!(after, before + 1);
    let missing = NewAuditEntry::new(at(1), None, "officer", "person.read", "person");
    assert!(
        store
            .read_person(999_999, &PersonScope::All, missing)
            .await
            .unwrap()
            .is_none()
    );
}

/// The same ID number cannot be registered twice, and a failed write leaves
/// no audit entry behind.
pub async fn a_registered_id_number_is_a_conflict(store: &dyn Store) {
    let created = store
        .create_person(person(1, "张伟", "120101"), audit("person.create"))
        .await
        .unwrap();
    assert_eq!(created.name, "张伟");
    assert_eq!(created.street.as_deref(), Some("劝业场街道"));
    assert_eq!(created.hukou, Some(Hukou::Urban));
    let entries = store
        .search_audit(&AuditFilter {
            page: 1,
            per_page: 50,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .total;
    let again = store
        .create_person(person(1, "张伟", "120102"), audit("person.create"))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let after = store
        .search_audit(&AuditFilter {
            page: 1,
            per_page: 50,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .total;
    assert_eq!(
        entries, after,
        "a rolled-back write must not leave its audit entry"
    );
}

/// A bulk insert skips people already registered and reports what it added.
pub async fn bulk_insert_skips_registered_people(store: &dyn Store) {
    seed_people(store).await;
    let again = vec![person(1, "张伟", "120101"), person(5, "赵强", "120105")];
    assert_eq!(
        store
            .insert_persons(&again, audit("person.import"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .list_persons(&PersonFilter::new(PersonScope::All))
            .await
            .unwrap()
            .total,
        5
    );
}

/// After many writes the chain verifies from the genesis hash.
pub async fn the_audit_chain_verifies(store: &dyn Store) {
    seed_people(store).await;
    for n in 0..25 {
        store
            .append_audit(
                audit(&format!("test.{n}"))
                    .with_detail(serde_json::json!({"n": n, "note": "中文"})),
            )
            .await
            .unwrap();
    }
    let mut seq = 0;
    let mut hash = GENESIS_HASH.to_owned();
    loop {
        let batch = store.audit_chain(seq, 10).await.unwrap();
        if batch.is_empty() {
            break;
        }
        (seq, hash) = verify_records(seq, hash, &batch).unwrap();
    }
    assert_eq!(seq, 26);
    assert_eq!(hash.len(), 64);
}

/// Audit search by actor, action prefix, entity and time.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn audit_search_filters(store: &dyn Store) {
    store
        .append_audit(
            NewAuditEntry::new(at(0), Some(1), "admin", "person.read", "person").with_entity_id(1),
        )
        .await
        .unwrap();
    store
        .append_audit(
            NewAuditEntry::new(at(10), Some(1), "admin", "person.unmask", "person")
                .with_entity_id(1),
        )
        .await
        .unwrap();
    store
        .append_audit(NewAuditEntry::new(
            at(20),
            Some(2),
            "officer",
            "session.login",
            "session",
        ))
        .await
        .unwrap();
    let search = |filter: AuditFilter| async move {
        store
            .search_audit(&AuditFilter {
                page: 1,
                per_page: 10,
                ..filter
            })
            .await
            .unwrap()
    };
    let all = search(AuditFilter::default()).await;
    assert_eq!(all.total, 3);
    assert_eq!(all.items[0].entry.action, "session.login", "newest first");
    assert_eq!(
        search(AuditFilter {
            actor: Some("admin".to_owned()),
            ..AuditFilter::default()
        })
        .await
        .total,
        2
    );
    assert_eq!(
        search(AuditFilter {
            action: Some("person.".to_owned()),
            ..AuditFilter::default()
        })
        .await
        .total,
        2
    );
    assert_eq!(
        search(AuditFilter {
            action: Some("person.read".to_owned()),
            ..AuditFilter::default()
        })
        .await
        .total,
        1
    );
    assert_eq!(
        search(AuditFilter {
            entity: Some("session".to_owned()),
            ..AuditFilter::default()
        })
        .await
        .total,
        1
    );
    assert_eq!(
        search(AuditFilter {
            entity_id: Some("1".to_owned()),
            ..AuditFilter::default()
        })
        .await
        .total,
        2
    );
    assert_eq!(
        search(AuditFilter {
            from: Some(at(5)),
            until: Some(at(15)),
            ..AuditFilter::default()
        })
        .await
        .total,
        1
    );
    let paged = store
        .search_audit(&AuditFilter {
            page: 2,
            per_page: 2,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(paged.items.len(), 1);
    assert_eq!(paged.total, 3);
}

/// An import batch inserts and updates together, or not at all.
pub async fn import_batches_are_all_or_nothing(store: &dyn Store) {
    seed_people(store).await;
    let existing = store
        .persons_by_id_hashes(&["hash-1".to_owned(), "hash-3".to_owned(), "nope".to_owned()])
        .await
        .unwrap();
    assert_eq!(existing.len(), 2);
    let zhang = existing
        .iter()
        .find(|p| p.id_number_hash == "hash-1")
        .unwrap();
    let mut renamed = person(1, "张伟明", "120102");
    renamed.created_at = at(30);
    let counts = store
        .apply_person_batch(
            &[person(10, "新人", "120104")],
            &[(zhang.id, renamed)],
            audit("person.import").with_detail(serde_json::json!({"file": "a.csv"})),
        )
        .await
        .unwrap();
    assert_eq!((counts.inserted, counts.updated), (1, 1));
    let after = store
        .persons_by_id_hashes(&["hash-1".to_owned()])
        .await
        .unwrap();
    assert_eq!(after[0].name, "张伟明");
    assert_eq!(after[0].district_code, "120102");
    assert_eq!(after[0].updated_at, at(30));
    assert_eq!(after[0].created_at, zhang.created_at, "creation is kept");
    assert_eq!(
        after[0].registered_on, zhang.registered_on,
        "registration is kept"
    );
    let log = store
        .search_audit(&AuditFilter {
            action: Some("person.import".to_owned()),
            page: 1,
            per_page: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.items[0].entry.detail["file"], "a.csv");
    assert_eq!(log.items[0].entry.detail["inserted"], 1);
    // A batch with one bad row (a registered ID number) leaves nothing behind.
    let entries = log.total;
    let failed = store
        .apply_person_batch(
            &[person(11, "甲", "120101"), person(2, "重复", "120101")],
            &[],
            audit("person.import"),
        )
        .await;
    assert!(matches!(failed, Err(StoreError::Conflict(_))), "{failed:?}");
    assert!(
        store
            .persons_by_id_hashes(&["hash-11".to_owned()])
            .await
            .unwrap()
            .is_empty()
    );
    let log = store
        .search_audit(&AuditFilter {
            action: Some("person.import".to_owned()),
            page: 1,
            per_page: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.total, entries);
    assert!(store.persons_by_id_hashes(&[]).await.unwrap().is_empty());
}

/// Keyset reads follow id order, respect the scope and never repeat a row.
pub async fn exports_read_in_id_order_within_scope(store: &dyn Store) {
    let people: Vec<NewPerson> = (1..=25)
        .map(|n| {
            person(
                n,
                &format!("导出{n:02}"),
                if n % 5 == 0 { "120102" } else { "120101" },
            )
        })
        .collect();
    store
        .insert_persons(&people, audit("person.import"))
        .await
        .unwrap();
    let filter = PersonFilter::new(PersonScope::District("120101".to_owned()));
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let batch = store.persons_after(&filter, after, 7).await.unwrap();
        let Some(last) = batch.last() else { break };
        after = last.id;
        seen.extend(batch.into_iter().map(|p| (p.id, p.district_code)));
    }
    assert_eq!(seen.len(), 20);
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(seen.iter().all(|(_, district)| district == "120101"));
}

/// Changes are scoped and audited; an ID taken by someone else is a conflict.
pub async fn people_are_updated_and_deactivated_within_scope(store: &dyn Store) {
    seed_people(store).await;
    let zhang = store
        .persons_by_id_hashes(&["hash-1".to_owned()])
        .await
        .unwrap()
        .remove(0);
    let heping = PersonScope::District("120101".to_owned());
    let hedong = PersonScope::District("120102".to_owned());
    let mut changed = person(1, "张伟", "120101");
    changed.street = Some("小白楼街道".to_owned());
    changed.created_at = at(45);
    let write =
        |scope, person| store.update_person(zhang.id, scope, person, audit("person.update"));
    assert!(
        write(&hedong, changed.clone()).await.unwrap().is_none(),
        "out of scope changes nothing"
    );
    let updated = write(&heping, changed).await.unwrap().unwrap();
    assert_eq!(updated.street.as_deref(), Some("小白楼街道"));
    assert_eq!(updated.updated_at, at(45));
    assert_eq!(updated.created_at, zhang.created_at);
    let taken = person(2, "张伟", "120101");
    assert!(matches!(
        write(&heping, taken).await,
        Err(StoreError::Conflict(_))
    ));
    let off = store
        .set_person_active(zhang.id, &heping, false, audit("person.deactivate"))
        .await
        .unwrap()
        .unwrap();
    assert!(!off.active);
    assert!(
        store
            .set_person_active(zhang.id, &hedong, true, audit("person.activate"))
            .await
            .unwrap()
            .is_none()
    );
    let log = store
        .search_audit(&AuditFilter {
            entity_id: Some(zhang.id.to_string()),
            page: 1,
            per_page: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = log.items.iter().map(|r| r.entry.action.as_str()).collect();
    assert_eq!(actions, ["person.deactivate", "person.update"]);
}

/// A name search, narrowed to a district or not, counts and lists the same
/// people, and follows a person who is renamed or moves district.
pub async fn name_search_follows_renames_and_moves(store: &dyn Store) {
    seed_people(store).await;
    let found = |scope: PersonScope, district: Option<&str>, text: &str| {
        let mut filter = PersonFilter::new(scope);
        filter.district_code = district.map(str::to_owned);
        filter.name_contains = Some(text.to_owned());
        async move {
            let page = store.list_persons(&filter).await.unwrap();
            let mut names: Vec<String> = page.items.into_iter().map(|p| p.name).collect();
            names.sort();
            assert_eq!(
                page.total,
                names.len() as u64,
                "the count agrees with the list"
            );
            names
        }
    };
    let heping = || PersonScope::District("120101".to_owned());
    let hedong = || PersonScope::District("120102".to_owned());
    let all_ids: Vec<i64> = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap()
        .items
        .iter()
        .map(|p| p.id)
        .chain([i64::MAX])
        .collect();
    let mut by_ids: Vec<String> = store
        .persons_by_ids(&all_ids, &heping())
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    by_ids.sort();
    assert_eq!(by_ids, ["张伟", "王芳"], "by ids, within the scope");
    assert_eq!(found(PersonScope::All, None, "张").await, ["张伟", "张敏"]);
    assert_eq!(found(heping(), None, "张").await, ["张伟"]);
    assert_eq!(
        found(PersonScope::All, Some("120116"), "张").await,
        ["张敏"]
    );
    assert_eq!(
        found(heping(), Some("120116"), "张").await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(PersonScope::All, Some("120101"), "王芳").await,
        ["王芳"]
    );
    let zhang = store
        .persons_by_id_hashes(&["hash-1".to_owned()])
        .await
        .unwrap()
        .remove(0);
    let moved = person(1, "赵伟", "120102");
    store
        .update_person(zhang.id, &heping(), moved, audit("person.update"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found(heping(), None, "张").await, Vec::<String>::new());
    assert_eq!(found(heping(), None, "伟").await, Vec::<String>::new());
    assert_eq!(found(hedong(), None, "赵").await, ["赵伟"]);
    assert_eq!(found(hedong(), None, "赵伟").await, ["赵伟"]);
    assert_eq!(found(PersonScope::All, None, "伟").await, ["赵伟"]);
    let mut filtered = PersonFilter::new(hedong());
    filtered.name_contains = Some("伟".to_owned());
    filtered.employment_status = Some(EmploymentStatus::Employed);
    let none = store.list_persons(&filtered).await.unwrap();
    assert_eq!((none.total, none.items.len()), (0, 0));
}

/// Outcomes round-trip and are selected by start date and district.
pub async fn outcomes_are_read_back_by_period_and_district(store: &dyn Store) {
    use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
    seed_people(store).await;
    let people = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap()
        .items;
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let outcome = |person: &crate::PersonRecord, started_on, ended_on| Outcome {
        person_id: person.id,
        started_on,
        ended_on,
        form: EmploymentForm::Flexible,
        measure: Measure::PrivateEnterprises,
        district_code: person.district_code.clone(),
        hukou: Hukou::Urban,
        category: person.category,
        level: person.level,
        sex: person.sex,
    };
    let outcomes = vec![
        outcome(&people[0], day(2021, 12, 31), None),
        outcome(&people[0], day(2022, 1, 1), Some(day(2022, 6, 30))),
        outcome(&people[1], day(2024, 12, 31), None),
        outcome(&people[2], day(2025, 1, 1), None),
    ];
    assert_eq!(
        store
            .insert_outcomes(&outcomes, audit("outcome.import"))
            .await
            .unwrap(),
        4
    );
    let found = store
        .outcomes_between(day(2022, 1, 1), day(2024, 12, 31), None)
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.contains(&outcomes[1]), "{found:?}");
    assert!(found.contains(&outcomes[2]));
    let district = people[1].district_code.clone();
    let local = store
        .outcomes_between(day(2022, 1, 1), day(2024, 12, 31), Some(&district))
        .await
        .unwrap();
    assert!(local.iter().all(|o| o.district_code == district));
}

/// An employer fixture; `n` makes the credit code unique.
pub fn employer(n: u32, name: &str, kind: EmployerKind, district: &str) -> EmployerFields {
    EmployerFields {
        credit_code: format!("91120101MA{n:07}"),
        name: name.to_owned(),
        kind,
        is_school: false,
        staffing_quota: None,
        staff: 100,
        district_code: district.to_owned(),
        sector: "retail".to_owned(),
        state_owned: false,
    }
}

fn declared(person_id: i64, from_month: u8, to_month: u8) -> DeclaredEmployee {
    DeclaredEmployee {
        person_id,
        name: String::new(),
        certificate_masked: String::new(),
        level: 3,
        from_month,
        to_month,
        contract_ok: true,
        min_wage_ok: true,
        insured_ok: true,
    }
}

fn figures(employees: Vec<DeclaredEmployee>, levy: i64) -> DeclarationFigures {
    DeclarationFigures {
        declared_on: NaiveDate::from_ymd_opt(2024, 6, 30).unwrap(),
        monthly_headcount: vec![Decimal::new(1005, 1); 12],
        seasonal: vec![(Decimal::from(4), 6)],
        total_wages: Decimal::new(800_000_005, 2),
        social_average_wage: Decimal::from(100_000),
        employees,
        policy_id: "tianjin-2022-2024".to_owned(),
        policy_version: 1,
        headcount: Decimal::new(1025, 1),
        counted: Decimal::ONE,
        shortfall: Decimal::new(5375, 4),
        levy: Decimal::from(levy),
    }
}

fn event(action: &str, levy: i64) -> DeclarationEvent {
    DeclarationEvent {
        at: at(5),
        user_id: None,
        username: None,
        action: action.to_owned(),
        note: None,
        levy: Decimal::from(levy),
    }
}

/// Credit codes are unique; employers are listed and read inside a scope.
pub async fn employers_are_unique_and_scoped(store: &dyn Store) {
    let first = store
        .create_employer(
            employer(1, "天津甲商贸有限公司", EmployerKind::Enterprise, "120101"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    assert_eq!(first.fields.name, "天津甲商贸有限公司");
    assert!(first.active);
    let again = store
        .create_employer(
            employer(1, "重复", EmployerKind::Enterprise, "120102"),
            at(0),
            audit("employer.create"),
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let many = [
        employer(2, "天津乙科技有限公司", EmployerKind::Enterprise, "120102"),
        employer(3, "天津市河西区民政局", EmployerKind::Agency, "120103"),
        employer(1, "重复", EmployerKind::Enterprise, "120101"),
    ];
    let inserted = store
        .insert_employers(&many, at(0), audit("employer.import"))
        .await
        .unwrap();
    assert_eq!(inserted, 2);

    let all = store
        .list_employers(&EmployerFilter::new(EmployerScope::All))
        .await
        .unwrap();
    assert_eq!(all.total, 3);
    let mut district = EmployerFilter::new(EmployerScope::District("120101".to_owned()));
    district.district_code = Some("120102".to_owned());
    assert_eq!(store.list_employers(&district).await.unwrap().total, 0);
    let mut search = EmployerFilter::new(EmployerScope::All);
    search.search = Some("民政".to_owned());
    let found = store.list_employers(&search).await.unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].fields.kind, EmployerKind::Agency);
    search.search = Some("91120101ma0000002".to_owned());
    assert_eq!(store.list_employers(&search).await.unwrap().total, 1);

    let own = EmployerScope::Employer(first.id);
    assert!(store.employer(first.id, &own).await.unwrap().is_some());
    let other = found.items[0].id;
    assert!(store.employer(other, &own).await.unwrap().is_none());
    let mut changed = first.fields.clone();
    changed.staff = 250;
    changed.is_school = true;
    changed.state_owned = true;
    changed.staffing_quota = Some(240);
    assert!(
        store
            .update_employer(
                other,
                &own,
                changed.clone(),
                at(1),
                audit("employer.update")
            )
            .await
            .unwrap()
            .is_none()
    );
    let updated = store
        .update_employer(first.id, &own, changed, at(1), audit("employer.update"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.fields.staff, 250);
    assert_eq!(updated.fields.staffing_quota, Some(240));
    assert!(updated.fields.is_school);
    assert!(updated.fields.state_owned, "state ownership is kept");
    let by_code = store
        .employer_by_credit_code(&first.fields.credit_code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_code.id, first.id);
}

/// A declaration is filed, returned, refiled and approved; its figures
/// round-trip exactly, its history is kept, and an approved one is final.
#[expect(
    clippy::too_many_lines,
    reason = "one declaration's whole life, step by step"
)]
pub async fn declarations_are_filed_reviewed_and_kept(store: &dyn Store) {
    let company = store
        .create_employer(
            employer(1, "天津甲商贸有限公司", EmployerKind::Enterprise, "120101"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    let people = [person(1, "张三", "120101"), person(2, "李四", "120101")];
    store
        .insert_persons(&people, audit("person.import"))
        .await
        .unwrap();
    let stored = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap()
        .items;
    let ids: Vec<i64> = stored.iter().map(|p| p.id).collect();

    let filed = store
        .save_declaration(
            company.id,
            2023,
            &figures(vec![declared(ids[0], 1, 12), declared(ids[1], 10, 12)], 500),
            event("submitted", 500),
            audit("declaration.submit"),
        )
        .await
        .unwrap();
    assert_eq!(filed.status, DeclarationStatus::Submitted);
    assert_eq!(
        filed.figures.monthly_headcount,
        vec![Decimal::new(1005, 1); 12]
    );
    assert_eq!(filed.figures.total_wages, Decimal::new(800_000_005, 2));
    assert_eq!(filed.figures.seasonal, vec![(Decimal::from(4), 6)]);
    assert_eq!(filed.figures.employees.len(), 2);
    assert_eq!(filed.figures.employees[1].from_month, 10);
    assert!(!filed.figures.employees[0].name.is_empty());
    assert_eq!(filed.events.len(), 1);

    let other_district = EmployerScope::District("120102".to_owned());
    let returned = store
        .review_declaration(
            filed.id,
            &other_district,
            DeclarationStatus::Returned,
            event("returned", 500),
            audit("declaration.return"),
        )
        .await
        .unwrap();
    assert!(returned.is_none(), "out of scope reads as absent");
    let mut back = event("returned", 500);
    back.note = Some("请补充社保证明".to_owned());
    let returned = store
        .review_declaration(
            filed.id,
            &EmployerScope::District("120101".to_owned()),
            DeclarationStatus::Returned,
            back,
            audit("declaration.return"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(returned.status, DeclarationStatus::Returned);
    let twice = store
        .review_declaration(
            filed.id,
            &EmployerScope::All,
            DeclarationStatus::Approved,
            event("approved", 500),
            audit("declaration.approve"),
        )
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");

    let refiled = store
        .save_declaration(
            company.id,
            2023,
            &figures(vec![declared(ids[0], 1, 12)], 700),
            event("resubmitted", 700),
            audit("declaration.submit"),
        )
        .await
        .unwrap();
    assert_eq!(
        refiled.id, filed.id,
        "one declaration per employer and year"
    );
    assert_eq!(refiled.status, DeclarationStatus::Submitted);
    assert_eq!(refiled.figures.employees.len(), 1);
    assert_eq!(refiled.figures.levy, Decimal::from(700));
    let approved = store
        .review_declaration(
            filed.id,
            &EmployerScope::Employer(company.id),
            DeclarationStatus::Approved,
            event("approved", 700),
            audit("declaration.approve"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(approved.status, DeclarationStatus::Approved);
    let actions: Vec<&str> = approved.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["submitted", "returned", "resubmitted", "approved"]
    );
    assert_eq!(approved.events[1].note.as_deref(), Some("请补充社保证明"));
    let late = store
        .save_declaration(
            company.id,
            2023,
            &figures(vec![], 900),
            event("resubmitted", 900),
            audit("declaration.submit"),
        )
        .await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");

    let mut filter = DeclarationFilter::new(EmployerScope::District("120101".to_owned()));
    filter.data_year = Some(2023);
    let listed = store.list_declarations(&filter).await.unwrap();
    assert_eq!(listed.total, 1);
    filter.status = Some(DeclarationStatus::Submitted);
    assert_eq!(store.list_declarations(&filter).await.unwrap().total, 0);
    let year = store
        .declarations_of_year(2023, &EmployerScope::All)
        .await
        .unwrap();
    assert_eq!(year.len(), 1);
    assert_eq!(year[0].figures.employees.len(), 1);
    assert!(
        store
            .declarations_of_year(2022, &EmployerScope::All)
            .await
            .unwrap()
            .is_empty()
    );
}

/// One person declared by two employers for overlapping months is a
/// conflict both declarations show; adjacent months are not.
pub async fn double_counting_is_found_across_employers(store: &dyn Store) {
    let a = store
        .create_employer(
            employer(1, "甲公司", EmployerKind::Enterprise, "120101"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    let b = store
        .create_employer(
            employer(2, "乙公司", EmployerKind::Enterprise, "120102"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    let c = store
        .create_employer(
            employer(3, "丙公司", EmployerKind::Enterprise, "120103"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    store
        .insert_persons(&[person(1, "王五", "120101")], audit("person.import"))
        .await
        .unwrap();
    let id = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap()
        .items[0]
        .id;
    let file = |employer_id: i64, from: u8, to: u8, year: i32| {
        let figures = figures(vec![declared(id, from, to)], 0);
        async move {
            store
                .save_declaration(
                    employer_id,
                    year,
                    &figures,
                    event("submitted", 0),
                    audit("declaration.submit"),
                )
                .await
                .unwrap()
        }
    };
    let first = file(a.id, 1, 6, 2023).await;
    let second = file(b.id, 6, 12, 2023).await;
    let third = file(c.id, 7, 12, 2022).await;
    let seen = store.declaration_conflicts(first.id).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].other_employer_id, b.id);
    assert_eq!(seen[0].months, (1, 6));
    assert_eq!(seen[0].other_months, (6, 12));
    let other_side = store.declaration_conflicts(second.id).await.unwrap();
    assert_eq!(other_side.len(), 1);
    assert_eq!(other_side[0].other_employer_id, a.id);
    assert!(
        store
            .declaration_conflicts(third.id)
            .await
            .unwrap()
            .is_empty()
    );
    // Moving the first to months 1–5 removes the overlap.
    let moved = file(a.id, 1, 5, 2023).await;
    assert!(
        store
            .declaration_conflicts(moved.id)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Measure 1 lists agencies and non-school institutions at or above the
/// thresholds, with what their declaration says.
pub async fn measure_one_lists_agencies_and_institutions(store: &dyn Store) {
    let mut rows = Vec::new();
    for (n, kind, staffing, school) in [
        (1, EmployerKind::Agency, 50, false),
        (2, EmployerKind::Agency, 49, false),
        (3, EmployerKind::Institution, 67, false),
        (4, EmployerKind::Institution, 300, true),
        (5, EmployerKind::Enterprise, 900, false),
    ] {
        let mut fields = employer(n, &format!("单位{n}"), kind, "120101");
        fields.staffing_quota = Some(staffing);
        fields.is_school = school;
        rows.push(
            store
                .create_employer(fields, at(0), audit("employer.create"))
                .await
                .unwrap(),
        );
    }
    store
        .insert_persons(&[person(1, "赵六", "120101")], audit("person.import"))
        .await
        .unwrap();
    let person_id = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap()
        .items[0]
        .id;
    store
        .save_declaration(
            rows[2].id,
            2023,
            &figures(vec![declared(person_id, 1, 12)], 0),
            event("submitted", 0),
            audit("declaration.submit"),
        )
        .await
        .unwrap();
    let found = store
        .measure_one(2023, &EmployerScope::All, 50, 67)
        .await
        .unwrap();
    let names: Vec<&str> = found
        .iter()
        .map(|r| r.employer.fields.name.as_str())
        .collect();
    assert_eq!(names, ["单位1", "单位3"]);
    assert_eq!(found[0].status, None);
    assert_eq!(found[0].eligible_employees, 0);
    assert_eq!(found[1].status, Some(DeclarationStatus::Submitted));
    assert_eq!(found[1].eligible_employees, 1);
    let elsewhere = store
        .measure_one(2023, &EmployerScope::District("120102".to_owned()), 50, 67)
        .await
        .unwrap();
    assert!(elsewhere.is_empty());
}

/// Preset versions are kept side by side; a version is saved once.
pub async fn presets_are_versioned(store: &dyn Store) {
    let record = |version: i32| VersionedRecord {
        id: "beijing-2025".to_owned(),
        version,
        body: serde_json::json!({ "rate": "0.017", "version": version }),
        created_at: at(0),
    };
    store
        .save_preset(record(1), audit("policy.create"))
        .await
        .unwrap();
    store
        .save_preset(record(2), audit("policy.update"))
        .await
        .unwrap();
    let again = store.save_preset(record(2), audit("policy.update")).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let all = store.presets().await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].version, 2);
    assert_eq!(all[1].body["rate"], "0.017");
}

/// Plans' targets are versioned like presets, in their own table.
pub async fn plans_are_versioned_apart_from_presets(store: &dyn Store) {
    let record = |version: i32| VersionedRecord {
        id: "tianjin-2025-2027".to_owned(),
        version,
        body: serde_json::json!({ "total": 16_000, "version": version }),
        created_at: at(i64::from(version)),
    };
    store
        .save_plan(record(1), audit("plan.create"))
        .await
        .unwrap();
    store
        .save_plan(record(2), audit("plan.update"))
        .await
        .unwrap();
    let again = store.save_plan(record(2), audit("plan.update")).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let all = store.plans().await.unwrap();
    assert_eq!(all.iter().map(|r| r.version).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(all[1].body["total"], 16_000);
    assert_eq!(all[1].created_at, at(2));
    assert!(
        store.presets().await.unwrap().is_empty(),
        "plans are not presets"
    );
}

fn recorded(minutes: i64) -> Recorded {
    Recorded {
        user_id: None,
        username: None,
        at: at(minutes),
    }
}

fn a_check(person_id: i64, day: u32) -> CheckRecord {
    CheckRecord {
        id: 0,
        person_id,
        checked_on: NaiveDate::from_ymd_opt(2024, 3, day).unwrap(),
        fields: vec![CheckedField::Identity, CheckedField::Address],
        source: CheckSource::InPerson,
        note: Some("核对无误".to_owned()),
        recorded: recorded(i64::from(day)),
    }
}

fn an_assessment(person_id: i64) -> AssessmentRecord {
    AssessmentRecord {
        id: 0,
        person_id,
        assessed_on: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        fields: AssessmentFields {
            functions: vec![
                (Function::Mobility, Limitation::Severe),
                (Function::Vision, Limitation::None),
            ],
            capacity: WorkCapacity::FullTime,
            skills: "会计、办公软件".to_owned(),
            forms: vec![EmploymentForm::Quota, EmploymentForm::Flexible],
            accommodations: vec![Accommodation::StepFree, Accommodation::AccessibleToilet],
            languages: vec![ablework_domain::four_ones::Language::SignLanguage],
        },
        status: AssessmentStatus::Submitted,
        recorded: recorded(10),
        reviewed: None,
        review_note: None,
    }
}

fn a_need(person_id: i64) -> NeedRecord {
    NeedRecord {
        id: 0,
        person_id,
        registered_on: NaiveDate::from_ymd_opt(2024, 4, 2).unwrap(),
        fields: NeedFields {
            occupations: "会计".to_owned(),
            form: Some(EmploymentForm::Quota),
            districts: vec!["120101".to_owned(), "120103".to_owned()],
            commute_minutes: Some(45),
            hours: Hours::FullTime,
            wage_expectation: Some(4500),
            accommodations: vec![Accommodation::StepFree],
            willing_to_train: true,
        },
        recorded: recorded(11),
    }
}

fn a_service(person_id: i64) -> ServiceRecord {
    ServiceRecord {
        id: 0,
        person_id,
        kind: ServiceKind::JobRecommendation,
        served_on: NaiveDate::from_ymd_opt(2024, 4, 5).unwrap(),
        result: ServiceResult::Pending,
        note: None,
        recorded: recorded(12),
    }
}

fn a_consent(person_id: i64, given: bool) -> ConsentRecord {
    ConsentRecord {
        id: 0,
        person_id,
        purpose: ConsentPurpose::Matching,
        given,
        effective_on: NaiveDate::from_ymd_opt(2024, 4, 2).unwrap(),
        by_person: !given,
        recorded: recorded(13),
    }
}

async fn stored_people(store: &dyn Store, people: &[NewPerson]) -> Vec<i64> {
    store
        .insert_persons(people, audit("person.import"))
        .await
        .unwrap();
    let mut filter = PersonFilter::new(PersonScope::All);
    filter.sort = PersonSort::RegisteredAsc;
    filter.per_page = 100;
    store
        .list_persons(&filter)
        .await
        .unwrap()
        .items
        .iter()
        .map(|p| p.id)
        .collect()
}

/// Matching's candidates are the active, unemployed people whose newest
/// consent to matching is given, each with the newest approved assessment
/// (a submitted one does not count) and the newest need.
pub async fn consenting_seekers_follow_the_newest_consent(store: &dyn Store) {
    let mut employed = person(4, "赵六", "120102");
    employed.employment_status = EmploymentStatus::Employed;
    let ids = stored_people(
        store,
        &[
            person(1, "张三", "120101"),
            person(2, "李四", "120101"),
            person(3, "王五", "120102"),
            employed,
            person(5, "孙七", "120103"),
        ],
    )
    .await;
    let (given, withdrawn, never, employed, inactive) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
    for id in [given, withdrawn, employed, inactive] {
        store
            .add_consent(&a_consent(id, true), audit("case.consent"))
            .await
            .unwrap();
    }
    store
        .add_consent(&a_consent(withdrawn, false), audit("case.consent"))
        .await
        .unwrap();
    // Another purpose does not stand in for matching.
    let mut fairs = a_consent(never, true);
    fairs.purpose = ConsentPurpose::JobFairs;
    store
        .add_consent(&fairs, audit("case.consent"))
        .await
        .unwrap();
    store
        .set_person_active(
            inactive,
            &PersonScope::All,
            false,
            audit("person.deactivate"),
        )
        .await
        .unwrap();
    let approved = store
        .add_assessment(&an_assessment(given), audit("case.assessment"))
        .await
        .unwrap();
    store
        .review_assessment(
            approved,
            AssessmentStatus::Approved,
            recorded(20),
            None,
            audit("case.review"),
        )
        .await
        .unwrap();
    let mut later = an_assessment(given);
    later.assessed_on = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    store
        .add_assessment(&later, audit("case.assessment"))
        .await
        .unwrap();
    store
        .add_need(&a_need(given), audit("case.need"))
        .await
        .unwrap();
    let mut newer_need = a_need(given);
    "出纳".clone_into(&mut newer_need.fields.occupations);
    let newest_need = store
        .add_need(&newer_need, audit("case.need"))
        .await
        .unwrap();

    let found = store
        .seeker_files(&SeekerFilter::consenting(ConsentPurpose::Matching))
        .await
        .unwrap();
    let people: Vec<i64> = found.iter().map(|f| f.person.id).collect();
    assert_eq!(
        people,
        [given],
        "only the consenting, active, unemployed person"
    );
    let file = &found[0];
    assert_eq!(
        file.assessment.as_ref().map(|a| a.id),
        Some(approved),
        "the newer assessment is not approved"
    );
    assert_eq!(file.need.as_ref().map(|n| n.id), Some(newest_need));
    assert_eq!(
        file.need.as_ref().map(|n| n.fields.occupations.as_str()),
        Some("出纳")
    );
    assert!(
        store
            .seeker_files(&SeekerFilter::consenting(ConsentPurpose::Training))
            .await
            .unwrap()
            .is_empty()
    );
}

/// Every kind of case record reads back as written, newest first.
pub async fn case_records_round_trip_newest_first(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(2, "李四", "120101")],
    )
    .await;
    let (one, two) = (ids[0], ids[1]);
    store
        .add_check(&a_check(one, 1), audit("case.check"))
        .await
        .unwrap();
    let later = store
        .add_check(&a_check(one, 9), audit("case.check"))
        .await
        .unwrap();
    store
        .add_assessment(&an_assessment(one), audit("case.assessment"))
        .await
        .unwrap();
    store
        .add_need(&a_need(one), audit("case.need"))
        .await
        .unwrap();
    store
        .add_service(&a_service(one), audit("case.service"))
        .await
        .unwrap();
    store
        .add_consent(&a_consent(one, true), audit("case.consent"))
        .await
        .unwrap();
    store
        .add_consent(&a_consent(one, false), audit("case.consent"))
        .await
        .unwrap();
    let file = store.case_file(one).await.unwrap();
    assert_eq!(file.checks.len(), 2);
    assert_eq!(file.checks[0].id, later, "newest first");
    assert_eq!(
        file.checks[0].fields,
        [CheckedField::Identity, CheckedField::Address]
    );
    assert_eq!(file.assessments[0].fields, an_assessment(one).fields);
    assert_eq!(file.assessments[0].status, AssessmentStatus::Submitted);
    assert_eq!(file.needs[0].fields, a_need(one).fields);
    assert_eq!(file.services[0].kind, ServiceKind::JobRecommendation);
    assert_eq!(file.consents.len(), 2);
    assert!(!file.consents[0].given, "the withdrawal is the newest");
    assert_eq!(store.case_file(two).await.unwrap(), CaseFile::default());

    let bulk = CaseFile {
        checks: vec![a_check(two, 3)],
        assessments: vec![an_assessment(two)],
        needs: vec![a_need(two)],
        services: vec![a_service(two), a_service(two)],
        consents: vec![a_consent(two, true)],
    };
    let written = store
        .insert_case_records(&bulk, audit("case.import"))
        .await
        .unwrap();
    assert_eq!(written, 6);
    assert_eq!(store.case_file(two).await.unwrap().services.len(), 2);
}

/// An assessment is approved or returned once; the supervisors' queue
/// lists the waiting ones inside the scope.
pub async fn assessments_are_approved_once_and_queued_in_scope(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(2, "李四", "120102")],
    )
    .await;
    let first = store
        .add_assessment(&an_assessment(ids[0]), audit("case.assessment"))
        .await
        .unwrap();
    store
        .add_assessment(&an_assessment(ids[1]), audit("case.assessment"))
        .await
        .unwrap();
    let heping = PersonScope::District("120101".to_owned());
    let waiting = store.assessments_waiting(&heping, 1, 20).await.unwrap();
    assert_eq!(waiting.total, 1);
    assert_eq!(waiting.items[0].0.id, first);
    assert_eq!(waiting.items[0].1, "张三");
    assert_eq!(
        store
            .assessments_waiting(&PersonScope::All, 1, 20)
            .await
            .unwrap()
            .total,
        2
    );
    store
        .review_assessment(
            first,
            AssessmentStatus::Approved,
            recorded(30),
            Some("同意".to_owned()),
            audit("case.assessment.approve"),
        )
        .await
        .unwrap();
    let again = store
        .review_assessment(
            first,
            AssessmentStatus::Returned,
            recorded(31),
            None,
            audit("case.assessment.return"),
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let read = store.assessment(first).await.unwrap().unwrap();
    assert_eq!(read.status, AssessmentStatus::Approved);
    assert_eq!(read.review_note.as_deref(), Some("同意"));
    assert_eq!(read.reviewed.unwrap().at, at(30));
    assert_eq!(
        store
            .assessments_waiting(&heping, 1, 20)
            .await
            .unwrap()
            .total,
        0
    );
}

/// The work queue of a step lists exactly the working-age unemployed
/// people of the scope who lack it, oldest registration first.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn work_queues_list_who_lacks_each_step(store: &dyn Store) {
    let mut employed = person(3, "王五", "120101");
    employed.employment_status = EmploymentStatus::Employed;
    let mut retired = person(4, "赵六", "120101");
    retired.birth_date = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap();
    let ids = stored_people(
        store,
        &[
            person(1, "张三", "120101"),
            person(2, "李四", "120101"),
            employed,
            retired,
            person(5, "孙七", "120102"),
        ],
    )
    .await;
    store
        .add_check(&a_check(ids[1], 1), audit("case.check"))
        .await
        .unwrap();
    let assessment = store
        .add_assessment(&an_assessment(ids[1]), audit("case.assessment"))
        .await
        .unwrap();
    let born = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
    let ranges = vec![
        (
            ablework_domain::working_age::RetirementGroup::Male,
            born(1965),
            born(2008),
        ),
        (
            ablework_domain::working_age::RetirementGroup::Female50,
            born(1974),
            born(2008),
        ),
    ];
    let queue = |step| WorkQueueFilter {
        scope: PersonScope::District("120101".to_owned()),
        step,
        birth_ranges: ranges.clone(),
        page: 1,
        per_page: 20,
    };
    let names = |page: crate::Page<crate::PersonRecord>| {
        page.items.into_iter().map(|p| p.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(store.work_queue(&queue(Step::Check)).await.unwrap()),
        ["张三"]
    );
    assert_eq!(
        names(store.work_queue(&queue(Step::Assessment)).await.unwrap()),
        ["张三", "李四"],
        "a submitted assessment is not yet done"
    );
    store
        .review_assessment(
            assessment,
            AssessmentStatus::Approved,
            recorded(30),
            None,
            audit("case.assessment.approve"),
        )
        .await
        .unwrap();
    assert_eq!(
        names(store.work_queue(&queue(Step::Assessment)).await.unwrap()),
        ["张三"]
    );
    assert_eq!(store.work_queue(&queue(Step::Need)).await.unwrap().total, 2);
    let mut everyone = queue(Step::Service);
    everyone.scope = PersonScope::All;
    assert_eq!(
        names(store.work_queue(&everyone).await.unwrap()),
        ["张三", "李四", "孙七"]
    );
    // Coverage counts the same people: the population less those lacking
    // each step; and still does once someone finds work (and leaves it).
    for pass in 0..2 {
        if pass == 1 {
            let outcome = ablework_domain::outcome::Outcome {
                person_id: ids[1],
                started_on: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
                ended_on: None,
                form: EmploymentForm::Quota,
                measure: ablework_domain::outcome::Measure::EmploymentService,
                district_code: "120101".to_owned(),
                hukou: Hukou::Urban,
                category: DisabilityCategory::Physical,
                level: 3,
                sex: Sex::Male,
            };
            store
                .record_outcome(
                    &outcome,
                    &OutcomeDetails::default(),
                    &recorded(40),
                    audit("outcome.record"),
                )
                .await
                .unwrap();
        }
        for scope in [queue(Step::Check).scope, PersonScope::All] {
            let mut filter = queue(Step::Check);
            filter.scope = scope;
            let (population, done) = store.four_ones_coverage(&filter).await.unwrap();
            assert!(population >= 3 - pass || filter.scope != PersonScope::All);
            for (step, done) in Step::ALL.iter().zip(done) {
                filter.step = *step;
                let lacking = store.work_queue(&filter).await.unwrap().total;
                assert_eq!(
                    population - done,
                    lacking,
                    "{step:?} in {:?}, pass {pass}",
                    filter.scope
                );
            }
        }
    }
}

/// An outcome is recorded with its details and marks the person employed;
/// a follow-up that finds them out of work ends it; each follow-up is
/// recorded once.
pub async fn outcomes_are_recorded_and_followed_up(store: &dyn Store) {
    let ids = stored_people(store, &[person(1, "张三", "120101")]).await;
    let company = store
        .create_employer(
            employer(1, "甲公司", EmployerKind::Enterprise, "120101"),
            at(0),
            audit("employer.create"),
        )
        .await
        .unwrap();
    let outcome = ablework_domain::outcome::Outcome {
        person_id: ids[0],
        started_on: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
        ended_on: None,
        form: EmploymentForm::Quota,
        measure: ablework_domain::outcome::Measure::EmploymentService,
        district_code: "120101".to_owned(),
        hukou: Hukou::Urban,
        category: DisabilityCategory::Physical,
        level: 3,
        sex: Sex::Male,
    };
    let details = OutcomeDetails {
        employer_id: Some(company.id),
        contract_months: Some(24),
        monthly_wage: Some(4200),
        insured: Some(true),
    };
    let id = store
        .record_outcome(&outcome, &details, &recorded(5), audit("outcome.record"))
        .await
        .unwrap();
    let person = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap()
        .items
        .remove(0);
    assert_eq!(person.employment_status, EmploymentStatus::Employed);
    let found = store.outcomes_of(ids[0]).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, id);
    assert_eq!(found[0].outcome, outcome);
    assert_eq!(found[0].details, details);
    assert_eq!(found[0].employer_name.as_deref(), Some("甲公司"));
    let follow = |after_months: u8, still_employed: bool| FollowUp {
        after_months,
        checked_on: NaiveDate::from_ymd_opt(2024, 3, 2)
            .unwrap()
            .checked_add_months(chrono::Months::new(u32::from(after_months)))
            .unwrap(),
        still_employed,
        note: None,
        recorded: recorded(6),
    };
    store
        .record_follow_up(id, &follow(3, true), audit("outcome.follow_up"))
        .await
        .unwrap();
    let again = store
        .record_follow_up(id, &follow(3, true), audit("outcome.follow_up"))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    store
        .record_follow_up(id, &follow(6, false), audit("outcome.follow_up"))
        .await
        .unwrap();
    let found = store.outcomes_of(ids[0]).await.unwrap();
    assert_eq!(found[0].follow_ups.len(), 2);
    assert_eq!(
        found[0].outcome.ended_on,
        NaiveDate::from_ymd_opt(2024, 9, 2)
    );
    let person = store
        .list_persons(&PersonFilter::new(PersonScope::All))
        .await
        .unwrap()
        .items
        .remove(0);
    assert_eq!(person.employment_status, EmploymentStatus::Unemployed);
    let missing = store
        .record_follow_up(id + 1000, &follow(12, true), audit("outcome.follow_up"))
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
}

/// The tally the store keeps (`Store::progress_tally`) is, after every kind
/// of change to outcomes (a batch, one recorded, one ended by a
/// follow-up), exactly the tally counted from all the outcomes in memory —
/// for the city and each district, over whole years and over periods
/// ending mid-year and inside a month — and a district's streets are its counted people's as
/// registered today, following them when they move.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario reads best as one function"
)]
pub async fn the_kept_tally_follows_every_outcome_change(store: &dyn Store) {
    use ablework_domain::outcome::{Measure, Outcome};
    use ablework_domain::progress::{Tally, count_new_employment_between};

    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, bound: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % bound
        }
    }
    let districts = ["120101", "120102", "120116"];
    let people: Vec<NewPerson> = (0..12_u32)
        .map(|n| person(n, "张三", districts[(n % 3) as usize]))
        .collect();
    let ids = stored_people(store, &people).await;
    let mut random = Lcg(2022);
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let make = |random: &mut Lcg| {
        let person = usize::try_from(random.below(12)).unwrap();
        let started_on =
            day(2021, 12, 20) + Duration::days(i64::try_from(random.below(1_130)).unwrap());
        Outcome {
            person_id: ids[person],
            started_on,
            ended_on: (random.below(3) == 0).then(|| {
                started_on + Duration::days(i64::try_from(30 + random.below(400)).unwrap())
            }),
            form: EmploymentForm::ALL[usize::try_from(random.below(3)).unwrap()],
            measure: Measure::ALL[usize::try_from(random.below(10)).unwrap()],
            // A withdrawn code (塘沽区) is credited to 滨海新区.
            district_code: ["120101", "120102", "120116", "120107"]
                [usize::try_from(random.below(4)).unwrap()]
            .to_owned(),
            hukou: if random.below(2) == 0 {
                Hukou::Urban
            } else {
                Hukou::Rural
            },
            category: DisabilityCategory::ALL[usize::try_from(random.below(7)).unwrap()],
            level: u8::try_from(1 + random.below(4)).unwrap(),
            sex: if random.below(2) == 0 {
                Sex::Male
            } else {
                Sex::Female
            },
        }
    };
    let windows = [
        (day(2022, 1, 1), day(2024, 12, 31)),
        (day(2023, 1, 1), day(2024, 6, 30)),
        // Ending inside a month, and inside the period's first month.
        (day(2022, 1, 1), day(2024, 3, 17)),
        (day(2023, 1, 1), day(2023, 1, 20)),
    ];
    let mut people = people;
    for round in 0..8 {
        match round % 4 {
            0 => {
                let batch: Vec<Outcome> = (0..15).map(|_| make(&mut random)).collect();
                store
                    .insert_outcomes(&batch, audit("outcome.import"))
                    .await
                    .unwrap();
            }
            1 => {
                for _ in 0..4 {
                    let one = make(&mut random);
                    store
                        .record_outcome(
                            &one,
                            &OutcomeDetails::default(),
                            &recorded(5),
                            audit("outcome.record"),
                        )
                        .await
                        .unwrap();
                }
            }
            3 => {
                // People move: to another street, and to another district.
                for (index, person_id) in ids.iter().enumerate().skip(round / 4).step_by(3) {
                    let moved = &mut people[index];
                    moved.street = match random.below(3) {
                        0 => None,
                        1 => Some("小白楼街道".to_owned()),
                        _ => Some(format!("街道{round}")),
                    };
                    if random.below(2) == 0 {
                        districts[usize::try_from(random.below(3)).unwrap()]
                            .clone_into(&mut moved.district_code);
                    }
                    store
                        .update_person(
                            *person_id,
                            &PersonScope::All,
                            moved.clone(),
                            audit("person.update"),
                        )
                        .await
                        .unwrap();
                }
            }
            _ => {
                for person_id in ids.iter().take(6) {
                    let open = store
                        .outcomes_of(*person_id)
                        .await
                        .unwrap()
                        .into_iter()
                        .find(|o| o.outcome.ended_on.is_none());
                    if let Some(open) = open {
                        let follow = FollowUp {
                            after_months: 6,
                            checked_on: open.outcome.started_on + Duration::days(20),
                            still_employed: false,
                            note: None,
                            recorded: recorded(6),
                        };
                        store
                            .record_follow_up(open.id, &follow, audit("outcome.follow_up"))
                            .await
                            .unwrap();
                    }
                }
            }
        }
        let all = store
            .outcomes_between(day(2000, 1, 1), day(2100, 1, 1), None)
            .await
            .unwrap();
        for (from, to) in windows {
            let counted = count_new_employment_between(&all, from, to);
            let expected = Tally::of(&counted);
            let kept = store.progress_tally(None, from, to).await.unwrap();
            assert_eq!(kept, expected, "the city, round {round}, {from}..{to}");
            for district in districts {
                let local: Vec<_> = counted
                    .iter()
                    .filter(|c| c.district_code == district)
                    .cloned()
                    .collect();
                assert_eq!(
                    store
                        .progress_tally(Some(district), from, to)
                        .await
                        .unwrap(),
                    Tally::of(&local),
                    "{district}, round {round}, {from}..{to}"
                );
                let mut streets = store.counted_streets(district, from, to).await.unwrap();
                streets.sort();
                let mut expected: std::collections::BTreeMap<String, u32> =
                    std::collections::BTreeMap::new();
                for c in &local {
                    let at = ids
                        .iter()
                        .position(|id| *id == c.outcome.person_id)
                        .unwrap();
                    let home = &people[at];
                    let street = if home.district_code == district {
                        home.street.clone().unwrap_or_default()
                    } else {
                        String::new()
                    };
                    *expected.entry(street).or_default() += 1;
                }
                assert_eq!(
                    streets,
                    expected.into_iter().collect::<Vec<_>>(),
                    "{district} streets, round {round}"
                );
            }
        }
    }
}
