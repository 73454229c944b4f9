using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models;

/// <summary>
/// A model reached over HTTP. It answers <c>GetService(typeof(ModelEndpoint))</c> with its endpoint, which is
/// how <see cref="Pipeline.ModelPipeline.Build"/> finds the limits to share (in-process models have none, and get
/// no remote middleware).
/// </summary>
internal sealed class RemoteModelClient(IChatClient inner, ModelEndpoint endpoint) : DelegatingChatClient(inner)
{
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ModelEndpoint) ? endpoint : base.GetService(serviceType, serviceKey);
}
