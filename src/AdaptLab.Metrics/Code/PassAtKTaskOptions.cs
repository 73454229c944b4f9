namespace AdaptLab.Metrics.Code;

/// <summary>Reads the task-file options of <c>pass_at_1</c> and <c>pass_at_k</c>.</summary>
internal static class PassAtKTaskOptions
{
    /// <param name="name">The catalog name.</param>
    /// <param name="fixedK">k when the name fixes it; null when option <c>k</c> must give it.</param>
    /// <param name="options">k, test_format, timeout_s, memory_mb, parallelism, python.</param>
    public static PassAtK Create(string name, int? fixedK, MetricOptions options)
    {
        var k = fixedK ?? (options.Values.ContainsKey("k")
            ? options.GetInt("k", 0)
            : throw new ArgumentException($"metric '{name}' needs option 'k' (samples drawn per problem), e.g. k: 10"));
        var defaults = new SandboxOptions();
        var timeout = options.GetDouble("timeout_s", defaults.TimeLimit.TotalSeconds);
        var memoryMb = options.GetInt("memory_mb", (int)(defaults.MemoryLimitBytes >> 20));
        if (!(timeout > 0 && timeout <= SandboxOptions.MaxTimeLimit.TotalSeconds))
        {
            throw new ArgumentException(
                $"option 'timeout_s' must be positive and at most {SandboxOptions.MaxTimeLimit.TotalSeconds}, got {timeout}");
        }

        if (memoryMb <= 0)
        {
            throw new ArgumentException($"option 'memory_mb' must be positive, got {memoryMb}");
        }

        var sandbox = defaults with
        {
            TimeLimit = TimeSpan.FromSeconds(timeout),
            MemoryLimitBytes = (long)memoryMb << 20,
            PythonPath = options.GetString("python", defaults.PythonPath),
        };
        var format = options.GetString("test_format", "humaneval") switch
        {
            "humaneval" => CodeTestFormat.HumanEval,
            "asserts" => CodeTestFormat.Asserts,
            var other => throw new ArgumentException($"option 'test_format' must be humaneval or asserts, got '{other}'"),
        };
        return new PassAtK(name, k, sandbox, options.GetInt("parallelism", Environment.ProcessorCount), format);
    }
}
