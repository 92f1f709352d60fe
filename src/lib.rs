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
pub use route::{
    AllowSource, BuiltAllow, CorsFuture, CorsRoute, Dispatch, Either, Endpoint, Endpoints, Nil,
};

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
        // The path's `Allow` value, joined at compile time.
        static ALLOW_BYTES: $crate::__private::AllowBytes =
            $crate::__private::allow_bytes(&[$($($handler)::+::METHODS),+]);
        static ALLOW: $crate::__private::HeaderValue =
            $crate::__private::HeaderValue::from_static($crate::__private::allow_str(&ALLOW_BYTES));
        #[derive(Clone, Copy)]
        struct Allow;
        impl $crate::AllowSource for Allow {
            fn allow(&self) -> $crate::__private::HeaderValue {
                ALLOW.clone()
            }
        }
        $crate::CorsRoute::new()
            $(.handler($($handler)::+::StaticPolicy, $($handler)::+))+
            .into_method_router_with(Allow)
    }};
}

#[doc(hidden)]
pub mod __private {
    pub use crate::PolicySource;
    pub use http::HeaderValue;
    pub use static_cors_runtime::origin::{HostPattern, OriginPattern, PortPattern};
    pub use static_cors_runtime::{AllowHeaders, AllowOrigin, Policy};
    pub use std::borrow::Cow;

    /// The most bytes of a path's `Allow` value that `cors_route!` joins.
    pub const ALLOW_CAPACITY: usize = 1024;

    /// A path's `Allow` value joined at compile time: the bytes and their length.
    pub type AllowBytes = ([u8; ALLOW_CAPACITY], usize);

    /// Joins a path's methods into its `Allow` value, as `CorsRoute` does at
    /// run time: in mount order, `HEAD` after `GET` unless a handler lists
    /// `HEAD`, then `OPTIONS`.
    pub const fn allow_bytes(lists: &[&[&str]]) -> AllowBytes {
        let mut out = ([0u8; ALLOW_CAPACITY], 0);
        let head = contains(lists, "HEAD");
        let mut l = 0;
        while l < lists.len() {
            let mut m = 0;
            while m < lists[l].len() {
                push(&mut out, lists[l][m]);
                if eq(lists[l][m], "GET") && !head {
                    push(&mut out, "HEAD");
                }
                m += 1;
            }
            l += 1;
        }
        push(&mut out, "OPTIONS");
        out
    }

    /// The text of an `Allow` value joined by [`allow_bytes`].
    pub const fn allow_str(joined: &'static AllowBytes) -> &'static str {
        match core::str::from_utf8(joined.0.split_at(joined.1).0) {
            Ok(text) => text,
            Err(_) => panic!("methods are ASCII tokens"),
        }
    }

    const fn contains(lists: &[&[&str]], method: &str) -> bool {
        let mut l = 0;
        while l < lists.len() {
            let mut m = 0;
            while m < lists[l].len() {
                if eq(lists[l][m], method) {
                    return true;
                }
                m += 1;
            }
            l += 1;
        }
        false
    }

    const fn push(out: &mut AllowBytes, method: &str) {
        let bytes = method.as_bytes();
        let separator = if out.1 == 0 { 0 } else { 2 };
        if out.1 + separator + bytes.len() > ALLOW_CAPACITY {
            panic!("the methods of one `cors_route!` are too many for its `Allow` header");
        }
        if separator == 2 {
            out.0[out.1] = b',';
            out.0[out.1 + 1] = b' ';
            out.1 += 2;
        }
        let mut i = 0;
        while i < bytes.len() {
            out.0[out.1] = bytes[i];
            out.1 += 1;
            i += 1;
        }
    }

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

#[cfg(test)]
mod tests {
    use super::__private::{allow_bytes, allow_str, disjoint};

    #[test]
    fn allow_values_are_joined_at_compile_time() {
        static PLAIN: super::__private::AllowBytes = allow_bytes(&[&["GET"], &["POST", "PURGE"]]);
        assert_eq!(allow_str(&PLAIN), "GET, HEAD, POST, PURGE, OPTIONS");
        static EXPLICIT_HEAD: super::__private::AllowBytes =
            allow_bytes(&[&["HEAD"], &["GET", "patch"]]);
        assert_eq!(allow_str(&EXPLICIT_HEAD), "HEAD, GET, patch, OPTIONS");
    }

    #[test]
    fn method_lists_overlap_byte_for_byte() {
        assert!(disjoint(&["GET", "patch"], &["POST", "PATCH"]));
        assert!(!disjoint(&["GET", "PUT"], &["PUT"]));
    }
}
