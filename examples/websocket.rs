//! An echo WebSocket for a front end on `http://localhost:5173`, guarded by
//! `csrf`, beside the same socket without the guard.
//!
//! ```text
//! cargo run --example websocket        # PORT=8080 to listen elsewhere
//! ```
//!
//! Browsers do not apply CORS to WebSockets: any page, on any site, can open
//! `new WebSocket("ws://127.0.0.1:3000/ws-open")` with the user's cookies and
//! read what comes back. `origins` alone guards nothing; with `csrf`, the
//! handshake's `Origin` is checked against `origins`, and a page elsewhere gets
//! `403` before the handler runs.
//!
//! - `/ws`: `csrf`, so only pages on `http://localhost:5173` (or on this server
//!   itself) can open it;
//! - `/ws-open`: `csrf = false`, written out to say that any page may;
//! - `GET /upgrades`: how many sockets each handler has accepted, as
//!   `{"ws": n, "ws_open": m}`.
//!
//! Both sockets send back every text message they receive.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use static_cors::{cors, cors_route};

/// How many upgrades each handler has performed.
#[derive(Clone, Default)]
pub struct Upgrades {
    ws: Arc<AtomicU64>,
    ws_open: Arc<AtomicU64>,
}

/// The guarded echo socket: a page on another origin is refused with `403`
/// before this runs.
#[cors(origins = ["http://localhost:5173"], methods = [GET], csrf)]
async fn ws(State(upgrades): State<Upgrades>, upgrade: WebSocketUpgrade) -> Response {
    upgrades.ws.fetch_add(1, Ordering::SeqCst);
    upgrade.on_upgrade(echo)
}

/// The same echo socket, open to every page on purpose.
#[cors(origins = ["http://localhost:5173"], methods = [GET], csrf = false)]
async fn ws_open(State(upgrades): State<Upgrades>, upgrade: WebSocketUpgrade) -> Response {
    upgrades.ws_open.fetch_add(1, Ordering::SeqCst);
    upgrade.on_upgrade(echo)
}

/// Sends back each text message until the client closes the socket. (After a
/// close frame, the next `recv` sends the reply and ends the loop, so that the
/// client sees a clean close.)
async fn echo(mut socket: WebSocket) {
    while let Some(Ok(message)) = socket.recv().await {
        if let Message::Text(text) = message
            && socket.send(Message::Text(text)).await.is_err()
        {
            return;
        }
    }
}

/// The two counts of upgrades.
async fn upgrades(State(upgrades): State<Upgrades>) -> Json<Value> {
    Json(json!({
        "ws": upgrades.ws.load(Ordering::SeqCst),
        "ws_open": upgrades.ws_open.load(Ordering::SeqCst),
    }))
}

/// The application, counting into `counts`.
pub fn app(counts: Upgrades) -> Router {
    Router::new()
        .route("/ws", cors_route!(ws))
        .route("/ws-open", cors_route!(ws_open))
        .route("/upgrades", get(upgrades))
        .with_state(counts)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(address).await?;
    println!("listening on http://{address}\n");
    println!("From a page on http://localhost:5173, in the console:");
    println!("  const s = new WebSocket(\"ws://{address}/ws\");");
    println!("  s.onmessage = (e) => console.log(e.data); s.onopen = () => s.send(\"hi\");");
    println!("From any other page, /ws closes without opening, and /ws-open opens.");
    println!("Upgrades so far: curl http://{address}/upgrades");
    axum::serve(listener, app(Upgrades::default())).await
}
