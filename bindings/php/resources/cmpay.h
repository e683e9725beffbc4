/*
 * The declarations of crates/cmpay-ffi/include/cmpay.h in the form PHP's FFI parser accepts
 * (no preprocessor lines, no extern "C" block). Two deliberate differences:
 * byte buffers passed with a length are declared `const char *` instead of
 * `const uint8_t *` (the same pointer at the ABI level), so that PHP strings,
 * which may contain NUL bytes, are passed without a copy. LibraryTest.php
 * (testDeclarationsMatchTheHeader, in make test-php) checks this file against
 * that header function by function.
 */
typedef enum {
  CMPAY_OK = 0,
  CMPAY_INVALID_ARGUMENT = 1,
  CMPAY_FIELD_INVALID = 2,
  CMPAY_KEY = 3,
  CMPAY_SIGNATURE_MISMATCH = 4,
  CMPAY_PARSE = 5,
  CMPAY_GATEWAY = 6,
  CMPAY_TRANSPORT = 7,
  CMPAY_TIMEOUT = 8,
  CMPAY_TLS = 9,
  CMPAY_AMBIGUOUS = 10,
  CMPAY_NOT_CONFIRMED = 11,
  CMPAY_FORGEABLE_SOURCE = 12,
  CMPAY_NULL_POINTER = 100,
  CMPAY_INVALID_UTF8 = 101,
  CMPAY_PANIC = 102,
  CMPAY_NOT_FOUND = 103,
  CMPAY_BUFFER_TOO_SMALL = 104
} cmpay_status;

typedef enum {
  CMPAY_ORDER_PENDING = 0,
  CMPAY_ORDER_PAID = 1,
  CMPAY_ORDER_FAILED = 2
} cmpay_order_status;

typedef enum {
  CMPAY_LOG_ERROR = 1,
  CMPAY_LOG_WARN = 2,
  CMPAY_LOG_INFO = 3,
  CMPAY_LOG_DEBUG = 4
} cmpay_log_level;

typedef enum {
  CMPAY_SANDBOX_HTTPS = 1
} cmpay_sandbox_flag;

typedef struct cmpay_client cmpay_client;
typedef struct cmpay_config cmpay_config;
typedef struct cmpay_merchant cmpay_merchant;
typedef struct cmpay_notification cmpay_notification;
typedef struct cmpay_response cmpay_response;
typedef struct cmpay_sandbox cmpay_sandbox;
typedef struct cmpay_signed_request cmpay_signed_request;

typedef struct {
  uint64_t cash;
  uint64_t prepaid;
  uint64_t coupon;
  uint64_t voucher;
  uint64_t points;
} cmpay_amt_item;

typedef void (*cmpay_log_callback)(void *user_data, int32_t level, const char *event, const char *message);

const char *cmpay_version(void);
const char *cmpay_status_name(cmpay_status s);
cmpay_status cmpay_last_status(void);
const char *cmpay_last_error(void);
const char *cmpay_last_error_return_code(void);
const char *cmpay_last_error_field(void);
void cmpay_string_free(char *s);

cmpay_status cmpay_merchant_new_md5(const char *merchant_id, const char *sign_key, cmpay_merchant **out);
cmpay_status cmpay_merchant_new_rsa(const char *merchant_id, const char *private_key, size_t private_key_len, const char *gateway_public_key, size_t gateway_public_key_len, bool allow_legacy_1024, cmpay_merchant **out);
void cmpay_merchant_free(cmpay_merchant *m);
cmpay_status cmpay_merchant_sign_request(const cmpay_merchant *m, const char *kind, const char *params, size_t params_len, cmpay_signed_request **out);
cmpay_status cmpay_merchant_hmac(const cmpay_merchant *m, const char *kind, const char *params, size_t params_len, char **out);
cmpay_status cmpay_merchant_verify(const cmpay_merchant *m, const char *kind, const char *body, size_t body_len);

cmpay_status cmpay_signed_request_body(const cmpay_signed_request *r, char **out);
cmpay_status cmpay_signed_request_content_type(const cmpay_signed_request *r, char **out);
cmpay_status cmpay_signed_request_hmac(const cmpay_signed_request *r, char **out);
cmpay_status cmpay_signed_request_source(const cmpay_signed_request *r, char **out);
cmpay_status cmpay_signed_request_field(const cmpay_signed_request *r, const char *name, char **out);
cmpay_status cmpay_signed_request_html_form(const cmpay_signed_request *r, const char *action, char **out);
void cmpay_signed_request_free(cmpay_signed_request *r);

cmpay_status cmpay_response_parse(const cmpay_merchant *m, const char *kind, const char *body, size_t body_len, cmpay_response **out);
cmpay_status cmpay_response_field(const cmpay_response *r, const char *name, char **out);
cmpay_status cmpay_response_fields_into(const cmpay_response *r, char *buf, size_t buf_len, size_t *needed);
cmpay_status cmpay_response_pay_url(const cmpay_response *r, char **url, char **method, char **session_id);
cmpay_status cmpay_response_redirect_url(const cmpay_response *r, char **out);
cmpay_status cmpay_response_html_form(const cmpay_response *r, char **out);
cmpay_status cmpay_response_order_status(const cmpay_response *r, cmpay_order_status *out);
cmpay_status cmpay_response_amount(const cmpay_response *r, uint64_t *out);
void cmpay_response_free(cmpay_response *r);

cmpay_status cmpay_notification_parse(const cmpay_merchant *m, const char *body, size_t body_len, cmpay_notification **out);
cmpay_status cmpay_notification_field(const cmpay_notification *n, const char *name, char **out);
cmpay_status cmpay_notification_fields_into(const cmpay_notification *n, char *buf, size_t buf_len, size_t *needed);
cmpay_status cmpay_notification_amount(const cmpay_notification *n, uint64_t *out);
cmpay_status cmpay_notification_amt_item(const cmpay_notification *n, cmpay_amt_item *out);
cmpay_status cmpay_notification_fee_fen(const cmpay_notification *n, uint64_t *out);
cmpay_status cmpay_notification_is_paid(const cmpay_notification *n, bool *out);
cmpay_status cmpay_notification_is_ambiguous(const cmpay_notification *n, bool *out);
cmpay_status cmpay_notification_other_readings(const cmpay_notification *n, char **out);
cmpay_status cmpay_notification_other_order_ids(const cmpay_notification *n, char **out);
cmpay_status cmpay_notification_rule_out(const cmpay_notification *n, const char *order_id);
cmpay_status cmpay_notification_is_confirmed(const cmpay_notification *n, bool *out);
cmpay_status cmpay_notification_check_order(const cmpay_notification *n, const char *merchant_id, const char *order_id, uint64_t amount_fen);
cmpay_status cmpay_notification_ack(const cmpay_notification *n, char **out);
void cmpay_notification_free(cmpay_notification *n);

cmpay_status cmpay_config_new(cmpay_config **out);
cmpay_status cmpay_config_set(cmpay_config *c, const char *name, const char *value);
cmpay_status cmpay_config_add_ca_pem(cmpay_config *c, const char *pem, size_t pem_len);
void cmpay_config_free(cmpay_config *c);
cmpay_status cmpay_client_new(const cmpay_merchant *m, const cmpay_config *c, cmpay_client **out);
cmpay_status cmpay_client_create_order(const cmpay_client *c, const char *params, size_t params_len, cmpay_response **out);
cmpay_status cmpay_client_query_order(const cmpay_client *c, const char *order_id, cmpay_response **out);
cmpay_status cmpay_client_confirm(const cmpay_client *c, const cmpay_notification *n);
cmpay_status cmpay_client_refund(const cmpay_client *c, const char *order_id, uint64_t amount_fen, cmpay_response **out);
void cmpay_client_free(cmpay_client *c);
cmpay_status cmpay_config_set_logger(cmpay_config *c, cmpay_log_callback callback, void *user_data, int32_t min_level);
cmpay_status cmpay_client_parse_notification(const cmpay_client *c, const char *body, size_t body_len, cmpay_notification **out);
cmpay_status cmpay_client_from_env(const cmpay_config *c, cmpay_client **out);
cmpay_status cmpay_client_from_vars(const cmpay_config *c, const char *vars, size_t vars_len, cmpay_client **out);
cmpay_status cmpay_client_merchant(const cmpay_client *c, cmpay_merchant **out);

cmpay_status cmpay_return_code_lookup(const char *code, char **canonical, char **chinese, char **english);
cmpay_status cmpay_bank_name(const char *bank_code, char **out);

cmpay_status cmpay_yuan(uint64_t fen, char **out);

cmpay_status cmpay_sandbox_start(uint32_t flags, cmpay_sandbox **out);
cmpay_status cmpay_sandbox_endpoint_into(const cmpay_sandbox *s, char *buf, size_t buf_len, size_t *needed);
cmpay_status cmpay_sandbox_ca_pem_into(const cmpay_sandbox *s, char *buf, size_t buf_len, size_t *needed);
cmpay_status cmpay_sandbox_notify_url_into(const cmpay_sandbox *s, char *buf, size_t buf_len, size_t *needed);
cmpay_status cmpay_sandbox_merchant(const cmpay_sandbox *s, cmpay_merchant **out);
cmpay_status cmpay_sandbox_client(const cmpay_sandbox *s, cmpay_client **out);
cmpay_status cmpay_sandbox_pay(const cmpay_sandbox *s, const char *order_id);
cmpay_status cmpay_sandbox_fail(const cmpay_sandbox *s, const char *order_id);
cmpay_status cmpay_sandbox_expire(const cmpay_sandbox *s, const char *order_id);
cmpay_status cmpay_sandbox_wait_notified(const cmpay_sandbox *s, const char *order_id, uint32_t timeout_ms);
cmpay_status cmpay_sandbox_deliveries_into(const cmpay_sandbox *s, char *buf, size_t buf_len, size_t *needed);
void cmpay_sandbox_free(cmpay_sandbox *s);
