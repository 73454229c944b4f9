using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Core.Items;
using AdaptLab.Core.Tasks;
using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Core.Readiness;

/// <summary>
/// Is the task's data ready to fine-tune on and to measure a fine-tune with? Counts, label balance, exact and near
/// duplicates within and across splits, test items leaking into train (exact, near, or sharing a 13-word sequence),
/// one input with conflicting labels, lengths against the context window, personal data, and (extraction) answers
/// the input does not contain. Blockers make it not ready; anything else found is a warning.
/// </summary>
internal static class ReadinessCheck
{
    private const int Examples = 5;
    private const int LeakageGram = 13;

    /// <param name="countTokens">Counts a text's tokens with the model's own tokenizer; null to count o200k_base tokens.</param>
    /// <param name="contextWindow">The model's context window, when known.</param>
    public static ReadinessReport Run(TaskDefinition task, Func<string, int>? countTokens = null, int? contextWindow = null, string? tokenizerName = null)
    {
        var count = countTokens ?? AdaptLab.Retrieval.Ingest.TokenChunker.Count;
        var splits = new[] { ("train", task.Data.Train), ("dev", task.Data.Dev), ("test", task.Data.Test) }
            .Where(s => s.Item2 is not null)
            .Select(s => (Name: s.Item1, Data: DatasetLoader.Load(s.Item2!, task.Data)))
            .ToList();
        var findings = new List<Finding>();
        var stats = splits.Select(s => Split(task, s.Name, s.Data, count, contextWindow, findings)).ToList();
        Across(splits, findings);
        if (task.Data.Train is null)
        {
            findings.Add(new Finding(Severity.Blocker, "train.missing", "there is no data.train: fine-tuning needs training items", 0, []));
        }

        if (task.Kind == TaskKind.Classification && splits.FirstOrDefault(s => s.Name == "train").Data is { } train)
        {
            Labels(train, splits.First(s => s.Name == "test").Data, findings);
        }

        var test = splits.First(s => s.Name == "test").Data.Items.Count;
        var verdict = findings.Any(f => f.Severity == Severity.Blocker) ? Verdict.NotReady
            : findings.Count > 0 ? Verdict.ReadyWithWarnings
            : Verdict.Ready;
        return new ReadinessReport(
            task.Name, task.Kind, tokenizerName ?? AdaptLab.Retrieval.Ingest.TokenChunker.TokenizerName, contextWindow, stats, findings, verdict,
            test >= 2 ? PowerAnalysis.TwoProportionsMinimumEffect(0.5, test) : null,
            PowerAnalysis.TwoProportionsSampleSize(0.5, 0.55));
    }

    private static SplitStats Split(TaskDefinition task, string name, Dataset data, Func<string, int> count, int? contextWindow, List<Finding> findings)
    {
        var items = data.Items;
        var inputTokens = items.Select(i => count(i.Input)).ToList();
        var expectedTokens = items.Select(i => i.Expected.Count == 0 ? 0 : i.Expected.Max(e => count(e))).ToList();

        var byInput = items.GroupBy(i => TextKey.Of(i.Input)).Where(g => g.Count() > 1).ToList();
        var exact = byInput.Sum(g => g.Count() - 1);
        Add(findings, Severity.Warning, $"duplicates.exact.{name}", $"{name}: {exact} item(s) repeat another's input", exact,
            byInput.Select(g => $"{name}: {string.Join(" = ", g.Take(3).Select(i => i.Id))}"));

        var conflicting = byInput.Where(g => g.Select(i => ExpectedKey(i)).Distinct().Count() > 1).ToList();
        var conflicts = conflicting.Sum(g => g.Count());
        var share = items.Count == 0 ? 0 : conflicts / (double)items.Count;
        Add(findings, share > 0.05 ? Severity.Blocker : Severity.Warning, $"labels.conflicting.{name}",
            $"{name}: {conflicts} item(s) share an input with an item whose expected output differs ({share.ToString("P1", CultureInfo.InvariantCulture)})",
            conflicts, conflicting.Select(g => $"{name}: {string.Join(", ", g.Take(3).Select(i => $"{i.Id} → {Short(string.Join(" | ", i.Expected))}"))}"));

        var near = new MinHash();
        foreach (var item in items)
        {
            near.Add(item.Input);
        }

        var nearPairs = near.NearPairs().Where(p => TextKey.Of(items[p.A].Input) != TextKey.Of(items[p.B].Input)).ToList();
        Add(findings, Severity.Warning, $"duplicates.near.{name}",
            $"{name}: {nearPairs.Count} pair(s) of near-duplicate inputs (word 3-gram Jaccard ≥ {MinHash.Threshold})", nearPairs.Count,
            nearPairs.Select(p => $"{name}: {items[p.A].Id} ~ {items[p.B].Id} ({p.Similarity:F2})"));

        if (contextWindow is { } window)
        {
            var over = items.Where((_, i) => inputTokens[i] + expectedTokens[i] > window).ToList();
            Add(findings, Severity.Warning, $"length.context.{name}", $"{name}: {over.Count} item(s) longer than the {window}-token context window (input and expected output)",
                over.Count, over.Select(i => $"{name}: {i.Id} ({count(i.Input)} tokens)"));
        }

        var pii = new Dictionary<PiiKind, int>();
        var piiExamples = new Dictionary<PiiKind, List<string>>();
        foreach (var item in items)
        {
            foreach (var (kind, match) in item.Fields.Values.SelectMany(PiiScanner.Find).DistinctBy(m => m.Match))
            {
                pii[kind] = pii.GetValueOrDefault(kind) + 1;
                (piiExamples.TryGetValue(kind, out var list) ? list : piiExamples[kind] = []).Add($"{name}: {item.Id}: {PiiScanner.Mask(match)}");
            }
        }

        foreach (var (kind, n) in pii)
        {
            Add(findings, Severity.Warning, $"pii.{kind.ToString().ToLowerInvariant()}.{name}", $"{name}: {n} {Describe(kind)} found", n, piiExamples[kind]);
        }

        if (task.Kind == TaskKind.Extraction)
        {
            var ungrounded = items.Select(i => (Item: i, Missing: Ungrounded(i))).Where(u => u.Missing.Count > 0).ToList();
            Add(findings, Severity.Warning, $"extraction.ungrounded.{name}", $"{name}: {ungrounded.Count} item(s) expect values their input does not contain",
                ungrounded.Count, ungrounded.Select(u => $"{name}: {u.Item.Id}: {string.Join(", ", u.Missing.Take(3).Select(Short))}"));
        }

        IReadOnlyList<LabelCount>? labels = null;
        double? imbalance = null;
        if (task.Kind == TaskKind.Classification)
        {
            labels = [.. items.GroupBy(i => i.Expected.FirstOrDefault() ?? string.Empty).Select(g => new LabelCount(g.Key, g.Count())).OrderByDescending(l => l.Items).ThenBy(l => l.Label, StringComparer.Ordinal)];
            imbalance = labels.Count > 0 ? labels[0].Items / (double)labels[^1].Items : null;
        }

        return new SplitStats(name, data.Path, items.Count, labels, imbalance, Lengths(inputTokens), Lengths(expectedTokens), exact, nearPairs.Count, conflicts, pii);
    }

    /// <summary>Test items found in train (or dev): the same input, a near-duplicate one, or one sharing a 13-word sequence.</summary>
    private static void Across(IReadOnlyList<(string Name, Dataset Data)> splits, List<Finding> findings)
    {
        var test = splits.First(s => s.Name == "test").Data.Items;
        foreach (var (name, data) in splits.Where(s => s.Name != "test"))
        {
            var inputs = data.Items.GroupBy(i => TextKey.Of(i.Input)).ToDictionary(g => g.Key, g => g.First());
            var exact = test.Where(t => inputs.ContainsKey(TextKey.Of(t.Input))).ToList();
            var share = test.Count == 0 ? 0 : exact.Count / (double)test.Count;
            Add(findings, share > 0.01 ? Severity.Blocker : Severity.Warning, $"leakage.exact.{name}",
                $"{exact.Count} test item(s) ({share.ToString("P1", CultureInfo.InvariantCulture)}) have an input that is also in {name}", exact.Count,
                exact.Select(t => $"test {t.Id} = {name} {inputs[TextKey.Of(t.Input)].Id}"));

            var near = new MinHash();
            foreach (var item in data.Items)
            {
                near.Add(item.Input);
            }

            var offset = data.Items.Count;
            foreach (var item in test)
            {
                near.Add(item.Input);
            }

            var nearPairs = near.NearPairs()
                .Where(p => p.A < offset && p.B >= offset && TextKey.Of(data.Items[p.A].Input) != TextKey.Of(test[p.B - offset].Input))
                .ToList();
            Add(findings, Severity.Warning, $"leakage.near.{name}",
                $"{nearPairs.Select(p => p.B).Distinct().Count()} test item(s) are near-duplicates of {name} items (word 3-gram Jaccard ≥ {MinHash.Threshold})",
                nearPairs.Select(p => p.B).Distinct().Count(), nearPairs.Select(p => $"test {test[p.B - offset].Id} ~ {name} {data.Items[p.A].Id} ({p.Similarity:F2})"));

            var grams = data.Items.SelectMany(i => Grams(i.Input).Select(g => (Gram: g, i.Id))).GroupBy(g => g.Gram).ToDictionary(g => g.Key, g => g.First().Id);
            var shared = test.Select(t => (Item: t, Gram: Grams(t.Input).FirstOrDefault(grams.ContainsKey)))
                .Where(s => s.Gram is not null && !inputs.ContainsKey(TextKey.Of(s.Item.Input)))
                .ToList();
            Add(findings, Severity.Warning, $"leakage.ngram.{name}",
                $"{shared.Count} test item(s) share a {LeakageGram}-word sequence with a {name} item", shared.Count,
                shared.Select(s => $"test {s.Item.Id} and {name} {grams[s.Gram!]}: \"{Short(s.Gram!)}\""));
        }
    }

    private static void Labels(Dataset train, Dataset test, List<Finding> findings)
    {
        var trainLabels = train.Items.GroupBy(i => i.Expected.FirstOrDefault() ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
        var unseen = test.Items.Select(i => i.Expected.FirstOrDefault() ?? string.Empty).Distinct().Where(l => !trainLabels.ContainsKey(l)).ToList();
        Add(findings, Severity.Warning, "labels.unseen", $"{unseen.Count} test label(s) never occur in train", unseen.Count, unseen.Select(l => $"label {l}"));
        var rare = trainLabels.Where(l => l.Value < 5).OrderBy(l => l.Value).ToList();
        Add(findings, Severity.Warning, "labels.rare", $"{rare.Count} label(s) have fewer than 5 train items", rare.Count, rare.Select(l => $"label {l.Key}: {l.Value}"));
        if (trainLabels.Count > 1 && trainLabels.Values.Max() / (double)trainLabels.Values.Min() is var ratio and > 10)
        {
            Add(findings, Severity.Warning, "labels.imbalance", $"train is imbalanced: the most frequent label has {ratio:F1} times the items of the least", 1, []);
        }
    }

    private static void Add(List<Finding> findings, Severity severity, string code, string message, int count, IEnumerable<string> examples)
    {
        if (count > 0)
        {
            findings.Add(new Finding(severity, code, message, count, [.. examples.Take(Examples)]));
        }
    }

    private static IEnumerable<string> Grams(string text)
    {
        var words = TextKey.Words(text);
        for (var i = 0; i + LeakageGram <= words.Count; i++)
        {
            yield return string.Join(' ', words.Skip(i).Take(LeakageGram));
        }
    }

    private static string ExpectedKey(DataItem item) => string.Join("\u001f", item.Expected.Select(TextKey.Of).Order(StringComparer.Ordinal));

    /// <summary>The expected JSON object's string values that do not occur in the input (case and spacing aside).</summary>
    private static List<string> Ungrounded(DataItem item)
    {
        var input = TextKey.Of(item.Input);
        var missing = new List<string>();
        foreach (var expected in item.Expected)
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(expected);
            }
            catch (JsonException)
            {
                continue;
            }

            foreach (var value in Strings(node).Where(v => !input.Contains(TextKey.Of(v), StringComparison.Ordinal)))
            {
                missing.Add(value);
            }
        }

        return missing;
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Strings(kv.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };

    private static LengthStats Lengths(List<int> values)
    {
        if (values.Count == 0)
        {
            return new LengthStats(0, 0, 0, 0, 0);
        }

        var sorted = values.Order().ToList();
        return new LengthStats(sorted[0], sorted[(sorted.Count - 1) / 2], sorted[(int)Math.Ceiling(0.95 * (sorted.Count - 1))], sorted[^1], values.Average());
    }

    private static string Describe(PiiKind kind) => kind switch
    {
        PiiKind.Email => "e-mail address(es)",
        PiiKind.Phone => "phone number(s)",
        PiiKind.CardNumber => "card number(s) passing the Luhn check",
        _ => "IBAN(s) with a valid checksum",
    };

    private static string Short(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
