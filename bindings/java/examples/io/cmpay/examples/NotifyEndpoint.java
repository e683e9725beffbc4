package io.cmpay.examples;

import io.cmpay.Client;
import io.cmpay.CmpayAmbiguousException;
import io.cmpay.CmpayException;
import io.cmpay.CmpayGatewayException;
import io.cmpay.CmpayNetworkException;
import io.cmpay.CmpayNotConfirmedException;
import io.cmpay.Merchant;
import io.cmpay.Notification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>It verifies the notification through libcmpay, finds the shop's order for
 * its orderId, makes sure the notification means only that order
 * (docs/resplit.md: the signed source of a genuine notification may also read as
 * paying another order, so each other order id it could name that is none of
 * the shop's is ruled out, and one still ambiguous is confirmed with the
 * gateway by an order query), checks it against the order (merchantId,
 * orderId, amount), records the payment once per payNo and per order
 * ({@link #record}), and only then answers exactly "SUCCESS" ({@link #handle},
 * the notifyUrl). Anything else gets "FAIL" (the gateway then sends the
 * OfflineNotify again later). At the callbackUrl the shopper's browser brings
 * the PageNotify: {@link #returnPage} takes the same steps, then shows the
 * payment as a page ({@link ReturnPage}).
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

        /**
         * Which of {@code orderIds} are orders the shop created (the others are none of its
         * orders: a notification that could be read as paying one of those pays nothing). One
         * query in a database; this default asks {@link #amountFen} about each.
         */
        default Set<String> existing(Collection<String> orderIds) {
            Set<String> known = new HashSet<>();
            for (String id : orderIds) {
                if (amountFen(id) != null) {
                    known.add(id);
                }
            }
            return known;
        }

        /**
         * Records a payment once, by its payNo and, for a paid one, by the order's state: an order
         * already paid is never paid again, whatever the payNo.
         */
        Recording recordOnce(String payNo, String orderId, long amountFen, boolean paid, String via);
    }

    /** What {@link ShopOrders#recordOnce} came to. */
    public enum Recording {
        /** Recorded now. */
        RECORDED,
        /** Recorded before under this payNo, for this order (a resend, or the other notification): answer SUCCESS again. */
        ALREADY_RECORDED,
        /**
         * Not recorded: the order was already paid under another payNo, or this payNo was recorded
         * otherwise (another order, a failure). Never a second payment in the books: answer FAIL
         * (409) and let a person look (a shopper who paid twice is refunded).
         */
        CONFLICT
    }

    /** An in-memory ShopOrders for trying the example out and for its test. */
    public static final class MemoryShopOrders implements ShopOrders {
        public final Map<String, Long> orders = new ConcurrentHashMap<>();
        /** payNo to "orderId amount paid|failed via type". */
        public final Map<String, String> payments = new ConcurrentHashMap<>();
        /** The paid orders: orderId to the payNo that paid it. */
        public final Map<String, String> paidBy = new ConcurrentHashMap<>();

        @Override
        public Long amountFen(String orderId) {
            return orders.get(orderId);
        }

        @Override
        public synchronized Recording recordOnce(String payNo, String orderId, long amountFen, boolean paid, String via) {
            String by = paidBy.get(orderId);
            if (paid && by != null) {
                return by.equals(payNo) ? Recording.ALREADY_RECORDED : Recording.CONFLICT;
            }
            String before = payments.get(payNo);
            if (before != null) {
                return !paid && before.startsWith(orderId + " ") && before.contains(" failed ")
                        ? Recording.ALREADY_RECORDED : Recording.CONFLICT;
            }
            if (paid) {
                paidBy.put(orderId, payNo);
            }
            payments.put(payNo, orderId + " " + amountFen + " " + (paid ? "paid" : "failed") + " via " + via);
            return Recording.RECORDED;
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
     * What a notification came to: the HTTP status (200 recorded, 400 refused: not verified, not
     * about that order and amount, or ambiguous and not confirmed by the gateway; 404 an order
     * the shop does not know; 409 not recorded, the order was already paid under another payNo;
     * 500 not recorded, the database failed; 503 not recorded, the gateway could not be asked to
     * confirm it just now) and, when recorded, the verified payment.
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
    private final Client client;
    private final ShopOrders orders;

    /**
     * {@code client}: the merchant's client for the gateway the shop creates its orders at (it
     * confirms the notifications that stay ambiguous). The endpoint closes both in {@link #close}.
     */
    public NotifyEndpoint(Merchant merchant, String merchantId, Client client, ShopOrders orders) {
        this.merchant = merchant;
        this.merchantId = merchantId;
        this.client = client;
        this.orders = orders;
    }

    /**
     * The endpoint a deployment describes: cmpay.merchantId, and cmpay.signKey
     * for MD5, or cmpay.privateKeyFile + cmpay.gatewayKeyFile (PEM) for RSA;
     * cmpay.endpoint, the gateway the shop creates its orders at (where an
     * ambiguous notification is confirmed; unset or empty: the library's
     * default, the live gateway) and cmpay.allowHttp ("true" for a test
     * gateway on plain http only); cmpay.jdbcUrl, the shop's database
     * ({@link JdbcShopOrders}; without it, an in-memory store for trying it
     * out, one per application so that the notify endpoint and the return page
     * share it). Each from {@code settings}, else the system property of that name.
     *
     * @throws IllegalStateException with the reason, when the settings do not make a merchant, a client or a store
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
        Client client;
        try (Client.Config config = new Client.Config()) {
            String endpoint = setting(settings, "cmpay.endpoint");
            if (endpoint != null && !endpoint.isEmpty()) {
                config.endpoint(endpoint);
            }
            config.allowHttp("true".equals(setting(settings, "cmpay.allowHttp")));
            // The gateway's notification waits on the order query: 10 s at most (the default is 30).
            config.timeoutMillis(10_000);
            client = new Client(merchant, config);
        } catch (CmpayException e) {
            merchant.close();
            throw new IllegalStateException("cmpay client (cmpay.endpoint, cmpay.allowHttp): " + e, e);
        }
        String jdbcUrl = setting(settings, "cmpay.jdbcUrl");
        try {
            return new NotifyEndpoint(merchant, merchantId, client,
                    jdbcUrl != null && !jdbcUrl.isEmpty() ? new JdbcShopOrders(jdbcUrl) : TRY_OUT_ORDERS);
        } catch (SQLException e) {
            client.close();
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
     * Verifies a notification, makes sure it means only the shop's order, checks it against that
     * order and records its payment once, whichever of PageNotify, OfflineNotify or a resend
     * comes first.
     */
    public Recorded record(byte[] raw) {
        try (Notification n = merchant.parseNotification(raw)) { // verified, or an exception
            String orderId = n.orderId();
            Long amount = orders.amountFen(orderId);
            if (amount == null) {
                return new Recorded(404);
            }
            // The same signed bytes may also read as paying other orders (docs/resplit.md): a reading
            // naming an order the shop never created pays nothing, so it is ruled out.
            List<String> others = n.otherOrderIds();
            if (!others.isEmpty()) {
                Set<String> known = orders.existing(others);
                for (String other : others) {
                    if (!known.contains(other)) {
                        n.ruleOut(other);
                    }
                }
            }
            // Still ambiguous (it could pay another order of the shop's, or another amount or
            // payNo): only the gateway can say which was meant. An order query; it throws unless
            // the gateway agrees on the status, amount and payNo.
            if (n.isAmbiguous()) {
                client.confirm(n);
            }
            // About the order we created, for its amount, and only that? (CmpayFieldException,
            // CmpayAmbiguousException if not.)
            n.checkOrder(merchantId, orderId, amount);
            // Process a payment once: resends and the PageNotify carry the same payNo, and a paid
            // order is not paid again.
            long fen = n.amount();
            boolean paid = n.isPaid();
            if (orders.recordOnce(n.payNo(), orderId, fen, paid, n.type()) == Recording.CONFLICT) {
                LOG.log(Level.WARNING, "cmpay notify not recorded: order {0} was already paid under another payNo than {1}"
                        + " (or that payNo was recorded otherwise): look at it", new Object[] {orderId, n.payNo()});
                return new Recorded(409);
            }
            return new Recorded(200, orderId, fen, n.payNo(), paid, n.ack());
        } catch (IllegalStateException e) { // the database: not recorded, so not SUCCESS
            LOG.log(Level.SEVERE, "cmpay notify not recorded: {0}", e.toString());
            return new Recorded(500);
        } catch (CmpayNotConfirmedException | CmpayAmbiguousException e) {
            // The gateway's answer does not say this payment for this order (a re-split of another
            // order's notification reads this way): record nothing, ever.
            LOG.log(Level.WARNING, "cmpay notify not confirmed by the gateway, refused: {0}", e.toString());
            return new Recorded(400);
        } catch (CmpayGatewayException | CmpayNetworkException e) {
            // The gateway could not confirm it just now: not recorded; it sends the notification again.
            LOG.log(Level.WARNING, "cmpay notify ambiguous and not confirmed yet (the order query failed): {0}", e.toString());
            return new Recorded(503);
        } catch (CmpayException e) {
            // Signature mismatch, malformed body, wrong order or amount: never SUCCESS.
            LOG.log(Level.WARNING, "cmpay notify refused: {0}", e.toString());
            return new Recorded(400);
        }
    }

    @Override
    public void close() {
        client.close();
        merchant.close();
    }
}
