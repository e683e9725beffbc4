package io.cmpay;

/**
 * The gateway's answer to the order query ({@link Client#confirm}) does not
 * confirm the notification: another status, amount or payNo. Record nothing,
 * never answer SUCCESS.
 */
public class CmpayNotConfirmedException extends CmpayException {
    private static final long serialVersionUID = 1L;

    public CmpayNotConfirmedException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
