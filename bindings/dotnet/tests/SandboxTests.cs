using System;
using System.Collections.Generic;
using System.Linq;
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
            _host = new HttpListenerHost(new NotifyHandler(_merchant, Vectors.MerchantId, _shop, _client), "/cmpay/notify/");
            _returnHost = new HttpListenerHost(new ReturnHandler(_merchant, Vectors.MerchantId, _shop, _client), "/cmpay/return/");
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

        /// <summary>A trace listener keeping every event as "Type event message".</summary>
        private sealed class Recorder : System.Diagnostics.TraceListener
        {
            public readonly List<string> Lines = new List<string>();

            public override void TraceEvent(System.Diagnostics.TraceEventCache cache, string source, System.Diagnostics.TraceEventType type, int id, string format, params object[] args)
            {
                lock (Lines) Lines.Add(type + " " + string.Format(format, args));
            }

            public override void TraceEvent(System.Diagnostics.TraceEventCache cache, string source, System.Diagnostics.TraceEventType type, int id, string message)
            {
                lock (Lines) Lines.Add(type + " " + message);
            }

            public override void Write(string message) { }
            public override void WriteLine(string message) { }

            public string Find(string typeAndEvent, params string[] needles)
            {
                lock (Lines)
                {
                    foreach (string l in Lines)
                    {
                        if (l.StartsWith(typeAndEvent + " ", StringComparison.Ordinal) && needles.All(n => l.Contains(n))) return l;
                    }
                    throw new AssertionException("no " + typeAndEvent + " event with " + string.Join(", ", needles) + " in " + string.Join("\n", Lines));
                }
            }
        }

        [Test]
        public void APaymentIsTracedWithoutSecrets()
        {
            var recorder = new Recorder();
            var source = new System.Diagnostics.TraceSource("cmpay.test", System.Diagnostics.SourceLevels.All);
            source.Listeners.Clear();
            source.Listeners.Add(recorder);
            string id = Orders.NewId("LG");
            string query, payNo, queryHmac;
            using (var c = new ClientConfig().Endpoint(_sandbox.Endpoint).AllowHttp(true).Log(source))
            using (var logging = new Client(_merchant, c))
            {
                _shop.Orders[id] = 2300;
                using (Response order = logging.CreateOrder(Orders.Params(id, 2300, _host.Prefix, _host.Prefix)))
                {
                    string location = Pay(order);
                    query = location.Substring(location.IndexOf('?') + 1);
                }
                GC.Collect();
                GC.WaitForPendingFinalizers();
                using (Notification n = logging.ParseNotification(query))
                {
                    Assert.AreEqual(id, n.OrderId);
                    payNo = n.PayNo;
                }
                Assert.Throws<CmpaySignatureException>(() => logging.ParseNotification(query.Replace("amount=2300", "amount=2301")));
                using (var q = logging.QueryOrder(id)) queryHmac = q["hmac"];
            }
            string sent = recorder.Find("Information request.sent", id, "DirectPayConfirm", _sandbox.Endpoint);
            Match m = Regex.Match(sent, @"requestId=(\S+)");
            Assert.IsTrue(m.Success, sent);
            string requestId = m.Groups[1].Value;
            Assert.Greater(requestId.Length, 10);
            recorder.Find("Information answer.received", requestId, id, "returnCode=000000");
            recorder.Find("Information notify.verified", id, payNo, "amount=2300");
            recorder.Find("Warning notify.refused", "SignatureMismatch");
            recorder.Find("Verbose request.body", "hmac=[redacted]");
            recorder.Find("Verbose notify.body", "hmac=[redacted]");
            recorder.Find("Information request.sent", "OrderQuery", id);
            string notifyHmac = query.Split('&').Where(p => p.StartsWith("hmac=", StringComparison.Ordinal)).Select(p => Uri.UnescapeDataString(p.Substring(5))).Single();
            foreach (string h in new[] { notifyHmac, queryHmac })
            {
                Assert.GreaterOrEqual(h.Length, 32);
                lock (recorder.Lines)
                {
                    foreach (string line in recorder.Lines)
                    {
                        StringAssert.DoesNotContain(h, line);
                        StringAssert.DoesNotContain(Vectors.Md5Key, line);
                    }
                }
            }
        }

        [Test]
        public void TheSwitchLevelFiltersAndAFailingListenerChangesNothing()
        {
            var recorder = new Recorder();
            var source = CmpayLog.Source;
            var before = source.Switch.Level;
            source.Switch.Level = System.Diagnostics.SourceLevels.Warning;
            source.Listeners.Add(recorder);
            try
            {
                using (var c = new ClientConfig().Endpoint(_sandbox.Endpoint).AllowHttp(true).Log())
                using (var logging = new Client(_merchant, c))
                {
                    Assert.Throws<CmpayGatewayException>(() => logging.QueryOrder("no-such-order-log"));
                    Assert.Throws<CmpayParseException>(() => logging.ParseNotification("garbage"));
                }
            }
            finally
            {
                source.Listeners.Remove(recorder);
                source.Switch.Level = before;
            }
            Assert.AreEqual(2, recorder.Lines.Count, string.Join("\n", recorder.Lines));
            StringAssert.StartsWith("Warning answer.received ", recorder.Lines[0]);
            StringAssert.StartsWith("Warning notify.refused ", recorder.Lines[1]);

            var failing = new System.Diagnostics.TraceSource("cmpay.failing", System.Diagnostics.SourceLevels.All);
            failing.Listeners.Clear();
            failing.Listeners.Add(new Failing());
            using (var c = new ClientConfig().Endpoint(_sandbox.Endpoint).AllowHttp(true).Log(failing))
            using (var logging = new Client(_merchant, c))
                Assert.Throws<CmpayGatewayException>(() => logging.QueryOrder("no-such-order-log"));
        }

        private sealed class Failing : System.Diagnostics.TraceListener
        {
            public override void Write(string message) { throw new InvalidOperationException("the shop's listener failed"); }
            public override void WriteLine(string message) { throw new InvalidOperationException("the shop's listener failed"); }
        }

        [Test]
        public void ClientFromEnvironment()
        {
            string keyFile = System.IO.Path.GetTempFileName();
            var vars = new Dictionary<string, string>
            {
                { "CMPAY_MERCHANT_ID", Vectors.MerchantId },
                { "CMPAY_SIGN_KEY_FILE", keyFile },
                { "CMPAY_ENDPOINT", _sandbox.Endpoint },
                { "CMPAY_ALLOW_HTTP", "1" },
                { "CMPAY_TIMEOUT_MS", "10000" },
                { "CMPAY_SIGN_KEY", null }, { "CMPAY_RSA_PRIVATE_KEY_FILE", null }, { "CMPAY_RSA_PUBLIC_KEY_FILE", null },
                { "CMPAY_PRIVATE_KEY_FILE", null }, { "CMPAY_GATEWAY_KEY_FILE", null }, { "CMPAY_CHARSET", null },
                { "CMPAY_PROXY", null }, { "CMPAY_EXTRA_CA_FILE", null }, { "CMPAY_CONNECT_TIMEOUT_MS", null },
            };
            var saved = vars.Keys.ToDictionary(k => k, k => Environment.GetEnvironmentVariable(k));
            try
            {
                // A BOM and CRLF, as Notepad saves it.
                System.IO.File.WriteAllBytes(keyFile, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.ASCII.GetBytes(Vectors.Md5Key + "\r\n")).ToArray());
                foreach (var kv in vars) Environment.SetEnvironmentVariable(kv.Key, kv.Value);
                using (var client = Client.FromEnvironment())
                using (var m = client.GetMerchant())
                {
                    var q = new Dictionary<string, string> { { "requestId", "r1" }, { "orderId", "o1" } };
                    using (var a = m.SignQuery(q))
                    using (var b = _merchant.SignQuery(q))
                        Assert.AreEqual(b.Hmac, a.Hmac);
                    // Signed with the key from the file: the sandbox verifies it and answers "no such order".
                    var e = Assert.Throws<CmpayGatewayException>(() => client.QueryOrder("NOSUCHORDER" + System.Diagnostics.Process.GetCurrentProcess().Id));
                    Assert.AreEqual("RPM22201", e.ReturnCode);
                }
                Environment.SetEnvironmentVariable("CMPAY_TIMEOUT_MS", "ten seconds");
                var bad = Assert.Throws<CmpayInvalidInputException>(() => Client.FromEnvironment());
                StringAssert.Contains("CMPAY_TIMEOUT_MS", bad.Message);
                Environment.SetEnvironmentVariable("CMPAY_TIMEOUT_MS", "10000");
                System.IO.File.WriteAllText(keyFile, Vectors.Md5Key + " \n");
                var key = Assert.Throws<CmpayInvalidKeyException>(() => Client.FromEnvironment());
                StringAssert.Contains("CMPAY_SIGN_KEY_FILE", key.Message);
                StringAssert.Contains(keyFile, key.Message);
                StringAssert.DoesNotContain(Vectors.Md5Key, key.Message);
            }
            finally
            {
                foreach (var kv in saved) Environment.SetEnvironmentVariable(kv.Key, kv.Value);
                System.IO.File.Delete(keyFile);
            }
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

        /// <summary>
        /// A notification's body (or query string) re-split so that its orderId, <paramref name="other"/>
        /// followed by a 14-digit date-time, reads as <paramref name="other"/>: the tail becomes payDate,
        /// payDate's first 8 digits accountDate, and the rest slides into reserved1 before its own value.
        /// The values are moved as they arrived (still percent-encoded): the signed source, the values
        /// joined, and so the hmac stay the same.
        /// </summary>
        private static string ResplitTo(string body, string other)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (string pair in body.Split('&'))
            {
                int eq = pair.IndexOf('=');
                pairs.Add(new KeyValuePair<string, string>(pair.Substring(0, eq), pair.Substring(eq + 1)));
            }
            Func<string, string> get = name => pairs.Find(kv => kv.Key == name).Value;
            string orderId = get("orderId"), payDate = get("payDate"), accountDate = get("accountDate");
            StringAssert.StartsWith(other, orderId);
            string tail = orderId.Substring(other.Length);
            StringAssert.IsMatch("^[0-9]{14}$", tail);
            StringAssert.IsMatch("^[0-9]{14}$", payDate);
            var moved = new Dictionary<string, string>
            {
                { "orderId", other },
                { "payDate", tail },
                { "accountDate", payDate.Substring(0, 8) },
                { "reserved1", payDate.Substring(8) + accountDate + get("reserved1") },
            };
            var parts = new List<string>();
            foreach (var kv in pairs) parts.Add(kv.Key + "=" + (moved.ContainsKey(kv.Key) ? moved[kv.Key] : kv.Value));
            return string.Join("&", parts);
        }

        [Test]
        public void APaidNotificationResplitToAnotherOrderIsAmbiguousAndNeverConfirmed()
        {
            // The shop has orders B and A = B + a date-time, of the same amount, both created at the
            // gateway; the shopper pays A.
            string b = Orders.NewId("B");
            string a = b + "20261206234512";
            NewOrder(b, 9900).Dispose();
            string pageNotify;
            using (Response order = NewOrder(a, 9900)) pageNotify = Pay(order);
            string genuineBody = pageNotify.Substring(pageNotify.IndexOf('?') + 1);
            string forgedBody = ResplitTo(genuineBody, b);
            Assert.AreNotEqual(genuineBody, forgedBody);

            using (Notification genuine = _merchant.ParseNotification(genuineBody))
            using (Notification forged = _merchant.ParseNotification(forgedBody)) // the same hmac: verified
            {
                // The genuine one: for A, paid, and ambiguous (B is one of its other readings).
                Assert.AreEqual(a, genuine.OrderId);
                Assert.IsTrue(genuine.IsPaid);
                Assert.IsTrue(genuine.IsAmbiguous);
                CollectionAssert.Contains(genuine.OtherOrderIds, b);
                Assert.IsTrue(genuine.OtherReadings.Any(r => r.Contains(" orderId=" + b + " ") && r.Contains(" amount=9900 ")));
                var e = Assert.Throws<CmpayAmbiguousException>(() => genuine.CheckOrder(Vectors.MerchantId, a, 9900));
                StringAssert.Contains(b, e.Message);

                // The re-split one reads as paying B, the same amount and payNo.
                Assert.AreEqual(b, forged.OrderId);
                Assert.AreEqual(9900UL, forged.Amount);
                Assert.AreEqual(genuine.PayNo, forged.PayNo);
                Assert.AreEqual("20261206234512", forged["payDate"]);
                Assert.IsTrue(forged.IsPaid);
                Assert.IsTrue(forged.IsAmbiguous);
                CollectionAssert.Contains(forged.OtherOrderIds, a);
                Assert.Throws<CmpayAmbiguousException>(() => forged.CheckOrder(Vectors.MerchantId, b, 9900));
                // The shop has A: it cannot rule A out. (Ruling out what it does not have leaves A.)
                foreach (string other in forged.OtherOrderIds)
                    if (_shop.AmountFen(other) == null) forged.RuleOut(other);
                Assert.IsTrue(forged.IsAmbiguous);
                // ... and the gateway says B is not paid.
                var nc = Assert.Throws<CmpayNotConfirmedException>(() => _client.Confirm(forged));
                Assert.AreEqual(Status.NotConfirmed, nc.Status);
                Assert.AreEqual("CMPAY_NOT_CONFIRMED", nc.StatusName);
                Assert.IsFalse(forged.IsConfirmed);
                Assert.Throws<CmpayAmbiguousException>(() => forged.CheckOrder(Vectors.MerchantId, b, 9900));

                // The genuine one is confirmed by the gateway, then passes, for A only.
                _client.Confirm(genuine);
                Assert.IsTrue(genuine.IsConfirmed);
                genuine.CheckOrder(Vectors.MerchantId, a, 9900);
                Assert.AreEqual("orderId", Assert.Throws<CmpayFieldException>(() => genuine.CheckOrder(Vectors.MerchantId, b, 9900)).Field);
            }

            // The example endpoint takes the same path: the forged body never pays B, the genuine one pays A once.
            foreach (string url in new[] { _host.Prefix, _returnHost.Prefix })
            {
                var r = Http.Send("POST", url, forgedBody);
                Assert.AreEqual(400, r.Status, r.Body);
                StringAssert.DoesNotContain("SUCCESS", r.Body);
                StringAssert.DoesNotContain("paid", r.Body);
            }
            Assert.AreEqual(0, CountPayments(b));
            Assert.IsFalse(_shop.PaidBy.ContainsKey(b));
            var ok = Http.Send("POST", _host.Prefix, genuineBody);
            Assert.AreEqual("SUCCESS", ok.Body);
            Assert.AreEqual(200, ok.Status);
            Assert.AreEqual(1, CountPayments(a));
            Assert.AreEqual(genuinePayNo(a), _shop.PaidBy[a]);
            Assert.AreEqual(400, Http.Send("POST", _host.Prefix, forgedBody).Status); // and still not B, with A paid
            Assert.AreEqual(0, CountPayments(b));
        }

        private string genuinePayNo(string orderId)
        {
            foreach (var kv in _shop.Payments) if (kv.Value.StartsWith(orderId + " ")) return kv.Key;
            return null;
        }

        [Test]
        public void ReadingsNamingOrdersTheShopDoesNotHaveAreRuledOutWithoutTheGateway()
        {
            string id = Orders.NewId("R");
            string pageNotify;
            using (Response order = NewOrder(id, 500)) pageNotify = Pay(order);
            using (Notification n = _merchant.ParseNotification(pageNotify.Substring(pageNotify.IndexOf('?') + 1)))
            {
                // Its mobile can slide into orderId: ambiguous, with other order ids none of the shop's.
                Assert.IsTrue(n.IsAmbiguous);
                Assert.IsNotEmpty(n.OtherOrderIds);
                Assert.Throws<CmpayAmbiguousException>(() => n.CheckOrder(Vectors.MerchantId, id, 500));
                foreach (string other in n.OtherOrderIds)
                {
                    Assert.AreNotEqual(id, other);
                    Assert.IsNull(_shop.AmountFen(other), other);
                    n.RuleOut(other);
                }
                Assert.IsFalse(n.IsAmbiguous);
                Assert.IsFalse(n.IsConfirmed); // no gateway asked
                n.CheckOrder(Vectors.MerchantId, id, 500);
                Assert.Throws<CmpayInvalidInputException>(() => n.RuleOut(id));
            }
        }

        [Test]
        public void ConfirmingWithAGatewayThatCannotBeReachedLeavesItAmbiguous()
        {
            string id = Orders.NewId("U");
            string pageNotify;
            using (Response order = NewOrder(id, 600)) pageNotify = Pay(order);
            int port = HttpListenerHost.FreePort(); // nothing listens there
            using (var c = new ClientConfig().Endpoint("http://127.0.0.1:" + port + "/ips/cmpayService").AllowHttp(true))
            using (var unreachable = new Client(_merchant, c))
            using (Notification n = _merchant.ParseNotification(pageNotify.Substring(pageNotify.IndexOf('?') + 1)))
            {
                Assert.IsTrue(n.IsAmbiguous);
                Assert.Throws<CmpayNetworkException>(() => unreachable.Confirm(n));
                Assert.IsFalse(n.IsConfirmed);
                Assert.Throws<CmpayAmbiguousException>(() => n.CheckOrder(Vectors.MerchantId, id, 600));
                // The sandbox, with the order paid: confirmed.
                _client.Confirm(n);
                Assert.IsTrue(n.IsConfirmed);
                n.CheckOrder(Vectors.MerchantId, id, 600);
            }
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
