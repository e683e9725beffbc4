package io.cmpay;

/**
 * The request was not signed: its signature source reads as a message the
 * gateway sends this merchant (a notification or an answer), so its hmac would
 * forge one. Change the free-text fields (reserved1, reserved2, productName, ...)
 * and sign again.
 */
public class CmpayForgeableSourceException extends CmpayInvalidInputException {
    private static final long serialVersionUID = 1L;

    public CmpayForgeableSourceException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
