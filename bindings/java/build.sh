#!/usr/bin/env bash
# Builds the Java binding with javac into build/ (Maven shops: pom.xml):
# build/classes (the library, Java 8 bytecode), build/example-classes (the
# notify servlet), build/test-classes (JUnit 5) and build/bench-classes.
set -euo pipefail
cd "$(dirname "$0")"
JNA=/usr/share/java/jna.jar
SERVLET=/usr/share/java/servlet-api.jar
JUNIT=/usr/share/java/junit-platform-console-standalone.jar
JAVAC="javac --release 8 -encoding UTF-8 -Xlint:all,-options -Werror"
rm -rf build/classes build/example-classes build/test-classes build/bench-classes
mkdir -p build/classes build/example-classes build/test-classes build/bench-classes
$JAVAC -cp "$JNA" -d build/classes $(find src/main/java -name '*.java')
$JAVAC -cp "$JNA:$SERVLET:build/classes" -d build/example-classes $(find examples -name '*.java')
javac --release 11 -encoding UTF-8 -cp "$JNA:$SERVLET:$JUNIT:build/classes:build/example-classes" \
  -d build/test-classes $(find src/test/java -name '*.java')
$JAVAC -cp "$JNA:build/classes" -d build/bench-classes $(find bench -name '*.java')
