using System.Text.Json;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Variants;

/// <summary>
/// One variant's way from a test item to the model's input: context steps (the few-shot selector), then the
/// prompt's turns. What the steps contributed (the ids of the chosen examples) is kept with the prediction.
/// </summary>
public sealed class VariantPipeline : IDisposable
{
    private readonly ChatPrompt prompt;
    private readonly string? system;
    private readonly IReadOnlyList<string>? labels;
    private readonly IShotSelector? shots;
    private readonly ShotPlacement placement;
    private readonly Func<IReadOnlyDictionary<string, string>, IReadOnlySet<string>, IReadOnlyDictionary<string, string>> truncate;
    private readonly bool offerTools;

    internal VariantPipeline(
        ChatPrompt prompt,
        string? system,
        IReadOnlyList<string>? labels,
        IShotSelector? shots,
        ShotPlacement placement,
        Func<IReadOnlyDictionary<string, string>, IReadOnlySet<string>, IReadOnlyDictionary<string, string>> truncate,
        bool offerTools)
    {
        this.offerTools = offerTools;
        this.prompt = prompt;
        this.system = system;
        this.labels = labels;
        this.shots = shots;
        this.placement = placement;
        this.truncate = truncate;
    }

    public async Task<PreparedCall> PrepareAsync(ItemInfo item, CancellationToken cancellationToken)
    {
        var chosen = shots is null ? [] : await shots.SelectAsync(item, cancellationToken);
        var examples = chosen
            .Select(d => new Shot(d.Id, new PromptInput(truncate(d.Fields, d.Structured), d.Structured), d.Expected.FirstOrDefault() ?? string.Empty))
            .ToList();
        var messages = prompt.Render(new PromptInput(truncate(item.Fields, item.Structured), item.Structured), labels, system, examples,
            placement == ShotPlacement.Turns);
        var context = shots is null ? null : JsonSerializer.Serialize(new StepContributions(examples.Select(s => s.Id).ToList()));
        var tools = offerTools && item.Fields.TryGetValue(ToolOffer.Field, out var offered) ? ToolOffer.From(offered) : null;
        return new PreparedCall(messages, context, tools);
    }

    public void Dispose() => (shots as IDisposable)?.Dispose();
}

/// <summary>The messages for the model, as JSON what the context steps put into them, and the tools the item offers (tool-call tasks).</summary>
public sealed record PreparedCall(IReadOnlyList<ChatMessage> Messages, string? Context, ToolOffer? Tools = null);

/// <summary>What is stored per prediction about its context: the train ids of the examples, in prompt order.</summary>
public sealed record StepContributions([property: System.Text.Json.Serialization.JsonPropertyName("shots")] IReadOnlyList<string> Shots);
