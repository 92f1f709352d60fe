//! The application-wide layer on a real `axum::Router` (contract section 7):
//! every response that passes back through it carries the actual-request headers
//! (route responses, the fallback's 404, 405s, extractor rejections, and the
//! answers of layers inside it), preflights are answered for every path, routed
//! or not, an `OPTIONS` that is not a preflight reaches the application, and a
//! `cors_route!` route keeps its own policy: mounted outside the layer it
//! answers alone, and inside the layer's scope it refuses loudly. With `csrf`,
//! the layer refuses cross-origin writes before the application sees them.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, options, post};
use http_body_util::BodyExt;
use static_cors::{CorsLayer, Policy, cors, cors_policy, cors_route};
use tower::ServiceExt;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

static API: Policy = cors_policy!(
    origins = ["https://app.example.com"],
    methods = [GET, POST, DELETE],
    headers = ["content-type", "authorization"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
);

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";
const ADMIN: &str = "https://admin.example.com";

#[cors(origins = ["https://admin.example.com"], methods = [GET, PUT], headers = ["x-admin"])]
async fn admin() -> &'static str {
    "admin"
}

async fn list() -> &'static str {
    "[]"
}

async fn create(body: String) -> String {
    body
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn not_found() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "nothing here")
}

async fn require_token(request: Request, next: Next) -> Response {
    if request.headers().contains_key("authorization") {
        next.run(request).await
    } else {
        (StatusCode::UNAUTHORIZED, "who are you").into_response()
    }
}

/// An application in the shape the README gives: routes, inner layers and a
/// fallback under the layer, one override after it.
fn app() -> Router {
    Router::new()
        .route("/items", get(list).post(create))
        .layer(DefaultBodyLimit::max(16))
        .route(
            "/uploads",
            post(|body: axum::body::Bytes| async move { body.len().to_string() })
                .layer(RequestBodyLimitLayer::new(16)),
        )
        .route(
            "/slow",
            get(slow).layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                Duration::from_millis(20),
            )),
        )
        .route(
            "/private",
            get(list).layer(middleware::from_fn(require_token)),
        )
        .route(
            "/custom-options",
            options(|| async { (StatusCode::OK, "custom OPTIONS handler") }),
        )
        .fallback(not_found)
        .layer(CorsLayer::new(&API))
        .route("/admin", cors_route!(admin))
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect()
    }

    fn acao(&self) -> Vec<&str> {
        self.all("access-control-allow-origin")
    }

    /// Every `Vary` line, split on commas, lowercase.
    fn vary(&self) -> Vec<String> {
        self.all("vary")
            .iter()
            .flat_map(|line| line.split(','))
            .map(|name| name.trim().to_ascii_lowercase())
            .collect()
    }

    /// The CORS headers of an allowed actual response, with `Origin` once in `Vary`.
    fn assert_allowed(&self, origin: &str, what: &str) {
        assert_eq!(self.acao(), [origin], "{what}: ACAO");
        assert_eq!(
            self.all("access-control-allow-credentials"),
            ["true"],
            "{what}: ACAC"
        );
        assert_eq!(
            self.all("access-control-expose-headers"),
            ["x-request-id"],
            "{what}: ACEH"
        );
        let origins = self.vary().iter().filter(|v| *v == "origin").count();
        assert_eq!(origins, 1, "{what}: Vary {:?}", self.vary());
    }

    /// No CORS header at all, and still `Vary: Origin`.
    fn assert_denied(&self, what: &str) {
        for name in [
            "access-control-allow-origin",
            "access-control-allow-credentials",
            "access-control-expose-headers",
        ] {
            assert!(self.all(name).is_empty(), "{what}: {name} is present");
        }
        assert!(
            self.vary().contains(&"origin".to_owned()),
            "{what}: Vary {:?}",
            self.vary()
        );
    }
}

async fn send(
    router: &Router,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut request = axum::http::Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// Sends the same request from the allowed origin and from a denied one, and
/// checks the status of both and the CORS headers of each.
async fn allowed_and_denied(
    method: Method,
    path: &str,
    extra: &[(&str, &str)],
    body: &str,
    status: StatusCode,
) -> Answer {
    let app = app();
    let mut headers = vec![("origin", APP)];
    headers.extend_from_slice(extra);
    let allowed = send(&app, method.clone(), path, &headers, body).await;
    assert_eq!(allowed.status, status, "{method} {path} from {APP}");
    allowed.assert_allowed(APP, &format!("{method} {path} from {APP}"));
    headers[0] = ("origin", EVIL);
    let denied = send(&app, method.clone(), path, &headers, body).await;
    assert_eq!(denied.status, status, "{method} {path} from {EVIL}");
    denied.assert_denied(&format!("{method} {path} from {EVIL}"));
    allowed
}

#[tokio::test]
async fn fallback_404_carries_the_headers() {
    let answer = allowed_and_denied(Method::GET, "/nowhere", &[], "", StatusCode::NOT_FOUND).await;
    assert_eq!(answer.body, "nothing here");
}

#[tokio::test]
async fn method_not_allowed_405_carries_the_headers() {
    let answer = allowed_and_denied(
        Method::DELETE,
        "/items",
        &[],
        "",
        StatusCode::METHOD_NOT_ALLOWED,
    )
    .await;
    assert!(answer.all("allow")[0].contains("GET"), "axum's own Allow");
}

#[tokio::test]
async fn body_limit_413_from_default_body_limit_carries_the_headers() {
    let body = "x".repeat(64);
    allowed_and_denied(
        Method::POST,
        "/items",
        &[],
        &body,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
}

#[tokio::test]
async fn body_limit_413_from_request_body_limit_layer_carries_the_headers() {
    let body = "x".repeat(64);
    allowed_and_denied(
        Method::POST,
        "/uploads",
        &[("content-length", "64")],
        &body,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
}

#[tokio::test]
async fn timeout_408_from_an_inner_layer_carries_the_headers() {
    allowed_and_denied(Method::GET, "/slow", &[], "", StatusCode::REQUEST_TIMEOUT).await;
}

#[tokio::test]
async fn unauthorized_401_from_an_inner_middleware_carries_the_headers() {
    let answer =
        allowed_and_denied(Method::GET, "/private", &[], "", StatusCode::UNAUTHORIZED).await;
    assert_eq!(answer.body, "who are you");
    allowed_and_denied(
        Method::GET,
        "/private",
        &[("authorization", "Bearer t")],
        "",
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn route_responses_carry_the_headers_and_keep_their_vary() {
    allowed_and_denied(Method::GET, "/items", &[], "", StatusCode::OK).await;
}

#[tokio::test]
async fn preflight_for_an_unrouted_path_is_answered_by_the_layer() {
    let app = app();
    let preflight = |origin| {
        [
            ("origin", origin),
            ("access-control-request-method", "DELETE"),
            (
                "access-control-request-headers",
                "content-type,authorization",
            ),
        ]
    };
    let ok = send(&app, Method::OPTIONS, "/no/such/path", &preflight(APP), "").await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert!(ok.body.is_empty());
    assert_eq!(ok.acao(), [APP]);
    assert_eq!(
        ok.all("access-control-allow-methods"),
        ["GET, POST, DELETE"]
    );
    assert_eq!(
        ok.all("access-control-allow-headers"),
        ["content-type, authorization"]
    );
    assert_eq!(ok.all("access-control-max-age"), ["600"]);
    assert!(
        ok.vary()
            .contains(&"access-control-request-method".to_owned())
    );

    let refused = send(&app, Method::OPTIONS, "/no/such/path", &preflight(EVIL), "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .headers
            .keys()
            .all(|name| !name.as_str().starts_with("access-control-")),
        "no CORS header: {:?}",
        refused.headers
    );
    assert!(refused.vary().contains(&"origin".to_owned()));

    let unserved = send(
        &app,
        Method::OPTIONS,
        "/items",
        &[("origin", APP), ("access-control-request-method", "PUT")],
        "",
    )
    .await;
    assert_eq!(
        unserved.status,
        StatusCode::FORBIDDEN,
        "the layer's methods, not the route's"
    );
}

#[tokio::test]
async fn a_preflight_never_reaches_a_custom_options_handler() {
    let app = app();
    let answer = send(
        &app,
        Method::OPTIONS,
        "/custom-options",
        &[("origin", APP), ("access-control-request-method", "POST")],
        "",
    )
    .await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert!(answer.body.is_empty(), "the handler did not run");
}

#[tokio::test]
async fn an_options_that_is_not_a_preflight_reaches_the_custom_handler() {
    let app = app();
    let answer = send(
        &app,
        Method::OPTIONS,
        "/custom-options",
        &[("origin", APP)],
        "",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, "custom OPTIONS handler");
    answer.assert_allowed(APP, "a plain OPTIONS");
}

#[tokio::test]
async fn a_per_route_override_after_the_layer_answers_with_its_own_policy() {
    let app = app();
    let actual = send(&app, Method::GET, "/admin", &[("origin", ADMIN)], "").await;
    assert_eq!(actual.status, StatusCode::OK);
    assert_eq!(actual.acao(), [ADMIN], "exactly one ACAO, its own");
    assert!(actual.all("access-control-allow-credentials").is_empty());
    assert_eq!(
        actual.vary().iter().filter(|v| *v == "origin").count(),
        1,
        "Origin once in Vary: {:?}",
        actual.vary()
    );

    let from_app = send(&app, Method::GET, "/admin", &[("origin", APP)], "").await;
    assert!(
        from_app.acao().is_empty(),
        "the layer's origins do not reach the override"
    );

    let preflight = send(
        &app,
        Method::OPTIONS,
        "/admin",
        &[
            ("origin", ADMIN),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "x-admin"),
        ],
        "",
    )
    .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert_eq!(preflight.acao(), [ADMIN]);
    assert_eq!(preflight.all("access-control-allow-methods"), ["GET, PUT"]);
    assert!(preflight.all("access-control-max-age").is_empty());
}

#[tokio::test]
async fn a_cors_route_inside_the_layer_scope_refuses_loudly() {
    let app = Router::new()
        .route("/admin", cors_route!(admin))
        .layer(CorsLayer::new(&API));
    let answer = send(&app, Method::GET, "/admin", &[("origin", ADMIN)], "").await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        answer
            .body
            .contains("sits inside an application-wide `CorsLayer`"),
        "{}",
        answer.body
    );
    // A preflight never reaches the route: the layer answers it, so no browser
    // could have been told two things about one resource.
    let preflight = send(
        &app,
        Method::OPTIONS,
        "/admin",
        &[("origin", APP), ("access-control-request-method", "GET")],
        "",
    )
    .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert_eq!(preflight.acao(), [APP]);
}

#[tokio::test]
async fn nested_routers_keep_their_layer_and_are_covered_by_the_outer_one() {
    // A nested router with its own layer keeps it.
    let api = Router::new()
        .route("/items", get(list))
        .layer(CorsLayer::new(&API));
    let app = Router::new().nest("/api", api);
    let inner = send(&app, Method::GET, "/api/items", &[("origin", APP)], "").await;
    inner.assert_allowed(APP, "nested with its own layer");

    // An outer layer covers the routes nested before it.
    let app = Router::new()
        .nest("/api", Router::new().route("/items", get(list)))
        .layer(CorsLayer::new(&API));
    let outer = send(&app, Method::GET, "/api/items", &[("origin", APP)], "").await;
    outer.assert_allowed(APP, "nested under an outer layer");
    let missing = send(&app, Method::GET, "/api/nothing", &[("origin", APP)], "").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    missing.assert_allowed(APP, "the 404 of a nested path");
}

#[tokio::test]
async fn merged_routers_keep_the_layers_they_were_given() {
    let with_layer = Router::new()
        .route("/items", get(list))
        .layer(CorsLayer::new(&API));
    let without = Router::new().route("/plain", get(list));
    let app = with_layer.merge(without);
    let covered = send(&app, Method::GET, "/items", &[("origin", APP)], "").await;
    covered.assert_allowed(APP, "merged with its layer");
    let plain = send(&app, Method::GET, "/plain", &[("origin", APP)], "").await;
    assert!(
        plain.acao().is_empty(),
        "merged from a router without the layer"
    );
}

#[tokio::test]
async fn run_time_policies_work_too() {
    let policy = std::sync::Arc::new(
        Policy::builder()
            .origins([APP])
            .methods(["GET"])
            .build()
            .unwrap(),
    );
    let app = Router::new()
        .route("/items", get(list))
        .layer(CorsLayer::new(policy));
    let answer = send(&app, Method::GET, "/items", &[("origin", APP)], "").await;
    assert_eq!(answer.acao(), [APP]);
}

#[tokio::test]
async fn a_method_router_takes_the_layer() {
    let app = Router::new().route("/items", get(list).layer(CorsLayer::new(&API)));
    let answer = send(&app, Method::GET, "/items", &[("origin", APP)], "").await;
    answer.assert_allowed(APP, "MethodRouter::layer");
    let preflight = send(
        &app,
        Method::OPTIONS,
        "/items",
        &[("origin", APP), ("access-control-request-method", "POST")],
        "",
    )
    .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
}

/// A response body with no `Default`, as a proxy's streamed body has none.
struct Once(Option<bytes::Bytes>);

impl http_body::Body for Once {
    type Data = bytes::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        std::task::Poll::Ready(self.0.take().map(|data| Ok(http_body::Frame::data(data))))
    }
}

#[tokio::test]
async fn a_plain_service_with_a_body_without_default_takes_the_layer_through_cors_body() {
    use static_cors::layer::CorsBody;
    use tower::ServiceBuilder;
    // No axum: a service over `http` types, with a body that has no `Default`.
    let service = tower::service_fn(|_request: axum::http::Request<()>| async {
        Ok::<_, std::convert::Infallible>(axum::http::Response::new(Once(Some(
            bytes::Bytes::from_static(b"ok"),
        ))))
    });
    let layered = ServiceBuilder::new()
        .layer(CorsLayer::new(&API))
        .map_response(|response: axum::http::Response<Once>| response.map(CorsBody::new))
        .service(service);
    let request = axum::http::Request::builder()
        .header("origin", APP)
        .body(())
        .unwrap();
    let response = layered.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], APP);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"ok");
    let preflight = axum::http::Request::builder()
        .method(Method::OPTIONS)
        .header("origin", APP)
        .header("access-control-request-method", "GET")
        .body(())
        .unwrap();
    let response = layered.oneshot(preflight).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(body.is_empty());
}

#[path = "support/writes.rs"]
mod writes;

static WRITES: Policy = cors_policy!(
    origins = ["https://app.example.com", "https://*.partner.example.org"],
    methods = [GET, POST, PUT, DELETE, "PURGE"],
    credentials,
    csrf,
);

/// An application whose every request, routed or not, is counted by a
/// middleware inside the layer; `/transfer` answers every method.
fn protected_app(calls: writes::Calls) -> Router {
    let count = move |request: Request, next: Next| {
        let calls = calls.clone();
        async move {
            calls.add();
            next.run(request).await
        }
    };
    Router::new()
        .route("/transfer", axum::routing::any(|| async { "done" }))
        .fallback(not_found)
        .layer(middleware::from_fn(count))
        .layer(CorsLayer::new(&WRITES))
}

#[tokio::test]
async fn the_layer_decides_each_branch_of_write_protection_before_the_app() {
    assert!(WRITES.csrf() && !API.csrf());
    let calls = writes::Calls::default();
    let app = protected_app(calls.clone());
    writes::check_every_branch("CorsLayer", &app, &calls).await;
}

#[tokio::test]
async fn the_layer_refuses_cross_origin_writes_on_every_path() {
    let calls = writes::Calls::default();
    let app = protected_app(calls.clone());
    let cross = [("origin", EVIL), ("sec-fetch-site", "cross-site")];
    // Unrouted, and on a method the policy does not list: the app never sees it.
    for (method, path) in [(Method::POST, "/nowhere"), (Method::PATCH, "/transfer")] {
        let answer = send(&app, method.clone(), path, &cross, "").await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert!(answer.body.is_empty());
        assert!(answer.acao().is_empty());
        assert_eq!(answer.vary(), ["origin"]);
    }
    assert_eq!(calls.get(), 0);
    // Reads reach the app from anywhere; only the headers say who may read.
    let answer = send(&app, Method::GET, "/nowhere", &cross, "").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(calls.get(), 1);
    // The layer's preflights are unchanged.
    let preflight = [
        ("origin", APP),
        ("access-control-request-method", "PUT"),
        ("sec-fetch-site", "cross-site"),
    ];
    let answer = send(&app, Method::OPTIONS, "/nowhere", &preflight, "").await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert_eq!(answer.acao(), [APP]);
    assert_eq!(calls.get(), 1);
}
