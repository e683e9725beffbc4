// An ASP.NET notify endpoint for CMPay, as a shop writes it: an IHttpHandler
// (see Notify.ashx). Point notifyUrl (OfflineNotify, a server POST) at it, and
// callbackUrl (PageNotify, the shopper's browser) at Return.ashx (ReturnHandler.cs:
// the same steps, then a page for the shopper).
//
// It verifies the notification through libcmpay, checks it against the shop's
// own order (merchantId, orderId, amount), records the payment once per payNo,
// and only then answers exactly "SUCCESS". Anything else is answered "FAIL"
// (the gateway then sends the OfflineNotify again later).
//
// web.config (appSettings): CmpayMerchantId, and CmpaySignKey for MD5, or
// CmpayPrivateKeyFile + CmpayGatewayKeyFile (PEM) for RSA; connectionStrings:
// CmpayShopDb, the shop's database and its ADO.NET provider (AdoShopOrders:
// SQLite, or PostgreSQL through ODBC; empty: an in-memory store for trying it out).
// Put cmpay.dll in bin\. A deployable site: Notify.ashx + Return.ashx + web.config.
using System;
using System.Collections.Concurrent;
using System.Configuration;
using System.IO;
using System.Threading;
using System.Web;
using Cmpay;

namespace Cmpay.Examples
{
    /// <summary>The shop's side: its orders and the payments it has recorded. Use your database.</summary>
    public interface IShopOrders
    {
        /// <summary>The amount (fen) of an order the shop created, or null if it knows no such order.</summary>
        ulong? AmountFen(string orderId);

        /// <summary>Records a payment once: false when payNo was recorded before (a resend: still answer SUCCESS).</summary>
        bool RecordOnce(string payNo, string orderId, ulong amountFen, bool paid, string via);
    }

    /// <summary>An in-memory IShopOrders for the example and its test.</summary>
    public sealed class MemoryShopOrders : IShopOrders
    {
        public readonly ConcurrentDictionary<string, ulong> Orders = new ConcurrentDictionary<string, ulong>();
        public readonly ConcurrentDictionary<string, string> Payments = new ConcurrentDictionary<string, string>();

        public ulong? AmountFen(string orderId)
        {
            ulong a;
            return Orders.TryGetValue(orderId, out a) ? a : (ulong?)null;
        }

        public bool RecordOnce(string payNo, string orderId, ulong amountFen, bool paid, string via)
        {
            return Payments.TryAdd(payNo, orderId + " " + amountFen + " " + (paid ? "paid" : "failed") + " via " + via);
        }
    }

    /// <summary>A verified notification's payment, checked against the shop's order and recorded.</summary>
    public sealed class Payment
    {
        public readonly string OrderId;
        public readonly ulong AmountFen;
        public readonly string PayNo;
        public readonly bool Paid;

        /// <summary>The answer that acknowledges it to the gateway ("SUCCESS").</summary>
        public readonly string Ack;

        public Payment(string orderId, ulong amountFen, string payNo, bool paid, string ack)
        {
            OrderId = orderId;
            AmountFen = amountFen;
            PayNo = payNo;
            Paid = paid;
            Ack = ack;
        }
    }

    public class NotifyHandler : IHttpHandler
    {
        // One merchant per process: immutable and thread-safe.
        private static readonly Lazy<Merchant> ConfiguredMerchant = new Lazy<Merchant>(FromAppSettings);

        private readonly Merchant _merchant;
        private readonly string _merchantId;
        private readonly IShopOrders _orders;

        /// <summary>What IIS uses (Notify.ashx): the merchant from web.config.</summary>
        public NotifyHandler()
            : this(ConfiguredMerchant.Value, ConfigurationManager.AppSettings["CmpayMerchantId"], ConfiguredShop.Value)
        {
        }

        public NotifyHandler(Merchant merchant, string merchantId, IShopOrders orders)
        {
            _merchant = merchant;
            _merchantId = merchantId;
            _orders = orders;
        }

        // The shop's order store: web.config's connection string CmpayShopDb (its providerName
        // picks the ADO.NET provider), else in memory. A failure (the database server down
        // while the site starts) is not kept: that request fails, the next one tries again.
        private static readonly Lazy<IShopOrders> ConfiguredShop =
            new Lazy<IShopOrders>(ShopFromConfig, LazyThreadSafetyMode.PublicationOnly);

        private static IShopOrders ShopFromConfig()
        {
            ConnectionStringSettings db = ConfigurationManager.ConnectionStrings["CmpayShopDb"];
            return db == null || string.IsNullOrEmpty(db.ConnectionString)
                ? (IShopOrders)new MemoryShopOrders()
                : new AdoShopOrders(db.ConnectionString, db.ProviderName);
        }

        public bool IsReusable
        {
            get { return true; }
        }

        public void ProcessRequest(HttpContext context)
        {
            int status;
            Payment payment = Record(RawNotification(context.Request), out status);
            Answer(context, status, payment);
        }

        /// <summary>
        /// Verifies a notification, checks it against the shop's order and records its payment once
        /// (whichever of PageNotify, OfflineNotify or a resend comes first). The payment (status 200),
        /// or null: 404 for an order the shop does not know, 400 for a notification that did not verify
        /// or is not about that order and amount. The notify endpoint and the return page (ReturnHandler)
        /// both come here.
        /// </summary>
        protected Payment Record(byte[] body, out int status)
        {
            try
            {
                using (Notification n = _merchant.ParseNotification(body)) // verified, or an exception
                {
                    ulong? amount = _orders.AmountFen(n.OrderId);
                    if (amount == null)
                    {
                        status = 404;
                        return null;
                    }
                    // About the order we created, for its amount? (CmpayFieldException if not.)
                    n.CheckOrder(_merchantId, n.OrderId, amount.Value);
                    // Process a payment once: resends and the PageNotify carry the same payNo.
                    _orders.RecordOnce(n.PayNo, n.OrderId, n.Amount, n.IsPaid, n.Type);
                    status = 200;
                    return new Payment(n.OrderId, n.Amount, n.PayNo, n.IsPaid, n.Ack());
                }
            }
            catch (CmpayException e)
            {
                // Signature mismatch, malformed body, wrong order or amount: never SUCCESS.
                System.Diagnostics.Trace.TraceWarning("cmpay notify refused: {0}", e);
                status = 400;
                return null;
            }
        }

        /// <summary>
        /// The answer to the gateway: exactly "SUCCESS" once the payment is recorded (now, and only
        /// now: it stops the resends), "FAIL" otherwise. ReturnHandler shows the shopper a page instead.
        /// </summary>
        protected virtual void Answer(HttpContext context, int status, Payment payment)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain";
            context.Response.Write(payment != null ? payment.Ack : status == 404 ? "FAIL unknown order" : "FAIL");
        }

        /// <summary>
        /// The notification exactly as it arrived: the raw POST body (OfflineNotify, and the PageNotify
        /// form the browser posts) or the raw query string of the redirect (PageNotify by GET). Never
        /// Request.Form/QueryString: they decode (with the request's encoding), and the signature is over
        /// what was sent.
        /// </summary>
        private static byte[] RawNotification(HttpRequest request)
        {
            return request.HttpMethod == "POST" ? ReadAll(request.InputStream, 65537) : RawQuery(request.RawUrl);
        }

        private static byte[] RawQuery(string rawUrl)
        {
            int q = rawUrl == null ? -1 : rawUrl.IndexOf('?');
            return q < 0 ? new byte[0] : System.Text.Encoding.ASCII.GetBytes(rawUrl.Substring(q + 1));
        }

        private static byte[] ReadAll(Stream s, int limit)
        {
            var ms = new MemoryStream();
            var buf = new byte[8192];
            int n;
            while (ms.Length < limit && (n = s.Read(buf, 0, buf.Length)) > 0) ms.Write(buf, 0, n);
            return ms.ToArray(); // over 64 KiB: the library refuses it as malformed
        }

        private static Merchant FromAppSettings()
        {
            var s = ConfigurationManager.AppSettings;
            string id = s["CmpayMerchantId"];
            string key = s["CmpaySignKey"];
            if (!string.IsNullOrEmpty(key)) return Merchant.Md5(id, key);
            return Merchant.Rsa(id, File.ReadAllBytes(s["CmpayPrivateKeyFile"]), File.ReadAllBytes(s["CmpayGatewayKeyFile"]));
        }
    }
}
