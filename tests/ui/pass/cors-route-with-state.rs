use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use static_cors::{cors, cors_route};
use tower::ServiceExt;

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials)]
async fn hello(State(state): State<AppState>) -> &'static str {
    state.greeting
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = Router::new()
        .route("/hello", cors_route!(hello))
        .with_state(AppState { greeting: "hi" });
    let request = Request::get("/hello")
        .header("origin", "https://app.example.com")
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(headers["access-control-allow-credentials"], "true");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"hi");
}
