using System.Diagnostics;
using AdaptLab.Engine.Generation;
using AdaptLab.Engine.Llama;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Bench;

/// <summary>
/// The engine's side of a <see cref="Workload"/>, run in a process of its own so its peak memory is its own:
/// the same prefill and decode loops as torch_llama.py, through <see cref="LlamaModel.NextTokenLogits"/> with
/// the model's KV cache and greedy argmax, plus the product path (<see cref="TextGenerator"/>) at batch 1.
/// </summary>
internal static class EngineWorker
{
    public static SideResult Run(Workload work)
    {
        using var client = LocalModel.Open(work.Model, new LocalModelOptions(work.Threads));
        var generator = client.Generator;
        var model = generator.Model;
        var prefill = Median(Timed(work.Runs, work.WarmupSeconds, () => TimePrefill(model, work.Prefill)));
        var decode = new Dictionary<int, double>();
        long[] greedy = [];
        foreach (var batch in work.DecodeBatches)
        {
            var timed = Timed(work.Runs, work.WarmupSeconds, () => TimeDecode(model, batch, work.DecodePrompt, work.DecodeSteps));
            decode[batch] = Median(timed.Select(t => t.Rate));
            if (batch == 1)
            {
                greedy = timed[^1].Greedy;
            }
        }

        var product = Median(Timed(work.Runs, work.WarmupSeconds, () => TimeGenerator(generator, work.DecodePrompt, work.DecodeSteps)));
        var peak = ProcessMemory.PeakRssMib(); // before the matmul timing, whose matrices are not the model's
        var sgemm = work.Sgemm is { } size ? MatmulPeak.Gflops(size, work.Runs) : (double?)null;
        return new SideResult(get_num_threads(), "libtorch's bundled MKL", prefill, decode, greedy, peak, sgemm, product,
            ModelCost.Of(model.Config, work));
    }

    private static double TimePrefill(LlamaModel model, int length)
    {
        using var mode = inference_mode();
        using var scope = NewDisposeScope();
        var tokens = tensor(Workload.PromptTokens(model.Config.VocabSize, 0, length), [1, length]);
        var watch = Stopwatch.StartNew();
        using var cache = model.NewCache([0], length);
        model.NextTokenLogits(tokens, cache);
        return length / watch.Elapsed.TotalSeconds;
    }

    private static (double Rate, long[] Greedy) TimeDecode(LlamaModel model, int batch, int prompt, int steps)
    {
        using var mode = inference_mode();
        var vocab = model.Config.VocabSize;
        using var cache = model.NewCache(new int[batch], prompt + steps); // as torch_llama.py preallocates
        long[] next;
        using (NewDisposeScope())
        {
            var prompts = Enumerable.Range(0, batch).SelectMany(row => Workload.PromptTokens(vocab, row, prompt)).ToArray();
            next = Argmax(model.NextTokenLogits(tensor(prompts, [batch, prompt]), cache));
        }

        var greedy = new long[steps];
        var watch = Stopwatch.StartNew();
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            next = Argmax(model.NextTokenLogits(tensor(next, [batch, 1]), cache));
            greedy[step] = next[0];
        }

        return (batch * steps / watch.Elapsed.TotalSeconds, greedy);
    }

    /// <summary>As TokenSampler does at temperature 0: the ids come back to managed code every step.</summary>
    private static long[] Argmax(Tensor logits) => logits.argmax(-1).data<long>().ToArray();

    private static double TimeGenerator(TextGenerator generator, int prompt, int steps)
    {
        var tokens = Workload.PromptTokens(generator.Model.Config.VocabSize, 0, prompt).Select(t => (int)t).ToArray();
        var options = new GenerationOptions { Temperature = 0, MaxTokens = steps };
        var watch = Stopwatch.StartNew();
        var produced = generator.Complete(tokens, options).Count(c => c.TokenId is not null);
        return produced / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// <paramref name="runs"/> measurements after warming up for at least <paramref name="warmupSeconds"/>, as
    /// torch_llama.py does: .NET compiles hot code again, optimized, only after it has run a while, and one
    /// warm-up run of stories260K's decoding ended before that (its batch-1 rate read 750 tokens/s, 1150 after).
    /// </summary>
    private static List<T> Timed<T>(int runs, double warmupSeconds, Func<T> measure)
    {
        var warmup = Stopwatch.StartNew();
        do
        {
            measure();
        }
        while (warmup.Elapsed.TotalSeconds < warmupSeconds);

        return [.. Enumerable.Range(0, runs).Select(_ => measure())];
    }

    private static double Median(IEnumerable<double> values)
    {
        var ordered = values.Order().ToList();
        return ordered[ordered.Count / 2];
    }
}
