package io.cmpay;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A PageNotify or OfflineNotify whose signature held (there is no other kind).
 * Its fields never change; what may change is whether it is still
 * {@link #isAmbiguous() ambiguous}: the shop rules out other readings
 * ({@link #ruleOut}) or the gateway confirms it ({@link Client#confirm}).
 * Both are safe while other threads read it.
 *
 * <p>The gateway signs the values joined with no separator, so the same signed
 * source may also read as another order, amount or payNo (an orderId that is
 * another one's prefix plus a date-time, bankAbbr or mobile sliding into orderId,
 * payNo's trailing zeros moving into returnCode). The endpoint's steps, after
 * finding the shop's order for {@link #orderId()}: rule out each of
 * {@link #otherOrderIds()} that is none of the shop's orders; if it is still
 * ambiguous, {@link Client#confirm} it (an OrderQuery); then
 * {@link #checkOrder}, which throws {@link CmpayAmbiguousException} while it is
 * ambiguous and neither confirmed nor ruled out.
 */
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
    int nativeFields(Pointer p, byte[] buf, CmpayNative.SizeT bufLen, long[] needed) {
        return CmpayLibrary.get().cmpay_notification_fields_into(p, buf, bufLen, needed);
    }

    // The fields a notify endpoint reads, kept after the first read of any of them, which reads
    // every field in one crossing (a notification never changes; Strings are immutable, so a racy
    // first read is harmless). Once closed, reading them throws as before: the call goes to
    // the library again.
    private String type;
    private String payNo;
    private String orderId;
    private String merchantId;

    /** PageNotify or OfflineNotify. */
    public String type() {
        String v = type;
        return v != null && !isClosed() ? v : identity("type");
    }

    /** The gateway's transaction number: process a payment once per payNo. */
    public String payNo() {
        String v = payNo;
        return v != null && !isClosed() ? v : identity("payNo");
    }

    public String orderId() {
        String v = orderId;
        return v != null && !isClosed() ? v : identity("orderId");
    }

    public String merchantId() {
        String v = merchantId;
        return v != null && !isClosed() ? v : identity("merchantId");
    }

    /** Reads every field at once and keeps the four identity fields; returns {@code name}'s. One absent: get() reads it (CmpayNotFoundException). */
    private String identity(String name) {
        java.util.Map<String, String> all = fields();
        String t = all.get("type"), n = all.get("payNo"), o = all.get("orderId"), m = all.get("merchantId");
        if (t == null || n == null || o == null || m == null) {
            return get(name);
        }
        type = t;
        payNo = n;
        orderId = o;
        merchantId = m;
        return all.get(name);
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

    /**
     * Whether the signed source has another reading, not ruled out, with another orderId, amount,
     * payNo, returnCode, status or type: the bytes cannot say which was meant. A notification the
     * gateway has confirmed ({@link #isConfirmed()}) may still say true here; {@link #checkOrder}
     * passes it all the same.
     */
    public boolean isAmbiguous() {
        byte[] out = new byte[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_is_ambiguous(p, out)));
        return out[0] != 0;
    }

    /**
     * The other readings (ruled out or not), one string each:
     * {@code merchantId=... payNo=... returnCode=... type=... amount=... orderId=... status=...};
     * empty when there is none. For logs and people, not for parsing.
     */
    public List<String> otherReadings() {
        return lines(true);
    }

    /**
     * The orderIds the other readings name (never this one's own {@link #orderId()}); empty when
     * none. Ask the shop's own orders about each: one that is no order of the shop's is
     * {@link #ruleOut ruled out}.
     */
    public List<String> otherOrderIds() {
        return lines(false);
    }

    /** cmpay_notification_other_readings or _other_order_ids: one value a line, "" for none. */
    private List<String> lines(boolean readings) {
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> readings
                ? CmpayLibrary.get().cmpay_notification_other_readings(p, out)
                : CmpayLibrary.get().cmpay_notification_other_order_ids(p, out)));
        String text = CmpayLibrary.take(Out.pointer(out));
        if (text == null || text.isEmpty()) {
            return Collections.emptyList();
        }
        List<String> list = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                list.add(line);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * Rules out the other readings that name {@code orderId}, once the shop has found it is none
     * of its orders (a re-split to an order that does not exist pays nothing). Readings that keep
     * this orderId but change the amount, payNo or status cannot be ruled out: those need
     * {@link Client#confirm}. CmpayInvalidInputException when no other reading names it.
     */
    public void ruleOut(String orderId) {
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_rule_out(p, o)));
    }

    /** Whether the gateway has confirmed it ({@link Client#confirm}). */
    public boolean isConfirmed() {
        byte[] out = new byte[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_notification_is_confirmed(p, out)));
        return out[0] != 0;
    }

    /**
     * Checks it is about the order the shop created (same merchantId, orderId and amount) and means
     * only that: CmpayFieldException naming the first field that differs; CmpayAmbiguousException
     * while it is {@link #isAmbiguous() ambiguous} and not {@link #isConfirmed() confirmed}.
     */
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
