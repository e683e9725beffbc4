package io.cmpay;

import static io.cmpay.Support.MERCHANT_ID;
import static io.cmpay.Support.key;
import static io.cmpay.Support.obj;
import static io.cmpay.Support.params;
import static io.cmpay.Support.str;
import static io.cmpay.Support.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared vectors (tests/data/cmpay-vectors.json) through the binding. */
class VectorsTest {
    static Merchant m;

    @BeforeAll
    static void open() {
        m = Merchant.md5(MERCHANT_ID, Support.md5Key());
    }

    @AfterAll
    static void close() {
        m.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5-primitive", "md5-empty-source"})
    void md5Primitive(String name) {
        // The hmac over exactly the given fields: one field whose value is the source.
        Map<String, Object> v = vector(name);
        Map<String, String> p = str(v, "source").isEmpty()
                ? Collections.emptyMap() : Collections.singletonMap("merchantId", str(v, "source"));
        assertEquals(str(v, "hmac"), m.hmac(MessageKind.QUERY_REQUEST, p));
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-request-md5-charset00", "order-request-md5-charset01", "order-request-md5-charset02"})
    void orderRequest(String name) {
        Map<String, Object> v = vector(name);
        Map<String, String> p = params(obj(v, "params"));
        try (Merchant.SignedRequest s = m.signOrder(p)) {
            assertEquals(str(v, "hmac"), s.hmac());
            assertEquals(str(v, "source"), s.source());
            assertEquals(str(v, "form_body"), s.body());
            assertEquals(str(v, "content_type"), s.contentType());
            assertEquals(p.get("productName"), s.field("productName"));
            assertEquals(str(v, "hmac"), s.field("hmac"));
            assertNull(s.field("merchantCert"));
            assertNull(s.field("noSuchField"));
        }
        assertEquals(str(v, "hmac"), m.hmac(MessageKind.ORDER_REQUEST, p));
        m.verify(MessageKind.ORDER_REQUEST, str(v, "form_body").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void orderRequestDefaultsFilled() {
        Map<String, Object> v = vector("order-request-md5-charset00");
        Map<String, String> p = params(obj(v, "params"));
        for (String n : Arrays.asList("merchantId", "signType", "type", "version", "characterSet", "currency")) {
            p.remove(n);
        }
        try (Merchant.SignedRequest s = m.signOrder(p)) {
            assertEquals(str(v, "hmac"), s.hmac());
            assertEquals("DirectPayConfirm", s.field("type"));
        }
    }

    @Test
    void orderRequestRsa() {
        Map<String, Object> v = vector("order-request-rsa");
        Map<String, String> p = params(obj(v, "params"));
        String body;
        try (Merchant r = Merchant.rsa(MERCHANT_ID, key("merchant_private_pkcs8.pem"), key("platform_public.pem"));
             Merchant.SignedRequest s = r.signOrder(p)) {
            assertEquals(str(v, "hmac"), s.hmac());
            assertEquals(str(v, "source"), s.source());
            assertTrue(s.field("merchantCert").matches("[0-9a-fA-F]+"));
            body = s.body();
        }
        try (Merchant r = Merchant.rsa(MERCHANT_ID, key("merchant_private_pkcs1.pem"), key("platform_cert.pem"));
             Merchant.SignedRequest s = r.signOrder(p)) {
            assertEquals(str(v, "hmac"), s.hmac());
        }
        try (Merchant gw = Merchant.rsa(MERCHANT_ID, key("platform_private_pkcs8.pem"), key("merchant_public.pem"))) {
            gw.verify(MessageKind.ORDER_REQUEST, body);
            String forged = body.replace("amount=12800", "amount=12801");
            assertThrows(CmpaySignatureException.class, () -> gw.verify(MessageKind.ORDER_REQUEST, forged));
        }
    }

    @Test
    void orderResponseOk() {
        Map<String, Object> v = vector("order-response-ok");
        m.verify(MessageKind.ORDER_RESPONSE, str(v, "body"));
        try (Response r = m.parseResponse(MessageKind.ORDER_RESPONSE, str(v, "body").getBytes(StandardCharsets.UTF_8))) {
            Response.PayUrl u = r.payUrl();
            assertEquals(str(obj(v, "pay_url"), "url"), u.url);
            assertEquals(str(obj(v, "pay_url"), "method"), u.method);
            assertEquals(str(obj(v, "pay_url"), "sessionId"), u.sessionId);
            assertEquals(str(v, "redirect_get"), r.redirectUrl());
            String html = r.htmlForm();
            assertTrue(html.contains("<form") && html.contains(u.sessionId) && html.contains(u.url));
            assertTrue(html.contains("<html lang=\"zh-CN\">"), html);
            assertEquals("000000", r.get("returnCode"));
            assertEquals(str(v, "hmac"), r.field("hmac"));
            assertNull(r.field("nothing"));
            CmpayNotFoundException e = assertThrows(CmpayNotFoundException.class, () -> r.get("nothing"));
            assertEquals(Status.NOT_FOUND, e.status());
            Map<String, String> f = r.fields();
            assertEquals(MERCHANT_ID, f.get("merchantId"));
            assertTrue(f.get("payUrl").startsWith("url<hi:=>https://"));
            assertEquals(Arrays.asList("merchantId", "requestId", "signType"), new ArrayList<>(f.keySet()).subList(0, 3));
        }
    }

    @Test
    void orderResponseTampered() {
        String body = str(vector("order-response-tampered"), "body");
        CmpaySignatureException e = assertThrows(CmpaySignatureException.class,
                () -> m.parseResponse(MessageKind.ORDER_RESPONSE, body));
        assertEquals(Status.SIGNATURE_MISMATCH, e.status());
        assertEquals(4, e.code());
        assertEquals("CMPAY_SIGNATURE_MISMATCH", e.statusName());
        assertTrue(!e.getMessage().isEmpty());
        assertThrows(CmpaySignatureException.class, () -> m.verify(MessageKind.ORDER_RESPONSE, body));
    }

    @Test
    void orderResponseGatewayError() {
        Map<String, Object> v = vector("order-response-gateway-error");
        m.verify(MessageKind.ORDER_RESPONSE, str(v, "body")); // correctly signed
        CmpayGatewayException e = assertThrows(CmpayGatewayException.class,
                () -> m.parseResponse(MessageKind.ORDER_RESPONSE, str(v, "body")));
        assertEquals("IPS0008", e.returnCode());
        assertEquals(Status.GATEWAY, e.status());
        assertEquals("CMPAY_GATEWAY", e.statusName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify-PageNotify", "notify-OfflineNotify"})
    void notificationVerifies(String name) {
        Map<String, Object> v = vector(name);
        Map<String, String> expected = params(obj(v, "fields"));
        try (Notification n = m.parseNotification(str(v, "form_body").getBytes(StandardCharsets.US_ASCII))) {
            Map<String, String> fields = n.fields();
            for (Map.Entry<String, String> e : expected.entrySet()) {
                assertEquals(e.getValue(), fields.get(e.getKey()), e.getKey());
                assertEquals(e.getValue(), n.get(e.getKey()), e.getKey());
                assertEquals(e.getValue(), n.field(e.getKey()), e.getKey());
            }
            assertNull(n.field("nothing"));
            assertEquals(expected.get("type"), n.type());
            assertEquals(expected.get("payNo"), n.payNo());
            assertEquals(expected.get("orderId"), n.orderId());
            assertEquals(MERCHANT_ID, n.merchantId());
            assertEquals(12800L, n.amount());
            Map<String, Object> a = obj(v, "amt_item");
            Notification.AmtItem item = n.amtItem();
            assertEquals(a.get("CNY_AMT"), item.cash);
            assertEquals(a.get("CMY_AMT"), item.prepaid);
            assertEquals(a.get("RED_AMT"), item.coupon);
            assertEquals(a.get("VCH_AMT"), item.voucher);
            assertEquals(a.get("POT_CHG_AMT"), item.points);
            assertEquals(Long.valueOf(12), n.feeFen());
            assertTrue(n.isPaid());
            // bankAbbr and mobile can slide into orderId, and orderId's tail into payDate...
            // (docs/resplit.md): the same signed source also pays these orders, so checkOrder refuses
            // it until each is ruled out as none of the shop's (or the gateway confirms it).
            assertTrue(n.isAmbiguous());
            assertFalse(n.isConfirmed());
            List<String> others = Arrays.asList("138****8000ORD", "138****8000ORD20261125000001", "ICBC138****8000ORD",
                    "ICBC138****8000ORD20261125000001", "ORD");
            assertEquals(others, n.otherOrderIds());
            List<String> readings = new ArrayList<>();
            for (String id : others) {
                readings.add("merchantId=" + MERCHANT_ID + " payNo=201911250005378468 returnCode=000000 type=" + expected.get("type")
                        + " amount=12800 orderId=" + id + " status=SUCCESS");
            }
            assertEquals(readings, n.otherReadings());
            CmpayAmbiguousException amb = assertThrows(CmpayAmbiguousException.class,
                    () -> n.checkOrder(MERCHANT_ID, "ORD20261125000001", 12800));
            assertEquals(Status.AMBIGUOUS, amb.status());
            assertEquals("CMPAY_AMBIGUOUS", amb.statusName());
            assertTrue(amb.getMessage().contains("orderId=ICBC138****8000ORD20261125000001"), amb.getMessage());
            // Its own orderId, or one no reading names, cannot be ruled out.
            for (String id : Arrays.asList("ORD20261125000001", "ORD2026", "")) {
                CmpayInvalidInputException e = assertThrows(CmpayInvalidInputException.class, () -> n.ruleOut(id), id);
                assertEquals(Status.INVALID_ARGUMENT, e.status());
            }
            for (String id : others.subList(0, others.size() - 1)) {
                n.ruleOut(id);
                n.ruleOut(id); // twice: harmless
                assertTrue(n.isAmbiguous(), id);
                assertThrows(CmpayAmbiguousException.class, () -> n.checkOrder(MERCHANT_ID, "ORD20261125000001", 12800));
            }
            n.ruleOut("ORD"); // the last one: no other reading is left standing
            assertFalse(n.isAmbiguous());
            assertFalse(n.isConfirmed()); // ruled out by the shop, not confirmed by the gateway
            assertEquals(readings, n.otherReadings()); // ruled out or not
            assertEquals(others, n.otherOrderIds());
            n.checkOrder(MERCHANT_ID, "ORD20261125000001", 12800);
            assertEquals("SUCCESS", n.ack());
            assertEquals(str(v, "ack"), n.ack());
        }
        m.verify(MessageKind.NOTIFY, str(v, "form_body"));
    }

    @ParameterizedTest
    @CsvSource({
        "notify-PageNotify, 12801, ORD20261125000001, 888009941120001, amount",
        "notify-OfflineNotify, 12800, ORD-OTHER, 888009941120001, orderId",
        "notify-OfflineNotify, 12800, ORD20261125000001, 888009941120002, merchantId",
    })
    void notificationCheckOrderMismatch(String name, long amount, String orderId, String merchantId, String field) {
        try (Notification n = m.parseNotification(str(vector(name), "form_body"))) {
            CmpayFieldException e = assertThrows(CmpayFieldException.class,
                    () -> n.checkOrder(merchantId, orderId, amount));
            assertEquals(field, e.field());
            assertEquals(Status.FIELD_INVALID, e.status());
            assertTrue(e instanceof CmpayInvalidInputException);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify-PageNotify-tampered-amount", "notify-OfflineNotify-tampered-amount"})
    void notificationTampered(String name) {
        String body = str(vector(name), "form_body");
        assertThrows(CmpaySignatureException.class, () -> m.parseNotification(body));
        assertThrows(CmpaySignatureException.class, () -> m.verify(MessageKind.NOTIFY, body));
    }

    @ParameterizedTest
    @CsvSource({"query-request, query-request", "refund-request, refund-request"})
    void queryAndRefundRequests(String name, String kind) {
        Map<String, Object> v = vector(name);
        Map<String, String> p = params(obj(v, "params"));
        assertEquals(str(v, "hmac"), m.hmac(kind, p));
        try (Merchant.SignedRequest s = m.signRequest(kind, p)) {
            assertEquals(str(v, "hmac"), s.hmac());
            assertEquals(str(v, "source"), s.source());
            assertTrue(s.body().endsWith("hmac=" + str(v, "hmac")));
        }
    }

    @ParameterizedTest
    @CsvSource({"query-response, query-response", "refund-response, refund-response"})
    void queryAndRefundResponses(String name, String kind) {
        Map<String, Object> v = vector(name);
        m.verify(kind, str(v, "body"));
        try (Response r = m.parseResponse(kind, str(v, "body"))) {
            assertEquals("SUCCESS", r.get("status"));
            assertEquals(str(v, "hmac"), r.get("hmac"));
            CmpayInvalidInputException e = assertThrows(CmpayInvalidInputException.class, r::payUrl);
            assertEquals(Status.INVALID_ARGUMENT, e.status());
            assertThrows(CmpayInvalidInputException.class, r::redirectUrl);
            assertThrows(CmpayInvalidInputException.class, r::htmlForm);
            if (name.equals("query-response")) {
                assertTrue(r.fields().get("reserved1").contains("保留数据1"));
            }
        }
    }

    @Test
    void everyVectorKindIsCovered() {
        Set<String> covered = new HashSet<>(Arrays.asList("md5_sign", "order_request", "order_request_rsa", "order_response",
                "notify", "query_request", "query_response", "refund_request", "refund_response"));
        for (Map<String, Object> v : Support.vectorList()) {
            assertTrue(covered.contains(str(v, "kind")), "vector kind not tested: " + str(v, "kind"));
        }
    }

    @Test
    void gwDirectPayIsABrowserForm() {
        Map<String, String> p = params(obj(vector("order-request-md5-charset00"), "params"));
        p.put("type", "GWDirectPay");
        p.put("bankAbbr", "CMB");
        try (Merchant.SignedRequest signed = m.signOrder(p)) {
            String page = signed.htmlForm("https://ipos.10086.cn/ips/cmpayService");
            assertTrue(page.contains("<form method=\"post\" action=\"https://ipos.10086.cn/ips/cmpayService\" accept-charset=\"GBK\">"), page);
            assertTrue(page.contains("name=\"hmac\" value=\"" + signed.hmac() + "\""), page);
            assertTrue(page.contains("name=\"type\" value=\"GWDirectPay\""), page);
            assertTrue(page.contains("<html lang=\"zh-CN\">"), page);
        }
    }
}
