package io.cmpay.spring;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The shop's side of the notify endpoint: its orders and the payments it has recorded. Declare
 * one bean implementing it and the starter serves the notifyUrl ({@code cmpay.notify.path},
 * {@link CmpayNotifyController}): each notification verified by the library, checked against the
 * shop's order and recorded through {@link #record} once; only then is the gateway answered its
 * acknowledgement.
 */
public interface CmpayNotifyHandler {

    /** The amount (fen) of an order the shop created, or null if it knows no such order. */
    Long amountFen(String orderId);

    /**
     * Which of {@code orderIds} are orders the shop created: a notification that could also be
     * read as paying one of the others pays nothing there (docs/resplit.md). One query in a
     * database; this default asks {@link #amountFen} about each.
     */
    default Set<String> existing(Collection<String> orderIds) {
        Set<String> known = new HashSet<>();
        for (String id : orderIds) {
            if (amountFen(id) != null) {
                known.add(id);
            }
        }
        return known;
    }

    /**
     * Records a verified payment once: by its payNo and, for a paid one, by the order's state (an
     * order already paid is never paid again, whatever the payNo). In one transaction with the
     * order's update. Throwing (the database is down) records nothing and answers the gateway
     * FAIL, which sends the notification again later.
     */
    Recording record(CmpayPayment payment);

    /** What {@link #record} came to. */
    enum Recording {
        /** Recorded now. */
        RECORDED,
        /** Recorded before under this payNo for this order (a resend, or the other notification). */
        ALREADY_RECORDED,
        /**
         * Not recorded: the order was already paid under another payNo, or this payNo was
         * recorded otherwise. Never a second payment in the books: the gateway is answered FAIL
         * (409) and a person looks.
         */
        CONFLICT
    }
}
