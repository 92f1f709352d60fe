use axum::Router;
use static_cors::testing::{Browser, Credentials, Engine, Fetch};
use static_cors::{cors, cors_route};

#[cors(
    origins = ["https://app.example.com"],
    methods = [PUT],
    headers = ["content-type"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
)]
async fn update() -> ([(&'static str, &'static str); 1], &'static str) {
    ([("x-request-id", "42")], "{}")
}

fn app() -> Router {
    Router::new().route("/items/1", cors_route!(update))
}

#[tokio::test]
async fn the_front_end_can_update_an_item() {
    for engine in Engine::ALL {
        let mut browser = Browser::new(engine);
        let put = Fetch::new("https://app.example.com", "PUT", "https://api.example.com/items/1")
            .header("content-type", "application/json")
            .credentials(Credentials::Include)
            .body("{}");
        let outcome = browser.fetch(&app(), put).await;
        assert!(outcome.is_allowed(), "{outcome}");
        assert!(outcome.preflight_sent());
        assert_eq!(outcome.status(), Some(axum::http::StatusCode::OK));
        assert_eq!(outcome.readable_header("x-request-id").unwrap(), "42");

        // The policy serves no DELETE: the preflight is refused, and the
        // DELETE never reaches the server.
        let delete = Fetch::new("https://app.example.com", "DELETE", "https://api.example.com/items/1")
            .credentials(Credentials::Include);
        let outcome = browser.fetch(&app(), delete).await;
        assert!(!outcome.is_allowed());
        assert!(!outcome.actual_sent());
        println!("{outcome}");
    }
}
