// The README links into the guide on docs.rs. Here the same names are defined
// first, so that these docs link to their own guide (of this version, or built
// locally): of two definitions of a link, the first one counts.
#![doc = "[running]: guide::running"]
#![doc = "[features]: guide::features"]
#![doc = "[attribute]: guide::attribute"]
#![doc = "[signature]: guide::attribute#what-the-signature-tells"]
#![doc = "[errors]: guide::errors"]
#![doc = "[layer]: guide::layer"]
#![doc = "[configuration]: guide::configuration"]
#![doc = "[behavior]: guide::behavior"]
#![doc = "[denials]: guide::denials"]
#![doc = "[csrf]: guide::csrf"]
#![doc = "[browsers]: guide::browsers"]
#![doc = "[threat_model]: guide::threat_model"]
#![doc = "[migrating]: guide::migrating"]
#![doc = "[measurements]: guide::measurements"]
#![doc = "[testing]: guide::testing"]
#![doc = "[layout]: guide::layout"]
#![doc = ""]
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The `http` crate, whose types the policies speak: `HeaderValue`, `Method`,
/// `HeaderMap`. Re-exported so that its version always matches this crate's.
pub use http;
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
pub use static_cors_macros::{cors, cors_policy};

/// The run-time half, over the `http` crate's types only: the policy model,
/// validation and its problems, origin patterns, and [`runtime::Resource`], the
/// CORS decision for a path that any web framework can carry out.
///
/// A module of its own rather than a re-exported crate, so that rustc names its
/// types `static_cors::runtime::...` in diagnostics, a path that resolves.
pub mod runtime {
    #[doc(inline)]
    pub use static_cors_runtime::*;
}
/// A policy from configuration (feature `serde`): see [`Policy::try_from`].
#[cfg(feature = "serde")]
pub use static_cors_runtime::PolicyConfig;
pub use static_cors_runtime::{
    DynamicPolicy, Evaluation, Policy, PolicyBuilder, PolicyError, Reason,
};

pub mod guide;
pub mod layer;
pub use layer::CorsLayer;

#[cfg(feature = "axum")]
pub mod route;

#[cfg(feature = "testing")]
pub mod testing;
#[cfg(feature = "axum")]
pub use route::CorsRoute;

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
    (@handlers) => { $crate::route::Nil };
    (@handlers ($($first:ident)::+) $($rest:tt)*) => {
        ($crate::route::Endpoint::new($($first)::+), $crate::cors_route!(@handlers $($rest)*))
    };
    (@route ($($allow:tt)+) ($handlers:expr) $($($handler:ident)::+),+) => {{
        static RESOURCE: $crate::runtime::Resource = $crate::runtime::Resource::from_static(
            &[$(&$($handler)::+::POLICY),+],
            $crate::http::HeaderValue::from_static($($allow)+),
        );
        // Zero-sized, so that axum's boxing of the route per request
        // allocates nothing.
        #[derive(Clone, Copy)]
        struct Path;
        impl $crate::route::ResourceSource for Path {
            type Policy = &'static $crate::Policy;
            fn resource(&self) -> &$crate::runtime::Resource {
                &RESOURCE
            }
        }
        $crate::route::method_router($crate::route::Dispatch::new($handlers, Path))
    }};
    // One handler: its `Allow` value was joined by `#[cors]`, and it is called
    // without a list around it.
    ($($handler:ident)::+ $(,)?) => {
        $crate::cors_route!(@route ($($handler)::+::ALLOW) ($crate::route::Endpoint::new($($handler)::+)) $($handler)::+)
    };
    ($($($handler:ident)::+),+ $(,)?) => {{
        $crate::cors_route!(@disjoint $(($($handler)::+))+);
        // The path's `Allow` value, joined at compile time.
        static ALLOW: $crate::__private::AllowBytes =
            $crate::__private::allow_bytes(&[$($($handler)::+::METHODS),+]);
        $crate::cors_route!(
            @route ($crate::__private::allow_str(&ALLOW))
            ($crate::cors_route!(@handlers $(($($handler)::+))+))
            $($($handler)::+),+
        )
    }};
}

/// What generated code calls: the runtime's typed seam and the `const`
/// functions of `cors_route!`. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use http::HeaderValue;
    pub use static_cors_runtime::__private::*;
    pub use static_cors_runtime::Policy;
    pub use static_cors_runtime::origin::OriginPattern;
    pub use std::borrow::Cow;
}
