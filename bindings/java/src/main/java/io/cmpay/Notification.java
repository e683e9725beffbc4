package io.cmpay;

import com.sun.jna.Pointer;

/** A PageNotify or OfflineNotify whose signature held (there is no other kind). Immutable. */
public final class Notification extends FieldHandle {

    Notification(Pointer p) {
        super(p, Notification::free);
    }

    private static void free(Pointer p) {
        CmpayLibrary.get().cmpay_notification_free(p);
    }

    @Override
    int nativeField(Pointer p, byte[] name, long[] out) {
        return CmpayLibrary.get().cmpay_notification_field(p, name, out);
    }

    @Override
    int nativeFields(Pointer p, long[] out) {
        return CmpayLibrary.get().cmpay_notification_fields(p, out);
    }

    // The fields a notify endpoint reads more than once, kept after the first read (a
    // notification never changes; Strings are immutable, so a racy first read is harmless).
    // Once closed, reading them throws as before: kept() goes to the library again.
    private String type;
    private String payNo;
    private String orderId;
    private String merchantId;

    /** PageNotify or OfflineNotify. */
    public String type() {
        String v = type;
        return v != null && !isClosed() ? v : (type = get("type"));
    }

    /** The gateway's transaction number: process a payment once per payNo. */
    public String payNo() {
        String v = payNo;
        return v != null && !isClosed() ? v : (payNo = get("payNo"));
    }

    public String orderId() {
        String v = orderId;
        return v != null && !isClosed() ? v : (orderId = get("orderId"));
    }

    public String merchantId() {
        String v = merchantId;
        return v != null && !isClosed() ? v : (merchantId = get("merchantId"));
    }

    /** The paid amount in fen. */
    public long amount() {
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_amount(p, out)));
        return out[0];
    }

    public AmtItem amtItem() {
        CmpayNative.NativeAmtItem a = new CmpayNative.NativeAmtItem();
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_amt_item(p, a)));
        return new AmtItem(a.cash, a.prepaid, a.coupon, a.voucher, a.points);
    }

    /** The merchant fee in fen (exact), or null when the gateway left it empty. */
    public Long feeFen() {
        long[] out = new long[1];
        int st = call(p -> CmpayLibrary.get().cmpay_notification_fee_fen(p, out));
        if (st == Status.NOT_FOUND.code) {
            return null;
        }
        CmpayLibrary.check(st);
        return out[0];
    }

    /** status SUCCESS with a success returnCode. */
    public boolean isPaid() {
        byte[] out = new byte[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_is_paid(p, out)));
        return out[0] != 0;
    }

    /** Checks it is about the order the shop created; CmpayFieldException naming the first field that differs. */
    public void checkOrder(String merchantId, String orderId, long amountFen) {
        byte[] m = CmpayLibrary.text(merchantId, "merchantId");
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_check_order(p, m, o, amountFen)));
    }

    /** The answer body once the payment is recorded: "SUCCESS". */
    public String ack() {
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_ack(p, out)));
        return CmpayLibrary.take(Out.pointer(out));
    }

    /** amtItem: how the paid amount splits, in fen. */
    public static final class AmtItem {
        /** CNY_AMT */
        public final long cash;
        /** CMY_AMT */
        public final long prepaid;
        /** RED_AMT */
        public final long coupon;
        /** VCH_AMT */
        public final long voucher;
        /** POT_CHG_AMT */
        public final long points;

        public AmtItem(long cash, long prepaid, long coupon, long voucher, long points) {
            this.cash = cash;
            this.prepaid = prepaid;
            this.coupon = coupon;
            this.voucher = voucher;
            this.points = points;
        }
    }
}
