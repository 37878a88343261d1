//! Importing the trainees of skills-training courses (docs/imports.md,
//! "Training enrolments"), keyed by the course and the ID number. Rows
//! are checked and sorted as the other kinds' are ([`crate::import_records`]),
//! then each is applied through the programmes' use cases, as the
//! uploader: the person joins the course ([`App::join_programme`]) unless
//! already on it, then their progress is recorded
//! ([`App::record_participant_progress`]) when the row gives one that
//! differs from what is stored.
//!
//! Each use case commits on its own with its audit entry
//! (`programme.join`, `programme.progress`; and one `programme.import` a
//! batch naming the file), so a row is written in up to two steps. A stop
//! between them leaves the person on the course without the row's
//! progress; importing the file again records it (the row then counts as
//! updated), and leaves every row already done unchanged.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use ablework_domain::programme::{
    self, ActivityKind, BlankIncome, JoinInput, Progress, ProgressInput, Role, Status, UnitKind,
};
use ablework_domain::roles::Permission;
use ablework_store::{ImportCounts, ProgrammeScope};
use chrono::NaiveDate;
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError, invalid};
use crate::import::ImportSummary;
use crate::import_records::{Batch, RecordRow, field_issue, same_column};
use crate::programmes::ParticipantRecord;

/// A trainee as imported: the course by its record number, the join and
/// the progress as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnrolmentImport {
    /// The course's record number (its activity id), as written.
    pub course: String,
    /// The join: ID number, name and the day they joined (the role is the
    /// course's).
    pub join: JoinInput,
    /// The progress; every field blank for none.
    pub progress: ProgressInput,
}

/// A course of a batch, read once, with its trainees as the batch leaves
/// them.
struct Course {
    id: i64,
    unit_id: i64,
    unit_kind: UnitKind,
    capacity: Option<u32>,
    trainees: Vec<ParticipantRecord>,
    /// People a dry run would have added.
    added: u32,
}

impl Course {
    fn trainee(&self, person_id: i64) -> Option<usize> {
        self.trainees.iter().position(|t| t.person_id == person_id)
    }

    /// Whether a dry run finds every place taken (the store decides when
    /// writing).
    fn full(&self) -> bool {
        let taken = self
            .trainees
            .iter()
            .filter(|t| t.status != Status::Withdrawn)
            .count();
        self.capacity
            .is_some_and(|capacity| taken + self.added as usize >= capacity as usize)
    }
}

/// The courses of a batch by id; `None` for one the actor may not write to.
type Courses = HashMap<i64, Option<Course>>;

/// What a checked row did.
enum Applied {
    Joined,
    Progressed,
    Unchanged,
}

/// A checked row, and its progress when it gives one.
type Checked = (EnrolmentImport, Option<Progress>);

fn unknown_course() -> FieldError {
    invalid(
        "course",
        "unknown_course",
        "您的范围内没有这个编号的培训课程；编号见课程页面的地址。",
        "No course with this number is within your access; the number is in the course page's address.",
    )
}

/// Whether a row gives any progress.
fn has_progress(input: &ProgressInput) -> bool {
    [
        &input.status,
        &input.ended_on,
        &input.sessions_attended,
        &input.certificate,
        &input.monthly_income,
    ]
    .iter()
    .any(|value| !value.trim().is_empty())
}

/// Whether a participation already says what a progress says (a file's
/// blank income keeps the stored one).
fn same_progress(stored: &ParticipantRecord, progress: &Progress) -> bool {
    stored.status == progress.status
        && stored.ended_on == progress.ended_on
        && stored.sessions_attended == progress.sessions_attended
        && stored.certificate == progress.certificate
        && progress.monthly_income.applied_to(stored.monthly_income) == stored.monthly_income
}

impl App {
    /// Imports one batch of training enrolments. Who may, and which
    /// courses, as for [`App::join_programme`]: `programme_write`, courses
    /// of the actor's scope (an institution's account only its own unit's);
    /// any other number is `unknown_course`. People are found by ID number
    /// and name, as when joining by hand.
    pub async fn import_enrolments_batch(
        &self,
        actor: &Actor,
        rows: Vec<RecordRow<EnrolmentImport>>,
        dry_run: bool,
        source: &str,
        summary: &mut ImportSummary,
    ) -> AppResult<()> {
        actor.require(Permission::ProgrammeWrite)?;
        if actor.programme_scope() == ProgrammeScope::Nobody {
            return Err(AppError::Forbidden);
        }
        let mut courses = Courses::new();
        let mut batch = Batch::new(summary);
        for RecordRow { row, input, issues } in rows {
            let checked = self.check_enrolment(actor, input, &mut courses).await;
            batch.settle(row, issues, checked, "id_number", same_column)?;
        }
        let mut counts = ImportCounts::default();
        for (row, key, (input, progress)) in std::mem::take(&mut batch.accepted) {
            let applied = self
                .apply_enrolment(actor, &mut courses, key, &input, progress, dry_run)
                .await;
            match applied {
                Ok(Applied::Joined) => counts.inserted += 1,
                Ok(Applied::Progressed) => counts.updated += 1,
                Ok(Applied::Unchanged) => batch.summary.unchanged += 1,
                Err(AppError::Invalid(fields)) => batch.reject(
                    fields
                        .into_iter()
                        .map(|field| field_issue(row, field, same_column))
                        .collect(),
                ),
                Err(other) => return Err(other),
            }
        }
        batch.summary.add(counts);
        if !dry_run && counts.inserted + counts.updated > 0 {
            let audit = actor
                .audit(self.now(), "programme.import", "programme_participant")
                .with_detail(json!({
                    "source": source,
                    "joined": counts.inserted,
                    "progressed": counts.updated,
                }));
            self.store.append_audit(audit).await?;
        }
        Ok(())
    }

    /// The course a row names, read once a batch with its trainees: a
    /// course of a unit, in the actor's scope.
    async fn import_course<'c>(
        &self,
        actor: &Actor,
        number: &str,
        courses: &'c mut Courses,
    ) -> AppResult<Option<&'c Course>> {
        let Some(id) = number.trim().parse::<i64>().ok().filter(|id| *id > 0) else {
            return Ok(None);
        };
        if let Entry::Vacant(entry) = courses.entry(id) {
            entry.insert(self.read_import_course(actor, id).await?);
        }
        Ok(courses.get(&id).and_then(Option::as_ref))
    }

    async fn read_import_course(&self, actor: &Actor, id: i64) -> AppResult<Option<Course>> {
        let view = match self.activity_view(actor, id).await {
            Ok(view) => view,
            Err(AppError::NotFound) => return Ok(None),
            Err(other) => return Err(other),
        };
        let (Some(unit), ActivityKind::Course) = (view.unit, view.record.fields.kind) else {
            return Ok(None);
        };
        Ok(Some(Course {
            id,
            unit_id: unit.id,
            unit_kind: unit.fields.kind,
            capacity: view.record.fields.capacity,
            trainees: view.participants.into_iter().map(|p| p.record).collect(),
            added: 0,
        }))
    }

    /// Checks a row without writing: the course in scope, the join as
    /// [`App::join_programme`] checks it, the progress as
    /// [`App::record_participant_progress`] checks it (against the stored
    /// participation when the person is on the course); every error at
    /// once. The key is the course and the person.
    async fn check_enrolment(
        &self,
        actor: &Actor,
        input: EnrolmentImport,
        courses: &mut Courses,
    ) -> AppResult<((i64, i64), Checked)> {
        let mut errors = Vec::new();
        let course = if input.course.trim().is_empty() {
            errors.push(FieldError::required("course"));
            None
        } else {
            let found = self.import_course(actor, &input.course, courses).await?;
            if found.is_none() {
                errors.push(unknown_course());
            }
            found
        };
        // A course's role is its own: the unit's kind only matters to
        // joins of the unit itself.
        let unit_kind = course.map_or(UnitKind::TrainingBase, |c| c.unit_kind);
        let (join, person) = match self
            .check_join(actor, unit_kind, Some(ActivityKind::Course), &input.join)
            .await
        {
            Ok((join, person)) => (Some(join), Some(person)),
            Err(AppError::Invalid(more)) => {
                errors.extend(more);
                (None, None)
            }
            Err(other) => return Err(other),
        };
        let stored = course
            .zip(person.as_ref())
            .and_then(|(course, person)| course.trainee(person.id).map(|i| &course.trainees[i]));
        let progress = if has_progress(&input.progress) {
            let role = stored.map_or(Role::Trainee, |stored| stored.role);
            let joined_on = stored
                .map(|stored| stored.joined_on)
                .or(join.map(|join| join.joined_on))
                .unwrap_or(NaiveDate::MIN);
            match programme::validate_progress(role, joined_on, &input.progress, BlankIncome::Keeps)
            {
                Ok(progress) => Some(progress),
                Err(more) => {
                    errors.extend(more.into_iter().map(FieldError::from));
                    None
                }
            }
        } else {
            None
        };
        match (course, person) {
            (Some(course), Some(person)) if errors.is_empty() => {
                Ok(((course.id, person.id), (input, progress)))
            }
            _ => Err(AppError::Invalid(errors)),
        }
    }

    /// Applies a checked row: joins the person unless they are on the
    /// course, then records the progress if it differs. A dry run counts
    /// what would be done, places included.
    async fn apply_enrolment(
        &self,
        actor: &Actor,
        courses: &mut Courses,
        (course_id, person_id): (i64, i64),
        input: &EnrolmentImport,
        progress: Option<Progress>,
        dry_run: bool,
    ) -> AppResult<Applied> {
        let Some(course) = courses.get_mut(&course_id).and_then(Option::as_mut) else {
            return Err(AppError::Internal(
                "a checked course was not kept".to_owned(),
            ));
        };
        let mut joined = false;
        let index = match course.trainee(person_id) {
            Some(index) => index,
            None if dry_run => {
                if course.full() {
                    let capacity = course.capacity.unwrap_or_default();
                    return Err(AppError::Invalid(vec![
                        programme::capacity_full(capacity).into(),
                    ]));
                }
                course.added += 1;
                return Ok(Applied::Joined);
            }
            None => match self
                .join_programme(actor, course.unit_id, Some(course.id), &input.join)
                .await
            {
                Ok(record) => {
                    joined = true;
                    course.trainees.push(record);
                    course.trainees.len() - 1
                }
                // Joined since the batch read the course: read it again.
                Err(AppError::Invalid(fields))
                    if fields.iter().any(|f| f.code == "already_joined") =>
                {
                    let again = self.read_import_course(actor, course.id).await?;
                    *course = again.ok_or(AppError::NotFound)?;
                    course.trainee(person_id).ok_or(AppError::Invalid(fields))?
                }
                Err(other) => return Err(other),
            },
        };
        let stored = &course.trainees[index];
        let (id, changes) = (
            stored.id,
            progress.is_some_and(|progress| !same_progress(stored, &progress)),
        );
        if changes && !dry_run {
            course.trainees[index] = self
                .record_participant_progress(actor, id, &input.progress, BlankIncome::Keeps)
                .await?;
        }
        Ok(match (joined, changes) {
            (true, _) => Applied::Joined,
            (false, true) => Applied::Progressed,
            (false, false) => Applied::Unchanged,
        })
    }
}
