//! A small JSON API behind one application-wide policy: a `cors_policy!` static
//! and one `CorsLayer`, for a front end on `http://localhost:5173`.
//!
//! ```text
//! cargo run --example app_wide          # PORT=8080 to listen elsewhere (default 3001)
//! ```
//!
//! The layer answers every preflight, for every path, routed or not. Every other
//! response that passes back through it carries the policy's headers: the
//! routes' own, the JSON 404 of the fallback, axum's 405s, the extractors'
//! rejections, and the 413 of the body limit, which sits inside it.
//! `GET /health` is mounted after the layer, outside it, with its own `#[cors]`
//! policy: any origin may read it.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, Uri};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use static_cors::{CorsLayer, Policy, cors, cors_policy, cors_route};

/// The policy of every route above the layer, checked while this file compiles.
static API: Policy = cors_policy!(
    origins = ["http://localhost:5173", "https://app.example.com"],
    methods = [GET, POST, DELETE],
    headers = ["content-type", "authorization"],
    expose = ["x-total-count"],
    credentials,
    max_age = 600,
);

#[derive(Clone, Serialize)]
struct Item {
    id: u64,
    name: String,
}

#[derive(Deserialize)]
struct NewItem {
    name: String,
}

#[derive(Default)]
struct Store {
    next_id: u64,
    items: Vec<Item>,
}

type Items = Arc<Mutex<Store>>;

type JsonError = (StatusCode, Json<Value>);

fn error(status: StatusCode, message: String) -> JsonError {
    (status, Json(json!({ "error": message })))
}

fn poisoned<T>(_: PoisonError<T>) -> JsonError {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "store poisoned".to_owned(),
    )
}

/// Lists the items, with their count in an exposed header.
async fn list_items(State(store): State<Items>) -> ([(&'static str, String); 1], Json<Vec<Item>>) {
    let items = store
        .lock()
        .map(|store| store.items.clone())
        .unwrap_or_default();
    ([("x-total-count", items.len().to_string())], Json(items))
}

/// Adds an item. A body over the limit gets a 413, a malformed one axum's
/// 400/415/422: all of them readable by the front end.
async fn create_item(
    State(store): State<Items>,
    Json(new): Json<NewItem>,
) -> Result<(StatusCode, Json<Item>), JsonError> {
    let mut store = store.lock().map_err(poisoned)?;
    store.next_id += 1;
    let item = Item {
        id: store.next_id,
        name: new.name,
    };
    store.items.push(item.clone());
    Ok((StatusCode::CREATED, Json(item)))
}

/// Removes an item: 204, or a JSON 404.
async fn delete_item(
    State(store): State<Items>,
    Path(id): Path<u64>,
) -> Result<StatusCode, JsonError> {
    let mut store = store.lock().map_err(poisoned)?;
    let before = store.items.len();
    store.items.retain(|item| item.id != id);
    if store.items.len() == before {
        return Err(error(StatusCode::NOT_FOUND, format!("no item {id}")));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Every path without a route: a JSON 404, with the CORS headers.
async fn not_found(uri: Uri) -> JsonError {
    error(
        StatusCode::NOT_FOUND,
        format!("no route for {}", uri.path()),
    )
}

/// Tells that the server is up, to any origin: a policy of its own, outside the layer.
#[cors(origins = "*", methods = [GET])]
async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The application: the routes under the layer, and the health check outside it.
pub(crate) fn app() -> Router {
    Router::new()
        .route("/items", get(list_items).post(create_item))
        .route("/items/{id}", delete(delete_item))
        .fallback(not_found)
        // Inside the CORS layer: its 413 passes back through it.
        .layer(DefaultBodyLimit::max(1024))
        // Covers every route and the fallback added above.
        .layer(CorsLayer::new(&API))
        // Added after the layer, so outside it: answered by its own policy.
        .route("/health", cors_route!(health))
        .with_state(Items::default())
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3001);
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let app = app();

    let listener = tokio::net::TcpListener::bind(address).await?;
    let base = format!("http://{address}");
    let front = "-H 'Origin: http://localhost:5173'";
    println!("listening on {base}\n");
    println!("A preflight for a path with no route, answered by the layer (204):");
    println!(
        "  curl -i -X OPTIONS {base}/no/such/path {front} \\\n    -H 'Access-Control-Request-Method: DELETE' -H 'Access-Control-Request-Headers: content-type'\n"
    );
    println!("A JSON POST (201, with Access-Control-Allow-Origin and -Credentials):");
    println!(
        "  curl -i {base}/items {front} -H 'Content-Type: application/json' -d '{{\"name\":\"pen\"}}'\n"
    );
    println!("The fallback's JSON 404, readable by the front end:");
    println!("  curl -i {base}/nowhere {front}\n");
    println!("A body over the 1 KiB limit: 413, readable too:");
    println!(
        "  head -c 2048 /dev/zero | curl -i {base}/items {front} -H 'Content-Type: application/json' --data-binary @-\n"
    );
    println!("An origin the policy does not list: its preflight gets 403 with Vary only,");
    println!("and its requests run but carry no CORS header (the browser hides the answer):");
    println!(
        "  curl -i -X OPTIONS {base}/items -H 'Origin: https://evil.example' -H 'Access-Control-Request-Method: POST'"
    );
    println!("  curl -i {base}/items -H 'Origin: https://evil.example'\n");
    println!(
        "/health keeps its own policy, outside the layer: any origin, Access-Control-Allow-Origin: *"
    );
    println!("  curl -i {base}/health -H 'Origin: https://status.example.net'");
    axum::serve(listener, app).await
}
