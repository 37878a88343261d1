//! The audit log's records and its hash chain.
//!
//! Each record's hash covers the previous record's hash and the record's own
//! content, so editing, deleting or reordering any stored row breaks the
//! chain from that row on. Adapters compute the hash with [`chain_hash`]
//! inside the writing transaction; `ablework audit verify` recomputes it.

use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An audit entry to append: who did what to which record, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// When. Stored and hashed at microsecond precision, which every engine keeps.
    pub at: DateTime<Utc>,
    /// The acting account, when there is one (a failed login has none).
    pub actor_user_id: Option<i64>,
    /// The acting account's username, or what was typed, or `system`.
    pub actor: String,
    /// What was done: `person.read`, `person.create`, `session.login`, …
    pub action: String,
    /// The kind of record: `person`, `user`, `session`, `api_token`, …
    pub entity: String,
    /// The record's id, when it has one.
    pub entity_id: Option<String>,
    /// The request that did it, to join with the logs.
    pub request_id: Option<String>,
    /// Further facts as a JSON object (never personal data in clear).
    pub detail: serde_json::Value,
}

impl NewAuditEntry {
    /// An entry with the given actor and action, and nothing else yet.
    pub fn new(
        at: DateTime<Utc>,
        actor_user_id: Option<i64>,
        actor: impl Into<String>,
        action: impl Into<String>,
        entity: impl Into<String>,
    ) -> Self {
        NewAuditEntry {
            at: at.trunc_subsecs(6),
            actor_user_id,
            actor: actor.into(),
            action: action.into(),
            entity: entity.into(),
            entity_id: None,
            request_id: None,
            detail: serde_json::Value::Object(serde_json::Map::new()),
        }
    }

    /// Names the record acted on.
    #[must_use]
    #[expect(
        clippy::needless_pass_by_value,
        reason = "ids are small Copy values; taking them by value reads best"
    )]
    pub fn with_entity_id(mut self, id: impl ToString) -> Self {
        self.entity_id = Some(id.to_string());
        self
    }

    /// Names the request.
    #[must_use]
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// Adds further facts.
    #[must_use]
    pub fn with_detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// A stored audit record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// The entry as appended.
    pub entry: NewAuditEntry,
    /// The previous record's hash ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// This record's hash.
    pub hash: String,
}

/// An audit search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Exact actor username.
    pub actor: Option<String>,
    /// Action, or a prefix of it ending in `.` (`person.` finds all person actions).
    pub action: Option<String>,
    /// Kind of record.
    pub entity: Option<String>,
    /// Record id.
    pub entity_id: Option<String>,
    /// From this moment on.
    pub from: Option<DateTime<Utc>>,
    /// Before this moment.
    pub until: Option<DateTime<Utc>>,
    /// Page from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// The content that is hashed, in a fixed field order.
#[derive(Serialize)]
struct Hashed<'a> {
    seq: i64,
    at_micros: i64,
    actor_user_id: Option<i64>,
    actor: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: Option<&'a str>,
    request_id: Option<&'a str>,
    detail: &'a serde_json::Value,
}

/// The hash of a record at position `seq` that follows `prev_hash`.
pub fn chain_hash(prev_hash: &str, seq: i64, entry: &NewAuditEntry) -> String {
    let fields = Hashed {
        seq,
        at_micros: entry.at.timestamp_micros(),
        actor_user_id: entry.actor_user_id,
        actor: &entry.actor,
        action: &entry.action,
        entity: &entry.entity,
        entity_id: entry.entity_id.as_deref(),
        request_id: entry.request_id.as_deref(),
        detail: &entry.detail,
    };
    // Serialising a struct of plain fields cannot fail; the fallback keeps
    // the function total without a panic path.
    let content = serde_json::to_vec(&fields).unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(&content);
    hex::encode(hasher.finalize())
}

/// Where a chain first fails verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainBreak {
    /// The first record that does not verify.
    pub seq: i64,
    /// Why, for people.
    pub reason: String,
}

/// Checks records that follow a record with hash `prev_hash` and position
/// `prev_seq`. Returns the last hash and position on success.
pub fn verify_records(
    mut prev_seq: i64,
    mut prev_hash: String,
    records: &[AuditRecord],
) -> Result<(i64, String), ChainBreak> {
    for record in records {
        if record.seq != prev_seq + 1 {
            return Err(ChainBreak {
                seq: record.seq,
                reason: format!("expected position {}, found {}", prev_seq + 1, record.seq),
            });
        }
        if record.prev_hash != prev_hash {
            return Err(ChainBreak {
                seq: record.seq,
                reason: "previous-hash link does not match the previous record".to_owned(),
            });
        }
        let expected = chain_hash(&prev_hash, record.seq, &record.entry);
        if record.hash != expected {
            return Err(ChainBreak {
                seq: record.seq,
                reason: "content does not match its hash (the row was edited)".to_owned(),
            });
        }
        prev_seq = record.seq;
        prev_hash.clone_from(&record.hash);
    }
    Ok((prev_seq, prev_hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str) -> NewAuditEntry {
        let at = DateTime::parse_from_rfc3339("2024-06-30T08:00:00.123456789Z")
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or_default();
        NewAuditEntry::new(at, Some(1), "admin", action, "person").with_entity_id(7)
    }

    fn chain(actions: &[&str]) -> Vec<AuditRecord> {
        let mut prev = GENESIS_HASH.to_owned();
        let mut records = Vec::new();
        for (index, action) in actions.iter().enumerate() {
            let seq = i64::try_from(index).unwrap_or(0) + 1;
            let entry = entry(action);
            let hash = chain_hash(&prev, seq, &entry);
            records.push(AuditRecord {
                seq,
                entry,
                prev_hash: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        records
    }

    #[test]
    fn timestamps_are_kept_to_the_microsecond() {
        assert_eq!(entry("x").at.timestamp_subsec_nanos(), 123_456_000);
    }

    #[test]
    fn an_intact_chain_verifies() {
        let records = chain(&["a", "b", "c"]);
        let (seq, hash) = verify_records(0, GENESIS_HASH.to_owned(), &records).unwrap_or_default();
        assert_eq!(seq, 3);
        assert_eq!(hash, records[2].hash);
    }

    #[test]
    fn an_edited_row_breaks_the_chain_at_that_row() {
        let mut records = chain(&["a", "b", "c"]);
        records[1].entry.actor = "mallory".to_owned();
        let broken = verify_records(0, GENESIS_HASH.to_owned(), &records).err();
        assert_eq!(broken.map(|b| b.seq), Some(2));
    }

    #[test]
    fn a_deleted_row_breaks_the_chain() {
        let mut records = chain(&["a", "b", "c"]);
        records.remove(1);
        let broken = verify_records(0, GENESIS_HASH.to_owned(), &records).err();
        assert_eq!(broken.map(|b| b.seq), Some(3));
    }
}
