using AdaptLab.Core.Models;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Variants;

/// <summary>The sentence encoder a task embeds with (few-shot pools, queries, corpus chunks), behind its embedding cache.</summary>
internal static class TaskEncoder
{
    /// <exception cref="InvalidOperationException">The host has no encoder, or it cannot be opened; the message says why.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> Open(TaskDefinition task, ModelProviders providers)
    {
        var encoder = (providers.SentenceEncoder ?? throw new InvalidOperationException("this build has no sentence encoder"))();
        try
        {
            // In the .adaptlab folder beside the task file, where its corpus index and ladder already lie: every task
            // file in the folder (a renamed copy too) shares it, whatever the working folder or run store, and it
            // goes with the project's other derived data when that folder is deleted.
            return encoder.AsBuilder().UseEmbeddingCache(Path.Combine(Path.GetDirectoryName(task.SourcePath)!, ".adaptlab", "embeddings.db")).Build();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            // A task folder that cannot be written (a read-only checkout) embeds as before, without the cache.
            return encoder;
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }
}
