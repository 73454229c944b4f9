using System.Collections.Concurrent;
using System.Diagnostics;

namespace AdaptLab.Metrics.Code;

/// <summary>
/// Starts processes from one thread that lives as long as the application. bwrap's
/// --die-with-parent uses PR_SET_PDEATHSIG, which fires when the <em>thread</em> that forked it exits,
/// and thread-pool threads retire while their sandboxes still run.
/// </summary>
internal static class ProcessSpawner
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = StartServing();

    /// <summary>Starts <paramref name="process"/>; the task fails with what <see cref="Process.Start()"/> threw.</summary>
    public static Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    private static BlockingCollection<(Process, TaskCompletionSource)> StartServing()
    {
        var requests = new BlockingCollection<(Process, TaskCompletionSource)>();
        new Thread(() => Serve(requests)) { IsBackground = true, Name = "sandbox process spawner" }.Start();
        return requests;
    }

    private static void Serve(BlockingCollection<(Process, TaskCompletionSource)> requests)
    {
        foreach (var (process, started) in requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                // Handed to the caller: an exception escaping here would end the thread and hang all later starts.
                started.SetException(e);
            }
        }
    }
}
