namespace AdaptLab.Metrics.Code;

/// <summary>
/// Assembles the program that decides whether a HumanEval-style completion passes, exactly as
/// openai/human-eval's execution.py does: prompt + completion + "\n" + test + "\n" + "check(entry_point)".
/// </summary>
public static class HumanEvalProgram
{
    public const string PromptField = "prompt";
    public const string TestField = "test";
    public const string EntryPointField = "entry_point";

    /// <summary>Optional: samples with the same task id are n samples of one problem.</summary>
    public const string TaskIdField = "task_id";

    /// <exception cref="ArgumentException">A required field is missing.</exception>
    internal static string Build(MetricItem item, int index)
    {
        ArgumentNullException.ThrowIfNull(item);
        var prompt = Required(item, PromptField, index);
        var test = Required(item, TestField, index);
        var entryPoint = Required(item, EntryPointField, index);
        if (string.IsNullOrWhiteSpace(entryPoint))
        {
            throw new ArgumentException($"item {index}: field '{EntryPointField}' is empty; it names the function under test");
        }

        return prompt + item.Prediction + "\n" + test + "\n" + $"check({entryPoint})";
    }

    private static string Required(MetricItem item, string field, int index) =>
        item.Fields.TryGetValue(field, out var value)
            ? value
            : throw new ArgumentException(
                $"item {index}: code metrics need the fields '{PromptField}', '{TestField}' and '{EntryPointField}'; '{field}' is missing");
}
