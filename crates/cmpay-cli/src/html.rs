//! Just enough HTML for the demo's browser: the forms of a page (the
//! sandbox's cashier), their inputs and submit buttons. No scripts run.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub action: String,
    /// "get" or "post", lower case.
    pub method: String,
    /// Named `<input>`s with their values.
    pub inputs: Vec<(String, String)>,
    /// Named submit `<button>`s: (name, value, visible text).
    pub buttons: Vec<(String, String, String)>,
}

/// The forms of a page, in order.
pub fn forms(html: &str) -> Vec<Form> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<form").map(|i| i + at) {
        let end = lower[start..]
            .find("</form")
            .map(|i| i + start)
            .unwrap_or(html.len());
        let tag_end = lower[start..end]
            .find('>')
            .map(|i| i + start)
            .unwrap_or(end);
        let tag = &html[start..tag_end];
        let mut form = Form {
            action: attr(tag, "action").unwrap_or_default(),
            method: attr(tag, "method")
                .unwrap_or_else(|| "get".into())
                .to_ascii_lowercase(),
            inputs: Vec::new(),
            buttons: Vec::new(),
        };
        let (inner, inner_lower) = (&html[tag_end..end], &lower[tag_end..end]);
        for (tag, _) in tags(inner, inner_lower, "<input") {
            if let Some(name) = attr(tag, "name") {
                form.inputs
                    .push((name, attr(tag, "value").unwrap_or_default()));
            }
        }
        for (tag, text) in tags(inner, inner_lower, "<button") {
            if let Some(name) = attr(tag, "name") {
                form.buttons.push((
                    name,
                    attr(tag, "value").unwrap_or_default(),
                    text.trim().to_string(),
                ));
            }
        }
        out.push(form);
        at = end.max(start + 5);
    }
    out
}

/// Each `<name …>` tag in `html` with the text up to the next '<'.
fn tags<'a>(html: &'a str, lower: &str, open: &str) -> Vec<(&'a str, &'a str)> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(s) = lower[i..].find(open).map(|k| k + i) {
        let e = lower[s..].find('>').map(|k| k + s).unwrap_or(html.len());
        let text_end = lower[e..].find('<').map(|k| k + e).unwrap_or(html.len());
        found.push((&html[s..e], html.get(e + 1..text_end).unwrap_or("")));
        i = e.max(s + open.len());
    }
    found
}

/// An attribute's value in a tag (quoted with " or ', or bare), with the
/// entities the sandbox escapes undone.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name).map(|i| i + from) {
        let starts_word = i > 0 && lower.as_bytes()[i - 1].is_ascii_whitespace();
        let rest = lower[i + name.len()..].trim_start();
        if starts_word && rest.starts_with('=') {
            let value_part = tag[tag.len() - rest.len() + 1..].trim_start();
            let value = match value_part.chars().next() {
                Some(q @ ('"' | '\'')) => value_part[1..].split(q).next().unwrap_or(""),
                _ => value_part
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            return Some(unescape(value));
        }
        from = i + name.len();
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Resolves a link (absolute, or a path from the root) against a page's URL.
pub fn resolve(page_url: &str, link: &str) -> String {
    if link.starts_with("http://") || link.starts_with("https://") {
        return link.to_string();
    }
    let after_scheme = page_url.find("://").map(|i| i + 3).unwrap_or(0);
    let origin_end = page_url[after_scheme..]
        .find('/')
        .map(|j| after_scheme + j)
        .unwrap_or(page_url.len());
    let origin = &page_url[..origin_end];
    if link.starts_with('/') {
        return format!("{origin}{link}");
    }
    let path = page_url[origin_end..].split('?').next().unwrap_or("");
    let dir = path.rfind('/').map(|k| &path[..=k]).unwrap_or("/");
    format!("{origin}{dir}{link}")
}
