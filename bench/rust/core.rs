//! The protocol core's hot paths, each next to its baseline in the same run:
//! `cargo bench -p cmpay --bench core` (built by crates/cmpay/Cargo.toml). The
//! notification is bench/notification.json's.

use cmpay::sign::{hmac_md5, signature_source};
use cmpay::*;
use criterion::{Criterion, criterion_group, criterion_main};
use fixture::Fixture;
use std::hint::black_box;

mod fixture;

fn vectors() -> serde_json::Value {
    serde_json::from_str(include_str!("../../tests/data/cmpay-vectors.json")).unwrap()
}

fn vector(name: &str) -> serde_json::Value {
    vectors()["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap()
        .clone()
}

fn params(v: &serde_json::Value) -> Params {
    v["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

fn key_file(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/data/test-keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The naive double HMAC-MD5 of the demo kits, keyed afresh each time.
fn bare_double_hmac(key: &str, source: &str) -> String {
    let inner = hex::encode(hmac_md5(b"", source.as_bytes()));
    hex::encode(hmac_md5(key.as_bytes(), inner.as_bytes()))
}

fn md5(c: &mut Criterion) {
    let fx = Fixture::load();
    let key = fx.md5_key.as_str();
    let merchant = Merchant::md5(&fx.merchant_id, key).unwrap();
    let order = vector("order-request-md5-charset00");
    let p = params(&order);
    let source = order["source"].as_str().unwrap().to_string();
    let mut g = c.benchmark_group("md5");
    g.bench_function("baseline: bare double HMAC-MD5 of the order source", |b| {
        b.iter(|| bare_double_hmac(key, black_box(&source)))
    });
    g.bench_function("order build+validate+sign+encode (GBK)", |b| {
        b.iter(|| {
            merchant
                .sign_request(MessageKind::OrderRequest, black_box(&p))
                .unwrap()
        })
    });
    g.bench_function("order signature only (source + hmac)", |b| {
        b.iter(|| {
            merchant
                .signer()
                .sign(MessageKind::OrderRequest, black_box(&p))
                .unwrap()
        })
    });
    let body = fx.body.as_bytes().to_vec();
    let nsource = fx.source();
    g.bench_function(
        "baseline: bare double HMAC-MD5 of the notification source",
        |b| b.iter(|| bare_double_hmac(key, black_box(&nsource))),
    );
    g.bench_function("notification parse+verify", |b| {
        b.iter(|| Notification::parse(merchant.verifier(), black_box(&body)).unwrap())
    });
    // The part of the parse that looks for other readings (docs/resplit.md).
    let parsed = Notification::parse(merchant.verifier(), &body).unwrap();
    let values: Vec<&str> = MessageKind::Notify
        .fields()
        .iter()
        .map(|f| parsed.field(f.name))
        .collect();
    g.bench_function("notification other readings (readings::of_received)", |b| {
        b.iter(|| cmpay::readings::of_received(MessageKind::Notify, black_box(&values)))
    });
    g.finish();
}

fn rsa(c: &mut Criterion) {
    let order = vector("order-request-rsa");
    let source = order["source"].as_str().unwrap().to_string();
    let hmac = order["hmac"].as_str().unwrap().to_string();
    let signer = Signer::rsa(
        cmpay::keys::load_private_key(&key_file("merchant_private_pkcs8.pem")).unwrap(),
    );
    let verifier = Verifier::rsa(
        cmpay::keys::load_public_key(&key_file("merchant_public.pem"), false).unwrap(),
    );
    assert_eq!(
        signature_source(MessageKind::OrderRequest, &params(&order)),
        source
    );
    let mut g = c.benchmark_group("rsa2048");
    g.sample_size(20);
    g.bench_function("sign (SHA1withRSA)", |b| {
        b.iter(|| signer.sign_source(black_box(&source)).unwrap())
    });
    g.bench_function("verify", |b| {
        b.iter(|| {
            verifier
                .verify_source(black_box(&source), black_box(&hmac))
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, md5, rsa);
criterion_main!(benches);
