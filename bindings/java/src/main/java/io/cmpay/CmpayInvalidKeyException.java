package io.cmpay;

/** A key could not be loaded or was refused (too short, wrong type, empty). */
public class CmpayInvalidKeyException extends CmpayInvalidInputException {
    private static final long serialVersionUID = 1L;

    public CmpayInvalidKeyException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
