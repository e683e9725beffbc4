// The shop's return page (callbackUrl, Return.ashx): the shopper's browser
// arrives here from the cashier with the PageNotify, by an auto-submitted POST
// or by GET. It is verified, checked and recorded exactly as NotifyHandler does
// it (the same Record: the shop's orders or the gateway settle an ambiguous
// one, and whichever of PageNotify and OfflineNotify comes first records the
// payment), then the shopper sees the payment, or a failure page with a 4xx
// or 503 status. A notification that does not verify, or that the gateway does
// not confirm, is never shown as paid.
using System.Text;
using System.Web;
using Cmpay;

namespace Cmpay.Examples
{
    public class ReturnHandler : NotifyHandler
    {
        /// <summary>What IIS uses (Return.ashx): the merchant, the gateway and the shop's database from web.config.</summary>
        public ReturnHandler()
        {
        }

        public ReturnHandler(Merchant merchant, string merchantId, IShopOrders orders, Client gateway)
            : base(merchant, merchantId, orders, gateway)
        {
        }

        protected override void Answer(HttpContext context, int status, Payment payment)
        {
            HttpResponse r = context.Response;
            r.StatusCode = status;
            r.ContentType = "text/html";
            r.ContentEncoding = Encoding.UTF8;
            r.Cache.SetCacheability(HttpCacheability.NoCache); // the shopper's own payment: not for shared caches
            r.Write(Page(status, payment));
        }

        /// <summary>The page for a recorded payment, or for a refusal (<paramref name="p"/> null, 404, 400 or 503).</summary>
        public static string Page(int status, Payment p)
        {
            string title, body;
            if (p != null)
            {
                title = p.Paid ? "支付成功 Payment received" : "支付未成功 Payment failed";
                body = "<dl><dt>订单号 Order</dt><dd id=\"order-id\">" + H(p.OrderId) + "</dd>" +
                    "<dt>金额 Amount</dt><dd id=\"amount\">¥" + H(Money.Yuan(p.AmountFen)) + "</dd>" + // the library's exact fen-to-yuan
                    "<dt>支付流水号 Payment number</dt><dd id=\"pay-no\">" + H(p.PayNo) + "</dd>" +
                    "<dt>状态 Status</dt><dd id=\"status\">" + (p.Paid ? "paid" : "failed") + "</dd></dl>";
            }
            else if (status == 404)
            {
                title = "订单不存在 Unknown order";
                body = "<p>The payment notification is about an order this shop does not know.</p>";
            }
            else if (status == 503)
            {
                title = "暂时无法确认支付 Payment not confirmed yet";
                body = "<p>The payment could not be confirmed with the payment gateway just now. Please reload this page in a moment.</p>";
            }
            else
            {
                title = "无法确认支付 Payment not confirmed";
                body = "<p>The payment notification could not be verified.</p>";
            }
            return "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">" +
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                "<link rel=\"icon\" href=\"data:,\">" + // no icon, so the browser asks for none: link the shop's own
                "<title>" + H(title) + "</title></head><body><main><h1>" + H(title) + "</h1>\n" + body +
                "\n</main></body></html>\n";
        }

        // Every value escaped for HTML text and attributes (< > & " '): signed fields too.
        private static string H(string s)
        {
            return HttpUtility.HtmlEncode(s);
        }
    }
}
