package io.cmpay;

/** libcmpay could not be found or loaded; the message says where it was looked for, the cause is JNA's error. */
public class CmpayLibraryNotFoundException extends CmpayException {
    private static final long serialVersionUID = 1L;

    public CmpayLibraryNotFoundException(String message, Throwable cause) {
        super(-1, "", message, null, null);
        initCause(cause);
    }
}
