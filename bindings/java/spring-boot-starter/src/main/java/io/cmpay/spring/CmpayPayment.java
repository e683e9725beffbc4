package io.cmpay.spring;

/**
 * A verified notification, checked against the shop's order: what {@link CmpayNotifyHandler#record}
 * records.
 *
 * @param orderId the shop's order
 * @param payNo the gateway's payment number (one payment, however often it is notified)
 * @param amountFen the amount, in fen, equal to the order's
 * @param paid true for a paid order (status SUCCESS), false for a failed payment
 * @param via the notification's type (OfflineNotify, PageNotify)
 */
public record CmpayPayment(String orderId, String payNo, long amountFen, boolean paid, String via) {
}
