package io.cmpay.bench;

import io.cmpay.Client;
import io.cmpay.Merchant;
import io.cmpay.examples.NotifyEndpoint;
import io.cmpay.examples.NotifyServlet;

/**
 * Throughput benchmark (BENCHMARKS.md, bench/servers/bench_servers.py): the
 * example's notify servlet and endpoint, unchanged (NotifyEndpoint.handle:
 * parse + verify through libcmpay, ruling out the other readings' orders, the
 * order check, the record, "SUCCESS"), with a shop store that does nothing:
 * every order of the benchmark's bodies (BENCH and 8 digits) is known at
 * 128.00 yuan, no other order is, and every payment is "recorded". Their
 * other readings name orders the shop does not have (mobile slid into
 * orderId), so no notification is confirmed with the gateway. Settings: the
 * system properties cmpay.merchantId and cmpay.signKey (cmpay.endpoint and
 * cmpay.allowHttp for the client, as the example's). Do not deploy this: the
 * example's NotifyServlet is the endpoint to deploy.
 */
public final class NotifyLibServlet extends NotifyServlet {
    private static final long serialVersionUID = 1L;

    /** The once-only store as a no-op. */
    public static final class NoStore implements NotifyEndpoint.ShopOrders {
        @Override
        public Long amountFen(String orderId) {
            return orderId.length() == 13 && orderId.startsWith("BENCH") ? 12800L : null;
        }

        @Override
        public NotifyEndpoint.Recording recordOnce(String payNo, String orderId, long amountFen, boolean paid, String via) {
            return NotifyEndpoint.Recording.RECORDED;
        }
    }

    public NotifyLibServlet() {
        super(endpoint());
    }

    private static NotifyEndpoint endpoint() {
        Merchant m = Merchant.md5(System.getProperty("cmpay.merchantId"), System.getProperty("cmpay.signKey"));
        return new NotifyEndpoint(m, System.getProperty("cmpay.merchantId"), client(m), new NoStore());
    }

    /** The client the example's endpoint confirms with (system properties cmpay.endpoint, cmpay.allowHttp). */
    public static Client client(Merchant m) {
        try (Client.Config c = new Client.Config()) {
            String endpoint = System.getProperty("cmpay.endpoint", "");
            if (!endpoint.isEmpty()) {
                c.endpoint(endpoint);
            }
            return new Client(m, c.allowHttp(Boolean.getBoolean("cmpay.allowHttp")));
        }
    }
}
