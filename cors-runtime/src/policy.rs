//! The policy model: what a validated policy holds, with every response header
//! value built once. Validation builds it ([`crate::validate`], which starts
//! at [`Policy::builder`]); the request-time
//! logic reads it ([`crate::response`], [`crate::resource`]).

use std::borrow::Cow;
use std::ops::Deref;
use std::sync::Arc;

use http::HeaderValue;

use crate::origin::OriginSet;

/// A list of names, borrowed from static tables or owned by a run-time policy.
pub type Names = Cow<'static, [Cow<'static, str>]>;

/// Which origins a policy allows.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllowOrigin {
    /// Any origin (`origins = "*"`): `Access-Control-Allow-Origin: *` on every
    /// response; never with credentials.
    Any,
    /// The listed origins and patterns; the request's own `Origin` is echoed.
    List(OriginSet),
}

/// Which request headers a preflight may ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllowHeaders {
    /// None beyond the CORS-safelisted ones (the default).
    None,
    /// These names, lowercase; `value` is the joined `Access-Control-Allow-Headers`.
    List {
        /// The allowed names, lowercase.
        names: Names,
        /// The names joined with `, `.
        value: HeaderValue,
    },
    /// Any name (`headers = "*"`) except `authorization`, which is allowed only
    /// when it is listed beside `*` in `names`.
    Any {
        /// Names listed beside `*` (only `authorization` can be).
        names: Names,
        /// `*` followed by `names`, for policies without credentials; policies
        /// with credentials echo the validated request list instead.
        value: HeaderValue,
    },
}

/// A validated CORS policy: what one handler, or a whole application, allows,
/// with every response header value built once.
///
/// A `Policy` is built either at compile time, by the `#[cors]` attribute and
/// `cors_policy!`, as a `static` whose values come from
/// `HeaderValue::from_static`, or at run time by [`Policy::builder`], which
/// applies exactly the same rules.
///
/// ```
/// use static_cors_runtime::Policy;
///
/// let policy = Policy::builder()
///     .origins(["https://app.example.com"])
///     .methods(["GET", "POST"])
///     .headers(["content-type"])
///     .credentials(true)
///     .max_age(600)
///     .build()
///     .unwrap();
/// assert_eq!(policy.allow_methods(), "GET, POST");
/// assert!(policy.serves("POST"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub(crate) origins: AllowOrigin,
    pub(crate) methods: Names,
    pub(crate) allow_methods: HeaderValue,
    pub(crate) headers: AllowHeaders,
    pub(crate) expose: Option<HeaderValue>,
    pub(crate) credentials: bool,
    pub(crate) max_age: Option<HeaderValue>,
    pub(crate) private_network: bool,
    pub(crate) csrf: bool,
    pub(crate) debug: bool,
}

impl Policy {
    /// The allowed origins.
    pub fn origins(&self) -> &AllowOrigin {
        &self.origins
    }

    /// The methods that the handler serves, as written.
    pub fn methods(&self) -> &[Cow<'static, str>] {
        &self.methods
    }

    /// Whether the handler serves `method` (byte for byte). `HEAD` is served
    /// wherever `GET` is, as axum routes it.
    #[inline]
    pub fn serves(&self, method: &str) -> bool {
        self.lists(method) || (method == "HEAD" && self.lists("GET"))
    }

    /// Whether `method` is one of [`Policy::methods`], byte for byte.
    #[inline]
    pub(crate) fn lists(&self, method: &str) -> bool {
        self.methods.iter().any(|m| m == method)
    }

    /// The `Access-Control-Allow-Methods` value: the methods joined with `, `.
    pub fn allow_methods(&self) -> &HeaderValue {
        &self.allow_methods
    }

    /// The allowed request headers.
    pub fn allow_headers(&self) -> &AllowHeaders {
        &self.headers
    }

    /// The `Access-Control-Expose-Headers` value, when headers are exposed.
    pub fn expose_headers(&self) -> Option<&HeaderValue> {
        self.expose.as_ref()
    }

    /// Whether credentialed requests are allowed.
    pub fn credentials(&self) -> bool {
        self.credentials
    }

    /// The `Access-Control-Max-Age` value, when configured.
    pub fn max_age(&self) -> Option<&HeaderValue> {
        self.max_age.as_ref()
    }

    /// Whether preflights asking for private network access are granted it.
    pub fn private_network(&self) -> bool {
        self.private_network
    }

    /// Whether the policy refuses cross-origin writes from origins it does not
    /// allow before the handler runs (see [`PolicyBuilder::csrf`](crate::PolicyBuilder::csrf) and
    /// [`Policy::write_refusal`]).
    pub fn csrf(&self) -> bool {
        self.csrf
    }

    /// Whether the policy is in debug mode (see [`PolicyBuilder::debug`](crate::PolicyBuilder::debug)).
    pub fn debug(&self) -> bool {
        self.debug
    }
}

/// Where a policy is found at request time: a `static` (`&'static Policy`, what
/// `#[cors]` and `cors_policy!` build), or a policy built at run time and shared
/// (`Arc<Policy>`).
///
/// A request loads its policy once and reads everything it needs from that one
/// load, so a source that can change (a policy reloaded while serving) never
/// gives a request half of one policy and half of another.
pub trait PolicySource: Clone + Send + Sync + 'static {
    /// What [`PolicySource::load`] returns.
    type Guard<'a>: Deref<Target = Policy>
    where
        Self: 'a;

    /// The policy, as it is now.
    fn load(&self) -> Self::Guard<'_>;
}

impl PolicySource for &'static Policy {
    type Guard<'a> = &'a Policy;

    fn load(&self) -> &Policy {
        self
    }
}

impl PolicySource for Arc<Policy> {
    type Guard<'a> = &'a Policy;

    fn load(&self) -> &Policy {
        self
    }
}
