//! The fuzz targets' bodies, shared by cargo-fuzz (`fuzz/fuzz_targets/*.rs`,
//! nightly) and the stable runner that CI runs (`tests/fuzz.rs`): both call
//! exactly these functions. Each takes arbitrary bytes, must never panic,
//! and checks what must hold whatever the input.
#![allow(dead_code)]

use cmpay::fields::MessageKind;
use cmpay::sign::{Md5Key, signature_source};
use cmpay::*;

/// The test vectors' made-up signKey.
pub const KEY: &str = "Qm7X2vT9pL4sK8dR1fG6hJ3wZ5cN0bV7yU2iO9aE4tS6mP1qW8xC3kD5lH7jF0gB";

fn verifier() -> Verifier {
    Verifier::Md5(Md5Key::new(KEY).expect("the test key loads"))
}

/// The form parser: a received body, and caller parameters as a form.
pub fn form(data: &[u8]) {
    if let Ok(p) = form::parse(data) {
        assert!(p.len() <= form::MAX_PAIRS);
        // Written out and read again, the same pairs (names encoded too).
        let again = form::parse(form::encode_utf8(&p).as_bytes());
        if !p.is_empty() {
            assert_eq!(again.expect("re-encoded form parses"), p);
        }
    }
    let _ = form::parse_utf8(data);
}

/// A notification as it arrives: parse and verify. Whatever verifies has
/// every field in its format and reports signed fields only.
pub fn notify(data: &[u8]) {
    if let Ok(n) = Notification::parse(&verifier(), data) {
        check_notification(&n);
    }
}

/// A notification whose signature holds: the fuzzer's bytes are the values
/// (split at NUL), signed with the test key, so the checks after the
/// signature are what gets exercised (a moved boundary is exactly this).
pub fn notify_signed(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut p = Params::new();
    for (field, value) in MessageKind::Notify.fields().iter().zip(text.split('\0')) {
        p.set(field.name, value);
    }
    let hmac = Md5Key::new(KEY)
        .expect("the test key loads")
        .sign(&signature_source(MessageKind::Notify, &p));
    p.set("hmac", hmac);
    let body = form::encode_utf8(&p);
    match Notification::parse(&verifier(), body.as_bytes()) {
        Ok(n) => check_notification(&n),
        Err(e) => assert_ne!(e.code(), ErrorCode::SignatureMismatch, "{e}: {body}"),
    }
}

fn check_notification(n: &Notification) {
    received::check(MessageKind::Notify, n.params())
        .expect("a parsed notification has its formats");
    for (name, _) in n.params().iter() {
        assert!(
            MessageKind::Notify.field(name).is_some() || name == "hmac" || name == "serverCert",
            "unsigned {name} reported as a field"
        );
    }
    let amount = n.amount().expect("a checked amount parses");
    if let Ok(item) = n.amt_item()
        && !n.field("amtItem").is_empty()
    {
        assert_eq!(item.total(), amount);
    }
    let _ = n.fee_fen().expect("a checked fee parses");
    if n.is_paid() {
        assert_eq!(n.field("status"), "SUCCESS");
    }
    let _ = n.check_order(n.merchant_id(), n.order_id(), amount);
}

/// Each answer parser.
pub fn answers(data: &[u8]) {
    let v = verifier();
    let _ = OrderResponse::parse(&v, data);
    if let Ok(q) = QueryResponse::parse(&v, data) {
        received::check(MessageKind::QueryResponse, &q.params).expect("formats");
        let _ = q.amount().expect("a checked amount parses");
    }
    if let Ok(r) = RefundResponse::parse(&v, data) {
        received::check(MessageKind::RefundResponse, &r.params).expect("formats");
    }
}

/// The payUrl token, and the two ways of sending the browser on with it.
pub fn payurl(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(p) = PayUrl::parse(text)
    {
        let _ = p.redirect_url();
        let form = p.html_form();
        assert!(!form.contains("<script"), "{form}");
    }
}

/// RSA key loading in every accepted form.
pub fn keys(data: &[u8]) {
    let _ = keys::load_private_key(data);
    let _ = keys::load_public_key(data, false);
    let _ = keys::load_public_key(data, true);
}

/// Bulk parameters through the C ABI's own entry point (NUL-terminated pairs
/// or a form body), as every binding sends them.
pub fn bulk(data: &[u8]) {
    use std::ptr;
    let mut m = ptr::null_mut();
    let id = c"888009941120001";
    let key = std::ffi::CString::new(KEY).expect("no NUL in the key");
    // SAFETY: valid C strings and out pointers; the handle and string are freed below.
    unsafe {
        assert_eq!(
            ffi::cmpay_merchant_new_md5(id.as_ptr(), key.as_ptr(), &mut m),
            ffi::cmpay_status::CMPAY_OK
        );
        let mut out = ptr::null_mut();
        let _ =
            ffi::cmpay_merchant_hmac(m, c"notify".as_ptr(), data.as_ptr(), data.len(), &mut out);
        ffi::cmpay_string_free(out);
        ffi::cmpay_merchant_free(m);
    }
    let _ = form::parse_nul_pairs(data);
}

/// A fuzz target: its name and the function that takes one input.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, by the name of its fuzz/fuzz_targets file and corpus folder.
pub const ALL: &[Target] = &[
    ("form", form),
    ("notify", notify),
    ("notify_signed", notify_signed),
    ("answers", answers),
    ("payurl", payurl),
    ("keys", keys),
    ("bulk", bulk),
];
