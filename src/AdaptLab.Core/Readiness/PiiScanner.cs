using System.Numerics;
using System.Text.RegularExpressions;

namespace AdaptLab.Core.Readiness;

internal enum PiiKind
{
    Email,
    Phone,
    CardNumber,
    Iban,
}

/// <summary>
/// Personal data in text: e-mail addresses, phone numbers (10-15 digits in groups, or one run after + or a leading 0),
/// card numbers (13-19 digits that pass the Luhn check) and IBANs whose ISO 13616 mod-97 checksum is valid. Digits
/// that fail their checksum are not reported, so order numbers and the like are not taken for cards.
/// </summary>
internal static partial class PiiScanner
{
    public static IEnumerable<(PiiKind Kind, string Match)> Find(string text)
    {
        foreach (Match m in Email().Matches(text))
        {
            yield return (PiiKind.Email, m.Value);
        }

        foreach (Match m in Iban().Matches(text))
        {
            if (IbanValid(m.Value))
            {
                yield return (PiiKind.Iban, m.Value);
            }
        }

        foreach (Match m in Card().Matches(text))
        {
            var digits = new string([.. m.Value.Where(char.IsAsciiDigit)]);
            if (digits.Length is >= 13 and <= 19 && Luhn(digits))
            {
                yield return (PiiKind.CardNumber, m.Value);
            }
        }

        // Phone numbers are looked for where no IBAN-shaped text or card number is, whose digit groups look alike.
        var rest = Card().Replace(Iban().Replace(text, " "), m => Luhn(new string([.. m.Value.Where(char.IsAsciiDigit)])) ? " " : m.Value);
        foreach (Match m in Phone().Matches(rest))
        {
            if (m.Value.Count(char.IsAsciiDigit) is >= 10 and <= 15)
            {
                yield return (PiiKind.Phone, m.Value);
            }
        }
    }

    /// <summary>The match with all but its first two and last two characters hidden, for reports.</summary>
    public static string Mask(string match) => match.Length <= 4 ? new string('*', match.Length) : match[..2] + new string('*', match.Length - 4) + match[^2..];

    public static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    public static bool IbanValid(string iban)
    {
        var compact = new string([.. iban.Where(c => c != ' ')]).ToUpperInvariant();
        if (compact.Length is < 15 or > 34)
        {
            return false;
        }

        var rearranged = compact[4..] + compact[..4];
        var numeric = string.Concat(rearranged.Select(c => char.IsAsciiLetter(c) ? (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));
        return BigInteger.Parse(numeric, System.Globalization.CultureInfo.InvariantCulture) % 97 == 1;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")]
    private static partial Regex Iban();

    [GeneratedRegex(@"\b\d(?:[ -]?\d){12,18}\b")]
    private static partial Regex Card();

    // Spaces, hyphens or brackets between digit groups, or one run after a + or a leading 0: decimals such as
    // 1.2566370614 and plain counts such as 8900000000 (BFCL's questions hold both) are not taken for phones.
    [GeneratedRegex(@"(?<!\w|\d\.|\+)(?:\+\d{1,3}[ -]?)?(?:\(\d{2,4}\)[ -]?)?\d{2,4}(?:[ -]\d{2,4}){1,4}(?!\w|\.\d)|(?<!\w|\d\.)(?:\+|0)\d{9,14}(?!\w|\.\d)")]
    private static partial Regex Phone();
}
