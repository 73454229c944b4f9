using AdaptLab.Core.Models;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Models;

/// <summary>Clients built the way the eval runner builds them: provider, then the remote-call policy.</summary>
internal static class RemoteClients
{
    public static IChatClient Create(ModelProviders providers, string endpoint, RemoteCallOptions options, string reference = "openai-compatible:fake-model") =>
        new ChatClientBuilder(providers.Create(new ModelSpec(reference, endpoint, null, null, null)))
            .UseRemoteCallPolicy(options)
            .Build();

    public static IChatClient Create(string endpoint, RemoteCallOptions options) =>
        Create(ModelProviders.CreateDefault(), endpoint, options);

    public static Task<ChatResponse> AskAsync(this IChatClient client, string prompt) =>
        client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)]);
}
