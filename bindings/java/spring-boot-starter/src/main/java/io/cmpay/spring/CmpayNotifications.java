package io.cmpay.spring;

import io.cmpay.Client;
import io.cmpay.CmpayAmbiguousException;
import io.cmpay.CmpayException;
import io.cmpay.CmpayGatewayException;
import io.cmpay.CmpayNetworkException;
import io.cmpay.CmpayNotConfirmedException;
import io.cmpay.Notification;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Verifies, checks and records notifications through the shop's {@link CmpayNotifyHandler}: the
 * steps behind the notify endpoint, for a shop's own return page (the PageNotify) too. The
 * notification is verified by the library; a reading of its signed bytes that names an order the
 * shop never created is ruled out, and one still ambiguous is confirmed with the gateway by an
 * order query (docs/resplit.md); it must be about the shop's order for its amount; then it is
 * recorded once. Anything short of that records nothing and is never acknowledged.
 */
public class CmpayNotifications {
    private static final Log LOG = LogFactory.getLog(CmpayNotifications.class);

    /** The longest body read: one byte more than the library takes, so that it refuses an oversized one. */
    public static final int MAX_BODY = 65537;

    private final Client client;
    private final String merchantId;
    private final CmpayNotifyHandler handler;

    /** {@code client} verifies and confirms for {@code merchantId}; {@code handler} records. */
    public CmpayNotifications(Client client, String merchantId, CmpayNotifyHandler handler) {
        this.client = Objects.requireNonNull(client, "client");
        this.merchantId = Objects.requireNonNull(merchantId, "merchantId");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * What a notification came to: the HTTP status to answer (200 recorded; 400 refused: not
     * verified, not about that order and amount, or ambiguous and not confirmed; 404 an order the
     * shop does not know; 409 not recorded, the order was already paid under another payNo; 500
     * not recorded, the shop's store failed; 503 not recorded, the gateway could not be asked to
     * confirm it just now), the payment when recorded, and the answer to the gateway.
     *
     * @param status the HTTP status
     * @param payment the recorded payment (status 200), else null
     * @param answer the body for the gateway: its acknowledgement ("SUCCESS") when recorded, else "FAIL"
     */
    public record Outcome(int status, CmpayPayment payment, String answer) {
        static Outcome refused(int status) {
            return new Outcome(status, null, "FAIL");
        }

        /** Whether the payment is recorded (now or before) and may be acknowledged. */
        public boolean recorded() {
            return status == 200;
        }
    }

    /** Verifies, checks and records the notification {@code raw}, exactly as it arrived. */
    public Outcome process(byte[] raw) {
        try (Notification n = client.parseNotification(raw)) { // verified, or an exception
            String orderId = n.orderId();
            Long amount = handler.amountFen(orderId);
            if (amount == null) {
                LOG.warn("cmpay notify for an order the shop does not know: " + orderId);
                return Outcome.refused(404);
            }
            List<String> others = n.otherOrderIds();
            if (!others.isEmpty()) {
                Set<String> known = handler.existing(others);
                for (String other : others) {
                    if (!known.contains(other)) {
                        n.ruleOut(other);
                    }
                }
            }
            if (n.isAmbiguous()) {
                client.confirm(n); // throws unless the gateway agrees on status, amount and payNo
            }
            n.checkOrder(merchantId, orderId, amount);
            CmpayPayment payment = new CmpayPayment(orderId, n.payNo(), n.amount(), n.isPaid(), n.type());
            if (handler.record(payment) == CmpayNotifyHandler.Recording.CONFLICT) {
                LOG.warn("cmpay notify not recorded: order " + orderId + " was already paid under another payNo than "
                        + payment.payNo() + " (or that payNo was recorded otherwise): look at it");
                return Outcome.refused(409);
            }
            return new Outcome(200, payment, n.ack());
        } catch (CmpayNotConfirmedException | CmpayAmbiguousException e) {
            LOG.warn("cmpay notify not confirmed by the gateway, refused: " + e);
            return Outcome.refused(400);
        } catch (CmpayGatewayException | CmpayNetworkException e) {
            LOG.warn("cmpay notify ambiguous and not confirmed yet (the order query failed): " + e);
            return Outcome.refused(503);
        } catch (CmpayException e) {
            LOG.warn("cmpay notify refused: " + e);
            return Outcome.refused(400);
        } catch (RuntimeException e) { // the shop's store: not recorded, so not acknowledged
            LOG.error("cmpay notify not recorded: " + e, e);
            return Outcome.refused(500);
        }
    }
}
