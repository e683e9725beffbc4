// Throwaway instruction-count harness (not committed).
use cmpay::sign::Md5Key;
use cmpay::*;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args[1].as_str();
    let n: usize = args[2].parse().unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("tests/data/cmpay-vectors.json").unwrap())
            .unwrap();
    let nv = v["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "notify-OfflineNotify")
        .unwrap();
    let body = nv["form_body"].as_str().unwrap().as_bytes().to_vec();
    let source = nv["source"].as_str().unwrap().to_string();
    let key = nv.get("k").map(|_| "").unwrap_or("");
    let _ = key;
    let k = v["md5_key"].as_str().unwrap();
    let verifier = Verifier::Md5(Md5Key::new(k).unwrap());
    let parsed = Notification::parse(&verifier, &body)
        .unwrap()
        .params()
        .clone();
    let mut acc = 0usize;
    for _ in 0..n {
        match mode {
            "parse" => {
                acc += Notification::parse(&verifier, std::hint::black_box(&body))
                    .unwrap()
                    .field("amount")
                    .len()
            }
            "hmac" => {
                let inner = hex::encode(sign::hmac_md5(
                    b"",
                    std::hint::black_box(&source).as_bytes(),
                ));
                acc += hex::encode(sign::hmac_md5(k.as_bytes(), inner.as_bytes())).len();
            }
            "check" => {
                acc += received::accept(MessageKind::Notify, std::hint::black_box(parsed.clone()))
                    .unwrap()
                    .0
                    .len()
            }
            "clone" => acc += std::hint::black_box(parsed.clone()).len(),
            _ => {}
        }
    }
    println!("{acc}");
}
