package io.cmpay;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The out-parameters of a native call: slots of 8 bytes (a pointer or a
 * uint64_t) in native memory owned by the calling thread, zeroed before each
 * call and read right after it. One allocation per thread instead of a
 * ByReference (a malloc and a cleaner registration) per call. Safe because a
 * thread makes one native call at a time and nothing libcmpay calls back
 * into Java; every reader takes its values before the next call.
 */
final class Out {
    /** Enough for the most outputs a function has (cmpay_response_pay_url, cmpay_return_code_lookup: 3). */
    private static final int SLOTS = 3;
    private static final ThreadLocal<Memory> MEMORY = ThreadLocal.withInitial(() -> new Memory(8L * SLOTS));

    private Out() {
    }

    /** The thread's first slot, zeroed (a function writes its output only when it succeeds). */
    static Memory one() {
        Memory m = MEMORY.get();
        m.setLong(0, 0);
        return m;
    }

    /** The thread's slots, all zeroed: slot i is {@code slot(m, i)}. */
    static Memory all() {
        Memory m = MEMORY.get();
        m.clear();
        return m;
    }

    /** Slot i (0 to 2) of {@code m} as an argument. */
    static Pointer slot(Memory m, int i) {
        return i == 0 ? m : m.share(8L * i, 8);
    }

    /** The pointer in slot i. */
    static Pointer pointer(Memory m, int i) {
        return m.getPointer(8L * i);
    }
}
