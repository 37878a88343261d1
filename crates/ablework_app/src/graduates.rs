//! The graduates' ledger (一人一策, MISSION.md measure 7): disabled
//! university students and graduates, each with a plan of steps and a log
//! of contacts, followed by a counsellor; and the ledger of a cohort with
//! the entries that need attention flagged (no plan, no contact in 30 days,
//! no job after graduation).
//!
//! Everything here is staff work (`person_write`). A student is reached
//! through their person record, so the actor's scope is the person's
//! district, and every read of one entry is audited as a read of the
//! person.

use std::str::FromStr;

use ablework_domain::graduates::{
    self, ContactChannel, Degree, LedgerFacts, LedgerFlag, StudentStatus,
};
use ablework_domain::person::mask_name;
use ablework_domain::roles::{Permission, Role};
use chrono::{Datelike, Months, NaiveDate};
use serde_json::json;

use ablework_store::{CohortFilter, Page, Recorded, StoreError};
pub use ablework_store::{
    ContactRecord, LedgerRow, PlanStepRecord, StudentFields, StudentFile, StudentRecord,
};

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError, Localized, invalid};
use crate::persons::PersonView;

/// The longest university or major name.
const MAX_NAME: usize = 100;

/// The longest description of a plan's step.
const MAX_STEP: usize = 200;

/// The longest summary of a contact.
const MAX_SUMMARY: usize = 500;

/// How many years ahead an expected graduation may lie (a doctorate after
/// a bachelor's degree).
const YEARS_AHEAD: u32 = 6;

/// A student's entry as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StudentInput {
    /// The university or college.
    pub university: String,
    /// The subject studied.
    pub major: String,
    /// Degree code.
    pub degree: String,
    /// `YYYY-MM-DD`.
    pub expected_graduation: String,
    /// The counsellor's username; empty: the acting officer on enrolment,
    /// the current counsellor on a change.
    pub counsellor: String,
    /// Status code; empty: `studying` on enrolment, unchanged on a change.
    pub status: String,
}

/// A step of a plan as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanStepInput {
    /// `YYYY-MM-DD`.
    pub due_on: String,
    /// What is to be done.
    pub description: String,
}

/// A contact as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactInput {
    /// `YYYY-MM-DD`, not in the future.
    pub contacted_on: String,
    /// Channel code.
    pub channel: String,
    /// What was said or agreed.
    pub summary: String,
}

/// A ledger query as a caller states it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerQuery {
    /// The year of graduation; empty: this year.
    pub cohort: String,
    /// `all` (or empty), `no_plan`, `no_recent_contact` or `no_job`
    /// (`no_job_after_graduation`).
    pub flag: String,
    /// Page, from 1.
    pub page: u32,
    /// Page size, 1–200.
    pub per_page: u32,
}

/// One student's entry as the plan page and the API show it.
#[derive(Clone, Debug)]
pub struct GraduateView {
    /// The entry.
    pub student: StudentRecord,
    /// The person (masked).
    pub person: PersonView,
    /// The plan, by due date.
    pub steps: Vec<PlanStepRecord>,
    /// The contacts, newest first.
    pub contacts: Vec<ContactRecord>,
    /// What needs attention today.
    pub flags: Vec<LedgerFlag>,
}

/// One line of the ledger, masked, with its flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// The entry.
    pub student: StudentRecord,
    /// `张*`.
    pub name_masked: String,
    /// The person's district of service.
    pub district_code: String,
    /// Steps in the plan.
    pub plan_steps: u32,
    /// Steps done.
    pub steps_done: u32,
    /// Contacts recorded.
    pub contacts: u32,
    /// The day of the newest contact.
    pub latest_contact: Option<NaiveDate>,
    /// What needs attention today.
    pub flags: Vec<LedgerFlag>,
}

/// A cohort's ledger: one page of the entries with the chosen flag, and
/// how many of the whole cohort have each flag.
#[derive(Clone, Debug)]
pub struct Ledger {
    /// The year of graduation.
    pub year: i32,
    /// The flag filtered on, if any.
    pub flag: Option<LedgerFlag>,
    /// Students in the cohort (in the actor's scope).
    pub cohort_size: u64,
    /// How many of the cohort have each flag, in the order of
    /// [`LedgerFlag::ALL`].
    pub flag_counts: Vec<(LedgerFlag, u64)>,
    /// The page of matching entries, with how many match in all.
    pub entries: Page<LedgerEntry>,
    /// This page, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

fn finish<T>(value: Option<T>, errors: Vec<FieldError>) -> AppResult<T> {
    match value {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Reads a day from `earliest` to `latest`.
fn date_within(
    field: &str,
    text: &str,
    (earliest, latest): (NaiveDate, NaiveDate),
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    match NaiveDate::from_str(text) {
        Ok(date) if (earliest..=latest).contains(&date) => Some(date),
        Ok(_) => {
            errors.push(invalid(
                field,
                "out_of_range",
                format!("日期应在 {earliest} 至 {latest} 之间。"),
                format!("The date must be from {earliest} to {latest}."),
            ));
            None
        }
        Err(_) => {
            errors.push(invalid(
                field,
                "format",
                "请按 2024-06-30 的格式填写日期。",
                "Write the date as 2024-06-30.",
            ));
            None
        }
    }
}

/// Reads a day that is not in the future and not before 2000.
fn past_day(
    field: &str,
    text: &str,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let text = text.trim();
    match NaiveDate::from_str(text) {
        Ok(date) if date > today => {
            errors.push(invalid(
                field,
                "in_future",
                "日期不能晚于今天。",
                "The date cannot be later than today.",
            ));
            None
        }
        _ => date_within(field, text, (first_day(), today), errors),
    }
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Reads required text of bounded length.
fn required_text(
    field: &str,
    value: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    if value.chars().count() > max {
        errors.push(invalid(
            field,
            "too_long",
            format!("最多 {max} 个字。"),
            format!("At most {max} characters."),
        ));
        return None;
    }
    Some(value.to_owned())
}

/// Reads one code of a vocabulary.
fn one<T>(
    field: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    if text.trim().is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    let found = parse(text.trim());
    if found.is_none() {
        errors.push(invalid(
            field,
            "unknown_value",
            "请从列表中选择。",
            "Choose one of the listed values.",
        ));
    }
    found
}

/// Reads the flag of a ledger query: `None` for every entry.
fn flag_filter(text: &str, errors: &mut Vec<FieldError>) -> Option<LedgerFlag> {
    match text.trim() {
        "" | "all" => None,
        "no_job" => Some(LedgerFlag::NoJobAfterGraduation),
        other => {
            let found = LedgerFlag::from_code(other);
            if found.is_none() {
                errors.push(invalid(
                    "flag",
                    "unknown_value",
                    "请选择 all、no_plan、no_recent_contact 或 no_job。",
                    "Choose all, no_plan, no_recent_contact or no_job.",
                ));
            }
            found
        }
    }
}

/// The flags of a ledger line on a day.
pub fn row_flags(row: &LedgerRow, today: NaiveDate) -> Vec<LedgerFlag> {
    graduates::flags(
        &LedgerFacts {
            plan_steps: row.plan_steps,
            latest_contact: row.latest_contact,
            expected_graduation: row.student.fields.expected_graduation,
            status: row.student.fields.status,
        },
        today,
    )
}

impl App {
    fn graduate_recorded(&self, actor: &Actor) -> Recorded {
        Recorded {
            user_id: Some(actor.user_id).filter(|id| *id > 0),
            username: None,
            at: self.now(),
        }
    }

    /// The years an expected graduation may fall in today, first and last.
    pub fn cohort_years(&self) -> (i32, i32) {
        let today = self.today();
        (2000, today.year() + i32::try_from(YEARS_AHEAD).unwrap_or(0))
    }

    /// The entry of a student within the actor's scope, with permission to
    /// work on it: the person is read (and the read audited) in scope.
    async fn writable_student(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<(StudentFile, PersonView)> {
        actor.require(Permission::PersonWrite)?;
        let file = self.store.student(id).await?.ok_or(AppError::NotFound)?;
        let person = self.get_person(actor, file.student.person_id).await?;
        Ok((file, person))
    }

    /// Finds the account a counsellor's username names: an active account
    /// that may work on people, of the actor's district when the actor is
    /// a district officer.
    async fn counsellor(
        &self,
        actor: &Actor,
        username: &str,
        errors: &mut Vec<FieldError>,
    ) -> AppResult<Option<i64>> {
        let username = username.trim();
        let found = self.store.user_by_username(username).await?;
        let fits = found.as_ref().is_some_and(|user| {
            user.active
                && user.role.permits(Permission::PersonWrite)
                && (actor.role != Role::DistrictOfficer
                    || user.role == Role::CityAdmin
                    || user.district_code == actor.district_code)
        });
        if fits {
            Ok(found.map(|user| user.id))
        } else {
            errors.push(invalid(
                "counsellor",
                "unknown_counsellor",
                "没有这个用户名的工作人员；请填写本区工作人员的用户名，或留空。",
                "No member of staff has this username: give the username of an officer of your district, or leave it empty.",
            ));
            Ok(None)
        }
    }

    /// Reads a student's fields; `current` gives what an empty counsellor
    /// or status keeps on a change.
    async fn student_fields(
        &self,
        actor: &Actor,
        input: &StudentInput,
        current: Option<&StudentFields>,
    ) -> AppResult<StudentFields> {
        let today = self.today();
        let mut errors = Vec::new();
        let university = required_text("university", &input.university, MAX_NAME, &mut errors);
        let major = required_text("major", &input.major, MAX_NAME, &mut errors);
        let degree = one("degree", &input.degree, Degree::from_code, &mut errors);
        let latest = today
            .checked_add_months(Months::new(12 * YEARS_AHEAD))
            .unwrap_or(today);
        let expected_graduation = date_within(
            "expected_graduation",
            &input.expected_graduation,
            (first_day(), latest),
            &mut errors,
        );
        let status = if input.status.trim().is_empty() {
            Some(current.map_or(StudentStatus::Studying, |c| c.status))
        } else {
            one(
                "status",
                &input.status,
                StudentStatus::from_code,
                &mut errors,
            )
        };
        let counsellor_user_id = if input.counsellor.trim().is_empty() {
            match current {
                Some(fields) => fields.counsellor_user_id,
                None => Some(actor.user_id).filter(|id| *id > 0),
            }
        } else {
            self.counsellor(actor, &input.counsellor, &mut errors)
                .await?
        };
        let ((((university, major), degree), expected_graduation), status) = finish(
            university
                .zip(major)
                .zip(degree)
                .zip(expected_graduation)
                .zip(status),
            errors,
        )?;
        Ok(StudentFields {
            university,
            major,
            degree,
            expected_graduation,
            counsellor_user_id,
            status,
        })
    }

    /// Enters a person of the actor's scope in the graduates' ledger; the
    /// acting officer is the counsellor unless another is named. A person
    /// in the ledger already is a conflict (`student_enrolled`).
    pub async fn enrol_student(
        &self,
        actor: &Actor,
        person_id: i64,
        input: &StudentInput,
    ) -> AppResult<StudentRecord> {
        actor.require(Permission::PersonWrite)?;
        self.get_person(actor, person_id).await?;
        let fields = self.student_fields(actor, input, None).await?;
        let audit = actor
            .audit(self.now(), "graduate.enrol", "student")
            .with_detail(json!({ "person": person_id }));
        self.store
            .create_student(person_id, &fields, self.now(), audit)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::Conflict {
                    code: "student_enrolled".to_owned(),
                    message: Localized::new(
                        "此人已在毕业生台账中。",
                        "This person is in the graduates' ledger already.",
                    ),
                },
                other => other.into(),
            })
    }

    /// Changes a student's entry; an empty counsellor or status keeps the
    /// current one.
    pub async fn update_student(
        &self,
        actor: &Actor,
        id: i64,
        input: &StudentInput,
    ) -> AppResult<StudentRecord> {
        let (file, _) = self.writable_student(actor, id).await?;
        let fields = self
            .student_fields(actor, input, Some(&file.student.fields))
            .await?;
        let audit = actor
            .audit(self.now(), "graduate.update", "student")
            .with_detail(json!({ "person": file.student.person_id }));
        Ok(self
            .store
            .update_student(id, &fields, self.now(), audit)
            .await?)
    }

    /// Changes where a student stands.
    pub async fn set_student_status(
        &self,
        actor: &Actor,
        id: i64,
        status: &str,
    ) -> AppResult<StudentRecord> {
        let (file, _) = self.writable_student(actor, id).await?;
        let mut errors = Vec::new();
        let status = finish(
            one("status", status, StudentStatus::from_code, &mut errors),
            errors,
        )?;
        let fields = StudentFields {
            status,
            ..file.student.fields.clone()
        };
        let audit = actor
            .audit(self.now(), "graduate.update", "student")
            .with_detail(json!({ "person": file.student.person_id, "status": status.code() }));
        Ok(self
            .store
            .update_student(id, &fields, self.now(), audit)
            .await?)
    }

    /// One student's entry with the plan, the contacts and today's flags;
    /// the read of the person is audited.
    pub async fn graduate(&self, actor: &Actor, id: i64) -> AppResult<GraduateView> {
        let (file, person) = self.writable_student(actor, id).await?;
        let facts = LedgerFacts {
            plan_steps: u32::try_from(file.steps.len()).unwrap_or(u32::MAX),
            latest_contact: file.contacts.iter().map(|c| c.contacted_on).max(),
            expected_graduation: file.student.fields.expected_graduation,
            status: file.student.fields.status,
        };
        Ok(GraduateView {
            flags: graduates::flags(&facts, self.today()),
            student: file.student,
            person,
            steps: file.steps,
            contacts: file.contacts,
        })
    }

    /// A person of the actor's scope (the read is audited) and their
    /// ledger entry's id, if they have one: what the enrolment form needs.
    pub async fn enrolment(
        &self,
        actor: &Actor,
        person_id: i64,
    ) -> AppResult<(PersonView, Option<i64>)> {
        actor.require(Permission::PersonWrite)?;
        let person = self.get_person(actor, person_id).await?;
        let entry = self.store.student_of_person(person_id).await?;
        Ok((person, entry.map(|s| s.id)))
    }

    /// Adds a step to a student's plan.
    pub async fn add_plan_step(
        &self,
        actor: &Actor,
        id: i64,
        input: &PlanStepInput,
    ) -> AppResult<i64> {
        self.writable_student(actor, id).await?;
        let today = self.today();
        let latest = today
            .checked_add_months(Months::new(12 * YEARS_AHEAD))
            .unwrap_or(today);
        let mut errors = Vec::new();
        let due_on = date_within("due_on", &input.due_on, (first_day(), latest), &mut errors);
        let description = required_text("description", &input.description, MAX_STEP, &mut errors);
        let (due_on, description) = finish(due_on.zip(description), errors)?;
        let step = PlanStepRecord {
            id: 0,
            student_id: id,
            due_on,
            description,
            done_on: None,
            recorded: self.graduate_recorded(actor),
        };
        let audit = actor.audit(self.now(), "graduate.step", "student");
        Ok(self.store.add_plan_step(&step, audit).await?)
    }

    /// Marks a step of a student's plan done today. A step of another
    /// student is absent; one done already is a conflict
    /// (`plan_step_done`).
    pub async fn mark_plan_step_done(&self, actor: &Actor, id: i64, step_id: i64) -> AppResult<()> {
        self.writable_student(actor, id).await?;
        let audit = actor
            .audit(self.now(), "graduate.step.done", "student")
            .with_detail(json!({ "step": step_id }));
        self.store
            .mark_plan_step_done(id, step_id, self.today(), audit)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::Conflict {
                    code: "plan_step_done".to_owned(),
                    message: Localized::new("这一步已经完成。", "This step is done already."),
                },
                other => other.into(),
            })
    }

    /// Records a contact with a student.
    pub async fn record_student_contact(
        &self,
        actor: &Actor,
        id: i64,
        input: &ContactInput,
    ) -> AppResult<i64> {
        self.writable_student(actor, id).await?;
        let mut errors = Vec::new();
        let contacted_on = past_day(
            "contacted_on",
            &input.contacted_on,
            self.today(),
            &mut errors,
        );
        let channel = one(
            "channel",
            &input.channel,
            ContactChannel::from_code,
            &mut errors,
        );
        let summary = required_text("summary", &input.summary, MAX_SUMMARY, &mut errors);
        let ((contacted_on, channel), summary) =
            finish(contacted_on.zip(channel).zip(summary), errors)?;
        let contact = ContactRecord {
            id: 0,
            student_id: id,
            contacted_on,
            channel,
            summary,
            recorded: self.graduate_recorded(actor),
        };
        let audit = actor.audit(self.now(), "graduate.contact", "student");
        Ok(self.store.add_student_contact(&contact, audit).await?)
    }

    /// Reads a cohort's year and the flag of a query, every problem at once.
    fn ledger_terms(&self, query: &LedgerQuery) -> AppResult<(i32, Option<LedgerFlag>)> {
        let (first, last) = self.cohort_years();
        let mut errors = Vec::new();
        let year = match query.cohort.trim() {
            "" => Some(self.today().year()),
            text => match text.parse::<i32>() {
                Ok(year) if (first..=last).contains(&year) => Some(year),
                _ => {
                    errors.push(invalid(
                        "cohort",
                        "out_of_range",
                        format!("毕业年份应在 {first} 至 {last} 之间。"),
                        format!("The year of graduation must be from {first} to {last}."),
                    ));
                    None
                }
            },
        };
        let flag = flag_filter(&query.flag, &mut errors);
        Ok((finish(year, errors)?, flag))
    }

    /// Every entry of a cohort in the actor's scope with its flags today.
    async fn cohort_entries(&self, actor: &Actor, year: i32) -> AppResult<Vec<LedgerEntry>> {
        let today = self.today();
        let rows = self
            .store
            .cohort(&CohortFilter {
                scope: actor.person_scope(),
                year,
            })
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| LedgerEntry {
                flags: row_flags(&row, today),
                name_masked: mask_name(&row.person_name),
                district_code: row.district_code,
                plan_steps: row.plan_steps,
                steps_done: row.steps_done,
                contacts: row.contacts,
                latest_contact: row.latest_contact,
                student: row.student,
            })
            .collect())
    }

    /// A cohort's ledger in the actor's scope: how many have each flag, and
    /// one page of the entries with the chosen flag (all by default), by
    /// expected graduation.
    pub async fn graduates_ledger(&self, actor: &Actor, query: &LedgerQuery) -> AppResult<Ledger> {
        actor.require(Permission::PersonWrite)?;
        let (year, flag) = self.ledger_terms(query)?;
        let entries = self.cohort_entries(actor, year).await?;
        let flag_counts = LedgerFlag::ALL
            .iter()
            .map(|f| {
                let count = entries.iter().filter(|e| e.flags.contains(f)).count();
                (*f, u64::try_from(count).unwrap_or(u64::MAX))
            })
            .collect();
        let cohort_size = u64::try_from(entries.len()).unwrap_or(u64::MAX);
        let matching: Vec<LedgerEntry> = entries
            .into_iter()
            .filter(|e| flag.is_none_or(|f| e.flags.contains(&f)))
            .collect();
        let page = query.page.max(1);
        let per_page = query.per_page.clamp(1, 200);
        let skip = usize::try_from(u64::from(page - 1) * u64::from(per_page)).unwrap_or(usize::MAX);
        let total = u64::try_from(matching.len()).unwrap_or(u64::MAX);
        let items = matching
            .into_iter()
            .skip(skip)
            .take(usize::try_from(per_page).unwrap_or(usize::MAX))
            .collect();
        Ok(Ledger {
            year,
            flag,
            cohort_size,
            flag_counts,
            entries: Page { items, total },
            page,
            per_page,
        })
    }
}
