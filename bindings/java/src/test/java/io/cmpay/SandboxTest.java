package io.cmpay;

import static io.cmpay.Support.MERCHANT_ID;
import static io.cmpay.Support.newOrderId;
import static io.cmpay.Support.orderParams;
import static io.cmpay.Support.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cmpay.examples.NotifyEndpoint;
import io.cmpay.examples.NotifyServlet;
import io.cmpay.examples.ReturnPage;
import io.cmpay.examples.ReturnServlet;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the gateway simulator: the client (create, query, refund, gateway errors,
 * timeouts), and the example NotifyServlet served on the JDK's HTTP server, to which the
 * sandbox delivers PageNotify (through the "browser") and OfflineNotify (its own POSTs).
 */
class SandboxTest {
    static Support.Sandbox sandbox;
    static Merchant merchant;
    static Client client;
    static NotifyEndpoint.MemoryShopOrders shop;
    static ServletHost host;
    static ServletHost returnHost; // the shopper's return page (ReturnServlet), the same shop

    @BeforeAll
    static void start() throws Exception {
        sandbox = new Support.Sandbox();
        merchant = Merchant.md5(MERCHANT_ID, Support.md5Key());
        try (Client.Config c = new Client.Config().endpoint(sandbox.endpoint()).allowHttp(true).charset("02")) {
            client = new Client(merchant, c);
        }
        shop = new NotifyEndpoint.MemoryShopOrders();
        host = new ServletHost(new NotifyServlet(new NotifyEndpoint(merchant, MERCHANT_ID, client, shop)), "/cmpay/notify");
        returnHost = new ServletHost(new ReturnServlet(new NotifyEndpoint(merchant, MERCHANT_ID, client, shop)), "/cmpay/return");
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        if (returnHost != null) {
            returnHost.close();
        }
        if (client != null) {
            client.close();
        }
        if (merchant != null) {
            merchant.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static Response newOrder(String orderId, long amount) {
        shop.orders.put(orderId, amount); // the shop records its order first
        return client.createOrder(orderParams(orderId, amount, host.url, host.url));
    }

    /** The shopper pays on the cashier page; returns the PageNotify URL the browser is sent to. */
    static String pay(Response order, String action) {
        Response.PayUrl u = order.payUrl();
        HttpResponse<String> r = send("POST", sandbox.base + "/ips/cashier/submit",
                "sessionId=" + enc(u.sessionId) + "&action=" + action + "&pageNotify=get");
        assertEquals(302, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow(AssertionError::new);
        assertTrue(location.startsWith(host.url + "?"), location);
        return location;
    }

    /** A new order of the shop's, paid (or failed: action) at the cashier; returns its PageNotify URL. */
    static String orderPaid(String orderId, long amount, String action) {
        try (Response order = newOrder(orderId, amount)) {
            return pay(order, action);
        }
    }

    /** As the live gateway does it: the page after paying POSTs the PageNotify; returns its form body. */
    static String payByPostForm(Response order) {
        return payByPostForm(order, host.url);
    }

    static String payByPostForm(Response order, String callbackUrl) {
        Response.PayUrl u = order.payUrl();
        HttpResponse<String> r = send("POST", sandbox.base + "/ips/cashier/submit",
                "sessionId=" + enc(u.sessionId) + "&action=pay");
        assertEquals(200, r.statusCode(), r.body());
        java.util.regex.Matcher form = java.util.regex.Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"").matcher(r.body());
        assertTrue(form.find(), r.body());
        assertEquals(callbackUrl, form.group(1).replace("&amp;", "&"));
        java.util.regex.Matcher input = java.util.regex.Pattern
                .compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(r.body());
        StringBuilder body = new StringBuilder();
        while (input.find()) {
            String value = input.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&#39;", "'").replace("&amp;", "&");
            body.append(body.length() == 0 ? "" : "&").append(enc(input.group(1))).append('=').append(enc(value));
        }
        return body.toString();
    }

    static String enc(String s) {
        try {
            return URLEncoder.encode(s, "UTF-8");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, Object> waitForAck(String orderId) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Map<String, Object> d : sandbox.deliveries(orderId)) {
                if (Boolean.TRUE.equals(d.get("acked"))) {
                    return d;
                }
            }
            Thread.sleep(50);
        }
        fail("no OfflineNotify for " + orderId + " was acknowledged: " + sandbox.deliveries(orderId));
        return null;
    }

    static long payments(String orderId) {
        return shop.payments.values().stream().filter(v -> v.startsWith(orderId + " ")).count();
    }

    /** A log sink keeping every record as "LEVEL event message". */
    static final class Records implements LogSink {
        final java.util.List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        @Override
        public void log(LogLevel level, String event, String message) {
            lines.add(level + " " + event + " " + message);
        }

        String find(String levelAndEvent, String... needles) {
            synchronized (lines) {
                for (String l : lines) {
                    if (l.startsWith(levelAndEvent + " ") && Arrays.stream(needles).allMatch(l::contains)) {
                        return l;
                    }
                }
            }
            throw new AssertionError("no " + levelAndEvent + " record with " + Arrays.toString(needles) + " in " + lines);
        }
    }

    @Test
    void aPaymentIsLoggedWithoutSecrets() {
        Records log = new Records();
        String id = newOrderId("LG");
        String query;
        String payNo;
        String queryHmac;
        try (Client.Config c = new Client.Config().endpoint(sandbox.endpoint()).allowHttp(true).log(log, LogLevel.DEBUG);
                Client logging = new Client(merchant, c)) {
            shop.orders.put(id, 2300L);
            try (Response order = logging.createOrder(orderParams(id, 2300, host.url, host.url))) {
                String location = pay(order, "pay");
                query = location.substring(location.indexOf('?') + 1);
            }
            try (Notification n = logging.parseNotification(query)) {
                assertEquals(id, n.orderId());
                payNo = n.payNo();
            }
            assertThrows(CmpaySignatureException.class,
                    () -> logging.parseNotification(query.replace("amount=2300", "amount=2301")));
            try (Response q = logging.queryOrder(id)) {
                queryHmac = q.get("hmac");
            }
        }
        String sent = log.find("INFO request.sent", id, "DirectPayConfirm", sandbox.endpoint());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("requestId=(\\S+)").matcher(sent);
        assertTrue(m.find(), sent);
        String requestId = m.group(1);
        assertTrue(requestId.length() > 10, requestId);
        log.find("INFO answer.received", requestId, id, "returnCode=000000");
        log.find("INFO notify.verified", id, payNo, "amount=2300");
        log.find("WARN notify.refused", "SignatureMismatch");
        log.find("DEBUG request.body", "hmac=[redacted]");
        log.find("DEBUG notify.body", "hmac=[redacted]");
        log.find("INFO request.sent", "OrderQuery", id);
        String notifyHmac = null;
        for (String pair : query.split("&")) {
            if (pair.startsWith("hmac=")) {
                notifyHmac = dec(pair.substring(5));
            }
        }
        for (String h : new String[] {notifyHmac, queryHmac}) {
            assertTrue(h != null && h.length() >= 32, String.valueOf(h));
            synchronized (log.lines) {
                for (String line : log.lines) {
                    assertFalse(line.contains(h), line);
                    assertFalse(line.contains(Support.md5Key()), line);
                }
            }
        }
    }

    @Test
    void theStandardLogIsJavaUtilLoggingWithoutSlf4jAndAFailingSinkChangesNothing() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("cmpay");
        java.util.List<java.util.logging.LogRecord> got = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                got.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Level before = jul.getLevel();
        jul.setLevel(java.util.logging.Level.WARNING);
        jul.addHandler(h);
        try {
            assertTrue(LogSink.standard() instanceof StandardLog.Jul);
            try (Client.Config c = new Client.Config().endpoint(sandbox.endpoint()).allowHttp(true).log();
                    Client logging = new Client(merchant, c)) {
                assertThrows(CmpayGatewayException.class, () -> logging.queryOrder("no-such-order-log"));
                assertThrows(CmpayParseException.class, () -> logging.parseNotification("garbage"));
            }
        } finally {
            jul.removeHandler(h);
            jul.setLevel(before);
        }
        assertEquals(2, got.size(), got.toString());
        assertEquals(java.util.logging.Level.WARNING, got.get(0).getLevel());
        assertTrue(got.get(0).getMessage().startsWith("answer.received "), got.get(0).getMessage());
        assertTrue(got.get(1).getMessage().startsWith("notify.refused "), got.get(1).getMessage());

        LogSink failing = (level, event, message) -> {
            throw new IllegalStateException("the shop's sink failed");
        };
        try (Client.Config c = new Client.Config().endpoint(sandbox.endpoint()).allowHttp(true).log(failing, LogLevel.DEBUG);
                Client logging = new Client(merchant, c)) {
            assertThrows(CmpayGatewayException.class, () -> logging.queryOrder("no-such-order-log"));
        }
    }

    /** EnvProbe in a child JVM with {@code env} added to this one's environment: its one line. */
    static String probe(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.cmpay.EnvProbe", "NOSUCHORDER" + ProcessHandle.current().pid());
        for (String name : new String[] {"CMPAY_SIGN_KEY", "CMPAY_RSA_PRIVATE_KEY_FILE", "CMPAY_RSA_PUBLIC_KEY_FILE",
                "CMPAY_PRIVATE_KEY_FILE", "CMPAY_GATEWAY_KEY_FILE", "CMPAY_CHARSET", "CMPAY_PROXY", "CMPAY_EXTRA_CA_FILE"}) {
            pb.environment().remove(name);
        }
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void clientFromEnv() throws Exception {
        java.nio.file.Path keyFile = java.nio.file.Files.createTempFile("cmpay-key", ".txt");
        try {
            // A BOM and CRLF, as Notepad saves it.
            java.nio.file.Files.write(keyFile, ("\uFEFF" + Support.md5Key() + "\r\n").getBytes(StandardCharsets.UTF_8));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("CMPAY_MERCHANT_ID", MERCHANT_ID);
            env.put("CMPAY_SIGN_KEY_FILE", keyFile.toString());
            env.put("CMPAY_ENDPOINT", sandbox.endpoint());
            env.put("CMPAY_ALLOW_HTTP", "1");
            env.put("CMPAY_TIMEOUT_MS", "10000");
            // Signed with the key from the file: the sandbox verifies it and answers "no such order".
            assertEquals("gateway RPM22201", probe(env));
            env.put("CMPAY_TIMEOUT_MS", "ten seconds");
            String bad = probe(env);
            assertTrue(bad.startsWith("CmpayInvalidInputException ") && bad.contains("CMPAY_TIMEOUT_MS"), bad);
            env.put("CMPAY_TIMEOUT_MS", "10000");
            java.nio.file.Files.write(keyFile, (Support.md5Key() + " \n").getBytes(StandardCharsets.UTF_8));
            String key = probe(env);
            assertTrue(key.startsWith("CmpayInvalidKeyException ") && key.contains("CMPAY_SIGN_KEY_FILE")
                    && key.contains(keyFile.toString()) && !key.contains(Support.md5Key()), key);
        } finally {
            java.nio.file.Files.delete(keyFile);
        }
        // In this JVM: a client's merchant is the one it signs with.
        try (Client.Config c = new Client.Config().endpoint(sandbox.endpoint()).allowHttp(true);
                Client other = new Client(merchant, c);
                Merchant m = other.merchant()) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("requestId", "r1");
            q.put("orderId", "o1");
            try (Merchant.SignedRequest a = m.signQuery(q); Merchant.SignedRequest b = merchant.signQuery(q)) {
                assertEquals(b.hmac(), a.hmac());
            }
        }
    }

    @Test
    void clientFromVariables() {
        // The variables of fromEnv, given as a map (a framework's configuration): the environment unread.
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("CMPAY_MERCHANT_ID", MERCHANT_ID);
        vars.put("CMPAY_SIGN_KEY", Support.md5Key());
        vars.put("CMPAY_ENDPOINT", sandbox.endpoint());
        vars.put("CMPAY_ALLOW_HTTP", "true");
        vars.put("CMPAY_PROXY", null); // null or empty: unset
        try (Client c = Client.fromVariables(vars, null)) {
            CmpayGatewayException e = assertThrows(CmpayGatewayException.class, () -> c.queryOrder("NOSUCHORDER1"));
            assertEquals("RPM22201", e.returnCode(), e.getMessage()); // signed with that key: verified, "no such order"
        }
        vars.put("CMPAY_SIGNKEY", "x");
        CmpayInvalidInputException typo = assertThrows(CmpayInvalidInputException.class, () -> Client.fromVariables(vars, null));
        assertTrue(typo.getMessage().contains("\"CMPAY_SIGNKEY\" is not a configuration variable"), typo.getMessage());
        assertFalse(typo.getMessage().contains(Support.md5Key()));
        vars.remove("CMPAY_SIGNKEY");
        vars.put("CMPAY_CHARSET", "EBCDIC");
        CmpayInvalidInputException charset = assertThrows(CmpayInvalidInputException.class,
                () -> Client.fromVariables(vars, new Client.Config()));
        assertTrue(charset.getMessage().contains("CMPAY_CHARSET"), charset.getMessage());
    }

    @Test
    void createQueryRefund() {
        String id = newOrderId("CQ");
        try (Response order = newOrder(id, 1999)) {
            Response.PayUrl u = order.payUrl();
            assertTrue(u.url.startsWith(sandbox.base + "/"));
            assertFalse(u.sessionId.isEmpty());
            assertTrue(order.redirectUrl().contains("sessionId=" + u.sessionId));
            assertTrue(order.htmlForm().contains("<form"));
            assertEquals("000000", order.get("returnCode"));
            assertEquals(MERCHANT_ID, order.fields().get("merchantId"));
            try (Response q = client.queryOrder(id)) {
                assertNotEquals("SUCCESS", q.field("status"));
            }
            pay(order, "pay");
        }
        try (Response q = client.queryOrder(id)) {
            assertEquals("SUCCESS", q.get("status"));
            assertEquals("1999", q.get("amount"));
            assertEquals(id, q.fields().get("orderId"));
        }
        try (Response r = client.refund(id, 999)) {
            assertEquals("000000", r.get("returnCode"));
        }
        CmpayGatewayException e = assertThrows(CmpayGatewayException.class, () -> client.refund(id, 5000));
        assertEquals("RPM22407", e.returnCode());
    }

    @Test
    void gatewayErrors() {
        CmpayGatewayException e = assertThrows(CmpayGatewayException.class, () -> client.queryOrder("no-such-order"));
        assertEquals("RPM22201", e.returnCode());
        assertEquals(Status.GATEWAY, e.status());
        assertEquals("CMPAY_GATEWAY", e.statusName());
        String id = newOrderId("GE");
        newOrder(id, 100).close();
        e = assertThrows(CmpayGatewayException.class, () -> newOrder(id, 100)); // orderId reused
        assertEquals("RPM22208", e.returnCode());
        sandbox.fault("fault=gateway-error&code=RPM77040&status=503&type=order");
        e = assertThrows(CmpayGatewayException.class, () -> newOrder(newOrderId("GE"), 100));
        assertEquals("RPM77040", e.returnCode());
        Map<String, String> p = orderParams(newOrderId("GE"), 100, host.url, host.url);
        p.remove("productName");
        CmpayFieldException f = assertThrows(CmpayFieldException.class, () -> client.createOrder(p));
        assertEquals("MCG01033", f.returnCode());
    }

    @Test
    void badSignatureAndGarbageAnswers() {
        String id = newOrderId("BS");
        newOrder(id, 100).close();
        sandbox.fault("fault=bad-signature&type=query");
        CmpayException e = assertThrows(CmpaySignatureException.class, () -> client.queryOrder(id));
        assertEquals(Status.SIGNATURE_MISMATCH, e.status());
        sandbox.fault("fault=garbage&type=query");
        assertThrows(CmpayParseException.class, () -> client.queryOrder(id));
    }

    @Test
    void timeout() {
        try (Client.Config c = new Client.Config().endpoint(sandbox.endpoint()).allowHttp(true).timeoutMillis(300);
             Client slow = new Client(merchant, c)) {
            sandbox.fault("fault=slow&ms=3000&type=order");
            CmpayException e = assertThrows(CmpayNetworkTimeoutException.class,
                    () -> slow.createOrder(orderParams(newOrderId("TO"), 100, host.url, host.url)));
            assertEquals(Status.TIMEOUT, e.status());
            assertTrue(e instanceof CmpayNetworkException);
        }
    }

    @Test
    void notifyEndpointAnswersSuccessExactlyWhenVerified() throws Exception {
        String id = newOrderId("NE");
        String pageNotify = orderPaid(id, 12345, "pay");
        // OfflineNotify: the sandbox POSTs it to the servlet until it answers SUCCESS.
        Map<String, Object> acked = waitForAck(id);
        assertEquals("SUCCESS", acked.get("answer"));
        assertEquals(200L, acked.get("httpStatus"));

        // PageNotify: the shopper's browser follows the redirect to the servlet.
        HttpResponse<String> page = send("GET", pageNotify, null);
        assertEquals(200, page.statusCode());
        assertEquals("SUCCESS", page.body());
        assertEquals(1, payments(id)); // recorded once, whichever came first

        // Tampered copies sent directly: never SUCCESS.
        String query = pageNotify.substring(pageNotify.indexOf('?') + 1);
        assertTrue(query.contains("amount=12345"));
        for (String forged : Arrays.asList(
                query.replace("amount=12345", "amount=1"),
                query.replace("type=PageNotify", "type=OfflineNotify"),
                query.replaceFirst("hmac=[0-9a-f]", "hmac=0"),
                query.replace("status=SUCCESS", "status=FAILED"),
                "",
                "merchantId=888009941120001&orderId=" + id + "&amount=12345&status=SUCCESS")) {
            if (forged.equals(query)) {
                continue;
            }
            HttpResponse<String> r = send("POST", host.url, forged);
            assertNotEquals("SUCCESS", r.body(), forged);
            assertEquals(400, r.statusCode(), forged);
            r = send("GET", host.url + "?" + forged, null);
            assertNotEquals("SUCCESS", r.body(), forged);
        }

        // The genuine one POSTed again (a resend): SUCCESS again, still recorded once.
        assertEquals("SUCCESS", send("POST", host.url, query).body());
        assertEquals(1, payments(id));
    }

    @Test
    void pageNotifyByPostFormAsTheLiveGatewaySendsIt() throws Exception {
        String id = newOrderId("NP");
        String form;
        try (Response order = newOrder(id, 4321)) {
            form = payByPostForm(order);
        }
        assertTrue(form.contains("type=PageNotify"), form);
        HttpResponse<String> r = send("POST", host.url, form);
        assertEquals(200, r.statusCode());
        assertEquals("SUCCESS", r.body());
        assertEquals(1, payments(id));
        r = send("POST", host.url, form.replace("amount=4321", "amount=1"));
        assertEquals(400, r.statusCode());
        assertNotEquals("SUCCESS", r.body());
        assertEquals("SUCCESS", waitForAck(id).get("answer"));
    }

    @Test
    void returnPageShowsTheVerifiedPaymentRecordedOnce() throws Exception {
        String id = newOrderId("RP");
        shop.orders.put(id, 4321L);
        String form;
        try (Response order = client.createOrder(orderParams(id, 4321, host.url, returnHost.url))) {
            form = payByPostForm(order, returnHost.url);
        }
        assertTrue(form.contains("type=PageNotify"), form);
        // The browser posts the PageNotify to the return page: the payment, as HTML.
        HttpResponse<String> r = send("POST", returnHost.url, form);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/html; charset=UTF-8", r.headers().firstValue("Content-Type").orElse("").replace("utf-8", "UTF-8"));
        assertTrue(r.body().startsWith("<!DOCTYPE html>\n<html lang=\"zh-CN\">"), r.body());
        assertTrue(r.body().contains("<title>支付成功 Payment received</title>"), r.body());
        assertTrue(r.body().contains("<dd id=\"order-id\">" + id + "</dd>"), r.body());
        assertTrue(r.body().contains("<dd id=\"amount\">¥43.21</dd>"), r.body());
        assertTrue(r.body().contains("<dd id=\"status\">paid</dd>"), r.body());
        // The OfflineNotify at the notify endpoint, and a reload of the page: still one payment.
        assertEquals("SUCCESS", waitForAck(id).get("answer"));
        assertEquals(200, send("POST", returnHost.url, form).statusCode());
        assertEquals(1, payments(id));
        // Tampered, or forged with markup: a 4xx failure page, nothing of the body on it.
        r = send("POST", returnHost.url, form.replace("amount=4321", "amount=1"));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("<title>无法确认支付 Payment not confirmed</title>"), r.body());
        assertFalse(r.body().contains("paid"), r.body());
        r = send("POST", returnHost.url, "orderId=%3Cscript%3Ealert(1)%3C%2Fscript%3E&amount=1&hmac=00");
        assertEquals(400, r.statusCode());
        assertFalse(r.body().contains("<script"), r.body());
        // An order the shop does not know: 404, its own page.
        shop.orders.remove(id);
        r = send("POST", returnHost.url, form);
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("<title>订单不存在 Unknown order</title>"), r.body());
        assertEquals(1, payments(id));
    }

    /**
     * A genuine notification of order {@code a} = {@code other} + a 14-digit date-time, re-split
     * to read as paying {@code other} (docs/resplit.md): orderId's tail becomes payDate, payDate's first 8
     * digits accountDate, and the rest slides into reserved1. The signed source, and so the hmac,
     * stay the same. {@code body}: a form body (URLEncoder's UTF-8, as payByPostForm makes it).
     */
    static String resplitToAnotherOrder(String body, String other) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            v.put(dec(pair.substring(0, eq)), dec(pair.substring(eq + 1)));
        }
        String orderId = v.get("orderId");
        String payDate = v.get("payDate");
        String accountDate = v.get("accountDate");
        String reserved1 = v.get("reserved1");
        String tail = orderId.substring(other.length());
        assertTrue(orderId.startsWith(other) && tail.matches("[0-9]{14}"), orderId);
        String source = orderId + payDate + accountDate + reserved1;
        v.put("orderId", other);
        v.put("payDate", tail);
        v.put("accountDate", payDate.substring(0, 8));
        v.put("reserved1", payDate.substring(8) + accountDate + reserved1);
        assertEquals(source, v.get("orderId") + v.get("payDate") + v.get("accountDate") + v.get("reserved1"));
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : v.entrySet()) {
            out.append(out.length() == 0 ? "" : "&").append(enc(e.getKey())).append('=').append(enc(e.getValue()));
        }
        return out.toString();
    }

    static String dec(String s) {
        try {
            return URLDecoder.decode(s, "UTF-8");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void paidNotificationResplitToAnotherOrderIsNeverConfirmed() throws Exception {
        // The shop's orders B and A = B + a date-time, of the same amount, both created at the
        // gateway; the shopper pays A.
        String b = newOrderId("RS");
        String a = b + "20261206234512";
        newOrder(b, 3300).close();
        String genuine;
        try (Response order = newOrder(a, 3300)) {
            genuine = payByPostForm(order);
        }
        String forged = resplitToAnotherOrder(genuine, b);
        assertNotEquals(genuine, forged);
        try (Notification n = merchant.parseNotification(forged)) { // the same hmac: it verifies
            assertEquals(b, n.orderId());
            assertEquals("20261206234512", n.get("payDate"));
            assertTrue(n.isPaid());
            assertEquals(3300L, n.amount());
            assertTrue(n.isAmbiguous());
            assertTrue(n.otherOrderIds().contains(a), n.otherOrderIds().toString());
            assertTrue(n.otherReadings().stream().anyMatch(r -> r.contains(" orderId=" + a + " ")), n.otherReadings().toString());
            // Every other order id that is none of the shop's is ruled out; A is the shop's: still ambiguous.
            for (String id : n.otherOrderIds()) {
                if (!shop.orders.containsKey(id)) {
                    n.ruleOut(id);
                }
            }
            assertThrows(CmpayInvalidInputException.class, () -> n.ruleOut(b)); // its own orderId
            assertTrue(n.isAmbiguous());
            assertThrows(CmpayAmbiguousException.class, () -> n.checkOrder(MERCHANT_ID, b, 3300));
            // The gateway has B unpaid: not confirmed, and checkOrder goes on refusing it.
            CmpayNotConfirmedException e = assertThrows(CmpayNotConfirmedException.class, () -> client.confirm(n));
            assertEquals(Status.NOT_CONFIRMED, e.status());
            assertEquals("CMPAY_NOT_CONFIRMED", e.statusName());
            assertFalse(n.isConfirmed());
            CmpayAmbiguousException amb = assertThrows(CmpayAmbiguousException.class, () -> n.checkOrder(MERCHANT_ID, b, 3300));
            assertEquals(Status.AMBIGUOUS, amb.status());
        }
        try (Notification n = merchant.parseNotification(genuine)) {
            assertEquals(a, n.orderId());
            assertTrue(n.isAmbiguous());
            assertTrue(n.otherOrderIds().contains(b), n.otherOrderIds().toString());
            assertThrows(CmpayAmbiguousException.class, () -> n.checkOrder(MERCHANT_ID, a, 3300));
            client.confirm(n); // the gateway: A paid, this amount, this payNo
            assertTrue(n.isConfirmed());
            n.checkOrder(MERCHANT_ID, a, 3300);
            assertThrows(CmpayFieldException.class, () -> n.checkOrder(MERCHANT_ID, a, 3301)); // confirmed, still checked
        }
        // Through the example endpoint and return page: B never paid, before or after A's genuine notifications.
        for (ServletHost at : Arrays.asList(host, returnHost)) {
            HttpResponse<String> r = send("POST", at.url, forged);
            assertEquals(400, r.statusCode(), r.body());
            assertFalse(r.body().contains("SUCCESS") || r.body().contains("paid"), r.body());
        }
        assertEquals(0, payments(b));
        HttpResponse<String> r = send("POST", host.url, genuine);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("SUCCESS", r.body());
        assertEquals("SUCCESS", waitForAck(a).get("answer"));
        assertEquals(1, payments(a));
        assertEquals(400, send("POST", host.url, forged).statusCode());
        assertEquals(0, payments(b));
        assertFalse(shop.paidBy.containsKey(b));
    }

    @Test
    void endpointRulesOutOrdersTheShopDoesNotHaveAndConfirmsTheRest() {
        // The vectors' notification: bankAbbr, mobile and part of orderId also read as paying
        // orders ICBC138****8000ORD..., ORD, ... of the same amount.
        byte[] body = Support.str(Support.vector("notify-OfflineNotify"), "form_body").getBytes(StandardCharsets.US_ASCII);
        int nothingListens = Support.freePort();
        try (Client.Config c = new Client.Config().endpoint("http://127.0.0.1:" + nothingListens + "/ips/cmpayService")
                .allowHttp(true).connectTimeoutMillis(2000);
             Client unreachable = new Client(merchant, c)) {
            // None of them is this shop's: all ruled out, recorded with no query to the gateway
            // (none could have been answered).
            NotifyEndpoint.MemoryShopOrders only = new NotifyEndpoint.MemoryShopOrders();
            only.orders.put("ORD20261125000001", 12800L);
            NotifyEndpoint.Answer a = new NotifyEndpoint(merchant, MERCHANT_ID, unreachable, only).handle(body);
            assertEquals(200, a.status, a.text);
            assertEquals("SUCCESS", a.text);
            assertEquals("ORD20261125000001 12800 paid via OfflineNotify", only.payments.get("201911250005378468"));
            // A shop that also has order ORD: only the gateway can say which was paid. Unreachable,
            // or knowing no such order (RPM22201, as the sandbox answers): nothing recorded, FAIL
            // with 503, so that the gateway sends it again.
            NotifyEndpoint.MemoryShopOrders also = new NotifyEndpoint.MemoryShopOrders();
            also.orders.put("ORD20261125000001", 12800L);
            also.orders.put("ORD", 12800L);
            for (Client gateway : Arrays.asList(unreachable, client)) {
                a = new NotifyEndpoint(merchant, MERCHANT_ID, gateway, also).handle(body);
                assertEquals(503, a.status, a.text);
                assertEquals("FAIL", a.text);
                a = new NotifyEndpoint(merchant, MERCHANT_ID, gateway, also).returnPage(body);
                assertEquals(503, a.status, a.text);
                assertFalse(a.text.contains("paid"), a.text);
            }
            assertTrue(also.payments.isEmpty(), also.payments.toString());
            // The order already paid under another payNo: never a second payment (409, FAIL).
            only.payments.clear();
            only.paidBy.put("ORD20261125000001", "201911250005378469");
            a = new NotifyEndpoint(merchant, MERCHANT_ID, unreachable, only).handle(body);
            assertEquals(409, a.status, a.text);
            assertEquals("FAIL", a.text);
            a = new NotifyEndpoint(merchant, MERCHANT_ID, unreachable, only).returnPage(body);
            assertEquals(409, a.status, a.text);
            assertTrue(a.text.contains("<title>订单已支付 Order already paid</title>"), a.text);
            assertTrue(only.payments.isEmpty(), only.payments.toString());
        }
    }

    @Test
    void returnPageEscapesEveryValue() {
        // Signed fields cannot carry markup past the library, but the page escapes them all the same.
        String page = ReturnPage.html(new NotifyEndpoint.Recorded(200, "<script>a&b</script>", 5, "\"'><img src=x>", false, "SUCCESS"));
        assertTrue(page.contains("<dd id=\"order-id\">&lt;script&gt;a&amp;b&lt;/script&gt;</dd>"), page);
        assertTrue(page.contains("<dd id=\"pay-no\">&quot;&#39;&gt;&lt;img src=x&gt;</dd>"), page);
        assertTrue(page.contains("<dd id=\"amount\">¥0.05</dd>"), page);
        assertTrue(page.contains("<title>支付未成功 Payment failed</title>"), page);
        assertTrue(page.contains("<dd id=\"status\">failed</dd>"), page);
        assertFalse(page.contains("<script") || page.contains("<img"), page);
    }

    @Test
    void notifyForAnOrderTheShopDoesNotKnowOrAnotherAmount() throws Exception {
        String id = newOrderId("NU");
        String pageNotify = orderPaid(id, 500, "pay");
        waitForAck(id);
        shop.orders.put(id, 501L); // the shop's order says another amount: refuse
        assertEquals("FAIL", send("GET", pageNotify, null).body());
        shop.orders.remove(id);
        HttpResponse<String> r = send("GET", pageNotify, null);
        assertEquals(404, r.statusCode());
        assertTrue(r.body().startsWith("FAIL"));
    }

    @Test
    void failedPaymentIsAcknowledgedAndRecordedAsFailed() throws Exception {
        String id = newOrderId("NF");
        String pageNotify = orderPaid(id, 700, "fail");
        assertTrue(pageNotify.contains("status=FAILED"));
        assertEquals("SUCCESS", waitForAck(id).get("answer"));
        assertTrue(shop.payments.values().stream().anyMatch(v -> v.startsWith(id + " ") && v.contains("failed")));
    }

    @Test
    void endpointNeverAnswersSuccessWhenNotRecordedOrOversized() throws Exception {
        String id = newOrderId("NX");
        String pageNotify = orderPaid(id, 900, "pay");
        waitForAck(id);
        byte[] query = pageNotify.substring(pageNotify.indexOf('?') + 1).getBytes(StandardCharsets.US_ASCII);
        // The shop's database fails while recording: FAIL with 500, so the gateway sends it again.
        NotifyEndpoint.ShopOrders down = new NotifyEndpoint.ShopOrders() {
            @Override
            public Long amountFen(String orderId) {
                return 900L;
            }

            @Override
            public NotifyEndpoint.Recording recordOnce(String payNo, String orderId, long amountFen, boolean paid, String via) {
                throw new IllegalStateException("the shop's database: connection refused");
            }
        };
        NotifyEndpoint endpoint = new NotifyEndpoint(merchant, MERCHANT_ID, client, down);
        NotifyEndpoint.Answer a = endpoint.handle(query);
        assertEquals(500, a.status);
        assertEquals("FAIL", a.text);
        a = endpoint.returnPage(query); // the shopper is not told it was paid either
        assertEquals(500, a.status);
        assertTrue(a.text.contains("<title>暂时无法确认支付 Payment not confirmed yet</title>") && !a.text.contains("paid"), a.text);
        // The genuine notification read from a body over 64 KiB (padded after it): refused, never cut to size.
        byte[] padded = Arrays.copyOf(query, 100_000);
        Arrays.fill(padded, query.length, padded.length, (byte) 'a');
        byte[] read = NotifyEndpoint.rawNotification("POST", null, new java.io.ByteArrayInputStream(padded));
        assertTrue(read.length > 65536 && read.length < padded.length, "read " + read.length);
        a = new NotifyEndpoint(merchant, MERCHANT_ID, client, shop).handle(read);
        assertEquals(400, a.status);
        assertEquals("FAIL", a.text);
        // A GET without a query, and the raw query kept byte for byte (never decoded).
        assertEquals(0, NotifyEndpoint.rawNotification("GET", null, null).length);
        assertArrayEquals("a=%E4%B8%AD+b".getBytes(StandardCharsets.US_ASCII),
                NotifyEndpoint.rawNotification("GET", "a=%E4%B8%AD+b", null));
    }
}
