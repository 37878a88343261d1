//! The pure domain of `AbleWork`: the rules of the Tianjin programme employing
//! persons with disabilities, written as plain functions and types.
//!
//! This crate performs no I/O, reads no clock and knows nothing of storage
//! or HTTP, so every rule here can be tested directly and reused by every
//! other layer. Policy numbers are passed in as data by the caller.

pub mod application;
pub mod check;
pub mod district;
pub mod fair;
pub mod four_ones;
pub mod graduates;
pub mod ident;
pub mod lang;
pub mod levy;
pub mod matching;
pub mod normalize;
pub mod occupation;
pub mod outcome;
pub mod person;
pub mod policy;
pub mod programme;
pub mod progress;
pub mod quota;
pub mod roles;
pub mod statistics;
pub mod working_age;
