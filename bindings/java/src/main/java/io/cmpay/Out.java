package io.cmpay;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteOrder;

/**
 * Out-parameters: a Java array of one element per output, which JNA's direct
 * mapping copies to the call and back (no native allocation, no cleaner, no
 * state kept between calls). A pointer output (char**, a handle**) is a
 * long[1], 8 bytes whatever the pointer's size: read it with
 * {@link #pointer(long[])}; a size_t* is a long[1] too ({@link #size(long[])}). The library writes an output only when the call
 * succeeds; the array starts zeroed.
 */
final class Out {
    /** A 32-bit pointer in the long's first 4 bytes: its high half on a big-endian machine. */
    private static final boolean HIGH_HALF = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private Out() {
    }

    /** A size_t the library wrote into {@code slot} (4 or 8 bytes, as a pointer). */
    static long size(long[] slot) {
        long v = slot[0];
        if (Native.SIZE_T_SIZE == 4) {
            v = HIGH_HALF ? v >>> 32 : v & 0xFFFFFFFFL;
        }
        return v;
    }

    /** The pointer the library wrote into {@code slot} (null for NULL). */
    static Pointer pointer(long[] slot) {
        long v = slot[0];
        if (Native.POINTER_SIZE == 4) {
            v = HIGH_HALF ? v >>> 32 : v & 0xFFFFFFFFL;
        }
        return v == 0 ? null : new Pointer(v);
    }
}
