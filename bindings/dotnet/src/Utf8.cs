using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Cmpay
{
    /// <summary>
    /// UTF-8 both ways, explicitly: never the ANSI code page (PtrToStringAnsi
    /// is the system code page on Windows), never a lossy replacement.
    /// </summary>
    internal static class Utf8
    {
        private static readonly UTF8Encoding Strict = new UTF8Encoding(false, true);

        /// <summary>A NUL-terminated UTF-8 copy of <paramref name="s"/>; null is an ArgumentNullException.</summary>
        internal static byte[] Z(string s, string what)
        {
            if (s == null) throw new ArgumentNullException(what);
            if (s.IndexOf('\0') >= 0)
                throw Errors.Input(Status.InvalidArgument, what + " contains a NUL character");
            byte[] bytes = Bytes(s, what);
            byte[] z = new byte[bytes.Length + 1];
            Buffer.BlockCopy(bytes, 0, z, 0, bytes.Length);
            return z;
        }

        /// <summary>The argument itself; null is an ArgumentNullException naming it.</summary>
        internal static T NotNull<T>(T value, string what) where T : class
        {
            if (value == null) throw new ArgumentNullException(what);
            return value;
        }

        /// <summary>UTF-8 bytes; a lone surrogate is refused, not replaced.</summary>
        internal static byte[] Bytes(string s, string what)
        {
            try
            {
                return Strict.GetBytes(s);
            }
            catch (EncoderFallbackException)
            {
                throw Errors.Input(Status.InvalidUtf8, what + " is not valid UTF-16 text (a lone surrogate)");
            }
        }

        /// <summary>Copies a library-owned static or thread-local string (never freed).</summary>
        internal static string FromStatic(IntPtr p)
        {
            return p == IntPtr.Zero ? "" : Decode(p);
        }

        /// <summary>Copies a string the library returned through char** and frees it with cmpay_string_free.</summary>
        internal static string Take(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            try
            {
                return Decode(p);
            }
            finally
            {
                Native.cmpay_string_free(p);
            }
        }

        /// <summary>Takes several out-strings at once; every one is freed even if one fails to decode.</summary>
        internal static string[] TakeAll(params IntPtr[] ps)
        {
            var result = new string[ps.Length];
            Exception first = null;
            for (int i = 0; i < ps.Length; i++)
            {
                try { result[i] = Take(ps[i]); }
                catch (Exception e) { if (first == null) first = e; }
            }
            if (first != null) throw first;
            return result;
        }

        /// <summary>The first <paramref name="n"/> bytes as text, decoded strictly.</summary>
        internal static string Text(byte[] b, int n)
        {
            try
            {
                return Strict.GetString(b, 0, n);
            }
            catch (DecoderFallbackException)
            {
                throw Errors.Input(Status.Parse, "the library's fields are not valid UTF-8");
            }
        }

        private static unsafe string Decode(IntPtr p)
        {
            byte* b = (byte*)p;
            int n = 0;
            while (b[n] != 0) n++;
            return Strict.GetString(b, n);
        }
    }

    /// <summary>
    /// The one carrier of field lists at the C ABI, both ways: NUL pairs
    /// "name\0value\0name\0value\0" (every name and value followed by one
    /// NUL, so an empty last value survives), UTF-8 with no escaping.
    /// Marshalling only; what the fields mean is the library's business.
    /// </summary>
    internal static class Pairs
    {
        /// <summary>Parameters as NUL pairs; a NUL inside a name or value cannot cross: refused, never cut.</summary>
        internal static byte[] Encode(IEnumerable<KeyValuePair<string, string>> pairs)
        {
            if (pairs == null) throw new ArgumentNullException("parameters");
            var sb = new StringBuilder(1024);
            foreach (var kv in pairs)
            {
                if (kv.Key == null) throw Errors.Input(Status.InvalidArgument, "a parameter name is null");
                string value = kv.Value ?? "";
                if (kv.Key.IndexOf('\0') >= 0 || value.IndexOf('\0') >= 0)
                    throw Errors.Input(Status.InvalidArgument, "parameter " + kv.Key.Replace("\0", "\\0") + " holds a NUL character, which no field may hold");
                sb.Append(kv.Key).Append('\0').Append(value).Append('\0');
            }
            return Utf8.Bytes(sb.ToString(), "parameters");
        }

        /// <summary>
        /// Parameters whose values may also be integers (amount, period...): each crosses as its
        /// invariant decimal text. Fractions and other types are refused: amounts are whole fen.
        /// </summary>
        internal static byte[] Encode(IEnumerable<KeyValuePair<string, object>> pairs)
        {
            if (pairs == null) throw new ArgumentNullException("parameters");
            var text = new List<KeyValuePair<string, string>>();
            foreach (var kv in pairs) text.Add(new KeyValuePair<string, string>(kv.Key, Text(kv.Value, kv.Key)));
            return Encode(text);
        }

        private static string Text(object value, string name)
        {
            if (value == null) return null;
            string s = value as string;
            if (s != null) return s;
            if (value is int || value is long || value is uint || value is ulong || value is short || value is ushort
                || value is byte || value is sbyte)
            {
                return ((IFormattable)value).ToString(null, System.Globalization.CultureInfo.InvariantCulture);
            }
            throw Errors.Input(Status.InvalidArgument, "parameter " + name + " must be a string or an integer, not " + value.GetType().Name);
        }

        /// <summary>The library's NUL pairs in the first <paramref name="total"/> bytes of <paramref name="b"/>, in order (enumerates in the order received).</summary>
        internal static Dictionary<string, string> Decode(byte[] b, int total)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            string[] parts = Utf8.Text(b, total).Split('\0');
            for (int i = 0; i + 1 < parts.Length; i += 2) result[parts[i]] = parts[i + 1];
            return result;
        }

        /// <summary>A cmpay_*_fields_into call on one handle.</summary>
        internal delegate int Into(byte[] buf, UIntPtr bufLen, out UIntPtr needed);

        /// <summary>Every field of a handle through its cmpay_*_fields_into: one crossing, two when the first buffer is too small.</summary>
        internal static Dictionary<string, string> Read(Into into)
        {
            byte[] buf = new byte[1024];
            for (int attempt = 0; ; attempt++)
            {
                UIntPtr needed;
                int st = into(buf, (UIntPtr)buf.Length, out needed);
                ulong want = needed.ToUInt64();
                if (st == (int)Status.BufferTooSmall && attempt == 0 && want > (ulong)buf.Length && want <= int.MaxValue)
                {
                    buf = new byte[(int)want];
                    continue;
                }
                Errors.Check(st);
                return Decode(buf, (int)want);
            }
        }
    }
}
