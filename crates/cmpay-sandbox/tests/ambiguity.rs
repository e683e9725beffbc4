//! The re-split attack (docs/resplit.md): a verified notification whose signed source reads as another
//! order, amount or payment. The bytes cannot decide, so the library says
//! so (`is_ambiguous`, `other_readings`, `cmpay verify`), `check_order`
//! refuses it, and the gateway decides (`Client::confirm`), end to end
//! against the sandbox: pay order A, re-split its notification to read as
//! paying order B of the same amount, and B is never confirmed.

mod common;

use cmpay::body;
use cmpay::*;
use cmpay::{form, readings, sign};
use cmpay_sandbox::SandboxConfig;
use common::*;

/// A notification's body re-split so that the orderId `other` + a
/// date-time tail reads as `other`: the tail becomes payDate, payDate's
/// first 8 digits accountDate, the rest slides into reserved1. The signed
/// source, and so the hmac, stays the same.
fn resplit_to(body: &[u8], other: &str) -> Vec<u8> {
    let params = body::parse_utf8(body).unwrap();
    let get = |n: &str| params.value(n).to_string();
    let tail = get("orderId")[other.len()..].to_string();
    assert_eq!(get("orderId"), format!("{other}{tail}"));
    assert_eq!(tail.len(), 14);
    let mut moved = params.clone();
    moved.set("orderId", other);
    moved.set("payDate", &tail);
    moved.set("accountDate", &get("payDate")[..8]);
    moved.set(
        "reserved1",
        format!(
            "{}{}{}",
            &get("payDate")[8..],
            get("accountDate"),
            get("reserved1")
        ),
    );
    form::encode_utf8(&moved).into_bytes()
}

#[test]
fn a_paid_notification_resplit_to_another_order_is_ambiguous_and_never_confirmed() {
    let sandbox = start(SandboxConfig {
        time_factor: 60_000.0,
        ..SandboxConfig::default()
    });
    let merchant = md5_merchant();
    let client = client(&sandbox, merchant.clone());
    let order_b = order_id("B");
    let order_a = format!("{order_b}20261206234512");
    let endpoint = Endpoint::start(vec![]);
    let callback = "http://127.0.0.1:9/return";
    // Both orders exist at the gateway, of the same amount; A is paid.
    client
        .create_order(&order_params(&order_b, 9900, &endpoint.url(), callback))
        .unwrap();
    let order = client
        .create_order(&order_params(&order_a, 9900, &endpoint.url(), callback))
        .unwrap();
    let arrival = pay(&sandbox, &order, "pay");

    // The genuine PageNotify: verified, paid, for A, and ambiguous (B is
    // one of its other readings).
    let genuine = Notification::parse_for(&merchant, &arrival.body).unwrap();
    assert_eq!(genuine.order_id(), order_a);
    assert!(genuine.is_paid() && genuine.is_ambiguous());
    assert!(genuine.other_order_ids().contains(&order_b.as_str()));
    let err = genuine
        .check_order(merchant.merchant_id(), &order_a, 9900)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Ambiguous, "{err}");
    assert!(err.to_string().contains(&order_b), "{err}");

    // The re-split one: same hmac, verified, reads as paying B.
    let forged_body = resplit_to(&arrival.body, &order_b);
    let forged = Notification::parse_for(&merchant, &forged_body).unwrap();
    assert_eq!(
        (forged.order_id(), forged.amount().unwrap()),
        (order_b.as_str(), 9900)
    );
    assert!(forged.is_paid() && forged.is_ambiguous());
    assert!(forged.other_order_ids().contains(&order_a.as_str()));
    assert_eq!(
        forged
            .check_order(merchant.merchant_id(), &order_b, 9900)
            .unwrap_err()
            .code(),
        ErrorCode::Ambiguous
    );
    // B exists: it cannot be ruled out... and the gateway says B is not paid.
    let err = client.confirm(&forged).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotConfirmed, "{err}");
    assert!(!forged.is_confirmed());
    assert_eq!(
        forged
            .check_order(merchant.merchant_id(), &order_b, 9900)
            .unwrap_err()
            .code(),
        ErrorCode::Ambiguous
    );

    // The genuine one is confirmed by the gateway, then passes.
    client.confirm(&genuine).unwrap();
    assert!(genuine.is_confirmed());
    genuine
        .check_order(merchant.merchant_id(), &order_a, 9900)
        .unwrap();
    // ... for its own order only.
    assert_eq!(
        genuine
            .check_order(merchant.merchant_id(), &order_b, 9900)
            .unwrap_err()
            .code(),
        ErrorCode::FieldInvalid
    );
}

#[test]
fn readings_naming_orders_the_shop_does_not_have_are_ruled_out_without_the_gateway() {
    let sandbox = start(SandboxConfig {
        time_factor: 60_000.0,
        ..SandboxConfig::default()
    });
    let merchant = md5_merchant();
    let client = client(&sandbox, merchant.clone());
    let id = order_id("R");
    let endpoint = Endpoint::start(vec![]);
    let order = client
        .create_order(&order_params(
            &id,
            500,
            &endpoint.url(),
            "http://127.0.0.1:9/r",
        ))
        .unwrap();
    let arrival = pay(&sandbox, &order, "pay");
    let n = Notification::parse_for(&merchant, &arrival.body).unwrap();
    let others: Vec<String> = n.other_order_ids().iter().map(|s| s.to_string()).collect();
    if n.is_ambiguous() {
        assert!(!others.is_empty());
        // Not an order of the shop's: each ruled out.
        for other in &others {
            assert_ne!(other, &id);
            n.rule_out(other).unwrap();
        }
    }
    assert!(!n.is_ambiguous());
    n.check_order(merchant.merchant_id(), &id, 500).unwrap();
    // Its own orderId, or one no reading names, cannot be ruled out.
    assert_eq!(
        n.rule_out(&id).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        n.rule_out("nope").unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
    assert!(!n.is_confirmed());
}

#[test]
fn a_notification_for_another_merchant_is_refused_by_parse_for() {
    let sandbox = start(SandboxConfig::default());
    let merchant = md5_merchant();
    let client = client(&sandbox, merchant.clone());
    let id = order_id("M");
    let endpoint = Endpoint::start(vec![]);
    let order = client
        .create_order(&order_params(
            &id,
            500,
            &endpoint.url(),
            "http://127.0.0.1:9/r",
        ))
        .unwrap();
    let arrival = pay(&sandbox, &order, "pay");
    // The same key, another merchantId configured: refused, naming merchantId.
    let other = Merchant::new(
        "888009941120002",
        merchant.signer().clone(),
        merchant.verifier().clone(),
        None,
    )
    .unwrap();
    let err = Notification::parse_for(&other, &arrival.body).unwrap_err();
    assert_eq!(err.code(), ErrorCode::FieldInvalid);
    assert!(err.to_string().contains("merchantId"), "{err}");
    Notification::parse_for(&merchant, &arrival.body).unwrap();
}

#[test]
fn a_request_whose_source_reads_as_a_notification_is_not_signed() {
    let merchant = md5_merchant();
    // merchantId, requestId, MD5, OrderQuery, 2.0.0, orderId: the requestId
    // carries what a FAILED notification needs after merchantId, and the
    // orderId ends in FAILED.
    let request_id = "P1000000SUCCESSMD5PageNotify2.0.01";
    let params: Params = [("requestId", request_id), ("orderId", "xFAILED")]
        .into_iter()
        .collect();
    let err = merchant
        .sign_request(MessageKind::QueryRequest, &params)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ForgeableSource, "{err}");
    assert!(err.to_string().contains("notify"), "{err}");
    // An ordinary query is signed.
    let params: Params = [("requestId", "R1"), ("orderId", "ORD1")]
        .into_iter()
        .collect();
    merchant
        .sign_request(MessageKind::QueryRequest, &params)
        .unwrap();
}

#[test]
fn more_readings_than_are_listed_can_only_be_settled_by_the_gateway() {
    // Order B ends in two date-times, A = B + a third; A's paid notification
    // re-split to read as paying B has more readings than the search lists
    // (readings::KEEP), and A's is not among those listed: ruling out every
    // listed order id that is not the shop's must not make it unambiguous.
    let merchant = md5_merchant();
    let t = "20261125103055";
    let order_b = format!("ORD{t}{t}");
    let order_a = format!("{order_b}{t}");
    let genuine: Vec<(&str, String)> = [
        ("merchantId", merchant.merchant_id()),
        ("payNo", "201911250005378468"),
        ("returnCode", "000000"),
        ("message", "SUCCESS"),
        ("signType", "MD5"),
        ("type", "OfflineNotify"),
        ("version", "2.0.0"),
        ("amount", "12800"),
        (
            "amtItem",
            "CNY_AMT=12000#CMY_AMT=0#RED_AMT=800#VCH_AMT=0#POT_CHG_AMT=0",
        ),
        ("bankAbbr", "ICBC"),
        ("mobile", "138****8000"),
        ("orderId", &order_a),
        ("payDate", t),
        ("accountDate", "20261125"),
        ("reserved1", "r1"),
        ("reserved2", ""),
        ("status", "SUCCESS"),
        ("orderDate", "20261125"),
        ("fee", "0.12"),
    ]
    .into_iter()
    .map(|(n, v)| (n, v.to_string()))
    .collect();
    let params: Params = genuine.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let hmac = merchant
        .signer()
        .sign_source(&sign::signature_source(MessageKind::Notify, &params))
        .unwrap();
    let mut forged = params.clone();
    forged.set("orderId", &order_b);
    forged.set("payDate", t);
    forged.set("accountDate", &t[..8]);
    forged.set("reserved1", format!("{}20261125r1", &t[8..]));
    forged.set("hmac", &hmac);
    let n = Notification::parse_for(&merchant, form::encode_utf8(&forged).as_bytes()).unwrap();
    assert_eq!((n.order_id(), n.is_paid()), (order_b.as_str(), true));
    assert!(n.other_readings().len() >= readings::KEEP - 1);
    assert!(
        !n.other_order_ids().contains(&order_a.as_str()),
        "A is beyond the list"
    );
    for other in n
        .other_order_ids()
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
    {
        if other != order_a {
            n.rule_out(&other).unwrap();
        }
    }
    assert!(n.is_ambiguous(), "more readings than listed");
    assert_eq!(
        n.check_order(merchant.merchant_id(), &order_b, 12800)
            .unwrap_err()
            .code(),
        ErrorCode::Ambiguous
    );
}
