//! An in-process AbleWork on a fresh database of either engine, with an
//! account of every role and a few people in two districts.

use std::sync::Arc;

use ablework_app::auth::NewUserInput;
use ablework_app::persons::NewPersonInput;
use ablework_app::{Actor, App, AppConfig, FixedClock};
use ablework_domain::ident::resident_id_check_char;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A valid 18-character ID number from area, birth date and sequence.
pub fn id_number(area: &str, birth: &str, sequence: &str) -> String {
    let first17 = format!("{area}{birth}{sequence}");
    let check = resident_id_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// The password of every test account.
pub const PASSWORD: &str = "correct-horse-battery";

pub struct TestApp {
    pub router: Router,
    pub app: App,
    pub store: Arc<dyn ablework_store::Store>,
    /// Record ids of the seeded people: two in 和平区 (120101), one in 河东区 (120102).
    pub heping: Vec<i64>,
    pub hedong: Vec<i64>,
    _guard: Box<dyn std::any::Any + Send>,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl TestApp {
    pub async fn sqlite() -> Option<TestApp> {
        let guard = ablework_store_sql::testing::fresh_sqlite().await?;
        let store: Arc<dyn ablework_store::Store> = Arc::new((*guard).clone());
        Some(TestApp::build(store, Box::new(guard)).await)
    }

    pub async fn postgres() -> Option<TestApp> {
        let guard = ablework_store_sql::testing::fresh_postgres().await?;
        let store: Arc<dyn ablework_store::Store> = Arc::new((*guard).clone());
        Some(TestApp::build(store, Box::new(guard)).await)
    }

    async fn build(
        store: Arc<dyn ablework_store::Store>,
        guard: Box<dyn std::any::Any + Send>,
    ) -> TestApp {
        let clock = Arc::new(FixedClock::new(
            Utc.with_ymd_and_hms(2024, 6, 30, 2, 0, 0).unwrap(),
        ));
        let mut config = AppConfig::with_secret([42; 64]);
        config.login_max_failures = 3;
        let app = App::new(store.clone(), config, clock);
        for (username, role, district, org) in [
            ("admin", "city_admin", None, None),
            ("officer", "district_officer", Some("120101"), None),
            ("officer2", "district_officer", Some("120102"), None),
            ("employer", "employer", None, Some(1)),
            ("institution", "institution", None, Some(2)),
        ] {
            let input = NewUserInput {
                username: username.to_owned(),
                password: PASSWORD.to_owned(),
                role: role.to_owned(),
                district: district.map(str::to_owned),
                organisation_id: org,
                person_id: None,
            };
            app.create_user(None, input).await.unwrap();
        }
        let admin = actor(&app, "admin").await;
        let mut heping = Vec::new();
        let mut hedong = Vec::new();
        for (name, id, district) in [
            ("张伟", id_number("120101", "19900307", "123"), "120101"),
            ("王芳", id_number("120101", "19851120", "244"), "120101"),
            ("李娜", id_number("120102", "19780601", "322"), "120102"),
        ] {
            let input = NewPersonInput {
                name: name.to_owned(),
                certificate_number: format!("{id}42"),
                id_number: id,
                district: district.to_owned(),
                phone: Some("13812341234".to_owned()),
                ..NewPersonInput::default()
            };
            let view = app.create_person(&admin, input).await.unwrap();
            if district == "120101" {
                heping.push(view.id);
            } else {
                hedong.push(view.id);
            }
        }
        let seeker = NewUserInput {
            username: "seeker".to_owned(),
            password: PASSWORD.to_owned(),
            role: "seeker".to_owned(),
            district: None,
            organisation_id: None,
            person_id: Some(heping[0]),
        };
        app.create_user(None, seeker).await.unwrap();
        let router = ablework_web::router(app.clone());
        TestApp {
            router,
            app,
            store,
            heping,
            hedong,
            _guard: guard,
        }
    }

    pub async fn token(&self, username: &str) -> String {
        self.app.create_api_token(None, username).await.unwrap()
    }

    pub async fn send(&self, request: Request<Body>) -> Response {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Response {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = Request::get(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn post_json(&self, path: &str, token: &str, body: &str) -> Response {
        let request = Request::post(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        self.send(request).await
    }

    /// Audit records with an action, newest first.
    pub async fn audit(&self, action: &str) -> Vec<ablework_store::AuditRecord> {
        let filter = ablework_store::AuditFilter {
            action: Some(action.to_owned()),
            page: 1,
            per_page: 200,
            ..Default::default()
        };
        self.store.search_audit(&filter).await.unwrap().items
    }
}

pub async fn actor(app: &App, username: &str) -> Actor {
    let token = app.create_api_token(None, username).await.unwrap();
    app.authenticate_token(&token, None).await.unwrap()
}
