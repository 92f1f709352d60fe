//! The one table of methods that the workspace knows by name: which the `http`
//! crate names (and so axum routes by slot, and the attribute reads as bare
//! identifiers), and what browsers do with each.

/// What browsers do with a method that a script asks to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Treatment {
    /// Upper-cased before it is sent, whatever case the script wrote
    /// (`DELETE GET HEAD OPTIONS POST PUT`).
    Normalized,
    /// Sent exactly as written (`PATCH` and `patch` are two methods).
    AsWritten,
    /// Never sent (`CONNECT TRACE TRACK`, in any case).
    Forbidden,
}

/// One method of [`KNOWN`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Known {
    /// The method, upper case.
    pub name: &'static str,
    /// Whether the `http` crate has a constant for it (`http::Method::GET`).
    pub standard: bool,
    /// What browsers do with it.
    pub treatment: Treatment,
}

const fn known(name: &'static str, standard: bool, treatment: Treatment) -> Known {
    Known {
        name,
        standard,
        treatment,
    }
}

/// Every method known by name.
pub const KNOWN: [Known; 10] = [
    known("GET", true, Treatment::Normalized),
    known("HEAD", true, Treatment::Normalized),
    known("POST", true, Treatment::Normalized),
    known("PUT", true, Treatment::Normalized),
    known("DELETE", true, Treatment::Normalized),
    known("OPTIONS", true, Treatment::Normalized),
    known("PATCH", true, Treatment::AsWritten),
    known("CONNECT", true, Treatment::Forbidden),
    known("TRACE", true, Treatment::Forbidden),
    known("TRACK", false, Treatment::Forbidden),
];

/// The entry of [`KNOWN`] whose name equals `method` case-insensitively.
///
/// ```
/// use static_cors_runtime::method::{Treatment, lookup};
///
/// assert_eq!(lookup("get").unwrap().name, "GET");
/// assert_eq!(lookup("Track").unwrap().treatment, Treatment::Forbidden);
/// assert!(lookup("PURGE").is_none());
/// ```
pub fn lookup(method: &str) -> Option<&'static Known> {
    KNOWN.iter().find(|k| k.name.eq_ignore_ascii_case(method))
}
