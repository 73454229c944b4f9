using System.Diagnostics;
using System.Text;

namespace AdaptLab.Metrics.Code;

/// <summary>Runs one sandbox command with the program on stdin, enforcing the wall-time and output limits.</summary>
internal static class SandboxProcess
{
    private const int StderrTailBytes = 4096;

    /// <exception cref="OperationCanceledException">The caller cancelled; the sandbox has been killed.</exception>
    public static async Task<SandboxExit> RunAsync(
        SandboxCommand command, string program, SandboxOptions options, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = command.ToStartInfo() };
        await ProcessSpawner.StartAsync(process);

        var budget = new OutputBudget(options.OutputLimitBytes, () => Kill(process));
        var stderrTail = new ByteTail(StderrTailBytes);
        var stdout = DrainAsync(process.StandardOutput.BaseStream, budget, tail: null);
        var stderr = DrainAsync(process.StandardError.BaseStream, budget, stderrTail);
        var stdin = FeedAsync(process.StandardInput.BaseStream, program);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.TimeLimit);
        var killedAtDeadline = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            killedAtDeadline = true;
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // The pipes close once every process in the sandbox is gone, which the pid namespace guarantees.
        await Task.WhenAll(stdout, stderr, stdin);
        cancellationToken.ThrowIfCancellationRequested();

        var killed = killedAtDeadline || budget.Exceeded;
        return new SandboxExit(
            killed ? null : process.ExitCode,
            TimedOut: killedAtDeadline && !budget.Exceeded,
            OutputExceeded: budget.Exceeded,
            stderrTail.ToString());
    }

    // Killing bwrap kills everything it started: --die-with-parent takes down the sandbox's pid 1, and
    // the kernel kills every process of a pid namespace whose pid 1 dies, forked grandchildren included.
    private static void Kill(Process process) => process.Kill();

    private static async Task DrainAsync(Stream stream, OutputBudget budget, ByteTail? tail)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            tail?.Append(buffer.AsSpan(0, read));
            budget.Consume(read);
        }
    }

    private static async Task FeedAsync(Stream stdin, string program)
    {
        try
        {
            await stdin.WriteAsync(Encoding.UTF8.GetBytes(program));
            stdin.Close();
        }
        catch (IOException)
        {
            // The sandbox exited (or was killed) before reading all of the program; its exit says why.
        }
    }

    private sealed class OutputBudget(long limit, Action onExceeded)
    {
        private long used;
        private int exceeded;

        public bool Exceeded => Volatile.Read(ref exceeded) == 1;

        public void Consume(int bytes)
        {
            if (Interlocked.Add(ref used, bytes) > limit && Interlocked.Exchange(ref exceeded, 1) == 0)
            {
                onExceeded();
            }
        }
    }
}
