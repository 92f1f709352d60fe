use static_cors::cors;
use static_cors::runtime::policy::AllowOrigin;

// `https://bücher.example` as a browser sends it.
#[cors(origins = ["https://xn--bcher-kva.example"], methods = [GET])]
async fn handler() -> &'static str {
    "ok"
}

fn main() {
    let AllowOrigin::List(origins) = handler::POLICY.origins() else {
        panic!("expected a list of origins");
    };
    assert!(origins[0].matches(b"https://xn--bcher-kva.example"));
}
