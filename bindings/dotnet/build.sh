#!/usr/bin/env bash
# Builds the .NET binding with Mono's mcs into build/: Cmpay.dll (the library,
# the same sources as Cmpay.csproj, built as the package ships it), Cmpay.Web.dll (web/: ASP.NET's web.config
# section and notify handler, built and signed the same way), Cmpay.Examples.Web.dll (examples/handler-base),
# Cmpay.Examples.dll (the notify handler and the return page), Cmpay.Tests.dll (NUnit 2.6, with
# testing/SandboxFixture.cs), and from the repository's bench/dotnet: Bench.exe,
# Cmpay.Bench.dll (the handlers of the throughput benchmark,
# bench/servers/bench_servers.py) and NotifyCost.exe.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build
NUNIT=/usr/lib/cli/nunit.framework-2.6.3/nunit.framework.dll
MCS="mcs -nologo -langversion:6 -warnaserror+ -nowarn:1591"
# The library, as the NuGet package ships it (lib/net461/): compiled against
# .NET Framework 4.6.1's reference assemblies (Mono's 4.6.1-api, mono-devel),
# optimised (a release build; -debug only writes the .pdb beside it),
# strong-named with Cmpay.snk, every public member documented (CS1591, an
# error with -warnaserror+).
REF=/usr/lib/mono/4.6.1-api
[ -f "$REF/mscorlib.dll" ] || { echo "no $REF/mscorlib.dll: install mono-devel (scripts/install-deps.sh)" >&2; exit 1; }
MCS_LIB="mcs -nologo -langversion:6 -warnaserror+ -nostdlib -lib:$REF -lib:$REF/Facades -r:mscorlib.dll -r:System.dll -r:System.Core.dll"
# TRACE, as MSBuild defines it: ClientConfig.Log traces through TraceSource,
# whose calls mcs leaves out without it.
$MCS_LIB -target:library -unsafe -optimize+ -debug:portable -define:TRACE -keyfile:Cmpay.snk -doc:build/Cmpay.xml -out:build/Cmpay.dll -recurse:'src/*.cs'
# Cmpay.Web.dll: the <cmpay> web.config section and NotifyHandlerBase, apart from Cmpay.dll
# so that the library itself needs no System.Web; built, signed and documented as Cmpay.dll is.
$MCS_LIB -target:library -optimize+ -debug:portable -define:TRACE -keyfile:Cmpay.snk -doc:build/Cmpay.Web.xml \
  -r:build/Cmpay.dll -r:System.Web.dll -r:System.Configuration.dll -out:build/Cmpay.Web.dll -recurse:'web/*.cs'
# TRACE, as MSBuild defines it: the handlers log why they refused a notification
# through System.Diagnostics.Trace, whose calls mcs leaves out without it.
$MCS -target:library -debug -define:TRACE -keyfile:Cmpay.snk -r:build/Cmpay.dll -r:System.Web -r:System.Configuration -r:System.Data \
  -out:build/Cmpay.Examples.dll examples/NotifyHandler.cs examples/ReturnHandler.cs examples/AdoShopOrders.cs
# The shop on Cmpay.Web (examples/handler-base).
$MCS -target:library -debug -define:TRACE -keyfile:Cmpay.snk -r:build/Cmpay.dll -r:build/Cmpay.Web.dll -r:build/Cmpay.Examples.dll -r:System.Web \
  -r:System.Configuration -out:build/Cmpay.Examples.Web.dll examples/handler-base/ShopHandlers.cs
# The tests, signed with the library's key (Cmpay.dll's InternalsVisibleTo names them by that
# public key), with testing/SandboxFixture.cs (shipped as source for a shop's NUnit project,
# README.md "Testing your shop") compiled in as a shop compiles it, for NUnit 2.6 (CMPAY_NUNIT2).
$MCS -target:library -debug -keyfile:Cmpay.snk -define:CMPAY_NUNIT2 -r:build/Cmpay.dll -r:build/Cmpay.Examples.dll -r:build/Cmpay.Web.dll \
  -r:System.Web -r:System.Data -r:System.Configuration -r:"$NUNIT" -out:build/Cmpay.Tests.dll -recurse:'tests/*.cs' testing/SandboxFixture.cs
BENCH=../../bench/dotnet
$MCS -target:exe -optimize+ -r:build/Cmpay.dll -r:System.Web.Extensions -out:build/Bench.exe $BENCH/Bench.cs $BENCH/Fixture.cs
cp "$NUNIT" build/
$MCS -target:library -optimize+ -r:build/Cmpay.dll -r:build/Cmpay.Examples.dll -r:System.Web -r:System.Configuration \
  -r:System.Web.Extensions -out:build/Cmpay.Bench.dll $BENCH/NotifyBench.cs $BENCH/Fixture.cs
$MCS -target:exe -optimize+ -r:build/Cmpay.dll -r:build/Cmpay.Examples.dll -r:build/Cmpay.Bench.dll -r:System.Web \
  -out:build/NotifyCost.exe $BENCH/NotifyCost.cs
