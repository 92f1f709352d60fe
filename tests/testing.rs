//! This crate through `static_cors::testing`: the attribute, the layer, `csrf` and
//! the examples, from Chromium's, Firefox's and WebKit's point of view, with the
//! outcomes that the README and the guide (`src/guide/`) document.

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use static_cors::testing::{Browser, Credentials, Engine, Failure, Fetch, Outcome, Stage};
use static_cors::{CorsLayer, Policy, cors, cors_policy, cors_route};

#[allow(dead_code)]
#[path = "../examples/quickstart.rs"]
mod quickstart;

#[allow(dead_code)]
#[path = "../examples/app_wide.rs"]
mod app_wide;

/// Runs one fetch in a fresh browser of each engine; the outcomes in
/// `Engine::ALL`'s order.
async fn in_every_engine(app: &Router, fetch: impl Fn() -> Fetch) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for engine in Engine::ALL {
        outcomes.push(Browser::new(engine).fetch(app, fetch()).await);
    }
    outcomes
}

fn allowed(outcome: &Outcome) {
    assert!(outcome.is_allowed(), "{outcome:?}");
    assert!(outcome.warnings().is_empty(), "{outcome:?}");
}

fn blocked(outcome: &Outcome) {
    assert!(!outcome.is_allowed(), "{outcome:?}");
    assert_eq!(outcome.status(), None);
}

// The README's first example: two handlers on `/items`.

#[derive(serde::Deserialize, serde::Serialize)]
struct Item {
    name: String,
}

#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET],
    credentials,
    max_age = 600,
)]
async fn list_items() -> axum::Json<Vec<Item>> {
    axum::Json(Vec::new())
}

#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [POST],
    headers = ["content-type"],
    credentials,
    max_age = 600,
)]
async fn create_item(axum::Json(item): axum::Json<Item>) -> axum::Json<Item> {
    axum::Json(item)
}

fn attribute_app() -> Router {
    Router::new().route("/items", cors_route!(list_items, create_item))
}

const ITEMS: &str = "https://api.example.com/items";

fn json_post(origin: &str) -> Fetch {
    Fetch::new(origin, "POST", ITEMS)
        .header("content-type", "application/json")
        .credentials(Credentials::Include)
        .body(r#"{"name":"pen"}"#)
}

#[tokio::test]
async fn the_attribute_lets_its_origins_read_with_credentials() {
    let app = attribute_app();
    for origin in ["https://app.example.com", "https://shop.example.org"] {
        for outcome in in_every_engine(&app, || {
            Fetch::new(origin, "GET", ITEMS).credentials(Credentials::Include)
        })
        .await
        {
            allowed(&outcome);
            assert!(!outcome.preflight_sent(), "a GET needs no preflight");
            assert_eq!(outcome.status(), Some(StatusCode::OK));
            assert_eq!(
                outcome.readable_header("content-type").unwrap(),
                "application/json"
            );
        }
    }
}

#[tokio::test]
async fn a_json_post_is_preflighted_and_allowed_by_its_handlers_policy() {
    let app = attribute_app();
    for outcome in in_every_engine(&app, || json_post("https://app.example.com")).await {
        allowed(&outcome);
        assert!(
            outcome.preflight_sent(),
            "`application/json` is not safelisted"
        );
        assert_eq!(outcome.status(), Some(StatusCode::OK));
    }
}

#[tokio::test]
async fn a_put_that_the_policy_does_not_serve_is_blocked_at_its_preflight() {
    let app = attribute_app();
    for outcome in in_every_engine(&app, || {
        Fetch::new("https://app.example.com", "PUT", ITEMS).credentials(Credentials::Include)
    })
    .await
    {
        blocked(&outcome);
        assert!(outcome.preflight_sent());
        assert!(!outcome.actual_sent(), "the PUT never reaches the handler");
        assert_eq!(
            outcome.failure().and_then(Failure::stage),
            Some(Stage::Preflight)
        );
    }
}

#[tokio::test]
async fn an_origin_the_policy_does_not_list_is_blocked() {
    let app = attribute_app();
    // Near misses: a suffix, the bare domain of the pattern, another scheme.
    for origin in [
        "https://app.example.com.evil.net",
        "https://example.org",
        "http://app.example.com",
    ] {
        for outcome in in_every_engine(&app, || json_post(origin)).await {
            blocked(&outcome);
            assert!(!outcome.actual_sent(), "{origin}: the POST is never sent");
        }
        // A simple GET is sent (the handler runs); only its answer is hidden.
        for outcome in in_every_engine(&app, || Fetch::new(origin, "GET", ITEMS)).await {
            blocked(&outcome);
            assert!(outcome.actual_sent());
            assert!(
                matches!(
                    outcome.failure(),
                    Some(Failure::AllowOrigin { seen: None, .. })
                ),
                "{outcome}"
            );
        }
    }
}

#[tokio::test]
async fn a_null_origin_is_never_allowed() {
    let app = attribute_app();
    for outcome in in_every_engine(&app, || Fetch::new("null", "GET", ITEMS)).await {
        blocked(&outcome);
    }
}

#[tokio::test]
async fn the_preflight_is_cached_for_max_age() {
    let app = attribute_app();
    for engine in Engine::ALL {
        let mut browser = Browser::new(engine);
        let post = || json_post("https://app.example.com");
        assert!(browser.fetch(&app, post()).await.preflight_sent());
        browser.advance(Duration::from_secs(599));
        let cached = browser.fetch(&app, post()).await;
        allowed(&cached);
        assert!(!cached.preflight_sent(), "{engine}: within max_age = 600");
        browser.advance(Duration::from_secs(1));
        assert!(
            browser.fetch(&app, post()).await.preflight_sent(),
            "{engine}"
        );
    }
}

// The application-wide example of the guide's page on the layer.

static API: Policy = cors_policy!(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET, POST, DELETE],
    headers = ["content-type", "authorization"],
    credentials,
    max_age = 600,
);

async fn not_found() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "no such resource")
}

#[cors(origins = ["https://admin.example.com"], methods = [GET])]
async fn admin() -> &'static str {
    "admin"
}

fn layer_app() -> Router {
    Router::new()
        .route(
            "/items",
            get(|| async { "[]" }).post(|body: String| async { body }),
        )
        .fallback(not_found)
        .layer(CorsLayer::new(&API))
        .route("/admin", cors_route!(admin))
}

#[tokio::test]
async fn the_layer_answers_preflights_for_every_path_and_its_404_is_readable() {
    let app = layer_app();
    for outcome in in_every_engine(&app, || {
        Fetch::new(
            "https://app.example.com",
            "DELETE",
            "https://api.example.com/no/such/path",
        )
        .header("authorization", "Bearer t")
        .credentials(Credentials::Include)
    })
    .await
    {
        allowed(&outcome);
        assert!(outcome.preflight_sent());
        assert_eq!(outcome.status(), Some(StatusCode::NOT_FOUND));
    }
}

#[tokio::test]
async fn the_layer_blocks_a_method_outside_its_policy() {
    let app = layer_app();
    for outcome in in_every_engine(&app, || {
        Fetch::new("https://app.example.com", "PUT", ITEMS).credentials(Credentials::Include)
    })
    .await
    {
        blocked(&outcome);
        assert!(!outcome.actual_sent());
    }
}

#[tokio::test]
async fn a_route_after_the_layer_keeps_its_own_policy() {
    let app = layer_app();
    let admin_url = "https://api.example.com/admin";
    for outcome in in_every_engine(&app, || {
        Fetch::new("https://admin.example.com", "GET", admin_url)
    })
    .await
    {
        allowed(&outcome);
        assert_eq!(outcome.status(), Some(StatusCode::OK));
    }
    for outcome in in_every_engine(&app, || {
        Fetch::new("https://app.example.com", "GET", admin_url)
    })
    .await
    {
        blocked(&outcome);
    }
}

// `csrf`, from the guide's page on it.

#[cors(origins = ["https://app.example.com"], methods = [POST], credentials, csrf)]
async fn transfer(body: String) -> String {
    body
}

#[tokio::test]
async fn csrf_refuses_a_cross_origin_form_post_that_cors_alone_lets_through() {
    let app = Router::new().route("/transfer", cors_route!(transfer));
    let url = "https://bank.example.com/transfer";
    let form = |origin: &str| {
        Fetch::new(origin, "POST", url)
            .header("content-type", "application/x-www-form-urlencoded")
            .credentials(Credentials::Include)
            .body("to=mallory")
    };
    for engine in Engine::ALL {
        let mut browser = Browser::new(engine);
        let outcome = browser.fetch(&app, form("https://evil.example")).await;
        assert!(!outcome.preflight_sent(), "a form POST is a simple request");
        assert!(outcome.actual_sent(), "it reaches the server");
        blocked(&outcome);
        let sent = outcome.actual_request().unwrap();
        assert_eq!(sent.headers()["sec-fetch-site"], "cross-site");
        let received = outcome.actual_response().unwrap();
        assert_eq!(
            received.status(),
            StatusCode::FORBIDDEN,
            "refused before the handler"
        );
        let outcome = browser.fetch(&app, form("https://app.example.com")).await;
        allowed(&outcome);
        assert_eq!(outcome.status(), Some(StatusCode::OK));
    }
}

// examples/quickstart.rs, as its doc comment describes it.

#[tokio::test]
async fn quickstart_lets_its_front_end_list_and_create_with_credentials() {
    let app = quickstart::app();
    let front = "http://localhost:5173";
    for engine in Engine::ALL {
        let mut browser = Browser::new(engine);
        let create = Fetch::new(front, "POST", "http://localhost:3000/items")
            .header("content-type", "application/json")
            .credentials(Credentials::Include)
            .body(r#"{"name":"pen"}"#);
        let outcome = browser.fetch(&app, create).await;
        allowed(&outcome);
        assert!(outcome.preflight_sent());
        assert_eq!(outcome.status(), Some(StatusCode::CREATED));

        let list = Fetch::new(front, "GET", "http://localhost:3000/items")
            .credentials(Credentials::Include);
        let outcome = browser.fetch(&app, list).await;
        allowed(&outcome);
        assert!(
            outcome.readable_header("x-total-count").is_some(),
            "exposed: {outcome:?}"
        );

        // A malformed body: axum's rejection, readable by the front end.
        let malformed = Fetch::new(front, "POST", "http://localhost:3000/items")
            .header("content-type", "application/json")
            .credentials(Credentials::Include)
            .body("{");
        let outcome = browser.fetch(&app, malformed).await;
        allowed(&outcome);
        assert!(!outcome.preflight_sent(), "{engine}: cached for 600 s");
        assert_eq!(outcome.status(), Some(StatusCode::BAD_REQUEST));
    }
}

#[tokio::test]
async fn quickstart_hides_its_items_from_other_origins() {
    let app = quickstart::app();
    for outcome in in_every_engine(&app, || {
        Fetch::new("https://evil.example", "GET", "http://localhost:3000/items")
            .credentials(Credentials::Include)
    })
    .await
    {
        blocked(&outcome);
        assert!(outcome.actual_sent());
    }
}

#[tokio::test]
async fn quickstart_health_is_open_to_any_origin_without_credentials() {
    let app = quickstart::app();
    let health = "http://localhost:3000/health";
    for outcome in
        in_every_engine(&app, || Fetch::new("https://anyone.example", "GET", health)).await
    {
        allowed(&outcome);
        assert_eq!(outcome.status(), Some(StatusCode::OK));
    }
    for outcome in in_every_engine(&app, || {
        Fetch::new("https://anyone.example", "GET", health).credentials(Credentials::Include)
    })
    .await
    {
        blocked(&outcome);
        assert!(
            outcome
                .to_string()
                .contains("is `*`, which a credentialed request refuses"),
            "{outcome}"
        );
    }
}

// examples/app_wide.rs, as its doc comment describes it.

const FRONT: &str = "http://localhost:5173";
const API_URL: &str = "http://localhost:3001";

#[tokio::test]
async fn app_wide_answers_preflights_for_unrouted_paths_and_its_404_is_readable() {
    let app = app_wide::app();
    for outcome in in_every_engine(&app, || {
        Fetch::new(FRONT, "DELETE", format!("{API_URL}/no/such/path"))
            .header("content-type", "application/json")
            .credentials(Credentials::Include)
    })
    .await
    {
        allowed(&outcome);
        assert!(outcome.preflight_sent());
        assert_eq!(outcome.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(
            outcome.readable_header("content-type").unwrap(),
            "application/json"
        );
    }
}

#[tokio::test]
async fn app_wide_creates_lists_and_deletes_from_its_front_end() {
    let app = app_wide::app();
    for engine in Engine::ALL {
        let mut browser = Browser::new(engine);
        let create = Fetch::new(FRONT, "POST", format!("{API_URL}/items"))
            .header("content-type", "application/json")
            .header("authorization", "Bearer t")
            .credentials(Credentials::Include)
            .body(r#"{"name":"pen"}"#);
        let outcome = browser.fetch(&app, create).await;
        allowed(&outcome);
        assert_eq!(outcome.status(), Some(StatusCode::CREATED));

        let list =
            Fetch::new(FRONT, "GET", format!("{API_URL}/items")).credentials(Credentials::Include);
        let outcome = browser.fetch(&app, list).await;
        allowed(&outcome);
        assert!(
            outcome.readable_header("x-total-count").is_some(),
            "{outcome:?}"
        );

        let delete = Fetch::new(FRONT, "DELETE", format!("{API_URL}/items/999"))
            .credentials(Credentials::Include);
        let outcome = browser.fetch(&app, delete).await;
        allowed(&outcome);
        assert_eq!(
            outcome.status(),
            Some(StatusCode::NOT_FOUND),
            "a JSON 404, readable"
        );
    }
}

#[tokio::test]
async fn app_wide_413_from_the_body_limit_is_readable() {
    let app = app_wide::app();
    for outcome in in_every_engine(&app, || {
        Fetch::new(FRONT, "POST", format!("{API_URL}/items"))
            .header("content-type", "application/json")
            .credentials(Credentials::Include)
            .body(vec![b' '; 2048])
    })
    .await
    {
        allowed(&outcome);
        assert_eq!(outcome.status(), Some(StatusCode::PAYLOAD_TOO_LARGE));
    }
}

#[tokio::test]
async fn app_wide_refuses_other_origins_at_the_preflight_and_hides_simple_answers() {
    let app = app_wide::app();
    for outcome in in_every_engine(&app, || {
        Fetch::new("https://evil.example", "POST", format!("{API_URL}/items"))
            .header("content-type", "application/json")
            .body("{}")
    })
    .await
    {
        blocked(&outcome);
        assert!(
            matches!(
                outcome.failure(),
                Some(Failure::PreflightStatus { status, .. }) if *status == StatusCode::FORBIDDEN
            ),
            "{outcome}"
        );
        assert!(!outcome.actual_sent());
    }
    for outcome in in_every_engine(&app, || {
        Fetch::new("https://evil.example", "GET", format!("{API_URL}/items"))
    })
    .await
    {
        blocked(&outcome);
        assert!(
            outcome.actual_sent(),
            "its request runs, with no CORS header"
        );
    }
}

#[tokio::test]
async fn app_wide_health_keeps_its_own_policy_outside_the_layer() {
    let app = app_wide::app();
    for outcome in in_every_engine(&app, || {
        Fetch::new(
            "https://status.example.net",
            "GET",
            format!("{API_URL}/health"),
        )
    })
    .await
    {
        allowed(&outcome);
        assert_eq!(outcome.status(), Some(StatusCode::OK));
    }
}

// The guide's page "Test your app's CORS without a browser".

mod guide {
    include!("support/guide_testing.rs");

    /// The example's application, for the test of the guide's text below.
    pub(super) fn application() -> Router {
        app()
    }
}

#[tokio::test]
async fn the_guide_and_the_readme_show_the_tested_example_and_a_real_blocked_outcome() {
    let text = include_str!("../src/guide/testing.md");
    let example = include_str!("support/guide_testing.rs");
    assert!(
        text.contains(&format!("```rust,ignore\n{example}```\n")),
        "the guide's example must be tests/support/guide_testing.rs, verbatim"
    );
    let delete = Fetch::new(
        "https://app.example.com",
        "DELETE",
        "https://api.example.com/items/1",
    )
    .credentials(Credentials::Include);
    let outcome = Browser::new(Engine::Firefox)
        .fetch(&guide::application(), delete)
        .await;
    assert!(
        text.contains(&format!("```text\n{outcome}\n```\n")),
        "the guide must show this outcome:\n{outcome}"
    );
    assert!(
        include_str!("../README.md").contains(&format!("```text\n{outcome}\n```\n")),
        "the README must show this outcome:\n{outcome}"
    );
}
