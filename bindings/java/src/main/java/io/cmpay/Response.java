package io.cmpay;

import com.sun.jna.Pointer;

/** A verified, successful gateway answer (order, query or refund). Immutable. */
public final class Response extends FieldHandle {

    Response(Pointer p) {
        super(p, Response::free);
    }

    private static void free(Pointer p) {
        CmpayLibrary.get().cmpay_response_free(p);
    }

    @Override
    int nativeField(Pointer p, byte[] name, long[] out) {
        return CmpayLibrary.get().cmpay_response_field(p, name, out);
    }

    @Override
    int nativeFields(Pointer p, byte[] buf, CmpayNative.SizeT bufLen, long[] needed) {
        return CmpayLibrary.get().cmpay_response_fields_into(p, buf, bufLen, needed);
    }

    /** The payUrl token (order answers only; CmpayInvalidInputException for others). */
    public PayUrl payUrl() {
        long[] url = new long[1];
        long[] method = new long[1];
        long[] session = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_response_pay_url(p, url, method, session)));
        String[] t = CmpayLibrary.takeAll(url, method, session);
        return new PayUrl(t[0], t[1], t[2]);
    }

    /** "url?sessionId=...": where to send the shopper's browser with a 302. */
    public String redirectUrl() {
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_response_redirect_url(p, out)));
        return CmpayLibrary.take(Out.pointer(out));
    }

    /** A complete auto-submitting HTML page (UTF-8) to the cashier. */
    public String htmlForm() {
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_response_html_form(p, out)));
        return CmpayLibrary.take(Out.pointer(out));
    }

    /** A query (or refund) answer's order state, as the library reads it: PAID (status SUCCESS), FAILED, or PENDING. */
    public OrderStatus orderStatus() {
        int[] out = new int[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_response_order_status(p, out)));
        return OrderStatus.ofCode(out[0]);
    }

    /** amount in fen (a query answer: paid; a refund answer: refunded), null when absent. */
    public Long amount() {
        long[] out = new long[1];
        int st = call(p -> CmpayLibrary.get().cmpay_response_amount(p, out));
        if (st == Status.NOT_FOUND.code) {
            return null;
        }
        CmpayLibrary.check(st);
        return out[0];
    }

    /** The gateway's transaction number, null when absent. */
    public String payNo() {
        return nonEmpty("payNo");
    }

    public String orderId() {
        return nonEmpty("orderId");
    }

    public String merchantId() {
        return nonEmpty("merchantId");
    }

    /** The payUrl token of an order answer. */
    public static final class PayUrl {
        public final String url;
        /** "get" or "post". */
        public final String method;
        public final String sessionId;

        public PayUrl(String url, String method, String sessionId) {
            this.url = url;
            this.method = method;
            this.sessionId = sessionId;
        }
    }
}
