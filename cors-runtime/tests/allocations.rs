//! Exact allocation counts of the runtime's request path, with and without the
//! `tracing` feature: `cargo test -p static-cors-runtime` builds it without,
//! `cargo test --workspace` with it (the facade's tests turn it on). Either way,
//! deciding a request allocates nothing, allowed or denied, for every reason,
//! and with the feature a subscriber that is not interested in `static_cors`
//! changes nothing.

use std::sync::Arc;

#[path = "../../tests/support/counting.rs"]
mod counting;

use counting::counted;
use http::{HeaderMap, HeaderValue, Method};
use static_cors_runtime::{DynamicPolicy, Policy, PolicySource};

fn request(lines: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in lines {
        map.append(*name, HeaderValue::from_static(value));
    }
    map
}

fn policy() -> Policy {
    Policy::builder()
        .origins([
            "https://app.example.com",
            "https://pr-*.preview.example.com",
        ])
        .methods(["GET", "PUT"])
        .headers(["content-type"])
        .credentials(true)
        .max_age(600)
        .build()
        .unwrap()
}

/// Allocations of one preflight and one actual request of each kind, through
/// `source`.
fn every_kind(source: &impl PolicySource) -> Vec<(&'static str, usize)> {
    let preflights: [(&str, &[(&str, &str)]); 6] = [
        (
            "allowed",
            &[
                ("origin", "https://pr-7.preview.example.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "content-type"),
            ],
        ),
        (
            "origin not allowed",
            &[
                ("origin", "https://evil.example.net"),
                ("access-control-request-method", "PUT"),
            ],
        ),
        (
            "origin malformed",
            &[
                ("origin", "https://app.example.com/"),
                ("access-control-request-method", "PUT"),
            ],
        ),
        (
            "method not served",
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "DELETE"),
            ],
        ),
        (
            "header not allowed",
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "x-trace"),
            ],
        ),
        (
            "private network",
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-private-network", "true"),
            ],
        ),
    ];
    let mut report = Vec::new();
    for (kind, lines) in preflights {
        let request = request(lines);
        // Once before counting, so that one-time work is not counted.
        source
            .load()
            .preflight(&request, &mut HeaderMap::with_capacity(8));
        let mut response = HeaderMap::with_capacity(8);
        let (n, _) = counted(|| source.load().preflight(&request, &mut response));
        report.push((kind, n));
    }
    let actuals: [(&str, &[(&str, &str)]); 4] = [
        ("actual allowed", &[("origin", "https://app.example.com")]),
        ("actual denied", &[("origin", "https://evil.example.net")]),
        ("actual null", &[("origin", "null")]),
        ("actual without origin", &[]),
    ];
    for (kind, lines) in actuals {
        let request = request(lines);
        drop(source.load().actual(&Method::GET, &request));
        let (n, _) = counted(|| source.load().actual(&Method::GET, &request));
        report.push((kind, n));
    }
    report
}

#[test]
fn deciding_allocates_nothing_for_any_reason() {
    println!("tracing compiled in: {}", cfg!(feature = "tracing"));
    let statics: &'static Policy = Box::leak(Box::new(policy()));
    let dynamic = DynamicPolicy::new(policy());
    // A first load sets up the thread's arc-swap slot, once per thread.
    drop(dynamic.load());
    for source in [
        every_kind(&statics),
        every_kind(&Arc::new(policy())),
        every_kind(&dynamic),
    ] {
        for (kind, n) in source {
            assert_eq!(n, 0, "{kind}");
        }
    }
}

/// A list long enough to be looked up in its hash index, with an entry of every
/// kind, so that a request probes each of them.
fn long_policy() -> Policy {
    let tenants = (0..1_000).map(|i| format!("https://tenant{i}.customer-domain{i}.com"));
    Policy::builder()
        .origins(tenants.chain([
            "https://app.example.com".to_owned(),
            "https://pr-*.preview.example.com".to_owned(),
            "https://*.example.org".to_owned(),
            "http://localhost:*".to_owned(),
            "moz-extension://*".to_owned(),
        ]))
        .methods(["GET", "PUT"])
        .headers(["content-type"])
        .credentials(true)
        .dangerous_any_extension_origin(true)
        .max_age(600)
        .build()
        .unwrap()
}

#[test]
fn the_index_of_a_long_list_allocates_nothing_either() {
    let statics: &'static Policy = Box::leak(Box::new(long_policy()));
    let dynamic = DynamicPolicy::new(long_policy());
    drop(dynamic.load());
    for source in [every_kind(&statics), every_kind(&dynamic)] {
        for (kind, n) in source {
            assert_eq!(n, 0, "{kind}");
        }
    }
}

#[cfg(feature = "tracing")]
#[test]
fn a_subscriber_not_interested_in_static_cors_changes_nothing() {
    use tracing::subscriber::Interest;
    use tracing::{Event, Metadata, Subscriber, span};

    /// Interested in warnings and errors only, as a production subscriber is.
    struct WarningsOnly;

    impl Subscriber for WarningsOnly {
        fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
            if self.enabled(metadata) {
                Interest::always()
            } else {
                Interest::never()
            }
        }
        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            *metadata.level() <= tracing::Level::WARN
        }
        fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
            Some(tracing::level_filters::LevelFilter::WARN)
        }
        fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
            span::Id::from_u64(1)
        }
        fn record(&self, _: &span::Id, _: &span::Record<'_>) {}
        fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}
        fn event(&self, _: &Event<'_>) {
            panic!("no event of static_cors is at warning level");
        }
        fn enter(&self, _: &span::Id) {}
        fn exit(&self, _: &span::Id) {}
    }

    let statics: &'static Policy = Box::leak(Box::new(policy()));
    let without = every_kind(&statics);
    let with = tracing::subscriber::with_default(WarningsOnly, || every_kind(&statics));
    assert_eq!(with, without);
    assert!(with.iter().all(|(_, n)| *n == 0), "{with:?}");
}

#[test]
fn judging_a_websocket_handshake_allocates_nothing_unless_it_is_refused() {
    let guarded = Policy::builder()
        .origins(["https://app.example.com"])
        .methods(["GET"])
        .csrf(true)
        .build()
        .unwrap();
    let uri = http::Uri::from_static("/ws");
    let handshake = |lines: &[(&'static str, &'static str)]| {
        let mut all = vec![
            ("host", "api.example.com"),
            ("upgrade", "h2c, WebSocket"),
            ("connection", "keep-alive"),
            ("connection", "Upgrade"),
            ("sec-websocket-version", "13"),
        ];
        all.extend_from_slice(lines);
        request(&all)
    };
    for (kind, lines) in [
        (
            "allowed origin",
            &[
                ("origin", "https://app.example.com"),
                ("sec-fetch-site", "cross-site"),
            ][..],
        ),
        (
            "same-origin",
            &[
                ("origin", "https://api.example.com"),
                ("sec-fetch-site", "same-origin"),
            ],
        ),
        (
            "Origin equal to Host",
            &[("origin", "https://api.example.com")],
        ),
        ("no Origin", &[]),
    ] {
        let request = handshake(lines);
        let (n, handshake) =
            counted(|| static_cors_runtime::csrf::is_websocket_handshake(&Method::GET, &request));
        assert!(handshake, "{kind}");
        assert_eq!(n, 0, "{kind}: recognising the handshake");
        let (n, refused) = counted(|| guarded.write_refusal(&Method::GET, &uri, &request));
        assert!(refused.is_none(), "{kind}");
        assert_eq!(n, 0, "{kind}: letting it through");
    }
}
