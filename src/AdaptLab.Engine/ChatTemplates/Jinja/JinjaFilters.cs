namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>
/// The filters after '|', split as the reference renderer splits them: a bare name (<c>x | trim</c>) and a
/// call (<c>x | join(", ")</c>) are looked up separately, by the operand's type.
/// </summary>
internal static class JinjaFilters
{
    public static JinjaValue ApplyBare(JinjaValue operand, string name)
    {
        switch (name)
        {
            case "safe":
                return operand;
            case "tojson":
                return new StringValue(JinjaJson.Serialize(operand, new JinjaJson.Options()));
        }

        return operand switch
        {
            ArrayValue a => ArrayFilter(a, name),
            StringValue s => StringFilter(s, name),
            IntegerValue or FloatValue => NumberFilter(operand, name),
            ObjectValue o => name switch
            {
                "items" => JinjaMembers.Items(o),
                "length" => new IntegerValue(o.Entries.Count),
                _ => JinjaMembers.Get(o, name) is FunctionValue f ? f.Function([], new JinjaEnvironment(null)) : throw Unknown(name, operand),
            },
            BoolValue b => name switch
            {
                "bool" => b,
                "int" => new IntegerValue(b.Value ? 1 : 0),
                "float" => new FloatValue(b.Value ? 1 : 0),
                "string" => new StringValue(b.ToString()),
                _ => throw Unknown(name, operand),
            },
            _ => throw Unknown(name, operand),
        };
    }

    public static JinjaValue ApplyCall(JinjaValue operand, string name, List<JinjaValue> args, Dictionary<string, JinjaValue> keywords)
    {
        JinjaValue Arg(int index, string keyword, JinjaValue fallback) =>
            index < args.Count ? args[index] : keywords.GetValueOrDefault(keyword) ?? fallback;

        switch (name)
        {
            case "tojson":
                return new StringValue(JinjaJson.Serialize(operand, JsonOptions(keywords)));
            case "join":
                var separator = Arg(0, "separator", new StringValue("")) as StringValue
                    ?? throw new FormatException("Chat template: join's separator must be a string.");
                var parts = operand switch
                {
                    StringValue s => s.Value.Select(c => c.ToString()),
                    ArrayValue a => a.Items.Select(JinjaOperations.RawText),
                    _ => throw Unknown(name, operand),
                };
                return new StringValue(string.Join(separator.Value, parts));
            case "int" or "float":
                return ToNumber(operand, name, Arg(0, "default", name == "int" ? new IntegerValue(0) : new FloatValue(0)));
            case "default":
                var fallback = args.Count > 0 ? args[0] : new StringValue("");
                var boolean = Arg(1, "boolean", BoolValue.False) as BoolValue
                    ?? throw new FormatException("Chat template: default's boolean flag must be a boolean.");
                return operand is UndefinedValue || (boolean.Value && !operand.IsTruthy) ? fallback : operand;
        }

        return operand switch
        {
            ArrayValue a => name switch
            {
                "sort" => Sort(a, Arg(0, "reverse", BoolValue.False), Arg(1, "case_sensitive", BoolValue.False), Arg(2, "attribute", NullValue.Instance)),
                "selectattr" or "rejectattr" => SelectAttribute(a, name == "selectattr", args),
                "map" => MapAttribute(a, keywords),
                _ => throw Unknown(name, operand),
            },
            StringValue s => name switch
            {
                "indent" => Indent(s.Value, Arg(0, "width", new IntegerValue(4)), Arg(1, "first", BoolValue.False), Arg(2, "blank", BoolValue.False)),
                "replace" => JinjaMembers.Replace(s.Value, [.. args, new ObjectValue(keywords, isKeywordArguments: true)]),
                _ => throw Unknown(name, operand),
            },
            ObjectValue o when JinjaMembers.Get(o, name) is FunctionValue f =>
                f.Function(keywords.Count > 0 ? [.. args, new ObjectValue(keywords, isKeywordArguments: true)] : args, new JinjaEnvironment(null)),
            _ => throw Unknown(name, operand),
        };
    }

    private static JinjaValue ArrayFilter(ArrayValue a, string name) => name switch
    {
        "list" => a,
        "first" => a.Items.Count > 0 ? a.Items[0] : UndefinedValue.Instance,
        "last" => a.Items.Count > 0 ? a.Items[^1] : UndefinedValue.Instance,
        "length" => new IntegerValue(a.Items.Count),
        "reverse" => new ArrayValue([.. Enumerable.Reverse(a.Items)]),
        "sort" => Sort(a, BoolValue.False, BoolValue.False, NullValue.Instance),
        "join" => new StringValue(string.Concat(a.Items.Select(JinjaOperations.RawText))),
        "string" => new StringValue(JinjaJson.Serialize(a, new JinjaJson.Options(), undefinedAsNull: false)),
        "unique" => Unique(a),
        _ => throw Unknown(name, a),
    };

    private static JinjaValue StringFilter(StringValue s, string name) => name switch
    {
        "length" => new IntegerValue(s.Value.Length),
        "upper" => new StringValue(s.Value.ToUpperInvariant()),
        "lower" => new StringValue(s.Value.ToLowerInvariant()),
        "title" => new StringValue(JinjaMembers.Title(s.Value)),
        "capitalize" => new StringValue(JinjaMembers.Capitalize(s.Value)),
        "trim" => new StringValue(JsText.Trim(s.Value)),
        "indent" => Indent(s.Value, new IntegerValue(4), BoolValue.False, BoolValue.False),
        "join" or "string" => s,
        "int" => new IntegerValue(JinjaOperations.ParseIntPrefix(s.Value) ?? 0),
        "float" => new FloatValue(JinjaOperations.ParseFloatPrefix(s.Value) ?? 0),
        _ => throw Unknown(name, s),
    };

    private static JinjaValue NumberFilter(JinjaValue number, string name) => (name, number) switch
    {
        ("abs", IntegerValue i) => new IntegerValue(Math.Abs(i.Value)),
        ("abs", FloatValue f) => new FloatValue(Math.Abs(f.Value)),
        ("int", IntegerValue i) => i,
        ("int", FloatValue f) => new IntegerValue((long)Math.Floor(f.Value)),
        ("float", _) => new FloatValue(JinjaOperations.ToNumber(number)),
        ("string", _) => new StringValue(number.ToString()),
        _ => throw Unknown(name, number),
    };

    private static JinjaValue ToNumber(JinjaValue operand, string name, JinjaValue fallback) => operand switch
    {
        StringValue s when name == "int" => JinjaOperations.ParseIntPrefix(s.Value) is { } i ? new IntegerValue(i) : fallback,
        StringValue s => JinjaOperations.ParseFloatPrefix(s.Value) is { } f ? new FloatValue(f) : fallback,
        IntegerValue or FloatValue => operand,
        BoolValue b => name == "int" ? new IntegerValue(b.Value ? 1 : 0) : new FloatValue(b.Value ? 1 : 0),
        _ => throw Unknown(name, operand),
    };

    private static JinjaJson.Options JsonOptions(Dictionary<string, JinjaValue> keywords)
    {
        var indent = keywords.GetValueOrDefault("indent") switch
        {
            null or NullValue => (int?)null,
            IntegerValue i => (int)i.Value,
            _ => throw new FormatException("Chat template: tojson's indent must be an integer."),
        };
        var separators = keywords.GetValueOrDefault("separators") switch
        {
            null or NullValue => ((string, string)?)null,
            ArrayValue { Items: [StringValue item, StringValue key] } => (item.Value, key.Value),
            _ => throw new FormatException("Chat template: tojson's separators must be two strings."),
        };
        return new JinjaJson.Options(indent, Flag(keywords, "ensure_ascii"), Flag(keywords, "sort_keys"), separators);
    }

    private static bool Flag(Dictionary<string, JinjaValue> keywords, string name) => keywords.GetValueOrDefault(name) switch
    {
        null => false,
        BoolValue b => b.Value,
        _ => throw new FormatException($"Chat template: tojson's {name} must be a boolean."),
    };

    private static ArrayValue Sort(ArrayValue a, JinjaValue reverse, JinjaValue caseSensitive, JinjaValue attribute)
    {
        if (reverse is not BoolValue descending || caseSensitive is not BoolValue exactCase)
        {
            throw new FormatException("Chat template: sort's reverse and case_sensitive must be booleans.");
        }

        var path = attribute switch
        {
            NullValue => null,
            StringValue s => s.Value,
            IntegerValue i => JsNumber.Format(i.Value),
            _ => throw new FormatException("Chat template: sort's attribute must be a string or an integer."),
        };
        JinjaValue Key(JinjaValue item) => path is null ? item : AttributePath(item, path);
        var sorted = a.Items.ToList();
        // List.Sort is unstable; the reference (Array.prototype.sort) is stable.
        var order = sorted.Select((item, index) => (item, index)).ToList();
        order.Sort((x, y) =>
        {
            var c = JinjaOperations.Compare(Key(x.item), Key(y.item), exactCase.Value);
            c = descending.Value ? -c : c;
            return c != 0 ? c : x.index.CompareTo(y.index);
        });
        return new ArrayValue([.. order.Select(o => o.item)]);
    }

    private static ArrayValue SelectAttribute(ArrayValue a, bool select, List<JinjaValue> args)
    {
        if (a.Items.Any(item => item is not (ObjectValue or NamespaceValue)))
        {
            throw new FormatException("Chat template: selectattr and rejectattr apply to lists of mappings only.");
        }

        if (args.Count == 0 || args[0] is not StringValue attribute)
        {
            throw new FormatException("Chat template: selectattr and rejectattr need an attribute name.");
        }

        var test = args.Count > 1 ? ((StringValue)args[1]).Value : null;
        if (test is not null && !JinjaTests.Exists(test))
        {
            throw new FormatException($"Chat template uses the test '{test}', which is not supported.");
        }

        var argument = args.Count > 2 ? args[2] : null;
        return new ArrayValue([.. a.Items.Where(item =>
        {
            var value = Attributes(item).GetValueOrDefault(attribute.Value);
            var passes = value is not null && (test is null ? value.IsTruthy : JinjaTests.Run(test, value, argument));
            return passes == select;
        })]);
    }

    private static ArrayValue MapAttribute(ArrayValue a, Dictionary<string, JinjaValue> keywords)
    {
        if (keywords.GetValueOrDefault("attribute") is not StringValue attribute)
        {
            throw new FormatException("Chat template: map is supported with attribute= only.");
        }

        var fallback = keywords.GetValueOrDefault("default");
        return new ArrayValue([.. a.Items.Select(item => item is ObjectValue or NamespaceValue
            ? AttributePath(item, attribute.Value) is UndefinedValue ? fallback ?? UndefinedValue.Instance : AttributePath(item, attribute.Value)
            : throw new FormatException("Chat template: map applies to lists of mappings only."))]);
    }

    private static JinjaValue AttributePath(JinjaValue item, string path)
    {
        var value = item;
        foreach (var part in path.Split('.'))
        {
            value = value switch
            {
                ObjectValue or NamespaceValue => Attributes(value).GetValueOrDefault(part) ?? UndefinedValue.Instance,
                ArrayValue list when int.TryParse(part, out var index) && index >= 0 && index < list.Items.Count => list.Items[index],
                _ => UndefinedValue.Instance,
            };
        }

        return value;
    }

    private static Dictionary<string, JinjaValue> Attributes(JinjaValue value) => value switch
    {
        ObjectValue o => o.Entries,
        NamespaceValue n => n.Entries,
        _ => [],
    };

    private static ArrayValue Unique(ArrayValue a)
    {
        var kept = new List<JinjaValue>();
        foreach (var item in a.Items.Where(item => !kept.Any(k => JinjaOperations.StrictEquals(k, item))))
        {
            kept.Add(item);
        }

        return new ArrayValue(kept);
    }

    private static StringValue Indent(string s, JinjaValue width, JinjaValue first, JinjaValue blank)
    {
        if (width is not IntegerValue w)
        {
            throw new FormatException("Chat template: indent's width must be an integer.");
        }

        var pad = new string(' ', (int)w.Value);
        var lines = s.Split('\n').Select((line, i) =>
            (!first.IsTruthy && i == 0) || (!blank.IsTruthy && line.Length == 0) ? line : pad + line);
        return new StringValue(string.Join("\n", lines));
    }

    private static FormatException Unknown(string filter, JinjaValue operand) =>
        new($"Chat template applies the filter '{filter}' to a {operand.TypeName}, which is not supported.");
}
