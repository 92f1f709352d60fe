//! [`PolicyBuilder`]: the run-time front end of the validator.

use super::{PolicyError, PolicySpec, check};
use crate::Policy;

/// Builds a [`Policy`] at run time, with exactly the rules of the `#[cors]`
/// attribute. Every setter takes what the attribute's argument of the same name
/// takes; `*` is written as a one-element list (`["*"]`).
///
/// ```
/// use static_cors_runtime::Policy;
///
/// let error = Policy::builder()
///     .origins(["*"])
///     .methods(["GET"])
///     .credentials(true)
///     .build()
///     .unwrap_err();
/// assert!(error.problems()[0].message.starts_with("`credentials` cannot be combined with any origin"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct PolicyBuilder {
    origins: Option<Vec<String>>,
    methods: Option<Vec<String>>,
    headers: Vec<String>,
    expose: Vec<String>,
    credentials: bool,
    max_age: Option<u64>,
    private_network: bool,
    csrf: bool,
    dangerous_insecure_origins: bool,
    dangerous_public_suffix_wildcards: bool,
    dangerous_any_extension_origin: bool,
    debug: bool,
}

fn strings<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

impl Policy {
    /// Starts a run-time policy; see [`PolicyBuilder`].
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }
}

impl PolicyBuilder {
    /// The allowed origins and patterns, or `["*"]` for any origin.
    pub fn origins<I: IntoIterator<Item = S>, S: Into<String>>(mut self, origins: I) -> Self {
        self.origins = Some(strings(origins));
        self
    }

    /// The methods the handler serves, as browsers send them.
    pub fn methods<I: IntoIterator<Item = S>, S: Into<String>>(mut self, methods: I) -> Self {
        self.methods = Some(strings(methods));
        self
    }

    /// The request headers a preflight may ask for; `"*"` for any but `authorization`.
    pub fn headers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, headers: I) -> Self {
        self.headers = strings(headers);
        self
    }

    /// The response headers scripts may read; `["*"]` for all (without credentials).
    pub fn expose<I: IntoIterator<Item = S>, S: Into<String>>(mut self, expose: I) -> Self {
        self.expose = strings(expose);
        self
    }

    /// Whether credentialed requests (cookies, HTTP authentication) are allowed.
    pub fn credentials(mut self, on: bool) -> Self {
        self.credentials = on;
        self
    }

    /// Seconds a browser may cache a successful preflight (0..=86400).
    pub fn max_age(mut self, seconds: u64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// Whether preflights asking for private network access are granted it.
    pub fn private_network(mut self, on: bool) -> Self {
        self.private_network = on;
        self
    }

    /// Cross-origin write protection: a request whose method is not `GET`,
    /// `HEAD` or `OPTIONS` is answered `403` with an empty body, and its
    /// handler does not run, unless
    ///
    /// 1. its `Origin` is one that the policy allows; or
    /// 2. it carries `Sec-Fetch-Site: same-origin` or `Sec-Fetch-Site: none`
    ///    (any other `Sec-Fetch-Site` is refused); or
    /// 3. it carries no `Sec-Fetch-Site` (browsers before 2023) and either no
    ///    `Origin` or an `Origin` whose `host[:port]` equals the request's
    ///    authority (that of its URI when it has one, as HTTP/2's `:authority`
    ///    does, else its `Host`).
    ///
    /// A WebSocket handshake is judged by the same rule whatever its method
    /// (see [`csrf::is_websocket_handshake`](crate::csrf::is_websocket_handshake)):
    /// browsers do not apply CORS to WebSockets, so without this any page can
    /// open the socket with the user's cookies.
    ///
    /// This stops an HTML form, which a browser sends cross-origin without a
    /// preflight, from reaching a handler that changes state. Requests without
    /// `Origin` or `Sec-Fetch-Site` (curl, other servers) pass. It needs a list
    /// of origins: with `origins = ["*"]` it is an error, since every origin
    /// would be trusted.
    ///
    /// ```
    /// use http::{Method, Request};
    /// use static_cors_runtime::{Policy, Reason};
    ///
    /// let policy = Policy::builder()
    ///     .origins(["https://app.example.com"])
    ///     .methods(["POST"])
    ///     .csrf(true)
    ///     .build()?;
    /// let form = Request::post("/transfer")
    ///     .header("origin", "https://evil.example")
    ///     .header("sec-fetch-site", "cross-site")
    ///     .body(())?;
    /// let outcome = policy.evaluate(&form);
    /// assert_eq!(outcome.reason(), Some(Reason::CrossOriginWriteRefused));
    /// assert_eq!(outcome.status(), Some(http::StatusCode::FORBIDDEN));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn csrf(mut self, on: bool) -> Self {
        self.csrf = on;
        self
    }

    /// Opt-in: allow `http://` origins that are not loopback with credentials.
    pub fn dangerous_insecure_origins(mut self, on: bool) -> Self {
        self.dangerous_insecure_origins = on;
        self
    }

    /// Opt-in: allow subdomain and label patterns over a public suffix with
    /// credentials.
    pub fn dangerous_public_suffix_wildcards(mut self, on: bool) -> Self {
        self.dangerous_public_suffix_wildcards = on;
        self
    }

    /// Opt-in: allow a whole-scheme pattern (`moz-extension://*`,
    /// `safari-web-extension://*`, `chrome-extension://*`) with credentials.
    /// Any extension of any publisher that the user installs could then call
    /// the API with the user's cookies.
    pub fn dangerous_any_extension_origin(mut self, on: bool) -> Self {
        self.dangerous_any_extension_origin = on;
        self
    }

    /// Debug mode, for development only: a preflight that fails on its method
    /// or on a header is answered `204` with the headers that did match
    /// (`Access-Control-Allow-Origin`, and `Access-Control-Allow-Methods` when
    /// the method matched), so that the browser's console names the method or
    /// header at fault instead of reporting a failed status. The browser still
    /// refuses the request. It tells any origin the policy allows which methods
    /// it serves, so leave it off in production.
    pub fn debug(mut self, on: bool) -> Self {
        self.debug = on;
        self
    }

    /// Validates the policy, reporting every problem at once.
    pub fn build(&self) -> Result<Policy, PolicyError> {
        fn refs(list: &[String]) -> Vec<&str> {
            list.iter().map(String::as_str).collect()
        }
        let spec = PolicySpec {
            origins: self.origins.as_deref().map(refs),
            methods: self.methods.as_deref().map(refs),
            headers: refs(&self.headers),
            expose: refs(&self.expose),
            credentials: self.credentials,
            max_age: self.max_age,
            private_network: self.private_network,
            csrf: self.csrf,
            dangerous_insecure_origins: self.dangerous_insecure_origins,
            dangerous_public_suffix_wildcards: self.dangerous_public_suffix_wildcards,
            dangerous_any_extension_origin: self.dangerous_any_extension_origin,
            debug: self.debug,
        };
        check(&spec)
    }
}
