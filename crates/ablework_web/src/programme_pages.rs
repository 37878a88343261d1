//! The programmes' pages (docs/programmes.md): the overview of the seven
//! programmes with their figures; a programme's units, the district's
//! pools and the units' activities, each a filtered, paged list; a unit
//! with its activities, its own people and what it received; an activity
//! with its people, its draws and a course's results; a participant with
//! the progress and placement forms. Every form is built from one list of
//! fields ([`Field`]) and one template (`programme_fields.html`), so each
//! kind shows only the fields it uses.

use ablework_app::AppError;
use ablework_app::export::{ProgrammeList, ProgrammePeople, ProgrammeRow};
use ablework_app::programmes::{
    ActivityRecord, ActivityView, DrawView, ParticipantView, ProgrammeQuery, UnitRecord, UnitView,
};
use ablework_domain::fair::AccessNeed;
use ablework_domain::lang::Lang;
use ablework_domain::occupation::SubMajorGroup;
use ablework_domain::outcome::EmploymentForm;
use ablework_domain::programme::{
    Accreditation, ActivityInput, ActivityKind, BlankIncome, DrawInput, DrawTarget, JoinInput,
    Limit, PlacementInput, Programme, ProgressInput, Role, RuralCriteria, Sector, SourceKind,
    Status, SupportPurpose, UnitInput, UnitKind, WaiverKind,
};
use ablework_domain::roles::Permission;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::export::{Downloads, ListFile, NoParams, download};
use crate::i18n::Text;
use crate::pages::{
    app_error_page, district_name, form_session_or_return, id_or_return, session_or_return,
};
use crate::view::{FormError, Layout, Pager, Pairs, all, first, form_errors};

/// Rows on a page of a list.
const PER_PAGE: u32 = 20;

/// The programmes' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programmes", get(overview))
        .route("/programme-units/export", get(download::<UnitsFile>))
        .route(
            "/programme-activities/export",
            get(download::<ActivitiesFile>),
        )
        .route(
            "/programme-units/{id}/people/export",
            get(download::<UnitPeopleFile>),
        )
        .route(
            "/programme-activities/{id}/people/export",
            get(download::<ActivityPeopleFile>),
        )
        .route("/programmes/{code}", get(programme))
        .route("/programmes/{code}/units/new", get(new_unit_form))
        .route("/programmes/{code}/units", post(create_unit))
        .route("/programmes/{code}/pool/new", get(new_pool_form))
        .route("/programmes/{code}/pool", post(create_pool))
        .route(
            "/programmes/{code}/criteria",
            get(criteria_form).post(revise_criteria),
        )
        .route("/programme-units/{id}", get(show_unit))
        .route(
            "/programme-units/{id}/edit",
            get(edit_unit_form).post(edit_unit),
        )
        .route(
            "/programme-units/{id}/activities/new",
            get(new_activity_form),
        )
        .route("/programme-units/{id}/activities", post(create_activity))
        .route("/programme-units/{id}/participants", post(join_unit))
        .route("/programme-activities/{id}", get(show_activity))
        .route(
            "/programme-activities/{id}/participants",
            post(join_activity),
        )
        .route("/programme-activities/{id}/draws", post(draw))
        .route("/programme-participants/{id}", get(show_participant))
        .route("/programme-participants/{id}/progress", post(progress))
        .route("/programme-participants/{id}/placement", post(placement))
}

fn status_code(errors: &[FormError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// The answer to a form posted from a page: on success, to `done` (with
/// `?saved=1` and the anchor the caller gives); on field errors, the page
/// again (`again`) with them; any other error, its page.
async fn answer<T, Again, Fut>(
    ctx: &Ctx,
    result: Result<T, AppError>,
    done: impl FnOnce(&T) -> String,
    again: Again,
) -> Response
where
    Again: FnOnce(Vec<FormError>) -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    match result {
        Ok(value) => Redirect::to(&done(&value)).into_response(),
        Err(AppError::Invalid(fields)) => again(form_errors(&fields, ctx.lang)).await,
        Err(error) => app_error_page(ctx, error),
    }
}

fn not_found(ctx: &Ctx) -> Response {
    app_error_page(ctx, AppError::NotFound)
}

fn join_list(lang: Lang, items: &[&str]) -> String {
    items.join(match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    })
}

fn money(value: Decimal) -> String {
    value.round_dp(2).normalize().to_string()
}

// ---- fields ---------------------------------------------------------------------------

/// One field of a form: what `programme_fields.html` renders.
pub(crate) struct Field {
    name: &'static str,
    label: String,
    hint: String,
    /// `text`, `short`, `area`, `select`, `radios`, `checks`, `check` or
    /// `hidden`.
    kind: &'static str,
    value: String,
    /// (value, label, chosen).
    options: Vec<(String, String, bool)>,
    error: Option<String>,
}

/// Builds a form's fields from what was sent and the errors found.
struct Fields<'a> {
    t: Text,
    sent: &'a Pairs,
    errors: &'a [FormError],
    list: Vec<Field>,
}

impl<'a> Fields<'a> {
    fn new(t: Text, sent: &'a Pairs, errors: &'a [FormError]) -> Self {
        Fields {
            t,
            sent,
            errors,
            list: Vec::new(),
        }
    }

    fn push(&mut self, name: &'static str, label: &str, kind: &'static str) -> &mut Field {
        let error = self
            .errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.clone());
        let value = first(self.sent, name);
        self.list.push(Field {
            name,
            label: label.to_owned(),
            hint: String::new(),
            kind,
            options: Vec::new(),
            value,
            error,
        });
        let last = self.list.len() - 1;
        &mut self.list[last]
    }

    fn text(&mut self, name: &'static str, label_key: &str) -> &mut Field {
        let label = self.t.get(label_key).to_owned();
        self.push(name, &label, "text")
    }

    fn short(&mut self, name: &'static str, label_key: &str) -> &mut Field {
        let label = self.t.get(label_key).to_owned();
        self.push(name, &label, "short")
    }

    fn date(&mut self, name: &'static str, label_key: &str) -> &mut Field {
        let hint = self.t.get("prog.hint.date").to_owned();
        let field = self.short(name, label_key);
        field.hint = hint;
        field
    }

    fn area(&mut self, name: &'static str, label_key: &str) -> &mut Field {
        let label = self.t.get(label_key).to_owned();
        self.push(name, &label, "area")
    }

    fn check(&mut self, name: &'static str, label_key: &str) -> &mut Field {
        let label = self.t.get(label_key).to_owned();
        self.push(name, &label, "check")
    }

    fn hidden(&mut self, name: &'static str, value: &str) {
        let field = self.push(name, "", "hidden");
        value.clone_into(&mut field.value);
    }

    /// A choice among `options` (value, label): a select, or radios.
    fn choice(
        &mut self,
        name: &'static str,
        label_key: &str,
        kind: &'static str,
        options: Vec<(String, String)>,
    ) -> &mut Field {
        let label = self.t.get(label_key).to_owned();
        let chosen = all(self.sent, name);
        let field = self.push(name, &label, kind);
        field.options = options
            .into_iter()
            .map(|(value, label)| {
                let on = chosen.contains(&value);
                (value, label, on)
            })
            .collect();
        field
    }
}

impl Field {
    fn hint(&mut self, hint: &str) -> &mut Field {
        hint.clone_into(&mut self.hint);
        self
    }
}

fn vocabulary<T: Copy>(
    items: &[T],
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    items
        .iter()
        .map(|item| (code(*item).to_owned(), label(*item).to_owned()))
        .collect()
}

fn districts(lang: Lang) -> Vec<(String, String)> {
    crate::job_pages::district_options(lang)
}

/// The sent pairs of an input (for a form shown with a record's values).
fn pairs_of<T: serde::Serialize>(input: &T) -> Pairs {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(input) else {
        return Pairs::new();
    };
    let mut pairs = Pairs::new();
    for (name, value) in map {
        match value {
            serde_json::Value::String(text) => pairs.push((name, text)),
            serde_json::Value::Bool(true) => pairs.push((name, "on".to_owned())),
            serde_json::Value::Array(items) => {
                for item in items {
                    if let serde_json::Value::String(text) = item {
                        pairs.push((name.clone(), text));
                    }
                }
            }
            _ => {}
        }
    }
    pairs
}

fn unit_fields(t: Text, kind: UnitKind, sent: &Pairs, errors: &[FormError]) -> Vec<Field> {
    let lang = t.0;
    let mut f = Fields::new(t, sent, errors);
    f.hidden("kind", kind.code());
    f.text("name", "prog.f.name");
    f.choice("district", "prog.f.district", "select", districts(lang));
    let capacity = f.short("capacity", "prog.f.capacity");
    if !kind.needs_capacity() {
        capacity.hint(t.get("prog.hint.optional"));
    }
    if kind.is_institution() {
        f.choice(
            "accreditation",
            "prog.f.accreditation",
            "select",
            vocabulary(Accreditation::ALL, Accreditation::code, |a| a.label(lang)),
        );
        f.date("accredited_on", "prog.f.accredited_on");
    }
    if kind == UnitKind::TrainingBase {
        f.check("compliant", "prog.f.compliant");
        f.date("reviewed_on", "prog.f.reviewed_on");
    }
    if kind == UnitKind::SunshineWorkshop {
        f.check("pilot", "prog.f.pilot");
    }
    if kind == UnitKind::LeadingEnterprise {
        f.choice(
            "sector",
            "prog.f.sector",
            "select",
            vocabulary(Sector::ALL, Sector::code, |s| s.label(lang)),
        );
    }
    if matches!(
        kind.programme(),
        Programme::Auxiliary | Programme::Rural | Programme::Platforms
    ) {
        f.area("brands", "prog.f.brands")
            .hint(t.get("prog.hint.brands"));
    }
    f.area("note", "prog.f.note");
    f.list
}

fn limit_label(kind: ActivityKind) -> &'static str {
    match (kind.limit(), kind) {
        (Limit::Quantity, _) => "prog.f.limit.volume",
        (_, ActivityKind::Contract) => "prog.f.limit.contract",
        _ => "prog.f.limit.budget",
    }
}

fn scope_label(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::LabourProject => "prog.f.scope.work",
        ActivityKind::Contract => "prog.f.scope.contract",
        _ => "prog.f.scope.purpose",
    }
}

fn activity_fields(
    t: Text,
    kinds: &[ActivityKind],
    pooled: bool,
    sent: &Pairs,
    errors: &[FormError],
) -> Vec<Field> {
    let lang = t.0;
    let mut f = Fields::new(t, sent, errors);
    let kind = if let [only] = kinds {
        f.hidden("kind", only.code());
        *only
    } else {
        let options = kinds
            .iter()
            .map(|k| (k.code().to_owned(), k.label(lang).to_owned()))
            .collect();
        f.choice("kind", "prog.f.kind", "radios", options);
        ActivityKind::from_code(&first(sent, "kind")).unwrap_or(kinds[0])
    };
    f.text("title", "prog.f.title");
    if pooled {
        f.choice("district", "prog.f.district", "select", districts(lang));
    }
    f.date("starts_on", "prog.f.starts_on");
    f.date("ends_on", "prog.f.ends_on")
        .hint(t.get("prog.hint.optional_date"));
    if kind == ActivityKind::Course {
        f.short("capacity", "prog.f.course_capacity");
        f.choice(
            "occupation",
            "prog.f.occupation",
            "select",
            SubMajorGroup::ALL
                .iter()
                .map(|g| {
                    (
                        g.code().to_owned(),
                        format!("{} {}", g.code(), g.label(lang)),
                    )
                })
                .collect(),
        );
        f.choice(
            "mode",
            "prog.f.mode",
            "radios",
            vocabulary(
                ablework_domain::programme::TrainingMode::ALL,
                ablework_domain::programme::TrainingMode::code,
                |m| m.label(lang),
            ),
        );
        f.area("schedule", "prog.f.schedule");
        f.choice(
            "provisions",
            "prog.f.provisions",
            "checks",
            vocabulary(AccessNeed::ALL, AccessNeed::code, |n| n.label(lang)),
        );
    } else {
        let limit = f.short("limit", limit_label(kind));
        if kind == ActivityKind::WaiverScheme {
            limit.hint(t.get("prog.hint.optional"));
        }
    }
    if kind == ActivityKind::LabourProject {
        f.short("unit_price", "prog.f.unit_price");
        f.choice(
            "source_kind",
            "prog.f.source_kind",
            "select",
            vocabulary(SourceKind::ALL, SourceKind::code, |s| s.label(lang)),
        );
        f.text("source_name", "prog.f.source_name");
    }
    if kind != ActivityKind::Course {
        f.area("scope", scope_label(kind));
    }
    f.list
}

fn join_fields(
    t: Text,
    roles: &[Role],
    rural: bool,
    contract: bool,
    sent: &Pairs,
    errors: &[FormError],
) -> Vec<Field> {
    let lang = t.0;
    let mut f = Fields::new(t, sent, errors);
    f.text("id_number", "prog.f.id_number")
        .hint(t.get("prog.hint.id_number"));
    f.text("name", "prog.f.person_name");
    match roles {
        [] => {}
        [only] => f.hidden("role", only.code()),
        _ => {
            f.choice(
                "role",
                "prog.f.role",
                "radios",
                vocabulary(roles, Role::code, |r| r.label(lang)),
            );
        }
    }
    f.date("joined_on", "prog.f.joined_on");
    if !contract && roles.iter().any(|r| r.may_place()) {
        f.short("monthly_income", "prog.f.monthly_income")
            .hint(t.get("prog.hint.optional"));
    }
    if rural {
        f.short("income_before", "prog.f.income_before")
            .hint(t.get("prog.hint.optional"));
    }
    if contract {
        f.short("service_id", "prog.f.service_id")
            .hint(t.get("prog.hint.service_id"));
    }
    f.list
}

fn draw_fields(
    t: Text,
    kind: ActivityKind,
    targets: &[UnitRecord],
    sent: &Pairs,
    errors: &[FormError],
) -> Vec<Field> {
    let lang = t.0;
    let mut f = Fields::new(t, sent, errors);
    match kind.draws() {
        Some(DrawTarget::Unit(_)) => {
            let options = targets
                .iter()
                .map(|u| {
                    (
                        u.id.to_string(),
                        format!(
                            "{}（{}）",
                            u.fields.name,
                            district_name(&u.fields.district_code, lang)
                        ),
                    )
                })
                .collect();
            f.choice("unit_id", "prog.f.to_unit", "select", options);
        }
        Some(DrawTarget::Person) => {
            f.text("id_number", "prog.f.id_number")
                .hint(t.get("prog.hint.id_number"));
            f.text("name", "prog.f.person_name");
        }
        _ => {}
    }
    f.short(
        "amount",
        if kind.limit() == Limit::Quantity {
            "prog.f.quantity"
        } else {
            "prog.f.amount"
        },
    );
    f.date("on_date", "prog.f.on_date");
    match kind {
        ActivityKind::SupportScheme => {
            f.choice(
                "purpose",
                "prog.f.purpose",
                "radios",
                vocabulary(SupportPurpose::ALL, SupportPurpose::code, |p| p.label(lang)),
            );
        }
        ActivityKind::WaiverScheme => {
            f.choice(
                "purpose",
                "prog.f.waiver_kind",
                "radios",
                vocabulary(WaiverKind::ALL, WaiverKind::code, |w| w.label(lang)),
            );
            f.date("until", "prog.f.until");
        }
        _ => {}
    }
    f.area(
        "note",
        if kind == ActivityKind::Contract {
            "prog.f.deliverable"
        } else {
            "prog.f.note"
        },
    );
    f.list
}

fn progress_fields(t: Text, role: Role, sent: &Pairs, errors: &[FormError]) -> Vec<Field> {
    let lang = t.0;
    let mut f = Fields::new(t, sent, errors);
    let statuses: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(|s| *s != Status::Completed || role == Role::Trainee)
        .collect();
    f.choice(
        "status",
        "prog.f.status",
        "radios",
        vocabulary(&statuses, Status::code, |s| s.label(lang)),
    );
    f.date("ended_on", "prog.f.ended_on")
        .hint(t.get("prog.hint.ended_on"));
    if role == Role::Trainee {
        f.short("sessions_attended", "prog.f.sessions_attended")
            .hint(t.get("prog.hint.optional"));
        f.text("certificate", "prog.f.certificate")
            .hint(t.get("prog.hint.optional"));
    } else {
        f.short("monthly_income", "prog.f.monthly_income")
            .hint(t.get("prog.hint.optional"));
    }
    f.list
}

fn placement_fields(
    t: Text,
    deadline: Option<String>,
    sent: &Pairs,
    errors: &[FormError],
) -> Vec<Field> {
    let lang = t.0;
    let mut f = Fields::new(t, sent, errors);
    let started = f.date("started_on", "prog.f.started_on");
    if let Some(deadline) = deadline {
        started.hint = format!("{} {deadline}", t.get("prog.hint.placement_deadline"));
    }
    f.choice(
        "form",
        "prog.f.form",
        "select",
        vocabulary(EmploymentForm::ALL, EmploymentForm::code, |e| e.label(lang)),
    );
    f.short("monthly_wage", "prog.f.monthly_wage")
        .hint(t.get("prog.hint.optional"));
    f.list
}

// ---- the form page ----------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "programme_form.html")]
struct FormPage {
    layout: Layout,
    errors: Vec<FormError>,
    back: String,
    lead: String,
    method: &'static str,
    action: String,
    fields: Vec<Field>,
    submit: String,
}

struct FormSpec {
    title: String,
    lead: String,
    back: String,
    method: &'static str,
    action: String,
    submit: &'static str,
}

fn form_page(ctx: &Ctx, spec: FormSpec, fields: Vec<Field>, errors: Vec<FormError>) -> Response {
    let t = ctx.text();
    let code = status_code(&errors);
    let page = FormPage {
        layout: Layout::new(ctx, spec.title),
        errors,
        back: spec.back,
        lead: spec.lead,
        method: spec.method,
        action: spec.action,
        fields,
        submit: t.get(spec.submit).to_owned(),
    };
    (code, page).into_response()
}

fn programme_or_404(ctx: &Ctx, code: &str) -> Result<Programme, Response> {
    Programme::from_code(code).ok_or_else(|| not_found(ctx))
}

// ---- the overview -----------------------------------------------------------------------

struct FigureLine {
    code: &'static str,
    name: &'static str,
    measure: &'static str,
    units: u32,
    activities: u32,
    participants: u32,
    placed: u32,
    money: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "programmes.html")]
struct OverviewPage {
    layout: Layout,
    rows: Vec<FigureLine>,
    own_unit: Option<i64>,
    can_progress: bool,
}

async fn overview(State(state): State<AppState>, ctx: Ctx) -> Response {
    let session = session_or_return!(ctx);
    let actor = &session.actor;
    let lang = ctx.lang;
    let figures = match state.app.programme_figures(actor).await {
        Ok(figures) => figures,
        Err(error) => return app_error_page(&ctx, error),
    };
    let rows = figures
        .into_iter()
        .map(|(p, f)| FigureLine {
            code: p.code(),
            name: p.label(lang),
            measure: p.measure().label(lang),
            units: f.units,
            activities: f.activities,
            participants: f.participants,
            placed: f.placed,
            money: money(f.money_drawn),
        })
        .collect();
    let own_unit = match actor.programme_scope() {
        ablework_app::programmes::ProgrammeScope::Unit(id) => Some(id),
        _ => None,
    };
    OverviewPage {
        layout: Layout::new(&ctx, ctx.text().get("prog.title")),
        rows,
        own_unit,
        can_progress: actor.role.permits(Permission::ProgressRead),
    }
    .into_response()
}

// ---- a programme's lists ---------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
struct ListParams {
    view: Option<String>,
    kind: Option<String>,
    district: Option<String>,
    q: Option<String>,
    page: Option<String>,
}

struct UnitLine {
    id: i64,
    name: String,
    kind: &'static str,
    district: String,
    capacity: String,
    activities: u32,
    participants: u32,
}

struct ActivityLine {
    id: i64,
    title: String,
    kind: &'static str,
    unit: String,
    district: String,
    period: String,
    people: String,
    limit: String,
    drawn: String,
    remaining: String,
}

fn period(record: &ActivityRecord) -> String {
    match record.fields.ends_on {
        Some(end) => format!("{} – {end}", record.fields.starts_on),
        None => record.fields.starts_on.to_string(),
    }
}

fn activity_line(record: &ActivityRecord, lang: Lang) -> ActivityLine {
    let fields = &record.fields;
    ActivityLine {
        id: record.id,
        title: fields.title.clone(),
        kind: fields.kind.label(lang),
        unit: record.unit_name.clone().unwrap_or_default(),
        district: district_name(&fields.district_code, lang),
        period: period(record),
        people: match fields.capacity {
            Some(capacity) => format!("{} / {capacity}", record.participants),
            None => record.participants.to_string(),
        },
        limit: fields.limit.map(money).unwrap_or_default(),
        drawn: money(record.drawn),
        remaining: record.remaining().map(money).unwrap_or_default(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "programme.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's switches: each flag shows one part of the page"
)]
struct ProgrammePage {
    layout: Layout,
    code: &'static str,
    measure: &'static str,
    view: &'static str,
    tabs: Vec<(&'static str, String, bool)>,
    can_manage: bool,
    has_pool: bool,
    is_rural: bool,
    filtered: bool,
    kinds: Vec<(String, String)>,
    kind: String,
    districts: Vec<(String, String)>,
    district: String,
    q: String,
    total: u64,
    units: Vec<UnitLine>,
    caption: String,
    activities: Vec<ActivityLine>,
    downloads: Option<Downloads>,
    pager: Pager,
}

#[expect(
    clippy::too_many_lines,
    reason = "one handler for the three lists of a programme, which share the filters and pager"
)]
async fn programme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(params): Query<ListParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let actor = &session.actor;
    let programme = match programme_or_404(&ctx, &code) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let t = ctx.text();
    let lang = ctx.lang;
    let has_pool = !programme.pooled_activities().is_empty();
    let view: &'static str = match params.view.as_deref() {
        Some("pool") if has_pool => "pool",
        Some("activities") => "activities",
        _ => "units",
    };
    let query = ProgrammeQuery {
        kind: params.kind.clone().unwrap_or_default(),
        district: params.district.clone().unwrap_or_default(),
        search: params.q.clone().unwrap_or_default(),
        page: params
            .page
            .as_deref()
            .and_then(|p| p.parse().ok())
            .unwrap_or(1_u32)
            .max(1),
        per_page: PER_PAGE,
    };
    let (kinds, page_no, per_page, total, units, activities, district, search) = if view == "units"
    {
        match state.app.programme_units(actor, programme, &query).await {
            Ok((filter, page)) => (
                programme
                    .unit_kinds()
                    .iter()
                    .map(|k| (k.code().to_owned(), k.label(lang).to_owned()))
                    .collect::<Vec<_>>(),
                filter.page,
                filter.per_page,
                page.total,
                page.items
                    .iter()
                    .map(|u| UnitLine {
                        id: u.id,
                        name: u.fields.name.clone(),
                        kind: u.fields.kind.label(lang),
                        district: district_name(&u.fields.district_code, lang),
                        capacity: u.fields.capacity.map(|c| c.to_string()).unwrap_or_default(),
                        activities: u.activities,
                        participants: u.participants,
                    })
                    .collect(),
                Vec::new(),
                filter.district_code.unwrap_or_default(),
                filter.search.unwrap_or_default(),
            ),
            Err(error) => return app_error_page(&ctx, error),
        }
    } else {
        let pooled = view == "pool";
        match state
            .app
            .programme_activities(actor, programme, pooled, &query)
            .await
        {
            Ok((filter, page)) => (
                ActivityKind::ALL
                    .iter()
                    .filter(|k| k.programme() == programme && k.pooled() == pooled)
                    .map(|k| (k.code().to_owned(), k.label(lang).to_owned()))
                    .collect(),
                filter.page,
                filter.per_page,
                page.total,
                Vec::new(),
                page.items.iter().map(|a| activity_line(a, lang)).collect(),
                filter.district_code.unwrap_or_default(),
                filter.search.unwrap_or_default(),
            ),
            Err(error) => return app_error_page(&ctx, error),
        }
    };
    let kind = params.kind.clone().unwrap_or_default();
    let kind = if kinds.iter().any(|(c, _)| *c == kind) {
        kind
    } else {
        String::new()
    };
    let path = format!("/programmes/{}", programme.code());
    let pager = Pager::new(
        &path,
        &[
            ("view", view.to_owned()),
            ("kind", kind.clone()),
            ("district", district.clone()),
            ("q", search.clone()),
        ],
        page_no,
        per_page,
        total,
    );
    let downloads = Downloads::offered::<ProgrammeList>(
        actor,
        if view == "units" {
            "/programme-units/export"
        } else {
            "/programme-activities/export"
        },
        &[
            ("programme", programme.code().to_owned()),
            ("view", view.to_owned()),
            ("kind", kind.clone()),
            ("district", district.clone()),
            ("q", search.clone()),
        ],
    )
    .filter(|_| total > 0);
    let mut tabs = vec![("units", t.get("prog.tab.units").to_owned(), view == "units")];
    if has_pool {
        tabs.push(("pool", t.get("prog.tab.pool").to_owned(), view == "pool"));
    }
    tabs.push((
        "activities",
        t.get("prog.tab.activities").to_owned(),
        view == "activities",
    ));
    ProgrammePage {
        layout: Layout::new(&ctx, programme.label(lang)),
        code: programme.code(),
        measure: programme.measure().label(lang),
        view,
        tabs,
        can_manage: actor.role.permits(Permission::ProgrammeManage)
            && !matches!(
                actor.programme_scope(),
                ablework_app::programmes::ProgrammeScope::Unit(_)
            ),
        has_pool,
        is_rural: programme == Programme::Rural,
        filtered: !kind.is_empty() || !district.is_empty() || !search.is_empty(),
        kinds,
        kind,
        districts: districts(lang),
        district,
        q: search,
        total,
        units,
        caption: t
            .get(if view == "pool" {
                "prog.tab.pool"
            } else {
                "prog.tab.activities"
            })
            .to_owned(),
        activities,
        downloads,
        pager,
    }
    .into_response()
}

// ---- units ---------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
struct KindParam {
    kind: Option<String>,
}

async fn new_unit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(param): Query<KindParam>,
) -> Response {
    let session = session_or_return!(ctx);
    let programme = match programme_or_404(&ctx, &code) {
        Ok(p) => p,
        Err(response) => return response,
    };
    if let Err(error) = state
        .app
        .authorize(&session.actor, Permission::ProgrammeManage)
    {
        return app_error_page(&ctx, error);
    }
    let kind = param
        .kind
        .as_deref()
        .and_then(UnitKind::from_code)
        .filter(|k| k.programme() == programme);
    let kinds = programme.unit_kinds();
    let kind = kind.or(match kinds.as_slice() {
        [only] => Some(*only),
        _ => None,
    });
    unit_form(&ctx, programme, kind, &Pairs::new(), Vec::new())
}

/// The unit form: first the kind (one question), then the kind's fields.
fn unit_form(
    ctx: &Ctx,
    programme: Programme,
    kind: Option<UnitKind>,
    sent: &Pairs,
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let back = format!("/programmes/{}", programme.code());
    match kind {
        None => {
            let mut f = Fields::new(t, sent, &errors);
            f.choice(
                "kind",
                "prog.f.unit_kind",
                "radios",
                programme
                    .unit_kinds()
                    .iter()
                    .map(|k| (k.code().to_owned(), k.label(lang).to_owned()))
                    .collect(),
            );
            let fields = f.list;
            form_page(
                ctx,
                FormSpec {
                    title: t.get("prog.unit.new").to_owned(),
                    lead: programme.label(lang).to_owned(),
                    action: format!("/programmes/{}/units/new", programme.code()),
                    back,
                    method: "get",
                    submit: "form.continue",
                },
                fields,
                errors,
            )
        }
        Some(kind) => {
            let fields = unit_fields(t, kind, sent, &errors);
            form_page(
                ctx,
                FormSpec {
                    title: format!("{}：{}", t.get("prog.unit.new"), kind.label(lang)),
                    lead: programme.label(lang).to_owned(),
                    action: format!("/programmes/{}/units", programme.code()),
                    back,
                    method: "post",
                    submit: "form.save",
                },
                fields,
                errors,
            )
        }
    }
}

fn unit_input(pairs: &Pairs) -> UnitInput {
    UnitInput {
        kind: first(pairs, "kind"),
        name: first(pairs, "name"),
        district: first(pairs, "district"),
        capacity: first(pairs, "capacity"),
        accreditation: first(pairs, "accreditation"),
        accredited_on: first(pairs, "accredited_on"),
        compliant: first(pairs, "compliant") == "on",
        reviewed_on: first(pairs, "reviewed_on"),
        pilot: first(pairs, "pilot") == "on",
        sector: first(pairs, "sector"),
        brands: first(pairs, "brands"),
        note: first(pairs, "note"),
    }
}

async fn create_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let programme = match programme_or_404(&ctx, &code) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let input = unit_input(&pairs);
    let result = state
        .app
        .create_unit(&session.actor, programme, &input)
        .await;
    let kind = UnitKind::from_code(&input.kind).filter(|k| k.programme() == programme);
    answer(
        &ctx,
        result,
        |unit| format!("/programme-units/{}?saved=1", unit.id),
        |errors| async { unit_form(&ctx, programme, kind, &pairs, errors) },
    )
    .await
}

async fn edit_unit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    if let Err(error) = state
        .app
        .authorize(&session.actor, Permission::ProgrammeManage)
    {
        return app_error_page(&ctx, error);
    }
    match state.app.unit(&session.actor, id).await {
        Ok(unit) => edit_page(&ctx, &unit, &pairs_of(&unit.fields.to_input()), Vec::new()),
        Err(error) => app_error_page(&ctx, error),
    }
}

fn edit_page(ctx: &Ctx, unit: &UnitRecord, sent: &Pairs, errors: Vec<FormError>) -> Response {
    let t = ctx.text();
    let fields = unit_fields(t, unit.fields.kind, sent, &errors);
    form_page(
        ctx,
        FormSpec {
            title: format!("{}：{}", t.get("prog.unit.edit"), unit.fields.name),
            lead: unit.fields.kind.label(ctx.lang).to_owned(),
            back: format!("/programme-units/{}", unit.id),
            method: "post",
            action: format!("/programme-units/{}/edit", unit.id),
            submit: "form.save",
        },
        fields,
        errors,
    )
}

async fn edit_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let input = unit_input(&pairs);
    let result = state.app.update_unit(&session.actor, id, &input).await;
    answer(
        &ctx,
        result,
        |unit| format!("/programme-units/{}?saved=1", unit.id),
        |errors| async {
            match state.app.unit(&session.actor, id).await {
                Ok(unit) => edit_page(&ctx, &unit, &pairs, errors),
                Err(error) => app_error_page(&ctx, error),
            }
        },
    )
    .await
}

/// The downloads of a page's people (`base`: the unit's or activity's
/// page), for readers who may export people, when there are any.
fn people_downloads(ctx: &Ctx, base: &str, people: &[ParticipantView]) -> Option<Downloads> {
    let actor = &ctx.session.as_ref()?.actor;
    if people.is_empty() {
        return None;
    }
    Downloads::offered::<ProgrammePeople>(actor, &format!("{base}/people/export"), &[])
}

struct PersonLine {
    id: i64,
    name: String,
    person_href: Option<String>,
    role: &'static str,
    status: &'static str,
    joined_on: String,
    ended_on: String,
    income: String,
    certificate: String,
    placed_on: String,
}

fn person_lines(views: &[ParticipantView], lang: Lang) -> Vec<PersonLine> {
    views
        .iter()
        .map(|v| {
            let r = &v.record;
            PersonLine {
                id: r.id,
                name: v.name_masked.clone(),
                person_href: v.linked.then(|| format!("/persons/{}", r.person_id)),
                role: r.role.label(lang),
                status: r.status.label(lang),
                joined_on: r.joined_on.to_string(),
                ended_on: r.ended_on.map(|d| d.to_string()).unwrap_or_default(),
                income: r.monthly_income.map(money).unwrap_or_default(),
                certificate: r.certificate.clone().unwrap_or_default(),
                placed_on: r.placed_on.map(|d| d.to_string()).unwrap_or_default(),
            }
        })
        .collect()
}

struct DrawLine {
    activity_id: i64,
    activity: String,
    to: String,
    amount: String,
    on_date: String,
    purpose: String,
    note: String,
}

fn draw_lines(views: &[DrawView], lang: Lang) -> Vec<DrawLine> {
    views
        .iter()
        .map(|v| {
            let r = &v.record;
            let purpose = r.purpose.as_deref().map_or_else(String::new, |code| {
                SupportPurpose::from_code(code)
                    .map(|p| p.label(lang))
                    .or_else(|| WaiverKind::from_code(code).map(|w| w.label(lang)))
                    .unwrap_or(code)
                    .to_owned()
            });
            let to = r
                .unit_name
                .clone()
                .or_else(|| v.name_masked.clone())
                .unwrap_or_default();
            let on_date = match r.until {
                Some(until) => format!("{} – {until}", r.on_date),
                None => r.on_date.to_string(),
            };
            DrawLine {
                activity_id: r.activity_id,
                activity: r.activity_title.clone(),
                to,
                amount: money(r.amount),
                on_date,
                purpose,
                note: r.note.clone().unwrap_or_default(),
            }
        })
        .collect()
}

fn unit_facts(t: Text, lang: Lang, unit: &UnitRecord) -> Vec<(String, String)> {
    let u = &unit.fields;
    let mut facts = vec![
        (
            t.get("prog.f.unit_kind").to_owned(),
            u.kind.label(lang).to_owned(),
        ),
        (
            t.get("prog.programme").to_owned(),
            u.programme().label(lang).to_owned(),
        ),
        (
            t.get("prog.f.district").to_owned(),
            district_name(&u.district_code, lang),
        ),
    ];
    if let Some(capacity) = u.capacity {
        facts.push((t.get("prog.f.capacity").to_owned(), capacity.to_string()));
    }
    if let Some((status, on)) = u.accreditation {
        let value = match on {
            Some(on) => format!("{}（{on}）", status.label(lang)),
            None => status.label(lang).to_owned(),
        };
        facts.push((t.get("prog.f.accreditation").to_owned(), value));
    }
    if u.kind == UnitKind::TrainingBase {
        facts.push((
            t.get("prog.f.compliant").to_owned(),
            t.get(if u.compliant { "jobs.yes" } else { "jobs.no" })
                .to_owned(),
        ));
        facts.push((
            t.get("prog.f.reviewed_on").to_owned(),
            u.reviewed_on
                .map_or_else(|| t.get("prog.none").to_owned(), |d| d.to_string()),
        ));
    }
    if u.kind == UnitKind::SunshineWorkshop {
        facts.push((
            t.get("prog.f.pilot").to_owned(),
            t.get(if u.pilot { "jobs.yes" } else { "jobs.no" })
                .to_owned(),
        ));
    }
    if let Some(sector) = u.sector {
        facts.push((
            t.get("prog.f.sector").to_owned(),
            sector.label(lang).to_owned(),
        ));
    }
    if !u.brands.is_empty() {
        let brands: Vec<&str> = u.brands.iter().map(String::as_str).collect();
        facts.push((t.get("prog.f.brands").to_owned(), join_list(lang, &brands)));
    }
    if let Some(note) = &u.note {
        facts.push((t.get("prog.f.note").to_owned(), note.clone()));
    }
    facts
}

struct CriterionLine {
    label: &'static str,
    required: String,
    actual: String,
    met: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme_unit.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's switches: each flag shows one part of the page"
)]
struct UnitPage {
    layout: Layout,
    errors: Vec<FormError>,
    saved: bool,
    id: i64,
    programme: &'static str,
    programme_name: &'static str,
    facts: Vec<(String, String)>,
    review_due: bool,
    can_manage: bool,
    can_add_activity: bool,
    takes_people: bool,
    receives: bool,
    criteria_version: u32,
    criteria: Vec<CriterionLine>,
    caption: String,
    activities: Vec<ActivityLine>,
    people: Vec<PersonLine>,
    draws_caption: String,
    draws: Vec<DrawLine>,
    downloads: Option<Downloads>,
    fields: Vec<Field>,
}

fn criterion_label(code: &str) -> &'static str {
    match code {
        "employed" => "prog.criteria.employed",
        "helped" => "prog.criteria.helped",
        "trained" => "prog.criteria.trained",
        _ => "prog.criteria.income_gain",
    }
}

fn unit_page(ctx: &Ctx, view: &UnitView, sent: &Pairs, errors: Vec<FormError>) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let unit = &view.record;
    let kind = unit.fields.kind;
    let roles = kind.roles();
    let rural = kind.programme() == Programme::Rural;
    let fields = join_fields(t, roles, rural, false, sent, &errors);
    let (criteria_version, criteria) = match &view.criteria {
        Some((criteria, assessed)) => (
            criteria.version,
            assessed
                .iter()
                .map(|c| CriterionLine {
                    label: t.get(criterion_label(c.code)),
                    required: money(c.required),
                    actual: money(c.actual),
                    met: c.met,
                })
                .collect(),
        ),
        None => (0, Vec::new()),
    };
    let code = status_code(&errors);
    let page = UnitPage {
        layout: Layout::new(ctx, unit.fields.name.clone()),
        errors,
        saved: ctx.query_without_lang.contains("saved=1"),
        id: unit.id,
        programme: kind.programme().code(),
        programme_name: kind.programme().label(lang),
        facts: unit_facts(t, lang, unit),
        review_due: view.review_due,
        can_manage: view.can_manage,
        can_add_activity: view.can_write && !kind.activities().is_empty(),
        takes_people: view.can_write && !roles.is_empty(),
        receives: !view.received.is_empty() || matches!(kind, UnitKind::Workshop) || rural,
        criteria_version,
        criteria,
        caption: t.get("prog.activities").to_owned(),
        activities: view
            .activities
            .iter()
            .map(|a| activity_line(a, lang))
            .collect(),
        people: person_lines(&view.participants, lang),
        draws_caption: t.get("prog.received").to_owned(),
        draws: draw_lines(&view.received, lang),
        downloads: people_downloads(
            ctx,
            &format!("/programme-units/{}", unit.id),
            &view.participants,
        ),
        fields,
    };
    (code, page).into_response()
}

async fn unit_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    sent: &Pairs,
    errors: Vec<FormError>,
) -> Response {
    let session = session_or_return!(ctx);
    match state.app.unit_view(&session.actor, id).await {
        Ok(view) => unit_page(ctx, &view, sent, errors),
        Err(error) => app_error_page(ctx, error),
    }
}

async fn show_unit(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let id = id_or_return!(ctx, id);
    unit_with(&state, &ctx, id, &Pairs::new(), Vec::new()).await
}

fn join_input(pairs: &Pairs) -> JoinInput {
    JoinInput {
        id_number: first(pairs, "id_number"),
        name: first(pairs, "name"),
        role: first(pairs, "role"),
        joined_on: first(pairs, "joined_on"),
        monthly_income: first(pairs, "monthly_income"),
        income_before: first(pairs, "income_before"),
        service_id: first(pairs, "service_id"),
    }
}

async fn join_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let result = state
        .app
        .join_programme(&session.actor, id, None, &join_input(&pairs))
        .await;
    answer(
        &ctx,
        result,
        |_| format!("/programme-units/{id}?saved=1#people"),
        |errors| unit_with(&state, &ctx, id, &pairs, errors),
    )
    .await
}

// ---- activities ---------------------------------------------------------------------------

fn activity_input(pairs: &Pairs) -> ActivityInput {
    ActivityInput {
        kind: first(pairs, "kind"),
        title: first(pairs, "title"),
        district: first(pairs, "district"),
        starts_on: first(pairs, "starts_on"),
        ends_on: first(pairs, "ends_on"),
        capacity: first(pairs, "capacity"),
        limit: first(pairs, "limit"),
        unit_price: first(pairs, "unit_price"),
        occupation: first(pairs, "occupation"),
        mode: first(pairs, "mode"),
        schedule: first(pairs, "schedule"),
        provisions: all(pairs, "provisions"),
        source_kind: first(pairs, "source_kind"),
        source_name: first(pairs, "source_name"),
        scope: first(pairs, "scope"),
    }
}

fn activity_form(
    ctx: &Ctx,
    unit: Option<&UnitRecord>,
    programme: Programme,
    sent: &Pairs,
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let (kinds, back, action, lead) = match unit {
        Some(unit) => (
            unit.fields.kind.activities().to_vec(),
            format!("/programme-units/{}", unit.id),
            format!("/programme-units/{}/activities", unit.id),
            unit.fields.name.clone(),
        ),
        None => (
            programme.pooled_activities(),
            format!("/programmes/{}?view=pool", programme.code()),
            format!("/programmes/{}/pool", programme.code()),
            t.get("prog.pool.lead").to_owned(),
        ),
    };
    if kinds.is_empty() {
        return not_found(ctx);
    }
    let title = match kinds.as_slice() {
        [only] => format!("{}：{}", t.get("prog.activity.new"), only.label(lang)),
        _ => t.get("prog.activity.new").to_owned(),
    };
    let fields = activity_fields(t, &kinds, unit.is_none(), sent, &errors);
    form_page(
        ctx,
        FormSpec {
            title,
            lead,
            back,
            method: "post",
            action,
            submit: "form.save",
        },
        fields,
        errors,
    )
}

async fn new_activity_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    if let Err(error) = state
        .app
        .authorize(&session.actor, Permission::ProgrammeWrite)
    {
        return app_error_page(&ctx, error);
    }
    match state.app.unit(&session.actor, id).await {
        Ok(unit) => activity_form(
            &ctx,
            Some(&unit),
            unit.fields.programme(),
            &Pairs::new(),
            Vec::new(),
        ),
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn create_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let unit = match state.app.unit(&session.actor, id).await {
        Ok(unit) => unit,
        Err(error) => return app_error_page(&ctx, error),
    };
    let programme = unit.fields.programme();
    let result = state
        .app
        .create_activity(&session.actor, programme, Some(id), &activity_input(&pairs))
        .await;
    answer(
        &ctx,
        result,
        |activity| format!("/programme-activities/{}?saved=1", activity.id),
        |errors| async { activity_form(&ctx, Some(&unit), programme, &pairs, errors) },
    )
    .await
}

async fn new_pool_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Response {
    let session = session_or_return!(ctx);
    let programme = match programme_or_404(&ctx, &code) {
        Ok(p) => p,
        Err(response) => return response,
    };
    if let Err(error) = state
        .app
        .authorize(&session.actor, Permission::ProgrammeManage)
    {
        return app_error_page(&ctx, error);
    }
    activity_form(&ctx, None, programme, &Pairs::new(), Vec::new())
}

async fn create_pool(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let programme = match programme_or_404(&ctx, &code) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let result = state
        .app
        .create_activity(&session.actor, programme, None, &activity_input(&pairs))
        .await;
    answer(
        &ctx,
        result,
        |activity| format!("/programme-activities/{}?saved=1", activity.id),
        |errors| async { activity_form(&ctx, None, programme, &pairs, errors) },
    )
    .await
}

fn activity_facts(t: Text, lang: Lang, view: &ActivityView) -> Vec<(String, String)> {
    let record = &view.record;
    let a = &record.fields;
    let mut facts = vec![
        (
            t.get("prog.f.kind").to_owned(),
            a.kind.label(lang).to_owned(),
        ),
        (
            t.get("prog.f.unit").to_owned(),
            view.unit.as_ref().map_or_else(
                || t.get("prog.pool.name").to_owned(),
                |u| u.fields.name.clone(),
            ),
        ),
        (
            t.get("prog.f.district").to_owned(),
            district_name(&a.district_code, lang),
        ),
        (t.get("prog.f.period").to_owned(), period(record)),
    ];
    if let Some(capacity) = a.capacity {
        facts.push((
            t.get("prog.f.course_capacity").to_owned(),
            format!("{} / {capacity}", record.participants),
        ));
    }
    if let Some(occupation) = a.occupation {
        facts.push((
            t.get("prog.f.occupation").to_owned(),
            format!("{} {}", occupation.code(), occupation.label(lang)),
        ));
    }
    if let Some(mode) = a.mode {
        facts.push((t.get("prog.f.mode").to_owned(), mode.label(lang).to_owned()));
    }
    if let Some(schedule) = &a.schedule {
        facts.push((t.get("prog.f.schedule").to_owned(), schedule.clone()));
    }
    if a.kind == ActivityKind::Course {
        let provisions: Vec<&str> = a.provisions.iter().map(|p| p.label(lang)).collect();
        facts.push((
            t.get("prog.f.provisions").to_owned(),
            if provisions.is_empty() {
                t.get("prog.none").to_owned()
            } else {
                join_list(lang, &provisions)
            },
        ));
    }
    if let Some((kind, name)) = &a.source {
        facts.push((
            t.get("prog.f.source_name").to_owned(),
            format!("{}（{}）", name, kind.label(lang)),
        ));
    }
    if let Some(price) = a.unit_price {
        facts.push((t.get("prog.f.unit_price").to_owned(), money(price)));
    }
    if let Some(scope) = &a.scope {
        facts.push((t.get(scope_label(a.kind)).to_owned(), scope.clone()));
    }
    if let Some(limit) = a.limit {
        facts.push((t.get(limit_label(a.kind)).to_owned(), money(limit)));
        facts.push((t.get("prog.drawn").to_owned(), money(record.drawn)));
        facts.push((
            t.get("prog.remaining").to_owned(),
            money(limit - record.drawn),
        ));
    }
    facts
}

/// The heading of an activity's draws.
fn draws_caption(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::LabourProject => "prog.draws.allocations",
        ActivityKind::SupportScheme => "prog.draws.support",
        ActivityKind::WaiverScheme => "prog.draws.waivers",
        ActivityKind::Contract => "prog.draws.payments",
        _ => "prog.draws.disbursements",
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "programme_activity.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's switches: each flag shows one part of the page"
)]
struct ActivityPage {
    layout: Layout,
    errors: Vec<FormError>,
    saved: bool,
    id: i64,
    back: String,
    back_label: String,
    facts: Vec<(String, String)>,
    results: Vec<(&'static str, u32)>,
    takes_people: bool,
    can_write: bool,
    draws_allowed: bool,
    people: Vec<PersonLine>,
    draws_caption: String,
    draws: Vec<DrawLine>,
    downloads: Option<Downloads>,
    join_fields: Vec<Field>,
    draw_fields: Vec<Field>,
}

fn activity_page(
    ctx: &Ctx,
    view: &ActivityView,
    form: &str,
    sent: &Pairs,
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let record = &view.record;
    let kind = record.fields.kind;
    let empty = Pairs::new();
    let (join_sent, draw_sent) = if form == "join" {
        (sent, &empty)
    } else {
        (&empty, sent)
    };
    let join = join_fields(
        t,
        &[],
        false,
        kind == ActivityKind::Contract,
        join_sent,
        if form == "join" { &errors } else { &[] },
    );
    let fields = draw_fields(
        t,
        kind,
        &view.targets,
        draw_sent,
        if form == "draw" { &errors } else { &[] },
    );
    let (back, back_label) = match &view.unit {
        Some(unit) => (
            format!("/programme-units/{}", unit.id),
            unit.fields.name.clone(),
        ),
        None => (
            format!("/programmes/{}?view=pool", kind.programme().code()),
            kind.programme().label(lang).to_owned(),
        ),
    };
    let results = view
        .results
        .as_ref()
        .map(|r| {
            vec![
                (t.get("prog.results.enrolled"), r.enrolled),
                (t.get("prog.results.completed"), r.completed),
                (t.get("prog.results.certified"), r.certified),
                (t.get("prog.results.in_work"), r.in_work),
                (t.get("prog.results.placed"), r.placed),
            ]
        })
        .unwrap_or_default();
    let code = status_code(&errors);
    let page = ActivityPage {
        layout: Layout::new(ctx, record.fields.title.clone()),
        errors,
        saved: ctx.query_without_lang.contains("saved=1"),
        id: record.id,
        back,
        back_label,
        facts: activity_facts(t, lang, view),
        results,
        takes_people: kind.role().is_some(),
        can_write: view.can_write,
        draws_allowed: kind.draws().is_some(),
        people: person_lines(&view.participants, lang),
        draws_caption: t.get(draws_caption(kind)).to_owned(),
        draws: draw_lines(&view.draws, lang),
        downloads: people_downloads(
            ctx,
            &format!("/programme-activities/{}", record.id),
            &view.participants,
        ),
        join_fields: join,
        draw_fields: fields,
    };
    (code, page).into_response()
}

async fn activity_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    form: &str,
    sent: &Pairs,
    errors: Vec<FormError>,
) -> Response {
    let session = session_or_return!(ctx);
    match state.app.activity_view(&session.actor, id).await {
        Ok(view) => activity_page(ctx, &view, form, sent, errors),
        Err(error) => app_error_page(ctx, error),
    }
}

async fn show_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Response {
    let id = id_or_return!(ctx, id);
    activity_with(&state, &ctx, id, "", &Pairs::new(), Vec::new()).await
}

async fn join_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let activity = match state.app.activity(&session.actor, id).await {
        Ok(activity) => activity,
        Err(error) => return app_error_page(&ctx, error),
    };
    let Some(unit_id) = activity.unit_id else {
        return not_found(&ctx);
    };
    let result = state
        .app
        .join_programme(&session.actor, unit_id, Some(id), &join_input(&pairs))
        .await;
    answer(
        &ctx,
        result,
        |_| format!("/programme-activities/{id}?saved=1#people"),
        |errors| activity_with(&state, &ctx, id, "join", &pairs, errors),
    )
    .await
}

async fn draw(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let input = DrawInput {
        amount: first(&pairs, "amount"),
        on_date: first(&pairs, "on_date"),
        until: first(&pairs, "until"),
        unit_id: first(&pairs, "unit_id"),
        id_number: first(&pairs, "id_number"),
        name: first(&pairs, "name"),
        purpose: first(&pairs, "purpose"),
        note: first(&pairs, "note"),
    };
    let result = state.app.draw_on_activity(&session.actor, id, &input).await;
    answer(
        &ctx,
        result,
        |_| format!("/programme-activities/{id}?saved=1#draws"),
        |errors| activity_with(&state, &ctx, id, "draw", &pairs, errors),
    )
    .await
}

// ---- a participant -----------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "programme_participant.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's switches: each flag shows one part of the page"
)]
struct ParticipantPage {
    layout: Layout,
    errors: Vec<FormError>,
    saved: bool,
    id: i64,
    back: String,
    back_label: String,
    person_href: Option<String>,
    facts: Vec<(String, String)>,
    can_write: bool,
    placeable: bool,
    placed: bool,
    progress_fields: Vec<Field>,
    placement_fields: Vec<Field>,
}

/// A form of a page sent back with its errors: which form, what it sent.
struct SentBack<'a> {
    form: &'a str,
    sent: &'a Pairs,
    errors: Vec<FormError>,
}

/// A participant with their unit and activity, as read for their page.
struct Participation<'a> {
    view: &'a ParticipantView,
    unit: &'a UnitRecord,
    activity: Option<&'a ActivityRecord>,
    can_write: bool,
}

fn participant_facts(t: Text, lang: Lang, p: &Participation<'_>) -> Vec<(String, String)> {
    let (view, unit, activity) = (p.view, p.unit, p.activity);
    let r = &view.record;
    let programme = unit.fields.programme();
    let mut facts = vec![
        (t.get("prog.f.unit").to_owned(), unit.fields.name.clone()),
        (
            t.get("prog.f.role").to_owned(),
            r.role.label(lang).to_owned(),
        ),
        (
            t.get("prog.f.status").to_owned(),
            r.status.label(lang).to_owned(),
        ),
        (
            t.get("prog.f.joined_on").to_owned(),
            r.joined_on.to_string(),
        ),
    ];
    if let Some(activity) = activity {
        facts.insert(
            1,
            (
                t.get("prog.f.activity").to_owned(),
                activity.fields.title.clone(),
            ),
        );
    }
    if let Some(ended) = r.ended_on {
        facts.push((t.get("prog.f.ended_on").to_owned(), ended.to_string()));
    }
    if let Some(sessions) = r.sessions_attended {
        facts.push((
            t.get("prog.f.sessions_attended").to_owned(),
            sessions.to_string(),
        ));
    }
    if let Some(certificate) = &r.certificate {
        facts.push((t.get("prog.f.certificate").to_owned(), certificate.clone()));
    }
    if let Some(income) = r.monthly_income {
        facts.push((t.get("prog.f.monthly_income").to_owned(), money(income)));
    }
    if let Some(before) = r.income_before {
        facts.push((t.get("prog.f.income_before").to_owned(), money(before)));
    }
    if let Some(service) = r.service_id {
        facts.push((t.get("prog.f.service_id").to_owned(), service.to_string()));
    }
    if let Some(deadline) = view.placement_deadline {
        facts.push((t.get("prog.deadline").to_owned(), deadline.to_string()));
    }
    facts.push((
        t.get("prog.placed").to_owned(),
        r.placed_on.map_or_else(
            || t.get("prog.not_placed").to_owned(),
            |d| format!("{d}（{}）", programme.measure().label(lang)),
        ),
    ));
    facts
}

fn participant_page(ctx: &Ctx, p: &Participation<'_>, back_with: SentBack<'_>) -> Response {
    let SentBack { form, sent, errors } = back_with;
    let (view, unit, activity) = (p.view, p.unit, p.activity);
    let t = ctx.text();
    let lang = ctx.lang;
    let r = &view.record;
    let programme = unit.fields.programme();
    let current = ProgressInput {
        status: r.status.code().to_owned(),
        ended_on: r.ended_on.map(|d| d.to_string()).unwrap_or_default(),
        sessions_attended: r
            .sessions_attended
            .map(|s| s.to_string())
            .unwrap_or_default(),
        certificate: r.certificate.clone().unwrap_or_default(),
        monthly_income: r.monthly_income.map(money).unwrap_or_default(),
    };
    let progress_sent = if form == "progress" {
        sent.clone()
    } else {
        pairs_of(&current)
    };
    let placement_sent = if form == "placement" {
        sent.clone()
    } else {
        vec![(
            "form".to_owned(),
            programme.default_form().code().to_owned(),
        )]
    };
    let progress = progress_fields(
        t,
        r.role,
        &progress_sent,
        if form == "progress" { &errors } else { &[] },
    );
    let placement = placement_fields(
        t,
        view.placement_deadline.map(|d| d.to_string()),
        &placement_sent,
        if form == "placement" { &errors } else { &[] },
    );
    let facts = participant_facts(t, lang, p);
    let (back, back_label) = match activity {
        Some(a) => (
            format!("/programme-activities/{}", a.id),
            a.fields.title.clone(),
        ),
        None => (
            format!("/programme-units/{}", unit.id),
            unit.fields.name.clone(),
        ),
    };
    let code = status_code(&errors);
    let page = ParticipantPage {
        layout: Layout::new(ctx, format!("{}：{}", r.role.label(lang), view.name_masked)),
        errors,
        saved: ctx.query_without_lang.contains("saved=1"),
        id: r.id,
        back,
        back_label,
        person_href: view.linked.then(|| format!("/persons/{}", r.person_id)),
        facts,
        can_write: p.can_write,
        placeable: view.placeable,
        placed: r.outcome_id.is_some(),
        progress_fields: progress,
        placement_fields: placement,
    };
    (code, page).into_response()
}

async fn participant_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    form: &str,
    sent: &Pairs,
    errors: Vec<FormError>,
) -> Response {
    let session = session_or_return!(ctx);
    let actor = &session.actor;
    match state.app.participant_view(actor, id).await {
        Ok((view, unit, activity)) => participant_page(
            ctx,
            &Participation {
                view: &view,
                unit: &unit,
                activity: activity.as_ref(),
                can_write: actor.role.permits(Permission::ProgrammeWrite),
            },
            SentBack { form, sent, errors },
        ),
        Err(error) => app_error_page(ctx, error),
    }
}

async fn show_participant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Response {
    let id = id_or_return!(ctx, id);
    participant_with(&state, &ctx, id, "", &Pairs::new(), Vec::new()).await
}

/// What an empty income sent by the progress form means: the form shows
/// the income recorded (a worker's), so sent back empty it was emptied and
/// goes; a form without the field (a trainee's) leaves it as it is.
fn blank_income(pairs: &Pairs) -> BlankIncome {
    if pairs.iter().any(|(name, _)| name == "monthly_income") {
        BlankIncome::Clears
    } else {
        BlankIncome::Keeps
    }
}

async fn progress(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let input = ProgressInput {
        status: first(&pairs, "status"),
        ended_on: first(&pairs, "ended_on"),
        sessions_attended: first(&pairs, "sessions_attended"),
        certificate: first(&pairs, "certificate"),
        monthly_income: first(&pairs, "monthly_income"),
    };
    let result = state
        .app
        .record_participant_progress(&session.actor, id, &input, blank_income(&pairs))
        .await;
    answer(
        &ctx,
        result,
        |_| format!("/programme-participants/{id}?saved=1"),
        |errors| participant_with(&state, &ctx, id, "progress", &pairs, errors),
    )
    .await
}

async fn placement(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let input = PlacementInput {
        started_on: first(&pairs, "started_on"),
        form: first(&pairs, "form"),
        monthly_wage: first(&pairs, "monthly_wage"),
    };
    let result = state
        .app
        .place_participant(&session.actor, id, &input)
        .await;
    answer(
        &ctx,
        result,
        |_| format!("/programme-participants/{id}?saved=1"),
        |errors| participant_with(&state, &ctx, id, "placement", &pairs, errors),
    )
    .await
}

// ---- the rural bases' criteria -----------------------------------------------------------

fn criteria_pairs(criteria: &RuralCriteria) -> Pairs {
    vec![
        ("min_employed".to_owned(), criteria.min_employed.to_string()),
        ("min_helped".to_owned(), criteria.min_helped.to_string()),
        ("min_trained".to_owned(), criteria.min_trained.to_string()),
        (
            "min_income_gain".to_owned(),
            money(criteria.min_income_gain),
        ),
    ]
}

fn criteria_page(
    ctx: &Ctx,
    current: &RuralCriteria,
    can_revise: bool,
    sent: &Pairs,
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let mut f = Fields::new(t, sent, &errors);
    f.short("min_employed", "prog.criteria.employed");
    f.short("min_helped", "prog.criteria.helped");
    f.short("min_trained", "prog.criteria.trained");
    f.short("min_income_gain", "prog.criteria.income_gain");
    let fields = f.list;
    form_page(
        ctx,
        FormSpec {
            title: t.get("prog.criteria.title").to_owned(),
            lead: format!("{} {}", t.get("prog.criteria.version"), current.version),
            back: "/programmes/rural".to_owned(),
            method: if can_revise { "post" } else { "get" },
            action: "/programmes/rural/criteria".to_owned(),
            submit: if can_revise {
                "prog.criteria.save"
            } else {
                "form.back"
            },
        },
        fields,
        errors,
    )
}

async fn criteria_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Response {
    let session = session_or_return!(ctx);
    if code != Programme::Rural.code() {
        return not_found(&ctx);
    }
    if let Err(error) = state
        .app
        .authorize(&session.actor, Permission::ProgrammeRead)
    {
        return app_error_page(&ctx, error);
    }
    match state.app.latest_rural_criteria().await {
        Ok(current) => {
            let can_revise = session.actor.role.permits(Permission::ProgrammeManage)
                && session.actor.programme_scope() == ablework_app::programmes::ProgrammeScope::All;
            criteria_page(
                &ctx,
                &current,
                can_revise,
                &criteria_pairs(&current),
                Vec::new(),
            )
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

fn whole(field: &str, value: &str, errors: &mut Vec<ablework_app::FieldError>) -> u32 {
    value.trim().parse::<u32>().unwrap_or_else(|_| {
        errors.push(ablework_app::FieldError::new(
            field,
            "out_of_range",
            ablework_app::Localized::new(
                "请填写不小于 0 的整数。",
                "Give a whole number of at least 0.",
            ),
        ));
        0
    })
}

async fn revise_criteria(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    if code != Programme::Rural.code() {
        return not_found(&ctx);
    }
    let mut errors = Vec::new();
    let revised = RuralCriteria {
        min_employed: whole("min_employed", &first(&pairs, "min_employed"), &mut errors),
        min_helped: whole("min_helped", &first(&pairs, "min_helped"), &mut errors),
        min_trained: whole("min_trained", &first(&pairs, "min_trained"), &mut errors),
        min_income_gain: first(&pairs, "min_income_gain")
            .trim()
            .parse::<Decimal>()
            .unwrap_or_else(|_| {
                errors.push(ablework_app::FieldError::new(
                    "min_income_gain",
                    "invalid_amount",
                    ablework_app::Localized::new("请填写金额。", "Give an amount."),
                ));
                Decimal::ZERO
            }),
        ..RuralCriteria::default()
    };
    let result = if errors.is_empty() {
        state
            .app
            .revise_rural_criteria(&session.actor, &revised)
            .await
    } else {
        Err(AppError::Invalid(errors))
    };
    answer(
        &ctx,
        result,
        |_| "/programmes/rural/criteria".to_owned(),
        |errors| async {
            match state.app.latest_rural_criteria().await {
                Ok(current) => criteria_page(&ctx, &current, true, &pairs, errors),
                Err(error) => app_error_page(&ctx, error),
            }
        },
    )
    .await
}

// ---- downloads -------------------------------------------------------------------------

/// The query of a programme's list download: the programme and the page's
/// filters.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ExportParams {
    programme: Option<String>,
    view: Option<String>,
    kind: Option<String>,
    district: Option<String>,
    q: Option<String>,
}

impl ExportParams {
    fn listing(self, activities: bool) -> ProgrammeList {
        ProgrammeList {
            programme: self.programme.as_deref().and_then(Programme::from_code),
            activities,
            pooled: self.view.as_deref() == Some("pool"),
            query: ProgrammeQuery {
                kind: self.kind.unwrap_or_default(),
                district: self.district.unwrap_or_default(),
                search: self.q.unwrap_or_default(),
                page: 1,
                per_page: PER_PAGE,
            },
        }
    }
}

/// A programme's units as a file: the list's columns.
pub(crate) struct UnitsFile;

impl ListFile for UnitsFile {
    type Params = ExportParams;
    type Listing = ProgrammeList;
    const STEM: &'static str = "programme-units";
    const TITLE: &'static str = "prog.tab.units";
    const COLUMNS: &'static [&'static str] = &[
        "prog.f.name",
        "prog.f.unit_kind",
        "prog.f.district",
        "prog.f.capacity",
        "prog.activities",
        "prog.participants",
    ];

    fn listing(params: ExportParams, _: Option<i64>) -> ProgrammeList {
        params.listing(false)
    }

    fn cells(row: &ProgrammeRow, t: Text) -> Vec<String> {
        let ProgrammeRow::Unit(u) = row else {
            return Vec::new();
        };
        vec![
            u.fields.name.clone(),
            u.fields.kind.label(t.0).to_owned(),
            district_name(&u.fields.district_code, t.0),
            u.fields.capacity.map(|c| c.to_string()).unwrap_or_default(),
            u.activities.to_string(),
            u.participants.to_string(),
        ]
    }
}

/// A programme's activities (or its district pools) as a file.
pub(crate) struct ActivitiesFile;

impl ListFile for ActivitiesFile {
    type Params = ExportParams;
    type Listing = ProgrammeList;
    const STEM: &'static str = "programme-activities";
    const TITLE: &'static str = "prog.activities";
    const COLUMNS: &'static [&'static str] = &[
        "prog.f.title",
        "prog.f.kind",
        "prog.f.unit",
        "prog.f.district",
        "prog.f.period",
        "prog.participants",
        "prog.limit",
        "prog.drawn",
        "prog.remaining",
    ];

    fn listing(params: ExportParams, _: Option<i64>) -> ProgrammeList {
        params.listing(true)
    }

    fn cells(row: &ProgrammeRow, t: Text) -> Vec<String> {
        let ProgrammeRow::Activity(a) = row else {
            return Vec::new();
        };
        let line = activity_line(a, t.0);
        vec![
            line.title,
            line.kind.to_owned(),
            if line.unit.is_empty() {
                t.get("prog.pool.name").to_owned()
            } else {
                line.unit
            },
            line.district,
            line.period,
            line.people,
            line.limit,
            line.drawn,
            line.remaining,
        ]
    }
}

/// The people of an activity (`ACTIVITY`: a course's trainees, a
/// contract's people served) or of a unit itself (a workshop's workers, …)
/// as a file, names masked.
pub(crate) struct PeopleFile<const ACTIVITY: bool>;

/// The people of an activity as a file.
pub(crate) type ActivityPeopleFile = PeopleFile<true>;
/// The people of a unit itself as a file.
pub(crate) type UnitPeopleFile = PeopleFile<false>;

impl<const ACTIVITY: bool> ListFile for PeopleFile<ACTIVITY> {
    type Params = NoParams;
    type Listing = ProgrammePeople;
    const STEM: &'static str = if ACTIVITY {
        "programme-activity-people"
    } else {
        "programme-unit-people"
    };
    const TITLE: &'static str = "prog.people";
    const COLUMNS: &'static [&'static str] = &[
        "prog.f.person_name",
        "prog.f.role",
        "prog.f.status",
        "prog.f.joined_on",
        "prog.f.ended_on",
        "prog.f.certificate",
        "prog.f.monthly_income",
        "prog.placed",
    ];

    fn listing(_: NoParams, record: Option<i64>) -> ProgrammePeople {
        ProgrammePeople {
            record: record.unwrap_or_default(),
            activity: ACTIVITY,
        }
    }

    fn cells(view: &ParticipantView, t: Text) -> Vec<String> {
        let line = &person_lines(std::slice::from_ref(view), t.0)[0];
        vec![
            line.name.clone(),
            line.role.to_owned(),
            line.status.to_owned(),
            line.joined_on.clone(),
            line.ended_on.clone(),
            line.certificate.clone(),
            line.income.clone(),
            line.placed_on.clone(),
        ]
    }
}
