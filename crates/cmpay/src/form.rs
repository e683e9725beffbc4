//! Writing application/x-www-form-urlencoded as the gateway speaks it:
//! values encoded to bytes in the message's charset, then percent-encoded
//! (alphanumerics and `*-._` kept, space as `+`). Reading a body (splitting,
//! percent-decoding, parsing) is `body`'s.

use crate::charset::Charset;
use crate::error::Result;
use crate::params::Params;

/// Bytes percent-encoded as the gateway's forms are (alphanumerics and
/// `*-._` kept, space as `+`, everything else `%XX`).
pub fn escape(bytes: &[u8]) -> String {
    form_urlencoded::byte_serialize(bytes).collect()
}

/// Appends `name=value` (value in `charset`, percent-encoded) to `out`. The
/// name is percent-encoded too (UTF-8): a name such as `order%49d` must come
/// out as itself, never as `orderId` once the reader decodes it.
pub fn push_pair(out: &mut String, charset: Charset, name: &str, value: &str) -> Result<()> {
    if !out.is_empty() {
        out.push('&');
    }
    if name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.push_str(name); // every name of the tables: no copy
    } else {
        out.extend(form_urlencoded::byte_serialize(name.as_bytes()));
    }
    out.push('=');
    let bytes = charset.encode(name, value)?;
    out.extend(form_urlencoded::byte_serialize(&bytes));
    Ok(())
}

/// Encodes params as a UTF-8 form body (the inverse of `parse_utf8`).
pub fn encode_utf8(params: &Params) -> String {
    let mut out = String::new();
    for (name, value) in params.iter() {
        // UTF-8 encoding cannot fail.
        let _ = push_pair(&mut out, Charset::Utf8, name, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_gateway() {
        let mut s = String::new();
        push_pair(&mut s, Charset::Gbk, "a", "和 *-._~/").unwrap();
        assert_eq!(s, "a=%BA%CD+*-._%7E%2F");
    }
}
