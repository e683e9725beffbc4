#!/usr/bin/env bash
# The jar as a Java shop uses it: `java -cp` with dist/cmpay-VERSION.jar, JNA
# from Maven Central (pom.xml's version, resolved by Maven) and the binding's
# compiled tests, nothing else: no CMPAY_LIB, no -Djna.library.path. The
# shared vectors run (VectorsTest, LibraryTest), and the JUnit 5 extension of the
# jar's io.cmpay.testing pays orders in the in-process simulator
# (CmpaySandboxExtensionTest); JNA's load log must show
# libcmpay.so taken from linux-x86-64/ inside that jar.
# root, version, $work (removed on exit), CMPAY_LIB unset: tests/dist/installed.sh.
source "$(dirname "$0")/installed.sh"
jar="$root/dist/cmpay-$version.jar"
(cd bindings/java && mvn -B -q -ntp dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/runtime.cp" >/dev/null)
jna="$(tr ':' '\n' < "$work/runtime.cp" | grep '/jna-[0-9.]*\.jar$')"
[ -f "$jna" ] || { echo "FAIL no JNA jar in the runtime classpath: $(cat "$work/runtime.cp")" >&2; exit 1; }
[ -d bindings/java/target/test-classes/io/cmpay ] || { echo "FAIL no compiled tests (scripts/dist/java.sh builds them)" >&2; exit 1; }
(cd "$work" && CMPAY_REPO="$root" java -Djna.debug_load=true -Djna.nosys=true \
  -cp "$jar:$jna:$root/bindings/java/target/test-classes:/usr/share/java/junit-platform-console-standalone.jar" \
  org.junit.platform.console.ConsoleLauncher --disable-banner --details=summary --fail-if-no-tests \
  --select-class io.cmpay.VectorsTest --select-class io.cmpay.LibraryTest \
  --select-class io.cmpay.testing.CmpaySandboxExtensionTest) > "$work/out.txt" 2>&1 \
  || { cat "$work/out.txt" >&2; exit 1; }
grep -E "tests (successful|failed)" "$work/out.txt"
grep -q "Found library resource at jar:file:$jar!/linux-x86-64/libcmpay.so" "$work/out.txt" \
  || { grep -i "cmpay" "$work/out.txt" | head -20 >&2; echo "FAIL JNA did not load libcmpay.so from inside $jar" >&2; exit 1; }
echo "java: vectors passed with libcmpay.so from $(basename "$jar")!/linux-x86-64/ (JNA $(basename "$jna"))"
