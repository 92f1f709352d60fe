//! The whole algorithm against a scripted service: one test per rule of the
//! standard that decides between the two requests.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::{Request, Response, StatusCode};

use super::*;

const PAGE: &str = "https://app.example.com";
const URL: &str = "https://api.example.com/items/1";

type Seen = Arc<Mutex<Vec<Request<Bytes>>>>;
type Lines = &'static [(&'static str, &'static str)];

/// A service that answers preflights (`OPTIONS` with ACRM) with `status` and
/// `preflight`, everything else with 200 and `actual`, and keeps what it saw.
fn scripted(
    status: u16,
    preflight: Lines,
    actual: Lines,
) -> (
    impl Service<Request<Body>, Response = Response<()>, Error = Infallible> + Clone,
    Seen,
) {
    let seen = Seen::default();
    let log = seen.clone();
    let service = tower::service_fn(move |request: Request<Body>| {
        let log = log.clone();
        async move {
            let is_preflight = request.method() == Method::OPTIONS
                && request
                    .headers()
                    .contains_key("access-control-request-method");
            let (parts, body) = request.into_parts();
            let body = http_body_util::BodyExt::collect(body)
                .await
                .map(http_body_util::Collected::to_bytes)
                .unwrap_or_default();
            log.lock().unwrap().push(Request::from_parts(parts, body));
            let (status, lines) = if is_preflight {
                (status, preflight)
            } else {
                (200, actual)
            };
            let mut response = Response::new(());
            *response.status_mut() = StatusCode::from_u16(status).unwrap();
            for (name, value) in lines {
                response
                    .headers_mut()
                    .append(*name, HeaderValue::from_static(value));
            }
            Ok::<_, Infallible>(response)
        }
    });
    (service, seen)
}

const ALLOW_ALL: Lines = &[
    ("access-control-allow-origin", PAGE),
    ("access-control-allow-credentials", "true"),
    ("access-control-allow-methods", "PUT, DELETE, patch"),
    (
        "access-control-allow-headers",
        "content-type, x-api-key, authorization",
    ),
    ("access-control-max-age", "600"),
];
const ACTUAL: Lines = &[
    ("access-control-allow-origin", PAGE),
    ("access-control-allow-credentials", "true"),
    ("access-control-expose-headers", "x-request-id"),
    ("x-request-id", "7"),
    ("x-total-count", "3"),
    ("content-type", "application/json"),
    ("set-cookie", "s=1"),
];

async fn run(
    engine: Engine,
    service: &(impl Service<Request<Body>, Response = Response<()>, Error = Infallible> + Clone),
    fetch: Fetch,
) -> Outcome {
    Browser::new(engine).fetch(service, fetch).await
}

#[tokio::test]
async fn a_same_origin_fetch_is_not_cors_and_reads_every_header_but_set_cookie() {
    let (app, seen) = scripted(403, &[], &[("x-total-count", "3"), ("set-cookie", "s=1")]);
    let outcome = run(
        Engine::Chromium,
        &app,
        Fetch::new("https://api.example.com", "PUT", URL).header("x-api-key", "k"),
    )
    .await;
    assert!(outcome.is_allowed(), "{outcome}");
    assert!(!outcome.preflight_sent());
    assert_eq!(outcome.readable_header("x-total-count").unwrap(), "3");
    assert!(outcome.readable_header("set-cookie").is_none());
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].headers()["origin"],
        "https://api.example.com",
        "a same-origin PUT carries Origin"
    );
    assert_eq!(seen[0].headers()["sec-fetch-site"], "same-origin");
}

#[tokio::test]
async fn a_same_origin_get_carries_no_origin() {
    let (app, seen) = scripted(200, &[], &[]);
    let outcome = run(
        Engine::Firefox,
        &app,
        Fetch::new("https://api.example.com", "GET", URL),
    )
    .await;
    assert!(outcome.is_allowed());
    assert!(!seen.lock().unwrap()[0].headers().contains_key("origin"));
}

#[tokio::test]
async fn a_cross_origin_request_carries_origin_and_reaches_the_server_even_when_blocked() {
    let (app, seen) = scripted(200, &[], &[]);
    let outcome = run(Engine::WebKit, &app, Fetch::new(PAGE, "GET", URL)).await;
    assert!(!outcome.is_allowed());
    assert!(!outcome.preflight_sent());
    assert!(outcome.actual_sent());
    assert_eq!(outcome.status(), None);
    assert!(matches!(
        outcome.failure(),
        Some(Failure::AllowOrigin {
            stage: Stage::Actual,
            seen: None,
            ..
        })
    ));
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].headers()["origin"], PAGE);
    assert_eq!(seen[0].headers()["host"], "api.example.com");
    assert_eq!(seen[0].headers()["sec-fetch-site"], "cross-site");
    assert_eq!(seen[0].headers()["sec-fetch-mode"], "cors");
    assert_eq!(seen[0].uri(), "/items/1");
}

#[tokio::test]
async fn safelisted_method_and_headers_need_no_preflight() {
    let (app, _) = scripted(200, &[], ACTUAL);
    let fetch = Fetch::new(PAGE, "post", URL)
        .header("content-type", "text/plain;charset=UTF-8")
        .header("accept", "application/json")
        .header("accept-language", "en-GB")
        .body("text");
    let outcome = run(Engine::Chromium, &app, fetch).await;
    assert!(outcome.is_allowed(), "{outcome}");
    assert!(!outcome.preflight_sent());
}

#[tokio::test]
async fn a_method_that_is_not_safelisted_is_preflighted_with_acrm_and_no_body() {
    let (app, seen) = scripted(204, ALLOW_ALL, ACTUAL);
    let fetch = Fetch::new(PAGE, "put", URL)
        .credentials(Credentials::Include)
        .body("{}");
    let outcome = run(Engine::Firefox, &app, fetch).await;
    assert!(outcome.is_allowed(), "{outcome}");
    assert!(outcome.preflight_sent());
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    let preflight = &seen[0];
    assert_eq!(preflight.method(), Method::OPTIONS);
    assert_eq!(preflight.headers()["access-control-request-method"], "PUT");
    assert!(
        !preflight
            .headers()
            .contains_key("access-control-request-headers")
    );
    assert!(preflight.body().is_empty());
    assert!(!preflight.headers().contains_key("content-length"));
    assert!(!preflight.headers().contains_key("cookie"));
    assert_eq!(seen[1].method(), Method::PUT);
    assert_eq!(seen[1].body().as_ref(), b"{}");
    assert_eq!(seen[1].headers()["content-length"], "2");
}

#[tokio::test]
async fn patch_is_not_upper_cased_so_acam_patch_does_not_cover_it() {
    let allow_upper: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-methods", "PATCH"),
    ];
    let (app, seen) = scripted(204, allow_upper, ACTUAL);
    let outcome = run(Engine::Chromium, &app, Fetch::new(PAGE, "patch", URL)).await;
    assert_eq!(
        seen.lock().unwrap()[0].headers()["access-control-request-method"],
        "patch"
    );
    assert!(
        matches!(outcome.failure(), Some(Failure::Method { method, .. }) if method == "patch"),
        "{outcome}"
    );
    assert!(!outcome.actual_sent());
}

#[tokio::test]
async fn acrh_lists_the_unsafelisted_names_sorted_lowercase_comma_joined() {
    let (app, seen) = scripted(204, ALLOW_ALL, ACTUAL);
    let fetch = Fetch::new(PAGE, "GET", URL)
        .header("X-Api-Key", "k")
        .header("Content-Type", "application/json")
        .header("accept", "*/*")
        .header("x-api-key", "again");
    run(Engine::Chromium, &app, fetch).await;
    assert_eq!(
        seen.lock().unwrap()[0].headers()["access-control-request-headers"],
        "content-type,x-api-key"
    );
}

#[tokio::test]
async fn forbidden_request_headers_are_dropped_and_need_no_preflight() {
    let (app, seen) = scripted(204, &[], ACTUAL);
    let fetch = Fetch::new(PAGE, "GET", URL)
        .header("cookie", "s=1")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "same-origin");
    let outcome = run(Engine::Chromium, &app, fetch).await;
    assert!(!outcome.preflight_sent());
    let seen = seen.lock().unwrap();
    assert!(!seen[0].headers().contains_key("cookie"));
    assert_eq!(seen[0].headers()["origin"], PAGE);
    assert_eq!(seen[0].headers()["sec-fetch-site"], "cross-site");
    assert!(
        format!("{outcome:?}")
            .contains("dropped (forbidden request headers): cookie, origin, sec-fetch-site")
    );
}

#[tokio::test]
async fn a_preflight_outside_2xx_fails_and_the_request_is_not_sent() {
    for status in [199, 300, 302, 403, 500] {
        let (app, seen) = scripted(status, ALLOW_ALL, ACTUAL);
        let outcome = run(Engine::Chromium, &app, Fetch::new(PAGE, "DELETE", URL)).await;
        assert!(
            matches!(outcome.failure(), Some(Failure::PreflightStatus { .. })),
            "{status}: {outcome}"
        );
        assert_eq!(seen.lock().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn the_preflight_must_pass_the_cors_check_with_the_requests_credentials() {
    let no_credentials: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-methods", "DELETE"),
    ];
    let (app, _) = scripted(204, no_credentials, ACTUAL);
    let outcome = run(
        Engine::Firefox,
        &app,
        Fetch::new(PAGE, "DELETE", URL).credentials(Credentials::Include),
    )
    .await;
    assert!(
        matches!(
            outcome.failure(),
            Some(Failure::AllowCredentials {
                stage: Stage::Preflight,
                seen: None
            })
        ),
        "{outcome}"
    );
    let other: Lines = &[
        ("access-control-allow-origin", "https://other.example"),
        ("access-control-allow-methods", "DELETE"),
    ];
    let (app, _) = scripted(204, other, ACTUAL);
    let outcome = run(Engine::Firefox, &app, Fetch::new(PAGE, "DELETE", URL)).await;
    assert!(
        matches!(
            outcome.failure(),
            Some(Failure::AllowOrigin {
                stage: Stage::Preflight,
                ..
            })
        ),
        "{outcome}"
    );
}

#[tokio::test]
async fn a_wildcard_method_counts_only_without_credentials() {
    let star: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-methods", "*"),
    ];
    let (app, _) = scripted(204, star, ACTUAL);
    assert!(
        run(
            Engine::Chromium,
            &app,
            Fetch::new(PAGE, "DELETE", URL).credentials(Credentials::Omit)
        )
        .await
        .is_allowed()
    );
    let outcome = run(
        Engine::Chromium,
        &app,
        Fetch::new(PAGE, "DELETE", URL).credentials(Credentials::Include),
    )
    .await;
    assert!(
        matches!(
            outcome.failure(),
            Some(Failure::Method {
                credentials: true,
                ..
            })
        ),
        "{outcome}"
    );
}

#[tokio::test]
async fn a_safelisted_method_never_needs_listing() {
    let only_headers: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-methods", "PUT"),
        ("access-control-allow-headers", "x-api-key"),
    ];
    let (app, seen) = scripted(204, only_headers, ACTUAL);
    let outcome = run(
        Engine::WebKit,
        &app,
        Fetch::new(PAGE, "POST", URL).header("x-api-key", "k"),
    )
    .await;
    assert!(outcome.is_allowed(), "{outcome}");
    assert_eq!(
        seen.lock().unwrap()[0].headers()["access-control-request-method"],
        "POST"
    );
}

#[tokio::test]
async fn an_unlisted_header_fails_the_preflight() {
    let (app, _) = scripted(204, ALLOW_ALL, ACTUAL);
    let outcome = run(
        Engine::Chromium,
        &app,
        Fetch::new(PAGE, "GET", URL).header("x-trace", "1"),
    )
    .await;
    assert!(
        matches!(outcome.failure(), Some(Failure::Header { name, .. }) if name == "x-trace"),
        "{outcome}"
    );
}

#[tokio::test]
async fn a_wildcard_header_counts_only_without_credentials() {
    let star: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-headers", "*"),
    ];
    let (app, _) = scripted(204, star, ACTUAL);
    let outcome = run(
        Engine::Chromium,
        &app,
        Fetch::new(PAGE, "GET", URL).header("x-api-key", "k"),
    )
    .await;
    assert!(outcome.is_allowed(), "{outcome}");
    assert!(outcome.warnings().is_empty());
    let outcome = run(
        Engine::Chromium,
        &app,
        Fetch::new(PAGE, "GET", URL)
            .header("x-api-key", "k")
            .credentials(Credentials::Include),
    )
    .await;
    assert!(
        matches!(
            outcome.failure(),
            Some(Failure::Header {
                credentials: true,
                ..
            })
        ),
        "{outcome}"
    );
}

#[tokio::test]
async fn the_engines_let_a_wildcard_cover_authorization_with_a_warning() {
    let star: Lines = &[
        ("access-control-allow-origin", "*"),
        ("access-control-allow-headers", "*"),
    ];
    let (app, _) = scripted(204, star, &[("access-control-allow-origin", "*")]);
    for engine in Engine::ALL {
        let mut browser = Browser::new(engine);
        let fetch = || Fetch::new(PAGE, "GET", URL).header("authorization", "Bearer t");
        let outcome = browser.fetch(&app, fetch()).await;
        assert!(outcome.is_allowed(), "{outcome}");
        assert_eq!(outcome.warnings(), [Warning::AuthorizationByWildcard]);
        assert!(
            outcome.to_string().contains("Fetch standard forbids"),
            "{outcome}"
        );
        let cached = browser.fetch(&app, fetch()).await;
        assert!(!cached.preflight_sent());
        assert_eq!(
            cached.warnings(),
            [Warning::AuthorizationByWildcard],
            "from the cache too"
        );
    }
}

#[tokio::test]
async fn authorization_listed_by_name_has_no_warning() {
    let (app, _) = scripted(204, ALLOW_ALL, ACTUAL);
    let outcome = run(
        Engine::Chromium,
        &app,
        Fetch::new(PAGE, "GET", URL).header("Authorization", "Bearer t"),
    )
    .await;
    assert!(outcome.is_allowed(), "{outcome}");
    assert!(outcome.warnings().is_empty());
}

#[tokio::test]
async fn unparsable_lists_fail_the_preflight() {
    let bad_methods: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-methods", "PUT DELETE"),
    ];
    let (app, _) = scripted(204, bad_methods, ACTUAL);
    let outcome = run(Engine::Chromium, &app, Fetch::new(PAGE, "PUT", URL)).await;
    assert!(
        matches!(
            outcome.failure(),
            Some(Failure::UnparsableList {
                header: "Access-Control-Allow-Methods",
                ..
            })
        ),
        "{outcome}"
    );
    let bad_headers: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-methods", "PUT"),
        ("access-control-allow-headers", "x-a; x-b"),
    ];
    let (app, _) = scripted(204, bad_headers, ACTUAL);
    let outcome = run(Engine::Chromium, &app, Fetch::new(PAGE, "PUT", URL)).await;
    assert!(
        matches!(
            outcome.failure(),
            Some(Failure::UnparsableList {
                header: "Access-Control-Allow-Headers",
                ..
            })
        ),
        "{outcome}"
    );
}

#[tokio::test]
async fn the_actual_response_needs_allow_credentials_when_credentials_are_included() {
    let (app, _) = scripted(204, &[], &[("access-control-allow-origin", PAGE)]);
    let outcome = run(
        Engine::Chromium,
        &app,
        Fetch::new(PAGE, "GET", URL).credentials(Credentials::Include),
    )
    .await;
    assert!(
        matches!(
            outcome.failure(),
            Some(Failure::AllowCredentials {
                stage: Stage::Actual,
                ..
            })
        ),
        "{outcome}"
    );
    assert!(outcome.actual_sent());
    let outcome = run(Engine::Chromium, &app, Fetch::new(PAGE, "GET", URL)).await;
    assert!(
        outcome.is_allowed(),
        "same-origin credentials are not included cross-origin: {outcome}"
    );
}

#[tokio::test]
async fn a_wildcard_origin_is_refused_with_credentials() {
    let (app, _) = scripted(
        204,
        &[],
        &[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-credentials", "true"),
        ],
    );
    assert!(
        run(Engine::Firefox, &app, Fetch::new(PAGE, "GET", URL))
            .await
            .is_allowed()
    );
    let outcome = run(
        Engine::Firefox,
        &app,
        Fetch::new(PAGE, "GET", URL).credentials(Credentials::Include),
    )
    .await;
    assert!(!outcome.is_allowed());
    assert!(
        outcome
            .to_string()
            .contains("is `*`, which a credentialed request refuses"),
        "{outcome}"
    );
}

#[tokio::test]
async fn a_null_origin_is_sent_as_null_and_matched_by_null() {
    let (app, seen) = scripted(204, &[], &[("access-control-allow-origin", "null")]);
    let outcome = run(Engine::Chromium, &app, Fetch::new("null", "GET", URL)).await;
    assert!(outcome.is_allowed(), "{outcome}");
    assert_eq!(seen.lock().unwrap()[0].headers()["origin"], "null");
}

#[tokio::test]
async fn exposed_headers_follow_acah_and_credentials() {
    let (app, _) = scripted(204, &[], ACTUAL);
    let outcome = run(
        Engine::Chromium,
        &app,
        Fetch::new(PAGE, "GET", URL).credentials(Credentials::Include),
    )
    .await;
    assert_eq!(outcome.status(), Some(StatusCode::OK));
    assert_eq!(outcome.readable_header("x-request-id").unwrap(), "7");
    assert_eq!(
        outcome.readable_header("content-type").unwrap(),
        "application/json"
    );
    assert!(outcome.readable_header("x-total-count").is_none());
    assert!(outcome.readable_header("set-cookie").is_none());
    let names: Vec<&str> = outcome
        .readable_headers()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(names, ["x-request-id", "content-type"]);
}

#[tokio::test]
async fn a_preflight_is_cached_for_max_age_on_the_browsers_clock() {
    let (app, seen) = scripted(204, ALLOW_ALL, ACTUAL);
    let mut browser = Browser::new(Engine::Chromium);
    let put = || Fetch::new(PAGE, "PUT", URL).credentials(Credentials::Include);
    assert!(browser.fetch(&app, put()).await.preflight_sent());
    browser.advance(Duration::from_secs(599));
    let outcome = browser.fetch(&app, put()).await;
    assert!(
        outcome.is_allowed() && !outcome.preflight_sent(),
        "{outcome}"
    );
    assert!(
        outcome
            .to_string()
            .contains("preflight answered from the cache")
    );
    browser.advance(Duration::from_secs(1));
    assert!(browser.fetch(&app, put()).await.preflight_sent());
    assert_eq!(seen.lock().unwrap().len(), 5);
}

#[tokio::test]
async fn the_cache_key_holds_credentials_url_and_method() {
    let (app, _) = scripted(204, ALLOW_ALL, ACTUAL);
    let mut browser = Browser::new(Engine::Firefox);
    let put = Fetch::new(PAGE, "PUT", URL).credentials(Credentials::Include);
    assert!(browser.fetch(&app, put).await.preflight_sent());
    let omitted = Fetch::new(PAGE, "PUT", URL).credentials(Credentials::Omit);
    assert!(
        browser.fetch(&app, omitted).await.preflight_sent(),
        "credentials mode is in the key"
    );
    let other_url = Fetch::new(PAGE, "PUT", "https://api.example.com/items/2")
        .credentials(Credentials::Include);
    assert!(
        browser.fetch(&app, other_url).await.preflight_sent(),
        "the URL is in the key"
    );
    let delete = Fetch::new(PAGE, "DELETE", URL).credentials(Credentials::Include);
    assert!(
        !browser.fetch(&app, delete).await.preflight_sent(),
        "DELETE was listed by the first preflight"
    );
    let header = Fetch::new(PAGE, "PUT", URL)
        .credentials(Credentials::Include)
        .header("x-other", "1");
    assert!(
        browser.fetch(&app, header).await.preflight_sent(),
        "an uncached header asks again"
    );
}

#[tokio::test]
async fn without_max_age_a_preflight_lives_five_seconds() {
    let short: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-methods", "PUT"),
    ];
    let (app, _) = scripted(204, short, ACTUAL);
    let mut browser = Browser::new(Engine::WebKit);
    let put = || Fetch::new(PAGE, "PUT", URL);
    browser.fetch(&app, put()).await;
    browser.advance(Duration::from_millis(4999));
    assert!(!browser.fetch(&app, put()).await.preflight_sent());
    browser.advance(Duration::from_millis(1));
    assert!(browser.fetch(&app, put()).await.preflight_sent());
}

#[tokio::test]
async fn each_engine_caps_max_age() {
    let day: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-methods", "PUT"),
        ("access-control-max-age", "100000"),
    ];
    let (app, _) = scripted(204, day, ACTUAL);
    for (engine, cap) in [
        (Engine::Chromium, 7200),
        (Engine::Firefox, 86400),
        (Engine::WebKit, 600),
    ] {
        assert_eq!(engine.max_age_cap(), cap);
        let mut browser = Browser::new(engine);
        let put = || Fetch::new(PAGE, "PUT", URL);
        browser.fetch(&app, put()).await;
        browser.advance(Duration::from_secs(cap - 1));
        assert!(
            !browser.fetch(&app, put()).await.preflight_sent(),
            "{engine}"
        );
        browser.advance(Duration::from_secs(1));
        assert!(
            browser.fetch(&app, put()).await.preflight_sent(),
            "{engine}"
        );
    }
}

#[tokio::test]
async fn max_age_zero_means_every_fetch_asks_again() {
    let zero: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-methods", "PUT"),
        ("access-control-max-age", "0"),
    ];
    let (app, _) = scripted(204, zero, ACTUAL);
    let mut browser = Browser::new(Engine::Chromium);
    for _ in 0..3 {
        assert!(
            browser
                .fetch(&app, Fetch::new(PAGE, "PUT", URL))
                .await
                .preflight_sent()
        );
    }
}

#[tokio::test]
async fn fetch_throws_before_sending_on_what_it_refuses() {
    let (app, seen) = scripted(204, ALLOW_ALL, ACTUAL);
    for fetch in [
        Fetch::new(PAGE, "GET", URL).body("x"),
        Fetch::new(PAGE, "HEAD", URL).body("x"),
        Fetch::new(PAGE, "CONNECT", URL),
        Fetch::new(PAGE, "GET", "ftp://api.example.com/"),
        Fetch::new(PAGE, "GET", "https://user:pw@api.example.com/"),
        Fetch::new(PAGE, "GET", URL).header("x y", "1"),
        Fetch::new(PAGE, "GET", URL).header("x-a", "a\r\nb"),
        Fetch::new("app.example.com", "GET", URL),
    ] {
        let outcome = run(Engine::Chromium, &app, fetch).await;
        assert!(
            matches!(outcome.failure(), Some(Failure::Rejected { .. })),
            "{outcome}"
        );
        assert!(
            outcome.to_string().contains("`fetch()` throws"),
            "{outcome}"
        );
        assert!(!outcome.preflight_sent() && !outcome.actual_sent());
    }
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_service_error_is_a_network_error() {
    let failing =
        tower::service_fn(|_: Request<Body>| async { Err::<Response<()>, _>("connection reset") });
    let outcome = Browser::new(Engine::Chromium)
        .fetch(&failing, Fetch::new(PAGE, "GET", URL))
        .await;
    assert!(
        matches!(
            outcome.failure(),
            Some(Failure::Service {
                stage: Stage::Actual,
                ..
            })
        ),
        "{outcome}"
    );
    assert!(outcome.to_string().contains("connection reset"));
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_says_so() {
    let (app, _) = scripted(
        204,
        &[],
        &[
            ("access-control-allow-origin", "*"),
            ("location", "/elsewhere"),
        ],
    );
    let plain = run(Engine::Chromium, &app, Fetch::new(PAGE, "GET", URL)).await;
    assert!(plain.warnings().is_empty(), "a 200 is no redirect");
    let (app, _) = scripted(
        204,
        &[],
        &[
            ("access-control-allow-origin", "*"),
            ("location", "/elsewhere"),
        ],
    );
    let app = tower::ServiceExt::map_response(app, |mut response: Response<()>| {
        *response.status_mut() = StatusCode::FOUND;
        response
    });
    let outcome = Browser::new(Engine::Chromium)
        .fetch(&app, Fetch::new(PAGE, "GET", URL))
        .await;
    assert_eq!(
        outcome.warnings(),
        [Warning::RedirectNotFollowed {
            status: StatusCode::FOUND
        }]
    );
}

#[tokio::test]
async fn a_blocked_display_names_the_check_the_values_and_the_fix() {
    let (app, _) = scripted(
        204,
        &[
            ("access-control-allow-origin", PAGE),
            ("access-control-allow-methods", "GET, POST"),
        ],
        ACTUAL,
    );
    let outcome = run(Engine::Firefox, &app, Fetch::new(PAGE, "PUT", URL)).await;
    assert_eq!(
        outcome.to_string(),
        "Firefox blocks `PUT https://api.example.com/items/1` from `https://app.example.com`: \
         the preflight response's `Access-Control-Allow-Methods` is `GET, POST`, which does not cover `PUT`; \
         help: the preflight response must list `PUT` in `Access-Control-Allow-Methods`"
    );
    let debug = format!("{outcome:?}");
    assert!(
        debug.contains("preflight:\n  > OPTIONS /items/1\n"),
        "{debug}"
    );
    assert!(
        debug.contains("  < access-control-allow-methods: GET, POST\n"),
        "{debug}"
    );
    assert!(debug.contains("actual: not sent"), "{debug}");
}

/// Answers every preflight from `PAGE` with credentials, and
/// `Access-Control-Allow-Methods` naming only the method it asks for; every
/// other request with 200 and the CORS headers.
fn echoing_methods()
-> impl Service<Request<Body>, Response = Response<()>, Error = Infallible> + Clone {
    tower::service_fn(|request: Request<Body>| async move {
        let mut response = Response::new(());
        let headers = response.headers_mut();
        headers.insert(
            "access-control-allow-origin",
            HeaderValue::from_static(PAGE),
        );
        headers.insert(
            "access-control-allow-credentials",
            HeaderValue::from_static("true"),
        );
        if let Some(method) = request.headers().get("access-control-request-method") {
            headers.insert("access-control-allow-methods", method.clone());
            headers.insert("access-control-max-age", HeaderValue::from_static("600"));
        }
        Ok::<_, Infallible>(response)
    })
}

#[tokio::test]
async fn chromium_and_webkit_keep_one_result_per_url_and_firefox_one_entry_per_method() {
    let app = echoing_methods();
    for (engine, put_still_cached) in [
        (Engine::Chromium, false),
        (Engine::Firefox, true),
        (Engine::WebKit, false),
    ] {
        let mut browser = Browser::new(engine);
        assert!(
            browser
                .fetch(&app, Fetch::new(PAGE, "PUT", URL))
                .await
                .preflight_sent()
        );
        assert!(
            browser
                .fetch(&app, Fetch::new(PAGE, "DELETE", URL))
                .await
                .preflight_sent()
        );
        let put = browser.fetch(&app, Fetch::new(PAGE, "PUT", URL)).await;
        assert!(put.is_allowed(), "{put}");
        assert_eq!(!put.preflight_sent(), put_still_cached, "{engine}: {put}");
    }
}

#[tokio::test]
async fn chromium_and_webkit_let_a_request_without_credentials_use_a_credentialed_result() {
    let app = echoing_methods();
    for (engine, reused) in [
        (Engine::Chromium, true),
        (Engine::Firefox, false),
        (Engine::WebKit, true),
    ] {
        let mut browser = Browser::new(engine);
        let credentialed = Fetch::new(PAGE, "PUT", URL).credentials(Credentials::Include);
        assert!(browser.fetch(&app, credentialed).await.preflight_sent());
        let anonymous = browser
            .fetch(
                &app,
                Fetch::new(PAGE, "PUT", URL).credentials(Credentials::Omit),
            )
            .await;
        assert_eq!(!anonymous.preflight_sent(), reused, "{engine}");
        // Never the other way round.
        let mut browser = Browser::new(engine);
        browser
            .fetch(
                &app,
                Fetch::new(PAGE, "PUT", URL).credentials(Credentials::Omit),
            )
            .await;
        let credentialed = Fetch::new(PAGE, "PUT", URL).credentials(Credentials::Include);
        assert!(
            browser.fetch(&app, credentialed).await.preflight_sent(),
            "{engine}"
        );
    }
}

#[tokio::test]
async fn where_a_cached_wildcard_counts_chromium_asks_the_result_and_webkit_the_request() {
    let star: Lines = &[
        ("access-control-allow-origin", PAGE),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-methods", "PUT, *"),
        ("access-control-max-age", "600"),
    ];
    let (app, _) = scripted(204, star, ACTUAL);
    for (engine, wildcard_reused) in [(Engine::Chromium, false), (Engine::WebKit, true)] {
        let mut browser = Browser::new(engine);
        let credentialed = Fetch::new(PAGE, "PUT", URL).credentials(Credentials::Include);
        assert!(browser.fetch(&app, credentialed).await.preflight_sent());
        let delete = browser
            .fetch(
                &app,
                Fetch::new(PAGE, "DELETE", URL).credentials(Credentials::Omit),
            )
            .await;
        assert!(delete.is_allowed(), "{delete}");
        assert_eq!(!delete.preflight_sent(), wildcard_reused, "{engine}");
    }
}
