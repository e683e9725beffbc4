// Cmpay.Web outside a web server: the <cmpay> section's one rule between its
// attributes and the library's variables, the fallback to the environment,
// its errors, and NotifyHandlerBase's refusals. (The handler under
// fastcgi-mono-server4: tests/servers/test_mono_handler_base.py.)
using System;
using System.Collections.Generic;
using System.Configuration;
using System.Text;
using Cmpay.Web;
using NUnit.Framework;

namespace Cmpay.Tests
{
    [TestFixture]
    public class WebTests
    {
        [Test]
        public void AttributesAndVariablesByOneRule()
        {
            Assert.AreEqual("CMPAY_SIGN_KEY_FILE", CmpaySection.VariableName("signKeyFile"));
            Assert.AreEqual("CMPAY_RSA_PRIVATE_KEY_FILE", CmpaySection.VariableName("rsaPrivateKeyFile"));
            Assert.AreEqual("connectTimeoutMs", CmpaySection.AttributeName("CMPAY_CONNECT_TIMEOUT_MS"));
            // Every attribute set at once: 12 variables, each one the library reads (it names no unknown one).
            var s = new CmpaySection();
            Assert.AreEqual(0, s.Variables(_ => null).Count);
            foreach (var p in typeof(CmpaySection).GetProperties())
                if (p.GetCustomAttributes(typeof(ConfigurationPropertyAttribute), false).Length > 0) p.SetValue(s, "x", null);
            IDictionary<string, string> all = s.Variables(_ => null);
            Assert.AreEqual(12, all.Count, string.Join(",", all.Keys));
            Assert.IsTrue(all.ContainsKey("CMPAY_RSA_PUBLIC_KEY_FILE") && all.ContainsKey("CMPAY_EXTRA_CA_FILE"));
            var e = Assert.Throws<CmpayInvalidInputException>(() => Client.FromVariables(all).Dispose());
            StringAssert.DoesNotContain("is not a configuration variable", e.Message);
        }

        [Test]
        public void AnAttributeLeftOutIsReadFromTheEnvironment()
        {
            var s = new CmpaySection { MerchantId = Vectors.MerchantId, Endpoint = "http://127.0.0.1:9/gw" };
            var env = new Dictionary<string, string> { { "CMPAY_SIGN_KEY", Vectors.Md5Key }, { "CMPAY_ENDPOINT", "http://elsewhere/" }, { "CMPAY_ALLOW_HTTP", "1" } };
            IDictionary<string, string> vars = s.Variables(n => env.ContainsKey(n) ? env[n] : null);
            Assert.AreEqual(new[] { "CMPAY_ALLOW_HTTP", "CMPAY_ENDPOINT", "CMPAY_MERCHANT_ID", "CMPAY_SIGN_KEY" }, new List<string>(vars.Keys).ToArray());
            Assert.AreEqual("http://127.0.0.1:9/gw", vars["CMPAY_ENDPOINT"]); // web.config's wins
            using (Client c = Client.FromVariables(vars))
            using (Merchant m = c.GetMerchant())
            using (Merchant direct = Merchant.Md5(Vectors.MerchantId, Vectors.Md5Key))
            {
                var p = new Dictionary<string, string> { { "merchantId", Vectors.MerchantId }, { "requestId", "r1" }, { "orderId", "o1" } };
                Assert.AreEqual(direct.Hmac("query-request", p), m.Hmac("query-request", p));
            }
        }

        [Test]
        public void ABadValueNamesTheVariableAndTheAttribute()
        {
            var s = new CmpaySection { MerchantId = Vectors.MerchantId, SignKey = Vectors.Md5Key, TimeoutMs = "ten seconds" };
            var e = Assert.Throws<ConfigurationErrorsException>(() => s.CreateClient().Dispose());
            StringAssert.Contains("CMPAY_TIMEOUT_MS (timeoutMs)", e.Message);
            Assert.IsInstanceOf<CmpayInvalidInputException>(e.InnerException);
            StringAssert.DoesNotContain(Vectors.Md5Key, e.Message);
            var none = Assert.Throws<ConfigurationErrorsException>(() => new CmpaySection { MerchantId = Vectors.MerchantId }.CreateClient().Dispose());
            StringAssert.Contains("CMPAY_SIGN_KEY (signKey) or CMPAY_SIGN_KEY_FILE (signKeyFile)", none.Message);
        }

        private sealed class Shop : NotifyHandlerBase
        {
            private readonly Client _client;
            public int Recorded;

            public Shop(Client client) { _client = client; }
            protected override Client Client { get { return _client; } }
            protected override string MerchantId { get { return Vectors.MerchantId; } }
            protected override ulong? AmountFen(string orderId) { return 1; }
            protected override Recording Record(Cmpay.Web.Payment payment) { Recorded++; return Recording.Recorded; }
        }

        [Test]
        public void AForgedNotificationIsRefusedAndNotRecorded()
        {
            using (var c = new CmpaySection { MerchantId = Vectors.MerchantId, SignKey = Vectors.Md5Key }.CreateClient())
            {
                var shop = new Shop(c);
                foreach (string body in new[] { "", "type=OfflineNotify&orderId=1&amount=1&hmac=0123456789abcdef0123456789abcdef" })
                {
                    Outcome o = shop.Process(Encoding.ASCII.GetBytes(body));
                    Assert.AreEqual(400, o.Status, body);
                    Assert.AreEqual("FAIL", o.Answer);
                    Assert.IsFalse(o.IsRecorded);
                    Assert.IsNull(o.Payment);
                }
                Assert.AreEqual(0, shop.Recorded);
                Assert.IsTrue(shop.IsReusable);
            }
        }
    }
}
