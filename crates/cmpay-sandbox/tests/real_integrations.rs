//! What integrations in production send (protocol.md §8.9), against the
//! simulator: every answer to /ips/cmpayService is a gateway answer, and a
//! refusal says why.

mod common;

use cmpay::*;
use cmpay_sandbox::{SandboxConfig, Shapes};
use common::*;
use std::io::{Read, Write};
use std::time::Duration;

/// Sends `head` (with `{len}` replaced) and `body`; the answer's status and body.
fn raw_post(sandbox: &cmpay_sandbox::Sandbox, head: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let addr = sandbox.base_url().trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(head.replace("{len}", &body.len().to_string()).as_bytes())
        .unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status: u16 = String::from_utf8_lossy(&out[9..12]).parse().unwrap();
    (status, out[split + 4..].to_vec())
}

fn post(
    sandbox: &cmpay_sandbox::Sandbox,
    query: &str,
    content_type: &str,
    body: &[u8],
) -> (u16, Vec<u8>) {
    let path = if query.is_empty() {
        "/ips/cmpayService".to_string()
    } else {
        format!("/ips/cmpayService?{query}")
    };
    raw_post(
        sandbox,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {{len}}\r\n\r\n"
        ),
        body,
    )
}

const FORM: &str = "application/x-www-form-urlencoded";

fn signed_order(characterset: &str, product: &str) -> (Merchant, String, Params) {
    let merchant = md5_merchant();
    let id = order_id("REAL");
    let mut p = order_params(&id, 100, "http://127.0.0.1:9/n", "http://127.0.0.1:9/c");
    p.set("requestId", new_request_id());
    p.set("characterSet", characterset);
    p.set("productName", product);
    let signed = merchant
        .sign_request(MessageKind::OrderRequest, &p)
        .unwrap();
    (merchant, id, signed.params)
}

/// The pairs percent-encoded from the bytes of `charset`, `hmac` first (as
/// the Java integrations send them).
fn encoded(params: &Params, charset: Charset) -> String {
    let mut pairs: Vec<(&str, &str)> = params.iter().collect();
    pairs.sort_by_key(|(n, _)| *n != "hmac");
    pairs
        .iter()
        .map(|(n, v)| format!("{n}={}", form::escape(&charset.encode(n, v).unwrap())))
        .collect::<Vec<_>>()
        .join("&")
}

/// The answer's returnCode and message, checking it is a gateway answer
/// (a form body, HTTP 200).
fn gateway_answer(status: u16, body: &[u8]) -> (String, String) {
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(body));
    let p = body::parse(body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)));
    (
        p.value("returnCode").to_string(),
        p.value("message").to_string(),
    )
}

#[test]
fn every_parameter_in_the_query_string_and_an_empty_body() {
    let sandbox = start(SandboxConfig::default());
    let (merchant, id, params) = signed_order("02", "话费充值");
    let (status, body) = post(&sandbox, &encoded(&params, Charset::Utf8), FORM, b"");
    assert_eq!(gateway_answer(status, &body).0, "000000");
    let r = OrderResponse::parse(merchant.verifier(), &body).unwrap();
    assert_eq!(r.params.value("requestId"), params.value("requestId"));
    let view = sandbox.order(merchant.merchant_id(), &id).unwrap();
    assert_eq!(view.params.value("productName"), "话费充值");
}

#[test]
fn query_string_and_body_are_one_list() {
    let sandbox = start(SandboxConfig::default());
    let (_, _, params) = signed_order("02", "话费");
    let all = encoded(&params, Charset::Utf8);
    let (query, body) = all.split_once("&type=").unwrap();
    let (status, answer) = post(&sandbox, query, FORM, format!("type={body}").as_bytes());
    assert_eq!(gateway_answer(status, &answer).0, "000000");

    // A query string that is no list of pairs is not the request's.
    let (_, _, params) = signed_order("02", "话费");
    let all = encoded(&params, Charset::Utf8);
    let (status, answer) = post(&sandbox, "wsdl", FORM, all.as_bytes());
    assert_eq!(gateway_answer(status, &answer).0, "000000");

    // The same name in both is refused, never one of the two picked.
    let (_, _, params) = signed_order("02", "话费");
    let all = encoded(&params, Charset::Utf8);
    let (status, answer) = post(&sandbox, "amount=1", FORM, all.as_bytes());
    let (code, message) = gateway_answer(status, &answer);
    assert_eq!(code, "IPS0008");
    assert!(
        message.contains("amount") && message.contains("query string"),
        "{message}"
    );
}

#[test]
fn gbk_bytes_under_character_set_02_get_ips0008_saying_why() {
    let sandbox = start(SandboxConfig::default());
    let (merchant, _, params) = signed_order("02", "话费充值");
    // Percent-encoded from GBK, and a raw GBK body labelled charset=GBK.
    let percent = encoded(&params, Charset::Gbk).into_bytes();
    let mut raw = Vec::new();
    for (i, (n, v)) in params.iter().enumerate() {
        if i > 0 {
            raw.push(b'&');
        }
        raw.extend_from_slice(format!("{n}=").as_bytes());
        raw.extend_from_slice(&Charset::Gbk.encode(n, v).unwrap());
    }
    for (body, content_type) in [
        (percent, FORM),
        (raw, "application/x-www-form-urlencoded; charset=GBK"),
    ] {
        let (status, answer) = post(&sandbox, "", content_type, &body);
        let (code, message) = gateway_answer(status, &answer);
        assert_eq!(code, "IPS0008");
        assert!(
            message.contains("field merchantAbbr")
                && message.contains("GBK but characterSet says 02")
                && message.contains("declare characterSet 00, or encode UTF-8"),
            "{message}"
        );
        // Signed, as the gateway's other IPS0008 answers are.
        OrderResponse::parse(merchant.verifier(), &answer).unwrap_err();
        verify_message(merchant.verifier(), MessageKind::OrderResponse, &answer).unwrap();
    }
}

#[test]
fn a_byte_order_mark_is_named() {
    let sandbox = start(SandboxConfig::default());
    let (_, _, params) = signed_order("02", "话费");
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(encoded(&params, Charset::Utf8).as_bytes());
    let (status, answer) = post(&sandbox, "", FORM, &body);
    let (code, message) = gateway_answer(status, &answer);
    assert_eq!(code, "IPS0008");
    assert!(message.contains("byte-order mark"), "{message}");
}

#[test]
fn what_is_not_a_form_still_gets_a_gateway_answer() {
    let sandbox = start(SandboxConfig::default());
    for body in [&b""[..], b"hello", b"{\"merchantId\":\"1\"}", b"a=1&a=2"] {
        let (status, answer) = post(&sandbox, "", FORM, body);
        let (code, message) = gateway_answer(status, &answer);
        assert_eq!(code, "IPS0008", "{}", String::from_utf8_lossy(body));
        assert!(!message.is_empty());
    }
}

#[test]
fn a_lower_case_success_does_not_count_and_the_deliveries_say_why() {
    let sandbox = start(SandboxConfig {
        time_factor: 6000.0,
        ..SandboxConfig::default()
    });
    let endpoint = Endpoint::start(vec![(200, "success")]);
    let client = client(&sandbox, md5_merchant());
    let id = order_id("ACK");
    let order = client
        .create_order(&order_params(
            &id,
            100,
            &endpoint.url(),
            "http://127.0.0.1:9/c",
        ))
        .unwrap();
    pay(&sandbox, &order, "pay");
    assert!(endpoint.wait_for(2, Duration::from_secs(20)) >= 2);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while sandbox
        .deliveries()
        .iter()
        .filter(|d| d.order_id == id)
        .count()
        < 2
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    let tries: Vec<_> = sandbox
        .deliveries()
        .into_iter()
        .filter(|d| d.order_id == id)
        .collect();
    assert!(!tries[0].acked);
    let why = tries[0].not_acked.as_deref().unwrap();
    assert!(
        why.contains("answered \"success\"") && why.contains("exactly 'SUCCESS'"),
        "{why}"
    );
    assert!(tries[1].acked && tries[1].not_acked.is_none());
}

#[test]
fn shapes_as_captured_by_default_and_the_others_as_switches() {
    for shapes in [
        Shapes::default(),
        Shapes::from_list("long-pay-no,fee-percent,merc-pay-tpy").unwrap(),
    ] {
        let sandbox = start(SandboxConfig {
            time_factor: 600.0,
            shapes,
            ..SandboxConfig::default()
        });
        let endpoint = Endpoint::start(vec![]);
        let client = client(&sandbox, md5_merchant());
        let id = order_id("SHAPE");
        let mut p = order_params(&id, 12_345, &endpoint.url(), "http://127.0.0.1:9/c");
        p.set("type", "WAPDirectPayConfirm");
        let order = client.create_order(&p).unwrap();
        let token = order.params.value("payUrl");
        assert_eq!(
            token.ends_with("<hi:$$>MERC_PAY_TPY<hi:=>"),
            shapes.wap_merc_pay_tpy,
            "{token}"
        );
        assert_eq!(
            token.matches("<hi:$$>").count(),
            if shapes.wap_merc_pay_tpy { 3 } else { 2 }
        );
        let arrival = pay(&sandbox, &order, "pay");
        let n = Notification::parse(client.merchant().verifier(), &arrival.body).unwrap();
        let long = shapes.long_pay_no;
        assert_eq!(n.field("payNo").len(), if long { 24 } else { 18 });
        assert!(n.field("payNo").bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(
            n.field("fee"),
            if shapes.fee_percent { "0.74" } else { "0" }
        );
        client.confirm(&n).unwrap();
        // payType is empty in every query answer, paid or not.
        let q = client.query_order(&id).unwrap();
        assert_eq!(q.status(), OrderStatus::Paid);
        assert_eq!(q.params.value("payType"), "");
        assert_eq!(q.params.value("payNo"), n.field("payNo"));
    }
    assert!(Shapes::from_list("no-such-shape").is_none());
}

#[test]
fn what_is_no_http_form_request_is_told_what_was_expected() {
    let sandbox = start(SandboxConfig::default());
    let (status, body) = raw_post(
        &sandbox,
        "POST /ips/cmpayService HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"0\r\n\r\n",
    );
    let text = String::from_utf8(body).unwrap();
    assert_eq!(status, 411, "{text}");
    assert!(
        text.contains("Content-Length") && text.contains("expected"),
        "{text}"
    );
    let (status, body) = raw_post(
        &sandbox,
        "GET /ips/cmpayService HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"",
    );
    assert_eq!(status, 405);
    assert!(String::from_utf8_lossy(&body).contains("POST"));
}
