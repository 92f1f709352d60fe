//! The CORS decision for one path: the handlers that serve it, each with its own
//! policy, and what to do with a request for it. Framework-free: a web
//! framework's glue asks [`Resource::decide`] and carries the decision out.

use std::borrow::Cow;
use std::fmt;

use http::header::{ALLOW, VARY};
use http::{HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};

use crate::allow::allow_bytes;
use crate::policy::{Policy, PolicySource};
use crate::reason::{Evaluation, Reason, origin_refusal};
use crate::response::{
    ActualHeaders, PreflightLines, is_preflight, reporting, requested_method_name,
};

/// The handlers of one path, each with its policy (in mount order), and the
/// path's `Allow` value.
///
/// `P` is where each policy is found (a [`PolicySource`]): `&'static Policy`
/// for the policies that `#[cors]` builds at compile time, `Arc<Policy>` for
/// policies built at run time.
///
/// ```
/// use std::sync::Arc;
///
/// use http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
/// use static_cors_runtime::{Decision, Policy, Resource};
///
/// let read = Policy::builder().origins(["https://a.com"]).methods(["GET"]).build()?;
/// let write = Policy::builder()
///     .origins(["https://admin.a.com"])
///     .methods(["PUT"])
///     .csrf(true)
///     .build()?;
/// let resource = Resource::new(vec![Arc::new(read), Arc::new(write)])?;
/// assert_eq!(resource.allow(), "GET, HEAD, PUT, OPTIONS");
///
/// let uri = Uri::from_static("/items");
/// let mut request = HeaderMap::new();
/// request.insert("origin", HeaderValue::from_static("https://admin.a.com"));
/// match resource.decide(&Method::PUT, &uri, &request) {
///     Decision::Handler { index, headers } => {
///         assert_eq!(index, 1);
///         assert!(headers.is_allowed());
///     }
///     other => panic!("{other:?}"),
/// }
/// request.insert("access-control-request-method", HeaderValue::from_static("PUT"));
/// let Decision::Preflight(answer) = resource.decide(&Method::OPTIONS, &uri, &request) else {
///     panic!("a preflight");
/// };
/// assert_eq!(answer.status, StatusCode::NO_CONTENT);
/// assert_eq!(answer.headers["access-control-allow-methods"], "PUT");
///
/// // The write handler's policy refuses a form posted from another site.
/// request.insert("origin", HeaderValue::from_static("https://evil.example"));
/// request.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
/// let Decision::Refused(answer) = resource.decide(&Method::PUT, &uri, &request) else {
///     panic!("a refused write");
/// };
/// assert_eq!(answer.status, StatusCode::FORBIDDEN);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Resource<P: PolicySource = &'static Policy> {
    policies: Cow<'static, [P]>,
    allow: HeaderValue,
}

/// What to do with one request for a [`Resource`].
///
/// The set is closed on purpose, and matched exhaustively by every adapter: a
/// new kind of decision must be carried out by each of them, never ignored.
#[derive(Debug)]
pub enum Decision {
    /// A preflight, answered without calling a handler: `204` with the headers
    /// of the policy whose handler serves the requested method, or `403` with
    /// `Vary` only.
    Preflight(Answer),
    /// Call handler `index` (in mount order), then apply `headers` to whatever
    /// it returns.
    Handler {
        /// The handler.
        index: usize,
        /// The CORS headers of its response.
        headers: ActualHeaders,
    },
    /// No handler serves the method: `204` to an `OPTIONS` that is not a
    /// preflight, `405` to anything else, with `Allow` and the CORS headers.
    NoHandler(Answer),
    /// The policy of the handler that serves the method refuses the request
    /// as a cross-origin write (`csrf`; see [`Policy::write_refusal`]): `403`
    /// with `Vary` only, and the handler is not called.
    Refused(Answer),
}

/// A response made without calling a handler; its body is empty.
#[derive(Debug)]
#[non_exhaustive]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
}

/// Why a [`Resource`] cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResourceError {
    /// No handler was given.
    Empty,
    /// Two handlers serve this method.
    SharedMethod(String),
}

impl fmt::Display for ResourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResourceError::Empty => f.write_str("a path needs at least one handler"),
            ResourceError::SharedMethod(method) => write!(
                f,
                "two handlers of one path serve `{method}`: give each method to one handler"
            ),
        }
    }
}

impl std::error::Error for ResourceError {}

impl Resource<&'static Policy> {
    /// A resource of `static` policies whose methods are disjoint and whose
    /// `Allow` value was joined at compile time, by the rule of
    /// [`Resource::new`] (`cors_route!` does both while the crate compiles).
    pub const fn from_static(policies: &'static [&'static Policy], allow: HeaderValue) -> Self {
        Self {
            policies: Cow::Borrowed(policies),
            allow,
        }
    }
}

impl<P: PolicySource> Resource<P> {
    /// A resource of policies in mount order; each method must belong to one.
    pub fn new(policies: Vec<P>) -> Result<Self, ResourceError> {
        let allow = allow_of(&policies)?;
        Ok(Self {
            policies: Cow::Owned(policies),
            allow,
        })
    }

    /// The policy sources, in mount order.
    pub fn policies(&self) -> &[P] {
        &self.policies
    }

    /// The path's `Allow` value: every method served, `OPTIONS` last.
    pub fn allow(&self) -> &HeaderValue {
        &self.allow
    }

    /// Decides what to do with a request, from its method, URI and headers
    /// (the URI's authority, when it has one, is the request's for write
    /// protection; else its `Host` header is). The work is linear in the
    /// request's headers, and only an answer made without a handler allocates
    /// (its header map).
    #[inline]
    pub fn decide(&self, method: &Method, uri: &Uri, request: &HeaderMap) -> Decision {
        if let Some(lines) = PreflightLines::of_preflight(method, request) {
            return Decision::Preflight(self.preflight(request, lines));
        }
        match self.find(method.as_str()) {
            Some(index) => {
                // One load: the whole request sees one policy.
                let policy = self.policies[index].load();
                match policy.write_refusal(method, uri, request) {
                    Some(answer) => Decision::Refused(answer),
                    None => Decision::Handler {
                        index,
                        headers: policy.actual(method, request),
                    },
                }
            }
            None => Decision::NoHandler(self.no_handler(method, request)),
        }
    }

    /// `204` to a plain `OPTIONS`, `405` to any other method that no handler
    /// serves, with `Allow` and the path's CORS headers.
    #[inline(never)]
    fn no_handler(&self, method: &Method, request: &HeaderMap) -> Answer {
        let (answer, allowed) = self.without_handler(method, request);
        #[cfg(feature = "tracing")]
        if !allowed {
            crate::trace::actual(method, request, || origin_refusal(request));
        }
        let _ = allowed;
        answer
    }

    /// [`Resource::no_handler`]'s answer, unreported, and whether the origin is
    /// allowed.
    fn without_handler(&self, method: &Method, request: &HeaderMap) -> (Answer, bool) {
        let status = if method == Method::OPTIONS {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::METHOD_NOT_ALLOWED
        };
        let mut headers = HeaderMap::new();
        headers.insert(ALLOW, self.allow.clone());
        let actual = self.path_headers(request);
        let allowed = actual.is_allowed();
        actual.apply(&mut headers);
        (Answer { status, headers }, allowed)
    }

    /// The handler that serves `method`: one that lists it, else for `HEAD` the
    /// one that serves `GET`.
    #[inline]
    fn find(&self, method: &str) -> Option<usize> {
        let policies = || self.policies.iter().map(|p| p.load());
        policies()
            .position(|p| p.lists(method))
            .or_else(|| policies().position(|p| p.serves(method)))
    }

    /// Answers a preflight with the policy of the handler serving the requested
    /// method, or `403` with the widest `Vary` when none does.
    #[inline(never)]
    fn preflight(&self, request: &HeaderMap, lines: PreflightLines<'_>) -> Answer {
        let (answer, outcome) = self.answer_preflight(request, lines, reporting());
        #[cfg(feature = "tracing")]
        match outcome {
            Some(outcome) => crate::trace::preflight(request, outcome),
            None => crate::trace::refused_preflight(request, || self.unserved(request)),
        }
        let _ = outcome;
        answer
    }

    /// [`Resource::preflight`]'s answer, unreported, with the outcome of the
    /// policy that answered, or `None` when no policy did (see
    /// [`Resource::unserved`]). `report` as in [`Policy::answer_preflight`].
    fn answer_preflight<'r>(
        &self,
        request: &'r HeaderMap,
        lines: PreflightLines<'r>,
        report: bool,
    ) -> (Answer, Option<Result<(), Reason<'r>>>) {
        // Room for every header a preflight response can carry, so that the map
        // is allocated once and never grows.
        let mut headers = HeaderMap::with_capacity(8);
        let serving = lines.method().and_then(|m| self.find(m));
        // When no handler serves the method, a policy in debug mode that allows
        // the origin answers, so that the browser names the method.
        match serving.or_else(|| self.debugging(request)) {
            Some(index) => {
                let policy = self.policies[index].load();
                let outcome = policy.answer_preflight_lines(request, lines, &mut headers, report);
                let status = policy.preflight_status(outcome);
                (Answer { status, headers }, Some(outcome))
            }
            None => {
                let widest = self
                    .policies
                    .iter()
                    .map(|p| p.load().preflight_vary())
                    .max_by_key(|v| v.len());
                if let Some(vary) = widest {
                    headers.append(VARY, vary.clone());
                }
                let status = StatusCode::FORBIDDEN;
                (Answer { status, headers }, None)
            }
        }
    }

    /// The first policy in debug mode that allows the request's origin.
    #[cold]
    fn debugging(&self, request: &HeaderMap) -> Option<usize> {
        self.policies.iter().position(|p| {
            let policy = p.load();
            policy.debug() && policy.allowed_origin(request).is_some()
        })
    }

    /// Why a preflight that no handler's policy answers is refused: its origin,
    /// when no policy allows it, else its method.
    fn unserved<'r>(&self, request: &'r HeaderMap) -> Reason<'r> {
        if self.path_headers(request).is_allowed() {
            Reason::MethodNotServed(requested_method_name(request))
        } else {
            origin_refusal(request)
        }
    }

    /// The outcome of `request` for this path, as a value: the answer made
    /// without a handler (a preflight, a `204` or `405`), or the headers that
    /// the handler's response gets, and why the request is denied, if it is.
    /// A write that the serving handler's policy refuses has the status `403`
    /// and the reason [`Reason::CrossOriginWriteRefused`] (or
    /// [`Reason::CrossOriginWebSocketRefused`] for a WebSocket handshake).
    /// Nothing is reported
    /// to `tracing`.
    ///
    /// For tests and tools: unlike [`Resource::decide`], it allocates.
    pub fn evaluate<'r, B>(&self, request: &'r Request<B>) -> Evaluation<'r> {
        let (method, uri, headers) = (request.method(), request.uri(), request.headers());
        if is_preflight(method, headers) {
            let lines = PreflightLines::of(headers);
            let (answer, outcome) = self.answer_preflight(headers, lines, true);
            let reason = match outcome {
                Some(outcome) => outcome.err(),
                None => Some(self.unserved(headers)),
            };
            return Evaluation {
                preflight: true,
                status: Some(answer.status),
                headers: answer.headers,
                reason,
            };
        }
        let Some(index) = self.find(method.as_str()) else {
            let (answer, allowed) = self.without_handler(method, headers);
            return Evaluation {
                preflight: false,
                status: Some(answer.status),
                headers: answer.headers,
                reason: (!allowed).then(|| origin_refusal(headers)),
            };
        };
        let policy = self.policies[index].load();
        if policy.refuses_write(method, uri, headers) {
            let answer = policy.refused_write(headers);
            return Evaluation {
                preflight: false,
                status: Some(answer.status),
                headers: answer.headers,
                reason: Some(crate::csrf::refusal_reason(method, headers)),
            };
        }
        let actual = policy.actual_headers(headers);
        let reason = (!actual.is_allowed()).then(|| origin_refusal(headers));
        let mut answer = HeaderMap::new();
        actual.apply(&mut answer);
        Evaluation {
            preflight: false,
            status: None,
            headers: answer,
            reason,
        }
    }

    /// The CORS headers of a response of the path itself (`204` to a plain
    /// `OPTIONS`, `405`): those of the first policy that allows the origin, else
    /// the first policy's.
    fn path_headers(&self, request: &HeaderMap) -> ActualHeaders {
        let mut first = None;
        for policy in self.policies.iter() {
            let headers = policy.load().actual_headers(request);
            if headers.is_allowed() {
                return headers;
            }
            first.get_or_insert(headers);
        }
        first.expect("a resource has at least one policy")
    }
}

/// The `Allow` value of policies in mount order, when each method belongs to one.
fn allow_of<P: PolicySource>(policies: &[P]) -> Result<HeaderValue, ResourceError> {
    if policies.is_empty() {
        return Err(ResourceError::Empty);
    }
    let loaded: Vec<P::Guard<'_>> = policies.iter().map(P::load).collect();
    let lists: Vec<Vec<&str>> = loaded
        .iter()
        .map(|p| p.methods().iter().map(AsRef::as_ref).collect())
        .collect();
    for (i, list) in lists.iter().enumerate() {
        if let Some(shared) = list
            .iter()
            .find(|m| lists[..i].iter().any(|l| l.contains(m)))
        {
            return Err(ResourceError::SharedMethod((*shared).to_owned()));
        }
    }
    let lists: Vec<&[&str]> = lists.iter().map(Vec::as_slice).collect();
    let (bytes, len) = allow_bytes(&lists);
    Ok(HeaderValue::from_bytes(&bytes[..len])
        .expect("validated methods joined by `, ` form a header value"))
}

// Write protection's answers, here beside `Answer`, the one type every
// answer of this crate takes; the rule itself is `crate::csrf`'s.
impl Policy {
    /// Write protection (see [`PolicyBuilder::csrf`](crate::PolicyBuilder::csrf)):
    /// the answer to a request that the policy refuses as a cross-origin
    /// write, `403 Forbidden` with an empty body and the actual-request CORS
    /// headers (which, the origin being refused, are only `Vary: Origin`); or
    /// `None` when the handler may run. Always `None` without `csrf`.
    ///
    /// A framework's glue asks this before calling the handler; `uri` gives the
    /// request's authority when it has one (HTTP/2's `:authority`), else the
    /// `Host` header is read. A WebSocket handshake (see
    /// [`is_websocket_handshake`](crate::csrf::is_websocket_handshake)) is judged whatever its method. With the
    /// `tracing` feature, a refusal is reported with the reason
    /// `cross_origin_write_refused`, or `cross_origin_websocket_refused` for a
    /// handshake. Only a refusal allocates.
    ///
    /// ```
    /// use http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
    /// use static_cors_runtime::Policy;
    ///
    /// let policy = Policy::builder()
    ///     .origins(["https://app.example.com"])
    ///     .methods(["POST"])
    ///     .csrf(true)
    ///     .build()?;
    /// let uri = Uri::from_static("/transfer");
    /// let mut request = HeaderMap::new();
    /// request.insert("host", HeaderValue::from_static("bank.example.com"));
    /// request.insert("origin", HeaderValue::from_static("https://evil.example"));
    /// let refused = policy.write_refusal(&Method::POST, &uri, &request).unwrap();
    /// assert_eq!(refused.status, StatusCode::FORBIDDEN);
    ///
    /// // The bank's own page, from a browser that sends no `Sec-Fetch-Site`.
    /// request.insert("origin", HeaderValue::from_static("https://bank.example.com"));
    /// assert!(policy.write_refusal(&Method::POST, &uri, &request).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn write_refusal(&self, method: &Method, uri: &Uri, request: &HeaderMap) -> Option<Answer> {
        if !self.refuses_write(method, uri, request) {
            return None;
        }
        #[cfg(feature = "tracing")]
        crate::trace::actual(method, request, || {
            crate::csrf::refusal_reason(method, request)
        });
        Some(self.refused_write(request))
    }

    /// The answer to a refused write.
    #[cold]
    pub(crate) fn refused_write(&self, request: &HeaderMap) -> Answer {
        let mut headers = HeaderMap::new();
        self.actual_headers(request).apply(&mut headers);
        Answer {
            status: StatusCode::FORBIDDEN,
            headers,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::testing::request;

    /// The path of the tests' requests, in origin form.
    fn items() -> Uri {
        Uri::from_static("/items")
    }

    fn policy(origin: &str, methods: &[&str]) -> Arc<Policy> {
        Policy::builder()
            .origins([origin])
            .methods(methods.to_vec())
            .private_network(methods.contains(&"PUT"))
            .build()
            .map(Arc::new)
            .unwrap()
    }

    #[test]
    fn new_refuses_empty_and_shared_methods() {
        assert_eq!(
            Resource::<Arc<Policy>>::new(vec![]).unwrap_err(),
            ResourceError::Empty
        );
        let shared = Resource::new(vec![
            policy("https://a.com", &["GET", "PUT"]),
            policy("https://b.com", &["PUT"]),
        ]);
        assert_eq!(
            shared.unwrap_err(),
            ResourceError::SharedMethod("PUT".into())
        );
    }

    #[test]
    fn decisions_for_a_path_of_two_handlers() {
        let resource = Resource::new(vec![
            policy("https://a.com", &["GET"]),
            policy("https://b.com", &["PUT", "PURGE"]),
        ])
        .unwrap();
        let from_b = request(&[("origin", "https://b.com")]);
        match resource.decide(&Method::HEAD, &items(), &from_b) {
            Decision::Handler { index, headers } => {
                assert_eq!(index, 0, "HEAD is served by the GET handler");
                assert!(!headers.is_allowed());
            }
            other => panic!("{other:?}"),
        }
        let purge = Method::from_bytes(b"PURGE").unwrap();
        assert!(matches!(
            resource.decide(&purge, &items(), &from_b),
            Decision::Handler { index: 1, .. }
        ));
        let Decision::NoHandler(answer) = resource.decide(&Method::DELETE, &items(), &from_b)
        else {
            panic!("no handler serves DELETE");
        };
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(answer.headers[ALLOW], "GET, HEAD, PUT, PURGE, OPTIONS");
        assert_eq!(
            answer.headers["access-control-allow-origin"], "https://b.com",
            "the headers of the first policy that allows the origin"
        );
        let Decision::NoHandler(answer) = resource.decide(&Method::OPTIONS, &items(), &from_b)
        else {
            panic!("a plain OPTIONS");
        };
        assert_eq!(answer.status, StatusCode::NO_CONTENT);

        let unserved = request(&[
            ("origin", "https://a.com"),
            ("access-control-request-method", "DELETE"),
        ]);
        let Decision::Preflight(answer) = resource.decide(&Method::OPTIONS, &items(), &unserved)
        else {
            panic!("a preflight");
        };
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(answer.headers.len(), 1);
        assert!(
            answer.headers[VARY]
                .to_str()
                .unwrap()
                .ends_with("Access-Control-Request-Private-Network"),
            "the widest Vary of the path's policies"
        );
    }

    #[test]
    fn a_refused_write_is_decided_by_the_policy_of_the_handler_serving_it() {
        let reader = policy("https://a.com", &["GET", "PATCH"]);
        let writer = Policy::builder()
            .origins(["https://a.com"])
            .methods(["POST"])
            .csrf(true)
            .build()
            .map(Arc::new)
            .unwrap();
        let resource = Resource::new(vec![reader, writer]).unwrap();
        let cross = request(&[
            ("origin", "https://evil.com"),
            ("sec-fetch-site", "cross-site"),
        ]);
        let Decision::Refused(answer) = resource.decide(&Method::POST, &items(), &cross) else {
            panic!("the writer's policy refuses a cross-site POST");
        };
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(answer.headers.len(), 1);
        assert_eq!(answer.headers[VARY], "Origin");
        assert!(
            matches!(
                resource.decide(&Method::PATCH, &items(), &cross),
                Decision::Handler { index: 0, .. }
            ),
            "the reader's policy has no write protection"
        );
        assert!(
            matches!(
                resource.decide(&Method::DELETE, &items(), &cross),
                Decision::NoHandler(_)
            ),
            "no handler serves DELETE: 405, whatever the policies"
        );
        let allowed = request(&[
            ("origin", "https://a.com"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert!(matches!(
            resource.decide(&Method::POST, &items(), &allowed),
            Decision::Handler { index: 1, .. }
        ));

        let post = |lines: &[(&'static str, &'static str)]| {
            let mut builder = Request::post("/items");
            for (name, value) in lines {
                builder = builder.header(*name, *value);
            }
            builder.body(()).unwrap()
        };
        let refused = post(&[
            ("origin", "https://evil.com"),
            ("sec-fetch-site", "cross-site"),
        ]);
        let outcome = resource.evaluate(&refused);
        assert_eq!(outcome.reason(), Some(Reason::CrossOriginWriteRefused));
        assert_eq!(outcome.status(), Some(StatusCode::FORBIDDEN));
        let same_origin = post(&[
            ("origin", "https://evil.com"),
            ("sec-fetch-site", "same-origin"),
        ]);
        let outcome = resource.evaluate(&same_origin);
        assert_eq!(outcome.reason(), Some(Reason::OriginNotAllowed));
        assert_eq!(outcome.status(), None);
    }
}
