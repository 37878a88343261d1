//! What the benchmarks share: percentiles, how they print times, the
//! machine's load, and the demo accounts' actors.

#![allow(
    dead_code,
    reason = "each benchmark is its own crate and uses some of these"
)]

use std::time::Duration;

use ablework_app::{Actor, App};

/// The `p`-th percentile of samples (nearest rank; they need not be sorted).
pub fn percentile<T: Copy + Ord + Default>(samples: &[T], p: usize) -> T {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted.get(rank - 1).copied().unwrap_or_default()
}

/// A duration in milliseconds, two decimals.
pub fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

/// The machine's load averages over 1, 5 and 15 minutes.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".to_owned(),
        |text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        },
    )
}

/// The demo account's actor, through an API token as a request gets it.
pub async fn actor(app: &App, username: &str) -> Actor {
    let token = app
        .create_api_token(None, username)
        .await
        .expect("a token for the demo account");
    app.authenticate_token(&token, None)
        .await
        .expect("authenticate the token")
}
