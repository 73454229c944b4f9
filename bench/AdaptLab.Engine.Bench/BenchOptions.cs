using System.Globalization;

namespace AdaptLab.Engine.Bench;

/// <summary>Command-line options; see Program.cs for their meaning.</summary>
internal sealed record BenchOptions(
    int Threads, int Rounds, int Runs, int LargeRuns, string[] Models, string Stories, string Cache, bool TunedTorch,
    IReadOnlyDictionary<string, string> TorchSettings)
{
    public static readonly string[] AllModels = ["stories260K", SmolLm2Shape.Name];

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(
            Threads: System.Environment.ProcessorCount, Rounds: 3, Runs: 5, LargeRuns: 2, Models: AllModels,
            Stories: FindStories(), Cache: Path.Combine(Path.GetTempPath(), "adaptlab-engine-bench"), TunedTorch: true,
            TorchSettings: new Dictionary<string, string>());
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--threads" => options with { Threads = PositiveInt(args[i], value) },
                "--rounds" => options with { Rounds = PositiveInt(args[i], value) },
                "--runs" => options with { Runs = PositiveInt(args[i], value) },
                "--large-runs" => options with { LargeRuns = PositiveInt(args[i], value) },
                "--models" => options with { Models = ParseModels(value) },
                "--stories" => options with { Stories = value },
                "--cache" => options with { Cache = value },
                "--torch-env" => options with { TunedTorch = Environment(args[i], value) },
                "--torch-set" => options with { TorchSettings = With(options.TorchSettings, args[i], value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}; see the usage in Program.cs."),
            };
        }

        return options;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, not '{value}'.");

    private static string[] ParseModels(string value)
    {
        var models = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = models.FirstOrDefault(m => !AllModels.Contains(m));
        return unknown is null && models.Length > 0
            ? models
            : throw new ArgumentException($"--models takes a comma-separated subset of {string.Join(",", AllModels)}, not '{value}'.");
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> settings, string name, string value)
    {
        var separator = value.IndexOf('=', StringComparison.Ordinal);
        return separator > 0
            ? new Dictionary<string, string>(settings) { [value[..separator]] = value[(separator + 1)..] }
            : throw new ArgumentException($"{name} takes NAME=VALUE (an empty VALUE unsets NAME), not '{value}'.");
    }

    private static bool Environment(string name, string value) => value switch
    {
        "tuned" => true,
        "default" => false,
        _ => throw new ArgumentException($"{name} is 'tuned' or 'default', not '{value}'."),
    };

    /// <summary>shared/models/stories260K/stories260K.bin, looked for beside the repository (../shared) and above.</summary>
    private static string FindStories()
    {
        for (var directory = new DirectoryInfo(System.Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "models", "stories260K", "stories260K.bin");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine("..", "shared", "models", "stories260K", "stories260K.bin");
    }
}
