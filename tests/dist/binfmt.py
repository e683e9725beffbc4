#!/usr/bin/env python3
"""What a shared library is built for, read from its own header: an ELF
file's class and e_machine, a PE file's COFF Machine and its DLL flag. The
package tests use it to check that each platform's path holds a library of
that platform (a win-x86 folder with a 64-bit DLL would fail only on the
shop's server). As a command: binfmt.py FILE... prints "FILE KIND" lines."""
import struct
import sys

ELF_MACHINES = {3: "x86", 62: "x86_64", 183: "aarch64"}
PE_MACHINES = {0x14C: "x86", 0x8664: "x86_64", 0xAA64: "aarch64"}


def kind(data: bytes) -> str:
    """elf-x86_64, elf-aarch64, pe-x86_64, pe-x86 (a DLL), or a reason it is none."""
    if data[:4] == b"\x7fELF":
        bits = {1: 32, 2: 64}.get(data[4])
        endian = "<" if data[5] == 1 else ">"
        (machine,) = struct.unpack_from(endian + "H", data, 18)
        arch = ELF_MACHINES.get(machine, "machine-%d" % machine)
        if (arch in ("x86_64", "aarch64")) != (bits == 64):
            return "elf-%s-with-%s-bit-class" % (arch, bits)
        return "elf-" + arch
    if data[:2] == b"MZ" and len(data) >= 0x40:
        (pe,) = struct.unpack_from("<I", data, 0x3C)
        if data[pe:pe + 4] != b"PE\0\0":
            return "MZ-without-PE"
        machine, _, _, _, _, _, characteristics = struct.unpack_from("<HHIIIHH", data, pe + 4)
        if not characteristics & 0x2000:
            return "pe-not-a-dll"
        return "pe-" + PE_MACHINES.get(machine, "machine-%#x" % machine)
    return "not-a-library"


# The kind each platform of scripts/dist/common.sh must hold.
PLATFORM_KIND = {
    "linux-x86_64": "elf-x86_64",
    "linux-aarch64": "elf-aarch64",
    "windows-x86_64": "pe-x86_64",
    "windows-x86": "pe-x86",
}

if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            print(path, kind(f.read(4096)))
