//! Importing employers, job postings and employment outcomes in batches,
//! as people are imported ([`crate::import`]): every row is checked by the
//! same function that checks a record entered by hand, with the same scope
//! and permissions; the new are inserted, the changed updated, the
//! unchanged left; each batch commits on its own with one audit entry.
//!
//! Natural keys, by which importing a file again changes nothing:
//! - an employer: its unified social credit code;
//! - a posting: its employer's credit code and its title (a title the
//!   employer has on two postings already is refused as ambiguous);
//! - an outcome: the person's ID number and the day the work started.

use std::collections::HashMap;
use std::hash::Hash;

use ablework_domain::ident::ResidentId;
use ablework_domain::outcome::Measure;
use ablework_domain::roles::{Permission, Role};
use ablework_store::{
    EmployerFields, EmployerRecord, EmployerScope, JobPostingFields, OutcomeDetails, OutcomeRecord,
    PersonRecord,
};
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::applications::measure_for;
use crate::cases::OutcomeInput;
use crate::employers::EmployerInput;
use crate::error::{AppError, AppResult, FieldError, Localized};
use crate::import::{ImportSummary, RowIssue, issue};
use crate::postings::PostingInput;

/// One row of a file of employers, postings or outcomes: its row number,
/// the record as typed, and what the file reader already found wrong with
/// its cells (reported together with what the application finds).
#[derive(Clone, Debug)]
pub struct RecordRow<T> {
    /// 1-based row number in the file (title and header rows count).
    pub row: usize,
    /// The record as typed.
    pub input: T,
    /// Problems the reader found, by column.
    pub issues: Vec<RowIssue>,
}

/// A job posting as imported: its employer named by credit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostingImport {
    /// The employer's unified social credit code.
    pub employer_credit_code: String,
    /// The posting (its `employer_id` is ignored).
    pub posting: PostingInput,
}

/// An employment outcome as imported: the person named by ID number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutcomeImport {
    /// The person's resident ID number.
    pub id_number: String,
    /// The outcome; `employer` is the employer's credit code, and `measure`
    /// may be empty when an employer is named (it is worked out from the
    /// employer, as for a hire).
    pub outcome: OutcomeInput,
}

/// Rows of one batch being sorted into rejected, new, changed and
/// unchanged, with the summary they add to.
pub(crate) struct Batch<'summary, K, V> {
    pub(crate) summary: &'summary mut ImportSummary,
    /// Accepted rows: row number, key, value.
    pub(crate) accepted: Vec<(usize, K, V)>,
}

impl<'summary, K: Eq + Clone, V> Batch<'summary, K, V> {
    pub(crate) fn new(summary: &'summary mut ImportSummary) -> Self {
        Batch {
            summary,
            accepted: Vec::new(),
        }
    }

    pub(crate) fn reject(&mut self, issues: Vec<RowIssue>) {
        self.summary.rejected += 1;
        self.summary.errors.extend(issues);
    }

    /// Settles a row: the reader's issues and the application's findings
    /// (field errors on a column the reader already reported are left out,
    /// as the reader's say more) together reject it; otherwise the value
    /// is kept under its key, unless an earlier row of the batch has that
    /// key. `column` renames the application's fields to the file's.
    pub(crate) fn settle(
        &mut self,
        row: usize,
        mut issues: Vec<RowIssue>,
        checked: AppResult<(K, V)>,
        key_field: &str,
        column: fn(&str) -> &str,
    ) -> AppResult<()> {
        self.summary.read += 1;
        let accepted = match checked {
            Ok(accepted) => Some(accepted),
            Err(AppError::Invalid(fields)) => {
                let reported: Vec<String> = issues.iter().map(|i| i.field.clone()).collect();
                issues.extend(
                    fields
                        .into_iter()
                        .map(|f| field_issue(row, f, column))
                        .filter(|issue| !reported.contains(&issue.field)),
                );
                None
            }
            Err(other) => return Err(other),
        };
        match accepted {
            Some((key, value)) if issues.is_empty() => {
                if let Some((first, _, _)) = self.accepted.iter().find(|(_, k, _)| *k == key) {
                    let first = *first;
                    self.reject(vec![issue(
                        row,
                        key_field,
                        "duplicate_in_file",
                        Localized::new(
                            format!("与第 {first} 行是同一条记录"),
                            format!("The same record as row {first}"),
                        ),
                    )]);
                } else {
                    self.accepted.push((row, key, value));
                }
            }
            _ => {
                if issues.is_empty() {
                    return Err(AppError::Internal(
                        "a row was refused without a reason".to_owned(),
                    ));
                }
                self.reject(issues);
            }
        }
        Ok(())
    }
}

pub(crate) fn field_issue(row: usize, error: FieldError, column: fn(&str) -> &str) -> RowIssue {
    issue(row, column(&error.field), &error.code, error.message)
}

/// The file's column for a field of the employer form: the same names.
pub(crate) fn same_column(field: &str) -> &str {
    field
}

/// The file's column for a field of the posting form: each demand's level
/// is reported on the demands column.
fn posting_column(field: &str) -> &str {
    if field.starts_with("demand_") {
        "demands"
    } else {
        field
    }
}

/// The file's column for a field of the outcome form.
fn outcome_column(field: &str) -> &str {
    match field {
        "employer" => "employer_credit_code",
        other => other,
    }
}

/// Inserts, updates and unchanged rows of a batch, by comparing each
/// accepted row with the stored record of its key.
struct Sorted<V> {
    inserts: Vec<V>,
    updates: Vec<(i64, V)>,
}

impl<V> Sorted<V> {
    fn new() -> Self {
        Sorted {
            inserts: Vec::new(),
            updates: Vec::new(),
        }
    }
}

/// What the actor may not learn: a record that exists outside its scope
/// reads as a neutral refusal, as in single entry.
fn already_registered(row: usize, field: &str) -> RowIssue {
    issue(
        row,
        field,
        "already_registered",
        Localized::new(
            "这条记录已登记，不在您的管理范围内",
            "This record is registered already, outside your access",
        ),
    )
}

impl App {
    /// Whether a sorted batch is done without writing: counted as it
    /// would be on a dry run, or nothing to write.
    fn nothing_to_write<V>(sorted: &Sorted<V>, dry_run: bool, summary: &mut ImportSummary) -> bool {
        if dry_run {
            summary.inserted += sorted.inserts.len() as u64;
            summary.updated += sorted.updates.len() as u64;
        }
        dry_run || (sorted.inserts.is_empty() && sorted.updates.is_empty())
    }

    /// Imports one batch of employers. Who may, and which, as for
    /// [`App::create_employer`]: staff, a district officer for their own
    /// district only; an employer registered outside the actor's scope is
    /// refused with a neutral message.
    pub async fn import_employers_batch(
        &self,
        actor: &Actor,
        rows: Vec<RecordRow<EmployerInput>>,
        dry_run: bool,
        source: &str,
        summary: &mut ImportSummary,
    ) -> AppResult<()> {
        actor.require(Permission::EmployerWrite)?;
        if actor.role == Role::Employer {
            return Err(AppError::Forbidden);
        }
        let scope = Self::employer_scope(actor);
        let mut batch = Batch::new(summary);
        for RecordRow { row, input, issues } in rows {
            let checked = Self::prepare_employer(actor, &input)
                .map(|fields| (fields.credit_code.clone(), fields));
            batch.settle(row, issues, checked, "credit_code", same_column)?;
        }
        let codes: Vec<String> = batch.accepted.iter().map(|(_, k, _)| k.clone()).collect();
        let stored = keyed(
            self.store.employers_by_credit_codes(&codes).await?,
            |employer: &EmployerRecord| employer.fields.credit_code.clone(),
        );
        let mut sorted: Sorted<EmployerFields> = Sorted::new();
        for (row, code, fields) in std::mem::take(&mut batch.accepted) {
            match stored.get(&code).map(Vec::as_slice) {
                None | Some([]) => sorted.inserts.push(fields),
                Some([employer, ..]) => {
                    let in_scope = match &scope {
                        EmployerScope::All => true,
                        EmployerScope::District(own) => employer.fields.district_code == *own,
                        EmployerScope::Employer(_) | EmployerScope::Nobody => false,
                    };
                    if !in_scope {
                        batch.reject(vec![already_registered(row, "credit_code")]);
                    } else if employer.fields == fields {
                        batch.summary.unchanged += 1;
                    } else {
                        sorted.updates.push((employer.id, fields));
                    }
                }
            }
        }
        let audit = actor
            .audit(self.now(), "employer.import", "employer")
            .with_detail(json!({ "source": source }));
        if Self::nothing_to_write(&sorted, dry_run, batch.summary) {
            return Ok(());
        }
        let counts = self
            .store
            .apply_employer_batch(&sorted.inserts, &sorted.updates, self.now(), audit)
            .await?;
        batch.summary.add(counts);
        Ok(())
    }

    /// The employers of a batch's credit codes that the actor may manage
    /// postings for, by code: its own organisation for an employer's HR,
    /// its district's for an officer, all for the city.
    async fn managed_employers(
        &self,
        actor: &Actor,
        codes: &[String],
    ) -> AppResult<HashMap<String, EmployerRecord>> {
        let scope = Self::employer_scope(actor);
        Ok(self
            .store
            .employers_by_credit_codes(codes)
            .await?
            .into_iter()
            .filter(|employer| match &scope {
                EmployerScope::All => true,
                EmployerScope::District(own) => employer.fields.district_code == *own,
                EmployerScope::Employer(id) => employer.id == *id,
                EmployerScope::Nobody => false,
            })
            .map(|employer| (employer.fields.credit_code.clone(), employer))
            .collect())
    }

    /// Imports one batch of job postings. Who may, and for which
    /// employers, as for [`App::create_posting`]. A posting is found by its
    /// employer and title; a new one is posted open, a changed one keeps
    /// whether it is open.
    pub async fn import_postings_batch(
        &self,
        actor: &Actor,
        rows: Vec<RecordRow<PostingImport>>,
        dry_run: bool,
        source: &str,
        summary: &mut ImportSummary,
    ) -> AppResult<()> {
        actor.require(Permission::JobWrite)?;
        if !Self::can_write_postings(actor) {
            return Err(AppError::Forbidden);
        }
        let codes: Vec<String> = rows
            .iter()
            .filter_map(|row| {
                ablework_domain::ident::CreditCode::parse(&row.input.employer_credit_code).ok()
            })
            .map(|code| code.as_str().to_owned())
            .collect();
        let employers = self.managed_employers(actor, &codes).await?;
        let mut batch = Batch::new(summary);
        for RecordRow { row, input, issues } in rows {
            let mut errors = Vec::new();
            let employer = Self::outcome_employer_code(&input.employer_credit_code, &mut errors)
                .and_then(|code| employers.get(code.as_str()));
            if input.employer_credit_code.trim().is_empty() {
                errors.push(FieldError::required("employer_credit_code"));
            } else if errors.is_empty() && employer.is_none() {
                errors.push(crate::error::invalid(
                    "employer_credit_code",
                    "unknown_employer",
                    "您的范围内没有登记这个统一社会信用代码的用人单位。",
                    "No employer with this credit code is registered within your access.",
                ));
            }
            let fields = Self::posting_fields(employer.map_or(0, |e| e.id), &input.posting);
            let checked = match (fields, errors.is_empty()) {
                (Ok(fields), true) => Ok(((fields.employer_id, fields.title.clone()), fields)),
                (fields, _) => {
                    if let Err(AppError::Invalid(more)) = fields {
                        errors.extend(more);
                    }
                    Err(AppError::Invalid(errors))
                }
            };
            batch.settle(row, issues, checked, "title", posting_column)?;
        }
        let ids: Vec<i64> = employers.values().map(|e| e.id).collect();
        let stored = keyed(
            self.store.job_postings_of_employers(&ids).await?,
            |posting: &ablework_store::JobPostingRecord| {
                (posting.fields.employer_id, posting.fields.title.clone())
            },
        );
        let mut sorted: Sorted<JobPostingFields> = Sorted::new();
        for (row, key, fields) in std::mem::take(&mut batch.accepted) {
            match stored.get(&key).map(Vec::as_slice) {
                None | Some([]) => sorted.inserts.push(fields),
                Some([posting]) if posting.fields == fields => batch.summary.unchanged += 1,
                Some([posting]) => sorted.updates.push((posting.id, fields)),
                Some(_) => batch.reject(vec![issue(
                    row,
                    "title",
                    "ambiguous",
                    Localized::new(
                        "这个单位已有多个同名岗位，无法确定更新哪一个；请改用不同的岗位名称。",
                        "The employer has several postings of this title, so which to update is not clear; give them different titles.",
                    ),
                )]),
            }
        }
        let audit = actor
            .audit(self.now(), "job.import", "job_posting")
            .with_detail(json!({ "source": source }));
        if Self::nothing_to_write(&sorted, dry_run, batch.summary) {
            return Ok(());
        }
        let counts = self
            .store
            .apply_posting_batch(&sorted.inserts, &sorted.updates, self.now(), audit)
            .await?;
        batch.summary.add(counts);
        Ok(())
    }

    /// Imports one batch of employment outcomes. Who may, and for whom, as
    /// for [`App::record_outcome`]: the person must be registered within
    /// the actor's scope. When an employer is named, the outcome is
    /// credited to the measure a hire there is credited to
    /// ([`measure_for`]); a different measure in the file is refused.
    pub async fn import_outcomes_batch(
        &self,
        actor: &Actor,
        rows: Vec<RecordRow<OutcomeImport>>,
        dry_run: bool,
        source: &str,
        summary: &mut ImportSummary,
    ) -> AppResult<()> {
        let district_scope = Self::person_import_scope(actor)?;
        let today = self.today();
        let hashes: Vec<String> = rows
            .iter()
            .filter_map(|row| ResidentId::parse(&row.input.id_number, today).ok())
            .map(|id| self.vault.lookup_hash(id.as_str()))
            .collect();
        let persons: HashMap<String, PersonRecord> = self
            .store
            .persons_by_id_hashes(&hashes)
            .await?
            .into_iter()
            .filter(|person| {
                district_scope
                    .as_ref()
                    .is_none_or(|own| person.district_code == *own)
            })
            .map(|person| (person.id_number_hash.clone(), person))
            .collect();
        let codes: Vec<String> = rows
            .iter()
            .filter_map(|row| {
                ablework_domain::ident::CreditCode::parse(&row.input.outcome.employer).ok()
            })
            .map(|code| code.as_str().to_owned())
            .collect();
        let employers = keyed(
            self.store.employers_by_credit_codes(&codes).await?,
            |employer: &EmployerRecord| employer.fields.credit_code.clone(),
        );
        let mut batch = Batch::new(summary);
        for RecordRow { row, input, issues } in rows {
            let checked = self.check_imported_outcome(&input, &persons, &employers);
            batch.settle(row, issues, checked, "started_on", outcome_column)?;
        }
        let person_ids: Vec<i64> = persons.values().map(|person| person.id).collect();
        let stored = keyed(
            self.store.outcomes_of_persons(&person_ids).await?,
            |outcome: &OutcomeRecord| (outcome.outcome.person_id, outcome.outcome.started_on),
        );
        let mut sorted = Sorted::new();
        for (row, key, (outcome, details)) in std::mem::take(&mut batch.accepted) {
            match stored.get(&key).map(Vec::as_slice) {
                None | Some([]) => sorted.inserts.push((outcome, details)),
                Some([found]) => {
                    let mut changed = found.outcome.clone();
                    changed.form = outcome.form;
                    changed.measure = outcome.measure;
                    if changed == found.outcome && details == found.details {
                        batch.summary.unchanged += 1;
                    } else {
                        sorted.updates.push((found.id, (changed, details)));
                    }
                }
                Some(_) => batch.reject(vec![issue(
                    row,
                    "started_on",
                    "ambiguous",
                    Localized::new(
                        "这个人在这一天已有多条就业记录，无法确定更新哪一条。",
                        "The person has several outcomes starting this day, so which to update is not clear.",
                    ),
                )]),
            }
        }
        let audit = actor
            .audit(self.now(), "outcome.import", "employment_outcome")
            .with_detail(json!({ "source": source }));
        if Self::nothing_to_write(&sorted, dry_run, batch.summary) {
            return Ok(());
        }
        let updates: Vec<_> = sorted
            .updates
            .into_iter()
            .map(|(id, (outcome, details))| (id, outcome, details))
            .collect();
        let counts = self
            .store
            .apply_outcome_batch(&sorted.inserts, &updates, &self.recorded_now(actor), audit)
            .await?;
        batch.summary.add(counts);
        Ok(())
    }

    /// Checks one imported outcome: the person registered in scope, the
    /// employer registered, the measure it credits, then the outcome as
    /// [`App::record_outcome`] checks it.
    fn check_imported_outcome(
        &self,
        input: &OutcomeImport,
        persons: &HashMap<String, PersonRecord>,
        employers: &HashMap<String, Vec<EmployerRecord>>,
    ) -> AppResult<(
        (i64, chrono::NaiveDate),
        (ablework_domain::outcome::Outcome, OutcomeDetails),
    )> {
        let mut errors = Vec::new();
        let person = if input.id_number.trim().is_empty() {
            errors.push(FieldError::required("id_number"));
            None
        } else {
            match ResidentId::parse(&input.id_number, self.today()) {
                Err(refusals) => {
                    errors.extend(
                        refusals
                            .iter()
                            .map(|refusal| FieldError::ident("id_number", refusal)),
                    );
                    None
                }
                Ok(id) => {
                    let found = persons.get(&self.vault.lookup_hash(id.as_str()));
                    if found.is_none() {
                        errors.push(crate::error::invalid(
                            "id_number",
                            "not_registered",
                            "您的范围内没有登记这个身份证号的人员；请先导入或登记此人。",
                            "No person with this ID number is registered within your access; import or register them first.",
                        ));
                    }
                    found
                }
            }
        };
        let employer =
            Self::outcome_employer_code(&input.outcome.employer, &mut errors).and_then(|code| {
                let found = employers.get(code.as_str()).and_then(|found| found.first());
                if found.is_none() {
                    errors.push(Self::unregistered_outcome_employer());
                }
                found
            });
        let mut outcome = input.outcome.clone();
        if let Some(employer) = employer {
            let credited = measure_for(&employer.fields);
            match Measure::from_code(outcome.measure.trim()) {
                Some(given) if given != credited => errors.push(crate::error::invalid(
                    "measure",
                    "measure_mismatch",
                    format!(
                        "在这个单位就业计入“{}”，与所填措施不符；可留空。",
                        credited.label(ablework_domain::lang::Lang::Zh)
                    ),
                    format!(
                        "Work at this employer is credited to \"{}\", not the measure given; leave it empty.",
                        credited.label(ablework_domain::lang::Lang::En)
                    ),
                )),
                _ => credited.code().clone_into(&mut outcome.measure),
            }
        }
        let (outcome, details) =
            self.prepare_outcome(person, &outcome, employer.map(|e| e.id), errors)?;
        Ok(((outcome.person_id, outcome.started_on), (outcome, details)))
    }
}

/// Groups records by key.
fn keyed<K: Eq + Hash, V>(records: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut grouped: HashMap<K, Vec<V>> = HashMap::new();
    for record in records {
        grouped.entry(key(&record)).or_default().push(record);
    }
    grouped
}
