//! Searching and verifying the audit log.

use ablework_domain::roles::Permission;
use ablework_store::audit::{ChainBreak, verify_records};
use ablework_store::{AuditFilter, AuditRecord, GENESIS_HASH, NewAuditEntry, Page};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError, Localized};

/// An audit search as a caller states it.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Exact username.
    pub actor: Option<String>,
    /// Action, or a prefix ending in `.`.
    pub action: Option<String>,
    /// Kind of record.
    pub entity: Option<String>,
    /// Record id.
    pub entity_id: Option<String>,
    /// First day (China time), inclusive.
    pub from: Option<String>,
    /// Last day (China time), inclusive.
    pub until: Option<String>,
    /// From 1.
    pub page: Option<u32>,
    /// Default 50, at most 200.
    pub per_page: Option<u32>,
}

/// What a verification found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainReport {
    /// Every record links and hashes correctly.
    Intact {
        /// How many records were checked.
        records: i64,
    },
    /// The first record that does not verify.
    Broken(ChainBreak),
}

fn parse_day(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.push(FieldError::new(
            field,
            "date",
            Localized::new("日期格式应为 YYYY-MM-DD", "A date is written YYYY-MM-DD"),
        ));
    }
    parsed
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl App {
    /// Searches the audit log, newest first (city admins).
    pub async fn search_audit(
        &self,
        actor: &Actor,
        query: AuditQuery,
    ) -> AppResult<Page<AuditRecord>> {
        actor.require(Permission::AuditRead)?;
        let mut errors = Vec::new();
        let from = parse_day("from", query.from.as_deref(), &mut errors);
        let until = parse_day("until", query.until.as_deref(), &mut errors);
        let per_page = query.per_page.unwrap_or(50);
        if per_page == 0 || per_page > 200 {
            errors.push(FieldError::new(
                "per_page",
                "out_of_range",
                Localized::new("每页条数应为 1–200", "per_page is 1–200"),
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        // Days are China days: midnight UTC+8 is 16:00 UTC the day before.
        let china_midnight = |day: NaiveDate| {
            day.and_hms_opt(0, 0, 0)
                .map(|t| Utc.from_utc_datetime(&t) - chrono::Duration::hours(8))
        };
        let filter = AuditFilter {
            actor: non_empty(query.actor),
            action: non_empty(query.action),
            entity: non_empty(query.entity),
            entity_id: non_empty(query.entity_id),
            from: from.and_then(china_midnight),
            until: until.and_then(|d| d.succ_opt()).and_then(china_midnight),
            page: query.page.unwrap_or(1).max(1),
            per_page,
        };
        Ok(self.store.search_audit(&filter).await?)
    }

    /// Recomputes the whole chain in batches. The verification itself is
    /// recorded (after checking, so it does not check itself).
    pub async fn verify_audit(&self, by: Option<&Actor>) -> AppResult<ChainReport> {
        if let Some(actor) = by {
            actor.require(Permission::AuditRead)?;
        }
        let mut seq = 0;
        let mut hash = GENESIS_HASH.to_owned();
        let report = loop {
            let batch = self.store.audit_chain(seq, 1000).await?;
            if batch.is_empty() {
                break ChainReport::Intact { records: seq };
            }
            match verify_records(seq, hash, &batch) {
                Ok((last_seq, last_hash)) => (seq, hash) = (last_seq, last_hash),
                Err(broken) => break ChainReport::Broken(broken),
            }
        };
        let now = self.now();
        let entry = match by {
            Some(actor) => actor.audit(now, "audit.verify", "audit_log"),
            None => NewAuditEntry::new(now, None, "system", "audit.verify", "audit_log"),
        };
        let outcome = match &report {
            ChainReport::Intact { records } => json!({ "intact": true, "records": records }),
            ChainReport::Broken(broken) => json!({ "intact": false, "first_bad_seq": broken.seq }),
        };
        self.store.append_audit(entry.with_detail(outcome)).await?;
        Ok(report)
    }
}

/// One change to a person's record or case, for its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// When.
    pub at: chrono::DateTime<Utc>,
    /// Who (a username, or `system` for imports and the demo).
    pub actor: String,
    /// The audit action (`person.update`, `case.check`, `person.unmask`, …).
    pub action: String,
    /// The fields named, for updates.
    pub fields: Vec<String>,
}

impl App {
    /// The history of a person's record: every change, every case record
    /// written and every unmasking, newest first (reads are left out). The
    /// caller has read the person within the actor's scope already; this
    /// is the information archive of the "four ones" check.
    pub async fn person_history(
        &self,
        actor: &Actor,
        person: &crate::persons::PersonView,
    ) -> AppResult<Vec<HistoryEntry>> {
        actor.require(Permission::PersonRead)?;
        let filter = AuditFilter {
            entity: Some("person".to_owned()),
            entity_id: Some(person.id.to_string()),
            page: 1,
            per_page: 200,
            ..AuditFilter::default()
        };
        let found = self.store.search_audit(&filter).await?;
        Ok(found
            .items
            .into_iter()
            .filter(|r| r.entry.action != "person.read")
            .map(|r| HistoryEntry {
                at: r.entry.at,
                actor: r.entry.actor,
                fields: r.entry.detail["fields"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .filter_map(|f| f.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
                action: r.entry.action,
            })
            .collect())
    }
}
