use static_cors::cors;

#[cors(origins = ["https://preview-deployment-of-the-application-for-the-pull-request-*-main.example.com"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
