//! The rules of the client-side CORS algorithm that `static_cors::testing`
//! models, each shown in the real engine: same-origin fetches, which requests
//! need a preflight (method normalization, the safelisted headers and their
//! value rules, forbidden headers), what `fetch` refuses to send, the preflight's and the CORS check's
//! failures, the preflight cache's key, a negative `Access-Control-Max-Age`, `*`
//! in a credentialed cached result, what the preflight leaves out (credentials,
//! body), and which headers `*` exposes. Each
//! fetch asserts what the Fetch standard prescribes, and, as every fetch of the
//! suite, runs through the model too (see [`crate::differential`]), which must
//! agree with the engine on every count.
//!
//! Most fetches go to `/diff/raw` (see [`crate::differences`]), whose CORS
//! headers come from the query string.

use serde_json::json;

use crate::differences::raw_path;
use crate::harness::{Harness, Page};

/// A same-origin fetch is not CORS: no preflight for any method or header, no
/// CORS header needed, and every response header readable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_origin_fetch_is_not_cors() {
    const WHAT: &str = "[rules: same-origin fetch]";
    let h = Harness::start().await;
    let api_origin = h.api("");
    h.open_url(&h.api("/diff/page"), &api_origin).await;

    let init = json!({ "method": "PUT", "headers": { "x-custom": "1" }, "body": "b" });
    h.fetch(WHAT, "/diff/raw?hdr=own", init, &["x-raw", "content-type"])
        .await
        .readable()
        .status(200)
        .body("raw")
        .header("x-raw", Some("own"))
        .header("content-type", Some("text/plain; charset=utf-8"));
    h.expect_answers(WHAT, "OPTIONS", "/diff/raw", &[]);
    h.expect_answers(WHAT, "PUT", "/diff/raw", &[200]);
    h.shutdown().await;
}

/// Which requests are preflighted. `/hello` serves `GET` and allows no request
/// header, so a preflight there is refused (`403`) and the fetch blocked: a
/// readable fetch was not preflighted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn which_requests_are_preflighted() {
    const WHAT: &str = "[rules: when a preflight is needed]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    let long_language = "x".repeat(129);
    let not_preflighted = [
        ("lowercase get, upper-cased", json!({ "method": "get" })),
        (
            "the safelisted headers with safelisted values",
            json!({ "headers": [
                ["accept", "application/json"],
                ["accept-language", "fr-CH, en;q=0.8"],
                ["content-language", "de"],
                ["content-type", "text/plain;charset=utf-8"],
            ] }),
        ),
        (
            "forbidden headers, which fetch drops",
            json!({ "headers": { "keep-alive": "1", "sec-custom": "1", "via": "x" } }),
        ),
    ];
    for (case, init) in not_preflighted {
        h.fetch(&format!("{WHAT} {case}"), "/hello", init, &[])
            .await
            .readable()
            .body("hello from the API");
    }
    h.expect_answers(WHAT, "OPTIONS", "/hello", &[]);
    h.expect_answers(WHAT, "GET", "/hello", &[200; 3]);

    let preflighted = [
        (
            "accept with an unsafe byte",
            json!({ "headers": { "accept": "a\"b" } }),
        ),
        (
            "accept-language over 128 bytes",
            json!({ "headers": { "accept-language": long_language } }),
        ),
        (
            "content-language with a byte outside its set",
            json!({ "headers": { "content-language": "de/ch" } }),
        ),
        (
            "content-type that is not one of the three",
            json!({ "headers": { "content-type": "application/xml" } }),
        ),
        ("a custom header", json!({ "headers": { "x-custom": "1" } })),
    ];
    for (case, init) in preflighted {
        h.fetch(&format!("{WHAT} {case}"), "/hello", init, &[])
            .await
            .blocked();
    }
    h.expect_answers(WHAT, "OPTIONS", "/hello", &[403; 5]);
    h.expect_answers(WHAT, "GET", "/hello", &[200; 3]);

    // One name given more than once: where the engines leave the standard.
    let behaves = &h.engine().behaviour;
    let repeated = [
        (
            "two accept values of 100 bytes, 200 in all",
            json!({ "headers": vec![["accept", "b".repeat(100).as_str()]; 2] }),
            behaves.joins_repeated_headers,
        ),
        (
            "nine accept values of 120 bytes, 1080 in all",
            json!({ "headers": vec![["accept", "a".repeat(120).as_str()]; 9] }),
            behaves.joins_repeated_headers || behaves.limits_safelisted_total,
        ),
    ];
    for (case, init, preflighted) in repeated {
        let what = format!("{WHAT} {case}");
        let preflights = h.log.requests("OPTIONS", "/hello").len();
        let read = h.fetch(&what, "/hello", init, &[]).await;
        if preflighted {
            read.blocked();
        } else {
            read.readable();
        }
        assert_eq!(
            h.log.requests("OPTIONS", "/hello").len(),
            preflights + usize::from(preflighted),
            "{what}: preflighted in {}",
            h.engine().name
        );
    }

    // A string body without a content-type is sent as text/plain: no preflight.
    let post = json!({ "method": "post", "body": "plain" });
    h.fetch(WHAT, &raw_path("x=post"), post, &[])
        .await
        .readable()
        .body("raw");
    h.expect_answers(WHAT, "OPTIONS", "/diff/raw", &[]);
    let seen = &h.log.requests("POST", "/diff/raw")[0];
    assert_eq!(
        seen.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/plain;charset=UTF-8"),
        "{WHAT}: the content-type that fetch added to a string body"
    );

    // The preflight names the unsafelisted headers sorted, lowercase, joined.
    let init = json!({ "headers": [["X-B", "1"], ["accept", "*/*"], ["x-a", "2"]] });
    h.fetch(WHAT, &raw_path("acah=x-a,x-b"), init, &[])
        .await
        .readable()
        .body("raw");
    let preflight = &h.log.requests("OPTIONS", "/diff/raw")[0];
    assert_eq!(
        preflight
            .headers
            .get("access-control-request-headers")
            .and_then(|v| v.to_str().ok()),
        Some("x-a,x-b"),
        "{WHAT}: the request headers that the preflight announced"
    );

    // What `fetch` refuses to send at all: it rejects with a `TypeError` of its
    // own, and nothing reaches the server.
    let before = h.log.count();
    for (case, init) in [
        ("a GET with a body", json!({ "body": "x" })),
        ("a forbidden method", json!({ "method": "TRACE" })),
        ("a method that is not a token", json!({ "method": "GE T" })),
    ] {
        let what = format!("{WHAT} {case}");
        let read = h.fetch(&what, "/hello", init, &[]).await;
        assert_eq!(read.error_name(), Some("TypeError"), "{what}: {read:?}");
    }
    assert_eq!(
        h.log.since(before).len(),
        0,
        "{WHAT}: requests that fetch refused to send"
    );
    h.shutdown().await;
}

/// The preflight's and the CORS check's failures, on `/diff/raw`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_and_cors_check_failures() {
    const WHAT: &str = "[rules: preflight and CORS check]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    let origin = h.origin(Page::Localhost);
    let include = |init: serde_json::Value| {
        let mut init = init;
        init["credentials"] = json!("include");
        init
    };
    let get = json!({});
    let put = json!({ "method": "put" });

    let cases = [
        (
            "lowercase put, upper-cased",
            raw_path("acam=PUT"),
            put.clone(),
            true,
        ),
        (
            "an unparsable Access-Control-Allow-Methods",
            raw_path("acam=PUT,x;y"),
            put.clone(),
            false,
        ),
        (
            "an unparsable Access-Control-Allow-Headers",
            raw_path("acah=x-custom,a;b"),
            json!({ "headers": { "x-custom": "1" } }),
            false,
        ),
        (
            "Allow-Origin `*`",
            "/diff/raw?acao=*".to_owned(),
            get.clone(),
            true,
        ),
        (
            "Allow-Origin `*` with credentials",
            "/diff/raw?acao=*&acac=true".to_owned(),
            include(get.clone()),
            false,
        ),
        (
            "Allow-Origin with a trailing slash",
            format!("/diff/raw?acao={origin}/"),
            get.clone(),
            false,
        ),
        (
            "Allow-Origin twice",
            raw_path("acao2=echo"),
            get.clone(),
            false,
        ),
        (
            "Allow-Origin in upper case",
            format!("/diff/raw?acao={}", origin.to_uppercase()),
            get.clone(),
            false,
        ),
        (
            "Allow-Credentials `TRUE`",
            raw_path("acac=TRUE"),
            include(get.clone()),
            false,
        ),
        (
            "Allow-Credentials `true`",
            raw_path("acac=true"),
            include(get.clone()),
            true,
        ),
        (
            "no Allow-Credentials on the preflight",
            raw_path("acam=PUT&x=credentials"),
            include(put.clone()),
            false,
        ),
    ];
    for (case, path, init, readable) in cases {
        let what = format!("{WHAT} {case}");
        let read = h.fetch(&what, &path, init, &[]).await;
        if readable {
            read.readable().body("raw");
        } else {
            read.blocked();
        }
    }
    h.shutdown().await;
}

/// The preflight cache's key: origin, URL, credentials mode, and method.
/// Every preflight answer here carries `Access-Control-Max-Age: 600` and
/// allows credentials. The engines' caches differ in shape (see the testing
/// page of the guide), which the model follows engine by engine, but here all
/// three send the same two preflights.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_cache_key() {
    const WHAT: &str = "[rules: preflight cache key]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    let path = raw_path("acam=PUT,DELETE&acac=true&acma=600");
    let fetch =
        |method: &str, credentials: &str| json!({ "method": method, "credentials": credentials });

    for (method, credentials) in [
        ("PUT", "omit"),
        ("PUT", "omit"),
        ("DELETE", "omit"),
        ("PUT", "include"),
        ("DELETE", "include"),
        ("PUT", "omit"),
    ] {
        h.fetch(
            &format!("{WHAT} {method} credentials {credentials}"),
            &path,
            fetch(method, credentials),
            &[],
        )
        .await
        .readable()
        .body("raw");
    }
    let preflights = h.log.requests("OPTIONS", "/diff/raw").len();
    assert_eq!(
        preflights, 2,
        "{WHAT}: one preflight without credentials and one with; the `DELETE`s and the \
         last `PUT` without credentials are answered from the cache"
    );

    // A preflight for another method of the same URL: Firefox keeps the
    // entry of the first, Chromium and WebKit replace their result whole.
    let echo = raw_path("acam=echo&acma=600");
    for method in ["PUT", "DELETE", "PUT"] {
        h.fetch(
            &format!("{WHAT} {method} answered for itself"),
            &echo,
            fetch(method, "omit"),
            &[],
        )
        .await
        .readable();
    }
    let per_method = h.engine().behaviour.caches_per_method;
    assert_eq!(
        h.log.requests("OPTIONS", "/diff/raw").len(),
        preflights + if per_method { 2 } else { 3 },
        "{WHAT}: preflights for PUT, DELETE, PUT, each answered for its own method, in {}",
        h.engine().name
    );
    let preflights = h.log.requests("OPTIONS", "/diff/raw").len();

    // Another origin is another key.
    h.open(Page::Subdomain).await;
    h.fetch(WHAT, &path, fetch("PUT", "omit"), &[])
        .await
        .readable();
    assert_eq!(
        h.log.requests("OPTIONS", "/diff/raw").len(),
        preflights + 1,
        "{WHAT}: a preflight from another origin"
    );
    h.open(Page::Localhost).await;

    // Another URL is another key.
    let other = raw_path("acam=PUT,DELETE&acac=true&acma=600&x=other");
    h.fetch(WHAT, &other, fetch("PUT", "omit"), &[])
        .await
        .readable();
    assert_eq!(
        h.log.requests("OPTIONS", "/diff/raw").len(),
        preflights + 2,
        "{WHAT}: a preflight for another URL"
    );
    h.shutdown().await;
}

/// `Access-Control-Expose-Headers: *` exposes every header only without
/// credentials; with them, `*` is a header name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn star_exposes_headers_only_without_credentials() {
    const WHAT: &str = "[rules: Access-Control-Expose-Headers: *]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    let path = raw_path("aceh=*&acac=true&hdr=seen");
    h.fetch(WHAT, &path, json!({}), &["x-raw"])
        .await
        .readable()
        .header("x-raw", Some("seen"));
    h.fetch(WHAT, &path, json!({ "credentials": "include" }), &["x-raw"])
        .await
        .readable()
        .header("x-raw", None);
    h.fetch(
        WHAT,
        &raw_path("aceh=x-raw&acac=true&hdr=named"),
        json!({ "credentials": "include" }),
        &["x-raw"],
    )
    .await
    .readable()
    .header("x-raw", Some("named"));
    h.shutdown().await;
}

/// The preflight carries neither the credentials nor the body of the request
/// it asks for: after a cookie is set, a credentialed `PUT` with a body is
/// preflighted by an `OPTIONS` without `Cookie` and without a body, and the
/// `PUT` itself carries both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_carries_no_credentials_and_no_body() {
    const WHAT: &str = "[rules: what the preflight leaves out]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    let cookie = format!("session={}", h.session);
    h.fetch(
        WHAT,
        "/session/login",
        json!({ "credentials": "include" }),
        &[],
    )
    .await
    .readable()
    .body("logged in");

    let init = json!({ "method": "PUT", "credentials": "include", "body": "the body" });
    h.fetch(WHAT, &raw_path("acam=PUT&acac=true"), init, &[])
        .await
        .readable()
        .body("raw");
    let preflights = h.log.requests("OPTIONS", "/diff/raw");
    assert_eq!(preflights.len(), 1, "{WHAT}: one preflight: {preflights:?}");
    assert_eq!(
        preflights[0].cookie, None,
        "{WHAT}: the Cookie header of the preflight"
    );
    assert_eq!(
        String::from_utf8_lossy(&preflights[0].body),
        "",
        "{WHAT}: the body of the preflight"
    );
    let puts = h.log.requests("PUT", "/diff/raw");
    assert_eq!(puts.len(), 1, "{WHAT}: one PUT: {puts:?}");
    assert_eq!(
        puts[0].cookie.as_deref(),
        Some(cookie.as_str()),
        "{WHAT}: the Cookie header of the PUT"
    );
    assert_eq!(
        String::from_utf8_lossy(&puts[0].body),
        "the body",
        "{WHAT}: the body of the PUT"
    );
    h.shutdown().await;
}

/// A negative `Access-Control-Max-Age`, `-1`: no engine caches the preflight,
/// so the same request right after is preflighted again (the standard would
/// read it as absent, 5 seconds, and reuse it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn negative_max_age() {
    const WHAT: &str = "[rules: Access-Control-Max-Age: -1]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    let path = raw_path("acam=PUT&acma=-1");
    for _ in 0..2 {
        h.fetch(WHAT, &path, json!({ "method": "PUT" }), &[])
            .await
            .readable()
            .body("raw");
    }
    assert_eq!(
        h.log.requests("OPTIONS", "/diff/raw").len(),
        2,
        "{WHAT}: preflights for two PUTs one right after the other, in {}",
        h.engine().name
    );
    h.shutdown().await;
}

/// A request without credentials that reuses the preflight result of a
/// credentialed one holding `Access-Control-Allow-Methods: PUT, *`: `*` does
/// not count for Chromium, whose stored result was credentialed, so a `DELETE`
/// is preflighted; it counts for WebKit, whose request is not, so the
/// `DELETE` is not. Firefox keeps its entries per credentials mode, so the
/// `DELETE` is preflighted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn star_in_a_credentialed_cached_result() {
    const WHAT: &str = "[rules: `*` cached with credentials]";
    let h = Harness::start().await;
    h.open(Page::Localhost).await;
    let path = raw_path("acam=PUT,*&acac=true&acma=600");
    h.fetch(
        WHAT,
        &path,
        json!({ "method": "PUT", "credentials": "include" }),
        &[],
    )
    .await
    .readable()
    .body("raw");
    h.fetch(
        WHAT,
        &path,
        json!({ "method": "DELETE", "credentials": "omit" }),
        &[],
    )
    .await
    .readable()
    .body("raw");
    let name = h.engine().name;
    let expected = if name == "WebKit" { 1 } else { 2 };
    assert_eq!(
        h.log.requests("OPTIONS", "/diff/raw").len(),
        expected,
        "{WHAT}: preflights for a credentialed PUT, then a DELETE without credentials, in {name}"
    );
    h.shutdown().await;
}
