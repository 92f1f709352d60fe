//! The axum glue: one route that serves a path's CORS-annotated handlers and
//! answers their preflights.
//!
//! A [`CorsRoute`] holds the handlers of one path, each with its policy. It
//! becomes one axum [`MethodRouter`] whose single handler dispatches by method:
//! a preflight is answered with the policy of the handler that serves the
//! requested method; an actual request runs its handler and the policy's headers
//! go onto whatever the handler returns (its own responses, its errors and the
//! rejections of its extractors); an `OPTIONS` that is not a preflight gets `204`
//! with `Allow`, and a method that nothing serves gets `405` with `Allow`.
//!
//! The dispatch adds no allocation to a request: handlers are called through
//! their own futures, wrapped in a future of this module's that is not boxed.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::handler::Handler;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, any};
use http::header::ALLOW;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use pin_project_lite::pin_project;
use static_cors_runtime::response::requested_method;
use static_cors_runtime::{ActualHeaders, Policy, is_preflight};

use crate::PolicySource;

/// One handler of a [`CorsRoute`] with its policy.
pub struct Endpoint<H, T, P> {
    handler: H,
    policy: P,
    marker: PhantomData<fn() -> T>,
}

impl<H: Clone, T, P: Clone> Clone for Endpoint<H, T, P> {
    fn clone(&self) -> Self {
        Self {
            handler: self.handler.clone(),
            policy: self.policy.clone(),
            marker: PhantomData,
        }
    }
}

/// The end of a [`CorsRoute`]'s list of handlers.
#[derive(Clone, Copy, Debug, Default)]
pub struct Nil;

/// The handlers of a [`CorsRoute`], as a list built at compile time: each has
/// its own type, and none is boxed.
pub trait Endpoints<S>: Clone + Send + Sync + 'static {
    /// The future of a call to one of the handlers.
    type Future: Future<Output = Response> + Send + 'static;
    /// How many handlers the list holds.
    const LEN: usize;
    /// The policy of handler `index` (in list order, the last added first).
    fn policy(&self, index: usize) -> Option<&Policy>;
    /// Calls handler `index`.
    fn call(self, index: usize, request: Request, state: S) -> Self::Future;
}

impl<S> Endpoints<S> for Nil {
    type Future = std::future::Ready<Response>;
    const LEN: usize = 0;

    fn policy(&self, _: usize) -> Option<&Policy> {
        None
    }

    fn call(self, _: usize, _: Request, _: S) -> Self::Future {
        std::future::ready(empty(StatusCode::METHOD_NOT_ALLOWED))
    }
}

impl<H, T, P, Rest, S> Endpoints<S> for (Endpoint<H, T, P>, Rest)
where
    H: Handler<T, S>,
    T: 'static,
    P: PolicySource,
    Rest: Endpoints<S>,
{
    type Future = Either<H::Future, Rest::Future>;
    const LEN: usize = 1 + Rest::LEN;

    fn policy(&self, index: usize) -> Option<&Policy> {
        match index {
            0 => Some(self.0.policy.policy()),
            _ => self.1.policy(index - 1),
        }
    }

    fn call(self, index: usize, request: Request, state: S) -> Self::Future {
        match index {
            0 => Either {
                side: Side::Left {
                    future: self.0.handler.call(request, state),
                },
            },
            _ => Either {
                side: Side::Right {
                    future: self.1.call(index - 1, request, state),
                },
            },
        }
    }
}

pin_project! {
    /// The future of one of two handlers.
    pub struct Either<A, B> {
        #[pin]
        side: Side<A, B>,
    }
}

pin_project! {
    #[project = SideProj]
    enum Side<A, B> {
        Left { #[pin] future: A },
        Right { #[pin] future: B },
    }
}

impl<A, B> Future for Either<A, B>
where
    A: Future<Output = Response>,
    B: Future<Output = Response>,
{
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        match self.project().side.project() {
            SideProj::Left { future } => future.poll(cx),
            SideProj::Right { future } => future.poll(cx),
        }
    }
}

/// The handlers of one path, each with its CORS policy, as one axum route.
///
/// `cors_route!` builds one from `#[cors]` handlers; build one by hand to mount
/// handlers with policies made at run time by [`Policy::builder`]:
///
/// ```
/// use std::sync::Arc;
///
/// use axum::Router;
/// use static_cors::{CorsRoute, Policy};
///
/// async fn list() -> &'static str { "[]" }
///
/// let policy = Policy::builder()
///     .origins(["https://app.example.com"])
///     .methods(["GET"])
///     .build()
///     .expect("a valid policy");
/// let route = CorsRoute::new().handler(Arc::new(policy), list);
/// let app: Router = Router::new().route("/items", route.into_method_router());
/// ```
pub struct CorsRoute<E> {
    endpoints: E,
}

impl CorsRoute<Nil> {
    /// A route with no handler yet.
    pub fn new() -> Self {
        Self { endpoints: Nil }
    }
}

impl Default for CorsRoute<Nil> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> CorsRoute<E> {
    /// Adds a handler, served on the methods of its policy.
    pub fn handler<H, T, P: PolicySource>(
        self,
        policy: P,
        handler: H,
    ) -> CorsRoute<(Endpoint<H, T, P>, E)> {
        let endpoint = Endpoint {
            handler,
            policy,
            marker: PhantomData,
        };
        CorsRoute {
            endpoints: (endpoint, self.endpoints),
        }
    }

    /// The axum route: every handler on its methods, with the `OPTIONS` answers.
    ///
    /// # Panics
    ///
    /// When two handlers serve the same method (`cors_route!` reports that at
    /// compile time instead), or when no handler was added.
    pub fn into_method_router<S>(self) -> MethodRouter<S>
    where
        E: Endpoints<S>,
        S: Clone + Send + Sync + 'static,
    {
        let allow = BuiltAllow(allow_header(&self.endpoints));
        self.into_method_router_with(allow)
    }

    #[doc(hidden)]
    /// `into_method_router` with an `Allow` value that `cors_route!` built at
    /// compile time.
    pub fn into_method_router_with<S, A>(self, allow: A) -> MethodRouter<S>
    where
        E: Endpoints<S>,
        S: Clone + Send + Sync + 'static,
        A: AllowSource,
    {
        check_disjoint(&self.endpoints);
        let dispatch = Dispatch {
            endpoints: self.endpoints,
            allow,
        };
        // The standard methods go through axum's own method slots (no more work
        // per request than `get(handler)`); extension methods reach the same
        // dispatch through `any`'s fallback, which leaves `Allow` to the dispatch.
        any(dispatch.clone()).on(STANDARD_METHODS, dispatch)
    }
}

/// The policies in mount order (the list holds the last added first).
fn in_mount_order<S, E: Endpoints<S>>(endpoints: &E) -> impl Iterator<Item = &Policy> {
    (0..E::LEN).rev().filter_map(move |i| endpoints.policy(i))
}

/// Every method that axum routes by slot. The dispatch answers each, so that
/// none takes axum's slower fallback path (which clones its handler twice).
const STANDARD_METHODS: MethodFilter = MethodFilter::GET
    .or(MethodFilter::HEAD)
    .or(MethodFilter::POST)
    .or(MethodFilter::PUT)
    .or(MethodFilter::DELETE)
    .or(MethodFilter::PATCH)
    .or(MethodFilter::OPTIONS)
    .or(MethodFilter::TRACE)
    .or(MethodFilter::CONNECT);

/// Panics when no handler was added or two serve one method.
fn check_disjoint<S, E: Endpoints<S>>(endpoints: &E) {
    assert!(E::LEN > 0, "a `CorsRoute` needs at least one handler");
    let mut methods: Vec<&str> = Vec::new();
    for policy in in_mount_order(endpoints) {
        for method in policy.methods() {
            assert!(
                !methods.contains(&method.as_ref()),
                "two handlers of one `CorsRoute` serve `{method}`: give each method to one handler"
            );
            methods.push(method);
        }
    }
}

/// Where a route finds its `Allow` value (sent with a `405`, and with the `204`
/// to an `OPTIONS` that is not a preflight): a `static` that `cors_route!` builds
/// at compile time, or a value built once with the route.
pub trait AllowSource: Clone + Send + Sync + 'static {
    /// The path's methods, joined, `OPTIONS` last.
    fn allow(&self) -> HeaderValue;
}

/// An `Allow` value built once, when a [`CorsRoute`] becomes a router.
#[derive(Clone, Debug)]
pub struct BuiltAllow(HeaderValue);

impl AllowSource for BuiltAllow {
    fn allow(&self) -> HeaderValue {
        self.0.clone()
    }
}

/// The `Allow` value of a path, joined by the same function that `cors_route!`
/// runs at compile time (`__private::allow_bytes`), here once per route.
fn allow_header<S, E: Endpoints<S>>(endpoints: &E) -> HeaderValue {
    let lists: Vec<Vec<&str>> = in_mount_order(endpoints)
        .map(|policy| policy.methods().iter().map(AsRef::as_ref).collect())
        .collect();
    let lists: Vec<&[&str]> = lists.iter().map(Vec::as_slice).collect();
    let (bytes, len) = crate::__private::allow_bytes(&lists);
    HeaderValue::from_bytes(&bytes[..len])
        .expect("validated methods joined by `, ` form a header value")
}

/// The one axum handler of a [`CorsRoute`].
#[derive(Clone)]
pub struct Dispatch<E, A> {
    endpoints: E,
    allow: A,
}

/// The `T` of [`Dispatch`]'s `Handler` implementation.
#[doc(hidden)]
pub enum DispatchMarker {}

impl<E, A> Dispatch<E, A> {
    /// The handler that serves `method`: one that lists it, else for `HEAD` the
    /// one that serves `GET`.
    fn find<S>(&self, method: &str) -> Option<usize>
    where
        E: Endpoints<S>,
    {
        let listed = |p: &Policy| p.methods().iter().any(|m| m == method);
        (0..E::LEN)
            .find(|&i| self.endpoints.policy(i).is_some_and(listed))
            .or_else(|| {
                (0..E::LEN).find(|&i| self.endpoints.policy(i).is_some_and(|p| p.serves(method)))
            })
    }

    /// Answers a preflight with the policy of the handler serving the requested
    /// method, or `403` when none does.
    fn preflight<S>(&self, request: &HeaderMap) -> Response
    where
        E: Endpoints<S>,
    {
        // Room for every header a preflight response can carry, so that the map
        // is allocated once and never grows.
        let mut response = Response::new(Body::empty());
        *response.headers_mut() = HeaderMap::with_capacity(8);
        let policy = requested_method(request)
            .and_then(|m| self.find(m))
            .and_then(|i| self.endpoints.policy(i));
        *response.status_mut() = match policy {
            Some(policy) => policy.preflight(request, response.headers_mut()),
            None => {
                let vary = in_mount_order(&self.endpoints)
                    .map(Policy::preflight_vary)
                    .max_by_key(|v| v.len())
                    .cloned();
                if let Some(vary) = vary {
                    response.headers_mut().append(http::header::VARY, vary);
                }
                StatusCode::FORBIDDEN
            }
        };
        response
    }

    /// The CORS headers of a response of the path itself (`204` to a plain
    /// `OPTIONS`, `405`): those of the first handler whose policy allows the origin.
    fn path_headers<S>(&self, request: &HeaderMap) -> Option<ActualHeaders>
    where
        E: Endpoints<S>,
    {
        let mut first = None;
        for policy in in_mount_order(&self.endpoints) {
            let headers = policy.actual(request);
            if headers.is_allowed() {
                return Some(headers);
            }
            first.get_or_insert(headers);
        }
        first
    }
}

impl<E, A, S> Handler<DispatchMarker, S> for Dispatch<E, A>
where
    E: Endpoints<S>,
    A: AllowSource,
    S: Clone + Send + Sync + 'static,
{
    type Future = CorsFuture<E::Future>;

    fn call(self, request: Request, state: S) -> Self::Future {
        if is_preflight(request.method(), request.headers()) {
            return CorsFuture::ready(self.preflight(request.headers()));
        }
        if let Some(index) = self.find(request.method().as_str())
            && let Some(policy) = self.endpoints.policy(index)
        {
            let headers = policy.actual(request.headers());
            let future = self.endpoints.call(index, request, state);
            return CorsFuture {
                state: State::Handler {
                    future,
                    headers: Some(headers),
                },
            };
        }
        let status = if request.method() == Method::OPTIONS {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::METHOD_NOT_ALLOWED
        };
        let mut response = empty(status);
        response.headers_mut().insert(ALLOW, self.allow.allow());
        if let Some(headers) = self.path_headers(request.headers()) {
            headers.apply(response.headers_mut());
        }
        CorsFuture::ready(response)
    }
}

fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

pin_project! {
    /// The future of a [`CorsRoute`]'s response.
    pub struct CorsFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F> {
        // A response made without calling a handler.
        Ready { response: Option<Response> },
        // A handler's response, which gets the policy's headers.
        Handler { #[pin] future: F, headers: Option<ActualHeaders> },
    }
}

impl<F> CorsFuture<F> {
    fn ready(response: Response) -> Self {
        Self {
            state: State::Ready {
                response: Some(response),
            },
        }
    }
}

impl<F: Future<Output = Response>> Future for CorsFuture<F> {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        match self.project().state.project() {
            StateProj::Ready { response } => Poll::Ready(
                response
                    .take()
                    .unwrap_or_else(|| empty(StatusCode::INTERNAL_SERVER_ERROR)),
            ),
            StateProj::Handler { future, headers } => {
                let mut response = std::task::ready!(future.poll(cx));
                if let Some(headers) = headers.take() {
                    headers.apply(response.headers_mut());
                }
                Poll::Ready(response)
            }
        }
    }
}
