//! The `tracing` feature: every denial is one `debug` event of target
//! `static_cors` with its `reason`, the `origin`, the `method` and, where there
//! is one, the refused `header`; a preflight allowed is one `trace` event.
//! Events are recorded by a subscriber of this file, through the application-wide
//! layer and through a `cors_route!` route.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::routing::get;
use http::{Method, Request};
use static_cors::{CorsLayer, Policy, cors, cors_policy, cors_route};
use tower::ServiceExt;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// One event as recorded: its target, level and fields.
#[derive(Clone, Debug, PartialEq)]
struct Recorded {
    target: String,
    level: Level,
    fields: BTreeMap<String, String>,
}

/// Records every event of every target.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Recorded>>>);

impl Recorder {
    fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Recorded {
            target: event.metadata().target().to_owned(),
            level: *event.metadata().level(),
            fields,
        });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

static API: Policy = cors_policy!(
    origins = ["https://app.example.com"],
    methods = [GET, POST],
    headers = ["content-type"],
    csrf,
);

#[cors(origins = ["https://admin.example.com"], methods = [PUT])]
async fn admin() -> &'static str {
    "ok"
}

fn app() -> Router {
    Router::new()
        .route("/items", get(async || "ok").post(async || "ok"))
        .layer(CorsLayer::new(&API))
        .route("/admin", cors_route!(admin))
}

/// The events of one request, with their fields.
fn events_of(request: Request<Body>) -> Vec<Recorded> {
    let recorder = Recorder::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    tracing::subscriber::with_default(recorder.clone(), || {
        runtime.block_on(app().oneshot(request)).unwrap();
    });
    recorder.take()
}

fn request(method: Method, path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).unwrap()
}

fn denial(fields: &[(&str, &str)]) -> Recorded {
    Recorded {
        target: "static_cors".to_owned(),
        level: Level::DEBUG,
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

#[test]
fn a_preflight_denied_for_a_header_names_it() {
    let events = events_of(request(
        Method::OPTIONS,
        "/items",
        &[
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type, x-trace"),
        ],
    ));
    assert_eq!(
        events,
        [denial(&[
            (
                "message",
                "CORS request denied: the header `x-trace` is not allowed"
            ),
            ("reason", "header_not_allowed"),
            ("origin", "https://app.example.com"),
            ("method", "POST"),
            ("header", "x-trace"),
            ("preflight", "true"),
        ])]
    );
}

#[test]
fn each_kind_of_denial_is_one_event_with_its_reason() {
    let cases = [
        (
            request(
                Method::OPTIONS,
                "/anywhere",
                &[
                    ("origin", "https://evil.example.net"),
                    ("access-control-request-method", "GET"),
                ],
            ),
            "origin_not_allowed",
        ),
        (
            request(
                Method::OPTIONS,
                "/items",
                &[
                    ("origin", "https://app.example.com"),
                    ("access-control-request-method", "DELETE"),
                ],
            ),
            "method_not_served",
        ),
        (
            request(Method::GET, "/items", &[("origin", "null")]),
            "origin_null",
        ),
        (request(Method::GET, "/items", &[]), "origin_absent"),
        (
            request(
                Method::GET,
                "/items",
                &[("origin", "https://APP.example.com")],
            ),
            "origin_malformed",
        ),
        (
            request(
                Method::POST,
                "/items",
                &[
                    ("origin", "https://evil.example.net"),
                    ("sec-fetch-site", "cross-site"),
                ],
            ),
            "cross_origin_write_refused",
        ),
        (
            request(
                Method::GET,
                "/items",
                &[
                    ("origin", "https://evil.example.net"),
                    ("sec-fetch-site", "cross-site"),
                    ("upgrade", "websocket"),
                    ("connection", "Upgrade"),
                ],
            ),
            "cross_origin_websocket_refused",
        ),
        (
            request(
                Method::OPTIONS,
                "/admin",
                &[
                    ("origin", "https://admin.example.com"),
                    ("access-control-request-method", "PATCH"),
                ],
            ),
            "method_not_served",
        ),
        (
            request(
                Method::PUT,
                "/admin",
                &[("origin", "https://app.example.com")],
            ),
            "origin_not_allowed",
        ),
    ];
    for (request, reason) in cases {
        let shown = format!("{} {}", request.method(), request.uri());
        let events = events_of(request);
        assert_eq!(events.len(), 1, "{shown}: {events:?}");
        assert_eq!(events[0].target, "static_cors", "{shown}");
        assert_eq!(events[0].level, Level::DEBUG, "{shown}");
        assert_eq!(events[0].fields["reason"], reason, "{shown}");
    }
}

#[test]
fn a_refused_websocket_handshake_is_one_event_with_its_fields() {
    let events = events_of(request(
        Method::GET,
        "/items",
        &[
            ("origin", "https://evil.example.net"),
            ("sec-fetch-site", "cross-site"),
            ("upgrade", "websocket"),
            ("connection", "keep-alive, Upgrade"),
        ],
    ));
    assert_eq!(
        events,
        [denial(&[
            (
                "message",
                "CORS request denied: cross-origin WebSocket refused"
            ),
            ("reason", "cross_origin_websocket_refused"),
            ("origin", "https://evil.example.net"),
            ("method", "GET"),
            ("preflight", "false"),
        ])]
    );
}

#[test]
fn an_allowed_preflight_is_a_trace_event_and_an_allowed_request_none() {
    let events = events_of(request(
        Method::OPTIONS,
        "/items",
        &[
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "POST"),
        ],
    ));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].level, Level::TRACE);
    assert_eq!(events[0].fields["message"], "CORS preflight allowed");
    assert_eq!(events[0].fields["origin"], "https://app.example.com");
    let allowed = request(
        Method::GET,
        "/items",
        &[("origin", "https://app.example.com")],
    );
    assert_eq!(events_of(allowed), []);
}

#[test]
fn evaluating_a_request_reports_nothing() {
    let recorder = Recorder::default();
    let resource =
        static_cors::runtime::Resource::new(vec![std::sync::Arc::new(API.clone())]).unwrap();
    let denied = [
        request(
            Method::OPTIONS,
            "/items",
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "PATCH"),
            ],
        ),
        request(
            Method::OPTIONS,
            "/items",
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "x-trace"),
            ],
        ),
        request(
            Method::DELETE,
            "/items",
            &[("origin", "https://evil.example.net")],
        ),
        request(Method::GET, "/items", &[("origin", "null")]),
        request(
            Method::POST,
            "/items",
            &[
                ("origin", "https://evil.example.net"),
                ("sec-fetch-site", "cross-site"),
            ],
        ),
    ];
    tracing::subscriber::with_default(recorder.clone(), || {
        for request in &denied {
            assert!(API.evaluate(request).reason().is_some());
            assert!(resource.evaluate(request).reason().is_some());
        }
    });
    assert_eq!(recorder.take(), []);
}
