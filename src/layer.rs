//! One policy for a whole application, as a tower [`Layer`]: contract section 7.
//!
//! The layer answers every preflight (method `OPTIONS` with `Origin` and
//! `Access-Control-Request-Method`) itself, with its policy, for every path,
//! routed or not; no handler runs. With `csrf`, a write that the policy refuses
//! as cross-origin is answered `403` by the layer, for every path, and never
//! reaches the application. Every other request passes through, and the
//! response that comes back, whoever made it (a route, the router's 404 or 405,
//! an extractor's rejection, a layer inside this one), gets the actual-request
//! headers of the policy.
//!
//! A `cors_route!` route inside the layer's scope would answer its actual
//! requests with its own policy while the layer answered its preflights with the
//! app's: two policies for one resource. Such a route sees that the layer is
//! above it and answers `500` with the reason, for every request, so that the
//! mistake shows in the first test; see the crate documentation for where to
//! mount per-route overrides.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{HeaderMap, Method, Request, Response, Uri};
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use static_cors_runtime::{ActualHeaders, Policy, PolicySource};
use tower_layer::Layer;
use tower_service::Service;

/// A policy for every route of an application: a tower [`Layer`].
///
/// `policy` is any [`PolicySource`]: `&'static Policy` (what `cors_policy!`
/// builds) or `Arc<Policy>` (built at run time). Cloning the layer or its
/// service clones only that source: nothing is allocated for a `&'static`
/// policy.
///
/// ```
/// use axum::Router;
/// use axum::routing::get;
/// use static_cors::{CorsLayer, Policy, cors_policy};
///
/// static API: Policy = cors_policy!(
///     origins = ["https://app.example.com"],
///     methods = [GET, POST],
///     headers = ["content-type"],
/// );
///
/// let app: Router = Router::new()
///     .route("/items", get(|| async { "[]" }))
///     .layer(CorsLayer::new(&API));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct CorsLayer<P = &'static Policy> {
    policy: P,
}

impl<P: PolicySource> CorsLayer<P> {
    /// The layer of `policy`.
    pub fn new(policy: P) -> Self {
        Self { policy }
    }
}

impl<S, P: PolicySource> Layer<S> for CorsLayer<P> {
    type Service = Cors<S, P>;

    fn layer(&self, inner: S) -> Self::Service {
        Cors {
            inner,
            policy: self.policy.clone(),
        }
    }
}

/// The service of a [`CorsLayer`].
#[derive(Clone, Copy, Debug)]
pub struct Cors<S, P = &'static Policy> {
    inner: S,
    policy: P,
}

impl<S, P, ReqBody, ResBody> Service<Request<ReqBody>> for Cors<S, P>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
    P: PolicySource,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = CorsResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // One load: the whole request sees one policy.
        let policy = self.policy.load();
        let (method, uri, headers) = (request.method(), request.uri(), request.headers());
        let state = match answered_alone(&policy, method, uri, headers) {
            Some(response) => State::Ready {
                response: Some(response),
            },
            None => State::Inner {
                headers: Some(policy.actual(method, headers)),
                future: self.inner.call(request),
            },
        };
        CorsResponseFuture { state }
    }
}

/// The answer to a preflight or to a refused write, which the policy makes
/// alone; `None` for any other request.
#[inline]
fn answered_alone(
    policy: &Policy,
    method: &Method,
    uri: &Uri,
    request: &HeaderMap,
) -> Option<Response<()>> {
    // Most requests are neither: say so without a call.
    if method != Method::OPTIONS && !policy.csrf() {
        return None;
    }
    answered_by_policy(policy, method, uri, request)
}

/// [`answered_alone`]'s work. Not generic, so that every service shares one
/// copy.
fn answered_by_policy(
    policy: &Policy,
    method: &Method,
    uri: &Uri,
    request: &HeaderMap,
) -> Option<Response<()>> {
    let mut response = Response::new(());
    if let Some(status) = policy.preflight_if_any(method, request, response.headers_mut()) {
        *response.status_mut() = status;
        return Some(response);
    }
    let answer = policy.write_refusal(method, uri, request)?;
    *response.status_mut() = answer.status;
    *response.headers_mut() = answer.headers;
    Some(response)
}

thread_local! {
    /// Whether the current thread is polling the inner service of a layer.
    static INSIDE: Cell<bool> = const { Cell::new(false) };
}

/// Whether the code running now was reached through a [`CorsLayer`]'s inner
/// service: what a `cors_route!` route asks to find a second policy above it.
#[cfg(feature = "axum")]
pub(crate) fn inside_layer() -> bool {
    INSIDE.with(Cell::get)
}

/// Runs `poll` with [`inside_layer`] true, as it was before afterwards.
fn inside<T>(poll: impl FnOnce() -> T) -> T {
    let before = INSIDE.with(|inside| inside.replace(true));
    let out = poll();
    INSIDE.with(|inside| inside.set(before));
    out
}

pin_project! {
    /// The future of a [`Cors`] service's response.
    pub struct CorsResponseFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F> {
        // A preflight or a refused write, answered without the inner service.
        Ready { response: Option<Response<()>> },
        // Any other request: the inner service's response gets the headers.
        Inner { #[pin] future: F, headers: Option<ActualHeaders> },
    }
}

impl<F, B, E> Future for CorsResponseFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Ready { response } => {
                let response = response.take().expect("a response is taken once");
                Poll::Ready(Ok(response.map(|()| B::default())))
            }
            StateProj::Inner { future, headers } => {
                let mut poll = inside(|| future.poll(cx));
                // Written where the response lies: it is not moved out and back.
                if let Poll::Ready(Ok(response)) = &mut poll
                    && let Some(headers) = headers.take()
                {
                    headers.apply(response.headers_mut());
                }
                poll
            }
        }
    }
}

pin_project! {
    /// A response body with an empty [`Default`], around any body: what lets a
    /// service whose body has no `Default` (a proxy's streamed body, say) take
    /// the layer, whose preflight answers need an empty body of the response's
    /// type. Map the inner service's bodies into it (`map_response` needs
    /// tower's `util` feature):
    ///
    /// ```
    /// use static_cors::layer::CorsBody;
    /// use static_cors::{CorsLayer, Policy, cors_policy};
    /// use tower::ServiceBuilder;
    ///
    /// static API: Policy = cors_policy!(origins = ["https://app.example.com"], methods = [GET]);
    ///
    /// # type Streamed = http_body_util::Full<bytes::Bytes>;
    /// use static_cors::http::{Request, Response};
    ///
    /// let proxy = tower::service_fn(|_: Request<()>| async {
    ///     // A body type without `Default`, such as `hyper::body::Incoming`.
    ///     Ok::<_, std::convert::Infallible>(Response::new(Streamed::from("ok")))
    /// });
    /// let service = ServiceBuilder::new()
    ///     .layer(CorsLayer::new(&API))
    ///     .map_response(|response: Response<Streamed>| response.map(CorsBody::new))
    ///     .service(proxy);
    /// ```
    ///
    /// An axum application needs none of this: its body has a `Default`.
    #[derive(Debug)]
    pub struct CorsBody<B> {
        #[pin]
        inner: Option<B>,
    }
}

impl<B> CorsBody<B> {
    /// The body `inner`, unchanged.
    pub fn new(inner: B) -> Self {
        Self { inner: Some(inner) }
    }
}

impl<B> Default for CorsBody<B> {
    /// An empty body.
    fn default() -> Self {
        Self { inner: None }
    }
}

impl<B> From<B> for CorsBody<B> {
    fn from(inner: B) -> Self {
        Self::new(inner)
    }
}

impl<B: Body> Body for CorsBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        match self.project().inner.as_pin_mut() {
            Some(inner) => inner.poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), Body::size_hint)
    }
}

/// The answer of a `cors_route!` route found inside a [`CorsLayer`]'s scope.
#[cfg(feature = "axum")]
pub(crate) fn conflict() -> (http::StatusCode, &'static str) {
    (
        http::StatusCode::INTERNAL_SERVER_ERROR,
        "static-cors: this route has its own policy (`cors_route!`), but it sits inside an \
         application-wide `CorsLayer`, which answers every preflight with the application's \
         policy: one resource would answer with two policies. Mount the route after \
         `.layer(CorsLayer::new(..))` (axum applies a layer to the routes added before it), \
         or drop `cors_route!` and let the layer's policy serve it.\n",
    )
}
