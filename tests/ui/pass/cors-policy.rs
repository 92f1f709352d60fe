use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use static_cors::runtime::policy::{AllowHeaders, AllowOrigin};
use static_cors::{CorsLayer, Policy, cors_policy};

// Every argument of the attribute, in a `static` built at compile time.
static API: Policy = cors_policy!(
    origins = ["https://app.example.com", "https://*.example.org", "http://localhost:*"],
    methods = [GET, POST, "PURGE"],
    headers = ["content-type", "authorization"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
    private_network,
    csrf,
);

static OPEN: Policy = cors_policy!(origins = "*", methods = [GET], headers = "*", expose = "*");

mod renamed {
    pub use ::static_cors as cors_crate;
}

// A renamed or re-exported dependency.
static RENAMED: Policy = cors_policy!(
    crate = renamed::cors_crate,
    origins = ["https://app.example.com"],
    methods = [GET],
);

fn main() {
    let built = Policy::builder()
        .origins(["https://app.example.com", "https://*.example.org", "http://localhost:*"])
        .methods(["GET", "POST", "PURGE"])
        .headers(["content-type", "authorization"])
        .expose(["x-request-id"])
        .credentials(true)
        .max_age(600)
        .private_network(true)
        .csrf(true)
        .build()
        .unwrap();
    assert_eq!(API, built, "cors_policy! and the builder build the same policy");
    assert_eq!(API.allow_methods(), "GET, POST, PURGE");
    assert!(matches!(API.origins(), AllowOrigin::List(list) if list.len() == 3));
    assert!(matches!(OPEN.origins(), AllowOrigin::Any));
    assert!(matches!(OPEN.allow_headers(), AllowHeaders::Any { .. }));
    assert_eq!(RENAMED.allow_methods(), "GET");

    // Usable in a local too, and with the layer in every form.
    let local = cors_policy!(origins = ["https://a.example.com"], methods = [GET]);
    assert_eq!(local.allow_methods(), "GET");
    let _app: Router = Router::new()
        .route("/", get(|| async { "ok" }))
        .layer(CorsLayer::new(&API))
        .layer(CorsLayer::new(Arc::new(local)));
}
