use static_cors::cors;

#[cors(origins = ["capacitor://localhost:8080"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
