using AdaptLab.Abstractions;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine;

/// <summary>
/// Offers a local model's tokenizer as <see cref="IModelTokenizer"/> and its files' hash as <see cref="IModelIdentity"/>,
/// the engine's face to the core.
/// </summary>
internal sealed class ModelTokenizerChatClient(IChatClient inner, LocalChatClient model, string path) : DelegatingChatClient(inner), IModelTokenizer, IModelIdentity
{
    private readonly Lazy<string> identity = new(() => ModelFilesHash.Of(path));

    public string Identity => identity.Value;

    public int ContextLength => model.ContextLength;

    public int CountPromptTokens(IEnumerable<ChatMessage> messages) => model.CountPromptTokens(messages);

    public int CountTokens(string text) => model.Generator.Tokenizer.Encode(text, addBos: false).Count;

    public string Truncate(string text, int maxTokens)
    {
        var tokenizer = model.Generator.Tokenizer;
        var ids = tokenizer.Encode(text, addBos: false);
        if (ids.Count <= maxTokens)
        {
            return text;
        }

        // Decoded text can re-encode a token longer (a word cut mid-way merges differently), so shorten until it fits.
        for (var keep = maxTokens; ; keep--)
        {
            var cut = tokenizer.Decode(ids[..keep]);
            if (keep == 0 || tokenizer.Encode(cut, addBos: false).Count <= maxTokens)
            {
                return cut;
            }
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && (serviceType == typeof(IModelTokenizer) || serviceType == typeof(IModelIdentity)) ? this : base.GetService(serviceType, serviceKey);
}
