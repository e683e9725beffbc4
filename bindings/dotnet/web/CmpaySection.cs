// Cmpay.Web: the library in an ASP.NET site on .NET Framework (or Mono): the
// <cmpay> section of web.config and NotifyHandlerBase. A separate assembly, so
// that Cmpay.dll stays free of System.Web and System.Configuration for console
// programs, services and other hosts.
using System;
using System.Collections.Generic;
using System.Configuration;
using System.Text;
using System.Text.RegularExpressions;

namespace Cmpay.Web
{
    /// <summary>
    /// The &lt;cmpay&gt; section of web.config: the library's configuration variables under
    /// web.config's names, one rule between them (the attribute <c>signKeyFile</c> is
    /// <c>CMPAY_SIGN_KEY_FILE</c>, <c>connectTimeoutMs</c> is <c>CMPAY_CONNECT_TIMEOUT_MS</c>), read
    /// and checked by the library (<see cref="Client.FromVariables"/>): the same rules as
    /// <see cref="Client.FromEnvironment"/>. An attribute left out falls back to its environment
    /// variable. Declared as
    /// <c>&lt;section name="cmpay" type="Cmpay.Web.CmpaySection, Cmpay.Web" /&gt;</c> in
    /// &lt;configSections&gt;; an attribute that is not one of these is refused by
    /// System.Configuration, with the file and line.
    /// </summary>
    public sealed class CmpaySection : ConfigurationSection
    {
        /// <summary>The section's name in web.config, as &lt;configSections&gt; declares it.</summary>
        public const string SectionName = "cmpay";

        private static readonly Regex Words = new Regex("([a-z0-9])([A-Z])", RegexOptions.CultureInvariant);
        private static readonly Regex Variable = new Regex(@"\bCMPAY_[A-Z_]+\b", RegexOptions.CultureInvariant);

        /// <summary>The merchant's id at the gateway (CMPAY_MERCHANT_ID; required).</summary>
        [ConfigurationProperty("merchantId")]
        public string MerchantId { get { return (string)this["merchantId"]; } set { this["merchantId"] = value; } }

        /// <summary>MD5: the signKey (CMPAY_SIGN_KEY). Prefer signKeyFile: a key in a file stays out of web.config.</summary>
        [ConfigurationProperty("signKey")]
        public string SignKey { get { return (string)this["signKey"]; } set { this["signKey"] = value; } }

        /// <summary>MD5: a file holding the signKey (CMPAY_SIGN_KEY_FILE).</summary>
        [ConfigurationProperty("signKeyFile")]
        public string SignKeyFile { get { return (string)this["signKeyFile"]; } set { this["signKeyFile"] = value; } }

        /// <summary>RSA: the merchant's private key file, PEM or DER (CMPAY_RSA_PRIVATE_KEY_FILE).</summary>
        [ConfigurationProperty("rsaPrivateKeyFile")]
        public string RsaPrivateKeyFile { get { return (string)this["rsaPrivateKeyFile"]; } set { this["rsaPrivateKeyFile"] = value; } }

        /// <summary>RSA: the gateway's public key or certificate file (CMPAY_RSA_PUBLIC_KEY_FILE).</summary>
        [ConfigurationProperty("rsaPublicKeyFile")]
        public string RsaPublicKeyFile { get { return (string)this["rsaPublicKeyFile"]; } set { this["rsaPublicKeyFile"] = value; } }

        /// <summary>The gateway's URL (CMPAY_ENDPOINT; default the live gateway).</summary>
        [ConfigurationProperty("endpoint")]
        public string Endpoint { get { return (string)this["endpoint"]; } set { this["endpoint"] = value; } }

        /// <summary>The characterSet of orders that leave it out: 00 (GBK), 01 (GB2312), 02 (UTF-8) (CMPAY_CHARSET).</summary>
        [ConfigurationProperty("charset")]
        public string Charset { get { return (string)this["charset"]; } set { this["charset"] = value; } }

        /// <summary>Connect timeout, whole milliseconds, 1 to 120000 (CMPAY_CONNECT_TIMEOUT_MS).</summary>
        [ConfigurationProperty("connectTimeoutMs")]
        public string ConnectTimeoutMs { get { return (string)this["connectTimeoutMs"]; } set { this["connectTimeoutMs"] = value; } }

        /// <summary>Request timeout, whole milliseconds, 1 to 120000 (CMPAY_TIMEOUT_MS).</summary>
        [ConfigurationProperty("timeoutMs")]
        public string TimeoutMs { get { return (string)this["timeoutMs"]; } set { this["timeoutMs"] = value; } }

        /// <summary>An HTTP(S) proxy URL (CMPAY_PROXY).</summary>
        [ConfigurationProperty("proxy")]
        public string Proxy { get { return (string)this["proxy"]; } set { this["proxy"] = value; } }

        /// <summary>A PEM file of extra trusted CA certificates (CMPAY_EXTRA_CA_FILE).</summary>
        [ConfigurationProperty("extraCaFile")]
        public string ExtraCaFile { get { return (string)this["extraCaFile"]; } set { this["extraCaFile"] = value; } }

        /// <summary>true for a test gateway on plain http only (CMPAY_ALLOW_HTTP).</summary>
        [ConfigurationProperty("allowHttp")]
        public string AllowHttp { get { return (string)this["allowHttp"]; } set { this["allowHttp"] = value; } }

        /// <summary>The library variable an attribute stands for: <c>signKeyFile</c> is <c>CMPAY_SIGN_KEY_FILE</c>.</summary>
        public static string VariableName(string attribute)
        {
            if (attribute == null) throw new ArgumentNullException("attribute");
            return "CMPAY_" + Words.Replace(attribute, "$1_$2").ToUpperInvariant();
        }

        /// <summary>The attribute a library variable stands for: <c>CMPAY_SIGN_KEY_FILE</c> is <c>signKeyFile</c>.</summary>
        public static string AttributeName(string variable)
        {
            if (variable == null) throw new ArgumentNullException("variable");
            string[] words = variable.Substring(variable.StartsWith("CMPAY_", StringComparison.Ordinal) ? 6 : 0).ToLowerInvariant().Split('_');
            var sb = new StringBuilder(words[0]);
            for (int i = 1; i < words.Length; i++)
                if (words[i].Length > 0) sb.Append(char.ToUpperInvariant(words[i][0])).Append(words[i].Substring(1));
            return sb.ToString();
        }

        /// <summary>
        /// The variables the library reads: each attribute set here by its variable's name, and for each
        /// attribute left out, its environment variable when that is set (<paramref name="environment"/>:
        /// null for the process's own).
        /// </summary>
        public IDictionary<string, string> Variables(Func<string, string> environment = null)
        {
            Func<string, string> env = environment ?? Environment.GetEnvironmentVariable;
            var vars = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (ConfigurationProperty p in Properties)
            {
                if (p.Type != typeof(string)) continue; // the attributes above are all text; the library reads them
                string name = VariableName(p.Name);
                string value = (string)this[p];
                if (string.IsNullOrEmpty(value)) value = env(name);
                if (!string.IsNullOrEmpty(value)) vars[name] = value;
            }
            return vars;
        }

        /// <summary>
        /// A client from this section (see <see cref="Variables"/>), on top of <paramref name="config"/>
        /// (null: the defaults). A bad or missing value throws ConfigurationErrorsException naming the
        /// variable and its attribute ("CMPAY_ALLOW_HTTP (allowHttp) ..."); its InnerException is the
        /// library's CmpayException (its Code).
        /// </summary>
        public Client CreateClient(ClientConfig config = null)
        {
            try
            {
                return Client.FromVariables(Variables(), config);
            }
            catch (CmpayException e)
            {
                // (The file and line when the runtime knows them: .NET Framework does, Mono does not.)
                throw new ConfigurationErrorsException("<cmpay>: " + InAttributeNames(e.Message), e,
                    ElementInformation.Source, ElementInformation.LineNumber);
            }
        }

        /// <summary>The library's message with each variable it names followed by its attribute: "CMPAY_X (x)".</summary>
        public static string InAttributeNames(string message)
        {
            return Variable.Replace(message ?? "", m => m.Value + " (" + AttributeName(m.Value) + ")");
        }

        /// <summary>
        /// The &lt;cmpay&gt; section of the application's configuration (web.config), or null when it has
        /// none: then <see cref="Configured"/> reads the environment alone.
        /// </summary>
        public static CmpaySection Current
        {
            get { return ConfigurationManager.GetSection(SectionName) as CmpaySection; }
        }

        /// <summary>
        /// A client from web.config's &lt;cmpay&gt; section (its attributes, falling back to the
        /// environment), or from the environment alone when there is no such section.
        /// </summary>
        public static Client Configured(ClientConfig config = null)
        {
            CmpaySection s = Current;
            return s != null ? s.CreateClient(config) : Client.FromEnvironment(config);
        }

        /// <summary>The merchant id this configuration names: merchantId, else CMPAY_MERCHANT_ID.</summary>
        public static string ConfiguredMerchantId()
        {
            CmpaySection s = Current;
            string id;
            if (s == null || !s.Variables().TryGetValue(VariableName("merchantId"), out id))
                id = Environment.GetEnvironmentVariable(VariableName("merchantId"));
            return id;
        }
    }
}
