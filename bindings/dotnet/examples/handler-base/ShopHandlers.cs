// The notify endpoint and the return page of an ASP.NET shop on Cmpay.Web:
// NotifyHandlerBase does the verifying, checking and answering; the shop
// gives it its orders (here the example's AdoShopOrders, web.config's
// connection string CmpayShopDb) and web.config's <cmpay> section gives the
// merchant and the gateway. Notify.ashx (notifyUrl) names ShopNotifyHandler,
// Return.ashx (callbackUrl) ShopReturnHandler.
using System;
using System.Configuration;
using System.Text;
using System.Web;
using Cmpay.Web;

namespace Cmpay.Examples
{
    /// <summary>The notifyUrl: the shop's orders under Cmpay.Web's ready handler.</summary>
    public class ShopNotifyHandler : NotifyHandlerBase
    {
        // One store per application, opened by the first handler made (the site's first request,
        // one at a time: opened by two requests at once, Mono's provider lookup can hang) and
        // opened again after a failure (the database down at start: that request fails).
        private static readonly object Gate = new object();
        private static IShopOrders _shop;

        private static IShopOrders Shop
        {
            get
            {
                lock (Gate)
                {
                    if (_shop == null)
                    {
                        ConnectionStringSettings db = ConfigurationManager.ConnectionStrings["CmpayShopDb"];
                        _shop = db == null || string.IsNullOrEmpty(db.ConnectionString)
                            ? (IShopOrders)new MemoryShopOrders()
                            : new AdoShopOrders(db.ConnectionString, db.ProviderName);
                    }
                    return _shop;
                }
            }
        }

        /// <summary>What ASP.NET makes (Notify.ashx): the shop's store opened now.</summary>
        public ShopNotifyHandler()
        {
            GC.KeepAlive(Shop);
        }

        /// <summary>The order's amount from the shop's database.</summary>
        protected override ulong? AmountFen(string orderId)
        {
            return Shop.AmountFen(orderId);
        }

        /// <summary>The payment recorded once (AdoShopOrders: one transaction, per payNo and per order).</summary>
        protected override Recording Record(Cmpay.Web.Payment p)
        {
            // AdoShopOrders says only whether it recorded now; false is a resend, or the order already
            // paid (under this payNo or, a shopper who paid twice, another one: its books keep one payment).
            return Shop.RecordOnce(p.PayNo, p.OrderId, p.AmountFen, p.Paid, p.Via) ? Recording.Recorded : Recording.AlreadyRecorded;
        }
    }

    /// <summary>The callbackUrl: the same steps, then the shopper's page (ReturnHandler's).</summary>
    public class ShopReturnHandler : ShopNotifyHandler
    {
        /// <summary>The page instead of the gateway's answer.</summary>
        protected override void Answer(HttpContext context, Outcome outcome)
        {
            HttpResponse r = context.Response;
            r.StatusCode = outcome.Status;
            r.ContentType = "text/html";
            r.ContentEncoding = Encoding.UTF8;
            r.Cache.SetCacheability(HttpCacheability.NoCache);
            Cmpay.Web.Payment p = outcome.Payment;
            r.Write(ReturnHandler.Page(outcome.Status, p == null ? null
                : new Cmpay.Examples.Payment(p.OrderId, p.AmountFen, p.PayNo, p.Paid, outcome.Answer)));
        }
    }
}
