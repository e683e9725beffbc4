//! What a received message must look like once its signature has held
//! (protocol.md §8, "Field boundaries"). The gateway signs its values joined
//! with no separator, so a boundary between two adjacent fields can be moved
//! without breaking the hmac (`note: SUCCESS` + `FAILED` + `20261130` reads
//! as `note: ` + `SUCCESS` + `FAILED20261130`). Every field is therefore
//! held to its format from the table in `fields`, which pins each boundary
//! next to a free-text field; amtItem must add up to amount. Then only the
//! signed fields are kept as the message's fields: anything else that
//! travelled with it is set apart as unsigned.
//!
//! This runs after verification and after any decoding choice, as a step of
//! its own, so that how bytes are decoded and what the decoded text must
//! look like can change independently.

use crate::error::{Error, Result};
use crate::fields::{AMT_ITEM_NAMES, Field, Format, MessageKind};
use crate::params::Params;
use crate::validate::is_date;

/// Received fields that travel with a message outside its signature and are
/// still reported with it: they say what they are (the hmac itself, and a
/// certificate that is never trusted).
const CARRIED: &[&str] = &["hmac", "serverCert"];

/// The final states of a payment; no field that follows `status` may begin
/// with one (it could have been moved there from `status`).
const FINAL_STATUSES: &[&str] = &["SUCCESS", "FAILED"];

/// Checks every signed field of a verified message of `kind` against its
/// format; the error names the field and the refused value (FIELD_INVALID).
pub fn check(kind: MessageKind, params: &Params) -> Result<()> {
    walk(kind, params).map(|_| ())
}

/// One pass over the fields as received (usually in table order, so each
/// is found with one comparison): each signed field checked, the absent ones
/// checked as empty, amtItem's sum against amount. Ok(true) when every field
/// is signed or carried (nothing to set apart).
fn walk(kind: MessageKind, params: &Params) -> Result<bool> {
    let fields = kind.fields();
    debug_assert!(fields.len() <= 64);
    let (mut seen, mut hint, mut all_reported) = (0u64, 0usize, true);
    let mut amt_item = None;
    for (name, value) in params.iter() {
        match field_index(fields, name, &mut hint) {
            Some(i) => {
                seen |= 1 << i;
                if let Some(total) = check_value(&fields[i], value)? {
                    amt_item = Some((total, value));
                }
            }
            None => all_reported &= CARRIED.contains(&name),
        }
    }
    for (i, field) in fields.iter().enumerate() {
        if seen & (1 << i) == 0 {
            check_value(field, "")?;
        }
    }
    if let Some((total, value)) = amt_item {
        let amount = params.value("amount");
        if parse_amount(amount) != Some(total) {
            return Err(refused(
                "amtItem",
                value,
                &format!("its parts add up to {total} fen, amount says {amount:?}"),
            ));
        }
    }
    Ok(all_reported)
}

/// The table row of `name`; `hint` is the row expected next.
fn field_index(fields: &[Field], name: &str, hint: &mut usize) -> Option<usize> {
    let i = match fields.get(*hint) {
        Some(f) if f.name == name => *hint,
        _ => fields.iter().position(|f| f.name == name)?,
    };
    *hint = i + 1;
    Some(i)
}

/// Splits a verified message's fields into those of `kind`'s signature (in
/// the order received, with `hmac` and `serverCert`) and the rest (unsigned,
/// never to be trusted).
pub fn split_signed(kind: MessageKind, params: Params) -> (Params, Params) {
    let mut signed = Params::with_capacity(params.len());
    let mut unsigned = Params::new();
    for (name, value) in params.iter() {
        if kind.field(name).is_some() || CARRIED.contains(&name) {
            signed.push(name, value);
        } else {
            unsigned.push(name, value);
        }
    }
    (signed, unsigned)
}

/// `check`, then `split_signed`: the one step every received kind goes
/// through once its signature held. A message with nothing unsigned (every
/// genuine one) is returned as it is, without a copy.
pub fn accept(kind: MessageKind, params: Params) -> Result<(Params, Params)> {
    if walk(kind, &params)? {
        return Ok((params, Params::new()));
    }
    Ok(split_signed(kind, params))
}

fn refused(name: &str, value: &str, why: &str) -> Error {
    // Long values are cut in the message only; the check saw all of it.
    let shown: String = value.chars().take(80).collect();
    Error::field(
        name,
        format!("received value {shown:?} refused: {why}"),
        None,
    )
}

/// One field against its table entry (received side).
pub fn check_field(field: &Field, value: &str) -> Result<()> {
    check_value(field, value).map(|_| ())
}

/// `check_field`, returning an amtItem's total (so that it is parsed once).
fn check_value(field: &Field, value: &str) -> Result<Option<u64>> {
    let fail = |why: &str| Err(refused(field.name, value, why));
    if value.is_empty() {
        return if field.may_be_empty {
            Ok(None)
        } else {
            fail("must not be empty")
        };
    }
    // Characters are never more than bytes: count them only when it matters.
    if field.max > 0 && value.len() > field.max && value.chars().count() > field.max {
        return fail(&format!("longer than {} characters", field.max));
    }
    if !field.values.is_empty() && !field.values.contains(&value) {
        return fail(&format!("not one of {}", field.values.join(", ")));
    }
    let ok = match field.format {
        Format::Text => true,
        Format::Alnum => value.bytes().all(|b| b.is_ascii_alphanumeric()),
        Format::Code => {
            (6..=10).contains(&value.len())
                && value
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        }
        Format::Version => is_version(value),
        Format::Amount => parse_amount(value).is_some(),
        Format::AmtItem => return amt_item_total(value).map(Some),
        Format::BankAbbr => {
            let b = value.as_bytes();
            b[0].is_ascii_uppercase()
                && b.iter()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        }
        Format::Mobile => is_masked_mobile(value),
        Format::Date => is_date(value),
        Format::DateTime => is_date_time(value),
        Format::Fee => crate::money::is_yuan(value),
        Format::Word => value.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
        Format::PayType => {
            value.bytes().all(|b| b.is_ascii_alphanumeric())
                && !FINAL_STATUSES.iter().any(|s| value.starts_with(s))
        }
    };
    if ok {
        Ok(None)
    } else {
        fail(describe(field.format))
    }
}

fn describe(format: Format) -> &'static str {
    match format {
        Format::Text => "not text",
        Format::Alnum => "not ASCII letters and digits",
        Format::Code => "not a return code ([A-Z0-9], 6 to 10 characters)",
        Format::Version => "not a version d.d.d",
        Format::Amount => {
            "not an amount in fen (digits, no sign, no leading zero, at most 10 digits)"
        }
        Format::AmtItem => "not an amtItem",
        Format::BankAbbr => "not a bank code (an upper-case letter, then [A-Z0-9])",
        Format::Mobile => "not a masked mobile number ddd****dddd",
        Format::Date => "not a date YYYYMMDD",
        Format::DateTime => "not a date and time YYYYMMDDHHmmSS",
        Format::Fee => "not a fee in yuan (a decimal of at most two places, no leading zero)",
        Format::Word => "not an upper-case word [A-Z_]",
        Format::PayType => {
            "not a pay type (ASCII letters and digits, not beginning with SUCCESS or FAILED)"
        }
    }
}

/// A received amount in fen, strictly: 1 to 10 digits, no sign, no spaces,
/// no leading zero (0 itself is "0"). None for anything else.
pub fn parse_amount(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    let plain = !b.is_empty()
        && b.len() <= 10
        && b.iter().all(u8::is_ascii_digit)
        && (b[0] != b'0' || b.len() == 1);
    // At most 10 digits, checked above: plain arithmetic cannot overflow
    // (no `str::parse` and its sign and overflow code on every notification).
    plain.then(|| b.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

/// The total of an amtItem `NAME=fen#...` in fen; each name of
/// `AMT_ITEM_NAMES` at most once, each value an amount (`parse_amount`).
pub fn amt_item_total(text: &str) -> Result<u64> {
    let fail = |why: String| Err(refused("amtItem", text, &why));
    let mut seen = [false; 5];
    let mut total: u64 = 0;
    // Bytes, not `str` patterns: this runs on every notification.
    for part in text.as_bytes().split(|&b| b == b'#') {
        let Some(eq) = part.iter().position(|&b| b == b'=') else {
            return fail(format!(
                "part {:?} is not NAME=fen",
                String::from_utf8_lossy(part)
            ));
        };
        // '=' and '#' are ASCII: both sides are str slices of `text`.
        let (name, value) = (
            std::str::from_utf8(&part[..eq]).unwrap_or(""),
            std::str::from_utf8(&part[eq + 1..]).unwrap_or(""),
        );
        // A match on the bytes: one length test and one comparison a part.
        let slot = match name.as_bytes() {
            b"CNY_AMT" => 0,
            b"CMY_AMT" => 1,
            b"RED_AMT" => 2,
            b"VCH_AMT" => 3,
            b"POT_CHG_AMT" => 4,
            _ => return fail(format!("unknown part {name:?}")),
        };
        debug_assert_eq!(AMT_ITEM_NAMES[slot], name);
        if std::mem::replace(&mut seen[slot], true) {
            return fail(format!("{name} appears twice"));
        }
        let Some(fen) = parse_amount(value) else {
            return fail(format!("{name} {value:?} is not an amount in fen"));
        };
        total = total.saturating_add(fen);
    }
    Ok(total)
}

fn is_version(v: &str) -> bool {
    matches!(v.as_bytes(), [a, b'.', b, b'.', c] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit())
}

fn is_masked_mobile(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 11
        && b[..3].iter().all(u8::is_ascii_digit)
        && &b[3..7] == b"****"
        && b[7..].iter().all(u8::is_ascii_digit)
}

fn is_date_time(v: &str) -> bool {
    let Some((date, time)) = v.split_at_checked(8) else {
        return false;
    };
    let t = time.as_bytes();
    // Digits checked first: two of them are plain arithmetic.
    let two = |i: usize| (t[i] - b'0') * 10 + (t[i + 1] - b'0');
    t.len() == 6
        && t.iter().all(u8::is_ascii_digit)
        && is_date(date)
        && two(0) < 24
        && two(2) < 60
        && two(4) < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notify_field(name: &str) -> &'static Field {
        MessageKind::Notify.field(name).unwrap()
    }

    #[test]
    fn formats_accept_the_gateways_values_and_refuse_moved_boundaries() {
        let ok = |name: &str, v: &str| check_field(notify_field(name), v).is_ok();
        for (name, good, bad) in [
            (
                "version",
                "2.0.0",
                &["2.0.", "2.0.01", "2.0.0.", "12.0.0"][..],
            ),
            (
                "amount",
                "12800",
                &["012800", "+12800", " 12800", "12800 ", "12345678901"],
            ),
            (
                "payDate",
                "20261125103055",
                &["0261125103055", "202611251030551", "20261125246055"],
            ),
            (
                "orderDate",
                "20261125",
                &["FAILED20261130", "2026112", "20261125X"],
            ),
            ("accountDate", "20261125", &["202611250"]),
            (
                "mobile",
                "138****8000",
                &["138****800", "138****80000", "13800138000"],
            ),
            (
                "bankAbbr",
                "ICBC",
                &["0ICBC", "ICBC1*", "icbc", "ICBCBANK1"],
            ),
            ("returnCode", "000000", &["00000", "0000000000X", "000000a"]),
            ("status", "SUCCESS", &["SUCCESSFAILED", "FAILEDX", ""]),
            (
                "fee",
                "0.12",
                &["00.12", "0.123", ".12", "1.", "-1", "0.12X"],
            ),
            ("signType", "MD5", &["MD", "MD5P"]),
            ("type", "OfflineNotify", &["OfflineNotify2", "PageNotif"]),
            ("payNo", "201911250005378468", &["20191125 0005", ""]),
        ] {
            assert!(ok(name, good), "{name} {good}");
            for b in bad {
                let Err(e) = check_field(notify_field(name), b) else {
                    panic!("{name} {b:?} accepted")
                };
                assert_eq!(e.code(), crate::ErrorCode::FieldInvalid, "{name} {b}");
                assert!(e.to_string().contains(name), "{e}");
            }
        }
        for fee in ["0", "3", "10.05", "0.5", "0.00"] {
            assert!(ok("fee", fee), "{fee}");
        }
        assert!(ok("amount", "0"));
        assert!(ok("mobile", ""));
    }

    #[test]
    fn amt_item_is_strict_and_adds_up() {
        let item = "CNY_AMT=12000#CMY_AMT=0#RED_AMT=800#VCH_AMT=0#POT_CHG_AMT=0";
        assert_eq!(amt_item_total(item).unwrap(), 12800);
        for bad in [
            "CNY_AMT=+1",
            "CNY_AMT= 1",
            "CNY_AMT=01",
            "CNY_AMT=1#CNY_AMT=1",
            "CNY_AMT=1#",
            "FOO=1",
            "CNY_AMT=1.5",
            "CNY_AMT=",
            "CNY_AMT=0ICBC",
        ] {
            assert!(amt_item_total(bad).is_err(), "{bad}");
        }
    }
}
