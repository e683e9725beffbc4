#!/usr/bin/env bash
# dist/cmpay-VERSION.jar (+ -sources.jar, -javadoc.jar, cmpay-VERSION.pom) and
# cmpay-spring-boot-starter-VERSION.jar (+ .pom):
# `mvn -B -Pdist package` with every platform's library inside the jar at
# JNA's resource path (scripts/dist/common.sh: linux-x86-64/ and
# linux-aarch64/libcmpay.so, win32-x86-64/ and win32-x86/cmpay.dll), where JNA
# finds the one for the running JVM with no setting. JNA (net.java.dev.jna:jna,
# version in pom.xml) comes from Maven Central as a dependency; the jar does not
# bundle it. The .pom is the release pom (scripts/dist/release_pom.py), checked
# against Maven Central's requirements (scripts/dist/check_central_pom.py).
# The examples the README cites are inside the jar at the README's paths
# (examples/...). The starter is built on the jar just installed into the
# local Maven repository; its .pom is its build pom (it imports Spring Boot's
# BOM, which the release pom's rules would drop).
source "$(dirname "$0")/common.sh"
pom_version="$(python3 -c 'import sys,xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).find("{http://maven.apache.org/POM/4.0.0}version").text)' bindings/java/pom.xml)"
[ "$pom_version" = "$VERSION" ] || { echo "bindings/java/pom.xml has version $pom_version, Cargo.toml $VERSION" >&2; exit 1; }
require_natives
same_repository bindings/java/pom.xml
mkdir -p "$DIST"
(cd bindings/java && mvn -B -q -ntp -Pdist -DskipTests -Dcmpay.native.dir="$RELDIR" -Dcmpay.cross.dir="$CROSS" clean install)
python3 scripts/dist/add_examples.py "bindings/java/target/cmpay-$VERSION.jar" bindings/java examples
for f in "cmpay-$VERSION.jar" "cmpay-$VERSION-sources.jar" "cmpay-$VERSION-javadoc.jar"; do
  cp "bindings/java/target/$f" "$DIST/"
done
python3 scripts/dist/release_pom.py bindings/java/pom.xml "$DIST/cmpay-$VERSION.pom"
python3 scripts/dist/check_central_pom.py "$DIST/cmpay-$VERSION.pom" "$DIST/cmpay-$VERSION.jar"
# Maven skips a missing resource directory silently: every platform's file must be in.
expected=()
while read -r platform dir file tag rid jna; do expected+=("$jna/$file"); done < <(platforms)
python3 - "$DIST/cmpay-$VERSION.jar" "${expected[@]}" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
missing = [n for n in sys.argv[2:] if n not in names]
assert not missing, "%s lacks %s" % (sys.argv[1], missing)
manifest = z.read("META-INF/MANIFEST.MF").decode()
assert "Built-By" not in manifest, manifest
assert "Automatic-Module-Name: io.cmpay" in manifest, manifest
PY
starter=bindings/java/spring-boot-starter
starter_version="$(python3 -c 'import sys,xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).find("{http://maven.apache.org/POM/4.0.0}version").text)' "$starter/pom.xml")"
[ "$starter_version" = "$VERSION" ] || { echo "$starter/pom.xml has version $starter_version, Cargo.toml $VERSION" >&2; exit 1; }
(cd "$starter" && mvn -B -q -ntp -DskipTests clean package)
python3 scripts/dist/add_examples.py "$starter/target/cmpay-spring-boot-starter-$VERSION.jar" "$starter" example
cp "$starter/target/cmpay-spring-boot-starter-$VERSION.jar" "$DIST/"
cp "$starter/pom.xml" "$DIST/cmpay-spring-boot-starter-$VERSION.pom"
echo "wrote cmpay-$VERSION.jar (${expected[*]}, examples/), -sources.jar, -javadoc.jar, the release .pom;"
echo "  cmpay-spring-boot-starter-$VERSION.jar (example/ inside), .pom"
