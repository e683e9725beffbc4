#!/usr/bin/env bash
# The .nupkg, read back and used as Mono would use it: the zip's entries,
# .nuspec (id, Cargo.toml's version, projectUrl, repository, copyright, the
# .NETFramework4.6.1 group), [Content_Types].xml and build/Cmpay.targets are
# checked; lib/net461/Cmpay.dll is the release build (optimised, strong-named,
# assembly version VERSION.0); for each (OS, pointer size, CPU) the loader's
# RuntimeIdFor/FileNameFor name a runtimes/ file that is in the package and
# built for that platform; build/Cmpay.targets, run by xbuild for x86, x64,
# AnyCPU+Prefer32Bit, AnyCPU and Linux projects, copies the right files. The
# package is extracted as NuGet lays it out, and with no CMPAY_LIB the
# binding's vector tests and SandboxFixtureTests (NUnit; the packaged
# testing/SandboxFixture.cs is the repository's, which that test compiles in)
# run against lib/net461/Cmpay.dll, which must load
# runtimes/linux-x64/native/libcmpay.so of the package (CmpayLibrary.LoadedPath).
# root, version, $work (removed on exit), CMPAY_LIB unset: tests/dist/installed.sh.
source "$(dirname "$0")/installed.sh"
pkg="dist/Cmpay.$version.nupkg"
python3 - "$pkg" "$version" "$work/pkg" "$root/tests/dist" <<'PY'
import sys, zipfile, xml.etree.ElementTree as ET
path, version, out = sys.argv[1:4]
sys.path.insert(0, sys.argv[4])
import binfmt
z = zipfile.ZipFile(path)
names = set(z.namelist())
natives = {"runtimes/linux-x64/native/libcmpay.so": "linux-x86_64", "runtimes/linux-arm64/native/libcmpay.so": "linux-aarch64",
           "runtimes/win-x64/native/cmpay.dll": "windows-x86_64", "runtimes/win-x86/native/cmpay.dll": "windows-x86"}
need = {"Cmpay.nuspec", "[Content_Types].xml", "_rels/.rels", "lib/net461/Cmpay.dll", "lib/net461/Cmpay.xml",
        "build/Cmpay.targets", "README.md",
        "lib/net461/Cmpay.Web.dll", "lib/net461/Cmpay.Web.xml", "testing/SandboxFixture.cs"} | set(natives)
assert need <= names, sorted(need - names)
assert not any(n.startswith("lib/netstandard") for n in names), "a lib/netstandard* folder for a net461 build"
assert {n for n in names if n.startswith("runtimes/")} == set(natives), sorted(names)
for n, platform in natives.items():
    kind = binfmt.kind(z.read(n)[:4096])
    assert kind == binfmt.PLATFORM_KIND[platform], (n, kind)
ns = {"n": "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"}
meta = ET.fromstring(z.read("Cmpay.nuspec")).find("n:metadata", ns)
assert meta.find("n:id", ns).text == "Cmpay"
assert meta.find("n:version", ns).text == version, meta.find("n:version", ns).text
for tag in ("authors", "description", "projectUrl", "copyright", "readme"):
    assert (meta.findtext("n:" + tag, "", ns) or "").strip(), "nuspec has no " + tag
assert meta.find("n:license", ns).get("type") == "expression" and meta.find("n:license", ns).text == "MIT OR Apache-2.0"
repo = meta.find("n:repository", ns)
assert repo is not None and repo.get("type") == "git" and repo.get("url", "").startswith("https://") and len(repo.get("commit", "")) == 40, repo
groups = [g.get("targetFramework") for g in meta.findall("n:dependencies/n:group", ns)]
assert groups == [".NETFramework4.6.1"], groups
types = ET.fromstring(z.read("[Content_Types].xml"))
exts = {t.get("Extension") for t in types}
for n in names:
    if "." in n.rsplit("/", 1)[-1] and not n.endswith("[Content_Types].xml"):
        assert n.rsplit(".", 1)[1] in exts, "no content type for " + n
targets = z.read("build/Cmpay.targets").decode()
ET.fromstring(targets)
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
lib="$work/pkg/lib/net461"
b="$root/bindings/dotnet/build"
cp "$b/Cmpay.Tests.dll" "$b/Cmpay.Examples.dll" "$b/nunit.framework.dll" "$lib/"
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

# The release build: a valid strong-name signature, assembly version VERSION.0,
# optimised; and the loader's choice per platform, by reflection on the packaged
# Cmpay.dll, names files the package holds.
sn -q -v "$lib/Cmpay.dll" || { echo "FAIL lib/net461/Cmpay.dll has no valid strong-name signature" >&2; exit 1; }
cat > "$work/Release.cs" <<CS
using System;
using System.Diagnostics;
using System.Reflection;
class Release {
  static int Main() {
    Assembly a = typeof(Cmpay.CmpayLibrary).Assembly;
    AssemblyName n = a.GetName();
    var d = (DebuggableAttribute)Attribute.GetCustomAttribute(a, typeof(DebuggableAttribute));
    Console.WriteLine("assembly " + n.Version + " token " + BitConverter.ToString(n.GetPublicKeyToken() ?? new byte[0]) + " jit-optimizer-disabled " + (d != null && d.IsJITOptimizerDisabled));
    if (n.Version.ToString() != "$version.0" || (n.GetPublicKeyToken() ?? new byte[0]).Length != 8 || (d != null && d.IsJITOptimizerDisabled)) return 1;
    var t = typeof(Cmpay.CmpayLibrary);
    MethodInfo rid = t.GetMethod("RuntimeIdFor", BindingFlags.Static | BindingFlags.NonPublic);
    MethodInfo file = t.GetMethod("FileNameFor", BindingFlags.Static | BindingFlags.NonPublic);
    object[][] cases = { new object[] { true, false, 8, 0 }, new object[] { true, false, 4, 0 }, new object[] { false, false, 8, 62 }, new object[] { false, false, 8, 183 } };
    foreach (object[] c in cases)
      Console.WriteLine("choice " + string.Join(",", c) + " runtimes/" + rid.Invoke(null, c) + "/native/" + file.Invoke(null, new object[] { c[0], c[1] }));
    return 0;
  }
}
CS
mcs -nologo -r:"$lib/Cmpay.dll" -out:"$lib/Release.exe" "$work/Release.cs"
mono "$lib/Release.exe" > "$work/release.txt" || { cat "$work/release.txt" >&2; echo "FAIL lib/net461/Cmpay.dll is not the release build" >&2; exit 1; }
cat "$work/release.txt"
chosen="$(sed -n 's/^choice [^ ]* //p' "$work/release.txt" | sort)"
[ "$chosen" = "$(cd "$work/pkg" && find runtimes -type f | sort)" ] \
  || { echo "FAIL the loader's choices ($chosen) are not the package's runtimes/ files" >&2; exit 1; }

# build/Cmpay.targets, run by xbuild as an application's build would import it:
# CmpayOS says the OS built for (Windows_NT: an IIS site or .exe).
# want_rid: the runtimes/ folder a bin/cmpay.dll must come from.
targets_case() { # $1 OutputType, $2 PlatformTarget, $3 Prefer32Bit, $4 CmpayOS, then the files expected in bin/ (besides the app)
  local dir="$work/app-$1-$2-$3-$4" out="$1" plat="$2" p32="$3" os="$4"; shift 4
  mkdir -p "$dir"
  echo 'class App { static void Main() {} }' > "$dir/App.cs"
  cat > "$dir/App.csproj" <<XML
<?xml version="1.0" encoding="utf-8"?>
<Project ToolsVersion="4.0" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <PropertyGroup>
    <OutputType>$out</OutputType>
    <AssemblyName>App</AssemblyName>
    <TargetFrameworkVersion>v4.6.1</TargetFrameworkVersion>
    <PlatformTarget>$plat</PlatformTarget>
    <Prefer32Bit>$p32</Prefer32Bit>
    <OutputPath>bin/</OutputPath>
  </PropertyGroup>
  <ItemGroup><Compile Include="App.cs" /></ItemGroup>
  <Import Project="\$(MSBuildToolsPath)/Microsoft.CSharp.targets" />
  <Import Project="$work/pkg/build/Cmpay.targets" />
</Project>
XML
  (cd "$dir" && xbuild /nologo /verbosity:quiet /p:CmpayOS="$os" App.csproj > build.log 2>&1) || { cat "$dir/build.log" >&2; echo "FAIL xbuild $dir" >&2; exit 1; }
  local got want
  got="$(cd "$dir/bin" && find . -type f ! -name 'App.*' | sed 's|^\./||' | sort | tr '\n' ' ')"
  want="$(printf '%s\n' "$@" | sort | tr '\n' ' ')"
  [ "$got" = "$want" ] || { echo "FAIL Cmpay.targets for $out $plat Prefer32Bit=$p32 on $os copied '$got', expected '$want'" >&2; exit 1; }
  local f from
  for f in "$@"; do
    from="$work/pkg/$f"
    [ "$f" != cmpay.dll ] || from="$work/pkg/runtimes/$want_rid/native/cmpay.dll"
    cmp -s "$dir/bin/$f" "$from" || { echo "FAIL bin/$f is not $from" >&2; exit 1; }
  done
  echo "Cmpay.targets: $out $plat Prefer32Bit=$p32 on $os -> $want"
}
want_rid=win-x86; targets_case Exe x86 false Windows_NT cmpay.dll
want_rid=win-x64; targets_case Exe x64 false Windows_NT cmpay.dll
want_rid=win-x86; targets_case Exe AnyCPU true Windows_NT cmpay.dll
want_rid=; targets_case Library AnyCPU false Windows_NT runtimes/win-x64/native/cmpay.dll runtimes/win-x86/native/cmpay.dll
want_rid=; targets_case Library AnyCPU true Windows_NT runtimes/win-x64/native/cmpay.dll runtimes/win-x86/native/cmpay.dll
want_rid=; targets_case Exe AnyCPU false Windows_NT runtimes/win-x64/native/cmpay.dll runtimes/win-x86/native/cmpay.dll
want_rid=; targets_case Exe AnyCPU false Unix runtimes/linux-x64/native/libcmpay.so runtimes/linux-arm64/native/libcmpay.so
(cd "$work" && CMPAY_REPO="$root" nunit-console -nologo -noshadow -run=Cmpay.Tests.VectorTests,Cmpay.Testing.Tests.SandboxFixtureTests -xml="$work/TestResult.xml" "$lib/Cmpay.Tests.dll")
