using System.Diagnostics;
using System.Globalization;

namespace AdaptLab.Bench.Remote;

/// <summary>
/// Runs a command to completion while sampling the resident memory of its process tree from /proc,
/// so each tool's peak RSS is its own (the bench and its server run in another process).
/// </summary>
internal static class ProcessRun
{
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var wall = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var exited = process.WaitForExitAsync();
        while (!exited.IsCompleted)
        {
            peak = Math.Max(peak, Math.Max(TreeRssBytes(process.Id), StatusBytes(process.Id, "VmHWM:")));
            await Task.WhenAny(exited, Task.Delay(20));
        }

        await exited;
        return new ProcessResult(process.ExitCode, wall.Elapsed, peak, await stdout, await stderr);
    }

    private static long TreeRssBytes(int pid)
    {
        var total = StatusBytes(pid, "VmRSS:");
        foreach (var child in Children(pid))
        {
            total += TreeRssBytes(child);
        }

        return total;
    }

    private static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            return [];
        }

        var children = new List<int>();
        foreach (var task in tasks)
        {
            try
            {
                children.AddRange(File.ReadAllText(Path.Combine(task, "children"))
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return children;
    }

    /// <summary>A "Name:   1234 kB" line of /proc/pid/status in bytes; 0 once the process is gone.</summary>
    private static long StatusBytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kb = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}

internal sealed record ProcessResult(int ExitCode, TimeSpan Wall, long PeakRssBytes, string Output, string Error);
