//! The payUrl redirect token (protocol.md 5.3) and the two ways of sending
//! the shopper's browser on with it.

use crate::error::{Error, Result};
use crate::html::AutoSubmit;

#[derive(Debug, Clone, PartialEq, Eq)]
/// The payUrl of an order answer: where to send the buyer and how.
pub struct PayUrl {
    /// The cashier's address.
    pub url: String,
    /// "get" or "post", lower case.
    pub method: String,
    /// The gateway's sessionId, sent back as a form field.
    pub session_id: String,
}

impl PayUrl {
    /// Parses `url<hi:=>…<hi:$$>method<hi:=>…<hi:$$>sessionId<hi:=>…`,
    /// raw (as the gateway sends it) or still percent-encoded. Names are
    /// trimmed and compared without case; a part with an empty name is the
    /// url; other parts (`MERC_PAY_TPY<hi:=>`) are ignored; the method may
    /// be in any case. The token comes from a verified answer, so its URL is
    /// taken as the gateway sent it, `http` (the WAP cashier) or `https`.
    pub fn parse(token: &str) -> Result<PayUrl> {
        let decoded;
        let token = if !token.contains("<hi:") && token.contains('%') {
            decoded = String::from_utf8(crate::body::unescape(token.as_bytes()).into_owned())
                .map_err(|_| Error::Parse("payUrl is not UTF-8 once percent-decoded".into()))?;
            decoded.as_str()
        } else {
            token
        };
        let (mut url, mut method, mut session_id) = (None, None, None);
        for part in token.split("<hi:$$>").filter(|p| !p.trim().is_empty()) {
            let (name, value) = part
                .split_once("<hi:=>")
                .ok_or_else(|| Error::Parse(format!("payUrl part without <hi:=>: {part:?}")))?;
            let value = value.trim().to_string();
            match name.trim().to_ascii_lowercase().as_str() {
                "" | "url" => url = Some(value),
                "method" => method = Some(value.to_ascii_lowercase()),
                "sessionid" => session_id = Some(value),
                _ => {} // parts added later, e.g. MERC_PAY_TPY
            }
        }
        let url = url
            .filter(|u| !u.is_empty())
            .ok_or_else(|| Error::Parse("payUrl has no url".into()))?;
        let session_id = session_id
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::Parse("payUrl has no sessionId".into()))?;
        let method = method.unwrap_or_else(|| "post".into());
        if method != "get" && method != "post" {
            return Err(Error::Parse(format!(
                "payUrl method {method:?} is neither get nor post"
            )));
        }
        let scheme = url.get(..8).unwrap_or(&url).to_ascii_lowercase();
        if !(scheme.starts_with("https://") || scheme.starts_with("http://")) {
            return Err(Error::Parse(format!(
                "payUrl url {url:?} is neither http nor https; refused"
            )));
        }
        if url
            .chars()
            .any(|c| c.is_control() || c == '"' || c == '<' || c == '>' || c == ' ')
        {
            return Err(Error::Parse(
                "payUrl url contains characters a URL cannot hold".into(),
            ));
        }
        Ok(PayUrl {
            url,
            method,
            session_id,
        })
    }

    /// `url?sessionId=…`, for an HTTP 302 to the cashier.
    pub fn redirect_url(&self) -> String {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        let id = crate::form::escape(self.session_id.as_bytes());
        format!("{}{sep}sessionId={id}", self.url)
    }

    /// A complete HTML page that submits itself to the cashier (method as the
    /// token says), with a button for browsers without JavaScript.
    pub fn html_form(&self) -> String {
        AutoSubmit {
            method: &self.method,
            action: &self.url,
            accept_charset: None,
            note: "",
            button: "继续支付 Continue to payment",
        }
        .page([("sessionId", self.session_id.as_str())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerant_parsing() {
        let p = PayUrl::parse(
            "<hi:=>https://g/FormTrans3<hi:$$>method<hi:=>GET<hi:$$>sessionId <hi:=>2011",
        )
        .unwrap();
        assert_eq!(
            p,
            PayUrl {
                url: "https://g/FormTrans3".into(),
                method: "get".into(),
                session_id: "2011".into()
            }
        );
        assert_eq!(p.redirect_url(), "https://g/FormTrans3?sessionId=2011");
        // The live WAP cashier: plain http, POST in capitals, a fourth part.
        let wap = PayUrl::parse(
            "url<hi:=>http://ipos.10086.cn/wap/index.xhtml<hi:$$>method<hi:=>POST<hi:$$>sessionId<hi:=>7<hi:$$>MERC_PAY_TPY<hi:=>",
        )
        .unwrap();
        assert_eq!(
            (
                wap.url.as_str(),
                wap.method.as_str(),
                wap.session_id.as_str()
            ),
            ("http://ipos.10086.cn/wap/index.xhtml", "post", "7")
        );
        // Still percent-encoded: the same token.
        let encoded: String = form_urlencoded::byte_serialize(
            b"url<hi:=>http://ipos.10086.cn/wap/index.xhtml<hi:$$>method<hi:=>POST<hi:$$>sessionId<hi:=>7<hi:$$>MERC_PAY_TPY<hi:=>",
        )
        .collect();
        assert_eq!(PayUrl::parse(&encoded).unwrap(), wap);
        assert!(PayUrl::parse("url<hi:=>ftp://g<hi:$$>sessionId<hi:=>1").is_err());
        assert!(PayUrl::parse("url<hi:=>javascript:x<hi:$$>sessionId<hi:=>1").is_err());
        assert!(PayUrl::parse("url<hi:=>https://g").is_err());
        assert!(PayUrl::parse("").is_err());
    }

    #[test]
    fn form_is_escaped() {
        let p = PayUrl {
            url: "https://g/?a=1&b=2".into(),
            method: "post".into(),
            session_id: "\"><script>".into(),
        };
        let html = p.html_form();
        assert!(html.contains("action=\"https://g/?a=1&amp;b=2\""));
        assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;\""));
        assert!(!html.contains("<script>"));
    }
}
