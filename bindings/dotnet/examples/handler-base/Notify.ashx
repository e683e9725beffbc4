<%@ WebHandler Language="C#" Class="Cmpay.Examples.ShopNotifyHandler" %>
<%-- notifyUrl: Cmpay.Web's NotifyHandlerBase with the shop's orders (ShopHandlers.cs, in bin\ with Cmpay.Web.dll, Cmpay.dll and cmpay.dll) --%>
