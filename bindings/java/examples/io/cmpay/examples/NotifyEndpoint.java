package io.cmpay.examples;

import io.cmpay.CmpayException;
import io.cmpay.Merchant;
import io.cmpay.Notification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A CMPay notify endpoint without a servlet API: the raw notification in,
 * the answer (status and text) out. The servlets ({@link NotifyServlet} for
 * javax.servlet, {@code io.cmpay.examples.jakarta.NotifyServlet} for
 * jakarta.servlet) and notify.jsp only carry bytes between the container and
 * this class.
 *
 * <p>It verifies the notification through libcmpay, checks it against the
 * shop's own order (merchantId, orderId, amount), records the payment once
 * per payNo, and only then answers exactly "SUCCESS". Anything else gets
 * "FAIL" (the gateway then sends the OfflineNotify again later).
 *
 * <p>Immutable after construction and thread-safe: one per application.
 */
public final class NotifyEndpoint implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NotifyEndpoint.class.getName());

    /** The longest body read: one byte more than the library takes, so that it refuses an oversized one. */
    static final int MAX_BODY = 65537;

    /** The shop's side: its orders and the payments it has recorded. Use your database. */
    public interface ShopOrders {
        /** The amount (fen) of an order the shop created, or null if it knows no such order. */
        Long amountFen(String orderId);

        /** Records a payment once: false when payNo was recorded before (a resend: still answer SUCCESS). */
        boolean recordOnce(String payNo, String orderId, long amountFen, boolean paid, String via);
    }

    /** An in-memory ShopOrders for trying the example out and for its test. */
    public static final class MemoryShopOrders implements ShopOrders {
        public final Map<String, Long> orders = new ConcurrentHashMap<>();
        public final Map<String, String> payments = new ConcurrentHashMap<>();

        @Override
        public Long amountFen(String orderId) {
            return orders.get(orderId);
        }

        @Override
        public boolean recordOnce(String payNo, String orderId, long amountFen, boolean paid, String via) {
            return payments.putIfAbsent(payNo, orderId + " " + amountFen + " " + (paid ? "paid" : "failed") + " via " + via) == null;
        }
    }

    /** Where a setting comes from (web.xml init-params, context-params): null when it is not set there. */
    public interface Settings {
        String get(String name);
    }

    /** What to answer: the HTTP status and the text/plain body. */
    public static final class Answer {
        public static final String CONTENT_TYPE = "text/plain";
        public final int status;
        public final String text;

        Answer(int status, String text) {
            this.status = status;
            this.text = text;
        }

        /** The body's bytes (ASCII). */
        public byte[] bytes() {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final Merchant merchant;
    private final String merchantId;
    private final ShopOrders orders;

    public NotifyEndpoint(Merchant merchant, String merchantId, ShopOrders orders) {
        this.merchant = merchant;
        this.merchantId = merchantId;
        this.orders = orders;
    }

    /**
     * The endpoint a deployment describes: cmpay.merchantId, and cmpay.signKey
     * for MD5, or cmpay.privateKeyFile + cmpay.gatewayKeyFile (PEM) for RSA;
     * cmpay.jdbcUrl, the shop's database ({@link JdbcShopOrders}; without it,
     * an in-memory store for trying it out). Each from {@code settings}, else
     * the system property of that name.
     *
     * @throws IllegalStateException with the reason, when the settings do not make a merchant or a store
     */
    public static NotifyEndpoint configure(Settings settings) {
        String merchantId = setting(settings, "cmpay.merchantId");
        String key = setting(settings, "cmpay.signKey");
        Merchant merchant;
        try {
            merchant = key != null && !key.isEmpty()
                    ? Merchant.md5(merchantId, key)
                    : Merchant.rsa(merchantId, Files.readAllBytes(Paths.get(setting(settings, "cmpay.privateKeyFile"))),
                            Files.readAllBytes(Paths.get(setting(settings, "cmpay.gatewayKeyFile"))));
        } catch (IOException | CmpayException | NullPointerException e) {
            throw new IllegalStateException("cmpay merchant: " + e, e);
        }
        String jdbcUrl = setting(settings, "cmpay.jdbcUrl");
        try {
            return new NotifyEndpoint(merchant, merchantId,
                    jdbcUrl != null && !jdbcUrl.isEmpty() ? new JdbcShopOrders(jdbcUrl) : new MemoryShopOrders());
        } catch (SQLException e) {
            merchant.close();
            throw new IllegalStateException("cmpay shop database: " + e, e);
        }
    }

    private static String setting(Settings settings, String name) {
        String v = settings.get(name);
        return v != null ? v : System.getProperty(name);
    }

    /**
     * The notification exactly as it arrived: the raw body of a POST (the
     * OfflineNotify, or the PageNotify's form), the raw query string of
     * anything else (the PageNotify as a redirect). Never a servlet's
     * getParameter(): the container decodes it, and the signature is over
     * the bytes as sent.
     */
    public static byte[] rawNotification(String method, String rawQuery, InputStream body) throws IOException {
        if (!"POST".equals(method)) {
            return rawQuery == null ? new byte[0] : rawQuery.getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while (out.size() < MAX_BODY && (n = body.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray(); // over 64 KiB: the library refuses it as malformed
    }

    /** Verifies, checks and records a notification: the answer to send. */
    public Answer handle(byte[] raw) {
        try (Notification n = merchant.parseNotification(raw)) { // verified, or an exception
            Long amount = orders.amountFen(n.orderId());
            if (amount == null) {
                return new Answer(404, "FAIL unknown order");
            }
            // About the order we created, for its amount? (CmpayFieldException if not.)
            n.checkOrder(merchantId, n.orderId(), amount);
            // Process a payment once: resends and the PageNotify carry the same payNo.
            orders.recordOnce(n.payNo(), n.orderId(), n.amount(), n.isPaid(), n.type());
            // Recorded: now, and only now, the answer that stops the resends. (For a PageNotify a
            // shop may forward to its "thank you" page instead, after the same steps.)
            return new Answer(200, n.ack());
        } catch (IllegalStateException e) { // the database: not recorded, so not SUCCESS
            LOG.log(Level.SEVERE, "cmpay notify not recorded: {0}", e.toString());
            return new Answer(500, "FAIL");
        } catch (CmpayException e) {
            // Signature mismatch, malformed body, wrong order or amount: never SUCCESS.
            LOG.log(Level.WARNING, "cmpay notify refused: {0}", e.toString());
            return new Answer(400, "FAIL");
        }
    }

    @Override
    public void close() {
        merchant.close();
    }
}
