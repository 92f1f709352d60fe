//! The guide: how to write a policy, where it applies, what it answers, and
//! what it costs, one topic per page.
//!
//! Each page is a Markdown file beside this one (`src/guide/<topic>.md`). Every
//! Rust example in them is compiled as a doctest; those that need the `serde`
//! feature run with `cargo test --doc --features serde,tracing`.
//!
//! In reading order: [`features`], [`attribute`], [`errors`], [`layer`],
//! [`configuration`]; then what happens at request time: [`behavior`],
//! [`denials`], [`csrf`], [`browsers`], [`threat_model`]; then [`migrating`] and
//! [`measurements`]. For an application's own tests: [`testing`]. About the
//! workspace itself: [`running`] and [`layout`].

#[doc = include_str!("features.md")]
pub mod features {}

#[doc = include_str!("attribute.md")]
pub mod attribute {}

#[doc = include_str!("errors.md")]
pub mod errors {}

#[doc = include_str!("layer.md")]
pub mod layer {}

#[doc = include_str!("configuration.md")]
pub mod configuration {}

#[doc = include_str!("behavior.md")]
pub mod behavior {}

#[doc = include_str!("denials.md")]
pub mod denials {}

#[doc = include_str!("csrf.md")]
pub mod csrf {}

#[doc = include_str!("browsers.md")]
pub mod browsers {}

#[doc = include_str!("threat_model.md")]
pub mod threat_model {}

#[doc = include_str!("migrating.md")]
pub mod migrating {}

#[doc = include_str!("measurements.md")]
pub mod measurements {}

#[doc = include_str!("testing.md")]
pub mod testing {}

#[doc = include_str!("running.md")]
pub mod running {}

#[doc = include_str!("layout.md")]
pub mod layout {}
