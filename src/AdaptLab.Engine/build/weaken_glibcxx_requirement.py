#!/usr/bin/env python3
"""Marks libLibTorchSharp.so's need for GLIBCXX_3.4.32 as weak, so the library loads on Debian 12.

TorchSharp 0.107 builds libLibTorchSharp.so against GLIBCXX_3.4.32, but Debian 12's libstdc++ stops at
3.4.30, so the dynamic loader refuses the library (and TorchSharp reports a misleading "no reference to
libtorch-cpu-linux-x64"). The only symbol bound to that version is _ZSt21ios_base_library_initv, which no
relocation uses: GCC 13 emits the reference only to pull in iostream initialisation, which older libstdc++
does in its own constructors. Setting VER_FLG_WEAK on the version's Vernaux entry turns the hard error into
a warning the loader ignores.

Usage: weaken_glibcxx_requirement.py FILE...   (idempotent; exits non-zero if the file is not as expected)
"""
import os
import struct
import sys
import tempfile

LIBRARY = b"libstdc++.so.6"
VERSION = b"GLIBCXX_3.4.32"
ONLY_SYMBOL = b"_ZSt21ios_base_library_initv"
VER_FLG_WEAK = 0x2
SHT_RELA, SHT_DYNSYM, SHT_GNU_VERNEED, SHT_GNU_VERSYM = 4, 11, 0x6FFFFFFE, 0x6FFFFFFF


class NotAsExpected(Exception):
    pass


def c_string(data, offset):
    return data[offset:data.index(b"\0", offset)]


def sections(data):
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise NotAsExpected("not a little-endian 64-bit ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    for i in range(shnum):
        _, sh_type, _, _, sh_offset, sh_size, sh_link, sh_info, _, sh_entsize = struct.unpack_from(
            "<IIQQQQIIQQ", data, shoff + i * shentsize)
        yield dict(index=i, type=sh_type, offset=sh_offset, size=sh_size, link=sh_link, info=sh_info,
                   entsize=sh_entsize)


def find_vernaux(data, verneed, strtab):
    """Returns (file offset of vna_flags, flags, version index) of every GLIBCXX_3.4.32 need on libstdc++."""
    found = []
    entry = verneed["offset"]
    for _ in range(verneed["info"]):
        _, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, entry)
        aux = entry + vn_aux
        for _ in range(vn_cnt):
            _, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
            if c_string(data, strtab + vn_file) == LIBRARY and c_string(data, strtab + vna_name) == VERSION:
                found.append((aux + 4, vna_flags, vna_other))
            aux += vna_next
        entry += vn_next
    return found


def symbols_bound_to(data, version_index, dynsym, versym, strtab):
    """Indexes and names of the dynamic symbols whose version is version_index."""
    bound = []
    for i in range(dynsym["size"] // dynsym["entsize"]):
        st_name, = struct.unpack_from("<I", data, dynsym["offset"] + i * dynsym["entsize"])
        vs, = struct.unpack_from("<H", data, versym["offset"] + 2 * i)
        if vs & 0x7FFF == version_index:
            bound.append((i, c_string(data, strtab + st_name)))
    return bound


def relocated_symbols(data, all_sections):
    used = set()
    for rela in (s for s in all_sections if s["type"] == SHT_RELA):
        for i in range(rela["size"] // rela["entsize"]):
            r_info, = struct.unpack_from("<Q", data, rela["offset"] + i * rela["entsize"] + 8)
            used.add(r_info >> 32)
    return used


def patch(path):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    all_sections = list(sections(data))
    by_type = {s["type"]: s for s in all_sections}
    if SHT_GNU_VERNEED not in by_type or SHT_DYNSYM not in by_type or SHT_GNU_VERSYM not in by_type:
        raise NotAsExpected("no .gnu.version_r/.dynsym/.gnu.version section")
    verneed, dynsym, versym = by_type[SHT_GNU_VERNEED], by_type[SHT_DYNSYM], by_type[SHT_GNU_VERSYM]
    dynstr = all_sections[verneed["link"]]["offset"]

    needs = find_vernaux(data, verneed, dynstr)
    if len(needs) != 1:
        raise NotAsExpected(f"expected exactly one {VERSION.decode()} need on {LIBRARY.decode()}, found {len(needs)}; "
                            "if a newer TorchSharp no longer needs it, remove this patch step")
    flags_offset, flags, version_index = needs[0]

    bound = symbols_bound_to(data, version_index, dynsym, versym, all_sections[dynsym["link"]]["offset"])
    if [name for _, name in bound] != [ONLY_SYMBOL]:
        raise NotAsExpected(f"{VERSION.decode()} binds {[n.decode() for _, n in bound]}, "
                            f"not just {ONLY_SYMBOL.decode()}: weakening it would be unsafe")
    if bound[0][0] in relocated_symbols(data, all_sections):
        raise NotAsExpected(f"{ONLY_SYMBOL.decode()} is used by a relocation: weakening it would be unsafe")

    if flags & VER_FLG_WEAK:
        return "already weak"
    struct.pack_into("<H", data, flags_offset, flags | VER_FLG_WEAK)
    # Write a new file and rename it over the old one: the output copy may be a hard link into the NuGet cache.
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)))
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, os.stat(path).st_mode & 0o7777)
    os.replace(tmp, path)
    return "weakened"


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    for path in paths:
        try:
            print(f"{path}: {VERSION.decode()} {patch(path)}")
        except (NotAsExpected, OSError, struct.error, ValueError) as e:
            print(f"error: {path}: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
