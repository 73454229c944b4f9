using AdaptLab.Core.Store;

namespace AdaptLab.Core.Evaluation;

/// <summary>
/// This process's claim on a run while it evaluates it, renewed in the background, so a second
/// <c>eval --resume</c> of the same run refuses instead of asking the model for the same items. The
/// lease of a killed process is taken over at once on the same host, and elsewhere once it expires.
/// </summary>
internal sealed class RunLease : IDisposable
{
    internal static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private readonly RunStore store;
    private readonly string runId;
    // host/pid/nonce: a lease whose owner is a dead process of this host is taken over at once.
    private readonly string owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly Timer renewal;

    private RunLease(RunStore store, string runId)
    {
        this.store = store;
        this.runId = runId;
        renewal = new Timer(_ => Renew(), null, Ttl / 3, Ttl / 3);
    }

    /// <exception cref="InputException">Another process is evaluating the run now.</exception>
    public static RunLease Take(RunStore store, string runId, string taskPath)
    {
        var lease = new RunLease(store, runId);
        if (!store.TryLease(runId, lease.owner, Ttl) &&
            !(store.LeaseOwner(runId) is { } holder && IsDeadLocalProcess(holder) && store.TryTakeOver(runId, holder, lease.owner, Ttl)))
        {
            lease.renewal.Dispose();
            throw new InputException(taskPath, null, null,
                $"run {runId} is being evaluated by another process; wait for it to finish, or " +
                $"if that process was killed, retry in {Ttl.TotalSeconds:0} s when its claim has expired");
        }

        return lease;
    }

    private static bool IsDeadLocalProcess(string holder)
    {
        var parts = holder.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid))
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        using (var done = new ManualResetEvent(false))
        {
            // Waits for a renewal in flight, which would otherwise take the lease back after the release.
            if (renewal.Dispose(done))
            {
                done.WaitOne();
            }
        }

        store.ReleaseLease(runId, owner);
    }

    private void Renew()
    {
        try
        {
            store.TryLease(runId, owner, Ttl);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // A busy store: the next tick renews, well before the lease expires.
        }
    }
}
