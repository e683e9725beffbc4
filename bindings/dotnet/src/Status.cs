namespace Cmpay
{
    /// <summary>cmpay_status: the result of every fallible C function. Stable numbers, only ever appended.</summary>
    public enum Status
    {
        /// <summary>Success.</summary>
        Ok = 0,
        /// <summary>An argument is invalid.</summary>
        InvalidArgument = 1,
        /// <summary>A field is invalid (CmpayFieldException).</summary>
        FieldInvalid = 2,
        /// <summary>A key cannot be loaded or is refused.</summary>
        Key = 3,
        /// <summary>A signature does not verify.</summary>
        SignatureMismatch = 4,
        /// <summary>A body cannot be parsed.</summary>
        Parse = 5,
        /// <summary>The gateway answered with a failure return code.</summary>
        Gateway = 6,
        /// <summary>The network failed.</summary>
        Transport = 7,
        /// <summary>The request timed out.</summary>
        Timeout = 8,
        /// <summary>TLS failed.</summary>
        Tls = 9,
        /// <summary>A notification reads more than one way.</summary>
        Ambiguous = 10,
        /// <summary>The gateway does not confirm the notification.</summary>
        NotConfirmed = 11,
        /// <summary>A signature source that could be forged.</summary>
        ForgeableSource = 12,
        /// <summary>A required argument is null.</summary>
        NullPointer = 100,
        /// <summary>A string is not UTF-8.</summary>
        InvalidUtf8 = 101,
        /// <summary>A fault inside the library.</summary>
        Panic = 102,
        /// <summary>No such field or value.</summary>
        NotFound = 103,
        /// <summary>A buffer is too small.</summary>
        BufferTooSmall = 104,
    }

    /// <summary>
    /// cmpay_order_status: an order's state as a query answer gives it (decided by the library):
    /// status SUCCESS is Paid, FAILED is Failed, any other value or none is Pending.
    /// </summary>
    public enum OrderStatus
    {
        /// <summary>Neither paid nor failed yet (any status but SUCCESS or FAILED, or none).</summary>
        Pending = 0,
        /// <summary>status SUCCESS: paid.</summary>
        Paid = 1,
        /// <summary>status FAILED: the payment failed.</summary>
        Failed = 2,
    }

    /// <summary>The message kinds the C ABI names by string.</summary>
    public static class MessageKind
    {
        /// <summary>"order-request": a DirectPayConfirm (order) request.</summary>
        public const string OrderRequest = "order-request";
        /// <summary>"order-response": the gateway's answer to an order.</summary>
        public const string OrderResponse = "order-response";
        /// <summary>"notify": a PageNotify/OfflineNotify.</summary>
        public const string Notify = "notify";
        /// <summary>"query-request": an OrderQuery request.</summary>
        public const string QueryRequest = "query-request";
        /// <summary>"query-response": the gateway's answer to a query.</summary>
        public const string QueryResponse = "query-response";
        /// <summary>"refund-request": an OrderRefund request.</summary>
        public const string RefundRequest = "refund-request";
        /// <summary>"refund-response": the gateway's answer to a refund.</summary>
        public const string RefundResponse = "refund-response";
    }
}
