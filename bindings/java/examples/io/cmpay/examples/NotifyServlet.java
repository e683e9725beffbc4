package io.cmpay.examples;

import java.io.IOException;
import javax.servlet.ServletConfig;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A CMPay notify endpoint as a javax.servlet shop writes it (Jetty 9,
 * Tomcat 9): point notifyUrl (OfflineNotify, a server POST) at it, and
 * callbackUrl (PageNotify, the shopper's browser) at {@link ReturnServlet}.
 * The work is {@link NotifyEndpoint}'s; this class only carries bytes (the
 * same as {@code io.cmpay.examples.jakarta.NotifyServlet} for jakarta.servlet).
 *
 * <p>Settings ({@link NotifyEndpoint#configure}): servlet init-params,
 * context-params, or system properties of the same names. libcmpay:
 * CMPAY_LIB or -Djna.library.path. Deployed as a WAR: webapp/ and
 * build-war.sh.
 */
public class NotifyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient NotifyEndpoint endpoint;

    /** What a container uses: configured in init(). */
    public NotifyServlet() {
    }

    public NotifyServlet(NotifyEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        if (endpoint != null) {
            return;
        }
        try {
            endpoint = NotifyEndpoint.configure(name -> {
                String v = config.getInitParameter(name);
                return v != null ? v : config.getServletContext().getInitParameter(name);
            });
        } catch (IllegalStateException e) {
            throw new ServletException(e.getMessage(), e);
        }
    }

    @Override
    public void destroy() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String method = req.getMethod();
        if (!"POST".equals(method) && !"GET".equals(method)) {
            super.service(req, resp); // 405 and the like, as HttpServlet answers them
            return;
        }
        // The POST's raw body or the GET's raw query: never getParameter(), which decodes them.
        NotifyEndpoint.Answer a = answer(endpoint, NotifyEndpoint.rawNotification(method, req.getQueryString(), req.getInputStream()));
        byte[] b = a.bytes();
        resp.setStatus(a.status);
        resp.setContentType(a.contentType);
        resp.setContentLength(b.length);
        resp.getOutputStream().write(b);
    }

    /** The notify endpoint's answer to the gateway; ReturnServlet answers with the shopper's page. */
    protected NotifyEndpoint.Answer answer(NotifyEndpoint endpoint, byte[] raw) {
        return endpoint.handle(raw);
    }
}
