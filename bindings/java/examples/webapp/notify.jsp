<%--
  A CMPay notify endpoint as a JSP page, for a shop whose integration is JSP
  pages (as the gateway's 2011 kit was): point notifyUrl (and callbackUrl) at
  it. The work is NotifyEndpoint's, as for the servlets: verified through
  libcmpay, checked against the shop's order, recorded once per payNo in the
  shop's database (JdbcShopOrders), and only then "SUCCESS". Settings:
  context-params or system properties cmpay.merchantId, cmpay.signKey,
  cmpay.jdbcUrl (see WEB-INF/web.xml).
  The same page serves javax.servlet (Jetty 9) and jakarta.servlet (Tomcat 10)
  containers: it names no servlet type but ServletContext, which a JSP page
  imports implicitly from its container's API.
--%><%@ page contentType="text/plain; charset=US-ASCII" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true"
    import="io.cmpay.examples.NotifyEndpoint" %><%!
    private NotifyEndpoint endpoint; // thread-safe: one per page

    @Override
    public void jspInit() {
        final ServletContext app = getServletConfig().getServletContext();
        endpoint = NotifyEndpoint.configure(new NotifyEndpoint.Settings() {
            @Override
            public String get(String name) {
                return app.getInitParameter(name);
            }
        });
    }

    @Override
    public void jspDestroy() {
        endpoint.close();
    }
%><%
    // The POST's raw body or the GET's raw query: never request.getParameter(), which decodes them.
    NotifyEndpoint.Answer answer = endpoint.handle(
            NotifyEndpoint.rawNotification(request.getMethod(), request.getQueryString(), request.getInputStream()));
    response.setStatus(answer.status);
    out.print(answer.text);
%>
