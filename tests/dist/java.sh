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

# Maven Central's requirements on the release pom and its jars; the build pom
# (test dependencies, plugins, a profile into the checkout) must fail them.
python3 scripts/dist/check_central_pom.py "dist/cmpay-$version.pom" "$jar"
if python3 scripts/dist/check_central_pom.py bindings/java/pom.xml >/dev/null 2>&1; then
  echo "FAIL the Central check accepts the build pom bindings/java/pom.xml" >&2; exit 1
fi
# The jar's layout, as JNA chooses: for each (OS, os.arch) a shop's JVM runs,
# JNA's own resource prefix and library name (Platform, System.mapLibraryName's
# rule for that OS) name a file that is in the jar and built for that platform.
cat > "$work/JnaChoice.java" <<'JAVA'
import com.sun.jna.Platform;
import java.lang.reflect.Method;
public class JnaChoice {
    public static void main(String[] args) throws Exception {
        // JNA keeps its prefix function package-private: called by reflection.
        Method prefix = Platform.class.getDeclaredMethod("getNativeLibraryResourcePrefix", int.class, String.class, String.class);
        prefix.setAccessible(true);
        Object[][] cases = {{Platform.LINUX, "amd64", "Linux", "libcmpay.so"}, {Platform.LINUX, "aarch64", "Linux", "libcmpay.so"},
                {Platform.WINDOWS, "amd64", "Windows Server 2008 R2", "cmpay.dll"}, {Platform.WINDOWS, "x86", "Windows 10", "cmpay.dll"}};
        for (Object[] c : cases) {
            System.out.println(c[0] + " " + c[1] + " " + prefix.invoke(null, c[0], c[1], c[2]) + "/" + c[3]);
        }
    }
}
JAVA
java -cp "$jna" "$work/JnaChoice.java" > "$work/choices.txt"
python3 - "$jar" "$root/tests/dist" "$work/choices.txt" <<'PY'
import sys, zipfile
sys.path.insert(0, sys.argv[2])
import binfmt
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
libs = {n for n in names if n.endswith((".so", ".dll", ".dylib"))}
prefixes = {"linux-x86-64": "linux-x86_64", "linux-aarch64": "linux-aarch64", "win32-x86-64": "windows-x86_64", "win32-x86": "windows-x86"}
chosen = set()
for line in open(sys.argv[3]):
    os_type, arch, path = line.split()
    assert path in names, (line, sorted(libs))
    kind = binfmt.kind(z.read(path)[:4096])
    assert kind == binfmt.PLATFORM_KIND[prefixes[path.split("/")[0]]], (path, kind)
    chosen.add(path)
    print("jna os %s %s -> %s (%s)" % (os_type, arch, path, kind))
assert chosen == libs, ("libraries no JNA choice reaches", libs - chosen)
manifest = z.read("META-INF/MANIFEST.MF").decode()
assert "Built-By" not in manifest and "Automatic-Module-Name: io.cmpay" in manifest, manifest
PY
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
