use axum_extra::TypedHeader;
use axum_extra::headers::Authorization;
use axum_extra::headers::authorization::Bearer;
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET], headers = "*")]
async fn profile(TypedHeader(auth): TypedHeader<Authorization<Bearer>>) -> String {
    auth.token().to_owned()
}

fn main() {}
