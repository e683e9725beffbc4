package io.cmpay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Platform;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The jar's layout (scripts/dist/java.sh) against what JNA itself looks for on
 * each platform a shop runs: JNA's resource prefix for an OS type and
 * {@code os.arch} (Platform.getNativeLibraryResourcePrefix, which JNA keeps
 * package-private: called by reflection) and the name it maps "cmpay" to on
 * that OS. Windows and arm64 JVMs cannot run here, so the platform is a parameter.
 */
class PlatformLayoutTest {
    static String jarPath(int osType, String osArch, String osName) throws Exception {
        Method prefix = Platform.class.getDeclaredMethod("getNativeLibraryResourcePrefix", int.class, String.class, String.class);
        prefix.setAccessible(true);
        String file = osType == Platform.WINDOWS ? "cmpay.dll" : osType == Platform.MAC ? "libcmpay.dylib" : "libcmpay.so";
        return prefix.invoke(null, osType, osArch, osName) + "/" + file;
    }

    @Test
    void linuxX8664() throws Exception {
        assertEquals("linux-x86-64/libcmpay.so", jarPath(Platform.LINUX, "amd64", "Linux"));
        assertEquals("linux-x86-64/libcmpay.so", jarPath(Platform.LINUX, "x86_64", "Linux"));
    }

    @Test
    void linuxArm64() throws Exception {
        assertEquals("linux-aarch64/libcmpay.so", jarPath(Platform.LINUX, "aarch64", "Linux"));
    }

    @Test
    void windowsX64() throws Exception {
        assertEquals("win32-x86-64/cmpay.dll", jarPath(Platform.WINDOWS, "amd64", "Windows Server 2008 R2"));
    }

    @Test
    void windowsX86AlsoA32BitJvmOn64BitWindows() throws Exception {
        // A 32-bit JVM's os.arch is x86 whatever the Windows underneath.
        assertEquals("win32-x86/cmpay.dll", jarPath(Platform.WINDOWS, "x86", "Windows 10"));
        assertEquals("win32-x86/cmpay.dll", jarPath(Platform.WINDOWS, "i386", "Windows 7"));
    }

    @Test
    void thisJvmAgreesWithJnasOwnPrefix() throws Exception {
        // The reflective call computes for this JVM what JNA uses for it.
        assertEquals(Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("cmpay"),
                jarPath(Platform.getOSType(), System.getProperty("os.arch"), System.getProperty("os.name")));
    }
}
