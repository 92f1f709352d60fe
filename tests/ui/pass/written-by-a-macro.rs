//! Arguments and handlers that `macro_rules!` writes: the fragments it passes
//! on (`$origin:expr`, `$ty:ty`, `$vis:vis`) are read as if written by hand.

use axum::Json;
use static_cors::{Policy, cors, cors_policy};

macro_rules! policy {
    ($origin:expr, $method:ident, $age:expr) => {
        cors_policy!(origins = [$origin], methods = [$method], max_age = $age)
    };
}

static API: Policy = policy!("https://app.example.com", POST, 600);

macro_rules! handler {
    ($vis:vis $name:ident($arg:ident: $ty:ty), $headers:expr) => {
        #[cors(origins = ["https://app.example.com"], methods = [POST], headers = $headers)]
        $vis async fn $name($arg: $ty) -> &'static str {
            let _ = $arg;
            "ok"
        }
    };
}

// `Json` through `$ty:ty` is still recognised: `headers` must allow
// `content-type`, as it does here.
handler!(pub create(body: Json<u32>), ["content-type"]);

fn main() {
    assert_eq!(API.allow_methods(), "POST");
    assert_eq!(API.max_age().unwrap(), "600");
    assert_eq!(create::POLICY.allow_methods(), "POST");
}
