// bench/notification.json, the notification every benchmark parses: the
// merchant, its MD5 key, the 19 signed fields in the signing order and the
// exact body (read with System.Web.Extensions' JavaScriptSerializer).
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Web.Script.Serialization;

namespace Cmpay.Bench
{
    public sealed class Fixture
    {
        public string MerchantId { get; private set; }
        public string Md5Key { get; private set; }
        /// <summary>The signed fields, name and value, in the signing order.</summary>
        public IList<KeyValuePair<string, string>> Fields { get; private set; }
        public string Body { get; private set; }

        public static Fixture Load(string path)
        {
            var v = (Dictionary<string, object>)new JavaScriptSerializer().DeserializeObject(File.ReadAllText(path, Encoding.UTF8));
            return new Fixture
            {
                MerchantId = (string)v["merchant_id"],
                Md5Key = (string)v["md5_key"],
                Fields = ((object[])v["fields"]).Cast<object[]>()
                    .Select(p => new KeyValuePair<string, string>((string)p[0], (string)p[1])).ToList(),
                Body = (string)v["body"],
            };
        }

        /// <summary>The signed names in the signing order, comma-separated (CMPAY_NOTIFY_FIELDS).</summary>
        public string Names
        {
            get { return string.Join(",", Fields.Select(f => f.Key)); }
        }

        /// <summary>The signature source: the values joined in the signing order.</summary>
        public string Source
        {
            get { return string.Concat(Fields.Select(f => f.Value)); }
        }
    }
}
