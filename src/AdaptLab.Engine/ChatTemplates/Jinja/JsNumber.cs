using System.Globalization;
using System.Numerics;

namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>Number to text as JavaScript's String(number) writes it (shortest round trip, e+ exponents).</summary>
internal static class JsNumber
{
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == Math.Floor(value) && Math.Abs(value) < 1e21)
        {
            return new BigInteger(value).ToString(CultureInfo.InvariantCulture);
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E');
        if (e < 0)
        {
            return text;
        }

        var exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return text[..e] + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
    }
}
