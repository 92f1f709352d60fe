//! A WebSocket handler without `csrf` is a warning, not an error: the handler
//! compiles and serves (`fail/websocket-without-csrf.rs` shows the text).

use axum::extract::ws::WebSocketUpgrade;
use axum::response::Response;
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn socket(upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(|_socket| async {})
}

fn main() {
    assert!(!socket::POLICY.csrf());
}
