package io.cmpay.examples.jakarta;

import io.cmpay.examples.NotifyEndpoint;

/**
 * The shopper's return page (callbackUrl) as a jakarta.servlet: the PageNotify
 * the browser brings is verified, checked and recorded exactly as at the
 * notify endpoint ({@link NotifyEndpoint#returnPage}), then shown as a page
 * ({@link io.cmpay.examples.ReturnPage}); a 4xx failure page when it does
 * not verify. The same settings as {@link NotifyServlet}.
 */
public class ReturnServlet extends NotifyServlet {
    private static final long serialVersionUID = 1L;

    /** What a container uses: configured in init(). */
    public ReturnServlet() {
    }

    public ReturnServlet(NotifyEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected NotifyEndpoint.Answer answer(NotifyEndpoint endpoint, byte[] raw) {
        return endpoint.returnPage(raw);
    }
}
