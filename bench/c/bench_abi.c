/*
 * Cost per operation through the C ABI, from C: the same operations as
 * bench/rust/core.rs measures in Rust (order build+validate+sign+encode,
 * notification parse+verify, RSA sign), plus one bare crossing. The
 * notification is bench/notification.json's (bench_fixture.h); the orders are
 * tests/data/cmpay-vectors.json's (vectors.h). `make bench-c`, or:
 *
 *   cargo build --release
 *   mkdir -p target/c
 *   python3 tests/c/gen_vectors.py tests/data/cmpay-vectors.json > target/c/vectors.h
 *   python3 bench/c/gen_fixture.py bench/notification.json > target/c/bench_fixture.h
 *   cc -O2 -Icrates/cmpay-ffi/include -Itarget/c bench/c/bench_abi.c -o target/c/bench_abi \
 *      -Ltarget/release -Wl,-rpath,$PWD/target/release -lcmpay
 *   target/c/bench_abi tests/data [seconds a line]
 */
#define _POSIX_C_SOURCE 200809L
#include "bench_fixture.h"
#include "cmpay.h"
#include "vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static const uint8_t *B(const char *s) { return (const uint8_t *)s; }

static volatile int sink;

/* Seconds a line runs for at least (argv[2], default 1). */
static double seconds = 1.0;

/* Runs `body` in rounds until at least `seconds` have passed; prints ns/op. */
#define BENCH(label, body)                                                        \
    do {                                                                          \
        for (int w_ = 0; w_ < 100; w_++) { body; }                                \
        long n_ = 0;                                                              \
        double t0_ = now(), t_;                                                   \
        do {                                                                      \
            for (int i_ = 0; i_ < 1000; i_++) { body; }                           \
            n_ += 1000;                                                           \
        } while ((t_ = now() - t0_) < seconds);                                       \
        printf("%-58s %10.0f ns/op  (%ld iterations)\n", label, t_ * 1e9 / n_, n_); \
    } while (0)

static char *read_file(const char *dir, const char *name, size_t *len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/test-keys/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) exit(2);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/data";
    if (argc > 2) seconds = atof(argv[2]);
    cmpay_merchant *m = NULL;
    if (cmpay_merchant_new_md5(BENCH_MERCHANT_ID, BENCH_MD5_KEY, &m) != CMPAY_OK) return 2;
    const v_request *o = &V_ORDER_REQUESTS[0];
    size_t ol = o->params_len;
    const char *nb = BENCH_BODY;
    size_t nl = strlen(nb);

    printf("libcmpay %s, C ABI from C (clock_gettime, >= %g s per line)\n", cmpay_version(), seconds);
    BENCH("one crossing: cmpay_status_name", sink += (int)cmpay_status_name(CMPAY_OK)[0]);
    BENCH("md5 order sign: sign_request + free (1 crossing)", {
        cmpay_signed_request *r = NULL;
        sink += cmpay_merchant_sign_request(m, "order-request", B(o->params), ol, &r);
        cmpay_signed_request_free(r);
    });
    BENCH("md5 order sign + body out + string_free (4 crossings)", {
        cmpay_signed_request *r = NULL;
        char *body = NULL;
        sink += cmpay_merchant_sign_request(m, "order-request", B(o->params), ol, &r);
        sink += cmpay_signed_request_body(r, &body);
        cmpay_string_free(body);
        cmpay_signed_request_free(r);
    });
    BENCH("md5 notification parse+verify + free", {
        cmpay_notification *n = NULL;
        sink += cmpay_notification_parse(m, B(nb), nl, &n);
        cmpay_notification_free(n);
    });
    BENCH("md5 notification verify only (cmpay_merchant_verify)", sink += cmpay_merchant_verify(m, "notify", B(nb), nl));
    BENCH("md5 notification parse + all fields out (bulk) + frees", {
        cmpay_notification *n = NULL;
        char f[1024];
        size_t needed = 0;
        sink += cmpay_notification_parse(m, B(nb), nl, &n);
        sink += cmpay_notification_fields_into(n, f, sizeof f, &needed);
        cmpay_notification_free(n);
    });
    /* A notify endpoint's reads of a parsed notification (the Java example's
       orderId, payNo, type and ack): a string per field, freed, against
       every field as NUL pairs into a buffer in one call. */
    cmpay_notification *pn = NULL;
    if (cmpay_notification_parse(m, B(nb), nl, &pn) != CMPAY_OK) return 2;
    const char *read_names[] = {"orderId", "payNo", "type"};
    BENCH("reads: 3 x field + string_free, ack + string_free (8)", {
        char *s = NULL;
        for (int f_ = 0; f_ < 3; f_++) {
            sink += cmpay_notification_field(pn, read_names[f_], &s);
            cmpay_string_free(s);
        }
        sink += cmpay_notification_ack(pn, &s);
        cmpay_string_free(s);
    });
    BENCH("reads: fields_into (all, NUL pairs) + ack + string_free (3)", {
        char buf[1024];
        char *s = NULL;
        size_t needed = 0;
        sink += cmpay_notification_fields_into(pn, buf, sizeof buf, &needed);
        sink += cmpay_notification_ack(pn, &s);
        cmpay_string_free(s);
    });
    BENCH("one field: field + string_free", {
        char *s = NULL;
        sink += cmpay_notification_field(pn, "orderId", &s);
        cmpay_string_free(s);
    });
    cmpay_notification_free(pn);
    cmpay_merchant_free(m);

    size_t kl, pl;
    char *key = read_file(dir, "merchant_private_pkcs8.pem", &kl);
    char *pub = read_file(dir, "platform_public.pem", &pl);
    cmpay_merchant *rm = NULL;
    if (cmpay_merchant_new_rsa(BENCH_MERCHANT_ID, B(key), kl, B(pub), pl, false, &rm) != CMPAY_OK) return 2;
    const v_request *ro = &V_ORDER_REQUEST_RSA;
    size_t rl = ro->params_len;
    BENCH("rsa2048 order sign: sign_request + free", {
        cmpay_signed_request *r = NULL;
        sink += cmpay_merchant_sign_request(rm, "order-request", B(ro->params), rl, &r);
        cmpay_signed_request_free(r);
    });
    cmpay_merchant_free(rm);
    free(key);
    free(pub);
    return 0;
}
