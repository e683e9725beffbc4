using System;
using Cmpay.Examples;
using Cmpay.Tests;
using NUnit.Framework;

namespace Cmpay.Testing.Tests
{
    /// <summary>
    /// A shop's fixture as the README shows it: SandboxFixture (testing/SandboxFixture.cs, compiled
    /// here with CMPAY_NUNIT2 for Debian's NUnit 2.6.3) starts the in-process simulator; the shop's
    /// notify handler (the example NotifyHandler on HttpListener) records the OfflineNotify; the
    /// query answer says paid.
    /// </summary>
    [TestFixture]
    public class SandboxFixtureTests : SandboxFixture
    {
        private Merchant _merchant;
        private MemoryShopOrders _shop;
        private HttpListenerHost _notify;
        private Cmpay.Testing.Sandbox _first;

        [TestFixtureSetUp]
        public void StartShop()
        {
            Assert.IsNotNull(Sandbox, "the base class's set-up ran first");
            _first = Sandbox;
            _merchant = Sandbox.Merchant();
            _shop = new MemoryShopOrders();
            _notify = new HttpListenerHost(new NotifyHandler(_merchant, Vectors.MerchantId, _shop, Client), "/cmpay/notify/");
        }

        [TestFixtureTearDown]
        public void StopShop()
        {
            if (_notify != null) _notify.Dispose();
            if (_merchant != null) _merchant.Dispose();
            Assert.IsNotNull(Sandbox, "the base class's tear-down runs last");
        }

        private string NewOrder(ulong amount)
        {
            string orderId = Orders.NewId("NF");
            _shop.Orders[orderId] = amount; // the shop records its order first
            using (Response order = Client.CreateOrder(Orders.Params(orderId, amount, _notify.Prefix, _notify.Prefix)))
                Assert.IsNotEmpty(order.PayUrl().SessionId);
            return orderId;
        }

        [Test]
        public void PaysAnOrderAndTheQuerySaysPaid()
        {
            Assert.AreSame(_first, Sandbox, "one simulator for the fixture");
            string orderId = NewOrder(12800);
            using (Response q = Client.QueryOrder(orderId)) Assert.AreEqual(OrderStatus.Pending, q.OrderStatus);

            Sandbox.Pay(orderId);
            Sandbox.WaitNotified(orderId, TimeSpan.FromSeconds(20));

            string payNo;
            Assert.IsTrue(_shop.PaidBy.TryGetValue(orderId, out payNo), "the shop's handler recorded the payment");
            using (Response q = Client.QueryOrder(orderId))
            {
                Assert.AreEqual(OrderStatus.Paid, q.OrderStatus);
                Assert.AreEqual(12800UL, q.Amount);
                Assert.AreEqual(payNo, q.PayNo, "the query answer's payNo is the notified one");
            }
            string deliveries = Sandbox.DeliveriesJson();
            StringAssert.StartsWith("[", deliveries);
            StringAssert.Contains(orderId, deliveries);
            StringAssert.Contains(_notify.Prefix, deliveries);
        }

        [Test]
        public void AFailedPaymentIsQueriedAsFailed()
        {
            string orderId = NewOrder(500);
            Sandbox.Fail(orderId);
            Sandbox.WaitNotified(orderId, TimeSpan.FromSeconds(20));
            Assert.IsFalse(_shop.PaidBy.ContainsKey(orderId));
            using (Response q = Client.QueryOrder(orderId)) Assert.AreEqual(OrderStatus.Failed, q.OrderStatus);
        }

        [Test]
        public void AnExpiredOrderCannotBePaid()
        {
            string orderId = NewOrder(700);
            Sandbox.Expire(orderId);
            var expired = Assert.Throws<CmpayGatewayException>(() => Client.QueryOrder(orderId));
            Assert.AreEqual("RPM99981", expired.ReturnCode);
            var refused = Assert.Throws<CmpayInvalidInputException>(() => Sandbox.Pay(orderId));
            StringAssert.Contains("expired", refused.Message);
            Assert.Throws<CmpayNetworkTimeoutException>(() => Sandbox.WaitNotified(orderId, TimeSpan.Zero));
            Assert.IsFalse(_shop.PaidBy.ContainsKey(orderId));
        }

        [Test]
        public void AnOrderNotifiedToTheSimulatorsOwnNotifyUrl()
        {
            string orderId = Orders.NewId("NS");
            using (Response order = Client.CreateOrder(Orders.Params(orderId, 900, Sandbox.NotifyUrl, Sandbox.NotifyUrl))) { }
            Sandbox.Pay(orderId);
            Sandbox.WaitNotified(orderId, TimeSpan.FromSeconds(20));
            StringAssert.Contains(orderId, Sandbox.DeliveriesJson());
            Assert.IsFalse(_shop.PaidBy.ContainsKey(orderId), "not the shop's handler");
        }

        [Test]
        public void BadInputIsRefusedWithAStatus()
        {
            var unknown = Assert.Throws<CmpayNotFoundException>(() => Sandbox.Pay("no-such-order"));
            StringAssert.Contains("unknown-order", unknown.Message);
            Assert.Throws<CmpayNotFoundException>(() => Sandbox.WaitNotified("no-such-order", TimeSpan.FromMilliseconds(10)));
            Assert.Throws<CmpayInvalidInputException>(() => Sandbox.Pay("a\0b"));
            Assert.Throws<ArgumentNullException>(() => Sandbox.Pay(null));
            Assert.Throws<CmpayInvalidInputException>(() => Sandbox.WaitNotified("x", TimeSpan.FromMilliseconds(-1)));
            Assert.Throws<CmpayInvalidInputException>(() => Sandbox.WaitNotified("x", TimeSpan.FromDays(60)));
            string orderId = NewOrder(100);
            // Never paid: nothing is delivered, and the wait ends with a timeout, not a hang.
            var started = DateTime.UtcNow;
            var notNotified = Assert.Throws<CmpayNetworkTimeoutException>(() => Sandbox.WaitNotified(orderId, TimeSpan.FromMilliseconds(300)));
            StringAssert.Contains("not acknowledged", notNotified.Message);
            Assert.Less((DateTime.UtcNow - started).TotalSeconds, 10, "the wait ended near its timeout");
            Sandbox.Pay(orderId);
            var twice = Assert.Throws<CmpayInvalidInputException>(() => Sandbox.Pay(orderId));
            StringAssert.Contains("already-paid", twice.Message);
        }

        [Test]
        public void OverPlainHttpThereIsNoCa()
        {
            StringAssert.StartsWith("http://127.0.0.1:", Sandbox.Endpoint);
            Assert.AreEqual("", Sandbox.CaPem);
            StringAssert.StartsWith("http://127.0.0.1:", Sandbox.NotifyUrl);
        }
    }

    /// <summary>SandboxFixture over HTTPS: the client trusts the simulator's generated CA; a disposed simulator refuses use.</summary>
    [TestFixture]
    public class SandboxFixtureHttpsTests : SandboxFixture
    {
        protected override bool Https { get { return true; } }

        [Test]
        public void QueriesOverHttpsAndNotWithoutTheCa()
        {
            StringAssert.StartsWith("https://127.0.0.1:", Sandbox.Endpoint);
            StringAssert.StartsWith("-----BEGIN CERTIFICATE-----", Sandbox.CaPem);
            // The simulator's client trusts its CA: the gateway's own answer for an unknown order.
            Assert.Throws<CmpayGatewayException>(() => Client.QueryOrder("none-such"));
            using (Merchant m = Sandbox.Merchant())
            using (var config = new ClientConfig().Endpoint(Sandbox.Endpoint))
            using (var withoutCa = new Client(m, config))
                Assert.Throws<CmpayTlsException>(() => withoutCa.QueryOrder("none-such"));
        }

        [Test]
        public void ADisposedSandboxRefusesUse()
        {
            Cmpay.Testing.Sandbox s = Cmpay.Testing.Sandbox.Start();
            s.Dispose();
            s.Dispose();
            Assert.Throws<ObjectDisposedException>(() => s.Pay("x"));
            Assert.Throws<ObjectDisposedException>(() => { var e = s.Endpoint; });
        }
    }
}
