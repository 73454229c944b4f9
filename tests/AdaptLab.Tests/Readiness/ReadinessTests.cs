using AdaptLab.Core.Readiness;
using AdaptLab.Core.Tasks;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Readiness;

public sealed class ReadinessTests : IDisposable
{
    private readonly TempDir dir = new();

    private TaskDefinition Task(string train, string test, string kind = "classification", string metric = "exact_match")
    {
        dir.Write("train.jsonl", train);
        dir.Write("test.jsonl", test);
        dir.Write("p.liquid", "{{ input }}");
        return TaskFileLoader.Load(dir.Write("adaptlab.yaml", $$"""
            name: ready
            task: {{kind}}
            data:
              train: train.jsonl
              test: test.jsonl
              fields: { id: id, input: text, expected: label }
            metrics: [{{metric}}]
            defaults: { model: "openai:gpt-4o-mini" }
            variants:
              - { name: base, prompt: p.liquid }
            """));
    }

    private static string Lines(params (string Id, string Text, string Label)[] rows) =>
        string.Join("\n", rows.Select(r => System.Text.Json.JsonSerializer.Serialize(new { id = r.Id, text = r.Text, label = r.Label })));

    [Fact]
    public void Clean_data_is_ready()
    {
        var train = Lines([.. Enumerable.Range(0, 12).Select(i => ($"tr{i}", $"train question number {i} about topic {(char)('a' + i)}", i % 2 == 0 ? "x" : "y"))]);
        var test = Lines(("te0", "an entirely different test question", "x"), ("te1", "yet another unrelated sentence here", "y"));

        var report = ReadinessCheck.Run(Task(train, test));

        Assert.True(report.Verdict == Verdict.Ready, string.Join("; ", report.Findings.Select(f => f.Message)));
        Assert.Equal([6, 6], report.Splits.Single(s => s.Split == "train").Labels!.Select(l => l.Items));
    }

    [Fact]
    public void Planted_problems_are_each_found_with_examples()
    {
        var long13 = "the quick brown fox jumps over the lazy dog while the farmer sleeps soundly";
        var train = Lines(
            ("tr0", "How do I reset my card PIN?", "pin"),
            ("tr1", "how do I  reset my card pin?", "card"),         // same input, other label
            ("tr2", "Please call me on +44 20 7946 0958 today", "call"),
            ("tr3", "My card 4111 1111 1111 1111 was charged twice", "charge"),
            ("tr4", "Mail me at jane.doe@example.com please", "mail"),
            ("tr5", "Send it to GB82 WEST 1234 5698 7654 32 now", "iban"),
            ("tr6", "Order 4111 1111 1111 1112 is late", "order"),    // fails Luhn: not a card
            ("tr7", "Send it to GB00 WEST 1234 5698 7654 32 now", "iban"), // bad checksum: not an IBAN
            ("tr8", long13 + " in the barn", "story"),
            ("tr9", "What is the exchange rate for euros to dollars today please", "rate"));
        var test = Lines(
            ("te0", "How do I reset my card PIN?", "pin"),           // in train
            ("te1", "What is the exchange rate for euros to dollars today", "rate"), // near-duplicate
            ("te2", "yesterday " + long13, "story"));                // shares 13 words

        var report = ReadinessCheck.Run(Task(train, test));
        var codes = report.Findings.ToDictionary(f => f.Code);

        Assert.Equal(Verdict.NotReady, report.Verdict); // a third of the test split is in train
        Assert.Equal(Severity.Blocker, codes["leakage.exact.train"].Severity);
        Assert.Contains("test te0 = train tr0", codes["leakage.exact.train"].Examples);
        Assert.Contains(codes["leakage.near.train"].Examples, e => e.StartsWith("test te1 ~ train tr9", StringComparison.Ordinal));
        Assert.Contains(codes["leakage.ngram.train"].Examples, e => e.StartsWith("test te2 and train tr8", StringComparison.Ordinal));
        Assert.Equal(2, codes["labels.conflicting.train"].Count);
        Assert.Equal(1, codes["duplicates.exact.train"].Count);
        Assert.Equal(1, codes["pii.phone.train"].Count);
        Assert.Equal(1, codes["pii.cardnumber.train"].Count);
        Assert.Equal(1, codes["pii.email.train"].Count);
        Assert.Equal(1, codes["pii.iban.train"].Count);
        Assert.Contains("train: tr3: 41***************11", codes["pii.cardnumber.train"].Examples);
    }

    [Fact]
    public async Task The_command_exits_1_when_not_ready_and_writes_json_and_html()
    {
        var train = Lines(("tr0", "How do I reset my card PIN?", "pin"), ("tr1", "Where is my card?", "card"));
        var test = Lines(("te0", "How do I reset my card PIN?", "pin"), ("te1", "My card has not arrived", "card"));
        Task(train, test);

        var result = await AdaptLabCli.RunAsync("readiness", dir.Path("adaptlab.yaml"), "--json", "--html", dir.Path("readiness.html"));

        Assert.True(result.ExitCode == 1, result.ToString());
        var json = System.Text.Json.Nodes.JsonNode.Parse(result.Output)!;
        Assert.Equal("not_ready", (string)json["verdict"]!);
        Assert.Equal("blocker", (string)json["findings"]![0]!["severity"]!);
        var html = File.ReadAllText(dir.Path("readiness.html"));
        Assert.Contains("not ready", html, StringComparison.Ordinal);
        Assert.Contains("test te0 = train tr0", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Checksums_tell_card_numbers_and_ibans_from_other_digits()
    {
        Assert.True(PiiScanner.Luhn("4111111111111111"));
        Assert.False(PiiScanner.Luhn("4111111111111112"));
        Assert.True(PiiScanner.IbanValid("DE89 3704 0044 0532 0130 00"));
        Assert.False(PiiScanner.IbanValid("DE88 3704 0044 0532 0130 00"));
        Assert.Empty(PiiScanner.Find("order 12345, version 1.2.3, year 2026, mu0 = 1.2566370614e-6, 8900000000 people"));
        Assert.Equal(["+44 20 7946 0958", "020 7946 0958", "+4915123456789"],
            PiiScanner.Find("Call +44 20 7946 0958, or 020 7946 0958. Or +4915123456789!").Where(p => p.Kind == PiiKind.Phone).Select(p => p.Match));
    }

    [Fact]
    public void Extraction_answers_the_input_does_not_contain_are_found()
    {
        var task = Task(
            string.Join("\n",
                "{\"id\": \"a\", \"text\": \"Table for 4 at 7pm\", \"label\": {\"people\": \"4\", \"time\": \"7pm\"}}",
                "{\"id\": \"b\", \"text\": \"Table for two tonight\", \"label\": {\"people\": \"2\"}}"),
            "{\"id\": \"c\", \"text\": \"Table for 3\", \"label\": {\"people\": \"3\"}}",
            "extraction",
            "json_valid");

        var report = ReadinessCheck.Run(task);

        var ungrounded = report.Findings.Single(f => f.Code == "extraction.ungrounded.train");
        Assert.Equal(["train: b: 2"], ungrounded.Examples);
    }

    public void Dispose() => dir.Dispose();
}
