using System.Text.Json.Nodes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.ToolCalls;

/// <summary>The tool-call metrics on the Berkeley Function Calling Leaderboard's own data (../shared/datasets/bfcl).</summary>
public sealed class BfclCheckerTests
{
    private static readonly string[] Metrics = ["tool_call_match", "tool_name_valid", "tool_args_valid", "no_call_accuracy"];

    /// <summary>The category's items as metric items whose prediction is the ground truth itself, its calls in order or reversed.</summary>
    private static List<(string Id, MetricItem Item)> GroundTruthItems(string category, bool reversed = false) =>
        [.. BfclGroundTruth.Load(category).Select(r => ((string)r.Record["id"]!, Item(r.Record, r.Expected, BfclGroundTruth.Calls(r.Record, r.Expected), reversed)))];

    private static MetricItem Item(JsonNode record, JsonArray expected, JsonArray calls, bool reversed = false) =>
        new(new JsonArray([.. (reversed ? calls.Reverse() : calls).Select(c => c!.DeepClone())]).ToJsonString(), [expected.ToJsonString()])
        {
            Fields = new Dictionary<string, string> { ["tools"] = record["function"]!.ToJsonString() },
        };

    /// <summary>
    /// Ground truth that breaks its own tool's schema, which only the schema check sees: parallel_multiple_94 expects
    /// sort_list(elements=["apple", ...]) where elements is an array of integers (BFCL's checker takes items of the
    /// acceptable list's own type), parallel_multiple_21 passes x=data['sales'], a variable, for an array.
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, string>> DataDefects = new()
    {
        ["tool_args_valid"] = new() { ["parallel_multiple_21"] = "argument 'x' should be array, not a string", ["parallel_multiple_94"] = "should be integer, not a string" },
    };

    [Theory]
    [InlineData("simple_python", 400)]
    [InlineData("multiple", 200)]
    [InlineData("parallel", 200)]
    [InlineData("parallel_multiple", 200)]
    [InlineData("irrelevance", 240)]
    public void The_ground_truth_scores_100_percent_on_every_metric(string category, int count)
    {
        var items = GroundTruthItems(category);

        Assert.Equal(count, items.Count);
        foreach (var name in Metrics)
        {
            var value = MetricCatalog.Create(name).Compute([.. items.Select(i => i.Item)]);
            var failed = items.Select((item, i) => (item.Id, Reason: value.Reasons![i])).Where(f => f.Reason is not null).ToList();
            var defects = DataDefects.GetValueOrDefault(name) ?? [];
            var expectedFailures = defects.Keys.Where(id => id[..id.LastIndexOf('_')] == category);
            Assert.True(failed.Select(f => f.Id).SequenceEqual(expectedFailures), $"{name} on {category}: {string.Join("; ", failed.Select(f => $"{f.Id}: {f.Reason}"))}");
            Assert.All(failed, f => Assert.Contains(defects[f.Id], f.Reason));
        }
    }

    /// <summary>
    /// BFCL's checker accepts every acceptable value the ground truth lists (a bool for simple_python_307's string
    /// venue, null for parallel_152's float mod, [["Apple"], ["Microsoft"]] for simple_python_149's strings), except
    /// where <c>""</c> marks a required argument (simple_python_17 and others), which the tool then requires all the same.
    /// </summary>
    [Theory]
    [InlineData("simple_python")]
    [InlineData("multiple")]
    [InlineData("parallel")]
    [InlineData("parallel_multiple")]
    public void Every_acceptable_value_of_every_argument_is_accepted(string category)
    {
        var variants = BfclGroundTruth.Load(category)
            .SelectMany(r => BfclGroundTruth.Alternatives(r.Record, r.Expected).Select(a => (Name: $"{r.Record["id"]}: {a.Argument}", Item: Item(r.Record, r.Expected, a.Calls))))
            .ToList();

        var reasons = MetricCatalog.Create("tool_call_match").Compute([.. variants.Select(v => v.Item)]).Reasons!;

        Assert.True(variants.Count > 500, $"only {variants.Count} variants");
        var rejected = variants.Select((v, i) => (v.Name, Reason: reasons[i])).Where(v => v.Reason is not null).ToList();
        Assert.True(rejected.Count == 0, string.Join("\n", rejected.Select(r => $"{r.Name}: {r.Reason}")));
    }

    /// <summary>
    /// BFCL pairs parallel calls greedily, so order can matter: parallel_178's first expected call accepts Apple as
    /// well as Microsoft, and on the reversed calls it takes Apple's January call, which the third one needed.
    /// </summary>
    [Theory]
    [InlineData("parallel", "parallel_178")]
    [InlineData("parallel_multiple", null)]
    public void Reversed_calls_match_but_where_the_greedy_pairing_takes_a_call_another_needs(string category, string? rejected)
    {
        var items = GroundTruthItems(category, reversed: true);

        var reasons = MetricCatalog.Create("tool_call_match").Compute([.. items.Select(i => i.Item)]).Reasons!;

        var failed = items.Select((item, i) => (item.Id, Reason: reasons[i])).Where(f => f.Reason is not null).ToList();
        Assert.Equal(rejected is null ? [] : [rejected], failed.Select(f => f.Id));
        Assert.All(failed, f => Assert.Contains("call 2 would match, but expected call 1 took it first", f.Reason));
    }

    public static TheoryData<string, string, string, string> PlantedErrors => new()
    {
        // metric, calls made on simple_python_0 (calculate_triangle_area(base, height, unit?)), expected calls, reason
        { "tool_call_match", """[{"name": "calculate_area", "arguments": {"base": 10, "height": 5}}]""", Triangle, "called 'calculate_area' instead of 'calculate_triangle_area'" },
        { "tool_call_match", """[{"name": "calculate_triangle_area", "arguments": {"height": 5}}]""", Triangle, "missing required argument 'base'" },
        { "tool_call_match", """[{"name": "calculate_triangle_area", "arguments": {"base": "10", "height": 5}}]""", Triangle, "argument 'base' should be integer, not a string" },
        { "tool_call_match", """[{"name": "calculate_triangle_area", "arguments": {"base": 10.5, "height": 5}}]""", Triangle, "argument 'base' should be integer, not a float" },
        { "tool_call_match", """[{"name": "calculate_triangle_area", "arguments": {"base": 10, "height": 5, "color": "red"}}]""", Triangle, "unexpected argument 'color'" },
        { "tool_call_match", """[{"name": "calculate_triangle_area", "arguments": {"base": 11, "height": 5}}]""", Triangle, "argument 'base' is 11, not one of 10" },
        { "tool_call_match", """[{"name": "calculate_triangle_area", "arguments": {"base": 10, "height": 5, "unit": "cm"}}]""", Triangle, "argument 'unit' is \"cm\", not one of \"units\"" },
        { "tool_call_match", "I cannot call a tool.", Triangle, "no call was made" },
        { "tool_call_match", """[{"name": "calculate_triangle_area", "arguments": {"base": 10, "height": 5}}, {"name": "calculate_triangle_area", "arguments": {"base": 10, "height": 5}}]""", Triangle, "expected 1 call(s)" },
        { "tool_call_match", """[{"name": "calculate_triangle_area", "arguments": {"base": 10, "height": 5}}]""", "[]", "no call was expected" },
        { "tool_name_valid", """[{"name": "area_of_triangle", "arguments": {"base": 10, "height": 5}}]""", Triangle, "invented tool 'area_of_triangle'" },
        { "tool_args_valid", """[{"name": "calculate_triangle_area", "arguments": {"base": 10}}]""", Triangle, "missing required argument 'height'" },
        { "tool_args_valid", """[{"name": "calculate_triangle_area", "arguments": "{\"base\": true, \"height\": 5}"}]""", Triangle, "argument 'base' should be integer, not a boolean" },
        { "no_call_accuracy", "[]", Triangle, "made no call where one was expected" },
        { "no_call_accuracy", """[{"name": "calculate_triangle_area", "arguments": {"base": 10, "height": 5}}]""", "[]", "called a tool where none fits" },
    };

    private const string Triangle = """[{"calculate_triangle_area": {"base": [10], "height": [5], "unit": ["units", ""]}}]""";

    [Theory]
    [MemberData(nameof(PlantedErrors))]
    public void Planted_errors_fail_with_a_reason_that_names_them(string metric, string calls, string expected, string reason)
    {
        var tools = JsonNode.Parse(File.ReadLines(SharedData.Path("datasets", "bfcl", "BFCL_v4_simple_python.json")).First())!["function"]!.ToJsonString();
        var item = new MetricItem(calls, [expected]) { Fields = new Dictionary<string, string> { ["tools"] = tools } };

        var value = MetricCatalog.Create(metric).Compute([item]);

        Assert.Equal(0, value.Value);
        Assert.Contains(reason, value.Reasons![0]);
    }
}
