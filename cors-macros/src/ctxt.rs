//! The one error context of an expansion: every error of the arguments, of the
//! policy's rules and of the annotated item goes here, and all of them are
//! reported together, in source order, as rustc reports its own.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// One error: its message (with any `help:` line) and where it points.
#[derive(Clone, Debug)]
pub struct Error {
    span: Span,
    message: String,
}

/// An error, or the value.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// `::core::compile_error! { "message" }`, every token at the error's span,
    /// which is where rustc reports it.
    fn to_tokens(&self) -> TokenStream {
        let span = self.span;
        let punct = |ch, spacing| {
            let mut punct = Punct::new(ch, spacing);
            punct.set_span(span);
            TokenTree::Punct(punct)
        };
        let mut message = Literal::string(&self.message);
        message.set_span(span);
        let mut body = Group::new(Delimiter::Brace, TokenTree::Literal(message).into());
        body.set_span(span);
        [
            punct(':', Spacing::Joint),
            punct(':', Spacing::Alone),
            TokenTree::Ident(Ident::new("core", span)),
            punct(':', Spacing::Joint),
            punct(':', Spacing::Alone),
            TokenTree::Ident(Ident::new("compile_error", span)),
            punct('!', Spacing::Alone),
            TokenTree::Group(body),
        ]
        .into_iter()
        .collect()
    }
}

/// Collects errors; [`Ctxt::finish`] reports them.
#[derive(Default)]
pub struct Ctxt {
    errors: Vec<Error>,
}

impl Ctxt {
    /// An error in rustc's style at `span`, with a `help:` line where one fix
    /// exists.
    pub fn error(&mut self, span: Span, message: impl AsRef<str>, help: Option<&str>) {
        self.errors.push(error(span, message, help));
    }

    /// An error made elsewhere, by [`error`].
    pub fn push(&mut self, error: Error) {
        self.errors.push(error);
    }

    /// The value of `result`, or `None` with its error recorded.
    pub fn ok<T>(&mut self, result: Result<T>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    /// How many errors were recorded so far.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// `Ok` when nothing was recorded, else every error as `compile_error!`
    /// tokens, in source order.
    pub fn finish(mut self) -> std::result::Result<(), TokenStream> {
        if self.errors.is_empty() {
            return Ok(());
        }
        self.errors.sort_by_key(|e| {
            let start = e.span.start();
            (start.line, start.column)
        });
        Err(self.errors.iter().map(Error::to_tokens).collect())
    }
}

/// An error in rustc's style, with an optional `help:` line.
pub fn error(span: Span, message: impl AsRef<str>, help: Option<&str>) -> Error {
    let message = match help {
        Some(help) => format!("{}\n\n= help: {help}", message.as_ref()),
        None => message.as_ref().to_owned(),
    };
    Error { span, message }
}
