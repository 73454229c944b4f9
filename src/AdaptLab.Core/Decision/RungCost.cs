namespace AdaptLab.Core.Decision;

/// <summary>What one request of a rung costs, measured on the run's items, and what training it cost.</summary>
/// <param name="InputTokens">Mean prompt tokens per request, as the model counted them.</param>
/// <param name="RetrievalTokens">Mean tokens of retrieved chunks per request (o200k_base), part of <paramref name="InputTokens"/>.</param>
/// <param name="CostPer1k">Token prices of the model's price table plus, for a local model with a serving price, its machine time.</param>
/// <param name="TrainingSeconds">How long the rung's fine-tuning took, measured.</param>
/// <param name="TrainingCost">That time at the configured hourly price.</param>
/// <param name="TrainedModel">The folder of the model that training made: rungs sharing one training name the same folder.</param>
internal sealed record RungCost(
    double? InputTokens,
    double? OutputTokens,
    double? RetrievalTokens,
    double? CostPer1k,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? TrainingSeconds = null,
    double? TrainingCost = null,
    string? TrainedModel = null);
