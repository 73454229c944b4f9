using System.Text.Json;
using AdaptLab.Engine.Constrained;
using AdaptLab.Engine.Generation;
using AdaptLab.Engine.LlamaC;
using AdaptLab.Tests.Support;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine.Tests.Constrained;

public class ConstrainedGenerationTests
{
    /// <summary>Restaurant8k's slots; the model may fill any of them.</summary>
    private const string SlotSchema = """
        {"type":"object","properties":{"date":{"type":"string"},"time":{"type":"string"},"people":{"type":"string"},
         "first_name":{"type":"string"},"last_name":{"type":"string"}},"additionalProperties":false}
        """;

    private const string NestedSchema = """
        {"type":"object","properties":{"id":{"type":"integer"},"items":{"type":"array","items":{"type":"object",
         "properties":{"name":{"type":"string","maxLength":8},"qty":{"type":"number"}},"required":["name","qty"],"additionalProperties":false},
         "minItems":2},"status":{"enum":["open","closed"]}},"required":["id","items","status"],"additionalProperties":false}
        """;

    [Fact]
    public void The_trie_mask_allows_exactly_the_tokens_whose_text_continues_a_valid_document()
    {
        var vocabulary = new TokenizerVocabulary(Stories260K.Tokenizer());
        var masker = new JsonTokenMasker(JsonSchemaCompiler.Compile(SchemaCheck.Schema(NestedSchema)), vocabulary);
        string[] prefixes = ["", "{", "{\"id\": 1", "{\"id\":1,\"items\":[{\"name\":\"ab", "{\"id\":1,\"items\":[{\"name\":\"a\",\"qty\":2.5}", "{\"status\":\"op"];

        foreach (var prefix in prefixes)
        {
            var state = JsonAutomaton.Advance(JsonState.Start(masker.Schema), System.Text.Encoding.UTF8.GetBytes(prefix))!;
            var mask = masker.Mask(state);
            for (var id = 0; id < vocabulary.Count; id++)
            {
                var expected = vocabulary.TokenBytes(id).Length > 0 && JsonAutomaton.Advance(state, vocabulary.TokenBytes(id)) is not null;
                Assert.True(expected == mask.Allowed[id], $"after '{prefix}', token {id} '{Stories260K.Tokenizer().Piece(id)}'");
            }
        }
    }

    [Theory]
    [InlineData(NestedSchema, 3)]
    [InlineData(NestedSchema, 40)]
    [InlineData(NestedSchema, 41)]
    [InlineData(SlotSchema, 2)]
    [InlineData(SlotSchema, 3)]
    [InlineData(SlotSchema, 9)]
    [InlineData(SlotSchema, 17)]
    public void Near_the_token_limit_the_document_is_closed_so_it_still_validates(string schema, int maxTokensAboveMinimum)
    {
        var generator = Stories260K.Generator();
        var minimum = new JsonConstraint(new JsonTokenMasker(JsonSchemaCompiler.Compile(SchemaCheck.Schema(schema)), new TokenizerVocabulary(generator.Tokenizer))).TokensToClose;
        var prompt = generator.Tokenizer.Encode("Once upon a time, there was a little girl", addBos: true);
        for (var seed = 0; seed < 4; seed++)
        {
            var options = new GenerationOptions { JsonSchema = SchemaCheck.Schema(schema), MaxTokens = minimum + maxTokensAboveMinimum - 2, Seed = seed };
            var chunks = generator.Complete(prompt, options).ToList();
            var text = string.Concat(chunks.Select(c => c.Text));

            Assert.True(chunks.Count(c => c.TokenId is not null) <= options.MaxTokens);
            Assert.True(SchemaCheck.Problem(schema, text) is null, $"seed {seed}, {options.MaxTokens} tokens: {text} {SchemaCheck.Problem(schema, text)}");
        }
    }

    [Fact]
    public void A_limit_below_the_shortest_valid_document_is_an_argument_error()
    {
        var generator = Stories260K.Generator();

        var error = Assert.Throws<ArgumentException>(() => generator.Complete([LlamaCTokenizer.BosId], new GenerationOptions { JsonSchema = SchemaCheck.Schema(NestedSchema), MaxTokens = 10 }));

        Assert.Contains("shortest", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => generator.Complete([LlamaCTokenizer.BosId], new GenerationOptions { JsonSchema = SchemaCheck.Schema("""{"type":"string","format":"x","minLength":2}""") }));
    }

    [Fact]
    public void Batched_rows_each_end_with_their_own_valid_document()
    {
        var generator = Stories260K.Generator();
        IReadOnlyList<int>[] prompts = [.. new[] { "Lily", "Tom went to the park", "" }.Select(t => (IReadOnlyList<int>)generator.Tokenizer.Encode(t, addBos: true))];

        var texts = new string[prompts.Length];
        foreach (var (row, chunk) in generator.CompleteBatch(prompts, new GenerationOptions { JsonSchema = SchemaCheck.Schema(NestedSchema), MaxTokens = 120, Seed = 3 }))
        {
            texts[row] += chunk.Text;
        }

        Assert.All(texts, text => Assert.Null(SchemaCheck.Problem(NestedSchema, text)));
    }

    [Fact]
    public async Task Restaurant8k_slot_outputs_from_stories260K_always_parse_and_validate()
    {
        using var client = Stories260K.Client();
        ChatOptions Options(int seed) => new()
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(SchemaCheck.Schema(SlotSchema), "restaurant_slots"),
            MaxOutputTokens = 48,
            Temperature = 1,
            Seed = seed,
        };
        using var test = JsonDocument.Parse(File.ReadAllText(SharedData.Path("datasets", "restaurant8k", "test.json")));
        var utterances = test.RootElement.EnumerateArray().Take(50).Select(e => e.GetProperty("userInput").GetProperty("text").GetString()!).ToList();

        var problems = new List<string>();
        var filled = 0;
        for (var i = 0; i < utterances.Count; i++)
        {
            var response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.User, $"Book a table. The guest said: {utterances[i]}\nThe booking as JSON: ")], Options(i));
            if (SchemaCheck.Problem(SlotSchema, response.Text) is { } problem)
            {
                problems.Add($"{utterances[i]} -> {response.Text}: {problem}");
            }
            else
            {
                filled += JsonDocument.Parse(response.Text).RootElement.EnumerateObject().Any() ? 1 : 0;
            }
        }

        Assert.Equal(50, utterances.Count);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(filled > 0, "Every output was {}: the constraint should still let the model write slots.");
    }

    [Fact]
    public async Task A_json_response_format_without_a_schema_yields_a_json_object()
    {
        using var client = Stories260K.Client();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], new ChatOptions { ResponseFormat = ChatResponseFormat.Json, MaxOutputTokens = 40, Seed = 1 });

        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(response.Text).RootElement.ValueKind);
    }
}
