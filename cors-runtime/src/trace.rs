//! The `static_cors` events (feature `tracing`): one `debug` event per denial,
//! one `trace` event per preflight allowed. Field `reason` is the stable name of
//! the [`Reason`]; `origin` is the request's `Origin` (absent when it has none
//! or it is unreadable); `method` is the method the browser wants to use (the
//! request's own, or a preflight's `Access-Control-Request-Method`); `header`
//! names the refused header, when there is one.
//!
//! Without a subscriber interested in the target at that level, a report is a
//! check of a cached interest: the reason is not worked out, no header is read,
//! nothing is formatted or allocated.

use http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use http::{HeaderMap, Method};

use crate::reason::Reason;

/// Whether a subscriber listens to denials: only then is a reason worth
/// working out where the answer does not need it.
#[inline]
pub(crate) fn reporting() -> bool {
    tracing::enabled!(target: "static_cors", tracing::Level::DEBUG)
}

/// The first line of `name`, when it reads as text.
fn text<'r>(request: &'r HeaderMap, name: &http::HeaderName) -> Option<&'r str> {
    request.get(name).and_then(|v| v.to_str().ok())
}

/// Reports a preflight's outcome.
#[inline]
pub(crate) fn preflight(request: &HeaderMap, outcome: Result<(), Reason<'_>>) {
    match outcome {
        Ok(()) => tracing::trace!(
            target: "static_cors",
            origin = text(request, &ORIGIN),
            method = text(request, &ACCESS_CONTROL_REQUEST_METHOD),
            "CORS preflight allowed"
        ),
        Err(reason) => refused_preflight(request, || reason),
    }
}

/// Reports a refused preflight, whose reason is worked out only when it is
/// reported.
#[inline]
pub(crate) fn refused_preflight<'r>(request: &'r HeaderMap, reason: impl FnOnce() -> Reason<'r>) {
    if reporting() {
        let method = text(request, &ACCESS_CONTROL_REQUEST_METHOD);
        denied(reason(), request, method, true);
    }
}

/// Reports an actual request refused for `reason`, worked out only when it is
/// reported.
#[inline]
pub(crate) fn actual<'r>(
    method: &Method,
    request: &'r HeaderMap,
    reason: impl FnOnce() -> Reason<'r>,
) {
    if reporting() {
        denied(reason(), request, Some(method.as_str()), false);
    }
}

/// Reports a denial.
#[cold]
fn denied(reason: Reason<'_>, request: &HeaderMap, method: Option<&str>, preflight: bool) {
    tracing::debug!(
        target: "static_cors",
        reason = reason.as_str(),
        origin = text(request, &ORIGIN),
        method,
        header = reason.header(),
        preflight,
        "CORS request denied: {reason}"
    );
}
