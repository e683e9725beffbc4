package io.cmpay.spring;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The notifyUrl ({@code cmpay.notify.path}, default {@code /cmpay/notify}), registered by the
 * starter when the application declares a {@link CmpayNotifyHandler}: the notification's raw
 * bytes (a POST's body, a GET's query string; never the container's decoded parameters, the
 * signature is over the bytes as sent) through {@link CmpayNotifications}, answered
 * {@code text/plain}: the gateway's acknowledgement only when the payment is recorded, else FAIL
 * with the outcome's status (the gateway then sends it again later).
 */
@RestController
public class CmpayNotifyController {
    private final CmpayNotifications notifications;

    /** The endpoint over {@code notifications}. */
    public CmpayNotifyController(CmpayNotifications notifications) {
        this.notifications = notifications;
    }

    /** A notification in, the answer to the gateway out. */
    @RequestMapping(path = "${cmpay.notify.path:/cmpay/notify}", method = {RequestMethod.POST, RequestMethod.GET})
    public ResponseEntity<String> notify(HttpServletRequest request) throws IOException {
        CmpayNotifications.Outcome o = notifications.process(raw(request));
        return ResponseEntity.status(o.status()).contentType(MediaType.TEXT_PLAIN).body(o.answer());
    }

    /** The notification exactly as it arrived: a POST's raw body (at most MAX_BODY bytes read), else the raw query. */
    public static byte[] raw(HttpServletRequest request) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            String q = request.getQueryString();
            return q == null ? new byte[0] : q.getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        InputStream in = request.getInputStream();
        int n;
        while (out.size() < CmpayNotifications.MAX_BODY && (n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray(); // over 64 KiB: the library refuses it as malformed
    }
}
