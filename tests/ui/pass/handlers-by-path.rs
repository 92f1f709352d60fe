use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use static_cors::cors_route;
use tower::ServiceExt;

mod api {
    use static_cors::cors;

    #[cors(origins = ["https://app.example.com"], methods = [GET])]
    pub async fn list() -> &'static str {
        "[]"
    }

    #[cors(origins = ["https://app.example.com"], methods = [POST])]
    pub async fn create() -> &'static str {
        "created"
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert_eq!(api::list::POLICY.allow_methods(), "GET");
    assert_eq!(api::create::METHODS, ["POST"]);
    let app: Router = Router::new().route("/items", cors_route!(api::list, api::create));
    let request = Request::post("/items")
        .header("origin", "https://app.example.com")
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
}
