"""What the Java example's tests share, whatever the servlet container: the
shop's store (SQLite or PostgreSQL, with its JDBC URL) and notify.jsp as an
endpoint of the same deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Tuple

import pytest

from servers import REPO
from shop import Store, shop_env

# The Java example creates its tables itself (JdbcShopOrders); the test's Store
# creates the same ones, so that it can add orders before the server starts.
CREATE = ["php", "-r", "require $argv[1]; cmpay_db();", str(REPO / "bindings" / "php" / "examples" / "shop.php")]


def java_store(request: pytest.FixtureRequest, kind: str, data: Path, name: str) -> Tuple[Store, str]:
    """A fresh store of ``kind`` ("sqlite" in ``data``, or "pgsql": database
    ``name`` on the session's PostgreSQL) and the JDBC URL the example uses."""
    if kind == "pgsql":
        pg = request.getfixturevalue("postgres")
        db = pg.database(name)
        return (Store(shop_env(CMPAY_DB_DSN=pg.pdo_dsn(db)), CREATE, pg=pg, dbname=db),
                "jdbc:postgresql://127.0.0.1:%d/%s?user=%s" % (pg.port, db, pg.user))
    path = data / "shop.sqlite3"
    return Store(shop_env(CMPAY_DB_DSN="sqlite:%s" % path), CREATE, sqlite=path), "jdbc:sqlite:%s" % path


class Jsp:
    """The same deployment, with notify.jsp as both notifyUrl and callbackUrl."""

    def __init__(self, server: Any) -> None:
        self.server, self.url = server, server.url
        self.notify_path = self.return_path = "notify.jsp"

    def logs(self) -> str:
        return self.server.logs()
