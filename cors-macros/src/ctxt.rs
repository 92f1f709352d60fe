//! The one error context of an expansion: every error of the arguments, of the
//! policy's rules and of the annotated item goes here, and all of them are
//! reported together, in source order, as rustc reports its own.

use darling::Error;
use proc_macro2::{Span, TokenStream};

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

    /// An error made elsewhere (darling's, syn's).
    pub fn push(&mut self, error: impl Into<Error>) {
        self.errors.push(error.into());
    }

    /// The value of `result`, or `None` with its error recorded.
    pub fn ok<T>(&mut self, result: darling::Result<T>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    /// How many errors were recorded so far.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// `Ok` when nothing was recorded, else every error as `compile_error!`
    /// tokens, in source order.
    pub fn finish(mut self) -> Result<(), TokenStream> {
        if self.errors.is_empty() {
            return Ok(());
        }
        self.errors.sort_by_key(|e| {
            let start = e.span().start();
            (start.line, start.column)
        });
        Err(Error::multiple(self.errors).write_errors())
    }
}

/// An error in rustc's style, with an optional `help:` line.
pub fn error(span: Span, message: impl AsRef<str>, help: Option<&str>) -> Error {
    let text = match help {
        Some(help) => format!("{}\n\n= help: {help}", message.as_ref()),
        None => message.as_ref().to_owned(),
    };
    Error::custom(text).with_span(&span)
}
