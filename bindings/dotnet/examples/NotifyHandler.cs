// An ASP.NET notify endpoint for CMPay, as a shop writes it: an IHttpHandler
// (see Notify.ashx). Point notifyUrl (OfflineNotify, a server POST) at it, and
// callbackUrl (PageNotify, the shopper's browser) at Return.ashx (ReturnHandler.cs:
// the same steps, then a page for the shopper).
//
// It verifies the notification through libcmpay and finds the shop's own order
// for its orderId. A verified notification can still be ambiguous: its signed
// source may also read as another order's (README, "Ambiguous notifications").
// So the other orderIds it could name that are none of the shop's orders are
// ruled out, and if it is still ambiguous the gateway confirms it (an order
// query through the same Client the shop creates its orders with). Then it is
// checked against the order (merchantId, orderId, amount), the payment is
// recorded once (per payNo, and per order: a paid order is not paid again),
// and only then the answer is exactly "SUCCESS". Anything else is answered
// "FAIL" (the gateway then sends the OfflineNotify again later).
//
// web.config (appSettings): CmpayMerchantId, and CmpaySignKey for MD5, or
// CmpayPrivateKeyFile + CmpayGatewayKeyFile (PEM) for RSA; CmpayEndpoint, the
// gateway (empty: the live one) and CmpayAllowHttp (true for a test gateway on
// plain http only); connectionStrings: CmpayShopDb, the shop's database and its
// ADO.NET provider (AdoShopOrders: SQLite, or PostgreSQL through ODBC; empty: an
// in-memory store for trying it out).
// Put cmpay.dll in bin\. A deployable site: Notify.ashx + Return.ashx + web.config.
using System;
using System.Collections.Concurrent;
using System.Configuration;
using System.Diagnostics;
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

        /// <summary>
        /// Records a payment once: false when payNo was recorded before (a resend: still answer
        /// SUCCESS), or, for a paid one, when the order is paid already (it is never paid twice).
        /// </summary>
        bool RecordOnce(string payNo, string orderId, ulong amountFen, bool paid, string via);
    }

    /// <summary>An in-memory IShopOrders for the example and its test.</summary>
    public sealed class MemoryShopOrders : IShopOrders
    {
        public readonly ConcurrentDictionary<string, ulong> Orders = new ConcurrentDictionary<string, ulong>();
        public readonly ConcurrentDictionary<string, string> Payments = new ConcurrentDictionary<string, string>();
        /// <summary>The paid orders: orderId to the payNo that paid it.</summary>
        public readonly ConcurrentDictionary<string, string> PaidBy = new ConcurrentDictionary<string, string>();

        public ulong? AmountFen(string orderId)
        {
            ulong a;
            return Orders.TryGetValue(orderId, out a) ? a : (ulong?)null;
        }

        public bool RecordOnce(string payNo, string orderId, ulong amountFen, bool paid, string via)
        {
            if (paid && !PaidBy.TryAdd(orderId, payNo)) return false; // paid already, by this payNo or another
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
        // One merchant and one client per process: thread-safe, the client pooling its connections.
        private static readonly Lazy<Merchant> ConfiguredMerchant = new Lazy<Merchant>(FromAppSettings);
        private static readonly Lazy<Client> ConfiguredClient = new Lazy<Client>(ClientFromAppSettings);

        private readonly Merchant _merchant;
        private readonly string _merchantId;
        private readonly IShopOrders _orders;
        private readonly Client _gateway;

        /// <summary>What IIS uses (Notify.ashx): the merchant, the gateway and the shop's database from web.config.</summary>
        public NotifyHandler()
            : this(ConfiguredMerchant.Value, ConfigurationManager.AppSettings["CmpayMerchantId"], ConfiguredShop.Value,
                ConfiguredClient.Value)
        {
        }

        /// <summary>
        /// <paramref name="gateway"/>: the client the shop creates its orders with (the same merchant
        /// and endpoint); it confirms the notifications the shop's orders cannot disambiguate.
        /// </summary>
        public NotifyHandler(Merchant merchant, string merchantId, IShopOrders orders, Client gateway)
        {
            if (merchant == null) throw new ArgumentNullException("merchant");
            if (orders == null) throw new ArgumentNullException("orders");
            if (gateway == null) throw new ArgumentNullException("gateway");
            _merchant = merchant;
            _merchantId = merchantId;
            _orders = orders;
            _gateway = gateway;
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
        /// Verifies a notification, makes sure it means the shop's order and nothing else, checks it
        /// against that order and records its payment once (whichever of PageNotify, OfflineNotify or
        /// a resend comes first). The payment (status 200), or null: 404 for an order the shop does not
        /// know, 400 for a notification that did not verify, is not about that order and amount, or
        /// that the gateway does not confirm, 503 when the gateway could not be asked (the gateway
        /// sends it again later). The notify endpoint and the return page (ReturnHandler) both come here.
        /// </summary>
        protected Payment Record(byte[] body, out int status)
        {
            try
            {
                using (Notification n = _merchant.ParseNotification(body)) // verified, or an exception
                {
                    string orderId = n.OrderId;
                    ulong? amount = _orders.AmountFen(orderId);
                    if (amount == null)
                    {
                        Trace.TraceWarning("cmpay notify refused: no order {0} in this shop", orderId);
                        status = 404;
                        return null;
                    }
                    // The same signed bytes may also read as paying another order (mobile or bankAbbr
                    // sliding into orderId, a date-time tail of orderId sliding into payDate...). A
                    // reading that names no order of this shop pays nothing: rule it out.
                    foreach (string other in n.OtherOrderIds)
                    {
                        if (_orders.AmountFen(other) == null) n.RuleOut(other);
                    }
                    // Still ambiguous (another reading names one of our orders, or changes the amount,
                    // payNo or status): only the gateway knows. An order query; it throws unless the
                    // gateway agrees on status, amount and payNo.
                    if (n.IsAmbiguous) _gateway.Confirm(n);
                    // About the order we created, for its amount, and only that? (CmpayException if not.)
                    n.CheckOrder(_merchantId, orderId, amount.Value);
                    // Process a payment once: resends and the PageNotify carry the same payNo, and a
                    // paid order is not paid again.
                    _orders.RecordOnce(n.PayNo, orderId, n.Amount, n.IsPaid, n.Type);
                    status = 200;
                    return new Payment(orderId, n.Amount, n.PayNo, n.IsPaid, n.Ack());
                }
            }
            catch (CmpayNetworkException e)
            {
                // The gateway could not be asked to confirm it: nothing recorded, not now.
                Trace.TraceWarning("cmpay notify not confirmed, the gateway could not be reached: {0}", e);
                status = 503;
                return null;
            }
            catch (CmpayGatewayException e)
            {
                Trace.TraceWarning("cmpay notify not confirmed, the gateway answered an error: {0}", e);
                status = 503;
                return null;
            }
            catch (CmpayException e)
            {
                // Signature mismatch, malformed body, wrong order or amount, not confirmed by the
                // gateway (CmpayNotConfirmedException), still ambiguous: never SUCCESS.
                Trace.TraceWarning("cmpay notify refused: {0}", e);
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

        private static Client ClientFromAppSettings()
        {
            var s = ConfigurationManager.AppSettings;
            using (var config = new ClientConfig())
            {
                if (!string.IsNullOrEmpty(s["CmpayEndpoint"])) config.Endpoint(s["CmpayEndpoint"]);
                config.AllowHttp(s["CmpayAllowHttp"] == "true"); // a test gateway on plain http only
                // The confirmation runs inside the gateway's own request to this endpoint: keep it short.
                config.Timeout(TimeSpan.FromSeconds(10));
                return new Client(ConfiguredMerchant.Value, config);
            }
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
