using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Metrics.ToolCalls;

/// <summary>What a tool-call metric judges in one item.</summary>
public enum ToolCallMeasure
{
    /// <summary><c>tool_call_match</c>: the calls match the expected ones (<see cref="BfclAstChecker"/>).</summary>
    Match,

    /// <summary><c>tool_name_valid</c>: every call names an offered tool (none invented).</summary>
    NameValid,

    /// <summary><c>tool_args_valid</c>: every call's arguments fit its tool's parameters (required, known, typed).</summary>
    ArgumentsValid,

    /// <summary><c>no_call_accuracy</c>: the model called a tool exactly when one was expected (on irrelevance items: made no call).</summary>
    CallDecision,
}

/// <summary>
/// The tool-call metrics. The prediction is the calls the model made as JSON (<see cref="ToolCall.ParseAll"/>), the
/// reference the expected calls in BFCL's form (<c>[]</c>: no call), and the item's tools field the offered tools.
/// </summary>
public sealed class ToolCallMetric(ToolCallMeasure measure, string toolsField) : IMetric, IReadsItemFields, IItemScopedMetric
{
    public const string DefaultToolsField = "tools";

    public string Name => measure switch
    {
        ToolCallMeasure.Match => "tool_call_match",
        ToolCallMeasure.NameValid => "tool_name_valid",
        ToolCallMeasure.ArgumentsValid => "tool_args_valid",
        _ => "no_call_accuracy",
    };

    public MetricShape Shape => MetricShape.MeanOfBinary;

    public bool HigherIsBetter => true;

    public IReadOnlyList<string> RequiredFields => [toolsField];

    public static ToolCallMetric FromOptions(ToolCallMeasure measure, MetricOptions options) =>
        new(measure, options.GetString("tools_field", DefaultToolsField));

    /// <summary>The validity measures judge the calls made: an item without a call has none to judge.</summary>
    public bool Judges(MetricItem item) =>
        measure is not (ToolCallMeasure.NameValid or ToolCallMeasure.ArgumentsValid) || ToolCall.ParseAll(item.Prediction).Count > 0;

    public (string Field, string Problem)? Check(IReadOnlyDictionary<string, string> fields)
    {
        if (!fields.TryGetValue(toolsField, out var tools))
        {
            return (toolsField, "the item has no offered tools");
        }

        try
        {
            OfferedTool.ParseAll(tools);
            return null;
        }
        catch (FormatException e)
        {
            return (toolsField, e.Message);
        }
    }

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        var perItem = new double[items.Count];
        var reasons = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            reasons[i] = Judge(items[i]);
            perItem[i] = reasons[i] is null ? 1 : 0;
        }

        return new MetricValue(items.Count == 0 ? 0 : perItem.Average(), perItem, reasons);
    }

    private string? Judge(MetricItem item)
    {
        var tools = OfferedTool.ParseAll(item.Fields.GetValueOrDefault(toolsField) ?? "[]");
        var calls = ToolCall.ParseAll(item.Prediction);
        switch (measure)
        {
            case ToolCallMeasure.NameValid:
                return calls.FirstOrDefault(c => tools.All(t => t.Name != c.Name)) is { } invented
                    ? $"invented tool '{invented.Name}' (offered: {string.Join(", ", tools.Select(t => t.Name))})"
                    : null;
            case ToolCallMeasure.ArgumentsValid:
                foreach (var call in calls)
                {
                    if (tools.FirstOrDefault(t => t.Name == call.Name) is not { } tool)
                    {
                        return $"'{call.Name}' is not an offered tool, so its arguments have no schema";
                    }

                    if (tool.CheckArguments(call.Arguments) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
        }

        var expected = Expected(item);
        if (measure == ToolCallMeasure.CallDecision)
        {
            return (expected.Count == 0) == (calls.Count == 0) ? null
                : expected.Count == 0 ? "called a tool where none fits" : "made no call where one was expected";
        }

        return BfclAstChecker.Check(calls, expected, tools);
    }

    private static JsonArray Expected(MetricItem item)
    {
        var reference = item.References.FirstOrDefault() ?? "[]";
        try
        {
            return JsonNode.Parse(reference) as JsonArray ?? throw new FormatException("the expected calls are not a JSON array");
        }
        catch (JsonException e)
        {
            throw new FormatException($"the expected calls are not JSON: {e.Message}", e);
        }
    }
}
