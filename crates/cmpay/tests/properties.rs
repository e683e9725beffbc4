//! Property tests: sign-then-verify always holds; changing any signed field
//! or the hmac always fails; no parser panics on arbitrary bytes.

use cmpay::sign::{Md5Key, signature_source};
use cmpay::*;
use proptest::prelude::*;

const KEY: &str = "Qm7X2vT9pL4sK8dR1fG6hJ3wZ5cN0bV7yU2iO9aE4tS6mP1qW8xC3kD5lH7jF0gB";

fn verifier() -> Verifier {
    Verifier::Md5(Md5Key::new(KEY).unwrap())
}

/// Values made of the characters that trouble form encodings.
fn value() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 和包测试%&=+#<>:$.\u{00e9}]{0,12}").unwrap()
}

/// A notification of the given values, signed, as it would arrive on the wire.
fn notify_body(values: &[String], hmac: &str) -> String {
    let mut p = Params::new();
    for (field, v) in MessageKind::Notify.fields().iter().zip(values) {
        p.set(field.name, v.clone());
    }
    p.set("hmac", hmac);
    cmpay::form::encode_utf8(&p)
}

fn signed_notify(values: &[String]) -> (String, String) {
    let mut p = Params::new();
    for (field, v) in MessageKind::Notify.fields().iter().zip(values) {
        p.set(field.name, v.clone());
    }
    let hmac = Md5Key::new(KEY)
        .unwrap()
        .sign(&signature_source(MessageKind::Notify, &p));
    (notify_body(values, &hmac), hmac)
}

/// The 19 values of a notification: free text where the table allows any,
/// values of the field's received format elsewhere (`cmpay::received`).
fn notify_values() -> impl Strategy<Value = Vec<String>> {
    let re = |r: &str| proptest::string::string_regex(r).unwrap().boxed();
    MessageKind::Notify
        .fields()
        .iter()
        .map(|f| match f.name {
            "payNo" => re("[0-9A-Za-z]{1,20}"),
            "returnCode" => re("000000|MCG00000"),
            "signType" => re("MD5"),
            "type" => re("OfflineNotify|PageNotify"),
            "version" => re("[0-9]\\.[0-9]\\.[0-9]"),
            "amount" => re("[1-9][0-9]{0,6}"),
            "amtItem" => Just(String::new()).boxed(),
            "bankAbbr" => re("(ICBC|CMB|SPABANK|ZJGRCB)?"),
            "mobile" => re("([0-9]{3}\\*\\*\\*\\*[0-9]{4})?"),
            "payDate" => re("(20261125[01][0-9][0-5][0-9][0-5][0-9])?"),
            "accountDate" | "orderDate" => re("(202611[0-2][1-9])?"),
            "status" => re("SUCCESS|FAILED"),
            "fee" => re("(0|[1-9][0-9]{0,3})(\\.[0-9]{1,2})?"),
            "merchantId" | "orderId" => re("[a-zA-Z0-9 和包测试%&=+#<>:$.\u{00e9}]{1,12}"),
            _ => value().boxed(),
        })
        .collect::<Vec<_>>()
        .prop_map(paid_rules)
}

/// A notification saying SUCCESS carries what the gateway's paid ones do
/// (`received::cross_rule`): message SUCCESS, amtItem, payDate, accountDate
/// and orderDate.
fn paid_rules(mut v: Vec<String>) -> Vec<String> {
    let at = |n: &str| {
        MessageKind::Notify
            .fields()
            .iter()
            .position(|f| f.name == n)
            .unwrap()
    };
    if v[at("status")] == "SUCCESS" {
        v[at("message")] = "SUCCESS".into();
        v[at("amtItem")] = format!(
            "CNY_AMT={}#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0",
            v[at("amount")]
        );
        for (name, value) in [
            ("payDate", "20261125103055"),
            ("accountDate", "20261125"),
            ("orderDate", "20261125"),
        ] {
            if v[at(name)].is_empty() {
                v[at(name)] = value.into();
            }
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_holds(values in notify_values()) {
        let (body, _) = signed_notify(&values);
        let n = Notification::parse(&verifier(), body.as_bytes()).unwrap();
        for (field, v) in MessageKind::Notify.fields().iter().zip(&values) {
            prop_assert_eq!(n.field(field.name), v.as_str());
        }
    }

    #[test]
    fn changing_a_signed_field_fails(values in notify_values(), which in 0usize..19, extra in "[a-z0-9和]{1,3}") {
        prop_assume!(which != 5);
        let (_, hmac) = signed_notify(&values);
        let mut changed = values.clone();
        changed[which].push_str(&extra);
        let body = notify_body(&changed, &hmac);
        let err = Notification::parse(&verifier(), body.as_bytes()).unwrap_err();
        prop_assert_eq!(err.code(), ErrorCode::SignatureMismatch);
    }

    #[test]
    fn changing_the_hmac_fails(values in notify_values(), pos in 0usize..32, digit in 0u8..16) {
        let (_, hmac) = signed_notify(&values);
        let mut bytes = hmac.into_bytes();
        let new = b"0123456789abcdef"[digit as usize];
        prop_assume!(bytes[pos] != new);
        bytes[pos] = new;
        let body = notify_body(&values, &String::from_utf8(bytes).unwrap());
        prop_assert_eq!(Notification::parse(&verifier(), body.as_bytes()).unwrap_err().code(), ErrorCode::SignatureMismatch);
    }

    #[test]
    fn order_requests_sign_then_verify(name in "[a-zA-Z0-9和包测试 ]{1,50}", amount in 1u64..9_999_999_999, cs in 0usize..3) {
        let merchant = Merchant::md5("888009941120001", KEY).unwrap();
        let mut p = Params::new();
        p.set("characterSet", ["00", "01", "02"][cs]).set("callbackUrl", "https://s/r").set("notifyUrl", "https://s/n")
            .set("ipAddress", "10.0.0.1").set("requestId", "R1").set("amount", amount.to_string()).set("orderDate", "20261125")
            .set("orderId", "O1").set("merAcDate", "20261125").set("period", "1").set("periodUnit", "00").set("productName", name.clone());
        let signed = merchant.sign_request(MessageKind::OrderRequest, &p).unwrap();
        merchant.verifier().verify(MessageKind::OrderRequest, &signed.params).unwrap();
        prop_assert_eq!(signed.params.value("productName"), name.as_str());
        prop_assert!(signed.body.is_ascii());
    }

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let v = verifier();
        let _ = cmpay::body::parse(&bytes);
        let _ = cmpay::body::parse_utf8(&bytes);
        let _ = Notification::parse(&v, &bytes);
        let _ = OrderResponse::parse(&v, &bytes);
        let _ = QueryResponse::parse(&v, &bytes);
        let _ = RefundResponse::parse(&v, &bytes);
        let text = String::from_utf8_lossy(&bytes);
        let _ = PayUrl::parse(&text);
        let _ = AmtItem::parse(&text);
        let _ = cmpay::notify::yuan_to_fen(&text);
        let _ = cmpay::keys::load_public_key(&bytes, true);
        let _ = cmpay::keys::load_private_key(&bytes);
    }

    #[test]
    fn form_shaped_input_never_panics(pairs in proptest::collection::vec(("[a-zA-Z%=+]{0,6}", "[a-zA-Z0-9%=+<>:$#&]{0,20}"), 0..25)) {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let body = body.join("&");
        let _ = Notification::parse(&verifier(), body.as_bytes());
        let _ = OrderResponse::parse(&verifier(), body.as_bytes());
    }
}

/// The double-decode retry of protocol.md 5.4: a notification whose Chinese
/// fields arrive percent-encoded twice still verifies, decoded twice.
#[test]
fn double_encoded_notification_verifies() {
    let values: Vec<String> = MessageKind::Notify
        .fields()
        .iter()
        .map(|f| match f.name {
            "type" => "OfflineNotify".to_string(),
            "reserved1" => "自定义 1".to_string(),
            "amount" => "100".to_string(),
            "returnCode" => "000000".to_string(),
            "signType" => "MD5".to_string(),
            "version" => "2.0.0".to_string(),
            "status" => "SUCCESS".to_string(),
            "message" => "SUCCESS".to_string(),
            "amtItem" => "CNY_AMT=100#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0".to_string(),
            "payDate" => "20261125103055".to_string(),
            "accountDate" | "orderDate" => "20261125".to_string(),
            "bankAbbr" | "mobile" | "fee" => String::new(),
            _ => "x".to_string(),
        })
        .collect();
    let (_, hmac) = signed_notify(&values);
    let once = notify_body(&values, &hmac);
    // encode reserved1's value a second time
    let twice = once.replace(
        &format!(
            "reserved1={}",
            form_urlencoded::byte_serialize("自定义 1".as_bytes()).collect::<String>()
        ),
        &format!(
            "reserved1={}",
            form_urlencoded::byte_serialize(
                form_urlencoded::byte_serialize("自定义 1".as_bytes())
                    .collect::<String>()
                    .as_bytes()
            )
            .collect::<String>()
        ),
    );
    assert_ne!(once, twice);
    let n = Notification::parse(&verifier(), twice.as_bytes()).unwrap();
    assert!(n.decoded_twice());
    assert_eq!(n.field("reserved1"), "自定义 1");
    // GBK bytes in a value decode through the GB18030 fallback, and verify.
    let gbk = once.replace(
        &form_urlencoded::byte_serialize("自定义 1".as_bytes()).collect::<String>(),
        &form_urlencoded::byte_serialize(&Charset::Gbk.encode("reserved1", "自定义 1").unwrap())
            .collect::<String>(),
    );
    assert_eq!(
        Notification::parse(&verifier(), gbk.as_bytes())
            .unwrap()
            .field("reserved1"),
        "自定义 1"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// The hand-written percent decoder agrees with the percent-encoding crate.
    #[test]
    fn unescape_agrees_with_percent_encoding(raw in proptest::collection::vec(prop_oneof![Just(b'%'), Just(b'+'), any::<u8>(), 0x30u8..0x47], 0..40)) {
        let plus: Vec<u8> = raw.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
        let theirs: Vec<u8> = percent_encoding::percent_decode(&plus).collect();
        prop_assert_eq!(cmpay::body::unescape(&raw).into_owned(), theirs);
    }
}
