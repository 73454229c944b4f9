using System.CommandLine;
using AdaptLab.Core.Items;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab init DATA</c>: scaffold a task file and a first prompt from a dataset's fields.</summary>
internal static class InitCommand
{
    private static readonly string[] InputNames = ["input", "text", "question", "prompt", "query", "sentence", "utterance"];
    private static readonly string[] ExpectedNames = ["expected", "label", "category", "intent", "answer", "output", "target", "class"];

    public static Command Create(CliContext context)
    {
        var data = new Argument<string>("data") { Description = "The test split (JSONL, CSV or JSON array)" };
        var kind = new Option<string>("--task") { Description = "classification, extraction, generation, qa or code", DefaultValueFactory = _ => "classification" };
        kind.AcceptOnlyFromAmong("classification", "extraction", "generation", "qa", "code");
        var output = new Option<string>("--output", "-o") { Description = "Task file to write", DefaultValueFactory = _ => "adaptlab.yaml" };
        var input = new Option<string?>("--input") { Description = "Field holding the model input (guessed when omitted)" };
        var expected = new Option<string?>("--expected") { Description = "Field holding the expected output (guessed when omitted)" };
        var model = new Option<string>("--model") { Description = "Model reference", DefaultValueFactory = _ => "openai:gpt-4o-mini" };
        var command = new Command("init", "Scaffold adaptlab.yaml and a first prompt from a dataset") { data, kind, output, input, expected, model };
        command.SetAction(parse =>
        {
            var dataPath = Path.GetFullPath(parse.GetValue(data)!);
            var taskPath = Path.GetFullPath(parse.GetValue(output)!);
            var promptPath = Path.Combine(Path.GetDirectoryName(taskPath)!, "prompts", "zero-shot.liquid");
            foreach (var existing in new[] { taskPath, promptPath }.Where(File.Exists))
            {
                throw new InputException(existing, null, null, existing == taskPath
                    ? "already exists; init never overwrites (choose another --output)"
                    : "already exists; init never overwrites, and writes the first prompt beside the task file (choose an --output in another folder)");
            }

            var (fields, format) = DatasetPeek.Peek(dataPath);
            var taskKind = parse.GetValue(kind)!;
            var code = taskKind == "code" ? CodeLayout.Of(fields) : null;
            var inputField = parse.GetValue(input) ?? Guess(fields, code is null ? InputNames : ["prompt", "text", .. InputNames], dataPath, "--input");
            var expectedField = parse.GetValue(expected) ?? Guess(fields, code is null ? ExpectedNames : ["canonical_solution", "code", .. ExpectedNames], dataPath, "--expected");
            var relativeData = Path.GetRelativePath(Path.GetDirectoryName(taskPath)!, dataPath);
            var name = new string(Path.GetFileNameWithoutExtension(dataPath).Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');

            Directory.CreateDirectory(Path.GetDirectoryName(promptPath)!);
            AtomicFile.Write(promptPath, Prompt(taskKind));
            AtomicFile.Write(taskPath, $$"""
                # yaml-language-server: $schema=https://adaptlab.dev/schema/adaptlab.schema.json
                name: {{(name.Length > 0 ? name : "task")}}
                task: {{taskKind}}
                data:
                  test: {{relativeData}}{{(format is null ? string.Empty : $"\n  format: {format.Value.ToString().ToLowerInvariant()}   # the file holds JSON lines")}}
                  fields:
                    input: {{inputField}}
                    expected: {{expectedField}}{{(code is null ? string.Empty : $"\n    extra: {code.Extra}")}}
                  sample: { size: 200, seed: 1 }
                metrics: [{{(taskKind switch { "classification" => "accuracy, macro_f1", "code" => code!.Metric, _ => "exact_match" })}}]
                targets:
                  max_error_rate: 0.01
                defaults:
                  model: {{parse.GetValue(model)}}
                  temperature: 0
                  max_tokens: {{(code is null ? 64 : 512)}}
                variants:
                  - name: zero-shot
                    prompt: prompts/zero-shot.liquid

                """);
            context.Out.MarkupLineInterpolated($"wrote {taskPath} and {promptPath}; check them with `adaptlab validate {Path.GetRelativePath(Environment.CurrentDirectory, taskPath)}`");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Guess(IReadOnlyList<string> fields, string[] names, string path, string option) =>
        names.FirstOrDefault(n => fields.Contains(n, StringComparer.OrdinalIgnoreCase)) is { } hit
            ? fields.First(f => string.Equals(f, hit, StringComparison.OrdinalIgnoreCase))
            : throw new InputException(path, 1, null, $"cannot guess which field to use; pass {option} (fields: {string.Join(", ", fields)})");

    private static string Prompt(string kind) => kind switch
    {
        "classification" => """
            Classify the message into exactly one of these labels:
            {% for label in labels %}- {{ label }}
            {% endfor %}
            Message: {{ input }}
            Answer with the label only.

            """,
        "extraction" => """
            Extract the fields from the text as one JSON object.
            Text: {{ input }}
            JSON:

            """,
        _ => """
            {{ input }}

            """,
    };
}
