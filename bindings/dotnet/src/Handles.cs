using System;
using System.Runtime.InteropServices;

namespace Cmpay
{
    /// <summary>An owned libcmpay handle; ReleaseHandle calls the library's own _free (which accepts NULL).</summary>
    internal abstract class CmpayHandle : SafeHandle
    {
        protected CmpayHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }
    }

    internal sealed class MerchantHandle : CmpayHandle
    {
        public MerchantHandle() { }
        protected override bool ReleaseHandle() { Native.cmpay_merchant_free(handle); return true; }
    }

    internal sealed class SignedRequestHandle : CmpayHandle
    {
        public SignedRequestHandle() { }
        protected override bool ReleaseHandle() { Native.cmpay_signed_request_free(handle); return true; }
    }

    internal sealed class ResponseHandle : CmpayHandle
    {
        public ResponseHandle() { }
        protected override bool ReleaseHandle() { Native.cmpay_response_free(handle); return true; }
    }

    internal sealed class NotificationHandle : CmpayHandle
    {
        public NotificationHandle() { }
        protected override bool ReleaseHandle() { Native.cmpay_notification_free(handle); return true; }
    }

    internal sealed class ConfigHandle : CmpayHandle
    {
        public ConfigHandle() { }
        protected override bool ReleaseHandle() { Native.cmpay_config_free(handle); return true; }
    }

    internal sealed class ClientHandle : CmpayHandle
    {
        public ClientHandle() { }
        /// <summary>
        /// The log callback the library holds for this client: kept here, as reachable as the handle
        /// itself (which every call holds), until the client is freed.
        /// </summary>
        internal Native.LogCallback LogCallback;
        protected override bool ReleaseHandle() { Native.cmpay_client_free(handle); return true; }
    }

    internal sealed class SandboxHandle : CmpayHandle
    {
        public SandboxHandle() { }
        protected override bool ReleaseHandle() { Native.cmpay_sandbox_free(handle); return true; }
    }

    /// <summary>Base of the public handle-owning types: IDisposable over one SafeHandle.</summary>
    public abstract class NativeObject : IDisposable
    {
        internal abstract SafeHandle Handle { get; }

        /// <summary>Frees the native object now (the finalizer of its SafeHandle would otherwise).</summary>
        public void Dispose()
        {
            Handle.Dispose();
        }

        /// <summary>Throws ObjectDisposedException after Dispose (rather than passing a freed pointer).</summary>
        internal void Live()
        {
            if (Handle.IsClosed) throw new ObjectDisposedException(GetType().Name);
        }
    }
}
