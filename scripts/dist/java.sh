#!/usr/bin/env bash
# dist/cmpay-VERSION.jar (+ -sources.jar, -javadoc.jar, cmpay-VERSION.pom) and
# cmpay-spring-boot-starter-VERSION.jar (+ .pom):
# `mvn -B -Pdist package` with the glibc-2.17 libcmpay.so at linux-x86-64/
# inside the jar, where JNA finds it on the classpath with no setting. JNA
# (net.java.dev.jna:jna, version in pom.xml) comes from Maven Central as a
# dependency; the jar does not bundle it.
source "$(dirname "$0")/common.sh"
pom_version="$(python3 -c 'import sys,xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).find("{http://maven.apache.org/POM/4.0.0}version").text)' bindings/java/pom.xml)"
[ "$pom_version" = "$VERSION" ] || { echo "bindings/java/pom.xml has version $pom_version, Cargo.toml $VERSION" >&2; exit 1; }
(cd bindings/java && mvn -B -q -ntp -Pdist -DskipTests -Dcmpay.native.dir="$RELDIR" clean install)
# The examples the README cites, inside the jar at the README's paths (examples/...).
python3 scripts/dist/add_examples.py "bindings/java/target/cmpay-$VERSION.jar" bindings/java examples
for f in "cmpay-$VERSION.jar" "cmpay-$VERSION-sources.jar" "cmpay-$VERSION-javadoc.jar"; do
  cp "bindings/java/target/$f" "$DIST/"
done
cp bindings/java/pom.xml "$DIST/cmpay-$VERSION.pom"
python3 -c 'import sys,zipfile; n=zipfile.ZipFile(sys.argv[1]).namelist(); assert "linux-x86-64/libcmpay.so" in n, n' "$DIST/cmpay-$VERSION.jar"
# The Spring Boot starter (on the jar just installed into the local Maven repository), with its example
# application at example/ inside its jar.
starter=bindings/java/spring-boot-starter
(cd "$starter" && mvn -B -q -ntp -DskipTests clean package)
python3 scripts/dist/add_examples.py "$starter/target/cmpay-spring-boot-starter-$VERSION.jar" "$starter" example
cp "$starter/target/cmpay-spring-boot-starter-$VERSION.jar" "$DIST/"
cp "$starter/pom.xml" "$DIST/cmpay-spring-boot-starter-$VERSION.pom"
echo "wrote cmpay-$VERSION.jar (linux-x86-64/libcmpay.so and examples/ inside), -sources.jar, -javadoc.jar, .pom;"
echo "  cmpay-spring-boot-starter-$VERSION.jar (example/ inside), .pom"
