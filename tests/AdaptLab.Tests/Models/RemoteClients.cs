using AdaptLab.Core.Models;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Models;

/// <summary>Clients built the way the eval runner builds them: provider, then the model pipeline (here without a cache).</summary>
internal static class RemoteClients
{
    /// <param name="clock">The clock of the retries, the timeout and the recorded latencies; the system's when null.</param>
    public static IChatClient Create(ModelProviders providers, string endpoint, RemoteCallOptions options, TimeProvider? clock = null)
    {
        var spec = new ModelSpec("openai-compatible:fake-model", endpoint, null, null, null);
        return ModelPipeline.Build(providers.Create(spec), new ModelPipelineOptions(spec.Reference, RemoteCalls: options) { Time = clock ?? TimeProvider.System });
    }

    /// <param name="clock">The clock of the retries, the timeout, the endpoint's rate-limit pause and the recorded latencies.</param>
    public static IChatClient Create(string endpoint, RemoteCallOptions options, TimeProvider? clock = null) =>
        Create(ModelProviders.CreateDefault(clock), endpoint, options, clock);

    public static Task<ChatResponse> AskAsync(this IChatClient client, string prompt) =>
        client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)]);
}
