using System.Text;

namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>
/// Attributes and methods reached with '.': Python's str methods (strip, split, startswith, ...) and dict
/// methods (get, items, keys, values), as the reference renderer provides them. Its strip, lstrip and rstrip
/// ignore their argument and trim white space, and so do these.
/// </summary>
internal static class JinjaMembers
{
    public static JinjaValue Get(JinjaValue target, string name) => target switch
    {
        StringValue s => StringMember(s.Value, name),
        ArrayValue a when name == "length" => new IntegerValue(a.Items.Count),
        ObjectValue o => ObjectMember(o, name),
        _ => UndefinedValue.Instance,
    };

    private static JinjaValue StringMember(string s, string name) => name switch
    {
        "upper" => Function(_ => new StringValue(s.ToUpperInvariant())),
        "lower" => Function(_ => new StringValue(s.ToLowerInvariant())),
        "strip" => Function(_ => new StringValue(JsText.Trim(s))),
        "lstrip" => Function(_ => new StringValue(JsText.TrimStart(s))),
        "rstrip" => Function(_ => new StringValue(JsText.TrimEnd(s))),
        "title" => Function(_ => new StringValue(Title(s))),
        "capitalize" => Function(_ => new StringValue(Capitalize(s))),
        "length" => new IntegerValue(s.Length),
        "startswith" => Function(args => BoolValue.Of(Affixes(args, "startswith").Any(p => s.StartsWith(p, StringComparison.Ordinal)))),
        "endswith" => Function(args => BoolValue.Of(Affixes(args, "endswith").Any(p => s.EndsWith(p, StringComparison.Ordinal)))),
        "split" => Function(args => Split(s, args)),
        "replace" => Function(args => Replace(s, args)),
        _ => UndefinedValue.Instance,
    };

    private static JinjaValue ObjectMember(ObjectValue o, string name) => name switch
    {
        "get" => Function(args => args.Count > 0 && args[0] is StringValue key
            ? o.Entries.GetValueOrDefault(key.Value) ?? (args.Count > 1 ? args[1] : NullValue.Instance)
            : throw new FormatException("Chat template: dict.get needs a string key.")),
        "items" => Function(_ => Items(o)),
        "keys" => Function(_ => new ArrayValue([.. o.Entries.Keys.Select(k => (JinjaValue)new StringValue(k))])),
        "values" => Function(_ => new ArrayValue([.. o.Entries.Values])),
        "dictsort" => Function(args => DictSort(o, args)),
        _ => UndefinedValue.Instance,
    };

    /// <summary>
    /// dictsort(case_sensitive=false, by='key', reverse=false): the (key, value) pairs sorted stably by key or
    /// value, as the reference sorts them (strings compared case-insensitively unless asked, numbers by value).
    /// </summary>
    private static ArrayValue DictSort(ObjectValue o, List<JinjaValue> args)
    {
        var positional = args.Where(a => a is not ObjectValue { IsKeywordArguments: true }).ToList();
        var keywords = args.OfType<ObjectValue>().FirstOrDefault(a => a.IsKeywordArguments)?.Entries ?? [];
        JinjaValue Arg(int index, string keyword, JinjaValue fallback) =>
            index < positional.Count ? positional[index] : keywords.GetValueOrDefault(keyword) ?? fallback;

        var caseSensitive = Arg(0, "case_sensitive", BoolValue.False) as BoolValue
            ?? throw new FormatException("Chat template: dictsort's case_sensitive must be a boolean.");
        var by = Arg(1, "by", new StringValue("key")) is StringValue { Value: "key" or "value" } b
            ? b.Value
            : throw new FormatException("Chat template: dictsort's by must be 'key' or 'value'.");
        var reverse = Arg(2, "reverse", BoolValue.False) as BoolValue
            ?? throw new FormatException("Chat template: dictsort's reverse must be a boolean.");
        var pairs = o.Entries.Select((e, index) => (Key: (JinjaValue)new StringValue(e.Key), e.Value, Index: index)).ToList();
        try
        {
            pairs.Sort((x, y) =>
            {
                var c = by == "key" ? JinjaOperations.Compare(x.Key, y.Key, caseSensitive.Value) : JinjaOperations.Compare(x.Value, y.Value, caseSensitive.Value);
                c = reverse.Value ? -c : c;
                return c != 0 ? c : x.Index.CompareTo(y.Index); // Array.prototype.sort is stable
            });
        }
        catch (InvalidOperationException e) when (e.InnerException is FormatException incomparable)
        {
            throw incomparable; // values of different types, as the reference refuses them
        }
        return new ArrayValue([.. pairs.Select(p => (JinjaValue)new ArrayValue([p.Key, p.Value]))]);
    }

    public static ArrayValue Items(ObjectValue o) =>
        new([.. o.Entries.Select(e => (JinjaValue)new ArrayValue([new StringValue(e.Key), e.Value]))]);

    public static string Title(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (JsText.IsWordChar(chars[i]) && (i == 0 || !JsText.IsWordChar(chars[i - 1])))
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return new string(chars);
    }

    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>Python's str.replace(old, new, count): an empty old inserts between characters.</summary>
    public static JinjaValue Replace(string s, List<JinjaValue> args)
    {
        var positional = args.Where(a => a is not ObjectValue { IsKeywordArguments: true }).ToList();
        var keywords = args.OfType<ObjectValue>().FirstOrDefault(a => a.IsKeywordArguments);
        if (positional.Count < 2 || positional[0] is not StringValue old || positional[1] is not StringValue replacement)
        {
            throw new FormatException("Chat template: replace needs two strings.");
        }

        var count = (positional.Count > 2 ? positional[2] : keywords?.Entries.GetValueOrDefault("count")) switch
        {
            null or NullValue => -1L,
            IntegerValue i => i.Value,
            _ => throw new FormatException("Chat template: replace's count must be an integer."),
        };
        var remaining = count < 0 ? long.MaxValue : count;
        var text = new StringBuilder();
        if (old.Value.Length == 0)
        {
            for (var i = 0; i <= s.Length; i++)
            {
                if (remaining-- > 0)
                {
                    text.Append(replacement.Value);
                }

                if (i < s.Length)
                {
                    text.Append(s[i]);
                    if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        text.Append(s[++i]);
                    }
                }
            }

            return new StringValue(text.ToString());
        }

        var position = 0;
        while (remaining-- > 0)
        {
            var found = s.IndexOf(old.Value, position, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            text.Append(s, position, found - position).Append(replacement.Value);
            position = found + old.Value.Length;
        }

        return new StringValue(text.Append(s, position, s.Length - position).ToString());
    }

    private static IEnumerable<string> Affixes(List<JinjaValue> args, string method) => args.FirstOrDefault() switch
    {
        StringValue s => [s.Value],
        ArrayValue a => a.Items.Select(item => item is StringValue s ? s.Value : throw new FormatException($"Chat template: {method} takes strings.")),
        _ => throw new FormatException($"Chat template: {method} needs a string or a tuple of strings."),
    };

    /// <summary>Python's str.split(sep=None, maxsplit=-1).</summary>
    private static JinjaValue Split(string s, List<JinjaValue> args)
    {
        var separator = args.Count > 0 ? args[0] : NullValue.Instance;
        var maxSplit = args.Count > 1 ? args[1] as IntegerValue ?? throw new FormatException("Chat template: split's maxsplit must be an integer.") : new IntegerValue(-1);
        var parts = new List<string>();
        if (separator is NullValue)
        {
            var text = JsText.TrimStart(s);
            var i = 0;
            while (i < text.Length)
            {
                var start = i;
                while (i < text.Length && !JsText.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                if (maxSplit.Value != -1 && parts.Count >= maxSplit.Value)
                {
                    parts.Add(text[start..]);
                    break;
                }

                parts.Add(text[start..i]);
                while (i < text.Length && JsText.IsWhiteSpace(text[i]))
                {
                    i++;
                }
            }
        }
        else if (separator is StringValue sep)
        {
            if (sep.Value.Length == 0)
            {
                throw new FormatException("Chat template: split's separator is empty.");
            }

            parts = [.. s.Split(sep.Value)];
            if (maxSplit.Value != -1 && parts.Count > maxSplit.Value)
            {
                var rest = string.Join(sep.Value, parts.Skip((int)maxSplit.Value));
                parts = [.. parts.Take((int)maxSplit.Value), rest];
            }
        }
        else
        {
            throw new FormatException("Chat template: split's separator must be a string or none.");
        }

        return new ArrayValue([.. parts.Select(p => (JinjaValue)new StringValue(p))]);
    }

    private static FunctionValue Function(Func<List<JinjaValue>, JinjaValue> body) => new((args, _) => body(args));
}
