using System.Reflection;
using System.Runtime.CompilerServices;

// The package's version (Cargo.toml's; scripts/dist/dotnet.sh checks): the
// assembly version a .NET Framework application binds to.
[assembly: AssemblyVersion("0.2.0.0")]
[assembly: AssemblyFileVersion("0.2.0.0")]
[assembly: AssemblyInformationalVersion("0.2.0")]
[assembly: AssemblyTitle("Cmpay")]
[assembly: AssemblyProduct("cmpay")]
[assembly: AssemblyCopyright("Copyright (c) cmpay contributors; MIT OR Apache-2.0")]

// Cmpay.dll is strong-named with Cmpay.snk (a public key pair committed on
// purpose: a strong name is an identity, not a security boundary), so the
// tests, signed with the same key, are named by their public key.
[assembly: InternalsVisibleTo("Cmpay.Tests, PublicKey=00240000048000009400000006020000002400005253413100040000010001005db8fa2eab102d3ea7a24c8776ff96e157bb0993ccb8182cebba6e65d8300293704fdd00416847ddf3d74ff307c1613251c141e1ead5d1c3076a3655959fbb946849107f7b7119dd3c6e9bfe4f820d82572399e9339672122ee765cc5375a169fd264afa64fe9403553b7624d52ff8772476cc0c03ac019bbdfbed412b089ec6")]
