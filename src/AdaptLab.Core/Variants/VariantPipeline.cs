using AdaptLab.Core.Items;
using AdaptLab.Core.Tasks;
using AdaptLab.Metrics;
using AdaptLab.Metrics.Retrieval;
using AdaptLab.Retrieval;
using AdaptLab.Retrieval.Search;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Variants;

/// <summary>
/// One variant's way from a test item to the model's input: context steps (the few-shot selector, the retriever),
/// then the prompt's turns. What the steps contributed (the ids of the chosen examples, the retrieved chunks with
/// their scores and the index version) is kept with the prediction.
/// </summary>
internal sealed class VariantPipeline : IDisposable
{
    private readonly ChatPrompt prompt;
    private readonly string? system;
    private readonly IReadOnlyList<string>? labels;
    private readonly IShotSelector? shots;
    private readonly ShotPlacement placement;
    private readonly Func<IReadOnlyDictionary<string, string>, IReadOnlySet<string>, IReadOnlyDictionary<string, string>> truncate;
    private readonly bool offerTools;
    private readonly Retrieval? retrieval;
    private readonly bool itemSystem;

    /// <param name="itemSystem">Items may bring their own system turn (<see cref="FieldMapping.System"/>), sent after the variant's system text.</param>
    internal VariantPipeline(
        ChatPrompt prompt,
        string? system,
        IReadOnlyList<string>? labels,
        IShotSelector? shots,
        ShotPlacement placement,
        Func<IReadOnlyDictionary<string, string>, IReadOnlySet<string>, IReadOnlyDictionary<string, string>> truncate,
        bool offerTools,
        Retrieval? retrieval = null,
        bool itemSystem = false)
    {
        this.itemSystem = itemSystem;
        this.offerTools = offerTools;
        this.retrieval = retrieval;
        this.prompt = prompt;
        this.system = system;
        this.labels = labels;
        this.shots = shots;
        this.placement = placement;
        this.truncate = truncate;
    }

    public async Task<PreparedCall> PrepareAsync(DataItem item, CancellationToken cancellationToken)
    {
        var chosen = shots is null ? [] : await shots.SelectAsync(item, cancellationToken);
        var examples = chosen
            .Select(d => new Shot(d.Id, new PromptInput(truncate(d.Fields, d.Structured), d.Structured), d.Expected.FirstOrDefault() ?? string.Empty))
            .ToList();
        IReadOnlyList<RetrievedChunk>? chunks = null;
        if (retrieval is { } r)
        {
            var query = r.Query is null ? item.Input : item.Fields.GetValueOrDefault(r.Query, item.Input);
            chunks = r.Retriever is null ? [] : await r.Retriever.RetrieveAsync(query, cancellationToken);
        }

        var own = itemSystem ? item.Fields.GetValueOrDefault(FieldMapping.SystemField) : null;
        var systemText = own is null ? system : system is null ? own : system + "\n\n" + own;
        var messages = prompt.Render(new PromptInput(truncate(item.Fields, item.Structured), item.Structured), labels, systemText, examples,
            placement == ShotPlacement.Turns, chunks is null ? null : new Dictionary<string, object?> { ["chunks"] = ChunksVariable(chunks) });
        var context = shots is null && chunks is null
            ? null
            : new StepContext(
                shots is null ? null : examples.Select(s => s.Id).ToList(),
                chunks?.Select(c => new RetrievedPassage(c.Chunk.Id, c.Chunk.Source, c.Chunk.Text) { Score = Math.Round(c.Score, 6) }).ToList(),
                retrieval?.IndexVersion).ToJson();
        var tools = offerTools && item.Fields.TryGetValue(ToolOffer.Field, out var offered) ? ToolOffer.From(offered) : null;
        return new PreparedCall(messages, context, tools);
    }

    public void Dispose() => (shots as IDisposable)?.Dispose();

    /// <summary>The Liquid list <c>chunks</c>: numbered from 1 as answers cite them.</summary>
    private static List<Dictionary<string, object?>> ChunksVariable(IReadOnlyList<RetrievedChunk> chunks) => [.. chunks.Select(c => new Dictionary<string, object?>
    {
        ["n"] = c.Rank,
        ["id"] = c.Chunk.Id,
        ["source"] = c.Chunk.Source,
        ["heading"] = c.Chunk.Heading,
        ["text"] = c.Chunk.Text,
        ["score"] = Math.Round(c.Score, 4),
    })];

    /// <summary>The retrieve step: its retriever (null where prompts are only checked, without the index), the field it searches with, the index version.</summary>
    internal sealed record Retrieval(IRetriever? Retriever, string? Query, string? IndexVersion);
}

/// <summary>The messages for the model, as JSON what the context steps put into them, and the tools the item offers (tool-call tasks).</summary>
internal sealed record PreparedCall(IReadOnlyList<ChatMessage> Messages, string? Context, ToolOffer? Tools = null)
{
    /// <summary>The variant's options for this call: a copy, with the item's tools offered (the model chooses) when it has some.</summary>
    public ChatOptions Options(ChatOptions variant)
    {
        var options = variant.Clone();
        if (Tools is { } offer)
        {
            options.Tools = offer.Tools;
            options.ToolMode = ChatToolMode.Auto;
        }

        return options;
    }

    /// <summary>What the model answered, as the task scores it: the tool calls as JSON when tools were offered, else the text.</summary>
    public string Output(ChatResponse response) => Tools?.Output(response) ?? response.Text;
}
