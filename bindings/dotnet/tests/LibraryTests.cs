using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using NUnit.Framework;

namespace Cmpay.Tests
{
    [TestFixture]
    public class LibraryTests
    {
        [Test]
        public void VersionAndLoadedPath()
        {
            StringAssert.IsMatch(@"^\d+\.\d+\.\d+", CmpayLibrary.Version);
            string env = Environment.GetEnvironmentVariable("CMPAY_LIB");
            if (!string.IsNullOrEmpty(env)) Assert.AreEqual(Path.GetFullPath(env), CmpayLibrary.LoadedPath);
            // Load with the path already bound is harmless; another path is refused.
            if (CmpayLibrary.LoadedPath != null)
            {
                CmpayLibrary.Load(CmpayLibrary.LoadedPath);
                Assert.Throws<InvalidOperationException>(() => CmpayLibrary.Load("/nonexistent/libcmpay.so"));
            }
        }

        [Test]
        public void LoadedPathInTheBinLayout()
        {
            // What build/Cmpay.targets gives: the library next to Cmpay.dll and
            // the application, no CMPAY_LIB; the runtime's own search finds it.
            string lib = CmpayLibrary.LoadedPath;
            Assert.IsNotNull(lib);
            string bin = Path.Combine(Path.GetTempPath(), "cmpay-bin-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(bin);
            try
            {
                File.Copy(typeof(CmpayLibrary).Assembly.Location, Path.Combine(bin, "Cmpay.dll"));
                File.Copy(lib, Path.Combine(bin, "libcmpay.so"));
                File.WriteAllText(Path.Combine(bin, "Probe.cs"),
                    "class Probe { static void Main() { System.Console.WriteLine(Cmpay.CmpayLibrary.Version + \" \" + Cmpay.CmpayLibrary.LoadedPath); } }");
                Assert.AreEqual("", Run(bin, "mcs", "-nologo -r:Cmpay.dll -out:Probe.exe Probe.cs").Item2);
                var r = Run(bin, "mono", "Probe.exe");
                Assert.AreEqual(0, r.Item1, r.Item2);
                Assert.AreEqual(CmpayLibrary.Version + " " + Path.Combine(bin, "libcmpay.so"), r.Item2.Trim());
            }
            finally
            {
                Directory.Delete(bin, true);
            }
        }

        private static Tuple<int, string> Run(string dir, string file, string args)
        {
            var psi = new ProcessStartInfo(file, args)
            {
                WorkingDirectory = dir,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.EnvironmentVariables.Remove("CMPAY_LIB");
            psi.EnvironmentVariables.Remove("LD_LIBRARY_PATH");
            using (var p = Process.Start(psi))
            {
                string err = p.StandardError.ReadToEnd();
                string output = p.StandardOutput.ReadToEnd() + err;
                p.WaitForExit();
                return Tuple.Create(p.ExitCode, output);
            }
        }

        [Test]
        public void StatusNamesMatchTheEnum()
        {
            foreach (Status s in Enum.GetValues(typeof(Status)))
            {
                string expected = "CMPAY_" + System.Text.RegularExpressions.Regex.Replace(s.ToString(), "(?<=[a-z0-9])([A-Z])", "_$1").ToUpperInvariant();
                Assert.AreEqual(expected, CmpayLibrary.StatusName(s));
            }
            Assert.AreEqual("CMPAY_UNKNOWN", CmpayLibrary.StatusName((Status)55));
        }

        [Test]
        public void ReturnCodes()
        {
            ReturnCode c = ReturnCode.Lookup("C01088");
            Assert.AreEqual("MCG01088", c.Canonical);
            Assert.AreEqual("退货金额域非法", c.Chinese);
            StringAssert.Contains("refund", c.English.ToLowerInvariant());
            Assert.AreEqual("RPM22201", ReturnCode.Lookup("RPM22201").Canonical);
            Assert.IsNull(ReturnCode.Lookup("NOPE0000"));
            Assert.Throws<ArgumentNullException>(() => ReturnCode.Lookup(null));
        }

        [Test]
        public void BankNames()
        {
            Assert.AreEqual("工商银行", Banks.Name("ICBC"));
            Assert.AreEqual("北京银行", Banks.Name("BOB"));
            Assert.IsNull(Banks.Name("NOBANK"));
        }

        [Test]
        public void YuanFromFen()
        {
            Assert.AreEqual("0.05", Money.Yuan(5));
            Assert.AreEqual("128.00", Money.Yuan(12800));
            Assert.AreEqual("184467440737095516.15", Money.Yuan(ulong.MaxValue));
        }

        [Test]
        public void DisposeTwiceAndUseAfterDispose()
        {
            var m = Merchant.Md5(Vectors.MerchantId, Vectors.Md5Key);
            var s = m.SignQuery(Vectors.Named("query-request").O("params").Pairs());
            m.Dispose();
            m.Dispose();
            Assert.Throws<ObjectDisposedException>(() => m.Hmac(MessageKind.QueryRequest, new Dictionary<string, string>()));
            // What was made from it lives on.
            Assert.AreEqual(Vectors.Named("query-request").S("hmac"), s.Hmac);
            s.Dispose();
            Assert.Throws<ObjectDisposedException>(() => { var x = s.Hmac; });
        }

        [Test]
        public void OneMerchantManyThreadsAndThreadLocalErrors()
        {
            var v = Vectors.Named("notify-OfflineNotify");
            var bad = Vectors.Named("notify-OfflineNotify-tampered-amount");
            var failures = new List<string>();
            using (var m = Merchant.Md5(Vectors.MerchantId, Vectors.Md5Key))
            {
                var threads = new List<Thread>();
                for (int t = 0; t < 8; t++)
                {
                    int id = t;
                    var th = new Thread(() =>
                    {
                        try
                        {
                            for (int i = 0; i < 200; i++)
                            {
                                if ((i + id) % 2 == 0)
                                {
                                    using (var n = m.ParseNotification(v.S("form_body"))) Assert.AreEqual(12800UL, n.Amount);
                                }
                                else
                                {
                                    var e = Assert.Throws<CmpaySignatureException>(() => m.ParseNotification(bad.S("form_body")));
                                    Assert.AreEqual(Status.SignatureMismatch, e.Status);
                                }
                            }
                        }
                        catch (Exception e) { lock (failures) failures.Add(e.ToString()); }
                    });
                    threads.Add(th);
                    th.Start();
                }
                foreach (var th in threads) th.Join();
            }
            Assert.IsEmpty(failures, string.Join("\n", failures));
        }
    }
}
