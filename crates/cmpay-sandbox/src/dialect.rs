//! How the simulator puts its answers and notifications on the wire: as the
//! live gateway does by default (protocol.md §8), with switches that let
//! tests exercise every decoding the library tolerates.

use cmpay::charset::Charset;
use cmpay::form;
use cmpay::html::AutoSubmit;
use cmpay::params::Params;

/// How the shopper's browser brings the PageNotify back to `callbackUrl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageNotifyMode {
    /// An auto-submitting POST form on the page after paying, as the live
    /// gateway does (the kits' `back_url` pages read POST fields only).
    #[default]
    Post,
    /// A 302 redirect to `callbackUrl?fields` (a GET query string).
    Get,
}

impl PageNotifyMode {
    /// From `post` or `get`.
    pub fn from_name(name: &str) -> Option<PageNotifyMode> {
        match name.to_ascii_lowercase().as_str() {
            "post" => Some(PageNotifyMode::Post),
            "get" => Some(PageNotifyMode::Get),
            _ => None,
        }
    }

    /// `post` or `get`.
    pub fn name(self) -> &'static str {
        match self {
            PageNotifyMode::Post => "post",
            PageNotifyMode::Get => "get",
        }
    }
}

/// How the values of a notification (OfflineNotify body, PageNotify fields)
/// are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotifyEncoding {
    /// UTF-8, percent-encoded once: the document's "signed, then converted
    /// to UTF-8".
    #[default]
    Utf8,
    /// UTF-8, percent-encoded twice (Chinese fields arrive encoded twice).
    Utf8Twice,
    /// GBK, percent-encoded once.
    Gbk,
}

impl NotifyEncoding {
    /// From `utf8`, `utf8-twice` or `gbk`.
    pub fn from_name(name: &str) -> Option<NotifyEncoding> {
        match name.to_ascii_lowercase().as_str() {
            "utf8" | "utf-8" => Some(NotifyEncoding::Utf8),
            "utf8-twice" | "utf-8-twice" | "twice" => Some(NotifyEncoding::Utf8Twice),
            "gbk" => Some(NotifyEncoding::Gbk),
            _ => None,
        }
    }

    /// `utf8`, `utf8-twice` or `gbk`.
    pub fn name(self) -> &'static str {
        match self {
            NotifyEncoding::Utf8 => "utf8",
            NotifyEncoding::Utf8Twice => "utf8-twice",
            NotifyEncoding::Gbk => "gbk",
        }
    }

    /// The charset named in the notification's Content-Type.
    pub fn charset(self) -> Charset {
        match self {
            NotifyEncoding::Gbk => Charset::Gbk,
            _ => Charset::Utf8,
        }
    }

    /// One value as the notification carries it, before the form's own
    /// percent-encoding: twice-encoded text is encoded once here.
    fn prepare(self, value: &str) -> String {
        match self {
            NotifyEncoding::Utf8Twice if !value.is_ascii() => form::escape(value.as_bytes()),
            _ => value.to_string(),
        }
    }

    /// A notification as a form body (OfflineNotify) or query string.
    /// Text GBK cannot hold is sent as UTF-8 (the library tries that too).
    pub fn encode(self, params: &Params) -> String {
        let mut body = String::new();
        for (name, value) in params.iter() {
            let value = self.prepare(value);
            if form::push_pair(&mut body, self.charset(), name, &value).is_err() {
                let _ = form::push_pair(&mut body, Charset::Utf8, name, &value);
            }
        }
        body
    }

    /// The page after paying: a form that the browser submits at once to
    /// `action` (callbackUrl) by POST, its fields as hidden inputs. The page
    /// and the form are in UTF-8 (GBK with `Gbk`, via accept-charset), so a
    /// browser sends the values encoded once in that charset.
    pub fn post_form(self, action: &str, params: &Params, note: &str) -> Vec<u8> {
        AutoSubmit {
            method: "post",
            action,
            accept_charset: Some(self.charset().http_name()),
            note,
            button: "返回商户 Back to the merchant",
        }
        .page(params.iter().map(|(n, v)| (n, self.prepare(v))))
        .into_bytes()
    }
}

/// A gateway answer on the wire, as the live gateway writes it: values
/// percent-encoded as UTF-8, except `payUrl` and `amtItem`, which go raw
/// (`<hi:=>`, `=` and `#` literally) because the kits do not decode them.
pub fn answer_body(params: &Params) -> String {
    let mut body = String::new();
    for (name, value) in params.iter() {
        if name == "payUrl" || name == "amtItem" {
            if !body.is_empty() {
                body.push('&');
            }
            body.push_str(name);
            body.push('=');
            body.push_str(value);
        } else {
            // UTF-8 encoding cannot fail.
            let _ = form::push_pair(&mut body, Charset::Utf8, name, value);
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_carry_pay_url_and_amt_item_raw() {
        let p: Params = [
            ("message", "商户 SUCCESS"),
            ("payUrl", "url<hi:=>http://x/a<hi:$$>sessionId<hi:=>1"),
            ("amtItem", "CNY_AMT=1#CMY_AMT=0"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            answer_body(&p),
            "message=%E5%95%86%E6%88%B7+SUCCESS&payUrl=url<hi:=>http://x/a<hi:$$>sessionId<hi:=>1&amtItem=CNY_AMT=1#CMY_AMT=0"
        );
    }

    #[test]
    fn notification_encodings() {
        let p: Params = [("a", "和"), ("b", "x")].into_iter().collect();
        assert_eq!(NotifyEncoding::Utf8.encode(&p), "a=%E5%92%8C&b=x");
        assert_eq!(
            NotifyEncoding::Utf8Twice.encode(&p),
            "a=%25E5%2592%258C&b=x"
        );
        assert_eq!(NotifyEncoding::Gbk.encode(&p), "a=%BA%CD&b=x");
    }
}

/// Shapes of values the live gateway has been seen to send in two ways
/// (protocol.md §8.9). The defaults are those of the captured 2016 traffic;
/// the other shapes stay available, since a shop must cope with both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shapes {
    /// payNo of 24 digits (`yyyyMMddHHmmss` and a 10-digit number) instead
    /// of the captured 18 (`yyMMddHHmmss` and a 6-digit number).
    pub long_pay_no: bool,
    /// fee as 0.6% of the amount in yuan (`0.74`) instead of the captured `0`.
    pub fee_percent: bool,
    /// The WAP payUrl with a fourth part `<hi:$$>MERC_PAY_TPY<hi:=>` (seen
    /// from the live gateway too) instead of the captured three.
    pub wap_merc_pay_tpy: bool,
}

impl Shapes {
    /// The names `--shapes` takes, each switching one shape on.
    pub const NAMES: &'static [&'static str] = &["long-pay-no", "fee-percent", "merc-pay-tpy"];

    /// From a comma-separated list of `NAMES` (empty: the defaults).
    pub fn from_list(list: &str) -> Option<Shapes> {
        let mut s = Shapes::default();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "long-pay-no" => s.long_pay_no = true,
                "fee-percent" => s.fee_percent = true,
                "merc-pay-tpy" => s.wap_merc_pay_tpy = true,
                _ => return None,
            }
        }
        Some(s)
    }
}
