using System.Globalization;
using System.Text;

namespace AdaptLab.Tests.Support;

/// <summary>
/// A small classification task written by the test: messages whose expected label the fake model
/// knows, answering right for a chosen share of them, so scores are known in advance.
/// </summary>
public static class SentimentTask
{
    public static readonly string[] Labels = ["negative", "neutral", "positive"];

    public static string Label(int i) => Labels[i % 3];

    public static string Message(int i) => $"message number {i.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The fake model: right unless the item number is a multiple of <paramref name="wrongEvery"/>.</summary>
    public static Func<string, string> Model(int wrongEvery = 5) => prompt =>
    {
        var i = ItemNumber(prompt);
        return i % wrongEvery == 0 ? Labels[(i + 1) % 3] : Label(i);
    };

    /// <summary>The number of the item a prompt shows (its <see cref="Message"/>).</summary>
    public static int ItemNumber(string prompt)
    {
        var start = prompt.IndexOf("message number ", StringComparison.Ordinal) + "message number ".Length;
        var end = prompt.IndexOf('\n', start);
        return int.Parse(prompt[start..(end < 0 ? prompt.Length : end)], CultureInfo.InvariantCulture);
    }

    /// <summary>Writes <c>data/test.csv</c>: <paramref name="items"/> messages with their labels.</summary>
    public static void WriteData(TempDir dir, int items)
    {
        var csv = new StringBuilder("text,label\n");
        for (var i = 0; i < items; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Message(i)},{Label(i)}\n");
        }

        dir.Write("data/test.csv", csv.ToString());
    }

    public static string WriteTask(TempDir dir, string endpoint, int items, int concurrency = 4, string extraVariant = "")
    {
        WriteData(dir, items);
        dir.Write("prompts/classify.liquid", "Labels: {{ labels | join: \", \" }}\nText: {{ input }}\nLabel:");
        return dir.Write("adaptlab.yaml", $"""
            name: sentiment
            task: classification
            data:
              test: data/test.csv
              fields: {"{"} input: text, expected: label {"}"}
            metrics: [accuracy, macro_f1]
            targets:
              accuracy: 0.75
              max_error_rate: 0.05
            models:
              fake: {"{"} ref: "openai-compatible:fake-model", endpoint: "{endpoint}", input_price_per_1m: 1.0, output_price_per_1m: 2.0 {"}"}
            defaults: {"{"} model: fake, temperature: 0, max_tokens: 8 {"}"}
            concurrency: {concurrency}
            variants:
              - name: zero-shot
                prompt: prompts/classify.liquid
            {extraVariant}
            """);
    }
}
