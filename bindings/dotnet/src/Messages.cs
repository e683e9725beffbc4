using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Cmpay
{
    /// <summary>The payUrl token of an order answer.</summary>
    public sealed class PayUrl
    {
        /// <summary>The cashier's URL the shopper is sent to.</summary>
        public string Url { get; private set; }
        /// <summary>"get" or "post".</summary>
        public string Method { get; private set; }
        /// <summary>The sessionId the cashier takes with the URL.</summary>
        public string SessionId { get; private set; }

        /// <summary>A payUrl token of its parts (as <see cref="Response.PayUrl"/> reads them).</summary>
        public PayUrl(string url, string method, string sessionId)
        {
            Url = url; Method = method; SessionId = sessionId;
        }
    }

    /// <summary>amtItem: how the paid amount splits, in fen.</summary>
    public struct AmtItem
    {
        /// <summary>CNY_AMT</summary>
        public ulong Cash;
        /// <summary>CMY_AMT</summary>
        public ulong Prepaid;
        /// <summary>RED_AMT</summary>
        public ulong Coupon;
        /// <summary>VCH_AMT</summary>
        public ulong Voucher;
        /// <summary>POT_CHG_AMT</summary>
        public ulong Points;
    }

    /// <summary>A verified, successful gateway answer (order, query or refund). Immutable.</summary>
    public sealed class Response : NativeObject
    {
        private readonly ResponseHandle _h;
        internal override SafeHandle Handle { get { return _h; } }

        internal Response(ResponseHandle h) { _h = h; }

        /// <summary>One field (decoded), "" when sent empty, null when absent.</summary>
        public string Field(string name)
        {
            IntPtr s;
            int st = Native.cmpay_response_field(_h, Utf8.Z(name, "name"), out s);
            if (st == (int)Status.NotFound) return null;
            Errors.Check(st);
            return Utf8.Take(s);
        }

        /// <summary>One field; CmpayNotFoundException when absent.</summary>
        public string this[string name]
        {
            get { IntPtr s; Errors.Check(Native.cmpay_response_field(_h, Utf8.Z(name, "name"), out s)); return Utf8.Take(s); }
        }

        /// <summary>Every field, in one crossing (enumerates in the order received).</summary>
        public Dictionary<string, string> Fields()
        {
            return Pairs.Read((byte[] b, UIntPtr n, out UIntPtr needed) => Native.cmpay_response_fields_into(_h, b, n, out needed));
        }

        /// <summary>The payUrl token (order answers only; CmpayInvalidInputException for others).</summary>
        public PayUrl PayUrl()
        {
            IntPtr url, method, session;
            Errors.Check(Native.cmpay_response_pay_url(_h, out url, out method, out session));
            string[] t = Utf8.TakeAll(url, method, session);
            return new PayUrl(t[0], t[1], t[2]);
        }

        /// <summary>"url?sessionId=...": where to send the shopper's browser with a 302.</summary>
        public string RedirectUrl()
        {
            IntPtr s; Errors.Check(Native.cmpay_response_redirect_url(_h, out s)); return Utf8.Take(s);
        }

        /// <summary>A complete auto-submitting HTML page (UTF-8) to the cashier.</summary>
        public string HtmlForm()
        {
            IntPtr s; Errors.Check(Native.cmpay_response_html_form(_h, out s)); return Utf8.Take(s);
        }

        /// <summary>A query (or refund) answer's order state, as the library reads it: Paid (status SUCCESS), Failed, or Pending for anything else.</summary>
        public OrderStatus OrderStatus
        {
            get { int v; Errors.Check(Native.cmpay_response_order_status(_h, out v)); return (OrderStatus)v; }
        }

        /// <summary>amount in fen (a query answer: paid; a refund answer: refunded), null when absent.</summary>
        public ulong? Amount
        {
            get
            {
                ulong v;
                int st = Native.cmpay_response_amount(_h, out v);
                if (st == (int)Status.NotFound) return null;
                Errors.Check(st);
                return v;
            }
        }

        /// <summary>The gateway's transaction number, null when absent.</summary>
        public string PayNo { get { return Typed.NonEmpty(Field("payNo")); } }
        /// <summary>The merchant's orderId, null when absent.</summary>
        public string OrderId { get { return Typed.NonEmpty(Field("orderId")); } }
        /// <summary>The merchantId, null when absent.</summary>
        public string MerchantId { get { return Typed.NonEmpty(Field("merchantId")); } }

        /// <summary>orderDate (YYYYMMDD) as a date, null when absent.</summary>
        public DateTime? OrderDate { get { return Typed.Date(Field("orderDate"), "orderDate"); } }

        /// <summary>payDate (YYYYMMDDHHmmss, the gateway's time, UTC+8), null when absent.</summary>
        public DateTimeOffset? PayDate { get { return Typed.Time(Field("payDate"), "payDate"); } }
    }

    /// <summary>Typed readings of a verified answer's text fields.</summary>
    internal static class Typed
    {
        private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

        internal static string NonEmpty(string s)
        {
            return string.IsNullOrEmpty(s) ? null : s;
        }

        internal static DateTime? Date(string s, string name)
        {
            if (string.IsNullOrEmpty(s)) return null;
            DateTime d;
            if (!DateTime.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out d)) throw Bad(name, s, "a yyyyMMdd date");
            return d;
        }

        internal static DateTimeOffset? Time(string s, string name)
        {
            if (string.IsNullOrEmpty(s)) return null;
            DateTime d;
            if (!DateTime.TryParseExact(s, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out d)) throw Bad(name, s, "a yyyyMMddHHmmss time");
            return new DateTimeOffset(d, Beijing);
        }

        private static CmpayException Bad(string name, string value, string what)
        {
            return Errors.Make(Status.Parse, "CMPAY_PARSE", name + " \"" + value + "\" is not " + what);
        }
    }

    /// <summary>A PageNotify or OfflineNotify whose signature held (there is no other kind). Immutable.</summary>
    public sealed class Notification : NativeObject
    {
        private readonly NotificationHandle _h;
        internal override SafeHandle Handle { get { return _h; } }
        internal NotificationHandle H { get { return _h; } }

        internal Notification(NotificationHandle h) { _h = h; }

        /// <summary>The field <paramref name="name"/> as received (decoded), null when the notification has no such field.</summary>
        public string Field(string name)
        {
            IntPtr s;
            int st = Native.cmpay_notification_field(_h, Utf8.Z(name, "name"), out s);
            if (st == (int)Status.NotFound) return null;
            Errors.Check(st);
            return Utf8.Take(s);
        }

        /// <summary>The field <paramref name="name"/>; a missing field throws CmpayNotFoundException.</summary>
        public string this[string name]
        {
            get { IntPtr s; Errors.Check(Native.cmpay_notification_field(_h, Utf8.Z(name, "name"), out s)); return Utf8.Take(s); }
        }

        /// <summary>Every field of the notification, by name, as received (decoded).</summary>
        public Dictionary<string, string> Fields()
        {
            return Pairs.Read((byte[] b, UIntPtr n, out UIntPtr needed) => Native.cmpay_notification_fields_into(_h, b, n, out needed));
        }

        /// <summary>PageNotify or OfflineNotify.</summary>
        public string Type { get { return this["type"]; } }
        /// <summary>The gateway's transaction number: process a payment once per payNo.</summary>
        public string PayNo { get { return this["payNo"]; } }
        /// <summary>The merchant's orderId the payment is for.</summary>
        public string OrderId { get { return this["orderId"]; } }
        /// <summary>The merchantId the notification is addressed to.</summary>
        public string MerchantId { get { return this["merchantId"]; } }

        /// <summary>orderDate (YYYYMMDD) as a date, null when empty.</summary>
        public DateTime? OrderDate { get { return Typed.Date(Field("orderDate"), "orderDate"); } }

        /// <summary>payDate (YYYYMMDDHHmmss, the gateway's time, UTC+8), null when empty.</summary>
        public DateTimeOffset? PayDate { get { return Typed.Time(Field("payDate"), "payDate"); } }

        /// <summary>The paid amount in fen.</summary>
        public ulong Amount
        {
            get { ulong v; Errors.Check(Native.cmpay_notification_amount(_h, out v)); return v; }
        }

        /// <summary>amtItem: the parts the amount was paid with (CNY_AMT, RED_AMT, ...), as the gateway itemises them.</summary>
        public AmtItem AmtItem
        {
            get
            {
                NativeAmtItem a;
                Errors.Check(Native.cmpay_notification_amt_item(_h, out a));
                return new AmtItem { Cash = a.Cash, Prepaid = a.Prepaid, Coupon = a.Coupon, Voucher = a.Voucher, Points = a.Points };
            }
        }

        /// <summary>The merchant fee in fen (exact), or null when the gateway left it empty.</summary>
        public ulong? FeeFen
        {
            get
            {
                ulong v;
                int st = Native.cmpay_notification_fee_fen(_h, out v);
                if (st == (int)Status.NotFound) return null;
                Errors.Check(st);
                return v;
            }
        }

        /// <summary>status SUCCESS with a success returnCode.</summary>
        public bool IsPaid
        {
            get { bool v; Errors.Check(Native.cmpay_notification_is_paid(_h, out v)); return v; }
        }

        /// <summary>
        /// Whether its signed source has another reading, with another orderId, amount, payNo,
        /// returnCode, status or type, that is not ruled out (<see cref="RuleOut"/>): the bytes
        /// cannot say which was meant. Most genuine notifications are (bankAbbr and mobile can slide
        /// into orderId). While it is, and not confirmed (<see cref="Client.Confirm"/>),
        /// <see cref="CheckOrder"/> throws CmpayAmbiguousException.
        /// </summary>
        public bool IsAmbiguous
        {
            get { bool v; Errors.Check(Native.cmpay_notification_is_ambiguous(_h, out v)); return v; }
        }

        /// <summary>
        /// The other readings, ruled out or not, one a string
        /// ("merchantId=... payNo=... returnCode=... type=... amount=... orderId=... status=..."),
        /// for logs; empty when there are none.
        /// </summary>
        public IReadOnlyList<string> OtherReadings
        {
            get { IntPtr s; Errors.Check(Native.cmpay_notification_other_readings(_h, out s)); return Lines(Utf8.Take(s)); }
        }

        /// <summary>
        /// The orderIds the other readings name (never its own <see cref="OrderId"/>); empty when
        /// there are none. Look each up in the shop's orders: one that is none of the shop's is
        /// ruled out with <see cref="RuleOut"/>.
        /// </summary>
        public IReadOnlyList<string> OtherOrderIds
        {
            get { IntPtr s; Errors.Check(Native.cmpay_notification_other_order_ids(_h, out s)); return Lines(Utf8.Take(s)); }
        }

        /// <summary>
        /// Rules out the other readings that name <paramref name="orderId"/>, once the shop has found
        /// it is none of its orders (a payment for an order that does not exist pays nothing). Readings
        /// that keep this orderId but change the amount, payNo or status cannot be ruled out: those
        /// need <see cref="Client.Confirm"/>. CmpayInvalidInputException when no other reading names
        /// <paramref name="orderId"/>. Safe while other threads read the notification.
        /// </summary>
        public void RuleOut(string orderId)
        {
            Errors.Check(Native.cmpay_notification_rule_out(_h, Utf8.Z(orderId, "orderId")));
        }

        /// <summary>Whether the gateway has confirmed it (<see cref="Client.Confirm"/>).</summary>
        public bool IsConfirmed
        {
            get { bool v; Errors.Check(Native.cmpay_notification_is_confirmed(_h, out v)); return v; }
        }

        /// <summary>
        /// Checks it is about the order the shop created, and means only that: CmpayFieldException
        /// naming the first field that differs (merchantId, orderId, amount); CmpayAmbiguousException
        /// while it is ambiguous (<see cref="IsAmbiguous"/>) and not confirmed by the gateway.
        /// </summary>
        public void CheckOrder(string merchantId, string orderId, ulong amountFen)
        {
            Errors.Check(Native.cmpay_notification_check_order(_h, Utf8.Z(merchantId, "merchantId"), Utf8.Z(orderId, "orderId"), amountFen));
        }

        /// <summary>The answer body once the payment is recorded: "SUCCESS".</summary>
        public string Ack()
        {
            IntPtr s; Errors.Check(Native.cmpay_notification_ack(_h, out s)); return Utf8.Take(s);
        }

        // The library's lists: each item followed by a newline; "" is none.
        private static IReadOnlyList<string> Lines(string text)
        {
            var items = new List<string>();
            if (string.IsNullOrEmpty(text)) return items.AsReadOnly();
            items.AddRange(text.Split('\n'));
            if (text[text.Length - 1] == '\n') items.RemoveAt(items.Count - 1);
            return items.AsReadOnly();
        }
    }
}
