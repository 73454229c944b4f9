using System.Globalization;

namespace AdaptLab.Metrics.Code;

/// <summary>Reads a <see cref="SandboxExit"/> as a verdict with a one-line summary.</summary>
internal static class SandboxVerdicts
{
    private const int MaxSummaryChars = 200;

    // Set-up failures of the sandbox itself; the program's own stderr cannot start this way
    // unless it imitates them, which only changes how its failure is worded.
    private static readonly string[] SandboxToolPrefixes = ["bwrap:", "prlimit:", "setpriv:"];

    public static SandboxOutcome Read(SandboxExit exit, SandboxOptions options)
    {
        var tail = exit.StderrTail;
        if (exit.OutputExceeded)
        {
            return new(SandboxVerdict.OutputExceeded, null, tail, $"output exceeded the {Size(options.OutputLimitBytes)} cap");
        }

        if (exit.TimedOut)
        {
            return new(SandboxVerdict.TimedOut, null, tail, $"timed out after {Seconds(options.TimeLimit)} s");
        }

        var code = exit.ExitCode ?? throw new ArgumentException("a sandbox that was not killed has an exit code", nameof(exit));
        if (code == 0)
        {
            return new(SandboxVerdict.Passed, 0, tail, null);
        }

        var lastLine = LastLine(tail);
        if (SandboxToolPrefixes.Any(p => tail.StartsWith(p, StringComparison.Ordinal)))
        {
            return new(SandboxVerdict.SandboxError, code, tail, $"sandbox error: {Shorten(FirstLine(tail))}");
        }

        // RLIMIT_AS makes allocations fail, which Python raises as MemoryError (or a subclass such as
        // numpy's _ArrayMemoryError); nothing is killed.
        if (lastLine is not null && ExceptionType(lastLine).EndsWith("MemoryError", StringComparison.Ordinal))
        {
            return new(SandboxVerdict.MemoryExceeded, code, tail, $"memory limit {Size(options.MemoryLimitBytes)} exceeded ({Shorten(lastLine)})");
        }

        return new(SandboxVerdict.Failed, code, tail, lastLine is null ? ExitDescription(code) : Shorten(lastLine));
    }

    private static string ExitDescription(int code) => code > 128
        ? $"exit code {code} (killed by signal {code - 128})"
        : $"exit code {code}";

    private static string? LastLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string ExceptionType(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? line : line[..colon];
    }

    private static string Shorten(string line) => line.Length <= MaxSummaryChars ? line : line[..(MaxSummaryChars - 3)] + "...";

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes switch
    {
        _ when bytes % (1L << 20) == 0 => $"{bytes >> 20} MB",
        _ when bytes % (1L << 10) == 0 => $"{bytes >> 10} KB",
        _ => $"{bytes} bytes",
    };
}
