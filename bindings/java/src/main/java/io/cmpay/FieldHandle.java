package io.cmpay;

import com.sun.jna.Pointer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Map;

/**
 * A handle whose fields are read by name: a gateway answer or a
 * notification. The accessors live here once; each kind names its two
 * native functions.
 */
public abstract class FieldHandle extends Handle {
    private static final ZoneOffset GATEWAY_TIME = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

    FieldHandle(Pointer p, Free free) {
        super(p, free);
    }

    /** The kind's cmpay_<noun>_field. */
    abstract int nativeField(Pointer p, byte[] name, long[] out);

    /** The kind's cmpay_<noun>_fields_into. */
    abstract int nativeFields(Pointer p, byte[] buf, CmpayNative.SizeT bufLen, long[] needed);

    /** What the first read of every field tries (a larger buffer when the library says so). */
    private static final int FIELDS_BUFFER = 1024;

    /** One field (decoded), "" when sent empty, null when absent. */
    public String field(String name) {
        return read(CmpayLibrary.text(name, "name"), true);
    }

    /** One field; CmpayNotFoundException when absent. */
    public String get(String name) {
        return read(CmpayLibrary.text(name, "name"), false);
    }

    /**
     * One field by its C name: null when absent and {@code absentIsNull}, else the library's
     * CmpayNotFoundException. A kind with a cheaper call than its _field overrides this.
     */
    String read(byte[] name, boolean absentIsNull) {
        long[] out = new long[1];
        int st = call(p -> nativeField(p, name, out));
        if (absentIsNull && st == Status.NOT_FOUND.code) {
            return null;
        }
        CmpayLibrary.check(st);
        return CmpayLibrary.take(Out.pointer(out));
    }

    /** Every field in the order received, in one crossing (two when the first buffer is too small). */
    public Map<String, String> fields() {
        byte[] buf = new byte[FIELDS_BUFFER];
        long[] needed = new long[1];
        for (int attempt = 0;; attempt++) {
            byte[] b = buf;
            CmpayNative.SizeT len = new CmpayNative.SizeT(b.length);
            int st = call(p -> nativeFields(p, b, len, needed));
            long want = Out.size(needed);
            if (st == Status.BUFFER_TOO_SMALL.code && attempt == 0 && want > b.length && want <= Integer.MAX_VALUE) {
                buf = new byte[(int) want];
                continue;
            }
            CmpayLibrary.check(st);
            return Pairs.decode(b, (int) want);
        }
    }

    /** orderDate (yyyyMMdd) as a date, null when absent or empty. */
    public LocalDate orderDate() {
        String v = field("orderDate");
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(v, DATE);
        } catch (DateTimeParseException e) {
            throw CmpayLibrary.input(Status.PARSE, "orderDate \"" + v + "\" is not a yyyyMMdd date");
        }
    }

    /** payDate (yyyyMMddHHmmss, the gateway's time, UTC+8), null when absent or empty. */
    public OffsetDateTime payDate() {
        String v = field("payDate");
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(v, TIME).atOffset(GATEWAY_TIME);
        } catch (DateTimeParseException e) {
            throw CmpayLibrary.input(Status.PARSE, "payDate \"" + v + "\" is not a yyyyMMddHHmmss time");
        }
    }

    /** A field as text, null when absent or empty. */
    final String nonEmpty(String name) {
        String v = field(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
