//! `POST /ips/cmpayService`: the three request types, checked in the
//! gateway's order (merchant, signature, fields, state) and answered with
//! its codes, plus the injected faults.

use super::http::{Reply, Request, Response};
use super::{Book, Fault, Job, MerchantKeys, Order, OrderState, RequestType, Shared, lock};
use cmpay::codes;
use cmpay::fields::MessageKind;
use cmpay::params::Params;
use cmpay::validate;
use std::sync::Arc;
use std::time::Instant;

const VERSION: &str = "2.0.0";

/// An answer to send: its fields (signed when `signed`), and HTTP status.
struct Answer {
    status: u16,
    params: Params,
    /// Answered to a browser as a page (GWDirectPay), not as a form body.
    html: bool,
}

pub(super) fn service(shared: &Arc<Shared>, req: &Request) -> Reply {
    if req.method != "POST" {
        return Response::text(405, "the gateway takes POST only\n").into();
    }
    // Read in the request's own characterSet, percent-encoded or raw, whatever
    // the Content-Type says, from the query string, the body or both
    // (protocol.md §8.1, §8.9).
    let params = match cmpay::decode::request_parts(req.query.as_bytes(), &req.body) {
        Ok(p) => p,
        Err(e) => return unreadable(shared, req, &e),
    };
    let request = MessageKind::request_of_type(params.value("type"));
    let which = request.map(|kind| match kind {
        MessageKind::QueryRequest => RequestType::Query,
        MessageKind::RefundRequest => RequestType::Refund,
        _ => RequestType::Order,
    });
    let fault = shared.take_fault(which, |f| !matches!(f, Fault::DuplicateNotify));
    if let Some(Fault::Slow(d)) = &fault {
        std::thread::sleep((*d).min(super::http::MAX_DELAY));
    }
    // An unknown type is answered as an order request would be (its error).
    let kind = request.unwrap_or(MessageKind::OrderRequest);
    let answer_kind = kind.answer().unwrap_or(MessageKind::OrderResponse);
    let answer = match &fault {
        Some(Fault::GatewayError { status, code }) => {
            let mut a = error_answer(shared, answer_kind, &params, code, None);
            a.status = *status;
            a
        }
        _ => handle(shared, which, kind, answer_kind, &params),
    };
    let mut params = answer.params;
    match fault {
        Some(Fault::Drop) => return Reply::Close,
        Some(Fault::HttpStatus(status)) => {
            return Response::text(status, format!("<html><body><h1>{status}</h1>The server is temporarily unable to service your request.</body></html>\n")).into();
        }
        Some(Fault::Garbage) => {
            return Response::new(200, "text/html", "<html><head><title>Service Unavailable</title></head><body>\u{0}\u{1}garbage&&==</body></html>").into();
        }
        Some(Fault::BadSignature) => {
            let hmac = params.value("hmac").to_string();
            if let Some(first) = hmac.chars().next() {
                let swapped = if first == '0' { '1' } else { '0' };
                params.set("hmac", format!("{swapped}{}", &hmac[first.len_utf8()..]));
            }
        }
        _ => {}
    }
    if answer.html {
        // GWDirectPay: the shopper's browser posted the order; it gets a page.
        return match params.value("returnCode") {
            "000000" => {
                let session = params.value("sessionId").to_string();
                super::cashier::session_page(shared, &session).into()
            }
            code => super::cashier::error_page(
                400,
                code,
                &format!("{} (GWDirectPay)", params.value("message")),
            )
            .into(),
        };
    }
    Response::form(answer.status, super::dialect::answer_body(&params)).into()
}

/// A request the gateway cannot read as signed (bytes not in its
/// characterSet, a byte-order mark, a name twice, no pairs at all): still a
/// gateway answer, IPS0008 with the reason, echoing what can be made out of
/// merchantId, requestId, type and signType (§8.9).
fn unreadable(shared: &Arc<Shared>, req: &Request, error: &cmpay::error::Error) -> Reply {
    let mut lenient = req.query_params();
    let body = req
        .body
        .strip_prefix(cmpay::decode::BOM)
        .unwrap_or(&req.body);
    if let Ok(p) = cmpay::body::parse(body) {
        for (n, v) in p.iter() {
            lenient.set(n, v);
        }
    }
    // Only the echoed fields are kept, and only when they are plain ASCII:
    // nothing unreadable is signed back.
    let mut echo = Params::new();
    for name in ["merchantId", "requestId", "orderId", "type", "signType"] {
        let v = lenient.value(name);
        if v.bytes().all(|b| b.is_ascii_graphic()) {
            echo.set(name, v);
        }
    }
    let kind = MessageKind::request_of_type(echo.value("type"))
        .and_then(|k| k.answer())
        .unwrap_or(MessageKind::OrderResponse);
    let detail = match error {
        cmpay::error::Error::Parse(m) => m.clone(),
        other => other.to_string(),
    };
    let answer = error_answer(shared, kind, &echo, "IPS0008", Some(detail));
    if answer.html {
        return super::cashier::error_page(400, "IPS0008", answer.params.value("message")).into();
    }
    Response::form(answer.status, super::dialect::answer_body(&answer.params)).into()
}

fn handle(
    shared: &Arc<Shared>,
    which: Option<RequestType>,
    kind: MessageKind,
    answer_kind: MessageKind,
    params: &Params,
) -> Answer {
    let merchant_id = params.value("merchantId");
    let Some(keys) = shared.merchants.get(merchant_id) else {
        return error_answer(
            shared,
            answer_kind,
            params,
            "IPS0001",
            Some(format!("unknown merchantId {merchant_id:?}")),
        );
    };
    let Some(which) = which else {
        return error_answer(
            shared,
            answer_kind,
            params,
            "RPM77040",
            Some(format!(
                "unknown transaction type {:?}",
                params.value("type")
            )),
        );
    };
    let sign_type = params.value("signType");
    if sign_type != (if keys.rsa { "RSA" } else { "MD5" }) {
        return error_answer(
            shared,
            answer_kind,
            params,
            "IPS0001",
            Some(format!("signType {sign_type:?} is not this merchant's")),
        );
    }
    if keys.rsa && params.value("merchantCert").is_empty() {
        return error_answer(
            shared,
            answer_kind,
            params,
            "IPS0008",
            Some("merchantCert missing".into()),
        );
    }
    if let Err(e) = keys.verifier.verify(kind, params) {
        return error_answer(shared, answer_kind, params, "IPS0008", Some(e.to_string()));
    }
    for field in kind.fields() {
        if let Err(e) = validate::check(field, params.value(field.name)) {
            // Field errors the gateway has no documented code for get the
            // simulator's own (`cmpay codes` lists it), the reason in the message.
            let code = e
                .return_code()
                .unwrap_or(codes::FIELD_INVALID_CODE)
                .to_string();
            return error_answer(shared, answer_kind, params, &code, Some(e.to_string()));
        }
    }
    if let Err(e) = validate::order_rules(kind, params) {
        let code = e
            .return_code()
            .unwrap_or(codes::FIELD_INVALID_CODE)
            .to_string();
        return error_answer(shared, answer_kind, params, &code, Some(e.to_string()));
    }
    let bank = params.value("bankAbbr");
    if which == RequestType::Order && !bank.is_empty() && codes::bank(bank).is_none() {
        return error_answer(
            shared,
            answer_kind,
            params,
            "E22160",
            Some(format!("bank {bank:?} unknown")),
        );
    }
    let mut book = lock(&shared.book);
    let request_key = (
        merchant_id.to_string(),
        params.value("requestId").to_string(),
    );
    if book.request_ids.contains(&request_key) {
        drop(book);
        return error_answer(
            shared,
            answer_kind,
            params,
            "RPM22208",
            Some("requestId already used".into()),
        );
    }
    book.request_ids.insert(request_key);
    match which {
        RequestType::Order => create_order(shared, keys, &mut book, params),
        RequestType::Query => query(shared, keys, &book, params),
        RequestType::Refund => refund(shared, keys, &mut book, params),
    }
}

/// Signs `fields` (a message of `kind`) for the merchant and adds serverCert
/// (RSA) and hmac.
pub(super) fn sign(
    shared: &Shared,
    keys: &MerchantKeys,
    kind: MessageKind,
    mut params: Params,
) -> Params {
    match keys.signer.sign(kind, &params) {
        Ok(hmac) => {
            if keys.rsa {
                params.set("serverCert", shared.server_cert_hex.clone());
            }
            params.set("hmac", hmac);
        }
        Err(_) => {
            // Signing with a loaded key does not fail; leave it unsigned if it does.
        }
    }
    params
}

/// A gateway error answer for `kind`, signed when the merchant is known.
fn error_answer(
    shared: &Shared,
    kind: MessageKind,
    request: &Params,
    code: &str,
    detail: Option<String>,
) -> Answer {
    let meaning = codes::return_code(code)
        .map(|c| c.chinese.to_string())
        .unwrap_or_else(|| "交易失败".to_string());
    let message = match detail {
        Some(d) => format!("{meaning} ({d})"),
        None => meaning,
    };
    let mut p = Params::new();
    for field in kind.fields() {
        let value = match field.name {
            "merchantId" | "requestId" | "orderId" | "signType" => {
                request.value(field.name).to_string()
            }
            "type" => request.value("type").to_string(),
            "version" => VERSION.to_string(),
            "returnCode" => code.to_string(),
            "message" => message.clone(),
            _ => String::new(),
        };
        p.set(field.name, value);
    }
    let params = match shared.merchants.get(request.value("merchantId")) {
        Some(keys) if request.value("signType") == (if keys.rsa { "RSA" } else { "MD5" }) => {
            sign(shared, keys, kind, p)
        }
        _ => p,
    };
    Answer {
        status: 200,
        html: request.value("type") == "GWDirectPay",
        params,
    }
}

/// The live gateway's `message` on success: plain ASCII (protocol.md §8).
fn ok_message() -> String {
    "SUCCESS".to_string()
}

fn create_order(
    shared: &Arc<Shared>,
    keys: &MerchantKeys,
    book: &mut Book,
    params: &Params,
) -> Answer {
    let merchant_id = params.value("merchantId").to_string();
    let order_id = params.value("orderId").to_string();
    let key = (merchant_id.clone(), order_id.clone());
    if book.orders.contains_key(&key) {
        return error_answer(
            shared,
            MessageKind::OrderResponse,
            params,
            "RPM22208",
            Some(format!("orderId {order_id:?} already used")),
        );
    }
    // validate::check has accepted both numbers.
    let amount: u64 = params.value("amount").parse().unwrap_or(0);
    let period: f64 = params
        .value("period")
        .parse::<u32>()
        .map(f64::from)
        .unwrap_or(0.0);
    let unit_minutes = match params.value("periodUnit") {
        "00" => 1.0,
        "01" => 60.0,
        "02" => 1440.0,
        _ => 43_200.0, // 03: a month, as 30 days
    };
    let now = Instant::now();
    let expires = now + shared.scaled_minutes(period * unit_minutes);
    let session_id = format!(
        "{}{:08}",
        cmpay::dates::china_datetime(std::time::SystemTime::now()),
        shared.next_number()
    );
    let mut stored = Params::new();
    for (n, v) in params
        .iter()
        .filter(|(n, _)| *n != "hmac" && *n != "merchantCert")
    {
        stored.set(n, v);
    }
    book.sessions.insert(session_id.clone(), key.clone());
    book.seq.push(key.clone());
    book.orders.insert(
        key,
        Order {
            merchant_id: merchant_id.clone(),
            order_id,
            request_id: params.value("requestId").to_string(),
            order_type: params.value("type").to_string(),
            params: stored,
            amount,
            refunded: 0,
            state: OrderState::Pending,
            pay_no: String::new(),
            pay_date: String::new(),
            session_id: session_id.clone(),
            created: now,
            expires,
            paid: None,
            duplicate_notify: false,
            notify_acked: false,
        },
    );
    // The WAP cashier's token as the live gateway writes it (protocol.md §8).
    // Three parts as captured; MERC_PAY_TPY as a switch (protocol.md §8.9).
    let pay_url = if params.value("type") == "WAPDirectPayConfirm" {
        format!(
            "url<hi:=>{}/wap/index.xhtml<hi:$$>method<hi:=>POST<hi:$$>sessionId<hi:=>{session_id}{}",
            shared.base_url,
            if shared.shapes.wap_merc_pay_tpy {
                "<hi:$$>MERC_PAY_TPY<hi:=>"
            } else {
                ""
            }
        )
    } else {
        format!(
            "url<hi:=>{}/ips/FormTrans3<hi:$$>method<hi:=>post<hi:$$>sessionId<hi:=>{session_id}",
            shared.base_url
        )
    };
    let answer: Params = [
        ("merchantId", merchant_id),
        ("requestId", params.value("requestId").to_string()),
        ("signType", params.value("signType").to_string()),
        ("type", params.value("type").to_string()),
        ("version", VERSION.to_string()),
        ("returnCode", "000000".to_string()),
        ("message", ok_message()),
        ("payUrl", pay_url),
    ]
    .into_iter()
    .collect();
    let gw = params.value("type") == "GWDirectPay";
    let mut params = sign(shared, keys, MessageKind::OrderResponse, answer);
    if gw {
        params.set("sessionId", session_id); // for the page, never sent
    }
    Answer {
        status: 200,
        params,
        html: gw,
    }
}

fn query(shared: &Arc<Shared>, keys: &MerchantKeys, book: &Book, params: &Params) -> Answer {
    let key = (
        params.value("merchantId").to_string(),
        params.value("orderId").to_string(),
    );
    let Some(order) = book.orders.get(&key) else {
        return error_answer(shared, MessageKind::QueryResponse, params, "RPM22201", None);
    };
    let state = order.state_at(Instant::now());
    if state == OrderState::Expired {
        return error_answer(shared, MessageKind::QueryResponse, params, "RPM99981", None);
    }
    let mut fields = payment_fields(order, shared.shapes);
    fields.set("type", "OrderQuery");
    fields.set("signType", params.value("signType"));
    if state == OrderState::Pending {
        for name in ["payNo", "payDate", "status", "fee", "amtItem", "mobile"] {
            fields.set(name, "");
        }
    }
    let mut answer = Params::new();
    for field in MessageKind::QueryResponse.fields() {
        answer.set(field.name, fields.value(field.name));
    }
    Answer {
        status: 200,
        params: sign(shared, keys, MessageKind::QueryResponse, answer),
        html: false,
    }
}

fn refund(shared: &Arc<Shared>, keys: &MerchantKeys, book: &mut Book, params: &Params) -> Answer {
    let key = (
        params.value("merchantId").to_string(),
        params.value("orderId").to_string(),
    );
    let now = Instant::now();
    let Some(order) = book.orders.get_mut(&key) else {
        return error_answer(
            shared,
            MessageKind::RefundResponse,
            params,
            "RPM22201",
            None,
        );
    };
    match order.state_at(now) {
        OrderState::Expired => {
            return error_answer(
                shared,
                MessageKind::RefundResponse,
                params,
                "RPM99981",
                None,
            );
        }
        OrderState::Pending | OrderState::Failed => {
            return error_answer(
                shared,
                MessageKind::RefundResponse,
                params,
                "RPM22208",
                Some("order is not paid".into()),
            );
        }
        OrderState::Paid => {}
    }
    let amount: u64 = params.value("amount").parse().unwrap_or(0);
    if amount > order.amount.saturating_sub(order.refunded) {
        let left = order.amount.saturating_sub(order.refunded);
        return error_answer(
            shared,
            MessageKind::RefundResponse,
            params,
            "RPM22407",
            Some(format!("{amount} fen asked, {left} fen refundable")),
        );
    }
    order.refunded += amount;
    let answer: Params = [
        ("merchantId", order.merchant_id.clone()),
        ("payNo", order.pay_no.clone()),
        ("returnCode", "000000".to_string()),
        ("message", ok_message()),
        ("signType", params.value("signType").to_string()),
        ("type", "OrderRefund".to_string()),
        ("version", VERSION.to_string()),
        ("amount", amount.to_string()),
        ("orderId", order.order_id.clone()),
        ("status", "SUCCESS".to_string()),
    ]
    .into_iter()
    .collect();
    Answer {
        status: 200,
        params: sign(shared, keys, MessageKind::RefundResponse, answer),
        html: false,
    }
}

/// The fields a notification or query answer reports about a payment, by name.
pub(super) fn payment_fields(o: &Order, shapes: super::Shapes) -> Params {
    let paid = o.state == OrderState::Paid;
    // The merchant's fee: `0` as captured; as a switch, 0.6 % of the amount,
    // rounded down to the fen, in yuan (protocol.md §8.9).
    let fee = if shapes.fee_percent {
        cmpay::money::yuan(o.amount * 6 / 1000)
    } else {
        "0".to_string()
    };
    let mobile = match o.params.value("userToken") {
        t if t.len() == 11 && t.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{}****{}", &t[..3], &t[7..])
        }
        _ => "151****0263".to_string(),
    };
    [
        ("merchantId", o.merchant_id.clone()),
        ("payNo", o.pay_no.clone()),
        ("returnCode", "000000".to_string()),
        (
            "message",
            if paid {
                ok_message()
            } else {
                "支付失败".to_string()
            },
        ),
        ("signType", o.params.value("signType").to_string()),
        ("type", String::new()),
        ("version", VERSION.to_string()),
        ("amount", o.amount.to_string()),
        (
            "amtItem",
            if paid {
                format!(
                    "CNY_AMT={}#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0",
                    o.amount
                )
            } else {
                String::new()
            },
        ),
        ("bankAbbr", o.params.value("bankAbbr").to_string()),
        ("mobile", mobile),
        ("orderId", o.order_id.clone()),
        ("payDate", o.pay_date.clone()),
        ("accountDate", o.pay_date.get(..8).unwrap_or("").to_string()),
        ("reserved1", o.params.value("reserved1").to_string()),
        ("reserved2", o.params.value("reserved2").to_string()),
        (
            "status",
            (if paid { "SUCCESS" } else { "FAILED" }).to_string(),
        ),
        ("orderDate", o.params.value("orderDate").to_string()),
        ("fee", fee),
    ]
    .into_iter()
    .collect()
}

/// Marks a pending order paid or failed and schedules its OfflineNotify.
/// Fails with the gateway code refusing it.
pub(super) fn settle(
    shared: &Arc<Shared>,
    book: &mut Book,
    key: &(String, String),
    pay: bool,
) -> std::result::Result<(), &'static str> {
    let now = Instant::now();
    let Some(order) = book.orders.get_mut(key) else {
        return Err("RPM22201");
    };
    match order.state_at(now) {
        OrderState::Pending => {}
        OrderState::Expired => return Err("RPM99981"),
        OrderState::Paid | OrderState::Failed => return Err("RPM22208"),
    }
    let duplicate = shared
        .take_fault(None, |f| matches!(f, Fault::DuplicateNotify))
        .is_some();
    order.state = if pay {
        OrderState::Paid
    } else {
        OrderState::Failed
    };
    // 18 digits as captured (yyMMddHHmmss and a number), 24 as a switch.
    let now_text = cmpay::dates::china_datetime(std::time::SystemTime::now());
    order.pay_no = if shared.shapes.long_pay_no {
        format!("{now_text}{:010}", shared.next_number())
    } else {
        format!(
            "{}{:06}",
            now_text.get(2..).unwrap_or(&now_text),
            shared.next_number() % 1_000_000
        )
    };
    order.pay_date = cmpay::dates::china_datetime(std::time::SystemTime::now());
    order.paid = Some(now);
    order.duplicate_notify = duplicate;
    let mut queue = lock(&shared.queue);
    queue.push(Job {
        due: now,
        merchant_id: key.0.clone(),
        order_id: key.1.clone(),
        attempt: 1,
    });
    drop(queue);
    shared.queue_cv.notify_one();
    Ok(())
}
