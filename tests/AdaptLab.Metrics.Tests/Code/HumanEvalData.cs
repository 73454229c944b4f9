using System.IO.Compression;
using System.Text.Json;
using AdaptLab.Metrics.Code;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Code;

/// <summary>The 164 HumanEval problems from shared/datasets/humaneval (openai/human-eval).</summary>
internal static class HumanEvalData
{
    public sealed record Problem(string TaskId, string Prompt, string CanonicalSolution, string Test, string EntryPoint)
    {
        public MetricItem Sample(string completion) => new(completion, [])
        {
            Fields = new Dictionary<string, string>
            {
                [HumanEvalProgram.TaskIdField] = TaskId,
                [HumanEvalProgram.PromptField] = Prompt,
                [HumanEvalProgram.TestField] = Test,
                [HumanEvalProgram.EntryPointField] = EntryPoint,
            },
        };
    }

    private static readonly Lazy<IReadOnlyList<Problem>> Loaded = new(Load);

    public static IReadOnlyList<Problem> Problems => Loaded.Value;

    private static List<Problem> Load()
    {
        using var file = File.OpenRead(SharedData.Path("datasets", "humaneval", "HumanEval.jsonl.gz"));
        using var reader = new StreamReader(new GZipStream(file, CompressionMode.Decompress));
        var problems = new List<Problem>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var row = JsonDocument.Parse(line).RootElement;
            problems.Add(new Problem(
                Text(row, "task_id"), Text(row, "prompt"), Text(row, "canonical_solution"), Text(row, "test"), Text(row, "entry_point")));
        }

        return problems;
    }

    private static string Text(JsonElement row, string name) => row.GetProperty(name).GetString()!;
}
