//! The core functions the CLI, the C ABI and the simulator share:
//! each checked against an independent computation, not against itself.

use cmpay::body;
use cmpay::fields::MessageKind;
use cmpay::sign::{Md5Key, hmac_md5};
use cmpay::{Error, Params, Signer, Verifier, dates, form, money};

fn md5_key() -> Md5Key {
    Md5Key::new("k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-").unwrap()
}

#[test]
fn every_request_has_its_answer_and_nothing_else_has_one() {
    use MessageKind::*;
    let pairs: Vec<_> = MessageKind::ALL
        .into_iter()
        .filter_map(|k| k.answer().map(|a| (k, a)))
        .collect();
    assert_eq!(
        pairs,
        vec![
            (OrderRequest, OrderResponse),
            (QueryRequest, QueryResponse),
            (RefundRequest, RefundResponse)
        ]
    );
    for k in MessageKind::ALL {
        assert_eq!(k.answer().is_some(), k.is_request(), "{k:?}");
    }
    assert_eq!(
        MessageKind::request_of_type("OrderQuery"),
        Some(QueryRequest)
    );
    assert_eq!(
        MessageKind::request_of_type("OrderRefund"),
        Some(RefundRequest)
    );
    assert_eq!(
        MessageKind::request_of_type("DirectPayConfirm"),
        Some(OrderRequest)
    );
    assert_eq!(MessageKind::request_of_type("orderquery"), None);
    assert_eq!(MessageKind::request_of_type(""), None);
}

#[test]
fn the_md5_hmac_is_the_documented_construction() {
    let key = md5_key();
    let inner = hex::encode(hmac_md5(b"", "abc\u{548c}".as_bytes()));
    assert_eq!(
        key.sign("abc\u{548c}"),
        hex::encode(hmac_md5(
            b"k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-",
            inner.as_bytes()
        ))
    );
}

#[test]
fn verify_bytes_takes_sources_that_are_not_utf8() {
    let key = md5_key();
    let gbk = [0xBA, 0xCD, b'1'];
    let inner = hex::encode(hmac_md5(b"", &gbk));
    let hmac = hex::encode(hmac_md5(
        b"k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-",
        inner.as_bytes(),
    ));
    let v = Verifier::Md5(key);
    v.verify_bytes(&gbk, &hmac).unwrap();
    v.verify_bytes(&gbk, &hmac.to_uppercase()).unwrap();
    assert!(matches!(
        v.verify_bytes(&[0xBA, 0xCD, b'2'], &hmac),
        Err(Error::SignatureMismatch(_))
    ));
}

#[test]
fn sign_exact_signs_what_is_given_and_refuses_unknown_names() {
    let signer = Signer::Md5(md5_key());
    let params: Params = [
        ("merchantId", "888009941120001"),
        ("requestId", "R1"),
        ("signType", "MD5"),
        ("type", "OrderQuery"),
        ("version", "2.0.0"),
        ("orderId", "O1"),
        ("hmac", "ignored"),
    ]
    .into_iter()
    .collect();
    let hmac = signer
        .sign_exact(MessageKind::QueryRequest, &params)
        .unwrap();
    // Table order, values joined: nothing filled in, hmac left out.
    assert_eq!(
        hmac,
        md5_key().sign("888009941120001R1MD5OrderQuery2.0.0O1")
    );

    let mut misspelt = params.clone();
    misspelt.set("orderID", "O1");
    let e = signer
        .sign_exact(MessageKind::QueryRequest, &misspelt)
        .unwrap_err();
    assert!(
        matches!(&e, Error::InvalidArgument(m) if m.starts_with("orderID is not a field of query-request")),
        "{e:?}"
    );
}

#[test]
fn money_is_exact() {
    assert_eq!(money::yuan(1), "0.01");
    assert_eq!(money::yuan(123_456), "1234.56");
    for fen in [0u64, 1, 10, 99, 100, 101, 123_456, 9_999_999_999] {
        assert_eq!(money::yuan_to_fen(&money::yuan(fen)).unwrap(), fen);
    }
    for bad in ["", ".5", "1.", "1.234", "-1", "+1", "1e2", "0x10", " 1"] {
        assert!(money::yuan_to_fen(bad).is_err(), "{bad:?}");
    }
    // The old path still works for callers of notify::yuan_to_fen.
    assert_eq!(cmpay::notify::yuan_to_fen("0.12").unwrap(), 12);
}

#[test]
fn dates_count_days_right_across_leap_rules() {
    // 2000 is a leap year (divisible by 400), 2100 is not.
    assert_eq!(dates::datetime(951_782_400), "20000229000000");
    assert_eq!(dates::datetime(4_107_456_000), "21000228000000");
    assert_eq!(dates::datetime(4_107_542_399), "21000228235959");
    assert_eq!(dates::datetime(4_107_542_400), "21000301000000");
    // China time is UTC+8: 16:00 UTC on the last day of 2026 is the next day there.
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_798_732_800);
    assert_eq!(dates::china_datetime(at), "20270101000000");
    assert_eq!(dates::china_date(at), "20270101");
    let before = std::time::UNIX_EPOCH - std::time::Duration::from_secs(1);
    assert_eq!(dates::china_datetime(before), "19700101080000");
}

#[test]
fn line_ends_and_escapes() {
    assert_eq!(body::trim_line_end(b"a=1\r\n\n"), b"a=1");
    assert_eq!(body::trim_line_end(b"a=1\r\nb"), b"a=1\r\nb");
    assert!(body::has_percent_escape("x%2Fy"));
    assert!(!body::has_percent_escape("100%"));
    assert!(!body::has_percent_escape("%G0"));
}

#[test]
fn a_request_needs_a_request_id_which_the_client_makes() {
    let m = cmpay::Merchant::md5(
        "888009941120001",
        "k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-",
    )
    .unwrap();
    let mut params: Params = [("orderId", "O1")].into_iter().collect();
    match m.sign_request(MessageKind::QueryRequest, &params) {
        Err(Error::Field { field, .. }) => assert_eq!(field, "requestId"),
        other => panic!("signed without a requestId: {other:?}"),
    }
    let (a, b) = (cmpay::new_request_id(), cmpay::new_request_id());
    assert!(a.len() <= 36 && !a.contains("000000"), "{a}");
    assert_ne!(a, b, "fresh each time");
    params.set("requestId", &a);
    let signed = m.sign_request(MessageKind::QueryRequest, &params).unwrap();
    assert_eq!(signed.params.value("requestId"), a);
}

#[test]
fn verify_message_judges_each_kind_as_its_receiver_does() {
    let m = cmpay::Merchant::md5(
        "888009941120001",
        "k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-tests-k3y-for-",
    )
    .unwrap();
    let signed = m
        .sign_request(
            MessageKind::QueryRequest,
            &[("requestId", "R1"), ("orderId", "O1")]
                .into_iter()
                .collect(),
        )
        .unwrap();
    let (params, decoding) = cmpay::verify_message(
        m.verifier(),
        MessageKind::QueryRequest,
        signed.body.as_bytes(),
    )
    .unwrap();
    assert_eq!((params.value("orderId"), decoding), ("O1", None));

    // A notification whose signature holds but whose type is no notification
    // type: refused as Notification::parse refuses it.
    let signer = Signer::Md5(md5_key());
    let mut notify: Params = [("merchantId", "888009941120001"), ("type", "OrderQuery")]
        .into_iter()
        .collect();
    let hmac = signer.sign_exact(MessageKind::Notify, &notify).unwrap();
    notify.set("hmac", hmac);
    let body = form::encode_utf8(&notify);
    assert!(
        Verifier::Md5(md5_key())
            .verify(MessageKind::Notify, &notify)
            .is_ok()
    );
    let e = cmpay::verify_message(m.verifier(), MessageKind::Notify, body.as_bytes()).unwrap_err();
    // A Parse (or, with stricter field checks, Field) error from the
    // notification's own checks, never a signature error: the hmac held.
    assert!(matches!(&e, Error::Parse(_) | Error::Field { .. }), "{e:?}");
}
