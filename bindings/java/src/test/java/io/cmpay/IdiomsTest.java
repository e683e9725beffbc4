package io.cmpay;

import static io.cmpay.Support.MERCHANT_ID;
import static io.cmpay.Support.obj;
import static io.cmpay.Support.params;
import static io.cmpay.Support.str;
import static io.cmpay.Support.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What a Java user expects: top-level exceptions, NullPointerException, numbers, typed answers, a requestId, a cleaner. */
class IdiomsTest {
    private static Merchant m;

    @BeforeAll
    static void open() {
        m = Merchant.md5(MERCHANT_ID, Support.md5Key());
    }

    @AfterAll
    static void close() {
        m.close();
    }

    @Test
    void statusListIsTheLibrarys() {
        // Both ways: every number the library names is a Status, and no other.
        for (int n = 0; n < 1024; n++) {
            boolean named = !CmpayLibrary.statusName(n).equals("CMPAY_UNKNOWN");
            assertEquals(named, Status.of(n) != Status.UNKNOWN, "status " + n);
            if (named) {
                assertEquals("CMPAY_" + Status.of(n).name(), CmpayLibrary.statusName(n));
            }
        }
    }

    @Test
    void exceptionsAreTopLevelAndDoNotShadowTheJdk() {
        List<Class<?>> all = Arrays.asList(CmpayException.class, CmpayInvalidInputException.class, CmpayFieldException.class,
                CmpayInvalidKeyException.class, CmpaySignatureException.class, CmpayParseException.class,
                CmpayGatewayException.class, CmpayNetworkException.class, CmpayNetworkTimeoutException.class,
                CmpayTlsException.class, CmpayNotFoundException.class, CmpayInternalException.class,
                CmpayLibraryNotFoundException.class, CmpayAmbiguousException.class, CmpayNotConfirmedException.class,
                CmpayForgeableSourceException.class);
        for (Class<?> c : all) {
            assertNull(c.getEnclosingClass(), c.getName());
            assertTrue(c.getSimpleName().startsWith("Cmpay"), c.getName());
            assertTrue(CmpayException.class.isAssignableFrom(c), c.getName());
        }
        assertEquals(0, CmpayException.class.getDeclaredClasses().length);
        assertTrue(CmpayNetworkTimeoutException.class.getSuperclass() == CmpayNetworkException.class);
        assertTrue(CmpayException.of(Status.TIMEOUT.code, "CMPAY_TIMEOUT", "t", null, null) instanceof CmpayNetworkTimeoutException);
        assertTrue(CmpayException.of(Status.KEY.code, "CMPAY_KEY", "k", null, null) instanceof CmpayInvalidKeyException);
        // The re-split statuses (docs/resplit.md), each its own class: an ambiguous notification, one the gateway did not
        // confirm (neither is invalid input, nor internal), and a request signing refused as forgeable.
        assertEquals(CmpayAmbiguousException.class, CmpayException.of(10, "CMPAY_AMBIGUOUS", "a", null, null).getClass());
        assertEquals(CmpayNotConfirmedException.class, CmpayException.of(11, "CMPAY_NOT_CONFIRMED", "n", null, null).getClass());
        assertEquals(CmpayForgeableSourceException.class, CmpayException.of(12, "CMPAY_FORGEABLE_SOURCE", "f", null, null).getClass());
        assertEquals(CmpayException.class, CmpayAmbiguousException.class.getSuperclass());
        assertEquals(CmpayException.class, CmpayNotConfirmedException.class.getSuperclass());
        assertEquals(CmpayInvalidInputException.class, CmpayForgeableSourceException.class.getSuperclass());
        assertEquals(Status.AMBIGUOUS, Status.of(10));
        assertEquals(Status.NOT_CONFIRMED, Status.of(11));
        assertEquals(Status.FORGEABLE_SOURCE, Status.of(12));
    }

    @Test
    void nullArgumentsAreNullPointerExceptions() {
        Notification n = m.parseNotification(str(vector("notify-OfflineNotify"), "form_body"));
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("merchantId", () -> Merchant.md5(null, Support.md5Key()));
        calls.put("signKey", () -> Merchant.md5(MERCHANT_ID, null));
        calls.put("privateKey", () -> Merchant.rsa(MERCHANT_ID, null, new byte[] {1}));
        calls.put("kind", () -> m.signRequest(null, Collections.emptyMap()));
        calls.put("params", () -> m.signOrder(null));
        calls.put("body", () -> m.parseNotification((String) null));
        calls.put("name", () -> n.field(null));
        calls.put("orderId", () -> n.checkOrder(MERCHANT_ID, null, 1));
        calls.put("merchant", () -> new Client(null));
        calls.put("code", () -> Codes.returnCode(null));
        calls.put("bankCode", () -> Codes.bankName(null));
        calls.put("path", () -> CmpayLibrary.load(null));
        for (Map.Entry<String, Executable> c : calls.entrySet()) {
            NullPointerException e = assertThrows(NullPointerException.class, c.getValue(), c.getKey());
            assertEquals(c.getKey(), e.getMessage());
        }
        assertEquals("orderId", assertThrows(NullPointerException.class, () -> n.ruleOut(null)).getMessage());
        try (Client c = new Client(m)) {
            assertEquals("n", assertThrows(NullPointerException.class, () -> c.confirm(null)).getMessage());
        }
        n.close();
    }

    @Test
    void numbersCrossAsNumbers() {
        Map<String, Object> v = vector("order-request-md5-charset02");
        Map<String, Object> p = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : params(obj(v, "params")).entrySet()) {
            Object value = e.getValue();
            if (e.getKey().equals("amount")) {
                value = Long.parseLong(e.getValue());
            } else if (e.getKey().equals("period")) {
                value = Integer.parseInt(e.getValue());
            }
            p.put(e.getKey(), value);
        }
        try (Merchant.SignedRequest s = m.signOrder(p)) {
            assertEquals(str(v, "hmac"), s.hmac());
        }
        assertEquals(str(v, "hmac"), m.hmac(MessageKind.ORDER_REQUEST, p));
        Map<String, Object> refund = new LinkedHashMap<>();
        refund.put("orderId", "ORD1");
        refund.put("amount", 500L);
        try (Merchant.SignedRequest s = m.signRefund(refund)) {
            assertEquals("500", s.field("amount"));
        }
        refund.put("amount", 5.0);
        CmpayException e = assertThrows(CmpayInvalidInputException.class, () -> m.signRefund(refund));
        assertTrue(e.getMessage().contains("amount"), e.getMessage());
        refund.put("amount", new BigDecimal("5"));
        assertThrows(CmpayInvalidInputException.class, () -> m.signRefund(refund));
    }

    @Test
    void signOrderFillsInARequestId() {
        Map<String, String> p = params(obj(vector("order-request-md5-charset02"), "params"));
        p.remove("requestId");
        try (Merchant.SignedRequest a = m.signOrder(p); Merchant.SignedRequest b = m.signOrder(p)) {
            assertGeneratedRequestId(a.field("requestId"));
            assertGeneratedRequestId(b.field("requestId"));
            assertNotEquals(a.field("requestId"), b.field("requestId"));
            assertTrue(a.body().contains("requestId=" + a.field("requestId")));
        }
        try (Merchant.SignedRequest q = m.signQuery(Collections.singletonMap("orderId", "ORD1"))) {
            assertGeneratedRequestId(q.field("requestId"));
        }
    }

    /**
     * A generated requestId: the date (yyyyMMdd), 't', then lower-case letters and digits, at most
     * 36 in all, never six zeros in a row (so that no digits of it can read as a success
     * returnCode, and no capital as a return code's letter: docs/resplit.md).
     */
    static void assertGeneratedRequestId(String id) {
        assertTrue(id.length() <= 36, id);
        assertTrue(id.matches("[0-9]{8}t[0-9a-z]+"), id);
        assertFalse(id.contains("000000"), id);
    }

    @Test
    void queryAnswerIsTyped() {
        try (Response r = m.parseResponse(MessageKind.QUERY_RESPONSE, str(vector("query-response"), "body"))) {
            assertEquals(OrderStatus.PAID, r.orderStatus());
            assertEquals(Long.valueOf(12800), r.amount());
            assertEquals("201911250005378468", r.payNo());
            assertEquals("ORD20261125000001", r.orderId());
            assertEquals(MERCHANT_ID, r.merchantId());
            assertEquals(LocalDate.of(2026, 11, 25), r.orderDate());
            assertEquals(OffsetDateTime.of(2026, 11, 25, 10, 30, 55, 0, ZoneOffset.ofHours(8)), r.payDate());
        }
    }

    @Test
    void refundAnswerIsTyped() {
        try (Response r = m.parseResponse(MessageKind.REFUND_RESPONSE, str(vector("refund-response"), "body"))) {
            assertEquals(Long.valueOf(12800), r.amount());
            assertEquals("201911250005383897", r.payNo());
            assertEquals(OrderStatus.PAID, r.orderStatus());
            assertNull(r.orderDate());
            assertNull(r.payDate());
        }
    }

    /** The query-response vector with another status, signed again: the library decides the state. */
    @Test
    void orderStatusIsTheLibrarys() throws Exception {
        Map<String, OrderStatus> cases = new LinkedHashMap<>();
        cases.put("SUCCESS", OrderStatus.PAID);
        cases.put("FAILED", OrderStatus.FAILED);
        cases.put("WAIT", OrderStatus.PENDING);
        cases.put("", OrderStatus.PENDING);
        for (Map.Entry<String, OrderStatus> c : cases.entrySet()) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : str(vector("query-response"), "body").split("&")) {
                String k = pair.substring(0, pair.indexOf('='));
                String v = java.net.URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), "UTF-8");
                if (!k.equals("hmac")) {
                    fields.put(k, k.equals("status") ? c.getKey() : v);
                }
            }
            StringBuilder body = new StringBuilder();
            for (Map.Entry<String, String> f : fields.entrySet()) {
                body.append(f.getKey()).append('=').append(java.net.URLEncoder.encode(f.getValue(), "UTF-8")).append('&');
            }
            body.append("hmac=").append(m.hmac(MessageKind.QUERY_RESPONSE, fields));
            try (Response r = m.parseResponse(MessageKind.QUERY_RESPONSE, body.toString())) {
                assertEquals(c.getValue(), r.orderStatus(), c.getKey());
            }
        }
        try (Response r = m.parseResponse(MessageKind.ORDER_RESPONSE, str(vector("order-response-ok"), "body").getBytes("UTF-8"))) {
            assertNull(r.amount());
            assertThrows(CmpayInvalidInputException.class, r::orderStatus);
        }
    }

    @Test
    void notificationDates() {
        try (Notification n = m.parseNotification(str(vector("notify-OfflineNotify"), "form_body"))) {
            assertEquals(n.get("orderDate"), n.orderDate().format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
            assertEquals(n.get("payDate"), n.payDate().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")));
        }
    }

    /** glibc's mallinfo2: the bytes malloc has handed out, in all arenas (libcmpay allocates with malloc). */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"})
        class MallInfo2 extends Structure implements Structure.ByValue {
            public long arena;
            public long ordblks;
            public long smblks;
            public long hblks;
            public long hblkhd;
            public long usmblks;
            public long fsmblks;
            public long uordblks;
            public long fordblks;
            public long keepcost;
        }

        MallInfo2 mallinfo2();
    }

    private static long nativeInUse() {
        LibC.MallInfo2 i = LibC.INSTANCE.mallinfo2();
        return i.uordblks + i.hblkhd;
    }

    private static int freedCount(List<Handle.State> states) {
        int n = 0;
        for (Handle.State s : states) {
            n += s.freed() ? 1 : 0;
        }
        return n;
    }

    /**
     * The proof is a count of this test's own handles, followed by their state:
     * each one's native free has run, and it ran because the cleaner let go of
     * the handle. Other tests' garbage, which the cleaner may free at the same
     * time, cannot add to that count (the global counter only has to agree),
     * nor is anything measured in the shared process except as a loose check.
     */
    @Test
    void unclosedHandlesAreFreedByTheCleaner() throws InterruptedException {
        Map<String, String> order = params(obj(vector("query-request"), "params")); // cheap to sign, even in a debug build
        String hmac = str(vector("query-request"), "hmac");
        String body = str(vector("notify-OfflineNotify"), "form_body");
        final int pairs = 50_000;
        List<Handle.State> dropped = new ArrayList<>(2 * pairs);
        long cleaned0 = Handle.cleanedByGc();
        long before = nativeInUse();

        // 100,000 handles dropped without close(): 50,000 signed requests, 50,000 notifications.
        for (int i = 0; i < pairs; i++) {
            Merchant.SignedRequest r = m.signQuery(order);
            assertEquals(hmac, r.hmac());
            dropped.add(r.state());
            Notification n = m.parseNotification(body);
            assertEquals(n.get("payNo"), n.payNo());
            dropped.add(n.state());
        }

        // Collections until every one is freed, bounded by a count of attempts, not by time.
        for (int attempt = 0; attempt < 400 && freedCount(dropped) < dropped.size(); attempt++) {
            System.gc();
            Thread.sleep(25);
        }
        int freed = freedCount(dropped);
        int byCleaner = 0;
        for (Handle.State st : dropped) {
            byCleaner += st.freedByCleaner() ? 1 : 0;
        }
        long cleaned = Handle.cleanedByGc() - cleaned0;
        long grew = nativeInUse() - before;
        System.out.println("cleaner: " + byCleaner + " of " + dropped.size() + " dropped handles freed by it ("
                + cleaned + " in the whole JVM meanwhile); native memory in use grew by " + grew + " bytes");
        assertEquals(2 * pairs, freed, "dropped handles whose native free has run");
        assertEquals(2 * pairs, byCleaner, "dropped handles freed because the cleaner let go of them");
        assertTrue(cleaned >= 2L * pairs, "the cleaner's counter moved by " + cleaned);
        // Loose, as the whole process is measured: unfreed (the cleaner disabled), these
        // 50,000 pairs grew it by 165 MB, about 3.3 KB a pair; freed, well under 1 KB a pair stays.
        assertTrue(grew < pairs * 1024L, "native memory in use grew by " + grew + " bytes");
    }

    @Test
    void theLastOwnerFreesOnce() {
        int[] frees = {0};
        Handle.State st = new Handle.State(new com.sun.jna.Memory(8), p -> frees[0]++);
        st.acquire("h");                 // a call in progress on another thread
        assertTrue(st.close(false));     // close() comes first: not freed under the call
        assertEquals(0, frees[0]);
        assertThrows(IllegalStateException.class, () -> st.acquire("h"));
        st.release();                    // the call returns: freed now
        assertEquals(1, frees[0]);
        assertTrue(!st.close(true));     // the cleaner after close(): nothing more
        assertEquals(1, frees[0]);
    }
}
