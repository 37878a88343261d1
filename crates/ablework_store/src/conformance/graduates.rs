//! Conformance checks of the graduates' ledger (一人一策): entries, plans,
//! contacts, cohorts and bulk loads.

use ablework_domain::graduates::{ContactChannel, Degree, StudentStatus};
use ablework_domain::roles::Role;
use chrono::NaiveDate;

use super::{at, audit, person, recorded, stored_people, user};
use crate::{
    AuditFilter, CohortFilter, ContactRecord, PersonScope, PlanStepRecord, Store, StoreError,
    StudentFields, StudentFile, StudentRecord,
};

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

pub(super) fn fields(graduation: NaiveDate) -> StudentFields {
    StudentFields {
        university: "天津大学".to_owned(),
        major: "软件工程".to_owned(),
        degree: Degree::Bachelor,
        expected_graduation: graduation,
        counsellor_user_id: None,
        status: StudentStatus::Studying,
    }
}

fn step(student_id: i64, due_on: NaiveDate, description: &str) -> PlanStepRecord {
    PlanStepRecord {
        id: 0,
        student_id,
        due_on,
        description: description.to_owned(),
        done_on: None,
        recorded: recorded(3),
    }
}

fn contact(student_id: i64, contacted_on: NaiveDate, channel: ContactChannel) -> ContactRecord {
    ContactRecord {
        id: 0,
        student_id,
        contacted_on,
        channel,
        summary: format!("{contacted_on} 联系"),
        recorded: recorded(4),
    }
}

async fn logged(store: &dyn Store, action: &str) -> Vec<crate::AuditRecord> {
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
}

/// A person is entered in the ledger once; the entry reads back as written,
/// with its counsellor's name, and changes keep the day it was made.
pub async fn students_are_enrolled_once_and_changed(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(2, "李四", "120101")],
    )
    .await;
    let counsellor = store
        .create_user(user("officer", Role::DistrictOfficer), audit("user.create"))
        .await
        .unwrap();
    let mut written = fields(day(2025, 6, 30));
    written.counsellor_user_id = Some(counsellor.id);
    let created = store
        .create_student(ids[0], &written, at(1), audit("graduate.enrol"))
        .await
        .unwrap();
    assert_eq!(created.person_id, ids[0]);
    assert_eq!(created.fields, written);
    assert_eq!(created.counsellor.as_deref(), Some("officer"));
    assert_eq!((created.created_at, created.updated_at), (at(1), at(1)));
    let again = store
        .create_student(
            ids[0],
            &fields(day(2026, 6, 30)),
            at(2),
            audit("graduate.enrol"),
        )
        .await;
    assert!(
        matches!(&again, Err(StoreError::Conflict(code)) if code == "student_enrolled"),
        "{again:?}"
    );
    let log = logged(store, "graduate.enrol").await;
    assert_eq!(log.len(), 1, "a refused entry leaves no audit record");
    assert_eq!(log[0].entry.entity_id, Some(created.id.to_string()));

    let mut changed = written.clone();
    "计算机科学与技术".clone_into(&mut changed.major);
    changed.degree = Degree::Master;
    changed.status = StudentStatus::Employed;
    changed.counsellor_user_id = None;
    let updated = store
        .update_student(created.id, &changed, at(5), audit("graduate.update"))
        .await
        .unwrap();
    assert_eq!(updated.fields, changed);
    assert_eq!(updated.counsellor, None);
    assert_eq!((updated.created_at, updated.updated_at), (at(1), at(5)));
    let missing = store
        .update_student(created.id + 1000, &changed, at(6), audit("graduate.update"))
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    assert_eq!(logged(store, "graduate.update").await.len(), 1);

    assert_eq!(
        store.student_of_person(ids[0]).await.unwrap(),
        Some(updated.clone())
    );
    assert_eq!(store.student_of_person(ids[1]).await.unwrap(), None);
    let file = store.student(created.id).await.unwrap().unwrap();
    assert_eq!(file.student, updated);
    assert!(file.steps.is_empty() && file.contacts.is_empty());
    assert_eq!(store.student(created.id + 1000).await.unwrap(), None);
}

/// A plan's steps read back by due date and are marked done once, only on
/// their own student; contacts read back newest first.
pub async fn plans_and_contacts_read_back_in_order(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(2, "李四", "120101")],
    )
    .await;
    let one = store
        .create_student(
            ids[0],
            &fields(day(2024, 6, 30)),
            at(1),
            audit("graduate.enrol"),
        )
        .await
        .unwrap()
        .id;
    let two = store
        .create_student(
            ids[1],
            &fields(day(2024, 6, 30)),
            at(1),
            audit("graduate.enrol"),
        )
        .await
        .unwrap()
        .id;
    let later = store
        .add_plan_step(
            &step(one, day(2024, 9, 1), "参加秋季校园招聘会"),
            audit("graduate.step"),
        )
        .await
        .unwrap();
    let sooner = store
        .add_plan_step(
            &step(one, day(2024, 7, 1), "完善简历"),
            audit("graduate.step"),
        )
        .await
        .unwrap();
    store
        .mark_plan_step_done(one, sooner, day(2024, 6, 28), audit("graduate.step.done"))
        .await
        .unwrap();
    let again = store
        .mark_plan_step_done(one, sooner, day(2024, 6, 29), audit("graduate.step.done"))
        .await;
    assert!(
        matches!(&again, Err(StoreError::Conflict(code)) if code == "plan_step_done"),
        "{again:?}"
    );
    let other = store
        .mark_plan_step_done(two, later, day(2024, 6, 29), audit("graduate.step.done"))
        .await;
    assert!(matches!(other, Err(StoreError::NotFound)), "{other:?}");
    assert_eq!(logged(store, "graduate.step.done").await.len(), 1);
    for (on, channel) in [
        (day(2024, 5, 1), ContactChannel::Phone),
        (day(2024, 6, 20), ContactChannel::Campus),
        (day(2024, 6, 1), ContactChannel::Visit),
    ] {
        store
            .add_student_contact(&contact(one, on, channel), audit("graduate.contact"))
            .await
            .unwrap();
    }
    let file = store.student(one).await.unwrap().unwrap();
    assert_eq!(
        file.steps.iter().map(|s| s.id).collect::<Vec<_>>(),
        [sooner, later],
        "by due date"
    );
    assert_eq!(file.steps[0].done_on, Some(day(2024, 6, 28)));
    assert_eq!(file.steps[0].description, "完善简历");
    assert_eq!(file.steps[0].recorded.at, at(3));
    assert_eq!(file.steps[1].done_on, None);
    assert_eq!(
        file.contacts
            .iter()
            .map(|c| (c.contacted_on, c.channel))
            .collect::<Vec<_>>(),
        [
            (day(2024, 6, 20), ContactChannel::Campus),
            (day(2024, 6, 1), ContactChannel::Visit),
            (day(2024, 5, 1), ContactChannel::Phone)
        ],
        "newest first"
    );
    assert_eq!(file.contacts[0].summary, "2024-06-20 联系");
    let log = logged(store, "graduate.contact").await;
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].entry.entity_id, Some(one.to_string()));
    let empty = store.student(two).await.unwrap().unwrap();
    assert!(empty.steps.is_empty() && empty.contacts.is_empty());
}

/// A cohort lists the students of a scope expected to graduate in a year,
/// by expected graduation, with their steps, contacts and latest contact.
#[expect(
    clippy::too_many_lines,
    reason = "one cohort built up and read through every scope"
)]
pub async fn cohorts_are_read_within_scope_with_counts(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[
            person(1, "张三", "120101"),
            person(2, "李四", "120101"),
            person(3, "王五", "120102"),
            person(4, "赵六", "120101"),
            person(5, "孙七", "120101"),
        ],
    )
    .await;
    let mut students = Vec::new();
    for (index, graduation) in [
        day(2024, 6, 30),
        day(2024, 12, 31),
        day(2024, 1, 1),
        day(2025, 1, 1),
    ]
    .into_iter()
    .enumerate()
    {
        let created = store
            .create_student(
                ids[index],
                &fields(graduation),
                at(1),
                audit("graduate.enrol"),
            )
            .await
            .unwrap();
        students.push(created.id);
    }
    let first = students[0];
    let done = store
        .add_plan_step(
            &step(first, day(2024, 7, 1), "简历"),
            audit("graduate.step"),
        )
        .await
        .unwrap();
    store
        .add_plan_step(
            &step(first, day(2024, 8, 1), "面试"),
            audit("graduate.step"),
        )
        .await
        .unwrap();
    store
        .mark_plan_step_done(first, done, day(2024, 6, 1), audit("graduate.step.done"))
        .await
        .unwrap();
    for on in [day(2024, 6, 10), day(2024, 5, 1)] {
        store
            .add_student_contact(
                &contact(first, on, ContactChannel::Phone),
                audit("graduate.contact"),
            )
            .await
            .unwrap();
    }
    let cohort =
        |scope, year| async move { store.cohort(&CohortFilter { scope, year }).await.unwrap() };
    let everyone = cohort(PersonScope::All, 2024).await;
    assert_eq!(
        everyone
            .iter()
            .map(|r| r.person_name.as_str())
            .collect::<Vec<_>>(),
        ["王五", "张三", "李四"],
        "by expected graduation, the first and last days of the year included"
    );
    let zhang = &everyone[1];
    assert_eq!(zhang.student.id, first);
    assert_eq!(zhang.district_code, "120101");
    assert_eq!(
        (zhang.plan_steps, zhang.steps_done, zhang.contacts),
        (2, 1, 2)
    );
    assert_eq!(zhang.latest_contact, Some(day(2024, 6, 10)));
    let li = &everyone[2];
    assert_eq!((li.plan_steps, li.steps_done, li.contacts), (0, 0, 0));
    assert_eq!(li.latest_contact, None);
    let heping = || PersonScope::District("120101".to_owned());
    assert_eq!(
        cohort(heping(), 2024)
            .await
            .iter()
            .map(|r| r.student.id)
            .collect::<Vec<_>>(),
        [students[0], students[1]]
    );
    assert_eq!(
        cohort(heping(), 2025)
            .await
            .iter()
            .map(|r| r.person_name.as_str())
            .collect::<Vec<_>>(),
        ["赵六"]
    );
    assert!(cohort(heping(), 2023).await.is_empty());
    assert!(cohort(PersonScope::Nobody, 2024).await.is_empty());
    assert_eq!(
        cohort(PersonScope::Person(ids[2]), 2024).await[0].person_name,
        "王五"
    );
}

/// Bulk loads write entries with their steps and contacts in one
/// transaction and skip people in the ledger already.
pub async fn students_are_written_in_bulk_skipping_those_enrolled(store: &dyn Store) {
    let ids = stored_people(
        store,
        &[person(1, "张三", "120101"), person(2, "李四", "120101")],
    )
    .await;
    let enrolled = store
        .create_student(
            ids[0],
            &fields(day(2024, 6, 30)),
            at(1),
            audit("graduate.enrol"),
        )
        .await
        .unwrap();
    let file = |person_id, steps: Vec<PlanStepRecord>, contacts: Vec<ContactRecord>| StudentFile {
        student: StudentRecord {
            id: 0,
            person_id,
            fields: fields(day(2023, 7, 1)),
            counsellor: None,
            created_at: at(2),
            updated_at: at(3),
        },
        steps,
        contacts,
    };
    let mut done = step(0, day(2023, 3, 1), "简历");
    done.done_on = Some(day(2023, 2, 27));
    let files = [
        file(
            ids[0],
            vec![step(0, day(2023, 3, 1), "不应写入")],
            Vec::new(),
        ),
        file(
            ids[1],
            vec![done, step(0, day(2023, 5, 1), "面试辅导")],
            vec![contact(0, day(2023, 4, 2), ContactChannel::Online)],
        ),
    ];
    let written = store
        .insert_students(&files, audit("graduate.import"))
        .await
        .unwrap();
    assert_eq!(written, 1);
    let first = store.student(enrolled.id).await.unwrap().unwrap();
    assert!(
        first.steps.is_empty(),
        "a skipped entry's steps are skipped too"
    );
    assert_eq!(first.student.fields.expected_graduation, day(2024, 6, 30));
    let second = store.student_of_person(ids[1]).await.unwrap().unwrap();
    assert_eq!((second.created_at, second.updated_at), (at(2), at(3)));
    let second = store.student(second.id).await.unwrap().unwrap();
    assert_eq!(second.steps.len(), 2);
    assert_eq!(second.steps[0].done_on, Some(day(2023, 2, 27)));
    assert_eq!(second.contacts.len(), 1);
    assert_eq!(second.contacts[0].student_id, second.student.id);
    let log = logged(store, "graduate.import").await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].entry.detail["written"], 1);
    assert_eq!(log[0].entry.detail["steps"], 2);
}
