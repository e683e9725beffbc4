<%@ WebHandler Language="C#" Class="Cmpay.Examples.NotifyHandler" %>
<%-- The class is in NotifyHandler.cs, compiled into bin\ next to Cmpay.dll and cmpay.dll.
     Route notifyUrl here, e.g. https://shop.example.com/cmpay/Notify.ashx (callbackUrl: Return.ashx) --%>
