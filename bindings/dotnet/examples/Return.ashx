<%@ WebHandler Language="C#" Class="Cmpay.Examples.ReturnHandler" %>
<%-- The shopper's return page (callbackUrl), e.g. https://shop.example.com/cmpay/Return.ashx;
     the class is in ReturnHandler.cs, compiled into bin\ with NotifyHandler.cs. --%>
