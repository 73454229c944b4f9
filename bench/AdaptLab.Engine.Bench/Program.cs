using System.Diagnostics;
using AdaptLab.Engine;
using AdaptLab.Engine.Generation;
using AdaptLab.Engine.LlamaC;

// Usage: AdaptLab.Engine.Bench <stories260K dir> [threads] [runs]
// Prints the median tokens/s of greedy decoding 200 tokens from BOS, of a batch of 8 prompts vs one at a time,
// and of sampling with and without a JSON-Schema constraint (Restaurant8k's slot object).
var directory = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "models", "stories260K");
var threads = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
var runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;

using var client = LocalModel.Open(directory, new LocalModelOptions(threads));
var generator = client.Generator;
var greedy = new GenerationOptions { Temperature = 0, MaxTokens = 200 };
IReadOnlyList<int>[] prompts = [.. Enumerable.Range(0, 8).Select(i => (IReadOnlyList<int>)generator.Tokenizer.Encode($"Story {i}: Once upon a time", addBos: true))];
var batchOptions = greedy with { MaxTokens = 64 };

Console.WriteLine($"threads {threads}, {runs} runs, medians:");
Report("single greedy decode, 200 tokens from BOS", () => generator.Complete([LlamaCTokenizer.BosId], greedy).Count(c => c.TokenId is not null));
Report("8 prompts one at a time, 64 tokens each", () => prompts.Sum(p => generator.Complete(p, batchOptions).Count(c => c.TokenId is not null)));
Report("8 prompts as one batch, 64 tokens each", () => generator.CompleteBatch(prompts, batchOptions).Count(s => s.Chunk.TokenId is not null));

var slotSchema = System.Text.Json.JsonDocument.Parse("""
    {"type":"object","properties":{"date":{"type":"string"},"time":{"type":"string"},"people":{"type":"string"},
     "first_name":{"type":"string"},"last_name":{"type":"string"}},"additionalProperties":false}
    """).RootElement;
var slotPrompts = new[] { "table for 4 at 7pm", "Book for John Smith tomorrow", "2 people", "friday at noon" }
    .Select(t => (IReadOnlyList<int>)generator.Tokenizer.Encode($"The guest said: {t}\nThe booking as JSON: ", addBos: true)).ToList();
var sampled = new GenerationOptions { Temperature = 1, MaxTokens = 64, Seed = 7 };
Report("sampling 4 prompts, 64 tokens each, unconstrained", () => slotPrompts.Sum(p => generator.Complete(p, sampled).Count(c => c.TokenId is not null)));
Report("sampling 4 prompts, up to 64 tokens each, JSON-Schema constrained", () => slotPrompts.Sum(p => generator.Complete(p, sampled with { JsonSchema = slotSchema }).Count(c => c.TokenId is not null)));
Console.WriteLine("  e.g. " + string.Concat(generator.Complete(slotPrompts[0], sampled with { JsonSchema = slotSchema }).Select(c => c.Text)));

void Report(string name, Func<int> work)
{
    work(); // warm-up
    var rates = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        var tokens = work();
        rates.Add(tokens / watch.Elapsed.TotalSeconds);
    }

    rates.Sort();
    Console.WriteLine($"  {name}: {rates[rates.Count / 2]:F0} tokens/s");
}
