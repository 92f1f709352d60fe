//! A small JSON API with CORS for a front end on `http://localhost:5173`.
//!
//! ```text
//! cargo run --example quickstart        # PORT=8080 to listen elsewhere
//! ```
//!
//! `GET /items` and `POST /items` are open to the front end with credentials;
//! `GET /health` is open to any origin, without credentials.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use static_cors::{cors, cors_route};

#[derive(Clone, Serialize, Deserialize)]
struct Item {
    name: String,
}

type Items = Arc<Mutex<Vec<Item>>>;

/// Lists the items.
#[cors(
    origins = ["http://localhost:5173"],
    methods = [GET],
    expose = ["x-total-count"],
    credentials,
    max_age = 600,
)]
async fn list_items(State(items): State<Items>) -> ([(&'static str, String); 1], Json<Vec<Item>>) {
    let items = items.lock().map(|items| items.clone()).unwrap_or_default();
    ([("x-total-count", items.len().to_string())], Json(items))
}

/// Adds an item from a JSON body. A malformed body gets axum's 400/415/422,
/// with the CORS headers, so the front end can read why.
#[cors(
    origins = ["http://localhost:5173"],
    methods = [POST],
    headers = ["content-type"],
    credentials,
    max_age = 600,
)]
async fn create_item(
    State(items): State<Items>,
    Json(item): Json<Item>,
) -> (StatusCode, Json<Item>) {
    if let Ok(mut items) = items.lock() {
        items.push(item.clone());
    }
    (StatusCode::CREATED, Json(item))
}

/// Tells that the server is up, to anyone.
#[cors(origins = "*", methods = [GET])]
async fn health() -> &'static str {
    "ok"
}

/// The application: the items and the health check.
pub(crate) fn app() -> Router {
    Router::new()
        .route("/items", cors_route!(list_items, create_item))
        .route("/health", cors_route!(health))
        .with_state(Items::default())
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let app = app();

    let listener = tokio::net::TcpListener::bind(address).await?;
    let base = format!("http://{address}");
    println!("listening on {base}\n");
    println!("A preflight, as a browser sends it before a JSON POST:");
    println!(
        "  curl -i -X OPTIONS {base}/items -H 'Origin: http://localhost:5173' \\\n    -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type'\n"
    );
    println!("The actual request:");
    println!(
        "  curl -i {base}/items -H 'Origin: http://localhost:5173' -H 'Content-Type: application/json' -d '{{\"name\":\"pen\"}}'\n"
    );
    println!("An origin the policy does not list gets no CORS headers:");
    println!("  curl -i {base}/items -H 'Origin: https://evil.example'\n");
    println!("Any origin may read /health:");
    println!("  curl -i {base}/health -H 'Origin: https://anyone.example'");
    axum::serve(listener, app).await
}
