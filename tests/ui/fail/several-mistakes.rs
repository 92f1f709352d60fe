use static_cors::cors;

#[cors(
    origins = ["https://app.example.com/", "http://partner.example.com"],
    methods = [GET, get, TRACE],
    headers = ["cookie", "content-type"],
    expose = ["set-cookie"],
    credentials,
    max_age = 100000,
    orgin = "https://app.example.com",
)]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
