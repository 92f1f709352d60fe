//! End-to-end CORS in a real browser: Chromium, Firefox or WebKit runs
//! cross-origin `fetch` calls from test pages against an axum app whose
//! handlers use `#[cors]`, and each test asserts what the page's script could
//! and could not do, and what the API server received. Under `/app` the API
//! also serves an application behind one `CorsLayer` (tests 11 to 13). Test 14
//! posts HTML forms, which no script sends and no preflight guards, to handlers
//! with and without `csrf`. Test 15 (`websocket.rs`) opens WebSockets to the
//! app of `examples/websocket.rs`, from pages on port 5173. `differences.rs`
//! holds the cases in which the engines are known or suspected to differ, each
//! asserting every engine's own behaviour; `rules.rs` shows each rule of the
//! client-side CORS algorithm in the engine. Every `fetch` also runs through
//! `static_cors::testing` for the same engine, against the same `Router`, and
//! the two verdicts must agree (`differential.rs`).
//!
//! The origins: pages are served by one page server as `http://localhost:<A>`
//! (allowed by `http://localhost:*`), `http://a.localhost:<A>` (allowed by
//! `http://*.localhost:*`) and `http://127.0.0.1:<A>` (allowed by no policy);
//! the API is `http://localhost:<B>`, another origin of the same site. Every
//! engine resolves `*.localhost` to loopback by itself. Ports are chosen by the
//! OS.
//!
//! Each test starts its own harness (API server, page server, WebDriver server,
//! browser with a fresh, empty profile), so tests may run in parallel and never
//! share cookies, preflight cache entries or request counts. A machine where the
//! browser cannot start fails every test with the reason; it never passes.
//!
//! Run with `cargo test -p static-cors-browser-tests --test browser`, with
//! `BROWSER_ENGINE=chromium|firefox|webkit` (Chromium when unset; WebKit under
//! `xvfb-run -a`), or `.ci/browser.sh`, which installs the three engines and
//! runs the suite in each. Add `-- --nocapture` to see every fetch and request
//! count. `engine.rs` lists the binaries and the variables that override them.

mod api;
mod browser;
mod differences;
mod differential;
mod engine;
mod harness;
mod rules;
mod servers;
mod websocket;
#[path = "../../examples/websocket.rs"]
#[allow(dead_code)] // its `main`
mod websocket_example;

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, header};
use serde_json::json;
use tower::ServiceExt as _;

use browser::Browser;
use engine::Engine;
use harness::{Harness, Page, json_post};

/// 1. A simple `GET` from an allowed origin is readable, and is not preflighted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simple_get_from_allowed_origin_is_readable() {
    const WHAT: &str = "[1 simple GET from http://localhost:<A>]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;

    h.fetch(WHAT, "/hello", json!({}), &[])
        .await
        .readable()
        .status(200)
        .body("hello from the API");
    h.expect_answers(WHAT, "GET", "/hello", &[200]);
    h.expect_answers(WHAT, "OPTIONS", "/hello", &[]);
    assert_eq!(
        h.log.requests("GET", "/hello")[0].origin,
        Some(h.origin(Page::Localhost)),
        "{WHAT}: the Origin header the API received"
    );
    h.shutdown().await;
}

/// 2. Credentialed `GET`s: a cookie that the API sets is sent back on the next
/// credentialed request, and the script reads both responses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentialed_get_round_trips_a_cookie() {
    const WHAT: &str = "[2 credentialed GET with a cookie]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    let include = json!({ "credentials": "include" });
    let cookie = format!("session={}", h.session);

    h.fetch(WHAT, "/session/login", include.clone(), &[])
        .await
        .readable()
        .status(200)
        .body("logged in");
    h.fetch(WHAT, "/session/whoami", include, &[])
        .await
        .readable()
        .status(200)
        .body(&format!("cookie: {cookie}"));
    let seen = h.log.requests("GET", "/session/whoami");
    assert_eq!(
        seen.len(),
        1,
        "{WHAT}: the API should have received one GET /session/whoami: {seen:?}"
    );
    assert_eq!(
        seen[0].cookie.as_deref(),
        Some(cookie.as_str()),
        "{WHAT}: the Cookie header the API received on the credentialed request"
    );

    // The cookie went back because of `credentials: 'include'`: without it, none.
    h.fetch(WHAT, "/session/whoami", json!({}), &[])
        .await
        .readable()
        .body("no cookie");
    assert_eq!(
        h.log.requests("GET", "/session/whoami")[1].cookie,
        None,
        "{WHAT}: a request without credentials must not carry the cookie"
    );
    h.shutdown().await;
}

/// 3. A `POST` of `application/json` is preflighted once and then succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_post_is_preflighted_once_and_succeeds() {
    const WHAT: &str = "[3 preflighted JSON POST]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;

    h.fetch(WHAT, "/items", json_post(r#"{"name":"widget"}"#), &[])
        .await
        .readable()
        .status(201)
        .body(r#"{"created":"widget"}"#);
    h.expect_answers(WHAT, "OPTIONS", "/items", &[204]);
    h.expect_answers(WHAT, "POST", "/items", &[201]);
    h.shutdown().await;
}

/// 4. `max_age = 600` keeps the preflight cached past every engine's 5 s default:
/// after a 6 s wait the `max_age = 600` route is not preflighted again, while
/// the route without `max_age` is (the wait really outlived the default), and
/// the `max_age = 0` route is preflighted on every request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_cache_honours_max_age() {
    const WHAT: &str = "[4 preflight cache]";
    const PAST_DEFAULT: Duration = Duration::from_secs(6);
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    async fn post(h: &Harness, path: &str) {
        h.fetch(WHAT, path, json_post(r#"{"n":1}"#), &[])
            .await
            .readable()
            .status(200)
            .body(r#"{"n":1}"#);
    }

    post(&h, "/preflight/600").await;
    post(&h, "/preflight/none").await;
    post(&h, "/preflight/0").await;
    post(&h, "/preflight/0").await;
    h.expect_answers(WHAT, "OPTIONS", "/preflight/0", &[204, 204]);

    tokio::time::sleep(PAST_DEFAULT).await;
    post(&h, "/preflight/600").await;
    post(&h, "/preflight/none").await;
    h.expect_answers(WHAT, "OPTIONS", "/preflight/600", &[204]);
    h.expect_answers(WHAT, "POST", "/preflight/600", &[200, 200]);
    h.expect_answers(WHAT, "OPTIONS", "/preflight/none", &[204, 204]);
    h.expect_answers(WHAT, "POST", "/preflight/none", &[200, 200]);
    h.shutdown().await;
}

/// 5. A method that the path does not serve, and a request header that the
/// policy does not allow, fail their preflight: the browser blocks the fetch
/// and never sends the actual request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unserved_method_and_unlisted_header_are_blocked() {
    const METHOD: &str = "[5 DELETE on a GET/POST path]";
    const HEADER: &str = "[5 request header not in the policy]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;

    h.fetch(METHOD, "/items", json!({ "method": "DELETE" }), &[])
        .await
        .blocked();
    h.expect_answers(METHOD, "OPTIONS", "/items", &[403]);
    h.expect_answers(METHOD, "DELETE", "/items", &[]);

    let init = json!({ "headers": { "x-not-allowed": "1" } });
    h.fetch(HEADER, "/hello", init, &[]).await.blocked();
    h.expect_answers(HEADER, "OPTIONS", "/hello", &[403]);
    h.expect_answers(HEADER, "GET", "/hello", &[]);
    h.shutdown().await;
}

/// 6. A header listed in `expose` is readable from script; one the handler
/// sends but the policy does not expose reads as `null`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_exposed_headers_are_readable() {
    const WHAT: &str = "[6 exposed headers]";

    // Outside the browser: the handler does send both headers.
    let mut request = Request::get("/exposed").body(Body::empty()).unwrap();
    request.headers_mut().insert(
        header::ORIGIN,
        HeaderValue::from_static("http://localhost:1"),
    );
    let response = api::app("unused", api::Transfers::default())
        .oneshot(request)
        .await
        .unwrap();
    let sent = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok());
    assert_eq!(
        (sent("x-exposed"), sent("x-unexposed")),
        (Some("visible"), Some("hidden")),
        "{WHAT}: the handler's response headers"
    );

    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    h.fetch(WHAT, "/exposed", json!({}), &["x-exposed", "x-unexposed"])
        .await
        .readable()
        .status(200)
        .header("x-exposed", Some("visible"))
        .header("x-unexposed", None);
    h.shutdown().await;
}

/// 7. When the `Json` extractor rejects the body, the script reads the
/// rejection's status and text, not an opaque CORS failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extractor_rejections_are_readable() {
    const WHAT: &str = "[7 extractor rejection]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;

    let syntax = h.fetch(WHAT, "/items", json_post("{not json"), &[]).await;
    syntax.readable().status(400);
    assert!(
        syntax
            .text()
            .starts_with("Failed to parse the request body as JSON"),
        "{WHAT}: the 400 body read by the page: {syntax:?}"
    );

    let shape = h
        .fetch(WHAT, "/items", json_post(r#"{"name":5}"#), &[])
        .await;
    shape.readable().status(422);
    assert!(
        shape
            .text()
            .starts_with("Failed to deserialize the JSON body into the target type"),
        "{WHAT}: the 422 body read by the page: {shape:?}"
    );

    // A plain-text body is a simple request (no preflight); `Json` answers 415.
    let init = json!({ "method": "POST", "body": r#"{"name":"widget"}"# });
    h.fetch(WHAT, "/items", init, &[])
        .await
        .readable()
        .status(415)
        .body("Expected request with `Content-Type: application/json`");
    h.expect_answers(WHAT, "POST", "/items", &[400, 422, 415]);
    h.shutdown().await;
}

/// 8. From `http://127.0.0.1:<A>`, which no policy allows, every call is
/// blocked: a simple `GET`, a credentialed `GET`, a preflighted `POST`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disallowed_origin_is_blocked_everywhere() {
    const SIMPLE: &str = "[8 simple GET from http://127.0.0.1:<A>]";
    const CREDENTIALED: &str = "[8 credentialed GET from http://127.0.0.1:<A>]";
    const PREFLIGHTED: &str = "[8 preflighted POST from http://127.0.0.1:<A>]";
    let h = Harness::start().await;

    let origin = h.origin(Page::Disallowed);
    let mut request = HeaderMap::new();
    request.insert(header::ORIGIN, origin.parse().unwrap());
    for (name, policy) in api::POLICIES {
        assert_eq!(
            policy.allowed_origin(&request),
            None,
            "[8] the policy of `{name}` must not allow {origin}"
        );
    }

    h.open(Page::Disallowed).await;
    h.fetch(SIMPLE, "/hello", json!({}), &[]).await.blocked();
    // A simple request reaches the handler; only its response is withheld.
    h.expect_answers(SIMPLE, "GET", "/hello", &[200]);

    h.fetch(
        CREDENTIALED,
        "/session/whoami",
        json!({ "credentials": "include" }),
        &[],
    )
    .await
    .blocked();
    h.expect_answers(CREDENTIALED, "GET", "/session/whoami", &[200]);

    h.fetch(
        PREFLIGHTED,
        "/items",
        json_post(r#"{"name":"widget"}"#),
        &[],
    )
    .await
    .blocked();
    h.expect_answers(PREFLIGHTED, "OPTIONS", "/items", &[403]);
    h.expect_answers(PREFLIGHTED, "POST", "/items", &[]);
    h.shutdown().await;
}

/// 9. A route whose only origin is `http://*.localhost:*` is open to
/// `http://a.localhost:<A>` and closed to `http://localhost:<A>`, for simple
/// and preflighted requests alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subdomain_pattern_allows_only_subdomains() {
    const SUBDOMAIN: &str = "[9 *.localhost route from http://a.localhost:<A>]";
    const BARE: &str = "[9 *.localhost route from http://localhost:<A>]";
    let h = Harness::start().await;
    let preflighted = json!({ "headers": { "x-client": "browser-suite" } });

    h.open(Page::Subdomain).await;
    h.fetch(SUBDOMAIN, "/subdomains", json!({}), &[])
        .await
        .readable()
        .status(200)
        .body("hello, subdomain");
    h.fetch(SUBDOMAIN, "/subdomains", preflighted.clone(), &[])
        .await
        .readable()
        .status(200)
        .body("hello, subdomain");
    h.expect_answers(SUBDOMAIN, "OPTIONS", "/subdomains", &[204]);
    h.expect_answers(SUBDOMAIN, "GET", "/subdomains", &[200, 200]);

    h.open(Page::Localhost).await;
    h.fetch(BARE, "/subdomains", json!({}), &[]).await.blocked();
    h.fetch(BARE, "/subdomains", preflighted, &[])
        .await
        .blocked();
    // The simple GET ran (and was withheld); the preflighted one was never sent.
    h.expect_answers(BARE, "OPTIONS", "/subdomains", &[204, 403]);
    h.expect_answers(BARE, "GET", "/subdomains", &[200, 200, 200]);
    h.shutdown().await;
}

/// 10. Two handlers on one path with different policies: `GET` is open to
/// `http://localhost:*`, `POST` only to `http://*.localhost:*`. Each page
/// origin can do exactly what the policy of the handler it calls allows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_handlers_on_one_path_keep_their_own_policies() {
    const LOCALHOST: &str = "[10 /shared from http://localhost:<A>]";
    const SUBDOMAIN: &str = "[10 /shared from http://a.localhost:<A>]";
    let h = Harness::start().await;

    h.open(Page::Localhost).await;
    h.fetch(LOCALHOST, "/shared", json!({}), &[])
        .await
        .readable()
        .status(200)
        .body("read from localhost");
    h.fetch(LOCALHOST, "/shared", json_post(r#"{"n":1}"#), &[])
        .await
        .blocked();
    h.expect_answers(LOCALHOST, "GET", "/shared", &[200]);
    h.expect_answers(LOCALHOST, "OPTIONS", "/shared", &[403]);
    h.expect_answers(LOCALHOST, "POST", "/shared", &[]);

    h.open(Page::Subdomain).await;
    h.fetch(SUBDOMAIN, "/shared", json!({}), &[])
        .await
        .blocked();
    h.fetch(SUBDOMAIN, "/shared", json_post(r#"{"n":2}"#), &[])
        .await
        .readable()
        .status(200)
        .body(r#"written: {"n":2}"#);
    h.expect_answers(SUBDOMAIN, "GET", "/shared", &[200, 200]);
    h.expect_answers(SUBDOMAIN, "OPTIONS", "/shared", &[403, 204]);
    h.expect_answers(SUBDOMAIN, "POST", "/shared", &[200]);
    h.shutdown().await;
}

/// A JSON body longer than the layered app's body limit.
fn oversized_body() -> String {
    let body = format!(r#"{{"name":"{}"}}"#, "w".repeat(api::APP_BODY_LIMIT));
    assert!(
        body.len() > api::APP_BODY_LIMIT,
        "the oversized body: {body}"
    );
    body
}

/// The `Origin` header of `origin`, to ask a policy outside the browser.
fn origin_header(origin: &str) -> HeaderMap {
    let mut request = HeaderMap::new();
    request.insert(header::ORIGIN, origin.parse().unwrap());
    request
}

/// 11. Behind a `CorsLayer` whose policy allows `http://localhost:*`, the page
/// on `http://localhost:<A>` reads the responses that no handler made: the
/// fallback's 404 (status and body) for an unrouted path, by a simple `GET` and
/// by a preflighted JSON `POST` whose preflight the layer answers although no
/// route serves the path; and the 413 of the body limit for a JSON `POST` over
/// it, whose preflight the layer answers too. A short body is accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layer_errors_are_readable_from_an_allowed_origin() {
    const NOT_FOUND: &str = "[11 layered 404 from http://localhost:<A>]";
    const TOO_LARGE: &str = "[11 layered 413 from http://localhost:<A>]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;

    h.fetch(NOT_FOUND, "/app/nowhere", json!({}), &[])
        .await
        .readable()
        .status(404)
        .body(api::APP_NOT_FOUND);
    h.expect_answers(NOT_FOUND, "GET", "/app/nowhere", &[404]);
    h.expect_answers(NOT_FOUND, "OPTIONS", "/app/nowhere", &[]);

    h.fetch(NOT_FOUND, "/app/missing", json_post(r#"{"n":1}"#), &[])
        .await
        .readable()
        .status(404)
        .body(api::APP_NOT_FOUND);
    h.expect_answers(NOT_FOUND, "OPTIONS", "/app/missing", &[204]);
    h.expect_answers(NOT_FOUND, "POST", "/app/missing", &[404]);

    h.fetch(TOO_LARGE, "/app/items", json_post(&oversized_body()), &[])
        .await
        .readable()
        .status(413)
        .body("Failed to buffer the request body: length limit exceeded");
    h.expect_answers(TOO_LARGE, "OPTIONS", "/app/items", &[204]);
    h.expect_answers(TOO_LARGE, "POST", "/app/items", &[413]);

    // The limit is what refused it: a body within the limit is created.
    // (Its preflight may come from the browser's cache, so OPTIONS is not counted.)
    h.fetch(TOO_LARGE, "/app/items", json_post(r#"{"n":1}"#), &[])
        .await
        .readable()
        .status(201)
        .body(r#"{"n":1}"#);
    h.expect_answers(TOO_LARGE, "POST", "/app/items", &[413, 201]);
    h.shutdown().await;
}

/// 12. A `cors_route!` route mounted after the `CorsLayer` answers with its own
/// policy (`http://a.localhost:*` only, `x-admin`), for simple and preflighted
/// requests: readable from `http://a.localhost:<A>`, which the layer's policy
/// does not allow (its 404 is blocked there), and blocked from
/// `http://localhost:<A>`, which the layer's policy allows (its 404 is readable
/// there).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn route_after_the_layer_keeps_its_own_policy() {
    const SUBDOMAIN: &str = "[12 /app/admin from http://a.localhost:<A>]";
    const LOCALHOST: &str = "[12 /app/admin from http://localhost:<A>]";
    const ADMIN_BODY: &str = "admin, by the route's own policy";
    let h = Harness::start().await;
    let preflighted = json!({ "headers": { "x-admin": "1" } });

    // Outside the browser: the two policies disagree on both page origins.
    for (page, layer, route) in [
        (Page::Subdomain, false, true),
        (Page::Localhost, true, false),
    ] {
        let request = origin_header(&h.origin(page));
        assert_eq!(
            (
                api::APP_POLICY.allowed_origin(&request).is_some(),
                api::app_admin::POLICY.allowed_origin(&request).is_some(),
            ),
            (layer, route),
            "[12] (layer's policy, route's policy) allow {}",
            h.origin(page)
        );
    }

    h.open(Page::Subdomain).await;
    h.fetch(SUBDOMAIN, "/app/admin", json!({}), &[])
        .await
        .readable()
        .status(200)
        .body(ADMIN_BODY);
    h.fetch(SUBDOMAIN, "/app/admin", preflighted.clone(), &[])
        .await
        .readable()
        .status(200)
        .body(ADMIN_BODY);
    h.expect_answers(SUBDOMAIN, "OPTIONS", "/app/admin", &[204]);
    h.expect_answers(SUBDOMAIN, "GET", "/app/admin", &[200, 200]);
    // The layer's own responses are not open to this origin.
    h.fetch(SUBDOMAIN, "/app/nowhere", json!({}), &[])
        .await
        .blocked();
    h.expect_answers(SUBDOMAIN, "GET", "/app/nowhere", &[404]);

    h.open(Page::Localhost).await;
    h.fetch(LOCALHOST, "/app/nowhere", json!({}), &[])
        .await
        .readable()
        .status(404)
        .body(api::APP_NOT_FOUND);
    h.expect_answers(LOCALHOST, "GET", "/app/nowhere", &[404, 404]);
    h.fetch(LOCALHOST, "/app/admin", json!({}), &[])
        .await
        .blocked();
    h.fetch(LOCALHOST, "/app/admin", preflighted, &[])
        .await
        .blocked();
    // The simple GET ran (and was withheld); the preflighted one was never sent.
    h.expect_answers(LOCALHOST, "OPTIONS", "/app/admin", &[204, 403]);
    h.expect_answers(LOCALHOST, "GET", "/app/admin", &[200, 200, 200]);
    h.shutdown().await;
}

/// 13. From `http://127.0.0.1:<A>`, which neither the layer's policy nor the
/// route's allows, everything under `/app` is blocked: the fallback's 404, the
/// oversized JSON `POST` (its preflight fails, so it is never sent), the same
/// body as a simple text `POST` (it reaches the API, whose 413 is withheld), and
/// the route mounted after the layer, simple or preflighted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layered_app_is_closed_to_a_disallowed_origin() {
    const NOT_FOUND: &str = "[13 layered 404 from http://127.0.0.1:<A>]";
    const TOO_LARGE: &str = "[13 layered 413 from http://127.0.0.1:<A>]";
    const ADMIN: &str = "[13 /app/admin from http://127.0.0.1:<A>]";
    let h = Harness::start().await;

    let origin = h.origin(Page::Disallowed);
    let request = origin_header(&origin);
    assert_eq!(
        (
            api::APP_POLICY.allowed_origin(&request),
            api::app_admin::POLICY.allowed_origin(&request),
        ),
        (None, None),
        "[13] neither the layer's policy nor the route's may allow {origin}"
    );

    h.open(Page::Disallowed).await;
    h.fetch(NOT_FOUND, "/app/nowhere", json!({}), &[])
        .await
        .blocked();
    h.expect_answers(NOT_FOUND, "GET", "/app/nowhere", &[404]);

    let body = oversized_body();
    h.fetch(TOO_LARGE, "/app/items", json_post(&body), &[])
        .await
        .blocked();
    h.expect_answers(TOO_LARGE, "OPTIONS", "/app/items", &[403]);
    h.expect_answers(TOO_LARGE, "POST", "/app/items", &[]);
    h.fetch(
        TOO_LARGE,
        "/app/items",
        json!({ "method": "POST", "body": body }),
        &[],
    )
    .await
    .blocked();
    h.expect_answers(TOO_LARGE, "POST", "/app/items", &[413]);

    h.fetch(ADMIN, "/app/admin", json!({}), &[]).await.blocked();
    h.fetch(
        ADMIN,
        "/app/admin",
        json!({ "headers": { "x-admin": "1" } }),
        &[],
    )
    .await
    .blocked();
    h.expect_answers(ADMIN, "OPTIONS", "/app/admin", &[403]);
    h.expect_answers(ADMIN, "GET", "/app/admin", &[200]);
    h.shutdown().await;
}

/// 14. An HTML form posted from `http://127.0.0.1:<A>`, a page that no policy
/// allows, reaches a handler without `csrf` (CORS sends no preflight for a
/// form and cannot stop it) but not the same handler with `csrf`: the API
/// answers `403` and records nothing. From `http://localhost:<A>`, which the
/// policy allows, the same form reaches the protected handler.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_origin_form_never_reaches_a_handler_with_csrf() {
    const REFUSED: &str = "[14 form POST /transfer from http://127.0.0.1:<A>]";
    const OPEN: &str = "[14 form POST /transfer/open from http://127.0.0.1:<A>]";
    const ALLOWED: &str = "[14 form POST /transfer from http://localhost:<A>]";
    let h = Harness::start().await;
    assert!(api::transfer::POLICY.csrf() && !api::open_transfer::POLICY.csrf());
    let form = [("to", "mallory"), ("amount", "100")];

    h.open(Page::Disallowed).await;
    h.submit_form(REFUSED, "/transfer", &form).await;
    h.expect_answers(REFUSED, "POST", "/transfer", &[403]);
    h.expect_answers(REFUSED, "OPTIONS", "/transfer", &[]);
    let seen = &h.log.requests("POST", "/transfer")[0];
    assert_eq!(
        (seen.origin.as_deref(), seen.fetch_site.as_deref()),
        (
            Some(h.origin(Page::Disallowed).as_str()),
            Some("cross-site")
        ),
        "{REFUSED}: the Origin and Sec-Fetch-Site that the browser sent"
    );
    assert_eq!(
        h.transfers.all(),
        Vec::<String>::new(),
        "{REFUSED}: the handler must not run"
    );

    h.submit_form(OPEN, "/transfer/open", &form).await;
    h.expect_answers(OPEN, "POST", "/transfer/open", &[200]);
    assert_eq!(
        h.transfers.all(),
        ["/transfer/open: to=mallory&amount=100"],
        "{OPEN}: without csrf, CORS lets the form reach the handler"
    );

    h.open(Page::Localhost).await;
    h.submit_form(ALLOWED, "/transfer", &form).await;
    h.expect_answers(ALLOWED, "POST", "/transfer", &[403, 200]);
    let seen = &h.log.requests("POST", "/transfer")[1];
    assert_eq!(
        seen.origin.as_deref(),
        Some(h.origin(Page::Localhost).as_str()),
        "{ALLOWED}: the Origin that the browser sent"
    );
    assert_eq!(
        h.transfers.all(),
        [
            "/transfer/open: to=mallory&amount=100",
            "/transfer: to=mallory&amount=100"
        ],
        "{ALLOWED}: an allowed origin's form reaches the protected handler"
    );
    h.shutdown().await;
}

/// 15. Debug mode answers a preflight that asks for a header the policy does
/// not allow with `204` and the headers that matched, so that the console names
/// the header; the browser still refuses it, and the request is never sent. A
/// header the policy allows goes through as without debug mode.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_mode_still_refuses_a_disallowed_header() {
    const REFUSED: &str = "[15 debug mode, header not in the policy]";
    const ALLOWED: &str = "[15 debug mode, header in the policy]";
    let h = Harness::start().await;
    assert!(
        api::POLICIES
            .iter()
            .any(|(name, p)| *name == "debugging" && p.debug())
    );
    h.open(Page::Localhost).await;

    let init = json!({ "headers": { "x-not-allowed": "1" } });
    h.fetch(REFUSED, "/debug", init, &[]).await.blocked();
    h.expect_answers(REFUSED, "OPTIONS", "/debug", &[204]);
    h.expect_answers(REFUSED, "GET", "/debug", &[]);

    let init = json!({ "headers": { "x-client": "1" } });
    h.fetch(ALLOWED, "/debug", init, &[])
        .await
        .readable()
        .body("debug");
    h.expect_answers(ALLOWED, "OPTIONS", "/debug", &[204, 204]);
    h.expect_answers(ALLOWED, "GET", "/debug", &[200]);
    h.shutdown().await;
}

/// The harness reports a browser that cannot start as an error naming the
/// engine and the cause, which `Harness::start` turns into a test failure:
/// never a skip. (A WebKit browser that dies at start is only noticed by the
/// session timeout: WebKitWebDriver waits for it forever.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_start_failures_are_errors() {
    let engine = Engine::current();
    let (name, driver_name) = (engine.name, engine.driver_name);
    let (browser, driver) = (engine.browser_bin(), engine.driver_bin());

    let e = Browser::start_engine(engine, "/nonexistent/browser", &driver)
        .await
        .err()
        .expect("a missing browser must be an error");
    assert!(
        e.contains(&format!("{name} not found at /nonexistent/browser")),
        "{e}"
    );

    let e = Browser::start_engine(engine, &browser, "/nonexistent/driver")
        .await
        .err()
        .expect("a missing driver must be an error");
    assert!(
        e.contains(&format!("{driver_name} not found at /nonexistent/driver")),
        "{e}"
    );

    let e = Browser::start_engine(engine, &browser, "/bin/false")
        .await
        .err()
        .expect("a driver that exits must be an error");
    assert!(
        e.contains(&format!("{driver_name} /bin/false exited")),
        "{e}"
    );

    let e = Browser::start_engine(engine, "/bin/false", &driver)
        .await
        .err()
        .expect("a browser that exits must be an error");
    assert!(
        e.contains(&format!("could not start {name} (/bin/false)"))
            || e.contains(&format!("no WebDriver session with {name} (/bin/false)")),
        "{e}"
    );
}

/// WebKitGTK has no headless mode: without `DISPLAY` the harness says so at
/// once, with the remedy, instead of waiting for a driver that would hang. The
/// engines that run headless need no display.
#[test]
fn an_engine_without_its_display_fails_at_once() {
    for engine in &engine::ENGINES {
        for display in [None, Some(std::ffi::OsStr::new(""))] {
            let problem = engine.display_problem(display);
            if engine.needs_display {
                let problem = problem.expect("no display must be an error");
                assert!(
                    problem.contains(engine.name) && problem.contains("xvfb-run -a"),
                    "{problem}"
                );
            } else {
                assert_eq!(problem, None, "{} runs headless", engine.name);
            }
        }
        assert_eq!(
            engine.display_problem(Some(std::ffi::OsStr::new(":99"))),
            None,
            "{} with a display",
            engine.name
        );
    }
}
