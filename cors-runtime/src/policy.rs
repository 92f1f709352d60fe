//! The policy model, and the one validator that both front ends use: the
//! `#[cors]` attribute at compile time and [`PolicyBuilder`] at run time.
//!
//! Rules about one value (is this an origin?) live in [`crate::origin`],
//! [`crate::method`] and [`crate::header`]; this module adds the rules that relate
//! several values (`*` with credentials, duplicates, opt-ins) and assembles the
//! validated [`Policy`], with every response header value joined once.

use std::borrow::Cow;
use std::fmt;

use http::HeaderValue;

use crate::Invalid;
use crate::header::{validate_exposed_header, validate_request_header};
use crate::method::validate_method;
use crate::origin::{OriginPattern, parse_origin};

/// The largest `max_age` a policy accepts, in seconds (Firefox's cap).
pub const MAX_AGE_LIMIT: u64 = 86_400;

/// A list of names, borrowed from static tables or owned by a run-time policy.
pub type Names = Cow<'static, [Cow<'static, str>]>;

/// Which origins a policy allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowOrigin {
    /// Any origin (`origins = "*"`): `Access-Control-Allow-Origin: *` on every
    /// response; never with credentials.
    Any,
    /// The listed origins and patterns; the request's own `Origin` is echoed.
    List(Cow<'static, [OriginPattern]>),
}

/// Which request headers a preflight may ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowHeaders {
    /// None beyond the CORS-safelisted ones (the default).
    None,
    /// These names, lowercase; `value` is the joined `Access-Control-Allow-Headers`.
    List {
        /// The allowed names, lowercase.
        names: Names,
        /// The names joined with `, `.
        value: HeaderValue,
    },
    /// Any name (`headers = "*"`) except `authorization`, which is allowed only
    /// when it is listed beside `*` in `names`.
    Any {
        /// Names listed beside `*` (only `authorization` can be).
        names: Names,
        /// `*` followed by `names`, for policies without credentials; policies
        /// with credentials echo the validated request list instead.
        value: HeaderValue,
    },
}

/// A validated CORS policy: what one handler allows, with every response header
/// value built once.
///
/// A `Policy` is built either by the `#[cors]` attribute, as a `static` whose
/// values come from `HeaderValue::from_static`, or at run time by
/// [`Policy::builder`], which applies exactly the same rules.
///
/// ```
/// use static_cors_runtime::Policy;
///
/// let policy = Policy::builder()
///     .origins(["https://app.example.com"])
///     .methods(["GET", "POST"])
///     .headers(["content-type"])
///     .credentials(true)
///     .max_age(600)
///     .build()
///     .unwrap();
/// assert_eq!(policy.allow_methods(), "GET, POST");
/// assert!(policy.serves("POST"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub(crate) origins: AllowOrigin,
    pub(crate) methods: Names,
    pub(crate) allow_methods: HeaderValue,
    pub(crate) headers: AllowHeaders,
    pub(crate) expose: Option<HeaderValue>,
    pub(crate) credentials: bool,
    pub(crate) max_age: Option<HeaderValue>,
    pub(crate) private_network: bool,
}

impl Policy {
    /// Starts a run-time policy; see [`PolicyBuilder`].
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    /// Validates `spec` and builds the policy, or returns every problem found.
    pub fn from_spec(spec: &PolicySpec<'_>) -> Result<Self, Vec<Problem>> {
        check(spec)
    }

    #[doc(hidden)]
    /// Assembles a policy from values that [`Policy::from_spec`] validated at
    /// compile time (generated code only).
    #[allow(clippy::too_many_arguments)]
    pub const fn __from_static(
        origins: AllowOrigin,
        methods: &'static [Cow<'static, str>],
        allow_methods: HeaderValue,
        headers: AllowHeaders,
        expose: Option<HeaderValue>,
        credentials: bool,
        max_age: Option<HeaderValue>,
        private_network: bool,
    ) -> Self {
        Self {
            origins,
            methods: Cow::Borrowed(methods),
            allow_methods,
            headers,
            expose,
            credentials,
            max_age,
            private_network,
        }
    }

    #[doc(hidden)]
    /// A stand-in emitted beside the errors of an invalid attribute, so that the
    /// code around it still type-checks; the crate does not compile, so it never runs.
    pub const fn __invalid() -> Self {
        Self {
            origins: AllowOrigin::List(Cow::Borrowed(&[])),
            methods: Cow::Borrowed(&[]),
            allow_methods: HeaderValue::from_static(""),
            headers: AllowHeaders::None,
            expose: None,
            credentials: false,
            max_age: None,
            private_network: false,
        }
    }

    /// The allowed origins.
    pub fn origins(&self) -> &AllowOrigin {
        &self.origins
    }

    /// The methods that the handler serves, as written.
    pub fn methods(&self) -> &[Cow<'static, str>] {
        &self.methods
    }

    /// Whether the handler serves `method` (byte for byte). `HEAD` is served
    /// wherever `GET` is, as axum routes it.
    pub fn serves(&self, method: &str) -> bool {
        self.methods.iter().any(|m| m == method)
            || (method == "HEAD" && self.methods.iter().any(|m| m == "GET"))
    }

    /// The `Access-Control-Allow-Methods` value: the methods joined with `, `.
    pub fn allow_methods(&self) -> &HeaderValue {
        &self.allow_methods
    }

    /// The allowed request headers.
    pub fn allow_headers(&self) -> &AllowHeaders {
        &self.headers
    }

    /// The `Access-Control-Expose-Headers` value, when headers are exposed.
    pub fn expose_headers(&self) -> Option<&HeaderValue> {
        self.expose.as_ref()
    }

    /// Whether credentialed requests are allowed.
    pub fn credentials(&self) -> bool {
        self.credentials
    }

    /// The `Access-Control-Max-Age` value, when configured.
    pub fn max_age(&self) -> Option<&HeaderValue> {
        self.max_age.as_ref()
    }

    /// Whether preflights asking for private network access are granted it.
    pub fn private_network(&self) -> bool {
        self.private_network
    }
}

/// A policy as its author wrote it, before validation: the neutral form of the
/// attribute's arguments, with `*` written as an element (`["*"]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicySpec<'a> {
    /// Origins and patterns, or `["*"]`; `None` when not given.
    pub origins: Option<Vec<&'a str>>,
    /// Methods served by the handler; `None` when not given.
    pub methods: Option<Vec<&'a str>>,
    /// Allowed request headers, `"*"` among them for any.
    pub headers: Vec<&'a str>,
    /// Exposed response headers, or `["*"]`.
    pub expose: Vec<&'a str>,
    /// Whether credentialed requests are allowed.
    pub credentials: bool,
    /// Seconds a preflight may be cached.
    pub max_age: Option<u64>,
    /// Whether private network access is granted.
    pub private_network: bool,
    /// Opt-in: `http://` origins that are not loopback, with credentials.
    pub dangerous_insecure_origins: bool,
    /// Opt-in: subdomain patterns over a public suffix, with credentials.
    pub dangerous_public_suffix_wildcards: bool,
}

/// Where in a [`PolicySpec`] a [`Problem`] lies; front ends turn it into a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// The policy as a whole (a missing argument).
    Policy,
    /// The `origins` list as a whole.
    Origins,
    /// One element of `origins`.
    Origin(usize),
    /// The `methods` list as a whole.
    Methods,
    /// One element of `methods`.
    Method(usize),
    /// One element of `headers`.
    Header(usize),
    /// One element of `expose`.
    Expose(usize),
    /// The `credentials` flag.
    Credentials,
    /// The `max_age` value.
    MaxAge,
    /// The `dangerous_insecure_origins` opt-in.
    DangerousInsecureOrigins,
    /// The `dangerous_public_suffix_wildcards` opt-in.
    DangerousPublicSuffixWildcards,
}

/// One reason why a [`PolicySpec`] is not a valid policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What the problem is about.
    pub location: Location,
    /// The message, in rustc's style: lowercase, no trailing period.
    pub message: String,
    /// How to fix it, when there is one fix to suggest.
    pub help: Option<String>,
}

impl Problem {
    fn new(location: Location, invalid: Invalid) -> Self {
        Self {
            location,
            message: invalid.message,
            help: invalid.help,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "; help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem of a run-time policy, from [`PolicyBuilder::build`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    /// The problems, in the order of the arguments.
    pub problems: Vec<Problem>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid CORS policy")?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

fn duplicates<'a>(
    items: impl IntoIterator<Item = (usize, &'a str)>,
    same: impl Fn(&str, &str) -> bool,
) -> Vec<(usize, &'a str)> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (index, item) in items {
        if seen.iter().any(|s| same(s, item)) {
            out.push((index, item));
        } else {
            seen.push(item);
        }
    }
    out
}

fn joined(names: &[Cow<'static, str>]) -> String {
    names
        .iter()
        .map(|n| n.as_ref())
        .collect::<Vec<_>>()
        .join(", ")
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).expect("validated tokens joined by `, ` form a header value")
}

/// Checks every rule of the contract on `spec` and builds the policy, or returns
/// every problem found (not only the first).
pub fn check(spec: &PolicySpec<'_>) -> Result<Policy, Vec<Problem>> {
    let mut problems = Vec::new();
    let origins = check_origins(spec, &mut problems);
    let methods = check_methods(spec, &mut problems);
    let headers = check_headers(spec, &mut problems);
    let expose = check_expose(spec, &mut problems);
    if let Some(age) = spec.max_age.filter(|&age| age > MAX_AGE_LIMIT) {
        problems.push(Problem::new(
            Location::MaxAge,
            Invalid::new(format!(
                "`max_age` of {age} seconds is more than 86400: browsers cap it (Chromium at 7200, Firefox at 86400, WebKit at 600)"
            ))
            .help("write at most `max_age = 7200`, which every browser honours up to its cap"),
        ));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| order(p.location));
        return Err(problems);
    }
    let (Some(origins), Some(methods), Some(headers), Some(expose)) =
        (origins, methods, headers, expose)
    else {
        unreachable!("a missing part always comes with a problem");
    };
    let allow_methods = header_value(&joined(&methods));
    Ok(Policy {
        origins,
        methods: Cow::Owned(methods),
        allow_methods,
        headers,
        expose,
        credentials: spec.credentials,
        max_age: spec.max_age.map(|age| HeaderValue::from(age as u32)),
        private_network: spec.private_network,
    })
}

fn order(location: Location) -> (u8, usize) {
    match location {
        Location::Policy => (0, 0),
        Location::Origins => (1, 0),
        Location::Origin(i) => (1, i + 1),
        Location::Methods => (2, 0),
        Location::Method(i) => (2, i + 1),
        Location::Header(i) => (3, i),
        Location::Expose(i) => (4, i),
        Location::Credentials => (5, 0),
        Location::MaxAge => (6, 0),
        Location::DangerousInsecureOrigins => (7, 0),
        Location::DangerousPublicSuffixWildcards => (8, 0),
    }
}

fn check_origins(spec: &PolicySpec<'_>, problems: &mut Vec<Problem>) -> Option<AllowOrigin> {
    let mut push = |location, invalid| problems.push(Problem::new(location, invalid));
    let Some(list) = &spec.origins else {
        push(
            Location::Policy,
            Invalid::new("missing `origins`")
                .help("add `origins = [\"https://app.example.com\"]`, or `origins = \"*\"` for any origin"),
        );
        return None;
    };
    if list.is_empty() {
        push(
            Location::Origins,
            Invalid::new("`origins` is empty: the policy would allow no origin")
                .help("list at least one origin, such as `\"https://app.example.com\"`"),
        );
        return None;
    }
    let star = list.iter().position(|o| *o == "*");
    if let Some(star) = star {
        if list.len() == 1 {
            if spec.credentials {
                push(
                    Location::Origin(star),
                    Invalid::new("`credentials` cannot be combined with any origin (`*`): browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests")
                        .help("list the origins that may send credentials"),
                );
            }
            if spec.dangerous_insecure_origins {
                push(
                    Location::DangerousInsecureOrigins,
                    unused_opt_in("dangerous_insecure_origins"),
                );
            }
            if spec.dangerous_public_suffix_wildcards {
                push(
                    Location::DangerousPublicSuffixWildcards,
                    unused_opt_in("dangerous_public_suffix_wildcards"),
                );
            }
            return Some(AllowOrigin::Any);
        }
        push(
            Location::Origin(star),
            Invalid::new(
                "`*` cannot be combined with other origins: it already allows every origin",
            )
            .help("write `origins = \"*\"` alone, or remove `*`"),
        );
    }
    let mut patterns = Vec::with_capacity(list.len());
    let mut valid = star.is_none();
    let (mut needs_insecure, mut needs_suffix) = (false, false);
    // Every `*` was reported above, once.
    for (index, text) in list.iter().enumerate().filter(|(_, text)| **text != "*") {
        match parse_origin(text) {
            Ok(pattern) => {
                if spec.credentials && pattern.scheme() == "http" && !pattern.is_loopback() {
                    needs_insecure = true;
                    if !spec.dangerous_insecure_origins {
                        let secure = format!("https{}", &text[4..]);
                        push(
                            Location::Origin(index),
                            Invalid::new(format!(
                                "insecure origin `{text}` with `credentials`: anyone on the network path can act as it"
                            ))
                            .help(format!(
                                "write `{secure}`, or add `dangerous_insecure_origins` to accept the risk"
                            )),
                        );
                    }
                }
                if spec.credentials && pattern.is_public_suffix_wildcard() {
                    needs_suffix = true;
                    if !spec.dangerous_public_suffix_wildcards {
                        let suffix = text.split_once("*.").map_or("", |(_, d)| d);
                        let suffix = suffix.split(':').next().unwrap_or(suffix);
                        push(
                            Location::Origin(index),
                            Invalid::new(format!(
                                "`{text}` with `credentials` allows every site under the public suffix `{suffix}`, whoever owns it"
                            ))
                            .help("list the sites, or add `dangerous_public_suffix_wildcards` to accept the risk"),
                        );
                    }
                }
                patterns.push((index, pattern));
            }
            Err(invalid) => {
                valid = false;
                push(Location::Origin(index), invalid);
            }
        }
    }
    // Among the valid entries only: an invalid one has its own error already.
    let texts = patterns.iter().map(|(index, p)| (*index, p.as_str()));
    let repeated = duplicates(texts, |a, b| a == b);
    for (index, text) in &repeated {
        valid = false;
        push(
            Location::Origin(*index),
            Invalid::new(format!("duplicate origin `{text}`")).help("remove it"),
        );
    }
    for (index, narrow) in patterns
        .iter()
        .filter(|(i, _)| !repeated.iter().any(|(r, _)| r == i))
    {
        if let Some((_, wider)) = patterns
            .iter()
            .find(|(_, p)| p.as_str() != narrow.as_str() && p.covers(narrow))
        {
            valid = false;
            push(
                Location::Origin(*index),
                Invalid::new(format!("origin `{narrow}` is already allowed by `{wider}`"))
                    .help("remove it"),
            );
        }
    }
    if spec.dangerous_insecure_origins && !needs_insecure {
        push(
            Location::DangerousInsecureOrigins,
            unused_opt_in("dangerous_insecure_origins"),
        );
    }
    if spec.dangerous_public_suffix_wildcards && !needs_suffix {
        push(
            Location::DangerousPublicSuffixWildcards,
            unused_opt_in("dangerous_public_suffix_wildcards"),
        );
    }
    valid.then(|| AllowOrigin::List(Cow::Owned(patterns.into_iter().map(|(_, p)| p).collect())))
}

fn unused_opt_in(name: &str) -> Invalid {
    let needs = match name {
        "dangerous_insecure_origins" => {
            "an `http://` origin that is not loopback, with `credentials`"
        }
        _ => "a subdomain pattern over a public suffix, with `credentials`",
    };
    Invalid::new(format!(
        "`{name}` has no effect: it only permits {needs}, and this policy has none"
    ))
    .help("remove it")
}

fn check_methods(
    spec: &PolicySpec<'_>,
    problems: &mut Vec<Problem>,
) -> Option<Vec<Cow<'static, str>>> {
    let Some(list) = &spec.methods else {
        problems.push(Problem::new(
            Location::Policy,
            Invalid::new("missing `methods`")
                .help("add the methods the handler serves, such as `methods = [GET, POST]`"),
        ));
        return None;
    };
    if list.is_empty() {
        problems.push(Problem::new(
            Location::Methods,
            Invalid::new("`methods` is empty: the handler would serve nothing")
                .help("list the methods the handler serves, such as `methods = [GET]`"),
        ));
        return None;
    }
    let before = problems.len();
    let mut valid = Vec::new();
    for (index, method) in list.iter().enumerate() {
        match validate_method(method) {
            Ok(()) => valid.push((index, *method)),
            Err(invalid) => problems.push(Problem::new(Location::Method(index), invalid)),
        }
    }
    for (index, method) in duplicates(valid, |a, b| a == b) {
        problems.push(Problem::new(
            Location::Method(index),
            Invalid::new(format!("duplicate method `{method}`")).help("remove it"),
        ));
    }
    (problems.len() == before).then(|| list.iter().map(|m| Cow::Owned(m.to_string())).collect())
}

/// Validates a list of header names in which `*` may stand; returns the names
/// (lowercase, without `*`) and whether `*` was there.
fn check_names(
    list: &[&str],
    location: fn(usize) -> Location,
    validate: fn(&str) -> Result<String, Invalid>,
    star_may_join: fn(&str) -> bool,
    problems: &mut Vec<Problem>,
) -> Option<(Vec<Cow<'static, str>>, Option<usize>)> {
    let before = problems.len();
    let star = list.iter().position(|n| *n == "*");
    let mut names = Vec::new();
    let mut valid = Vec::new();
    for (index, name) in list.iter().enumerate() {
        if *name == "*" {
            valid.push((index, *name));
            continue;
        }
        match validate(name) {
            Ok(lower) if star.is_some() && !star_may_join(&lower) => problems.push(Problem::new(
                location(index),
                Invalid::new(format!("`{name}` is already covered by `*`")).help("remove it"),
            )),
            Ok(lower) => {
                valid.push((index, *name));
                names.push(Cow::Owned(lower));
            }
            Err(invalid) => problems.push(Problem::new(location(index), invalid)),
        }
    }
    for (index, name) in duplicates(valid, |a, b| a.eq_ignore_ascii_case(b)) {
        problems.push(Problem::new(
            location(index),
            Invalid::new(format!("duplicate header `{name}`")).help("remove it"),
        ));
    }
    (problems.len() == before).then_some((names, star))
}

fn check_headers(spec: &PolicySpec<'_>, problems: &mut Vec<Problem>) -> Option<AllowHeaders> {
    let (names, star) = check_names(
        &spec.headers,
        Location::Header,
        validate_request_header,
        |name| name == "authorization",
        problems,
    )?;
    Some(match star {
        Some(_) => {
            let mut value = String::from("*");
            for name in &names {
                value.push_str(", ");
                value.push_str(name);
            }
            AllowHeaders::Any {
                value: header_value(&value),
                names: Cow::Owned(names),
            }
        }
        None if names.is_empty() => AllowHeaders::None,
        None => AllowHeaders::List {
            value: header_value(&joined(&names)),
            names: Cow::Owned(names),
        },
    })
}

fn check_expose(spec: &PolicySpec<'_>, problems: &mut Vec<Problem>) -> Option<Option<HeaderValue>> {
    let (names, star) = check_names(
        &spec.expose,
        Location::Expose,
        validate_exposed_header,
        |_| false,
        problems,
    )?;
    Some(match star {
        Some(index) if spec.credentials => {
            problems.push(Problem::new(
                Location::Expose(index),
                Invalid::new(
                    "`expose = \"*\"` with `credentials` exposes only a header literally named `*`",
                )
                .help("list the headers to expose"),
            ));
            return None;
        }
        Some(_) => Some(HeaderValue::from_static("*")),
        None if names.is_empty() => None,
        None => Some(header_value(&joined(&names))),
    })
}

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
/// assert!(error.problems[0].message.starts_with("`credentials` cannot be combined with any origin"));
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
    dangerous_insecure_origins: bool,
    dangerous_public_suffix_wildcards: bool,
}

fn strings<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
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

    /// Opt-in: allow `http://` origins that are not loopback with credentials.
    pub fn dangerous_insecure_origins(mut self, on: bool) -> Self {
        self.dangerous_insecure_origins = on;
        self
    }

    /// Opt-in: allow subdomain patterns over a public suffix with credentials.
    pub fn dangerous_public_suffix_wildcards(mut self, on: bool) -> Self {
        self.dangerous_public_suffix_wildcards = on;
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
            dangerous_insecure_origins: self.dangerous_insecure_origins,
            dangerous_public_suffix_wildcards: self.dangerous_public_suffix_wildcards,
        };
        check(&spec).map_err(|problems| PolicyError { problems })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec<'a>(origins: &[&'a str], methods: &[&'a str]) -> PolicySpec<'a> {
        PolicySpec {
            origins: Some(origins.to_vec()),
            methods: Some(methods.to_vec()),
            ..PolicySpec::default()
        }
    }

    fn problems(spec: &PolicySpec<'_>) -> Vec<(Location, String)> {
        check(spec)
            .expect_err("invalid")
            .into_iter()
            .map(|p| (p.location, p.message))
            .collect()
    }

    #[test]
    fn builds_joined_values_once() {
        let mut s = spec(
            &["https://a.com", "https://*.b.org"],
            &["GET", "POST", "PURGE"],
        );
        s.headers = vec!["Content-Type", "x-api-key"];
        s.expose = vec!["X-Request-Id"];
        s.max_age = Some(600);
        s.credentials = true;
        let policy = check(&s).unwrap();
        assert_eq!(policy.allow_methods(), "GET, POST, PURGE");
        assert_eq!(
            policy.allow_headers(),
            &AllowHeaders::List {
                names: Cow::Owned(vec![
                    Cow::Borrowed("content-type"),
                    Cow::Borrowed("x-api-key")
                ]),
                value: HeaderValue::from_static("content-type, x-api-key"),
            }
        );
        assert_eq!(policy.expose_headers().unwrap(), "x-request-id");
        assert_eq!(policy.max_age().unwrap(), "600");
        assert!(policy.serves("HEAD") && policy.serves("PURGE") && !policy.serves("get"));
    }

    #[test]
    fn star_lists() {
        let mut s = spec(&["*"], &["GET"]);
        s.headers = vec!["*", "Authorization"];
        s.expose = vec!["*"];
        let policy = check(&s).unwrap();
        assert_eq!(policy.origins(), &AllowOrigin::Any);
        match policy.allow_headers() {
            AllowHeaders::Any { value, .. } => assert_eq!(value, "*, authorization"),
            other => panic!("{other:?}"),
        }
        assert_eq!(policy.expose_headers().unwrap(), "*");
        s.headers = vec!["*", "x-other"];
        assert_eq!(
            problems(&s),
            [(
                Location::Header(1),
                "`x-other` is already covered by `*`".to_owned()
            )]
        );
    }

    #[test]
    fn relations_between_arguments() {
        let mut s = spec(&["*", "https://a.com"], &["GET"]);
        assert_eq!(problems(&s)[0].0, Location::Origin(0));
        s = spec(&["*"], &["GET"]);
        s.credentials = true;
        assert!(
            problems(&s)[0]
                .1
                .starts_with("`credentials` cannot be combined with any origin")
        );
        s = spec(
            &[
                "http://a.com",
                "http://localhost:*",
                "http://127.0.0.1:3000",
                "http://[::1]",
            ],
            &["GET"],
        );
        s.credentials = true;
        assert_eq!(problems(&s), [(Location::Origin(0), "insecure origin `http://a.com` with `credentials`: anyone on the network path can act as it".to_owned())]);
        let mut lookalike = spec(
            &[
                "http://127.0.0.1.example.com",
                "http://localhost.example.com",
            ],
            &["GET"],
        );
        lookalike.credentials = true;
        assert_eq!(
            problems(&lookalike).len(),
            2,
            "names that merely start like loopback are not loopback"
        );
        s.dangerous_insecure_origins = true;
        assert!(check(&s).is_ok());
        s.credentials = false;
        assert_eq!(problems(&s)[0].0, Location::DangerousInsecureOrigins);
        s = spec(
            &[
                "https://*.github.io",
                "https://*.co.uk:*",
                "http://*.localhost:*",
            ],
            &["GET"],
        );
        s.credentials = true;
        let found = problems(&s);
        assert_eq!(found.len(), 2);
        assert!(found[0].1.contains("public suffix `github.io`"));
        assert!(found[1].1.contains("public suffix `co.uk`"));
        s.dangerous_public_suffix_wildcards = true;
        assert!(check(&s).is_ok());
        s = spec(&["https://a.com"], &["GET"]);
        s.credentials = true;
        s.expose = vec!["*"];
        assert_eq!(problems(&s)[0].0, Location::Expose(0));
    }

    #[test]
    fn duplicates_and_redundancy() {
        let mut s = spec(
            &[
                "https://a.com",
                "https://a.com",
                "https://x.b.com",
                "https://*.b.com",
            ],
            &["GET", "GET"],
        );
        s.headers = vec!["X-A", "x-a"];
        s.expose = vec!["x-b", "X-B"];
        assert_eq!(
            problems(&s),
            [
                (
                    Location::Origin(1),
                    "duplicate origin `https://a.com`".to_owned()
                ),
                (
                    Location::Origin(2),
                    "origin `https://x.b.com` is already allowed by `https://*.b.com`".to_owned()
                ),
                (Location::Method(1), "duplicate method `GET`".to_owned()),
                (Location::Header(1), "duplicate header `x-a`".to_owned()),
                (Location::Expose(1), "duplicate header `X-B`".to_owned()),
            ]
        );
    }

    #[test]
    fn one_error_per_mistake() {
        let count = |origins: &[&str], methods: &[&str]| problems(&spec(origins, methods)).len();
        assert_eq!(count(&["*", "*"], &["GET"]), 1);
        assert_eq!(count(&["https://a.com/", "https://a.com/"], &["GET"]), 2);
        assert_eq!(count(&["https://a.com"], &["get", "get"]), 2);
        let mut s = spec(&["https://a.com"], &["GET"]);
        s.headers = vec!["cookie", "Cookie"];
        assert_eq!(problems(&s).len(), 2);
    }

    #[test]
    fn patterns_covered_by_wider_patterns() {
        for (origins, narrow, wide) in [
            (
                &["https://*.a.b.com", "https://*.b.com"][..],
                "https://*.a.b.com",
                "https://*.b.com",
            ),
            (
                &["https://*.b.com", "https://*.b.com:*"],
                "https://*.b.com",
                "https://*.b.com:*",
            ),
            (
                &["http://localhost:*", "http://localhost"],
                "http://localhost",
                "http://localhost:*",
            ),
            (
                &["https://*.b.com:8443", "https://*.b.com:*"],
                "https://*.b.com:8443",
                "https://*.b.com:*",
            ),
        ] {
            let found = problems(&spec(origins, &["GET"]));
            assert_eq!(found.len(), 1, "{origins:?}");
            assert_eq!(
                found[0].1,
                format!("origin `{narrow}` is already allowed by `{wide}`")
            );
        }
        for distinct in [
            &["https://*.b.com", "http://*.b.com"][..],
            &["https://*.b.com", "https://b.com"],
            &["https://*.b.com:8443", "https://*.b.com"],
            &["https://*.ab.com", "https://*.b.com"],
        ] {
            assert!(check(&spec(distinct, &["GET"])).is_ok(), "{distinct:?}");
        }
    }

    #[test]
    fn missing_empty_and_out_of_range() {
        let found = problems(&PolicySpec::default());
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|(l, _)| *l == Location::Policy));
        let mut s = spec(&[], &[]);
        s.max_age = Some(86_401);
        let found = problems(&s);
        assert_eq!(
            found.iter().map(|p| p.0).collect::<Vec<_>>(),
            [Location::Origins, Location::Methods, Location::MaxAge]
        );
        assert!(found[2].1.contains("Chromium at 7200"));
        s = spec(&["https://a.com"], &["GET"]);
        s.max_age = Some(86_400);
        assert!(check(&s).is_ok());
    }

    #[test]
    fn every_problem_is_reported_together() {
        let mut s = spec(&["https://a.com/", "null"], &["get", "CONNECT"]);
        s.headers = vec!["cookie"];
        s.expose = vec!["set-cookie"];
        s.max_age = Some(100_000);
        assert_eq!(problems(&s).len(), 7);
    }

    #[test]
    fn builder_applies_the_same_rules() {
        let error = Policy::builder()
            .origins(["https://a.com/"])
            .methods(["GET"])
            .build()
            .unwrap_err();
        assert_eq!(
            error.problems[0].help.as_deref(),
            Some("write `https://a.com`")
        );
        assert!(
            error
                .to_string()
                .contains("an origin has no path; help: write `https://a.com`")
        );
    }
}
