use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use static_cors::{cors, cors_route};
use tower::ServiceExt;

#[derive(Clone)]
struct AppState {
    next_id: u32,
}

#[derive(Deserialize)]
struct NewItem {
    name: String,
}

#[derive(Serialize)]
struct Item {
    id: u32,
    name: String,
}

#[cors(
    origins = ["https://app.example.com"],
    methods = [POST],
    headers = ["content-type"],
)]
async fn create(
    State(state): State<AppState>,
    Json(new): Json<NewItem>,
) -> (StatusCode, Json<Item>) {
    let item = Item {
        id: state.next_id,
        name: new.name,
    };
    (StatusCode::CREATED, Json(item))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Called directly, the function is the one that was written.
    let (status, Json(item)) = create(
        State(AppState { next_id: 7 }),
        Json(NewItem {
            name: "direct".to_owned(),
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!((item.id, item.name.as_str()), (7, "direct"));

    let app = Router::new()
        .route("/items", cors_route!(create))
        .with_state(AppState { next_id: 1 });
    let request = Request::post("/items")
        .header("origin", "https://app.example.com")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"name":"pen"}"#))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], br#"{"id":1,"name":"pen"}"#);

    // The rejection of an extractor carries the CORS headers too.
    let request = Request::post("/items")
        .header("origin", "https://app.example.com")
        .header("content-type", "application/json")
        .body(Body::from("{"))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert!(response.status().is_client_error());
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
}
