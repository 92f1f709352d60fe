//! The API under test: an axum app whose handlers carry `#[cors]` policies and
//! are mounted with `cors_route!`, as a user of the library would write it.
//!
//! Every policy allows only `localhost` origins (`http://localhost:*` and/or
//! `http://*.localhost:*`), so the page origin `http://127.0.0.1:<port>` is
//! allowed by none of them; [`POLICIES`] lists them all so that a test can
//! check that.
//!
//! | path               | method | handler          | policy                                                        |
//! |--------------------|--------|------------------|---------------------------------------------------------------|
//! | `/hello`           | GET    | `hello`          | `http://localhost:*`                                          |
//! | `/session/login`   | GET    | `login`          | `http://localhost:*`, credentials; sets the `session` cookie  |
//! | `/session/whoami`  | GET    | `whoami`         | `http://localhost:*`, credentials; echoes the `Cookie` header |
//! | `/items`           | GET    | `list_items`     | `http://localhost:*`                                          |
//! | `/items`           | POST   | `create_item`    | `http://localhost:*`, `content-type`; takes `Json<NewItem>`   |
//! | `/preflight/600`   | POST   | `cached_echo`    | `http://localhost:*`, `content-type`, `max_age = 600`         |
//! | `/preflight/none`  | POST   | `default_echo`   | `http://localhost:*`, `content-type`, no `max_age` (5 s)      |
//! | `/preflight/0`     | POST   | `uncached_echo`  | `http://localhost:*`, `content-type`, `max_age = 0`           |
//! | `/exposed`         | GET    | `exposed`        | `http://localhost:*`, exposes `x-exposed` (not `x-unexposed`) |
//! | `/subdomains`      | GET    | `subdomain_only` | `http://*.localhost:*` only, `x-client`                       |
//! | `/shared`          | GET    | `shared_read`    | `http://localhost:*`                                          |
//! | `/shared`          | POST   | `shared_write`   | `http://*.localhost:*` only, `content-type`                   |
//! | `/transfer`        | POST   | `transfer`       | `http://localhost:*`, `csrf`; records the form it received    |
//! | `/transfer/open`   | POST   | `open_transfer`  | `http://localhost:*`, no `csrf`; records the form too         |

use std::sync::{Arc, Mutex};

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use static_cors::{CorsLayer, Policy, cors, cors_policy, cors_route};

/// The body of a new item.
#[derive(Deserialize)]
pub struct NewItem {
    name: String,
}

/// The API's state: the value of the session cookie that `/session/login` sets,
/// unique to a harness so that a test cannot see another run's cookie, and the
/// transfers that the write handlers carried out.
#[derive(Clone)]
pub struct ApiState {
    /// The session cookie's value.
    pub session: Arc<str>,
    /// What the transfer handlers received.
    pub transfers: Transfers,
}

/// The forms that reached a transfer handler, as `<path>: <body>`, in order.
#[derive(Clone, Default)]
pub struct Transfers(Arc<Mutex<Vec<String>>>);

impl Transfers {
    fn record(&self, path: &str, body: String) {
        let mut transfers = self.0.lock().expect("transfers poisoned");
        transfers.push(format!("{path}: {body}"));
    }

    /// Every transfer recorded so far.
    pub fn all(&self) -> Vec<String> {
        self.0.lock().expect("transfers poisoned").clone()
    }
}

#[cors(origins = ["http://localhost:*"], methods = [GET])]
async fn hello() -> &'static str {
    "hello from the API"
}

#[cors(origins = ["http://localhost:*"], methods = [GET], credentials)]
async fn login(State(state): State<ApiState>) -> impl IntoResponse {
    let cookie = format!("session={}; Path=/; SameSite=Lax", state.session);
    ([(header::SET_COOKIE, cookie)], "logged in")
}

#[cors(origins = ["http://localhost:*"], methods = [GET], credentials)]
async fn whoami(headers: HeaderMap) -> String {
    match headers.get(header::COOKIE).and_then(|v| v.to_str().ok()) {
        Some(cookie) => format!("cookie: {cookie}"),
        None => "no cookie".to_owned(),
    }
}

#[cors(origins = ["http://localhost:*"], methods = [GET])]
async fn list_items() -> Json<Value> {
    Json(json!([]))
}

#[cors(origins = ["http://localhost:*"], methods = [POST], headers = ["content-type"])]
async fn create_item(Json(item): Json<NewItem>) -> impl IntoResponse {
    (StatusCode::CREATED, Json(json!({ "created": item.name })))
}

#[cors(origins = ["http://localhost:*"], methods = [POST], headers = ["content-type"], max_age = 600)]
async fn cached_echo(body: String) -> String {
    body
}

#[cors(origins = ["http://localhost:*"], methods = [POST], headers = ["content-type"])]
async fn default_echo(body: String) -> String {
    body
}

#[cors(origins = ["http://localhost:*"], methods = [POST], headers = ["content-type"], max_age = 0)]
async fn uncached_echo(body: String) -> String {
    body
}

#[cors(origins = ["http://localhost:*"], methods = [GET], expose = ["x-exposed"])]
async fn exposed() -> impl IntoResponse {
    (
        [("x-exposed", "visible"), ("x-unexposed", "hidden")],
        "headers attached",
    )
}

#[cors(origins = ["http://*.localhost:*"], methods = [GET], headers = ["x-client"])]
async fn subdomain_only() -> &'static str {
    "hello, subdomain"
}

#[cors(origins = ["http://localhost:*"], methods = [GET])]
async fn shared_read() -> &'static str {
    "read from localhost"
}

#[cors(origins = ["http://*.localhost:*"], methods = [POST], headers = ["content-type"])]
async fn shared_write(body: String) -> String {
    format!("written: {body}")
}

/// Debug mode: a preflight that fails on a header is answered `204` with what
/// matched, so that the console names the header; the browser still refuses.
#[cors(origins = ["http://localhost:*"], methods = [GET], headers = ["x-client"], debug)]
async fn debugging() -> &'static str {
    "debug"
}

/// A write that changes state: protected from cross-origin forms by `csrf`.
#[cors(origins = ["http://localhost:*"], methods = [POST], csrf)]
pub async fn transfer(State(state): State<ApiState>, body: String) -> &'static str {
    state.transfers.record("/transfer", body);
    "transferred"
}

/// The same write without `csrf`: CORS alone lets a form reach it.
#[cors(origins = ["http://localhost:*"], methods = [POST])]
pub async fn open_transfer(State(state): State<ApiState>, body: String) -> &'static str {
    state.transfers.record("/transfer/open", body);
    "transferred"
}

/// The application-wide policy of [`layered_app`], served by its `CorsLayer`.
pub static APP_POLICY: Policy = cors_policy!(
    origins = ["http://localhost:*"],
    methods = [GET, POST],
    headers = ["content-type"],
);

/// The largest request body, in bytes, that `POST /app/items` accepts.
pub const APP_BODY_LIMIT: usize = 16;

/// The body of the 404 that [`layered_app`]'s fallback answers.
pub const APP_NOT_FOUND: &str = "no such resource in the layered app";

async fn app_list() -> Json<Value> {
    Json(json!([]))
}

async fn app_create(body: String) -> (StatusCode, String) {
    (StatusCode::CREATED, body)
}

async fn app_not_found() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, APP_NOT_FOUND)
}

/// Mounted after the layer: answers with this policy, not the layer's.
#[cors(origins = ["http://a.localhost:*"], methods = [GET], headers = ["x-admin"])]
pub async fn app_admin() -> &'static str {
    "admin, by the route's own policy"
}

/// The application behind a `CorsLayer`, served under `/app`: the routes and
/// the fallback added before `.layer(..)` answer with [`APP_POLICY`];
/// `/admin`, mounted after it, with the policy of `app_admin`.
pub fn layered_app() -> Router {
    Router::new()
        .route("/items", get(app_list).post(app_create))
        .layer(DefaultBodyLimit::max(APP_BODY_LIMIT))
        .fallback(app_not_found)
        .layer(CorsLayer::new(&APP_POLICY))
        .route("/admin", cors_route!(app_admin))
}

/// Every policy of the app, by handler name (the layer's as `CorsLayer`).
pub static POLICIES: &[(&str, &Policy)] = &[
    ("hello", &hello::POLICY),
    ("login", &login::POLICY),
    ("whoami", &whoami::POLICY),
    ("list_items", &list_items::POLICY),
    ("create_item", &create_item::POLICY),
    ("cached_echo", &cached_echo::POLICY),
    ("default_echo", &default_echo::POLICY),
    ("uncached_echo", &uncached_echo::POLICY),
    ("exposed", &exposed::POLICY),
    ("subdomain_only", &subdomain_only::POLICY),
    ("shared_read", &shared_read::POLICY),
    ("shared_write", &shared_write::POLICY),
    ("transfer", &transfer::POLICY),
    ("open_transfer", &open_transfer::POLICY),
    ("debugging", &debugging::POLICY),
    ("CorsLayer", &APP_POLICY),
    ("app_admin", &app_admin::POLICY),
];

/// The app, with `session` as the value of the cookie that `/session/login` sets,
/// recording its transfers in `transfers`, and [`layered_app`] under `/app`.
pub fn app(session: &str, transfers: Transfers) -> Router {
    Router::new()
        .route("/hello", cors_route!(hello))
        .route("/session/login", cors_route!(login))
        .route("/session/whoami", cors_route!(whoami))
        .route("/items", cors_route!(list_items, create_item))
        .route("/preflight/600", cors_route!(cached_echo))
        .route("/preflight/none", cors_route!(default_echo))
        .route("/preflight/0", cors_route!(uncached_echo))
        .route("/exposed", cors_route!(exposed))
        .route("/subdomains", cors_route!(subdomain_only))
        .route("/shared", cors_route!(shared_read, shared_write))
        .route("/transfer", cors_route!(transfer))
        .route("/transfer/open", cors_route!(open_transfer))
        .route("/debug", cors_route!(debugging))
        .with_state(ApiState {
            session: session.into(),
            transfers,
        })
        .nest("/app", layered_app())
}
