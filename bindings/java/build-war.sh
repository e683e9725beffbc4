#!/usr/bin/env bash
# Packs the notify endpoint (NotifyEndpoint, JdbcShopOrders, a servlet,
# notify.jsp, web.xml) with the binding, JNA and the JDBC drivers (SQLite,
# PostgreSQL) into two WARs, one per servlet API:
#   build/cmpay-notify.war          javax.servlet (Jetty 9, Tomcat 9):
#                                   examples/webapp, io.cmpay.examples.NotifyServlet
#   build/cmpay-notify-jakarta.war  jakarta.servlet (Tomcat 10.1, Jetty 11+):
#                                   examples/webapp with examples/webapp-jakarta
#                                   over it, io.cmpay.examples.jakarta.NotifyServlet
# Runs build.sh first. Jars from Debian (libjna-java, libxerial-sqlite-jdbc-java,
# libpostgresql-jdbc-java); a Maven shop lists them as dependencies instead.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
# war NAME SERVLET_CLASSES WEBAPP_DIR...
war() {
  local name=$1 classes=$2
  shift 2
  rm -rf "build/war-$name" "build/$name.war"
  mkdir -p "build/war-$name/WEB-INF/classes" "build/war-$name/WEB-INF/lib"
  for dir in "$@"; do cp -r "$dir/." "build/war-$name/"; done
  cp -r build/classes/. build/example-classes/. "$classes/." "build/war-$name/WEB-INF/classes/"
  cp /usr/share/java/jna.jar /usr/share/java/sqlite-jdbc.jar /usr/share/java/postgresql.jar "build/war-$name/WEB-INF/lib/"
  (cd "build/war-$name" && jar cf "../$name.war" .)
  echo "build/$name.war"
}
rm -rf build/war  # the single WAR's directory of earlier versions
war cmpay-notify build/javax-classes examples/webapp
war cmpay-notify-jakarta build/jakarta-classes examples/webapp examples/webapp-jakarta
