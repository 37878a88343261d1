//! Errors at the HTTP boundary: the API's JSON error body and error pages.
//!
//! Internal errors are logged here, once, with the request id; the response
//! shows only the id.

use ablework_app::{AppError, FieldError};
use ablework_domain::lang::Lang;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The API's error body: `{"error": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code.
    pub code: String,
    /// For people, in the request's language.
    pub message: String,
    /// One entry per field that is wrong.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldErrorBody>,
}

/// One field that is wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldErrorBody {
    /// The field's name (a JSON path for nested fields).
    pub field: String,
    /// Stable code: `required`, `checksum`, `unknown_field`, `invalid_type`, …
    pub code: String,
    /// What is wrong, for people.
    pub message: String,
}

/// An API error: an application error or a malformed request, with the
/// language to explain it in.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
    fields: Vec<FieldErrorBody>,
}

impl ApiError {
    /// An error with a status, code and message and no field errors.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_owned(),
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// A request that names a field wrongly.
    pub fn field(
        status: StatusCode,
        field: &str,
        code: &str,
        message: impl Into<String>,
    ) -> ApiError {
        let message = message.into();
        ApiError {
            status,
            code: "invalid".to_owned(),
            message: message.clone(),
            fields: vec![FieldErrorBody {
                field: field.to_owned(),
                code: code.to_owned(),
                message,
            }],
        }
    }

    /// The application error in a language.
    pub fn from_app(error: AppError, lang: Lang, request_id: Option<&str>) -> ApiError {
        let zh = lang == Lang::Zh;
        let pick = |z: &str, e: &str| if zh { z.to_owned() } else { e.to_owned() };
        match error {
            AppError::Unauthenticated => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                pick("需要有效的接口令牌", "A valid bearer token is required"),
            ),
            AppError::Forbidden => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                pick("您的角色不能执行此操作", "Your role may not do this"),
            ),
            AppError::NotFound => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                pick("记录不存在", "No such record"),
            ),
            AppError::Invalid(fields) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid".to_owned(),
                message: pick(
                    "输入有误，请查看各字段的说明",
                    "The input is not valid: see each field",
                ),
                fields: fields.into_iter().map(|f| field_body(f, lang)).collect(),
            },
            AppError::Conflict { code, message } => {
                ApiError::new(StatusCode::CONFLICT, &code, message.get(lang))
            }
            AppError::Throttled => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                pick(
                    "尝试次数过多，请稍后再试",
                    "Too many attempts: try again later",
                ),
            ),
            AppError::Unavailable(why) => {
                tracing::warn!(request_id, %why, "storage unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    pick(
                        "服务暂时不可用，请稍后再试",
                        "The service is unavailable: try again later",
                    ),
                )
            }
            AppError::Internal(why) => {
                tracing::error!(request_id, %why, "internal error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    pick(
                        "系统出错，请联系管理员",
                        "Something went wrong: contact an administrator",
                    ),
                )
            }
        }
    }
}

fn field_body(field: FieldError, lang: Lang) -> FieldErrorBody {
    FieldErrorBody {
        field: field.field,
        code: field.code,
        message: field.message.get(lang).to_owned(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status;
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                fields: self.fields,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
