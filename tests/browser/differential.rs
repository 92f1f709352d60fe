//! The differential between the real engine and `static_cors::testing`: every
//! `fetch` that a test makes through [`crate::harness::Harness::fetch`] is also
//! run through a [`testing::Browser`] of the same engine, against a clone of
//! the same API `Router`, called in-process (so the API server's log shows the
//! real browser's requests only). The two verdicts must agree on:
//!
//! - allowed or blocked (the promise resolves, or rejects);
//! - how many preflights reached the API (the model: one, or none when it
//!   needed none or its cache answered);
//! - how many actual requests reached the API;
//! - the status the script saw;
//! - what `response.headers.get(name)` gave the script, for every name the
//!   test asked the page about.
//!
//! A disagreement fails the test and prints both sides: what the page and the
//! API server saw, and the model's `Outcome` (its `Display`, then its `Debug`
//! with both exchanges).
//!
//! The model's profile lives as long as the browser session, so its preflight
//! cache sees the same fetches in the same order; its clock follows the real
//! one (before each fetch it is advanced by the real time elapsed since the
//! previous one), so an entry expires in the model when it does in the engine.
//!
//! Not fetches, and so not here: HTML form posts (test 14, `csrf`) and
//! WebSockets (test 15). Nor is the one fetch whose outcome is Private (Local)
//! Network Access, which the model does not implement.

use std::fmt;
use std::sync::Mutex;
use std::time::Instant;

use axum::Router;
use serde_json::Value;
use static_cors::testing::{self, Credentials, Fetch};

use crate::servers::Seen;

/// The `content-type` that `fetch` adds to a string body when the request's
/// headers have none (Fetch, "extract a body").
const TEXT_PLAIN: &str = "text/plain;charset=UTF-8";

/// The model's side of one harness: the API `Router` and a profile of the
/// harness's engine.
pub struct Model {
    app: Router,
    profile: Mutex<Profile>,
}

/// One `fetch(url, init)` from a page of `origin`, reading `header_names`.
pub struct Call<'a> {
    /// The origin of the page that made it.
    pub origin: &'a str,
    /// The URL it fetched.
    pub url: &'a str,
    /// Its options, as passed to `fetch`.
    pub init: &'a Value,
    /// The response headers the page read with `response.headers.get`.
    pub header_names: &'a [&'a str],
}

/// A model browser and the real instant its clock last caught up with.
#[derive(Clone)]
struct Profile {
    browser: testing::Browser,
    synced: Instant,
}

/// One verdict, from either side, in the terms both can state.
#[derive(Debug, PartialEq, Eq)]
struct Verdict {
    allowed: bool,
    preflights: usize,
    actual_requests: usize,
    status: Option<u16>,
    /// `response.headers.get(name)` for each name the test asked about.
    headers: Vec<(String, Option<String>)>,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, {} preflight(s) and {} actual request(s) sent, status {:?}, readable headers {:?}",
            if self.allowed { "allowed" } else { "blocked" },
            self.preflights,
            self.actual_requests,
            self.status,
            self.headers
        )
    }
}

impl Model {
    /// A fresh profile of `engine` (empty cache, clock at zero, now) for `app`.
    pub fn new(engine: testing::Engine, app: Router) -> Self {
        Self {
            app,
            profile: Mutex::new(Profile {
                browser: testing::Browser::new(engine),
                synced: Instant::now(),
            }),
        }
    }

    /// Runs the fetch that the page just made through the model, and asserts
    /// that its verdict is the real one: `raw` is what the probe in the page
    /// reported, `requests` what the API server received during the fetch.
    pub async fn check(&self, what: &str, call: Call<'_>, raw: &Value, requests: &[Seen]) {
        let Call {
            origin,
            url,
            init,
            header_names,
        } = call;
        let fetch = to_fetch(origin, url, init)
            .unwrap_or_else(|e| panic!("{what}: the differential cannot state this fetch: {e}"));
        // The profile is taken out for the fetch and put back after it: the
        // harness's fetches are sequential, and no lock is held across `.await`.
        let mut profile = self.profile.lock().expect("model poisoned").clone();
        let now = Instant::now();
        profile.browser.advance(now - profile.synced);
        profile.synced = now;
        let outcome = profile.browser.fetch(&self.app, fetch).await;
        *self.profile.lock().expect("model poisoned") = profile;

        let real = real_verdict(raw, requests, header_names);
        let model = model_verdict(&outcome, header_names);
        eprintln!("{what}: the model ({}) agrees: {outcome}", outcome.engine());
        assert!(
            real == model,
            "{what}: the real engine and static_cors::testing disagree on fetch({url}, {init}) \
             from {origin}\n\
             real engine: {real}\n  page saw: {raw}\n  API server received: {requests:#?}\n\
             model:       {model}\n  {outcome}\n  {outcome:?}"
        );
    }
}

/// The model's request for `fetch(url, init)` from a page of `origin`, with
/// the header that `fetch` adds to a string body.
fn to_fetch(origin: &str, url: &str, init: &Value) -> Result<Fetch, String> {
    let options = init
        .as_object()
        .ok_or_else(|| format!("the options {init} are not an object"))?;
    let text = |key: &str, value: &Value| {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("option `{key}` is not a string: {value}"))
    };
    let mut method = "GET".to_owned();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut credentials = Credentials::SameOrigin;
    let mut body = None;
    for (key, value) in options {
        match key.as_str() {
            "method" => method = text(key, value)?,
            "headers" => match value {
                Value::Object(map) => {
                    for (name, value) in map {
                        headers.push((name.clone(), text(name, value)?));
                    }
                }
                Value::Array(pairs) => {
                    for pair in pairs {
                        match pair.as_array().map(Vec::as_slice) {
                            Some([name, value]) => {
                                headers.push((text("headers", name)?, text("headers", value)?));
                            }
                            _ => return Err(format!("header pair {pair} is not [name, value]")),
                        }
                    }
                }
                _ => {
                    return Err(format!(
                        "option `headers` is neither a record nor pairs: {value}"
                    ));
                }
            },
            "credentials" => {
                credentials = match value.as_str() {
                    Some("omit") => Credentials::Omit,
                    Some("same-origin") => Credentials::SameOrigin,
                    Some("include") => Credentials::Include,
                    _ => return Err(format!("option `credentials` is {value}")),
                }
            }
            "body" => body = Some(text(key, value)?),
            other => return Err(format!("the model has no `{other}` option")),
        }
    }
    if body.is_some()
        && !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("content-type".to_owned(), TEXT_PLAIN.to_owned()));
    }
    let mut fetch = Fetch::new(origin, method, url).credentials(credentials);
    for (name, value) in headers {
        fetch = fetch.header(name, value);
    }
    if let Some(body) = body {
        fetch = fetch.body(body);
    }
    Ok(fetch)
}

/// A preflight, as the API server saw it: an `OPTIONS` request that names the
/// method it asks for.
fn is_preflight(seen: &Seen) -> bool {
    seen.method == "OPTIONS" && seen.headers.contains_key("access-control-request-method")
}

/// The real engine's verdict: the page's view of the fetch and the requests
/// that the API server received while it ran.
fn real_verdict(raw: &Value, requests: &[Seen], header_names: &[&str]) -> Verdict {
    let allowed = raw["blocked"].as_bool() == Some(false);
    let preflights = requests.iter().filter(|seen| is_preflight(seen)).count();
    Verdict {
        allowed,
        preflights,
        actual_requests: requests.len() - preflights,
        status: raw["status"]
            .as_u64()
            .and_then(|status| u16::try_from(status).ok())
            .filter(|_| allowed),
        headers: header_names
            .iter()
            .map(|name| {
                let seen = raw["headers"][*name].as_str().map(str::to_owned);
                ((*name).to_owned(), seen.filter(|_| allowed))
            })
            .collect(),
    }
}

/// The model's verdict, stated as the real one is: a header the script reads
/// is every readable line of that name, joined by `, ` as `Headers.get` does.
fn model_verdict(outcome: &testing::Outcome, header_names: &[&str]) -> Verdict {
    Verdict {
        allowed: outcome.is_allowed(),
        preflights: usize::from(outcome.preflight_sent()),
        actual_requests: usize::from(outcome.actual_sent()),
        status: outcome.status().map(|status| status.as_u16()),
        headers: header_names
            .iter()
            .map(|name| {
                let lines: Vec<String> = outcome
                    .readable_headers()
                    .filter(|(seen, _)| seen.as_str().eq_ignore_ascii_case(name))
                    .map(|(_, value)| String::from_utf8_lossy(value.as_bytes()).into_owned())
                    .collect();
                (
                    (*name).to_owned(),
                    (!lines.is_empty()).then(|| lines.join(", ")),
                )
            })
            .collect(),
    }
}
