//! The demo: accounts for every role and realistic synthetic Tianjin people,
//! written through the same use cases and audit as real data.

use ablework_demo::SyntheticPerson;
use ablework_domain::four_ones::ConsentPurpose;
use ablework_domain::ident::{CertificateNumber, ResidentId};
use ablework_domain::outcome::Outcome;
use ablework_domain::roles::Role;
use ablework_store::{NewAuditEntry, NewPerson, PersonFilter, PersonScope, SeekerFilter};
use serde_json::json;

use crate::App;
use crate::auth::NewUserInput;
use crate::error::{AppError, AppResult};

/// The password of every demo account (demo databases only).
pub const DEMO_PASSWORD: &str = "ablework-demo";

/// The district of the demo district officer (和平区).
pub const DEMO_DISTRICT: &str = "120101";

/// The demo accounts: username, role, district, organisation.
pub const DEMO_ACCOUNTS: [(&str, Role, Option<&str>, Option<i64>); 5] = [
    ("admin", Role::CityAdmin, None, None),
    ("officer", Role::DistrictOfficer, Some(DEMO_DISTRICT), None),
    ("employer", Role::Employer, None, Some(1)),
    ("institution", Role::Institution, None, Some(2)),
    ("seeker", Role::Seeker, None, None),
];

/// How many people go into one transaction.
const BATCH: usize = 2_000;

impl App {
    fn synthetic_to_new(&self, person: &SyntheticPerson) -> AppResult<NewPerson> {
        let now = self.now();
        let today = self.today();
        // The generator's identifiers are valid by construction; parsing them
        // again gives the masked forms from the one place that masks.
        let invalid =
            |_| AppError::Internal("the demo generator produced an invalid identifier".to_owned());
        let id = ResidentId::parse(&person.id_number, today).map_err(invalid)?;
        let certificate =
            CertificateNumber::parse(&person.certificate_number, today).map_err(invalid)?;
        Ok(NewPerson {
            name: person.name.clone(),
            id_number_enc: self.vault.encrypt(&person.id_number)?,
            id_number_hash: self.vault.lookup_hash(&person.id_number),
            id_number_masked: id.masked(),
            certificate_enc: self.vault.encrypt(&person.certificate_number)?,
            certificate_masked: certificate.masked(),
            sex: person.sex,
            birth_date: person.birth_date,
            category: person.category,
            level: person.level.get(),
            district_code: person.district_code.to_owned(),
            street: Some(person.street.clone()),
            hukou: Some(person.hukou),
            phone_masked: person
                .phone
                .as_deref()
                .map(ablework_domain::person::mask_phone),
            phone_hash: person.phone.as_deref().map(|p| self.phone_hash(p)),
            phone_enc: person
                .phone
                .as_deref()
                .map(|p| self.vault.encrypt(p))
                .transpose()?,
            education: Some(person.education),
            employment_status: person.employment_status,
            retirement_group: person.retirement_group(),
            registered_on: person.registered_on,
            created_at: now,
        })
    }

    /// Fills an empty database with demo accounts, `persons` synthetic
    /// people with the "four ones" case records of those of working age
    /// and out of work, and `employers` synthetic employers with two years
    /// of declarations, generated from `seed`. `progress` is told how many people are
    /// written so far. Accounts that exist already are left as they are.
    pub async fn seed_demo(
        &self,
        persons: usize,
        employers: usize,
        seed: u64,
        progress: &dyn Fn(usize),
    ) -> AppResult<()> {
        let mut written = 0;
        let mut seeker_person = None;
        let mut batch = Vec::with_capacity(BATCH);
        let mut outcomes = Vec::with_capacity(BATCH);
        for (index, person) in ablework_demo::persons(seed, persons).enumerate() {
            if seeker_person.is_none() && person.district_code == DEMO_DISTRICT {
                seeker_person = Some(self.vault.lookup_hash(&person.id_number));
            }
            let record = self.synthetic_to_new(&person)?;
            for outcome in ablework_demo::outcomes::outcomes_for(seed, index, &person) {
                outcomes.push((record.id_number_hash.clone(), outcome));
            }
            batch.push(record);
            if batch.len() == BATCH {
                written += self.write_demo_batch(&batch, &outcomes, seed).await?;
                batch.clear();
                outcomes.clear();
                progress(written);
            }
        }
        if !batch.is_empty() {
            written += self.write_demo_batch(&batch, &outcomes, seed).await?;
            progress(written);
        }
        self.seed_demo_cases(seed).await?;
        let demo_employer = self.seed_demo_employers(employers, seed).await?;
        self.seed_demo_postings(demo_employer, seed).await?;
        self.seed_demo_fairs().await?;
        let demo_institution = self.seed_demo_programmes().await?;
        // After the fairs, so that the seeker is someone still looking.
        let seeker_id = match self.demo_seeker().await? {
            Some(id) => Some(id),
            None => match seeker_person {
                Some(hash) => {
                    let mut filter = PersonFilter::new(PersonScope::All);
                    filter.id_number_hash = Some(hash);
                    self.store
                        .list_persons(&filter)
                        .await?
                        .items
                        .first()
                        .map(|p| p.id)
                }
                None => None,
            },
        };
        for (username, role, district, organisation) in DEMO_ACCOUNTS {
            let organisation = match role {
                Role::Employer => demo_employer.or(organisation),
                Role::Institution => demo_institution.or(organisation),
                _ => organisation,
            };
            if self.store.user_by_username(username).await?.is_some() {
                continue;
            }
            let input = NewUserInput {
                username: username.to_owned(),
                password: DEMO_PASSWORD.to_owned(),
                role: role.as_str().to_owned(),
                district: district.map(str::to_owned),
                organisation_id: organisation,
                person_id: if role == Role::Seeker {
                    seeker_id
                } else {
                    None
                },
            };
            self.create_user(None, input).await?;
        }
        // After the accounts, so that the demo officer follows the students of their district.
        self.seed_demo_graduates(seed).await?;
        Ok(())
    }

    /// The person the demo's job seeker account is: someone of the demo
    /// district who is looking for work, of working age, assessed, with a
    /// registered need and consent to matching, so that the seeker's
    /// pages show recommendations to act on. `None` if nobody is.
    async fn demo_seeker(&self) -> AppResult<Option<i64>> {
        let files = self
            .store
            .seeker_files(&SeekerFilter {
                consent: Some(ConsentPurpose::Matching),
                district: Some(DEMO_DISTRICT.to_owned()),
                without_applications: true,
            })
            .await?;
        Ok(files
            .iter()
            .find(|f| {
                f.assessment.is_some()
                    && f.need.is_some()
                    && self.person_view(&f.person).working_age
            })
            .map(|f| f.person.id))
    }

    async fn write_demo_batch(
        &self,
        batch: &[NewPerson],
        outcomes: &[(String, ablework_demo::outcomes::DemoOutcome)],
        seed: u64,
    ) -> AppResult<usize> {
        let audit = NewAuditEntry::new(self.now(), None, "system", "person.import", "person")
            .with_detail(json!({ "source": "demo", "seed": seed }));
        let inserted = self.store.insert_persons(batch, audit).await?;
        // Outcomes name people by record id, known only once they are stored.
        let hashes: Vec<String> = batch.iter().map(|p| p.id_number_hash.clone()).collect();
        let stored: std::collections::HashMap<String, ablework_store::PersonRecord> = self
            .store
            .persons_by_id_hashes(&hashes)
            .await?
            .into_iter()
            .map(|p| (p.id_number_hash.clone(), p))
            .collect();
        let records: Vec<Outcome> = outcomes
            .iter()
            .filter_map(|(hash, outcome)| {
                let person = stored.get(hash)?;
                Some(Outcome {
                    ended_on: outcome.ended_on,
                    ..crate::cases::outcome_of(
                        person,
                        outcome.started_on,
                        outcome.form,
                        outcome.measure,
                    )
                })
            })
            .collect();
        if !records.is_empty() {
            let audit = NewAuditEntry::new(
                self.now(),
                None,
                "system",
                "outcome.import",
                "employment_outcome",
            )
            .with_detail(json!({ "source": "demo", "seed": seed }));
            self.store.insert_outcomes(&records, audit).await?;
        }
        Ok(usize::try_from(inserted).unwrap_or(usize::MAX))
    }
}

/// A demo written to a fresh SQLite store on a fixed day, for the demo's
/// tests: the app, its store and the guard that keeps the database.
#[cfg(test)]
#[expect(clippy::expect_used, reason = "tests: a panic is the failure report")]
pub(crate) async fn seeded_demo(
    today: chrono::DateTime<chrono::Utc>,
    persons: usize,
    employers: usize,
) -> Option<(
    App,
    std::sync::Arc<dyn ablework_store::Store>,
    ablework_store_sql::testing::SqliteTestStore,
)> {
    let guard = ablework_store_sql::testing::fresh_sqlite().await?;
    let store: std::sync::Arc<dyn ablework_store::Store> = std::sync::Arc::new((*guard).clone());
    let clock = std::sync::Arc::new(crate::FixedClock::new(today));
    let app = App::new(store.clone(), crate::AppConfig::with_secret([7; 64]), clock);
    app.seed_demo(persons, employers, 5, &|_| {})
        .await
        .expect("the demo seeds");
    Some((app, store, guard))
}
