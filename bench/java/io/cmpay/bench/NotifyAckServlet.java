package io.cmpay.bench;

import io.cmpay.CmpayException;
import io.cmpay.Merchant;
import io.cmpay.Notification;
import io.cmpay.examples.NotifyEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Throughput benchmark (BENCHMARKS.md, bench/servers/bench_servers.py): the
 * same work as the native endpoint, through libcmpay: parse + verify, then
 * the answer (ack), as the PHP and Python benchmark endpoints do; no order
 * check and no record, which the example's path (NotifyLibServlet) adds.
 * Settings: the system properties cmpay.merchantId and cmpay.signKey.
 */
public final class NotifyAckServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Merchant merchant =
            Merchant.md5(System.getProperty("cmpay.merchantId"), System.getProperty("cmpay.signKey"));

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int status = 200;
        String text;
        try (Notification n = merchant.parseNotification(NotifyEndpoint.rawNotification("POST", null, req.getInputStream()))) {
            text = n.ack();
        } catch (CmpayException e) {
            status = 400;
            text = "FAIL";
        }
        byte[] answer = text.getBytes(StandardCharsets.US_ASCII);
        resp.setStatus(status);
        resp.setContentType("text/plain");
        resp.setContentLength(answer.length);
        resp.getOutputStream().write(answer);
    }

    @Override
    public void destroy() {
        merchant.close();
    }
}
