//! One test's world: the API server, the page server, and a browser of the
//! engine that `BROWSER_ENGINE` names, with a fresh profile; plus the probe that runs a `fetch` in the page and
//! reports what the page's script could see.

use serde_json::{Value, json};

use crate::api::{self, Transfers};
use crate::browser::Browser;
use crate::differential::{Call, Model};
use crate::engine::Engine;
use crate::servers::{self, RequestLog, Server};

/// The page origins, all served by the one page server under different hosts.
#[derive(Clone, Copy, Debug)]
pub enum Page {
    /// `http://localhost:<page port>`: allowed by `http://localhost:*`.
    Localhost,
    /// `http://a.localhost:<page port>`: allowed by `http://*.localhost:*` only.
    Subdomain,
    /// `http://127.0.0.1:<page port>`: allowed by no policy of the API.
    Disallowed,
}

impl Page {
    fn host(self) -> &'static str {
        match self {
            Page::Localhost => "localhost",
            Page::Subdomain => "a.localhost",
            Page::Disallowed => "127.0.0.1",
        }
    }
}

/// How long a `fetch` may take before the probe aborts it (and reports a
/// `TimeoutError`, distinct from a CORS failure).
const FETCH_TIMEOUT_MS: u64 = 10_000;

/// Runs `fetch(url, init)` in the page and calls the WebDriver callback with a
/// JSON outcome: the status, body and the requested response headers as the
/// script sees them, or, when the fetch rejects (which is how a CORS failure
/// shows), the error's name and message.
const PROBE_JS: &str = r#"
const [url, init, headerNames, timeoutMs, done] = arguments;
fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }).then(async (response) => {
  let body = null;
  try { body = await response.text(); } catch (e) { body = 'BODY-ERROR: ' + e; }
  const headers = {};
  for (const name of headerNames) headers[name] = response.headers.get(name);
  done({ blocked: false, status: response.status, type: response.type, body, headers });
}, (e) => done({
  blocked: true,
  errorName: e && e.name,
  error: String(e && e.message !== undefined ? e.message : e),
}));
"#;

/// Posts an HTML form (`application/x-www-form-urlencoded`, no script
/// involved in the request) to `url` with the given fields, into a new iframe
/// so that the page stays (a new one each time: WebKit may drop a submission
/// into a frame whose previous one is still loading): the request a cross-site
/// attacker's page can make.
const FORM_JS: &str = r#"
const [url, fields] = arguments;
const sink = document.createElement('iframe');
sink.name = 'sink' + document.getElementsByTagName('iframe').length;
document.body.appendChild(sink);
const form = document.createElement('form');
form.method = 'post';
form.action = url;
form.target = sink.name;
for (const [name, value] of fields) {
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = name;
  input.value = value;
  form.appendChild(input);
}
document.body.appendChild(form);
form.submit();
"#;

/// How long the API may take to receive and answer a submitted form.
const FORM_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The response headers that the page reads on every fetch of
/// [`Harness::fetch`], besides those the test names, so that the model's
/// readable headers are compared on each: a safelisted one, one that only
/// `Access-Control-Expose-Headers` can expose, the ones that the API's routes
/// expose or not, and `Set-Cookie`, which no script ever reads.
const ALWAYS_READ: [&str; 6] = [
    "content-type",
    "access-control-allow-origin",
    "x-exposed",
    "x-unexposed",
    "x-raw",
    "set-cookie",
];

/// What the page's script saw of one `fetch`.
#[derive(Debug)]
pub struct Outcome {
    /// The assertion this fetch belongs to, for failure messages.
    what: String,
    /// The engine that ran it.
    engine: &'static Engine,
    /// The probe's raw JSON, shown in failure messages.
    raw: Value,
}

impl Outcome {
    fn is_blocked(&self) -> bool {
        self.raw["blocked"].as_bool() != Some(false)
    }

    /// Asserts the script got the response, and returns it.
    #[track_caller]
    pub fn readable(&self) -> &Self {
        assert!(
            !self.is_blocked(),
            "{}: the fetch should have been readable by the page, but it rejected: {}",
            self.what,
            self.raw
        );
        self
    }

    /// Asserts the browser blocked the response: the fetch rejected with the
    /// `TypeError` that a CORS failure produces in this engine.
    #[track_caller]
    pub fn blocked(&self) -> &Self {
        assert!(
            self.is_blocked(),
            "{}: the browser should have blocked the fetch, but the page read it: {}",
            self.what,
            self.raw
        );
        assert_eq!(
            (self.raw["errorName"].as_str(), self.raw["error"].as_str()),
            (Some("TypeError"), Some(self.engine.type_error)),
            "{}: a CORS failure in {} rejects with TypeError {:?}, got {}",
            self.what,
            self.engine.name,
            self.engine.type_error,
            self.raw
        );
        self
    }

    /// Asserts the response status the script saw.
    #[track_caller]
    pub fn status(&self, status: u64) -> &Self {
        assert_eq!(
            self.raw["status"].as_u64(),
            Some(status),
            "{}: status seen by the page: {}",
            self.what,
            self.raw
        );
        self
    }

    /// Asserts the response body the script read.
    #[track_caller]
    pub fn body(&self, body: &str) -> &Self {
        assert_eq!(
            self.raw["body"].as_str(),
            Some(body),
            "{}: body read by the page: {}",
            self.what,
            self.raw
        );
        self
    }

    /// The `name` of the error with which the fetch rejected (`None` when it
    /// did not).
    pub fn error_name(&self) -> Option<&str> {
        self.raw["errorName"].as_str()
    }

    /// The response body the script read (`""` when blocked).
    pub fn text(&self) -> &str {
        self.raw["body"].as_str().unwrap_or_default()
    }

    /// Asserts what `response.headers.get(name)` returned to the script
    /// (`None` for `null`); `name` must have been passed to [`Harness::fetch`].
    #[track_caller]
    pub fn header(&self, name: &str, value: Option<&str>) -> &Self {
        let seen = &self.raw["headers"][name];
        assert!(
            seen.is_null() || seen.is_string(),
            "{}: header {name} was not read by the probe: {}",
            self.what,
            self.raw
        );
        assert_eq!(
            seen.as_str(),
            value,
            "{}: response.headers.get({name:?}) in the page: {}",
            self.what,
            self.raw
        );
        self
    }
}

/// The request options of a `POST` of `body` as `application/json`: not a
/// CORS-safelisted content type, so the browser preflights it.
pub fn json_post(body: &str) -> Value {
    json!({
        "method": "POST",
        "headers": { "content-type": "application/json" },
        "body": body,
    })
}

/// The API server, the page server and the browser of one test.
pub struct Harness {
    browser: Browser,
    /// Every request the API server received.
    pub log: RequestLog,
    /// The value of the session cookie that this harness's API sets.
    pub session: String,
    /// The transfers that this harness's API carried out.
    pub transfers: Transfers,
    api: Server,
    pages: Server,
    /// `static_cors::testing` for the same engine and API: each fetch is also
    /// run through it, and the verdicts compared.
    model: Model,
    /// The origin of the page that is open, checked by [`Harness::open_url`].
    page: std::sync::Mutex<Option<String>>,
}

impl Harness {
    /// Starts the servers and the browser. A failure to start is a test failure
    /// (a panic naming what failed), never a skip.
    pub async fn start() -> Self {
        match Self::try_start().await {
            Ok(harness) => harness,
            Err(e) => panic!("the browser test harness could not start: {e}"),
        }
    }

    async fn try_start() -> Result<Self, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let session = format!("s{}x{nanos}", std::process::id());
        let transfers = Transfers::default();
        let app = api::app(&session, transfers.clone()).merge(crate::differences::routes());
        let (api, log) = servers::start_api(app.clone())
            .await
            .map_err(|e| format!("API server: {e}"))?;
        let pages = servers::start_pages()
            .await
            .map_err(|e| format!("page server: {e}"))?;
        let browser = Browser::start().await?;
        let model = Model::new(browser.engine().model, app);
        Ok(Self {
            browser,
            log,
            session,
            transfers,
            api,
            pages,
            model,
            page: std::sync::Mutex::new(None),
        })
    }

    /// The engine of this harness's browser.
    pub fn engine(&self) -> &'static Engine {
        self.browser.engine()
    }

    /// The API's URL for `path`: `http://localhost:<api port><path>`.
    pub fn api(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.api.addr.port())
    }

    /// The serialized origin of `page`.
    pub fn origin(&self, page: Page) -> String {
        format!("http://{}:{}", page.host(), self.pages.addr.port())
    }

    /// Navigates to `page` and checks that the document really has its origin.
    pub async fn open(&self, page: Page) {
        let origin = self.origin(page);
        self.open_url(&format!("{origin}/"), &origin).await;
    }

    /// Navigates to `url` and checks that the document's origin is `origin`.
    pub async fn open_url(&self, url: &str, origin: &str) {
        if let Err(e) = self.browser.goto(url).await {
            panic!("cannot open the test page {url}: {e}");
        }
        let seen = self
            .browser
            .execute("return location.origin", vec![])
            .await
            .unwrap_or_else(|e| panic!("cannot read location.origin of {url}: {e}"));
        assert_eq!(
            seen.as_str(),
            Some(origin),
            "the test page has the wrong origin"
        );
        *self.page.lock().expect("page poisoned") = Some(origin.to_owned());
    }

    /// Runs `fetch(<api path>, init)` in the current page, reading the response
    /// headers named in `headers`, and runs the same fetch through
    /// `static_cors::testing` (see [`crate::differential`]): a verdict that
    /// differs from the real engine's fails the test. `what` names the
    /// assertion in failure messages.
    pub async fn fetch(&self, what: &str, path: &str, init: Value, headers: &[&str]) -> Outcome {
        let url = self.api(path);
        let mut headers = headers.to_vec();
        for name in ALWAYS_READ {
            if !headers.contains(&name) {
                headers.push(name);
            }
        }
        let headers = headers.as_slice();
        let before = self.log.count();
        let outcome = self.probe(what, &url, init.clone(), headers).await;
        let requests = self.log.since(before);
        let origin = self
            .page
            .lock()
            .expect("page poisoned")
            .clone()
            .unwrap_or_else(|| panic!("{what}: fetch before any page was opened"));
        let call = Call {
            origin: &origin,
            url: &url,
            init: &init,
            header_names: headers,
        };
        self.model.check(what, call, &outcome.raw, &requests).await;
        outcome
    }

    /// [`Harness::fetch`] without the model: only for a fetch whose outcome
    /// depends on what `static_cors::testing` does not model, named by `why`.
    pub async fn fetch_unmodelled(
        &self,
        what: &str,
        why: &str,
        path: &str,
        init: Value,
        headers: &[&str],
    ) -> Outcome {
        eprintln!("{what}: not run through the model: {why}");
        self.probe(what, &self.api(path), init, headers).await
    }

    /// Runs `fetch(url, init)` in the current page.
    async fn probe(&self, what: &str, url: &str, init: Value, headers: &[&str]) -> Outcome {
        let raw = self
            .browser
            .execute_async(
                PROBE_JS,
                vec![json!(url), init, json!(headers), json!(FETCH_TIMEOUT_MS)],
            )
            .await
            .unwrap_or_else(|e| panic!("{what}: the fetch probe for {url} failed: {e}"));
        eprintln!("{what}: fetch {url} -> {raw}");
        Outcome {
            what: what.to_owned(),
            engine: self.engine(),
            raw,
        }
    }

    /// Submits an HTML form with `fields` from the current page to the API's
    /// `path` by `POST`, and waits until the API has answered it (the answer
    /// goes to an iframe, where the page's script cannot read it).
    pub async fn submit_form(&self, what: &str, path: &str, fields: &[(&str, &str)]) {
        self.submit_form_to(what, &self.api(path), &self.log, path, fields)
            .await;
    }

    /// Submits an HTML form with `fields` from the current page to `url`, whose
    /// path is `path`, by `POST`, and waits until the server that keeps `log`
    /// has answered it: [`Harness::submit_form`] to any server.
    pub async fn submit_form_to(
        &self,
        what: &str,
        url: &str,
        log: &RequestLog,
        path: &str,
        fields: &[(&str, &str)],
    ) {
        let before = log.requests("POST", path).len();
        self.browser
            .execute(FORM_JS, vec![json!(url), json!(fields)])
            .await
            .unwrap_or_else(|e| panic!("{what}: submitting the form to {url} failed: {e}"));
        let deadline = tokio::time::Instant::now() + FORM_TIMEOUT;
        while log.requests("POST", path).len() == before {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{what}: the API received no POST {path} within {FORM_TIMEOUT:?} of the form's submission"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        eprintln!("{what}: form posted to {url}");
    }

    /// Asserts the statuses with which the API answered the `method` requests
    /// to `path`, in order: how many requests it received, and what it said.
    /// (Preflights are the `OPTIONS` requests; `&[]` means none arrived.)
    #[track_caller]
    pub fn expect_answers(&self, what: &str, method: &str, path: &str, expected: &[u16]) {
        let seen = self.log.statuses(method, path);
        eprintln!("{what}: the API answered {method} {path} with {seen:?}");
        assert_eq!(
            seen, expected,
            "{what}: statuses of the {method} requests to {path} answered by the API server \
             (one per request received)"
        );
    }

    /// Ends the browser session; dropping the harness stops everything else.
    pub async fn shutdown(self) {
        self.browser.shutdown().await;
    }
}
