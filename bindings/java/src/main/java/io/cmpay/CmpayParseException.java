package io.cmpay;

/** A body or value is malformed. */
public class CmpayParseException extends CmpayException {
    private static final long serialVersionUID = 1L;

    public CmpayParseException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
