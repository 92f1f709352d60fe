//! A cookie jar without `credentials` is a warning, not an error: the handler
//! compiles and serves (`fail/cookie-jar-without-credentials.rs` shows the text).

use axum_extra::extract::CookieJar;
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn session(jar: CookieJar) -> String {
    jar.get("session").map(|c| c.value().to_owned()).unwrap_or_default()
}

fn main() {
    assert!(!session::POLICY.credentials());
}
