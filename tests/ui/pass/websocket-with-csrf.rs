//! No warning: a WebSocket handler with `csrf` (the handshake's `Origin` is
//! checked against `origins`), or with `csrf = false` written out (the socket
//! is meant to be open to every site).
#![deny(warnings)]

use axum::extract::ws::{WebSocketUpgrade, WebSocket};
use axum::response::Response;
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials, csrf)]
async fn guarded(upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(|_socket: WebSocket| async {})
}

#[cors(origins = ["https://app.example.com"], methods = [GET], csrf = false)]
async fn open(upgrade: axum::extract::ws::WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(|_socket: WebSocket| async {})
}

fn main() {
    assert!(guarded::POLICY.csrf());
    assert!(!open::POLICY.csrf());
}
