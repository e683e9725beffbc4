package io.cmpay;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/** A PageNotify or OfflineNotify whose signature held (there is no other kind). Immutable. */
public final class Notification extends FieldHandle {

    Notification(Pointer p) {
        super(p, Notification::free);
    }

    private static void free(Pointer p) {
        CmpayLibrary.get().cmpay_notification_free(p);
    }

    @Override
    int nativeField(Pointer p, String name, PointerByReference out) {
        return CmpayLibrary.get().cmpay_notification_field(p, name, out);
    }

    @Override
    int nativeFields(Pointer p, PointerByReference out) {
        return CmpayLibrary.get().cmpay_notification_fields(p, out);
    }

    /** PageNotify or OfflineNotify. */
    public String type() {
        return get("type");
    }

    /** The gateway's transaction number: process a payment once per payNo. */
    public String payNo() {
        return get("payNo");
    }

    public String orderId() {
        return get("orderId");
    }

    public String merchantId() {
        return get("merchantId");
    }

    /** The paid amount in fen. */
    public long amount() {
        LongByReference out = new LongByReference();
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_amount(p, out)));
        return out.getValue();
    }

    public AmtItem amtItem() {
        CmpayNative.NativeAmtItem a = new CmpayNative.NativeAmtItem();
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_amt_item(p, a)));
        return new AmtItem(a.cash, a.prepaid, a.coupon, a.voucher, a.points);
    }

    /** The merchant fee in fen (exact), or null when the gateway left it empty. */
    public Long feeFen() {
        LongByReference out = new LongByReference();
        int st = call(p -> CmpayLibrary.get().cmpay_notification_fee_fen(p, out));
        if (st == Status.NOT_FOUND.code) {
            return null;
        }
        CmpayLibrary.check(st);
        return out.getValue();
    }

    /** status SUCCESS with a success returnCode. */
    public boolean isPaid() {
        ByteByReference out = new ByteByReference();
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_is_paid(p, out)));
        return out.getValue() != 0;
    }

    /** Checks it is about the order the shop created; CmpayFieldException naming the first field that differs. */
    public void checkOrder(String merchantId, String orderId, long amountFen) {
        String m = CmpayLibrary.text(merchantId, "merchantId");
        String o = CmpayLibrary.text(orderId, "orderId");
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_check_order(p, m, o, amountFen)));
    }

    /** The answer body once the payment is recorded: "SUCCESS". */
    public String ack() {
        PointerByReference out = new PointerByReference();
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_ack(p, out)));
        return CmpayLibrary.take(out);
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
