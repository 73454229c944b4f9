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
        var marker = prompt.IndexOf("message number ", StringComparison.Ordinal);
        var end = prompt.IndexOf('\n', marker);
        var i = int.Parse(prompt[(marker + 15)..(end < 0 ? prompt.Length : end)], CultureInfo.InvariantCulture);
        return i % wrongEvery == 0 ? Labels[(i + 1) % 3] : Label(i);
    };

    public static string WriteTask(TempDir dir, string endpoint, int items, int concurrency = 4, string extraVariant = "")
    {
        var csv = new StringBuilder("text,label\n");
        for (var i = 0; i < items; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Message(i)},{Label(i)}\n");
        }

        dir.Write("data/test.csv", csv.ToString());
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
