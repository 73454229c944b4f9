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

    internal static readonly IReadOnlyList<string> RequiredFields = [PromptField, TestField, EntryPointField];

    /// <exception cref="ArgumentException">A required field is missing.</exception>
    internal static string Build(MetricItem item, int index)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (Check(item.Fields) is { } problem)
        {
            throw new ArgumentException($"item {index}: field '{problem.Field}': {problem.Problem}");
        }

        return item.Fields[PromptField] + item.Prediction + "\n" + item.Fields[TestField] + "\n" + $"check({item.Fields[EntryPointField]})";
    }

    internal static (string Field, string Problem)? Check(IReadOnlyDictionary<string, string> fields)
    {
        if (RequiredFields.FirstOrDefault(f => !fields.ContainsKey(f)) is { } missing)
        {
            return (missing, $"test_format 'humaneval' reads the fields '{PromptField}', '{TestField}' (defines check(candidate)) and " +
                $"'{EntryPointField}'; '{missing}' is not mapped in data.fields.extra (for assert lists use test_format: asserts)");
        }

        return string.IsNullOrWhiteSpace(fields[EntryPointField])
            ? (EntryPointField, "is empty; it names the function under test")
            : null;
    }
}
