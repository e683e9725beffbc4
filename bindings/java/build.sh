#!/usr/bin/env bash
# Builds the Java binding with javac into build/ (Maven shops: pom.xml):
# build/classes (the library, Java 8 bytecode; io.cmpay.testing compiles against JUnit 5's API), build/example-classes (the
# notify endpoint and return page without a servlet API), build/javax-classes and
# build/jakarta-classes (their servlets for each API; jakarta's is Java 11, as
# Tomcat 10.1's API jar), build/test-classes (JUnit 5) and build/bench-classes
# (Bench, NotifyCost, and the servlets of the throughput benchmark: the repository's
# bench/java, bench/java/build-war.sh).
set -euo pipefail
cd "$(dirname "$0")"
JNA=/usr/share/java/jna.jar
SERVLET=/usr/share/java/servlet-api.jar
JAKARTA_SERVLET=/usr/share/java/tomcat10-servlet-api.jar  # Servlet 6.0, libtomcat10-java
JUNIT=/usr/share/java/junit-platform-console-standalone.jar
JAVAC="javac --release 8 -encoding UTF-8 -Xlint:all,-options -Werror"
rm -rf build/classes build/example-classes build/javax-classes build/jakarta-classes build/test-classes build/bench-classes
mkdir -p build/classes build/example-classes build/javax-classes build/jakarta-classes build/test-classes build/bench-classes
$JAVAC -cp "$JNA:$JUNIT" -d build/classes $(find src/main/java -name '*.java')
$JAVAC -cp "$JNA:build/classes" -d build/example-classes $(find examples -name '*.java' -not -path '*/jakarta/*' -not -name '*Servlet.java')
$JAVAC -cp "$JNA:$SERVLET:build/classes:build/example-classes" -d build/javax-classes \
  examples/io/cmpay/examples/NotifyServlet.java examples/io/cmpay/examples/ReturnServlet.java
javac --release 11 -encoding UTF-8 -Xlint:all -Werror -cp "$JNA:$JAKARTA_SERVLET:build/classes:build/example-classes" \
  -d build/jakarta-classes $(find examples -path '*/jakarta/*.java')
javac --release 11 -encoding UTF-8 -cp "$JNA:$SERVLET:$JUNIT:build/classes:build/example-classes:build/javax-classes" \
  -d build/test-classes $(find src/test/java -name '*.java')
$JAVAC -cp "$JNA:$SERVLET:build/classes:build/example-classes:build/javax-classes" -d build/bench-classes $(find ../../bench/java -name '*.java')
