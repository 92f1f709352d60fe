//! The annotated function as the attribute reads it: its visibility and its
//! signature. The body is kept as tokens and never parsed, which keeps the
//! attribute's own work independent of the handler's size.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Attribute, Signature, Visibility};

use crate::ctxt::Ctxt;

/// A handler function, without its body.
pub struct Handler {
    pub vis: Visibility,
    pub sig: Signature,
}

impl Parse for Handler {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let body: proc_macro2::Group = input.parse()?;
        if body.delimiter() != proc_macro2::Delimiter::Brace || !input.is_empty() {
            return Err(input.error("expected a function body"));
        }
        Ok(Self { vis, sig })
    }
}

impl Handler {
    /// Reads the item under `#[cors]`, or records why it cannot carry one.
    pub fn parse(item: TokenStream, cx: &mut Ctxt) -> Option<Self> {
        let Ok(handler) = syn::parse2::<Handler>(item) else {
            cx.error(
                Span::call_site(),
                "`#[cors]` applies to a handler function",
                Some("put it on an `async fn` that axum can serve"),
            );
            return None;
        };
        if let Some(receiver) = handler.sig.receiver() {
            cx.error(
                receiver.span(),
                "`#[cors]` applies to free functions: a handler takes no `self`",
                Some("move the handler out of the `impl` block"),
            );
            return None;
        }
        Some(handler)
    }
}
