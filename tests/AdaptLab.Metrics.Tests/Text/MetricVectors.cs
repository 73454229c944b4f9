using System.Collections.Concurrent;
using System.Text.Json;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Text;

/// <summary>
/// Reads the reference implementations' own test vectors from shared/datasets/metric-vectors.
/// Theory rows carry only (group, index), so each case shows up as its own test.
/// </summary>
internal static class MetricVectors
{
    private static readonly ConcurrentDictionary<string, JsonElement> Files = new();

    public static JsonElement File(string name) => Files.GetOrAdd(name, n =>
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(SharedData.Path("datasets", "metric-vectors", n)));
        return doc.RootElement.Clone();
    });

    public static JsonElement Group(string file, string group)
    {
        foreach (var g in File(file).GetProperty("groups").EnumerateArray())
        {
            if (g.GetProperty("name").GetString() == group)
            {
                return g;
            }
        }

        throw new InvalidOperationException($"{file} has no group '{group}'");
    }

    public static JsonElement Case(string file, string group, int index) =>
        Group(file, group).GetProperty("cases")[index];

    /// <summary>(group, index) for every case of every group in the file.</summary>
    public static TheoryData<string, int> GroupCases(string file)
    {
        var data = new TheoryData<string, int>();
        foreach (var g in File(file).GetProperty("groups").EnumerateArray())
        {
            var name = g.GetProperty("name").GetString()!;
            for (var i = 0; i < g.GetProperty("cases").GetArrayLength(); i++)
            {
                data.Add(name, i);
            }
        }

        return data;
    }

    public static List<string> Strings(JsonElement array) =>
        array.EnumerateArray().Select(e => e.GetString()!).ToList();

    /// <summary>Items from sacrebleu's hypotheses and reference streams (streams[k][i] is the k-th reference of item i).</summary>
    public static List<MetricItem> FromStreams(JsonElement hypotheses, JsonElement streams)
    {
        var hyps = Strings(hypotheses);
        var refStreams = streams.EnumerateArray().Select(Strings).ToList();
        return hyps.Select((h, i) => new MetricItem(h, refStreams.Select(s => s[i]).ToList())).ToList();
    }

    public static double? OptionalDouble(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    public static bool OptionalBool(JsonElement obj, string property, bool fallback) =>
        obj.TryGetProperty(property, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;
}
