<%@ WebHandler Language="C#" Class="Cmpay.Bench.NotifyNativeHandler" %>
<%-- Throughput benchmark only (NotifyBench.cs): the 2011 kit's way in plain C#. --%>
