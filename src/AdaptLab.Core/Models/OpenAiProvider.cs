using System.ClientModel;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AdaptLab.Core.Models;

/// <summary>
/// <c>openai:</c> models and any OpenAI-compatible server (<c>openai-compatible:</c> with an
/// endpoint: Ollama, vLLM, llama.cpp server, LM Studio). Keys come only from environment variables.
/// </summary>
internal sealed class OpenAiProvider(string name, ModelEndpoints endpoints) : IModelProvider
{
    private static readonly Uri OpenAiBaseUrl = new("https://api.openai.com/v1");

    public string Name { get; } = name;

    public IChatClient Create(ModelSpec spec, ModelReference reference)
    {
        var keyVariable = spec.ApiKeyEnv ?? "OPENAI_API_KEY";
        var key = Environment.GetEnvironmentVariable(keyVariable);
        var endpoint = spec.Endpoint ?? (Name == "openai" ? Environment.GetEnvironmentVariable("OPENAI_BASE_URL") : null);
        if (Name == "openai-compatible" && endpoint is null)
        {
            throw new InvalidOperationException($"model '{reference}' needs an endpoint, e.g. http://127.0.0.1:11434/v1");
        }

        if (string.IsNullOrEmpty(key))
        {
            // Local OpenAI-compatible servers usually accept any key; the hosted API does not.
            key = endpoint is null
                ? throw new InvalidOperationException($"model '{reference}' needs an API key: set the environment variable {keyVariable}")
                : "unused";
        }

        var baseUrl = endpoint is null ? OpenAiBaseUrl : EndpointUri(endpoint, reference);
        var modelEndpoint = endpoints.For(baseUrl, reference.Name);
        var options = RemoteClientOptions.Configure(new OpenAIClientOptions { Endpoint = baseUrl }, modelEndpoint);
        var client = new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient(reference.Name).AsIChatClient();
        return new RemoteModelClient(client, modelEndpoint);
    }

    internal static Uri EndpointUri(string endpoint, ModelReference reference) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidOperationException($"model '{reference}' has endpoint '{endpoint}', which is not an http(s) URL");
}
