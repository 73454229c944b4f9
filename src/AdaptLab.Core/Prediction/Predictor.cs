using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Secrets;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Prediction;

/// <summary>
/// The one way a variant's prepared call becomes a prediction, for the eval (so the ladder and refine), the few-shot
/// search and the trainer's dev score: the model answers through its pipeline with the variant's decoding settings,
/// and the answer, or the failure, is the record the store keeps (latency, tokens, cost, cache hit, step context).
/// <see cref="Answer"/> reads a reply as the task's metrics do.
/// </summary>
/// <param name="client">The variant's model through <see cref="ModelPipeline"/>: its call recorder gives the latency.</param>
internal sealed class Predictor(IChatClient client, VariantSpec spec, RunConfig config)
{
    private readonly ChatOptions options = OptionsFor(spec);
    private readonly LabelMatcher? labels = LabelMatcher.For(config);

    // Read once: a run whose every call fails (an endpoint down) would otherwise scan the environment per item.
    private readonly Lazy<SecretRedactor> redactor = new(SecretRedactor.FromEnvironment);

    /// <remarks>
    /// Preparing the call is the caller's step, outside this method, so the eval awaits no more per item than before and
    /// the trainer can ask prepared calls again; a call that cannot be prepared fails the caller, as it is no model error.
    /// </remarks>
    public async Task<PredictionRecord> PredictAsync(PreparedCall call, int itemIndex, CancellationToken cancellationToken)
    {
        ChatResponse? response = null;
        try
        {
            response = await client.GetResponseAsync(call.Messages, call.Options(options), cancellationToken);
            var usage = response.Usage;
            return new PredictionRecord(spec.Name, itemIndex, call.Output(response), null, CallRecordingChatClient.LatencyOf(response),
                usage?.InputTokenCount, usage?.OutputTokenCount, Cost(spec.Model, usage), ResponseCacheChatClient.IsCacheHit(response), call.Context);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The pipeline's call recorder puts the latency on the failure, or on the answer when reading it failed.
            var latency = response is null ? CallRecordingChatClient.LatencyOf(e) : CallRecordingChatClient.LatencyOf(response);
            return new PredictionRecord(spec.Name, itemIndex, null, redactor.Value.Redact($"{e.GetType().Name}: {e.Message}"),
                latency, null, null, null, false, call.Context);
        }
    }

    /// <summary>The reply as the task's metrics read it (the label it names, the JSON object, the code); null for a failed call.</summary>
    /// <remarks>The eval stores the reply as given and its scorer reads it the same way, so the eval never asks for this.</remarks>
    public string? Answer(PredictionRecord prediction) =>
        prediction.Output is { } output ? OutputParser.Parse(config.Kind, output, labels) : null;

    /// <summary>The variant's decoding settings as the model's options.</summary>
    private static ChatOptions OptionsFor(VariantSpec spec) => new()
    {
        Temperature = spec.Generation.Temperature,
        TopP = spec.Generation.TopP,
        MaxOutputTokens = spec.Generation.MaxTokens,
        Seed = spec.Generation.Seed,
        StopSequences = spec.Generation.Stop.Count > 0 ? [.. spec.Generation.Stop] : null,
        ResponseFormat = spec.Generation.JsonSchema is { } schema ? ChatResponseFormat.ForJsonSchema(schema, "adaptlab_reply") : null,
    };

    private static double? Cost(ModelSpec model, UsageDetails? usage)
    {
        if (usage is null || (model.InputPricePer1M is null && model.OutputPricePer1M is null))
        {
            return null;
        }

        return ((usage.InputTokenCount ?? 0) * (model.InputPricePer1M ?? 0)
            + (usage.OutputTokenCount ?? 0) * (model.OutputPricePer1M ?? 0)) / 1_000_000;
    }
}
