//! WebSocket handshakes under `csrf` (contract section 10): the policy's origins
//! guard the handshake, in every front end.
//!
//! - `examples/websocket.rs` is the fixture: its `/ws` (`csrf`) and `/ws-open`
//!   (`csrf = false`) are driven through its own router with `oneshot`, and on a
//!   real server on loopback with a real WebSocket client, watching its upgrade
//!   counts;
//! - a `CorsLayer` of `cors_policy!(.., csrf)`, and routes whose policies are
//!   built at run time by `Policy::builder` and from a `PolicyConfig`, refuse
//!   the same handshakes (the layer on a real server too, where the sockets it
//!   lets through open and echo);
//! - the HTTP/2 form, an extended `CONNECT`, at the service level.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode, Version};
use axum::response::Response;
use axum::routing::any;
use futures_util::{SinkExt, StreamExt};
use http_body_util::BodyExt;
use serde_json::Value;
use static_cors::runtime::PolicyConfig;
use static_cors::{CorsLayer, CorsRoute, Policy, cors_policy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tower::ServiceExt;

#[path = "../examples/websocket.rs"]
#[allow(dead_code)] // its `main`
mod example;

/// The origin that the example's policies allow.
const FRONT_END: &str = "http://localhost:5173";
/// A page elsewhere.
const EVIL: &str = "http://evil.example";

/// The header lines of an HTTP/1.1 handshake, as browsers send them.
const HANDSHAKE: [(&str, &str); 4] = [
    ("upgrade", "websocket"),
    ("connection", "Upgrade"),
    ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ("sec-websocket-version", "13"),
];

/// A handshake to `path` of the server `host`, with these extra lines.
fn handshake(path: &str, host: &str, lines: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::get(path).header("host", host);
    for (name, value) in HANDSHAKE.iter().chain(lines) {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).unwrap()
}

async fn body(response: Response) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

/// The answer of a refused handshake: `403`, empty, `Vary: Origin` only.
async fn assert_refused(response: Response, case: &str) {
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "{case}");
    assert_eq!(response.headers()["vary"], "Origin", "{case}");
    assert!(
        !response
            .headers()
            .contains_key("access-control-allow-origin"),
        "{case}"
    );
    assert!(body(response).await.is_empty(), "{case}");
}

/// Which handshakes a `csrf` policy allowing [`FRONT_END`] refuses, at a server
/// `host`: (the extra lines, whether refused).
fn cases(host: &'static str) -> Vec<(Vec<(&'static str, String)>, bool)> {
    let line = |name, value: &str| (name, value.to_owned());
    vec![
        (vec![line("origin", FRONT_END)], false),
        (
            vec![
                line("origin", FRONT_END),
                line("sec-fetch-site", "cross-site"),
            ],
            false,
        ),
        (
            vec![line("origin", EVIL), line("sec-fetch-site", "cross-site")],
            true,
        ),
        (
            vec![line("origin", EVIL), line("sec-fetch-site", "same-site")],
            true,
        ),
        (vec![line("origin", EVIL)], true),
        (vec![line("origin", "null")], true),
        (
            vec![line("origin", EVIL), line("sec-fetch-site", "same-origin")],
            false,
        ),
        (
            vec![line("origin", EVIL), line("sec-fetch-site", "none")],
            false,
        ),
        // Not from a browser.
        (vec![], false),
        // From a page of the server itself, in a browser without Fetch metadata.
        (vec![line("origin", &format!("http://{host}"))], false),
    ]
}

#[tokio::test]
async fn the_example_refuses_cross_origin_handshakes_before_its_handler() {
    let app = example::app(example::Upgrades::default());
    let host = "127.0.0.1:3000";
    for (lines, refused) in cases(host) {
        let lines: Vec<(&str, &str)> = lines.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let case = format!("{lines:?}");
        for path in ["/ws", "/ws-open"] {
            let response = app
                .clone()
                .oneshot(handshake(path, host, &lines))
                .await
                .unwrap();
            if refused && path == "/ws" {
                assert_refused(response, &case).await;
            } else {
                // Past the policy: axum's extractor answers, since `oneshot`
                // has no connection to upgrade.
                assert_eq!(
                    response.status(),
                    StatusCode::UPGRADE_REQUIRED,
                    "{path} {case}"
                );
            }
        }
    }
    let counts = app
        .oneshot(Request::get("/upgrades").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let counts: Value = serde_json::from_slice(&body(counts).await).unwrap();
    assert_eq!(counts, serde_json::json!({"ws": 0, "ws_open": 0}));
}

#[tokio::test]
async fn a_plain_get_is_not_a_handshake() {
    let app = example::app(example::Upgrades::default());
    let request = |upgrade: &'static str, connection: &'static str| {
        Request::get("/ws")
            .header("host", "127.0.0.1:3000")
            .header("origin", EVIL)
            .header("sec-fetch-site", "cross-site")
            .header("upgrade", upgrade)
            .header("connection", connection)
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
            .header("sec-websocket-version", "13")
            .body(Body::empty())
            .unwrap()
    };
    // Without both tokens, it is not a handshake: the policy lets it through,
    // and axum's extractor refuses to upgrade it.
    for (upgrade, connection) in [("websocket", "keep-alive"), ("h2c", "upgrade")] {
        let response = app
            .clone()
            .oneshot(request(upgrade, connection))
            .await
            .unwrap();
        assert_ne!(response.status(), StatusCode::FORBIDDEN);
        assert!(response.status().is_client_error());
    }
    let response = app
        .oneshot(request("WebSocket", "keep-alive, Upgrade"))
        .await
        .unwrap();
    assert_refused(response, "tokens in lists, any case").await;
}

/// A handler that counts its calls and answers `200`, for the front ends
/// other than the example.
async fn counted(State(calls): State<Arc<AtomicUsize>>) -> &'static str {
    calls.fetch_add(1, Ordering::SeqCst);
    "called"
}

static LAYER_POLICY: Policy =
    cors_policy!(origins = ["http://localhost:5173"], methods = [GET], csrf,);

/// Every front end but the attribute's, each counting into its own counter.
fn front_ends() -> Vec<(&'static str, Router, Arc<AtomicUsize>)> {
    let builder = Policy::builder()
        .origins([FRONT_END])
        .methods(["GET"])
        .csrf(true)
        .build()
        .unwrap();
    let config: PolicyConfig = serde_json::from_value(serde_json::json!({
        "origins": [FRONT_END],
        "methods": ["GET"],
        "csrf": true,
    }))
    .unwrap();
    let config = Policy::try_from(config).unwrap();
    let route = |policy: Policy, calls: &Arc<AtomicUsize>| {
        Router::new()
            .route(
                "/ws",
                CorsRoute::new()
                    .handler(Arc::new(policy), counted)
                    .into_method_router(),
            )
            .with_state(calls.clone())
    };
    let (layer, built, read) = Default::default();
    vec![
        (
            "layer",
            Router::new()
                .route("/ws", any(counted))
                .with_state(Arc::clone(&layer))
                .layer(CorsLayer::new(&LAYER_POLICY)),
            layer,
        ),
        ("builder", route(builder, &built), built),
        ("config", route(config, &read), read),
    ]
}

#[tokio::test]
async fn every_front_end_refuses_the_same_handshakes() {
    let host = "127.0.0.1:3000";
    for (front_end, app, calls) in front_ends() {
        for (lines, refused) in cases(host) {
            let lines: Vec<(&str, &str)> = lines.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let case = format!("{front_end} {lines:?}");
            let before = calls.load(Ordering::SeqCst);
            let response = app
                .clone()
                .oneshot(handshake("/ws", host, &lines))
                .await
                .unwrap();
            let after = calls.load(Ordering::SeqCst);
            if refused {
                assert_eq!(after, before, "the handler ran: {case}");
                assert_refused(response, &case).await;
            } else {
                assert_eq!(after, before + 1, "the handler did not run: {case}");
                assert_eq!(response.status(), StatusCode::OK, "{case}");
            }
        }
    }
}

/// An HTTP/2 WebSocket handshake (RFC 8441) as a service sees it: `CONNECT`,
/// the `:authority` in the URI, `Sec-WebSocket-Version`, no `Host`.
fn extended_connect(origin: Option<&str>, site: Option<&str>) -> Request<Body> {
    let mut request = Request::connect("http://127.0.0.1:3000/ws")
        .version(Version::HTTP_2)
        .header("sec-websocket-version", "13");
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    if let Some(site) = site {
        request = request.header("sec-fetch-site", site);
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_http2_form_is_refused_at_the_service_level() {
    let connects = [
        (Some(EVIL), Some("cross-site"), true),
        (Some(EVIL), None, true),
        (Some(FRONT_END), Some("cross-site"), false),
        (Some(EVIL), Some("same-origin"), false),
        (Some("http://127.0.0.1:3000"), None, false),
        (None, None, false),
    ];
    // The layer serves `CONNECT` to the application: it refuses first.
    let (_, layer, calls) = front_ends().remove(0);
    for (origin, site, refused) in connects {
        let case = format!("{origin:?} {site:?}");
        let before = calls.load(Ordering::SeqCst);
        let response = layer
            .clone()
            .oneshot(extended_connect(origin, site))
            .await
            .unwrap();
        let ran = calls.load(Ordering::SeqCst) > before;
        if refused {
            assert!(!ran, "{case}");
            assert_refused(response, &case).await;
        } else {
            assert!(ran, "{case}");
            assert_eq!(response.status(), StatusCode::OK, "{case}");
        }
    }
    // A `#[cors]` route never serves `CONNECT` (no policy may list it): the
    // handshake gets `405`, and the handler does not run.
    let app = example::app(example::Upgrades::default());
    let response = app
        .oneshot(extended_connect(Some(FRONT_END), None))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    // The runtime names the refusal a WebSocket one.
    let request = extended_connect(Some(EVIL), Some("cross-site"));
    let outcome = LAYER_POLICY.evaluate(&request);
    assert_eq!(
        outcome.reason().map(|r| r.to_string()).as_deref(),
        Some("cross-origin WebSocket refused")
    );
}

/// The example on a real server on loopback.
async fn serve() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = example::app(example::Upgrades::default());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// `GET /upgrades`, as `(ws, ws_open)`.
async fn upgrades(address: SocketAddr) -> (u64, u64) {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let raw = format!("GET /upgrades HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n\r\n");
    stream.write_all(raw.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    let counts: Value = serde_json::from_str(body).unwrap();
    (
        counts["ws"].as_u64().unwrap(),
        counts["ws_open"].as_u64().unwrap(),
    )
}

/// Opens a socket to `path` with these header lines, sends a message and reads
/// its echo; or the status of the refused handshake.
async fn open(
    address: SocketAddr,
    path: &str,
    lines: &[(&'static str, String)],
) -> Result<(), u16> {
    let mut request = format!("ws://{address}{path}")
        .into_client_request()
        .unwrap();
    for (name, value) in lines {
        request.headers_mut().insert(*name, value.parse().unwrap());
    }
    let (mut socket, _) = match tokio_tungstenite::connect_async(request).await {
        Ok(opened) => opened,
        Err(tungstenite::Error::Http(response)) => {
            assert!(response.body().as_ref().is_none_or(|b| b.is_empty()));
            return Err(response.status().as_u16());
        }
        Err(e) => panic!("the handshake failed otherwise: {e}"),
    };
    let sent = format!("hello over {path}");
    socket.send(Message::text(sent.clone())).await.unwrap();
    let echo = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
        .await
        .expect("an echo within 10 s")
        .expect("the socket stays open")
        .unwrap();
    assert_eq!(echo, Message::text(sent));
    socket.close(None).await.unwrap();
    Ok(())
}

/// An echo socket behind a `CorsLayer` of [`LAYER_POLICY`], on a real server:
/// the layer's answer to an upgrade keeps the connection upgradable.
#[tokio::test]
async fn a_real_client_through_the_layer() {
    async fn socket(upgrade: axum::extract::ws::WebSocketUpgrade) -> Response {
        upgrade.on_upgrade(|mut socket| async move {
            while let Some(Ok(message)) = socket.recv().await {
                if let axum::extract::ws::Message::Text(text) = message
                    && socket
                        .send(axum::extract::ws::Message::Text(text))
                        .await
                        .is_err()
                {
                    return;
                }
            }
        })
    }
    let app = Router::new()
        .route("/ws", any(socket))
        .layer(CorsLayer::new(&LAYER_POLICY));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let host: &'static str = address.to_string().leak();
    for (lines, refused) in cases(host) {
        let case = format!("{lines:?}");
        let opened = open(address, "/ws", &lines).await;
        assert_eq!(opened, if refused { Err(403) } else { Ok(()) }, "{case}");
    }
}

#[tokio::test]
async fn a_real_client_opens_only_what_the_origins_allow() {
    let address = serve().await;
    let host: &'static str = address.to_string().leak();
    let mut expected = (0, 0);
    assert_eq!(upgrades(address).await, expected);
    for (lines, refused) in cases(host) {
        let case = format!("{lines:?}");
        let guarded = open(address, "/ws", &lines).await;
        if refused {
            assert_eq!(guarded, Err(403), "{case}");
        } else {
            assert_eq!(guarded, Ok(()), "{case}");
            expected.0 += 1;
        }
        assert_eq!(upgrades(address).await, expected, "{case}");
        // The open socket lets every page in: what the guard is for.
        assert_eq!(open(address, "/ws-open", &lines).await, Ok(()), "{case}");
        expected.1 += 1;
        assert_eq!(upgrades(address).await, expected, "{case}");
    }
}
