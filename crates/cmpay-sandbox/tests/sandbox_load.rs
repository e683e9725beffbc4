//! Load: one client shared by 8 threads creates 2,000 orders against the
//! sandbox; every order is paid on the cashier and its OfflineNotify must
//! arrive. Prints orders/second (no timing assertion: the figure is a report).
//! Run alone for the figure: `cargo test --release -p cmpay-sandbox --test sandbox_load -- --nocapture`.

mod common;

use cmpay::*;
use cmpay_sandbox::{OrderState, SandboxConfig, TEST_MD5_MERCHANT_ID};
use common::*;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

const THREADS: usize = 8;
const ORDERS: usize = 2_000;

#[test]
fn eight_threads_two_thousand_orders() {
    let sandbox = start(SandboxConfig {
        time_factor: 6_000.0,
        ..SandboxConfig::default()
    });
    let endpoint = Endpoint::start(vec![]);
    let client = Arc::new(client(&sandbox, md5_merchant()));
    let notify_url = endpoint.url();

    let t = Instant::now();
    let handles: Vec<_> = (0..THREADS)
        .map(|thread| {
            let client = client.clone();
            let notify_url = notify_url.clone();
            std::thread::spawn(move || {
                let mut made = Vec::new();
                for i in 0..ORDERS / THREADS {
                    let id = format!("L{thread}x{i:05}");
                    let order = client
                        .create_order(&order_params(
                            &id,
                            100 + i as u64,
                            &notify_url,
                            "http://127.0.0.1:9/c",
                        ))
                        .unwrap_or_else(|e| panic!("order {id}: {e}"));
                    made.push((id, order));
                }
                made
            })
        })
        .collect();
    let orders: Vec<(String, OrderResponse)> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let created_in = t.elapsed();
    assert_eq!(orders.len(), ORDERS);
    let request_ids: HashSet<&str> = orders.iter().map(|(_, o)| o.request_id()).collect();
    assert_eq!(request_ids.len(), ORDERS, "a requestId was reused");
    println!(
        "load: {ORDERS} orders by {THREADS} threads sharing one client in {:.2} s: {:.0} orders/second ({} build)",
        created_in.as_secs_f64(),
        ORDERS as f64 / created_in.as_secs_f64(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );

    // Pay every order (4 browsers in parallel), then every notification must arrive.
    let orders = Arc::new(orders);
    let payers: Vec<_> = (0..4)
        .map(|k| {
            let orders = orders.clone();
            let base = sandbox.base_url();
            std::thread::spawn(move || {
                let agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .max_redirects(0)
                    .proxy(None)
                    .build()
                    .new_agent();
                for (_, order) in orders.iter().skip(k).step_by(4) {
                    let r = agent
                        .post(format!("{base}/ips/cashier/submit"))
                        .content_type("application/x-www-form-urlencoded")
                        .send(format!("sessionId={}&action=pay", order.pay_url.session_id))
                        .unwrap();
                    // The page that POSTs the PageNotify back to the shop.
                    assert_eq!(r.status().as_u16(), 200);
                }
            })
        })
        .collect();
    for p in payers {
        p.join().unwrap();
    }
    assert_eq!(
        endpoint.wait_for(ORDERS, Duration::from_secs(60)),
        ORDERS,
        "notifications lost"
    );
    std::thread::sleep(Duration::from_millis(100));
    let verifier = client.merchant().verifier().clone();
    let mut seen = HashSet::new();
    for r in endpoint.bodies() {
        let n = Notification::parse(&verifier, &r.body).unwrap();
        assert!(n.is_paid());
        assert!(
            seen.insert(n.order_id().to_string()),
            "order {} notified twice",
            n.order_id()
        );
    }
    let expected: HashSet<String> = orders.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(seen, expected);
    let views = sandbox.orders();
    assert_eq!(views.len(), ORDERS);
    assert!(views.iter().all(|v| v.state == OrderState::Paid
        && v.notify_acked
        && v.merchant_id == TEST_MD5_MERCHANT_ID));
    assert_eq!(
        sandbox.deliveries().len(),
        ORDERS,
        "each notification acknowledged on its first send"
    );
    sandbox.shutdown();
}
