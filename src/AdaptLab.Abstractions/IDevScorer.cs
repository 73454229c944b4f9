using Microsoft.Extensions.AI;

namespace AdaptLab.Abstractions;

/// <summary>
/// The task's own metric on held-out items, by generation with the eval's prompts and decoding settings (not teacher
/// forcing): what a trainer checks the model in training against, to keep the weights the eval would score best.
/// </summary>
public interface IDevScorer
{
    string Metric { get; }

    bool HigherIsBetter { get; }

    /// <summary>Generates a reply to every held-out item with <paramref name="model"/> and scores them together.</summary>
    double Score(IChatClient model, CancellationToken cancellationToken);
}
