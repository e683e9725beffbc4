package io.cmpay;

/** cmpay_status: the result of every fallible C function. Stable numbers, only ever appended. */
public enum Status {
    OK(0), INVALID_ARGUMENT(1), FIELD_INVALID(2), KEY(3), SIGNATURE_MISMATCH(4), PARSE(5), GATEWAY(6),
    TRANSPORT(7), TIMEOUT(8), TLS(9), AMBIGUOUS(10), NOT_CONFIRMED(11), FORGEABLE_SOURCE(12),
    NULL_POINTER(100), INVALID_UTF8(101), PANIC(102), NOT_FOUND(103),
    BUFFER_TOO_SMALL(104),
    /** A number this version does not know (a newer library), or an error found before calling the library. */
    UNKNOWN(-1);

    public final int code;

    Status(int code) {
        this.code = code;
    }

    public static Status of(int code) {
        for (Status s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
