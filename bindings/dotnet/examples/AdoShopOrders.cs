// The shop's orders and payments in a database through ADO.NET's provider-
// neutral classes (DbProviderFactory, DbConnection, DbCommand, DbParameter);
// web.config's connection string CmpayShopDb names the provider:
//   Mono.Data.Sqlite   SQLite, the embedded default ("Data Source=/var/lib/shop/shop.sqlite3";
//                      on .NET Framework: System.Data.SQLite, the same API)
//   System.Data.Odbc   PostgreSQL, the store several web servers share, through
//                      ODBC and the PostgreSQL ODBC driver (Debian: odbc-postgresql
//                      + unixodbc), "Driver={PostgreSQL Unicode};Server=db;Port=5432;
//                      Database=shop;Uid=shop;Pwd=..." or "DSN=shop" (deploy/odbc.ini)
// payNo is the primary key, a paid order is marked paid only while it is not
// paid yet, and the order's update and the payment's insert are one
// transaction, so a payment is recorded once, and an order paid once, whichever
// notification, thread or server comes first. The same tables (positional ?
// parameters) as the PHP, Python and Java examples.
using System;
using System.Data;
using System.Data.Common;

namespace Cmpay.Examples
{
    public sealed class AdoShopOrders : IShopOrders
    {
        /// <summary>The provider when the connection string names none.</summary>
        public const string DefaultProvider = "Mono.Data.Sqlite";

        private static readonly string[] Schema =
        {
            "CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, amount_fen BIGINT NOT NULL," +
                " status TEXT NOT NULL DEFAULT 'new', pay_no TEXT)",
            "CREATE TABLE IF NOT EXISTS payments (pay_no TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount_fen BIGINT NOT NULL," +
                " status TEXT NOT NULL, first_seen_via TEXT NOT NULL, recorded_at BIGINT NOT NULL)",
        };

        private readonly DbProviderFactory _factory;
        private readonly string _connectionString;
        private readonly bool _sqlite;

        /// <summary>A store through the ADO.NET provider with invariant name <paramref name="provider"/>
        /// (registered in machine.config: Mono.Data.Sqlite, System.Data.Odbc, ...); creates the tables.</summary>
        public AdoShopOrders(string connectionString, string provider = DefaultProvider)
        {
            if (string.IsNullOrEmpty(provider)) provider = DefaultProvider;
            _factory = DbProviderFactories.GetFactory(provider);
            _connectionString = connectionString;
            _sqlite = provider == "Mono.Data.Sqlite" || provider == "System.Data.SQLite";
            using (DbConnection c = Open())
            {
                foreach (string sql in Schema) Execute(c, null, sql);
            }
        }

        private DbConnection Open()
        {
            DbConnection c = _factory.CreateConnection();
            try
            {
                c.ConnectionString = _connectionString;
                c.Open();
                // SQLite: wait for another thread's or process's write (a server database waits by itself).
                if (_sqlite) Execute(c, null, "PRAGMA busy_timeout = 10000");
                return c;
            }
            catch
            {
                c.Dispose();
                throw;
            }
        }

        private static int Execute(DbConnection c, DbTransaction tx, string sql, params object[] args)
        {
            using (DbCommand cmd = Command(c, tx, sql, args)) return cmd.ExecuteNonQuery();
        }

        private static DbCommand Command(DbConnection c, DbTransaction tx, string sql, object[] args)
        {
            DbCommand cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            foreach (object a in args)
            {
                DbParameter p = cmd.CreateParameter(); // positional: the ?s in order (ODBC has no named ones)
                p.Value = a;
                cmd.Parameters.Add(p);
            }
            return cmd;
        }

        public ulong? AmountFen(string orderId)
        {
            using (DbConnection c = Open())
            using (DbCommand cmd = Command(c, null, "SELECT amount_fen FROM orders WHERE order_id = ?", new object[] { orderId }))
            {
                object v = cmd.ExecuteScalar();
                return v == null || v is DBNull ? (ulong?)null : Convert.ToUInt64(v);
            }
        }

        public bool RecordOnce(string payNo, string orderId, ulong amountFen, bool paid, string via)
        {
            using (DbConnection c = Open())
            using (DbTransaction tx = c.BeginTransaction())
            {
                bool first;
                if (paid)
                {
                    // The order's state first: it is paid once. The first statement writes, so SQLite takes
                    // its write lock at once; on PostgreSQL a concurrent update of the same order waits for
                    // this transaction, then finds the order paid and changes nothing.
                    first = Execute(c, tx, "UPDATE orders SET status = 'paid', pay_no = ? WHERE order_id = ? AND status <> 'paid'",
                        payNo, orderId) == 1;
                    if (first) Insert(c, tx, payNo, orderId, amountFen, "paid", via);
                    else WarnIfPaidByAnother(c, tx, payNo, orderId);
                }
                else
                {
                    // A failed payment: recorded once per payNo; the order stays as it is.
                    first = Insert(c, tx, payNo, orderId, amountFen, "failed", via);
                }
                tx.Commit(); // disposed without Commit on an exception: rolled back
                return first;
            }
        }

        private static bool Insert(DbConnection c, DbTransaction tx, string payNo, string orderId, ulong amountFen, string status, string via)
        {
            return Execute(c, tx,
                "INSERT INTO payments (pay_no, order_id, amount_fen, status, first_seen_via, recorded_at)" +
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pay_no) DO NOTHING",
                payNo, orderId, (long)amountFen, status, via, DateTimeOffset.UtcNow.ToUnixTimeSeconds()) == 1;
        }

        // A paid notification for an order that another payNo paid: not recorded (an order is paid
        // once), but worth a look: the gateway has one payment per order.
        private static void WarnIfPaidByAnother(DbConnection c, DbTransaction tx, string payNo, string orderId)
        {
            using (DbCommand cmd = Command(c, tx, "SELECT pay_no FROM orders WHERE order_id = ?", new object[] { orderId }))
            {
                object by = cmd.ExecuteScalar();
                if (by != null && !(by is DBNull) && Convert.ToString(by) != payNo)
                    System.Diagnostics.Trace.TraceWarning("cmpay: order {0} is paid by payNo {1}; payNo {2} not recorded", orderId, by, payNo);
            }
        }
    }
}
