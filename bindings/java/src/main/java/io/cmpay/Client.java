package io.cmpay;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client for one merchant: create orders, query, refund, confirm a notification. Thread-safe and
 * pooling connections: make one per application and share it.
 *
 * <p>With {@link Config#log()} (or {@link Config#log(LogSink, LogLevel)}) it logs every exchange:
 * requests sent (kind, URL, requestId, orderId, timeouts), answers received (returnCode, message,
 * time taken), notifications verified or refused ({@link #parseNotification}), retries, timeouts and
 * TLS failures; at DEBUG the bodies, their hmac redacted. Never logged: the signKey, a private key,
 * any hmac.
 */
public final class Client extends Handle {

    /** The log callback the library holds, kept reachable as long as the client. */
    private final CmpayNative.LogCallback logCallback;

    /** A client with the defaults (the live gateway). */
    public Client(Merchant merchant) {
        this(merchant, null);
    }

    /**
     * A client with {@code config} (null: the defaults). The configuration is read here (the
     * library's own copy is built and freed inside this constructor); changing it afterwards
     * changes no client made from it.
     */
    public Client(Merchant merchant, Config config) {
        this(create(merchant, config), config);
    }

    /** A client the library made (e.g. cmpay_sandbox_client), without a logger of this binding's. */
    static Client of(Pointer p) {
        return new Client(p, (Config) null);
    }

    private Client(Pointer p, Config config) {
        super(p, Client::free);
        logCallback = config == null ? null : config.logCallback;
    }

    /** {@link #fromEnv(Config)} on the defaults. */
    public static Client fromEnv() {
        return fromEnv(null);
    }

    /**
     * A client configured from the environment, read by the library (the same names and rules in
     * every language): CMPAY_MERCHANT_ID; CMPAY_SIGN_KEY or CMPAY_SIGN_KEY_FILE (MD5), or
     * CMPAY_RSA_PRIVATE_KEY_FILE and CMPAY_RSA_PUBLIC_KEY_FILE (RSA); optionally CMPAY_ENDPOINT,
     * CMPAY_CHARSET, CMPAY_CONNECT_TIMEOUT_MS, CMPAY_TIMEOUT_MS, CMPAY_PROXY, CMPAY_EXTRA_CA_FILE,
     * CMPAY_ALLOW_HTTP. {@code config} (null: the defaults; e.g. its {@link Config#log() log}) is
     * the base the variables override. A bad value throws an exception naming its variable.
     */
    public static Client fromEnv(Config config) {
        long[] out = new long[1];
        CmpayLibrary.check(config == null
                ? CmpayLibrary.get().cmpay_client_from_env(null, out)
                : Config.withNative(config, c -> CmpayLibrary.get().cmpay_client_from_env(c, out)));
        return new Client(Out.pointer(out), config);
    }

    /**
     * As {@link #fromEnv(Config)}, reading the variables from {@code variables} (name to value,
     * with the names of {@link #fromEnv(Config)}: CMPAY_MERCHANT_ID, CMPAY_SIGN_KEY_FILE, ...)
     * instead of the process's environment, which is not read: for a framework's own configuration
     * mapped onto those names (the Spring Boot starter's {@code cmpay.*} properties). A null or
     * empty value counts as unset; a name that is not one of the variables throws
     * {@link CmpayInvalidInputException} naming it; every bad value throws naming its variable.
     */
    public static Client fromVariables(Map<String, String> variables, Config config) {
        Objects.requireNonNull(variables, "variables");
        byte[] vars = Pairs.encode(variables);
        long[] out = new long[1];
        CmpayLibrary.check(config == null
                ? CmpayLibrary.get().cmpay_client_from_vars(null, vars, CmpayLibrary.len(vars), out)
                : Config.withNative(config, c -> CmpayLibrary.get().cmpay_client_from_vars(c, vars, CmpayLibrary.len(vars), out)));
        return new Client(Out.pointer(out), config);
    }

    /** The merchant this client signs and verifies for, as a new handle (close it). */
    public Merchant merchant() {
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_client_merchant(p, out)));
        return new Merchant(Out.pointer(out));
    }

    private static Pointer create(Merchant merchant, Config config) {
        Objects.requireNonNull(merchant, "merchant");
        long[] out = new long[1];
        CmpayLibrary.check(config == null
                ? merchant.call(m -> CmpayLibrary.get().cmpay_client_new(m, null, out))
                : Config.withNative(config, c -> merchant.call(m -> CmpayLibrary.get().cmpay_client_new(m, c, out))));
        return Out.pointer(out);
    }

    private static void free(Pointer p) {
        CmpayLibrary.get().cmpay_client_free(p);
    }

    /**
     * Signs and sends an order (DirectPayConfirm unless "type" says otherwise); requestId is
     * generated when absent. Never retried: after a CmpayNetworkException the order's state is
     * unknown; query it before trying again with a new orderId.
     */
    public Response createOrder(Map<String, ?> params) {
        byte[] form = Pairs.encode(params);
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_client_create_order(p, form, CmpayLibrary.len(form), out)));
        return new Response(Out.pointer(out));
    }

    /** OrderQuery: the answer's "status", "amount", ... fields. */
    public Response queryOrder(String orderId) {
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_client_query_order(p, o, out)));
        return new Response(Out.pointer(out));
    }

    /**
     * Confirms a notification with the gateway: an OrderQuery for its orderId (retried as
     * {@link #queryOrder}), and the notification is marked {@link Notification#isConfirmed()
     * confirmed} when the verified answer agrees: the same merchantId and orderId, one reading,
     * and for a paid notification status SUCCESS with the same amount and payNo. Then
     * {@link Notification#checkOrder} passes an ambiguous notification.
     *
     * @throws CmpayNotConfirmedException the gateway disagrees: record nothing
     * @throws CmpayAmbiguousException the gateway's answer has another reading itself
     * @throws CmpayGatewayException e.g. RPM22201, no such order; as the network exceptions, it
     *         leaves the notification unconfirmed (answer the gateway FAIL: it sends it again)
     */
    public void confirm(Notification n) {
        Objects.requireNonNull(n, "n");
        CmpayLibrary.check(call(c -> n.call(p -> CmpayLibrary.get().cmpay_client_confirm(c, p))));
    }

    /**
     * As {@link Merchant#parseNotification(byte[])} for this client's merchant, logging
     * "notify.verified" (orderId, payNo, amount, status) or "notify.refused" (why). No network.
     */
    public Notification parseNotification(byte[] body) {
        Objects.requireNonNull(body, "body");
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_client_parse_notification(p, body, CmpayLibrary.len(body), out)));
        return new Notification(Out.pointer(out));
    }

    /** {@link #parseNotification(byte[])} of the body's UTF-8 bytes. */
    public Notification parseNotification(String body) {
        return parseNotification(CmpayLibrary.utf8(Objects.requireNonNull(body, "body"), "body"));
    }

    /** OrderRefund of {@code amountFen} (never retried). */
    public Response refund(String orderId, long amountFen) {
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_client_refund(p, o, amountFen, out)));
        return new Response(Out.pointer(out));
    }

    /**
     * How a client reaches the gateway: a plain configuration object holding no native resource
     * (nothing to close; {@link Client}'s constructor builds the library's cmpay_config from it and
     * frees it). Fluent ({@code new Client.Config().endpoint(url).timeoutMillis(20_000)}) or as a
     * bean ({@code setEndpoint}, {@code getEndpoint}, ...). Not thread-safe while being changed.
     * Defaults: the live endpoint, charset 00 (GBK), 5 s connect and 30 s request timeouts, https
     * only. A value the library refuses throws at once, from the setter.
     */
    public static final class Config implements AutoCloseable {
        /** The options by their C name, in the order set (a later value replaces an earlier one). */
        private final Map<String, String> options = new LinkedHashMap<>();
        /** Extra CAs (PEM), in the order added. */
        private final List<byte[]> caPems = new ArrayList<>();
        /** The callback set by log(), handed to each Client made from this configuration. */
        private CmpayNative.LogCallback logCallback;
        private LogSink logSink;
        private LogLevel logLevel;

        /** A configuration with the defaults. */
        public Config() {
        }

        /**
         * Does nothing: a Config holds no native resource and need not be closed. Kept so that
         * code written when it did ({@code try (Client.Config c = ...)}) still compiles and runs.
         */
        @Override
        public void close() {
        }

        /** Runs {@code f} with a native cmpay_config built from {@code config}, freed afterwards. */
        static int withNative(Config config, Handle.Call<Integer> f) {
            CmpayNative lib = CmpayLibrary.get();
            long[] out = new long[1];
            CmpayLibrary.check(lib.cmpay_config_new(out));
            Pointer c = Out.pointer(out);
            try {
                for (Map.Entry<String, String> o : config.options.entrySet()) {
                    CmpayLibrary.check(lib.cmpay_config_set(c, CmpayLibrary.text(o.getKey(), "name"),
                            CmpayLibrary.text(o.getValue(), "value")));
                }
                for (byte[] pem : config.caPems) {
                    CmpayLibrary.check(lib.cmpay_config_add_ca_pem(c, pem, CmpayLibrary.len(pem)));
                }
                if (config.logLevel != null) {
                    CmpayLibrary.check(lib.cmpay_config_set_logger(c, config.logCallback, null, config.logLevel.code));
                }
                return f.apply(c);
            } finally {
                lib.cmpay_config_free(c);
            }
        }

        /** Checks one option against the library now, so a bad value throws where it is set. */
        private static void check(String name, String value) {
            byte[] n = CmpayLibrary.text(name, "name");
            byte[] v = CmpayLibrary.text(value, "value");
            Config probe = new Config();
            withNative(probe, c -> {
                CmpayLibrary.check(CmpayLibrary.get().cmpay_config_set(c, n, v));
                return 0;
            });
        }

        /** Sets an option by its C name: endpoint, charset, connect_timeout_ms, timeout_ms, proxy, allow_http. */
        public Config set(String name, String value) {
            check(name, value);
            options.remove(name);
            options.put(name, value);
            return this;
        }

        /** The option {@code name} as set, or null when left at the library's default. */
        public String get(String name) {
            return options.get(name);
        }

        /** The options set, by their C names, in the order set (read-only). */
        public Map<String, String> options() {
            return Collections.unmodifiableMap(options);
        }

        /** The gateway's URL (default: the live gateway). */
        public Config endpoint(String url) {
            return set("endpoint", url);
        }

        /** Bean setter of {@link #endpoint(String)}. */
        public void setEndpoint(String url) {
            endpoint(url);
        }

        /** The endpoint set, or null for the default. */
        public String getEndpoint() {
            return get("endpoint");
        }

        /** "00" GBK, "01" GB2312, "02" UTF-8: for orders that leave characterSet out. */
        public Config charset(String code) {
            return set("charset", code);
        }

        /** Bean setter of {@link #charset(String)}. */
        public void setCharset(String code) {
            charset(code);
        }

        /** The charset code set, or null for the default ("00"). */
        public String getCharset() {
            return get("charset");
        }

        /** The connect timeout in milliseconds (default 5000). */
        public Config connectTimeoutMillis(long ms) {
            return set("connect_timeout_ms", Long.toString(ms));
        }

        /** Bean setter of {@link #connectTimeoutMillis(long)}. */
        public void setConnectTimeoutMillis(long ms) {
            connectTimeoutMillis(ms);
        }

        /** The connect timeout set in milliseconds, or null for the default. */
        public Long getConnectTimeoutMillis() {
            String v = get("connect_timeout_ms");
            return v == null ? null : Long.valueOf(v);
        }

        /** The request timeout in milliseconds (default 30000). */
        public Config timeoutMillis(long ms) {
            return set("timeout_ms", Long.toString(ms));
        }

        /** Bean setter of {@link #timeoutMillis(long)}. */
        public void setTimeoutMillis(long ms) {
            timeoutMillis(ms);
        }

        /** The request timeout set in milliseconds, or null for the default. */
        public Long getTimeoutMillis() {
            String v = get("timeout_ms");
            return v == null ? null : Long.valueOf(v);
        }

        /** An HTTP(S) proxy URL; null or "" for none. */
        public Config proxy(String url) {
            return set("proxy", url == null ? "" : url);
        }

        /** Bean setter of {@link #proxy(String)}. */
        public void setProxy(String url) {
            proxy(url);
        }

        /** The proxy set ("" for none), or null for the default. */
        public String getProxy() {
            return get("proxy");
        }

        /** Plain http endpoint and payUrls: a test gateway only. */
        public Config allowHttp(boolean allow) {
            return set("allow_http", allow ? "true" : "false");
        }

        /** Bean setter of {@link #allowHttp(boolean)}. */
        public void setAllowHttp(boolean allow) {
            allowHttp(allow);
        }

        /** Whether plain http is allowed (default false). */
        public boolean isAllowHttp() {
            return "true".equals(get("allow_http"));
        }

        /**
         * Logs to {@link LogSink#standard()} (SLF4J's logger "cmpay" when SLF4J is on the
         * classpath, else java.util.logging's), at the levels that logger takes now: configure
         * logging first.
         */
        public Config log() {
            StandardLog sink = StandardLog.create();
            return log(sink, sink.enabledLevel());
        }

        /**
         * Logs to {@code sink} the records at {@code minLevel} and more severe; a null sink logs
         * nothing. Clients made from this configuration keep the sink until they are closed.
         */
        public Config log(LogSink sink, LogLevel minLevel) {
            Objects.requireNonNull(minLevel, "minLevel");
            logCallback = sink == null ? null : new Bridge(sink);
            logSink = sink;
            logLevel = minLevel;
            return this;
        }

        /** The sink set by {@link #log(LogSink, LogLevel)}, or null for none. */
        public LogSink getLogSink() {
            return logSink;
        }

        /** The least severe level logged, or null when no logging is set. */
        public LogLevel getLogLevel() {
            return logLevel;
        }

        /** A sink as the library's callback; nothing thrown reaches the library. */
        private static final class Bridge implements CmpayNative.LogCallback {
            private final LogSink sink;

            Bridge(LogSink sink) {
                this.sink = sink;
            }

            @Override
            public void invoke(Pointer userData, int level, Pointer event, Pointer message) {
                try {
                    sink.log(LogLevel.of(level), event.getString(0, "UTF-8"), message.getString(0, "UTF-8"));
                } catch (Throwable t) {
                    // A failing sink loses this record, never the payment.
                }
            }
        }

        /** Trusts an extra CA (PEM) besides Mozilla's roots, e.g. a test gateway's. */
        public Config addCaPem(byte[] pem) {
            Objects.requireNonNull(pem, "pem");
            byte[] copy = pem.clone();
            withNative(new Config(), c -> {
                CmpayLibrary.check(CmpayLibrary.get().cmpay_config_add_ca_pem(c, copy, CmpayLibrary.len(copy)));
                return 0;
            });
            caPems.add(copy);
            return this;
        }
    }
}
