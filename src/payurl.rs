//! The payUrl redirect token (protocol.md 5.3) and the two ways of sending
//! the shopper's browser on with it.

use crate::error::{Error, Result};

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
    /// Parses `url<hi:=>…<hi:$$>method<hi:=>…<hi:$$>sessionId<hi:=>…`.
    /// Names are trimmed; a part with an empty name is the url. Only https
    /// URLs are accepted unless `allow_http` (a test gateway).
    pub fn parse(token: &str, allow_http: bool) -> Result<PayUrl> {
        let (mut url, mut method, mut session_id) = (None, None, None);
        for part in token.split("<hi:$$>").filter(|p| !p.trim().is_empty()) {
            let (name, value) = part
                .split_once("<hi:=>")
                .ok_or_else(|| Error::Parse(format!("payUrl part without <hi:=>: {part:?}")))?;
            let value = value.trim().to_string();
            match name.trim() {
                "" | "url" => url = Some(value),
                "method" => method = Some(value.to_ascii_lowercase()),
                "sessionId" => session_id = Some(value),
                _ => {} // tolerate parts added later
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
        let allowed = url.starts_with("https://") || (allow_http && url.starts_with("http://"));
        if !allowed {
            return Err(Error::Parse(format!(
                "payUrl url {url:?} is not https; refused"
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
        let id: String = form_urlencoded::byte_serialize(self.session_id.as_bytes()).collect();
        format!("{}{sep}sessionId={id}", self.url)
    }

    /// A complete HTML page that submits itself to the cashier (method as the
    /// token says), with a button for browsers without JavaScript.
    pub fn html_form(&self) -> String {
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>CMPay</title></head>\n<body onload=\"document.forms[0].submit()\">\n<form method=\"{}\" action=\"{}\">\n<input type=\"hidden\" name=\"sessionId\" value=\"{}\">\n<noscript><button type=\"submit\">Continue to payment</button></noscript>\n</form>\n</body></html>\n",
            self.method,
            html_escape(&self.url),
            html_escape(&self.session_id)
        )
    }
}

/// `s` with &, <, >, " and ' escaped for HTML text and attributes.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerant_parsing() {
        let p = PayUrl::parse(
            "<hi:=>https://g/FormTrans3<hi:$$>method<hi:=>GET<hi:$$>sessionId <hi:=>2011",
            false,
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
        assert!(PayUrl::parse("url<hi:=>http://g<hi:$$>sessionId<hi:=>1", false).is_err());
        assert!(PayUrl::parse("url<hi:=>http://g<hi:$$>sessionId<hi:=>1", true).is_ok());
        assert!(PayUrl::parse("url<hi:=>https://g", false).is_err());
        assert!(PayUrl::parse("", false).is_err());
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
