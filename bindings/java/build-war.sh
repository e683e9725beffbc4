#!/usr/bin/env bash
# Packs the notify endpoint (examples/webapp: web.xml, notify.jsp; the
# NotifyServlet and JdbcShopOrders classes) with the binding, JNA and the
# JDBC drivers (SQLite, PostgreSQL) into build/cmpay-notify.war, for any
# javax.servlet container (Jetty 9, Tomcat 9). Runs build.sh first.
# Jars from Debian (libjna-java, libxerial-sqlite-jdbc-java,
# libpostgresql-jdbc-java); a Maven shop lists them as dependencies instead.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
rm -rf build/war build/cmpay-notify.war
mkdir -p build/war/WEB-INF/classes build/war/WEB-INF/lib
cp -r examples/webapp/. build/war/
cp -r build/classes/. build/example-classes/. build/war/WEB-INF/classes/
cp /usr/share/java/jna.jar /usr/share/java/sqlite-jdbc.jar /usr/share/java/postgresql.jar build/war/WEB-INF/lib/
(cd build/war && jar cf ../cmpay-notify.war .)
echo "build/cmpay-notify.war"
