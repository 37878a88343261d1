//! AbleWork's use cases.
//!
//! Every change of data and every read of a person's record, from HTTP, the
//! CLI or a job, goes through [`App`]: it authenticates the actor, asks the
//! permission matrix, narrows the query to the actor's scope, validates, and
//! hands the store the change together with its audit entry (one
//! transaction). Handlers never touch the store.
//!
//! Which error to use where: use cases return [`AppError`]; it converts from
//! the domain's validation errors and the store's [`StoreError`], and the web
//! crate maps it to HTTP once.

pub mod actor;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod demo;
mod demo_cases;
mod demo_employers;
mod demo_fairs;
mod demo_graduates;
mod demo_postings;
mod demo_programmes;
pub mod duplicates;
pub mod employers;
pub mod error;
pub mod export;
pub mod fairs;
pub mod graduates;
pub mod import;
pub mod import_enrolments;
pub mod import_jobs;
pub mod import_records;
pub mod persons;
pub mod postings;
pub mod programmes;
pub mod progress;
pub mod recommendations;
pub mod statistics;

use std::sync::Arc;

use ablework_store::Store;

pub use actor::Actor;
pub use clock::{Clock, FixedClock, SystemClock};
pub use config::AppConfig;
pub use crypto::Vault;
pub use error::{AppError, AppResult, FieldError, Localized};

/// The application: the store, the keys, the clock and the configuration.
/// Cheap to clone; shared by every request.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    vault: Vault,
    clock: Arc<dyn Clock>,
    config: Arc<AppConfig>,
    /// The open postings with their matching index, kept between requests.
    open_jobs: recommendations::OpenJobsCache,
}

impl App {
    /// Builds the application around a store.
    pub fn new(store: Arc<dyn Store>, config: AppConfig, clock: Arc<dyn Clock>) -> App {
        let vault = Vault::new(&config.secret_key);
        App {
            store,
            vault,
            clock,
            config: Arc::new(config),
            open_jobs: recommendations::OpenJobsCache::default(),
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// Now, from the one clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Today in China Standard Time (UTC+8), the calendar every rule uses.
    pub fn today(&self) -> chrono::NaiveDate {
        clock::china_date(self.clock.now())
    }

    /// Fails with `Forbidden` unless the actor's role has the permission:
    /// for callers that must refuse before they read a request's body.
    pub fn authorize(
        &self,
        actor: &Actor,
        permission: ablework_domain::roles::Permission,
    ) -> AppResult<()> {
        actor.require(permission)
    }

    /// Checks that the database answers (for `/healthz`).
    pub async fn health(&self) -> AppResult<&'static str> {
        self.store.ping().await?;
        Ok(self.store.engine())
    }
}
