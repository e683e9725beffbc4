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
    int nativeFields(Pointer p, long[] out) {
        return CmpayLibrary.get().cmpay_notification_fields(p, out);
    }

    /** A value is read into a Java buffer of this size first (a larger one when the library says so). */
    private static final int BUFFER = 128;
    /** The identity fields, read together (cmpay_notification_values_into) the first time one is asked for. */
    private static final byte[] IDENTITY = CmpayLibrary.text("type,payNo,orderId,merchantId", "names");

    // The fields a notify endpoint reads, kept after the first read of any of them, which reads
    // all four in one crossing (a notification never changes; Strings are immutable, so a racy
    // first read is harmless). Once closed, reading them throws as before: the call goes to
    // the library again.
    private String type;
    private String payNo;
    private String orderId;
    private String merchantId;

    /** PageNotify or OfflineNotify. */
    public String type() {
        String v = type;
        return v != null && !isClosed() ? v : identity(0, "type");
    }

    /** The gateway's transaction number: process a payment once per payNo. */
    public String payNo() {
        String v = payNo;
        return v != null && !isClosed() ? v : identity(1, "payNo");
    }

    public String orderId() {
        String v = orderId;
        return v != null && !isClosed() ? v : identity(2, "orderId");
    }

    public String merchantId() {
        String v = merchantId;
        return v != null && !isClosed() ? v : identity(3, "merchantId");
    }

    /** Reads and keeps the four identity fields at once; returns the i-th. One absent: that one alone, as get() reads it. */
    private String identity(int i, String name) {
        String[] v = into(IDENTITY, true, 4, true);
        if (v == null) {
            return get(name); // CmpayNotFoundException for the absent one, the others as before
        }
        type = v[0];
        payNo = v[1];
        orderId = v[2];
        merchantId = v[3];
        return v[i];
    }

    /** One field through cmpay_notification_field_into: nothing to free, one crossing. */
    @Override
    String read(byte[] name, boolean absentIsNull) {
        String[] v = into(name, false, 1, absentIsNull);
        return v == null ? null : v[0];
    }

    /**
     * cmpay_notification_field_into (one name) or _values_into (a list): the {@code count}
     * values; when a field is absent (CMPAY_NOT_FOUND), null if {@code absentIsNull}, else the
     * library's CmpayNotFoundException. A buffer the library finds too small is replaced by one
     * of the size it says it needs, once.
     */
    private String[] into(byte[] names, boolean list, int count, boolean absentIsNull) {
        byte[] buf = new byte[BUFFER];
        long[] needed = new long[1];
        for (int attempt = 0;; attempt++) {
            byte[] b = buf;
            CmpayNative.SizeT len = new CmpayNative.SizeT(b.length);
            int st = call(p -> list
                    ? CmpayLibrary.get().cmpay_notification_values_into(p, names, b, len, needed)
                    : CmpayLibrary.get().cmpay_notification_field_into(p, names, b, len, needed));
            if (st == Status.OK.code) {
                return split(b, (int) Out.size(needed), count);
            }
            if (absentIsNull && st == Status.NOT_FOUND.code) {
                return null;
            }
            long want = Out.size(needed);
            if (st == Status.BUFFER_TOO_SMALL.code && attempt == 0 && want > b.length && want <= Integer.MAX_VALUE) {
                buf = new byte[(int) want];
                continue;
            }
            CmpayLibrary.check(st);
            throw CmpayLibrary.input(Status.PANIC, "the library gave no values"); // check() threw already
        }
    }

    /** The {@code count} NUL-terminated values in the first {@code total} bytes of {@code b}. */
    private static String[] split(byte[] b, int total, int count) {
        String[] out = new String[count];
        int at = 0;
        for (int i = 0; i < count; i++) {
            int end = at;
            while (end < total && b[end] != 0) {
                end++;
            }
            if (end >= total) {
                throw CmpayLibrary.input(Status.PANIC, "the library wrote fewer values than asked for");
            }
            out[i] = CmpayLibrary.text(b, at, end - at);
            at = end + 1;
        }
        return out;
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

    /** The answer body once the payment is recorded: "SUCCESS" (the library's static text, nothing to free). */
    public String ack() {
        return CmpayLibrary.staticString(call(p -> CmpayLibrary.get().cmpay_notification_ack_text(p)));
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
