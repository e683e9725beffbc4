<?php

/*
 * What notify.php, return.php and checkout.php share: the merchant and the
 * gateway client from the environment, and the shop's order store through
 * PDO, where a payment is recorded once.
 *
 *   CMPAY_MERCHANT_ID   the merchant id at the gateway
 *   CMPAY_SIGN_KEY      the 64-character MD5 signKey, or, for RSA,
 *   CMPAY_PRIVATE_KEY_FILE and CMPAY_GATEWAY_KEY_FILE (PEM files)
 *   CMPAY_ENDPOINT      the gateway (default: the production gateway), for
 *                       creating orders and confirming notifications
 *   CMPAY_ALLOW_HTTP    1 only for a test gateway on plain http (cmpay sandbox)
 *   CMPAY_DB_DSN        the shop's database, a PDO DSN (default: SQLite next to
 *                       this file); e.g. pgsql:host=db;dbname=shop for a store
 *                       that several web servers share
 *   CMPAY_DB_USER, CMPAY_DB_PASSWORD   its credentials, if any
 *   CMPAY_LIB           where libcmpay is, if not found by itself
 *
 * The tables (the same SQL for SQLite and PostgreSQL; the shop creates orders):
 *   orders   (order_id PRIMARY KEY, amount_fen, status 'new'|'paid', pay_no)
 *   payments (pay_no PRIMARY KEY, order_id, amount_fen, status, first_seen_via, recorded_at)
 *
 * The shop's order ids are all of one length (checkout.php: WEB, a
 * date-time, 8 random hex digits), so none is a prefix of another and none
 * ends in a date-time: a notification re-split to read as another order
 * (docs/resplit.md) then names an order the shop does not have.
 */

declare(strict_types=1);

use Cmpay\Client;
use Cmpay\Merchant;
use Cmpay\Notification;

// With Composer: require 'vendor/autoload.php';
require_once __DIR__ . '/../autoload.php';

const CMPAY_SHOP_SCHEMA = [
    'CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, amount_fen BIGINT NOT NULL,'
        . " status TEXT NOT NULL DEFAULT 'new', pay_no TEXT)",
    'CREATE TABLE IF NOT EXISTS payments (pay_no TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount_fen BIGINT NOT NULL,'
        . ' status TEXT NOT NULL, first_seen_via TEXT NOT NULL, recorded_at BIGINT NOT NULL)',
];

function cmpay_merchant(): Merchant
{
    $id = (string) getenv('CMPAY_MERCHANT_ID');
    $key = getenv('CMPAY_SIGN_KEY');
    if (is_string($key) && $key !== '') {
        return Merchant::md5($id, $key);
    }
    return Merchant::rsa(
        $id,
        (string) file_get_contents((string) getenv('CMPAY_PRIVATE_KEY_FILE')),
        (string) file_get_contents((string) getenv('CMPAY_GATEWAY_KEY_FILE'))
    );
}

function cmpay_db(): PDO
{
    $dsn = (string) (getenv('CMPAY_DB_DSN') ?: 'sqlite:' . __DIR__ . '/shop.sqlite3');
    $user = getenv('CMPAY_DB_USER');
    $password = getenv('CMPAY_DB_PASSWORD');
    $db = new PDO($dsn, $user === false ? null : $user, $password === false ? null : $password, [
        PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
        PDO::ATTR_TIMEOUT => 10, // SQLite: wait up to 10 s for another worker's write
    ]);
    if ($db->getAttribute(PDO::ATTR_DRIVER_NAME) === 'sqlite') {
        $db->exec('PRAGMA journal_mode = WAL'); // readers do not wait for the writer
    }
    foreach (CMPAY_SHOP_SCHEMA as $sql) {
        $db->exec($sql);
    }
    return $db;
}

/** The gateway client: creates orders (checkout.php) and confirms notifications. */
function cmpay_client(Merchant $merchant): Client
{
    $options = ['timeout_ms' => 10000, 'allow_http' => getenv('CMPAY_ALLOW_HTTP') === '1'];
    if (getenv('CMPAY_ENDPOINT')) {
        $options['endpoint'] = (string) getenv('CMPAY_ENDPOINT');
    }
    return new Client($merchant, $options);
}

/**
 * Of the given order ids, those the shop has (one query).
 *
 * @param string[] $orderIds
 * @return string[]
 */
function cmpay_known_orders(PDO $db, array $orderIds): array
{
    if ($orderIds === []) {
        return [];
    }
    $find = $db->prepare('SELECT order_id FROM orders WHERE order_id IN (' . implode(', ', array_fill(0, count($orderIds), '?')) . ')');
    $find->execute(array_values($orderIds));
    $known = array_map('strval', $find->fetchAll(PDO::FETCH_COLUMN));
    $find->closeCursor();
    return $known;
}

/**
 * Checks a verified notification against the shop's order and records its
 * payment once, whichever of PageNotify, OfflineNotify or a resend comes
 * first, from whichever worker or server.
 *
 * 1. The shop's order for orderId; none: null (nothing recorded).
 * 2. The same signed bytes may read as other orders (docs/resplit.md): each other
 *    orderId that is no order of the shop's is ruled out (a re-split to an
 *    order that does not exist pays nothing).
 * 3. Still ambiguous (another reading names one of the shop's orders, or
 *    changes the amount, payNo or status): the gateway is asked
 *    (Client::confirm, an OrderQuery). NotConfirmedException,
 *    AmbiguousException, GatewayException or a NetworkException: nothing
 *    recorded, the caller answers FAIL.
 * 4. checkOrder: merchantId, orderId and amount are the order's.
 * 5. Recorded once, by the order's state and by payNo, in one transaction:
 *    a paid notification marks a new order paid and inserts its payment
 *    (payNo the primary key); a resend of it changes nothing; a paid
 *    notification with another payNo for an order paid already is refused
 *    (CmpayShopRefusal, 409): one order is paid once.
 *
 * @return array<string, mixed>|null the payment as recorded, or null for an unknown order
 * @throws \Cmpay\Exception\CmpayException when the notification is not (only) about that order and amount
 * @throws CmpayShopRefusal when the order is paid already by another payment
 */
function cmpay_record_payment(PDO $db, Merchant $merchant, Notification $n): ?array
{
    $orderId = $n->orderId();
    $find = $db->prepare('SELECT amount_fen FROM orders WHERE order_id = ?');
    $find->execute([$orderId]);
    $amount = $find->fetchColumn();
    $find->closeCursor(); // no read left open: the transaction below starts with its write
    if ($amount === false) {
        return null;
    }
    $others = $n->otherOrderIds();
    $known = cmpay_known_orders($db, $others);
    foreach ($others as $other) {
        if (!in_array($other, $known, true)) {
            $n->ruleOut($other);
        }
    }
    if ($n->isAmbiguous()) {
        cmpay_client($merchant)->confirm($n); // throws unless the gateway agrees
    }
    // The notification must be about the order we created, for its amount, and only that.
    $n->checkOrder((string) getenv('CMPAY_MERCHANT_ID'), $orderId, (int) $amount);
    $paid = $n->isPaid();
    $payNo = $n->payNo();
    $db->beginTransaction();
    try {
        // The first statement writes, so SQLite takes its write lock at once
        // (PostgreSQL: a concurrent claim of the same order waits, then finds it paid).
        if ($paid) {
            $claim = $db->prepare("UPDATE orders SET status = 'paid', pay_no = ? WHERE order_id = ? AND status = 'new'");
            $claim->execute([$payNo, $orderId]);
            if ($claim->rowCount() !== 1) { // paid already: by this payment (a resend), or by another
                $by = $db->prepare('SELECT pay_no FROM orders WHERE order_id = ?');
                $by->execute([$orderId]);
                $earlier = (string) $by->fetchColumn();
                $by->closeCursor();
                if ($earlier !== $payNo) {
                    throw new CmpayShopRefusal(409, sprintf('order %s is paid already by payNo %s, not %s', $orderId, $earlier, $payNo));
                }
            }
        }
        $db->prepare('INSERT INTO payments (pay_no, order_id, amount_fen, status, first_seen_via, recorded_at)'
            . ' VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pay_no) DO NOTHING')
            ->execute([$payNo, $orderId, $n->amount(), $paid ? 'paid' : 'failed', $n->type(), time()]);
        $row = $db->prepare('SELECT * FROM payments WHERE pay_no = ?');
        $row->execute([$payNo]);
        $payment = $row->fetch(PDO::FETCH_ASSOC);
        $row->closeCursor();
        if ($payment === false || (string) $payment['order_id'] !== $orderId) {
            throw new CmpayShopRefusal(409, sprintf('payNo %s is recorded for order %s, not %s', $payNo, (string) ($payment['order_id'] ?? '?'), $orderId));
        }
        $db->commit();
    } catch (Throwable $e) {
        $db->rollBack();
        throw $e;
    }
    return $payment;
}

/**
 * A verified, checked notification the shop still refuses to record (an
 * order paid already by another payNo): getCode() is the HTTP status.
 */
final class CmpayShopRefusal extends RuntimeException
{
    public function __construct(int $httpStatus, string $message)
    {
        parent::__construct($message, $httpStatus);
    }
}

/**
 * The checkout's token against cross-site requests (CSRF), "double submit":
 * cart.php puts it in a cookie (SameSite=Strict, HttpOnly) and in its form;
 * checkout.php creates an order only for a POST that carries the same token
 * in both, from the shop's own origin. A page of another site can make a
 * browser POST to the checkout, but it can neither read the cookie nor set
 * it, and a SameSite=Strict cookie is not sent with its request at all. A
 * shop with sessions keeps the token in the session instead.
 */
const CMPAY_CHECKOUT_COOKIE = 'cmpay_checkout';

/** The browser's token, or a new one set as its cookie: 64 hex digits. */
function cmpay_checkout_token(): string
{
    $token = (string) ($_COOKIE[CMPAY_CHECKOUT_COOKIE] ?? '');
    if (preg_match('/^[0-9a-f]{64}$/', $token) === 1) {
        return $token;
    }
    $token = bin2hex(random_bytes(32));
    setcookie(CMPAY_CHECKOUT_COOKIE, $token, [
        'path' => '/', 'httponly' => true, 'samesite' => 'Strict',
        'secure' => strncmp(cmpay_shop_origin(), 'https:', 6) === 0,
    ]);
    return $token;
}

/** The shop's origin ("https://shop.example.com"): CMPAY_SHOP_URL's, else the request's. */
function cmpay_shop_origin(): string
{
    $url = (string) getenv('CMPAY_SHOP_URL');
    if ($url === '') {
        $https = ($_SERVER['HTTPS'] ?? '') !== '' && ($_SERVER['HTTPS'] ?? '') !== 'off';
        return ($https ? 'https' : 'http') . '://' . strtolower((string) ($_SERVER['HTTP_HOST'] ?? ''));
    }
    $scheme = strtolower((string) parse_url($url, PHP_URL_SCHEME));
    $port = parse_url($url, PHP_URL_PORT);
    $default = ['http' => 80, 'https' => 443][$scheme] ?? null;
    return $scheme . '://' . strtolower((string) parse_url($url, PHP_URL_HOST)) . ($port === null || $port === $default ? '' : ':' . $port);
}

/**
 * Why a checkout request must be refused (null when it may create an
 * order): not from the shop's origin, or without the cart's token.
 *
 * @param array<string, string> $form the POSTed form's fields
 */
function cmpay_checkout_refusal(array $form): ?string
{
    $origin = $_SERVER['HTTP_ORIGIN'] ?? null;
    if ($origin !== null && strtolower((string) $origin) !== cmpay_shop_origin()) {
        return 'from another origin: ' . $origin;
    }
    $site = $_SERVER['HTTP_SEC_FETCH_SITE'] ?? null;
    if ($site !== null && $site !== 'same-origin') {
        return 'a ' . $site . ' request';
    }
    $cookie = (string) ($_COOKIE[CMPAY_CHECKOUT_COOKIE] ?? '');
    $token = $form['token'] ?? '';
    if (preg_match('/^[0-9a-f]{64}$/', $cookie) !== 1 || !is_string($token) || !hash_equals($cookie, $token)) {
        return 'without the cart\'s token';
    }
    return null;
}

/**
 * The notification exactly as it arrived: the POST body (OfflineNotify, and a
 * PageNotify the browser posts), or the query string (a PageNotify by GET).
 * Never $_POST/$_GET: PHP re-decodes them, and the signature is over what was sent.
 */
function cmpay_raw_notification(): string
{
    return ($_SERVER['REQUEST_METHOD'] ?? 'GET') === 'POST'
        ? (string) file_get_contents('php://input', false, null, 0, 65537)
        : (string) ($_SERVER['QUERY_STRING'] ?? '');
}
