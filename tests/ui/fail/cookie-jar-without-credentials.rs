//! The warning is an error here only because warnings are denied: without
//! `deny`, the handler compiles and rustc prints the same text as a warning.
#![deny(warnings)]

use axum_extra::extract::CookieJar;
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn session(jar: CookieJar) -> String {
    jar.get("session").map(|c| c.value().to_owned()).unwrap_or_default()
}

fn main() {}
