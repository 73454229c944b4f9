namespace AdaptLab;

/// <summary>
/// Bad input from the user: a task file, dataset, prompt or corpus file that cannot be used as given. The CLI
/// prints <see cref="Exception.Message"/> (file, line and field first) and exits with code 2. It lives here, the
/// lowest project, so that Core and the retrieval corpus reader report bad input as the one type.
/// </summary>
public sealed class InputException(string file, int? line, string? field, string problem)
    : Exception(Format(file, line, field, problem))
{
    public string File { get; } = file;

    public int? Line { get; } = line;

    public string? Field { get; } = field;

    public string Problem { get; } = problem;

    private static string Format(string file, int? line, string? field, string problem)
    {
        var where = line is null ? file : $"{file}:{line}";
        return field is null ? $"{where}: {problem}" : $"{where}: {field}: {problem}";
    }
}
