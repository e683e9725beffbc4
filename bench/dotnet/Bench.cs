// Per-operation cost through the binding next to the same computation done
// natively in .NET; the notification is bench/notification.json's. Usage (from
// bindings/dotnet, after ./build.sh, which compiles bench/dotnet into build/):
//   mono build/Bench.exe /path/to/libcmpay.so /path/to/repo [iterations]
// The first argument is the explicit library path (CmpayLibrary.Load).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using Cmpay;
using Cmpay.Bench;

static class Bench
{
    static void Main(string[] args)
    {
        CmpayLibrary.Load(args[0]);
        string repo = args[1];
        int n = args.Length > 2 ? int.Parse(args[2]) : 20000;
        Fixture fixture = Fixture.Load(Path.Combine(repo, "bench/notification.json"));
        string merchantId = fixture.MerchantId;
        string key = fixture.Md5Key;
        string notifyBody = fixture.Body;
        string notifySource = fixture.Source;
        string notifyHmac = notifyBody.Substring(notifyBody.LastIndexOf("&hmac=", StringComparison.Ordinal) + 6);
        var order = new List<KeyValuePair<string, string>>();
        Action<string, string> add = (k, v) => order.Add(new KeyValuePair<string, string>(k, v));
        add("characterSet", "02"); add("callbackUrl", "https://shop.example.com/cmpay/return");
        add("notifyUrl", "https://shop.example.com/cmpay/notify"); add("ipAddress", "203.0.113.7");
        add("requestId", "REQ20261125000001"); add("amount", "12800"); add("orderDate", "20261125");
        add("orderId", "ORD20261125000001"); add("merAcDate", "20261125"); add("period", "30");
        add("periodUnit", "00"); add("merchantAbbr", "和包商城"); add("productName", "测试商品 描述");
        add("reserved1", "自定义1"); add("reserved2", "自定义2");

        Console.WriteLine("runtime: " + (Type.GetType("Mono.Runtime") != null ? "Mono " : ".NET ") + Environment.Version
            + ", libcmpay " + CmpayLibrary.Version + " (" + CmpayLibrary.LoadedPath + "), " + n + " iterations");
        using (var m = Merchant.Md5(merchantId, key))
        {
            string source;
            using (var s = m.SignOrder(order)) source = s.Source;
            byte[] keyBytes = Encoding.UTF8.GetBytes(key);
            var inner = new HMACMD5(new byte[0]);
            var outer = new HMACMD5(keyBytes);
            Func<string, string> md5Sign = src =>
                Hex(outer.ComputeHash(Encoding.ASCII.GetBytes(Hex(inner.ComputeHash(Encoding.UTF8.GetBytes(src))))));

            Run("MD5 order sign, binding (SignOrder + Body + Dispose)", n, () => { using (var s = m.SignOrder(order)) { var b = s.Body; } });
            Run("MD5 order hmac, binding (Merchant.Hmac)", n, () => m.Hmac(MessageKind.OrderRequest, order));
            Run("MD5 order hmac, native HMACMD5 twice over the source", n, () => md5Sign(source));
            byte[] body = Encoding.ASCII.GetBytes(notifyBody);
            Run("MD5 notify verify, binding (ParseNotification + Dispose)", n, () => { using (m.ParseNotification(body)) { } });
            Run("MD5 notify verify, native HMACMD5 twice + compare", n, () =>
            {
                if (md5Sign(notifySource) != notifyHmac) throw new Exception("mismatch");
            });
        }
        int rn = Math.Max(200, n / 20);
        using (var m = Merchant.Rsa(merchantId, File.ReadAllBytes(Path.Combine(repo, "tests/data/test-keys/merchant_private_pkcs8.pem")),
                   File.ReadAllBytes(Path.Combine(repo, "tests/data/test-keys/platform_public.pem"))))
        {
            string source;
            using (var s = m.SignOrder(order)) source = s.Source;
            Run("RSA-2048 order sign, binding (SignOrder + Body + Dispose)", rn, () => { using (var s = m.SignOrder(order)) { var b = s.Body; } });
            // A fresh 2048-bit key: the cost does not depend on which key.
            var rsa = new RSACryptoServiceProvider(2048);
            byte[] src = Encoding.UTF8.GetBytes(source);
            Run("RSA-2048 sign, native RSACryptoServiceProvider.SignData(SHA1)", rn, () => Hex(rsa.SignData(src, new SHA1CryptoServiceProvider())));
        }
    }

    static void Run(string name, int n, Action a)
    {
        for (int i = 0; i < Math.Min(n / 10 + 1, 2000); i++) a(); // warm-up (JIT)
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) a();
        sw.Stop();
        double us = sw.Elapsed.TotalMilliseconds * 1000.0 / n;
        Console.WriteLine(string.Format("{0,-66} {1,10:F2} us/op {2,10:F0} op/s", name, us, 1e6 / us));
    }

    static string Hex(byte[] b)
    {
        var sb = new StringBuilder(b.Length * 2);
        foreach (byte x in b) sb.Append(x.ToString("x2"));
        return sb.ToString();
    }
}
