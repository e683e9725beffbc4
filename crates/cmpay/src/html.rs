//! The HTML the library writes: escaping, and the page whose form a browser
//! submits at once (to the gateway, to its cashier, or, in the simulator,
//! back to the shop). One template, so the three pages stay alike and
//! accessible: a language (the pages are in Chinese, with English after it),
//! a title, and a labelled button for browsers without JavaScript.

/// `s` with &, <, >, " and ' escaped for HTML text and attributes.
pub fn escape(s: &str) -> String {
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

/// A form page that submits itself.
pub struct AutoSubmit<'a> {
    /// `post` or `get`.
    pub method: &'a str,
    /// Where the form goes (escaped here).
    pub action: &'a str,
    /// The charset the browser encodes the values in, when not the page's UTF-8.
    pub accept_charset: Option<&'a str>,
    /// A line shown above the form (escaped here), or "".
    pub note: &'a str,
    /// The label of the button browsers without JavaScript show.
    pub button: &'a str,
}

impl AutoSubmit<'_> {
    /// The complete page, with `fields` as hidden inputs (names and values escaped).
    pub fn page<N: AsRef<str>, V: AsRef<str>>(
        &self,
        fields: impl IntoIterator<Item = (N, V)>,
    ) -> String {
        let mut inputs = String::new();
        for (name, value) in fields {
            inputs.push_str(&format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
                escape(name.as_ref()),
                escape(value.as_ref())
            ));
        }
        let charset = self
            .accept_charset
            .map(|c| format!(" accept-charset=\"{}\"", escape(c)))
            .unwrap_or_default();
        let note = if self.note.is_empty() {
            String::new()
        } else {
            format!("<p>{}</p>\n", escape(self.note))
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>和包支付 CMPay</title></head>\n<body onload=\"document.forms[0].submit()\">\n{note}<form method=\"{}\" action=\"{}\"{charset}>\n{inputs}<noscript><button type=\"submit\">{}</button></noscript>\n</form>\n</body></html>\n",
            escape(self.method),
            escape(self.action),
            escape(self.button)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_is_in_chinese_with_a_title_and_a_labelled_button() {
        let page = AutoSubmit {
            method: "post",
            action: "https://g/a?x=1&y=\"2\"",
            accept_charset: Some("GBK"),
            note: "<b>",
            button: "继续支付 Continue to payment",
        }
        .page([("n<", "v\"'&")]);
        assert_eq!(
            page,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>和包支付 CMPay</title></head>\n\
             <body onload=\"document.forms[0].submit()\">\n<p>&lt;b&gt;</p>\n\
             <form method=\"post\" action=\"https://g/a?x=1&amp;y=&quot;2&quot;\" accept-charset=\"GBK\">\n\
             <input type=\"hidden\" name=\"n&lt;\" value=\"v&quot;&#39;&amp;\">\n\
             <noscript><button type=\"submit\">继续支付 Continue to payment</button></noscript>\n</form>\n</body></html>\n"
        );
    }

    #[test]
    fn no_note_no_charset() {
        let page = AutoSubmit {
            method: "get",
            action: "https://g/c",
            accept_charset: None,
            note: "",
            button: "b",
        }
        .page(Vec::<(String, String)>::new());
        assert!(page.contains("<body onload=\"document.forms[0].submit()\">\n<form method=\"get\" action=\"https://g/c\">\n<noscript>"), "{page}");
    }
}
