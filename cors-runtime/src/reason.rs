//! Why a request was denied (contract section 8), and the whole outcome of one
//! request under a policy as a value ([`Evaluation`]), for tests and tools.
//!
//! A denial has one [`Reason`] from a closed set, the same wherever it is
//! reported: the `static_cors` tracing event (with the `tracing` feature), the
//! value [`Policy::evaluate`](crate::Policy::evaluate) returns, and the answer
//! of a policy in debug mode.

use std::fmt;

use http::{HeaderMap, StatusCode};

use crate::origin::{default_port, is_opaque_host_byte, parse_port, split_authority};

/// Why a request was denied.
///
/// The set is closed by the contract; `#[non_exhaustive]` only so that a later
/// version may name a new rule without breaking a `match`. [`Reason::as_str`]
/// is the stable name that events carry in their `reason` field.
///
/// The method and header that a reason names are borrowed from the request.
/// A name that is not UTF-8 reads as `"\u{FFFD}"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason<'a> {
    /// The request has no `Origin`: it is not a cross-origin request from a
    /// browser, and its response carries no CORS headers.
    OriginAbsent,
    /// The `Origin` is `null` (sandboxed frames, `file:` pages, some
    /// redirects): any page can obtain it, so no policy allows it.
    OriginNull,
    /// The `Origin` is empty or not a serialized origin.
    OriginMalformed,
    /// The request carries more than one `Origin` line.
    OriginRepeated,
    /// The `Origin` is well formed and not in the policy.
    OriginNotAllowed,
    /// The preflight asks for a method that no handler serves (the method), or
    /// its `Access-Control-Request-Method` is repeated or unreadable.
    MethodNotServed(&'a str),
    /// The preflight asks for a header the policy does not allow (the first
    /// one refused).
    HeaderNotAllowed(&'a str),
    /// `Access-Control-Request-Headers` exceeds the parser's bounds (see
    /// [`crate::header`]).
    HeaderListTooLong,
    /// The preflight asks for private network access, which the policy does
    /// not grant.
    PrivateNetworkNotAllowed,
    /// A cross-origin write that the policy's write protection refuses.
    CrossOriginWriteRefused,
    /// A cross-origin WebSocket handshake that the policy's write protection
    /// refuses (see [`csrf::is_websocket_handshake`](crate::csrf::is_websocket_handshake)).
    CrossOriginWebSocketRefused,
}

/// How a name that is not UTF-8 reads in a [`Reason`].
pub(crate) const UNREADABLE: &str = "\u{FFFD}";

impl<'a> Reason<'a> {
    /// The stable name of the reason, as the `reason` field of a `static_cors`
    /// event carries it: `origin_absent`, `origin_null`, `origin_malformed`,
    /// `origin_repeated`, `origin_not_allowed`, `method_not_served`,
    /// `header_not_allowed`, `header_list_too_long`,
    /// `private_network_not_allowed`, `cross_origin_write_refused`,
    /// `cross_origin_websocket_refused`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Reason::OriginAbsent => "origin_absent",
            Reason::OriginNull => "origin_null",
            Reason::OriginMalformed => "origin_malformed",
            Reason::OriginRepeated => "origin_repeated",
            Reason::OriginNotAllowed => "origin_not_allowed",
            Reason::MethodNotServed(_) => "method_not_served",
            Reason::HeaderNotAllowed(_) => "header_not_allowed",
            Reason::HeaderListTooLong => "header_list_too_long",
            Reason::PrivateNetworkNotAllowed => "private_network_not_allowed",
            Reason::CrossOriginWriteRefused => "cross_origin_write_refused",
            Reason::CrossOriginWebSocketRefused => "cross_origin_websocket_refused",
        }
    }

    /// The header that the reason names, for [`Reason::HeaderNotAllowed`].
    pub fn header(&self) -> Option<&'a str> {
        match self {
            Reason::HeaderNotAllowed(name) => Some(name),
            _ => None,
        }
    }

    /// Whether a preflight denied for this reason is answered with the headers
    /// that did match, and an ok status, in debug mode: the origin was allowed
    /// and the browser can name what failed.
    pub(crate) fn is_debuggable(&self) -> bool {
        matches!(
            self,
            Reason::MethodNotServed(_) | Reason::HeaderNotAllowed(_) | Reason::HeaderListTooLong
        )
    }
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::OriginAbsent => f.write_str("the request has no `Origin`"),
            Reason::OriginNull => f.write_str("the origin `null` is never allowed"),
            Reason::OriginMalformed => f.write_str("the `Origin` is not a serialized origin"),
            Reason::OriginRepeated => f.write_str("the request has more than one `Origin`"),
            Reason::OriginNotAllowed => f.write_str("the origin is not allowed"),
            Reason::MethodNotServed(method) => write!(f, "the method `{method}` is not served"),
            Reason::HeaderNotAllowed(name) => write!(f, "the header `{name}` is not allowed"),
            Reason::HeaderListTooLong => {
                f.write_str("`Access-Control-Request-Headers` is longer than the bound")
            }
            Reason::PrivateNetworkNotAllowed => {
                f.write_str("private network access is not allowed")
            }
            Reason::CrossOriginWriteRefused => f.write_str("a cross-origin write is refused"),
            Reason::CrossOriginWebSocketRefused => f.write_str("cross-origin WebSocket refused"),
        }
    }
}

/// The outcome of one request under a policy, or under a path's policies:
/// what [`Policy::evaluate`](crate::Policy::evaluate) and
/// [`Resource::evaluate`](crate::Resource::evaluate) return.
///
/// ```
/// use http::Request;
/// use static_cors_runtime::{Policy, Reason};
///
/// let api = Policy::builder()
///     .origins(["https://app.example.com"])
///     .methods(["GET", "PUT"])
///     .headers(["content-type"])
///     .build()?;
/// let request = Request::options("/items")
///     .header("origin", "https://app.example.com")
///     .header("access-control-request-method", "PUT")
///     .header("access-control-request-headers", "content-type, x-trace")
///     .body(())?;
/// let outcome = api.evaluate(&request);
/// assert_eq!(outcome.reason(), Some(Reason::HeaderNotAllowed("x-trace")));
/// assert_eq!(outcome.status(), Some(http::StatusCode::FORBIDDEN));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Evaluation<'a> {
    pub(crate) preflight: bool,
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: HeaderMap,
    pub(crate) reason: Option<Reason<'a>>,
}

impl<'a> Evaluation<'a> {
    /// Why the request was denied, or `None` when it was allowed.
    pub fn reason(&self) -> Option<Reason<'a>> {
        self.reason
    }

    /// Whether the request was allowed.
    pub fn is_allowed(&self) -> bool {
        self.reason.is_none()
    }

    /// Whether the request is a preflight, answered without a handler.
    pub fn is_preflight(&self) -> bool {
        self.preflight
    }

    /// The status of an answer made without the handler (a preflight, or a
    /// path's `204`/`405`); `None` when the handler runs and chooses it.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The CORS headers of the answer: those of the preflight response, or
    /// those that the handler's response gets.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

/// Why an `Origin` that no entry of a list matched is refused: the request's
/// `Origin` lines are classified only once a denial is certain, so an allowed
/// request never pays for it.
#[cold]
pub(crate) fn origin_refusal(request: &HeaderMap) -> Reason<'static> {
    let mut lines = request.get_all(http::header::ORIGIN).iter();
    match (lines.next(), lines.next()) {
        (None, _) => Reason::OriginAbsent,
        (Some(_), Some(_)) => Reason::OriginRepeated,
        (Some(origin), None) if origin == "null" => Reason::OriginNull,
        (Some(origin), None) if is_serialized(origin.as_bytes()) => Reason::OriginNotAllowed,
        (Some(_), None) => Reason::OriginMalformed,
    }
}

/// Whether `origin` has the shape of a serialized origin (contract section 1):
/// a lowercase scheme, `://`, a non-empty lowercase host (or a bracketed IPv6
/// address in lowercase hex), and an optional port as browsers write it (1 to
/// 65535 in decimal, no leading zero, never the scheme's default), with nothing
/// after it.
pub(crate) fn is_serialized(origin: &[u8]) -> bool {
    let Some(at) = origin.windows(3).position(|w| w == b"://") else {
        return false;
    };
    let (scheme, rest) = (&origin[..at], &origin[at + 3..]);
    let scheme_ok = scheme.first().is_some_and(u8::is_ascii_lowercase)
        && scheme
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b));
    let (host, port) = split_authority(rest);
    let host_ok = match host.strip_prefix(b"[") {
        Some(inner) => inner.strip_suffix(b"]").is_some_and(|a| {
            !a.is_empty()
                && a.iter().all(|&b| {
                    b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b":.".contains(&b)
                })
        }),
        // The host of another scheme is opaque and keeps its case.
        None if scheme != b"http" && scheme != b"https" => {
            !host.is_empty() && host.iter().all(|&b| is_opaque_host_byte(b))
        }
        None => {
            !host.is_empty()
                && host
                    .iter()
                    .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b))
        }
    };
    let port_ok = port.is_none_or(|p| is_serialized_port(scheme, p));
    scheme_ok && host_ok && port_ok
}

/// Whether `port` is written as browsers write the port of a `scheme` origin:
/// 1 to 65535 in decimal without a leading zero, and not the scheme's default
/// port, which they leave out.
fn is_serialized_port(scheme: &[u8], port: &[u8]) -> bool {
    let default = std::str::from_utf8(scheme).ok().and_then(default_port);
    parse_port(port).is_some_and(|port| Some(port) != default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::request;

    #[test]
    fn origins_are_classified_only_by_shape() {
        let refusal = |lines: &[(&'static str, &'static str)]| origin_refusal(&request(lines));
        assert_eq!(refusal(&[]), Reason::OriginAbsent);
        assert_eq!(
            refusal(&[("origin", "https://a.com"), ("origin", "https://a.com")]),
            Reason::OriginRepeated
        );
        assert_eq!(refusal(&[("origin", "null")]), Reason::OriginNull);
        for allowed_shape in [
            "https://evil.com",
            "http://localhost:8080",
            "https://[::1]:8443",
            "chrome-extension://abcdefghijklmnop",
            "http://127.0.0.1",
            "https://a.com:80",
            "http://a.com:443",
            "capacitor://localhost:8080",
            "https://a.com:65535",
        ] {
            assert_eq!(
                refusal(&[("origin", allowed_shape)]),
                Reason::OriginNotAllowed,
                "{allowed_shape}"
            );
        }
        for malformed in [
            "",
            "https://",
            "https://a.com/",
            "https://A.com",
            "HTTPS://a.com",
            "https://a.com:",
            "https://a.com:123456",
            "https://a.com:65536",
            "https://a.com:0",
            "https://a.com:08080",
            "https://a.com:443",
            "http://a.com:80",
            "https://[::1]:443",
            "https://[::A]",
            "https://u@a.com",
            "a.com",
            "https://[]",
            "https://a.com?x",
        ] {
            assert_eq!(
                refusal(&[("origin", malformed)]),
                Reason::OriginMalformed,
                "{malformed:?}"
            );
        }
    }
}

#[cfg(test)]
mod evaluation_tests {
    use std::sync::Arc;

    use http::{Request, StatusCode};

    use super::{Reason, UNREADABLE};
    use crate::{Policy, Resource};

    fn api(debug: bool) -> Policy {
        Policy::builder()
            .origins(["https://app.example.com"])
            .methods(["GET", "PUT"])
            .headers(["content-type"])
            .credentials(true)
            .debug(debug)
            .build()
            .unwrap()
    }

    /// Two preflights from `origin` whose requested method cannot be named as
    /// sent, each with the name a refusal gives it: its line repeated, and a
    /// method that is not ASCII.
    fn unreadable_methods(origin: &str) -> [(Request<()>, &'static str); 2] {
        let mut repeated = preflight(origin, "PATCH", None);
        repeated
            .headers_mut()
            .append("access-control-request-method", "PATCH".parse().unwrap());
        [
            (repeated, UNREADABLE),
            (preflight(origin, "GéT", None), "GéT"),
        ]
    }

    fn preflight(origin: &str, method: &str, headers: Option<&str>) -> Request<()> {
        let mut request = Request::options("/")
            .header("origin", origin)
            .header("access-control-request-method", method);
        if let Some(headers) = headers {
            request = request.header("access-control-request-headers", headers);
        }
        request.body(()).unwrap()
    }

    #[test]
    fn every_preflight_denial_names_its_reason() {
        let api = api(false);
        let cases = [
            (
                preflight("https://app.example.com", "PUT", Some("content-type")),
                None,
            ),
            (
                preflight("https://evil.com", "PUT", None),
                Some(Reason::OriginNotAllowed),
            ),
            (preflight("null", "PUT", None), Some(Reason::OriginNull)),
            (
                preflight("https://app.example.com/", "PUT", None),
                Some(Reason::OriginMalformed),
            ),
            (
                preflight("https://app.example.com", "DELETE", None),
                Some(Reason::MethodNotServed("DELETE")),
            ),
            (
                preflight(
                    "https://app.example.com",
                    "PUT",
                    Some("content-type, X-Trace, x-b"),
                ),
                Some(Reason::HeaderNotAllowed("X-Trace")),
            ),
            (
                preflight("https://app.example.com", "PUT", Some(&"a,".repeat(600))),
                Some(Reason::HeaderListTooLong),
            ),
        ];
        for (request, expected) in cases {
            let outcome = api.evaluate(&request);
            assert!(outcome.is_preflight());
            assert_eq!(outcome.reason(), expected, "{:?}", request.headers());
            let status = if expected.is_some() { 403 } else { 204 };
            assert_eq!(
                outcome.status(),
                Some(StatusCode::from_u16(status).unwrap())
            );
            assert_eq!(
                outcome
                    .headers()
                    .contains_key("access-control-allow-origin"),
                expected.is_none()
            );
        }
        let mut repeated = preflight("https://app.example.com", "PUT", None);
        repeated
            .headers_mut()
            .append("origin", "https://app.example.com".parse().unwrap());
        assert_eq!(
            api.evaluate(&repeated).reason(),
            Some(Reason::OriginRepeated)
        );
    }

    #[test]
    fn private_network_not_granted_is_a_denial_with_an_ok_status() {
        let mut request = preflight("https://app.example.com", "GET", None);
        request.headers_mut().insert(
            "access-control-request-private-network",
            "true".parse().unwrap(),
        );
        let outcome = api(false).evaluate(&request);
        assert_eq!(outcome.reason(), Some(Reason::PrivateNetworkNotAllowed));
        assert_eq!(outcome.status(), Some(StatusCode::NO_CONTENT));
        assert!(
            !outcome
                .headers()
                .contains_key("access-control-allow-private-network")
        );
    }

    #[test]
    fn actual_requests_name_why_their_origin_is_refused() {
        let api = api(false);
        let get = |origin: Option<&str>| {
            let mut request = Request::get("/");
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            request.body(()).unwrap()
        };
        let allowed = get(Some("https://app.example.com"));
        let outcome = api.evaluate(&allowed);
        assert!(outcome.is_allowed() && !outcome.is_preflight());
        assert_eq!(outcome.status(), None);
        assert_eq!(
            outcome.headers()["access-control-allow-origin"],
            "https://app.example.com"
        );
        assert_eq!(
            api.evaluate(&get(None)).reason(),
            Some(Reason::OriginAbsent)
        );
        let denied = get(Some("https://evil.com"));
        let outcome = api.evaluate(&denied);
        assert_eq!(outcome.reason(), Some(Reason::OriginNotAllowed));
        assert_eq!(outcome.headers()["vary"], "Origin");
        assert!(
            !outcome
                .headers()
                .contains_key("access-control-allow-origin")
        );
    }

    #[test]
    fn a_policy_names_a_repeated_or_unreadable_method_as_a_resource_does() {
        let api = api(false);
        for (request, name) in unreadable_methods("https://app.example.com") {
            let reason = api.evaluate(&request).reason();
            assert_eq!(reason, Some(Reason::MethodNotServed(name)));
        }
    }

    #[test]
    fn debug_mode_answers_what_matched_with_an_ok_status() {
        let api = api(true);
        let request = preflight("https://app.example.com", "PUT", Some("x-trace"));
        let header = api.evaluate(&request);
        assert_eq!(header.reason(), Some(Reason::HeaderNotAllowed("x-trace")));
        assert_eq!(header.status(), Some(StatusCode::NO_CONTENT));
        let h = header.headers();
        assert_eq!(h["access-control-allow-origin"], "https://app.example.com");
        assert_eq!(h["access-control-allow-credentials"], "true");
        assert_eq!(h["access-control-allow-methods"], "GET, PUT");
        assert!(!h.contains_key("access-control-allow-headers"));

        let request = preflight("https://app.example.com", "DELETE", None);
        let method = api.evaluate(&request);
        assert_eq!(method.reason(), Some(Reason::MethodNotServed("DELETE")));
        assert_eq!(method.status(), Some(StatusCode::NO_CONTENT));
        assert!(method.headers().contains_key("access-control-allow-origin"));
        assert!(
            !method
                .headers()
                .contains_key("access-control-allow-methods")
        );

        // An origin the policy refuses learns nothing, debug mode or not.
        let request = preflight("https://evil.com", "PUT", Some("x-trace"));
        let origin = api.evaluate(&request);
        assert_eq!(origin.status(), Some(StatusCode::FORBIDDEN));
        assert!(!origin.headers().contains_key("access-control-allow-origin"));
    }

    #[test]
    fn a_path_names_the_method_that_none_of_its_handlers_serves() {
        let reader = Policy::builder()
            .origins(["https://a.com"])
            .methods(["GET"])
            .build()
            .unwrap();
        let resource = Resource::new(vec![Arc::new(reader)]).unwrap();
        let request = preflight("https://a.com", "PATCH", None);
        let outcome = resource.evaluate(&request);
        assert_eq!(outcome.reason(), Some(Reason::MethodNotServed("PATCH")));
        assert_eq!(outcome.status(), Some(StatusCode::FORBIDDEN));
        let request = preflight("https://b.com", "PATCH", None);
        let outcome = resource.evaluate(&request);
        assert_eq!(outcome.reason(), Some(Reason::OriginNotAllowed));
        // A repeated or unreadable method is named as a policy names it.
        for (request, name) in unreadable_methods("https://a.com") {
            let reason = resource.evaluate(&request).reason();
            assert_eq!(reason, Some(Reason::MethodNotServed(name)));
        }

        let delete = Request::delete("/")
            .header("origin", "https://a.com")
            .body(())
            .unwrap();
        let outcome = resource.evaluate(&delete);
        assert_eq!(outcome.status(), Some(StatusCode::METHOD_NOT_ALLOWED));
        assert_eq!(outcome.headers()["allow"], "GET, HEAD, OPTIONS");
        assert!(outcome.is_allowed());

        let debugging = Policy::builder()
            .origins(["https://a.com"])
            .methods(["GET"])
            .debug(true)
            .build()
            .unwrap();
        let resource = Resource::new(vec![Arc::new(debugging)]).unwrap();
        let request = preflight("https://a.com", "PATCH", None);
        let outcome = resource.evaluate(&request);
        assert_eq!(outcome.status(), Some(StatusCode::NO_CONTENT));
        assert_eq!(
            outcome.headers()["access-control-allow-origin"],
            "https://a.com"
        );
    }

    #[test]
    fn reasons_have_stable_names() {
        assert_eq!(Reason::HeaderNotAllowed("x").as_str(), "header_not_allowed");
        assert_eq!(Reason::HeaderNotAllowed("x").header(), Some("x"));
        assert_eq!(
            Reason::MethodNotServed("PURGE").to_string(),
            "the method `PURGE` is not served"
        );
    }
}
