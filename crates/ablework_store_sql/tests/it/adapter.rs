//! Checks of the adapter itself: URLs, migrations, append-only audit.

use ablework_store::{NewAuditEntry, Store};
use ablework_store_sql::testing::{fresh_postgres, fresh_sqlite};
use ablework_store_sql::{ConnectError, SqlStore};
use chrono::Utc;

#[tokio::test]
async fn an_unknown_scheme_is_a_clear_error() {
    let error = SqlStore::connect("mysql://root@localhost/db").await.err();
    assert!(
        matches!(error, Some(ConnectError::UnknownScheme(_))),
        "{error:?}"
    );
    let message = error.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("sqlite:PATH"), "{message}");
}

#[tokio::test]
async fn passwords_are_not_shown_in_errors() {
    let error = SqlStore::connect("mongodb://user:secret@host/db")
        .await
        .err();
    let message = error.map(|e| e.to_string()).unwrap_or_default();
    assert!(!message.contains("secret"), "{message}");
}

#[tokio::test]
async fn migrating_twice_changes_nothing() {
    let Some(store) = fresh_sqlite().await else {
        return;
    };
    assert!(store.migrate().await.is_ok());
    if let Some(pg) = fresh_postgres().await {
        assert!(pg.migrate().await.is_ok());
    }
}

#[tokio::test]
async fn a_sqlite_url_creates_the_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("new.db");
    let store = SqlStore::connect(&format!("sqlite:{}", path.display())).await;
    assert!(store.is_ok());
    assert!(path.exists());
}

async fn audit_rows_cannot_be_changed(store: &SqlStore) {
    let entry = NewAuditEntry::new(Utc::now(), None, "test", "test.write", "test");
    assert!(store.append_audit(entry).await.is_ok());
    assert!(
        store
            .execute_raw("UPDATE audit_log SET actor = 'mallory'")
            .await
            .is_err()
    );
    assert!(store.execute_raw("DELETE FROM audit_log").await.is_err());
}

#[tokio::test]
async fn the_audit_log_is_append_only_on_sqlite() {
    let Some(store) = fresh_sqlite().await else {
        return;
    };
    audit_rows_cannot_be_changed(&store).await;
}

#[tokio::test]
async fn the_audit_log_is_append_only_on_postgres() {
    let Some(store) = fresh_postgres().await else {
        return;
    };
    audit_rows_cannot_be_changed(&store).await;
}

async fn an_edited_row_breaks_the_chain(store: &SqlStore, drop_guard: &str) {
    for n in 0..3 {
        let entry = NewAuditEntry::new(Utc::now(), None, "test", format!("test.{n}"), "test");
        assert!(store.append_audit(entry).await.is_ok());
    }
    let chain = store.audit_chain(0, 100).await.unwrap_or_default();
    assert!(
        ablework_store::audit::verify_records(0, ablework_store::GENESIS_HASH.to_owned(), &chain)
            .is_ok()
    );
    assert!(store.execute_raw(drop_guard).await.is_ok());
    assert!(
        store
            .execute_raw("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
            .await
            .is_ok()
    );
    let chain = store.audit_chain(0, 100).await.unwrap_or_default();
    let broken =
        ablework_store::audit::verify_records(0, ablework_store::GENESIS_HASH.to_owned(), &chain)
            .err();
    assert_eq!(broken.map(|b| b.seq), Some(2));
}

#[tokio::test]
async fn tampering_is_detected_on_sqlite() {
    let Some(store) = fresh_sqlite().await else {
        return;
    };
    an_edited_row_breaks_the_chain(&store, "DROP TRIGGER audit_log_no_update").await;
}

#[tokio::test]
async fn tampering_is_detected_on_postgres() {
    let Some(store) = fresh_postgres().await else {
        return;
    };
    an_edited_row_breaks_the_chain(&store, "DROP TRIGGER audit_log_no_change ON audit_log").await;
}

/// Building the kept counts again from the outcomes (what the first opening
/// after the tables were added does) gives exactly what the store kept.
async fn rebuilding_the_tally_gives_what_was_kept(store: &SqlStore) {
    use chrono::NaiveDate;
    ablework_store::conformance::the_kept_tally_follows_every_outcome_change(store).await;
    let from = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default();
    let city = store.progress_tally(None, from, to).await.ok();
    let district = store.progress_tally(Some("120116"), from, to).await.ok();
    assert!(city.as_ref().is_some_and(|t| t.counted() > 0));
    assert!(
        store
            .execute_raw("DELETE FROM progress_tally")
            .await
            .is_ok()
    );
    assert!(
        store
            .execute_raw("DELETE FROM counted_outcomes")
            .await
            .is_ok()
    );
    assert!(
        ablework_store_sql::rebuild_progress_tally(store)
            .await
            .is_ok()
    );
    assert_eq!(store.progress_tally(None, from, to).await.ok(), city);
    assert_eq!(
        store.progress_tally(Some("120116"), from, to).await.ok(),
        district
    );
}

#[tokio::test]
async fn the_tally_rebuilds_on_sqlite() {
    let Some(store) = fresh_sqlite().await else {
        return;
    };
    rebuilding_the_tally_gives_what_was_kept(&store).await;
}

#[tokio::test]
async fn the_tally_rebuilds_on_postgres() {
    let Some(store) = fresh_postgres().await else {
        return;
    };
    rebuilding_the_tally_gives_what_was_kept(&store).await;
}
