/*
 * The C ABI of libcmpay, from C: every function of include/cmpay.h, the
 * shared vectors (tests/data/cmpay-vectors.json through target/c/vectors.h),
 * and abuse (NULL for every pointer argument, invalid UTF-8, over-long
 * values, bodies of 0 bytes and of 10 MB, free of NULL, one merchant and one
 * client shared by several threads). Run under valgrind by `make test-c`.
 *
 * usage: test_abi DATA_DIR [SANDBOX_ENDPOINT SANDBOX_CA_PEM|-]
 *   DATA_DIR holds test-keys/; with a sandbox (`cmpay sandbox`, see
 *   tests/c/run.sh) the client's success paths run too: over HTTPS trusting
 *   the sandbox's CA, or with "-" over plain HTTP (allow_http).
 * Ends with the line "N passed, M failed"; exit status 1 when M > 0.
 */
#define _XOPEN_SOURCE 700 /* POSIX 2008 with realpath */
#include "cmpay.h"
#include "vectors.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef _WIN32
/* Windows (mingw-w64, run under wine by tests/dist/cross.sh): the library
 * reads the process environment with GetEnvironmentVariableW, so the
 * variables are set there, in UTF-16 from this file's UTF-8 (the "A" call
 * would read the bytes in the ANSI code page); mingw's C library has no
 * setenv/unsetenv. */
#include <windows.h>
#include <wchar.h>
static wchar_t *wide(const char *utf8) {
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, NULL, 0);
    wchar_t *w = n > 0 ? malloc(sizeof(wchar_t) * (size_t)n) : NULL;
    if (!w || MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, w, n) != n) exit(2);
    return w;
}
static int setenv(const char *name, const char *value, int overwrite) {
    (void)overwrite;
    wchar_t *n = wide(name), *v = wide(value);
    int ok = SetEnvironmentVariableW(n, v) != 0;
    free(n);
    free(v);
    return ok ? 0 : -1;
}
static int unsetenv(const char *name) { return SetEnvironmentVariableA(name, NULL) ? 0 : -1; }
#else
#include <sys/stat.h>
#endif

static int passed, failed;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *data_dir = "tests/data";

static void record(int ok, const char *file, int line, const char *what) {
    pthread_mutex_lock(&count_lock);
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL %s:%d: %s (last error: %s)\n", file, line, what, cmpay_last_error());
    }
    pthread_mutex_unlock(&count_lock);
}

#define CHECK(cond) record((cond) ? 1 : 0, __FILE__, __LINE__, #cond)
/* A call's status must be `want`; on failure print both names. */
#define EXPECT(want, call)                                                                                         \
    do {                                                                                                           \
        cmpay_status got_ = (call);                                                                                \
        if (got_ != (want))                                                                                        \
            fprintf(stderr, "  %s: got %s, want %s\n", #call, cmpay_status_name(got_), cmpay_status_name(want)); \
        record(got_ == (want), __FILE__, __LINE__, #call);                                                         \
    } while (0)
#define STREQ(a, b) (strcmp((a), (b)) == 0)

/* An output pointer's value before the call: failures must leave it alone. */
#define UNTOUCHED ((void *)&passed)

static const uint8_t *B(const char *s) { return (const uint8_t *)s; }
/* A NUL-pairs literal ("name\0value\0..."), as the two arguments (bytes, length). */
#define L(s) B(s), sizeof(s) - 1

static int hex_digit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Whether bytes hold other bytes (NULs and all). */
static int has_bytes(const char *hay, size_t n, const char *needle, size_t m) {
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0) return 1;
    return 0;
}

/* A form body ("a=1&b=%E6+x") as the NUL pairs the ABI takes ("a\0001\0b\0\346 x\0"),
 * the test's own converter for bodies built with snprintf: out holds at least
 * strlen(form) + 1 bytes; returns the pairs' length. */
static size_t to_pairs(const char *form, char *out) {
    size_t n = 0;
    int in_value = 0;
    if (!*form) return 0;
    for (const char *p = form;; p++) {
        if ((*p == '=' && !in_value) || *p == '&' || *p == 0) {
            out[n++] = 0;
            in_value = *p == '=';
            if (!*p) break;
        } else if (*p == '+') {
            out[n++] = ' ';
        } else if (*p == '%' && hex_digit(p[1]) >= 0 && hex_digit(p[2]) >= 0) {
            out[n++] = (char)(hex_digit(p[1]) * 16 + hex_digit(p[2]));
            p += 2;
        } else {
            out[n++] = *p;
        }
    }
    return n;
}

static char *read_file(const char *name, size_t *len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/test-keys/%s", data_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* An owned string output compared and freed. */
static int take_eq(char *s, const char *want) {
    int ok = s && STREQ(s, want);
    if (!ok) fprintf(stderr, "  got \"%s\", want \"%s\"\n", s ? s : "(null)", want);
    cmpay_string_free(s);
    return ok;
}

static int take_contains(char *s, const char *needle) {
    int ok = s && strstr(s, needle) != NULL;
    if (!ok) fprintf(stderr, "  \"%.200s\" lacks \"%s\"\n", s ? s : "(null)", needle);
    cmpay_string_free(s);
    return ok;
}

static cmpay_merchant *md5_merchant(void) {
    cmpay_merchant *m = NULL;
    if (cmpay_merchant_new_md5("888009941120001", V_MD5_KEY, &m) != CMPAY_OK) {
        fprintf(stderr, "cannot make the MD5 merchant: %s\n", cmpay_last_error());
        exit(2);
    }
    return m;
}

/* ------------------------------------------------------------------ library */

static void test_library(void) {
    CHECK(STREQ(cmpay_version(), CMPAY_VERSION));
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", CMPAY_VERSION_MAJOR, CMPAY_VERSION_MINOR, CMPAY_VERSION_PATCH);
    CHECK(STREQ(cmpay_version(), v));

    /* Every status of the header (target/c/statuses.h is generated from it
     * by scripts/check-statuses.py --c-names): the library names each, and
     * no other number. */
    static const struct { cmpay_status s; const char *name; } names[] = {
#define X(status, name) {status, name},
#include "statuses.h"
#undef X
    };
    CHECK(names[0].s == CMPAY_OK && STREQ(names[0].name, "CMPAY_OK"));
    for (size_t i = 0; i < V_COUNT(names); i++) {
        CHECK(STREQ(cmpay_status_name(names[i].s), names[i].name));
    }
    for (int n = -1; n <= 1024; n++) {
        int known = 0;
        for (size_t i = 0; i < V_COUNT(names); i++) {
            known |= (int)names[i].s == n;
        }
        if (!known) {
            /* Numbers that are no status: a name, not undefined behaviour. */
            CHECK(STREQ(cmpay_status_name((cmpay_status)n), "CMPAY_UNKNOWN"));
        }
    }
    CHECK(STREQ(cmpay_status_name((cmpay_status)0x7fffffff), "CMPAY_UNKNOWN"));

    cmpay_string_free(NULL);
    CHECK(1);

    /* The last error: set by a failure, kept by the getters, cleared by success. */
    cmpay_merchant *m = UNTOUCHED;
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_new_md5(NULL, "k", &m));
    CHECK(m == UNTOUCHED);
    CHECK(strstr(cmpay_last_error(), "merchant_id") != NULL);
    CHECK(STREQ(cmpay_status_name(CMPAY_OK), "CMPAY_OK"));
    CHECK(strstr(cmpay_last_error(), "merchant_id") != NULL);
    CHECK(STREQ(cmpay_last_error_return_code(), ""));
    CHECK(STREQ(cmpay_last_error_field(), ""));
    m = md5_merchant();
    CHECK(STREQ(cmpay_last_error(), ""));
    cmpay_merchant_free(m);
}

/* ----------------------------------------------------------------- merchant */

static void test_merchant_new(void) {
    cmpay_merchant *m = UNTOUCHED;
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_new_md5(NULL, V_MD5_KEY, &m));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_new_md5("888009941120001", NULL, &m));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_new_md5("888009941120001", V_MD5_KEY, NULL));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_merchant_new_md5("8880\xff", V_MD5_KEY, &m));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_merchant_new_md5("888009941120001", "key\xc3\x28", &m));
    EXPECT(CMPAY_KEY, cmpay_merchant_new_md5("888009941120001", "", &m));
    EXPECT(CMPAY_KEY, cmpay_merchant_new_md5("888009941120001", "key\n", &m));
    EXPECT(CMPAY_FIELD_INVALID, cmpay_merchant_new_md5("", V_MD5_KEY, &m));
    CHECK(STREQ(cmpay_last_error_field(), "merchantId"));
    /* Over-long: 100 000 characters. */
    char *longid = malloc(100001);
    memset(longid, '8', 100000);
    longid[100000] = 0;
    EXPECT(CMPAY_FIELD_INVALID, cmpay_merchant_new_md5(longid, V_MD5_KEY, &m));
    CHECK(STREQ(cmpay_last_error_field(), "merchantId"));
    free(longid);
    CHECK(m == UNTOUCHED);

    size_t n8, n1, npub, ncert, nplat;
    char *pkcs8 = read_file("merchant_private_pkcs8.pem", &n8);
    char *pkcs1 = read_file("merchant_private_pkcs1.pem", &n1);
    char *pub = read_file("platform_public.pem", &npub);
    char *cert = read_file("platform_cert.pem", &ncert);
    char *platform_private = read_file("platform_private_pkcs8.pem", &nplat);
    m = NULL;
    EXPECT(CMPAY_OK, cmpay_merchant_new_rsa("888009941120001", B(pkcs8), n8, B(pub), npub, false, &m));
    cmpay_merchant_free(m);
    m = NULL;
    EXPECT(CMPAY_OK, cmpay_merchant_new_rsa("888009941120001", B(pkcs1), n1, B(cert), ncert, true, &m));
    cmpay_merchant_free(m);
    m = UNTOUCHED;
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_new_rsa(NULL, B(pkcs8), n8, B(pub), npub, false, &m));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_new_rsa("888009941120001", NULL, n8, B(pub), npub, false, &m));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_new_rsa("888009941120001", B(pkcs8), n8, NULL, npub, false, &m));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_new_rsa("888009941120001", B(pkcs8), n8, B(pub), npub, false, NULL));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_merchant_new_rsa("\xff", B(pkcs8), n8, B(pub), npub, false, &m));
    /* NULL with length 0 is an empty key: refused as a key. */
    EXPECT(CMPAY_KEY, cmpay_merchant_new_rsa("888009941120001", NULL, 0, B(pub), npub, false, &m));
    EXPECT(CMPAY_KEY, cmpay_merchant_new_rsa("888009941120001", B(pkcs8), n8, NULL, 0, false, &m));
    EXPECT(CMPAY_KEY, cmpay_merchant_new_rsa("888009941120001", B("garbage"), 7, B(pub), npub, false, &m));
    /* A private key where the public one belongs, and the reverse. */
    EXPECT(CMPAY_KEY, cmpay_merchant_new_rsa("888009941120001", B(pub), npub, B(pub), npub, false, &m));
    EXPECT(CMPAY_KEY, cmpay_merchant_new_rsa("888009941120001", B(pkcs8), n8 / 2, B(pub), npub, false, &m));
    /* Key bytes with NUL and 10 MB of them. */
    size_t big = 10u * 1024 * 1024;
    uint8_t *zeros = calloc(big, 1);
    EXPECT(CMPAY_KEY, cmpay_merchant_new_rsa("888009941120001", zeros, big, B(pub), npub, false, &m));
    EXPECT(CMPAY_KEY, cmpay_merchant_new_rsa("888009941120001", B(pkcs8), n8, zeros, big, false, &m));
    free(zeros);
    CHECK(m == UNTOUCHED);
    free(pkcs8);
    free(pkcs1);
    free(pub);
    free(cert);
    free(platform_private);

    cmpay_merchant_free(NULL);
    CHECK(1);
}

static void test_sign_request(void) {
    cmpay_merchant *m = md5_merchant();
    for (size_t i = 0; i < V_COUNT(V_ORDER_REQUESTS); i++) {
        const v_request *v = &V_ORDER_REQUESTS[i];
        cmpay_signed_request *r = NULL;
        EXPECT(CMPAY_OK, cmpay_merchant_sign_request(m, "order-request", B(v->params), v->params_len, &r));
        if (!r) continue;
        char *s = NULL;
        EXPECT(CMPAY_OK, cmpay_signed_request_source(r, &s));
        CHECK(take_eq(s, v->source));
        EXPECT(CMPAY_OK, cmpay_signed_request_hmac(r, &s));
        CHECK(take_eq(s, v->hmac));
        EXPECT(CMPAY_OK, cmpay_signed_request_body(r, &s));
        CHECK(take_eq(s, v->form_body));
        EXPECT(CMPAY_OK, cmpay_signed_request_content_type(r, &s));
        CHECK(take_eq(s, v->content_type));
        EXPECT(CMPAY_OK, cmpay_signed_request_field(r, "requestId", &s));
        CHECK(take_eq(s, "REQ20261125000001"));
        EXPECT(CMPAY_OK, cmpay_signed_request_field(r, "hmac", &s));
        CHECK(take_eq(s, v->hmac));
        EXPECT(CMPAY_OK, cmpay_signed_request_field(r, "reserved2", &s));
        CHECK(take_eq(s, ""));
        s = UNTOUCHED;
        EXPECT(CMPAY_NOT_FOUND, cmpay_signed_request_field(r, "merchantCert", &s));
        EXPECT(CMPAY_NOT_FOUND, cmpay_signed_request_field(r, "nope", &s));
        EXPECT(CMPAY_INVALID_UTF8, cmpay_signed_request_field(r, "\xff", &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_field(r, NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_field(r, "hmac", NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_field(NULL, "hmac", &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_body(NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_body(r, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_content_type(NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_content_type(r, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_hmac(NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_hmac(r, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_source(NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_source(r, NULL));
        /* The browser form (GWDirectPay's way): every field hidden, posted to the action. */
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_html_form(NULL, "https://g/ips/cmpayService", &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_html_form(r, NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_signed_request_html_form(r, "https://g/ips/cmpayService", NULL));
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_signed_request_html_form(r, "javascript:alert(1)", &s));
        EXPECT(CMPAY_INVALID_UTF8, cmpay_signed_request_html_form(r, "https://g/\xff", &s));
        CHECK(s == UNTOUCHED);
        EXPECT(CMPAY_OK, cmpay_signed_request_html_form(r, "https://g/ips/cmpayService", &s));
        CHECK(s != NULL && strstr(s, "<form method=\"post\" action=\"https://g/ips/cmpayService\"") != NULL);
        CHECK(s != NULL && strstr(s, "<html lang=\"zh-CN\">") != NULL);
        CHECK(s != NULL && strstr(s, v->hmac) != NULL && strstr(s, "name=\"hmac\"") != NULL);
        cmpay_string_free(s);
        s = UNTOUCHED;
        cmpay_signed_request_free(r);
    }
    /* The same message through cmpay_merchant_hmac (no defaults, no checks). */
    char *h = NULL;
    EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, "order-request", B(V_ORDER_REQUESTS[0].params), V_ORDER_REQUESTS[0].params_len, &h));
    CHECK(take_eq(h, V_ORDER_REQUESTS[0].hmac));
    /* The query request's pairs written out: no escaping, same hmac. */
    {
        static const char nul[] = "merchantId\0" "888009941120001\0" "requestId\0" "REQ20261125000002\0"
                                  "signType\0" "MD5\0" "type\0" "OrderQuery\0" "version\0" "2.0.0\0"
                                  "orderId\0" "ORD20261125000001\0";
        EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, "query-request", B(nul), sizeof nul - 1, &h));
        CHECK(take_eq(h, V_QUERY_REQUEST.hmac));
        /* Not NUL-terminated: one way to write each list of pairs. */
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_hmac(m, "query-request", B(nul), sizeof nul - 2, &h));
        static const char odd[] = "merchantId\0" "888009941120001\0" "orderId\0";
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_hmac(m, "query-request", B(odd), sizeof odd - 1, &h));
        static const char bad[] = "orderId\0" "\xff\0";
        EXPECT(CMPAY_INVALID_UTF8, cmpay_merchant_hmac(m, "query-request", B(bad), sizeof bad - 1, &h));
    }

    const v_request *qr[] = {&V_QUERY_REQUEST, &V_REFUND_REQUEST};
    const char *qk[] = {"query-request", "refund-request"};
    for (int i = 0; i < 2; i++) {
        cmpay_signed_request *r = NULL;
        EXPECT(CMPAY_OK, cmpay_merchant_sign_request(m, qk[i], B(qr[i]->params), qr[i]->params_len, &r));
        char *s = NULL;
        EXPECT(CMPAY_OK, cmpay_signed_request_source(r, &s));
        CHECK(take_eq(s, qr[i]->source));
        EXPECT(CMPAY_OK, cmpay_signed_request_hmac(r, &s));
        CHECK(take_eq(s, qr[i]->hmac));
        EXPECT(CMPAY_OK, cmpay_signed_request_content_type(r, &s));
        CHECK(take_eq(s, "application/x-www-form-urlencoded; charset=UTF-8"));
        cmpay_signed_request_free(r);
        EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, qk[i], B(qr[i]->params), qr[i]->params_len, &h));
        CHECK(take_eq(h, qr[i]->hmac));
    }

    /* requestId left out: a fresh one is filled in, as cmpay_client_create_order does:
       lower-case letters and digits, at most 36, never six zeros in a row. */
    {
        cmpay_signed_request *r1 = NULL, *r2 = NULL;
        char *a = NULL, *b = NULL;
        EXPECT(CMPAY_OK, cmpay_merchant_sign_request(m, "query-request", L("orderId\0O1\0"), &r1));
        EXPECT(CMPAY_OK, cmpay_merchant_sign_request(m, "query-request", L("orderId\0O1\0requestId\0\0"), &r2));
        EXPECT(CMPAY_OK, cmpay_signed_request_field(r1, "requestId", &a));
        EXPECT(CMPAY_OK, cmpay_signed_request_field(r2, "requestId", &b));
        CHECK(a != NULL && b != NULL && strlen(a) <= 36 && strspn(a, "0123456789abcdefghijklmnopqrstuvwxyz") == strlen(a));
        CHECK(a != NULL && strstr(a, "000000") == NULL && a[8] == 't');
        CHECK(a != NULL && b != NULL && strcmp(a, b) != 0);
        cmpay_string_free(a);
        cmpay_string_free(b);
        cmpay_signed_request_free(r1);
        cmpay_signed_request_free(r2);
    }

    /* Abuse. */
    const char *p = V_QUERY_REQUEST.params;
    size_t pl = V_QUERY_REQUEST.params_len;
    cmpay_signed_request *r = UNTOUCHED;
    h = UNTOUCHED;
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_sign_request(NULL, "query-request", B(p), pl, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_sign_request(m, NULL, B(p), pl, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_sign_request(m, "query-request", NULL, pl, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_sign_request(m, "query-request", B(p), pl, NULL));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_merchant_sign_request(m, "query-\xff", B(p), pl, &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "order", B(p), pl, &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "notify", B(p), pl, &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "query-request", L("orderId\0" "1\0bogus\0" "2\0"), &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "query-request", L("orderId\0"), &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "query-request", L("orderId\0" "1\0orderId\0" "2\0"), &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "query-request", L("\0O1\0"), &r));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_merchant_sign_request(m, "query-request", L("orderId\0\xff\xfe\0"), &r));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_merchant_sign_request(m, "query-request", L("order\xc3\0O1\0"), &r));
    /* No escaping: "%FF" is three characters of the value. */
    {
        cmpay_signed_request *esc = NULL;
        char *s = NULL;
        EXPECT(CMPAY_OK, cmpay_merchant_sign_request(m, "query-request", L("orderId\0%FF+\0"), &esc));
        EXPECT(CMPAY_OK, cmpay_signed_request_field(esc, "orderId", &s));
        CHECK(take_eq(s, "%FF+"));
        cmpay_signed_request_free(esc);
    }
    /* A form body is refused whatever it holds, the error naming the NUL pairs. */
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "query-request", L("orderId=O1"), &r));
    CHECK(strstr(cmpay_last_error(), "NUL") != NULL && strstr(cmpay_last_error(), "name\\0value\\0") != NULL);
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "query-request", L("orderId=O1&requestId=R1"), &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "query-request", L("O1"), &r));
    /* A NUL makes the bytes pairs: here the unknown name "orderId=O" with an empty value. */
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "query-request", L("orderId=O\0\0"), &r));
    /* 0 bytes: every required field missing. */
    EXPECT(CMPAY_FIELD_INVALID, cmpay_merchant_sign_request(m, "query-request", NULL, 0, &r));
    EXPECT(CMPAY_FIELD_INVALID, cmpay_merchant_sign_request(m, "order-request", B(""), 0, &r));
    /* Over-long values: the field and the gateway's own code are given. */
    {
        char buf[4096], pb[4096];
        char name[1200];
        memset(name, 'a', sizeof name - 1);
        name[sizeof name - 1] = 0;
        /* productName given twice. */
        size_t pn = V_ORDER_REQUESTS[0].params_len;
        memcpy(pb, V_ORDER_REQUESTS[0].params, pn);
        pn += (size_t)snprintf(pb + pn, sizeof pb - pn, "productName%c%s", 0, name) + 1;
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "order-request", B(pb), pn, &r));
        CHECK(strstr(cmpay_last_error(), "twice") != NULL);
        snprintf(buf, sizeof buf, "type=DirectPayConfirm&amount=1&orderDate=20261125&orderId=O1&merAcDate=20261125&period=30&periodUnit=00"
                                  "&productName=%s&requestId=R1&callbackUrl=https%%3A%%2F%%2Fx&notifyUrl=https%%3A%%2F%%2Fx&ipAddress=1.2.3.4",
                 name);
        EXPECT(CMPAY_FIELD_INVALID, cmpay_merchant_sign_request(m, "order-request", B(pb), to_pairs(buf, pb), &r));
        CHECK(STREQ(cmpay_last_error_field(), "productName"));
        CHECK(STREQ(cmpay_last_error_return_code(), "MCG01081"));
        /* Empty productName: MCG01033. */
        snprintf(buf, sizeof buf, "type=DirectPayConfirm&amount=1&orderDate=20261125&orderId=O1&merAcDate=20261125&period=30&periodUnit=00"
                                  "&productName=&requestId=R1&callbackUrl=https%%3A%%2F%%2Fx&notifyUrl=https%%3A%%2F%%2Fx&ipAddress=1.2.3.4");
        EXPECT(CMPAY_FIELD_INVALID, cmpay_merchant_sign_request(m, "order-request", B(pb), to_pairs(buf, pb), &r));
        CHECK(STREQ(cmpay_last_error_field(), "productName"));
        CHECK(STREQ(cmpay_last_error_return_code(), "MCG01033"));
        /* A merchantId that is not this merchant's. */
        EXPECT(CMPAY_FIELD_INVALID, cmpay_merchant_sign_request(m, "query-request", L("merchantId\0" "1\0orderId\0O1\0requestId\0R1\0"), &r));
        CHECK(STREQ(cmpay_last_error_field(), "merchantId"));
    }
    /* 10 MB of parameters. */
    size_t big = 10u * 1024 * 1024;
    char *huge = malloc(big);
    memset(huge, 'a', big);
    memcpy(huge, "orderId\0", 8);
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_sign_request(m, "query-request", B(huge), big, &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_hmac(m, "query-request", B(huge), big, &h));
    free(huge);
    CHECK(r == UNTOUCHED);

    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_hmac(NULL, "query-request", B(p), pl, &h));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_hmac(m, NULL, B(p), pl, &h));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_hmac(m, "query-request", NULL, 1, &h));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_hmac(m, "query-request", B(p), pl, NULL));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_merchant_hmac(m, "\xe4\xb8", B(p), pl, &h));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_merchant_hmac(m, "query-request", L("orderId\0\xc3\x28\0"), &h));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_hmac(m, "query", B(p), pl, &h));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_hmac(m, "query-request", L("orderld\0" "1\0"), &h));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_hmac(m, "query-request", L("orderId=1"), &h));
    CHECK(h == UNTOUCHED);
    /* hmac and serverCert are ignored; an empty message has an hmac too. */
    EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, "notify", L("hmac\0x\0serverCert\0y\0"), &h));
    cmpay_string_free(h);
    EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, "notify", NULL, 0, &h));
    cmpay_string_free(h);

    cmpay_signed_request_free(NULL);
    cmpay_merchant_free(m);
}

static void test_rsa(void) {
    size_t n8, n1, npub, nmpub;
    char *pkcs8 = read_file("merchant_private_pkcs8.pem", &n8);
    char *pkcs1 = read_file("merchant_private_pkcs1.pem", &n1);
    char *pub = read_file("platform_public.pem", &npub);
    char *mpub = read_file("merchant_public.pem", &nmpub);
    const char *keys[] = {pkcs8, pkcs1};
    size_t lens[] = {n8, n1};
    for (int i = 0; i < 2; i++) {
        cmpay_merchant *m = NULL;
        EXPECT(CMPAY_OK, cmpay_merchant_new_rsa("888009941120001", B(keys[i]), lens[i], B(pub), npub, false, &m));
        cmpay_signed_request *r = NULL;
        const v_request *v = &V_ORDER_REQUEST_RSA;
        EXPECT(CMPAY_OK, cmpay_merchant_sign_request(m, "order-request", B(v->params), v->params_len, &r));
        char *s = NULL;
        EXPECT(CMPAY_OK, cmpay_signed_request_source(r, &s));
        CHECK(take_eq(s, v->source));
        EXPECT(CMPAY_OK, cmpay_signed_request_hmac(r, &s));
        CHECK(take_eq(s, v->hmac));
        EXPECT(CMPAY_OK, cmpay_signed_request_field(r, "merchantCert", &s));
        CHECK(s && strlen(s) > 500);
        cmpay_string_free(s);
        EXPECT(CMPAY_OK, cmpay_signed_request_body(r, &s));
        CHECK(take_contains(s, "&merchantCert="));
        cmpay_signed_request_free(r);
        EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, "order-request", B(v->params), v->params_len, &s));
        CHECK(take_eq(s, v->hmac));
        cmpay_merchant_free(m);
    }
    free(pkcs8);
    free(pkcs1);
    free(pub);
    free(mpub);
}

static void test_verify(void) {
    cmpay_merchant *m = md5_merchant();
    for (size_t i = 0; i < V_COUNT(V_ORDER_RESPONSES); i++) {
        const v_order_response *v = &V_ORDER_RESPONSES[i];
        EXPECT(v->verified ? CMPAY_OK : CMPAY_SIGNATURE_MISMATCH, cmpay_merchant_verify(m, "order-response", B(v->body), strlen(v->body)));
    }
    for (size_t i = 0; i < V_COUNT(V_NOTIFIES); i++) {
        const v_notify *v = &V_NOTIFIES[i];
        EXPECT(v->verified ? CMPAY_OK : CMPAY_SIGNATURE_MISMATCH, cmpay_merchant_verify(m, "notify", B(v->body), strlen(v->body)));
    }
    EXPECT(CMPAY_OK, cmpay_merchant_verify(m, "query-response", B(V_QUERY_RESPONSE), strlen(V_QUERY_RESPONSE)));
    EXPECT(CMPAY_OK, cmpay_merchant_verify(m, "refund-response", B(V_REFUND_RESPONSE), strlen(V_REFUND_RESPONSE)));
    /* Signed as one kind, checked as another. */
    EXPECT(CMPAY_SIGNATURE_MISMATCH, cmpay_merchant_verify(m, "order-response", B(V_REFUND_RESPONSE), strlen(V_REFUND_RESPONSE)));
    const char *q = V_QUERY_RESPONSE;
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_verify(NULL, "query-response", B(q), strlen(q)));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_verify(m, NULL, B(q), strlen(q)));
    EXPECT(CMPAY_NULL_POINTER, cmpay_merchant_verify(m, "query-response", NULL, 5));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_merchant_verify(m, "\x80", B(q), strlen(q)));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_merchant_verify(m, "answer", B(q), strlen(q)));
    EXPECT(CMPAY_PARSE, cmpay_merchant_verify(m, "query-response", NULL, 0));
    EXPECT(CMPAY_PARSE, cmpay_merchant_verify(m, "notify", B(""), 0));
    EXPECT(CMPAY_PARSE, cmpay_merchant_verify(m, "notify", B("\xff\xff=\xff"), 4));
    size_t big = 10u * 1024 * 1024;
    uint8_t *huge = malloc(big);
    memset(huge, 'a', big);
    EXPECT(CMPAY_PARSE, cmpay_merchant_verify(m, "notify", huge, big));
    EXPECT(CMPAY_PARSE, cmpay_merchant_verify(m, "order-response", huge, big));
    free(huge);
    cmpay_merchant_free(m);
}

/* ----------------------------------------------------------------- response */

static void test_response(void) {
    cmpay_merchant *m = md5_merchant();
    for (size_t i = 0; i < V_COUNT(V_ORDER_RESPONSES); i++) {
        const v_order_response *v = &V_ORDER_RESPONSES[i];
        cmpay_response *r = UNTOUCHED;
        cmpay_status st = cmpay_response_parse(m, "order-response", B(v->body), strlen(v->body), &r);
        if (v->return_code[0]) {
            CHECK(st == CMPAY_GATEWAY);
            CHECK(STREQ(cmpay_last_error_return_code(), v->return_code));
            CHECK(strstr(cmpay_last_error(), v->message) != NULL);
            CHECK(r == UNTOUCHED);
            continue;
        }
        if (!v->verified) {
            CHECK(st == CMPAY_SIGNATURE_MISMATCH);
            CHECK(r == UNTOUCHED);
            continue;
        }
        CHECK(st == CMPAY_OK);
        if (st != CMPAY_OK) continue;
        char *url = NULL, *method = NULL, *sid = NULL, *s = NULL;
        EXPECT(CMPAY_OK, cmpay_response_pay_url(r, &url, &method, &sid));
        CHECK(take_eq(url, v->url));
        CHECK(take_eq(method, v->method));
        CHECK(take_eq(sid, v->session_id));
        EXPECT(CMPAY_OK, cmpay_response_redirect_url(r, &s));
        CHECK(take_eq(s, v->redirect));
        EXPECT(CMPAY_OK, cmpay_response_html_form(r, &s));
        CHECK(take_contains(s, "value=\"2011010199999\""));
        EXPECT(CMPAY_OK, cmpay_response_field(r, "returnCode", &s));
        CHECK(take_eq(s, "000000"));
        EXPECT(CMPAY_OK, cmpay_response_field(r, "serverCert", &s));
        CHECK(take_eq(s, ""));
        {
            /* Every field as NUL pairs, in the order received; the size query first. */
            static const char head[] = "merchantId\0" "888009941120001\0requestId\0REQ20261125000001\0";
            char pairs[1024];
            size_t needed = 0;
            EXPECT(CMPAY_BUFFER_TOO_SMALL, cmpay_response_fields_into(r, NULL, 0, &needed));
            CHECK(needed > sizeof head && needed < sizeof pairs);
            size_t want = needed;
            memset(pairs, 'x', sizeof pairs);
            EXPECT(CMPAY_BUFFER_TOO_SMALL, cmpay_response_fields_into(r, pairs, want - 1, &needed));
            CHECK(needed == want && pairs[0] == 'x');
            EXPECT(CMPAY_OK, cmpay_response_fields_into(r, pairs, want, &needed));
            CHECK(needed == want && memcmp(pairs, head, sizeof head - 1) == 0 && pairs[want - 1] == 0 && pairs[want] == 'x');
            /* The payUrl token's own separators come through as sent. */
            CHECK(has_bytes(pairs, want, "payUrl\0url<hi:=>", 16));
            EXPECT(CMPAY_NULL_POINTER, cmpay_response_fields_into(NULL, pairs, sizeof pairs, &needed));
            EXPECT(CMPAY_NULL_POINTER, cmpay_response_fields_into(r, pairs, sizeof pairs, NULL));
            EXPECT(CMPAY_NULL_POINTER, cmpay_response_fields_into(r, NULL, 16, &needed));
        }
        s = UNTOUCHED;
        url = method = sid = UNTOUCHED;
        EXPECT(CMPAY_NOT_FOUND, cmpay_response_field(r, "status", &s));
        EXPECT(CMPAY_INVALID_UTF8, cmpay_response_field(r, "\xff", &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_field(NULL, "payUrl", &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_field(r, NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_field(r, "payUrl", NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_pay_url(NULL, &url, &method, &sid));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_pay_url(r, NULL, &method, &sid));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_pay_url(r, &url, NULL, &sid));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_pay_url(r, &url, &method, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_redirect_url(NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_redirect_url(r, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_html_form(NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_html_form(r, NULL));
        CHECK(s == UNTOUCHED && url == UNTOUCHED && method == UNTOUCHED && sid == UNTOUCHED);
        /* An order answer has neither an order status nor an amount. */
        cmpay_order_status os = (cmpay_order_status)77;
        uint64_t fen = 77;
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_response_order_status(r, &os));
        EXPECT(CMPAY_NOT_FOUND, cmpay_response_amount(r, &fen));
        CHECK((int)os == 77 && fen == 77);
        cmpay_response_free(r);
    }

    /* Query and refund answers keep their kind: no payUrl. */
    const char *bodies[] = {V_QUERY_RESPONSE, V_REFUND_RESPONSE};
    const char *kinds[] = {"query-response", "refund-response"};
    for (int i = 0; i < 2; i++) {
        cmpay_response *r = NULL;
        EXPECT(CMPAY_OK, cmpay_response_parse(m, kinds[i], B(bodies[i]), strlen(bodies[i]), &r));
        if (!r) continue;
        char *s = NULL, *u = UNTOUCHED, *me = UNTOUCHED, *sid = UNTOUCHED;
        EXPECT(CMPAY_OK, cmpay_response_field(r, "amount", &s));
        CHECK(take_eq(s, "12800"));
        uint64_t fen = 0;
        EXPECT(CMPAY_OK, cmpay_response_amount(r, &fen));
        CHECK(fen == 12800);
        cmpay_order_status os = CMPAY_ORDER_PENDING;
        EXPECT(CMPAY_OK, cmpay_response_order_status(r, &os));
        CHECK(os == CMPAY_ORDER_PAID);
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_amount(NULL, &fen));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_amount(r, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_order_status(NULL, &os));
        EXPECT(CMPAY_NULL_POINTER, cmpay_response_order_status(r, NULL));
        s = UNTOUCHED;
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_response_pay_url(r, &u, &me, &sid));
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_response_redirect_url(r, &s));
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_response_html_form(r, &s));
        CHECK(s == UNTOUCHED && u == UNTOUCHED && me == UNTOUCHED && sid == UNTOUCHED);
        cmpay_response_free(r);
    }
    {
        cmpay_response *r = NULL;
        EXPECT(CMPAY_OK, cmpay_response_parse(m, "query-response", B(V_QUERY_RESPONSE), strlen(V_QUERY_RESPONSE), &r));
        char *s = NULL;
        EXPECT(CMPAY_OK, cmpay_response_field(r, "status", &s));
        CHECK(take_eq(s, "SUCCESS"));
        EXPECT(CMPAY_OK, cmpay_response_field(r, "reserved1", &s));
        CHECK(take_eq(s, "\344\277\235\347\225\231\346\225\260\346\215\256" "1")); /* 保留数据1 */
        cmpay_response_free(r);
    }

    /* Abuse. */
    const char *ok = V_ORDER_RESPONSES[0].body;
    size_t okl = strlen(ok);
    cmpay_response *r = UNTOUCHED;
    EXPECT(CMPAY_NULL_POINTER, cmpay_response_parse(NULL, "order-response", B(ok), okl, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_response_parse(m, NULL, B(ok), okl, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_response_parse(m, "order-response", NULL, okl, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_response_parse(m, "order-response", B(ok), okl, NULL));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_response_parse(m, "order-\xc0\xaf", B(ok), okl, &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_response_parse(m, "notify", B(ok), okl, &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_response_parse(m, "order-request", B(ok), okl, &r));
    EXPECT(CMPAY_PARSE, cmpay_response_parse(m, "order-response", NULL, 0, &r));
    EXPECT(CMPAY_PARSE, cmpay_response_parse(m, "order-response", B("a=1&a=2"), 7, &r));
    EXPECT(CMPAY_SIGNATURE_MISMATCH, cmpay_response_parse(m, "order-response", B(ok), okl - 1, &r));
    size_t big = 10u * 1024 * 1024;
    uint8_t *huge = malloc(big);
    memset(huge, '&', big);
    EXPECT(CMPAY_PARSE, cmpay_response_parse(m, "order-response", huge, big, &r));
    free(huge);
    CHECK(r == UNTOUCHED);
    cmpay_response_free(NULL);
    cmpay_merchant_free(m);
}

/* ------------------------------------------------------------- notification */

/* Builds and signs a notification from the vector's fields, with fee
 * replaced, through cmpay_merchant_hmac, then `extra` (unsigned fields, a
 * form body's tail) appended; returns an owned body. */
static char *signed_notify(cmpay_merchant *m, const v_notify *v, const char *fee, const char *extra) {
    char params[4096], pairs[4096];
    const char *at = strstr(v->fields_form, "&fee=");
    if (!at) return NULL;
    snprintf(params, sizeof params, "%.*s&fee=%s", (int)(at - v->fields_form), v->fields_form, fee);
    char *h = NULL;
    if (cmpay_merchant_hmac(m, "notify", B(pairs), to_pairs(params, pairs), &h) != CMPAY_OK) return NULL;
    char *body = malloc(strlen(params) + strlen(extra) + strlen(h) + 8);
    sprintf(body, "%s%s&hmac=%s", params, extra, h);
    cmpay_string_free(h);
    return body;
}

/* cmpay_notification_fields_into on a live notification: every field as
 * NUL pairs in the order received, the exact and one-too-small buffer, the
 * size query, and the bad inputs (nothing written to buf or needed). */
static void test_fields_into(const cmpay_notification *n, const v_notify *v) {
    char buf[2048];
    size_t needed = 0, want;
    memset(buf, 'x', sizeof buf);
    EXPECT(CMPAY_OK, cmpay_notification_fields_into(n, buf, sizeof buf, &needed));
    /* The vector's fields, then serverCert and hmac as received. */
    want = needed;
    CHECK(want > v->fields_pairs_len && memcmp(buf, v->fields_pairs, v->fields_pairs_len) == 0 && buf[want] == 'x');
    CHECK(has_bytes(buf, want, "\0hmac\0", 6) && buf[want - 1] == 0 && buf[want - 34] == 0);
    /* The size query, then exactly that size. */
    needed = 0;
    EXPECT(CMPAY_BUFFER_TOO_SMALL, cmpay_notification_fields_into(n, NULL, 0, &needed));
    CHECK(needed == want);
    CHECK(strstr(cmpay_last_error(), "need") != NULL);
    memset(buf, 'x', sizeof buf);
    EXPECT(CMPAY_OK, cmpay_notification_fields_into(n, buf, want, &needed));
    CHECK(needed == want && memcmp(buf, v->fields_pairs, v->fields_pairs_len) == 0 && buf[want] == 'x');
    /* One byte short: nothing written, not even a truncated list. */
    memset(buf, 'x', sizeof buf);
    needed = 0;
    EXPECT(CMPAY_BUFFER_TOO_SMALL, cmpay_notification_fields_into(n, buf, want - 1, &needed));
    int untouched = needed == want;
    for (size_t i = 0; i < sizeof buf; i++) untouched &= buf[i] == 'x';
    CHECK(untouched);
    /* reserved1 is not ASCII: its UTF-8 bytes as sent; an empty value is one NUL. */
    EXPECT(CMPAY_OK, cmpay_notification_fields_into(n, buf, sizeof buf, &needed));
    CHECK(has_bytes(buf, needed, "reserved1\0\350\207\252\345\256\232\344\271\2111\0", 21));
    CHECK(has_bytes(buf, needed, "\0reserved2\0\0", 12));

    /* Bad inputs: a status, nothing written. */
    memset(buf, 'x', sizeof buf);
    needed = 7;
    EXPECT(CMPAY_NULL_POINTER, cmpay_notification_fields_into(NULL, buf, sizeof buf, &needed));
    EXPECT(CMPAY_NULL_POINTER, cmpay_notification_fields_into(n, buf, sizeof buf, NULL));
    EXPECT(CMPAY_NULL_POINTER, cmpay_notification_fields_into(n, NULL, 16, &needed));
    CHECK(STREQ(cmpay_last_error(), "buf is NULL"));
    untouched = needed == 7;
    for (size_t i = 0; i < sizeof buf; i++) untouched &= buf[i] == 'x';
    CHECK(untouched);
}

/* A value holding a NUL (an unsigned extra field sent as %00) cannot be a
 * C string nor told from the NUL pairs' separators: CMPAY_PARSE, never a
 * value cut at the NUL. */
static void test_value_with_nul(cmpay_merchant *m) {
    char *body = signed_notify(m, &V_NOTIFIES[0], "0.12", "&serverCert=a%00b");
    CHECK(body != NULL);
    if (!body) return;
    cmpay_notification *n = NULL;
    EXPECT(CMPAY_OK, cmpay_notification_parse(m, B(body), strlen(body), &n));
    free(body);
    if (!n) return;
    char buf[64], *s = UNTOUCHED;
    size_t needed = 7;
    memset(buf, 'x', sizeof buf);
    EXPECT(CMPAY_PARSE, cmpay_notification_field(n, "serverCert", &s));
    CHECK(strstr(cmpay_last_error(), "NUL") != NULL);
    EXPECT(CMPAY_PARSE, cmpay_notification_fields_into(n, buf, sizeof buf, &needed));
    CHECK(strstr(cmpay_last_error(), "serverCert") != NULL && strstr(cmpay_last_error(), "NUL") != NULL);
    CHECK(s == UNTOUCHED && needed == 7 && buf[0] == 'x');
    cmpay_notification_free(n);
}

static void test_notification(void) {
    cmpay_merchant *m = md5_merchant();
    for (size_t i = 0; i < V_COUNT(V_NOTIFIES); i++) {
        const v_notify *v = &V_NOTIFIES[i];
        cmpay_notification *n = UNTOUCHED;
        cmpay_status st = cmpay_notification_parse(m, B(v->body), strlen(v->body), &n);
        if (!v->verified) {
            CHECK(st == CMPAY_SIGNATURE_MISMATCH);
            CHECK(n == UNTOUCHED);
            continue;
        }
        CHECK(st == CMPAY_OK);
        if (st != CMPAY_OK) continue;
        char *s = NULL;
        for (int f = 0; v->fields[f][0]; f++) {
            EXPECT(CMPAY_OK, cmpay_notification_field(n, v->fields[f][0], &s));
            CHECK(take_eq(s, v->fields[f][1]));
        }
        uint64_t amount = 0, fee = 0;
        EXPECT(CMPAY_OK, cmpay_notification_amount(n, &amount));
        CHECK(amount == 12800);
        cmpay_amt_item a;
        memset(&a, 0xee, sizeof a);
        EXPECT(CMPAY_OK, cmpay_notification_amt_item(n, &a));
        CHECK(a.cash == v->amt[0] && a.prepaid == v->amt[1] && a.coupon == v->amt[2] && a.voucher == v->amt[3] && a.points == v->amt[4]);
        EXPECT(CMPAY_OK, cmpay_notification_fee_fen(n, &fee));
        CHECK(fee == 12);
        bool paid = false;
        EXPECT(CMPAY_OK, cmpay_notification_is_paid(n, &paid));
        CHECK(paid);
        EXPECT(CMPAY_OK, cmpay_notification_ack(n, &s));
        CHECK(take_eq(s, v->ack));
        /* bankAbbr and mobile can slide into orderId (docs/resplit.md): the same
           signed source also reads as other orders, so check_order refuses
           it until each is ruled out as no order of the shop's (or the
           gateway confirms it: test_sandbox). */
        bool ambiguous = false, confirmed = true;
        EXPECT(CMPAY_OK, cmpay_notification_is_ambiguous(n, &ambiguous));
        CHECK(ambiguous);
        EXPECT(CMPAY_OK, cmpay_notification_is_confirmed(n, &confirmed));
        CHECK(!confirmed);
        EXPECT(CMPAY_AMBIGUOUS, cmpay_notification_check_order(n, "888009941120001", "ORD20261125000001", 12800));
        CHECK(strstr(cmpay_last_error(), "ICBC138****8000ORD20261125000001") != NULL);
        EXPECT(CMPAY_OK, cmpay_notification_other_readings(n, &s));
        CHECK(take_contains(s, "orderId=ICBC138****8000ORD20261125000001 status=SUCCESS\n"));
        char *ids = NULL;
        EXPECT(CMPAY_OK, cmpay_notification_other_order_ids(n, &ids));
        CHECK(ids != NULL && STREQ(ids, "138****8000ORD\n138****8000ORD20261125000001\nICBC138****8000ORD\nICBC138****8000ORD20261125000001\nORD\n"));
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_notification_rule_out(n, "ORD20261125000001"));
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_notification_rule_out(n, "no-such-reading"));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_rule_out(NULL, "ORD"));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_rule_out(n, NULL));
        EXPECT(CMPAY_INVALID_UTF8, cmpay_notification_rule_out(n, "\xff"));
        for (char *id = ids, *end; id && (end = strchr(id, '\n')) != NULL; id = end + 1) {
            *end = 0;
            EXPECT(CMPAY_OK, cmpay_notification_rule_out(n, id));
            /* Ruled out twice: no change. */
            EXPECT(CMPAY_OK, cmpay_notification_rule_out(n, id));
        }
        cmpay_string_free(ids);
        EXPECT(CMPAY_OK, cmpay_notification_is_ambiguous(n, &ambiguous));
        CHECK(!ambiguous);
        /* The readings are still listed; only the shop's judgement changed. */
        EXPECT(CMPAY_OK, cmpay_notification_other_readings(n, &s));
        CHECK(take_contains(s, "orderId=ORD status=SUCCESS\n"));
        EXPECT(CMPAY_OK, cmpay_notification_check_order(n, "888009941120001", "ORD20261125000001", 12800));
        EXPECT(CMPAY_FIELD_INVALID, cmpay_notification_check_order(n, "888009941120001", "ORD20261125000001", 12801));
        CHECK(STREQ(cmpay_last_error_field(), "amount"));
        EXPECT(CMPAY_FIELD_INVALID, cmpay_notification_check_order(n, "888009941120001", "ORD2", 12800));
        CHECK(STREQ(cmpay_last_error_field(), "orderId"));
        EXPECT(CMPAY_FIELD_INVALID, cmpay_notification_check_order(n, "888", "ORD20261125000001", 12800));
        CHECK(STREQ(cmpay_last_error_field(), "merchantId"));

        /* Abuse on a live handle. */
        s = UNTOUCHED;
        uint64_t u = 7;
        bool b = true;
        EXPECT(CMPAY_NOT_FOUND, cmpay_notification_field(n, "nope", &s));
        EXPECT(CMPAY_INVALID_UTF8, cmpay_notification_field(n, "\xff", &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_field(NULL, "payNo", &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_field(n, NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_field(n, "payNo", NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_amount(NULL, &u));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_amount(n, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_amt_item(NULL, &a));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_amt_item(n, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_fee_fen(NULL, &u));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_fee_fen(n, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_is_paid(NULL, &b));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_is_paid(n, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_check_order(NULL, "888009941120001", "ORD20261125000001", 12800));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_check_order(n, NULL, "ORD20261125000001", 12800));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_check_order(n, "888009941120001", NULL, 12800));
        EXPECT(CMPAY_INVALID_UTF8, cmpay_notification_check_order(n, "888009941120001", "ORD\xff", 12800));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_ack(NULL, &s));
        EXPECT(CMPAY_NULL_POINTER, cmpay_notification_ack(n, NULL));
        CHECK(s == UNTOUCHED && u == 7 && b == true);
        test_fields_into(n, v);
        cmpay_notification_free(n);
    }
    test_value_with_nul(m);

    /* Self-signed notifications: an empty fee is NOT_FOUND; a fee that is
       not yuan with at most two decimals is refused when parsing (its
       boundary with the next field could have moved). */
    const char *fees[] = {"", "0.125", "12", "1.5"};
    cmpay_status parsed[] = {CMPAY_OK, CMPAY_FIELD_INVALID, CMPAY_OK, CMPAY_OK};
    cmpay_status want[] = {CMPAY_NOT_FOUND, CMPAY_PARSE, CMPAY_OK, CMPAY_OK};
    uint64_t fen[] = {0, 0, 1200, 150};
    for (int i = 0; i < 4; i++) {
        char *body = signed_notify(m, &V_NOTIFIES[0], fees[i], "");
        CHECK(body != NULL);
        if (!body) continue;
        cmpay_notification *n = NULL;
        EXPECT(parsed[i], cmpay_notification_parse(m, B(body), strlen(body), &n));
        if (parsed[i] != CMPAY_OK) {
            CHECK(n == NULL);
            free(body);
            continue;
        }
        uint64_t fee = 99;
        EXPECT(want[i], cmpay_notification_fee_fen(n, &fee));
        CHECK(fee == (want[i] == CMPAY_OK ? fen[i] : 99));
        cmpay_notification_free(n);
        free(body);
    }

    /* A signed value holding a NUL (%00): neither a C string nor NUL pairs
       can carry it (so cmpay_merchant_hmac cannot sign it: the hmac below is
       hex(HMAC-MD5(signKey, hex(HMAC-MD5("", source)))) worked out apart);
       the other getters still work. */
    {
        const char *base = "merchantId=888009941120001&payNo=1&returnCode=000000&signType=MD5&type=OfflineNotify&version=2.0.0&amount=1&orderId=O%00X&status=FAILED";
        char pairs[512];
        char body[512];
        snprintf(body, sizeof body, "%s&hmac=%s", base, "069c6550688137d9191f1ecc9ccf07fb");
        cmpay_notification *n = NULL;
        EXPECT(CMPAY_OK, cmpay_notification_parse(m, B(body), strlen(body), &n));
        char *s = UNTOUCHED;
        EXPECT(CMPAY_PARSE, cmpay_notification_field(n, "orderId", &s));
        CHECK(s == UNTOUCHED);
        size_t needed = 7;
        EXPECT(CMPAY_PARSE, cmpay_notification_fields_into(n, pairs, sizeof pairs, &needed));
        CHECK(needed == 7 && strstr(cmpay_last_error(), "orderId") != NULL);
        uint64_t fee = 5;
        cmpay_amt_item a = {1, 2, 3, 4, 5};
        EXPECT(CMPAY_NOT_FOUND, cmpay_notification_fee_fen(n, &fee));
        EXPECT(CMPAY_OK, cmpay_notification_amt_item(n, &a));
        CHECK(a.cash == 0 && a.points == 0);
        /* A C string cannot hold the NUL: "O" is not "O\0X". */
        EXPECT(CMPAY_FIELD_INVALID, cmpay_notification_check_order(n, "888009941120001", "O\0X", 1));
        cmpay_notification_free(n);
    }

    cmpay_notification *n = UNTOUCHED;
    const char *ok = V_NOTIFIES[0].body;
    EXPECT(CMPAY_NULL_POINTER, cmpay_notification_parse(NULL, B(ok), strlen(ok), &n));
    EXPECT(CMPAY_NULL_POINTER, cmpay_notification_parse(m, NULL, strlen(ok), &n));
    EXPECT(CMPAY_NULL_POINTER, cmpay_notification_parse(m, B(ok), strlen(ok), NULL));
    EXPECT(CMPAY_PARSE, cmpay_notification_parse(m, NULL, 0, &n));
    EXPECT(CMPAY_PARSE, cmpay_notification_parse(m, B("\r\n"), 2, &n));
    EXPECT(CMPAY_PARSE, cmpay_notification_parse(m, B("merchantId=1&merchantId=1"), 25, &n));
    EXPECT(CMPAY_SIGNATURE_MISMATCH, cmpay_notification_parse(m, B("type=PageNotify"), 15, &n));
    size_t big = 10u * 1024 * 1024;
    uint8_t *huge = malloc(big);
    memset(huge, 0, big);
    EXPECT(CMPAY_PARSE, cmpay_notification_parse(m, huge, big, &n));
    free(huge);
    CHECK(n == UNTOUCHED);
    cmpay_notification_free(NULL);
    cmpay_merchant_free(m);
}

/* cmpay_last_status: the status of the last call that returned one. */
static void test_last_status(void) {
    cmpay_merchant *m = NULL;
    EXPECT(CMPAY_KEY, cmpay_merchant_new_md5("888009941120001", "key\n", &m));
    CHECK(cmpay_last_status() == CMPAY_KEY && strstr(cmpay_last_error(), "whitespace") != NULL);
    EXPECT(CMPAY_FIELD_INVALID, cmpay_merchant_new_md5("", V_MD5_KEY, &m));
    CHECK(cmpay_last_status() == CMPAY_FIELD_INVALID && STREQ(cmpay_last_error_field(), "merchantId"));
    m = md5_merchant();
    CHECK(cmpay_last_status() == CMPAY_OK);
    cmpay_notification *n = NULL;
    EXPECT(CMPAY_PARSE, cmpay_notification_parse(m, L("merchantId=1&merchantId=1"), &n));
    CHECK(cmpay_last_status() == CMPAY_PARSE);
    /* A boundary moved: signed, but a field breaks its format. */
    char *body = signed_notify(m, &V_NOTIFIES[0], "0.125", "");
    CHECK(body != NULL);
    if (body) EXPECT(CMPAY_FIELD_INVALID, cmpay_notification_parse(m, B(body), strlen(body), &n));
    CHECK(cmpay_last_status() == CMPAY_FIELD_INVALID && STREQ(cmpay_last_error_field(), "fee"));
    CHECK(n == NULL);
    free(body);
    cmpay_merchant_free(m);
}

/* ------------------------------------------------------------------- client */

/* The log of the sandbox test's clients: "level event message" lines, as
   many as fit (the threads' queries may fill it). */
typedef struct {
    pthread_mutex_t lock;
    char text[1 << 18];
    size_t len;
} log_buffer;
static log_buffer sandbox_log = {PTHREAD_MUTEX_INITIALIZER, {0}, 0};

static void record_log(void *user_data, int32_t level, const char *event, const char *message) {
    log_buffer *b = user_data;
    pthread_mutex_lock(&b->lock);
    int n = snprintf(b->text + b->len, sizeof b->text - b->len, "%d %s %s\n", (int)level, event, message);
    if (n > 0 && (size_t)n < sizeof b->text - b->len) b->len += (size_t)n;
    else b->text[b->len] = 0;
    pthread_mutex_unlock(&b->lock);
}

/* A line of the log that starts with `start` and holds `needle`. */
static int logged(const char *start, const char *needle) {
    for (const char *line = sandbox_log.text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (strncmp(line, start, strlen(start)) == 0) {
            const char *hit = strstr(line, needle);
            if (hit && hit < line + len) return 1;
        }
        line += len + (end ? 1 : 0);
    }
    return 0;
}

static void test_client(void) {
    cmpay_merchant *m = md5_merchant();
    cmpay_config *c = NULL;
    EXPECT(CMPAY_NULL_POINTER, cmpay_config_new(NULL));
    EXPECT(CMPAY_OK, cmpay_config_new(&c));
    EXPECT(CMPAY_OK, cmpay_config_set(c, "endpoint", "https://127.0.0.1:1/ips/cmpayService"));
    EXPECT(CMPAY_OK, cmpay_config_set(c, "charset", "02"));
    EXPECT(CMPAY_OK, cmpay_config_set(c, "connect_timeout_ms", "2000"));
    EXPECT(CMPAY_OK, cmpay_config_set(c, "timeout_ms", "5000"));
    EXPECT(CMPAY_OK, cmpay_config_set(c, "proxy", ""));
    EXPECT(CMPAY_OK, cmpay_config_set(c, "allow_http", "false"));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_config_set(c, "charset", "03"));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_config_set(c, "timeout_ms", "0"));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_config_set(c, "timeout_ms", "-5"));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_config_set(c, "connect_timeout_ms", "99999999999999999999999"));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_config_set(c, "allow_http", "yes"));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_config_set(c, "colour", "blue"));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_config_set(c, "endpoint", "https://\xff"));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_config_set(c, "\xff", "x"));
    EXPECT(CMPAY_NULL_POINTER, cmpay_config_set(NULL, "endpoint", "x"));
    EXPECT(CMPAY_NULL_POINTER, cmpay_config_set(c, NULL, "x"));
    EXPECT(CMPAY_NULL_POINTER, cmpay_config_set(c, "endpoint", NULL));
    EXPECT(CMPAY_NULL_POINTER, cmpay_config_add_ca_pem(NULL, B("x"), 1));
    EXPECT(CMPAY_NULL_POINTER, cmpay_config_add_ca_pem(c, NULL, 1));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_config_add_ca_pem(c, NULL, 0));
    EXPECT(CMPAY_NULL_POINTER, cmpay_config_set_logger(NULL, record_log, NULL, CMPAY_LOG_INFO));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_config_set_logger(c, record_log, NULL, 0));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_config_set_logger(c, record_log, NULL, 5));
    EXPECT(CMPAY_OK, cmpay_config_set_logger(c, NULL, NULL, CMPAY_LOG_ERROR));

    cmpay_client *cl = UNTOUCHED;
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_new(NULL, c, &cl));
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_new(m, c, NULL));
    CHECK(cl == UNTOUCHED);
    /* Defaults (NULL config): fine, nothing is sent. */
    cl = NULL;
    EXPECT(CMPAY_OK, cmpay_client_new(m, NULL, &cl));
    {
        cmpay_notification *n = UNTOUCHED;
        EXPECT(CMPAY_NULL_POINTER, cmpay_client_parse_notification(NULL, L("a=1"), &n));
        EXPECT(CMPAY_NULL_POINTER, cmpay_client_parse_notification(cl, NULL, 3, &n));
        EXPECT(CMPAY_NULL_POINTER, cmpay_client_parse_notification(cl, L("a=1"), NULL));
        EXPECT(CMPAY_PARSE, cmpay_client_parse_notification(cl, NULL, 0, &n));
        CHECK(n == UNTOUCHED);
        cmpay_merchant *same = UNTOUCHED;
        EXPECT(CMPAY_NULL_POINTER, cmpay_client_merchant(NULL, &same));
        EXPECT(CMPAY_NULL_POINTER, cmpay_client_merchant(cl, NULL));
        CHECK(same == UNTOUCHED);
        same = NULL;
        EXPECT(CMPAY_OK, cmpay_client_merchant(cl, &same));
        char *h1 = NULL, *h2 = NULL;
        EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, "query-request", L("requestId\0r1\0orderId\0o1\0"), &h1));
        EXPECT(CMPAY_OK, cmpay_merchant_hmac(same, "query-request", L("requestId\0r1\0orderId\0o1\0"), &h2));
        CHECK(h1 && h2 && STREQ(h1, h2));
        cmpay_string_free(h1);
        cmpay_string_free(h2);
        cmpay_merchant_free(same);
    }
    cmpay_client_free(cl);

    /* From the environment: every bad value names its variable. */
    {
        cmpay_client *env = UNTOUCHED;
        unsetenv("CMPAY_MERCHANT_ID");
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_client_from_env(NULL, &env));
        CHECK(strstr(cmpay_last_error(), "CMPAY_MERCHANT_ID") != NULL);
        CHECK(env == UNTOUCHED);
        setenv("CMPAY_MERCHANT_ID", "888009941120001", 1);
        setenv("CMPAY_SIGN_KEY", V_MD5_KEY, 1);
        setenv("CMPAY_CHARSET", "04", 1);
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_client_from_env(NULL, &env));
        CHECK(strstr(cmpay_last_error(), "CMPAY_CHARSET") != NULL);
        CHECK(strstr(cmpay_last_error(), V_MD5_KEY) == NULL);
        setenv("CMPAY_CHARSET", "UTF-8", 1);
        setenv("CMPAY_SIGN_KEY", "short", 1);
        EXPECT(CMPAY_KEY, cmpay_client_from_env(NULL, &env));
        CHECK(strstr(cmpay_last_error(), "CMPAY_SIGN_KEY") != NULL);
        setenv("CMPAY_SIGN_KEY", V_MD5_KEY, 1);
        EXPECT(CMPAY_NULL_POINTER, cmpay_client_from_env(NULL, NULL));
        env = NULL;
        EXPECT(CMPAY_OK, cmpay_client_from_env(c, &env));
        cmpay_client_free(env);
        unsetenv("CMPAY_MERCHANT_ID");
        unsetenv("CMPAY_SIGN_KEY");
        unsetenv("CMPAY_CHARSET");
    }

    /* From NAME\0value\0 pairs given (a framework's configuration): the environment unread. */
    {
        static const char good[] = "CMPAY_MERCHANT_ID\0" "888009941120001\0" "CMPAY_SIGN_KEY\0" V_MD5_KEY "\0";
        static const char typo[] = "CMPAY_MERCHANT_ID\0" "888009941120001\0" "CMPAY_SIGNKEY\0" V_MD5_KEY "\0";
        static const char form[] = "CMPAY_MERCHANT_ID=888009941120001";
        cmpay_client *vc = UNTOUCHED;
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_client_from_vars(NULL, (const uint8_t *)typo, sizeof typo - 1, &vc));
        CHECK(strstr(cmpay_last_error(), "\"CMPAY_SIGNKEY\" is not a configuration variable") != NULL);
        CHECK(strstr(cmpay_last_error(), V_MD5_KEY) == NULL);
        CHECK(vc == UNTOUCHED);
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_client_from_vars(NULL, (const uint8_t *)form, sizeof form - 1, &vc));
        setenv("CMPAY_SIGN_KEY", V_MD5_KEY, 1); /* not read: the pairs have no key */
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_client_from_vars(NULL, (const uint8_t *)good, 34, &vc));
        CHECK(strstr(cmpay_last_error(), "no key is set") != NULL);
        unsetenv("CMPAY_SIGN_KEY");
        EXPECT(CMPAY_NULL_POINTER, cmpay_client_from_vars(NULL, (const uint8_t *)good, sizeof good - 1, NULL));
        EXPECT(CMPAY_NULL_POINTER, cmpay_client_from_vars(NULL, NULL, 5, &vc));
        vc = NULL;
        EXPECT(CMPAY_OK, cmpay_client_from_vars(c, (const uint8_t *)good, sizeof good - 1, &vc));
        cmpay_merchant *vm = NULL;
        EXPECT(CMPAY_OK, cmpay_client_merchant(vc, &vm));
        cmpay_merchant_free(vm);
        cmpay_client_free(vc);
    }

    /* A CA that is not PEM: CMPAY_TLS when the client is made. */
    cmpay_config *bad = NULL;
    EXPECT(CMPAY_OK, cmpay_config_new(&bad));
    EXPECT(CMPAY_OK, cmpay_config_add_ca_pem(bad, B("not a certificate"), 17));
    cl = UNTOUCHED;
    EXPECT(CMPAY_TLS, cmpay_client_new(m, bad, &cl));
    /* A real CA: accepted. */
    size_t ncert;
    char *cert = read_file("platform_cert.pem", &ncert);
    cmpay_config *good = NULL;
    EXPECT(CMPAY_OK, cmpay_config_new(&good));
    EXPECT(CMPAY_OK, cmpay_config_add_ca_pem(good, B(cert), ncert));
    cmpay_client *cl2 = NULL;
    EXPECT(CMPAY_OK, cmpay_client_new(m, good, &cl2));
    cmpay_client_free(cl2);
    cmpay_config_free(good);
    free(cert);
    /* Plain http without allow_http, a bad proxy, an endpoint that is no URL. */
    EXPECT(CMPAY_OK, cmpay_config_set(bad, "endpoint", "http://127.0.0.1:1/"));
    cmpay_config *fresh = NULL;
    EXPECT(CMPAY_OK, cmpay_config_new(&fresh));
    EXPECT(CMPAY_OK, cmpay_config_set(fresh, "endpoint", "http://127.0.0.1:1/"));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_client_new(m, fresh, &cl));
    EXPECT(CMPAY_OK, cmpay_config_set(fresh, "endpoint", "not a url"));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_client_new(m, fresh, &cl));
    EXPECT(CMPAY_OK, cmpay_config_set(fresh, "endpoint", "https://127.0.0.1:1/"));
    EXPECT(CMPAY_OK, cmpay_config_set(fresh, "proxy", "::not a proxy::"));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_client_new(m, fresh, &cl));
    CHECK(cl == UNTOUCHED);
    cmpay_config_free(fresh);
    cmpay_config_free(bad);

    /* A client whose gateway refuses connections (port 1 on loopback). */
    EXPECT(CMPAY_OK, cmpay_config_set(c, "endpoint", "http://127.0.0.1:1/ips/cmpayService"));
    EXPECT(CMPAY_OK, cmpay_config_set(c, "allow_http", "true"));
    cl = NULL;
    EXPECT(CMPAY_OK, cmpay_client_new(m, c, &cl));
    cmpay_config_free(c); /* the client keeps its own copy */
    cmpay_response *r = UNTOUCHED;
    const char *order = V_ORDER_REQUESTS[0].params;
    size_t order_len = V_ORDER_REQUESTS[0].params_len;
    EXPECT(CMPAY_TRANSPORT, cmpay_client_create_order(cl, B(order), order_len, &r));
    EXPECT(CMPAY_TRANSPORT, cmpay_client_query_order(cl, "ORD20261125000001", &r));
    EXPECT(CMPAY_TRANSPORT, cmpay_client_refund(cl, "ORD20261125000001", 100, &r));
    /* Checked before anything is sent. */
    EXPECT(CMPAY_FIELD_INVALID, cmpay_client_create_order(cl, NULL, 0, &r));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_client_create_order(cl, L("productName\0\xff\0"), &r));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_client_create_order(cl, L("productName=x"), &r));
    CHECK(strstr(cmpay_last_error(), "NUL") != NULL);
    EXPECT(CMPAY_FIELD_INVALID, cmpay_client_query_order(cl, "", &r));
    EXPECT(CMPAY_FIELD_INVALID, cmpay_client_refund(cl, "ORD20261125000001", 0, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_create_order(NULL, B(order), order_len, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_create_order(cl, NULL, 3, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_create_order(cl, B(order), order_len, NULL));
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_query_order(NULL, "O1", &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_query_order(cl, NULL, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_query_order(cl, "O1", NULL));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_client_query_order(cl, "O\xff", &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_refund(NULL, "O1", 1, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_refund(cl, NULL, 1, &r));
    EXPECT(CMPAY_NULL_POINTER, cmpay_client_refund(cl, "O1", 1, NULL));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_client_refund(cl, "\xff", 1, &r));
    CHECK(r == UNTOUCHED);
    cmpay_client_free(cl);
    cmpay_client_free(NULL);
    cmpay_config_free(NULL);
    cmpay_merchant_free(m);
}

/* -------------------------------------------------------------- code tables */

static void test_codes(void) {
    char *a = NULL, *b = NULL, *c = NULL;
    EXPECT(CMPAY_OK, cmpay_return_code_lookup("C01088", &a, &b, &c));
    CHECK(take_eq(a, "MCG01088"));
    CHECK(take_eq(b, "\351\200\200\350\264\247\351\207\221\351\242\235\345\237\237\351\235\236\346\263\225")); /* 退货金额域非法 */
    CHECK(take_eq(c, "refund amount invalid"));
    EXPECT(CMPAY_OK, cmpay_return_code_lookup("RPM22201", &a, &b, &c));
    CHECK(take_eq(a, "RPM22201"));
    cmpay_string_free(b);
    CHECK(take_eq(c, "order does not exist"));
    a = b = c = UNTOUCHED;
    EXPECT(CMPAY_NOT_FOUND, cmpay_return_code_lookup("XYZ", &a, &b, &c));
    EXPECT(CMPAY_NOT_FOUND, cmpay_return_code_lookup("", &a, &b, &c));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_return_code_lookup("\xff", &a, &b, &c));
    EXPECT(CMPAY_NULL_POINTER, cmpay_return_code_lookup(NULL, &a, &b, &c));
    EXPECT(CMPAY_NULL_POINTER, cmpay_return_code_lookup("C01088", NULL, &b, &c));
    EXPECT(CMPAY_NULL_POINTER, cmpay_return_code_lookup("C01088", &a, NULL, &c));
    EXPECT(CMPAY_NULL_POINTER, cmpay_return_code_lookup("C01088", &a, &b, NULL));
    CHECK(a == UNTOUCHED && b == UNTOUCHED && c == UNTOUCHED);

    char *s = NULL;
    EXPECT(CMPAY_OK, cmpay_bank_name("ICBC", &s));
    CHECK(take_eq(s, "\345\267\245\345\225\206\351\223\266\350\241\214")); /* 工商银行 */
    s = UNTOUCHED;
    EXPECT(CMPAY_NOT_FOUND, cmpay_bank_name("icbc", &s));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_bank_name("\xc3", &s));
    EXPECT(CMPAY_NULL_POINTER, cmpay_bank_name(NULL, &s));
    EXPECT(CMPAY_NULL_POINTER, cmpay_bank_name("ICBC", NULL));
    CHECK(s == UNTOUCHED);
    /* Fen as yuan, the library's one conversion. */
    EXPECT(CMPAY_OK, cmpay_yuan(5, &s));
    CHECK(take_eq(s, "0.05"));
    EXPECT(CMPAY_OK, cmpay_yuan(12800, &s));
    CHECK(take_eq(s, "128.00"));
    EXPECT(CMPAY_OK, cmpay_yuan(UINT64_MAX, &s));
    CHECK(take_eq(s, "184467440737095516.15"));
    s = UNTOUCHED;
    EXPECT(CMPAY_NULL_POINTER, cmpay_yuan(5, NULL));
    CHECK(s == UNTOUCHED);
    /* Over-long look-ups. */
    char *longcode = malloc(1 << 20);
    memset(longcode, 'C', (1 << 20) - 1);
    longcode[(1 << 20) - 1] = 0;
    EXPECT(CMPAY_NOT_FOUND, cmpay_bank_name(longcode, &s));
    EXPECT(CMPAY_NOT_FOUND, cmpay_return_code_lookup(longcode, &a, &b, &c));
    free(longcode);
}

/* ------------------------------------------------------------------ threads */

enum { THREADS = 4, ROUNDS = 40 };

typedef struct {
    const cmpay_merchant *m;
    const cmpay_client *cl;
    const cmpay_notification *shared_n;
    int id;
    int ok;
} worker_arg;

static void *worker(void *p) {
    worker_arg *w = p;
    int ok = 1;
    for (int i = 0; i < ROUNDS; i++) {
        const v_request *v = &V_ORDER_REQUESTS[(size_t)(i + w->id) % V_COUNT(V_ORDER_REQUESTS)];
        cmpay_signed_request *r = NULL;
        ok &= cmpay_merchant_sign_request(w->m, "order-request", B(v->params), v->params_len, &r) == CMPAY_OK;
        char *h = NULL;
        ok &= cmpay_signed_request_hmac(r, &h) == CMPAY_OK && h && STREQ(h, v->hmac);
        cmpay_string_free(h);
        cmpay_signed_request_free(r);

        const v_notify *nv = &V_NOTIFIES[(size_t)(i + w->id) % V_COUNT(V_NOTIFIES)];
        cmpay_notification *n = NULL;
        cmpay_status st = cmpay_notification_parse(w->m, B(nv->body), strlen(nv->body), &n);
        ok &= st == (nv->verified ? CMPAY_OK : CMPAY_SIGNATURE_MISMATCH);
        if (st != CMPAY_OK) ok &= strstr(cmpay_last_error(), "signature") != NULL;
        cmpay_notification_free(n);
        ok &= cmpay_merchant_verify(w->m, "order-response", B(V_ORDER_RESPONSES[0].body), strlen(V_ORDER_RESPONSES[0].body)) == CMPAY_OK;

        /* One notification handle read by every thread. */
        uint64_t amount = 0;
        ok &= cmpay_notification_amount(w->shared_n, &amount) == CMPAY_OK && amount == 12800;

        /* The last error is per thread: mine says what I did. */
        char name[32];
        snprintf(name, sizeof name, "thread-%d-%d", w->id, i);
        char *s = NULL;
        ok &= cmpay_bank_name(name, &s) == CMPAY_NOT_FOUND;
        ok &= strstr(cmpay_last_error(), name) != NULL;

        /* The shared client: refused connections, each thread its own answer. */
        if (i % 10 == 0) {
            cmpay_response *resp = UNTOUCHED;
            ok &= cmpay_client_query_order(w->cl, "ORD20261125000001", &resp) == CMPAY_TRANSPORT;
            ok &= resp == UNTOUCHED;
            ok &= cmpay_client_refund(w->cl, "ORD20261125000001", 1, &resp) == CMPAY_TRANSPORT;
        }
    }
    w->ok = ok;
    return NULL;
}

static void test_threads(void) {
    cmpay_merchant *m = md5_merchant();
    cmpay_config *c = NULL;
    cmpay_config_new(&c);
    cmpay_config_set(c, "endpoint", "http://127.0.0.1:1/");
    cmpay_config_set(c, "allow_http", "true");
    cmpay_client *cl = NULL;
    EXPECT(CMPAY_OK, cmpay_client_new(m, c, &cl));
    cmpay_config_free(c);
    cmpay_notification *n = NULL;
    EXPECT(CMPAY_OK, cmpay_notification_parse(m, B(V_NOTIFIES[0].body), strlen(V_NOTIFIES[0].body), &n));
    pthread_t t[THREADS];
    worker_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (worker_arg){m, cl, n, i, 0};
        CHECK(pthread_create(&t[i], NULL, worker, &args[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK(args[i].ok);
    }
    cmpay_notification_free(n);
    cmpay_client_free(cl);
    cmpay_merchant_free(m);
}

/* ------------------------------------------------------ key files by path */
/* The C ABI takes file paths in one place, cmpay_client_from_env's *_FILE
 * variables: UTF-8, which on Windows the library opens through the
 * wide-character calls. Here they name files under a folder called 商户密钥
 * (the path absolute, with backslashes and a drive on Windows), written with
 * CRLF line ends as Windows editors save them. The folder is made under
 * CMPAY_TEST_SCRATCH (tests/c/run.sh and tests/dist/cross.sh set it). */
#ifdef _WIN32
#define SEP "\\"
/* The folder's full path (drive, backslashes), in UTF-8. */
static void full_path(const char *dir, char *out, size_t out_len) {
    wchar_t *w = wide(dir), full[1024];
    DWORD n = GetFullPathNameW(w, 1024, full, NULL);
    free(w);
    if (n == 0 || n >= 1024 || WideCharToMultiByte(CP_UTF8, 0, full, -1, out, (int)out_len, NULL, NULL) <= 0) exit(2);
}
static int make_dir(const char *path) {
    wchar_t *w = wide(path);
    int ok = _wmkdir(w) == 0 || errno == EEXIST;
    free(w);
    return ok;
}
static FILE *create_file(const char *path) {
    wchar_t *w = wide(path);
    FILE *f = _wfopen(w, L"wb");
    free(w);
    return f;
}
#else
#define SEP "/"
static void full_path(const char *dir, char *out, size_t out_len) {
    char *full = realpath(dir, NULL);
    if (!full || strlen(full) >= out_len) exit(2);
    memcpy(out, full, strlen(full) + 1);
    free(full);
}
static int make_dir(const char *path) { return mkdir(path, 0700) == 0 || errno == EEXIST; }
static FILE *create_file(const char *path) { return fopen(path, "wb"); }
#endif

/* Writes text to dir/name with every LF made CRLF; the path is left in out. */
static int write_crlf(const char *dir, const char *name, const char *text, size_t n, char *out, size_t out_len) {
    snprintf(out, out_len, "%s" SEP "%s", dir, name);
    FILE *f = create_file(out);
    if (!f) return 0;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r') && fputc('\r', f) == EOF) ok = 0;
        if (fputc(text[i], f) == EOF) ok = 0;
    }
    return fclose(f) == 0 && ok;
}

/* The folder under CMPAY_TEST_SCRATCH, made; NULL (and a note) without it. */
static const char *key_dir(void) {
    static char dir[1024];
    const char *scratch = getenv("CMPAY_TEST_SCRATCH");
    if (!scratch || !*scratch) return NULL;
    if (!dir[0]) {
        char base[900];
        if (!make_dir(scratch)) return NULL;
        full_path(scratch, base, sizeof base);
        snprintf(dir, sizeof dir, "%s" SEP "商户密钥", base);
        if (!make_dir(dir)) return NULL;
    }
    return dir;
}

static void test_key_files(void) {
    const char *dir = key_dir();
    if (!dir) {
        fprintf(stderr, "note: CMPAY_TEST_SCRATCH is not set: key files by path were not tested\n");
        return;
    }
    char priv_path[1200], pub_path[1200], key_path[1200], missing[1200];
    size_t n8, npub;
    char *pkcs8 = read_file("merchant_private_pkcs8.pem", &n8);
    char *pub = read_file("platform_public.pem", &npub);
    CHECK(write_crlf(dir, "商户私钥.pem", pkcs8, n8, priv_path, sizeof priv_path));
    CHECK(write_crlf(dir, "平台公钥.pem", pub, npub, pub_path, sizeof pub_path));
    free(pkcs8);
    free(pub);
#ifdef _WIN32
    CHECK(strchr(priv_path, '\\') != NULL && strchr(priv_path, '/') == NULL && priv_path[1] == ':');
#endif
    setenv("CMPAY_MERCHANT_ID", "888009941120001", 1);
    setenv("CMPAY_RSA_PRIVATE_KEY_FILE", priv_path, 1);
    setenv("CMPAY_RSA_PUBLIC_KEY_FILE", pub_path, 1);
    cmpay_client *cl = NULL;
    EXPECT(CMPAY_OK, cmpay_client_from_env(NULL, &cl));
    cmpay_merchant *m = NULL;
    if (cl) EXPECT(CMPAY_OK, cmpay_client_merchant(cl, &m));
    if (m) {
        /* The key read from that file signs the shared vector exactly. */
        const v_request *v = &V_ORDER_REQUEST_RSA;
        char *s = NULL;
        EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, "order-request", B(v->params), v->params_len, &s));
        CHECK(take_eq(s, v->hmac));
        cmpay_merchant_free(m);
    }
    cmpay_client_free(cl);
    unsetenv("CMPAY_RSA_PRIVATE_KEY_FILE");
    unsetenv("CMPAY_RSA_PUBLIC_KEY_FILE");

    /* An MD5 signKey file ending in CRLF (removed once, as documented). */
    char line[128];
    int len = snprintf(line, sizeof line, "%s\n", V_MD5_KEY);
    CHECK(write_crlf(dir, "签名密钥.txt", line, (size_t)len, key_path, sizeof key_path));
    setenv("CMPAY_SIGN_KEY_FILE", key_path, 1);
    cl = NULL;
    EXPECT(CMPAY_OK, cmpay_client_from_env(NULL, &cl));
    m = NULL;
    if (cl) EXPECT(CMPAY_OK, cmpay_client_merchant(cl, &m));
    if (m) {
        const v_request *v = &V_QUERY_REQUEST;
        char *s = NULL;
        EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, "query-request", B(v->params), v->params_len, &s));
        CHECK(take_eq(s, v->hmac));
        cmpay_merchant_free(m);
    }
    cmpay_client_free(cl);
    /* A file that is not there: CMPAY_KEY, the message naming the path as given. */
    snprintf(missing, sizeof missing, "%s" SEP "不存在.txt", dir);
    setenv("CMPAY_SIGN_KEY_FILE", missing, 1);
    cl = UNTOUCHED;
    EXPECT(CMPAY_KEY, cmpay_client_from_env(NULL, &cl));
    CHECK(cl == UNTOUCHED);
    CHECK(strstr(cmpay_last_error(), "CMPAY_SIGN_KEY_FILE") != NULL);
    CHECK(strstr(cmpay_last_error(), "不存在.txt") != NULL);
    unsetenv("CMPAY_SIGN_KEY_FILE");
    unsetenv("CMPAY_MERCHANT_ID");
}

/* ------------------------------------------------------------ sandbox client */

/* The client's success paths against the local gateway simulator
 * (`cmpay sandbox`, started by tests/c/run.sh): create / query / refund,
 * over HTTPS with its CA added through cmpay_config_add_ca_pem, or over
 * plain HTTP. */

typedef struct {
    const cmpay_client *cl;
    const char *order_id;
    int ok;
} sandbox_arg;

static void *sandbox_worker(void *p) {
    sandbox_arg *a = p;
    int ok = 1;
    for (int i = 0; i < 3; i++) {
        cmpay_response *r = NULL;
        ok &= cmpay_client_query_order(a->cl, a->order_id, &r) == CMPAY_OK;
        char *s = NULL;
        ok &= cmpay_response_field(r, "orderId", &s) == CMPAY_OK && s && STREQ(s, a->order_id);
        cmpay_string_free(s);
        cmpay_response_free(r);
    }
    a->ok = ok;
    return NULL;
}

static void test_sandbox(const char *endpoint, const char *ca_path) {
    cmpay_merchant *m = md5_merchant();
    int tls = strcmp(ca_path, "-") != 0;
    cmpay_config *c = NULL;
    EXPECT(CMPAY_OK, cmpay_config_new(&c));
    EXPECT(CMPAY_OK, cmpay_config_set_logger(c, record_log, &sandbox_log, CMPAY_LOG_DEBUG));
    EXPECT(CMPAY_OK, cmpay_config_set(c, "endpoint", endpoint));
    EXPECT(CMPAY_OK, cmpay_config_set(c, "timeout_ms", "20000"));
    EXPECT(CMPAY_OK, cmpay_config_set(c, "charset", "02"));
    cmpay_response *r = UNTOUCHED;
    if (tls) {
        FILE *f = fopen(ca_path, "rb");
        CHECK(f != NULL);
        if (!f) return;
        char ca[16384];
        size_t ca_len = fread(ca, 1, sizeof ca, f);
        fclose(f);
        /* Without its CA the sandbox's certificate is not trusted. */
        cmpay_client *untrusting = NULL;
        EXPECT(CMPAY_OK, cmpay_client_new(m, c, &untrusting));
        EXPECT(CMPAY_TLS, cmpay_client_query_order(untrusting, "ORD1", &r));
        CHECK(r == UNTOUCHED);
        cmpay_client_free(untrusting);
        EXPECT(CMPAY_OK, cmpay_config_add_ca_pem(c, B(ca), ca_len));
    } else {
        EXPECT(CMPAY_OK, cmpay_config_set(c, "allow_http", "true"));
    }
    cmpay_client *cl = NULL;
    EXPECT(CMPAY_OK, cmpay_client_new(m, c, &cl));
    cmpay_config_free(c);

    char today[16], order_id[64], params[1024], pairs[1024];
    time_t t = time(NULL);
    strftime(today, sizeof today, "%Y%m%d", localtime(&t));
    snprintf(order_id, sizeof order_id, "ORDC%ld%d", (long)t, (int)getpid());
    snprintf(params, sizeof params,
             "callbackUrl=https%%3A%%2F%%2Fshop.example.com%%2Fcmpay%%2Freturn&notifyUrl=https%%3A%%2F%%2F127.0.0.1%%3A1%%2Fnotify"
             "&ipAddress=203.0.113.7&amount=12800&orderDate=%s&orderId=%s&merAcDate=%s&period=30&periodUnit=00"
             "&productName=%%E6%%B5%%8B%%E8%%AF%%95%%E5%%95%%86%%E5%%93%%81",
             today, order_id, today);
    size_t pairs_len = to_pairs(params, pairs);
    r = NULL;
    EXPECT(CMPAY_OK, cmpay_client_create_order(cl, B(pairs), pairs_len, &r));
    if (r) {
        char *url = NULL, *method = NULL, *sid = NULL, *s = NULL;
        EXPECT(CMPAY_OK, cmpay_response_pay_url(r, &url, &method, &sid));
        CHECK(url && strncmp(url, tls ? "https://127.0.0.1:" : "http://127.0.0.1:", tls ? 18 : 17) == 0);
        CHECK(method && (STREQ(method, "get") || STREQ(method, "post")));
        CHECK(sid && sid[0]);
        cmpay_string_free(url);
        cmpay_string_free(method);
        cmpay_string_free(sid);
        EXPECT(CMPAY_OK, cmpay_response_redirect_url(r, &s));
        CHECK(take_contains(s, "sessionId="));
        EXPECT(CMPAY_OK, cmpay_response_html_form(r, &s));
        CHECK(take_contains(s, "<form"));
        EXPECT(CMPAY_OK, cmpay_response_field(r, "returnCode", &s));
        CHECK(take_eq(s, "000000"));
        cmpay_response_free(r);
    }
    /* The same orderId again: the gateway's own error, with its code. */
    r = UNTOUCHED;
    EXPECT(CMPAY_GATEWAY, cmpay_client_create_order(cl, B(pairs), pairs_len, &r));
    CHECK(cmpay_last_error_return_code()[0] != 0);
    CHECK(r == UNTOUCHED);

    r = NULL;
    EXPECT(CMPAY_OK, cmpay_client_query_order(cl, order_id, &r));
    if (r) {
        char *s = NULL;
        EXPECT(CMPAY_OK, cmpay_response_field(r, "orderId", &s));
        CHECK(take_eq(s, order_id));
        EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_response_redirect_url(r, &s));
        cmpay_response_free(r);
    }
    /* The sandbox's CA as a CRLF file under the Chinese-named folder, given
       by path (CMPAY_EXTRA_CA_FILE): the same query over HTTPS trusts it. */
    const char *dir = key_dir();
    if (tls && dir) {
        char ca[16384], ca_file[1200];
        FILE *f = fopen(ca_path, "rb");
        size_t ca_len = f ? fread(ca, 1, sizeof ca, f) : 0;
        if (f) fclose(f);
        CHECK(ca_len > 0 && write_crlf(dir, "网关证书.pem", ca, ca_len, ca_file, sizeof ca_file));
        setenv("CMPAY_MERCHANT_ID", "888009941120001", 1);
        setenv("CMPAY_SIGN_KEY", V_MD5_KEY, 1);
        setenv("CMPAY_ENDPOINT", endpoint, 1);
        setenv("CMPAY_EXTRA_CA_FILE", ca_file, 1);
        cmpay_client *from_env = NULL;
        EXPECT(CMPAY_OK, cmpay_client_from_env(NULL, &from_env));
        r = NULL;
        if (from_env) EXPECT(CMPAY_OK, cmpay_client_query_order(from_env, order_id, &r));
        if (r) {
            char *s = NULL;
            EXPECT(CMPAY_OK, cmpay_response_field(r, "orderId", &s));
            CHECK(take_eq(s, order_id));
            cmpay_response_free(r);
        }
        cmpay_client_free(from_env);
        unsetenv("CMPAY_EXTRA_CA_FILE");
        unsetenv("CMPAY_ENDPOINT");
        unsetenv("CMPAY_SIGN_KEY");
        unsetenv("CMPAY_MERCHANT_ID");
    }
    /* A verified paid notification for that order, which the gateway says
       is not paid: cmpay_client_confirm refuses it (docs/resplit.md). */
    {
        char np[1024], body[1400], npairs[1024];
        char *h = NULL;
        snprintf(np, sizeof np,
                 "merchantId=888009941120001&payNo=20261206000111&returnCode=000000&message=SUCCESS&signType=MD5"
                 "&type=OfflineNotify&version=2.0.0&amount=12800"
                 "&amtItem=CNY_AMT%%3D12800%%23CMY_AMT%%3D0%%23RED_AMT%%3D0%%23VCH_AMT%%3D0%%23POT_CHG_AMT%%3D0"
                 "&bankAbbr=&mobile=&orderId=%s&payDate=20261206101010&accountDate=20261206&reserved1=&reserved2="
                 "&status=SUCCESS&orderDate=20261206&fee=0",
                 order_id);
        EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, "notify", B(npairs), to_pairs(np, npairs), &h));
        snprintf(body, sizeof body, "%s&hmac=%s", np, h ? h : "");
        cmpay_string_free(h);
        cmpay_notification *n = NULL;
        EXPECT(CMPAY_OK, cmpay_client_parse_notification(cl, B(body), strlen(body), &n));
        cmpay_notification *refused = UNTOUCHED;
        char tampered[1400];
        snprintf(tampered, sizeof tampered, "%s", body);
        tampered[strlen(tampered) - 1] ^= 1;
        EXPECT(CMPAY_SIGNATURE_MISMATCH, cmpay_client_parse_notification(cl, B(tampered), strlen(tampered), &refused));
        CHECK(refused == UNTOUCHED);
        {
            /* The log: the order's exchanges, the notification verified and
               refused, bodies with their hmac redacted, and no key or hmac. */
            pthread_mutex_lock(&sandbox_log.lock);
            CHECK(logged("3 request.sent ", order_id));
            CHECK(logged("3 request.sent ", "DirectPayConfirm"));
            CHECK(logged("3 answer.received ", "returnCode=000000"));
            CHECK(logged("3 notify.verified ", order_id));
            CHECK(logged("2 notify.refused ", "SignatureMismatch"));
            CHECK(logged("4 request.body ", "hmac=[redacted]"));
            CHECK(logged("4 notify.body ", "hmac=[redacted]"));
            if (tls) CHECK(logged("1 tls.failed ", "ORD1"));
            const char *hmac = strstr(body, "&hmac=") + 6;
            CHECK(strlen(hmac) == 32 && strstr(sandbox_log.text, hmac) == NULL);
            CHECK(strstr(sandbox_log.text, V_MD5_KEY) == NULL);
            pthread_mutex_unlock(&sandbox_log.lock);
        }
        bool confirmed = true;
        EXPECT(CMPAY_NOT_CONFIRMED, cmpay_client_confirm(cl, n));
        CHECK(strstr(cmpay_last_error(), "status") != NULL);
        EXPECT(CMPAY_OK, cmpay_notification_is_confirmed(n, &confirmed));
        CHECK(!confirmed);
        EXPECT(CMPAY_NULL_POINTER, cmpay_client_confirm(NULL, n));
        EXPECT(CMPAY_NULL_POINTER, cmpay_client_confirm(cl, NULL));
        cmpay_notification_free(n);
        /* For an order the gateway does not know: its own error, unconfirmed. */
        char *other = strstr(body, order_id);
        if (other) other[0] = 'X';
        snprintf(np, sizeof np, "%.*s", (int)(strstr(body, "&hmac=") - body), body);
        EXPECT(CMPAY_OK, cmpay_merchant_hmac(m, "notify", B(npairs), to_pairs(np, npairs), &h));
        snprintf(body, sizeof body, "%s&hmac=%s", np, h ? h : "");
        cmpay_string_free(h);
        n = NULL;
        EXPECT(CMPAY_OK, cmpay_notification_parse(m, B(body), strlen(body), &n));
        EXPECT(CMPAY_GATEWAY, cmpay_client_confirm(cl, n));
        CHECK(STREQ(cmpay_last_error_return_code(), "RPM22201"));
        cmpay_notification_free(n);
    }
    r = UNTOUCHED;
    EXPECT(CMPAY_GATEWAY, cmpay_client_query_order(cl, "NO-SUCH-ORDER", &r));
    CHECK(cmpay_last_error_return_code()[0] != 0);
    /* Refunding an unpaid order: refused by the gateway. */
    EXPECT(CMPAY_GATEWAY, cmpay_client_refund(cl, order_id, 100, &r));
    CHECK(cmpay_last_error_return_code()[0] != 0);
    CHECK(r == UNTOUCHED);

    /* One client, several threads, all querying at once. */
    pthread_t th[THREADS];
    sandbox_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (sandbox_arg){cl, order_id, 0};
        CHECK(pthread_create(&th[i], NULL, sandbox_worker, &args[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        CHECK(args[i].ok);
    }
    cmpay_client_free(cl);
    cmpay_merchant_free(m);
}

/* ------------------------------------------------------------ in-process sandbox */

/* A whole payment against the simulator started inside this process
 * (cmpay_sandbox_start): its client creates an order, the test API pays it,
 * the OfflineNotify is acknowledged, and the query says paid. Over HTTPS
 * natively; over plain HTTP under valgrind (see tests/c/run.sh). */

/* The text of a *_into getter, malloc'ed (asks the size first). */
static char *sandbox_text(cmpay_status (*get)(const cmpay_sandbox *, char *, size_t, size_t *),
                          const cmpay_sandbox *s) {
    size_t needed = 0;
    if (get(s, NULL, 0, &needed) != CMPAY_BUFFER_TOO_SMALL || needed == 0) return NULL;
    char *buf = malloc(needed);
    size_t again = 0;
    if (buf && get(s, buf, needed, &again) == CMPAY_OK && again == needed && strlen(buf) + 1 == needed) return buf;
    free(buf);
    return NULL;
}

static void create_sandbox_order(const cmpay_client *cl, const char *order_id, const char *notify_url) {
    char today[16], params[1024], pairs[1024];
    time_t t = time(NULL);
    strftime(today, sizeof today, "%Y%m%d", localtime(&t));
    snprintf(params, sizeof params,
             "callbackUrl=https%%3A%%2F%%2Fshop.example.com%%2Freturn&notifyUrl=%s&ipAddress=203.0.113.7&amount=2590"
             "&orderDate=%s&orderId=%s&merAcDate=%s&period=30&periodUnit=00&productName=%%E6%%B5%%8B%%E8%%AF%%95",
             notify_url, today, order_id, today);
    /* notify_url holds no '&' or '=' (ours are http://127.0.0.1:PORT/...). */
    cmpay_response *r = NULL;
    EXPECT(CMPAY_OK, cmpay_client_create_order(cl, B(pairs), to_pairs(params, pairs), &r));
    cmpay_response_free(r);
}

static void test_inprocess_sandbox(int https) {
    cmpay_sandbox *s = UNTOUCHED;
    EXPECT(CMPAY_NULL_POINTER, cmpay_sandbox_start(0, NULL));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_sandbox_start(2, &s));
    CHECK(s == UNTOUCHED);
    s = NULL;
    EXPECT(CMPAY_OK, cmpay_sandbox_start(https ? CMPAY_SANDBOX_HTTPS : 0, &s));
    if (!s) return;

    char *endpoint = sandbox_text(cmpay_sandbox_endpoint_into, s);
    char *ca = sandbox_text(cmpay_sandbox_ca_pem_into, s);
    char *notify = sandbox_text(cmpay_sandbox_notify_url_into, s);
    const char *scheme = https ? "https://127.0.0.1:" : "http://127.0.0.1:";
    CHECK(endpoint && strncmp(endpoint, scheme, strlen(scheme)) == 0 && strstr(endpoint, "/ips/cmpayService"));
    CHECK(notify && strncmp(notify, scheme, strlen(scheme)) == 0 && strstr(notify, "/sandbox/notify"));
    size_t needed = 0;
    char small[4] = "xyz";
    EXPECT(CMPAY_BUFFER_TOO_SMALL, cmpay_sandbox_endpoint_into(s, small, sizeof small, &needed));
    CHECK(endpoint && needed == strlen(endpoint) + 1 && STREQ(small, "xyz"));
    if (https) {
        CHECK(ca && strstr(ca, "-----BEGIN CERTIFICATE-----"));
    } else {
        /* No CA over HTTP: the empty string, its NUL alone. */
        EXPECT(CMPAY_OK, cmpay_sandbox_ca_pem_into(s, small, sizeof small, &needed));
        CHECK(needed == 1 && small[0] == 0);
    }
    EXPECT(CMPAY_NULL_POINTER, cmpay_sandbox_endpoint_into(NULL, small, sizeof small, &needed));
    EXPECT(CMPAY_NULL_POINTER, cmpay_sandbox_endpoint_into(s, small, sizeof small, NULL));
    EXPECT(CMPAY_NULL_POINTER, cmpay_sandbox_deliveries_into(s, NULL, 10, &needed));

    cmpay_merchant *m = NULL;
    EXPECT(CMPAY_OK, cmpay_sandbox_merchant(s, &m));
    cmpay_merchant *none = UNTOUCHED;
    EXPECT(CMPAY_NULL_POINTER, cmpay_sandbox_merchant(NULL, &none));
    CHECK(none == UNTOUCHED);
    EXPECT(CMPAY_NULL_POINTER, cmpay_sandbox_client(s, NULL));

    cmpay_client *cl = NULL;
    EXPECT(CMPAY_OK, cmpay_sandbox_client(s, &cl));
    char order_id[48], unpaid[64], refused[64];
    snprintf(order_id, sizeof order_id, "INP%ld%d", (long)time(NULL), (int)getpid());
    snprintf(unpaid, sizeof unpaid, "%sU", order_id);
    snprintf(refused, sizeof refused, "%sR", order_id);
    if (cl && notify) {
        create_sandbox_order(cl, order_id, notify);
        create_sandbox_order(cl, unpaid, notify);
        /* A notifyUrl nobody listens on: the notification is never acknowledged. */
        create_sandbox_order(cl, refused, "http%3A%2F%2F127.0.0.1%3A1%2Fnotify");
    }
    /* Waiting before paying: nothing was sent, and the reason says so. */
    EXPECT(CMPAY_TIMEOUT, cmpay_sandbox_wait_notified(s, order_id, 10));
    CHECK(strstr(cmpay_last_error(), "not acknowledged: ") && strstr(cmpay_last_error(), "not paid"));

    EXPECT(CMPAY_OK, cmpay_sandbox_pay(s, order_id));
    EXPECT(CMPAY_OK, cmpay_sandbox_wait_notified(s, order_id, 20000));
    cmpay_response *r = NULL;
    EXPECT(CMPAY_OK, cmpay_client_query_order(cl, order_id, &r));
    if (r) {
        char *f = NULL;
        EXPECT(CMPAY_OK, cmpay_response_field(r, "status", &f));
        CHECK(take_eq(f, "SUCCESS"));
        EXPECT(CMPAY_OK, cmpay_response_field(r, "amount", &f));
        CHECK(take_eq(f, "2590"));
        cmpay_response_free(r);
    }
    /* Refusals, each with its status and its code first in the message. */
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_sandbox_pay(s, order_id));
    CHECK(strstr(cmpay_last_error(), "already-paid") != NULL);
    EXPECT(CMPAY_NOT_FOUND, cmpay_sandbox_fail(s, "NO-SUCH-ORDER"));
    CHECK(strstr(cmpay_last_error(), "unknown-order") != NULL);
    EXPECT(CMPAY_NULL_POINTER, cmpay_sandbox_pay(s, NULL));
    EXPECT(CMPAY_NULL_POINTER, cmpay_sandbox_pay(NULL, order_id));
    EXPECT(CMPAY_INVALID_UTF8, cmpay_sandbox_expire(s, "\xff"));

    EXPECT(CMPAY_OK, cmpay_sandbox_expire(s, unpaid));
    EXPECT(CMPAY_INVALID_ARGUMENT, cmpay_sandbox_pay(s, unpaid));
    CHECK(strstr(cmpay_last_error(), "expired") != NULL);
    r = UNTOUCHED;
    EXPECT(CMPAY_GATEWAY, cmpay_client_query_order(cl, unpaid, &r));
    CHECK(STREQ(cmpay_last_error_return_code(), "RPM99981") && r == UNTOUCHED);

    EXPECT(CMPAY_OK, cmpay_sandbox_fail(s, refused));
    EXPECT(CMPAY_TIMEOUT, cmpay_sandbox_wait_notified(s, refused, 300));
    CHECK(strstr(cmpay_last_error(), "not acknowledged: ") && strstr(cmpay_last_error(), "127.0.0.1:1"));
    r = NULL;
    EXPECT(CMPAY_OK, cmpay_client_query_order(cl, refused, &r));
    if (r) {
        char *f = NULL;
        EXPECT(CMPAY_OK, cmpay_response_field(r, "status", &f));
        CHECK(take_eq(f, "FAILED"));
        cmpay_response_free(r);
    }

    /* The deliveries: the acknowledged one to the sandbox's notify URL. */
    char *deliveries = sandbox_text(cmpay_sandbox_deliveries_into, s);
    CHECK(deliveries && deliveries[0] == '[' && strstr(deliveries, order_id) && strstr(deliveries, "\"acked\":true"));
    /* The body sent is an OfflineNotify the test merchant verifies. */
    const char *body = deliveries ? strstr(deliveries, "\"body\":\"") : NULL;
    CHECK(body != NULL);
    if (body && m) {
        body += 8;
        const char *end = strchr(body, '"');
        cmpay_notification *n = NULL;
        EXPECT(CMPAY_OK, cmpay_notification_parse(m, B(body), end ? (size_t)(end - body) : 0, &n));
        char *f = NULL;
        EXPECT(CMPAY_OK, cmpay_notification_field(n, "type", &f));
        CHECK(take_eq(f, "OfflineNotify"));
        EXPECT(CMPAY_OK, cmpay_notification_field(n, "merchantId", &f));
        CHECK(take_eq(f, "888009941120001"));
        cmpay_notification_free(n);
    }
    free(deliveries);
    cmpay_merchant_free(m);
    free(endpoint);
    free(ca);
    free(notify);
    cmpay_client_free(cl);
    cmpay_sandbox_free(s);
    cmpay_sandbox_free(NULL);
}

int main(int argc, char **argv) {
    if (argc > 1) data_dir = argv[1];
    test_library();
    test_merchant_new();
    test_sign_request();
    test_rsa();
    test_verify();
    test_response();
    test_notification();
    test_last_status();
    test_client();
    test_codes();
    test_threads();
    /* HTTPS only natively: valgrind runs get "-" (plain HTTP, see run.sh). */
    test_inprocess_sandbox(argc > 3 && strcmp(argv[3], "-") != 0);
    test_key_files();
    int skipped = 0;
    if (argc > 3) {
        test_sandbox(argv[2], argv[3]);
    } else {
        fprintf(stderr, "note: no sandbox endpoint given: the client's success paths were not run\n");
        skipped = 1;
    }
    if (skipped)
        printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    else
        printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
