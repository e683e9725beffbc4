using System;
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using Cmpay.Examples;
using NUnit.Framework;

namespace Cmpay.Tests
{
    /// <summary>
    /// The example stores record a payment once per payNo and pay an order once (docs/resplit.md: a second
    /// payNo for a paid order, as a re-split reading would give, records nothing).
    /// </summary>
    [TestFixture]
    public class ShopOrdersTests
    {
        private string _dir;

        [SetUp]
        public void MakeDir()
        {
            _dir = Path.Combine(Path.GetTempPath(), "cmpay-shop-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveDir() { Directory.Delete(_dir, true); }

        private static List<string> Rows(DbProviderFactory f, string cs, string sql)
        {
            var rows = new List<string>();
            using (DbConnection c = f.CreateConnection())
            {
                c.ConnectionString = cs;
                c.Open();
                using (DbCommand cmd = c.CreateCommand())
                {
                    cmd.CommandText = sql;
                    using (DbDataReader r = cmd.ExecuteReader())
                    {
                        while (r.Read())
                        {
                            var cells = new List<string>();
                            for (int i = 0; i < r.FieldCount; i++) cells.Add(r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i)));
                            rows.Add(string.Join(" ", cells));
                        }
                    }
                }
            }
            return rows;
        }

        [Test]
        public void AdoOnSqlitePaysAnOrderOnce()
        {
            string cs = "Data Source=" + Path.Combine(_dir, "shop.sqlite3");
            var store = new AdoShopOrders(cs, "Mono.Data.Sqlite"); // makes the tables
            DbProviderFactory f = DbProviderFactories.GetFactory("Mono.Data.Sqlite");
            Rows(f, cs, "INSERT INTO orders (order_id, amount_fen) VALUES ('ORD1', 500), ('ORD2', 700)");
            Assert.AreEqual(500UL, store.AmountFen("ORD1"));
            Assert.IsNull(store.AmountFen("ORD"));

            Assert.IsTrue(store.RecordOnce("P1", "ORD1", 500, true, "OfflineNotify"));
            Assert.IsFalse(store.RecordOnce("P1", "ORD1", 500, true, "PageNotify"));   // a resend
            Assert.IsFalse(store.RecordOnce("P9", "ORD1", 500, true, "PageNotify"));   // another payNo, the order paid
            Assert.IsTrue(store.RecordOnce("F1", "ORD2", 700, false, "OfflineNotify")); // failed: the order stays new
            Assert.IsFalse(store.RecordOnce("F1", "ORD2", 700, false, "PageNotify"));
            Assert.IsTrue(store.RecordOnce("P2", "ORD2", 700, true, "OfflineNotify"));  // then paid

            CollectionAssert.AreEqual(new[] { "F1 ORD2 failed", "P1 ORD1 paid", "P2 ORD2 paid" },
                Rows(f, cs, "SELECT pay_no, order_id, status FROM payments ORDER BY pay_no"));
            CollectionAssert.AreEqual(new[] { "ORD1 paid P1", "ORD2 paid P2" },
                Rows(f, cs, "SELECT order_id, status, pay_no FROM orders ORDER BY order_id"));
        }

        [Test]
        public void MemoryPaysAnOrderOnce()
        {
            var store = new MemoryShopOrders();
            store.Orders["ORD1"] = 500;
            Assert.IsTrue(store.RecordOnce("P1", "ORD1", 500, true, "OfflineNotify"));
            Assert.IsFalse(store.RecordOnce("P1", "ORD1", 500, true, "PageNotify"));
            Assert.IsFalse(store.RecordOnce("P9", "ORD1", 500, true, "PageNotify"));
            Assert.AreEqual("P1", store.PaidBy["ORD1"]);
            CollectionAssert.AreEquivalent(new[] { "P1" }, store.Payments.Keys);
        }
    }
}
