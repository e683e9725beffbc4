//! Money: amounts are integer fen everywhere; the gateway writes `fee` in
//! yuan, and people read yuan. These two conversions are exact (no float).

use crate::error::{Error, Result};

/// Fen as yuan with two decimals: 1234 → "12.34", 5 → "0.05".
pub fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// A yuan amount such as `0.12` as integer fen, exactly; more than two
/// decimals, a sign, or anything but digits is a parse error.
pub fn yuan_to_fen(text: &str) -> Result<u64> {
    let bad = || {
        Error::Parse(format!(
            "{text:?} is not an amount in yuan with at most two decimals"
        ))
    };
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if int.is_empty()
        || frac.len() > 2
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        || (text.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let yuan: u64 = int.parse().map_err(|_| bad())?;
    let fen: u64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    yuan.checked_mul(100)
        .and_then(|y| y.checked_add(fen))
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_and_back() {
        for (fen, text) in [(0, "0.00"), (5, "0.05"), (1234, "12.34"), (100, "1.00")] {
            assert_eq!(yuan(fen), text);
            assert_eq!(yuan_to_fen(text).unwrap(), fen);
        }
        assert_eq!(yuan(u64::MAX), "184467440737095516.15");
        assert_eq!(yuan_to_fen("184467440737095516.15").unwrap(), u64::MAX);
        assert!(yuan_to_fen("184467440737095516.16").is_err(), "overflow");
    }
}
