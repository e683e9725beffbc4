using System;

namespace Cmpay
{
    /// <summary>
    /// Base of every error of this package: the library's status, its C name,
    /// the text of cmpay_last_error(), and where given the gateway's return code
    /// and the field at fault.
    /// <code>
    /// CmpayException
    /// ├── CmpayInvalidInputException       InvalidArgument, NullPointer, InvalidUtf8, BufferTooSmall
    /// │   ├── CmpayFieldException          FieldInvalid  (Field, ReturnCode e.g. MCG01033)
    /// │   ├── CmpayInvalidKeyException     Key
    /// │   └── CmpayForgeableSourceException ForgeableSource (a request the library will not sign)
    /// ├── CmpaySignatureException          SignatureMismatch
    /// ├── CmpayParseException              Parse
    /// ├── CmpayGatewayException            Gateway       (ReturnCode e.g. RPM22201)
    /// ├── CmpayNetworkException            Transport
    /// │   ├── CmpayNetworkTimeoutException Timeout
    /// │   └── CmpayTlsException            Tls
    /// ├── CmpayAmbiguousException          Ambiguous     (another reading of a notification: confirm it)
    /// ├── CmpayNotConfirmedException       NotConfirmed  (the gateway disagrees: record nothing)
    /// ├── CmpayNotFoundException           NotFound
    /// ├── CmpayInternalException           Panic, and any status this version does not know
    /// └── CmpayLibraryNotFoundException    the library file could not be found or bound
    /// </code>
    /// The four bindings share these names' stems (Python NetworkTimeoutError, PHP
    /// NetworkTimeoutException); here they carry the Cmpay prefix because System has its
    /// own TimeoutException and FormatException. A null argument is an ArgumentNullException.
    /// </summary>
    [Serializable]
    public class CmpayException : Exception
    {
        /// <summary>The library's status of the failure.</summary>
        public Status Status { get; private set; }
        /// <summary>e.g. "CMPAY_GATEWAY".</summary>
        public string StatusName { get; private set; }
        /// <summary>The gateway's return code (gateway errors, and field errors where the gateway has one), else null.</summary>
        public string ReturnCode { get; private set; }
        /// <summary>The field at fault (field errors), else null.</summary>
        public string Field { get; private set; }

        /// <summary>An exception of a status, its C name, a message, and the gateway's return code and the field at fault where there are.</summary>
        public CmpayException(Status status, string statusName, string message, string returnCode = null, string field = null)
            : this(status, statusName, message, null, returnCode, field)
        {
        }

        internal CmpayException(Status status, string statusName, string message, Exception inner, string returnCode = null, string field = null)
            : base(message, inner)
        {
            Status = status;
            StatusName = statusName ?? "";
            ReturnCode = string.IsNullOrEmpty(returnCode) ? null : returnCode;
            Field = string.IsNullOrEmpty(field) ? null : field;
        }

        /// <summary>The type, status name, return code and field, and the message.</summary>
        public override string ToString()
        {
            return GetType().Name + " (" + StatusName + (ReturnCode != null ? " " + ReturnCode : "")
                + (Field != null ? " field " + Field : "") + "): " + Message;
        }
    }

    /// <summary>An argument the library refuses: invalid, null, not UTF-8, too long (CMPAY_INVALID_ARGUMENT, NULL_POINTER, INVALID_UTF8, BUFFER_TOO_SMALL).</summary>
    [Serializable]
    public class CmpayInvalidInputException : CmpayException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayInvalidInputException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>A field the library refuses (CMPAY_FIELD_INVALID): its name is <see cref="CmpayException.Field"/>.</summary>
    [Serializable]
    public class CmpayFieldException : CmpayInvalidInputException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayFieldException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>The 0.1.0 name of <see cref="CmpayInvalidKeyException"/>, its only subclass (so old catch blocks still match).</summary>
    [Serializable]
    [Obsolete("Catch CmpayInvalidKeyException")]
    public class CmpayKeyException : CmpayInvalidInputException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayKeyException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

#pragma warning disable 618 // the new names extend the obsolete ones, for compatibility
    /// <summary>A key could not be loaded or was refused (too short, wrong type, empty).</summary>
    [Serializable]
    public class CmpayInvalidKeyException : CmpayKeyException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayInvalidKeyException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }
#pragma warning restore 618

    /// <summary>A message's hmac does not match its contents: never process it, never answer SUCCESS.</summary>
    [Serializable]
    public class CmpaySignatureException : CmpayException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpaySignatureException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>A body that cannot be read as the message it should be (CMPAY_PARSE).</summary>
    [Serializable]
    public class CmpayParseException : CmpayException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayParseException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>The gateway answered with a return code other than success (<see cref="CmpayException.ReturnCode"/>).</summary>
    [Serializable]
    public class CmpayGatewayException : CmpayException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayGatewayException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>DNS, connect, reset, or an HTTP status without a usable body.</summary>
    [Serializable]
    public class CmpayNetworkException : CmpayException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayNetworkException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>The 0.1.0 name of <see cref="CmpayNetworkTimeoutException"/>, its only subclass (so old catch blocks still match).</summary>
    [Serializable]
    [Obsolete("Catch CmpayNetworkTimeoutException")]
    public class CmpayTimeoutException : CmpayNetworkException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayTimeoutException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

#pragma warning disable 618
    /// <summary>No answer in time. An order may still have been created: query it before creating it again.</summary>
    [Serializable]
    public class CmpayNetworkTimeoutException : CmpayTimeoutException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayNetworkTimeoutException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }
#pragma warning restore 618

    /// <summary>The TLS connection to the gateway failed (CMPAY_TLS).</summary>
    [Serializable]
    public class CmpayTlsException : CmpayNetworkException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayTlsException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>
    /// The signed source of a verified notification (or of a gateway answer) has another reading,
    /// with another orderId, amount, payNo, status or type: the bytes cannot say which was meant.
    /// Rule out the other order ids that are none of the shop's (<see cref="Notification.RuleOut"/>)
    /// or have the gateway confirm it (<see cref="Client.Confirm"/>), then check it again; the
    /// message names the other readings.
    /// </summary>
    [Serializable]
    public class CmpayAmbiguousException : CmpayException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayAmbiguousException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>
    /// The gateway's answer to the order query does not confirm the notification (another status,
    /// amount or payNo): record nothing, and never answer SUCCESS.
    /// </summary>
    [Serializable]
    public class CmpayNotConfirmedException : CmpayException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayNotConfirmedException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>
    /// The request was not signed: its signature source reads as a message the gateway sends this
    /// merchant, so its hmac would forge one. Change the free-text fields (reserved1, reserved2,
    /// productName, ...) and sign again.
    /// </summary>
    [Serializable]
    public class CmpayForgeableSourceException : CmpayInvalidInputException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayForgeableSourceException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>A field or value that is not there (CMPAY_NOT_FOUND).</summary>
    [Serializable]
    public class CmpayNotFoundException : CmpayException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayNotFoundException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>A fault inside the library (CMPAY_PANIC, or a status this binding does not know).</summary>
    [Serializable]
    public class CmpayInternalException : CmpayException
    {
        /// <summary>An exception of a status, its C name, a message, and the return code and field where there are (made by the binding from a failed call).</summary>
        public CmpayInternalException(Status s, string n, string m, string rc = null, string f = null) : base(s, n, m, rc, f) { }
    }

    /// <summary>libcmpay could not be found or bound; the message lists the places looked, InnerException is the runtime's own error.</summary>
    [Serializable]
    public class CmpayLibraryNotFoundException : CmpayException
    {
        /// <summary>The library could not be found or bound, for the reason <paramref name="message"/>.</summary>
        public CmpayLibraryNotFoundException(string message) : base((Status)(-1), "", message) { }

        /// <summary>The library could not be found or bound; <paramref name="inner"/> is the runtime's own error.</summary>
        public CmpayLibraryNotFoundException(string message, Exception inner) : base((Status)(-1), "", message, inner) { }
    }

    internal static class Errors
    {
        /// <summary>The one place a status becomes an exception (or nothing, for Ok).</summary>
        internal static void Check(int status)
        {
            if (status == 0) return;
            throw FromLastError(status);
        }

        // Reads the thread-local last error right away (it lives until the next
        // cmpay_ call on this thread) and copies it.
        internal static CmpayException FromLastError(int code)
        {
            string message = Utf8.FromStatic(Native.cmpay_last_error());
            string returnCode = Utf8.FromStatic(Native.cmpay_last_error_return_code());
            string field = Utf8.FromStatic(Native.cmpay_last_error_field());
            string name = Utf8.FromStatic(Native.cmpay_status_name(code));
            return Make((Status)code, name, message.Length > 0 ? message : name, returnCode, field);
        }

        internal static CmpayException Make(Status s, string name, string message, string returnCode = null, string field = null)
        {
            switch (s)
            {
                case Status.InvalidArgument:
                case Status.NullPointer:
                case Status.InvalidUtf8:
                case Status.BufferTooSmall: return new CmpayInvalidInputException(s, name, message, returnCode, field);
                case Status.FieldInvalid: return new CmpayFieldException(s, name, message, returnCode, field);
                case Status.Key: return new CmpayInvalidKeyException(s, name, message, returnCode, field);
                case Status.SignatureMismatch: return new CmpaySignatureException(s, name, message, returnCode, field);
                case Status.Parse: return new CmpayParseException(s, name, message, returnCode, field);
                case Status.Gateway: return new CmpayGatewayException(s, name, message, returnCode, field);
                case Status.Transport: return new CmpayNetworkException(s, name, message, returnCode, field);
                case Status.Timeout: return new CmpayNetworkTimeoutException(s, name, message, returnCode, field);
                case Status.Tls: return new CmpayTlsException(s, name, message, returnCode, field);
                case Status.Ambiguous: return new CmpayAmbiguousException(s, name, message, returnCode, field);
                case Status.NotConfirmed: return new CmpayNotConfirmedException(s, name, message, returnCode, field);
                case Status.ForgeableSource: return new CmpayForgeableSourceException(s, name, message, returnCode, field);
                case Status.NotFound: return new CmpayNotFoundException(s, name, message, returnCode, field);
                case Status.Panic:
                default: return new CmpayInternalException(s, name, message, returnCode, field);
            }
        }

        /// <summary>An error found by the wrapper before calling the library (e.g. a NUL inside a string).</summary>
        internal static CmpayException Input(Status s, string message)
        {
            return Make(s, s == Status.InvalidUtf8 ? "CMPAY_INVALID_UTF8" : "CMPAY_INVALID_ARGUMENT", message);
        }
    }
}
