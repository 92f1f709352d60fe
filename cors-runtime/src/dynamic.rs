//! A policy that can be replaced while the application serves: what a
//! multi-tenant service needs to add a customer's domain without a restart.

use std::convert::Infallible;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::policy::{Policy, PolicySource};
use crate::validate::{Invalid, Key, Location, PolicyBuilder, PolicyError};

/// A policy source whose policy can be swapped while requests are served:
/// `CorsLayer::new(dynamic.clone())`, or a `CorsRoute` handler's policy.
///
/// Reads are lock-free (one [`arc_swap`] load per request, no allocation), and
/// each request reads one whole policy, the one current when it arrived, never
/// a mix of two. [`DynamicPolicy::reconfigure`] validates the new policy first
/// and leaves the current one in place when it is refused.
///
/// The methods are fixed for the life of a `DynamicPolicy`: routes are set up
/// for them (a path's handlers, its `Allow` value), so a new policy must serve
/// the same ones. Everything else may change.
///
/// ```
/// use http::{HeaderMap, HeaderValue};
/// use static_cors_runtime::{DynamicPolicy, Policy, PolicySource};
///
/// let tenant_b = HeaderMap::from_iter([(
///     http::header::ORIGIN,
///     HeaderValue::from_static("https://b.example.net"),
/// )]);
/// let tenants = DynamicPolicy::new(
///     Policy::builder().origins(["https://a.example.com"]).methods(["GET"]).build()?,
/// );
/// let serving = tenants.clone(); // what the layer holds
///
/// tenants.reconfigure(
///     Policy::builder()
///         .origins(["https://a.example.com", "https://b.example.net"])
///         .methods(["GET"]),
/// )?;
/// assert!(serving.load().allowed_origin(&tenant_b).is_some());
///
/// // A mistake is refused with every problem, and the policy stays.
/// let error = tenants
///     .reconfigure(Policy::builder().origins(["https://c.example.org/"]).methods(["GET"]))
///     .unwrap_err();
/// assert!(error.to_string().contains("origins[0]"));
/// assert!(serving.load().allowed_origin(&tenant_b).is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct DynamicPolicy {
    current: Arc<ArcSwap<Policy>>,
}

impl DynamicPolicy {
    /// A source serving `policy` until it is reconfigured.
    pub fn new(policy: Policy) -> Self {
        Self {
            current: Arc::new(ArcSwap::from_pointee(policy)),
        }
    }

    /// Replaces the policy, for the requests that arrive from now on. `new` is
    /// anything that converts into a [`Policy`] with the one validator: a
    /// [`Policy`], a [`PolicyBuilder`], or a `PolicyConfig` (feature `serde`).
    ///
    /// A policy that is invalid, or that serves other methods than the current
    /// one, is refused with every problem, and the current policy stays.
    pub fn reconfigure<C>(&self, new: C) -> Result<(), PolicyError>
    where
        C: TryInto<Policy>,
        PolicyError: From<C::Error>,
    {
        let new = new.try_into()?;
        let current = self.current.load();
        if new.methods() != current.methods() {
            let problem = Invalid::new(format!(
                "`methods` cannot change while serving: routes were set up for `{}`",
                current.allow_methods().to_str().unwrap_or_default()
            ))
            .help("keep the methods, or restart with the new ones")
            .at(Location::Value(Key::Methods));
            return Err(PolicyError::new(vec![problem]));
        }
        self.current.store(Arc::new(new));
        Ok(())
    }

    /// The policy as it is now.
    pub fn current(&self) -> Arc<Policy> {
        self.current.load_full()
    }
}

impl fmt::Debug for DynamicPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DynamicPolicy")
            .field(&**self.current.load())
            .finish()
    }
}

/// The policy one request reads from a [`DynamicPolicy`]: it stays whole while
/// the request holds it, whatever reconfigurations happen meanwhile.
pub struct Loaded(arc_swap::Guard<Arc<Policy>>);

impl Deref for Loaded {
    type Target = Policy;

    #[inline]
    fn deref(&self) -> &Policy {
        &self.0
    }
}

impl PolicySource for DynamicPolicy {
    type Guard<'a> = Loaded;

    #[inline]
    fn load(&self) -> Loaded {
        Loaded(self.current.load())
    }
}

impl TryFrom<PolicyBuilder> for Policy {
    type Error = PolicyError;

    fn try_from(builder: PolicyBuilder) -> Result<Self, PolicyError> {
        builder.build()
    }
}

impl From<Infallible> for PolicyError {
    fn from(never: Infallible) -> Self {
        match never {}
    }
}
