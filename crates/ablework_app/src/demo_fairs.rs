//! The demo's job fairs (measure 2): a fair for state-owned enterprises
//! held by the state-asset regulator, an online fair of the disability
//! employment service and a district fair of the public employment
//! service, in 2023–2024. Employers with demo postings take part (only
//! state-owned ones in the first), unemployed people of the district
//! register with the access needs their disability suggests, attendance is
//! marked, and a few applications made at each fair move on to interviews,
//! offers and hires — all through the use cases, as the system account, so
//! the hires record their outcomes and everything is audited.

use ablework_domain::fair::{AccessNeed, FairInput};
use ablework_domain::ident::DisabilityCategory;
use ablework_domain::person::EmploymentStatus;
use ablework_store::{EmployerScope, PersonFilter, PersonScope, PostingFilter, PostingScope};

use crate::App;
use crate::actor::Actor;
use crate::applications::StepInput;
use crate::demo::DEMO_DISTRICT;
use crate::error::{AppError, AppResult};
use crate::fairs::{JoinInput, RegistrationInput};

/// People registered per fair, at most.
const REGISTRANTS: u32 = 12;
/// Employers taking part per fair, at most.
const PARTICIPANTS: usize = 4;

/// One demo fair.
struct DemoFair {
    title: &'static str,
    mode: &'static str,
    organiser: &'static str,
    soe_only: bool,
    held_on: &'static str,
    district: &'static str,
    venue: &'static str,
    online_url: &'static str,
    provisions: &'static [AccessNeed],
}

const FAIRS: [DemoFair; 3] = [
    DemoFair {
        title: "2023年天津市国有企业助残专场招聘会",
        mode: "on_site",
        organiser: "state_assets",
        soe_only: true,
        held_on: "2023-09-20",
        district: DEMO_DISTRICT,
        venue: "天津市人力资源发展促进中心（和平区南京路）一楼大厅",
        online_url: "",
        provisions: &[
            AccessNeed::SignLanguage,
            AccessNeed::StepFree,
            AccessNeed::LargePrint,
            AccessNeed::Companion,
        ],
    },
    DemoFair {
        title: "2024年“就业援助月”残疾人线上招聘会",
        mode: "online",
        organiser: "disability_service",
        soe_only: false,
        held_on: "2024-01-25",
        district: DEMO_DISTRICT,
        venue: "",
        online_url: "https://jiuye.tjdpf.example.cn/fairs/2024-01",
        provisions: &[
            AccessNeed::SignLanguage,
            AccessNeed::LargePrint,
            AccessNeed::Captioning,
        ],
    },
    DemoFair {
        title: "2024年河东区残疾人专场招聘会",
        mode: "on_site",
        organiser: "public_service",
        soe_only: false,
        held_on: "2024-05-16",
        district: "120102",
        venue: "河东区公共就业服务中心二楼",
        online_url: "",
        provisions: &[AccessNeed::StepFree, AccessNeed::Companion],
    },
];

/// Whether the `n`th registered person came to the fair: one in five did
/// not.
fn came(n: usize) -> bool {
    n % 5 != 4
}

/// The needs a person of a category usually asks for at a fair.
fn needs_of(category: DisabilityCategory, index: usize) -> Vec<String> {
    let needs: &[AccessNeed] = match category {
        DisabilityCategory::Hearing | DisabilityCategory::Speech => {
            if index.is_multiple_of(2) {
                &[AccessNeed::SignLanguage]
            } else {
                &[AccessNeed::SignLanguage, AccessNeed::Captioning]
            }
        }
        DisabilityCategory::Vision => {
            if index.is_multiple_of(3) {
                &[AccessNeed::Braille, AccessNeed::Companion]
            } else {
                &[AccessNeed::LargePrint]
            }
        }
        DisabilityCategory::Physical => &[AccessNeed::StepFree],
        DisabilityCategory::Intellectual | DisabilityCategory::Mental => &[AccessNeed::Companion],
        DisabilityCategory::Multiple => &[AccessNeed::StepFree, AccessNeed::Companion],
    };
    needs.iter().map(|n| n.code().to_owned()).collect()
}

/// Whether a use case refused the input (the demo then skips it).
fn refused<T>(result: AppResult<T>) -> AppResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(AppError::Invalid(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

fn day_after(day: &str, days: u64) -> String {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_days(chrono::Days::new(days)))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

impl App {
    /// Holds the demo's fairs (after the postings).
    pub(crate) async fn seed_demo_fairs(&self) -> AppResult<u64> {
        let system = Actor::operator(None);
        // Employers with open postings, each with its postings; the
        // state-owned ones apart.
        let mut filter = PostingFilter::new(PostingScope::All);
        filter.open = Some(true);
        filter.per_page = 500;
        let postings = self.store.list_job_postings(&filter).await?.items;
        let mut by_employer: Vec<(i64, bool, Vec<i64>)> = Vec::new();
        for posting in &postings {
            let employer_id = posting.fields.employer_id;
            if let Some(entry) = by_employer.iter_mut().find(|(id, _, _)| *id == employer_id) {
                entry.2.push(posting.id);
                continue;
            }
            let state_owned = self
                .store
                .employer(employer_id, &EmployerScope::All)
                .await?
                .is_some_and(|e| e.fields.state_owned);
            by_employer.push((employer_id, state_owned, vec![posting.id]));
        }
        let mut held = 0;
        for (index, demo) in FAIRS.iter().enumerate() {
            let input = FairInput {
                title: demo.title.to_owned(),
                mode: demo.mode.to_owned(),
                organiser: demo.organiser.to_owned(),
                soe_only: demo.soe_only,
                held_on: demo.held_on.to_owned(),
                district: demo.district.to_owned(),
                venue: demo.venue.to_owned(),
                online_url: demo.online_url.to_owned(),
                provisions: demo
                    .provisions
                    .iter()
                    .map(|p| p.code().to_owned())
                    .collect(),
            };
            let fair = self.create_fair(&system, &input).await?;
            held += 1;
            // Different employers at each fair, state-owned ones only where
            // the fair says so.
            let mut brought = Vec::new();
            for (employer_id, _, posting_ids) in by_employer
                .iter()
                .filter(|(_, state_owned, _)| *state_owned || !demo.soe_only)
                .skip(index * PARTICIPANTS)
                .take(PARTICIPANTS)
            {
                let join = JoinInput {
                    employer_id: employer_id.to_string(),
                    postings: posting_ids.iter().map(ToString::to_string).collect(),
                };
                if refused(self.join_fair(&system, fair.id, &join).await)?.is_some() {
                    brought.extend(posting_ids.iter().copied());
                }
            }
            let mut people = PersonFilter::new(PersonScope::All);
            people.district_code = Some(demo.district.to_owned());
            people.employment_status = Some(EmploymentStatus::Unemployed);
            people.per_page = REGISTRANTS;
            let mut registered = Vec::new();
            for (n, person) in self
                .store
                .list_persons(&people)
                .await?
                .items
                .iter()
                .enumerate()
            {
                let input = RegistrationInput {
                    person_id: person.id.to_string(),
                    access_needs: needs_of(person.category, n),
                };
                if let Some(registration) =
                    refused(self.register_for_fair(&system, fair.id, &input).await)?
                {
                    registered.push((registration.id, person.id));
                }
            }
            // One in five did not come.
            let marks: Vec<(String, String)> = registered
                .iter()
                .enumerate()
                .map(|(n, (id, _))| {
                    let status = if came(n) { "attended" } else { "no_show" };
                    (id.to_string(), status.to_owned())
                })
                .collect();
            self.mark_attendance(&system, fair.id, &marks).await?;
            self.seed_demo_fair_applications(&system, fair.id, demo.held_on, &registered, &brought)
                .await?;
        }
        Ok(held)
    }

    /// Applications made at a fair by the first attendees: each goes a
    /// step further than the one before (applied, interview, offer,
    /// hired).
    async fn seed_demo_fair_applications(
        &self,
        system: &Actor,
        fair_id: i64,
        held_on: &str,
        registered: &[(i64, i64)],
        brought: &[i64],
    ) -> AppResult<()> {
        if brought.is_empty() {
            return Ok(());
        }
        let attendees = registered
            .iter()
            .enumerate()
            .filter(|(n, _)| came(*n))
            .map(|(_, (_, person))| *person)
            .take(4);
        for (n, person_id) in attendees.enumerate() {
            let posting_id = brought[n % brought.len()];
            let Some(application) = refused(
                self.apply_at_fair(system, fair_id, person_id, posting_id)
                    .await,
            )?
            else {
                continue;
            };
            let steps = [("interview", 7), ("offer", 14), ("hired", 30)];
            for (status, days) in steps.iter().take(n) {
                let step = StepInput {
                    status: (*status).to_owned(),
                    on: day_after(held_on, *days),
                };
                if refused(
                    self.move_application(system, application.record.id, &step)
                        .await,
                )?
                .is_none()
                {
                    break;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

    use ablework_domain::application::ApplicationStatus;
    use ablework_domain::outcome::Measure;
    use ablework_store::{FairFilter, FairScope};
    use chrono::{TimeZone, Utc};

    /// The demo holds its three fairs: only state-owned employers at the
    /// state-owned fair, people registered and marked, and applications
    /// that went as far as a hire, whose outcome counts under the
    /// employer's measure.
    #[tokio::test]
    async fn the_demo_holds_its_fairs_through_the_use_cases() {
        let today = Utc.with_ymd_and_hms(2025, 3, 1, 2, 0, 0).unwrap();
        let Some((_app, store, _guard)) = crate::demo::seeded_demo(today, 600, 400).await else {
            return;
        };
        let fairs = store
            .list_fairs(&FairFilter::new(FairScope::All))
            .await
            .unwrap();
        assert_eq!(fairs.total, 3);
        let mut hired = 0;
        for fair in &fairs.items {
            let employers = store.fair_employers(fair.id).await.unwrap();
            assert!(!employers.is_empty(), "{}", fair.fields.title);
            if fair.fields.soe_only {
                assert!(employers.iter().all(|e| e.state_owned));
            }
            let registrations = store.fair_registrations(fair.id).await.unwrap();
            assert!(!registrations.is_empty(), "{}", fair.fields.title);
            assert!(registrations.iter().all(|r| r.marked_on.is_some()));
            for application in store.applications_of_fair(fair.id).await.unwrap() {
                assert_eq!(application.steps[0].on, fair.fields.held_on);
                if application.status == ApplicationStatus::Hired {
                    hired += 1;
                    let outcomes = store.outcomes_of(application.person_id).await.unwrap();
                    let outcome = outcomes
                        .iter()
                        .find(|o| Some(o.id) == application.outcome_id)
                        .unwrap();
                    if fair.fields.soe_only {
                        assert_eq!(outcome.outcome.measure, Measure::StateEnterprises);
                    }
                }
            }
        }
        assert!(hired > 0, "some applications made at fairs end in a hire");
    }
}
