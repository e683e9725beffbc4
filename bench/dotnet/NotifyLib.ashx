<%@ WebHandler Language="C#" Class="Cmpay.Bench.NotifyLibHandler" %>
<%-- Throughput benchmark only (NotifyBench.cs): the example handler with a no-op store. --%>
