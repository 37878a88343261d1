//! Conformance checks of background imports: a job is queued, taken once,
//! checkpointed, requeued after a stop, and finished with its errors and
//! report; lists follow the scope.

use ablework_domain::roles::Role;

use super::{at, audit, user};
use crate::{
    FinishedImport, ImportJobScope, ImportJobState, ImportRowError, ImportTally, NewImportJob,
    Store,
};

fn job(user_id: i64, district: Option<&str>, file: &str) -> NewImportJob {
    NewImportJob {
        kind: "persons".to_owned(),
        file_name: file.to_owned(),
        encoding: "auto".to_owned(),
        dry_run: false,
        user_id,
        district_code: district.map(str::to_owned),
        content_enc: vec![7, 7, 7],
        created_at: at(1),
    }
}

fn error(row: u64, field: &str) -> ImportRowError {
    ImportRowError {
        row,
        field: field.to_owned(),
        code: "invalid".to_owned(),
        message_zh: format!("第 {row} 行"),
        message_en: format!("row {row}"),
    }
}

/// A job's life: queued, taken once, checkpointed, requeued by a restart
/// with its checkpoint kept, taken again, finished with the file dropped
/// and the report kept; errors come back by row, paged; lists are scoped.
#[expect(
    clippy::too_many_lines,
    reason = "one job's whole life reads best as one function"
)]
pub async fn import_jobs_run_checkpoint_resume_and_finish(store: &dyn Store) {
    let officer = store
        .create_user(user("officer", Role::DistrictOfficer), audit("user.create"))
        .await
        .unwrap();
    let admin = store
        .create_user(user("admin", Role::CityAdmin), audit("user.create"))
        .await
        .unwrap();
    let first = store
        .create_import_job(
            job(officer.id, Some("120101"), "a.csv"),
            audit("import.queue"),
        )
        .await
        .unwrap();
    let second = store
        .create_import_job(job(admin.id, None, "b.xlsx"), audit("import.queue"))
        .await
        .unwrap();
    assert_eq!(first.state, ImportJobState::Queued);
    assert_eq!(first.username, "officer");
    assert!(first.has_content && !first.has_report);
    assert_eq!(
        store.import_job_content(first.id).await.unwrap(),
        Some(vec![7, 7, 7])
    );

    // Oldest first, and a job is taken once.
    assert_eq!(
        store.next_queued_import_job().await.unwrap(),
        Some(first.id)
    );
    assert!(store.start_import_job(first.id, at(2)).await.unwrap());
    assert!(!store.start_import_job(first.id, at(3)).await.unwrap());
    assert_eq!(
        store.next_queued_import_job().await.unwrap(),
        Some(second.id)
    );

    let tally = ImportTally {
        read: 1_000,
        inserted: 990,
        updated: 0,
        unchanged: 0,
        rejected: 10,
    };
    let errors: Vec<ImportRowError> = (1..=10).rev().map(|n| error(n * 7, "id_number")).collect();
    store
        .checkpoint_import_job(first.id, 1_001, tally, &errors)
        .await
        .unwrap();
    // A job that is not running takes no checkpoint.
    assert!(
        store
            .checkpoint_import_job(second.id, 5, tally, &[])
            .await
            .is_err()
    );

    // A restart: the running job is queued again, its checkpoint kept.
    assert_eq!(
        store.requeue_running_import_jobs().await.unwrap(),
        [first.id]
    );
    let requeued = store.import_job(first.id).await.unwrap().unwrap();
    assert_eq!(requeued.state, ImportJobState::Queued);
    assert_eq!(requeued.resumed, 1);
    assert_eq!(requeued.checkpoint_row, 1_001);
    assert_eq!(requeued.counts, tally);
    assert_eq!(requeued.started_at, Some(at(2)));
    assert!(store.start_import_job(first.id, at(4)).await.unwrap());
    assert_eq!(
        store
            .import_job(first.id)
            .await
            .unwrap()
            .unwrap()
            .started_at,
        Some(at(2)),
        "the first start is kept"
    );

    let whole = ImportTally {
        read: 1_500,
        inserted: 1_489,
        updated: 0,
        unchanged: 0,
        rejected: 11,
    };
    store
        .finish_import_job(
            first.id,
            FinishedImport {
                state: ImportJobState::Done,
                row: 1_501,
                counts: whole,
                errors: vec![error(1_200, "name")],
                failure: None,
                report_enc: Some(vec![9, 9]),
                at: at(5),
            },
            audit("import.finish"),
        )
        .await
        .unwrap();
    let done = store.import_job(first.id).await.unwrap().unwrap();
    assert_eq!(done.state, ImportJobState::Done);
    assert_eq!(done.counts, whole);
    assert_eq!(done.checkpoint_row, 1_501);
    assert_eq!(done.finished_at, Some(at(5)));
    assert!(done.has_report && !done.has_content);
    assert_eq!(store.import_job_content(first.id).await.unwrap(), None);
    assert_eq!(
        store.import_job_report(first.id).await.unwrap(),
        Some(vec![9, 9])
    );
    assert_eq!(
        store.next_queued_import_job().await.unwrap(),
        Some(second.id)
    );

    let page = store.import_job_errors(first.id, 0, 4).await.unwrap();
    assert_eq!(page.total, 11);
    assert_eq!(
        page.items.iter().map(|e| e.row).collect::<Vec<_>>(),
        [7, 14, 21, 28]
    );
    let last = store.import_job_errors(first.id, 8, 4).await.unwrap();
    assert_eq!(
        last.items
            .iter()
            .map(|e| (e.row, e.field.as_str()))
            .collect::<Vec<_>>(),
        [(63, "id_number"), (70, "id_number"), (1_200, "name")]
    );

    // Scope: the city sees both, newest first; a district its own; an
    // account its own.
    let all = store
        .list_import_jobs(&ImportJobScope::All, 0, 10)
        .await
        .unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(
        all.items.iter().map(|j| j.id).collect::<Vec<_>>(),
        [second.id, first.id]
    );
    let district = store
        .list_import_jobs(&ImportJobScope::District("120101".to_owned()), 0, 10)
        .await
        .unwrap();
    assert_eq!(
        district.items.iter().map(|j| j.id).collect::<Vec<_>>(),
        [first.id]
    );
    let own = store
        .list_import_jobs(&ImportJobScope::User(admin.id), 0, 10)
        .await
        .unwrap();
    assert_eq!(
        own.items.iter().map(|j| j.id).collect::<Vec<_>>(),
        [second.id]
    );

    // A failed job keeps its reason.
    assert!(store.start_import_job(second.id, at(6)).await.unwrap());
    store
        .finish_import_job(
            second.id,
            FinishedImport {
                state: ImportJobState::Failed,
                row: 0,
                counts: ImportTally::default(),
                errors: Vec::new(),
                failure: Some((
                    "headers".to_owned(),
                    "缺少表头".to_owned(),
                    "Headers are missing".to_owned(),
                )),
                report_enc: None,
                at: at(7),
            },
            audit("import.finish"),
        )
        .await
        .unwrap();
    let failed = store.import_job(second.id).await.unwrap().unwrap();
    assert_eq!(failed.state, ImportJobState::Failed);
    assert_eq!(failed.failure.unwrap().0, "headers");
    assert!(!failed.has_report);
    assert_eq!(store.next_queued_import_job().await.unwrap(), None);
    assert!(
        store
            .requeue_running_import_jobs()
            .await
            .unwrap()
            .is_empty()
    );
}
