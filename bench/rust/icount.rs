//! Instruction counts for BENCHMARKS.md, repeatable whatever the machine's
//! load: run a mode N times under callgrind and take the difference of two
//! runs (N = 21000 and N = 1000) over 20000:
//!
//!     cargo build --release -p cmpay --example icount
//!     valgrind --tool=callgrind target/release/examples/icount parse 21000
//!
//! Modes: `hmac` (the bare double HMAC-MD5 of the notification source, as the
//! 2011 kits compute it), `parse` (`Notification::parse` of the wire body:
//! split, decode, verify, field formats), `check` (the field-format step
//! alone, `received::accept`, on a parsed notification), `rsa-sign` (SHA1withRSA
//! of the RSA order vector's source with the merchant's 2048-bit test key),
//! `rsa-verify` (a 2048-bit signature of the OfflineNotify source checked with
//! the test gateway's public key, as a notification or an answer is),
//! `readings` (the re-split search alone, `readings::of_received`, on the
//! parsed notification's signed values: what `parse` spends on it). The
//! notification is bench/notification.json's; run from the repository root.

use cmpay::sign::{Md5Key, hmac_md5};
use cmpay::*;
use fixture::Fixture;

mod fixture;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mode, n) = match args.as_slice() {
        [_, mode, n] => (mode.as_str(), n.parse::<usize>().expect("N is a number")),
        _ => {
            eprintln!("usage: icount hmac|parse|check|readings|rsa-sign|rsa-verify N");
            std::process::exit(2);
        }
    };
    let text = std::fs::read_to_string("tests/data/cmpay-vectors.json")
        .expect("run from the repository root");
    let v: serde_json::Value = serde_json::from_str(&text).expect("vectors are JSON");
    let fx = Fixture::load();
    let key = fx.md5_key.as_str();
    let body = fx.body.as_bytes().to_vec();
    let source = fx.source();
    let verifier = Verifier::Md5(Md5Key::new(key).expect("the test key"));
    let parsed = Notification::parse(&verifier, &body)
        .expect("the fixture verifies")
        .params()
        .clone();
    let values: Vec<&str> = MessageKind::Notify
        .fields()
        .iter()
        .map(|f| parsed.value(f.name))
        .collect();
    let key_file =
        |name: &str| std::fs::read(format!("tests/data/test-keys/{name}")).expect("the test keys");
    let rsa_order = v["vectors"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["name"] == "order-request-rsa"))
        .expect("the RSA order vector");
    let rsa_source = rsa_order["source"].as_str().expect("source").to_string();
    let signer = Signer::rsa(
        keys::load_private_key(&key_file("merchant_private_pkcs8.pem")).expect("merchant key"),
    );
    // PKCS#1 v1.5 is deterministic: the driver signs what the vector says.
    assert_eq!(
        signer.sign_source(&rsa_source).expect("signs"),
        rsa_order["hmac"].as_str().expect("hmac")
    );
    let gateway = Signer::rsa(
        keys::load_private_key(&key_file("platform_private_pkcs8.pem")).expect("gateway key"),
    );
    let gateway_hmac = gateway.sign_source(&source).expect("signs");
    let rsa_verifier = Verifier::rsa(
        keys::load_public_key(&key_file("platform_public.pem"), false).expect("gateway key"),
    );
    let mut acc = 0usize;
    for _ in 0..n {
        acc += match mode {
            "hmac" => {
                let inner = hex::encode(hmac_md5(b"", std::hint::black_box(&source).as_bytes()));
                hex::encode(hmac_md5(key.as_bytes(), inner.as_bytes())).len()
            }
            "parse" => Notification::parse(&verifier, std::hint::black_box(&body))
                .map_or(0, |n| n.field("amount").len()),
            "check" => received::accept(MessageKind::Notify, std::hint::black_box(parsed.clone()))
                .map_or(0, |(p, _)| p.len()),
            "readings" => readings::of_received(MessageKind::Notify, std::hint::black_box(&values))
                .others
                .len(),
            "rsa-sign" => signer
                .sign_source(std::hint::black_box(&rsa_source))
                .map_or(0, |h| h.len()),
            "rsa-verify" => rsa_verifier
                .verify_source(std::hint::black_box(&source), &gateway_hmac)
                .map_or(0, |()| 1),
            _ => {
                eprintln!("unknown mode {mode}");
                std::process::exit(2);
            }
        };
    }
    println!("{acc}");
}
