namespace AdaptLab.Metrics.Code;

/// <summary>
/// Runs untrusted Python programs inside a bubblewrap sandbox (see <see cref="SandboxCommand"/> for
/// what it isolates). Thread-safe: callers may run several programs at once on one instance.
/// </summary>
public sealed class SandboxRunner
{
    // Cold interpreter start-up on a loaded machine can take seconds; the probe must not time out
    // where real programs would merely be slow.
    private static readonly TimeSpan ProbeTimeLimit = TimeSpan.FromSeconds(30);

    private readonly Lazy<Task<SandboxCommand>> command;

    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public SandboxRunner(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        command = new(PrepareAsync);
    }

    public SandboxOptions Options { get; }

    /// <summary>Runs <paramref name="program"/> (Python source) and says how it ended.</summary>
    /// <exception cref="InvalidOperationException">
    /// The sandbox cannot be built on this machine (bubblewrap missing, user namespaces disabled);
    /// the program is then not run at all.
    /// </exception>
    /// <exception cref="OperationCanceledException">Cancelled; the sandbox has been killed.</exception>
    public async Task<SandboxOutcome> RunAsync(string program, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        var ready = await command.Value.WaitAsync(cancellationToken);
        return await RunAsync(ready, program, Options, cancellationToken);
    }

    private static async Task<SandboxOutcome> RunAsync(
        SandboxCommand ready, string program, SandboxOptions options, CancellationToken cancellationToken)
    {
        var exit = await SandboxProcess.RunAsync(ready, program, options, cancellationToken);
        return SandboxVerdicts.Read(exit, options);
    }

    // Runs a trivial program once so that a sandbox that cannot work here fails loudly up front
    // instead of marking every program as failed.
    private async Task<SandboxCommand> PrepareAsync()
    {
        var ready = SandboxCommand.Create(Options);
        var probe = await RunAsync(ready, "pass", Options with { TimeLimit = ProbeTimeLimit }, CancellationToken.None);
        if (!probe.Passed)
        {
            throw new InvalidOperationException(
                $"the bubblewrap sandbox for model-generated code does not work on this machine ({probe.Summary}). " +
                "It needs unprivileged user namespaces (check sysctl user.max_user_namespaces and any AppArmor " +
                $"restriction) and an interpreter readable by an unprivileged user. stderr:\n{probe.StderrTail}");
        }

        return ready;
    }
}
