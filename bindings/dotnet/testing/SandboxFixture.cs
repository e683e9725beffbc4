// Cmpay.Testing.SandboxFixture: an NUnit fixture base class over Cmpay.Testing.Sandbox (in Cmpay.dll).
//
// Shipped as source, not compiled into the package: Cmpay.dll has no dependency on NUnit, and
// this file is compiled by the shop's own NUnit test project, against the NUnit it already uses
// (README.md, "Testing your shop"). NUnit 3 and 4 as it is ([OneTimeSetUp]); for NUnit 2.6 define
// CMPAY_NUNIT2 ([TestFixtureSetUp]), as this repository's tests do (Debian's NUnit 2.6.3).
using System;
using NUnit.Framework;

namespace Cmpay.Testing
{
    /// <summary>
    /// Base class of an NUnit fixture that pays orders in the in-process gateway simulator: one
    /// <see cref="Sandbox"/> per fixture, started before its first test and stopped after its last,
    /// and a <see cref="Client"/> set up as the simulator's test merchant. A derived fixture's own
    /// one-time set-up runs after this one's (its notify endpoint can use <see cref="Client"/>),
    /// its one-time tear-down before this one's.
    /// </summary>
    public abstract class SandboxFixture
    {
        /// <summary>The running simulator (null before the fixture's one-time set-up).</summary>
        protected Sandbox Sandbox { get; private set; }

        /// <summary>A client of the simulator's test merchant, disposed with the simulator.</summary>
        protected Client Client { get; private set; }

        /// <summary>Override to return true for a simulator over HTTPS (its CA trusted by <see cref="Client"/>).</summary>
        protected virtual bool Https { get { return false; } }

        /// <summary>Starts the simulator and its client.</summary>
#if CMPAY_NUNIT2
        [TestFixtureSetUp]
#else
        [OneTimeSetUp]
#endif
        public void StartCmpaySandbox()
        {
            Sandbox = Sandbox.Start(Https);
            Client = Sandbox.Client();
        }

        /// <summary>Disposes the client and stops the simulator.</summary>
#if CMPAY_NUNIT2
        [TestFixtureTearDown]
#else
        [OneTimeTearDown]
#endif
        public void StopCmpaySandbox()
        {
            if (Client != null) Client.Dispose();
            if (Sandbox != null) Sandbox.Dispose();
            Client = null;
            Sandbox = null;
        }
    }
}
