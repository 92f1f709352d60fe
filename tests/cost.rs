//! What a preflight costs, measured by counting work, never by timing:
//!
//! - the bytes that the `Access-Control-Request-Headers` parser reads grow one
//!   for one with the list's length up to the bound, and never pass the bound
//!   however long the list (a 100 KiB list is refused without being read);
//! - the number of allocations of a preflight, or of an actual request, does not
//!   depend on the length of its inputs (exact counts, with a counting global
//!   allocator), through the runtime's `Resource` and through the layer.

#[path = "support/counting.rs"]
mod counting;
#[path = "support/hyper_like.rs"]
mod hyper_like;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::routing::any;
use counting::counted as allocations;
use hyper_like::shared;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use static_cors::runtime::header::{
    MAX_REQUEST_HEADER_LINES, MAX_REQUEST_HEADERS, MAX_REQUEST_HEADERS_LEN, scan_requested_headers,
};
use static_cors::runtime::{Decision, Resource};
use static_cors::{CorsLayer, Policy};
use tower::ServiceExt;

fn config(file: &'static str) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        ..ProptestConfig::default()
    }
}

/// Names a policy allows, and lists of them with optional whitespace.
fn allowed_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["x-a", "X-B", "content-type", "x-api-key"]).prop_map(str::to_owned)
}

fn list_of(names: Vec<String>, separators: Vec<&'static str>) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(separators[i % separators.len()]);
        }
        out.push_str(name);
    }
    out
}

fn separators() -> impl Strategy<Value = Vec<&'static str>> {
    proptest::collection::vec(prop::sample::select(vec![",", ", ", " ,\t", ",,"]), 1..4)
}

fn is_allowed(name: &[u8]) -> bool {
    [&b"x-a"[..], b"x-b", b"content-type", b"x-api-key"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
}

proptest! {
    #![proptest_config(config("proptest-regressions/cost.txt"))]

    /// Within the bounds, the parser reads each byte once: its work is the
    /// list's length, exactly.
    #[test]
    fn parsing_work_is_the_length_of_the_list_within_the_bound(
        lines in proptest::collection::vec(
            (proptest::collection::vec(allowed_name(), 0..16), separators()),
            1..=MAX_REQUEST_HEADER_LINES,
        ),
    ) {
        let lines: Vec<String> = lines.into_iter().map(|(n, s)| list_of(n, s)).collect();
        let total: usize = lines.iter().map(String::len).sum();
        let names = lines.iter().flat_map(|l| l.split(',')).filter(|e| !e.trim().is_empty()).count();
        prop_assume!(total <= MAX_REQUEST_HEADERS_LEN && names <= MAX_REQUEST_HEADERS);
        let values: Vec<HeaderValue> = lines.iter().map(|l| shared(l)).collect();
        let scan = scan_requested_headers(&values, is_allowed);
        prop_assert!(scan.passed());
        prop_assert_eq!(scan.scanned, total);
    }

    /// Whatever the list, the parser never reads more than the bound: a list
    /// past it costs no more than one at it.
    #[test]
    fn parsing_work_stays_flat_beyond_the_bound(
        lines in proptest::collection::vec(
            (
                proptest::collection::vec(allowed_name(), 0..40),
                separators(),
                0..200usize,
                proptest::option::weighted(0.2, 1024..100 * 1024usize),
            ),
            1..20,
        ),
    ) {
        let lines: Vec<String> = lines
            .into_iter()
            .map(|(names, separators, spaces, long)| {
                let mut line = list_of(names, separators);
                line.push_str(&" ".repeat(spaces));
                if let Some(long) = long {
                    line.push_str(&",x-a".repeat(long / 4));
                }
                line
            })
            .collect();
        let total: usize = lines.iter().map(String::len).sum();
        let values: Vec<HeaderValue> = lines.iter().map(|l| shared(l)).collect();
        let scan = scan_requested_headers(&values, is_allowed);
        prop_assert!(scan.scanned <= MAX_REQUEST_HEADERS_LEN, "{} bytes read", scan.scanned);
        prop_assert!(scan.scanned <= total);
        if total > MAX_REQUEST_HEADERS_LEN || lines.len() > MAX_REQUEST_HEADER_LINES {
            prop_assert!(!scan.passed());
        }
    }
}

fn policy() -> Arc<Policy> {
    Arc::new(
        Policy::builder()
            .origins(["https://app.example.com", "https://*.example.org"])
            .methods(["GET", "PUT"])
            .headers(["*"])
            .expose(["x-request-id"])
            .credentials(true)
            .max_age(600)
            .private_network(true)
            .build()
            .unwrap(),
    )
}

/// A preflight's headers, as hyper parses them: `Origin`, the method, and the
/// header list in `lines`.
fn preflight(origin: &str, lines: &[String]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.append("origin", shared(origin));
    headers.append("access-control-request-method", shared("PUT"));
    for line in lines {
        headers.append(
            HeaderName::from_static("access-control-request-headers"),
            shared(line),
        );
    }
    headers
}

/// The allocations of one decision of `resource`, after one unmeasured run.
fn decision_allocations(
    resource: &Resource<Arc<Policy>>,
    method: &Method,
    headers: &HeaderMap,
) -> (usize, StatusCode) {
    let status = |decision: Decision| match decision {
        Decision::Preflight(answer) | Decision::NoHandler(answer) | Decision::Refused(answer) => {
            answer.status
        }
        Decision::Handler { .. } => StatusCode::OK,
    };
    let uri = Uri::from_static("/items");
    let _ = resource.decide(method, &uri, headers);
    allocations(|| status(resource.decide(method, &uri, headers)))
}

/// Lists of allowed names, short and long, passing the bound or not.
fn lists() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(
        (
            proptest::collection::vec(allowed_name(), 1..30),
            separators(),
            proptest::option::weighted(0.2, 1..100 * 1024usize),
        )
            .prop_map(|(names, separators, long)| {
                let mut line = list_of(names, separators);
                if let Some(long) = long {
                    line.push_str(&" ".repeat(long));
                }
                line
            }),
        1..=10,
    )
}

proptest! {
    #![proptest_config(config("proptest-regressions/cost-allocations.txt"))]

    /// A preflight allocates the same number of times whatever the length of
    /// its origin and header list: exactly as many as the shortest request with
    /// the same outcome and as many lines. (Lines matter: a policy with
    /// credentials and `headers = "*"` echoes each line, and a repeated
    /// response header takes room of its own; there are at most eight.)
    #[test]
    fn preflight_allocations_do_not_depend_on_input_length(
        lines in lists(),
        labels in proptest::collection::vec("[a-z]{1,60}", 1..20),
    ) {
        let resource = Resource::new(vec![policy()]).unwrap();
        let origin = format!("https://{}.example.org", labels.join("."));
        let long = preflight(&origin, &lines);
        let (measured, status) = decision_allocations(&resource, &Method::OPTIONS, &long);
        // The shortest request with the same outcome: one short name that
        // passes, or a name that is refused.
        let short_list = if status == StatusCode::NO_CONTENT { "x-a" } else { "authorization" };
        let short = preflight("https://a.example.org", &vec![short_list.to_owned(); lines.len()]);
        let (reference, reference_status) = decision_allocations(&resource, &Method::OPTIONS, &short);
        prop_assert_eq!(status, reference_status);
        prop_assert_eq!(measured, reference, "{} allocations for a {}-byte list, {} for a short one",
            measured, lines.iter().map(String::len).sum::<usize>(), reference);
    }

    /// An actual request allocates nothing that depends on the length of its
    /// `Origin`, allowed or not.
    #[test]
    fn actual_request_allocations_do_not_depend_on_origin_length(
        labels in proptest::collection::vec("[a-z]{1,60}", 1..200),
        suffix in prop::sample::select(vec![".example.org", ".evil.net"]),
    ) {
        let resource = Resource::new(vec![policy()]).unwrap();
        let mut long = HeaderMap::new();
        long.append("origin", shared(&format!("https://{}{suffix}", labels.join("."))));
        let mut short = HeaderMap::new();
        short.append("origin", shared(&format!("https://a{suffix}")));
        let (measured, _) = decision_allocations(&resource, &Method::GET, &long);
        let (reference, _) = decision_allocations(&resource, &Method::GET, &short);
        prop_assert_eq!(measured, reference);
    }
}

/// Through the layer around a router: a preflight with a 100 KiB header list
/// allocates exactly as much as one with a single name.
#[test]
fn layer_preflight_allocations_do_not_depend_on_list_length() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let app = Router::new()
        .route("/items", any(|| async { "ok" }))
        .layer(CorsLayer::new(policy()));
    let measure = |list: &str| {
        let request = || {
            hyper_like::request(
                Method::OPTIONS,
                &[
                    ("origin", "https://app.example.com"),
                    ("access-control-request-method", "PUT"),
                    ("access-control-request-headers", list),
                ],
            )
        };
        let _ = runtime.block_on(app.clone().oneshot(request()));
        let request = request();
        let app = app.clone();
        allocations(|| runtime.block_on(app.oneshot(request)).unwrap().status())
    };
    let (short, granted) = measure("x-a");
    assert_eq!(granted, StatusCode::NO_CONTENT);
    // As many names as the bound allows, padded to exactly the bound.
    let mut bound = vec!["x-api-key"; MAX_REQUEST_HEADERS].join(",    ");
    bound.push_str(&" ".repeat(MAX_REQUEST_HEADERS_LEN - bound.len()));
    let (at_bound, granted) = measure(&bound);
    assert_eq!(granted, StatusCode::NO_CONTENT);
    assert_eq!(at_bound, short);
    let (refused_short, refused) = measure("authorization");
    assert_eq!(refused, StatusCode::FORBIDDEN);
    let huge = format!("x-a,{}", " ".repeat(100 * 1024));
    let (refused_huge, refused) = measure(&huge);
    assert_eq!(refused, StatusCode::FORBIDDEN);
    assert_eq!(refused_huge, refused_short);
}
