using System.Buffers.Binary;
using System.Text;

namespace AdaptLab.Engine.Tests;

/// <summary>
/// Reads the version requirements (.gnu.version_r) of a 64-bit little-endian ELF file, independently of the
/// build's patcher, so the test checks the patched file rather than the patcher's own report.
/// </summary>
internal static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6FFFFFFE;

    public sealed record Need(string File, string Version, ushort Flags);

    public static List<Need> Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        var shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        int SectionField32(int index, int at) => (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(shoff + (index * shentsize) + at));
        int SectionOffset(int index) => (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(shoff + (index * shentsize) + 0x18));

        var verneed = Enumerable.Range(0, shnum).Single(i => (uint)SectionField32(i, 4) == ShtGnuVerneed);
        var strtab = SectionOffset(SectionField32(verneed, 0x28));
        string Str(int offset) => Encoding.ASCII.GetString(elf, strtab + offset, Array.IndexOf(elf, (byte)0, strtab + offset) - strtab - offset);

        var needs = new List<Need>();
        var entry = SectionOffset(verneed);
        for (var n = 0; n < SectionField32(verneed, 0x2C); n++)
        {
            var count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(entry + 2));
            var file = Str((int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(entry + 4)));
            var aux = entry + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(entry + 8));
            for (var a = 0; a < count; a++)
            {
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(aux + 4));
                needs.Add(new Need(file, Str((int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 8))), flags));
                aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 12));
            }

            entry += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(entry + 12));
        }

        return needs;
    }
}
