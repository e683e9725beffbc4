package io.cmpay.bench;

import io.cmpay.examples.NotifyEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Throughput benchmark baseline for the example's full path
 * (BENCHMARKS.md, bench/servers/bench_servers.py): NotifyNativeServlet's
 * check (the 2011 kit's split, URLDecoder, join, HMAC-MD5 twice, constant-time
 * compare), then what NotifyEndpoint.handle does after the parse, in plain
 * Java on the decoded fields: the order's amount from the same no-op store
 * (NotifyLibServlet.NoStore), the order check (merchantId, orderId, amount as
 * an integer number of fen), payNo, amount, paid (status SUCCESS and a
 * success returnCode), type, the record, "SUCCESS". So /bench/lib and this
 * endpoint do the same work, one through libcmpay and one natively. No field
 * formats checked, no charset handling: do not deploy this.
 * Settings: the system properties cmpay.merchantId, cmpay.signKey and
 * cmpay.notifyFields (NotifyNativeServlet's).
 */
public final class NotifyNativeFullServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient NotifyEndpoint.ShopOrders orders = new NotifyLibServlet.NoStore();

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int status;
        try {
            status = handle(NotifyNativeServlet.readAll(req.getInputStream(), 65537),
                    System.getProperty("cmpay.merchantId"), System.getProperty("cmpay.signKey"), orders);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        byte[] answer = (status == 200 ? "SUCCESS" : "FAIL").getBytes(StandardCharsets.US_ASCII);
        resp.setStatus(status);
        resp.setContentType("text/plain");
        resp.setContentLength(answer.length);
        resp.getOutputStream().write(answer);
    }

    /**
     * The example's path done natively: the HTTP status to answer (200 with SUCCESS, else FAIL)
     * (public for NotifyCost, which times it outside the server).
     */
    public static int handle(byte[] raw, String merchantId, String signKey, NotifyEndpoint.ShopOrders orders)
            throws IOException, GeneralSecurityException {
        Map<String, String> f = NotifyNativeServlet.verified(raw, signKey);
        if (f == null) {
            return 400;
        }
        String orderId = f.get("orderId");
        if (orderId == null) {
            return 400;
        }
        Long expected = orders.amountFen(orderId);
        if (expected == null) {
            return 404;
        }
        long amount = fen(f.get("amount"));
        // The order check: the same three comparisons as cmpay_notification_check_order.
        if (!merchantId.equals(f.get("merchantId")) || !orderId.equals(f.get("orderId")) || amount != expected) {
            return 400;
        }
        String payNo = f.get("payNo");
        String type = f.get("type");
        if (payNo == null || type == null) {
            return 400;
        }
        String returnCode = f.get("returnCode");
        boolean paid = "SUCCESS".equals(f.get("status")) && ("000000".equals(returnCode) || "MCG00000".equals(returnCode));
        orders.recordOnce(payNo, orderId, amount, paid, type);
        return 200;
    }

    /** An integer number of fen (digits only, as the library reads amount), or -1. */
    private static long fen(String v) {
        if (v == null || v.isEmpty() || v.length() > 18) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(v);
    }
}
