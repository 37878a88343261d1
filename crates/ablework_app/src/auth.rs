//! Accounts, logins, sessions and API tokens.

use ablework_domain::district;
use ablework_domain::lang::Lang;
use ablework_domain::roles::{Permission, Role};
use ablework_store::{NewApiToken, NewAuditEntry, NewSession, NewUser, UserRecord};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::App;
use crate::actor::Actor;
use crate::crypto::{hash_password, random_token, token_hash, verify_password};
use crate::error::{AppError, AppResult, FieldError, Localized};

/// The prefix of every API token, so leaked tokens are recognisable.
pub const API_TOKEN_PREFIX: &str = "abw_";

/// What a login form sends.
#[derive(Clone, Debug)]
pub struct LoginInput {
    /// Typed username.
    pub username: String,
    /// Typed password.
    pub password: String,
    /// The interface language to remember for the session.
    pub lang: Lang,
    /// The request, for the audit log.
    pub request_id: Option<String>,
}

/// A started session: the cookie value (shown once, stored hashed) and its
/// CSRF token.
#[derive(Clone, Debug)]
pub struct StartedSession {
    /// The cookie value.
    pub token: String,
    /// The CSRF token forms must carry.
    pub csrf_token: String,
    /// When the cookie stops working.
    pub expires_at: DateTime<Utc>,
    /// Who logged in.
    pub actor: Actor,
}

/// A live session found from its cookie.
#[derive(Clone, Debug)]
pub struct SessionContext {
    /// Who.
    pub actor: Actor,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// The remembered language.
    pub lang: Lang,
    /// The hash identifying the session.
    pub token_hash: String,
}

/// An account to create.
#[derive(Clone, Debug)]
pub struct NewUserInput {
    /// Username: 3–64 of `a-z 0-9 . _ -`.
    pub username: String,
    /// Password: at least 8 characters.
    pub password: String,
    /// Role (`city_admin`, …).
    pub role: String,
    /// District code, required for district officers.
    pub district: Option<String>,
    /// Organisation id, required for employers and institutions.
    pub organisation_id: Option<i64>,
    /// Linked person record, for seekers.
    pub person_id: Option<i64>,
}

fn operator_audit(
    by: Option<&Actor>,
    at: DateTime<Utc>,
    action: &str,
    entity: &str,
) -> NewAuditEntry {
    match by {
        Some(actor) => actor.audit(at, action, entity),
        None => NewAuditEntry::new(at, None, "system", action, entity),
    }
}

fn validate_username(username: &str) -> Option<FieldError> {
    let valid_chars = username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if (3..=64).contains(&username.len()) && valid_chars {
        None
    } else {
        Some(FieldError::new(
            "username",
            "format",
            Localized::new(
                "用户名须为 3–64 个小写字母、数字或 . _ -",
                "A username is 3–64 lower-case letters, digits or . _ -",
            ),
        ))
    }
}

impl App {
    /// Logs in with a username and password. Throttled per username: after
    /// the configured number of failures within the window, every attempt
    /// is refused until the window passes, even with the right password.
    pub async fn login(&self, input: LoginInput) -> AppResult<StartedSession> {
        let now = self.now();
        let username = input.username.trim().to_lowercase();
        let key = format!("user:{username}");
        let since = now - self.config.login_window;
        let failures = self.store.count_failed_attempts(&key, since).await?;
        if failures >= self.config.login_max_failures {
            let entry = NewAuditEntry::new(
                now,
                None,
                username.clone(),
                "session.login_throttled",
                "session",
            )
            .with_request_id(input.request_id.clone());
            self.store.append_audit(entry).await?;
            return Err(AppError::Throttled);
        }
        let user = self.store.user_by_username(&username).await?;
        let verified = match &user {
            Some(user) if user.active => verify_password(&input.password, &user.password_hash),
            _ => {
                // Hash anyway so that unknown usernames take as long as
                // known ones and cannot be told apart by timing.
                let _ = verify_password(&input.password, DUMMY_HASH);
                false
            }
        };
        let Some(user) = user.filter(|_| verified) else {
            self.store.record_failed_attempt(&key, now).await?;
            let entry = NewAuditEntry::new(now, None, username, "session.login_failed", "session")
                .with_request_id(input.request_id);
            self.store.append_audit(entry).await?;
            return Err(AppError::Unauthenticated);
        };
        self.store.clear_failed_attempts(&key).await?;
        let actor = Actor::from_user(&user, input.request_id);
        let token = random_token(32);
        let csrf_token = random_token(32);
        let expires_at = now + self.config.session_ttl;
        let session = NewSession {
            token_hash: token_hash(&token),
            user_id: user.id,
            csrf_token: csrf_token.clone(),
            lang: input.lang.tag().to_owned(),
            created_at: now,
            expires_at,
        };
        let audit = actor
            .audit(now, "session.login", "session")
            .with_entity_id(user.id);
        self.store.create_session(session, audit).await?;
        Ok(StartedSession {
            token,
            csrf_token,
            expires_at,
            actor,
        })
    }

    /// Finds the live session of a cookie value.
    pub async fn session(
        &self,
        token: &str,
        request_id: Option<String>,
    ) -> AppResult<Option<SessionContext>> {
        let hash = token_hash(token);
        let found = self.store.session_by_hash(&hash, self.now()).await?;
        Ok(found.map(|(session, user)| SessionContext {
            actor: Actor::from_user(&user, request_id),
            csrf_token: session.csrf_token,
            lang: Lang::from_tag(&session.lang).unwrap_or_default(),
            token_hash: hash,
        }))
    }

    /// Logs out: the session stops working at once.
    pub async fn logout(&self, session: &SessionContext) -> AppResult<()> {
        let audit = session
            .actor
            .audit(self.now(), "session.logout", "session")
            .with_entity_id(session.actor.user_id);
        self.store
            .delete_session(&session.token_hash, audit)
            .await?;
        Ok(())
    }

    /// Remembers a session's language.
    pub async fn set_session_lang(&self, session: &SessionContext, lang: Lang) -> AppResult<()> {
        self.store
            .set_session_lang(&session.token_hash, lang.tag())
            .await?;
        Ok(())
    }

    /// Authenticates an API bearer token.
    pub async fn authenticate_token(
        &self,
        token: &str,
        request_id: Option<String>,
    ) -> AppResult<Actor> {
        if !token.starts_with(API_TOKEN_PREFIX) {
            return Err(AppError::Unauthenticated);
        }
        let user = self.store.user_by_api_token(&token_hash(token)).await?;
        user.map(|user| Actor::from_user(&user, request_id))
            .ok_or(AppError::Unauthenticated)
    }

    /// Creates an account. `by` is the acting city admin, or `None` for the
    /// operator at the command line.
    pub async fn create_user(
        &self,
        by: Option<&Actor>,
        input: NewUserInput,
    ) -> AppResult<UserRecord> {
        if let Some(actor) = by {
            actor.require(Permission::UserManage)?;
        }
        let mut errors = Vec::new();
        errors.extend(validate_username(&input.username));
        if input.password.chars().count() < 8 {
            errors.push(FieldError::new(
                "password",
                "too_short",
                Localized::new("密码至少 8 个字符", "A password has at least 8 characters"),
            ));
        }
        let role = Role::parse(&input.role);
        match role {
            None => errors.push(FieldError::new(
                "role",
                "unknown",
                Localized::new(
                    "角色应为 city_admin、district_officer、employer、institution 或 seeker",
                    "The role is one of city_admin, district_officer, employer, institution, seeker",
                ),
            )),
            Some(role) => {
                if role.needs_district() {
                    match input.district.as_deref().map(district::by_code) {
                        Some(Some(_)) => {}
                        Some(None) => errors.push(FieldError::new("district", "unknown", Localized::new("不是天津市现行的区代码", "Not a current Tianjin district code"))),
                        None => errors.push(FieldError::required("district")),
                    }
                }
                if role.needs_organisation() && input.organisation_id.is_none() {
                    errors.push(FieldError::required("org"));
                }
            }
        }
        let Some(role) = role.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        let user = NewUser {
            username: input.username.clone(),
            password_hash: hash_password(&input.password)?,
            role,
            district_code: input.district.filter(|_| role.needs_district()),
            organisation_id: input.organisation_id.filter(|_| role.needs_organisation()),
            person_id: input.person_id.filter(|_| role == Role::Seeker),
            created_at: now,
        };
        let audit = operator_audit(by, now, "user.create", "user")
            .with_detail(json!({ "username": input.username, "role": role.as_str() }));
        self.store
            .create_user(user, audit)
            .await
            .map_err(|error| match error {
                ablework_store::StoreError::Conflict(_) => AppError::Conflict {
                    code: "username_taken".to_owned(),
                    message: Localized::new("该用户名已被使用", "That username is taken"),
                },
                other => other.into(),
            })
    }

    /// Issues an API token for an account and returns it; it is shown once
    /// and stored only as a hash.
    pub async fn create_api_token(&self, by: Option<&Actor>, username: &str) -> AppResult<String> {
        if let Some(actor) = by
            && actor.username != username
        {
            actor.require(Permission::UserManage)?;
        }
        let user = self
            .store
            .user_by_username(username)
            .await?
            .ok_or(AppError::NotFound)?;
        let token = format!("{API_TOKEN_PREFIX}{}", random_token(32));
        let now = self.now();
        let record = NewApiToken {
            user_id: user.id,
            token_hash: token_hash(&token),
            prefix: token.chars().take(10).collect(),
            created_at: now,
        };
        let audit = operator_audit(by, now, "api_token.create", "api_token")
            .with_detail(json!({ "username": username }));
        self.store.create_api_token(record, audit).await?;
        Ok(token)
    }

    /// Revokes an API token of an account by its id.
    pub async fn revoke_api_token(
        &self,
        by: Option<&Actor>,
        username: &str,
        token_id: i64,
    ) -> AppResult<()> {
        if let Some(actor) = by
            && actor.username != username
        {
            actor.require(Permission::UserManage)?;
        }
        let user = self
            .store
            .user_by_username(username)
            .await?
            .ok_or(AppError::NotFound)?;
        let tokens = self.store.list_api_tokens(user.id).await?;
        if !tokens.iter().any(|t| t.id == token_id) {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        let audit = operator_audit(by, now, "api_token.revoke", "api_token")
            .with_detail(json!({ "username": username }));
        self.store.revoke_api_token(token_id, now, audit).await?;
        Ok(())
    }

    /// The actor's own API tokens, newest first.
    pub async fn my_api_tokens(
        &self,
        actor: &Actor,
    ) -> AppResult<Vec<ablework_store::ApiTokenRecord>> {
        Ok(self.store.list_api_tokens(actor.user_id).await?)
    }

    /// Lists accounts (city admins only).
    pub async fn list_users(&self, actor: &Actor) -> AppResult<Vec<UserRecord>> {
        actor.require(Permission::UserManage)?;
        Ok(self.store.list_users().await?)
    }
}

/// A valid Argon2id hash of a random password, verified against when the
/// username is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$YWJsZXdvcmtkdW1teQ$Nq0Hw2ZxFJTi8CL1cWvJ3Q0v6lFZ4b6Ow4ARr5bA7lE";
