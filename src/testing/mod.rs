//! A browser's side of CORS in `cargo test`, without a browser (feature `testing`).
//!
//! [`Browser::fetch`] runs the Fetch standard's client-side CORS algorithm
//! against any tower `Service`, as Chromium, Firefox or WebKit runs it for a
//! page's `fetch()`: whether a preflight is needed, what it carries, the checks
//! on both responses, the preflight cache, and which response headers the
//! script can read. No network, no browser.
//!
//! ```
//! use axum::Router;
//! use static_cors::testing::{Browser, Credentials, Engine, Fetch};
//! use static_cors::{cors, cors_route};
//!
//! #[cors(origins = ["https://app.example.com"], methods = [PUT], headers = ["content-type"], credentials)]
//! async fn update() -> &'static str {
//!     "{}"
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let app = Router::new().route("/items/1", cors_route!(update));
//! for engine in Engine::ALL {
//!     let mut browser = Browser::new(engine);
//!     let put = Fetch::new("https://app.example.com", "PUT", "https://api.example.com/items/1")
//!         .header("content-type", "application/json")
//!         .credentials(Credentials::Include)
//!         .body("{}");
//!     let outcome = browser.fetch(&app, put).await;
//!     assert!(outcome.is_allowed(), "{outcome}");
//!     assert!(outcome.preflight_sent());
//!
//!     // Another origin: the preflight fails, and the `PUT` is never sent.
//!     let outcome = browser
//!         .fetch(&app, Fetch::new("https://evil.example", "PUT", "https://api.example.com/items/1"))
//!         .await;
//!     assert!(!outcome.is_allowed());
//!     assert!(!outcome.actual_sent());
//! }
//! # }
//! ```
//!
//! Each [`Engine`] keeps its own preflight cache: the cap on
//! `Access-Control-Max-Age`, and its shape (an entry per method and header name
//! in Firefox, as the standard has it; one result per URL in Chromium and WebKit).
//! Each also treats a request header name given twice as its engine does:
//! Chromium and WebKit join the values before the safelist's 128-byte limit,
//! Firefox checks each value alone and has no 1024-byte limit on their total.
//! The browser suite runs every one of its fetches through this module too, in
//! each real engine, and fails where the two verdicts differ.
//!
//! Not modelled: cookies (none are stored or sent: credentials only change the
//! checks), redirects (a redirect response is returned as it is, with a
//! [`Warning`]), mixed content, Private Network Access, and registrable
//! domains (`Sec-Fetch-Site` is `same-origin`, `same-site` for the same scheme
//! and host on another port, else `cross-site`).

mod cache;
mod outcome;
mod request;
mod response;
mod url;

use std::fmt;
use std::future::poll_fn;
use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_LENGTH, HOST, ORIGIN};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, Uri};
use http_body_util::Full;
use tower_service::Service;

pub use outcome::{Failure, Outcome, Stage, Warning};

use cache::{Cache, Key, Lookup, Shape};
use outcome::{Exchange, Preflight};
use response::{CorsCheck, Exposed};

/// The request body type that [`Browser::fetch`] sends: the service must be a
/// `Service<http::Request<Full<Bytes>>>`. An axum `Router` is one for any body
/// type, and so is a [`CorsLayer`](crate::CorsLayer) around such a service.
pub type Body = Full<Bytes>;

/// A browser engine, whose CORS algorithm and preflight cache a [`Browser`] follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Chrome, Edge and every other Blink browser.
    Chromium,
    /// Firefox (Gecko).
    Firefox,
    /// Safari and every browser on iOS (WebKit).
    WebKit,
}

impl Engine {
    /// The three engines.
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// The longest `Access-Control-Max-Age` the engine honours, in seconds:
    /// 7200 for Chromium, 86400 for Firefox, 600 for WebKit.
    pub fn max_age_cap(self) -> u64 {
        match self {
            Engine::Chromium => 7200,
            Engine::Firefox => 86400,
            Engine::WebKit => 600,
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Chromium => "Chromium",
            Engine::Firefox => "Firefox",
            Engine::WebKit => "WebKit",
        })
    }
}

/// `fetch()`'s `credentials` option.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Credentials {
    /// `"omit"`: never credentialed.
    Omit,
    /// `"same-origin"`, `fetch()`'s default: credentialed only for a
    /// same-origin URL, so a cross-origin fetch is judged without credentials.
    #[default]
    SameOrigin,
    /// `"include"`: credentialed, so the server must send
    /// `Access-Control-Allow-Credentials: true` and no `*`.
    Include,
}

/// One call of a page's `fetch()`: its origin, method, URL, headers,
/// credentials mode and body.
///
/// A body adds no header by itself. `fetch(url, {body: "text"})` in a browser
/// also sends `content-type: text/plain;charset=UTF-8`; a test that means that
/// sets the header too: `.header("content-type", "text/plain;charset=UTF-8")`.
#[derive(Clone, Debug)]
pub struct Fetch {
    origin: String,
    method: String,
    url: String,
    headers: Vec<(String, Vec<u8>)>,
    credentials: Credentials,
    body: Option<Bytes>,
}

impl Fetch {
    /// `fetch(url, {method})` from a page of `page_origin`: an origin such as
    /// `https://app.example.com` (a page URL is taken for its origin), or
    /// `null` for an opaque origin such as a sandboxed iframe's.
    pub fn new(
        page_origin: impl Into<String>,
        method: impl Into<String>,
        url: impl Into<String>,
    ) -> Fetch {
        Fetch {
            origin: page_origin.into(),
            method: method.into(),
            url: url.into(),
            headers: Vec::new(),
            credentials: Credentials::SameOrigin,
            body: None,
        }
    }

    /// Appends one header-list entry, as each pair of `fetch()`'s sequence form
    /// does. A forbidden request header (`cookie`, `origin`, `sec-*`...) is
    /// dropped, as `fetch()` drops it.
    pub fn header(mut self, name: impl Into<String>, value: impl AsRef<[u8]>) -> Fetch {
        self.headers.push((name.into(), value.as_ref().to_vec()));
        self
    }

    /// The credentials mode; `Credentials::SameOrigin` unless set.
    pub fn credentials(mut self, credentials: Credentials) -> Fetch {
        self.credentials = credentials;
        self
    }

    /// The request body. It adds no header: see [`Fetch`].
    pub fn body(mut self, body: impl Into<Bytes>) -> Fetch {
        self.body = Some(body.into());
        self
    }
}

/// One browser profile of an engine: its preflight cache and a clock that
/// only [`Browser::advance`] moves.
#[derive(Clone, Debug)]
pub struct Browser {
    engine: Engine,
    now: Duration,
    cache: Cache,
}

/// A fetch checked and normalized as `fetch()` does before sending anything.
struct Prepared {
    origin: url::Origin,
    origin_header: HeaderValue,
    url: url::Url,
    method: Method,
    headers: Vec<(HeaderName, HeaderValue)>,
    dropped: Vec<String>,
    body: Option<Bytes>,
}

fn prepare(fetch: Fetch) -> Result<Prepared, (String, Failure)> {
    let method_text = request::normalize_method(&fetch.method);
    let shown = method_text.clone().unwrap_or_else(|_| fetch.method.clone());
    let rejected = |reason: String| (shown.clone(), Failure::Rejected { reason });
    let method_text = method_text.map_err(&rejected)?;
    let method = Method::from_bytes(method_text.as_bytes())
        .map_err(|_| rejected(format!("`{method_text}` is not a valid HTTP method")))?;
    let origin = url::parse_origin(&fetch.origin).map_err(&rejected)?;
    let origin_header = HeaderValue::from_str(&origin.serialize())
        .map_err(|_| rejected(format!("`{}` is not a valid origin", fetch.origin)))?;
    let url = url::parse_url(&fetch.url).map_err(&rejected)?;
    if fetch.body.is_some() && (method == Method::GET || method == Method::HEAD) {
        return Err(rejected(format!("a `{method}` request cannot have a body")));
    }
    let mut headers = Vec::with_capacity(fetch.headers.len());
    let mut dropped = Vec::new();
    for (name, value) in &fetch.headers {
        if !request::is_token(name.as_bytes()) {
            return Err(rejected(format!("`{name}` is not a valid header name")));
        }
        let value = request::normalize_value(value)
            .and_then(|v| HeaderValue::from_bytes(v).ok())
            .ok_or_else(|| {
                rejected(format!("the value of `{name}` is not a valid header value"))
            })?;
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| rejected(format!("`{name}` is not a valid header name")))?;
        if request::is_forbidden_header(name.as_str(), value.as_bytes()) {
            dropped.push(name.as_str().to_owned());
        } else {
            headers.push((name, value));
        }
    }
    Ok(Prepared {
        origin,
        origin_header,
        url,
        method,
        headers,
        dropped,
        body: fetch.body,
    })
}

/// Sends one request to a clone of the service; keeps the response's head.
async fn send<S, B>(
    app: &S,
    head: &Request<()>,
    body: Option<Bytes>,
) -> Result<Response<()>, String>
where
    S: Service<Request<Body>, Response = Response<B>> + Clone,
    S::Error: fmt::Display,
{
    let mut request = Request::new(body.map(Full::new).unwrap_or_default());
    *request.method_mut() = head.method().clone();
    *request.uri_mut() = head.uri().clone();
    *request.headers_mut() = head.headers().clone();
    let mut service = app.clone();
    poll_fn(|cx| service.poll_ready(cx))
        .await
        .map_err(|error| error.to_string())?;
    let response = service
        .call(request)
        .await
        .map_err(|error| error.to_string())?;
    let (parts, _body) = response.into_parts();
    Ok(Response::from_parts(parts, ()))
}

fn static_value(value: &'static str) -> HeaderValue {
    HeaderValue::from_static(value)
}

impl Browser {
    /// A fresh profile of `engine`: empty preflight cache, clock at zero.
    pub fn new(engine: Engine) -> Browser {
        Browser {
            engine,
            now: Duration::ZERO,
            cache: Cache::new(match engine {
                Engine::Chromium => Shape::ChromiumResults,
                Engine::Firefox => Shape::Entries,
                Engine::WebKit => Shape::WebKitResults,
            }),
        }
    }

    /// The engine this browser follows.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Moves the browser's clock forward: cached preflights expire after their
    /// `Access-Control-Max-Age` (5 s when absent, capped per engine).
    pub fn advance(&mut self, by: Duration) {
        self.now = self.now.saturating_add(by);
    }

    /// Empties the preflight cache, as a new private window would.
    pub fn clear_cache(&mut self) {
        self.cache.clear();
    }

    /// Runs `fetch` against `app` as this engine's `fetch()` would: the
    /// preflight when one is needed (and not cached), the checks on both
    /// responses, and then the request itself.
    ///
    /// `app` is any `Clone` tower service over `http::Request<`[`Body`]`>`, with
    /// any response body (never read). Each request goes to a clone of it, after
    /// `poll_ready`. Requests arrive as a server receives them: origin-form URI
    /// (`/path?query`) and `Host`, with `Origin` on cross-origin requests (and
    /// on same-origin ones whose method is not `GET` or `HEAD`), `Accept: */*`
    /// unless set, `Content-Length` with a body, and `Sec-Fetch-Site`,
    /// `Sec-Fetch-Mode: cors` and `Sec-Fetch-Dest: empty`.
    pub async fn fetch<S, B>(&mut self, app: &S, fetch: Fetch) -> Outcome
    where
        S: Service<Request<Body>, Response = Response<B>> + Clone,
        S::Error: fmt::Display,
    {
        let mut outcome = Outcome {
            engine: self.engine,
            method: String::new(),
            url: fetch.url.clone(),
            origin: fetch.origin.clone(),
            credentials: fetch.credentials,
            same_origin: false,
            dropped: Vec::new(),
            preflight: None,
            preflight_state: Preflight::NotNeeded,
            actual: None,
            failure: None,
            exposed: Exposed::Nothing,
            warnings: Vec::new(),
        };
        let fetch = match prepare(fetch) {
            Ok(prepared) => prepared,
            Err((method, failure)) => {
                outcome.method = method;
                outcome.failure = Some(failure);
                return outcome;
            }
        };
        outcome.method = fetch.method.as_str().to_owned();
        outcome.url.clone_from(&fetch.url.serialized);
        outcome.origin = fetch.origin.serialize();
        outcome.dropped.clone_from(&fetch.dropped);
        outcome.same_origin = fetch.origin == fetch.url.origin;
        let credentials = match outcome.credentials {
            Credentials::Omit => false,
            Credentials::SameOrigin => outcome.same_origin,
            Credentials::Include => true,
        };

        if outcome.same_origin {
            let head = self.actual_head(&fetch);
            let response = send(app, &head, fetch.body).await;
            self.finish_actual(&mut outcome, head, response, None);
            return outcome;
        }

        let names: Vec<(&str, &[u8])> = fetch
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
            .collect();
        let repeats = match self.engine {
            Engine::Firefox => request::Repeats::Separate,
            Engine::Chromium | Engine::WebKit => request::Repeats::Joined,
        };
        let unsafe_names = request::unsafe_names(&names, repeats);
        let method = fetch.method.as_str();
        let key = Key {
            origin: &outcome.origin,
            url: &fetch.url.serialized,
            credentials,
        };
        let needs_preflight = !request::is_safelisted_method(method) || !unsafe_names.is_empty();
        if needs_preflight {
            let lookup = self.cache.lookup(key, method, &unsafe_names, self.now);
            if let Lookup::Hit {
                authorization_by_wildcard,
            } = lookup
            {
                outcome.preflight_state = Preflight::Cached;
                if authorization_by_wildcard {
                    outcome.warnings.push(Warning::AuthorizationByWildcard);
                }
            } else {
                outcome.preflight_state = Preflight::Sent;
                let head = self.preflight_head(&fetch, &unsafe_names);
                let response = send(app, &head, None).await;
                let verdict = match &response {
                    Ok(response) => self.check_preflight(
                        response,
                        &fetch,
                        &unsafe_names,
                        credentials,
                        &mut outcome.warnings,
                    ),
                    Err(error) => Err(Failure::Service {
                        stage: Stage::Preflight,
                        error: error.clone(),
                    }),
                };
                outcome.preflight = Some(Exchange {
                    request: head,
                    response,
                });
                match verdict {
                    Ok((methods, headers, max_age)) => {
                        let key = Key {
                            origin: &outcome.origin,
                            url: &fetch.url.serialized,
                            credentials,
                        };
                        self.cache.store(key, &methods, &headers, max_age, self.now);
                    }
                    Err(failure) => {
                        outcome.failure = Some(failure);
                        return outcome;
                    }
                }
            }
        }

        let head = self.actual_head(&fetch);
        let response = send(app, &head, fetch.body).await;
        self.finish_actual(&mut outcome, head, response, Some(credentials));
        outcome
    }

    /// The preflight's checks, after it was answered: the CORS check, an ok
    /// status, the method and every unsafelisted header covered. On success,
    /// what to cache: its methods, header names and lifetime.
    fn check_preflight(
        &self,
        response: &Response<()>,
        fetch: &Prepared,
        unsafe_names: &[&str],
        credentials: bool,
        warnings: &mut Vec<Warning>,
    ) -> Result<(Vec<String>, Vec<String>, u64), Failure> {
        let origin = fetch.origin.serialize();
        if !response.status().is_success() {
            return Err(Failure::PreflightStatus {
                status: response.status(),
                method: fetch.method.as_str().to_owned(),
                headers: (!unsafe_names.is_empty()).then(|| unsafe_names.join(",")),
            });
        }
        let headers = response.headers();
        cors_check(headers, &origin, credentials, Stage::Preflight)?;
        let unparsable =
            |header: &'static str| move |value| Failure::UnparsableList { header, value };
        let methods = response::extract_list(headers, "access-control-allow-methods")
            .map_err(unparsable("Access-Control-Allow-Methods"))?
            .unwrap_or_default();
        let allowed_headers = response::extract_list(headers, "access-control-allow-headers")
            .map_err(unparsable("Access-Control-Allow-Headers"))?
            .unwrap_or_default();
        let method = fetch.method.as_str();
        let wildcard = |list: &[String]| !credentials && list.iter().any(|item| item == "*");
        if !methods.iter().any(|m| m == method)
            && !request::is_safelisted_method(method)
            && !wildcard(&methods)
        {
            return Err(Failure::Method {
                method: method.to_owned(),
                seen: response::get_combined(headers, "access-control-allow-methods"),
                credentials,
            });
        }
        for name in unsafe_names {
            let listed = allowed_headers.iter().any(|h| h.eq_ignore_ascii_case(name));
            if listed {
                continue;
            }
            if !wildcard(&allowed_headers) {
                return Err(Failure::Header {
                    name: (*name).to_owned(),
                    seen: response::get_combined(headers, "access-control-allow-headers"),
                    credentials,
                });
            }
            // The standard stops here for `authorization`; the engines do not.
            if *name == "authorization" {
                warnings.push(Warning::AuthorizationByWildcard);
            }
        }
        let max_age = response::max_age(headers, self.engine.max_age_cap());
        Ok((methods, allowed_headers, max_age))
    }

    /// The headers both requests carry: `Host`, then `Sec-Fetch-*`.
    fn common_headers(&self, fetch: &Prepared, headers: &mut HeaderMap) {
        if let Ok(host) = HeaderValue::from_str(&fetch.url.authority) {
            headers.insert(HOST, host);
        }
        headers.insert(
            HeaderName::from_static("sec-fetch-site"),
            static_value(fetch.origin.site(&fetch.url.origin)),
        );
        headers.insert(
            HeaderName::from_static("sec-fetch-mode"),
            static_value("cors"),
        );
        headers.insert(
            HeaderName::from_static("sec-fetch-dest"),
            static_value("empty"),
        );
    }

    fn preflight_head(&self, fetch: &Prepared, unsafe_names: &[&str]) -> Request<()> {
        let mut request = Request::new(());
        *request.method_mut() = Method::OPTIONS;
        *request.uri_mut() = Uri::from(fetch.url.target.clone());
        let headers = request.headers_mut();
        self.common_headers(fetch, headers);
        headers.insert(ACCEPT, static_value("*/*"));
        headers.insert(ORIGIN, fetch.origin_header.clone());
        if let Ok(method) = HeaderValue::from_str(fetch.method.as_str()) {
            headers.insert(http::header::ACCESS_CONTROL_REQUEST_METHOD, method);
        }
        if let Some(Ok(names)) =
            (!unsafe_names.is_empty()).then(|| HeaderValue::from_str(&unsafe_names.join(",")))
        {
            headers.insert(http::header::ACCESS_CONTROL_REQUEST_HEADERS, names);
        }
        request
    }

    fn actual_head(&self, fetch: &Prepared) -> Request<()> {
        let mut request = Request::new(());
        *request.method_mut() = fetch.method.clone();
        *request.uri_mut() = Uri::from(fetch.url.target.clone());
        let headers = request.headers_mut();
        self.common_headers(fetch, headers);
        for (name, value) in &fetch.headers {
            headers.append(name.clone(), value.clone());
        }
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, static_value("*/*"));
        }
        let same_origin = fetch.origin == fetch.url.origin;
        if !same_origin || (fetch.method != Method::GET && fetch.method != Method::HEAD) {
            headers.insert(ORIGIN, fetch.origin_header.clone());
        }
        if let Some(body) = &fetch.body {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
        }
        request
    }

    /// The actual response: its CORS check when cross-origin (`credentials` is
    /// then `Some`), and which headers the script may read.
    fn finish_actual(
        &self,
        outcome: &mut Outcome,
        head: Request<()>,
        response: Result<Response<()>, String>,
        credentials: Option<bool>,
    ) {
        match &response {
            Err(error) => {
                outcome.failure = Some(Failure::Service {
                    stage: Stage::Actual,
                    error: error.clone(),
                });
            }
            Ok(response) => {
                let headers = response.headers();
                let checked = match credentials {
                    None => Ok(Exposed::All),
                    Some(credentials) => {
                        cors_check(headers, &outcome.origin, credentials, Stage::Actual)
                            .map(|()| Exposed::from_response(headers, credentials))
                    }
                };
                match checked {
                    Ok(exposed) => outcome.exposed = exposed,
                    Err(failure) => outcome.failure = Some(failure),
                }
                if response.status().is_redirection()
                    && headers.contains_key(http::header::LOCATION)
                {
                    outcome.warnings.push(Warning::RedirectNotFollowed {
                        status: response.status(),
                    });
                }
            }
        }
        outcome.actual = Some(Exchange {
            request: head,
            response,
        });
    }
}

fn cors_check(
    headers: &HeaderMap,
    origin: &str,
    credentials: bool,
    stage: Stage,
) -> Result<(), Failure> {
    response::cors_check(headers, origin, credentials).map_err(|failed| match failed {
        CorsCheck::AllowOrigin(seen) => Failure::AllowOrigin {
            stage,
            seen,
            origin: origin.to_owned(),
            credentials,
        },
        CorsCheck::AllowCredentials(seen) => Failure::AllowCredentials { stage, seen },
    })
}

#[cfg(test)]
mod tests;
