// Hosts an ASP.NET IHttpHandler on System.Net.HttpListener, for the tests
// (mono-xsp4 is not used: see README.md). Each request becomes a real
// System.Web.HttpContext through an HttpWorkerRequest, so the handler runs
// unchanged, reading Request.InputStream / RawUrl and writing Response.
using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Web;

namespace Cmpay.Tests
{
    public sealed class HttpListenerHost : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly IHttpHandler _handler;
        private readonly Thread _thread;
        public readonly string Prefix;
        public int Requests;

        public HttpListenerHost(IHttpHandler handler, string path)
        {
            _handler = handler;
            Exception last = null;
            for (int tries = 0; tries < 10; tries++)
            {
                int port = FreePort();
                string prefix = "http://127.0.0.1:" + port + path;
                try
                {
                    _listener.Prefixes.Clear();
                    _listener.Prefixes.Add(prefix);
                    _listener.Start();
                    Prefix = prefix;
                    last = null;
                    break;
                }
                catch (HttpListenerException e) { last = e; }
            }
            if (last != null) throw last;
            _thread = new Thread(Loop) { IsBackground = true, Name = "HttpListenerHost" };
            _thread.Start();
        }

        public static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        private void Loop()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext c;
                try { c = _listener.GetContext(); }
                catch (Exception) { return; }
                ThreadPool.QueueUserWorkItem(_ => Serve(c));
            }
        }

        private void Serve(HttpListenerContext c)
        {
            Interlocked.Increment(ref Requests);
            try
            {
                var wr = new ListenerWorkerRequest(c);
                var ctx = new HttpContext(wr);
                _handler.ProcessRequest(ctx);
                ctx.Response.Flush();
                wr.EndOfRequest();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine("HttpListenerHost: " + e);
                try { c.Response.StatusCode = 500; c.Response.Close(); } catch (Exception) { }
            }
        }

        public void Dispose()
        {
            try { _listener.Stop(); _listener.Close(); } catch (Exception) { }
        }

        private sealed class ListenerWorkerRequest : HttpWorkerRequest
        {
            private readonly HttpListenerContext _c;
            private readonly byte[] _body;
            private readonly MemoryStream _out = new MemoryStream();
            private bool _ended;

            public ListenerWorkerRequest(HttpListenerContext c)
            {
                _c = c;
                var ms = new MemoryStream();
                c.Request.InputStream.CopyTo(ms);
                _body = ms.ToArray();
            }

            public override string GetUriPath() { return _c.Request.Url.AbsolutePath; }
            public override string GetQueryString()
            {
                string raw = _c.Request.RawUrl;
                int q = raw.IndexOf('?');
                return q < 0 ? "" : raw.Substring(q + 1);
            }
            public override string GetRawUrl() { return _c.Request.RawUrl; }
            public override string GetHttpVerbName() { return _c.Request.HttpMethod; }
            // HTTP/1.0 to System.Web, so that it writes the body plainly (not chunk-framed);
            // HttpListener frames the response itself.
            public override string GetHttpVersion() { return "HTTP/1.0"; }
            public override string GetRemoteAddress() { return _c.Request.RemoteEndPoint.Address.ToString(); }
            public override int GetRemotePort() { return _c.Request.RemoteEndPoint.Port; }
            public override string GetLocalAddress() { return _c.Request.LocalEndPoint.Address.ToString(); }
            public override int GetLocalPort() { return _c.Request.LocalEndPoint.Port; }
            public override string GetFilePath() { return GetUriPath(); }
            public override string GetAppPath() { return "/"; }
            public override string GetAppPathTranslated() { return AppDomain.CurrentDomain.BaseDirectory; }
            public override string GetFilePathTranslated() { return AppDomain.CurrentDomain.BaseDirectory; }
            public override string GetPathInfo() { return ""; }
            public override byte[] GetPreloadedEntityBody() { return _body; }
            public override bool IsEntireEntityBodyIsPreloaded() { return true; }
            public override int GetTotalEntityBodyLength() { return _body.Length; }
            public override int GetPreloadedEntityBodyLength() { return _body.Length; }
            public override int ReadEntityBody(byte[] buffer, int size) { return 0; }
            public override string GetKnownRequestHeader(int index)
            {
                switch (index)
                {
                    case HeaderContentLength: return _body.Length.ToString();
                    case HeaderContentType: return _c.Request.ContentType;
                    default: return _c.Request.Headers[GetKnownRequestHeaderName(index)];
                }
            }
            public override string GetUnknownRequestHeader(string name) { return _c.Request.Headers[name]; }
            public override void SendStatus(int statusCode, string statusDescription)
            {
                _c.Response.StatusCode = statusCode;
                _c.Response.StatusDescription = statusDescription;
            }
            public override void SendKnownResponseHeader(int index, string value)
            {
                SendUnknownResponseHeader(GetKnownResponseHeaderName(index), value);
            }
            private static readonly string[] HopByHop = { "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive" };
            public override void SendUnknownResponseHeader(string name, string value)
            {
                foreach (string h in HopByHop) if (string.Equals(name, h, StringComparison.OrdinalIgnoreCase)) return;
                if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase)) { _c.Response.ContentType = value; return; }
                _c.Response.Headers[name] = value;
            }
            public override void SendResponseFromMemory(byte[] data, int length) { _out.Write(data, 0, length); }
            public override void SendResponseFromFile(string filename, long offset, long length) { throw new NotSupportedException(); }
            public override void SendResponseFromFile(IntPtr handle, long offset, long length) { throw new NotSupportedException(); }
            public override void FlushResponse(bool finalFlush) { }
            public override void EndOfRequest()
            {
                if (_ended) return;
                _ended = true;
                byte[] b = _out.ToArray();
                _c.Response.ContentLength64 = b.Length;
                _c.Response.OutputStream.Write(b, 0, b.Length);
                _c.Response.Close();
            }
        }
    }
}
