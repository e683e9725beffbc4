<%--
  A CMPay notify endpoint as a JSP page, for a shop whose integration is JSP
  pages (as the gateway's 2011 kit was): point notifyUrl (and callbackUrl) at
  it. Verified through libcmpay, checked against the shop's order, recorded
  once per payNo in the shop's database (JdbcShopOrders), and only then
  "SUCCESS". Settings: context-params or system properties cmpay.merchantId,
  cmpay.signKey, cmpay.jdbcUrl (see WEB-INF/web.xml).
--%><%@ page contentType="text/plain; charset=US-ASCII" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true"
    import="io.cmpay.CmpayException, io.cmpay.Merchant, io.cmpay.Notification, io.cmpay.examples.JdbcShopOrders,
            java.io.ByteArrayOutputStream, java.io.InputStream, java.nio.charset.StandardCharsets" %><%!
    private static String setting(ServletContext app, String name) {
        String v = app.getInitParameter(name);
        return v != null ? v : System.getProperty(name);
    }

    /** One Merchant and one store per application (both thread-safe). */
    private static synchronized Object[] shop(ServletContext app) throws Exception {
        Object[] s = (Object[]) app.getAttribute("cmpay.jsp.shop");
        if (s == null) {
            s = new Object[] {Merchant.md5(setting(app, "cmpay.merchantId"), setting(app, "cmpay.signKey")),
                              new JdbcShopOrders(setting(app, "cmpay.jdbcUrl"))};
            app.setAttribute("cmpay.jsp.shop", s);
        }
        return s;
    }

    /** The notification exactly as it arrived: never request.getParameter(), which decodes it. */
    private static byte[] raw(HttpServletRequest request) throws java.io.IOException {
        if (!"POST".equals(request.getMethod())) {
            String q = request.getQueryString();
            return q == null ? new byte[0] : q.getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        InputStream in = request.getInputStream();
        byte[] buf = new byte[8192];
        for (int n; body.size() <= 65536 && (n = in.read(buf)) > 0; ) {
            body.write(buf, 0, n);
        }
        return body.toByteArray();
    }
%><%
    Object[] s = shop(application);
    Merchant merchant = (Merchant) s[0];
    JdbcShopOrders orders = (JdbcShopOrders) s[1];
    String merchantId = setting(application, "cmpay.merchantId");
    try (Notification n = merchant.parseNotification(raw(request))) { // verified, or an exception
        Long amount = orders.amountFen(n.orderId());
        if (amount == null) {
            response.setStatus(404);
            out.print("FAIL unknown order");
            return;
        }
        n.checkOrder(merchantId, n.orderId(), amount); // about our order, for its amount
        orders.recordOnce(n.payNo(), n.orderId(), n.amount(), n.isPaid(), n.type());
        out.print(n.ack()); // "SUCCESS", only once recorded
    } catch (CmpayException e) {
        application.log("cmpay notify refused: " + e);
        response.setStatus(400);
        out.print("FAIL");
    }
%>