namespace AdaptLab.Core.Store;

internal sealed partial class RunStore
{
    /// <summary>
    /// Takes or renews the run's lease for <paramref name="owner"/> until <paramref name="ttl"/> from now;
    /// false while another owner holds an unexpired lease. One statement, so two processes cannot both win.
    /// </summary>
    public bool TryLease(string runId, string owner, TimeSpan ttl)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (gate)
        {
            using var command = Command(connection, """
                INSERT INTO run_leases (run_id, owner, expires_at) VALUES ($run, $owner, $expires)
                ON CONFLICT (run_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE run_leases.owner = excluded.owner OR run_leases.expires_at < $now
                """, null);
            Bind(command, ("$run", runId), ("$owner", owner), ("$expires", now + (long)ttl.TotalMilliseconds), ("$now", now));
            return command.ExecuteNonQuery() == 1;
        }
    }

    /// <summary>The current owner of the run's lease, expired or not; null when there is none.</summary>
    public string? LeaseOwner(string runId) =>
        Scalar(connection, "SELECT owner FROM run_leases WHERE run_id = $run", ("$run", runId)) as string;

    /// <summary>Takes the lease from <paramref name="staleOwner"/> (known dead) only if it still holds it.</summary>
    public bool TryTakeOver(string runId, string staleOwner, string owner, TimeSpan ttl)
    {
        lock (gate)
        {
            using var command = Command(connection,
                "UPDATE run_leases SET owner = $owner, expires_at = $expires WHERE run_id = $run AND owner = $stale", null);
            Bind(command, ("$run", runId), ("$owner", owner), ("$stale", staleOwner),
                ("$expires", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)ttl.TotalMilliseconds));
            return command.ExecuteNonQuery() == 1;
        }
    }

    public void ReleaseLease(string runId, string owner)
    {
        lock (gate)
        {
            Execute(connection, "DELETE FROM run_leases WHERE run_id = $run AND owner = $owner", null, ("$run", runId), ("$owner", owner));
        }
    }
}
