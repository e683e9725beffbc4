<?php

/*
 * What notify.php and return.php share: the merchant from the environment,
 * and the shop's order store through PDO, where a payment is recorded once.
 *
 *   CMPAY_MERCHANT_ID   the merchant id at the gateway
 *   CMPAY_SIGN_KEY      the 64-character MD5 signKey, or, for RSA,
 *   CMPAY_PRIVATE_KEY_FILE and CMPAY_GATEWAY_KEY_FILE (PEM files)
 *   CMPAY_DB_DSN        the shop's database, a PDO DSN (default: SQLite next to
 *                       this file); e.g. pgsql:host=db;dbname=shop for a store
 *                       that several web servers share
 *   CMPAY_DB_USER, CMPAY_DB_PASSWORD   its credentials, if any
 *   CMPAY_LIB           where libcmpay is, if not found by itself
 *
 * The tables (the same SQL for SQLite and PostgreSQL; the shop creates orders):
 *   orders   (order_id PRIMARY KEY, amount_fen, status 'new'|'paid', pay_no)
 *   payments (pay_no PRIMARY KEY, order_id, amount_fen, status, first_seen_via, recorded_at)
 */

declare(strict_types=1);

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

/**
 * Checks a verified notification against the shop's order and records its
 * payment once, whichever of PageNotify, OfflineNotify or a resend comes
 * first, from whichever worker or server: payNo is the primary key, and the
 * insert and the order's update are one transaction.
 *
 * @return array<string, mixed>|null the payment as recorded, or null for an unknown order
 * @throws \Cmpay\Exception\CmpayException when the notification is not about that order and amount
 */
function cmpay_record_payment(PDO $db, Notification $n): ?array
{
    $find = $db->prepare('SELECT amount_fen FROM orders WHERE order_id = ?');
    $find->execute([$n->orderId()]);
    $amount = $find->fetchColumn();
    $find->closeCursor(); // no read left open: the transaction below starts with its write
    if ($amount === false) {
        return null;
    }
    // The notification must be about the order we created, for its amount.
    $n->checkOrder((string) getenv('CMPAY_MERCHANT_ID'), $n->orderId(), (int) $amount);
    $paid = $n->isPaid();
    $db->beginTransaction();
    try {
        // The first statement writes, so SQLite takes its write lock at once.
        $insert = $db->prepare('INSERT INTO payments (pay_no, order_id, amount_fen, status, first_seen_via, recorded_at)'
            . ' VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pay_no) DO NOTHING');
        $insert->execute([$n->payNo(), $n->orderId(), $n->amount(), $paid ? 'paid' : 'failed', $n->type(), time()]);
        if ($insert->rowCount() === 1 && $paid) { // the first time this payment is seen
            $db->prepare("UPDATE orders SET status = 'paid', pay_no = ? WHERE order_id = ?")
                ->execute([$n->payNo(), $n->orderId()]);
        }
        $db->commit();
    } catch (Throwable $e) {
        $db->rollBack();
        throw $e;
    }
    $row = $db->prepare('SELECT * FROM payments WHERE pay_no = ?');
    $row->execute([$n->payNo()]);
    $payment = $row->fetch(PDO::FETCH_ASSOC);
    $row->closeCursor();
    return $payment ?: null;
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
