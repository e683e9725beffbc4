package io.cmpay;

/** A field or code that does not exist. */
public class CmpayNotFoundException extends CmpayException {
    private static final long serialVersionUID = 1L;

    public CmpayNotFoundException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
