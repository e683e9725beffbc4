package io.cmpay;

/** A panic caught inside the library (a bug), or a status this version does not know. */
public class CmpayInternalException extends CmpayException {
    private static final long serialVersionUID = 1L;

    public CmpayInternalException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
