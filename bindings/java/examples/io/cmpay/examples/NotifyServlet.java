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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.ServletConfig;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A CMPay notify endpoint as a JSP shop writes it: a servlet. Point notifyUrl
 * (OfflineNotify, a server POST) and, for this example, callbackUrl
 * (PageNotify, the shopper's browser) at it.
 *
 * <p>It verifies the notification through libcmpay, checks it against the
 * shop's own order (merchantId, orderId, amount), records the payment once
 * per payNo, and only then answers exactly "SUCCESS". Anything else gets
 * "FAIL" (the gateway then sends the OfflineNotify again later).
 *
 * <p>web.xml init-params (or system properties of the same name):
 * cmpay.merchantId, and cmpay.signKey for MD5, or cmpay.privateKeyFile +
 * cmpay.gatewayKeyFile (PEM) for RSA; cmpay.jdbcUrl, the shop's database
 * ({@link JdbcShopOrders}; without it, an in-memory store for trying it out).
 * libcmpay: CMPAY_LIB or -Djna.library.path. Deployed as a WAR: webapp/ and
 * build-war.sh.
 */
public class NotifyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(NotifyServlet.class.getName());

    /** The shop's side: its orders and the payments it has recorded. Use your database. */
    public interface ShopOrders {
        /** The amount (fen) of an order the shop created, or null if it knows no such order. */
        Long amountFen(String orderId);

        /** Records a payment once: false when payNo was recorded before (a resend: still answer SUCCESS). */
        boolean recordOnce(String payNo, String orderId, long amountFen, boolean paid, String via);
    }

    /** An in-memory ShopOrders for the example and its test. */
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

    private transient Merchant merchant; // immutable and thread-safe: one per application
    private String merchantId;
    private transient ShopOrders orders;

    /** What a container uses: configured in init(). */
    public NotifyServlet() {
    }

    public NotifyServlet(Merchant merchant, String merchantId, ShopOrders orders) {
        this.merchant = merchant;
        this.merchantId = merchantId;
        this.orders = orders;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        if (merchant != null) {
            return;
        }
        merchantId = setting(config, "cmpay.merchantId");
        String key = setting(config, "cmpay.signKey");
        try {
            merchant = key != null && !key.isEmpty()
                    ? Merchant.md5(merchantId, key)
                    : Merchant.rsa(merchantId, Files.readAllBytes(Paths.get(setting(config, "cmpay.privateKeyFile"))),
                            Files.readAllBytes(Paths.get(setting(config, "cmpay.gatewayKeyFile"))));
        } catch (IOException | CmpayException e) {
            throw new ServletException("cmpay merchant: " + e, e);
        }
        String jdbcUrl = setting(config, "cmpay.jdbcUrl");
        try {
            orders = jdbcUrl != null && !jdbcUrl.isEmpty() ? new JdbcShopOrders(jdbcUrl) : new MemoryShopOrders();
        } catch (java.sql.SQLException e) {
            throw new ServletException("cmpay shop database: " + e, e);
        }
    }

    @Override
    public void destroy() {
        if (merchant != null) {
            merchant.close();
        }
    }

    private static String setting(ServletConfig config, String name) {
        String v = config.getInitParameter(name);
        return v != null ? v : System.getProperty(name);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // OfflineNotify: the raw body. Never getParameter(): the container decodes it.
        handle(readAll(req.getInputStream(), 65537), resp);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // PageNotify: the raw query string of the redirect, as sent.
        String q = req.getQueryString();
        handle(q == null ? new byte[0] : q.getBytes(StandardCharsets.ISO_8859_1), resp);
    }

    private void handle(byte[] body, HttpServletResponse resp) throws IOException {
        int status;
        String answer;
        try (Notification n = merchant.parseNotification(body)) { // verified, or an exception
            Long amount = orders.amountFen(n.orderId());
            if (amount == null) {
                answer(resp, 404, "FAIL unknown order");
                return;
            }
            // About the order we created, for its amount? (CmpayFieldException if not.)
            n.checkOrder(merchantId, n.orderId(), amount);
            // Process a payment once: resends and the PageNotify carry the same payNo.
            orders.recordOnce(n.payNo(), n.orderId(), n.amount(), n.isPaid(), n.type());
            // Recorded: now, and only now, the answer that stops the resends. (For a PageNotify a
            // shop may forward to its "thank you" JSP instead, after the same steps.)
            status = 200;
            answer = n.ack();
        } catch (IllegalStateException e) { // the database: not recorded, so not SUCCESS
            LOG.log(Level.SEVERE, "cmpay notify not recorded: {0}", e.toString());
            status = 500;
            answer = "FAIL";
        } catch (CmpayException e) {
            // Signature mismatch, malformed body, wrong order or amount: never SUCCESS.
            LOG.log(Level.WARNING, "cmpay notify refused: {0}", e.toString());
            status = 400;
            answer = "FAIL";
        }
        answer(resp, status, answer);
    }

    private static void answer(HttpServletResponse resp, int status, String text) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain");
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        resp.setContentLength(b.length);
        resp.getOutputStream().write(b);
    }

    private static byte[] readAll(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while (out.size() < limit && (n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray(); // over 64 KiB: the library refuses it as malformed
    }
}
