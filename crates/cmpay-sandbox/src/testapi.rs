//! The test API (docs/sandbox-test-api.md): what a test does in place of a
//! buyer at the cashier (pay, fail), what time does to an unpaid order
//! (expire), and waiting for the OfflineNotify to be acknowledged. The Rust
//! methods are on `Sandbox`; this module also answers them over HTTP under
//! `/sandbox/...`, every refusal a JSON error with a stable code.

use super::deliver::notification;
use super::gateway::settle;
use super::http::{MAX_DELAY, Request, Response};
use super::{Book, DeliveryAttempt, OrderState, OrderView, Shared, lock};
use cmpay::params::Params;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why the test API refused a call; `code` is stable (`as_str`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalCode {
    /// No order has this orderId (for this merchantId).
    UnknownOrder,
    /// Several merchants have an order with this orderId: give the merchantId.
    AmbiguousOrder,
    /// The order is paid already.
    AlreadyPaid,
    /// The order's payment failed already.
    AlreadyFailed,
    /// The order is past its validity (or was expired by the test API).
    Expired,
    /// The OfflineNotify was not acknowledged within the timeout.
    NotAcknowledged,
    /// A parameter is missing or malformed (HTTP only).
    BadRequest,
}

impl RefusalCode {
    /// The stable name: `unknown-order`, `ambiguous-order`, `already-paid`,
    /// `already-failed`, `expired`, `not-acknowledged`, `bad-request`.
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::UnknownOrder => "unknown-order",
            RefusalCode::AmbiguousOrder => "ambiguous-order",
            RefusalCode::AlreadyPaid => "already-paid",
            RefusalCode::AlreadyFailed => "already-failed",
            RefusalCode::Expired => "expired",
            RefusalCode::NotAcknowledged => "not-acknowledged",
            RefusalCode::BadRequest => "bad-request",
        }
    }

    /// The HTTP status the test API answers the refusal with.
    pub fn http_status(self) -> u16 {
        match self {
            RefusalCode::UnknownOrder => 404,
            RefusalCode::AmbiguousOrder | RefusalCode::BadRequest => 400,
            RefusalCode::AlreadyPaid | RefusalCode::AlreadyFailed | RefusalCode::Expired => 409,
            RefusalCode::NotAcknowledged => 504,
        }
    }
}

/// A refusal of the test API: a stable code and a sentence saying why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What kind of refusal.
    pub code: RefusalCode,
    /// Why, for a person.
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Refusal {}

fn refuse(code: RefusalCode, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
    }
}

/// What paying or failing an order through the test API caused: the order
/// as it now is, and the PageNotify the cashier would have sent the buyer's
/// browser back to callbackUrl with (the OfflineNotify is on its way to
/// notifyUrl, as after the cashier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// The order after the payment (state SUCCESS or FAILED, its payNo).
    pub order: OrderView,
    /// The order's callbackUrl, where the PageNotify goes.
    pub callback_url: String,
    /// The signed PageNotify's fields.
    pub page_notify: Params,
    /// The PageNotify as the browser sends it, in the simulator's current
    /// notification encoding (a form body, or the query string of a GET).
    pub page_notify_body: String,
}

/// The key of the order `order_id` (of `merchant_id`, when given).
pub(super) fn resolve(
    book: &Book,
    merchant_id: Option<&str>,
    order_id: &str,
) -> Result<(String, String), Refusal> {
    if order_id.is_empty() {
        return Err(refuse(RefusalCode::BadRequest, "orderId is empty"));
    }
    if let Some(merchant_id) = merchant_id.filter(|m| !m.is_empty()) {
        let key = (merchant_id.to_string(), order_id.to_string());
        return if book.orders.contains_key(&key) {
            Ok(key)
        } else {
            Err(refuse(
                RefusalCode::UnknownOrder,
                format!("merchant {merchant_id} has no order {order_id:?}"),
            ))
        };
    }
    let mut found = book.seq.iter().filter(|(_, o)| o == order_id);
    match (found.next(), found.next()) {
        (None, _) => Err(refuse(
            RefusalCode::UnknownOrder,
            format!("no order has orderId {order_id:?}"),
        )),
        (Some(key), None) => Ok(key.clone()),
        (Some(a), Some(b)) => Err(refuse(
            RefusalCode::AmbiguousOrder,
            format!(
                "orderId {order_id:?} is an order of merchant {} and of merchant {}: give the merchantId",
                a.0, b.0
            ),
        )),
    }
}

/// Why an order in `state` cannot be paid, failed or expired, if it cannot.
fn settled_refusal(state: OrderState, order_id: &str) -> Option<Refusal> {
    match state {
        OrderState::Pending => None,
        OrderState::Paid => Some(refuse(
            RefusalCode::AlreadyPaid,
            format!("order {order_id:?} is paid already"),
        )),
        OrderState::Failed => Some(refuse(
            RefusalCode::AlreadyFailed,
            format!("order {order_id:?} failed already (its payment was refused)"),
        )),
        OrderState::Expired => Some(refuse(
            RefusalCode::Expired,
            format!("order {order_id:?} is past its validity"),
        )),
    }
}

/// Settles a pending order as the cashier does (`settle`: state, payNo,
/// the OfflineNotify scheduled) and builds its PageNotify. Holding the book
/// lock throughout: the cashier's submit and the test API go through here.
/// Fails with the gateway code refusing it.
pub(super) fn settle_with_page_notify(
    shared: &Arc<Shared>,
    book: &mut Book,
    key: &(String, String),
    pay: bool,
) -> Result<(Params, String), &'static str> {
    settle(shared, book, key, pay)?;
    let order = book.orders.get(key).ok_or("RPM22201")?;
    let params = notification(shared, order, "PageNotify").ok_or("IPS0001")?;
    Ok((params, order.params.value("callbackUrl").to_string()))
}

impl Shared {
    /// Pays (or fails) an order as a buyer at the cashier would.
    pub(super) fn settle_order(
        self: &Arc<Self>,
        merchant_id: Option<&str>,
        order_id: &str,
        pay: bool,
    ) -> Result<Settlement, Refusal> {
        let mut book = lock(&self.book);
        let key = resolve(&book, merchant_id, order_id)?;
        if let Some(order) = book.orders.get(&key)
            && let Some(refusal) = settled_refusal(order.state_at(Instant::now()), order_id)
        {
            return Err(refusal);
        }
        let (page_notify, callback_url) = settle_with_page_notify(self, &mut book, &key, pay)
            .map_err(|code| {
                refuse(
                    RefusalCode::UnknownOrder,
                    format!("order {order_id:?} cannot be settled ({code})"),
                )
            })?;
        let order = book
            .orders
            .get(&key)
            .map(|o| self.view(o, Instant::now()))
            .ok_or_else(|| refuse(RefusalCode::UnknownOrder, "the order vanished"))?;
        drop(book);
        let encoding = lock(&self.dialect).1;
        Ok(Settlement {
            order,
            callback_url,
            page_notify_body: encoding.encode(&page_notify),
            page_notify,
        })
    }

    /// Puts a pending order past its validity, as time would.
    pub(super) fn expire_order(
        &self,
        merchant_id: Option<&str>,
        order_id: &str,
    ) -> Result<OrderView, Refusal> {
        let mut book = lock(&self.book);
        let key = resolve(&book, merchant_id, order_id)?;
        let now = Instant::now();
        let order = book
            .orders
            .get_mut(&key)
            .ok_or_else(|| refuse(RefusalCode::UnknownOrder, "the order vanished"))?;
        if let Some(refusal) = settled_refusal(order.state_at(now), order_id) {
            return Err(refusal);
        }
        order.expires = now;
        Ok(self.view(order, now))
    }

    /// Waits until an OfflineNotify of the order was acknowledged; its
    /// attempts so far either way.
    pub(super) fn wait_notified(
        &self,
        merchant_id: Option<&str>,
        order_id: &str,
        timeout: Duration,
    ) -> Result<Vec<DeliveryAttempt>, Refusal> {
        let key = resolve(&lock(&self.book), merchant_id, order_id)?;
        let deadline = Instant::now() + timeout;
        let of_order = |d: &DeliveryAttempt| d.merchant_id == key.0 && d.order_id == key.1;
        let mut deliveries = lock(&self.deliveries);
        loop {
            let attempts: Vec<DeliveryAttempt> =
                deliveries.iter().filter(|d| of_order(d)).cloned().collect();
            if attempts.iter().any(|d| d.acked) {
                return Ok(attempts);
            }
            let now = Instant::now();
            if now >= deadline || self.stopping.load(std::sync::atomic::Ordering::SeqCst) {
                // The book is locked alone (never inside the deliveries' lock).
                drop(deliveries);
                let state = lock(&self.book)
                    .orders
                    .get(&key)
                    .map(|o| o.state_at(Instant::now()))
                    .unwrap_or(OrderState::Pending);
                let reason = match attempts.last() {
                    Some(last) => format!(
                        "{} send(s) to {}, the last {}",
                        attempts.len(),
                        last.url,
                        last.not_acked
                            .clone()
                            .unwrap_or_else(|| "not acknowledged".into())
                    ),
                    None => match state {
                        OrderState::Pending => format!(
                            "no OfflineNotify was sent: order {order_id:?} is not paid (pay or fail it first)"
                        ),
                        OrderState::Expired => format!(
                            "no OfflineNotify is sent for order {order_id:?}: it expired unpaid"
                        ),
                        _ => format!(
                            "no OfflineNotify for order {order_id:?} was sent within {} ms",
                            timeout.as_millis()
                        ),
                    },
                };
                return Err(refuse(
                    RefusalCode::NotAcknowledged,
                    format!("not acknowledged: {reason}"),
                ));
            }
            deliveries = self
                .deliveries_cv
                .wait_timeout(deliveries, (deadline - now).min(Duration::from_millis(200)))
                .map(|(g, _)| g)
                .unwrap_or_else(|p| p.into_inner().0);
        }
    }

    /// The deliveries (of `order_id` only, when given) as the JSON document
    /// of `GET /sandbox/deliveries`.
    pub(super) fn deliveries_json(&self, order_id: Option<&str>) -> String {
        let list: Vec<Value> = lock(&self.deliveries)
            .iter()
            .filter(|d| order_id.is_none_or(|o| o.is_empty() || d.order_id == o))
            .map(delivery_json)
            .collect();
        Value::Array(list).to_string()
    }
}

/// One delivery attempt as the JSON views show it.
pub(super) fn delivery_json(d: &DeliveryAttempt) -> Value {
    json!({
        "merchantId": d.merchant_id, "orderId": d.order_id, "payNo": d.pay_no, "attempt": d.attempt,
        "duplicate": d.duplicate, "url": d.url, "scheduledMs": d.scheduled_ms, "sentMs": d.sent_ms,
        "httpStatus": d.http_status, "answer": d.answer, "acked": d.acked, "notAcked": d.not_acked, "error": d.error,
        "body": d.body,
    })
}

/// The longest `timeoutMs` of `/sandbox/wait-notified`: a test waits, the
/// simulator's threads are not parked for longer.
const MAX_WAIT: Duration = MAX_DELAY;

fn error_json(r: &Refusal) -> Response {
    Response::json(
        r.code.http_status(),
        json!({ "error": { "code": r.code.as_str(), "message": r.message } }).to_string(),
    )
}

/// `POST /sandbox/pay`, `/sandbox/fail`, `/sandbox/expire`, and
/// `GET|POST /sandbox/wait-notified` (form or query: orderId, merchantId,
/// timeoutMs).
pub(super) fn route(shared: &Arc<Shared>, action: &str, req: &Request) -> Response {
    let form = req.form();
    let order_id = form.value("orderId");
    let merchant_id = Some(form.value("merchantId")).filter(|m| !m.is_empty());
    if order_id.is_empty() {
        return error_json(&refuse(
            RefusalCode::BadRequest,
            "orderId is missing (form field or query parameter orderId; merchantId when the orderId alone is ambiguous)",
        ));
    }
    let order_json = |v: &OrderView| super::cashier::order_json(v);
    let outcome = match action {
        "pay" | "fail" => shared
            .settle_order(merchant_id, order_id, action == "pay")
            .map(|s| {
                json!({
                    "order": order_json(&s.order),
                    "pageNotify": {
                        "url": s.callback_url,
                        "fields": s.page_notify.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
                        "body": s.page_notify_body,
                    },
                })
            }),
        "expire" => shared
            .expire_order(merchant_id, order_id)
            .map(|v| json!({ "order": order_json(&v) })),
        _ => {
            let timeout = match form.value("timeoutMs") {
                "" => Ok(Duration::from_secs(5)),
                v => v
                    .parse::<u64>()
                    .ok()
                    .map(Duration::from_millis)
                    .filter(|d| *d <= MAX_WAIT)
                    .ok_or_else(|| {
                        refuse(
                            RefusalCode::BadRequest,
                            format!(
                                "timeoutMs must be a whole number of milliseconds up to {}, not {v:?}",
                                MAX_WAIT.as_millis()
                            ),
                        )
                    }),
            };
            timeout
                .and_then(|t| shared.wait_notified(merchant_id, order_id, t))
                .map(|attempts| {
                    json!({ "deliveries": attempts.iter().map(delivery_json).collect::<Vec<_>>() })
                })
        }
    };
    match outcome {
        Ok(v) => Response::json(200, v.to_string()),
        Err(r) => error_json(&r),
    }
}
