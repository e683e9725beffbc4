package io.cmpay.bench;

import io.cmpay.Merchant;
import io.cmpay.examples.NotifyEndpoint;
import io.cmpay.examples.NotifyServlet;

/**
 * Throughput benchmark (BENCHMARKS.md, tests/servers/bench_servers.py): the
 * example's notify servlet and endpoint, unchanged (NotifyEndpoint.handle:
 * parse + verify through libcmpay, the order check, the record, "SUCCESS"),
 * with a shop store that does nothing:
 * every order is known at 128.00 yuan (the benchmark's bodies) and every
 * payment "recorded". Settings: the system properties cmpay.merchantId and
 * cmpay.signKey. Do not deploy this: the example's NotifyServlet is the
 * endpoint to deploy.
 */
public final class NotifyLibServlet extends NotifyServlet {
    private static final long serialVersionUID = 1L;

    /** The once-only store as a no-op. */
    public static final class NoStore implements NotifyEndpoint.ShopOrders {
        @Override
        public Long amountFen(String orderId) {
            return 12800L;
        }

        @Override
        public boolean recordOnce(String payNo, String orderId, long amountFen, boolean paid, String via) {
            return true;
        }
    }

    public NotifyLibServlet() {
        super(new NotifyEndpoint(Merchant.md5(System.getProperty("cmpay.merchantId"), System.getProperty("cmpay.signKey")),
                System.getProperty("cmpay.merchantId"), new NoStore()));
    }
}
