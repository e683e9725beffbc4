// The shop's orders and payments in a database through ADO.NET: SQLite with
// Mono.Data.Sqlite (on .NET Framework: System.Data.SQLite, the same API; for a
// store several servers share, the same SQL runs on PostgreSQL with Npgsql).
// payNo is the primary key and the payment's insert and the order's update are
// one transaction, so a payment is recorded once whichever notification,
// thread or server comes first. The same tables and SQL as the PHP, Python and
// Java examples.
using System;
using System.Data;
using Mono.Data.Sqlite;

namespace Cmpay.Examples
{
    public sealed class AdoShopOrders : IShopOrders
    {
        private static readonly string[] Schema =
        {
            "CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, amount_fen BIGINT NOT NULL," +
                " status TEXT NOT NULL DEFAULT 'new', pay_no TEXT)",
            "CREATE TABLE IF NOT EXISTS payments (pay_no TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount_fen BIGINT NOT NULL," +
                " status TEXT NOT NULL, first_seen_via TEXT NOT NULL, recorded_at BIGINT NOT NULL)",
        };

        private readonly string _connectionString;

        /// <summary>e.g. "Data Source=/var/lib/shop/shop.sqlite3" (web.config: CmpayShopDb).</summary>
        public AdoShopOrders(string connectionString)
        {
            _connectionString = connectionString;
            using (IDbConnection c = Open())
            {
                foreach (string sql in Schema) Execute(c, null, sql);
            }
        }

        private IDbConnection Open()
        {
            var c = new SqliteConnection(_connectionString);
            c.Open();
            Execute(c, null, "PRAGMA busy_timeout = 10000"); // wait for another thread's or process's write
            return c;
        }

        private static int Execute(IDbConnection c, IDbTransaction tx, string sql, params object[] args)
        {
            using (IDbCommand cmd = Command(c, tx, sql, args)) return cmd.ExecuteNonQuery();
        }

        private static IDbCommand Command(IDbConnection c, IDbTransaction tx, string sql, object[] args)
        {
            IDbCommand cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            for (int i = 0; i < args.Length; i++)
            {
                IDbDataParameter p = cmd.CreateParameter();
                p.ParameterName = "@p" + i;
                p.Value = args[i];
                cmd.Parameters.Add(p);
            }
            return cmd;
        }

        public ulong? AmountFen(string orderId)
        {
            using (IDbConnection c = Open())
            using (IDbCommand cmd = Command(c, null, "SELECT amount_fen FROM orders WHERE order_id = @p0", new object[] { orderId }))
            {
                object v = cmd.ExecuteScalar();
                return v == null || v is DBNull ? (ulong?)null : Convert.ToUInt64(v);
            }
        }

        public bool RecordOnce(string payNo, string orderId, ulong amountFen, bool paid, string via)
        {
            using (IDbConnection c = Open())
            using (IDbTransaction tx = c.BeginTransaction())
            {
                bool first = Execute(c, tx,
                    "INSERT INTO payments (pay_no, order_id, amount_fen, status, first_seen_via, recorded_at)" +
                    " VALUES (@p0, @p1, @p2, @p3, @p4, @p5) ON CONFLICT (pay_no) DO NOTHING",
                    payNo, orderId, (long)amountFen, paid ? "paid" : "failed", via, DateTimeOffset.UtcNow.ToUnixTimeSeconds()) == 1;
                if (first && paid)
                {
                    Execute(c, tx, "UPDATE orders SET status = 'paid', pay_no = @p0 WHERE order_id = @p1", payNo, orderId);
                }
                tx.Commit(); // disposed without Commit on an exception: rolled back
                return first;
            }
        }
    }
}
