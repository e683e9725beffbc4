package io.cmpay;

/**
 * An order's state as an OrderQuery answer gives it (protocol 5.5): status
 * SUCCESS is PAID, FAILED is FAILED, any other value or none is PENDING.
 */
public enum OrderStatus {
    PAID, FAILED, PENDING;

    /** The state for the answer's status field (null when absent). */
    public static OrderStatus of(String status) {
        if ("SUCCESS".equals(status)) {
            return PAID;
        }
        return "FAILED".equals(status) ? FAILED : PENDING;
    }
}
