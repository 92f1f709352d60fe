//! The typed seam between the macros and the runtime: a validated policy taken
//! apart into named parts ([`parts`]), which the macro writes out as a
//! `static`, and the `const` constructors that put the parts back together.
//! Not public API: only generated code and the macro crate use it.

use std::borrow::Cow;

use http::HeaderValue;

pub use crate::allow::{ALLOW_CAPACITY, AllowBytes, allow_bytes, allow_str, disjoint};
pub use crate::origin::Slot;
use crate::origin::{
    HostPattern, Index, OriginPattern, OriginSet, PortPattern, StaticValue, is_exact,
};
use crate::policy::{AllowHeaders, AllowOrigin, Policy};

/// A policy as named parts: `&'static` text in generated code, borrowed from a
/// validated policy in the macro.
#[derive(Clone, Debug)]
pub struct PolicyParts<'a> {
    /// `None` for any origin.
    pub origins: Option<SetParts<'a>>,
    /// The methods, as written.
    pub methods: &'a [Cow<'static, str>],
    /// `Access-Control-Allow-Methods`.
    pub allow_methods: &'a str,
    /// The allowed request headers.
    pub headers: HeaderParts<'a>,
    /// `Access-Control-Expose-Headers`.
    pub expose: Option<&'a str>,
    /// Whether credentials are allowed.
    pub credentials: bool,
    /// `Access-Control-Max-Age`.
    pub max_age: Option<&'a str>,
    /// Whether private network access is granted.
    pub private_network: bool,
    /// Whether cross-origin writes are refused.
    pub csrf: bool,
    /// Debug mode.
    pub debug: bool,
}

/// An [`OriginSet`] as named parts: the entries, and the index of a long list.
#[derive(Clone, Copy, Debug)]
pub struct SetParts<'a> {
    /// The entries, as written.
    pub patterns: &'a [OriginPattern],
    /// The index, when the list is long enough to have one.
    pub index: Option<IndexParts<'a>>,
}

/// The index of an [`OriginSet`] as named parts.
#[derive(Clone, Copy, Debug)]
pub struct IndexParts<'a> {
    /// The hash's seed.
    pub seed: u64,
    /// The hash table.
    pub slots: &'a [Slot],
    /// The entries' indices, grouped by key.
    pub order: &'a [u32],
    /// The kinds of entries present.
    pub kinds: u8,
    /// The lengths of subdomain patterns' domains.
    pub domain_lengths: [u64; 4],
}

/// [`AllowHeaders`] as named parts.
#[derive(Clone, Debug)]
pub enum HeaderParts<'a> {
    /// [`AllowHeaders::None`].
    None,
    /// [`AllowHeaders::List`].
    List {
        /// The names, lowercase.
        names: &'a [Cow<'static, str>],
        /// The joined value.
        value: &'a str,
    },
    /// [`AllowHeaders::Any`].
    Any {
        /// The names beside `*`.
        names: &'a [Cow<'static, str>],
        /// The joined value.
        value: &'a str,
    },
}

/// An [`OriginPattern`] as named parts.
#[derive(Clone, Copy, Debug)]
pub struct OriginParts<'a> {
    /// The entry as written.
    pub text: &'a str,
    /// The scheme.
    pub scheme: &'a str,
    /// The host.
    pub host: HostParts<'a>,
    /// The port.
    pub port: PortParts,
}

/// [`HostPattern`] as named parts.
#[derive(Clone, Copy, Debug)]
pub enum HostParts<'a> {
    /// [`HostPattern::Exact`].
    Exact(&'a str),
    /// [`HostPattern::Subdomains`].
    Subdomains(&'a str),
    /// [`HostPattern::Label`].
    Label {
        /// The fixed start of the label.
        prefix: &'a str,
        /// The fixed end of the label.
        suffix: &'a str,
        /// The domain under the label.
        domain: &'a str,
    },
    /// [`HostPattern::Any`].
    Any,
}

/// [`PortPattern`] as named parts.
#[derive(Clone, Copy, Debug)]
pub enum PortParts {
    /// [`PortPattern::Default`].
    Default,
    /// [`PortPattern::Exact`].
    Exact(u16),
    /// [`PortPattern::Any`].
    Any,
}

impl PolicyParts<'static> {
    /// The policy, in a `const` context.
    pub const fn build(self) -> Policy {
        let value = HeaderValue::from_static;
        Policy {
            origins: match self.origins {
                Some(set) => AllowOrigin::List(set.build()),
                None => AllowOrigin::Any,
            },
            methods: Cow::Borrowed(self.methods),
            allow_methods: value(self.allow_methods),
            headers: match self.headers {
                HeaderParts::None => AllowHeaders::None,
                HeaderParts::List { names, value: v } => AllowHeaders::List {
                    names: Cow::Borrowed(names),
                    value: value(v),
                },
                HeaderParts::Any { names, value: v } => AllowHeaders::Any {
                    names: Cow::Borrowed(names),
                    value: value(v),
                },
            },
            expose: match self.expose {
                Some(v) => Some(value(v)),
                None => None,
            },
            credentials: self.credentials,
            max_age: match self.max_age {
                Some(v) => Some(value(v)),
                None => None,
            },
            private_network: self.private_network,
            csrf: self.csrf,
            debug: self.debug,
        }
    }
}

impl SetParts<'static> {
    /// The set, in a `const` context.
    pub const fn build(self) -> OriginSet {
        OriginSet {
            patterns: Cow::Borrowed(self.patterns),
            index: match self.index {
                Some(index) => Some(Index {
                    seed: index.seed,
                    slots: Cow::Borrowed(index.slots),
                    order: Cow::Borrowed(index.order),
                    kinds: index.kinds,
                    domain_lengths: index.domain_lengths,
                }),
                None => None,
            },
        }
    }
}

impl OriginParts<'static> {
    /// The pattern, in a `const` context.
    pub const fn build(self) -> OriginPattern {
        let host = match self.host {
            HostParts::Exact(host) => HostPattern::Exact(Cow::Borrowed(host)),
            HostParts::Subdomains(domain) => HostPattern::Subdomains(Cow::Borrowed(domain)),
            HostParts::Label {
                prefix,
                suffix,
                domain,
            } => HostPattern::Label {
                prefix: Cow::Borrowed(prefix),
                suffix: Cow::Borrowed(suffix),
                domain: Cow::Borrowed(domain),
            },
            HostParts::Any => HostPattern::Any,
        };
        let port = match self.port {
            PortParts::Default => PortPattern::Default,
            PortParts::Exact(port) => PortPattern::Exact(port),
            PortParts::Any => PortPattern::Any,
        };
        OriginPattern {
            value: if is_exact(&host, &port) {
                StaticValue::of(self.text)
            } else {
                StaticValue::NONE
            },
            text: Cow::Borrowed(self.text),
            scheme: Cow::Borrowed(self.scheme),
            host,
            port,
        }
    }
}

/// The stand-in policy emitted beside the errors of an invalid policy, so that
/// the code around it still type-checks; the crate does not compile, so it never
/// runs.
pub const INVALID: PolicyParts<'static> = PolicyParts {
    origins: Some(SetParts {
        patterns: &[],
        index: None,
    }),
    methods: &[],
    allow_methods: "",
    headers: HeaderParts::None,
    expose: None,
    credentials: false,
    max_age: None,
    private_network: false,
    csrf: false,
    debug: false,
};

/// A validated policy taken apart, for the macro to write out.
pub fn parts(policy: &Policy) -> PolicyParts<'_> {
    PolicyParts {
        origins: match &policy.origins {
            AllowOrigin::Any => None,
            AllowOrigin::List(set) => Some(SetParts {
                patterns: &set.patterns,
                index: set.index.as_ref().map(|index| IndexParts {
                    seed: index.seed,
                    slots: &index.slots,
                    order: &index.order,
                    kinds: index.kinds,
                    domain_lengths: index.domain_lengths,
                }),
            }),
        },
        methods: &policy.methods,
        allow_methods: text(&policy.allow_methods),
        headers: match &policy.headers {
            AllowHeaders::None => HeaderParts::None,
            AllowHeaders::List { names, value } => HeaderParts::List {
                names,
                value: text(value),
            },
            AllowHeaders::Any { names, value } => HeaderParts::Any {
                names,
                value: text(value),
            },
        },
        expose: text_of(&policy.expose),
        credentials: policy.credentials,
        max_age: text_of(&policy.max_age),
        private_network: policy.private_network,
        csrf: policy.csrf,
        debug: policy.debug,
    }
}

fn text(value: &HeaderValue) -> &str {
    value.to_str().unwrap_or_default()
}

fn text_of(value: &Option<HeaderValue>) -> Option<&str> {
    value.as_ref().map(text)
}

/// An origin pattern taken apart, for the macro to write out.
pub fn origin_parts(pattern: &OriginPattern) -> OriginParts<'_> {
    OriginParts {
        text: &pattern.text,
        scheme: &pattern.scheme,
        host: match &pattern.host {
            HostPattern::Exact(host) => HostParts::Exact(host),
            HostPattern::Subdomains(domain) => HostParts::Subdomains(domain),
            HostPattern::Label {
                prefix,
                suffix,
                domain,
            } => HostParts::Label {
                prefix,
                suffix,
                domain,
            },
            HostPattern::Any => HostParts::Any,
        },
        port: match pattern.port {
            PortPattern::Default => PortParts::Default,
            PortPattern::Exact(port) => PortParts::Exact(port),
            PortPattern::Any => PortParts::Any,
        },
    }
}
