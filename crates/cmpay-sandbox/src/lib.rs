//! A local CMPay gateway simulator (design.md, "The sandbox"), for tests,
//! the demo and the bindings' endpoint tests. It serves on loopback only:
//!
//! It speaks the live gateway's dialect (protocol.md §8): requests are read
//! in their own characterSet, percent-encoded or raw; answers carry
//! `message=SUCCESS` and `payUrl`/`amtItem` raw; notifications are UTF-8
//! (switches: twice-encoded, GBK); the PageNotify is a browser POST form
//! (switch: a GET redirect).
//!
//! - `POST /ips/cmpayService`: DirectPayConfirm (DirectPay,
//!   WAPDirectPayConfirm), OrderQuery, OrderRefund, checked as the gateway
//!   checks them and answered with its codes, signed (MD5 with the merchant's
//!   key, RSA with the simulator's gateway key); GWDirectPay, POSTed by the
//!   shopper's browser, answered with the (simulated) bank's page;
//! - `GET|POST /ips/FormTrans3?sessionId=…` (or `SESSIONID`), and the WAP
//!   cashier `/wap/index.xhtml`: the cashier page behind payUrl, with pay
//!   and fail buttons posting to `/ips/cashier/submit`, which sends the
//!   browser to callbackUrl with the PageNotify (an auto-submitting POST
//!   form, or a 302 with `pageNotify=get`);
//! - `GET|POST /sandbox/settings` (`pageNotify=post|get`,
//!   `notifyEncoding=utf8|utf8-twice|gbk`): the dialect switches;
//! - OfflineNotify POSTs to notifyUrl at once, then after 1, 5, 10, 60, 120,
//!   360 and 900 minutes divided by `time_factor`, until the merchant answers
//!   exactly `SUCCESS`;
//! - `GET /sandbox/orders`, `GET /sandbox/deliveries` (JSON; `?orderId=`
//!   filters), `POST /sandbox/faults` and `POST /sandbox/faults/clear` (fault
//!   injection, see `Fault`), and `GET /` (an HTML overview);
//! - the test API (docs/sandbox-test-api.md): `POST /sandbox/pay`,
//!   `/sandbox/fail`, `/sandbox/expire` and `GET|POST /sandbox/wait-notified`,
//!   the same as `Sandbox::pay`, `fail`, `expire` and `wait_notified`;
//! - `POST /sandbox/notify`: a merchant notify endpoint that acknowledges
//!   every notification (`Sandbox::notify_url`), for a test without its own.
//!
//! The merchant's side of such a test (a notifyUrl and a callbackUrl that
//! receive what the simulator sends) is a [`MerchantEndpoint`].

mod cashier;
mod deliver;
mod dialect;
mod endpoint;
mod gateway;
pub(crate) mod http;
mod state;
mod testapi;
mod tls;

pub use dialect::{NotifyEncoding, PageNotifyMode, Shapes};
pub use endpoint::{MerchantAnswer, MerchantEndpoint, MerchantRequest};
pub(crate) use state::{Book, Job, Order};
pub use state::{DeliveryAttempt, OrderState, OrderView};
pub use testapi::{Refusal, RefusalCode, Settlement};

use cmpay::error::{Error, Result};
use cmpay::keys;
use cmpay::sign::{Md5Key, Signer, Verifier};
use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The default MD5 test merchant (the test vectors' made-up key).
pub const TEST_MD5_MERCHANT_ID: &str = "888009941120001";
/// The default MD5 test merchant's signKey (made up).
pub const TEST_MD5_SIGN_KEY: &str =
    "Qm7X2vT9pL4sK8dR1fG6hJ3wZ5cN0bV7yU2iO9aE4tS6mP1qW8xC3kD5lH7jF0gB";
/// The default RSA test merchant; its made-up key pair is below.
pub const TEST_RSA_MERCHANT_ID: &str = "888009941120002";
/// The RSA test merchant's private key, PKCS#8 PEM (made up).
pub const TEST_RSA_MERCHANT_PRIVATE_KEY_PEM: &str = include_str!("merchant_private_pkcs8.pem");
/// The RSA test merchant's public key, SPKI PEM (made up).
pub const TEST_RSA_MERCHANT_PUBLIC_KEY_PEM: &str = include_str!("merchant_public.pem");
/// The simulator's gateway public key, SPKI PEM (made up): what an RSA
/// merchant verifies the simulator's answers and notifications with.
pub const TEST_GATEWAY_PUBLIC_KEY_PEM: &str = include_str!("platform_public.pem");
/// The simulator's gateway key (made up; the same as tests/data/test-keys/platform_*).
const GATEWAY_PRIVATE_KEY_PEM: &str = include_str!("platform_private_pkcs8.pem");

/// The gateway's resend schedule: minutes after the previous send.
pub const NOTIFY_SCHEDULE_MINUTES: [u64; 7] = [1, 5, 10, 60, 120, 360, 900];

/// A merchant the simulator knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SandboxMerchant {
    /// Signs with signType MD5 and a shared signKey.
    Md5 {
        /// The merchant's merchantId.
        merchant_id: String,
        /// The shared signKey.
        sign_key: String,
    },
    /// Signs with signType RSA; the simulator verifies with this public key.
    Rsa {
        /// The merchant's merchantId.
        merchant_id: String,
        /// The merchant's public key, PEM or DER.
        public_key_pem: Vec<u8>,
    },
}

impl SandboxMerchant {
    /// The merchantId.
    pub fn merchant_id(&self) -> &str {
        match self {
            SandboxMerchant::Md5 { merchant_id, .. } | SandboxMerchant::Rsa { merchant_id, .. } => {
                merchant_id
            }
        }
    }
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestType {
    /// DirectPayConfirm and the other order types.
    Order,
    /// OrderQuery.
    Query,
    /// OrderRefund.
    Refund,
}

/// A fault the simulator injects into its answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Waits this long, then answers normally.
    Slow(Duration),
    /// Processes the request, then closes the connection without answering.
    Drop,
    /// Processes the request, then answers this HTTP status with a plain-text
    /// body that is no gateway answer.
    HttpStatus(u16),
    /// Processes the request, then answers 200 with a body that is not a
    /// gateway answer.
    Garbage,
    /// Answers normally, but with one hex digit of the hmac changed.
    BadSignature,
    /// Answers a signed gateway error with this return code, under this HTTP
    /// status (200 as the real gateway does, or 4xx/5xx), without processing.
    GatewayError {
        /// The HTTP status of the answer.
        status: u16,
        /// The returnCode, e.g. RPM22201.
        code: String,
    },
    /// The next payments' OfflineNotify is sent twice on every attempt.
    DuplicateNotify,
}

/// A fault for the next `count` matching requests (payments, for
/// `DuplicateNotify`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// What to do.
    pub fault: Fault,
    /// How many matching requests it applies to.
    pub count: u32,
    /// None: any request type.
    pub only: Option<RequestType>,
}

impl FaultRule {
    /// `fault` for the next request of any type.
    pub fn once(fault: Fault) -> FaultRule {
        FaultRule {
            fault,
            count: 1,
            only: None,
        }
    }
    /// `fault` for the next `count` requests of type `only` (None: any).
    pub fn new(fault: Fault, count: u32, only: Option<RequestType>) -> FaultRule {
        FaultRule { fault, count, only }
    }
}

#[derive(Debug, Clone)]
/// How the simulator starts: port, TLS, merchants, time and faults.
pub struct SandboxConfig {
    /// 0 picks a free port. The simulator listens on 127.0.0.1 only.
    pub port: u16,
    /// Serve HTTPS with a certificate made at start (see `Sandbox::ca_pem`).
    pub https: bool,
    /// The merchants it accepts requests from.
    pub merchants: Vec<SandboxMerchant>,
    /// Divides every notification delay and order validity: 60 turns the
    /// first one-minute resend into one second. Must be > 0.
    pub time_factor: f64,
    /// Faults active from the start.
    pub faults: Vec<FaultRule>,
    /// Timeout for one OfflineNotify POST to a merchant.
    pub notify_timeout: Duration,
    /// Threads delivering OfflineNotify.
    pub notify_workers: usize,
    /// How the PageNotify reaches callbackUrl: a browser POST form (the live
    /// gateway's way, the default) or a GET redirect.
    pub page_notify: PageNotifyMode,
    /// How notifications' values are encoded: UTF-8 once (default), UTF-8
    /// twice, or GBK.
    pub notify_encoding: NotifyEncoding,
    /// payNo, fee and the WAP payUrl: as captured (default) or their other
    /// shapes.
    pub shapes: Shapes,
}

impl Default for SandboxConfig {
    /// A free port, plain HTTP, real time, and the two test merchants.
    fn default() -> SandboxConfig {
        SandboxConfig {
            port: 0,
            https: false,
            merchants: vec![
                SandboxMerchant::Md5 {
                    merchant_id: TEST_MD5_MERCHANT_ID.into(),
                    sign_key: TEST_MD5_SIGN_KEY.into(),
                },
                SandboxMerchant::Rsa {
                    merchant_id: TEST_RSA_MERCHANT_ID.into(),
                    public_key_pem: TEST_RSA_MERCHANT_PUBLIC_KEY_PEM.as_bytes().to_vec(),
                },
            ],
            time_factor: 1.0,
            faults: Vec::new(),
            notify_timeout: Duration::from_secs(5),
            notify_workers: 4,
            page_notify: PageNotifyMode::default(),
            notify_encoding: NotifyEncoding::default(),
            shapes: Shapes::default(),
        }
    }
}

pub(crate) struct MerchantKeys {
    /// Verifies the merchant's requests.
    verifier: Verifier,
    /// Signs answers and notifications to the merchant.
    signer: Signer,
    rsa: bool,
}

pub(crate) struct Shared {
    base_url: String,
    time_factor: f64,
    merchants: HashMap<String, MerchantKeys>,
    gateway_public_pem: String,
    /// serverCert sent with RSA answers (hex of the gateway's SPKI); never to be trusted.
    server_cert_hex: String,
    book: Mutex<Book>,
    faults: Mutex<Vec<FaultRule>>,
    deliveries: Mutex<Vec<DeliveryAttempt>>,
    /// Signalled after every delivery attempt is recorded (`wait_notified`).
    deliveries_cv: Condvar,
    queue: Mutex<BinaryHeap<Job>>,
    queue_cv: Condvar,
    stopping: AtomicBool,
    started: Instant,
    counter: AtomicU64,
    notify_agent: ureq::Agent,
    /// The dialect switches, changeable while running (`/sandbox/settings`).
    dialect: Mutex<(PageNotifyMode, NotifyEncoding)>,
    /// The shapes of payNo, fee and the WAP payUrl.
    shapes: Shapes,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not wedge the simulator: the data stays usable.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    fn ms_since_start(&self, t: Instant) -> u64 {
        t.saturating_duration_since(self.started).as_millis() as u64
    }

    /// `minutes` of gateway time as simulator time.
    fn scaled_minutes(&self, minutes: f64) -> Duration {
        Duration::try_from_secs_f64(minutes * 60.0 / self.time_factor)
            .unwrap_or(Duration::from_secs(365 * 86_400))
    }

    fn next_number(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }

    /// Takes one use of the first rule matching `which` (and `pred`).
    fn take_fault(
        &self,
        which: Option<RequestType>,
        pred: impl Fn(&Fault) -> bool,
    ) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        let i = faults
            .iter()
            .position(|r| r.count > 0 && pred(&r.fault) && (r.only.is_none() || r.only == which))?;
        faults[i].count -= 1;
        let fault = faults[i].fault.clone();
        if faults[i].count == 0 {
            faults.remove(i);
        }
        Some(fault)
    }
}

/// A running simulator. `shutdown` (or dropping it) stops it.
pub struct Sandbox {
    shared: Arc<Shared>,
    server: Option<http::Server>,
    workers: Vec<JoinHandle<()>>,
    ca_pem: Option<String>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.shared.base_url)
            .finish()
    }
}

impl Sandbox {
    /// Starts the simulator on 127.0.0.1 and its notification workers.
    pub fn start(config: SandboxConfig) -> Result<Sandbox> {
        if !(config.time_factor.is_finite() && config.time_factor > 0.0) {
            return Err(Error::InvalidArgument(format!(
                "time_factor must be a number greater than 0, got {}",
                config.time_factor
            )));
        }
        let gateway_private = keys::load_private_key(GATEWAY_PRIVATE_KEY_PEM.as_bytes())?;
        let gateway_public = gateway_private.to_public_key();
        let server_cert_hex = keys::spki_hex(&gateway_public)?;
        let gateway_public_pem = {
            use rsa::pkcs8::{EncodePublicKey, LineEnding};
            gateway_public
                .to_public_key_pem(LineEnding::LF)
                .map_err(|e| Error::Key(format!("cannot encode the gateway key: {e}")))?
        };
        let gateway_signer = Signer::rsa(gateway_private);
        let mut merchants = HashMap::new();
        for m in &config.merchants {
            let keys = match m {
                SandboxMerchant::Md5 { sign_key, .. } => {
                    let key = Md5Key::new(sign_key)?;
                    MerchantKeys {
                        verifier: Verifier::Md5(key.clone()),
                        signer: Signer::Md5(key),
                        rsa: false,
                    }
                }
                SandboxMerchant::Rsa { public_key_pem, .. } => MerchantKeys {
                    verifier: Verifier::rsa(keys::load_public_key(public_key_pem, false)?),
                    signer: gateway_signer.clone(),
                    rsa: true,
                },
            };
            let id = m.merchant_id();
            if id.is_empty() || merchants.insert(id.to_string(), keys).is_some() {
                return Err(Error::InvalidArgument(format!(
                    "merchant id {id:?} is empty or configured twice"
                )));
            }
        }
        let identity = if config.https {
            Some(tls::generate()?)
        } else {
            None
        };
        let ca_pem = identity.as_ref().map(|i| i.ca_pem.clone());

        // Bind first: the base URL (for payUrl) needs the port.
        let listener_port = config.port;
        let slot: Arc<Mutex<Option<Arc<Shared>>>> = Arc::new(Mutex::new(None));
        let handler_slot = slot.clone();
        let handler: http::Handler = Arc::new(move |req: &http::Request| {
            let shared = lock(&handler_slot).clone();
            match shared {
                Some(shared) => route(&shared, req),
                None => http::Response::text(503, "starting\n").into(),
            }
        });
        let server = http::Server::start(
            listener_port,
            identity.as_ref().map(|i| i.server_config.clone()),
            handler,
        )?;

        let mut roots: Vec<ureq::tls::Certificate<'static>> = Vec::new();
        if let Some(pem) = &ca_pem {
            roots.extend(
                webpki_root_certs::TLS_SERVER_ROOT_CERTS
                    .iter()
                    .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned()),
            );
            for item in ureq::tls::parse_pem(pem.as_bytes()).flatten() {
                if let ureq::tls::PemItem::Certificate(c) = item {
                    roots.push(c);
                }
            }
        }
        let tls_config = if roots.is_empty() {
            ureq::tls::TlsConfig::builder().build()
        } else {
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&roots))
                .build()
        };
        let notify_agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .tls_config(tls_config)
            .timeout_global(Some(config.notify_timeout))
            .user_agent("cmpay-sandbox")
            .build()
            .new_agent();

        let shared = Arc::new(Shared {
            base_url: server.base_url(),
            time_factor: config.time_factor,
            merchants,
            gateway_public_pem,
            server_cert_hex,
            book: Mutex::new(Book::default()),
            faults: Mutex::new(config.faults.clone()),
            deliveries: Mutex::new(Vec::new()),
            deliveries_cv: Condvar::new(),
            queue: Mutex::new(BinaryHeap::new()),
            queue_cv: Condvar::new(),
            stopping: AtomicBool::new(false),
            started: Instant::now(),
            counter: AtomicU64::new(1),
            notify_agent,
            dialect: Mutex::new((config.page_notify, config.notify_encoding)),
            shapes: config.shapes,
        });
        *lock(&slot) = Some(shared.clone());
        let mut workers = Vec::new();
        for i in 0..config.notify_workers.max(1) {
            let shared = shared.clone();
            let worker = std::thread::Builder::new()
                .name(format!("cmpay-sandbox-notify-{i}"))
                .spawn(move || deliver::worker(&shared))
                .map_err(|e| Error::Transport(format!("cannot start a thread: {e}")))?;
            workers.push(worker);
        }
        Ok(Sandbox {
            shared,
            server: Some(server),
            workers,
            ca_pem,
        })
    }

    /// `http://127.0.0.1:PORT` (or https).
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The service endpoint to configure a client with.
    pub fn endpoint(&self) -> String {
        format!("{}/ips/cmpayService", self.shared.base_url)
    }

    /// A notifyUrl served by the simulator itself that answers every
    /// OfflineNotify `SUCCESS` without looking at it: for an order whose test
    /// has no notify endpoint of its own (`wait_notified` then succeeds at
    /// once). A test of the shop's own notify handler gives that handler's
    /// URL instead, or takes the body from `deliveries` and hands it to the
    /// handler (docs/sandbox-test-api.md).
    pub fn notify_url(&self) -> String {
        format!("{}/sandbox/notify", self.shared.base_url)
    }

    /// With https: the PEM of the CA that signed the simulator's certificate.
    pub fn ca_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// The simulator's gateway public key (SPKI PEM), for RSA merchants to pin.
    pub fn gateway_public_key_pem(&self) -> String {
        self.shared.gateway_public_pem.clone()
    }

    /// Adds a fault rule (see `Fault`).
    pub fn inject(&self, rule: FaultRule) {
        lock(&self.shared.faults).push(rule);
    }

    /// Switches how the PageNotify is delivered and how notifications are
    /// encoded, for the notifications sent from now on.
    pub fn set_dialect(&self, page_notify: PageNotifyMode, notify_encoding: NotifyEncoding) {
        *lock(&self.shared.dialect) = (page_notify, notify_encoding);
    }

    /// Removes every fault rule not yet used up.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Every order, oldest first.
    pub fn orders(&self) -> Vec<OrderView> {
        self.shared.orders()
    }

    /// The order `order_id` of `merchant_id`, if the simulator has it.
    pub fn order(&self, merchant_id: &str, order_id: &str) -> Option<OrderView> {
        let book = lock(&self.shared.book);
        book.orders
            .get(&(merchant_id.to_string(), order_id.to_string()))
            .map(|o| self.shared.view(o, Instant::now()))
    }

    /// Every OfflineNotify send so far, in the order they were sent.
    pub fn deliveries(&self) -> Vec<DeliveryAttempt> {
        lock(&self.shared.deliveries).clone()
    }

    /// The deliveries (of orders with this orderId only, when given) as the
    /// JSON document `GET /sandbox/deliveries` answers.
    pub fn deliveries_json(&self, order_id: Option<&str>) -> String {
        self.shared.deliveries_json(order_id)
    }

    /// Pays the order `order_id` as a buyer at the cashier would: it becomes
    /// paid, its OfflineNotify is sent to notifyUrl (and resent on the
    /// gateway's schedule until acknowledged), and the PageNotify the
    /// browser would carry to callbackUrl is returned. `merchant_id` may be
    /// None unless several merchants have an order `order_id`
    /// (`RefusalCode::AmbiguousOrder`). Refused for an unknown order, or one
    /// paid, failed or expired already.
    pub fn pay(
        &self,
        merchant_id: Option<&str>,
        order_id: &str,
    ) -> std::result::Result<Settlement, Refusal> {
        self.shared.settle_order(merchant_id, order_id, true)
    }

    /// As `pay`, but the payment is refused (the cashier's fail button): the
    /// order becomes FAILED, and the notifications say so.
    pub fn fail(
        &self,
        merchant_id: Option<&str>,
        order_id: &str,
    ) -> std::result::Result<Settlement, Refusal> {
        self.shared.settle_order(merchant_id, order_id, false)
    }

    /// Puts a pending order past its validity, as time would: it can no
    /// longer be paid (the gateway's RPM99981) and the query says EXPIRED.
    /// No notification is sent for it.
    pub fn expire(
        &self,
        merchant_id: Option<&str>,
        order_id: &str,
    ) -> std::result::Result<OrderView, Refusal> {
        self.shared.expire_order(merchant_id, order_id)
    }

    /// Waits up to `timeout` until an OfflineNotify of the order was
    /// answered exactly `SUCCESS`, and returns its delivery attempts.
    /// `RefusalCode::NotAcknowledged` otherwise, its message
    /// "not acknowledged: …" naming why the last attempt did not count (the
    /// reasons of `DeliveryAttempt::not_acked`) or that none was sent.
    pub fn wait_notified(
        &self,
        merchant_id: Option<&str>,
        order_id: &str,
        timeout: Duration,
    ) -> std::result::Result<Vec<DeliveryAttempt>, Refusal> {
        self.shared.wait_notified(merchant_id, order_id, timeout)
    }

    /// OfflineNotify sends still scheduled.
    pub fn pending_deliveries(&self) -> usize {
        lock(&self.shared.queue).len()
    }

    /// Stops serving and delivering; scheduled notifications are dropped.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.queue_cv.notify_all();
        if let Some(server) = self.server.take() {
            server.shutdown();
        }
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop();
    }
}

fn route(shared: &Arc<Shared>, req: &http::Request) -> http::Reply {
    match (req.method.as_str(), req.path.as_str()) {
        (_, "/ips/cmpayService") => gateway::service(shared, req),
        ("GET" | "POST", "/ips/FormTrans3" | "/wap/index.xhtml") => {
            cashier::page(shared, req).into()
        }
        ("POST", "/ips/cashier/submit") => cashier::submit(shared, req).into(),
        // Browsers ask every origin for one: no icon, and no 404 in their console.
        ("GET", "/favicon.ico") => http::Response::new(204, "image/x-icon", "").into(),
        ("GET", "/sandbox/orders") => cashier::orders_json(shared, req).into(),
        ("GET", "/sandbox/deliveries") => cashier::deliveries_json(shared, req).into(),
        ("POST", "/sandbox/pay") => testapi::route(shared, "pay", req).into(),
        ("POST", "/sandbox/fail") => testapi::route(shared, "fail", req).into(),
        ("POST", "/sandbox/expire") => testapi::route(shared, "expire", req).into(),
        // The stand-in merchant of `Sandbox::notify_url`: every notification acknowledged.
        ("POST", "/sandbox/notify") => http::Response::text(200, "SUCCESS").into(),
        ("GET" | "POST", "/sandbox/wait-notified") => {
            testapi::route(shared, "wait-notified", req).into()
        }
        ("GET", "/sandbox/faults") => cashier::faults_json(shared).into(),
        ("GET", "/sandbox/settings") => cashier::settings_json(shared).into(),
        ("POST", "/sandbox/settings") => cashier::set_settings(shared, req).into(),
        ("POST", "/sandbox/faults") => cashier::add_fault(shared, req).into(),
        ("POST", "/sandbox/faults/clear") => {
            lock(&shared.faults).clear();
            cashier::faults_json(shared).into()
        }
        ("GET", "/sandbox/gateway-public-key.pem") => http::Response::new(
            200,
            "application/x-pem-file",
            shared.gateway_public_pem.clone(),
        )
        .into(),
        ("GET", "/") => cashier::index(shared).into(),
        _ => http::Response::text(
            404,
            format!(
                "no such page in the cmpay sandbox: {} {}\n",
                req.method, req.path
            ),
        )
        .into(),
    }
}
