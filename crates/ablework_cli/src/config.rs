//! Configuration: read here and nowhere else (ARCHITECTURE.md, invariant 5).
//!
//! | setting | from |
//! |---|---|
//! | database | `--database-url`, else `DATABASE_URL`, else the demo database |
//! | secret key (64 bytes, 128 hex digits) | `ABLEWORK_SECRET_KEY`, else `--key-file` / `ABLEWORK_KEY_FILE`, else `ablework.key` beside a SQLite database |
//! | cookies marked `Secure` | `ABLEWORK_SECURE_COOKIES=1` (set it behind HTTPS) |
//! | log filter and format | `ABLEWORK_LOG` (default `info`), `ABLEWORK_LOG_FORMAT=json` |

use std::path::{Path, PathBuf};

use ablework_app::{AppConfig, AppError};
use ablework_store_sql::{SqlStore, Workload};
use rand::RngCore;

/// The database used when none is named: the demo's.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:./ablework-demo/ablework.db";

/// The name of the key file kept beside a SQLite database.
pub const KEY_FILE_NAME: &str = "ablework.key";

/// Why a command did not succeed, with its exit status.
#[derive(Debug)]
pub enum Failure {
    /// Input understood but rejected (exit 1).
    Rejected(String),
    /// Anything else (exit 3).
    Failed(String),
}

impl Failure {
    /// The process exit status.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Rejected(_) => 1,
            Failure::Failed(_) => 3,
        }
    }

    /// An application error, explained in English on the terminal.
    pub fn from_app(error: AppError) -> Failure {
        match error {
            AppError::Invalid(fields) => Failure::Rejected(
                fields
                    .iter()
                    .map(|f| format!("--{}: {}", f.field, f.message.en))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            AppError::Conflict { message, .. } => Failure::Rejected(message.en),
            AppError::NotFound => Failure::Rejected("not found".to_owned()),
            other => Failure::Failed(other.to_string()),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Rejected(message) | Failure::Failed(message) => f.write_str(message),
        }
    }
}

/// Starts logging to stderr. Logs carry request ids, never personal data.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ABLEWORK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("ABLEWORK_LOG_FORMAT").is_ok_and(|v| v == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Opens and migrates the database a URL names.
pub async fn open_store(url: &str) -> Result<SqlStore, Failure> {
    open_store_for(url, Workload::Serve).await
}

/// [`open_store`] for a workload (`ablework import` loads in bulk).
pub async fn open_store_for(url: &str, workload: Workload) -> Result<SqlStore, Failure> {
    let store = SqlStore::connect_for(url, workload)
        .await
        .map_err(|e| match e {
            ablework_store_sql::ConnectError::UnknownScheme(_) => Failure::Rejected(e.to_string()),
            other => Failure::Failed(other.to_string()),
        })?;
    store
        .migrate()
        .await
        .map_err(|e| Failure::Failed(e.to_string()))?;
    Ok(store)
}

/// The file a `sqlite:` URL names.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    url.strip_prefix("sqlite:")
        .map(|p| PathBuf::from(p.strip_prefix("//").unwrap_or(p)))
}

fn parse_key(hex_text: &str, source: &str) -> Result<[u8; 64], Failure> {
    let bytes = hex::decode(hex_text.trim())
        .map_err(|_| Failure::Failed(format!("the secret key in {source} is not hexadecimal")))?;
    bytes.try_into().map_err(|_| {
        Failure::Failed(format!(
            "the secret key in {source} must be 64 bytes (128 hex digits)"
        ))
    })
}

/// Creates a key file with a fresh random key if there is none.
pub fn ensure_key_file(path: &Path) -> Result<(), Failure> {
    if path.exists() {
        return Ok(());
    }
    let mut key = [0_u8; 64];
    rand::rng().fill_bytes(&mut key);
    std::fs::write(path, hex::encode(key) + "\n")
        .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(())
}

/// Reads the configuration for a database.
pub fn load_config(
    database_url: &str,
    key_file: Option<&Path>,
    demo: bool,
) -> Result<AppConfig, Failure> {
    let key = if let Ok(hex_text) = std::env::var("ABLEWORK_SECRET_KEY") {
        parse_key(&hex_text, "ABLEWORK_SECRET_KEY")?
    } else {
        let path = match (key_file, sqlite_path(database_url)) {
            (Some(path), _) => path.to_path_buf(),
            (None, Some(database)) => database.with_file_name(KEY_FILE_NAME),
            (None, None) => {
                return Err(Failure::Failed(
                    "no secret key: set ABLEWORK_SECRET_KEY (128 hex digits) or --key-file"
                        .to_owned(),
                ));
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Failure::Failed(format!(
                "cannot read the secret key {}: {e} (set ABLEWORK_SECRET_KEY or --key-file)",
                path.display()
            ))
        })?;
        parse_key(&text, &path.display().to_string())?
    };
    let mut config = AppConfig::with_secret(key);
    config.demo = demo;
    config.secure_cookies = std::env::var("ABLEWORK_SECURE_COOKIES").is_ok_and(|v| v == "1");
    Ok(config)
}
