//! Attacks on received messages (docs/resplit.md): the gateway signs its values
//! joined with no separator, so a signed message can be re-split at a field
//! boundary without breaking its hmac. Each test signs a genuine message with
//! the test key, moves one boundary as an attacker would, and checks that
//! the library refuses it after the signature held (FIELD_INVALID, naming
//! the field), while the genuine message still parses.

use cmpay::body;
use cmpay::sign::{Md5Key, signature_source};
use cmpay::*;

const KEY: &str = "Qm7X2vT9pL4sK8dR1fG6hJ3wZ5cN0bV7yU2iO9aE4tS6mP1qW8xC3kD5lH7jF0gB";
const MERCHANT: &str = "888009941120001";

fn verifier() -> Verifier {
    Verifier::Md5(Md5Key::new(KEY).unwrap())
}

/// A genuine notification's fields (table order), FAILED unless changed.
fn genuine() -> Vec<(&'static str, String)> {
    [
        ("merchantId", MERCHANT),
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
        ("orderId", "1234"),
        ("payDate", "20261130103055"),
        ("accountDate", "20261130"),
        ("reserved1", ""),
        ("reserved2", "buyer note: SUCCESS"),
        ("status", "FAILED"),
        ("orderDate", "20261130"),
        ("fee", "0.12"),
    ]
    .into_iter()
    .map(|(n, v)| (n, v.to_string()))
    .collect()
}

fn set(fields: &mut [(&'static str, String)], name: &str, value: &str) {
    fields.iter_mut().find(|(n, _)| *n == name).unwrap().1 = value.to_string();
}

fn params(fields: &[(&'static str, String)]) -> Params {
    fields.iter().map(|(n, v)| (*n, v.as_str())).collect()
}

/// The hmac the gateway would put on these fields for `kind`.
fn hmac(kind: MessageKind, fields: &[(&'static str, String)]) -> String {
    Md5Key::new(KEY)
        .unwrap()
        .sign(&signature_source(kind, &params(fields)))
}

/// A wire body of `fields` carrying `hmac`.
fn body(fields: &[(&'static str, String)], hmac: &str) -> String {
    let mut p = params(fields);
    p.set("hmac", hmac);
    form::encode_utf8(&p)
}

/// Moves the boundary between two adjacent fields and checks the hmac still
/// covers the result (the precondition of every attack below).
fn resplit(
    kind: MessageKind,
    fields: &[(&'static str, String)],
    changes: &[(&str, &str)],
) -> (Vec<(&'static str, String)>, String) {
    let h = hmac(kind, fields);
    let mut moved = fields.to_vec();
    for (name, value) in changes {
        set(&mut moved, name, value);
    }
    assert_eq!(
        signature_source(kind, &params(fields)),
        signature_source(kind, &params(&moved)),
        "the re-split must keep the signature source"
    );
    (moved, h)
}

/// The error the re-split body (`resplit`) is refused with, parsed as `kind`.
fn resplit_refused(
    kind: MessageKind,
    fields: &[(&'static str, String)],
    changes: &[(&str, &str)],
) -> Error {
    let (moved, h) = resplit(kind, fields, changes);
    let wire = body(&moved, &h);
    let parsed = match kind {
        MessageKind::Notify => Notification::parse(&verifier(), wire.as_bytes()).map(drop),
        MessageKind::QueryResponse => QueryResponse::parse(&verifier(), wire.as_bytes()).map(drop),
        other => panic!("no re-split test parses {other:?}"),
    };
    parsed.expect_err("a re-split body was accepted")
}

fn refused_field(err: Error) -> String {
    assert_eq!(err.code(), ErrorCode::FieldInvalid, "{err}");
    match err {
        Error::Field { field, .. } => field,
        other => panic!("{other}"),
    }
}

#[test]
fn the_genuine_failed_notification_parses_and_is_not_paid() {
    let fields = genuine();
    let n = Notification::parse(
        &verifier(),
        body(&fields, &hmac(MessageKind::Notify, &fields)).as_bytes(),
    )
    .unwrap();
    assert!(!n.is_paid());
    assert_eq!(n.field("status"), "FAILED");
    assert_eq!(n.field("reserved2"), "buyer note: SUCCESS");
}

#[test]
fn a_failed_notification_resplit_as_paid_is_refused() {
    let err = resplit_refused(
        MessageKind::Notify,
        &genuine(),
        &[
            ("reserved2", "buyer note: "),
            ("status", "SUCCESS"),
            ("orderDate", "FAILED20261130"),
        ],
    );
    let text = err.to_string();
    assert_eq!(refused_field(err), "orderDate");
    assert!(text.contains("FAILED20261130"), "{text}");

    // With orderDate and fee empty, FAILED has nowhere to go but status.
    let mut fields = genuine();
    set(&mut fields, "orderDate", "");
    set(&mut fields, "fee", "");
    let err = resplit_refused(
        MessageKind::Notify,
        &fields,
        &[("reserved2", "buyer note: "), ("status", "SUCCESSFAILED")],
    );
    assert_eq!(refused_field(err), "status");
    // ... or fee.
    let mut fields = genuine();
    set(&mut fields, "orderDate", "");
    let err = resplit_refused(
        MessageKind::Notify,
        &fields,
        &[
            ("reserved2", "buyer note: "),
            ("status", "SUCCESS"),
            ("fee", "FAILED0.12"),
        ],
    );
    assert_eq!(refused_field(err), "fee");
}

#[test]
fn order_id_cannot_take_digits_of_pay_date_or_mobile() {
    let mut fields = genuine();
    set(&mut fields, "status", "SUCCESS");
    set(&mut fields, "payDate", "20240101120000");
    let err = resplit_refused(
        MessageKind::Notify,
        &fields,
        &[("orderId", "12342"), ("payDate", "0240101120000")],
    );
    assert_eq!(refused_field(err), "payDate");

    let err = resplit_refused(
        MessageKind::Notify,
        &fields,
        &[("mobile", "138****800"), ("orderId", "01234")],
    );
    assert_eq!(refused_field(err), "mobile");

    // The genuine paid one passes check_order for its own order only, once
    // the other readings (orderIds taking bankAbbr and mobile: docs/resplit.md)
    // are ruled out as no order of the shop's.
    let n = Notification::parse(
        &verifier(),
        body(&fields, &hmac(MessageKind::Notify, &fields)).as_bytes(),
    )
    .unwrap();
    assert_eq!(
        n.other_order_ids(),
        ["138****80001234", "ICBC138****80001234"]
    );
    assert_eq!(
        n.check_order(MERCHANT, "1234", 12800).unwrap_err().code(),
        ErrorCode::Ambiguous
    );
    for id in ["138****80001234", "ICBC138****80001234"] {
        n.rule_out(id).unwrap();
    }
    n.check_order(MERCHANT, "1234", 12800).unwrap();
    assert!(n.check_order(MERCHANT, "12342", 12800).is_err());
}

#[test]
fn version_and_amount_cannot_trade_characters() {
    let mut fields = genuine();
    set(&mut fields, "status", "SUCCESS");
    for (version, amount, amt_item) in [
        ("2.0.", "012800", None),
        ("2.0.01", "2800", None),
        ("2.0.01", "2800", Some("")),
    ] {
        let mut base = fields.clone();
        if let Some(a) = amt_item {
            set(&mut base, "amtItem", a);
        }
        let err = resplit_refused(
            MessageKind::Notify,
            &base,
            &[("version", version), ("amount", amount)],
        );
        assert_eq!(refused_field(err), "version");
    }
    // amount and amtItem: the parts must add up to the amount.
    let err = resplit_refused(
        MessageKind::Notify,
        &fields,
        &[
            (
                "amtItem",
                "CNY_AMT=12000#CMY_AMT=0#RED_AMT=800#VCH_AMT=0#POT_CHG_AMT=0I",
            ),
            ("bankAbbr", "CBC"),
        ],
    );
    assert_eq!(refused_field(err), "amtItem");
    let mut fields2 = fields.clone();
    set(&mut fields2, "amtItem", "CNY_AMT=12800");
    set(&mut fields2, "bankAbbr", "");
    set(&mut fields2, "mobile", "");
    set(&mut fields2, "orderId", "5ORD");
    let err = resplit_refused(
        MessageKind::Notify,
        &fields2,
        &[("amtItem", "CNY_AMT=128005"), ("orderId", "ORD")],
    );
    assert_eq!(refused_field(err), "amtItem");
}

#[test]
fn a_notification_presented_as_a_query_answer_is_refused() {
    // Without accountDate a notification's source is a query answer's source.
    let mut fields = genuine();
    set(&mut fields, "status", "SUCCESS");
    set(&mut fields, "accountDate", "");
    let h = hmac(MessageKind::Notify, &fields);
    let without: Vec<_> = fields
        .iter()
        .filter(|(n, _)| *n != "accountDate")
        .cloned()
        .collect();
    assert_eq!(h, hmac(MessageKind::QueryResponse, &without));
    let err = QueryResponse::parse(&verifier(), body(&without, &h).as_bytes()).unwrap_err();
    assert_eq!(refused_field(err), "type");
    // A refund answer is no query answer either, and the other way round.
    let refund: Vec<(&'static str, String)> = [
        ("merchantId", MERCHANT),
        ("payNo", "201911250005383897"),
        ("returnCode", "000000"),
        ("message", "SUCCESS"),
        ("signType", "MD5"),
        ("type", "OrderQuery"),
        ("version", "2.0.0"),
        ("amount", "12800"),
        ("orderId", "ORD1"),
        ("status", "SUCCESS"),
    ]
    .into_iter()
    .map(|(n, v)| (n, v.to_string()))
    .collect();
    let h = hmac(MessageKind::RefundResponse, &refund);
    let err = RefundResponse::parse(&verifier(), body(&refund, &h).as_bytes()).unwrap_err();
    assert_eq!(refused_field(err), "type");
}

#[test]
fn an_unsigned_extra_pair_is_never_reported_as_a_field() {
    let mut fields = genuine();
    set(&mut fields, "status", "SUCCESS");
    let h = hmac(MessageKind::Notify, &fields);
    // `order%2549d` decodes once to the name `order%49d`; written back out
    // unencoded it would read as a second orderId.
    let wire = format!("{}&order%2549d=ORD-OTHER", body(&fields, &h));
    let n = Notification::parse(&verifier(), wire.as_bytes()).unwrap();
    assert_eq!(n.field("orderId"), "1234");
    assert_eq!(n.field("order%49d"), "");
    assert!(n.params().iter().all(|(name, _)| name != "order%49d"));
    assert_eq!(n.unsigned_fields().get("order%49d"), Some("ORD-OTHER"));
    // Written out again (as the C ABI's fields() does), names stay themselves.
    let out = form::encode_utf8(n.unsigned_fields());
    assert_eq!(out, "order%2549d=ORD-OTHER");
    let reread = body::parse(form::encode_utf8(n.params()).as_bytes()).unwrap();
    assert_eq!(reread.get("orderId"), Some("1234"));
    assert_eq!(reread.len(), n.params().len());
}

#[test]
fn received_amounts_parse_strictly_everywhere() {
    for bad in ["+12800", " 12800", "012800", "12800 ", "1e4"] {
        let mut fields = genuine();
        set(&mut fields, "amount", bad);
        set(&mut fields, "amtItem", "");
        let h = hmac(MessageKind::Notify, &fields);
        let err = Notification::parse(&verifier(), body(&fields, &h).as_bytes()).unwrap_err();
        assert_eq!(refused_field(err), "amount", "{bad}");
    }
    assert!(AmtItem::parse("CNY_AMT=+1").is_err());
    assert!(AmtItem::parse("CNY_AMT= 1").is_err());
    assert!(AmtItem::parse("CNY_AMT=01").is_err());
    assert_eq!(AmtItem::parse("CNY_AMT=1").unwrap().cash, 1);
}

/// A genuine FAILED query answer's fields (table order, payType included).
fn failed_query_answer() -> Vec<(&'static str, String)> {
    [
        ("merchantId", MERCHANT),
        ("payNo", "201911250005378468"),
        ("returnCode", "000000"),
        ("message", "SUCCESS"),
        ("signType", "MD5"),
        ("type", "OrderQuery"),
        ("version", "2.0.0"),
        ("amount", "12800"),
        ("amtItem", ""),
        ("bankAbbr", ""),
        ("mobile", ""),
        ("orderId", "ORD1"),
        ("payDate", "20261125103055"),
        ("reserved1", ""),
        ("reserved2", ""),
        ("status", "FAILED"),
        ("payType", ""),
        ("orderDate", "20261125"),
        ("fee", "0"),
    ]
    .into_iter()
    .map(|(n, v)| (n, v.to_string()))
    .collect()
}

#[test]
fn answers_resplit_at_their_boundaries_are_refused() {
    // Query answer: version/amount.
    let mut query = failed_query_answer();
    set(&mut query, "reserved2", "SUCCESS");
    let h = hmac(MessageKind::QueryResponse, &query);
    let q = QueryResponse::parse(&verifier(), body(&query, &h).as_bytes()).unwrap();
    assert_eq!(q.status(), OrderStatus::Failed);
    let err = resplit_refused(
        MessageKind::QueryResponse,
        &query,
        &[
            ("reserved2", ""),
            ("status", "SUCCESS"),
            ("orderDate", "FAILED20261125"),
        ],
    );
    assert_eq!(refused_field(err), "orderDate");
    let err = resplit_refused(
        MessageKind::QueryResponse,
        &query,
        &[("version", "2.0."), ("amount", "012800")],
    );
    assert_eq!(refused_field(err), "version");
}

#[test]
fn a_failed_query_answer_cannot_move_its_status_into_pay_type() {
    // The optional payType follows status (protocol.md §8): shopper text
    // ending in SUCCESS, then FAILED, could re-split as status SUCCESS and
    // payType FAILED (or FAILEDCASH) with the same hmac.
    for pay_type in ["", "CASH"] {
        let mut query = failed_query_answer();
        set(&mut query, "reserved2", "note SUCCESS");
        set(&mut query, "payType", pay_type);
        let h = hmac(MessageKind::QueryResponse, &query);
        let q = QueryResponse::parse(&verifier(), body(&query, &h).as_bytes()).unwrap();
        assert_eq!(q.status(), OrderStatus::Failed);
        let moved_pay_type = format!("FAILED{pay_type}");
        let err = resplit_refused(
            MessageKind::QueryResponse,
            &query,
            &[
                ("reserved2", "note "),
                ("status", "SUCCESS"),
                ("payType", &moved_pay_type),
            ],
        );
        assert_eq!(refused_field(err), "payType", "payType {pay_type:?}");
        // A genuine paid answer with a payType still reads as paid.
        set(&mut query, "reserved2", "note");
        set(&mut query, "status", "SUCCESS");
        let h = hmac(MessageKind::QueryResponse, &query);
        let q = QueryResponse::parse(&verifier(), body(&query, &h).as_bytes()).unwrap();
        assert_eq!(q.status(), OrderStatus::Paid);
    }
}

/// Four-letter names, `name=&`: 6 bytes a pair; 10,922 of them fill 64 KiB.
fn many_names(count: usize) -> Vec<u8> {
    let mut body = Vec::new();
    for i in 0..count {
        let mut n = i;
        for _ in 0..4 {
            body.push(b'a' + (n % 26) as u8);
            n /= 26;
        }
        body.extend_from_slice(b"=&");
    }
    body
}

#[test]
fn a_body_of_many_names_costs_bounded_work() {
    let body = many_names(10_922);
    assert!(body.len() <= body::MAX_BODY);
    let before = cmpay::body::name_comparisons();
    let err = Notification::parse(&verifier(), &body).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Parse, "{err}");
    assert!(err.to_string().contains("more than 256"), "{err}");
    // Just under the cap, every decoding of §8 is tried (none verifies):
    // the duplicate checks stay linear, a few thousand comparisons at most.
    let body = many_names(body::MAX_PAIRS);
    let err = Notification::parse(&verifier(), &body).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignatureMismatch, "{err}");
    let spent = cmpay::body::name_comparisons() - before;
    assert!(spent <= 4 * 32 * 32, "{spent} name comparisons");
    let err = QueryResponse::parse(&verifier(), &many_names(10_922)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Parse, "{err}");
}

#[test]
fn an_undecodable_unsigned_pair_does_not_fail_a_genuine_notification() {
    // One stray pair outside the signature whose bytes are
    // text under no decoding made the genuine notification fail, with an
    // error naming a characterSet a notification does not have.
    let fields = genuine();
    let wire = body(&fields, &hmac(MessageKind::Notify, &fields));
    for (extra, kept) in [
        (&b"&extra=%FF%FE"[..], "%FF%FE"),
        (&b"&extra=\xff\xfe"[..], "%FF%FE"),
    ] {
        let mut with = wire.clone().into_bytes();
        with.extend_from_slice(extra);
        let n = Notification::parse(&verifier(), &with).unwrap();
        assert_eq!(n.unsigned_fields().value("extra"), kept);
        assert_eq!(n.field("extra"), "");
        assert_eq!(n.order_id(), "1234");
    }
    // A signed field that is text under no decoding is still refused, and
    // the error names the decodings, not a characterSet.
    let bad = wire.replace("reserved2=buyer", "reserved2=%FF%FEbuyer");
    let err = Notification::parse(&verifier(), bad.as_bytes()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Parse, "{err}");
    assert!(err.to_string().contains("reserved2"), "{err}");
    assert!(
        err.to_string().contains("no decoding of protocol.md §8"),
        "{err}"
    );
    assert!(!err.to_string().contains("characterSet"), "{err}");
}
