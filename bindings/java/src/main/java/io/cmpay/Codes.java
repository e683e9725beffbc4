package io.cmpay;


/** The gateway's return codes and bank codes. */
public final class Codes {
    private Codes() {
    }

    /** A gateway return code with its meaning. */
    public static final class ReturnCode {
        /** The payment document's spelling, e.g. MCG01088 for C01088. */
        public final String canonical;
        public final String chinese;
        public final String english;

        ReturnCode(String canonical, String chinese, String english) {
            this.canonical = canonical;
            this.chinese = chinese;
            this.english = english;
        }
    }

    /** The code by either spelling, or null when unknown. */
    public static ReturnCode returnCode(String code) {
        byte[] z = CmpayLibrary.text(code, "code");
        long[] c = new long[1];
        long[] zh = new long[1];
        long[] en = new long[1];
        int st = CmpayLibrary.get().cmpay_return_code_lookup(z, c, zh, en);
        if (st == Status.NOT_FOUND.code) {
            return null;
        }
        CmpayLibrary.check(st);
        String[] t = CmpayLibrary.takeAll(c, zh, en);
        return new ReturnCode(t[0], t[1], t[2]);
    }

    /** The Chinese name of a bank code ("ICBC" gives 工商银行), or null when unknown. */
    public static String bankName(String bankCode) {
        long[] out = new long[1];
        int st = CmpayLibrary.get().cmpay_bank_name(CmpayLibrary.text(bankCode, "bankCode"), out);
        if (st == Status.NOT_FOUND.code) {
            return null;
        }
        CmpayLibrary.check(st);
        return CmpayLibrary.take(Out.pointer(out));
    }
}
