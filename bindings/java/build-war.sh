#!/usr/bin/env bash
# Packs the notify endpoint and the return page (NotifyEndpoint, ReturnPage,
# JdbcShopOrders, the servlets, notify.jsp, return.jsp, web.xml), one WAR per
# servlet API:
#   build/cmpay-notify.war          javax.servlet (Jetty 9, Tomcat 9):
#                                   examples/webapp, io.cmpay.examples.NotifyServlet,
#                                   with the binding, JNA and the JDBC drivers
#                                   (SQLite, PostgreSQL) inside
#   build/cmpay-notify-jakarta.war  jakarta.servlet (Tomcat 10.1):
#                                   examples/webapp with examples/webapp-jakarta
#                                   over it, io.cmpay.examples.jakarta.NotifyServlet;
#                                   the jars not inside but in
#   build/tomcat-lib/               cmpay.jar (the binding), jna.jar and the JDBC
#                                   drivers, for the instance's $CATALINA_BASE/lib:
#                                   a native library (JNA's, SQLite's) binds to the
#                                   class loader that loads it first, so inside a
#                                   WAR it works for that WAR's first deployment
#                                   only, and a redeploy in the running container
#                                   fails (Tomcat's own advice for JDBC drivers too)
# Runs build.sh first. Jars from Debian (libjna-java, libxerial-sqlite-jdbc-java,
# libpostgresql-jdbc-java); a Maven shop lists them as dependencies instead.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
JARS=(/usr/share/java/jna.jar /usr/share/java/sqlite-jdbc.jar /usr/share/java/postgresql.jar)
# war NAME SERVLET_CLASSES JARS(inside|outside) WEBAPP_DIR...
war() {
  local name=$1 classes=$2 jars=$3
  shift 3
  rm -rf "build/war-$name" "build/$name.war"
  mkdir -p "build/war-$name/WEB-INF/classes"
  for dir in "$@"; do cp -r "$dir/." "build/war-$name/"; done
  cp -r build/example-classes/. "$classes/." "build/war-$name/WEB-INF/classes/"
  if [ "$jars" = inside ]; then
    cp -r build/classes/. "build/war-$name/WEB-INF/classes/"
    mkdir -p "build/war-$name/WEB-INF/lib"
    cp "${JARS[@]}" "build/war-$name/WEB-INF/lib/"
  fi
  (cd "build/war-$name" && jar cf "../$name.war" .)
  echo "build/$name.war"
}
rm -rf build/war  # the single WAR's directory of earlier versions
war cmpay-notify build/javax-classes inside examples/webapp
war cmpay-notify-jakarta build/jakarta-classes outside examples/webapp examples/webapp-jakarta
rm -rf build/tomcat-lib
mkdir -p build/tomcat-lib
(cd build/classes && jar cf ../tomcat-lib/cmpay.jar .)
cp "${JARS[@]}" build/tomcat-lib/
echo "build/tomcat-lib/"
