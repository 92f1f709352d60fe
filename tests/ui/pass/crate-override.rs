//! `crate = path` is honoured: the generated code reaches the runtime through the
//! given path, relative, from `crate::` or absolute, and never through a relative
//! `static_cors`, `core` or `std`.
//!
//! The proof: each `use ... as ...` below is used by nothing but the code that
//! `#[cors(crate = ...)]` generates, and `unused_imports` is denied, so this file
//! compiles only if that code names the given path. Modules named `static_cors`,
//! `core` and `std` stand beside the handlers to catch any relative path, and
//! `unused_qualifications` is denied to keep the generated paths minimal.
#![deny(unused_imports, unused_qualifications)]

// A path relative to the handler's module (the companion module is one level down).
use ::static_cors as renamed;

#[::static_cors::cors(crate = renamed, origins = ["https://app.example.com"], methods = [GET])]
async fn relative() -> &'static str {
    "relative"
}

mod reexport {
    // Used only as `crate::reexport::cors_lib`, by generated code.
    pub(crate) use ::static_cors as cors_lib;
}

mod handlers {
    use ::static_cors::cors;

    // Anything generated as `static_cors::...`, `core::...` or `std::...` would
    // resolve to these empty modules and fail.
    mod static_cors {}
    mod core {}
    mod std {}

    #[cors(
        crate = crate::reexport::cors_lib,
        origins = ["https://app.example.com"],
        methods = [POST],
        credentials,
    )]
    pub async fn from_crate_root() -> &'static str {
        "from the crate root"
    }

    use ::static_cors as local_name;

    #[cors(crate = local_name, origins = "*", methods = [PUT], max_age = 600)]
    pub async fn from_this_module() -> &'static str {
        "from this module"
    }

    #[cors(crate = ::static_cors, origins = "*", methods = [DELETE])]
    pub async fn absolute() -> &'static str {
        "absolute"
    }
}

fn main() {
    assert_eq!(relative::POLICY.allow_methods(), "GET");
    assert!(handlers::from_crate_root::POLICY.credentials());
    assert_eq!(handlers::from_this_module::POLICY.max_age().unwrap(), "600");
    assert_eq!(handlers::absolute::METHODS, ["DELETE"]);
    let _ = (
        relative,
        handlers::from_crate_root,
        handlers::from_this_module,
        handlers::absolute,
    );
}
