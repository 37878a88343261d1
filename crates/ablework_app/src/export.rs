//! Exports of lists. Each list a page shows is a [`Listing`]: the filter the
//! page was read with, and how to read one batch of it through the very use
//! case the page calls, so an export has the page's scope, filters, sort and
//! masking. [`App::export_list`] reads the batches to the end, hands each
//! row to a sink (the file writer), and records one audit entry,
//! `<thing>.export`, with the filter, the number of rows and the purpose.

use std::future::Future;

use ablework_domain::levy::EmployerKind;
use ablework_domain::policy::PolicyPreset;
use ablework_domain::programme::Programme;
use ablework_domain::roles::Permission;
use ablework_store::{AuditRecord, Page};
use serde_json::{Value, json};

use crate::App;
use crate::actor::Actor;
use crate::applications::ApplicationView;
use crate::audit::AuditQuery;
use crate::cases::AssessmentRecord;
use crate::duplicates::DuplicatePair;
use crate::employers::{DeclarationRecord, DeclarationStatus, EmployerRecord};
use crate::error::{AppError, AppResult};
use crate::fairs::{FairQuery, FairRecord, RegistrationView};
use crate::graduates::{LedgerEntry, LedgerQuery};
use crate::persons::{PersonQuery, PersonView};
use crate::postings::{JobPostingRecord, PostingQuery};
use crate::programmes::{ActivityRecord, ParticipantView, ProgrammeQuery, UnitRecord};
use crate::progress::{CountedPeopleQuery, CountedPerson, PlanEntry};
use crate::recommendations::WorkListEntry;

/// A list as a page shows it, read for an export.
pub trait Listing: Sync {
    /// One row.
    type Item: Send;
    /// The first part of the audit action (`employer` → `employer.export`).
    const THING: &'static str;
    /// The kind of record the audit entry names.
    const ENTITY: &'static str;
    /// Whether rows are about people: exporting them then needs
    /// `person_export` besides reading the list.
    const PERSONAL: bool;
    /// The record the list belongs to (a fair's registrations), if any.
    fn entity_id(&self) -> Option<i64> {
        None
    }
    /// The filter, as the audit entry records it.
    fn filter(&self) -> Value;
    /// Batch `number` (from 1) of `size` rows, through the page's use case.
    fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> impl Future<Output = AppResult<Page<Self::Item>>> + Send;
}

/// How many rows an export asks a list for at once (the lists' largest page).
pub const EXPORT_BATCH: u32 = 200;

impl App {
    /// Reads a whole list in the actor's scope, batch after batch, handing
    /// each row (masked as the page shows it) to `sink`; then records the
    /// export in the audit log with the filter, how many rows left and why.
    /// Returns that count.
    pub async fn export_list<L: Listing>(
        &self,
        actor: &Actor,
        listing: &L,
        purpose: &str,
        sink: &mut (dyn FnMut(&L::Item) -> AppResult<()> + Send),
    ) -> AppResult<u64> {
        if L::PERSONAL {
            actor.require(Permission::PersonExport)?;
        }
        let mut rows = 0_u64;
        for number in 1.. {
            let batch = listing.batch(self, actor, number, EXPORT_BATCH).await?;
            for item in &batch.items {
                sink(item)?;
                rows += 1;
            }
            let short = batch.items.len() < EXPORT_BATCH as usize;
            if batch.items.is_empty() || short || rows >= batch.total {
                break;
            }
        }
        let mut detail = json!({ "rows": rows, "filter": listing.filter(), "purpose": purpose });
        if let Some(id) = listing.entity_id() {
            detail["record"] = json!(id);
        }
        self.record_export(actor, L::THING, L::ENTITY, detail)
            .await?;
        Ok(rows)
    }

    /// The audit entry of an export: `<thing>.export` with its detail.
    pub(crate) async fn record_export(
        &self,
        actor: &Actor,
        thing: &str,
        entity: &str,
        detail: Value,
    ) -> AppResult<()> {
        let audit = actor
            .audit(self.now(), &format!("{thing}.export"), entity)
            .with_detail(detail);
        self.store.append_audit(audit).await?;
        Ok(())
    }
}

/// A list the use case answers whole: all of it in the first batch.
async fn whole<T, F>(number: u32, read: impl FnOnce() -> F) -> AppResult<Page<T>>
where
    F: Future<Output = AppResult<Vec<T>>>,
{
    if number > 1 {
        return Ok(Page {
            items: Vec::new(),
            total: 0,
        });
    }
    let items = read().await?;
    Ok(Page {
        total: items.len() as u64,
        items,
    })
}

/// A search as the audit entry keeps it: runs of digits (an ID or phone
/// number typed into the search) are starred out, as identifiers are never
/// logged in clear.
fn search_for_audit(search: Option<&str>) -> Option<String> {
    let search = search.map(str::trim).filter(|s| !s.is_empty())?;
    let digits = search.chars().filter(char::is_ascii_digit).count();
    Some(if digits >= 4 {
        search
            .chars()
            .map(|c| if c.is_ascii_digit() { '*' } else { c })
            .collect()
    } else {
        search.to_owned()
    })
}

impl Listing for PersonQuery {
    type Item = PersonView;
    const THING: &'static str = "person";
    const ENTITY: &'static str = "person";
    const PERSONAL: bool = true;

    fn filter(&self) -> Value {
        json!({
            "q": search_for_audit(self.q.as_deref()), "district": self.district,
            "category": self.category, "employment_status": self.employment_status,
            "sort": self.sort,
        })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<PersonView>> {
        let query = PersonQuery {
            page: Some(number),
            per_page: Some(size),
            ..self.clone()
        };
        app.list_persons(actor, query).await
    }
}

/// The employers' registry, by name, kind and district.
#[derive(Clone, Debug, Default)]
pub struct EmployerListing {
    /// Words of the name or the credit code.
    pub search: Option<String>,
    /// One kind.
    pub kind: Option<EmployerKind>,
    /// One district (code).
    pub district: Option<String>,
}

impl Listing for EmployerListing {
    type Item = EmployerRecord;
    const THING: &'static str = "employer";
    const ENTITY: &'static str = "employer";
    const PERSONAL: bool = false;

    fn filter(&self) -> Value {
        json!({ "q": search_for_audit(self.search.as_deref()), "kind": self.kind.map(EmployerKind::code), "district": self.district })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<EmployerRecord>> {
        app.list_employers(
            actor,
            self.search.clone(),
            self.kind,
            self.district.clone(),
            number,
            size,
        )
        .await
    }
}

impl Listing for PostingQuery {
    type Item = JobPostingRecord;
    const THING: &'static str = "posting";
    const ENTITY: &'static str = "job_posting";
    const PERSONAL: bool = false;

    fn filter(&self) -> Value {
        json!({
            "q": search_for_audit(Some(&self.search)), "district": self.district, "major": self.major_group,
            "remote": self.remote_only, "reserved": self.reserved_only,
            "accommodation": self.accommodation, "status": self.status, "sort": self.sort,
        })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<JobPostingRecord>> {
        let query = PostingQuery {
            page: number,
            per_page: size,
            ..self.clone()
        };
        Ok(app.list_postings(actor, &query).await?.postings)
    }
}

impl Listing for FairQuery {
    type Item = FairRecord;
    const THING: &'static str = "fair";
    const ENTITY: &'static str = "fair";
    const PERSONAL: bool = false;

    fn filter(&self) -> Value {
        json!({
            "q": search_for_audit(Some(&self.search)), "district": self.district, "mode": self.mode,
            "soe": self.soe_only, "when": self.when,
        })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<FairRecord>> {
        let query = FairQuery {
            page: number,
            per_page: size,
            ..self.clone()
        };
        Ok(app.list_fairs(actor, &query).await?.fairs)
    }
}

/// The people registered for a fair that the actor may see.
#[derive(Clone, Copy, Debug)]
pub struct FairRegistrations {
    /// The fair.
    pub fair_id: i64,
}

impl Listing for FairRegistrations {
    type Item = RegistrationView;
    const THING: &'static str = "fair_registration";
    const ENTITY: &'static str = "fair";
    const PERSONAL: bool = true;

    fn entity_id(&self) -> Option<i64> {
        Some(self.fair_id)
    }

    fn filter(&self) -> Value {
        json!({ "fair": self.fair_id })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        _size: u32,
    ) -> AppResult<Page<RegistrationView>> {
        whole(number, || async {
            Ok(app.fair_view(actor, self.fair_id).await?.registrations)
        })
        .await
    }
}

/// The applications to a posting, for those who manage it.
#[derive(Clone, Copy, Debug)]
pub struct PostingApplications {
    /// The posting.
    pub posting_id: i64,
}

impl Listing for PostingApplications {
    type Item = ApplicationView;
    const THING: &'static str = "application";
    const ENTITY: &'static str = "job_posting";
    const PERSONAL: bool = true;

    fn entity_id(&self) -> Option<i64> {
        Some(self.posting_id)
    }

    fn filter(&self) -> Value {
        json!({ "posting": self.posting_id })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        _size: u32,
    ) -> AppResult<Page<ApplicationView>> {
        whole(number, || async {
            app.posting_applications(actor, self.posting_id)
                .await?
                .ok_or(AppError::NotFound)
        })
        .await
    }
}

/// The annual declarations, for review.
#[derive(Clone, Copy, Debug, Default)]
pub struct DeclarationListing {
    /// The data year.
    pub year: Option<i32>,
    /// One status (all when `None`).
    pub status: Option<DeclarationStatus>,
}

impl Listing for DeclarationListing {
    type Item = DeclarationRecord;
    const THING: &'static str = "declaration";
    const ENTITY: &'static str = "declaration";
    const PERSONAL: bool = false;

    fn filter(&self) -> Value {
        json!({ "year": self.year, "status": self.status.map(DeclarationStatus::code) })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<DeclarationRecord>> {
        actor.require(Permission::DeclarationReview)?;
        app.list_declarations(actor, self.year, self.status, number, size)
            .await
    }
}

impl Listing for LedgerQuery {
    type Item = LedgerEntry;
    const THING: &'static str = "graduate";
    const ENTITY: &'static str = "student";
    const PERSONAL: bool = true;

    fn filter(&self) -> Value {
        json!({ "cohort": self.cohort, "flag": self.flag })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<LedgerEntry>> {
        let query = LedgerQuery {
            page: number,
            per_page: size,
            ..self.clone()
        };
        Ok(app.graduates_ledger(actor, &query).await?.entries)
    }
}

/// Assessments waiting for a second officer's approval.
#[derive(Clone, Copy, Debug, Default)]
pub struct AssessmentQueue;

impl Listing for AssessmentQueue {
    type Item = (AssessmentRecord, String);
    const THING: &'static str = "assessment";
    const ENTITY: &'static str = "assessment";
    const PERSONAL: bool = true;

    fn filter(&self) -> Value {
        json!({})
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<(AssessmentRecord, String)>> {
        app.assessments_waiting_page(actor, number, size).await
    }
}

/// The "four ones" work queue of one step.
#[derive(Clone, Copy, Debug)]
pub struct WorkQueue {
    /// The step the people lack.
    pub step: ablework_domain::four_ones::Step,
}

impl Listing for WorkQueue {
    type Item = PersonView;
    const THING: &'static str = "queue";
    const ENTITY: &'static str = "person";
    const PERSONAL: bool = true;

    fn filter(&self) -> Value {
        json!({ "step": self.step.code() })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<PersonView>> {
        app.work_queue(actor, self.step, number, size).await
    }
}

/// The work list of a district (or, for the city administrator, the city).
#[derive(Clone, Debug, Default)]
pub struct WorkListing {
    /// A district (code or name), or empty.
    pub district: String,
}

impl Listing for WorkListing {
    type Item = WorkListEntry;
    const THING: &'static str = "work_list";
    const ENTITY: &'static str = "person";
    const PERSONAL: bool = true;

    fn filter(&self) -> Value {
        json!({ "district": self.district })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<WorkListEntry>> {
        let found = app
            .work_list(
                actor,
                Some(self.district.as_str()),
                number as usize,
                size as usize,
            )
            .await?;
        Ok(Page {
            items: found.people,
            total: found.total as u64,
        })
    }
}

/// The likely duplicate people.
#[derive(Clone, Copy, Debug, Default)]
pub struct DuplicateListing;

impl Listing for DuplicateListing {
    type Item = DuplicatePair;
    const THING: &'static str = "duplicate";
    const ENTITY: &'static str = "person";
    const PERSONAL: bool = true;

    fn filter(&self) -> Value {
        json!({})
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<DuplicatePair>> {
        app.duplicate_pairs(actor, number, size).await
    }
}

/// The policy presets, built in and stored.
#[derive(Clone, Copy, Debug, Default)]
pub struct PolicyListing;

impl Listing for PolicyListing {
    type Item = PolicyPreset;
    const THING: &'static str = "policy";
    const ENTITY: &'static str = "policy_preset";
    const PERSONAL: bool = false;

    fn filter(&self) -> Value {
        json!({})
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        _size: u32,
    ) -> AppResult<Page<PolicyPreset>> {
        actor.require(Permission::DeclarationReview)?;
        whole(number, || app.presets()).await
    }
}

/// The plans and their targets.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlanListing;

impl Listing for PlanListing {
    type Item = PlanEntry;
    const THING: &'static str = "plan";
    const ENTITY: &'static str = "plan";
    const PERSONAL: bool = false;

    fn filter(&self) -> Value {
        json!({})
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        _size: u32,
    ) -> AppResult<Page<PlanEntry>> {
        whole(number, || app.plans(actor)).await
    }
}

impl Listing for AuditQuery {
    type Item = AuditRecord;
    const THING: &'static str = "audit";
    const ENTITY: &'static str = "audit_log";
    const PERSONAL: bool = true;

    fn filter(&self) -> Value {
        json!({
            "actor": self.actor, "action": self.action, "entity": self.entity,
            "entity_id": self.entity_id, "from": self.from, "until": self.until,
        })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<AuditRecord>> {
        let query = AuditQuery {
            page: Some(number),
            per_page: Some(size),
            ..self.clone()
        };
        app.search_audit(actor, query).await
    }
}

impl Listing for CountedPeopleQuery {
    type Item = CountedPerson;
    const THING: &'static str = "progress_people";
    const ENTITY: &'static str = "person";
    const PERSONAL: bool = true;

    fn filter(&self) -> Value {
        json!({
            "plan": self.progress.plan, "district": self.progress.district,
            "street": self.street, "measure": self.measure.map(ablework_domain::outcome::Measure::code),
            "year": self.year,
        })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<CountedPerson>> {
        let query = CountedPeopleQuery {
            page: number,
            per_page: size,
            ..self.clone()
        };
        app.counted_people(actor, &query).await
    }
}

/// A programme's units, or its activities (the district pools' with
/// `pooled`), as the programme's page lists them.
#[derive(Clone, Debug)]
pub struct ProgrammeList {
    /// The programme (`None`: an unknown code, which lists nothing).
    pub programme: Option<Programme>,
    /// The activities rather than the units.
    pub activities: bool,
    /// With `activities`: the district pools' rather than the units'.
    pub pooled: bool,
    /// The page's filter.
    pub query: ProgrammeQuery,
}

/// A row of a programme's list.
#[derive(Clone, Debug)]
pub enum ProgrammeRow {
    /// A unit.
    Unit(UnitRecord),
    /// An activity.
    Activity(ActivityRecord),
}

impl Listing for ProgrammeList {
    type Item = ProgrammeRow;
    const THING: &'static str = "programme";
    const ENTITY: &'static str = "programme_unit";
    const PERSONAL: bool = false;

    fn filter(&self) -> Value {
        json!({
            "programme": self.programme.map(Programme::code),
            "activities": self.activities, "pooled": self.pooled,
            "kind": self.query.kind, "district": self.query.district,
            "q": search_for_audit(Some(&self.query.search)),
        })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        size: u32,
    ) -> AppResult<Page<ProgrammeRow>> {
        let programme = self.programme.ok_or(AppError::NotFound)?;
        let query = ProgrammeQuery {
            page: number,
            per_page: size,
            ..self.query.clone()
        };
        Ok(if self.activities {
            let page = app
                .programme_activities(actor, programme, self.pooled, &query)
                .await?
                .1;
            Page {
                items: page.items.into_iter().map(ProgrammeRow::Activity).collect(),
                total: page.total,
            }
        } else {
            let page = app.programme_units(actor, programme, &query).await?.1;
            Page {
                items: page.items.into_iter().map(ProgrammeRow::Unit).collect(),
                total: page.total,
            }
        })
    }
}

/// The people taking part in a unit itself or in one of its activities.
#[derive(Clone, Copy, Debug)]
pub struct ProgrammePeople {
    /// The unit (`activity` `None`) or the activity whose people these are.
    pub record: i64,
    /// Whether `record` is an activity.
    pub activity: bool,
}

impl Listing for ProgrammePeople {
    type Item = ParticipantView;
    const THING: &'static str = "programme_participant";
    const ENTITY: &'static str = "programme_participant";
    const PERSONAL: bool = true;

    fn entity_id(&self) -> Option<i64> {
        Some(self.record)
    }

    fn filter(&self) -> Value {
        json!({ if self.activity { "activity" } else { "unit" }: self.record })
    }

    async fn batch(
        &self,
        app: &App,
        actor: &Actor,
        number: u32,
        _size: u32,
    ) -> AppResult<Page<ParticipantView>> {
        whole(number, || async move {
            Ok(if self.activity {
                app.activity_view(actor, self.record).await?.participants
            } else {
                app.unit_view(actor, self.record).await?.participants
            })
        })
        .await
    }
}
