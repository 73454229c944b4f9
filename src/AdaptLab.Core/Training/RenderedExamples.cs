using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Core.Items;
using AdaptLab.Core.Prompts;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Training;

/// <summary>
/// Items of a split as a variant's pipeline renders them for the model (what the eval sends: the same code, its
/// few-shot examples and retrieved chunks included), each with its first expected answer.
/// </summary>
internal static class RenderedExamples
{
    /// <param name="client">The variant's model, whose tokenizer truncates fields and counts retrieval budgets as the eval's does.</param>
    public static async Task<List<(IReadOnlyList<ChatMessage> Prompt, string Answer)>> RenderAsync(
        TaskDefinition task, VariantSpec variant, Dataset data, Models.ModelProviders providers, IChatClient? client, CancellationToken cancellationToken) =>
        [.. (await PrepareAsync(task, variant, data, providers, client, cancellationToken)).Select(p => (p.Call.Messages, p.Item.Expected[0]))];

    /// <summary>Each item with an expected answer and its call as the eval would prepare it (messages, tools).</summary>
    public static async Task<List<(DataItem Item, PreparedCall Call)>> PrepareAsync(
        TaskDefinition task, VariantSpec variant, Dataset data, Models.ModelProviders providers, IChatClient? client, CancellationToken cancellationToken)
    {
        var prepared = new List<(DataItem, PreparedCall)>();
        // A retrieving variant searches the corpus for train items as it does for test items, so a model is trained
        // on the context it will be served with.
        using var corpus = await TaskCorpus.OpenAsync(task, providers, [variant], null, cancellationToken);
        using var pipelines = VariantPipelines.Open(task, providers, [variant], corpus: corpus);
        // The split's items are the pipeline's items here: none of them may be its own few-shot example.
        using var pipeline = pipelines.Create(variant, ChatPrompt.Load(variant.PromptPath), LabelSet.Resolve(task), [.. data.Items.Select(i => (i.Id, i.Input))],
            FieldTruncation.For(task.Data.Truncate, client, task.SourcePath, variant.Name), client);
        foreach (var item in data.Items.Where(i => i.Expected.Count > 0))
        {
            prepared.Add((item, await pipeline.PrepareAsync(item, cancellationToken)));
        }

        return prepared;
    }

    /// <summary>Writes the rendered items as JSON lines (id, messages, answer, context) and returns the file's SHA-256.</summary>
    public static async Task<string> WriteAsync(string path, IEnumerable<(DataItem Item, PreparedCall Call)> rendered, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var lines = rendered.Select(r => new JsonObject
        {
            ["id"] = r.Item.Id,
            ["messages"] = new JsonArray([.. r.Call.Messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text })]),
            ["answer"] = r.Item.Expected[0],
            ["context"] = r.Call.Context is { } context ? JsonNode.Parse(context) : null,
        }.ToJsonString(Readable));
        var text = string.Join('\n', lines) + '\n';
        await File.WriteAllTextAsync(path, text, cancellationToken);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Text as written, not \u escapes: the file is read by people too.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
