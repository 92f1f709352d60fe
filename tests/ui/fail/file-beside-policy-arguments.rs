use static_cors::cors;

// The path is relative to trybuild's build directory, `target/tests/trybuild/static-cors/`.
#[cors(file = "../../../../tests/ui/config/policies.toml", policy = "api", max_age = 600)]
async fn items() -> &'static str {
    "[]"
}

fn main() {}
