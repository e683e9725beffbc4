using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Cmpay
{
    /// <summary>
    /// A merchant: its id, how it signs, and how it verifies what the gateway
    /// sends. Immutable and thread-safe: make one at start-up and share it.
    /// </summary>
    public sealed class Merchant : NativeObject
    {
        internal readonly MerchantHandle H;
        internal override SafeHandle Handle { get { return H; } }

        internal Merchant(MerchantHandle h) { H = h; }

        /// <summary>A merchant signing with MD5 and its 64-character signKey.</summary>
        public static Merchant Md5(string merchantId, string signKey)
        {
            CmpayLibrary.EnsureLoaded();
            return Md5Core(merchantId, signKey);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Merchant Md5Core(string merchantId, string signKey)
        {
            MerchantHandle h;
            Errors.Check(Native.cmpay_merchant_new_md5(Utf8.Z(merchantId, "merchantId"), Utf8.Z(signKey, "signKey"), out h));
            return new Merchant(h);
        }

        /// <summary>
        /// A merchant signing with RSA (SHA1withRSA): its private key (2048 bits or more) and the
        /// gateway's public key or certificate; PEM or DER, PKCS#1 or PKCS#8, SPKI or X.509.
        /// </summary>
        public static Merchant Rsa(string merchantId, byte[] privateKey, byte[] gatewayPublicKey, bool allowLegacy1024 = false)
        {
            CmpayLibrary.EnsureLoaded();
            return RsaCore(merchantId, privateKey, gatewayPublicKey, allowLegacy1024);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Merchant RsaCore(string merchantId, byte[] privateKey, byte[] gatewayPublicKey, bool allowLegacy1024)
        {
            MerchantHandle h;
            Errors.Check(Native.cmpay_merchant_new_rsa(Utf8.Z(merchantId, "merchantId"),
                Utf8.NotNull(privateKey, "privateKey"), Len(privateKey), Utf8.NotNull(gatewayPublicKey, "gatewayPublicKey"), Len(gatewayPublicKey), allowLegacy1024, out h));
            return new Merchant(h);
        }

        /// <summary>
        /// Completes (defaults, and a fresh requestId when absent), validates and signs a request of
        /// <paramref name="kind"/> (MessageKind.OrderRequest, QueryRequest or RefundRequest). Parameters keep their order.
        /// </summary>
        public SignedRequest SignRequest(string kind, IEnumerable<KeyValuePair<string, string>> parameters)
        {
            return SignForm(kind, Pairs.Encode(parameters));
        }

        /// <summary>As <see cref="SignRequest(string, IEnumerable{KeyValuePair{string, string}})"/>, with integer values (amount, period...) allowed.</summary>
        public SignedRequest SignRequest(string kind, IEnumerable<KeyValuePair<string, object>> parameters)
        {
            return SignForm(kind, Pairs.Encode(parameters));
        }

        private SignedRequest SignForm(string kind, byte[] form)
        {
            SignedRequestHandle h;
            Errors.Check(Native.cmpay_merchant_sign_request(H, Utf8.Z(kind, "kind"), form, Len(form), out h));
            return new SignedRequest(h);
        }

        /// <summary>An order request, signed; a fresh requestId is filled in when absent (as Client.CreateOrder does).</summary>
        public SignedRequest SignOrder(IEnumerable<KeyValuePair<string, string>> parameters)
        {
            return SignRequest(MessageKind.OrderRequest, parameters);
        }

        /// <summary>An order request, signed (integer values allowed); requestId filled in when absent.</summary>
        public SignedRequest SignOrder(IEnumerable<KeyValuePair<string, object>> parameters)
        {
            return SignRequest(MessageKind.OrderRequest, parameters);
        }

        /// <summary>Signs an OrderQuery request (requestId generated when absent), for sending yourself.</summary>
        public SignedRequest SignQuery(IEnumerable<KeyValuePair<string, string>> parameters)
        {
            return SignRequest(MessageKind.QueryRequest, parameters);
        }

        /// <summary>Signs an OrderQuery request; values are strings or integers.</summary>
        public SignedRequest SignQuery(IEnumerable<KeyValuePair<string, object>> parameters)
        {
            return SignRequest(MessageKind.QueryRequest, parameters);
        }

        /// <summary>Signs an OrderRefund request (requestId generated when absent), for sending yourself.</summary>
        public SignedRequest SignRefund(IEnumerable<KeyValuePair<string, string>> parameters)
        {
            return SignRequest(MessageKind.RefundRequest, parameters);
        }

        /// <summary>Signs an OrderRefund request; values are strings or integers.</summary>
        public SignedRequest SignRefund(IEnumerable<KeyValuePair<string, object>> parameters)
        {
            return SignRequest(MessageKind.RefundRequest, parameters);
        }

        /// <summary>The hmac over exactly the given fields of a message of any kind (nothing filled in or validated).</summary>
        public string Hmac(string kind, IEnumerable<KeyValuePair<string, object>> parameters)
        {
            return HmacForm(kind, Pairs.Encode(parameters));
        }

        /// <summary>The hmac over exactly the given fields of a message of any kind (nothing filled in or validated).</summary>
        public string Hmac(string kind, IEnumerable<KeyValuePair<string, string>> parameters)
        {
            return HmacForm(kind, Pairs.Encode(parameters));
        }

        private string HmacForm(string kind, byte[] form)
        {
            IntPtr s;
            Errors.Check(Native.cmpay_merchant_hmac(H, Utf8.Z(kind, "kind"), form, Len(form), out s));
            return Utf8.Take(s);
        }

        /// <summary>Verifies a received body exactly as it arrived; throws CmpaySignatureException (or CmpayParseException).</summary>
        public void Verify(string kind, byte[] body)
        {
            Errors.Check(Native.cmpay_merchant_verify(H, Utf8.Z(kind, "kind"), Utf8.NotNull(body, "body"), Len(body)));
        }

        /// <summary>As <see cref="Verify(string, byte[])"/> for a body held as text (sent as its UTF-8 bytes).</summary>
        public void Verify(string kind, string body)
        {
            Verify(kind, Raw(body));
        }

        /// <summary>
        /// Parses and verifies a gateway answer (MessageKind.OrderResponse, QueryResponse, RefundResponse)
        /// exactly as it arrived. A non-success return code throws CmpayGatewayException.
        /// </summary>
        public Response ParseResponse(string kind, byte[] body)
        {
            ResponseHandle h;
            Errors.Check(Native.cmpay_response_parse(H, Utf8.Z(kind, "kind"), Utf8.NotNull(body, "body"), Len(body), out h));
            return new Response(h);
        }

        /// <summary><see cref="ParseResponse(string, byte[])"/> of the body's UTF-8 bytes.</summary>
        public Response ParseResponse(string kind, string body)
        {
            return ParseResponse(kind, Raw(body));
        }

        /// <summary>
        /// Parses and verifies a PageNotify/OfflineNotify: the raw POST body, or the raw query
        /// string of the redirect (without '?'). Never Request.Form or QueryString: they re-decode.
        /// Throws CmpaySignatureException when it does not verify.
        /// </summary>
        public Notification ParseNotification(byte[] body)
        {
            NotificationHandle h;
            Errors.Check(Native.cmpay_notification_parse(H, Utf8.NotNull(body, "body"), Len(body), out h));
            return new Notification(h);
        }

        /// <summary><see cref="ParseNotification(byte[])"/> of the body's UTF-8 bytes (the raw body or query string, never re-decoded form values).</summary>
        public Notification ParseNotification(string body)
        {
            return ParseNotification(Raw(body));
        }

        internal static UIntPtr Len(byte[] b)
        {
            return new UIntPtr(b == null ? 0u : (uint)b.Length);
        }

        internal static byte[] Raw(string body)
        {
            return Utf8.Bytes(Utf8.NotNull(body, "body"), "body");
        }
    }

    /// <summary>A signed request: its fields, signature source, hmac and form body. Immutable.</summary>
    public sealed class SignedRequest : NativeObject
    {
        private readonly SignedRequestHandle _h;
        internal override SafeHandle Handle { get { return _h; } }

        internal SignedRequest(SignedRequestHandle h) { _h = h; }

        /// <summary>The form body to POST (ASCII), hmac last.</summary>
        public string Body
        {
            get { IntPtr s; Errors.Check(Native.cmpay_signed_request_body(_h, out s)); return Utf8.Take(s); }
        }

        /// <summary>e.g. "application/x-www-form-urlencoded; charset=GBK".</summary>
        public string ContentType
        {
            get { IntPtr s; Errors.Check(Native.cmpay_signed_request_content_type(_h, out s)); return Utf8.Take(s); }
        }

        /// <summary>The request's hmac (the signature sent with it).</summary>
        public string Hmac
        {
            get { IntPtr s; Errors.Check(Native.cmpay_signed_request_hmac(_h, out s)); return Utf8.Take(s); }
        }

        /// <summary>The signature source text (values joined in table order).</summary>
        public string Source
        {
            get { IntPtr s; Errors.Check(Native.cmpay_signed_request_source(_h, out s)); return Utf8.Take(s); }
        }

        /// <summary>The request as an HTML page whose form the shopper's browser submits at once
        /// (POST) to <paramref name="action"/>, the gateway's cmpayService URL: how a GWDirectPay
        /// (bank gateway) order is sent, from the browser.</summary>
        public string HtmlForm(string action)
        {
            IntPtr s;
            Errors.Check(Native.cmpay_signed_request_html_form(_h, Utf8.Z(action, "action"), out s));
            return Utf8.Take(s);
        }

        /// <summary>One field as sent (decoded), or null when the request has no such field.</summary>
        public string Field(string name)
        {
            IntPtr s;
            int st = Native.cmpay_signed_request_field(_h, Utf8.Z(name, "name"), out s);
            if (st == (int)Status.NotFound) return null;
            Errors.Check(st);
            return Utf8.Take(s);
        }
    }
}
