//! `ablework levy`: reads an employer's declaration (CONTRACT.md, `levy`)
//! on stdin and prints the employment security fund levy assessment.
//!
//! The calculation is pure and lives in `ablework_domain::levy`; this
//! command only reads, reports and chooses the exit status: 0 assessed,
//! 1 the declaration was rejected (malformed JSON or invalid fields),
//! 2 a usage error, 3 stdin could not be read.
//!
//! A declaration under a built-in preset (or none) touches no database.
//! One that names another preset is assessed under the preset an
//! administrator stored under that id, found through the application on
//! the database configured the usual way (`--database-url`,
//! `DATABASE_URL`, else the demo's) when there is one to open; otherwise
//! the id is an unknown policy, as before.

use std::io::Read;
use std::process::ExitCode;

use ablework_domain::lang::Lang;
use ablework_domain::levy::{self, Assessment, Calculation, Declaration, FieldErrorReport};
use ablework_domain::policy;
use serde::Serialize;

use crate::{DatabaseArgs, open_existing_app};

/// The error document printed with `--json`, shaped like the API's.
#[derive(Serialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize)]
struct ErrorDetail {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldErrorReport>,
}

/// Runs the command: `json` prints the assessment as one JSON document,
/// `lang` (`zh` or `en`) chooses the language of the explanation and of
/// the messages.
pub async fn run(json: bool, lang: &str, database: &DatabaseArgs) -> ExitCode {
    let Some(lang) = Lang::from_tag(lang) else {
        eprintln!("ablework: the language is zh or en");
        return ExitCode::from(2);
    };
    let mut input = Vec::new();
    if let Err(error) = std::io::stdin().lock().read_to_end(&mut input) {
        eprintln!("ablework: cannot read the declaration on standard input: {error}");
        return ExitCode::from(3);
    }
    let outcome = match read_declaration(&input, lang) {
        Ok(declaration) => assess(&declaration, database)
            .await
            .map_err(|errors| invalid(&errors, lang)),
        Err(detail) => Err(detail),
    };
    match outcome {
        Ok(calculation) => print_assessment(&calculation.assessment(lang), json, lang),
        Err(detail) => {
            eprintln!("ablework: {}", detail.message);
            for field in &detail.fields {
                eprintln!("  {}: {} ({})", field.field, field.message, field.code);
            }
            if json {
                print_json(&ErrorBody { error: detail });
            }
            ExitCode::from(1)
        }
    }
}

/// Assesses the declaration under the preset it names: a built-in one,
/// or one stored in the configured database if it can be opened.
async fn assess(
    declaration: &Declaration,
    database: &DatabaseArgs,
) -> Result<Calculation, Vec<levy::FieldError>> {
    let stored = declaration
        .policy
        .as_deref()
        .is_some_and(|id| policy::by_id(id).is_none());
    if stored && let Some(app) = open_existing_app(database).await {
        match app.assess_levy(declaration).await {
            Ok(outcome) => return outcome,
            Err(error) => {
                eprintln!("ablework: the stored policy presets cannot be read: {error}");
            }
        }
    }
    levy::assess(declaration)
}

/// Parses the declaration: syntax first, so a malformed document is always
/// `malformed_json` whatever it holds, then the fields, by their paths.
fn read_declaration(input: &[u8], lang: Lang) -> Result<Declaration, ErrorDetail> {
    if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(input) {
        let message = match lang {
            Lang::Zh => format!("JSON 格式错误：{error}"),
            Lang::En => format!("Malformed JSON: {error}"),
        };
        return Err(ErrorDetail {
            code: "malformed_json",
            message,
            fields: Vec::new(),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(input);
    Declaration::from_deserializer(&mut deserializer).map_err(|errors| invalid(&errors, lang))
}

fn invalid(errors: &[levy::FieldError], lang: Lang) -> ErrorDetail {
    ErrorDetail {
        code: "invalid",
        message: match lang {
            Lang::Zh => "申报有误，请查看各字段的说明".to_owned(),
            Lang::En => "The declaration is not valid: see each field".to_owned(),
        },
        fields: errors.iter().map(|error| error.report(lang)).collect(),
    }
}

fn print_assessment(assessment: &Assessment, json: bool, lang: Lang) -> ExitCode {
    if json {
        return if print_json(assessment) {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(3)
        };
    }
    let yes_no = |flag: bool| match (flag, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    };
    let rows: [(&str, &str, &str); 9] = [
        ("在职职工人数 N", "Headcount N", &assessment.headcount),
        ("应安排人数 R", "Required R", &assessment.required),
        ("已安排人数 D", "Counted D", &assessment.counted),
        ("差额 G", "Shortfall G", &assessment.shortfall),
        ("安排比例 D÷N", "Ratio D÷N", &assessment.ratio),
        ("计征工资 Wc", "Wage used Wc", &assessment.wage_used),
        ("系数", "Factor", &assessment.factor),
        ("暂免征收", "Exempt", yes_no(assessment.exempt)),
        ("应缴保障金（元）", "Levy (CNY)", &assessment.levy),
    ];
    for (zh, en, value) in rows {
        let label = match lang {
            Lang::Zh => zh,
            Lang::En => en,
        };
        println!("{label}: {value}");
    }
    println!();
    for line in &assessment.explanation {
        println!("{line}");
    }
    ExitCode::SUCCESS
}

/// Prints one JSON document on stdout; false (with a message) if it could
/// not be serialised, which would be a bug.
fn print_json<T: Serialize>(value: &T) -> bool {
    match serde_json::to_string(value) {
        Ok(text) => {
            println!("{text}");
            true
        }
        Err(error) => {
            eprintln!("ablework: {error}");
            false
        }
    }
}
