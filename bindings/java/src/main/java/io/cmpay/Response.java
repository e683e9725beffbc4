package io.cmpay;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** A verified, successful gateway answer (order, query or refund). Immutable. */
public final class Response extends FieldHandle {

    Response(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        CmpayLibrary.get().cmpay_response_free(p);
    }

    @Override
    int nativeField(Pointer p, String name, PointerByReference out) {
        return CmpayLibrary.get().cmpay_response_field(p, name, out);
    }

    @Override
    int nativeFields(Pointer p, PointerByReference out) {
        return CmpayLibrary.get().cmpay_response_fields(p, out);
    }

    /** The payUrl token (order answers only; InvalidInputException for others). */
    public PayUrl payUrl() {
        PointerByReference url = new PointerByReference();
        PointerByReference method = new PointerByReference();
        PointerByReference session = new PointerByReference();
        CmpayLibrary.check(CmpayLibrary.get().cmpay_response_pay_url(ptr(), url, method, session));
        String[] t = CmpayLibrary.takeAll(url, method, session);
        return new PayUrl(t[0], t[1], t[2]);
    }

    /** "url?sessionId=...": where to send the shopper's browser with a 302. */
    public String redirectUrl() {
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(CmpayLibrary.get().cmpay_response_redirect_url(ptr(), out));
        return CmpayLibrary.take(out);
    }

    /** A complete auto-submitting HTML page (UTF-8) to the cashier. */
    public String htmlForm() {
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(CmpayLibrary.get().cmpay_response_html_form(ptr(), out));
        return CmpayLibrary.take(out);
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
