//! A request's fields held to the gateway's formats (the field tables in
//! `fields`), failing with the gateway's own code where it has one. The
//! merchant checks before anything is signed; a gateway (or the simulator)
//! checks the same rules on what it receives.

use crate::error::{Error, Result};
use crate::fields::{Field, FieldType, MessageKind, Rule};
use crate::params::Params;

/// Rules across an order request's fields: GWDirectPay, the bank-gateway
/// variant, needs `bankAbbr` (the bank the shopper is sent to).
pub fn order_rules(kind: MessageKind, params: &Params) -> Result<()> {
    if kind == MessageKind::OrderRequest
        && params.value("type") == "GWDirectPay"
        && params.value("bankAbbr").is_empty()
    {
        return Err(Error::field(
            "bankAbbr",
            "must not be empty for GWDirectPay (the bank the shopper pays through)",
            Some("RPM22224"),
        ));
    }
    Ok(())
}

/// `value` held to `field`'s type, length and rule (empty only where the
/// field may be empty).
pub fn check(field: &Field, value: &str) -> Result<()> {
    let fail = |reason: String, code: Option<&'static str>| {
        let reason = match field.hint {
            Some(hint) => format!("{reason}; {hint}"),
            None => reason,
        };
        Err(Error::field(field.name, reason, code))
    };
    if value.is_empty() {
        if field.may_be_empty {
            return Ok(());
        }
        return Err(Error::field(
            field.name,
            "must not be empty",
            field.if_empty.or(field.if_invalid),
        ));
    }
    // Characters are never more than bytes: count them only when it matters.
    if field.max > 0 && value.len() > field.max && value.chars().count() > field.max {
        let chars = value.chars().count();
        return fail(
            format!("is {chars} characters long; at most {} allowed", field.max),
            field.if_too_long.or(field.if_invalid),
        );
    }
    if value.chars().any(|c| c.is_control()) {
        return fail("contains a control character".into(), field.if_invalid);
    }
    if field.ty == FieldType::N && !value.bytes().all(|b| b.is_ascii_digit()) {
        return fail(
            format!("must be decimal digits, got {value:?}"),
            field.if_invalid,
        );
    }
    if !field.values.is_empty() && !field.values.contains(&value) {
        return fail(
            format!("{value:?} is not one of {}", field.values.join(", ")),
            field.if_invalid,
        );
    }
    match field.rule {
        Rule::None => Ok(()),
        Rule::Positive => match value.parse::<u64>() {
            Ok(n) if n > 0 => Ok(()),
            Ok(_) => fail(
                format!("must be an integer greater than 0, got {value:?}"),
                field.if_zero.or(field.if_invalid),
            ),
            _ => fail(
                format!("must be an integer greater than 0, got {value:?}"),
                field.if_invalid,
            ),
        },
        Rule::Date if is_date(value) => Ok(()),
        Rule::Date => fail(
            format!("must be a date YYYYMMDD, got {value:?}"),
            field.if_invalid,
        ),
        Rule::Url if value.starts_with("https://") || value.starts_with("http://") => Ok(()),
        Rule::Url => fail(
            "must be an http:// or https:// URL".into(),
            field.if_invalid,
        ),
    }
}

/// YYYYMMDD naming a real day of the Gregorian calendar.
pub fn is_date(s: &str) -> bool {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    // Digits checked above: plain arithmetic, no `str::parse`.
    let n = |r: std::ops::Range<usize>| {
        s.as_bytes()[r]
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    let (y, m, d) = (n(0..4), n(4..6), n(6..8));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1900 && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::MessageKind;

    fn order_field(name: &str) -> &'static Field {
        MessageKind::OrderRequest.field(name).unwrap()
    }

    #[test]
    fn gateway_codes_come_out_locally() {
        let code = |name: &str, v: &str| {
            check(order_field(name), v)
                .unwrap_err()
                .return_code()
                .map(str::to_string)
        };
        assert_eq!(code("productName", ""), Some("MCG01033".into()));
        assert_eq!(
            code("productName", &"长".repeat(51)),
            Some("MCG01081".into())
        );
        assert!(check(order_field("productName"), &"长".repeat(50)).is_ok());
        assert_eq!(code("period", ""), Some("MCG01027".into()));
        assert_eq!(code("period", "0"), Some("MCG01028".into()));
        assert_eq!(code("periodUnit", "04"), Some("MCG01030".into()));
        assert_eq!(code("orderDate", "20260230"), Some("MCG01025".into()));
        assert_eq!(code("orderDate", ""), Some("MCG01024".into()));
        assert_eq!(code("currency", "01"), Some("MCG01019".into()));
        assert_eq!(code("amount", ""), Some("MCG01014".into()));
        assert!(check(order_field("amount"), "-1").is_err());
        assert!(check(order_field("amount"), "1.5").is_err());
        // period: 0 is MCG01028; 4 digits pass; longer has no gateway code.
        assert!(check(order_field("period"), "9999").is_ok());
        assert_eq!(code("period", "10000"), None);
        assert_eq!(code("period", "x"), None);
        let long = check(order_field("period"), "10000")
            .unwrap_err()
            .to_string();
        assert!(long.contains("periodUnit"), "{long}");
        // ipAddress: the document's Max(15) text, no format.
        for ip in [
            "203.0.113.7",
            "unknown",
            "::1",
            "2001:db8::1",
            "fe80::1%eth0",
        ] {
            assert!(check(order_field("ipAddress"), ip).is_ok(), "{ip}");
        }
        for ip in ["10.0.0.1, 10.0.0.2", "2001:db8:85a3::8a2e:370:7334"] {
            let e = check(order_field("ipAddress"), ip).unwrap_err().to_string();
            assert!(
                e.contains("X-Forwarded-For") && e.contains("unknown"),
                "{e}"
            );
        }
        assert!(check(order_field("notifyUrl"), "ftp://x").is_err());
        assert!(check(order_field("orderDate"), "20240229").is_ok());
    }
}
