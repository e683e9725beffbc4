package io.cmpay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.cmpay.Client;
import io.cmpay.CmpayException;
import io.cmpay.CmpayGatewayException;
import io.cmpay.CmpayInvalidInputException;
import io.cmpay.CmpayNetworkTimeoutException;
import io.cmpay.CmpayNotFoundException;
import io.cmpay.Notification;
import io.cmpay.OrderStatus;
import io.cmpay.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A shop's test as the README shows it: the extension's in-process simulator pays an order, the
 * shop's notify endpoint (the JDK's HTTP server here) records the OfflineNotify and acknowledges
 * it, and the gateway's query answer says paid.
 */
@ExtendWith(CmpaySandboxExtension.class)
class CmpaySandboxExtensionTest {
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** The shop's notify endpoint: records "orderId" to "payNo amount" for each paid notification, answers its ack. */
    static final class Shop implements AutoCloseable {
        final Map<String, String> paid = new ConcurrentHashMap<>();
        final Map<String, String> notPaid = new ConcurrentHashMap<>();
        final HttpServer server;
        final String notifyUrl;

        Shop(Client client) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/notify", exchange -> {
                byte[] answer;
                int status = 200;
                try (InputStream in = exchange.getRequestBody(); Notification n = client.parseNotification(readAll(in))) {
                    if (n.isPaid()) {
                        paid.put(n.orderId(), n.payNo() + " " + n.amount());
                    } else {
                        notPaid.put(n.orderId(), n.field("status"));
                    }
                    answer = n.ack().getBytes(StandardCharsets.US_ASCII);
                } catch (CmpayException e) {
                    status = 400;
                    answer = e.getMessage().getBytes(StandardCharsets.UTF_8);
                }
                exchange.sendResponseHeaders(status, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            });
            server.start();
            notifyUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static Client client;
    static Shop shop;
    static Sandbox started;

    @BeforeAll
    static void startShop(Sandbox sandbox) throws IOException {
        started = sandbox;
        client = sandbox.client();
        shop = new Shop(client);
    }

    @AfterAll
    static void stopShop() {
        if (shop != null) {
            shop.close();
        }
        if (client != null) {
            client.close();
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0;) {
            b.write(buf, 0, n);
        }
        return b.toByteArray();
    }

    static String newOrder(Client client, long amount, String notifyUrl) {
        String orderId = "JT" + System.currentTimeMillis() % 100000000 + "x" + SEQ.incrementAndGet();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("orderId", orderId);
        p.put("amount", amount);
        p.put("notifyUrl", notifyUrl);
        p.put("callbackUrl", notifyUrl);
        p.put("ipAddress", "127.0.0.1");
        p.put("orderDate", "20260301");
        p.put("merAcDate", "20260301");
        p.put("period", "30");
        p.put("periodUnit", "02");
        p.put("merchantAbbr", "测试商户");
        p.put("productName", "测试商品");
        try (Response order = client.createOrder(p)) {
            assertFalse(order.payUrl().sessionId.isEmpty(), "the order answer has a payUrl");
        }
        return orderId;
    }

    @Test
    void paysAnOrderAndTheQuerySaysPaid(Sandbox sandbox) {
        String orderId = newOrder(client, 12800, shop.notifyUrl);
        try (Response q = client.queryOrder(orderId)) {
            assertEquals(OrderStatus.PENDING, q.orderStatus(), "not paid before pay()");
        }
        sandbox.pay(orderId);
        sandbox.waitNotified(orderId, Duration.ofSeconds(20));

        String record = shop.paid.get(orderId);
        assertTrue(record != null && record.endsWith(" 12800"), "the shop recorded the payment: " + record);
        try (Response q = client.queryOrder(orderId)) {
            assertEquals(OrderStatus.PAID, q.orderStatus());
            assertEquals(Long.valueOf(12800), q.amount());
            assertEquals(orderId, q.orderId());
            assertEquals(record.split(" ")[0], q.payNo(), "the query answer's payNo is the notified one");
        }
        String deliveries = sandbox.deliveriesJson();
        assertTrue(deliveries.startsWith("[") && deliveries.contains(orderId) && deliveries.contains(shop.notifyUrl), deliveries);
    }

    @Test
    void aFailedPaymentIsNotifiedAndQueriedAsFailed(Sandbox sandbox) {
        String orderId = newOrder(client, 500, shop.notifyUrl);
        sandbox.fail(orderId);
        sandbox.waitNotified(orderId, Duration.ofSeconds(20));
        assertFalse(shop.paid.containsKey(orderId));
        assertTrue(shop.notPaid.containsKey(orderId), "the failure was notified: " + shop.notPaid);
        try (Response q = client.queryOrder(orderId)) {
            assertEquals(OrderStatus.FAILED, q.orderStatus());
        }
    }

    @Test
    void anExpiredOrderCannotBePaid(Sandbox sandbox) {
        String orderId = newOrder(client, 700, shop.notifyUrl);
        sandbox.expire(orderId);
        CmpayGatewayException expired = assertThrows(CmpayGatewayException.class, () -> client.queryOrder(orderId));
        assertEquals("RPM99981", expired.returnCode());
        CmpayInvalidInputException refused = assertThrows(CmpayInvalidInputException.class, () -> sandbox.pay(orderId));
        assertTrue(refused.getMessage().contains("expired"), refused.getMessage());
        assertThrows(CmpayNetworkTimeoutException.class, () -> sandbox.waitNotified(orderId, Duration.ZERO));
        assertFalse(shop.paid.containsKey(orderId));
    }

    @Test
    void badInputIsRefusedWithAStatus(Sandbox sandbox) {
        CmpayNotFoundException unknown = assertThrows(CmpayNotFoundException.class, () -> sandbox.pay("no-such-order"));
        assertTrue(unknown.getMessage().contains("unknown-order"), unknown.getMessage());
        assertThrows(CmpayNotFoundException.class, () -> sandbox.waitNotified("no-such-order", Duration.ofMillis(10)));
        assertThrows(CmpayInvalidInputException.class, () -> sandbox.pay("a\0b"));
        assertThrows(NullPointerException.class, () -> sandbox.pay(null));
        assertThrows(CmpayInvalidInputException.class, () -> sandbox.waitNotified("x", Duration.ofMillis(-1)));
        assertThrows(CmpayInvalidInputException.class, () -> sandbox.waitNotified("x", Duration.ofDays(60)));
        String orderId = newOrder(client, 100, shop.notifyUrl);
        // Never paid: nothing is delivered, and the wait ends with a timeout, not a hang.
        long start = System.nanoTime();
        CmpayNetworkTimeoutException notNotified = assertThrows(CmpayNetworkTimeoutException.class,
                () -> sandbox.waitNotified(orderId, Duration.ofMillis(300)));
        assertTrue(notNotified.getMessage().contains("not acknowledged"), notNotified.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "the wait ended near its timeout");
        sandbox.pay(orderId);
        CmpayInvalidInputException twice = assertThrows(CmpayInvalidInputException.class, () -> sandbox.pay(orderId));
        assertTrue(twice.getMessage().contains("already-paid"), twice.getMessage());
    }

    @Test
    void overPlainHttpThereIsNoCa(Sandbox sandbox) {
        assertSame(started, sandbox, "one simulator for the class");
        assertTrue(sandbox.endpoint().startsWith("http://127.0.0.1:"), sandbox.endpoint());
        assertEquals("", sandbox.caPem());
        assertTrue(sandbox.notifyUrl().startsWith("http://127.0.0.1:"), sandbox.notifyUrl());
    }

    @Test
    void anOrderNotifiedToTheSimulatorsOwnNotifyUrl(Sandbox sandbox) {
        String orderId = newOrder(client, 900, sandbox.notifyUrl());
        sandbox.pay(orderId);
        sandbox.waitNotified(orderId, Duration.ofSeconds(20));
        assertTrue(sandbox.deliveriesJson().contains(orderId));
        assertFalse(shop.paid.containsKey(orderId), "not the shop's endpoint");
    }

    @Nested
    class Nested1 {
        @Test
        void sharesTheEnclosingClassSimulator(Sandbox sandbox) {
            assertSame(started, sandbox);
            String orderId = newOrder(client, 300, shop.notifyUrl);
            sandbox.pay(orderId); // the client of the outer class: the same simulator
            sandbox.waitNotified(orderId, Duration.ofSeconds(20));
            assertTrue(shop.paid.containsKey(orderId));
        }
    }
}
