use axum::Json;
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [POST])]
async fn create(Json(item): Json<String>) -> Json<String> {
    Json(item)
}

fn main() {}
