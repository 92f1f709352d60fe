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
use axum::http::{Method, Request, StatusCode};
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
}
