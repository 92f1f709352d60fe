//! What a fetch ends in: the verdict, what the script sees, and why.

use std::fmt;

use http::{HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode};

use super::response::Exposed;
use super::{Credentials, Engine};

/// Which of the two requests of a cross-origin fetch a check was made on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The `OPTIONS` request that asks the server first.
    Preflight,
    /// The request itself.
    Actual,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Preflight => "preflight",
            Stage::Actual => "actual",
        })
    }
}

/// Why a fetch was blocked: the `fetch()` promise rejects with a `TypeError`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// `fetch()` throws before sending anything: an invalid URL, method or
    /// header, or a body on a `GET` or `HEAD`.
    Rejected {
        /// What `fetch()` refused.
        reason: String,
    },
    /// The service returned an error instead of a response: a network error.
    Service {
        /// Which request.
        stage: Stage,
        /// The service's error.
        error: String,
    },
    /// The preflight's status is outside 200-299.
    PreflightStatus {
        /// The status received.
        status: StatusCode,
        /// The preflight's `Access-Control-Request-Method`.
        method: String,
        /// The preflight's `Access-Control-Request-Headers`, if it had one.
        headers: Option<String>,
    },
    /// `Access-Control-Allow-Origin` is absent, not the request's origin byte for
    /// byte, or `*` on a credentialed request.
    AllowOrigin {
        /// Which response.
        stage: Stage,
        /// Every line received, joined by `, `.
        seen: Option<String>,
        /// The serialized origin it had to be.
        origin: String,
        /// Whether the request included credentials.
        credentials: bool,
    },
    /// A credentialed request, and `Access-Control-Allow-Credentials` is not
    /// exactly `true`.
    AllowCredentials {
        /// Which response.
        stage: Stage,
        /// Every line received, joined by `, `.
        seen: Option<String>,
    },
    /// The preflight's `Access-Control-Allow-Methods` or
    /// `Access-Control-Allow-Headers` is not a list of tokens.
    UnparsableList {
        /// The header's name.
        header: &'static str,
        /// Its value.
        value: String,
    },
    /// The preflight's `Access-Control-Allow-Methods` does not cover the method.
    Method {
        /// The method, normalized.
        method: String,
        /// `Access-Control-Allow-Methods` as received.
        seen: Option<String>,
        /// Whether the request included credentials (then `*` is no wildcard).
        credentials: bool,
    },
    /// The preflight's `Access-Control-Allow-Headers` does not cover a header.
    Header {
        /// The first header name not covered, lowercase.
        name: String,
        /// `Access-Control-Allow-Headers` as received.
        seen: Option<String>,
        /// Whether the request included credentials (then `*` is no wildcard).
        credentials: bool,
    },
}

fn quoted(value: &Option<String>) -> String {
    match value {
        Some(value) => format!("`{value}`"),
        None => "absent".to_owned(),
    }
}

impl Failure {
    /// Which request the failing check was made on, if any was sent.
    pub fn stage(&self) -> Option<Stage> {
        match self {
            Failure::Rejected { .. } => None,
            Failure::Service { stage, .. }
            | Failure::AllowOrigin { stage, .. }
            | Failure::AllowCredentials { stage, .. } => Some(*stage),
            Failure::PreflightStatus { .. }
            | Failure::UnparsableList { .. }
            | Failure::Method { .. }
            | Failure::Header { .. } => Some(Stage::Preflight),
        }
    }

    /// What the server (or the test) must do instead.
    fn help(&self) -> String {
        let on = |stage: &Stage| match stage {
            Stage::Preflight => "the preflight response",
            Stage::Actual => "the response",
        };
        match self {
            Failure::Rejected { .. } => {
                "fix the fetch: a browser throws before sending it".to_owned()
            }
            Failure::Service { .. } => "the service must answer with a response".to_owned(),
            Failure::PreflightStatus {
                method, headers, ..
            } => {
                let with = headers
                    .as_ref()
                    .map(|names| format!(" with `{names}`"))
                    .unwrap_or_default();
                format!(
                    "to allow it, the server must answer a preflight for `{method}`{with} from this origin with a 2xx status"
                )
            }
            Failure::AllowOrigin {
                stage,
                origin,
                credentials,
                ..
            } => {
                if *credentials {
                    format!(
                        "{} must carry `Access-Control-Allow-Origin: {origin}` (with credentials, `*` is refused)",
                        on(stage)
                    )
                } else {
                    format!(
                        "{} must carry `Access-Control-Allow-Origin: {origin}` or `*`, once",
                        on(stage)
                    )
                }
            }
            Failure::AllowCredentials { stage, .. } => format!(
                "{} must carry `Access-Control-Allow-Credentials: true`, or the fetch must not include credentials",
                on(stage)
            ),
            Failure::UnparsableList { header, .. } => {
                format!("send `{header}` as comma-separated names, such as `GET, POST`")
            }
            Failure::Method {
                method,
                credentials,
                ..
            } => {
                let wildcard = if *credentials {
                    " (with credentials, `*` does not count)"
                } else {
                    ""
                };
                format!(
                    "the preflight response must list `{method}` in `Access-Control-Allow-Methods`{wildcard}"
                )
            }
            Failure::Header {
                name, credentials, ..
            } => {
                let wildcard = if *credentials {
                    " (with credentials, `*` does not count)"
                } else if name == "authorization" {
                    " (`*` does not cover `authorization`)"
                } else {
                    ""
                };
                format!(
                    "the preflight response must list `{name}` in `Access-Control-Allow-Headers`{wildcard}"
                )
            }
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Rejected { reason } => write!(f, "`fetch()` throws: {reason}"),
            Failure::Service { stage, error } => {
                write!(f, "the service failed the {stage} request: {error}")
            }
            Failure::PreflightStatus { status, .. } => {
                write!(
                    f,
                    "the server refused the preflight: its status is {status}, not 2xx"
                )
            }
            Failure::AllowOrigin {
                stage,
                seen,
                origin,
                credentials,
            } => {
                let response = match stage {
                    Stage::Preflight => "preflight response",
                    Stage::Actual => "response",
                };
                match seen.as_deref() {
                    Some("*") if *credentials => write!(
                        f,
                        "the {response}'s `Access-Control-Allow-Origin` is `*`, which a credentialed request refuses"
                    ),
                    _ => write!(
                        f,
                        "the {response}'s `Access-Control-Allow-Origin` is {}, not `{origin}`",
                        quoted(seen)
                    ),
                }
            }
            Failure::AllowCredentials { stage, seen } => {
                let response = match stage {
                    Stage::Preflight => "preflight response",
                    Stage::Actual => "response",
                };
                write!(
                    f,
                    "the request includes credentials and the {response}'s `Access-Control-Allow-Credentials` is {}, not `true`",
                    quoted(seen)
                )
            }
            Failure::UnparsableList { header, value } => {
                write!(
                    f,
                    "the preflight response's `{header}` is `{value}`, which is not a list of names"
                )
            }
            Failure::Method { method, seen, .. } => write!(
                f,
                "the preflight response's `Access-Control-Allow-Methods` is {}, which does not cover `{method}`",
                quoted(seen)
            ),
            Failure::Header { name, seen, .. } => write!(
                f,
                "the preflight response's `Access-Control-Allow-Headers` is {}, which does not cover `{name}`",
                quoted(seen)
            ),
        }
    }
}

/// Something allowed today that a test should know about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// `*` in `Access-Control-Allow-Headers` let `authorization` through. The
    /// Fetch standard says `*` never covers `authorization`; Chromium, Firefox and
    /// WebKit cover it anyway, so the fetch is allowed, until they follow the
    /// standard.
    AuthorizationByWildcard,
    /// The response is a redirect. A browser would follow it; this model does not.
    RedirectNotFollowed {
        /// The redirect's status.
        status: StatusCode,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::AuthorizationByWildcard => f.write_str(
                "`authorization` passed only because Chromium, Firefox and WebKit let `*` in \
                 `Access-Control-Allow-Headers` cover it, which the Fetch standard forbids; \
                 list `authorization` by name, or this fetch breaks when the engines follow the standard",
            ),
            Warning::RedirectNotFollowed { status } => write!(
                f,
                "the response is a {status} redirect, which a browser follows and this model does not"
            ),
        }
    }
}

/// One request as sent, and the response as received.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) request: Request<()>,
    pub(crate) response: Result<Response<()>, String>,
}

/// How the preflight went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Preflight {
    /// Same-origin, or only safelisted method and headers.
    NotNeeded,
    /// Needed, and every method and header was in the cache.
    Cached,
    /// Sent.
    Sent,
}

/// What one `fetch()` ends in, as the page's script would see it.
///
/// `Display` gives the verdict in one sentence; when blocked, it names the check
/// that failed, the values seen and what the server must send instead. `Debug`
/// shows the preflight and the actual request as sent and their responses as
/// received.
pub struct Outcome {
    pub(crate) engine: Engine,
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) origin: String,
    pub(crate) credentials: Credentials,
    pub(crate) same_origin: bool,
    pub(crate) dropped: Vec<String>,
    pub(crate) preflight: Option<Exchange>,
    pub(crate) preflight_state: Preflight,
    pub(crate) actual: Option<Exchange>,
    pub(crate) failure: Option<Failure>,
    pub(crate) exposed: Exposed,
    pub(crate) warnings: Vec<Warning>,
}

impl Outcome {
    /// Whether the `fetch()` promise resolves; `false`: it rejects with a `TypeError`.
    pub fn is_allowed(&self) -> bool {
        self.failure.is_none()
    }

    /// Why the fetch was blocked; `None` when it is allowed.
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    /// Whether a preflight reached the service (not when the cache answered).
    pub fn preflight_sent(&self) -> bool {
        self.preflight.is_some()
    }

    /// Whether the request itself reached the service. A simple request reaches
    /// it even when the script is then blocked from reading the response.
    pub fn actual_sent(&self) -> bool {
        self.actual.is_some()
    }

    /// The status the script sees; `None` when blocked.
    pub fn status(&self) -> Option<StatusCode> {
        self.visible().map(Response::status)
    }

    /// A response header the script can read (its first line): a CORS-safelisted
    /// response header, or one exposed by `Access-Control-Expose-Headers` under
    /// this request's credentials mode; every header of a same-origin response.
    /// `Set-Cookie` never. `None` when blocked, absent or not readable.
    pub fn readable_header(&self, name: &str) -> Option<&HeaderValue> {
        let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
        if !self.exposed.readable(&name) {
            return None;
        }
        self.visible()?.headers().get(name)
    }

    /// Every response header the script can read, in the response's order;
    /// empty when blocked.
    pub fn readable_headers(&self) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
        self.visible()
            .map(Response::headers)
            .into_iter()
            .flat_map(HeaderMap::iter)
            .filter(|(name, _)| self.exposed.readable(name))
    }

    /// What is allowed today but should be known: a deviation of the engines
    /// from the standard that the fetch relies on, or what this model skipped.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The preflight as sent, if one was.
    pub fn preflight_request(&self) -> Option<&Request<()>> {
        self.preflight.as_ref().map(|exchange| &exchange.request)
    }

    /// The actual request as sent, if it was.
    pub fn actual_request(&self) -> Option<&Request<()>> {
        self.actual.as_ref().map(|exchange| &exchange.request)
    }

    /// The preflight's response as the service sent it, if a preflight was sent
    /// and answered.
    pub fn preflight_response(&self) -> Option<&Response<()>> {
        self.preflight.as_ref()?.response.as_ref().ok()
    }

    /// The actual response as the service sent it, whatever the script may
    /// see of it: a blocked fetch's status and headers are here, for the test,
    /// and nowhere for the page.
    pub fn actual_response(&self) -> Option<&Response<()>> {
        self.actual.as_ref()?.response.as_ref().ok()
    }

    /// The engine whose algorithm judged this fetch.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    fn visible(&self) -> Option<&Response<()>> {
        if self.failure.is_some() {
            return None;
        }
        self.actual.as_ref()?.response.as_ref().ok()
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Outcome {
            engine,
            method,
            url,
            origin,
            ..
        } = self;
        match &self.failure {
            None => {
                let how = match (self.same_origin, self.preflight_state) {
                    (true, _) => "same-origin, no CORS",
                    (false, Preflight::NotNeeded) => "no preflight needed",
                    (false, Preflight::Cached) => "preflight answered from the cache",
                    (false, Preflight::Sent) => "after a preflight",
                };
                write!(
                    f,
                    "{engine} allows `{method} {url}` from `{origin}` ({how})"
                )?;
                if let Some(status) = self.status() {
                    write!(f, " and the script sees status {}", status.as_u16())?;
                }
            }
            Some(failure) => {
                write!(f, "{engine} blocks `{method} {url}` from `{origin}`")?;
                if self.credentials == Credentials::Include {
                    f.write_str(" with credentials")?;
                }
                if self.actual_sent() {
                    f.write_str(
                        " (the request reached the server, the script cannot read its answer)",
                    )?;
                }
                write!(f, ": {failure}; help: {}", failure.help())?;
            }
        }
        for warning in &self.warnings {
            write!(f, "; warning: {warning}")?;
        }
        Ok(())
    }
}

struct Head<'a>(&'a Exchange);

impl fmt::Debug for Head<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let request = &self.0.request;
        writeln!(f, "  > {} {}", request.method(), request.uri())?;
        for (name, value) in request.headers() {
            writeln!(
                f,
                "  > {name}: {}",
                String::from_utf8_lossy(value.as_bytes())
            )?;
        }
        match &self.0.response {
            Ok(response) => {
                writeln!(f, "  < {}", response.status())?;
                for (name, value) in response.headers() {
                    writeln!(
                        f,
                        "  < {name}: {}",
                        String::from_utf8_lossy(value.as_bytes())
                    )?;
                }
                Ok(())
            }
            Err(error) => writeln!(f, "  < error: {error}"),
        }
    }
}

impl fmt::Debug for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{self}")?;
        if !self.dropped.is_empty() {
            writeln!(
                f,
                "dropped (forbidden request headers): {}",
                self.dropped.join(", ")
            )?;
        }
        match &self.preflight {
            Some(exchange) => write!(f, "preflight:\n{:?}", Head(exchange))?,
            None => writeln!(f, "preflight: not sent")?,
        }
        match &self.actual {
            Some(exchange) => write!(f, "actual:\n{:?}", Head(exchange)),
            None => writeln!(f, "actual: not sent"),
        }
    }
}
