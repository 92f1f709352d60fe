//! What a policy answers: the preflight response and the CORS headers of actual
//! responses, over `http` types. Every value written comes from the policy's
//! tables or is the request's own `Origin` (or request header list) echoed, so
//! nothing is parsed, joined or allocated here.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};

use crate::header::{Refused, for_each_requested_header};
use crate::policy::{AllowHeaders, AllowOrigin, Policy};
use crate::reason::{Evaluation, Reason, UNREADABLE, origin_refusal};

/// Whether denials are reported, so that a reason that changes nothing in the
/// answer is worth looking for.
#[inline]
pub(crate) fn reporting() -> bool {
    #[cfg(feature = "tracing")]
    return crate::trace::reporting();
    #[cfg(not(feature = "tracing"))]
    false
}

/// `Access-Control-Request-Private-Network`, sent by Chromium on preflights to
/// private network addresses.
pub static ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");

/// `Access-Control-Allow-Private-Network`, the answer to it.
pub static ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

static TRUE: HeaderValue = HeaderValue::from_static("true");
static ANY: HeaderValue = HeaderValue::from_static("*");
static VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
static VARY_PREFLIGHT: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);
static VARY_PREFLIGHT_PRIVATE_NETWORK: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
);

/// Whether a request is a CORS preflight: method `OPTIONS`, an `Origin` header
/// and an `Access-Control-Request-Method` header. Nothing else is one.
#[inline]
pub fn is_preflight(method: &Method, request: &HeaderMap) -> bool {
    method == Method::OPTIONS
        && request.contains_key(ORIGIN)
        && request.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
}

/// The value of `name` when the request carries exactly one such line.
#[inline]
fn single<'a>(request: &'a HeaderMap, name: &HeaderName) -> Option<&'a HeaderValue> {
    present(request, name).flatten()
}

/// `None` when the request has no `name` line; otherwise its value when it has
/// exactly one, and `Some(None)` when the line is repeated. One lookup.
#[inline]
fn present<'a>(request: &'a HeaderMap, name: &HeaderName) -> Option<Option<&'a HeaderValue>> {
    let mut lines = request.get_all(name).iter();
    let first = lines.next()?;
    Some(lines.next().is_none().then_some(first))
}

/// The `Origin` and `Access-Control-Request-Method` of a preflight, each
/// looked up once: the line, or `None` when it is repeated.
#[derive(Clone, Copy)]
pub(crate) struct PreflightLines<'r> {
    origin: Option<&'r HeaderValue>,
    method: Option<&'r HeaderValue>,
}

impl<'r> PreflightLines<'r> {
    /// The lines of any request, preflight or not.
    #[inline]
    pub(crate) fn of(request: &'r HeaderMap) -> Self {
        Self {
            origin: single(request, &ORIGIN),
            method: requested_method_line(request),
        }
    }

    /// The requested method, when it is one line of text.
    #[inline]
    pub(crate) fn method(&self) -> Option<&'r str> {
        self.method.and_then(|v| v.to_str().ok())
    }

    /// The lines of a request when it is a preflight ([`is_preflight`]).
    #[inline]
    pub(crate) fn of_preflight(method: &Method, request: &'r HeaderMap) -> Option<Self> {
        if method != Method::OPTIONS {
            return None;
        }
        Some(Self {
            origin: present(request, &ORIGIN)?,
            method: present(request, &ACCESS_CONTROL_REQUEST_METHOD)?,
        })
    }
}

/// The `Access-Control-Request-Method` of a preflight, when it has exactly one.
#[inline]
pub fn requested_method(request: &HeaderMap) -> Option<&str> {
    requested_method_line(request).and_then(|v| v.to_str().ok())
}

impl Policy {
    /// The `Access-Control-Allow-Origin` value for this request, or `None` when
    /// its origin is not allowed (absent, `null`, empty, malformed, listed twice,
    /// or not matched).
    #[inline]
    pub fn allowed_origin(&self, request: &HeaderMap) -> Option<HeaderValue> {
        match &self.origins {
            AllowOrigin::Any => Some(ANY.clone()),
            AllowOrigin::List(_) => self.allowed_origin_line(single(request, &ORIGIN)),
        }
    }

    /// [`Policy::allowed_origin`], for the request's one `Origin` line.
    #[inline]
    fn allowed_origin_line(&self, origin: Option<&HeaderValue>) -> Option<HeaderValue> {
        match &self.origins {
            AllowOrigin::Any => Some(ANY.clone()),
            AllowOrigin::List(patterns) => {
                let origin = origin?;
                let entry = patterns.matching(origin.as_bytes())?;
                // An exact entry of a compile-time policy has the same bytes as a
                // static value: no count on the request's to touch.
                Some(entry.value.0.clone().unwrap_or_else(|| origin.clone()))
            }
        }
    }

    /// Whether [`Policy::allowed_origin`] is `Some`, without making its value.
    #[inline]
    pub(crate) fn matches_origin(&self, request: &HeaderMap) -> bool {
        match &self.origins {
            AllowOrigin::Any => true,
            AllowOrigin::List(patterns) => {
                single(request, &ORIGIN).is_some_and(|origin| patterns.allows(origin.as_bytes()))
            }
        }
    }

    /// [`Policy::allowed_origin`], or why the origin is refused.
    #[inline]
    fn check_origin(
        &self,
        request: &HeaderMap,
        origin: Option<&HeaderValue>,
    ) -> Result<HeaderValue, Reason<'static>> {
        self.allowed_origin_line(origin)
            .ok_or_else(|| origin_refusal(request))
    }

    /// Whether a preflight may ask for the request header `name` (compared
    /// case-insensitively; `authorization` only when listed by name).
    pub fn allows_header(&self, name: &[u8]) -> bool {
        // The policy's names are lowercase, and so are the names browsers
        // send: compare bytes first, and fold case only where they differ.
        let listed = |names: &[std::borrow::Cow<'static, str>]| {
            names.iter().any(|n| {
                let n = n.as_bytes();
                n == name || n.eq_ignore_ascii_case(name)
            })
        };
        match &self.headers {
            AllowHeaders::None => false,
            AllowHeaders::List { names, .. } => listed(names),
            // With credentials the request list is echoed, and `*` in it would
            // read as a wildcard: refuse a header named `*` there.
            AllowHeaders::Any { .. } if name == b"*" => !self.credentials,
            AllowHeaders::Any { names, .. } => {
                !name.eq_ignore_ascii_case(b"authorization") || listed(names)
            }
        }
    }

    /// The `Vary` value of this policy's preflight responses.
    pub fn preflight_vary(&self) -> &'static HeaderValue {
        if self.private_network {
            &VARY_PREFLIGHT_PRIVATE_NETWORK
        } else {
            &VARY_PREFLIGHT
        }
    }

    /// Answers a preflight with this policy: writes the response headers into
    /// `response` and returns the status, `204 No Content` on success and
    /// `403 Forbidden` (with `Vary` only) on failure.
    ///
    /// Succeeds when the origin is allowed, the requested method is one the
    /// handler serves (byte for byte), and every requested header is allowed.
    /// A policy in debug mode answers a preflight that fails on its method or a
    /// header with `204` and the headers that did match, so that the browser
    /// names the cause. The work is linear in the request's headers and nothing
    /// is allocated.
    pub fn preflight(&self, request: &HeaderMap, response: &mut HeaderMap) -> StatusCode {
        self.preflight_of(request, PreflightLines::of(request), response)
    }

    /// [`Policy::preflight`] when the request is a preflight ([`is_preflight`]),
    /// and `None` otherwise: what an application-wide layer asks, with each
    /// request line looked up once. `response` gets room for every header a
    /// preflight response can carry.
    #[doc(hidden)]
    pub fn preflight_if_any(
        &self,
        method: &Method,
        request: &HeaderMap,
        response: &mut HeaderMap,
    ) -> Option<StatusCode> {
        let lines = PreflightLines::of_preflight(method, request)?;
        // Vary, the origin, credentials, methods, headers, max age, the
        // private network grant, and the `Content-Length` a server adds: the
        // map never grows.
        response.reserve(8);
        Some(self.preflight_of(request, lines, response))
    }

    /// [`Policy::preflight`], with the preflight's lines.
    fn preflight_of(
        &self,
        request: &HeaderMap,
        lines: PreflightLines<'_>,
        response: &mut HeaderMap,
    ) -> StatusCode {
        // A denial of private network access changes nothing in the answer:
        // look for it only when it is reported.
        let outcome = self.answer_preflight_lines(request, lines, response, reporting());
        #[cfg(feature = "tracing")]
        crate::trace::preflight(request, outcome);
        self.preflight_status(outcome)
    }

    /// The status of a preflight's answer.
    pub(crate) fn preflight_status(&self, outcome: Result<(), Reason<'_>>) -> StatusCode {
        match outcome {
            Ok(()) | Err(Reason::PrivateNetworkNotAllowed) => StatusCode::NO_CONTENT,
            Err(reason) if self.debug && reason.is_debuggable() => StatusCode::NO_CONTENT,
            Err(_) => StatusCode::FORBIDDEN,
        }
    }

    /// Writes a preflight's answer into `response` and says why it fails, if it
    /// does. A preflight asking for private network access that the policy does
    /// not grant is answered in full, without the grant, and reported when
    /// `report_private_network` is set (otherwise it is not looked for).
    pub(crate) fn answer_preflight<'r>(
        &self,
        request: &'r HeaderMap,
        response: &mut HeaderMap,
        report_private_network: bool,
    ) -> Result<(), Reason<'r>> {
        let lines = PreflightLines::of(request);
        self.answer_preflight_lines(request, lines, response, report_private_network)
    }

    /// [`Policy::answer_preflight`], with the preflight's lines.
    pub(crate) fn answer_preflight_lines<'r>(
        &self,
        request: &'r HeaderMap,
        lines: PreflightLines<'r>,
        response: &mut HeaderMap,
        report_private_network: bool,
    ) -> Result<(), Reason<'r>> {
        response.append(VARY, self.preflight_vary().clone());
        let origin = self.check_origin(request, lines.origin)?;
        let matched = Matched {
            response,
            debug: self.debug,
            origin,
            credentials: self.credentials,
        };
        if !lines.method().is_some_and(|m| self.serves(m)) {
            matched.write_on_debug(None);
            // Named as `requested_method_name` names it, from the line read once.
            let asked = readable(lines.method.map(HeaderValue::as_bytes));
            return Err(Reason::MethodNotServed(asked));
        }
        let asked = request.get_all(ACCESS_CONTROL_REQUEST_HEADERS);
        if let Err(refused) =
            for_each_requested_header(asked.iter(), |name| self.allows_header(name))
        {
            matched.write_on_debug(Some(&self.allow_methods));
            return Err(match refused {
                Refused::TooLong => Reason::HeaderListTooLong,
                Refused::Name(name) => Reason::HeaderNotAllowed(readable(Some(name))),
            });
        }
        let response = matched.write();
        response.insert(ACCESS_CONTROL_ALLOW_METHODS, self.allow_methods.clone());
        // Whether the request has the header: the lines were read above.
        if asked.iter().next().is_some() {
            match &self.headers {
                AllowHeaders::None => {}
                AllowHeaders::Any { .. } if self.credentials => {
                    // `*` means a header named `*` with credentials: echo the
                    // list that was just validated, line by line.
                    for line in asked {
                        response.append(ACCESS_CONTROL_ALLOW_HEADERS, line.clone());
                    }
                }
                AllowHeaders::List { value, .. } | AllowHeaders::Any { value, .. } => {
                    response.insert(ACCESS_CONTROL_ALLOW_HEADERS, value.clone());
                }
            }
        }
        if let Some(max_age) = &self.max_age {
            response.insert(ACCESS_CONTROL_MAX_AGE, max_age.clone());
        }
        if (self.private_network || report_private_network)
            && single(request, &ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK).is_some_and(|v| v == "true")
        {
            if !self.private_network {
                return Err(Reason::PrivateNetworkNotAllowed);
            }
            response.insert(ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK.clone(), TRUE.clone());
        }
        Ok(())
    }

    /// Decides the CORS headers of the response to an actual (non-preflight)
    /// request with this `method`, before the handler runs;
    /// [`ActualHeaders::apply`] writes them.
    #[inline]
    pub fn actual(&self, method: &Method, request: &HeaderMap) -> ActualHeaders {
        let headers = self.actual_headers(request);
        #[cfg(feature = "tracing")]
        if !headers.is_allowed() {
            crate::trace::actual(method, request, || origin_refusal(request));
        }
        let _ = method;
        headers
    }

    /// [`Policy::actual`], without reporting a denial.
    #[inline]
    pub(crate) fn actual_headers(&self, request: &HeaderMap) -> ActualHeaders {
        let origin = self.allowed_origin(request);
        ActualHeaders {
            // Only an allowed origin gets the exposed headers.
            expose: origin.as_ref().and(self.expose.clone()),
            origin,
            credentials: self.credentials,
            vary: !matches!(self.origins, AllowOrigin::Any),
        }
    }

    /// The outcome of `request` under this policy, as a value: what the policy
    /// answers (a preflight's status and headers, or the headers an actual
    /// response gets) and why it denies, if it does. This is the policy as an
    /// application-wide layer applies it; nothing is reported to `tracing`.
    ///
    /// A write that the policy's write protection refuses (see
    /// [`Policy::write_refusal`]) has the status `403` and the reason
    /// [`Reason::CrossOriginWriteRefused`], or
    /// [`Reason::CrossOriginWebSocketRefused`] for a WebSocket handshake.
    ///
    /// For tests and tools: unlike the request path, it allocates.
    pub fn evaluate<'r, B>(&self, request: &'r Request<B>) -> Evaluation<'r> {
        let (method, uri, request) = (request.method(), request.uri(), request.headers());
        let mut headers = HeaderMap::new();
        if self.refuses_write(method, uri, request) {
            let answer = self.refused_write(request);
            Evaluation {
                preflight: false,
                status: Some(answer.status),
                headers: answer.headers,
                reason: Some(crate::csrf::refusal_reason(method, request)),
            }
        } else if is_preflight(method, request) {
            let outcome = self.answer_preflight(request, &mut headers, true);
            Evaluation {
                preflight: true,
                status: Some(self.preflight_status(outcome)),
                headers,
                reason: outcome.err(),
            }
        } else {
            let actual = self.actual_headers(request);
            let reason = (!actual.is_allowed()).then(|| origin_refusal(request));
            actual.apply(&mut headers);
            Evaluation {
                preflight: false,
                status: None,
                headers,
                reason,
            }
        }
    }
}

/// The headers of a preflight that did match so far: written on success, and
/// on failure only in debug mode.
struct Matched<'m> {
    response: &'m mut HeaderMap,
    debug: bool,
    origin: HeaderValue,
    credentials: bool,
}

impl<'m> Matched<'m> {
    fn write(self) -> &'m mut HeaderMap {
        self.response
            .insert(ACCESS_CONTROL_ALLOW_ORIGIN, self.origin);
        if self.credentials {
            self.response
                .insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
        }
        self.response
    }

    #[cold]
    fn write_on_debug(self, methods: Option<&HeaderValue>) {
        if self.debug {
            let response = self.write();
            if let Some(methods) = methods {
                response.insert(ACCESS_CONTROL_ALLOW_METHODS, methods.clone());
            }
        }
    }
}

/// A name from the request, for a [`Reason`].
fn readable(name: Option<&[u8]>) -> &str {
    name.and_then(|n| std::str::from_utf8(n).ok())
        .unwrap_or(UNREADABLE)
}

/// The requested method as a [`Reason::MethodNotServed`] names it: the one
/// `Access-Control-Request-Method` line, or `"\u{FFFD}"` when the line is
/// repeated or not UTF-8. Every place that reports the reason names it so.
pub(crate) fn requested_method_name(request: &HeaderMap) -> &str {
    readable(requested_method_line(request).map(HeaderValue::as_bytes))
}

/// The `Access-Control-Request-Method` line of a preflight, when it has exactly
/// one.
#[inline]
fn requested_method_line(request: &HeaderMap) -> Option<&HeaderValue> {
    single(request, &ACCESS_CONTROL_REQUEST_METHOD)
}

/// The CORS headers of one actual response, decided from the request.
#[derive(Clone, Debug)]
pub struct ActualHeaders {
    origin: Option<HeaderValue>,
    credentials: bool,
    expose: Option<HeaderValue>,
    vary: bool,
}

impl ActualHeaders {
    /// Whether the request's origin is allowed.
    pub fn is_allowed(&self) -> bool {
        self.origin.is_some()
    }

    /// Writes the headers into a response: the policy's own CORS headers replace
    /// any the handler set, `Vary: Origin` is appended beside the handler's own
    /// `Vary` (unless the policy allows any origin, whose answer never varies).
    #[inline]
    pub fn apply(self, response: &mut HeaderMap) {
        if response.keys().any(is_cors_response_header) {
            for name in [
                &ACCESS_CONTROL_ALLOW_ORIGIN,
                &ACCESS_CONTROL_ALLOW_CREDENTIALS,
                &ACCESS_CONTROL_EXPOSE_HEADERS,
                &ACCESS_CONTROL_ALLOW_METHODS,
                &ACCESS_CONTROL_ALLOW_HEADERS,
                &ACCESS_CONTROL_MAX_AGE,
                &ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK,
            ] {
                response.remove(name);
            }
        }
        if let Some(origin) = self.origin {
            response.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if self.credentials {
                response.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
            }
            if let Some(expose) = self.expose {
                response.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose);
            }
        }
        if self.vary {
            response.append(VARY, VARY_ORIGIN.clone());
        }
    }
}

/// Whether a response header is one that a policy owns: most names fail on
/// their first bytes.
fn is_cors_response_header(name: &HeaderName) -> bool {
    let Some(rest) = name.as_str().strip_prefix("access-control-") else {
        return false;
    };
    matches!(
        rest,
        "allow-origin"
            | "allow-credentials"
            | "expose-headers"
            | "allow-methods"
            | "allow-headers"
            | "max-age"
            | "allow-private-network"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::request;

    fn policy(headers: &[&str], credentials: bool) -> Policy {
        Policy::builder()
            .origins(if credentials {
                vec!["https://a.com", "https://*.b.com"]
            } else {
                vec!["*"]
            })
            .methods(["GET", "PUT", "patch"])
            .headers(headers.to_vec())
            .expose(["x-id"])
            .credentials(credentials)
            .max_age(60)
            .private_network(true)
            .build()
            .unwrap()
    }

    fn preflight(
        policy: &Policy,
        lines: &[(&'static str, &'static str)],
    ) -> (StatusCode, HeaderMap) {
        let mut response = HeaderMap::new();
        let status = policy.preflight(&request(lines), &mut response);
        (status, response)
    }

    #[test]
    fn preflight_detection() {
        let both = request(&[
            ("origin", "https://a.com"),
            ("access-control-request-method", "PUT"),
        ]);
        assert!(is_preflight(&Method::OPTIONS, &both));
        assert!(!is_preflight(&Method::GET, &both));
        assert!(!is_preflight(
            &Method::OPTIONS,
            &request(&[("origin", "https://a.com")])
        ));
        assert!(!is_preflight(
            &Method::OPTIONS,
            &request(&[("access-control-request-method", "PUT")])
        ));
    }

    #[test]
    fn successful_preflight_writes_every_header() {
        let p = policy(&["content-type", "authorization"], true);
        let (status, h) = preflight(
            &p,
            &[
                ("origin", "https://x.b.com"),
                ("access-control-request-method", "PUT"),
                (
                    "access-control-request-headers",
                    "Authorization, content-type",
                ),
                ("access-control-request-private-network", "true"),
            ],
        );
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(h["access-control-allow-origin"], "https://x.b.com");
        assert_eq!(h["access-control-allow-credentials"], "true");
        assert_eq!(h["access-control-allow-methods"], "GET, PUT, patch");
        assert_eq!(
            h["access-control-allow-headers"],
            "content-type, authorization"
        );
        assert_eq!(h["access-control-max-age"], "60");
        assert_eq!(h["access-control-allow-private-network"], "true");
        assert!(
            h["vary"]
                .to_str()
                .unwrap()
                .ends_with("Access-Control-Request-Private-Network")
        );
        assert!(!h.contains_key("access-control-expose-headers"));
    }

    #[test]
    fn failed_preflights_only_vary() {
        let p = policy(&["content-type"], true);
        for lines in [
            &[
                ("origin", "https://evil.com"),
                ("access-control-request-method", "PUT"),
            ][..],
            &[
                ("origin", "https://a.com"),
                ("access-control-request-method", "put"),
            ],
            &[
                ("origin", "https://a.com"),
                ("access-control-request-method", "PATCH"),
            ],
            &[
                ("origin", "https://a.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-method", "PUT"),
            ],
            &[
                ("origin", "https://a.com"),
                ("origin", "https://a.com"),
                ("access-control-request-method", "PUT"),
            ],
            &[
                ("origin", "https://a.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "x-other"),
            ],
            &[
                ("origin", "https://a.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "authorization"),
            ],
        ] {
            let (status, h) = preflight(&p, lines);
            assert_eq!(status, StatusCode::FORBIDDEN, "{lines:?}");
            assert_eq!(h.len(), 1, "{lines:?}");
            assert!(h.contains_key("vary"));
        }
    }

    #[test]
    fn wildcard_headers() {
        let open = policy(&["*"], false);
        let (status, h) = preflight(
            &open,
            &[
                ("origin", "https://any.net"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "x-a,x-b"),
            ],
        );
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(h["access-control-allow-origin"], "*");
        assert_eq!(h["access-control-allow-headers"], "*");
        let (status, _) = preflight(
            &open,
            &[
                ("origin", "https://any.net"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "x-a,authorization"),
            ],
        );
        assert_eq!(status, StatusCode::FORBIDDEN);

        let echo = policy(&["*"], true);
        let (status, h) = preflight(
            &echo,
            &[
                ("origin", "https://a.com"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "x-a,x-b"),
            ],
        );
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(h["access-control-allow-headers"], "x-a,x-b");
        let (status, h) = preflight(
            &echo,
            &[
                ("origin", "https://a.com"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "x-a,*"),
            ],
        );
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "`*` is never echoed with credentials"
        );
        assert!(!h.contains_key("access-control-allow-headers"));
        let (status, _) = preflight(
            &open,
            &[
                ("origin", "https://any.net"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "*"),
            ],
        );
        assert_eq!(
            status,
            StatusCode::NO_CONTENT,
            "without credentials `*` is an ordinary name"
        );
        let with_auth = policy(&["*", "authorization"], true);
        let (status, _) = preflight(
            &with_auth,
            &[
                ("origin", "https://a.com"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "authorization,x-b"),
            ],
        );
        assert_eq!(status, StatusCode::NO_CONTENT);
    }

    #[test]
    fn actual_headers_replace_the_handlers_and_keep_its_vary() {
        let p = policy(&[], true);
        let mut response = request(&[
            ("vary", "accept-encoding"),
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "DELETE"),
        ]);
        p.actual(&Method::GET, &request(&[("origin", "https://a.com")]))
            .apply(&mut response);
        assert_eq!(response["access-control-allow-origin"], "https://a.com");
        assert_eq!(response["access-control-allow-credentials"], "true");
        assert_eq!(response["access-control-expose-headers"], "x-id");
        assert!(!response.contains_key("access-control-allow-methods"));
        let vary: Vec<_> = response.get_all("vary").iter().collect();
        assert_eq!(vary, ["accept-encoding", "Origin"]);

        let mut denied = request(&[("access-control-allow-origin", "https://evil.com")]);
        let decision = p.actual(&Method::GET, &request(&[("origin", "https://evil.com")]));
        assert!(!decision.is_allowed());
        decision.apply(&mut denied);
        assert!(!denied.contains_key("access-control-allow-origin"));
        assert_eq!(denied["vary"], "Origin");

        let open = policy(&[], false);
        let mut any = HeaderMap::new();
        open.actual(&Method::GET, &HeaderMap::new()).apply(&mut any);
        assert_eq!(any["access-control-allow-origin"], "*");
        assert!(!any.contains_key("vary"));
    }
}
