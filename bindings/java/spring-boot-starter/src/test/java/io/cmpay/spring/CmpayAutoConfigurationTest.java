package io.cmpay.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmpay.Client;
import io.cmpay.CmpayInvalidInputException;
import io.cmpay.Merchant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration in a real (non-web) Spring Boot context, against the library (CMPAY_LIB). */
class CmpayAutoConfigurationTest {
    static final String MERCHANT = "888009941120001";
    static final String KEY = "k".repeat(64);

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ShopApp {
        @Bean
        CmpayNotifyHandler handler() {
            return new CmpayNotifyHandler() {
                @Override
                public Long amountFen(String orderId) {
                    return null;
                }

                @Override
                public Recording record(CmpayPayment payment) {
                    throw new AssertionError("nothing is recorded here");
                }
            };
        }
    }

    static ConfigurableApplicationContext start(Class<?> app, String... properties) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).properties(properties).run();
    }

    @Test
    void propertiesMapOntoTheLibrarysVariablesByOneRule() {
        assertEquals("CMPAY_SIGN_KEY_FILE", CmpayProperties.variableName("signKeyFile"));
        assertEquals("cmpay.connect-timeout-ms", CmpayProperties.propertyName("CMPAY_CONNECT_TIMEOUT_MS"));
        CmpayProperties p = new CmpayProperties();
        p.setMerchantId(MERCHANT);
        p.setTimeoutMs(10_000L);
        p.setAllowHttp(true);
        assertEquals(Map.of("CMPAY_MERCHANT_ID", MERCHANT, "CMPAY_TIMEOUT_MS", "10000", "CMPAY_ALLOW_HTTP", "true"),
                p.variables());
        // Every property is a variable the library reads (it refuses any other name), checked in one go.
        CmpayProperties all = new CmpayProperties();
        for (java.lang.reflect.Field f : CmpayProperties.class.getDeclaredFields()) {
            if (f.getType() == String.class) {
                try {
                    f.setAccessible(true);
                    f.set(all, "x");
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        all.setConnectTimeoutMs(1000L);
        all.setTimeoutMs(1000L);
        all.setAllowHttp(false);
        assertEquals(12, all.variables().size(), all.variables().toString());
        CmpayInvalidInputException bad = assertThrows(CmpayInvalidInputException.class,
                () -> Client.fromVariables(all.variables(), null));
        assertFalse(bad.getMessage().contains("is not a configuration variable"), bad.getMessage());
        CmpayProperties two = new CmpayProperties();
        two.setMerchantId(MERCHANT);
        two.setSignKey(KEY);
        two.setSignKeyFile("/nonexistent");
        CmpayInvalidInputException both = assertThrows(CmpayInvalidInputException.class,
                () -> Client.fromVariables(two.variables(), null));
        assertTrue(both.getMessage().contains("CMPAY_SIGN_KEY and CMPAY_SIGN_KEY_FILE are both set"), both.getMessage());
    }

    @Test
    void clientAndMerchantFromTheProperties(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("key.txt");
        Files.write(keyFile, ("\uFEFF" + KEY + "\r\n").getBytes(StandardCharsets.UTF_8)); // as Notepad saves it
        try (ConfigurableApplicationContext ctx = start(App.class, "cmpay.merchant-id=" + MERCHANT,
                "cmpay.sign-key-file=" + keyFile, "cmpay.endpoint=http://127.0.0.1:9/gw", "cmpay.allow-http=true",
                "cmpay.timeout-ms=10000")) {
            Client client = ctx.getBean(Client.class);
            Merchant merchant = ctx.getBean(Merchant.class);
            // The key from the file signs: the hmac of the library's test vectors' algorithm, the same either way.
            Map<String, String> params = Map.of("merchantId", MERCHANT, "requestId", "r1", "orderId", "o1");
            try (Merchant direct = Merchant.md5(MERCHANT, KEY)) {
                assertEquals(direct.hmac("query-request", params), merchant.hmac("query-request", params));
            }
            assertTrue(client != null);
            // No CmpayNotifyHandler: no notifications, no endpoint.
            assertTrue(ctx.getBeansOfType(CmpayNotifications.class).isEmpty());
        }
    }

    @Test
    void aBadPropertyStopsTheStartNamingIt() {
        Exception e = assertThrows(Exception.class, () -> start(App.class, "cmpay.merchant-id=" + MERCHANT,
                "cmpay.sign-key=" + KEY, "cmpay.charset=EBCDIC"));
        String message = rootMessage(e);
        assertTrue(message.contains("CMPAY_CHARSET (cmpay.charset)"), message);
        Exception none = assertThrows(Exception.class, () -> start(App.class, "cmpay.merchant-id=" + MERCHANT));
        String noKey = rootMessage(none);
        assertTrue(noKey.contains("CMPAY_SIGN_KEY (cmpay.sign-key) or CMPAY_SIGN_KEY_FILE (cmpay.sign-key-file)"), noKey);
        assertFalse(noKey.contains(KEY));
    }

    @Test
    void aHandlerBringsTheNotificationsWhichRefuseAForgery() {
        try (ConfigurableApplicationContext ctx = start(ShopApp.class, "cmpay.merchant-id=" + MERCHANT, "cmpay.sign-key=" + KEY)) {
            CmpayNotifications n = ctx.getBean(CmpayNotifications.class);
            CmpayNotifications.Outcome o = n.process(
                    "type=OfflineNotify&orderId=1&amount=1&hmac=0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            assertEquals(400, o.status());
            assertEquals("FAIL", o.answer());
            assertFalse(o.recorded());
        }
    }

    static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
