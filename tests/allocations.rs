//! Exact allocation counts: one request of each kind through a `#[cors]` route,
//! against the same handler mounted without the attribute. The CORS layer must
//! add no allocation at all.
//!
//! Requests are built the way hyper builds them: header values are slices of a
//! shared buffer, so cloning one (to echo the `Origin`) costs no allocation.
//! Each kind is sent once before counting, so that one-time work (axum's lazy
//! set-up, the first clone of a value) is not counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, ORIGIN, VARY,
};
use axum::http::{HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use static_cors::{cors, cors_route};
use tower::ServiceExt;

#[path = "support/hyper_like.rs"]
mod hyper_like;
use hyper_like::request;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the allocator also runs while thread-locals are torn down.
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        }
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

async fn plain() -> (StatusCode, &'static str) {
    (StatusCode::OK, "[]")
}

#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
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
    let _warm = runtime.block_on(router.clone().oneshot(make())).unwrap();
    let request = make();
    let router = router.clone();
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|on| on.set(true));
    let response = runtime.block_on(router.oneshot(request)).unwrap();
    COUNTING.with(|on| on.set(false));
    let status = response.status();
    drop(response);
    (ALLOCATIONS.with(Cell::get), status)
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
    let denied = || request(Method::GET, &[("origin", "https://evil.example.net")]);
    let no_origin = || request(Method::GET, &[]);

    let mut report = Vec::new();
    for (kind, make) in [
        ("preflight", &preflight as &dyn Fn() -> Request<Body>),
        ("allowed actual", &allowed),
        ("denied actual", &denied),
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
