//! The end of the dashboard's drill-down: the people behind a figure —
//! counted as new employment under a measure, in a district or on a street
//! — masked, within the viewer's scope, each leading to their case.

use ablework_app::progress::{CountedPeopleQuery, CountedPerson, ProgressQuery};
use ablework_domain::lang::Lang;
use ablework_domain::outcome::Measure;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::export::{Downloads, ListFile, download};
use crate::i18n::Text;
use crate::pages::{app_error_page, bracket, district_name, session_or_return};
use crate::view::{Layout, Pager};

/// People on a page.
const PER_PAGE: u32 = 50;

/// The drill-down's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/progress/people", get(people))
        .route("/progress/people/export", get(download::<PeopleFile>))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PeopleParams {
    plan: Option<String>,
    district: Option<String>,
    /// A street's name, or `-` for none recorded.
    street: Option<String>,
    measure: Option<String>,
    year: Option<String>,
    page: Option<String>,
}

struct PersonLine {
    id: i64,
    name: String,
    district: String,
    street: String,
    year: i32,
    started_on: String,
    measure: String,
    form: String,
}

impl PersonLine {
    fn new(c: &CountedPerson, lang: Lang) -> PersonLine {
        PersonLine {
            id: c.person.id,
            name: c.person.name_masked.clone(),
            district: district_name(&c.person.district_code, lang),
            street: c.person.street.clone().unwrap_or_else(|| "—".to_owned()),
            year: c.year,
            started_on: c.outcome.started_on.to_string(),
            measure: c.outcome.measure.label(lang).to_owned(),
            form: c.outcome.form.label(lang).to_owned(),
        }
    }
}

impl PeopleParams {
    /// The people asked for, a page at a time.
    fn query(&self, page: u32, per_page: u32) -> CountedPeopleQuery {
        let street = given(self.street.as_ref()).map(|s| if s == "-" { String::new() } else { s });
        CountedPeopleQuery {
            progress: ProgressQuery {
                plan: given(self.plan.as_ref()),
                district: given(self.district.as_ref()),
            },
            street,
            measure: given(self.measure.as_ref()).and_then(|code| Measure::from_code(&code)),
            year: given(self.year.as_ref()).and_then(|y| y.parse::<i32>().ok()),
            page,
            per_page,
        }
    }
}

/// The people behind a figure as a file: the page's columns.
pub(crate) struct PeopleFile;

impl ListFile for PeopleFile {
    type Params = PeopleParams;
    type Listing = CountedPeopleQuery;
    const STEM: &'static str = "progress-people";
    const TITLE: &'static str = "progress.people.title";
    const COLUMNS: &'static [&'static str] = &[
        "persons.name",
        "persons.district",
        "progress.people.street",
        "progress.people.year",
        "progress.people.started_on",
        "progress.people.measure",
        "progress.people.form",
    ];

    fn listing(params: PeopleParams, _: Option<i64>) -> CountedPeopleQuery {
        params.query(1, PER_PAGE)
    }

    fn cells(person: &CountedPerson, t: Text) -> Vec<String> {
        let line = PersonLine::new(person, t.0);
        vec![
            line.name,
            line.district,
            line.street,
            line.year.to_string(),
            line.started_on,
            line.measure,
            line.form,
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "progress_people.html")]
struct PeoplePage {
    layout: Layout,
    back: String,
    narrowed: Vec<(String, String)>,
    total: u64,
    downloads: Option<Downloads>,
    people: Vec<PersonLine>,
    pager: Pager,
}

fn given(value: Option<&String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// What the list is narrowed to, labelled, for the page's summary.
fn narrowed_rows(ctx: &Ctx, query: &CountedPeopleQuery) -> Vec<(String, String)> {
    let t = ctx.text();
    let lang = ctx.lang;
    let mut narrowed = Vec::new();
    if let Some(code) = &query.progress.district {
        narrowed.push((
            t.get("persons.district").to_owned(),
            district_name(code, lang),
        ));
    }
    if let Some(street) = &query.street {
        let name = if street.is_empty() {
            t.get("progress.street_unknown").to_owned()
        } else {
            street.clone()
        };
        narrowed.push((t.get("progress.people.street").to_owned(), name));
    }
    if let Some(measure) = query.measure {
        narrowed.push((
            t.get("progress.people.measure").to_owned(),
            measure.label(lang).to_owned(),
        ));
    }
    if let Some(year) = query.year {
        narrowed.push((t.get("progress.people.year").to_owned(), year.to_string()));
    }
    narrowed
}

async fn people(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PeopleParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let t = ctx.text();
    let lang = ctx.lang;
    let page = given(params.page.as_ref())
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    let query = params.query(page, PER_PAGE);
    let (progress, measure, year) = (query.progress.clone(), query.measure, query.year);
    let found = match state.app.counted_people(&session.actor, &query).await {
        Ok(found) => found,
        Err(error) => return app_error_page(&ctx, error),
    };
    let narrowed = narrowed_rows(&ctx, &query);
    let keep: Vec<(&str, String)> = [
        ("plan", progress.plan.clone()),
        ("district", progress.district.clone()),
        ("street", given(params.street.as_ref())),
        ("measure", measure.map(|m| m.code().to_owned())),
        ("year", year.map(|y| y.to_string())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let back = format!(
        "/progress{}",
        crate::view::query_string([
            ("plan", progress.plan.as_deref()),
            ("district", progress.district.as_deref()),
        ])
    );
    let title = match &progress.district {
        Some(code) => format!(
            "{}{}",
            t.get("progress.people.title"),
            bracket(lang, &district_name(code, lang))
        ),
        None => t.get("progress.people.title").to_owned(),
    };
    PeoplePage {
        layout: Layout::new(&ctx, title),
        back,
        narrowed,
        total: found.total,
        pager: Pager::new("/progress/people", &keep, page, PER_PAGE, found.total),
        downloads: Downloads::offered::<CountedPeopleQuery>(
            &session.actor,
            "/progress/people/export",
            &keep,
        ),
        people: found
            .items
            .iter()
            .map(|c| PersonLine::new(c, lang))
            .collect(),
    }
    .into_response()
}
