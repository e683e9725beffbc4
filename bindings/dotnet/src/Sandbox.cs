using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cmpay.Testing
{
    /// <summary>
    /// The gateway simulator inside the test's own process, started through libcmpay (no separate
    /// binary, no Rust toolchain): a loopback server answering as the gateway does, whose test
    /// merchant <see cref="Client"/> is set up as. A test creates an order with that client (its
    /// notifyUrl at the shop's notify endpoint), then <see cref="Pay"/>s, <see cref="Fail"/>s or
    /// <see cref="Expire"/>s it, and <see cref="WaitNotified"/> waits until the shop acknowledged the
    /// OfflineNotify. Thread-safe; <see cref="NativeObject.Dispose"/> stops it. For NUnit, the package's
    /// testing/SandboxFixture.cs is a fixture base class that starts one per fixture (README.md,
    /// "Testing your shop").
    /// </summary>
    public sealed class Sandbox : NativeObject
    {
        /// <summary>cmpay_sandbox_start's flag CMPAY_SANDBOX_HTTPS.</summary>
        private const uint HttpsFlag = 1;

        private readonly SandboxHandle _h;
        internal override SafeHandle Handle { get { return _h; } }

        private Sandbox(SandboxHandle h) { _h = h; }

        /// <summary>
        /// Starts a simulator on a free loopback port: over HTTPS with a certificate of a CA generated
        /// for it (<see cref="CaPem"/>; <see cref="Client"/> trusts it), else plain HTTP.
        /// </summary>
        public static Sandbox Start(bool https = false)
        {
            CmpayLibrary.EnsureLoaded();
            return StartCore(https);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Sandbox StartCore(bool https)
        {
            SandboxHandle h;
            Errors.Check(Native.cmpay_sandbox_start(https ? HttpsFlag : 0, out h));
            return new Sandbox(h);
        }

        /// <summary>
        /// A new client set up as the simulator's test merchant, its endpoint and (over HTTPS) its CA:
        /// orders it creates are the simulator's to pay. Dispose it (the simulator stays).
        /// </summary>
        public Client Client()
        {
            Live();
            ClientHandle h;
            Errors.Check(Native.cmpay_sandbox_client(_h, out h));
            return new Client(h);
        }

        /// <summary>The simulator's test merchant as a new object (to verify its notifications); dispose it.</summary>
        public Merchant Merchant()
        {
            Live();
            MerchantHandle h;
            Errors.Check(Native.cmpay_sandbox_merchant(_h, out h));
            return new Merchant(h);
        }

        /// <summary>The gateway URL to configure a client with (<see cref="ClientConfig.Endpoint"/>).</summary>
        public string Endpoint
        {
            get { Live(); return Text((byte[] b, UIntPtr n, out UIntPtr needed) => Native.cmpay_sandbox_endpoint_into(_h, b, n, out needed)); }
        }

        /// <summary>The PEM of the CA that signed the simulator's certificate; "" over plain HTTP.</summary>
        public string CaPem
        {
            get { Live(); return Text((byte[] b, UIntPtr n, out UIntPtr needed) => Native.cmpay_sandbox_ca_pem_into(_h, b, n, out needed)); }
        }

        /// <summary>
        /// The shopper pays order <paramref name="orderId"/> (created through this simulator): the
        /// simulator records it paid and sends the OfflineNotify to the order's notifyUrl. A
        /// CmpayException when it knows no such order.
        /// </summary>
        public void Pay(string orderId)
        {
            Live();
            Errors.Check(Native.cmpay_sandbox_pay(_h, Utf8.Z(orderId, "orderId")));
        }

        /// <summary>The payment of order <paramref name="orderId"/> fails, as <see cref="Pay"/>; a failure is notified too.</summary>
        public void Fail(string orderId)
        {
            Live();
            Errors.Check(Native.cmpay_sandbox_fail(_h, Utf8.Z(orderId, "orderId")));
        }

        /// <summary>Order <paramref name="orderId"/> expires unpaid, as <see cref="Pay"/>.</summary>
        public void Expire(string orderId)
        {
            Live();
            Errors.Check(Native.cmpay_sandbox_expire(_h, Utf8.Z(orderId, "orderId")));
        }

        /// <summary>
        /// Waits until an OfflineNotify for <paramref name="orderId"/> was delivered and acknowledged
        /// by the shop's notify endpoint, at most <paramref name="timeout"/> (0 to 2^32-1 ms); throws
        /// a CmpayException (a timeout names the order) if it was not.
        /// </summary>
        public void WaitNotified(string orderId, TimeSpan timeout)
        {
            Live();
            byte[] o = Utf8.Z(orderId, "orderId");
            if (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > uint.MaxValue)
                throw Errors.Input(Status.InvalidArgument, "timeout " + timeout + " is not between 0 and " + uint.MaxValue + " ms");
            Errors.Check(Native.cmpay_sandbox_wait_notified(_h, o, (uint)timeout.TotalMilliseconds));
        }

        /// <summary>
        /// Every notification the simulator sent, as the JSON array its GET /sandbox/deliveries
        /// answers (one object per delivery attempt: the order, the URL, whether it was acknowledged).
        /// </summary>
        public string DeliveriesJson()
        {
            Live();
            return Text((byte[] b, UIntPtr n, out UIntPtr needed) => Native.cmpay_sandbox_deliveries_into(_h, b, n, out needed));
        }

        /// <summary>The text a cmpay_sandbox_*_into writes: one crossing, or two when the first buffer is too small.</summary>
        private static string Text(Pairs.Into into)
        {
            byte[] buf = new byte[1024];
            for (int attempt = 0; ; attempt++)
            {
                UIntPtr needed;
                int st = into(buf, (UIntPtr)buf.Length, out needed);
                ulong want = needed.ToUInt64();
                if (st == (int)Status.BufferTooSmall && attempt == 0 && want > (ulong)buf.Length && want <= int.MaxValue)
                {
                    buf = new byte[(int)want];
                    continue;
                }
                Errors.Check(st);
                int n = (int)Math.Min(want, (ulong)buf.Length);
                if (n > 0 && buf[n - 1] == 0) n--; // the terminating NUL, when counted
                return Utf8.Text(buf, n);
            }
        }
    }
}
