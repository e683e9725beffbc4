//! The pages a person sees (the cashier behind payUrl, an overview), the
//! PageNotify redirect, and the simulator's JSON views and fault control.

use super::dialect::{NotifyEncoding, PageNotifyMode};
use super::http::{Request, Response};
use super::testapi::settle_with_page_notify;
use super::{Fault, FaultRule, OrderState, OrderView, RequestType, Shared, lock};
use cmpay::html::escape as esc;
use cmpay::money::yuan;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}button{{font-size:1.1em;margin:.5em}}.note{{color:#666}}</style></head>\n<body>\n<p class=\"note\">cmpay sandbox: a local simulator of the CMPay (和包) gateway. No real money moves.</p>\n{}\n</body></html>\n",
        esc(title),
        body
    )
}

pub(super) fn error_page(status: u16, code: &str, text: &str) -> Response {
    let meaning = cmpay::codes::return_code(code)
        .map(|c| format!("{} — {}", c.chinese, c.english))
        .unwrap_or_default();
    Response::html(
        status,
        layout(
            "和包收银台",
            &format!(
                "<h1>{}</h1><p>{}</p><p>{}</p>",
                esc(code),
                esc(&meaning),
                esc(text)
            ),
        ),
    )
}

/// The session a cashier request names: `sessionId` (the Java, .NET and ASP
/// kits) or `SESSIONID` (the PHP kit), in the query string or a POST form.
fn session_of(req: &Request) -> String {
    let form = req.form();
    match form.value("sessionId") {
        "" => form.value("SESSIONID").to_string(),
        id => id.to_string(),
    }
}

/// `GET|POST /ips/FormTrans3` and `/wap/index.xhtml`: the cashier page of one session.
pub(super) fn page(shared: &Arc<Shared>, req: &Request) -> Response {
    session_page(shared, &session_of(req))
}

/// The cashier page of `session_id` (also the bank's page GWDirectPay answers with).
pub(super) fn session_page(shared: &Arc<Shared>, session_id: &str) -> Response {
    let session_id = session_id.to_string();
    let book = lock(&shared.book);
    let Some(order) = book
        .sessions
        .get(&session_id)
        .and_then(|k| book.orders.get(k))
    else {
        return error_page(404, "RPM22201", "no order belongs to this sessionId");
    };
    let view = shared.view(order, std::time::Instant::now());
    drop(book);
    let rows = [
        (
            "商户 merchant",
            format!("{} {}", view.params.value("merchantAbbr"), view.merchant_id),
        ),
        ("订单号 order", view.order_id.clone()),
        ("商品 product", view.params.value("productName").to_string()),
        ("金额 amount", format!("¥{}", yuan(view.amount))),
        ("状态 state", view.state.name().to_string()),
    ];
    let table: String = rows
        .iter()
        .map(|(k, v)| format!("<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v)))
        .collect();
    let actions = if view.state == OrderState::Pending {
        format!(
            "<form method=\"post\" action=\"/ips/cashier/submit\">\n<input type=\"hidden\" name=\"sessionId\" value=\"{sid}\">\n<button type=\"submit\" name=\"action\" value=\"pay\" id=\"pay\">支付 Pay ¥{amount}</button>\n<button type=\"submit\" name=\"action\" value=\"fail\" id=\"fail\">支付失败 Fail the payment</button>\n</form>",
            sid = esc(&session_id),
            amount = yuan(view.amount)
        )
    } else {
        format!(
            "<p>This order can no longer be paid ({}).</p>",
            view.state.name()
        )
    };
    Response::html(
        200,
        layout(
            "和包收银台 CMPay cashier",
            &format!("<h1>和包收银台 · CMPay cashier</h1>\n<table>{table}</table>\n{actions}"),
        ),
    )
}

/// `POST /ips/cashier/submit` (sessionId, action=pay|fail, optional
/// pageNotify=post|get): settles the order and sends the browser to
/// callbackUrl with the PageNotify: an auto-submitting POST form (the live
/// gateway's way), or a 302 redirect with the fields in the query string.
pub(super) fn submit(shared: &Arc<Shared>, req: &Request) -> Response {
    let form = req.form();
    let (default_mode, encoding) = *lock(&shared.dialect);
    let mode = match form.value("pageNotify") {
        "" => default_mode,
        name => match PageNotifyMode::from_name(name) {
            Some(m) => m,
            None => return error_page(400, "", "pageNotify must be post or get"),
        },
    };
    let pay = match form.value("action") {
        "pay" => true,
        "fail" => false,
        other => {
            return error_page(
                400,
                "",
                &format!("action must be pay or fail, not {other:?}"),
            );
        }
    };
    let mut book = lock(&shared.book);
    let Some(key) = book.sessions.get(&session_of(req)).cloned() else {
        return error_page(404, "RPM22201", "no order belongs to this sessionId");
    };
    let (params, callback) = match settle_with_page_notify(shared, &mut book, &key, pay) {
        Ok(settled) => settled,
        Err(code) => {
            let status = match code {
                "RPM99981" => 410,
                "RPM22201" => 404,
                _ => 409,
            };
            return error_page(status, code, "the order cannot be paid");
        }
    };
    drop(book);
    let callback = callback.as_str();
    let note = if pay { "Paid" } else { "Payment failed" };
    if mode == PageNotifyMode::Post {
        let page = encoding.post_form(callback, &params, note);
        return Response::html(200, page);
    }
    let query = encoding.encode(&params);
    let sep = if callback.contains('?') { '&' } else { '?' };
    let location = format!("{callback}{sep}{query}");
    Response::redirect(
        &location,
        layout(
            "和包收银台",
            &format!(
                "<p>{}. <a href=\"{}\">Back to the merchant</a></p>",
                if pay { "Paid" } else { "Payment failed" },
                esc(&location)
            ),
        ),
    )
}

pub(super) fn order_json(v: &OrderView) -> Value {
    json!({
        "merchantId": v.merchant_id, "orderId": v.order_id, "requestId": v.request_id, "type": v.order_type,
        "amount": v.amount, "refunded": v.refunded, "state": v.state.name(), "payNo": v.pay_no,
        "sessionId": v.session_id, "characterSet": v.character_set, "notifyUrl": v.notify_url,
        "callbackUrl": v.callback_url, "createdMs": v.created_ms, "paidMs": v.paid_ms, "notifyAcked": v.notify_acked,
    })
}

pub(super) fn orders_json(shared: &Arc<Shared>, req: &Request) -> Response {
    let filter = req.query_params().value("orderId").to_string();
    let list: Vec<Value> = shared
        .orders()
        .iter()
        .filter(|o| filter.is_empty() || o.order_id == filter)
        .map(order_json)
        .collect();
    Response::json(200, Value::Array(list).to_string())
}

pub(super) fn deliveries_json(shared: &Arc<Shared>, req: &Request) -> Response {
    let filter = req.query_params().value("orderId").to_string();
    Response::json(200, shared.deliveries_json(Some(&filter)))
}

fn fault_json(r: &FaultRule) -> Value {
    let (name, extra) = match &r.fault {
        Fault::Slow(d) => ("slow", json!({ "ms": d.as_millis() as u64 })),
        Fault::Drop => ("drop", json!({})),
        Fault::HttpStatus(s) => ("http-status", json!({ "status": s })),
        Fault::Garbage => ("garbage", json!({})),
        Fault::BadSignature => ("bad-signature", json!({})),
        Fault::GatewayError { status, code } => {
            ("gateway-error", json!({ "status": status, "code": code }))
        }
        Fault::DuplicateNotify => ("duplicate-notify", json!({})),
    };
    let only = r.only.map(|t| match t {
        RequestType::Order => "order",
        RequestType::Query => "query",
        RequestType::Refund => "refund",
    });
    json!({ "fault": name, "count": r.count, "type": only, "detail": extra })
}

pub(super) fn faults_json(shared: &Arc<Shared>) -> Response {
    let list: Vec<Value> = lock(&shared.faults).iter().map(fault_json).collect();
    Response::json(200, Value::Array(list).to_string())
}

/// `POST /sandbox/faults` with form fields `fault` (slow, drop, http-status,
/// garbage, bad-signature, gateway-error, duplicate-notify), `count`
/// (default 1), `type` (order, query, refund; default any), `ms` (slow),
/// `status` (http-status, gateway-error), `code` (gateway-error).
pub(super) fn add_fault(shared: &Arc<Shared>, req: &Request) -> Response {
    match parse_fault(&req.form()) {
        Ok(rule) => {
            lock(&shared.faults).push(rule);
            faults_json(shared)
        }
        Err(e) => Response::text(400, format!("{e}\n")),
    }
}

fn parse_fault(f: &cmpay::params::Params) -> Result<FaultRule, String> {
    let num = |name: &str, default: u64| -> Result<u64, String> {
        match f.value(name) {
            "" => Ok(default),
            v => v
                .parse()
                .map_err(|_| format!("{name} must be a whole number, not {v:?}")),
        }
    };
    let status = |default: u64| -> Result<u16, String> {
        let s = num("status", default)?;
        if (100..=599).contains(&s) {
            Ok(s as u16)
        } else {
            Err(format!("status {s} is not an HTTP status"))
        }
    };
    let fault = match f.value("fault") {
        "slow" => match Duration::from_millis(num("ms", 5000)?) {
            d if d <= super::http::MAX_DELAY => Fault::Slow(d),
            _ => {
                return Err(format!(
                    "ms must be at most {}",
                    super::http::MAX_DELAY.as_millis()
                ));
            }
        },
        "drop" => Fault::Drop,
        "http-status" | "http500" => Fault::HttpStatus(status(500)?),
        "garbage" => Fault::Garbage,
        "bad-signature" => Fault::BadSignature,
        "gateway-error" => {
            let code = f.value("code");
            if code.is_empty()
                || code.len() > 10
                || !code.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Err("gateway-error needs code=, e.g. RPM77040".into());
            }
            Fault::GatewayError {
                status: status(200)?,
                code: code.to_string(),
            }
        }
        "duplicate-notify" => Fault::DuplicateNotify,
        other => {
            return Err(format!(
                "unknown fault {other:?}; one of slow, drop, http-status, garbage, bad-signature, gateway-error, duplicate-notify"
            ));
        }
    };
    let only = match f.value("type") {
        "" | "any" => None,
        "order" => Some(RequestType::Order),
        "query" => Some(RequestType::Query),
        "refund" => Some(RequestType::Refund),
        other => {
            return Err(format!(
                "unknown type {other:?}; one of order, query, refund, any"
            ));
        }
    };
    let count = u32::try_from(num("count", 1)?).map_err(|_| "count too large".to_string())?;
    Ok(FaultRule { fault, count, only })
}

/// `GET /sandbox/settings`: the dialect switches, as JSON.
pub(super) fn settings_json(shared: &Arc<Shared>) -> Response {
    let (mode, encoding) = *lock(&shared.dialect);
    Response::json(
        200,
        json!({ "pageNotify": mode.name(), "notifyEncoding": encoding.name() }).to_string(),
    )
}

/// `POST /sandbox/settings` with `pageNotify=post|get` and/or
/// `notifyEncoding=utf8|utf8-twice|gbk`: for the notifications sent from now on.
pub(super) fn set_settings(shared: &Arc<Shared>, req: &Request) -> Response {
    let form = req.form();
    let mut dialect = *lock(&shared.dialect);
    if let v @ ("post" | "get" | "POST" | "GET") = form.value("pageNotify") {
        dialect.0 = PageNotifyMode::from_name(v).unwrap_or_default();
    } else if !form.value("pageNotify").is_empty() {
        return Response::text(400, "pageNotify must be post or get\n");
    }
    match form.value("notifyEncoding") {
        "" => {}
        v => match NotifyEncoding::from_name(v) {
            Some(e) => dialect.1 = e,
            None => {
                return Response::text(400, "notifyEncoding must be utf8, utf8-twice or gbk\n");
            }
        },
    }
    *lock(&shared.dialect) = dialect;
    settings_json(shared)
}

/// `GET /`: what the simulator holds, for a person.
pub(super) fn index(shared: &Arc<Shared>) -> Response {
    let orders = shared.orders();
    let rows: String = orders
        .iter()
        .rev()
        .take(200)
        .map(|o| {
            let pay = if o.state == OrderState::Pending {
                format!("<a href=\"/ips/FormTrans3?sessionId={}\">cashier</a>", esc(&o.session_id))
            } else {
                String::new()
            };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&o.merchant_id),
                esc(&o.order_id),
                yuan(o.amount),
                o.state.name(),
                yuan(o.refunded),
                if o.notify_acked { "acked" } else { "" },
                pay
            )
        })
        .collect();
    let deliveries = lock(&shared.deliveries).len();
    Response::html(
        200,
        layout(
            "cmpay sandbox",
            &format!(
                "<h1>cmpay sandbox</h1><p>Endpoint: <code>{}/ips/cmpayService</code> · {} orders · {} OfflineNotify sends · <a href=\"/sandbox/orders\">orders (JSON)</a> · <a href=\"/sandbox/deliveries\">deliveries (JSON)</a></p>\n<table><tr><th>merchant</th><th>order</th><th>amount ¥</th><th>state</th><th>refunded ¥</th><th>notify</th><th></th></tr>{rows}</table>",
                esc(&shared.base_url),
                orders.len(),
                deliveries
            ),
        ),
    )
}
