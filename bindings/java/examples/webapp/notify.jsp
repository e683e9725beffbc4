<%--
  A CMPay notify endpoint as a JSP page, for a shop whose integration is JSP
  pages (as the gateway's 2011 kit was): point notifyUrl at it (callbackUrl:
  return.jsp). The work is NotifyEndpoint's, as for the servlets: verified through
  libcmpay, made unambiguous (other readings naming orders the shop does not
  have ruled out, the rest confirmed with the gateway), checked against the
  shop's order, recorded once per payNo and per order in the shop's database
  (JdbcShopOrders), and only then "SUCCESS". The endpoint,
  its settings and why the same page serves javax.servlet (Jetty 9) and
  jakarta.servlet (Tomcat 10) containers: WEB-INF/cmpay-endpoint.jspf.
--%><%@ page contentType="text/plain; charset=US-ASCII" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true"
    import="io.cmpay.examples.NotifyEndpoint" %><%@ include file="/WEB-INF/cmpay-endpoint.jspf" %><%
    // The POST's raw body or the GET's raw query: never request.getParameter(), which decodes them.
    NotifyEndpoint.Answer answer = endpoint.handle(
            NotifyEndpoint.rawNotification(request.getMethod(), request.getQueryString(), request.getInputStream()));
    response.setStatus(answer.status);
    out.print(answer.text);
%>
