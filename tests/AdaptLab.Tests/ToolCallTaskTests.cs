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
        var metrics = store.GetMetricResults(run.Id).ToDictionary(r => r.Metric, r => r.Value);
        var planted = records.Count(r => r.Index % 10 == 3);
        // Ground truth that breaks its own schema, which only the schema check sees (see BfclCheckerTests.DataDefects).
        var argsDefects = category == "parallel_multiple" ? 2 : 0;
        Assert.True(result.Exit is 0 or 1, result.Output);
        Assert.Equal((double)(count - planted) / count, metrics["tool_call_match"], 12);
        if (category == "irrelevance")
        {
            Assert.Equal((double)(count - planted) / count, metrics["no_call_accuracy"], 12);
            Assert.Equal(1, metrics["tool_name_valid"]);
        }
        else
        {
            Assert.Equal((double)(count - planted) / count, metrics["tool_name_valid"], 12);
            Assert.Equal((double)(count - planted - argsDefects) / count, metrics["tool_args_valid"], 12);
            Assert.Equal(1, metrics["no_call_accuracy"]);
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
