use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use static_cors::{cors, cors_route};
use tower::ServiceExt;

#[cors(origins = ["https://read.example.com"], methods = [GET])]
async fn list() -> &'static str {
    "[]"
}

#[cors(
    origins = ["https://write.example.com"],
    methods = [POST, DELETE],
    headers = ["content-type"],
)]
async fn change() -> &'static str {
    "ok"
}

fn preflight(origin: &str, method: &str) -> Request<Body> {
    Request::options("/items")
        .header("origin", origin)
        .header("access-control-request-method", method)
        .body(Body::empty())
        .unwrap()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app: Router = Router::new().route("/items", cors_route!(list, change));

    // Each preflight is answered with the policy of the handler serving the method.
    let response = app
        .clone()
        .oneshot(preflight("https://write.example.com", "DELETE"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        response.headers()["access-control-allow-methods"],
        "POST, DELETE"
    );
    let response = app
        .clone()
        .oneshot(preflight("https://read.example.com", "DELETE"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let request = Request::get("/items")
        .header("origin", "https://read.example.com")
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://read.example.com"
    );
}
