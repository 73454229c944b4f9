using System.CommandLine;
using System.Text.Json.Nodes;
using AdaptLab.Core;
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
                throw new InputException(existing, null, null, "already exists; init never overwrites (choose another --output)");
            }

            var fields = PeekFields(dataPath);
            var inputField = parse.GetValue(input) ?? Guess(fields, InputNames, dataPath, "--input");
            var expectedField = parse.GetValue(expected) ?? Guess(fields, ExpectedNames, dataPath, "--expected");
            var taskKind = parse.GetValue(kind)!;
            var relativeData = Path.GetRelativePath(Path.GetDirectoryName(taskPath)!, dataPath);
            var name = new string(Path.GetFileNameWithoutExtension(dataPath).Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');

            Directory.CreateDirectory(Path.GetDirectoryName(promptPath)!);
            AtomicFile.Write(promptPath, Prompt(taskKind));
            AtomicFile.Write(taskPath, $$"""
                # yaml-language-server: $schema=https://adaptlab.dev/schema/adaptlab.schema.json
                name: {{(name.Length > 0 ? name : "task")}}
                task: {{taskKind}}
                data:
                  test: {{relativeData}}
                  fields:
                    input: {{inputField}}
                    expected: {{expectedField}}
                  sample: { size: 200, seed: 1 }
                metrics: [{{(taskKind == "classification" ? "accuracy, macro_f1" : "exact_match")}}]
                targets:
                  max_error_rate: 0.01
                defaults:
                  model: {{parse.GetValue(model)}}
                  temperature: 0
                  max_tokens: 64
                variants:
                  - name: zero-shot
                    prompt: prompts/zero-shot.liquid

                """);
            context.Out.MarkupLineInterpolated($"wrote {taskPath} and {promptPath}; check them with `adaptlab validate {Path.GetRelativePath(Environment.CurrentDirectory, taskPath)}`");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IReadOnlyList<string> PeekFields(string path)
    {
        using var reader = new StreamReader(path);
        var first = reader.ReadLine() ?? string.Empty;
        return path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            ? first.Split(',').Select(f => f.Trim('"')).ToList()
            : (JsonNode.Parse(path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? reader.ReadToEnd().Insert(0, first) : first) switch
            {
                JsonArray { Count: > 0 } a when a[0] is JsonObject o => o.Select(kv => kv.Key).ToList(),
                JsonObject o => o.Select(kv => kv.Key).ToList(),
                _ => [],
            });
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
