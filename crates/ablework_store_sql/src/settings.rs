//! Settings kept as versioned data: policy presets, plans' targets and
//! the rural bases' criteria. A
//! change is a new version; the old ones stay, so what a past assessment or
//! report used can always be read back.

use ablework_store::{NewAuditEntry, StoreResult, VersionedRecord};

use crate::rows::{Columns, unreadable as corrupt};
use crate::{SqlStore, append_audit, map_err, with_pool, with_tx};

/// Which versioned setting, and so which table.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Setting {
    /// `policy_presets`.
    Preset,
    /// `plan_targets`.
    Plan,
    /// `rural_criteria`.
    RuralCriteria,
}

impl Setting {
    fn table(self) -> &'static str {
        match self {
            Setting::Preset => "policy_presets",
            Setting::Plan => "plan_targets",
            Setting::RuralCriteria => "rural_criteria",
        }
    }
}

pub(crate) async fn save(
    store: &SqlStore,
    setting: Setting,
    record: VersionedRecord,
    audit: NewAuditEntry,
) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO {} (id, version, body, created_at) VALUES ($1, $2, $3, $4)",
        setting.table()
    );
    with_tx!(store, tx => {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&record.id)
            .bind(record.version)
            .bind(record.body.to_string())
            .bind(record.created_at)
            .execute(&mut *tx).await.map_err(map_err)?;
        append_audit!(tx, audit);
        Ok(())
    })
}

pub(crate) async fn all(store: &SqlStore, setting: Setting) -> StoreResult<Vec<VersionedRecord>> {
    let sql = format!(
        "SELECT id, version, body, created_at FROM {} ORDER BY id, version",
        setting.table()
    );
    with_pool!(store, pool => {
        let found = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.map_err(map_err)?;
        found.iter().map(|row| Ok(VersionedRecord {
            id: row.text("id")?,
            version: row.i32("version")?,
            body: serde_json::from_str(&row.text("body")?).map_err(|_| corrupt("body"))?,
            created_at: row.time("created_at")?,
        })).collect()
    })
}
