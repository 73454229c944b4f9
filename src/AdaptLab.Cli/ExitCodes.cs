namespace AdaptLab.Cli;

/// <summary>The process exit codes, as documented in the README.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A target or gate was missed (or a comparison found a significant regression).</summary>
    public const int GateMissed = 1;

    /// <summary>Bad input or configuration: the message names the file, line and field.</summary>
    public const int BadInput = 2;

    /// <summary>Infrastructure failure: the model was unreachable, the store could not be written.</summary>
    public const int Infrastructure = 3;

    /// <summary>Interrupted (Ctrl+C); the run can be resumed with <c>eval --resume</c>.</summary>
    public const int Interrupted = 130;
}
