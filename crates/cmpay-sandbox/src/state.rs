//! What the simulator holds: its orders (by merchant and orderId, with
//! their sessions and used requestIds), the OfflineNotify sends still due,
//! and the read-only views of orders and delivery attempts it gives out.

use super::{Shared, lock};
use cmpay::params::Params;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// An order's state as the simulator holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderState {
    /// Created, not paid, still valid.
    Pending,
    /// Created, not paid, past its validity.
    Expired,
    /// Paid; the notifications are scheduled.
    Paid,
    /// The payment failed.
    Failed,
}

impl OrderState {
    /// The state as the query answer's status names it.
    pub fn name(self) -> &'static str {
        match self {
            OrderState::Pending => "PENDING",
            OrderState::Expired => "EXPIRED",
            OrderState::Paid => "SUCCESS",
            OrderState::Failed => "FAILED",
        }
    }
}

/// A read-only view of one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderView {
    /// The merchant's merchantId.
    pub merchant_id: String,
    /// The merchant's orderId.
    pub order_id: String,
    /// The requestId of the order request.
    pub request_id: String,
    /// The order request's `type`.
    pub order_type: String,
    /// The amount in fen.
    pub amount: u64,
    /// Refunded so far, in fen.
    pub refunded: u64,
    /// Where the order is.
    pub state: OrderState,
    /// The gateway's payNo, once paid.
    pub pay_no: String,
    /// The sessionId of the payUrl.
    pub session_id: String,
    /// The characterSet the merchant asked for.
    pub character_set: String,
    /// Where OfflineNotify is sent.
    pub notify_url: String,
    /// Where the buyer's browser returns (PageNotify).
    pub callback_url: String,
    /// Milliseconds since the simulator started.
    pub created_ms: u64,
    /// Milliseconds since the simulator started, when paid.
    pub paid_ms: Option<u64>,
    /// The merchant answered an OfflineNotify with SUCCESS.
    pub notify_acked: bool,
    /// The order request's fields as received.
    pub params: Params,
}

/// One OfflineNotify POST and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// The merchant's merchantId.
    pub merchant_id: String,
    /// The merchant's orderId.
    pub order_id: String,
    /// The gateway's payNo.
    pub pay_no: String,
    /// 1 for the first send, up to 8.
    pub attempt: u32,
    /// The extra copy sent by the `DuplicateNotify` fault.
    pub duplicate: bool,
    /// The notifyUrl posted to.
    pub url: String,
    /// Milliseconds since the simulator started: when it was due, when sent.
    pub scheduled_ms: u64,
    /// When it was sent.
    pub sent_ms: u64,
    /// The merchant's HTTP status; None when no answer came.
    pub http_status: Option<u16>,
    /// The merchant's answer body (at most 200 bytes, lossy UTF-8).
    pub answer: String,
    /// The answer was exactly `SUCCESS` (with a 2xx status).
    pub acked: bool,
    /// Why the answer did not count, when it did not ("answered \"success\":
    /// the gateway expects exactly 'SUCCESS' …").
    pub not_acked: Option<String>,
    /// A transport error instead of an answer.
    pub error: Option<String>,
    /// The form body POSTed (percent-encoded, in the notification encoding
    /// of the time): what a shop's notify handler receives, for a test that
    /// hands it to the handler itself.
    pub body: String,
}

pub(crate) struct Order {
    pub(super) merchant_id: String,
    pub(super) order_id: String,
    pub(super) request_id: String,
    pub(super) order_type: String,
    pub(super) params: Params,
    pub(super) amount: u64,
    pub(super) refunded: u64,
    pub(super) state: OrderState,
    pub(super) pay_no: String,
    pub(super) pay_date: String,
    pub(super) session_id: String,
    pub(super) created: Instant,
    pub(super) expires: Instant,
    pub(super) paid: Option<Instant>,
    pub(super) duplicate_notify: bool,
    pub(super) notify_acked: bool,
}

impl Order {
    pub(super) fn state_at(&self, now: Instant) -> OrderState {
        match self.state {
            OrderState::Pending if now >= self.expires => OrderState::Expired,
            s => s,
        }
    }
}

#[derive(Default)]
pub(crate) struct Book {
    /// (merchantId, orderId) → order, in creation order through `seq`.
    pub(super) orders: HashMap<(String, String), Order>,
    pub(super) seq: Vec<(String, String)>,
    pub(super) sessions: HashMap<String, (String, String)>,
    pub(super) request_ids: HashSet<(String, String)>,
}

/// A due OfflineNotify send; the heap pops the earliest first.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Job {
    pub(super) due: Instant,
    pub(super) merchant_id: String,
    pub(super) order_id: String,
    pub(super) attempt: u32,
}

impl Ord for Job {
    fn cmp(&self, other: &Job) -> std::cmp::Ordering {
        other
            .due
            .cmp(&self.due)
            .then_with(|| other.order_id.cmp(&self.order_id))
    }
}
impl PartialOrd for Job {
    fn partial_cmp(&self, other: &Job) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Shared {
    pub(super) fn view(&self, o: &Order, now: Instant) -> OrderView {
        OrderView {
            merchant_id: o.merchant_id.clone(),
            order_id: o.order_id.clone(),
            request_id: o.request_id.clone(),
            order_type: o.order_type.clone(),
            amount: o.amount,
            refunded: o.refunded,
            state: o.state_at(now),
            pay_no: o.pay_no.clone(),
            session_id: o.session_id.clone(),
            character_set: o.params.value("characterSet").to_string(),
            notify_url: o.params.value("notifyUrl").to_string(),
            callback_url: o.params.value("callbackUrl").to_string(),
            created_ms: self.ms_since_start(o.created),
            paid_ms: o.paid.map(|t| self.ms_since_start(t)),
            notify_acked: o.notify_acked,
            params: o.params.clone(),
        }
    }

    pub(super) fn orders(&self) -> Vec<OrderView> {
        let book = lock(&self.book);
        let now = Instant::now();
        book.seq
            .iter()
            .filter_map(|k| book.orders.get(k))
            .map(|o| self.view(o, now))
            .collect()
    }
}
