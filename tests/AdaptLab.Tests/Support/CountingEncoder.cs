using AdaptLab.Cli;
using AdaptLab.Core.Models;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Support;

/// <summary>The real encoder, counting the texts that reach it (behind a cache, those the cache did not answer).</summary>
internal sealed class CountingEncoder(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private int texts;

    public int Texts => Volatile.Read(ref texts);

    /// <summary>The CLI's providers with this as the sentence encoder; a command disposing what it opened leaves this open.</summary>
    public ModelProviders Providers()
    {
        var providers = CliContext.DefaultProviders();
        providers.SentenceEncoder = () => new Borrowed(this);
        return providers;
    }

    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = values.ToList();
        Interlocked.Add(ref texts, list.Count);
        return base.GenerateAsync(list, options, cancellationToken);
    }

    private sealed class Borrowed(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}
