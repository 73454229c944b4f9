using System.Globalization;
using AdaptLab.Bench.Remote;

// Evaluation throughput through AdaptLab's remote client (the real `adaptlab eval`) against promptfoo, on one
// local OpenAI-compatible server with a fixed latency per call, same items and concurrency, in the same run.
// Usage: dotnet run -c Release --project bench/AdaptLab.Bench.Remote -- [--items 2000] [--latency-ms 50]
//        [--concurrency 1,16,64] [--peers bench/.peers] [--tools adaptlab,promptfoo]
var settings = Settings.Parse(args);
if (settings.Tools.Contains("promptfoo") && !Workloads.HasPromptfoo(settings.Peers))
{
    // Checked before the first run: concurrency 1 alone takes AdaptLab almost two minutes.
    Console.Error.WriteLine($"promptfoo and Node 22 are not installed in {Path.GetFullPath(settings.Peers)}: see bench/README.md, or pass --tools adaptlab.");
    return 2;
}

var dir = Directory.CreateTempSubdirectory("adaptlab-bench-remote-").FullName;
try
{
    await using var server = await FixedLatencyServer.StartAsync(TimeSpan.FromMilliseconds(settings.LatencyMs));
    var workloads = new Workloads(dir, server.BaseUrl, settings.Items);
    workloads.Write();
    Console.WriteLine($"{settings.Items} items, {settings.LatencyMs} ms per call, server {server.BaseUrl}, {Environment.ProcessorCount} cores");
    Console.WriteLine();
    Console.WriteLine("| tool | concurrency | calls | requests/s (server) | client ms/call beyond the server's | wall s (with start-up) | peak RSS MiB | max in flight | exit |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    var results = new List<(string Tool, int Concurrency, double Rps, long Rss)>();
    foreach (var concurrency in settings.Concurrency)
    {
        foreach (var tool in settings.Tools)
        {
            server.Reset();
            var start = tool == "adaptlab" ? workloads.AdaptLab(concurrency) : workloads.Promptfoo(settings.Peers, concurrency);
            var run = await ProcessRun.RunAsync(start);
            var load = server.Load();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {tool} | {concurrency} | {load.Requests} | {load.RequestsPerSecond:F1} | {load.ClientOverheadMs(concurrency, settings.LatencyMs):F1} | {run.Wall.TotalSeconds:F1} | {run.PeakRssBytes / 1048576.0:F0} | {load.MaxInFlight} | {run.ExitCode} |"));
            if (load.Requests != settings.Items)
            {
                Console.Error.WriteLine($"{tool} at concurrency {concurrency} made {load.Requests} calls, not {settings.Items}:\n{run.Output}\n{run.Error}");
            }

            results.Add((tool, concurrency, load.RequestsPerSecond, run.PeakRssBytes));
        }
    }

    Console.WriteLine();
    foreach (var concurrency in settings.Concurrency)
    {
        var ours = results.FirstOrDefault(r => r.Tool == "adaptlab" && r.Concurrency == concurrency);
        var peer = results.FirstOrDefault(r => r.Tool == "promptfoo" && r.Concurrency == concurrency);
        if (ours.Tool is not null && peer.Tool is not null && peer.Rps > 0 && ours.Rss > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"concurrency {concurrency}: adaptlab/promptfoo requests/s {ours.Rps / peer.Rps:F2}x, peak RSS {(double)ours.Rss / peer.Rss:F2}x"));
        }
    }
}
finally
{
    Directory.Delete(dir, recursive: true);
}

return 0;

internal sealed record Settings(int Items, int LatencyMs, IReadOnlyList<int> Concurrency, string Peers, IReadOnlyList<string> Tools)
{
    public static Settings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        var unknown = values.Keys.Except(["items", "latency-ms", "concurrency", "peers", "tools"]).FirstOrDefault();
        if (unknown is not null)
        {
            throw new ArgumentException($"unknown option --{unknown}; known: --items, --latency-ms, --concurrency, --peers, --tools");
        }

        var tools = values.GetValueOrDefault("tools", "adaptlab,promptfoo").Split(',');
        if (tools.Except(["adaptlab", "promptfoo"]).FirstOrDefault() is { } badTool)
        {
            throw new ArgumentException($"--tools: unknown tool '{badTool}' (adaptlab, promptfoo)");
        }

        return new Settings(
            Positive(values.GetValueOrDefault("items", "2000"), "--items"),
            Positive(values.GetValueOrDefault("latency-ms", "50"), "--latency-ms"),
            values.GetValueOrDefault("concurrency", "1,16,64").Split(',').Select(c => Positive(c, "--concurrency")).ToList(),
            Path.GetFullPath(values.GetValueOrDefault("peers", Path.Combine("bench", ".peers"))),
            tools);
    }

    private static int Positive(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option}: '{text}' is not a positive whole number");
}
