namespace AdaptLab.Engine.Constrained;

/// <summary>
/// A byte-level pushdown automaton for the JSON texts a compiled schema allows: <see cref="Advance(JsonState, byte)"/> takes a
/// byte (null when the byte cannot continue a valid document) and <see cref="Completion"/> gives the shortest
/// bytes that finish one. Whitespace is limited to one optional space after '{', '[', ',' and ':' (and before
/// a closing bracket), so a model cannot pad forever.
/// </summary>
internal static class JsonAutomaton
{
    private static readonly ObjectNode AnyObject = new([], [], 0, AnyNode.Instance);
    private static readonly ArrayNode AnyArray = new(AnyNode.Instance, 0, null);

    private enum Outcome
    {
        Reject,
        Replace,
        Push,
        PushAndRefeed,
        Done,
        DoneAndRefeed,
    }

    private readonly record struct Step(Outcome Outcome, JsonFrame? Frame = null, JsonFrame? Child = null)
    {
        public static readonly Step Reject = new(Outcome.Reject);
        public static readonly Step Done = new(Outcome.Done);
        public static readonly Step DoneAndRefeed = new(Outcome.DoneAndRefeed);

        public static Step Replace(JsonFrame frame) => new(Outcome.Replace, frame);
    }

    public static JsonState? Advance(JsonState state, byte b)
    {
        if (state.Top is not { } top)
        {
            return null;
        }

        var step = Next(top, b);
        return step.Outcome switch
        {
            Outcome.Reject => null,
            Outcome.Replace => new JsonState(step.Frame, state.Below),
            Outcome.Push => new JsonState(step.Child, new JsonState(step.Frame, state.Below)),
            Outcome.PushAndRefeed => Advance(new JsonState(step.Child, new JsonState(step.Frame, state.Below)), b),
            Outcome.Done => Pop(state.Below),
            _ => Advance(Pop(state.Below), b),
        };
    }

    public static JsonState? Advance(JsonState state, ReadOnlySpan<byte> bytes)
    {
        JsonState? current = state;
        foreach (var b in bytes)
        {
            current = current is null ? null : Advance(current, b);
        }

        return current;
    }

    /// <summary>The shortest bytes that complete the document from <paramref name="state"/>.</summary>
    public static byte[] Completion(JsonState state)
    {
        var bytes = new List<byte>();
        for (var current = state; current.Top is { } top; current = Pop(current.Below))
        {
            bytes.AddRange(FrameCompletion(top));
        }

        return [.. bytes];
    }

    private static JsonState Pop(JsonState? below) =>
        below?.Top is { } parent ? new JsonState(ChildDone(parent), below.Below) : JsonState.Done;

    private static JsonFrame ChildDone(JsonFrame parent) => parent switch
    {
        ObjectFrame { Phase: ObjectPhase.InKey } o => o with { Phase = ObjectPhase.AfterKey },
        ObjectFrame o => o with
        {
            Phase = ObjectPhase.AfterValue,
            Emitted = o.Node.HasFreeKeys ? 0 : o.Emitted | (1UL << o.Key),
            Key = -1,
        },
        ArrayFrame a => a with { Phase = ArrayPhase.AfterItem, Count = Math.Min(a.Count + 1, Math.Max(a.Node.MinItems, a.Node.MaxItems ?? a.Node.MinItems)) },
        _ => throw new InvalidOperationException($"A {parent.GetType().Name} has no child values."),
    };

    private static Step Next(JsonFrame frame, byte b) => frame switch
    {
        ValueFrame { SpaceUsed: false } v when b == ' ' => Step.Replace(v with { SpaceUsed = true }),
        ValueFrame v => Start(v.Node, b),
        ObjectFrame o => NextInObject(o, b),
        ArrayFrame a => NextInArray(a, b),
        StringFrame s => NextInString(s, b),
        NumberFrame n => NextInNumber(n, b),
        LiteralFrame l => NextInLiteral(l, b),
        _ => Step.Reject,
    };

    private static Step Start(SchemaNode node, byte b) => node switch
    {
        AnyNode => b switch
        {
            (byte)'{' => Step.Replace(OpenObject(AnyObject)),
            (byte)'[' => Step.Replace(new ArrayFrame(AnyArray, 0, ArrayPhase.AfterOpen, false)),
            (byte)'"' => Step.Replace(StringFrame.Open(null)),
            (byte)'t' or (byte)'f' => Start(LiteralsNode.Boolean, b),
            (byte)'n' => Start(LiteralsNode.Null, b),
            _ => Start(NumberNode.Real, b),
        },
        ObjectNode o when b == '{' => Step.Replace(OpenObject(o)),
        ArrayNode a when b == '[' => Step.Replace(new ArrayFrame(a, 0, ArrayPhase.AfterOpen, false)),
        StringNode s when b == '"' => Step.Replace(StringFrame.Open(s.MaxLength)),
        NumberNode n => b switch
        {
            (byte)'-' => Step.Replace(new NumberFrame(n.IsInteger, NumberPhase.Minus)),
            (byte)'0' => Step.Replace(new NumberFrame(n.IsInteger, NumberPhase.Zero)),
            >= (byte)'1' and <= (byte)'9' => Step.Replace(new NumberFrame(n.IsInteger, NumberPhase.Integer)),
            _ => Step.Reject,
        },
        LiteralsNode l => NextInLiteral(new LiteralFrame(l, ""), b),
        UnionNode u => u.Options.Select(option => Start(option, b)).FirstOrDefault(s => s.Outcome != Outcome.Reject, Step.Reject),
        _ => Step.Reject,
    };

    private static ObjectFrame OpenObject(ObjectNode node) => new(node, 0, ObjectPhase.AfterOpen, false, "", -1);

    private static bool AllRequiredWritten(ObjectFrame o) => (o.Node.RequiredMask & ~o.Emitted) == 0 && (!o.Node.ExactlyOne || o.Emitted != 0);

    private static bool CanAddProperty(ObjectFrame o) =>
        o.Node.HasFreeKeys || (!(o.Node.ExactlyOne && o.Emitted != 0) && Enumerable.Range(0, o.Node.Keys.Length).Any(i => (o.Emitted >> i & 1) == 0));

    private static Step NextInObject(ObjectFrame o, byte b)
    {
        switch (o.Phase)
        {
            case ObjectPhase.AfterOpen or ObjectPhase.AfterComma:
                if (b == ' ' && !o.Space)
                {
                    return Step.Replace(o with { Space = true });
                }

                if (b == '"' && CanAddProperty(o))
                {
                    return o.Node.HasFreeKeys
                        ? new Step(Outcome.Push, o with { Phase = ObjectPhase.InKey, Space = false }, StringFrame.Open(null))
                        : Step.Replace(o with { Phase = ObjectPhase.InKey, Space = false, KeyPrefix = "" });
                }

                return b == '}' && o.Phase == ObjectPhase.AfterOpen && AllRequiredWritten(o) ? Step.Done : Step.Reject;
            case ObjectPhase.InKey:
                var typed = o.KeyPrefix + (char)b;
                if (OpenKeys(o).Any(i => StartsWith(o.Node.Keys[i], typed)))
                {
                    return Step.Replace(o with { KeyPrefix = typed });
                }

                var chosen = b == '"' ? OpenKeys(o).FirstOrDefault(i => o.Node.Keys[i].Length == o.KeyPrefix.Length && StartsWith(o.Node.Keys[i], o.KeyPrefix), -1) : -1;
                return chosen >= 0 ? Step.Replace(o with { Phase = ObjectPhase.AfterKey, KeyPrefix = "", Key = chosen }) : Step.Reject;
            case ObjectPhase.AfterKey:
                var valueNode = o.Node.HasFreeKeys ? o.Node.FreeValue! : o.Node.Values[o.Key];
                return b == ':' ? new Step(Outcome.Push, o with { Phase = ObjectPhase.InValue }, new ValueFrame(valueNode, false)) : Step.Reject;
            case ObjectPhase.AfterValue:
                if (b == ' ' && !o.Space && AllRequiredWritten(o))
                {
                    return Step.Replace(o with { Space = true });
                }

                if (b == ',' && !o.Space && CanAddProperty(o))
                {
                    return Step.Replace(o with { Phase = ObjectPhase.AfterComma });
                }

                return b == '}' && AllRequiredWritten(o) ? Step.Done : Step.Reject;
            default:
                return Step.Reject;
        }
    }

    private static IEnumerable<int> OpenKeys(ObjectFrame o) => Enumerable.Range(0, o.Node.Keys.Length).Where(i => (o.Emitted >> i & 1) == 0);

    private static bool StartsWith(byte[] key, string latin1Prefix)
    {
        if (latin1Prefix.Length > key.Length)
        {
            return false;
        }

        for (var i = 0; i < latin1Prefix.Length; i++)
        {
            if (key[i] != latin1Prefix[i])
            {
                return false;
            }
        }

        return true;
    }

    private static Step NextInArray(ArrayFrame a, byte b)
    {
        var node = a.Node;
        switch (a.Phase)
        {
            case ArrayPhase.AfterOpen:
                if (b == ' ' && !a.Space)
                {
                    return Step.Replace(a with { Space = true });
                }

                if (b == ']' && node.MinItems == 0)
                {
                    return Step.Done;
                }

                // The space after '[' is the item's leading space, so the item may not add another.
                return node.MaxItems == 0 ? Step.Reject
                    : new Step(Outcome.PushAndRefeed, a with { Phase = ArrayPhase.InItem, Space = false }, new ValueFrame(node.Items, SpaceUsed: true));
            case ArrayPhase.AfterItem:
                if (b == ' ' && !a.Space && a.Count >= node.MinItems)
                {
                    return Step.Replace(a with { Space = true });
                }

                if (b == ',' && !a.Space && (node.MaxItems is null || a.Count < node.MaxItems))
                {
                    return new Step(Outcome.Push, a with { Phase = ArrayPhase.InItem }, new ValueFrame(node.Items, false));
                }

                return b == ']' && a.Count >= node.MinItems ? Step.Done : Step.Reject;
            default:
                return Step.Reject;
        }
    }

    private static Step NextInString(StringFrame s, byte b)
    {
        if (s.Pending > 0)
        {
            return b >= s.Low && b <= s.High ? Step.Replace(s with { Pending = s.Pending - 1, Low = 0x80, High = 0xBF }) : Step.Reject;
        }

        switch (s.Phase)
        {
            case StringPhase.Escape:
                return b switch
                {
                    (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' => Step.Replace(s.AddCharacter()),
                    (byte)'u' => Step.Replace(s with { Phase = StringPhase.Hex, HexDigits = 0 }),
                    _ => Step.Reject,
                };
            case StringPhase.Hex:
                if (!char.IsAsciiHexDigit((char)b) || (s.HexDigits == 1 && s.SurrogateCheck && b is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F')))
                {
                    return Step.Reject;
                }

                return s.HexDigits == 3
                    ? Step.Replace(s.AddCharacter() with { HexDigits = 0, SurrogateCheck = false })
                    : Step.Replace(s with { HexDigits = s.HexDigits + 1, SurrogateCheck = s.HexDigits == 0 ? b is (byte)'d' or (byte)'D' : s.SurrogateCheck });
        }

        if (b == '"')
        {
            return Step.Done;
        }

        if (b < 0x20 || !s.HasRoom)
        {
            return Step.Reject;
        }

        // Lead bytes of well-formed UTF-8 and the range of the byte after each (no overlongs, no surrogates).
        return b switch
        {
            (byte)'\\' => Step.Replace(s with { Phase = StringPhase.Escape }),
            < 0x80 => Step.Replace(s.AddCharacter()),
            >= 0xC2 and <= 0xDF => Step.Replace(s.AddCharacter() with { Pending = 1, Low = 0x80, High = 0xBF }),
            0xE0 => Step.Replace(s.AddCharacter() with { Pending = 2, Low = 0xA0, High = 0xBF }),
            0xED => Step.Replace(s.AddCharacter() with { Pending = 2, Low = 0x80, High = 0x9F }),
            >= 0xE1 and <= 0xEF => Step.Replace(s.AddCharacter() with { Pending = 2, Low = 0x80, High = 0xBF }),
            0xF0 => Step.Replace(s.AddCharacter() with { Pending = 3, Low = 0x90, High = 0xBF }),
            >= 0xF1 and <= 0xF3 => Step.Replace(s.AddCharacter() with { Pending = 3, Low = 0x80, High = 0xBF }),
            0xF4 => Step.Replace(s.AddCharacter() with { Pending = 3, Low = 0x80, High = 0x8F }),
            _ => Step.Reject,
        };
    }

    private static Step NextInNumber(NumberFrame n, byte b)
    {
        var digit = b is >= (byte)'0' and <= (byte)'9';
        var fraction = !n.IntegerOnly && b == '.';
        var exponent = !n.IntegerOnly && b is (byte)'e' or (byte)'E';
        return n.Phase switch
        {
            NumberPhase.Minus => b == '0' ? Step.Replace(n with { Phase = NumberPhase.Zero })
                : digit ? Step.Replace(n with { Phase = NumberPhase.Integer }) : Step.Reject,
            NumberPhase.Zero or NumberPhase.Integer => fraction ? Step.Replace(n with { Phase = NumberPhase.Dot })
                : exponent ? Step.Replace(n with { Phase = NumberPhase.Exponent })
                : digit && n.Phase == NumberPhase.Integer ? Step.Replace(n)
                : digit ? Step.Reject
                : Step.DoneAndRefeed,
            NumberPhase.Dot => digit ? Step.Replace(n with { Phase = NumberPhase.Fraction }) : Step.Reject,
            NumberPhase.Fraction => digit ? Step.Replace(n)
                : exponent ? Step.Replace(n with { Phase = NumberPhase.Exponent }) : Step.DoneAndRefeed,
            NumberPhase.Exponent => b is (byte)'+' or (byte)'-' ? Step.Replace(n with { Phase = NumberPhase.ExponentSign })
                : digit ? Step.Replace(n with { Phase = NumberPhase.ExponentDigits }) : Step.Reject,
            NumberPhase.ExponentSign => digit ? Step.Replace(n with { Phase = NumberPhase.ExponentDigits }) : Step.Reject,
            _ => digit ? Step.Replace(n) : Step.DoneAndRefeed,
        };
    }

    private static Step NextInLiteral(LiteralFrame l, byte b)
    {
        var typed = l.Prefix + (char)b;
        var candidates = l.Node.Literals.Where(lit => StartsWith(lit, typed)).ToList();
        if (candidates.Count > 0)
        {
            return candidates.All(c => c.Length == typed.Length) ? Step.Done : Step.Replace(l with { Prefix = typed });
        }

        return l.Node.Literals.Any(lit => lit.Length == l.Prefix.Length && StartsWith(lit, l.Prefix)) && l.Prefix.Length > 0 ? Step.DoneAndRefeed : Step.Reject;
    }

    private static byte[] FrameCompletion(JsonFrame frame) => frame switch
    {
        ValueFrame v => v.Node.Minimal,
        ObjectFrame o => ObjectCompletion(o),
        ArrayFrame a => [.. Enumerable.Range(0, Math.Max(0, a.Node.MinItems - a.Count))
                .SelectMany((_, i) => (byte[])[.. i > 0 || a.Phase == ArrayPhase.AfterItem ? ","u8.ToArray() : [], .. a.Node.Items.Minimal]),
            (byte)']'],
        StringFrame s => [.. StringTail(s), (byte)'"'],
        NumberFrame n => n.Phase is NumberPhase.Minus or NumberPhase.Dot or NumberPhase.Exponent or NumberPhase.ExponentSign ? [(byte)'0'] : [],
        LiteralFrame l => l.Node.Literals.Where(lit => StartsWith(lit, l.Prefix)).MinBy(lit => lit.Length)![l.Prefix.Length..],
        _ => [],
    };

    private static byte[] StringTail(StringFrame s) =>
        s.Pending > 0 ? [s.Low, .. Enumerable.Repeat((byte)0x80, s.Pending - 1)]
        : s.Phase == StringPhase.Escape ? [(byte)'n']
        : s.Phase == StringPhase.Hex ? [.. Enumerable.Repeat((byte)'0', 4 - s.HexDigits)]
        : [];

    private static byte[] ObjectCompletion(ObjectFrame o)
    {
        var node = o.Node;
        switch (o.Phase)
        {
            case ObjectPhase.AfterOpen when node.ExactlyOne:
                return node.Minimal[1..];
            case ObjectPhase.AfterOpen:
                return [.. RequiredMembers(node, o.Emitted, leadingComma: false), (byte)'}'];
            case ObjectPhase.AfterValue:
                return [.. RequiredMembers(node, o.Emitted, leadingComma: true), (byte)'}'];
            case ObjectPhase.AfterKey:
                var value = node.HasFreeKeys ? node.FreeValue! : node.Values[o.Key];
                var emitted = node.HasFreeKeys ? 0 : o.Emitted | (1UL << o.Key);
                return [(byte)':', .. value.Minimal, .. RequiredMembers(node, emitted, leadingComma: true), (byte)'}'];
            case ObjectPhase.AfterComma when node.HasFreeKeys:
                return [.. "\"\":"u8, .. node.FreeValue!.Minimal, (byte)'}'];
            case ObjectPhase.AfterComma when (node.RequiredMask & ~o.Emitted) != 0:
                return [.. RequiredMembers(node, o.Emitted, leadingComma: false), (byte)'}'];
            case ObjectPhase.AfterComma:
                return OpenKeys(o).Select(i => (byte[])[(byte)'"', .. node.Keys[i], (byte)'"', (byte)':', .. node.Values[i].Minimal, (byte)'}'])
                    .MinBy(c => c.Length)!;
            case ObjectPhase.InKey:
                return OpenKeys(o).Where(i => StartsWith(node.Keys[i], o.KeyPrefix))
                    .Select(i => (byte[])[.. node.Keys[i][o.KeyPrefix.Length..], (byte)'"', (byte)':', .. node.Values[i].Minimal,
                        .. RequiredMembers(node, o.Emitted | (1UL << i), leadingComma: true), (byte)'}'])
                    .MinBy(c => c.Length)!;
            default:
                throw new InvalidOperationException("An object waiting for a child value has no completion of its own.");
        }
    }

    private static IEnumerable<byte> RequiredMembers(ObjectNode node, ulong emitted, bool leadingComma)
    {
        var members = Enumerable.Range(0, node.Keys.Length).Where(i => (node.RequiredMask >> i & 1) != 0 && (emitted >> i & 1) == 0)
            .Select(i => (byte[])[(byte)'"', .. node.Keys[i], (byte)'"', (byte)':', .. node.Values[i].Minimal]).ToList();
        var joined = JsonBytes.Join(members);
        return leadingComma && joined.Length > 0 ? [(byte)',', .. joined] : joined;
    }
}
