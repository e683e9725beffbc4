package io.cmpay;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Every function of include/cmpay.h, and nothing else (the header is the final
 * word: keep this interface in step with it). Loaded with
 * {@link Library#OPTION_STRING_ENCODING} UTF-8, so a Java String argument
 * crosses as NUL-terminated UTF-8 (the wrapper checks first that it has no NUL
 * and no lone surrogate, which UTF-8 cannot carry unaltered). Strings out are
 * Pointers: copied, then freed with cmpay_string_free in a finally. C bool is
 * one byte (byte, ByteByReference), size_t is {@link SizeT}, uint64_t is long.
 * Handles are {@link Handle} subclasses, passed as their Pointer (Handle.call).
 */
interface CmpayNative extends Library {

    /** size_t: 32 or 64 bits like a pointer. */
    final class SizeT extends IntegerType {
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
    final class NativeAmtItem extends Structure {
        public long cash;
        public long prepaid;
        public long coupon;
        public long voucher;
        public long points;
    }

    Pointer cmpay_version();

    Pointer cmpay_status_name(int status);

    Pointer cmpay_last_error();

    Pointer cmpay_last_error_return_code();

    Pointer cmpay_last_error_field();

    void cmpay_string_free(Pointer s);

    int cmpay_merchant_new_md5(String merchantId, String signKey, PointerByReference out);

    int cmpay_merchant_new_rsa(String merchantId, byte[] privateKey, SizeT privateKeyLen,
                               byte[] gatewayPublicKey, SizeT gatewayPublicKeyLen, byte allowLegacy1024,
                               PointerByReference out);

    void cmpay_merchant_free(Pointer m);

    int cmpay_merchant_sign_request(Pointer m, String kind, byte[] params, SizeT paramsLen, PointerByReference out);

    int cmpay_merchant_hmac(Pointer m, String kind, byte[] params, SizeT paramsLen, PointerByReference out);

    int cmpay_merchant_verify(Pointer m, String kind, byte[] body, SizeT bodyLen);

    int cmpay_signed_request_body(Pointer r, PointerByReference out);

    int cmpay_signed_request_content_type(Pointer r, PointerByReference out);

    int cmpay_signed_request_hmac(Pointer r, PointerByReference out);

    int cmpay_signed_request_source(Pointer r, PointerByReference out);
    int cmpay_signed_request_html_form(Pointer r, String action, PointerByReference out);

    int cmpay_signed_request_field(Pointer r, String name, PointerByReference out);

    void cmpay_signed_request_free(Pointer r);

    int cmpay_response_parse(Pointer m, String kind, byte[] body, SizeT bodyLen, byte allowHttp, PointerByReference out);

    int cmpay_response_field(Pointer r, String name, PointerByReference out);

    int cmpay_response_fields(Pointer r, PointerByReference out);

    int cmpay_response_pay_url(Pointer r, PointerByReference url, PointerByReference method, PointerByReference sessionId);

    int cmpay_response_redirect_url(Pointer r, PointerByReference out);

    int cmpay_response_html_form(Pointer r, PointerByReference out);

    int cmpay_response_order_status(Pointer r, IntByReference out);

    int cmpay_response_amount(Pointer r, LongByReference out);

    void cmpay_response_free(Pointer r);

    int cmpay_notification_parse(Pointer m, byte[] body, SizeT bodyLen, PointerByReference out);

    int cmpay_notification_field(Pointer n, String name, PointerByReference out);

    int cmpay_notification_fields(Pointer n, PointerByReference out);

    int cmpay_notification_amount(Pointer n, LongByReference out);

    int cmpay_notification_amt_item(Pointer n, NativeAmtItem out);

    int cmpay_notification_fee_fen(Pointer n, LongByReference out);

    int cmpay_notification_is_paid(Pointer n, ByteByReference out);

    int cmpay_notification_check_order(Pointer n, String merchantId, String orderId, long amountFen);

    int cmpay_notification_ack(Pointer n, PointerByReference out);

    void cmpay_notification_free(Pointer n);

    int cmpay_config_new(PointerByReference out);

    int cmpay_config_set(Pointer c, String name, String value);

    int cmpay_config_add_ca_pem(Pointer c, byte[] pem, SizeT pemLen);

    void cmpay_config_free(Pointer c);

    int cmpay_client_new(Pointer m, Pointer c, PointerByReference out);

    int cmpay_client_create_order(Pointer c, byte[] params, SizeT paramsLen, PointerByReference out);

    int cmpay_client_query_order(Pointer c, String orderId, PointerByReference out);

    int cmpay_client_refund(Pointer c, String orderId, long amountFen, PointerByReference out);

    void cmpay_client_free(Pointer c);

    int cmpay_return_code_lookup(String code, PointerByReference canonical, PointerByReference chinese,
                                 PointerByReference english);

    int cmpay_bank_name(String bankCode, PointerByReference out);

    int cmpay_yuan(long fen, PointerByReference out);
}
