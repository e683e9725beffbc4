package io.cmpay;

import com.sun.jna.Callback;
import com.sun.jna.IntegerType;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Every function of include/cmpay.h, and nothing else (the header is the final
 * word: keep this class in step with it). Direct mapping: native methods that
 * {@link CmpayLibrary} registers with {@link Native#register(Class, com.sun.jna.NativeLibrary)}
 * once it has found the library, called on the one instance it hands out
 * ({@code CmpayLibrary.get()}), so that nothing is called before the library is
 * registered. A call through an interface proxy (Native.load) costs a
 * reflective dispatch, and a String argument or a ByReference a native
 * allocation with a cleaner registration each: a notification's fields read
 * that way cost several times the parse (BENCHMARKS.md, "Jetty and
 * fastcgi-mono-server4"). So: strings in are NUL-terminated UTF-8 byte[]
 * (CmpayLibrary.text, which checks them first); an out-parameter is a Java
 * array of one element, which JNA copies back after the call: long[] for a
 * char**, a handle** ({@link Out#pointer}) or a uint64_t*, byte[] for a bool*,
 * int[] for an int*; strings out are copied, then freed with cmpay_string_free. C bool is one byte, size_t is {@link SizeT},
 * uint64_t is long. Handles are {@link Handle} subclasses, passed as their
 * Pointer (Handle.call).
 */
final class CmpayNative {

    CmpayNative() {
    }

    /** size_t: 32 or 64 bits like a pointer. */
    public static final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    /** cmpay_amt_item: five uint64_t, in fen. */
    @Structure.FieldOrder({"cash", "prepaid", "coupon", "voucher", "points"})
    public static final class NativeAmtItem extends Structure {
        public long cash;
        public long prepaid;
        public long coupon;
        public long voucher;
        public long points;
    }

    /** cmpay_log_callback: the strings are valid only during the call. */
    public interface LogCallback extends Callback {
        void invoke(Pointer userData, int level, Pointer event, Pointer message);
    }

    native Pointer cmpay_version();

    native Pointer cmpay_status_name(int status);

    native int cmpay_last_status();

    native Pointer cmpay_last_error();

    native Pointer cmpay_last_error_return_code();

    native Pointer cmpay_last_error_field();

    native void cmpay_string_free(Pointer s);

    native int cmpay_merchant_new_md5(byte[] merchantId, byte[] signKey, long[] out);

    native int cmpay_merchant_new_rsa(byte[] merchantId, byte[] privateKey, SizeT privateKeyLen,
                                      byte[] gatewayPublicKey, SizeT gatewayPublicKeyLen, byte allowLegacy1024,
                                      long[] out);

    native void cmpay_merchant_free(Pointer m);

    native int cmpay_merchant_sign_request(Pointer m, byte[] kind, byte[] params, SizeT paramsLen, long[] out);

    native int cmpay_merchant_hmac(Pointer m, byte[] kind, byte[] params, SizeT paramsLen, long[] out);

    native int cmpay_merchant_verify(Pointer m, byte[] kind, byte[] body, SizeT bodyLen);

    native int cmpay_signed_request_body(Pointer r, long[] out);

    native int cmpay_signed_request_content_type(Pointer r, long[] out);

    native int cmpay_signed_request_hmac(Pointer r, long[] out);

    native int cmpay_signed_request_source(Pointer r, long[] out);
    native int cmpay_signed_request_html_form(Pointer r, byte[] action, long[] out);

    native int cmpay_signed_request_field(Pointer r, byte[] name, long[] out);

    native void cmpay_signed_request_free(Pointer r);

    native int cmpay_response_parse(Pointer m, byte[] kind, byte[] body, SizeT bodyLen, long[] out);

    native int cmpay_response_field(Pointer r, byte[] name, long[] out);

    native int cmpay_response_fields_into(Pointer r, byte[] buf, SizeT bufLen, long[] needed);

    native int cmpay_response_pay_url(Pointer r, long[] url, long[] method, long[] sessionId);

    native int cmpay_response_redirect_url(Pointer r, long[] out);

    native int cmpay_response_html_form(Pointer r, long[] out);

    native int cmpay_response_order_status(Pointer r, int[] out);

    native int cmpay_response_amount(Pointer r, long[] out);

    native void cmpay_response_free(Pointer r);

    native int cmpay_notification_parse(Pointer m, byte[] body, SizeT bodyLen, long[] out);

    native int cmpay_notification_field(Pointer n, byte[] name, long[] out);

    native int cmpay_notification_fields_into(Pointer n, byte[] buf, SizeT bufLen, long[] needed);

    native int cmpay_notification_amount(Pointer n, long[] out);

    native int cmpay_notification_amt_item(Pointer n, NativeAmtItem out);

    native int cmpay_notification_fee_fen(Pointer n, long[] out);

    native int cmpay_notification_is_paid(Pointer n, byte[] out);

    native int cmpay_notification_is_ambiguous(Pointer n, byte[] out);

    native int cmpay_notification_other_readings(Pointer n, long[] out);

    native int cmpay_notification_other_order_ids(Pointer n, long[] out);

    native int cmpay_notification_rule_out(Pointer n, byte[] orderId);

    native int cmpay_notification_is_confirmed(Pointer n, byte[] out);

    native int cmpay_notification_check_order(Pointer n, byte[] merchantId, byte[] orderId, long amountFen);

    native int cmpay_notification_ack(Pointer n, long[] out);

    native void cmpay_notification_free(Pointer n);

    native int cmpay_config_new(long[] out);

    native int cmpay_config_set(Pointer c, byte[] name, byte[] value);

    native int cmpay_config_add_ca_pem(Pointer c, byte[] pem, SizeT pemLen);

    native void cmpay_config_free(Pointer c);

    native int cmpay_client_new(Pointer m, Pointer c, long[] out);

    native int cmpay_client_create_order(Pointer c, byte[] params, SizeT paramsLen, long[] out);

    native int cmpay_client_query_order(Pointer c, byte[] orderId, long[] out);

    native int cmpay_client_confirm(Pointer c, Pointer n);

    native int cmpay_client_refund(Pointer c, byte[] orderId, long amountFen, long[] out);

    native void cmpay_client_free(Pointer c);

    native int cmpay_config_set_logger(Pointer c, LogCallback callback, Pointer userData, int minLevel);

    native int cmpay_client_parse_notification(Pointer c, byte[] body, SizeT bodyLen, long[] out);

    native int cmpay_client_from_env(Pointer c, long[] out);

    native int cmpay_client_from_vars(Pointer c, byte[] vars, SizeT varsLen, long[] out);

    native int cmpay_client_merchant(Pointer c, long[] out);

    native int cmpay_return_code_lookup(byte[] code, long[] canonical, long[] chinese, long[] english);

    native int cmpay_bank_name(byte[] bankCode, long[] out);

    native int cmpay_yuan(long fen, long[] out);

    native int cmpay_sandbox_start(int flags, long[] out);

    native int cmpay_sandbox_endpoint_into(Pointer s, byte[] buf, SizeT bufLen, long[] needed);

    native int cmpay_sandbox_ca_pem_into(Pointer s, byte[] buf, SizeT bufLen, long[] needed);

    native int cmpay_sandbox_notify_url_into(Pointer s, byte[] buf, SizeT bufLen, long[] needed);

    native int cmpay_sandbox_client(Pointer s, long[] out);

    native int cmpay_sandbox_merchant(Pointer s, long[] out);

    native int cmpay_sandbox_pay(Pointer s, byte[] orderId);

    native int cmpay_sandbox_fail(Pointer s, byte[] orderId);

    native int cmpay_sandbox_expire(Pointer s, byte[] orderId);

    native int cmpay_sandbox_wait_notified(Pointer s, byte[] orderId, int timeoutMs);

    native int cmpay_sandbox_deliveries_into(Pointer s, byte[] buf, SizeT bufLen, long[] needed);

    native void cmpay_sandbox_free(Pointer s);
}
