use static_cors::cors;

#[cors(origins = ["https://[2001:db8:0:0:0:0:0:1]"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
