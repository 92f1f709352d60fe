//! The `#[cors]` attribute of [static-cors](https://docs.rs/static-cors). Use it
//! through the `static-cors` crate, which documents it in full.
//!
//! The pipeline is parse (`args.rs`), check (`policy.rs`, which calls the runtime
//! crate's validator) and expand (`expand.rs`).

mod args;
mod expand;
mod policy;

use proc_macro::TokenStream;
use quote::quote;

extern crate static_cors_runtime as runtime;

/// Checks a CORS policy at compile time and gives the handler a companion module
/// holding it as a `static` (`handler::POLICY`). See the `static-cors` crate.
#[proc_macro_attribute]
pub fn cors(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand(attr.into(), item.into()).into()
}

fn expand(
    attr: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = args::error(
                proc_macro2::Span::call_site(),
                "`#[cors]` applies to a handler function",
                Some("put it on an `async fn` that axum can serve"),
            );
            let error = error.write_errors();
            return quote!(#error #item);
        }
    };
    let args = args::Args::parse(attr);
    let krate = args
        .krate
        .as_ref()
        .map(|k| nested(&k.0))
        .unwrap_or_else(|| syn::parse_quote!(::static_cors));
    let target = expand::Target {
        ident: &function.sig.ident,
        vis: &function.vis,
    };
    match policy::validate(&args) {
        Ok(policy) => {
            let companion = expand::companion(&target, &krate, Some(&policy));
            quote!(#item #companion)
        }
        Err(errors) => {
            let companion = expand::companion(&target, &krate, None);
            let errors = darling::Error::multiple(errors).write_errors();
            quote!(#item #companion #errors)
        }
    }
}

/// The crate path as seen from inside the companion module, one level down.
fn nested(path: &syn::Path) -> syn::Path {
    let first = path.segments.first().map(|s| s.ident.to_string());
    match first.as_deref() {
        _ if path.leading_colon.is_some() => path.clone(),
        Some("crate") | Some("$crate") => path.clone(),
        _ => {
            let mut nested: syn::Path = syn::parse_quote!(super);
            nested.segments.extend(path.segments.iter().cloned());
            nested
        }
    }
}
