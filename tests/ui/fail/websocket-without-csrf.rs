//! The warning is an error here only because warnings are denied: without
//! `deny`, the handler compiles and rustc prints the same text as a warning.
#![deny(warnings)]

use axum::extract::ws::WebSocketUpgrade;
use axum::response::Response;
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials)]
async fn socket(upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(|_socket| async {})
}

fn main() {}
