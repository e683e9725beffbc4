namespace Cmpay
{
    /// <summary>cmpay_status: the result of every fallible C function. Stable numbers, only ever appended.</summary>
    public enum Status
    {
        Ok = 0,
        InvalidArgument = 1,
        FieldInvalid = 2,
        Key = 3,
        SignatureMismatch = 4,
        Parse = 5,
        Gateway = 6,
        Transport = 7,
        Timeout = 8,
        Tls = 9,
        Ambiguous = 10,
        NotConfirmed = 11,
        ForgeableSource = 12,
        NullPointer = 100,
        InvalidUtf8 = 101,
        Panic = 102,
        NotFound = 103,
        BufferTooSmall = 104,
    }

    /// <summary>
    /// cmpay_order_status: an order's state as a query answer gives it (decided by the library):
    /// status SUCCESS is Paid, FAILED is Failed, any other value or none is Pending.
    /// </summary>
    public enum OrderStatus
    {
        Pending = 0,
        Paid = 1,
        Failed = 2,
    }

    /// <summary>The message kinds the C ABI names by string.</summary>
    public static class MessageKind
    {
        public const string OrderRequest = "order-request";
        public const string OrderResponse = "order-response";
        public const string Notify = "notify";
        public const string QueryRequest = "query-request";
        public const string QueryResponse = "query-response";
        public const string RefundRequest = "refund-request";
        public const string RefundResponse = "refund-response";
    }
}
