//! Money: amounts are integer fen everywhere; the gateway writes `fee` in
//! yuan, and people read yuan. These two conversions are exact (no float).

use crate::error::{Error, Result};

/// Fen as yuan with two decimals: 1234 → "12.34", 5 → "0.05".
pub fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// The yuan grammar, for every yuan the gateway writes (`fee`): `0`, `12`,
/// `0.5`, `0.12`; not `00.1`, `012`, `.5`, `1.`, `1.234`, `+1`, ` 1`. A
/// leading zero is refused so that a value cannot begin with digits moved
/// over from the field before it (protocol.md §8, field boundaries).
pub(crate) fn is_yuan(text: &str) -> bool {
    let b = text.as_bytes();
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(i) if (1..=2).contains(&(b.len() - i - 1)) => (&b[..i], &b[i + 1..]),
        Some(_) => return false,
        None => (b, &b[..0]),
    };
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    !int.is_empty() && digits(int) && digits(frac) && (int == b"0" || int[0] != b'0')
}

/// A yuan amount such as `0.12` as integer fen, exactly: `is_yuan`'s
/// grammar, and no more than u64 fen; anything else is a parse error.
pub fn yuan_to_fen(text: &str) -> Result<u64> {
    let bad = || {
        Error::Parse(format!(
            "{text:?} is not an amount in yuan with at most two decimals"
        ))
    };
    if !is_yuan(text) {
        return Err(bad());
    }
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
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
        for bad in ["00.1", "012", "01.5", "0.", "1.234", "", "."] {
            assert!(!is_yuan(bad) && yuan_to_fen(bad).is_err(), "{bad:?}");
        }
        for good in ["0", "0.5", "0.12", "10", "10.05"] {
            assert!(is_yuan(good) && yuan_to_fen(good).is_ok(), "{good:?}");
        }
    }
}
