//! Exact allocation counts: one request of each kind through a `#[cors]` route,
//! against the same handler mounted without the attribute, and through the
//! application-wide `CorsLayer`, against the same router without it. CORS must
//! add no allocation at all, and write protection (`csrf`) none to the writes
//! it lets through.
//!
//! Requests are built the way hyper builds them: header values are slices of a
//! shared buffer, so cloning one (to echo the `Origin`) costs no allocation.
//! Each kind is sent once before counting, so that one-time work (axum's lazy
//! set-up, the first clone of a value) is not counted.

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, ORIGIN, VARY,
};
use axum::http::{HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use static_cors::{CorsLayer, Policy, cors, cors_policy, cors_route};
use tower::Layer;
use tower::ServiceExt;

#[path = "support/counting.rs"]
mod counting;
#[path = "support/hyper_like.rs"]
mod hyper_like;
use counting::counted;
use hyper_like::request;

async fn plain() -> (StatusCode, &'static str) {
    (StatusCode::OK, "[]")
}

#[cors(
    origins = [
        "https://app.example.com",
        "https://*.example.org",
        "https://pr-*.preview.example.com",
        "chrome-extension://abcdefghijklmnop",
    ],
    methods = [GET, POST],
    headers = ["content-type"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
)]
async fn with_cors() -> (StatusCode, &'static str) {
    (StatusCode::OK, "[]")
}

/// The same preflight answered by hand, with static values and the request's
/// own `Origin`: what the handler's author would otherwise write.
async fn preflight_by_hand(request: Request<Body>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    if let Some(origin) = request.headers().get(ORIGIN) {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    }
    for (name, value) in [
        (ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"),
        (ACCESS_CONTROL_ALLOW_METHODS, "GET, POST"),
        (ACCESS_CONTROL_ALLOW_HEADERS, "content-type"),
        (ACCESS_CONTROL_MAX_AGE, "600"),
        (
            VARY,
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Allocations made while `router` answers one request.
fn allocations(
    runtime: &tokio::runtime::Runtime,
    router: &Router,
    make: &dyn Fn() -> Request<Body>,
) -> (usize, StatusCode) {
    service_allocations(runtime, router, make)
}

/// Allocations made while `service` answers one request.
fn service_allocations<S, B>(
    runtime: &tokio::runtime::Runtime,
    service: &S,
    make: &dyn Fn() -> Request<Body>,
) -> (usize, StatusCode)
where
    S: tower::Service<Request<Body>, Response = axum::http::Response<B>> + Clone,
    S::Error: std::fmt::Debug,
{
    let _warm = runtime.block_on(service.clone().oneshot(make())).unwrap();
    let request = make();
    let router = service.clone();
    let (count, response) = counted(|| runtime.block_on(router.oneshot(request)).unwrap());
    let status = response.status();
    drop(response);
    (count, status)
}

#[test]
fn cors_adds_no_allocation_to_any_kind_of_request() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let without: Router = Router::new().route("/items", get(plain).post(plain));
    let by_hand: Router =
        Router::new().route("/items", get(plain).post(plain).options(preflight_by_hand));
    let with: Router = Router::new().route("/items", cors_route!(with_cors));

    let preflight = || {
        request(
            Method::OPTIONS,
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type"),
            ],
        )
    };
    let allowed = || request(Method::GET, &[("origin", "https://a.example.org")]);
    let by_label = || {
        request(
            Method::GET,
            &[("origin", "https://pr-42.preview.example.com")],
        )
    };
    let extension = || {
        request(
            Method::GET,
            &[("origin", "chrome-extension://abcdefghijklmnop")],
        )
    };
    let denied = || request(Method::GET, &[("origin", "https://evil.example.net")]);
    let lookalike = || {
        request(
            Method::GET,
            &[("origin", "https://pr-42.preview.example.com.evil.net")],
        )
    };
    let no_origin = || request(Method::GET, &[]);

    let mut report = Vec::new();
    for (kind, make) in [
        ("preflight", &preflight as &dyn Fn() -> Request<Body>),
        ("allowed actual", &allowed),
        ("label pattern", &by_label),
        ("extension", &extension),
        ("denied actual", &denied),
        ("lookalike", &lookalike),
        ("no Origin", &no_origin),
    ] {
        let (base, base_status) = allocations(&runtime, &without, make);
        let (cors, cors_status) = allocations(&runtime, &with, make);
        println!(
            "{kind:>15}: without #[cors] {base} allocations ({base_status}), with #[cors] {cors} ({cors_status}), difference {}",
            cors as isize - base as isize
        );
        report.push((kind, base, cors));
    }
    for (kind, base, cors) in report {
        assert_eq!(cors, base, "{kind}: #[cors] changed the allocation count");
    }
    // A method that the path does not serve: axum's 405 joins its `Allow`
    // value per request; the attribute's is joined at compile time.
    let unserved = || request(Method::DELETE, &[("origin", "https://a.example.org")]);
    let (base, _) = allocations(&runtime, &without, &unserved);
    let (cors, status) = allocations(&runtime, &with, &unserved);
    println!(
        "     unserved method: without #[cors] {base} allocations, with #[cors] {cors} ({status})"
    );
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(cors <= base, "#[cors] allocates more than axum for a 405");
    // Without the attribute a preflight gets axum's 405; compare it also with
    // the same 204 written by hand.
    let (hand, hand_status) = allocations(&runtime, &by_hand, &preflight);
    let (cors, _) = allocations(&runtime, &with, &preflight);
    println!(
        "      preflight: answered by hand {hand} allocations ({hand_status}), with #[cors] {cors}"
    );
    assert_eq!(hand_status, StatusCode::NO_CONTENT);
    assert!(
        cors <= hand,
        "#[cors] allocates more than a preflight written by hand"
    );
}

static API: Policy = cors_policy!(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET, POST],
    headers = ["content-type"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
);

fn tower_http_layer() -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin, _| {
            origin == "https://app.example.com" || origin.as_bytes().ends_with(b".example.org")
        }))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([axum::http::header::CONTENT_TYPE])
        .expose_headers([axum::http::HeaderName::from_static("x-request-id")])
        .allow_credentials(true)
        .max_age(std::time::Duration::from_secs(600))
}

#[test]
fn the_layer_adds_no_allocation_around_an_application() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let app: Router = Router::new().route("/items", get(plain).post(plain));
    // The layer around the whole application, as `ServiceBuilder` or
    // `Layer::layer` puts it: nothing between it and the server boxes.
    let wrapped = CorsLayer::new(&API).layer(app.clone());
    let mut report = Vec::new();
    for (kind, make) in [
        (
            "allowed actual",
            &(|| request(Method::GET, &[("origin", "https://a.example.org")]))
                as &dyn Fn() -> Request<Body>,
        ),
        ("denied actual", &|| {
            request(Method::GET, &[("origin", "https://evil.example.net")])
        }),
        ("no Origin", &|| request(Method::GET, &[])),
        ("404", &|| {
            let mut r = request(Method::GET, &[("origin", "https://a.example.org")]);
            *r.uri_mut() = "/nowhere".parse().unwrap();
            r
        }),
    ] {
        let (base, base_status) = allocations(&runtime, &app, make);
        let (layer, status) = service_allocations(&runtime, &wrapped, make);
        println!(
            "{kind:>15}: without the layer {base} allocations ({base_status}), with it {layer} ({status})"
        );
        assert_eq!(status, base_status, "{kind}");
        report.push((kind, base, layer));
    }
    for (kind, base, layer) in report {
        // axum's 404 has no header at all: carrying any header means allocating
        // its header map, which is two allocations (indices and entries), the
        // same as any header a handler would set on it.
        let map = if kind == "404" { 2 } else { 0 };
        assert_eq!(
            layer,
            base + map,
            "{kind}: the layer changed the allocation count"
        );
    }
}

#[test]
fn the_layer_through_router_layer_allocates_no_more_than_tower_http() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    // Finished with their state, as `axum::serve` finishes a router: the layer
    // is then applied once to each route, not again per request.
    let app = || {
        Router::new()
            .route("/items", get(plain).post(plain))
            .with_state(())
    };
    let without: Router = app();
    let ours: Router = app().layer(CorsLayer::new(&API));
    let theirs: Router = app().layer(tower_http_layer());
    let by_hand: Router = Router::new()
        .route("/items", get(plain).post(plain).options(preflight_by_hand))
        .with_state(());
    let allowed = || request(Method::GET, &[("origin", "https://a.example.org")]);
    let preflight = || {
        request(
            Method::OPTIONS,
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type"),
            ],
        )
    };
    // What `Router::layer` costs whatever the layer: a layer that does nothing.
    let identity: Router = app().layer(tower::layer::util::Identity::new());
    let (base, _) = allocations(&runtime, &without, &allowed);
    let (nothing, _) = allocations(&runtime, &identity, &allowed);
    let (mine, _) = allocations(&runtime, &ours, &allowed);
    let (tower, _) = allocations(&runtime, &theirs, &allowed);
    println!(
        " allowed actual: no layer {base} allocations, an identity layer {nothing}, `Router::layer(CorsLayer)` {mine}, tower-http's through `Router::layer` {tower}"
    );
    assert!(mine <= tower, "more allocations than tower-http's layer");
    // Nothing beyond what axum spends on any layer: the response keeps axum's
    // own body type, so axum does not box it again.
    assert_eq!(mine, nothing, "the layer allocates beyond axum's own cost");
    let (hand, hand_status) = allocations(&runtime, &by_hand, &preflight);
    let (mine, status) = allocations(&runtime, &ours, &preflight);
    let (tower, _) = allocations(&runtime, &theirs, &preflight);
    println!(
        "      preflight: answered by hand {hand} allocations ({hand_status}), `Router::layer(CorsLayer)` {mine} ({status}), tower-http's {tower}"
    );
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        mine <= hand,
        "the layer's preflight allocates more than one by hand"
    );
    assert!(mine <= tower, "more allocations than tower-http's layer");
}

#[test]
fn cloning_the_layer_or_its_service_allocates_nothing() {
    let layer = CorsLayer::new(&API);
    let service = layer.layer(Router::<()>::new());
    // `Clone` as tower and axum call it, though a `&'static` layer is `Copy` too.
    #[allow(clippy::clone_on_copy)]
    let (count, copies) = counted(|| (layer.clone(), service.clone()));
    drop(copies);
    // `Router` itself is an `Arc`: its clone is a count, not an allocation.
    assert_eq!(count, 0);
}

/// `with_cors`'s policy, with write protection.
#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET, POST],
    headers = ["content-type"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
    csrf,
)]
async fn with_csrf() -> (StatusCode, &'static str) {
    (StatusCode::OK, "[]")
}

/// `API`, with write protection.
static PROTECTED: Policy = cors_policy!(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET, POST],
    headers = ["content-type"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
    csrf,
);

#[test]
fn write_protection_adds_no_allocation_to_the_writes_it_lets_through() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let app: Router = Router::new().route("/items", get(plain).post(plain));
    let unprotected: Router = Router::new().route("/items", cors_route!(with_cors));
    let protected: Router = Router::new().route("/items", cors_route!(with_csrf));
    let unprotected_layer = CorsLayer::new(&API).layer(app.clone());
    let protected_layer = CorsLayer::new(&PROTECTED).layer(app);
    for (kind, make) in [
        (
            "allowed origin, cross-site",
            &(|| {
                request(
                    Method::POST,
                    &[
                        ("origin", "https://a.example.org"),
                        ("sec-fetch-site", "cross-site"),
                    ],
                )
            }) as &dyn Fn() -> Request<Body>,
        ),
        ("same-origin", &|| {
            request(
                Method::POST,
                &[
                    ("host", "api.example.com"),
                    ("origin", "https://api.example.com"),
                    ("sec-fetch-site", "same-origin"),
                ],
            )
        }),
        ("Origin equal to Host", &|| {
            request(
                Method::POST,
                &[
                    ("host", "api.example.com"),
                    ("origin", "https://api.example.com"),
                ],
            )
        }),
        ("neither header", &|| {
            request(Method::POST, &[("host", "api.example.com")])
        }),
        ("handshake, allowed origin", &|| {
            request(
                Method::GET,
                &[
                    ("origin", "https://a.example.org"),
                    ("sec-fetch-site", "cross-site"),
                    ("upgrade", "websocket"),
                    ("connection", "keep-alive, Upgrade"),
                ],
            )
        }),
        ("handshake, same-origin", &|| {
            request(
                Method::GET,
                &[
                    ("host", "api.example.com"),
                    ("origin", "https://api.example.com"),
                    ("sec-fetch-site", "same-origin"),
                    ("upgrade", "websocket"),
                    ("connection", "Upgrade"),
                ],
            )
        }),
    ] {
        let (route, route_status) = allocations(&runtime, &unprotected, make);
        let (csrf, csrf_status) = allocations(&runtime, &protected, make);
        let (layer, layer_status) = service_allocations(&runtime, &unprotected_layer, make);
        let (csrf_layer, csrf_layer_status) = service_allocations(&runtime, &protected_layer, make);
        println!(
            "{kind:>27}: route {route} allocations, with csrf {csrf}; layer {layer}, with csrf {csrf_layer}"
        );
        for status in [route_status, csrf_status, layer_status, csrf_layer_status] {
            assert_eq!(status, StatusCode::OK, "{kind}: the write passes");
        }
        assert_eq!(
            csrf, route,
            "{kind}: csrf changed a route's allocation count"
        );
        assert_eq!(
            csrf_layer, layer,
            "{kind}: csrf changed the layer's allocation count"
        );
    }
}

#[test]
fn a_dynamic_policy_allocates_as_a_static_one() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let app: Router = Router::new().route("/items", get(plain).post(plain));
    let fixed = CorsLayer::new(&API).layer(app.clone());
    let dynamic = static_cors::DynamicPolicy::new(API.clone());
    let swappable = CorsLayer::new(dynamic.clone()).layer(app);
    for (kind, make) in [
        (
            "allowed actual",
            &(|| request(Method::GET, &[("origin", "https://a.example.org")]))
                as &dyn Fn() -> Request<Body>,
        ),
        ("denied actual", &|| {
            request(Method::GET, &[("origin", "https://evil.example.net")])
        }),
        ("preflight", &|| {
            request(
                Method::OPTIONS,
                &[
                    ("origin", "https://app.example.com"),
                    ("access-control-request-method", "POST"),
                ],
            )
        }),
        ("denied preflight", &|| {
            request(
                Method::OPTIONS,
                &[
                    ("origin", "https://app.example.com"),
                    ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "x-trace"),
                ],
            )
        }),
    ] {
        let (base, base_status) = service_allocations(&runtime, &fixed, make);
        let (swapped, status) = service_allocations(&runtime, &swappable, make);
        println!("{kind:>16}: `&'static Policy` {base} allocations, `DynamicPolicy` {swapped}");
        assert_eq!((swapped, status), (base, base_status), "{kind}");
    }
}
