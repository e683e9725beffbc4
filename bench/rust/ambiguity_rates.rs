//! How often a genuine paid notification is ambiguous (docs/resplit.md), per
//! orderId shape, for BENCHMARKS.md:
//!
//!     cargo run --release -p cmpay --example ambiguity_rates [N]
//!
//! Each notification is built as the sandbox sends one (src/sandbox,
//! `payment_fields`), its names in bench/notification.json's order: payNo the payment's date-time and a 10-digit
//! counter, returnCode 000000, message SUCCESS, amtItem all cash, payDate
//! the payment's time, accountDate and orderDate its day, reserved1 the
//! example checkout's `自定义1`, fee 0.6 % in yuan; bankAbbr and mobile as
//! the shop's order gives them: (a) both, (b) mobile only (the sandbox
//! always sends one), (c) bankAbbr only, (d) neither. It must pass the
//! received rules; then `readings::of_received` finds its other readings,
//! as `Notification::parse` does.
//!
//! Columns: the share that is ambiguous at all; the share whose other
//! readings name an orderId of the same shape (one a shop with only
//! well-formed ids could have, so it cannot rule it out and must ask the
//! gateway); the share with a reading that keeps the orderId but changes
//! payNo, amount or status. N notifications per row (default 2000; the
//! sequential ids are 1..=N), from a fixed seed.

use cmpay::{MessageKind, codes, readings, received};
use fixture::Fixture;

mod fixture;

/// xorshift64*: deterministic for a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A payment time in December 2026, `YYYYMMDDHHmmSS`.
fn date_time(rng: &mut Rng) -> String {
    format!(
        "202612{:02}{:02}{:02}{:02}",
        1 + rng.below(31),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

/// An orderId shape: its name, the k-th id, and whether an id is one of
/// that shape a shop could have issued (with `n` orders).
struct Shape {
    name: &'static str,
    id: fn(&mut Rng, u64) -> String,
    well_formed: fn(&str, u64) -> bool,
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "sequential integers 1..N",
        id: |_, k| k.to_string(),
        well_formed: |s, n| {
            all_digits(s) && !s.starts_with('0') && s.parse::<u64>().is_ok_and(|v| v <= n)
        },
    },
    Shape {
        name: "date-time + 4 random digits",
        id: |rng, _| format!("{}{:04}", date_time(rng), rng.below(10_000)),
        well_formed: |s, _| s.len() == 18 && all_digits(s) && cmpay::is_date(&s[..8]),
    },
    Shape {
        name: "ORD + 12 hex",
        id: |rng, _| format!("ORD{:012x}", rng.below(1 << 48)),
        well_formed: |s, _| {
            s.len() == 15
                && s.starts_with("ORD")
                && s[3..]
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        },
    },
    Shape {
        // tests/servers/shop.py new_order_id: "SRV%d%03d%d" % (pid, seq, ms % 100000)
        name: "checkout SRV<pid><seq:03><ms%100000>",
        id: |rng, k| {
            format!(
                "SRV{}{:03}{}",
                1000 + rng.below(4_000_000),
                k % 1000,
                rng.below(100_000)
            )
        },
        well_formed: |s, _| s.len() >= 8 && s.starts_with("SRV") && all_digits(&s[3..]),
    },
];

/// The variants of bankAbbr and mobile.
const VARIANTS: &[(&str, bool, bool)] = &[
    ("(a) bankAbbr + mobile", true, true),
    ("(b) mobile only", false, true),
    ("(c) bankAbbr only", true, false),
    ("(d) neither", false, false),
];

/// A paid notification as the sandbox sends it, table order.
fn notification(
    fx: &Fixture,
    rng: &mut Rng,
    order_id: &str,
    k: u64,
    bank: bool,
    mobile: bool,
) -> Vec<String> {
    let paid = date_time(rng);
    let amount = 100 + rng.below(99_900);
    let bank_abbr = if bank {
        codes::BANKS[rng.below(codes::BANKS.len() as u64) as usize].code
    } else {
        ""
    };
    let mobile = if mobile {
        // As the sandbox masks the shopper's userToken, or its default.
        if rng.below(2) == 0 {
            "151****0263".to_string()
        } else {
            format!(
                "1{}{}****{:04}",
                3 + rng.below(7),
                rng.below(10),
                rng.below(10_000)
            )
        }
    } else {
        String::new()
    };
    // Names in bench/notification.json's order (the signing order); the values
    // that vary per payment here, the rest (merchantId, returnCode, message,
    // signType, type, version, reserved1, reserved2, status) as the fixture has them.
    let fields: Vec<(&str, String)> = fx
        .fields
        .iter()
        .map(|(name, value)| {
            let v = match name.as_str() {
                "payNo" => format!("{paid}{k:010}"),
                "amount" => amount.to_string(),
                "amtItem" => {
                    format!("CNY_AMT={amount}#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0")
                }
                "bankAbbr" => bank_abbr.to_string(),
                "mobile" => mobile.clone(),
                "orderId" => order_id.to_string(),
                "payDate" => paid.clone(),
                "accountDate" | "orderDate" => paid[..8].to_string(),
                "fee" => cmpay::money::yuan(amount * 6 / 1000),
                _ => value.clone(),
            };
            (name.as_str(), v)
        })
        .collect();
    let table = MessageKind::Notify.fields();
    assert!(
        fields.len() == table.len()
            && fields
                .iter()
                .zip(table)
                .all(|((name, _), field)| *name == field.name)
    );
    fields.into_iter().map(|(_, v)| v).collect()
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .map_or(2000, |a| a.parse().expect("N is a number"));
    let fx = Fixture::load();
    let mut rng = Rng(0x1818_2026_1206);
    println!(
        "| orderId shape | bankAbbr / mobile | ambiguous | another orderId of the same shape | same orderId, other payNo/amount/status | example other orderId |"
    );
    println!("|---|---|---|---|---|---|");
    for shape in SHAPES {
        for &(variant, bank, mobile) in VARIANTS {
            let (mut ambiguous, mut same_shape, mut same_order) = (0u64, 0u64, 0u64);
            let (mut example, mut unlike) = (String::new(), String::new());
            for k in 1..=n {
                let id = (shape.id)(&mut rng, k);
                let values = notification(&fx, &mut rng, &id, k, bank, mobile);
                let v: Vec<&str> = values.iter().map(String::as_str).collect();
                let params: cmpay::Params = MessageKind::Notify
                    .fields()
                    .iter()
                    .zip(&v)
                    .map(|(f, v)| (f.name, *v))
                    .collect();
                received::check(MessageKind::Notify, &params)
                    .expect("a genuine notification passes the received rules");
                let a = readings::of_received(MessageKind::Notify, &v);
                ambiguous += u64::from(a.is_ambiguous());
                let others = || a.others.iter().map(|r| r.field("orderId"));
                if let Some(other) = others().find(|o| *o != id && (shape.well_formed)(o, n)) {
                    same_shape += 1;
                    if example.is_empty() {
                        example = format!("`{id}` → `{other}`");
                    }
                }
                same_order += u64::from(a.others.iter().any(|r| r.field("orderId") == id));
                if unlike.is_empty()
                    && let Some(other) = others().find(|o| *o != id)
                {
                    unlike = format!("`{id}` → `{other}` (not of the shape)");
                }
            }
            let pct = |x: u64| format!("{:.1} %", 100.0 * x as f64 / n as f64);
            println!(
                "| {} | {variant} | {} | {} | {} | {} |",
                shape.name,
                pct(ambiguous),
                pct(same_shape),
                pct(same_order),
                [&example, &unlike, "—"]
                    .into_iter()
                    .find(|e| !e.is_empty())
                    .unwrap_or("—")
            );
        }
    }
}
