<?php

declare(strict_types=1);

namespace Cmpay\Laravel;

use Cmpay\Client;
use Cmpay\Exception\CmpayException;
use Cmpay\Exception\GatewayException;
use Cmpay\Exception\NetworkException;
use Illuminate\Contracts\Events\Dispatcher;
use Illuminate\Contracts\Foundation\Application;
use Illuminate\Database\DatabaseManager;
use Illuminate\Http\Request;
use Illuminate\Http\Response;
use Psr\Log\LoggerInterface;

/**
 * The OfflineNotify endpoint (CmpayServiceProvider::routes()): the raw body
 * verified through the library, made to mean one order (the other orders its
 * signed bytes read as ruled out where the shop has none, else confirmed
 * with the gateway: docs/resplit.md), checked against the shop's order and
 * amount (OrderBook), the paid order recorded once in cmpay_payments, and
 * only then "SUCCESS". A resend of the same payment is acknowledged without
 * a second record or event. Anything else is "FAIL", and the gateway sends
 * again: 400 refused (forged, another merchant's, ambiguous, the gateway
 * disagrees), 404 no such order, 409 the order is paid already by another
 * payNo, 413 too long, 503 the gateway could not be asked now.
 */
final class NotifyController
{
    /** A notification is a few hundred bytes. */
    public const MAX_BODY = 65536;

    public function __invoke(Request $request, Application $app, Client $client, OrderBook $orders, DatabaseManager $db,
        Dispatcher $events, LoggerInterface $log): Response
    {
        $body = $request->getContent(); // the bytes as sent, never $request->input(): the signature is over them
        if (strlen($body) > self::MAX_BODY) {
            return self::answer(413, 'FAIL');
        }
        try {
            $n = $client->parseNotification($body); // verified, or an exception
            $orderId = $n->orderId();
            $amount = $orders->amountFen($orderId);
            if ($amount === null) {
                $log->warning(sprintf('cmpay notify refused: no order %s', $orderId));
                return self::answer(404, 'FAIL');
            }
            foreach ($n->otherOrderIds() as $other) {
                if ($orders->amountFen($other) === null) {
                    $n->ruleOut($other); // a re-split to an order the shop never made pays nothing
                }
            }
            if ($n->isAmbiguous()) {
                $client->confirm($n); // throws unless the gateway agrees
            }
            $merchantId = CmpayServiceProvider::merchantId($app);
            $n->checkOrder($merchantId, $orderId, $amount);
            if (!$n->isPaid()) {
                $log->info(sprintf('cmpay notify: order %s not paid (payNo %s); nothing recorded', $orderId, $n->payNo()));
                return self::answer(200, $n->ack());
            }
            $payNo = $n->payNo();
            $connection = $db->connection($app['config']->get('cmpay.connection'));
            // The record and the PaymentRecorded listeners in one transaction:
            // a listener that throws undoes the record (FAIL, the gateway resends).
            $recorded = $connection->transaction(static function ($connection) use ($events, $merchantId, $orderId, $payNo, $n): string {
                $inserted = $connection->table('cmpay_payments')->insertOrIgnore([
                    'merchant_id' => $merchantId,
                    'order_id' => $orderId,
                    'pay_no' => $payNo,
                    'amount_fen' => $n->amount(),
                    'first_seen_via' => $n->type(),
                ]);
                if ($inserted === 1) {
                    $events->dispatch(new PaymentRecorded($merchantId, $orderId, $payNo, $n->amount(), $n->type()));
                    return $payNo;
                }
                return (string) $connection->table('cmpay_payments')
                    ->where('merchant_id', $merchantId)->where('order_id', $orderId)->value('pay_no');
            });
            if ($recorded !== $payNo) {
                $log->warning(sprintf('cmpay notify refused: order %s is paid already by payNo %s, not %s', $orderId, $recorded, $payNo));
                return self::answer(409, 'FAIL');
            }
            // Recorded: now, and only now, the answer that stops the resends.
            return self::answer(200, $n->ack());
        } catch (NetworkException | GatewayException $e) {
            $log->warning(sprintf('cmpay notify not confirmed now, the gateway could not be asked: %s %s', $e->getStatusName(), $e->getMessage()));
            return self::answer(503, 'FAIL');
        } catch (CmpayException $e) {
            $log->warning(sprintf('cmpay notify refused: %s %s', $e->getStatusName(), $e->getMessage()));
            return self::answer(400, 'FAIL');
        }
    }

    private static function answer(int $status, string $text): Response
    {
        return new Response($text, $status, ['Content-Type' => 'text/plain; charset=utf-8']);
    }
}
