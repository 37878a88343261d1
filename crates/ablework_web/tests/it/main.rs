//! HTTP tests, in process, on both engines: every case runs once on SQLite
//! and once on PostgreSQL (skipped, with a message, when no server answers).

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests: a panic is the failure report"
)]

mod api;
mod api_cases;
mod api_employers;
mod api_graduates;
mod api_programmes;
mod applications;
mod case_pages;
mod drill_pages;
mod duplicates;
mod employer_pages;
mod exports;
mod fairs;
mod graduate_pages;
mod harness;
mod imports;
mod job_pages;
mod levy;
mod matching;
mod pages;
mod plan_pages;
mod programme_pages;
mod statistics_pages;

/// Generates `sqlite::NAME` and `postgres::NAME` tests for each case.
macro_rules! on_both_engines {
    ($module:ident: $($case:ident),+ $(,)?) => {
        pub mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    if let Some(app) = crate::harness::TestApp::sqlite().await {
                        super::$case(app).await;
                    }
                }
            )+
        }
        pub mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    match crate::harness::TestApp::postgres().await {
                        Some(app) => super::$case(app).await,
                        None => eprintln!("SKIPPED {}::{}: PostgreSQL is not available", stringify!($module), stringify!($case)),
                    }
                }
            )+
        }
    };
}
pub(crate) use on_both_engines;
