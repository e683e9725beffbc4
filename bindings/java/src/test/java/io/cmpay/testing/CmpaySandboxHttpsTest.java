package io.cmpay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmpay.Client;
import io.cmpay.CmpayGatewayException;
import io.cmpay.CmpayTlsException;
import io.cmpay.Merchant;
import io.cmpay.OrderStatus;
import io.cmpay.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension registered as a static field for HTTPS: the simulator's client trusts its generated CA. */
class CmpaySandboxHttpsTest {
    @RegisterExtension
    static CmpaySandboxExtension extension = CmpaySandboxExtension.https();

    static Sandbox started;

    @BeforeAll
    static void keep(Sandbox sandbox) {
        started = sandbox;
    }

    @Test
    void paysOverHttps(Sandbox sandbox) throws IOException {
        assertSame(started, sandbox);
        assertTrue(sandbox.endpoint().startsWith("https://127.0.0.1:"), sandbox.endpoint());
        assertTrue(sandbox.caPem().startsWith("-----BEGIN CERTIFICATE-----"), sandbox.caPem());
        try (Client c = sandbox.client(); CmpaySandboxExtensionTest.Shop shop = new CmpaySandboxExtensionTest.Shop(c)) {
            String orderId = CmpaySandboxExtensionTest.newOrder(c, 2500, shop.notifyUrl);
            sandbox.pay(orderId);
            sandbox.waitNotified(orderId, Duration.ofSeconds(20));
            assertTrue(shop.paid.containsKey(orderId));
            try (Response q = c.queryOrder(orderId)) {
                assertEquals(OrderStatus.PAID, q.orderStatus());
                assertEquals(Long.valueOf(2500), q.amount());
            }
        }
    }

    @Test
    void aClientWithoutTheCaIsRefused(Sandbox sandbox) {
        assertSame(started, sandbox);
        // The shop's own client, configured for the simulator's endpoint but not its CA: TLS fails.
        try (Merchant m = sandbox.merchant(); Client c = new Client(m, new Client.Config().endpoint(sandbox.endpoint()))) {
            assertThrows(CmpayTlsException.class, () -> c.queryOrder("any"));
        }
        // With it: the query reaches the simulator (no such order is the gateway's own answer).
        Client.Config withCa = new Client.Config().endpoint(sandbox.endpoint()).addCaPem(sandbox.caPem().getBytes(StandardCharsets.US_ASCII));
        try (Merchant m = sandbox.merchant(); Client c = new Client(m, withCa)) {
            assertThrows(CmpayGatewayException.class, () -> c.queryOrder("none-such"));
        }
    }
}
