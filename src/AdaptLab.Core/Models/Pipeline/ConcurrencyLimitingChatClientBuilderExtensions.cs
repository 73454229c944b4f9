using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models.Pipeline;

internal static class ConcurrencyLimitingChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="ConcurrencyLimitingChatClient"/>: at most as many calls at once as <paramref name="slots"/> has.</summary>
    /// <param name="slots">Shared by every client of one endpoint (<see cref="ModelEndpoint.Slots"/>), so the endpoint is bounded, not each client.</param>
    public static ChatClientBuilder UseConcurrencyLimit(this ChatClientBuilder builder, SemaphoreSlim slots)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(slots);
        return builder.Use(inner => new ConcurrencyLimitingChatClient(inner, slots));
    }
}
