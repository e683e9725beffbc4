//! The `cmpay` command, run as a separate process: sign, verify, explain and
//! codes against the shared vectors (tests/data/cmpay-vectors.json).

use cmpay::body;
use cmpay::sign::Md5Key;
use cmpay::{Merchant, MessageKind, Params, form};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cmpay");

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: &[u8]) -> Out {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cmpay runs");
    {
        let mut input = child.stdin.take().unwrap();
        // The command may exit before reading (usage errors): ignore EPIPE.
        let _ = input.write_all(stdin);
    }
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn vectors() -> Value {
    serde_json::from_str(include_str!("../../../tests/data/cmpay-vectors.json")).unwrap()
}

fn key() -> String {
    vectors()["md5_key"].as_str().unwrap().to_string()
}

/// The shared vector of `kind` named `name`.
fn vector(kind: &str, name: &str) -> Value {
    each(kind)
        .into_iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} vector named {name}"))
}

fn each(kind: &str) -> Vec<Value> {
    let all: Vec<Value> = vectors()["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["kind"] == kind)
        .cloned()
        .collect();
    assert!(!all.is_empty(), "no vectors of kind {kind}");
    all
}

fn s<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("{} has no {name}", v["name"]))
}

fn params_of(v: &Value, member: &str) -> Params {
    v[member]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

fn key_path(name: &str) -> String {
    format!(
        "{}/../../tests/data/test-keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn md5(args: &[&str]) -> Vec<String> {
    let mut v = vec![args[0].to_string(), "--key".to_string(), key()];
    v.extend(args[1..].iter().map(|a| a.to_string()));
    v
}

fn run_md5(args: &[&str], stdin: &[u8]) -> Out {
    let owned = md5(args);
    let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
    run(&refs, stdin)
}

/// The body of a received message: its fields as a UTF-8 form, then hmac.
fn body_with_hmac(fields: &Params, hmac: &str) -> String {
    let mut p = fields.clone();
    p.set("hmac", hmac);
    form::encode_utf8(&p)
}

// ---------------------------------------------------------------- sign

#[test]
fn sign_reproduces_every_md5_request_vector() {
    let cases = [
        ("order_request", "order-request"),
        ("query_request", "query-request"),
        ("refund_request", "refund-request"),
    ];
    for (vector_kind, kind) in cases {
        for v in each(vector_kind) {
            let body = form::encode_utf8(&params_of(&v, "params"));
            let out = run_md5(&["sign", "--kind", kind], format!("{body}\n").as_bytes());
            assert_eq!(out.code, 0, "{}: {}", v["name"], out.stderr);
            assert_eq!(out.stdout, format!("{}\n", s(&v, "hmac")), "{}", v["name"]);
        }
    }
}

#[test]
fn sign_reproduces_response_and_notify_vectors() {
    for v in each("notify").into_iter().filter(|v| v["verified"] == true) {
        let body = form::encode_utf8(&params_of(&v, "fields"));
        let out = run_md5(&["sign", "--kind", "notify"], body.as_bytes());
        assert_eq!(
            (out.code, out.stdout.trim()),
            (0, s(&v, "hmac")),
            "{}",
            v["name"]
        );
    }
    for (vector_kind, kind) in [
        ("order_response", "order-response"),
        ("query_response", "query-response"),
        ("refund_response", "refund-response"),
    ] {
        for v in each(vector_kind)
            .into_iter()
            .filter(|v| v["verified"] == true)
        {
            // The received body, re-encoded as the UTF-8 form sign reads;
            // hmac and serverCert in it are ignored.
            let params = body::parse(s(&v, "body").as_bytes()).unwrap();
            let out = run_md5(
                &["sign", "--kind", kind],
                form::encode_utf8(&params).as_bytes(),
            );
            assert_eq!(
                (out.code, out.stdout.trim()),
                (0, s(&v, "hmac")),
                "{}: {}",
                v["name"],
                out.stderr
            );
        }
    }
}

#[test]
fn sign_rsa_order_request_with_pkcs8_and_pkcs1_keys() {
    let v = &each("order_request_rsa")[0];
    let body = form::encode_utf8(&params_of(v, "params"));
    for private in ["merchant_private_pkcs8.pem", "merchant_private_pkcs1.pem"] {
        let out = run(
            &[
                "sign",
                "--rsa-private",
                &key_path(private),
                "--kind",
                "order-request",
            ],
            body.as_bytes(),
        );
        assert_eq!(out.code, 0, "{private}: {}", out.stderr);
        assert_eq!(out.stdout, format!("{}\n", s(v, "hmac")), "{private}");
    }
}

#[test]
fn sign_signs_exactly_what_is_given() {
    // No defaults filled in: a query request without type/version signs
    // only the values given, and says on stderr what the gateway will miss.
    let out = run_md5(
        &["sign", "--kind", "query-request"],
        b"merchantId=888009941120001&requestId=R1&signType=MD5&orderId=O1",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        Md5Key::new(&key()).unwrap().sign("888009941120001R1MD5O1")
    );
    assert!(
        out.stderr.contains("type is empty or absent"),
        "{}",
        out.stderr
    );
    // Field order in the input does not matter; the table's order does.
    let a = run_md5(
        &["sign", "--kind", "refund-request"],
        b"amount=5&orderId=O1&merchantId=M&requestId=R&signType=MD5&type=OrderRefund&version=2.0.0",
    );
    assert_eq!(
        a.stdout.trim(),
        Md5Key::new(&key())
            .unwrap()
            .sign("MRMD5OrderRefund2.0.0O15")
    );
}

#[test]
fn sign_key_file_equals_key() {
    let dir = std::env::temp_dir().join(format!("cmpay-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("signkey.txt");
    std::fs::write(&file, format!("{}\n", key())).unwrap();
    let v = &each("query_request")[0];
    let body = form::encode_utf8(&params_of(v, "params"));
    let out = run(
        &[
            "sign",
            "--key-file",
            file.to_str().unwrap(),
            "--kind",
            "query-request",
        ],
        body.as_bytes(),
    );
    assert_eq!(
        (out.code, out.stdout.trim()),
        (0, s(v, "hmac")),
        "{}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sign_usage_errors_exit_2() {
    let ok_body: &[u8] = b"merchantId=1&requestId=2&signType=MD5&orderId=3";
    let cases: Vec<(Vec<String>, &[u8], &str)> = vec![
        (
            md5(&["sign", "--kind", "query-request"]),
            b"merchantId=1&orderID=3",
            "orderID is not a field of query-request",
        ),
        (
            md5(&["sign", "--kind", "order-reqest"]),
            ok_body,
            "unknown message kind",
        ),
        (md5(&["sign"]), ok_body, "missing --kind"),
        (
            vec!["sign".into(), "--kind".into(), "query-request".into()],
            ok_body,
            "missing key",
        ),
        (
            md5(&["sign", "--kind", "query-request"]),
            b"merchantId=%FF",
            "not valid UTF-8",
        ),
        (
            md5(&["sign", "--kind", "query-request"]),
            b"merchantId",
            "without '='",
        ),
        (
            md5(&["sign", "--kind", "query-request", "--bogus"]),
            ok_body,
            "--bogus",
        ),
        (
            vec![
                "sign".into(),
                "--key".into(),
                "short key\n".into(),
                "--kind".into(),
                "notify".into(),
            ],
            ok_body,
            "whitespace",
        ),
        (
            vec![
                "sign".into(),
                "--rsa-public".into(),
                key_path("merchant_public.pem"),
                "--kind".into(),
                "notify".into(),
            ],
            ok_body,
            "--rsa-private",
        ),
        (
            vec![
                "sign".into(),
                "--rsa-private".into(),
                "/nonexistent/key.pem".into(),
                "--kind".into(),
                "notify".into(),
            ],
            ok_body,
            "cannot read",
        ),
        (
            vec![
                "sign".into(),
                "--rsa-private".into(),
                key_path("merchant_public.pem"),
                "--kind".into(),
                "notify".into(),
            ],
            ok_body,
            "--rsa-private",
        ),
    ];
    for (args, stdin, expect) in cases {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&refs, stdin);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            out.stderr.contains(expect),
            "{args:?}: {:?} lacks {expect:?}",
            out.stderr
        );
    }
}

// ---------------------------------------------------------------- verify

#[test]
fn verify_judges_every_received_vector() {
    let cases = [
        ("order_response", "order-response", "body"),
        ("notify", "notify", "form_body"),
        ("query_response", "query-response", "body"),
        ("refund_response", "refund-response", "body"),
    ];
    let mut invalid_seen = 0;
    for (vector_kind, kind, member) in cases {
        for v in each(vector_kind) {
            let out = run_md5(&["verify", "--kind", kind], s(&v, member).as_bytes());
            if v["verified"] == true && kind == "notify" {
                // The vectors' bankAbbr and mobile can slide into orderId
                // (docs/resplit.md): verified, and ambiguous, naming the readings.
                assert_eq!(out.code, 3, "{}: {}", v["name"], out.stdout);
                assert!(out.stdout.starts_with("ambiguous\n"), "{}", out.stdout);
                assert!(
                    out.stdout.contains("also reads as: ")
                        && out
                            .stdout
                            .contains("orderId=ICBC138****8000ORD20261125000001"),
                    "{}",
                    out.stdout
                );
            } else if v["verified"] == true {
                assert_eq!(
                    (out.code, out.stdout.as_str()),
                    (0, "valid\n"),
                    "{}: {}",
                    v["name"],
                    out.stderr
                );
            } else {
                invalid_seen += 1;
                assert_eq!(out.code, 1, "{}", v["name"]);
                assert_eq!(
                    out.stdout,
                    "invalid: signature mismatch: hmac does not match (MD5 signature)\n",
                    "{}",
                    v["name"]
                );
            }
        }
    }
    assert_eq!(invalid_seen, 3, "the three tampered vectors");
    // The gateway error answer is correctly signed: valid, its code on stderr.
    let v = vector("order_response", "order-response-gateway-error");
    let out = run_md5(
        &["verify", "--kind", "order-response"],
        s(&v, "body").as_bytes(),
    );
    assert!(out.stderr.contains("IPS0008"), "{}", out.stderr);
}

#[test]
fn verify_rejects_wrong_key_kind_and_garbage() {
    let v = vector("notify", "notify-PageNotify");
    let body = s(&v, "form_body").as_bytes();
    let other_key = "X".repeat(64);
    let out = run(&["verify", "--key", &other_key, "--kind", "notify"], body);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (
            1,
            "invalid: signature mismatch: hmac does not match (MD5 signature)\n"
        )
    );
    // The same body as another kind signs another source.
    let out = run_md5(&["verify", "--kind", "order-response"], body);
    assert_eq!(out.code, 1);
    assert!(out.stdout.starts_with("invalid: "));
    for garbage in [
        &b""[..],
        b"\n",
        b"merchantId",
        b"a=1&a=2",
        b"\xff\xfe=\x00",
        b"hmac=&merchantId=1",
    ] {
        let out = run_md5(&["verify", "--kind", "notify"], garbage);
        assert_eq!(out.code, 1, "{garbage:?}: {}", out.stderr);
        assert!(
            out.stdout.starts_with("invalid: "),
            "{garbage:?}: {}",
            out.stdout
        );
    }
    let out = run_md5(
        &["verify", "--kind", "query-response"],
        b"merchantId=1&returnCode=000000",
    );
    assert_eq!(
        out.stdout,
        "invalid: signature mismatch: message has no hmac\n"
    );
    // A body over the 64 KiB limit.
    let big = format!("merchantId={}", "1".repeat(70 * 1024));
    let out = run_md5(&["verify", "--kind", "notify"], big.as_bytes());
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.starts_with("invalid: parse: body of"),
        "{}",
        out.stdout
    );
}

#[test]
fn verify_rsa_with_the_signers_public_key() {
    let v = &each("order_request_rsa")[0];
    let merchant = Merchant::rsa(
        "888009941120001",
        &std::fs::read(key_path("merchant_private_pkcs8.pem")).unwrap(),
        &std::fs::read(key_path("platform_public.pem")).unwrap(),
    )
    .unwrap();
    let signed = merchant
        .sign_request(MessageKind::OrderRequest, &params_of(v, "params"))
        .unwrap();
    assert_eq!(signed.hmac, s(v, "hmac"));
    let public = key_path("merchant_public.pem");
    let out = run(
        &["verify", "--rsa-public", &public, "--kind", "order-request"],
        signed.body.as_bytes(),
    );
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "valid\n"),
        "{}",
        out.stderr
    );
    let tampered = signed.body.replace("amount=12800", "amount=12801");
    let out = run(
        &["verify", "--rsa-public", &public, "--kind", "order-request"],
        tampered.as_bytes(),
    );
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (
            1,
            "invalid: signature mismatch: hmac does not match (RSA signature)\n"
        )
    );
    // The platform's key did not sign it.
    let out = run(
        &[
            "verify",
            "--rsa-public",
            &key_path("platform_cert.pem"),
            "--kind",
            "order-request",
        ],
        signed.body.as_bytes(),
    );
    assert_eq!(out.code, 1);
    // A private key where a public one belongs: usage error.
    let out = run(
        &[
            "verify",
            "--rsa-private",
            &key_path("merchant_private_pkcs8.pem"),
            "--kind",
            "order-request",
        ],
        signed.body.as_bytes(),
    );
    assert_eq!(out.code, 2);
}

#[test]
fn verify_notify_applies_the_double_decode_retry() {
    let v = vector("notify", "notify-OfflineNotify");
    let twice = s(&v, "form_body").replace(
        "reserved1=%E8%87%AA%E5%AE%9A%E4%B9%891",
        "reserved1=%25E8%2587%25AA%25E5%25AE%259A%25E4%25B9%25891",
    );
    assert_ne!(twice, s(&v, "form_body"));
    let out = run_md5(&["verify", "--kind", "notify"], twice.as_bytes());
    // Verified (and ambiguous, as every vector: docs/resplit.md).
    assert_eq!(
        (out.code, out.stdout.lines().next()),
        (3, Some("ambiguous")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("UTF-8, decoded twice"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------- explain

#[test]
fn explain_shows_the_source_field_by_field() {
    let v = vector("notify", "notify-PageNotify");
    let out = run_md5(
        &["explain", "--kind", "notify"],
        s(&v, "form_body").as_bytes(),
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let o = &out.stdout;
    assert!(o.contains(" 15 reserved1       \"自定义1\"\n"), "{o}");
    assert!(o.contains("e8 87 aa e5 ae 9a e4 b9 89 31\n"), "{o}");
    assert!(
        o.contains(" 16 reserved2       (empty: adds nothing)\n"),
        "{o}"
    );
    assert!(
        o.contains("  8 amount          \"12800\"\n                    31 32 38 30 30\n"),
        "{o}"
    );
    assert!(o.contains(&format!("{:?}", s(&v, "source"))), "{o}");
    assert!(
        o.contains(&format!("expected hmac: {}\n", s(&v, "hmac"))),
        "{o}"
    );
    assert!(
        o.contains(&format!("received hmac: {}\n", s(&v, "hmac"))),
        "{o}"
    );
    assert!(o.contains("serverCert (never signed, empty)"), "{o}");
    assert!(o.contains("result: MATCH"), "{o}");
}

#[test]
fn explain_tampered_body_blames_key_or_content() {
    let v = vector("notify", "notify-PageNotify-tampered-amount");
    let out = run_md5(
        &["explain", "--kind", "notify"],
        s(&v, "form_body").as_bytes(),
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("received hmac: 10957c09f4724baf5863b92f713fe32f\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("result: MISMATCH"));
    assert!(
        out.stdout
            .contains("no variant matches: key wrong or content altered"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("cause:"));
}

/// The query-response vector's fields with reserved1 changed, signed as
/// `signed_value` and sent as `wire_value` (already percent-encoded).
fn query_response_variant(signed_value: &str, wire_value: &str) -> String {
    let v = &each("query_response")[0];
    let mut fields = body::parse(s(v, "body").as_bytes()).unwrap();
    fields.remove("hmac");
    fields.set("reserved1", signed_value);
    let hmac = Md5Key::new(&key())
        .unwrap()
        .sign(&cmpay::sign::signature_source(
            MessageKind::QueryResponse,
            &fields,
        ));
    fields.set("reserved1", "WIRE");
    body_with_hmac(&fields, &hmac).replace("reserved1=WIRE", &format!("reserved1={wire_value}"))
}

#[test]
fn explain_names_a_double_encoded_field() {
    // Signed over 保留数据1, sent percent-encoded twice.
    let body = query_response_variant(
        "保留数据1",
        "%25E4%25BF%259D%25E7%2595%2599%25E6%2595%25B0%25E6%258D%25AE1",
    );
    // Answers are verified under the decodings of protocol.md §8 too.
    let out = run_md5(&["verify", "--kind", "query-response"], body.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stdout);
    let out = run_md5(&["explain", "--kind", "query-response"], body.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("still holds %XX after one decoding"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("cause: reserved1 decoded twice"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.matches("cause:").count(), 1, "{}", out.stdout);
}

#[test]
fn explain_names_a_field_the_signer_did_not_decode() {
    // The signer hashed the percent-encoded text itself.
    let encoded = "%E4%BF%9D%E7%95%99%E6%95%B0%E6%8D%AE1";
    let body = query_response_variant(encoded, encoded);
    let out = run_md5(&["explain", "--kind", "query-response"], body.as_bytes());
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("cause: reserved1 not percent-decoded by the signer"),
        "{}",
        out.stdout
    );
}

#[test]
fn explain_names_utf8_read_as_gbk() {
    // The signer read the UTF-8 bytes of 和包商城 as GBK: its source held
    // the mojibake 鍜屽寘鍟嗗煄, while the wire carries the UTF-8 bytes.
    let (mojibake, _, bad) = encoding_rs::GBK.decode("和包商城".as_bytes());
    assert!(!bad);
    assert_eq!(mojibake, "鍜屽寘鍟嗗煄");
    let body = query_response_variant(&mojibake, "%E5%92%8C%E5%8C%85%E5%95%86%E5%9F%8E");
    let out = run_md5(&["explain", "--kind", "query-response"], body.as_bytes());
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("cause: reserved1: the signer read UTF-8 bytes as GBK"),
        "{}",
        out.stdout
    );
}

#[test]
fn explain_names_gbk_bytes_read_as_utf8_and_a_gbk_hashed_source() {
    // GBK bytes on the wire (和包 = BA CD B0 FC), signer read them as UTF-8.
    let read_as_utf8 = String::from_utf8_lossy(&[0xBA, 0xCD, 0xB0, 0xFC]).into_owned();
    assert_eq!(read_as_utf8, "\u{FFFD}\u{370}\u{FFFD}");
    let body = query_response_variant(&read_as_utf8, "%BA%CD%B0%FC");
    let out = run_md5(&["explain", "--kind", "query-response"], body.as_bytes());
    assert!(
        out.stdout
            .contains("bytes on the wire are not UTF-8: read as GB18030"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("cause: reserved1: the signer read GBK bytes as UTF-8"),
        "{}",
        out.stdout
    );

    // The whole source hashed as GBK bytes instead of UTF-8.
    let v = &each("query_response")[0];
    let fields = body::parse(s(v, "body").as_bytes()).unwrap();
    let source = cmpay::sign::signature_source(MessageKind::QueryResponse, &fields);
    let (gbk, _, _) = encoding_rs::GBK.encode(&source);
    let inner = hex::encode(cmpay::sign::hmac_md5(b"", &gbk));
    let hmac = hex::encode(cmpay::sign::hmac_md5(key().as_bytes(), inner.as_bytes()));
    let mut p = fields.clone();
    p.remove("hmac");
    let out = run_md5(
        &["explain", "--kind", "query-response"],
        body_with_hmac(&p, &hmac).as_bytes(),
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("cause: the signer hashed the source as GBK bytes"),
        "{}",
        out.stdout
    );
}

#[test]
fn explain_names_a_missing_field_an_extra_field_and_upper_case_inner_hex() {
    let v = each("refund_response").into_iter().next().unwrap();
    let mut fields = body::parse(s(&v, "body").as_bytes()).unwrap();
    fields.remove("hmac");
    let k = Md5Key::new(&key()).unwrap();

    // Left out: the signer skipped payNo.
    let mut without = fields.clone();
    without.remove("payNo");
    let hmac = k.sign(&cmpay::sign::signature_source(
        MessageKind::RefundResponse,
        &without,
    ));
    let out = run_md5(
        &["explain", "--kind", "refund-response"],
        body_with_hmac(&fields, &hmac).as_bytes(),
    );
    assert!(
        out.stdout.contains("cause: the signer left out payNo"),
        "{}",
        out.stdout
    );

    // Added: the signer signed serverCert after status.
    let mut with_cert = fields.clone();
    with_cert.set("serverCert", "ABCDEF");
    let source = format!(
        "{}ABCDEF",
        cmpay::sign::signature_source(MessageKind::RefundResponse, &fields)
    );
    let out = run_md5(
        &["explain", "--kind", "refund-response"],
        body_with_hmac(&with_cert, &k.sign(&source)).as_bytes(),
    );
    assert!(
        out.stdout.contains(
            "cause: the signer included serverCert (not signed in refund-response) at the end"
        ),
        "{}",
        out.stdout
    );

    // Upper-case inner hex.
    let source = cmpay::sign::signature_source(MessageKind::RefundResponse, &fields);
    let inner = hex::encode_upper(cmpay::sign::hmac_md5(b"", source.as_bytes()));
    let hmac = hex::encode(cmpay::sign::hmac_md5(key().as_bytes(), inner.as_bytes()));
    let out = run_md5(
        &["explain", "--kind", "refund-response"],
        body_with_hmac(&fields, &hmac).as_bytes(),
    );
    assert!(
        out.stdout
            .contains("cause: the signer wrote the inner HMAC-MD5 in upper-case hex"),
        "{}",
        out.stdout
    );

    // Wrong --kind.
    let out = run_md5(
        &["explain", "--kind", "order-response"],
        s(&v, "body").as_bytes(),
    );
    assert_eq!(out.code, 1);
    // Its fields give the same source under three tables: all are named.
    for kind in ["notify", "query-response", "refund-response"] {
        assert!(
            out.stdout
                .contains(&format!(": the message signs as {kind}: wrong --kind")),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn explain_order_request_read_in_the_declared_charset() {
    // A correctly signed request whose body is UTF-8 but says characterSet=00:
    // the gateway reads it as GBK and answers IPS0008.
    let v = vector("order_request", "order-request-md5-charset00");
    let params = params_of(&v, "params");
    let body = body_with_hmac(&params, s(&v, "hmac"));
    assert!(body.contains("characterSet=00"));
    // verify reads it as the gateway does: in GBK, so it does not hold.
    let out = run_md5(&["verify", "--kind", "order-request"], body.as_bytes());
    assert_eq!(out.code, 1, "{}", out.stdout);
    let out = run_md5(&["explain", "--kind", "order-request"], body.as_bytes());
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("as the gateway reads it (characterSet=00 says GBK)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("productName     \"娴嬭瘯鍟嗗搧\" (here: \"测试商品\")"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("it would answer IPS0008"),
        "{}",
        out.stdout
    );
    // The vector's own GBK body is read alike by both.
    let out = run_md5(
        &["explain", "--kind", "order-request"],
        s(&v, "form_body").as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(!out.stdout.contains("as the gateway reads it"));
}

#[test]
fn explain_rsa_and_usage_errors() {
    let v = &each("order_request_rsa")[0];
    let body = body_with_hmac(&params_of(v, "params"), s(v, "hmac"));
    // The body is UTF-8 and says 02: both readings agree.
    let out = run(
        &[
            "explain",
            "--rsa-public",
            &key_path("merchant_public.pem"),
            "--kind",
            "order-request",
        ],
        body.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("RSA: the received signature is checked with the public key"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("result: MATCH"));
    // Unsplittable input is a usage error, not a verdict.
    let out = run_md5(&["explain", "--kind", "notify"], b"a=1&a=2");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("appears twice"), "{}", out.stderr);
}

// ---------------------------------------------------------------- codes

#[test]
fn codes_table_and_single_codes() {
    let out = run(&["codes"], b"");
    assert_eq!(out.code, 0);
    for rc in cmpay::codes::RETURN_CODES {
        assert!(
            out.stdout.contains(rc.code)
                && out.stdout.contains(rc.chinese)
                && out.stdout.contains(rc.english),
            "{}",
            rc.code
        );
    }
    assert_eq!(
        out.stdout.lines().count(),
        cmpay::codes::RETURN_CODES.len() + cmpay::codes::SIMULATOR_CODES.len() + 1
    );
    let out = run(&["codes", "MCG99999"], b"");
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("the simulator's code"),
        "{}",
        out.stdout
    );

    let out = run(&["codes", "IPS0008"], b"");
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        "IPS0008   -         签名不符,一般都是由于中文编码引起 — signature mismatch, usually Chinese text encoding\n"
    );
    // The query/refund spelling, in any case, finds the same code.
    let out = run(&["codes", "d22407"], b"");
    assert_eq!(
        out.stdout,
        "RPM22407  D22407    退款金额大于可退款金额 — refund exceeds refundable amount\n"
    );
    let out = run(&["codes", "MCG00000"], b"");
    assert!(
        out.stdout
            .starts_with("000000    MCG00000  交易成功 — success"),
        "{}",
        out.stdout
    );

    let out = run(&["codes", "XYZ123"], b"");
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("unknown return code \"XYZ123\""),
        "{}",
        out.stderr
    );
    assert_eq!(run(&["codes", "A", "B"], b"").code, 2);
}

#[test]
fn top_level_usage() {
    let out = run(&[], b"");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no command given"));
    let out = run(&["--help"], b"");
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("cmpay sign"));
    assert!(out.stdout.contains("cmpay query") && out.stdout.contains("cmpay reconcile"));
    assert_eq!(run(&["frobnicate"], b"").code, 2);
    for cmd in [
        "sign",
        "verify",
        "explain",
        "codes",
        "query",
        "refund",
        "reconcile",
    ] {
        let out = run(&[cmd, "--help"], b"");
        assert_eq!(out.code, 0, "{cmd}");
        assert!(
            out.stdout.starts_with(&format!("usage: cmpay {cmd}")),
            "{cmd}"
        );
    }
}

// ---------------------------------------------------------------- demo and sandbox

fn order_params(order_id: &str) -> Params {
    [
        ("callbackUrl", "http://127.0.0.1:9/return"),
        ("notifyUrl", "http://127.0.0.1:9/notify"),
        ("ipAddress", "127.0.0.1"),
        ("amount", "100"),
        ("orderDate", "20261125"),
        ("orderId", order_id),
        ("merAcDate", "20261125"),
        ("period", "1"),
        ("periodUnit", "02"),
        ("productName", "测试"),
    ]
    .into_iter()
    .collect()
}

#[test]
fn demo_runs_the_whole_flow() {
    for args in [
        &["demo"][..],
        &["demo", "--rsa", "--https", "--charset", "02"][..],
    ] {
        let started = std::time::Instant::now();
        let out = run(args, b"");
        assert_eq!(out.code, 0, "{args:?}\n{}\n{}", out.stdout, out.stderr);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{args:?} took {:?}",
            started.elapsed()
        );
        let o = &out.stdout;
        for expected in [
            "[3] create an order (DirectPayConfirm)",
            "answer: returnCode 000000 (success)",
            "HTTP 200: cashier page",
            "payUrl token, raw on the wire as the live gateway sends it: url<hi:=>",
            "HTTP 200: a page whose form submits itself to the merchant's callbackUrl",
            "PageNotify (browser POST form to callbackUrl)",
            "merchantId, orderId and amount match the order created",
            "payment recorded: payNo",
            "already recorded: the same payment seen again, not processed twice",
            "answered \"SUCCESS\"",
            "payments recorded: 1",
            "status \"SUCCESS\" → Paid, amount 12800 fen",
            "status \"SUCCESS\", amount 5000 fen",
            "gateway error RPM22407",
            "refunded 5000 fen",
            "OfflineNotify acknowledged: true",
            "OfflineNotify send #1 at",
            "demo finished: every step held",
        ] {
            assert!(o.contains(expected), "{args:?}: no {expected:?} in\n{o}");
        }
        assert!(!o.contains("FAILED") && !o.contains("NOT verified"), "{o}");
    }
    let out = run(&["demo"], b"");
    assert!(out.stdout.contains("hmac (MD5): "), "{}", out.stdout);
    assert!(out.stdout.contains("characterSet  00"));
    assert_eq!(run(&["demo", "--charset", "09"], b"").code, 2);
    assert_eq!(run(&["demo", "extra"], b"").code, 2);
}

/// Runs `cmpay sandbox ARGS`, returns the child and the base URL from its
/// first line. The caller kills the child.
fn start_sandbox(args: &[&str]) -> (std::process::Child, String, String) {
    use std::io::BufRead;
    let mut child = Command::new(BIN)
        .arg("sandbox")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let base = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line {first:?}"))
        .to_string();
    // The rest of the banner, up to the last line.
    let mut banner = first.clone();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line.starts_with("press Ctrl-C") {
            break;
        }
        banner.push_str(&line);
    }
    (child, base, banner)
}

#[test]
fn sandbox_command_serves_configured_merchants() {
    let extra_key = "K".repeat(64);
    let merchant_arg = format!("900000000000001:{extra_key}");
    let (mut child, base, banner) = start_sandbox(&[
        "--port",
        "0",
        "--time-factor",
        "60",
        "--merchant",
        &merchant_arg,
    ]);
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(
        banner.contains("merchant    888009941120001  MD5"),
        "{banner}"
    );
    assert!(
        banner.contains("merchant    900000000000001  MD5, signKey as given"),
        "{banner}"
    );
    let endpoint = format!("{base}/ips/cmpayService");
    let config = cmpay::ClientConfig {
        endpoint: endpoint.clone(),
        allow_http: true,
        ..Default::default()
    };
    for (id, key) in [
        ("888009941120001", key()),
        ("900000000000001", extra_key.clone()),
    ] {
        let client = cmpay::Client::new(Merchant::md5(id, &key).unwrap(), config.clone()).unwrap();
        let r = client.create_order(&order_params(&format!("CLI-{id}")));
        assert!(r.is_ok(), "{id}: {r:?}");
    }
    // A merchant the sandbox does not know.
    let client = cmpay::Client::new(
        Merchant::md5("900000000000002", &extra_key).unwrap(),
        config,
    )
    .unwrap();
    let e = client
        .create_order(&order_params("CLI-unknown"))
        .unwrap_err();
    assert_eq!(e.return_code(), Some("IPS0001"), "{e}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn sandbox_command_https_writes_its_ca() {
    let dir = std::env::temp_dir().join(format!("cmpay-cli-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_file = dir.join("ca.pem");
    let (mut child, base, _) = start_sandbox(&["--https", "--ca-out", ca_file.to_str().unwrap()]);
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let ca = std::fs::read(&ca_file).unwrap();
    assert!(String::from_utf8_lossy(&ca).contains("BEGIN CERTIFICATE"));
    let config = cmpay::ClientConfig {
        endpoint: format!("{base}/ips/cmpayService"),
        extra_ca_pem: vec![ca],
        ..Default::default()
    };
    let client =
        cmpay::Client::new(Merchant::md5("888009941120001", &key()).unwrap(), config).unwrap();
    let r = client.create_order(&order_params("CLI-HTTPS-1"));
    assert!(r.is_ok(), "{r:?}");
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sandbox_prints_its_test_keys() {
    let out = run(&["sandbox", "--print-test-keys"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    for name in [
        "merchant_private_pkcs8.pem",
        "merchant_public.pem",
        "platform_public.pem",
    ] {
        let pem = std::fs::read_to_string(key_path(name)).unwrap();
        assert!(
            out.stdout.contains(pem.trim_end()),
            "{name} missing:\n{}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("888009941120002"));
    assert!(out.stdout.contains(&key()));
    let help = run(&["sandbox", "--help"], b"");
    assert!(help.stdout.contains("--print-test-keys"));
}

#[test]
fn sandbox_command_usage_errors() {
    for args in [
        &["sandbox", "--time-factor", "0"][..],
        &["sandbox", "--time-factor", "fast"][..],
        &["sandbox", "--port", "70000"][..],
        &["sandbox", "--merchant", "no-colon"][..],
        &["sandbox", "--merchant", "1: key with a leading space"][..],
        &["sandbox", "--merchant", "1:"][..],
        &["sandbox", "--rsa-merchant", "1:/nonexistent.pem"][..],
        &["sandbox", "--ca-out", "/tmp/x.pem"][..],
    ] {
        let out = run(args, b"");
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    }
}

/// A signed order request (characterSet 02, Chinese productName): its
/// parameters, `hmac` first, percent-encoded from the bytes of `charset`.
fn order_request_in(charset: cmpay::Charset) -> String {
    let v = vector("order_request", "order-request-md5-charset00");
    let mut params = params_of(&v, "params");
    params.set("characterSet", "02");
    let merchant = Merchant::md5(params.value("merchantId"), &key()).unwrap();
    let signed = merchant
        .sign_request(MessageKind::OrderRequest, &params)
        .unwrap();
    let mut pairs = vec![format!("hmac={}", signed.params.value("hmac"))];
    for (n, v) in signed.params.iter().filter(|(n, _)| *n != "hmac") {
        pairs.push(format!(
            "{n}={}",
            form::escape(&charset.encode(n, v).unwrap())
        ));
    }
    pairs.join("&")
}

#[test]
fn explain_and_verify_name_what_real_integrations_get_wrong() {
    // The query string of a POST with an empty body is the same list: given
    // as the body, it verifies.
    let query = order_request_in(cmpay::Charset::Utf8);
    let out = run_md5(&["verify", "--kind", "order-request"], query.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stdout);
    let out = run_md5(&["explain", "--kind", "order-request"], query.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stdout);

    // GBK bytes under characterSet 02: the cause and the fix.
    let gbk = order_request_in(cmpay::Charset::Gbk);
    let out = run_md5(&["verify", "--kind", "order-request"], gbk.as_bytes());
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("the bytes are GBK but characterSet says 02")
            && out.stdout.contains("IPS0008"),
        "{}",
        out.stdout
    );
    let out = run_md5(&["explain", "--kind", "order-request"], gbk.as_bytes());
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("gateway: REFUSED, it answers IPS0008")
            && out
                .stdout
                .contains("the bytes are GBK but characterSet says 02")
            && out
                .stdout
                .contains("declare characterSet 00, or encode UTF-8"),
        "{}",
        out.stdout
    );

    // A byte-order mark: named, with the fix, though the rest matches.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(query.as_bytes());
    let out = run_md5(&["verify", "--kind", "order-request"], &bom);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("byte-order mark"), "{}", out.stdout);
    let out = run_md5(&["explain", "--kind", "order-request"], &bom);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("result: MATCH")
            && out.stdout.contains("gateway: REFUSED")
            && out.stdout.contains("byte-order mark (EF BB BF)")
            && out.stdout.contains("new UTF8Encoding(false)"),
        "{}",
        out.stdout
    );

    // A field the gateway's rules refuse: its code (or the simulator's), the
    // field and what to send instead.
    let v = vector("order_request", "order-request-md5-charset00");
    let mut params = params_of(&v, "params");
    params.set("characterSet", "02");
    params.set("ipAddress", "10.0.0.1, 10.0.0.2");
    let signer = cmpay::sign::Signer::Md5(Md5Key::new(&key()).unwrap());
    let hmac = signer.sign(MessageKind::OrderRequest, &params).unwrap();
    let body = body_with_hmac(&params, &hmac);
    let out = run_md5(&["explain", "--kind", "order-request"], body.as_bytes());
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("gateway: REFUSED, it answers MCG99999 once the hmac holds")
            && out.stdout.contains("ipAddress")
            && out.stdout.contains("the first of an X-Forwarded-For list"),
        "{}",
        out.stdout
    );
    params.set("ipAddress", "unknown");
    params.set("period", "0");
    let hmac = signer.sign(MessageKind::OrderRequest, &params).unwrap();
    let body = body_with_hmac(&params, &hmac);
    let out = run_md5(&["explain", "--kind", "order-request"], body.as_bytes());
    assert!(
        out.stdout
            .contains("it answers MCG01028 once the hmac holds"),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------- query, refund, reconcile

/// Runs `cmpay ARGS` with the CMPAY_* variables pointing at a sandbox (the
/// process's own CMPAY_* variables removed).
fn run_env(endpoint: &str, args: &[&str], stdin: &[u8]) -> Out {
    let mut command = Command::new(BIN);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CMPAY_") {
            command.env_remove(name);
        }
    }
    let mut child = command
        .args(args)
        .env("CMPAY_MERCHANT_ID", "888009941120001")
        .env("CMPAY_SIGN_KEY", key())
        .env("CMPAY_ENDPOINT", endpoint)
        .env("CMPAY_ALLOW_HTTP", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cmpay runs");
    {
        let mut input = child.stdin.take().unwrap();
        let _ = input.write_all(stdin);
    }
    let out = child.wait_with_output().unwrap();
    let out = Out {
        code: out.status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    };
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains(&key()), "{args:?} printed the signKey");
    }
    out
}

/// Creates an order of `amount` fen in the sandbox; pays it when `pay`.
/// Returns the payNo-less answer's orderId.
fn sandbox_order(endpoint: &str, order_id: &str, amount: &str, pay: bool) {
    let config = cmpay::ClientConfig {
        endpoint: endpoint.to_string(),
        allow_http: true,
        ..Default::default()
    };
    let client =
        cmpay::Client::new(Merchant::md5("888009941120001", &key()).unwrap(), config).unwrap();
    let mut params = order_params(order_id);
    params.set("amount", amount);
    let order = client.create_order(&params).unwrap();
    if !pay {
        return;
    }
    // The shopper's browser: the cashier page, then its pay button.
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .build()
        .new_agent();
    let page = agent
        .post(&order.pay_url.url)
        .content_type("application/x-www-form-urlencoded")
        .send(format!("sessionId={}", order.pay_url.session_id))
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let base = endpoint.trim_end_matches("/ips/cmpayService");
    let paid = agent
        .post(format!("{base}/ips/cashier/submit"))
        .content_type("application/x-www-form-urlencoded")
        .send(format!("sessionId={}&action=pay", order.pay_url.session_id))
        .unwrap();
    assert!(
        matches!(paid.status().as_u16(), 200 | 302),
        "{}",
        paid.status()
    );
}

fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.strip_prefix(name).filter(|r| r.starts_with(' ')))
        .map(str::trim)
}

#[test]
fn query_and_refund_against_the_sandbox() {
    let (mut child, base, _) = start_sandbox(&["--port", "0"]);
    let endpoint = format!("{base}/ips/cmpayService");
    let paid = format!("OPSQ{}", std::process::id());
    sandbox_order(&endpoint, &paid, "2500", true);

    let out = run_env(&endpoint, &["query", &paid], b"");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        field(&out.stdout, "returnCode"),
        Some("000000"),
        "{}",
        out.stdout
    );
    assert_eq!(
        field(&out.stdout, "status"),
        Some("SUCCESS"),
        "{}",
        out.stdout
    );
    assert_eq!(field(&out.stdout, "amount"), Some("2500"), "{}", out.stdout);
    assert_eq!(field(&out.stdout, "orderId"), Some(paid.as_str()));
    let pay_no = field(&out.stdout, "payNo").expect("payNo").to_string();
    assert!(!pay_no.is_empty() && pay_no.bytes().all(|b| b.is_ascii_digit()));
    assert!(field(&out.stdout, "payDate").is_some(), "{}", out.stdout);
    assert!(!out.stdout.contains("hmac"), "{}", out.stdout);

    let out = run_env(&endpoint, &["query", &paid, "--json"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    // The keys in the order of the text form: returnCode first, amount
    // before payNo (serde_json's sorted order would put amount first).
    let keys: Vec<&str> = out
        .stdout
        .trim_start_matches('{')
        .split(",\"")
        .map(|m| m.trim_start_matches('"').split('"').next().unwrap())
        .collect();
    assert_eq!(
        keys[..6],
        [
            "returnCode",
            "message",
            "orderId",
            "status",
            "amount",
            "payNo"
        ],
        "{}",
        out.stdout
    );
    assert_eq!(v["status"], "SUCCESS");
    assert_eq!(v["amount"], "2500");
    assert_eq!(v["payNo"], pay_no.as_str());

    let out = run_env(&endpoint, &["query", &paid, "--csv"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut lines = out.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |n: &str| row[header.iter().position(|h| *h == n).unwrap()];
    assert_eq!(
        (at("status"), at("amount"), at("payNo")),
        ("SUCCESS", "2500", pay_no.as_str())
    );

    // An unpaid order: answered, pending.
    let unpaid = format!("OPSQ{}U", std::process::id());
    sandbox_order(&endpoint, &unpaid, "300", false);
    let out = run_env(&endpoint, &["query", &unpaid], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        field(&out.stdout, "status"),
        Some("(empty: pending, not paid)")
    );
    assert_eq!(field(&out.stdout, "amount"), Some("300"), "{}", out.stdout);
    assert_eq!(field(&out.stdout, "payNo"), None, "{}", out.stdout);

    // An unknown order: the gateway's code, exit 1.
    let out = run_env(&endpoint, &["query", "OPS-NO-SUCH-ORDER"], b"");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("gateway error RPM22201"),
        "{}",
        out.stderr
    );
    // Nothing listening: a transport error, exit 1.
    let out = run_env(
        "http://127.0.0.1:9/ips/cmpayService",
        &["query", &paid],
        b"",
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("transport error"), "{}", out.stderr);

    // Refund: not confirmed, nothing sent; confirmed by "y" or --yes.
    let out = run_env(&endpoint, &["refund", &paid, "1000"], b"n\n");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("[y/N]") && out.stderr.contains("nothing sent"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let out = run_env(&endpoint, &["refund", &paid, "1000"], b"");
    assert_eq!(out.code, 1, "EOF is no confirmation");
    let out = run_env(&endpoint, &["refund", &paid, "1000", "--yes"], b"");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        field(&out.stdout, "returnCode"),
        Some("000000"),
        "{}",
        out.stdout
    );
    assert_eq!(field(&out.stdout, "amount"), Some("1000"), "{}", out.stdout);
    let out = run_env(&endpoint, &["refund", &paid, "500"], b"yes\n");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(field(&out.stdout, "amount"), Some("500"), "{}", out.stdout);
    // More than is left: the gateway refuses.
    let out = run_env(&endpoint, &["refund", &paid, "5000", "--yes"], b"");
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("gateway error"), "{}", out.stderr);

    for args in [
        &["refund", &paid, "0", "--yes"][..],
        &["refund", &paid, "1.5", "--yes"][..],
        &["refund", &paid, "-3", "--yes"][..],
        &["refund", &paid, "--yes"][..],
        &["refund", &paid, "", "--yes"][..],
        &["query"][..],
        &["query", "A", "B"][..],
        &["query", "A", "--xml"][..],
        &["query", "A", "--csv", "--json"][..],
        &["reconcile"][..],
        &["reconcile", "/nonexistent.csv"][..],
        &["reconcile", "x.csv", "--rate", "0"][..],
    ] {
        let out = run_env(&endpoint, args, b"y\n");
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
    // No configuration: a usage error naming the variable.
    let out = run_env(&endpoint, &["query", &paid], b"");
    assert_eq!(out.code, 0);
    let out = Command::new(BIN)
        .args(["query", &paid])
        .env_remove("CMPAY_MERCHANT_ID")
        .env_remove("CMPAY_SIGN_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CMPAY_MERCHANT_ID"));

    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn reconcile_against_the_sandbox() {
    let (mut child, base, _) = start_sandbox(&["--port", "0"]);
    let endpoint = format!("{base}/ips/cmpayService");
    let id = std::process::id();
    let paid = format!("OPSR{id}P");
    let unpaid = format!("OPSR{id}U");
    let unknown = format!("OPSR{id}X");
    sandbox_order(&endpoint, &paid, "1234", true);
    sandbox_order(&endpoint, &unpaid, "777", false);

    let dir = std::env::temp_dir().join(format!("cmpay-cli-reconcile-{id}"));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("orders.csv");
    std::fs::write(
        &input,
        format!("shop,orderId,amount\n\"A, one\",{paid},1234\nB,{unpaid},777\nC,{unknown},1\n"),
    )
    .unwrap();
    let output = dir.join("answers.csv");
    let started = std::time::Instant::now();
    let out = run_env(
        &endpoint,
        &[
            "reconcile",
            input.to_str().unwrap(),
            "--out",
            output.to_str().unwrap(),
            "--rate",
            "10",
        ],
        b"",
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(200),
        "rate-limited: three queries at 10 a second take 0.2 s at least"
    );
    assert!(out.stdout.is_empty());
    assert!(out.stderr.starts_with("1/3\n2/3\n3/3\n"), "{}", out.stderr);
    assert!(
        out.stderr.contains("1 of 3 orders not answered"),
        "{}",
        out.stderr
    );

    let written = std::fs::read_to_string(&output).unwrap();
    assert!(!written.contains(&key()));
    let mut reader = csv::Reader::from_reader(written.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "shop",
            "orderId",
            "amount",
            "returnCode",
            "message",
            "status",
            "gateway_amount",
            "payNo",
            "payDate",
            "orderDate",
            "payType",
            "fee",
            "error"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{written}");
    let at = |row: &csv::StringRecord, name: &str| {
        row.get(header.iter().position(|h| h == name).unwrap())
            .unwrap()
            .to_string()
    };
    assert_eq!(at(&rows[0], "shop"), "A, one");
    assert_eq!(at(&rows[0], "orderId"), paid);
    assert_eq!(at(&rows[0], "returnCode"), "000000");
    assert_eq!(at(&rows[0], "status"), "SUCCESS");
    assert_eq!(at(&rows[0], "gateway_amount"), "1234");
    assert!(!at(&rows[0], "payNo").is_empty());
    assert_eq!(at(&rows[0], "error"), "");

    assert_eq!(at(&rows[1], "orderId"), unpaid);
    assert_eq!(at(&rows[1], "returnCode"), "000000");
    // Pending: the gateway's status is empty, as is its payNo.
    assert_eq!(at(&rows[1], "status"), "");
    assert_eq!(at(&rows[1], "gateway_amount"), "777");
    assert_eq!(at(&rows[1], "payNo"), "");
    assert_eq!(at(&rows[1], "error"), "");

    assert_eq!(at(&rows[2], "orderId"), unknown);
    assert_eq!(at(&rows[2], "returnCode"), "RPM22201");
    assert!(
        at(&rows[2], "error").starts_with("gateway error RPM22201"),
        "{written}"
    );
    assert_eq!(at(&rows[2], "status"), "");

    // To stdout; every order answered: exit 0.
    std::fs::write(&input, format!("orderId\n{paid}\n{unpaid}\n")).unwrap();
    let out = run_env(
        &endpoint,
        &["reconcile", input.to_str().unwrap(), "--rate", "50"],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
    assert!(out.stdout.contains(",SUCCESS,1234,"), "{}", out.stdout);

    // An output file that cannot be created: nothing queried.
    let out = run_env(
        &endpoint,
        &[
            "reconcile",
            input.to_str().unwrap(),
            "--out",
            "/nonexistent-dir/a.csv",
        ],
        b"",
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!out.stderr.contains("1/2"), "{}", out.stderr);

    // No orderId column.
    std::fs::write(&input, "id\nA\n").unwrap();
    let out = run_env(&endpoint, &["reconcile", input.to_str().unwrap()], b"");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no orderId column"), "{}", out.stderr);

    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
