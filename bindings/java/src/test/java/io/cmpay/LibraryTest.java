package io.cmpay;

import static io.cmpay.Support.MERCHANT_ID;
import static io.cmpay.Support.str;
import static io.cmpay.Support.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LibraryTest {

    @Test
    void versionAndLoadedFrom() {
        assertTrue(CmpayLibrary.version().matches("\\d+\\.\\d+\\.\\d+.*"));
        String env = System.getenv("CMPAY_LIB");
        if (env != null && !env.isEmpty()) {
            assertEquals(new File(env).getAbsolutePath(), CmpayLibrary.loadedFrom());
            CmpayLibrary.load(env); // the same path again: harmless
            assertThrows(IllegalStateException.class, () -> CmpayLibrary.load("/nonexistent/libcmpay.so"));
        }
    }

    @Test
    void statusNamesMatchTheEnum() {
        for (Status s : Status.values()) {
            if (s != Status.UNKNOWN) {
                assertEquals("CMPAY_" + s.name(), CmpayLibrary.statusName(s.code));
                assertEquals(s, Status.of(s.code));
            }
        }
        assertEquals("CMPAY_UNKNOWN", CmpayLibrary.statusName(55));
        assertEquals(Status.UNKNOWN, Status.of(55));
    }

    @Test
    void returnCodesAndBanks() {
        Codes.ReturnCode c = Codes.returnCode("C01088");
        assertEquals("MCG01088", c.canonical);
        assertEquals("退货金额域非法", c.chinese);
        assertTrue(c.english.toLowerCase().contains("refund"));
        assertNull(Codes.returnCode("NOPE0000"));
        assertThrows(NullPointerException.class, () -> Codes.returnCode(null));
        assertEquals("工商银行", Codes.bankName("ICBC"));
        assertNull(Codes.bankName("NOBANK"));
    }

    @Test
    void yuanFromFen() {
        assertEquals("0.05", Money.yuan(5));
        assertEquals("128.00", Money.yuan(12800));
        assertEquals("92233720368547758.07", Money.yuan(Long.MAX_VALUE));
        assertThrows(CmpayInvalidInputException.class, () -> Money.yuan(-1));
    }

    @Test
    void everyFunctionOfTheHeaderIsDeclaredAndNoOther() throws Exception {
        // include/cmpay.h is the final word: CmpayNative declares each of its functions, by the
        // same name, and nothing else (a function the header gained, such as
        // cmpay_client_confirm, fails here until the binding declares it).
        String header = new String(Files.readAllBytes(Support.repo().resolve("crates/cmpay-ffi/include/cmpay.h")),
                StandardCharsets.UTF_8);
        Set<String> declared = new TreeSet<>();
        Matcher f = Pattern.compile("(?m)^(?![ /*])[^\\n;]*?\\b(cmpay_[a-z0-9_]+)\\(").matcher(header);
        while (f.find()) {
            declared.add(f.group(1));
        }
        Set<String> bound = new TreeSet<>();
        for (Method m : CmpayNative.class.getDeclaredMethods()) {
            if (Modifier.isNative(m.getModifiers())) {
                bound.add(m.getName());
            }
        }
        assertTrue(declared.size() > 50 && declared.contains("cmpay_client_confirm"), declared.toString());
        assertEquals(declared, bound);
    }

    @Test
    void closeTwiceAndUseAfterClose() {
        Merchant m = Merchant.md5(MERCHANT_ID, Support.md5Key());
        Merchant.SignedRequest s = m.signQuery(Support.params(Support.obj(vector("query-request"), "params")));
        m.close();
        m.close();
        assertTrue(m.isClosed());
        assertThrows(IllegalStateException.class, () -> m.hmac(MessageKind.QUERY_REQUEST, Collections.emptyMap()));
        assertEquals(str(vector("query-request"), "hmac"), s.hmac()); // what was made from it lives on
        s.close();
        assertThrows(IllegalStateException.class, s::hmac);
    }

    @Test
    void notificationFieldsKeptAfterTheFirstReadStillThrowOnceClosed() {
        Map<String, Object> v = vector("notify-OfflineNotify");
        Map<String, String> fields = Support.params(Support.obj(v, "fields"));
        try (Merchant m = Merchant.md5(MERCHANT_ID, Support.md5Key())) {
            Notification n = m.parseNotification(str(v, "form_body"));
            for (int i = 0; i < 2; i++) { // the first read crosses, the second is kept: the same values
                assertEquals(fields.get("orderId"), n.orderId());
                assertEquals(fields.get("payNo"), n.payNo());
                assertEquals(fields.get("type"), n.type());
                assertEquals(fields.get("merchantId"), n.merchantId());
                assertEquals(n.orderId(), n.field("orderId"));
            }
            n.close();
            assertThrows(IllegalStateException.class, n::orderId);
            assertThrows(IllegalStateException.class, n::payNo);
            assertThrows(IllegalStateException.class, n::type);
            assertThrows(IllegalStateException.class, n::merchantId);
        }
    }

    @Test
    void notificationFieldsLongerThanTheFirstBufferOrNotAsciiAreReadWhole() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>(Support.params(Support.obj(vector("notify-OfflineNotify"), "fields")));
        StringBuilder text = new StringBuilder("x");
        for (int i = 0; i < 60; i++) {
            text.append("和包"); // 3 UTF-8 bytes each: 361 bytes, past the binding's first 128-byte buffer
        }
        String reserved1 = text.toString();
        fields.put("reserved1", reserved1);
        fields.put("reserved2", "");
        try (Merchant m = Merchant.md5(MERCHANT_ID, Support.md5Key())) {
            StringBuilder body = new StringBuilder();
            for (Map.Entry<String, String> f : fields.entrySet()) {
                body.append(f.getKey()).append('=').append(URLEncoder.encode(f.getValue(), "UTF-8")).append('&');
            }
            body.append("hmac=").append(m.hmac(MessageKind.NOTIFY, fields));
            try (Notification n = m.parseNotification(body.toString())) {
                assertEquals(reserved1, n.field("reserved1"));
                assertEquals(reserved1, n.get("reserved1"));
                assertEquals("", n.field("reserved2"));
                assertNull(n.field("serverCert"));
                CmpayNotFoundException e = assertThrows(CmpayNotFoundException.class, () -> n.get("serverCert"));
                assertTrue(e.getMessage().contains("serverCert"), e.getMessage());
                // The identity fields, read at once on the first ask, in any order.
                assertEquals(fields.get("merchantId"), n.merchantId());
                assertEquals(fields.get("type"), n.type());
                assertEquals(fields.get("orderId"), n.orderId());
                assertEquals(fields.get("payNo"), n.payNo());
                assertEquals("SUCCESS", n.ack());
            }
        }
    }

    @Test
    void oneMerchantManyThreadsAndThreadLocalErrors() throws Exception {
        String good = str(vector("notify-OfflineNotify"), "form_body");
        String bad = str(vector("notify-OfflineNotify-tampered-amount"), "form_body");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Merchant m = Merchant.md5(MERCHANT_ID, Support.md5Key())) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        if ((i + id) % 2 == 0) {
                            try (Notification n = m.parseNotification(good)) {
                                assertEquals(12800L, n.amount());
                            }
                        } else {
                            CmpayException e = assertThrows(CmpaySignatureException.class, () -> m.parseNotification(bad));
                            assertEquals(Status.SIGNATURE_MISMATCH, e.status());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
