package io.cmpay;

import static io.cmpay.examples.NotifyEndpoint.Recording.ALREADY_RECORDED;
import static io.cmpay.examples.NotifyEndpoint.Recording.CONFLICT;
import static io.cmpay.examples.NotifyEndpoint.Recording.RECORDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmpay.examples.JdbcShopOrders;
import io.cmpay.examples.NotifyEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The example's stores (JdbcShopOrders on SQLite, MemoryShopOrders): which orders exist, and a
 * payment recorded once by payNo and by the order's state (docs/resplit.md: a payNo is not unique per
 * payment, so an order already paid is never paid again by another payNo).
 */
class ShopOrdersTest {

    static void sql(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static List<String> rows(String url, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i == 1 ? "" : " ").append(r.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    @Test
    void jdbcRecordsOncePerPayNoAndPerOrder() throws Exception {
        Path dir = Files.createTempDirectory("cmpay-shop-");
        String url = "jdbc:sqlite:" + dir.resolve("shop.sqlite3");
        try {
            JdbcShopOrders shop = new JdbcShopOrders(url); // makes the tables
            sql(url, "INSERT INTO orders (order_id, amount_fen) VALUES ('B1', 3300), ('B120261206234512', 3300)");
            assertEquals(Long.valueOf(3300), shop.amountFen("B1"));
            assertEquals(null, shop.amountFen("B12"));
            assertEquals(new HashSet<>(Arrays.asList("B1", "B120261206234512")),
                    shop.existing(Arrays.asList("B1", "ICBC138****8000B1", "B120261206234512", "B")));
            assertTrue(shop.existing(new ArrayList<>()).isEmpty());

            assertEquals(RECORDED, shop.recordOnce("P1", "B1", 3300, true, "OfflineNotify"));
            assertEquals(ALREADY_RECORDED, shop.recordOnce("P1", "B1", 3300, true, "PageNotify")); // a resend
            assertEquals(CONFLICT, shop.recordOnce("P10", "B1", 3300, true, "OfflineNotify")); // another payNo: the order is paid
            assertEquals(RECORDED, shop.recordOnce("P2", "B1", 3300, false, "OfflineNotify")); // a failed attempt changes no order
            assertEquals(ALREADY_RECORDED, shop.recordOnce("P2", "B1", 3300, false, "OfflineNotify"));
            assertEquals(Arrays.asList("paid P1"), rows(url, "SELECT status, pay_no FROM orders WHERE order_id = 'B1'"));
            assertEquals(Arrays.asList("P1 paid 3300 OfflineNotify", "P2 failed 3300 OfflineNotify"),
                    rows(url, "SELECT pay_no, status, amount_fen, first_seen_via FROM payments ORDER BY pay_no"));
            // A payNo recorded for one order never pays another.
            assertEquals(CONFLICT, shop.recordOnce("P1", "B120261206234512", 3300, true, "OfflineNotify"));
            assertEquals(Arrays.asList("new null"), rows(url, "SELECT status, pay_no FROM orders WHERE order_id = 'B120261206234512'"));

            // Paid notifications for one order with different payNos, at once: one is recorded.
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<NotifyEndpoint.Recording>> results = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    String payNo = "Q" + t;
                    Callable<NotifyEndpoint.Recording> record = () -> shop.recordOnce(payNo, "B120261206234512", 3300, true, "OfflineNotify");
                    results.add(pool.submit(record));
                }
                int recorded = 0;
                for (Future<NotifyEndpoint.Recording> f : results) {
                    NotifyEndpoint.Recording r = f.get();
                    assertTrue(r == RECORDED || r == CONFLICT, r.toString());
                    recorded += r == RECORDED ? 1 : 0;
                }
                assertEquals(1, recorded);
            } finally {
                pool.shutdown();
            }
            List<String> order = rows(url, "SELECT status, pay_no FROM orders WHERE order_id = 'B120261206234512'");
            assertEquals(1, order.size());
            assertTrue(order.get(0).matches("paid Q[0-5]"), order.toString());
            assertEquals(Arrays.asList(order.get(0).substring(5)),
                    rows(url, "SELECT pay_no FROM payments WHERE order_id = 'B120261206234512'"));
        } finally {
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void memoryRecordsOncePerPayNoAndPerOrder() {
        NotifyEndpoint.MemoryShopOrders shop = new NotifyEndpoint.MemoryShopOrders();
        shop.orders.put("B1", 3300L);
        assertEquals(new HashSet<>(Arrays.asList("B1")), shop.existing(Arrays.asList("B1", "ORD", "B")));
        assertEquals(RECORDED, shop.recordOnce("P1", "B1", 3300, true, "OfflineNotify"));
        assertEquals(ALREADY_RECORDED, shop.recordOnce("P1", "B1", 3300, true, "PageNotify"));
        assertEquals(CONFLICT, shop.recordOnce("P10", "B1", 3300, true, "OfflineNotify"));
        assertEquals(RECORDED, shop.recordOnce("P2", "B1", 3300, false, "OfflineNotify"));
        assertEquals(ALREADY_RECORDED, shop.recordOnce("P2", "B1", 3300, false, "OfflineNotify"));
        assertEquals(CONFLICT, shop.recordOnce("P2", "B1", 3300, true, "OfflineNotify"));
        assertEquals(CONFLICT, shop.recordOnce("P1", "B2", 3300, false, "OfflineNotify"));
        assertEquals("P1", shop.paidBy.get("B1"));
        assertEquals(2, shop.payments.size());
        assertEquals("B1 3300 paid via OfflineNotify", shop.payments.get("P1"));
    }
}
