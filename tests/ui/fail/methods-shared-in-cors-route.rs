use axum::Router;
use static_cors::{cors, cors_route};

#[cors(origins = ["https://app.example.com"], methods = [GET, POST])]
async fn list() -> &'static str {
    "[]"
}

#[cors(origins = ["https://admin.example.com"], methods = [POST])]
async fn create() -> &'static str {
    "created"
}

fn main() {
    let _app: Router = Router::new().route("/items", cors_route!(list, create));
}
