//! No warning: a cookie jar with `credentials`, or with `credentials = false`
//! written out (cookies are not expected cross-origin).
#![deny(warnings)]

use axum_extra::extract::CookieJar;
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials)]
async fn session(jar: CookieJar) -> String {
    jar.get("session").map(|c| c.value().to_owned()).unwrap_or_default()
}

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials = false)]
async fn theme(jar: CookieJar) -> String {
    jar.get("theme").map(|c| c.value().to_owned()).unwrap_or_default()
}

fn main() {
    assert!(session::POLICY.credentials());
    assert!(!theme::POLICY.credentials());
}
