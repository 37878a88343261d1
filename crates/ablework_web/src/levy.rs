//! `POST /api/v1/levy/assessments`: the employment security fund levy of
//! a declaration, with the same JSON in and out as `ablework levy`
//! (CONTRACT.md).
//!
//! The assessment is a calculation in `ablework_domain::levy`: it changes
//! no records, so the handler needs only an authenticated caller (any
//! role). It goes through [`ablework_app::App::assess_levy`], which
//! resolves `policy` among the built-in presets and those an administrator
//! stored. The body is taken as a JSON value and read by
//! [`Declaration::from_deserializer`], so the API names a wrong field
//! exactly as the command line does.

use ablework_app::{AppError, FieldError, Localized};
use ablework_domain::levy::{self, Assessment, Declaration};
use axum::Json;
use axum::extract::State;
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::{ApiActor, ApiJson};
use crate::error::{ApiError, ErrorBody};

// ---- bodies (for the OpenAPI document) -----------------------------------------
//
// The wire types live in the domain, which knows nothing of OpenAPI, so
// these mirrors describe them. Decimals are accepted as strings or numbers
// and always answered as strings.

/// An employer's declaration for one data year. Give exactly one of
/// `average_headcount` and `monthly_headcount`, and exactly one of
/// `average_wage` and `total_wages`. Decimals may be strings or numbers.
#[derive(Debug, ToSchema)]
#[schema(example = json!({
    "policy": "tianjin-2022-2024",
    "declared_on": "2024-06-30",
    "employer_kind": "enterprise",
    "average_headcount": "200",
    "average_wage": "80000",
    "social_average_wage": "100000",
    "disabled_employees": [
        {"certificate": "12010119900307123543", "months": 12},
        {"kind": "veteran", "level": 2, "months": 3}
    ]
}))]
pub struct LevyDeclarationBody {
    /// Policy preset: a built-in one or one an administrator stored
    /// (`GET /api/v1/policies`); default `tianjin-2022-2024`.
    pub policy: Option<String>,
    /// Day of the declaration, `YYYY-MM-DD`; it decides the tier and exemption windows.
    pub declared_on: String,
    /// `enterprise`, `agency`, `institution` or `social_org`.
    pub employer_kind: String,
    /// Average monthly in-service headcount (decimal).
    pub average_headcount: Option<String>,
    /// The in-service headcount of each of the 12 months (decimals).
    pub monthly_headcount: Option<Vec<String>>,
    /// Seasonal workers, counted by their months.
    pub seasonal: Option<Vec<SeasonalWorkersBody>>,
    /// The employer's average annual wage (decimal).
    pub average_wage: Option<String>,
    /// The employer's total annual wages (decimal); divided by the headcount.
    pub total_wages: Option<String>,
    /// The local social average wage of the data year (decimal).
    pub social_average_wage: String,
    /// Disabled employees.
    pub disabled_employees: Option<Vec<DisabledEmployeeBody>>,
}

/// `count` seasonal workers employed for `months` months.
#[derive(Debug, ToSchema)]
pub struct SeasonalWorkersBody {
    /// How many people (decimal).
    pub count: String,
    /// Months, 1–12.
    pub months: u8,
}

/// A disabled employee: a certificate number, or a kind and a level.
#[derive(Debug, ToSchema)]
pub struct DisabledEmployeeBody {
    /// Disability certificate number; category and level are read from it.
    pub certificate: Option<String>,
    /// `disability` or `veteran`, when no certificate number is given.
    pub kind: Option<String>,
    /// 1–4 (disability) or 1–10 (veteran), when no certificate number is given.
    pub level: Option<u8>,
    /// Months of the year employed and eligible, 1–12.
    pub months: u8,
    /// `false` leaves the person out (default `true`).
    pub eligible: Option<bool>,
}

/// The assessment. Quantities have four decimal places, money two.
#[derive(Debug, ToSchema)]
pub struct LevyAssessmentBody {
    /// In-service headcount N, without trailing zeros (`"200"`).
    pub headcount: String,
    /// Required disabled employees R = N × rate (`"3.0000"`).
    pub required: String,
    /// Disabled employees counted D.
    pub counted: String,
    /// Shortfall G = max(0, R − D).
    pub shortfall: String,
    /// D ÷ N.
    pub ratio: String,
    /// Wage used Wc = min(W, cap × S) (`"80000.00"`).
    pub wage_used: String,
    /// `"0.9"`, `"0.5"`, `"1"` or `"0"`.
    pub factor: String,
    /// Whether the small-enterprise exemption applied.
    pub exempt: bool,
    /// The levy in CNY (`"108000.00"`).
    pub levy: String,
    /// One line per rule applied, in the request's language.
    pub explanation: Vec<String>,
    /// The policy preset used.
    pub policy: String,
    /// The preset's version.
    pub policy_version: u32,
}

// ---- handler ----------------------------------------------------------------------

/// Assesses the employment security fund levy of a declaration. Any
/// authenticated role may ask; nothing is stored.
#[utoipa::path(post, path = "/api/v1/levy/assessments", tag = "levy", security(("bearer" = [])),
    request_body = LevyDeclarationBody,
    responses((status = 200, body = LevyAssessmentBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assess(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Assessment>, ApiError> {
    let declaration =
        Declaration::from_deserializer(&body).map_err(|errors| invalid(errors, &caller))?;
    let calculation = state
        .app
        .assess_levy(&declaration)
        .await
        .map_err(|e| caller.error(e))?
        .map_err(|errors| invalid(errors, &caller))?;
    Ok(Json(calculation.assessment(caller.lang)))
}

/// The domain's field errors as the API's 422 body.
fn invalid(errors: Vec<levy::FieldError>, caller: &ApiActor) -> ApiError {
    let fields = errors
        .into_iter()
        .map(|error| {
            FieldError::new(
                &error.field,
                error.code,
                Localized::new(error.message_zh, error.message_en),
            )
        })
        .collect();
    ApiError::from_app(
        AppError::Invalid(fields),
        caller.lang,
        caller.request_id.as_deref(),
    )
}
