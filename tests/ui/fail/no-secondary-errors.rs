//! An invalid attribute still leaves the function and its companion module in
//! place, so that the handler can be mounted, called and its policy named: the
//! only errors are the attribute's own.

use axum::extract::State;
use axum::{Json, Router};
use static_cors::{Policy, cors, cors_route};

#[derive(Clone, Default)]
struct AppState {
    items: Vec<u32>,
}

// A rule of the policy is broken.
#[cors(origins = ["https://app.example.com/"], methods = [GET])]
async fn list(State(state): State<AppState>) -> Json<Vec<u32>> {
    Json(state.items)
}

// An argument cannot be read.
#[cors(origins = ["https://app.example.com"], methods = POST)]
async fn create(State(_state): State<AppState>, Json(item): Json<u32>) -> Json<u32> {
    Json(item)
}

fn main() {
    let app: Router = Router::new()
        .route("/items", cors_route!(list, create))
        .with_state(AppState::default());
    let _ = app;
    let _list = list(State(AppState::default()));
    let _create = create(State(AppState::default()), Json(1));
    let policy: &'static Policy = &list::POLICY;
    assert!(!policy.credentials());
    let methods: &[&str] = create::METHODS;
    assert!(methods.is_empty());
}
