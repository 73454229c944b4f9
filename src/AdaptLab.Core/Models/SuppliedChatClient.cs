using AdaptLab.Abstractions;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models;

/// <summary>
/// A client the host supplied for a model of the task file (<see cref="ModelProviders.Use"/>): the eval calls it as an
/// in-process model, and never disposes it, since the host owns it.
/// </summary>
/// <remarks>
/// Its identity (the response-cache key and the variant's stored identity) is the client's own <see cref="IModelIdentity"/>
/// where it offers one, else its type and <see cref="ChatClientMetadata"/>; never the task file's reference, so a supplied
/// client's answers and the referenced model's never stand in for each other.
/// </remarks>
internal sealed class SuppliedChatClient(IChatClient inner) : DelegatingChatClient(inner), IModelIdentity
{
    public string Identity { get; } = IdentityOf(inner);

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(IModelIdentity) && serviceKey is null
            ? InnerClient.GetService(serviceType) ?? this
            : base.GetService(serviceType, serviceKey);

    private static string IdentityOf(IChatClient client)
    {
        var metadata = client.GetService<ChatClientMetadata>();
        string?[] parts = [client.GetType().FullName, metadata?.ProviderName, metadata?.ProviderUri?.ToString(), metadata?.DefaultModelId];
        return "supplied:" + string.Join(" ", parts.Where(part => !string.IsNullOrEmpty(part)));
    }

    /// <summary>The host's client outlives the eval: nothing to release here.</summary>
    protected override void Dispose(bool disposing)
    {
    }
}
