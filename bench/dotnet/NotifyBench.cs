// Throughput benchmark (BENCHMARKS.md, bench/servers/bench_servers.py): the
// notify endpoint as ASP.NET handlers, served from the example's site beside
// Notify.ashx (NotifyLib.ashx, NotifyAck.ashx, NotifyNative.ashx). Settings: web.config's
// CmpayMerchantId and CmpaySignKey. Do not deploy either: the example's
// Notify.ashx is the endpoint to deploy.
using System;
using System.Collections.Generic;
using System.Configuration;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Web;
using Cmpay.Examples;

namespace Cmpay.Bench
{
    /// <summary>
    /// The example's handler, unchanged (parse + verify through libcmpay, ruling out the other
    /// readings' orders, the order check, the record, "SUCCESS"), with a shop store that does
    /// nothing: the benchmark's orders (BENCH and 8 digits) are known at 128.00 yuan, every other
    /// id is none of the shop's (so the bodies' mobile readings are ruled out and the gateway is
    /// never asked), and every payment "recorded".
    /// </summary>
    public sealed class NotifyLibHandler : NotifyHandler
    {
        private static readonly Lazy<Merchant> Configured = new Lazy<Merchant>(() =>
            Merchant.Md5(ConfigurationManager.AppSettings["CmpayMerchantId"], ConfigurationManager.AppSettings["CmpaySignKey"]));

        // No gateway: a body the store cannot disambiguate fails (a transport error, 503), and
        // the benchmark's check sees it.
        private static readonly Lazy<Client> NoGateway = new Lazy<Client>(() =>
        {
            using (var c = new ClientConfig().Endpoint("http://127.0.0.1:9/ips/cmpayService").AllowHttp(true))
                return new Client(Configured.Value, c);
        });

        /// <summary>The once-only store as a no-op.</summary>
        public sealed class NoStore : IShopOrders
        {
            public ulong? AmountFen(string orderId)
            {
                return orderId.Length == 13 && orderId.StartsWith("BENCH", StringComparison.Ordinal) ? 12800 : (ulong?)null;
            }

            public bool RecordOnce(string payNo, string orderId, ulong amountFen, bool paid, string via) { return true; }
        }

        public NotifyLibHandler()
            : base(Configured.Value, ConfigurationManager.AppSettings["CmpayMerchantId"], new NoStore(), NoGateway.Value)
        {
        }
    }

    /// <summary>
    /// The same work as the native handler, through libcmpay: parse + verify, then the answer
    /// (Ack), as the PHP and Python benchmark endpoints do; no order check and no record, which
    /// the example's path (NotifyLibHandler) adds.
    /// </summary>
    public sealed class NotifyAckHandler : IHttpHandler
    {
        private static readonly Lazy<Merchant> Configured = new Lazy<Merchant>(() =>
            Merchant.Md5(ConfigurationManager.AppSettings["CmpayMerchantId"], ConfigurationManager.AppSettings["CmpaySignKey"]));

        public bool IsReusable
        {
            get { return true; }
        }

        public void ProcessRequest(HttpContext context)
        {
            int status = 200;
            string answer;
            try
            {
                using (Notification n = Configured.Value.ParseNotification(NotifyNativeHandler.ReadAll(context.Request.InputStream, 65537)))
                    answer = n.Ack();
            }
            catch (CmpayException)
            {
                status = 400;
                answer = "FAIL";
            }
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain";
            context.Response.Write(answer);
        }
    }

    /// <summary>
    /// The baseline: the endpoint written as the gateway's 2011 .NET kit does it, natively:
    /// split on &amp; and =, HttpUtility.UrlDecode, the 19 OfflineNotify fields joined in order,
    /// double HMAC-MD5 with System.Security.Cryptography.HMACMD5 (one per request, as the kit's
    /// sign helper does), and a constant-time compare where the kit used ==. No field checks,
    /// no charset handling. The signed names in the signing order come from the environment
    /// variable CMPAY_NOTIFY_FIELDS, comma-separated (bench/notification.json's, which
    /// bench/servers/bench_servers.py and NotifyCost.cs set).
    /// </summary>
    public sealed class NotifyNativeHandler : IHttpHandler
    {
        private static readonly string[] Fields = (Environment.GetEnvironmentVariable("CMPAY_NOTIFY_FIELDS") ?? "").Split(',');

        public bool IsReusable
        {
            get { return true; }
        }

        public void ProcessRequest(HttpContext context)
        {
            bool ok = Verify(ReadAll(context.Request.InputStream, 65537), ConfigurationManager.AppSettings["CmpaySignKey"]);
            context.Response.StatusCode = ok ? 200 : 400;
            context.Response.ContentType = "text/plain";
            context.Response.Write(ok ? "SUCCESS" : "FAIL");
        }

        /// <summary>The kit's check of a body (public for NotifyCost.cs, which times it outside the server).</summary>
        public static bool Verify(byte[] raw, string signKey)
        {
            string body = Encoding.UTF8.GetString(raw);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in body.Split('&'))
            {
                int eq = pair.IndexOf('=');
                fields[eq < 0 ? pair : pair.Substring(0, eq)] = eq < 0 ? "" : HttpUtility.UrlDecode(pair.Substring(eq + 1), Encoding.UTF8);
            }
            var source = new StringBuilder(256);
            foreach (string name in Fields)
            {
                string v;
                if (fields.TryGetValue(name, out v)) source.Append(v);
            }
            string inner = HmacMd5(new byte[0], Encoding.UTF8.GetBytes(source.ToString()));
            string mac = HmacMd5(Encoding.UTF8.GetBytes(signKey), Encoding.ASCII.GetBytes(inner));
            string sent;
            return fields.TryGetValue("hmac", out sent) && FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.UTF8.GetBytes(sent));
        }

        private static string HmacMd5(byte[] key, byte[] data)
        {
            using (var h = new HMACMD5(key))
            {
                byte[] d = h.ComputeHash(data);
                var hex = new StringBuilder(32);
                foreach (byte b in d) hex.Append(b.ToString("x2"));
                return hex.ToString();
            }
        }

        /// <summary>Equal bytes, in a time that depends on the lengths only.</summary>
        private static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            int diff = 0;
            for (int i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }

        internal static byte[] ReadAll(Stream s, int limit)
        {
            var ms = new MemoryStream();
            var buf = new byte[8192];
            int n;
            while (ms.Length < limit && (n = s.Read(buf, 0, buf.Length)) > 0) ms.Write(buf, 0, n);
            return ms.ToArray();
        }
    }
}
