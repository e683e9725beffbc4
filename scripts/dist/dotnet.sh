#!/usr/bin/env bash
# dist/Cmpay.VERSION.nupkg, written without the .NET SDK: Cmpay.dll compiled
# by Mono's mcs (bindings/dotnet/build.sh: against .NET Framework 4.6.1's
# reference assemblies, optimised, strong-named, assembly version VERSION.0)
# at lib/net461/ beside Cmpay.Web.dll (ASP.NET's web.config section and
# notify handler, built the same way), every platform's library at
# runtimes/<rid>/native/ (scripts/dist/common.sh: linux-x64, linux-arm64,
# win-x64, win-x86), build/Cmpay.targets (copies the right one into .NET
# Framework/Mono applications), testing/SandboxFixture.cs (the NUnit fixture
# base, as source), the README's examples at examples/, the .nuspec with
# Cargo.toml's version, and the OPC parts ([Content_Types].xml, _rels/.rels)
# the NuGet format specifies. tests/dist/dotnet.sh reads it back.
source "$(dirname "$0")/common.sh"
csproj_version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' bindings/dotnet/Cmpay.csproj)"
[ "$csproj_version" = "$VERSION" ] || { echo "bindings/dotnet/Cmpay.csproj has Version $csproj_version, Cargo.toml $VERSION" >&2; exit 1; }
asm_version="$(sed -n 's/^\[assembly: AssemblyVersion("\(.*\)")\]/\1/p' bindings/dotnet/src/AssemblyInfo.cs)"
[ "$asm_version" = "$VERSION.0" ] || { echo "bindings/dotnet/src/AssemblyInfo.cs has AssemblyVersion $asm_version, Cargo.toml $VERSION (want $VERSION.0)" >&2; exit 1; }
require_natives
same_repository bindings/dotnet/Cmpay.csproj
natives=()
while read -r platform dir file tag rid rest; do
  natives+=("runtimes/$rid/native/$file=$(native_lib "$platform" </dev/null)")
done < <(platforms)
bindings/dotnet/build.sh
mkdir -p "$DIST"
python3 - "$DIST/Cmpay.$VERSION.nupkg" "$VERSION" "$REPOSITORY" "$(git rev-parse HEAD)" "${natives[@]}" <<'PY'
import sys, zipfile, hashlib
out, version, repository, commit = sys.argv[1:5]
natives = [a.split("=", 1) for a in sys.argv[5:]]
d = "bindings/dotnet/"
nuspec = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>Cmpay</id>
    <version>{version}</version>
    <authors>cmpay contributors</authors>
    <license type="expression">MIT OR Apache-2.0</license>
    <projectUrl>{repository}</projectUrl>
    <repository type="git" url="{repository}.git" commit="{commit}" />
    <copyright>Copyright (c) cmpay contributors</copyright>
    <readme>README.md</readme>
    <description>CMPay (和包) merchant gateway for .NET Framework 4.6.1+ and Mono: sign orders, verify notifications, talk to the gateway. A thin wrapper over libcmpay (Rust) through its C ABI; the native library is inside for win-x64, win-x86 (Windows 7 / Server 2008 R2 and later), linux-x64 and linux-arm64 (glibc 2.17+).</description>
    <tags>cmpay hebao 10086 payment china-mobile</tags>
    <dependencies><group targetFramework=".NETFramework4.6.1" /></dependencies>
    <frameworkAssemblies>
      <frameworkAssembly assemblyName="System.Web" targetFramework=".NETFramework4.6.1" />
      <frameworkAssembly assemblyName="System.Configuration" targetFramework=".NETFramework4.6.1" />
    </frameworkAssemblies>
  </metadata>
</package>
"""
files = [
    ("Cmpay.nuspec", nuspec.encode()),
    ("lib/net461/Cmpay.dll", open(d + "build/Cmpay.dll", "rb").read()),
    ("lib/net461/Cmpay.xml", open(d + "build/Cmpay.xml", "rb").read()),
    ("build/Cmpay.targets", open(d + "pack/Cmpay.targets", "rb").read()),
    # Source for a shop's NUnit project (README.md, "Testing your shop"): not compiled in, no NUnit dependency.
    ("testing/SandboxFixture.cs", open(d + "testing/SandboxFixture.cs", "rb").read()),
    ("README.md", open(d + "README.md", "rb").read()),
] + [(name, open(path, "rb").read()) for name, path in natives]
# Cmpay.Web.dll, the ASP.NET integration (System.Web), beside Cmpay.dll.
for name in ("Cmpay.Web.dll", "Cmpay.Web.xml"):
    files.append(("lib/net461/" + name, open(d + "build/" + name, "rb").read()))
# The examples the README cites, at the README's paths (examples/...); NuGet installs nothing from there.
import os
for top, dirs, names in os.walk(d + "examples"):
    dirs.sort()
    for name in sorted(names):
        p = os.path.join(top, name)
        files.append((os.path.relpath(p, d), open(p, "rb").read()))
exts = sorted({n.rsplit(".", 1)[1] for n, _ in files} | {"rels", "psmdcp"})
types = "".join(f'<Default Extension="{e}" ContentType="application/octet" />' for e in exts if e != "rels")
content_types = ('<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />'
                 + types + '</Types>')
props_name = "package/services/metadata/core-properties/" + hashlib.sha1(version.encode()).hexdigest() + ".psmdcp"
rels = ('<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/Cmpay.nuspec" Id="R1" />'
        f'<Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="/{props_name}" Id="R2" /></Relationships>')
props = ('<?xml version="1.0" encoding="utf-8"?><coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">'
         f'<dc:creator>cmpay contributors</dc:creator><dc:identifier>Cmpay</dc:identifier><version>{version}</version></coreProperties>')
files += [("_rels/.rels", rels.encode()), (props_name, props.encode()), ("[Content_Types].xml", content_types.encode())]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in files:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (0o100755 if name.endswith((".so", ".dll")) else 0o100644) << 16
        z.writestr(info, data)
PY
echo "wrote Cmpay.$VERSION.nupkg (lib/net461/Cmpay.dll; ${natives[*]%%=*})"
