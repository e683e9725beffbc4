package io.cmpay;

/**
 * A verified notification (or query answer) whose signed source also reads as
 * another order, amount, payNo, status or type ({@link Notification#otherReadings()}):
 * the bytes cannot say which was meant. Rule out the other order ids that are
 * none of the shop's ({@link Notification#ruleOut}), or confirm it with the
 * gateway ({@link Client#confirm}), then check the order again. Never record it as it is.
 */
public class CmpayAmbiguousException extends CmpayException {
    private static final long serialVersionUID = 1L;

    public CmpayAmbiguousException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
