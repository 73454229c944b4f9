using AdaptLab.Core.Data;
using AdaptLab.Core.Prompts;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Training;

/// <summary>Items of a split as a variant's pipeline renders them for the model (what the eval sends), each with its first expected answer.</summary>
internal static class RenderedExamples
{
    /// <param name="client">The variant's model, where the task truncates fields to its tokens; else null.</param>
    public static async Task<List<(IReadOnlyList<ChatMessage> Prompt, string Answer)>> RenderAsync(
        TaskDefinition task, VariantSpec variant, Dataset data, Models.ModelProviders providers, IChatClient? client, CancellationToken cancellationToken) =>
        [.. (await PrepareAsync(task, variant, data, providers, client, cancellationToken)).Select(p => (p.Call.Messages, p.Item.Expected[0]))];

    /// <summary>Each item with an expected answer and its call as the eval would prepare it (messages, tools).</summary>
    public static async Task<List<(DataItem Item, PreparedCall Call)>> PrepareAsync(
        TaskDefinition task, VariantSpec variant, Dataset data, Models.ModelProviders providers, IChatClient? client, CancellationToken cancellationToken)
    {
        var prepared = new List<(DataItem, PreparedCall)>();
        using var pipelines = VariantPipelines.Open(task, providers, [variant]);
        // The split's items are the pipeline's items here: none of them may be its own few-shot example.
        using var pipeline = pipelines.Create(variant, ChatPrompt.Load(variant.PromptPath), LabelSet.Resolve(task), [.. data.Items.Select(i => (i.Id, i.Input))],
            FieldTruncation.For(task.Data.Truncate, client, task.SourcePath, variant.Name));
        foreach (var item in data.Items.Where(i => i.Expected.Count > 0))
        {
            var info = new ItemInfo(item.Index, item.Id, item.Input, item.Expected, item.Fields, item.Location) { Structured = item.Structured };
            prepared.Add((item, await pipeline.PrepareAsync(info, cancellationToken)));
        }

        return prepared;
    }
}
