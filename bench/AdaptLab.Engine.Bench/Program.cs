using System.Text.Json;
using AdaptLab.Engine.Bench;

// Usage: AdaptLab.Engine.Bench [--threads N] [--rounds 3] [--runs 5] [--large-runs 2]
//                              [--models stories260K,smollm2-135m-shape] [--stories .../stories260K.bin] [--cache DIR]
//                              [--torch-env tuned|default] [--torch-set NAME=VALUE ...]
// Times the engine against a plain-torch forward (torch_llama.py on Debian's PyTorch) on the same weights with
// the same thread count: prefill tokens/s, greedy decode tokens/s at batch 1 and 8, peak RSS, and the machine's
// fp32 matmul rate. Each side of each model runs in a process of its own (the peer once per OpenMP wait setting),
// alternating for --rounds rounds so that all meet the same load on a shared machine; each process times --runs
// runs (--large-runs on the larger model) after a warm-up. Reported: the median over rounds of each process's
// median, and the ratio of AdaptLab to the better of the peer's settings on each measure.
// `AdaptLab.Engine.Bench tokenize [--sizes ...]` times the llama2.c tokenizer on long prompts instead (TokenizeBench.cs),
// `AdaptLab.Engine.Bench embed` the MiniLM sentence encoder against the sgemm rate (EmbedBench.cs), `retrieval` corpus
// ingest and query latency over 100,000 chunks (BM25 against Lucene.Net, dense against the memory bandwidth; RetrievalBench.cs),
// `lora` LoRA training steps on the SmolLM2-135M-shaped model against the same step in PyTorch (LoraBench.cs).
if (args is [EmbedBench.Command, ..])
{
    EmbedBench.Run(args[1..]);
    return;
}

if (args is [LoraBench.Command, ..])
{
    LoraBench.Run(args[1..]);
    return;
}

if (args is [LoraBench.WorkerCommand])
{
    LoraBench.Work();
    return;
}

if (args is [RetrievalBench.Command, ..])
{
    await RetrievalBench.RunAsync(args[1..]);
    return;
}

if (args is [TokenizeBench.Command, ..])
{
    TokenizeBench.Run(args[1..]);
    return;
}

if (args is [WorkerProcess.EngineWorkerCommand])
{
    var work = JsonSerializer.Deserialize<Workload>(Console.In.ReadToEnd(), BenchJson.Options)
        ?? throw new ArgumentException("The worker expects a workload as JSON on stdin.");
    Console.WriteLine(JsonSerializer.Serialize(EngineWorker.Run(work), BenchJson.Options));
    return;
}

var options = BenchOptions.Parse(args);
TorchPeer.RequireInstalled(options.TunedTorch);
var waits = string.Join(", ", TorchPeer.WaitSettings.Select(w => $"{w.Key} ({string.Join(' ', w.Value.Select(s => $"{s.Key}={s.Value}"))})"));
Console.WriteLine($"threads {options.Threads}, {options.Rounds} rounds; PyTorch: {TorchPeer.Describe(options.TunedTorch, options.TorchSettings)}, OpenMP waits {waits}; engine: its defaults");
foreach (var model in options.Models)
{
    var work = model == SmolLm2Shape.Name
        ? new Workload(SmolLm2Shape.EnsureWritten(options), options.Threads, options.LargeRuns,
            Prefill: 128, DecodePrompt: 16, DecodeSteps: 24, DecodeBatches: [1, 8], Sgemm: 2048)
        : new Workload(options.Stories, options.Threads, options.Runs,
            Prefill: 256, DecodePrompt: 16, DecodeSteps: 128, DecodeBatches: [1, 8], Sgemm: null);
    var ours = new List<SideResult>();
    var peers = TorchPeer.WaitSettings.Keys.ToDictionary(wait => wait, _ => new List<SideResult>());
    for (var round = 0; round < options.Rounds; round++)
    {
        ours.Add(WorkerProcess.Run(WorkerProcess.Engine(), work));
        foreach (var (wait, rounds) in peers)
        {
            var settings = TorchPeer.WaitSettings[wait].Concat(options.TorchSettings).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);
            rounds.Add(WorkerProcess.Run(TorchPeer.Start(options.TunedTorch, settings, options.Threads, "run"), work));
        }
    }

    Report.Print(model, work, options.Rounds, SideResult.Combine(ours), peers.ToDictionary(p => p.Key, p => SideResult.Combine(p.Value)));
}
