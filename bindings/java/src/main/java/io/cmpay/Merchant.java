package io.cmpay;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;

/**
 * A merchant: its id, how it signs, and how it verifies what the gateway
 * sends. Immutable and thread-safe: make one at start-up and share it.
 * Parameters are a Map (use a LinkedHashMap to keep their order).
 */
public final class Merchant extends Handle {

    private Merchant(Pointer p) {
        super(p);
    }

    /** A merchant signing with MD5 and its 64-character signKey. */
    public static Merchant md5(String merchantId, String signKey) {
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(CmpayLibrary.get().cmpay_merchant_new_md5(
                CmpayLibrary.text(merchantId, "merchantId"), CmpayLibrary.text(signKey, "signKey"), out));
        return new Merchant(out.getValue());
    }

    /**
     * A merchant signing with RSA (SHA1withRSA): its private key (2048 bits or more) and the
     * gateway's public key or certificate; PEM or DER, PKCS#1 or PKCS#8, SPKI or X.509.
     */
    public static Merchant rsa(String merchantId, byte[] privateKey, byte[] gatewayPublicKey, boolean allowLegacy1024) {
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(CmpayLibrary.get().cmpay_merchant_new_rsa(CmpayLibrary.text(merchantId, "merchantId"),
                privateKey, CmpayLibrary.len(privateKey), gatewayPublicKey, CmpayLibrary.len(gatewayPublicKey),
                (byte) (allowLegacy1024 ? 1 : 0), out));
        return new Merchant(out.getValue());
    }

    public static Merchant rsa(String merchantId, byte[] privateKey, byte[] gatewayPublicKey) {
        return rsa(merchantId, privateKey, gatewayPublicKey, false);
    }

    @Override
    void free(Pointer p) {
        CmpayLibrary.get().cmpay_merchant_free(p);
    }

    /** Completes (defaults), validates and signs a request of {@code kind} (ORDER_REQUEST, QUERY_REQUEST, REFUND_REQUEST). */
    public SignedRequest signRequest(String kind, Map<String, String> params) {
        byte[] form = Form.encode(params);
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(CmpayLibrary.get().cmpay_merchant_sign_request(ptr(), CmpayLibrary.text(kind, "kind"),
                form, CmpayLibrary.len(form), out));
        return new SignedRequest(out.getValue());
    }

    public SignedRequest signOrder(Map<String, String> params) {
        return signRequest(MessageKind.ORDER_REQUEST, params);
    }

    public SignedRequest signQuery(Map<String, String> params) {
        return signRequest(MessageKind.QUERY_REQUEST, params);
    }

    public SignedRequest signRefund(Map<String, String> params) {
        return signRequest(MessageKind.REFUND_REQUEST, params);
    }

    /** The hmac over exactly the given fields of a message of any kind (nothing filled in or validated). */
    public String hmac(String kind, Map<String, String> params) {
        byte[] form = Form.encode(params);
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(CmpayLibrary.get().cmpay_merchant_hmac(ptr(), CmpayLibrary.text(kind, "kind"),
                form, CmpayLibrary.len(form), out));
        return CmpayLibrary.take(out);
    }

    /** Verifies a received body exactly as it arrived; throws SignatureException (or ParseException). */
    public void verify(String kind, byte[] body) {
        CmpayLibrary.check(CmpayLibrary.get().cmpay_merchant_verify(ptr(), CmpayLibrary.text(kind, "kind"),
                body, CmpayLibrary.len(body)));
    }

    /** As {@link #verify(String, byte[])} for a body held as text (its UTF-8 bytes). */
    public void verify(String kind, String body) {
        verify(kind, raw(body));
    }

    /**
     * Parses and verifies a gateway answer (ORDER_RESPONSE, QUERY_RESPONSE, REFUND_RESPONSE) exactly
     * as it arrived. A non-success return code throws GatewayException.
     */
    public Response parseResponse(String kind, byte[] body, boolean allowHttp) {
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(CmpayLibrary.get().cmpay_response_parse(ptr(), CmpayLibrary.text(kind, "kind"),
                body, CmpayLibrary.len(body), (byte) (allowHttp ? 1 : 0), out));
        return new Response(out.getValue());
    }

    public Response parseResponse(String kind, byte[] body) {
        return parseResponse(kind, body, false);
    }

    public Response parseResponse(String kind, String body) {
        return parseResponse(kind, raw(body), false);
    }

    /**
     * Parses and verifies a PageNotify/OfflineNotify: the raw POST body, or the raw query string
     * of the redirect (without '?'). Never request.getParameter(): the container decodes it, and
     * the signature is over what was sent. Throws SignatureException when it does not verify.
     */
    public Notification parseNotification(byte[] body) {
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(CmpayLibrary.get().cmpay_notification_parse(ptr(), body, CmpayLibrary.len(body), out));
        return new Notification(out.getValue());
    }

    public Notification parseNotification(String body) {
        return parseNotification(raw(body));
    }

    private static byte[] raw(String body) {
        return body == null ? null : CmpayLibrary.utf8(body, "body");
    }

    /** A signed request: its fields, signature source, hmac and form body. Immutable. */
    public static final class SignedRequest extends Handle {
        SignedRequest(Pointer p) {
            super(p);
        }

        @Override
        void free(Pointer p) {
            CmpayLibrary.get().cmpay_signed_request_free(p);
        }

        /** The form body to POST (ASCII), hmac last. */
        public String body() {
            PointerByReference out = new PointerByReference();
            CmpayLibrary.check(CmpayLibrary.get().cmpay_signed_request_body(ptr(), out));
            return CmpayLibrary.take(out);
        }

        /** e.g. "application/x-www-form-urlencoded; charset=GBK". */
        public String contentType() {
            PointerByReference out = new PointerByReference();
            CmpayLibrary.check(CmpayLibrary.get().cmpay_signed_request_content_type(ptr(), out));
            return CmpayLibrary.take(out);
        }

        public String hmac() {
            PointerByReference out = new PointerByReference();
            CmpayLibrary.check(CmpayLibrary.get().cmpay_signed_request_hmac(ptr(), out));
            return CmpayLibrary.take(out);
        }

        /** The signature source text. */
        public String source() {
            PointerByReference out = new PointerByReference();
            CmpayLibrary.check(CmpayLibrary.get().cmpay_signed_request_source(ptr(), out));
            return CmpayLibrary.take(out);
        }

        /** One field as sent (decoded), or null when the request has no such field. */
        public String field(String name) {
            PointerByReference out = new PointerByReference();
            int st = CmpayLibrary.get().cmpay_signed_request_field(ptr(), CmpayLibrary.text(name, "name"), out);
            if (st == Status.NOT_FOUND.code) {
                return null;
            }
            CmpayLibrary.check(st);
            return CmpayLibrary.take(out);
        }
    }
}
