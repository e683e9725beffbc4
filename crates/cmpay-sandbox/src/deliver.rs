//! OfflineNotify delivery: workers take due sends from the queue, POST the
//! signed notification to the order's notifyUrl, record the attempt, and
//! schedule the next send on the gateway's timetable (scaled) until the
//! merchant answers exactly `SUCCESS`, 8 sends at most; each answer that does
//! not count is logged (stderr) and recorded with the reason.

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
    let fields = payment_fields(order, shared.shapes);
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
        let not_acked = why_not_acked(http_status, &answer, error.as_deref());
        let this_acked = not_acked.is_none();
        acked |= this_acked;
        let shown = String::from_utf8_lossy(&answer[..answer.len().min(200)]).into_owned();
        if let Some(why) = &not_acked {
            eprintln!(
                "cmpay sandbox: OfflineNotify for order {} (send {}{}) to {url}: not acknowledged, {why}; it will be sent again",
                job.order_id,
                job.attempt,
                if copy > 0 { ", duplicate" } else { "" }
            );
        }
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
            not_acked,
            error,
            body: body.clone(),
        });
        shared.deliveries_cv.notify_all();
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

/// Why an answer to an OfflineNotify does not stop the resends, or None when
/// it does: only the body `SUCCESS`, exactly, under a 2xx status counts
/// (protocol.md §8.9). The reason names what came and what was expected.
pub(super) fn why_not_acked(
    http_status: Option<u16>,
    answer: &[u8],
    error: Option<&str>,
) -> Option<String> {
    const EXPECTED: &str =
        "the gateway expects exactly 'SUCCESS' (7 capital letters, nothing before or after)";
    if let Some(e) = error {
        return Some(format!("no answer read ({e})"));
    }
    let Some(status) = http_status else {
        return Some("no answer came".into());
    };
    if !(200..300).contains(&status) {
        return Some(format!(
            "HTTP status {status}: the gateway counts only a 2xx answer"
        ));
    }
    if answer == b"SUCCESS" {
        return None;
    }
    let shown = String::from_utf8_lossy(&answer[..answer.len().min(60)]).into_owned();
    let trimmed = answer.trim_ascii();
    Some(if answer.is_empty() {
        format!("answered an empty body: {EXPECTED}")
    } else if trimmed.eq_ignore_ascii_case(b"SUCCESS") && trimmed != b"SUCCESS" {
        format!("answered {shown:?}: {EXPECTED}; the case differs")
    } else if trimmed == b"SUCCESS" {
        format!("answered {shown:?}: {EXPECTED}; remove the whitespace or newline around it")
    } else if answer.starts_with(cmpay::decode::BOM) {
        format!("answered {shown:?}: {EXPECTED}; the answer starts with a UTF-8 byte-order mark")
    } else {
        format!("answered {shown:?}: {EXPECTED}")
    })
}

#[cfg(test)]
mod tests {
    use super::why_not_acked;

    #[test]
    fn each_answer_that_does_not_count_says_why() {
        assert_eq!(why_not_acked(Some(200), b"SUCCESS", None), None);
        let lower = why_not_acked(Some(200), b"success", None).unwrap();
        assert!(
            lower.contains("answered \"success\"")
                && lower.contains("exactly 'SUCCESS'")
                && lower.contains("case"),
            "{lower}"
        );
        let newline = why_not_acked(Some(200), b"SUCCESS\n", None).unwrap();
        assert!(newline.contains("newline"), "{newline}");
        assert!(
            why_not_acked(Some(500), b"SUCCESS", None)
                .unwrap()
                .contains("500")
        );
        assert!(
            why_not_acked(Some(200), b"", None)
                .unwrap()
                .contains("empty")
        );
        assert!(
            why_not_acked(Some(200), b"\xEF\xBB\xBFSUCCESS", None)
                .unwrap()
                .contains("byte-order mark")
        );
        assert!(
            why_not_acked(None, b"", Some("refused"))
                .unwrap()
                .contains("refused")
        );
        assert!(why_not_acked(None, b"", None).is_some());
    }
}
