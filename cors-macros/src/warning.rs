//! Warnings on stable Rust, where a proc macro cannot emit one: a function
//! that uses a `#[deprecated]` constant, spanned at the user's tokens, so that
//! rustc's `deprecated` lint reports the note there.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote_spanned};

/// A warning with its note, shown at `span` as the use of a deprecated item.
#[derive(Clone, Debug)]
pub struct FormattedWarning {
    name: Ident,
    note: String,
    span: Span,
}

impl FormattedWarning {
    /// A warning carried by a function called `name`, which must be unique in
    /// the module the tokens go to.
    pub fn new_deprecated(name: impl AsRef<str>, note: impl Into<String>, span: Span) -> Self {
        Self {
            name: Ident::new(name.as_ref(), span),
            note: note.into(),
            span,
        }
    }
}

impl ToTokens for FormattedWarning {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Self { name, note, span } = self;
        tokens.extend(quote_spanned!(*span=>
            #[allow(dead_code, non_snake_case)]
            fn #name() {
                #[deprecated(note = #note)]
                #[allow(non_upper_case_globals)]
                const _w: () = ();
                let _ = _w;
            }
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_is_a_deprecation_used_at_the_span() {
        let warning = FormattedWarning::new_deprecated("jar", "a note", Span::call_site());
        let tokens = warning.to_token_stream().to_string();
        assert!(tokens.contains("fn jar"), "{tokens}");
        assert!(
            tokens.contains("deprecated (note = \"a note\")"),
            "{tokens}"
        );
        assert!(tokens.contains("let _ = _w"), "{tokens}");
    }
}
