// Test support: paths, a small JSON reader for the shared vectors, the
// gateway simulator (`cmpay sandbox`) and plain HTTP without redirects.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using NUnit.Framework;

namespace Cmpay.Tests
{
    public static class Paths
    {
        /// <summary>The repository: CMPAY_REPO, else found upwards from the test assembly.</summary>
        public static string Repo
        {
            get
            {
                string env = Environment.GetEnvironmentVariable("CMPAY_REPO");
                if (!string.IsNullOrEmpty(env)) return env;
                var dir = new DirectoryInfo(Path.GetDirectoryName(typeof(Paths).Assembly.Location));
                for (; dir != null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "tests/data/cmpay-vectors.json"))) return dir.FullName;
                throw new InvalidOperationException("set CMPAY_REPO to the repository");
            }
        }

        public static string Data(string rel) { return Path.Combine(Repo, "tests/data", rel); }
        public static byte[] Key(string name) { return File.ReadAllBytes(Data("test-keys/" + name)); }

        public static string CmpayBinary
        {
            get
            {
                string env = Environment.GetEnvironmentVariable("CMPAY_BIN");
                return !string.IsNullOrEmpty(env) ? env : Path.Combine(Repo, "target/debug/cmpay");
            }
        }
    }

    /// <summary>Just enough JSON for tests/data/cmpay-vectors.json: objects, arrays, strings, numbers, booleans, null.</summary>
    public sealed class Json
    {
        private readonly string _s;
        private int _i;
        private Json(string s) { _s = s; }

        public static object Parse(string s)
        {
            var j = new Json(s);
            object v = j.Value();
            j.Ws();
            if (j._i != s.Length) throw new FormatException("trailing JSON at " + j._i);
            return v;
        }

        private void Ws() { while (_i < _s.Length && char.IsWhiteSpace(_s[_i])) _i++; }

        private object Value()
        {
            Ws();
            char c = _s[_i];
            if (c == '{')
            {
                var d = new Dictionary<string, object>();
                var order = new List<string>();
                _i++; Ws();
                if (_s[_i] == '}') { _i++; return new JObject(d, order); }
                while (true)
                {
                    Ws();
                    string k = Str();
                    Ws(); Expect(':');
                    d[k] = Value();
                    order.Add(k);
                    Ws();
                    if (_s[_i] == ',') { _i++; continue; }
                    Expect('}');
                    return new JObject(d, order);
                }
            }
            if (c == '[')
            {
                var l = new List<object>();
                _i++; Ws();
                if (_s[_i] == ']') { _i++; return l; }
                while (true)
                {
                    l.Add(Value());
                    Ws();
                    if (_s[_i] == ',') { _i++; continue; }
                    Expect(']');
                    return l;
                }
            }
            if (c == '"') return Str();
            if (_s.Substring(_i).StartsWith("true")) { _i += 4; return true; }
            if (_s.Substring(_i).StartsWith("false")) { _i += 5; return false; }
            if (_s.Substring(_i).StartsWith("null")) { _i += 4; return null; }
            int start = _i;
            while (_i < _s.Length && "+-0123456789.eE".IndexOf(_s[_i]) >= 0) _i++;
            return long.Parse(_s.Substring(start, _i - start), CultureInfo.InvariantCulture);
        }

        private void Expect(char c)
        {
            if (_s[_i] != c) throw new FormatException("expected " + c + " at " + _i);
            _i++;
        }

        private string Str()
        {
            Expect('"');
            var sb = new StringBuilder();
            while (true)
            {
                char c = _s[_i++];
                if (c == '"') return sb.ToString();
                if (c != '\\') { sb.Append(c); continue; }
                char e = _s[_i++];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u': sb.Append((char)Convert.ToInt32(_s.Substring(_i, 4), 16)); _i += 4; break;
                    default: sb.Append(e); break;
                }
            }
        }
    }

    /// <summary>A JSON object that remembers its key order.</summary>
    public sealed class JObject
    {
        public readonly Dictionary<string, object> Map;
        public readonly List<string> Keys;
        public JObject(Dictionary<string, object> m, List<string> k) { Map = m; Keys = k; }
        public object this[string k] { get { object v; return Map.TryGetValue(k, out v) ? v : null; } }
        public string S(string k) { return (string)this[k]; }
        public JObject O(string k) { return (JObject)this[k]; }
        public bool Has(string k) { return Map.ContainsKey(k); }

        /// <summary>The object's string members as ordered pairs (parameters for the binding).</summary>
        public List<KeyValuePair<string, string>> Pairs()
        {
            var l = new List<KeyValuePair<string, string>>();
            foreach (string k in Keys) l.Add(new KeyValuePair<string, string>(k, Convert.ToString(Map[k], CultureInfo.InvariantCulture)));
            return l;
        }
    }

    public static class Vectors
    {
        private static JObject _all;

        public static JObject All
        {
            get
            {
                if (_all == null) _all = (JObject)Json.Parse(File.ReadAllText(Paths.Data("cmpay-vectors.json"), Encoding.UTF8));
                return _all;
            }
        }

        public static string Md5Key { get { return All.S("md5_key"); } }
        public const string MerchantId = "888009941120001";

        public static JObject Named(string name)
        {
            foreach (JObject v in (List<object>)All["vectors"]) if (v.S("name") == name) return v;
            throw new ArgumentException("no vector " + name);
        }

        /// <summary>Names of the md5_sign vectors (a TestCaseSource).</summary>
        public static IEnumerable<string> Md5Sign { get { return OfKind("md5_sign"); } }

        public static IEnumerable<string> OfKind(string kind)
        {
            foreach (JObject v in (List<object>)All["vectors"]) if (v.S("kind") == kind) yield return v.S("name");
        }
    }

    /// <summary>One HTTP exchange: status, headers, body; redirects not followed, no proxy.</summary>
    public sealed class HttpResult
    {
        public int Status;
        public WebHeaderCollection Headers;
        public string Body;
    }

    public static class Http
    {
        public static HttpResult Send(string method, string url, string body = null, string contentType = "application/x-www-form-urlencoded")
        {
            var req = (HttpWebRequest)WebRequest.Create(url);
            req.Method = method;
            req.AllowAutoRedirect = false;
            req.Proxy = null;
            req.Timeout = 15000;
            req.KeepAlive = false;
            if (body != null)
            {
                byte[] b = Encoding.UTF8.GetBytes(body);
                req.ContentType = contentType;
                req.ContentLength = b.Length;
                using (Stream s = req.GetRequestStream()) s.Write(b, 0, b.Length);
            }
            HttpWebResponse resp;
            try { resp = (HttpWebResponse)req.GetResponse(); }
            catch (WebException e)
            {
                resp = e.Response as HttpWebResponse;
                if (resp == null) throw;
            }
            using (resp)
            using (var r = new StreamReader(resp.GetResponseStream(), Encoding.UTF8))
            {
                return new HttpResult { Status = (int)resp.StatusCode, Headers = resp.Headers, Body = r.ReadToEnd() };
            }
        }
    }

    /// <summary>`cmpay sandbox` on a free loopback port, its clock 60 times faster.</summary>
    public sealed class Sandbox : IDisposable
    {
        private Process _p;
        private readonly StringBuilder _out = new StringBuilder();
        public string Base;
        public string Endpoint { get { return Base + "/ips/cmpayService"; } }

        public Sandbox()
        {
            string bin = Paths.CmpayBinary;
            if (!File.Exists(bin)) Assert.Fail("no " + bin + ": build it with `cargo build` (or set CMPAY_BIN)");
            for (int attempt = 0; attempt < 5 && Base == null; attempt++)
            {
                int port = HttpListenerHost.FreePort();
                var psi = new ProcessStartInfo(bin, "sandbox --port " + port + " --time-factor 60")
                {
                    UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
                };
                _p = Process.Start(psi);
                var ready = new ManualResetEvent(false);
                _p.OutputDataReceived += (s, e) =>
                {
                    if (e.Data == null) { ready.Set(); return; }
                    lock (_out) _out.AppendLine(e.Data);
                    if (e.Data.Contains("press Ctrl-C")) ready.Set();
                };
                _p.ErrorDataReceived += (s, e) => { if (e.Data != null) lock (_out) _out.AppendLine(e.Data); };
                _p.BeginOutputReadLine();
                _p.BeginErrorReadLine();
                ready.WaitOne(30000);
                if (!_p.HasExited && Output.Contains("press Ctrl-C")) Base = "http://127.0.0.1:" + port;
                else Kill();
            }
            if (Base == null) Assert.Fail("the sandbox did not start: " + Output);
        }

        public string Output { get { lock (_out) return _out.ToString(); } }

        /// <summary>POST /sandbox/faults, e.g. "fault=slow&amp;ms=2000&amp;type=order".</summary>
        public void Fault(string form)
        {
            var r = Http.Send("POST", Base + "/sandbox/faults", form);
            Assert.AreEqual(200, r.Status, r.Body);
        }

        public List<object> Deliveries(string orderId)
        {
            return (List<object>)Json.Parse(Http.Send("GET", Base + "/sandbox/deliveries?orderId=" + Uri.EscapeDataString(orderId)).Body);
        }

        private void Kill()
        {
            try { if (!_p.HasExited) { _p.Kill(); _p.WaitForExit(5000); } } catch (Exception) { }
        }

        public void Dispose() { Kill(); }
    }

    public static class Orders
    {
        private static int _n;

        public static string NewId(string prefix)
        {
            return prefix + DateTime.UtcNow.ToString("HHmmssfff", CultureInfo.InvariantCulture) + Interlocked.Increment(ref _n);
        }

        /// <summary>An order as a shop sends it (merchantId, signType and the defaults come from the library).</summary>
        public static List<KeyValuePair<string, string>> Params(string orderId, ulong amount, string notifyUrl, string callbackUrl)
        {
            var p = new List<KeyValuePair<string, string>>();
            Action<string, string> add = (k, v) => p.Add(new KeyValuePair<string, string>(k, v));
            add("callbackUrl", callbackUrl);
            add("notifyUrl", notifyUrl);
            add("ipAddress", "127.0.0.1");
            add("amount", amount.ToString(CultureInfo.InvariantCulture));
            add("orderDate", "20260301");
            add("orderId", orderId);
            add("merAcDate", "20260301");
            add("period", "30");
            add("periodUnit", "02");
            add("merchantAbbr", "测试商户");
            add("productName", "测试商品 和包");
            add("reserved1", "备注一 note");
            add("reserved2", "r2 & = %");
            return p;
        }
    }
}
