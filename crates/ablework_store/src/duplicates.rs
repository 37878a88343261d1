//! Duplicate review of people: the pairs staff decided are not the same
//! person, and merges with exactly which rows moved, so that an undo can
//! move exactly those back.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

/// One merge: `merged_id` was marked merged into `kept_id` (made
/// inactive) and the rows named in `moved` were moved to `kept_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeRecord {
    /// Merge id.
    pub id: i64,
    /// The record kept.
    pub kept_id: i64,
    /// The record merged into it.
    pub merged_id: i64,
    /// The rows moved, by table: their ids, or for tables keyed by person
    /// and another record, that other record's id (see [`MERGED_TABLES`]).
    pub moved: BTreeMap<String, Vec<i64>>,
    /// Whether the merged record was active before the merge (restored on undo).
    pub merged_active: bool,
    /// Who merged.
    pub merged_by: String,
    /// When.
    pub merged_at: DateTime<Utc>,
    /// Who undid the merge, once undone.
    pub undone_by: Option<String>,
    /// When it was undone.
    pub undone_at: Option<DateTime<Utc>>,
}

/// The tables whose rows belong to a person and move with a merge:
/// `(table, key column, clash)`. The key column identifies a row among one
/// person's rows. A row whose `clash` column (or, for `""`, any row at
/// all) matches a row the kept record already has stays with the merged
/// record, because the table allows one such row per person.
pub const MERGED_TABLES: &[(&str, &str, Option<&str>)] = &[
    ("employment_outcomes", "id", None),
    ("person_checks", "id", None),
    ("assessments", "id", None),
    ("needs", "id", None),
    ("services", "id", None),
    ("consents", "id", None),
    ("students", "id", Some("")),
    ("job_applications", "id", Some("posting_id")),
    ("fair_registrations", "id", Some("fair_id")),
    (
        "declaration_employees",
        "declaration_id",
        Some("declaration_id"),
    ),
    ("recommendation_marks", "posting_id", Some("posting_id")),
    ("programme_participants", "id", Some("list_key")),
    ("programme_draws", "id", None),
];
