<%@ WebHandler Language="C#" Class="Cmpay.Bench.NotifyAckHandler" %>
<%-- Throughput benchmark only (NotifyBench.cs): parse + verify + ack through libcmpay, the native handler's work. --%>
