//! Where the engines are known or suspected to differ, measured: each test runs
//! in whichever engine `BROWSER_ENGINE` names and asserts that engine's own
//! behaviour, read from its [`Behaviour`] in [`crate::engine`]. Where the
//! standard says one thing and an engine does another, the test says which.
//!
//! Besides routes of the library, the API serves `/diff/raw`, whose CORS
//! headers come from its query string (`acao`, `acac`, `acah`, `acam`,
//! `acapn`, `acao2` for a second `Access-Control-Allow-Origin`, `acma` for `Access-Control-Max-Age`, `aceh` for
//! `Access-Control-Expose-Headers`, and `hdr` for a plain `x-raw` response
//! header; `acao=echo` echoes the request's `Origin`, `acam=echo` a preflight's
//! `Access-Control-Request-Method`): it asks the browser
//! about header combinations that the library never sends, such as `*` with
//! credentials.

use std::net::{IpAddr, Ipv4Addr};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::json;
use static_cors::{cors, cors_route};

use crate::engine::LocalNetwork;
use crate::harness::{Harness, Page, json_post};
use crate::servers;

#[cors(origins = ["http://localhost:*"], methods = [GET], headers = "*")]
async fn any_header() -> &'static str {
    "any header"
}

#[cors(origins = ["http://localhost:*"], methods = [GET], headers = "*", credentials)]
async fn any_header_credentials() -> &'static str {
    "any header, credentials"
}

#[cors(origins = ["http://localhost:*"], methods = [GET], headers = ["*", "authorization"])]
async fn any_header_and_authorization() -> &'static str {
    "any header and authorization"
}

#[cors(origins = ["http://localhost:*"], methods = [PATCH])]
async fn patch_upper() -> &'static str {
    "PATCH"
}

#[cors(origins = ["http://localhost:*"], methods = ["patch"])]
async fn patch_lower() -> &'static str {
    "patch"
}

/// The routes of these tests, merged into the API of every harness.
pub fn routes() -> Router {
    Router::new()
        .route("/diff/raw", any(raw))
        .route("/diff/page", get(servers::page))
        .route("/diff/any-header", cors_route!(any_header))
        .route(
            "/diff/any-header/credentials",
            cors_route!(any_header_credentials),
        )
        .route(
            "/diff/authorization",
            cors_route!(any_header_and_authorization),
        )
        .route("/diff/patch/upper", cors_route!(patch_upper))
        .route("/diff/patch/lower", cors_route!(patch_lower))
}

/// Answers any request with the CORS headers that its query string names: a
/// preflight (`OPTIONS`) with `204`, anything else with `200` and `raw`.
async fn raw(request: Request) -> Response {
    let query = request.uri().query().unwrap_or_default().to_owned();
    let mut headers = HeaderMap::new();
    for (key, value) in query.split('&').filter_map(|kv| kv.split_once('=')) {
        let name = match key {
            "acao" | "acao2" => header::ACCESS_CONTROL_ALLOW_ORIGIN,
            "acac" => header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            "acah" => header::ACCESS_CONTROL_ALLOW_HEADERS,
            "acam" => header::ACCESS_CONTROL_ALLOW_METHODS,
            "acapn" => header::HeaderName::from_static("access-control-allow-private-network"),
            "acma" => header::ACCESS_CONTROL_MAX_AGE,
            "aceh" => header::ACCESS_CONTROL_EXPOSE_HEADERS,
            "hdr" => header::HeaderName::from_static("x-raw"),
            _ => continue,
        };
        let value = match (key, request.headers().get(header::ORIGIN)) {
            ("acao" | "acao2", Some(origin)) if value == "echo" => origin.clone(),
            ("acam", _) if value == "echo" => {
                match request.headers().get(header::ACCESS_CONTROL_REQUEST_METHOD) {
                    Some(method) => method.clone(),
                    None => continue,
                }
            }
            _ => match HeaderValue::from_str(value) {
                Ok(value) => value,
                Err(_) => return (StatusCode::BAD_REQUEST, "bad header value").into_response(),
            },
        };
        if key == "acao2" {
            headers.append(name, value);
        } else {
            headers.insert(name, value);
        }
    }
    if request.method() == Method::OPTIONS {
        (StatusCode::NO_CONTENT, headers).into_response()
    } else {
        (headers, "raw").into_response()
    }
}

/// A non-loopback IPv4 address of this machine, from the kernel's table of
/// local addresses: a host that is not potentially trustworthy to a browser.
///
/// # Panics
///
/// When the machine has none: the tests that need one fail with the reason.
fn non_loopback_address() -> Ipv4Addr {
    let table = std::fs::read_to_string("/proc/net/fib_trie")
        .unwrap_or_else(|e| panic!("cannot read /proc/net/fib_trie for the local addresses: {e}"));
    let lines: Vec<&str> = table.lines().collect();
    lines
        .windows(2)
        .filter(|pair| pair[1].trim() == "/32 host LOCAL")
        .filter_map(|pair| pair[0].rsplit(' ').next()?.parse::<Ipv4Addr>().ok())
        .find(|ip| !ip.is_loopback())
        .unwrap_or_else(|| {
            panic!(
                "this machine has no IPv4 address but loopback: the tests of a page on a host \
                 that is not potentially trustworthy need one (any interface that is up)"
            )
        })
}

/// The preflight cache: an answer without `Access-Control-Max-Age` is reused
/// within its 5 s default, and `max_age = 0` is never reused. (The 5 s expiry
/// and a `max_age` beyond it are test 4; the caps are cited in the README.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_cache_default_and_zero() {
    const WHAT: &str = "[differences: preflight cache]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    for path in [
        "/preflight/none",
        "/preflight/none",
        "/preflight/0",
        "/preflight/0",
    ] {
        h.fetch(WHAT, path, json_post(r#"{"n":1}"#), &[])
            .await
            .readable()
            .body(r#"{"n":1}"#);
    }
    h.expect_answers(WHAT, "OPTIONS", "/preflight/none", &[204]);
    h.expect_answers(WHAT, "OPTIONS", "/preflight/0", &[204, 204]);
    // On loopback no engine asks for Private Network Access.
    let asked: Vec<_> = ["/preflight/none", "/preflight/0"]
        .iter()
        .flat_map(|path| h.log.requests("OPTIONS", path))
        .filter(|seen| {
            seen.headers
                .contains_key("access-control-request-private-network")
        })
        .collect();
    assert!(
        asked.is_empty(),
        "{WHAT}: preflights that asked for the private network: {asked:?}"
    );
    h.shutdown().await;
}

/// The path of a request that `/diff/raw` answers with the headers of `query`
/// and the request's own `Origin`.
pub fn raw_path(query: &str) -> String {
    format!("/diff/raw?acao=echo&{query}")
}

/// `*` in `Access-Control-Allow-Methods` and `-Headers` is a wildcard only for
/// a request without credentials; with credentials it is the name `*` (Fetch,
/// "CORS-preflight fetch"). The library never sends `*` with
/// credentials: with `headers = "*"` and `credentials` it echoes the request's
/// list, which every engine accepts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn star_in_allow_methods_and_headers() {
    const METHODS: &str = "[differences: `*` in Access-Control-Allow-Methods]";
    const HEADERS: &str = "[differences: `*` in Access-Control-Allow-Headers]";
    const LIBRARY: &str = "[differences: headers = \"*\" of the library]";
    let h = Harness::start().await;
    let behaves = &h.engine().behaviour;
    h.open(Page::Localhost).await;
    let put = |credentials: bool| json!({ "method": "PUT", "credentials": if credentials { "include" } else { "same-origin" } });
    let custom = |credentials: bool| {
        json!({
            "headers": { "x-custom": "1" },
            "credentials": if credentials { "include" } else { "same-origin" },
        })
    };

    let read = h.fetch(METHODS, &raw_path("acam=*"), put(false), &[]).await;
    read.readable().body("raw");
    let read = h
        .fetch(METHODS, &raw_path("acam=*&acac=true"), put(true), &[])
        .await;
    expect(&read, behaves.star_methods_with_credentials);

    let read = h
        .fetch(HEADERS, &raw_path("acah=*"), custom(false), &[])
        .await;
    read.readable().body("raw");
    let read = h
        .fetch(HEADERS, &raw_path("acah=*&acac=true"), custom(true), &[])
        .await;
    expect(&read, behaves.star_headers_with_credentials);

    h.fetch(LIBRARY, "/diff/any-header", custom(false), &[])
        .await
        .readable()
        .body("any header");
    h.fetch(LIBRARY, "/diff/any-header/credentials", custom(true), &[])
        .await
        .readable()
        .body("any header, credentials");
    let preflight = &h.log.requests("OPTIONS", "/diff/any-header/credentials")[0];
    assert_eq!(
        preflight
            .headers
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .and_then(|v| v.to_str().ok()),
        Some("x-custom"),
        "{LIBRARY}: the request headers that the preflight announced"
    );
    h.shutdown().await;
}

/// Asserts that `outcome` was readable (`true`) or blocked (`false`).
#[track_caller]
fn expect(outcome: &crate::harness::Outcome, readable: bool) {
    if readable {
        outcome.readable();
    } else {
        outcome.blocked();
    }
}

/// `Authorization` is never covered by `*` in `Access-Control-Allow-Headers`
/// (Fetch: it is a "CORS non-wildcard request-header name"), yet no engine
/// enforces that today, as the table records. The library follows the
/// standard whatever the engine: `headers = "*"` refuses it at the preflight,
/// and only `headers = ["*", "authorization"]` lets it through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_under_star() {
    const RAW: &str = "[differences: authorization under `*`, raw answer]";
    const LIBRARY: &str = "[differences: authorization under headers = \"*\"]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    let authorization = json!({ "headers": { "authorization": "Bearer t" } });

    let read = h
        .fetch(RAW, &raw_path("acah=*"), authorization.clone(), &[])
        .await;
    expect(&read, h.engine().behaviour.authorization_under_star);

    h.fetch(LIBRARY, "/diff/any-header", authorization.clone(), &[])
        .await
        .blocked();
    h.expect_answers(LIBRARY, "OPTIONS", "/diff/any-header", &[403]);
    h.expect_answers(LIBRARY, "GET", "/diff/any-header", &[]);
    h.fetch(LIBRARY, "/diff/authorization", authorization, &[])
        .await
        .readable()
        .body("any header and authorization");
    h.shutdown().await;
}

/// `fetch` upper-cases `delete`, `get`, `head`, `options`, `post` and `put`,
/// never `patch`: the method `patch` is sent as is, preflighted as
/// `Access-Control-Request-Method: patch`, and matched case-sensitively, so
/// `methods = [PATCH]` refuses it and `methods = ["patch"]` allows it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lowercase_patch_is_not_upper_cased() {
    const WHAT: &str = "[differences: lowercase patch]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;

    h.fetch(WHAT, "/diff/patch/upper", json!({ "method": "patch" }), &[])
        .await
        .blocked();
    h.expect_answers(WHAT, "OPTIONS", "/diff/patch/upper", &[403]);
    let preflight = &h.log.requests("OPTIONS", "/diff/patch/upper")[0];
    assert_eq!(
        preflight
            .headers
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .and_then(|v| v.to_str().ok()),
        Some("patch"),
        "{WHAT}: the method that the preflight announced"
    );
    h.fetch(WHAT, "/diff/patch/upper", json!({ "method": "PATCH" }), &[])
        .await
        .readable()
        .body("PATCH");
    h.fetch(WHAT, "/diff/patch/lower", json!({ "method": "patch" }), &[])
        .await
        .readable()
        .body("patch");
    h.expect_answers(WHAT, "patch", "/diff/patch/lower", &[200]);
    h.expect_answers(WHAT, "PATCH", "/diff/patch/upper", &[200]);
    h.shutdown().await;
}

/// `Range` is a CORS-safelisted request header when its value is one simple
/// range (`bytes=0-`, `bytes=0-99`), so a `GET` with it needs no preflight in
/// the engines that implement that rule; a list of ranges always does, and the
/// policy of `/hello` (no headers) refuses it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn range_header() {
    const SIMPLE: &str = "[differences: Range: bytes=0-]";
    const LIST: &str = "[differences: Range: bytes=0-1,3-4]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;

    let read = h
        .fetch(
            SIMPLE,
            "/hello",
            json!({ "headers": { "range": "bytes=0-" } }),
            &[],
        )
        .await;
    if h.engine().behaviour.range_safelisted {
        read.readable().body("hello from the API");
        h.expect_answers(SIMPLE, "OPTIONS", "/hello", &[]);
        h.expect_answers(SIMPLE, "GET", "/hello", &[200]);
    } else {
        read.blocked();
        h.expect_answers(SIMPLE, "OPTIONS", "/hello", &[403]);
        h.expect_answers(SIMPLE, "GET", "/hello", &[]);
    }
    let before = h.log.statuses("GET", "/hello");
    h.fetch(
        LIST,
        "/hello",
        json!({ "headers": { "range": "bytes=0-1,3-4" } }),
        &[],
    )
    .await
    .blocked();
    assert_eq!(
        h.log.statuses("OPTIONS", "/hello").last(),
        Some(&403),
        "{LIST}: a list of ranges is preflighted, and refused"
    );
    h.expect_answers(LIST, "GET", "/hello", &before);
    h.shutdown().await;
}

/// `Sec-Fetch-Site` on loopback: from `http://localhost:<A>` to the API on
/// `http://localhost:<B>` it is `same-site` (the port is not part of a site).
/// A page on `http://a.localhost:<A>` has that origin (the engine resolves
/// `*.localhost` to loopback by itself), sends it as `Origin`, and calls the
/// API on `http://localhost:<B>` as `cross-site`: `localhost` is not in the
/// Public Suffix List, so the site of `a.localhost` is `a.localhost` itself, not
/// `localhost`. (For `csrf`, a sibling `*.localhost` page is another site.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subdomain_of_localhost_is_a_page_origin() {
    const LOCALHOST: &str = "[differences: a localhost page]";
    const WHAT: &str = "[differences: a *.localhost page]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    h.fetch(LOCALHOST, "/hello", json!({}), &[])
        .await
        .readable();
    assert_eq!(
        h.log.requests("GET", "/hello")[0].fetch_site.as_deref(),
        Some("same-site"),
        "{LOCALHOST}: the Sec-Fetch-Site that the API received"
    );

    h.open(Page::Subdomain).await;
    h.fetch(WHAT, "/subdomains", json!({}), &[])
        .await
        .readable()
        .body("hello, subdomain");
    let seen = &h.log.requests("GET", "/subdomains")[0];
    assert_eq!(
        (seen.origin.clone(), seen.fetch_site.as_deref()),
        (Some(h.origin(Page::Subdomain)), Some("cross-site")),
        "{WHAT}: the Origin and Sec-Fetch-Site that the API received"
    );
    h.shutdown().await;
}

/// On a host that is not potentially trustworthy (plain `http` to a
/// non-loopback address), an engine may send no `Sec-Fetch-Site`; then `csrf`
/// decides by its fallback (contract section 9, step 3): an `Origin` whose host
/// and port equal `Host` passes, any other is refused. Both run here for real:
/// a form from another port of the host is refused, a form from the API's own
/// page passes, in every engine, by whichever step applies to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_on_a_host_that_is_not_trustworthy() {
    const CROSS: &str = "[differences: form from another port of a non-loopback host]";
    const SAME: &str = "[differences: form from the API's own non-loopback page]";
    let ip = IpAddr::V4(non_loopback_address());
    let h = Harness::start().await;
    let sends = h.engine().behaviour.fetch_metadata_to_untrustworthy;
    let transfers = crate::api::Transfers::default();
    let app = crate::api::app("unused", transfers.clone()).merge(routes());
    let (api, log) = servers::start_api_on(ip, app)
        .await
        .unwrap_or_else(|e| panic!("cannot serve the API on {ip}: {e}"));
    let pages = servers::start_pages_on(ip)
        .await
        .unwrap_or_else(|e| panic!("cannot serve the pages on {ip}: {e}"));
    let (api_origin, page_origin) = (
        format!("http://{}", api.addr),
        format!("http://{}", pages.addr),
    );
    let form = [("to", "mallory"), ("amount", "100")];
    let transfer = format!("{api_origin}/transfer");

    h.open_url(&format!("{page_origin}/"), &page_origin).await;
    h.submit_form_to(CROSS, &transfer, &log, "/transfer", &form)
        .await;
    let seen = &log.requests("POST", "/transfer")[0];
    assert_eq!(
        (
            seen.origin.as_deref(),
            seen.fetch_site.as_deref(),
            seen.status
        ),
        (
            Some(page_origin.as_str()),
            sends.then_some("same-site"),
            403
        ),
        "{CROSS}: (Origin, Sec-Fetch-Site, status) in {}",
        h.engine().name
    );

    h.open_url(&format!("{api_origin}/diff/page"), &api_origin)
        .await;
    h.submit_form_to(SAME, &transfer, &log, "/transfer", &form)
        .await;
    let seen = &log.requests("POST", "/transfer")[1];
    assert_eq!(
        (
            seen.origin.as_deref(),
            seen.fetch_site.as_deref(),
            seen.status
        ),
        (
            Some(api_origin.as_str()),
            sends.then_some("same-origin"),
            200
        ),
        "{SAME}: (Origin, Sec-Fetch-Site, status) in {}",
        h.engine().name
    );
    assert_eq!(
        transfers.all(),
        ["/transfer: to=mallory&amount=100"],
        "{SAME}"
    );
    h.shutdown().await;
}

/// Private (now Local) Network Access: a page on a non-loopback address of
/// this machine calls the API on loopback with a simple `GET` that the API
/// would let any origin read. Whether the engine sends it, and with what, is
/// the engine's own; no engine sends `Access-Control-Request-Private-Network`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_network_request_from_a_non_loopback_page() {
    const WHAT: &str = "[differences: non-loopback page to loopback API]";
    let ip = IpAddr::V4(non_loopback_address());
    let h = Harness::start().await;
    let engine = h.engine();
    let pages = servers::start_pages_on(ip)
        .await
        .unwrap_or_else(|e| panic!("cannot serve the pages on {ip}: {e}"));
    let page_origin = format!("http://{}", pages.addr);
    h.open_url(&format!("{page_origin}/"), &page_origin).await;

    let read = h
        .fetch_unmodelled(
            WHAT,
            "static_cors::testing does not model Private Network Access",
            &raw_path("x=simple"),
            json!({}),
            &[],
        )
        .await;
    let preflights = h.log.requests("OPTIONS", "/diff/raw");
    let requests = h.log.requests("GET", "/diff/raw");
    eprintln!("{WHAT}: preflights {preflights:?}, requests {requests:?}");
    match engine.behaviour.local_network {
        LocalNetwork::Unrestricted => {
            read.readable().body("raw");
            assert_eq!(
                (preflights.len(), requests.len()),
                (0, 1),
                "{WHAT}: {} sends the request as any other",
                engine.name
            );
        }
        LocalNetwork::Refused => {
            read.blocked();
            assert_eq!(
                (preflights.len(), requests.len()),
                (0, 0),
                "{WHAT}: {} refuses before sending anything",
                engine.name
            );
        }
        LocalNetwork::AwaitsPermission => {
            assert_eq!(
                read.error_name(),
                Some("TimeoutError"),
                "{WHAT}: {} holds the request for a permission that no one grants: {read:?}",
                engine.name
            );
            assert_eq!(
                (preflights.len(), requests.len()),
                (0, 0),
                "{WHAT}: {} sends nothing while it waits",
                engine.name
            );
        }
    }
    h.shutdown().await;
}
