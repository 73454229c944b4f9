using System.Globalization;
using System.Text;

namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>
/// The tojson filter as @huggingface/jinja writes it: Python json.dumps' default separators (", " and ": "),
/// JavaScript's JSON.stringify for strings and numbers, insertion-ordered keys.
/// </summary>
internal static class JinjaJson
{
    public sealed record Options(int? Indent = null, bool EnsureAscii = false, bool SortKeys = false, (string Item, string Key)? Separators = null);

    public static string Serialize(JinjaValue value, Options options, bool undefinedAsNull = true)
    {
        var text = new StringBuilder();
        Write(text, value, options, 0, undefinedAsNull);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JinjaValue value, Options options, int depth, bool undefinedAsNull)
    {
        switch (value)
        {
            case NullValue:
                text.Append("null");
                break;
            case UndefinedValue:
                text.Append(undefinedAsNull ? "null" : "undefined");
                break;
            case BoolValue b:
                text.Append(b.Value ? "true" : "false");
                break;
            case IntegerValue i:
                text.Append(JsNumber.Format(i.Value));
                break;
            case FloatValue f:
                text.Append(double.IsFinite(f.Value) ? JsNumber.Format(f.Value) : "null");
                break;
            case StringValue s:
                WriteString(text, s.Value, options.EnsureAscii);
                break;
            case ArrayValue { IsTuple: false } a:
                WriteContainer(text, '[', ']', a.Items.Select(item => (Key: (string?)null, Value: item)), options, depth, undefinedAsNull);
                break;
            case ObjectValue o:
                WriteContainer(text, '{', '}', Entries(o.Entries, options), options, depth, undefinedAsNull);
                break;
            case NamespaceValue n:
                WriteContainer(text, '{', '}', Entries(n.Entries, options), options, depth, undefinedAsNull);
                break;
            default:
                throw new FormatException($"Chat template: cannot convert a {value.TypeName} to JSON.");
        }
    }

    private static IEnumerable<(string? Key, JinjaValue Value)> Entries(Dictionary<string, JinjaValue> entries, Options options)
    {
        var pairs = entries.Select(e => (Key: (string?)e.Key, e.Value));
        // localeCompare in the reference; ordinal ignoring case is the nearest culture-free order.
        return options.SortKeys ? pairs.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase) : pairs;
    }

    private static void WriteContainer(
        StringBuilder text, char open, char close, IEnumerable<(string? Key, JinjaValue Value)> items, Options options, int depth, bool undefinedAsNull)
    {
        var indent = options.Indent is > 0 ? new string(' ', options.Indent.Value) : "";
        var (itemSeparator, keySeparator) = options.Separators ?? (indent.Length > 0 ? (",", ": ") : (", ", ": "));
        var basePadding = "\n" + string.Concat(Enumerable.Repeat(indent, depth));
        var childPadding = basePadding + indent;
        var parts = items.Select(item =>
        {
            var part = new StringBuilder();
            if (item.Key is not null)
            {
                WriteString(part, item.Key, options.EnsureAscii);
                part.Append(keySeparator);
            }

            Write(part, item.Value, options, depth + 1, undefinedAsNull);
            return part.ToString();
        }).ToList();

        text.Append(open);
        if (indent.Length > 0 && parts.Count > 0)
        {
            text.Append(childPadding).AppendJoin(itemSeparator + childPadding, parts).Append(basePadding);
        }
        else
        {
            text.AppendJoin(itemSeparator, parts);
        }

        text.Append(close);
    }

    /// <summary>JSON.stringify's string escaping; with ensure_ascii, everything from U+007F up as \uXXXX.</summary>
    public static void WriteString(StringBuilder text, string value, bool ensureAscii)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    var loneSurrogate = char.IsHighSurrogate(c) ? !(i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                        : char.IsLowSurrogate(c) && !(i > 0 && char.IsHighSurrogate(value[i - 1]));
                    if (c < 0x20 || loneSurrogate || (ensureAscii && c >= 0x7F))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
