//! The axum glue of a path: one axum handler that asks the path's
//! [`Resource`] what to do with each request and carries the decision out.
//!
//! Everything but the call of the user's handler is decided by the runtime crate,
//! in code that is not generic over the handlers: a preflight is answered with
//! the policy of the handler that serves the requested method; an actual request
//! runs its handler and the policy's headers go onto whatever the handler returns
//! (its own responses, its errors and the rejections of its extractors); an
//! `OPTIONS` that is not a preflight gets `204` with `Allow`, a method that
//! nothing serves gets `405` with `Allow`, and a write that the handler's
//! policy refuses (`csrf`) gets `403` without the handler running.
//!
//! The dispatch adds no allocation to a request: the route is zero-sized for
//! `static` policies (axum boxes a route per request, and a box of nothing
//! allocates nothing), and handlers are called through their own futures,
//! wrapped in a future of this module's that is not boxed.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, any};
use http::{Method, StatusCode};
use pin_project_lite::pin_project;
use static_cors_runtime::method::KNOWN;
use static_cors_runtime::{ActualHeaders, Answer, Decision, PolicySource, Resource};

/// The handlers of one path, each with its CORS policy, as one axum route.
///
/// `cors_route!` builds one from `#[cors]` handlers; build one by hand to mount
/// handlers with policies made at run time by [`Policy::builder`](crate::Policy::builder):
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
pub struct CorsRoute<P, E> {
    policies: Vec<P>,
    handlers: E,
}

impl<P: PolicySource> CorsRoute<P, Nil> {
    /// A route with no handler yet.
    pub fn new() -> Self {
        Self {
            policies: Vec::new(),
            handlers: Nil,
        }
    }
}

impl<P: PolicySource> Default for CorsRoute<P, Nil> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: PolicySource, E> CorsRoute<P, E> {
    /// Adds a handler, served on the methods of its policy.
    pub fn handler<H, T>(mut self, policy: P, handler: H) -> CorsRoute<P, E::Output>
    where
        E: Push<Endpoint<H, T>>,
    {
        self.policies.push(policy);
        CorsRoute {
            policies: self.policies,
            handlers: self.handlers.push(Endpoint::new(handler)),
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
        E: Handlers<S>,
        S: Clone + Send + Sync + 'static,
    {
        let resource = Resource::new(self.policies).unwrap_or_else(|e| panic!("{e}"));
        method_router(Dispatch {
            handlers: self.handlers,
            resource: Arc::new(resource),
        })
    }
}

/// Where a route finds its path's [`Resource`]: a `static` that `cors_route!`
/// builds at compile time (through a zero-sized type of its own, so that the
/// route is zero-sized), or one built with a [`CorsRoute`] and shared.
pub trait ResourceSource: Clone + Send + Sync + 'static {
    /// Where each policy of the resource is found.
    type Policy: PolicySource;
    /// The resource.
    fn resource(&self) -> &Resource<Self::Policy>;
}

impl<P: PolicySource> ResourceSource for Arc<Resource<P>> {
    type Policy = P;

    fn resource(&self) -> &Resource<P> {
        self
    }
}

/// One handler of a path, with the marker type axum infers for it.
pub struct Endpoint<H, T> {
    handler: H,
    marker: PhantomData<fn() -> T>,
}

impl<H, T> Endpoint<H, T> {
    /// Wraps a handler.
    pub fn new(handler: H) -> Self {
        Self {
            handler,
            marker: PhantomData,
        }
    }
}

impl<H: Clone, T> Clone for Endpoint<H, T> {
    fn clone(&self) -> Self {
        Self::new(self.handler.clone())
    }
}

/// The end of a path's list of handlers.
#[derive(Clone, Copy, Debug, Default)]
pub struct Nil;

/// The handlers of one path, in mount order, as a list built at compile time:
/// each has its own type, and none is boxed.
pub trait Handlers<S>: Clone + Send + Sync + 'static {
    /// The future of a call to one of the handlers.
    type Future: Future<Output = Response> + Send + 'static;
    /// Calls handler `index`.
    fn call(self, index: usize, request: Request, state: S) -> Self::Future;
}

impl<S> Handlers<S> for Nil {
    type Future = Unreachable;

    fn call(self, index: usize, _: Request, _: S) -> Self::Future {
        unreachable!("a resource decides only on its own handlers, never on #{index} past the last")
    }
}

/// The future of the end of a handler list, which is never called: uninhabited,
/// so that it takes no room in the futures of the handlers before it.
pub enum Unreachable {}

impl Future for Unreachable {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Response> {
        match *self {}
    }
}

impl<H, T, Rest, S> Handlers<S> for (Endpoint<H, T>, Rest)
where
    H: Handler<T, S>,
    T: 'static,
    Rest: Handlers<S>,
{
    type Future = Either<H::Future, Rest::Future>;

    fn call(self, index: usize, request: Request, state: S) -> Self::Future {
        let side = match index {
            0 => Side::Left {
                future: self.0.handler.call(request, state),
            },
            _ => Side::Right {
                future: self.1.call(index - 1, request, state),
            },
        };
        Either { side }
    }
}

/// A path served by one handler, as `cors_route!` mounts it: its future is the
/// handler's own, with nothing around it to compile per handler.
impl<H, T, S> Handlers<S> for Endpoint<H, T>
where
    H: Handler<T, S>,
    T: 'static,
{
    type Future = H::Future;

    fn call(self, _index: usize, request: Request, state: S) -> Self::Future {
        self.handler.call(request, state)
    }
}

/// Appends a handler to a list of [`Handlers`].
pub trait Push<E> {
    /// The longer list.
    type Output;
    /// Appends `endpoint`.
    fn push(self, endpoint: E) -> Self::Output;
}

impl<E> Push<E> for Nil {
    type Output = (E, Nil);

    fn push(self, endpoint: E) -> Self::Output {
        (endpoint, Nil)
    }
}

impl<A, Rest: Push<E>, E> Push<E> for (A, Rest) {
    type Output = (A, Rest::Output);

    fn push(self, endpoint: E) -> Self::Output {
        (self.0, self.1.push(endpoint))
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

/// The one axum handler of a path.
#[derive(Clone)]
pub struct Dispatch<E, R> {
    handlers: E,
    resource: R,
}

impl<E, R> Dispatch<E, R> {
    /// The handler of a path whose resource is found through `resource`.
    pub fn new(handlers: E, resource: R) -> Self {
        Self { handlers, resource }
    }
}

/// The `T` of [`Dispatch`]'s `Handler` implementation.
#[doc(hidden)]
pub enum DispatchMarker {}

impl<E, R, S> Handler<DispatchMarker, S> for Dispatch<E, R>
where
    E: Handlers<S>,
    R: ResourceSource,
    S: Clone + Send + Sync + 'static,
{
    type Future = CorsFuture<E::Future>;

    fn call(self, request: Request, state: S) -> Self::Future {
        // Only the call of a handler is compiled per path; the decision and
        // the answers made without a handler are compiled once.
        match route(self.resource.resource(), &request) {
            Routed::Handler { index, headers } => {
                CorsFuture::handler(self.handlers.call(index, request, state), headers)
            }
            Routed::Answered(response) => CorsFuture::answered(response),
        }
    }
}

/// What a path does with a request: call one of its handlers, or answer alone.
enum Routed {
    Handler {
        index: usize,
        headers: ActualHeaders,
    },
    Answered(Response),
}

/// The decision of a path's resource, with every answer that needs no handler
/// already made: generic over where the policies are found, never over the
/// handlers.
fn route<P: PolicySource>(resource: &Resource<P>, request: &Request) -> Routed {
    if crate::layer::inside_layer() {
        return Routed::Answered(crate::layer::conflict().into_response());
    }
    match resource.decide(request.method(), request.uri(), request.headers()) {
        Decision::Handler { index, headers } => Routed::Handler { index, headers },
        Decision::Preflight(answer) | Decision::NoHandler(answer) | Decision::Refused(answer) => {
            Routed::Answered(answered(answer))
        }
    }
}

/// Every method that axum routes by slot: the standard ones of the workspace's
/// method table. The dispatch answers each, so that none takes axum's slower
/// fallback path (which clones its handler twice).
fn standard_methods() -> MethodFilter {
    KNOWN
        .iter()
        .filter(|known| known.standard)
        .filter_map(|known| Method::from_bytes(known.name.as_bytes()).ok())
        .filter_map(|method| MethodFilter::try_from(method).ok())
        .fold(MethodFilter::GET, MethodFilter::or)
}

/// The axum route of a path: the standard methods go through axum's own method
/// slots (no more work per request than `get(handler)`); extension methods reach
/// the same dispatch through `any`'s fallback, which leaves `Allow` to it.
pub fn method_router<E, R, S>(dispatch: Dispatch<E, R>) -> MethodRouter<S>
where
    E: Handlers<S>,
    R: ResourceSource,
    S: Clone + Send + Sync + 'static,
{
    any(dispatch.clone()).on(standard_methods(), dispatch)
}

/// A response made without a handler.
fn answered(answer: Answer) -> Response {
    let mut response = empty(answer.status);
    *response.headers_mut() = answer.headers;
    response
}

fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

pin_project! {
    /// The future of a path's response.
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
    /// The future of a handler's response, which gets `headers`.
    fn handler(future: F, headers: ActualHeaders) -> Self {
        let headers = Some(headers);
        Self {
            state: State::Handler { future, headers },
        }
    }

    /// A response made without a handler.
    fn answered(response: Response) -> Self {
        let response = Some(response);
        Self {
            state: State::Ready { response },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_standard_method_has_its_slot() {
        let filter = standard_methods();
        for method in [
            MethodFilter::GET,
            MethodFilter::HEAD,
            MethodFilter::POST,
            MethodFilter::PUT,
            MethodFilter::DELETE,
            MethodFilter::PATCH,
            MethodFilter::OPTIONS,
            MethodFilter::TRACE,
            MethodFilter::CONNECT,
        ] {
            assert_eq!(filter.or(method), filter, "{method:?}");
        }
    }
}
