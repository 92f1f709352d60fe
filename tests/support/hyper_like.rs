//! Requests built the way hyper builds them, shared by the allocation test and
//! the benchmark: header values are slices of a shared read buffer, so cloning
//! one (to echo the `Origin`) costs no allocation.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use bytes::BytesMut;

/// A header value as hyper parses it: a slice of a shared read buffer.
pub fn shared(text: &str) -> HeaderValue {
    let mut buffer = BytesMut::with_capacity(256);
    buffer.extend_from_slice(text.as_bytes());
    HeaderValue::from_maybe_shared(buffer.split().freeze()).unwrap()
}

/// A request to `/items` with these header lines.
pub fn request(method: Method, headers: &[(&'static str, &str)]) -> Request<Body> {
    let mut request = Request::new(Body::empty());
    *request.method_mut() = method;
    *request.uri_mut() = "/items".parse().unwrap();
    for (name, value) in headers {
        request
            .headers_mut()
            .append(HeaderName::from_static(name), shared(value));
    }
    request
}
