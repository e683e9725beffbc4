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
        /// A new client set up as the simulator's MD5 test merchant (merchantId 888009941120001), its
        /// endpoint and (over HTTPS) its CA: orders it creates are the simulator's to pay. Dispose it;
        /// it holds nothing of the simulator's (once that is disposed, its calls fail with a network error).
        /// </summary>
        public Client Client()
        {
            Live();
            ClientHandle h;
            Errors.Check(Native.cmpay_sandbox_client(_h, out h));
            return Cmpay.Client.Of(h);
        }

        /// <summary>The simulator's MD5 test merchant as a new object (to verify its notifications, or build a client); dispose it.</summary>
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

        /// <summary>
        /// A notifyUrl the simulator serves itself, answering every OfflineNotify SUCCESS: for an
        /// order whose test has no notify endpoint of its own.
        /// </summary>
        public string NotifyUrl
        {
            get { Live(); return Text((byte[] b, UIntPtr n, out UIntPtr needed) => Native.cmpay_sandbox_notify_url_into(_h, b, n, out needed)); }
        }

        /// <summary>The PEM of the CA that signed the simulator's certificate; "" over plain HTTP.</summary>
        public string CaPem
        {
            get { Live(); return Text((byte[] b, UIntPtr n, out UIntPtr needed) => Native.cmpay_sandbox_ca_pem_into(_h, b, n, out needed)); }
        }

        /// <summary>
        /// The shopper pays order <paramref name="orderId"/> (created through this simulator) as at the
        /// cashier: it becomes paid (the query answers SUCCESS) and its OfflineNotify is sent to the
        /// order's notifyUrl, then resent on the gateway's schedule until answered exactly SUCCESS.
        /// CmpayNotFoundException for an unknown order ("unknown-order"); CmpayInvalidInputException
        /// for one already paid, failed or expired (the message starts with its code: "already-paid", ...).
        /// </summary>
        public void Pay(string orderId)
        {
            Live();
            Errors.Check(Native.cmpay_sandbox_pay(_h, Utf8.Z(orderId, "orderId")));
        }

        /// <summary>The payment of order <paramref name="orderId"/> is refused, as <see cref="Pay"/>: it becomes FAILED, and its OfflineNotify says so.</summary>
        public void Fail(string orderId)
        {
            Live();
            Errors.Check(Native.cmpay_sandbox_fail(_h, Utf8.Z(orderId, "orderId")));
        }

        /// <summary>
        /// Order <paramref name="orderId"/>, unpaid, expires as time would make it: paying it is
        /// refused and the query answers RPM99981 (a CmpayGatewayException); nothing is notified.
        /// Errors as <see cref="Pay"/>.
        /// </summary>
        public void Expire(string orderId)
        {
            Live();
            Errors.Check(Native.cmpay_sandbox_expire(_h, Utf8.Z(orderId, "orderId")));
        }

        /// <summary>
        /// Waits until an OfflineNotify for <paramref name="orderId"/> was answered exactly SUCCESS by
        /// the order's notifyUrl, at most <paramref name="timeout"/> (0 to 2^32-1 ms).
        /// CmpayNetworkTimeoutException if it was not, saying why ("not acknowledged: " and the last
        /// answer, or that nothing was sent); CmpayNotFoundException for an unknown order.
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
        /// Every OfflineNotify sent so far, oldest first, as the JSON array GET /sandbox/deliveries
        /// answers: per attempt merchantId, orderId, payNo, attempt, url, httpStatus, answer, acked,
        /// notAcked (why not), body (what was POSTed), ...
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
