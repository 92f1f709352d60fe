//! The validated policy to tokens. Nothing here can fail: every value was checked
//! before, and an invalid attribute still gets its function and a stand-in
//! companion, so that the only errors the user sees are the attribute's own.
//!
//! The policy crosses to generated code through one typed seam, the runtime's
//! `__private::PolicyParts`: taken apart here, written out field by field, and
//! put back together by its `const fn build`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use runtime::__private::{
    HeaderParts, HostParts, IndexParts, OriginParts, PolicyParts, PortParts, Slot,
};
use runtime::Policy;

use crate::args::CratePath;

/// What the expansion needs to know of the annotated function.
pub struct Target<'a> {
    /// The function's name, which the companion module takes.
    pub ident: &'a Ident,
    /// The function's visibility, as written (empty when private).
    pub vis: &'a TokenStream,
    /// Warnings about the handler's signature, as items.
    pub warnings: &'a TokenStream,
}

/// The companion module, `mod <handler> { POLICY, METHODS, ALLOW }`, beside the
/// function, with the items that carry the signature's warnings.
pub fn companion(target: &Target<'_>, krate: &CratePath, policy: Option<&Policy>) -> TokenStream {
    let Target {
        ident,
        vis,
        warnings,
    } = target;
    let private = quote!(__static_cors::__private);
    let (statics, policy_expr, methods, allow) = match policy {
        Some(policy) => {
            let parts = runtime::__private::parts(policy);
            let names: Vec<&str> = parts.methods.iter().map(|m| m.as_ref()).collect();
            // The `Allow` value of a path where this handler is alone, joined by
            // the rule that joins several handlers' in a `const`.
            let (bytes, len) = runtime::__private::allow_bytes(&[&names]);
            let allow = String::from_utf8_lossy(&bytes[..len]).into_owned();
            let (statics, expr) = policy_tokens(&parts, &private);
            (statics, expr, quote!(&[#(#names),*]), allow)
        }
        None => (
            quote!(),
            quote!(#private::INVALID.build()),
            quote!(&[]),
            String::new(),
        ),
    };
    let import = import(krate);
    let doc =
        format!("The CORS policy of the handler `{ident}`, checked at compile time by `#[cors]`.");
    quote! {
        #[doc = #doc]
        #[allow(non_snake_case)]
        #vis mod #ident {
            #import
            #statics
            /// The validated policy, with every response header value built at compile time.
            pub static POLICY: #private::Policy = #policy_expr;
            #[doc(hidden)]
            pub const METHODS: &[&str] = #methods;
            #[doc(hidden)]
            pub const ALLOW: &str = #allow;
            #warnings
        }
    }
}

/// The expression of `cors_policy!`: a block that names the crate once and
/// evaluates to the validated policy, usable in a `static`.
pub fn expression(krate: &CratePath, policy: Option<&Policy>) -> TokenStream {
    let private = quote!(__static_cors::__private);
    let (statics, expr) = match policy {
        Some(policy) => policy_tokens(&runtime::__private::parts(policy), &private),
        None => (quote!(), quote!(#private::INVALID.build())),
    };
    let import = import(krate);
    quote!({
        #import
        #statics
        #expr
    })
}

/// `use <crate> as __static_cors;`: the crate is named once, so that a wrong
/// `crate = path` is one error, spanned at the user's path.
pub fn import(krate: &CratePath) -> TokenStream {
    let span = krate
        .segments
        .last()
        .map_or_else(Span::call_site, Ident::span);
    quote_spanned!(span=> use #krate as __static_cors;)
}

/// The `static`s that the policy's expression refers to, and the expression.
pub fn policy_tokens(parts: &PolicyParts<'_>, private: &TokenStream) -> (TokenStream, TokenStream) {
    let option = |value: Option<&str>| match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let names = |names: &[std::borrow::Cow<'static, str>]| {
        let names = names.iter().map(|n| n.as_ref());
        quote!(&[#(#private::Cow::Borrowed(#names)),*])
    };
    let (statics, origins) = match parts.origins {
        None => (quote!(), quote!(::core::option::Option::None)),
        Some(set) => {
            let count = set.patterns.len();
            let patterns = set
                .patterns
                .iter()
                .map(|p| origin_tokens(&runtime::__private::origin_parts(p), private));
            // The index of a long list, built here, at compile time.
            let (index_statics, index) = match set.index {
                None => (quote!(), quote!(::core::option::Option::None)),
                Some(IndexParts {
                    seed,
                    slots,
                    order,
                    kinds,
                    domain_lengths,
                }) => {
                    let (slot_count, order_count) = (slots.len(), order.len());
                    let slots = slots.iter().map(|Slot { hash, start, end }| {
                        quote!(#private::Slot { hash: #hash, start: #start, end: #end })
                    });
                    (
                        quote! {
                            static SLOTS: [#private::Slot; #slot_count] = [#(#slots),*];
                            static ORDER: [u32; #order_count] = [#(#order),*];
                        },
                        quote! {
                            ::core::option::Option::Some(#private::IndexParts {
                                seed: #seed,
                                slots: &SLOTS,
                                order: &ORDER,
                                kinds: #kinds,
                                domain_lengths: [#(#domain_lengths),*],
                            })
                        },
                    )
                }
            };
            (
                quote! {
                    static ORIGINS: [#private::OriginPattern; #count] = [#(#patterns),*];
                    #index_statics
                },
                quote! {
                    ::core::option::Option::Some(#private::SetParts {
                        patterns: &ORIGINS,
                        index: #index,
                    })
                },
            )
        }
    };
    let headers = match &parts.headers {
        HeaderParts::None => quote!(#private::HeaderParts::None),
        HeaderParts::List { names: list, value } => {
            let list = names(list);
            quote!(#private::HeaderParts::List { names: #list, value: #value })
        }
        HeaderParts::Any { names: list, value } => {
            let list = names(list);
            quote!(#private::HeaderParts::Any { names: #list, value: #value })
        }
    };
    let methods = names(parts.methods);
    let allow_methods = parts.allow_methods;
    let expose = option(parts.expose);
    let credentials = parts.credentials;
    let max_age = option(parts.max_age);
    let private_network = parts.private_network;
    let csrf = parts.csrf;
    let debug = parts.debug;
    let expr = quote! {
        #private::PolicyParts {
            origins: #origins,
            methods: #methods,
            allow_methods: #allow_methods,
            headers: #headers,
            expose: #expose,
            credentials: #credentials,
            max_age: #max_age,
            private_network: #private_network,
            csrf: #csrf,
            debug: #debug,
        }.build()
    };
    (statics, expr)
}

fn origin_tokens(parts: &OriginParts<'_>, private: &TokenStream) -> TokenStream {
    let OriginParts { text, scheme, .. } = parts;
    let host = match parts.host {
        HostParts::Exact(host) => quote!(#private::HostParts::Exact(#host)),
        HostParts::Subdomains(domain) => quote!(#private::HostParts::Subdomains(#domain)),
        HostParts::Label {
            prefix,
            suffix,
            domain,
        } => quote! {
            #private::HostParts::Label { prefix: #prefix, suffix: #suffix, domain: #domain }
        },
        HostParts::Any => quote!(#private::HostParts::Any),
    };
    let port = match parts.port {
        PortParts::Default => quote!(#private::PortParts::Default),
        PortParts::Exact(port) => quote!(#private::PortParts::Exact(#port)),
        PortParts::Any => quote!(#private::PortParts::Any),
    };
    quote! {
        #private::OriginParts { text: #text, scheme: #scheme, host: #host, port: #port }.build()
    }
}
