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
 * the answer (status and body) out. The servlets ({@link NotifyServlet} and
 * {@link ReturnServlet} for javax.servlet, their namesakes in
 * {@code io.cmpay.examples.jakarta} for jakarta.servlet), notify.jsp and
 * return.jsp only carry bytes between the container and this class.
 *
 * <p>It verifies the notification through libcmpay, checks it against the
 * shop's own order (merchantId, orderId, amount), records the payment once
 * per payNo ({@link #record}), and only then answers exactly "SUCCESS"
 * ({@link #handle}, the notifyUrl). Anything else gets "FAIL" (the gateway
 * then sends the OfflineNotify again later). At the callbackUrl the shopper's
 * browser brings the PageNotify: {@link #returnPage} takes the same steps,
 * then shows the payment as a page ({@link ReturnPage}).
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

    /** What to answer: the HTTP status, the body and its type (text/plain to the gateway, a page to the shopper). */
    public static final class Answer {
        public final int status;
        public final String text;
        public final String contentType;

        Answer(int status, String text) {
            this(status, text, "text/plain");
        }

        Answer(int status, String text, String contentType) {
            this.status = status;
            this.text = text;
            this.contentType = contentType;
        }

        /** The body's bytes (UTF-8; the gateway's answers are ASCII). */
        public byte[] bytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * What a notification came to: the HTTP status (200 recorded, 400 refused: not verified, or
     * not about that order and amount; 404 an order the shop does not know; 500 not recorded, the
     * database failed) and, when recorded, the verified payment.
     */
    public static final class Recorded {
        public final int status;
        /** The payment's fields when recorded (status 200), else null, 0 and false. */
        public final String orderId;
        public final long amountFen;
        public final String payNo;
        public final boolean paid;
        /** The answer that acknowledges it to the gateway ("SUCCESS"), when recorded. */
        public final String ack;

        Recorded(int status) {
            this(status, null, 0, null, false, null);
        }

        public Recorded(int status, String orderId, long amountFen, String payNo, boolean paid, String ack) {
            this.status = status;
            this.orderId = orderId;
            this.amountFen = amountFen;
            this.payNo = payNo;
            this.paid = paid;
            this.ack = ack;
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
     * an in-memory store for trying it out, one per application so that the
     * notify endpoint and the return page share it). Each from {@code settings}, else
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
                    jdbcUrl != null && !jdbcUrl.isEmpty() ? new JdbcShopOrders(jdbcUrl) : TRY_OUT_ORDERS);
        } catch (SQLException e) {
            merchant.close();
            throw new IllegalStateException("cmpay shop database: " + e, e);
        }
    }

    private static final MemoryShopOrders TRY_OUT_ORDERS = new MemoryShopOrders();

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

    /** The notifyUrl: verifies, checks and records a notification; the answer to the gateway. */
    public Answer handle(byte[] raw) {
        Recorded r = record(raw);
        // Recorded: now, and only now, the answer that stops the resends.
        return new Answer(r.status, r.status == 200 ? r.ack : r.status == 404 ? "FAIL unknown order" : "FAIL");
    }

    /** The callbackUrl: the same steps as {@link #handle}, then the shopper's page. */
    public Answer returnPage(byte[] raw) {
        Recorded r = record(raw);
        return new Answer(r.status, ReturnPage.html(r), ReturnPage.CONTENT_TYPE);
    }

    /**
     * Verifies a notification, checks it against the shop's order and records its payment once,
     * whichever of PageNotify, OfflineNotify or a resend comes first.
     */
    public Recorded record(byte[] raw) {
        try (Notification n = merchant.parseNotification(raw)) { // verified, or an exception
            Long amount = orders.amountFen(n.orderId());
            if (amount == null) {
                return new Recorded(404);
            }
            // About the order we created, for its amount? (CmpayFieldException if not.)
            n.checkOrder(merchantId, n.orderId(), amount);
            // Process a payment once: resends and the PageNotify carry the same payNo.
            long fen = n.amount();
            boolean paid = n.isPaid();
            orders.recordOnce(n.payNo(), n.orderId(), fen, paid, n.type());
            return new Recorded(200, n.orderId(), fen, n.payNo(), paid, n.ack());
        } catch (IllegalStateException e) { // the database: not recorded, so not SUCCESS
            LOG.log(Level.SEVERE, "cmpay notify not recorded: {0}", e.toString());
            return new Recorded(500);
        } catch (CmpayException e) {
            // Signature mismatch, malformed body, wrong order or amount: never SUCCESS.
            LOG.log(Level.WARNING, "cmpay notify refused: {0}", e.toString());
            return new Recorded(400);
        }
    }

    @Override
    public void close() {
        merchant.close();
    }
}
