using System;
using System.Collections.Generic;
using NUnit.Framework;

namespace Cmpay.Tests
{
    /// <summary>Each status becomes its exception, with the code, the C name, the message, the field and return code.</summary>
    [TestFixture]
    public class ErrorTests
    {
        private Merchant _m;

        [TestFixtureSetUp]
        public void Open() { _m = Merchant.Md5(Vectors.MerchantId, Vectors.Md5Key); }

        [TestFixtureTearDown]
        public void Close() { _m.Dispose(); }

        private static List<KeyValuePair<string, string>> OrderWith(string name, string value)
        {
            var p = Vectors.Named("order-request-md5-charset02").O("params").Pairs();
            int i = p.FindIndex(kv => kv.Key == name);
            if (i >= 0) p[i] = new KeyValuePair<string, string>(name, value);
            else p.Add(new KeyValuePair<string, string>(name, value));
            return p;
        }

        [TestCase("productName", "", "MCG01033")]
        [TestCase("period", "", "MCG01027")]
        [TestCase("period", "0", "MCG01028")]
        [TestCase("periodUnit", "09", "MCG01030")]
        [TestCase("orderDate", "20260230", "MCG01025")]
        public void FieldInvalidWithGatewayCode(string field, string value, string code)
        {
            var e = Assert.Throws<CmpayFieldException>(() => _m.SignOrder(OrderWith(field, value)));
            Assert.AreEqual(Status.FieldInvalid, e.Status);
            Assert.AreEqual("CMPAY_FIELD_INVALID", e.StatusName);
            Assert.AreEqual(field, e.Field);
            Assert.AreEqual(code, e.ReturnCode);
            StringAssert.Contains(field, e.Message);
        }

        [Test]
        public void GwDirectPayIsABrowserForm()
        {
            var p = OrderWith("type", "GWDirectPay");
            p.RemoveAll(kv => kv.Key == "bankAbbr");
            var e = Assert.Throws<CmpayFieldException>(() => _m.SignOrder(p));
            Assert.AreEqual("bankAbbr", e.Field);
            p.Add(new KeyValuePair<string, string>("bankAbbr", "CMB"));
            using (SignedRequest signed = _m.SignOrder(p))
            {
                string page = signed.HtmlForm("https://ipos.10086.cn/ips/cmpayService");
                StringAssert.Contains("<form method=\"post\" action=\"https://ipos.10086.cn/ips/cmpayService\" accept-charset=\"UTF-8\">", page);
                StringAssert.Contains("name=\"hmac\" value=\"" + signed.Hmac + "\"", page);
                StringAssert.Contains("name=\"type\" value=\"GWDirectPay\"", page);
                StringAssert.Contains("<html lang=\"zh-CN\">", page);
                Assert.Throws<CmpayInvalidInputException>(() => signed.HtmlForm("javascript:alert(1)"));
            }
        }

        [Test]
        public void ARequestWhoseSourceReadsAsANotificationIsNotSigned()
        {
            // merchantId, requestId, MD5, OrderQuery, 2.0.0, orderId: the requestId carries what a
            // FAILED PageNotify needs after merchantId, and the orderId ends in FAILED, so the hmac
            // would sign a notification the gateway never sent.
            var forgeable = new Dictionary<string, string> { { "requestId", "P1000000SUCCESSMD5PageNotify2.0.01" }, { "orderId", "xFAILED" } };
            var e = Assert.Throws<CmpayForgeableSourceException>(() => _m.SignQuery(forgeable));
            Assert.AreEqual(Status.ForgeableSource, e.Status);
            Assert.AreEqual("CMPAY_FORGEABLE_SOURCE", e.StatusName);
            StringAssert.Contains("notify", e.Message);
            // An ordinary query is signed.
            using (var q = _m.SignQuery(new Dictionary<string, string> { { "requestId", "R1" }, { "orderId", "ORD1" } }))
                Assert.AreEqual("ORD1", q.Field("orderId"));
        }

        [Test]
        public void ProductNameTooLong()
        {
            var e = Assert.Throws<CmpayFieldException>(() => _m.SignOrder(OrderWith("productName", new string('品', 51))));
            Assert.AreEqual("productName", e.Field);
            Assert.AreEqual("MCG01081", e.ReturnCode);
        }

        [Test]
        public void InvalidArguments()
        {
            var e = Assert.Throws<CmpayInvalidInputException>(() => _m.SignRequest("no-such-kind", new Dictionary<string, string>()));
            Assert.AreEqual(Status.InvalidArgument, e.Status);
            Assert.IsNotEmpty(e.Message);
            e = Assert.Throws<CmpayInvalidInputException>(() => _m.SignOrder(OrderWith("noSuchField", "x")));
            Assert.AreEqual(Status.InvalidArgument, e.Status);
            StringAssert.Contains("noSuchField", e.Message);
            Assert.Throws<CmpayInvalidInputException>(() => _m.Hmac(MessageKind.Notify, OrderWith("x", "y")));
        }

        [Test]
        public void NullPointerStatusIsInvalidInput()
        {
            // The wrapper never passes NULL (null arguments are ArgumentNullException, IdiomTests);
            // the library's own NullPointer status still maps to invalid input.
            var e = Errors.Make(Status.NullPointer, "CMPAY_NULL_POINTER", "m is NULL");
            Assert.IsInstanceOf<CmpayInvalidInputException>(e);
            Assert.AreEqual(Status.NullPointer, e.Status);
        }

        [Test]
        public void TextThatCannotCrossUnaltered()
        {
            // A NUL would cut the C string short; a lone surrogate has no UTF-8: refused, never altered.
            var e = Assert.Throws<CmpayInvalidInputException>(() => Merchant.Md5("8880\0", Vectors.Md5Key));
            Assert.AreEqual(Status.InvalidArgument, e.Status);
            e = Assert.Throws<CmpayInvalidInputException>(() => _m.SignOrder(OrderWith("productName", "bad \uD800 text")));
            Assert.AreEqual(Status.InvalidUtf8, e.Status);
            e = Assert.Throws<CmpayInvalidInputException>(() => ReturnCode.Lookup("\uDC00"));
            Assert.AreEqual(Status.InvalidUtf8, e.Status);
        }

        [Test]
        public void NulPairsBothWays()
        {
            // A NUL inside a parameter cannot cross in NUL pairs: refused, never cut.
            var e = Assert.Throws<CmpayInvalidInputException>(() => _m.SignOrder(OrderWith("productName", "a\0b")));
            Assert.AreEqual(Status.InvalidArgument, e.Status);
            StringAssert.Contains("productName", e.Message);
            StringAssert.Contains("NUL", e.Message);
            Assert.Throws<CmpayInvalidInputException>(() => _m.Hmac("query-request", new Dictionary<string, string> { { "order\0Id", "1" } }));
            var two = new Dictionary<string, string> { { "a", "1" }, { "fee", "" } };
            byte[] pairs = Pairs.Encode(two);
            Assert.AreEqual("a\u00001\u0000fee\u0000\u0000", System.Text.Encoding.UTF8.GetString(pairs));
            CollectionAssert.AreEqual(two, Pairs.Decode(pairs, pairs.Length));
            // The C ABI itself refuses a form body, naming the NUL pairs.
            byte[] form = System.Text.Encoding.UTF8.GetBytes("orderId=O1");
            IntPtr s;
            int st = Native.cmpay_merchant_hmac(_m.H, Utf8.Z("query-request", "kind"), form, (UIntPtr)form.Length, out s);
            Assert.AreEqual((int)Status.InvalidArgument, st);
            StringAssert.Contains("NUL", Utf8.FromStatic(Native.cmpay_last_error()));
        }

        [Test]
        public void Keys()
        {
            var e = Assert.Throws<CmpayInvalidKeyException>(() => Merchant.Md5(Vectors.MerchantId, ""));
            Assert.AreEqual(Status.Key, e.Status);
            Assert.IsInstanceOf<CmpayInvalidInputException>(e);
            Assert.Throws<CmpayInvalidKeyException>(() => Merchant.Md5(Vectors.MerchantId, " " + Vectors.Md5Key));
            Assert.Throws<CmpayInvalidKeyException>(() => Merchant.Rsa(Vectors.MerchantId, new byte[] { 1, 2, 3 }, Paths.Key("platform_public.pem")));
            Assert.Throws<ArgumentNullException>(() => Merchant.Rsa(Vectors.MerchantId, Paths.Key("merchant_private_pkcs8.pem"), null));
            Assert.Throws<CmpayInvalidKeyException>(() => Merchant.Rsa(Vectors.MerchantId, Paths.Key("merchant_private_pkcs8.pem"), new byte[0]));
#pragma warning disable 618 // the 0.1.0 name still catches it
            Assert.Throws<CmpayInvalidKeyException>(() => { try { Merchant.Md5(Vectors.MerchantId, ""); } catch (CmpayKeyException k) { throw k; } });
#pragma warning restore 618
            var f = Assert.Throws<CmpayFieldException>(() => Merchant.Md5(new string('9', 51), Vectors.Md5Key));
            Assert.AreEqual("merchantId", f.Field);
        }

        [Test]
        public void ParseErrors()
        {
            var e = Assert.Throws<CmpayParseException>(() => _m.ParseNotification(new byte[0]));
            Assert.AreEqual(Status.Parse, e.Status);
            Assert.Throws<ArgumentNullException>(() => _m.ParseNotification((byte[])null));
            Assert.Throws<CmpayParseException>(() => _m.ParseNotification(new byte[0]));
            Assert.Throws<CmpayParseException>(() => _m.ParseNotification(new byte[70000]));
            Assert.Throws<CmpayParseException>(() => _m.ParseResponse(MessageKind.OrderResponse, "not a gateway answer"));
            Assert.Throws<CmpayParseException>(() => _m.Verify(MessageKind.Notify, ""));
        }

        [Test]
        public void ConfigErrors()
        {
            using (var c = new ClientConfig())
            {
                var e = Assert.Throws<CmpayInvalidInputException>(() => c.Set("no_such_option", "1"));
                Assert.AreEqual(Status.InvalidArgument, e.Status);
                Assert.Throws<CmpayInvalidInputException>(() => c.Set("timeout_ms", "0"));
                Assert.Throws<CmpayInvalidInputException>(() => c.Set("allow_http", "yes"));
                Assert.Throws<CmpayInvalidInputException>(() => c.Charset("09"));
                Assert.Throws<CmpayInvalidInputException>(() => c.AddCaPem(new byte[0]));
                c.Endpoint("http://127.0.0.1:9/ips/cmpayService"); // http without allow_http: refused by the client
                Assert.Throws<CmpayInvalidInputException>(() => new Client(_m, c));
            }
            using (var c = new ClientConfig().AddCaPem(System.Text.Encoding.ASCII.GetBytes("not a certificate")))
            {
                var e = Assert.Throws<CmpayTlsException>(() => new Client(_m, c));
                Assert.AreEqual(Status.Tls, e.Status);
                Assert.IsInstanceOf<CmpayNetworkException>(e);
            }
        }

        [Test]
        public void TransportError()
        {
            int port = HttpListenerHost.FreePort(); // nothing listens there
            using (var c = new ClientConfig().Endpoint("http://127.0.0.1:" + port + "/ips/cmpayService").AllowHttp(true)
                       .ConnectTimeout(TimeSpan.FromSeconds(2)))
            using (var client = new Client(_m, c))
            {
                var e = Assert.Throws<CmpayNetworkException>(() => client.QueryOrder("ORD1"));
                Assert.AreEqual(Status.Transport, e.Status);
                Assert.AreEqual("CMPAY_TRANSPORT", e.StatusName);
            }
        }

        [Test]
        public void UnknownStatusIsInternal()
        {
            var e = Errors.Make((Status)999, "CMPAY_UNKNOWN", "x");
            Assert.IsInstanceOf<CmpayInternalException>(e);
            Assert.IsInstanceOf<CmpayInternalException>(Errors.Make(Status.Panic, "CMPAY_PANIC", "x"));
        }
    }
}
