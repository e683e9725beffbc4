//! The simulator speaks the live gateway's dialect (protocol.md §8), and the
//! library understands it end to end: raw answers, WAP and GWDirectPay,
//! sessionId/SESSIONID, notifications in every encoding, raw HTTP/1.0 requests.

mod common;

use cmpay::decode::Decoding;
use cmpay::*;
use cmpay_sandbox::{NotifyEncoding, PageNotifyMode, SandboxConfig};
use common::*;
use std::io::{Read, Write};
use std::time::Duration;

fn raw_post(sandbox: &cmpay_sandbox::Sandbox, head: &str, body: &[u8]) -> Vec<u8> {
    let addr = sandbox.base_url().trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(head.replace("{len}", &body.len().to_string()).as_bytes())
        .unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    out
}

#[test]
fn answers_are_raw_and_say_success() {
    let sandbox = start(SandboxConfig::default());
    let merchant = md5_merchant();
    let id = order_id("RAW");
    let mut p = order_params(&id, 100, "http://127.0.0.1:9/n", "http://127.0.0.1:9/c");
    p.set("requestId", new_request_id());
    let signed = merchant
        .sign_request(MessageKind::OrderRequest, &p)
        .unwrap();
    // As the PHP kit sends it: HTTP/1.0, no charset in Content-Type.
    let answer = raw_post(
        &sandbox,
        "POST /ips/cmpayService HTTP/1.0\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-length: {len}\r\n\r\n",
        signed.body.as_bytes(),
    );
    let text = String::from_utf8(answer).unwrap();
    let body = text.split("\r\n\r\n").nth(1).unwrap();
    assert!(body.contains("&message=SUCCESS&"), "{body}");
    assert!(
        body.contains("&payUrl=url<hi:=>http://127.0.0.1:"),
        "payUrl raw: {body}"
    );
    let r = OrderResponse::parse(merchant.verifier(), body.as_bytes()).unwrap();
    assert_eq!(r.pay_url.method, "post");
}

#[test]
fn raw_gbk_requests_with_text_that_is_also_utf8() {
    let sandbox = start(SandboxConfig::default());
    let merchant = md5_merchant();
    for code in ["00", "01"] {
        let id = order_id("ASP");
        let mut p = order_params(&id, 100, "http://127.0.0.1:9/n", "http://127.0.0.1:9/c");
        p.set("requestId", new_request_id());
        p.set("characterSet", code);
        p.set("productName", "同学 小品");
        p.set("reserved1", "同学");
        p.set("reserved2", ""); // raw values cannot carry '&', '=' or '%'
        let signed = merchant
            .sign_request(MessageKind::OrderRequest, &p)
            .unwrap();
        // As the .NET and ASP kits send it: the raw GBK bytes, unencoded.
        let mut raw = Vec::new();
        for (i, (n, v)) in signed.params.iter().enumerate() {
            if i > 0 {
                raw.push(b'&');
            }
            raw.extend_from_slice(format!("{n}=").as_bytes());
            raw.extend_from_slice(&Charset::Gbk.encode(n, v).unwrap());
        }
        let answer = raw_post(
            &sandbox,
            "POST /ips/cmpayService HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {len}\r\n\r\n",
            &raw,
        );
        let text = String::from_utf8(answer).unwrap();
        let body = text.split("\r\n\r\n").nth(1).unwrap();
        OrderResponse::parse(merchant.verifier(), body.as_bytes())
            .unwrap_or_else(|e| panic!("{code}: {e}: {body}"));
        let view = sandbox.order(merchant.merchant_id(), &id).unwrap();
        assert_eq!(view.params.value("productName"), "同学 小品");
    }
}

#[test]
fn wap_order_end_to_end_with_sessionid_spellings() {
    let sandbox = start(SandboxConfig {
        time_factor: 600.0,
        ..SandboxConfig::default()
    });
    let endpoint = Endpoint::start(vec![]);
    let client = client(&sandbox, md5_merchant());
    for (spelling, method) in [("sessionId", "GET"), ("SESSIONID", "POST")] {
        let id = order_id("WAP");
        let mut p = order_params(&id, 300, &endpoint.url(), "http://127.0.0.1:9/c");
        p.set("type", "WAPDirectPayConfirm");
        let order = client.create_order(&p).unwrap();
        // The live WAP cashier's token: http, POST in capitals, three parts
        // as captured (MERC_PAY_TPY is a switch: real_integrations.rs).
        let token = order.params.value("payUrl");
        assert!(
            token.contains("/wap/index.xhtml<hi:$$>method<hi:=>POST"),
            "{token}"
        );
        assert_eq!(token.matches("<hi:$$>").count(), 2, "{token}");
        let url = format!(
            "{}?{spelling}={}",
            order.pay_url.url, order.pay_url.session_id
        );
        let agent = browser(&sandbox);
        let page = if method == "GET" {
            agent.get(&url).call()
        } else {
            agent
                .post(&order.pay_url.url)
                .content_type("application/x-www-form-urlencoded")
                .send(format!("{spelling}={}", order.pay_url.session_id))
        }
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
        assert!(
            page.contains("value=\"pay\""),
            "{spelling} {method}: {page}"
        );
        let arrival = submit(&sandbox, &agent, &order.pay_url.session_id, "pay", "");
        let n = Notification::parse(client.merchant().verifier(), &arrival.body).unwrap();
        client.confirm(&n).unwrap();
        n.check_order(client.merchant().merchant_id(), &id, 300)
            .unwrap();
        assert_eq!(client.query_order(&id).unwrap().status(), OrderStatus::Paid);
        assert_eq!(
            client.refund(&id, 100).unwrap().amount().unwrap(),
            Some(100)
        );
    }
}

#[test]
fn gw_direct_pay_from_the_browser_end_to_end() {
    let sandbox = start(SandboxConfig::default());
    let endpoint = Endpoint::start(vec![]);
    let merchant = md5_merchant();
    let id = order_id("GW");
    let mut p = order_params(&id, 500, &endpoint.url(), "http://127.0.0.1:9/c");
    p.set("type", "GWDirectPay");
    p.set("requestId", new_request_id());
    // bankAbbr is required for the bank gateway, before anything is sent.
    let e = merchant
        .sign_request(MessageKind::OrderRequest, &p)
        .unwrap_err();
    assert!(
        matches!(e, Error::Field { ref field, .. } if field == "bankAbbr"),
        "{e}"
    );
    p.set("bankAbbr", "CMB");
    let signed = merchant
        .sign_request(MessageKind::OrderRequest, &p)
        .unwrap();
    let page = signed.html_form(&sandbox.endpoint()).unwrap();
    assert!(page.contains("accept-charset=\"GBK\""), "{page}");
    assert!(
        page.contains("<html lang=\"zh-CN\">") && page.contains("<title>和包支付 CMPay</title>"),
        "{page}"
    );
    // The browser submits it: values encoded in the form's accept-charset.
    let (action, fields) = auto_form(&page);
    assert_eq!(action, sandbox.endpoint());
    let mut body = String::new();
    for (n, v) in &fields {
        form::push_pair(&mut body, Charset::Gbk, n, v).unwrap();
    }
    let agent = browser(&sandbox);
    let mut bank = agent
        .post(&action)
        .content_type("application/x-www-form-urlencoded")
        .send(&body)
        .unwrap();
    assert_eq!(bank.status().as_u16(), 200);
    let bank_page = bank.body_mut().read_to_string().unwrap();
    assert!(bank_page.contains("value=\"pay\""), "{bank_page}");
    let view = sandbox.order(merchant.merchant_id(), &id).unwrap();
    assert_eq!(view.order_type, "GWDirectPay");
    let arrival = submit(&sandbox, &agent, &view.session_id, "pay", "");
    let n = Notification::parse(merchant.verifier(), &arrival.body).unwrap();
    for other in n
        .other_order_ids()
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
    {
        n.rule_out(&other).unwrap(); // no such order in this test's shop
    }
    n.check_order(merchant.merchant_id(), &id, 500).unwrap();
    assert_eq!(n.field("bankAbbr"), "CMB");
    assert_eq!(endpoint.wait_for(1, Duration::from_secs(10)), 1);
    // A GWDirectPay without bankAbbr, sent by hand: the browser gets an error page.
    let mut p2 = order_params(
        &order_id("GW"),
        500,
        &endpoint.url(),
        "http://127.0.0.1:9/c",
    );
    p2.set("requestId", new_request_id());
    let mut unsigned = merchant
        .sign_request(MessageKind::OrderRequest, &p2)
        .unwrap()
        .params;
    unsigned.set("type", "GWDirectPay");
    let hmac = merchant
        .signer()
        .sign(MessageKind::OrderRequest, &unsigned)
        .unwrap();
    unsigned.set("hmac", hmac);
    let mut err = agent
        .post(&action)
        .content_type("application/x-www-form-urlencoded")
        .send(form::encode_utf8(&unsigned).replace("characterSet=00", "characterSet=02"))
        .unwrap();
    let text = err.body_mut().read_to_string().unwrap();
    assert_eq!(err.status().as_u16(), 400, "{text}");
}

#[test]
fn notifications_in_every_encoding_verify() {
    let sandbox = start(SandboxConfig {
        page_notify: PageNotifyMode::Get,
        ..SandboxConfig::default()
    });
    let endpoint = Endpoint::start(vec![]);
    let client = client(&sandbox, md5_merchant());
    let verifier = client.merchant().verifier().clone();
    let mut expected_offline = 0;
    for (encoding, want) in [
        (NotifyEncoding::Utf8, Decoding::Utf8Once),
        (NotifyEncoding::Utf8Twice, Decoding::Utf8Twice),
        (NotifyEncoding::Gbk, Decoding::Gb18030Once),
    ] {
        sandbox.set_dialect(PageNotifyMode::Get, encoding);
        let id = order_id("ENC");
        let mut p = order_params(&id, 200, &endpoint.url(), "http://127.0.0.1:9/c");
        p.set("reserved1", "同学");
        p.set("reserved2", "小品 a+b");
        let order = client.create_order(&p).unwrap();
        let arrival = pay(&sandbox, &order, "pay");
        assert_eq!(arrival.method, "GET");
        let page = Notification::parse(&verifier, &arrival.body).unwrap();
        assert_eq!((page.field("reserved1"), page.decoding()), ("同学", want));
        expected_offline += 1;
        assert_eq!(
            endpoint.wait_for(expected_offline, Duration::from_secs(10)),
            expected_offline
        );
        let offline = endpoint.bodies().pop().unwrap();
        let n = Notification::parse(&verifier, &offline.body).unwrap();
        assert_eq!(
            (n.field("reserved1"), n.field("reserved2"), n.decoding()),
            ("同学", "小品 a+b", want),
            "{encoding:?}"
        );
        assert!(
            offline
                .content_type
                .ends_with(if encoding == NotifyEncoding::Gbk {
                    "GBK"
                } else {
                    "UTF-8"
                })
        );
    }
    // The settings page switches too.
    let r = browser(&sandbox)
        .post(format!("{}/sandbox/settings", sandbox.base_url()))
        .content_type("application/x-www-form-urlencoded")
        .send("pageNotify=post&notifyEncoding=utf8-twice")
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(
        r.contains("\"pageNotify\":\"post\"") && r.contains("utf8-twice"),
        "{r}"
    );
}
