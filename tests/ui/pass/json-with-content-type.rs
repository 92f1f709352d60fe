use axum::Json;
use static_cors::cors;

// `Json` is refused on a policy that serves writes without `content-type`; with
// it, by name or through `*`, or on reads only, the handler compiles.
#[cors(origins = ["https://app.example.com"], methods = [POST], headers = ["Content-Type"])]
async fn create(Json(item): Json<String>) -> Json<String> {
    Json(item)
}

#[cors(origins = ["https://app.example.com"], methods = [PUT], headers = "*")]
async fn replace(item: Option<axum::Json<String>>) -> String {
    item.map(|Json(item)| item).unwrap_or_default()
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn read(Json(item): Json<String>) -> Json<String> {
    Json(item)
}

fn main() {
    assert_eq!(create::POLICY.allow_methods(), "POST");
    assert_eq!(replace::POLICY.allow_methods(), "PUT");
    assert_eq!(read::POLICY.allow_methods(), "GET");
}
