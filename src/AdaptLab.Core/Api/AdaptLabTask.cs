using AdaptLab.Core.Tasks;

namespace AdaptLab;

/// <summary>
/// A task file (<c>adaptlab.yaml</c>), loaded and checked, to run with <see cref="AdaptLabEval"/>. It is opaque: the task
/// file is the one description of a task, and this only says what a caller needs to name in <see cref="EvalRunOptions"/>.
/// </summary>
public sealed class AdaptLabTask
{
    private AdaptLabTask(TaskDefinition definition)
    {
        Definition = definition;
        Variants = [.. definition.Variants.Select(v => v.Name)];
        Models = [.. definition.Models.Keys.Concat(definition.Variants.Select(v => v.ModelName)).Distinct(StringComparer.Ordinal)];
    }

    internal TaskDefinition Definition { get; }

    /// <summary>The task's <c>name</c>.</summary>
    public string Name => Definition.Name;

    /// <summary>The task file's full path; the paths it names are relative to its folder.</summary>
    public string FilePath => Definition.SourcePath;

    /// <summary>The variants' names, in the task file's order: the first is the baseline of <see cref="EvalRun.Comparisons"/>.</summary>
    public IReadOnlyList<string> Variants { get; }

    /// <summary>
    /// The model names a caller may supply a client for (<see cref="EvalRunOptions.ChatClients"/>): the keys of the task file's
    /// <c>models</c>, then any reference a variant names directly (e.g. <c>openai:gpt-4o-mini</c>).
    /// </summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>
    /// Reads and checks a task file as every <c>adaptlab</c> command does first: its schema, metrics and model references,
    /// and the prompt and other files it names. The datasets themselves are read when the task runs.
    /// </summary>
    /// <param name="path">The task file; relative to the current directory.</param>
    /// <exception cref="InputException">The file cannot be used as given. <see cref="InputException.File"/>,
    /// <see cref="InputException.Line"/> and <see cref="InputException.Field"/> say where (the field as a path such as
    /// <c>variants[0].prompt</c>), and <see cref="Exception.Message"/> reads as the CLI prints it.</exception>
    public static AdaptLabTask Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(TaskFileLoader.Load(path));
    }

    /// <summary>The task's name and file.</summary>
    public override string ToString() => $"{Name} ({FilePath})";
}
