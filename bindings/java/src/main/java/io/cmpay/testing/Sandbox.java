package io.cmpay.testing;

import io.cmpay.SandboxHandle;

/**
 * The gateway simulator inside the test's own process, started through libcmpay (no separate
 * binary, no Rust toolchain): a loopback server answering as the gateway does, whose test merchant
 * {@link #client()} is set up as. A test creates an order with that client (its notifyUrl at the
 * shop's notify endpoint), then {@link #pay}s, {@link #fail}s or {@link #expire}s it, and
 * {@link #waitNotified waits} until the shop acknowledged the OfflineNotify.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.start(false); Client client = sandbox.client()) {
 *     client.createOrder(params).close();      // orderId "T1", notifyUrl at the shop
 *     sandbox.pay("T1");
 *     sandbox.waitNotified("T1", Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>In JUnit 5, {@link CmpaySandboxExtension} starts one per test class and injects it.
 * Thread-safe; {@link #close()} stops it.
 */
public final class Sandbox extends SandboxHandle {

    private Sandbox(boolean https) {
        super(https);
    }

    /**
     * A simulator on a free loopback port: over HTTPS with a certificate of a CA generated for it
     * ({@link #caPem()}; {@link #client()} trusts it), else plain HTTP.
     */
    public static Sandbox start(boolean https) {
        return new Sandbox(https);
    }
}
