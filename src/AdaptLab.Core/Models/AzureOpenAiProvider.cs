using System.ClientModel;
using AdaptLab.Core.Tasks;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models;

/// <summary>
/// <c>azure:&lt;deployment&gt;</c>: an Azure OpenAI deployment, at the model's <c>endpoint</c> or
/// AZURE_OPENAI_ENDPOINT (https://&lt;resource&gt;.openai.azure.com/), with the key from the variable named by
/// <c>api_key_env</c> or AZURE_OPENAI_API_KEY. Keys come only from environment variables.
/// </summary>
internal sealed class AzureOpenAiProvider(ModelEndpoints endpoints) : IModelProvider
{
    public string Name => "azure";

    public IChatClient Create(ModelSpec spec, ModelReference reference)
    {
        var endpoint = spec.Endpoint ?? Environment.GetEnvironmentVariable("AZURE_OPENAI_ENDPOINT");
        if (string.IsNullOrEmpty(endpoint))
        {
            throw new InvalidOperationException(
                $"model '{reference}' needs its Azure OpenAI endpoint: set `endpoint` on the model or the environment variable AZURE_OPENAI_ENDPOINT");
        }

        var keyVariable = spec.ApiKeyEnv ?? "AZURE_OPENAI_API_KEY";
        var key = Environment.GetEnvironmentVariable(keyVariable);
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidOperationException($"model '{reference}' needs an API key: set the environment variable {keyVariable}");
        }

        var baseUrl = OpenAiProvider.EndpointUri(endpoint, reference);
        var modelEndpoint = endpoints.For(baseUrl, reference.Name);
        var options = RemoteClientOptions.Configure(new AzureOpenAIClientOptions(), modelEndpoint);
        var client = new AzureOpenAIClient(baseUrl, new ApiKeyCredential(key), options).GetChatClient(reference.Name).AsIChatClient();
        return new RemoteModelClient(client, modelEndpoint);
    }
}
