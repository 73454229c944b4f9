namespace AdaptLab.Metrics.Code;

public enum SandboxVerdict
{
    Passed,
    Failed,
    TimedOut,
    MemoryExceeded,
    OutputExceeded,
    SandboxError,
}

/// <summary>How one sandboxed run ended.</summary>
/// <param name="Verdict">Passed means exit status 0.</param>
/// <param name="ExitCode">The exit status, or null where the sandbox was killed (time or output limit).</param>
/// <param name="StderrTail">The last few kilobytes of stderr (UTF-8, possibly cut mid-line at the start).</param>
/// <param name="Summary">One line saying why the run did not pass, e.g. <c>timed out after 5 s</c>; null when it passed.</param>
public sealed record SandboxOutcome(SandboxVerdict Verdict, int? ExitCode, string StderrTail, string? Summary)
{
    public bool Passed => Verdict == SandboxVerdict.Passed;
}
