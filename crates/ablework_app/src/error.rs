//! The application's error type.

use ablework_domain::lang::Lang;
use ablework_store::StoreError;

/// Text in both interface languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Localized {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Localized {
    /// Both texts.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Localized {
        Localized {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in one language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// What is wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as the caller sent it (`id_number`).
    pub field: String,
    /// Stable snake_case code (`checksum`, `required`).
    pub code: String,
    /// What is wrong and what is expected, for people.
    pub message: Localized,
}

impl FieldError {
    /// A field error.
    pub fn new(field: &str, code: &str, message: Localized) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message,
        }
    }

    /// A field an identifier's parser refused, with the parser's reason.
    pub fn ident(field: &str, error: &ablework_domain::ident::IdentError) -> FieldError {
        FieldError::new(
            field,
            error.code(),
            Localized::new(error.message(Lang::Zh), error.message(Lang::En)),
        )
    }

    /// "This field is required."
    pub fn required(field: &str) -> FieldError {
        FieldError::new(
            field,
            "required",
            Localized::new("此项必填", "This field is required"),
        )
    }
}

impl From<ablework_domain::levy::FieldError> for FieldError {
    /// A domain rule's field error, with both its messages.
    fn from(error: ablework_domain::levy::FieldError) -> FieldError {
        FieldError::new(
            &error.field,
            error.code,
            Localized::new(error.message(Lang::Zh), error.message(Lang::En)),
        )
    }
}

/// A field error with its message in both languages: the one way use
/// cases describe a value they refuse.
pub(crate) fn invalid(
    field: &str,
    code: &str,
    zh: impl Into<String>,
    en: impl Into<String>,
) -> FieldError {
    FieldError::new(field, code, Localized::new(zh, en))
}

/// Why a use case did not complete.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid session or token.
    #[error("authentication required")]
    Unauthenticated,
    /// Logged in, but the role may not do this.
    #[error("not permitted")]
    Forbidden,
    /// Absent, or outside the actor's scope (the two look the same).
    #[error("not found")]
    NotFound,
    /// The input broke validation rules; every field error is listed.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The change conflicts with existing data.
    #[error("conflict: {code}")]
    Conflict {
        /// Stable code.
        code: String,
        /// For people.
        message: Localized,
    },
    /// Too many failed attempts; try again later.
    #[error("too many attempts")]
    Throttled,
    /// The database is unreachable or busy.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A bug or broken configuration. Logged once, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The stable code of the error.
    pub fn code(&self) -> &str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Invalid(_) => "invalid",
            AppError::Conflict { code, .. } => code,
            AppError::Throttled => "too_many_attempts",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// A one-field validation error.
    pub fn field(field: &str, code: &str, message: Localized) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, code, message)])
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(rule) => AppError::Conflict {
                code: "conflict".to_owned(),
                message: Localized::new(
                    format!("与已有记录冲突（{rule}）"),
                    format!("conflicts with an existing record ({rule})"),
                ),
            },
            StoreError::Unavailable(why) => AppError::Unavailable(why),
            StoreError::Internal(why) => AppError::Internal(why),
        }
    }
}

/// Result of a use case.
pub type AppResult<T> = Result<T, AppError>;
