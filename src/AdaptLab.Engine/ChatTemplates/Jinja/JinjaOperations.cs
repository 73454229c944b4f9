using System.Globalization;

namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>Comparisons and conversions that follow the JavaScript the reference renderer runs on.</summary>
internal static class JinjaOperations
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>
    /// The text a value's raw JavaScript value gives, as '+' and '~' concatenate: 1.0 gives "1", a list its items'
    /// texts joined by commas (JavaScript's Array.prototype.toString: "a" + [1, "b"] is "a1,b"), a mapping
    /// "[object Map]".
    /// </summary>
    public static string RawText(JinjaValue value) => value switch
    {
        FloatValue f => JsNumber.Format(f.Value),
        ArrayValue a => string.Join(",", a.Items.Select(ItemText)),
        ObjectValue or NamespaceValue => "[object Map]",
        _ => value.ToString(),
    };

    /// <summary>
    /// An item's own toString() inside a joined list: lists and mappings are JSON, none and undefined both
    /// "undefined" (the reference's none holds JavaScript's undefined).
    /// </summary>
    private static string ItemText(JinjaValue item) => item is NullValue or UndefinedValue ? "undefined" : item.ToString();

    /// <summary>JavaScript's == on the raw values: numbers, booleans and numeric strings coerce; containers compare by reference.</summary>
    public static bool LooseEquals(JinjaValue a, JinjaValue b)
    {
        if (a is UndefinedValue or NullValue || b is UndefinedValue or NullValue)
        {
            return a is UndefinedValue or NullValue && b is UndefinedValue or NullValue;
        }

        if (a is StringValue sa && b is StringValue sb)
        {
            return sa.Value == sb.Value;
        }

        if (IsPrimitive(a) && IsPrimitive(b))
        {
            return ToNumber(a) == ToNumber(b);
        }

        return ReferenceEquals(a, b);
    }

    /// <summary>JavaScript's === on the raw values, as 'in' over a list and the equalto test use it.</summary>
    public static bool StrictEquals(JinjaValue a, JinjaValue b) => (a, b) switch
    {
        (UndefinedValue or NullValue, UndefinedValue or NullValue) => true,
        (StringValue x, StringValue y) => x.Value == y.Value,
        (BoolValue x, BoolValue y) => x.Value == y.Value,
        (IntegerValue or FloatValue, IntegerValue or FloatValue) => ToNumber(a) == ToNumber(b),
        _ => ReferenceEquals(a, b),
    };

    public static bool IsNumber(JinjaValue value) => value is IntegerValue or FloatValue;

    public static bool IsNumericLike(JinjaValue value) => value is IntegerValue or FloatValue or BoolValue;

    public static double ToNumber(JinjaValue value) => value switch
    {
        IntegerValue i => i.Value,
        FloatValue f => f.Value,
        BoolValue b => b.Value ? 1 : 0,
        StringValue s => StringToNumber(s.Value),
        _ => double.NaN,
    };

    /// <summary>The order the sort filter uses; null, undefined and mixed types cannot be compared.</summary>
    public static int Compare(JinjaValue a, JinjaValue b, bool caseSensitive)
    {
        if (a is NullValue && b is NullValue || a is UndefinedValue && b is UndefinedValue)
        {
            return 0;
        }

        if (a is NullValue or UndefinedValue || b is NullValue or UndefinedValue)
        {
            throw new FormatException($"Chat template: cannot compare {a.TypeName} with {b.TypeName}.");
        }

        if (IsNumericLike(a) && IsNumericLike(b))
        {
            return ToNumber(a).CompareTo(ToNumber(b));
        }

        if (a is StringValue x && b is StringValue y)
        {
            var (left, right) = caseSensitive ? (x.Value, y.Value) : (x.Value.ToLowerInvariant(), y.Value.ToLowerInvariant());
            return Math.Sign(string.CompareOrdinal(left, right));
        }

        throw new FormatException($"Chat template: cannot compare {a.TypeName} with {b.TypeName}.");
    }

    /// <summary>JavaScript's parseInt(text, 10): leading white space, a sign, then as many digits as there are.</summary>
    public static long? ParseIntPrefix(string text)
    {
        var s = JsText.TrimStart(text);
        var end = s.Length > 0 && s[0] is '+' or '-' ? 1 : 0;
        var digitsStart = end;
        while (end < s.Length && char.IsAsciiDigit(s[end]))
        {
            end++;
        }

        return end > digitsStart ? long.Parse(s[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>JavaScript's parseFloat: the longest decimal prefix after leading white space.</summary>
    public static double? ParseFloatPrefix(string text)
    {
        var s = JsText.TrimStart(text);
        for (var end = s.Length; end > 0; end--)
        {
            if (double.TryParse(s.AsSpan(0, end), DecimalStyle, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return null;
    }

    private static bool IsPrimitive(JinjaValue value) => value is BoolValue or IntegerValue or FloatValue or StringValue;

    private static double StringToNumber(string text)
    {
        var trimmed = JsText.Trim(text);
        return trimmed.Length == 0 ? 0
            : double.TryParse(trimmed, DecimalStyle, CultureInfo.InvariantCulture, out var value) ? value
            : double.NaN;
    }
}
