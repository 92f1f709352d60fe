//! The attribute re-emits the function as written: docs, visibility, generics,
//! where clauses and other attributes. `missing_docs` proves the docs are kept
//! (and that the companion module has its own), `unused_variables` that the
//! `#[allow]` beside `#[cors]` is kept, on either side of it.
#![deny(missing_docs, unused_variables)]

use static_cors::cors;

/// Handlers with every kind of signature.
pub mod handlers {
    use static_cors::cors;

    /// Lists the items.
    #[cors(origins = ["https://app.example.com"], methods = [GET])]
    #[allow(unused_variables)]
    pub async fn documented(ignored: u8) -> &'static str {
        "documented"
    }

    /// Attributes before `#[cors]` are kept too.
    #[allow(unused_variables)]
    #[cors(origins = ["https://app.example.com"], methods = [GET])]
    pub async fn attribute_first(ignored: u8) -> &'static str {
        "first"
    }

    /// Generic over a type, with a where clause.
    #[cors(origins = ["https://app.example.com"], methods = [GET])]
    pub async fn generic<T>(value: T) -> String
    where
        T: ToString + Send,
    {
        value.to_string()
    }

    /// Generic over a lifetime and a constant.
    #[cors(origins = ["https://app.example.com"], methods = [GET])]
    pub async fn borrowed<'a, const N: usize>(text: &'a str) -> &'a str {
        &text[..N]
    }

    #[cors(origins = ["https://app.example.com"], methods = [GET])]
    pub(crate) async fn crate_visible() -> &'static str {
        "crate"
    }
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn private() -> &'static str {
    "private"
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert_eq!(handlers::documented(0).await, "documented");
    assert_eq!(handlers::attribute_first(0).await, "first");
    assert_eq!(handlers::generic(42).await, "42");
    assert_eq!(handlers::borrowed::<3>("abcdef").await, "abc");
    assert_eq!(handlers::crate_visible().await, "crate");
    assert_eq!(private().await, "private");
    // The companion modules have the function's visibility.
    for policy in [
        &handlers::documented::POLICY,
        &handlers::attribute_first::POLICY,
        &handlers::generic::POLICY,
        &handlers::borrowed::POLICY,
        &handlers::crate_visible::POLICY,
        &private::POLICY,
    ] {
        assert_eq!(policy.allow_methods(), "GET");
    }
}
