using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Cmpay
{
    /// <summary>
    /// Where libcmpay is loaded from, and the library-wide functions.
    /// <para>
    /// Lookup order: (1) the path given to <see cref="Load"/> before the first
    /// other call; (2) the environment variable <c>CMPAY_LIB</c> (a full path
    /// to cmpay.dll / libcmpay.so / libcmpay.dylib); (3) the NuGet package's
    /// own copy, runtimes/&lt;rid&gt;/native/ (rid for this OS, CPU and process
    /// bitness: win-x64, win-x86, linux-x64, linux-arm64) beside Cmpay.dll, in
    /// the application's bin, or two levels up from Cmpay.dll (lib/net461/ of the
    /// extracted package); (4) the runtime's usual
    /// DllImport search for "cmpay": next to the application (bin\ for
    /// ASP.NET, beside the .exe for Mono), then PATH on Windows,
    /// LD_LIBRARY_PATH and the system directories on Linux.
    /// </para>
    /// </summary>
    public static class CmpayLibrary
    {
        /// <summary>The environment variable naming the library file.</summary>
        public const string EnvironmentVariable = "CMPAY_LIB";

        private static readonly object Gate = new object();
        private static bool _resolved;
        private static string _path;

        /// <summary>
        /// Uses the library at <paramref name="path"/>. Call it once, before
        /// anything else of this package (e.g. in Application_Start); calling it
        /// again with the same path is harmless, with another path an error.
        /// </summary>
        public static void Load(string path)
        {
            if (path == null) throw new ArgumentNullException("path");
            lock (Gate)
            {
                string full = Path.GetFullPath(path);
                if (_resolved)
                {
                    string bound = _path ?? _found;
                    if (bound != null && string.Equals(bound, full, StringComparison.Ordinal)) return;
                    throw new InvalidOperationException(
                        "libcmpay is already bound (" + (_path ?? "default search") + "): call CmpayLibrary.Load before any other use");
                }
                Register(full);
                _path = full;
                _resolved = true;
                Bind();
            }
        }

        /// <summary>
        /// The full path of the library file actually loaded, however it was
        /// found: <see cref="Load"/>, CMPAY_LIB, the NuGet package's runtimes/,
        /// or the runtime's own search (e.g. next to Cmpay.dll in bin\, where
        /// build/Cmpay.targets copies it). Null only where the operating system
        /// cannot say which file holds the loaded library.
        /// </summary>
        public static string LoadedPath
        {
            get { EnsureLoaded(); return _path ?? _found; }
        }

        // The file the runtime's own search bound, asked of the operating
        // system once bound: the module holding cmpay_version's static string.
        private static string _found;

        /// <summary>Called by every public entry point before its first native call.</summary>
        internal static void EnsureLoaded()
        {
            if (_bound) return;
            lock (Gate)
            {
                if (_bound) return;
                if (!_resolved) Resolve();
                Bind();
            }
        }

        private static void Resolve()
        {
            string env = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(env))
            {
                string full = Path.GetFullPath(env);
                if (!File.Exists(full))
                    throw new CmpayLibraryNotFoundException(EnvironmentVariable + "=" + env + ": no such file");
                Register(full);
                _path = full;
                _fromEnvironment = true;
            }
            else
            {
                string packaged = PackagedLibrary();
                if (packaged != null)
                {
                    Register(packaged);
                    _path = packaged;
                    _fromPackage = true;
                }
            }
            _resolved = true;
        }

        // The runtime identifier of the package's runtimes/ folder for this
        // process (RuntimeIdFor), null where the package carries no library.
        private static string RuntimeId
        {
            get { return RuntimeIdFor(IsWindows, IsMac, IntPtr.Size, IsWindows || IsMac ? 0 : ElfMachineOfThisProcess()); }
        }

        private static bool IsWindows { get { return Path.DirectorySeparatorChar == '\\'; } }

        private static bool IsMac { get { return Environment.OSVersion.Platform == PlatformID.MacOSX || Directory.Exists("/System/Library/CoreServices"); } }

        /// <summary>
        /// The NuGet runtime identifier whose runtimes/&lt;rid&gt;/native/ holds
        /// the library for a process: on Windows by the process's pointer size
        /// alone (a 32-bit application pool or Prefer32Bit process on 64-bit
        /// Windows is x86 and loads only the 32-bit DLL): win-x86, win-x64; on
        /// Linux by the CPU the process runs as (<paramref name="elfMachine"/>,
        /// e_machine of its own executable): linux-x64 (62), linux-arm64 (183).
        /// Null for anything the package does not carry (macOS, 32-bit Linux, ...).
        /// </summary>
        internal static string RuntimeIdFor(bool windows, bool mac, int pointerSize, int elfMachine)
        {
            if (windows) return pointerSize == 8 ? "win-x64" : pointerSize == 4 ? "win-x86" : null;
            if (mac) return null;
            if (pointerSize != 8) return null;
            if (elfMachine == 62) return "linux-x64";
            if (elfMachine == 183) return "linux-arm64";
            return null;
        }

        /// <summary>The library's file name: cmpay.dll on Windows, libcmpay.dylib on macOS, libcmpay.so elsewhere.</summary>
        internal static string FileNameFor(bool windows, bool mac)
        {
            if (windows) return "cmpay.dll";
            return mac ? "libcmpay.dylib" : "libcmpay.so";
        }

        // e_machine of /proc/self/exe's ELF header (what this process runs
        // as, also under an emulator); 0 when it cannot be read.
        private static int ElfMachineOfThisProcess()
        {
            try
            {
                using (var f = new FileStream("/proc/self/exe", FileMode.Open, FileAccess.Read))
                {
                    var h = new byte[20];
                    if (f.Read(h, 0, h.Length) != h.Length || h[0] != 0x7f || h[1] != (byte)'E' || h[2] != (byte)'L' || h[3] != (byte)'F') return 0;
                    return h[5] == 2 ? (h[18] << 8) | h[19] : h[18] | (h[19] << 8);
                }
            }
            catch (Exception)
            {
                return 0;
            }
        }

        // runtimes/<rid>/native/<file> where the .nupkg puts it: beside
        // Cmpay.dll (a .NET Core publish; bin\ where build/Cmpay.targets copies
        // both Windows libraries for an AnyCPU project), in the application's
        // bin\ (ASP.NET may run a shadow copy of Cmpay.dll from elsewhere), or
        // from lib/net461/ up to the package root (the package as extracted).
        // Empty where the package carries nothing for this process.
        private static string[] PackagedCandidates()
        {
            string rid = RuntimeId;
            if (rid == null) return new string[0];
            string dir = Path.GetDirectoryName(typeof(CmpayLibrary).Assembly.Location) ?? "";
            string native = Path.Combine(Path.Combine(Path.Combine("runtimes", rid), "native"), FileName);
            var list = new System.Collections.Generic.List<string> { Path.Combine(dir, native) };
            string baseDir = AppDomain.CurrentDomain.BaseDirectory ?? "";
            string rel = AppDomain.CurrentDomain.RelativeSearchPath;
            if (!string.IsNullOrEmpty(rel))
            {
                foreach (string bin in rel.Split(';'))
                {
                    if (bin.Length > 0) list.Add(Path.Combine(Path.Combine(baseDir, bin), native));
                }
            }
            list.Add(Path.GetFullPath(Path.Combine(Path.Combine(Path.Combine(dir, ".."), ".."), native)));
            var unique = new System.Collections.Generic.List<string>();
            foreach (string c in list)
            {
                if (!unique.Contains(c)) unique.Add(c);
            }
            return unique.ToArray();
        }

        private static string PackagedLibrary()
        {
            foreach (string c in PackagedCandidates())
            {
                if (File.Exists(c)) return c;
            }
            return null;
        }

        private static bool _fromEnvironment;
        private static bool _fromPackage;

        private static volatile bool _bound;

        // The first native call binds the DllImports: a library that cannot be
        // found or loaded is a CmpayLibraryNotFoundException listing the places
        // looked, rather than the runtime's DllNotFoundException from deep inside.
        private static void Bind()
        {
            try
            {
                VersionCore();
            }
            catch (DllNotFoundException e) { throw NotFound(e); }
            catch (EntryPointNotFoundException e) { throw NotFound(e); }
            catch (BadImageFormatException e) { throw NotFound(e); }
            if (_path == null) _found = ModuleOf(Native.cmpay_version());
            _bound = true;
        }

        // The full path of the loaded file that holds `address`; null when
        // the operating system cannot tell.
        private static string ModuleOf(IntPtr address)
        {
            try
            {
                if (Path.DirectorySeparatorChar == '\\')
                {
                    IntPtr module;
                    // GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT
                    if (!WindowsLoader.GetModuleHandleExW(0x4 | 0x2, address, out module)) return null;
                    var name = new System.Text.StringBuilder(32768);
                    int n = WindowsLoader.GetModuleFileNameW(module, name, name.Capacity);
                    return n > 0 ? name.ToString(0, n) : null;
                }
                if (File.Exists("/proc/self/maps"))
                {
                    ulong a = unchecked((ulong)address.ToInt64());
                    foreach (string line in File.ReadAllLines("/proc/self/maps"))
                    {
                        // start-end perms offset dev inode path
                        string[] parts = line.Split(new[] { ' ' }, 6, StringSplitOptions.RemoveEmptyEntries);
                        if (parts.Length < 6) continue;
                        int dash = parts[0].IndexOf('-');
                        if (dash < 0) continue;
                        ulong start = Convert.ToUInt64(parts[0].Substring(0, dash), 16);
                        ulong end = Convert.ToUInt64(parts[0].Substring(dash + 1), 16);
                        string file = parts[5].Trim();
                        if (a >= start && a < end && file.StartsWith("/", StringComparison.Ordinal)) return file;
                    }
                    return null;
                }
                DlInfo info;
                if (MacLoader.dladdr(address, out info) != 0 && info.dli_fname != IntPtr.Zero)
                    return Path.GetFullPath(Marshal.PtrToStringAnsi(info.dli_fname));
            }
            catch (Exception)
            {
                // Only a report: the library is bound and works all the same.
            }
            return null;
        }

        internal static CmpayLibraryNotFoundException NotFound(Exception e)
        {
            return new CmpayLibraryNotFoundException(
                "cannot load the cmpay library (" + FileName + "). Looked at:\n  " + string.Join("\n  ", PlacesLooked())
                + "\n(" + e.GetType().Name + ": " + e.Message + ")"
                + "\nSet " + EnvironmentVariable + " to the file's full path, call CmpayLibrary.Load(path) at start-up, or put the file in one of these places.", e);
        }

        private static string FileName
        {
            get { return FileNameFor(IsWindows, IsMac); }
        }

        /// <summary>Where the runtime looked for the library, in its order.</summary>
        internal static string[] PlacesLooked()
        {
            if (_path != null)
            {
                return new[] { _path + " (" + (_fromEnvironment ? "$" + EnvironmentVariable : _fromPackage ? "the NuGet package's runtimes/" : "CmpayLibrary.Load") + ")" };
            }
            var places = new System.Collections.Generic.List<string>();
            string assemblyDir = Path.GetDirectoryName(typeof(CmpayLibrary).Assembly.Location) ?? "";
            foreach (string c in PackagedCandidates()) places.Add(c + " (the NuGet package's runtimes/)");
            places.Add(Path.Combine(assemblyDir, FileName) + " (next to Cmpay.dll)");
            string baseDir = AppDomain.CurrentDomain.BaseDirectory ?? "";
            string rel = AppDomain.CurrentDomain.RelativeSearchPath;
            if (!string.IsNullOrEmpty(rel)) places.Add(Path.Combine(Path.Combine(baseDir, rel), FileName) + " (the application's bin)");
            places.Add(Path.Combine(baseDir, FileName) + " (the application's directory)");
            if (Path.DirectorySeparatorChar == '\\')
            {
                places.Add("the directories of PATH");
            }
            else
            {
                string ld = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
                places.Add("LD_LIBRARY_PATH (" + (string.IsNullOrEmpty(ld) ? "not set" : ld) + ")");
                places.Add("the system's directories (/etc/ld.so.cache, /lib, /usr/lib)");
            }
            places.Add("$" + EnvironmentVariable + " (not set)");
            return places.ToArray();
        }

        // Makes DllImport("cmpay") bind to `full`, on each runtime without
        // NativeLibrary at compile time:
        //  - Windows (.NET Framework, modern .NET, Mono): LoadLibrary the file;
        //    DllImport then finds the module already loaded under the name cmpay.dll.
        //  - Mono elsewhere: a global dllmap entry (what a <dllmap> in a .config does).
        //  - modern .NET elsewhere: NativeLibrary.SetDllImportResolver, found by
        //    reflection so this net461 assembly still loads on .NET Framework.
        private static void Register(string full)
        {
            if (!File.Exists(full)) throw new CmpayLibraryNotFoundException(full + ": no such file");
            if (Path.DirectorySeparatorChar == '\\')
            {
                if (!string.Equals(Path.GetFileNameWithoutExtension(full), "cmpay", StringComparison.OrdinalIgnoreCase))
                    throw new CmpayLibraryNotFoundException(full + ": on Windows the file must be named cmpay.dll");
                if (WindowsLoader.LoadLibraryW(full) == IntPtr.Zero)
                    throw new CmpayLibraryNotFoundException(full + ": LoadLibrary failed with error " + Marshal.GetLastWin32Error());
                return;
            }
            if (Type.GetType("Mono.Runtime") != null)
            {
                MonoLoader.mono_dllmap_insert(IntPtr.Zero, Native.Lib, null, full, null);
                return;
            }
            if (!CoreClrResolver.Install(full))
                throw new CmpayLibraryNotFoundException(
                    full + ": this runtime cannot bind a library by path; put it on LD_LIBRARY_PATH (or next to the application) instead");
        }

        /// <summary>The library's version, e.g. "0.2.0".</summary>
        public static string Version
        {
            get { EnsureLoaded(); return VersionCore(); }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static string VersionCore()
        {
            return Utf8.FromStatic(Native.cmpay_version());
        }

        /// <summary>The C enumerator's name of a status, e.g. "CMPAY_GATEWAY" ("CMPAY_UNKNOWN" for no status).</summary>
        public static string StatusName(Status status)
        {
            EnsureLoaded();
            return StatusNameCore(status);
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static string StatusNameCore(Status status)
        {
            return Utf8.FromStatic(Native.cmpay_status_name((int)status));
        }

        private static class WindowsLoader
        {
            [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
            internal static extern IntPtr LoadLibraryW(string path);

            [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
            internal static extern bool GetModuleHandleExW(int flags, IntPtr address, out IntPtr module);

            [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
            internal static extern int GetModuleFileNameW(IntPtr module, System.Text.StringBuilder name, int size);
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct DlInfo
        {
            public IntPtr dli_fname;
            public IntPtr dli_fbase;
            public IntPtr dli_sname;
            public IntPtr dli_saddr;
        }

        private static class MacLoader
        {
            [DllImport("/usr/lib/libSystem.dylib")]
            internal static extern int dladdr(IntPtr address, out DlInfo info);
        }

        private static class MonoLoader
        {
            // Mono's embedding API (the runtime's own executable exports it).
            [DllImport("__Internal", CharSet = CharSet.Ansi)]
            internal static extern void mono_dllmap_insert(IntPtr assembly, string dll, string func, string tdll, string tfunc);
        }

        private static class CoreClrResolver
        {
            private static string _file;

            internal static bool Install(string full)
            {
                Type nl = Type.GetType("System.Runtime.InteropServices.NativeLibrary", false);
                Type resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver", false);
                if (nl == null || resolverType == null) return false;
                MethodInfo set = nl.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
                if (set == null) return false;
                _file = full;
                Delegate resolver = Delegate.CreateDelegate(resolverType, typeof(CoreClrResolver).GetMethod(
                    "Resolve", BindingFlags.Static | BindingFlags.NonPublic));
                set.Invoke(null, new object[] { typeof(CmpayLibrary).Assembly, resolver });
                return true;
            }

            private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
            {
                if (name != Native.Lib) return IntPtr.Zero;
                Type nl = Type.GetType("System.Runtime.InteropServices.NativeLibrary", true);
                MethodInfo load = nl.GetMethod("Load", new[] { typeof(string) });
                return (IntPtr)load.Invoke(null, new object[] { _file });
            }
        }
    }
}
