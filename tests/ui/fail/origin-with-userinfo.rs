use static_cors::cors;

#[cors(origins = ["https://user:secret@app.example.com"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {}
