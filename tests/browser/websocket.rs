//! WebSockets in the browser: the origin list of `examples/websocket.rs` guards
//! the handshake of its `/ws` (`csrf`), and not that of its `/ws-open`
//! (`csrf = false`). Browsers apply no CORS to WebSockets: a page on any origin
//! can open a socket and read it, unless the server refuses the handshake.
//!
//! The example's app is the API, behind the request log of [`servers`]. Its
//! policy allows `http://localhost:5173` only, so the pages are served on port
//! 5173: as `http://localhost:5173` (allowed) and `http://127.0.0.1:5173`
//! (another origin, allowed by nothing).

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::servers::{self, RequestLog, Server};
use crate::websocket_example as example;

/// The port of the front end that the example's policies allow.
const FRONT_END_PORT: u16 = 5173;

/// How long the page server waits for port 5173 to be free.
const PORT_WAIT: Duration = Duration::from_secs(60);

/// How long a socket may take to open, echo and close.
const SOCKET_TIMEOUT_MS: u64 = 10_000;

/// Opens `new WebSocket(url)` in the page, sends `message` once it is open and
/// closes it after the first message; calls back with whether it opened, the
/// echo, the close code and the events in order.
const SOCKET_JS: &str = r#"
const [url, message, timeoutMs, done] = arguments;
const events = [];
let opened = false, echo = null, socket;
try { socket = new WebSocket(url); } catch (e) {
  done({ opened, echo, events, thrown: String(e) });
  return;
}
const timer = setTimeout(() => done({ opened, echo, events, timeout: true }), timeoutMs);
socket.onopen = () => { opened = true; events.push('open'); socket.send(message); };
socket.onmessage = (e) => { echo = e.data; events.push('message'); socket.close(1000); };
socket.onerror = () => events.push('error');
socket.onclose = (e) => {
  events.push('close');
  clearTimeout(timer);
  done({ opened, echo, events, code: e.code });
};
"#;

/// Serves the test page on `127.0.0.1:5173`, under any `Host`. The port is the
/// example's front end; another program may hold it for a while, so the server
/// waits for it, and fails with the reason when it stays taken.
async fn start_front_end() -> Result<tokio::task::JoinHandle<()>, String> {
    let page = |headers: axum::http::HeaderMap| async move {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("?")
            .to_owned();
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            format!(
                "<!doctype html><html><head><meta charset=utf-8><title>websocket</title>\
                 <link rel=icon href=data:,></head><body><p>{host}</p></body></html>"
            ),
        )
            .into_response()
    };
    let deadline = tokio::time::Instant::now() + PORT_WAIT;
    let listener = loop {
        match tokio::net::TcpListener::bind(("127.0.0.1", FRONT_END_PORT)).await {
            Ok(listener) => break listener,
            Err(e) if tokio::time::Instant::now() < deadline => {
                eprintln!("[websocket] port {FRONT_END_PORT} is taken ({e}); waiting");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => {
                return Err(format!(
                    "the front end needs 127.0.0.1:{FRONT_END_PORT}, the origin that the example \
                     allows, and it stayed taken for {PORT_WAIT:?}: {e}"
                ));
            }
        }
    };
    let app = Router::new().fallback(page);
    Ok(tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    }))
}

/// The example's counts, `(ws, ws_open)`, read by the test over HTTP.
async fn upgrades(api: SocketAddr) -> (u64, u64) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let mut stream = tokio::net::TcpStream::connect(api).await.unwrap();
    let raw = format!("GET /upgrades HTTP/1.1\r\nhost: {api}\r\nconnection: close\r\n\r\n");
    stream.write_all(raw.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let (_, body) = answer
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("GET /upgrades answered without a body: {answer}"));
    let counts: Value = serde_json::from_str(body).unwrap();
    (
        counts["ws"].as_u64().unwrap(),
        counts["ws_open"].as_u64().unwrap(),
    )
}

/// The example's API, the front end on port 5173, and a browser.
struct World {
    browser: Browser,
    api: Server,
    log: RequestLog,
    front_end: tokio::task::JoinHandle<()>,
}

impl World {
    async fn start() -> Self {
        let started = async {
            let app = example::app(example::Upgrades::default());
            let (api, log) = servers::start_api(app)
                .await
                .map_err(|e| format!("API server: {e}"))?;
            let front_end = start_front_end().await?;
            let browser = Browser::start().await?;
            Ok::<_, String>(Self {
                browser,
                api,
                log,
                front_end,
            })
        };
        match started.await {
            Ok(world) => world,
            Err(e) => panic!("the WebSocket browser test could not start: {e}"),
        }
    }

    /// Navigates to the page on `host:5173` and checks its origin.
    async fn open_page(&self, host: &str) {
        let origin = format!("http://{host}:{FRONT_END_PORT}");
        if let Err(e) = self.browser.goto(&format!("{origin}/")).await {
            panic!("cannot open the page {origin}/: {e}");
        }
        let seen = self
            .browser
            .execute("return location.origin", vec![])
            .await
            .unwrap_or_else(|e| panic!("cannot read the origin of {origin}/: {e}"));
        assert_eq!(seen.as_str(), Some(origin.as_str()), "the page's origin");
    }

    /// Opens a socket to the API's `path` from the current page.
    async fn socket(&self, what: &str, path: &str, message: &str) -> Value {
        let url = format!("ws://localhost:{}{path}", self.api.addr.port());
        let outcome = self
            .browser
            .execute_async(
                SOCKET_JS,
                vec![json!(url), json!(message), json!(SOCKET_TIMEOUT_MS)],
            )
            .await
            .unwrap_or_else(|e| panic!("{what}: the socket probe for {url} failed: {e}"));
        eprintln!("{what}: new WebSocket({url}) -> {outcome}");
        assert!(
            outcome.get("timeout").is_none() && outcome.get("thrown").is_none(),
            "{what}: the socket neither opened nor closed: {outcome}"
        );
        outcome
    }

    async fn shutdown(self) {
        self.browser.shutdown().await;
        self.front_end.abort();
    }
}

/// 15. The origin list guards the WebSocket handshake of `/ws` (`csrf`): the
/// allowed page opens it and reads its echo; a page elsewhere sees it close
/// without opening, and its handler never runs; the same page opens
/// `/ws-open` (`csrf = false`), which is what the guard is for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_origin_list_guards_websocket_handshakes() {
    let world = World::start().await;
    let api = world.api.addr;
    assert_eq!(upgrades(api).await, (0, 0));

    const ALLOWED: &str = "[15 /ws from http://localhost:5173]";
    world.open_page("localhost").await;
    let outcome = world
        .socket(ALLOWED, "/ws", "hello from the front end")
        .await;
    assert_eq!(outcome["opened"], true, "{ALLOWED}: {outcome}");
    assert_eq!(
        outcome["echo"], "hello from the front end",
        "{ALLOWED}: {outcome}"
    );
    assert_eq!(outcome["code"], 1000, "{ALLOWED}: a clean close: {outcome}");
    assert_eq!(upgrades(api).await, (1, 0), "{ALLOWED}: the counts");
    assert_eq!(world.log.statuses("GET", "/ws"), [101], "{ALLOWED}");

    const REFUSED: &str = "[15 /ws from http://127.0.0.1:5173]";
    world.open_page("127.0.0.1").await;
    let outcome = world.socket(REFUSED, "/ws", "hello from elsewhere").await;
    assert_eq!(outcome["opened"], false, "{REFUSED}: {outcome}");
    assert_eq!(outcome["echo"], Value::Null, "{REFUSED}: {outcome}");
    assert_eq!(
        outcome["events"],
        json!(["error", "close"]),
        "{REFUSED}: {outcome}"
    );
    assert_eq!(outcome["code"], 1006, "{REFUSED}: an abnormal closure");
    assert_eq!(
        world.log.statuses("GET", "/ws"),
        [101, 403],
        "{REFUSED}: the API refused the handshake"
    );
    let seen = world.log.requests("GET", "/ws");
    assert_eq!(
        seen[1].origin.as_deref(),
        Some(format!("http://127.0.0.1:{FRONT_END_PORT}").as_str()),
        "{REFUSED}: the Origin of the handshake"
    );
    assert_eq!(upgrades(api).await, (1, 0), "{REFUSED}: the counts");

    const OPEN: &str = "[15 /ws-open from http://127.0.0.1:5173]";
    let outcome = world.socket(OPEN, "/ws-open", "hello from elsewhere").await;
    assert_eq!(outcome["opened"], true, "{OPEN}: {outcome}");
    assert_eq!(outcome["echo"], "hello from elsewhere", "{OPEN}: {outcome}");
    assert_eq!(outcome["code"], 1000, "{OPEN}: a clean close: {outcome}");
    assert_eq!(upgrades(api).await, (1, 1), "{OPEN}: the counts");
    assert_eq!(world.log.statuses("GET", "/ws-open"), [101], "{OPEN}");
    world.shutdown().await;
}
