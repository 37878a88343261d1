//! What every page's layout needs: language, navigation, the user, the CSRF
//! token, and the link that switches language.

use ablework_domain::lang::Lang;
use ablework_domain::roles::{Permission, Role};

use crate::context::Ctx;
use crate::i18n::Text;

/// One link of the main navigation.
#[derive(Clone, Debug)]
pub struct NavLink {
    /// Where.
    pub href: &'static str,
    /// Message key of its name.
    pub key: &'static str,
    /// Whether it is the current section (`aria-current="page"`).
    pub current: bool,
}

/// The page frame.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Interface text.
    pub t: Text,
    /// `zh-CN` or `en`.
    pub html_lang: &'static str,
    /// The page's title (without the site name).
    pub title: String,
    /// The main navigation.
    pub nav: Vec<NavLink>,
    /// Who is logged in.
    pub username: Option<String>,
    /// Their role's name.
    pub role_label: Option<&'static str>,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    /// This page in the other language.
    pub switch_href: String,
    /// The other language's tag (`en` / `zh-CN`).
    pub switch_lang: &'static str,
}

impl Layout {
    /// The frame of a page with a title.
    pub fn new(ctx: &Ctx, title: impl Into<String>) -> Layout {
        let t = ctx.text();
        let other = match ctx.lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        let mut query = ctx.query_without_lang.clone();
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str("lang=");
        query.push_str(other.tag());
        let role = ctx.session.as_ref().map(|s| s.actor.role);
        let nav = navigation(ctx, role);
        Layout {
            t,
            html_lang: match ctx.lang {
                Lang::Zh => "zh-CN",
                Lang::En => "en",
            },
            title: title.into(),
            nav,
            username: ctx.session.as_ref().map(|s| s.actor.username.clone()),
            role_label: role.map(|r| r.label(ctx.lang)),
            csrf: ctx
                .session
                .as_ref()
                .map(|s| s.csrf_token.clone())
                .unwrap_or_default(),
            switch_href: format!("{}?{query}", ctx.path),
            switch_lang: match other {
                Lang::Zh => "zh-CN",
                Lang::En => "en",
            },
        }
    }
}

/// One field's error on a form, already in the page's language.
#[derive(Clone, Debug)]
pub struct FormError {
    /// The field's `id` on the page (the summary links to `#id`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// Converts application field errors into form errors for a page.
pub fn form_errors(fields: &[ablework_app::FieldError], lang: Lang) -> Vec<FormError> {
    fields
        .iter()
        .map(|f| FormError {
            field: f.field.clone(),
            message: f.message.get(lang).to_owned(),
        })
        .collect()
}

/// A submitted form as its name–value pairs, in order (a name may repeat:
/// checkbox groups).
pub type Pairs = Vec<(String, String)>;

/// The first value submitted under `name`, or `""`.
pub fn first(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Every value submitted under `name` (a checkbox group), in order.
pub fn all(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// The message for a field, if it has one.
pub fn error_for<'a>(errors: &'a [FormError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// `?name=value&…` of the pairs that have a value, percent-encoded; empty
/// when none has. Every link of the dashboard's drill-down is built here.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (name, value) in pairs {
        if let Some(value) = value {
            serializer.append_pair(name, value);
            any = true;
        }
    }
    if any {
        format!("?{}", serializer.finish())
    } else {
        String::new()
    }
}

/// Page links of a paginated list.
#[derive(Clone, Debug)]
pub struct Pager {
    /// Current page.
    pub page: u32,
    /// Last page (at least 1).
    pub pages: u32,
    /// Link to the previous page.
    pub previous: Option<String>,
    /// Link to the next page.
    pub next: Option<String>,
}

impl Pager {
    /// Links for `total` rows in pages of `per_page`, keeping the other
    /// query parameters.
    pub fn new(
        path: &str,
        params: &[(&str, String)],
        page: u32,
        per_page: u32,
        total: u64,
    ) -> Pager {
        let pages = u32::try_from(total.div_ceil(u64::from(per_page.max(1))))
            .unwrap_or(u32::MAX)
            .max(1);
        let link = |target: u32| {
            let mut pairs: Vec<(&str, String)> = params
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .cloned()
                .collect();
            pairs.push(("page", target.to_string()));
            format!(
                "{path}?{}",
                serde_urlencoded::to_string(pairs).unwrap_or_default()
            )
        };
        Pager {
            page,
            pages,
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

/// The main navigation for the actor's role: one link per section it may
/// use, the current one marked.
fn navigation(ctx: &Ctx, role: Option<Role>) -> Vec<NavLink> {
    let mut nav = vec![NavLink {
        href: "/",
        key: "nav.home",
        current: ctx.path == "/",
    }];
    if let Some(role) = role {
        if role.permits(Permission::PersonRead) {
            let key = if role == Role::Seeker {
                "home.seeker.my_record"
            } else {
                "nav.persons"
            };
            nav.push(NavLink {
                href: "/persons",
                key,
                current: ctx.path.starts_with("/persons"),
            });
        }
        if role.permits(Permission::PersonWrite) {
            nav.push(NavLink {
                href: "/queues",
                key: "nav.queues",
                current: ctx.path.starts_with("/queues") || ctx.path.starts_with("/assessments"),
            });
            nav.push(NavLink {
                href: "/graduates",
                key: "nav.graduates",
                current: ctx.path.starts_with("/graduates"),
            });
        }
        if role.permits(Permission::ProgressRead) {
            nav.push(NavLink {
                href: "/progress",
                key: "nav.progress",
                current: ctx.path.starts_with("/progress"),
            });
        }
        if role.permits(Permission::EmployerRead) {
            nav.push(NavLink {
                href: "/employers",
                key: if role == Role::Employer {
                    "nav.my_employer"
                } else {
                    "nav.employers"
                },
                current: ctx.path.starts_with("/employers"),
            });
        }
        if role.permits(Permission::JobRead) {
            nav.push(NavLink {
                href: "/jobs",
                key: "nav.jobs",
                current: ctx.path.starts_with("/jobs"),
            });
        }
        if role.permits(Permission::FairRead) {
            nav.push(NavLink {
                href: "/fairs",
                key: "nav.fairs",
                current: ctx.path.starts_with("/fairs"),
            });
        }
        if role.permits(Permission::ProgrammeRead) {
            nav.push(NavLink {
                href: "/programmes",
                key: "nav.programmes",
                current: ctx.path.starts_with("/programme"),
            });
        }
        if role.permits(Permission::DeclarationReview) {
            nav.push(NavLink {
                href: "/declarations",
                key: "nav.declarations",
                current: ctx.path.starts_with("/declarations"),
            });
            nav.push(NavLink {
                href: "/quota",
                key: "nav.quota",
                current: ctx.path.starts_with("/quota") || ctx.path.starts_with("/policies"),
            });
        }
        if role.permits(Permission::AuditRead) {
            nav.push(NavLink {
                href: "/audit",
                key: "nav.audit",
                current: ctx.path.starts_with("/audit"),
            });
        }
        nav.push(NavLink {
            href: "/account",
            key: "nav.account",
            current: ctx.path.starts_with("/account"),
        });
    }
    nav.push(NavLink {
        href: "/api/docs",
        key: "nav.api",
        current: ctx.path.starts_with("/api/docs"),
    });
    nav
}

/// A moment in the city's local time (China Standard Time, UTC+8, which
/// has no daylight saving), formatted for a page.
pub fn local_time(at: chrono::DateTime<chrono::Utc>, format: &str) -> String {
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(china) => at.with_timezone(&china).format(format).to_string(),
        None => at.format(format).to_string(),
    }
}
