//! The client's log against the sandbox: every exchange of a whole payment
//! reported with its requestId and orderId, faults reported by their own
//! events, and no signKey and no hmac anywhere in the log.

mod common;

use cmpay::log::{Level, LogSink};
use cmpay::*;
use cmpay_sandbox::{Fault, FaultRule, RequestType, SandboxConfig, TEST_MD5_SIGN_KEY};
use common::*;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Records = Arc<Mutex<Vec<(Level, String, String)>>>;

fn recording(level: Level) -> (LogSink, Records) {
    let records: Records = Arc::default();
    let r = records.clone();
    let sink = LogSink::new(
        move |level: Level, event: &str, message: &str| {
            r.lock()
                .unwrap()
                .push((level, event.to_string(), message.to_string()));
        },
        level,
    );
    (sink, records)
}

fn find<'a>(
    records: &'a [(Level, String, String)],
    event: &str,
    needle: &str,
) -> Option<&'a (Level, String, String)> {
    records
        .iter()
        .find(|(_, e, m)| e == event && m.contains(needle))
}

/// No secret and no hmac of any message in the whole log.
fn assert_nothing_to_forge_with(records: &[(Level, String, String)], hmacs: &[String]) {
    for (_, event, message) in records {
        assert!(!message.contains(TEST_MD5_SIGN_KEY), "{event}: {message}");
        for h in hmacs {
            assert!(
                !message.contains(h.as_str()),
                "{event} holds an hmac: {message}"
            );
        }
    }
}

#[test]
fn a_whole_payment_is_logged_without_secrets() {
    let sandbox = start(SandboxConfig {
        time_factor: 60_000.0,
        ..SandboxConfig::default()
    });
    let (sink, records) = recording(Level::Debug);
    let config = ClientConfig {
        logger: Some(sink),
        ..client_config(&sandbox)
    };
    let client = Client::new(md5_merchant(), config).unwrap();
    let endpoint = Endpoint::start(vec![]);
    let id = order_id("LOG");
    let params = order_params(&id, 12_345, &endpoint.url(), "http://127.0.0.1:9/r");
    let order = client.create_order(&params).unwrap();
    let request_id = order.request_id().to_string();
    pay(&sandbox, &order, "pay");
    assert_eq!(endpoint.wait_for(1, Duration::from_secs(10)), 1);
    let body = endpoint.bodies()[0].body.clone();
    let n = client.parse_notification(&body).unwrap();
    assert!(n.is_paid());
    let mut tampered = body.clone();
    let at = tampered.len() - 1;
    tampered[at] ^= 1;
    assert!(client.parse_notification(&tampered).is_err());
    client.query_order(&id).unwrap();

    let log = records.lock().unwrap().clone();
    let sent = find(&log, "request.sent", &request_id).expect("request.sent");
    assert_eq!(sent.0, Level::Info);
    assert!(
        sent.2.contains(&id) && sent.2.contains("DirectPayConfirm"),
        "{}",
        sent.2
    );
    assert!(sent.2.contains(&sandbox.endpoint()), "{}", sent.2);
    let answer = find(&log, "answer.received", &request_id).expect("answer.received");
    assert!(
        answer.2.contains("returnCode=000000") && answer.2.contains(&id),
        "{}",
        answer.2
    );
    assert!(answer.2.contains("HTTP 200 in "), "{}", answer.2);
    let verified = find(&log, "notify.verified", &id).expect("notify.verified");
    assert!(
        verified.2.contains(n.pay_no()) && verified.2.contains("amount=12345"),
        "{}",
        verified.2
    );
    let refused = find(&log, "notify.refused", "").expect("notify.refused");
    assert_eq!(refused.0, Level::Warn);
    assert!(refused.2.contains("SignatureMismatch"), "{}", refused.2);
    assert!(find(&log, "request.body", "hmac=[redacted]").is_some());
    assert!(find(&log, "answer.body", "hmac=[redacted]").is_some());
    assert!(find(&log, "notify.body", "hmac=[redacted]").is_some());
    assert!(find(&log, "request.sent", "OrderQuery").is_some());

    let mut hmacs = vec![order.params.value("hmac").to_string()];
    hmacs.push(n.field("hmac").to_string());
    let raw = String::from_utf8_lossy(&body).to_string();
    for pair in raw.split('&') {
        if let Some(h) = pair.strip_prefix("hmac=") {
            hmacs.push(h.to_string());
        }
    }
    hmacs.retain(|h| h.len() >= 16);
    assert!(!hmacs.is_empty());
    assert_nothing_to_forge_with(&log, &hmacs);
    sandbox.shutdown();
}

#[test]
fn faults_have_their_events_and_levels_filter() {
    let sandbox = start(SandboxConfig::default());
    let (sink, records) = recording(Level::Info);
    let config = ClientConfig {
        timeout: Duration::from_secs(1),
        logger: Some(sink),
        ..client_config(&sandbox)
    };
    let client = Client::new(md5_merchant(), config).unwrap();
    let params = |id: &str| order_params(id, 100, "http://127.0.0.1:9/n", "http://127.0.0.1:9/c");

    sandbox.inject(FaultRule::once(Fault::Slow(Duration::from_secs(3))));
    let slow = order_id("T");
    assert!(matches!(
        client.create_order(&params(&slow)),
        Err(Error::Timeout(_))
    ));
    let id = order_id("D");
    client.create_order(&params(&id)).unwrap();
    sandbox.inject(FaultRule::new(Fault::Drop, 1, Some(RequestType::Query)));
    client.query_order(&id).unwrap();
    assert_gateway(client.query_order("NOSUCHORDER1"), "RPM22201");
    sandbox.inject(FaultRule::once(Fault::BadSignature));
    assert!(client.create_order(&params(&order_id("S"))).is_err());

    let log = records.lock().unwrap().clone();
    let timeout = find(&log, "timeout", &slow).expect("timeout");
    assert_eq!(timeout.0, Level::Error);
    let retry = find(&log, "retry", &id).expect("retry");
    assert_eq!(retry.0, Level::Warn);
    let gateway = find(&log, "answer.received", "RPM22201").expect("gateway error");
    assert_eq!(gateway.0, Level::Warn);
    let refused = find(&log, "answer.refused", "SignatureMismatch").expect("answer.refused");
    assert_eq!(refused.0, Level::Error);
    assert!(log.iter().all(|(level, _, _)| *level <= Level::Info));
    assert!(!log.iter().any(|(_, e, _)| e.ends_with(".body")));
    sandbox.shutdown();

    // TLS: an https sandbox whose CA the client does not trust.
    let tls = start(SandboxConfig {
        https: true,
        ..SandboxConfig::default()
    });
    let (sink, records) = recording(Level::Error);
    let untrusting = Client::new(
        md5_merchant(),
        ClientConfig {
            endpoint: tls.endpoint(),
            timeout: Duration::from_secs(5),
            logger: Some(sink),
            ..ClientConfig::default()
        },
    )
    .unwrap();
    assert!(untrusting.query_order("X1").is_err());
    let log = records.lock().unwrap().clone();
    assert!(find(&log, "tls.failed", "X1").is_some(), "{log:?}");
    assert!(log.iter().all(|(level, _, _)| *level == Level::Error));
    tls.shutdown();
}

#[test]
fn a_panicking_logger_changes_nothing() {
    let sandbox = start(SandboxConfig::default());
    let config = ClientConfig {
        logger: Some(LogSink::new(
            |_: Level, _: &str, _: &str| panic!("the shop's logger failed"),
            Level::Debug,
        )),
        ..client_config(&sandbox)
    };
    let client = Client::new(md5_merchant(), config).unwrap();
    let id = order_id("P");
    client
        .create_order(&order_params(
            &id,
            100,
            "http://127.0.0.1:9/n",
            "http://127.0.0.1:9/c",
        ))
        .unwrap();
    assert!(client.parse_notification(b"garbage").is_err());
    sandbox.shutdown();
}
