// An ASP.NET notify endpoint for CMPay, as a shop writes it: an IHttpHandler
// (see Notify.ashx). Point notifyUrl (OfflineNotify, a server POST) and, for
// this example, callbackUrl (PageNotify, the shopper's browser) at it.
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
// Put cmpay.dll in bin\. A deployable site: Notify.ashx + web.config.
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
            // The notification exactly as it arrived: the raw POST body (OfflineNotify) or the
            // raw query string of the redirect (PageNotify). Never Request.Form/QueryString:
            // they decode (with the request's encoding), and the signature is over what was sent.
            byte[] body = context.Request.HttpMethod == "POST"
                ? ReadAll(context.Request.InputStream, 65537)
                : RawQuery(context.Request.RawUrl);
            int status;
            string answer;
            try
            {
                using (Notification n = _merchant.ParseNotification(body)) // verified, or an exception
                {
                    ulong? amount = _orders.AmountFen(n.OrderId);
                    if (amount == null)
                    {
                        Answer(context, 404, "FAIL unknown order");
                        return;
                    }
                    // About the order we created, for its amount? (CmpayFieldException if not.)
                    n.CheckOrder(_merchantId, n.OrderId, amount.Value);
                    // Process a payment once: resends and the PageNotify carry the same payNo.
                    _orders.RecordOnce(n.PayNo, n.OrderId, n.Amount, n.IsPaid, n.Type);
                    // Recorded: now, and only now, the answer that stops the resends. (For a
                    // PageNotify a shop may render its "thank you" page instead, after the same steps.)
                    status = 200;
                    answer = n.Ack();
                }
            }
            catch (CmpayException e)
            {
                // Signature mismatch, malformed body, wrong order or amount: never SUCCESS.
                System.Diagnostics.Trace.TraceWarning("cmpay notify refused: {0}", e);
                status = 400;
                answer = "FAIL";
            }
            Answer(context, status, answer);
        }

        private static void Answer(HttpContext context, int status, string text)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain";
            context.Response.Write(text);
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
