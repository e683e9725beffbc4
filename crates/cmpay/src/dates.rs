//! Dates and times as the protocol writes them: `YYYYMMDD` and
//! `YYYYMMDDhhmmss`, with no time-zone crate (the only calendar arithmetic
//! needed is days-to-date).

use std::time::{SystemTime, UNIX_EPOCH};

/// China Standard Time (UTC+8, no daylight saving): the gateway's dates.
const CHINA_OFFSET_SECS: u64 = 8 * 3600;

/// `YYYYMMDDhhmmss` for seconds since the Unix epoch (UTC; add an offset
/// first for local time).
pub fn datetime(secs: u64) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `at` in China time, `YYYYMMDDhhmmss` (payDate and the like; the caller
/// reads the clock, e.g. `SystemTime::now()`; before 1970 reads as 1970).
pub fn china_datetime(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    datetime(secs + CHINA_OFFSET_SECS)
}

/// `at`'s day in China time, `YYYYMMDD` (orderDate, merAcDate).
pub fn china_date(at: SystemTime) -> String {
    let mut day = china_datetime(at);
    day.truncate(8);
    day
}

/// Howard Hinnant's days-to-civil: (year, month, day) of a day number.
fn civil_from_days(days: u64) -> (u64, u32, u32) {
    let z = days + 719_468;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(datetime(0), "19700101000000");
        assert_eq!(datetime(951_782_400), "20000229000000");
        assert_eq!(datetime(1_767_225_599), "20251231235959");
        assert_eq!(datetime(4_107_542_400), "21000301000000");
        let today = china_date(SystemTime::now());
        assert_eq!(today.len(), 8);
        assert!(crate::is_date(&today), "{today}");
    }
}
