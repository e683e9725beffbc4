package io.cmpay.spring;

import io.cmpay.Client;
import io.cmpay.CmpayException;
import io.cmpay.Merchant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * cmpay in a Spring Boot application: a {@link Client} and its {@link Merchant} from the
 * {@code cmpay.*} properties ({@link CmpayProperties}), and, when the application declares a
 * {@link CmpayNotifyHandler}, {@link CmpayNotifications} and the notify endpoint
 * ({@link CmpayNotifyController}). Each bean is the application's own when it declares one. A
 * {@link Client.Config} bean, if there is one, is the base the properties override (its logger,
 * say); without one the client logs through SLF4J (Spring Boot's logging) at the levels of the
 * logger {@code cmpay}.
 */
@AutoConfiguration
@ConditionalOnClass(Client.class)
@EnableConfigurationProperties(CmpayProperties.class)
public class CmpayAutoConfiguration {

    private static final Pattern VARIABLE = Pattern.compile("\\bCMPAY_[A-Z_]+\\b");

    /** The client for the merchant the properties describe, closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Client cmpayClient(CmpayProperties properties, ObjectProvider<Client.Config> config) {
        try {
            return Client.fromVariables(properties.variables(), config.getIfAvailable(() -> new Client.Config().log()));
        } catch (CmpayException e) {
            throw new IllegalStateException("cmpay.* properties: " + inPropertyNames(e.getMessage()), e);
        }
    }

    /** The client's merchant (signing and verifying without the network), closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Merchant cmpayMerchant(Client client) {
        return client.merchant();
    }

    /** The notifications' steps, over the shop's handler. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(CmpayNotifyHandler.class)
    public CmpayNotifications cmpayNotifications(Client client, CmpayProperties properties, CmpayNotifyHandler handler) {
        return new CmpayNotifications(client, properties.getMerchantId(), handler);
    }

    /** The notify endpoint, in a servlet web application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    static class Web {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(CmpayNotifyHandler.class)
        CmpayNotifyController cmpayNotifyController(CmpayNotifications notifications) {
            return new CmpayNotifyController(notifications);
        }
    }

    /** The library's message with each variable it names followed by its property: "CMPAY_X (cmpay.x)". */
    static String inPropertyNames(String message) {
        Matcher m = VARIABLE.matcher(message == null ? "" : message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group() + " (" + CmpayProperties.propertyName(m.group()) + ")"));
        }
        return m.appendTail(sb).toString();
    }
}
