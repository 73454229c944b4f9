using AdaptLab.Core.Models;
using AdaptLab.Core.Tasks;
using AdaptLab.Retrieval.Index;
using AdaptLab.Retrieval.Ingest;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Variants;

/// <summary>
/// A task's corpus index, brought up to date with its files (only changed files are read and embedded again), and
/// the sentence encoder its dense search needs.
/// </summary>
internal sealed class TaskCorpus : IDisposable
{
    private TaskCorpus(CorpusIndex index, IEmbeddingGenerator<string, Embedding<float>>? encoder, IngestResult ingest)
    {
        Index = index;
        Encoder = encoder;
        Ingest = ingest;
    }

    public CorpusIndex Index { get; }

    /// <summary>Null where no variant searches by embedding.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Encoder { get; }

    public IngestResult Ingest { get; }

    /// <summary>The corpus for <paramref name="variants"/>; null when none of them retrieves (unless <paramref name="always"/>).</summary>
    /// <exception cref="InputException">The corpus cannot be ingested (naming file, line and field), or dense search has no encoder here.</exception>
    public static async Task<TaskCorpus?> OpenAsync(
        TaskDefinition task, ModelProviders providers, IReadOnlyCollection<VariantSpec> variants, IProgress<IngestProgress>? progress,
        CancellationToken cancellationToken, bool always = false)
    {
        var retrieving = variants.Where(v => v.Retrieve is not null).ToList();
        if (task.Corpus is not { } corpus || (retrieving.Count == 0 && !always))
        {
            return null;
        }

        IEmbeddingGenerator<string, Embedding<float>>? encoder = null;
        if (retrieving.FirstOrDefault(v => v.Retrieve!.Options.NeedsVectors) is { } dense)
        {
            try
            {
                encoder = TaskEncoder.Open(task, providers);
            }
            catch (InvalidOperationException e)
            {
                throw new InputException(task.SourcePath, null, $"variants.{dense.Name}.retrieve.mode",
                    "dense and hybrid search embed with all-MiniLM-L6-v2, and " + e.Message + " (mode: bm25 needs no encoder)");
            }
        }

        var index = CorpusIndex.Open(corpus.IndexPath);
        try
        {
            var ingest = await CorpusIngest.RunAsync(index, corpus.Source, encoder, progress, cancellationToken);
            return new TaskCorpus(index, encoder, ingest);
        }
        catch (InputException e)
        {
            Dispose(index, encoder);
            throw new InputException(e.File, e.Line, e.Field is null ? "corpus" : $"corpus: {e.Field}", e.Problem);
        }
        catch
        {
            Dispose(index, encoder);
            throw;
        }
    }

    public void Dispose() => Dispose(Index, Encoder);

    private static void Dispose(CorpusIndex index, IDisposable? encoder)
    {
        index.Dispose();
        encoder?.Dispose();
    }
}
