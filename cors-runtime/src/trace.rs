//! The `static_cors` events (feature `tracing`): one `debug` event per denial,
//! one `trace` event per preflight allowed. Field `reason` is the stable name of
//! the [`Reason`]; `origin` is the request's `Origin` (absent when it has none
//! or it is unreadable); `method` is the method the browser wants to use (the
//! request's own, or a preflight's `Access-Control-Request-Method`); `header`
//! names the refused header, when there is one.
//!
//! Without a subscriber interested in the target at that level, a macro call is
//! a check of a cached interest: nothing is formatted or allocated.

use http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use http::{HeaderMap, Method};

use crate::reason::Reason;

/// The first line of `name`, when it reads as text.
fn text<'r>(request: &'r HeaderMap, name: &http::HeaderName) -> Option<&'r str> {
    request.get(name).and_then(|v| v.to_str().ok())
}

/// Reports a preflight's outcome.
pub(crate) fn preflight(request: &HeaderMap, outcome: Result<(), Reason<'_>>) {
    let origin = text(request, &ORIGIN);
    let method = text(request, &ACCESS_CONTROL_REQUEST_METHOD);
    match outcome {
        Ok(()) => tracing::trace!(
            target: "static_cors",
            origin,
            method,
            "CORS preflight allowed"
        ),
        Err(reason) => denied(reason, origin, method, true),
    }
}

/// Reports an actual request whose origin is refused.
pub(crate) fn actual(method: &Method, request: &HeaderMap, reason: Reason<'_>) {
    denied(reason, text(request, &ORIGIN), Some(method.as_str()), false);
}

/// Reports a denial.
#[cold]
pub(crate) fn denied(
    reason: Reason<'_>,
    origin: Option<&str>,
    method: Option<&str>,
    preflight: bool,
) {
    tracing::debug!(
        target: "static_cors",
        reason = reason.as_str(),
        origin,
        method,
        header = reason.header(),
        preflight,
        "CORS request denied: {reason}"
    );
}
