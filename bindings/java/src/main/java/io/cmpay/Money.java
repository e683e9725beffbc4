package io.cmpay;


/** Amounts as people read them, converted by the library (its one place for money). */
public final class Money {
    private Money() {
    }

    /** An amount in fen as yuan with two decimals, exactly (12800 gives "128.00"); a negative amount is refused. */
    public static String yuan(long fen) {
        if (fen < 0) {
            throw CmpayLibrary.input(Status.INVALID_ARGUMENT, "fen must be a non-negative number of fen");
        }
        long[] out = new long[1];
        CmpayLibrary.check(CmpayLibrary.get().cmpay_yuan(fen, out));
        return CmpayLibrary.take(Out.pointer(out));
    }
}
