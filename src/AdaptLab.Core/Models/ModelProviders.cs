using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models;

/// <summary>The providers a host knows. The CLI adds the in-process engine, which the core must not depend on.</summary>
internal sealed class ModelProviders
{
    private readonly Dictionary<string, IModelProvider> providers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IChatClient> supplied = new(StringComparer.Ordinal);

    /// <param name="time">The clock of the endpoints' rate-limit pauses; <see cref="TimeProvider.System"/> when null.</param>
    public static ModelProviders CreateDefault(TimeProvider? time = null)
    {
        // One registry for all remote providers: two variants naming the same endpoint share its limits.
        var endpoints = new ModelEndpoints(time ?? TimeProvider.System);
        var result = new ModelProviders();
        result.Add(new OpenAiProvider("openai", endpoints));
        result.Add(new OpenAiProvider("openai-compatible", endpoints));
        result.Add(new AzureOpenAiProvider(endpoints));
        return result;
    }

    /// <summary>Opens the sentence encoder that nearest-neighbour few-shot selection embeds with; null where the host has none.</summary>
    /// <remarks>Throws <see cref="InvalidOperationException"/> saying why when it cannot be opened.</remarks>
    public Func<IEmbeddingGenerator<string, Embedding<float>>>? SentenceEncoder { get; set; }

    /// <summary>The in-process trainer (the engine add-on's); null where the host has none.</summary>
    /// <remarks>Throws <see cref="InvalidOperationException"/> saying why when it cannot be opened.</remarks>
    public Func<AdaptLab.Abstractions.ILocalTrainer>? Trainer { get; set; }

    /// <summary>The engine add-on's model exporter (GGUF); null where the host has none.</summary>
    /// <remarks>Throws <see cref="InvalidOperationException"/> saying why when it cannot be opened.</remarks>
    public Func<AdaptLab.Abstractions.IModelExporter>? Exporter { get; set; }

    public void Add(IModelProvider provider) => providers[provider.Name] = provider;

    /// <summary>
    /// Answers the variants that name <paramref name="modelName"/> (a key of the task file's <c>models</c>, or the reference
    /// a variant names directly) with the host's own client instead of the reference's provider (a C# caller's model).
    /// </summary>
    public void Use(string modelName, IChatClient client) => supplied[modelName] = client;

    /// <summary>The model a variant names: the host's supplied client for its model name, else its provider's.</summary>
    public IChatClient Create(VariantSpec variant) =>
        supplied.TryGetValue(variant.ModelName, out var client) ? new SuppliedChatClient(client) : Create(variant.Model);

    public IChatClient Create(ModelSpec spec)
    {
        var reference = ModelReference.Parse(spec.Reference);
        if (!providers.TryGetValue(reference.Provider, out var provider))
        {
            throw new InvalidOperationException(
                $"the '{reference.Provider}' provider is not available in this build (available: {string.Join(", ", providers.Keys)})");
        }

        return provider.Create(spec, reference);
    }
}
