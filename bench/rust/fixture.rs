//! The notification every benchmark parses, read from bench/notification.json
//! (crates/cmpay/tests/bench_fixture.rs holds it to the core's signing order).

// Each bench (its own crate) reads what it needs of it.
#![allow(dead_code)]

/// bench/notification.json: the merchant, its MD5 key, the 19 signed fields in
/// the signing order, and the exact body on the wire.
pub struct Fixture {
    pub merchant_id: String,
    pub md5_key: String,
    pub fields: Vec<(String, String)>,
    pub body: String,
}

impl Fixture {
    pub fn load() -> Fixture {
        let v: serde_json::Value = serde_json::from_str(include_str!("../notification.json"))
            .expect("bench/notification.json is JSON");
        let text = |x: &serde_json::Value| x.as_str().expect("a string").to_string();
        Fixture {
            merchant_id: text(&v["merchant_id"]),
            md5_key: text(&v["md5_key"]),
            fields: v["fields"]
                .as_array()
                .expect("fields")
                .iter()
                .map(|p| (text(&p[0]), text(&p[1])))
                .collect(),
            body: text(&v["body"]),
        }
    }

    /// The signature source: the values joined in the fixture's order.
    pub fn source(&self) -> String {
        self.fields.iter().map(|(_, v)| v.as_str()).collect()
    }
}
