//! The runtime crate is framework-free: every conformance vector is served by a
//! plain hyper `service_fn` that uses only `static_cors_runtime` (no axum), over
//! a real connection on loopback, and passes.
//!
//! The service is the whole adapter a framework needs: ask the path's
//! [`Resource`] for a [`Decision`], then either send its answer or call the
//! handler and apply the headers to what it returns.

// The harness serves every front end; this one uses all of it but the layer's filter.
#[allow(dead_code)]
#[path = "support/vectors.rs"]
mod vectors;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use static_cors_runtime::{Decision, Policy, Resource};
use tokio::net::{TcpListener, TcpStream};
use vectors::{Observed, mount, run_all_with, runtime_policy};

/// The vectors' test handler: `200 ok` with `x-request-id: 42`, and `Vary: V`
/// when the request carries `x-test-vary: V`.
fn handler(request: &Request<Incoming>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(b"ok")));
    let headers = response.headers_mut();
    headers.insert("x-request-id", HeaderValue::from_static("42"));
    if let Some(vary) = request.headers().get("x-test-vary") {
        headers.append("vary", vary.clone());
    }
    response
}

/// The adapter: the runtime decides, the service carries the decision out.
fn serve(
    resource: &Resource<Arc<Policy>>,
    called: &AtomicBool,
    request: &Request<Incoming>,
) -> Response<Full<Bytes>> {
    match resource.decide(request.method(), request.uri(), request.headers()) {
        // Every handler of a vector's path is the same test handler.
        Decision::Handler { index: _, headers } => {
            called.store(true, Ordering::SeqCst);
            let mut response = handler(request);
            headers.apply(response.headers_mut());
            response
        }
        Decision::Preflight(answer) | Decision::NoHandler(answer) | Decision::Refused(answer) => {
            let mut response = Response::new(Full::new(Bytes::new()));
            *response.status_mut() = answer.status;
            *response.headers_mut() = answer.headers;
            response
        }
    }
}

/// Serves one connection on loopback with `resource`; returns the address.
async fn server(resource: Resource<Arc<Policy>>, called: Arc<AtomicBool>) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let service = service_fn(move |request: Request<Incoming>| {
            let response = serve(&resource, &called, &request);
            async move { Ok::<_, Infallible>(response) }
        });
        hyper::server::conn::http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service)
            .await
            .unwrap();
    });
    address
}

/// Sends a case's request over a fresh connection, header lines as written.
async fn send(address: std::net::SocketAddr, case: &Value) -> (StatusCode, HeaderMap, Vec<u8>) {
    let stream = TcpStream::connect(address).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let spec = &case["request"];
    let lines = spec["headers"].as_array().unwrap();
    let mut request = Request::builder()
        .method(spec["method"].as_str().unwrap())
        .uri("/items");
    // HTTP/1.1 needs a `Host`: the server's address, unless the case names one.
    if !lines.iter().any(|pair| pair[0] == "host") {
        request = request.header("host", address.to_string());
    }
    for pair in lines {
        request = request.header(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
    }
    let request = request.body(Empty::<Bytes>::new()).unwrap();
    let response = sender.send_request(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_vector_passes_through_a_plain_hyper_service() {
    let vectors = vectors::vectors();
    let specs = vectors["policies"].as_object().unwrap().clone();
    run_all_with("runtime only, over hyper", async |case| {
        let policies = mount(case)
            .iter()
            .map(|name| Arc::new(runtime_policy(&specs[name])))
            .collect();
        let called = Arc::new(AtomicBool::new(false));
        let resource = Resource::new(policies).unwrap();
        let address = server(resource, called.clone()).await;
        let (status, headers, body) = send(address, case).await;
        Observed {
            status,
            headers,
            body,
            handler_called: called.load(Ordering::SeqCst),
        }
    })
    .await;
}
