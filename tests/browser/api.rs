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

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use static_cors::{Policy, cors, cors_route};

/// The body of a new item.
#[derive(Deserialize)]
pub struct NewItem {
    name: String,
}

/// The API's state: the value of the session cookie that `/session/login` sets,
/// unique to a harness so that a test cannot see another run's cookie.
#[derive(Clone)]
pub struct ApiState {
    /// The session cookie's value.
    pub session: Arc<str>,
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

/// Every policy of the app, by handler name.
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
];

/// The app, with `session` as the value of the cookie that `/session/login` sets.
pub fn app(session: &str) -> Router {
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
        .with_state(ApiState {
            session: session.into(),
        })
}
