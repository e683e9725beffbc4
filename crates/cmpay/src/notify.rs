//! PageNotify and OfflineNotify (protocol.md 5.4): parsed, verified under the
//! decodings of §8, and typed. A `Notification` exists only once its
//! signature has held, so the `SUCCESS` ack cannot be had for anything else.

use crate::decode::{self, Decoding};
use crate::error::{Error, Result};
use crate::fields::MessageKind;
use crate::merchant::Merchant;
use crate::params::Params;
use crate::readings::{self, Ambiguity, Reading};
use crate::received;
use crate::response::{OrderStatus, QueryResponse};
use crate::sign::Verifier;
use std::sync::{Mutex, OnceLock};

/// The only answer that stops the gateway resending an OfflineNotify.
pub const ACK: &str = "SUCCESS";

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
///
/// Verified is not yet trustworthy: the signature covers the values joined
/// with no separator, so the same signed source may read as another order,
/// amount or payNo (`readings`). Such a notification is ambiguous:
/// `check_order` refuses it until the gateway has confirmed it
/// (`Client::confirm`, or `confirm_with` and a query answer).
#[derive(Debug)]
pub struct Notification {
    params: Params,
    unsigned: Params,
    notify_type: NotifyType,
    decoding: Decoding,
    ambiguity: Ambiguity,
    /// Set once a query answer agreed with it (`confirm_with`).
    confirmed: OnceLock<()>,
    /// The orderIds the merchant has said are no order of its (`rule_out`).
    ruled_out: Mutex<Vec<String>>,
}

impl Clone for Notification {
    fn clone(&self) -> Notification {
        Notification {
            params: self.params.clone(),
            unsigned: self.unsigned.clone(),
            notify_type: self.notify_type,
            decoding: self.decoding,
            ambiguity: self.ambiguity.clone(),
            confirmed: self.confirmed.clone(),
            ruled_out: Mutex::new(self.ruled_out_ids()),
        }
    }
}

impl PartialEq for Notification {
    /// The same fields, as received: what the merchant has learnt about it
    /// since (confirmed, ruled out) does not count.
    fn eq(&self, other: &Notification) -> bool {
        self.params == other.params && self.unsigned == other.unsigned
    }
}

impl Eq for Notification {}

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
        let values: Vec<&str> = MessageKind::Notify
            .fields()
            .iter()
            .map(|f| params.value(f.name))
            .collect();
        let ambiguity = readings::of_received(MessageKind::Notify, &values);
        Ok(Notification {
            params,
            unsigned,
            notify_type,
            decoding,
            ambiguity,
            confirmed: OnceLock::new(),
            ruled_out: Mutex::new(Vec::new()),
        })
    }

    /// `parse`, for this merchant: verified with its key, and refused
    /// (FIELD_INVALID) when the notification names another merchantId.
    /// What a shop should call: a notification for another merchant is
    /// never taken for its own.
    pub fn parse_for(merchant: &Merchant, body: &[u8]) -> Result<Notification> {
        let n = Notification::parse(merchant.verifier(), body)?;
        if n.merchant_id() != merchant.merchant_id() {
            return Err(Error::field(
                "merchantId",
                format!(
                    "the notification is for merchant {:?}, this merchant is {:?}",
                    n.merchant_id(),
                    merchant.merchant_id()
                ),
                None,
            ));
        }
        Ok(n)
    }

    /// True when the signed source has another reading, under every rule,
    /// with another orderId, amount, payNo, returnCode, status or type, that
    /// the merchant has not ruled out (`rule_out`), or more readings than
    /// the search lists (`readings::KEEP`: then only the gateway can settle
    /// it): the bytes cannot say which was meant. `check_order`
    /// refuses it until the gateway has confirmed it.
    pub fn is_ambiguous(&self) -> bool {
        let ruled_out = self.ruled_out_ids();
        // More readings than the search keeps (`readings::KEEP`), or a
        // search that gave up: the list is not complete, so ruling out what
        // it names settles nothing; only the gateway can.
        self.ambiguity.gave_up
            || self.ambiguity.more
            || self
                .ambiguity
                .others
                .iter()
                .any(|r| !ruled_out.iter().any(|id| id == r.field("orderId")))
    }

    /// Every other reading of the signed source, ruled out or not (empty
    /// when there is none).
    pub fn other_readings(&self) -> &[Reading] {
        &self.ambiguity.others
    }

    /// The orderIds that other readings name, other than this one's, each
    /// once: ask the merchant's own orders about each (`rule_out`).
    pub fn other_order_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for r in &self.ambiguity.others {
            let id = r.field("orderId");
            if id != self.order_id() && !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Rules out the readings naming `order_id`, once the merchant has found
    /// it is no order of its own: a re-split to an order that does not
    /// exist pays nothing. When every other reading is ruled out the
    /// notification is no longer ambiguous, with no query to the gateway.
    /// Readings that keep this notification's orderId but change its
    /// amount, payNo or status cannot be ruled out. INVALID_ARGUMENT when no other
    /// reading names `order_id` (or it is this notification's own).
    pub fn rule_out(&self, order_id: &str) -> Result<()> {
        if order_id == self.order_id() || !self.other_order_ids().contains(&order_id) {
            return Err(Error::InvalidArgument(format!(
                "no other reading of the notification names order {order_id:?}"
            )));
        }
        let mut ruled_out = self.ruled_out.lock().unwrap_or_else(|e| e.into_inner());
        if !ruled_out.iter().any(|id| id == order_id) {
            ruled_out.push(order_id.to_string());
        }
        Ok(())
    }

    fn ruled_out_ids(&self) -> Vec<String> {
        self.ruled_out
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// This notification's own reading (its key fields).
    pub fn reading(&self) -> Reading {
        let values: Vec<&str> = MessageKind::Notify
            .fields()
            .iter()
            .map(|f| self.params.value(f.name))
            .collect();
        readings::reading_of(MessageKind::Notify, &values)
    }

    /// True once the gateway's answer to an order query agreed with it.
    pub fn is_confirmed(&self) -> bool {
        self.confirmed.get().is_some()
    }

    /// Confirms this notification with the gateway's verified answer to an
    /// OrderQuery for its orderId (`Client::confirm` sends the query): the
    /// answer must name the same merchantId and orderId and have one
    /// meaning itself; for a paid notification it must say SUCCESS with the
    /// same amount and payNo, for an unpaid one anything but SUCCESS. Then
    /// `is_confirmed` and `check_order` pass it; otherwise NOT_CONFIRMED
    /// (or AMBIGUOUS for an answer with another reading) and nothing changes.
    pub fn confirm_with(&self, answer: &QueryResponse) -> Result<()> {
        let differs = |name: &str, ours: &str, theirs: &str| {
            Err(Error::NotConfirmed(format!(
                "the notification says {name} {ours:?}, the gateway's order query says {theirs:?}"
            )))
        };
        let a = &answer.params;
        for name in ["merchantId", "orderId"] {
            if a.value(name) != self.field(name) {
                return differs(name, self.field(name), a.value(name));
            }
        }
        if answer.is_ambiguous() {
            return Err(Error::Ambiguous(format!(
                "the gateway's query answer for order {:?} has other readings: {}",
                self.order_id(),
                list(answer.other_readings())
            )));
        }
        if self.is_paid() {
            if answer.status() != OrderStatus::Paid {
                return differs("status", self.field("status"), a.value("status"));
            }
            for name in ["amount", "payNo"] {
                if a.value(name) != self.field(name) {
                    return differs(name, self.field(name), a.value(name));
                }
            }
        } else if answer.status() == OrderStatus::Paid {
            return differs("status", self.field("status"), a.value("status"));
        }
        let _ = self.confirmed.set(());
        Ok(())
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
        received::fen_field(&self.params, "amount")?
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
    /// same merchantId, orderId and amount (fen), and that it means only
    /// that (AMBIGUOUS, naming the other readings, while it is ambiguous and
    /// not confirmed by the gateway). Do this before recording.
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
        if self.is_ambiguous() && !self.is_confirmed() {
            return Err(Error::Ambiguous(format!(
                "the notification's signed source also reads as {}; confirm it with the gateway (an order query) before recording it",
                if self.ambiguity.gave_up {
                    "too many other readings to list".to_string()
                } else {
                    list(self.other_readings())
                }
            )));
        }
        Ok(())
    }

    /// The body to answer an OfflineNotify with, once the payment is recorded.
    pub fn ack(&self) -> &'static str {
        ACK
    }
}

/// Readings for a message: `[orderId=… amount=…], [...]`.
fn list(readings: &[Reading]) -> String {
    readings
        .iter()
        .map(|r| format!("[{r}]"))
        .collect::<Vec<_>>()
        .join(", ")
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
