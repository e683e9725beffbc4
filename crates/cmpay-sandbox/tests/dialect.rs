//! The wire as the live gateway and the 2011 kits see it (protocol.md §8),
//! library side: requests read in their own characterSet, encoded or raw;
//! notifications and answers verified under the four decodings, in order.

use cmpay::body;
use cmpay::decode::{self, Decoding};
use cmpay::sign::{Md5Key, Verifier, signature_source};
use cmpay::*;
use cmpay_sandbox::{TEST_MD5_MERCHANT_ID, TEST_MD5_SIGN_KEY};

fn key() -> Md5Key {
    Md5Key::new(TEST_MD5_SIGN_KEY).unwrap()
}

fn verifier() -> Verifier {
    Verifier::Md5(key())
}

/// Texts whose GBK bytes are valid UTF-8 too (同学 = CD AC D1 A7), or not.
const CHINESE: [&str; 4] = ["同学", "小品", "测试商品 和包", "备注 a+b=c&d%"];

fn percent(bytes: &[u8]) -> String {
    form_urlencoded::byte_serialize(bytes).collect()
}

/// A notification with `text` in reserved1 and reserved2, signed over the text.
fn notification(text: &str) -> Params {
    let mut p = Params::new();
    for f in MessageKind::Notify.fields() {
        let v = match f.name {
            "merchantId" => TEST_MD5_MERCHANT_ID,
            "payNo" => "20260301000000001",
            "returnCode" => "000000",
            "message" => "SUCCESS",
            "signType" => "MD5",
            "type" => "OfflineNotify",
            "version" => "2.0.0",
            "amount" => "12800",
            "amtItem" => "CNY_AMT=12800#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0",
            "orderId" => "ORD1",
            "payDate" => "20260301120000",
            "accountDate" => "20260301",
            "reserved1" | "reserved2" => text,
            "status" => "SUCCESS",
            "orderDate" => "20260301",
            "fee" => "0.76",
            _ => "",
        };
        p.set(f.name, v);
    }
    let hmac = key().sign(&signature_source(MessageKind::Notify, &p));
    p.set("hmac", hmac);
    p
}

/// The body as a sender using `decoding`'s charset, encoding values
/// `times` times (0: raw bytes), would send it; amtItem always raw.
fn body(p: &Params, gbk: bool, times: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, (n, v)) in p.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.extend_from_slice(n.as_bytes());
        out.push(b'=');
        let mut bytes = if gbk {
            Charset::Gbk.encode(n, v).unwrap().into_owned()
        } else {
            v.as_bytes().to_vec()
        };
        if n != "amtItem" {
            for _ in 0..times {
                bytes = percent(&bytes).into_bytes();
            }
        }
        out.extend_from_slice(&bytes);
    }
    out
}

#[test]
fn every_decoding_of_section_8_verifies_and_reports_the_verified_values() {
    for text in CHINESE {
        let p = notification(text);
        for (gbk, times, want) in [
            (false, 1, Decoding::Utf8Once),
            (false, 2, Decoding::Utf8Twice),
            (true, 1, Decoding::Gb18030Once),
            (true, 2, Decoding::Gb18030Twice),
        ] {
            let b = body(&p, gbk, times);
            let n = Notification::parse(&verifier(), &b)
                .unwrap_or_else(|e| panic!("{text} gbk={gbk} x{times}: {e}"));
            assert_eq!(n.field("reserved1"), text, "{text} gbk={gbk} x{times}");
            assert_eq!(n.field("reserved2"), text);
            assert_eq!(
                n.field("amtItem"),
                "CNY_AMT=12800#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0"
            );
            // Chinese text holds under exactly one decoding: the sender's.
            assert_eq!(n.decoding(), want, "{text} gbk={gbk} x{times}");
        }
    }
}

#[test]
fn gbk_text_whose_bytes_are_utf8_is_read_as_gbk_when_that_verifies() {
    let p = notification("同学");
    let b = body(&p, true, 1);
    assert!(
        String::from_utf8(body::unescape(b"%CD%AC%D1%A7").into_owned()).is_ok(),
        "CD AC D1 A7 is valid UTF-8"
    );
    let n = Notification::parse(&verifier(), &b).unwrap();
    assert_eq!(
        (n.field("reserved1"), n.decoding()),
        ("同学", Decoding::Gb18030Once)
    );
    // Raw GBK bytes, not percent-encoded at all.
    let n = Notification::parse(&verifier(), &body(&p, true, 0)).unwrap();
    assert_eq!(n.field("reserved1"), "同学");
}

#[test]
fn a_body_that_verifies_under_no_decoding_is_refused() {
    let p = notification("同学");
    let mut b = body(&p, true, 1);
    // One digit of the amount changed: no decoding can make that hold.
    let at = b.windows(12).position(|w| w == b"amount=12800").unwrap();
    b[at + 7] = b'2';
    let e = Notification::parse(&verifier(), &b).unwrap_err();
    assert_eq!(e.code(), ErrorCode::SignatureMismatch, "{e}");
    // Signed under another key: refused.
    let other = Verifier::Md5(Md5Key::new(&"another key ".repeat(8)[..64]).unwrap());
    let e = Notification::parse(&other, &body(&p, false, 1)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::SignatureMismatch);
    // What attempt reports: no decoding, the first readable values.
    let a = decode::attempt(&other, MessageKind::Notify, &body(&p, false, 1)).unwrap();
    assert_eq!(a.decoding, None);
    assert_eq!(a.params.value("reserved1"), "同学");
    // Four readable, different decodings of a body signed under another key:
    // exactly four verifications, then refused.
    let mut four = String::from_utf8(body(&notification("x"), false, 1)).unwrap();
    four = four.replace("reserved1=x", "reserved1=%CD%AC%2541");
    let a = decode::attempt(&verifier(), MessageKind::Notify, four.as_bytes()).unwrap();
    assert_eq!((a.decoding, a.verifications), (None, 4));
    // ASCII only: every decoding gives the same values, so one verification.
    let ascii = decode::attempt(
        &other,
        MessageKind::Notify,
        &body(&notification("x"), false, 1),
    )
    .unwrap();
    assert_eq!((ascii.decoding, ascii.verifications), (None, 1));
    // GBK text that is valid UTF-8: UTF-8 once fails, UTF-8 twice gives the same
    // values (not checked again), GB18030 once holds: two verifications.
    let gbk = decode::attempt(&verifier(), MessageKind::Notify, &body(&p, true, 1)).unwrap();
    assert_eq!(
        (gbk.decoding, gbk.verifications),
        (Some(Decoding::Gb18030Once), 2)
    );
}

/// An order request signed with `text` in productName and reserved1.
fn order_request(charset: Charset, text: &str) -> SignedRequest {
    let m = Merchant::md5(TEST_MD5_MERCHANT_ID, TEST_MD5_SIGN_KEY).unwrap();
    let p: Params = [
        ("characterSet", charset.code()),
        ("callbackUrl", "http://127.0.0.1/c"),
        ("notifyUrl", "http://127.0.0.1/n"),
        ("ipAddress", "127.0.0.1"),
        ("requestId", "R1"),
        ("amount", "100"),
        ("orderDate", "20260301"),
        ("orderId", "O1"),
        ("merAcDate", "20260301"),
        ("period", "1"),
        ("periodUnit", "02"),
        ("productName", text),
        ("reserved1", text),
    ]
    .into_iter()
    .collect();
    m.sign_request(MessageKind::OrderRequest, &p).unwrap()
}

#[test]
fn a_request_is_read_in_its_own_character_set_encoded_or_raw() {
    for charset in [Charset::Gbk, Charset::Gb2312, Charset::Utf8] {
        for text in ["同学", "小品", "测试商品"] {
            let signed = order_request(charset, text);
            // Percent-encoded, as the PHP and Java kits send it.
            let read = decode::verify_received(
                &verifier(),
                MessageKind::OrderRequest,
                signed.body.as_bytes(),
            )
            .unwrap_or_else(|e| panic!("{charset:?} {text}: {e}"));
            assert_eq!(read.value("productName"), text);
            // Raw bytes in the charset, as the .NET and ASP kits send them.
            let raw: Vec<u8> = signed
                .params
                .iter()
                .flat_map(|(n, v)| {
                    let mut pair = format!("&{n}=").into_bytes();
                    pair.extend_from_slice(&charset.encode(n, v).unwrap());
                    pair
                })
                .skip(1)
                .collect();
            let read = decode::verify_received(&verifier(), MessageKind::OrderRequest, &raw)
                .unwrap_or_else(|e| panic!("raw {charset:?} {text}: {e}"));
            assert_eq!(read.value("reserved1"), text);
        }
    }
    // UTF-8 bytes labelled GBK: read as GBK, so the signature fails (IPS0008).
    let signed = order_request(Charset::Utf8, "测试商品");
    let mislabelled = signed.body.replace("characterSet=02", "characterSet=00");
    let e = decode::verify_received(
        &verifier(),
        MessageKind::OrderRequest,
        mislabelled.as_bytes(),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::SignatureMismatch);
}

/// A query answer; `pay_type` is signed between status and orderDate.
fn query_answer(pay_type: Option<&str>) -> Params {
    let mut p = Params::new();
    for f in MessageKind::QueryResponse.fields() {
        let v = match f.name {
            "merchantId" => TEST_MD5_MERCHANT_ID,
            "payNo" => "1",
            "returnCode" => "000000",
            "message" => "SUCCESS",
            "signType" => "MD5",
            "type" => "OrderQuery",
            "version" => "2.0.0",
            "amount" => "100",
            "amtItem" => "CNY_AMT=100#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0",
            "orderId" => "O1",
            "reserved1" => "同学",
            "status" => "SUCCESS",
            "payType" => match pay_type {
                Some(t) => t,
                None => continue,
            },
            "orderDate" => "20260301",
            _ => "",
        };
        p.set(f.name, v);
    }
    let hmac = key().sign(&signature_source(MessageKind::QueryResponse, &p));
    p.set("hmac", hmac);
    p
}

#[test]
fn query_answer_with_and_without_pay_type() {
    for pay_type in [None, Some("CMPAY")] {
        let p = query_answer(pay_type);
        let src = signature_source(MessageKind::QueryResponse, &p);
        if let Some(t) = pay_type {
            assert!(src.contains(&format!("SUCCESS{t}20260301")), "{src}");
        }
        for gbk in [false, true] {
            let q = QueryResponse::parse(&verifier(), &body(&p, gbk, 1)).unwrap();
            assert_eq!(q.params.value("payType"), pay_type.unwrap_or(""));
            assert_eq!(q.params.value("reserved1"), "同学");
            assert_eq!(q.status(), OrderStatus::Paid);
        }
    }
    // payType sent but not signed: refused.
    let mut p = query_answer(None);
    p.set("payType", "CMPAY");
    assert!(QueryResponse::parse(&verifier(), &body(&p, false, 1)).is_err());
}

#[test]
fn an_answer_with_a_raw_pay_url_verifies_and_its_token_is_read() {
    for url in [
        "https://ipos.10086.cn/ips/FormTrans3",
        "http://ipos.10086.cn/wap/index.xhtml",
    ] {
        let token = format!(
            "url<hi:=>{url}<hi:$$>method<hi:=>POST<hi:$$>sessionId<hi:=>2011010199999<hi:$$>MERC_PAY_TPY<hi:=>"
        );
        let mut p = Params::new();
        for (n, v) in [
            ("merchantId", TEST_MD5_MERCHANT_ID),
            ("requestId", "R1"),
            ("signType", "MD5"),
            ("type", "WAPDirectPayConfirm"),
            ("version", "2.0.0"),
            ("returnCode", "000000"),
            ("message", "SUCCESS"),
            ("payUrl", &token),
        ] {
            p.set(n, v);
        }
        let hmac = key().sign(&signature_source(MessageKind::OrderResponse, &p));
        // Raw on the wire, as the gateway sends it.
        let raw = format!(
            "merchantId={TEST_MD5_MERCHANT_ID}&requestId=R1&signType=MD5&type=WAPDirectPayConfirm&version=2.0.0&returnCode=000000&message=SUCCESS&payUrl={token}&hmac={hmac}"
        );
        let r = OrderResponse::parse(&verifier(), raw.as_bytes()).unwrap();
        assert_eq!(r.pay_url.url, url);
        assert_eq!(r.pay_url.method, "post");
        assert_eq!(r.pay_url.session_id, "2011010199999");
        assert_eq!(r.params.value("payUrl"), token);
        // Percent-encoded: the same.
        let encoded = raw.replace(&token, &percent(token.as_bytes()));
        let r2 = OrderResponse::parse(&verifier(), encoded.as_bytes()).unwrap();
        assert_eq!(r2.pay_url, r.pay_url);
    }
}
