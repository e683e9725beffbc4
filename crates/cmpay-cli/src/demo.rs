//! `cmpay demo`: the whole payment flow against the sandbox, in-process,
//! with a readable trace of each step. Exit 0 when every step held.

use crate::html;
use crate::{CmdResult, Failure};
use cmpay::fields::MessageKind;
use cmpay::money::yuan;
use cmpay::notify::NotifyType;
use cmpay::sign::Verifier;
use cmpay::{
    Charset, Client, ClientConfig, Merchant, Notification, OrderResponse, Params, codes,
    new_request_id, sign,
};
use cmpay_sandbox::{MerchantAnswer, MerchantEndpoint, MerchantRequest};
use cmpay_sandbox::{Sandbox, SandboxConfig};
use std::collections::HashSet;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

const HELP: &str = "\
usage: cmpay demo [--rsa] [--https] [--charset 00|01|02]

Runs the whole CMPay (和包) payment flow against the gateway simulator,
in-process, and prints what happens at each step:

  1. starts the simulator on a free port of 127.0.0.1, and a small merchant
     endpoint for the notifications;
  2. creates an order with the client: the fields signed, the signature
     source, the hmac, the gateway's answer and its verification, the payUrl;
  3. follows the payUrl like a browser and pays on the cashier page;
  4. receives the PageNotify (browser redirect) and the OfflineNotify
     (server POST), verifies each, checks merchantId, orderId and amount
     against the order, records the payment once by payNo, and answers the
     OfflineNotify SUCCESS only then;
  5. queries the order, refunds part of it, and shows the simulator's view.

  --rsa          sign with the test merchant's RSA key (888009941120002) and
                 verify with the simulator's gateway key, instead of MD5
  --https        the simulator serves HTTPS with a certificate made at start;
                 the client trusts its CA
  --charset CS   the order's characterSet: 00 GBK (default), 01 GB2312, 02 UTF-8

Takes a few seconds at most (the simulator's clock runs 60 times faster).
Exit status: 0 every step held; 1 a step failed (it says which); 2 usage error.
";

/// The simulator's clock runs this much faster than the gateway's.
const TIME_FACTOR: f64 = 60.0;
/// How long the demo waits for both notifications.
const NOTIFY_WAIT: Duration = Duration::from_secs(15);

struct Options {
    rsa: bool,
    https: bool,
    charset: Charset,
}

pub fn run(parser: &mut lexopt::Parser) -> CmdResult {
    use lexopt::prelude::*;
    let mut o = Options {
        rsa: false,
        https: false,
        charset: Charset::Gbk,
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => {
                say_raw!("{HELP}");
                return Ok(());
            }
            Long("rsa") => o.rsa = true,
            Long("https") => o.https = true,
            Long("charset") => {
                let code = parser.value()?.string()?;
                o.charset = Charset::from_code(&code)
                    .map_err(|e| Failure::Usage(format!("--charset: {e}")))?;
            }
            other => return Err(other.unexpected().into()),
        }
    }
    let started = Instant::now();
    match demo(&o) {
        Ok(()) => {
            say!(
                "\ndemo finished: every step held ({} ms)",
                started.elapsed().as_millis()
            );
            Ok(())
        }
        Err(e) => {
            say!("\nFAILED: {e}");
            Err(Failure::Negative(Some(format!("demo failed: {e}"))))
        }
    }
}

fn step(n: u32, title: &str) {
    say!("\n[{n}] {title}");
}

fn line(text: impl AsRef<str>) {
    for l in text.as_ref().lines() {
        say!("    {l}");
    }
}

/// A notification as the merchant's endpoint saw it, for the trace.
struct Seen {
    at: Duration,
    kind: &'static str,
    trace: Vec<String>,
    ok: bool,
    verified_type: Option<NotifyType>,
}

/// The merchant's side: the order it created and what it has recorded.
struct Shop {
    merchant_id: String,
    verifier: Verifier,
    order: Mutex<Option<(String, u64)>>,
    state: Mutex<ShopState>,
    changed: Condvar,
    started: Instant,
}

#[derive(Default)]
struct ShopState {
    seen: Vec<Seen>,
    /// payNo of every payment recorded: each is processed once.
    processed: HashSet<String>,
}

impl Shop {
    /// Handles one notification; returns whether it verified and matched,
    /// and the trace lines.
    fn receive(&self, body: &[u8]) -> (bool, Option<NotifyType>, Vec<String>) {
        let mut trace = vec![format!(
            "received {} bytes: {}",
            body.len(),
            shorten(&String::from_utf8_lossy(body), 160)
        )];
        let n = match Notification::parse(&self.verifier, body) {
            Ok(n) => n,
            Err(e) => {
                trace.push(format!(
                    "NOT verified: {e} → not processed, not acknowledged"
                ));
                return (false, None, trace);
            }
        };
        let params = &n.params();
        trace.push(format!(
            "signature source ({} fields, table order): {}",
            MessageKind::Notify.fields().len(),
            shorten(&sign::signature_source(MessageKind::Notify, params), 160)
        ));
        trace.push(format!(
            "hmac {} verified ({}){}",
            shorten(params.value("hmac"), 40),
            self.verifier.sign_type(),
            if n.decoded_twice() {
                ", after decoding values twice"
            } else {
                ""
            }
        ));
        trace.push(format!(
            "type {}, status {}, payNo {}, orderId {}, amount {} fen, amtItem {}, fee {} yuan",
            params.value("type"),
            params.value("status"),
            n.pay_no(),
            n.order_id(),
            params.value("amount"),
            params.value("amtItem"),
            params.value("fee")
        ));
        let Some((order_id, amount)) = self.order.lock().ok().and_then(|o| o.clone()) else {
            trace.push("no order is waiting for a notification → not acknowledged".into());
            return (false, Some(n.notify_type()), trace);
        };
        // The signed source may read as other orders too (docs/resplit.md): the
        // shop has one order, so every other orderId is no order of its own.
        let others: Vec<String> = n.other_order_ids().iter().map(|s| s.to_string()).collect();
        for other in others.iter().filter(|o| **o != order_id) {
            if n.rule_out(other).is_ok() {
                trace.push(format!(
                    "the signed source also reads as order {other:?}: no such order here → ruled out"
                ));
            }
        }
        if let Err(e) = n.check_order(&self.merchant_id, &order_id, amount) {
            trace.push(format!(
                "does NOT match the order: {e} → not processed, not acknowledged"
            ));
            return (false, Some(n.notify_type()), trace);
        }
        trace.push(format!(
            "merchantId, orderId and amount match the order created ({order_id}, {amount} fen)"
        ));
        if !n.is_paid() {
            trace.push(format!(
                "the payment failed (status {}): recorded as failed",
                params.value("status")
            ));
            return (false, Some(n.notify_type()), trace);
        }
        let first = self
            .state
            .lock()
            .map(|mut s| s.processed.insert(n.pay_no().to_string()))
            .unwrap_or(false);
        if first {
            trace.push(format!(
                "payment recorded: payNo {} (processed once)",
                n.pay_no()
            ));
        } else {
            trace.push(format!(
                "payNo {} already recorded: the same payment seen again, not processed twice",
                n.pay_no()
            ));
        }
        (true, Some(n.notify_type()), trace)
    }

    fn handle(&self, req: &MerchantRequest<'_>) -> MerchantAnswer {
        let (kind, body): (&'static str, &[u8]) = match req.path() {
            "/cmpay/notify" => ("OfflineNotify (server POST to notifyUrl)", req.body()),
            "/cmpay/return" if req.method() == "GET" => (
                "PageNotify (browser redirect to callbackUrl)",
                req.query().as_bytes(),
            ),
            "/cmpay/return" => ("PageNotify (browser POST form to callbackUrl)", req.body()),
            _ => return MerchantAnswer::text(404, "not found\n"),
        };
        let (ok, verified_type, mut trace) = self.receive(body);
        let reply = if req.path() == "/cmpay/notify" {
            // Only SUCCESS stops the gateway resending; anything else asks for a resend.
            let answer = if ok { cmpay::ACK } else { "FAIL" };
            trace.push(format!("answered {answer:?}"));
            MerchantAnswer::text(200, answer)
        } else {
            trace.push(format!(
                "showed the shopper the {} page",
                if ok {
                    "\"payment received\""
                } else {
                    "\"payment not confirmed\""
                }
            ));
            let text = if ok {
                "支付成功 · payment received"
            } else {
                "支付未确认 · payment not confirmed"
            };
            MerchantAnswer::html(
                200,
                format!("<!DOCTYPE html><meta charset=\"utf-8\"><title>shop</title><p>{text}</p>"),
            )
        };
        if let Ok(mut s) = self.state.lock() {
            s.seen.push(Seen {
                at: self.started.elapsed(),
                kind,
                trace,
                ok,
                verified_type,
            });
        }
        self.changed.notify_all();
        reply
    }
}

fn shorten(s: &str, max: usize) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { '·' } else { c })
        .collect();
    if clean.chars().count() <= max {
        return clean;
    }
    let cut: String = clean.chars().take(max).collect();
    format!("{cut}… ({} chars)", clean.chars().count())
}

/// The eight numbered steps, each in its own function; any step's failure ends the run.
fn demo(o: &Options) -> Result<(), String> {
    let (merchant_id, sign_desc) = if o.rsa {
        (
            cmpay_sandbox::TEST_RSA_MERCHANT_ID,
            "RSA (SHA1withRSA) with the test merchant's private key; answers verified with the simulator's gateway public key",
        )
    } else {
        (
            cmpay_sandbox::TEST_MD5_MERCHANT_ID,
            "MD5 (double HMAC-MD5) with the test merchant's signKey",
        )
    };
    say!("cmpay demo — the whole CMPay (和包) payment flow against the local gateway simulator");
    say!("merchant {merchant_id}, signing {sign_desc}");
    say!(
        "characterSet {} ({}); nothing leaves this machine, no real money moves",
        o.charset.code(),
        o.charset.http_name()
    );

    let sandbox = start_simulator(o)?;
    let run = start_shop(o, merchant_id, sandbox)?;
    let (order_id, amount, response) = create_order(&run)?;
    pay(&run, &response)?;
    receive_notifications(&run)?;
    query(&run, &order_id, amount)?;
    let refunded = refund(&run, &order_id, amount)?;
    records(&run, &order_id, refunded)?;
    run.endpoint.shutdown();
    run.sandbox.shutdown();
    Ok(())
}

/// What the steps after the second share: the simulator, the shop's
/// endpoint and the client.
struct Run<'a> {
    o: &'a Options,
    merchant_id: &'static str,
    sandbox: Sandbox,
    endpoint: MerchantEndpoint,
    shop: Arc<Shop>,
    merchant: Merchant,
    client: Client,
    shop_url: String,
}

/// Step 1: the gateway simulator.
fn start_simulator(o: &Options) -> Result<Sandbox, String> {
    // 1. The simulator.
    step(1, "start the gateway simulator");
    let sandbox = Sandbox::start(SandboxConfig {
        https: o.https,
        time_factor: TIME_FACTOR,
        ..SandboxConfig::default()
    })
    .map_err(|e| format!("the simulator did not start: {e}"))?;
    line(format!(
        "listening on {} (endpoint {})",
        sandbox.base_url(),
        sandbox.endpoint()
    ));
    line(format!(
        "its clock runs {TIME_FACTOR} times faster: the first OfflineNotify resend would come after 1 s instead of 1 min"
    ));
    if let Some(ca) = sandbox.ca_pem() {
        line(format!(
            "HTTPS with a certificate made at start; the client trusts its CA ({} bytes of PEM)",
            ca.len()
        ));
    }

    Ok(sandbox)
}

/// Step 2: the merchant's notification endpoint and client.
fn start_shop<'a>(
    o: &'a Options,
    merchant_id: &'static str,
    sandbox: Sandbox,
) -> Result<Run<'a>, String> {
    // 2. The merchant's endpoint and client.
    step(2, "start the merchant's notification endpoint and client");
    let merchant = if o.rsa {
        Merchant::rsa(
            merchant_id,
            cmpay_sandbox::TEST_RSA_MERCHANT_PRIVATE_KEY_PEM.as_bytes(),
            sandbox.gateway_public_key_pem().as_bytes(),
        )
    } else {
        Merchant::md5(merchant_id, cmpay_sandbox::TEST_MD5_SIGN_KEY)
    }
    .map_err(|e| format!("merchant configuration: {e}"))?;
    let shop = Arc::new(Shop {
        merchant_id: merchant_id.to_string(),
        verifier: merchant.verifier().clone(),
        order: Mutex::new(None),
        state: Mutex::new(ShopState::default()),
        changed: Condvar::new(),
        started: Instant::now(),
    });
    let endpoint = {
        let shop = shop.clone();
        MerchantEndpoint::start(move |req| shop.handle(req))
    }
    .map_err(|e| format!("the merchant endpoint did not start: {e}"))?;
    let shop_url = endpoint.base_url();
    line(format!(
        "{shop_url}/cmpay/notify receives OfflineNotify; {shop_url}/cmpay/return receives PageNotify"
    ));
    let config = ClientConfig {
        endpoint: sandbox.endpoint(),
        charset: o.charset,
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(10),
        extra_ca_pem: sandbox
            .ca_pem()
            .map(|p| vec![p.into_bytes()])
            .unwrap_or_default(),
        allow_http: !o.https,
        ..ClientConfig::default()
    };
    let client =
        Client::new(merchant.clone(), config).map_err(|e| format!("client configuration: {e}"))?;
    line(format!(
        "client for {} ({}, timeouts 5 s connect / 10 s whole request)",
        sandbox.endpoint(),
        if o.https {
            "TLS verified against the simulator's CA"
        } else {
            "plain http allowed for the simulator only"
        }
    ));

    Ok(Run {
        o,
        merchant_id,
        sandbox,
        endpoint,
        shop,
        merchant,
        client,
        shop_url,
    })
}

/// Step 3: the order created; returns the orderId, the amount in fen and the verified answer.
fn create_order(run: &Run<'_>) -> Result<(String, u64, OrderResponse), String> {
    let Run {
        o,
        sandbox,
        shop,
        merchant,
        client,
        shop_url,
        ..
    } = run;
    // 3. Create the order.
    step(3, "create an order (DirectPayConfirm)");
    let order_id = format!("DEMO{}", &new_request_id()[..20]);
    let amount: u64 = 12_800;
    let today = cmpay::dates::china_date(std::time::SystemTime::now());
    let mut params = Params::new();
    for (name, value) in [
        ("requestId", new_request_id()),
        ("characterSet", o.charset.code().to_string()),
        ("callbackUrl", format!("{shop_url}/cmpay/return")),
        ("notifyUrl", format!("{shop_url}/cmpay/notify")),
        ("ipAddress", "127.0.0.1".to_string()),
        ("amount", amount.to_string()),
        ("orderDate", today.to_string()),
        ("orderId", order_id.clone()),
        ("merAcDate", today.to_string()),
        ("period", "1".to_string()),
        ("periodUnit", "02".to_string()),
        ("merchantAbbr", "和包演示商城".to_string()),
        ("productName", "测试商品".to_string()),
        ("productDesc", "演示订单 demo order".to_string()),
        ("reserved1", "自定义1".to_string()),
    ] {
        params.set(name, value);
    }
    let signed = client
        .sign_order(&params)
        .map_err(|e| format!("signing the order: {e}"))?;
    line(format!(
        "order {order_id}: {} yuan ({amount} fen) for 测试商品, valid 1 day",
        yuan(amount)
    ));
    line("fields in table order (type, version and currency filled with their defaults):");
    for (name, value) in signed.params.iter() {
        if name == "hmac" || name == "merchantCert" {
            continue;
        }
        line(format!(
            "  {name:<13} {}",
            if value.is_empty() {
                "(empty)".to_string()
            } else {
                shorten(value, 90)
            }
        ));
    }
    line(format!(
        "signature source (values joined, hashed as UTF-8): {}",
        shorten(&signed.source, 200)
    ));
    line(format!(
        "hmac ({}): {}",
        merchant.sign_type(),
        shorten(&signed.hmac, 64)
    ));
    if signed.params.get("merchantCert").is_some() {
        line("merchantCert: hex of the merchant's public key (sent, not signed)");
    }
    line(format!(
        "POST {} — {}, body {} bytes",
        sandbox.endpoint(),
        signed.content_type,
        signed.body.len()
    ));
    // Tell the shop which order to expect before the gateway can notify.
    if let Ok(mut slot) = shop.order.lock() {
        *slot = Some((order_id.clone(), amount));
    }
    let response = client
        .create_order(&params)
        .map_err(|e| format!("creating the order: {e}"))?;
    let p = &response.params;
    line(format!(
        "answer: returnCode {} ({}), message {:?}",
        p.value("returnCode"),
        meaning(p.value("returnCode")),
        p.value("message")
    ));
    line(format!(
        "answer's signature source: {}",
        shorten(&sign::signature_source(MessageKind::OrderResponse, p), 200)
    ));
    line(format!(
        "answer's hmac {} verified with {} (serverCert, if any, is never trusted); requestId echoed: {}",
        shorten(p.value("hmac"), 40),
        if o.rsa {
            "the pinned gateway public key"
        } else {
            "the signKey"
        },
        response.request_id()
    ));
    line(format!(
        "payUrl token, raw on the wire as the live gateway sends it: {}",
        p.value("payUrl")
    ));
    line(format!(
        "→ url {}, method {}, sessionId {}",
        response.pay_url.url, response.pay_url.method, response.pay_url.session_id
    ));

    Ok((order_id, amount, response))
}

/// Step 4: the shopper's browser pays and brings the PageNotify back.
fn pay(run: &Run<'_>, response: &OrderResponse) -> Result<(), String> {
    let sandbox = &run.sandbox;
    // 4. The shopper's browser pays.
    step(
        4,
        "the shopper's browser follows the payUrl and pays on the cashier page",
    );
    let browser = browser(sandbox.ca_pem())?;
    let pay = &response.pay_url;
    let (page_url, page) = if pay.method == "get" {
        let url = pay.redirect_url();
        line(format!("GET {url}"));
        (url.clone(), fetch(&browser, "GET", &url, None)?)
    } else {
        let body =
            cmpay::form::encode_utf8(&[("sessionId", &pay.session_id)].into_iter().collect());
        line(format!(
            "POST {} with {body} (the auto-submitting form the merchant sends the browser)",
            pay.url
        ));
        (
            pay.url.clone(),
            fetch(&browser, "POST", &pay.url, Some(&body))?,
        )
    };
    if page.status != 200 {
        return Err(format!(
            "the cashier page answered HTTP {}: {}",
            page.status,
            shorten(&page.body, 200)
        ));
    }
    let title = page
        .body
        .split("<h1>")
        .nth(1)
        .and_then(|t| t.split("</h1>").next())
        .unwrap_or("(no title)");
    line(format!("HTTP 200: cashier page {title:?}"));
    let forms = html::forms(&page.body);
    let (form, button) = forms
        .iter()
        .find_map(|f| f.buttons.iter().find(|b| b.1 == "pay").map(|b| (f, b)))
        .ok_or_else(|| {
            format!(
                "the cashier page has no pay button: {}",
                shorten(&page.body, 300)
            )
        })?;
    let mut fields: Vec<(String, String)> = form.inputs.clone();
    fields.push((button.0.clone(), button.1.clone()));
    let body = cmpay::form::encode_utf8(&fields.iter().map(|(n, v)| (n, v)).collect());
    let action = html::resolve(&page_url, &form.action);
    line(format!(
        "clicks {:?}: {} {action} with {body}",
        button.2,
        form.method.to_ascii_uppercase()
    ));
    let paid = fetch(
        &browser,
        &form.method.to_ascii_uppercase(),
        &action,
        Some(&body),
    )?;
    let (back_method, back, back_body) = match paid.location.clone() {
        // The switch that keeps the old way: a 302 with the fields in the URL.
        Some(location) => {
            line(format!(
                "HTTP {}: redirect to the merchant's callbackUrl with the PageNotify:",
                paid.status
            ));
            line(format!("  {}", shorten(&location, 200)));
            let back = html::resolve(&action, &location);
            line(format!(
                "the browser follows it: GET {} with the PageNotify in the query string",
                back.split('?').next().unwrap_or(&back)
            ));
            ("GET", back, None)
        }
        // The live gateway's way (protocol.md §8): a page whose form the
        // browser submits at once, POSTing the PageNotify to callbackUrl.
        None => {
            let form = html::forms(&paid.body)
                .into_iter()
                .find(|f| f.method == "post" && !f.inputs.is_empty())
                .ok_or_else(|| {
                    format!(
                        "paying answered HTTP {} without a redirect or a PageNotify form: {}",
                        paid.status,
                        shorten(&paid.body, 300)
                    )
                })?;
            let body = cmpay::form::encode_utf8(&form.inputs.iter().map(|(n, v)| (n, v)).collect());
            line(format!(
                "HTTP {}: a page whose form submits itself to the merchant's callbackUrl ({} hidden fields, the PageNotify)",
                paid.status,
                form.inputs.len()
            ));
            let back = html::resolve(&action, &form.action);
            line(format!(
                "the browser POSTs it: POST {back} with {}",
                shorten(&body, 200)
            ));
            ("POST", back, Some(body))
        }
    };
    let landed = fetch(&browser, back_method, &back, back_body.as_deref())?;
    line(format!(
        "HTTP {}: the shop's page says {:?}",
        landed.status,
        landed
            .body
            .split("<p>")
            .nth(1)
            .unwrap_or("")
            .trim_end_matches("</p>")
            .trim()
    ));

    Ok(())
}

/// Step 5: both notifications verified, the payment recorded once.
fn receive_notifications(run: &Run<'_>) -> Result<(), String> {
    let shop = &run.shop;
    // 5. The notifications.
    step(5, "the merchant receives both notifications");
    let seen = wait_for_notifications(shop)?;
    for s in &seen {
        line(format!("{} — at +{} ms", s.kind, s.at.as_millis()));
        for t in &s.trace {
            line(format!("  {t}"));
        }
    }
    let page_ok = seen
        .iter()
        .any(|s| s.ok && s.verified_type == Some(NotifyType::PageNotify));
    let offline_ok = seen
        .iter()
        .any(|s| s.ok && s.verified_type == Some(NotifyType::OfflineNotify));
    if !page_ok || !offline_ok {
        return Err("a notification did not verify or did not match the order (see above)".into());
    }
    let recorded = shop.state.lock().map(|s| s.processed.len()).unwrap_or(0);
    line(format!(
        "payments recorded: {recorded} (the two notifications carry the same payNo)"
    ));
    if recorded != 1 {
        return Err(format!(
            "expected exactly one recorded payment, found {recorded}"
        ));
    }

    Ok(())
}

/// Step 6: the order queried.
fn query(run: &Run<'_>, order_id: &str, amount: u64) -> Result<(), String> {
    let Run {
        sandbox, client, ..
    } = run;
    // 6. Query.
    step(6, "query the order (OrderQuery)");
    let q = client
        .query_order(order_id)
        .map_err(|e| format!("querying the order: {e}"))?;
    line(format!(
        "signed OrderQuery for orderId {order_id} (a fresh requestId), POST {}",
        sandbox.endpoint()
    ));
    line(format!(
        "answer: returnCode {} ({}), signature verified",
        q.params.value("returnCode"),
        meaning(q.params.value("returnCode"))
    ));
    line(format!(
        "answer's signature source: {}",
        shorten(
            &sign::signature_source(MessageKind::QueryResponse, &q.params),
            200
        )
    ));
    let paid_amount = q.amount().map_err(|e| e.to_string())?.unwrap_or(0);
    line(format!(
        "status {:?} → {:?}, amount {} fen, payNo {}",
        q.params.value("status"),
        q.status(),
        paid_amount,
        q.params.value("payNo")
    ));
    if q.status() != cmpay::OrderStatus::Paid || paid_amount != amount {
        return Err(format!(
            "the query says {:?} / {paid_amount} fen, expected Paid / {amount} fen",
            q.status()
        ));
    }

    Ok(())
}

/// Step 7: part of it refunded, and an over-refund refused; returns the amount refunded.
fn refund(run: &Run<'_>, order_id: &str, amount: u64) -> Result<u64, String> {
    let Run {
        sandbox, client, ..
    } = run;
    // 7. Refund part of it.
    let refund: u64 = 5_000;
    step(
        7,
        &format!(
            "refund {} yuan ({refund} fen) of it (OrderRefund)",
            yuan(refund)
        ),
    );
    let r = client
        .refund(order_id, refund)
        .map_err(|e| format!("refunding: {e}"))?;
    line(format!(
        "signed OrderRefund for orderId {order_id}, amount {refund}, POST {}",
        sandbox.endpoint()
    ));
    line(format!(
        "answer: returnCode {} ({}), signature verified",
        r.params.value("returnCode"),
        meaning(r.params.value("returnCode"))
    ));
    line(format!(
        "answer's signature source: {}",
        shorten(
            &sign::signature_source(MessageKind::RefundResponse, &r.params),
            200
        )
    ));
    line(format!(
        "status {:?}, amount {} fen",
        r.params.value("status"),
        r.params.value("amount")
    ));
    let over = client.refund(order_id, amount);
    match &over {
        Err(e) if e.return_code().is_some() => line(format!(
            "a second refund of the full {amount} fen is refused, as it must be: {e}"
        )),
        Err(e) => {
            return Err(format!(
                "refunding more than was paid gave {e}, not a gateway error"
            ));
        }
        Ok(_) => return Err("refunding more than was paid was accepted".into()),
    }

    Ok(refund)
}

/// Step 8: what the simulator recorded.
fn records(run: &Run<'_>, order_id: &str, refund: u64) -> Result<(), String> {
    let Run {
        sandbox,
        merchant_id,
        ..
    } = run;
    // 8. The simulator's records.
    step(8, "what the simulator recorded");
    let deadline = Instant::now() + Duration::from_secs(5);
    let view = loop {
        let view = sandbox
            .order(merchant_id, order_id)
            .ok_or("the simulator has no record of the order")?;
        if view.notify_acked || Instant::now() >= deadline {
            break view;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    line(format!(
        "order {}: state {}, amount {} fen, refunded {} fen, payNo {}, OfflineNotify acknowledged: {}",
        view.order_id,
        view.state.name(),
        view.amount,
        view.refunded,
        view.pay_no,
        view.notify_acked
    ));
    for d in sandbox
        .deliveries()
        .iter()
        .filter(|d| d.order_id == order_id)
    {
        line(format!(
            "OfflineNotify send #{}{} at +{} ms: HTTP {}, answer {:?}{}",
            d.attempt,
            if d.duplicate { " (duplicate)" } else { "" },
            d.sent_ms,
            d.http_status
                .map(|s| s.to_string())
                .unwrap_or_else(|| "-".into()),
            d.answer,
            if d.acked {
                " → acknowledged, no more resends"
            } else {
                " → will be resent"
            }
        ));
    }
    line(format!(
        "the simulator's own pages: {}/ , {}/sandbox/orders , {}/sandbox/deliveries",
        sandbox.base_url(),
        sandbox.base_url(),
        sandbox.base_url()
    ));
    if !view.notify_acked || view.refunded != refund {
        return Err(format!(
            "the simulator shows acknowledged={} refunded={} fen",
            view.notify_acked, view.refunded
        ));
    }
    Ok(())
}

fn meaning(code: &str) -> &'static str {
    codes::return_code(code)
        .map(|c| c.english)
        .unwrap_or("unknown code")
}

fn wait_for_notifications(shop: &Shop) -> Result<Vec<Seen>, String> {
    let deadline = Instant::now() + NOTIFY_WAIT;
    let mut state = shop
        .state
        .lock()
        .map_err(|_| "the shop's state is poisoned")?;
    loop {
        let has = |t: NotifyType| state.seen.iter().any(|s| s.verified_type == Some(t));
        // Both arrived, or one failed verification: nothing more to wait for.
        if (has(NotifyType::PageNotify) && has(NotifyType::OfflineNotify))
            || state.seen.iter().any(|s| s.verified_type.is_none())
        {
            break;
        }
        let now = Instant::now();
        if now >= deadline {
            let got: Vec<&str> = state.seen.iter().map(|s| s.kind).collect();
            return Err(format!(
                "waited {} s for the PageNotify and the OfflineNotify; got {got:?}",
                NOTIFY_WAIT.as_secs()
            ));
        }
        state = shop
            .changed
            .wait_timeout(state, deadline - now)
            .map_err(|_| "the shop's state is poisoned")?
            .0;
    }
    Ok(std::mem::take(&mut state.seen))
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

/// The demo's browser: no automatic redirects (each is shown), trusts the
/// simulator's CA when it serves HTTPS.
fn browser(ca_pem: Option<String>) -> Result<ureq::Agent, String> {
    use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
    let tls = match ca_pem {
        Some(pem) => {
            let mut roots: Vec<Certificate<'static>> = Vec::new();
            for item in ureq::tls::parse_pem(pem.as_bytes()) {
                if let Ok(PemItem::Certificate(c)) = item {
                    roots.push(c);
                }
            }
            TlsConfig::builder()
                .root_certs(RootCerts::new_with_certs(&roots))
                .build()
        }
        None => TlsConfig::builder().build(),
    };
    Ok(ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(None)
        .tls_config(tls)
        .timeout_global(Some(Duration::from_secs(10)))
        .user_agent("cmpay-demo-browser")
        .build()
        .new_agent())
}

fn fetch(agent: &ureq::Agent, method: &str, url: &str, form: Option<&str>) -> Result<Page, String> {
    let result = match (method, form) {
        ("POST", body) => agent
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(body.unwrap_or("")),
        _ => agent.get(url).call(),
    };
    let mut response = result.map_err(|e| format!("{method} {url}: {e}"))?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("{method} {url}: reading the page: {e}"))?;
    Ok(Page {
        status,
        location,
        body,
    })
}
