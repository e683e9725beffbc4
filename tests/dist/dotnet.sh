#!/usr/bin/env bash
# The .nupkg, read back and used as Mono would use it: the zip's entries,
# .nuspec (id, Cargo.toml's version), [Content_Types].xml and build/Cmpay.targets
# are checked; the package is extracted as NuGet lays it out, and with no
# CMPAY_LIB the binding's vector tests and SandboxFixtureTests (NUnit; the packaged testing/SandboxFixture.cs
# is the repository's, which that test compiles in) run against
# lib/netstandard2.0/Cmpay.dll, which must load
# runtimes/linux-x64/native/libcmpay.so of the package (CmpayLibrary.LoadedPath).
# root, version, $work (removed on exit), CMPAY_LIB unset: tests/dist/installed.sh.
source "$(dirname "$0")/installed.sh"
pkg="dist/Cmpay.$version.nupkg"
python3 - "$pkg" "$version" "$work/pkg" <<'PY'
import sys, zipfile, xml.etree.ElementTree as ET
path, version, out = sys.argv[1:4]
z = zipfile.ZipFile(path)
names = set(z.namelist())
need = {"Cmpay.nuspec", "[Content_Types].xml", "_rels/.rels", "lib/netstandard2.0/Cmpay.dll",
        "runtimes/linux-x64/native/libcmpay.so", "build/Cmpay.targets", "testing/SandboxFixture.cs"}
assert need <= names, sorted(need - names)
ns = {"n": "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"}
meta = ET.fromstring(z.read("Cmpay.nuspec")).find("n:metadata", ns)
assert meta.find("n:id", ns).text == "Cmpay"
assert meta.find("n:version", ns).text == version, meta.find("n:version", ns).text
types = ET.fromstring(z.read("[Content_Types].xml"))
exts = {t.get("Extension") for t in types}
for n in names:
    if "." in n.rsplit("/", 1)[-1] and not n.endswith("[Content_Types].xml"):
        assert n.rsplit(".", 1)[1] in exts, "no content type for " + n
targets = z.read("build/Cmpay.targets").decode()
ET.fromstring(targets)
assert r"..\runtimes" in targets and "libcmpay.so" in targets and "CopyToOutputDirectory" in targets
assert z.read("runtimes/linux-x64/native/libcmpay.so")[:4] == b"\x7fELF"
assert z.read("testing/SandboxFixture.cs") == open("bindings/dotnet/testing/SandboxFixture.cs", "rb").read()
z.extractall(out)
print("nupkg: %d entries, Cmpay %s, content types and build/Cmpay.targets read back" % (len(names), version))
PY
# Debian's nuget (NuGet 2.8, Mono) installs it from a local feed as well.
mkdir -p "$work/feed" && cp "$pkg" "$work/feed/"
if command -v nuget >/dev/null; then
  nuget install Cmpay -Version "$version" -Source "$work/feed" -OutputDirectory "$work/packages" -NonInteractive > "$work/nuget.log" 2>&1 \
    || { cat "$work/nuget.log" >&2; echo "FAIL nuget install" >&2; exit 1; }
  [ -f "$work/packages/Cmpay.$version/runtimes/linux-x64/native/libcmpay.so" ] || { echo "FAIL nuget install lacks the native library" >&2; exit 1; }
  echo "nuget install: Cmpay.$version installed from a local feed"
fi
lib="$work/pkg/lib/netstandard2.0"
b="$root/bindings/dotnet/build"
cp "$b/Cmpay.Tests.dll" "$b/Cmpay.Examples.dll" "$b/nunit.framework.dll" "$lib/"
# The tests assembly references Cmpay.Web.dll (WebTests): the package's own, from lib/net45/.
cp "$work/pkg/lib/net45/Cmpay.Web.dll" "$lib/"
cat > "$work/Check.cs" <<CS
using System;
class Check {
  static int Main() {
    string v = Cmpay.CmpayLibrary.Version, p = Cmpay.CmpayLibrary.LoadedPath;
    Console.WriteLine("Cmpay " + v + " from " + p);
    return v == "$version" && p == System.IO.Path.GetFullPath("$work/pkg/runtimes/linux-x64/native/libcmpay.so") ? 0 : 1;
  }
}
CS
mcs -nologo -r:"$lib/Cmpay.dll" -out:"$lib/Check.exe" "$work/Check.cs"
mono "$lib/Check.exe" || { echo "FAIL the extracted package did not load its own runtimes/linux-x64/native/libcmpay.so" >&2; exit 1; }
(cd "$work" && CMPAY_REPO="$root" nunit-console -nologo -noshadow -run=Cmpay.Tests.VectorTests,Cmpay.Testing.Tests.SandboxFixtureTests -xml="$work/TestResult.xml" "$lib/Cmpay.Tests.dll")
