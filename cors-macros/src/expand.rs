//! The validated policy to tokens. Nothing here can fail: every value was checked
//! before, and an invalid attribute still gets its function and a stand-in
//! companion, so that the only errors the user sees are the attribute's own.

use proc_macro2::TokenStream;
use quote::quote;
use runtime::origin::{HostPattern, PortPattern};
use runtime::{AllowHeaders, AllowOrigin, Policy};
use syn::{Ident, Path, Visibility};

/// What the expansion needs to know of the annotated function.
pub struct Target<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
}

/// The companion module, `mod <handler> { POLICY, METHODS }`, beside the function.
pub fn companion(target: &Target<'_>, krate: &Path, policy: Option<&Policy>) -> TokenStream {
    let Target { ident, vis } = target;
    // The crate is named once, so that a wrong `crate = path` is one error.
    let private = quote!(__static_cors::__private);
    let (statics, policy_expr, methods) = match policy {
        Some(policy) => build(policy, &private),
        None => (quote!(), quote!(#private::Policy::__invalid()), quote!(&[])),
    };
    // Spanned at the user's path, where an error about it belongs.
    let span = krate
        .segments
        .last()
        .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span());
    let import = quote::quote_spanned!(span=> use #krate as __static_cors;);
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
            /// [`POLICY`] as a zero-sized value, for `cors_route!`.
            #[derive(Clone, Copy, Debug)]
            pub struct StaticPolicy;
            impl #private::PolicySource for StaticPolicy {
                fn policy(&self) -> &#private::Policy {
                    &POLICY
                }
            }
        }
    }
}

fn build(policy: &Policy, private: &TokenStream) -> (TokenStream, TokenStream, TokenStream) {
    let value = |v: &http::HeaderValue| {
        let text = v.to_str().unwrap_or_default();
        quote!(#private::HeaderValue::from_static(#text))
    };
    let optional = |v: Option<&http::HeaderValue>| match v {
        Some(v) => {
            let v = value(v);
            quote!(::core::option::Option::Some(#v))
        }
        None => quote!(::core::option::Option::None),
    };
    let names = |names: &[std::borrow::Cow<'static, str>]| {
        let names = names.iter().map(|n| n.as_ref());
        quote!(&[#(#private::Cow::Borrowed(#names)),*])
    };
    let mut statics = TokenStream::new();
    let origins = match policy.origins() {
        AllowOrigin::Any => quote!(#private::AllowOrigin::Any),
        AllowOrigin::List(patterns) => {
            let count = patterns.len();
            let patterns = patterns.iter().map(|p| {
                let text = p.as_str();
                let scheme = p.scheme();
                let host = match p.host() {
                    HostPattern::Exact(h) => {
                        quote!(#private::HostPattern::Exact(#private::Cow::Borrowed(#h)))
                    }
                    HostPattern::Subdomains(d) => {
                        let d = d.as_ref();
                        quote!(#private::HostPattern::Subdomains(#private::Cow::Borrowed(#d)))
                    }
                };
                let port = match p.port() {
                    PortPattern::Default => quote!(#private::PortPattern::Default),
                    PortPattern::Exact(n) => quote!(#private::PortPattern::Exact(#n)),
                    PortPattern::Any => quote!(#private::PortPattern::Any),
                };
                quote!(#private::OriginPattern::__from_parts(#text, #scheme, #host, #port))
            });
            statics.extend(quote! {
                static ORIGINS: [#private::OriginPattern; #count] = [#(#patterns),*];
            });
            quote!(#private::AllowOrigin::List(#private::Cow::Borrowed(&ORIGINS)))
        }
    };
    let listed = |variant: TokenStream,
                  list: &[std::borrow::Cow<'static, str>],
                  v: &http::HeaderValue| {
        let (list, v) = (names(list), value(v));
        quote!(#private::AllowHeaders::#variant { names: #private::Cow::Borrowed(#list), value: #v })
    };
    let headers = match policy.allow_headers() {
        AllowHeaders::None => quote!(#private::AllowHeaders::None),
        AllowHeaders::List { names, value } => listed(quote!(List), names, value),
        AllowHeaders::Any { names, value } => listed(quote!(Any), names, value),
    };
    let method_names = names(policy.methods());
    let method_strs = policy.methods().iter().map(|m| m.as_ref());
    let allow_methods = value(policy.allow_methods());
    let expose = optional(policy.expose_headers());
    let max_age = optional(policy.max_age());
    let credentials = policy.credentials();
    let private_network = policy.private_network();
    let expr = quote! {
        #private::Policy::__from_static(
            #origins,
            #method_names,
            #allow_methods,
            #headers,
            #expose,
            #credentials,
            #max_age,
            #private_network,
        )
    };
    (statics, expr, quote!(&[#(#method_strs),*]))
}
