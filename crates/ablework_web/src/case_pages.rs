//! The pages of the "four ones" service: a person's case as a timeline
//! (printable), the forms that add a check, an assessment, a need or a
//! service, consents, the supervisors' approvals and the work queues.

use ablework_app::AppError;
use ablework_app::cases::{
    AssessmentInput, AssessmentRecord, CaseView, CheckInput, FollowUpInput, NeedInput,
    OutcomeInput, ServiceInput,
};
use ablework_app::employers::Review;
use ablework_app::export::{AssessmentQueue, WorkQueue};
use ablework_app::persons::PersonView;
use ablework_domain::district;
use ablework_domain::four_ones::{
    Accommodation, AssessmentStatus, CheckSource, CheckedField, Function, Hours, Limitation,
    ServiceKind, ServiceResult, Step, WorkCapacity,
};
use ablework_domain::lang::Lang;
use ablework_domain::outcome::{EmploymentForm, Measure};
use ablework_domain::roles::Permission;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::export::{Downloads, ListFile, NoParams, download};
use crate::i18n::Text;
use crate::pages::{
    app_error_page, bracket, district_name, form_session_or_return, id_or_return, session_or_return,
};
use crate::view::{FormError, Layout, Pager, error_for, form_errors};
use crate::view::{Pairs, all, first};

/// The case routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/case", get(case))
        .route("/persons/{id}/case/{step}", get(step_form).post(save_step))
        .route("/persons/{id}/case/consent", post(consent))
        .route(
            "/persons/{id}/case/outcome",
            get(outcome_form).post(save_outcome),
        )
        .route(
            "/persons/{id}/case/outcomes/{outcome}/follow-up",
            post(follow_up),
        )
        .route("/assessments", get(assessments))
        .route("/assessments/export", get(download::<AssessmentsFile>))
        .route("/assessments/{id}/review", post(review))
        .route("/queues", get(queues))
        .route("/queues/export", get(download::<QueueFile>))
}

// ---- the case page ------------------------------------------------------------

struct Entry {
    date: String,
    title: String,
    lines: Vec<String>,
    who: String,
}

struct AssessmentEntry {
    entry: Entry,
    id: i64,
    status: &'static str,
    waiting: bool,
    review_note: Option<String>,
}

struct StepSummary {
    code: &'static str,
    label: &'static str,
    done: bool,
    href: String,
    action: &'static str,
}

struct OutcomeLine {
    id: i64,
    entry: Entry,
    follow_ups: Vec<String>,
    open: bool,
}

struct ConsentLine {
    purpose: &'static str,
    label: &'static str,
    state: String,
    given: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "case.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's independent switches"
)]
struct CasePage {
    layout: Layout,
    errors: Vec<FormError>,
    saved: bool,
    id: i64,
    facts: Vec<(String, String)>,
    steps: Vec<StepSummary>,
    done: usize,
    next: Option<&'static str>,
    checks: Vec<Entry>,
    assessments: Vec<AssessmentEntry>,
    needs: Vec<Entry>,
    services: Vec<Entry>,
    consents: Vec<ConsentLine>,
    outcomes: Vec<OutcomeLine>,
    can_write: bool,
    can_consent: bool,
    can_state_need: bool,
    note_error: Option<String>,
    follow_up_errors: Vec<FormError>,
    today: String,
}

impl CasePage {
    /// The error of a follow-up field (`fu_` + the field's name).
    fn fu(&self, name: &str) -> Option<&str> {
        error_for(&self.follow_up_errors, &format!("fu_{name}"))
    }
}

fn labels<T: Copy>(items: &[T], label: fn(T, Lang) -> &'static str, lang: Lang) -> String {
    let names: Vec<&str> = items.iter().map(|i| label(*i, lang)).collect();
    names.join(if lang == Lang::Zh { "、" } else { ", " })
}

fn who(t: Text, username: Option<&String>) -> String {
    username
        .cloned()
        .unwrap_or_else(|| t.get("declaration.system").to_owned())
}

#[expect(
    clippy::too_many_lines,
    reason = "the case page's sections, in page order"
)]
fn case_page(
    ctx: &Ctx,
    view: &CaseView,
    today: chrono::NaiveDate,
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let file = &view.file;
    let person = &view.person;
    let id = person.id;
    let step_action = |step: Step| match step {
        Step::Check => "case.add_check",
        Step::Assessment => "case.add_assessment",
        Step::Need => "case.add_need",
        Step::Service => "case.add_service",
    };
    let steps = Step::ALL
        .iter()
        .map(|step| StepSummary {
            code: step.code(),
            label: step.label(lang),
            done: view.progress.done(*step),
            href: format!("/persons/{id}/case/{}", step.code()),
            action: t.get(step_action(*step)),
        })
        .collect();
    let checks = file
        .checks
        .iter()
        .map(|c| Entry {
            date: c.checked_on.to_string(),
            title: c.source.label(lang).to_owned(),
            lines: [
                Some(format!(
                    "{}{}",
                    t.get("case.verified"),
                    labels(&c.fields, CheckedField::label, lang)
                )),
                c.note.clone(),
            ]
            .into_iter()
            .flatten()
            .collect(),
            who: who(t, c.recorded.username.as_ref()),
        })
        .collect();
    // The newest waiting assessment carries the review form; there is
    // normally one, and one form keeps the page's field ids unique.
    let reviewable = file
        .assessments
        .iter()
        .find(|a| a.status == AssessmentStatus::Submitted)
        .map(|a| a.id);
    let assessments = file
        .assessments
        .iter()
        .map(|a| {
            let f = &a.fields;
            let functions: Vec<String> = f
                .functions
                .iter()
                .map(|(function, limitation)| {
                    format!("{}：{}", function.label(lang), limitation.label(lang))
                })
                .collect();
            let mut lines = vec![
                format!("{}{}", t.get("case.capacity"), f.capacity.label(lang)),
                functions.join(if lang == Lang::Zh { "；" } else { "; " }),
            ];
            if !f.skills.is_empty() {
                lines.push(format!("{}{}", t.get("case.skills"), f.skills));
            }
            if !f.forms.is_empty() {
                lines.push(format!(
                    "{}{}",
                    t.get("case.forms"),
                    labels(&f.forms, EmploymentForm::label, lang)
                ));
            }
            if !f.languages.is_empty() {
                lines.push(format!(
                    "{}{}",
                    t.get("case.languages"),
                    labels(
                        &f.languages,
                        ablework_domain::four_ones::Language::label,
                        lang
                    )
                ));
            }
            if !f.accommodations.is_empty() {
                lines.push(format!(
                    "{}{}",
                    t.get("case.accommodations"),
                    labels(&f.accommodations, Accommodation::label, lang)
                ));
            }
            if let Some(reviewed) = &a.reviewed {
                lines.push(format!(
                    "{}{} {}",
                    t.get("case.reviewed_by"),
                    who(t, reviewed.username.as_ref()),
                    crate::view::local_time(reviewed.at, "%Y-%m-%d")
                ));
            }
            AssessmentEntry {
                entry: Entry {
                    date: a.assessed_on.to_string(),
                    title: a.status.label(lang).to_owned(),
                    lines,
                    who: who(t, a.recorded.username.as_ref()),
                },
                id: a.id,
                status: a.status.label(lang),
                waiting: Some(a.id) == reviewable,
                review_note: a.review_note.clone(),
            }
        })
        .collect();
    let needs = file
        .needs
        .iter()
        .map(|n| {
            let f = &n.fields;
            let mut lines = vec![format!("{}{}", t.get("case.hours"), f.hours.label(lang))];
            if let Some(form) = f.form {
                lines.push(format!("{}{}", t.get("case.form"), form.label(lang)));
            }
            if !f.districts.is_empty() {
                let names: Vec<String> =
                    f.districts.iter().map(|d| district_name(d, lang)).collect();
                lines.push(format!(
                    "{}{}",
                    t.get("case.districts"),
                    names.join(if lang == Lang::Zh { "、" } else { ", " })
                ));
            }
            if let Some(minutes) = f.commute_minutes {
                lines.push(format!("{}{minutes}", t.get("case.commute")));
            }
            if let Some(wage) = f.wage_expectation {
                lines.push(format!("{}{wage}", t.get("case.wage")));
            }
            if !f.accommodations.is_empty() {
                lines.push(format!(
                    "{}{}",
                    t.get("case.accommodations"),
                    labels(&f.accommodations, Accommodation::label, lang)
                ));
            }
            lines.push(format!(
                "{}{}",
                t.get("case.willing_to_train"),
                t.get(if f.willing_to_train {
                    "persons.yes"
                } else {
                    "persons.no"
                })
            ));
            Entry {
                date: n.registered_on.to_string(),
                title: f.occupations.clone(),
                lines,
                who: who(t, n.recorded.username.as_ref()),
            }
        })
        .collect();
    let services = file
        .services
        .iter()
        .map(|s| Entry {
            date: s.served_on.to_string(),
            title: s.kind.label(lang).to_owned(),
            lines: [
                Some(format!("{}{}", t.get("case.result"), s.result.label(lang))),
                s.note.clone(),
            ]
            .into_iter()
            .flatten()
            .collect(),
            who: who(t, s.recorded.username.as_ref()),
        })
        .collect();
    let consents = view
        .consents
        .iter()
        .map(|(purpose, record)| ConsentLine {
            purpose: purpose.code(),
            label: purpose.label(lang),
            given: record.as_ref().is_some_and(|r| r.given),
            state: match record {
                None => t.get("case.consent.never").to_owned(),
                Some(r) => format!(
                    "{} {}{}",
                    t.get(if r.given {
                        "case.consent.given"
                    } else {
                        "case.consent.withdrawn"
                    }),
                    r.effective_on,
                    bracket(
                        lang,
                        t.get(if r.by_person {
                            "case.consent.by_person"
                        } else {
                            "case.consent.by_officer"
                        })
                    )
                ),
            },
        })
        .collect();
    let yes_no = |b: bool| t.get(if b { "persons.yes" } else { "persons.no" });
    let outcomes = view
        .outcomes
        .iter()
        .map(|o| {
            let mut lines = vec![
                format!("{}{}", t.get("case.form"), o.outcome.form.label(lang)),
                format!("{}{}", t.get("case.measure"), o.outcome.measure.label(lang)),
                format!(
                    "{}{}",
                    t.get("case.credited_district"),
                    district_name(&o.outcome.district_code, lang)
                ),
            ];
            if let Some(name) = &o.employer_name {
                lines.push(format!("{}{name}", t.get("case.employer")));
            }
            if let Some(months) = o.details.contract_months {
                lines.push(format!("{}{months}", t.get("case.contract_months")));
            }
            if let Some(wage) = o.details.monthly_wage {
                lines.push(format!("{}{wage}", t.get("case.monthly_wage")));
            }
            if let Some(insured) = o.details.insured {
                lines.push(format!("{}{}", t.get("case.insured"), yes_no(insured)));
            }
            if let Some(ended) = o.outcome.ended_on {
                lines.push(format!("{}{ended}", t.get("case.ended_on")));
            }
            OutcomeLine {
                id: o.id,
                entry: Entry {
                    date: o.outcome.started_on.to_string(),
                    title: t.get("case.started_work").to_owned(),
                    lines,
                    who: who(t, o.recorded.as_ref().and_then(|r| r.username.as_ref())),
                },
                follow_ups: o
                    .follow_ups
                    .iter()
                    .map(|f| {
                        format!(
                            "{}{}{}{}{}{}",
                            f.after_months,
                            t.get("case.months_later"),
                            bracket(lang, &f.checked_on.to_string()),
                            t.get("case.clause_sep"),
                            t.get("case.still_employed"),
                            yes_no(f.still_employed)
                        )
                    })
                    .collect(),
                open: o.outcome.ended_on.is_none() && o.follow_ups.len() < 3,
            }
        })
        .collect();
    let facts = vec![
        (
            t.get("persons.id_number").to_owned(),
            person.id_number_masked.clone(),
        ),
        (
            t.get("persons.certificate").to_owned(),
            person.certificate_masked.clone(),
        ),
        (
            t.get("persons.category").to_owned(),
            person.category.label(lang).to_owned(),
        ),
        (
            t.get("persons.district").to_owned(),
            district_name(&person.district_code, lang),
        ),
        (
            t.get("persons.status").to_owned(),
            person.employment_status.label(lang).to_owned(),
        ),
        (
            t.get("persons.working_age").to_owned(),
            t.get(if person.working_age {
                "persons.yes"
            } else {
                "persons.no"
            })
            .to_owned(),
        ),
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let follow_up_errors = errors
        .iter()
        .filter(|e| e.field.starts_with("fu_"))
        .cloned()
        .collect();
    let page = CasePage {
        follow_up_errors,
        layout: Layout::new(
            ctx,
            format!("{}: {}", t.get("case.title"), person.name_masked),
        ),
        note_error: error_for(&errors, "note").map(str::to_owned),
        errors,
        saved: ctx.query_without_lang.contains("saved=1"),
        id,
        facts,
        steps,
        done: view.progress.count(),
        next: view.progress.next_step().map(|s| s.label(lang)),
        checks,
        assessments,
        needs,
        services,
        consents,
        outcomes,
        can_write: view.can_write,
        can_consent: view.can_consent,
        can_state_need: view.can_state_need,
        today: today.to_string(),
    };
    (status, page).into_response()
}

async fn case(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    match state.app.case(&session.actor, id).await {
        Ok(view) => case_page(&ctx, &view, state.app.today(), Vec::new()),
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- the step forms ---------------------------------------------------------------

/// One field of a step form.
enum Field {
    Text {
        name: &'static str,
        label: String,
        hint: Option<String>,
        value: String,
        error: Option<String>,
    },
    TextArea {
        name: &'static str,
        label: String,
        value: String,
        error: Option<String>,
    },
    Select {
        name: String,
        label: String,
        value: String,
        options: Vec<(String, String)>,
        error: Option<String>,
    },
    Choices {
        name: &'static str,
        legend: String,
        options: Vec<(String, String, bool)>,
        error: Option<String>,
    },
    Flag {
        name: &'static str,
        label: String,
        checked: bool,
    },
}

#[derive(Template, WebTemplate)]
#[template(path = "case_form.html")]
struct StepFormPage {
    layout: Layout,
    errors: Vec<FormError>,
    id: i64,
    step: &'static str,
    lead: String,
    fields: Vec<Field>,
}

fn options<T: Copy>(
    items: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    lang: Lang,
) -> Vec<(String, String)> {
    items
        .iter()
        .map(|i| (code(*i).to_owned(), label(*i, lang).to_owned()))
        .collect()
}

fn choices<T: Copy>(
    items: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    lang: Lang,
    chosen: &[String],
) -> Vec<(String, String, bool)> {
    items
        .iter()
        .map(|i| {
            let c = code(*i);
            (
                c.to_owned(),
                label(*i, lang).to_owned(),
                chosen.iter().any(|x| x == c),
            )
        })
        .collect()
}

#[expect(
    clippy::too_many_lines,
    reason = "the four forms' fields, each in page order"
)]
fn step_fields(ctx: &Ctx, step: Step, pairs: &Pairs, errors: &[FormError]) -> Vec<Field> {
    let t = ctx.text();
    let lang = ctx.lang;
    let error = |name: &str| error_for(errors, name).map(str::to_owned);
    let date = |name: &'static str| Field::Text {
        name,
        label: t.get("case.date").to_owned(),
        hint: Some(t.get("case.date.hint").to_owned()),
        value: first(pairs, name),
        error: error(name),
    };
    let select = |name: &str, label: &str, options: Vec<(String, String)>| Field::Select {
        name: name.to_owned(),
        label: label.to_owned(),
        value: first(pairs, name),
        options,
        error: error(name),
    };
    let blank = |mut list: Vec<(String, String)>| {
        list.insert(0, (String::new(), t.get("persons.not_given").to_owned()));
        list
    };
    match step {
        Step::Check => vec![
            date("checked_on"),
            Field::Choices {
                name: "fields",
                legend: t.get("case.verified_fields").to_owned(),
                options: choices(
                    CheckedField::ALL,
                    CheckedField::code,
                    CheckedField::label,
                    lang,
                    &all(pairs, "fields"),
                ),
                error: error("fields"),
            },
            select(
                "source",
                t.get("case.source"),
                options(
                    CheckSource::ALL,
                    CheckSource::code,
                    CheckSource::label,
                    lang,
                ),
            ),
            Field::TextArea {
                name: "note",
                label: t.get("case.note").to_owned(),
                value: first(pairs, "note"),
                error: error("note"),
            },
        ],
        Step::Assessment => {
            let mut fields = vec![date("assessed_on")];
            for function in Function::ALL {
                let name = format!("function_{}", function.code());
                fields.push(Field::Select {
                    value: first(pairs, &name),
                    error: error(&name),
                    label: format!("{}{}", t.get("case.function"), function.label(lang)),
                    options: blank(options(
                        Limitation::ALL,
                        Limitation::code,
                        Limitation::label,
                        lang,
                    )),
                    name,
                });
            }
            fields.push(select(
                "capacity",
                t.get("case.capacity_label"),
                blank(options(
                    WorkCapacity::ALL,
                    WorkCapacity::code,
                    WorkCapacity::label,
                    lang,
                )),
            ));
            fields.push(Field::TextArea {
                name: "skills",
                label: t.get("case.skills_label").to_owned(),
                value: first(pairs, "skills"),
                error: error("skills"),
            });
            fields.push(Field::Choices {
                name: "forms",
                legend: t.get("case.forms_label").to_owned(),
                options: choices(
                    EmploymentForm::ALL,
                    EmploymentForm::code,
                    EmploymentForm::label,
                    lang,
                    &all(pairs, "forms"),
                ),
                error: error("forms"),
            });
            fields.push(Field::Choices {
                name: "languages",
                legend: t.get("case.languages_label").to_owned(),
                options: choices(
                    ablework_domain::four_ones::Language::ALL,
                    ablework_domain::four_ones::Language::code,
                    ablework_domain::four_ones::Language::label,
                    lang,
                    &all(pairs, "languages"),
                ),
                error: error("languages"),
            });
            fields.push(Field::Choices {
                name: "accommodations",
                legend: t.get("case.accommodations_label").to_owned(),
                options: choices(
                    Accommodation::ALL,
                    Accommodation::code,
                    Accommodation::label,
                    lang,
                    &all(pairs, "accommodations"),
                ),
                error: error("accommodations"),
            });
            fields
        }
        Step::Need => vec![
            date("registered_on"),
            Field::Text {
                name: "occupations",
                label: t.get("case.occupations").to_owned(),
                hint: Some(t.get("case.occupations.hint").to_owned()),
                value: first(pairs, "occupations"),
                error: error("occupations"),
            },
            select(
                "form",
                t.get("case.form_label"),
                blank(options(
                    EmploymentForm::ALL,
                    EmploymentForm::code,
                    EmploymentForm::label,
                    lang,
                )),
            ),
            select(
                "hours",
                t.get("case.hours_label"),
                options(Hours::ALL, Hours::code, Hours::label, lang),
            ),
            Field::Choices {
                name: "districts",
                legend: t.get("case.districts_label").to_owned(),
                options: district::all()
                    .iter()
                    .map(|d| {
                        (
                            d.code.to_owned(),
                            d.name(lang).to_owned(),
                            all(pairs, "districts").iter().any(|x| x == d.code),
                        )
                    })
                    .collect(),
                error: error("districts"),
            },
            Field::Text {
                name: "commute_minutes",
                label: t.get("case.commute_label").to_owned(),
                hint: None,
                value: first(pairs, "commute_minutes"),
                error: error("commute_minutes"),
            },
            Field::Text {
                name: "wage_expectation",
                label: t.get("case.wage_label").to_owned(),
                hint: None,
                value: first(pairs, "wage_expectation"),
                error: error("wage_expectation"),
            },
            Field::Choices {
                name: "accommodations",
                legend: t.get("case.accommodations_label").to_owned(),
                options: choices(
                    Accommodation::ALL,
                    Accommodation::code,
                    Accommodation::label,
                    lang,
                    &all(pairs, "accommodations"),
                ),
                error: error("accommodations"),
            },
            Field::Flag {
                name: "willing_to_train",
                label: t.get("case.willing_label").to_owned(),
                checked: !first(pairs, "willing_to_train").is_empty(),
            },
        ],
        Step::Service => vec![
            select(
                "kind",
                t.get("case.service_kind"),
                options(
                    ServiceKind::ALL,
                    ServiceKind::code,
                    ServiceKind::label,
                    lang,
                ),
            ),
            date("served_on"),
            select(
                "result",
                t.get("case.result_label"),
                options(
                    ServiceResult::ALL,
                    ServiceResult::code,
                    ServiceResult::label,
                    lang,
                ),
            ),
            Field::TextArea {
                name: "note",
                label: t.get("case.note").to_owned(),
                value: first(pairs, "note"),
                error: error("note"),
            },
        ],
    }
}

fn step_page(ctx: &Ctx, id: i64, step: Step, pairs: &Pairs, errors: Vec<FormError>) -> Response {
    let t = ctx.text();
    let lead = t
        .get(match step {
            Step::Check => "case.lead.check",
            Step::Assessment => "case.lead.assessment",
            Step::Need => "case.lead.need",
            Step::Service => "case.lead.service",
        })
        .to_owned();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = StepFormPage {
        layout: Layout::new(ctx, step.label(ctx.lang)),
        fields: step_fields(ctx, step, pairs, &errors),
        errors,
        id,
        step: step.code(),
        lead,
    };
    (status, page).into_response()
}

async fn step_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, step)): Path<(String, String)>,
) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    let Some(step) = Step::from_code(&step) else {
        return app_error_page(&ctx, AppError::NotFound);
    };
    let own_need = step == Step::Need && session.actor.role == ablework_domain::roles::Role::Seeker;
    if !session.actor.role.permits(Permission::PersonWrite) && !own_need {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    // The person must be in scope before a form for them is shown.
    if let Err(error) = state.app.get_person(&session.actor, id).await {
        return app_error_page(&ctx, error);
    }
    let today = state.app.today().to_string();
    let mut pairs: Pairs = ["checked_on", "assessed_on", "registered_on", "served_on"]
        .iter()
        .map(|name| ((*name).to_owned(), today.clone()))
        .collect();
    pairs.push(("hours".to_owned(), "full_time".to_owned()));
    pairs.push(("result".to_owned(), "pending".to_owned()));
    step_page(&ctx, id, step, &pairs, Vec::new())
}

async fn save_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, step)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let Some(step) = Step::from_code(&step) else {
        return app_error_page(&ctx, AppError::NotFound);
    };
    let actor = &session.actor;
    let app = &state.app;
    let saved = match step {
        Step::Check => {
            let input = CheckInput {
                checked_on: first(&pairs, "checked_on"),
                fields: all(&pairs, "fields"),
                source: first(&pairs, "source"),
                note: first(&pairs, "note"),
            };
            app.record_check(actor, id, &input).await
        }
        Step::Assessment => {
            let input = AssessmentInput {
                assessed_on: first(&pairs, "assessed_on"),
                functions: Function::ALL
                    .iter()
                    .map(|f| {
                        (
                            f.code().to_owned(),
                            first(&pairs, &format!("function_{}", f.code())),
                        )
                    })
                    .collect(),
                capacity: first(&pairs, "capacity"),
                skills: first(&pairs, "skills"),
                forms: all(&pairs, "forms"),
                accommodations: all(&pairs, "accommodations"),
                languages: all(&pairs, "languages"),
            };
            app.submit_assessment(actor, id, &input).await
        }
        Step::Need => {
            let input = NeedInput {
                registered_on: first(&pairs, "registered_on"),
                occupations: first(&pairs, "occupations"),
                form: first(&pairs, "form"),
                districts: all(&pairs, "districts"),
                commute_minutes: first(&pairs, "commute_minutes"),
                hours: first(&pairs, "hours"),
                wage_expectation: first(&pairs, "wage_expectation"),
                accommodations: all(&pairs, "accommodations"),
                willing_to_train: !first(&pairs, "willing_to_train").is_empty(),
            };
            app.register_need(actor, id, &input).await
        }
        Step::Service => {
            let input = ServiceInput {
                kind: first(&pairs, "kind"),
                served_on: first(&pairs, "served_on"),
                result: first(&pairs, "result"),
                note: first(&pairs, "note"),
            };
            app.record_service(actor, id, &input).await
        }
    };
    match saved {
        Ok(_) => {
            Redirect::to(&format!("/persons/{id}/case?saved=1#{}", step.code())).into_response()
        }
        Err(AppError::Invalid(fields)) => {
            step_page(&ctx, id, step, &pairs, form_errors(&fields, ctx.lang))
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn consent(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let given = first(&pairs, "given") == "yes";
    match state
        .app
        .record_consent(&session.actor, id, &first(&pairs, "purpose"), given)
        .await
    {
        Ok(()) => Redirect::to(&format!("/persons/{id}/case?saved=1#consents")).into_response(),
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- approvals and queues ------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageParams {
    step: Option<String>,
    page: Option<String>,
}

impl PageParams {
    /// The queue's step: the check by default.
    fn step(&self) -> Step {
        self.step
            .as_deref()
            .and_then(Step::from_code)
            .unwrap_or(Step::Check)
    }
}

struct WaitingRow {
    id: i64,
    person_id: i64,
    name: String,
    assessed_on: String,
    capacity: &'static str,
    who: String,
}

impl WaitingRow {
    fn new((a, name): &(AssessmentRecord, String), t: Text) -> WaitingRow {
        WaitingRow {
            id: a.id,
            person_id: a.person_id,
            name: ablework_domain::person::mask_name(name),
            assessed_on: a.assessed_on.to_string(),
            capacity: a.fields.capacity.label(t.0),
            who: who(t, a.recorded.username.as_ref()),
        }
    }
}

/// The assessments waiting for approval as a file: the page's columns.
pub(crate) struct AssessmentsFile;

impl ListFile for AssessmentsFile {
    type Params = NoParams;
    type Listing = AssessmentQueue;
    const STEM: &'static str = "assessments";
    const TITLE: &'static str = "assessments.title";
    const COLUMNS: &'static [&'static str] = &[
        "persons.name",
        "case.date",
        "case.capacity_label",
        "case.assessor",
    ];

    fn listing(_: NoParams, _: Option<i64>) -> AssessmentQueue {
        AssessmentQueue
    }

    fn cells(item: &(AssessmentRecord, String), t: Text) -> Vec<String> {
        let row = WaitingRow::new(item, t);
        vec![row.name, row.assessed_on, row.capacity.to_owned(), row.who]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "assessments.html")]
struct AssessmentsPage {
    layout: Layout,
    total: u64,
    downloads: Option<Downloads>,
    rows: Vec<WaitingRow>,
    pager: Pager,
}

async fn assessments(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PageParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let page = params
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1_u32)
        .max(1);
    let found = match state.app.assessments_waiting(&session.actor, page).await {
        Ok(found) => found,
        Err(error) => return app_error_page(&ctx, error),
    };
    let t = ctx.text();
    AssessmentsPage {
        layout: Layout::new(&ctx, t.get("assessments.title")),
        total: found.total,
        pager: Pager::new("/assessments", &[], page, 20, found.total),
        downloads: Downloads::offered::<AssessmentQueue>(
            &session.actor,
            "/assessments/export",
            &[],
        ),
        rows: found
            .items
            .iter()
            .map(|item| WaitingRow::new(item, t))
            .collect(),
    }
    .into_response()
}

async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let decision = match first(&pairs, "decision").as_str() {
        "approve" => Review::Approve,
        "return" => Review::Return,
        _ => return app_error_page(&ctx, AppError::NotFound),
    };
    let person = first(&pairs, "person").parse::<i64>().unwrap_or_default();
    match state
        .app
        .review_assessment(&session.actor, id, decision, &first(&pairs, "note"))
        .await
    {
        Ok(person_id) => {
            Redirect::to(&format!("/persons/{person_id}/case?saved=1#assessment")).into_response()
        }
        Err(AppError::Invalid(fields)) if person > 0 => {
            match state.app.case(&session.actor, person).await {
                Ok(view) => case_page(
                    &ctx,
                    &view,
                    state.app.today(),
                    form_errors(&fields, ctx.lang),
                ),
                Err(error) => app_error_page(&ctx, error),
            }
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

struct QueueRow {
    id: i64,
    name: String,
    id_number: String,
    age: u32,
    category: &'static str,
    registered_on: String,
}

impl QueueRow {
    fn new(p: &PersonView, lang: Lang) -> QueueRow {
        QueueRow {
            id: p.id,
            name: p.name_masked.clone(),
            id_number: p.id_number_masked.clone(),
            age: p.age,
            category: p.category.label(lang),
            registered_on: p.registered_on.to_string(),
        }
    }
}

/// A "four ones" work queue as a file: the page's columns.
pub(crate) struct QueueFile;

impl ListFile for QueueFile {
    type Params = PageParams;
    type Listing = WorkQueue;
    const STEM: &'static str = "queue";
    const TITLE: &'static str = "queues.title";
    const COLUMNS: &'static [&'static str] = &[
        "persons.name",
        "persons.id_number",
        "persons.age",
        "persons.category",
        "persons.registered_on",
    ];

    fn listing(params: PageParams, _: Option<i64>) -> WorkQueue {
        WorkQueue {
            step: params.step(),
        }
    }

    fn cells(person: &PersonView, t: Text) -> Vec<String> {
        let row = QueueRow::new(person, t.0);
        vec![
            row.name,
            row.id_number,
            row.age.to_string(),
            row.category.to_owned(),
            row.registered_on,
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "queues.html")]
struct QueuesPage {
    layout: Layout,
    tabs: Vec<(String, &'static str, bool)>,
    step_label: &'static str,
    step: &'static str,
    total: u64,
    downloads: Option<Downloads>,
    rows: Vec<QueueRow>,
    pager: Pager,
}

async fn queues(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PageParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let step = params.step();
    let page = params
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1_u32)
        .max(1);
    let found = match state.app.work_queue(&session.actor, step, page, 20).await {
        Ok(found) => found,
        Err(error) => return app_error_page(&ctx, error),
    };
    let t = ctx.text();
    let lang = ctx.lang;
    let scope = session
        .actor
        .district_code
        .as_deref()
        .map(|code| bracket(lang, &district_name(code, lang)))
        .unwrap_or_default();
    QueuesPage {
        layout: Layout::new(&ctx, format!("{}{scope}", t.get("queues.title"))),
        tabs: Step::ALL
            .iter()
            .map(|s| {
                (
                    format!("/queues?step={}", s.code()),
                    s.label(lang),
                    *s == step,
                )
            })
            .collect(),
        step_label: step.label(lang),
        step: step.code(),
        total: found.total,
        pager: Pager::new(
            "/queues",
            &[("step", step.code().to_owned())],
            page,
            20,
            found.total,
        ),
        downloads: Downloads::offered::<WorkQueue>(
            &session.actor,
            "/queues/export",
            &[("step", step.code().to_owned())],
        ),
        rows: found.items.iter().map(|p| QueueRow::new(p, lang)).collect(),
    }
    .into_response()
}

// ---- outcomes ------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "outcome_form.html")]
struct OutcomeFormPage {
    layout: Layout,
    errors: Vec<FormError>,
    id: i64,
    fields: Vec<Field>,
}

fn outcome_page(ctx: &Ctx, id: i64, pairs: &Pairs, errors: Vec<FormError>) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let error = |name: &str| error_for(&errors, name).map(str::to_owned);
    let text = |name: &'static str, label: &str, hint: Option<&str>| Field::Text {
        name,
        label: label.to_owned(),
        hint: hint.map(str::to_owned),
        value: first(pairs, name),
        error: error(name),
    };
    let select = |name: &str, label: &str, options: Vec<(String, String)>| Field::Select {
        name: name.to_owned(),
        label: label.to_owned(),
        value: first(pairs, name),
        options,
        error: error(name),
    };
    let fields = vec![
        text(
            "started_on",
            t.get("case.started_on"),
            Some(t.get("case.date.hint")),
        ),
        select(
            "form",
            t.get("case.outcome_form_label"),
            options(
                EmploymentForm::ALL,
                EmploymentForm::code,
                EmploymentForm::label,
                lang,
            ),
        ),
        select(
            "measure",
            t.get("case.measure_label"),
            options(Measure::ALL, Measure::code, Measure::label, lang),
        ),
        text(
            "employer",
            t.get("case.employer_label"),
            Some(t.get("case.employer_hint")),
        ),
        text(
            "contract_months",
            t.get("case.contract_label"),
            Some(t.get("case.contract_hint")),
        ),
        text("monthly_wage", t.get("case.wage_paid_label"), None),
        select(
            "insured",
            t.get("case.insured_label"),
            vec![
                (String::new(), t.get("case.not_known").to_owned()),
                ("yes".to_owned(), t.get("persons.yes").to_owned()),
                ("no".to_owned(), t.get("persons.no").to_owned()),
            ],
        ),
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = OutcomeFormPage {
        layout: Layout::new(ctx, t.get("case.add_outcome")),
        errors,
        id,
        fields,
    };
    (status, page).into_response()
}

async fn outcome_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    if !session.actor.role.permits(Permission::PersonWrite) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    if let Err(error) = state.app.get_person(&session.actor, id).await {
        return app_error_page(&ctx, error);
    }
    let pairs = vec![
        ("started_on".to_owned(), state.app.today().to_string()),
        ("form".to_owned(), "quota".to_owned()),
        (
            "measure".to_owned(),
            Measure::EmploymentService.code().to_owned(),
        ),
    ];
    outcome_page(&ctx, id, &pairs, Vec::new())
}

async fn save_outcome(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let input = OutcomeInput {
        started_on: first(&pairs, "started_on"),
        form: first(&pairs, "form"),
        measure: first(&pairs, "measure"),
        employer: first(&pairs, "employer"),
        contract_months: first(&pairs, "contract_months"),
        monthly_wage: first(&pairs, "monthly_wage"),
        insured: first(&pairs, "insured"),
    };
    match state.app.record_outcome(&session.actor, id, &input).await {
        Ok(_) => Redirect::to(&format!("/persons/{id}/case?saved=1#outcomes")).into_response(),
        Err(AppError::Invalid(fields)) => {
            outcome_page(&ctx, id, &pairs, form_errors(&fields, ctx.lang))
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn follow_up(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, outcome)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let outcome = id_or_return!(ctx, outcome);
    let input = FollowUpInput {
        after_months: first(&pairs, "fu_after_months"),
        checked_on: first(&pairs, "fu_checked_on"),
        still_employed: first(&pairs, "fu_still_employed"),
        note: first(&pairs, "fu_note"),
    };
    match state
        .app
        .record_follow_up(&session.actor, id, outcome, &input)
        .await
    {
        Ok(()) => Redirect::to(&format!("/persons/{id}/case?saved=1#outcomes")).into_response(),
        Err(AppError::Invalid(fields)) => {
            let errors = form_errors(&fields, ctx.lang)
                .into_iter()
                .map(|e| FormError {
                    field: format!("fu_{}", e.field),
                    message: e.message,
                })
                .collect();
            match state.app.case(&session.actor, id).await {
                Ok(view) => case_page(&ctx, &view, state.app.today(), errors),
                Err(error) => app_error_page(&ctx, error),
            }
        }
        Err(error) => app_error_page(&ctx, error),
    }
}
