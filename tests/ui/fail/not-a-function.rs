use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET])]
struct Handler;

fn main() {}
