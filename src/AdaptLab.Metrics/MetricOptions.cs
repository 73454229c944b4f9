using System.Globalization;

namespace AdaptLab.Metrics;

/// <summary>String options for a metric, as written in the task file.</summary>
public sealed class MetricOptions(IReadOnlyDictionary<string, string> values)
{
    public static readonly MetricOptions None = new(new Dictionary<string, string>());

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string GetString(string key, string fallback) => Values.TryGetValue(key, out var v) ? v : fallback;

    public bool GetBool(string key, bool fallback) => Values.TryGetValue(key, out var v)
        ? v.ToLowerInvariant() switch
        {
            "true" or "yes" or "1" => true,
            "false" or "no" or "0" => false,
            _ => throw new ArgumentException($"option '{key}' must be true or false, got '{v}'"),
        }
        : fallback;

    public double GetDouble(string key, double fallback) => Values.TryGetValue(key, out var v)
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new ArgumentException($"option '{key}' must be a number, got '{v}'")
        : fallback;

    public int GetInt(string key, int fallback) => Values.TryGetValue(key, out var v)
        ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw new ArgumentException($"option '{key}' must be an integer, got '{v}'")
        : fallback;
}
