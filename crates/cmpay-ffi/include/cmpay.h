/*
 * cmpay.h: the C ABI of libcmpay, the merchant side of China Mobile's CMPay
 * (和包) payment gateway. Generated from crates/cmpay-ffi/src/ by cbindgen; do not edit.
 *
 * Conventions
 * - Every fallible function returns a cmpay_status. Outputs are written only
 *   when it is CMPAY_OK; after any other status cmpay_last_error() (and
 *   cmpay_last_error_return_code(), cmpay_last_error_field()) say why, on the
 *   calling thread, until its next cmpay_ call that returns a status.
 * - Strings in are NUL-terminated UTF-8: NULL gives CMPAY_NULL_POINTER,
 *   invalid UTF-8 gives CMPAY_INVALID_UTF8 (text is never altered).
 * - Bodies, key bytes and bulk parameters in are (const uint8_t *, size_t);
 *   NULL with length 0 means empty. Field lists cross the ABI in one
 *   carrier, both ways: NUL pairs "name\0value\0name\0value\0" (UTF-8,
 *   every name and value followed by one NUL, so "fee\0\0" is an empty
 *   value, no escaping), so a message crosses the ABI in one call. Bulk
 *   parameters in are NUL pairs only (a form body "name=value&..." is
 *   refused with CMPAY_INVALID_ARGUMENT); the *_fields_into functions hand
 *   a message's fields out the same way. At most 256 pairs. Only a body
 *   that goes on the wire (cmpay_signed_request_body) is a form body.
 * - Owned strings out come through char ** and are freed only with
 *   cmpay_string_free (never free(), FFI::free or the host's allocator).
 *   The *_into functions write into the caller's (char *buf, size_t buf_len)
 *   instead, nothing to free: their size_t *needed gets the bytes the output
 *   takes (NULs included) on CMPAY_OK and on CMPAY_BUFFER_TOO_SMALL, when
 *   buf is left untouched (never a truncated value; NULL, 0 asks the size).
 * - Handles are opaque; cmpay_<noun>_free(NULL) is a no-op.
 * - Message kinds are the strings "order-request", "order-response",
 *   "notify", "query-request", "query-response", "refund-request",
 *   "refund-response".
 * - A panic inside the library becomes CMPAY_PANIC; it never unwinds into,
 *   or aborts, the host.
 *
 * Threads
 * - cmpay_merchant, cmpay_client, cmpay_signed_request, cmpay_response and
 *   cmpay_notification are immutable once made: one handle may be used by
 *   any number of threads at once (share one client per process). Only its
 *   _free must not race with other use.
 * - cmpay_sandbox (an in-process gateway simulator for tests) may be used by
 *   any number of threads at once; cmpay_sandbox_free stops it.
 * - cmpay_config is not thread-safe: build it on one thread, pass it to
 *   cmpay_client_new (which copies it), then free it.
 * - The last error is per thread.
 *
 * The status numbers are stable and only ever appended; every #define below
 * also has a function (cmpay_version), because FFI hosts cannot see macros.
 */

#ifndef CMPAY_H
#define CMPAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMPAY_VERSION "0.2.0"
#define CMPAY_VERSION_MAJOR 0
#define CMPAY_VERSION_MINOR 2
#define CMPAY_VERSION_PATCH 0

/**
 * The result of every fallible function. Values are stable and only ever
 * appended. 1..99 are the core library's error codes: each equals the
 * cmpay::ErrorCode of the same number and name. 100 and up belong to the C
 * ABI itself. Outputs are written only on `CMPAY_OK`; after any other value
 * `cmpay_last_error()` says why.
 */
typedef enum {
    /**
     * Success; the outputs were written.
     */
    CMPAY_OK = 0,
    /**
     * A value is wrong in a way no field table describes: an unknown message
     * kind, field name or option, a parameter body without '=', a handle of
     * the wrong kind for the call.
     */
    CMPAY_INVALID_ARGUMENT = 1,
    /**
     * A field fails its rule (too long, empty, not digits, not a date...).
     * cmpay_last_error_field() names it; cmpay_last_error_return_code() gives
     * the code the gateway itself would answer with, where it has one.
     */
    CMPAY_FIELD_INVALID = 2,
    /**
     * A key could not be loaded or was refused (too short, wrong type, empty).
     */
    CMPAY_KEY = 3,
    /**
     * A message's hmac does not match its contents.
     */
    CMPAY_SIGNATURE_MISMATCH = 4,
    /**
     * A body or value is malformed (also: a body over 64 KiB).
     */
    CMPAY_PARSE = 5,
    /**
     * The gateway answered with a return code other than success;
     * cmpay_last_error_return_code() gives it (e.g. "RPM22201").
     */
    CMPAY_GATEWAY = 6,
    /**
     * DNS, connect, reset, or an HTTP status without a usable body.
     */
    CMPAY_TRANSPORT = 7,
    /**
     * The connect or request timeout passed.
     */
    CMPAY_TIMEOUT = 8,
    /**
     * The TLS handshake failed (certificate not trusted, wrong host name...).
     */
    CMPAY_TLS = 9,
    /**
     * A verified notification (or query answer) whose signed source has
     * another reading that changes its order, amount, payNo, status or
     * type: the bytes cannot decide which was meant. Confirm it with the
     * gateway (cmpay_client_confirm) before recording it; cmpay_last_error()
     * names the other readings.
     */
    CMPAY_AMBIGUOUS = 10,
    /**
     * The gateway's answer to the order query does not confirm the
     * notification (another status, amount or payNo): do not record it.
     */
    CMPAY_NOT_CONFIRMED = 11,
    /**
     * The request was not signed: its signature source reads as a message
     * the gateway sends this merchant (a notification or an answer), so
     * its hmac would forge one. Change the free-text fields (reserved1,
     * reserved2, productName, ...) and sign again.
     */
    CMPAY_FORGEABLE_SOURCE = 12,
    /**
     * A pointer argument that may not be NULL was NULL.
     */
    CMPAY_NULL_POINTER = 100,
    /**
     * A string argument (or a bulk parameter, once percent-decoded) is not
     * valid UTF-8.
     */
    CMPAY_INVALID_UTF8 = 101,
    /**
     * The library panicked (a bug); the call had no effect.
     */
    CMPAY_PANIC = 102,
    /**
     * The field, code or value asked for does not exist.
     */
    CMPAY_NOT_FOUND = 103,
    /**
     * The caller's buffer is too small for what a `*_into` function would
     * write; nothing was written to it, and its `needed` output holds the
     * size that fits (never a truncated value).
     */
    CMPAY_BUFFER_TOO_SMALL = 104,
} cmpay_status;

/**
 * An order's state as a query or refund answer's `status` field gives it
 * (cmpay::OrderStatus). Values are stable.
 */
typedef enum {
    /**
     * Any status other than SUCCESS or FAILED, or none: not paid yet.
     */
    CMPAY_ORDER_PENDING = 0,
    /**
     * status SUCCESS.
     */
    CMPAY_ORDER_PAID = 1,
    /**
     * status FAILED.
     */
    CMPAY_ORDER_FAILED = 2,
} cmpay_order_status;

/**
 * The level of a log record (cmpay_config_set_logger): 1 is the most
 * severe; a logger set with a `min_level` gets that level and every more
 * severe one.
 */
typedef enum {
    /**
     * A request or notification failed (timeout, TLS, transport, an
     * answer refused).
     */
    CMPAY_LOG_ERROR = 1,
    /**
     * A gateway error, a retry, a refused notification.
     */
    CMPAY_LOG_WARN = 2,
    /**
     * Every exchange: request sent, answer received, notification verified.
     */
    CMPAY_LOG_INFO = 3,
    /**
     * The bodies sent and received, their hmac redacted.
     */
    CMPAY_LOG_DEBUG = 4,
} cmpay_log_level;

/**
 * The flags of cmpay_sandbox_start, or-ed together.
 */
typedef enum {
    /**
     * Serve HTTPS with a certificate signed by a CA made at start
     * (cmpay_sandbox_ca_pem_into); without it, plain HTTP.
     */
    CMPAY_SANDBOX_HTTPS = 1,
} cmpay_sandbox_flag;

/**
 * A client: one merchant, one HTTPS agent. Immutable and thread-safe: one
 * handle may be used by any number of threads at once (share one per
 * process; connections are pooled).
 */
typedef struct cmpay_client cmpay_client;

/**
 * How a client reaches the gateway. NOT thread-safe: build it on one
 * thread, pass it to cmpay_client_new (which copies it), then free it.
 */
typedef struct cmpay_config cmpay_config;

/**
 * A merchant: its id, how it signs and how it verifies what the gateway
 * sends. Immutable: one handle may be used by any number of threads at once.
 */
typedef struct cmpay_merchant cmpay_merchant;

/**
 * A notification whose signature held (there is no other kind of
 * cmpay_notification, so the ack cannot be had for a forged one). Its
 * fields never change; what the shop learns about it (cmpay_notification_rule_out,
 * cmpay_client_confirm) is kept under a lock: any number of threads may use
 * it at once.
 */
typedef struct cmpay_notification cmpay_notification;

/**
 * A verified, successful gateway answer; it keeps its kind, so the payUrl
 * getters refuse a query or refund answer cleanly. Immutable: may be read
 * by any number of threads at once.
 */
typedef struct cmpay_response cmpay_response;

/**
 * A gateway simulator running inside this process, on 127.0.0.1 (a port
 * the system chose), with the test merchants of `cmpay sandbox` (the MD5
 * one of cmpay_sandbox_merchant, and the RSA one); notifications are
 * resent on the gateway's schedule in real time, and each answer that does
 * not acknowledge one is also reported on stderr, one line with the reason.
 * Thread-safe: one handle may be used by any number of threads at once;
 * only cmpay_sandbox_free must not race with other use.
 */
typedef struct cmpay_sandbox cmpay_sandbox;

/**
 * A signed request: its fields, signature source, hmac and form body.
 * Immutable: may be read by any number of threads at once.
 */
typedef struct cmpay_signed_request cmpay_signed_request;

/**
 * amtItem: how the paid amount splits, in fen.
 */
typedef struct {
    /**
     * CNY_AMT: cash
     */
    uint64_t cash;
    /**
     * CMY_AMT: prepaid card
     */
    uint64_t prepaid;
    /**
     * RED_AMT: e-coupon
     */
    uint64_t coupon;
    /**
     * VCH_AMT: voucher
     */
    uint64_t voucher;
    /**
     * POT_CHG_AMT: points
     */
    uint64_t points;
} cmpay_amt_item;

/**
 * A log callback: `level` is a cmpay_log_level, `event` a stable name
 * ("request.sent", "answer.received", "answer.refused", "retry",
 * "timeout", "tls.failed", "transport.failed", "notify.verified",
 * "notify.refused", and at debug level "request.body", "answer.body",
 * "notify.body"), `message` one line of UTF-8. Both strings belong to the
 * library and are valid only during the call: copy them. `user_data` is
 * what was given to cmpay_config_set_logger.
 */
typedef void (*cmpay_log_callback)(void *user_data, int32_t level, const char *event, const char *message);

/**
 * The library's version, e.g. "0.2.0" (the same as CMPAY_VERSION when the
 * header matches the library). Static: never freed.
 */
const char *cmpay_version(void);

/**
 * The enumerator's name of a status, e.g. "CMPAY_GATEWAY"; "CMPAY_UNKNOWN"
 * for a number that is no status. Static: never freed.
 */
const char *cmpay_status_name(cmpay_status s);

/**
 * The status of the last call on this thread that returned a status:
 * CMPAY_OK when it succeeded.
 */
cmpay_status cmpay_last_status(void);

/**
 * Why the last call on this thread that returned a status other than
 * CMPAY_OK failed: UTF-8 text, "" when the last call succeeded. The pointer
 * belongs to the library (do not free it) and is valid until the next
 * cmpay_ call that returns a status on this thread: copy it first.
 */
const char *cmpay_last_error(void);

/**
 * The gateway return code of the last error on this thread: the answer's
 * returnCode for CMPAY_GATEWAY (e.g. "RPM22201"), the code the gateway would
 * answer with for some CMPAY_FIELD_INVALID (e.g. "MCG01033"), else "".
 * Same lifetime as cmpay_last_error().
 */
const char *cmpay_last_error_return_code(void);

/**
 * The field named by the last CMPAY_FIELD_INVALID on this thread (e.g.
 * "productName"), else "". Same lifetime as cmpay_last_error().
 */
const char *cmpay_last_error_field(void);

/**
 * Frees a string the library returned through a `char **` output. NULL is
 * a no-op. Never pass it a string from anywhere else (nor the static ones of
 * cmpay_version, cmpay_status_name, cmpay_last_error*), and never free the
 * library's strings with the host's free().
 *
 * # Safety
 * `s` is NULL or a string from a `char **` output of this library, not yet freed.
 */
void cmpay_string_free(char *s);

/**
 * A merchant signing with MD5 and its signKey (as given by the gateway,
 * without surrounding whitespace).
 *
 * CMPAY_FIELD_INVALID when merchant_id breaks its rule (field
 * "merchantId"); CMPAY_KEY for an empty signKey or one with leading or
 * trailing whitespace. Free the handle with cmpay_merchant_free.
 *
 * # Safety
 * String arguments are NULL or NUL-terminated; `out` is NULL or writable.
 */
cmpay_status cmpay_merchant_new_md5(const char *merchant_id, const char *sign_key, cmpay_merchant **out);

/**
 * A merchant signing with RSA (SHA1withRSA): its private key (at least
 * 2048 bits) and the gateway's public key or certificate, with which every
 * answer and notification is verified. Keys may be PEM or DER, PKCS#1 or
 * PKCS#8, SPKI or X.509, or the hex of DER. `allow_legacy_1024` admits a
 * 1024-bit gateway key (legacy gateways).
 *
 * CMPAY_KEY when a key cannot be read or is refused; CMPAY_FIELD_INVALID
 * for a bad merchant_id. Free the handle with cmpay_merchant_free.
 *
 * # Safety
 * Byte arguments are NULL with length 0 or point to that many bytes.
 */
cmpay_status cmpay_merchant_new_rsa(const char *merchant_id, const uint8_t *private_key, size_t private_key_len, const uint8_t *gateway_public_key, size_t gateway_public_key_len, bool allow_legacy_1024, cmpay_merchant **out);

/**
 * Frees a merchant. NULL is a no-op. Handles made from it (clients) keep
 * their own copy and stay valid.
 *
 * # Safety
 * `m` is NULL or a live merchant handle no other thread is using.
 */
void cmpay_merchant_free(cmpay_merchant *m);

/**
 * Completes, validates and signs a request, in one crossing.
 *
 * `kind` is "order-request", "query-request" or "refund-request".
 * `params` is NUL pairs ("name\0value\0name\0value\0", UTF-8, no
 * escaping, every name and value followed by one NUL); a form body
 * ("name=value&...") is refused. merchantId and signType come
 * from the merchant; requestId is generated when absent or empty (as
 * cmpay_client_create_order does); type, version, characterSet and currency
 * take their defaults when left out; unknown names are refused.
 *
 * CMPAY_INVALID_ARGUMENT for another kind, an unknown field, a form body
 * or other bytes that are not NUL pairs, a name given twice or parameters
 * over 64 KiB;
 * CMPAY_INVALID_UTF8 when a name or value is not UTF-8; CMPAY_FIELD_INVALID
 * when a field breaks its rule (cmpay_last_error_field names it,
 * cmpay_last_error_return_code gives the gateway's own code, e.g.
 * "MCG01081"); CMPAY_FORGEABLE_SOURCE (MD5 only) when the request's
 * signature source would read as a notification, or an answer with a
 * success code, for this merchant: its hmac would forge that message
 * (change the free-text fields). Free the result with
 * cmpay_signed_request_free.
 *
 * # Safety
 * `m` is NULL or a live merchant; `params` NULL with length 0 or readable.
 */
cmpay_status cmpay_merchant_sign_request(const cmpay_merchant *m, const char *kind, const uint8_t *params, size_t params_len, cmpay_signed_request **out);

/**
 * The hmac (lowercase hex) over exactly the given fields of a message of
 * any kind ("order-request", "order-response", "notify", "query-request",
 * "query-response", "refund-request", "refund-response"), like `cmpay sign`:
 * nothing is filled in or validated. hmac, merchantCert and serverCert in
 * `params` are ignored; any other name that is not a field of `kind` is
 * CMPAY_INVALID_ARGUMENT. `params` is NUL pairs as for
 * cmpay_merchant_sign_request. Free the string with cmpay_string_free.
 *
 * # Safety
 * As cmpay_merchant_sign_request; `out` is NULL or writable.
 */
cmpay_status cmpay_merchant_hmac(const cmpay_merchant *m, const char *kind, const uint8_t *params, size_t params_len, char **out);

/**
 * Verifies a received body of any kind exactly as it arrived on the wire
 * (raw bytes, percent-encoded or not), like `cmpay verify`: a request is
 * read in its own characterSet; a notification or answer is verified under
 * the decodings of protocol.md §8 (UTF-8 or GB18030, decoded once or
 * twice), the first that holds. For "notify" the type must be PageNotify
 * or OfflineNotify. A correctly signed gateway error answer is CMPAY_OK; a
 * notification or successful answer whose fields break their formats (a
 * moved field boundary) is CMPAY_FIELD_INVALID.
 *
 * CMPAY_OK, CMPAY_SIGNATURE_MISMATCH, CMPAY_FIELD_INVALID, or CMPAY_PARSE
 * (malformed, empty or over 64 KiB); CMPAY_INVALID_ARGUMENT for an unknown kind.
 *
 * # Safety
 * `m` is NULL or a live merchant; `body` NULL with length 0 or readable.
 */
cmpay_status cmpay_merchant_verify(const cmpay_merchant *m, const char *kind, const uint8_t *body, size_t body_len);

/**
 * The form body to POST (ASCII: values percent-encoded in the request's
 * charset), hmac last. Free the string with cmpay_string_free.
 *
 * # Safety
 * `r` is NULL or a live signed request; `out` is NULL or writable.
 */
cmpay_status cmpay_signed_request_body(const cmpay_signed_request *r, char **out);

/**
 * The Content-Type to POST the body with, e.g.
 * "application/x-www-form-urlencoded; charset=GBK". Free with cmpay_string_free.
 *
 * # Safety
 * As cmpay_signed_request_body.
 */
cmpay_status cmpay_signed_request_content_type(const cmpay_signed_request *r, char **out);

/**
 * The request's hmac (lowercase hex). Free with cmpay_string_free.
 *
 * # Safety
 * As cmpay_signed_request_body.
 */
cmpay_status cmpay_signed_request_hmac(const cmpay_signed_request *r, char **out);

/**
 * The signature source: the signed fields' values in table order, joined
 * with no separator (UTF-8). Free with cmpay_string_free.
 *
 * # Safety
 * As cmpay_signed_request_body.
 */
cmpay_status cmpay_signed_request_source(const cmpay_signed_request *r, char **out);

/**
 * One field of the completed request as sent (UTF-8, not percent-encoded),
 * e.g. "requestId", "merchantCert" or "hmac"; a field sent empty is "".
 * CMPAY_NOT_FOUND when the request has no such field. Free with
 * cmpay_string_free.
 *
 * # Safety
 * As cmpay_signed_request_body; `name` is NULL or NUL-terminated.
 */
cmpay_status cmpay_signed_request_field(const cmpay_signed_request *r, const char *name, char **out);

/**
 * The request as a complete HTML page whose form the shopper's browser
 * submits at once (POST) to `action` (the gateway's cmpayService URL): how
 * a GWDirectPay (bank gateway) order is sent, from the browser, not from
 * the merchant's server. The form's accept-charset is the request's
 * charset. CMPAY_INVALID_ARGUMENT when `action` is not an http(s) URL.
 * Free the string with cmpay_string_free.
 *
 * # Safety
 * As cmpay_signed_request_body; `action` is NULL or NUL-terminated.
 */
cmpay_status cmpay_signed_request_html_form(const cmpay_signed_request *r, const char *action, char **out);

/**
 * Frees a signed request. NULL is a no-op.
 *
 * # Safety
 * `r` is NULL or a live signed request no other thread is using.
 */
void cmpay_signed_request_free(cmpay_signed_request *r);

/**
 * Parses and verifies a gateway answer exactly as it arrived (raw bytes).
 * `kind` is "order-response", "query-response" or "refund-response".
 * A verified answer's payUrl may lead to an http or https cashier, as the
 * live gateway's does.
 *
 * CMPAY_GATEWAY for a returnCode other than success (the code in
 * cmpay_last_error_return_code; the message says whether the answer's
 * signature held); CMPAY_SIGNATURE_MISMATCH for a success whose hmac does
 * not verify; CMPAY_PARSE for a malformed, empty or over-64-KiB body or a
 * bad payUrl; CMPAY_INVALID_ARGUMENT for another kind. Free the result
 * with cmpay_response_free.
 *
 * # Safety
 * `m` is NULL or a live merchant; `body` NULL with length 0 or readable.
 */
cmpay_status cmpay_response_parse(const cmpay_merchant *m, const char *kind, const uint8_t *body, size_t body_len, cmpay_response **out);

/**
 * One field of the answer (UTF-8, decoded), e.g. "payUrl", "status",
 * "amount"; a field sent empty is "". CMPAY_NOT_FOUND when the answer has
 * no such field. Free with cmpay_string_free.
 *
 * # Safety
 * `r` is NULL or a live response; `name` NULL or NUL-terminated; `out` NULL or writable.
 */
cmpay_status cmpay_response_field(const cmpay_response *r, const char *name, char **out);

/**
 * Every field of the answer, in the order received, as NUL pairs into the
 * caller's buffer, nothing to free: "name\0value\0..." (UTF-8, decoded,
 * every name and value followed by one NUL), as cmpay_notification_fields_into.
 *
 * # Safety
 * `r` is NULL or a live response; `buf` NULL or `buf_len` writable bytes;
 * `needed` NULL or writable.
 */
cmpay_status cmpay_response_fields_into(const cmpay_response *r, char *buf, size_t buf_len, size_t *needed);

/**
 * The payUrl token of an order-response in its three parts: the cashier's
 * URL, the method ("get" or "post") and the sessionId. All three outputs
 * are required and written together. CMPAY_INVALID_ARGUMENT for a query or
 * refund answer. Free each string with cmpay_string_free.
 *
 * # Safety
 * `r` is NULL or a live response; each output NULL or writable.
 */
cmpay_status cmpay_response_pay_url(const cmpay_response *r, char **url, char **method, char **session_id);

/**
 * The URL to send the shopper's browser to with an HTTP 302:
 * "url?sessionId=..." (order-response only, else CMPAY_INVALID_ARGUMENT).
 * Free with cmpay_string_free.
 *
 * # Safety
 * `r` is NULL or a live response; `out` NULL or writable.
 */
cmpay_status cmpay_response_redirect_url(const cmpay_response *r, char **out);

/**
 * A complete HTML page (UTF-8) that submits itself to the cashier with the
 * token's method, values escaped (order-response only, else
 * CMPAY_INVALID_ARGUMENT). Free with cmpay_string_free.
 *
 * # Safety
 * `r` is NULL or a live response; `out` NULL or writable.
 */
cmpay_status cmpay_response_html_form(const cmpay_response *r, char **out);

/**
 * The order's state from a query (or refund) answer's status field:
 * SUCCESS is CMPAY_ORDER_PAID, FAILED is CMPAY_ORDER_FAILED, any other value
 * or none CMPAY_ORDER_PENDING. CMPAY_INVALID_ARGUMENT for an order-response.
 *
 * # Safety
 * `r` is NULL or a live response; `out` NULL or writable.
 */
cmpay_status cmpay_response_order_status(const cmpay_response *r, cmpay_order_status *out);

/**
 * The answer's amount in fen: paid (a query answer) or refunded (a refund
 * answer). CMPAY_NOT_FOUND when the answer has no amount or an empty one;
 * CMPAY_PARSE when it is not an integer.
 *
 * # Safety
 * `r` is NULL or a live response; `out` NULL or writable.
 */
cmpay_status cmpay_response_amount(const cmpay_response *r, uint64_t *out);

/**
 * Frees a response. NULL is a no-op.
 *
 * # Safety
 * `r` is NULL or a live response no other thread is using.
 */
void cmpay_response_free(cmpay_response *r);

/**
 * Parses a notification body exactly as it arrived (raw bytes of the POST
 * body or the query string) and verifies it with the merchant's key under
 * the four decodings of protocol §8 (UTF-8 once, UTF-8 twice, GB18030
 * once, GB18030 twice; the first that holds), then checks every field's
 * format and that merchantId is this merchant's.
 *
 * Only verified notifications give a handle: CMPAY_SIGNATURE_MISMATCH when
 * the hmac does not verify (answer nothing, or an error, to the gateway);
 * CMPAY_PARSE for a malformed, empty or over-64-KiB body or a type other
 * than PageNotify/OfflineNotify; CMPAY_FIELD_INVALID for a field that breaks
 * its format or another merchant's merchantId. A handle may still be
 * ambiguous (cmpay_notification_is_ambiguous): cmpay_notification_check_order
 * then refuses it until cmpay_client_confirm has confirmed it. Free the
 * result with cmpay_notification_free.
 *
 * # Safety
 * `m` is NULL or a live merchant; `body` NULL with length 0 or readable.
 */
cmpay_status cmpay_notification_parse(const cmpay_merchant *m, const uint8_t *body, size_t body_len, cmpay_notification **out);

/**
 * One field (UTF-8, decoded), e.g. "payNo", "orderId", "status"; a field
 * sent empty is "". CMPAY_NOT_FOUND when absent. Free with cmpay_string_free.
 *
 * # Safety
 * `n` is NULL or a live notification; `name` NULL or NUL-terminated; `out` NULL or writable.
 */
cmpay_status cmpay_notification_field(const cmpay_notification *n, const char *name, char **out);

/**
 * Every field, in the order received, as NUL pairs into the caller's
 * buffer, nothing to free: "name\0value\0name\0value\0..." (UTF-8,
 * decoded, every name and value followed by one NUL, so an empty value is
 * "\0"): all fields in one crossing. `needed` gets the bytes the pairs
 * take on CMPAY_OK and on CMPAY_BUFFER_TOO_SMALL, when `buf` is left
 * untouched (NULL with `buf_len` 0 asks the size). CMPAY_PARSE when a value
 * holds a NUL (read it with cmpay_notification_field).
 *
 * # Safety
 * `n` is NULL or a live notification; `buf` NULL or `buf_len` writable
 * bytes; `needed` NULL or writable.
 */
cmpay_status cmpay_notification_fields_into(const cmpay_notification *n, char *buf, size_t buf_len, size_t *needed);

/**
 * The paid amount in fen. CMPAY_PARSE when amount is absent or not an
 * integer.
 *
 * # Safety
 * `n` is NULL or a live notification; `out` NULL or writable.
 */
cmpay_status cmpay_notification_amount(const cmpay_notification *n, uint64_t *out);

/**
 * amtItem's parts in fen (a part left out is 0). CMPAY_PARSE for an
 * unknown part or a value that is not an integer.
 *
 * # Safety
 * `n` is NULL or a live notification; `out` NULL or writable.
 */
cmpay_status cmpay_notification_amt_item(const cmpay_notification *n, cmpay_amt_item *out);

/**
 * The merchant fee in fen (fee arrives in yuan, converted exactly).
 * CMPAY_NOT_FOUND when fee is empty or absent; CMPAY_PARSE when it is not
 * an amount with at most two decimals.
 *
 * # Safety
 * `n` is NULL or a live notification; `out` NULL or writable.
 */
cmpay_status cmpay_notification_fee_fen(const cmpay_notification *n, uint64_t *out);

/**
 * Whether the order is paid: status SUCCESS and a success returnCode.
 *
 * # Safety
 * `n` is NULL or a live notification; `out` NULL or writable.
 */
cmpay_status cmpay_notification_is_paid(const cmpay_notification *n, bool *out);

/**
 * Whether the notification's signed source has another reading, under
 * every rule, with another orderId, amount, payNo, returnCode, status or
 * type, not ruled out (cmpay_notification_rule_out): the bytes cannot say
 * which was meant. Confirm it with the gateway (cmpay_client_confirm)
 * before recording it.
 *
 * # Safety
 * `n` is NULL or a live notification; `out` NULL or writable.
 */
cmpay_status cmpay_notification_is_ambiguous(const cmpay_notification *n, bool *out);

/**
 * The other readings of the notification (ruled out or not), one a line
 * (`merchantId=... payNo=... returnCode=... type=... amount=... orderId=...
 * status=...`); "" when it is unambiguous. Free with cmpay_string_free.
 *
 * # Safety
 * `n` is NULL or a live notification; `out` NULL or writable.
 */
cmpay_status cmpay_notification_other_readings(const cmpay_notification *n, char **out);

/**
 * The orderIds that the other readings name (not the notification's own),
 * one a line; "" when there are none. For each, ask the shop's own orders:
 * one that is no order of the shop's is ruled out with
 * cmpay_notification_rule_out, and a notification whose other readings are
 * all ruled out is no longer ambiguous. Free with cmpay_string_free.
 *
 * # Safety
 * `n` is NULL or a live notification; `out` NULL or writable.
 */
cmpay_status cmpay_notification_other_order_ids(const cmpay_notification *n, char **out);

/**
 * Rules out the other readings naming `order_id`, once the shop has found
 * it is no order of its own (a re-split to an order that does not exist
 * pays nothing). Readings that keep the notification's orderId but change
 * its amount, payNo or status cannot be ruled out: those need
 * cmpay_client_confirm. CMPAY_INVALID_ARGUMENT when no other reading names
 * `order_id`. Safe while other threads read the notification.
 *
 * # Safety
 * `n` is NULL or a live notification; `order_id` NULL or NUL-terminated.
 */
cmpay_status cmpay_notification_rule_out(const cmpay_notification *n, const char *order_id);

/**
 * Whether the gateway has confirmed the notification (cmpay_client_confirm).
 *
 * # Safety
 * `n` is NULL or a live notification; `out` NULL or writable.
 */
cmpay_status cmpay_notification_is_confirmed(const cmpay_notification *n, bool *out);

/**
 * Checks that the notification is for the order the merchant created:
 * same merchantId, orderId and amount (fen), and that it means only that.
 * Do this before recording a payment. CMPAY_OK, or CMPAY_FIELD_INVALID with
 * cmpay_last_error_field() naming the first field that differs; CMPAY_PARSE
 * when the notification's amount is absent or not an integer;
 * CMPAY_AMBIGUOUS when it is ambiguous and not confirmed by the gateway
 * (cmpay_client_confirm, then check again).
 *
 * # Safety
 * `n` is NULL or a live notification; strings NULL or NUL-terminated.
 */
cmpay_status cmpay_notification_check_order(const cmpay_notification *n, const char *merchant_id, const char *order_id, uint64_t amount_fen);

/**
 * The body to answer an OfflineNotify with once the payment is recorded:
 * "SUCCESS". Free with cmpay_string_free.
 *
 * # Safety
 * `n` is NULL or a live notification; `out` NULL or writable.
 */
cmpay_status cmpay_notification_ack(const cmpay_notification *n, char **out);

/**
 * Frees a notification. NULL is a no-op.
 *
 * # Safety
 * `n` is NULL or a live notification no other thread is using.
 */
void cmpay_notification_free(cmpay_notification *n);

/**
 * A configuration with the defaults: the live gateway's endpoint
 * (`https://ipos.10086.cn/ips/cmpayService`), charset 00 (GBK), connect
 * timeout 5000 ms, timeout 30000 ms, no proxy, Mozilla's roots, https only.
 * Free with cmpay_config_free.
 *
 * # Safety
 * `out` is NULL or writable.
 */
cmpay_status cmpay_config_new(cmpay_config **out);

/**
 * Sets one option by name (values are text):
 * - "endpoint": the gateway URL (https://...; http:// only with allow_http);
 * - "charset": "00" (GBK), "01" (GB2312) or "02" (UTF-8), used when an
 *   order leaves characterSet out;
 * - "connect_timeout_ms", "timeout_ms": whole milliseconds, greater than 0
 *   (timeout_ms bounds the whole request);
 * - "proxy": an HTTP(S) proxy URL such as "http://proxy:3128", "" for none
 *   (the environment's proxy variables are never read);
 * - "allow_http": "true" or "false" (a plain http endpoint, for a test
 *   gateway only; TLS verification can never be switched off; a verified
 *   answer's payUrl may be http or https whatever this says).
 *
 * CMPAY_INVALID_ARGUMENT for an unknown name or a bad value (the endpoint
 * and proxy are checked fully by cmpay_client_new). The configuration is
 * unchanged on failure.
 *
 * # Safety
 * `c` is NULL or a live configuration no other thread is using; strings
 * NULL or NUL-terminated.
 */
cmpay_status cmpay_config_set(cmpay_config *c, const char *name, const char *value);

/**
 * Adds an extra trusted CA certificate (PEM, one or more CERTIFICATE
 * blocks) to Mozilla's roots, e.g. a test gateway's. It is read by
 * cmpay_client_new, which fails with CMPAY_TLS when it is not readable PEM.
 * CMPAY_INVALID_ARGUMENT for an empty one.
 *
 * # Safety
 * `c` is NULL or a live configuration no other thread is using; `pem` NULL
 * with length 0 or readable.
 */
cmpay_status cmpay_config_add_ca_pem(cmpay_config *c, const uint8_t *pem, size_t pem_len);

/**
 * Frees a configuration. NULL is a no-op. Clients made from it keep their
 * own copy.
 *
 * # Safety
 * `c` is NULL or a live configuration no other thread is using.
 */
void cmpay_config_free(cmpay_config *c);

/**
 * A client for the merchant with the configuration (NULL: the defaults).
 * Both are copied: they may be freed right after. CMPAY_INVALID_ARGUMENT
 * for a bad endpoint (not https without allow_http, not a URL), proxy or
 * timeout; CMPAY_TLS for an extra CA that is not readable PEM. Free with
 * cmpay_client_free.
 *
 * # Safety
 * `m` is NULL or a live merchant; `c` NULL or a live configuration; `out` NULL or writable.
 */
cmpay_status cmpay_client_new(const cmpay_merchant *m, const cmpay_config *c, cmpay_client **out);

/**
 * Signs and sends an order (DirectPayConfirm unless `type` says another),
 * in one crossing: `params` is NUL pairs as for
 * cmpay_merchant_sign_request. requestId is generated when absent and
 * characterSet taken from the configuration when absent. Never retried: on
 * CMPAY_TRANSPORT or CMPAY_TIMEOUT the order's state is unknown; query it
 * before trying again with a new orderId.
 *
 * On CMPAY_OK `out` is an order-response (payUrl getters work). Statuses as
 * cmpay_merchant_sign_request and cmpay_response_parse, plus
 * CMPAY_TRANSPORT, CMPAY_TIMEOUT and CMPAY_TLS; CMPAY_PARSE also when the
 * answer echoes another merchantId or requestId. Free with cmpay_response_free.
 *
 * # Safety
 * `c` is NULL or a live client; `params` NULL with length 0 or readable; `out` NULL or writable.
 */
cmpay_status cmpay_client_create_order(const cmpay_client *c, const uint8_t *params, size_t params_len, cmpay_response **out);

/**
 * Asks the gateway for an order's state (OrderQuery). Retried once, with a
 * new requestId, when the connection failed below HTTP. On CMPAY_OK `out` is
 * a query-response (fields "status", "amount", ...). Free with
 * cmpay_response_free.
 *
 * # Safety
 * `c` is NULL or a live client; `order_id` NULL or NUL-terminated; `out` NULL or writable.
 */
cmpay_status cmpay_client_query_order(const cmpay_client *c, const char *order_id, cmpay_response **out);

/**
 * Confirms a notification with the gateway: queries its orderId
 * (OrderQuery, retried as cmpay_client_query_order) and marks it confirmed
 * when the verified answer agrees: the same merchantId and orderId, one
 * reading, and for a paid notification status SUCCESS with the same amount
 * and payNo. Then cmpay_notification_check_order passes an ambiguous
 * notification. CMPAY_NOT_CONFIRMED when the gateway disagrees (record
 * nothing); CMPAY_AMBIGUOUS when its answer has another reading itself;
 * CMPAY_GATEWAY (e.g. RPM22201, no such order), CMPAY_TRANSPORT,
 * CMPAY_TIMEOUT or CMPAY_TLS leave it unconfirmed. The notification may be
 * shared between threads: confirming it is safe while others read it.
 *
 * # Safety
 * `c` is NULL or a live client; `n` NULL or a live notification.
 */
cmpay_status cmpay_client_confirm(const cmpay_client *c, const cmpay_notification *n);

/**
 * Refunds `amount_fen` of a paid order (OrderRefund). Never retried. On
 * CMPAY_OK `out` is a refund-response. Free with cmpay_response_free.
 *
 * # Safety
 * `c` is NULL or a live client; `order_id` NULL or NUL-terminated; `out` NULL or writable.
 */
cmpay_status cmpay_client_refund(const cmpay_client *c, const char *order_id, uint64_t amount_fen, cmpay_response **out);

/**
 * Frees a client. NULL is a no-op. No other thread may still be using it.
 *
 * # Safety
 * `c` is NULL or a live client that no other thread is using.
 */
void cmpay_client_free(cmpay_client *c);

/**
 * Sets where clients made from this configuration report every exchange:
 * requests sent (kind, type, URL, requestId, orderId, timeouts), answers
 * received (HTTP status, milliseconds, returnCode, message), notifications
 * verified or refused (cmpay_client_parse_notification), retries, timeouts
 * and TLS failures; at CMPAY_LOG_DEBUG also the bodies. Never logged: the
 * signKey, a private key, the hmac of any message (redacted from bodies),
 * the signature source.
 *
 * `callback` NULL removes the logger. `min_level` (a cmpay_log_level, 1 to
 * 4): records at that level and more severe are given to the callback;
 * CMPAY_INVALID_ARGUMENT for another number. A client made from the
 * configuration keeps the callback and `user_data` it had when
 * cmpay_client_new made it (setting another one later changes only clients
 * made later), and calls it on the thread making each call, from any
 * thread, several at once, until cmpay_client_free returns: never after.
 * Keep `user_data` valid (and the callback loaded) until then. No lock is
 * held while it runs. It must return normally (a C++ exception or longjmp out of it is undefined behaviour; a
 * Rust panic unwinding out of it is caught, and that record dropped).
 *
 * # Safety
 * `c` is NULL or a live configuration no other thread is using; `callback`
 * NULL or a function that may be called as described, with `user_data`.
 */
cmpay_status cmpay_config_set_logger(cmpay_config *c, cmpay_log_callback callback, void *user_data, int32_t min_level);

/**
 * As cmpay_notification_parse for the client's merchant, reporting the
 * outcome to the client's logger ("notify.verified" with orderId, payNo,
 * amount and status, or "notify.refused" with the reason; the body at
 * CMPAY_LOG_DEBUG, its hmac redacted). No I/O. Free the result with
 * cmpay_notification_free.
 *
 * # Safety
 * `c` is NULL or a live client; `body` NULL with length 0 or readable;
 * `out` NULL or writable.
 */
cmpay_status cmpay_client_parse_notification(const cmpay_client *c, const uint8_t *body, size_t body_len, cmpay_notification **out);

/**
 * A client configured from the process's environment variables, on top of
 * the configuration `c` (NULL: the defaults; its logger and any setting no
 * variable gives are kept; it is copied and may be freed right after):
 * - CMPAY_MERCHANT_ID (required);
 * - MD5: CMPAY_SIGN_KEY, or CMPAY_SIGN_KEY_FILE (a file holding the
 *   signKey; one trailing newline, LF or CRLF, and a UTF-8 BOM are
 *   removed, any other whitespace is refused);
 * - RSA: CMPAY_RSA_PRIVATE_KEY_FILE and CMPAY_RSA_PUBLIC_KEY_FILE (the
 *   merchant's private key, the gateway's public key or certificate; also
 *   spelt CMPAY_PRIVATE_KEY_FILE and CMPAY_GATEWAY_KEY_FILE);
 * - CMPAY_ENDPOINT, CMPAY_CHARSET (00, 01, 02, GBK, GB2312, UTF-8),
 *   CMPAY_CONNECT_TIMEOUT_MS, CMPAY_TIMEOUT_MS (1 to 120000),
 *   CMPAY_PROXY, CMPAY_EXTRA_CA_FILE (PEM), CMPAY_ALLOW_HTTP (1, true,
 *   yes, on or 0, false, no, off).
 *
 * A variable set to "" counts as unset. Exactly one way of signing must be
 * set. Every bad value fails naming its variable (no error quotes a key):
 * CMPAY_INVALID_ARGUMENT for a missing or bad value, CMPAY_KEY for a key
 * or key file that cannot be read or is refused, CMPAY_TLS for an extra CA
 * file that is not readable PEM. Free with cmpay_client_free.
 *
 * # Safety
 * `c` is NULL or a live configuration; `out` NULL or writable.
 */
cmpay_status cmpay_client_from_env(const cmpay_config *c, cmpay_client **out);

/**
 * A client configured as cmpay_client_from_env does, from the variables
 * given in `vars` instead of the process's environment (which is not read):
 * NUL-terminated pairs `NAME\0value\0...` with the names of
 * cmpay_client_from_env (CMPAY_MERCHANT_ID, CMPAY_SIGN_KEY_FILE, ...), the
 * same rules and the same errors naming the variable. For a framework's
 * own configuration (Spring Boot's `cmpay.*` properties, a web.config
 * section) mapped onto those names: a name that is not one of them is
 * refused (CMPAY_INVALID_ARGUMENT naming it), so a misspelt setting fails
 * instead of being ignored. Free with cmpay_client_free.
 *
 * # Safety
 * `c` is NULL or a live configuration; `vars` NULL with length 0 or
 * readable; `out` NULL or writable.
 */
cmpay_status cmpay_client_from_vars(const cmpay_config *c, const uint8_t *vars, size_t vars_len, cmpay_client **out);

/**
 * The merchant the client signs and verifies for, as a new handle (e.g. for
 * a client made by cmpay_client_from_env). Free with cmpay_merchant_free.
 *
 * # Safety
 * `c` is NULL or a live client; `out` NULL or writable.
 */
cmpay_status cmpay_client_merchant(const cmpay_client *c, cmpay_merchant **out);

/**
 * Looks up a gateway return code by either spelling (e.g. "MCG01088" or
 * "C01088"): its canonical spelling (the payment document's), its Chinese
 * and its English meaning. All three outputs are required and written
 * together. CMPAY_NOT_FOUND for an unknown code. Free each string with
 * cmpay_string_free.
 *
 * # Safety
 * `code` is NULL or NUL-terminated; each output NULL or writable.
 */
cmpay_status cmpay_return_code_lookup(const char *code, char **canonical, char **chinese, char **english);

/**
 * The Chinese name of a bank code (bankAbbr, e.g. "ICBC" -> "工商银行").
 * CMPAY_NOT_FOUND for an unknown code. Free with cmpay_string_free.
 *
 * # Safety
 * `bank_code` is NULL or NUL-terminated; `out` NULL or writable.
 */
cmpay_status cmpay_bank_name(const char *bank_code, char **out);

/**
 * An amount in fen as yuan with two decimals, exactly (1234 -> "12.34",
 * 5 -> "0.05"; no float), for pages and messages that show an amount.
 * Free with cmpay_string_free.
 *
 * # Safety
 * `out` NULL or writable.
 */
cmpay_status cmpay_yuan(uint64_t fen, char **out);

/**
 * Starts a simulator in this process and its threads (an HTTP server on
 * 127.0.0.1, a port chosen by the system, and the notification workers).
 * `flags`: 0, or CMPAY_SANDBOX_HTTPS. CMPAY_INVALID_ARGUMENT for an
 * unknown flag; CMPAY_TRANSPORT when it cannot listen or start a thread.
 * Stop and free it with cmpay_sandbox_free.
 *
 * # Safety
 * `out` is NULL or writable.
 */
cmpay_status cmpay_sandbox_start(uint32_t flags, cmpay_sandbox **out);

/**
 * The gateway URL a client is configured with
 * (`http://127.0.0.1:PORT/ips/cmpayService`, or https), into the caller's
 * buffer as the *_into functions do (NUL-terminated; `needed` counts it).
 *
 * # Safety
 * `s` is NULL or a live sandbox; `buf` NULL or `buf_len` writable bytes;
 * `needed` NULL or writable.
 */
cmpay_status cmpay_sandbox_endpoint_into(const cmpay_sandbox *s, char *buf, size_t buf_len, size_t *needed);

/**
 * The PEM of the CA that signed the simulator's certificate (with
 * CMPAY_SANDBOX_HTTPS; give it to cmpay_config_add_ca_pem), or the empty
 * string (a lone NUL) for a plain-HTTP simulator. As the *_into functions.
 *
 * # Safety
 * As cmpay_sandbox_endpoint_into.
 */
cmpay_status cmpay_sandbox_ca_pem_into(const cmpay_sandbox *s, char *buf, size_t buf_len, size_t *needed);

/**
 * A notifyUrl the simulator serves itself, answering every OfflineNotify
 * `SUCCESS`, for an order whose test has no notify endpoint of its own (a
 * test of the shop's notify handler gives that handler's URL instead, or
 * hands it the body of a delivery from cmpay_sandbox_deliveries_into). As
 * the *_into functions.
 *
 * # Safety
 * As cmpay_sandbox_endpoint_into.
 */
cmpay_status cmpay_sandbox_notify_url_into(const cmpay_sandbox *s, char *buf, size_t buf_len, size_t *needed);

/**
 * The simulator's MD5 test merchant (merchantId 888009941120001 and its
 * made-up signKey), for code that builds its own client. Free with
 * cmpay_merchant_free.
 *
 * # Safety
 * `s` is NULL or a live sandbox; `out` NULL or writable.
 */
cmpay_status cmpay_sandbox_merchant(const cmpay_sandbox *s, cmpay_merchant **out);

/**
 * A client of the simulator's MD5 test merchant (cmpay_sandbox_merchant),
 * configured with its endpoint, its CA (with CMPAY_SANDBOX_HTTPS) or
 * allow_http (without), and the other defaults of cmpay_config_new. It
 * holds no reference to the sandbox: once the sandbox is freed its calls
 * fail with CMPAY_TRANSPORT. Free with cmpay_client_free.
 *
 * # Safety
 * `s` is NULL or a live sandbox; `out` NULL or writable.
 */
cmpay_status cmpay_sandbox_client(const cmpay_sandbox *s, cmpay_client **out);

/**
 * Pays the order `order_id` as a buyer at the cashier would: it becomes
 * paid (the query answers SUCCESS), and its OfflineNotify is POSTed to the
 * order's notifyUrl at once, then resent on the gateway's schedule until
 * answered exactly `SUCCESS`. The order is looked for among every
 * merchant's; an orderId two merchants use is refused
 * (CMPAY_INVALID_ARGUMENT, "ambiguous-order"). CMPAY_NOT_FOUND for an
 * unknown order ("unknown-order"); CMPAY_INVALID_ARGUMENT for one paid,
 * failed or expired already ("already-paid", "already-failed",
 * "expired": the last error's message starts with the code).
 *
 * # Safety
 * `s` is NULL or a live sandbox; `order_id` NULL or NUL-terminated.
 */
cmpay_status cmpay_sandbox_pay(const cmpay_sandbox *s, const char *order_id);

/**
 * As cmpay_sandbox_pay, but the payment is refused (the cashier's fail
 * button): the order becomes FAILED, and its OfflineNotify says so.
 *
 * # Safety
 * As cmpay_sandbox_pay.
 */
cmpay_status cmpay_sandbox_fail(const cmpay_sandbox *s, const char *order_id);

/**
 * Puts an unpaid order past its validity, as time would: paying it is
 * refused and the query answers RPM99981; no notification is sent.
 * Statuses as cmpay_sandbox_pay.
 *
 * # Safety
 * As cmpay_sandbox_pay.
 */
cmpay_status cmpay_sandbox_expire(const cmpay_sandbox *s, const char *order_id);

/**
 * Waits up to `timeout_ms` until an OfflineNotify of the order was
 * answered exactly `SUCCESS` by its notifyUrl: CMPAY_OK. CMPAY_TIMEOUT
 * otherwise, the last error saying "not acknowledged: " and why (what the
 * last answer was and why it does not count, or that no notification was
 * sent: the order is unpaid or expired). CMPAY_NOT_FOUND for an unknown
 * order; CMPAY_INVALID_ARGUMENT for one two merchants use.
 *
 * # Safety
 * `s` is NULL or a live sandbox; `order_id` NULL or NUL-terminated.
 */
cmpay_status cmpay_sandbox_wait_notified(const cmpay_sandbox *s, const char *order_id, uint32_t timeout_ms);

/**
 * Every OfflineNotify send so far, oldest first, as the JSON document
 * `GET /sandbox/deliveries` answers (an array of objects: merchantId,
 * orderId, payNo, attempt, url, httpStatus, answer, acked, notAcked (why
 * not), error, body (what was POSTed), ...), into the caller's buffer as
 * the *_into functions do.
 *
 * # Safety
 * As cmpay_sandbox_endpoint_into.
 */
cmpay_status cmpay_sandbox_deliveries_into(const cmpay_sandbox *s, char *buf, size_t buf_len, size_t *needed);

/**
 * Stops the simulator and frees it: returns once its server and
 * notification threads have ended (a notification being sent finishes
 * first; those still scheduled are dropped). NULL is a no-op. Free the
 * clients made for it first.
 *
 * # Safety
 * `s` is NULL or a live sandbox that no other thread is using.
 */
void cmpay_sandbox_free(cmpay_sandbox *s);

#endif  /* CMPAY_H */
