//! The run-time half of [static-cors](https://docs.rs/static-cors): the policy
//! model, its validation rules, origin matching and the preflight and
//! actual-response logic, over the `http` crate's types only.
//!
//! The `#[cors]` attribute calls [`policy::check`] at compile time and emits the
//! validated [`Policy`] as a `static`; [`Policy::builder`] applies the same rules
//! at run time. At request time, [`Policy::preflight`] and [`Policy::actual`] read
//! the request's headers and write values from the policy's tables (or the
//! request's own `Origin`), with no parsing of policy text and no allocation.
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
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod header;
pub mod method;
pub mod origin;
pub mod policy;
pub mod response;

pub use policy::{AllowHeaders, AllowOrigin, Policy, PolicyBuilder, PolicyError, PolicySpec};
pub use response::{ActualHeaders, is_preflight};

/// Why one value of a policy is invalid: a message in rustc's style (lowercase, no
/// trailing period, code in backticks) and, where one fix exists, a `help`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Invalid {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
