//! OfflineNotify delivery: workers take due sends from the queue, POST the
//! signed notification to the order's notifyUrl, record the attempt, and
//! schedule the next send on the gateway's timetable (scaled) until the
//! merchant answers exactly `SUCCESS`, 8 sends at most.

use super::gateway::{payment_fields, sign};
use super::{DeliveryAttempt, Job, NOTIFY_SCHEDULE_MINUTES, Order, Shared, lock};
use cmpay::fields::MessageKind;
use cmpay::params::Params;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The signed notification of `notify_type` (PageNotify or OfflineNotify).
pub(super) fn notification(shared: &Shared, order: &Order, notify_type: &str) -> Option<Params> {
    let keys = shared.merchants.get(&order.merchant_id)?;
    let fields = payment_fields(order);
    let mut p = Params::new();
    for field in MessageKind::Notify.fields() {
        p.set(field.name, fields.value(field.name));
    }
    p.set("type", notify_type);
    Some(sign(shared, keys, MessageKind::Notify, p))
}

pub(super) fn worker(shared: &Arc<Shared>) {
    loop {
        let job = {
            let mut queue = lock(&shared.queue);
            loop {
                if shared.stopping.load(Ordering::SeqCst) {
                    return;
                }
                let now = Instant::now();
                match queue.peek() {
                    Some(job) if job.due <= now => break queue.pop(),
                    Some(job) => {
                        let wait = job.due - now;
                        queue = shared
                            .queue_cv
                            .wait_timeout(queue, wait)
                            .map(|(g, _)| g)
                            .unwrap_or_else(|p| p.into_inner().0);
                    }
                    None => {
                        queue = shared
                            .queue_cv
                            .wait_timeout(queue, Duration::from_secs(1))
                            .map(|(g, _)| g)
                            .unwrap_or_else(|p| p.into_inner().0);
                    }
                }
            }
        };
        if let Some(job) = job {
            deliver(shared, job);
        }
    }
}

fn deliver(shared: &Arc<Shared>, job: Job) {
    let prepared = {
        let book = lock(&shared.book);
        book.orders
            .get(&(job.merchant_id.clone(), job.order_id.clone()))
            .and_then(|order| {
                let params = notification(shared, order, "OfflineNotify")?;
                let encoding = lock(&shared.dialect).1;
                let (body, charset) = (encoding.encode(&params), encoding.charset());
                Some((
                    order.params.value("notifyUrl").to_string(),
                    order.pay_no.clone(),
                    body,
                    charset,
                    order.duplicate_notify,
                ))
            })
    };
    let Some((url, pay_no, body, charset, duplicate)) = prepared else {
        return;
    };
    let mut acked = false;
    let copies = if duplicate { 2 } else { 1 };
    for copy in 0..copies {
        let sent = Instant::now();
        let content_type = format!(
            "application/x-www-form-urlencoded; charset={}",
            charset.http_name()
        );
        let result = shared
            .notify_agent
            .post(&url)
            .header("Content-Type", &content_type)
            .send(&body);
        let (http_status, answer, error) = match result {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let mut buf = Vec::new();
                let read = response
                    .body_mut()
                    .as_reader()
                    .take(4096)
                    .read_to_end(&mut buf);
                match read {
                    Ok(_) => (Some(status), buf, None),
                    Err(e) => (Some(status), buf, Some(format!("reading the answer: {e}"))),
                }
            }
            Err(e) => (None, Vec::new(), Some(e.to_string())),
        };
        // Only the exact body SUCCESS, under a 2xx status, stops the resends.
        let this_acked = error.is_none()
            && http_status.is_some_and(|s| (200..300).contains(&s))
            && answer == b"SUCCESS";
        acked |= this_acked;
        let shown = String::from_utf8_lossy(&answer[..answer.len().min(200)]).into_owned();
        lock(&shared.deliveries).push(DeliveryAttempt {
            merchant_id: job.merchant_id.clone(),
            order_id: job.order_id.clone(),
            pay_no: pay_no.clone(),
            attempt: job.attempt,
            duplicate: copy > 0,
            url: url.clone(),
            scheduled_ms: shared.ms_since_start(job.due),
            sent_ms: shared.ms_since_start(sent),
            http_status,
            answer: shown,
            acked: this_acked,
            error,
        });
    }
    if acked {
        if let Some(order) = lock(&shared.book)
            .orders
            .get_mut(&(job.merchant_id.clone(), job.order_id.clone()))
        {
            order.notify_acked = true;
        }
        return;
    }
    let Some(minutes) = NOTIFY_SCHEDULE_MINUTES.get(job.attempt as usize - 1) else {
        return; // 8 sends made: the gateway gives up.
    };
    let next = Job {
        due: Instant::now() + shared.scaled_minutes(*minutes as f64),
        attempt: job.attempt + 1,
        ..job
    };
    lock(&shared.queue).push(next);
    shared.queue_cv.notify_one();
}
