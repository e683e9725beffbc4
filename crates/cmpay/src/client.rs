//! The blocking client (design.md layer 2): one merchant, one ureq agent on
//! rustls, three operations. TLS verification is always on; plain http is
//! refused unless the configuration allows it (a test gateway, the sandbox).
//! Order creation is never retried; a query is retried once, with a fresh
//! requestId, when the connection failed below HTTP.

use crate::body;
use crate::charset::Charset;
use crate::error::{Error, Result};
use crate::fields::MessageKind;
use crate::log::{self, Level, LogSink, event};
use crate::merchant::{Merchant, SignedRequest};
use crate::notify::Notification;
use crate::params::Params;
use crate::response::{OrderResponse, QueryResponse, RefundResponse};
use crate::sign::Verifier;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// The live gateway's endpoint for every request type.
pub const DEFAULT_ENDPOINT: &str = "https://ipos.10086.cn/ips/cmpayService";

/// The longest timeout a client accepts: a gateway call that has not
/// answered in two minutes will not, and a longer one would hold a shop's
/// worker as if there were no timeout at all.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(120);

/// How the client reaches the gateway. Its `Debug` form shows a proxy
/// password as `***` and the extra CAs by count.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// Default `https://ipos.10086.cn/ips/cmpayService`.
    pub endpoint: String,
    /// characterSet used when an order's params leave it out; default GBK (00).
    pub charset: Charset,
    /// TCP (and proxy) connect timeout; default 5 s.
    pub connect_timeout: Duration,
    /// The whole request, from DNS to the last byte of the answer; default 30 s.
    pub timeout: Duration,
    /// An HTTP(S) proxy URL, e.g. `http://proxy:3128`. The environment's
    /// proxy variables are not read: only this setting counts.
    pub proxy: Option<String>,
    /// Extra trusted CA certificates (PEM), added to Mozilla's roots.
    pub extra_ca_pem: Vec<Vec<u8>>,
    /// Allows a plain `http://` endpoint (tests and the sandbox only). It says
    /// nothing about payUrls: a verified answer's cashier URL is taken as the
    /// gateway sent it (the live WAP cashier is http). TLS verification itself
    /// can never be switched off.
    pub allow_http: bool,
    /// Where the client reports every exchange (`log`): requests sent,
    /// answers received, notifications verified or refused, retries,
    /// timeouts, TLS failures. None by default.
    pub logger: Option<LogSink>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("endpoint", &without_password(&self.endpoint))
            .field("charset", &self.charset)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("proxy", &self.proxy.as_deref().map(without_password))
            .field("extra_ca_pem", &self.extra_ca_pem.len())
            .field("allow_http", &self.allow_http)
            .field("logger", &self.logger)
            .finish()
    }
}

impl Default for ClientConfig {
    fn default() -> ClientConfig {
        ClientConfig {
            endpoint: DEFAULT_ENDPOINT.to_string(),
            charset: Charset::Gbk,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            proxy: None,
            extra_ca_pem: Vec::new(),
            allow_http: false,
            logger: None,
        }
    }
}

/// A thread-safe client: share one (e.g. in an `Arc`) between threads.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    merchant: Merchant,
    config: ClientConfig,
    agent: ureq::Agent,
    /// What a connection error names: the endpoint with its port made
    /// explicit, and the proxy when there is one.
    target: String,
}

/// Largest answer read from the gateway (the parser's own limit, plus one
/// byte so that an over-long body is reported as such, not cut).
const READ_LIMIT: u64 = body::MAX_BODY as u64 + 1;

impl Client {
    /// Checks the configuration and builds the HTTP agent. Fails with
    /// `InvalidArgument` for a bad endpoint, proxy or timeout, and with `Tls`
    /// for an extra CA certificate that is not PEM.
    pub fn new(merchant: Merchant, config: ClientConfig) -> Result<Client> {
        let endpoint = config.endpoint.trim();
        if endpoint != config.endpoint || endpoint.is_empty() {
            return Err(Error::InvalidArgument(format!(
                "endpoint {:?} is empty or has surrounding whitespace",
                config.endpoint
            )));
        }
        let lower = endpoint.to_ascii_lowercase();
        if !(lower.starts_with("https://") || (config.allow_http && lower.starts_with("http://"))) {
            return Err(Error::InvalidArgument(format!(
                "endpoint {endpoint:?} is not https; plain http is allowed only with allow_http (a test gateway)"
            )));
        }
        if endpoint.parse::<ureq::http::Uri>().is_err()
            || endpoint
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Error::InvalidArgument(format!(
                "endpoint {endpoint:?} is not a valid URL"
            )));
        }
        if config.timeout.is_zero() || config.connect_timeout.is_zero() {
            return Err(Error::InvalidArgument(
                "timeouts must be greater than zero (they cannot be switched off)".into(),
            ));
        }
        if config.timeout > MAX_TIMEOUT || config.connect_timeout > MAX_TIMEOUT {
            return Err(Error::InvalidArgument(format!(
                "timeouts must be at most {} s (a larger one is as good as none)",
                MAX_TIMEOUT.as_secs()
            )));
        }
        let tls = if config.extra_ca_pem.is_empty() {
            TlsConfig::builder().root_certs(RootCerts::WebPki).build()
        } else {
            let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .map(|c| Certificate::from_der(c.as_ref()).to_owned())
                .collect();
            for (i, pem) in config.extra_ca_pem.iter().enumerate() {
                let mut found = 0;
                for item in ureq::tls::parse_pem(pem) {
                    match item {
                        Ok(ureq::tls::PemItem::Certificate(cert)) => {
                            roots.push(cert);
                            found += 1;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            return Err(Error::Tls(format!(
                                "extra CA certificate #{i} is not readable PEM: {e}"
                            )));
                        }
                    }
                }
                if found == 0 {
                    return Err(Error::Tls(format!(
                        "extra CA certificate #{i} holds no PEM CERTIFICATE"
                    )));
                }
            }
            TlsConfig::builder()
                .root_certs(RootCerts::new_with_certs(&roots))
                .build()
        };
        let proxy = match config.proxy.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => Some(ureq::Proxy::new(p).map_err(|e| {
                Error::InvalidArgument(format!("proxy {:?}: {e}", without_password(p)))
            })?),
            None => None,
        };
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .https_only(!config.allow_http)
            .tls_config(tls)
            .proxy(proxy)
            .max_redirects(0)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.timeout))
            .user_agent(format!("cmpay-rust/{}", crate::VERSION))
            .accept_encoding("identity")
            .build()
            .new_agent();
        let target = target(endpoint, config.proxy.as_deref());
        Ok(Client {
            inner: Arc::new(Inner {
                merchant,
                config,
                agent,
                target,
            }),
        })
    }

    /// A client configured from the process's environment variables
    /// (`CMPAY_MERCHANT_ID`, `CMPAY_SIGN_KEY`, ...: the table in `env`).
    /// Every bad value is an error naming its variable.
    pub fn from_env() -> Result<Client> {
        Client::from_env_with(ClientConfig::default())
    }

    /// As `from_env`, on top of `base`: what no variable sets (the logger,
    /// say) is kept from it.
    pub fn from_env_with(base: ClientConfig) -> Result<Client> {
        crate::env::client_from(base, |name| std::env::var_os(name))
    }

    /// As `from_env_with`, reading the variables through `lookup` (a map in
    /// a test, a secrets store) instead of the process's environment.
    pub fn from_lookup(
        base: ClientConfig,
        lookup: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> Result<Client> {
        crate::env::client_from(base, lookup)
    }

    /// The merchant this client signs and verifies for.
    pub fn merchant(&self) -> &Merchant {
        &self.inner.merchant
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Signs and sends a DirectPayConfirm (or another order type given in
    /// `type`). A `requestId` is generated when absent, `characterSet` taken
    /// from the configuration when absent. Never retried: a transport error or
    /// timeout leaves the order's state unknown; query it before trying again
    /// with a new orderId.
    pub fn create_order(&self, params: &Params) -> Result<OrderResponse> {
        let request = self.sign_order(params)?;
        let answer = self.exchange(&request).map_err(|f| f.error)?;
        let result = (|| {
            let response = OrderResponse::parse(self.inner.merchant.verifier(), &answer.body)?;
            self.check_echo(
                &response.params,
                "merchantId",
                self.inner.merchant.merchant_id(),
            )?;
            self.check_echo(
                &response.params,
                "requestId",
                request.params.value("requestId"),
            )?;
            // An answer to another order type (signed for another request)
            // is no answer to this one.
            self.check_echo(&response.params, "type", request.params.value("type"))?;
            Ok(response)
        })();
        self.log_answer(&request, &answer, result.as_ref().map(|r| &r.params));
        result
    }

    /// Parses and verifies a notification for this client's merchant
    /// (`Notification::parse_for`), reporting it to the client's logger:
    /// `notify.verified` with its orderId, payNo, amount and status, or
    /// `notify.refused` with the reason (and the body at debug level, its
    /// hmac redacted). No I/O.
    pub fn parse_notification(&self, body: &[u8]) -> Result<Notification> {
        let sink = self.inner.config.logger.as_ref();
        log::emit(sink, Level::Debug, event::NOTIFY_BODY, || {
            log::redact_body(body)
        });
        let result = Notification::parse_for(&self.inner.merchant, body);
        match &result {
            Ok(n) => log::emit(sink, Level::Info, event::NOTIFY_VERIFIED, || {
                let ambiguity = if n.is_ambiguous() {
                    ", ambiguous: confirm it with the gateway before recording it"
                } else {
                    ""
                };
                format!(
                    "{} verified: merchantId={} orderId={} payNo={} amount={} status={} returnCode={} decoding={}{ambiguity}",
                    n.field("type"),
                    log::clean(n.merchant_id()),
                    log::clean(n.order_id()),
                    log::clean(n.pay_no()),
                    log::clean(n.field("amount")),
                    log::clean(n.field("status")),
                    log::clean(n.field("returnCode")),
                    n.decoding().name(),
                )
            }),
            Err(e) => log::emit(sink, Level::Warn, event::NOTIFY_REFUSED, || {
                format!(
                    "notification of {} bytes refused ({:?}): {}",
                    body.len(),
                    e.code(),
                    log::clean(&e.to_string())
                )
            }),
        }
        result
    }

    /// The signed request `create_order` would send (requestId and
    /// characterSet completed), for callers that log or send it themselves.
    pub fn sign_order(&self, params: &Params) -> Result<SignedRequest> {
        let mut params = params.clone();
        if params.value("characterSet").is_empty() {
            params.set("characterSet", self.inner.config.charset.code());
        }
        if params.value("requestId").is_empty() {
            params.set("requestId", new_request_id());
        }
        self.inner
            .merchant
            .sign_request(MessageKind::OrderRequest, &params)
    }

    /// Asks the gateway for an order's state. Retried once (with a new
    /// requestId) when the connection failed below HTTP; never on a timeout.
    pub fn query_order(&self, order_id: &str) -> Result<QueryResponse> {
        let send = || -> std::result::Result<QueryResponse, Failure> {
            let params: Params = [
                ("requestId", new_request_id()),
                ("orderId", order_id.to_string()),
            ]
            .into_iter()
            .collect();
            self.send_for_order(
                MessageKind::QueryRequest,
                &params,
                order_id,
                QueryResponse::parse,
                |r| &r.params,
            )
        };
        match send() {
            Err(Failure {
                connection: true,
                error,
            }) => {
                log::emit(
                    self.inner.config.logger.as_ref(),
                    Level::Warn,
                    event::RETRY,
                    || {
                        format!(
                            "OrderQuery orderId={} failed below HTTP ({}); retrying once with a new requestId",
                            log::clean(order_id),
                            log::clean(&error.to_string())
                        )
                    },
                );
                send().map_err(|f| f.error)
            }
            other => other.map_err(|f| f.error),
        }
    }

    /// Confirms a notification with the gateway: queries its orderId
    /// (OrderQuery over verified TLS) and marks it confirmed when the
    /// answer agrees (`Notification::confirm_with`: same merchantId and
    /// orderId, one meaning, and for a paid notification status SUCCESS
    /// with the same amount and payNo). Required before `check_order`
    /// passes an ambiguous notification; harmless for any other. NOT_CONFIRMED
    /// when the gateway disagrees; a transport or gateway error leaves it
    /// unconfirmed.
    pub fn confirm(&self, notification: &Notification) -> Result<()> {
        let answer = self.query_order(notification.order_id())?;
        notification.confirm_with(&answer)
    }

    /// Refunds `amount_fen` of a paid order. Never retried.
    pub fn refund(&self, order_id: &str, amount_fen: u64) -> Result<RefundResponse> {
        let params: Params = [
            ("requestId", new_request_id()),
            ("orderId", order_id.to_string()),
            ("amount", amount_fen.to_string()),
        ]
        .into_iter()
        .collect();
        self.send_for_order(
            MessageKind::RefundRequest,
            &params,
            order_id,
            RefundResponse::parse,
            |r| &r.params,
        )
        .map_err(|f| f.error)
    }

    /// Signs a request about one order (query, refund), sends it once, and
    /// checks that the verified answer names this merchant and that order.
    fn send_for_order<R>(
        &self,
        kind: MessageKind,
        params: &Params,
        order_id: &str,
        parse: fn(&Verifier, &[u8]) -> Result<R>,
        fields: fn(&R) -> &Params,
    ) -> std::result::Result<R, Failure> {
        let merchant = &self.inner.merchant;
        let request = merchant.sign_request(kind, params)?;
        let answer = self.exchange(&request)?;
        let result = (|| {
            let response = parse(merchant.verifier(), &answer.body)?;
            self.check_echo(fields(&response), "merchantId", merchant.merchant_id())?;
            self.check_echo(fields(&response), "orderId", order_id)?;
            Ok(response)
        })();
        self.log_answer(&request, &answer, result.as_ref().map(fields));
        Ok(result?)
    }

    /// Reports the outcome of an answer that came back with a 2xx status:
    /// `answer.received` (warn for a gateway error) or `answer.refused`.
    fn log_answer(
        &self,
        request: &SignedRequest,
        answer: &Answer,
        outcome: std::result::Result<&Params, &Error>,
    ) {
        let sink = self.inner.config.logger.as_ref();
        let about = || exchange_about(request, answer);
        match outcome {
            Ok(params) => log::emit(sink, Level::Info, event::ANSWER_RECEIVED, || {
                let mut m = format!(
                    "{}: returnCode={} message={:?}",
                    about(),
                    log::clean(params.value("returnCode")),
                    log::clean(params.value("message"))
                );
                for name in ["status", "amount", "payNo"] {
                    let value = params.value(name);
                    if !value.is_empty() {
                        m.push_str(&format!(" {name}={}", log::clean(value)));
                    }
                }
                m
            }),
            Err(e @ Error::Gateway { .. }) => log_gateway_error(sink, &about(), e),
            Err(e) => log::emit(sink, Level::Error, event::ANSWER_REFUSED, || {
                format!(
                    "{}: answer refused ({:?}): {}",
                    about(),
                    e.code(),
                    log::clean(&e.to_string())
                )
            }),
        }
    }

    /// POSTs a signed request; returns a 2xx answer. A 4xx/5xx answer whose
    /// body is a gateway error becomes that gateway error; one without such
    /// a body is a transport error. Logs the request, the bodies (debug)
    /// and any failure; the caller logs the answer once it has read it.
    fn exchange(&self, request: &SignedRequest) -> std::result::Result<Answer, Failure> {
        let inner = &self.inner;
        let sink = inner.config.logger.as_ref();
        log::emit(sink, Level::Info, event::REQUEST_SENT, || {
            format!(
                "{} requestId={} orderId={} POST {} (connect timeout {} ms, timeout {} ms)",
                request_name(request),
                log::clean(request.params.value("requestId")),
                log::clean(request.params.value("orderId")),
                log::clean(&inner.target),
                inner.config.connect_timeout.as_millis(),
                inner.config.timeout.as_millis(),
            )
        });
        log::emit(sink, Level::Debug, event::REQUEST_BODY, || {
            log::redact_body(request.body.as_bytes())
        });
        let started = Instant::now();
        let below_http = |e: ureq::Error| {
            let error = naming_target(map_ureq_error(e), &inner.target);
            let (level, name) = match error {
                Error::Timeout(_) => (Level::Error, event::TIMEOUT),
                Error::Tls(_) => (Level::Error, event::TLS_FAILED),
                _ => (Level::Error, event::TRANSPORT_FAILED),
            };
            log::emit(sink, level, name, || {
                format!(
                    "{} requestId={} orderId={}: failed after {} ms: {}",
                    request_name(request),
                    log::clean(request.params.value("requestId")),
                    log::clean(request.params.value("orderId")),
                    started.elapsed().as_millis(),
                    log::clean(&error.to_string())
                )
            });
            Failure {
                connection: matches!(error, Error::Transport(_)),
                error,
            }
        };
        let mut response = inner
            .agent
            .post(&inner.config.endpoint)
            .header("Content-Type", &request.content_type)
            .send(&request.body)
            .map_err(below_http)?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(READ_LIMIT)
            .read_to_vec()
            .map_err(below_http)?;
        let answer = Answer {
            body,
            status,
            elapsed: started.elapsed(),
        };
        log::emit(sink, Level::Debug, event::ANSWER_BODY, || {
            log::redact_body(&answer.body)
        });
        if (200..300).contains(&status) {
            return Ok(answer);
        }
        // An error status: a gateway answer in the body wins; else transport.
        let kind = request.kind.answer().unwrap_or(MessageKind::OrderResponse);
        let about = || exchange_about(request, &answer);
        match crate::response::parse(inner.merchant.verifier(), kind, &answer.body) {
            Err(e @ Error::Gateway { .. }) => {
                log_gateway_error(sink, &about(), &e);
                Err(e.into())
            }
            _ => {
                log::emit(sink, Level::Error, event::TRANSPORT_FAILED, || {
                    format!(
                        "{}: no gateway answer in a body of {} bytes",
                        about(),
                        answer.body.len()
                    )
                });
                Err(Error::Transport(format!(
                    "HTTP {status} from {} without a gateway answer{}",
                    inner.config.endpoint,
                    snippet(&answer.body)
                ))
                .into())
            }
        }
    }

    /// The answer must be for this merchant and this request.
    fn check_echo(&self, params: &Params, name: &str, expected: &str) -> Result<()> {
        let got = params.value(name);
        if got != expected {
            return Err(Error::Parse(format!(
                "answer's {name} is {got:?}, the request's is {expected:?}"
            )));
        }
        Ok(())
    }
}

/// What came back over HTTP, and how long it took.
struct Answer {
    body: Vec<u8>,
    status: u16,
    elapsed: Duration,
}

/// `OrderRequest (DirectPayConfirm)`: the request's kind and type.
fn request_name(request: &SignedRequest) -> String {
    format!(
        "{} ({})",
        request.kind.name(),
        log::clean(request.params.value("type"))
    )
}

/// The first part of an `answer.*` record: which request, the HTTP status
/// and the time taken.
fn exchange_about(request: &SignedRequest, answer: &Answer) -> String {
    format!(
        "{} requestId={} orderId={}: HTTP {} in {} ms",
        request_name(request),
        log::clean(request.params.value("requestId")),
        log::clean(request.params.value("orderId")),
        answer.status,
        answer.elapsed.as_millis()
    )
}

/// A gateway error is an answer received (at warn): its returnCode and message.
fn log_gateway_error(sink: Option<&LogSink>, about: &str, error: &Error) {
    if let Error::Gateway {
        return_code,
        message,
        signature_verified,
    } = error
    {
        log::emit(sink, Level::Warn, event::ANSWER_RECEIVED, || {
            format!(
                "{about}: returnCode={} message={:?}{}",
                log::clean(return_code),
                log::clean(message),
                if *signature_verified {
                    ""
                } else {
                    " (the answer's signature did not verify)"
                }
            )
        });
    }
}

/// An error, and whether the connection failed below HTTP (the one case a
/// query is retried in).
struct Failure {
    error: Error,
    connection: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            error,
            connection: false,
        }
    }
}

/// `scheme://host:port/path` of the endpoint (the default port written out,
/// so that a firewall rule can be checked against it), plus the proxy.
fn target(endpoint: &str, proxy: Option<&str>) -> String {
    let url = match endpoint.parse::<ureq::http::Uri>() {
        Ok(uri) => {
            let scheme = uri.scheme_str().unwrap_or("https");
            let port = uri
                .port_u16()
                .unwrap_or(if scheme == "http" { 80 } else { 443 });
            let host = uri.host().unwrap_or("");
            format!("{scheme}://{host}:{port}{}", uri.path())
        }
        Err(_) => without_password(endpoint),
    };
    match proxy.filter(|p| !p.is_empty()) {
        Some(p) => format!("{url} via proxy {}", without_password(p)),
        None => url,
    }
}

/// A URL as errors and the log may show it: a password in its userinfo
/// (`http://user:password@proxy:3128`, how proxies that ask for one are
/// configured) becomes `***`, the user name stays so the operator can tell
/// which account was used. Works on text that is not a valid URL too, since
/// the refusal of an unparsable proxy quotes it.
fn without_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let userinfo = &authority[..at];
    let shown = match userinfo.split_once(':') {
        Some((user, _password)) => format!("{user}:***"),
        None => userinfo.to_string(),
    };
    format!(
        "{}{shown}@{}{}",
        &url[..scheme_end],
        &authority[at + 1..],
        &rest[authority_end..]
    )
}

/// A connection, TLS or timeout error says which address it was trying.
fn naming_target(error: Error, target: &str) -> Error {
    match error {
        Error::Transport(m) => Error::Transport(format!("{m} (POST {target})")),
        Error::Timeout(m) => Error::Timeout(format!("{m} (POST {target})")),
        Error::Tls(m) => Error::Tls(format!("{m} (POST {target})")),
        other => other,
    }
}

fn snippet(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    let text: String = String::from_utf8_lossy(&body[..body.len().min(80)])
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    format!(": {text:?}")
}

/// Sorts ureq's errors into the library's kinds.
fn map_ureq_error(e: ureq::Error) -> Error {
    use ureq::Error as U;
    match e {
        U::Timeout(t) => Error::Timeout(format!("{t} timeout reached")),
        U::Tls(m) => Error::Tls(m.to_string()),
        U::Pem(e) => Error::Tls(format!("PEM: {e}")),
        U::Rustls(e) => Error::Tls(e.to_string()),
        U::Io(io) => map_io_error(io),
        U::HostNotFound => Error::Transport("host not found (DNS)".into()),
        U::ConnectionFailed => Error::Transport("connection failed".into()),
        U::BodyExceedsLimit(n) => Error::Parse(format!("answer larger than {n} bytes")),
        U::Protocol(p) => Error::Transport(format!("malformed HTTP from the gateway: {p}")),
        U::BadUri(u) => Error::InvalidArgument(format!("bad URL: {u}")),
        U::InvalidProxyUrl => Error::InvalidArgument("invalid proxy URL".into()),
        U::RequireHttpsOnly(u) => Error::InvalidArgument(format!("{u} is not https")),
        other => Error::Transport(other.to_string()),
    }
}

fn map_io_error(io: std::io::Error) -> Error {
    use std::io::ErrorKind as K;
    if let Some(tls) = io
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return Error::Tls(tls.to_string());
    }
    match io.kind() {
        K::TimedOut | K::WouldBlock => Error::Timeout(io.to_string()),
        K::InvalidData if io.to_string().to_ascii_lowercase().contains("tls") => {
            Error::Tls(io.to_string())
        }
        K::ConnectionRefused => Error::Transport(format!("connection refused: {io}")),
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
            Error::Transport(format!("connection closed by the gateway: {io}"))
        }
        _ => Error::Transport(io.to_string()),
    }
}

/// A new requestId, unique across threads and processes: UTC time to the
/// millisecond, the process id (hex) and a process-wide counter, each part
/// ended by a lower-case letter: `20261206t17h16m19s711p4d2n17` (at most
/// 36 characters). No run of six zeros and no upper-case letter, so no part
/// of it reads as a return code: the source of a query or refund request
/// carrying it cannot be re-split into a gateway answer
/// (`Merchant::sign_request` refuses such a source).
pub fn new_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) % 100_000;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let t = crate::dates::datetime(now.as_secs());
    format!(
        "{}t{}h{}m{}s{}p{:x}n{n}",
        &t[..8],
        &t[8..10],
        &t[10..12],
        &t[12..14],
        now.subsec_millis(),
        std::process::id()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_password_never_reaches_an_error() {
        assert_eq!(without_password("http://proxy:3128"), "http://proxy:3128");
        assert_eq!(
            without_password("http://u:p@ss@proxy:3128/x?a=b@c"),
            "http://u:***@proxy:3128/x?a=b@c"
        );
        assert_eq!(without_password("http://u:pw@[bad"), "http://u:***@[bad");
        assert_eq!(without_password("http://u@proxy"), "http://u@proxy");
        assert_eq!(without_password("no scheme u:pw@h"), "no scheme u:pw@h");
        let config = ClientConfig {
            proxy: Some("http://u:s3cret@[bad".into()),
            ..ClientConfig::default()
        };
        let merchant = crate::Merchant::md5("888009941110001", &"k".repeat(64)).unwrap();
        let Err(refused) = Client::new(merchant, config) else {
            panic!("a bad proxy is refused");
        };
        let text = refused.to_string();
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("u:***@[bad"), "{text}");
        let config = ClientConfig {
            proxy: Some("http://u:s3cret@proxy:3128".into()),
            ..ClientConfig::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("http://u:***@proxy:3128"), "{shown}");
    }

    #[test]
    fn connection_errors_name_host_and_port() {
        assert_eq!(
            target("https://ipos.10086.cn/ips/cmpayService", None),
            "https://ipos.10086.cn:443/ips/cmpayService"
        );
        assert_eq!(
            target("http://127.0.0.1:8080/x", Some("http://proxy:3128")),
            "http://127.0.0.1:8080/x via proxy http://proxy:3128"
        );
        assert_eq!(
            target(
                "http://127.0.0.1:8080/x",
                Some("http://shop:s3cret@proxy:3128")
            ),
            "http://127.0.0.1:8080/x via proxy http://shop:***@proxy:3128"
        );
        let e = naming_target(
            Error::Timeout("global timeout reached".into()),
            "https://h:443/p",
        );
        assert_eq!(
            e,
            Error::Timeout("global timeout reached (POST https://h:443/p)".into())
        );
        let kept = Error::Parse("x".into());
        assert_eq!(naming_target(kept.clone(), "t"), kept);
    }

    #[test]
    fn request_ids() {
        let a = new_request_id();
        let b = new_request_id();
        assert!(a.len() <= 36, "{a}");
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
        );
        assert!(!a.contains("000000"), "{a}");
        assert_eq!(&a[8..9], "t");
        assert_ne!(a, b);
    }

    #[test]
    fn client_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Client>();
    }

    #[test]
    fn refuses_http_and_bad_settings() {
        let m = Merchant::md5("888009941120001", &"k".repeat(64)).unwrap();
        let cfg = |endpoint: &str, allow_http: bool| ClientConfig {
            endpoint: endpoint.into(),
            allow_http,
            ..ClientConfig::default()
        };
        assert!(matches!(
            Client::new(m.clone(), cfg("http://127.0.0.1:1/x", false)),
            Err(Error::InvalidArgument(_))
        ));
        assert!(Client::new(m.clone(), cfg("http://127.0.0.1:1/x", true)).is_ok());
        assert!(Client::new(m.clone(), cfg("ftp://x", true)).is_err());
        assert!(Client::new(m.clone(), cfg(" https://x", false)).is_err());
        let bad_ca = ClientConfig {
            extra_ca_pem: vec![b"not a pem".to_vec()],
            ..ClientConfig::default()
        };
        assert!(matches!(Client::new(m.clone(), bad_ca), Err(Error::Tls(_))));
        let zero = ClientConfig {
            timeout: Duration::ZERO,
            ..ClientConfig::default()
        };
        assert!(Client::new(m.clone(), zero).is_err());
        for huge in [
            Duration::from_millis(u64::MAX),
            MAX_TIMEOUT + Duration::from_millis(1),
        ] {
            let cfg = ClientConfig {
                timeout: huge,
                ..ClientConfig::default()
            };
            let e = Client::new(m.clone(), cfg).err().unwrap().to_string();
            assert!(e.contains("at most 120 s"), "{e}");
        }
        let max = ClientConfig {
            timeout: MAX_TIMEOUT,
            ..ClientConfig::default()
        };
        assert!(Client::new(m, max).is_ok());
    }
}
