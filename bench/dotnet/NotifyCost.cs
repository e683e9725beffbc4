// Where a notify request's time goes in .NET (Mono), outside the server: the
// example handler's path through the binding (NotifyHandler.ProcessRequest's
// steps, with the benchmark's no-op store), its steps one by one, and the 2011
// kit's native check (NotifyNativeHandler.Verify), over the benchmark's signed
// bodies. The operations take turns for several rounds; the medians are
// printed, of the wall clock and of the process's CPU time. Usage (from
// bindings/dotnet, after ./build.sh):
//   mono build/NotifyCost.exe LIBCMPAY BODIES_FILE FIXTURE [iterations]
// BODIES_FILE: one OfflineNotify body a line (bench/servers/bench_servers.py bodies()).
// FIXTURE: bench/notification.json (the merchant, the key the bodies are signed
// with, and the signing order the native check joins the fields in).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using Cmpay;
using Cmpay.Bench;

static class NotifyCost
{
    static void Main(string[] args)
    {
        CmpayLibrary.Load(args[0]);
        var bodies = new List<byte[]>();
        foreach (string line in File.ReadAllLines(args[1]))
            if (line.Length > 0) bodies.Add(Encoding.ASCII.GetBytes(line));
        Fixture fixture = Fixture.Load(args[2]);
        Environment.SetEnvironmentVariable("CMPAY_NOTIFY_FIELDS", fixture.Names); // before NotifyNativeHandler is first used
        string merchantId = fixture.MerchantId, key = fixture.Md5Key;
        int n = args.Length > 3 ? int.Parse(args[3]) : 100000;
        Console.WriteLine("runtime: Mono " + Environment.Version + ", libcmpay " + CmpayLibrary.Version + " (" + CmpayLibrary.LoadedPath
            + "), " + n + " iterations a round, " + bodies.Count + " bodies");
        var store = new NotifyLibHandler.NoStore();
        using (var m = Merchant.Md5(merchantId, key))
        using (var open = m.ParseNotification(bodies[0]))
        {
            foreach (string other in open.OtherOrderIds) open.RuleOut(other); // none is the benchmark's order
            string[] names =
            {
                "one crossing: CmpayLibrary.Version",
                "ParseNotification + Dispose",
                "ParseNotification + Ack + Dispose (as the PHP and Python benchmark endpoints)",
                "example path: parse, rule out (OtherOrderIds, RuleOut, IsAmbiguous), CheckOrder, reads, Ack",
                "  n.Field(\"orderId\") (a string out)",
                "  n.Amount (a number out)",
                "  n.IsPaid",
                "  n.CheckOrder(merchantId, orderId, amount) (2 strings in)",
                "  n.Ack()",
                "native: the kit's split, UrlDecode, join, HMACMD5 twice, compare",
            };
            var ops = new Action<byte[]>[]
            {
                b => { var v = CmpayLibrary.Version; },
                b => { using (m.ParseNotification(b)) { } },
                b => { using (var x = m.ParseNotification(b)) { if (x.Ack() != "SUCCESS") throw new Exception(); } },
                b =>
                {
                    using (var x = m.ParseNotification(b)) // as NotifyHandler.ProcessRequest
                    {
                        string orderId = x.OrderId;
                        ulong? amount = store.AmountFen(orderId);
                        foreach (string other in x.OtherOrderIds)
                            if (store.AmountFen(other) == null) x.RuleOut(other);
                        if (x.IsAmbiguous) throw new Exception("the benchmark's bodies need no gateway");
                        x.CheckOrder(merchantId, orderId, amount.Value);
                        store.RecordOnce(x.PayNo, orderId, x.Amount, x.IsPaid, x.Type);
                        if (x.Ack() != "SUCCESS") throw new Exception();
                    }
                },
                b => open.Field("orderId"),
                b => { var v = open.Amount; },
                b => { var v = open.IsPaid; },
                b => open.CheckOrder(merchantId, "BENCH00000000", 12800),
                b => open.Ack(),
                b => { if (!NotifyNativeHandler.Verify(b, key)) throw new Exception(); },
            };
            const int rounds = 5;
            var wall = new double[ops.Length, rounds];
            var cpu = new double[ops.Length, rounds];
            var me = Process.GetCurrentProcess();
            for (int r = 0; r < rounds + 1; r++) // round 0 warms up (JIT)
            {
                for (int i = 0; i < ops.Length; i++)
                {
                    me.Refresh();
                    TimeSpan c0 = me.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    for (int k = 0; k < n; k++) ops[i](bodies[k % bodies.Count]);
                    sw.Stop();
                    me.Refresh();
                    if (r > 0)
                    {
                        wall[i, r - 1] = sw.Elapsed.TotalMilliseconds * 1000.0 / n;
                        cpu[i, r - 1] = (me.TotalProcessorTime - c0).TotalMilliseconds * 1000.0 / n;
                    }
                }
            }
            Console.WriteLine(string.Format("{0,-95} {1,10} {2,10}", "per operation", "wall", "CPU"));
            for (int i = 0; i < ops.Length; i++)
                Console.WriteLine(string.Format("{0,-95} {1,7:F2} us {2,7:F2} us", names[i], Median(wall, i), Median(cpu, i)));
        }
    }

    static double Median(double[,] a, int i)
    {
        var v = new double[a.GetLength(1)];
        for (int r = 0; r < v.Length; r++) v[r] = a[i, r];
        Array.Sort(v);
        return v[v.Length / 2];
    }
}
