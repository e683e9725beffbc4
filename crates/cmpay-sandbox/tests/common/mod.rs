//! Helpers shared by the client/sandbox integration tests: merchants, order
//! parameters, a merchant notify endpoint with a scripted answer, and a
//! "browser" that pays on the sandbox's cashier page.
#![allow(dead_code)]

use cmpay::*;
use cmpay_sandbox::{
    MerchantAnswer, MerchantEndpoint, MerchantRequest, Sandbox, SandboxConfig,
    TEST_MD5_MERCHANT_ID, TEST_MD5_SIGN_KEY, TEST_RSA_MERCHANT_ID,
    TEST_RSA_MERCHANT_PRIVATE_KEY_PEM,
};
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
    pub server: MerchantEndpoint,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl Endpoint {
    pub fn start(script: Vec<(u16, &'static str)>) -> Endpoint {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let log = received.clone();
        let handler = move |req: &MerchantRequest<'_>| {
            let mut log = log.lock().unwrap();
            let n = log.len();
            log.push(Received {
                at: Instant::now(),
                method: req.method().to_string(),
                content_type: req.header("content-type").unwrap_or("").to_string(),
                body: req.body().to_vec(),
            });
            let (status, body) = script.get(n).copied().unwrap_or((200, "SUCCESS"));
            MerchantAnswer::text(status, body)
        };
        Endpoint {
            server: MerchantEndpoint::start(handler).unwrap(),
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

/// How the PageNotify came back to callbackUrl.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// "POST" (the auto-submitting form) or "GET" (a 302 redirect).
    pub method: &'static str,
    /// Where the browser went: the form's action, or the redirect without
    /// its PageNotify query.
    pub url: String,
    /// The PageNotify as the browser sends it: the form body (values UTF-8,
    /// percent-encoded once) or the redirect's query string.
    pub body: Vec<u8>,
}

/// Follows payUrl as the HTML form would (POST sessionId to the cashier),
/// checks the page, then presses pay (or fail); the PageNotify comes back as
/// the simulator delivers it by default (a POST form).
pub fn pay(sandbox: &Sandbox, order: &OrderResponse, action: &str) -> Arrival {
    pay_with(sandbox, order, action, None)
}

/// As `pay`, choosing the PageNotify delivery (`Some("get")`, `Some("post")`).
pub fn pay_with(
    sandbox: &Sandbox,
    order: &OrderResponse,
    action: &str,
    page_notify: Option<&str>,
) -> Arrival {
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
    let extra = page_notify
        .map(|m| format!("&pageNotify={m}"))
        .unwrap_or_default();
    submit(sandbox, &agent, &order.pay_url.session_id, action, &extra)
}

/// Presses a cashier button (`extra`: more form fields, `&name=value`);
/// returns how the PageNotify came back.
pub fn submit(
    sandbox: &Sandbox,
    agent: &ureq::Agent,
    session_id: &str,
    action: &str,
    extra: &str,
) -> Arrival {
    let mut response = agent
        .post(format!("{}/ips/cashier/submit", sandbox.base_url()))
        .content_type("application/x-www-form-urlencoded")
        .send(format!("sessionId={session_id}&action={action}{extra}"))
        .unwrap();
    match response.status().as_u16() {
        302 => {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            // The PageNotify starts at merchantId=; callbackUrl may have its own query.
            let at = location
                .find("merchantId=")
                .expect("PageNotify in Location");
            Arrival {
                method: "GET",
                url: location[..at - 1].to_string(),
                body: location.as_bytes()[at..].to_vec(),
            }
        }
        200 => {
            let html = response.body_mut().read_to_string().unwrap();
            let (action, fields) = auto_form(&html);
            let mut body = form_urlencoded::Serializer::new(String::new());
            for (n, v) in &fields {
                body.append_pair(n, v);
            }
            Arrival {
                method: "POST",
                url: action,
                body: body.finish().into_bytes(),
            }
        }
        other => panic!("cashier submit answered {other}"),
    }
}

/// The action and hidden fields of an auto-submitting form, as a browser reads them.
pub fn auto_form(html: &str) -> (String, Vec<(String, String)>) {
    assert!(
        html.contains("onload=\"document.forms[0].submit()\""),
        "{html}"
    );
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[start..].find('"')? + start;
        Some(unescape_html(&tag[start..end]))
    };
    let form_at = html.find("<form ").expect("a form");
    let form_tag = &html[form_at..form_at + html[form_at..].find('>').unwrap()];
    let action = attr(form_tag, "action").expect("action");
    let mut fields = Vec::new();
    for part in html.split("<input ").skip(1) {
        let tag = format!(" {}", &part[..part.find('>').unwrap()]);
        let tag = tag.as_str();
        if attr(tag, "type").as_deref() == Some("hidden") {
            fields.push((attr(tag, "name").unwrap(), attr(tag, "value").unwrap()));
        }
    }
    (action, fields)
}

fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
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
