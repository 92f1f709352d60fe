//! A policy replaced while requests are in flight: 1,000 swaps between two
//! policies, with concurrent requests over loopback through the layer and a
//! `CorsRoute` route sharing one [`DynamicPolicy`]. Every response must be
//! exactly what one of the two policies answers, never a mix.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::Router;
use axum::routing::get;
use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::Empty;
use hyper_util::rt::TokioIo;
use static_cors::{CorsLayer, CorsRoute, DynamicPolicy, Policy};
use tokio::net::{TcpListener, TcpStream};

/// Two policies that answer the same requests differently in every CORS
/// header, so that a response that mixed them would match neither.
fn policies() -> [Policy; 2] {
    let a = Policy::builder()
        .origins(["https://shared.example.com", "https://a.example.com"])
        .methods(["GET", "POST"])
        .headers(["x-a"])
        .expose(["x-from-a"])
        .credentials(true)
        .max_age(60)
        .build()
        .unwrap();
    let b = Policy::builder()
        .origins(["https://shared.example.com", "https://b.example.com"])
        .methods(["GET", "POST"])
        .headers(["x-b"])
        .expose(["x-from-b"])
        .max_age(120)
        .build()
        .unwrap();
    [a, b]
}

/// The requests sent, each answered differently by the two policies.
fn requests(path: &str) -> Vec<Request<Empty<Bytes>>> {
    let preflight = |origin: &str, headers: &str| {
        Request::options(path)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", headers)
            .body(Empty::new())
            .unwrap()
    };
    let get = |origin: &str| {
        Request::get(path)
            .header("origin", origin)
            .body(Empty::new())
            .unwrap()
    };
    vec![
        preflight("https://shared.example.com", "x-a"),
        preflight("https://shared.example.com", "x-b"),
        preflight("https://a.example.com", "x-a"),
        preflight("https://b.example.com", "x-b"),
        get("https://shared.example.com"),
        get("https://a.example.com"),
        get("https://b.example.com"),
    ]
}

/// The CORS part of a response, for comparison.
fn cors_part(status: StatusCode, headers: &HeaderMap) -> (u16, Vec<(String, String)>) {
    let mut lines: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| name.as_str().starts_with("access-control-") || *name == "vary")
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    lines.sort();
    (status.as_u16(), lines)
}

/// What `policy` answers to `request`, from the decision API.
fn expected(policy: &Policy, request: &Request<Empty<Bytes>>) -> (u16, Vec<(String, String)>) {
    let outcome = policy.evaluate(request);
    cors_part(
        outcome.status().unwrap_or(StatusCode::OK),
        outcome.headers(),
    )
}

async fn serve(app: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_response_matches_one_whole_policy_while_it_is_swapped() {
    let [a, b] = policies();
    let dynamic = DynamicPolicy::new(a.clone());
    let route = CorsRoute::new()
        .handler(dynamic.clone(), async || "ok")
        .into_method_router();
    let app = Router::new()
        .route("/layered", get(async || "ok").post(async || "ok"))
        .layer(CorsLayer::new(dynamic.clone()))
        .route("/route", route);
    let address = serve(app).await;

    let done = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for client in 0..8 {
        let (done, answered) = (done.clone(), answered.clone());
        let (a, b) = (a.clone(), b.clone());
        clients.push(tokio::spawn(async move {
            let stream = TcpStream::connect(address).await.unwrap();
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream))
                    .await
                    .unwrap();
            tokio::spawn(connection);
            let path = if client % 2 == 0 {
                "/layered"
            } else {
                "/route"
            };
            let (mut sent, mut seen) = (0, [false; 2]);
            while !done.load(Ordering::Relaxed) || sent < 200 {
                for request in requests(path) {
                    let want = [expected(&a, &request), expected(&b, &request)];
                    let response = sender.send_request(request).await.unwrap();
                    let got = cors_part(response.status(), response.headers());
                    let matches = want.iter().map(|w| *w == got).collect::<Vec<_>>();
                    assert!(
                        matches.contains(&true),
                        "{path}: {got:?} is neither policy's answer: {want:?}"
                    );
                    for (i, m) in matches.into_iter().enumerate() {
                        seen[i] |= m && want[0] != want[1];
                    }
                    sent += 1;
                    answered.fetch_add(1, Ordering::Relaxed);
                }
            }
            (sent, seen)
        }));
    }

    // The swaps go on until the clients have had 1,600 answers between them,
    // however slowly they start on a loaded machine. A client that fails ends
    // them early: its panic is reported below.
    let mut swap = 0;
    while (swap < 1_000 || answered.load(Ordering::Relaxed) < 8 * 200)
        && !clients.iter().any(tokio::task::JoinHandle::is_finished)
    {
        let next = if swap % 2 == 0 { &b } else { &a };
        dynamic.reconfigure(next.clone()).unwrap();
        tokio::task::yield_now().await;
        // Every 25th swap, so that each policy in turn is held across a sleep.
        if swap % 25 == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        swap += 1;
    }
    done.store(true, Ordering::Relaxed);
    let mut total = 0;
    let mut seen = [false; 2];
    for client in clients {
        let (sent, saw) = client.await.unwrap();
        total += sent;
        seen[0] |= saw[0];
        seen[1] |= saw[1];
    }
    assert!(total >= 8 * 200);
    assert_eq!(seen, [true, true], "both policies answered while swapping");
}

#[test]
fn a_refused_configuration_keeps_the_policy_and_lists_every_problem() {
    let [a, _] = policies();
    let dynamic = DynamicPolicy::new(a.clone());
    let error = dynamic
        .reconfigure(
            Policy::builder()
                .origins(["https://a.com/", "*"])
                .methods(["GET", "POST"])
                .credentials(true),
        )
        .unwrap_err();
    let problems: Vec<String> = error
        .problems()
        .iter()
        .map(|p| p.location.to_string())
        .collect();
    assert_eq!(problems, ["origins[0]", "origins[1]"], "{error}");
    assert_eq!(*dynamic.current(), a);

    let error = dynamic
        .reconfigure(
            Policy::builder()
                .origins(["https://a.com"])
                .methods(["GET"]),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid CORS policy\n  - methods: `methods` cannot change while serving: routes were set up for `GET, POST`; help: keep the methods, or restart with the new ones"
    );
    assert_eq!(*dynamic.current(), a);
}

/// A multi-tenant policy rebuilt while readers serve: its 20,000 origins are
/// validated and indexed inside `reconfigure`, and readers keep being answered
/// meanwhile, each by one whole policy.
#[test]
fn readers_are_served_while_a_policy_of_twenty_thousand_origins_is_rebuilt() {
    use static_cors::runtime::PolicySource;
    use static_cors::runtime::policy::AllowOrigin;

    const TENANTS: usize = 20_000;
    const NEWCOMER: &str = "https://newcomer.customer-domain.net";
    let tenant = |i: usize| format!("https://tenant{i}.customer-domain{i}.com");
    let builder = |with_newcomer: bool| {
        let mut origins: Vec<String> = (0..TENANTS).map(tenant).collect();
        if with_newcomer {
            origins.push(NEWCOMER.to_owned());
        }
        Policy::builder().origins(origins).methods(["GET"])
    };
    let origin = |text: &str| {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::ORIGIN, text.parse().unwrap());
        headers
    };

    /// The new policy of a `reconfigure`, whose conversion (the validation of
    /// every origin and the index) waits, once it is done, until the readers
    /// have been answered `wait_for` more times: proof that they are served
    /// while `reconfigure` runs, whatever the machine's speed.
    struct Gated {
        builder: static_cors::runtime::PolicyBuilder,
        served: Arc<AtomicUsize>,
        wait_for: usize,
    }
    impl TryFrom<Gated> for Policy {
        type Error = static_cors::runtime::PolicyError;
        fn try_from(gated: Gated) -> Result<Policy, Self::Error> {
            let start = gated.served.load(Ordering::SeqCst);
            let policy = gated.builder.build()?;
            while gated.served.load(Ordering::SeqCst) < start + gated.wait_for {
                std::thread::yield_now();
            }
            Ok(policy)
        }
    }

    let dynamic = DynamicPolicy::new(builder(false).build().unwrap());
    let served = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|reader| {
            let (dynamic, served, done) = (dynamic.clone(), served.clone(), done.clone());
            let requests = [
                origin(&tenant(reader * 7_919 % TENANTS)),
                origin(&tenant(TENANTS - 1)),
                origin("https://tenant1.customer-domain2.com"),
                origin(NEWCOMER),
            ];
            std::thread::spawn(move || {
                let mut seen = [false; 2];
                while !done.load(Ordering::SeqCst) {
                    // One load, one whole policy for the four answers.
                    let policy = dynamic.load();
                    let AllowOrigin::List(listed) = policy.origins() else {
                        panic!("a list of origins");
                    };
                    let with_newcomer = listed.len() == TENANTS + 1;
                    let answers = requests
                        .iter()
                        .map(|r| policy.allowed_origin(r).is_some())
                        .collect::<Vec<_>>();
                    assert_eq!(answers, [true, true, false, with_newcomer]);
                    seen[usize::from(with_newcomer)] = true;
                    served.fetch_add(1, Ordering::SeqCst);
                }
                seen
            })
        })
        .collect();

    for round in 0..4 {
        dynamic
            .reconfigure(Gated {
                builder: builder(round % 2 == 0),
                served: served.clone(),
                wait_for: 1_000,
            })
            .unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let mut seen = [false; 2];
    for reader in readers {
        let saw = reader.join().unwrap();
        seen = [seen[0] | saw[0], seen[1] | saw[1]];
    }
    assert_eq!(seen, [true, true], "both policies were read");
    assert!(served.load(Ordering::SeqCst) >= 4 * 1_000);
}
