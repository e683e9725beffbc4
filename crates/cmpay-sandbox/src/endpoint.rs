//! The merchant's side of a test against the simulator: a web endpoint on
//! 127.0.0.1 that receives the OfflineNotify and the PageNotify. It runs on
//! the simulator's own HTTP server, whose request and response plumbing
//! stays private: the endpoint sees a [`MerchantRequest`] and answers with a
//! [`MerchantAnswer`].

use super::http;
use cmpay::error::Result;
use std::net::SocketAddr;
use std::sync::Arc;

/// A merchant's web endpoint (notifyUrl, callbackUrl) on 127.0.0.1, for the
/// demo and for tests against the simulator. Every request is given to the
/// handler, on the connection's own thread (one thread per connection, so
/// the handler must be `Send + Sync`); a handler that panics answers 500.
/// Dropping the endpoint stops it.
///
/// ```
/// use cmpay_sandbox::{MerchantAnswer, MerchantEndpoint};
/// let shop = MerchantEndpoint::start(|req| {
///     if req.path() == "/notify" {
///         MerchantAnswer::text(200, cmpay::ACK)
///     } else {
///         MerchantAnswer::text(404, "not found\n")
///     }
/// })
/// .unwrap();
/// let notify_url = format!("{}/notify", shop.base_url());
/// assert!(notify_url.starts_with("http://127.0.0.1:"));
/// shop.shutdown();
/// ```
#[derive(Debug)]
pub struct MerchantEndpoint {
    server: http::Server,
}

impl MerchantEndpoint {
    /// Listens on a free port of 127.0.0.1 (plain HTTP) and answers each
    /// request with `handler`.
    pub fn start<F>(handler: F) -> Result<MerchantEndpoint>
    where
        F: Fn(&MerchantRequest<'_>) -> MerchantAnswer + Send + Sync + 'static,
    {
        let handler: http::Handler = Arc::new(move |req: &http::Request| {
            http::Reply::Response(handler(&MerchantRequest(req)).0)
        });
        Ok(MerchantEndpoint {
            server: http::Server::start(0, None, handler)?,
        })
    }

    /// `http://127.0.0.1:PORT`, to which the paths the handler serves are
    /// appended to make notifyUrl and callbackUrl.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The address the endpoint listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// Stops listening (as dropping does); requests being handled finish
    /// on their own.
    pub fn shutdown(self) {
        self.server.shutdown();
    }
}

/// One request the endpoint received, as the handler sees it.
#[derive(Debug)]
pub struct MerchantRequest<'a>(&'a http::Request);

impl MerchantRequest<'_> {
    /// The method (`GET`, `POST`).
    pub fn method(&self) -> &str {
        &self.0.method
    }

    /// The path, without the query string.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// The raw query string (after `?`), possibly empty: a PageNotify sent
    /// as a GET redirect carries its signed message here.
    pub fn query(&self) -> &str {
        &self.0.query
    }

    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.0.header(name)
    }

    /// The body as received (an OfflineNotify's or a POSTed PageNotify's
    /// signed message), to be given to the library's notification parser
    /// byte for byte.
    pub fn body(&self) -> &[u8] {
        &self.0.body
    }
}

/// The endpoint's answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantAnswer(http::Response);

impl MerchantAnswer {
    /// A `text/plain; charset=utf-8` answer: for a notifyUrl, status 200
    /// with exactly [`cmpay::ACK`] stops the gateway's resends.
    pub fn text(status: u16, body: impl Into<Vec<u8>>) -> MerchantAnswer {
        MerchantAnswer(http::Response::text(status, body))
    }

    /// A `text/html; charset=utf-8` answer (the page a shopper sees at
    /// callbackUrl).
    pub fn html(status: u16, body: impl Into<Vec<u8>>) -> MerchantAnswer {
        MerchantAnswer(http::Response::html(status, body))
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.0.body
    }
}
