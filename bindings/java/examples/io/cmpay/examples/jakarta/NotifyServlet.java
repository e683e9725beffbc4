package io.cmpay.examples.jakarta;

import io.cmpay.examples.NotifyEndpoint;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The notify endpoint for jakarta.servlet containers (Tomcat 10.1, Jetty 11+):
 * {@link io.cmpay.examples.NotifyServlet} with jakarta.servlet's types, the
 * same {@link NotifyEndpoint} behind it; nothing else differs. Deployed as
 * build-war.sh's cmpay-notify-jakarta.war (webapp-jakarta/WEB-INF/web.xml).
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
