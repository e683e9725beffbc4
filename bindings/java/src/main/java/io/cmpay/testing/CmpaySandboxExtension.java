package io.cmpay.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one in-process gateway simulator ({@link Sandbox}) per test class, started before its
 * first test and stopped after its last, injected into any parameter of type {@link Sandbox} (of
 * the test class's constructor, its {@code @BeforeAll}, {@code @BeforeEach} and test methods, and
 * those of its {@code @Nested} classes, which share it).
 *
 * <pre>{@code
 * @ExtendWith(CmpaySandboxExtension.class)
 * class CheckoutTest {
 *     @Test
 *     void paysAnOrder(Sandbox sandbox) { ... sandbox.pay(orderId); ... }
 * }
 * }</pre>
 *
 * <p>Plain HTTP by default; for HTTPS register it as a static field:
 * {@code @RegisterExtension static CmpaySandboxExtension sandbox = CmpaySandboxExtension.https();}.
 *
 * <p>JUnit 5 (junit-jupiter-api) is an optional dependency of this package: a shop's test scope
 * brings it, and nothing else in the package uses it.
 */
public final class CmpaySandboxExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CmpaySandboxExtension.class);
    private static final String KEY = "sandbox";

    private final boolean https;

    /** Plain HTTP on 127.0.0.1 (what {@code @ExtendWith(CmpaySandboxExtension.class)} makes). */
    public CmpaySandboxExtension() {
        this(false);
    }

    private CmpaySandboxExtension(boolean https) {
        this.https = https;
    }

    /** A simulator over HTTPS, its certificate from a CA generated for it, for {@code @RegisterExtension}. */
    public static CmpaySandboxExtension https() {
        return new CmpaySandboxExtension(true);
    }

    /** The started simulator, kept in the class's store (closed by {@link #afterAll}, or by JUnit if that does not run). */
    private static final class Started implements ExtensionContext.Store.CloseableResource {
        final Sandbox sandbox;

        Started(Sandbox sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public void close() {
            sandbox.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        started(context);
    }

    /**
     * The class's simulator, started if it is not yet: in beforeAll, or when a parameter asks first
     * (the constructor of a {@code PER_CLASS} test instance runs before beforeAll). A
     * {@code @Nested} class shares its enclosing class's: the lookup reaches the parent's store.
     */
    private Started started(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get(); // a test's context: its class's holds the simulator
        }
        return c.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, k -> new Started(Sandbox.start(https)), Started.class);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Only the class that started it (its own store, not a parent's) stops it.
        Started s = context.getStore(NAMESPACE).remove(KEY, Started.class);
        if (s != null) {
            s.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Sandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return started(extensionContext).sandbox;
    }
}
