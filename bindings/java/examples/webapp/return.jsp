<%--
  The shopper's return page (callbackUrl) as a JSP page, next to notify.jsp:
  the PageNotify the browser brings is verified, checked and recorded exactly
  as there (NotifyEndpoint.returnPage, the same record step), then shown as a
  page (ReturnPage: the order, the amount in yuan, the status, every value
  escaped), or a 4xx failure page when it does not verify. A shop with its own
  page layout takes NotifyEndpoint.record's result and renders it its way.
  The endpoint and its settings: WEB-INF/cmpay-endpoint.jspf, as notify.jsp.
--%><%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true"
    import="io.cmpay.examples.NotifyEndpoint" %><%@ include file="/WEB-INF/cmpay-endpoint.jspf" %><%
    // The POST's raw body or the GET's raw query: never request.getParameter(), which decodes them.
    NotifyEndpoint.Answer answer = endpoint.returnPage(
            NotifyEndpoint.rawNotification(request.getMethod(), request.getQueryString(), request.getInputStream()));
    response.setStatus(answer.status);
    out.print(answer.text);
%>
