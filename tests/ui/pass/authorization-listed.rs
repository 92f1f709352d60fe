use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum_extra::TypedHeader;
use axum_extra::headers::Authorization;
use axum_extra::headers::authorization::Bearer;
use static_cors::{cors, cors_route};
use tower::ServiceExt;

// `TypedHeader<Authorization<_>>` needs `authorization` listed by name; beside
// `*` it is allowed too.
#[cors(origins = ["https://app.example.com"], methods = [GET], headers = ["authorization"])]
async fn profile(TypedHeader(auth): TypedHeader<Authorization<Bearer>>) -> String {
    auth.token().to_owned()
}

#[cors(origins = ["https://app.example.com"], methods = [GET], headers = ["*", "authorization"])]
async fn settings(auth: Option<TypedHeader<Authorization<Bearer>>>) -> String {
    auth.map(|TypedHeader(a)| a.token().to_owned()).unwrap_or_default()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = Router::new()
        .route("/profile", cors_route!(profile))
        .route("/settings", cors_route!(settings));
    for path in ["/profile", "/settings"] {
        let preflight = Request::options(path)
            .header("origin", "https://app.example.com")
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(preflight).await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{path}");
    }
}
