namespace AdaptLab.Engine.Constrained;

/// <summary>
/// One level of the JSON parser's stack. Frames are records, so equal parse states are equal values and can
/// key the per-state token mask cache; counters that no longer matter are capped to keep states few.
/// </summary>
internal abstract record JsonFrame;

/// <summary>Expecting a value of <paramref name="Node"/>; one space may come first.</summary>
internal sealed record ValueFrame(SchemaNode Node, bool SpaceUsed) : JsonFrame;

internal enum ObjectPhase
{
    AfterOpen,
    AfterComma,
    InKey,
    AfterKey,
    InValue,
    AfterValue,
}

/// <summary>
/// Inside an object: which declared properties were written (<paramref name="Emitted"/>), the key typed so far
/// (<paramref name="KeyPrefix"/>, bytes as Latin-1 chars) and the chosen property (<paramref name="Key"/>).
/// <paramref name="Space"/>: the one optional space at this point is used.
/// </summary>
internal sealed record ObjectFrame(ObjectNode Node, ulong Emitted, ObjectPhase Phase, bool Space, string KeyPrefix, int Key) : JsonFrame;

internal enum ArrayPhase
{
    AfterOpen,
    InItem,
    AfterItem,
}

internal sealed record ArrayFrame(ArrayNode Node, int Count, ArrayPhase Phase, bool Space) : JsonFrame;

internal enum StringPhase
{
    Text,
    Escape,
    Hex,
}

/// <summary>
/// Inside a string: characters so far (kept only under a maxLength), the UTF-8 continuation bytes still due
/// and the range the next one must fall in, and \u escape progress (a first hex digit d starts a check that
/// rules out surrogates, which System.Text.Json rejects when unpaired).
/// </summary>
internal sealed record StringFrame(int? MaxLength, int Length, StringPhase Phase, int Pending, byte Low, byte High, int HexDigits, bool SurrogateCheck) : JsonFrame
{
    public static StringFrame Open(int? maxLength) => new(maxLength, 0, StringPhase.Text, 0, 0x80, 0xBF, 0, false);

    public bool HasRoom => MaxLength is null || Length < MaxLength;

    public StringFrame AddCharacter() => this with { Length = MaxLength is null ? 0 : Length + 1, Phase = StringPhase.Text };
}

internal enum NumberPhase
{
    Minus,
    Zero,
    Integer,
    Dot,
    Fraction,
    Exponent,
    ExponentSign,
    ExponentDigits,
}

internal sealed record NumberFrame(bool IntegerOnly, NumberPhase Phase) : JsonFrame;

/// <summary>Matching one of a set of literal texts; <paramref name="Prefix"/> holds the bytes typed (as Latin-1).</summary>
internal sealed record LiteralFrame(LiteralsNode Node, string Prefix) : JsonFrame;

/// <summary>The parser's stack; <see cref="Done"/> once the top-level value is complete.</summary>
internal sealed record JsonState(JsonFrame? Top, JsonState? Below)
{
    public static readonly JsonState Done = new(null, null);

    public static JsonState Start(SchemaNode schema) => new(new ValueFrame(schema, false), null);

    public bool IsDone => Top is null;
}
