using System.Text.Json;
using AdaptLab.Engine.Bench;

// Usage: AdaptLab.Engine.Bench [--threads N] [--runs 5] [--large-runs 3] [--models stories260K,smollm2-135m-shape]
//                              [--stories .../stories260K.bin] [--cache DIR] [--torch-env tuned|default]
// Times the engine against a plain-torch forward (torch_llama.py on Debian's PyTorch) on the same weights with
// the same thread count: prefill tokens/s, greedy decode tokens/s at batch 1 and 8, peak RSS, and the machine's
// fp32 matmul rate. Each side of each model runs in its own process; medians of the runs, ratios AdaptLab/PyTorch.
if (args is [WorkerProcess.EngineWorkerCommand])
{
    var work = JsonSerializer.Deserialize<Workload>(Console.In.ReadToEnd(), BenchJson.Options)
        ?? throw new ArgumentException("The worker expects a workload as JSON on stdin.");
    Console.WriteLine(JsonSerializer.Serialize(EngineWorker.Run(work), BenchJson.Options));
    return;
}

var options = BenchOptions.Parse(args);
TorchPeer.RequireInstalled(options.TunedTorch);
Console.WriteLine($"threads {options.Threads}; PyTorch peer: {TorchPeer.Describe(options.TunedTorch)}");
foreach (var model in options.Models)
{
    var work = model == SmolLm2Shape.Name
        ? new Workload(SmolLm2Shape.EnsureWritten(options.Cache, options.TunedTorch), options.Threads, options.LargeRuns,
            Prefill: 128, DecodePrompt: 16, DecodeSteps: 32, DecodeBatches: [1, 8], Sgemm: 2048)
        : new Workload(options.Stories, options.Threads, options.Runs,
            Prefill: 256, DecodePrompt: 16, DecodeSteps: 128, DecodeBatches: [1, 8], Sgemm: null);
    var ours = WorkerProcess.Run(WorkerProcess.Engine(), work);
    var peer = WorkerProcess.Run(TorchPeer.Start(options.TunedTorch, "run"), work);
    Report.Print(model, work, ours, peer);
}
