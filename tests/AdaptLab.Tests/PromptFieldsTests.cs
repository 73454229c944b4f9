using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Tests;

/// <summary>How dataset fields reach a prompt and the store: text exactly, lists and objects as Liquid values, each input once.</summary>
public class PromptFieldsTests
{
    private const string Awkward = "<b>\"quoted\" & 'x' \\ é ✓</b>";

    [Fact]
    public async Task Lists_and_objects_are_liquid_values_and_text_is_inserted_exactly()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => "ok");
        using var dir = new TempDir();
        dir.Write("data/test.jsonl", """
            {"id": "a", "q": "<b>\"quoted\" & 'x' \\ é ✓</b>", "tags": ["<a>", "b&c", 3], "meta": {"source": "x<y", "n": 2}, "answer": "ok"}
            """ + "\n");
        dir.Write("prompt.liquid", "{{ input }}|{% for t in tags %}[{{ t }}]{% endfor %}|{{ tags | join: ', ' }}|{{ tags.size }}|{{ meta.source }}/{{ meta.n }}");
        var task = dir.Write("adaptlab.yaml", $$"""
            name: fields
            task: generation
            data:
              test: data/test.jsonl
              fields: { id: id, input: q, expected: answer, extra: { tags: tags, meta: meta } }
            metrics: [exact_match]
            models:
              fake: { ref: "openai-compatible:fake-model", endpoint: "{{server.Endpoint}}" }
            defaults: { model: fake }
            variants:
              - name: v
                prompt: prompt.liquid
            """);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"{Awkward}|[<a>][b&c][3]|<a>, b&c, 3|3|x<y/2"], server.CallsByPrompt.Keys);
    }

    [Fact]
    public async Task A_large_input_mapped_to_two_fields_is_stored_once()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => "ok");
        using var dir = new TempDir();
        var big = string.Concat(Enumerable.Repeat("All work and no play <makes> \"Jack\" a dull boy. ", 40_000));
        dir.Write("data/test.jsonl", System.Text.Json.JsonSerializer.Serialize(new { id = "a", text = big, answer = "ok" }) + "\n");
        dir.Write("prompt.liquid", "{{ prompt | size }}");
        var task = dir.Write("adaptlab.yaml", $$"""
            name: big
            task: generation
            data:
              test: data/test.jsonl
              fields: { id: id, input: text, expected: answer, extra: { prompt: text } }
            metrics: [exact_match]
            models:
              fake: { ref: "openai-compatible:fake-model", endpoint: "{{server.Endpoint}}" }
            defaults: { model: fake }
            variants:
              - name: v
                prompt: prompt.liquid
            """);
        var storePath = dir.Path("runs.db");

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", storePath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([big.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)], server.CallsByPrompt.Keys);
        using (var connection = new SqliteConnection($"Data Source={storePath};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var size = connection.CreateCommand();
            size.CommandText = "SELECT length(input) + length(expected) + length(fields) FROM items";
            var stored = Convert.ToInt64(size.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(stored, big.Length, big.Length + 200);
        }

        // What is stored once still reads back whole.
        using var store = RunStore.Open(storePath);
        var item = store.GetItems(store.FindRun("latest")!.Id).Single();
        Assert.Equal(big, item.Fields["prompt"]);
        Assert.Equal(big, item.Fields["input"]);
        Assert.Equal("ok", item.Fields["expected"]);
    }
}
