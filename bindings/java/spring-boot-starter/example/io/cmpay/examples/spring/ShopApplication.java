package io.cmpay.examples.spring;

import io.cmpay.examples.JdbcShopOrders;
import io.cmpay.examples.NotifyEndpoint;
import io.cmpay.examples.ReturnPage;
import io.cmpay.spring.CmpayNotifications;
import io.cmpay.spring.CmpayNotifyController;
import io.cmpay.spring.CmpayNotifyHandler;
import io.cmpay.spring.CmpayPayment;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * A shop on Spring Boot with cmpay-spring-boot-starter: the starter makes the Client from the
 * cmpay.* properties (application.properties beside this file, or the CMPAY_* environment
 * variables) and serves the notifyUrl, /cmpay/notify; the shop gives it one bean, its
 * {@link CmpayNotifyHandler} (here over the servlet example's {@link JdbcShopOrders}:
 * {@code shop.jdbc-url}, SQLite or PostgreSQL), and serves its own return page (the callbackUrl,
 * /cmpay/return) through the same {@link CmpayNotifications}.
 */
@SpringBootApplication
public class ShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }

    /** The shop's orders and payments: what the starter's notify endpoint records through. */
    @Bean
    CmpayNotifyHandler shopOrders(@Value("${shop.jdbc-url}") String jdbcUrl) throws SQLException {
        JdbcShopOrders orders = new JdbcShopOrders(jdbcUrl);
        return new CmpayNotifyHandler() {
            @Override
            public Long amountFen(String orderId) {
                return orders.amountFen(orderId);
            }

            @Override
            public Set<String> existing(Collection<String> orderIds) {
                return orders.existing(orderIds);
            }

            @Override
            public Recording record(CmpayPayment p) {
                NotifyEndpoint.Recording r = orders.recordOnce(p.payNo(), p.orderId(), p.amountFen(), p.paid(), p.via());
                return Recording.valueOf(r.name());
            }
        };
    }

    /** The callbackUrl: the PageNotify the shopper's browser brings, recorded the same way, then a page. */
    @RestController
    static class ReturnPageController {
        private final CmpayNotifications notifications;

        ReturnPageController(CmpayNotifications notifications) {
            this.notifications = notifications;
        }

        @RequestMapping(path = "/cmpay/return", method = {RequestMethod.GET, RequestMethod.POST})
        ResponseEntity<String> returnPage(HttpServletRequest request) throws IOException {
            CmpayNotifications.Outcome o = notifications.process(CmpayNotifyController.raw(request));
            CmpayPayment p = o.payment();
            NotifyEndpoint.Recorded r = p == null ? new NotifyEndpoint.Recorded(o.status(), null, 0, null, false, null)
                    : new NotifyEndpoint.Recorded(o.status(), p.orderId(), p.amountFen(), p.payNo(), p.paid(), o.answer());
            return ResponseEntity.status(o.status()).contentType(MediaType.parseMediaType(ReturnPage.CONTENT_TYPE))
                    .body(ReturnPage.html(r));
        }
    }
}
