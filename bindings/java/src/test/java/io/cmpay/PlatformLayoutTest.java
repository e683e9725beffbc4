package io.cmpay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

/**
 * The jar's layout (scripts/dist/java.sh) against what JNA looks for on each
 * platform a shop runs: the loader's choice, with the platform as a parameter
 * (Windows and arm64 JVMs cannot run here).
 */
class PlatformLayoutTest {
    @Test
    void linuxX8664() {
        assertEquals("linux-x86-64/libcmpay.so", CmpayLibrary.resourcePath(Platform.LINUX, "amd64"));
        assertEquals("linux-x86-64/libcmpay.so", CmpayLibrary.resourcePath(Platform.LINUX, "x86_64"));
    }

    @Test
    void linuxArm64() {
        assertEquals("linux-aarch64/libcmpay.so", CmpayLibrary.resourcePath(Platform.LINUX, "aarch64"));
    }

    @Test
    void windowsX64() {
        assertEquals("win32-x86-64/cmpay.dll", CmpayLibrary.resourcePath(Platform.WINDOWS, "amd64"));
    }

    @Test
    void windowsX86AlsoA32BitJvmOn64BitWindows() {
        // A 32-bit JVM's os.arch is x86 whatever the Windows underneath.
        assertEquals("win32-x86/cmpay.dll", CmpayLibrary.resourcePath(Platform.WINDOWS, "x86"));
        assertEquals("win32-x86/cmpay.dll", CmpayLibrary.resourcePath(Platform.WINDOWS, "i386"));
    }

    @Test
    void thisJvm() {
        // What JNA itself computes for the running JVM is what resourcePath says for it.
        assertEquals(Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("cmpay"),
                CmpayLibrary.resourcePath(Platform.getOSType(), System.getProperty("os.arch")));
    }
}
