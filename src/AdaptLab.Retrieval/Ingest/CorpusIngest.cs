using System.Security.Cryptography;
using System.Text.Json;
using AdaptLab.Retrieval.Index;
using Microsoft.Extensions.AI;

namespace AdaptLab.Retrieval.Ingest;

/// <summary>
/// Brings a <see cref="CorpusIndex"/> up to date with its sources: files whose content hash and settings are
/// unchanged are kept with their vectors, changed files are chunked again, vanished ones removed, and only chunks
/// without a vector are embedded. Files are read one at a time and embedded a batch at a time, so memory stays
/// bounded by the largest text file, not by the corpus; a killed ingest resumes where it stopped.
/// </summary>
public static class CorpusIngest
{
    private const int EmbedBatch = 64;

    /// <param name="encoder">Embeds the chunks for dense search; null for a lexical-only index.</param>
    /// <exception cref="InputException">No corpus file holds any text, or a record lacks its configured field.</exception>
    public static async Task<IngestResult> RunAsync(
        CorpusIndex index, CorpusSource source, IEmbeddingGenerator<string, Embedding<float>>? encoder,
        IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var settings = Settings(source);
        var chunker = new TokenChunker(source.ChunkTokens, source.OverlapTokens);
        var (files, skipped) = CorpusFiles.Find(source.Paths);
        index.BeginIngest();
        var totalBytes = files.Sum(f => f.Bytes);
        var warnings = skipped.Select(f => $"{f}: skipped: not a corpus file type (.txt, .md, .html, .jsonl, .csv, .json)").ToList();
        var (changed, unchanged, doneBytes) = (0, 0, 0L);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new IngestProgress(IngestPhase.Reading, doneBytes, totalBytes, file.Id));
            var hash = await HashAsync(file.Path, cancellationToken);
            if (index.File(file.Id) == (hash, settings))
            {
                unchanged++;
            }
            else
            {
                try
                {
                    index.ReplaceFile(file.Id, hash, settings, DocumentReader.Read(file.Path, file.Id, source).SelectMany(chunker.Split));
                    changed++;
                }
                catch (UnreadableFileException e)
                {
                    warnings.Add($"{file.Path}: skipped: {e.Message}");
                    index.RemoveFile(file.Id);
                }
                catch (DuplicateChunkException e)
                {
                    throw new InputException(file.Path, null, source.Id, e.Message + "; give each document its own id");
                }
            }

            doneBytes += file.Bytes;
        }

        var seen = files.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var removed = index.Files().Where(f => !seen.Contains(f)).ToList();
        removed.ForEach(index.RemoveFile);
        progress?.Report(new IngestProgress(IngestPhase.Reading, totalBytes, totalBytes, null));
        if (index.ChunkCount == 0)
        {
            throw new InputException(string.Join(", ", source.Paths), null, null,
                files.Count == 0
                    ? "holds no corpus files (.txt, .md, .html, .jsonl, .csv or .json)"
                    : $"holds no text: {files.Count} file(s) read, none with text" + (warnings.Count > 0 ? $" ({warnings.Count} skipped)" : string.Empty));
        }

        var embedded = encoder is null ? 0 : await EmbedAsync(index, encoder, progress, cancellationToken);
        return new IngestResult(index.Seal(settings), files.Count, changed, unchanged, removed.Count, index.ChunkCount, embedded, warnings);
    }

    /// <summary>How a file is read and cut, stored with each file: a file read with other settings is read again.</summary>
    internal static string Settings(CorpusSource source) => JsonSerializer.Serialize(new
    {
        tokenizer = TokenChunker.TokenizerName,
        tokens = source.ChunkTokens,
        overlap = source.OverlapTokens,
        text = source.Text,
        id = source.Id,
        title = source.Title,
        records = source.Records,
    });

    private static async Task<int> EmbedAsync(
        CorpusIndex index, IEmbeddingGenerator<string, Embedding<float>> encoder, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        index.UseEncoder(encoder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? encoder.GetType().Name);
        var pending = index.PendingVectors;
        var done = 0;
        while (index.WithoutVectors(EmbedBatch) is { Count: > 0 } batch)
        {
            progress?.Report(new IngestProgress(IngestPhase.Embedding, done, pending, null));
            var embeddings = await encoder.GenerateAsync(batch.Select(b => b.Text), null, cancellationToken);
            index.AddVectors([.. batch.Select(b => b.N)], [.. embeddings.Select(e => e.Vector)]);
            done += batch.Count;
        }

        progress?.Report(new IngestProgress(IngestPhase.Embedding, done, pending, null));
        return done;
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}

public enum IngestPhase
{
    Reading,
    Embedding,
}

/// <summary>Reading counts bytes of the corpus files; embedding counts chunks.</summary>
public sealed record IngestProgress(IngestPhase Phase, long Done, long Total, string? File);

/// <param name="Version">The index version runs record.</param>
/// <param name="Warnings">Files skipped, each naming the file and why.</param>
public sealed record IngestResult(
    string Version, int Files, int Changed, int Unchanged, int Removed, int Chunks, int Embedded, IReadOnlyList<string> Warnings);
