namespace AdaptLab.Cli.Commands;

/// <summary>
/// Which test layout a code dataset's fields follow, for <c>init --task code</c>: HumanEval's (prompt, test,
/// entry_point) or MBPP's (a list of asserts, optional setup code), as the task file maps and scores them.
/// </summary>
internal sealed record CodeLayout(string Metric, string Extra)
{
    /// <exception cref="InputException">Neither layout's fields are there.</exception>
    public static CodeLayout Of(IReadOnlyList<string> fields)
    {
        string? Field(params string[] names) => names.FirstOrDefault(n => fields.Contains(n, StringComparer.Ordinal));
        if (Field("test") is { } test && Field("entry_point") is { } entry && Field("prompt") is { } prompt)
        {
            return new("pass_at_1", $"{{ prompt: {prompt}, test: {test}, entry_point: {entry} }}");
        }

        if (Field("test_list", "tests") is { } tests)
        {
            var setup = Field("test_setup_code", "setup");
            return new("{ name: pass_at_1, test_format: asserts }", setup is null ? $"{{ tests: {tests} }}" : $"{{ tests: {tests}, setup: {setup} }}");
        }

        return new("pass_at_1", "{ prompt: prompt, test: test, entry_point: entry_point }   # map the fields that hold the tests");
    }
}
