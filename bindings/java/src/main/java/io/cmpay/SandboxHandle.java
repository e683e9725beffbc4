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
     * A new client set up as the simulator's test merchant, its endpoint and (over HTTPS) its CA:
     * orders it creates are the simulator's to pay. Close it (the simulator stays).
     */
    public final Client client() {
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_client(p, out)));
        return Client.of(Out.pointer(out));
    }

    /** The simulator's test merchant as a new handle (to verify its notifications); close it. */
    public final Merchant merchant() {
        long[] out = new long[1];
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_merchant(p, out)));
        return new Merchant(Out.pointer(out));
    }

    /** The gateway URL to configure a client with ({@link Client.Config#endpoint(String)}). */
    public final String endpoint() {
        return text((p, b, n, needed) -> CmpayLibrary.get().cmpay_sandbox_endpoint_into(p, b, n, needed));
    }

    /** The PEM of the CA that signed the simulator's certificate; "" over plain HTTP. */
    public final String caPem() {
        return text((p, b, n, needed) -> CmpayLibrary.get().cmpay_sandbox_ca_pem_into(p, b, n, needed));
    }

    /**
     * The shopper pays order {@code orderId} (created through this simulator): the simulator
     * records it paid and sends the OfflineNotify to the order's notifyUrl.
     * CmpayNotFoundException when it knows no such order.
     */
    public final void pay(String orderId) {
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_pay(p, o)));
    }

    /** The payment of order {@code orderId} fails, as {@link #pay}; a failure is notified too. */
    public final void fail(String orderId) {
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_fail(p, o)));
    }

    /** Order {@code orderId} expires unpaid, as {@link #pay}. */
    public final void expire(String orderId) {
        byte[] o = CmpayLibrary.text(orderId, "orderId");
        CmpayLibrary.check(call(p -> CmpayLibrary.get().cmpay_sandbox_expire(p, o)));
    }

    /**
     * Waits until an OfflineNotify for {@code orderId} was delivered and acknowledged by the shop's
     * notify endpoint, at most {@code timeout} (up to 2^32-1 ms); throws a CmpayException (a
     * timeout names the order) if it was not.
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
     * Every notification the simulator sent, as the JSON array its {@code GET /sandbox/deliveries}
     * answers (one object per delivery attempt: the order, the URL, whether it was acknowledged).
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
