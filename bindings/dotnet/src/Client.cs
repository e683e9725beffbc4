using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cmpay
{
    /// <summary>
    /// How a client reaches the gateway (cmpay_config). Not thread-safe: build it,
    /// pass it to <see cref="Client"/> (which copies it), dispose it.
    /// </summary>
    public sealed class ClientConfig : NativeObject
    {
        internal readonly ConfigHandle H;
        internal override SafeHandle Handle { get { return H; } }

        /// <summary>The defaults: the live endpoint, charset 00 (GBK), 5 s connect and 30 s request timeouts, https only.</summary>
        public ClientConfig()
        {
            CmpayLibrary.EnsureLoaded();
            H = NewHandle();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ConfigHandle NewHandle()
        {
            ConfigHandle h;
            Errors.Check(Native.cmpay_config_new(out h));
            return h;
        }

        /// <summary>
        /// Sets an option by its C name: endpoint, charset (00|01|02), connect_timeout_ms,
        /// timeout_ms, proxy, allow_http (true|false). Returns this, for chaining.
        /// </summary>
        public ClientConfig Set(string name, string value)
        {
            Errors.Check(Native.cmpay_config_set(H, Utf8.Z(name, "name"), Utf8.Z(value, "value")));
            return this;
        }

        /// <summary>The gateway's URL (default: the live gateway).</summary>
        public ClientConfig Endpoint(string url) { return Set("endpoint", url); }
        /// <summary>"00" GBK, "01" GB2312, "02" UTF-8: for orders that leave characterSet out (default 00).</summary>
        public ClientConfig Charset(string code) { return Set("charset", code); }
        /// <summary>The connect timeout (default 5 s).</summary>
        public ClientConfig ConnectTimeout(TimeSpan t) { return Set("connect_timeout_ms", Ms(t)); }
        /// <summary>The request timeout (default 30 s).</summary>
        public ClientConfig Timeout(TimeSpan t) { return Set("timeout_ms", Ms(t)); }
        /// <summary>An HTTP(S) proxy URL; null or "" for none.</summary>
        public ClientConfig Proxy(string url) { return Set("proxy", url ?? ""); }
        /// <summary>Plain http endpoint and payUrls: a test gateway only.</summary>
        public ClientConfig AllowHttp(bool allow) { return Set("allow_http", allow ? "true" : "false"); }

        /// <summary>Trusts an extra CA (PEM) besides Mozilla's roots, e.g. a test gateway's.</summary>
        public ClientConfig AddCaPem(byte[] pem)
        {
            Errors.Check(Native.cmpay_config_add_ca_pem(H, Utf8.NotNull(pem, "pem"), Merchant.Len(pem)));
            return this;
        }

        /// <summary>The callback set by Log, handed to each client made from this configuration.</summary>
        internal Native.LogCallback LogCallback;

        /// <summary>
        /// Logs every exchange of clients made from this configuration to <see cref="CmpayLog.Source"/>
        /// (the TraceSource "cmpay", configurable in app.config or web.config), at the levels its
        /// switch lets through now: configure it first.
        /// </summary>
        public ClientConfig Log()
        {
            return Log(CmpayLog.Source);
        }

        /// <summary>
        /// Logs to <paramref name="source"/>: requests sent, answers received, notifications verified
        /// or refused (<see cref="Client.ParseNotification(byte[])"/>), retries, timeouts and TLS
        /// failures as Error, Warning and Information events, the bodies (their hmac redacted) as
        /// Verbose, at the levels the source's switch lets through now. Each event's id is its
        /// cmpay_log_level and its message starts with the event name (e.g. "request.sent"). Never
        /// logged: the signKey, a private key, any hmac. Null: no logging.
        /// </summary>
        public ClientConfig Log(TraceSource source)
        {
            if (source == null)
            {
                Errors.Check(Native.cmpay_config_set_logger(H, null, IntPtr.Zero, 1));
                LogCallback = null;
                return this;
            }
            int min = 0;
            for (int level = 4; level >= 1 && min == 0; level--)
            {
                if (source.Switch.ShouldTrace(CmpayLog.EventType(level))) min = level;
            }
            if (min == 0) return Log(null);
            Native.LogCallback callback = (userData, level, logEvent, message) =>
            {
                try
                {
                    string name = Utf8.FromStatic(logEvent);
                    source.TraceEvent(CmpayLog.EventType(level), level, "{0} {1}", name, Utf8.FromStatic(message));
                }
                catch (Exception)
                {
                    // A failing listener loses this record, never the payment (nothing may unwind into the library).
                }
            };
            Errors.Check(Native.cmpay_config_set_logger(H, callback, IntPtr.Zero, min));
            LogCallback = callback;
            return this;
        }

        private static string Ms(TimeSpan t)
        {
            return ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// A client for one merchant: create orders, query, confirm notifications, refund. Thread-safe and
    /// pooling connections: make one per process (e.g. a static field) and share it.
    /// </summary>
    public sealed class Client : NativeObject
    {
        private readonly ClientHandle _h;
        internal override SafeHandle Handle { get { return _h; } }

        /// <summary>A client with <paramref name="config"/> (null: the defaults); both arguments are copied.</summary>
        public Client(Merchant merchant, ClientConfig config = null)
        {
            if (merchant == null) throw new ArgumentNullException("merchant");
            if (config == null)
            {
                using (var defaults = new ClientConfig()) _h = New(merchant, defaults);
            }
            else
            {
                _h = New(merchant, config);
                _h.LogCallback = config.LogCallback;
            }
        }

        /// <summary>
        /// As <see cref="Merchant.ParseNotification(byte[])"/> for this client's merchant, logging
        /// "notify.verified" (orderId, payNo, amount, status) or "notify.refused" (why). No network.
        /// </summary>
        public Notification ParseNotification(byte[] body)
        {
            NotificationHandle h;
            Errors.Check(Native.cmpay_client_parse_notification(_h, Utf8.NotNull(body, "body"), Merchant.Len(body), out h));
            return new Notification(h);
        }

        /// <summary>The UTF-8 bytes of <paramref name="body"/>, as <see cref="ParseNotification(byte[])"/>.</summary>
        public Notification ParseNotification(string body)
        {
            return ParseNotification(Merchant.Raw(body));
        }

        private Client(ClientHandle h)
        {
            _h = h;
        }

        /// <summary>A client the library made (e.g. cmpay_sandbox_client), without a logger of this binding's.</summary>
        internal static Client Of(ClientHandle h)
        {
            return new Client(h);
        }

        /// <summary>
        /// A client configured from the environment, read by the library (the same names and rules in
        /// every language): CMPAY_MERCHANT_ID; CMPAY_SIGN_KEY or CMPAY_SIGN_KEY_FILE (MD5), or
        /// CMPAY_RSA_PRIVATE_KEY_FILE and CMPAY_RSA_PUBLIC_KEY_FILE (RSA); optionally CMPAY_ENDPOINT,
        /// CMPAY_CHARSET, CMPAY_CONNECT_TIMEOUT_MS, CMPAY_TIMEOUT_MS, CMPAY_PROXY, CMPAY_EXTRA_CA_FILE,
        /// CMPAY_ALLOW_HTTP. <paramref name="config"/> (null: the defaults; e.g. its Log) is the base the
        /// variables override. A bad value throws an exception naming its variable.
        /// </summary>
        public static Client FromEnvironment(ClientConfig config = null)
        {
            CmpayLibrary.EnsureLoaded();
            return FromEnvironmentCore(config);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Client FromEnvironmentCore(ClientConfig config)
        {
            ClientHandle h;
            if (config == null)
            {
                using (var defaults = new ClientConfig()) Errors.Check(Native.cmpay_client_from_env(defaults.H, out h));
            }
            else
            {
                Errors.Check(Native.cmpay_client_from_env(config.H, out h));
                h.LogCallback = config.LogCallback;
            }
            return new Client(h);
        }

        /// <summary>
        /// As <see cref="FromEnvironment"/>, reading the variables from <paramref name="variables"/>
        /// (name to value, with the names of <see cref="FromEnvironment"/>: CMPAY_MERCHANT_ID,
        /// CMPAY_SIGN_KEY_FILE, ...) instead of the process's environment, which is not read: for a
        /// framework's own configuration mapped onto those names (Cmpay.Web's &lt;cmpay&gt; section of
        /// web.config). A null or empty value counts as unset; a name that is not one of the variables
        /// throws <see cref="CmpayInvalidInputException"/> naming it; every bad value throws naming its variable.
        /// </summary>
        public static Client FromVariables(IEnumerable<KeyValuePair<string, string>> variables, ClientConfig config = null)
        {
            if (variables == null) throw new ArgumentNullException("variables");
            CmpayLibrary.EnsureLoaded();
            return FromVariablesCore(Pairs.Encode(variables), config);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Client FromVariablesCore(byte[] vars, ClientConfig config)
        {
            ClientHandle h;
            if (config == null)
            {
                using (var defaults = new ClientConfig()) Errors.Check(Native.cmpay_client_from_vars(defaults.H, vars, Merchant.Len(vars), out h));
            }
            else
            {
                Errors.Check(Native.cmpay_client_from_vars(config.H, vars, Merchant.Len(vars), out h));
                h.LogCallback = config.LogCallback;
            }
            return new Client(h);
        }

        /// <summary>The merchant this client signs and verifies for, as a new object (dispose it).</summary>
        public Merchant GetMerchant()
        {
            MerchantHandle h;
            Errors.Check(Native.cmpay_client_merchant(_h, out h));
            return new Merchant(h);
        }

        private static ClientHandle New(Merchant merchant, ClientConfig config)
        {
            ClientHandle h;
            Errors.Check(Native.cmpay_client_new(merchant.H, config.H, out h));
            return h;
        }

        /// <summary>
        /// Signs and sends an order (DirectPayConfirm unless "type" says otherwise); requestId is
        /// generated when absent. Never retried: after a CmpayNetworkException the order's state is
        /// unknown, query it before trying again with a new orderId.
        /// </summary>
        public Response CreateOrder(IEnumerable<KeyValuePair<string, string>> parameters)
        {
            return CreateOrderForm(Pairs.Encode(parameters));
        }

        /// <summary>As <see cref="CreateOrder(IEnumerable{KeyValuePair{string, string}})"/>, with integer values (amount, period...) allowed.</summary>
        public Response CreateOrder(IEnumerable<KeyValuePair<string, object>> parameters)
        {
            return CreateOrderForm(Pairs.Encode(parameters));
        }

        private Response CreateOrderForm(byte[] form)
        {
            ResponseHandle h;
            Errors.Check(Native.cmpay_client_create_order(_h, form, Merchant.Len(form), out h));
            return new Response(h);
        }

        /// <summary>OrderQuery: the answer's "status", "amount", ... fields.</summary>
        public Response QueryOrder(string orderId)
        {
            ResponseHandle h;
            Errors.Check(Native.cmpay_client_query_order(_h, Utf8.Z(orderId, "orderId"), out h));
            return new Response(h);
        }

        /// <summary>
        /// Confirms a notification with the gateway: queries its orderId (OrderQuery, retried as
        /// <see cref="QueryOrder"/>) and marks it confirmed when the verified answer agrees: the same
        /// merchantId and orderId, one reading, and for a paid notification status SUCCESS with the
        /// same amount and payNo. <see cref="Notification.CheckOrder"/> then passes an ambiguous
        /// notification. CmpayNotConfirmedException when the gateway disagrees (record nothing);
        /// CmpayAmbiguousException when its answer has another reading itself; CmpayGatewayException
        /// (e.g. RPM22201, no such order) or CmpayNetworkException leave it unconfirmed. Safe while
        /// other threads read the notification.
        /// </summary>
        public void Confirm(Notification notification)
        {
            if (notification == null) throw new ArgumentNullException("notification");
            Errors.Check(Native.cmpay_client_confirm(_h, notification.H));
        }

        /// <summary>OrderRefund of <paramref name="amountFen"/> (never retried).</summary>
        public Response Refund(string orderId, ulong amountFen)
        {
            ResponseHandle h;
            Errors.Check(Native.cmpay_client_refund(_h, Utf8.Z(orderId, "orderId"), amountFen, out h));
            return new Response(h);
        }
    }

    /// <summary>The library's log as System.Diagnostics tracing.</summary>
    public static class CmpayLog
    {
        /// <summary>
        /// The TraceSource "cmpay" that <see cref="ClientConfig.Log()"/> logs to; off unless its
        /// switch is set (in code, or with a &lt;source name="cmpay" switchValue="Information"&gt; in
        /// the configuration file).
        /// </summary>
        public static readonly TraceSource Source = new TraceSource("cmpay");

        /// <summary>A cmpay_log_level (1 error, 2 warn, 3 info, 4 debug) as a TraceEventType.</summary>
        public static TraceEventType EventType(int level)
        {
            switch (level)
            {
                case 1: return TraceEventType.Error;
                case 2: return TraceEventType.Warning;
                case 3: return TraceEventType.Information;
                default: return TraceEventType.Verbose;
            }
        }
    }

    /// <summary>A gateway return code with its meaning.</summary>
    public sealed class ReturnCode
    {
        /// <summary>The payment document's spelling, e.g. MCG01088 for C01088.</summary>
        public string Canonical { get; private set; }
        /// <summary>The code's meaning in Chinese, as the payment document gives it.</summary>
        public string Chinese { get; private set; }
        /// <summary>The code's meaning in English.</summary>
        public string English { get; private set; }

        internal ReturnCode(string canonical, string chinese, string english)
        {
            Canonical = canonical; Chinese = chinese; English = english;
        }

        /// <summary>The code by either spelling, or null when unknown.</summary>
        public static ReturnCode Lookup(string code)
        {
            CmpayLibrary.EnsureLoaded();
            return LookupCore(code);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ReturnCode LookupCore(string code)
        {
            IntPtr c, zh, en;
            int st = Native.cmpay_return_code_lookup(Utf8.Z(code, "code"), out c, out zh, out en);
            if (st == (int)Status.NotFound) return null;
            Errors.Check(st);
            string[] t = Utf8.TakeAll(c, zh, en);
            return new ReturnCode(t[0], t[1], t[2]);
        }
    }

    /// <summary>Bank codes (bankAbbr).</summary>
    public static class Banks
    {
        /// <summary>The Chinese name of a bank code ("ICBC" gives 工商银行), or null when unknown.</summary>
        public static string Name(string bankCode)
        {
            CmpayLibrary.EnsureLoaded();
            return NameCore(bankCode);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string NameCore(string bankCode)
        {
            IntPtr s;
            int st = Native.cmpay_bank_name(Utf8.Z(bankCode, "bankCode"), out s);
            if (st == (int)Status.NotFound) return null;
            Errors.Check(st);
            return Utf8.Take(s);
        }
    }

    /// <summary>Amounts as people read them, converted by the library.</summary>
    public static class Money
    {
        /// <summary>An amount in fen as yuan with two decimals, exactly (12800 gives "128.00").</summary>
        public static string Yuan(ulong fen)
        {
            CmpayLibrary.EnsureLoaded();
            return YuanCore(fen);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string YuanCore(ulong fen)
        {
            IntPtr s;
            Errors.Check(Native.cmpay_yuan(fen, out s));
            return Utf8.Take(s);
        }
    }
}
