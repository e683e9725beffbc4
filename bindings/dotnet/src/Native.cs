// One declaration per function of include/cmpay.h (the header is the final
// word: keep this file in step with it).
//
// Every import of libcmpay, and nothing else. Two layers:
//  - Imports: the [DllImport]s, cdecl (32-bit Windows would default to stdcall
//    and corrupt the stack), strings in as NUL-terminated UTF-8 byte[],
//    strings out as IntPtr (copied, then freed with cmpay_string_free), bool
//    as one byte (C99 bool), size_t as UIntPtr, handles as SafeHandles.
//  - the NoInlining forwarders below, which are what the rest of the code
//    calls. Mono binds a DllImport when it JIT-compiles the method that calls
//    it (after inlining), so the library's location (CmpayLibrary.Load,
//    CMPAY_LIB) must be registered before any such method is compiled; the
//    forwarders are compiled only on their first call, which every public
//    entry point makes after CmpayLibrary.EnsureLoaded().
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cmpay
{
    /// <summary>cmpay_amt_item: five uint64_t, in fen.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct NativeAmtItem
    {
        public ulong Cash, Prepaid, Coupon, Voucher, Points;
    }

    internal static class Native
    {
        /// <summary>cmpay_log_callback: the strings are the library's, valid only during the call.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void LogCallback(IntPtr userData, int level, IntPtr logEvent, IntPtr message);

        /// <summary>The library's name for DllImport: cmpay.dll on Windows, libcmpay.so on Linux, libcmpay.dylib on macOS.</summary>
        internal const string Lib = "cmpay";

        private static class Imports
        {
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern IntPtr cmpay_version();
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern IntPtr cmpay_status_name(int s);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern IntPtr cmpay_last_error();
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_last_status();
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern IntPtr cmpay_last_error_return_code();
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern IntPtr cmpay_last_error_field();
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern void cmpay_string_free(IntPtr s);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_merchant_new_md5(byte[] merchantId, byte[] signKey, out MerchantHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_merchant_new_rsa(byte[] merchantId, byte[] privateKey, UIntPtr privateKeyLen, byte[] gatewayPublicKey, UIntPtr gatewayPublicKeyLen, [MarshalAs(UnmanagedType.I1)] bool allowLegacy1024, out MerchantHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern void cmpay_merchant_free(IntPtr m);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_merchant_sign_request(MerchantHandle m, byte[] kind, byte[] parameters, UIntPtr parametersLen, out SignedRequestHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_merchant_hmac(MerchantHandle m, byte[] kind, byte[] parameters, UIntPtr parametersLen, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_merchant_verify(MerchantHandle m, byte[] kind, byte[] body, UIntPtr bodyLen);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_signed_request_body(SignedRequestHandle r, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_signed_request_content_type(SignedRequestHandle r, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_signed_request_hmac(SignedRequestHandle r, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_signed_request_source(SignedRequestHandle r, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_signed_request_field(SignedRequestHandle r, byte[] name, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_signed_request_html_form(SignedRequestHandle r, byte[] action, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern void cmpay_signed_request_free(IntPtr r);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_response_parse(MerchantHandle m, byte[] kind, byte[] body, UIntPtr bodyLen, out ResponseHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_response_field(ResponseHandle r, byte[] name, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_response_fields_into(ResponseHandle r, byte[] buf, UIntPtr bufLen, out UIntPtr needed);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_response_pay_url(ResponseHandle r, out IntPtr url, out IntPtr method, out IntPtr sessionId);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_response_redirect_url(ResponseHandle r, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_response_html_form(ResponseHandle r, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_response_order_status(ResponseHandle r, out int value);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_response_amount(ResponseHandle r, out ulong value);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern void cmpay_response_free(IntPtr r);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_parse(MerchantHandle m, byte[] body, UIntPtr bodyLen, out NotificationHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_field(NotificationHandle n, byte[] name, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_fields_into(NotificationHandle n, byte[] buf, UIntPtr bufLen, out UIntPtr needed);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_amount(NotificationHandle n, out ulong value);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_amt_item(NotificationHandle n, out NativeAmtItem value);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_fee_fen(NotificationHandle n, out ulong value);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_is_paid(NotificationHandle n, [MarshalAs(UnmanagedType.I1)] out bool value);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_is_ambiguous(NotificationHandle n, [MarshalAs(UnmanagedType.I1)] out bool value);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_other_readings(NotificationHandle n, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_other_order_ids(NotificationHandle n, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_rule_out(NotificationHandle n, byte[] orderId);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_is_confirmed(NotificationHandle n, [MarshalAs(UnmanagedType.I1)] out bool value);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_check_order(NotificationHandle n, byte[] merchantId, byte[] orderId, ulong amountFen);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_notification_ack(NotificationHandle n, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern void cmpay_notification_free(IntPtr n);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_config_new(out ConfigHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_config_set(ConfigHandle c, byte[] name, byte[] value);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_config_add_ca_pem(ConfigHandle c, byte[] pem, UIntPtr pemLen);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern void cmpay_config_free(IntPtr c);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_client_new(MerchantHandle m, ConfigHandle c, out ClientHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_client_create_order(ClientHandle c, byte[] parameters, UIntPtr parametersLen, out ResponseHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_client_query_order(ClientHandle c, byte[] orderId, out ResponseHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_client_confirm(ClientHandle c, NotificationHandle n);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_client_refund(ClientHandle c, byte[] orderId, ulong amountFen, out ResponseHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern void cmpay_client_free(IntPtr c);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_config_set_logger(ConfigHandle c, LogCallback callback, IntPtr userData, int minLevel);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_client_parse_notification(ClientHandle c, byte[] body, UIntPtr bodyLen, out NotificationHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_client_from_env(ConfigHandle c, out ClientHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_client_from_vars(ConfigHandle c, byte[] vars, UIntPtr varsLen, out ClientHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_client_merchant(ClientHandle c, out MerchantHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_return_code_lookup(byte[] code, out IntPtr canonical, out IntPtr chinese, out IntPtr english);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_bank_name(byte[] bankCode, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_yuan(ulong fen, out IntPtr str);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_start(uint flags, out SandboxHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_endpoint_into(SandboxHandle s, byte[] buf, UIntPtr bufLen, out UIntPtr needed);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_ca_pem_into(SandboxHandle s, byte[] buf, UIntPtr bufLen, out UIntPtr needed);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_notify_url_into(SandboxHandle s, byte[] buf, UIntPtr bufLen, out UIntPtr needed);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_client(SandboxHandle s, out ClientHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_merchant(SandboxHandle s, out MerchantHandle handle);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_pay(SandboxHandle s, byte[] orderId);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_fail(SandboxHandle s, byte[] orderId);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_expire(SandboxHandle s, byte[] orderId);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_wait_notified(SandboxHandle s, byte[] orderId, uint timeoutMs);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern int cmpay_sandbox_deliveries_into(SandboxHandle s, byte[] buf, UIntPtr bufLen, out UIntPtr needed);
            [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
            internal static extern void cmpay_sandbox_free(IntPtr s);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static IntPtr cmpay_version() { return Imports.cmpay_version(); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static IntPtr cmpay_status_name(int s) { return Imports.cmpay_status_name(s); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static IntPtr cmpay_last_error() { return Imports.cmpay_last_error(); }
        internal static int cmpay_last_status() { return Imports.cmpay_last_status(); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static IntPtr cmpay_last_error_return_code() { return Imports.cmpay_last_error_return_code(); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static IntPtr cmpay_last_error_field() { return Imports.cmpay_last_error_field(); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void cmpay_string_free(IntPtr s) { Imports.cmpay_string_free(s); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_merchant_new_md5(byte[] merchantId, byte[] signKey, out MerchantHandle handle) { return Imports.cmpay_merchant_new_md5(merchantId, signKey, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_merchant_new_rsa(byte[] merchantId, byte[] privateKey, UIntPtr privateKeyLen, byte[] gatewayPublicKey, UIntPtr gatewayPublicKeyLen, [MarshalAs(UnmanagedType.I1)] bool allowLegacy1024, out MerchantHandle handle) { return Imports.cmpay_merchant_new_rsa(merchantId, privateKey, privateKeyLen, gatewayPublicKey, gatewayPublicKeyLen, allowLegacy1024, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void cmpay_merchant_free(IntPtr m) { Imports.cmpay_merchant_free(m); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_merchant_sign_request(MerchantHandle m, byte[] kind, byte[] parameters, UIntPtr parametersLen, out SignedRequestHandle handle) { return Imports.cmpay_merchant_sign_request(m, kind, parameters, parametersLen, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_merchant_hmac(MerchantHandle m, byte[] kind, byte[] parameters, UIntPtr parametersLen, out IntPtr str) { return Imports.cmpay_merchant_hmac(m, kind, parameters, parametersLen, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_merchant_verify(MerchantHandle m, byte[] kind, byte[] body, UIntPtr bodyLen) { return Imports.cmpay_merchant_verify(m, kind, body, bodyLen); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_signed_request_body(SignedRequestHandle r, out IntPtr str) { return Imports.cmpay_signed_request_body(r, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_signed_request_content_type(SignedRequestHandle r, out IntPtr str) { return Imports.cmpay_signed_request_content_type(r, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_signed_request_hmac(SignedRequestHandle r, out IntPtr str) { return Imports.cmpay_signed_request_hmac(r, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_signed_request_source(SignedRequestHandle r, out IntPtr str) { return Imports.cmpay_signed_request_source(r, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_signed_request_field(SignedRequestHandle r, byte[] name, out IntPtr str) { return Imports.cmpay_signed_request_field(r, name, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_signed_request_html_form(SignedRequestHandle r, byte[] action, out IntPtr str) { return Imports.cmpay_signed_request_html_form(r, action, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void cmpay_signed_request_free(IntPtr r) { Imports.cmpay_signed_request_free(r); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_response_parse(MerchantHandle m, byte[] kind, byte[] body, UIntPtr bodyLen, out ResponseHandle handle) { return Imports.cmpay_response_parse(m, kind, body, bodyLen, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_response_field(ResponseHandle r, byte[] name, out IntPtr str) { return Imports.cmpay_response_field(r, name, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_response_fields_into(ResponseHandle r, byte[] buf, UIntPtr bufLen, out UIntPtr needed) { return Imports.cmpay_response_fields_into(r, buf, bufLen, out needed); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_response_pay_url(ResponseHandle r, out IntPtr url, out IntPtr method, out IntPtr sessionId) { return Imports.cmpay_response_pay_url(r, out url, out method, out sessionId); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_response_redirect_url(ResponseHandle r, out IntPtr str) { return Imports.cmpay_response_redirect_url(r, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_response_html_form(ResponseHandle r, out IntPtr str) { return Imports.cmpay_response_html_form(r, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_response_order_status(ResponseHandle r, out int value) { return Imports.cmpay_response_order_status(r, out value); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_response_amount(ResponseHandle r, out ulong value) { return Imports.cmpay_response_amount(r, out value); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void cmpay_response_free(IntPtr r) { Imports.cmpay_response_free(r); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_parse(MerchantHandle m, byte[] body, UIntPtr bodyLen, out NotificationHandle handle) { return Imports.cmpay_notification_parse(m, body, bodyLen, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_field(NotificationHandle n, byte[] name, out IntPtr str) { return Imports.cmpay_notification_field(n, name, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_fields_into(NotificationHandle n, byte[] buf, UIntPtr bufLen, out UIntPtr needed) { return Imports.cmpay_notification_fields_into(n, buf, bufLen, out needed); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_amount(NotificationHandle n, out ulong value) { return Imports.cmpay_notification_amount(n, out value); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_amt_item(NotificationHandle n, out NativeAmtItem value) { return Imports.cmpay_notification_amt_item(n, out value); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_fee_fen(NotificationHandle n, out ulong value) { return Imports.cmpay_notification_fee_fen(n, out value); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_is_paid(NotificationHandle n, [MarshalAs(UnmanagedType.I1)] out bool value) { return Imports.cmpay_notification_is_paid(n, out value); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_is_ambiguous(NotificationHandle n, [MarshalAs(UnmanagedType.I1)] out bool value) { return Imports.cmpay_notification_is_ambiguous(n, out value); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_other_readings(NotificationHandle n, out IntPtr str) { return Imports.cmpay_notification_other_readings(n, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_other_order_ids(NotificationHandle n, out IntPtr str) { return Imports.cmpay_notification_other_order_ids(n, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_rule_out(NotificationHandle n, byte[] orderId) { return Imports.cmpay_notification_rule_out(n, orderId); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_is_confirmed(NotificationHandle n, [MarshalAs(UnmanagedType.I1)] out bool value) { return Imports.cmpay_notification_is_confirmed(n, out value); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_check_order(NotificationHandle n, byte[] merchantId, byte[] orderId, ulong amountFen) { return Imports.cmpay_notification_check_order(n, merchantId, orderId, amountFen); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_notification_ack(NotificationHandle n, out IntPtr str) { return Imports.cmpay_notification_ack(n, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void cmpay_notification_free(IntPtr n) { Imports.cmpay_notification_free(n); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_config_new(out ConfigHandle handle) { return Imports.cmpay_config_new(out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_config_set(ConfigHandle c, byte[] name, byte[] value) { return Imports.cmpay_config_set(c, name, value); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_config_add_ca_pem(ConfigHandle c, byte[] pem, UIntPtr pemLen) { return Imports.cmpay_config_add_ca_pem(c, pem, pemLen); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void cmpay_config_free(IntPtr c) { Imports.cmpay_config_free(c); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_client_new(MerchantHandle m, ConfigHandle c, out ClientHandle handle) { return Imports.cmpay_client_new(m, c, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_client_create_order(ClientHandle c, byte[] parameters, UIntPtr parametersLen, out ResponseHandle handle) { return Imports.cmpay_client_create_order(c, parameters, parametersLen, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_client_query_order(ClientHandle c, byte[] orderId, out ResponseHandle handle) { return Imports.cmpay_client_query_order(c, orderId, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_client_confirm(ClientHandle c, NotificationHandle n) { return Imports.cmpay_client_confirm(c, n); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_client_refund(ClientHandle c, byte[] orderId, ulong amountFen, out ResponseHandle handle) { return Imports.cmpay_client_refund(c, orderId, amountFen, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void cmpay_client_free(IntPtr c) { Imports.cmpay_client_free(c); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_config_set_logger(ConfigHandle c, LogCallback callback, IntPtr userData, int minLevel) { return Imports.cmpay_config_set_logger(c, callback, userData, minLevel); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_client_parse_notification(ClientHandle c, byte[] body, UIntPtr bodyLen, out NotificationHandle handle) { return Imports.cmpay_client_parse_notification(c, body, bodyLen, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_client_from_env(ConfigHandle c, out ClientHandle handle) { return Imports.cmpay_client_from_env(c, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_client_from_vars(ConfigHandle c, byte[] vars, UIntPtr varsLen, out ClientHandle handle) { return Imports.cmpay_client_from_vars(c, vars, varsLen, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_client_merchant(ClientHandle c, out MerchantHandle handle) { return Imports.cmpay_client_merchant(c, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_return_code_lookup(byte[] code, out IntPtr canonical, out IntPtr chinese, out IntPtr english) { return Imports.cmpay_return_code_lookup(code, out canonical, out chinese, out english); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_bank_name(byte[] bankCode, out IntPtr str) { return Imports.cmpay_bank_name(bankCode, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_yuan(ulong fen, out IntPtr str) { return Imports.cmpay_yuan(fen, out str); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_start(uint flags, out SandboxHandle handle) { return Imports.cmpay_sandbox_start(flags, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_endpoint_into(SandboxHandle s, byte[] buf, UIntPtr bufLen, out UIntPtr needed) { return Imports.cmpay_sandbox_endpoint_into(s, buf, bufLen, out needed); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_ca_pem_into(SandboxHandle s, byte[] buf, UIntPtr bufLen, out UIntPtr needed) { return Imports.cmpay_sandbox_ca_pem_into(s, buf, bufLen, out needed); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_notify_url_into(SandboxHandle s, byte[] buf, UIntPtr bufLen, out UIntPtr needed) { return Imports.cmpay_sandbox_notify_url_into(s, buf, bufLen, out needed); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_client(SandboxHandle s, out ClientHandle handle) { return Imports.cmpay_sandbox_client(s, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_merchant(SandboxHandle s, out MerchantHandle handle) { return Imports.cmpay_sandbox_merchant(s, out handle); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_pay(SandboxHandle s, byte[] orderId) { return Imports.cmpay_sandbox_pay(s, orderId); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_fail(SandboxHandle s, byte[] orderId) { return Imports.cmpay_sandbox_fail(s, orderId); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_expire(SandboxHandle s, byte[] orderId) { return Imports.cmpay_sandbox_expire(s, orderId); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_wait_notified(SandboxHandle s, byte[] orderId, uint timeoutMs) { return Imports.cmpay_sandbox_wait_notified(s, orderId, timeoutMs); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static int cmpay_sandbox_deliveries_into(SandboxHandle s, byte[] buf, UIntPtr bufLen, out UIntPtr needed) { return Imports.cmpay_sandbox_deliveries_into(s, buf, bufLen, out needed); }
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void cmpay_sandbox_free(IntPtr s) { Imports.cmpay_sandbox_free(s); }
    }
}
