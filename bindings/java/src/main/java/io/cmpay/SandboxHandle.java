package io.cmpay;

import com.sun.jna.Pointer;
import java.time.Duration;
import java.util.Objects;

/**
 * The gateway simulator, run inside this process by the library (the C ABI's cmpay_sandbox): a
 * loopback HTTP or HTTPS server that answers as the gateway does, for tests. The class to use is
 * {@code io.cmpay.testing.Sandbox} (and its JUnit 5 extension, {@code CmpaySandboxExtension}); this
 * base holds the native handle, so that the testing package needs nothing of the library's
 * internals. Thread-safe; {@link #close()} stops the server.
 */
public abstract class SandboxHandle extends Handle {
    /** cmpay_sandbox_start's flag CMPAY_SANDBOX_HTTPS. */
    private static final int HTTPS = 1;
    /** The longest wait cmpay_sandbox_wait_notified takes (a uint32_t of milliseconds). */
    private static final long MAX_WAIT_MS = 0xFFFF_FFFFL;

    /**
     * Starts a simulator on a free loopback port: over HTTPS with a certificate from a CA generated
     * for it ({@link #caPem()}), or plain HTTP.
     */
    protected SandboxHandle(boolean https) {
        super(start(https), SandboxHandle::free);
    }

    private static Pointer start(boolean https) {
        long[] out = new long[1];
        CmpayLibrary.check(CmpayLibrary.get().cmpay_sandbox_start(https ? HTTPS : 0, out));
        return Out.pointer(out);
    }

    private static void free(Pointer p) {
        CmpayLibrary.get().cmpay_sandbox_free(p);
    }

    /**
     * A new client set up as the simulator's MD5 test merchant (merchantId 888009941120001), its
     * endpoint and (over HTTPS) its CA: orders it creates are the simulator's to pay. Close it; it
     * holds nothing of the simulator's (once that is closed, its calls fail with a network error).
     */
    public final Client client() {
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_client(p, out)));
        return Client.of(Out.pointer(out));
    }

    /** The simulator's MD5 test merchant as a new handle (to verify its notifications, or build a client); close it. */
    public final Merchant merchant() {
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_merchant(p, out)));
        return new Merchant(Out.pointer(out));
    }

    /** The gateway URL to configure a client with ({@link Client.Config#endpoint(String)}). */
    public final String endpoint() {
        return text((p, b, n, needed) -> CmpayLibrary.get().cmpay_sandbox_endpoint_into(p, b, n, needed));
    }

    /**
     * A notifyUrl the simulator serves itself, answering every OfflineNotify {@code SUCCESS}: for
     * an order whose test has no notify endpoint of its own.
     */
    public final String notifyUrl() {
        return text((p, b, n, needed) -> CmpayLibrary.get().cmpay_sandbox_notify_url_into(p, b, n, needed));
    }

    /** The PEM of the CA that signed the simulator's certificate; "" over plain HTTP. */
    public final String caPem() {
        return text((p, b, n, needed) -> CmpayLibrary.get().cmpay_sandbox_ca_pem_into(p, b, n, needed));
    }

    /**
     * The shopper pays order {@code orderId} (created through this simulator) as at the cashier: it
     * becomes paid (the query answers SUCCESS) and its OfflineNotify is sent to the order's
     * notifyUrl, then resent on the gateway's schedule until answered exactly {@code SUCCESS}.
     * CmpayNotFoundException for an unknown order ("unknown-order"); CmpayInvalidInputException for
     * one already paid, failed or expired (the message starts with its code: "already-paid", ...).
     */
    public final void pay(String orderId) {
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_pay(p, o)));
    }

    /** The payment of order {@code orderId} is refused, as {@link #pay}: it becomes FAILED, and its OfflineNotify says so. */
    public final void fail(String orderId) {
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_fail(p, o)));
    }

    /**
     * Order {@code orderId}, unpaid, expires as time would make it: paying it is refused and the
     * query answers RPM99981 (a CmpayGatewayException); nothing is notified. Errors as {@link #pay}.
     */
    public final void expire(String orderId) {
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_expire(p, o)));
    }

    /**
     * Waits until an OfflineNotify for {@code orderId} was answered exactly {@code SUCCESS} by the
     * order's notifyUrl, at most {@code timeout} (0 to 2^32-1 ms). CmpayNetworkTimeoutException
     * if it was not, saying why ("not acknowledged: " and the last answer, or that nothing was sent);
     * CmpayNotFoundException for an unknown order.
     */
    public final void waitNotified(String orderId, Duration timeout) {
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.compareTo(Duration.ofMillis(MAX_WAIT_MS)) > 0) {
            throw CmpayLibrary.input(Status.INVALID_ARGUMENT, "timeout " + timeout + " is not between 0 and " + MAX_WAIT_MS + " ms");
        }
        int ms = (int) timeout.toMillis(); // the uint32_t's bits
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_wait_notified(p, o, ms)));
    }

    /**
     * Every OfflineNotify sent so far, oldest first, as the JSON array {@code GET /sandbox/deliveries}
     * answers: per attempt merchantId, orderId, payNo, attempt, url, httpStatus, answer, acked,
     * notAcked (why not), body (what was POSTed), ...
     */
    public final String deliveriesJson() {
        return text((p, b, n, needed) -> CmpayLibrary.get().cmpay_sandbox_deliveries_into(p, b, n, needed));
    }

    /** A cmpay_sandbox_*_into call. */
    private interface Into {
        int apply(Pointer p, byte[] buf, CmpayNative.SizeT bufLen, long[] needed);
    }

    /** The text a cmpay_sandbox_*_into writes: one crossing, or two when the first buffer is too small. */
    private String text(Into into) {
        byte[] buf = new byte[1024];
        long[] needed = new long[1];
        for (int attempt = 0;; attempt++) {
            byte[] b = buf;
            CmpayNative.SizeT len = new CmpayNative.SizeT(b.length);
            int st = call(p -> into.apply(p, b, len, needed));
            long want = Out.size(needed);
            if (st == Status.BUFFER_TOO_SMALL.code && attempt == 0 && want > b.length && want <= Integer.MAX_VALUE) {
                buf = new byte[(int) want];
                continue;
            }
            CmpayLibrary.check(st);
            int n = (int) Math.min(want, b.length);
            if (n > 0 && b[n - 1] == 0) { // the terminating NUL, when counted
                n--;
            }
            return CmpayLibrary.text(b, 0, n);
        }
    }
}
