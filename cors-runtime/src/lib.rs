//! The run-time half of [static-cors](https://docs.rs/static-cors), over the
//! `http` crate's types only (no web framework):
//!
//! - request time: the policy model ([`Policy`]), origin matching
//!   ([`origin`]), the bounded `Access-Control-Request-Headers` parser
//!   ([`header`]), the preflight and actual-response logic ([`response`]), and
//!   the decision for a path served by several handlers ([`Resource`]), and the
//!   optional refusal of cross-origin writes ([`csrf`]);
//! - validation: every rule of a policy, in one validator ([`validate`]) that the
//!   `#[cors]` attribute calls at compile time and [`Policy::builder`] at run
//!   time.
//!
//! At request time, nothing is parsed from policy text and nothing is allocated:
//! every value written comes from the policy's tables or is the request's own
//! `Origin` echoed.
//!
//! ```
//! use http::{HeaderMap, HeaderValue, StatusCode};
//! use static_cors_runtime::Policy;
//!
//! let policy = Policy::builder()
//!     .origins(["https://app.example.com"])
//!     .methods(["GET", "PUT"])
//!     .build()
//!     .unwrap();
//!
//! let mut request = HeaderMap::new();
//! request.insert("origin", HeaderValue::from_static("https://app.example.com"));
//! request.insert("access-control-request-method", HeaderValue::from_static("PUT"));
//! let mut response = HeaderMap::new();
//! assert_eq!(policy.preflight(&request, &mut response), StatusCode::NO_CONTENT);
//! assert_eq!(response["access-control-allow-origin"], "https://app.example.com");
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod allow;
pub mod csrf;
mod dynamic;
pub mod header;
pub mod method;
pub mod origin;
pub mod policy;
mod reason;
pub mod resource;
pub mod response;
pub mod validate;

#[cfg(test)]
mod testing;
#[cfg(feature = "tracing")]
mod trace;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use dynamic::{DynamicPolicy, Loaded};
pub use policy::{Policy, PolicySource};
pub use reason::{Evaluation, Reason};
pub use resource::{Answer, Decision, Resource};
pub use response::ActualHeaders;
#[cfg(feature = "serde")]
pub use validate::PolicyConfig;
pub use validate::{PolicyBuilder, PolicyError};
