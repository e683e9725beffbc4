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

        [TestCase(true, false, 8, 0, "win-x64")]
        [TestCase(true, false, 4, 0, "win-x86")]      // a 32-bit application pool / Prefer32Bit on 64-bit Windows
        [TestCase(false, false, 8, 62, "linux-x64")]  // EM_X86_64
        [TestCase(false, false, 8, 183, "linux-arm64")] // EM_AARCH64
        [TestCase(false, false, 4, 3, null)]          // 32-bit Linux: not packaged
        [TestCase(false, false, 8, 0, null)]          // machine unknown
        [TestCase(false, true, 8, 0, null)]           // macOS: not packaged (never linux-x64)
        public void RuntimeIdPerPlatform(bool windows, bool mac, int pointerSize, int elfMachine, string expected)
        {
            Assert.AreEqual(expected, CmpayLibrary.RuntimeIdFor(windows, mac, pointerSize, elfMachine));
        }

        [Test]
        public void FileNamePerPlatform()
        {
            Assert.AreEqual("cmpay.dll", CmpayLibrary.FileNameFor(true, false));
            Assert.AreEqual("libcmpay.so", CmpayLibrary.FileNameFor(false, false));
            Assert.AreEqual("libcmpay.dylib", CmpayLibrary.FileNameFor(false, true));
        }

        [Test]
        public void EveryImportOfTheLibraryIsCdecl()
        {
            // 32-bit Windows defaults a DllImport to stdcall; the C ABI is cdecl:
            // one import without it corrupts the stack in a 32-bit application pool.
            int count = 0, callbacks = 0;
            var wrong = new List<string>();
            foreach (Type t in typeof(CmpayLibrary).Assembly.GetTypes())
            {
                foreach (var m in t.GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
                {
                    var imports = m.GetCustomAttributes(typeof(System.Runtime.InteropServices.DllImportAttribute), false);
                    if (imports.Length == 0) continue;
                    var import = (System.Runtime.InteropServices.DllImportAttribute)imports[0];
                    if (import.Value != "cmpay") continue;
                    count++;
                    if (import.CallingConvention != System.Runtime.InteropServices.CallingConvention.Cdecl) wrong.Add(m.Name + ": " + import.CallingConvention);
                    // A callback the library calls back (cmpay_log_callback) is cdecl too.
                    foreach (var p in m.GetParameters())
                    {
                        if (!typeof(Delegate).IsAssignableFrom(p.ParameterType)) continue;
                        callbacks++;
                        var fp = p.ParameterType.GetCustomAttributes(typeof(System.Runtime.InteropServices.UnmanagedFunctionPointerAttribute), false);
                        if (fp.Length == 0 || ((System.Runtime.InteropServices.UnmanagedFunctionPointerAttribute)fp[0]).CallingConvention != System.Runtime.InteropServices.CallingConvention.Cdecl)
                            wrong.Add(m.Name + "'s callback " + p.ParameterType.FullName + " is not [UnmanagedFunctionPointer(Cdecl)]");
                    }
                }
            }
            Assert.Greater(callbacks, 0, "the log callback's import was found");
            Assert.IsEmpty(wrong, string.Join("\n", wrong));
            // Every function of the header is imported (tests elsewhere compare the names).
            Assert.GreaterOrEqual(count, 60, "DllImport(\"cmpay\") methods found by reflection");
        }

        [Test]
        public void AssemblyIsTheReleaseBuild()
        {
            var asm = typeof(CmpayLibrary).Assembly;
            var name = asm.GetName();
            // The assembly version is the library's (Cargo.toml's) with a 4th part 0: 0.2.0 -> 0.2.0.0.
            Assert.AreEqual(new Version(CmpayLibrary.Version + ".0"), name.Version);
            byte[] token = name.GetPublicKeyToken();
            Assert.IsNotNull(token);
            Assert.AreEqual(8, token.Length, "Cmpay.dll is strong-named");
            var debuggable = (System.Diagnostics.DebuggableAttribute)Attribute.GetCustomAttribute(asm, typeof(System.Diagnostics.DebuggableAttribute));
            Assert.IsTrue(debuggable == null || !debuggable.IsJITOptimizerDisabled, "Cmpay.dll is optimised");
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
