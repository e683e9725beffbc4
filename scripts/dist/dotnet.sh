#!/usr/bin/env bash
# dist/Cmpay.VERSION.nupkg, written without the .NET SDK: Cmpay.dll compiled
# by Mono's mcs (bindings/dotnet/build.sh) at lib/netstandard2.0/, and with
# Cmpay.Web.dll (ASP.NET) at lib/net45/; the README's examples at examples/; the
# glibc-2.17 libcmpay.so at runtimes/linux-x64/native/, build/Cmpay.targets
# (copies it next to .NET Framework/Mono applications), testing/SandboxFixture.cs
# (the NUnit fixture base, as source), the .nuspec with
# Cargo.toml's version, and the OPC parts ([Content_Types].xml, _rels/.rels)
# the NuGet format specifies. tests/dist/dotnet.sh reads it back.
source "$(dirname "$0")/common.sh"
csproj_version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' bindings/dotnet/Cmpay.csproj)"
[ "$csproj_version" = "$VERSION" ] || { echo "bindings/dotnet/Cmpay.csproj has Version $csproj_version, Cargo.toml $VERSION" >&2; exit 1; }
bindings/dotnet/build.sh
python3 - "$DIST/Cmpay.$VERSION.nupkg" "$VERSION" "$RELDIR/libcmpay.so" <<'PY'
import sys, zipfile, hashlib
out, version, lib = sys.argv[1:4]
d = "bindings/dotnet/"
nuspec = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>Cmpay</id>
    <version>{version}</version>
    <authors>cmpay contributors</authors>
    <license type="expression">MIT OR Apache-2.0</license>
    <readme>README.md</readme>
    <description>CMPay (和包) merchant gateway for .NET: sign orders, verify notifications, talk to the gateway. A thin wrapper over libcmpay (Rust) through its C ABI; the native library for linux-x64 (glibc 2.17+) is inside.</description>
    <tags>cmpay hebao 10086 payment china-mobile</tags>
    <dependencies><group targetFramework=".NETStandard2.0" /><group targetFramework=".NETFramework4.5" /></dependencies>
    <frameworkAssemblies>
      <frameworkAssembly assemblyName="System.Web" targetFramework=".NETFramework4.5" />
      <frameworkAssembly assemblyName="System.Configuration" targetFramework=".NETFramework4.5" />
    </frameworkAssemblies>
  </metadata>
</package>
"""
files = [
    ("Cmpay.nuspec", nuspec.encode()),
    ("lib/netstandard2.0/Cmpay.dll", open(d + "build/Cmpay.dll", "rb").read()),
    ("lib/netstandard2.0/Cmpay.xml", open(d + "build/Cmpay.xml", "rb").read()),
    ("runtimes/linux-x64/native/libcmpay.so", open(lib, "rb").read()),
    ("build/Cmpay.targets", open(d + "pack/Cmpay.targets", "rb").read()),
    # Source for a shop's NUnit project (README.md, "Testing your shop"): not compiled in, no NUnit dependency.
    ("testing/SandboxFixture.cs", open(d + "testing/SandboxFixture.cs", "rb").read()),
    ("README.md", open(d + "README.md", "rb").read()),
]
# .NET Framework: Cmpay.dll (the same build) beside Cmpay.Web.dll, the ASP.NET integration
# (System.Web), which only a .NET Framework project gets.
for name in ("Cmpay.dll", "Cmpay.xml", "Cmpay.Web.dll", "Cmpay.Web.xml"):
    files.append(("lib/net45/" + name, open(d + "build/" + name, "rb").read()))
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
        info.external_attr = (0o100755 if name.endswith(".so") else 0o100644) << 16
        z.writestr(info, data)
PY
echo "wrote Cmpay.$VERSION.nupkg"
