using System;
using System.Collections.Generic;
using System.Text;
using NUnit.Framework;

namespace Cmpay.Tests
{
    /// <summary>The shared vectors (tests/data/cmpay-vectors.json) through the binding.</summary>
    [TestFixture]
    public class VectorTests
    {
        private Merchant _m;

        [TestFixtureSetUp]
        public void Open() { _m = Merchant.Md5(Vectors.MerchantId, Vectors.Md5Key); }

        [TestFixtureTearDown]
        public void Close() { _m.Dispose(); }

        private static List<KeyValuePair<string, string>> One(string name, string value)
        {
            return new List<KeyValuePair<string, string>> { new KeyValuePair<string, string>(name, value) };
        }

        [TestCaseSource(typeof(Vectors), "Md5Sign")]
        public void Md5Primitive(string name)
        {
            // The hmac over exactly the given fields: one field whose value is the source.
            var v = Vectors.Named(name);
            var p = v.S("source") == "" ? new List<KeyValuePair<string, string>>() : One("merchantId", v.S("source"));
            Assert.AreEqual(v.S("hmac"), _m.Hmac(MessageKind.QueryRequest, p));
        }

        [TestCase("order-request-md5-charset00")]
        [TestCase("order-request-md5-charset01")]
        [TestCase("order-request-md5-charset02")]
        public void OrderRequest(string name)
        {
            var v = Vectors.Named(name);
            var p = v.O("params").Pairs();
            using (SignedRequest s = _m.SignOrder(p))
            {
                Assert.AreEqual(v.S("hmac"), s.Hmac);
                Assert.AreEqual(v.S("source"), s.Source);
                Assert.AreEqual(v.S("form_body"), s.Body);
                Assert.AreEqual(v.S("content_type"), s.ContentType);
                Assert.AreEqual(v.O("params").S("productName"), s.Field("productName"));
                Assert.AreEqual(v.S("hmac"), s.Field("hmac"));
                Assert.IsNull(s.Field("merchantCert"));
                Assert.IsNull(s.Field("noSuchField"));
            }
            Assert.AreEqual(v.S("hmac"), _m.Hmac(MessageKind.OrderRequest, p));
            _m.Verify(MessageKind.OrderRequest, Encoding.ASCII.GetBytes(v.S("form_body")));
        }

        [Test]
        public void OrderRequestDefaultsFilled()
        {
            var v = Vectors.Named("order-request-md5-charset00");
            var p = v.O("params").Pairs();
            p.RemoveAll(kv => Array.IndexOf(new[] { "merchantId", "signType", "type", "version", "characterSet", "currency" }, kv.Key) >= 0);
            using (var s = _m.SignOrder(p))
            {
                Assert.AreEqual(v.S("hmac"), s.Hmac);
                Assert.AreEqual("DirectPayConfirm", s.Field("type"));
            }
        }

        [Test]
        public void OrderRequestDictionaryParameters()
        {
            var v = Vectors.Named("order-request-md5-charset02");
            var d = new Dictionary<string, string>();
            foreach (var kv in v.O("params").Pairs()) d[kv.Key] = kv.Value;
            using (var s = _m.SignRequest(MessageKind.OrderRequest, d)) Assert.AreEqual(v.S("hmac"), s.Hmac);
        }

        [Test]
        public void OrderRequestRsa()
        {
            var v = Vectors.Named("order-request-rsa");
            var p = v.O("params").Pairs();
            string body;
            using (var m = Merchant.Rsa(Vectors.MerchantId, Paths.Key("merchant_private_pkcs8.pem"), Paths.Key("platform_public.pem")))
            using (var s = m.SignOrder(p))
            {
                Assert.AreEqual(v.S("hmac"), s.Hmac);
                Assert.AreEqual(v.S("source"), s.Source);
                StringAssert.IsMatch("^[0-9a-fA-F]+$", s.Field("merchantCert"));
                body = s.Body;
            }
            using (var m = Merchant.Rsa(Vectors.MerchantId, Paths.Key("merchant_private_pkcs1.pem"), Paths.Key("platform_cert.pem")))
            using (var s = m.SignOrder(p))
                Assert.AreEqual(v.S("hmac"), s.Hmac);
            // The gateway's view: verifies with the merchant's public key; a changed amount does not.
            using (var gw = Merchant.Rsa(Vectors.MerchantId, Paths.Key("platform_private_pkcs8.pem"), Paths.Key("merchant_public.pem")))
            {
                gw.Verify(MessageKind.OrderRequest, body);
                Assert.Throws<CmpaySignatureException>(() => gw.Verify(MessageKind.OrderRequest, body.Replace("amount=12800", "amount=12801")));
            }
        }

        [Test]
        public void OrderResponseOk()
        {
            var v = Vectors.Named("order-response-ok");
            _m.Verify(MessageKind.OrderResponse, v.S("body"));
            using (Response r = _m.ParseResponse(MessageKind.OrderResponse, Encoding.UTF8.GetBytes(v.S("body"))))
            {
                PayUrl u = r.PayUrl();
                Assert.AreEqual(v.O("pay_url").S("url"), u.Url);
                Assert.AreEqual(v.O("pay_url").S("method"), u.Method);
                Assert.AreEqual(v.O("pay_url").S("sessionId"), u.SessionId);
                Assert.AreEqual(v.S("redirect_get"), r.RedirectUrl());
                string html = r.HtmlForm();
                StringAssert.Contains("<form", html);
                StringAssert.Contains("<html lang=\"zh-CN\">", html);
                StringAssert.Contains(u.SessionId, html);
                StringAssert.Contains(u.Url, html);
                Assert.AreEqual("000000", r["returnCode"]);
                Assert.AreEqual(v.S("hmac"), r.Field("hmac"));
                Assert.IsNull(r.Field("nothing"));
                var e = Assert.Throws<CmpayNotFoundException>(() => { var x = r["nothing"]; });
                Assert.AreEqual(Status.NotFound, e.Status);
                var f = r.Fields();
                Assert.AreEqual(Vectors.MerchantId, f["merchantId"]);
                StringAssert.StartsWith("url<hi:=>https://", f["payUrl"]);
                Assert.AreEqual(new[] { "merchantId", "requestId", "signType" }, new List<string>(f.Keys).GetRange(0, 3).ToArray());
            }
        }

        [Test]
        public void OrderResponseTampered()
        {
            string body = Vectors.Named("order-response-tampered").S("body");
            var e = Assert.Throws<CmpaySignatureException>(() => _m.ParseResponse(MessageKind.OrderResponse, body));
            Assert.AreEqual(Status.SignatureMismatch, e.Status);
            Assert.AreEqual("CMPAY_SIGNATURE_MISMATCH", e.StatusName);
            Assert.IsNotEmpty(e.Message);
            Assert.Throws<CmpaySignatureException>(() => _m.Verify(MessageKind.OrderResponse, body));
        }

        [Test]
        public void OrderResponseGatewayError()
        {
            var v = Vectors.Named("order-response-gateway-error");
            _m.Verify(MessageKind.OrderResponse, v.S("body")); // correctly signed
            var e = Assert.Throws<CmpayGatewayException>(() => _m.ParseResponse(MessageKind.OrderResponse, v.S("body")));
            Assert.AreEqual("IPS0008", e.ReturnCode);
            Assert.AreEqual(Status.Gateway, e.Status);
            Assert.AreEqual("CMPAY_GATEWAY", e.StatusName);
            Assert.IsNotEmpty(e.Message);
            Assert.IsInstanceOf<CmpayException>(e);
        }

        [TestCase("notify-PageNotify")]
        [TestCase("notify-OfflineNotify")]
        public void NotificationVerifies(string name)
        {
            var v = Vectors.Named(name);
            using (Notification n = _m.ParseNotification(Encoding.ASCII.GetBytes(v.S("form_body"))))
            {
                var fields = n.Fields();
                foreach (var kv in v.O("fields").Pairs())
                {
                    Assert.AreEqual(kv.Value, fields[kv.Key], kv.Key);
                    Assert.AreEqual(kv.Value, n[kv.Key], kv.Key);
                    Assert.AreEqual(kv.Value, n.Field(kv.Key), kv.Key);
                }
                Assert.IsNull(n.Field("nothing"));
                Assert.AreEqual(v.O("fields").S("type"), n.Type);
                Assert.AreEqual(v.O("fields").S("payNo"), n.PayNo);
                Assert.AreEqual(v.O("fields").S("orderId"), n.OrderId);
                Assert.AreEqual(Vectors.MerchantId, n.MerchantId);
                Assert.AreEqual(12800UL, n.Amount);
                var a = v.O("amt_item");
                AmtItem item = n.AmtItem;
                Assert.AreEqual((ulong)(long)a["CNY_AMT"], item.Cash);
                Assert.AreEqual((ulong)(long)a["CMY_AMT"], item.Prepaid);
                Assert.AreEqual((ulong)(long)a["RED_AMT"], item.Coupon);
                Assert.AreEqual((ulong)(long)a["VCH_AMT"], item.Voucher);
                Assert.AreEqual((ulong)(long)a["POT_CHG_AMT"], item.Points);
                Assert.AreEqual((ulong?)12, n.FeeFen);
                Assert.IsTrue(n.IsPaid);
                // bankAbbr and mobile can slide into orderId (docs/resplit.md): ambiguous, refused until
                // those orders are ruled out as none of the shop's (or the gateway confirms it).
                Assert.IsTrue(n.IsAmbiguous);
                Assert.IsFalse(n.IsConfirmed);
                var others = new[] { "138****8000ORD", "138****8000ORD20261125000001", "ICBC138****8000ORD", "ICBC138****8000ORD20261125000001", "ORD" };
                CollectionAssert.AreEqual(others, n.OtherOrderIds);
                IReadOnlyList<string> readings = n.OtherReadings;
                Assert.AreEqual(others.Length, readings.Count);
                for (int i = 0; i < others.Length; i++)
                {
                    Assert.AreEqual("merchantId=" + Vectors.MerchantId + " payNo=" + n.PayNo + " returnCode=000000 type=" + n.Type
                        + " amount=12800 orderId=" + others[i] + " status=SUCCESS", readings[i]);
                }
                var e = Assert.Throws<CmpayAmbiguousException>(() => n.CheckOrder(Vectors.MerchantId, "ORD20261125000001", 12800));
                Assert.AreEqual(Status.Ambiguous, e.Status);
                Assert.AreEqual("CMPAY_AMBIGUOUS", e.StatusName);
                foreach (string other in others) StringAssert.Contains("orderId=" + other + " ", e.Message);
                // Its own orderId, or one no reading names, cannot be ruled out.
                Assert.AreEqual(Status.InvalidArgument, Assert.Throws<CmpayInvalidInputException>(() => n.RuleOut("ORD20261125000001")).Status);
                Assert.Throws<CmpayInvalidInputException>(() => n.RuleOut("ORD2026112500000"));
                // Every one but the last ruled out: still ambiguous.
                for (int i = 0; i < others.Length - 1; i++) n.RuleOut(others[i]);
                Assert.IsTrue(n.IsAmbiguous);
                Assert.Throws<CmpayAmbiguousException>(() => n.CheckOrder(Vectors.MerchantId, "ORD20261125000001", 12800));
                n.RuleOut(others[others.Length - 1]);
                Assert.IsFalse(n.IsAmbiguous);
                Assert.IsFalse(n.IsConfirmed); // ruled out by the shop, not confirmed by the gateway
                // The readings are still there (ruled out), for the logs.
                Assert.AreEqual(others.Length, n.OtherReadings.Count);
                CollectionAssert.AreEqual(others, n.OtherOrderIds);
                n.CheckOrder(Vectors.MerchantId, "ORD20261125000001", 12800);
                // ... for its own order only.
                Assert.AreEqual("orderId", Assert.Throws<CmpayFieldException>(() => n.CheckOrder(Vectors.MerchantId, "ORD", 12800)).Field);
                Assert.AreEqual("SUCCESS", n.Ack());
                Assert.AreEqual(v.S("ack"), n.Ack());
            }
            _m.Verify(MessageKind.Notify, v.S("form_body"));
        }

        [TestCase("notify-PageNotify", 12801UL, "ORD20261125000001", Vectors.MerchantId, "amount")]
        [TestCase("notify-OfflineNotify", 12800UL, "ORD-OTHER", Vectors.MerchantId, "orderId")]
        [TestCase("notify-OfflineNotify", 12800UL, "ORD20261125000001", "888009941120002", "merchantId")]
        public void NotificationCheckOrderMismatch(string name, ulong amount, string orderId, string merchantId, string field)
        {
            using (var n = _m.ParseNotification(Vectors.Named(name).S("form_body")))
            {
                var e = Assert.Throws<CmpayFieldException>(() => n.CheckOrder(merchantId, orderId, amount));
                Assert.AreEqual(field, e.Field);
                Assert.AreEqual(Status.FieldInvalid, e.Status);
                Assert.IsInstanceOf<CmpayInvalidInputException>(e);
            }
        }

        [TestCase("notify-PageNotify-tampered-amount")]
        [TestCase("notify-OfflineNotify-tampered-amount")]
        public void NotificationTampered(string name)
        {
            string body = Vectors.Named(name).S("form_body");
            Assert.Throws<CmpaySignatureException>(() => _m.ParseNotification(body));
            Assert.Throws<CmpaySignatureException>(() => _m.Verify(MessageKind.Notify, body));
        }

        [TestCase("query-request", MessageKind.QueryRequest)]
        [TestCase("refund-request", MessageKind.RefundRequest)]
        public void QueryAndRefundRequests(string name, string kind)
        {
            var v = Vectors.Named(name);
            var p = v.O("params").Pairs();
            Assert.AreEqual(v.S("hmac"), _m.Hmac(kind, p));
            using (var s = _m.SignRequest(kind, p))
            {
                Assert.AreEqual(v.S("hmac"), s.Hmac);
                Assert.AreEqual(v.S("source"), s.Source);
                StringAssert.EndsWith("hmac=" + v.S("hmac"), s.Body);
            }
        }

        [TestCase("query-response", MessageKind.QueryResponse)]
        [TestCase("refund-response", MessageKind.RefundResponse)]
        public void QueryAndRefundResponses(string name, string kind)
        {
            var v = Vectors.Named(name);
            _m.Verify(kind, v.S("body"));
            using (var r = _m.ParseResponse(kind, v.S("body")))
            {
                Assert.AreEqual("SUCCESS", r["status"]);
                Assert.AreEqual(v.S("hmac"), r["hmac"]);
                // Only order answers carry a payUrl.
                var e = Assert.Throws<CmpayInvalidInputException>(() => r.PayUrl());
                Assert.AreEqual(Status.InvalidArgument, e.Status);
                Assert.Throws<CmpayInvalidInputException>(() => r.RedirectUrl());
                Assert.Throws<CmpayInvalidInputException>(() => r.HtmlForm());
            }
            if (name == "query-response")
            {
                using (var r = _m.ParseResponse(kind, v.S("body")))
                    StringAssert.Contains("保留数据1", r.Fields()["reserved1"]);
            }
        }

        [Test]
        public void EveryVectorIsCovered()
        {
            var covered = new HashSet<string>
            {
                "md5_sign", "order_request", "order_request_rsa", "order_response", "notify",
                "query_request", "query_response", "refund_request", "refund_response",
            };
            foreach (JObject v in (List<object>)Vectors.All["vectors"])
                Assert.IsTrue(covered.Contains(v.S("kind")), "vector kind not tested: " + v.S("kind"));
        }
    }
}
