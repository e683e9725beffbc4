//! The client against the sandbox on 127.0.0.1: the whole payment flow (MD5
//! and RSA, each characterSet, HTTP and HTTPS), every gateway error the
//! sandbox produces, injected faults, and OfflineNotify delivery.

mod common;

use cmpay::form;
use cmpay::sign::Md5Key;
use cmpay::*;
use cmpay_sandbox::{
    Fault, FaultRule, OrderState, RequestType, Sandbox, SandboxConfig, TEST_MD5_MERCHANT_ID,
    TEST_MD5_SIGN_KEY,
};
use common::*;
use std::time::{Duration, Instant};

/// One whole payment: create, cashier, PageNotify, OfflineNotify, query,
/// partial refund, refund above what is left.
fn whole_flow(https: bool, rsa: bool, charset: Charset) {
    let sandbox = start(SandboxConfig {
        https,
        time_factor: 60_000.0,
        ..SandboxConfig::default()
    });
    assert_eq!(sandbox.base_url().starts_with("https://"), https);
    assert_eq!(sandbox.ca_pem().is_some(), https);
    let merchant = if rsa {
        rsa_merchant(&sandbox)
    } else {
        md5_merchant()
    };
    let verifier = merchant.verifier().clone();
    let merchant_id = merchant.merchant_id().to_string();
    let config = ClientConfig {
        charset,
        ..client_config(&sandbox)
    };
    let client = Client::new(merchant, config).unwrap();
    let endpoint = Endpoint::start(vec![]);
    let id = order_id("F");
    let callback = "http://127.0.0.1:9/return?shop=1";
    let params = order_params(&id, 12_345, &endpoint.url(), callback);

    // 1. Create: a verified answer with a payUrl to the sandbox's cashier.
    let order = client.create_order(&params).unwrap();
    assert_eq!(order.params.value("returnCode"), "000000");
    assert_eq!(order.params.value("merchantId"), merchant_id);
    assert!(order.request_id().contains('t') && order.request_id().len() <= 36);
    assert_eq!(
        order.pay_url.url,
        format!("{}/ips/FormTrans3", sandbox.base_url())
    );
    assert_eq!(order.pay_url.method, "post");
    assert!(
        order
            .pay_url
            .redirect_url()
            .starts_with(&format!("{}/ips/FormTrans3?sessionId=", sandbox.base_url()))
    );
    let view = sandbox.order(&merchant_id, &id).unwrap();
    assert_eq!(view.state, OrderState::Pending);
    assert_eq!(view.character_set, charset.code());
    assert_eq!(
        view.params.value("productName"),
        "测试商品 和包",
        "the sandbox decoded the {charset:?} body"
    );
    assert_eq!(view.request_id, order.request_id());

    // 2. Pay on the cashier page; the browser goes back with a PageNotify.
    // By default as the live gateway does: an auto-submitting POST form.
    let arrival = pay(&sandbox, &order, "pay");
    assert_eq!(
        (arrival.method, arrival.url.as_str()),
        ("POST", "http://127.0.0.1:9/return?shop=1"),
        "callbackUrl keeps its query"
    );
    let page = Notification::parse(&verifier, &arrival.body).unwrap();
    assert_eq!(page.notify_type(), NotifyType::PageNotify);
    // Its mobile can slide into orderId (docs/resplit.md): the gateway confirms it.
    assert!(page.is_ambiguous());
    assert_eq!(
        page.check_order(&merchant_id, &id, 12_345)
            .unwrap_err()
            .code(),
        ErrorCode::Ambiguous
    );
    client.confirm(&page).unwrap();
    page.check_order(&merchant_id, &id, 12_345).unwrap();
    assert!(page.is_paid());
    assert_eq!(page.field("reserved1"), "备注一 note");
    assert_eq!(page.field("reserved2"), "r2 & = %");
    assert_eq!(page.amt_item().unwrap().cash, 12_345);
    // fee `0` and an 18-digit payNo, as in the captured traffic.
    assert_eq!(page.fee_fen().unwrap(), Some(0));
    assert_eq!(page.field("fee"), "0");
    assert_eq!(page.field("payNo").len(), 18);

    // 3. The OfflineNotify arrives, verifies, and is acknowledged once.
    assert_eq!(endpoint.wait_for(1, Duration::from_secs(10)), 1);
    std::thread::sleep(Duration::from_millis(100));
    let got = endpoint.bodies();
    assert_eq!(got.len(), 1, "acknowledged with SUCCESS: no resend");
    assert_eq!(got[0].method, "POST");
    // Signed, then converted to UTF-8 whatever the order's charset (§8).
    assert!(
        got[0].content_type.ends_with("charset=UTF-8"),
        "{}",
        got[0].content_type
    );
    let offline = Notification::parse(&verifier, &got[0].body).unwrap();
    assert_eq!(offline.notify_type(), NotifyType::OfflineNotify);
    client.confirm(&offline).unwrap();
    offline.check_order(&merchant_id, &id, 12_345).unwrap();
    assert_eq!(offline.pay_no(), page.pay_no());
    assert_eq!(offline.field("reserved1"), "备注一 note");
    if rsa {
        assert!(!offline.field("serverCert").is_empty());
    }

    // 4. Query: paid, the full amount.
    let q = client.query_order(&id).unwrap();
    assert_eq!(q.status(), OrderStatus::Paid);
    assert_eq!(q.amount().unwrap(), Some(12_345));
    assert_eq!(q.params.value("payNo"), page.pay_no());

    // 5. Refund part, then more than what is left.
    let r = client.refund(&id, 2_345).unwrap();
    assert_eq!(r.amount().unwrap(), Some(2_345));
    assert_eq!(r.params.value("status"), "SUCCESS");
    assert_eq!(r.params.value("payNo"), page.pay_no());
    assert_gateway(client.refund(&id, 10_001), "RPM22407");
    client.refund(&id, 10_000).unwrap();
    let view = sandbox.order(&merchant_id, &id).unwrap();
    assert_eq!(
        (view.state, view.refunded, view.notify_acked),
        (OrderState::Paid, 12_345, true)
    );
    let attempts = sandbox.deliveries();
    assert_eq!(attempts.len(), 1);
    assert!(attempts[0].acked && attempts[0].attempt == 1 && attempts[0].http_status == Some(200));
    sandbox.shutdown();
}

#[test]
fn flow_md5_http_each_charset() {
    for cs in [Charset::Gbk, Charset::Gb2312, Charset::Utf8] {
        whole_flow(false, false, cs);
    }
}

#[test]
fn flow_md5_https_each_charset() {
    for cs in [Charset::Gbk, Charset::Gb2312, Charset::Utf8] {
        whole_flow(true, false, cs);
    }
}

#[test]
fn flow_rsa_http_each_charset() {
    for cs in [Charset::Gbk, Charset::Gb2312, Charset::Utf8] {
        whole_flow(false, true, cs);
    }
}

#[test]
fn flow_rsa_https_each_charset() {
    for cs in [Charset::Gbk, Charset::Gb2312, Charset::Utf8] {
        whole_flow(true, true, cs);
    }
}

#[test]
fn failed_payment_is_reported_and_cannot_be_refunded() {
    let sandbox = start(SandboxConfig {
        time_factor: 60_000.0,
        ..SandboxConfig::default()
    });
    let client = client(&sandbox, md5_merchant());
    let endpoint = Endpoint::start(vec![]);
    let id = order_id("X");
    let order = client
        .create_order(&order_params(
            &id,
            500,
            &endpoint.url(),
            "http://127.0.0.1:9/r",
        ))
        .unwrap();
    // The switch that keeps the GET redirect.
    let arrival = pay_with(&sandbox, &order, "fail", Some("get"));
    assert_eq!(
        (arrival.method, arrival.url.as_str()),
        ("GET", "http://127.0.0.1:9/r")
    );
    let n = Notification::parse(client.merchant().verifier(), &arrival.body).unwrap();
    assert_eq!(n.field("status"), "FAILED");
    assert!(!n.is_paid());
    assert_eq!(
        client.query_order(&id).unwrap().status(),
        OrderStatus::Failed
    );
    assert_gateway(client.refund(&id, 1), "RPM22208");
    // Paying again after the result is known is refused.
    let agent = browser(&sandbox);
    let again = agent
        .post(format!("{}/ips/cashier/submit", sandbox.base_url()))
        .content_type("application/x-www-form-urlencoded")
        .send(format!("sessionId={}&action=pay", order.pay_url.session_id))
        .unwrap();
    assert_eq!(again.status().as_u16(), 409);
    assert_eq!(endpoint.wait_for(1, Duration::from_secs(10)), 1);
}

/// A request signed by hand, bypassing the library's own field checks, so the
/// sandbox's checks answer.
fn raw_order(sandbox: &Sandbox, params: &Params) -> Result<OrderResponse> {
    let signer = Signer::Md5(Md5Key::new(TEST_MD5_SIGN_KEY).unwrap());
    let hmac = signer.sign(MessageKind::OrderRequest, params).unwrap();
    let mut body = String::new();
    for field in MessageKind::OrderRequest.fields() {
        form::push_pair(
            &mut body,
            Charset::Utf8,
            field.name,
            params.value(field.name),
        )
        .unwrap();
    }
    form::push_pair(&mut body, Charset::Utf8, "hmac", &hmac).unwrap();
    let mut response = browser(sandbox)
        .post(sandbox.endpoint())
        .content_type("application/x-www-form-urlencoded; charset=UTF-8")
        .send(&body)
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let answer = response.body_mut().read_to_vec().unwrap();
    OrderResponse::parse(
        &Verifier::Md5(Md5Key::new(TEST_MD5_SIGN_KEY).unwrap()),
        &answer,
    )
}

fn full_params(id: &str) -> Params {
    let mut p = order_params(id, 100, "http://127.0.0.1:9/n", "http://127.0.0.1:9/c");
    for (n, v) in [
        ("characterSet", "02"),
        ("merchantId", TEST_MD5_MERCHANT_ID),
        ("requestId", &new_request_id()),
        ("signType", "MD5"),
        ("type", "DirectPayConfirm"),
        ("version", "2.0.0"),
        ("currency", "00"),
    ] {
        p.set(n, v);
    }
    p
}

#[test]
fn every_gateway_error_reaches_the_caller_with_its_code() {
    let sandbox = start(SandboxConfig {
        time_factor: 600.0,
        ..SandboxConfig::default()
    });
    let client = client(&sandbox, md5_merchant());
    let params = |id: &str| order_params(id, 100, "http://127.0.0.1:9/n", "http://127.0.0.1:9/c");

    // IPS0008: signed with another key. The answer is signed with the real
    // key, so it does not verify for this client either.
    let wrong_key = Client::new(
        Merchant::md5(TEST_MD5_MERCHANT_ID, &"k".repeat(64)).unwrap(),
        client_config(&sandbox),
    )
    .unwrap();
    assert!(!assert_gateway(
        wrong_key.create_order(&params(&order_id("S"))),
        "IPS0008"
    ));
    assert_gateway(wrong_key.query_order("x"), "IPS0008");
    // IPS0001: unknown merchant (answered unsigned).
    let stranger = Client::new(
        Merchant::md5("888000000000999", TEST_MD5_SIGN_KEY).unwrap(),
        client_config(&sandbox),
    )
    .unwrap();
    assert!(!assert_gateway(
        stranger.create_order(&params(&order_id("S"))),
        "IPS0001"
    ));
    assert_gateway(stranger.refund("x", 1), "IPS0001");

    // MCG field errors: the client refuses locally with the gateway's code...
    let mut p = params(&order_id("M"));
    p.set("productName", "");
    assert_eq!(
        client.create_order(&p).unwrap_err().return_code(),
        Some("MCG01033")
    );
    // ...and the sandbox answers the same codes to a request that skipped the checks.
    for (field, value, code) in [
        ("productName", "", "MCG01033"),
        ("productName", &"长".repeat(51), "MCG01081"),
        ("period", "", "MCG01027"),
        ("period", "0", "MCG01028"),
        ("periodUnit", "09", "MCG01030"),
        ("orderDate", "20260230", "MCG01025"),
        ("orderDate", "", "MCG01024"),
        ("currency", "", "MCG01018"),
        ("currency", "01", "MCG01019"),
        ("amount", "", "MCG01014"),
        // No code in appendix B: the simulator's own, which `cmpay codes` lists.
        ("period", "10000", "MCG99999"),
        ("ipAddress", "10.0.0.1, 10.0.0.2", "MCG99999"),
    ] {
        let mut p = full_params(&order_id("M"));
        p.set(field, value);
        assert!(
            assert_gateway(raw_order(&sandbox, &p), code),
            "{field}={value:?}: signed answer"
        );
    }
    // A correct hand-made request passes (the helper itself is right).
    raw_order(&sandbox, &full_params(&order_id("M"))).unwrap();
    // What production sends and the document's tables allow (protocol.md §8.9).
    for (field, value) in [
        ("period", "9999"),
        ("ipAddress", "unknown"),
        ("ipAddress", "2001:db8::1"),
    ] {
        let mut p = params(&order_id("P"));
        p.set(field, value);
        if field == "period" {
            p.set("periodUnit", "02");
        }
        client
            .create_order(&p)
            .unwrap_or_else(|e| panic!("{field}={value:?}: {e}"));
    }

    // E22160: unknown bank.
    let mut p = params(&order_id("B"));
    p.set("bankAbbr", "NOSUCH");
    assert!(assert_gateway(client.create_order(&p), "E22160"));

    // RPM22208: requestId reused, orderId reused.
    let mut p = params(&order_id("R"));
    p.set("requestId", "dup-request-1");
    client.create_order(&p).unwrap();
    p.set("orderId", order_id("R"));
    assert_gateway(client.create_order(&p), "RPM22208");
    let id = order_id("R");
    client.create_order(&params(&id)).unwrap();
    assert!(assert_gateway(
        client.create_order(&params(&id)),
        "RPM22208"
    ));

    // RPM22201: unknown order, for query and refund.
    assert!(assert_gateway(
        client.query_order("no-such-order"),
        "RPM22201"
    ));
    assert_gateway(client.refund("no-such-order", 1), "RPM22201");

    // RPM22208: refunding an order not paid yet; query says pending.
    assert_eq!(
        client.query_order(&id).unwrap().status(),
        OrderStatus::Pending
    );
    assert_gateway(client.refund(&id, 1), "RPM22208");

    // RPM99981: a one-minute order at time factor 600 expires after 0.1 s.
    let id = order_id("E");
    let mut p = params(&id);
    p.set("period", "1");
    p.set("periodUnit", "00");
    let order = client.create_order(&p).unwrap();
    std::thread::sleep(Duration::from_millis(250));
    assert!(assert_gateway(client.query_order(&id), "RPM99981"));
    assert_gateway(client.refund(&id, 1), "RPM99981");
    let expired = browser(&sandbox)
        .post(format!("{}/ips/cashier/submit", sandbox.base_url()))
        .content_type("application/x-www-form-urlencoded")
        .send(format!("sessionId={}&action=pay", order.pay_url.session_id))
        .unwrap();
    assert_eq!(expired.status().as_u16(), 410);
    assert_eq!(
        sandbox.order(TEST_MD5_MERCHANT_ID, &id).unwrap().state,
        OrderState::Expired
    );

    // A gateway error under an HTTP error status, signed: still a gateway error.
    sandbox.inject(FaultRule::new(
        Fault::GatewayError {
            status: 503,
            code: "RPM77040".into(),
        },
        1,
        Some(RequestType::Order),
    ));
    assert!(assert_gateway(
        client.create_order(&params(&order_id("G"))),
        "RPM77040"
    ));
    sandbox.inject(FaultRule::once(Fault::GatewayError {
        status: 200,
        code: "RPM23190".into(),
    }));
    assert!(assert_gateway(client.refund(&id, 1), "RPM23190"));
    let e = client.query_order("no-such-order").unwrap_err();
    assert_eq!(e.code(), ErrorCode::Gateway);
    assert!(e.to_string().contains("RPM22201"), "{e}");
}

#[test]
fn faults_give_the_right_error_kind_and_never_hang() {
    let sandbox = start(SandboxConfig::default());
    let config = ClientConfig {
        timeout: Duration::from_secs(1),
        ..client_config(&sandbox)
    };
    let client = Client::new(md5_merchant(), config).unwrap();
    let params = |id: &str| order_params(id, 100, "http://127.0.0.1:9/n", "http://127.0.0.1:9/c");

    // Slow: the client gives up at its 1 s bound.
    sandbox.inject(FaultRule::once(Fault::Slow(Duration::from_secs(4))));
    let t = Instant::now();
    let e = client.create_order(&params(&order_id("T"))).unwrap_err();
    let took = t.elapsed();
    // The error names the address it was trying (host and port).
    assert!(
        matches!(&e, Error::Timeout(m) if m.contains(&sandbox.endpoint())),
        "{e:?}"
    );
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_millis(2500),
        "{took:?}"
    );

    // Dropped connection: processed, but no answer. Order creation is not
    // retried: the sandbox saw it exactly once, and a query finds it.
    let id = order_id("D");
    sandbox.inject(FaultRule::new(Fault::Drop, 1, Some(RequestType::Order)));
    let e = client.create_order(&params(&id)).unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    assert_eq!(
        sandbox.orders().iter().filter(|o| o.order_id == id).count(),
        1
    );
    assert_eq!(
        client.query_order(&id).unwrap().status(),
        OrderStatus::Pending
    );
    // A query is retried once after a dropped connection...
    sandbox.inject(FaultRule::new(Fault::Drop, 1, Some(RequestType::Query)));
    assert_eq!(
        client.query_order(&id).unwrap().status(),
        OrderStatus::Pending
    );
    // ...but only once.
    sandbox.inject(FaultRule::new(Fault::Drop, 2, Some(RequestType::Query)));
    assert!(matches!(client.query_order(&id), Err(Error::Transport(_))));
    // A refund is never retried.
    sandbox.inject(FaultRule::new(Fault::Drop, 1, Some(RequestType::Refund)));
    assert!(matches!(client.refund(&id, 1), Err(Error::Transport(_))));

    // HTTP 500 with a body that is no gateway answer: transport.
    sandbox.inject(FaultRule::once(Fault::HttpStatus(500)));
    let e = client.create_order(&params(&order_id("H"))).unwrap_err();
    assert!(
        matches!(&e, Error::Transport(m) if m.contains("HTTP 500")),
        "{e:?}"
    );
    sandbox.inject(FaultRule::once(Fault::HttpStatus(404)));
    assert!(matches!(client.query_order(&id), Err(Error::Transport(m)) if m.contains("HTTP 404")));

    // Garbage with 200: a malformed answer.
    sandbox.inject(FaultRule::once(Fault::Garbage));
    let e = client.create_order(&params(&order_id("G"))).unwrap_err();
    assert!(matches!(e, Error::Parse(_)), "{e:?}");
    sandbox.inject(FaultRule::new(Fault::Garbage, 1, Some(RequestType::Query)));
    assert!(matches!(client.query_order(&id), Err(Error::Parse(_))));

    // Bad signature on a successful answer.
    sandbox.inject(FaultRule::once(Fault::BadSignature));
    let e = client.create_order(&params(&order_id("S"))).unwrap_err();
    assert!(matches!(e, Error::SignatureMismatch(_)), "{e:?}");
    assert_eq!(e.code(), ErrorCode::SignatureMismatch);
    sandbox.inject(FaultRule::new(
        Fault::BadSignature,
        1,
        Some(RequestType::Query),
    ));
    assert!(matches!(
        client.query_order(&id),
        Err(Error::SignatureMismatch(_))
    ));
    // Bad signature on an error answer: a gateway error that says so.
    sandbox.inject(FaultRule::once(Fault::BadSignature));
    assert!(!assert_gateway(
        client.query_order("no-such-order"),
        "RPM22201"
    ));

    // Faults set through the control endpoint, as a non-Rust test would.
    let agent = browser(&sandbox);
    let mut r = agent
        .post(format!("{}/sandbox/faults", sandbox.base_url()))
        .content_type("application/x-www-form-urlencoded")
        .send("fault=garbage&type=query&count=2")
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let faults: serde_json::Value =
        serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(faults[0]["fault"], "garbage");
    assert_eq!(faults[0]["count"], 2);
    assert!(matches!(client.query_order(&id), Err(Error::Parse(_))));
    assert!(matches!(client.query_order(&id), Err(Error::Parse(_))));
    assert_eq!(
        client.query_order(&id).unwrap().status(),
        OrderStatus::Pending
    );
    let bad = agent
        .post(format!("{}/sandbox/faults", sandbox.base_url()))
        .content_type("application/x-www-form-urlencoded")
        .send("fault=meteor")
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);

    // Nothing listening: connection refused is a transport error.
    let dead = start(SandboxConfig::default());
    let dead_config = ClientConfig {
        endpoint: dead.endpoint(),
        ..client_config(&sandbox)
    };
    dead.shutdown();
    let gone = Client::new(md5_merchant(), dead_config).unwrap();
    let t = Instant::now();
    assert!(matches!(
        gone.create_order(&params(&order_id("N"))),
        Err(Error::Transport(_))
    ));
    assert!(t.elapsed() < Duration::from_secs(2));
    sandbox.shutdown();
}

#[test]
fn tls_is_verified() {
    let sandbox = start(SandboxConfig {
        https: true,
        ..SandboxConfig::default()
    });
    let params = order_params(
        &order_id("L"),
        100,
        "http://127.0.0.1:9/n",
        "http://127.0.0.1:9/c",
    );
    // Without the sandbox's CA: a TLS error, not a transport or parse error.
    let untrusting = Client::new(
        md5_merchant(),
        ClientConfig {
            endpoint: sandbox.endpoint(),
            timeout: Duration::from_secs(5),
            ..ClientConfig::default()
        },
    )
    .unwrap();
    let e = untrusting.create_order(&params).unwrap_err();
    assert!(
        matches!(&e, Error::Tls(m) if m.contains(&sandbox.endpoint())),
        "{e:?}"
    );
    assert_eq!(e.code(), ErrorCode::Tls);
    // Another sandbox's CA does not help.
    let other = start(SandboxConfig {
        https: true,
        ..SandboxConfig::default()
    });
    let wrong_ca = ClientConfig {
        extra_ca_pem: vec![other.ca_pem().unwrap().into_bytes()],
        ..client_config(&sandbox)
    };
    assert!(matches!(
        Client::new(md5_merchant(), wrong_ca)
            .unwrap()
            .create_order(&params),
        Err(Error::Tls(_))
    ));
    // With it: fine, and an http endpoint is refused unless allowed.
    client(&sandbox, md5_merchant())
        .create_order(&params)
        .unwrap();
    let http_refused = ClientConfig {
        endpoint: "http://127.0.0.1:1/ips/cmpayService".into(),
        ..ClientConfig::default()
    };
    assert!(matches!(
        Client::new(md5_merchant(), http_refused),
        Err(Error::InvalidArgument(_))
    ));
    // A plain-http client talking to the https port gets no gateway answer.
    let plain = ClientConfig {
        endpoint: sandbox.endpoint().replace("https://", "http://"),
        timeout: Duration::from_secs(2),
        ..client_config(&sandbox)
    };
    let e = Client::new(md5_merchant(), plain)
        .unwrap()
        .query_order("x")
        .unwrap_err();
    assert!(
        matches!(
            e.code(),
            ErrorCode::Transport | ErrorCode::Timeout | ErrorCode::Parse
        ),
        "{e:?}"
    );
}

/// Delivery gaps measured by the endpoint must follow the scaled schedule.
fn assert_schedule(arrivals: &[Instant], factor: f64) {
    for (i, pair) in arrivals.windows(2).enumerate() {
        let gap = pair[1] - pair[0];
        let want = Duration::from_secs_f64(
            cmpay_sandbox::NOTIFY_SCHEDULE_MINUTES[i] as f64 * 60.0 / factor,
        );
        assert!(gap >= want, "gap {i}: {gap:?} < {want:?}");
        assert!(
            gap < want + Duration::from_millis(1000),
            "gap {i}: {gap:?} far above {want:?}"
        );
    }
}

#[test]
fn notification_retried_until_exactly_success() {
    // Factor 6000: resends after 10, 50, 100, 600 ms, ...
    let factor = 6000.0;
    let sandbox = start(SandboxConfig {
        time_factor: factor,
        ..SandboxConfig::default()
    });
    let client = client(&sandbox, md5_merchant());
    // Four answers that are not exactly SUCCESS, then SUCCESS.
    let endpoint = Endpoint::start(vec![
        (200, "FAIL"),
        (200, "success"),
        (200, "SUCCESS\n"),
        (500, "SUCCESS"),
    ]);
    let id = order_id("N");
    let order = client
        .create_order(&order_params(
            &id,
            800,
            &endpoint.url(),
            "http://127.0.0.1:9/c",
        ))
        .unwrap();
    pay(&sandbox, &order, "pay");
    assert_eq!(endpoint.wait_for(5, Duration::from_secs(10)), 5);
    // The next resend would be due 1.2 s later: wait past it, nothing comes.
    std::thread::sleep(Duration::from_millis(1500));
    let got = endpoint.bodies();
    assert_eq!(got.len(), 5, "exactly N+1 deliveries");
    let pay_nos: Vec<String> = got
        .iter()
        .map(|r| {
            Notification::parse(client.merchant().verifier(), &r.body)
                .unwrap()
                .pay_no()
                .to_string()
        })
        .collect();
    assert!(
        pay_nos.iter().all(|p| p == &pay_nos[0] && !p.is_empty()),
        "the same payment each time"
    );
    assert_schedule(&got.iter().map(|r| r.at).collect::<Vec<_>>(), factor);
    let attempts = sandbox.deliveries();
    assert_eq!(
        attempts.iter().map(|a| a.attempt).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    assert_eq!(
        attempts.iter().map(|a| a.acked).collect::<Vec<_>>(),
        vec![false, false, false, false, true]
    );
    assert_eq!(attempts[2].answer, "SUCCESS\n");
    assert_eq!(attempts[3].http_status, Some(500));
    for (i, a) in attempts.iter().enumerate().skip(1) {
        let want =
            (cmpay_sandbox::NOTIFY_SCHEDULE_MINUTES[i - 1] as f64 * 60_000.0 / factor) as u64;
        assert!(
            a.scheduled_ms >= attempts[i - 1].sent_ms + want,
            "attempt {}: scheduled {} ms",
            a.attempt,
            a.scheduled_ms
        );
        assert!(a.sent_ms >= a.scheduled_ms);
    }
    assert!(
        sandbox
            .order(TEST_MD5_MERCHANT_ID, &id)
            .unwrap()
            .notify_acked
    );
    assert_eq!(sandbox.pending_deliveries(), 0);

    // The JSON view says the same.
    let mut r = browser(&sandbox)
        .get(format!(
            "{}/sandbox/deliveries?orderId={id}",
            sandbox.base_url()
        ))
        .call()
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 5);
    assert_eq!(json[4]["acked"], true);
    assert_eq!(json[0]["answer"], "FAIL");
    let mut r = browser(&sandbox)
        .get(format!(
            "{}/sandbox/orders?orderId={id}",
            sandbox.base_url()
        ))
        .call()
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(json[0]["state"], "SUCCESS");
    assert_eq!(json[0]["amount"], 800);
    assert_eq!(json[0]["notifyAcked"], true);
}

#[test]
fn notification_gives_up_after_eight_sends_and_duplicates_on_demand() {
    // Factor 60000: the whole 24.27-hour schedule takes 1.46 s.
    let sandbox = start(SandboxConfig {
        time_factor: 60_000.0,
        ..SandboxConfig::default()
    });
    let client = client(&sandbox, md5_merchant());
    let never = Endpoint::start((0..20).map(|_| (200, "FAIL")).collect());
    let order = client
        .create_order(&order_params(
            &order_id("G"),
            100,
            &never.url(),
            "http://127.0.0.1:9/c",
        ))
        .unwrap();
    pay(&sandbox, &order, "pay");
    assert_eq!(never.wait_for(8, Duration::from_secs(10)), 8);
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(never.count(), 8, "8 sends, then the gateway gives up");
    assert_schedule(
        &never.bodies().iter().map(|r| r.at).collect::<Vec<_>>(),
        60_000.0,
    );

    // Duplicate notifications: two copies of the first send, both acknowledged.
    sandbox.inject(FaultRule::once(Fault::DuplicateNotify));
    let twice = Endpoint::start(vec![]);
    let order = client
        .create_order(&order_params(
            &order_id("G"),
            100,
            &twice.url(),
            "http://127.0.0.1:9/c",
        ))
        .unwrap();
    pay(&sandbox, &order, "pay");
    assert_eq!(twice.wait_for(2, Duration::from_secs(10)), 2);
    std::thread::sleep(Duration::from_millis(200));
    let got = twice.bodies();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].body, got[1].body);
    // A notify URL nobody listens on: recorded as transport errors.
    let dead = Endpoint::start(vec![]);
    let dead_url = dead.url();
    dead.server.shutdown();
    let order = client
        .create_order(&order_params(
            &order_id("G"),
            100,
            &dead_url,
            "http://127.0.0.1:9/c",
        ))
        .unwrap();
    pay(&sandbox, &order, "pay");
    let deadline = Instant::now() + Duration::from_secs(10);
    while sandbox
        .deliveries()
        .iter()
        .filter(|d| d.url == dead_url)
        .count()
        < 8
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let failed: Vec<_> = sandbox
        .deliveries()
        .into_iter()
        .filter(|d| d.url == dead_url)
        .collect();
    assert_eq!(failed.len(), 8);
    assert!(
        failed
            .iter()
            .all(|d| d.error.is_some() && !d.acked && d.http_status.is_none())
    );
}

#[test]
fn cashier_and_overview_pages_are_real_html() {
    let sandbox = start(SandboxConfig::default());
    let client = client(&sandbox, md5_merchant());
    let order = client
        .create_order(&order_params(
            &order_id("P"),
            199,
            "http://127.0.0.1:9/n",
            "http://127.0.0.1:9/c",
        ))
        .unwrap();
    let agent = browser(&sandbox);
    let mut page = agent.get(order.pay_url.redirect_url()).call().unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.body_mut().read_to_string().unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("¥1.99") && html.contains("测试商品 和包"),
        "{html}"
    );
    let mut index = agent
        .get(format!("{}/", sandbox.base_url()))
        .call()
        .unwrap();
    assert!(
        index
            .body_mut()
            .read_to_string()
            .unwrap()
            .contains(&order.params.value("merchantId").to_string())
    );
    let missing = agent
        .get(format!(
            "{}/ips/FormTrans3?sessionId=nope",
            sandbox.base_url()
        ))
        .call()
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    let key = agent
        .get(format!(
            "{}/sandbox/gateway-public-key.pem",
            sandbox.base_url()
        ))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(key, sandbox.gateway_public_key_pem());
}

#[test]
fn configuration_errors_are_clear() {
    // Sandbox: a time factor must be positive, merchant ids unique.
    for factor in [0.0, -1.0, f64::NAN] {
        assert!(matches!(
            Sandbox::start(SandboxConfig {
                time_factor: factor,
                ..SandboxConfig::default()
            }),
            Err(Error::InvalidArgument(_))
        ));
    }
    let mut twice = SandboxConfig::default();
    twice.merchants.push(twice.merchants[0].clone());
    assert!(matches!(
        Sandbox::start(twice),
        Err(Error::InvalidArgument(_))
    ));
    // Client: a bad proxy URL is refused at construction; an unreachable one
    // is a transport error, promptly.
    let sandbox = start(SandboxConfig::default());
    let bad_proxy = ClientConfig {
        proxy: Some("::not a url::".into()),
        ..client_config(&sandbox)
    };
    assert!(matches!(
        Client::new(md5_merchant(), bad_proxy),
        Err(Error::InvalidArgument(_))
    ));
    let dead_proxy = ClientConfig {
        proxy: Some("http://127.0.0.1:1".into()),
        connect_timeout: Duration::from_secs(1),
        ..client_config(&sandbox)
    };
    let t = Instant::now();
    let e = Client::new(md5_merchant(), dead_proxy)
        .unwrap()
        .create_order(&order_params(
            &order_id("Y"),
            1,
            "http://127.0.0.1:9/n",
            "http://127.0.0.1:9/c",
        ))
        .unwrap_err();
    assert!(
        matches!(&e, Error::Transport(m) if m.contains("via proxy http://127.0.0.1:1")),
        "{e:?}"
    );
    assert!(t.elapsed() < Duration::from_secs(3));
    assert!(sandbox.orders().is_empty(), "nothing reached the gateway");
}
