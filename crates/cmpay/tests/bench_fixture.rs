//! bench/notification.json, the notification every benchmark parses and the
//! one place a benchmark takes the notification's signing order from, held to
//! the core: its names in MessageKind::Notify's order, its body verified with
//! its key, the body's fields its fields, and its merchant the body's.

use cmpay::sign::{Md5Key, hmac_md5};
use cmpay::{MessageKind, Notification, Verifier};

fn fixture() -> serde_json::Value {
    serde_json::from_str(include_str!("../../../bench/notification.json"))
        .expect("bench/notification.json is JSON")
}

fn text(v: &serde_json::Value) -> &str {
    v.as_str().expect("a string")
}

fn fields(fx: &serde_json::Value) -> Vec<(&str, &str)> {
    fx["fields"]
        .as_array()
        .expect("fields: an array of [name, value]")
        .iter()
        .map(|p| {
            let p = p.as_array().expect("a [name, value] pair");
            assert_eq!(p.len(), 2, "a [name, value] pair");
            (text(&p[0]), text(&p[1]))
        })
        .collect()
}

#[test]
fn fixture_order_is_the_notification_signing_order() {
    let fx = fixture();
    let names: Vec<&str> = fields(&fx).iter().map(|(n, _)| *n).collect();
    let core: Vec<&str> = MessageKind::Notify
        .fields()
        .iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, core);
}

#[test]
fn fixture_body_verifies_with_its_key_and_carries_its_fields() {
    let fx = fixture();
    let key = text(&fx["md5_key"]);
    let verifier = Verifier::Md5(Md5Key::new(key).expect("a valid MD5 key"));
    let n = Notification::parse(&verifier, text(&fx["body"]).as_bytes())
        .expect("the fixture's body verifies with its key");
    let fields = fields(&fx);
    for (name, value) in &fields {
        assert_eq!(n.field(name), *value, "{name}");
    }
    assert_eq!(n.field("merchantId"), text(&fx["merchant_id"]));
    // The native baselines' computation: the values joined in the fixture's
    // order, double HMAC-MD5, gives the body's hmac.
    let source: String = fields.iter().map(|(_, v)| *v).collect();
    let inner = hex::encode(hmac_md5(b"", source.as_bytes()));
    let mac = hex::encode(hmac_md5(key.as_bytes(), inner.as_bytes()));
    let body = text(&fx["body"]);
    assert!(body.ends_with(&format!("&hmac={mac}")), "{body}");
}
