//! `ablework policy list|show|add`: the policy presets, built in and
//! stored by an administrator (DOMAIN.md: every number of the quota and
//! the levy is policy data).
//!
//! `add` reads a whole preset as JSON (as `policy show` prints it, or
//! `GET /api/v1/policies/{id}` answers it) and saves it through the
//! application layer as the operator, which validates and audits it; a
//! preset saved again under the same id becomes a new version.
//!
//! Exit status: 0 done; 1 the preset was rejected (unreadable, malformed or
//! invalid: every field error is listed) or the id is unknown; 3 other
//! failures.

use std::path::Path;
use std::process::ExitCode;

use ablework_app::{Actor, App, AppError, FieldError};
use ablework_domain::lang::Lang;
use ablework_domain::policy::{self, PolicyPreset};
use ablework_web::api_employers::read_preset;
use serde_json::{Value, json};

use crate::config::Failure;

/// A preset as the command prints it: its fields and whether it ships
/// with AbleWork (the API's shape).
fn with_built_in(preset: &PolicyPreset) -> Result<Value, Failure> {
    let mut value = serde_json::to_value(preset).map_err(|e| Failure::Failed(e.to_string()))?;
    if let Value::Object(object) = &mut value {
        object.insert(
            "built_in".to_owned(),
            Value::Bool(policy::by_id(&preset.id).is_some()),
        );
    }
    Ok(value)
}

fn print_json(value: &Value) -> Result<(), Failure> {
    let text = serde_json::to_string(value).map_err(|e| Failure::Failed(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// `policy list`: every preset, one line each, or a JSON array.
pub async fn list(app: &App, json_output: bool, lang: Lang) -> Result<ExitCode, Failure> {
    let presets = app.presets().await.map_err(Failure::from_app)?;
    if json_output {
        let items = presets
            .iter()
            .map(with_built_in)
            .collect::<Result<Vec<_>, _>>()?;
        print_json(&Value::Array(items))?;
        return Ok(ExitCode::SUCCESS);
    }
    for preset in &presets {
        let built_in = if policy::by_id(&preset.id).is_some() {
            match lang {
                Lang::Zh => "（内置）",
                Lang::En => " (built in)",
            }
        } else {
            ""
        };
        println!(
            "{:<28} v{:<4} {}{built_in}",
            preset.id,
            preset.version,
            preset.name(lang)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `policy show ID`: one preset (its newest version) as JSON.
pub async fn show(app: &App, id: &str) -> Result<ExitCode, Failure> {
    let preset = app
        .preset(id)
        .await
        .map_err(Failure::from_app)?
        .ok_or_else(|| Failure::Rejected(format!("there is no policy preset {id:?}")))?;
    let text = serde_json::to_string_pretty(&with_built_in(&preset)?)
        .map_err(|e| Failure::Failed(e.to_string()))?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// `policy add --file FILE`: validates and saves a preset; prints its id
/// and the version it was saved as (`--json`: `{"id":…,"version":…}`).
pub async fn add(
    app: &App,
    file: &Path,
    json_output: bool,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    let text = std::fs::read(file)
        .map_err(|e| Failure::Rejected(format!("cannot read {}: {e}", file.display())))?;
    let body: Value = match serde_json::from_slice(&text) {
        Ok(body) => body,
        Err(error) => {
            let message = match lang {
                Lang::Zh => format!("{}：JSON 格式错误：{error}", file.display()),
                Lang::En => format!("{}: malformed JSON: {error}", file.display()),
            };
            return Ok(rejected("malformed_json", &message, &[], json_output, lang));
        }
    };
    let saved = match read_preset(body) {
        Ok(preset) => app.save_preset(&Actor::operator(None), preset).await,
        Err(fields) => Err(AppError::Invalid(fields)),
    };
    match saved {
        Ok(preset) => {
            if json_output {
                print_json(&json!({ "id": preset.id, "version": preset.version }))?;
            } else {
                println!("{} {}", preset.id, preset.version);
            }
            eprintln!(
                "ablework: policy preset {} saved as version {}",
                preset.id, preset.version
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::Invalid(fields)) => {
            let message = match lang {
                Lang::Zh => "政策预设有误，请查看各字段的说明",
                Lang::En => "The policy preset is not valid: see each field",
            };
            Ok(rejected("invalid", message, &fields, json_output, lang))
        }
        Err(other) => Err(Failure::from_app(other)),
    }
}

/// Reports a rejected preset: every field on stderr and, with `--json`,
/// the API's error document on stdout. Exit status 1.
fn rejected(
    code: &str,
    message: &str,
    fields: &[FieldError],
    json_output: bool,
    lang: Lang,
) -> ExitCode {
    eprintln!("ablework: {message}");
    for field in fields {
        eprintln!(
            "  {}: {} ({})",
            field.field,
            field.message.get(lang),
            field.code
        );
    }
    if json_output {
        let fields: Vec<Value> = fields
            .iter()
            .map(|f| json!({ "field": f.field, "code": f.code, "message": f.message.get(lang) }))
            .collect();
        let mut error = json!({ "code": code, "message": message });
        if !fields.is_empty() {
            error["fields"] = Value::Array(fields);
        }
        if let Err(failure) = print_json(&json!({ "error": error })) {
            eprintln!("ablework: {failure}");
            return ExitCode::from(3);
        }
    }
    ExitCode::from(1)
}
