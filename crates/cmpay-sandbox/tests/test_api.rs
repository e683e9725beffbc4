//! The simulator's test API (docs/sandbox-test-api.md), through its Rust
//! methods and over HTTP: pay, fail and expire an order by orderId, wait for
//! the OfflineNotify to be acknowledged, and every refusal with its code.

mod common;

use cmpay::*;
use cmpay_sandbox::{
    RefusalCode, Sandbox, SandboxConfig, SandboxMerchant, TEST_MD5_MERCHANT_ID, TEST_MD5_SIGN_KEY,
};
use common::*;
use serde_json::Value;
use std::time::Duration;

fn fast() -> SandboxConfig {
    SandboxConfig {
        time_factor: 60_000.0,
        ..SandboxConfig::default()
    }
}

fn create(client: &Client, order_id: &str, amount: u64, notify_url: &str) {
    client
        .create_order(&order_params(
            order_id,
            amount,
            notify_url,
            "http://127.0.0.1:9/back",
        ))
        .unwrap();
}

#[test]
fn pay_does_what_the_cashier_does_and_the_query_says_paid() {
    let sandbox = start(fast());
    let endpoint = Endpoint::start(vec![]);
    let client = client(&sandbox, md5_merchant());
    let order_id = order_id("TAPAY");
    create(&client, &order_id, 1234, &endpoint.url());

    let settled = sandbox.pay(None, &order_id).unwrap();
    assert_eq!(settled.order.state.name(), "SUCCESS");
    assert_eq!(settled.order.amount, 1234);
    assert_eq!(settled.callback_url, "http://127.0.0.1:9/back");
    // The PageNotify is the signed notification the cashier sends back.
    let page = Notification::parse_for(&md5_merchant(), settled.page_notify_body.as_bytes())
        .expect("the PageNotify verifies");
    assert_eq!(page.field("type"), "PageNotify");
    assert_eq!(page.order_id(), order_id);
    assert_eq!(page.amount().unwrap(), 1234);
    assert_eq!(page.pay_no(), settled.order.pay_no);

    let attempts = sandbox
        .wait_notified(None, &order_id, Duration::from_secs(10))
        .unwrap();
    assert_eq!(attempts.len(), 1);
    assert!(attempts[0].acked);
    assert_eq!(attempts[0].url, endpoint.url());
    // The OfflineNotify the endpoint got is the body the delivery records.
    let got = endpoint.bodies();
    assert_eq!(got[0].body, attempts[0].body.as_bytes());
    let offline = Notification::parse_for(&md5_merchant(), &got[0].body).unwrap();
    assert_eq!(offline.field("type"), "OfflineNotify");
    assert_eq!(offline.pay_no(), settled.order.pay_no);

    let answer = client.query_order(&order_id).unwrap();
    assert_eq!(answer.status(), OrderStatus::Paid);
    assert_eq!(answer.amount().unwrap(), Some(1234));
    assert!(
        sandbox
            .order(TEST_MD5_MERCHANT_ID, &order_id)
            .unwrap()
            .notify_acked
    );

    // Paying twice, failing or expiring a paid order: refused with their codes.
    let again = sandbox.pay(None, &order_id).unwrap_err();
    assert_eq!(again.code, RefusalCode::AlreadyPaid);
    assert_eq!(again.code.as_str(), "already-paid");
    assert_eq!(
        sandbox.fail(None, &order_id).unwrap_err().code,
        RefusalCode::AlreadyPaid
    );
    assert_eq!(
        sandbox.expire(None, &order_id).unwrap_err().code,
        RefusalCode::AlreadyPaid
    );
    let unknown = sandbox.pay(None, "NOSUCHORDER1").unwrap_err();
    assert_eq!(unknown.code, RefusalCode::UnknownOrder);
    assert!(unknown.to_string().contains("NOSUCHORDER1"), "{unknown}");
}

#[test]
fn fail_and_expire_are_what_the_query_then_says() {
    let sandbox = start(fast());
    let client = client(&sandbox, md5_merchant());
    let failed = order_id("TAFAIL");
    create(&client, &failed, 500, &sandbox.notify_url());
    let settled = sandbox.fail(None, &failed).unwrap();
    assert_eq!(settled.order.state.name(), "FAILED");
    assert_eq!(settled.page_notify.value("status"), "FAILED");
    assert_eq!(
        client.query_order(&failed).unwrap().status(),
        OrderStatus::Failed
    );
    // The sandbox's own notify URL acknowledges the (failed) OfflineNotify.
    let attempts = sandbox
        .wait_notified(None, &failed, Duration::from_secs(10))
        .unwrap();
    assert!(attempts.iter().any(|a| a.acked && a.answer == "SUCCESS"));
    assert_eq!(
        sandbox.pay(None, &failed).unwrap_err().code,
        RefusalCode::AlreadyFailed
    );

    let expired = order_id("TAEXP");
    create(&client, &expired, 700, &sandbox.notify_url());
    assert_eq!(
        sandbox.expire(None, &expired).unwrap().state.name(),
        "EXPIRED"
    );
    let refused = sandbox.pay(None, &expired).unwrap_err();
    assert_eq!(refused.code, RefusalCode::Expired);
    let answer = client.query_order(&expired);
    assert!(assert_gateway(answer, "RPM99981"));
    // No notification is sent for an expired order: waiting says so.
    let waited = sandbox
        .wait_notified(None, &expired, Duration::from_millis(50))
        .unwrap_err();
    assert_eq!(waited.code, RefusalCode::NotAcknowledged);
    assert!(
        waited.message.starts_with("not acknowledged: ") && waited.message.contains("expired"),
        "{waited}"
    );
}

#[test]
fn waiting_names_why_the_merchant_answer_did_not_count() {
    let sandbox = start(SandboxConfig {
        time_factor: 1.0,
        ..SandboxConfig::default()
    });
    let endpoint = Endpoint::start(vec![(200, "success")]);
    let client = client(&sandbox, md5_merchant());
    let order_id = order_id("TAWAIT");
    create(&client, &order_id, 100, &endpoint.url());
    let pending = sandbox
        .wait_notified(None, &order_id, Duration::from_millis(20))
        .unwrap_err();
    assert!(pending.message.contains("not paid"), "{pending}");
    sandbox.pay(None, &order_id).unwrap();
    let refusal = sandbox
        .wait_notified(None, &order_id, Duration::from_millis(1500))
        .unwrap_err();
    assert_eq!(refusal.code, RefusalCode::NotAcknowledged);
    assert!(
        refusal
            .message
            .starts_with("not acknowledged: 1 send(s) to ")
            && refusal.message.contains("answered \"success\"")
            && refusal.message.contains("the case differs"),
        "{refusal}"
    );
}

#[test]
fn an_order_id_two_merchants_use_needs_the_merchant_id() {
    let other = "888009941120009";
    let mut config = fast();
    config.merchants.push(SandboxMerchant::Md5 {
        merchant_id: other.into(),
        sign_key: TEST_MD5_SIGN_KEY.into(),
    });
    let sandbox = start(config);
    let order_id = order_id("TAAMB");
    create(
        &client(&sandbox, md5_merchant()),
        &order_id,
        100,
        &sandbox.notify_url(),
    );
    let second = client(&sandbox, Merchant::md5(other, TEST_MD5_SIGN_KEY).unwrap());
    create(&second, &order_id, 200, &sandbox.notify_url());
    let refusal = sandbox.pay(None, &order_id).unwrap_err();
    assert_eq!(refusal.code, RefusalCode::AmbiguousOrder);
    assert!(refusal.message.contains("merchantId"), "{refusal}");
    let settled = sandbox.pay(Some(other), &order_id).unwrap();
    assert_eq!(
        (settled.order.merchant_id.as_str(), settled.order.amount),
        (other, 200)
    );
    assert_eq!(
        second.query_order(&order_id).unwrap().status(),
        OrderStatus::Paid
    );
    assert_eq!(
        sandbox
            .pay(Some("888009941129999"), &order_id)
            .unwrap_err()
            .code,
        RefusalCode::UnknownOrder
    );
}

fn post(sandbox: &Sandbox, path: &str, form: &str) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .post(&format!("{}{path}", sandbox.base_url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(form)
        .unwrap();
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[test]
fn the_same_over_http_with_json_errors() {
    let sandbox = start(fast());
    let client = client(&sandbox, md5_merchant());
    let order_id = order_id("TAHTTP");
    create(&client, &order_id, 4321, &sandbox.notify_url());

    let (status, paid) = post(&sandbox, "/sandbox/pay", &format!("orderId={order_id}"));
    assert_eq!(status, 200, "{paid}");
    assert_eq!(paid["order"]["state"], "SUCCESS");
    assert_eq!(paid["order"]["amount"], 4321);
    assert_eq!(paid["pageNotify"]["url"], "http://127.0.0.1:9/back");
    let body = paid["pageNotify"]["body"].as_str().unwrap();
    let page = Notification::parse_for(&md5_merchant(), body.as_bytes()).unwrap();
    assert_eq!(page.order_id(), order_id);

    let (status, waited) = post(
        &sandbox,
        "/sandbox/wait-notified",
        &format!("orderId={order_id}&timeoutMs=10000"),
    );
    assert_eq!(status, 200, "{waited}");
    assert_eq!(waited["deliveries"][0]["acked"], true);
    assert_eq!(waited["deliveries"][0]["orderId"], order_id.as_str());
    assert_eq!(
        client.query_order(&order_id).unwrap().status(),
        OrderStatus::Paid
    );

    let (status, again) = post(&sandbox, "/sandbox/pay", &format!("orderId={order_id}"));
    assert_eq!(status, 409);
    assert_eq!(again["error"]["code"], "already-paid");
    let (status, unknown) = post(&sandbox, "/sandbox/expire", "orderId=NOPE");
    assert_eq!(
        (status, &unknown["error"]["code"]),
        (404, &Value::from("unknown-order"))
    );
    let (status, missing) = post(&sandbox, "/sandbox/fail", "");
    assert_eq!(
        (status, &missing["error"]["code"]),
        (400, &Value::from("bad-request"))
    );
    let (status, bad) = post(
        &sandbox,
        "/sandbox/wait-notified",
        &format!("orderId={order_id}&timeoutMs=soon"),
    );
    assert_eq!(
        (status, &bad["error"]["code"]),
        (400, &Value::from("bad-request"))
    );

    // GET /sandbox/deliveries is the document deliveries_json gives.
    let text = ureq::get(&format!(
        "{}/sandbox/deliveries?orderId={order_id}",
        sandbox.base_url()
    ))
    .call()
    .unwrap()
    .body_mut()
    .read_to_string()
    .unwrap();
    assert_eq!(text, sandbox.deliveries_json(Some(&order_id)));
    let list: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list[0]["url"], sandbox.notify_url());
    assert!(list[0]["body"].as_str().unwrap().contains("OfflineNotify"));
}
