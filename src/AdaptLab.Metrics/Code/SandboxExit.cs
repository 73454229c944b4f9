namespace AdaptLab.Metrics.Code;

/// <summary>
/// What the sandbox process did, before it is read as a verdict. <c>ExitCode</c> is null when the
/// sandbox was killed for time or output.
/// </summary>
internal sealed record SandboxExit(int? ExitCode, bool TimedOut, bool OutputExceeded, string StderrTail);
