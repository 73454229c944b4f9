namespace AdaptLab.Engine.Constrained;

/// <summary>
/// A JSON Schema compiled for generation. Nodes compare by reference, so parser states that point at them
/// hash cheaply.
/// </summary>
internal abstract class SchemaNode
{
    /// <summary>The shortest JSON text that satisfies the node, used to close a document early.</summary>
    public abstract byte[] Minimal { get; }
}

/// <summary>Any JSON value: objects with any keys, arrays, strings, numbers, booleans, null.</summary>
internal sealed class AnyNode : SchemaNode
{
    public static readonly AnyNode Instance = new();

    public override byte[] Minimal => "0"u8.ToArray();
}

/// <summary>
/// An object. With declared properties only those keys are generated (each at most once, in any order, the
/// required ones before the closing brace); without, any string key with <see cref="FreeValue"/> values.
/// <see cref="ExactlyOne"/> (minProperties and maxProperties 1) allows one declared member and no other: a tool call
/// written as <c>{"tool": {arguments}}</c>, each tool's arguments under their own schema.
/// </summary>
internal sealed class ObjectNode(byte[][] keys, SchemaNode[] values, ulong requiredMask, SchemaNode? freeValue, bool exactlyOne = false) : SchemaNode
{
    public bool ExactlyOne => exactlyOne;

    /// <summary>Each property name as it appears between the quotes of its key (JSON-escaped UTF-8).</summary>
    public byte[][] Keys => keys;

    public SchemaNode[] Values => values;

    public ulong RequiredMask => requiredMask;

    public SchemaNode? FreeValue => freeValue;

    public bool HasFreeKeys => freeValue is not null;

    public override byte[] Minimal { get; } = exactlyOne
        ? Enumerable.Range(0, keys.Length).Select(i => (byte[])[(byte)'{', (byte)'"', .. keys[i], (byte)'"', (byte)':', .. values[i].Minimal, (byte)'}']).MinBy(m => m.Length)!
        : MinimalObject(keys, values, requiredMask);

    private static byte[] MinimalObject(byte[][] keys, SchemaNode[] values, ulong required)
    {
        var members = Enumerable.Range(0, keys.Length).Where(i => (required >> i & 1) != 0)
            .Select(i => (byte[])[(byte)'"', .. keys[i], (byte)'"', (byte)':', .. values[i].Minimal]);
        return [(byte)'{', .. JsonBytes.Join(members), (byte)'}'];
    }
}

internal sealed class ArrayNode(SchemaNode items, int minItems, int? maxItems) : SchemaNode
{
    public SchemaNode Items => items;

    public int MinItems => minItems;

    public int? MaxItems => maxItems;

    public override byte[] Minimal { get; } = [(byte)'[', .. JsonBytes.Join(Enumerable.Repeat(items.Minimal, minItems)), (byte)']'];
}

/// <summary>A string of at most <see cref="MaxLength"/> characters (Unicode code points), when given.</summary>
internal sealed class StringNode(int? maxLength) : SchemaNode
{
    public static readonly StringNode Unbounded = new(null);

    public int? MaxLength => maxLength;

    public override byte[] Minimal => "\"\""u8.ToArray();
}

internal sealed class NumberNode(bool integer) : SchemaNode
{
    public static readonly NumberNode Integer = new(true);
    public static readonly NumberNode Real = new(false);

    public bool IsInteger => integer;

    public override byte[] Minimal => "0"u8.ToArray();
}

/// <summary>A fixed set of JSON texts: enum and const values, true/false, null.</summary>
internal sealed class LiteralsNode(byte[][] literals) : SchemaNode
{
    public static readonly LiteralsNode Boolean = new(["true"u8.ToArray(), "false"u8.ToArray()]);
    public static readonly LiteralsNode Null = new(["null"u8.ToArray()]);

    public byte[][] Literals => literals;

    public override byte[] Minimal { get; } = literals.MinBy(l => l.Length)!;
}

/// <summary>Several types ("type": [...]); the first byte of a value tells which one it is.</summary>
internal sealed class UnionNode(SchemaNode[] options) : SchemaNode
{
    public SchemaNode[] Options => options;

    public override byte[] Minimal { get; } = options.Select(o => o.Minimal).MinBy(m => m.Length)!;
}

internal static class JsonBytes
{
    public static byte[] Join(IEnumerable<byte[]> parts)
    {
        var joined = new List<byte>();
        foreach (var part in parts)
        {
            if (joined.Count > 0)
            {
                joined.Add((byte)',');
            }

            joined.AddRange(part);
        }

        return [.. joined];
    }
}
