package io.cmpay;

import static io.cmpay.Support.MERCHANT_ID;
import static io.cmpay.Support.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each status becomes its exception, with the code, the C name, the message, the field and return code. */
class ErrorsTest {
    static Merchant m;

    @BeforeAll
    static void open() {
        m = Merchant.md5(MERCHANT_ID, Support.md5Key());
    }

    @AfterAll
    static void close() {
        m.close();
    }

    static Map<String, String> orderWith(String name, String value) {
        Map<String, String> p = Support.params(Support.obj(Support.vector("order-request-md5-charset02"), "params"));
        p.put(name, value);
        return p;
    }

    @ParameterizedTest
    @CsvSource({
        "productName, '', MCG01033",
        "period, '', MCG01027",
        "period, 0, MCG01028",
        "periodUnit, 09, MCG01030",
        "orderDate, 20260230, MCG01025",
    })
    void fieldInvalidWithGatewayCode(String field, String value, String code) {
        CmpayFieldException e = assertThrows(CmpayFieldException.class, () -> m.signOrder(orderWith(field, value)));
        assertEquals(Status.FIELD_INVALID, e.status());
        assertEquals("CMPAY_FIELD_INVALID", e.statusName());
        assertEquals(field, e.field());
        assertEquals(code, e.returnCode());
        assertTrue(e.getMessage().contains(field));
    }

    @Test
    void productNameTooLong() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            sb.append('品');
        }
        CmpayFieldException e = assertThrows(CmpayFieldException.class,
                () -> m.signOrder(orderWith("productName", sb.toString())));
        assertEquals("MCG01081", e.returnCode());
    }

    @Test
    void invalidArguments() {
        CmpayException e = assertThrows(CmpayInvalidInputException.class, () -> m.signRequest("no-such-kind", Collections.emptyMap()));
        assertEquals(Status.INVALID_ARGUMENT, e.status());
        e = assertThrows(CmpayInvalidInputException.class, () -> m.signOrder(orderWith("noSuchField", "x")));
        assertTrue(e.getMessage().contains("noSuchField"));
    }

    @Test
    void nullPointerStatusIsInvalidInput() {
        // The wrapper never passes NULL (null arguments are NullPointerException, IdiomsTest);
        // the library's own NULL_POINTER status still maps to invalid input.
        CmpayException e = CmpayException.of(Status.NULL_POINTER.code, "CMPAY_NULL_POINTER", "m is NULL", null, null);
        assertTrue(e instanceof CmpayInvalidInputException);
        assertEquals(Status.NULL_POINTER, e.status());
    }

    @Test
    void textThatCannotCrossUnaltered() {
        CmpayException e = assertThrows(CmpayInvalidInputException.class, () -> Merchant.md5("8880\0", Support.md5Key()));
        assertEquals(Status.INVALID_ARGUMENT, e.status());
        e = assertThrows(CmpayInvalidInputException.class, () -> m.signOrder(orderWith("productName", "bad \uD800 text")));
        assertEquals(Status.INVALID_UTF8, e.status());
        e = assertThrows(CmpayInvalidInputException.class, () -> Codes.returnCode("\uDC00"));
        assertEquals(Status.INVALID_UTF8, e.status());
        // Past a non-ASCII character too (the strict encoder's path), a NUL is refused, not cut.
        e = assertThrows(CmpayInvalidInputException.class, () -> Codes.bankName("\u5de5\0ICBC"));
        assertEquals(Status.INVALID_ARGUMENT, e.status());
        e = assertThrows(CmpayInvalidInputException.class, () -> Codes.bankName("\u5de5\uD800"));
        assertEquals(Status.INVALID_UTF8, e.status());
        assertEquals("\u5de5\u5546\u94f6\u884c", Codes.bankName("ICBC")); // UTF-8 out, decoded strictly
    }

    @Test
    void nulPairsBothWays() {
        // A NUL inside a parameter cannot cross in NUL pairs: refused, never cut.
        CmpayException e = assertThrows(CmpayInvalidInputException.class, () -> m.signOrder(orderWith("productName", "a\0b")));
        assertEquals(Status.INVALID_ARGUMENT, e.status());
        assertTrue(e.getMessage().contains("productName") && e.getMessage().contains("NUL"), e.getMessage());
        assertThrows(CmpayInvalidInputException.class, () -> m.hmac("query-request", Collections.singletonMap("order\0Id", "1")));
        Map<String, Object> empty = new java.util.LinkedHashMap<>();
        empty.put("a", "1");
        empty.put("fee", "");
        byte[] pairs = Pairs.encode(empty);
        assertEquals("a\u00001\u0000fee\u0000\u0000", new String(pairs, StandardCharsets.UTF_8));
        assertEquals(empty, Pairs.decode(pairs, pairs.length));
        // The C ABI itself refuses a form body, naming the NUL pairs.
        byte[] form = "orderId=O1".getBytes(StandardCharsets.UTF_8);
        long[] out = new long[1];
        int st = m.call(p -> CmpayLibrary.get().cmpay_merchant_hmac(p, "query-request\0".getBytes(StandardCharsets.UTF_8), form,
                new CmpayNative.SizeT(form.length), out));
        assertEquals(Status.INVALID_ARGUMENT.code, st);
        assertTrue(CmpayLibrary.staticString(CmpayLibrary.get().cmpay_last_error()).contains("NUL"));
    }

    @Test
    void keys() {
        CmpayException e = assertThrows(CmpayInvalidKeyException.class, () -> Merchant.md5(MERCHANT_ID, ""));
        assertEquals(Status.KEY, e.status());
        assertTrue(e instanceof CmpayInvalidInputException);
        assertThrows(CmpayInvalidKeyException.class, () -> Merchant.md5(MERCHANT_ID, " " + Support.md5Key()));
        assertThrows(CmpayInvalidKeyException.class, () -> Merchant.rsa(MERCHANT_ID, new byte[] {1, 2, 3}, key("platform_public.pem")));
        assertThrows(NullPointerException.class, () -> Merchant.rsa(MERCHANT_ID, key("merchant_private_pkcs8.pem"), null));
        assertThrows(CmpayInvalidKeyException.class, () -> Merchant.rsa(MERCHANT_ID, key("merchant_private_pkcs8.pem"), new byte[0]));
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            id.append('9');
        }
        CmpayFieldException f = assertThrows(CmpayFieldException.class, () -> Merchant.md5(id.toString(), Support.md5Key()));
        assertEquals("merchantId", f.field());
    }

    @Test
    void parseErrors() {
        CmpayException e = assertThrows(CmpayParseException.class, () -> m.parseNotification(new byte[0]));
        assertEquals(Status.PARSE, e.status());
        assertThrows(NullPointerException.class, () -> m.parseNotification((byte[]) null));
        assertThrows(CmpayParseException.class, () -> m.parseNotification(new byte[70000]));
        assertThrows(CmpayParseException.class, () -> m.parseResponse(MessageKind.ORDER_RESPONSE, "not a gateway answer"));
        assertThrows(CmpayParseException.class, () -> m.verify(MessageKind.NOTIFY, ""));
    }

    @Test
    void configErrors() {
        try (Client.Config c = new Client.Config()) {
            CmpayException e = assertThrows(CmpayInvalidInputException.class, () -> c.set("no_such_option", "1"));
            assertEquals(Status.INVALID_ARGUMENT, e.status());
            assertThrows(CmpayInvalidInputException.class, () -> c.set("timeout_ms", "0"));
            assertThrows(CmpayInvalidInputException.class, () -> c.set("allow_http", "yes"));
            assertThrows(CmpayInvalidInputException.class, () -> c.charset("09"));
            assertThrows(CmpayInvalidInputException.class, () -> c.addCaPem(new byte[0]));
            c.endpoint("http://127.0.0.1:9/ips/cmpayService"); // http without allow_http: refused by the client
            assertThrows(CmpayInvalidInputException.class, () -> new Client(m, c));
        }
        try (Client.Config c = new Client.Config().addCaPem("not a certificate".getBytes(StandardCharsets.US_ASCII))) {
            CmpayException e = assertThrows(CmpayTlsException.class, () -> new Client(m, c));
            assertEquals(Status.TLS, e.status());
            assertTrue(e instanceof CmpayNetworkException);
        }
    }

    @Test
    void configIsAPlainObject() {
        // No native handle: nothing to close, usable for any number of clients, a bean.
        assertFalse(Handle.class.isAssignableFrom(Client.Config.class));
        Client.Config c = new Client.Config();
        assertNull(c.getEndpoint());
        assertFalse(c.isAllowHttp());
        c.setEndpoint("http://127.0.0.1:9/ips/cmpayService");
        c.setAllowHttp(true);
        c.setTimeoutMillis(1500);
        c.setCharset("02");
        assertEquals("http://127.0.0.1:9/ips/cmpayService", c.getEndpoint());
        assertTrue(c.isAllowHttp());
        assertEquals(Long.valueOf(1500), c.getTimeoutMillis());
        assertEquals("02", c.getCharset());
        assertNull(c.getConnectTimeoutMillis());
        c.close();
        try (Client a = new Client(m, c); Client b = new Client(m, c)) {
            assertFalse(a.isClosed() || b.isClosed());
        }
        // A refused value still throws where it is set, and leaves the config as it was.
        assertThrows(CmpayInvalidInputException.class, () -> c.setTimeoutMillis(0));
        assertEquals(Long.valueOf(1500), c.getTimeoutMillis());
        // What the client was made with is read in its constructor: later changes are the config's.
        c.setAllowHttp(false);
        assertThrows(CmpayInvalidInputException.class, () -> new Client(m, c));
    }

    @Test
    void transportError() {
        int port = Support.freePort(); // nothing listens there
        try (Client.Config c = new Client.Config().endpoint("http://127.0.0.1:" + port + "/ips/cmpayService").allowHttp(true)
                .connectTimeoutMillis(2000);
             Client client = new Client(m, c)) {
            CmpayException e = assertThrows(CmpayNetworkException.class, () -> client.queryOrder("ORD1"));
            assertEquals(Status.TRANSPORT, e.status());
            assertEquals("CMPAY_TRANSPORT", e.statusName());
        }
    }

    @Test
    void unknownStatusIsInternal() {
        assertTrue(CmpayException.of(999, "CMPAY_UNKNOWN", "x", null, null) instanceof CmpayInternalException);
        assertTrue(CmpayException.of(102, "CMPAY_PANIC", "x", null, null) instanceof CmpayInternalException);
    }
}
