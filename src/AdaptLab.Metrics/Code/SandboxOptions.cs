namespace AdaptLab.Metrics.Code;

/// <summary>Limits for one sandboxed Python run.</summary>
/// <remarks>
/// The memory limit is RLIMIT_AS of each sandboxed process, so a program may hold up to
/// <see cref="MaxProcesses"/> times that much; the process cap keeps that product bounded.
/// </remarks>
public sealed record SandboxOptions
{
    // Far beyond any test run, and well inside what a CancellationTokenSource timer accepts.
    internal static readonly TimeSpan MaxTimeLimit = TimeSpan.FromDays(1);

    /// <summary>Wall-clock time after which the whole sandbox is killed.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Address-space limit of each process in the sandbox.</summary>
    public long MemoryLimitBytes { get; init; } = 512L << 20;

    /// <summary>Bytes of stdout and stderr together after which the sandbox is killed.</summary>
    public long OutputLimitBytes { get; init; } = 1L << 20;

    /// <summary>Processes and threads the program may have at once (RLIMIT_NPROC inside its own user namespace).</summary>
    public int MaxProcesses { get; init; } = 8;

    /// <summary>Size of the private tmpfs that is the program's only writable directory (/tmp, also its cwd).</summary>
    public long ScratchLimitBytes { get; init; } = 64L << 20;

    /// <summary>Absolute path of the interpreter; it must be readable by an unprivileged user.</summary>
    public string PythonPath { get; init; } = "/usr/bin/python3";

    /// <summary>The bubblewrap binary: a name looked up on PATH or an absolute path.</summary>
    public string BubblewrapPath { get; init; } = "bwrap";

    internal void Validate()
    {
        Positive(TimeLimit.Ticks, nameof(TimeLimit));
        if (TimeLimit > MaxTimeLimit)
        {
            throw new ArgumentException($"{nameof(TimeLimit)} must be at most {MaxTimeLimit}, got {TimeLimit}");
        }

        Positive(MemoryLimitBytes, nameof(MemoryLimitBytes));
        Positive(OutputLimitBytes, nameof(OutputLimitBytes));
        Positive(MaxProcesses, nameof(MaxProcesses));
        Positive(ScratchLimitBytes, nameof(ScratchLimitBytes));
        if (!Path.IsPathFullyQualified(PythonPath))
        {
            throw new ArgumentException($"{nameof(PythonPath)} must be an absolute path, got '{PythonPath}'");
        }

        if (string.IsNullOrWhiteSpace(BubblewrapPath))
        {
            throw new ArgumentException($"{nameof(BubblewrapPath)} must not be empty");
        }
    }

    private static void Positive(long value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be positive, got {value}");
        }
    }
}
