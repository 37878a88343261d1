//! Duplicate review of people: the likely duplicates with the evidence,
//! "not the same person", a merge into the record staff keep, and its undo.
//! Staff with `person_write` only; a district officer sees and changes the
//! pairs whose two people are both in their district.

use std::collections::BTreeMap;

use ablework_domain::normalize::normalize_text;
use ablework_domain::roles::Permission;
use ablework_store::{MergeRecord, Page, PersonRecord, PersonScope};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, Localized};
use crate::persons::PersonView;

/// The most candidate pairs one review list considers.
const MAX_CANDIDATES: u32 = 5_000;

/// How many older phone numbers one batch hashes.
const BACKFILL_BATCH: u32 = 1_000;

/// Why two records may be the same person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DuplicateReason {
    /// The same name and birth date in one district.
    SameNameAndBirthDate,
    /// Names that differ by one character, or are equal once full-width and
    /// traditional forms are normalised, with the same district and birth date.
    SimilarName,
    /// The same mobile number.
    SamePhone,
}

impl DuplicateReason {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            DuplicateReason::SameNameAndBirthDate => "same_name_and_birth_date",
            DuplicateReason::SimilarName => "similar_name",
            DuplicateReason::SamePhone => "same_phone",
        }
    }
}

/// A likely duplicate: two records, lower id first, with the evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicatePair {
    /// The first record (lower id), masked.
    pub a: PersonView,
    /// The second record, masked.
    pub b: PersonView,
    /// The evidence, never empty.
    pub reasons: Vec<DuplicateReason>,
}

/// A pair opened for review: both records, the evidence (empty when the
/// pair is no longer a candidate) and the open merge between them, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairReview {
    /// The first record (lower id), masked.
    pub a: PersonView,
    /// The second record, masked.
    pub b: PersonView,
    /// The evidence.
    pub reasons: Vec<DuplicateReason>,
    /// The merge of one into the other not undone, if any.
    pub merge: Option<MergeView>,
}

/// A merge as shown: who was kept, who merged, how many rows moved per table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeView {
    /// Merge id.
    pub id: i64,
    /// The record kept.
    pub kept_id: i64,
    /// The record merged into it.
    pub merged_id: i64,
    /// Rows moved, by table.
    pub moved: BTreeMap<String, usize>,
    /// Who merged.
    pub merged_by: String,
    /// When.
    pub merged_at: DateTime<Utc>,
    /// When it was undone, if it was.
    pub undone_at: Option<DateTime<Utc>>,
}

impl From<MergeRecord> for MergeView {
    fn from(record: MergeRecord) -> MergeView {
        MergeView {
            id: record.id,
            kept_id: record.kept_id,
            merged_id: record.merged_id,
            moved: record
                .moved
                .iter()
                .map(|(table, keys)| (table.clone(), keys.len()))
                .collect(),
            merged_by: record.merged_by,
            merged_at: record.merged_at,
            undone_at: record.undone_at,
        }
    }
}

/// A name as compared: full-width forms to half-width, traditional
/// characters to simplified, no spaces.
fn comparable_name(name: &str) -> Vec<char> {
    fast2s::convert(&normalize_text(name))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether two names of the same length differ in exactly one character.
fn one_character_apart(a: &[char], b: &[char]) -> bool {
    a.len() == b.len() && a.iter().zip(b).filter(|(x, y)| x != y).count() == 1
}

impl App {
    /// The keyed look-up hash of a mobile number (digits only), apart from
    /// the ID numbers' by a prefix.
    pub(crate) fn phone_hash(&self, phone: &str) -> String {
        let digits: String = normalize_text(phone)
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        self.vault.lookup_hash(&format!("phone:{digits}"))
    }

    /// Fills the look-up hashes of mobile numbers stored before they were
    /// kept, a batch at a time, as the system: run once when the binary
    /// opens the database (nothing to do costs one indexed query), never on
    /// a reader's request.
    pub async fn hash_older_phones(&self) -> AppResult<()> {
        let actor = Actor::operator(None);
        loop {
            let found = self
                .store
                .persons_with_unhashed_phones(BACKFILL_BATCH)
                .await?;
            if found.is_empty() {
                return Ok(());
            }
            let mut hashes = Vec::with_capacity(found.len());
            for (id, sealed) in &found {
                hashes.push((*id, self.phone_hash(&self.vault.decrypt(sealed)?)));
            }
            let audit = actor.audit(self.now(), "person.phone_hash_backfill", "person");
            self.store.set_phone_hashes(&hashes, audit).await?;
        }
    }

    /// Staff with `person_write` over people (the city or one district).
    fn duplicate_scope(actor: &Actor) -> AppResult<PersonScope> {
        actor.require(Permission::PersonWrite)?;
        match actor.person_scope() {
            scope @ (PersonScope::All | PersonScope::District(_)) => Ok(scope),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The evidence that two records are the same person.
    fn reasons(&self, a: &PersonRecord, b: &PersonRecord) -> AppResult<Vec<DuplicateReason>> {
        let mut reasons = Vec::new();
        if a.district_code == b.district_code && a.birth_date == b.birth_date {
            if a.name == b.name {
                reasons.push(DuplicateReason::SameNameAndBirthDate);
            } else {
                let (x, y) = (comparable_name(&a.name), comparable_name(&b.name));
                if x == y || one_character_apart(&x, &y) {
                    reasons.push(DuplicateReason::SimilarName);
                }
            }
        }
        if let (Some(x), Some(y)) = (&a.phone_enc, &b.phone_enc)
            && a.phone_masked == b.phone_masked
            && normalize_text(&self.vault.decrypt(x)?) == normalize_text(&self.vault.decrypt(y)?)
        {
            reasons.push(DuplicateReason::SamePhone);
        }
        Ok(reasons)
    }

    /// The likely duplicates inside the actor's scope, one page at a time,
    /// with the evidence. Pairs dismissed or merged are not listed. The
    /// list (which people were shown) is audited.
    pub async fn duplicate_pairs(
        &self,
        actor: &Actor,
        page: u32,
        per_page: u32,
    ) -> AppResult<Page<DuplicatePair>> {
        let scope = Self::duplicate_scope(actor)?;
        let page = page.max(1);
        let per_page = per_page.clamp(1, crate::persons::MAX_PER_PAGE);
        let candidates = self
            .store
            .duplicate_candidates(&scope, MAX_CANDIDATES)
            .await?;
        let mut pairs = Vec::new();
        for (a, b) in &candidates {
            let reasons = self.reasons(a, b)?;
            if !reasons.is_empty() {
                pairs.push((a, b, reasons));
            }
        }
        let total = pairs.len() as u64;
        let skip = usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX);
        let take = usize::try_from(per_page).unwrap_or(usize::MAX);
        let items: Vec<DuplicatePair> = pairs
            .into_iter()
            .skip(skip)
            .take(take)
            .map(|(a, b, reasons)| DuplicatePair {
                a: self.person_view(a),
                b: self.person_view(b),
                reasons,
            })
            .collect();
        let shown: Vec<[i64; 2]> = items.iter().map(|p| [p.a.id, p.b.id]).collect();
        self.store
            .append_audit(
                actor
                    .audit(self.now(), "person.duplicates_list", "person")
                    .with_detail(json!({ "page": page, "pairs": shown })),
            )
            .await?;
        Ok(Page { items, total })
    }

    /// Opens one pair for review: both records read in scope, each read
    /// audited, with the evidence and the open merge between them.
    pub async fn duplicate_pair(&self, actor: &Actor, a: i64, b: i64) -> AppResult<PairReview> {
        let scope = Self::duplicate_scope(actor)?;
        let (a, b) = (a.min(b), a.max(b));
        if a == b {
            return Err(AppError::NotFound);
        }
        let mut records = Vec::with_capacity(2);
        for (id, other) in [(a, b), (b, a)] {
            let audit = actor
                .audit(self.now(), "person.read", "person")
                .with_entity_id(id)
                .with_detail(
                    json!({ "purpose": "duplicate_review", "pair": [a, b], "other": other }),
                );
            records.push(
                self.store
                    .read_person(id, &scope, audit)
                    .await?
                    .ok_or(AppError::NotFound)?,
            );
        }
        let reasons = self.reasons(&records[0], &records[1])?;
        let merge = self
            .store
            .person_merges(&scope, true)
            .await?
            .into_iter()
            .find(|m| (m.kept_id.min(m.merged_id), m.kept_id.max(m.merged_id)) == (a, b))
            .map(MergeView::from);
        Ok(PairReview {
            a: self.person_view(&records[0]),
            b: self.person_view(&records[1]),
            reasons,
            merge,
        })
    }

    /// Records that two people are not the same person; audited.
    pub async fn dismiss_duplicate(&self, actor: &Actor, a: i64, b: i64) -> AppResult<()> {
        let scope = Self::duplicate_scope(actor)?;
        if a == b {
            return Err(same_person("b"));
        }
        let audit = actor.audit(self.now(), "person.duplicate_dismiss", "person");
        self.store.dismiss_pair(a, b, &scope, audit).await?;
        Ok(())
    }

    /// Merges `merge` into `keep`: the other's histories move to the kept
    /// record, which stays; the other becomes inactive, merged into it.
    /// One transaction with its audit entry, recording what moved.
    pub async fn merge_duplicate(
        &self,
        actor: &Actor,
        keep: i64,
        merge: i64,
    ) -> AppResult<MergeView> {
        let scope = Self::duplicate_scope(actor)?;
        if keep == merge {
            return Err(same_person("keep"));
        }
        let audit = actor.audit(self.now(), "person.merge", "person_merge");
        Ok(self
            .store
            .merge_persons(keep, merge, &scope, audit)
            .await?
            .into())
    }

    /// Undoes a merge: exactly the rows it moved go back and the merged
    /// record is restored; audited.
    pub async fn undo_person_merge(&self, actor: &Actor, merge_id: i64) -> AppResult<MergeView> {
        let scope = Self::duplicate_scope(actor)?;
        let audit = actor.audit(self.now(), "person.merge_undo", "person_merge");
        Ok(self.store.undo_merge(merge_id, &scope, audit).await?.into())
    }

    /// The merges not undone inside the actor's scope, newest first.
    pub async fn open_person_merges(&self, actor: &Actor) -> AppResult<Vec<MergeView>> {
        let scope = Self::duplicate_scope(actor)?;
        Ok(self
            .store
            .person_merges(&scope, true)
            .await?
            .into_iter()
            .map(MergeView::from)
            .collect())
    }
}

fn same_person(field: &str) -> AppError {
    AppError::field(
        field,
        "same_person",
        Localized::new(
            "请选择两个不同的人员记录",
            "Choose two different people's records",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::{comparable_name, one_character_apart};

    #[test]
    fn names_are_compared_after_normalising() {
        assert_eq!(comparable_name("張三"), comparable_name("张三"));
        assert_eq!(comparable_name("张　三 "), comparable_name("张三"));
        for (a, b, apart) in [
            ("张三", "张山", true),
            ("张三", "李四", false),
            ("张三", "张三丰", false),
            ("王小明", "王晓明", true),
        ] {
            assert_eq!(
                one_character_apart(&comparable_name(a), &comparable_name(b)),
                apart,
                "{a} {b}"
            );
        }
    }
}
