use static_cors::cors;

#[cors(origins = ["safari-web-extension://*"], methods = [GET], dangerous_any_extension_origin)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
