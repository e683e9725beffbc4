package io.cmpay;

import com.sun.jna.Pointer;
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

    /** A client with {@code config} (null: the defaults); both are copied and may be closed afterwards. */
    public Client(Merchant merchant, Config config) {
        this(create(merchant, config), config);
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
                : config.call(c -> CmpayLibrary.get().cmpay_client_from_env(c, out)));
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
        CmpayLibrary.check(merchant.call(m -> config == null
                ? CmpayLibrary.get().cmpay_client_new(m, null, out)
                : config.call(c -> CmpayLibrary.get().cmpay_client_new(m, c, out))));
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
     * How a client reaches the gateway (cmpay_config). Not thread-safe: build it, pass it to
     * {@link Client}, close it. Defaults: the live endpoint, charset 00 (GBK), 5 s connect and
     * 30 s request timeouts, https only.
     */
    public static final class Config extends Handle {
        /** The callback set by log(), handed to each Client made from this configuration. */
        private CmpayNative.LogCallback logCallback;

        public Config() {
            super(create(), Config::free);
        }

        private static Pointer create() {
            long[] out = new long[1];
            CmpayLibrary.check(CmpayLibrary.get().cmpay_config_new(out));
            return Out.pointer(out);
        }

        private static void free(Pointer p) {
            CmpayLibrary.get().cmpay_config_free(p);
        }

        /** Sets an option by its C name: endpoint, charset, connect_timeout_ms, timeout_ms, proxy, allow_http. */
        public Config set(String name, String value) {
            byte[] n = CmpayLibrary.text(name, "name");
            byte[] v = CmpayLibrary.text(value, "value");
            CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_config_set(p, n, v)));
            return this;
        }

        public Config endpoint(String url) {
            return set("endpoint", url);
        }

        /** "00" GBK, "01" GB2312, "02" UTF-8: for orders that leave characterSet out. */
        public Config charset(String code) {
            return set("charset", code);
        }

        public Config connectTimeoutMillis(long ms) {
            return set("connect_timeout_ms", Long.toString(ms));
        }

        public Config timeoutMillis(long ms) {
            return set("timeout_ms", Long.toString(ms));
        }

        public Config proxy(String url) {
            return set("proxy", url == null ? "" : url);
        }

        /** Plain http endpoint and payUrls: a test gateway only. */
        public Config allowHttp(boolean allow) {
            return set("allow_http", allow ? "true" : "false");
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
            CmpayNative.LogCallback callback = sink == null ? null : new Bridge(sink);
            CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_config_set_logger(p, callback, null, minLevel.code)));
            logCallback = callback;
            return this;
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
            CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_config_add_ca_pem(p, pem, CmpayLibrary.len(pem))));
            return this;
        }
    }
}
