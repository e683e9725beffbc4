package io.cmpay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.cmpay.Client;
import io.cmpay.OrderStatus;
import io.cmpay.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A PER_CLASS test instance gets the simulator in its constructor, which runs before beforeAll: the same one its tests get. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(CmpaySandboxExtension.class)
class CmpaySandboxPerClassTest {
    private final Sandbox sandbox;

    CmpaySandboxPerClassTest(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void theConstructorsSimulatorIsTheTestsOne(Sandbox injected) {
        assertSame(sandbox, injected);
        assertFalse(sandbox.isClosed());
        try (Client client = sandbox.client()) {
            String orderId = CmpaySandboxExtensionTest.newOrder(client, 1500, sandbox.notifyUrl());
            sandbox.pay(orderId);
            sandbox.waitNotified(orderId, Duration.ofSeconds(20));
            try (Response q = client.queryOrder(orderId)) {
                assertEquals(OrderStatus.PAID, q.orderStatus());
            }
        }
    }
}
