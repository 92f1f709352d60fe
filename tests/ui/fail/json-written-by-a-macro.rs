use axum::Json;
use static_cors::cors;

// `Json` passed through `$ty:ty` is recognised as if written by hand.
macro_rules! handler {
    ($name:ident($arg:ident: $ty:ty)) => {
        #[cors(origins = ["https://app.example.com"], methods = [POST])]
        async fn $name($arg: $ty) -> &'static str {
            let _ = $arg;
            "ok"
        }
    };
}

handler!(create(body: Json<u32>));

fn main() {}
