//! Helpers shared by the client/sandbox integration tests: merchants, order
//! parameters, a merchant notify endpoint with a scripted answer, and a
//! "browser" that pays on the sandbox's cashier page.
#![allow(dead_code)]

use cmpay::sandbox::http::{Reply, Request, Response, Server};
use cmpay::sandbox::{
    Sandbox, SandboxConfig, TEST_MD5_MERCHANT_ID, TEST_MD5_SIGN_KEY, TEST_RSA_MERCHANT_ID,
    TEST_RSA_MERCHANT_PRIVATE_KEY_PEM,
};
use cmpay::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn md5_merchant() -> Merchant {
    Merchant::md5(TEST_MD5_MERCHANT_ID, TEST_MD5_SIGN_KEY).unwrap()
}

pub fn rsa_merchant(sandbox: &Sandbox) -> Merchant {
    Merchant::rsa(
        TEST_RSA_MERCHANT_ID,
        TEST_RSA_MERCHANT_PRIVATE_KEY_PEM.as_bytes(),
        sandbox.gateway_public_key_pem().as_bytes(),
    )
    .unwrap()
}

pub fn client_config(sandbox: &Sandbox) -> ClientConfig {
    ClientConfig {
        endpoint: sandbox.endpoint(),
        allow_http: true,
        extra_ca_pem: sandbox
            .ca_pem()
            .map(|p| vec![p.into_bytes()])
            .unwrap_or_default(),
        timeout: Duration::from_secs(10),
        ..ClientConfig::default()
    }
}

pub fn client(sandbox: &Sandbox, merchant: Merchant) -> Client {
    Client::new(merchant, client_config(sandbox)).unwrap()
}

pub fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).unwrap()
}

/// A unique orderId for this test process.
pub fn order_id(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}{}{:06}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn order_params(order_id: &str, amount: u64, notify_url: &str, callback_url: &str) -> Params {
    [
        ("callbackUrl", callback_url.to_string()),
        ("notifyUrl", notify_url.to_string()),
        ("ipAddress", "127.0.0.1".to_string()),
        ("amount", amount.to_string()),
        ("orderDate", "20260301".to_string()),
        ("orderId", order_id.to_string()),
        ("merAcDate", "20260301".to_string()),
        ("period", "30".to_string()),
        ("periodUnit", "02".to_string()),
        ("merchantAbbr", "测试商户".to_string()),
        ("productName", "测试商品 和包".to_string()),
        ("reserved1", "备注一 note".to_string()),
        ("reserved2", "r2 & = %".to_string()),
    ]
    .into_iter()
    .collect()
}

/// One request the merchant endpoint received.
#[derive(Debug, Clone)]
pub struct Received {
    pub at: Instant,
    pub method: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// A merchant's notify endpoint: answers the first `script.len()` requests
/// with the scripted (status, body), then `SUCCESS`.
pub struct Endpoint {
    pub server: Server,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl Endpoint {
    pub fn start(script: Vec<(u16, &'static str)>) -> Endpoint {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let log = received.clone();
        let handler = Arc::new(move |req: &Request| -> Reply {
            let mut log = log.lock().unwrap();
            let n = log.len();
            log.push(Received {
                at: Instant::now(),
                method: req.method.clone(),
                content_type: req.header("content-type").unwrap_or("").to_string(),
                body: req.body.clone(),
            });
            let (status, body) = script.get(n).copied().unwrap_or((200, "SUCCESS"));
            Response::text(status, body).into()
        });
        Endpoint {
            server: Server::start(0, None, handler).unwrap(),
            received,
        }
    }

    pub fn url(&self) -> String {
        format!("{}/notify", self.server.base_url())
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn bodies(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests arrived (or the deadline passes).
    pub fn wait_for(&self, n: usize, within: Duration) -> usize {
        let deadline = Instant::now() + within;
        while self.count() < n && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.count()
    }
}

/// A plain HTTP client standing in for the shopper's browser (no redirects
/// followed), trusting the sandbox's CA when it has one.
pub fn browser(sandbox: &Sandbox) -> ureq::Agent {
    let mut builder = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)));
    if let Some(pem) = sandbox.ca_pem() {
        let certs: Vec<_> = ureq::tls::parse_pem(pem.as_bytes())
            .filter_map(|i| match i {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        builder = builder.tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
                .build(),
        );
    }
    builder.build().new_agent()
}

/// Follows payUrl as the HTML form would (POST sessionId to the cashier),
/// checks the page, then presses pay (or fail). Returns the redirect's
/// Location (callbackUrl with the PageNotify).
pub fn pay(sandbox: &Sandbox, order: &OrderResponse, action: &str) -> String {
    let agent = browser(sandbox);
    let form = format!("sessionId={}", order.pay_url.session_id);
    let mut page = agent
        .post(&order.pay_url.url)
        .content_type("application/x-www-form-urlencoded")
        .send(&form)
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.body_mut().read_to_string().unwrap();
    assert!(
        html.contains("<form method=\"post\" action=\"/ips/cashier/submit\">"),
        "{html}"
    );
    assert!(
        html.contains(&format!("value=\"{}\"", order.pay_url.session_id)),
        "{html}"
    );
    assert!(
        html.contains("value=\"pay\"") && html.contains("value=\"fail\""),
        "{html}"
    );
    submit(sandbox, &agent, &order.pay_url.session_id, action)
}

/// Presses a cashier button; returns the Location header (empty if none).
pub fn submit(sandbox: &Sandbox, agent: &ureq::Agent, session_id: &str, action: &str) -> String {
    let response = agent
        .post(format!("{}/ips/cashier/submit", sandbox.base_url()))
        .content_type("application/x-www-form-urlencoded")
        .send(format!("sessionId={session_id}&action={action}"))
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        302,
        "cashier submit did not redirect"
    );
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// Asserts `r` is a gateway error with `code`; returns whether its signature held.
#[track_caller]
pub fn assert_gateway<T: std::fmt::Debug>(r: Result<T>, code: &str) -> bool {
    match r {
        Err(Error::Gateway {
            return_code,
            signature_verified,
            message,
        }) => {
            assert_eq!(return_code, code, "message: {message}");
            signature_verified
        }
        other => panic!("expected gateway error {code}, got {other:?}"),
    }
}
