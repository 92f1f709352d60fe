//! Cross-origin write protection (contract section 9), for policies with
//! `csrf`: a request whose method is not `GET`, `HEAD` or `OPTIONS` is refused
//! before its handler runs unless
//!
//! 1. its `Origin` is one that the policy allows; or
//! 2. it carries `Sec-Fetch-Site: same-origin` or `none` (any other value is
//!    refused); or
//! 3. it carries no `Sec-Fetch-Site`, and no `Origin` or an `Origin` whose
//!    `host[:port]` equals the request's authority.
//!
//! This is the rule of Go 1.25's `CrossOriginProtection`, with the policy's
//! origins as the trusted ones.
//!
//! A WebSocket handshake is judged by the same rule whatever its method
//! (contract section 10): browsers do not apply CORS to WebSockets, so any page
//! can open a socket with the user's cookies and read it. A handshake is (see
//! [`is_websocket_handshake`])
//!
//! - an HTTP/1.1 `GET` whose `Upgrade` lists the token `websocket` and whose
//!   `Connection` lists the token `upgrade`, both case-insensitive; or
//! - an HTTP/2 extended `CONNECT` (RFC 8441). Its `:protocol` pseudo-header
//!   reaches a service in an extension type of hyper's HTTP/2 stack, which this
//!   crate cannot name with `http` alone; `CONNECT` is never a safe method, so
//!   every cross-origin `CONNECT` is refused by the rule above whatever its
//!   protocol, and the refusal is named a WebSocket one when the request
//!   carries `Sec-WebSocket-Version`, which RFC 8441 keeps and axum's
//!   `WebSocketUpgrade` requires.
//!
//! A refused handshake has the reason
//! [`CrossOriginWebSocketRefused`](crate::Reason::CrossOriginWebSocketRefused).
//!
//! Where a request is malformed, the rule fails
//! closed, since no browser sends such a request and anything else may omit
//! both headers:
//!
//! - `Sec-Fetch-Site` is trusted only as exactly one line whose value is
//!   byte for byte `same-origin` or `none`; repeated, empty, unknown or
//!   unreadable, it refuses.
//! - In step 3 the `Origin` must be exactly one line in serialized form
//!   (`scheme://host[:port]`, as browsers send it), and its `host[:port]` is
//!   compared byte for byte with the request's authority: no default port is
//!   added or removed (`https://a.com` does not equal `a.com:443`, as Go
//!   compares them), and the scheme is not compared (the authority has none).
//!   `null`, repeated, empty, malformed or unreadable, it refuses.
//! - The request's authority is its URI's when the URI has one (an HTTP/2
//!   request's `:authority`, an HTTP/1.1 request in absolute form, where the
//!   URI takes precedence over `Host`), else its `Host` header, which must be
//!   exactly one line. Without either, an `Origin` refuses.
//!
//! The checks compare bytes in place: nothing is parsed into new values and
//! nothing is allocated, unless a request is refused (its answer's headers).

use http::header::{CONNECTION, HOST, ORIGIN, SEC_WEBSOCKET_VERSION, UPGRADE};
use http::{HeaderMap, HeaderName, Method, Uri};

use crate::policy::Policy;
use crate::reason::{Reason, is_serialized};

/// `Sec-Fetch-Site`: how the page that made a request relates to its target
/// (`same-origin`, `same-site`, `cross-site`, or `none` for a navigation the
/// user started). Browsers have sent it on every request since 2023, and a page
/// cannot set it.
pub static SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// Whether `method` is one that write protection never refuses: `GET`, `HEAD`
/// or `OPTIONS`, byte for byte (an extension method `get` is not one), unless
/// the request is a WebSocket handshake (see [`is_websocket_handshake`]).
#[inline]
pub fn is_safe(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD || method == Method::OPTIONS
}

/// Whether a request is a WebSocket handshake, which write protection judges
/// whatever its method:
///
/// - a `GET` whose `Upgrade` lists the token `websocket` and whose
///   `Connection` lists the token `upgrade` (RFC 6455), each header being
///   any number of lines of comma-separated tokens, compared
///   case-insensitively, with optional whitespace around them;
/// - a `CONNECT` that carries `Sec-WebSocket-Version`: the HTTP/2 form of RFC
///   8441, whose `:protocol` pseudo-header `http` cannot show (see the
///   [module documentation](self)).
///
/// The lists are read in place, once, in linear time: nothing is allocated.
///
/// ```
/// use http::{HeaderMap, HeaderValue, Method};
/// use static_cors_runtime::csrf::is_websocket_handshake;
///
/// let mut request = HeaderMap::new();
/// request.insert("upgrade", HeaderValue::from_static("WebSocket"));
/// request.insert("connection", HeaderValue::from_static("keep-alive, Upgrade"));
/// assert!(is_websocket_handshake(&Method::GET, &request));
/// assert!(!is_websocket_handshake(&Method::POST, &request));
/// request.insert("upgrade", HeaderValue::from_static("h2c"));
/// assert!(!is_websocket_handshake(&Method::GET, &request));
/// ```
#[inline]
pub fn is_websocket_handshake(method: &Method, request: &HeaderMap) -> bool {
    if method == Method::GET {
        lists_token(request, &UPGRADE, b"websocket")
            && lists_token(request, &CONNECTION, b"upgrade")
    } else if method == Method::CONNECT {
        request.contains_key(SEC_WEBSOCKET_VERSION)
    } else {
        false
    }
}

/// Whether a line of `name` lists `token` (lowercase), ignoring ASCII case
/// and the optional whitespace around each element.
fn lists_token(request: &HeaderMap, name: &HeaderName, token: &[u8]) -> bool {
    request.get_all(name).iter().any(|line| {
        line.as_bytes()
            .split(|&b| b == b',')
            .any(|element| element.trim_ascii().eq_ignore_ascii_case(token))
    })
}

/// The reason of a request that write protection refuses: a WebSocket
/// handshake's, or a write's.
#[inline]
pub(crate) fn refusal_reason(method: &Method, request: &HeaderMap) -> Reason<'static> {
    if is_websocket_handshake(method, request) {
        Reason::CrossOriginWebSocketRefused
    } else {
        Reason::CrossOriginWriteRefused
    }
}

impl Policy {
    /// Whether write protection refuses the request; nothing is reported.
    #[inline]
    pub(crate) fn refuses_write(&self, method: &Method, uri: &Uri, request: &HeaderMap) -> bool {
        self.csrf
            && (!is_safe(method) || is_websocket_handshake(method, request))
            && !self.matches_origin(request)
            && is_cross_origin(uri, request)
    }
}

/// Steps 2 and 3 of the rule: whether a request that no allowed `Origin`
/// vouches for comes from another origin.
fn is_cross_origin(uri: &Uri, request: &HeaderMap) -> bool {
    let mut sites = request.get_all(&SEC_FETCH_SITE).iter();
    if let Some(site) = sites.next() {
        let same = sites.next().is_none() && (site == "same-origin" || site == "none");
        return !same;
    }
    let mut origins = request.get_all(ORIGIN).iter();
    let Some(origin) = origins.next() else {
        // Neither header: a request from the same origin, or not from a browser.
        return false;
    };
    if origins.next().is_some() {
        return true;
    }
    match (origin_authority(origin.as_bytes()), authority(uri, request)) {
        (Some(origin), Some(target)) => origin != target,
        _ => true,
    }
}

/// The request's authority: its URI's when it has one, else its one `Host`.
fn authority<'r>(uri: &'r Uri, request: &'r HeaderMap) -> Option<&'r [u8]> {
    if let Some(authority) = uri.authority() {
        return Some(authority.as_str().as_bytes());
    }
    let mut hosts = request.get_all(HOST).iter();
    let host = hosts.next()?;
    hosts.next().is_none().then_some(host.as_bytes())
}

/// The `host[:port]` of an `Origin` in serialized form.
fn origin_authority(origin: &[u8]) -> Option<&[u8]> {
    if !is_serialized(origin) {
        return None;
    }
    let at = origin.windows(3).position(|w| w == b"://")?;
    Some(&origin[at + 3..])
}

#[cfg(test)]
mod tests {
    use http::{HeaderValue, Request, StatusCode};

    use super::*;
    use crate::Reason;
    use crate::testing::request;

    fn policy(csrf: bool) -> Policy {
        Policy::builder()
            .origins(["https://app.example.com", "https://*.example.org"])
            .methods(["GET", "POST", "DELETE", "PURGE"])
            .credentials(true)
            .csrf(csrf)
            .build()
            .unwrap()
    }

    /// The path of the tests' requests, in origin form.
    fn items() -> Uri {
        Uri::from_static("/items")
    }

    /// Whether a `POST` to `/items` with these header lines is refused.
    fn refused(lines: &[(&'static str, &'static str)]) -> bool {
        policy(true)
            .write_refusal(&Method::POST, &items(), &request(lines))
            .is_some()
    }

    #[test]
    fn safe_methods_are_never_refused() {
        let cross = request(&[
            ("origin", "https://evil.com"),
            ("sec-fetch-site", "cross-site"),
        ]);
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert!(
                policy(true)
                    .write_refusal(&method, &items(), &cross)
                    .is_none()
            );
        }
        for method in ["POST", "PUT", "PATCH", "DELETE", "PURGE", "get", "options"] {
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            assert!(
                policy(true)
                    .write_refusal(&method, &items(), &cross)
                    .is_some(),
                "{method}"
            );
        }
    }

    #[test]
    fn without_csrf_nothing_is_refused() {
        let cross = request(&[
            ("origin", "https://evil.com"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert!(!policy(false).csrf());
        assert!(
            policy(false)
                .write_refusal(&Method::POST, &items(), &cross)
                .is_none()
        );
    }

    #[test]
    fn step_1_an_allowed_origin_passes_whatever_fetch_metadata_says() {
        for origin in ["https://app.example.com", "https://a.b.example.org"] {
            for site in ["cross-site", "same-site", "bogus"] {
                assert!(
                    !refused(&[("origin", origin), ("sec-fetch-site", site)]),
                    "{origin} {site}"
                );
            }
        }
        // Two lines of an allowed origin are not an allowed origin.
        assert!(refused(&[
            ("origin", "https://app.example.com"),
            ("origin", "https://app.example.com"),
            ("sec-fetch-site", "cross-site"),
        ]));
    }

    #[test]
    fn step_2_sec_fetch_site_decides_for_other_origins() {
        for site in ["same-origin", "none"] {
            assert!(
                !refused(&[("origin", "https://evil.com"), ("sec-fetch-site", site)]),
                "{site}"
            );
            assert!(!refused(&[("sec-fetch-site", site)]), "{site}");
        }
        for site in ["cross-site", "same-site", "", "Same-Origin", "same-origin "] {
            assert!(
                refused(&[("origin", "https://evil.com"), ("sec-fetch-site", site)]),
                "{site:?}"
            );
            // Without `Origin` too: the header alone says where the page is.
            assert!(refused(&[("sec-fetch-site", site)]), "{site:?}");
        }
        // Sec-Fetch-Site outranks the Host comparison.
        assert!(refused(&[
            ("host", "bank.com"),
            ("origin", "https://bank.com"),
            ("sec-fetch-site", "cross-site"),
        ]));
        assert!(refused(&[
            ("sec-fetch-site", "same-origin"),
            ("sec-fetch-site", "same-origin"),
        ]));
        let mut unreadable = request(&[("origin", "https://evil.com")]);
        unreadable.insert(
            &SEC_FETCH_SITE,
            HeaderValue::from_bytes(b"same-origin\xff").unwrap(),
        );
        assert!(
            policy(true)
                .write_refusal(&Method::POST, &items(), &unreadable)
                .is_some()
        );
    }

    #[test]
    fn step_3_without_fetch_metadata_the_origin_must_be_the_host() {
        assert!(!refused(&[]), "neither header: curl, another server");
        assert!(!refused(&[("host", "bank.com")]));
        assert!(!refused(&[
            ("host", "bank.com"),
            ("origin", "https://bank.com")
        ]));
        assert!(!refused(&[
            ("host", "bank.com:8443"),
            ("origin", "https://bank.com:8443")
        ]));
        assert!(!refused(&[
            ("host", "[::1]:8080"),
            ("origin", "http://[::1]:8080")
        ]));
        for (host, origin) in [
            ("bank.com", "https://evil.com"),
            ("bank.com", "https://bank.com:8443"),
            ("bank.com:8443", "https://bank.com"),
            // No default port is added or removed.
            ("bank.com:443", "https://bank.com"),
            ("bank.com", "https://bank.com:443"),
            // Not an origin as browsers write it: a default port, port 0, a
            // leading zero.
            ("bank.com:443", "https://bank.com:443"),
            ("bank.com:0", "https://bank.com:0"),
            ("bank.com:08443", "https://bank.com:08443"),
            ("bank.com", "https://sub.bank.com"),
            ("bank.com", "null"),
            ("bank.com", ""),
            ("bank.com", "https://bank.com/"),
            ("bank.com", "https://u@bank.com"),
            ("bank.com", "bank.com"),
            ("BANK.com", "https://bank.com"),
            ("", "https://bank.com"),
        ] {
            assert!(
                refused(&[("host", host), ("origin", origin)]),
                "Host {host:?}, Origin {origin:?}"
            );
        }
        assert!(refused(&[("origin", "https://bank.com")]), "no Host at all");
        assert!(refused(&[
            ("host", "bank.com"),
            ("host", "bank.com"),
            ("origin", "https://bank.com"),
        ]));
        assert!(refused(&[
            ("host", "bank.com"),
            ("origin", "https://bank.com"),
            ("origin", "https://bank.com"),
        ]));
        let mut unreadable = request(&[("host", "bank.com")]);
        unreadable.insert(
            ORIGIN,
            HeaderValue::from_bytes(b"https://bank.com\xff").unwrap(),
        );
        assert!(
            policy(true)
                .write_refusal(&Method::POST, &items(), &unreadable)
                .is_some()
        );
    }

    #[test]
    fn the_uri_authority_outranks_host() {
        let h2 = Uri::from_static("https://bank.com/items");
        let origin = |origin: &'static str, host: Option<&'static str>| {
            let mut lines = vec![("origin", origin)];
            lines.extend(host.map(|h| ("host", h)));
            policy(true)
                .write_refusal(&Method::POST, &h2, &request(&lines))
                .is_some()
        };
        assert!(!origin("https://bank.com", None), "HTTP/2: no Host");
        assert!(!origin("https://bank.com", Some("evil.com")));
        assert!(origin("https://evil.com", Some("evil.com")));
        assert!(origin("https://bank.com:8443", None));
    }

    #[test]
    fn a_refusal_is_a_403_with_vary_only_and_names_its_reason() {
        let lines = [
            ("origin", "https://evil.com"),
            ("sec-fetch-site", "cross-site"),
        ];
        let answer = policy(true)
            .write_refusal(&Method::POST, &items(), &request(&lines))
            .unwrap();
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(answer.headers.len(), 1, "{:?}", answer.headers);
        assert_eq!(answer.headers["vary"], "Origin");

        let mut form = Request::post("/items");
        for (name, value) in lines {
            form = form.header(name, value);
        }
        let form = form.body(()).unwrap();
        let outcome = policy(true).evaluate(&form);
        assert_eq!(outcome.reason(), Some(Reason::CrossOriginWriteRefused));
        assert_eq!(outcome.status(), Some(StatusCode::FORBIDDEN));
        assert!(!outcome.is_preflight() && !outcome.is_allowed());
        assert_eq!(outcome.headers()["vary"], "Origin");
        let outcome = policy(false).evaluate(&form);
        assert_eq!(outcome.reason(), Some(Reason::OriginNotAllowed));
        assert_eq!(outcome.status(), None);
    }

    /// A handshake to `/ws` with these header lines.
    fn handshake(lines: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut all = vec![
            ("upgrade", "websocket"),
            ("connection", "Upgrade"),
            ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ("sec-websocket-version", "13"),
        ];
        all.extend_from_slice(lines);
        request(&all)
    }

    #[test]
    fn handshakes_are_known_by_their_token_lists() {
        let is = |method: Method, lines: &[(&'static str, &'static str)]| {
            is_websocket_handshake(&method, &request(lines))
        };
        for (upgrade, connection) in [
            ("websocket", "upgrade"),
            ("WebSocket", "Upgrade"),
            ("WEBSOCKET", "keep-alive, Upgrade"),
            ("h2c, websocket", "upgrade,keep-alive"),
            (" websocket ", "  upgrade\t"),
            ("websocket,", ",,upgrade,"),
        ] {
            assert!(
                is(
                    Method::GET,
                    &[("upgrade", upgrade), ("connection", connection)]
                ),
                "{upgrade:?} {connection:?}"
            );
        }
        // The tokens may sit on any line of a repeated header.
        assert!(is(
            Method::GET,
            &[
                ("upgrade", "h2c"),
                ("upgrade", "websocket"),
                ("connection", "keep-alive"),
                ("connection", "upgrade"),
            ]
        ));
        for (upgrade, connection) in [
            ("websocket", "keep-alive"),
            ("websockets", "upgrade"),
            ("web socket", "upgrade"),
            ("websocket/13", "upgrade"),
            ("h2c", "upgrade"),
            ("websocket", "upgraded"),
            ("websocket", "upgrade-insecure"),
            ("", ""),
        ] {
            assert!(
                !is(
                    Method::GET,
                    &[("upgrade", upgrade), ("connection", connection)]
                ),
                "{upgrade:?} {connection:?}"
            );
        }
        assert!(!is(Method::GET, &[("upgrade", "websocket")]));
        assert!(!is(Method::GET, &[("connection", "upgrade")]));
        // The HTTP/1.1 form is a `GET`; the HTTP/2 form a `CONNECT`.
        let h1 = [("upgrade", "websocket"), ("connection", "upgrade")];
        for method in [Method::POST, Method::HEAD, Method::CONNECT] {
            assert!(!is(method.clone(), &h1), "{method}");
        }
        assert!(is(Method::CONNECT, &[("sec-websocket-version", "13")]));
        assert!(!is(Method::CONNECT, &[]));
        assert!(!is(Method::GET, &[("sec-websocket-version", "13")]));
        let mut unreadable = request(&[("connection", "upgrade")]);
        unreadable.insert(
            UPGRADE,
            HeaderValue::from_bytes(b"websocket, \xff").unwrap(),
        );
        assert!(is_websocket_handshake(&Method::GET, &unreadable));
    }

    #[test]
    fn a_cross_origin_handshake_is_refused_like_a_write() {
        let judge = |policy: &Policy, lines: &[(&'static str, &'static str)]| {
            let headers = handshake(lines);
            let refused = policy
                .write_refusal(&Method::GET, &items(), &headers)
                .is_some();
            let mut request = Request::get("/items").body(()).unwrap();
            *request.headers_mut() = headers;
            let outcome = policy.evaluate(&request);
            assert_eq!(outcome.status().is_some(), refused);
            refused.then(|| outcome.reason().unwrap().as_str())
        };
        let on = policy(true);
        for lines in [
            &[
                ("origin", "https://evil.com"),
                ("sec-fetch-site", "cross-site"),
            ][..],
            &[
                ("origin", "https://evil.com"),
                ("sec-fetch-site", "same-site"),
            ],
            &[("origin", "https://evil.com"), ("host", "bank.com")],
            &[("origin", "null"), ("host", "bank.com")],
            &[("sec-fetch-site", "cross-site")],
        ] {
            assert_eq!(
                judge(&on, lines),
                Some("cross_origin_websocket_refused"),
                "{lines:?}"
            );
            assert_eq!(judge(&policy(false), lines), None, "{lines:?}");
        }
        for lines in [
            &[
                ("origin", "https://app.example.com"),
                ("sec-fetch-site", "cross-site"),
            ][..],
            &[("origin", "https://a.b.example.org")],
            &[
                ("origin", "https://evil.com"),
                ("sec-fetch-site", "same-origin"),
            ],
            &[("origin", "https://evil.com"), ("sec-fetch-site", "none")],
            &[],
            &[("host", "bank.com")],
            &[("origin", "https://bank.com"), ("host", "bank.com")],
        ] {
            assert_eq!(judge(&on, lines), None, "{lines:?}");
        }
        // A plain `GET` from the same page is not judged at all.
        let plain = request(&[
            ("origin", "https://evil.com"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert!(on.write_refusal(&Method::GET, &items(), &plain).is_none());
    }

    #[test]
    fn the_http2_form_is_a_connect_named_by_its_websocket_version() {
        let h2 = Uri::from_static("https://bank.com/ws");
        let on = policy(true);
        let connect = |lines: &[(&'static str, &'static str)]| {
            let mut request = Request::connect(h2.clone());
            for (name, value) in lines {
                request = request.header(*name, *value);
            }
            let request = request.version(http::Version::HTTP_2).body(()).unwrap();
            let refused = on
                .write_refusal(request.method(), request.uri(), request.headers())
                .is_some();
            let outcome = on.evaluate(&request);
            assert_eq!(outcome.status().is_some(), refused);
            refused.then(|| outcome.reason().unwrap().as_str())
        };
        let socket = ("sec-websocket-version", "13");
        assert_eq!(
            connect(&[("origin", "https://evil.com"), socket]),
            Some("cross_origin_websocket_refused")
        );
        // Another extended `CONNECT` is refused as a write.
        assert_eq!(
            connect(&[("origin", "https://evil.com")]),
            Some("cross_origin_write_refused")
        );
        assert_eq!(connect(&[("origin", "https://bank.com"), socket]), None);
        assert_eq!(
            connect(&[("origin", "https://app.example.com"), socket]),
            None
        );
        assert_eq!(connect(&[socket]), None);
    }

    #[test]
    fn a_refused_handshake_is_a_403_in_debug_mode_too() {
        let debugging = Policy::builder()
            .origins(["https://app.example.com"])
            .methods(["GET"])
            .csrf(true)
            .debug(true)
            .build()
            .unwrap();
        let headers = handshake(&[("origin", "https://evil.com"), ("host", "bank.com")]);
        let answer = debugging
            .write_refusal(&Method::GET, &items(), &headers)
            .unwrap();
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(answer.headers.len(), 1, "{:?}", answer.headers);
        assert_eq!(answer.headers["vary"], "Origin");
        assert_eq!(
            Reason::CrossOriginWebSocketRefused.to_string(),
            "cross-origin WebSocket refused"
        );
        assert_eq!(
            Reason::CrossOriginWebSocketRefused.as_str(),
            "cross_origin_websocket_refused"
        );
    }
}
