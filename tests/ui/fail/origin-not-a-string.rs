use static_cors::cors;

#[cors(origins = [APP_ORIGIN], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
