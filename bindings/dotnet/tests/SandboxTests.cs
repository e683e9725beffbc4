using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading;
using Cmpay.Examples;
using NUnit.Framework;

namespace Cmpay.Tests
{
    /// <summary>
    /// Against the gateway simulator: the client (create, query, refund, gateway errors,
    /// timeouts), and the example notify IHttpHandler hosted on HttpListener, to which the
    /// sandbox delivers PageNotify (through the "browser") and OfflineNotify (its own POSTs).
    /// </summary>
    [TestFixture]
    public class SandboxTests
    {
        private Sandbox _sandbox;
        private Merchant _merchant;
        private Client _client;
        private MemoryShopOrders _shop;
        private HttpListenerHost _host;
        private HttpListenerHost _returnHost; // the shopper's return page (ReturnHandler), the same shop

        [TestFixtureSetUp]
        public void Start()
        {
            _sandbox = new Sandbox();
            _merchant = Merchant.Md5(Vectors.MerchantId, Vectors.Md5Key);
            using (var c = new ClientConfig().Endpoint(_sandbox.Endpoint).AllowHttp(true).Charset("02"))
                _client = new Client(_merchant, c);
            _shop = new MemoryShopOrders();
            _host = new HttpListenerHost(new NotifyHandler(_merchant, Vectors.MerchantId, _shop), "/cmpay/notify/");
            _returnHost = new HttpListenerHost(new ReturnHandler(_merchant, Vectors.MerchantId, _shop), "/cmpay/return/");
        }

        [TestFixtureTearDown]
        public void Stop()
        {
            if (_host != null) _host.Dispose();
            if (_returnHost != null) _returnHost.Dispose();
            if (_client != null) _client.Dispose();
            if (_merchant != null) _merchant.Dispose();
            if (_sandbox != null) _sandbox.Dispose();
        }

        private Response NewOrder(string orderId, ulong amount)
        {
            _shop.Orders[orderId] = amount; // the shop records its order first
            return _client.CreateOrder(Orders.Params(orderId, amount, _host.Prefix, _host.Prefix));
        }

        /// <summary>The shopper pays on the cashier page; returns the PageNotify URL the browser is sent to.</summary>
        private string Pay(Response order, string action = "pay")
        {
            PayUrl u = order.PayUrl();
            var r = Http.Send("POST", _sandbox.Base + "/ips/cashier/submit", "sessionId=" + Uri.EscapeDataString(u.SessionId) + "&action=" + action + "&pageNotify=get");
            Assert.AreEqual(302, r.Status, r.Body);
            string location = r.Headers["Location"];
            StringAssert.StartsWith(_host.Prefix + "?", location);
            return location;
        }

        /// <summary>As the live gateway does it: the page after paying POSTs the PageNotify; returns its form body.</summary>
        private string PayByPostForm(Response order, string callbackUrl = null)
        {
            PayUrl u = order.PayUrl();
            var r = Http.Send("POST", _sandbox.Base + "/ips/cashier/submit", "sessionId=" + Uri.EscapeDataString(u.SessionId) + "&action=pay");
            Assert.AreEqual(200, r.Status, r.Body);
            Match form = Regex.Match(r.Body, "<form method=\"post\" action=\"([^\"]+)\"");
            Assert.IsTrue(form.Success, r.Body);
            Assert.AreEqual(callbackUrl ?? _host.Prefix, System.Net.WebUtility.HtmlDecode(form.Groups[1].Value));
            var body = new System.Text.StringBuilder();
            foreach (Match input in Regex.Matches(r.Body, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">"))
            {
                if (body.Length > 0) body.Append('&');
                body.Append(Uri.EscapeDataString(System.Net.WebUtility.HtmlDecode(input.Groups[1].Value)))
                    .Append('=')
                    .Append(Uri.EscapeDataString(System.Net.WebUtility.HtmlDecode(input.Groups[2].Value)));
            }
            return body.ToString();
        }

        [Test]
        public void PageNotifyByPostFormAsTheLiveGatewaySendsIt()
        {
            string id = Orders.NewId("NP");
            string form;
            using (Response order = NewOrder(id, 4321)) form = PayByPostForm(order);
            StringAssert.Contains("type=PageNotify", form);
            var r = Http.Send("POST", _host.Prefix, form);
            Assert.AreEqual(200, r.Status);
            Assert.AreEqual("SUCCESS", r.Body);
            Assert.AreEqual(1, CountPayments(id));
            r = Http.Send("POST", _host.Prefix, form.Replace("amount=4321", "amount=1"));
            Assert.AreEqual(400, r.Status);
            Assert.AreNotEqual("SUCCESS", r.Body);
            Assert.AreEqual("SUCCESS", WaitForAck(id).S("answer"));
        }

        [Test]
        public void ReturnPageShowsTheVerifiedPaymentRecordedOnce()
        {
            string id = Orders.NewId("RP");
            _shop.Orders[id] = 4321;
            string form;
            using (Response order = _client.CreateOrder(Orders.Params(id, 4321, _host.Prefix, _returnHost.Prefix)))
                form = PayByPostForm(order, _returnHost.Prefix);
            StringAssert.Contains("type=PageNotify", form);
            // The browser posts the PageNotify to the return page: the payment, as HTML.
            var r = Http.Send("POST", _returnHost.Prefix, form);
            Assert.AreEqual(200, r.Status, r.Body);
            StringAssert.StartsWith("text/html", r.Headers["Content-Type"]);
            StringAssert.StartsWith("<!DOCTYPE html>\n<html lang=\"zh-CN\">", r.Body);
            StringAssert.Contains("<title>支付成功 Payment received</title>", r.Body);
            StringAssert.Contains("<dd id=\"order-id\">" + id + "</dd>", r.Body);
            StringAssert.Contains("<dd id=\"amount\">¥43.21</dd>", r.Body);
            StringAssert.Contains("<dd id=\"status\">paid</dd>", r.Body);
            // The OfflineNotify at the notify endpoint, and a reload of the page: still one payment.
            Assert.AreEqual("SUCCESS", WaitForAck(id).S("answer"));
            Assert.AreEqual(200, Http.Send("POST", _returnHost.Prefix, form).Status);
            Assert.AreEqual(1, CountPayments(id));
            // Tampered, or forged with markup: a 4xx failure page, nothing of the body on it.
            r = Http.Send("POST", _returnHost.Prefix, form.Replace("amount=4321", "amount=1"));
            Assert.AreEqual(400, r.Status);
            StringAssert.Contains("<title>无法确认支付 Payment not confirmed</title>", r.Body);
            StringAssert.DoesNotContain("paid", r.Body);
            r = Http.Send("POST", _returnHost.Prefix, "orderId=%3Cscript%3Ealert(1)%3C%2Fscript%3E&amount=1&hmac=00");
            Assert.AreEqual(400, r.Status);
            StringAssert.DoesNotContain("<script", r.Body);
            // An order the shop does not know: 404, its own page.
            ulong removed;
            _shop.Orders.TryRemove(id, out removed);
            r = Http.Send("POST", _returnHost.Prefix, form);
            Assert.AreEqual(404, r.Status);
            StringAssert.Contains("<title>订单不存在 Unknown order</title>", r.Body);
            Assert.AreEqual(1, CountPayments(id));
        }

        [Test]
        public void ReturnPageEscapesEveryValue()
        {
            // Signed fields cannot carry markup past the library, but the page escapes them all the same.
            string page = ReturnHandler.Page(200, new Payment("<script>a&b</script>", 5, "\"'><img src=x>", false, "SUCCESS"));
            StringAssert.Contains("<dd id=\"order-id\">&lt;script&gt;a&amp;b&lt;/script&gt;</dd>", page);
            StringAssert.Contains("<dd id=\"pay-no\">&quot;&#39;&gt;&lt;img src=x&gt;</dd>", page);
            StringAssert.Contains("<dd id=\"amount\">¥0.05</dd>", page);
            StringAssert.Contains("<title>支付未成功 Payment failed</title>", page);
            StringAssert.Contains("<dd id=\"status\">failed</dd>", page);
            StringAssert.DoesNotContain("<script", page);
            StringAssert.DoesNotContain("<img", page);
        }

        private JObject WaitForAck(string orderId)
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                foreach (JObject d in _sandbox.Deliveries(orderId))
                    if (true.Equals(d["acked"])) return d;
                Thread.Sleep(50);
            }
            Assert.Fail("no OfflineNotify for " + orderId + " was acknowledged: " + Http.Send("GET", _sandbox.Base + "/sandbox/deliveries?orderId=" + orderId).Body);
            return null;
        }

        [Test]
        public void CreateQueryRefund()
        {
            string id = Orders.NewId("CQ");
            using (Response order = NewOrder(id, 1999))
            {
                PayUrl u = order.PayUrl();
                StringAssert.StartsWith(_sandbox.Base + "/", u.Url);
                Assert.IsNotEmpty(u.SessionId);
                StringAssert.Contains("sessionId=" + u.SessionId, order.RedirectUrl());
                StringAssert.Contains("<form", order.HtmlForm());
                Assert.AreEqual("000000", order["returnCode"]);
                Assert.AreEqual(Vectors.MerchantId, order.Fields()["merchantId"]);
                using (var q = _client.QueryOrder(id))
                {
                    Assert.AreNotEqual("SUCCESS", q.Field("status"));
                    Assert.AreEqual(OrderStatus.Pending, q.OrderStatus);
                }
                Pay(order);
            }
            using (var q = _client.QueryOrder(id))
            {
                Assert.AreEqual("SUCCESS", q["status"]);
                Assert.AreEqual("1999", q["amount"]);
                Assert.AreEqual(id, q.Fields()["orderId"]);
                Assert.AreEqual(OrderStatus.Paid, q.OrderStatus);
                Assert.AreEqual(1999UL, q.Amount);
                Assert.AreEqual(id, q.OrderId);
                Assert.IsNotNull(q.PayNo);
            }
            using (var r = _client.Refund(id, 999))
            {
                Assert.AreEqual("000000", r["returnCode"]);
                Assert.AreEqual(999UL, r.Amount);
            }
            var e = Assert.Throws<CmpayGatewayException>(() => _client.Refund(id, 5000));
            Assert.AreEqual("RPM22407", e.ReturnCode);
        }

        [Test]
        public void GatewayErrors()
        {
            var e = Assert.Throws<CmpayGatewayException>(() => _client.QueryOrder("no-such-order"));
            Assert.AreEqual("RPM22201", e.ReturnCode);
            Assert.AreEqual(Status.Gateway, e.Status);
            Assert.AreEqual("CMPAY_GATEWAY", e.StatusName);
            string id = Orders.NewId("GE");
            NewOrder(id, 100).Dispose();
            e = Assert.Throws<CmpayGatewayException>(() => NewOrder(id, 100)); // orderId reused
            Assert.AreEqual("RPM22208", e.ReturnCode);
            _sandbox.Fault("fault=gateway-error&code=RPM77040&status=503&type=order");
            e = Assert.Throws<CmpayGatewayException>(() => NewOrder(Orders.NewId("GE"), 100));
            Assert.AreEqual("RPM77040", e.ReturnCode);
            // A local field check fails before anything is sent, with the gateway's own code.
            var p = Orders.Params(Orders.NewId("GE"), 100, _host.Prefix, _host.Prefix);
            p.RemoveAll(kv => kv.Key == "productName");
            var f = Assert.Throws<CmpayFieldException>(() => _client.CreateOrder(p));
            Assert.AreEqual("MCG01033", f.ReturnCode);
        }

        [Test]
        public void BadSignatureAndGarbageAnswers()
        {
            string id = Orders.NewId("BS");
            NewOrder(id, 100).Dispose();
            _sandbox.Fault("fault=bad-signature&type=query");
            var e = Assert.Throws<CmpaySignatureException>(() => _client.QueryOrder(id));
            Assert.AreEqual(Status.SignatureMismatch, e.Status);
            // A gateway error whose signature does not hold is still a gateway error (the message says so).
            _sandbox.Fault("fault=bad-signature&type=query");
            var g = Assert.Throws<CmpayGatewayException>(() => _client.QueryOrder("no-such-order"));
            Assert.AreEqual("RPM22201", g.ReturnCode);
            _sandbox.Fault("fault=garbage&type=query");
            Assert.Throws<CmpayParseException>(() => _client.QueryOrder("no-such-order"));
        }

        [Test]
        public void Timeout()
        {
            using (var c = new ClientConfig().Endpoint(_sandbox.Endpoint).AllowHttp(true).Timeout(TimeSpan.FromMilliseconds(300)))
            using (var client = new Client(_merchant, c))
            {
                _sandbox.Fault("fault=slow&ms=3000&type=order");
                var e = Assert.Throws<CmpayNetworkTimeoutException>(() =>
                    client.CreateOrder(Orders.Params(Orders.NewId("TO"), 100, _host.Prefix, _host.Prefix)));
                Assert.AreEqual(Status.Timeout, e.Status);
                Assert.IsInstanceOf<CmpayNetworkException>(e);
            }
        }

        [Test]
        public void NotifyEndpointAnswersSuccessExactlyWhenVerified()
        {
            string id = Orders.NewId("NE");
            string pageNotify;
            using (Response order = NewOrder(id, 12345)) pageNotify = Pay(order);

            // OfflineNotify: the sandbox POSTs it to the handler until it answers SUCCESS.
            JObject acked = WaitForAck(id);
            Assert.AreEqual("SUCCESS", acked.S("answer"));
            Assert.AreEqual(200L, acked["httpStatus"]);

            // PageNotify: the shopper's browser follows the redirect to the handler.
            var page = Http.Send("GET", pageNotify);
            Assert.AreEqual(200, page.Status);
            Assert.AreEqual("SUCCESS", page.Body);

            // Recorded once, whichever came first.
            Assert.AreEqual(1, CountPayments(id));

            // Tampered copies POSTed directly: never SUCCESS.
            string query = pageNotify.Substring(pageNotify.IndexOf('?') + 1);
            StringAssert.Contains("amount=12345", query);
            foreach (string forged in new[]
            {
                query.Replace("amount=12345", "amount=1"),
                query.Replace("type=PageNotify", "type=OfflineNotify"),
                Regex.Replace(query, "hmac=[0-9a-f]", "hmac=0"),
                query.Replace("status=SUCCESS", "status=FAILED"),
                "",
                "merchantId=888009941120001&orderId=" + id + "&amount=12345&status=SUCCESS",
            })
            {
                if (forged == query) continue;
                var r = Http.Send("POST", _host.Prefix, forged);
                Assert.AreNotEqual("SUCCESS", r.Body, forged);
                Assert.AreEqual(400, r.Status, forged);
                r = Http.Send("GET", _host.Prefix + "?" + forged);
                Assert.AreNotEqual("SUCCESS", r.Body, forged);
            }

            // The genuine one POSTed again (a resend): SUCCESS again, still recorded once.
            var again = Http.Send("POST", _host.Prefix, query);
            Assert.AreEqual("SUCCESS", again.Body);
            Assert.AreEqual(1, CountPayments(id));
        }

        [Test]
        public void NotifyForAnOrderTheShopDoesNotKnowOrAnotherAmount()
        {
            string id = Orders.NewId("NU");
            string pageNotify;
            using (Response order = NewOrder(id, 500)) pageNotify = Pay(order);
            WaitForAck(id);
            _shop.Orders[id] = 501; // the shop's order says another amount: refuse
            var r = Http.Send("GET", pageNotify);
            Assert.AreEqual("FAIL", r.Body);
            ulong removed;
            _shop.Orders.TryRemove(id, out removed);
            r = Http.Send("GET", pageNotify);
            Assert.AreEqual(404, r.Status);
            StringAssert.StartsWith("FAIL", r.Body);
        }

        [Test]
        public void FailedPaymentIsAcknowledgedAndRecordedAsFailed()
        {
            string id = Orders.NewId("NF");
            string pageNotify;
            using (Response order = NewOrder(id, 700)) pageNotify = Pay(order, "fail");
            StringAssert.Contains("status=FAILED", pageNotify);
            Assert.AreEqual("SUCCESS", WaitForAck(id).S("answer"));
            foreach (var kv in _shop.Payments) if (kv.Value.StartsWith(id + " ")) StringAssert.Contains("failed", kv.Value);
        }

        private int CountPayments(string orderId)
        {
            int n = 0;
            foreach (var kv in _shop.Payments) if (kv.Value.StartsWith(orderId + " ")) n++;
            return n;
        }
    }
}
