#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "axum")]
mod route;

/// # Example
///
/// ```
/// use axum::Router;
/// use static_cors::{cors, cors_route};
///
/// #[cors(origins = ["https://app.example.com"], methods = [GET], max_age = 600)]
/// async fn list() -> &'static str {
///     "[]"
/// }
///
/// assert_eq!(list::POLICY.allow_methods(), "GET");
/// assert_eq!(list::POLICY.max_age().unwrap(), "600");
/// let app: Router = Router::new().route("/items", cors_route!(list));
/// ```
#[doc(inline)]
pub use static_cors_macros::cors;
pub use static_cors_runtime::{
    self as runtime, AllowHeaders, AllowOrigin, Policy, PolicyBuilder, PolicyError,
};

#[cfg(feature = "axum")]
pub use route::{CorsFuture, CorsRoute, Dispatch, Either, Endpoint, Endpoints, Nil};

/// Where a route finds a handler's policy: a `static` (what `#[cors]` makes, as
/// a zero-sized `handler::StaticPolicy`, or any `&'static Policy`) or a policy
/// built at run time and shared (`Arc<Policy>`).
pub trait PolicySource: Clone + Send + Sync + 'static {
    /// The policy.
    fn policy(&self) -> &Policy;
}

impl PolicySource for &'static Policy {
    fn policy(&self) -> &Policy {
        self
    }
}

impl PolicySource for std::sync::Arc<Policy> {
    fn policy(&self) -> &Policy {
        self
    }
}

/// Mounts `#[cors]` handlers on one path, with the `OPTIONS` route that answers
/// their preflights: `Router::new().route("/items", cors_route!(list, create))`.
///
/// Each handler is served on the methods of its own policy, and each preflight
/// is answered with the policy of the handler that serves the requested method.
/// Two handlers that serve the same method are a compile error.
#[cfg(feature = "axum")]
#[macro_export]
macro_rules! cors_route {
    (@disjoint) => {};
    (@disjoint $first:tt $($rest:tt)*) => {
        $($crate::cors_route!(@pair $first $rest);)*
        $crate::cors_route!(@disjoint $($rest)*);
    };
    (@pair ($($a:ident)::+) ($($b:ident)::+)) => {
        const _: () = ::core::assert!(
            $crate::__private::disjoint($($a)::+::METHODS, $($b)::+::METHODS),
            ::core::concat!(
                "`", ::core::stringify!($($a)::+), "` and `", ::core::stringify!($($b)::+),
                "` serve a method in common: in one `cors_route!`, each method belongs to one handler"
            ),
        );
    };
    ($($($handler:ident)::+),+ $(,)?) => {{
        $crate::cors_route!(@disjoint $(($($handler)::+))+);
        $crate::CorsRoute::new()
            $(.handler($($handler)::+::StaticPolicy, $($handler)::+))+
            .into_method_router()
    }};
}

#[doc(hidden)]
pub mod __private {
    pub use crate::PolicySource;
    pub use http::HeaderValue;
    pub use static_cors_runtime::origin::{HostPattern, OriginPattern, PortPattern};
    pub use static_cors_runtime::{AllowHeaders, AllowOrigin, Policy};
    pub use std::borrow::Cow;

    /// Whether two handlers' method lists have no method in common.
    pub const fn disjoint(a: &[&str], b: &[&str]) -> bool {
        let mut i = 0;
        while i < a.len() {
            let mut j = 0;
            while j < b.len() {
                if eq(a[i], b[j]) {
                    return false;
                }
                j += 1;
            }
            i += 1;
        }
        true
    }

    const fn eq(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
}
