using System.Text.Json.Nodes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

/// <summary><c>validate</c> renders every item's prompt and counts it with a local model's own tokenizer against its context.</summary>
public class PromptLengthTests
{
    [Fact]
    public async Task An_item_whose_prompt_overflows_a_local_models_context_fails_validate_with_its_length()
    {
        using var dir = new TempDir();
        var story = string.Concat(Enumerable.Repeat("Once upon a time there was a little dog. ", 200));
        var task = WriteTask(dir, ("short", "Lily had a cat."), ("long", story), ("short2", "Tom ran home."));

        var result = await AdaptLabCli.RunAsync("validate", task);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(@"test\.jsonl:2: variants\[0\] \(v\): the prompt of item 'long' is \d{4} tokens and max_tokens 8: more than the context of 512 tokens", result.Error);
    }

    [Fact]
    public async Task Prompts_that_fit_validate_and_the_longest_is_reported()
    {
        using var dir = new TempDir();
        var task = WriteTask(dir, ("short", "Lily had a cat."), ("longer", "Lily had a cat. Her cat was called Tom and it liked milk."));

        var result = await AdaptLabCli.RunAsync("validate", task, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var longest = JsonNode.Parse(result.Output)!["longest_prompt_tokens"]!["v"]!.GetValue<int>();
        Assert.InRange(longest, 10, 40);
    }

    [Fact]
    public async Task A_field_truncated_to_n_tokens_fits_the_context_at_validate_and_eval()
    {
        using var dir = new TempDir();
        var story = string.Concat(Enumerable.Repeat("Once upon a time there was a little dog. ", 200));
        var task = WriteTask(dir, ("long", story));
        File.WriteAllText(task, File.ReadAllText(task).Replace("  fields: {", "  truncate: { input: 20 }\n  fields: {", StringComparison.Ordinal));

        var validate = await AdaptLabCli.RunAsync("validate", task, "--json");
        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(validate.ExitCode == 0, validate.ToString());
        // At most 20 tokens of the field, the beginning-of-sequence token and the template's own text; the story alone is over 1500.
        Assert.InRange(JsonNode.Parse(validate.Output)!["longest_prompt_tokens"]!["v"]!.GetValue<int>(), 15, 22);
        Assert.True(eval.ExitCode is 0 or 1, eval.ToString());
    }

    [Fact]
    public async Task A_remote_models_field_is_cut_to_o200k_tokens_and_the_task_still_runs()
    {
        await using var server = await AdaptLab.Tests.Fakes.FakeOpenAiServer.StartAsync(_ => "y");
        using var dir = new TempDir();
        var question = string.Concat(Enumerable.Repeat("Once upon a time there was a little dog named Rex. ", 40));
        dir.Write("data/test.jsonl", new JsonObject { ["id"] = "a", ["q"] = question, ["a"] = "y" }.ToJsonString() + "\n");
        dir.Write("prompt.liquid", "{{ input }}");
        var task = dir.Write("adaptlab.yaml", $$"""
            name: cut
            task: qa
            data:
              test: data/test.jsonl
              truncate: { input: 5 }
              fields: { id: id, input: q, expected: a }
            metrics: [exact_match]
            models:
              remote: { ref: "openai-compatible:m", endpoint: "{{server.Endpoint}}" }
            defaults: { model: remote }
            variants:
              - name: v
                prompt: prompt.liquid
            """);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var sent = Assert.Single(server.Requests).Messages.Single().Content;
        Assert.Equal("Once upon a time there", sent);
        Assert.Equal(5, AdaptLab.Retrieval.Ingest.TokenChunker.Count(sent));
    }

    [Fact]
    public void Truncating_a_column_of_the_data_instead_of_its_field_is_an_input_error_naming_the_field()
    {
        using var dir = new TempDir();
        dir.Write("data/test.jsonl", "{\"id\": \"a\", \"q\": \"x\", \"a\": \"y\"}\n");
        dir.Write("prompt.liquid", "{{ input }}");
        var task = dir.Write("adaptlab.yaml", """
            name: cut
            task: qa
            data:
              test: data/test.jsonl
              truncate: { q: 5 }
              fields: { id: id, input: q, expected: a }
            metrics: [exact_match]
            defaults: { model: "openai:gpt-4o-mini" }
            variants:
              - name: v
                prompt: prompt.liquid
            """);

        var error = Assert.Throws<AdaptLab.InputException>(() => AdaptLab.Core.Tasks.TaskFileLoader.Load(task));

        Assert.Contains("adaptlab.yaml:5: data.truncate.q: 'q' is a column of the data; truncate names the field prompts see: input (mapped from q)", error.Message);
        // The control: the field's own name loads.
        File.WriteAllText(task, File.ReadAllText(task).Replace("truncate: { q: 5 }", "truncate: { input: 5 }", StringComparison.Ordinal));
        Assert.Equal(5, AdaptLab.Core.Tasks.TaskFileLoader.Load(task).Data.Truncate!["input"]);
    }

    [Fact]
    public async Task A_prompt_that_fails_to_render_for_a_later_item_names_the_item()
    {
        using var dir = new TempDir();
        dir.Write("data/test.jsonl", "{\"id\": \"a\", \"q\": \"x\", \"a\": \"y\", \"meta\": {\"src\": \"s\"}}\n{\"id\": \"b\", \"q\": \"x\", \"a\": \"y\", \"meta\": {}}\n");
        dir.Write("prompt.liquid", "{{ meta.src }} {{ input }}");
        var task = dir.Write("adaptlab.yaml", """
            name: render
            task: qa
            data:
              test: data/test.jsonl
              fields: { id: id, input: q, expected: a, extra: { meta: meta } }
            metrics: [exact_match]
            models:
              remote: { ref: "openai-compatible:m", endpoint: "http://127.0.0.1:9" }
            defaults: { model: remote }
            variants:
              - name: v
                prompt: prompt.liquid
            """);

        var result = await AdaptLabCli.RunAsync("validate", task);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("item 'b' (test.jsonl:2)", result.Error);
    }

    /// <summary>A RAG variant over a corpus of long stories (chunks of up to 120 o200k tokens), on the 512-token stories260K.</summary>
    private static string WriteRagTask(TempDir dir, string retrieve)
    {
        var task = WriteTask(dir, ("q", "Where did the dog go?"));
        var story = string.Concat(Enumerable.Range(0, 30).Select(i => $"Once upon a time there was a little dog number {i} who went to the park. "));
        dir.Write("docs/stories.txt", string.Join("\n\n", Enumerable.Range(0, 4).Select(_ => story)));
        dir.Write("rag.liquid", "{% for c in chunks %}{{ c.text }}\n{% endfor %}{{ input }}");
        File.WriteAllText(task, File.ReadAllText(task)
            .Replace("metrics: [exact_match]", "corpus: { path: docs, chunk_tokens: 120, overlap_tokens: 0 }\nmetrics: [exact_match]", StringComparison.Ordinal)
            .Replace("    prompt: prompt.liquid", $"    prompt: rag.liquid\n    retrieve: {retrieve}", StringComparison.Ordinal));
        return task;
    }

    [Fact]
    public async Task Validate_chunks_a_corpus_never_ingested_and_counts_the_retrieved_chunks()
    {
        using var dir = new TempDir();
        var task = WriteRagTask(dir, "{ mode: bm25, k: 4 }");

        var result = await AdaptLabCli.RunAsync("validate", task);

        // Four chunks of 120 o200k tokens are far more than 512 of the model's: before, a corpus never ingested lent no chunks.
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("more than the context of 512 tokens", result.Error);
    }

    [Fact]
    public async Task A_token_budget_counts_the_local_models_own_tokens()
    {
        using var dir = new TempDir();
        var task = WriteRagTask(dir, "{ mode: bm25, k: 4, budget_tokens: 300 }");

        var result = await AdaptLabCli.RunAsync("validate", task, "--json");

        // 300 of the model's tokens fit its context: counted in o200k tokens, two chunks (240) would pass the budget and overflow it.
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.InRange(JsonNode.Parse(result.Output)!["longest_prompt_tokens"]!["v"]!.GetValue<int>(), 100, 320);
    }

    [Fact]
    public async Task Expected_answers_longer_than_max_tokens_are_a_warning_at_validate()
    {
        using var dir = new TempDir();
        var task = WriteTask(dir, ("short", "Lily had a cat."));
        var answer = string.Concat(Enumerable.Repeat("and then they played all day long ", 4));
        File.WriteAllText(dir.Path("data", "test.jsonl"), System.Text.Json.JsonSerializer.Serialize(new { id = "long", text = "Lily had a cat.", answer }) + "\n" +
            System.Text.Json.JsonSerializer.Serialize(new { id = "short", text = "Tom ran.", answer = "home" }) + "\n");

        var result = await AdaptLabCli.RunAsync("validate", task);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: variant v: 1 expected answer(s) are longer than max_tokens 8", result.Error);
        Assert.Contains("first: item 'long'", result.Error);
        // The control: with room for the answer, no warning.
        File.WriteAllText(task, File.ReadAllText(task).Replace("max_tokens: 8", "max_tokens: 200", StringComparison.Ordinal));
        Assert.DoesNotContain("warning", (await AdaptLabCli.RunAsync("validate", task)).Error);
    }

    private static string WriteTask(TempDir dir, params (string Id, string Text)[] items)
    {
        dir.Write("data/test.jsonl", string.Concat(items.Select(i => System.Text.Json.JsonSerializer.Serialize(new { id = i.Id, text = i.Text, answer = "x" }) + "\n")));
        dir.Write("prompt.liquid", "{{ input }}");
        return dir.Write("adaptlab.yaml", $$"""
            name: lengths
            task: qa
            data:
              test: data/test.jsonl
              fields: { id: id, input: text, expected: answer }
            metrics: [exact_match]
            models:
              tiny: { ref: "local:{{SharedData.Path("models", "stories260K")}}" }
            defaults: { model: tiny, max_tokens: 8 }
            variants:
              - name: v
                prompt: prompt.liquid
            """);
    }
}
