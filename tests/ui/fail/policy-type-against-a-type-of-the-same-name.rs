// A mistake that makes rustc print the full path of a generated policy's type:
// it is a path that the user can write (`static_cors::http::HeaderValue`),
// never one through the crate's hidden module.
use static_cors::cors;

struct HeaderValue;

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn list() -> &'static str {
    "[]"
}

fn main() {
    let _value: HeaderValue = list::POLICY.allow_methods().clone();
}
