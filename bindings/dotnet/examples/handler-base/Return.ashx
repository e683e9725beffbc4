<%@ WebHandler Language="C#" Class="Cmpay.Examples.ShopReturnHandler" %>
<%-- callbackUrl: the same steps as Notify.ashx, then the shopper's page --%>
