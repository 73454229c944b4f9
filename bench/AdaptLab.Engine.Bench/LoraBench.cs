using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AdaptLab.Abstractions;
using AdaptLab.Engine.HuggingFace;
using AdaptLab.Engine.Native;
using AdaptLab.Engine.Training;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Bench;

/// <summary>
/// <c>AdaptLab.Engine.Bench lora [--threads N] [--rounds 2] [--steps 5] [--dtypes fp32,bf16]</c>: LoRA training steps
/// on the random SmolLM2-135M-shaped model (shared/PEERS.md's peer measurement: batch 4 × 128 tokens, r=8, alpha 16 on
/// q_proj and v_proj, the rest frozen, AdamW on the adapters; one step = forward + loss + backward + optimizer step),
/// the engine's trainer parts (<see cref="TrainableWeights"/>, the model's autograd path) against torch_lora.py in the
/// same run, each side in a process of its own, alternating. The engine's loss is the trainer's (<see cref="ChunkedCrossEntropy"/>:
/// the output layer and cross-entropy over chunks of positions, never the whole [tokens, vocab] logits). Reported: tokens/s (median step), the ratio to the
/// better of PyTorch's OpenMP wait settings, the share of the GEMM peak at 4N FLOP per token (forward 2N, the
/// activations' gradients 2N; a frozen base needs no weight gradients), and peak RSS.
/// </summary>
internal static class LoraBench
{
    public const string Command = "lora";
    public const string WorkerCommand = "lora-worker";

    private sealed record Request(string Model, string Dtype, int Threads, int Batch, int Length, int Rank, double Alpha, string[] Targets, int Warmup, int Steps, int Seed);

    private sealed record Result(double TokensPerSecond, double Loss, double PeakRssMib, int Threads, double? GemmGflops = null, double? Parameters = null, string? GemmBy = null);

    public static void Run(string[] args)
    {
        var (threads, rounds, steps, dtypes) = (Environment.ProcessorCount, 2, 5, new[] { "fp32", "bf16" });
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            (threads, rounds, steps, dtypes) = args[i] switch
            {
                "--threads" => (int.Parse(args[i + 1], CultureInfo.InvariantCulture), rounds, steps, dtypes),
                "--rounds" => (threads, int.Parse(args[i + 1], CultureInfo.InvariantCulture), steps, dtypes),
                "--steps" => (threads, rounds, int.Parse(args[i + 1], CultureInfo.InvariantCulture), dtypes),
                "--dtypes" => (threads, rounds, steps, args[i + 1].Split(',')),
                _ => throw new ArgumentException($"Unknown option {args[i]}; see LoraBench.cs."),
            };
        }

        var options = BenchOptions.Parse(["--threads", threads.ToString(CultureInfo.InvariantCulture)]);
        TorchPeer.RequireInstalled(options.TunedTorch);
        var model = SmolLm2Shape.EnsureWritten(options);
        Console.WriteLine($"LoRA training step, {SmolLm2Shape.Name}: batch 4 x 128 tokens, r=8 alpha 16 on q_proj, v_proj; {threads} threads, {rounds} rounds of {steps} steps");
        foreach (var dtype in dtypes)
        {
            var request = new Request(model, dtype, threads, 4, 128, 8, 16, ["q_proj", "v_proj"], 2, steps, 7);
            var ours = new List<Result>();
            var peers = TorchPeer.WaitSettings.Keys.ToDictionary(w => w, _ => new List<Result>());
            for (var round = 0; round < rounds; round++)
            {
                ours.Add(RunSide(Worker(), request));
                foreach (var (wait, results) in peers)
                {
                    results.Add(RunSide(TorchPeer.StartScript(TorchPeer.LoraScript, options.TunedTorch, TorchPeer.WaitSettings[wait], threads), request));
                }
            }

            Print(dtype, ours, peers);
        }
    }

    /// <summary>The engine's side, in this process (started as a worker): the same step on the same files.</summary>
    public static void Work()
    {
        var request = JsonSerializer.Deserialize<Request>(Console.In.ReadToEnd(), BenchJson.Options)!;
        set_num_threads(request.Threads);
        var dtype = request.Dtype == "bf16" ? ScalarType.BFloat16 : ScalarType.Float32;
        using var model = HfCheckpoint.Load(request.Model);
        if (dtype != ScalarType.Float32)
        {
            model.ConvertTo(dtype);
        }

        manual_seed(request.Seed);
        var weights = TrainableWeights.Lora(model, new LoraOptions(request.Rank, request.Alpha, 0, request.Targets, []));
        model.train();
        using var optimizer = new AdamWOptimizer(weights.Named, 1e-4, 0.01);
        var vocab = model.Config.VocabSize;
        using var tokens = randint(0, vocab, [request.Batch, request.Length + 1], generator: new Generator((ulong)request.Seed));
        using var inputs = tokens.narrow(1, 0, request.Length).contiguous();
        using var targets = tokens.narrow(1, 1, request.Length).contiguous().view(-1);

        (double Seconds, double Loss) Step()
        {
            var watch = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            var hidden = model.Hidden(inputs, null);
            var (loss, _) = ChunkedCrossEntropy.Compute(hidden.view(-1, hidden.shape[^1]), targets, model.OutputWeight, -100, 1.0);
            optimizer.Step();
            return (watch.Elapsed.TotalSeconds, loss);
        }

        for (var i = 0; i < request.Warmup; i++)
        {
            Step();
        }

        var timed = Enumerable.Range(0, request.Steps).Select(_ => Step()).ToList();
        var seconds = timed.Select(t => t.Seconds).Order().ElementAt(timed.Count / 2);
        var peak = ProcessMemory.PeakRssMib();
        var parameters = model.parameters().Sum(p => (double)p.numel());
        var (gemm, gemmBy) = Gemm(dtype);
        Console.WriteLine(JsonSerializer.Serialize(
            new Result(request.Batch * request.Length / seconds, timed[^1].Loss, peak, get_num_threads(), gemm, parameters, gemmBy), BenchJson.Options));
    }

    /// <summary>
    /// The machine's matrix-product peak in the step's type (2048³, median of 5): the faster of libtorch's product and,
    /// in float32, OpenBLAS's on libtorch's threads (<see cref="TeamSgemm"/>), which the step's frozen products use.
    /// </summary>
    private static (double Gflops, string By) Gemm(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = randn(2048, 2048).to(dtype);
        var b = randn(2048, 2048).to(dtype);
        var libtorch = Rate(() => a.mm(b));
        var team = dtype == ScalarType.Float32 && TeamSgemm.IsAvailable ? Rate(() => TeamSgemm.Linear(a, b)!) : 0;
        return team > libtorch
            ? (team, $"OpenBLAS on libtorch's threads; libtorch {libtorch:F1}")
            : (libtorch, team > 0 ? $"libtorch; OpenBLAS on its threads {team:F1}" : "libtorch");
    }

    private static double Rate(Func<Tensor> product)
    {
        product().Dispose();
        var rates = Enumerable.Range(0, 5).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            product().Dispose();
            return 2.0 * 2048 * 2048 * 2048 / watch.Elapsed.TotalSeconds / 1e9;
        }).Order().ToList();
        return rates[rates.Count / 2];
    }

    private static ProcessStartInfo Worker()
    {
        var start = WorkerProcess.Engine();
        start.ArgumentList[^1] = WorkerCommand;
        return start;
    }

    private static Result RunSide(ProcessStartInfo start, Request request) => WorkerProcess.Run<Request, Result>(start, request);

    private static void Print(string dtype, List<Result> ours, Dictionary<string, List<Result>> peers)
    {
        static double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
        var rate = Median(ours.Select(r => r.TokensPerSecond));
        var gemm = Median(ours.Select(r => r.GemmGflops ?? 0));
        var flops = 4 * ours[0].Parameters!.Value;
        Console.WriteLine();
        Console.WriteLine($"{dtype}: {ours[0].Parameters!.Value / 1e6:F1}M parameters, GEMM peak {gemm:F1} GFLOP/s ({dtype}, 2048^3, {ours[0].Threads} threads, {ours[0].GemmBy})");
        Console.WriteLine($"  {"side",-20} {"tokens/s",10} {"of GEMM peak",13} {"peak RSS MiB",13} {"last loss",10}");
        Console.WriteLine($"  {"AdaptLab",-20} {rate,10:F1} {flops * rate / 1e9 / gemm,13:P0} {ours.Max(r => r.PeakRssMib),13:F0} {ours[^1].Loss,10:F3}");
        var best = 0.0;
        foreach (var (wait, results) in peers)
        {
            var peerRate = Median(results.Select(r => r.TokensPerSecond));
            best = Math.Max(best, peerRate);
            Console.WriteLine($"  {"PyTorch " + wait,-20} {peerRate,10:F1} {flops * peerRate / 1e9 / gemm,13:P0} {results.Max(r => r.PeakRssMib),13:F0} {results[^1].Loss,10:F3}");
        }

        Console.WriteLine($"  AdaptLab / best PyTorch: {rate / best:F2}x tokens/s");
    }
}
