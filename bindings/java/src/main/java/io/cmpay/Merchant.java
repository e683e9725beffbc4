package io.cmpay;

import com.sun.jna.Pointer;
import java.util.Map;
import java.util.Objects;

/**
 * A merchant: its id, how it signs, and how it verifies what the gateway
 * sends. Immutable and thread-safe: make one at start-up and share it.
 * Parameters are a Map (use a LinkedHashMap to keep their order) whose values
 * are Strings or integers (Integer, Long, Short, Byte, BigInteger): an amount
 * may be given as 12800L.
 */
public final class Merchant extends Handle {

    Merchant(Pointer p) {
        super(p, Merchant::free);
    }

    private static void free(Pointer p) {
        CmpayLibrary.get().cmpay_merchant_free(p);
    }

    /** A merchant signing with MD5 and its 64-character signKey. */
    public static Merchant md5(String merchantId, String signKey) {
        long[] out = new long[1];
        CmpayLibrary.check(CmpayLibrary.get().cmpay_merchant_new_md5(
                CmpayLibrary.text(merchantId, "merchantId"), CmpayLibrary.text(signKey, "signKey"), out));
        return new Merchant(Out.pointer(out));
    }

    /**
     * A merchant signing with RSA (SHA1withRSA): its private key (2048 bits or more) and the
     * gateway's public key or certificate; PEM or DER, PKCS#1 or PKCS#8, SPKI or X.509.
     */
    public static Merchant rsa(String merchantId, byte[] privateKey, byte[] gatewayPublicKey, boolean allowLegacy1024) {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(gatewayPublicKey, "gatewayPublicKey");
        long[] out = new long[1];
        CmpayLibrary.check(CmpayLibrary.get().cmpay_merchant_new_rsa(CmpayLibrary.text(merchantId, "merchantId"),
                privateKey, CmpayLibrary.len(privateKey), gatewayPublicKey, CmpayLibrary.len(gatewayPublicKey),
                (byte) (allowLegacy1024 ? 1 : 0), out));
        return new Merchant(Out.pointer(out));
    }

    public static Merchant rsa(String merchantId, byte[] privateKey, byte[] gatewayPublicKey) {
        return rsa(merchantId, privateKey, gatewayPublicKey, false);
    }

    /**
     * Completes (defaults, and a fresh requestId when absent), validates and signs a request of
     * {@code kind} (ORDER_REQUEST, QUERY_REQUEST, REFUND_REQUEST).
     */
    public SignedRequest signRequest(String kind, Map<String, ?> params) {
        byte[] k = CmpayLibrary.text(kind, "kind");
        byte[] form = Pairs.encode(params);
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_merchant_sign_request(p, k, form, CmpayLibrary.len(form), out)));
        return new SignedRequest(Out.pointer(out));
    }

    /** An order request, signed; a fresh requestId is filled in when absent (as Client.createOrder does). */
    public SignedRequest signOrder(Map<String, ?> params) {
        return signRequest(MessageKind.ORDER_REQUEST, params);
    }

    public SignedRequest signQuery(Map<String, ?> params) {
        return signRequest(MessageKind.QUERY_REQUEST, params);
    }

    public SignedRequest signRefund(Map<String, ?> params) {
        return signRequest(MessageKind.REFUND_REQUEST, params);
    }

    /** The hmac over exactly the given fields of a message of any kind (nothing filled in or validated). */
    public String hmac(String kind, Map<String, ?> params) {
        byte[] k = CmpayLibrary.text(kind, "kind");
        byte[] form = Pairs.encode(params);
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_merchant_hmac(p, k, form, CmpayLibrary.len(form), out)));
        return CmpayLibrary.take(Out.pointer(out));
    }

    /** Verifies a received body exactly as it arrived; throws CmpaySignatureException (or CmpayParseException). */
    public void verify(String kind, byte[] body) {
        byte[] k = CmpayLibrary.text(kind, "kind");
        Objects.requireNonNull(body, "body");
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_merchant_verify(p, k, body, CmpayLibrary.len(body))));
    }

    /** As {@link #verify(String, byte[])} for a body held as text (its UTF-8 bytes). */
    public void verify(String kind, String body) {
        verify(kind, raw(body));
    }

    /**
     * Parses and verifies a gateway answer (ORDER_RESPONSE, QUERY_RESPONSE, REFUND_RESPONSE) exactly
     * as it arrived. A non-success return code throws CmpayGatewayException.
     */
    public Response parseResponse(String kind, byte[] body) {
        byte[] k = CmpayLibrary.text(kind, "kind");
        Objects.requireNonNull(body, "body");
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_response_parse(p, k, body, CmpayLibrary.len(body), out)));
        return new Response(Out.pointer(out));
    }

    public Response parseResponse(String kind, String body) {
        return parseResponse(kind, raw(body));
    }

    /**
     * Parses and verifies a PageNotify/OfflineNotify: the raw POST body, or the raw query string
     * of the redirect (without '?'). Never request.getParameter(): the container decodes it, and
     * the signature is over what was sent. Throws CmpaySignatureException when it does not verify.
     */
    public Notification parseNotification(byte[] body) {
        Objects.requireNonNull(body, "body");
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_parse(p, body, CmpayLibrary.len(body), out)));
        return new Notification(Out.pointer(out));
    }

    public Notification parseNotification(String body) {
        return parseNotification(raw(body));
    }

    private static byte[] raw(String body) {
        return CmpayLibrary.utf8(Objects.requireNonNull(body, "body"), "body");
    }

    /** A signed request: its fields, signature source, hmac and form body. Immutable. */
    public static final class SignedRequest extends Handle {
        SignedRequest(Pointer p) {
            super(p, SignedRequest::free);
        }

        private static void free(Pointer p) {
            CmpayLibrary.get().cmpay_signed_request_free(p);
        }

        /** The form body to POST (ASCII), hmac last. */
        public String body() {
            long[] out = new long[1];
            CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_signed_request_body(p, out)));
            return CmpayLibrary.take(Out.pointer(out));
        }

        /** e.g. "application/x-www-form-urlencoded; charset=GBK". */
        public String contentType() {
            long[] out = new long[1];
            CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_signed_request_content_type(p, out)));
            return CmpayLibrary.take(Out.pointer(out));
        }

        public String hmac() {
            long[] out = new long[1];
            CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_signed_request_hmac(p, out)));
            return CmpayLibrary.take(Out.pointer(out));
        }

        /** The signature source text. */
        public String source() {
            long[] out = new long[1];
            CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_signed_request_source(p, out)));
            return CmpayLibrary.take(Out.pointer(out));
        }

        /**
         * The request as an HTML page whose form the shopper's browser submits at
         * once (POST) to {@code action}, the gateway's cmpayService URL: how a
         * GWDirectPay (bank gateway) order is sent, from the browser.
         */
        public String htmlForm(String action) {
            long[] out = new long[1];
            byte[] a = CmpayLibrary.text(action, "action");
            CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_signed_request_html_form(p, a, out)));
            return CmpayLibrary.take(Out.pointer(out));
        }

        /** One field as sent (decoded), or null when the request has no such field. */
        public String field(String name) {
            byte[] n = CmpayLibrary.text(name, "name");
            long[] out = new long[1];
            int st = call(p -> CmpayLibrary.get().cmpay_signed_request_field(p, n, out));
            if (st == Status.NOT_FOUND.code) {
                return null;
            }
            CmpayLibrary.check(st);
            return CmpayLibrary.take(Out.pointer(out));
        }
    }
}
