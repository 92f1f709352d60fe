//! The handler behind the model-checked front ends (the differential properties
//! and the soak): a marker, its own `Vary`, and CORS headers of its own, which
//! the policy's must replace. The model is told the same lines.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The header lines of the handler's response.
pub fn handler_headers() -> Vec<(String, Vec<u8>)> {
    [
        ("x-handler", "ran"),
        ("vary", "accept-encoding"),
        ("access-control-allow-origin", "https://handler.invalid"),
        ("access-control-max-age", "1"),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.as_bytes().to_vec()))
    .collect()
}

/// `200 ok` with [`handler_headers`].
pub async fn handler() -> Response {
    let mut response = (StatusCode::OK, "ok").into_response();
    for (name, value) in handler_headers() {
        response.headers_mut().append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_bytes(&value).unwrap(),
        );
    }
    response
}
