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

        private static unsafe string Decode(IntPtr p)
        {
            byte* b = (byte*)p;
            int n = 0;
            while (b[n] != 0) n++;
            return Strict.GetString(b, n);
        }
    }

    /// <summary>
    /// The bulk-parameter carrier of the C ABI: NUL-separated pairs
    /// "name\0value\0name\0value\0" (every name and value followed by one
    /// NUL, so an empty last value survives), UTF-8 with no escaping, which the library
    /// recognises by the NUL byte. Only when a name or value itself holds a NUL
    /// do they cross as a UTF-8 form body "name=value&amp;name=value",
    /// percent-encoded, which the library also takes. Marshalling only; what
    /// the fields mean is the library's business.
    /// </summary>
    internal static class Form
    {
        private const string Hex = "0123456789ABCDEF";

        internal static byte[] Encode(IEnumerable<KeyValuePair<string, string>> pairs)
        {
            if (pairs == null) throw new ArgumentNullException("parameters");
            var parts = new List<byte[]>();
            int length = 0;
            bool nul = false;
            foreach (var kv in pairs)
            {
                if (kv.Key == null) throw Errors.Input(Status.InvalidArgument, "a parameter name is null");
                string value = kv.Value ?? "";
                byte[] name = Utf8.Bytes(kv.Key, "parameter name");
                byte[] bytes = Utf8.Bytes(value, "parameter " + kv.Key);
                nul = nul || kv.Key.IndexOf('\0') >= 0 || value.IndexOf('\0') >= 0;
                parts.Add(name);
                parts.Add(bytes);
                length += name.Length + bytes.Length + 2;
            }
            if (parts.Count == 0) return new byte[0];
            if (nul) return Escaped(parts);
            // name\0value\0...\0: the terminators are the zeroes the new array starts with.
            byte[] body = new byte[length];
            int at = 0;
            foreach (byte[] part in parts)
            {
                Buffer.BlockCopy(part, 0, body, at, part.Length);
                at += part.Length + 1;
            }
            return body;
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

        /// <summary>The form body fallback, for a name or value holding a NUL (it crosses as %00).</summary>
        private static byte[] Escaped(List<byte[]> parts)
        {
            var sb = new StringBuilder(256);
            for (int i = 0; i < parts.Count; i += 2)
            {
                if (i > 0) sb.Append('&');
                Escape(sb, parts[i]);
                sb.Append('=');
                Escape(sb, parts[i + 1]);
            }
            return Encoding.ASCII.GetBytes(sb.ToString());
        }

        private static void Escape(StringBuilder sb, byte[] utf8)
        {
            foreach (byte b in utf8)
            {
                if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '.' || b == '_' || b == '*')
                {
                    sb.Append((char)b);
                }
                else
                {
                    sb.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 15]);
                }
            }
        }

        /// <summary>Reads the library's "fields" form body back ('+' is a space; %XX are UTF-8 bytes).</summary>
        internal static Dictionary<string, string> Decode(string body)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (string.IsNullOrEmpty(body)) return result;
            foreach (string pair in body.Split('&'))
            {
                int eq = pair.IndexOf('=');
                string name = eq < 0 ? pair : pair.Substring(0, eq);
                string value = eq < 0 ? "" : pair.Substring(eq + 1);
                result[Unescape(name)] = Unescape(value);
            }
            return result;
        }

        private static string Unescape(string s)
        {
            return Uri.UnescapeDataString(s.Replace('+', ' '));
        }
    }
}
