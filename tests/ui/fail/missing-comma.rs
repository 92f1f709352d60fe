use static_cors::cors;

// The arguments after the missing comma are still read: no `missing methods`.
#[cors(origins = ["https://app.example.com"] methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
