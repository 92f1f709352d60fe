//! Write protection (`csrf`, contract section 9), one request per branch of the
//! rule, for every front end: `tests/behavior.rs` sends them to a `cors_route!`
//! route and `tests/layer.rs` through a `CorsLayer`. Each front end mounts a
//! handler that counts its calls at `/transfer`, on `GET`, `POST`, `PUT`,
//! `DELETE` and `PURGE`, under a policy with `csrf` that allows [`TRUSTED`] and
//! `https://*.partner.example.org`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The origin that the policy allows by name.
pub const TRUSTED: &str = "https://app.example.com";

/// The server's own name, as a browser's `Host` carries it.
pub const HOST: &str = "bank.example.com";

/// One request and what the rule makes of it.
pub struct Case {
    /// The branch of the rule, for messages.
    pub branch: &'static str,
    pub method: &'static str,
    /// The request target: a path, or an absolute URI whose authority stands
    /// in for HTTP/2's `:authority`.
    pub uri: &'static str,
    pub headers: &'static [(&'static str, &'static str)],
    /// Whether write protection refuses it (else the handler runs).
    pub refused: bool,
    /// Whether the origin is allowed, so that the response is readable.
    pub readable: bool,
}

const fn case(
    branch: &'static str,
    method: &'static str,
    headers: &'static [(&'static str, &'static str)],
    refused: bool,
) -> Case {
    Case {
        branch,
        method,
        uri: "/transfer",
        headers,
        refused,
        readable: false,
    }
}

/// Every branch of the rule, and the edges decided in `cors-runtime/src/csrf.rs`.
pub const CASES: &[Case] = &[
    // Safe methods are never refused.
    case(
        "GET is safe",
        "GET",
        &[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ],
        false,
    ),
    case(
        "HEAD is safe",
        "HEAD",
        &[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ],
        false,
    ),
    // Step 1: an origin the policy allows.
    Case {
        readable: true,
        ..case(
            "step 1: an allowed origin, cross-site",
            "POST",
            &[("origin", TRUSTED), ("sec-fetch-site", "cross-site")],
            false,
        )
    },
    Case {
        readable: true,
        ..case(
            "step 1: an origin allowed by a pattern, same-site",
            "PURGE",
            &[
                ("origin", "https://eu.partner.example.org"),
                ("sec-fetch-site", "same-site"),
            ],
            false,
        )
    },
    Case {
        readable: true,
        ..case(
            "step 1: an allowed origin without Sec-Fetch-Site, another Host",
            "DELETE",
            &[("host", HOST), ("origin", TRUSTED)],
            false,
        )
    },
    // Step 2: Sec-Fetch-Site.
    case(
        "step 2: same-origin",
        "POST",
        &[
            ("host", HOST),
            ("origin", "https://bank.example.com"),
            ("sec-fetch-site", "same-origin"),
        ],
        false,
    ),
    case(
        "step 2: none, a navigation the user started",
        "POST",
        &[("sec-fetch-site", "none")],
        false,
    ),
    case(
        "step 2: cross-site",
        "POST",
        &[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ],
        true,
    ),
    case(
        "step 2: same-site is not same-origin",
        "PUT",
        &[
            ("origin", "https://blog.example.com"),
            ("sec-fetch-site", "same-site"),
        ],
        true,
    ),
    case(
        "step 2: cross-site without an Origin",
        "DELETE",
        &[("sec-fetch-site", "cross-site")],
        true,
    ),
    case(
        "step 2: Sec-Fetch-Site outranks an Origin equal to Host",
        "POST",
        &[
            ("host", HOST),
            ("origin", "https://bank.example.com"),
            ("sec-fetch-site", "cross-site"),
        ],
        true,
    ),
    case(
        "step 2: two Sec-Fetch-Site lines",
        "POST",
        &[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "same-origin"),
            ("sec-fetch-site", "same-origin"),
        ],
        true,
    ),
    case(
        "step 2: an unknown Sec-Fetch-Site",
        "POST",
        &[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "Same-Origin"),
        ],
        true,
    ),
    // Step 3: no Sec-Fetch-Site.
    case(
        "step 3: neither header (curl, a server)",
        "POST",
        &[("host", HOST)],
        false,
    ),
    case(
        "step 3: an Origin equal to Host",
        "POST",
        &[("host", HOST), ("origin", "https://bank.example.com")],
        false,
    ),
    case(
        "step 3: an Origin with a port equal to Host",
        "PUT",
        &[
            ("host", "bank.example.com:8443"),
            ("origin", "https://bank.example.com:8443"),
        ],
        false,
    ),
    case(
        "step 3: an Origin other than Host",
        "POST",
        &[("host", HOST), ("origin", "https://evil.example")],
        true,
    ),
    case(
        "step 3: no default port is added",
        "POST",
        &[
            ("host", "bank.example.com:443"),
            ("origin", "https://bank.example.com"),
        ],
        true,
    ),
    case(
        "step 3: Origin null",
        "POST",
        &[("host", HOST), ("origin", "null")],
        true,
    ),
    case(
        "step 3: two Origin lines",
        "POST",
        &[
            ("host", HOST),
            ("origin", "https://bank.example.com"),
            ("origin", "https://bank.example.com"),
        ],
        true,
    ),
    case(
        "step 3: an Origin but no Host",
        "POST",
        &[("origin", "https://bank.example.com")],
        true,
    ),
    Case {
        uri: "https://bank.example.com/transfer",
        ..case(
            "step 3: the URI's authority (HTTP/2's :authority), no Host",
            "POST",
            &[("origin", "https://bank.example.com")],
            false,
        )
    },
    Case {
        uri: "https://bank.example.com/transfer",
        ..case(
            "step 3: the URI's authority outranks Host",
            "POST",
            &[("host", "evil.example"), ("origin", "https://evil.example")],
            true,
        )
    },
];

/// Counts the calls of the protected handler.
#[derive(Clone, Default)]
pub struct Calls(pub Arc<AtomicUsize>);

impl Calls {
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }

    pub fn add(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Sends every case to `router` and checks each answer; `calls` counts the
/// protected handler's calls.
pub async fn check_every_branch(front_end: &str, router: &Router, calls: &Calls) {
    for case in CASES {
        let what = format!("{front_end}, {} {}: {}", case.method, case.uri, case.branch);
        let mut request = Request::builder().method(case.method).uri(case.uri);
        for (name, value) in case.headers {
            request = request.header(*name, *value);
        }
        let before = calls.get();
        let response = router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        let ran = calls.get() - before;
        let acao = parts.headers.get("access-control-allow-origin");
        let vary: Vec<_> = parts.headers.get_all("vary").iter().collect();
        assert!(vary.iter().any(|v| *v == "Origin"), "{what}: Vary {vary:?}");
        if case.refused {
            assert_eq!(parts.status, StatusCode::FORBIDDEN, "{what}");
            assert!(body.is_empty(), "{what}: body {body:?}");
            assert_eq!(ran, 0, "{what}: the handler ran");
            assert_eq!(acao, None, "{what}");
            assert!(
                !parts
                    .headers
                    .contains_key("access-control-allow-credentials"),
                "{what}"
            );
        } else {
            assert_eq!(parts.status, StatusCode::OK, "{what}");
            assert_eq!(ran, 1, "{what}: the handler's calls");
            let origin = case.headers.iter().find(|(name, _)| *name == "origin");
            let expected = origin.filter(|_| case.readable).map(|(_, value)| *value);
            assert_eq!(acao.map(|v| v.to_str().unwrap()), expected, "{what}");
        }
    }
}
