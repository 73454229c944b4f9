using System.Globalization;

namespace AdaptLab.Core.Models;

/// <summary>
/// Reads how long a server wants its callers to hold off, from the headers OpenAI, Azure OpenAI and most
/// OpenAI-compatible servers send: <c>retry-after-ms</c>, <c>Retry-After</c> (seconds or an HTTP date) and
/// <c>x-ratelimit-remaining-*</c> with <c>x-ratelimit-reset-*</c> (Go-style durations such as <c>6m0s</c>).
/// </summary>
internal static class RateLimitHeaders
{
    private static readonly string[] Budgets = ["requests", "tokens"];

    /// <summary>
    /// The wait a response asks for: on a 429 the explicit retry headers, else the reset of an exhausted
    /// budget; on any other response the reset of a budget that has just reached zero. Null when none applies.
    /// </summary>
    /// <param name="header">Looks a header up by name (case-insensitive), null when absent.</param>
    public static TimeSpan? WaitFor(int status, Func<string, string?> header, DateTimeOffset now)
    {
        if (status == 429 && RetryAfter(header, now) is { } retryAfter)
        {
            return retryAfter;
        }

        TimeSpan? wait = null;
        foreach (var budget in Budgets)
        {
            var exhausted = status == 429 || header($"x-ratelimit-remaining-{budget}")?.Trim() == "0";
            if (exhausted && header($"x-ratelimit-reset-{budget}") is { } reset && TryParseDuration(reset, out var d))
            {
                wait = wait is { } w && w > d ? w : d;
            }
        }

        return wait;
    }

    /// <summary><c>retry-after-ms</c> first (finer), then <c>Retry-After</c> as delta-seconds or an HTTP date.</summary>
    private static TimeSpan? RetryAfter(Func<string, string?> header, DateTimeOffset now)
    {
        if (double.TryParse(header("retry-after-ms"), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        var value = header("Retry-After")?.Trim();
        if (value is null)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? (date > now ? date - now : TimeSpan.Zero)
            : null;
    }

    /// <summary>Go durations as OpenAI writes them: <c>20ms</c>, <c>1s</c>, <c>6m0s</c>, <c>1h2m3.5s</c>; a bare number is seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare))
        {
            duration = TimeSpan.FromSeconds(bare);
            return bare >= 0;
        }

        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetterLower(s[i]))
            {
                i++;
            }

            if (start == unitStart || unitStart == i
                || !double.TryParse(s.AsSpan(start, unitStart - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            switch (s[unitStart..i])
            {
                case "h": duration += TimeSpan.FromHours(n); break;
                case "m": duration += TimeSpan.FromMinutes(n); break;
                case "s": duration += TimeSpan.FromSeconds(n); break;
                case "ms": duration += TimeSpan.FromMilliseconds(n); break;
                default: return false;
            }
        }

        return s.Length > 0;
    }
}
