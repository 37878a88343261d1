//! Configuration, read in one place (the CLI builds it; tests build their own).

use ablework_domain::policy::{PolicyPreset, default_preset};

/// How the application behaves. Secrets live here and nowhere else.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// 64 bytes: the first 32 encrypt identifiers (AES-256-GCM), the last 32
    /// key the look-up hashes (HMAC-SHA-256).
    pub secret_key: [u8; 64],
    /// How long a browser session lasts without a new login.
    pub session_ttl: chrono::Duration,
    /// Failed logins allowed for one username within the window before
    /// further attempts are refused.
    pub login_max_failures: u64,
    /// The throttling window.
    pub login_window: chrono::Duration,
    /// Look-ups of a person by ID number and name that found no one, allowed
    /// to one account within [`AppConfig::lookup_window`]; after them the
    /// account's look-ups are refused until the window passes, so that no
    /// one can try numbers and names in turn to learn who is registered.
    pub lookup_max_misses: u64,
    /// The look-ups' throttling window.
    pub lookup_window: chrono::Duration,
    /// Send cookies with `Secure` (behind HTTPS in production; off for the
    /// demo on plain `http://127.0.0.1`).
    pub secure_cookies: bool,
    /// A demo database: the login page may show the demo accounts.
    pub demo: bool,
    /// The active policy preset: its working-age rule (DOMAIN.md §2),
    /// quota and levy numbers. One value, so no rule can disagree with it.
    pub policy: PolicyPreset,
}

impl AppConfig {
    /// Defaults around a secret key: 8-hour sessions, 5 failed logins in 15
    /// minutes, 100 look-ups that find no one in an hour (an enrolment file
    /// of a few thousand trainees with its typing errors stays well below),
    /// the `tianjin-2022-2024` preset.
    pub fn with_secret(secret_key: [u8; 64]) -> AppConfig {
        AppConfig {
            secret_key,
            session_ttl: chrono::Duration::hours(8),
            login_max_failures: 5,
            login_window: chrono::Duration::minutes(15),
            lookup_max_misses: 100,
            lookup_window: chrono::Duration::hours(1),
            secure_cookies: false,
            demo: false,
            policy: default_preset(),
        }
    }
}
