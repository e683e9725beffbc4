using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Web;

namespace Cmpay.Web
{
    /// <summary>What <see cref="NotifyHandlerBase.Record"/> came to.</summary>
    public enum Recording
    {
        /// <summary>Recorded now.</summary>
        Recorded,

        /// <summary>Recorded before under this payNo for this order (a resend, or the other notification).</summary>
        AlreadyRecorded,

        /// <summary>
        /// Not recorded: the order was already paid under another payNo, or this payNo was recorded
        /// otherwise. Never a second payment in the books: the gateway is answered FAIL (409) and a
        /// person looks.
        /// </summary>
        Conflict,
    }

    /// <summary>A verified notification, checked against the shop's order: what <see cref="NotifyHandlerBase.Record"/> records.</summary>
    public sealed class Payment
    {
        /// <summary>The shop's order.</summary>
        public string OrderId { get; private set; }

        /// <summary>The gateway's payment number (one payment, however often it is notified).</summary>
        public string PayNo { get; private set; }

        /// <summary>The amount in fen, equal to the order's.</summary>
        public ulong AmountFen { get; private set; }

        /// <summary>true for a paid order (status SUCCESS), false for a failed payment.</summary>
        public bool Paid { get; private set; }

        /// <summary>The notification's type (OfflineNotify, PageNotify).</summary>
        public string Via { get; private set; }

        /// <summary>A payment with these fields.</summary>
        public Payment(string orderId, string payNo, ulong amountFen, bool paid, string via)
        {
            OrderId = orderId;
            PayNo = payNo;
            AmountFen = amountFen;
            Paid = paid;
            Via = via;
        }
    }

    /// <summary>
    /// What a notification came to: the HTTP status (200 recorded; 400 refused: not verified, not about
    /// that order and amount, or ambiguous and not confirmed; 404 an order the shop does not know; 409 not
    /// recorded, the order was already paid under another payNo; 500 not recorded, the shop's store failed;
    /// 503 not recorded, the gateway could not be asked to confirm it just now), the payment when
    /// recorded, and the answer for the gateway.
    /// </summary>
    public sealed class Outcome
    {
        /// <summary>The HTTP status.</summary>
        public int Status { get; private set; }

        /// <summary>The recorded payment (status 200), else null.</summary>
        public Payment Payment { get; private set; }

        /// <summary>The gateway's acknowledgement ("SUCCESS") when recorded, else "FAIL".</summary>
        public string Answer { get; private set; }

        /// <summary>Whether the payment is recorded (now or before) and may be acknowledged.</summary>
        public bool IsRecorded { get { return Status == 200; } }

        internal Outcome(int status, Payment payment, string answer)
        {
            Status = status;
            Payment = payment;
            Answer = answer;
        }

        internal static Outcome Refused(int status)
        {
            return new Outcome(status, null, "FAIL");
        }
    }

    /// <summary>
    /// A ready notify endpoint (the notifyUrl) for an ASP.NET site: subclass it with the shop's orders
    /// (<see cref="AmountFen"/>, <see cref="Record"/>) and name the subclass in an .ashx or in
    /// &lt;handlers&gt;. Each notification, exactly as it arrived, is verified by the library; a reading of
    /// its signed bytes that names an order the shop never created is ruled out, one still ambiguous is
    /// confirmed with the gateway by an order query (docs/resplit.md); it must be about the shop's order
    /// for its amount; then it is recorded once, and only then is the gateway answered its
    /// acknowledgement. Anything else is answered FAIL (the gateway sends it again later). The client
    /// comes from web.config's &lt;cmpay&gt; section (<see cref="CmpaySection.Configured"/>), one per
    /// application domain, unless the subclass gives its own. Reusable: keep no per-request state in a subclass.
    /// </summary>
    public abstract class NotifyHandlerBase : IHttpHandler
    {
        /// <summary>The longest body read: one byte more than the library takes, so that it refuses an oversized one.</summary>
        public const int MaxBody = 65537;

        /// <summary>Where the handler says why it refused or did not record a notification: the TraceSource "cmpay.web".</summary>
        public static readonly TraceSource Trace = new TraceSource("cmpay.web", SourceLevels.Warning);

        // A failure (a bad web.config) is not kept: that request fails, the next one reads it again.
        private static readonly Lazy<Client> ConfiguredClient =
            new Lazy<Client>(() => CmpaySection.Configured(), LazyThreadSafetyMode.PublicationOnly);

        private static readonly Lazy<string> ConfiguredMerchantId =
            new Lazy<string>(CmpaySection.ConfiguredMerchantId, LazyThreadSafetyMode.PublicationOnly);

        /// <summary>The client that verifies and confirms: web.config's &lt;cmpay&gt; (or the environment) unless overridden.</summary>
        protected virtual Client Client { get { return ConfiguredClient.Value; } }

        /// <summary>The shop's merchant id, that each notification must name: &lt;cmpay merchantId&gt; (or CMPAY_MERCHANT_ID) unless overridden.</summary>
        protected virtual string MerchantId { get { return ConfiguredMerchantId.Value; } }

        /// <summary>The amount (fen) of an order the shop created, or null if it knows no such order.</summary>
        protected abstract ulong? AmountFen(string orderId);

        /// <summary>
        /// Whether each of <paramref name="orderIds"/> is an order the shop created (a notification that could
        /// also be read as paying one of the others pays nothing there). One query in a database; this
        /// default asks <see cref="AmountFen"/> about each.
        /// </summary>
        protected virtual ISet<string> Existing(ICollection<string> orderIds)
        {
            var known = new HashSet<string>(StringComparer.Ordinal);
            foreach (string id in orderIds)
                if (AmountFen(id) != null) known.Add(id);
            return known;
        }

        /// <summary>
        /// Records a verified payment once: by its payNo and, for a paid one, by the order's state (an order
        /// already paid is never paid again, whatever the payNo), in one transaction with the order's update.
        /// Throwing (the database is down) records nothing and answers the gateway FAIL (500).
        /// </summary>
        protected abstract Recording Record(Payment payment);

        /// <summary>true: one instance serves every request (no per-request state).</summary>
        public virtual bool IsReusable { get { return true; } }

        /// <summary>The notification in (<see cref="RawNotification"/>), <see cref="Process"/>, the answer out (<see cref="Answer"/>).</summary>
        public void ProcessRequest(HttpContext context)
        {
            if (context == null) throw new ArgumentNullException("context");
            string method = context.Request.HttpMethod;
            if (method != "POST" && method != "GET")
            {
                context.Response.StatusCode = 405;
                context.Response.AppendHeader("Allow", "GET, POST");
                return;
            }
            Answer(context, Process(RawNotification(context.Request)));
        }

        /// <summary>Verifies, checks and records the notification <paramref name="raw"/>, exactly as it arrived.</summary>
        public Outcome Process(byte[] raw)
        {
            try
            {
                Client client = Client;
                using (Notification n = client.ParseNotification(raw)) // verified, or an exception
                {
                    string orderId = n.OrderId;
                    ulong? amount = AmountFen(orderId);
                    if (amount == null)
                    {
                        Trace.TraceEvent(TraceEventType.Warning, 0, "cmpay notify refused: no order {0} in this shop", orderId);
                        return Outcome.Refused(404);
                    }
                    var others = new List<string>(n.OtherOrderIds);
                    if (others.Count > 0)
                    {
                        ISet<string> known = Existing(others);
                        foreach (string other in others)
                            if (!known.Contains(other)) n.RuleOut(other);
                    }
                    if (n.IsAmbiguous) client.Confirm(n); // throws unless the gateway agrees on status, amount and payNo
                    n.CheckOrder(MerchantId, orderId, amount.Value);
                    var payment = new Payment(orderId, n.PayNo, n.Amount, n.IsPaid, n.Type);
                    if (Record(payment) == Recording.Conflict)
                    {
                        Trace.TraceEvent(TraceEventType.Warning, 0,
                            "cmpay notify not recorded: order {0} was already paid under another payNo than {1} (or that payNo was recorded otherwise): look at it",
                            orderId, payment.PayNo);
                        return Outcome.Refused(409);
                    }
                    return new Outcome(200, payment, n.Ack());
                }
            }
            catch (CmpayNetworkException e)
            {
                Trace.TraceEvent(TraceEventType.Warning, 0, "cmpay notify not confirmed, the gateway could not be reached: {0}", e);
                return Outcome.Refused(503);
            }
            catch (CmpayGatewayException e)
            {
                Trace.TraceEvent(TraceEventType.Warning, 0, "cmpay notify not confirmed, the gateway answered an error: {0}", e);
                return Outcome.Refused(503);
            }
            catch (CmpayException e)
            {
                // Signature mismatch, malformed body, wrong order or amount, not confirmed: never SUCCESS.
                Trace.TraceEvent(TraceEventType.Warning, 0, "cmpay notify refused: {0}", e);
                return Outcome.Refused(400);
            }
            catch (Exception e)
            {
                // The shop's store, or the configuration: not recorded, so not acknowledged.
                Trace.TraceEvent(TraceEventType.Error, 0, "cmpay notify not recorded: {0}", e);
                return Outcome.Refused(500);
            }
        }

        /// <summary>
        /// The answer: text/plain, the outcome's status and answer (the gateway's acknowledgement only when
        /// recorded). A return page (the callbackUrl) overrides it to show the shopper a page.
        /// </summary>
        protected virtual void Answer(HttpContext context, Outcome outcome)
        {
            context.Response.StatusCode = outcome.Status;
            context.Response.ContentType = "text/plain";
            context.Response.Write(outcome.Answer);
        }

        /// <summary>
        /// The notification exactly as it arrived: a POST's raw body (at most <see cref="MaxBody"/> bytes
        /// read), else the raw query string. Never Request.Form or QueryString: they decode, and the
        /// signature is over the bytes as sent.
        /// </summary>
        public static byte[] RawNotification(HttpRequest request)
        {
            if (request == null) throw new ArgumentNullException("request");
            if (request.HttpMethod != "POST")
            {
                string url = request.RawUrl;
                int q = url == null ? -1 : url.IndexOf('?');
                return q < 0 ? new byte[0] : System.Text.Encoding.ASCII.GetBytes(url.Substring(q + 1));
            }
            var ms = new MemoryStream();
            var buf = new byte[8192];
            int n;
            Stream s = request.InputStream;
            while (ms.Length < MaxBody && (n = s.Read(buf, 0, buf.Length)) > 0) ms.Write(buf, 0, n);
            return ms.ToArray(); // over 64 KiB: the library refuses it as malformed
        }
    }
}
