//! Importing people in batches: validate every row, insert the new, update
//! the changed, leave the unchanged, and report each rejected row with its
//! field and reason. Each batch commits on its own with its audit entry, so
//! an interrupted import loses no committed batch, and running the same file
//! again finishes it without duplicates (people are keyed by ID number).

use std::collections::HashMap;

use ablework_domain::roles::Permission;
use ablework_store::{ImportCounts, NewPerson, PersonRecord, PersonScope};
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, Localized};
use crate::persons::NewPersonInput;

/// One row of a file, as read: its row number as the user sees it in a
/// spreadsheet, and its fields.
#[derive(Clone, Debug)]
pub struct ImportRow {
    /// 1-based row number in the file (the header row counts).
    pub row: usize,
    /// The fields.
    pub input: NewPersonInput,
}

/// Why one row was not imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowIssue {
    /// Row number in the file.
    pub row: usize,
    /// Field name (`id_number`, …), or `file` for the row as a whole.
    pub field: String,
    /// Stable code.
    pub code: String,
    /// Reason, in both languages.
    pub message: Localized,
}

/// What an import did, added up over its batches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Rows read (blank rows are not counted).
    pub read: u64,
    /// New people.
    pub inserted: u64,
    /// People whose record changed.
    pub updated: u64,
    /// Rows that matched the stored record exactly.
    pub unchanged: u64,
    /// Rows rejected (each has at least one issue).
    pub rejected: u64,
    /// Every issue of every rejected row.
    pub errors: Vec<RowIssue>,
}

/// A batch of people ready to be written: validated, encrypted and hashed
/// by [`App::prepare_persons_batch`], each with its row number.
#[derive(Debug)]
pub struct PreparedPersons {
    /// The district the importing actor is limited to (`None`: the city).
    district_scope: Option<String>,
    people: Vec<(usize, NewPerson)>,
}

impl ImportSummary {
    /// Adds another part of the same import: its counts and its issues.
    pub fn merge(&mut self, other: ImportSummary) {
        self.read += other.read;
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.rejected += other.rejected;
        self.errors.extend(other.errors);
    }

    /// Adds what a written batch changed.
    pub fn add(&mut self, counts: ImportCounts) {
        self.inserted += counts.inserted;
        self.updated += counts.updated;
    }

    /// Records a row that was rejected before it reached the application
    /// (for example by the file reader).
    pub fn reject(&mut self, issues: Vec<RowIssue>) {
        self.read += 1;
        self.rejected += 1;
        self.errors.extend(issues);
    }
}

/// One issue of a row.
pub(crate) fn issue(row: usize, field: &str, code: &str, message: Localized) -> RowIssue {
    RowIssue {
        row,
        field: field.to_owned(),
        code: code.to_owned(),
        message,
    }
}

impl App {
    /// The district an actor imports people's records for (`None`: the
    /// whole city); only staff who may change people's records import them.
    pub(crate) fn person_import_scope(actor: &Actor) -> AppResult<Option<String>> {
        actor.require(Permission::PersonWrite)?;
        match actor.person_scope() {
            PersonScope::District(code) => Ok(Some(code)),
            PersonScope::All => Ok(None),
            PersonScope::Person(_) | PersonScope::Nobody => Err(AppError::Forbidden),
        }
    }

    /// Whether a stored person already says everything a prepared row says.
    fn same_person(&self, stored: &PersonRecord, incoming: &NewPerson) -> AppResult<bool> {
        let decrypt_opt = |sealed: Option<&[u8]>| sealed.map(|s| self.vault.decrypt(s)).transpose();
        Ok(stored.name == incoming.name
            && self.vault.decrypt(&stored.certificate_enc)?
                == self.vault.decrypt(&incoming.certificate_enc)?
            && stored.district_code == incoming.district_code
            && stored.street == incoming.street
            && stored.hukou == incoming.hukou
            && stored.education == incoming.education
            && stored.employment_status == incoming.employment_status
            && decrypt_opt(stored.phone_enc.as_deref())?
                == decrypt_opt(incoming.phone_enc.as_deref())?)
    }

    /// Readies the store for this process to import about `expected` people
    /// in many batches ([`ablework_store::Store::begin_person_load`]): for
    /// the command line's import of a large file, never for a server, whose
    /// searches would miss the people loaded until the load ends. Returns
    /// whether the store set anything aside; if it did,
    /// [`App::finish_person_load`] must follow, whatever the import's end.
    pub async fn begin_person_load(&self, expected: u64) -> AppResult<bool> {
        Ok(self.store.begin_person_load(expected).await?)
    }

    /// Rebuilds what [`App::begin_person_load`] set aside.
    pub async fn finish_person_load(&self) -> AppResult<()> {
        Ok(self.store.finish_person_load().await?)
    }

    /// Imports one batch of rows (a few hundred to a few thousand) and adds
    /// its outcome to `summary`. With `dry_run` nothing is written:
    /// [`App::prepare_persons_batch`] then [`App::import_prepared_persons`].
    pub async fn import_persons_batch(
        &self,
        actor: &Actor,
        rows: Vec<ImportRow>,
        dry_run: bool,
        source: &str,
        summary: &mut ImportSummary,
    ) -> AppResult<()> {
        let prepared = self.prepare_persons_batch(actor, rows, summary)?;
        self.import_prepared_persons(actor, prepared, dry_run, source, summary)
            .await
    }

    /// The work of a batch that needs no database: every row validated,
    /// its identifiers encrypted and hashed. Rows refused here (invalid,
    /// outside the actor's district, an ID number twice in the batch) are
    /// counted in `summary` with their issues. It takes most of a batch's
    /// processor time, so an import runs it beside the writing of the
    /// previous batch.
    ///
    /// A district officer imports people of their own district only.
    pub fn prepare_persons_batch(
        &self,
        actor: &Actor,
        rows: Vec<ImportRow>,
        summary: &mut ImportSummary,
    ) -> AppResult<PreparedPersons> {
        let district_scope = Self::person_import_scope(actor)?;
        let mut people: Vec<(usize, NewPerson)> = Vec::with_capacity(rows.len());
        // The first row of each ID number in the batch, by its lookup hash.
        let mut first_rows: HashMap<String, usize> = HashMap::with_capacity(rows.len());
        for ImportRow { row, input } in rows {
            summary.read += 1;
            match self.prepare_person(&input) {
                Ok(person) => {
                    if let Some(code) = &district_scope
                        && person.district_code != *code
                    {
                        summary.rejected += 1;
                        summary.errors.push(issue(
                            row,
                            "district",
                            "out_of_scope",
                            Localized::new(
                                "只能导入本区的人员",
                                "You can import people of your own district only",
                            ),
                        ));
                        continue;
                    }
                    let first = *first_rows
                        .entry(person.id_number_hash.clone())
                        .or_insert(row);
                    if first != row {
                        summary.rejected += 1;
                        summary.errors.push(issue(
                            row,
                            "id_number",
                            "duplicate_in_file",
                            Localized::new(
                                format!("与第 {first} 行的身份证号重复"),
                                format!("The same ID number as row {first}"),
                            ),
                        ));
                        continue;
                    }
                    people.push((row, person));
                }
                Err(AppError::Invalid(fields)) => {
                    summary.rejected += 1;
                    summary.errors.extend(
                        fields
                            .into_iter()
                            .map(|f| issue(row, &f.field, &f.code, f.message)),
                    );
                }
                Err(other) => return Err(other),
            }
        }
        Ok(PreparedPersons {
            district_scope,
            people,
        })
    }

    /// Writes a prepared batch: new people inserted, changed people
    /// updated, the unchanged counted, in one transaction with its audit
    /// entry. A row whose ID number is registered outside the actor's
    /// district is rejected with a neutral message, as in single
    /// registration. With `dry_run` nothing is written.
    pub async fn import_prepared_persons(
        &self,
        actor: &Actor,
        prepared: PreparedPersons,
        dry_run: bool,
        source: &str,
        summary: &mut ImportSummary,
    ) -> AppResult<()> {
        let PreparedPersons {
            district_scope,
            people,
        } = prepared;
        let (inserts, updates) = self
            .sort_batch(people, district_scope.as_deref(), summary)
            .await?;
        if dry_run {
            summary.inserted += inserts.len() as u64;
            summary.updated += updates.len() as u64;
            return Ok(());
        }
        if inserts.is_empty() && updates.is_empty() {
            return Ok(());
        }
        let audit = actor
            .audit(self.now(), "person.import", "person")
            .with_detail(json!({ "source": source }));
        let counts = self
            .store
            .apply_person_batch(&inserts, &updates, audit)
            .await?;
        summary.add(counts);
        Ok(())
    }
}

impl App {
    /// Splits prepared rows into new people and changed people, counting the
    /// unchanged and rejecting rows registered outside a district scope.
    async fn sort_batch(
        &self,
        prepared: Vec<(usize, NewPerson)>,
        district_scope: Option<&str>,
        summary: &mut ImportSummary,
    ) -> AppResult<(Vec<NewPerson>, Vec<(i64, NewPerson)>)> {
        let hashes: Vec<String> = prepared
            .iter()
            .map(|(_, p)| p.id_number_hash.clone())
            .collect();
        let existing: HashMap<String, PersonRecord> = self
            .store
            .persons_by_id_hashes(&hashes)
            .await?
            .into_iter()
            .map(|p| (p.id_number_hash.clone(), p))
            .collect();
        let mut inserts = Vec::new();
        let mut updates = Vec::new();
        for (row, person) in prepared {
            match existing.get(&person.id_number_hash) {
                None => inserts.push(person),
                Some(stored) => {
                    if let Some(code) = district_scope
                        && stored.district_code != code
                    {
                        summary.rejected += 1;
                        summary.errors.push(issue(
                            row,
                            "id_number",
                            "already_registered",
                            Localized::new(
                                "此身份证号已登记",
                                "This ID number is already registered",
                            ),
                        ));
                    } else if self.same_person(stored, &person)? {
                        summary.unchanged += 1;
                    } else {
                        updates.push((stored.id, person));
                    }
                }
            }
        }
        Ok((inserts, updates))
    }
}
