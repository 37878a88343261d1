//! `ablework`: the one binary. It reads configuration (the one place that
//! does), opens the database the URL names, and hands every command to the
//! application layer.
//!
//! Exit status: 0 success; 1 input understood but rejected; 2 usage error;
//! 3 any other failure. Messages for people go to stderr; `--json` makes
//! stdout a single JSON document.

mod config;
mod export;
mod import;
mod levy;
mod policy;
mod report;

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use ablework_app::audit::ChainReport;
use ablework_app::auth::NewUserInput;
use ablework_app::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
use ablework_app::progress::ProgressQuery;
use ablework_app::{App, AppError, SystemClock};
use ablework_domain::check::{self, CheckKind};
use ablework_domain::lang::Lang;
use ablework_store_sql::{SqlStore, Workload};
use ablework_web::import::ImportKind;
use clap::{Args, Parser, Subcommand};

use crate::config::{DEFAULT_DATABASE_URL, Failure, load_config, open_store, open_store_for};

#[derive(Debug, Parser)]
#[command(
    name = "ablework",
    version,
    about = "AbleWork: the employment service for persons with disabilities"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct DatabaseArgs {
    /// `sqlite:PATH` or `postgres://USER@HOST:PORT/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
    /// A file holding the 64-byte secret key as 128 hex digits. Default:
    /// `ABLEWORK_SECRET_KEY`, else `ablework.key` beside a SQLite database.
    #[arg(long, env = "ABLEWORK_KEY_FILE")]
    key_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Creates a demo database with synthetic Tianjin data if there is none, then serves it.
    Demo {
        /// Where the database and its key live.
        #[arg(long, default_value = "./ablework-demo")]
        data_dir: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// How many synthetic people to create.
        #[arg(long, default_value_t = 20_000)]
        persons: usize,
        /// How many synthetic employers to create, each with two years of
        /// quota declarations.
        #[arg(long, default_value_t = 3_000)]
        employers: usize,
        /// Seed of the synthetic data (the same seed gives the same data).
        #[arg(long, default_value_t = 2022)]
        seed: u64,
    },
    /// Serves the web interface and the API.
    Serve {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
    },
    /// Applies the database migrations and exits.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Validates one identifier.
    Check {
        /// `id`, `cert` or `uscc`.
        #[arg(value_parser = ["id", "cert", "uscc"])]
        kind: String,
        /// The identifier.
        value: String,
        /// Print a JSON report on stdout.
        #[arg(long)]
        json: bool,
        /// Language of messages: `zh` or `en`.
        #[arg(long, env = "ABLEWORK_LANG", default_value = "zh")]
        lang: String,
    },
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Exports data, masked.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Imports data from CSV or XLSX files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Reports.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Assesses the employment security fund levy of a declaration read on stdin.
    ///
    /// A `policy` that is not built in is looked up among the presets
    /// stored in the database, when there is one to open.
    Levy {
        /// Print the assessment as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Language of the explanation and messages: `zh` or `en`.
        #[arg(long, env = "ABLEWORK_LANG", default_value = "zh")]
        lang: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Policy presets: the numbers of the quota and the levy.
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Lists every preset: the built-in ones and those stored in the database.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Print a JSON array on stdout.
        #[arg(long)]
        json: bool,
        /// Language of the names: `zh` or `en`.
        #[arg(long, env = "ABLEWORK_LANG", default_value = "zh")]
        lang: String,
    },
    /// Prints one preset (its newest version) as JSON.
    Show {
        /// The preset's id, e.g. `tianjin-2022-2024`.
        id: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Validates a preset read from a JSON file and stores it; saving an id
    /// again stores a new version. Prints the id and the version.
    Add {
        /// A whole preset as JSON, as `ablework policy show` prints one.
        #[arg(long)]
        file: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
        /// Print `{"id":…,"version":…}`, or the error document, on stdout.
        #[arg(long)]
        json: bool,
        /// Language of messages: `zh` or `en`.
        #[arg(long, env = "ABLEWORK_LANG", default_value = "zh")]
        lang: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Creates an account; the password is read from stdin.
    Add {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
        /// `city_admin`, `district_officer`, `employer`, `institution` or `seeker`.
        #[arg(long)]
        role: String,
        /// District code (district officers).
        #[arg(long)]
        district: Option<String>,
        /// Organisation id (employers and institutions).
        #[arg(long)]
        org: Option<i64>,
        /// Read the password from standard input (required).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Print the account as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Prints a new API bearer token for an account on stdout.
    Create {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// Progress against the plan's target.
    Progress {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The plan's id (default: `tianjin-2022-2024`).
        #[arg(long)]
        plan: Option<String>,
        /// One district's report (its share of the target, its streets).
        #[arg(long)]
        district: Option<String>,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Language of the summary: `zh` or `en`.
        #[arg(long, env = "ABLEWORK_LANG", default_value = "zh")]
        lang: String,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Imports people (keyed by ID number); re-importing the same file changes nothing.
    Persons(ImportArgs),
    /// Imports employers (keyed by unified social credit code); re-importing changes nothing.
    Employers(ImportArgs),
    /// Imports job postings (keyed by the employer's credit code and the title).
    Postings(ImportArgs),
    /// Imports employment outcomes (keyed by ID number and start date).
    Outcomes(ImportArgs),
    /// Enrols trainees on skills-training courses and records their progress (keyed by course and ID number).
    Enrolments(ImportArgs),
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// A CSV (UTF-8, UTF-8 with BOM, GB18030/GBK) or XLSX file.
    file: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
    /// `auto`, `utf-8` or `gb18030`.
    #[arg(long, default_value = "auto")]
    encoding: String,
    /// Validate and count, but write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// Language of messages: `zh` or `en`.
    #[arg(long, env = "ABLEWORK_LANG", default_value = "zh")]
    lang: String,
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// Writes the people (masked) to a CSV or XLSX file; the export is audited.
    Persons {
        #[command(flatten)]
        list: ListExportArgs,
        /// Only this district (code or name).
        #[arg(long)]
        district: Option<String>,
    },
    /// Writes the employers' registry.
    Employers(ListExportArgs),
    /// Writes the job postings (the open ones).
    Postings(ListExportArgs),
    /// Writes the job fairs.
    Fairs(ListExportArgs),
    /// Writes the annual declarations waiting for review.
    Declarations(ListExportArgs),
    /// Writes this year's graduates' ledger (masked).
    Graduates(ListExportArgs),
    /// Writes the assessments waiting for approval (masked).
    Assessments(ListExportArgs),
    /// Writes the "four ones" work queue of the check (masked).
    Queue(ListExportArgs),
    /// Writes the city's work list (masked).
    WorkList(ListExportArgs),
    /// Writes the likely duplicate people (masked).
    Duplicates(ListExportArgs),
    /// Writes the policy presets.
    Policies(ListExportArgs),
    /// Writes the plans and their targets.
    Plans(ListExportArgs),
    /// Writes the audit log.
    Audit(ListExportArgs),
    /// Writes the people counted as new employment under the current plan (masked).
    ProgressPeople(ListExportArgs),
}

/// The options of a list's export: the whole list, as its page shows it;
/// the export is audited.
#[derive(Debug, clap::Args)]
struct ListExportArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// `csv` or `xlsx`.
    #[arg(long, value_enum)]
    format: export::FormatArg,
    /// The file to write.
    #[arg(long)]
    output: PathBuf,
    /// CSV text encoding.
    #[arg(long, value_enum, default_value = "utf-8")]
    encoding: export::EncodingArg,
    /// Language of headers and values: `zh` or `en`.
    #[arg(long, env = "ABLEWORK_LANG", default_value = "zh")]
    lang: String,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recomputes the hash chain; exits 1 if any record was tampered with.
    Verify {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Print a JSON report on stdout.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    config::init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("ablework: cannot start: {error}");
            return ExitCode::from(3);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("ablework: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Check {
            kind,
            value,
            json,
            lang,
        } => Ok(check_identifier(&kind, &value, json, &lang)),
        Command::Migrate { database } => {
            let store = open_store(&database.database_url).await?;
            eprintln!(
                "ablework: migrations applied ({})",
                ablework_store::Store::engine(&store)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { database, bind } => {
            let store = open_store(&database.database_url).await?;
            let config = load_config(&database.database_url, database.key_file.as_deref(), false)?;
            serve(app(store, config), bind).await
        }
        Command::Demo {
            data_dir,
            bind,
            persons,
            employers,
            seed,
        } => demo(data_dir, bind, persons, employers, seed).await,
        Command::User(command) => add_user(command).await,
        Command::Token(TokenCommand::Create { database, username }) => {
            let app = open_app(&database).await?;
            let token =
                app.create_api_token(None, &username)
                    .await
                    .map_err(|error| match error {
                        AppError::NotFound => {
                            Failure::Rejected(format!("no account named {username:?}"))
                        }
                        other => Failure::from_app(other),
                    })?;
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Levy {
            json,
            lang,
            database,
        } => Ok(levy::run(json, &lang, &database).await),
        Command::Policy(command) => run_policy(command).await,
        Command::Import(command) => run_import(command).await,
        Command::Report(ReportCommand::Progress {
            database,
            plan,
            district,
            json,
            lang,
        }) => {
            let app = open_app(&database).await?;
            let lang = Lang::from_tag(&lang).unwrap_or_default();
            let query = ProgressQuery { plan, district };
            report::progress(&app, &query, json, lang).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(command) => run_export(command).await,
        Command::Audit(AuditCommand::Verify { database, json }) => {
            verify_audit(&database, json).await
        }
    }
}

/// `ablework audit verify`: exit 1 when the chain is broken.
async fn verify_audit(database: &DatabaseArgs, json: bool) -> Result<ExitCode, Failure> {
    let app = open_app(database).await?;
    let report = app.verify_audit(None).await.map_err(Failure::from_app)?;
    let (intact, body) = match &report {
        ChainReport::Intact { records } => {
            eprintln!("ablework: audit log intact: {records} records verified");
            (
                true,
                serde_json::json!({ "intact": true, "records": records }),
            )
        }
        ChainReport::Broken(broken) => {
            eprintln!(
                "ablework: audit log TAMPERED at record {}: {}",
                broken.seq, broken.reason
            );
            (
                false,
                serde_json::json!({ "intact": false, "first_bad_seq": broken.seq, "reason": broken.reason }),
            )
        }
    };
    if json {
        println!("{body}");
    }
    Ok(if intact {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `ablework user add`.
async fn add_user(command: UserCommand) -> Result<ExitCode, Failure> {
    let UserCommand::Add {
        database,
        username,
        role,
        district,
        org,
        password_stdin: _,
        json,
    } = command;
    let password = read_password()?;
    let app = open_app(&database).await?;
    let input = NewUserInput {
        username,
        password,
        role,
        district,
        organisation_id: org,
        person_id: None,
    };
    let user = app
        .create_user(None, input)
        .await
        .map_err(Failure::from_app)?;
    if json {
        let body = serde_json::json!({
            "id": user.id, "username": user.username, "role": user.role.as_str(),
            "district": user.district_code, "org": user.organisation_id,
        });
        println!("{body}");
    }
    eprintln!(
        "ablework: account {} created ({})",
        user.username,
        user.role.as_str()
    );
    Ok(ExitCode::SUCCESS)
}

/// `ablework policy …`.
async fn run_policy(command: PolicyCommand) -> Result<ExitCode, Failure> {
    let language = |tag: &str| Lang::from_tag(tag).unwrap_or_default();
    match command {
        PolicyCommand::List {
            database,
            json,
            lang,
        } => policy::list(&open_app(&database).await?, json, language(&lang)).await,
        PolicyCommand::Show { id, database } => {
            policy::show(&open_app(&database).await?, &id).await
        }
        PolicyCommand::Add {
            file,
            database,
            json,
            lang,
        } => policy::add(&open_app(&database).await?, &file, json, language(&lang)).await,
    }
}

/// `ablework import …`.
async fn run_import(command: ImportCommand) -> Result<ExitCode, Failure> {
    let (kind, args) = match command {
        ImportCommand::Persons(args) => (ImportKind::Persons, args),
        ImportCommand::Employers(args) => (ImportKind::Employers, args),
        ImportCommand::Postings(args) => (ImportKind::Postings, args),
        ImportCommand::Outcomes(args) => (ImportKind::Outcomes, args),
        ImportCommand::Enrolments(args) => (ImportKind::Enrolments, args),
    };
    let app = open_app_for(&args.database, Workload::Bulk).await?;
    let lang = Lang::from_tag(&args.lang).unwrap_or_default();
    let options = import::Options {
        encoding: &args.encoding,
        dry_run: args.dry_run,
        json: args.json,
        lang,
    };
    let code = import::run(&app, kind, &args.file, &options).await?;
    Ok(ExitCode::from(code))
}

/// `ablework export …`.
async fn run_export(command: ExportCommand) -> Result<ExitCode, Failure> {
    use ablework_web::export::ListKind;
    let (kind, args) = match command {
        ExportCommand::Persons { list, district } => {
            return run_export_persons(list, district).await;
        }
        ExportCommand::Employers(args) => (ListKind::Employers, args),
        ExportCommand::Postings(args) => (ListKind::Postings, args),
        ExportCommand::Fairs(args) => (ListKind::Fairs, args),
        ExportCommand::Declarations(args) => (ListKind::Declarations, args),
        ExportCommand::Graduates(args) => (ListKind::Graduates, args),
        ExportCommand::Assessments(args) => (ListKind::Assessments, args),
        ExportCommand::Queue(args) => (ListKind::Queue, args),
        ExportCommand::WorkList(args) => (ListKind::WorkList, args),
        ExportCommand::Duplicates(args) => (ListKind::Duplicates, args),
        ExportCommand::Policies(args) => (ListKind::Policies, args),
        ExportCommand::Plans(args) => (ListKind::Plans, args),
        ExportCommand::Audit(args) => (ListKind::Audit, args),
        ExportCommand::ProgressPeople(args) => (ListKind::ProgressPeople, args),
    };
    let app = open_app(&args.database).await?;
    let lang = Lang::from_tag(&args.lang).unwrap_or_default();
    let actor = ablework_app::Actor::operator(None);
    let rows = export::export_list(
        &app,
        &actor,
        kind,
        (args.format, args.encoding),
        &args.output,
        lang,
    )
    .await?;
    eprintln!(
        "ablework: {rows} rows written to {} (masked)",
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `ablework export persons`, as the contract has it.
async fn run_export_persons(
    args: ListExportArgs,
    district: Option<String>,
) -> Result<ExitCode, Failure> {
    let ListExportArgs {
        database,
        format,
        output,
        encoding,
        lang,
    } = args;
    let app = open_app(&database).await?;
    let lang = Lang::from_tag(&lang).unwrap_or_default();
    let actor = ablework_app::Actor::operator(None);
    let rows = export::export_persons(
        &app,
        &actor,
        format,
        encoding,
        &output,
        district.as_deref(),
        lang,
    )
    .await?;
    eprintln!(
        "ablework: {rows} people written to {} (masked)",
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn check_identifier(kind: &str, value: &str, json: bool, lang: &str) -> ExitCode {
    let lang = Lang::from_tag(lang).unwrap_or_default();
    let Some(kind) = CheckKind::from_code(kind) else {
        eprintln!("ablework: the kind is id, cert or uscc");
        return ExitCode::from(2);
    };
    let today = ablework_app::clock::china_date(chrono::Utc::now());
    let report = check::check(kind, value, today, lang);
    if json {
        match serde_json::to_string(&report) {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("ablework: {error}");
                return ExitCode::from(3);
            }
        }
    } else if report.valid {
        println!("{}", report.normalized.as_deref().unwrap_or(value));
    }
    for error in &report.errors {
        eprintln!("{}: {}", error.code, error.message);
    }
    if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn read_password() -> Result<String, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::Failed(format!("cannot read the password: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(Failure::Rejected(
            "no password on standard input".to_owned(),
        ));
    }
    Ok(password)
}

fn app(store: SqlStore, config: ablework_app::AppConfig) -> App {
    App::new(Arc::new(store), config, Arc::new(SystemClock))
}

async fn open_app(database: &DatabaseArgs) -> Result<App, Failure> {
    open_app_for(database, Workload::Serve).await
}

/// [`open_app`] for a workload: `ablework import` loads in bulk.
async fn open_app_for(database: &DatabaseArgs, workload: Workload) -> Result<App, Failure> {
    let store = open_store_for(&database.database_url, workload).await?;
    let config = load_config(&database.database_url, database.key_file.as_deref(), false)?;
    let app = app(store, config);
    // Phone numbers stored before their look-up hash was kept get it now.
    app.hash_older_phones()
        .await
        .map_err(|e| Failure::Failed(format!("cannot hash older phone numbers: {e}")))?;
    Ok(app)
}

/// The application on the configured database for a command that can do
/// without one: `None` when it names a SQLite file that does not exist
/// (which is not created) or cannot be opened (said on stderr).
async fn open_existing_app(database: &DatabaseArgs) -> Option<App> {
    if config::sqlite_path(&database.database_url).is_some_and(|path| !path.exists()) {
        return None;
    }
    match open_app(database).await {
        Ok(app) => Some(app),
        Err(failure) => {
            eprintln!("ablework: the stored policy presets cannot be read: {failure}");
            None
        }
    }
}

async fn demo(
    data_dir: PathBuf,
    bind: SocketAddr,
    persons: usize,
    employers: usize,
    seed: u64,
) -> Result<ExitCode, Failure> {
    std::fs::create_dir_all(&data_dir)
        .map_err(|e| Failure::Failed(format!("cannot create {}: {e}", data_dir.display())))?;
    let database_path = data_dir.join("ablework.db");
    let url = format!("sqlite:{}", database_path.display());
    config::ensure_key_file(&data_dir.join(config::KEY_FILE_NAME))?;
    let store = open_store(&url).await?;
    let mut config = load_config(&url, None, true)?;
    config.demo = true;
    let app = app(store.clone(), config);
    let empty = ablework_store::Store::user_by_username(&store, "admin")
        .await
        .map_err(|e| Failure::Failed(e.to_string()))?
        .is_none();
    if empty {
        eprintln!(
            "ablework: creating the demo database at {} ({persons} people, {employers} employers, seed {seed})…",
            database_path.display()
        );
        let bar = indicatif::ProgressBar::new(u64::try_from(persons).unwrap_or(u64::MAX));
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} people ({eta} left)")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let started = std::time::Instant::now();
        app.seed_demo(persons, employers, seed, &|written| {
            bar.set_position(u64::try_from(written).unwrap_or(u64::MAX));
        })
        .await
        .map_err(Failure::from_app)?;
        bar.finish_and_clear();
        eprintln!(
            "ablework: demo data ready in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        eprintln!(
            "ablework: using the existing demo database at {}",
            database_path.display()
        );
    }
    eprintln!();
    eprintln!("  AbleWork demo: http://{bind}/");
    eprintln!("  Accounts (password {DEMO_PASSWORD}):");
    for (username, role, district, _) in DEMO_ACCOUNTS {
        let scope = district
            .map(|d| format!(", district {d}"))
            .unwrap_or_default();
        eprintln!("    {username:<12} {}{scope}", role.as_str());
    }
    eprintln!();
    serve(app, bind).await
}

async fn serve(app: App, bind: SocketAddr) -> Result<ExitCode, Failure> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| Failure::Failed(format!("cannot listen on {bind}: {e}")))?;
    tracing::info!(%bind, "serving");
    println!("http://{bind}/");
    // Uploaded imports run beside the server; a stop leaves a running job
    // to be resumed by the next start.
    let worker = ablework_web::import_worker::spawn(app.clone());
    let served = axum::serve(listener, ablework_web::router(app))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    worker.abort();
    served.map_err(|e| Failure::Failed(format!("server failed: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
