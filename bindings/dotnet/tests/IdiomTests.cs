using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using NUnit.Framework;

namespace Cmpay.Tests
{
    /// <summary>What a .NET user expects: ArgumentNullException, numbers as numbers, typed answers, a requestId, a clear missing-library error.</summary>
    [TestFixture]
    public class IdiomTests
    {
        private Merchant _m;

        [TestFixtureSetUp]
        public void Open() { _m = Merchant.Md5(Vectors.MerchantId, Vectors.Md5Key); }

        [TestFixtureTearDown]
        public void Close() { _m.Dispose(); }

        [Test]
        public void StatusListIsTheLibrarys()
        {
            // Both ways: every number the library names is in the enum, and no other.
            for (int n = 0; n < 1024; n++)
            {
                bool named = CmpayLibrary.StatusName((Status)n) != "CMPAY_UNKNOWN";
                Assert.AreEqual(named, Enum.IsDefined(typeof(Status), n), "status " + n);
            }
        }

        [Test]
        public void NullArgumentsAreArgumentNullExceptions()
        {
            var n = _m.ParseNotification(Vectors.Named("notify-OfflineNotify").S("form_body"));
            var calls = new Dictionary<string, TestDelegate>
            {
                { "merchantId", () => Merchant.Md5(null, Vectors.Md5Key) },
                { "signKey", () => Merchant.Md5(Vectors.MerchantId, null) },
                { "privateKey", () => Merchant.Rsa(Vectors.MerchantId, null, new byte[] { 1 }) },
                { "kind", () => _m.SignRequest(null, new Dictionary<string, string>()) },
                { "parameters", () => _m.SignOrder((Dictionary<string, string>)null) },
                { "body", () => _m.ParseNotification((string)null) },
                { "name", () => n.Field(null) },
                { "orderId", () => n.CheckOrder(Vectors.MerchantId, null, 1) },
                { "merchant", () => new Client(null) },
                { "notification", () => { using (var c = new Client(_m)) c.Confirm(null); } },
                { "code", () => ReturnCode.Lookup(null) },
                { "bankCode", () => Banks.Name(null) },
            };
            foreach (var c in calls)
            {
                var e = Assert.Throws<ArgumentNullException>(c.Value, c.Key);
                Assert.AreEqual(c.Key, e.ParamName);
            }
            Assert.AreEqual("orderId", Assert.Throws<ArgumentNullException>(() => n.RuleOut(null)).ParamName);
            n.Dispose();
        }

        [Test]
        public void NumbersCrossAsNumbers()
        {
            var v = Vectors.Named("order-request-md5-charset02");
            var p = new List<KeyValuePair<string, object>>();
            foreach (var kv in v.O("params").Pairs())
            {
                object value = kv.Value;
                if (kv.Key == "amount") value = ulong.Parse(kv.Value);
                if (kv.Key == "period") value = int.Parse(kv.Value);
                p.Add(new KeyValuePair<string, object>(kv.Key, value));
            }
            using (var s = _m.SignOrder(p)) Assert.AreEqual(v.S("hmac"), s.Hmac);
            Assert.AreEqual(v.S("hmac"), _m.Hmac(MessageKind.OrderRequest, p));
            var refund = new Dictionary<string, object> { { "orderId", "ORD1" }, { "amount", 500L } };
            using (var s = _m.SignRefund(refund)) Assert.AreEqual("500", s.Field("amount"));
            var e = Assert.Throws<CmpayInvalidInputException>(() => _m.SignRefund(new Dictionary<string, object> { { "orderId", "O" }, { "amount", 5.0 } }));
            StringAssert.Contains("amount", e.Message);
            Assert.Throws<CmpayInvalidInputException>(() => _m.SignRefund(new Dictionary<string, object> { { "orderId", "O" }, { "amount", 5m } }));
        }

        [Test]
        public void SignOrderFillsInARequestId()
        {
            var p = Vectors.Named("order-request-md5-charset02").O("params").Pairs();
            p.RemoveAll(kv => kv.Key == "requestId");
            // The library's: date, t, hour h minute m second s millisecond, p the process id in hex, n a
            // counter, e.g. 20261206t17h16m19s711p4d2n17: lower-case letters and digits, at most 36
            // characters, never six zeros in a row (docs/resplit.md: nothing for a re-split to slide into).
            const string shape = "^[0-9]{8}t[0-9]{2}h[0-9]{2}m[0-9]{2}s[0-9]{1,3}p[0-9a-f]+n[0-9]{1,5}$";
            using (var a = _m.SignOrder(p))
            using (var b = _m.SignOrder(p))
            {
                string id = a.Field("requestId");
                StringAssert.IsMatch(shape, id);
                Assert.LessOrEqual(id.Length, 36, id);
                StringAssert.DoesNotContain("000000", id);
                Assert.AreEqual(System.Diagnostics.Process.GetCurrentProcess().Id.ToString("x"), id.Substring(id.IndexOf('p') + 1, id.LastIndexOf('n') - id.IndexOf('p') - 1));
                Assert.AreNotEqual(id, b.Field("requestId"));
                StringAssert.Contains("requestId=" + id, a.Body);
            }
            using (var q = _m.SignQuery(new Dictionary<string, string> { { "orderId", "ORD1" } }))
                StringAssert.IsMatch(shape, q.Field("requestId"));
        }

        [Test]
        public void QueryAnswerIsTyped()
        {
            using (var r = _m.ParseResponse(MessageKind.QueryResponse, Vectors.Named("query-response").S("body")))
            {
                Assert.AreEqual(OrderStatus.Paid, r.OrderStatus);
                Assert.AreEqual(12800UL, r.Amount);
                Assert.AreEqual("201911250005378468", r.PayNo);
                Assert.AreEqual("ORD20261125000001", r.OrderId);
                Assert.AreEqual(Vectors.MerchantId, r.MerchantId);
                Assert.AreEqual(new DateTime(2026, 11, 25), r.OrderDate);
                Assert.AreEqual(new DateTimeOffset(2026, 11, 25, 10, 30, 55, TimeSpan.FromHours(8)), r.PayDate);
                Assert.AreEqual(TimeSpan.FromHours(8), r.PayDate.Value.Offset);
            }
        }

        [Test]
        public void RefundAnswerIsTyped()
        {
            using (var r = _m.ParseResponse(MessageKind.RefundResponse, Vectors.Named("refund-response").S("body")))
            {
                Assert.AreEqual(12800UL, r.Amount);
                Assert.AreEqual("201911250005383897", r.PayNo);
                Assert.AreEqual(OrderStatus.Paid, r.OrderStatus);
                Assert.IsNull(r.OrderDate);
                Assert.IsNull(r.PayDate);
            }
        }

        [TestCase("SUCCESS", OrderStatus.Paid)]
        [TestCase("FAILED", OrderStatus.Failed)]
        [TestCase("WAIT", OrderStatus.Pending)]
        [TestCase("", OrderStatus.Pending)]
        public void OrderStatusIsTheLibrarys(string status, OrderStatus expected)
        {
            // The query-response vector with another status, signed again.
            var fields = new List<KeyValuePair<string, string>>();
            foreach (string pair in Vectors.Named("query-response").S("body").Split('&'))
            {
                int eq = pair.IndexOf('=');
                string k = pair.Substring(0, eq), v = Uri.UnescapeDataString(pair.Substring(eq + 1));
                if (k != "hmac") fields.Add(new KeyValuePair<string, string>(k, k == "status" ? status : v));
            }
            string hmac = _m.Hmac(MessageKind.QueryResponse, fields);
            var body = new System.Text.StringBuilder();
            foreach (var kv in fields) body.Append(kv.Key).Append('=').Append(Uri.EscapeDataString(kv.Value)).Append('&');
            body.Append("hmac=").Append(hmac);
            using (var r = _m.ParseResponse(MessageKind.QueryResponse, body.ToString())) Assert.AreEqual(expected, r.OrderStatus);
        }

        [Test]
        public void OrderAnswerHasNoOrderStatus()
        {
            using (var r = _m.ParseResponse(MessageKind.OrderResponse, Vectors.Named("order-response-ok").S("body")))
            {
                Assert.IsNull(r.Amount);
                Assert.Throws<CmpayInvalidInputException>(() => { var s = r.OrderStatus; });
            }
        }

        [Test]
        public void NotificationDates()
        {
            using (var n = _m.ParseNotification(Vectors.Named("notify-OfflineNotify").S("form_body")))
            {
                Assert.AreEqual(n["orderDate"], n.OrderDate.Value.ToString("yyyyMMdd"));
                Assert.AreEqual(n["payDate"], n.PayDate.Value.ToString("yyyyMMddHHmmss"));
            }
        }

        [Test]
        public void TimeoutAndKeyKeepTheirOldNamesAsBases()
        {
#pragma warning disable 618
            Assert.IsTrue(typeof(CmpayTimeoutException).IsAssignableFrom(typeof(CmpayNetworkTimeoutException)));
            Assert.IsTrue(typeof(CmpayKeyException).IsAssignableFrom(typeof(CmpayInvalidKeyException)));
#pragma warning restore 618
            Assert.IsInstanceOf<CmpayNetworkTimeoutException>(Errors.Make(Status.Timeout, "CMPAY_TIMEOUT", "t"));
            Assert.IsInstanceOf<CmpayNetworkException>(Errors.Make(Status.Timeout, "CMPAY_TIMEOUT", "t"));
            Assert.IsInstanceOf<CmpayInvalidKeyException>(Errors.Make(Status.Key, "CMPAY_KEY", "k"));
        }

        [Test]
        public void ResplitStatusesHaveTheirOwnExceptions()
        {
            var a = Errors.Make(Status.Ambiguous, "CMPAY_AMBIGUOUS", "a");
            Assert.AreEqual(typeof(CmpayAmbiguousException), a.GetType());
            Assert.AreEqual(Status.Ambiguous, a.Status);
            var c = Errors.Make(Status.NotConfirmed, "CMPAY_NOT_CONFIRMED", "c");
            Assert.AreEqual(typeof(CmpayNotConfirmedException), c.GetType());
            Assert.AreEqual(Status.NotConfirmed, c.Status);
            // Neither is an input error: the caller did nothing wrong, the notification means more than one thing.
            Assert.IsNotInstanceOf<CmpayInvalidInputException>(a);
            Assert.IsNotInstanceOf<CmpayInvalidInputException>(c);
            var f = Errors.Make(Status.ForgeableSource, "CMPAY_FORGEABLE_SOURCE", "f");
            Assert.AreEqual(typeof(CmpayForgeableSourceException), f.GetType());
            Assert.IsInstanceOf<CmpayInvalidInputException>(f); // change the request's free text, sign again
            Assert.AreEqual(10, (int)Status.Ambiguous);
            Assert.AreEqual(11, (int)Status.NotConfirmed);
            Assert.AreEqual(12, (int)Status.ForgeableSource);
        }

        [Test]
        public void MissingLibraryIsCmpayLibraryNotFoundWithThePlacesLooked()
        {
            // In this process the library is bound; the message is what a failed bind gives.
            var inner = new DllNotFoundException("libcmpay.so: cannot open shared object file");
            CmpayLibraryNotFoundException e = CmpayLibrary.NotFound(inner);
            Assert.AreSame(inner, e.InnerException);
            StringAssert.Contains("Looked at:", e.Message);
            StringAssert.Contains(CmpayLibrary.LoadedPath ?? "next to Cmpay.dll", e.Message);
            StringAssert.Contains("cannot open shared object file", e.Message);

            // A child process whose library file is not a library: the runtime's
            // DllNotFoundException arrives wrapped, with the places looked.
            string dir = Path.GetDirectoryName(typeof(IdiomTests).Assembly.Location);
            string bogus = Path.Combine(Path.GetTempPath(), "cmpay-bogus-" + Guid.NewGuid().ToString("N"), "libcmpay.so");
            Directory.CreateDirectory(Path.GetDirectoryName(bogus));
            File.WriteAllText(bogus, "not a shared library");
            try
            {
                var psi = new ProcessStartInfo("mono", "\"" + Path.Combine(dir, "Bench.exe") + "\" \"" + bogus + "\" \"" + Paths.Repo + "\" 1")
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                psi.EnvironmentVariables.Remove("CMPAY_LIB");
                using (var p = Process.Start(psi))
                {
                    string err = p.StandardError.ReadToEnd();
                    string output = p.StandardOutput.ReadToEnd() + err;
                    p.WaitForExit();
                    Assert.AreNotEqual(0, p.ExitCode, output);
                    StringAssert.Contains("CmpayLibraryNotFoundException", output);
                    StringAssert.Contains("Looked at:", output);
                    StringAssert.Contains(bogus + " (CmpayLibrary.Load)", output);
                    StringAssert.Contains("DllNotFoundException", output);
                }
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(bogus), true);
            }
        }
    }
}
