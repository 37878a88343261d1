//! The storage conformance suite on both engines, and adapter-specific checks.

mod adapter;
mod person_load;
mod programmes;

ablework_store::conformance_suite!(sqlite, ablework_store_sql::testing::fresh_sqlite);
ablework_store::conformance_suite!(postgres, ablework_store_sql::testing::fresh_postgres);
