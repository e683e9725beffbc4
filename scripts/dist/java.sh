#!/usr/bin/env bash
# dist/cmpay-VERSION.jar (+ -sources.jar, -javadoc.jar, cmpay-VERSION.pom):
# `mvn -B -Pdist package` with the glibc-2.17 libcmpay.so at linux-x86-64/
# inside the jar, where JNA finds it on the classpath with no setting. JNA
# (net.java.dev.jna:jna, version in pom.xml) comes from Maven Central as a
# dependency; the jar does not bundle it.
source "$(dirname "$0")/common.sh"
pom_version="$(python3 -c 'import sys,xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).find("{http://maven.apache.org/POM/4.0.0}version").text)' bindings/java/pom.xml)"
[ "$pom_version" = "$VERSION" ] || { echo "bindings/java/pom.xml has version $pom_version, Cargo.toml $VERSION" >&2; exit 1; }
(cd bindings/java && mvn -B -q -ntp -Pdist -DskipTests -Dcmpay.native.dir="$RELDIR" clean package)
for f in "cmpay-$VERSION.jar" "cmpay-$VERSION-sources.jar" "cmpay-$VERSION-javadoc.jar"; do
  cp "bindings/java/target/$f" "$DIST/"
done
cp bindings/java/pom.xml "$DIST/cmpay-$VERSION.pom"
python3 -c 'import sys,zipfile; n=zipfile.ZipFile(sys.argv[1]).namelist(); assert "linux-x86-64/libcmpay.so" in n, n' "$DIST/cmpay-$VERSION.jar"
echo "wrote cmpay-$VERSION.jar (linux-x86-64/libcmpay.so inside), -sources.jar, -javadoc.jar, .pom"
