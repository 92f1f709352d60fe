//! A soak over real HTTP: a server on loopback (a `cors_route!` route and an
//! application behind `CorsLayer`), 64 concurrent keep-alive connections and
//! 100,000 requests of a mixed load: valid preflights and actual requests,
//! adversarial origins, two `Origin` lines, 100 KiB header lists, non-UTF-8
//! bytes in header values, writes that write protection refuses or admits, and
//! preflights that debug mode answers. Every response must agree with the reference model,
//! no connection may fail, and the process's resident memory after the run must
//! be within a few MiB of what it was after a warm-up.
//!
//! It takes seconds, so it runs with every `cargo test`.

#[path = "support/model.rs"]
mod model;
#[path = "support/strategies.rs"]
mod strategies;
#[path = "support/test_handler.rs"]
mod test_handler;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::response::Response;
use axum::routing::any;
use model::{Answer, Mount, Request, Spec, agree, answer, compared};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use static_cors::{CorsLayer, Policy, cors, cors_route};
use strategies::{Generated, entries_of, is_sendable, request};
use test_handler::{handler, handler_headers};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CONNECTIONS: usize = 64;
const REQUESTS: usize = 100_000;
const WARM_UP: usize = 10_000;
/// The most the resident memory may grow over the run.
const RSS_SLACK: usize = 8 * 1024 * 1024;

#[cors(
    origins = [
        "https://app.example.com",
        "https://*.example.org",
        "http://localhost:*",
        "https://pr-*.preview.example.com",
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
    ],
    methods = [GET, POST, PUT],
    headers = ["content-type", "x-api-key"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
    csrf,
)]
async fn items() -> Response {
    handler().await
}

fn route_spec() -> Spec {
    Spec {
        origins: [
            "https://app.example.com",
            "https://*.example.org",
            "http://localhost:*",
            "https://pr-*.preview.example.com",
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
        ]
        .map(str::to_owned)
        .to_vec(),
        methods: ["GET", "POST", "PUT"].map(str::to_owned).to_vec(),
        headers: ["content-type", "x-api-key"].map(str::to_owned).to_vec(),
        expose: vec!["x-request-id".to_owned()],
        credentials: true,
        max_age: Some(600),
        private_network: false,
        dangerous_insecure_origins: false,
        dangerous_public_suffix_wildcards: false,
        csrf: true,
        debug: false,
    }
}

fn layer_spec() -> Spec {
    Spec {
        origins: ["https://admin.example.com", "https://*.admin.example.net:*"]
            .map(str::to_owned)
            .to_vec(),
        methods: ["GET", "DELETE", "PATCH"].map(str::to_owned).to_vec(),
        headers: vec!["*".to_owned()],
        expose: Vec::new(),
        credentials: true,
        max_age: None,
        private_network: true,
        dangerous_insecure_origins: false,
        dangerous_public_suffix_wildcards: false,
        csrf: true,
        debug: true,
    }
}

fn layer_policy(spec: &Spec) -> Arc<Policy> {
    Arc::new(
        Policy::builder()
            .origins(spec.origins.clone())
            .methods(spec.methods.clone())
            .headers(spec.headers.clone())
            .credentials(spec.credentials)
            .private_network(spec.private_network)
            .csrf(spec.csrf)
            .debug(spec.debug)
            .build()
            .unwrap(),
    )
}

/// The load: requests made by the strategies (each with its path), and the
/// malformed ones written by hand.
fn load(route: &Spec, layer: &Spec) -> Vec<(&'static str, Request)> {
    let generated = |spec: &Spec| {
        vec![Generated {
            spec: spec.clone(),
            entries: entries_of(&spec.origins),
        }]
    };
    let mut runner = TestRunner::deterministic();
    let mut out = Vec::new();
    for (path, spec) in [("/items", route), ("/app", layer)] {
        let strategy = request(&generated(spec));
        while out.iter().filter(|(p, _)| *p == path).count() < 400 {
            let request = strategy.new_tree(&mut runner).unwrap().current();
            // What a server sees: HTTP/1.1 cannot carry control bytes, and its
            // parser drops the whitespace around a value. A `CONNECT` (the
            // HTTP/2 form of a WebSocket handshake) is not sent: in HTTP/1.1 it
            // asks for a tunnel, and its target is never a path.
            if is_sendable(&request) && request.method != "CONNECT" {
                out.push((path, over_http1(trimmed(request))));
            }
        }
    }
    let line = |name: &str, value: &[u8]| (name.to_owned(), value.to_vec());
    let huge = format!("content-type,{}", "x".repeat(100 * 1024));
    for path in ["/items", "/app"] {
        out.push((
            path,
            Request {
                method: "GET".into(),
                authority: None,
                headers: vec![
                    line("host", b"soak"),
                    line("origin", b"https://app.example.com"),
                    line("origin", b"https://evil.example.net"),
                ],
            },
        ));
        out.push((
            path,
            Request {
                method: "OPTIONS".into(),
                authority: None,
                headers: vec![
                    line("host", b"soak"),
                    line("origin", b"https://app.example.com"),
                    line("access-control-request-method", b"PUT"),
                    line("access-control-request-headers", huge.as_bytes()),
                ],
            },
        ));
        out.push((
            path,
            Request {
                method: "OPTIONS".into(),
                authority: None,
                headers: vec![
                    line("host", b"soak"),
                    line("origin", b"https://app.example.com\xff\xfe"),
                    line("access-control-request-method", b"G\xc3\xa9T"),
                    line("access-control-request-headers", b"x-\xe9"),
                ],
            },
        ));
    }
    out
}

fn trimmed(mut request: Request) -> Request {
    for (_, value) in &mut request.headers {
        let text = value.trim_ascii().to_vec();
        *value = text;
    }
    request
}

/// The request as the soak's HTTP/1.1 client sends it: its target in origin
/// form (no authority), and exactly one `Host` line (RFC 9112 requires one),
/// `soak` when the request had none.
fn over_http1(mut request: Request) -> Request {
    request.authority = None;
    let mut hosts = 0;
    request.headers.retain(|(name, _)| {
        hosts += usize::from(name == "host");
        name != "host" || hosts == 1
    });
    if hosts == 0 {
        request
            .headers
            .insert(0, ("host".to_owned(), b"soak".to_vec()));
    }
    request
}

fn wire(path: &str, request: &Request) -> Vec<u8> {
    let mut out = format!("{} {path} HTTP/1.1\r\n", request.method).into_bytes();
    for (name, value) in &request.headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// Reads one response: its status, header lines and body (by content-length).
async fn read_response(
    reader: &mut BufReader<TcpStream>,
    head: bool,
) -> std::io::Result<(u16, Vec<(String, Vec<u8>)>)> {
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line).await?;
    let status_line = String::from_utf8_lossy(&line).into_owned();
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut headers = Vec::new();
    let mut length = 0;
    loop {
        line.clear();
        reader.read_until(b'\n', &mut line).await?;
        let text = line.trim_ascii_end();
        if text.is_empty() {
            break;
        }
        let colon = text.iter().position(|&b| b == b':').unwrap();
        let name = String::from_utf8_lossy(&text[..colon]).to_ascii_lowercase();
        let value = text[colon + 1..].trim_ascii().to_vec();
        if name == "content-length" {
            length = String::from_utf8_lossy(&value).parse().unwrap();
        }
        headers.push((name, value));
    }
    // The answer to `HEAD` has no body, whatever its content-length says.
    let mut body = vec![0; if head { 0 } else { length }];
    reader.read_exact(&mut body).await?;
    Ok((status, headers))
}

/// Where a request of the load goes, in the model's terms.
fn mount<'a>(path: &str, specs: &'a (Spec, Spec)) -> Mount<'a> {
    if path == "/items" {
        Mount::Route(std::slice::from_ref(&specs.0))
    } else {
        Mount::Layer {
            policy: &specs.1,
            routed: true,
        }
    }
}

/// Runs `count` requests over `CONNECTIONS` keep-alive connections; each answer
/// is compared with the model. Returns the number of disagreements found, with
/// the first few.
async fn run(
    address: std::net::SocketAddr,
    load: Arc<Vec<(&'static str, Request)>>,
    specs: Arc<(Spec, Spec)>,
    count: usize,
) -> Vec<String> {
    let mut tasks = Vec::new();
    for connection in 0..CONNECTIONS {
        let (load, specs) = (load.clone(), specs.clone());
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(address).await.expect("connects");
            let mut reader = BufReader::new(stream);
            let mut failures = Vec::new();
            let mut i = connection;
            while i < count {
                let (path, request) = &load[(i * 7919) % load.len()];
                reader
                    .get_mut()
                    .write_all(&wire(path, request))
                    .await
                    .expect("the connection stays open");
                let (status, headers) = read_response(&mut reader, request.method == "HEAD")
                    .await
                    .expect("the connection answers");
                let mount = mount(path, &specs);
                let want = answer(mount, request, &handler_headers());
                let got = Answer {
                    status,
                    handler_ran: headers.iter().any(|(n, _)| n == "x-handler"),
                    headers: headers.into_iter().filter(|(n, _)| compared(n)).collect(),
                };
                if !agree(&want, &got) && failures.len() < 5 {
                    failures.push(format!(
                        "{path} {request:?}\n model: {want:?}\nserved: {got:?}"
                    ));
                }
                i += CONNECTIONS;
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.expect("no client task panics"));
    }
    failures
}

/// The process's resident memory, in bytes.
fn resident() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split(' ').nth(1).unwrap().parse().unwrap();
    pages * 4096
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_load_over_real_http_agrees_with_the_model() {
    let (route, layer) = (route_spec(), layer_spec());
    let app = Router::new()
        .route("/app", any(handler))
        .layer(CorsLayer::new(layer_policy(&layer)))
        // Mounted after the layer: the route answers with its own policy alone.
        .route("/items", cors_route!(items));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let load = Arc::new(load(&route, &layer));
    let specs = Arc::new((route, layer));
    // The mix holds writes that section 9 refuses and debug answers.
    let outcomes: Vec<_> = load
        .iter()
        .map(|(path, request)| model::outcome(mount(path, &specs), request, &[]))
        .collect();
    let refused = load
        .iter()
        .filter(|(path, request)| {
            model::reason(mount(path, &specs), request)
                == Some(model::Reason::CrossOriginWriteRefused)
        })
        .count();
    let debugged = outcomes
        .iter()
        .filter(|(a, r)| {
            r.is_some() && a.status == 204 && !a.lines("access-control-allow-origin").is_empty()
        })
        .count();
    assert!(
        refused >= 10 && debugged >= 5,
        "{refused} refused writes, {debugged} debug answers"
    );

    let outcome = tokio::time::timeout(Duration::from_secs(600), async {
        let warm = run(address, load.clone(), specs.clone(), WARM_UP).await;
        assert!(warm.is_empty(), "{}", warm.join("\n\n"));
        let before = resident();
        let failures = run(address, load.clone(), specs.clone(), REQUESTS).await;
        let after = resident();
        (failures, before, after)
    })
    .await;
    let (failures, before, after) = outcome.expect("the soak finishes within 10 minutes");
    assert!(
        failures.is_empty(),
        "responses that disagree with the model:\n{}",
        failures.join("\n\n")
    );
    println!(
        "{REQUESTS} requests over {CONNECTIONS} connections; resident memory {} KiB before, {} KiB after",
        before / 1024,
        after / 1024
    );
    assert!(
        after <= before + RSS_SLACK,
        "resident memory grew from {before} to {after} bytes"
    );
    assert!(!server.is_finished(), "the server is still serving");
    server.abort();
}
