package io.cmpay.examples;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The shop's orders and payments in a database, through JDBC: SQLite
 * ({@code jdbc:sqlite:/var/lib/shop/shop.sqlite3}) as the embedded default,
 * PostgreSQL ({@code jdbc:postgresql://db/shop?user=shop}) as the store that
 * several servers share. The same tables as the PHP and Python examples: payNo
 * is the payments' primary key, and a paid order is paid once: the order's
 * update (only from a state other than paid) and the payment's insert are one
 * transaction, so a payment is recorded once whichever notification, thread or
 * server comes first, and an order already paid is never paid again by
 * another payNo. (A shop with a pool uses its DataSource instead of
 * connecting itself.)
 */
public final class JdbcShopOrders implements NotifyEndpoint.ShopOrders {

    static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, amount_fen BIGINT NOT NULL,"
            + " status TEXT NOT NULL DEFAULT 'new', pay_no TEXT)",
        "CREATE TABLE IF NOT EXISTS payments (pay_no TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount_fen BIGINT NOT NULL,"
            + " status TEXT NOT NULL, first_seen_via TEXT NOT NULL, recorded_at BIGINT NOT NULL)",
    };

    private final String url;
    private final Driver driver;

    public JdbcShopOrders(String url) throws SQLException {
        this.url = url;
        this.driver = driver(url);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : SCHEMA) {
                s.execute(sql);
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (url.startsWith("jdbc:sqlite:")) {
            p.setProperty("busy_timeout", "10000"); // wait for another thread's write
            p.setProperty("journal_mode", "WAL");
        }
        return driver.connect(url, p);
    }

    /**
     * The JDBC driver for the URL among those this web application carries
     * (WEB-INF/lib). Not DriverManager: a container that loaded DriverManager
     * before the application (Tomcat does) never registers the application's
     * drivers with it.
     */
    private static Driver driver(String url) throws SQLException {
        for (Driver d : ServiceLoader.load(Driver.class, JdbcShopOrders.class.getClassLoader())) {
            if (d.acceptsURL(url)) {
                return d;
            }
        }
        throw new SQLException("no JDBC driver for " + url.replaceAll("\\?.*", "") + " on the classpath");
    }

    @Override
    public Long amountFen(String orderId) {
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement("SELECT amount_fen FROM orders WHERE order_id = ?")) {
            q.setString(1, orderId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the shop's database: " + e.getMessage(), e);
        }
    }

    /** One query: {@code SELECT order_id FROM orders WHERE order_id IN (...)}. */
    @Override
    public Set<String> existing(Collection<String> orderIds) {
        Set<String> known = new HashSet<>();
        if (orderIds.isEmpty()) {
            return known;
        }
        StringBuilder sql = new StringBuilder("SELECT order_id FROM orders WHERE order_id IN (");
        for (int i = 0; i < orderIds.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement(sql.append(')').toString())) {
            int i = 1;
            for (String id : orderIds) {
                q.setString(i++, id);
            }
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    known.add(r.getString(1));
                }
            }
            return known;
        } catch (SQLException e) {
            throw new IllegalStateException("the shop's database: " + e.getMessage(), e);
        }
    }

    @Override
    public NotifyEndpoint.Recording recordOnce(String payNo, String orderId, long amountFen, boolean paid, String via) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                // A paid notification pays the order only from a state other than paid: the
                // update comes first, so that concurrent notifications for one order wait on
                // its row (PostgreSQL) or on the database's write lock (SQLite), and the second
                // finds it paid.
                if (paid) {
                    try (PreparedStatement up = c.prepareStatement(
                            "UPDATE orders SET status = 'paid', pay_no = ? WHERE order_id = ? AND status <> 'paid'")) {
                        up.setString(1, payNo);
                        up.setString(2, orderId);
                        if (up.executeUpdate() != 1) {
                            String by = paidBy(c, orderId);
                            c.rollback();
                            if (by == null) {
                                throw new IllegalStateException("the shop's database: no order " + orderId);
                            }
                            // Paid under this payNo: a resend. Under another: never a second payment.
                            return by.equals(payNo) ? NotifyEndpoint.Recording.ALREADY_RECORDED : NotifyEndpoint.Recording.CONFLICT;
                        }
                    }
                }
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO payments (pay_no, order_id, amount_fen, status, first_seen_via, recorded_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pay_no) DO NOTHING")) {
                    ins.setString(1, payNo);
                    ins.setString(2, orderId);
                    ins.setLong(3, amountFen);
                    ins.setString(4, paid ? "paid" : "failed");
                    ins.setString(5, via);
                    ins.setLong(6, System.currentTimeMillis() / 1000);
                    if (ins.executeUpdate() == 1) {
                        c.commit();
                        return NotifyEndpoint.Recording.RECORDED;
                    }
                }
                // That payNo is in the books already: the order stays as it was. The same failed
                // payment again is a resend; anything else is not this payment.
                c.rollback();
                return !paid && "failed".equals(recorded(c, payNo, orderId))
                        ? NotifyEndpoint.Recording.ALREADY_RECORDED : NotifyEndpoint.Recording.CONFLICT;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the shop's database: " + e.getMessage(), e);
        }
    }

    /** The status of the payment recorded under payNo for the order, or null. */
    private static String recorded(Connection c, String payNo, String orderId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT status FROM payments WHERE pay_no = ? AND order_id = ?")) {
            q.setString(1, payNo);
            q.setString(2, orderId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /** The payNo that paid the order, or null (not paid, or no such order). */
    private static String paidBy(Connection c, String orderId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT pay_no FROM orders WHERE order_id = ? AND status = 'paid'")) {
            q.setString(1, orderId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }
}
