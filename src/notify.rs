//! PageNotify and OfflineNotify (protocol.md 5.4): parsed, verified under the
//! decodings of §8, and typed. A `Notification` exists only once its
//! signature has held, so the `SUCCESS` ack cannot be had for anything else.

use crate::decode::{self, Decoding};
use crate::error::{Error, Result};
use crate::fields::MessageKind;
use crate::params::Params;
use crate::received;
use crate::response::fen_field;
use crate::sign::Verifier;

/// The only answer that stops the gateway resending an OfflineNotify.
pub const ACK: &str = match ACK_C.to_str() {
    Ok(ack) => ack,
    Err(_) => panic!("the ack is ASCII"),
};

/// `ACK` as a C string (the C ABI hands it out without an allocation).
pub const ACK_C: &std::ffi::CStr = c"SUCCESS";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Where a notification came from (its `type` field).
pub enum NotifyType {
    /// The buyer's browser, sent back to the merchant's callbackUrl.
    PageNotify,
    /// The gateway's server-to-server call to notifyUrl.
    OfflineNotify,
}

/// A verified notification whose fields all have their formats. Its fields
/// are private: the only way to one is `Notification::parse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    params: Params,
    unsigned: Params,
    notify_type: NotifyType,
    decoding: Decoding,
}

/// amtItem: how the paid amount splits, in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AmtItem {
    /// CNY_AMT: cash
    pub cash: u64,
    /// CMY_AMT: prepaid card
    pub prepaid: u64,
    /// RED_AMT: e-coupon
    pub coupon: u64,
    /// VCH_AMT: voucher
    pub voucher: u64,
    /// POT_CHG_AMT: points
    pub points: u64,
}

impl AmtItem {
    /// Parses `CNY_AMT=x#CMY_AMT=x#RED_AMT=x#VCH_AMT=x#POT_CHG_AMT=x` (in any
    /// order; a part left out is 0). Unknown names or non-integers fail.
    pub fn parse(text: &str) -> Result<AmtItem> {
        let mut item = AmtItem::default();
        for part in text.split('#').filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| Error::Parse(format!("amtItem part {part:?} has no '='")))?;
            let fen = received::parse_amount(value).ok_or_else(|| {
                Error::Parse(format!(
                    "amtItem {name} {value:?} is not an integer number of fen"
                ))
            })?;
            let slot = match name {
                "CNY_AMT" => &mut item.cash,
                "CMY_AMT" => &mut item.prepaid,
                "RED_AMT" => &mut item.coupon,
                "VCH_AMT" => &mut item.voucher,
                "POT_CHG_AMT" => &mut item.points,
                other => {
                    return Err(Error::Parse(format!(
                        "amtItem has an unknown part {other:?}"
                    )));
                }
            };
            *slot = fen;
        }
        Ok(item)
    }

    /// Cash, prepaid card and coupon, in fen (the parts that add up to the amount).
    pub fn total(&self) -> u64 {
        self.cash
            .saturating_add(self.prepaid)
            .saturating_add(self.coupon)
            .saturating_add(self.voucher)
            .saturating_add(self.points)
    }
}

pub use crate::money::yuan_to_fen;

impl Notification {
    /// Parses a notification body as it arrived and verifies it under the
    /// decodings of protocol.md §8, in order (UTF-8 once, UTF-8 twice,
    /// GB18030 once, GB18030 twice), keeping the first that holds. Fails with
    /// a signature error when none does.
    pub fn parse(verifier: &Verifier, body: &[u8]) -> Result<Notification> {
        let decode::Verified { params, decoding } =
            decode::verified(verifier, MessageKind::Notify, body)?;
        let notify_type = match params.value("type") {
            "PageNotify" => NotifyType::PageNotify,
            "OfflineNotify" => NotifyType::OfflineNotify,
            other => {
                return Err(Error::Parse(format!(
                    "notification type {other:?} is neither PageNotify nor OfflineNotify"
                )));
            }
        };
        let (params, unsigned) = received::accept(MessageKind::Notify, params)?;
        Ok(Notification {
            params,
            unsigned,
            notify_type,
            decoding,
        })
    }

    /// A signed field's value ("" when absent). Fields that are not part of
    /// the signature are never returned here (see `unsigned_fields`).
    pub fn field(&self, name: &str) -> &str {
        self.params.value(name)
    }
    /// The signed fields, as they verified.
    pub fn params(&self) -> &Params {
        &self.params
    }
    /// Fields that came with the notification but are not signed (other
    /// than hmac and serverCert): anyone could have added them. Never act on them.
    pub fn unsigned_fields(&self) -> &Params {
        &self.unsigned
    }
    /// PageNotify or OfflineNotify.
    pub fn notify_type(&self) -> NotifyType {
        self.notify_type
    }
    /// True when the signature held only after decoding values a second time.
    pub fn decoded_twice(&self) -> bool {
        self.decoding.twice()
    }
    /// The decoding of protocol.md §8 under which the signature held.
    pub fn decoding(&self) -> Decoding {
        self.decoding
    }
    /// The merchantId the gateway names.
    pub fn merchant_id(&self) -> &str {
        self.field("merchantId")
    }
    /// The gateway's transaction number: the key for processing a payment once.
    pub fn pay_no(&self) -> &str {
        self.field("payNo")
    }
    /// The merchant's orderId.
    pub fn order_id(&self) -> &str {
        self.field("orderId")
    }
    /// Paid amount in fen.
    pub fn amount(&self) -> Result<u64> {
        fen_field(&self.params, "amount")?
            .ok_or_else(|| Error::Parse("notification has no amount".into()))
    }
    /// Paid: status SUCCESS and returnCode a success code.
    pub fn is_paid(&self) -> bool {
        self.field("status") == "SUCCESS" && crate::codes::is_success(self.field("returnCode"))
    }
    /// The payment's split into cash, prepaid, coupon, voucher and points (amtItem).
    pub fn amt_item(&self) -> Result<AmtItem> {
        AmtItem::parse(self.field("amtItem"))
    }
    /// The merchant fee in fen (`fee` arrives in yuan); None when empty.
    pub fn fee_fen(&self) -> Result<Option<u64>> {
        match self.field("fee") {
            "" => Ok(None),
            v => yuan_to_fen(v).map(Some),
        }
    }

    /// Checks that this notification is for the order the merchant created:
    /// same merchantId, orderId and amount (fen). Do this before recording.
    pub fn check_order(&self, merchant_id: &str, order_id: &str, amount: u64) -> Result<()> {
        let mismatch = |name: &str, got: &str, want: &str| {
            Err(Error::field(
                name,
                format!("notification says {got:?}, the order has {want:?}"),
                None,
            ))
        };
        if self.merchant_id() != merchant_id {
            return mismatch("merchantId", self.merchant_id(), merchant_id);
        }
        if self.order_id() != order_id {
            return mismatch("orderId", self.order_id(), order_id);
        }
        let paid = self.amount()?;
        if paid != amount {
            return mismatch("amount", &paid.to_string(), &amount.to_string());
        }
        Ok(())
    }

    /// The body to answer an OfflineNotify with, once the payment is recorded.
    pub fn ack(&self) -> &'static str {
        ACK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fee_and_amt_item_are_exact() {
        assert_eq!(yuan_to_fen("0.12").unwrap(), 12);
        assert_eq!(yuan_to_fen("3").unwrap(), 300);
        assert_eq!(yuan_to_fen("3.5").unwrap(), 350);
        assert_eq!(yuan_to_fen("10.05").unwrap(), 1005);
        for bad in [
            "",
            ".5",
            "1.",
            "0.125",
            "-1",
            "1e2",
            "1.2.3",
            "99999999999999999999",
        ] {
            assert!(yuan_to_fen(bad).is_err(), "{bad}");
        }
        let a =
            AmtItem::parse("CNY_AMT=12000#CMY_AMT=0#RED_AMT=800#VCH_AMT=0#POT_CHG_AMT=0").unwrap();
        assert_eq!((a.cash, a.coupon, a.total()), (12000, 800, 12800));
        assert!(AmtItem::parse("CNY_AMT=1.5").is_err());
        assert!(AmtItem::parse("FOO=1").is_err());
    }
}
