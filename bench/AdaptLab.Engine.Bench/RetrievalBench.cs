using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using AdaptLab.Retrieval;
using AdaptLab.Retrieval.Index;
using AdaptLab.Retrieval.Ingest;
using AdaptLab.Retrieval.Search;
using static System.FormattableString;

namespace AdaptLab.Engine.Bench;

/// <summary>
/// <c>retrieval</c>: ingest and embedding time of SQuAD's dev-half corpus (646 paragraphs, all-MiniLM-L6-v2), then
/// query latency p50/p95 over an index of 100,000 chunks for BM25 (ours on Lucene.Net, and SQLite FTS5 beside it), dense
/// exact search and hybrid, with the dense scan against the machine's measured memory bandwidth. The large index's
/// texts are SQuAD sentences recombined (seeded); its vectors are the real MiniLM vectors of the SQuAD chunks, repeated,
/// because a scan's cost does not depend on the values and embedding 100,000 chunks on 2 cores takes most of an hour.
/// </summary>
internal static class RetrievalBench
{
    public const string Command = "retrieval";

    public static async Task RunAsync(string[] args)
    {
        var squad = Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/datasets/squad/dev-v2.0.json");
        var size = 100_000;
        var queries = 300;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--squad": squad = args[++i]; break;
                case "--chunks": size = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--queries": queries = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]} (retrieval [--squad dev-v2.0.json] [--chunks 100000] [--queries 300])");
            }
        }

        var work = Directory.CreateTempSubdirectory("adaptlab-retrieval-bench-");
        using var encoder = new LocalEngine().OpenSentenceEncoder();
        var source = new CorpusSource([squad], Text: "context", Records: "data[].paragraphs[]");
        var small = CorpusIndex.Open(Path.Combine(work.FullName, "squad.db"));
        var clock = Stopwatch.StartNew();
        var read = await CorpusIngest.RunAsync(small, source, null);
        var readSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var embedded = await CorpusIngest.RunAsync(small, source, encoder);
        var embedSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(Invariant($"SQuAD dev half: {read.Chunks} chunks of <= 256 tokens; read, chunked and indexed in {readSeconds:F2} s, embedded in {embedSeconds:F1} s ({embedded.Embedded / embedSeconds:F1} chunks/s); peak RSS {ProcessMemory.PeakRssMib():F0} MiB"));

        var sentences = Sentences(squad);
        var questions = Questions(squad).Take(queries).ToList();
        var squadVectors = small.Vectors();
        var large = CorpusIndex.Open(Path.Combine(work.FullName, "large.db"));
        var random = new Random(7);
        var texts = Enumerable.Range(0, size).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(3, 7)).Select(_ => sentences[random.Next(sentences.Count)]))).ToList();
        clock.Restart();
        large.BeginIngest();
        large.ReplaceFile("bench", "none", "{}", texts.Select((t, i) => new Chunk($"c{i}", "bench", t)));
        large.Seal("{}");
        var lexicalIndex = clock.Elapsed.TotalSeconds;
        for (var start = 0; start < size; start += 4096)
        {
            var rows = Enumerable.Range(start + 1, Math.Min(4096, size - start)).Select(n => (long)n).ToList();
            large.AddVectors(rows, [.. rows.Select(n => new ReadOnlyMemory<float>(squadVectors.Row((int)((n - 1) % squadVectors.Count)).ToArray()))]);
        }

        large.UseEncoder(small.Encoder!);
        var matrix = large.Vectors();
        Console.WriteLine(Invariant($"large index: {size} chunks ({texts.Average(t => t.Length):F0} characters each), stored and BM25-indexed in {lexicalIndex:F1} s; vectors {matrix.Count} x {matrix.Dimensions} ({(long)matrix.Count * matrix.Dimensions * 4 / 1e6:F0} MB)"));

        var queryVectors = new List<float[]>();
        var embedQuery = Time(questions, q => queryVectors.Add(VectorMatrix.Normalized(encoder.GenerateAsync([q]).GetAwaiter().GetResult()[0].Vector.Span)));
        var scan = Time(queryVectors, v => matrix.Nearest(v, 50));
        var bm25 = Time(questions, q => large.Lexical(q, 50));
        var dense = new CorpusRetriever(large, encoder, new RetrieveOptions(RetrievalMode.Dense, K: 5));
        var hybrid = new CorpusRetriever(large, encoder, new RetrieveOptions(RetrievalMode.Hybrid, K: 5));
        var denseFull = Time(questions, q => dense.RetrieveAsync(q).GetAwaiter().GetResult());
        var hybridFull = Time(questions, q => hybrid.RetrieveAsync(q).GetAwaiter().GetResult());
        var (fts5Index, fts5) = Fts5Bm25.Measure(work.FullName, texts, questions);
        var peak = ProcessMemory.PeakRssMib();
        var bandwidth = MemoryBandwidth();
        var bytes = (double)matrix.Count * matrix.Dimensions * 4;
        Console.WriteLine(Invariant($"{questions.Count} SQuAD questions, top 50 (retrievers top 5), p50 / p95 ms:"));
        Console.WriteLine(Invariant($"  bm25 (ours, Lucene.Net)     {bm25.P50:F2} / {bm25.P95:F2}"));
        Console.WriteLine(Invariant($"  bm25 (peer, SQLite FTS5)    {fts5.P50:F2} / {fts5.P95:F2}   (its index built in {fts5Index:F1} s; ours / FTS5 p50 = {bm25.P50 / fts5.P50:F3})"));
        Console.WriteLine(Invariant($"  query embedding (MiniLM)    {embedQuery.P50:F2} / {embedQuery.P95:F2}"));
        Console.WriteLine(Invariant($"  dense scan alone            {scan.P50:F2} / {scan.P95:F2}   ({bytes / 1e6:F0} MB per query: {bytes / (scan.P50 / 1000) / 1e9:F1} GB/s = {bytes / (scan.P50 / 1000) / bandwidth:P0} of the measured {bandwidth / 1e9:F1} GB/s read bandwidth)"));
        Console.WriteLine(Invariant($"  dense retriever             {denseFull.P50:F2} / {denseFull.P95:F2}"));
        Console.WriteLine(Invariant($"  hybrid retriever            {hybridFull.P50:F2} / {hybridFull.P95:F2}"));
        Console.WriteLine(Invariant($"peak RSS {peak:F0} MiB (the 100,000 texts, both indexes, the vectors; before the bandwidth probe's 1 GB)"));
        small.Dispose();
        large.Dispose();
        work.Delete(recursive: true);
    }

    private static (double P50, double P95) Time<T>(IReadOnlyList<T> inputs, Action<T> action)
    {
        action(inputs[0]);
        var times = new List<double>();
        foreach (var input in inputs)
        {
            var started = Stopwatch.GetTimestamp();
            action(input);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        return (times[(int)(0.5 * (times.Count - 1))], times[(int)Math.Ceiling(0.95 * (times.Count - 1))]);
    }

    /// <summary>Bytes per second one parallel pass of sums reads from a 1 GB array (the best of 5): the scan's ceiling.</summary>
    private static double MemoryBandwidth()
    {
        var data = new float[256 * 1024 * 1024];
        Array.Fill(data, 1f);
        var parts = Environment.ProcessorCount;
        var best = double.MaxValue;
        for (var run = 0; run < 5; run++)
        {
            var started = Stopwatch.GetTimestamp();
            Parallel.For(0, parts, p =>
            {
                var length = data.Length / parts;
                _ = TensorPrimitives.Sum(data.AsSpan(p * length, length));
            });
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        return data.Length * 4.0 / best;
    }

    private static List<string> Sentences(string squad) => [.. Paragraphs(squad).SelectMany(p => p.Split(". ", StringSplitOptions.RemoveEmptyEntries)).Select(s => s.TrimEnd('.') + ".")];

    private static IEnumerable<string> Paragraphs(string squad) =>
        JsonNode.Parse(File.ReadAllText(squad))!["data"]!.AsArray().SelectMany(a => a!["paragraphs"]!.AsArray().Select(p => (string)p!["context"]!));

    private static IEnumerable<string> Questions(string squad) =>
        JsonNode.Parse(File.ReadAllText(squad))!["data"]!.AsArray().SelectMany(a => a!["paragraphs"]!.AsArray().SelectMany(p => p!["qas"]!.AsArray().Select(q => (string)q!["question"]!)));
}
