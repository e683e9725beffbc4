package io.cmpay;

/**
 * cmpay_order_status: an order's state as a query answer gives it (decided by
 * the library): status SUCCESS is PAID, FAILED is FAILED, any other value or
 * none is PENDING.
 */
public enum OrderStatus {
    PENDING, PAID, FAILED;

    /** The state for a cmpay_order_status value (its ordinal; PENDING for one this version does not know). */
    static OrderStatus ofCode(int code) {
        return code > 0 && code < values().length ? values()[code] : PENDING;
    }
}
