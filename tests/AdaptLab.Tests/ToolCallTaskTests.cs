using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

/// <summary>
/// The shipped BFCL tasks end to end against an OpenAI-compatible server that answers with tool_calls: the ground
/// truth's calls, except on every tenth item (index 3, 13, ...), where it invents a tool (or, on irrelevance items,
/// calls one). The per-category numbers are therefore known.
/// </summary>
public sealed partial class ToolCallTaskTests
{
    [Theory]
    [InlineData("simple", "simple_python", 400)]
    [InlineData("multiple", "multiple", 200)]
    [InlineData("parallel", "parallel", 200)]
    [InlineData("parallel-multiple", "parallel_multiple", 200)]
    [InlineData("irrelevance", "irrelevance", 240)]
    public async Task Bfcl_categories_run_end_to_end_with_native_tool_calls_and_score_as_planted(string example, string category, int count)
    {
        var records = BfclGroundTruth.Load(category).Select((r, i) => (r.Record, r.Expected, Index: i)).ToList();
        var byRequest = records.ToDictionary(r => Key((string)r.Record["question"]![0]![0]!["content"]!, r.Record["function"]!.AsArray().Select(f => ProviderName((string)f!["name"]!))));
        await using var server = await FakeOpenAiServer.StartAsync(_ => "unused", reply: call =>
        {
            var tools = call.Body!["tools"]!.AsArray();
            var (record, expected, index) = byRequest[Key(call.Prompt, tools.Select(t => (string)t!["function"]!["name"]!))];
            var calls = BfclGroundTruth.Calls(record, expected);
            if (index % 10 == 3)
            {
                calls = expected.Count == 0
                    ? [new JsonObject { ["name"] = (string)record["function"]![0]!["name"]!, ["arguments"] = new JsonObject() }]
                    : [new JsonObject { ["name"] = "made_up_tool", ["arguments"] = new JsonObject() }];
            }

            return new FakeReply(200, Body: Completion(calls));
        });
        using var dir = new TempDir();

        var result = await CliProcessAsync(server.Endpoint, "eval", RepoPaths.Path("examples", "bfcl", example + ".yaml"), "--store", dir.Path("runs.db"));

        using var store = RunStore.Open(dir.Path("runs.db"));
        var run = store.FindRun("latest")!;
        Assert.Equal(count, run.ItemCount);
        var results = store.GetMetricResults(run.Id).ToDictionary(r => r.Metric);
        var metrics = results.ToDictionary(r => r.Key, r => r.Value.Value);
        var planted = records.Count(r => r.Index % 10 == 3);
        // Ground truth that breaks its own schema, which only the schema check sees (see BfclCheckerTests.DataDefects).
        var argsDefects = category == "parallel_multiple" ? 2 : 0;
        Assert.True(result.Exit is 0 or 1, result.Output);
        Assert.Equal((double)(count - planted) / count, metrics["tool_call_match"], 12);
        if (category == "irrelevance")
        {
            Assert.Equal((double)(count - planted) / count, metrics["no_call_accuracy"], 12);
            // Validity is judged over the calls made (the planted ones), never a vacuous 100 over items with no call.
            Assert.Equal(1, metrics["tool_name_valid"]);
            Assert.Equal(planted, results["tool_name_valid"].N);
            Assert.Equal(planted, results["tool_args_valid"].N);
        }
        else
        {
            Assert.Equal((double)(count - planted) / count, metrics["tool_name_valid"], 12);
            Assert.Equal((double)(count - planted - argsDefects) / count, metrics["tool_args_valid"], 12);
            Assert.Equal(1, metrics["no_call_accuracy"]);
            Assert.Equal(count, results["tool_name_valid"].N);
        }

        // The request offered the item's tools as JSON Schema under names the provider accepts; the calls came back under the item's own.
        if (category == "simple")
        {
            var tools = server.Requests.Single(r => r.Prompt.StartsWith("Calculate the factorial of 5", StringComparison.Ordinal)).Body!["tools"]!.AsArray();
            Assert.Equal("math_factorial", (string)tools[0]!["function"]!["name"]!);
            Assert.Equal("object", (string)tools[0]!["function"]!["parameters"]!["type"]!);
            var predictions = store.GetPredictions(run.Id).ToDictionary(p => store.GetItems(run.Id)[p.ItemIndex].Id);
            Assert.StartsWith("""[{"name":"math.factorial","arguments":{"number":5}}]""", predictions["simple_python_1"].Output);
        }
    }

    [Fact]
    public async Task A_conversation_that_opens_with_a_system_turn_sends_it_as_the_system_message_and_asks_the_last_turn()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => "unused", reply: _ => new FakeReply(200, Body: Completion([])));
        using var dir = new TempDir();
        const string tools = "[{\"name\": \"get_weather\", \"description\": \"Weather\", \"parameters\": {\"type\": \"dict\", \"properties\": {\"city\": {\"type\": \"string\"}}, \"required\": [\"city\"]}}]";
        dir.Write("data/test.jsonl", string.Join("\n",
            $"{{\"id\": \"with-system\", \"question\": [[{{\"role\": \"system\", \"content\": \"You are a travel agent.\"}}, {{\"role\": \"user\", \"content\": \"Weather in Oslo?\"}}]], \"function\": {tools}}}",
            $"{{\"id\": \"plain\", \"question\": [[{{\"role\": \"user\", \"content\": \"Weather in Rome?\"}}]], \"function\": {tools}}}") + "\n");
        dir.Write("question.liquid", "{{ input }}");
        var task = dir.Write("adaptlab.yaml", $$"""
            name: turns
            task: tool_call
            data:
              test: data/test.jsonl
              fields: { id: id, input: "question[0][-1].content", system: "question[0][role=system].content", extra: { tools: function } }
            metrics: [no_call_accuracy]
            models:
              fake: { ref: "openai-compatible:fake", endpoint: "{{server.Endpoint}}" }
            defaults: { model: fake }
            variants:
              - { name: v, prompt: question.liquid }
            """);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = server.Requests.ToDictionary(r => r.Messages[^1].Content);
        Assert.Equal([("system", "You are a travel agent."), ("user", "Weather in Oslo?")], requests["Weather in Oslo?"].Messages);
        // The control: a conversation without a system turn has no system message.
        Assert.Equal([("user", "Weather in Rome?")], requests["Weather in Rome?"].Messages);
    }

    [Theory]
    [InlineData("question[0][last].content", "'[last]' in 'question[0][last].content' is neither an index")]
    [InlineData("question[0][-1.content", "is neither an index")]
    public void A_path_selector_it_cannot_follow_is_an_input_error_naming_the_field(string input, string message)
    {
        using var dir = new TempDir();
        dir.Write("data/test.jsonl", "{\"id\": \"a\"}\n");
        dir.Write("question.liquid", "{{ input }}");
        var task = dir.Write("adaptlab.yaml", $$"""
            name: turns
            task: tool_call
            data:
              test: data/test.jsonl
              fields: { id: id, input: "{{input}}", extra: { tools: function } }
            metrics: [no_call_accuracy]
            defaults: { model: "openai:gpt-4o-mini" }
            variants:
              - { name: v, prompt: question.liquid }
            """);

        var error = Assert.Throws<AdaptLab.InputException>(() => AdaptLab.Core.Tasks.TaskFileLoader.Load(task));

        Assert.Contains("data.fields.input", error.Message);
        Assert.Contains(message, error.Message);
    }

    private static string Key(string question, IEnumerable<string> tools) => question + "\n" + string.Join(",", tools.Order(StringComparer.Ordinal));

    private static string ProviderName(string name) => NotProviderSafe().Replace(name, "_");

    [GeneratedRegex("[^a-zA-Z0-9_-]")]
    private static partial Regex NotProviderSafe();

    /// <summary>An OpenAI chat completion whose message makes the calls (arguments as a JSON string, as OpenAI sends them).</summary>
    private static string Completion(JsonArray calls) => calls.Count == 0
        ? FakeOpenAiServer.Completion(new JsonObject { ["role"] = "assistant", ["content"] = "None of these tools fits the question." })
        : FakeOpenAiServer.Completion(
            new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray([.. calls.Select((c, i) => (JsonNode)new JsonObject
                {
                    ["id"] = $"call_{i}",
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = ProviderName((string)c!["name"]!), ["arguments"] = c["arguments"]!.ToJsonString() },
                })]),
            },
            "tool_calls");

    private static async Task<(int Exit, string Output)> CliProcessAsync(string endpoint, params string[] args)
    {
        using var cli = CliProcess.Start(new Dictionary<string, string> { ["OPENAI_BASE_URL"] = endpoint, ["OPENAI_API_KEY"] = "sk-test-not-a-real-key" }, args);
        var exit = await cli.WaitAsync();
        return (exit, cli.ToString());
    }
}
