//! The two in-process HTTP servers of a harness: the page server (the origins
//! the fetches come *from*) and the API server (the `#[cors]` app they go *to*),
//! with a log of every request the API received.
//!
//! The log is a middleware around the whole API router, so it sees every
//! request, preflights included, which `cors_route!` answers without calling a
//! handler. It records a request with the status of its response before it
//! hands the response on, so by the time the browser has the response, the
//! request is in the log.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::task::JoinHandle;

/// One request as the API server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// The request method.
    pub method: String,
    /// The request path.
    pub path: String,
    /// The `Origin` header.
    pub origin: Option<String>,
    /// The `Cookie` header.
    pub cookie: Option<String>,
    /// The `Sec-Fetch-Site` header.
    pub fetch_site: Option<String>,
    /// Every request header, as received.
    pub headers: HeaderMap,
    /// The request body, as received (empty for none).
    pub body: Vec<u8>,
    /// The status of the API's response.
    pub status: u16,
}

/// Every request the API server received, in order. Cheap to clone.
#[derive(Clone, Default)]
pub struct RequestLog(Arc<Mutex<Vec<Seen>>>);

impl RequestLog {
    /// The requests to `path` with `method`.
    pub fn requests(&self, method: &str, path: &str) -> Vec<Seen> {
        self.0
            .lock()
            .expect("request log poisoned")
            .iter()
            .filter(|s| s.method == method && s.path == path)
            .cloned()
            .collect()
    }

    /// How many requests the server has received so far.
    pub fn count(&self) -> usize {
        self.0.lock().expect("request log poisoned").len()
    }

    /// The requests received after the first `count`, in order.
    pub fn since(&self, count: usize) -> Vec<Seen> {
        let log = self.0.lock().expect("request log poisoned");
        log.get(count..).unwrap_or_default().to_vec()
    }

    /// The response statuses of the requests to `path` with `method`, in order.
    pub fn statuses(&self, method: &str, path: &str) -> Vec<u16> {
        self.requests(method, path)
            .iter()
            .map(|s| s.status)
            .collect()
    }
}

/// The most bytes of a request body that the log reads.
const BODY_LIMIT: usize = 1 << 20;

/// The middleware that fills the [`RequestLog`].
/// The body is read whole (at most [`BODY_LIMIT`] bytes, else `413`) and handed
/// on as received.
async fn record(State(log): State<RequestLog>, request: Request, next: Next) -> Response {
    let mut seen = seen(&request);
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    seen.body = body.to_vec();
    let request = Request::from_parts(parts, axum::body::Body::from(body));
    let response = next.run(request).await;
    seen.status = response.status().as_u16();
    log.0.lock().expect("request log poisoned").push(seen);
    response
}

/// What the log keeps of `request` (the status is filled in later). (Not inline in [`record`]: a borrow of the
/// request, whose body is not `Sync`, must not live across its `.await`.)
fn seen(request: &Request) -> Seen {
    let header = |name: header::HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Seen {
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
        origin: header(header::ORIGIN),
        cookie: header(header::COOKIE),
        fetch_site: header(header::HeaderName::from_static("sec-fetch-site")),
        headers: request.headers().clone(),
        body: Vec::new(),
        status: 0,
    }
}

/// A server running on a task of the test's runtime, stopped on drop.
pub struct Server {
    /// The address it listens on (`127.0.0.1:<port>`).
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `app` on a free port of `ip`, chosen by the OS.
async fn serve_on(ip: std::net::IpAddr, app: Router) -> std::io::Result<Server> {
    let listener = tokio::net::TcpListener::bind((ip, 0)).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Server { addr, task })
}

/// Serves the API `app`, reached by the browser as `http://localhost:<port>`,
/// with a log of its requests.
pub async fn start_api(app: Router) -> std::io::Result<(Server, RequestLog)> {
    start_api_on(std::net::Ipv4Addr::LOCALHOST.into(), app).await
}

/// Serves the API `app` on `ip`, with a log of its requests.
pub async fn start_api_on(
    ip: std::net::IpAddr,
    app: Router,
) -> std::io::Result<(Server, RequestLog)> {
    let log = RequestLog::default();
    let app = app.layer(middleware::from_fn_with_state(log.clone(), record));
    Ok((serve_on(ip, app).await?, log))
}

/// Serves the test page on every path and under every `Host`, so that one
/// server is several origins: `http://localhost:<port>`,
/// `http://a.localhost:<port>` and `http://127.0.0.1:<port>`.
pub async fn start_pages() -> std::io::Result<Server> {
    start_pages_on(std::net::Ipv4Addr::LOCALHOST.into()).await
}

/// The test page, served on every path and under every `Host`.
pub async fn page(headers: HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("?");
    let html = format!(
        "<!doctype html><html><head><meta charset=utf-8><title>static-cors browser suite</title>\
             <link rel=icon href=data:,></head><body><p id=host>{host}</p></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// Serves the test page (see [`start_pages`]) on `ip`.
pub async fn start_pages_on(ip: std::net::IpAddr) -> std::io::Result<Server> {
    let app = Router::new()
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .fallback(page);
    serve_on(ip, app).await
}
